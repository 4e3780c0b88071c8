#!/bin/sh
# pki-audit warns about who is on the lists at the tip: a classified
# product whose list lacks a valid hom, chair or archives principal
# (A405, a handover made without pki-matrix succeed), and a principal
# whose validity has ended still on lists (A406, with the count).
# Warnings: exit 0, and 1 with --strict.
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-audit.sh"

# warned CODE N: the findings hold N warnings CODE and no error.
warned() {
	test "$(grep -c "^warning $1 " "$TRASH/findings")" -eq "$2" &&
	! grep -q "^error " "$TRASH/findings"
}

# audit_warns: pki-audit of the clone exits 0, and 1 with --strict.
audit_warns() {
	pki-audit -C "$TRASH/c" >"$TRASH/findings" 2>"$TRASH/err"
	_rc=$?
	cat "$TRASH/findings" "$TRASH/err"
	[ $_rc -eq 0 ] || { echo "pki-audit exited $_rc, wanted 0"; return 1; }
	test_expect_code 1 pki-audit -C "$TRASH/c" --strict >/dev/null 2>&1
}

# end_by_hand NAME: NAME's validity ends on 2026-03-03, in the clone's
# matrix, edited as a text file.
end_by_hand() {
	sed -i "/^$1,/s/,\(\r\?\)\$/,2026-03-03\1/" "$TRASH/c/access-matrix.csv" &&
	grep -q "^$1,.*,2026-03-03\$" "$TRASH/c/access-matrix.csv"
}

# newcomer ROLE ENTITY: the hom adds mallory in the clone, in ROLE, on
# no existing list.
newcomer() {
	as hom pki-matrix -C "$TRASH/c" add mallory --key "$FIXTURES/keys/mallory.pub.asc" \
		--entity "$2" --type mission --role "$1" --clearance strictly-confidential \
		--areas "*"
}

test_expect_success 'setup: a mission with every kind of change' '
	history
'

test_expect_success 'a new Chair, the old one removed without succeed: A405 per classified product' '
	tamper &&
	newcomer chair CMPIC &&
	test_tick &&
	as hom pki-matrix -C "$TRASH/c" remove chair &&
	test_tick &&
	audit_warns &&
	warned A405 3 &&
	warned A406 0 &&
	grep -q "^warning A405 $A: .*lacks a valid chair" findings &&
	grep -q "^warning A405 $X: " findings &&
	! grep -q "^warning A405 $U: " findings
'

test_expect_success 'the Chair ended by hand in the matrix: A405, and A406 with its count' '
	tamper &&
	newcomer chair CMPIC &&
	test_tick 172800 &&
	end_by_hand chair &&
	git_as hom -C "$TRASH/c" commit -q -S -am "end the chair" &&
	audit_warns &&
	warned A405 3 &&
	warned A406 1 &&
	grep -q "^warning A406 chair: .*list of 4 products" findings
'

test_expect_success 'a member ended by hand, still on lists: A406 alone' '
	tamper &&
	test_tick 172800 &&
	end_by_hand jmac &&
	git_as hom -C "$TRASH/c" commit -q -S -am "end jmac" &&
	audit_warns &&
	warned A406 1 &&
	warned A405 0 &&
	grep -q "^warning A406 jmac: .*list of 2 products" findings
'

test_expect_success 'the Head of Mission ended by hand, a new one on no list: A405 lacks a hom' '
	tamper &&
	newcomer hom OSRSG &&
	test_tick 172800 &&
	end_by_hand hom &&
	git_as mallory -C "$TRASH/c" commit -q -S -am "end the hom" &&
	audit_warns &&
	warned A405 3 &&
	grep -q "^warning A405 $B: .*lacks a valid hom" findings &&
	grep -q "^warning A406 hom: " findings
'

test_done
