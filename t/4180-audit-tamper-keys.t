#!/bin/sh
# pki-audit and the principals' keys: a key revoked after it signed
# leaves its past signatures good (info A004), while a signature made once
# keys/ showed the key revoked is bad (A102); every version of a key file
# holds its name's key (A105); the key file of a principal's row is never
# removed (A112).  The revocation is made with stock gpg, the commits with
# stock git.
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-audit.sh"

FC=$(fpr fc)

# key_removed NAME: the Head of Mission removes NAME's key file with
# stock git, and the audit finds that one error, A112.
key_removed() {
	git -C "$TRASH/c" rm -q "keys/$(fpr "$1").asc" &&
	git_as hom -C "$TRASH/c" commit -q -S -m "tidy keys" &&
	expect_finding A112 &&
	grep -q "^error A112 $(git -C "$TRASH/c" rev-parse HEAD): removes keys/$(fpr "$1").asc, the key of principal .$1.: " "$TRASH/findings" &&
	test "$(grep -c "^error" "$TRASH/findings")" = 1
}

# fc_commits: the commits of the clone signed by fc's key.
fc_commits() {
	for _c in $(git -C "$TRASH/c" rev-list main); do
		git -C "$TRASH/c" verify-commit --raw "$_c" 2>&1 | grep -q "VALIDSIG.* $FC\$" &&
			echo "$_c"
	done
	return 0
}

test_expect_success 'setup: a clean history; fc revokes its key with stock gpg' '
	history &&
	pki-audit -C "$REPO" &&
	rv=$(auditor_home rev "$FIXTURES/keys/fc.sec.asc") &&
	printf "y\n1\nkey compromised\n\ny\n" |
		GNUPGHOME=$rv gpg --no-tty --command-fd 0 --pinentry-mode loopback \
			--passphrase "" -a -o "$TRASH/fc.rev" --gen-revoke "$FC" 2>/dev/null &&
	GNUPGHOME=$rv gpg --batch --quiet --import "$TRASH/fc.rev" 2>/dev/null &&
	GNUPGHOME=$rv gpg --batch -a --export "$FC" >"$TRASH/fc.revoked.asc" &&
	gpg --batch --with-colons --show-keys "$TRASH/fc.revoked.asc" | grep -q "^pub:r:"
'

test_expect_success 'the documented procedure: past signatures of the revoked key are info A004' '
	tamper &&
	as hom pki-matrix -C c remove fc &&
	test_tick &&
	cp "$TRASH/fc.revoked.asc" "c/keys/$FC.asc" &&
	git_as hom -C c commit -q -S -am "keys: store the revoked key of fc" &&
	fc_commits >signed &&
	test -s signed &&
	# An auditor who holds no key: each is imported from keys/, fc revoked.
	audit_with "$(auditor_home aud)" &&
	grep -q "^info A001 keys/$FC.asc: imported" findings &&
	for c in $(cat signed); do
		grep -q "^info A004 $c: signed by key $FC, revoked since: keys/$FC.asc did not show it revoked before this commit" findings ||
			return 1
	done &&
	test "$(grep -c "^info A004" findings)" = "$(wc -l <signed)" &&
	test "$(grep -c "^error" findings)" = 0
'

test_expect_success 'a signature by the key after keys/ showed it revoked (A102)' '
	GNUPGHOME=$(keyring fc) git_as fc -C c commit -q -S --allow-empty -m "still signing" &&
	git -C c verify-commit HEAD 2>/dev/null &&
	test_expect_code 1 audit_with "$(auditor_home aud)" &&
	grep -q "^error A102 $(git -C c rev-parse HEAD): signed by key $FC, which keys/$FC.asc showed revoked before this commit" findings &&
	test "$(grep -c "^error" findings)" = 1 &&
	grep -q "^info A004 $(tail -n 1 signed): " findings
'

test_expect_success 'the stored revocation comes before the signature: A102 at once' '
	tamper &&
	cp "$TRASH/fc.revoked.asc" "c/keys/$FC.asc" &&
	git_as hom -C c commit -q -S -am "keys: store the revoked key of fc" &&
	GNUPGHOME=$(keyring fc) git_as fc -C c commit -q -S --allow-empty -m "signed when revoked" &&
	test_expect_code 1 audit_with "$(auditor_home aud)" &&
	grep -q "^error A102 $(git -C c rev-parse HEAD): .*showed revoked" findings &&
	test "$(grep -c "^error" findings)" = 1
'

test_expect_success 'keys/ decides, not the auditor.s keyring that holds the key unrevoked' '
	tamper &&
	fc_commits >signed &&
	cp "$TRASH/fc.revoked.asc" "c/keys/$FC.asc" &&
	git_as hom -C c commit -q -S -am "keys: store the revoked key of fc" &&
	stored=$(git -C c rev-parse HEAD) &&
	GNUPGHOME=$(keyring fc) git_as fc -C c commit -q -S --allow-empty -m "signed when revoked" &&
	gpg --batch --with-colons --list-keys "$FC" | grep -q "^pub:[^r]" &&
	expect_finding A102 &&
	grep -q "^error A102 $(git -C c rev-parse HEAD): signed by key $FC, which keys/$FC.asc showed revoked before this commit" findings &&
	test "$(grep -c "^info A004" findings)" = "$(wc -l <signed)" &&
	test "$(grep -c "^error" findings)" = 1
'

test_expect_success 'so does pki-audit --since, which did not walk the stored revocation' '
	test_expect_code 1 pki-audit -C c --since "$stored" >findings &&
	cat findings &&
	grep -q "^error A102 $(git -C c rev-parse HEAD): signed by key $FC, which keys/$FC.asc showed revoked" findings &&
	test "$(grep -c "^error" findings)" = 1
'

test_expect_success 'an auditor whose own keyring holds the revocation: A004, not A102' '
	tamper &&
	fc_commits >signed &&
	test -s signed &&
	audit_with "$(auditor_home own "$FIXTURES"/keys/*.pub.asc "$TRASH/fc.rev")" &&
	test "$(grep -c "^info A004" findings)" = "$(wc -l <signed)" &&
	test "$(grep -c "^error" findings)" = 0
'

test_expect_success 'a bad signature by the revoked key stays bad (A102)' '
	tamper &&
	git_as fc -C c commit -q -S --allow-empty -m "a note" &&
	git -C c cat-file commit HEAD | sed "s/^a note\$/a forged note/" |
		git -C c hash-object -t commit -w --stdin >forged &&
	git -C c update-ref refs/heads/main "$(cat forged)" &&
	test_must_fail git -C c verify-commit main 2>/dev/null &&
	test_expect_code 1 audit_with "$(auditor_home own "$FIXTURES"/keys/*.pub.asc "$TRASH/fc.rev")" &&
	grep -q "^error A102 $(cat forged): the signature does not verify" findings &&
	! grep -q "^info A004 $(cat forged)" findings &&
	test "$(grep -c "^error" findings)" = 1
'

test_expect_success 'an earlier version of a key file held another key (A105)' '
	tamper &&
	cp "$FIXTURES/keys/mallory.pub.asc" "c/keys/$FC.asc" &&
	git_as chair -C c commit -q -S -am "refresh key" &&
	bad=$(git -C c rev-parse HEAD) &&
	cp "$FIXTURES/keys/fc.pub.asc" "c/keys/$FC.asc" &&
	git_as chair -C c commit -q -S -am "refresh key again" &&
	expect_finding A105 &&
	grep -q "^error A105 keys/$FC.asc: holds the key $(fpr mallory), not $FC (as commit $bad stored it)" findings &&
	test "$(grep -c "^error" findings)" = 1
'

test_expect_success 'the key file of a valid principal removed (A112)' '
	tamper &&
	key_removed fc &&
	grep -q "history needs it to verify what .fc. signed (policy 12.10)" findings
'

test_expect_success 'the key file of a removed principal is kept too (A112)' '
	tamper &&
	key_removed police
'

test_expect_success 'the old key file of a principal given a new key is kept too (A112)' '
	tamper &&
	as hom pki-matrix -C c add fc --key "$FIXTURES/keys/mallory.pub.asc" &&
	test_tick &&
	! grep -q "$FC" c/access-matrix.csv &&
	git -C c rm -q "keys/$FC.asc" &&
	git_as hom -C c commit -q -S -m "the old key of fc" &&
	expect_finding A112 &&
	grep -q "^error A112 $(git -C c rev-parse HEAD): removes keys/$FC.asc, the key of principal .fc." findings &&
	# (the products fc could read were not re-encrypted to its new key: A401)
	test "$(grep -c "^error A1" findings)" = 1
'

test_expect_success 'a key file no principal names may go' '
	tamper &&
	cp "$FIXTURES/keys/mallory.pub.asc" "c/keys/$(fpr mallory).asc" &&
	git -C c add keys &&
	git_as hom -C c commit -q -S -m "a key by mistake" &&
	git -C c rm -q "keys/$(fpr mallory).asc" &&
	git_as hom -C c commit -q -S -m "remove it" &&
	pki-audit -C c >findings &&
	! grep -q "A112" findings
'

test_expect_success 'a key neither the keyring nor keys/ holds: recipients unchecked (A002)' '
	tamper &&
	sed -i "s/$FC/$(fpr mallory)/" c/access-matrix.csv &&
	git_as hom -C c commit -q -S -am "a new key for fc, with no key file" &&
	audit_with "$(auditor_home a002)" &&
	grep -q "^warning A002 $B: cannot check its recipients: the key of .fc. is not in the keyring" findings
'

test_done
