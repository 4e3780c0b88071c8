#!/bin/sh
# The pki front command: pki help [TOOL], pki -C DIR TOOL ..., and its
# own pki cat ID (the ciphertext as stored) and pki show ID (the label).
. "$(dirname "$0")/lib.sh"

test_expect_success 'setup: a mission' '
	mission
'

test_expect_success 'pki help TOOL is the tool'"'"'s --help' '
	pki help share >out 2>err &&
	test ! -s err &&
	pki-share --help >expect &&
	test_cmp expect out &&
	pki help matrix >out &&
	pki-matrix --help >expect &&
	test_cmp expect out
'

test_expect_success 'pki help alone lists the tools, one line each' '
	pki help >out 2>err &&
	test ! -s err &&
	pki --help >expect &&
	test_cmp expect out &&
	for t in init matrix classify register share audit archive; do
		test "$(grep -c "^   $t " out)" -eq 1 || return 1
	done
'

test_expect_success 'pki help: an unknown tool, a bad name, two tools' '
	test_expect_code 64 pki help no-such-tool 2>err &&
	test "$(wc -l <err)" -eq 1 &&
	test_expect_code 64 pki help nosuchtool 2>err &&
	grep -q "not a pki command" err &&
	test_expect_code 64 pki help share matrix 2>err &&
	test "$(wc -l <err)" -eq 1
'

test_expect_success 'pki -C DIR TOOL runs the tool in DIR' '
	cd "$TRASH" &&
	pki -C "$REPO" matrix list >out &&
	pki-matrix -C "$REPO" list >expect &&
	test_cmp expect out &&
	mkdir -p sub &&
	pki -C sub -C ../m matrix list >out2 &&
	test_cmp expect out2
'

test_expect_success 'pki -C: relative paths among ARGS are relative to DIR' '
	cd "$TRASH" &&
	echo "a report" >"$REPO/../report.txt" &&
	cd / &&
	id=$(as jmac pki -C "$REPO" classify -l confidential -c b -a poc ../report.txt) &&
	test -n "$id" &&
	git -C "$REPO" ls-files "products/*/$id.gpg" | grep -q .
'

test_expect_success 'pki -C: a missing value is 64, a missing directory 66' '
	test_expect_code 64 pki -C 2>err &&
	test "$(wc -l <err)" -eq 1 &&
	test_expect_code 66 pki -C "$TRASH/nowhere" matrix list 2>err &&
	test "$(wc -l <err)" -eq 1 &&
	test_expect_code 64 pki -C "$REPO" 2>err &&
	grep -q "a command is required" err
'

test_expect_success 'pki cat ID | gpg -d: the plaintext, with a principal'"'"'s key' '
	cd "$REPO" &&
	path=$(git ls-files "products/*/$id.gpg") &&
	pki cat "$id" >"$TRASH/ct" 2>"$TRASH/err" &&
	test ! -s "$TRASH/err" &&
	git cat-file blob "HEAD:$path" >"$TRASH/expect" &&
	cmp "$TRASH/expect" "$TRASH/ct" &&
	pki cat "$id" | GNUPGHOME=$(keyring jmac) gpg --batch --quiet --decrypt >"$TRASH/pt" 2>/dev/null &&
	echo "a report" >"$TRASH/want" &&
	test_cmp "$TRASH/want" "$TRASH/pt" &&
	test -z "$(git status --porcelain)"
'

test_expect_success 'pki cat: one not on the list cannot read it' '
	cd "$TRASH" &&
	pki -C "$REPO" cat "$id" >ct &&
	test_must_fail env GNUPGHOME="$(keyring police)" gpg --batch --quiet --decrypt ct >pt 2>/dev/null &&
	test ! -s pt
'

test_expect_success 'pki show ID: the label, valid against label.xsd' '
	cd "$REPO" &&
	path=$(git ls-files "products/*/$id.xml") &&
	pki show "$id" >"$TRASH/label.xml" 2>"$TRASH/err" &&
	test ! -s "$TRASH/err" &&
	git cat-file blob "HEAD:$path" >"$TRASH/expect" &&
	test_cmp "$TRASH/expect" "$TRASH/label.xml" &&
	xmllint --noout --schema "$SRC/share/pki/label.xsd" "$TRASH/label.xml" 2>"$TRASH/lint" ||
		{ cat "$TRASH/lint"; return 1; }
'

test_expect_success 'pki cat and show: no key needed, and a bare clone will do' '
	cd "$TRASH" &&
	git clone -q --bare "$REPO" bare.git &&
	GNUPGHOME=$TRASH/nokeys pki -C bare.git show "$id" >label2.xml &&
	test_cmp label.xml label2.xml &&
	mkdir -m 700 nokeys &&
	GNUPGHOME=$TRASH/nokeys pki -C bare.git cat "$id" >ct2 &&
	pki -C "$REPO" cat "$id" >ct &&
	cmp ct ct2
'

test_expect_success 'pki cat, show: refused without a product ID, or with two' '
	cd "$REPO" &&
	expect_refusal 64 pki cat &&
	expect_refusal 64 pki show "$id" "$id"
'

test_expect_success 'pki cat, show: a bad product ID is 64, one line' '
	cd "$REPO" &&
	expect_refusal 64 pki cat ../../etc/passwd &&
	grep -q "invalid product ID" "$TRASH/err" &&
	expect_refusal 64 pki show "UNMISS-JMAC-2026-" &&
	grep -q "invalid product ID" "$TRASH/err"
'

test_expect_success 'pki cat, show: an unknown product is 66, one line' '
	cd "$REPO" &&
	expect_refusal 66 pki cat UNMISS-JMAC-2026-999999 &&
	grep -qx "pki: no product UNMISS-JMAC-2026-999999" "$TRASH/err" &&
	test ! -s "$TRASH/out" &&
	expect_refusal 66 pki show UNMISS-JMAC-2026-999999 &&
	grep -qx "pki: no product UNMISS-JMAC-2026-999999" "$TRASH/err"
'

test_expect_success 'pki cat: outside a repository, an error, one line' '
	cd "$TRASH" &&
	mkdir -p empty &&
	test_must_fail pki -C empty cat "$id" >out 2>err &&
	test ! -s out &&
	test "$(wc -l <err)" -eq 1
'

# Memory stays flat: the ciphertext is streamed, never held whole.  The
# loose object is mapped from its file (reclaimable pages), so what must
# not grow is the anonymous memory, read half way through from /proc
# while pki cat waits on a full pipe.
test_expect_success 'pki cat: a large product streams, its memory flat' '
	cd "$TRASH" &&
	head -c 100000000 /dev/urandom >big &&
	test_tick &&
	big=$(as jmac pki -C "$REPO" classify -l confidential -c b -a poc "$TRASH/big") &&
	rm big &&
	mkfifo pipe &&
	{ pki -C "$REPO" cat "$big" >pipe & } &&
	pid=$! &&
	exec 3<pipe &&
	head -c 50000000 <&3 >ct &&
	sleep 1 &&
	grep -q "^Name:[[:space:]]*pki$" /proc/$pid/status &&
	anon=$(awk "/^RssAnon:/ { print \$2 }" /proc/$pid/status) &&
	cat <&3 >>ct &&
	exec 3<&- &&
	wait $pid &&
	path=$(git -C "$REPO" ls-files "products/*/$big.gpg") &&
	git -C "$REPO" cat-file blob "HEAD:$path" | cmp - ct &&
	rm ct pipe &&
	say "pki cat of 100 MB: anonymous memory $anon KiB half way" &&
	test "$anon" -lt 20000
'

if command -v script >/dev/null 2>&1; then
	test_expect_success 'pki cat: no binary copy to a terminal (64); show writes there' '
		cd "$TRASH" &&
		test_expect_code 64 script -qec "pki -C m cat $id" /dev/null >tty.out 2>&1 &&
		grep -q "not writing a binary copy to a terminal" tty.out &&
		test "$(grep -c . tty.out)" -eq 1 &&
		script -qec "pki -C m show $id" /dev/null >tty.out 2>&1 &&
		grep -q "<label" tty.out
	'
else
	say "skip: pki cat to a terminal (no script)"
fi

test_done
