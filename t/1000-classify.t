#!/bin/sh
# pki-classify: new products, their IDs, labels, distribution lists and
# registry rows; every rule of pki-classify(1), allowed and refused.
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-product.sh"

ID_RE='^UNMISS-[A-Z0-9]+-2026-[0-9]{6}$'

test_expect_success 'setup: a mission with its principals' '
	mission &&
	printf "Armed group massing near Bor. MARKER-7f3a9c21\n" >bor.txt
'

test_expect_success 'classify a file: the ID, and nothing else, on stdout' '
	as jmac pki-classify -C "$REPO" -l confidential -c c -a force-protection "$TRASH/bor.txt" >out 2>err &&
	test_tick &&
	test ! -s err &&
	test "$(wc -l <out)" -eq 1 &&
	grep -Eq "$ID_RE" out &&
	id1=$(cat out) &&
	test "$id1" = UNMISS-OSRSG-2026-000001
'

test_expect_success 'it is filed in its bucket: ciphertext and label' '
	test -f "$REPO/products/OSRSG-2026-000/$id1.gpg" &&
	test -f "$REPO/products/OSRSG-2026-000/$id1.xml" &&
	test -z "$(git -C "$REPO" status --porcelain)"
'

test_expect_success 'the index is version 4 (path compression), and stock git reads it' '
	od -An -tx1 -j4 -N4 "$REPO/.git/index" | tr -d " \n" >version &&
	test "$(cat version)" = 00000004 &&
	git -C "$REPO" ls-files --stage "products/OSRSG-2026-000/$id1.gpg" | grep -q "^100644 "
'

test_expect_success 'one signed commit by the originator, with its trailers' '
	git -C "$REPO" log -1 --format="%an%n%s%n%b" >msg &&
	sed -n 2p msg | grep -qx "pki-classify: classify $id1" &&
	grep -qx "Pki-Action: classify" msg &&
	grep -qx "Pki-Product: $id1" msg &&
	grep -qx "Pki-Level: confidential" msg &&
	grep -qx "Pki-Actor: jmac" msg &&
	git -C "$REPO" verify-commit HEAD 2>/dev/null &&
	git -C "$REPO" show --stat --format= HEAD >files &&
	grep -q "$id1.gpg" files && grep -q "$id1.xml" files && grep -q "registry/2026-03.csv" files
'

test_expect_success '5.1.3: the list is the originator, hom, chair and archives' '
	test "$(list_of "$id1")" = "archives chair hom jmac" &&
	readers_are "$id1" "archives chair hom jmac" &&
	decrypt_as jmac "$(product_file "$id1" gpg)" >plain &&
	test_cmp bor.txt plain
'

test_expect_success 'the label: schema-valid, bound to the ciphertext, what handling needs' '
	labels_valid &&
	test "$(label_field "$id1" classification)" = confidential &&
	test "$(label_field "$id1" criterion)" = c &&
	test "$(label_field "$id1" originator)" = jmac &&
	test "$(label_field "$id1" areas)" = force-protection &&
	test "$(label_field "$id1" created)" = 2026-03-02T09:11:00Z &&
	test "$(label_field "$id1" policy)" = ST/SGB/2007/6 &&
	! grep -q "Armed group" "$(product_file "$id1" xml)"
'

test_expect_success 'the registry: a classify row naming the whole list' '
	shards_read &&
	row classify "$id1" >rows &&
	test "$(cat rows)" = "jmac|archives;chair;hom;jmac|originator|ST/SGB/2007/6 1.2(c) operations-security|"
'

test_expect_success '5.1.5: the plaintext is in no git object and no temporary file' '
	no_marker MARKER-7f3a9c21
'

test_expect_success '5.1.1: the level defaults to unclassified, read from standard input' '
	id2=$(printf "Market prices, Malakal. MARKER-51ab\n" | as fc pki-classify -C "$REPO") &&
	test_tick &&
	test "$id2" = UNMISS-OSRSG-2026-000002 &&
	test "$(label_field "$id2" classification)" = unclassified &&
	test -z "$(label_field "$id2" criterion)" &&
	no_marker MARKER-51ab
'

test_expect_success '5.1.3: unclassified goes to every valid mission principal and the archives' '
	test "$(list_of "$id2")" = "archives chair fc hom jmac police undss" &&
	readers_are "$id2" "archives chair fc hom jmac police undss" &&
	row classify "$id2" | grep -q "^fc|archives;chair;fc;hom;jmac;police;undss|originator||$"
'

test_expect_success '5.1.3: --safety adds UNDSS, recorded as a share under undss-rule' '
	id3=$(echo "Checkpoint on the Juba road" | as fc pki-classify -C "$REPO" -l strictly-confidential -c b -a poc --safety) &&
	test_tick &&
	test "$(list_of "$id3")" = "archives chair fc hom undss" &&
	readers_are "$id3" "archives chair fc hom undss" &&
	test "$(label_field "$id3" safety)" = true &&
	row share "$id3" >share &&
	test "$(cat share)" = "fc|undss|undss-rule|may bear on the safety and security of UN personnel (policy 11.3.2)|" &&
	git -C "$REPO" show HEAD -- registry/2026-03.csv | grep "^+[0-9a-f]" >added &&
	test "$(wc -l <added)" -eq 2
'

test_expect_success '--ir names open requirements, and goes on the label with --review; -e names the entity' '
	pir=$(echo "Will the road to Bor stay open?" | as hom pki-ir -C "$REPO" add -k pir --owner jmac) &&
	test_tick &&
	sir=$(echo "Who holds the Jonglei crossings?" | as hom pki-ir -C "$REPO" add -k sir --parent "$pir" --owner jmac) &&
	test_tick &&
	test "$pir;$sir" = "UNMISS-IR-0001;UNMISS-IR-0002" &&
	id4=$(echo x | as jmac pki-classify -C "$REPO" -e JMAC --ir "$pir;$sir" --review 2026-09-01) &&
	test_tick &&
	test "$id4" = UNMISS-JMAC-2026-000001 &&
	test -f "$REPO/products/JMAC-2026-000/$id4.xml" &&
	test "$(label_field "$id4" review)" = 2026-09-01 &&
	xmllint --xpath "//*[local-name()=\"ir\"]/text()" "$(product_file "$id4" xml)" >irs &&
	grep -q "UNMISS-IR-0001" irs && grep -q "UNMISS-IR-0002" irs
'

test_expect_success '--ir naming no requirement is bad data (65), nothing filed' '
	expect_refusal 65 as jmac pki-classify -C "$REPO" --ir PIR-3 "$TRASH/bor.txt" &&
	grep -q "not a requirement ID" err &&
	expect_refusal 65 as jmac pki-classify -C "$REPO" --ir UNMISS-IR-0009 "$TRASH/bor.txt" &&
	grep -q "no requirement .UNMISS-IR-0009." err
'

test_expect_success 'serials count per entity and year' '
	id5=$(echo y | as jmac pki-classify -C "$REPO" -e JMAC) &&
	test_tick &&
	test "$id5" = UNMISS-JMAC-2026-000002 &&
	id6=$(echo z | as jmac pki-classify -C "$REPO") &&
	test_tick &&
	test "$id6" = UNMISS-OSRSG-2026-000006
'

test_expect_success 'without pki.entity, the entity is the acting principal'"'"'s' '
	git -C "$REPO" config --unset pki.entity &&
	id7=$(echo w | as police pki-classify -C "$REPO" -l confidential -c d) &&
	test_tick &&
	test "$id7" = UNMISS-POLICE-2026-000001 &&
	git -C "$REPO" config pki.entity OSRSG
'

test_expect_success 'a new year starts at 1; a full bucket opens the next' '
	git clone -q "$REPO" buckets &&
	git -C buckets config pki.entity OSRSG &&
	mkdir -p buckets/products/OSRSG-2026-000 buckets/products/OSRSG-2026-001 &&
	: >buckets/products/OSRSG-2026-000/UNMISS-OSRSG-2026-000499.xml &&
	git -C buckets add products &&
	git -C buckets -c user.name=x -c user.email=x@x commit -qm "a full bucket" &&
	b1=$(echo a | as jmac pki-classify -C buckets) &&
	test "$b1" = UNMISS-OSRSG-2026-000500 &&
	test -f buckets/products/OSRSG-2026-001/$b1.gpg &&
	: >buckets/products/OSRSG-2026-001/UNMISS-OSRSG-2026-000977.xml &&
	git -C buckets add products &&
	git -C buckets -c user.name=x -c user.email=x@x commit -qm "further" &&
	b2=$(echo b | as jmac pki-classify -C buckets) &&
	test "$b2" = UNMISS-OSRSG-2026-000978 &&
	b3=$(echo c | PKI_DATE=2027-01-02T10:00:00Z as jmac pki-classify -C buckets) &&
	test "$b3" = UNMISS-OSRSG-2027-000001
'

test_expect_success 'keys missing from the keyring are imported from keys/' '
	mkdir -m 700 bare &&
	GNUPGHOME=$TRASH/bare gpg --batch --quiet --import "$FIXTURES/keys/jmac.sec.asc" 2>/dev/null &&
	id8=$(echo "from a bare keyring" | GNUPGHOME=$TRASH/bare as jmac pki-classify -C "$REPO" -l confidential -c e) &&
	GNUPGHOME=$TRASH/bare gpg --batch --list-keys --with-colons | grep -c "^pub" >n &&
	test "$(cat n)" -eq 4 &&
	test_tick &&
	readers_are "$id8" "archives chair hom jmac"
'

test_expect_success 'a large product streams: memory does not grow with its size' '
	head -c 1048576 /dev/urandom >small &&
	/usr/bin/time -f %M -o rss.small env PKI_KEY="$(fpr jmac)" pki-classify -C "$REPO" "$TRASH/small" >/dev/null &&
	test_tick &&
	head -c 33554432 /dev/zero |
		/usr/bin/time -f %M -o rss.big env PKI_KEY="$(fpr jmac)" pki-classify -C "$REPO" -l confidential -c g >big.id &&
	test_tick &&
	small=$(tail -1 rss.small) && big=$(tail -1 rss.big) &&
	say "max RSS: 1 MiB product ${small} KiB, 32 MiB product ${big} KiB" &&
	test "$big" -lt $((small + 16384)) &&
	decrypt_as hom "$(product_file "$(cat big.id)" gpg)" | wc -c >size &&
	test "$(cat size)" -eq 33554432
'

test_expect_success 'concurrent classifications each get their own ID' '
	for i in 1 2 3 4; do
		(echo "parallel $i" | as jmac pki-classify -C "$REPO" -l confidential -c e >par.$i 2>par.$i.err) &
	done &&
	wait &&
	cat par.1 par.2 par.3 par.4 | sort -u >ids &&
	test "$(wc -l <ids)" -eq 4 &&
	good=0 &&
	for i in 1 2 3 4; do
		decrypt_as jmac "$(product_file "$(cat par.$i)" gpg)" | grep -qx "parallel $i" &&
		good=$((good + 1))
	done &&
	test $good -eq 4 &&
	test_tick
'

test_expect_success 'another writer moving the branch while the product is read and encrypted: filed once, on top' '
	git clone -q "$REPO" race &&
	git -C race config user.signingkey "$(fpr hom)" &&
	before=$(git -C race rev-parse HEAD) &&
	{ ( (sleep 1; echo "read once, filed once") |
		as jmac pki-classify -C "$TRASH/race" -l confidential -c e >race.id 2>race.err
		echo $? >race.rc ) & } &&
	sleep 0.4 &&
	git -C race -c user.name=x -c user.email=x@x commit -q --allow-empty -m "another writer" &&
	wait &&
	test "$(cat race.rc)" = 0 &&
	test "$(git -C race rev-list --count "$before..HEAD")" -eq 2 &&
	git -C race log -1 --format=%s | grep -q "^pki-classify: classify $(cat race.id)$" &&
	git -C race log -1 --skip=1 --format=%s | grep -qx "another writer" &&
	REPO=$TRASH/race &&
	decrypt_as jmac "$(product_file "$(cat race.id)" gpg)" | grep -qx "read once, filed once" &&
	labels_valid &&
	REPO=$TRASH/m
'

test_expect_success 'refused 5.1.2: classified without a criterion (77)' '
	expect_refusal 77 as jmac pki-classify -C "$REPO" -l confidential "$TRASH/bor.txt" &&
	grep -q "^pki-classify: refused: a confidential product needs a criterion .*(policy 11.2.1)$" err &&
	expect_refusal 77 as jmac pki-classify -C "$REPO" -l strictly-confidential "$TRASH/bor.txt" &&
	grep -q "strictly-confidential product needs a criterion" err
'

test_expect_success 'refused: only mission personnel originate products (77)' '
	expect_refusal 77 as auditor pki-classify -C "$REPO" "$TRASH/bor.txt" &&
	grep -q "refused: .auditor. is auditor: only mission personnel originate and label products (policy 11.2.1)" err &&
	expect_refusal 77 as archives pki-classify -C "$REPO" "$TRASH/bor.txt" &&
	expect_refusal 77 as unct pki-classify -C "$REPO" "$TRASH/bor.txt"
'

test_expect_success 'refused: a label above the originator'"'"'s clearance (77)' '
	expect_refusal 77 as police pki-classify -C "$REPO" -l strictly-confidential -c c "$TRASH/bor.txt" &&
	grep -q "refused: .police. is cleared to confidential and cannot label a product strictly-confidential (policy 11.3.3)" err
'

test_expect_success 'refused: a key that is not a valid principal (77)' '
	expect_refusal 77 as mallory pki-classify -C "$REPO" "$TRASH/bor.txt" &&
	grep -q "is not a principal of the access matrix (policy 12.10)" err
'

test_expect_success 'refused 5.1.3: a safety product no UNDSS principal may read (77)' '
	as hom pki-matrix -C "$REPO" add undss --clearance confidential &&
	test_tick &&
	expect_refusal 77 as fc pki-classify -C "$REPO" -l strictly-confidential -c b --safety "$TRASH/bor.txt" &&
	grep -q "refused: a safety product must reach the senior UNDSS representative.*(policy 11.3.2)" err &&
	as hom pki-matrix -C "$REPO" add undss --clearance strictly-confidential &&
	test_tick
'

test_expect_success 'usage errors (64): one line, nothing changed' '
	expect_refusal 64 as jmac pki-classify -C "$REPO" -l secret "$TRASH/bor.txt" &&
	grep -q "unknown level .secret." err &&
	expect_refusal 64 as jmac pki-classify -C "$REPO" -l confidential -c h "$TRASH/bor.txt" &&
	expect_refusal 64 as jmac pki-classify -C "$REPO" -c a "$TRASH/bor.txt" &&
	grep -q "\-c goes with confidential and strictly-confidential" err &&
	expect_refusal 64 as jmac pki-classify -C "$REPO" -a "Bad Area" "$TRASH/bor.txt" &&
	expect_refusal 64 as jmac pki-classify -C "$REPO" --review 2026-02-30 "$TRASH/bor.txt" &&
	expect_refusal 64 as jmac pki-classify -C "$REPO" -e "../x" "$TRASH/bor.txt" &&
	expect_refusal 64 as jmac pki-classify -C "$REPO" --ir "$(printf "a\tb")" "$TRASH/bor.txt" &&
	expect_refusal 64 as jmac pki-classify -C "$REPO" "$TRASH/bor.txt" "$TRASH/bor.txt" &&
	expect_refusal 64 as jmac pki-classify -C "$REPO" --authority DLG-1 "$TRASH/bor.txt" &&
	expect_refusal 64 as jmac pki-classify -C "$REPO" --change "$id1" -l confidential -a poc &&
	expect_refusal 64 as jmac pki-classify -C "$REPO" --change "$id1" &&
	expect_refusal 64 as jmac pki-classify -C "$REPO" --frobnicate
'

test_expect_success 'bad input: no such file, a directory, an empty product (66)' '
	expect_refusal 66 as jmac pki-classify -C "$REPO" "$TRASH/nosuch" &&
	grep -q "cannot open" err &&
	expect_refusal 66 as jmac pki-classify -C "$REPO" "$TRASH" &&
	grep -q "is a directory" err &&
	expect_refusal 66 as jmac pki-classify -C "$REPO" /dev/null &&
	grep -q "the product is empty" err
'

test_expect_success 'no acting key (64); not a repository (66)' '
	git -C "$REPO" config --unset user.signingkey &&
	expect_refusal 64 pki-classify -C "$REPO" "$TRASH/bor.txt" &&
	grep -q "no acting key" err &&
	git -C "$REPO" config user.signingkey "$(fpr hom)" &&
	mkdir -p empty &&
	test_expect_code 66 as jmac pki-classify -C empty "$TRASH/bor.txt" 2>err &&
	test "$(wc -l <err)" -eq 1
'

test_expect_success '--kind plan files a plan; a product label names no kind' '
	plan=$(echo "Mission Information Acquisition Plan" | as jmac pki-classify -C "$REPO" -l confidential -c c --kind plan) &&
	test_tick &&
	test "$(label_field "$plan" kind)" = plan &&
	prod=$(echo "a product" | as jmac pki-classify -C "$REPO") &&
	test_tick &&
	test -z "$(label_field "$prod" kind)" &&
	pki-audit -C "$REPO" >/dev/null &&
	expect_refusal 64 as jmac pki-classify -C "$REPO" --kind secret "$TRASH/bor.txt" &&
	grep -q "unknown kind .secret. (product, plan, ir, material)" err &&
	expect_refusal 64 as jmac pki-classify -C "$REPO" --kind ir "$TRASH/bor.txt" &&
	grep -q "pki-ir" err
'

test_expect_success 'every label valid, every shard read by Python, every commit verified' '
	labels_valid &&
	shards_read &&
	verify_history &&
	no_marker MARKER-7f3a9c21
'

test_expect_success '--help and --version' '
	pki-classify --help >out &&
	grep -q "^usage: pki-classify .*\[FILE|-\]$" out &&
	grep -q "^   or: pki-classify .*--change ID -l LEVEL" out &&
	pki-classify --version | grep -q "^pki-classify [0-9]"
'

product_done
