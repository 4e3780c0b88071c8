#!/bin/sh
# pki-audit check 4, the ciphertext itself: encrypted to exactly its
# distribution list's keys and open to no one else: no passphrase, no key
# ID left out or named twice, nothing beside the encrypted data (A404);
# an OpenPGP message at all (A403); and a label whose list is not the
# registry's (A402).  Each forgery is hidden in an ordinary share with
# stock git and gpg, its label's binding made right again, so that only
# the finding under test fires.
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-audit.sh"

# A keyring with no key at all: what anyone holding the repository has.
mkdir -m 700 "$TRASH/nokeys"

# share_then: jmac shares A with fc in a fresh clone, as pki-share does;
# $F and $L are A's ciphertext and label after it, $R gpg's -r options
# for the list the label now carries.
share_then() {
	tamper &&
	as jmac pki-share -C "$TRASH/c" "$A" fc -j "force protection planning" &&
	F=$(product_file "$A" gpg) &&
	L=$(product_file "$A" xml) &&
	R= &&
	for _n in $(xmllint --xpath '//*[local-name()="distribution"]/*/text()' "$L"); do
		R="$R -r $(fpr "$_n")"
	done &&
	decrypt_as jmac "$F" >plain
}

# encrypt OPTION...: A's plaintext encrypted again with stock gpg to $R.
encrypt() {
	gpg --batch --yes --quiet --trust-model always $R -o "$F" "$@" plain
}

# amend: bind the label to the forged ciphertext and let jmac sign the
# share's commit, amended, as his own.
amend() {
	_sum=$(sha256sum "$F" | cut -c1-64) &&
	sed -i "s|<binding algorithm=\"sha256\">[0-9a-f]*</binding>|<binding algorithm=\"sha256\">$_sum</binding>|" \
		"$L" &&
	git_as jmac -C c commit -q -S -a --amend --no-edit
}

# errors N: exactly N errors in the findings.
errors() {
	test "$(grep -c '^error' findings)" -eq "$1"
}

# packets FILE: gpg's packet listing, with no key to open anything.
packets() {
	GNUPGHOME=$TRASH/nokeys gpg --batch --list-packets "$1" 2>/dev/null
}

test_expect_success 'setup: a clean history, and a share hidden nothing in audits clean' '
	history &&
	pki-audit -C "$REPO" &&
	share_then &&
	encrypt -e &&
	amend &&
	pki-audit -C c
'

test_expect_success 'a passphrase beside the keys (gpg -e -c) (A404)' '
	share_then &&
	encrypt --pinentry-mode loopback --passphrase "open sesame" -e -c &&
	amend &&
	GNUPGHOME=$TRASH/nokeys gpg --batch --quiet --pinentry-mode loopback \
		--passphrase "open sesame" --decrypt "$F" >out &&
	test_cmp plain out &&
	expect_finding A404 &&
	errors 1 &&
	grep -q "^error A404 $A: the ciphertext holds a symmetric-key session key packet, which a passphrase opens: a way to read it besides the keys of its distribution list (policy 9.8)" findings
'

test_expect_success 'a literal packet appended after the encrypted data (A404)' '
	share_then &&
	printf "the plaintext, for anyone\n" |
		GNUPGHOME=$TRASH/nokeys gpg --batch --store -z 0 -o extra &&
	cat "$F" extra >forged &&
	cp forged "$F" &&
	amend &&
	packets "$F" | grep -q "^:literal data packet:" &&
	expect_finding A404 &&
	errors 1 &&
	grep -q "^error A404 $A: the ciphertext holds a packet of tag 11 after the encrypted data: " findings
'

test_expect_success 'plaintext appended after the encrypted data, no packet at all (A404)' '
	share_then &&
	cat "$F" plain >forged &&
	cp forged "$F" &&
	amend &&
	expect_finding A404 &&
	errors 1 &&
	grep -q "^error A404 $A: the ciphertext holds bytes after the encrypted data: " findings
'

test_expect_success 'a second session key packet for a listed key, from another product (A404)' '
	share_then &&
	sub=$(gpg --with-colons --list-keys "$(fpr hom)" | awk -F: "\$1 == \"sub\" { print \$5 }") &&
	other=$(product_file "$B" gpg) &&
	at=$(packets "$other" | awk -v k="$sub" "
		/^# off=/ { split(\$2, o, \"=\"); split(\$4, t, \"=\"); split(\$5, h, \"=\");
			    split(\$6, p, \"=\"); off = o[2]; tag = t[2]; len = h[2] + p[2] }
		/^:pubkey enc packet:/ && \$NF == k { print off, len; exit }") &&
	test -n "$at" &&
	set -- $at &&
	tail -c +$(($1 + 1)) "$other" | head -c "$2" >pkesk &&
	cat pkesk "$F" >forged &&
	cp forged "$F" &&
	amend &&
	test "$(packets "$F" | grep -c "keyid $sub\$")" -eq 2 &&
	expect_finding A404 &&
	errors 1 &&
	grep -q "^error A404 $A: the ciphertext holds two session key packets for key $sub, one of which may open with another key: " findings
'

test_expect_success 'a listed key'"'"'s ID on a packet for an outsider'"'"'s RSA key (A404)' '
	mkdir -m 700 spy &&
	GNUPGHOME=$TRASH/spy gpg --batch --quiet --passphrase "" \
		--quick-gen-key "Spy <spy@example.org>" rsa2048 encr never 2>/dev/null &&
	GNUPGHOME=$TRASH/spy gpg --export spy@example.org | gpg --batch --quiet --import &&
	share_then &&
	sub=$(gpg --with-colons --list-keys "$(fpr hom)" | awk -F: "\$1 == \"sub\" { print \$5 }") &&
	R=$(echo "$R" | sed "s/-r $(fpr hom)//") &&
	encrypt -r spy@example.org -e &&
	at=$(packets "$F" | awk "
		/^# off=/ { split(\$2, o, \"=\"); split(\$5, h, \"=\"); off = o[2] + h[2] }
		/^:pubkey enc packet: version 3, algo 1,/ { print off; exit }") &&
	test -n "$at" &&
	for b in $(echo "$sub" | sed "s/../& /g"); do
		printf "\\$(printf %03o "0x$b")"
	done >keyid &&
	dd if=keyid of="$F" bs=1 seek=$((at + 1)) conv=notrunc status=none &&
	amend &&
	packets "$F" | grep -q "algo 1, keyid $sub\$" &&
	GNUPGHOME=$TRASH/spy gpg --batch --quiet --try-all-secrets --decrypt "$F" >out 2>/dev/null &&
	test_cmp plain out &&
	! decrypt_as hom "$F" >/dev/null &&
	expect_finding A404 &&
	errors 1 &&
	grep -q "^error A404 $A: the ciphertext holds a session key packet for key $sub of .hom. made with public-key algorithm 1, which that key (algorithm 18) cannot open: it may open with another key (policy 9.8)" findings
'

test_expect_success 'key IDs thrown away (gpg --throw-keyids) (A404)' '
	share_then &&
	encrypt --throw-keyids -e &&
	amend &&
	packets "$F" | grep -q "keyid 0000000000000000" &&
	expect_finding A404 &&
	errors 1 &&
	grep -q "^error A404 $A: the ciphertext holds a session key packet with a wildcard key ID, which any secret key may open: " findings
'

test_expect_success 'the plaintext in place of the ciphertext (A403)' '
	share_then &&
	cp plain "$F" &&
	amend &&
	expect_finding A403 &&
	errors 1 &&
	grep -q "^error A403 $A: the ciphertext is no OpenPGP message encrypted to public keys: no OpenPGP packet at byte 0 (policy 9.8)" findings
'

test_expect_success 'a ciphertext cut short (A403)' '
	share_then &&
	head -c 300 "$F" >forged &&
	cp forged "$F" &&
	amend &&
	expect_finding A403 &&
	errors 1 &&
	grep -q "^error A403 $A: the ciphertext is no OpenPGP message encrypted to public keys: cut short at byte 300" findings
'

test_expect_success 'a share that quietly lets a second reader in (A402, A401)' '
	share_then &&
	sed -i "s|<principal>jmac</principal>|<principal>jmac</principal><principal>undss</principal>|" "$L" &&
	R="$R -r $(fpr undss)" &&
	encrypt -e &&
	amend &&
	expect_finding A402 A401 &&
	errors 2 &&
	grep -q "^error A402 $A: the label lists .archives;chair;fc;hom;jmac;undss., the registry implies .archives;chair;fc;hom;jmac. (policy 11.3.3)" findings &&
	grep -q "^error A401 $A: encrypted to key [0-9A-F]\{16\} of .undss., who is not on the registry.s distribution list (policy 9.8)" findings
'

test_done
