#!/bin/sh
# pki-matrix add on an existing principal that narrows what it may
# receive: every product it may no longer hold is re-encrypted without
# its key in the same commit, a revoke row each (authority matrix); it
# keeps its own products.
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-audit.sh"
. "$TEST_DIRECTORY/lib-product.sh"

test_expect_success 'setup: products fc holds, at each level and area' '
	mission &&
	S=$(echo "strictly poc. MARKER-6400" | as jmac pki-classify -C "$REPO" \
		-l strictly-confidential -c c -a poc) && test_tick &&
	C=$(echo "confidential poc" | as jmac pki-classify -C "$REPO" \
		-l confidential -c c -a poc) && test_tick &&
	F=$(echo "confidential fp" | as jmac pki-classify -C "$REPO" \
		-l confidential -c c -a force-protection) && test_tick &&
	O=$(echo "fc own" | as fc pki-classify -C "$REPO" \
		-l strictly-confidential -c b -a poc) && test_tick &&
	U=$(echo "open" | as police pki-classify -C "$REPO") && test_tick &&
	for p in $S $C $F; do
		as jmac pki-share -C "$REPO" "$p" fc -j "planning" && test_tick || return 1
	done &&
	readers_are "$S" "archives chair fc hom jmac" &&
	readers_are "$O" "archives chair fc hom" &&
	add_principal mallory CMPIC mission chair strictly-confidential "*"
'

test_expect_success 'refused: an actor who cannot decrypt a product (69), nothing changed' '
	GNUPGHOME=$(keyring mallory) expect_refusal 69 \
		as mallory pki-matrix -C "$REPO" add fc --clearance confidential &&
	grep -q "$S" err &&
	readers_are "$S" "archives chair fc hom jmac"
'

test_expect_success 'a lower clearance: fc leaves what is above it, in one commit' '
	before=$(git -C "$REPO" rev-parse HEAD) &&
	as hom pki-matrix -C "$REPO" add fc --clearance confidential &&
	test "$(git -C "$REPO" rev-list --count "$before..HEAD")" -eq 1 &&
	git -C "$REPO" log -1 --format=%B >msg &&
	grep -qx "Pki-Action: matrix-update" msg &&
	grep -qx "Pki-Revoked: 1" msg &&
	test_tick &&
	readers_are "$S" "archives chair hom jmac" &&
	test "$(list_of "$S")" = "archives chair hom jmac"
'

test_expect_success 'stock gpg: fc still reads the rest, and its own product' '
	readers_are "$C" "archives chair fc hom jmac" &&
	readers_are "$F" "archives chair fc hom jmac" &&
	readers_are "$O" "archives chair fc hom" &&
	f=$(product_file "$U" gpg) && decrypt_as fc "$f" >/dev/null
'

test_expect_success 'a revoke row, authority matrix, actor hom' '
	shards_read &&
	test "$(row revoke "$S")" = "hom|fc|matrix|what the principal may receive narrowed in the access matrix|" &&
	test -z "$(row revoke "$O")" &&
	test -z "$(row revoke "$C")" &&
	labels_valid
'

test_expect_success 'fewer areas: fc leaves what its areas no longer meet' '
	as chair pki-matrix -C "$REPO" add fc --areas force-protection &&
	test_tick &&
	git -C "$REPO" log -1 --format=%B | grep -qx "Pki-Revoked: 1" &&
	readers_are "$C" "archives chair hom jmac" &&
	readers_are "$F" "archives chair fc hom jmac" &&
	readers_are "$O" "archives chair fc hom" &&
	f=$(product_file "$U" gpg) && decrypt_as fc "$f" >/dev/null &&
	test "$(row revoke "$C")" = "chair|fc|matrix|what the principal may receive narrowed in the access matrix|"
'

test_expect_success 'a change that narrows nothing re-encrypts nothing' '
	as hom pki-matrix -C "$REPO" add fc --areas "force-protection;poc" &&
	test_tick &&
	as hom pki-matrix -C "$REPO" add fc --until 2027-12-31 &&
	test_tick &&
	git -C "$REPO" show --stat --format= HEAD >files &&
	test "$(grep -c "|" files)" -eq 1 &&
	! git -C "$REPO" log -1 --format=%B | grep -q "Pki-Revoked"
'

test_expect_success 'pki-audit is clean after, and the history verifies' '
	pki-audit -C "$REPO" >out 2>err &&
	test ! -s out && test ! -s err &&
	verify_history
'

test_expect_success 'forged: a revoke on the matrix authority without a narrowing is A501' '
	as hom pki-matrix -C "$REPO" add fc --clearance unclassified &&
	test_tick &&
	tamper &&
	git -C "$TRASH/c" checkout -q HEAD~1 -- access-matrix.csv &&
	git_as hom -C "$TRASH/c" commit -q -S --amend --no-edit &&
	expect_finding A501 &&
	grep -q "does not narrow" findings
'

test_expect_success 'list: ended principals with --all, noted in text; CSV is the file' '
	as hom pki-matrix -C "$REPO" remove police &&
	test_tick &&
	pki-matrix -C "$REPO" list --format text >out &&
	head -1 out | grep -q "FINGERPRINT  *NOTE\$" &&
	grep -q "^fc .* -\$" out &&
	! grep -q "^police " out &&
	pki-matrix -C "$REPO" list --format text --all >out &&
	grep -q "^police .* ended\$" out &&
	pki-matrix -C "$REPO" list --all >all.csv &&
	test_cmp "$REPO/access-matrix.csv" all.csv
'

test_expect_success 'an --until now: off every list but its own products; A406 warns' '
	as chair pki-matrix -C "$REPO" add jmac --until "$PKI_DATE" &&
	test_tick &&
	git -C "$REPO" log -1 --format=%B | grep -qx "Pki-Revoked: 1" &&
	test "$(row revoke "$U" | tail -1)" = "chair|jmac|matrix|what the principal may receive narrowed in the access matrix|" &&
	readers_are "$S" "archives chair hom jmac" &&
	f=$(product_file "$U" gpg) && ! decrypt_as jmac "$f" >/dev/null &&
	pki-audit -C "$REPO" >out 2>err &&
	cat out err &&
	test "$(wc -l <out)" -eq 1 &&
	grep -q "^warning A406 jmac: .*list of 3 products" out &&
	test_expect_code 1 pki-audit -C "$REPO" --strict >/dev/null
'

test_expect_success 'no plaintext anywhere' '
	no_marker MARKER-6400
'

product_done
