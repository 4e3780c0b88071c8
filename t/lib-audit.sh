# t/lib-audit.sh: what the pki-audit tests share; sourced after lib.sh.
#
# history builds a clean mission history with every kind of change the
# tools make; each tampering then happens in a fresh clone of it, with
# stock git and gpg only, as an insider would do it.

# git_as NAME ARGS...: stock git, authoring and signing as NAME's key.
git_as() {
	_n=$1
	shift
	git -c user.name="$_n" -c user.email="$_n@mission.example" \
		-c user.signingkey="$(fpr "$_n")" "$@"
}

# history: $REPO with products of every kind and every action on them:
#   A  jmac's, confidential (poc;crime), shared, exported, revoked,
#      reclassified, with a review date
#   B  fc's safety product (reached undss by the rule)
#   U  police's, unclassified
#   X  received by chair from a Member State (originator control)
history() {
	mission &&
	A=$(echo alpha | as jmac pki-classify -C "$REPO" -l confidential -c c \
		-a "poc;crime" --review 2026-09-01) && test_tick &&
	B=$(echo bravo | as fc pki-classify -C "$REPO" -l strictly-confidential -c b \
		-a force-protection --safety) && test_tick &&
	U=$(echo uniform | as police pki-classify -C "$REPO") && test_tick &&
	X=$(echo xray | as chair pki-register -C "$REPO" --receive --from "Member State X" \
		--ref MS-1 -l confidential -c a -a poc) && test_tick &&
	as jmac pki-share -C "$REPO" "$A" fc -j "force protection planning" && test_tick &&
	D=$(as jmac pki-matrix -C "$REPO" delegate fc --power disseminate --scope poc \
		--ref "JMAC note 1") && test_tick &&
	as fc pki-share -C "$REPO" "$A" police -j "relay" --authority "$D" && test_tick &&
	as hom pki-share -C "$REPO" "$A" fama -j "mandate: protection of civilians" \
		--hrddp HRDDP-2026-01 --arrangement ARR-1 -o "$TRASH/copy1.gpg" && test_tick &&
	E=$(as hom pki-matrix -C "$REPO" delegate jmac --power share-external \
		--until 2026-04-30 --ref "HoM memo 2026/14") && test_tick &&
	as jmac pki-share -C "$REPO" "$A" unct -j "UNCT coordination" -o "$TRASH/copy2.gpg" &&
	test_tick &&
	as hom pki-share -C "$REPO" "$X" hoststate -j "mandate" --arrangement ARR-2 \
		--consent MS-X-OK -o "$TRASH/copy3.gpg" && test_tick &&
	as jmac pki-share -C "$REPO" --revoke "$A" fc && test_tick &&
	as jmac pki-classify -C "$REPO" --change "$A" -l strictly-confidential -c c && test_tick &&
	as hom pki-matrix -C "$REPO" remove police && test_tick
}

# tamper: a fresh clone of $REPO at $TRASH/c, for one tampering.
tamper() {
	rm -rf "$TRASH/c" &&
	git clone -q "$REPO" "$TRASH/c" &&
	pin "$TRASH/c" &&
	test_tick
}

# pin CLONE: the auditor pins the mission's root in its clone, as given
# by the mission (pki-init pins it in the repository it makes).
pin() {
	git -C "$1" config pki.root "$(git -C "$REPO" config pki.root)"
}

# product_file ID EXT: a product's file in the clone; product_path: the
# same, inside the repository.
product_file() {
	echo "$TRASH"/c/products/*/"$1.$2"
}
product_path() {
	product_file "$@" | sed "s|^$TRASH/c/||"
}

# expect_finding CODE [CODE...]: pki-audit of the clone exits 1 and
# reports each CODE as an error (findings kept in $TRASH/findings).
expect_finding() {
	test_expect_code 1 pki-audit -C "$TRASH/c" >"$TRASH/findings" 2>"$TRASH/err"
	_rc=$?
	cat "$TRASH/findings" "$TRASH/err"
	[ $_rc -eq 0 ] || return 1
	for _code in "$@"; do
		grep -q "^error $_code " "$TRASH/findings" ||
			{ echo "expect_finding: no error $_code"; return 1; }
	done
}

# auditor_home DIR [FILE...]: a fresh GnuPG home at $TRASH/k.DIR holding
# the FILEs (keys, revocation certificates); printed.
auditor_home() {
	_h=$TRASH/k.$1
	shift
	rm -rf "$_h" && mkdir -m 700 "$_h" || return 1
	for _f in "$@"; do
		GNUPGHOME=$_h gpg --batch --quiet --import "$_f" 2>/dev/null || return 1
	done
	echo "$_h"
}

# audit_with HOME: pki-audit of the clone with the keyring HOME, findings
# in $TRASH/findings; its exit status.
audit_with() {
	GNUPGHOME=$1 pki-audit -C "$TRASH/c" >"$TRASH/findings" 2>"$TRASH/err"
	_rc=$?
	cat "$TRASH/findings" "$TRASH/err"
	return $_rc
}
