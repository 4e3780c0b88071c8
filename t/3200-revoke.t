#!/bin/sh
# pki-share --revoke: taking recipients off a distribution list (policy
# 10.7, 12.6.9), and what it cannot take back: earlier ciphertexts in history.
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-product.sh"
. "$TEST_DIRECTORY/lib-share.sh"

# revoked PRODUCT RECIPIENT COLUMN: a column of the revoke row.
revoked() { field revoke "$@"; }

test_expect_success 'setup: products shared with jmac and undss' '
	mission &&
	echo "patrol report" >p1.txt &&
	P1=$(as fc pki-classify -C "$REPO" -l confidential -c c -a "force-protection;poc" <p1.txt) &&
	test_tick &&
	as fc pki-share -C "$REPO" "$P1" jmac undss && test_tick &&
	PS=$(echo "threat to the convoy" | as fc pki-classify -C "$REPO" -l confidential -c c \
		-a force-protection --safety) &&
	test_tick &&
	as fc pki-share -C "$REPO" "$PS" jmac && test_tick &&
	on_list "$P1" jmac && on_list "$PS" undss
'

test_expect_success 'the originator revokes: re-encrypted without the key, one row, one commit' '
	before=$(git -C "$REPO" rev-parse HEAD) &&
	as fc pki-share -C "$REPO" --revoke "$P1" jmac -j "reassigned to sector west" >out 2>err &&
	test_tick &&
	test ! -s out && test ! -s err &&
	test "$(git -C "$REPO" rev-list --count "$before"..HEAD)" = 1 &&
	git -C "$REPO" log -1 --format=%s | grep -qx "pki-share: revoke $P1 from jmac" &&
	! on_list "$P1" jmac &&
	readers_are "$P1" "archives chair fc hom undss" &&
	decrypt_as undss "$(product_file "$P1" gpg)" >got && test_cmp p1.txt got &&
	test "$(nkeys "$(product_file "$P1" gpg)")" = "$(listed "$P1")" &&
	xmllint --noout --schema "$SRC/share/pki/label.xsd" "$(product_file "$P1" xml)" &&
	test "$(revoked "$P1" jmac authority)" = originator &&
	test "$(revoked "$P1" jmac actor)" = fc &&
	test "$(revoked "$P1" jmac justification)" = "reassigned to sector west"
'

test_expect_success 'earlier ciphertexts stay in history, readable with the old key' '
	f=$(product_file "$P1" gpg) &&
	git -C "$REPO" show "HEAD~1:${f#$REPO/}" >old.gpg &&
	decrypt_as jmac old.gpg >got && test_cmp p1.txt got
'

test_expect_success 'the Head of Mission revokes (policy 10.7)' '
	as hom pki-share -C "$REPO" --revoke "$P1" undss && test_tick &&
	test "$(revoked "$P1" undss authority)" = hom &&
	! on_list "$P1" undss
'

test_expect_success 'the Chair revokes, as custodian of the lists (policy 12.6.9)' '
	as chair pki-share -C "$REPO" --revoke "$PS" jmac && test_tick &&
	test "$(revoked "$PS" jmac authority)" = custodian
'

test_expect_success 'several at once: one commit, one row each' '
	as fc pki-share -C "$REPO" "$P1" jmac undss && test_tick &&
	before=$(git -C "$REPO" rev-parse HEAD) &&
	as fc pki-share -C "$REPO" --revoke "$P1" jmac undss && test_tick &&
	test "$(git -C "$REPO" rev-list --count "$before"..HEAD)" = 1 &&
	git -C "$REPO" log -1 --format=%s | grep -qx "pki-share: revoke $P1 from jmac, undss" &&
	! on_list "$P1" jmac && ! on_list "$P1" undss &&
	test "$(cat "$REPO"/registry/*.csv | grep -c ",revoke,$P1,")" = 4
'

test_expect_success 'refused: only the originator, the Head of Mission or the Chair (77)' '
	as fc pki-share -C "$REPO" "$P1" jmac && test_tick &&
	expect_refusal 77 as jmac pki-share -C "$REPO" --revoke "$P1" jmac &&
	grep -qx "pki-share: refused: .jmac. may not revoke .$P1.: only its originator (.fc.), the Head of Mission or the Chair keep its distribution list (policy 10.7, 12.6.9)" err
'

test_expect_success 'refused: those who stay on every list (77)' '
	expect_refusal 77 as hom pki-share -C "$REPO" --revoke "$P1" fc &&
	grep -qx "pki-share: refused: .fc. stands for the originator of .$P1. and stays on its distribution list (policy 9.8)" err &&
	expect_refusal 77 as fc pki-share -C "$REPO" --revoke "$P1" hom &&
	grep -q "(policy 10.7)$" err &&
	expect_refusal 77 as fc pki-share -C "$REPO" --revoke "$P1" chair &&
	grep -q "(policy 12.6.9)$" err &&
	expect_refusal 77 as fc pki-share -C "$REPO" --revoke "$P1" archives &&
	grep -q "(policy 11.5.1)$" err &&
	expect_refusal 77 as fc pki-share -C "$REPO" --revoke "$PS" undss &&
	grep -qx "pki-share: refused: .undss. must receive .$PS., which bears on the safety of UN personnel (policy 11.3.2)" err
'

test_expect_success 'refused: all or none (77)' '
	expect_refusal 77 as fc pki-share -C "$REPO" --revoke "$P1" jmac hom &&
	on_list "$P1" jmac
'

test_expect_success 'refused: not on the list (65), no such product (66)' '
	expect_refusal 65 as fc pki-share -C "$REPO" --revoke "$P1" police &&
	grep -qx "pki-share: .police. is not on the distribution list of $P1" err &&
	expect_refusal 65 as fc pki-share -C "$REPO" --revoke "$P1" nobody &&
	expect_refusal 66 as fc pki-share -C "$REPO" --revoke UNMISS-OSRSG-2026-000999 jmac
'

test_expect_success 'usage errors (64)' '
	expect_refusal 64 as fc pki-share -C "$REPO" --revoke "$P1" &&
	expect_refusal 64 as fc pki-share -C "$REPO" --revoke "$P1" jmac -o "$TRASH/x" &&
	expect_refusal 64 as fc pki-share -C "$REPO" --revoke "$P1" jmac --hrddp H &&
	expect_refusal 64 as fc pki-share -C "$REPO" --revoke "$P1" jmac --authority DLG-1 &&
	expect_refusal 64 as fc pki-share -C "$REPO" --revoke "$P1" jmac jmac &&
	test ! -e x
'

test_expect_success 'labels, registry and history check out with stock tools' '
	labels_valid &&
	shards_read &&
	verify_history
'

product_done
