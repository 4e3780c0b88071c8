# t/lib.sh: a small test library in the manner of git's (TAP on stdout).
#
#   . "$(dirname "$0")/lib.sh"
#   test_expect_success 'what it shows' '
#           commands &&
#           more commands
#   '
#   test_done
#
# Each script gets its own trash directory (kept when a test fails), its
# own HOME and GNUPGHOME with the committed fixture keys, a fixed clock,
# and the binaries of the last build first on PATH.

set -u
unset CDPATH GNUPGHOME PKI_KEY PKI_DATE GIT_DIR GIT_WORK_TREE 2>/dev/null

TEST_DIRECTORY=$(cd "$(dirname "$0")" && pwd)
SRC=$(dirname "$TEST_DIRECTORY")
FIXTURES=$TEST_DIRECTORY/fixtures
TEST_NAME=$(basename "$0" .t)
BUILD=${PKI_BUILD:-build/default}
PATH=$SRC/$BUILD/bin:$PATH
PKI_SHAREDIR=$SRC/share/pki
LC_ALL=C
TZ=UTC
export PATH PKI_SHAREDIR LC_ALL TZ

# A short path: gpg-agent's socket lives in GNUPGHOME, and a long socket
# path fails.
TRASH=$(mktemp -d "${TMPDIR:-/tmp}/pki-t.XXXXXX") || exit 1
HOME=$TRASH/home
GNUPGHOME=$TRASH/g
REPO=$TRASH/m
mkdir -p "$HOME" && mkdir -m 700 "$GNUPGHOME"
export HOME GNUPGHOME
GIT_CONFIG_NOSYSTEM=1
export GIT_CONFIG_NOSYSTEM
cd "$TRASH" || exit 1

# VALGRIND=1 (make check VALGRIND=1): every pki command runs under
# valgrind's memcheck, through a wrapper first on PATH.  A memory error
# or a definite leak in the command's own process makes it exit 99 with
# valgrind's report on stderr.  (Not --error-exitcode: gpgme's forked
# helpers would run the leak check too, on memory their parent's other
# threads own, and fail the spawn.)  Suppressions: t/valgrind.supp.
if [ "${VALGRIND:-}" = 1 ]; then
	mkdir -p "$TRASH/vg-bin" "$TRASH/vg" || exit 1
	for _b in "$SRC/$BUILD"/bin/pki*; do
		cat >"$TRASH/vg-bin/${_b##*/}" <<-EOF || exit 1
		#!/bin/sh
		log=$TRASH/vg/\$\$
		valgrind --log-file="\$log" --child-silent-after-fork=yes \\
			--leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite \\
			--suppressions="$TEST_DIRECTORY/valgrind.supp" "$_b" "\$@"
		rc=\$?
		if ! grep -q "ERROR SUMMARY: 0 errors" "\$log"; then
			cat "\$log" >&2
			exit 99
		fi
		rm -f "\$log"
		exit \$rc
		EOF
		chmod +x "$TRASH/vg-bin/${_b##*/}" || exit 1
	done
	PATH=$TRASH/vg-bin:$PATH
fi

# The fixed clock (like git's test_tick): every change moves it a minute.
test_clock=$(date -u -d 2026-03-02T09:00:00Z +%s)
test_tick() {
	test_clock=$((test_clock + ${1:-60}))
	PKI_DATE=$(date -u -d "@$test_clock" +%Y-%m-%dT%H:%M:%SZ)
	GIT_COMMITTER_DATE="$test_clock +0000"
	GIT_AUTHOR_DATE=$GIT_COMMITTER_DATE
	export PKI_DATE GIT_COMMITTER_DATE GIT_AUTHOR_DATE
}
test_tick 0

# at TIME: the clock jumps to TIME (anything date -d reads).
at() {
	test_clock=$(date -u -d "$1" +%s)
	test_tick 0
}

test_count=0
test_failed=0

say() { printf '# %s\n' "$*"; }

# The body runs in this shell, as in git's test library, so what it sets
# (variables, the clock) carries on to later tests; "return 1" ends it.
test_eval_() {
	eval "$1"
}

# PKI_SKIP_TESTS: globs of SCRIPT.N (as git's GIT_SKIP_TESTS) for tests
# to skip, e.g. one timed for native speed under VALGRIND=1.
test_skipped_() {
	for _skip in ${PKI_SKIP_TESTS:-}; do
		case $TEST_NAME.$test_count in
		$_skip) return 0 ;;
		esac
	done
	return 1
}

test_expect_success() {
	test_count=$((test_count + 1))
	if test_skipped_; then
		printf 'ok %d # skip %s (PKI_SKIP_TESTS)\n' "$test_count" "$1"
		return 0
	fi
	if test_eval_ "$2" >"$TRASH/.out" 2>&1; then
		printf 'ok %d - %s\n' "$test_count" "$1"
	else
		test_failed=$((test_failed + 1))
		printf 'not ok %d - %s\n' "$test_count" "$1"
		sed 's/^/#   /' "$TRASH/.out"
	fi
	cd "$TRASH" || exit 1
}

test_done() {
	printf '1..%d\n' "$test_count"
	for _g in "$GNUPGHOME" "$TRASH"/k.*; do
		[ -d "$_g" ] && GNUPGHOME=$_g gpgconf --kill all >/dev/null 2>&1
	done
	cd / || exit 1
	if [ "$test_failed" -eq 0 ]; then
		rm -rf "$TRASH"
		exit 0
	fi
	say "$test_failed of $test_count failed; trash kept in $TRASH"
	exit 1
}

# A failure, but not a crash: a signal or a missing command is not "fails".
test_must_fail() {
	"$@"
	rc=$?
	if [ $rc -eq 0 ]; then
		echo "test_must_fail: '$*' succeeded"
		return 1
	elif [ $rc -gt 128 ] || [ $rc -eq 127 ] || [ $rc -eq 126 ]; then
		echo "test_must_fail: '$*' died with $rc"
		return 1
	fi
	return 0
}

test_expect_code() {
	want=$1
	shift
	"$@"
	rc=$?
	[ $rc -eq "$want" ] && return 0
	echo "test_expect_code: '$*' exited $rc, wanted $want"
	return 1
}

test_cmp() {
	diff -u "$1" "$2"
}

# --- keys ---

# fpr NAME: the fingerprint of a fixture key.
fpr() {
	awk -v n="$1" '$1 == n { print $2 }' "$FIXTURES/fingerprints"
}

# as NAME CMD...: run CMD acting with NAME's key.
as() {
	_as=$1
	shift
	PKI_KEY=$(fpr "$_as") "$@"
}

# Every fixture key, public and secret, in this script's keyring.
import_keys() {
	cat "$FIXTURES"/keys/*.asc | gpg --batch --quiet --import 2>/dev/null
}

# keyring NAME: a GNUPGHOME holding NAME's secret key alone (printed).
keyring() {
	_k=$TRASH/k.$1
	if [ ! -d "$_k" ]; then
		mkdir -m 700 "$_k"
		GNUPGHOME=$_k gpg --batch --quiet --import "$FIXTURES/keys/$1.sec.asc" 2>/dev/null
	fi
	echo "$_k"
}

# reader NAME: a GNUPGHOME holding NAME's secret key and the fixture
# public keys, so that an exported copy's signature checks (printed).
reader() {
	_k=$TRASH/r.$1
	if [ ! -d "$_k" ]; then
		mkdir -m 700 "$_k"
		cat "$FIXTURES/keys/$1.sec.asc" "$FIXTURES"/keys/*.pub.asc |
			GNUPGHOME=$_k gpg --batch --quiet --import 2>/dev/null
	fi
	echo "$_k"
}

# decrypt_as NAME FILE: stock gpg, with NAME's secret key only.
decrypt_as() {
	GNUPGHOME=$(reader "$1") gpg --batch --quiet --decrypt "$2" 2>/dev/null
}

# agents_under DIR: is a gpg-agent running for a GnuPG home below DIR?
# (/proc, not pgrep: procps is not in a minimal Debian.)
agents_under() {
	for _p in /proc/[0-9]*/cmdline; do
		tr '\0' ' ' 2>/dev/null <"$_p" | grep -q "^gpg-agent --homedir $1/" && return 0
	done
	return 1
}

import_keys

# --- repositories ---

# The state a refused command must leave untouched.
repo_state() {
	git -C "${1:-$REPO}" rev-parse -q --verify HEAD
	git -C "${1:-$REPO}" for-each-ref
	git -C "${1:-$REPO}" status --porcelain --untracked-files=all --ignored
}

# expect_refusal CODE CMD...: CMD exits CODE with exactly one line on
# stderr (kept in $TRASH/err) and changes nothing in $REPO.
expect_refusal() {
	_code=$1
	shift
	_before=$(repo_state)
	"$@" >"$TRASH/out" 2>"$TRASH/err"
	_rc=$?
	cat "$TRASH/err"
	if [ $_rc -ne "$_code" ]; then
		echo "expect_refusal: '$*' exited $_rc, wanted $_code"
		return 1
	fi
	if [ "$(wc -l <"$TRASH/err")" -ne 1 ]; then
		echo "expect_refusal: stderr is not one line"
		return 1
	fi
	if [ "$_before" != "$(repo_state)" ]; then
		echo "expect_refusal: the repository changed"
		return 1
	fi
}

# Every commit is signed, verifies with stock git, and fsck is clean.
verify_history() {
	git -C "${1:-$REPO}" fsck --strict --no-dangling >/dev/null 2>&1 ||
		{ git -C "${1:-$REPO}" fsck --strict --no-dangling; return 1; }
	for _c in $(git -C "${1:-$REPO}" rev-list HEAD); do
		git -C "${1:-$REPO}" verify-commit "$_c" 2>/dev/null ||
			{ echo "commit $_c does not verify"; return 1; }
	done
}

# mission: a repository at $REPO with the fixture principals:
#   hom (init), chair, jmac (JMAC analyst), fc (FORCE), police (POLICE,
#   confidential, crime), undss, archives, auditor; unct (un),
#   hoststate (non-un), fama (security-force).
mission() {
	as hom pki-init -m UNMISS -n "UN Mission in South Sudan" -e OSRSG -p hom "$REPO" || return 1
	test_tick
	add_principal chair CMPIC mission chair strictly-confidential '*' &&
	add_principal jmac JMAC mission member strictly-confidential 'poc;force-protection;crime' &&
	add_principal fc FORCE mission member strictly-confidential 'force-protection;poc' &&
	add_principal police POLICE mission member confidential 'crime' &&
	add_principal undss UNDSS mission undss strictly-confidential 'safety;force-protection' &&
	add_principal archives ARMS un archives strictly-confidential '*' &&
	add_principal auditor OIOS un auditor unclassified '' &&
	add_principal unct UNCT un external confidential '' &&
	add_principal hoststate HOST non-un external confidential '' &&
	add_principal fama FAMA security-force external confidential ''
}

# add_principal NAME ENTITY TYPE ROLE CLEARANCE AREAS (as hom)
add_principal() {
	as hom pki-matrix -C "$REPO" add "$1" --key "$FIXTURES/keys/$1.pub.asc" \
		--entity "$2" --type "$3" --role "$4" --clearance "$5" --areas "$6" || return 1
	test_tick
}
