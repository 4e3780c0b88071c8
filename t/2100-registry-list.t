#!/bin/sh
# pki-register without --receive: the registry, in time order, filtered,
# as CSV or XML; read-only, no key needed.
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-product.sh"

test_expect_success 'setup: three months of work' '
	three_months
'

test_expect_success 'the whole registry as CSV, with no key, in time order' '
	list -C "$REPO" >all.csv &&
	head -1 all.csv >head &&
	grep -qx "event,time,action,product,level,actor,recipient,authority,justification,hrddp,arrangement,reference,medium" head &&
	python3 - all.csv <<-\EOF &&
	import csv, sys
	rows = list(csv.DictReader(open(sys.argv[1], newline="")))
	assert [r["action"] for r in rows] == ["classify", "classify", "share", "reclassify", "receive", "classify"], rows
	times = [r["time"] for r in rows]
	assert times == sorted(times), times
	EOF
	mlr --icsv --ojson cat all.csv >/dev/null
'

test_expect_success '--product: one product'"'"'s rows' '
	list -C "$REPO" --product "$p1" >p1.csv &&
	python3 - p1.csv "$p1" <<-\EOF
	import csv, sys
	rows = list(csv.DictReader(open(sys.argv[1], newline="")))
	assert [r["action"] for r in rows] == ["classify", "reclassify"], rows
	assert all(r["product"] == sys.argv[2] for r in rows)
	EOF
'

test_expect_success '--action: one kind of event' '
	list -C "$REPO" --action share >share.csv &&
	test "$(wc -l <share.csv)" -eq 2 &&
	grep -q ",undss-rule," share.csv &&
	list -C "$REPO" --action archive >none.csv &&
	test "$(wc -l <none.csv)" -eq 1
'

test_expect_success '--since and --until: a bare --until date takes in the whole day' '
	list -C "$REPO" --since 2026-04-01 >since.csv &&
	test "$(wc -l <since.csv)" -eq 4 &&
	list -C "$REPO" --until 2026-03-02 >until.csv &&
	test "$(wc -l <until.csv)" -eq 4 &&
	list -C "$REPO" --since 2026-04-01 --until 2026-04-30 --action receive >both.csv &&
	test "$(wc -l <both.csv)" -eq 2 &&
	grep -q ",$r1," both.csv &&
	list -C "$REPO" --since 2026-03-02T09:12:00Z --until 2026-03-02T09:59:00Z >instant.csv &&
	test "$(wc -l <instant.csv)" -eq 3
'

test_expect_success '--format xml: valid against registry.xsd, one recipient element each' '
	list -C "$REPO" --format xml >all.xml &&
	xmllint --noout --schema "$SRC/share/pki/registry.xsd" all.xml &&
	test "$(xmllint --xpath "count(//*[local-name()=\"event\"])" all.xml)" = 6 &&
	test "$(xmllint --xpath "count(//*[local-name()=\"event\"][1]/*[local-name()=\"recipient\"])" all.xml)" = 4 &&
	list -C "$REPO" --format xml --action archive >empty.xml &&
	xmllint --noout --schema "$SRC/share/pki/registry.xsd" empty.xml
'

test_expect_success 'rows a union merge interleaved come out in time order' '
	git clone -q "$REPO" merged &&
	line=$(sed -n 2p merged/registry/2026-03.csv | sed "s/,2026-03-02T[0-9:]*Z,/,2026-03-02T08:00:00Z,/; s/^[0-9a-f-]*,/00000000-0000-4000-8000-000000000000,/") &&
	printf "%s\n" "$line" >>merged/registry/2026-03.csv &&
	git -C merged -c user.name=x -c user.email=x@x commit -qam "merged" &&
	list -C merged --since 2026-03-01 --until 2026-03-31 >m.csv &&
	sed -n 2p m.csv | grep -q "^00000000-0000-4000-8000-000000000000,2026-03-02T08:00:00Z,"
'

test_expect_success 'only the shards asked for are read' '
	git clone -q "$REPO" broken &&
	printf "\"x\",\"y\"\r\n" >>broken/registry/2026-03.csv &&
	git -C broken -c user.name=x -c user.email=x@x commit -qam "broken" &&
	test_expect_code 65 list -C broken >out 2>err &&
	test "$(wc -l <err)" -eq 1 &&
	grep -q "registry/2026-03.csv: line 5" err &&
	list -C broken --since 2026-04-01 >out &&
	test "$(wc -l <out)" -eq 4 &&
	test_expect_code 66 list -C broken --product UNMISS-OSRSG-2027-000001 >out 2>err &&
	grep -q "no product" err
'

test_expect_success 'a mission with no registry yet lists the header alone' '
	as hom pki-init -m UNMIK fresh &&
	list -C fresh >fresh.csv &&
	test "$(wc -l <fresh.csv)" -eq 1
'

test_expect_success 'usage errors (64); no repository (66)' '
	expect_refusal 64 list -C "$REPO" --action frobnicate &&
	grep -q "unknown action" err &&
	expect_refusal 64 list -C "$REPO" --since 2026-13-01 &&
	expect_refusal 64 list -C "$REPO" --until yesterday &&
	expect_refusal 64 list -C "$REPO" --format json &&
	expect_refusal 64 list -C "$REPO" --product "../etc/passwd" &&
	expect_refusal 64 list -C "$REPO" extra &&
	expect_refusal 64 list -C "$REPO" -l confidential &&
	mkdir -p nowhere &&
	test_expect_code 66 list -C nowhere 2>err
'

test_expect_success 'reading changed nothing; every shard is read by Python' '
	test -z "$(git -C "$REPO" status --porcelain)" &&
	shards_read &&
	verify_history
'

product_done
