#!/bin/sh
# The life of a material: filed with a retention (pki-classify --kind
# material --retention), transferred to the UN Archives with its kind,
# the receipt acknowledged, and disposed of by the Chair with a
# certificate of destruction (pki-archive --dispose) once its retention
# has run out; products, plans, materials too young or never transferred
# are refused.  pki-audit is clean at the end.
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-product.sh"

XSD=$SRC/share/pki/transfer.xsd

# kind_of BAG ID: the kind the transfer list gives a record.
kind_of() {
	xmllint --xpath "string(//*[local-name()=\"record\"][*[local-name()=\"id\"]=\"$2\"]/*[local-name()=\"kind\"])" \
		"$1/data/transfer-list.xml"
}

# retention_of BAG ID: the same, its retention.
retention_of() {
	xmllint --xpath "string(//*[local-name()=\"record\"][*[local-name()=\"id\"]=\"$2\"]/*[local-name()=\"retention\"])" \
		"$1/data/transfer-list.xml"
}

test_expect_success 'setup: a product, a plan and three materials in 2026H1' '
	mission &&
	prod=$(echo "patrol report, Bor" | as jmac pki-classify -C "$REPO" -l confidential -c c -a poc) &&
	test_tick &&
	plan=$(echo "acquisition plan" | as jmac pki-classify -C "$REPO" -l confidential -c e --kind plan) &&
	test_tick &&
	echo "raw imagery, Bor airstrip" >raw &&
	mat=$(as jmac pki-classify -C "$REPO" -l confidential -c c -a poc --kind material \
		--retention P90D "$TRASH/raw") &&
	test_tick &&
	young=$(echo "working copy" | as fc pki-classify -C "$REPO" --kind material --retention P2Y) &&
	test_tick &&
	test "$(label_field "$mat" kind)" = material &&
	test "$(label_field "$mat" retention)" = P90D &&
	test "$(label_field "$young" retention)" = P2Y &&
	test -z "$(label_field "$prod" retention)" &&
	test -z "$(label_field "$mat" disposed)" &&
	labels_valid &&
	readers_are "$mat" "hom chair jmac archives"
'

test_expect_success 'bad retentions and kinds are usage errors (64), nothing filed' '
	for r in P 5Y P5W PT5H P1Y2D3M P0D P0Y0M P1.5Y -P5Y P5y "P5Y " P1234Y P12345M P123456D ""; do
		expect_refusal 64 as jmac pki-classify -C "$REPO" --kind material --retention "$r" "$TRASH/raw" ||
			return 1
	done &&
	grep -q "invalid retention" "$TRASH/err" &&
	expect_refusal 64 as jmac pki-classify -C "$REPO" --kind material "$TRASH/raw" &&
	grep -q "needs --retention" "$TRASH/err" &&
	expect_refusal 64 as jmac pki-classify -C "$REPO" --retention P5Y "$TRASH/raw" &&
	grep -q "goes with --kind material" "$TRASH/err" &&
	expect_refusal 64 as jmac pki-classify -C "$REPO" --kind plan --retention P5Y "$TRASH/raw" &&
	expect_refusal 64 as jmac pki-classify -C "$REPO" --change "$prod" -l confidential -c c --retention P5Y &&
	expect_refusal 64 as jmac pki-classify -C "$REPO" --reviewed "$prod" --retention P5Y
'

test_expect_success 'pki-register --receive files a material too' '
	recv=$(echo "raw intercept summary" | as chair pki-register -C "$REPO" --receive \
		--from "Member State A" --ref MS-A/9 -l confidential -c a --kind material \
		--retention P1Y) &&
	test_tick &&
	test "$(label_field "$recv" kind)" = material &&
	test "$(label_field "$recv" retention)" = P1Y &&
	expect_refusal 64 as chair pki-register -C "$REPO" --receive --from X -l confidential \
		-c a --retention P1Y "$TRASH/raw" &&
	expect_refusal 64 as chair pki-register -C "$REPO" --receive --from X -l confidential \
		-c a --kind material "$TRASH/raw" &&
	expect_refusal 64 as chair pki-register -C "$REPO" --receive --from X -l confidential \
		-c a --kind material --retention 1Y "$TRASH/raw" &&
	expect_refusal 64 as chair pki-register -C "$REPO" --receive --from X -l confidential \
		-c a --kind ir "$TRASH/raw" &&
	expect_refusal 64 as chair pki-register -C "$REPO" --kind material
'

test_expect_success 'refused before the transfer: not transferred (77, policy 11.5.1)' '
	at 2026-06-20T08:00:00Z &&
	expect_refusal 77 as chair pki-archive -C "$REPO" --dispose "$mat" --certificate DC-1 &&
	grep -q "never transferred to the UN Archives.*(policy 11.5.1, 12.6.9)" "$TRASH/err"
'

test_expect_success 'the transfer of 2026H1 names each record with its kind and retention' '
	at 2026-07-02T08:00:00Z &&
	B=$(as chair pki-archive -C "$REPO" --period 2026H1 -o "$TRASH") &&
	xmllint --noout --schema "$XSD" "$B/data/transfer-list.xml" &&
	test "$(kind_of "$B" "$prod")" = product &&
	test "$(kind_of "$B" "$plan")" = plan &&
	test "$(kind_of "$B" "$mat")" = material &&
	test "$(retention_of "$B" "$prod")" = permanent &&
	test "$(retention_of "$B" "$mat")" = P90D &&
	test "$(retention_of "$B" "$young")" = P2Y &&
	test "$(kind_of "$B" "$recv")" = material &&
	test -f "$B/data/$(git -C "$REPO" ls-tree -r --name-only HEAD products | grep "$mat.gpg")" &&
	as archives pki-archive -C "$REPO" --ack 2026H1 --accession UNARMS/2026/7
'

test_expect_success 'an old transfer list (no kinds) is still valid' '
	sed "/<kind>/d" "$B/data/transfer-list.xml" >old.xml &&
	! grep -q "<kind>" old.xml &&
	xmllint --noout --schema "$XSD" old.xml
'

test_expect_success 'refused: a product, a plan (77, policy 11.5.1)' '
	at 2026-07-03T08:00:00Z &&
	expect_refusal 77 as chair pki-archive -C "$REPO" --dispose "$prod" --certificate DC-1 &&
	grep -q "is a product: products, plans and requirements are permanent records.*(policy 11.5.1)" "$TRASH/err" &&
	expect_refusal 77 as chair pki-archive -C "$REPO" --dispose "$plan" --certificate DC-1 &&
	grep -q "is a plan: .*(policy 11.5.1)" "$TRASH/err"
'

test_expect_success 'refused: too early (77, policy 12.6.9)' '
	expect_refusal 77 as chair pki-archive -C "$REPO" --dispose "$young" --certificate DC-1 &&
	grep -q "the retention of $young (P2Y) runs until 2028-03-02: .*(policy 12.6.9)" "$TRASH/err"
'

test_expect_success 'refused: not the Chair (77, policy 12.6.9)' '
	for who in hom jmac archives auditor; do
		expect_refusal 77 as $who pki-archive -C "$REPO" --dispose "$mat" --certificate DC-1 &&
		grep -q "only\|Chair" "$TRASH/err" && grep -q "12.6.9" "$TRASH/err" || return 1
	done
'

test_expect_success 'usage errors (64), no such product (66)' '
	expect_refusal 64 as chair pki-archive -C "$REPO" --dispose "$mat" &&
	expect_refusal 64 as chair pki-archive -C "$REPO" --dispose "$mat" --certificate "" &&
	expect_refusal 64 as chair pki-archive -C "$REPO" --dispose "$mat" --certificate DC -o d &&
	expect_refusal 64 as chair pki-archive -C "$REPO" --dispose ../x --certificate DC &&
	expect_refusal 64 as chair pki-archive -C "$REPO" --period 2026H1 --certificate DC -o d &&
	expect_refusal 64 as chair pki-archive -C "$REPO" --dispose "$mat" --certificate "$(printf "a\nb")" &&
	expect_refusal 66 as chair pki-archive -C "$REPO" --dispose UNMISS-JMAC-2026-999999 --certificate DC
'

test_expect_success 'in a bare store too: the ciphertext leaves the tree, nothing is written beside it' '
	git clone -q --bare "$REPO" "$TRASH/store.git" &&
	git -C "$TRASH/store.git" config pki.root "$(git -C "$REPO" config pki.root)" &&
	as chair pki-archive -C "$TRASH/store.git" --dispose "$mat" --certificate DC/2026/0003 &&
	git -C "$TRASH/store.git" show --name-status --format= main >files &&
	grep -q "^D	.*$mat.gpg$" files &&
	test ! -e "$TRASH/store.git/index" && test ! -e "$TRASH/store.git/products" &&
	pki-audit -C "$TRASH/store.git" >out; rc=$?; cat out; test $rc = 0
'

test_expect_success 'the Chair disposes of the material: one signed commit' '
	before=$(git -C "$REPO" rev-parse HEAD) &&
	ct=$(git -C "$REPO" ls-tree -r --name-only HEAD products | grep "$mat.gpg") &&
	blob=$(git -C "$REPO" rev-parse "HEAD:$ct") &&
	as chair pki-archive -C "$REPO" --dispose "$mat" --certificate "DC/2026/0003" >out &&
	test ! -s out &&
	test "$(git -C "$REPO" rev-parse HEAD^)" = "$before" &&
	git -C "$REPO" log -1 --format=%B >msg &&
	grep -qx "pki-archive: dispose $mat" msg &&
	grep -qx "Pki-Action: dispose" msg &&
	grep -qx "Pki-Certificate: DC/2026/0003" msg &&
	grep -qx "Pki-Actor: chair" msg &&
	git -C "$REPO" show --name-status --format= HEAD >files &&
	cat files &&
	grep -q "^D	$ct$" files &&
	grep -q "^M	${ct%.gpg}.xml$" files &&
	test "$(wc -l <files)" = 3 &&
	test ! -e "$REPO/$ct" &&
	test "$(label_field "$mat" disposed)" = "$PKI_DATE" &&
	xmllint --noout --schema "$SRC/share/pki/label.xsd" "$REPO/${ct%.gpg}.xml" &&
	verify_history
'

test_expect_success 'the dispose row: actor chair, no recipient, the certificate as reference' '
	row dispose "$mat" >rows &&
	cat rows &&
	test "$(cat rows)" = "chair||custodian|retention P90D ended: material destroyed (policy 12.6.9)|DC/2026/0003" &&
	pki-register -C "$REPO" --action dispose --format xml >reg.xml &&
	xmllint --noout --schema "$SRC/share/pki/registry.xsd" reg.xml &&
	shards_read
'

test_expect_success 'what disposal does not do: history keeps the ciphertext, for its list' '
	git -C "$REPO" cat-file blob "$blob" >old.gpg &&
	decrypt_as jmac old.gpg >plain &&
	test_cmp raw plain &&
	! decrypt_as fc old.gpg >/dev/null
'

test_expect_success 'refused: disposed of already (77)' '
	expect_refusal 77 as chair pki-archive -C "$REPO" --dispose "$mat" --certificate DC-2 &&
	grep -q "disposed of on 2026-07-03 already" "$TRASH/err"
'

test_expect_success 'a disposed material is not shared or re-encrypted (77)' '
	expect_refusal 77 as jmac pki-share -C "$REPO" "$mat" fc -j "planning" &&
	grep -q "disposed of" "$TRASH/err"
'

test_expect_success 'pki-matrix remove passes over a disposed material' '
	as hom pki-matrix -C "$REPO" remove jmac &&
	test_tick &&
	list_of "$mat" | grep -q jmac
'

test_expect_success 'a later transfer carries the disposed label, without ciphertext' '
	at 2027-01-05T08:00:00Z &&
	mkdir final &&
	F=$(as chair pki-archive -C "$REPO" --final -o "$TRASH/final") &&
	xmllint --noout --schema "$XSD" "$F/data/transfer-list.xml" &&
	test "$(kind_of "$F" "$mat")" = material &&
	xmllint --xpath "string(//*[local-name()=\"record\"][*[local-name()=\"id\"]=\"$mat\"]/*[local-name()=\"disposed\"])" \
		"$F/data/transfer-list.xml" >d &&
	test "$(cat d)" = 2026-07-03T08:00:00Z &&
	test -z "$(find "$F/data/products" -name "$mat.gpg")" &&
	test -n "$(find "$F/data/products" -name "$mat.xml")" &&
	(cd "$F" && sha256sum -c --quiet manifest-sha256.txt)
'

test_expect_success 'pki-audit: clean at the end, and since the commit before the disposal' '
	pki-audit -C "$REPO" --since "$before" >out; rc=$?; cat out; test $rc = 0 &&
	! grep -q "^error" out &&
	pki-audit -C "$REPO" >out; rc=$?; cat out; test $rc = 0 &&
	! grep -q "^error" out &&
	! grep -q "A306\|A309\|A310\|A507" out
'

test_expect_success 'pki-audit: A704 for a transferred material whose retention has run out' '
	pki-audit -C "$REPO" --at 2028-03-03 >out; cat out &&
	grep -q "^info A704 $young: its retention P2Y ended on 2028-03-02" out &&
	! grep -q "A704 $mat" out
'

product_done
