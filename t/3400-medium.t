#!/bin/sh
# Dissemination that is not an encrypted file: pki-share --medium paper,
# oral or display, and principals without a key (pki-share(1),
# pki-files(5); policy 11.3.3, 24).
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-product.sh"
. "$TEST_DIRECTORY/lib-share.sh"

# on ID NAME: NAME is on the product's list.
on() { list_of "$1" | tr " " "\n" | grep -qx "$2"; }

J="mandate: protection of civilians, S/RES/2729 (2024) para 5"

# blobs ID: the product's ciphertext and label, as git stores them.
blobs() {
	for _e in gpg xml; do
		_f=$(product_file "$1" "$_e") &&
		git -C "$REPO" rev-parse "HEAD:${_f#$REPO/}" || return 1
	done
}

test_expect_success 'setup: a mission, a product, and principals without a key' '
	mission &&
	as hom pki-matrix -C "$REPO" add elder --entity COMMUNITY --type non-un --role external \
		--clearance confidential && test_tick &&
	as hom pki-matrix -C "$REPO" add sector --entity SECTORNORTH --type mission --role member \
		--clearance confidential --areas force-protection && test_tick &&
	python3 - "$REPO/access-matrix.csv" <<-\EOF &&
	import csv, sys
	rows = {r["principal"]: r for r in csv.DictReader(open(sys.argv[1], newline=""))}
	assert rows["elder"]["fingerprint"] == "" and rows["sector"]["fingerprint"] == "", rows
	EOF
	test "$(ls "$REPO/keys" | wc -l)" = 11 &&
	P=$(echo "armed group movements" | as fc pki-classify -C "$REPO" -l confidential -c c \
		-a force-protection) && test_tick
'

test_expect_success 'a principal without a key is on no initial list' '
	U=$(echo "road status" | as fc pki-classify -C "$REPO") && test_tick &&
	! on "$U" sector && ! on "$P" sector && on "$U" police
'

test_expect_success 'an oral briefing inside the mission: a share row, the product unchanged' '
	before=$(blobs "$P") &&
	as fc pki-share -C "$REPO" --medium oral "$P" jmac sector -j "morning brief" >out 2>err &&
	test_tick &&
	test ! -s out && test ! -s err &&
	test "$(blobs "$P")" = "$before" &&
	test "$(field share "$P" jmac medium)" = oral &&
	test "$(field share "$P" sector medium)" = oral &&
	test "$(field share "$P" sector authority)" = originator &&
	! on "$P" jmac && ! on "$P" sector &&
	git -C "$REPO" log -1 --format=%B | grep -qx "Pki-Medium: oral"
'

test_expect_success 'on paper and on a display outside the mission: export rows, no copy' '
	before=$(blobs "$P") &&
	as hom pki-share -C "$REPO" --medium paper "$P" hoststate -j "$J" \
		--arrangement "MoU UNMISS-HS 2025/3" >out 2>err && test_tick &&
	test ! -s out && test ! -s err &&
	test "$(field export "$P" hoststate medium)" = paper &&
	test "$(field export "$P" hoststate arrangement)" = "MoU UNMISS-HS 2025/3" &&
	as hom pki-share -C "$REPO" --medium display "$P" elder unct -j "$J" \
		--arrangement "community protection plan" && test_tick &&
	test "$(field export "$P" elder medium)" = display &&
	test "$(field export "$P" unct medium)" = display &&
	test "$(blobs "$P")" = "$before"
'

test_expect_success 'refused: an encrypted file for a principal without a key' '
	expect_refusal 77 as hom pki-share -C "$REPO" "$P" elder -j "$J" --arrangement "x" \
		-o "$TRASH/e.gpg" &&
	grep -q "refused: .elder. has no key: it receives only on paper, orally or on a display (--medium, policy 9.8, 24)$" err &&
	test ! -e "$TRASH/e.gpg" &&
	expect_refusal 77 as fc pki-share -C "$REPO" "$P" sector &&
	grep -q "(--medium, policy 9.8, 24)" err &&
	expect_refusal 64 as hom pki-matrix -C "$REPO" add chief2 --entity OSRSG --type mission \
		--role chair --clearance strictly-confidential --areas "*" &&
	expect_refusal 77 as hom pki-matrix -C "$REPO" succeed police sector --ref "note" &&
	grep -q "refused: .sector. has no key: a successor joins its predecessor.s distribution lists (policy 19, 24)$" err
'

test_expect_success 'refused: the same rules as an encrypted share' '
	expect_refusal 77 as jmac pki-share -C "$REPO" --medium oral "$P" police -j "x" &&
	grep -q "neither the originator" err &&
	S=$(echo "source list" | as fc pki-classify -C "$REPO" -l strictly-confidential -c b \
		-a force-protection) && test_tick &&
	expect_refusal 77 as fc pki-share -C "$REPO" --medium paper "$S" sector &&
	grep -q "cleared to confidential" err &&
	expect_refusal 77 as hom pki-share -C "$REPO" --medium oral "$P" fama -j "$J" \
		--arrangement "x" &&
	grep -q "HRDDP risk assessment is required (--hrddp, policy 11.4.4)" err &&
	expect_refusal 77 as fc pki-share -C "$REPO" --medium oral "$P" hoststate -j "$J" \
		--arrangement "x"
'

test_expect_success 'usage: a medium of pki, and no file options with it (64)' '
	expect_refusal 64 as fc pki-share -C "$REPO" --medium smoke "$P" jmac &&
	grep -q "invalid medium .smoke. (expected paper, oral or display)" err &&
	expect_refusal 64 as fc pki-share -C "$REPO" --medium oral "$P" jmac -o "$TRASH/x" &&
	expect_refusal 64 as fc pki-share -C "$REPO" --medium oral --revoke "$P" jmac &&
	expect_refusal 64 as fc pki-share -C "$REPO" --medium oral "$P" jmac --arrangement x
'

test_expect_success 'pki-register lists the medium, in CSV and in XML valid against the schema' '
	pki-register -C "$REPO" --product "$P" >reg.csv &&
	head -1 reg.csv | tr -d "\r\"" | grep -q ",reference,medium$" &&
	pki-register -C "$REPO" --product "$P" --format xml >reg.xml &&
	xmllint --noout --schema "$SRC/share/pki/registry.xsd" reg.xml &&
	test "$(xmllint --xpath "count(//*[local-name()='\''medium'\''])" reg.xml)" = 5 &&
	pki-register -C "$REPO" --product "$P" --format tsv --no-header | cut -f13 | grep -c . |
		grep -qx 5
'

test_expect_success 'a shard written before the medium column stays readable, and gains it when needed' '
	test_tick $((31 * 86400)) &&
	as fc pki-share -C "$REPO" "$P" jmac -j "planning" && test_tick &&
	shard=$REPO/registry/2026-04.csv &&
	python3 - "$shard" <<-\EOF &&
	import csv, sys
	rows = list(csv.reader(open(sys.argv[1], newline="")))
	assert rows[0][12] == "medium" and all(r[12] == "" for r in rows[1:]), rows
	with open(sys.argv[1], "w", newline="") as f:
	    csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(r[:12] for r in rows)
	EOF
	git -C "$REPO" add registry &&
	git -C "$REPO" -c user.name=hom -c user.email=hom@mission.example \
		-c user.signingkey="$(fpr hom)" commit -q -S -m "registry: rows of an older pki" &&
	test_tick &&
	n=$(pki-register -C "$REPO" | wc -l) &&
	as fc pki-share -C "$REPO" --revoke "$P" jmac && test_tick &&
	head -1 "$shard" | tr -d "\r\"" | grep -q ",reference$" &&
	test "$(pki-register -C "$REPO" | wc -l)" = $((n + 1)) &&
	as fc pki-share -C "$REPO" --medium paper "$P" undss -j "printed" && test_tick &&
	head -1 "$shard" | tr -d "\r\"" | grep -q ",reference,medium$" &&
	test "$(field share "$P" undss medium)" = paper &&
	test "$(field revoke "$P" jmac medium)" = "" &&
	test "$(pki-register -C "$REPO" | wc -l)" = $((n + 2))
'

test_expect_success 'pki-audit is clean' '
	pki-audit -C "$REPO" >out 2>err; test $? = 0 || { cat out err; false; } &&
	! grep -q "^error" out
'

test_expect_success 'the history checks out with stock tools' '
	verify_history
'

product_done
