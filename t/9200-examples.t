#!/bin/sh
# examples/: the pipelines an officer would write, checked against the
# labels and the registry read with Python alone.
. "$(dirname "$0")/lib.sh"

EX=$SRC/examples

# py_labels DATE: the labels due for review by DATE, as awaiting-review
# should print them, read with Python's own XML parser and csv writer.
py_labels() {
	python3 -c '
import csv, glob, sys
import xml.etree.ElementTree as ET
rows = []
for f in glob.glob(sys.argv[1] + "/products/*/*.xml"):
	r = ET.parse(f).getroot()
	get = lambda n: "".join(e.text or "" for e in r if e.tag.split("}")[-1] == n)
	if get("review") and get("review") <= sys.argv[2]:
		rows.append((get("id"), get("classification"), get("originator"), get("review")))
print("product,level,originator,review")
w = csv.writer(sys.stdout, lineterminator="\n")
for row in sorted(rows, key=lambda x: (x[3], x[0])):
	w.writerow(row)
' "$REPO" "$1"
}

# py_registry [FILTER]: the registry rows, every shard, as Python dicts
# printed one per line by the expression given.
py_registry() {
	python3 -c '
import csv, glob, sys
for f in sorted(glob.glob(sys.argv[1] + "/registry/*.csv")):
	for r in csv.DictReader(open(f, newline="")):
		if eval(sys.argv[2]):
			print(eval(sys.argv[3]))
' "$REPO" "$1" "$2"
}

test_expect_success 'setup: a mission with products, shares, exports and a revocation' '
	mission &&
	test_tick &&
	p1=$(echo one | as jmac pki-classify -C "$REPO" -e JMAC -l confidential -c c \
		-a force-protection --review 2026-03-10) &&
	test_tick &&
	p2=$(echo two | as jmac pki-classify -C "$REPO" -e JMAC -a poc --review 2026-06-01) &&
	test_tick &&
	p3=$(echo three | as jmac pki-classify -C "$REPO" -e JMAC -l confidential -c b -a poc) &&
	test_tick &&
	as jmac pki-share -C "$REPO" "$p1" fc &&
	test_tick &&
	as hom pki-share -C "$REPO" "$p1" hoststate -j "Protection of civilians, Bor" \
		--arrangement UNMISS-HOST-2025-01 -o to-host.gpg &&
	test_tick &&
	as hom pki-share -C "$REPO" "$p3" unct -j "Humanitarian access, Malakal" -o to-unct.gpg &&
	test_tick &&
	as jmac pki-share -C "$REPO" --revoke "$p1" fc &&
	test_tick $((40 * 86400)) &&
	as hom pki-share -C "$REPO" "$p2" hoststate -j "Market monitoring" \
		--arrangement UNMISS-HOST-2025-01 -o to-host2.gpg &&
	test_tick
'

test_expect_success 'awaiting-review: the products due by a date, oldest first' '
	"$EX/awaiting-review" -C "$REPO" 2026-03-15 >actual &&
	py_labels 2026-03-15 >expect &&
	test_cmp expect actual &&
	test "$(wc -l <actual)" = 2 &&
	grep -q "^$p1,confidential,jmac,2026-03-10$" actual
'

test_expect_success 'awaiting-review: a later date brings more; python reads it' '
	"$EX/awaiting-review" -C "$REPO" 2026-06-30 >actual &&
	py_labels 2026-06-30 >expect &&
	test_cmp expect actual &&
	python3 -c "
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline=\"\")))
assert [r[\"product\"] for r in rows] == [sys.argv[2], sys.argv[3]], rows
assert rows[1][\"review\"] == \"2026-06-01\" and rows[1][\"level\"] == \"unclassified\", rows
" actual "$p1" "$p2"
'

test_expect_success 'awaiting-review: today by default (PKI_DATE), run from inside the repository' '
	(cd "$REPO" && "$EX/awaiting-review") >actual &&
	test "$(wc -l <actual)" = 2 &&
	PKI_DATE=2026-03-09T00:00:00Z "$EX/awaiting-review" -C "$REPO" >actual &&
	test "$(cat actual)" = "product,level,originator,review"
'

test_expect_success 'awaiting-review: usage errors exit 64' '
	test_expect_code 64 "$EX/awaiting-review" -C "$REPO" 15/03/2026 2>err &&
	grep -q "invalid date" err &&
	test_expect_code 64 "$EX/awaiting-review" -x 2>err &&
	test_expect_code 64 "$EX/awaiting-review" a b 2>err
'

test_expect_success 'every example fails outside a repository: one line on stderr' '
	mkdir -p outside &&
	for ex in awaiting-review dissemination-report exports-by-recipient; do
		(cd outside && test_must_fail "$EX/$ex") >out 2>err &&
		test "$(wc -l <err)" = 1 &&
		test ! -s out || { echo "$ex: $(cat err out)"; return 1; }
	done &&
	grep -q "not in a pki repository" err &&
	git init -q plain-git &&
	test_must_fail "$EX/awaiting-review" -C plain-git 2>err &&
	grep -qx "awaiting-review: .plain-git. is not in a pki repository" err
'

test_expect_success 'exports-by-recipient: one line per recipient of the month' '
	"$EX/exports-by-recipient" -C "$REPO" --csv 2026-03 >actual &&
	py_registry "r[\"action\"] == \"export\" and r[\"time\"].startswith(\"2026-03-\")" \
		"r[\"recipient\"] + \" \" + r[\"product\"]" | sort >expect &&
	python3 -c "
import csv, sys
for r in csv.DictReader(open(sys.argv[1], newline=\"\")):
	ps = r[\"products\"].split(\";\")
	assert int(r[\"exports\"]) == len(ps), r
	for p in ps:
		print(r[\"recipient\"], p)
" actual | sort >got &&
	test_cmp expect got &&
	test "$(wc -l <expect)" = 2
'

test_expect_success 'exports-by-recipient: another month, and a table by default' '
	"$EX/exports-by-recipient" -C "$REPO" 2026-04 >actual &&
	mlr --ipprint --ojson cat actual >/dev/null &&
	grep -q "^recipient  *exports  *products" actual &&
	grep -q "^hoststate  *1  *$p2" actual &&
	test "$(wc -l <actual)" = 2
'

test_expect_success 'exports-by-recipient: usage errors exit 64, a bad repository fails' '
	test_expect_code 64 "$EX/exports-by-recipient" -C "$REPO" March 2>err &&
	grep -q "invalid month" err &&
	test_expect_code 64 "$EX/exports-by-recipient" --json 2>err &&
	mkdir empty &&
	test_must_fail "$EX/exports-by-recipient" -C empty 2026-03 2>err
'

test_expect_success 'dissemination-report: counts, shares, exports, revocations' '
	"$EX/dissemination-report" -C "$REPO" 2026-03-01 2026-03-31 >report &&
	head -1 report | grep -qx "Dissemination of peacekeeping-intelligence, UN Mission in South Sudan" &&
	grep -q "^From 2026-03-01 to 2026-03-31" report &&
	for a in classify share export revoke; do
		n=$(py_registry "r[\"action\"] == \"$a\" and r[\"time\"].startswith(\"2026-03-\")" 1 | wc -l) &&
		grep -q "^| $a  *| $n  *|$" report || { echo "count of $a is not $n"; return 1; }
	done &&
	sed -n "/^Shared inside/,/^\$/p" report | grep -q "| $p1 .*| jmac .*| fc .*| originator" &&
	sed -n "/^Exported outside/,/^\$/p" report >exports &&
	grep -q "| $p1 .*| hom .*| hoststate .*| Protection of civilians, Bor .*| UNMISS-HOST-2025-01" exports &&
	grep -q "| $p3 .*| unct .*| Humanitarian access, Malakal" exports &&
	! grep -q "$p2" exports &&
	sed -n "/^Revoked/,\$p" report | grep -q "| $p1 .*| jmac .*| fc "
'

test_expect_success 'dissemination-report: an empty period says so' '
	"$EX/dissemination-report" -C "$REPO" 2025-01-01 2025-01-31 >report &&
	test "$(grep -c "^(none)$" report)" = 4
'

test_expect_success 'dissemination-report: the month so far by default; bad dates fail' '
	"$EX/dissemination-report" -C "$REPO" >report &&
	grep -q "^From 2026-04-01 to $(printf %.10s "$PKI_DATE")," report &&
	grep -q "| $p2 .*| hoststate" report &&
	test_expect_code 64 "$EX/dissemination-report" -C "$REPO" yesterday 2>err
'

test_done
