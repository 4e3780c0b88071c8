#!/bin/sh
# The repository lock is held only to stage, sign and commit: a product is
# encrypted before it is taken, so a slow or large one keeps nobody
# waiting; a command kept waiting names the holder and PKI_LOCK_TIMEOUT.
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-product.sh"
. "$TEST_DIRECTORY/lib-share.sh"

LOCK=$REPO/.git/pki.lock

test_expect_success 'setup: a mission' '
	mission &&
	echo "a small product" >small
'

test_expect_success 'a classify reading a slow product holds no lock meanwhile' '
	mkfifo slow || return 1
	{ as jmac pki-classify -C "$REPO" -l confidential -c c -a poc <slow >slow.id 2>slow.err
	  echo $? >slow.rc; } &
	exec 3>slow &&
	echo "the first half," >&3 &&
	PKI_LOCK_TIMEOUT=0.5 as fc pki-classify -C "$REPO" -l confidential -c c -a poc "$TRASH/small" >fast.id
	rc=$?
	echo "the second half" >&3
	exec 3>&-
	wait
	test $rc = 0 &&
	test "$(cat slow.rc)" = 0 && test ! -s slow.err &&
	decrypt_as jmac "$(product_file "$(cat slow.id)" gpg)" >out &&
	printf "the first half,\nthe second half\n" >want && test_cmp want out &&
	git -C "$REPO" log -2 --format=%s >subjects &&
	grep -qx "pki-classify: classify $(cat slow.id)" subjects &&
	grep -qx "pki-classify: classify $(cat fast.id)" subjects &&
	test -z "$(git -C "$REPO" status --porcelain)" &&
	! ls "$REPO"/.git/pki-shadow.* 2>/dev/null &&
	verify_history
'

test_expect_success 'the list changes while standard input is encrypted: 75, naming why, nothing filed' '
	test_tick &&
	rm -f slow && mkfifo slow || return 1
	{ as jmac pki-classify -C "$REPO" -l confidential -c c -a poc <slow >slow.id 2>slow.err
	  echo $? >slow.rc; } &
	exec 3>slow
	echo "read before the change" >&3
	add_principal chair2 CMPIC mission chair strictly-confidential "*"
	rc=$?
	before=$(repo_state)
	exec 3>&-
	wait
	test $rc = 0 &&
	cat slow.err &&
	test "$(cat slow.rc)" = 75 && test ! -s slow.id &&
	test "$(wc -l <slow.err)" = 1 &&
	grep -q "^pki-classify: the access matrix changed while the product was being encrypted; run the command again$" slow.err &&
	test "$before" = "$(repo_state)" &&
	! ls "$REPO"/.git/pki-shadow.* 2>/dev/null
'

test_expect_success 'the list changes while a file is encrypted: encrypted again, to the new list' '
	test_tick &&
	head -c 67108864 /dev/urandom >large || return 1
	{ as jmac pki-classify -C "$REPO" -l confidential -c c -a poc "$TRASH/large" >large.id 2>large.err
	  echo $? >large.rc; } &
	while ! ls "$REPO"/.git/pki-shadow.* >/dev/null 2>&1; do sleep 0.02; done &&
	as hom pki-matrix -C "$REPO" remove chair2 &&
	wait &&
	cat large.err &&
	test "$(cat large.rc)" = 0 &&
	git -C "$REPO" log -2 --format=%s >subjects &&
	printf "%s\n" "pki-classify: classify $(cat large.id)" "pki-matrix: remove chair2" >want &&
	test_cmp want subjects &&
	readers_are "$(cat large.id)" "archives chair hom jmac" &&
	decrypt_as chair "$(product_file "$(cat large.id)" gpg)" | cmp - "$TRASH/large" &&
	! ls "$REPO"/.git/pki-shadow.* 2>/dev/null &&
	verify_history
'

test_expect_success 'a command kept waiting names the holder (pid, command, since) and PKI_LOCK_TIMEOUT' '
	test_tick &&
	P=$(cat large.id) || return 1
	{ as jmac pki-share -C "$REPO" "$P" fc >share.out 2>share.err; echo $? >share.rc; } &
	while flock -n "$LOCK" true; do sleep 0.01; done &&
	PKI_LOCK_TIMEOUT=0.3 expect_refusal 75 as fc pki-classify -C "$REPO" -l confidential -c c -a poc "$TRASH/small"
	rc=$?
	pid=$(sed -n "s/.*: pki-share (pid \([0-9]*\)) has held.*/\1/p" err)
	comm=$(cat "/proc/$pid/comm" 2>/dev/null)
	wait
	test $rc = 0 &&
	grep -Eq "^pki-classify: repository busy: pki-share \(pid [0-9]+\) has held the lock since [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z; try again, or wait longer with PKI_LOCK_TIMEOUT=SECONDS \(waited 0.3 s\)$" err &&
	test "$comm" = pki-share &&
	test "$(cat share.rc)" = 0 &&
	on_list "$P" fc &&
	test ! -s "$LOCK"
'

test_expect_success 'a holder that is not pki (flock(1)) is not named from stale words' '
	echo "999999 pki-gone 2026-01-01T00:00:00Z" >"$LOCK" &&
	flock -o "$LOCK" sleep 30 &
	holder=$!
	while flock -n "$LOCK" true; do sleep 0.02; done
	PKI_LOCK_TIMEOUT=0.1 expect_refusal 75 as fc pki-classify -C "$REPO" "$TRASH/small"
	rc=$?
	kill $holder; wait $holder
	test $rc = 0 &&
	grep -qx "pki-classify: repository busy: another process holds the lock; try again, or wait longer with PKI_LOCK_TIMEOUT=SECONDS (waited 0.1 s)" err
'

test_expect_success 'the audit is clean' '
	pki-audit -C "$REPO" >out 2>err &&
	test ! -s out && test ! -s err
'

test_done
