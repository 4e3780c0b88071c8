#!/bin/sh
# Every command in a bare repository (a central store, a sync hub): the
# same commits as in a clone with a work tree, no index and no work tree
# written, nothing left behind in the git directory, and a clone of the
# store audits clean with stock git verifying every commit.
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-product.sh"

B=$TRASH/store.git

# in_store: nothing but git's own files in the store: no index, no work
# tree files, no pki-conf or shadow copies left behind.
in_store() {
	test ! -e "$B/index" &&
	test ! -e "$B/pki.conf" && test ! -e "$B/products" && test ! -e "$B/registry" &&
	test -z "$(find "$B" -maxdepth 1 -name "pki-conf.*" -o -maxdepth 1 -name "pki-shadow*")"
}

test_expect_success 'setup: a mission, moved to a bare store' '
	mission &&
	p1=$(echo "patrol report, Bor" | as jmac pki-classify -C "$REPO" -l confidential -c c -a poc) &&
	test_tick &&
	git clone -q --bare "$REPO" "$B" &&
	root=$(git -C "$B" rev-list --max-parents=0 main) &&
	git -C "$B" config pki.root "$root" &&
	in_store
'

test_expect_success 'pki-classify: a new product, a plan, a reclassification, a review' '
	p2=$(echo "threat to the camp" | as fc pki-classify -C "$B" -l confidential -c b -a force-protection) &&
	test_tick &&
	plan=$(echo "acquisition plan" | as jmac pki-classify -C "$B" -l confidential -c c --kind plan) &&
	test_tick &&
	as jmac pki-classify -C "$B" --change "$p1" -l strictly-confidential -c c >/dev/null &&
	test_tick &&
	as jmac pki-classify -C "$B" --reviewed "$p1" --next 2027-06-01 >/dev/null &&
	test_tick &&
	git -C "$B" log -1 --format=%s main | grep -qx "pki-classify: review $p1" &&
	git -C "$B" show main:products/ >/dev/null &&
	in_store
'

test_expect_success 'pki-register: a receipt, and the registry read' '
	r1=$(echo "member state note" | as jmac pki-register -C "$B" --receive --from "Member State A" \
		--ref MS-A/1 -l confidential -c a -a poc) &&
	test_tick &&
	pki-register -C "$B" --product "$r1" --format tsv --no-header | cut -f3 >actions &&
	test "$(cat actions)" = receive &&
	in_store
'

test_expect_success 'pki-share: inside, outside (-o) and a revocation' '
	as jmac pki-share -C "$B" "$p1" fc -j "planning" && test_tick &&
	as hom pki-share -C "$B" "$p2" unct -j "joint assessment" -o "$TRASH/unct.gpg" && test_tick &&
	decrypt_as unct "$TRASH/unct.gpg" >got && echo "threat to the camp" >expect && test_cmp expect got &&
	as jmac pki-share -C "$B" --revoke "$p1" fc && test_tick &&
	in_store
'

test_expect_success 'pki-matrix: add, delegate, undelegate, rekey, succeed, remove, list' '
	as hom pki-matrix -C "$B" add analyst2 --key "$FIXTURES/keys/analyst2.pub.asc" --entity JMAC \
		--type mission --role member --clearance strictly-confidential --areas poc && test_tick &&
	d=$(as hom pki-matrix -C "$B" delegate jmac --power share-external --ref "HoM memo 7") && test_tick &&
	as hom pki-matrix -C "$B" undelegate "$d" --ref "HoM memo 8" && test_tick &&
	as hom pki-matrix -C "$B" rekey analyst2 --key "$FIXTURES/keys/mallory.pub.asc" && test_tick &&
	as chair pki-matrix -C "$B" succeed jmac analyst2 --ref "Handover 2026/2" >/dev/null && test_tick &&
	as hom pki-matrix -C "$B" remove police && test_tick &&
	pki-matrix -C "$B" list --format csv | mlr --icsv --onidx cut -f principal | grep -qx analyst2 &&
	in_store
'

test_expect_success 'pki-archive: a transfer and its acknowledgement' '
	at 2026-07-02T08:00:00Z &&
	as chair pki-archive -C "$B" --period 2026H1 -o "$TRASH" >path &&
	test -d "$(cat path)" &&
	at 2026-07-10T08:00:00Z &&
	as archives pki-archive -C "$B" --ack 2026H1 --accession ACC-9 &&
	in_store
'

test_expect_success 'pki cat and pki show read from the store' '
	echo "threat to the camp" >expect &&
	pki -C "$B" cat "$p2" >copy.gpg && decrypt_as fc copy.gpg >got && test_cmp expect got &&
	pki -C "$B" show "$p2" | xmllint --noout --schema "$SRC/share/pki/label.xsd" -
'

test_expect_success 'refusals change nothing in the store' '
	before=$(git -C "$B" rev-parse main) &&
	expect_refusal 77 as fc pki-classify -C "$B" --change "$p1" -l unclassified &&
	expect_refusal 64 as jmac pki-classify -C "$B" -l secret "$TRASH/got" &&
	test "$(git -C "$B" rev-parse main)" = "$before" &&
	in_store
'

test_expect_success 'the store audits clean, and so does a clone of it; git verifies every commit' '
	pki-audit -C "$B" --at 2026-07-10T09:00:00Z >out && ! grep -E "^(error|warning)" out &&
	git clone -q "$B" "$TRASH/office" &&
	git -C "$TRASH/office" config pki.root "$root" &&
	pki-audit -C "$TRASH/office" --at 2026-07-10T09:00:00Z >out && ! grep -E "^(error|warning)" out &&
	for c in $(git -C "$B" rev-list main); do
		git -C "$B" verify-commit "$c" 2>/dev/null || { echo "unverified $c"; return 1; }
	done &&
	git -C "$B" fsck --no-progress
'

test_done
