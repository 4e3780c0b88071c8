#!/bin/sh
# Areas no one holds and their correction: pki-classify and pki-register
# --receive warn of an area no valid principal holds (a typo) and still
# file; pki-classify --change ID -a/--safety/--ir corrects a label (action
# relabel) by the originator, the Head of Mission or a declassify
# delegation (policy 9.8), never leaving a recipient without need to
# know, and a safety flag set later reaches UNDSS (policy 11.3.2).
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-product.sh"

# blob ID of a product's file at the tip
blob_of() {
	git -C "$REPO" rev-parse "HEAD:$(product_file "$1" "$2" | sed "s|^$REPO/||")"
}

# irs_of ID: the label's IR references, one line, space-separated.
irs_of() {
	xmllint --xpath '//*[local-name()="ir"]/text()' "$(product_file "$1" xml)" 2>/dev/null |
		tr '\n' ' ' | sed 's/ $//'
	echo
}

test_expect_success 'setup: a mission' '
	mission
'

test_expect_success 'a typo in -a: a warning on stderr, still exit 0 and filed' '
	echo "Convoy routes" | as jmac pki-classify -C "$REPO" -l confidential -c c \
		-a force-protecton >out 2>err &&
	test_tick &&
	p1=$(cat out) &&
	test "$(wc -l <err)" = 1 &&
	grep -qx "pki-classify: warning: no valid principal holds the area .force-protecton. of $p1 (see pki-matrix list); a typo is corrected with pki-classify --change $p1 -a AREAS" err &&
	test "$(label_field "$p1" areas)" = force-protecton &&
	row classify "$p1" | grep -q "^jmac|archives;chair;hom;jmac|originator|" &&
	labels_valid
'

test_expect_success 'areas someone holds: no warning; several typos named at once' '
	echo ok | as jmac pki-classify -C "$REPO" -l confidential -c c -a "poc;crime" >out 2>err &&
	test_tick &&
	test ! -s err &&
	echo two | as jmac pki-classify -C "$REPO" -l confidential -c c -a "poc;logistcs;safty" >out 2>err &&
	test_tick &&
	grep -q "no valid principal holds the areas .logistcs;safty. of $(cat out) " err
'

test_expect_success 'pki-register --receive warns the same, and files' '
	echo xray | as chair pki-register -C "$REPO" --receive --from "Member State X" --ref MS-1 \
		-l confidential -c a -a "poc;crme" >out 2>err &&
	test_tick &&
	x=$(cat out) &&
	grep -qx "pki-register: warning: no valid principal holds the area .crme. of $x (see pki-matrix list); a typo is corrected with pki-classify --change $x -a AREAS" err &&
	row receive "$x" | grep -q "^chair|"
'

test_expect_success 'the audit warns of the areas no one holds (A311)' '
	pki-audit -C "$REPO" >out; rc=$?; cat out; test $rc = 0 &&
	grep -qx "warning A311 $p1: no principal of the access matrix holds or held its area .force-protecton.: it reaches no one by it; pki-classify --change $p1 -a AREAS corrects a typo (policy 9.8)" out &&
	grep -q "^warning A311 $x: .*.crme." out &&
	test_expect_code 1 pki-audit -C "$REPO" --strict >/dev/null
'

test_expect_success 'the originator corrects the typo: one signed commit, label and row, same ciphertext' '
	gpg_before=$(blob_of "$p1" gpg) &&
	list_before=$(list_of "$p1") &&
	as jmac pki-classify -C "$REPO" --change "$p1" -a force-protection >out 2>err &&
	test_tick &&
	test "$(cat out)" = "$p1" && test ! -s err &&
	test "$(label_field "$p1" areas)" = force-protection &&
	test "$(label_field "$p1" classification)" = confidential &&
	test "$(blob_of "$p1" gpg)" = "$gpg_before" &&
	test "$(list_of "$p1")" = "$list_before" &&
	row relabel "$p1" >rows &&
	test "$(cat rows)" = "jmac|archives;chair;hom;jmac|originator|areas force-protecton -> force-protection|" &&
	git -C "$REPO" log -1 --format="%s%n%b" >msg &&
	head -1 msg | grep -qx "pki-classify: relabel $p1" &&
	grep -qx "Pki-Action: relabel" msg &&
	grep -qx "Pki-Authority: originator" msg &&
	git -C "$REPO" show --name-only --format= HEAD >files &&
	test "$(wc -l <files)" -eq 2 &&
	grep -q "$p1\.xml$" files && grep -q "^registry/" files &&
	git -C "$REPO" verify-commit HEAD 2>/dev/null &&
	labels_valid && shards_read && verify_history
'

test_expect_success 'the Head of Mission corrects it too' '
	as hom pki-classify -C "$REPO" --change "$p1" -a "force-protection;poc" >/dev/null &&
	test_tick &&
	test "$(label_field "$p1" areas)" = "force-protection;poc" &&
	row relabel "$p1" | tail -1 | grep -qx "hom|archives;chair;hom;jmac|hom|areas force-protection -> force-protection;poc|"
'

test_expect_success 'refused 9.8: a member who is not the originator (77, nothing changed)' '
	expect_refusal 77 as fc pki-classify -C "$REPO" --change "$p1" -a poc &&
	grep -q "^pki-classify: refused: .fc. is neither the originator of $p1 (.jmac.) nor the Head of Mission, and holds no declassify delegation from the originator covering it (policy 9.8)$" err &&
	expect_refusal 77 as police pki-classify -C "$REPO" --change "$p1" --safety &&
	expect_refusal 77 as chair pki-classify -C "$REPO" --change "$p1" --ir PIR-1
'

test_expect_success 'a declassify delegation from the originator corrects it' '
	dlg=$(as jmac pki-matrix -C "$REPO" delegate fc --power declassify --scope "$p1" --ref "JMAC memo 7") &&
	test_tick &&
	as fc pki-classify -C "$REPO" --change "$p1" -a force-protection --authority "$dlg" >/dev/null &&
	test_tick &&
	test "$(label_field "$p1" areas)" = force-protection &&
	row relabel "$p1" | tail -1 | grep -q "^fc|archives;chair;hom;jmac|$dlg|areas force-protection;poc -> force-protection|$"
'

test_expect_success 'refused 9.8: a correction that leaves a recipient without need to know (77)' '
	as jmac pki-share -C "$REPO" "$p1" fc -j "convoy planning" &&
	test_tick &&
	expect_refusal 77 as jmac pki-classify -C "$REPO" --change "$p1" -a crime &&
	grep -q "^pki-classify: refused: the areas crime would leave .fc. on the list of $p1 without need to know; take it off first (pki-share --revoke $p1 ...) (policy 9.8)$" err &&
	as jmac pki-share -C "$REPO" --revoke "$p1" fc &&
	test_tick &&
	as jmac pki-classify -C "$REPO" --change "$p1" -a crime >/dev/null &&
	test_tick &&
	test "$(label_field "$p1" areas)" = crime
'

test_expect_success 'usage errors (64), nothing changed' '
	expect_refusal 64 as jmac pki-classify -C "$REPO" --change "$p1" -a poc -l strictly-confidential &&
	grep -q "without -l, -c and --review" err &&
	expect_refusal 64 as jmac pki-classify -C "$REPO" --change "$p1" --safety -c b &&
	expect_refusal 64 as jmac pki-classify -C "$REPO" --change "$p1" --ir PIR-1 --review 2027-01-01 &&
	expect_refusal 64 as jmac pki-classify -C "$REPO" --change "$p1" &&
	grep -q "needs -l LEVEL, or -a, --safety or --ir" err &&
	expect_refusal 64 as jmac pki-classify -C "$REPO" --change "$p1" -a "Force_Protection" &&
	expect_refusal 64 as jmac pki-classify -C "$REPO" --change "$p1" --ir "" &&
	expect_refusal 64 as jmac pki-classify -C "$REPO" --change "$p1" -a poc -e JMAC &&
	expect_refusal 64 as jmac pki-classify -C "$REPO" --change "$p1" -a poc "$TRASH/file" &&
	expect_refusal 64 as jmac pki-classify -C "$REPO" --change "$p1" -a crime &&
	grep -q "$p1 already has these areas" err &&
	expect_refusal 66 as jmac pki-classify -C "$REPO" --change UNMISS-JMAC-2026-000999 -a poc
'

test_expect_success 'the safety flag set later reaches UNDSS: re-encrypted, a share on the rule' '
	p2=$(echo "Threat to the Bor team site" | as jmac pki-classify -C "$REPO" -l strictly-confidential -c b -a poc) &&
	test_tick &&
	test "$(list_of "$p2")" = "archives chair hom jmac" &&
	gpg_before=$(blob_of "$p2" gpg) &&
	as jmac pki-classify -C "$REPO" --change "$p2" --safety >/dev/null &&
	test_tick &&
	test "$(label_field "$p2" safety)" = true &&
	test "$(list_of "$p2")" = "archives chair hom jmac undss" &&
	test "$(blob_of "$p2" gpg)" != "$gpg_before" &&
	readers_are "$p2" "archives chair hom jmac undss" &&
	row relabel "$p2" >rows &&
	test "$(cat rows)" = "jmac|archives;chair;hom;jmac;undss|originator|safety set|" &&
	row share "$p2" >rows &&
	test "$(cat rows)" = "jmac|undss|undss-rule|may bear on the safety and security of UN personnel (policy 11.3.2)|" &&
	git -C "$REPO" show --name-only --format= HEAD >files &&
	test "$(wc -l <files)" -eq 3 &&
	labels_valid && verify_history &&
	expect_refusal 64 as jmac pki-classify -C "$REPO" --change "$p2" --safety &&
	grep -q "already has the safety flag" err
'

test_expect_success '--ir adds IR references, keeping those there' '
	requirements 4 &&
	as jmac pki-classify -C "$REPO" --change "$p2" --ir UNMISS-IR-0001 --ir UNMISS-IR-0002 >/dev/null &&
	test_tick &&
	test "$(irs_of "$p2")" = "UNMISS-IR-0001 UNMISS-IR-0002" &&
	row relabel "$p2" | tail -1 | grep -q "^jmac|archives;chair;hom;jmac;undss|originator|ir UNMISS-IR-0001, UNMISS-IR-0002 added|$" &&
	as hom pki-classify -C "$REPO" --change "$p2" --ir UNMISS-IR-0002 --ir UNMISS-IR-0003 >/dev/null &&
	test_tick &&
	test "$(irs_of "$p2")" = "UNMISS-IR-0001 UNMISS-IR-0002 UNMISS-IR-0003" &&
	expect_refusal 64 as jmac pki-classify -C "$REPO" --change "$p2" --ir UNMISS-IR-0001 &&
	labels_valid
'

test_expect_success 'all three at once, in one commit; the warning for a new typo' '
	p3=$(echo three | as jmac pki-classify -C "$REPO" -l confidential -c c -a poc) &&
	test_tick &&
	as jmac pki-classify -C "$REPO" --change "$p3" -a "poc;crim" --safety --ir UNMISS-IR-0004 >out 2>err &&
	test_tick &&
	grep -q "^pki-classify: warning: no valid principal holds the area .crim. of $p3 " err &&
	row relabel "$p3" | grep -qx "jmac|archives;chair;hom;jmac;undss|originator|areas poc -> poc;crim; safety set; ir UNMISS-IR-0004 added|" &&
	test "$(git -C "$REPO" log --oneline | grep -c "relabel $p3")" = 1
'

test_expect_success 'refused 11.3.2: a safety flag no valid undss principal can receive' '
	as hom pki-matrix -C "$REPO" add undss --key "$FIXTURES/keys/undss.pub.asc" --entity UNDSS \
		--type mission --role undss --clearance confidential --areas "safety;force-protection" &&
	test_tick &&
	p4=$(echo four | as jmac pki-classify -C "$REPO" -l strictly-confidential -c b -a poc) &&
	test_tick &&
	expect_refusal 77 as jmac pki-classify -C "$REPO" --change "$p4" --safety &&
	grep -q "(policy 11.3.2)$" err
'

test_expect_success 'the relabel rows as XML, valid against registry.xsd' '
	pki-register -C "$REPO" --action relabel --format xml >rows.xml &&
	xmllint --noout --schema "$SRC/share/pki/registry.xsd" rows.xml &&
	test "$(grep -c "<action>relabel</action>" rows.xml)" = 8
'

test_expect_success 'the audit is clean after, but for the areas still misspelt' '
	pki-audit -C "$REPO" >out; rc=$?; cat out; test $rc = 0 &&
	! grep -q "^error" out &&
	! grep -q "A311 $p1" out &&
	grep -q "^warning A311 $p3: .*.crim." out &&
	verify_history
'

product_done
