#!/bin/sh
# pki-audit's memory does not grow with a product: a large ciphertext at
# the tip is read in pieces from the work-tree copy the index vouches
# for, and its label's SHA-256 is checked on what was read.  Without a
# copy to vouch for (a bare clone, a copy changed by hand) the object
# store is read, whole when libgit2 cannot stream it.
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-audit.sh"

# The address space an audit may have: a small mission's audit needs
# about 64 MiB (threads, their stacks and malloc arenas included), with
# a large product packed about 150 MiB (the pack is mapped in windows of
# 32 MiB); a 256 MiB product read whole needs 256 MiB more than that (a
# loose object is mapped whole, a packed one inflated into the heap).
LIMIT_KIB=$((224 * 1024))

# limited CMD...: CMD under the limit, in a subshell.
limited() {
	(ulimit -v "$LIMIT_KIB" && "$@")
}

test_expect_success 'setup: a mission and a 256 MiB product of random bytes' '
	mission &&
	before=$(git -C "$REPO" rev-parse main) &&
	head -c 268435456 /dev/urandom >big &&
	P=$(as fc pki-classify -C "$REPO" -l confidential -c c -a force-protection <big) &&
	rm big &&
	test_tick &&
	F=$(echo "$REPO"/products/*/"$P.gpg") &&
	test "$(wc -c <"$F")" -gt 268435456
'

# AddressSanitizer reserves terabytes of address space up front.
case $BUILD in
*asan*)
	for t in 'a full audit under the limit' 'an audit --since under the limit' \
		'a bare clone reads the object store: over the limit' \
		'packed by git gc: under the limit'; do
		test_count=$((test_count + 1))
		printf 'ok %d # skip %s (AddressSanitizer reserves terabytes of address space)\n' \
			"$test_count" "$t"
	done
	;;
*)
	test_expect_success 'a full audit under the limit: the copy in the work tree is read' '
		limited pki-audit -C "$REPO" >findings &&
		test ! -s findings
	'

	test_expect_success 'an audit --since under the limit' '
		limited pki-audit -C "$REPO" --since "$before" >findings &&
		test ! -s findings
	'

	test_expect_success 'a bare clone reads the object store: over the limit, clean without it' '
		git clone -q --bare "$REPO" bare &&
		pin bare &&
		test_must_fail limited pki-audit -C bare >findings 2>err &&
		grep -q "Out of memory" err &&
		pki-audit -C bare >findings &&
		test ! -s findings
	'

	test_expect_success 'packed by git gc: the copy in the work tree is read, under the limit' '
		git -C "$REPO" gc --quiet &&
		test -z "$(find "$REPO/.git/objects" -type f -size +1M ! -path "*/pack/*")" &&
		limited pki-audit -C "$REPO" >findings &&
		test ! -s findings
	'
	;;
esac

test_expect_success 'a copy changed by hand is not vouched for: the object store is read, clean' '
	tamper &&
	f=$(product_file "$P" gpg) &&
	printf "changed" | dd of="$f" bs=1 seek=134217728 conv=notrunc status=none &&
	pki-audit -C c >findings &&
	test ! -s findings
'

# The index itself forged to vouch for a changed copy (someone who can
# write the auditor's clone): the SHA-256 of what was read gives it away.
test_expect_success 'an index forged to vouch for a changed copy: A302' '
	tamper &&
	f=$(product_file "$P" gpg) &&
	path=$(product_path "$P" gpg) &&
	old=$(git -C c rev-parse "HEAD:$path") &&
	printf "changed" | dd of="$f" bs=1 seek=134217728 conv=notrunc status=none &&
	touch -d "@$(($(date +%s) - 60))" "$f" &&
	git -C c update-index --info-only "$path" &&
	new=$(git -C c rev-parse ":$path") &&
	python3 - c/.git/index "$new" "$old" <<-\EOF &&
	import hashlib, sys
	path, new, old = sys.argv[1], bytes.fromhex(sys.argv[2]), bytes.fromhex(sys.argv[3])
	body = open(path, "rb").read()[:-20]
	assert body.count(new) == 1
	body = body.replace(new, old)
	open(path, "wb").write(body + hashlib.sha1(body).digest())
	EOF
	test -z "$(git -C c diff --cached --name-only)" &&
	expect_finding A302 &&
	grep -q "^error A302 $P: " findings
'

test_done
