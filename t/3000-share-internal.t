#!/bin/sh
# pki-share inside the mission: re-encrypting a product to add recipients
# (pki-share(1); policy 9.8, 10.7, 11.3.2).
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-product.sh"
. "$TEST_DIRECTORY/lib-share.sh"

test_expect_success 'setup: a mission and its products' '
	mission &&
	echo "patrol report: checkpoint at the bridge" >p1.txt &&
	P1=$(as fc pki-classify -C "$REPO" -l confidential -c c -a force-protection <p1.txt) &&
	test_tick &&
	echo "network analysis" | as jmac pki-classify -C "$REPO" -l strictly-confidential -c b -a crime >id &&
	P2=$(cat id) && test_tick &&
	echo "IED threat on the MSR" >ps.txt &&
	PS=$(as fc pki-classify -C "$REPO" -l confidential -c c -a force-protection --safety <ps.txt) &&
	test_tick &&
	PU=$(echo "weekly situation report" | as fc pki-classify -C "$REPO" -a poc) &&
	test_tick &&
	! on_list "$P1" jmac
'

test_expect_success 'refused: the acting key is not a principal (77)' '
	expect_refusal 77 as mallory pki-share -C "$REPO" "$P1" jmac &&
	grep -q "^pki-share: refused: key $(fpr mallory) is not a principal of the access matrix (policy 12.10)$" err
'

test_expect_success 'the originator shares: re-encrypted, one row, one signed commit' '
	before=$(git -C "$REPO" rev-parse HEAD) &&
	as fc pki-share -C "$REPO" "$P1" jmac >out 2>err &&
	test_tick &&
	test ! -s out && test ! -s err &&
	test "$(git -C "$REPO" rev-list --count "$before"..HEAD)" = 1 &&
	git -C "$REPO" log -1 --format=%s | grep -qx "pki-share: share $P1 with jmac" &&
	git -C "$REPO" log -1 --format=%B | grep -qx "Pki-Action: share" &&
	git -C "$REPO" log -1 --format=%an | grep -q . &&
	on_list "$P1" jmac &&
	test "$(field share "$P1" jmac actor)" = fc &&
	test "$(field share "$P1" jmac authority)" = originator &&
	test "$(field share "$P1" jmac level)" = confidential
'

test_expect_success 'the new recipient reads it with stock gpg; the list is exactly the keys' '
	decrypt_as jmac "$(product_file "$P1" gpg)" >got &&
	test_cmp p1.txt got &&
	readers_are "$P1" "archives chair fc hom jmac" &&
	test "$(nkeys "$(product_file "$P1" gpg)")" = "$(listed "$P1")"
'

test_expect_success 'the label stays valid and bound to the new ciphertext' '
	xmllint --noout --schema "$SRC/share/pki/label.xsd" "$(product_file "$P1" xml)" 2>err &&
	sum=$(sha256sum <"$(product_file "$P1" gpg)" | cut -d" " -f1) &&
	test "$(xml_field "$(product_file "$P1" xml)" binding)" = "$sum"
'

test_expect_success 'refused: one recipient refused, none shared (77)' '
	expect_refusal 77 as fc pki-share -C "$REPO" "$P1" undss police &&
	grep -q "^pki-share: refused: .police. has no need to know: its areas (crime) do not meet the product.s (force-protection) (policy 9.8)$" err &&
	! on_list "$P1" police
'

test_expect_success 'the Head of Mission shares anything (policy 10.7)' '
	as hom pki-share -C "$REPO" "$P1" undss &&
	test_tick &&
	test "$(field share "$P1" undss authority)" = hom
'

test_expect_success 'several recipients: one commit, one row each' '
	before=$(git -C "$REPO" rev-parse HEAD) &&
	echo "a second patrol report" | as fc pki-classify -C "$REPO" -l confidential -c c \
		-a "poc;force-protection" >id &&
	P3=$(cat id) && test_tick &&
	as fc pki-share -C "$REPO" "$P3" jmac undss -j "planning of the joint patrol" &&
	test_tick &&
	test "$(git -C "$REPO" rev-list --count "$before"..HEAD)" = 2 &&
	git -C "$REPO" log -1 --format=%s | grep -qx "pki-share: share $P3 with jmac, undss" &&
	test "$(field share "$P3" jmac justification)" = "planning of the joint patrol" &&
	test "$(field share "$P3" undss authority)" = originator &&
	decrypt_as undss "$(product_file "$P3" gpg)" >/dev/null
'

test_expect_success 'an unclassified product is not compartmented (policy 11.2.1)' '
	as hom pki-matrix -C "$REPO" add mallory --key "$FIXTURES/keys/mallory.pub.asc" \
		--entity U9 --type mission --role member --clearance confidential --areas logistics \
		--from 2026-03-01 --until 2026-06-30 &&
	test_tick &&
	! on_list "$PU" mallory &&
	as fc pki-share -C "$REPO" "$PU" mallory &&
	test_tick &&
	on_list "$PU" mallory
'


test_expect_success 'refused: unknown and invalid recipients (policy 11.3.3)' '
	expect_refusal 77 as fc pki-share -C "$REPO" "$P1" nobody &&
	grep -q "refused: .nobody. is not a principal of the access matrix (policy 11.3.3)$" err &&
	expect_refusal 77 as hom env PKI_DATE=2026-07-01T00:00:00Z pki-share -C "$REPO" "$PU" mallory &&
	grep -q "refused: .mallory. is not a valid principal at 2026-07-01T00:00:00Z (policy 11.3.3)$" err
'

test_expect_success 'refused: clearance (policy 9.8)' '
	expect_refusal 77 as jmac pki-share -C "$REPO" "$P2" police &&
	grep -q "^pki-share: refused: .police. is cleared to confidential, the product is strictly-confidential (policy 9.8)$" err
'


test_expect_success 'refused: a recipient whose key is not in the repository (policy 9.8)' '
	git clone -q "$REPO" nokey &&
	git -C nokey rm -q "keys/$(fpr police).asc" &&
	git -C nokey -c user.name=Hom -c user.email=hom@x -c user.signingkey="$(fpr hom)" \
		commit -q -S -m "lose a key" &&
	(REPO=$TRASH/nokey && expect_refusal 77 as jmac pki-share -C "$REPO" "$P2" police) &&
	grep -q "refused: .police. has no key in the repository (policy 9.8)$" err
'

test_expect_success 'refused: neither originator nor Head of Mission (policy 9.8, 10.7)' '
	expect_refusal 77 as chair pki-share -C "$REPO" "$P1" fc &&
	grep -q "refused: .chair. is neither the originator of .$P1. (.fc.) nor the Head of Mission, and holds no disseminate delegation from the originator covering it (policy 9.8, 10.7)$" err &&
	expect_refusal 77 as jmac pki-share -C "$REPO" "$P1" mallory
'

test_expect_success 'a disseminate delegation from the originator (policy 9.8)' '
	dlg=$(as fc pki-matrix -C "$REPO" delegate jmac --power disseminate \
		--scope force-protection --until 2026-03-31 --ref "FC directive 7") &&
	test_tick &&
	echo "convoy schedule" | as fc pki-classify -C "$REPO" -l confidential -c c -a force-protection >id &&
	P5=$(cat id) && test_tick &&
	as fc pki-share -C "$REPO" "$P5" jmac && test_tick &&
	as jmac pki-share -C "$REPO" "$P5" undss &&
	test_tick &&
	test "$(field share "$P5" undss authority)" = "$dlg" &&
	test "$(field share "$P5" undss actor)" = jmac &&
	decrypt_as undss "$(product_file "$P5" gpg)" >/dev/null
'

test_expect_success 'a delegate who cannot read the product cannot share it (69)' '
	echo "force protection posture" | as fc pki-classify -C "$REPO" -l confidential -c c \
		-a force-protection >id &&
	P6=$(cat id) && test_tick &&
	# The test keyring holds every secret key: act from jmac alone.
	expect_refusal 69 as jmac env GNUPGHOME="$(keyring jmac)" pki-share -C "$REPO" "$P6" undss &&
	grep -q "no secret key here can decrypt it" err
'

test_expect_success 'refused: a delegation that has expired, or is not the one invoked' '
	expect_refusal 77 as jmac env PKI_DATE=2026-04-01T10:00:00Z pki-share -C "$REPO" "$P1" police &&
	grep -q "refused: .jmac. is neither the originator" err &&
	expect_refusal 77 as jmac env PKI_DATE=2026-04-01T10:00:00Z pki-share -C "$REPO" "$P1" police --authority "$dlg" &&
	grep -q "refused: delegation .$dlg. expired at 2026-04-01T00:00:00Z (policy 9.8)$" err &&
	expect_refusal 77 as chair pki-share -C "$REPO" "$P1" fc --authority "$dlg" &&
	grep -q "refused: delegation .$dlg. is granted to .jmac., not to .chair. (policy 9.8)$" err &&
	expect_refusal 77 as jmac pki-share -C "$REPO" "$P1" fc --authority DLG-0000000000 &&
	grep -q "refused: no delegation .DLG-0000000000. (policy 9.8)$" err
'

test_expect_success 'refused: a delegation from someone else, for another scope or power' '
	other=$(as police pki-matrix -C "$REPO" delegate jmac --power disseminate --ref "note 1") &&
	test_tick &&
	poc=$(as fc pki-matrix -C "$REPO" delegate jmac --power disseminate --scope poc --ref "note 2") &&
	test_tick &&
	decl=$(as fc pki-matrix -C "$REPO" delegate jmac --power declassify --ref "note 3") &&
	test_tick &&
	expect_refusal 77 as jmac pki-share -C "$REPO" "$P1" fc --authority "$other" &&
	grep -q "refused: delegation .$other. was granted by .police., not by the originator .fc. (policy 9.8)$" err &&
	expect_refusal 77 as jmac pki-share -C "$REPO" "$P1" fc --authority "$poc" &&
	grep -q "refused: delegation .$poc. covers .poc., not .$P1. (policy 9.8)$" err &&
	expect_refusal 77 as jmac pki-share -C "$REPO" "$P1" fc --authority "$decl" &&
	grep -q "refused: delegation .$decl. grants declassify, not disseminate (policy 9.8)$" err
'

test_expect_success 'the named delegation is the one recorded' '
	echo "route survey" | as fc pki-classify -C "$REPO" -l confidential -c c \
		-a "poc;force-protection" >id &&
	P4=$(cat id) && test_tick &&
	as fc pki-share -C "$REPO" "$P4" jmac && test_tick &&
	as jmac pki-share -C "$REPO" "$P4" undss --authority "$poc" && test_tick &&
	test "$(field share "$P4" undss authority)" = "$poc"
'

test_expect_success 'a safety product reaches UNDSS whoever shares it (policy 11.3.2)' '
	as hom pki-matrix -C "$REPO" add mallory --role undss --clearance confidential \
		--areas safety && test_tick &&
	as chair pki-share -C "$REPO" "$PS" mallory &&
	test_tick &&
	test "$(field share "$PS" mallory authority)" = undss-rule &&
	decrypt_as mallory "$(product_file "$PS" gpg)" >got && test_cmp ps.txt got &&
	expect_refusal 77 as chair pki-share -C "$REPO" "$P4" mallory
'

test_expect_success 'a received product: the registrar stands for the originator' '
	echo "member state report" | as jmac pki-register -C "$REPO" --receive --from "Member State A" \
		-l confidential -c a -a poc >id &&
	PR=$(cat id) && test_tick &&
	as jmac pki-share -C "$REPO" "$PR" fc && test_tick &&
	test "$(field share "$PR" fc authority)" = originator &&
	expect_refusal 77 as fc pki-share -C "$REPO" "$PR" undss
'

test_expect_success 'refused: already on the list (65)' '
	expect_refusal 65 as fc pki-share -C "$REPO" "$P1" jmac &&
	grep -q "^pki-share: .jmac. already receives $P1$" err
'

test_expect_success 'refused: no such product (66)' '
	expect_refusal 66 as fc pki-share -C "$REPO" UNMISS-OSRSG-2026-009999 jmac &&
	grep -q "no product UNMISS-OSRSG-2026-009999" err
'

test_expect_success 'usage errors (64)' '
	expect_refusal 64 as fc pki-share -C "$REPO" &&
	expect_refusal 64 as fc pki-share -C "$REPO" "$P1" &&
	expect_refusal 64 as fc pki-share -C "$REPO" ../x jmac &&
	expect_refusal 64 as fc pki-share -C "$REPO" "$P1" "../jmac" &&
	expect_refusal 64 as fc pki-share -C "$REPO" "$P1" undss undss &&
	expect_refusal 64 as fc pki-share -C "$REPO" "$P1" undss --frobnicate &&
	expect_refusal 64 as fc pki-share -C "$REPO" "$P1" chair --hrddp HR-1 &&
	grep -q "go with a share outside the mission" err &&
	expect_refusal 64 as fc pki-share -C "$REPO" "$P1" chair -o copy.gpg &&
	test ! -e copy.gpg &&
	expect_refusal 64 as hom pki-share -C "$REPO" "$P1" chair unct -j "mandate" &&
	grep -q "recipients inside and outside the mission" err &&
	expect_refusal 64 as fc pki-share -C "$REPO" "$P1" chair -j "$(printf "a\tb")"
'

test_expect_success 'labels, registry and history check out with stock tools' '
	labels_valid &&
	shards_read &&
	verify_history
'

product_done
