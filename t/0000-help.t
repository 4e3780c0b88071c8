#!/bin/sh
# Every tool: --help, --version, a usage error, a man page whose SYNOPSIS
# is the usage; every man page lints clean and has the sections it needs.
. "$(dirname "$0")/lib.sh"

DOC=$SRC/doc
TOOLS=$(cd "$SRC/cmd" && ls *.c | sed 's/\.c$//')

# synopsis_of PAGE NAME: the SYNOPSIS of a man page, one line per mode, as
# groff renders it on a page too wide to wrap.
synopsis_of() {
	groff -mandoc -Tascii -P-c -P-b -P-u -rLL=1000n "$1" 2>/dev/null |
	awk -v name="$2" '
		/^SYNOPSIS$/ { on = 1; next }
		on && /^[A-Z]/ { exit }
		on && NF {
			sub(/^ +/, "")
			if (index($0, name " ") == 1 || $0 == name) {
				if (line != "") print line
				line = $0
			} else
				line = line " " $0
		}
		END { if (line != "") print line }'
}

# usage_of TOOL: the "usage:" and "or:" lines of TOOL --help.
usage_of() {
	"$1" --help | awk '
		NR == 1 && sub(/^usage: /, "") { print; next }
		NR > 1 && sub(/^   or: /, "") { print; next }
		{ exit }'
}

# sections_of PAGE: the section headings of an mdoc source.
sections_of() {
	sed -n 's/^\.Sh  *//p' "$1" | tr -d '"'
}

for t in $TOOLS; do
	test_expect_success "$t --help: usage on stdout, exit 0, nothing on stderr" '
		"$t" --help >out 2>err &&
		test ! -s err &&
		head -1 out | grep -q "^usage: $t\( \|$\)"
	'

	test_expect_success "$t --help describes each option of its usage, one line each" '
		"$t" --help >out &&
		usage_of "$t" >usage &&
		awk "/^Options:\$/ { on = 1; next } /^[A-Z]/ { on = 0 } on" out >options &&
		test -s options &&
		grep -oE -- "(^|[][ |])--?[A-Za-z][A-Za-z-]*" usage | sed "s/^[][ |]//" | sort -u >opts &&
		test -s opts &&
		while read -r o; do
			grep -qE -- "^ +([^ ]+, )?$o([ ,=]|\$)" options ||
				{ echo "$t --help does not describe $o"; return 1; }
		done <opts
	'

	test_expect_success "$t -h is --help" '
		"$t" -h >out.h && "$t" --help >out.help && test_cmp out.help out.h
	'

	test_expect_success "$t --version" '
		"$t" --version >out 2>err &&
		test ! -s err &&
		grep -qx "$t [0-9][0-9.]*[^ ]*" out
	'

	test_expect_success "$t: an unknown option is a usage error, one line, 64" '
		test_expect_code 64 "$t" --no-such-option >out 2>err &&
		test ! -s out &&
		test "$(wc -l <err)" -eq 1
	'

	test_expect_success "$t has a man page whose SYNOPSIS is its usage" '
		test -f "$DOC/$t.1" &&
		usage_of "$t" >usage &&
		test -s usage &&
		synopsis_of "$DOC/$t.1" "$t" >synopsis &&
		test_cmp usage synopsis
	'
done

test_expect_success 'pki --help lists every tool, and pki.1 names each' '
	pki --help >out &&
	for t in $TOOLS; do
		test "$t" = pki && continue
		grep -q "^   ${t#pki-} " out || { echo "pki --help lacks $t"; return 1; }
		grep -q "^\.Xr $t 1" "$DOC/pki.1" || { echo "pki.1 lacks $t"; return 1; }
	done
'

test_expect_success '--help lists the values: levels, criteria a-g, roles, types, powers' '
	pki-classify --help >out &&
	for w in unclassified confidential strictly-confidential third-party-confidence \
		personal-safety operations-security legal-privilege deliberative commercial other; do
		grep -q -- "$w" out || { echo "pki-classify --help lacks $w"; return 1; }
	done &&
	for c in a b c d e f g; do
		grep -qE "^    $c +[a-z-]+: " out || { echo "no criterion $c"; return 1; }
	done &&
	pki-matrix --help >out &&
	for w in hom chair member undss archives auditor external mission non-un \
		security-force share-external disseminate declassify successor; do
		grep -q -- "$w" out || { echo "pki-matrix --help lacks $w"; return 1; }
	done &&
	pki-register --help | grep -q "csv (the default), tsv or xml" &&
	pki-audit --help >out && ! grep -q "^  -u KEY" out
'

test_expect_success 'pki runs the tool it names' '
	pki matrix --version >out &&
	grep -q "^pki-matrix " out &&
	test_expect_code 64 pki no-such-tool 2>err &&
	grep -q "not a pki command" err
'

for m in "$DOC"/*.[157]; do
	page=${m##*/}
	test_expect_success "$page lints clean (groff -ww -z -mdoc)" '
		groff -ww -z -mdoc "$m" >out 2>&1 &&
		test ! -s out
	'

	test_expect_success "$page renders on 80 columns without a warning" '
		groff -ww -mandoc -Tascii -rLL=78n "$m" 2>err >/dev/null &&
		test ! -s err
	'

	test_expect_success "$page has the sections it needs" '
		sections_of "$m" >sections &&
		need="NAME DESCRIPTION EXAMPLES SEE ALSO" &&
		case $page in *.1) need="NAME SYNOPSIS DESCRIPTION OPTIONS ENVIRONMENT EXIT STATUS EXAMPLES SEE ALSO" ;; esac &&
		for s in NAME SYNOPSIS DESCRIPTION OPTIONS ENVIRONMENT "EXIT STATUS" EXAMPLES "SEE ALSO"; do
			case " $need " in *" $s "*) ;; *) continue ;; esac
			grep -qx "$s" sections || { echo "$page: no $s section"; return 1; }
		done
	'

	test_expect_success "$page: its .Dt and file name agree" '
		dt=$(sed -n "s/^\.Dt  *\([^ ]*\)  *\([0-9]\).*/\1.\2/p" "$m" | tr "[:upper:]" "[:lower:]") &&
		test "$dt" = "$page"
	'
done

# A page referred to must exist once the tool that owns it is there
# (pki-files.5 comes with pki-classify).
test_expect_success 'every .Xr to a pki page that should exist does' '
	for ref in $(cat "$DOC"/*.[157] | sed -n "s/^\.Xr  *\(pki[a-z-]*\)  *\([0-9]\).*/\1.\2/p" | sort -u); do
		test -f "$DOC/$ref" && continue
		owner=${ref%.*}
		test "$owner" = pki-files && owner=pki-classify
		test -f "$SRC/cmd/$owner.c" || { say "skip $ref: $owner is not written yet"; continue; }
		echo "no page $ref"
		return 1
	done
'

test_done
