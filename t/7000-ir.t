#!/bin/sh
# pki-ir: intelligence requirements (policy 10.2, 12.9): a small tree set
# by the Head of Mission, the Chair and a direct delegate; products and
# receipts answering part of it; coverage with what nothing answers;
# review and closure; refusals; the wordings never in plaintext; the
# table and the wordings in the next archive transfer.
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-product.sh"

# req IR COLUMN: one column of a requirement, read with Python's csv.
req() {
	python3 - "$REPO/requirements.csv" "$1" "$2" <<-\EOF
	import csv, sys
	for r in csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")):
	    if r["ir"] == sys.argv[2]:
	        print(r[sys.argv[3]])
	EOF
}

# cover CSV IR: "products receipts latest entities" of a coverage row.
cover() {
	python3 - "$1" "$2" <<-\EOF
	import csv, sys
	for r in csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")):
	    if r["ir"] == sys.argv[2]:
	        print(r["products"], r["receipts"], r["latest"] or "-", r["entities"] or "-")
	EOF
}

W1="MARKER-PIR-5e1b Will armed groups contest the Bor corridor?"
W2="MARKER-SIR-77c0 Where are fighters massing near Bor?"
W3="MARKER-EEI-a93d Are heavy weapons crossing from the east bank?"
W4="MARKER-SIR-0f42 Who supplies the groups in Pibor?"

test_expect_success 'setup: a mission' '
	mission
'

test_expect_success 'the Head of Mission sets a pir: its ID on stdout, one signed commit' '
	before=$(git -C "$REPO" rev-parse HEAD) &&
	printf "%s\n" "$W1" | as hom pki-ir -C "$REPO" add -k pir -p 1 --owner jmac >out &&
	test_tick &&
	PIR=$(cat out) &&
	test "$PIR" = UNMISS-IR-0001 &&
	test "$(git -C "$REPO" rev-list --count "$before"..HEAD)" = 1 &&
	git -C "$REPO" verify-commit HEAD 2>/dev/null &&
	git -C "$REPO" show --name-only --format= HEAD >files &&
	grep -q "^requirements.csv$" files &&
	grep -q "^registry/2026-03.csv$" files &&
	test "$(grep -c "^products/" files)" = 2 &&
	test "$(req "$PIR" kind)" = pir &&
	test "$(req "$PIR" parent)" = "" &&
	test "$(req "$PIR" priority)" = 1 &&
	test "$(req "$PIR" owner)" = jmac &&
	test "$(req "$PIR" status)" = open &&
	test "$(req "$PIR" created)" = 2026-03-02 &&
	test "$(req "$PIR" review_due)" = 2027-03-02 &&
	WP=$(req "$PIR" product) &&
	test "$(label_field "$WP" kind)" = ir
'

test_expect_success 'the wording is a product for hom, chair, archives and the owner alone' '
	readers_are "$WP" "archives chair hom jmac" &&
	test "$(decrypt_as jmac "$(product_file "$WP" gpg)")" = "$W1" &&
	row classify "$WP" >rows &&
	test "$(cat rows)" = "hom|archives;chair;hom;jmac|originator||"
'

test_expect_success 'the Chair adds a sir under it, confidential, owned by fc' '
	SIR=$(printf "%s\n" "$W2" | as chair pki-ir -C "$REPO" add -k sir --parent "$PIR" \
		--owner fc -l confidential -c c --deadline 2026-06-30) &&
	test_tick &&
	test "$SIR" = UNMISS-IR-0002 &&
	test "$(req "$SIR" parent)" = "$PIR" &&
	test "$(req "$SIR" priority)" = 2 &&
	test "$(req "$SIR" deadline)" = 2026-06-30 &&
	WS=$(req "$SIR" product) &&
	test "$(label_field "$WS" classification)" = confidential &&
	readers_are "$WS" "archives chair fc hom"
'

test_expect_success 'a direct delegation from the Head of Mission lets jmac add an eei' '
	DIR=$(as hom pki-matrix -C "$REPO" delegate jmac --power direct --ref "HoM memo 2026/3") &&
	test_tick &&
	EEI=$(printf "%s\n" "$W3" | as jmac pki-ir -C "$REPO" add -k eei --parent "$SIR" \
		--owner police --review 2026-09-01) &&
	test_tick &&
	test "$EEI" = UNMISS-IR-0003 &&
	test "$(req "$EEI" review_due)" = 2026-09-01 &&
	git -C "$REPO" log -1 --format=%B | grep -q "^Pki-Authority: $DIR$" &&
	SIR2=$(printf "%s\n" "$W4" | as hom pki-ir -C "$REPO" add -k sir --parent "$PIR" \
		--owner jmac -p 3) &&
	test_tick &&
	test "$SIR2" = UNMISS-IR-0004
'

test_expect_success 'only the Head of Mission delegates direct (77)' '
	expect_refusal 77 as chair pki-matrix -C "$REPO" delegate fc --power direct --ref x &&
	grep -q "policy 10.2" err
'

test_expect_success 'a member without the delegation cannot add (77, policy 10.2)' '
	echo x | expect_refusal 77 as fc pki-ir -C "$REPO" add -k pir --owner fc &&
	grep -q "^pki-ir: refused: .fc. is member: .*(policy 10.2, 12.9)$" err
'

test_expect_success 'a bad hierarchy is bad data (65)' '
	echo x | expect_refusal 65 as hom pki-ir -C "$REPO" add -k eei --parent "$PIR" --owner fc &&
	grep -q "an eei goes under a sir" err &&
	echo x | expect_refusal 65 as hom pki-ir -C "$REPO" add -k sir --owner fc &&
	grep -q "needs a parent pir" err &&
	echo x | expect_refusal 65 as hom pki-ir -C "$REPO" add -k sir --parent UNMISS-IR-0099 --owner fc &&
	grep -q "no requirement of requirements.csv" err &&
	echo x | expect_refusal 65 as hom pki-ir -C "$REPO" add -k pir --parent "$PIR" --owner fc &&
	echo x | expect_refusal 64 as hom pki-ir -C "$REPO" add -k sir --parent "not an id" --owner fc &&
	echo x | expect_refusal 64 as hom pki-ir -C "$REPO" add -k pir -p 4 --owner fc &&
	echo x | expect_refusal 64 as hom pki-ir -C "$REPO" add -k xir --owner fc &&
	echo x | expect_refusal 77 as hom pki-ir -C "$REPO" add -k pir --owner police \
		-l strictly-confidential -c c &&
	grep -q "owner .police. is cleared to confidential" err
'

test_expect_success 'products and receipts answer part of the tree' '
	p1=$(echo one | as jmac pki-classify -C "$REPO" -l confidential -c c --ir "$SIR") &&
	test_tick &&
	p2=$(echo two | as fc pki-classify -C "$REPO" --ir "$SIR;$EEI") &&
	test_tick &&
	r1=$(echo three | as chair pki-register -C "$REPO" --receive --from "Member State A" \
		-l unclassified --ir "$EEI") &&
	test_tick &&
	test "$(label_field "$r1" ir)" = "$EEI"
'

test_expect_success 'an --ir that names no open requirement is refused (65), nothing filed' '
	echo x >"$TRASH/in" &&
	expect_refusal 65 as jmac pki-classify -C "$REPO" --ir UNMISS-IR-0042 "$TRASH/in" &&
	grep -q "no requirement .UNMISS-IR-0042. in requirements.csv (policy 10.2)" err &&
	expect_refusal 65 as jmac pki-classify -C "$REPO" --ir "IR 2026/7" "$TRASH/in" &&
	expect_refusal 65 as chair pki-register -C "$REPO" --receive --from X -l unclassified \
		--ir "$SIR;UNMISS-IR-0042" "$TRASH/in" &&
	expect_refusal 64 as jmac pki-classify -C "$REPO" --ir "$SIR;" in
'

test_expect_success 'coverage: counts, latest, entities, and what nothing answers' '
	pki-ir -C "$REPO" coverage >cov.csv &&
	head -1 cov.csv | tr -d "\"\r" >head &&
	echo "ir,kind,parent,priority,owner,products,receipts,latest,entities" >want &&
	test_cmp want head &&
	test "$(cover cov.csv "$PIR")" = "0 0 - -" &&
	test "$(cover cov.csv "$SIR")" = "2 0 $(label_field "$p2" created) FORCE;JMAC" &&
	test "$(cover cov.csv "$EEI")" = "1 1 $(label_field "$r1" created) FORCE;Member State A" &&
	test "$(cover cov.csv "$SIR2")" = "0 0 - -" &&
	pki-ir -C "$REPO" coverage --format text >cov.txt &&
	cat cov.txt &&
	grep -q "^$PIR .* unanswered$" cov.txt &&
	grep -q "^$SIR2 .* unanswered$" cov.txt &&
	grep -q "^$SIR .*2 products, 0 receipts, latest 2026-03-02, from FORCE;JMAC$" cov.txt &&
	pki-ir -C "$REPO" coverage --since 2026-03-03 >later.csv &&
	test "$(cover later.csv "$SIR")" = "0 0 - -"
'

test_expect_success 'coverage and list need no key' '
	mkdir -m 700 nokeys &&
	env -u PKI_KEY GNUPGHOME="$TRASH/nokeys" pki-ir -C "$REPO" coverage >/dev/null &&
	env -u PKI_KEY GNUPGHOME="$TRASH/nokeys" pki-ir -C "$REPO" list >list.csv &&
	test "$(wc -l <list.csv)" = 5
'

test_expect_success 'review: a new review date, one signed commit, no wording in it' '
	as chair pki-ir -C "$REPO" review "$EEI" --next 2027-01-15 &&
	test_tick &&
	test "$(req "$EEI" review_due)" = 2027-01-15 &&
	git -C "$REPO" verify-commit HEAD 2>/dev/null &&
	test "$(git -C "$REPO" show --name-only --format= HEAD)" = requirements.csv &&
	as hom pki-ir -C "$REPO" review "$PIR" &&
	test_tick &&
	test "$(req "$PIR" review_due)" = 2027-03-02 &&
	expect_refusal 64 as hom pki-ir -C "$REPO" review "$PIR" --next 2026-01-01 &&
	expect_refusal 66 as hom pki-ir -C "$REPO" review UNMISS-IR-0099 &&
	expect_refusal 77 as fc pki-ir -C "$REPO" review "$PIR"
'

test_expect_success 'list --due shows the open requirements past review' '
	PKI_DATE=2027-02-01T00:00:00Z pki-ir -C "$REPO" list --due --format text >due &&
	cat due &&
	grep -q "^$EEI " due &&
	test "$(wc -l <due)" = 1
'

test_expect_success 'close: closed with a reason, then no longer citable nor open' '
	as chair pki-ir -C "$REPO" close "$SIR2" --reason "superseded by the June plan" &&
	test_tick &&
	test "$(req "$SIR2" status)" = closed &&
	git -C "$REPO" log -1 --format=%B | grep -q "^Pki-Reason: superseded by the June plan$" &&
	echo x >"$TRASH/in" &&
	expect_refusal 65 as jmac pki-classify -C "$REPO" --ir "$SIR2" "$TRASH/in" &&
	grep -q "requirement .$SIR2. is closed" err &&
	echo x | expect_refusal 65 as hom pki-ir -C "$REPO" add -k eei --parent "$SIR2" --owner fc &&
	expect_refusal 65 as hom pki-ir -C "$REPO" close "$SIR2" --reason again &&
	expect_refusal 77 as police pki-ir -C "$REPO" close "$SIR" --reason x &&
	expect_refusal 64 as hom pki-ir -C "$REPO" close "$SIR" &&
	pki-ir -C "$REPO" list --open >open.csv &&
	! grep -q "$SIR2" open.csv &&
	pki-ir -C "$REPO" coverage >cov.csv &&
	! grep -q "$SIR2" cov.csv
'

test_expect_success 'usage errors are 64' '
	expect_refusal 64 pki-ir -C "$REPO" &&
	expect_refusal 64 pki-ir -C "$REPO" frob &&
	expect_refusal 64 pki-ir -C "$REPO" list --since 2026 &&
	expect_refusal 64 pki-ir -C "$REPO" coverage --format xml &&
	expect_refusal 64 as hom pki-ir -C "$REPO" add -k pir &&
	expect_refusal 64 as hom pki-ir -C "$REPO" review
'

test_expect_success 'no wording is in plaintext: files, history, objects, commit messages' '
	for w in MARKER-PIR-5e1b MARKER-SIR-77c0 MARKER-EEI-a93d MARKER-SIR-0f42; do
		! grep -r -a -q "$w" "$REPO" --exclude-dir=.git || { echo "$w in a file"; return 1; }
		! git -C "$REPO" log -p --all | grep -a -q "$w" || { echo "$w in git log -p"; return 1; }
		no_marker "$w" || return 1
	done
'

test_expect_success 'the audit accepts it all' '
	pki-audit -C "$REPO" >findings; rc=$?; cat findings; test $rc = 0 &&
	! grep -q "^error" findings &&
	pki-audit -C "$REPO" --at 2028-01-01 >findings; cat findings;
	grep -q "^warning A705 $PIR: open pir of .jmac. was due for review on 2027-03-02" findings
'

test_expect_success 'the next transfer carries requirements.csv and the wordings' '
	test_clock=$(date -u -d 2026-07-02T08:00:00Z +%s) && test_tick 0 &&
	bag=$(as chair pki-archive -C "$REPO" --period 2026H1 -o "$TRASH") &&
	test_tick &&
	test_cmp "$REPO/requirements.csv" "$bag/data/requirements.csv" &&
	xmllint --noout --schema "$SRC/share/pki/transfer.xsd" "$bag/data/transfer-list.xml" &&
	grep -q "kind=\"requirements\"" "$bag/data/transfer-list.xml" &&
	for w in "$WP" "$WS"; do
		ls "$bag"/data/products/*/"$w.gpg" >/dev/null || return 1
	done &&
	test "$(decrypt_as archives "$(ls "$bag"/data/products/*/"$WS.gpg")")" = "$W2" &&
	(cd "$bag" && sha256sum -c --quiet manifest-sha256.txt) &&
	pki-audit -C "$REPO" >findings; rc=$?; cat findings; test $rc = 0
'

product_done
