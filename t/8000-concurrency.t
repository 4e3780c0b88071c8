#!/bin/sh
# Several processes on one repository at once (pki(7), "Atomic and
# concurrent"): every operation lands whole or fails cleanly with 75 and
# lands when tried again; nothing is lost; the history stays clean.
. "$(dirname "$0")/lib.sh"

WORKERS="jmac fc police chair"
OPS=25

# worker NAME LEVEL CRIT AREAS RECIPIENT: OPS operations as NAME, in
# turn classify, share (the product just classified, to RECIPIENT) and
# receive; each is tried again while it fails with 75.  Landed operations
# go to w.NAME/log, anything else to w.NAME/fail.
worker() {
	_w=$TRASH/w.$1
	mkdir -p "$_w" &&
	echo "product of $1" >"$_w/in" &&
	_i=0 _id=
	while [ $_i -lt $OPS ]; do
		case $((_i % 3)) in
		0) set -- "$1" "$2" "$3" "$4" "$5" classify ;;
		1) set -- "$1" "$2" "$3" "$4" "$5" share ;;
		2) set -- "$1" "$2" "$3" "$4" "$5" receive ;;
		esac
		_tries=0
		while :; do
			_tries=$((_tries + 1))
			case $6 in
			classify)
				as "$1" pki-classify -C "$REPO" -l "$2" -c "$3" -a "$4" "$_w/in" ;;
			share)
				as "$1" pki-share -C "$REPO" "$_id" "$5" ;;
			receive)
				as "$1" pki-register -C "$REPO" --receive --from "Member State $1" \
					--ref "REF-$1-$_i" -l confidential -c a -a "$4" "$_w/in" ;;
			esac >"$_w/out" 2>"$_w/err"
			_rc=$?
			[ $_rc -ne 75 ] && break
			# Busy: one line on stderr, nothing on stdout; try again.
			if [ "$(wc -l <"$_w/err")" -ne 1 ] || [ -s "$_w/out" ]; then
				echo "op $_i ($6): a 75 said more than one line" >>"$_w/fail"
				cat "$_w/err" "$_w/out" >>"$_w/fail"
			fi
			echo "$6" >>"$_w/busy"
			[ $_tries -lt 500 ] || break
		done
		if [ $_rc -ne 0 ]; then
			{ echo "op $_i ($6) exited $_rc after $_tries tries"; cat "$_w/err"; } >>"$_w/fail"
		else
			case $6 in
			classify) _id=$(cat "$_w/out"); echo "classify $_id" >>"$_w/log" ;;
			share) echo "share $_id $5" >>"$_w/log" ;;
			receive) echo "receive $(cat "$_w/out")" >>"$_w/log" ;;
			esac
		fi
		_i=$((_i + 1))
	done
}

# count ACTION: registry rows of that action, read with Python's csv.
count() {
	python3 - "$1" "$REPO"/registry/*.csv <<-\EOF
	import csv, sys
	print(sum(1 for f in sys.argv[2:] for r in csv.DictReader(open(f, newline=""))
	          if r["action"] == sys.argv[1]))
	EOF
}

test_expect_success 'setup: a mission' '
	mission &&
	base=$(git -C "$REPO" rev-list --count HEAD) &&
	rows0=$(cat "$REPO"/registry/*.csv 2>/dev/null | wc -l)
'

test_expect_success 'a command that cannot get the lock says so on one line, exits 75, changes nothing' '
	echo x >in || return 1
	flock -o "$REPO/.git/pki.lock" sleep 30 &
	holder=$!
	while flock -n "$REPO/.git/pki.lock" true; do sleep 0.05; done
	PKI_LOCK_TIMEOUT=0.2 expect_refusal 75 \
		as jmac pki-classify -C "$REPO" -l confidential -c c -a poc "$TRASH/in"
	rc=$?
	kill $holder
	wait $holder
	test $rc = 0 &&
	grep -q "^pki-classify: repository busy: another process holds the lock; try again, or wait longer with PKI_LOCK_TIMEOUT=SECONDS (waited 0.2 s)$" err &&
	as jmac pki-classify -C "$REPO" -l confidential -c c -a poc "$TRASH/in" >id &&
	base=$((base + 1))
'

test_expect_success "$(echo $WORKERS | wc -w) processes, $OPS operations each, at once" '
	start=$(date +%s)
	PKI_LOCK_TIMEOUT=0.2
	export PKI_LOCK_TIMEOUT
	worker jmac confidential c poc fc &
	worker fc confidential c poc jmac &
	worker police confidential d crime jmac &
	worker chair strictly-confidential e poc fc &
	wait &&
	unset PKI_LOCK_TIMEOUT &&
	took="$(($(date +%s) - start)) s, $(cat w.*/busy 2>/dev/null | wc -l) tries busy (75) and tried again" &&
	if cat w.*/fail 2>/dev/null | grep .; then false; fi
'

say "${took:-}"

test_expect_success 'every operation landed: one commit each, nothing lost' '
	landed=$(cat w.*/log | wc -l) &&
	test "$landed" = $(($(echo $WORKERS | wc -w) * OPS)) &&
	test "$(git -C "$REPO" rev-list --count HEAD)" = $((base + landed)) &&
	test "$(git -C "$REPO" rev-list --count --merges HEAD)" = 0
'

test_expect_success 'every product filed, under its own ID, with its rows' '
	n=$(cat w.*/log | grep -c "^classify ") &&
	r=$(cat w.*/log | grep -c "^receive ") &&
	s=$(cat w.*/log | grep -c "^share ") &&
	{ awk "\$1 != \"share\" { print \$2 }" w.*/log && cat id; } | sort >ids &&
	sort -u ids >uniq && test_cmp ids uniq &&
	git -C "$REPO" ls-tree -r --name-only HEAD products | grep "\.gpg$" |
		sed "s,.*/,,; s,\.gpg$,," | sort >files &&
	test_cmp ids files &&
	git -C "$REPO" ls-tree -r --name-only HEAD products | grep -c "\.xml$" >nxml &&
	test "$(cat nxml)" = $((n + r + 1)) &&
	test "$(count classify)" = $((n + 1)) &&
	test "$(count receive)" = "$r" &&
	test "$(count share)" = "$s" &&
	awk "\$1 == \"share\" { print \$2 }" w.*/log | while read -r id; do
		git -C "$REPO" log --format=%s | grep -qx "pki-share: share $id with .*" ||
			{ echo "no share commit for $id"; exit 1; }
	done
'

test_expect_success 'the history verifies with stock git; fsck --strict is clean' '
	verify_history
'

test_expect_success 'the audit is clean' '
	pki-audit -C "$REPO" >out 2>err &&
	test ! -s out && test ! -s err
'

test_expect_success 'the work tree and the index are the tip, nothing left behind' '
	git -C "$REPO" status --porcelain --untracked-files=all --ignored >st &&
	test ! -s st &&
	test ! -e "$REPO/.git/pki-updating" &&
	test -z "$(find "$REPO/.git" -name "*.lock" ! -name pki.lock)"
'

test_done
