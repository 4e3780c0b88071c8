#!/bin/sh
# A key with a passphrase and no terminal to ask it on (cron): the tools
# say so on one line, with what to do, and change nothing; done as said
# (the passphrase preset in gpg-agent), the same command works.
. "$(dirname "$0")/lib.sh"

# A keyring like the suite's, but with jmac's secret key protected by the
# passphrase "secret" (t/fixtures/protected).
CRON=$TRASH/c
mkdir -m 700 "$CRON"
GNUPGHOME=$CRON gpg --batch --quiet --import "$FIXTURES"/keys/*.pub.asc \
	"$FIXTURES/protected/jmac.sec.asc" 2>/dev/null

# unattended CMD...: as cron runs it: a session of its own (no
# controlling terminal), no display, nothing on standard input.
unattended() {
	env -u DISPLAY -u GPG_TTY GNUPGHOME="$CRON" PKI_KEY="$(fpr jmac)" setsid -w "$@" </dev/null
}

test_expect_success 'setup: a mission, a product' '
	mission &&
	echo "a report for the night" >night
'

test_expect_success 'no terminal for the passphrase: 69, one line saying what to do, nothing changed' '
	expect_refusal 69 unattended pki-classify -C "$REPO" -l confidential -c c -a poc "$TRASH/night" &&
	grep -qx "pki-classify: signing: key $(fpr jmac) has a passphrase and there is no terminal to ask for it (Inappropriate ioctl for device): preset it in gpg-agent (gpg-preset-passphrase), or sign with a passphrase-less signing subkey kept for unattended work; see pki(7), UNATTENDED WORK" err &&
	! ls "$REPO"/.git/pki-shadow.* 2>/dev/null
'

test_expect_success 'the passphrase preset in gpg-agent, as pki(7) says: the same command works' '
	echo allow-preset-passphrase >"$CRON/gpg-agent.conf" &&
	GNUPGHOME=$CRON gpgconf --kill gpg-agent &&
	grip=$(GNUPGHOME=$CRON gpg --batch --with-colons --with-keygrip -K "$(fpr jmac)" |
		awk -F: "\$1 == \"grp\" { print \$10 }") &&
	test -n "$grip" &&
	for g in $grip; do
		echo secret | GNUPGHOME=$CRON /usr/lib/gnupg/gpg-preset-passphrase --preset "$g" || return 1
	done &&
	unattended pki-classify -C "$REPO" -l confidential -c c -a poc "$TRASH/night" >id &&
	git -C "$REPO" log -1 --format=%s | grep -qx "pki-classify: classify $(cat id)" &&
	verify_history
'

GNUPGHOME=$CRON gpgconf --kill gpg-agent
test_done
