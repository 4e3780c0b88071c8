# bash completion for pki and the pki-* tools.
#
# Installed as completions/pki, with one link per tool, for bash-completion
# to load on demand; or source it from ~/.bashrc.  Needs nothing but bash.
# Options come from each tool's --help (its SYNOPSIS), so the completion
# follows the tools; values come from the words of the policy, from the
# access matrix (pki-matrix list) and from the products in git.

_pki_tools="init ir matrix classify register list share audit archive report sync"
_pki_levels="unclassified confidential strictly-confidential"
_pki_roles="hom chair member undss archives auditor external"
_pki_types="mission un non-un security-force"
_pki_powers="share-external disseminate declassify direct"
_pki_arrangement_kinds="orcon hrddp legal consent"
_pki_actions="receive classify reclassify share export revoke archive review archive-ack dispose relabel"
_pki_criteria="a b c d e f g third-party-confidence personal-safety operations-security legal-privilege deliberative commercial other"

# _pki_git ARGS...: git in the repository named by -C, quietly.
_pki_git() {
	git ${_pki_dir:+-C "$_pki_dir"} "$@" 2>/dev/null
}

# The principals valid now, from the access matrix.
_pki_principals() {
	"${_pki_bin:-pki-matrix}" ${_pki_dir:+-C "$_pki_dir"} list 2>/dev/null |
		awk -F, 'NR > 1 { gsub(/"/, "", $1); print $1 }'
}

# The areas named in the access matrix.
_pki_areas() {
	"${_pki_bin:-pki-matrix}" ${_pki_dir:+-C "$_pki_dir"} list 2>/dev/null |
		awk -F, 'NR > 1 { gsub(/"/, "", $7); n = split($7, a, ";");
			for (i = 1; i <= n; i++) if (a[i] != "" && a[i] != "*") print a[i] }' |
		sort -u
}

# Product IDs, from the labels git tracks.
_pki_products() {
	_pki_git ls-files -- 'products/*.xml' | sed 's,.*/,,; s,\.xml$,,'
}

# Delegation IDs, from delegations.csv on the branch.
_pki_delegations() {
	_pki_git show HEAD:delegations.csv | awk -F, 'NR > 1 { gsub(/"/, "", $1); print $1 }'
}

# Arrangement IDs, from arrangements.csv on the branch; of KIND when given.
_pki_arrangements() {
	_pki_git show HEAD:arrangements.csv |
		awk -F, -v kind="$1" 'NR > 1 { gsub(/"/, "", $1); gsub(/"/, "", $2);
			if (kind == "" || $2 == kind) print $1 }'
}

# The entities named in the access matrix, for an arrangement's partner.
_pki_entities() {
	"${_pki_bin:-pki-matrix}" ${_pki_dir:+-C "$_pki_dir"} list 2>/dev/null |
		awk -F, 'NR > 1 { gsub(/"/, "", $3); print $3 }' | sort -u
}

# Requirement IDs, from requirements.csv on the branch (open ones with open).
_pki_requirements() {
	_pki_git show HEAD:requirements.csv |
		awk -F, -v open="$1" 'NR > 1 { gsub(/"/, ""); if (open == "" || $6 == "open") print $1 }'
}

# E-mail addresses of the secret keys at hand, for -u.
_pki_keys() {
	gpg --list-secret-keys --with-colons 2>/dev/null |
		awk -F: '$1 == "uid" && match($10, /<[^>]*>/) { print substr($10, RSTART + 1, RLENGTH - 2) }'
}

# Half-years around now, for --period.
_pki_periods() {
	local y
	y=$(date -u +%Y)
	echo "$((y - 1))H1 $((y - 1))H2 ${y}H1 ${y}H2"
}

# _pki_usage TOOL [MODE]: the SYNOPSIS lines of TOOL --help, those of MODE
# only when MODE is given and has lines of its own.
_pki_usage() {
	local help lines
	help=$("$1" --help 2>/dev/null | sed -n 's/^usage: //p; s/^   or: //p')
	if [[ -n $2 ]]; then
		lines=$(grep -E "(^| )$2( |$)" <<<"$help")
		[[ -n $lines ]] && help=$lines
	fi
	printf '%s\n' "$help"
}

# _pki_options USAGE: the options the usage names.
_pki_options() {
	{
		echo -h; echo --help; echo --version
		tr '[]()|' '     ' <<<"$1" | tr ' ' '\n' | grep -E '^--?[A-Za-z0-9][-A-Za-z0-9]*$'
	} | sort -u
}

# _pki_takes USAGE OPTION: print the word after OPTION in USAGE when it is
# OPTION's argument (FILE, csv|text), nothing when OPTION is a flag.
_pki_takes() {
	local w prev='' found=''
	for w in $(tr '[]()' '    ' <<<"$1"); do
		if [[ $prev == "$2" ]]; then
			found=$w
			break
		fi
		prev=$w
	done
	# pki-share --revoke ID: a flag before the plain words.
	case $2:$found in
	--revoke:*|*:|*:-*|*:'|') return ;;
	esac
	printf '%s\n' "$found"
}

# _pki_values TOOL OPTION ARGWORD: the candidates for OPTION's argument.
_pki_values() {
	case $2 in
	-l|--level|--clearance) echo "$_pki_levels" ;;
	-c|--criterion) echo "$_pki_criteria" ;;
	--role) [[ $1 == pki-init ]] && echo "hom chair" || echo "$_pki_roles" ;;
	--type) echo "$_pki_types" ;;
	--power) echo "$_pki_powers" ;;
	--action) echo "$_pki_actions" ;;
	--kind) [[ $1 == pki-list ]] && echo "product plan ir material" || echo "product plan material" ;;
	--retention) echo "P90D P6M P1Y P2Y P5Y P10Y" ;;
	-a|--areas) _pki_areas ;;
	--scope) echo '*'; _pki_areas; _pki_products ;;
	--change|--reviewed|--product|--dispose) _pki_products ;;
	--authority) _pki_delegations ;;
	--arrangement) _pki_arrangements orcon ;;
	--hrddp) _pki_arrangements hrddp ;;
	--consent) _pki_arrangements consent ;;
	--owner) _pki_principals ;;
	--parent|--ir) _pki_requirements open ;;
	-p) [[ $1 == pki-ir ]] && echo "1 2 3" ;;
	-u) _pki_keys ;;
	--period|--ack) _pki_periods ;;
	--since|--root)
		[[ $1 == pki-audit ]] && _pki_git for-each-ref --format='%(refname:short)' ;;
	*)
		# csv|text from the usage itself.
		[[ $3 == *'|'* && $3 != *[A-Z]* ]] && tr '|' ' ' <<<"$3" ;;
	esac
}

# _pki_positional TOOL N WORDS...: candidates for the Nth plain argument.
_pki_positional() {
	local tool=$1 n=$2
	shift 2
	case $tool in
	pki-matrix)
		if ((n == 0)); then
			echo "add remove delegate undelegate arrange unarrange rekey succeed list"
		elif ((n == 1)) && [[ $1 == arrange ]]; then
			echo "$_pki_arrangement_kinds"
		elif ((n == 2)) && [[ $1 == arrange ]]; then
			_pki_principals; _pki_entities
		elif ((n == 1)) && [[ $1 == unarrange ]]; then
			_pki_arrangements
		elif ((n == 1)) && [[ $1 != list && $1 != undelegate ]]; then
			_pki_principals
		elif ((n == 2)) && [[ $1 == succeed ]]; then
			_pki_principals
		fi ;;
	pki-share)
		if ((n == 0)); then _pki_products; else _pki_principals; fi ;;
	pki-sync)
		((n == 0)) && _pki_git remote ;;
	pki-ir)
		if ((n == 0)); then
			echo "add review close list coverage"
		elif ((n == 1)) && [[ $1 == review || $1 == close ]]; then
			_pki_requirements open
		fi ;;
	esac
}

# _pki_files -f|-d: complete file (or directory) names.
_pki_files() {
	compopt -o filenames 2>/dev/null
	COMPREPLY=($(compgen "$1" -- "$cur"))
}

# _pki_tool TOOL CWORD WORDS...: complete for one pki-* tool.
_pki_tool() {
	local tool=$1 cword=$2
	shift 2
	local -a words=("$@")
	local cur=${words[cword]} prev='' i w mode='' n=0 usage arg
	local _pki_dir='' _pki_bin=pki-matrix

	# Where to look: -C DIR, and the pki-matrix beside the tool.
	[[ $tool == */* ]] && _pki_bin=${tool%/*}/pki-matrix
	for ((i = 1; i < cword; i++)); do
		[[ ${words[i]} == -C ]] && _pki_dir=${words[i + 1]}
	done
	((cword > 0)) && prev=${words[cword - 1]}
	# --opt=value comes as three words: --opt, =, value.
	if [[ $cur == = ]]; then
		cur=
	elif [[ $prev == = ]] && ((cword > 1)); then
		prev=${words[cword - 2]}
	fi

	usage=$(_pki_usage "$tool")
	# The mode (pki-matrix add, ...) and how many plain words precede.
	for ((i = 1; i < cword; i++)); do
		w=${words[i]}
		[[ $w == = ]] && continue
		if [[ $w == -* ]]; then
			[[ -n $(_pki_takes "$usage" "$w") || $w == -[Cu] ]] && ((i++))
			continue
		fi
		[[ -z $mode ]] && mode=$w
		((n++))
	done
	[[ ($tool == *pki-matrix || $tool == *pki-ir) && -n $mode ]] &&
		usage=$(_pki_usage "$tool" "$mode")

	case ${tool##*/}:$prev in
	*:-C|pki-archive:-o|pki-archive:--output)
		_pki_files -d
		return ;;
	*:--key|*:-o|*:--output|*:--label)
		_pki_files -f
		return ;;
	esac
	if [[ $prev == -* ]]; then
		arg=$(_pki_takes "$usage" "$prev")
		if [[ -n $arg || $prev == -u ]]; then
			COMPREPLY=($(compgen -W "$(_pki_values "${tool##*/}" "$prev" "$arg")" -- "$cur"))
			return
		fi
	fi
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_pki_options "$usage")" -- "$cur"))
		return
	fi
	case ${tool##*/} in
	pki-matrix|pki-share|pki-ir)
		COMPREPLY=($(compgen -W "$(_pki_positional "${tool##*/}" "$n" "$mode")" -- "$cur")) ;;
	pki-sync)
		# A remote's name, or a path (a removable disk's bare repository).
		((n == 0)) || return 0
		COMPREPLY=($(compgen -W "$(_pki_positional pki-sync 0)" -- "$cur"))
		compopt -o filenames 2>/dev/null
		COMPREPLY+=($(compgen -d -- "$cur"))
		return 0 ;;
	pki-init)
		_pki_files -d ;;
	pki-classify|pki-register)
		_pki_files -f ;;
	esac
}

_pki() {
	local cmd=${COMP_WORDS[0]}
	local cur=${COMP_WORDS[COMP_CWORD]}
	local i=1 dir='' _pki_dir=''

	if [[ ${cmd##*/} == pki ]]; then
		# pki -C DIR ... : pki's own option, before the command.
		while ((i < COMP_CWORD)) && [[ ${COMP_WORDS[i]} == -C ]]; do
			dir=${COMP_WORDS[i + 1]}
			((i += 2))
		done
		if ((i > COMP_CWORD)); then
			_pki_files -d
			return
		fi
		if ((COMP_CWORD == i)); then
			COMPREPLY=($(compgen -W "$_pki_tools cat show help -C -h --help --version" -- "$cur"))
			return
		fi
		case ${COMP_WORDS[i]} in
		help)
			((COMP_CWORD == i + 1)) &&
				COMPREPLY=($(compgen -W "$_pki_tools" -- "$cur"))
			return ;;
		cat|show)
			_pki_dir=$dir
			((COMP_CWORD == i + 1)) &&
				COMPREPLY=($(compgen -W "$(_pki_products)" -- "$cur"))
			return ;;
		esac
		# pki share ... completes as pki-share ..., with pki's -C.
		local tool=pki-${COMP_WORDS[i]}
		[[ $cmd == */* ]] && tool=${cmd%/*}/$tool
		if [[ -n $dir ]]; then
			_pki_tool "$tool" $((COMP_CWORD - i + 2)) "$tool" -C "$dir" "${COMP_WORDS[@]:i+1}"
		else
			_pki_tool "$tool" $((COMP_CWORD - i)) "$tool" "${COMP_WORDS[@]:i+1}"
		fi
		return
	fi
	_pki_tool "$cmd" "$COMP_CWORD" "${COMP_WORDS[@]}"
}

complete -F _pki pki pki-init pki-matrix pki-classify pki-register \
	pki-list pki-share pki-audit pki-archive pki-ir pki-report pki-sync
