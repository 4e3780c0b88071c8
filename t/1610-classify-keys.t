#!/bin/sh
# pki-classify and the recipients' keys: a small product is encrypted at
# once, with no key listed first; a key the keyring lacks is then taken
# from the repository (keys/) and the product encrypted again.  A large
# product, or one on standard input, has its keys checked first.  Either
# way the outcome is the same: the product filed for every recipient, or
# one refusal and no change.
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-bad.sh"

ARCHIVES=$(fpr archives)

# forget NAME: the keyring no longer holds NAME's key, public or secret.
forget() {
	gpg --batch --yes --delete-secret-and-public-key "$(fpr "$1")" 2>/dev/null &&
	test_must_fail gpg --list-keys "$(fpr "$1")" >/dev/null 2>&1
}

# filed_for NAME ID: ID's ciphertext opens with NAME's key alone.
filed_for() {
	_b=$(echo "$2" | sed 's/^[A-Z]*-\([A-Z0-9]*-[0-9]*-[0-9][0-9][0-9]\).*/\1/') &&
	decrypt_as "$1" "$REPO/products/$_b/$2.gpg" >"$TRASH/opened" &&
	test -s "$TRASH/opened"
}

test_expect_success 'setup: a mission, a small product, a large one' '
	mission &&
	printf "Checkpoint moved north of Malakal.\n" >small &&
	head -c 100000 /dev/urandom | base64 >large &&
	test "$(wc -c <large)" -gt 65536
'

test_expect_success 'a small product, archives'"'"' key not in the keyring: imported, filed for all' '
	forget archives &&
	id=$(as jmac pki-classify -C "$REPO" -l confidential -c c -a poc "$TRASH/small") &&
	test_tick &&
	gpg --list-keys "$ARCHIVES" >/dev/null 2>&1 &&
	filed_for archives "$id" &&
	test_cmp small opened &&
	filed_for jmac "$id" &&
	verify_history
'

test_expect_success 'a large product, and one on standard input: the keys first, the same outcome' '
	forget archives &&
	id=$(as jmac pki-classify -C "$REPO" -l confidential -c c -a poc "$TRASH/large") &&
	test_tick &&
	filed_for archives "$id" &&
	test_cmp large opened &&
	forget archives &&
	id=$(as jmac pki-classify -C "$REPO" -l confidential -c c -a poc <small) &&
	test_tick &&
	filed_for archives "$id" &&
	test_cmp small opened &&
	verify_history
'

test_expect_success 'a key neither in the keyring nor in the repository: refused (69), no change' '
	git -C "$REPO" rm -q "keys/$ARCHIVES.asc" &&
	git -C "$REPO" -c user.name=x -c user.email=x@x commit -q -m "by hand" &&
	forget archives &&
	refusal 69 as jmac pki-classify -C "$REPO" -l confidential -c c -a poc "$TRASH/small" &&
	grep -q "key $ARCHIVES is neither in the keyring nor at keys/" err &&
	refusal 69 as jmac pki-classify -C "$REPO" -l confidential -c c -a poc <small &&
	grep -q "key $ARCHIVES is neither in the keyring nor at keys/" err
'

test_done
