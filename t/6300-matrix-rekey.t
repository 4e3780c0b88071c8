#!/bin/sh
# pki-matrix rekey: a principal's key replaced; every product on its list
# re-encrypted to the new key in the same commit, the old key kept for
# history.
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-product.sh"

# jmac's key is rotated to the fixture key "mallory", unused otherwise.
NEW=$(fpr mallory)
OLD=$(fpr jmac)

test_expect_success 'setup: products jmac reads, and one it does not' '
	mission &&
	u1=$(echo "open to all. MARKER-beef" | as police pki-classify -C "$REPO") &&
	test_tick &&
	c1=$(echo "JMAC only" | as jmac pki-classify -C "$REPO" -l confidential -c c -a poc) &&
	test_tick &&
	s1=$(echo "safety" | as fc pki-classify -C "$REPO" -l confidential -c b --safety) &&
	test_tick &&
	readers_are "$u1" "archives chair fc hom jmac police undss" &&
	readers_are "$c1" "archives chair hom jmac" &&
	readers_are "$s1" "archives chair fc hom undss" &&
	git -C "$REPO" rev-parse "HEAD:$(git -C "$REPO" ls-files "products/*/$s1.gpg")" >s1.before &&
	old_commit=$(git -C "$REPO" rev-parse HEAD~1)
'

test_expect_success 'refused: a member may not rekey (77)' '
	expect_refusal 77 as jmac pki-matrix -C "$REPO" rekey jmac --key "$FIXTURES/keys/mallory.pub.asc" &&
	grep -q "(policy 12.10)" err
'

test_expect_success 'refused: no such principal (66), no --key (64)' '
	expect_refusal 66 as hom pki-matrix -C "$REPO" rekey nobody --key "$FIXTURES/keys/mallory.pub.asc" &&
	expect_refusal 64 as hom pki-matrix -C "$REPO" rekey jmac &&
	expect_refusal 64 as hom pki-matrix -C "$REPO" rekey "../x" --key "$FIXTURES/keys/mallory.pub.asc" &&
	expect_refusal 64 as hom pki-matrix -C "$REPO" remove jmac --key "$FIXTURES/keys/mallory.pub.asc"
'

test_expect_success 'refused: a key that cannot be one (65), another principal'"'"'s key (65), its own (65)' '
	expect_refusal 65 as hom pki-matrix -C "$REPO" rekey jmac --key "$FIXTURES/keys/signonly.pub.asc" &&
	expect_refusal 65 as hom pki-matrix -C "$REPO" rekey jmac --key "$FIXTURES/keys/expired.pub.asc" &&
	expect_refusal 65 as hom pki-matrix -C "$REPO" rekey jmac --key "$FIXTURES/keys/fc.pub.asc" &&
	grep -q "already belongs to principal .fc." err &&
	expect_refusal 65 as hom pki-matrix -C "$REPO" rekey jmac --key "$OLD" &&
	expect_refusal 66 as hom pki-matrix -C "$REPO" rekey jmac --key "$TRASH/no-such.asc"
'

test_expect_success 'refused: a principal no longer valid (65)' '
	as hom pki-matrix -C "$REPO" remove hoststate && test_tick &&
	expect_refusal 65 as hom pki-matrix -C "$REPO" rekey hoststate --key "$FIXTURES/keys/mallory.pub.asc" &&
	grep -q "not valid now" err
'

test_expect_success 'the Chair rekeys jmac: one commit, no registry row' '
	before=$(git -C "$REPO" rev-parse HEAD) &&
	as chair pki-matrix -C "$REPO" rekey jmac --key "$FIXTURES/keys/mallory.pub.asc" &&
	test "$(git -C "$REPO" rev-list --count "$before..HEAD")" -eq 1 &&
	git -C "$REPO" log -1 --format=%B >msg &&
	grep -qx "Pki-Action: matrix-rekey" msg &&
	grep -qx "Pki-Principal: jmac" msg &&
	grep -qx "Pki-Fingerprint: $NEW" msg &&
	grep -qx "Pki-Previous-Fingerprint: $OLD" msg &&
	grep -qx "Pki-Rekeyed: 2" msg &&
	git -C "$REPO" show --stat --format= HEAD >files &&
	grep -q "access-matrix.csv" files &&
	grep -q "keys/$NEW.asc" files &&
	grep -q "$u1.gpg" files && grep -q "$u1.xml" files &&
	grep -q "$c1.gpg" files && grep -q "$c1.xml" files &&
	! grep -q "$s1" files && ! grep -q registry files &&
	test -f "$REPO/keys/$OLD.asc" &&
	grep -q "^jmac,$NEW," "$REPO/access-matrix.csv" &&
	test_tick
'

test_expect_success 'stock gpg: the old key reads none of them now, the new one does' '
	readers_are "$u1" "archives chair fc hom mallory police undss" &&
	readers_are "$c1" "archives chair hom mallory" &&
	test "$(list_of "$c1")" = "archives chair hom jmac" &&
	git -C "$REPO" rev-parse "HEAD:$(git -C "$REPO" ls-files "products/*/$s1.gpg")" >s1.after &&
	test_cmp s1.before s1.after &&
	labels_valid
'

test_expect_success 'jmac signs with its new key; the audit is clean' '
	PKI_KEY=$NEW pki-share -C "$REPO" "$c1" fc -j "planning" && test_tick &&
	git -C "$REPO" log -1 --format=%B | grep -qx "Pki-Actor: jmac" &&
	c2=$(echo "after" | PKI_KEY=$NEW pki-classify -C "$REPO" -l confidential -c c -a poc) &&
	test_tick &&
	readers_are "$c2" "archives chair hom mallory" &&
	expect_refusal 77 as jmac pki-classify -C "$REPO" -l confidential -c c -a poc </dev/null &&
	pki-audit -C "$REPO" >out 2>err &&
	test ! -s out && test ! -s err
'

test_expect_success 'an auditor with an empty keyring: old commits verify with the old key' '
	mkdir -m 700 "$TRASH/empty" &&
	git clone -q "$REPO" aud &&
	git -C aud config pki.root "$(git -C "$REPO" config pki.root)" &&
	GNUPGHOME=$TRASH/empty pki-audit -C aud >out 2>err;
	rc=$? && cat out err &&
	test $rc -eq 0 &&
	! grep -v "^info A001 " out &&
	verify_history
'

test_expect_success 'refused: the actor cannot decrypt a product on the list (69)' '
	REPO=$TRASH/n &&
	as hom pki-init -m UNMISS -n "UN Mission" -e OSRSG -p hom "$REPO" && test_tick &&
	add_principal jmac JMAC mission member strictly-confidential poc &&
	p=$(echo "before the chair" | as jmac pki-classify -C "$REPO" -l confidential -c c -a poc) &&
	test_tick &&
	add_principal chair CMPIC mission chair strictly-confidential "*" &&
	GNUPGHOME=$(keyring chair) expect_refusal 69 as chair pki-matrix -C "$REPO" rekey jmac \
		--key "$FIXTURES/keys/mallory.pub.asc" &&
	grep -q "$p" err &&
	as hom pki-matrix -C "$REPO" rekey jmac --key "$NEW" &&
	readers_are "$p" "hom mallory" &&
	REPO=$TRASH/m
'

test_expect_success 'no plaintext anywhere' '
	no_marker MARKER-beef
'

product_done
