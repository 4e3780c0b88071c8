#!/bin/sh
# pki-register's listings in shell pipelines: a reader that goes early,
# dates by month and year, an unknown product, tab-separated fields.
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-product.sh"

# gone CMD...: run CMD into a pipe whose reader has already gone; its
# exit status in rc, its stderr in err.
gone() {
	{ sleep 1; "$@" 2>err; echo $? >rc; } | true
}

test_expect_success 'setup: products over three months' '
	three_months
'

test_expect_success '| head -1: the first line, nothing on stderr' '
	{ list -C "$REPO" 2>err; } | head -1 >first &&
	test "$(wc -l <first)" -eq 1 &&
	grep -q "^event,time," first &&
	test_cmp /dev/null err &&
	{ pki-matrix -C "$REPO" list 2>err; } | head -1 >first &&
	test "$(wc -l <first)" -eq 1 &&
	test_cmp /dev/null err
'

test_expect_success 'a reader gone before the first write: SIGPIPE, silently' '
	gone list -C "$REPO" &&
	test_cmp /dev/null err &&
	echo 141 >expect &&
	test_cmp expect rc &&
	gone list -C "$REPO" --format xml &&
	test_cmp /dev/null err &&
	test_cmp expect rc &&
	gone pki-matrix -C "$REPO" list &&
	test_cmp /dev/null err &&
	test_cmp expect rc
'

test_expect_success 'unbuffered, the first write fails: still silent' '
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 &&
	export ASAN_OPTIONS &&
	gone stdbuf -o0 pki-register -C "$REPO" &&
	test_cmp /dev/null err &&
	echo 141 >expect &&
	test_cmp expect rc
'

test_expect_success 'a failure that is not the pipe is still said' '
	{ test_expect_code 64 list -C "$REPO" --since never 2>err; } | true &&
	grep -q "invalid date" err
'

test_expect_success '--since and --until: a month, a year' '
	list -C "$REPO" --since 2026-04 --until 2026-04 >april.csv &&
	test "$(wc -l <april.csv)" -eq 3 &&
	grep -q ",$r1," april.csv &&
	list -C "$REPO" --until 2026-03 >march.csv &&
	test "$(wc -l <march.csv)" -eq 4 &&
	list -C "$REPO" --since 2026-05 >may.csv &&
	test "$(wc -l <may.csv)" -eq 2 &&
	grep -q ",$p4," may.csv &&
	list -C "$REPO" --since 2026 --until 2026 >year.csv &&
	test "$(wc -l <year.csv)" -eq 7 &&
	list -C "$REPO" --until 2025 >before.csv &&
	test "$(wc -l <before.csv)" -eq 1 &&
	list -C "$REPO" --since 2027 >after.csv &&
	test "$(wc -l <after.csv)" -eq 1
'

test_expect_success '--since and --until: what is not a date' '
	for d in 2026-13 2026-1 202 1969 2026-04-; do
		test_expect_code 64 list -C "$REPO" --since $d 2>err &&
		grep -q "invalid date .* (expected YYYY, YYYY-MM, YYYY-MM-DD" err || return 1
	done
'

test_expect_success '--product: an ID nothing knows exits 66, on one line' '
	test_expect_code 66 list -C "$REPO" --product UNMISS-JMAC-2026-000099 >out 2>err &&
	test_cmp /dev/null out &&
	echo "pki-register: no product '"'"'UNMISS-JMAC-2026-000099'"'"'" >expect &&
	test_cmp expect err &&
	test_expect_code 66 list -C "$REPO" --product UNMISS-JMAC-2031-000001 --format xml >out 2>err &&
	test_cmp /dev/null out &&
	test "$(wc -l <err)" -eq 1
'

test_expect_success '--product: a known ID out of --since/--until is an empty listing' '
	list -C "$REPO" --product "$p4" --until 2026-04 >out &&
	test "$(wc -l <out)" -eq 1 &&
	grep -q "^event,time," out &&
	list -C "$REPO" --product "$p1" --action receive >out &&
	test "$(wc -l <out)" -eq 1
'

test_expect_success '--product: a label whose rows are gone still names a product' '
	git clone -q "$REPO" norows &&
	git -C norows rm -q registry/2026-05.csv &&
	git -C norows -c user.name=x -c user.email=x@x commit -qm "no May" &&
	list -C norows --product "$p4" >out &&
	test "$(wc -l <out)" -eq 1 &&
	git -C norows rm -q -r products &&
	git -C norows -c user.name=x -c user.email=x@x commit -qm "no products" &&
	test_expect_code 66 list -C norows --product "$p4" 2>err &&
	grep -q "no product" err &&
	list -C norows --product "$p1" >out &&
	test "$(wc -l <out)" -eq 3
'

test_expect_success '--format tsv: the columns of the CSV, by tab, LF-ended' '
	list -C "$REPO" >all.csv &&
	list -C "$REPO" --format tsv >all.tsv &&
	test "$(wc -l <all.tsv)" -eq 7 &&
	! grep -q "$(printf "\r")" all.tsv &&
	! grep -q "\"" all.tsv &&
	head -1 all.tsv >head &&
	printf "event\ttime\taction\tproduct\tlevel\tactor\trecipient\tauthority\tjustification\thrddp\tarrangement\treference\tmedium\n" >expect &&
	test_cmp expect head &&
	python3 - all.csv all.tsv <<-\EOF
	import csv, sys
	c = list(csv.reader(open(sys.argv[1], newline="")))
	t = [l.split("\t") for l in open(sys.argv[2], newline="").read().split("\n")[:-1]]
	assert c == t, (c, t)
	EOF
'

test_expect_success '--format tsv: cut and awk get exact values' '
	list -C "$REPO" --format tsv --no-header --action receive >r.tsv &&
	test "$(cut -f 4 r.tsv)" = "$r1" &&
	test "$(cut -f 9 r.tsv)" = "received from Member State A" &&
	test "$(awk -F "\t" "{ print \$12 }" r.tsv)" = "MS-A/1" &&
	list -C "$REPO" --format tsv --no-header --since 2026 |
		awk -F "\t" "{ n[\$3]++ } END { print n[\"classify\"], n[\"share\"] }" >counts &&
	echo "3 1" >expect &&
	test_cmp expect counts
'

test_expect_success '--no-header: the rows alone, in CSV and TSV' '
	list -C "$REPO" --no-header >rows.csv &&
	tail -n +2 all.csv >expect &&
	test_cmp expect rows.csv &&
	list -C "$REPO" --no-header --format tsv >rows.tsv &&
	tail -n +2 all.tsv >expect &&
	test_cmp expect rows.tsv &&
	list -C "$REPO" --no-header --product "$p4" --until 2026-04 >none &&
	test_cmp /dev/null none
'

test_expect_success '--no-header and --format: usage errors' '
	test_expect_code 64 list -C "$REPO" --no-header --format xml 2>err &&
	grep -q "no-header goes with csv and tsv" err &&
	test_expect_code 64 list -C "$REPO" --format tab 2>err &&
	grep -q "unknown format .tab. (csv, tsv, xml)" err &&
	echo x | test_expect_code 64 as chair pki-register -C "$REPO" --receive --from A -l unclassified --no-header 2>err &&
	grep -q "are for listing" err
'

test_done
