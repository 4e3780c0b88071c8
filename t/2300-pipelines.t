#!/bin/sh
# The CSV the tools write, in the pipelines an officer writes: cut -d, ,
# awk -F, , grep ',export,', sort, mlr, Python's csv, cat -A.  LF line
# ends, quotes only where a field needs them, every value exactly as
# typed; free text a spreadsheet would run refused at the door (65);
# shards an earlier pki wrote (CRLF, every field quoted, formulas marked)
# still read, take new rows and audit clean.
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-product.sh"
. "$TEST_DIRECTORY/lib-audit.sh"

SHARD=registry/2026-03.csv

# py ROWS-CSV EXPR: EXPR over the rows of a CSV file read by Python's csv
# module (rows: a list of dicts), printed.
py() {
	python3 -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")))
print(eval(sys.argv[2]))' "$@"
}

# same_head: HEAD and the work tree as they were ($before).
same_head() {
	test "$(git -C "$REPO" rev-parse HEAD)" = "$before" &&
	test -z "$(git -C "$REPO" status --porcelain)"
}

test_expect_success 'setup: shares, exports with a comma and a quote, a receipt, a revocation' '
	mission &&
	p1=$(echo one | as jmac pki-classify -C "$REPO" -l confidential -c c -a poc) &&
	test_tick &&
	as jmac pki-share -C "$REPO" "$p1" fc &&
	test_tick &&
	as hom pki-share -C "$REPO" "$p1" hoststate -j "Protection of civilians, Bor" \
		--arrangement UNMISS-HOST-2025-01 -o "$TRASH/to-host.gpg" &&
	test_tick &&
	p2=$(echo two | as fc pki-classify -C "$REPO" -a poc --safety) &&
	test_tick &&
	as hom pki-share -C "$REPO" "$p2" unct -j "Say \"hi\" to OCHA" -o "$TRASH/to-unct.gpg" &&
	test_tick &&
	r1=$(echo three | as chair pki-register -C "$REPO" --receive --from "Member State A" \
		--via PICT --ref MS-A/1 -l confidential -c a) &&
	test_tick &&
	as jmac pki-share -C "$REPO" --revoke "$p1" fc -j "'"'"'Op Dawn'"'"' closed" &&
	test_tick &&
	pki-register -C "$REPO" >all.csv &&
	test "$(wc -l <all.csv)" = 9
'

test_expect_success 'cat -A: LF line ends, no quotes on ordinary rows' '
	! cat -A all.csv | grep -q "\^M" &&
	cat -A all.csv | grep -c "\\$\$" >n && test "$(cat n)" = 9 &&
	grep -v -e "civilians, Bor" -e "OCHA" all.csv >ordinary &&
	test "$(wc -l <ordinary)" = 7 &&
	! grep -q "\"" ordinary &&
	pki-register -C "$REPO" --action receive | cut -d, -f12 | cat -A >ref &&
	printf "reference\$\nMS-A/1\$\n" >expect &&
	test_cmp expect ref
'

test_expect_success 'cut -d, and grep ,export, : exact values' '
	test "$(grep -c ",export," all.csv)" = 2 &&
	grep ",export,$p1," all.csv | cut -d, -f3-8 >got &&
	echo "export,$p1,confidential,hom,hoststate,hom" >expect &&
	test_cmp expect got &&
	pki-register -C "$REPO" --no-header --action share | cut -d, -f4,7,8 >got &&
	printf "%s\n" "$p1,fc,originator" "$p2,undss,undss-rule" >expect &&
	test_cmp expect got &&
	test "$(cut -d, -f3 all.csv | sort | uniq -c | awk "\$2 == \"classify\" { print \$1 }")" = 2
'

test_expect_success 'awk -F, : the columns before the free text; TSV for all of them' '
	awk -F, "\$3 == \"export\" { print \$4, \$6, \$7 }" all.csv >got &&
	printf "%s\n" "$p1 hom hoststate" "$p2 hom unct" >expect &&
	test_cmp expect got &&
	pki-register -C "$REPO" --format tsv --no-header --action export |
		awk -F "\t" "{ print \$7 \"|\" \$9 \"|\" \$11 }" >got &&
	printf "%s\n" "hoststate|Protection of civilians, Bor|UNMISS-HOST-2025-01" \
		"unct|Say \"hi\" to OCHA|" >expect &&
	test_cmp expect got
'

test_expect_success 'sort: --no-header or tail -n +2 keeps the header out of the way' '
	pki-register -C "$REPO" --no-header | sort -t, -k4,4 -k2,2 >sorted &&
	tail -n +2 all.csv | sort -t, -k4,4 -k2,2 >expect &&
	test_cmp expect sorted &&
	test "$(wc -l <sorted)" = 8 &&
	{ head -1 all.csv; tail -n +2 all.csv | sort -r; } >resorted &&
	head -1 resorted | grep -qx "event,time,action,product,level,actor,recipient,authority,justification,hrddp,arrangement,reference,medium" &&
	py resorted "sorted(r[\"event\"] for r in rows) == sorted(r[\"event\"] for r in csv.DictReader(open(\"all.csv\", newline=\"\")))" >ok &&
	test "$(cat ok)" = True
'

test_expect_success 'mlr and Python read every value exactly as typed' '
	mlr --icsv --ojson filter "\$action == \"export\" || \$action == \"revoke\"" \
		then cut -o -f action,recipient,justification all.csv >got.json &&
	python3 - got.json <<-\EOF &&
	import json, sys
	rows = json.load(open(sys.argv[1]))
	assert rows == [
	    {"action": "export", "recipient": "hoststate", "justification": "Protection of civilians, Bor"},
	    {"action": "export", "recipient": "unct", "justification": "Say \"hi\" to OCHA"},
	    {"action": "revoke", "recipient": "fc", "justification": "'"'"'Op Dawn'"'"' closed"},
	], rows
	EOF
	test "$(py all.csv "\"|\".join(r[\"justification\"] for r in rows if r[\"action\"] == \"receive\")")" = \
		"received from Member State A via PICT" &&
	test "$(py all.csv "set(len(r) for r in rows)")" = "{13}"
'

test_expect_success 'the recipient column: lists split, each delivery counted once (pki-register.1)' '
	pki-register -C "$REPO" --format tsv --no-header |
		awk -F "\t" "\$3 ~ /^(classify|receive|reclassify|share|export)\$/ {
			n = split(\$7, r, \";\")
			for (i = 1; i <= n; i++) got[\$4 \" \" r[i]] = 1 }
		END { for (k in got) { split(k, x, \" \"); c[x[2]]++ }
			for (p in c) print c[p], p }" | sort -k1,1nr -k2 >awk.out &&
	pki-register -C "$REPO" |
		mlr --icsv --ocsv --headerless-csv-output \
		filter "\$action =~ \"^(classify|receive|reclassify|share|export)\$\"" \
		then nest --explode --values --across-records -f recipient --nested-fs ";" \
		then count-distinct -f product,recipient then count-distinct -f recipient |
		awk -F, "{ print \$2, \$1 }" | sort -k1,1nr -k2 >mlr.out &&
	test_cmp awk.out mlr.out &&
	python3 - all.csv <<-\EOF >py.out &&
	import csv, sys, collections
	got = set()
	for r in csv.DictReader(open(sys.argv[1], newline="")):
	    if r["action"] in ("classify", "receive", "reclassify", "share", "export"):
	        for p in r["recipient"].split(";"):
	            got.add((r["product"], p))
	c = collections.Counter(p for _, p in got)
	for p, n in sorted(c.items(), key=lambda x: (-x[1], x[0])):
	    print(n, p)
	EOF
	test_cmp py.out awk.out &&
	grep -qx "1 undss" awk.out &&
	grep -qx "3 hom" awk.out
'

test_expect_success 'the other tables and the audit write the same CSV' '
	! cat -A "$REPO/access-matrix.csv" | grep -q "\^M" &&
	grep -q "^jmac,$(fpr jmac),JMAC,mission,member,strictly-confidential,poc;force-protection;crime," \
		"$REPO/access-matrix.csv" &&
	pki-matrix -C "$REPO" list | grep -q "^police,.*,POLICE,mission,member,confidential,crime," &&
	pki-audit -C "$REPO" --format csv >audit.csv &&
	echo "severity,code,object,message" >expect &&
	test_cmp expect audit.csv
'

# refuse OPTION CMD...: CMD exits 65 on one line saying why, and nothing
# changes.
refuse() {
	_opt=$1
	shift
	expect_refusal 65 "$@" &&
	grep -q "^pki-[a-z]*: .*$_opt begins with .*, which a spreadsheet runs as a formula; write it without the .* or begin with a letter or digit$" "$TRASH/err" &&
	same_head ||
		{ echo "not refused: $_opt in $*"; return 1; }
}

test_expect_success 'formulas refused at the door, for each free-text option (65, HEAD as it was)' '
	before=$(git -C "$REPO" rev-parse HEAD) &&
	refuse -j as jmac pki-share -C "$REPO" "$p1" police -j "=1+1" &&
	refuse -j as hom pki-share -C "$REPO" "$p1" unct -j "+ARR/2026" -o "$TRASH/x.gpg" &&
	refuse --arrangement as hom pki-share -C "$REPO" "$p1" hoststate -j ok \
		--arrangement "+ARR/2026" -o "$TRASH/x.gpg" &&
	refuse --hrddp as hom pki-share -C "$REPO" "$p1" fama -j ok --hrddp "-2026" -o "$TRASH/x.gpg" &&
	refuse --consent as hom pki-share -C "$REPO" "$r1" unct -j ok --consent "@MS-A" -o "$TRASH/x.gpg" &&
	refuse --authority as jmac pki-share -C "$REPO" "$p1" police --authority "=D1" &&
	refuse -j as jmac pki-share -C "$REPO" --revoke "$p1" hoststate -j "-gone" &&
	echo x | refuse --from as chair pki-register -C "$REPO" --receive --from "=HYPERLINK(1)" \
		-l unclassified &&
	echo x | refuse --via as chair pki-register -C "$REPO" --receive --from A --via "@pict" \
		-l unclassified &&
	echo x | refuse --ref as chair pki-register -C "$REPO" --receive --from A --ref "+1" \
		-l unclassified &&
	echo x | refuse --ir as jmac pki-classify -C "$REPO" --ir "=PIR" &&
	refuse --ref as hom pki-matrix -C "$REPO" delegate jmac --power share-external --ref "=memo" &&
	refuse --ref as hom pki-matrix -C "$REPO" succeed police fc --ref "-memo" &&
	refuse --ref as hom pki-matrix -C "$REPO" undelegate DLG-0123456789 --ref "@memo" &&
	refuse --authority as jmac pki-classify -C "$REPO" --change "$p1" -l strictly-confidential \
		-c c --authority "=D1" &&
	refuse --accession as archives pki-archive -C "$REPO" --ack 2026H1 --accession "=A1" &&
	echo x | refuse -j as jmac pki-share -C "$REPO" "$p1" police -j "$(printf "\tx")" &&
	echo x | refuse --ref as chair pki-register -C "$REPO" --receive --from A --ref "$(printf "\rx")" \
		-l unclassified &&
	test_expect_code 65 as hom pki-init -m UNMIK -n "=Mission" fresh 2>err &&
	grep -qx "pki-init: mission name begins with .=., which a spreadsheet runs as a formula; write it without the .=. or begin with a letter or digit" err &&
	test ! -e fresh
'

test_expect_success 'signs inside the text, a tab inside it: what each is' '
	before=$(git -C "$REPO" rev-parse HEAD) &&
	expect_refusal 64 as jmac pki-share -C "$REPO" "$p1" police -j "$(printf "a\tb")" &&
	grep -q "control character" err &&
	same_head &&
	as jmac pki-share -C "$REPO" "$p1" fc -j "poc -1 +2 =3 @4" &&
	test_tick &&
	test "$(pki-register -C "$REPO" --action share --format tsv --no-header | tail -1 | cut -f 9)" = \
		"poc -1 +2 =3 @4"
'

# old_style FILE: FILE as an earlier pki wrote it: CRLF, every field
# quoted, a value that begins with = + - @ or a quote marked with a quote.
old_style() {
	python3 - "$1" <<-\EOF
	import csv, sys
	rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
	mark = lambda v: "'" + v if v[:1] in ("=", "+", "-", "@", "'") else v
	with open(sys.argv[1], "w", newline="", encoding="utf-8") as f:
	    w = csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
	    w.writerow(rows[0])
	    for r in rows[1:]:
	        w.writerow([mark(v) for v in r])
	EOF
}

test_expect_success 'an old shard, committed by hand: CRLF, all quoted, marked' '
	pki-register -C "$REPO" >before.csv &&
	old_style "$REPO/$SHARD" &&
	grep -q "\"'"''"'Op Dawn'"'"' closed\"" "$REPO/$SHARD" &&
	test "$(grep -c "$(printf "\r")\$" "$REPO/$SHARD")" = "$(wc -l <"$REPO/$SHARD")" &&
	git_as chair -C "$REPO" commit -q -S -am "registry: March as an earlier pki wrote it" &&
	test_tick &&
	pki-register -C "$REPO" >after.csv &&
	test_cmp before.csv after.csv &&
	pki-audit -C "$REPO" >findings &&
	test ! -s findings
'

test_expect_success 'an old row with a formula mark reads as the value it was written from' '
	ev=0badc0de-0000-4000-8000-0000000000a1 &&
	printf "\"%s\",\"%s\",\"export\",\"%s\",\"confidential\",\"hom\",\"hoststate\",\"hom\",\"protection\",\"\",\"'"'"'+ARR/2026\",\"\",\"\"\r\n" \
		"$ev" "$PKI_DATE" "$p1" >>"$REPO/$SHARD" &&
	git_as hom -C "$REPO" commit -q -S -am "pki-share: export $p1 to hoststate" &&
	test_tick &&
	pki-register -C "$REPO" --format tsv | awk -F "\t" -v ev="$ev" "\$1 == ev { print \$11 }" >got &&
	echo "+ARR/2026" >expect &&
	test_cmp expect got &&
	pki-audit -C "$REPO" >findings &&
	test ! -s findings
'

test_expect_success 'a new row after old ones: the old bytes stay, the new row is LF and bare' '
	cp "$REPO/$SHARD" old-bytes &&
	as jmac pki-share -C "$REPO" --revoke "$p1" fc -j "Crime pattern, Juba" &&
	test_tick &&
	head -c "$(wc -c <old-bytes)" "$REPO/$SHARD" | cmp - old-bytes &&
	tail -c +"$(($(wc -c <old-bytes) + 1))" "$REPO/$SHARD" >new-row &&
	test "$(wc -l <new-row)" = 1 &&
	! grep -q "$(printf "\r")" new-row &&
	grep -q "^[0-9a-f-]*,2026-[0-9T:-]*Z,revoke,$p1,confidential,jmac,fc,originator,\"Crime pattern, Juba\",,,,\$" new-row &&
	pki-register -C "$REPO" --action revoke --format tsv --no-header | tail -1 | cut -f 9 >got &&
	echo "Crime pattern, Juba" >expect &&
	test_cmp expect got &&
	pki-audit -C "$REPO" >findings &&
	test ! -s findings
'

test_expect_success 'old rows re-quoted by hand are the same rows: no finding' '
	python3 - "$REPO/$SHARD" <<-\EOF &&
	import sys
	p = sys.argv[1]
	data = open(p, "rb").read().replace(b"\r\n", b"\n")
	# the marks off too, or the values would change (A202)
	data = data.replace(b"\"'"'"'+ARR", b"\"+ARR").replace(b"\"'"'"''"'"'", b"\"'"'"'")
	open(p, "wb").write(data)
	EOF
	git -C "$REPO" diff --stat | grep -q "$SHARD" &&
	pki-register -C "$REPO" >before.csv &&
	git_as chair -C "$REPO" commit -q -S -am "registry: LF" &&
	test_tick &&
	pki-audit -C "$REPO" >findings &&
	test ! -s findings &&
	pki-register -C "$REPO" >after.csv &&
	test_cmp before.csv after.csv &&
	! grep -q "$(printf "\r")" "$REPO/$SHARD"
'

test_expect_success 'old tables rewritten by a tool: rows compared, not bytes' '
	d1=$(as hom pki-matrix -C "$REPO" delegate jmac --power share-external --ref "HoM memo 2026/14") &&
	test_tick &&
	old_style "$REPO/delegations.csv" &&
	old_style "$REPO/access-matrix.csv" &&
	git_as hom -C "$REPO" commit -q -S -am "tables as an earlier pki wrote them" &&
	test_tick &&
	pki-audit -C "$REPO" >findings &&
	test ! -s findings &&
	d2=$(as fc pki-matrix -C "$REPO" delegate jmac --power disseminate --scope poc --ref "FC note 3") &&
	test_tick &&
	! grep -q "$(printf "\r")" "$REPO/delegations.csv" &&
	grep -qx "$d1,hom,jmac,share-external,\*,[0-9TZ:-]*,,HoM memo 2026/14" "$REPO/delegations.csv" &&
	grep -qx "$d2,fc,jmac,disseminate,poc,[0-9TZ:-]*,,FC note 3" "$REPO/delegations.csv" &&
	as hom pki-matrix -C "$REPO" add mallory --key "$FIXTURES/keys/mallory.pub.asc" \
		--entity FORCE --type mission --role member --clearance confidential --areas poc &&
	test_tick &&
	! grep -q "$(printf "\r")" "$REPO/access-matrix.csv" &&
	pki-audit -C "$REPO" >findings &&
	test ! -s findings
'

test_expect_success 'the old shard read by every reader' '
	shards_read &&
	verify_history
'

product_done
