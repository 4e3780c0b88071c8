#!/bin/sh
# Site codes (pki-init -s, pki.site): IDs MISSION-ENTITY-SITE-YYYY-NNNNNN,
# serials per mission, entity, site and year; such an ID shared,
# reclassified, listed, archived and audited like any other.
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-product.sh"

XSD=$SRC/share/pki/transfer.xsd

# clone DIR SITE: a clone acting as jmac for JMAC at SITE.
clone() {
	git clone -q central.git "$1" &&
	git -C "$1" config user.signingkey "$(fpr jmac)" &&
	git -C "$1" config user.name "jmac" &&
	git -C "$1" config user.email "jmac@mission.example" &&
	git -C "$1" config pki.entity JMAC &&
	git -C "$1" config pki.site "$2"
}

test_expect_success 'pki-init -s records the site as pki.site, -e the entity' '
	as hom pki-init -m UNMISS -e JMAC -s BOR -p hom init1 >/dev/null &&
	test "$(git -C init1 config pki.site)" = BOR &&
	test "$(git -C init1 config pki.entity)" = JMAC &&
	as hom pki-init -m UNMISS --site JUBA2 -p hom init2 >/dev/null &&
	test "$(git -C init2 config pki.site)" = JUBA2 &&
	as hom pki-init -m UNMISS -p hom init3 >/dev/null &&
	test_must_fail git -C init3 config pki.site
'

test_expect_success 'the first product of a clone with a site: its ID and bucket' '
	echo "Bor field office" | as hom pki-classify -C init1 -l confidential -c c -a poc >id &&
	test "$(cat id)" = UNMISS-JMAC-BOR-2026-000001 &&
	git -C init1 ls-files products >files &&
	grep -qx "products/JMAC-BOR-2026-000/UNMISS-JMAC-BOR-2026-000001.gpg" files &&
	grep -qx "products/JMAC-BOR-2026-000/UNMISS-JMAC-BOR-2026-000001.xml" files
'

test_expect_success 'setup: the mission, a central repository, two JMAC offices' '
	mission &&
	git init -q --bare -b main central.git &&
	git -C "$REPO" push -q "$TRASH/central.git" main &&
	clone bor BOR &&
	clone juba JUBA
'

test_expect_success 'two offices of one entity classify at once: no collision' '
	test_tick &&
	{ echo a | pki-classify -C bor -l confidential -c c -a poc >a & } &&
	{ echo b | pki-classify -C juba -l confidential -c c -a poc >b & } &&
	wait &&
	test "$(cat a)" = UNMISS-JMAC-BOR-2026-000001 &&
	test "$(cat b)" = UNMISS-JMAC-JUBA-2026-000001
'

test_expect_success 'both offices publish; the headquarters clone has all of them' '
	git -C bor push -q origin main &&
	git -C juba pull -q --rebase -S &&
	git -C juba push -q origin main &&
	git -C bor pull -q --ff-only &&
	test_tick &&
	echo c | pki-classify -C bor -l confidential -c c -a poc >c &&
	test "$(cat c)" = UNMISS-JMAC-BOR-2026-000002 &&
	git -C bor push -q origin main &&
	git -C "$REPO" pull -q --ff-only "$TRASH/central.git" main &&
	git -C "$REPO" ls-files products >files &&
	grep -qx "products/JMAC-BOR-2026-000/UNMISS-JMAC-BOR-2026-000001.gpg" files &&
	grep -qx "products/JMAC-BOR-2026-000/UNMISS-JMAC-BOR-2026-000002.gpg" files &&
	grep -qx "products/JMAC-JUBA-2026-000/UNMISS-JMAC-JUBA-2026-000001.gpg" files &&
	labels_valid &&
	verify_history
'

test_expect_success 'without a site the serials of the entity are its own' '
	test_tick &&
	echo d | as jmac pki-classify -C "$REPO" -l confidential -c c -a poc -e JMAC >d &&
	test "$(cat d)" = UNMISS-JMAC-2026-000001
'

test_expect_success 'pki-classify -s and pki-register --receive --site name the site' '
	test_tick &&
	echo e | as jmac pki-classify -C "$REPO" -l confidential -c c -a poc -e JMAC -s WAU >e &&
	test "$(cat e)" = UNMISS-JMAC-WAU-2026-000001 &&
	test_tick &&
	echo f | as chair pki-register -C "$REPO" --receive --from "Member State A" \
		-l confidential -c a -a poc --site MAL >f &&
	# the entity of the headquarters clone (pki-init -e OSRSG), a site given
	test "$(cat f)" = UNMISS-OSRSG-MAL-2026-000001 &&
	test "$(label_field UNMISS-OSRSG-MAL-2026-000001 id)" = UNMISS-OSRSG-MAL-2026-000001
'

id=UNMISS-JMAC-BOR-2026-000001

test_expect_success 'a site ID is shared and reclassified' '
	test_tick &&
	as jmac pki-share -C "$REPO" $id fc >/dev/null &&
	test "$(list_of $id)" = "archives chair fc hom jmac" &&
	readers_are $id "archives chair fc hom jmac" &&
	test_tick &&
	as jmac pki-classify -C "$REPO" --change $id -l strictly-confidential -c b >/dev/null &&
	test "$(label_field $id classification)" = strictly-confidential &&
	labels_valid
'

test_expect_success 'pki-register --product lists the rows of a site ID' '
	pki-register -C "$REPO" --product $id >rows &&
	test "$(grep -c "$id" rows)" = 3 &&
	grep -q ",classify,$id," rows &&
	grep -q ",share,$id," rows &&
	grep -q ",reclassify,$id," rows &&
	! grep -q UNMISS-JMAC-BOR-2026-000002 rows &&
	pki-register -C "$REPO" --product $id --format xml >rows.xml &&
	xmllint --noout --schema "$SRC/share/pki/registry.xsd" rows.xml
'

test_expect_success 'the completion offers site IDs beside the others' '
	(cd "$REPO" && bash --norc --noprofile -c ". \"\$0\" && _pki_products" \
		"$SRC/share/completion/pki.bash") | sort >offered &&
	grep -qx $id offered &&
	grep -qx UNMISS-JMAC-JUBA-2026-000001 offered &&
	grep -qx UNMISS-JMAC-2026-000001 offered &&
	test "$(wc -l <offered)" = 6
'

test_expect_success 'the audit is clean' '
	pki-audit -C "$REPO" >findings 2>err ||
		{ cat findings err; return 1; }
'

test_expect_success 'pki-archive: the bag lists the site IDs; transfer.xsd validates' '
	test_clock=$(date -u -d 2026-08-03T08:00:00Z +%s) &&
	test_tick 0 &&
	mkdir bags &&
	as chair pki-archive -C "$REPO" --period 2026H1 -o "$TRASH/bags" >path &&
	B=$(cat path) &&
	xmllint --noout --schema "$XSD" "$B/data/transfer-list.xml" &&
	for i in UNMISS-JMAC-BOR-2026-000001 UNMISS-JMAC-BOR-2026-000002 \
		UNMISS-JMAC-JUBA-2026-000001 UNMISS-JMAC-WAU-2026-000001 \
		UNMISS-OSRSG-MAL-2026-000001 UNMISS-JMAC-2026-000001; do
		grep -q "<id>$i</id>" "$B/data/transfer-list.xml" ||
			{ echo "$i not in the transfer list"; return 1; }
	done &&
	(cd "$B" && sha256sum --strict -c manifest-sha256.txt >/dev/null) &&
	grep -q "JMAC-BOR-2026-000/UNMISS-JMAC-BOR-2026-000001.gpg" "$B/manifest-sha256.txt"
'

test_expect_success 'after the archive the audit is still clean' '
	pki-audit -C "$REPO" >findings 2>err ||
		{ cat findings err; return 1; }
'

test_expect_success 'the audit judges the bucket of a site ID: one moved by hand is found' '
	git clone -q "$REPO" moved &&
	git -C moved config pki.root "$(git -C "$REPO" config pki.root)" &&
	test_tick &&
	mkdir -p moved/products/JMAC-2026-000 &&
	git -C moved mv products/JMAC-BOR-2026-000/UNMISS-JMAC-BOR-2026-000002.gpg \
		products/JMAC-BOR-2026-000/UNMISS-JMAC-BOR-2026-000002.xml products/JMAC-2026-000/ &&
	git -C moved -c user.name=jmac -c user.email=jmac@mission.example \
		-c user.signingkey="$(fpr jmac)" commit -q -S -m "move" &&
	test_expect_code 1 pki-audit -C moved >findings &&
	grep -q "^error A106 .*products/JMAC-2026-000/UNMISS-JMAC-BOR-2026-000002.gpg.*no part of" findings &&
	grep -q "^error A304 .*UNMISS-JMAC-BOR-2026-000002, which is not in the repository" findings
'

test_expect_success 'refused (64, one line, nothing changed): a bad site' '
	for s in bor BOR1234567890ABCD1 B-R ""; do
		expect_refusal 64 as jmac pki-classify -C "$REPO" -l confidential -c c -a poc \
			-s "$s" "$TRASH/a" || return 1
		grep -q "invalid site" err || return 1
		expect_refusal 64 as chair pki-register -C "$REPO" --receive --from X \
			-l confidential -c a -a poc --site "$s" "$TRASH/a" || return 1
		expect_refusal 64 as hom pki-init -m UNMISS -s "$s" -p hom "$TRASH/init-bad" ||
			return 1
		test ! -e "$TRASH/init-bad" || return 1
	done
'

test_expect_success 'refused (64): -s with --change, -s for a listing' '
	expect_refusal 64 as jmac pki-classify -C "$REPO" --change $id -l strictly-confidential \
		-c b -s BOR &&
	expect_refusal 64 pki-register -C "$REPO" --site BOR
'

test_expect_success 'refused (78): a bad pki.site in the clone config, nothing filed' '
	git -C bor config pki.site bor-1 &&
	before=$(git -C bor rev-parse HEAD) &&
	echo x | pki-classify -C bor -l confidential -c c -a poc >out 2>err;
	test $? = 78 &&
	test "$(wc -l <err)" = 1 &&
	grep -q "pki.site" err &&
	test "$(git -C bor rev-parse HEAD)" = "$before" &&
	test -z "$(git -C bor status --porcelain)"
'

test_done
