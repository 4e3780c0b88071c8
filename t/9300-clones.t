#!/bin/sh
# Several entities, one mission (pki(7), MULTI-USER OPERATION): clones of a
# central repository, each with its own key and entity; concurrent work
# rebased and re-signed; registry shards merged as a union; an auditor's
# clone with no keys of its own audits clean.
. "$(dirname "$0")/lib.sh"

# clone NAME ENTITY: a clone acting as NAME for ENTITY; git's own commits
# (a rebase) need the identity of the key too.
clone() {
	_uid=$(gpg --with-colons --list-keys "$(fpr "$1")" | awk -F: '$1 == "uid" { print $10; exit }') &&
	git clone -q central.git "$1" &&
	git -C "$1" config user.signingkey "$(fpr "$1")" &&
	git -C "$1" config user.name "${_uid% <*}" &&
	git -C "$1" config user.email "$1@mission.example" &&
	git -C "$1" config pki.entity "$2"
}

test_expect_success 'setup: the mission, published to a central bare repository' '
	mission &&
	git init -q --bare -b main central.git &&
	git -C "$REPO" push -q "$TRASH/central.git" main &&
	clone jmac JMAC &&
	clone fc FORCE
'

test_expect_success 'two clones file products at once: their IDs never collide' '
	test_tick &&
	a=$(echo a | pki-classify -C jmac -l confidential -c c -a poc) &&
	b=$(echo b | pki-classify -C fc -l confidential -c c -a poc) &&
	test "$a" = UNMISS-JMAC-2026-000001 &&
	test "$b" = UNMISS-FORCE-2026-000001
'

test_expect_success 'the first push lands; the second is refused by git' '
	git -C jmac push -q origin main &&
	test_must_fail git -C fc push -q origin main 2>err
'

test_expect_success 'git pull --rebase -S: the registry rows of both are kept' '
	git -C fc pull -q --rebase -S &&
	shard=registry/$(printf %.7s "$PKI_DATE").csv &&
	python3 -c "
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline=\"\")))
assert sorted(r[\"product\"] for r in rows) == sorted(sys.argv[2:]), rows
" "fc/$shard" "$a" "$b" &&
	git -C fc push -q origin main
'

test_expect_success 'every commit is still signed by the principal who acted' '
	git -C fc log -1 --format="%GF %an %cn" >actual &&
	echo "$(fpr fc) Tomas Silva Tomas Silva" >expect &&
	test_cmp expect actual &&
	verify_history fc
'

test_expect_success 'an auditor clones and audits with an empty keyring: clean' '
	git clone -q central.git audit &&
	mkdir -m 700 g.audit &&
	GNUPGHOME=$TRASH/g.audit pki-audit -C audit >findings;
	rc=$?
	GNUPGHOME=$TRASH/g.audit gpgconf --kill all
	cat findings &&
	test $rc = 0 &&
	! grep -q "^error" findings
'

test_expect_success 'a rebase without -S leaves an unsigned commit: the audit finds it' '
	git -C jmac pull -q --ff-only &&
	test_tick &&
	c=$(echo c | pki-classify -C jmac -l confidential -c c -a poc) &&
	d=$(echo d | pki-classify -C fc -l confidential -c c -a poc) &&
	git -C jmac push -q origin main &&
	git -C fc pull -q --rebase --no-gpg-sign &&
	git -C fc push -q origin main &&
	git -C audit pull -q --ff-only &&
	test_expect_code 1 pki-audit -C audit >findings &&
	grep -q "^error A101 $(git -C audit rev-parse HEAD): not signed" findings
'

test_done
