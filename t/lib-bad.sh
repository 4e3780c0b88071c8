# t/lib-bad.sh: what the bad-input scripts (82xx) share; sourced after
# lib.sh.  pki(7), "Safe with bad input": each bad input gets one clear
# line on stderr, a documented exit code, and no change.

# ascii_err: the one line a refusal left in $TRASH/err is printable
# ASCII: nothing the input held reaches the terminal raw.
ascii_err() {
	[ -z "$(LC_ALL=C tr -d '\n -~' <"$TRASH/err")" ] && return 0
	echo "stderr holds a byte that is not printable ASCII:"
	od -c "$TRASH/err" | head -5
	return 1
}

# refused CODE CMD...: CMD exits CODE with one line of printable ASCII on
# stderr (kept in $TRASH/err).  Whether the repository changed is checked
# by the caller: before=$(repo_state) ... unchanged.
refused() {
	_code=$1
	shift
	"$@" >"$TRASH/out" 2>"$TRASH/err"
	_rc=$?
	if [ $_rc -ne "$_code" ] || [ "$(wc -l <"$TRASH/err")" -ne 1 ]; then
		cat "$TRASH/err"
		echo "refused: '$*' exited $_rc with $(wc -l <"$TRASH/err") lines, wanted $_code and 1"
		return 1
	fi
	ascii_err
}

# refusal CODE CMD...: expect_refusal (one line, CODE, $REPO unchanged),
# in printable ASCII.
refusal() {
	expect_refusal "$@" && ascii_err
}

# audit_finds CODE: pki-audit of $REPO exits 1, says nothing on stderr,
# and reports the error CODE among its findings.
audit_finds() {
	pki-audit -C "$REPO" >"$TRASH/findings" 2>"$TRASH/err"
	_rc=$?
	if [ $_rc -ne 1 ] || [ -s "$TRASH/err" ] || ! grep -q "^error $1 " "$TRASH/findings"; then
		cat "$TRASH/findings" "$TRASH/err"
		echo "audit_finds: exited $_rc, wanted 1 with error $1"
		return 1
	fi
}

# unchanged: $REPO is as $before=$(repo_state) found it.
unchanged() {
	[ "$before" = "$(repo_state)" ] && return 0
	echo "the repository changed"
	return 1
}

# Free text that no field takes: control characters (C0, DEL, C1), line
# breaks, invalid UTF-8 (a stray byte, an overlong form, a surrogate),
# and more than any field allows.  each_bad VAR CMD... runs CMD once for
# each, with $VAR set to it.
bad_tab=$(printf 'a\tb')
bad_nl=$(printf 'a\nb')
bad_cr=$(printf 'a\rb')
bad_esc=$(printf 'a\033[2Jb')
bad_del=$(printf 'a\177b')
bad_c1=$(printf 'a\302\233b')
bad_byte=$(printf 'a\377b')
bad_overlong=$(printf 'a\300\257b')
bad_surrogate=$(printf 'a\355\240\200b')
bad_long=$(printf '%5000s' | tr ' ' a)
BAD="tab nl cr esc del c1 byte overlong surrogate long"

each_bad() {
	_var=$1
	shift
	for _b in $BAD; do
		eval "$_var=\$bad_$_b"
		"$@" || { echo "each_bad: failed with the '$_b' value"; return 1; }
	done
}

# tamper FILE CMD...: a fresh clone of $ORIG at $TRASH/c (with its
# entity setting) whose FILE, replaced by what CMD prints (run in the
# clone, the old FILE still there), is committed with stock git, as an
# insider would do it.  REPO then names the clone.
tamper() {
	_f=$1
	shift
	rm -rf "$TRASH/c" &&
	git clone -q "$ORIG" "$TRASH/c" &&
	git -C "$TRASH/c" config pki.entity "$(git -C "$ORIG" config pki.entity)" &&
	mkdir -p "$(dirname "$TRASH/c/$_f")" &&
	(cd "$TRASH/c" && "$@") >"$TRASH/c/.new" &&
	mv "$TRASH/c/.new" "$TRASH/c/$_f" &&
	git -C "$TRASH/c" add "$_f" &&
	git -C "$TRASH/c" -c user.name=x -c user.email=x@x commit -q -m "hand edit" &&
	REPO=$TRASH/c
}

# line N SED-SCRIPT FILE: FILE with sed's script applied to line N only.
line() {
	sed "$1$2" "$3"
}
