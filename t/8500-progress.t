#!/bin/sh
# Long work shows progress on stderr when stderr is a terminal, as git
# does, and nothing otherwise: a large product encrypted or re-encrypted,
# products re-encrypted one after another, the audit, a transfer.
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-product.sh"
. "$TEST_DIRECTORY/lib-share.sh"

# on_tty OUT ERR CMD...: CMD with stderr on a pseudo-terminal and stdout
# to OUT; what the terminal showed goes to ERR; CMD's status.
cat >ontty.py <<\EOF
import os, pty, subprocess, sys
out, err, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
m, s = pty.openpty()
with open(out, "wb") as o:
    p = subprocess.Popen(cmd, stdout=o, stderr=s)
os.close(s)
shown = b""
while True:
    try:
        b = os.read(m, 65536)
    except OSError:
        break
    if not b:
        break
    shown += b
rc = p.wait()
open(err, "wb").write(shown)
sys.exit(rc)
EOF
on_tty() {
	python3 "$TRASH/ontty.py" "$@" ||
		{ _rc=$?; echo "exited $_rc:"; tr '\r' '\n' <"$2"; return $_rc; }
}

# shown ERR TEXT: the terminal showed TEXT (carriage returns made lines).
shown() {
	tr '\r' '\n' <"$1" | grep -F -q -- "$2" ||
		{ echo "not shown: $2"; tr '\r' '\n' <"$1"; return 1; }
}

test_expect_success 'setup: a mission, a 16 MiB product' '
	mission &&
	head -c 16777216 /dev/urandom >big &&
	echo "a small one" >small
'

test_expect_success 'classify of a large file: a percentage on a terminal' '
	on_tty id err env PKI_KEY="$(fpr jmac)" pki-classify -C "$REPO" -l confidential -c c -a poc "$TRASH/big" &&
	test_tick &&
	P=$(cat id) &&
	shown err "pki-classify: Encrypting: 100% (16777216/16777216)" &&
	test "$(tr "\r" "\n" <err | grep -c "Encrypting: ")" -gt 2 &&
	decrypt_as jmac "$(product_file "$P" gpg)" | cmp - big
'

test_expect_success 'the same on a file or a pipe: nothing on stderr' '
	as jmac pki-classify -C "$REPO" -l confidential -c c -a poc "$TRASH/big" >id 2>err &&
	test_tick &&
	test ! -s err &&
	as jmac pki-classify -C "$REPO" -l confidential -c c -a poc "$TRASH/big" 2>&1 >id | cat >err &&
	test_tick &&
	test ! -s err
'

test_expect_success 'from a pipe, its size unknown: a count, then the whole' '
	cat big | on_tty id err env PKI_KEY="$(fpr jmac)" pki-classify -C "$REPO" -l confidential -c c -a poc &&
	test_tick &&
	shown err "pki-classify: Encrypting: 100% (16777216/16777216)"
'

test_expect_success 'a small product shows nothing, even on a terminal' '
	on_tty id err env PKI_KEY="$(fpr jmac)" pki-classify -C "$REPO" -a poc "$TRASH/small" &&
	test_tick &&
	test ! -s err
'

test_expect_success 'share of a large product: re-encrypting, on a terminal only' '
	on_tty out err env PKI_KEY="$(fpr jmac)" pki-share -C "$REPO" "$P" fc &&
	test_tick &&
	shown err "pki-share: Re-encrypting: 100% (" &&
	on_list "$P" fc &&
	as jmac pki-share -C "$REPO" --revoke "$P" fc >out 2>err &&
	test_tick &&
	test ! -s err &&
	as jmac pki-share -C "$REPO" "$P" fc >out 2>err &&
	test_tick &&
	test ! -s err &&
	on_list "$P" fc
'

test_expect_success 'pki-matrix remove: the products gone through, counted' '
	n=$(git -C "$REPO" ls-tree -r --name-only HEAD products | grep -c "\.xml$") &&
	on_tty out err env PKI_KEY="$(fpr hom)" pki-matrix -C "$REPO" remove fc &&
	test_tick &&
	shown err "pki-matrix: Going through products: 100% ($n/$n)" &&
	! on_list "$P" fc
'

test_expect_success 'pki-matrix succeed: the products handed over, counted; nothing on a file' '
	add_principal chair2 CMPIC mission chair strictly-confidential "*" &&
	on_tty out err env PKI_KEY="$(fpr hom)" pki-matrix -C "$REPO" succeed chair chair2 --keep --ref "HOM/2026/7" &&
	test_tick &&
	shown err "pki-matrix: Re-encrypting products: 100% (" &&
	on_list "$P" chair2 &&
	as hom pki-matrix -C "$REPO" remove chair >out 2>err &&
	test_tick &&
	test ! -s err
'

test_expect_success 'the audit: commits read, signatures verified, commits checked' '
	c=$(git -C "$REPO" rev-list --count HEAD) &&
	on_tty out err pki-audit -C "$REPO" &&
	test ! -s out &&
	shown err "pki-audit: Reading commits: 100% ($c/$c)" &&
	shown err "pki-audit: Verifying signatures: 100% (" &&
	shown err "pki-audit: Checking commits: 100% ($c/$c)" &&
	pki-audit -C "$REPO" >out 2>err &&
	test ! -s out && test ! -s err
'

test_expect_success 'a transfer: the records written, counted' '
	n=$(git -C "$REPO" ls-tree -r --name-only HEAD products | grep -c "\.xml$") &&
	on_tty out err env PKI_KEY="$(fpr chair2)" PKI_DATE=2026-07-15T09:00:00Z \
		pki-archive -C "$REPO" --period 2026H1 -o "$TRASH" &&
	shown err "pki-archive: Writing records: 100% ($n/$n)"
'

test_done
