#!/bin/sh
# The register of written arrangements: pki-matrix arrange and unarrange,
# and pki-share --arrangement, --hrddp and --consent naming its rows
# (pki-matrix(1), pki-share(1); policy 11.4.3, 11.4.4, 12.6.10).
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-product.sh"
. "$TEST_DIRECTORY/lib-share.sh"

J="mandate: protection of civilians, S/RES/2729 (2024) para 5"

# arr ID COLUMN: a column of a row of arrangements.csv, read with Python's csv.
arr() {
	python3 - "$1" "$2" "$REPO/arrangements.csv" <<-\EOF
	import csv, sys
	hits = [r for r in csv.DictReader(open(sys.argv[3], newline="")) if r["arrangement"] == sys.argv[1]]
	if len(hits) != 1:
	    sys.exit("%d rows for %s" % (len(hits), sys.argv[1]))
	print(hits[0][sys.argv[2]])
	EOF
}

test_expect_success 'setup: a mission, a product and a received one' '
	mission &&
	P=$(echo "armed group movements" | as fc pki-classify -C "$REPO" -l confidential -c c \
		-a force-protection) && test_tick &&
	PO=$(echo "member state assessment" | as jmac pki-register -C "$REPO" --receive \
		--from "Member State A" --ref MS-A/77 -l confidential -c a -a poc) && test_tick
'

test_expect_success 'without a register, references are free text, judged as before' '
	test ! -e "$REPO/arrangements.csv" &&
	as hom pki-share -C "$REPO" "$P" hoststate -j "$J" --arrangement "MoU UNMISS-HS 2025/3" \
		-o "$TRASH/free.gpg" && test_tick &&
	test "$(field export "$P" hoststate arrangement)" = "MoU UNMISS-HS 2025/3"
'

test_expect_success 'refused: only the Head of Mission or the Chair arrange (policy 11.4.3)' '
	expect_refusal 77 as jmac pki-matrix -C "$REPO" arrange orcon HOST --ref "MoU 1" &&
	grep -q "only the Head of Mission or the Chair keep the register of arrangements (policy 11.4.3, 12.10)" err &&
	expect_refusal 77 as fc pki-matrix -C "$REPO" arrange hrddp fama --ref "RA 1"
'

test_expect_success 'refused: a partner the matrix does not know; usage errors' '
	expect_refusal 77 as hom pki-matrix -C "$REPO" arrange orcon NOBODY --ref "MoU 1" &&
	grep -q "neither a principal nor the entity of one" err &&
	expect_refusal 64 as hom pki-matrix -C "$REPO" arrange treaty HOST --ref "MoU 1" &&
	expect_refusal 64 as hom pki-matrix -C "$REPO" arrange orcon HOST &&
	expect_refusal 64 as hom pki-matrix -C "$REPO" arrange orcon HOST --ref "MoU" --until 2026-01-01 &&
	expect_refusal 64 as hom pki-matrix -C "$REPO" arrange orcon --ref "MoU" &&
	expect_refusal 64 as hom pki-matrix -C "$REPO" list --review 2026-05-01
'

test_expect_success 'the Head of Mission and the Chair record arrangements; each prints its ID' '
	ORC=$(as hom pki-matrix -C "$REPO" arrange orcon HOST --ref "MoU UNMISS-HS 2026/1") &&
	test_tick &&
	echo "$ORC" | grep -qx "ARR-[0-9a-f]\{10\}" &&
	HR=$(as chair pki-matrix -C "$REPO" arrange hrddp fama --ref "HRDDP RA 2026/01" \
		--review 2026-03-20) && test_tick &&
	CON=$(as hom pki-matrix -C "$REPO" arrange consent hoststate --ref "MS-A letter 12") &&
	test_tick &&
	FO=$(as hom pki-matrix -C "$REPO" arrange orcon fama --ref "MoU FAMA" --until 2026-03-10) &&
	test_tick &&
	LEG=$(as hom pki-matrix -C "$REPO" arrange legal HOST --ref "OLA advice 2026/4") &&
	test_tick &&
	head -1 "$REPO/arrangements.csv" | tr -d "\r\"" |
		grep -qx "arrangement,kind,partner,reference,valid_from,valid_until,review_due" &&
	test "$(arr "$ORC" kind)" = orcon && test "$(arr "$ORC" partner)" = HOST &&
	test "$(arr "$ORC" reference)" = "MoU UNMISS-HS 2026/1" &&
	test "$(arr "$ORC" valid_from)" = 2026-03-02 && test -z "$(arr "$ORC" valid_until)" &&
	test "$(arr "$HR" review_due)" = 2026-03-20 && test "$(arr "$FO" valid_until)" = 2026-03-10 &&
	git -C "$REPO" log -1 --format=%B | grep -qx "Pki-Arrangement: $LEG" &&
	git -C "$REPO" log -1 --format=%B | grep -qx "Pki-Action: matrix-arrange" &&
	git -C "$REPO" log -1 --format=%ae | grep -q "^hom@"
'

test_expect_success 'an export under a registered arrangement, recorded with its ID' '
	as hom pki-share -C "$REPO" "$P" hoststate -j "$J" --arrangement "$ORC" \
		-o "$TRASH/c1.gpg" && test_tick &&
	python3 -c "
import csv, sys, glob
rows = [r for f in glob.glob(\"$REPO/registry/*.csv\") for r in csv.DictReader(open(f, newline=\"\"))
        if r[\"action\"] == \"export\" and r[\"arrangement\"] == \"$ORC\"]
assert len(rows) == 1, rows
" &&
	as hom pki-share -C "$REPO" "$P" fama -j "$J" --arrangement "$FO" --hrddp "$HR" \
		-o "$TRASH/c2.gpg" && test_tick &&
	test "$(field export "$P" fama hrddp)" = "$HR" &&
	as hom pki-share -C "$REPO" "$PO" hoststate -j "$J" --arrangement "$ORC" --consent "$CON" \
		-o "$TRASH/c3.gpg" && test_tick &&
	test "$(field export "$PO" hoststate reference)" = "$CON"
'

test_expect_success 'refused once the register exists: free text, an unknown ID (policy 11.4.3)' '
	expect_refusal 77 as hom pki-share -C "$REPO" "$P" hoststate -j "$J" \
		--arrangement "MoU UNMISS-HS 2025/3" -o "$TRASH/r1.gpg" &&
	grep -q "names no arrangement of the register (arrangements.csv; policy 11.4.3)" err &&
	test ! -e "$TRASH/r1.gpg" &&
	expect_refusal 77 as hom pki-share -C "$REPO" "$P" hoststate -j "$J" \
		--arrangement ARR-0000000000 -o "$TRASH/r1.gpg" &&
	expect_refusal 77 as hom pki-share -C "$REPO" "$P" fama -j "$J" --arrangement "$FO" \
		--hrddp ARR-0000000000 -o "$TRASH/r1.gpg" &&
	grep -q "policy 11.4.4" err
'

test_expect_success 'refused: an arrangement of the wrong kind' '
	expect_refusal 77 as hom pki-share -C "$REPO" "$P" hoststate -j "$J" --arrangement "$LEG" \
		-o "$TRASH/r2.gpg" &&
	grep -q "arrangement .$LEG. is legal, not orcon (--arrangement, policy 11.4.3)" err &&
	expect_refusal 77 as hom pki-share -C "$REPO" "$P" fama -j "$J" --arrangement "$FO" \
		--hrddp "$FO" -o "$TRASH/r2.gpg" &&
	grep -q "is orcon, not hrddp (--hrddp, policy 11.4.4)" err &&
	expect_refusal 77 as hom pki-share -C "$REPO" "$PO" hoststate -j "$J" --arrangement "$ORC" \
		--consent "$ORC" -o "$TRASH/r2.gpg"
'

test_expect_success 'refused: an arrangement with another partner' '
	expect_refusal 77 as hom pki-share -C "$REPO" "$P" fama -j "$J" --arrangement "$ORC" \
		--hrddp "$HR" -o "$TRASH/r3.gpg" &&
	grep -q "arrangement .$ORC. is with .HOST., not with .fama. or its entity .FAMA. (policy 11.4.3)" err
'

test_expect_success 'refused: an arrangement that has ended (policy 11.4.3)' '
	test_tick $((9 * 86400)) &&
	expect_refusal 77 as hom pki-share -C "$REPO" "$P" fama -j "$J" --arrangement "$FO" \
		--hrddp "$HR" -o "$TRASH/r4.gpg" &&
	grep -q "arrangement .$FO. ended at 2026-03-11T00:00:00Z (policy 11.4.3)" err
'

test_expect_success 'unarrange ends one now; refused after, and by others than hom or chair' '
	expect_refusal 77 as jmac pki-matrix -C "$REPO" unarrange "$ORC" &&
	expect_refusal 66 as hom pki-matrix -C "$REPO" unarrange ARR-0000000000 &&
	expect_refusal 65 as hom pki-matrix -C "$REPO" unarrange "$FO" &&
	as chair pki-matrix -C "$REPO" unarrange "$CON" && test_tick &&
	test -n "$(arr "$CON" valid_until)" &&
	git -C "$REPO" log -1 --format=%B | grep -qx "Pki-Action: matrix-unarrange" &&
	expect_refusal 77 as hom pki-share -C "$REPO" "$PO" hoststate -j "$J" --arrangement "$ORC" \
		--consent "$CON" -o "$TRASH/r5.gpg" &&
	grep -q "arrangement .$CON. ended at" err
'

test_expect_success 'refused: an HRDDP risk assessment past its review (policy 11.4.4)' '
	FO2=$(as hom pki-matrix -C "$REPO" arrange orcon FAMA --ref "MoU FAMA 2") && test_tick &&
	as hom pki-share -C "$REPO" "$P" fama -j "$J" --arrangement "$FO2" --hrddp "$HR" \
		-o "$TRASH/c4.gpg" && test_tick &&
	test_tick $((10 * 86400)) &&
	expect_refusal 77 as hom pki-share -C "$REPO" "$P" fama -j "$J" --arrangement "$FO2" \
		--hrddp "$HR" -o "$TRASH/r6.gpg" &&
	grep -q "HRDDP risk assessment .$HR. was due for review by 2026-03-21T00:00:00Z" err &&
	grep -q "(policy 11.4.4)" err
'

test_expect_success 'a reviewed assessment is a new row; the old one stays as history' '
	HR2=$(as chair pki-matrix -C "$REPO" arrange hrddp FAMA --ref "HRDDP RA 2026/02" \
		--review 2026-09-30) && test_tick &&
	as hom pki-share -C "$REPO" "$P" fama -j "$J" --arrangement "$FO2" --hrddp "$HR2" \
		-o "$TRASH/c5.gpg" && test_tick &&
	test "$(arr "$HR" reference)" = "HRDDP RA 2026/01"
'

test_expect_success 'pki-audit re-judges every export with the register of its time: clean' '
	pki-audit -C "$REPO" >out 2>err; test $? = 0 || { cat out err; false; } &&
	! grep -q "^error" out
'

test_expect_success 'the history checks out with stock tools' '
	shards_read &&
	verify_history
'

product_done
