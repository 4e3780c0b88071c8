#!/bin/sh
# pki-audit and authorship: a commit is authored in its signer's name, an
# address of the signing key's user IDs (A111).  pki itself refuses a key
# whose user ID names more than one address, with which it would author
# commits in another's name.
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-audit.sh"

test_expect_success 'setup: a clean history' '
	history &&
	pki-audit -C "$REPO" >findings &&
	! grep -q A111 findings
'

test_expect_success 'a commit authored in another principal.s name (A111)' '
	tamper &&
	git_as fc -C c commit -q -S --allow-empty --author "hom <hom@mission.example>" -m "note" &&
	git -C c verify-commit HEAD 2>/dev/null &&
	expect_finding A111 &&
	grep -q "^error A111 $(git -C c rev-parse HEAD): authored by .hom <hom@mission.example>.: .hom@mission.example. is no address of the key of .fc., who signed: changes are made in the signer.s name (policy 12.10)" findings &&
	test "$(grep -c "^error" findings)" = 1
'

test_expect_success 'the address counts, not the name git was given' '
	tamper &&
	git_as fc -C c commit -q -S --allow-empty --author "Someone <FC@mission.example>" -m "note" &&
	pki-audit -C c >findings &&
	! grep -q A111 findings
'

test_expect_success 'a matrix change authored in the name of the Head of Mission, signed by the chair (A111)' '
	tamper &&
	echo "	name = UN Mission (edited)" >>c/pki.conf &&
	git_as chair -C c commit -q -S -am "settings" --author "Ada Okafor <hom@mission.example>" &&
	expect_finding A111 &&
	test "$(grep -c "^error" findings)" = 1
'

test_expect_success 'setup: a key whose user ID holds two addresses' '
	gpg --batch --quiet --passphrase "" --quick-gen-key \
		"Eve <eve@mission.example> <hom@mission.example>" ed25519 sign,cert never 2>/dev/null &&
	EVE=$(gpg --batch --with-colons --list-keys "=Eve <eve@mission.example> <hom@mission.example>" |
		awk -F: "/^fpr/ { print \$10; exit }") &&
	test -n "$EVE" &&
	gpg --batch --quiet --passphrase "" --quick-add-key "$EVE" cv25519 encr never 2>/dev/null &&
	gpg --batch -a --export "$EVE" >"$TRASH/eve.asc"
'

test_expect_success 'pki-init refuses such a key as the acting key (69)' '
	test_expect_code 69 env PKI_KEY="$EVE" pki-init -m UNMISS -p eve "$TRASH/m2" 2>err &&
	cat err &&
	grep -q "cannot author commits: its first user ID is not one .Name <address>." err &&
	test ! -e "$TRASH/m2/.git"
'

test_expect_success 'pki-matrix add refuses such a key (65)' '
	expect_refusal 65 as hom pki-matrix -C "$REPO" add eve --key "$TRASH/eve.asc" --entity JMAC \
		--type mission --role member --clearance confidential &&
	grep -q "its first user ID is not one .Name <address>." err
'

test_expect_success 'such a key put in the matrix by hand authors nothing (A111)' '
	tamper &&
	cp "$TRASH/eve.asc" "c/keys/$EVE.asc" &&
	printf "\"eve\",\"%s\",\"JMAC\",\"mission\",\"member\",\"confidential\",\"poc\",\"2026-01-01\",\"\"\r\n" \
		"$EVE" >>c/access-matrix.csv &&
	git -C c add keys &&
	git_as hom -C c commit -q -S -am "add eve" &&
	git -C c -c user.name=Eve -c user.email=eve@mission.example -c user.signingkey="$EVE" \
		commit -q -S --allow-empty -m "note" &&
	expect_finding A111 &&
	grep -q "^error A111 $(git -C c rev-parse HEAD): authored by .Eve <eve@mission.example>.: the key of .eve. has no user ID .Name <address>. to author a change in" findings &&
	test "$(grep -c "^error" findings)" = 1
'

test_done
