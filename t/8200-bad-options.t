#!/bin/sh
# Bad input on the command line (pki(7), "Safe with bad input"): every
# option and argument of every tool, given words it does not know, dates
# that do not exist, IDs and names with '/' or '..', control characters,
# invalid UTF-8 and over-long values.  Each is a usage error (64) on one
# line of printable ASCII, before anything changes; files that cannot be
# read are 66 (or 65 when they hold no key).  Each test checks at its end
# that nothing it tried changed the repository.
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-bad.sh"

K=$FIXTURES/keys
IN=$TRASH/in

test_expect_success 'setup: a mission and a product' '
	mission &&
	echo "patrol report" >"$IN" &&
	P=$(as jmac pki-classify -C "$REPO" -l confidential -c c -a poc "$IN") &&
	test -n "$P" &&
	test_tick
'

test_expect_success 'every tool: unknown options, missing arguments, stray words (64)' '
	before=$(repo_state) &&
	for c in pki-init pki-matrix pki-classify pki-register pki-share pki-audit pki-archive; do
		refused 64 as hom $c -C "$REPO" --no-such-option || return 1
	done &&
	refused 64 as jmac pki-classify -C "$REPO" -l &&
	refused 64 as jmac pki-classify -C "$REPO" "$IN" "$IN" &&
	refused 64 as jmac pki-classify -C "$REPO" --change "$P" "$IN" &&
	refused 64 as jmac pki-share -C "$REPO" "$P" &&
	refused 64 as jmac pki-share -C "$REPO" &&
	refused 64 as jmac pki-share -C "$REPO" --revoke "$P" fc -o x &&
	refused 64 as hom pki-matrix -C "$REPO" &&
	refused 64 as hom pki-matrix -C "$REPO" frobnicate &&
	refused 64 as hom pki-matrix -C "$REPO" list extra &&
	refused 64 pki-audit -C "$REPO" extra &&
	refused 64 as archives pki-archive -C "$REPO" &&
	refused 64 as archives pki-archive -C "$REPO" --due --final -o . &&
	refused 64 pki-register -C "$REPO" extra &&
	refused 64 as hom pki-init -m UNMISS a b &&
	refused 64 pki &&
	refused 64 pki frobnicate &&
	grep -q "^pki: .frobnicate. is not a pki command" err &&
	refused 64 pki ../bin/sh &&
	refused 64 pki "$bad_esc" &&
	refused 64 pki --no-such-option &&
	unchanged
'

test_expect_success 'option errors say what was wrong, by the tool'"'"'s name, control characters shown as ?' '
	refused 64 pki-classify --no-such-option &&
	test "$(cat err)" = "pki-classify: unknown option '"'"'--no-such-option'"'"' (see '"'"'pki-classify --help'"'"')" &&
	refused 64 pki-classify -C "$REPO" -l &&
	grep -qx "pki-classify: option .-l. needs a value (see .pki-classify --help.)" err &&
	refused 64 pki-share --output &&
	grep -qx "pki-share: option .--output. needs a value (see .pki-share --help.)" err &&
	refused 64 pki-audit --help=yes &&
	grep -qx "pki-audit: option .--help. takes no value (see .pki-audit --help.)" err &&
	refused 64 pki-matrix -Z &&
	grep -qx "pki-matrix: unknown option .-Z. (see .pki-matrix --help.)" err &&
	refused 64 pki-archive "--x$bad_esc" &&
	! grep -q "$(printf "\033")" err &&
	grep -q "^pki-archive: unknown option .--xa?\[2Jb. " err
'

test_expect_success '-C that is no directory (66), -u that is no key (69) or several (64)' '
	before=$(repo_state) &&
	refused 66 as jmac pki-classify -C "$TRASH/nowhere" "$IN" &&
	refused 66 as jmac pki-classify -C "$IN" "$IN" &&
	refused 66 pki-audit -C "$TRASH/nowhere" &&
	refused 69 pki-classify -C "$REPO" -u 0000000000000000000000000000000000000000 "$IN" &&
	refused 69 pki-classify -C "$REPO" -u nosuchkey "$IN" &&
	refused 64 pki-classify -C "$REPO" -u mission.example "$IN" &&
	grep -q "more than one key matches" err &&
	unchanged
'

test_expect_success 'levels, criteria and every other word list (64)' '
	before=$(repo_state) &&
	for l in secret Confidential "confidential " "" "$bad_esc" "$bad_byte"; do
		refused 64 as jmac pki-classify -C "$REPO" -l "$l" -c c "$IN" &&
		refused 64 as chair pki-register -C "$REPO" --receive --from X -l "$l" -c a "$IN" &&
		refused 64 as jmac pki-classify -C "$REPO" --change "$P" -l "$l" &&
		refused 64 as hom pki-matrix -C "$REPO" add police --clearance "$l" || return 1
	done &&
	for c in z cc C "" 1 "$bad_nl"; do
		refused 64 as jmac pki-classify -C "$REPO" -l confidential -c "$c" "$IN" &&
		refused 64 as chair pki-register -C "$REPO" --receive --from X -l confidential \
			-c "$c" "$IN" || return 1
	done &&
	refused 64 as jmac pki-classify -C "$REPO" -l unclassified -c c "$IN" &&
	refused 64 as hom pki-matrix -C "$REPO" add x --key "$K/mallory.pub.asc" --entity X \
		--type martian --role member --clearance confidential &&
	refused 64 as hom pki-matrix -C "$REPO" add x --key "$K/mallory.pub.asc" --entity X \
		--type mission --role king --clearance confidential &&
	refused 64 as hom pki-matrix -C "$REPO" delegate jmac --power fly --ref x &&
	refused 64 as hom pki-init -m UNMISS --role "$bad_esc" "$TRASH/new" &&
	refused 64 pki-matrix -C "$REPO" list --format yaml &&
	refused 64 pki-register -C "$REPO" --format json &&
	refused 64 pki-register -C "$REPO" --action "$bad_c1" &&
	refused 64 pki-audit -C "$REPO" --format "" &&
	for p in 2026H3 2026h1 2026 H1 1969H1 10000H1 "" "2026H1 " "$bad_tab"; do
		refused 64 as archives pki-archive -C "$REPO" --period "$p" -o . || return 1
	done &&
	unchanged
'

test_expect_success 'dates that do not exist or are not ISO 8601 UTC (64)' '
	before=$(repo_state) &&
	for d in 2026-02-30 2026-13-01 2026-00-10 2026-1-1 26-01-01 99999-01-01 \
		2026-01-01T25:00:00Z 2026-01-01T12:60:00Z 2026-01-01T00:00:00+02:00 \
		2026-01-01T00:00:00 2026-01-01Z tomorrow "" " 2026-01-01" "2026-01-01 " \
		"$bad_nl" "$bad_surrogate" "$bad_long"; do
		refused 64 as jmac pki-classify -C "$REPO" -l confidential -c c --review "$d" "$IN" &&
		refused 64 as hom pki-matrix -C "$REPO" add police --until "$d" &&
		refused 64 pki-audit -C "$REPO" --at "$d" ||
			{ echo "with the date: $d"; return 1; }
	done &&
	for d in 2026-02-30 "$bad_esc"; do
		refused 64 pki-register -C "$REPO" --since "$d" &&
		refused 64 pki-register -C "$REPO" --until "$d" &&
		refused 64 as hom pki-matrix -C "$REPO" add police --from "$d" &&
		refused 64 as hom pki-matrix -C "$REPO" delegate jmac --power disseminate \
			--until "$d" --ref x &&
		refused 64 pki-matrix -C "$REPO" list --at "$d" || return 1
	done &&
	for d in garbage 2026-02-30 "2026-01-01T00:00:00+02:00" "$bad_esc"; do
		(PKI_DATE=$d && export PKI_DATE &&
		 refused 64 as jmac pki-classify -C "$REPO" -l confidential -c c "$IN") || return 1
	done &&
	unchanged
'

test_expect_success 'product IDs with /, .., wrong shapes, control characters (64)' '
	before=$(repo_state) &&
	for id in ../x "products/../x" "$P/../x" "../../etc/passwd" UNMISS-OSRSG-2026-00001 \
		UNMISS-OSRSG-2026-0000001 unmiss-osrsg-2026-000001 UNMISS-OSRSG-26-000001 \
		UNMISSUNMISSUNMISS-OSRSG-2026-000001 "$P " "" \
		"$bad_esc" "$bad_byte" "$bad_long"; do
		refused 64 as jmac pki-share -C "$REPO" "$id" fc &&
		refused 64 as jmac pki-share -C "$REPO" --revoke "$id" fc &&
		refused 64 as jmac pki-classify -C "$REPO" --change "$id" -l unclassified &&
		refused 64 pki-register -C "$REPO" --product "$id" ||
			{ echo "with the ID: $id"; return 1; }
	done &&
	unchanged
'

test_expect_success 'principal names with /, .., capitals, controls, over-long (64)' '
	before=$(repo_state) &&
	for n in ../fc fc/x x..y .fc -fc FC "" "fc " "$bad_esc" "$bad_byte" "$bad_c1" \
		"$(printf "f\303\251")" "$bad_long"; do
		refused 64 as jmac pki-share -C "$REPO" "$P" "$n" &&
		refused 64 as hom pki-matrix -C "$REPO" add "$n" --key "$K/mallory.pub.asc" \
			--entity X --type mission --role member --clearance confidential &&
		refused 64 as hom pki-matrix -C "$REPO" remove "$n" &&
		refused 64 as hom pki-matrix -C "$REPO" delegate "$n" --power disseminate --ref x &&
		refused 64 as hom pki-init -m UNMISS -p "$n" "$TRASH/new" ||
			{ echo "with the name: $n"; return 1; }
	done &&
	refused 64 as jmac pki-share -C "$REPO" --revoke "$P" ../fc &&
	test ! -e "$TRASH/new" &&
	unchanged
'

test_expect_success 'entity and mission codes, areas, scopes (64)' '
	before=$(repo_state) &&
	for e in unmiss "UN/X" ../X "UN X" ABCDEFGHIJKLMNOPQ "" "$bad_esc" "$bad_byte"; do
		refused 64 as hom pki-init -m "$e" "$TRASH/new" &&
		refused 64 as hom pki-init -m UNMISS -e "$e" "$TRASH/new" &&
		refused 64 as jmac pki-classify -C "$REPO" -e "$e" "$IN" &&
		refused 64 as chair pki-register -C "$REPO" --receive --from X -l unclassified \
			-e "$e" "$IN" &&
		refused 64 as hom pki-matrix -C "$REPO" add police --entity "$e" ||
			{ echo "with the code: $e"; return 1; }
	done &&
	for a in "Bad Area" "a;;b" "a/b" ../x ";a" "a;" "-a" "$(seq -s";" -f "a%g" 65)" \
		"$(printf "%049d" 0)" "$bad_esc" "$bad_byte"; do
		refused 64 as jmac pki-classify -C "$REPO" -a "$a" "$IN" &&
		refused 64 as chair pki-register -C "$REPO" --receive --from X -l unclassified \
			-a "$a" "$IN" &&
		refused 64 as hom pki-matrix -C "$REPO" add police --areas "$a" &&
		refused 64 as hom pki-matrix -C "$REPO" delegate jmac --power disseminate \
			--scope "$a" --ref x ||
			{ echo "with the areas: $a"; return 1; }
	done &&
	test ! -e "$TRASH/new" &&
	unchanged
'

# Free text: what a field may hold is bounded and printable.  Every
# field with three bad values, the justification with all of them.
free_text() {
	refused 64 as hom pki-share -C "$REPO" "$P" fama -j x --hrddp "$v" --arrangement x &&
	refused 64 as hom pki-share -C "$REPO" "$P" hoststate -j x --arrangement "$v" &&
	refused 64 as hom pki-share -C "$REPO" "$P" hoststate -j x --arrangement x --consent "$v" &&
	refused 64 as jmac pki-share -C "$REPO" "$P" fc --authority "$v" &&
	refused 64 as chair pki-register -C "$REPO" --receive --from "$v" -l unclassified "$IN" &&
	refused 64 as chair pki-register -C "$REPO" --receive --from X --via "$v" -l unclassified "$IN" &&
	refused 64 as chair pki-register -C "$REPO" --receive --from X --ref "$v" -l unclassified "$IN" &&
	refused 64 as jmac pki-classify -C "$REPO" --ir "$v" "$IN" &&
	refused 64 as jmac pki-classify -C "$REPO" --change "$P" -l strictly-confidential \
		--authority "$v" &&
	refused 64 as hom pki-matrix -C "$REPO" delegate jmac --power disseminate --ref "$v" &&
	refused 64 as hom pki-init -m UNMISS -n "$v" "$TRASH/new"
}

justification() {
	refused 64 as jmac pki-share -C "$REPO" "$P" fc -j "$v"
}

test_expect_success 'free text with controls, line breaks, invalid UTF-8, over-long (64)' '
	before=$(repo_state) &&
	for v in "$bad_esc" "$bad_overlong" "$bad_long"; do
		free_text || return 1
	done &&
	each_bad v justification &&
	test ! -e "$TRASH/new" &&
	unchanged
'

test_expect_success 'a revision to audit from: unknown, or holding control characters (64)' '
	refused 64 pki-audit -C "$REPO" --since nosuchrev &&
	refused 64 pki-audit -C "$REPO" --since "$bad_esc" &&
	refused 64 pki-audit -C "$REPO" --since "HEAD$bad_c1"
'

test_expect_success 'input files that are missing, directories or empty (66)' '
	before=$(repo_state) &&
	refused 66 as jmac pki-classify -C "$REPO" "$TRASH/nowhere" &&
	refused 66 as jmac pki-classify -C "$REPO" "$TRASH" &&
	refused 66 as jmac pki-classify -C "$REPO" /dev/null &&
	: >empty &&
	refused 66 as jmac pki-classify -C "$REPO" - <empty &&
	refused 66 as chair pki-register -C "$REPO" --receive --from X -l unclassified - <empty &&
	unchanged
'

test_expect_success 'key files: missing (66), a directory, too large, NUL bytes, no key (65)' '
	before=$(repo_state) &&
	printf "abc\000def" >nul.asc &&
	echo "-----BEGIN PGP PUBLIC KEY BLOCK-----" >cut.asc &&
	head -c 1100000 /dev/zero >big.asc &&
	refused 66 as hom pki-matrix -C "$REPO" add x --key "$TRASH/nowhere.asc" --entity X \
		--type mission --role member --clearance confidential &&
	for f in "$TRASH" "$TRASH/nul.asc" "$TRASH/cut.asc" "$TRASH/big.asc" /dev/null; do
		refused 65 as hom pki-matrix -C "$REPO" add x --key "$f" --entity X \
			--type mission --role member --clearance confidential ||
			{ echo "with the key file: $f"; return 1; }
	done &&
	unchanged
'

test_expect_success 'nothing refused changed the repository; it audits clean' '
	test "$(git -C "$REPO" rev-list --count HEAD)" = 12 &&
	verify_history &&
	pki-audit -C "$REPO"
'

test_done
