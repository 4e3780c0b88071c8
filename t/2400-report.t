#!/bin/sh
# pki-report: the statistics of a small mission, made without a key, in
# four formats: exact numbers in the CSV (read with Python's csv and mlr),
# XML valid against report.xsd, HTML that xmllint reads and xsltproc
# rebuilds from the XML, text for a terminal; the optional tables read
# when present; refusals (pki-report(1); policy 14.3, 27, 13.1.2, 11.2.1).

. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-product.sh"

J="mandate: protection of civilians (resolution 2729, OP 3)"
HOUR=3600

# report ARGS...: pki-report in $REPO as someone holding no key at all.
report() {
	env -u PKI_KEY GNUPGHOME="$TRASH/nokeys" pki-report -C "${RDIR:-$REPO}" "$@"
}

# val FILE SECTION KEY: the value of one item of a CSV report.
val() {
	python3 - "$@" <<-\EOF
	import csv, sys
	path, section, key = sys.argv[1:4]
	hits = [r["value"] for r in csv.DictReader(open(path, newline="", encoding="utf-8"))
	        if r["section"] == section and r["key"] == key]
	if len(hits) != 1:
	    sys.exit("%d items %s/%s" % (len(hits), section, key))
	print(hits[0])
	EOF
}

# expect FILE "SECTION|KEY|VALUE" ...: each item has that value.
expect() {
	_f=$1
	shift
	for _e in "$@"; do
		_s=${_e%%|*} _v=${_e##*|}
		_k=${_e#*|}
		_k=${_k%|*}
		_got=$(val "$_f" "$_s" "$_k") || return 1
		[ "$_got" = "$_v" ] || { echo "$_s/$_k is '$_got', wanted '$_v'"; return 1; }
	done
}

test_expect_success 'a small mission: products, a receipt, shares, exports, safety' '
	mission &&
	mkdir -m 700 "$TRASH/nokeys" &&
	p1=$(echo one | as jmac pki-classify -C "$REPO" -l confidential -c c -a poc) &&
	test_tick &&
	p2=$(echo two | as fc pki-classify -C "$REPO" --safety) &&
	test_tick &&
	p3=$(echo three | as police pki-classify -C "$REPO" -l confidential -c d -a crime --review 2026-04-01) &&
	test_tick &&
	p4=$(echo four | as jmac pki-classify -C "$REPO" -l strictly-confidential -c b -a force-protection --safety) &&
	test_tick &&
	r1=$(echo five | as chair pki-register -C "$REPO" --receive --from "Member State A" --ref "MS-A/1" -l confidential -c a) &&
	test_tick &&
	as jmac pki-share -C "$REPO" "$p1" fc &&
	test_tick &&
	as hom pki-share -C "$REPO" "$p1" unct -j "$J" -o "$TRASH/unct.gpg" &&
	test_tick &&
	as hom pki-share -C "$REPO" "$p1" hoststate -j "$J" --arrangement "MoU 1" -o "$TRASH/hs.gpg" &&
	test_tick &&
	as hom pki-share -C "$REPO" "$p1" fama -j "$J" --arrangement "TA 1" --hrddp "HRDDP-RA-1" -o "$TRASH/fama.gpg" &&
	test_tick &&
	as hom pki-share -C "$REPO" "$r1" unct -j "$J" --consent "MS-A note 88" -o "$TRASH/r1.gpg" &&
	test_tick &&
	as jmac pki-share -C "$REPO" --revoke "$p1" fc &&
	test_tick
'

test_expect_success 'csv: the numbers, exactly (Python csv)' '
	report --format csv >all.csv &&
	expect all.csv \
		"report|mission|UNMISS" \
		"products|total|5" "products|classified|4" "products|classified-percent|80.0" \
		"products|originated|4" "products|received|1" "products|safety|2" \
		"products|originator-control|1" \
		"products-by-level|unclassified|1" "products-by-level|confidential|3" \
		"products-by-level|strictly-confidential|1" \
		"products-by-criterion|a|1" "products-by-criterion|b|1" "products-by-criterion|c|1" \
		"products-by-criterion|d|1" \
		"products-by-kind|product|5" "products-by-kind|plan|0" \
		"products-by-entity|JMAC|2" "products-by-entity|FORCE|1" "products-by-entity|POLICE|1" \
		"products-by-entity|CMPIC|1" \
		"products-by-month|2026-03|5" \
		"disseminations|total|7" "disseminations|inside|3" "disseminations|outside|4" \
		"disseminations|revocations|1" \
		"disseminations-by-recipient-type|mission|3" "disseminations-by-recipient-type|un|2" \
		"disseminations-by-recipient-type|non-un|1" \
		"disseminations-by-recipient-type|security-force|1" \
		"disseminations-by-medium|file|7" "disseminations-by-medium|paper|0" \
		"disseminations-by-authority|hom|4" "disseminations-by-authority|undss-rule|2" \
		"disseminations-by-authority|originator|1" \
		"exports|total|4" "exports|with-arrangement|2" "exports|with-hrddp|1" \
		"exports|to-security-force|1" "exports|security-force-without-hrddp|0" \
		"exports-by-recipient|unct|2" "exports-by-arrangement|none|2" \
		"exports-by-arrangement|TA 1|1" \
		"exports-by-hrddp|HRDDP-RA-1|1" "exports-by-hrddp|none|3" \
		"consents|originator-control-exports|1" "consents|with-consent|1" \
		"consents|without-consent|0" \
		"safety|products|2" "safety|reached-undss|2" "safety|not-reached|0" \
		"safety-to-undss|$p2|0.0" "safety-to-undss|$p4|0.0" \
		"requirements|total|0" "sources|requirements|0" "sources|arrangements|0" \
		"audit|run|1" "audit|errors|0"
'

test_expect_success 'csv: one table that mlr reads, four columns' '
	head -1 all.csv | tr -d "\"\r" >head &&
	echo "section,key,value,label" >expect-head &&
	test_cmp expect-head head &&
	mlr --icsv --ojson filter "\$section == \"products-by-level\"" then cut -f key,value all.csv >lv.json &&
	python3 -c "import json,sys; d=json.load(open(\"lv.json\")); assert [(r[\"key\"], r[\"value\"]) for r in d] == [(\"unclassified\", 1), (\"confidential\", 3), (\"strictly-confidential\", 1)], d" &&
	test "$(mlr --icsv --onidx filter "\$section == \"exports-by-recipient\" && \$key == \"unct\"" then cut -f label all.csv)" = un
'

test_expect_success 'xml: valid against report.xsd, the same numbers' '
	report --format xml >all.xml &&
	xmllint --noout --schema "$SRC/share/pki/report.xsd" all.xml &&
	test "$(xmllint --xpath "string(//*[@name=\"products\"]/*[@key=\"classified\"])" all.xml)" = 4 &&
	test "$(xmllint --xpath "string(/*/@mission)" all.xml)" = UNMISS &&
	test "$(xmllint --xpath "string(/*/@audited)" all.xml)" = true
'

test_expect_success 'html: one page with SVG charts, no script, rebuilt by xsltproc' '
	report --format html >all.html &&
	xmllint --html --noout all.html 2>html.err &&
	! grep -v "Tag \(svg\|rect\|text\|title\) invalid" html.err | grep -q "error" &&
	grep -q "<svg" all.html &&
	test "$(grep -c "<svg" all.html)" -ge 3 &&
	! grep -qi "<script" all.html &&
	! grep -qiE "(src|href)=\"?(https?:|//)" all.html &&
	grep -q "@media print" all.html &&
	xsltproc "$SRC/share/pki/report.xsl" all.xml >rebuilt.html &&
	test_cmp all.html rebuilt.html
'

# Looked at the way a person would: a headless Chromium's screenshot of
# the page (a TAP skip when no Chromium is installed; it is large).
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -n "$browser" ]; then
	test_expect_success 'html: a headless browser draws it' '
		"$browser" --headless --no-sandbox --disable-gpu --window-size=1200,1600 \
			--screenshot="$TRASH/shot.png" "file://$TRASH/all.html" >/dev/null 2>&1 &&
		test "$(head -c 8 "$TRASH/shot.png" | od -An -tx1 | tr -d " \n")" = 89504e470d0a1a0a &&
		test "$(wc -c <"$TRASH/shot.png")" -gt 10000
	'
else
	test_count=$((test_count + 1))
	printf 'ok %d # skip html: a headless browser draws it (no chromium)\n' "$test_count"
fi

test_expect_success 'text: headings and aligned figures for a terminal' '
	report >all.txt &&
	head -1 all.txt | grep -qx "UNMISS (UN Mission in South Sudan): report, the beginning to now" &&
	grep -qx "Products by level" all.txt &&
	grep -qE "^  confidential +3$" all.txt &&
	grep -qE "^  c +1  operations-security$" all.txt &&
	! grep -q "\"" all.txt &&
	! LC_ALL=C grep -q "[[:cntrl:]]" all.txt
'

test_expect_success 'overdue work: a review date passed, a half-year not transferred' '
	test_tick $((130 * 86400)) &&
	report --format csv >july.csv &&
	expect july.csv "overdue|reviews|1" "overdue|transfer-periods|1" \
		"overdue|transfer-products|5" "overdue-transfers|2026H1|5" \
		"audit|warnings|2" "audit-by-code|A701|1" "audit-by-code|A702|1"
'

test_expect_success 'an archive transfer clears the overdue half-year' '
	mkdir "$TRASH/bags" &&
	as chair pki-archive -C "$REPO" --period 2026H1 -o "$TRASH/bags" >/dev/null &&
	test_tick &&
	p5=$(echo six | as jmac pki-classify -C "$REPO" -l unclassified) &&
	test_tick &&
	report --format csv >after.csv &&
	expect after.csv "overdue|transfer-products|0" "overdue|transfer-periods|0" \
		"rows-by-action|archive|5" "products|total|6" "products|classified-percent|66.7"
'

test_expect_success '--period and --since/--until choose the window' '
	report --period 2026H2 --format csv >h2.csv &&
	expect h2.csv "report|period|2026H2" "report|from|2026-07-01T00:00:00Z" \
		"report|until|2027-01-01T00:00:00Z" "products|total|1" \
		"products|classified-percent|0.0" "disseminations|total|0" \
		"rows-by-action|classify|1" &&
	report --period 2026H1 --format csv >h1.csv &&
	expect h1.csv "products|total|5" "exports|total|4" "rows-by-action|archive|0" &&
	report --since 2026-03 --until 2026-03 --format csv >march.csv &&
	expect march.csv "products|total|5" "report|until|2026-04-01T00:00:00Z" &&
	report --since 2026 --format csv --no-audit >year.csv &&
	expect year.csv "products|total|6" "audit|run|0" &&
	test "$(val year.csv report until)" = "" &&
	report --until 2026-02 --format csv --no-audit >before.csv &&
	expect before.csv "products|total|0" "products|classified-percent|0.0" &&
	report --period 2026H2 --format xml >h2.xml &&
	xmllint --noout --schema "$SRC/share/pki/report.xsd" h2.xml
'

test_expect_success 'the optional tables when present; safety marked after filing (stock git)' '
	git clone -q "$REPO" "$TRASH/c" &&
	p6=$(echo seven | as jmac pki-classify -C "$TRASH/c" -l confidential -c c -a force-protection) &&
	test_tick 7200 &&
	as jmac pki-share -C "$TRASH/c" "$p6" undss &&
	test_tick &&
	(
		cd "$TRASH/c" &&
		lbl=$(git ls-files "products/*/$p1.xml") &&
		sed -i "s|<distribution>|<ir>UNMISS-IR-0001</ir><distribution>|" "$lbl" &&
		for p in "$p3" "$p6"; do
			f=$(git ls-files "products/*/$p.xml") &&
			sed -i "s|<safety>false</safety>|<safety>true</safety>|" "$f" &&
			git add "$f" || exit 1
		done &&
		printf "%s\n" "ir,kind,parent,priority,owner,status,created,deadline,review_due,product" \
			"UNMISS-IR-0001,pir,,1,jmac,open,2026-03-01,,2027-03-01,$p2" \
			"UNMISS-IR-0002,sir,UNMISS-IR-0001,2,jmac,open,2026-03-01,,2026-05-01,$p3" \
			"UNMISS-IR-0003,pir,,3,fc,closed,2026-03-01,,2027-03-01,$p4" >requirements.csv &&
		printf "%s\n" "arrangement,kind,partner,reference,valid_from,valid_until,review_due" \
			"TA 1,orcon,fama,TA/2026/1,2026-01-01,,2026-06-01" \
			"HRDDP-RA-1,hrddp,fama,RA/2026/1,2026-01-01,,2027-01-01" >arrangements.csv &&
		git add requirements.csv arrangements.csv "$lbl" &&
		git -c user.name=t -c user.email=t@example.org commit -q -m tables
	) &&
	RDIR=$TRASH/c report --no-audit --format csv >tables.csv &&
	expect tables.csv "sources|requirements|3" "sources|arrangements|2" \
		"requirements|total|3" "requirements|open|2" "requirements|closed|1" \
		"requirements|covered|1" "requirements|uncovered|1" \
		"requirements-uncovered|UNMISS-IR-0002|2" \
		"overdue|requirement-reviews|1" "overdue|arrangement-reviews|1" \
		"safety|products|4" "safety|reached-undss|3" "safety|not-reached|1" \
		"safety|median-hours|0.0" "safety|longest-hours|2.0" \
		"safety-to-undss|$p6|2.0" "safety-to-undss|$p3|" &&
	test "$(mlr --icsv --onidx filter "\$section == \"exports-by-hrddp\" && \$key == \"HRDDP-RA-1\"" then cut -f label tables.csv)" = "hrddp fama"
'

test_expect_success 'examples/crontab: the monthly line prints last month'"'"'s report' '
	line=$(sed -n "s/^0 7 1 \* \*  *//p" "$SRC/examples/crontab" | sed "s/\\\\%/%/g") &&
	test -n "$line" &&
	m=$(date -u -d "$(date -u +%Y-%m-01) -1 day" +%Y-%m) &&
	env -u PKI_KEY GNUPGHOME="$TRASH/nokeys" PKI_REPO=$REPO sh -c "$line" >mail 2>&1 &&
	head -1 mail | grep -q "^UNMISS (UN Mission in South Sudan): report, $m-01 to $m-" &&
	grep -qx "Products" mail
'

test_expect_success 'pki-ir and a relabel: requirements answered, safety marked later' '
	p7=$(echo eight | as jmac pki-classify -C "$REPO" -l confidential -c c -a force-protection) &&
	test_tick $((3 * HOUR)) &&
	as jmac pki-classify -C "$REPO" --change "$p7" --safety >/dev/null &&
	test_tick &&
	ir1=$(echo "Where are the armed groups massing?" |
		as hom pki-ir -C "$REPO" add -k pir -p 1 --owner jmac) &&
	test_tick &&
	ir2=$(echo "Which roads do they use?" |
		as hom pki-ir -C "$REPO" add -k sir --parent "$ir1" -p 2 --owner jmac) &&
	test_tick &&
	p8=$(echo nine | as jmac pki-classify -C "$REPO" -l confidential -c c -a poc --ir "$ir1") &&
	test_tick &&
	report --period 2026H2 --format csv >ir.csv &&
	expect ir.csv "safety|products|1" "safety|reached-undss|1" \
		"safety-to-undss|$p7|3.0" "safety|median-hours|3.0" \
		"products-by-kind|ir|2" "products|total|5" \
		"requirements|total|2" "requirements|open|2" "requirements|covered|1" \
		"requirements|uncovered|1" "requirements-uncovered|$ir2|2" \
		"sources|requirements|2" "audit|errors|0"
'

# (The audit of a bare clone adds A003: no pki.root pinned there.)
test_expect_success 'a bare repository will do (a central store, a sync hub)' '
	git clone -q --bare "$REPO" "$TRASH/bare.git" &&
	RDIR=$TRASH/bare.git report --no-audit --format csv >bare.csv &&
	report --no-audit --format csv >work.csv &&
	grep -v "^\"*report\"*,\"*mission" work.csv >work.rest &&
	grep -v "^\"*report\"*,\"*mission" bare.csv >bare.rest &&
	test_cmp work.rest bare.rest &&
	test "$(val bare.csv report mission)" = UNMISS
'

test_expect_success 'refusals: a bad period or window (64), no repository (66)' '
	for p in 2026H3 26H1 2026h1 ""; do
		test_expect_code 64 report --period "$p" 2>err || return 1
	done &&
	grep -q "invalid period" err &&
	test_expect_code 64 report --period 2026H1 --since 2026-01 &&
	test_expect_code 64 report --since 2026-05 --until 2026-04 &&
	test_expect_code 64 report --since yesterday &&
	test_expect_code 64 report --format pdf &&
	test_expect_code 64 report stray &&
	mkdir empty &&
	test_expect_code 66 env -u PKI_KEY pki-report -C "$TRASH/empty" 2>err &&
	test "$(wc -l <err)" = 1
'

test_expect_success '--help and --version' '
	pki-report --help >help &&
	grep -q "^usage: pki-report" help &&
	grep -q -- "--period YYYYH1|YYYYH2" help &&
	pki-report --version | grep -q "^pki-report "
'

product_done
