#!/bin/sh
# A rotation, as the Chair scripts it (pki(7), HANDOVER): a departed
# analyst and a departed Head of Mission succeeded, an analyst's key
# rotated, a delegation withdrawn, an area taken away.  Every product is
# readable by exactly the right keys (plain gpg), the successor acts as
# originator and the predecessor cannot, and the audit is clean; a
# handover done without succeed gives the audit's warning.
. "$(dirname "$0")/lib.sh"

# readers ID NAME...: exactly these of the names read product ID.
readers() {
	_id=$1
	shift
	_f=$(echo "$REPO"/products/*/"$_id.gpg")
	for _n in jmac analyst2 hom hom2 fc mallory chair police; do
		case " $* " in
		*" $_n "*) decrypt_as "$_n" "$_f" >/dev/null ||
			{ echo "$_n cannot read $_id"; return 1; } ;;
		*) ! decrypt_as "$_n" "$_f" >/dev/null 2>&1 ||
			{ echo "$_n still reads $_id"; return 1; } ;;
		esac
	done
}

test_expect_success 'setup: a mission at work, the next Head of Mission and analyst added' '
	mission &&
	add_principal hom2 OSRSG mission hom strictly-confidential "*" &&
	add_principal analyst2 JMAC mission member strictly-confidential "poc;force-protection;crime" &&
	A=$(echo alpha | as jmac pki-classify -C "$REPO" -l confidential -c c -a poc) && test_tick &&
	B=$(echo bravo | as fc pki-classify -C "$REPO" -l confidential -c b -a "force-protection;poc") &&
	test_tick &&
	as jmac pki-share -C "$REPO" "$A" fc -j "planning" && test_tick &&
	readers "$A" jmac hom hom2 chair fc &&
	readers "$B" fc hom hom2 chair
'

test_expect_success 'the Chair has the new analyst succeed the departed one' '
	as chair pki-matrix -C "$REPO" succeed jmac analyst2 --ref "Handover note 2026/31" &&
	test_tick &&
	readers "$A" analyst2 hom hom2 chair fc &&
	echo alpha >expect && decrypt_as analyst2 "$(echo "$REPO"/products/*/"$A.gpg")" >actual &&
	test_cmp expect actual
'

test_expect_success 'the successor acts as originator; the predecessor cannot act at all' '
	as analyst2 pki-classify -C "$REPO" --change "$A" -l strictly-confidential -c c >/dev/null &&
	test_tick &&
	expect_refusal 77 as jmac pki-share -C "$REPO" "$B" police -j x
'

test_expect_success 'the departing Head of Mission is succeeded by the next' '
	as chair pki-matrix -C "$REPO" succeed hom hom2 --ref "HoM handover 2026/2" &&
	test_tick &&
	readers "$A" analyst2 hom2 chair fc &&
	readers "$B" fc hom2 chair
'

test_expect_success 'an analyst'"'"'s key is rotated: the new key reads, the old one no longer' '
	as chair pki-matrix -C "$REPO" rekey fc --key "$FIXTURES/keys/mallory.pub.asc" &&
	test_tick &&
	readers "$A" analyst2 hom2 chair mallory &&
	readers "$B" mallory hom2 chair &&
	PKI_KEY=$(fpr mallory) pki-share -C "$REPO" "$B" analyst2 -j "coordination" &&
	test_tick
'

test_expect_success 'a delegation is withdrawn, and its holder can no longer use it' '
	dlg=$(as hom2 pki-matrix -C "$REPO" delegate chair --power share-external --ref "HoM memo 2026/39") &&
	test_tick &&
	as hom2 pki-matrix -C "$REPO" undelegate "$dlg" --ref "HoM memo 2026/40" &&
	test_tick &&
	expect_refusal 77 as chair pki-share -C "$REPO" "$B" unct -j "coordination" --authority "$dlg" -o "$TRASH/copy.gpg"
'

test_expect_success 'an area taken away: the analyst leaves what it may no longer hold' '
	as chair pki-matrix -C "$REPO" add fc --areas force-protection &&
	test_tick &&
	readers "$A" analyst2 hom2 chair &&
	readers "$B" mallory hom2 chair analyst2
'

test_expect_success 'the audit is clean, warnings included; every commit verifies with stock git' '
	pki-audit -C "$REPO" --strict >out 2>&1 &&
	cat out && ! grep -q "^error\|^warning" out &&
	verify_history
'

test_expect_success 'a Chair replaced without succeed: the audit warns (A405)' '
	as hom2 pki-matrix -C "$REPO" add chair2 --key "$FIXTURES/keys/chair2.pub.asc" \
		--entity CMPIC --type mission --role chair --clearance strictly-confidential --areas "*" &&
	test_tick &&
	as hom2 pki-matrix -C "$REPO" remove chair && test_tick &&
	pki-audit -C "$REPO" >out &&
	grep -q "^warning A405 $A: " out &&
	test_expect_code 1 pki-audit -C "$REPO" --strict >/dev/null
'

test_done
