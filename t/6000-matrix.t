#!/bin/sh
# pki-matrix: adding, updating, removing principals; delegations; listing.
. "$(dirname "$0")/lib.sh"

K=$FIXTURES/keys

test_expect_success 'setup: a mission with its principals' '
	mission &&
	verify_history
'

test_expect_success 'list shows every valid principal, as RFC 4180 CSV' '
	pki-matrix -C "$REPO" list >list.csv &&
	python3 -c "
import csv,sys
rows=list(csv.DictReader(open(sys.argv[1], newline=\"\")))
names=sorted(r[\"principal\"] for r in rows)
assert names==sorted(\"hom chair jmac fc police undss archives auditor unct hoststate fama\".split()), names
" list.csv &&
	mlr --icsv --opprint filter "\$role == \"external\"" then cut -f principal,type list.csv >ext &&
	grep -q "fama *security-force" ext
'

test_expect_success 'list --format text is for people' '
	pki-matrix -C "$REPO" list --format text >out &&
	head -1 out | grep -q "^PRINCIPAL" &&
	grep -q "^fc .*FORCE.*member.*strictly-confidential" out
'

test_expect_success 'each addition is one signed commit by the actor' '
	git -C "$REPO" log -1 --format="%an%n%B" >msg &&
	grep -qx "Ada Okafor" msg &&
	grep -qx "Pki-Action: matrix-add" msg &&
	grep -qx "Pki-Principal: fama" msg &&
	test -f "$REPO/keys/$(fpr fama).asc"
'

test_expect_success 'a chair may change the matrix too; an update keeps what it does not name' '
	as chair pki-matrix -C "$REPO" add police --clearance strictly-confidential &&
	test_tick &&
	grep "^police," "$REPO/access-matrix.csv" >row &&
	grep -q ",POLICE,mission,member,strictly-confidential,crime," row &&
	git -C "$REPO" log -1 --format=%B | grep -qx "Pki-Action: matrix-update"
'

test_expect_success 'refused: a key that is not a principal (77)' '
	expect_refusal 77 as mallory pki-matrix -C "$REPO" remove fc &&
	grep -q "key $(fpr mallory) is not a principal of the access matrix (policy 12.10)" err
'

test_expect_success 'a key by fingerprint comes from the keyring' '
	as hom pki-matrix -C "$REPO" add mallory --key "$(fpr mallory)" --entity U2 \
		--type mission --role member --clearance confidential --areas poc \
		--from 2026-03-01 --until 2026-12-31 &&
	mallory_added=$PKI_DATE &&
	test_tick &&
	grep -q "^mallory,$(fpr mallory),.*,2026-03-01,2026-12-31$" "$REPO/access-matrix.csv"
'

test_expect_success 'refused: a member may not change the matrix (77)' '
	expect_refusal 77 as fc pki-matrix -C "$REPO" add x --key "$K/mallory.pub.asc" \
		--entity X --type mission --role member --clearance confidential &&
	grep -q "refused: .fc. is member: only the Head of Mission and the Chair keep the access matrix (policy 12.10)" err
'

test_expect_success 'refused: unknown words and bad dates are usage errors (64)' '
	expect_refusal 64 as hom pki-matrix -C "$REPO" add x --key "$K/police.pub.asc" --entity X --type mission --role king --clearance confidential &&
	expect_refusal 64 as hom pki-matrix -C "$REPO" add x --key "$K/police.pub.asc" --entity X --type martian --role member --clearance confidential &&
	expect_refusal 64 as hom pki-matrix -C "$REPO" add x --key "$K/police.pub.asc" --entity X --type mission --role member --clearance secret &&
	expect_refusal 64 as hom pki-matrix -C "$REPO" add x --key "$K/police.pub.asc" --entity X --type mission --role member --clearance confidential --from 2026-02-30 &&
	expect_refusal 64 as hom pki-matrix -C "$REPO" add x --key "$K/police.pub.asc" --entity X --type mission --role member --clearance confidential --until tomorrow &&
	expect_refusal 64 as hom pki-matrix -C "$REPO" add "../x" --key "$K/police.pub.asc" --entity X --type mission --role member --clearance confidential &&
	expect_refusal 64 as hom pki-matrix -C "$REPO" add x --key "$K/police.pub.asc" --entity X --type mission --role member &&
	expect_refusal 64 as hom pki-matrix -C "$REPO" add x --key "$K/police.pub.asc" --entity X --type un --role member --clearance confidential &&
	expect_refusal 64 as hom pki-matrix -C "$REPO" add x --key "$K/police.pub.asc" --entity X --type mission --role external --clearance confidential &&
	expect_refusal 64 as hom pki-matrix -C "$REPO" add x --key "$K/police.pub.asc" --entity X --type mission --role member --clearance confidential --areas "Bad Area" &&
	expect_refusal 64 as hom pki-matrix -C "$REPO" frobnicate x &&
	expect_refusal 64 as hom pki-matrix -C "$REPO" remove x --power disseminate
'

test_expect_success 'refused: malformed, expired and sign-only keys (65); a missing file (66)' '
	echo "not a key" >"$TRASH/bad.asc" &&
	expect_refusal 65 as hom pki-matrix -C "$REPO" add x --key "$TRASH/bad.asc" --entity X --type mission --role member --clearance confidential &&
	grep -q "bad.asc.: no OpenPGP public key" err &&
	cat "$K/jmac.pub.asc" "$K/fc.pub.asc" >"$TRASH/two.asc" &&
	expect_refusal 65 as hom pki-matrix -C "$REPO" add x --key "$TRASH/two.asc" --entity X --type mission --role member --clearance confidential &&
	expect_refusal 65 as hom pki-matrix -C "$REPO" add x --key "$K/expired.pub.asc" --entity X --type mission --role member --clearance confidential &&
	grep -q "expired" err &&
	expect_refusal 65 as hom pki-matrix -C "$REPO" add x --key "$K/signonly.pub.asc" --entity X --type mission --role member --clearance confidential &&
	grep -q "no usable encryption subkey" err &&
	expect_refusal 66 as hom pki-matrix -C "$REPO" add x --key nosuch.asc --entity X --type mission --role member --clearance confidential
'

test_expect_success 'refused: one key, one principal (65)' '
	expect_refusal 65 as hom pki-matrix -C "$REPO" add x --key "$K/fc.pub.asc" --entity X --type mission --role member --clearance confidential &&
	grep -q "already belongs to principal .fc." err
'

test_expect_success 'remove ends validity now; the row stays for the record' '
	as hom pki-matrix -C "$REPO" remove mallory &&
	grep -q "^mallory,.*,$PKI_DATE$" "$REPO/access-matrix.csv" &&
	test_tick &&
	! pki-matrix -C "$REPO" list | grep -q "^mallory," &&
	pki-matrix -C "$REPO" list --all | grep -q "^mallory," &&
	git -C "$REPO" log -1 --format=%B | grep -qx "Pki-Action: matrix-remove"
'

test_expect_success 'list --at shows the matrix as it stood' '
	pki-matrix -C "$REPO" list --at "$mallory_added" | grep -q "^mallory,"
'

test_expect_success 'refused: removing the unknown (66), the removed (65), by a member (77)' '
	expect_refusal 66 as hom pki-matrix -C "$REPO" remove nobody &&
	expect_refusal 65 as hom pki-matrix -C "$REPO" remove mallory &&
	expect_refusal 77 as fc pki-matrix -C "$REPO" remove jmac
'

test_expect_success 'refused: the matrix keeps a valid Head of Mission and a valid Chair (77)' '
	expect_refusal 77 as hom pki-matrix -C "$REPO" remove chair &&
	grep -q "refused: the access matrix must keep a valid Chair: add the next one first (policy 12.10)" err &&
	expect_refusal 77 as chair pki-matrix -C "$REPO" remove hom &&
	grep -q "must keep a valid Head of Mission: add the next one first (policy 12.10)" err &&
	expect_refusal 77 as hom pki-matrix -C "$REPO" add chair --role member &&
	grep -q "must keep a valid Chair" err &&
	expect_refusal 77 as hom pki-matrix -C "$REPO" add hom --until "$PKI_DATE" &&
	grep -q "must keep a valid Head of Mission" err
'

test_expect_success 'a repository with a Head of Mission alone; the Chair handed over, the next one first' '
	as hom pki-init -m UNMISS -e OSRSG -p hom "$TRASH/r2" &&
	test_tick &&
	REPO=$TRASH/r2 expect_refusal 77 as hom pki-matrix -C "$TRASH/r2" remove hom &&
	as hom pki-matrix -C "$TRASH/r2" add chair --key "$K/chair.pub.asc" --entity CMPIC \
		--type mission --role chair --clearance strictly-confidential --areas "*" &&
	test_tick &&
	REPO=$TRASH/r2 expect_refusal 77 as hom pki-matrix -C "$TRASH/r2" remove chair &&
	as hom pki-matrix -C "$TRASH/r2" add fc --key "$K/fc.pub.asc" --entity CMPIC \
		--type mission --role chair --clearance strictly-confidential --areas "*" &&
	test_tick &&
	as fc pki-matrix -C "$TRASH/r2" remove chair &&
	test_tick &&
	pki-audit -C "$TRASH/r2"
'

test_expect_success 'refused: the UN Archives are a un principal, strictly-confidential, every area (64)' '
	expect_refusal 64 as hom pki-matrix -C "$REPO" add archives --type mission &&
	grep -q "an archives principal is the UN Archives, a UN entity outside the mission: its type is un (policy 11.5.1)" err &&
	expect_refusal 64 as hom pki-matrix -C "$REPO" add archives --clearance confidential &&
	grep -q "its clearance is strictly-confidential (policy 11.5.1)" err &&
	expect_refusal 64 as hom pki-matrix -C "$REPO" add archives --areas poc &&
	grep -q "its areas are .\*. (policy 11.5.1)" err &&
	expect_refusal 64 as hom pki-matrix -C "$REPO" add fc --role archives &&
	expect_refusal 64 as hom pki-matrix -C "$REPO" add x --key "$K/mallory.pub.asc" --entity ARMS \
		--type un --role archives --clearance confidential --areas "*"
'

test_expect_success 'delegate: the Head of Mission grants share-external' '
	id=$(as hom pki-matrix -C "$REPO" delegate jmac --power share-external --until 2026-06-30 --ref "HoM memo 2026/14") &&
	test_tick &&
	echo "$id" | grep -Eq "^DLG-[0-9a-f]{10}$" &&
	grep -qx "$id,hom,jmac,share-external,\*,2026-03-02,2026-06-30,HoM memo 2026/14" "$REPO/delegations.csv"
'

test_expect_success 'delegate: an originator grants disseminate within an area' '
	id=$(as fc pki-matrix -C "$REPO" delegate jmac --power disseminate --scope force-protection --ref "FC note 3") &&
	test_tick &&
	grep -q "^$id,fc,jmac,disseminate,force-protection," "$REPO/delegations.csv"
'

test_expect_success 'refused: share-external only from the Head of Mission (77)' '
	expect_refusal 77 as fc pki-matrix -C "$REPO" delegate jmac --power share-external --ref x &&
	grep -q "only the Head of Mission delegates authority to share outside the mission (policy 11.4.1)" err
'

test_expect_success 'refused: bad delegations' '
	expect_refusal 64 as hom pki-matrix -C "$REPO" delegate jmac --power share-external &&
	expect_refusal 64 as hom pki-matrix -C "$REPO" delegate jmac --power rule-all --ref x &&
	expect_refusal 64 as hom pki-matrix -C "$REPO" delegate jmac --power disseminate --scope "../x" --ref x &&
	expect_refusal 64 as hom pki-matrix -C "$REPO" delegate jmac --power disseminate --until 2020-01-01 --ref x &&
	expect_refusal 77 as hom pki-matrix -C "$REPO" delegate nobody --power disseminate --ref x &&
	expect_refusal 77 as hom pki-matrix -C "$REPO" delegate mallory --power disseminate --ref x &&
	expect_refusal 77 as hom pki-matrix -C "$REPO" delegate fama --power disseminate --ref x &&
	grep -q "refused: .fama. is outside the mission: authority is delegated within it (policy 9.8)" err &&
	expect_refusal 77 as hom pki-matrix -C "$REPO" delegate archives --power disseminate --ref x &&
	expect_refusal 77 as auditor pki-matrix -C "$REPO" delegate jmac --power disseminate --ref x &&
	expect_refusal 64 as hom pki-matrix -C "$REPO" delegate jmac --power disseminate --ref "" &&
	expect_refusal 64 as hom pki-matrix -C "$REPO" delegate jmac --power disseminate --scope "poc;crime" --ref x &&
	grep -q "invalid --scope .poc;crime." err
'

test_expect_success 'refused: uncommitted edits to the matrix are not overwritten (65)' '
	echo "# hand edit" >>"$REPO/access-matrix.csv" &&
	expect_refusal 65 as hom pki-matrix -C "$REPO" add police --clearance confidential &&
	grep -q "uncommitted changes" err &&
	git -C "$REPO" checkout -- access-matrix.csv
'

test_expect_success 'refused: not a pki repository (78), no repository (66)' '
	git init -q plain && git -C plain -c user.name=x -c user.email=x@x commit -q --allow-empty -m x &&
	test_expect_code 78 pki-matrix -C plain list 2>err && test "$(wc -l <err)" = 1 &&
	mkdir empty && test_expect_code 66 pki-matrix -C empty list 2>err
'

test_expect_success 'a malformed matrix is refused with its line (65)' '
	git clone -q "$REPO" broken &&
	printf "\"principal\",\"fingerprint\"\r\n" >broken/access-matrix.csv &&
	git -C broken -c user.name=x -c user.email=x@x commit -qam broken &&
	test_expect_code 65 pki-matrix -C broken list 2>err &&
	grep -q "access-matrix.csv: line 1" err
'

test_expect_success 'every commit verifies with stock git' '
	verify_history
'

test_expect_success '--help, --version' '
	pki-matrix --help >out && grep -q "^usage: pki-matrix .*add NAME" out &&
	pki-matrix --version | grep -q "^pki-matrix [0-9]" &&
	pki --help | grep -q "matrix" &&
	pki matrix --version | grep -q "^pki-matrix"
'

test_done
