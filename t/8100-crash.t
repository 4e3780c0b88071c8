#!/bin/sh
# A process killed at any instant (pki(7), "Atomic and concurrent"):
# SIGKILL, at random instants spread over the whole run of classify,
# share, matrix add and register, leaves a repository that git fsck and
# the audit accept; the next operation recovers what was left (git's lock
# files, a work-tree update cut short) and leaves the work tree clean.
#
# Plain timing, no hook in the code: each kind of operation is timed
# once, then killed after a delay drawn from its own slot of that time
# (stratified, with jitter).  PKI_CRASH_TRIALS and PKI_CRASH_SEED change
# the number of trials and the draw.
. "$(dirname "$0")/lib.sh"

TRIALS=${PKI_CRASH_TRIALS:-52}
SEED=${PKI_CRASH_SEED:-$(od -An -N2 -tu2 /dev/urandom | tr -d " ")}
KINDS="classify share matrix register"

now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# start KIND K: start one operation of KIND in the background (trial K),
# the process itself (exec), so that $! is the pki command.
start() {
	case $1 in
	classify)
		(PKI_KEY=$(fpr jmac) exec pki-classify -C "$REPO" -l confidential -c c -a poc \
			"$TRASH/in") >/dev/null 2>"$TRASH/killed.err" & ;;
	share)
		(PKI_KEY=$(fpr fc) exec pki-share -C "$REPO" "$fresh" jmac) \
			>/dev/null 2>"$TRASH/killed.err" & ;;
	matrix)
		(PKI_KEY=$(fpr hom) exec pki-matrix -C "$REPO" add police \
			--until "$(date -u -d "2027-01-01 + $2 days" +%F)") \
			>/dev/null 2>"$TRASH/killed.err" & ;;
	register)
		(PKI_KEY=$(fpr chair) exec pki-register -C "$REPO" --receive \
			--from "Member State X" --ref "MS-$2" -l confidential -c a -a poc \
			"$TRASH/in") >/dev/null 2>"$TRASH/killed.err" & ;;
	esac
}

# next: the operation after a crash, which must land; it files the
# product the next share trial shares.
next_op() {
	fresh=$(as fc pki-classify -C "$REPO" -l confidential -c c -a poc "$TRASH/in") ||
		{ echo "the operation after the crash failed"; return 1; }
}

# clean: nothing left behind by pki: no git lock file, no interrupted
# update, a work tree and an index that are the tip.
clean() {
	git -C "$REPO" status --porcelain --untracked-files=all --ignored >"$TRASH/st" &&
	test ! -s "$TRASH/st" &&
	test ! -e "$REPO/.git/pki-updating" &&
	test -z "$(find "$REPO/.git" -name "*.lock" ! -name pki.lock)" ||
		{ cat "$TRASH/st"; ls -la "$REPO/.git"; return 1; }
}

test_expect_success 'setup: a mission, and the time each operation takes' '
	mission &&
	echo "product under test" >in &&
	next_op &&
	for kind in $KINDS; do
		t0=$(now_ms) &&
		start $kind 0 && wait $! || return 1
		eval "took_$kind=\$(($(now_ms) - t0))" &&
		test_tick && next_op || return 1
	done &&
	clean &&
	pki-audit -C "$REPO" &&
	audited=$(git -C "$REPO" rev-parse HEAD)
'
say "seed $SEED (PKI_CRASH_SEED); ms: classify ${took_classify:-}, share ${took_share:-}," \
	"matrix ${took_matrix:-}, register ${took_register:-}"

test_expect_success "$TRIALS operations killed with SIGKILL at random instants" '
	: >outcomes &&
	k=0 &&
	while [ $k -lt $TRIALS ]; do
		kind=$(echo $KINDS | cut -d" " -f$((k % 4 + 1))) &&
		eval "span=\$took_$kind" &&
		# Slot k/4 of TRIALS/4 over 0 .. 1.2 times the run, plus jitter.
		delay=$(awk -v s=$SEED -v k=$k -v n=$((TRIALS / 4)) -v t=$span "BEGIN {
			srand(s + k); slot = int(k / 4) % n;
			printf \"%.3f\", (slot + rand()) / n * t * 1.2 / 1000 }") &&
		before=$(git -C "$REPO" rev-parse HEAD) &&
		start $kind $k &&
		pid=$! &&
		sleep $delay &&
		kill -9 $pid 2>/dev/null
		wait $pid
		rc=$?
		if [ $rc -ne 0 ] && [ $rc -ne 137 ]; then
			echo "trial $k ($kind after ${delay}s) exited $rc:"; cat killed.err; return 1
		fi
		# What the kill left: the branch moved or not, an update cut short.
		after=$(git -C "$REPO" rev-parse HEAD) &&
		state=$([ "$before" = "$after" ] && echo none || echo landed) &&
		if [ -e "$REPO/.git/pki-updating" ]; then state="$state+updating"; fi &&
		if [ -n "$(find "$REPO/.git" -name "*.lock" ! -name pki.lock)" ]; then
			state="$state+locks"
		fi &&
		echo "$k $kind $delay $rc $state" >>outcomes &&
		git -C "$REPO" fsck --strict --no-dangling >fsck 2>&1 ||
			{ echo "trial $k ($kind after ${delay}s): fsck"; cat fsck; return 1; }
		pki-audit -C "$REPO" --since "$audited" >findings 2>&1 ||
			{ echo "trial $k ($kind after ${delay}s): audit"; cat findings; return 1; }
		test_tick &&
		next_op &&
		clean || { echo "trial $k ($kind after ${delay}s, $state)"; return 1; }
		audited=$after &&
		k=$((k + 1))
	done
'

say "$(awk "{ print \$2, \$5 }" outcomes 2>/dev/null | sort | uniq -c | tr -s " " | tr "\n" ";")"

test_expect_success 'kills fell before, during and after the change' '
	grep -q " none" outcomes &&
	grep -q " landed" outcomes &&
	grep -q " 137 " outcomes
'

test_expect_success 'the whole history audits clean and verifies with stock git' '
	pki-audit -C "$REPO" &&
	verify_history
'

test_expect_success 'git lock files left by a killed writer are removed under the lock' '
	for f in refs/heads/main.lock index.lock HEAD.lock; do
		echo stale >"$REPO/.git/$f" || return 1
	done &&
	: >"$REPO/.git/pki-updating" &&
	test_tick &&
	next_op &&
	clean
'

test_expect_success 'a git lock file pki did not make is left to git: busy (75), nothing changed' '
	for f in refs/heads/main.lock index.lock; do
		echo "git at work" >"$REPO/.git/$f" &&
		test_tick &&
		expect_refusal 75 as jmac pki-classify -C "$REPO" -l confidential -c c -a poc "$TRASH/in" &&
		grep -q "^pki-classify: .\.git/$f. exists: a git command is at work here" err &&
		test "$(cat "$REPO/.git/$f")" = "git at work" &&
		rm "$REPO/.git/$f" || return 1
	done
'

# unfinish: put the files of the last commit back as they were before it,
# in the work tree and the index, and record them as being updated: what
# a writer killed between moving the branch and the work tree leaves.
unfinish() {
	git -C "$REPO" diff --name-only HEAD~1 HEAD >"$REPO/.git/pki-updating" &&
	for f in $(cat "$REPO/.git/pki-updating"); do
		if git -C "$REPO" cat-file -e "HEAD~1:$f" 2>/dev/null; then
			git -C "$REPO" show "HEAD~1:$f" >"$REPO/$f" || return 1
		else
			rm -f "$REPO/$f"
		fi
	done &&
	git -C "$REPO" read-tree HEAD~1 &&
	echo stale >"$REPO/.git/index.lock" &&
	test -s "$REPO/.git/pki-updating"
}

test_expect_success 'an update of the work tree cut short is finished by the next writer' '
	test_tick &&
	id=$(as jmac pki-classify -C "$REPO" -l confidential -c c -a poc "$TRASH/in") &&
	unfinish &&
	test -n "$(git -C "$REPO" status --porcelain)" &&
	test_tick &&
	as jmac pki-share -C "$REPO" "$id" fc &&
	clean
'

test_expect_success 'a work-tree file cut short while being written is not left behind' '
	test_tick &&
	id=$(as jmac pki-classify -C "$REPO" -l confidential -c c -a poc "$TRASH/in") &&
	unfinish &&
	gpg=$(git -C "$REPO" ls-tree -r --name-only HEAD products | grep "/$id\.gpg$") &&
	head -c 10 "$REPO/$(git -C "$REPO" ls-tree -r --name-only HEAD~1 products | head -1)" \
		>"$REPO/$(dirname "$gpg")/.$id.gpg.pki-99999" &&
	test_tick &&
	as jmac pki-share -C "$REPO" "$id" fc &&
	clean
'
rm -f "$REPO"/products/*/.*.pki-99999

test_expect_success 'a writer killed while another waits: the waiter lands' '
	test_tick &&
	before=$(git -C "$REPO" rev-list --count HEAD) &&
	start classify 1000 || return 1
	first=$!
	(PKI_KEY=$(fpr fc) exec pki-classify -C "$REPO" -l confidential -c c -a poc \
		"$TRASH/in") >id &
	second=$!
	sleep 0.05
	kill -9 $first 2>/dev/null
	wait $first
	wait $second &&
	test -s id &&
	test "$(git -C "$REPO" rev-list --count HEAD)" -ge $((before + 1)) &&
	clean
'

test_expect_success 'the audit accepts all of it' '
	pki-audit -C "$REPO" &&
	verify_history
'

test_done
