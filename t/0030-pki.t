#!/bin/sh
# The pki front command: pki help [TOOL].
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

test_done
