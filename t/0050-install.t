#!/bin/sh
# make install PREFIX=... after a build for the default prefix: the tools
# are rebuilt for the prefix installed to, so pki-audit finds its schemas;
# a tree installed and then moved finds its data beside its bin/; the man
# pages name the installed paths.
. "$(dirname "$0")/lib.sh"

# A build directory of our own (bin/ and build/default are the suite's);
# nothing of the outer make leaks in.
unset MAKEFLAGS MFLAGS MAKELEVEL
B=$TRASH/build
P=$TRASH/opt
TOOLS=$(cd "$SRC/cmd" && ls *.c | sed 's/\.c$//')
BINS=$(for t in $TOOLS; do printf "%s " "$B/bin/$t"; done)

# As a user would run them: no PKI_SHAREDIR, the given tools first.
run_from() {
	_d=$1
	shift
	env -u PKI_SHAREDIR PATH="$_d/bin:/usr/bin:/bin" "$@"
}

test_expect_success 'a default build, then make install PREFIX=...: rebuilt for the prefix' '
	make -s -C "$SRC" BUILD="$B" CFLAGS=-O0 -j2 $BINS >log 2>&1 || { cat log; return 1; }
	grep -a -q /usr/local/share/pki "$B/bin/pki-audit" &&
	make -s -C "$SRC" BUILD="$B" CFLAGS=-O0 PREFIX="$P" -j2 install >log 2>&1 ||
		{ cat log; return 1; }
	grep -a -q "$P/share/pki" "$P/bin/pki-audit" &&
	! grep -a -q /usr/local/share/pki "$P/bin/pki-audit"
'

test_expect_success 'the installed pki-audit checks a mission (it finds its schemas)' '
	as hom run_from "$P" pki-init -m UNMISS -e OSRSG m &&
	test_tick &&
	echo "a report" | as hom run_from "$P" pki-classify -C m -l confidential -c c >id &&
	run_from "$P" pki-audit -C m >out 2>err &&
	test ! -s out && test ! -s err &&
	run_from "$P" pki-audit -C m --format xml >audit.xml &&
	xmllint --noout --schema "$P/share/pki/audit.xsd" audit.xml
'

test_expect_success 'an installed tree moved elsewhere finds its data beside its bin/' '
	mv "$P" "$TRASH/moved" &&
	run_from "$TRASH/moved" pki-audit -C m >out 2>err
	rc=$?
	mv "$TRASH/moved" "$P" &&
	test $rc = 0 && test ! -s out && test ! -s err
'

test_expect_success 'the man pages name the installed data directory' '
	grep -q "$P/share/pki" "$P/share/man/man1/pki.1" &&
	grep -q "$P/share/pki/audit.xsd" "$P/share/man/man1/pki-audit.1" &&
	! grep -q /usr/local/share/pki "$P"/share/man/man*/*
'

test_expect_success 'make with the same prefix again rebuilds nothing' '
	make -C "$SRC" BUILD="$B" CFLAGS=-O0 PREFIX="$P" $BINS >log 2>&1 &&
	! grep -q "^cc \|^ar " log
'

test_done
