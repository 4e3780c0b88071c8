#!/bin/sh
# pki-audit: a clean history audits clean, in every format, from any
# clone, with only public keys; overdue work; usage.
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-audit.sh"

test_expect_success 'setup: a mission with every kind of change' '
	history &&
	verify_history
'

test_expect_success 'a clean history audits clean: exit 0, nothing said' '
	pki-audit -C "$REPO" >out 2>err &&
	test ! -s out && test ! -s err
'

test_expect_success 'csv: only the header, RFC 4180, read by mlr and python' '
	pki-audit -C "$REPO" --format csv >out.csv &&
	printf "\"severity\",\"code\",\"object\",\"message\"\r\n" >expect &&
	test_cmp expect out.csv &&
	mlr --icsv --ojson cat out.csv >out.json &&
	python3 -c "
import csv,sys
r=csv.reader(open(sys.argv[1], newline=\"\"))
assert next(r)==[\"severity\",\"code\",\"object\",\"message\"]
assert list(r)==[]
" out.csv
'

test_expect_success 'xml: valid against audit.xsd, says what was audited' '
	pki-audit -C "$REPO" --format xml >out.xml &&
	xmllint --noout --schema "$SRC/share/pki/audit.xsd" out.xml &&
	n=$(git -C "$REPO" rev-list --count main) &&
	python3 -c "
import sys, xml.etree.ElementTree as E
a=E.parse(sys.argv[1]).getroot()
assert a.tag==\"{urn:x-pki:audit:1}audit\", a.tag
assert a.get(\"commits\")==sys.argv[2] and a.get(\"errors\")==\"0\", a.attrib
assert a.get(\"tip\")==sys.argv[3] and a.get(\"since\") is None, a.attrib
assert int(a.get(\"products\"))==4 and len(a)==0, a.attrib
" out.xml "$n" "$(git -C "$REPO" rev-parse main)"
'

test_expect_success '--since audits only what came after' '
	base=$(git -C "$REPO" rev-parse HEAD~3) &&
	pki-audit -C "$REPO" --since HEAD~3 --format xml >out.xml &&
	xmllint --noout --schema "$SRC/share/pki/audit.xsd" out.xml &&
	grep -q "since=\"$base\"" out.xml &&
	grep -q "commits=\"3\"" out.xml &&
	pki-audit -C "$REPO" --since main >out && test ! -s out
'

test_expect_success 'an auditor with an empty keyring: keys come from keys/, no secret needed' '
	mkdir -m 700 "$TRASH/ga" &&
	GNUPGHOME=$TRASH/ga pki-audit -C "$REPO" >out &&
	test "$(grep -c "^info A001 keys/[0-9A-F]\{40\}\.asc: imported" out)" = 11 &&
	! grep -v "^info A001 " out &&
	GNUPGHOME=$TRASH/ga pki-audit -C "$REPO" >out && test ! -s out &&
	test -z "$(GNUPGHOME=$TRASH/ga gpg --list-secret-keys 2>/dev/null)" &&
	f=$(echo "$REPO"/products/*/"$A.gpg") &&
	! GNUPGHOME=$TRASH/ga gpg --batch --decrypt "$f" >/dev/null 2>&1 &&
	GNUPGHOME=$TRASH/ga gpgconf --kill gpg-agent
'

test_expect_success 'a bare mirror audits and lists as its clone does' '
	git clone -q --mirror "$REPO" "$TRASH/mirror.git" &&
	pin "$TRASH/mirror.git" &&
	pki-audit -C "$REPO" --at 2026-09-02 --format csv >clone.csv &&
	pki-audit -C "$TRASH/mirror.git" --at 2026-09-02 --format csv >mirror.csv &&
	test_cmp clone.csv mirror.csv &&
	test "$(wc -l <mirror.csv)" -gt 1 &&
	pki-matrix -C "$REPO" list --format csv >clone.csv &&
	pki-matrix -C "$TRASH/mirror.git" list --format csv >mirror.csv &&
	test_cmp clone.csv mirror.csv
'

test_expect_success 'overdue: a half-year not transferred, a review date passed (warnings)' '
	pki-audit -C "$REPO" --at 2026-09-02 >out; rc=$?; cat out; test $rc = 0 &&
	grep -qx "warning A701 2026H1: 4 products filed in 2026H1 were not transferred to the UN Archives (policy 11.5.1)" out &&
	grep -qx "warning A702 $A: its review date 2026-09-01 has passed" out &&
	test "$(wc -l <out)" = 2 &&
	test_expect_code 1 pki-audit -C "$REPO" --at 2026-09-02 --strict >out &&
	pki-audit -C "$REPO" --at 2026-06-30T23:59:59Z >out && test ! -s out
'

test_expect_success 'a transfer to the archives clears the half-year' '
	test_clock=$(date -u -d 2026-07-02T09:00:00Z +%s) && test_tick &&
	mkdir "$TRASH/bags" &&
	as chair pki-archive -C "$REPO" --period 2026H1 -o "$TRASH/bags" >/dev/null &&
	test_tick &&
	pki-audit -C "$REPO" --at 2026-07-03 >out && test ! -s out
'

test_expect_success 'two clones appending at once, merged with stock git: still clean' '
	git clone -q "$REPO" c2 &&
	echo one | as fc pki-classify -C c2 -l confidential -c c -a poc >/dev/null && test_tick &&
	echo two | as jmac pki-classify -C "$REPO" -l confidential -c c -a poc >/dev/null && test_tick &&
	git_as hom -C "$REPO" pull -q --no-rebase -S ../c2 main &&
	test "$(git -C "$REPO" rev-list --count --merges main)" = 1 &&
	verify_history &&
	pki-audit -C "$REPO" --at 2026-07-03 >out 2>&1 && test ! -s out
'

test_expect_success 'usage errors exit 64 with one line and a usage' '
	test_expect_code 64 pki-audit -C "$REPO" --format json 2>err &&
	grep -q "unknown format .json." err &&
	test_expect_code 64 pki-audit -C "$REPO" --at yesterday 2>err &&
	test_expect_code 64 pki-audit -C "$REPO" extra 2>err &&
	test_expect_code 64 pki-audit -C "$REPO" --bogus 2>err &&
	test_expect_code 64 pki-audit -C "$REPO" --since nosuchrev >out 2>err &&
	test ! -s out && test "$(wc -l <err)" = 1 &&
	grep -q "nosuchrev. names no commit" err
'

test_expect_success 'not a pki repository (78), no repository (66)' '
	git init -q plain && git -C plain -c user.name=x -c user.email=x@x commit -q --allow-empty -m x &&
	test_expect_code 78 pki-audit -C plain 2>err && test "$(wc -l <err)" = 1 &&
	mkdir empty && test_expect_code 66 pki-audit -C empty 2>err
'

test_expect_success '--help, --version' '
	pki-audit --help >out && grep -q "^usage: pki-audit \[-C DIR\] \[--since REV\]" out &&
	pki-audit --version | grep -q "^pki-audit [0-9]" &&
	pki audit --version | grep -q "^pki-audit [0-9]"
'

test_done
