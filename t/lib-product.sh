# t/lib-product.sh: checks on products and the registry with independent
# tools (stock gpg, xmllint, Python's csv), for the 1xxx, 2xxx and 6100
# scripts.  Source it after lib.sh.

# Every fixture principal with a secret key.
EVERYONE="hom chair jmac fc police undss archives auditor unct hoststate fama mallory"

# product_file ID EXT: the path of a product's file in $REPO (at the tip).
product_file() {
	_pf=$(git -C "$REPO" ls-tree -r --name-only HEAD products | grep "/$1\.$2\$") || {
		echo "no $2 file for $1" >&2
		return 1
	}
	echo "$REPO/$_pf"
}

# readers_are ID "NAME...": stock gpg, each principal with a keyring of its
# own, decrypts the product for exactly the names given.
readers_are() {
	_f=$(product_file "$1" gpg) || return 1
	for _n in $EVERYONE; do
		case " $2 " in
		*" $_n "*)
			decrypt_as "$_n" "$_f" >/dev/null ||
				{ echo "$_n cannot read $1"; return 1; } ;;
		*)
			decrypt_as "$_n" "$_f" >/dev/null &&
				{ echo "$_n can read $1"; return 1; } ;;
		esac
	done
	return 0
}

# list_of ID: the distribution list on the label, one line, space-separated.
list_of() {
	_l=$(product_file "$1" xml) || return 1
	xmllint --xpath '//*[local-name()="distribution"]/*/text()' "$_l" 2>/dev/null |
		tr '\n' ' ' | sed 's/ $//'
	echo
}

# label_field ID NAME: the text of one element of the label.
label_field() {
	_l=$(product_file "$1" xml) || return 1
	xmllint --xpath "string(//*[local-name()=\"$2\"])" "$_l"
}

# labels_valid: xmllint accepts every label, and each binds its ciphertext
# (but a disposed material's, which has none).
labels_valid() {
	for _x in $(git -C "$REPO" ls-tree -r --name-only HEAD products | grep '\.xml$'); do
		xmllint --noout --schema "$SRC/share/pki/label.xsd" "$REPO/$_x" 2>/dev/null ||
			{ xmllint --noout --schema "$SRC/share/pki/label.xsd" "$REPO/$_x"; return 1; }
		# A disposed material's ciphertext has left the tree.
		[ -n "$(xmllint --xpath 'string(//*[local-name()="disposed"])' "$REPO/$_x")" ] &&
			continue
		_want=$(xmllint --xpath 'string(//*[local-name()="binding"])' "$REPO/$_x")
		_got=$(sha256sum <"$REPO/${_x%.xml}.gpg" | cut -d" " -f1)
		[ "$_want" = "$_got" ] || { echo "$_x does not bind its ciphertext"; return 1; }
	done
}

# shards_read: Python's csv reads every registry shard, 13 columns a row,
# with the header of pki-files(5) (medium last).
shards_read() {
	python3 - "$REPO"/registry/*.csv <<-'EOF'
	import csv, sys
	head = "event,time,action,product,level,actor,recipient,authority,justification,hrddp,arrangement,reference,medium".split(",")
	for path in sys.argv[1:]:
	    with open(path, newline="", encoding="utf-8") as f:
	        rows = list(csv.reader(f, strict=True))
	    assert rows[0] == head, (path, rows[0])
	    for r in rows[1:]:
	        assert len(r) == 13, (path, r)
	EOF
}

# row ACTION PRODUCT: the registry rows of one action on one product, as
# "actor|recipient|authority|justification|reference" lines.
row() {
	python3 - "$1" "$2" "$REPO"/registry/*.csv <<-'EOF'
	import csv, sys
	action, product = sys.argv[1], sys.argv[2]
	for path in sys.argv[3:]:
	    for r in csv.DictReader(open(path, newline="", encoding="utf-8")):
	        if r["action"] == action and r["product"] == product:
	            print("|".join(r[k] for k in ("actor", "recipient", "authority", "justification", "reference")))
	EOF
}

# no_marker TEXT: TEXT is in no git object, no file of .git and no file
# under $TMPDIR.
no_marker() {
	if git -C "$REPO" cat-file --batch-all-objects --batch | grep -a -q "$1"; then
		echo "'$1' is in a git object"
		return 1
	fi
	if grep -r -a -q "$1" "$REPO/.git" 2>/dev/null; then
		echo "'$1' is in a file under .git"
		return 1
	fi
	if grep -r -a -q "$1" "$TMPDIR" 2>/dev/null; then
		echo "'$1' is in a file under $TMPDIR"
		return 1
	fi
	return 0
}

# The commands' temporary files, if any, go here, to be searched.
TMPDIR=$TRASH/tmp
mkdir -p "$TMPDIR"
export TMPDIR

# product_done: stop the gpg-agents of the keyrings made here, then test_done.
product_done() {
	for _g in "$TRASH"/k.* "$TRASH"/bare; do
		[ -d "$_g" ] && GNUPGHOME=$_g gpgconf --kill all >/dev/null 2>&1
	done
	test_done
}

# --- three months of registry, for the listing tests ---

MONTH=2678400	# 31 days

# list ARGS...: pki-register as someone holding no key at all.
list() {
	env -u PKI_KEY GNUPGHOME="$TRASH/nokeys" pki-register "$@"
}

# three_months: $REPO with rows in three monthly shards: p1 (classified,
# then declassified a month later), p2 (a safety product), r1 (received),
# p4 (two months on).
three_months() {
	mission &&
	mkdir -m 700 "$TRASH/nokeys" &&
	p1=$(echo one | as jmac pki-classify -C "$REPO" -l confidential -c c -a poc) &&
	test_tick &&
	p2=$(echo two | as fc pki-classify -C "$REPO" --safety) &&
	test_tick $MONTH &&
	as jmac pki-classify -C "$REPO" --change "$p1" -l unclassified >/dev/null &&
	test_tick &&
	r1=$(echo three | as chair pki-register -C "$REPO" --receive --from "Member State A" --ref "MS-A/1" -l confidential -c a) &&
	test_tick $MONTH &&
	p4=$(echo four | as police pki-classify -C "$REPO" -l confidential -c d) &&
	test_tick &&
	ls "$REPO/registry" >"$TRASH/shards" &&
	printf "2026-03.csv\n2026-04.csv\n2026-05.csv\n" >"$TRASH/expect" &&
	test_cmp "$TRASH/expect" "$TRASH/shards"
}

# requirements N [REPO]: N priority requirements added by hom, owned by
# jmac: UNMISS-IR-0001 .. in a fresh mission (pki-ir(1)).
requirements() {
	_i=0
	while [ "$_i" -lt "$1" ]; do
		_i=$((_i + 1))
		echo "requirement $_i" | as hom pki-ir -C "${2:-$REPO}" add -k pir --owner jmac >/dev/null ||
			return 1
		test_tick
	done
}
