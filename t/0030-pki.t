#!/bin/sh
# The pki front command: pki help [TOOL], pki -C DIR TOOL ...
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

test_done
