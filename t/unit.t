#!/bin/sh
# t/unit.t: run the C unit tests of lib/ (t/unit/*-test.c), one TAP line each.
cd "$(dirname "$0")/.." || exit 1
BUILD=${PKI_BUILD:-build/default}
PKI_SHAREDIR=$PWD/share/pki
export PKI_SHAREDIR
n=0
failed=0
for t in "$BUILD"/unit/*-test; do
	[ -x "$t" ] || continue
	n=$((n + 1))
	if out=$("$t" 2>&1); then
		echo "ok $n - ${t##*/}"
	else
		failed=$((failed + 1))
		echo "not ok $n - ${t##*/}"
		printf '%s\n' "$out" | grep -v '^ok ' | sed 's/^/#   /'
	fi
done
echo "1..$n"
[ $failed -eq 0 ]
