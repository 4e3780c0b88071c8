#!/bin/sh
# pki-matrix succeed: a successor in function joins every list that holds
# its predecessor, acts as originator of what the predecessor originated
# (a chain of successions too), and without --keep the predecessor leaves
# the matrix and every list -- one commit, or a refusal and nothing changed.
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-product.sh"

test_expect_success 'setup: jmac, police and fc products' '
	mission &&
	c1=$(echo "jmac confidential MARKER-5ucc" | as jmac pki-classify -C "$REPO" -l confidential \
		-c c -a "poc;crime") && test_tick &&
	s1=$(echo "jmac strictly" | as jmac pki-classify -C "$REPO" -l strictly-confidential \
		-c c -a poc) && test_tick &&
	u1=$(echo "police open" | as police pki-classify -C "$REPO") && test_tick &&
	f1=$(echo "fc confidential" | as fc pki-classify -C "$REPO" -l confidential -c c \
		-a force-protection) && test_tick &&
	as fc pki-share -C "$REPO" "$f1" jmac -j "planning" && test_tick &&
	p1=$(echo "police confidential" | as police pki-classify -C "$REPO" -l confidential \
		-c c -a crime) && test_tick &&
	c2=$(echo "fc only" | as fc pki-classify -C "$REPO" -l confidential -c c \
		-a force-protection) && test_tick &&
	r1=$(echo "from a Member State" | as jmac pki-register -C "$REPO" --receive \
		--from "Member State X" --ref MS-9 -l confidential -c a -a "poc;force-protection") && test_tick &&
	readers_are "$c1" "archives chair hom jmac" &&
	readers_are "$u1" "archives chair fc hom jmac police undss" &&
	readers_are "$f1" "archives chair fc hom jmac" &&
	readers_are "$p1" "archives chair hom police"
'

test_expect_success 'refused: a member may not change the matrix (77)' '
	expect_refusal 77 as fc pki-matrix -C "$REPO" succeed jmac fc --ref R &&
	grep -q "policy 12.10" err
'

test_expect_success 'refused: an unknown predecessor (66)' '
	expect_refusal 66 as hom pki-matrix -C "$REPO" succeed nobody fc --ref R &&
	grep -q "no principal .nobody." err
'

test_expect_success 'refused: an unknown successor, or one outside the mission (77)' '
	expect_refusal 77 as hom pki-matrix -C "$REPO" succeed jmac nobody --ref R &&
	grep -q "policy 19, 12.10" err &&
	expect_refusal 77 as hom pki-matrix -C "$REPO" succeed jmac hoststate --ref R &&
	grep -q "outside the mission" err
'

test_expect_success 'refused: a successor whose validity has ended (77)' '
	as hom pki-matrix -C "$REPO" remove unct && test_tick &&
	expect_refusal 77 as hom pki-matrix -C "$REPO" succeed jmac unct --ref R &&
	grep -q "not a valid principal" err
'

test_expect_success 'refused: a successor not cleared for everything it inherits (77)' '
	expect_refusal 77 as hom pki-matrix -C "$REPO" succeed jmac police --ref R &&
	grep -q "1 product is above the clearance of .police." err
'

test_expect_success 'refused: one cannot succeed oneself (64)' '
	expect_refusal 64 as hom pki-matrix -C "$REPO" succeed jmac jmac --ref R
'

test_expect_success 'refused: no --ref, or --keep elsewhere (64)' '
	expect_refusal 64 as hom pki-matrix -C "$REPO" succeed jmac fc &&
	expect_refusal 64 as hom pki-matrix -C "$REPO" remove jmac --keep
'

test_expect_success 'refused: pki-matrix delegate makes no successor (77)' '
	expect_refusal 77 as jmac pki-matrix -C "$REPO" delegate fc --power successor --ref R &&
	grep -q "pki-matrix succeed" err &&
	expect_refusal 77 as hom pki-matrix -C "$REPO" delegate fc --power successor --ref R
'

test_expect_success 'refused: a product the actor cannot decrypt (69), naming it' '
	as hom pki-matrix -C "$REPO" add chair2 --key "$FIXTURES/keys/mallory.pub.asc" \
		--entity CMPIC --type mission --role chair --clearance strictly-confidential \
		--areas "*" && test_tick &&
	expect_refusal 69 as mallory pki-matrix -C "$REPO" succeed jmac fc --ref R &&
	grep -q "not on the distribution list of UNMISS-" err &&
	as hom pki-matrix -C "$REPO" remove chair2 && test_tick
'

test_expect_success 'succeed --keep: jmac joins what police holds, police stays' '
	before=$(git -C "$REPO" rev-parse HEAD) &&
	d1=$(as hom pki-matrix -C "$REPO" succeed police jmac --keep --ref "HoM memo 2026/19") &&
	test_tick &&
	test "$(git -C "$REPO" rev-list --count "$before..HEAD")" -eq 1 &&
	git -C "$REPO" log -1 --format=%B >msg &&
	grep -qx "Pki-Action: matrix-succeed" msg &&
	grep -qx "Pki-Shared: 1" msg &&
	! grep -q "Pki-Revoked" msg &&
	! git -C "$REPO" show --stat --format= HEAD | grep -q access-matrix.csv &&
	grep -q "^$d1,police,jmac,successor,\*,.*,HoM memo 2026/19$" \
		"$REPO/delegations.csv" &&
	readers_are "$p1" "archives chair hom jmac police" &&
	readers_are "$u1" "archives chair fc hom jmac police undss" &&
	test "$(row share "$p1")" = "hom|jmac|successor|successor in function of '"'"'police'"'"'|HoM memo 2026/19" &&
	test -z "$(row share "$u1")"
'

test_expect_success 'succeed: fc takes jmac'"'"'s place, jmac leaves, in one commit' '
	before=$(git -C "$REPO" rev-parse HEAD) &&
	d2=$(as chair pki-matrix -C "$REPO" succeed jmac fc --ref "HoM memo 2026/20") &&
	test_tick &&
	test "$(git -C "$REPO" rev-list --count "$before..HEAD")" -eq 1 &&
	git -C "$REPO" log -1 --format=%B >msg &&
	grep -qx "Pki-Shared: 4" msg &&
	grep -qx "Pki-Revoked: 6" msg &&
	pki-matrix -C "$REPO" list >valid &&
	! grep -q "^jmac," valid &&
	grep -q "^$d2,jmac,fc,successor," "$REPO/delegations.csv"
'

test_expect_success 'stock gpg: every product readable by exactly the right keys' '
	readers_are "$c1" "archives chair fc hom" &&
	readers_are "$s1" "archives chair fc hom" &&
	readers_are "$u1" "archives chair fc hom police undss" &&
	readers_are "$f1" "archives chair fc hom" &&
	readers_are "$p1" "archives chair fc hom police" &&
	readers_are "$c2" "archives chair fc hom" &&
	test "$(list_of "$c1")" = "archives chair fc hom" &&
	labels_valid
'

test_expect_success 'the rows: a share where fc joined, a revoke where jmac left' '
	shards_read &&
	why="successor in function of '"'"'jmac'"'"'" &&
	test "$(row share "$c1")" = "chair|fc|successor|$why|HoM memo 2026/20" &&
	test "$(row revoke "$c1")" = "chair|jmac|successor|$why|HoM memo 2026/20" &&
	test "$(row share "$f1" | tail -1)" = "fc|jmac|originator|planning|" &&
	test "$(row revoke "$u1")" = "chair|jmac|successor|$why|HoM memo 2026/20" &&
	test "$(row share "$u1")" = "" &&
	test -z "$(row revoke "$c2")"
'

test_expect_success 'fc acts as originator of jmac'"'"'s products: shares and reclassifies' '
	as fc pki-share -C "$REPO" "$c1" police -j "crime analysis" && test_tick &&
	test "$(row share "$c1" | tail -1)" = "fc|police|originator|crime analysis|" &&
	readers_are "$c1" "archives chair fc hom police" &&
	as fc pki-classify -C "$REPO" --change "$s1" -l confidential -c c && test_tick &&
	test "$(label_field "$s1" classification)" = confidential &&
	as fc pki-share -C "$REPO" --revoke "$c1" police && test_tick &&
	readers_are "$c1" "archives chair fc hom"
'

test_expect_success 'fc stands for jmac as registrar of a received product' '
	readers_are "$r1" "archives chair fc hom" &&
	as fc pki-share -C "$REPO" "$r1" undss -j "force protection" && test_tick &&
	test "$(row share "$r1" | tail -1)" = "fc|undss|originator|force protection|" &&
	as fc pki-share -C "$REPO" --revoke "$r1" undss && test_tick &&
	readers_are "$r1" "archives chair fc hom"
'

test_expect_success 'a chain holds: police to jmac to fc, fc reclassifies police'"'"'s product' '
	as fc pki-classify -C "$REPO" --change "$p1" -l strictly-confidential -c c && test_tick &&
	readers_are "$p1" "archives chair fc hom"
'

test_expect_success 'jmac cannot any more (77)' '
	expect_refusal 77 as jmac pki-share -C "$REPO" "$c1" police -j "x" &&
	expect_refusal 77 as jmac pki-classify -C "$REPO" --change "$c1" -l unclassified
'

test_expect_success 'the keeper rule holds: the last hom succeeded by a new hom' '
	expect_refusal 77 as chair pki-matrix -C "$REPO" succeed hom undss --ref R &&
	grep -q "must keep a valid Head of Mission" err
'

test_expect_success 'the last hom succeeded by a principal made hom: the keeper rule holds' '
	as chair pki-matrix -C "$REPO" add undss --role hom && test_tick &&
	as chair pki-matrix -C "$REPO" succeed hom undss --ref "SG letter" && test_tick &&
	readers_are "$c1" "archives chair fc undss" &&
	readers_are "$u1" "archives chair fc police undss"
'

test_expect_success 'pki-audit is clean; every commit verifies; no plaintext' '
	pki-audit --strict -C "$REPO" >findings &&
	cat findings && test "$(wc -l <findings)" -le 1 &&
	! grep -q "^error" findings &&
	verify_history &&
	no_marker MARKER-5ucc
'

product_done
