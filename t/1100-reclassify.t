#!/bin/sh
# pki-classify --change: re- and declassification (pki-classify(1)), allowed
# and refused, and the list each new level implies.
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-product.sh"

test_expect_success 'setup: a mission and a confidential product of jmac' '
	mission &&
	p1=$(echo "Prices in Malakal. MARKER-c0ffee" | as jmac pki-classify -C "$REPO" -l confidential -c e -a poc) &&
	test_tick &&
	readers_are "$p1" "archives chair hom jmac"
'

test_expect_success 'the originator declassifies: every mission principal may read it now' '
	as jmac pki-classify -C "$REPO" --change "$p1" -l unclassified >out &&
	test_tick &&
	test "$(cat out)" = "$p1" &&
	test "$(label_field "$p1" classification)" = unclassified &&
	test -z "$(label_field "$p1" criterion)" &&
	test "$(list_of "$p1")" = "archives chair fc hom jmac police undss" &&
	readers_are "$p1" "archives chair fc hom jmac police undss" &&
	row reclassify "$p1" >rows &&
	test "$(cat rows)" = "jmac|archives;chair;fc;hom;jmac;police;undss|originator|was confidential|"
'

test_expect_success 'one signed commit: ciphertext, label and row' '
	git -C "$REPO" log -1 --format="%s%n%b" >msg &&
	head -1 msg | grep -qx "pki-classify: reclassify $p1" &&
	grep -qx "Pki-Action: reclassify" msg &&
	grep -qx "Pki-Level: unclassified" msg &&
	grep -qx "Pki-Authority: originator" msg &&
	grep -qx "Pki-Actor: jmac" msg &&
	git -C "$REPO" show --stat --format= HEAD >files &&
	test "$(wc -l <files)" -eq 4 &&
	labels_valid
'

test_expect_success 'the Head of Mission raises it: the criterion is required again' '
	expect_refusal 77 as hom pki-classify -C "$REPO" --change "$p1" -l confidential &&
	grep -q "refused: a confidential product needs a criterion.*(policy 11.2.1)" err &&
	as hom pki-classify -C "$REPO" --change "$p1" -l confidential -c c &&
	test_tick &&
	test "$(label_field "$p1" criterion)" = c &&
	readers_are "$p1" "archives chair fc hom jmac police undss" &&
	row reclassify "$p1" | tail -1 | grep -q "^hom|.*|hom|was unclassified|$"
'

test_expect_success 'raised again: recipients not cleared to the new level lose it' '
	as jmac pki-classify -C "$REPO" --change "$p1" -l strictly-confidential >/dev/null &&
	test_tick &&
	test "$(label_field "$p1" criterion)" = c &&
	test "$(list_of "$p1")" = "archives chair fc hom jmac undss" &&
	readers_are "$p1" "archives chair fc hom jmac undss"
'

test_expect_success 'a new criterion at the same level is a change too' '
	as jmac pki-classify -C "$REPO" --change "$p1" -l strictly-confidential -c b >/dev/null &&
	test_tick &&
	test "$(label_field "$p1" criterion)" = b
'

test_expect_success 'a declassify delegation from the originator, used and named' '
	p2=$(echo "Patrol report" | as jmac pki-classify -C "$REPO" -a poc) &&
	test_tick &&
	dlg=$(as jmac pki-matrix -C "$REPO" delegate fc --power declassify --scope "$p2" --ref "JMAC memo 4") &&
	test_tick &&
	as fc pki-classify -C "$REPO" --change "$p2" -l confidential -c c >/dev/null &&
	test_tick &&
	row reclassify "$p2" | grep -q "^fc|archives;chair;fc;hom;jmac;police;undss|$dlg|was unclassified|$" &&
	as fc pki-classify -C "$REPO" --change "$p2" -l unclassified --authority "$dlg" >/dev/null &&
	test_tick &&
	row reclassify "$p2" | tail -1 | grep -q "|$dlg|was confidential|$"
'

test_expect_success 'refused 5.1.4: neither originator nor Head of Mission nor delegate (77)' '
	expect_refusal 77 as police pki-classify -C "$REPO" --change "$p2" -l confidential -c c &&
	grep -q "^pki-classify: refused: .police. is neither the originator of $p2 (.jmac.) nor the Head of Mission, and holds no declassify delegation from the originator covering it (policy 9.8)$" err &&
	expect_refusal 77 as chair pki-classify -C "$REPO" --change "$p2" -l confidential -c c &&
	expect_refusal 77 as auditor pki-classify -C "$REPO" --change "$p2" -l confidential -c c &&
	expect_refusal 77 as mallory pki-classify -C "$REPO" --change "$p2" -l confidential -c c
'

test_expect_success 'refused 5.1.4: a delegation that does not cover it (77)' '
	expect_refusal 77 as fc pki-classify -C "$REPO" --change "$p1" -l confidential -c c &&
	dis=$(as jmac pki-matrix -C "$REPO" delegate police --power disseminate --ref "memo 5") &&
	test_tick &&
	expect_refusal 77 as police pki-classify -C "$REPO" --change "$p2" -l confidential -c c --authority "$dis" &&
	grep -q "delegation .$dis. does not give .police. a valid declassify power from .jmac. covering $p2 (policy 9.8)" err &&
	other=$(as fc pki-matrix -C "$REPO" delegate police --power declassify --ref "FC memo 9") &&
	test_tick &&
	expect_refusal 77 as police pki-classify -C "$REPO" --change "$p2" -l confidential -c c &&
	expect_refusal 77 as police pki-classify -C "$REPO" --change "$p2" -l confidential -c c --authority "$other" &&
	expect_refusal 77 as fc pki-classify -C "$REPO" --change "$p2" -l confidential -c c --authority DLG-0000000000
'

test_expect_success 'refused 5.1.4: an expired delegation (77)' '
	p3=$(echo "Road report" | as jmac pki-classify -C "$REPO" -a crime) &&
	test_tick &&
	short=$(as jmac pki-matrix -C "$REPO" delegate police --power declassify --scope crime --until 2026-03-04 --ref "memo 6") &&
	test_tick &&
	as police pki-classify -C "$REPO" --change "$p3" -l confidential -c d >/dev/null &&
	test_tick 259200 &&
	expect_refusal 77 as police pki-classify -C "$REPO" --change "$p3" -l unclassified &&
	grep -q "(policy 9.8)" err
'

test_expect_success 'the delegated product is what the registry and label say' '
	row reclassify "$p3" | grep -q "^police|archives;chair;fc;hom;jmac;police;undss|$short|was unclassified|$" &&
	readers_are "$p3" "archives chair fc hom jmac police undss"
'

test_expect_success 'usage errors (64) and no such product (66)' '
	expect_refusal 64 as jmac pki-classify -C "$REPO" --change "$p1" -l strictly-confidential &&
	grep -q "is already strictly-confidential" err &&
	expect_refusal 64 as jmac pki-classify -C "$REPO" --change "$p1" -l unclassified -c a &&
	expect_refusal 64 as jmac pki-classify -C "$REPO" --change "../$p1" -l unclassified &&
	expect_refusal 64 as jmac pki-classify -C "$REPO" --change "$p1" -l top-secret &&
	expect_refusal 64 as jmac pki-classify -C "$REPO" --change "$p1" -l unclassified "$TRASH/x" &&
	expect_refusal 66 as jmac pki-classify -C "$REPO" --change UNMISS-OSRSG-2026-000999 -l unclassified &&
	grep -q "no product UNMISS-OSRSG-2026-000999" err
'

test_expect_success 'forgery: a label that does not bind its ciphertext is refused (65)' '
	git clone -q "$REPO" forged &&
	git -C forged config user.signingkey "$(fpr hom)" &&
	f=$(git -C forged ls-files "products/*/$p2.gpg") &&
	cp "$(product_file "$p1" gpg)" "forged/$f" &&
	git -C forged -c user.name=x -c user.email=x@x commit -qam "swap a ciphertext" &&
	REPO=$TRASH/forged expect_refusal 65 as hom pki-classify -C "$TRASH/forged" --change "$p2" -l strictly-confidential -c c &&
	grep -q "the label does not bind the ciphertext" err
'

test_expect_success 'forgery: a tampered label is refused (65)' '
	l=$(git -C forged ls-files "products/*/$p3.xml") &&
	sed "s/<classification>confidential</<classification>secret</" "forged/$l" >tmp.xml &&
	mv tmp.xml "forged/$l" &&
	git -C forged -c user.name=x -c user.email=x@x commit -qam "edit a label" &&
	REPO=$TRASH/forged expect_refusal 65 as hom pki-classify -C "$TRASH/forged" --change "$p3" -l unclassified &&
	grep -q "product $p3: label" err
'

test_expect_success 'every label valid, every shard read, every commit verified, no plaintext' '
	labels_valid &&
	shards_read &&
	verify_history &&
	no_marker MARKER-c0ffee
'

product_done
