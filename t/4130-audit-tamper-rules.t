#!/bin/sh
# pki-audit check 5: each share, export, revoke and reclassification had
# the authority, clearance, need to know, justification, arrangement,
# HRDDP assessment and consent the rules (lib/policy.c) required at its
# time.  Rows written straight into the registry with stock git.
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-audit.sh"

SHARD=registry/2026-03.csv

# row ACTION PRODUCT LEVEL ACTOR RECIPIENT AUTHORITY JUSTIFICATION HRDDP ARRANGEMENT REFERENCE [MEDIUM]
# appends a registry row dated now to the clone's shard.
row() {
	printf "\"%s\",\"%s\"" "$(cat /proc/sys/kernel/random/uuid)" "$PKI_DATE" >>"c/$SHARD" &&
	for _f in "$@"; do printf ",\"%s\"" "$_f" >>"c/$SHARD"; done &&
	if [ $# -lt 11 ]; then printf ",\"\"" >>"c/$SHARD"; fi &&
	printf "\r\n" >>"c/$SHARD"
}

# recorded SIGNER FIELDS...: a row appended by hand (see row), committed
# and signed by SIGNER with stock git.
recorded() {
	_signer=$1
	shift
	row "$@" && git_as "$_signer" -C c commit -q -S -am "record $1"
}

test_expect_success 'setup: a clean history' '
	history &&
	pki-audit -C "$REPO"
'

test_expect_success 'an export without its HRDDP reference, straight into the registry (A501)' '
	tamper &&
	recorded hom export "$U" unclassified hom fama hom "mandate: protection of civilians" "" ARR-1 "" &&
	git -C c verify-commit HEAD 2>/dev/null &&
	expect_finding A501 &&
	grep -q "^error A501 $SHARD:[0-9]*: export of $U by .hom. in commit $(git -C c rev-parse HEAD): .fama. is a non-UN security force: an HRDDP risk assessment is required (--hrddp, policy 11.4.4)" findings &&
	test "$(grep -c "^error" findings)" = 1
'

test_expect_success 'an export to a non-UN entity without a written arrangement (A501)' '
	tamper &&
	recorded hom export "$U" unclassified hom hoststate hom "mandate" "" "" "" &&
	expect_finding A501 &&
	grep -q "a written originator-control arrangement is required (--arrangement, policy 11.4.3)" findings
'

test_expect_success 'an export by a member holding no delegation (A501)' '
	tamper &&
	recorded fc export "$U" unclassified fc unct originator "mandate" "" "" "" &&
	expect_finding A501 &&
	grep -q "export of $U by .fc. .*: .fc. is member: only the Head of Mission or the holder of a share-external delegation" findings
'

test_expect_success 'an originator-control product exported without consent (A501)' '
	tamper &&
	recorded hom export "$X" confidential hom hoststate hom "mandate" "" ARR-3 "" &&
	expect_finding A501 &&
	grep -q "is under originator control: its originator.s consent is required (--consent, policy 11.4.3)" findings
'

test_expect_success 'an export to a recipient not cleared for it (A501)' '
	tamper &&
	recorded hom export "$A" strictly-confidential hom unct hom "mandate" "" "" "" &&
	expect_finding A501 &&
	grep -q ".unct. is cleared to confidential, the product is strictly-confidential (policy 9.8)" findings
'

test_expect_success 'a delegation invoked by another than its grantee (A501)' '
	tamper &&
	recorded fc export "$U" unclassified fc unct "$E" "UNCT coordination" "" "" "" &&
	expect_finding A501 &&
	grep -q "delegation .$E. is granted to .jmac., not to .fc." findings
'

test_expect_success 'an authority recorded wrongly is a warning (A503)' '
	tamper &&
	recorded hom export "$U" unclassified hom unct originator "mandate" "" "" "" &&
	pki-audit -C c >findings &&
	grep -q "^warning A503 $SHARD:[0-9]*: row [0-9a-f-]* records authority .originator.; the rules of its time grant .hom." findings &&
	test_expect_code 1 pki-audit -C c --strict >/dev/null
'

test_expect_success 'a reclassification by one who may not, re-encrypted by hand (A501)' '
	tamper &&
	decrypt_as fc "$(product_file "$B" gpg)" >plain &&
	row reclassify "$B" confidential chair "archives;chair;fc;hom;undss" custodian "" "" "" "" &&
	sed -i "s|<classification>strictly-confidential</classification>|<classification>confidential</classification>|" \
		"$(product_file "$B" xml)" &&
	gpg --batch --yes --quiet --trust-model always -r "$(fpr archives)" -r "$(fpr chair)" \
		-r "$(fpr fc)" -r "$(fpr hom)" -r "$(fpr undss)" -o "$(product_file "$B" gpg)" -e plain &&
	sum=$(sha256sum "$(product_file "$B" gpg)" | cut -c1-64) &&
	sed -i "s|<binding algorithm=\"sha256\">[0-9a-f]*</binding>|<binding algorithm=\"sha256\">$sum</binding>|" \
		"$(product_file "$B" xml)" &&
	git_as chair -C c commit -q -S -am "declassify" &&
	expect_finding A501 &&
	grep -q "reclassify of $B by .chair." findings &&
	test "$(grep -c "^error" findings)" = 1
'

test_expect_success 'a product classified to a short distribution list (A501)' '
	tamper &&
	echo secret >plain &&
	id=UNMISS-JMAC-2026-000001 && d=c/products/JMAC-2026-000 && mkdir -p "$d" &&
	gpg --batch --yes --quiet --trust-model always -r "$(fpr jmac)" -o "$d/$id.gpg" -e plain &&
	sed -e "s/$U/$id/" -e "s|<classification>unclassified</classification>|<classification>confidential</classification><criterion>c</criterion>|" \
		-e "s|<originator type=\"principal\">police</originator>|<originator type=\"principal\">jmac</originator>|" \
		-e "/<distribution>/,/<\/distribution>/c\\    <distribution><principal>jmac</principal></distribution>" \
		"$(product_file "$U" xml)" >"$d/$id.xml" &&
	sum=$(sha256sum "$d/$id.gpg" | cut -c1-64) &&
	sed -i "s|<binding algorithm=\"sha256\">[0-9a-f]*</binding>|<binding algorithm=\"sha256\">$sum</binding>|" "$d/$id.xml" &&
	xmllint --noout --schema "$SRC/share/pki/label.xsd" "$d/$id.xml" &&
	row classify "$id" confidential jmac jmac originator "" "" "" "" &&
	git -C c add products &&
	git_as jmac -C c commit -q -S -am "classify" &&
	expect_finding A501 &&
	grep -q "classify of $id in commit .* encrypts to .jmac.; the rules of its time give .archives;chair;hom;jmac." findings &&
	test "$(grep -c "^error" findings)" = 1
'

test_expect_success 'an export under a delegation that had expired (A502)' '
	tamper &&
	test_clock=$(date -u -d 2026-05-04T09:00:00Z +%s) && test_tick &&
	recorded jmac export "$U" unclassified jmac unct "$E" "UNCT coordination" "" "" "" &&
	expect_finding A502 &&
	grep -q "^error A502 $SHARD:[0-9]*: export of $U by .jmac. .* invokes delegation $E out of its time: delegation .$E. expired at 2026-05-01T00:00:00Z (policy 11.4.1)" findings
'

test_done
