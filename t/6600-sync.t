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

test_expect_success 'every clone audits clean after syncing' '
	pki-sync -C hq && pki-sync -C force &&
	audit_clean hq && audit_clean bor && audit_clean force
'

test_done
