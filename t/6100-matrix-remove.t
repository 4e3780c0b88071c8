#!/bin/sh
# pki-matrix remove: every product the removed principal could read is
# re-encrypted without its key, in the same commit, with a revoke row each.
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-product.sh"

test_expect_success 'setup: products fc can read, and one it cannot' '
	mission &&
	u1=$(echo "open to all. MARKER-d00d" | as jmac pki-classify -C "$REPO") &&
	test_tick &&
	s1=$(echo "safety" | as fc pki-classify -C "$REPO" -l confidential -c b --safety) &&
	test_tick &&
	c1=$(echo "JMAC only" | as jmac pki-classify -C "$REPO" -l confidential -c c) &&
	test_tick &&
	readers_are "$u1" "archives chair fc hom jmac police undss" &&
	readers_are "$s1" "archives chair fc hom undss" &&
	git -C "$REPO" rev-parse "HEAD:$(git -C "$REPO" ls-files "products/*/$c1.gpg")" >c1.before
'

test_expect_success 'the Head of Mission removes fc: one commit re-encrypts what fc could read' '
	before=$(git -C "$REPO" rev-parse HEAD) &&
	as hom pki-matrix -C "$REPO" remove fc &&
	test "$(git -C "$REPO" rev-list --count "$before..HEAD")" -eq 1 &&
	git -C "$REPO" log -1 --format=%B >msg &&
	grep -qx "Pki-Action: matrix-remove" msg &&
	grep -qx "Pki-Revoked: 2" msg &&
	git -C "$REPO" show --stat --format= HEAD >files &&
	grep -q "access-matrix.csv" files &&
	grep -q "$u1.gpg" files && grep -q "$u1.xml" files &&
	grep -q "$s1.gpg" files && grep -q "$s1.xml" files &&
	grep -q "registry/2026-03.csv" files &&
	! grep -q "$c1" files &&
	test_tick
'

test_expect_success 'stock gpg: fc reads none of them now; everyone else still does' '
	readers_are "$u1" "archives chair hom jmac police undss" &&
	readers_are "$s1" "archives chair hom undss" &&
	test "$(list_of "$u1")" = "archives chair hom jmac police undss" &&
	test "$(list_of "$s1")" = "archives chair hom undss" &&
	git -C "$REPO" rev-parse "HEAD:$(git -C "$REPO" ls-files "products/*/$c1.gpg")" >c1.after &&
	test_cmp c1.before c1.after
'

test_expect_success 'a revoke row per product, authority hom' '
	shards_read &&
	test "$(row revoke "$u1")" = "hom|fc|hom|principal removed from the access matrix|" &&
	test "$(row revoke "$s1")" = "hom|fc|hom|principal removed from the access matrix|" &&
	test -z "$(row revoke "$c1")" &&
	labels_valid
'

test_expect_success 'the Chair removes police: authority custodian' '
	as chair pki-matrix -C "$REPO" remove police &&
	test_tick &&
	test "$(row revoke "$u1" | tail -1)" = "chair|police|custodian|principal removed from the access matrix|" &&
	readers_are "$u1" "archives chair hom jmac undss"
'

test_expect_success 'a principal on no list: the matrix alone changes' '
	as hom pki-matrix -C "$REPO" remove auditor &&
	test_tick &&
	git -C "$REPO" show --stat --format= HEAD >files &&
	test "$(grep -c "|" files)" -eq 1 &&
	! git -C "$REPO" log -1 --format=%B | grep -q "Pki-Revoked"
'

test_expect_success 'refused: a member removes nobody, and nothing is re-encrypted (77)' '
	expect_refusal 77 as jmac pki-matrix -C "$REPO" remove undss
'

test_expect_success 'refused: a product whose label does not bind its ciphertext (65)' '
	git clone -q "$REPO" forged &&
	git -C forged config user.signingkey "$(fpr hom)" &&
	a=$(git -C forged ls-files "products/*/$u1.gpg") &&
	cp "$(product_file "$c1" gpg)" "forged/$a" &&
	git -C forged -c user.name=x -c user.email=x@x commit -qam "swap" &&
	REPO=$TRASH/forged expect_refusal 65 as hom pki-matrix -C "$TRASH/forged" remove jmac &&
	grep -q "the label does not bind the ciphertext" err
'

test_expect_success 'every label valid, every commit verified, no plaintext anywhere' '
	labels_valid &&
	verify_history &&
	no_marker MARKER-d00d
'

product_done
