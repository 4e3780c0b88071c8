#!/bin/sh
# pki-archive: half-yearly and final transfers to the UN Archives as BagIt
# bags (RFC 8493), checked with the RFC's rules, sha256sum, xmllint, gpg.
. "$(dirname "$0")/lib.sh"

XSD=$SRC/share/pki/transfer.xsd

# check_bag DIR: the bag against RFC 8493, by this script alone: the
# required tag files, bagit.txt exactly, every payload file in the
# manifest and nothing else, every digest, Payload-Oxum, the bag-info
# fields pki-archive(1) asks for, the tag manifest.
check_bag() {
	python3 - "$1" <<'EOF'
import hashlib, os, re, sys

bag = sys.argv[1]

def fail(msg):
    print("bag %s: %s" % (bag, msg))
    sys.exit(1)

def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(65536), b""):
            h.update(chunk)
    return h.hexdigest()

def manifest(name):
    text = open(os.path.join(bag, name), "rb").read().decode("utf-8")
    if not text.endswith("\n"):
        fail(name + " does not end with a newline")
    entries, order = {}, []
    for line in text.split("\n")[:-1]:
        m = re.fullmatch(r"([0-9a-f]{64})[ \t]+(\S.*)", line)
        if not m:
            fail("%s: bad line %r" % (name, line))
        path = m.group(2)
        if path in entries:
            fail("%s lists %s twice" % (name, path))
        if "%" in path or "\\" in path or path.startswith("/") or ".." in path.split("/"):
            fail("%s: bad path %s" % (name, path))
        entries[path] = m.group(1)
        order.append(path)
    if order != sorted(order):
        fail(name + " is not sorted")
    for path, digest in entries.items():
        full = os.path.join(bag, path)
        if os.path.islink(full) or not os.path.isfile(full):
            fail("%s lists %s, which is not a file" % (name, path))
        if sha256(full) != digest:
            fail("%s: wrong digest for %s" % (name, path))
    return entries

top = sorted(os.listdir(bag))
if top != ["bag-info.txt", "bagit.txt", "data", "manifest-sha256.txt", "tagmanifest-sha256.txt"]:
    fail("top level is %s" % top)
if open(os.path.join(bag, "bagit.txt"), "rb").read() != \
        b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n":
    fail("bagit.txt is not exactly the RFC's")

payload, octets = set(), 0
for root, dirs, files in os.walk(os.path.join(bag, "data")):
    for name in dirs + files:
        if os.path.islink(os.path.join(root, name)):
            fail("a symlink in the payload: " + name)
    for name in files:
        full = os.path.join(root, name)
        payload.add(os.path.relpath(full, bag))
        octets += os.path.getsize(full)
listed = set(manifest("manifest-sha256.txt"))
if listed != payload:
    fail("not in the manifest: %s; not in the payload: %s" %
         (sorted(payload - listed), sorted(listed - payload)))

info = {}
for line in open(os.path.join(bag, "bag-info.txt"), "rb").read().decode("utf-8").split("\n")[:-1]:
    m = re.fullmatch(r"([^:\s][^:]*?): (\S.*)", line)
    if not m:
        fail("bag-info.txt: bad line %r" % line)
    info.setdefault(m.group(1), []).append(m.group(2))
for label in ("Source-Organization", "Bagging-Date", "External-Identifier",
              "Payload-Oxum", "Bag-Group-Identifier"):
    if len(info.get(label, [])) != 1:
        fail("bag-info.txt: %s is not there exactly once" % label)
if info["Payload-Oxum"][0] != "%d.%d" % (octets, len(payload)):
    fail("Payload-Oxum %s, the payload is %d.%d" % (info["Payload-Oxum"][0], octets, len(payload)))
if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", info["Bagging-Date"][0]):
    fail("Bagging-Date " + info["Bagging-Date"][0])
if os.path.basename(os.path.normpath(bag)) != info["External-Identifier"][0]:
    fail("External-Identifier is not the bag's name")

tags = set(manifest("tagmanifest-sha256.txt"))
if tags != {"bagit.txt", "bag-info.txt", "manifest-sha256.txt"}:
    fail("tagmanifest-sha256.txt lists %s" % sorted(tags))
EOF
}

# records BAG: the IDs the transfer list names, one a line.
records() {
	python3 -c '
import sys, xml.etree.ElementTree as ET
ns = {"t": "urn:x-pki:transfer:1"}
root = ET.parse(sys.argv[1] + "/data/transfer-list.xml").getroot()
for r in root.findall("t:records/t:record", ns):
    print(r.find("t:id", ns).text)
' "$1"
}

# archive_rows REF: the products of the registry's archive rows for REF.
archive_rows() {
	cat "$REPO"/registry/*.csv | python3 -c '
import csv, sys
for r in csv.DictReader(sys.stdin):
    if r["action"] == "archive" and r["reference"] == sys.argv[1]:
        print(r["product"], r["recipient"], r["actor"], r["authority"])
' "$1"
}

test_expect_success 'setup: a mission with products in 2026H1 and one in 2026H2' '
	mission &&
	echo "patrol report, Bor" >p1 &&
	id1=$(as jmac pki-classify -C "$REPO" -l confidential -c c -a poc <p1) &&
	test_tick &&
	echo "threat to the camp at Malakal" >p2 &&
	id2=$(as fc pki-classify -C "$REPO" -l strictly-confidential -c b -a force-protection <p2) &&
	test_tick &&
	echo "a note for all" >p3 &&
	id3=$(as jmac pki-classify -C "$REPO" <p3) &&
	test_tick &&
	as jmac pki-share -C "$REPO" "$id1" fc >/dev/null &&
	at 2026-05-20T10:00:00Z &&
	echo "market prices" >p4 &&
	id4=$(as police pki-classify -C "$REPO" -l confidential -c e -a crime <p4) &&
	test_tick &&
	echo "from a Member State" >pr &&
	idr=$(as chair pki-register -C "$REPO" --receive --from "Member State A" --ref MS-A-17 \
		-l confidential -c a -a poc <pr) &&
	at 2026-08-03T08:00:00Z &&
	echo "after the half-year" >p5 &&
	id5=$(as jmac pki-classify -C "$REPO" -l confidential -c c -a poc <p5) &&
	test_tick &&
	printf "%s\n" "$id1" "$id2" "$id3" "$id4" "$idr" | sort >h1.ids &&
	mkdir bags &&
	verify_history
'

test_expect_success 'refused: a half-year that is not over (77)' '
	expect_refusal 77 as chair pki-archive -C "$REPO" --period 2026H2 -o "$TRASH/bags" &&
	grep -q "refused: the half-year 2026H2 is not over: a transfer takes a whole half-year (policy 11.5.1)" err &&
	expect_refusal 77 as chair pki-archive -C "$REPO" --period 2031H1 -o "$TRASH/bags" &&
	test -z "$(ls -A bags)"
'

test_expect_success 'refused: only the Chair or the Head of Mission transfers (77)' '
	for who in jmac fc undss archives auditor unct; do
		expect_refusal 77 as $who pki-archive -C "$REPO" --period 2026H1 -o "$TRASH/bags" || return 1
	done &&
	grep -q "refused: .unct. is external: transfers to the UN Archives are made by the Chair, custodian of the registry, or the Head of Mission (policy 11.5.1, 12.6.9)" err &&
	expect_refusal 77 as mallory pki-archive -C "$REPO" --due -o "$TRASH/bags" &&
	test -z "$(ls -A bags)"
'

test_expect_success 'usage errors (64): period, modes, -o, arguments' '
	for p in 2026H3 2026h1 26H1 2026H1x 2026 "" 0000H1; do
		expect_refusal 64 as chair pki-archive -C "$REPO" --period "$p" -o bags || return 1
	done &&
	grep -q "invalid period .0000H1. (expected YYYYH1 for January to June or YYYYH2 for July to December)" err &&
	expect_refusal 64 as chair pki-archive -C "$REPO" -o bags &&
	expect_refusal 64 as chair pki-archive -C "$REPO" --due --final -o bags &&
	expect_refusal 64 as chair pki-archive -C "$REPO" --period 2026H1 --due -o bags &&
	expect_refusal 64 as chair pki-archive -C "$REPO" --period 2026H1 &&
	expect_refusal 64 as chair pki-archive -C "$REPO" --due --force -o bags &&
	expect_refusal 64 as chair pki-archive -C "$REPO" --due -o bags extra
'

test_expect_success 'refused: no output directory (66)' '
	expect_refusal 66 as chair pki-archive -C "$REPO" --period 2026H1 -o "$TRASH/nowhere"
'

test_expect_success 'refused: a half-year with no product in it (66)' '
	expect_refusal 66 as chair pki-archive -C "$REPO" --period 2025H2 -o "$TRASH/bags" &&
	grep -q "no product was classified or received in the period: nothing to transfer as .UNMISS-2025H2." err
'

test_expect_success 'the Chair transfers 2026H1: the path on stdout, one signed commit' '
	before=$(git -C "$REPO" rev-parse HEAD) &&
	as chair pki-archive -C "$REPO" --period 2026H1 -o "$TRASH/bags" >path &&
	echo "$TRASH/bags/UNMISS-2026H1" >expect &&
	test_cmp expect path &&
	test "$(git -C "$REPO" rev-list --count $before..HEAD)" = 1 &&
	git -C "$REPO" log -1 --format="%an%n%B" >msg &&
	grep -qx "Lena Brandt" msg &&
	grep -qx "pki-archive: transfer UNMISS-2026H1" msg &&
	grep -qx "Pki-Action: archive" msg &&
	grep -qx "Pki-Transfer: UNMISS-2026H1" msg &&
	grep -qx "Pki-Records: 5" msg &&
	verify_history &&
	test "$(ls -A bags)" = UNMISS-2026H1
'

B=$TRASH/bags/UNMISS-2026H1

test_expect_success 'the bag follows RFC 8493' '
	check_bag "$B"
'

test_expect_success 'sha256sum -c accepts both manifests, inside the bag' '
	(cd "$B" && sha256sum --strict -c manifest-sha256.txt >/dev/null &&
	 sha256sum --strict -c tagmanifest-sha256.txt >/dev/null)
'

test_expect_success 'bag-info.txt: the mission, the date, the transfer, the group' '
	grep -qx "Source-Organization: UN Mission in South Sudan (UNMISS)" "$B/bag-info.txt" &&
	grep -qx "Bagging-Date: 2026-08-03" "$B/bag-info.txt" &&
	grep -qx "External-Identifier: UNMISS-2026H1" "$B/bag-info.txt" &&
	grep -qx "Bag-Group-Identifier: UNMISS" "$B/bag-info.txt"
'

test_expect_success 'the commit carries the digest of the payload manifest' '
	sha=$(sha256sum <"$B/manifest-sha256.txt" | cut -d" " -f1) &&
	git -C "$REPO" log -1 --format=%B | grep -qx "Pki-Manifest-Sha256: $sha" &&
	oxum=$(sed -n "s/^Payload-Oxum: //p" "$B/bag-info.txt") &&
	git -C "$REPO" log -1 --format=%B | grep -qx "Pki-Payload-Oxum: $oxum"
'

test_expect_success 'xmllint --schema accepts the transfer list' '
	xmllint --noout --schema "$XSD" "$B/data/transfer-list.xml" 2>err ||
		{ cat err; return 1; }
'

test_expect_success 'the transfer list names the products of the half-year, permanent' '
	records "$B" >ids &&
	test_cmp h1.ids ids &&
	python3 - "$B/data/transfer-list.xml" "$id1" "$id3" "$idr" <<-\EOF
	import sys, xml.etree.ElementTree as ET
	ns = {"t": "urn:x-pki:transfer:1"}
	root = ET.parse(sys.argv[1]).getroot()
	recs = {r.find("t:id", ns).text: r for r in root.findall("t:records/t:record", ns)}
	assert root.find("t:period", ns).text == "2026H1"
	assert root.find("t:records", ns).get("count") == "5"
	for r in recs.values():
	    assert r.find("t:retention", ns).text == "permanent"
	    assert r.find("t:created", ns).text.startswith("2026-")
	r1, r3 = recs[sys.argv[2]], recs[sys.argv[3]]
	assert r1.find("t:classification", ns).text == "confidential"
	assert r1.find("t:criterion", ns).text == "c"
	assert r1.find("t:originator", ns).text == "jmac"
	assert r1.find("t:last-action", ns).text == "share", r1.find("t:last-action", ns).text
	assert r3.find("t:classification", ns).text == "unclassified"
	assert r3.find("t:criterion", ns) is None
	assert r3.find("t:last-action", ns).text == "classify"
	rr = recs[sys.argv[4]].find("t:originator", ns)
	assert (rr.text, rr.get("type")) == ("Member State A", "external"), (rr.text, rr.get("type"))
	assert recs[sys.argv[4]].find("t:last-action", ns).text == "receive"
	assert r1.find("t:originator", ns).get("type") == "principal"
	EOF
'

test_expect_success 'the payload: products, labels, the period, matrix, delegations, keys' '
	for id in $(cat h1.ids); do
		f=$(cd "$REPO" && ls products/*/"$id".gpg) &&
		cmp "$REPO/$f" "$B/data/$f" &&
		cmp "$REPO/${f%.gpg}.xml" "$B/data/${f%.gpg}.xml" || return 1
	done &&
	! grep -q "$id5" "$B/manifest-sha256.txt" &&
	(cd "$B/data" && ls registry) >shards &&
	echo 2026-03.csv >expect && echo 2026-05.csv >>expect &&
	test_cmp expect shards &&
	cmp "$REPO/access-matrix.csv" "$B/data/access-matrix.csv" &&
	(cd "$REPO/keys" && ls) >keys.repo && (cd "$B/data/keys" && ls) >keys.bag &&
	test_cmp keys.repo keys.bag
'

test_expect_success 'each key in the bag is the key its name says' '
	for k in "$B"/data/keys/*.asc; do
		fpr=$(gpg --with-colons --show-keys "$k" 2>/dev/null | awk -F: "/^fpr/ { print \$10; exit }") &&
		test "$k" = "$B/data/keys/$fpr.asc" || return 1
	done
'

test_expect_success 'the archives key alone decrypts every transferred product (stock gpg)' '
	for n in 1 2 3 4 r; do
		eval id=\$id$n &&
		f=$(cd "$B/data" && ls products/*/"$id".gpg) &&
		decrypt_as archives "$B/data/$f" >plain &&
		test_cmp p$n plain || return 1
	done
'

test_expect_success 'the registry records an archive row per product, by the custodian' '
	archive_rows UNMISS-2026H1 | sort >rows &&
	sed "s/$/ archives chair custodian/" h1.ids >expect &&
	test_cmp expect rows &&
	git -C "$REPO" show --stat --format= HEAD >stat &&
	grep -q "registry/2026-08.csv" stat &&
	test "$(wc -l <stat)" = 2
'

test_expect_success 'refused: 2026H1 again (77), unchanged, nothing written' '
	mkdir bags2 &&
	expect_refusal 77 as hom pki-archive -C "$REPO" --period 2026H1 -o "$TRASH/bags2" &&
	grep -q "refused: .UNMISS-2026H1. was transferred to the archives already: a transfer is made once (policy 11.5.1; --force makes it again)" err &&
	test -z "$(ls -A bags2)"
'

test_expect_success '--due: nothing is due now; silent, exit 0, no commit' '
	before=$(repo_state) &&
	as chair pki-archive -C "$REPO" --due -o "$TRASH/bags2" >out 2>err &&
	test ! -s out && test ! -s err &&
	test "$before" = "$(repo_state)" &&
	test -z "$(ls -A bags2)"
'

test_expect_success '--force transfers again, and the same inputs give the same bytes' '
	as chair pki-archive -C "$REPO" --period 2026H1 --force -o "$TRASH/bags2" >path &&
	test "$(cat path)" = "$TRASH/bags2/UNMISS-2026H1" &&
	diff -r "$B" "$TRASH/bags2/UNMISS-2026H1" &&
	test "$(archive_rows UNMISS-2026H1 | wc -l)" = 10 &&
	verify_history
'

test_expect_success 'refused: a bag already at the output path (74), nothing changed' '
	expect_refusal 74 as chair pki-archive -C "$REPO" --period 2026H1 --force -o "$TRASH/bags" &&
	grep -q "bags/UNMISS-2026H1. exists: a transfer is never written over" err &&
	check_bag "$B"
'

test_expect_success 'refused: a symlink planted at the output path is not followed (74)' '
	mkdir bags3 victim &&
	ln -s "$TRASH/victim" bags3/UNMISS-2026H1 &&
	expect_refusal 74 as chair pki-archive -C "$REPO" --period 2026H1 --force -o "$TRASH/bags3" &&
	test -z "$(ls -A victim)" &&
	rm bags3/UNMISS-2026H1 &&
	ln -s "$TRASH/victim" bags3/.UNMISS-2026H1.tmp &&
	expect_refusal 74 as chair pki-archive -C "$REPO" --period 2026H1 --force -o "$TRASH/bags3" &&
	grep -q "bags3/.UNMISS-2026H1.tmp.* remove it" err &&
	test -z "$(ls -A victim)" &&
	test -L bags3/.UNMISS-2026H1.tmp
'

test_expect_success '--due after the half-year: transfers 2026H2, then is quiet' '
	at 2027-01-04T06:00:00Z &&
	mkdir bags4 &&
	as chair pki-archive -C "$REPO" --due -o "$TRASH/bags4" >path &&
	test "$(cat path)" = "$TRASH/bags4/UNMISS-2026H2" &&
	check_bag "$TRASH/bags4/UNMISS-2026H2" &&
	records "$TRASH/bags4/UNMISS-2026H2" >ids &&
	echo "$id5" >expect &&
	test_cmp expect ids &&
	test_tick &&
	head=$(git -C "$REPO" rev-parse HEAD) &&
	as chair pki-archive -C "$REPO" --due -o "$TRASH/bags4" >out 2>err &&
	test ! -s out && test ! -s err &&
	test "$head" = "$(git -C "$REPO" rev-parse HEAD)" &&
	test "$(ls bags4)" = UNMISS-2026H2
'

test_expect_success '--final transfers everything, once' '
	mkdir bags5 &&
	as hom pki-archive -C "$REPO" --final -o "$TRASH/bags5" >path &&
	F=$TRASH/bags5/UNMISS-FINAL-20270104 &&
	test "$(cat path)" = "$F" &&
	check_bag "$F" &&
	xmllint --noout --schema "$XSD" "$F/data/transfer-list.xml" 2>/dev/null &&
	records "$F" >ids &&
	{ cat h1.ids; echo "$id5"; } | sort >expect &&
	test_cmp expect ids &&
	(cd "$F/data" && ls registry) >shards &&
	(cd "$REPO" && ls registry) >expect &&
	test_cmp expect shards &&
	archive_rows UNMISS-FINAL-20270104 | awk "{ print \$4 }" | sort -u >auth &&
	echo hom >expect && test_cmp expect auth &&
	(cd "$F" && sha256sum --strict -c manifest-sha256.txt >/dev/null) &&
	test_tick &&
	expect_refusal 77 as chair pki-archive -C "$REPO" --final -o "$TRASH/bags5" &&
	verify_history
'

# A second mission: the archives and the Chair join after a product was
# filed, so it is not encrypted to them.
R2=$TRASH/m2

test_expect_success 'setup: a product filed before the archives joined' '
	at 2026-02-02T09:00:00Z &&
	as hom pki-init -m UNMISS -n "UN Mission in South Sudan" -e OSRSG -p hom "$R2" &&
	test_tick &&
	as hom pki-matrix -C "$R2" add jmac --key "$FIXTURES/keys/jmac.pub.asc" --entity JMAC \
		--type mission --role member --clearance strictly-confidential --areas poc &&
	test_tick &&
	echo "early report" >q1 &&
	q1=$(as jmac pki-classify -C "$R2" -l confidential -c c -a poc <q1) &&
	test_tick &&
	as hom pki-matrix -C "$R2" add chair --key "$FIXTURES/keys/chair.pub.asc" --entity CMPIC \
		--type mission --role chair --clearance strictly-confidential --areas "*" &&
	test_tick &&
	as hom pki-matrix -C "$R2" add archives --key "$FIXTURES/keys/archives.pub.asc" --entity ARMS \
		--type un --role archives --clearance strictly-confidential --areas "*" &&
	at 2026-07-01T00:00:00Z &&
	mkdir bags6 &&
	test_must_fail decrypt_as archives "$(ls "$R2"/products/*/"$q1".gpg)"
'

test_expect_success 'refused: the custodian cannot re-encrypt what it cannot read (69)' '
	R1=$REPO && REPO=$R2 &&
	expect_refusal 69 as chair pki-archive -C "$R2" --period 2026H1 -o "$TRASH/bags6"; rc=$?
	REPO=$R1 && test $rc = 0 &&
	grep -q "product $q1 is not encrypted to the archives, and .chair. is not on its distribution list to re-encrypt it" err &&
	test -z "$(ls -A bags6)"
'

test_expect_success 'the Head of Mission re-encrypts it for the archives, in the same commit' '
	as hom pki-archive -C "$R2" --period 2026H1 -o "$TRASH/bags6" >path &&
	Q=$TRASH/bags6/UNMISS-2026H1 &&
	check_bag "$Q" &&
	f=$(cd "$Q/data" && ls products/*/"$q1".gpg) &&
	decrypt_as archives "$Q/data/$f" >plain && test_cmp q1 plain &&
	decrypt_as jmac "$R2/$f" >plain && test_cmp q1 plain &&
	cmp "$R2/$f" "$Q/data/$f" &&
	test "$(sha256sum <"$R2/$f" | cut -d" " -f1)" = \
	     "$(sed -n "s:.*<binding algorithm=\"sha256\">\(.*\)</binding>.*:\1:p" "$R2/${f%.gpg}.xml")" &&
	cat "$R2"/registry/2026-07.csv | python3 -c "
import csv, sys
rows = list(csv.DictReader(sys.stdin))
assert [r[\"action\"] for r in rows] == [\"share\", \"archive\"], rows
s = rows[0]
assert (s[\"product\"], s[\"recipient\"], s[\"authority\"], s[\"actor\"], s[\"reference\"]) == \
       (\"$q1\", \"archives\", \"custodian\", \"hom\", \"UNMISS-2026H1\"), s
" &&
	git -C "$R2" log -1 --format=%B | grep -qx "Pki-Reencrypted: 1" &&
	test "$(git -C "$R2" show --format= --name-only HEAD | wc -l)" = 3 &&
	verify_history "$R2"
'

test_expect_success 'refused: an archives principal made of the mission by hand receives nothing (77)' '
	git clone -q "$R2" m4 && mkdir bags-m4 &&
	sed -i "s/\"ARMS\",\"un\",\"archives\"/\"ARMS\",\"mission\",\"archives\"/" m4/access-matrix.csv &&
	git -c user.name=hom -c user.email=hom@mission.example -c user.signingkey="$(fpr hom)" \
		-C m4 commit -q -S -am "the archives by hand" &&
	test_tick &&
	REPO=$TRASH/m4 expect_refusal 77 as hom pki-archive -C "$TRASH/m4" --final -o "$TRASH/bags-m4" &&
	grep -q "refused: .archives.: an archives principal is the UN Archives, a UN entity outside the mission: its type is un (policy 11.5.1)" err &&
	test -z "$(ls -A bags-m4)"
'

test_expect_success 'a failure while building leaves no bag and no commit' '
	git clone -q "$R2" m3 &&
	at 2026-09-01T00:00:00Z &&
	echo "late report" >q2 &&
	q2=$(as jmac pki-classify -C m3 -l confidential -c c -a poc <q2) &&
	f=$(cd m3 && ls products/*/"$q2".gpg) &&
	echo garbage >>"m3/$f" &&
	git -C m3 -c user.name=x -c user.email=x@x commit -qam "a corrupted ciphertext" &&
	at 2027-01-02T00:00:00Z &&
	mkdir bags7 &&
	R1=$REPO && REPO=$TRASH/m3 &&
	expect_refusal 65 as chair pki-archive -C m3 --period 2026H2 -o "$TRASH/bags7"; rc=$?
	REPO=$R1 && test $rc = 0 &&
	grep -q "product $q2: the label does not bind the ciphertext" err &&
	test -z "$(ls -A bags7)"
'

test_expect_success 'examples/crontab: the morning line transfers when due, and pushes' '
	at 2027-02-01T10:00:00Z &&
	echo "a 2027 report" >p6 &&
	id6=$(as jmac pki-classify -C "$REPO" -l confidential -c c -a poc <p6) &&
	git init -q --bare remote.git &&
	git -C "$REPO" remote add origin "$TRASH/remote.git" &&
	line=$(sed -n "s/^15 6 \* \* \*  *//p" "$SRC/examples/crontab") &&
	test -n "$line" &&
	mkdir bags8 &&
	at 2027-03-01T06:15:00Z &&
	PKI_REPO=$REPO TRANSFERS=$TRASH/bags8 PKI_KEY=$(fpr chair) sh -c "$line" >mail 2>&1 &&
	test ! -s mail &&
	at 2027-07-01T06:15:00Z &&
	PKI_REPO=$REPO TRANSFERS=$TRASH/bags8 PKI_KEY=$(fpr chair) sh -c "$line" >mail 2>&1 &&
	echo "$TRASH/bags8/UNMISS-2027H1" >expect &&
	test_cmp expect mail &&
	test "$(git -C remote.git rev-parse main)" = "$(git -C "$REPO" rev-parse HEAD)" &&
	test_tick &&
	PKI_REPO=$REPO TRANSFERS=$TRASH/bags8 PKI_KEY=$(fpr chair) sh -c "$line" >mail 2>&1 &&
	test ! -s mail
'

test_expect_success 'pki runs pki-archive' '
	pki archive --version | grep -q "^pki-archive "
'

test_done
