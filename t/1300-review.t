#!/bin/sh
# pki-classify --reviewed: a classification reviewed and kept (policy
# 11.2.1); --review on --change and on pki-register --receive; the
# overdue-review warning only for products not reviewed since their date.
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-product.sh"

# blob ID of a product's file at the tip
blob_of() {
	git -C "$REPO" rev-parse "HEAD:$(product_file "$1" "$2" | sed "s|^$REPO/||")"
}

test_expect_success 'setup: a mission and a confidential product of jmac due for review' '
	mission &&
	p1=$(echo "Prices in Malakal" | as jmac pki-classify -C "$REPO" -l confidential -c e -a poc --review 2026-04-01) &&
	test_tick &&
	test "$(label_field "$p1" review)" = 2026-04-01
'

test_expect_success 'the originator reviews it: the date moves, the ciphertext stays' '
	gpg_before=$(blob_of "$p1" gpg) &&
	xml_before=$(blob_of "$p1" xml) &&
	bind_before=$(label_field "$p1" binding) &&
	list_before=$(list_of "$p1") &&
	as jmac pki-classify -C "$REPO" --reviewed "$p1" --next 2026-10-01 >out &&
	test_tick &&
	test "$(cat out)" = "$p1" &&
	test "$(label_field "$p1" review)" = 2026-10-01 &&
	test "$(label_field "$p1" classification)" = confidential &&
	test "$(label_field "$p1" criterion)" = e &&
	test "$(blob_of "$p1" gpg)" = "$gpg_before" &&
	test "$(blob_of "$p1" xml)" != "$xml_before" &&
	test "$(label_field "$p1" binding)" = "$bind_before" &&
	test "$(list_of "$p1")" = "$list_before" &&
	row review "$p1" >rows &&
	test "$(cat rows)" = "jmac|archives;chair;hom;jmac|originator|kept confidential; next review 2026-10-01|" &&
	labels_valid && shards_read
'

test_expect_success 'one signed commit: the label and the row, no ciphertext' '
	git -C "$REPO" log -1 --format="%s%n%b" >msg &&
	head -1 msg | grep -qx "pki-classify: review $p1" &&
	grep -qx "Pki-Action: review" msg &&
	grep -qx "Pki-Level: confidential" msg &&
	grep -qx "Pki-Authority: originator" msg &&
	grep -qx "Pki-Actor: jmac" msg &&
	git -C "$REPO" show --name-only --format= HEAD >files &&
	test "$(wc -l <files)" -eq 2 &&
	grep -q "\.xml$" files && grep -q "^registry/" files &&
	! grep -q "\.gpg$" files &&
	verify_history
'

test_expect_success 'the Head of Mission reviews it; the default is a year on' '
	as hom pki-classify -C "$REPO" --reviewed "$p1" >/dev/null &&
	test "$(label_field "$p1" review)" = 2027-03-02 &&
	test_tick &&
	row review "$p1" | tail -1 | grep -q "^hom|archives;chair;hom;jmac|hom|kept confidential; next review 2027-03-02|$"
'

test_expect_success 'refused 9.8: a member who is not the originator (77, nothing changed)' '
	expect_refusal 77 as fc pki-classify -C "$REPO" --reviewed "$p1" --next 2027-06-01 &&
	grep -q "^pki-classify: refused: .fc. is neither the originator of $p1 (.jmac.) nor the Head of Mission, and holds no declassify delegation from the originator covering it (policy 9.8)$" err &&
	expect_refusal 77 as chair pki-classify -C "$REPO" --reviewed "$p1" &&
	expect_refusal 77 as mallory pki-classify -C "$REPO" --reviewed "$p1"
'

test_expect_success 'a declassify delegation from the originator reviews too' '
	dlg=$(as jmac pki-matrix -C "$REPO" delegate fc --power declassify --scope "$p1" --ref "JMAC memo 7") &&
	test_tick &&
	as fc pki-classify -C "$REPO" --reviewed "$p1" --next 2027-06-01 --authority "$dlg" >/dev/null &&
	test_tick &&
	test "$(label_field "$p1" review)" = 2027-06-01 &&
	row review "$p1" | tail -1 | grep -q "^fc|archives;chair;hom;jmac|$dlg|"
'

test_expect_success 'usage errors (64): a bad date, a date not in the future, stray options' '
	expect_refusal 64 as jmac pki-classify -C "$REPO" --reviewed "$p1" --next 2027-13-01 &&
	expect_refusal 64 as jmac pki-classify -C "$REPO" --reviewed "$p1" --next 2026-03-01 &&
	grep -q "the next review date 2026-03-01 is not in the future" err &&
	expect_refusal 64 as jmac pki-classify -C "$REPO" --reviewed "$p1" --next "$(echo $PKI_DATE | cut -c1-10)" &&
	expect_refusal 64 as jmac pki-classify -C "$REPO" --reviewed "$p1" -l confidential &&
	expect_refusal 64 as jmac pki-classify -C "$REPO" --reviewed "$p1" --review 2027-01-01 &&
	expect_refusal 64 as jmac pki-classify -C "$REPO" --next 2027-01-01 &&
	expect_refusal 64 as jmac pki-classify -C "$REPO" --reviewed "../$p1" &&
	expect_refusal 64 as jmac pki-classify -C "$REPO" --reviewed "$p1" "$TRASH/x" &&
	expect_refusal 64 as jmac pki-classify -C "$REPO" --change "$p1" -l unclassified --review 2026-03-01
'

test_expect_success 'no such product (66)' '
	expect_refusal 66 as jmac pki-classify -C "$REPO" --reviewed UNMISS-OSRSG-2026-000999 &&
	grep -q "no product UNMISS-OSRSG-2026-000999" err
'

test_expect_success '--change --review: a reclassification sets the next review date' '
	as jmac pki-classify -C "$REPO" --change "$p1" -l strictly-confidential --review 2027-09-01 >/dev/null &&
	test_tick &&
	test "$(label_field "$p1" classification)" = strictly-confidential &&
	test "$(label_field "$p1" review)" = 2027-09-01 &&
	as jmac pki-classify -C "$REPO" --change "$p1" -l confidential >/dev/null &&
	test_tick &&
	test "$(label_field "$p1" review)" = 2027-09-01 &&
	labels_valid
'

test_expect_success 'pki-register --receive --review: a received product with a review date' '
	x=$(echo xray | as chair pki-register -C "$REPO" --receive --from "Member State X" --ref MS-9 -l confidential -c a -a poc --review 2026-05-01) &&
	test_tick &&
	test "$(label_field "$x" review)" = 2026-05-01 &&
	expect_refusal 64 as chair pki-register -C "$REPO" --receive --from "Member State X" -l confidential -c a --review soon &&
	expect_refusal 64 as chair pki-register -C "$REPO" --review 2026-05-01
'

test_expect_success 'pki-register lists the review rows; as XML, valid against registry.xsd' '
	pki-register -C "$REPO" --action review --product "$p1" >rows.csv &&
	test "$(mlr --icsv --onidx filter '"'"'$action == "review"'"'"' then cut -f product rows.csv |
		grep -c "^$p1$")" = 3 &&
	pki-register -C "$REPO" --action review --format xml >rows.xml &&
	xmllint --noout --schema "$SRC/share/pki/registry.xsd" rows.xml
'

test_expect_success 'the audit is clean after' '
	pki-audit -C "$REPO" >out; rc=$?; cat out; test $rc = 0 && test ! -s out
'

test_expect_success 'overdue: a warning after the date, none once reviewed' '
	pki-audit -C "$REPO" --at 2026-05-02 >out; cat out &&
	grep -qx "warning A702 $x: its review date 2026-05-01 has passed" out &&
	test_clock=$(date -u -d 2026-05-03T09:00:00Z +%s) && test_tick &&
	as chair pki-classify -C "$REPO" --reviewed "$x" --next 2026-11-01 >/dev/null &&
	test_tick &&
	pki-audit -C "$REPO" --at 2026-05-04 >out; cat out &&
	! grep -q "A702" out &&
	pki-audit -C "$REPO" --at 2026-11-02 >out; cat out &&
	grep -qx "warning A702 $x: its review date 2026-11-01 has passed" out
'

test_expect_success 'overdue: a reclassification after the date, keeping it, ends the warning too' '
	y=$(echo yankee | as jmac pki-classify -C "$REPO" -l confidential -c c -a poc --review 2026-06-01) &&
	test_tick &&
	pki-audit -C "$REPO" --at 2026-06-02 >out; cat out &&
	grep -qx "warning A702 $y: its review date 2026-06-01 has passed" out &&
	test_clock=$(date -u -d 2026-06-03T09:00:00Z +%s) && test_tick &&
	as jmac pki-classify -C "$REPO" --change "$y" -l unclassified >/dev/null &&
	test_tick &&
	test "$(label_field "$y" review)" = 2026-06-01 &&
	pki-audit -C "$REPO" --at 2026-06-04 >out; cat out &&
	! grep -q "A702 $y" out &&
	pki-audit -C "$REPO" --at 2026-06-02 >out; cat out &&
	grep -q "A702 $y" out
'

product_done
