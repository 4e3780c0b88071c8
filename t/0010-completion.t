#!/bin/sh
# share/completion/pki.bash: subcommands, options from each tool's usage,
# the policy's words, principals from the matrix, products from git.
. "$(dirname "$0")/lib.sh"

COMPLETION=$SRC/share/completion/pki.bash
TOOLS=$(cd "$SRC/cmd" && ls *.c | sed 's/\.c$//')

# comp WORD...: what bash completes for the last WORD (COMPREPLY, sorted).
comp() {
	bash --norc --noprofile -c '
		. "$0" || exit 1
		COMP_WORDS=("$@")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE="$*"
		COMP_POINT=${#COMP_LINE}
		_pki || exit 1
		printf "%s\n" "${COMPREPLY[@]}"' "$COMPLETION" "$@" | sed '/^$/d' | sort
}

# words WORD...: the expected words, sorted, one a line.
words() {
	printf '%s\n' "$@" | sort
}

test_expect_success 'setup: a mission' '
	mission &&
	cd "$REPO"
'

test_expect_success 'the file is plain bash and registers every tool' '
	bash -n "$COMPLETION" &&
	bash --norc --noprofile -c ". \"$COMPLETION\" && complete -p" >complete &&
	for t in $TOOLS; do
		grep -q "^complete .*-F _pki $t$" complete || { echo "no $t"; return 1; }
	done
'

test_expect_success 'pki: the tools' '
	comp pki "" >actual &&
	words init ir matrix classify register list share audit archive report sync cat show help -C -h --help --version >expect &&
	test_cmp expect actual &&
	comp pki ma >actual && words matrix >expect && test_cmp expect actual
'

test_expect_success 'pki help: the tools; pki -C DIR: then the tools' '
	comp pki help "" >actual &&
	words init ir matrix classify register list share audit archive report sync >expect &&
	test_cmp expect actual &&
	comp pki help sh >actual && words share >expect && test_cmp expect actual &&
	comp pki help share "" >actual && test ! -s actual &&
	comp pki -C "$REPO" ma >actual && words matrix >expect && test_cmp expect actual
'

test_expect_success 'pki-matrix: subcommands, and the options of each' '
	cd "$REPO" &&
	comp pki-matrix "" >actual &&
	words add remove delegate undelegate arrange unarrange rekey succeed list >expect &&
	test_cmp expect actual &&
	comp pki-matrix succeed jmac --k >actual &&
	words --keep >expect && test_cmp expect actual &&
	comp pki-matrix list --f >actual &&
	words --format >expect && test_cmp expect actual &&
	comp pki-matrix list --format "" >actual &&
	words csv text >expect && test_cmp expect actual &&
	comp pki-matrix add x --k >actual &&
	words --key >expect && test_cmp expect actual
'

test_expect_success 'the words of the policy' '
	cd "$REPO" &&
	comp pki-matrix add x --role "" >actual &&
	words hom chair member undss archives auditor external >expect && test_cmp expect actual &&
	comp pki-matrix add x --type "" >actual &&
	words mission un non-un security-force >expect && test_cmp expect actual &&
	comp pki-matrix add x --clearance "" >actual &&
	words unclassified confidential strictly-confidential >expect && test_cmp expect actual &&
	comp pki-matrix delegate fc --power "" >actual &&
	words share-external disseminate declassify direct >expect && test_cmp expect actual &&
	comp pki-init --role "" >actual &&
	words hom chair >expect && test_cmp expect actual
'

test_expect_success '--option=value completes the value' '
	cd "$REPO" &&
	comp pki-matrix add x --type = se >actual &&
	words security-force >expect && test_cmp expect actual
'

test_expect_success 'principals come from the matrix, valid now; -C is followed' '
	cd "$REPO" &&
	comp pki-matrix remove "" >actual &&
	words hom chair jmac fc police undss archives auditor unct hoststate fama >expect &&
	test_cmp expect actual &&
	cd "$TRASH" &&
	comp pki-matrix -C "$REPO" remove f >actual &&
	words fama fc >expect && test_cmp expect actual &&
	comp pki matrix -C "$REPO" delegate u >actual &&
	words unct undss >expect && test_cmp expect actual &&
	comp pki -C "$REPO" matrix delegate u >actual &&
	words unct undss >expect && test_cmp expect actual &&
	comp pki-matrix -C "$REPO" succeed jmac f >actual &&
	words fama fc >expect && test_cmp expect actual
'

test_expect_success 'areas come from the matrix' '
	cd "$REPO" &&
	comp pki-matrix add x --areas "" >actual &&
	words crime force-protection poc safety >expect && test_cmp expect actual
'

test_expect_success 'the secret keys at hand, for -u' '
	cd "$REPO" &&
	comp pki-matrix -u ho >actual &&
	words hom2@mission.example hom@mission.example hoststate@mission.example >expect && test_cmp expect actual
'

test_expect_success 'files and directories where a tool takes them' '
	mkdir -p "$TRASH/files/sub" && cd "$TRASH/files" &&
	echo x >report.txt &&
	comp pki-matrix add x --key r >actual &&
	words report.txt >expect && test_cmp expect actual &&
	comp pki-matrix -C s >actual &&
	words sub >expect && test_cmp expect actual &&
	comp pki-init -m UNMISS s >actual &&
	words sub >expect && test_cmp expect actual
'

test_expect_success 'every option of every tool is offered' '
	cd "$REPO" &&
	for t in $TOOLS; do
		comp "$t" - >offered &&
		"$t" --help | sed -n "s/^usage: //p; s/^   or: //p" | tr "[]()|" "     " |
			tr " " "\n" | grep -E "^--?[A-Za-z0-9][-A-Za-z0-9]*$" | sort -u >usage &&
		for o in $(cat usage) -h --help --version; do
			grep -qx -- "$o" offered || { echo "$t: $o not offered"; return 1; }
		done
	done
'

if [ -f "$SRC/cmd/pki-classify.c" ] && [ -f "$SRC/cmd/pki-share.c" ]; then
	test_expect_success 'setup: two products and a delegation' '
		test_tick &&
		p1=$(echo one | as jmac pki-classify -C "$REPO" -e JMAC -l confidential -c b -a poc) &&
		test_tick &&
		p2=$(echo two | as jmac pki-classify -C "$REPO" -e JMAC) &&
		test_tick &&
		dlg=$(as hom pki-matrix -C "$REPO" delegate jmac --power share-external --ref M-1)
	'

	test_expect_success 'products come from git: pki-share ID, then principals' '
		cd "$REPO" &&
		comp pki-share "" >actual &&
		words "$p1" "$p2" >expect && test_cmp expect actual &&
		comp pki share "$p1" p >actual &&
		words police >expect && test_cmp expect actual &&
		comp pki cat "" >actual &&
		words "$p1" "$p2" >expect && test_cmp expect actual &&
		comp pki show "" >actual &&
		words "$p1" "$p2" >expect && test_cmp expect actual &&
		comp pki show "$p1" "" >actual && test ! -s actual &&
		cd "$TRASH" &&
		comp pki -C "$REPO" cat "" >actual &&
		words "$p1" "$p2" >expect && test_cmp expect actual &&
		cd "$REPO" &&
		comp pki-share --revoke "" >actual &&
		words "$p1" "$p2" >expect && test_cmp expect actual &&
		comp pki-share --revoke "$p1" a >actual &&
		words archives auditor >expect && test_cmp expect actual
	'

	test_expect_success 'pki-classify: levels, criteria, products, delegations' '
		cd "$REPO" &&
		comp pki-classify -l s >actual &&
		words strictly-confidential >expect && test_cmp expect actual &&
		comp pki-classify -c p >actual &&
		words personal-safety >expect && test_cmp expect actual &&
		comp pki-classify --change "" >actual &&
		words "$p1" "$p2" >expect && test_cmp expect actual &&
		comp pki-classify --change "$p1" -l confidential --authority "" >actual &&
		words "$dlg" >expect && test_cmp expect actual
	'

	test_expect_success 'pki-classify --change: the correction of a label, and areas' '
		cd "$REPO" &&
		comp pki-classify --change "$p1" --s >actual &&
		words --safety >expect && test_cmp expect actual &&
		comp pki-classify --change "$p1" --i >actual &&
		words --ir >expect && test_cmp expect actual &&
		comp pki-classify --change "$p1" -a f >actual &&
		words force-protection >expect && test_cmp expect actual
	'
fi

test_expect_success 'arrangements: kinds, partners, IDs; pki-share --medium' '
	cd "$REPO" &&
	comp pki-matrix arrange "" >actual &&
	words orcon hrddp legal consent >expect && test_cmp expect actual &&
	comp pki-matrix arrange orcon HO >actual &&
	words HOST >expect && test_cmp expect actual &&
	comp pki-matrix arrange orcon --r >actual &&
	words --ref --review >expect && test_cmp expect actual &&
	arr=$(as hom pki-matrix arrange hrddp FAMA --ref "RA 1") && test_tick &&
	comp pki-share x fama --hrddp "" >actual &&
	words "$arr" >expect && test_cmp expect actual &&
	comp pki-share x fama --arrangement "" >actual && test ! -s actual &&
	comp pki-matrix unarrange "" >actual &&
	words "$arr" >expect && test_cmp expect actual &&
	comp pki-share --medium "" >actual &&
	words paper oral display >expect && test_cmp expect actual
'

if [ -f "$SRC/cmd/pki-register.c" ]; then
	test_expect_success 'pki-register: actions and formats' '
		cd "$REPO" &&
		comp pki-register --action re >actual &&
		words receive reclassify relabel review revoke >expect && test_cmp expect actual &&
		comp pki-register --format "" >actual &&
		words csv tsv xml >expect && test_cmp expect actual
	'
fi

if [ -f "$SRC/cmd/pki-archive.c" ]; then
	test_expect_success 'pki-archive: periods around now' '
		cd "$REPO" &&
		y=$(date -u +%Y) &&
		comp pki-archive --period "" >actual &&
		words $((y - 1))H1 $((y - 1))H2 ${y}H1 ${y}H2 >expect && test_cmp expect actual
	'
	test_expect_success 'pki-archive --dispose: products; pki-classify --kind, --retention' '
		cd "$REPO" &&
		comp pki-archive --disp >actual &&
		words --dispose >expect && test_cmp expect actual &&
		comp pki-archive --dispose "" >actual &&
		git ls-files "products/*.xml" | sed "s,.*/,,; s,\.xml\$,," | sort >expect &&
		test -s expect && test_cmp expect actual &&
		comp pki-classify --kind "" >actual &&
		words material plan product >expect && test_cmp expect actual &&
		comp pki-classify --retention P1 >actual &&
		words P10Y P1Y >expect && test_cmp expect actual
	'
fi

if [ -f "$SRC/cmd/pki-ir.c" ]; then
	test_expect_success 'pki-ir: subcommands, kinds, owners, open requirements' '
		cd "$REPO" &&
		pir=$(echo wording | as hom pki-ir add -k pir --owner jmac) && test_tick &&
		sir=$(echo wording | as hom pki-ir add -k sir --parent "$pir" --owner jmac) &&
		test_tick &&
		as hom pki-ir close "$sir" --reason done && test_tick &&
		comp pki-ir "" >actual &&
		words add review close list coverage >expect && test_cmp expect actual &&
		comp pki-ir add -k "" >actual &&
		words pir sir eei >expect && test_cmp expect actual &&
		comp pki-ir add -p "" >actual &&
		words 1 2 3 >expect && test_cmp expect actual &&
		comp pki-ir add --owner j >actual &&
		words jmac >expect && test_cmp expect actual &&
		comp pki-ir add --parent "" >actual &&
		words "$pir" >expect && test_cmp expect actual &&
		comp pki-ir review "" >actual &&
		words "$pir" >expect && test_cmp expect actual &&
		comp pki-ir close x --r >actual &&
		words --reason >expect && test_cmp expect actual &&
		comp pki-ir coverage --format "" >actual &&
		words csv text >expect && test_cmp expect actual &&
		comp pki-classify --ir "" >actual &&
		words "$pir" >expect && test_cmp expect actual
	'
fi

if [ -f "$SRC/cmd/pki-sync.c" ]; then
	test_expect_success 'pki-sync: the remotes, directories, its options' '
		cd "$REPO" &&
		git remote add origin "$TRASH/central.git" &&
		git remote add disk /media/disk/mission.git &&
		comp pki-sync "" >actual &&
		grep -qx origin actual && grep -qx disk actual &&
		comp pki-sync o >actual && words origin >expect && test_cmp expect actual &&
		comp pki-sync --n >actual && words --no-push >expect && test_cmp expect actual &&
		comp pki sync di >actual && words disk >expect && test_cmp expect actual &&
		comp pki-sync origin "" >actual && test ! -s actual
	'
fi

if [ -f "$SRC/cmd/pki-audit.c" ]; then
	test_expect_success 'pki-audit: formats, and revisions for --since' '
		cd "$REPO" &&
		comp pki-audit --format "" >actual &&
		words text csv xml >expect && test_cmp expect actual &&
		comp pki-audit --since ma >actual &&
		words main >expect && test_cmp expect actual
	'
fi

test_expect_success 'pki-report: options, formats, periods' '
	cd "$REPO" &&
	comp pki-report --p >actual &&
	words --period >expect && test_cmp expect actual &&
	comp pki-report --format "" >actual &&
	words text csv xml html >expect && test_cmp expect actual &&
	y=$(date -u +%Y) &&
	comp pki report --period "" >actual &&
	words $((y - 1))H1 $((y - 1))H2 ${y}H1 ${y}H2 >expect && test_cmp expect actual &&
	comp pki-report --no >actual &&
	words --no-audit >expect && test_cmp expect actual
'

test_expect_success 'pki-list: its options, every kind, the formats' '
	comp pki-list --k >actual && words --kind >expect && test_cmp expect actual &&
	comp pki-list --kind "" >actual &&
	words product plan ir material >expect && test_cmp expect actual &&
	comp pki-list --format "" >actual &&
	words csv tsv text >expect && test_cmp expect actual
'

test_done
