#!/bin/sh
# pki-audit verifies signatures while it walks the history, and judges
# each commit only once its own signature is verified: an auditor whose
# keyring lacks keys gets the same findings as one that holds them, the
# keys imported first (A001), also a key the tip no longer stores.
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-audit.sh"

FC=$(fpr fc)

test_expect_success 'setup: a clean history, audited with every key at hand' '
	history &&
	tamper &&
	pki-audit -C c >findings &&
	test ! -s findings
'

test_expect_success 'an empty keyring: every key imported first, then the same clean audit' '
	audit_with "$(auditor_home empty)" &&
	test "$(grep -c "^info A001 keys/" findings)" = "$(git -C c ls-tree --name-only HEAD keys/ | wc -l)" &&
	! grep -v "^info A001 " findings
'

test_expect_success 'a key the tip no longer stores, and the keyring lacks: verified after its import' '
	git -C c rm -q "keys/$FC.asc" &&
	git_as hom -C c commit -q -S -m "tidy keys" &&
	test_expect_code 1 audit_with "$(auditor_home nofc $(ls "$FIXTURES"/keys/*.pub.asc | grep -v /fc.pub.asc))" &&
	grep -q "^info A001 keys/$FC.asc: imported" findings &&
	grep -q "^error A112 $(git -C c rev-parse HEAD): removes keys/$FC.asc" findings &&
	! grep -q "^error A102 " findings &&
	test "$(grep -c "^error" findings)" = 1
'

test_expect_success 'a forged commit among them is still bad (A102), judged in its place' '
	git_as fc -C c commit -q -S --allow-empty -m "a note" &&
	git -C c cat-file commit HEAD | sed "s/^a note\$/a forged note/" |
		git -C c hash-object -t commit -w --stdin >forged &&
	git -C c update-ref refs/heads/main "$(cat forged)" &&
	test_expect_code 1 audit_with "$(auditor_home nofc2 $(ls "$FIXTURES"/keys/*.pub.asc | grep -v /fc.pub.asc))" &&
	grep -q "^error A102 $(cat forged): the signature does not verify" findings &&
	test "$(grep -c "^error" findings)" = 2 &&
	tail -n 1 findings | grep -q "^error A102 $(cat forged)"
'

test_done
