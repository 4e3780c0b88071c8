#!/bin/sh
# examples/demo (make demo): runs to the end, tells each step, cleans up,
# and fails when a step that should succeed fails.
. "$(dirname "$0")/lib.sh"

DEMO=$SRC/examples/demo
BINDIR=$SRC/$BUILD/bin
mkdir -p tmp

test_expect_success 'the demo runs to the end' '
	TMPDIR=$TRASH/tmp PKI_BIN=$BINDIR "$DEMO" >out 2>err ||
		{ cat out err; return 1; }
	grep -q "^== [0-9]*\. Done$" out
'

test_expect_success 'make demo asks for no clang (make fuzz alone does) and builds quietly' '
	unset MAKEFLAGS MFLAGS MAKELEVEL
	make -C "$SRC" -n demo >plan 2>&1 &&
	! grep -q clang plan &&
	grep -q -- "-s --no-print-directory all" plan &&
	make -C "$SRC" -n fuzz >plan 2>&1 &&
	grep -q "clang libclang-rt" plan
'

test_expect_success 'it prints nothing on stderr' '
	test ! -s err || { cat err; return 1; }
'

test_expect_success 'each step says what the policy demands, then shows the commands' '
	grep "^== " out >steps &&
	test "$(grep -c "(policy [0-9]" steps)" -ge 3 &&
	grep -q "^\$ pki-init -m UNMISS" out &&
	grep -q "^\$ pki-matrix list" out &&
	grep -q "throw-away" out
'

test_expect_success 'the matrix it lists has the principals it added' '
	for p in hom chair jmac fc police undss archives auditor unct hoststate fama; do
		grep -q "^$p  *[A-Z]" out || { echo "no $p"; return 1; }
	done
'

test_expect_success 'every refusal it shows exited 77 and changed nothing' '
	grep -q "refused: .jmac. is member" out &&
	test "$(grep -c "^pki-[a-z]*: refused: .*policy [0-9.]*)$" out)" = \
		"$(grep -c "^(exit 77: refused; nothing changed)$" out)"
'

test_expect_success 'the steps of the tools that exist are there' '
	for t in ir classify register share audit archive; do
		test -x "$BINDIR/pki-$t" || continue
		grep -q "^\$ .*pki-$t" out || { echo "no pki-$t step"; return 1; }
	done
'

test_expect_success 'it cleans up: no directory, no gpg-agent left' '
	test -z "$(ls -A tmp)" &&
	! agents_under "$TRASH/tmp"
'

test_expect_success 'cut short by a closed pipe, it still cleans up' '
	TMPDIR=$TRASH/tmp PKI_BIN=$BINDIR "$DEMO" 2>/dev/null | head -3 >/dev/null &&
	test -z "$(ls -A tmp)"
'

test_expect_success 'a failing step stops the demo with a non-zero status' '
	mkdir -p broken &&
	for b in "$BINDIR"/*; do ln -s "$b" broken/; done &&
	rm broken/pki-matrix &&
	printf "#!/bin/sh\nexit 1\n" >broken/pki-matrix &&
	chmod +x broken/pki-matrix &&
	test_must_fail env TMPDIR=$TRASH/tmp PKI_BIN=$TRASH/broken "$DEMO" >out 2>err &&
	grep -q "^demo: step [0-9]* failed: pki-matrix add chair" err &&
	test -z "$(ls -A tmp)"
'

test_expect_success '-k keeps the directory, and says where' '
	test_must_fail env TMPDIR=$TRASH/tmp PKI_BIN=$TRASH/broken "$DEMO" -k >out 2>err &&
	kept=$(sed -n "s/^demo: kept //p" out) &&
	test -d "$kept/unmiss/.git" &&
	GNUPGHOME=$kept/g gpgconf --kill all &&
	for k in "$kept"/kr/*; do GNUPGHOME=$k gpgconf --kill all; done &&
	rm -rf "$kept"
'

test_expect_success 'a usage error exits 64' '
	test_expect_code 64 "$DEMO" --bogus 2>err &&
	grep -q "^usage: examples/demo" err
'

test_done
