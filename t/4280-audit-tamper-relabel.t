#!/bin/sh
# pki-audit and relabels (pki-classify --change ID -a/--safety/--ir): a
# relabel is made by those who may reclassify the product (A501), changes
# areas, safety flag and IR references and nothing else (A308), leaves no
# recipient without need to know (A501), and a safety flag it sets
# reaches UNDSS (A508); areas changed with no row are a change without a
# row (A205); an area no principal ever held is a warning (A311).
# Each forgery is made in a clone with stock git, signed with git_as.
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-audit.sh"

SHARD=registry/2026-03.csv

# amend_as NAME: fold the working tree into the last commit, authored and
# signed by NAME.
amend_as() {
	git_as "$1" -C c commit -q -S --amend --no-edit --reset-author -a &&
	git -C c verify-commit HEAD 2>/dev/null
}

# edit_label ID SED-SCRIPT: change the clone's label of ID, and check it
# against label.xsd (a valid label, so that only the audit can say why).
edit_label() {
	sed -i "$2" "$(product_file "$1" xml)" &&
	xmllint --noout --schema "$SRC/share/pki/label.xsd" "$(product_file "$1" xml)" 2>/dev/null
}

# last_row COLUMN=VALUE...: rewrite fields of the last row of the clone's
# shard with Python's csv, quoted as the row was, its line end kept.
last_row() {
	python3 - "c/$SHARD" "$@" <<-'EOF'
	import csv, io, sys
	path = sys.argv[1]
	head = "event,time,action,product,level,actor,recipient,authority,justification,hrddp,arrangement,reference".split(",")
	data = open(path, newline="", encoding="utf-8").read()
	body = data.rstrip("\r\n")
	end = data[len(body):]
	cut = max(body.rfind("\n"), -1) + 1
	last = body[cut:]
	row = next(csv.reader([last], strict=True))
	for kv in sys.argv[2:]:
	    k, v = kv.split("=", 1)
	    row[head.index(k)] = v
	out = io.StringIO()
	quoting = csv.QUOTE_ALL if last.startswith('"') else csv.QUOTE_MINIMAL
	csv.writer(out, quoting=quoting, lineterminator="").writerow(row)
	open(path, "w", newline="", encoding="utf-8").write(body[:cut] + out.getvalue() + end)
	EOF
}

# field ACTION PRODUCT COLUMN: that column of the clone's last such row.
field() {
	python3 - "c/$SHARD" "$@" <<-'EOF'
	import csv, sys
	v = ""
	for r in csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")):
	    if r["action"] == sys.argv[2] and r["product"] == sys.argv[3]:
	        v = r[sys.argv[4]]
	print(v)
	EOF
}

test_expect_success 'setup: a clean history; relabels made by the tool audit clean' '
	history &&
	tamper &&
	as jmac pki-classify -C c --change "$A" -a poc >/dev/null && test_tick &&
	echo "requirement one" | as hom pki-ir -C c add -k pir --owner jmac >/dev/null && test_tick &&
	as hom pki-classify -C c --change "$X" --ir UNMISS-IR-0001 >/dev/null && test_tick &&
	S=$(echo sierra | as jmac pki-classify -C c -l strictly-confidential -c b -a poc) && test_tick &&
	as jmac pki-classify -C c --change "$S" --safety -a "poc;crime" >/dev/null && test_tick &&
	test "$(field share "$S" authority)" = undss-rule &&
	pki-audit -C c >findings; rc=$?; cat findings; test $rc = 0 &&
	! grep -q "^error" findings && ! grep -q A311 findings
'

test_expect_success 'a relabel row by a member who may not reclassify, written by hand (A501)' '
	tamper &&
	as hom pki-classify -C c --change "$A" -a poc >/dev/null &&
	last_row actor=fc authority=originator &&
	test "$(field relabel "$A" actor)" = fc &&
	amend_as fc &&
	expect_finding A501 &&
	grep -q "^error A501 $SHARD:[0-9]*: relabel of $A by .fc. in commit .*fc. is neither the originator of $A (.jmac.) nor the Head of Mission.*(policy 9.8)" findings &&
	test "$(grep -c "^error" findings)" = 1
'

test_expect_success 'a relabel that also changes the level (A308)' '
	tamper &&
	as jmac pki-classify -C c --change "$A" -a poc >/dev/null &&
	edit_label "$A" "s|<classification>strictly-confidential</classification>|<classification>confidential</classification>|" &&
	amend_as jmac &&
	expect_finding A308 &&
	grep -q "^error A308 $A: commit $(git -C c rev-parse HEAD) changes the label.s classification, which relabel does not change" findings
'

test_expect_success 'a relabel row whose level is not the product.s (A501)' '
	tamper &&
	as jmac pki-classify -C c --change "$A" -a poc >/dev/null &&
	last_row level=confidential &&
	amend_as jmac &&
	expect_finding A501 &&
	grep -q "a relabel keeps the level, strictly-confidential (policy 11.2.1)" findings
'

test_expect_success 'areas that leave a recipient without need to know (A501)' '
	tamper &&
	as jmac pki-share -C c "$A" fc -j "force protection" && test_tick &&
	as jmac pki-classify -C c --change "$A" -a "poc;crime;force-protection" >/dev/null &&
	edit_label "$A" "s|<areas>poc;crime;force-protection</areas>|<areas>crime</areas>|" &&
	amend_as jmac &&
	expect_finding A501 &&
	grep -q "^error A501 .*the areas crime would leave .fc. on the list of $A without need to know" findings
'

test_expect_success 'a safety flag set by a relabel that does not reach UNDSS (A508)' '
	tamper &&
	S=$(echo sierra | as jmac pki-classify -C c -l strictly-confidential -c b -a poc) && test_tick &&
	as jmac pki-classify -C c --change "$S" -a "poc;crime" >/dev/null &&
	edit_label "$S" "s|<safety>false</safety>|<safety>true</safety>|" &&
	grep -q "<safety>true</safety>" "$(product_file "$S" xml)" &&
	last_row "justification=areas poc -> poc;crime; safety set" &&
	amend_as jmac &&
	expect_finding A508 &&
	grep -q "^error A508 $SHARD:[0-9]*: commit $(git -C c rev-parse HEAD): the safety flag set on $S does not reach .undss., the senior UNDSS representative: a safety product always does (policy 11.3.2)" findings
'

test_expect_success 'areas corrected by hand, with no row (A205)' '
	tamper &&
	edit_label "$A" "s|<areas>poc;crime</areas>|<areas>poc</areas>|" &&
	git_as jmac -C c commit -q -S -am "typo" &&
	expect_finding A205 &&
	grep -q "^error A205 $(git -C c rev-parse HEAD): changes $A with no registry row" findings &&
	test "$(grep -c "^error" findings)" = 1
'

test_expect_success 'a share that sets the safety flag (A308)' '
	tamper &&
	as jmac pki-share -C c "$A" fc -j "force protection" &&
	edit_label "$A" "s|<safety>false</safety>|<safety>true</safety>|" &&
	amend_as jmac &&
	expect_finding A308 &&
	grep -q "changes the label.s safety, which share does not change" findings
'

test_expect_success 'an area no principal ever held, written by hand into a relabel (A311, --strict)' '
	tamper &&
	as jmac pki-classify -C c --change "$A" -a poc >/dev/null &&
	edit_label "$A" "s|<areas>poc</areas>|<areas>poc;crme</areas>|" &&
	amend_as jmac &&
	pki-audit -C c >findings; rc=$?; cat findings; test $rc = 0 &&
	grep -q "^warning A311 $A: no principal of the access matrix holds or held its area .crme." findings &&
	test_expect_code 1 pki-audit -C c --strict >/dev/null
'

test_done
