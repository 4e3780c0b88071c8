#!/bin/sh
# pki-list: the products at the tip, from their labels, as CSV, TSV or a
# table; filtered by kind and level; no key, no decryption.
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-product.sh"

HEADER=id,level,criterion,kind,areas,originator,created,review,safety,recipients

# plist ARGS...: pki-list as someone holding no key at all.
plist() {
	env -u PKI_KEY GNUPGHOME="$TRASH/nokeys" pki-list "$@"
}

# py_labels DIR: the labels of DIR's work tree as pki-list should print
# them, read with Python's own XML parser and written by its csv module.
py_labels() {
	python3 - "$1" <<-\EOF
	import csv, glob, sys
	import xml.etree.ElementTree as ET
	w = csv.writer(sys.stdout, lineterminator="\n")
	w.writerow("id level criterion kind areas originator created review safety recipients".split())
	for f in sorted(glob.glob(sys.argv[1] + "/products/*/*.xml")):
	    r = ET.parse(f).getroot()
	    get = lambda n: "".join(e.text or "" for e in r if e.tag.split("}")[-1] == n)
	    dist = [e for e in r if e.tag.split("}")[-1] == "distribution"][0]
	    w.writerow([get("id"), get("classification"), get("criterion"), get("kind") or "product",
	                get("areas"), get("originator"), get("created"), get("review"),
	                "yes" if get("safety") == "true" else "no",
	                ";".join(p.text for p in dist)])
	EOF
}

test_expect_success 'setup: products over three months, a receipt whose origin has a comma, a plan' '
	three_months &&
	r2=$(echo five | as chair pki-register -C "$REPO" --receive --from "Bor, county office" \
		-l confidential -c a -a poc) &&
	test_tick &&
	pl=$(echo six | as jmac pki-classify -C "$REPO" --kind plan -l confidential -c c \
		-a "poc;crime" --review 2026-09-01) &&
	test_tick
'

test_expect_success 'CSV: the header, a line per label, the values of the labels' '
	plist -C "$REPO" >all.csv &&
	head -1 all.csv >head &&
	echo "$HEADER" >expect &&
	test_cmp expect head &&
	test "$(wc -l <all.csv)" = 7 &&
	py_labels "$REPO" >expect &&
	test_cmp expect all.csv
'

test_expect_success 'CSV: exact values, quoted only where a comma is' '
	grep "^$p1," all.csv >p1 &&
	test "$(cut -d, -f2-5 p1)" = "unclassified,,product,poc" &&
	test "$(cut -d, -f6 p1)" = jmac &&
	grep -q "^$p2,unclassified,,product,,fc,2026-03-02T[0-9:]*Z,,yes,.*undss" all.csv &&
	grep -qx "$r2,confidential,a,product,poc,\"Bor, county office\",[0-9TZ:-]*,,no,[a-z;]*" all.csv &&
	grep -q "^$pl,confidential,c,plan,poc;crime,jmac,[0-9TZ:-]*,2026-09-01,no," all.csv &&
	! grep -v "Bor, county office" all.csv | grep -q "\"" &&
	! cat -A all.csv | grep -q "\^M" &&
	python3 - all.csv "$r1" "$r2" <<-\EOF
	import csv, sys
	rows = {r["id"]: r for r in csv.DictReader(open(sys.argv[1], newline=""))}
	assert rows[sys.argv[2]]["originator"] == "Member State A", rows[sys.argv[2]]
	assert rows[sys.argv[3]]["originator"] == "Bor, county office", rows[sys.argv[3]]
	assert rows[sys.argv[3]]["recipients"].split(";") == sorted(rows[sys.argv[3]]["recipients"].split(";"))
	EOF
'

test_expect_success 'TSV: the same columns, by tab; cut and awk get exact values' '
	plist -C "$REPO" --format tsv >all.tsv &&
	python3 - all.csv all.tsv <<-\EOF &&
	import csv, sys
	c = list(csv.reader(open(sys.argv[1], newline="")))
	t = [l.split("\t") for l in open(sys.argv[2], newline="").read().split("\n")[:-1]]
	assert c == t, (c, t)
	EOF
	test "$(awk -F "\t" -v id="$r2" "\$1 == id { print \$6 }" all.tsv)" = "Bor, county office" &&
	test "$(cut -f 10 all.tsv | tr ";" "\n" | grep -c "^undss$")" = 2
'

test_expect_success '--kind and --level filter; mlr reads the result' '
	plist -C "$REPO" --kind plan --no-header >plans &&
	test "$(cut -d, -f1 plans)" = "$pl" &&
	plist -C "$REPO" --level confidential --format tsv --no-header | cut -f 1 | sort >conf &&
	printf "%s\n" "$r1" "$p4" "$r2" "$pl" | sort >expect &&
	test_cmp expect conf &&
	plist -C "$REPO" --kind material >none &&
	echo "$HEADER" >expect &&
	test_cmp expect none &&
	plist -C "$REPO" --kind product --level unclassified |
		mlr --icsv --ojson sort -f id then cut -f id,safety >u.json &&
	python3 - u.json "$p1" "$p2" <<-\EOF
	import json, sys
	rows = json.load(open(sys.argv[1]))
	assert rows == sorted([{"id": sys.argv[2], "safety": "no"}, {"id": sys.argv[3], "safety": "yes"}], key=lambda r: r["id"]), rows
	EOF
'

test_expect_success '--no-header: the rows alone; sort keeps no header to move' '
	plist -C "$REPO" --no-header >rows &&
	tail -n +2 all.csv >expect &&
	test_cmp expect rows &&
	sort -t, -k1,1 rows >sorted &&
	test "$(wc -l <sorted)" = 6
'

test_expect_success 'text: a table for people, - for an empty field' '
	plist -C "$REPO" --format text >table &&
	head -1 table | grep -q "^ID  *LEVEL  *CRITERION  *KIND  *CREATED  *REVIEW  *SAFETY  *ORIGINATOR  *AREAS  *RECIPIENTS$" &&
	grep -q "^$p1  *unclassified  *-  *product  *2026-03-02T[0-9:]*Z  *-  *no  *jmac  *poc " table &&
	grep -q "^$pl  *confidential  *c  *plan .* 2026-09-01 " table &&
	test "$(wc -l <table)" = 7
'

test_expect_success 'pki list is pki-list; a bare clone will do' '
	env -u PKI_KEY GNUPGHOME="$TRASH/nokeys" pki -C "$REPO" list >front &&
	test_cmp all.csv front &&
	git clone -q --bare "$REPO" bare.git &&
	plist -C bare.git >bare.csv &&
	test_cmp all.csv bare.csv
'

test_expect_success 'a mission with no products lists the header alone' '
	as hom pki-init -m UNMIK fresh &&
	plist -C fresh >fresh.csv &&
	echo "$HEADER" >expect &&
	test_cmp expect fresh.csv
'

test_expect_success 'an invalid label: 65, naming it' '
	git clone -q "$REPO" broken &&
	label=$(cd broken && ls products/*/"$p1".xml) &&
	sed -i "s/unclassified/secret/" "broken/$label" &&
	git -C broken -c user.name=x -c user.email=x@x commit -qam "broken" &&
	test_expect_code 65 plist -C broken >out 2>err &&
	test "$(wc -l <err)" = 1 &&
	grep -q "^pki-list: $label: " err
'

test_expect_success 'usage errors (64); no repository (66)' '
	expect_refusal 64 plist -C "$REPO" --kind poster &&
	grep -q "unknown kind" err &&
	expect_refusal 64 plist -C "$REPO" --level secret &&
	grep -q "unknown level" err &&
	expect_refusal 64 plist -C "$REPO" --format json &&
	grep -q "unknown format .json. (csv, tsv, text)" err &&
	expect_refusal 64 plist -C "$REPO" extra &&
	mkdir -p nowhere &&
	test_expect_code 66 plist -C nowhere 2>err &&
	test "$(wc -l <err)" = 1
'

test_expect_success 'listing changed nothing' '
	test -z "$(git -C "$REPO" status --porcelain)" &&
	verify_history
'

product_done
