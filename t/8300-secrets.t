#!/bin/sh
# Plaintext never touches the disk (doc/SECURITY, "Plaintext in memory"):
# a marker that only a product's plaintext holds is, after
# classify, receive, share, export, reclassify, re-encryption on
# removal and a transfer to the archives, in no git object, no file of
# the repository, $TMPDIR or anywhere under the trash directory.  The
# plaintext is piped in, never written to a file here.  Also: files pki
# makes are its owner's alone (umask 077); a pki process may not dump
# core; and what the threat model says a removed principal keeps.
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-product.sh"

MARK=$(od -An -N12 -tx1 /dev/urandom | tr -d " \n")

# plaintext [N]: the marker in a product, N KiB of it (default: one line).
plaintext() {
	printf "field report %s\n" "$MARK"
	if [ "${1:-0}" -gt 0 ]; then
		awk -v n="$1" -v m="$MARK" "BEGIN { for (i = 0; i < n * 16; i++)
			printf \"%s %062d\\n\", m, i }"
	fi
}

# nowhere: the marker is in no git object, no file under the trash
# directory (the repository, its .git, $TMPDIR, HOME, GNUPGHOME, outputs).
nowhere() {
	no_marker "$MARK" || return 1
	if grep -r -a -l -F "$MARK" "$TRASH" 2>/dev/null; then
		echo "the marker is in a file under $TRASH"
		return 1
	fi
}

test_expect_success 'setup: a mission' '
	mission
'

test_expect_success 'the search finds the marker where it is (no vacuous pass)' '
	plaintext >"$TRASH/probe" &&
	! nowhere >/dev/null &&
	rm "$TRASH/probe" &&
	nowhere
'

test_expect_success 'classify and receive from a pipe: the plaintext is only in the ciphertexts' '
	P=$(plaintext | as jmac pki-classify -C "$REPO" -l confidential -c c -a poc) &&
	test_tick &&
	BIG=$(plaintext 2048 | as fc pki-classify -C "$REPO" -l strictly-confidential -c b \
		-a force-protection --safety) &&
	test_tick &&
	X=$(plaintext | as chair pki-register -C "$REPO" --receive --from "Member State X" \
		--ref MS-9 -l confidential -c a -a poc) &&
	test_tick &&
	decrypt_as jmac "$(product_file "$P" gpg)" | grep -q "$MARK" &&
	decrypt_as undss "$(product_file "$BIG" gpg)" | grep -c "$MARK" >n &&
	test "$(cat n)" = 32769 &&
	nowhere
'

test_expect_success 'share and revoke re-encrypt in memory only' '
	as jmac pki-share -C "$REPO" "$P" fc &&
	test_tick &&
	as fc pki-share -C "$REPO" "$BIG" jmac &&
	test_tick &&
	as jmac pki-share -C "$REPO" --revoke "$P" fc &&
	test_tick &&
	decrypt_as jmac "$(product_file "$BIG" gpg)" | grep -q "$MARK" &&
	nowhere
'

test_expect_success 'an export goes out as ciphertext only' '
	as hom pki-share -C "$REPO" "$P" unct -j "UNCT coordination" -o "$TRASH/copy.gpg" &&
	test_tick &&
	as hom pki-share -C "$REPO" "$X" hoststate -j mandate --arrangement ARR-1 \
		--consent MS-OK -a >"$TRASH/copy.asc" &&
	test_tick &&
	decrypt_as unct "$TRASH/copy.gpg" | grep -q "$MARK" &&
	nowhere
'

test_expect_success 'reclassification re-encrypts in memory only' '
	as jmac pki-classify -C "$REPO" --change "$P" -l strictly-confidential -c c &&
	test_tick &&
	nowhere
'

test_expect_success 'removing a principal re-encrypts everything it could read, in memory only' '
	as jmac pki-share -C "$REPO" "$P" fc &&
	test_tick &&
	old=$(git -C "$REPO" rev-parse HEAD) &&
	as hom pki-matrix -C "$REPO" remove fc &&
	test_tick &&
	! decrypt_as fc "$(product_file "$P" gpg)" >/dev/null &&
	! decrypt_as fc "$(product_file "$BIG" gpg)" >/dev/null &&
	nowhere
'

test_expect_success 'what a removed principal had stays readable to it in history (doc/SECURITY)' '
	path=$(git -C "$REPO" ls-tree -r --name-only HEAD products | grep "/$P\.gpg$") &&
	git -C "$REPO" show "$old:$path" >"$TRASH/old.gpg" &&
	decrypt_as fc "$TRASH/old.gpg" | grep -q "$MARK" &&
	rm "$TRASH/old.gpg"
'

test_expect_success 'a pki process holding plaintext may not dump core' '
	mkfifo "$TRASH/fifo" || return 1
	(PKI_KEY=$(fpr jmac) exec pki-classify -C "$REPO" -l confidential -c c -a poc) \
		<"$TRASH/fifo" >id &
	pid=$!
	test_tick &&
	exec 3>"$TRASH/fifo" &&
	printf "waiting %s\n" "$MARK" >&3 &&
	for i in 1 2 3 4 5 6 7 8 9 10; do
		grep -q "^Max core file size *0 *0 " /proc/$pid/limits 2>/dev/null && break
		sleep 0.2
	done &&
	grep "^Max core file size" /proc/$pid/limits &&
	grep -q "^Max core file size *0 *0 " /proc/$pid/limits &&
	if [ "$(id -u)" != 0 ]; then
		test "$(stat -c %u /proc/$pid/fd)" = 0
	fi &&
	exec 3>&- &&
	wait $pid &&
	test -s id &&
	test_tick &&
	nowhere
'

test_expect_success 'a transfer to the archives holds ciphertext only' '
	mkdir "$TRASH/bags" &&
	PKI_DATE=2026-07-02T09:00:00Z as chair pki-archive -C "$REPO" --period 2026H1 \
		-o "$TRASH/bags" >bag &&
	test -d "$(cat bag)" &&
	nowhere
'

test_expect_success 'what pki writes is its owner'"'"'s alone (umask 077)' '
	find "$REPO" -path "$REPO/.git" -prune -o -type f -perm /077 -print >loose &&
	find "$REPO/.git/objects" "$TRASH/bags" -mindepth 1 -perm /077 ! -type l -print >>loose &&
	find "$TRASH/copy.gpg" "$TRASH/copy.gpg.xml" -perm /077 -print >>loose &&
	test ! -s loose || { cat loose; false; }
'

test_expect_success 'every commit verifies; the audit is clean' '
	verify_history &&
	pki-audit -C "$REPO"
'

product_done
