#!/bin/sh
# Bad principals and bad keys (pki(7), "Safe with bad input"): acting or
# receiving as someone the access matrix does not know, no longer or not
# yet knows; keys missing, expired or revoked.  Policy refusals are 77,
# a key that is not there or cannot be used is 69; one line, no change.
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-bad.sh"

IN=$TRASH/in

# newkey NAME: a fresh key (ed25519 to sign, cv25519 to encrypt) in this
# keyring, its public key in $TRASH/NAME.pub.asc; prints its fingerprint.
newkey() {
	gpg --batch --quiet --passphrase "" --quick-gen-key "$1 <$1@mission.example>" \
		ed25519 sign never 2>/dev/null &&
	_f=$(gpg --with-colons --list-keys "<$1@mission.example>" | awk -F: '$1 == "fpr" { print $10; exit }') &&
	gpg --batch --quiet --passphrase "" --quick-add-key "$_f" cv25519 encr never 2>/dev/null &&
	gpg --armor --export "$_f" >"$TRASH/$1.pub.asc" &&
	echo "$_f"
}

# revoke FPR: import the revocation gpg made when it generated the key.
revoke() {
	sed "s/^:-----BEGIN/-----BEGIN/" "$GNUPGHOME/openpgp-revocs.d/$1.rev" |
		gpg --batch --quiet --import 2>/dev/null &&
	gpg --with-colons --list-keys "$1" | grep -q "^pub:r:"
}

# as_key NAME CMD...: as, for the keys made here too.
as_key() {
	case $1 in
	late) _k=$LATE ;;
	gone) _k=$GONE ;;
	*) _k=$(fpr "$1") ;;
	esac
	shift
	PKI_KEY=$_k "$@"
}

# add NAME KEYFILE [OPTIONS...]: a mission member in poc (as hom).
add() {
	_n=$1 _k=$2
	shift 2
	as hom pki-matrix -C "$REPO" add "$_n" --key "$_k" --entity X --type mission \
		--role member --clearance confidential --areas poc "$@" &&
	test_tick
}

test_expect_success 'setup: a mission, a product, principals soon expired, late, removed' '
	mission &&
	echo "patrol report" >"$IN" &&
	P=$(as jmac pki-classify -C "$REPO" -l confidential -c c -a poc "$IN") &&
	test_tick &&
	add mallory "$FIXTURES/keys/mallory.pub.asc" --until 2026-03-02T12:00:00Z &&
	LATE=$(newkey late) && add late "$TRASH/late.pub.asc" --from 2026-06-01 &&
	GONE=$(newkey gone) && add gone "$TRASH/gone.pub.asc" &&
	as hom pki-matrix -C "$REPO" remove gone &&
	STRANGER=$(newkey stranger) &&
	test_tick 14400 &&
	test "$PKI_DATE" \> 2026-03-02T12:00:00Z
'

test_expect_success 'acting with a key the matrix does not know (77)' '
	refusal 77 env PKI_KEY="$STRANGER" pki-classify -C "$REPO" -l confidential -c c -a poc "$IN" &&
	grep -q "key $STRANGER is not a principal of the access matrix (policy 12.10)" err &&
	refusal 77 env PKI_KEY="$STRANGER" pki-share -C "$REPO" "$P" fc &&
	refusal 77 env PKI_KEY="$STRANGER" pki-matrix -C "$REPO" remove fc &&
	refusal 77 env PKI_KEY="$STRANGER" pki-register -C "$REPO" --receive --from X \
		-l unclassified "$IN"
'

test_expect_success 'acting as a principal expired, not yet valid, or removed (77)' '
	for who in mallory late gone; do
		refusal 77 as_key "$who" pki-classify -C "$REPO" -l confidential -c c -a poc "$IN" &&
		grep -q "is not valid now (policy 12.10)" err &&
		refusal 77 as_key "$who" pki-share -C "$REPO" "$P" fc &&
		refusal 77 as_key "$who" pki-register -C "$REPO" --receive --from X -l unclassified "$IN" &&
		refusal 77 as_key "$who" pki-matrix -C "$REPO" delegate jmac --power disseminate --ref x ||
			{ echo "acting as $who"; return 1; }
	done
'

test_expect_success 'sharing with a principal unknown, expired, not yet valid, or removed (77)' '
	for who in nobody mallory late gone; do
		refusal 77 as jmac pki-share -C "$REPO" "$P" "$who" ||
			{ echo "sharing with $who"; return 1; }
	done &&
	grep -q "refused: .gone." err
'

test_expect_success 'delegations: unknown, expired, someone else'"'"'s (77)' '
	D=$(as jmac pki-matrix -C "$REPO" delegate fc --power disseminate --scope poc \
		--until 2026-03-03 --ref "note 1") &&
	test_tick &&
	refusal 77 as police pki-share -C "$REPO" "$P" fc --authority "$D" &&
	refusal 77 as fc pki-share -C "$REPO" "$P" police --authority DLG-0000000000 &&
	test_tick 172800 &&
	refusal 77 as fc pki-share -C "$REPO" "$P" chair --authority "$D"
'

test_expect_success 'acting with a key whose secret part is not here (69)' '
	NOSEC=$(newkey nosec) &&
	add nosec "$TRASH/nosec.pub.asc" &&
	gpg --batch --yes --delete-secret-keys "$NOSEC" 2>/dev/null &&
	refusal 69 env PKI_KEY="$NOSEC" pki-classify -C "$REPO" -l confidential -c c -a poc "$IN" &&
	grep -q "secret key" err
'

test_expect_success 'a revoked key: no signing with it, no encrypting to it (69), its principal named' '
	REV=$(newkey rev) &&
	add rev "$TRASH/rev.pub.asc" &&
	revoke "$REV" &&
	refusal 69 env PKI_KEY="$REV" pki-classify -C "$REPO" -l confidential -c c -a poc "$IN" &&
	grep -q "cannot sign (expired, revoked or no signing key)" err &&
	refusal 69 as jmac pki-share -C "$REPO" "$P" rev &&
	grep -q "the key of .rev. ($REV) cannot encrypt" err &&
	refusal 69 as jmac pki-classify -C "$REPO" -a poc "$IN" &&
	grep -q "the key of .rev. ($REV) cannot encrypt" err &&
	refusal 65 as hom pki-matrix -C "$REPO" add rev2 --key "$TRASH/rev.pub.asc" --entity X \
		--type mission --role member --clearance confidential &&
	grep -q "revoked" err
'

test_expect_success 'removing the principal with the revoked key lets work go on' '
	as hom pki-matrix -C "$REPO" remove rev &&
	test_tick &&
	as jmac pki-classify -C "$REPO" -a poc "$IN" >id &&
	test_tick &&
	test -s id
'

test_expect_success 'an expired key put in the matrix by hand: refused to encrypt to (69)' '
	ORIG=$REPO &&
	X=$(fpr expired) &&
	tamper "keys/$X.asc" cat "$FIXTURES/keys/expired.pub.asc" &&
	printf "\"expired\",\"%s\",\"X\",\"mission\",\"member\",\"confidential\",\"poc\",\"2026-01-01\",\"\"\r\n" \
		"$X" >>"$REPO/access-matrix.csv" &&
	git -C "$REPO" -c user.name=x -c user.email=x@x commit -q -am "by hand" &&
	refusal 69 as jmac pki-share -C "$REPO" "$P" expired &&
	grep -q "the key of .expired. ($X) cannot encrypt" err
'

test_expect_success 'the same with a product larger than a pipe holds: the encryption'"'"'s reason' '
	head -c 1048576 /dev/urandom >large &&
	L=$(as jmac pki-classify -C "$REPO" -l confidential -c c -a poc <large) &&
	test_tick &&
	refusal 69 as jmac pki-share -C "$REPO" "$L" expired &&
	grep -q "the key of .expired. ($X) cannot encrypt" err
'

test_expect_success 'a recipient without a key in the repository (77), a key found nowhere (69)' '
	tamper README echo readme &&
	git -C "$REPO" rm -q "keys/$(fpr fc).asc" &&
	git -C "$REPO" -c user.name=x -c user.email=x@x commit -q -m "lose a key" &&
	ring=$(keyring jmac) &&
	GNUPGHOME=$ring refusal 77 as jmac pki-share -C "$REPO" "$P" fc &&
	grep -q "refused: .fc. has no key in the repository (policy 9.8)" err &&
	git -C "$REPO" checkout -q HEAD~1 -- "keys/$(fpr fc).asc" &&
	git -C "$REPO" rm -q "keys/$(fpr hom).asc" &&
	git -C "$REPO" -c user.name=x -c user.email=x@x commit -q -m "lose another" &&
	GNUPGHOME=$ring refusal 69 as jmac pki-share -C "$REPO" "$P" fc &&
	grep -q "key $(fpr hom) is neither in the keyring nor at keys/$(fpr hom).asc" err
'

test_expect_success 'nothing refused changed the repository; it audits clean' '
	REPO=$ORIG &&
	verify_history &&
	pki-audit -C "$REPO"
'

test_done
