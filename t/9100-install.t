#!/bin/sh
# make install / uninstall: working tools that find their data through the
# path compiled in at build time, man pages, and bash completion.
. "$(dirname "$0")/lib.sh"

# A build of our own, for a PREFIX in the trash: PKI_SHAREDIR is compiled
# in, so the tools must be built for the prefix they are installed to.
# Nothing of the outer make (SANITIZE=1, -j) leaks in.
unset MAKEFLAGS MFLAGS MAKELEVEL
P=$TRASH/p
B=$TRASH/build
TOOLS=$(cd "$SRC/cmd" && ls *.c | sed 's/\.c$//')
MAKE_ARGS="-s -C $SRC BUILD=$B PREFIX=$P CFLAGS=-O0"

# Run as a user would: no PKI_SHAREDIR, the installed tools first.
installed() {
	env -u PKI_SHAREDIR PATH="$P/bin:/usr/bin:/bin" "$@"
}

test_expect_success 'make install PREFIX=... builds and installs, and leaves bin/ alone' '
	before=$(readlink "$SRC"/bin/* 2>/dev/null) &&
	make $MAKE_ARGS -j2 install >log 2>&1 || { cat log; return 1; }
	test "$(readlink "$SRC"/bin/* 2>/dev/null)" = "$before"
'

test_expect_success 'every tool is installed and runs' '
	for t in $TOOLS; do
		test -x "$P/bin/$t" || { echo "no $t"; return 1; }
		installed "$t" --version | grep -q "^$t " || return 1
	done &&
	installed pki matrix --version | grep -q "^pki-matrix "
'

test_expect_success 'the data is installed where the tools look for it' '
	for f in "$SRC"/share/pki/*; do
		cmp "$f" "$P/share/pki/${f##*/}" || return 1
	done &&
	grep -l -a "$P/share/pki" "$P"/bin/* >built-in &&
	test -s built-in
'

test_expect_success 'the installed tools make a mission, with no PKI_SHAREDIR' '
	as hom installed pki-init -m UNMISS -e OSRSG m &&
	as hom installed pki-matrix -C m add jmac --key "$FIXTURES/keys/jmac.pub.asc" \
		--entity JMAC --type mission --role member --clearance confidential --areas poc &&
	installed pki matrix -C m list >list &&
	grep -q "^jmac," list &&
	verify_history m
'

# Labels are validated against label.xsd from the data directory when
# they are read: pki-classify --change reads one.
if [ -f "$SRC/cmd/pki-classify.c" ]; then
	test_expect_success 'pki-classify finds label.xsd at the compiled-in path' '
		test_tick &&
		id=$(echo "a report" | as hom installed pki-classify -C m -l unclassified) &&
		test_tick &&
		as hom installed pki-classify -C m --change "$id" -l confidential -c b >out &&
		test "$(cat out)" = "$id" &&
		xmllint --noout --schema "$P/share/pki/label.xsd" m/products/*/"$id.xml"
	'

	test_expect_success 'and fails without it: the path is really used' '
		mv "$P/share/pki" "$P/share/pki.away" &&
		test_tick &&
		as hom installed pki-classify -C m --change "$id" -l strictly-confidential -c b >out 2>err;
		rc=$?
		mv "$P/share/pki.away" "$P/share/pki" &&
		test $rc = 78 &&
		grep -q "$P/share/pki/label.xsd" err
	'
fi

test_expect_success 'every man page is installed, and renders' '
	for m in "$SRC"/doc/*.[157]; do
		page=${m##*/} s=${m##*.} &&
		sed "s,/usr/local/share/pki,$P/share/pki,g" "$m" | cmp - "$P/share/man/man$s/$page" &&
		groff -ww -mandoc -Tascii -P-c -P-b -P-u "$P/share/man/man$s/$page" >out 2>err &&
		test ! -s err &&
		grep -q "^NAME" out || return 1
	done
'

# man-db is not part of a minimal Debian: check with it when it is there.
if command -v man >/dev/null 2>&1; then
	test_expect_success 'man finds every page under PREFIX' '
		for m in "$SRC"/doc/*.[157]; do
			page=${m##*/} s=${m##*.} &&
			MANPATH=$P/share/man man -w "$s" "${page%.*}" >where &&
			grep -q "^$P/share/man/man$s/$page" where || return 1
		done &&
		MANPATH=$P/share/man MANPAGER=cat MANWIDTH=80 man 7 pki 2>err >pki.txt &&
		grep -q "^THE INTELLIGENCE CYCLE" pki.txt
	'
fi

test_expect_success 'bash completion is installed for pki and each tool' '
	C=$P/share/bash-completion/completions &&
	test -f "$C/pki" &&
	for t in $TOOLS; do
		test -e "$C/$t" || { echo "no completion for $t"; return 1; }
		cmp "$C/pki" "$C/$t" || return 1
	done
'

test_expect_success 'the installed completion completes, from a bare bash' '
	cd m &&
	installed bash --norc --noprofile -c ". \"$P/share/bash-completion/completions/pki-matrix\" &&
		complete -p pki-share | grep -q _pki &&
		COMP_WORDS=(pki-matrix remove \"\") COMP_CWORD=2 && _pki &&
		printf \"%s\n\" \"\${COMPREPLY[@]}\"" >"$TRASH/out" &&
	grep -qx jmac "$TRASH/out" && grep -qx hom "$TRASH/out"
'

test_expect_success 'make install DESTDIR=... PREFIX=/usr stages under DESTDIR' '
	make $MAKE_ARGS install DESTDIR=$TRASH/root PREFIX=/usr >log 2>&1 || { cat log; return 1; }
	for t in $TOOLS; do test -x "$TRASH/root/usr/bin/$t" || return 1; done &&
	test -f "$TRASH/root/usr/share/pki/label.xsd" &&
	test -f "$TRASH/root/usr/share/man/man7/pki.7" &&
	test -f "$TRASH/root/usr/share/bash-completion/completions/pki" &&
	test -z "$(find "$TRASH/root" -path "$TRASH/root/usr" -prune -o -print | grep -vx "$TRASH/root")"
'

test_expect_success 'make uninstall removes all it installed' '
	make $MAKE_ARGS uninstall >log 2>&1 || { cat log; return 1; }
	find "$P" ! -type d >left &&
	test ! -s left || { cat left; return 1; }
	make $MAKE_ARGS uninstall DESTDIR=$TRASH/root PREFIX=/usr >log 2>&1 || { cat log; return 1; }
	find "$TRASH/root" ! -type d >left &&
	test ! -s left || { cat left; return 1; }
'

test_done
