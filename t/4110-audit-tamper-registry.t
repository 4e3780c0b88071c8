#!/bin/sh
# pki-audit check 2: registry rows are only appended, across all of
# history, and each row matches its commit: its actor signed it, and the
# files it says changed did.  Tampering with stock git in fresh clones.
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-audit.sh"

SHARD=registry/2026-03.csv

# row_line TEXT: the line of the shard in the clone holding TEXT.
row_line() {
	grep -n "$1" "c/$SHARD" | head -1 | cut -d: -f1
}

test_expect_success 'setup: a clean history' '
	history &&
	pki-audit -C "$REPO"
'

test_expect_success 'a row deleted (A201), by a principal with every right to append' '
	tamper &&
	n=$(row_line ",export,$A,confidential,hom,fama,") &&
	sed -i "${n}d" "c/$SHARD" &&
	git_as chair -C c commit -q -S -am "tidy the registry" &&
	expect_finding A201 &&
	grep -q "^error A201 $SHARD:$n: row [0-9a-f-]* (export $A) removed by commit $(git -C c rev-parse HEAD) (policy 11.3.3)" findings &&
	test "$(grep -c "^error" findings)" = 1
'

test_expect_success 'a row edited in place (A202)' '
	tamper &&
	n=$(row_line ",export,$A,confidential,hom,fama,") &&
	sed -i "${n}s/HRDDP-2026-01/HRDDP-2026-99/" "c/$SHARD" &&
	git_as hom -C c commit -q -S -am "fix a reference" &&
	expect_finding A202 &&
	grep -q "^error A202 $SHARD:$n: .* edited in place by commit $(git -C c rev-parse HEAD): hrddp was .HRDDP-2026-01., now .HRDDP-2026-99." findings &&
	test "$(grep -c "^error" findings)" = 1
'

test_expect_success 'a whole shard deleted (A201)' '
	tamper &&
	git -C c rm -q "$SHARD" &&
	git_as chair -C c commit -q -S -m "drop March" &&
	expect_finding A201 &&
	grep -q "^error A201 $SHARD: shard deleted with its [0-9]* lines by commit" findings
'

test_expect_success 'a row whose actor is not who signed it (A203)' '
	tamper &&
	grep ",export,$X," "c/$SHARD" | sed "s/^[0-9a-f-]*,/0badc0de-0000-4000-8000-000000000001,/; s/,2026-03-02T[0-9:]*Z,/,$PKI_DATE,/" >>"c/$SHARD" &&
	git_as chair -C c commit -q -S -am "record an export" &&
	expect_finding A203 &&
	grep -q "names .hom. as actor, but .chair. signed commit" findings
'

test_expect_success 'a classify row with no product filed (A204, A304)' '
	tamper &&
	printf "\"0badc0de-0000-4000-8000-000000000002\",\"%s\",\"classify\",\"UNMISS-JMAC-2026-000099\",\"confidential\",\"jmac\",\"archives;chair;hom;jmac\",\"originator\",\"\",\"\",\"\",\"\",\"\"\r\n" "$PKI_DATE" >>"c/$SHARD" &&
	git_as jmac -C c commit -q -S -am "classify" &&
	expect_finding A204 A304 &&
	grep -q "a classify row for UNMISS-JMAC-2026-000099, but commit .* does not add its ciphertext and label" findings
'

test_expect_success 'an event recorded twice (A208)' '
	tamper &&
	grep ",revoke,$A," "c/$SHARD" >row &&
	cat row >>"c/$SHARD" &&
	git_as jmac -C c commit -q -S -am "again" &&
	expect_finding A208 &&
	grep -q "is recorded again: first at $SHARD:" findings
'

test_expect_success 'a row that is no registry row (A206)' '
	tamper &&
	printf "\"x\",\"y\"\r\n" >>"c/$SHARD" &&
	git_as chair -C c commit -q -S -am "note" &&
	n=$(wc -l <"c/$SHARD") &&
	expect_finding A206 &&
	grep -q "^error A206 $SHARD: as of commit $(git -C c rev-parse HEAD): $SHARD: line $n: expected 13 fields, found 2" findings &&
	test "$(grep -c "^error" findings)" = 1
'

test_expect_success 'a row dated far from its commit is a warning (A207)' '
	tamper &&
	printf "\"0badc0de-0000-4000-8000-000000000003\",\"2026-03-01T10:00:00Z\",\"export\",\"%s\",\"unclassified\",\"hom\",\"unct\",\"hom\",\"mandate\",\"\",\"\",\"\",\"\"\r\n" "$U" >>"c/$SHARD" &&
	git_as hom -C c commit -q -S -am "late entry" &&
	pki-audit -C c >findings &&
	grep -q "^warning A207 $SHARD:[0-9]*: row 0badc0de-0000-4000-8000-000000000003 says 2026-03-01T10:00:00Z, its commit" findings
'

test_expect_success 'a row filed in another month'"'"'s shard is an error (A209)' '
	tamper &&
	printf "\"0badc0de-0000-4000-8000-000000000004\",\"2026-01-05T10:00:00Z\",\"export\",\"%s\",\"unclassified\",\"hom\",\"unct\",\"hom\",\"mandate\",\"\",\"\",\"\",\"\"\r\n" "$U" >>"c/$SHARD" &&
	git_as hom -C c commit -q -S -am "filed in the wrong month" &&
	expect_finding A209 &&
	grep -q "^error A209 $SHARD:[0-9]*: row 0badc0de-0000-4000-8000-000000000004 of 2026-01-05T10:00:00Z is filed in $SHARD: a row goes to the shard of its month" findings &&
	test "$(grep -c "^error" findings)" = 1
'

test_expect_success 'a merge that drops the other side'"'"'s rows (A201)' '
	tamper &&
	git clone -q "$REPO" c2 &&
	echo one | as fc pki-classify -C c2 -l confidential -c c -a poc >/dev/null && test_tick &&
	echo two | as jmac pki-classify -C c -l confidential -c c -a poc >/dev/null && test_tick &&
	git_as hom -C c pull -q --no-rebase --no-commit ../c2 main 2>/dev/null;
	git -C c checkout -q HEAD -- registry &&
	git_as hom -C c commit -q -S -m "merge, keeping our registry" &&
	expect_finding A201 &&
	grep -q "(classify UNMISS-FORCE-2026-000001) removed by commit $(git -C c rev-parse HEAD)" findings
'

test_done
