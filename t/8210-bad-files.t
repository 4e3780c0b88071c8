#!/bin/sh
# Bad files (pki(7), "Safe with bad input"): the repository's own files
# broken by hand and committed with stock git, as an insider or a bad
# merge would leave them: access-matrix.csv, delegations.csv, registry
# shards, labels (malformed, schema-invalid, entity tricks, deep nesting),
# keys, pki.conf; directories that are no pki repository; and symbolic
# links planted where the tools write.  The tools refuse with one line
# and change nothing (65 bad data, 66 no input, 74 I/O, 78 configuration);
# the audit reports what it finds and exits 1.
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-bad.sh"

IN=$TRASH/in

test_expect_success 'setup: a mission and a product' '
	mission &&
	ORIG=$REPO &&
	echo "patrol report" >"$IN" &&
	P=$(as jmac pki-classify -C "$REPO" -l confidential -c c -a poc "$IN") &&
	test_tick &&
	L=$(git -C "$REPO" ls-tree -r --name-only HEAD products | grep "/$P\.xml$") &&
	S=$(git -C "$REPO" ls-tree -r --name-only HEAD registry) &&
	test -n "$L" && test -n "$S"
'

# --- the access matrix ---

M=access-matrix.csv

# matrix_broken FUNC: access-matrix.csv as FUNC prints it is refused by a
# writer and a reader (65).  (The audit's finding is checked for some.)
matrix_broken() {
	tamper $M "$@" &&
	refusal 65 as jmac pki-classify -C "$REPO" -l confidential -c c -a poc "$IN" &&
	grep -q "$M" err &&
	refused 65 pki-matrix -C "$REPO" list ||
		{ echo "with the matrix of $*"; return 1; }
}

chair_row() {
	sed "/^\"chair\"/$1" $M
}
m_header() { printf '"principal","fingerprint"\r\n'; }
m_bom() { printf '\357\273\277'; cat $M; }
m_open_quote() { cat $M; printf '"x\r\n'; }
m_width() { cat $M; printf '"a","b"\r\n'; }
m_dup() { cat $M; sed -n '/^"chair"/p' $M; }
m_dup_key() { cat $M; sed -n '/^"chair"/s/^"chair"/"chair2"/p' $M; }
m_long() { chair_row "s/CMPIC/$(printf '%5000s' | tr ' ' A)/"; }

test_expect_success 'access-matrix.csv: broken CSV (65; audit A108)' '
	matrix_broken m_header &&
	audit_finds A108 &&
	matrix_broken m_bom &&
	matrix_broken chair_row "s/CMPIC/CM\x00PIC/" &&
	audit_finds A108 &&
	matrix_broken chair_row "s/CMPIC/CM\rPIC/" &&
	matrix_broken chair_row "s/^/\r\n/" &&
	matrix_broken m_open_quote &&
	matrix_broken chair_row "s/^\"chair\"/\"chair\"x/" &&
	matrix_broken m_width &&
	matrix_broken chair_row "s/CMPIC/CM\xffPIC/" &&
	matrix_broken chair_row "s/CMPIC/CM\x1b[2JPIC/" &&
	matrix_broken m_long
'

test_expect_success 'access-matrix.csv: rows that break its rules (65; audit A108)' '
	matrix_broken chair_row "s/,\"[0-9A-F]\{40\}\",/,\"00\",/" &&
	matrix_broken chair_row "s/strictly-confidential/secret/" &&
	audit_finds A108 &&
	matrix_broken chair_row "s/\"mission\"/\"martian\"/" &&
	matrix_broken chair_row "s/\"chair\",\"strictly/\"king\",\"strictly/" &&
	matrix_broken chair_row "s/\"2026-03-02\"/\"2026-02-30\"/" &&
	matrix_broken chair_row "s/,\"\"\r\$/,\"2020-01-01\"\r/" &&
	matrix_broken m_dup &&
	audit_finds A108 &&
	matrix_broken m_dup_key &&
	matrix_broken chair_row "s/^\"chair\"/\"..\/x\"/" &&
	matrix_broken chair_row "s/^\"chair\"/\"=cmd\"/" &&
	matrix_broken chair_row "s/CMPIC/cmpic/"
'

m_huge() { head -c 17000000 /dev/zero | tr '\000' a; }

test_expect_success 'access-matrix.csv: larger than any matrix may be (65)' '
	tamper $M m_huge &&
	refusal 65 as jmac pki-classify -C "$REPO" -l confidential -c c -a poc "$IN" &&
	grep -q "larger than" err
'

# --- the delegations ---

deleg_broken() {
	tamper delegations.csv "$@" &&
	refusal 65 as jmac pki-share -C "$REPO" "$P" fc &&
	grep -q "delegations.csv" err &&
	audit_finds A108 &&
	grep -q "^error A108 .*delegations.csv" findings ||
		{ echo "with the delegations of $*"; return 1; }
}

# d_row SED-SCRIPT: the header and one good row, edited by the script.
d_row() {
	printf '"delegation","grantor","grantee","power","scope","valid_from","valid_until","reference"\r\n'
	printf '"DLG-0123456789","hom","jmac","share-external","*","2026-01-01","","memo"\r\n' | sed "$1"
}
d_header() { printf '"delegation"\r\n'; }
d_nul() { printf 'x\000y'; }
d_dup() { d_row ""; d_row "" | sed 1d; }

test_expect_success 'delegations.csv: broken, or rows that break its rules (65; audit A108)' '
	deleg_broken d_header &&
	deleg_broken d_nul &&
	deleg_broken d_row "s/share-external/fly/" &&
	deleg_broken d_row "s/\"hom\"/\"..\/x\"/" &&
	deleg_broken d_row "s/2026-01-01/2026-02-30/" &&
	deleg_broken d_row "s/\"\",\"memo\"/\"2025-01-01\",\"memo\"/" &&
	deleg_broken d_dup &&
	deleg_broken d_row "s/\r\$/,\"x\"\r/" &&
	deleg_broken d_row "s/memo/me\xc2\x9bmo/"
'

# --- the registry ---

shard_broken() {
	tamper "$S" "$@" &&
	refusal 65 as jmac pki-share -C "$REPO" "$P" fc &&
	grep -q "$S" err &&
	refused 65 pki-register -C "$REPO" ||
		{ echo "with the shard of $*"; return 1; }
}

s_width() { cat "$S"; printf '"a","b"\r\n'; }
s_open_quote() { cat "$S"; printf '"a\r\n'; }
s_nul() { cat "$S"; printf 'x\000y\r\n'; }
s_bad_time() { cat "$S"; sed -n 2p "$S" | sed 's/,"2026-[0-9T:-]*Z",/,"2026-13-45T00:00:00Z",/'; }

test_expect_success 'registry shards: broken CSV is appended to by no one (65; audit A206)' '
	shard_broken s_width &&
	audit_finds A206 &&
	shard_broken s_open_quote &&
	shard_broken s_nul &&
	audit_finds A206 &&
	shard_broken sed "2s/confidential/conf\xffidential/" "$S" &&
	shard_broken sed "1s/event/evt/" "$S"
'

s_bad_product() { cat "$S"; sed -n 2p "$S" | sed 's/,"UNMISS-[A-Z0-9-]*",/,"..\/x",/'; }

test_expect_success 'registry shards: a row with a bad time or product is refused, or a finding' '
	tamper "$S" s_bad_time &&
	refusal 65 pki-register -C "$REPO" &&
	grep -q "invalid date" err &&
	audit_finds A206 &&
	tamper "$S" s_bad_product &&
	audit_finds A206 &&
	grep -q "invalid product ID" findings
'

# --- labels ---

label_broken() {
	tamper "$L" "$@" &&
	refusal 65 as jmac pki-share -C "$REPO" "$P" fc &&
	grep -q "$P" err &&
	refused 65 as jmac pki-classify -C "$REPO" --change "$P" -l strictly-confidential ||
		{ echo "with the label of $*"; return 1; }
}

l_sed() {
	sed "$1" "$L"
}
l_open() { echo "<label"; }
l_bom_open() { printf '\357\273\277<label\n'; }
l_utf16() { iconv -f UTF-8 -t UTF-16 "$L"; }
l_xxe() {
	printf '<?xml version="1.0"?>\n<!DOCTYPE label [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
	printf '<label xmlns="urn:x-pki:label:1"><id>&x;</id></label>\n'
}
l_laughs() {
	printf '<?xml version="1.0"?>\n<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
	printf '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>\n'
	printf '<l>&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;</l>\n'
}
l_deep() {
	printf '<label xmlns="urn:x-pki:label:1">'
	for _i in $(seq 5000); do printf '<a>'; done
	for _i in $(seq 5000); do printf '</a>'; done
	printf '</label>\n'
}
l_big() { head -c 70000 /dev/zero | tr '\000' ' '; cat "$L"; }

test_expect_success 'labels: not XML, not the schema, not this product (65; audit)' '
	label_broken l_open &&
	audit_finds A305 &&
	label_broken l_bom_open &&
	label_broken l_utf16 &&
	label_broken l_sed "s/>confidential</>secret</" &&
	audit_finds A305 &&
	label_broken l_sed "s/urn:x-pki:label:1/urn:x-other:1/" &&
	label_broken l_sed "s,<policy>,<policy/><policy>," &&
	label_broken l_sed "s/<id>$P/<id>..\/..\/x/" &&
	label_broken l_sed "s/<id>$P/<id>UNMISS-OSRSG-2026-999999/" &&
	label_broken l_sed "s/<areas>poc/<areas>\&#x9b;/" &&
	label_broken l_sed "s/<areas>poc/<areas>\&#0;/" &&
	label_broken l_sed "s/<areas>poc/<areas>p\x00oc/" &&
	label_broken l_sed "s/<binding algorithm=\"sha256\">[0-9a-f]*/<binding algorithm=\"sha256\">$(printf "%064d" 0)/" &&
	audit_finds A302
'

test_expect_success 'labels: entity tricks and deep nesting are refused, never expanded (65)' '
	label_broken l_xxe &&
	grep -q "DOCTYPE is not allowed" err &&
	audit_finds A305 &&
	grep -q "DOCTYPE is not allowed" findings &&
	label_broken l_laughs &&
	label_broken l_sed "s,<areas>,<xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"/etc/passwd\" parse=\"text\"/><areas>," &&
	label_broken l_deep &&
	grep -q "nested too deep" err &&
	audit_finds A305 &&
	label_broken l_big &&
	grep -q "larger than" err
'

# --- keys ---

test_expect_success 'keys/<FPR>.asc: no key, or another key, when it has to be imported (65)' '
	ring=$(keyring jmac) &&
	tamper "keys/$(fpr fc).asc" echo garbage &&
	GNUPGHOME=$ring refusal 65 as jmac pki-share -C "$REPO" "$P" fc &&
	grep -q "keys/$(fpr fc).asc" err &&
	audit_finds A105 &&
	tamper "keys/$(fpr fc).asc" cat "$FIXTURES/keys/mallory.pub.asc" &&
	GNUPGHOME=$ring gpgconf --kill all &&
	rm -rf "$ring" && ring=$(keyring jmac) &&
	GNUPGHOME=$ring refusal 65 as jmac pki-share -C "$REPO" "$P" fc &&
	grep -q "holds key $(fpr mallory)" err &&
	audit_finds A105
'

# --- pki.conf and repositories that are not pki repositories ---

test_expect_success 'pki.conf: unreadable, or without a valid mission code (78)' '
	tamper pki.conf printf "[mission\n" &&
	refusal 78 as jmac pki-classify -C "$REPO" -l confidential -c c -a poc "$IN" &&
	tamper pki.conf printf "[mission]\n\tcode = ../X\n" &&
	refusal 78 as jmac pki-classify -C "$REPO" -l confidential -c c -a poc "$IN" &&
	tamper pki.conf printf "" &&
	refusal 78 as jmac pki-classify -C "$REPO" -l confidential -c c -a poc "$IN"
'

test_expect_success 'no pki repository: a plain git repository, a bare one of it, none at all' '
	git init -q -b main plain &&
	git -C plain -c user.name=x -c user.email=x@x commit -q --allow-empty -m x &&
	REPO=$TRASH/plain &&
	for c in "pki-matrix list" "pki-register" "pki-audit"; do
		refusal 78 $c -C "$REPO" || return 1
	done &&
	refusal 78 as jmac pki-classify -C "$REPO" "$IN" &&
	refusal 78 as jmac pki-share -C "$REPO" "$P" fc &&
	git clone -q --bare plain bare.git &&
	refused 78 pki-matrix -C bare.git list &&
	refused 78 as jmac pki-classify -C bare.git "$IN" &&
	mkdir empty &&
	refused 66 pki-audit -C empty &&
	refused 66 as jmac pki-classify -C empty "$IN" &&
	refused 66 pki-register -C empty
'

test_expect_success 'pki-init: not in a directory that is not empty (64)' '
	mkdir full && echo keep >full/notes &&
	refused 64 as hom pki-init -m UNMISS full &&
	grep -q "is not empty" err &&
	test ! -e full/.git &&
	test "$(ls -A full)" = notes
'

test_expect_success 'a pki repository whose HEAD is not on main (78)' '
	tamper README echo readme &&
	git -C "$REPO" checkout -q --detach &&
	refusal 78 as jmac pki-classify -C "$REPO" -l confidential -c c -a poc "$IN" &&
	git -C "$REPO" checkout -q -b other &&
	refusal 78 as jmac pki-share -C "$REPO" "$P" fc &&
	grep -q "HEAD is not on refs/heads/main" err
'

# --- symbolic links where the tools write ---

# planted: a fresh clone (REPO) and a directory elsewhere the links point
# into, which must stay empty.
planted() {
	tamper README echo readme &&
	rm -rf "$TRASH/elsewhere" && mkdir "$TRASH/elsewhere"
}

nothing_elsewhere() {
	test -z "$(ls -A "$TRASH/elsewhere")" ||
		{ ls -la "$TRASH/elsewhere"; return 1; }
}

test_expect_success 'symbolic links in the work tree: at a product, a shard, a directory (65)' '
	planted &&
	G=${L%.xml}.gpg &&
	rm "$REPO/$G" && ln -s "$TRASH/elsewhere/x" "$REPO/$G" &&
	refusal 65 as jmac pki-share -C "$REPO" "$P" fc &&
	planted &&
	mv "$REPO/registry" "$REPO/registry.old" && ln -s "$TRASH/elsewhere" "$REPO/registry" &&
	refusal 65 as jmac pki-share -C "$REPO" "$P" fc &&
	planted &&
	mv "$REPO/products" "$REPO/products.old" && ln -s "$TRASH/elsewhere" "$REPO/products" &&
	refusal 65 as jmac pki-classify -C "$REPO" -l confidential -c c -a poc "$IN" &&
	nothing_elsewhere
'

test_expect_success 'symbolic links where a new file or directory will go, even ignored (65)' '
	next=$(echo "$P" | awk -F- "{ printf \"%s-%s-%s-%06d\", \$1, \$2, \$3, \$4 + 1 }") &&
	B=$(dirname "$L") &&
	for ext in gpg xml; do
		planted &&
		ln -s "$TRASH/elsewhere/x" "$REPO/$B/$next.$ext" &&
		refusal 65 as jmac pki-classify -C "$REPO" -l confidential -c c -a poc "$IN" &&
		echo "*.$ext" >>"$REPO/.git/info/exclude" &&
		refusal 65 as jmac pki-classify -C "$REPO" -l confidential -c c -a poc "$IN" ||
			return 1
	done &&
	planted &&
	ln -s "$TRASH/elsewhere" "$REPO/products/NEW-2026-000" &&
	echo "products/NEW-2026-000" >>"$REPO/.git/info/exclude" &&
	refusal 65 as jmac pki-classify -C "$REPO" -e NEW -l confidential -c c -a poc "$IN" &&
	planted &&
	ln -s "$TRASH/elsewhere/x" "$REPO/registry/2026-04.csv" &&
	echo "registry/2026-04.csv" >>"$REPO/.git/info/exclude" &&
	PKI_DATE=2026-04-01T09:00:00Z refusal 65 as jmac pki-share -C "$REPO" "$P" fc &&
	nothing_elsewhere
'

test_expect_success 'symbolic links in .git where pki writes: the lock, the update record (74)' '
	planted &&
	ln -s "$TRASH/elsewhere/lock" "$REPO/.git/pki.lock" &&
	refusal 74 as jmac pki-share -C "$REPO" "$P" fc &&
	planted &&
	ln -s "$TRASH/elsewhere/updating" "$REPO/.git/pki-updating" &&
	refusal 74 as jmac pki-share -C "$REPO" "$P" fc &&
	nothing_elsewhere
'

test_expect_success 'a git lock file that is a symbolic link is only removed, never followed' '
	planted &&
	echo keep >"$TRASH/elsewhere/keep" &&
	ln -s "$TRASH/elsewhere/keep" "$REPO/.git/index.lock" &&
	: >"$REPO/.git/pki-updating" &&
	as jmac pki-share -C "$REPO" "$P" fc &&
	test "$(cat "$TRASH/elsewhere/keep")" = keep &&
	test ! -e "$REPO/.git/index.lock" &&
	rm "$TRASH/elsewhere/keep"
'

test_expect_success 'pki-share -o and --label: never over a file or through a link (74)' '
	REPO=$ORIG &&
	planted && REPO=$ORIG &&
	echo old >exists &&
	ln -s "$TRASH/elsewhere/x" dangling &&
	ln -s "$TRASH/exists" link &&
	for o in exists dangling link; do
		refusal 74 as hom pki-share -C "$REPO" "$P" unct -j mandate -o "$TRASH/$o" ||
			return 1
	done &&
	refusal 74 as hom pki-share -C "$REPO" "$P" unct -j mandate -o "$TRASH/copy" \
		--label "$TRASH/dangling" &&
	test ! -e copy &&
	test "$(cat exists)" = old &&
	nothing_elsewhere
'

test_expect_success 'pki-archive -o: a planted bag or work directory is never followed (74)' '
	REPO=$ORIG &&
	planted && REPO=$ORIG &&
	mkdir bags &&
	ln -s "$TRASH/elsewhere" bags/UNMISS-2026H1 &&
	PKI_DATE=2026-07-02T09:00:00Z refusal 74 as chair pki-archive -C "$REPO" --period 2026H1 -o "$TRASH/bags" &&
	rm bags/UNMISS-2026H1 &&
	ln -s "$TRASH/elsewhere" bags/.UNMISS-2026H1.tmp &&
	PKI_DATE=2026-07-02T09:00:00Z refusal 74 as chair pki-archive -C "$REPO" --period 2026H1 -o "$TRASH/bags" &&
	rm bags/.UNMISS-2026H1.tmp &&
	ln -s "$TRASH/elsewhere" outlink-dangling && rmdir "$TRASH/elsewhere" &&
	PKI_DATE=2026-07-02T09:00:00Z refusal 66 as chair pki-archive -C "$REPO" --period 2026H1 \
		-o "$TRASH/outlink-dangling" &&
	mkdir "$TRASH/elsewhere" &&
	nothing_elsewhere
'

test_expect_success 'the repository these refusals ran against is untouched and clean' '
	REPO=$ORIG &&
	verify_history &&
	pki-audit -C "$REPO" &&
	test -z "$(git -C "$REPO" status --porcelain)"
'

test_done
