#!/bin/sh
# The life of a record, end to end (pki(7)): one product and one material
# from filing to the Archives -- a review that keeps the level, exports
# under registered arrangements (and the refusals of a wrong kind, a
# wrong partner, an ended one, an HRDDP assessment past review), an oral
# briefing, a half-year transferred and acknowledged, the material
# disposed of with its certificate (and the refusals to dispose of the
# product or too early) -- and pki-audit clean at the end; a product
# removed by hand is an error.
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-audit.sh"
. "$TEST_DIRECTORY/lib-product.sh"

J="mandate: protection of civilians, S/RES/2729 (2024) para 5"

test_expect_success 'filed in March: a product and a material kept three months' '
	mission &&
	P=$(echo "armed group movements near Bor" | as fc pki-classify -C "$REPO" -l confidential \
		-c c -a force-protection) && test_tick &&
	M=$(echo "raw patrol notes" | as fc pki-classify -C "$REPO" -l confidential -c c \
		-a force-protection --kind material --retention P3M) && test_tick &&
	test "$(label_field "$M" kind)" = material &&
	test "$(label_field "$M" retention)" = P3M
'

test_expect_success 'the originator reviews the product: the level stays, the date moves' '
	as fc pki-classify -C "$REPO" --reviewed "$P" --next 2027-03-01 >/dev/null && test_tick &&
	test "$(label_field "$P" review)" = 2027-03-01 &&
	test "$(label_field "$P" classification)" = confidential
'

test_expect_success 'the Head of Mission and the Chair register arrangements' '
	ORC=$(as hom pki-matrix -C "$REPO" arrange orcon HOST --ref "MoU UNMISS-HS 2026/1") &&
	test_tick &&
	FORC=$(as hom pki-matrix -C "$REPO" arrange orcon FAMA --ref "MoU FAMA 2026/2") && test_tick &&
	HR=$(as chair pki-matrix -C "$REPO" arrange hrddp FAMA --ref "HRDDP RA 2026/01" \
		--review 2026-04-01) && test_tick &&
	OLD=$(as hom pki-matrix -C "$REPO" arrange orcon HOST --ref "MoU 2025" --until 2026-03-05) &&
	test_tick
'

test_expect_success 'exports under them; refused: wrong kind, wrong partner, ended' '
	as hom pki-share -C "$REPO" "$P" hoststate -j "$J" --arrangement "$ORC" -o "$TRASH/hs.gpg" &&
	test_tick &&
	as hom pki-share -C "$REPO" "$P" fama -j "$J" --arrangement "$FORC" --hrddp "$HR" \
		-o "$TRASH/fama.gpg" && test_tick &&
	decrypt_as fama "$TRASH/fama.gpg" | grep -q "armed group" &&
	expect_refusal 77 as hom pki-share -C "$REPO" "$P" fama -j "$J" --arrangement "$FORC" \
		--hrddp "$FORC" -o "$TRASH/x.gpg" &&
	grep -q "not hrddp" err &&
	expect_refusal 77 as hom pki-share -C "$REPO" "$P" hoststate -j "$J" --arrangement "$FORC" \
		-o "$TRASH/x.gpg" &&
	grep -q "is with .FAMA., not with .hoststate." err &&
	at 2026-03-10T09:00:00Z &&
	expect_refusal 77 as hom pki-share -C "$REPO" "$P" hoststate -j "$J" --arrangement "$OLD" \
		-o "$TRASH/x.gpg" &&
	grep -q "ended at" err &&
	test ! -e "$TRASH/x.gpg"
'

test_expect_success 'refused: an HRDDP assessment past its review (policy 11.4.4)' '
	at 2026-04-02T09:00:00Z &&
	expect_refusal 77 as hom pki-share -C "$REPO" "$P" fama -j "$J" --arrangement "$FORC" \
		--hrddp "$HR" -o "$TRASH/x.gpg" &&
	grep -q "11.4.4" err
'

test_expect_success 'an oral briefing: a share row with its medium, the ciphertext untouched' '
	before=$(git -C "$REPO" rev-parse "HEAD:$(product_file "$P" gpg | sed "s|^$REPO/||")") &&
	as fc pki-share -C "$REPO" --medium oral "$P" jmac -j "morning brief" && test_tick &&
	test "$(git -C "$REPO" rev-parse "HEAD:$(product_file "$P" gpg | sed "s|^$REPO/||")")" = "$before" &&
	pki-register -C "$REPO" --product "$P" --action share --format tsv --no-header |
		awk -F "\t" "\$7 == \"jmac\" { print \$13 }" >medium &&
	test "$(cat medium)" = oral
'

test_expect_success 'the half-year goes to the Archives, which acknowledge it' '
	at 2026-07-02T08:00:00Z &&
	as chair pki-archive -C "$REPO" --period 2026H1 -o "$TRASH" >path &&
	grep -q "$M" "$(cat path)"/data/transfer-list.xml &&
	at 2026-07-09T08:00:00Z &&
	as archives pki-archive -C "$REPO" --ack 2026H1 --accession "ARMS-ACC-2026-118" && test_tick
'

test_expect_success 'refused: disposing of the product (11.5.1), or by another than the Chair' '
	expect_refusal 77 as chair pki-archive -C "$REPO" --dispose "$P" --certificate DC-2026-7 &&
	grep -q "11.5.1" err &&
	expect_refusal 77 as hom pki-archive -C "$REPO" --dispose "$M" --certificate DC-2026-7
'

test_expect_success 'the Chair disposes of the material with its certificate' '
	as chair pki-archive -C "$REPO" --dispose "$M" --certificate DC-2026-7 && test_tick &&
	test ! -e "$(echo "$REPO"/products/*/"$M".gpg)" &&
	test -n "$(label_field "$M" disposed)" &&
	row dispose "$M" | grep -q "DC-2026-7" &&
	labels_valid && verify_history
'

test_expect_success 'refused: a material whose retention has not run out (12.6.9)' '
	Y=$(echo "fresh notes" | as fc pki-classify -C "$REPO" -l confidential -c c \
		-a force-protection --kind material --retention P5Y) && test_tick &&
	expect_refusal 77 as chair pki-archive -C "$REPO" --dispose "$Y" --certificate DC-2026-8 &&
	grep -q "12.6.9" err
'

test_expect_success 'pki-audit: clean at the end of it all' '
	pki-audit -C "$REPO" >findings; rc=$?; cat findings; test $rc = 0 &&
	! grep -q "^error" findings
'

test_expect_success 'a product removed by hand: exit 1' '
	tamper &&
	git -C c rm -q "$(cd c && ls products/*/"$P".gpg)" &&
	git_as fc -C c commit -q -S -m "tidying up" &&
	test_expect_code 1 pki-audit -C c >findings &&
	grep -q "^error A" findings
'

test_done
