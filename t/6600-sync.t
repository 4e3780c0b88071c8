#!/bin/sh
# pki-sync: a central bare repository and three clones (two JMAC offices,
# one of them at a site, and FORCE): fast-forwards, pushes, concurrent
# work merged semantically in one signed merge commit, a true conflict
# refused with the clone unchanged, every clone audit-clean after.
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-product.sh"

# clone DIR NAME ENTITY [SITE]: a clone of the central repository acting
# as NAME for ENTITY (at SITE).
clone() {
	git clone -q central.git "$1" &&
	git -C "$1" config user.signingkey "$(fpr "$2")" &&
	git -C "$1" config user.name "$2" &&
	git -C "$1" config user.email "$2@mission.example" &&
	git -C "$1" config pki.entity "$3" &&
	git -C "$1" config pki.root "$(git -C "$REPO" config pki.root)" &&
	if [ -n "${4:-}" ]; then git -C "$1" config pki.site "$4"; fi
}

# state DIR: what must not change when a sync is refused.
state() {
	git -C "$1" rev-parse HEAD &&
	git -C "$1" rev-parse refs/heads/main &&
	git -C "$1" status --porcelain --untracked-files=all &&
	git -C "$1" ls-files -s | sha256sum &&
	find "$1" -path "$1/.git" -prune -o -type f -print | sort | xargs sha256sum
}

# audit_clean DIR: no error in the clone's audit.
audit_clean() {
	pki-audit -C "$1" >"$TRASH/findings" 2>&1
	_rc=$?
	cat "$TRASH/findings"
	[ $_rc -eq 0 ] && ! grep -q '^error' "$TRASH/findings"
}

# list_in DIR ID: the distribution list on the label in a clone, sorted.
list_in() {
	_x=$(git -C "$1" ls-files "products/*/$2.xml") &&
	xmllint --xpath '//*[local-name()="distribution"]/*/text()' "$1/$_x" |
		sort | tr '\n' ' '
}

# readers_in DIR ID: the key IDs the ciphertext is encrypted to (stock gpg).
keyids_in() {
	_g=$(git -C "$1" ls-files "products/*/$2.gpg") &&
	gpg --batch --list-packets "$1/$_g" 2>/dev/null |
		awk '/^:pubkey enc packet:/ { print $NF }' | sort | tr '\n' ' '
}

keyid() {
	gpg --with-colons --list-keys "$(fpr "$1")" |
		awk -F: '$1 == "sub" && $12 ~ /e/ { print $5; exit }'
}

test_expect_success 'setup: the mission in a central bare repository, three clones' '
	mission &&
	git init -q --bare -b main central.git &&
	git -C "$REPO" push -q "$TRASH/central.git" main &&
	clone hq jmac JMAC &&
	clone bor jmac JMAC BOR &&
	clone force fc FORCE
'

test_expect_success 'up to date: nothing moves, nothing printed' '
	before=$(git -C hq rev-parse HEAD) &&
	pki-sync -C hq >out 2>err &&
	test_must_fail test -s out &&
	test "$(git -C hq rev-parse HEAD)" = "$before" &&
	test "$(git -C central.git rev-parse main)" = "$before"
'

test_expect_success 'only local moved: pushed, no merge commit' '
	test_tick &&
	a=$(echo alpha | pki-classify -C hq -l confidential -c c -a "poc;crime") &&
	pki-sync -C hq &&
	test "$(git -C central.git rev-parse main)" = "$(git -C hq rev-parse HEAD)" &&
	test "$(git -C hq rev-list --merges HEAD | wc -l)" = 0
'

test_expect_success 'only the remote moved: fast-forward, work tree and index updated' '
	pki-sync -C bor &&
	test "$(git -C bor rev-parse HEAD)" = "$(git -C central.git rev-parse main)" &&
	git -C bor diff --quiet HEAD &&
	git -C bor diff --quiet --cached HEAD &&
	test -z "$(git -C bor status --porcelain)" &&
	test "$(git -C bor ls-files "products/*/$a.gpg" | wc -l)" = 1 &&
	pki-sync -C force
'

test_expect_success 'concurrent shares of one product in two offices: one list holding both' '
	test_tick &&
	pki-share -C hq "$a" fc -j "force protection" &&
	test_tick &&
	pki-share -C bor "$a" police -j "crime" &&
	pki-sync -C hq &&
	test_tick &&
	pki-sync -C bor &&
	git -C bor rev-list --merges HEAD >merges &&
	test "$(wc -l <merges)" = 1 &&
	test "$(list_in bor "$a")" = "archives chair fc hom jmac police " &&
	test "$(keyids_in bor "$a")" = "$(for n in archives chair fc hom jmac police; do keyid $n; done | sort | tr "\n" " ")" &&
	test "$(git -C central.git rev-parse main)" = "$(git -C bor rev-parse HEAD)"
'

test_expect_success 'the merge: signed by the acting principal, two parents, verified by git' '
	m=$(git -C bor rev-parse HEAD) &&
	git -C bor verify-commit "$m" &&
	test "$(git -C bor log -1 --format=%GF "$m")" = "$(fpr jmac)" &&
	test "$(git -C bor rev-list --parents -1 "$m" | wc -w)" = 3 &&
	git -C bor fsck --strict --no-dangling
'

test_expect_success 'the registry rows of both offices are kept, once each' '
	shard=$(git -C bor ls-files "registry/*.csv" | tail -1) &&
	python3 -c "
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline=\"\")))
ev = [r[\"event\"] for r in rows]
assert len(ev) == len(set(ev)), ev
sh = sorted(r[\"recipient\"] for r in rows if r[\"action\"] == \"share\" and r[\"product\"] == sys.argv[2])
assert sh == [\"fc\", \"police\"], sh
" "bor/$shard" "$a"
'

test_expect_success 'a product filed at the site and one at HQ: both kept, IDs apart' '
	test_tick &&
	b=$(echo bravo | pki-classify -C bor -l confidential -c c -a poc) &&
	test_tick &&
	c=$(echo charlie | pki-classify -C hq -l confidential -c c -a poc) &&
	test "$b" = UNMISS-JMAC-BOR-2026-000001 &&
	test "$c" = UNMISS-JMAC-2026-000002 &&
	pki-sync -C bor && test_tick && pki-sync -C hq &&
	git -C hq ls-files "products/*/$b.gpg" "products/*/$c.gpg" >both &&
	test "$(wc -l <both)" = 2 &&
	test "$(git -C central.git rev-parse main)" = "$(git -C hq rev-parse HEAD)" &&
	pki-sync -C bor &&
	test "$(git -C bor rev-parse HEAD)" = "$(git -C hq rev-parse HEAD)"
'

test_expect_success 'concurrent matrix changes to different principals: both rows kept' '
	pki-sync -C force &&
	test_tick &&
	as hom pki-matrix -C hq add analyst2 --key "$FIXTURES/keys/analyst2.pub.asc" \
		--entity JMAC --type mission --role member --clearance confidential --areas poc &&
	test_tick &&
	as hom pki-matrix -C force add chair2 --key "$FIXTURES/keys/chair2.pub.asc" \
		--entity CMPIC --type mission --role member --clearance confidential --areas poc &&
	pki-sync -C hq && test_tick && pki-sync -C force &&
	pki-matrix -C force list --format csv | cut -d, -f1 | tr -d \" >names &&
	grep -qx analyst2 names && grep -qx chair2 names &&
	test -f force/keys/$(fpr analyst2).asc && test -f force/keys/$(fpr chair2).asc &&
	git -C force verify-commit HEAD &&
	test "$(git -C force log -1 --format=%GF)" = "$(fpr fc)"
'

test_expect_success '--no-push merges here and leaves the remote alone' '
	pki-sync -C hq && pki-sync -C bor &&
	test_tick &&
	pki-share -C hq "$c" fc -j "fp" &&
	test_tick &&
	as hom pki-share -C force "$b" fc -j "force protection" &&
	pki-sync -C force &&
	remote=$(git -C central.git rev-parse main) &&
	test_tick &&
	pki-sync -C hq --no-push &&
	test "$(git -C central.git rev-parse main)" = "$remote" &&
	test "$(git -C hq rev-list --parents -1 HEAD | wc -w)" = 3 &&
	pki-sync -C hq &&
	test "$(git -C central.git rev-parse main)" = "$(git -C hq rev-parse HEAD)"
'

test_expect_success 'a table row changed differently on both sides: 65, the clone unchanged' '
	pki-sync -C force && pki-sync -C bor &&
	test_tick &&
	as hom pki-matrix -C hq add hom2 --key "$FIXTURES/keys/hom2.pub.asc" \
		--entity OSRSG --type mission --role member --clearance confidential --areas poc &&
	test_tick &&
	as hom pki-matrix -C force add hom2 --key "$FIXTURES/keys/hom2.pub.asc" \
		--entity OSRSG --type mission --role member --clearance strictly-confidential --areas poc &&
	pki-sync -C force &&
	state hq >before &&
	test_tick &&
	test_expect_code 65 pki-sync -C hq 2>err &&
	cat err &&
	grep -q "hom2" err && test "$(wc -l <err)" = 1 &&
	state hq >after &&
	test_cmp before after &&
	git -C hq reset -q --hard origin/main
'

test_expect_success 'a product reclassified differently on both sides: 65 naming it, unchanged' '
	pki-sync -C bor &&
	test_tick &&
	pki-classify -C hq --change "$c" -l strictly-confidential -c c &&
	test_tick &&
	pki-classify -C bor --change "$c" -l unclassified &&
	pki-sync -C bor &&
	state hq >before &&
	test_tick &&
	test_expect_code 65 pki-sync -C hq 2>err &&
	cat err &&
	grep -q "$c" err && grep -q classification err &&
	state hq >after &&
	test_cmp before after &&
	git -C hq reset -q --hard origin/main
'

test_expect_success 'a product the syncing key cannot decrypt: 69 naming it, unchanged' '
	pki-sync -C hq && pki-sync -C bor && pki-sync -C force &&
	test_tick &&
	d=$(echo delta | pki-classify -C hq -l confidential -c c -a "poc;crime") &&
	pki-sync -C hq && pki-sync -C bor && pki-sync -C force &&
	test_tick &&
	pki-share -C hq "$d" police -j "crime" &&
	test_tick &&
	as hom pki-share -C bor "$d" analyst2 -j "for analysis" &&
	pki-sync -C bor &&
	pki-sync -C force "$TRASH/hq" --no-push &&
	test "$(git -C force rev-parse HEAD)" = "$(git -C hq rev-parse HEAD)" &&
	state force >before &&
	test_tick &&
	GNUPGHOME=$(keyring fc) test_expect_code 69 pki-sync -C force 2>err &&
	GNUPGHOME=$(keyring fc) gpgconf --kill gpg-agent &&
	cat err && grep -q "$d" err && grep -q "no secret key here can decrypt" err &&
	state force >after &&
	test_cmp before after &&
	pki-sync -C hq &&
	test "$(list_in hq "$d")" = "analyst2 archives chair hom jmac police " &&
	pki-sync -C force
'

test_expect_success 'progress on a terminal only; quiet otherwise' '
	pki-sync -C hq && pki-sync -C bor &&
	test_tick &&
	pki-share -C hq "$b" analyst2 -j "analysis" &&
	test_tick &&
	pki-share -C bor "$b" chair2 -j "cmpic" &&
	pki-sync -C bor 2>err &&
	test ! -s err &&
	test_tick &&
	script -qec "pki-sync -C hq" /dev/null >tty.out 2>&1 &&
	grep -q "pki-sync: Merging products: 100% (1/1)" tty.out &&
	test "$(git -C hq rev-list --parents -1 HEAD | wc -w)" = 3 &&
	test "$(list_in hq "$b")" = "analyst2 archives chair chair2 fc hom jmac "
'

test_expect_success 'a share to a principal the other side removed: 77, unchanged' '
	pki-sync -C hq && pki-sync -C bor && pki-sync -C force && pki-sync -C hq &&
	test_tick &&
	e=$(echo echo | pki-classify -C bor -l confidential -c c -a "poc;crime") &&
	pki-sync -C bor && pki-sync -C hq &&
	test_tick &&
	as hom pki-matrix -C hq remove police &&
	pki-sync -C hq &&
	test_tick &&
	pki-share -C bor "$e" police -j "crime" &&
	state bor >before &&
	test_tick &&
	test_expect_code 77 pki-sync -C bor 2>err &&
	cat err && test "$(wc -l <err)" = 1 &&
	grep -q "$e" err && grep -q "police" err &&
	state bor >after &&
	test_cmp before after &&
	git -C bor reset -q --hard origin/main
'

test_expect_success 'a remote that is neither a name nor a repository: 66' '
	test_expect_code 66 pki-sync -C hq no-such-remote 2>err &&
	test "$(wc -l <err)" = 1 &&
	test_expect_code 64 pki-sync -C hq one two 2>err
'

test_expect_success 'every clone audits clean after syncing' '
	pki-sync -C hq && pki-sync -C force && pki-sync -C bor &&
	test "$(git -C hq rev-parse HEAD)" = "$(git -C force rev-parse HEAD)" &&
	test "$(git -C hq rev-parse HEAD)" = "$(git -C bor rev-parse HEAD)" &&
	verify_history hq &&
	audit_clean hq && audit_clean bor && audit_clean force
'

test_done
