#!/bin/sh
# pki-audit: the rows of a succession in function (authority successor)
# stand beside the successor delegation their commit records, made by a
# hom or chair (A504); a successor delegation is recorded by a keeper of
# the matrix (A104), with scope "*" (A116).  Forgeries with stock git.
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-audit.sh"

# delegation LINE: append a row to the clone's delegations.csv.
delegation() {
	printf '%s\r\n' "$1" >>c/delegations.csv
}

test_expect_success 'setup: a clean history; a succession in a clone audits clean' '
	history &&
	pki-audit -C "$REPO" &&
	tamper &&
	as chair pki-matrix -C c succeed jmac fc --ref "HoM memo 2026/20" >/dev/null &&
	pki-audit --strict -C c
'

test_expect_success 'successor rows without their delegation (A504)' '
	tamper &&
	as chair pki-matrix -C c succeed jmac fc --ref "HoM memo 2026/20" >/dev/null &&
	git -C c checkout -q HEAD~1 -- delegations.csv &&
	git_as chair -C c commit -q -S --amend --no-edit &&
	git -C c verify-commit HEAD 2>/dev/null &&
	expect_finding A504 &&
	grep -q "^error A504 registry/[0-9-]*\.csv:[0-9]*: share of $A to .fc. by .chair. in commit $(git -C c rev-parse HEAD) records authority successor: the commit records no successor delegation to .fc. (policy 19)" findings &&
	grep -q "^error A504 .*: revoke of $A to .jmac. .*the commit records no successor delegation from .jmac." findings &&
	test "$(grep -c "^error" findings)" = "$(grep -c "^error A504" findings)"
'

test_expect_success 'successor rows and their delegation by a member (A504, A104)' '
	tamper &&
	as chair pki-matrix -C c succeed jmac fc --keep --ref R >/dev/null &&
	sed -i "s/,chair,fc,successor,/,fc,fc,successor,/" c/registry/*.csv &&
	grep -q ",fc,fc,successor," c/registry/*.csv &&
	git -C c add -A &&
	git_as fc -C c commit -q -S --amend --no-edit --reset-author &&
	expect_finding A504 A104 &&
	grep -q "^error A504 .*: share of $A to .fc. by .fc. .*: a succession is made by the Head of Mission or the Chair: .fc. is member" findings &&
	grep -q "^error A104 $(git -C c rev-parse HEAD): records successor delegation DLG-" findings
'

test_expect_success 'a successor delegation added by hand by a member (A104)' '
	tamper &&
	delegation "\"DLG-00000000aa\",\"jmac\",\"fc\",\"successor\",\"*\",\"2026-03-01\",\"\",\"note\"" &&
	git_as jmac -C c commit -q -S -am "jmac names fc successor" &&
	expect_finding A104 &&
	grep -q "records successor delegation DLG-00000000aa: .jmac. is member: only the Head of Mission and the Chair keep the access matrix (policy 12.10)" findings
'

test_expect_success 'a successor delegation narrower than "*" (A116)' '
	tamper &&
	delegation "\"DLG-00000000bb\",\"jmac\",\"fc\",\"successor\",\"poc\",\"2026-03-01\",\"\",\"note\"" &&
	git_as hom -C c commit -q -S -am "fc succeeds jmac for poc" &&
	expect_finding A116 &&
	grep -q "records delegation DLG-00000000bb: delegation .DLG-00000000bb.: a successor in function takes over everything, its scope is .\*. (policy 19)" findings
'

test_done
