#!/bin/sh
# pki-audit and the Archives' receipt of a transfer (pki-archive --ack):
# an archive-ack row is made by a valid archives principal (A501).  The
# forgery is made in a clone with stock git, signed with git_as.
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-audit.sh"

SHARD=registry/2026-07.csv

test_expect_success 'setup: a clean history, transferred and acknowledged by the tools' '
	history &&
	at 2026-07-02T08:00:00Z &&
	as chair pki-archive -C "$REPO" --period 2026H1 -o "$TRASH" >/dev/null &&
	test_tick &&
	tamper &&
	as archives pki-archive -C c --ack 2026H1 --accession ACC-1 &&
	pki-audit -C c --at 2026-07-03 >findings; rc=$?; cat findings; test $rc = 0 &&
	! grep -q "^error" findings
'

test_expect_success 'an archive-ack row written by hand by the Chair (A501)' '
	tamper &&
	python3 - "c/$SHARD" "$PKI_DATE" >row <<-\EOF &&
	import csv, sys, uuid
	rows = [r for r in csv.reader(open(sys.argv[1])) if r[2] == "archive"]
	r = rows[-1]
	csv.writer(sys.stdout, quoting=csv.QUOTE_ALL, lineterminator="\n").writerow([
	    str(uuid.uuid4()), sys.argv[2], "archive-ack", r[3], r[4], "chair", "", "",
	    "receipt of transfer UNMISS-2026H1 (policy 11.5.1)", "", "", "ACC-9"])
	EOF
	cat row &&
	grep -q "\"archive-ack\",.*\"chair\"" row &&
	cat row >>"c/$SHARD" &&
	git_as chair -C c commit -q -S -am "receipt of UNMISS-2026H1" &&
	git -C c verify-commit HEAD 2>/dev/null &&
	expect_finding A501 &&
	grep -q "^error A501 $SHARD:[0-9]*: archive-ack of .* by .chair. in commit $(git -C c rev-parse HEAD): .chair. is chair: only the UN Archives, an archives principal, acknowledge the receipt of a transfer (policy 11.5.1)" findings &&
	test "$(grep -c "^error" findings)" = 1
'

test_done
