#!/bin/sh
# pki-init: a new mission repository, and every refusal.
. "$(dirname "$0")/lib.sh"

test_expect_success 'init makes a signed first commit' '
	as hom pki-init -m UNMISS -n "UN Mission in South Sudan" -e OSRSG -p hom "$REPO" &&
	test "$(git -C "$REPO" rev-list --count HEAD)" = 1 &&
	verify_history &&
	git -C "$REPO" log -1 --format=%s >actual &&
	echo "pki-init: init UNMISS" >expect &&
	test_cmp expect actual
'

test_expect_success 'the commit is authored by the key, at PKI_DATE' '
	git -C "$REPO" log -1 --format="%an <%ae> %ad %cd" --date=unix >actual &&
	echo "Ada Okafor <hom@mission.example> $test_clock $test_clock" >expect &&
	test_cmp expect actual &&
	git -C "$REPO" verify-commit HEAD 2>err &&
	grep -q "using EDDSA key $(fpr hom)" err
'

test_expect_success 'pki.conf carries the mission in git-config syntax' '
	test "$(git config -f "$REPO/pki.conf" mission.code)" = UNMISS &&
	test "$(git config -f "$REPO/pki.conf" mission.name)" = "UN Mission in South Sudan"
'

test_expect_success 'the acting key is the first principal, hom, with its key stored' '
	mlr --icsv --ojson cat "$REPO/access-matrix.csv" >m.json &&
	python3 -c "
import csv,sys
rows=list(csv.DictReader(open(sys.argv[1], newline=\"\")))
assert len(rows)==1, rows
r=rows[0]
assert r[\"principal\"]==\"hom\" and r[\"role\"]==\"hom\" and r[\"type\"]==\"mission\", r
assert r[\"fingerprint\"]==sys.argv[2] and r[\"entity\"]==\"OSRSG\", r
assert r[\"clearance\"]==\"strictly-confidential\" and r[\"areas\"]==\"*\", r
" "$REPO/access-matrix.csv" "$(fpr hom)" &&
	test -f "$REPO/keys/$(fpr hom).asc" &&
	gpg --show-keys --with-colons "$REPO/keys/$(fpr hom).asc" | grep -q "^fpr:*$(fpr hom):"
'

test_expect_success 'the registry merges as a union; the clone remembers its key and entity' '
	grep -qx "registry/\*.csv merge=union" "$REPO/.gitattributes" &&
	test "$(git -C "$REPO" config pki.entity)" = OSRSG &&
	test "$(git -C "$REPO" config user.signingkey)" = "$(fpr hom)" &&
	test -z "$(git -C "$REPO" status --porcelain)"
'

test_expect_success 'the principal defaults to the local part of the e-mail' '
	as chair pki-init -m UNMISS --role chair d2 &&
	grep -q "^chair,$(fpr chair),HQ,mission,chair," d2/access-matrix.csv
'

test_expect_success 'refused: an existing repository is left alone' '
	expect_refusal 64 as hom pki-init -m UNMISS "$REPO" &&
	grep -q "already a git repository" err
'

test_expect_success 'refused: usage errors exit 64 and create nothing' '
	test_expect_code 64 as hom pki-init d3 2>err && grep -q "mission code is required" err &&
	test_expect_code 64 as hom pki-init -m unmiss d3 2>err &&
	test_expect_code 64 as hom pki-init -m UNMISS -e "a/b" d3 2>err &&
	test_expect_code 64 as hom pki-init -m UNMISS -p "../x" d3 2>err &&
	test_expect_code 64 as hom pki-init -m UNMISS --role member d3 2>err &&
	test_expect_code 64 as hom pki-init -m UNMISS --role king d3 2>err &&
	test_expect_code 64 as hom pki-init -m UNMISS --bogus d3 2>err &&
	test ! -e d3
'

test_expect_success 'refused: no acting key, or a key without its secret part' '
	test_expect_code 64 pki-init -m UNMISS d4 2>err && grep -q "no acting key" err &&
	test_expect_code 69 as expired pki-init -m UNMISS d4 2>err &&
	test ! -e d4
'

test_expect_success '--help, --version' '
	pki-init --help >out && grep -q "^usage: pki-init -m CODE" out &&
	pki-init --version | grep -q "^pki-init [0-9]"
'

test_done
