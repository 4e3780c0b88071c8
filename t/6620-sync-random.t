#!/bin/sh
# pki-sync, at random: two clones of a central repository each make
# classifications (three products), shares and revokes (the Head of
# Mission's, so that both change the same products), syncing in a random
# order; in the end both are identical, hold every registry row made,
# and both audit clean.
. "$(dirname "$0")/lib.sh"

N=${PKI_SYNC_RANDOM_OPS:-24}
SEED=${PKI_SYNC_RANDOM_SEED:-15}
POOL="fc jmac police undss"

clone() {
	git clone -q central.git "$1" &&
	git -C "$1" config user.signingkey "$(fpr "$2")" &&
	git -C "$1" config pki.entity "$3" &&
	git -C "$1" config pki.root "$(git -C "$REPO" config pki.root)"
}

# The random numbers, one a line: clone, operation (a classification, a
# share four times as often, a sync), product, recipient.
awk -v n="$N" -v seed="$SEED" 'BEGIN { srand(seed); for (i = 0; i < n; i++)
	printf "%d %d %d %d\n", int(rand() * 2), int(rand() * 6), int(rand() * 1000),
		int(rand() * 4) }' >"$TRASH/dice"

test_expect_success 'setup: the mission, a central repository, two clones' '
	mission &&
	git init -q --bare -b main central.git &&
	git -C "$REPO" push -q "$TRASH/central.git" main &&
	clone a jmac JMAC && clone b fc FORCE &&
	: >ids && : >shares && : >rows
'

test_expect_success "$N random operations in two clones, synced at random" '
	while read side op prod rcpt; do
		c=$(echo a b | cut -d" " -f$((side + 1))) &&
		test_tick || return 1
		case $op in
		0)
			[ "$(wc -l <ids)" -lt 3 ] || continue
			echo "product $prod" | pki-classify -C "$c" -l confidential -c c \
				-a "poc;crime;force-protection" >>ids || return 1 ;;
		1|2|3|4)
			n=$(wc -l <ids)
			[ "$n" -gt 0 ] || continue
			id=$(sed -n "$((prod % n + 1))p" ids)
			git -C "$c" ls-files "products/*/$id.xml" | grep -q . || continue
			r=$(echo $POOL | cut -d" " -f$((rcpt + 1)))
			if as hom pki-share -C "$c" "$id" "$r" -j random 2>err; then
				echo "$id $r" >>shares
			else
				grep -q "already receives" err || { cat err; return 1; }
				as hom pki-share -C "$c" --revoke "$id" "$r" -j random 2>err ||
					grep -q "stays on its distribution list" err ||
					{ cat err; return 1; }
			fi ;;
		5)
			pki-sync -C "$c" || return 1 ;;
		esac
	done <"$TRASH/dice"
'

test_expect_success 'synced in turn: both clones identical, and the centre too' '
	test_tick && pki-sync -C a && test_tick && pki-sync -C b && test_tick && pki-sync -C a &&
	test "$(git -C a rev-parse HEAD)" = "$(git -C b rev-parse HEAD)" &&
	test "$(git -C a rev-parse HEAD)" = "$(git -C central.git rev-parse main)" &&
	git -C a diff --quiet HEAD && git -C b diff --quiet HEAD
'

test_expect_success 'every product filed and every share row made is there, each row once' '
	for id in $(cat ids); do
		git -C a ls-files "products/*/$id.gpg" | grep -q . || { echo "lost $id"; return 1; }
	done &&
	python3 - a "$TRASH/ids" "$TRASH/shares" <<-\EOF
	import csv, glob, re, sys
	rows = []
	for f in sorted(glob.glob(sys.argv[1] + "/registry/*.csv")):
	    rows += list(csv.DictReader(open(f, newline="")))
	events = [r["event"] for r in rows]
	assert len(events) == len(set(events)), "a row doubled"
	ids = open(sys.argv[2]).read().split()
	classified = [r["product"] for r in rows if r["action"] == "classify"]
	assert sorted(classified) == sorted(ids), (classified, ids)
	for line in open(sys.argv[3]):
	    pid, who = line.split()
	    assert any(r["action"] == "share" and r["product"] == pid and r["recipient"] == who
	               for r in rows), line
	EOF
'

test_expect_success 'both clones audit clean' '
	pki-audit -C a >findings || { cat findings; return 1; }
	! grep -q "^error" findings &&
	pki-audit -C b >findings || { cat findings; return 1; }
	! grep -q "^error" findings
'

test_done
