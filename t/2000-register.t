#!/bin/sh
# pki-register --receive: products from outside the mission (pki-register(1)),
# allowed and refused.
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-product.sh"

test_expect_success 'setup: a mission with its principals' '
	mission &&
	printf "Cross-border supply route. MARKER-5eed\n" >ms.txt
'

test_expect_success 'the Chair registers a receipt: the ID, and nothing else, on stdout' '
	as chair pki-register -C "$REPO" --receive --from "Member State A" --via PICT \
		--ref MS-A-2026-118 -l confidential -c a -a force-protection "$TRASH/ms.txt" >out 2>err &&
	test_tick &&
	test ! -s err &&
	r1=$(cat out) &&
	test "$r1" = UNMISS-OSRSG-2026-000001 &&
	git -C "$REPO" log -1 --format="%s%n%b" >msg &&
	head -1 msg | grep -qx "pki-register: receive $r1" &&
	grep -qx "Pki-Action: receive" msg &&
	grep -qx "Pki-Actor: chair" msg
'

test_expect_success '5.2.1: the label records the origin, the registrar, originator control' '
	labels_valid &&
	l=$(product_file "$r1" xml) &&
	grep -q "<originator type=\"external\">Member State A</originator>" "$l" &&
	grep -q "<registrar>chair</registrar>" "$l" &&
	grep -q "<originator-control/>" "$l" &&
	test "$(label_field "$r1" criterion)" = a
'

test_expect_success '5.2.1: the row records origin, channel and the sender'"'"'s reference' '
	shards_read &&
	test "$(row receive "$r1")" = "chair|archives;chair;hom|custodian|received from Member State A via PICT|MS-A-2026-118"
'

test_expect_success 'the list: registrar, hom, chair, archives; stock gpg agrees' '
	test "$(list_of "$r1")" = "archives chair hom" &&
	readers_are "$r1" "archives chair hom" &&
	decrypt_as chair "$(product_file "$r1" gpg)" >plain &&
	test_cmp ms.txt plain &&
	no_marker MARKER-5eed
'

test_expect_success '5.2.2: a member registers too, standing for the originator' '
	r2=$(echo "From UNPOL HQ" | as police pki-register -C "$REPO" --receive --from "PICT" -l confidential -c a) &&
	test_tick &&
	test "$(list_of "$r2")" = "archives chair hom police" &&
	test "$(row receive "$r2")" = "police|archives;chair;hom;police|originator|received from PICT|"
'

test_expect_success '--no-originator-control; --originator-control is the default anyway' '
	r3=$(echo "open source" | as jmac pki-register -C "$REPO" --receive --from "NGO X" -l unclassified --no-originator-control) &&
	test_tick &&
	! grep -q "originator-control" "$(product_file "$r3" xml)" &&
	test "$(list_of "$r3")" = "archives chair fc hom jmac police undss" &&
	r4=$(echo "MS note" | as jmac pki-register -C "$REPO" --receive --from "Member State B" -l unclassified --originator-control) &&
	test_tick &&
	grep -q "<originator-control/>" "$(product_file "$r4" xml)"
'

test_expect_success 'a received safety product reaches UNDSS, as a share under undss-rule' '
	r5=$(echo "IED threat on the MSR" | as jmac pki-register -C "$REPO" --receive --from "Member State C" -l confidential -c b --safety) &&
	test_tick &&
	readers_are "$r5" "archives chair hom jmac undss" &&
	test "$(row share "$r5")" = "jmac|undss|undss-rule|may bear on the safety and security of UN personnel (policy 11.3.2)|"
'

test_expect_success 'the registrar stands for the originator: it may reclassify' '
	as chair pki-classify -C "$REPO" --change "$r1" -l strictly-confidential >/dev/null &&
	test_tick &&
	row reclassify "$r1" | grep -q "^chair|archives;chair;hom|originator|was confidential|$" &&
	expect_refusal 77 as jmac pki-classify -C "$REPO" --change "$r1" -l confidential
'

test_expect_success 'refused 5.2.2: only a chair or a member registers a receipt (77)' '
	expect_refusal 77 as hom pki-register -C "$REPO" --receive --from X -l unclassified "$TRASH/ms.txt" &&
	grep -q "^pki-register: refused: .hom. is hom: receipts are registered by the Chair or a member of a participating mission entity (policy 12.6.9)$" err &&
	expect_refusal 77 as undss pki-register -C "$REPO" --receive --from X -l unclassified "$TRASH/ms.txt" &&
	expect_refusal 77 as archives pki-register -C "$REPO" --receive --from X -l unclassified "$TRASH/ms.txt" &&
	expect_refusal 77 as auditor pki-register -C "$REPO" --receive --from X -l unclassified "$TRASH/ms.txt" &&
	expect_refusal 77 as unct pki-register -C "$REPO" --receive --from X -l unclassified "$TRASH/ms.txt" &&
	expect_refusal 77 as mallory pki-register -C "$REPO" --receive --from X -l unclassified "$TRASH/ms.txt"
'

test_expect_success 'refused: a classified receipt needs a criterion (77)' '
	expect_refusal 77 as chair pki-register -C "$REPO" --receive --from X -l confidential "$TRASH/ms.txt" &&
	grep -q "needs a criterion.*(policy 11.2.1)" err
'

test_expect_success 'usage errors (64)' '
	expect_refusal 64 as chair pki-register -C "$REPO" --receive -l unclassified "$TRASH/ms.txt" &&
	grep -q "needs --from" err &&
	expect_refusal 64 as chair pki-register -C "$REPO" --receive --from X "$TRASH/ms.txt" &&
	grep -q "needs -l" err &&
	expect_refusal 64 as chair pki-register -C "$REPO" --receive --from "" -l unclassified "$TRASH/ms.txt" &&
	expect_refusal 64 as chair pki-register -C "$REPO" --receive --from "$(printf "a\nb")" -l unclassified "$TRASH/ms.txt" &&
	expect_refusal 64 as chair pki-register -C "$REPO" --receive --from "$(printf "\377")" -l unclassified "$TRASH/ms.txt" &&
	expect_refusal 64 as chair pki-register -C "$REPO" --receive --from X --ref "$(printf "%300s" x)" -l unclassified "$TRASH/ms.txt" &&
	expect_refusal 64 as chair pki-register -C "$REPO" --receive --from X -l unclassified -c a "$TRASH/ms.txt" &&
	expect_refusal 64 as chair pki-register -C "$REPO" --receive --from X -l unclassified --format xml "$TRASH/ms.txt" &&
	expect_refusal 64 as chair pki-register -C "$REPO" --from X &&
	expect_refusal 64 as chair pki-register -C "$REPO" --receive --from X -l unclassified a b
'

test_expect_success 'bad input: no such file, an empty product (66)' '
	expect_refusal 66 as chair pki-register -C "$REPO" --receive --from X -l unclassified "$TRASH/nosuch" &&
	expect_refusal 66 sh -c ": | PKI_KEY=$(fpr chair) pki-register -C \"$REPO\" --receive --from X -l unclassified"
'

test_expect_success 'every label valid, every shard read, every commit verified, no plaintext' '
	labels_valid &&
	shards_read &&
	verify_history &&
	no_marker MARKER-5eed
'

test_expect_success '--help and --version' '
	pki-register --help >out &&
	grep -q "^usage: pki-register .*--receive --from ORIGIN" out &&
	grep -q "^   or: pki-register .*--format csv|tsv|xml\] \[--no-header\]$" out &&
	pki-register --version | grep -q "^pki-register [0-9]"
'

product_done
