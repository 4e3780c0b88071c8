#!/bin/sh
# pki-share outside the mission: a copy for the recipient alone, with its
# own label, and an export row (pki-share(1); policy 11.4.1, 11.4.3, 11.4.4).
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-product.sh"
. "$TEST_DIRECTORY/lib-share.sh"

J="mandate: protection of civilians, S/RES/2729 (2024) para 5"

# export_row PRODUCT RECIPIENT: the export row, as mlr sees it (JSON).
export_row() {
	mlr --icsv --ojson filter "\$action == \"export\" && \$product == \"$1\" && \$recipient == \"$2\"" \
		"$REPO"/registry/*.csv
}

# col PRODUCT RECIPIENT COLUMN: a column of the export row.
col() { field export "$@"; }

test_expect_success 'setup: a mission and its products' '
	mission &&
	echo "armed group movements near the camp" >p1.txt &&
	P1=$(as fc pki-classify -C "$REPO" -l confidential -c c -a force-protection <p1.txt) &&
	test_tick &&
	P2=$(echo "source network" | as jmac pki-classify -C "$REPO" -l strictly-confidential -c b -a crime) &&
	test_tick &&
	echo "member state assessment" >oc.txt &&
	PO=$(as jmac pki-register -C "$REPO" --receive --from "Member State A" --ref "MS-A/77" \
		-l confidential -c a -a poc <oc.txt) &&
	test_tick &&
	xmllint --xpath "count(//*[local-name()='\''originator-control'\''])" \
		"$REPO"/products/*/"$PO".xml | grep -qx 1
'

test_expect_success 'the Head of Mission exports to a UN entity: -o FILE and FILE.xml' '
	before=$(git -C "$REPO" rev-parse HEAD) &&
	f=$(product_file "$P1" gpg) && f=${f#$REPO/} &&
	repo_copy=$(git -C "$REPO" rev-parse "HEAD:$f") &&
	as hom pki-share -C "$REPO" "$P1" unct -j "$J" -o "$TRASH/unct.gpg" >out 2>err &&
	test_tick &&
	test ! -s out && test ! -s err &&
	test "$(git -C "$REPO" rev-list --count "$before"..HEAD)" = 1 &&
	git -C "$REPO" log -1 --format=%s | grep -qx "pki-share: export $P1 with unct" &&
	test "$(stat -c %a unct.gpg)" = 600 && test "$(stat -c %a unct.gpg.xml)" = 600 &&
	test "$(git -C "$REPO" rev-parse "HEAD:$f")" = "$repo_copy" &&
	git -C "$REPO" diff --quiet "$before" HEAD -- products
'

test_expect_success 'the copy is for the recipient alone, read with stock gpg' '
	decrypt_as unct unct.gpg >got && test_cmp p1.txt got &&
	test "$(nkeys unct.gpg)" = 1 &&
	test_must_fail decrypt_as hom unct.gpg &&
	test_must_fail decrypt_as fc unct.gpg &&
	no_marker "armed group movements near the camp"
'

test_expect_success 'its label: valid, originator-control, releasable to it, bound to the copy' '
	xmllint --noout --schema "$SRC/share/pki/label.xsd" unct.gpg.xml &&
	test "$(xml_field unct.gpg.xml id)" = "$P1" &&
	test "$(xml_field unct.gpg.xml releasable-to)" = unct &&
	xmllint --xpath "count(//*[local-name()='\''originator-control'\''])" unct.gpg.xml | grep -qx 1 &&
	test "$(xml_field unct.gpg.xml distribution)" = unct &&
	test "$(xml_field unct.gpg.xml binding)" = "$(sha256sum <unct.gpg | cut -d" " -f1)" &&
	git -C "$REPO" log -1 --format=%B | grep -qx "Pki-Copy-Sha256: $(sha256sum <unct.gpg | cut -d" " -f1)"
'

test_expect_success 'the export row carries actor, authority and justification' '
	test "$(col "$P1" unct actor)" = hom &&
	test "$(col "$P1" unct authority)" = hom &&
	test "$(col "$P1" unct justification)" = "$J" &&
	test "$(col "$P1" unct level)" = confidential
'

test_expect_success 'to standard output, armored with -a, the label to --label' '
	as hom pki-share -C "$REPO" "$P1" hoststate -j "$J" --arrangement "MoU UNMISS-HS 2025/3" \
		-a --label "$TRASH/hs.xml" >hs.asc 2>err &&
	test_tick &&
	test ! -s err &&
	head -1 hs.asc | grep -qx -- "-----BEGIN PGP MESSAGE-----" &&
	decrypt_as hoststate hs.asc >got && test_cmp p1.txt got &&
	xmllint --noout --schema "$SRC/share/pki/label.xsd" hs.xml &&
	test "$(xml_field hs.xml binding)" = "$(sha256sum <hs.asc | cut -d" " -f1)" &&
	test "$(col "$P1" hoststate arrangement)" = "MoU UNMISS-HS 2025/3"
'

test_expect_success 'a security force: justification, HRDDP and arrangement, all recorded' '
	as hom pki-share -C "$REPO" "$P1" fama -j "$J" --hrddp "HRDDP-RA-2026-014" \
		--arrangement "TA UNMISS-FAMA 2026/1" >fama.gpg &&
	test_tick &&
	decrypt_as fama fama.gpg >got && test_cmp p1.txt got &&
	export_row "$P1" fama >row.json &&
	python3 -c "
import json, sys
r = json.load(open(sys.argv[1]))
r = r[0] if isinstance(r, list) else r
assert r[\"hrddp\"] == \"HRDDP-RA-2026-014\", r
assert r[\"arrangement\"] == \"TA UNMISS-FAMA 2026/1\", r
assert r[\"justification\"].startswith(\"mandate:\"), r
assert r[\"authority\"] == \"hom\" and r[\"actor\"] == \"hom\", r
" row.json
'

test_expect_success 'an originator-control product needs and records the consent' '
	as hom pki-share -C "$REPO" "$PO" unct -j "$J" --consent "MS-A note verbale 2026/88" \
		-o "$TRASH/po.gpg" &&
	test_tick &&
	decrypt_as unct po.gpg >got && test_cmp oc.txt got &&
	test "$(col "$PO" unct reference)" = "MS-A note verbale 2026/88"
'

test_expect_success 'refused: a non-UN security force needs an HRDDP risk assessment (policy 11.4.4)' '
	expect_refusal 77 as hom pki-share -C "$REPO" "$P1" fama -j "$J" --arrangement "TA 1" &&
	grep -qx "pki-share: refused: .fama. is a non-UN security force: an HRDDP risk assessment is required (--hrddp, policy 11.4.4)" err &&
	test ! -s out
'

test_expect_success 'refused: arrangements for non-UN recipients (policy 11.4.3)' '
	expect_refusal 77 as hom pki-share -C "$REPO" "$P1" fama -j "$J" --hrddp "HRDDP-RA-1" &&
	grep -qx "pki-share: refused: .fama. is a non-UN security force: a written originator-control arrangement is required (--arrangement, policy 11.4.3)" err &&
	expect_refusal 77 as hom pki-share -C "$REPO" "$P1" hoststate -j "$J" -o "$TRASH/x.gpg" &&
	grep -qx "pki-share: refused: .hoststate. is a non-UN entity: a written originator-control arrangement is required (--arrangement, policy 11.4.3)" err &&
	test ! -e x.gpg && test ! -e x.gpg.xml
'

test_expect_success 'refused: a justification in terms of the mandate (policy 11.4.3)' '
	expect_refusal 77 as hom pki-share -C "$REPO" "$P1" unct &&
	grep -qx "pki-share: refused: sharing .$P1. with .unct. outside the mission needs a justification in terms of the mandate (-j, policy 11.4.3)" err &&
	expect_refusal 77 as hom pki-share -C "$REPO" "$P1" unct -j ""
'

test_expect_success 'refused: originator control without consent (policy 11.4.3)' '
	expect_refusal 77 as hom pki-share -C "$REPO" "$PO" unct -j "$J" &&
	grep -qx "pki-share: refused: .$PO. is under originator control: its originator.s consent is required (--consent, policy 11.4.3)" err
'

test_expect_success 'refused: clearance applies outside too (policy 9.8)' '
	expect_refusal 77 as hom pki-share -C "$REPO" "$P2" unct -j "$J" &&
	grep -qx "pki-share: refused: .unct. is cleared to confidential, the product is strictly-confidential (policy 9.8)" err
'

test_expect_success 'refused: the originator alone may not share outside (policy 11.4.1)' '
	expect_refusal 77 as fc pki-share -C "$REPO" "$P1" unct -j "$J" &&
	grep -qx "pki-share: refused: .fc. is member: only the Head of Mission or the holder of a share-external delegation from the Head of Mission shares outside the mission (policy 11.4.1)" err
'

test_expect_success 'a share-external delegation from the Head of Mission (policy 11.4.1)' '
	dlg=$(as hom pki-matrix -C "$REPO" delegate fc --power share-external \
		--until 2026-03-31 --ref "HoM memo 2026/14") &&
	test_tick &&
	as fc pki-share -C "$REPO" "$P1" unct -j "$J" -o "$TRASH/fc.gpg" &&
	test_tick &&
	decrypt_as unct fc.gpg >got && test_cmp p1.txt got &&
	python3 - "$REPO"/registry/*.csv <<-EOF
	import csv, sys
	rows = [r for f in sys.argv[1:] for r in csv.DictReader(open(f, newline=""))
	        if r["action"] == "export" and r["actor"] == "fc"]
	assert len(rows) == 1 and rows[0]["authority"] == "$dlg", rows
	EOF
'

test_expect_success 'refused: an expired or foreign delegation (policy 11.4.1)' '
	expect_refusal 77 as fc env PKI_DATE=2026-04-02T08:00:00Z pki-share -C "$REPO" "$P1" unct -j "$J" &&
	grep -q "refused: .fc. is member: only the Head of Mission" err &&
	expect_refusal 77 as fc env PKI_DATE=2026-04-02T08:00:00Z pki-share -C "$REPO" "$P1" unct -j "$J" --authority "$dlg" &&
	grep -qx "pki-share: refused: delegation .$dlg. expired at 2026-04-01T00:00:00Z (policy 11.4.1)" err &&
	expect_refusal 77 as hom pki-share -C "$REPO" "$P1" unct -j "$J" --authority "$dlg" &&
	grep -qx "pki-share: refused: delegation .$dlg. is granted to .fc., not to .hom. (policy 11.4.1)" err &&
	dis=$(as fc pki-matrix -C "$REPO" delegate jmac --power disseminate --ref "FC note") &&
	test_tick &&
	expect_refusal 77 as jmac pki-share -C "$REPO" "$P1" unct -j "$J" --authority "$dis" &&
	grep -qx "pki-share: refused: delegation .$dis. grants disseminate, not share-external (policy 11.4.1)" err
'

test_expect_success 'refused: -o never overwrites, nor follows a link (74)' '
	echo precious >kept &&
	expect_refusal 74 as hom pki-share -C "$REPO" "$P1" unct -j "$J" -o "$TRASH/kept" &&
	grep -q "cannot create .*kept.*File exists" err &&
	test "$(cat kept)" = precious &&
	ln -s "$TRASH/elsewhere" link &&
	expect_refusal 74 as hom pki-share -C "$REPO" "$P1" unct -j "$J" -o "$TRASH/link" &&
	test ! -e elsewhere &&
	echo label >l.xml &&
	expect_refusal 74 as hom pki-share -C "$REPO" "$P1" unct -j "$J" -o "$TRASH/new.gpg" --label "$TRASH/l.xml" &&
	test ! -e new.gpg && test "$(cat l.xml)" = label
'

test_expect_success 'usage errors (64)' '
	expect_refusal 64 as hom pki-share -C "$REPO" "$P1" unct hoststate -j "$J" --arrangement A &&
	grep -q "go to a directory: -o DIR" err &&
	expect_refusal 64 as hom pki-share -C "$REPO" "$P1" unct jmac -j "$J" &&
	expect_refusal 64 as hom pki-share -C "$REPO" "$P1" unct -j "$J" --hrddp "$(printf "x\ny")"
'

test_expect_success 'refused: no such product (66)' '
	expect_refusal 66 as hom pki-share -C "$REPO" UNMISS-OSRSG-2026-000999 unct -j "$J" &&
	grep -q "no product UNMISS-OSRSG-2026-000999" err
'

test_expect_success 'labels, registry and history check out with stock tools' '
	labels_valid &&
	shards_read &&
	verify_history
'

product_done
