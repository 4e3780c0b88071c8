#!/bin/sh
# pki-matrix undelegate: a delegation withdrawn before its end, by its
# grantor, a Head of Mission or a Chair; the grantee can no longer use it.
. "$(dirname "$0")/lib.sh"

# dlg_row ID: the delegation's row, as stock python reads it, "|"-joined.
dlg_row() {
	python3 - "$1" "$REPO/delegations.csv" <<-'PY'
	import csv, sys
	for r in csv.reader(open(sys.argv[2], newline="")):
	    if r[0] == sys.argv[1]:
	        print("|".join(r))
	PY
}

test_expect_success 'setup: jmac lets fc disseminate its poc products' '
	mission &&
	a1=$(echo one | as jmac pki-classify -C "$REPO" -l confidential -c c -a "poc;crime") &&
	test_tick &&
	a2=$(echo two | as jmac pki-classify -C "$REPO" -l confidential -c c -a "poc;crime") &&
	test_tick &&
	d=$(as jmac pki-matrix -C "$REPO" delegate fc --power disseminate --scope poc \
		--ref "JMAC note 1") && test_tick &&
	e=$(as jmac pki-matrix -C "$REPO" delegate fc --power disseminate --scope crime \
		--ref "JMAC note 2") && test_tick &&
	f=$(as hom pki-matrix -C "$REPO" delegate jmac --power share-external \
		--until 2026-06-30 --ref "HoM memo 2026/14") && test_tick &&
	as fc pki-share -C "$REPO" "$a1" police -j relay --authority "$d" && test_tick
'

test_expect_success 'refused: no --ref, the instrument of the withdrawal (64)' '
	expect_refusal 64 as jmac pki-matrix -C "$REPO" undelegate "$d" &&
	grep -q "needs --ref" err &&
	expect_refusal 64 as jmac pki-matrix -C "$REPO" undelegate "$d" --ref ""
'

test_expect_success 'refused: no such delegation (66)' '
	expect_refusal 66 as jmac pki-matrix -C "$REPO" undelegate DLG-0000000000 --ref x &&
	grep -q "no delegation .DLG-0000000000." err
'

test_expect_success 'refused: the grantee, another member, the auditor (77)' '
	expect_refusal 77 as fc pki-matrix -C "$REPO" undelegate "$d" --ref x &&
	grep -q "only its grantor, the Head of Mission and the Chair withdraw it (policy 9.8, 11.4.1)" err &&
	expect_refusal 77 as police pki-matrix -C "$REPO" undelegate "$d" --ref x &&
	expect_refusal 77 as auditor pki-matrix -C "$REPO" undelegate "$d" --ref x
'

test_expect_success 'the grantor withdraws it: valid_until is now, the grant keeps its reference' '
	before=$(git -C "$REPO" rev-parse HEAD) &&
	as jmac pki-matrix -C "$REPO" undelegate "$d" --ref "JMAC note 9" &&
	test "$(git -C "$REPO" rev-list --count "$before..HEAD")" -eq 1 &&
	git -C "$REPO" show --stat --format= HEAD >files &&
	test "$(grep -c "|" files)" -eq 1 && grep -q delegations.csv files &&
	git -C "$REPO" log -1 --format=%B >msg &&
	grep -qx "Pki-Action: matrix-undelegate" msg &&
	grep -qx "Pki-Delegation: $d" msg &&
	grep -qx "Pki-Reference: JMAC note 9" msg &&
	grep -qx "Pki-Actor: jmac" msg &&
	test "$(dlg_row "$d")" = "$d|jmac|fc|disseminate|poc|2026-03-02|$PKI_DATE|JMAC note 1" &&
	test_tick
'

test_expect_success 'the grantee can no longer use it (77)' '
	expect_refusal 77 as fc pki-share -C "$REPO" "$a2" police -j relay --authority "$d" &&
	grep -q "delegation .$d. expired at" err
'

test_expect_success 'refused: a delegation already ended (65)' '
	expect_refusal 65 as jmac pki-matrix -C "$REPO" undelegate "$d" --ref x &&
	grep -q "ended at" err
'

test_expect_success 'the Chair withdraws a member'"'"'s, the Head of Mission its own' '
	as chair pki-matrix -C "$REPO" undelegate "$e" --ref "CMPIC minute 4" && test_tick &&
	as hom pki-matrix -C "$REPO" undelegate "$f" --ref "HoM memo 2026/15" && test_tick &&
	dlg_row "$e" | grep -q "|JMAC note 2\$" &&
	expect_refusal 77 as fc pki-share -C "$REPO" "$a2" police -j relay &&
	dlg_row "$f" | grep -q "|HoM memo 2026/14\$" &&
	expect_refusal 77 as jmac pki-share -C "$REPO" "$a1" unct -j "UNCT" -o "$TRASH/x.gpg"
'

test_expect_success 'the audit accepts every withdrawal, and every commit verifies' '
	pki-audit -C "$REPO" >out 2>err &&
	test ! -s out && test ! -s err &&
	verify_history
'

test_done
