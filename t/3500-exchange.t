#!/bin/sh
# Exchange with Headquarters: a mission exports to PICT, PICT imports with
# provenance and re-exports to another mission with the originator's
# consent, which imports in turn (pki-register(1) --import; policy
# 13.1.3, 11.4.3).
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-product.sh"
. "$TEST_DIRECTORY/lib-share.sh"

J="mandate: protection of civilians, S/RES/2729 (2024) para 5"
A=$REPO
PICT=$TRASH/pict
B=$TRASH/b
X=$TRASH/x

# matrix_add REPO ACTOR NAME ENTITY TYPE ROLE CLEARANCE AREAS
matrix_add() {
	as "$2" pki-matrix -C "$1" add "$3" --key "$FIXTURES/keys/$3.pub.asc" \
		--entity "$4" --type "$5" --role "$6" --clearance "$7" --areas "$8" || return 1
	test_tick
}

# sources LABEL: the number of <source> elements
sources() {
	xmllint --xpath "count(//*[local-name()='source'])" "$1"
}

# src_field LABEL N FIELD: FIELD of the Nth <source>
src_field() {
	xmllint --xpath "string(//*[local-name()='source'][$2]/*[local-name()='$3'])" "$1"
}

test_expect_success 'setup: mission A, Headquarters (PICT), mission B' '
	mkdir "$X" &&
	mission &&
	echo "armed group movements near the camp" >p1.txt &&
	P1=$(as fc pki-classify -C "$A" -l confidential -c c -a force-protection <p1.txt) &&
	test_tick &&
	as fama pki-init -m DPO -n "DPO Headquarters" -e PICT -p fama "$PICT" &&
	test_tick &&
	matrix_add "$PICT" fama unct PICT mission member strictly-confidential "force-protection;poc" &&
	matrix_add "$PICT" fama hom UNMISS un external confidential "" &&
	matrix_add "$PICT" fama jmac UNMIL un external confidential "" &&
	as hom2 pki-init -m UNMIL -n "UN Mission in Liberia" -e OSRSG -p hom2 "$B" &&
	test_tick &&
	matrix_add "$B" hom2 jmac JMAC mission member strictly-confidential "force-protection;poc" &&
	matrix_add "$B" hom2 fama DPO un external confidential ""
'

test_expect_success 'mission A exports to PICT: the copy is signed by the exporter' '
	as hom pki-share -C "$A" "$P1" unct -j "$J" -o "$X/a.gpg" &&
	test_tick &&
	GNUPGHOME=$(reader unct) gpg --batch --status-fd 1 --output /dev/null \
		--decrypt "$X/a.gpg" 2>/dev/null >status &&
	grep -q "^\[GNUPG:\] GOODSIG" status &&
	grep -q "VALIDSIG $(fpr hom)" status &&
	test "$(sources "$X/a.gpg.xml")" = 0
'

test_expect_success 'PICT imports it: handling carried over, provenance recorded' '
	P2=$(as unct pki-register -C "$PICT" --import "$X/a.gpg" 2>err) &&
	test_tick &&
	case "$P2" in DPO-PICT-*) ;; *) false ;; esac &&
	l=$(REPO=$PICT product_file "$P2" xml) &&
	xmllint --noout --schema "$SRC/share/pki/label.xsd" "$l" &&
	test "$(sources "$l")" = 1 &&
	test "$(src_field "$l" 1 id)" = "$P1" &&
	test "$(src_field "$l" 1 mission)" = UNMISS &&
	test "$(src_field "$l" 1 exporter)" = hom &&
	test "$(xml_field "$l" classification)" = confidential &&
	test "$(xml_field "$l" criterion)" = c &&
	test "$(xml_field "$l" areas)" = force-protection &&
	xmllint --xpath "count(//*[local-name()='\''originator-control'\''])" "$l" | grep -qx 1 &&
	REPO=$PICT row receive "$P2" | cut -d"|" -f5 >ref && echo "$P1" >want && test_cmp want ref &&
	REPO=$PICT row receive "$P2" | cut -d"|" -f4 | grep -q "via import" &&
	GNUPGHOME=$(reader unct) gpg --batch --quiet --decrypt "$(REPO=$PICT product_file "$P2" gpg)" \
		2>/dev/null >got && test_cmp p1.txt got &&
	pki-audit -C "$PICT"
'

test_expect_success 'a Member State'\''s product keeps its originator and its caveat' '
	echo "member state assessment" >ms.txt &&
	PM=$(as jmac pki-register -C "$A" --receive --from "Member State A" --ref MS-A/77 \
		-l confidential -c a -a poc <ms.txt) &&
	test_tick &&
	as hom pki-share -C "$A" "$PM" unct -j "$J" --consent "MS-A/77 consent" -o "$X/m.gpg" &&
	test_tick &&
	PN=$(as unct pki-register -C "$PICT" --import "$X/m.gpg" 2>/dev/null) &&
	test_tick &&
	l=$(REPO=$PICT product_file "$PN" xml) &&
	test "$(xml_field "$l" originator)" = "Member State A" &&
	test "$(xml_field "$l" criterion)" = a &&
	xmllint --xpath "count(//*[local-name()='\''originator-control'\''])" "$l" | grep -qx 1 &&
	REPO=$PICT expect_refusal 77 as fama pki-share -C "$PICT" "$PN" jmac -j "$J" -o "$X/m2.gpg"
'

test_expect_success 'refused: a re-export without the originator'\''s consent (policy 11.4.3)' '
	REPO=$PICT expect_refusal 77 as fama pki-share -C "$PICT" "$P2" jmac -j "$J" -o "$X/nope.gpg" &&
	grep -q consent err &&
	test ! -e "$X/nope.gpg"
'

test_expect_success 'PICT re-exports to mission B with consent; B imports with both sources' '
	as fama pki-share -C "$PICT" "$P2" jmac -j "$J" --consent "UNMISS OSRSG, 2026-03-02" \
		-o "$X/p.gpg" &&
	test_tick &&
	test "$(sources "$X/p.gpg.xml")" = 1 &&
	P3=$(as jmac pki-register -C "$B" --import "$X/p.gpg" --label "$X/p.gpg.xml") &&
	test_tick &&
	l=$(REPO=$B product_file "$P3" xml) &&
	xmllint --noout --schema "$SRC/share/pki/label.xsd" "$l" &&
	test "$(sources "$l")" = 2 &&
	test "$(src_field "$l" 1 id)" = "$P1" &&
	test "$(src_field "$l" 1 exporter)" = hom &&
	test "$(src_field "$l" 2 id)" = "$P2" &&
	test "$(src_field "$l" 2 mission)" = DPO &&
	test "$(src_field "$l" 2 exporter)" = fama &&
	xmllint --xpath "count(//*[local-name()='\''originator-control'\''])" "$l" | grep -qx 1 &&
	REPO=$B row receive "$P3" | cut -d"|" -f5 >ref && echo "$P2" >want && test_cmp want ref &&
	pki-audit -C "$B"
'

test_expect_success 'refused: a label that does not bind the copy (65)' '
	cp "$X/p.gpg" "$X/t.gpg" &&
	other=$(echo other | sha256sum | cut -d" " -f1) &&
	sed "s/>[0-9a-f]\{64\}</>$other</" "$X/p.gpg.xml" >"$X/t.gpg.xml" &&
	xmllint --noout --schema "$SRC/share/pki/label.xsd" "$X/t.gpg.xml" &&
	REPO=$B expect_refusal 65 as jmac pki-register -C "$B" --import "$X/t.gpg" &&
	grep -q "does not bind" err
'

test_expect_success 'refused: a copy for someone else (77)' '
	REPO=$B expect_refusal 77 as jmac pki-register -C "$B" --import "$X/a.gpg" &&
	grep -q "not encrypted to you" err
'

# forge NAME [GPG-OPTIONS]: a copy of p1.txt for unct made with stock gpg,
# with the label of A's export bound to it.
forge() {
	_f=$X/$1.gpg
	shift
	gpg --batch --quiet --trust-model always --recipient "$(fpr unct)" "$@" \
		--output "$_f" --encrypt p1.txt &&
	_h=$(sha256sum "$_f" | cut -d" " -f1) &&
	sed "s/>[0-9a-f]\{64\}</>$_h</" "$X/a.gpg.xml" >"$_f.xml"
}

test_expect_success 'refused: an unsigned copy, a copy signed by a stranger (77)' '
	forge unsigned &&
	REPO=$PICT expect_refusal 77 as unct pki-register -C "$PICT" --import "$X/unsigned.gpg" &&
	grep -q "not signed" err &&
	forge stranger --sign --local-user "$(fpr mallory)" &&
	REPO=$PICT expect_refusal 77 as unct pki-register -C "$PICT" --import "$X/stranger.gpg" &&
	grep -q "no principal here" err &&
	forge good --sign --local-user "$(fpr hom)" &&
	as unct pki-register -C "$PICT" --import "$X/good.gpg" >/dev/null &&
	test_tick
'

test_expect_success 'usage: --import takes no handling options' '
	test_expect_code 64 pki-register -C "$PICT" --import "$X/a.gpg" -l confidential &&
	test_expect_code 64 pki-register -C "$PICT" --label "$X/a.gpg.xml" &&
	REPO=$PICT expect_refusal 66 as unct pki-register -C "$PICT" --import "$X/none.gpg"
'

test_expect_success 'one copy per recipient into a directory, in one commit' '
	mkdir "$X/out" &&
	before=$(git -C "$PICT" rev-parse HEAD) &&
	as fama pki-share -C "$PICT" "$P2" jmac hom -j "$J" --consent "UNMISS OSRSG, 2026-03-02" \
		-o "$X/out" &&
	test_tick &&
	test "$(git -C "$PICT" rev-list --count "$before"..HEAD)" = 1 &&
	test "$(git -C "$PICT" log -1 --format=%B | grep -c "^Pki-Copy-Sha256:")" = 2 &&
	for r in jmac hom; do
		f=$X/out/$P2.$r.gpg &&
		xmllint --noout --schema "$SRC/share/pki/label.xsd" "$f.xml" &&
		test "$(xml_field "$f.xml" releasable-to)" = $r &&
		test "$(sha256sum "$f" | cut -d" " -f1)" = "$(xml_field "$f.xml" binding)" &&
		decrypt_as $r "$f" >got && test_cmp p1.txt got || return 1
	done &&
	test "$(REPO=$PICT field export "$P2" hom actor)" = fama &&
	test "$(ls "$X/out" | wc -l)" = 4 &&
	P4=$(as jmac pki-register -C "$B" --import "$X/out/$P2.jmac.gpg") &&
	test_tick &&
	test "$(sources "$(REPO=$B product_file "$P4" xml)")" = 2
'

test_expect_success 'refused: several copies without a directory; --label with one (64)' '
	REPO=$PICT expect_refusal 64 as fama pki-share -C "$PICT" "$P2" jmac hom -j "$J" \
		--consent "UNMISS OSRSG, 2026-03-02" -o "$X/several.gpg" &&
	test ! -e "$X/several.gpg" &&
	REPO=$PICT expect_refusal 64 as fama pki-share -C "$PICT" "$P2" jmac hom -j "$J" \
		--consent "UNMISS OSRSG, 2026-03-02" -o "$X/out" --label "$X/l.xml" &&
	test "$(ls "$X/out" | wc -l)" = 4
'

test_expect_success 'each repository audits clean; no plaintext anywhere' '
	pki-audit -C "$A" && pki-audit -C "$PICT" && pki-audit -C "$B" &&
	for r in "$A" "$PICT" "$B"; do
		REPO=$r no_marker "armed group movements near the camp" || return 1
	done
'

test_expect_success 'a <source> edited by hand is caught by the audit' '
	rm -rf "$TRASH/pc" && git clone -q "$PICT" "$TRASH/pc" &&
	git -C "$TRASH/pc" config pki.root "$(git -C "$PICT" rev-list --max-parents=0 HEAD)" &&
	l=$(cd "$TRASH/pc" && ls products/*/"$P2".xml) &&
	grep -q "<mission>UNMISS</mission>" "$TRASH/pc/$l" &&
	sed -i "s|<mission>UNMISS</mission>|<mission>UNMIL</mission>|" "$TRASH/pc/$l" &&
	git -C "$TRASH/pc" -c user.name=fama -c user.email="$(git -C "$PICT" log -1 --format=%ae --author=fama)" \
		-c user.signingkey="$(fpr fama)" commit -q -S -am "a source corrected" &&
	test_expect_code 1 pki-audit -C "$TRASH/pc" >findings &&
	grep -q "^error A205 .*$P2" findings
'

test_done
