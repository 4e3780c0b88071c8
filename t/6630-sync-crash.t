#!/bin/sh
# pki-sync killed at any instant (SIGKILL, at random instants over the
# whole run of a merge that re-encrypts a product): the clone is as it was
# or holds the merge, never between; git fsck accepts it, and the next
# sync recovers what was left (a work-tree update cut short), ends with the
# merge and a clean work tree, and the clone audits clean.
. "$(dirname "$0")/lib.sh"

TRIALS=${PKI_CRASH_TRIALS:-12}
SEED=${PKI_CRASH_SEED:-$(od -An -N2 -tu2 /dev/urandom | tr -d " ")}

now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

clean() {
	git -C "$1" status --porcelain --untracked-files=all >"$TRASH/st" &&
	test ! -s "$TRASH/st" &&
	test ! -e "$1/.git/pki-updating" ||
		{ cat "$TRASH/st"; return 1; }
}

test_expect_success 'setup: a product shared in two clones at once, one of them pushed' '
	mission &&
	git init -q --bare -b main central.git &&
	a=$(echo alpha | as jmac pki-classify -C "$REPO" -l confidential -c c -a "poc;crime") &&
	git -C "$REPO" push -q "$TRASH/central.git" main &&
	git clone -q central.git hq0 &&
	git -C hq0 config user.signingkey "$(fpr jmac)" &&
	git -C hq0 config pki.root "$(git -C "$REPO" config pki.root)" &&
	git clone -q central.git other &&
	test_tick &&
	as jmac pki-share -C hq0 "$a" fc -j "fp" &&
	test_tick &&
	as jmac pki-share -C other "$a" police -j "crime" &&
	git -C other push -q origin main &&
	theirs=$(git -C other rev-parse HEAD) &&
	ours=$(git -C hq0 rev-parse HEAD) &&
	test_tick &&
	rm -rf x && cp -a hq0 x &&
	t0=$(now_ms) &&
	pki-sync -C x --no-push &&
	took=$(($(now_ms) - t0)) &&
	test "$(git -C x rev-list --parents -1 HEAD)" = "$(git -C x rev-parse HEAD) $ours $theirs"
'
say "seed $SEED (PKI_CRASH_SEED); a sync took ${took:-?} ms"

test_expect_success "$TRIALS syncs killed with SIGKILL at random instants" '
	: >outcomes &&
	k=0 &&
	while [ $k -lt $TRIALS ]; do
		rm -rf x && cp -a hq0 x &&
		# Slot k of TRIALS over 0 .. 1.5 times the run (a loaded machine
		# runs slower than the timing did); the last one lets it finish.
		delay=$(awk -v s=$SEED -v k=$k -v n=$TRIALS -v t=$took "BEGIN {
			srand(s + k); f = k == n - 1 ? 10 : (k + rand()) / n * 1.5;
			printf \"%.3f\", f * t / 1000 }") ||
			return 1
		(exec pki-sync -C x --no-push) 2>killed.err &
		pid=$! &&
		sleep $delay &&
		kill -9 $pid 2>/dev/null
		wait $pid
		rc=$?
		if [ $rc -ne 0 ] && [ $rc -ne 137 ]; then
			echo "trial $k (after ${delay}s) exited $rc:"; cat killed.err; return 1
		fi
		head=$(git -C x rev-parse HEAD) &&
		if [ "$head" = "$ours" ]; then
			state=before
		elif [ "$(git -C x rev-list --parents -1 HEAD)" = "$head $ours $theirs" ]; then
			state=after
		else
			echo "trial $k: HEAD is $head, neither before nor after"; return 1
		fi &&
		if [ -e x/.git/pki-updating ]; then state="$state+updating"; fi &&
		echo "$k $delay $rc $state" >>outcomes &&
		git -C x fsck --strict --no-dangling >fsck 2>&1 ||
			{ echo "trial $k: fsck"; cat fsck; return 1; }
		pki-sync -C x --no-push &&
		test "$(git -C x rev-list --parents -1 HEAD | cut -d" " -f2-)" = "$ours $theirs" &&
		clean x || { echo "trial $k (after ${delay}s, $state)"; return 1; }
		k=$((k + 1))
	done
'

say "$(awk "{ print \$4 }" outcomes 2>/dev/null | sort | uniq -c | tr -s " " | tr "\n" ";")"

test_expect_success 'kills fell before and after the branch moved' '
	grep -q " before" outcomes &&
	grep -q " after" outcomes
'

test_expect_success 'the last clone audits clean' '
	pki-audit -C x >findings 2>&1 || { cat findings; return 1; }
	! grep -q "^error" findings
'

test_done
