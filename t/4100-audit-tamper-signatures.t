#!/bin/sh
# pki-audit check 1: every commit signed, the signature good, the signer a
# valid principal at the time, with a role that may make the change.
# Each tampering is made with stock git and gpg in a fresh clone.
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-audit.sh"

# delegated SIGNER ID GRANTOR GRANTEE POWER SCOPE: a delegation written
# into delegations.csv by hand, committed and signed by SIGNER.
delegated() {
	printf "\"%s\",\"%s\",\"%s\",\"%s\",\"%s\",\"2026-03-02\",\"\",\"memo\"\r\n" \
		"$2" "$3" "$4" "$5" "$6" >>c/delegations.csv &&
	git_as "$1" -C c commit -q -S -am "delegate"
}

test_expect_success 'setup: a clean history' '
	history &&
	pki-audit -C "$REPO"
'

test_expect_success 'an unsigned commit (A101)' '
	tamper &&
	echo "	name = UNMISS (edited)" >>c/pki.conf &&
	git -C c -c user.name=x -c user.email=x@x commit -q --no-gpg-sign -am "edit settings" &&
	expect_finding A101 &&
	grep -q "^error A101 $(git -C c rev-parse HEAD): not signed" findings &&
	test_must_fail git -C c verify-commit HEAD 2>/dev/null
'

test_expect_success 'a signed commit whose content was changed after signing (A102)' '
	tamper &&
	git -C c cat-file commit HEAD | sed "s/^pki-matrix: remove police\$/pki-matrix: routine update/" |
		git -C c hash-object -t commit -w --stdin >forged &&
	git -C c update-ref refs/heads/main "$(cat forged)" &&
	test_must_fail git -C c verify-commit HEAD 2>/dev/null &&
	expect_finding A102 &&
	grep -q "^error A102 $(cat forged): " findings
'

test_expect_success 'a member edits the access matrix, signed with its own key (A104)' '
	tamper &&
	sed -i "/^fc,/s/,force-protection;poc,/,*,/" c/access-matrix.csv &&
	git_as fc -C c commit -q -S -am "widen my areas" &&
	git -C c verify-commit HEAD 2>/dev/null &&
	expect_finding A104 &&
	grep -q "^error A104 $(git -C c rev-parse HEAD): changes the access matrix: .fc. is member: only the Head of Mission and the Chair keep the access matrix (policy 12.10)" findings
'

test_expect_success 'a key that is not in the matrix signs (A103)' '
	tamper &&
	delegated mallory DLG-0000000001 hom mallory share-external "*" &&
	expect_finding A103 &&
	grep -q "signed by key $(fpr mallory), which is not in the access matrix (policy 12.10)" findings
'

test_expect_success 'a principal removed from the matrix signs afterwards (A103)' '
	tamper &&
	delegated police DLG-00000000aa police jmac disseminate crime &&
	expect_finding A103 &&
	grep -q "signed by .police., who was not a valid principal at " findings
'

test_expect_success 'a member grants share-external by editing delegations.csv (A104)' '
	tamper &&
	delegated fc DLG-00000000bb fc jmac share-external "*" &&
	expect_finding A104 &&
	grep -q "grants delegation DLG-00000000bb: .fc. is member: only the Head of Mission delegates authority to share outside the mission (policy 11.4.1)" findings
'

test_expect_success 'a delegation recorded as granted by another (A104)' '
	tamper &&
	delegated jmac DLG-00000000cc hom jmac share-external "*" &&
	expect_finding A104 &&
	grep -q "records delegation DLG-00000000cc as granted by .hom., but .jmac. signed it (policy 9.8)" findings
'

test_expect_success 'a key file replaced by another key, by a keeper of the matrix (A105)' '
	tamper &&
	cp "$FIXTURES/keys/mallory.pub.asc" "c/keys/$(fpr fc).asc" &&
	git_as chair -C c commit -q -S -am "refresh key" &&
	expect_finding A105 &&
	grep -q "^error A105 keys/$(fpr fc).asc: holds the key $(fpr mallory), not $(fpr fc)" findings &&
	test "$(grep -c "^error" findings)" = 1
'

test_expect_success 'a commit dated before its parent is an error (A107): a signer chooses its date' '
	tamper &&
	echo "	name = x" >>c/pki.conf &&
	GIT_AUTHOR_DATE="1772442000 +0000" git_as hom -C c commit -q -S -am "backdated" &&
	expect_finding A107 &&
	grep -q "^error A107 $(git -C c rev-parse HEAD): dated 2026-03-02T09:00:00Z, before its parent $(git -C c rev-parse HEAD~1) (" findings &&
	test "$(grep -c "^error" findings)" = 1
'

test_expect_success 'findings read with mlr and validate as XML' '
	tamper &&
	sed -i "/^fc,/s/,force-protection;poc,/,*,/" c/access-matrix.csv &&
	git_as fc -C c commit -q -S -am "widen my areas" &&
	git -C c -c user.name=x -c user.email=x@x commit -q --no-gpg-sign --allow-empty -m "unsigned" &&
	test_expect_code 1 pki-audit -C c --format csv >f.csv &&
	mlr --icsv --ojson sort -f code then cut -f severity,code f.csv >f.json &&
	python3 -c "
import json,sys
rows=json.load(open(sys.argv[1]))
assert [r[\"code\"] for r in rows]==[\"A101\",\"A104\"], rows
assert all(r[\"severity\"]==\"error\" for r in rows)
" f.json &&
	test_expect_code 1 pki-audit -C c --format xml >f.xml &&
	xmllint --noout --schema "$SRC/share/pki/audit.xsd" f.xml &&
	grep -q "errors=\"2\"" f.xml
'

test_done
