#!/bin/sh
# pki-classify --batch and pki-register --receive --batch: many products
# from a CSV manifest, every row checked before anything is filed, one
# signed commit, one ID a line in manifest order.
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-product.sh"

M=$TRASH/records

test_expect_success 'setup: a mission, a requirement, records to migrate' '
	mission &&
	requirements 1 &&
	mkdir -p "$M/sub" &&
	echo "patrol report, Bor" >"$M/a.txt" &&
	echo "threat to the camp" >"$M/sub/b.txt" &&
	echo "collection plan 2027" >"$M/c.txt" &&
	echo "crime statistics" >"$M/d.txt" &&
	echo "convoy route" >"$TRASH/abs.txt" &&
	cat >"$M/manifest.csv" <<-EOF
	areas,file,level,criterion,ir,review,kind,safety
	poc,a.txt,confidential,c,UNMISS-IR-0001,,,
	force-protection,sub/b.txt,strictly-confidential,b,,2027-06-01,,true
	poc,c.txt,confidential,c,,,plan,false
	crime,d.txt,unclassified,,,,product,
	poc;force-protection,$TRASH/abs.txt,confidential,e,,,,
	EOF
	git -C "$REPO" rev-list --count HEAD >"$TRASH/count-before"
'

test_expect_success 'pki-classify --batch files them all in one signed commit' '
	as jmac pki-classify -C "$REPO" --batch "$M/manifest.csv" >"$TRASH/ids" &&
	test "$(wc -l <"$TRASH/ids")" -eq 5 &&
	test "$(git -C "$REPO" rev-list --count HEAD)" -eq $(($(cat "$TRASH/count-before") + 1)) &&
	git -C "$REPO" verify-commit HEAD 2>/dev/null &&
	git -C "$REPO" log -1 --format=%s | grep -qx "pki-classify: classify 5 products" &&
	git -C "$REPO" log -1 --format=%B | grep -qx "Pki-Count: 5" &&
	test "$(sort -u "$TRASH/ids" | wc -l)" -eq 5 &&
	sort "$TRASH/ids" | test_cmp "$TRASH/ids" - &&
	grep -qx "UNMISS-OSRSG-[0-9]*-000002" "$TRASH/ids" &&
	grep -qx "UNMISS-OSRSG-[0-9]*-000006" "$TRASH/ids"
'

test_expect_success 'the IDs in manifest order; labels as the rows say' '
	set -- $(cat "$TRASH/ids") &&
	test "$(label_field "$1" classification)" = confidential &&
	test "$(label_field "$1" areas)" = poc &&
	test "$(label_field "$2" classification)" = strictly-confidential &&
	test "$(label_field "$3" kind)" = plan &&
	test "$(label_field "$4" classification)" = unclassified &&
	readers_are "$2" "hom chair jmac undss archives" &&
	labels_valid
'

test_expect_success 'the registry: one classify row each, CSV, and the undss share' '
	shards_read &&
	for id in $(cat "$TRASH/ids"); do
		test "$(row classify "$id" | wc -l)" -eq 1 || return 1
	done &&
	set -- $(cat "$TRASH/ids") &&
	row share "$2" | grep -q "^jmac|undss|undss-rule|" &&
	row classify "$1" | grep -q "|originator|ST/SGB/2007/6 1.2(c) operations-security|"
'

test_expect_success 'the history verifies and pki-audit is clean' '
	verify_history &&
	pki-audit -C "$REPO" >"$TRASH/audit" ||
		{ cat "$TRASH/audit"; return 1; }
'

test_expect_success 'a second batch continues the serials' '
	printf "file,level,criterion,areas\na.txt,unclassified,,poc\nd.txt,unclassified,,crime\n" \
		>"$M/two.csv" &&
	as jmac pki-classify -C "$REPO" --batch "$M/two.csv" >"$TRASH/ids2" &&
	grep -qx "UNMISS-OSRSG-[0-9]*-000007" "$TRASH/ids2" &&
	grep -qx "UNMISS-OSRSG-[0-9]*-000008" "$TRASH/ids2"
'

test_expect_success 'pki-register --receive --batch' '
	cat >"$M/received.csv" <<-EOF
	file,from,via,ref,level,criterion,areas,originator_control
	a.txt,Member State A,PICT,MS-A/2026/17,confidential,a,poc,
	d.txt,Host state police,,,unclassified,,crime,false
	EOF
	as chair pki-register -C "$REPO" --receive --batch "$M/received.csv" >"$TRASH/rids" &&
	test "$(wc -l <"$TRASH/rids")" -eq 2 &&
	set -- $(cat "$TRASH/rids") &&
	git -C "$REPO" log -1 --format=%s | grep -qx "pki-register: receive 2 products" &&
	test "$(label_field "$1" originator)" = "Member State A" &&
	grep -q "<originator-control/>" "$(product_file "$1" xml)" &&
	! grep -q "<originator-control" "$(product_file "$2" xml)" &&
	row receive "$1" | grep -qx "chair|.*|custodian|received from Member State A via PICT|MS-A/2026/17" &&
	labels_valid && shards_read && verify_history &&
	pki-audit -C "$REPO" >/dev/null
'

# refused MANIFEST-LINE-PATTERN CMD...: 65, the manifest and line named,
# nothing filed and no new object referenced.
refused() {
	_pat=$1
	shift
	expect_refusal 65 "$@" || return 1
	grep -q "$_pat" "$TRASH/err" || { echo "no '$_pat' in the message"; return 1; }
	test ! -s "$TRASH/out"
}

test_expect_success 'a bad level on line 3: 65, the line named, nothing filed' '
	printf "file,level,criterion,areas\na.txt,confidential,c,poc\nd.txt,secret,c,poc\n" >"$M/bad.csv" &&
	refused "bad.csv: line 3: " as jmac pki-classify -C "$REPO" --batch "$M/bad.csv"
'

test_expect_success 'a missing file' '
	printf "file,level,criterion,areas\na.txt,confidential,c,poc\nnone.txt,confidential,c,poc\n" >"$M/bad.csv" &&
	refused "bad.csv: line 3: .*none.txt" as jmac pki-classify -C "$REPO" --batch "$M/bad.csv"
'

test_expect_success 'a missing required column, an unknown column' '
	printf "file,level,areas\na.txt,confidential,poc\n" >"$M/bad.csv" &&
	refused "bad.csv: line 1: no column .criterion." as jmac pki-classify -C "$REPO" --batch "$M/bad.csv" &&
	printf "file,level,criterion,areas,colour\na.txt,confidential,c,poc,red\n" >"$M/bad.csv" &&
	refused "bad.csv: line 1: unknown column .colour." as jmac pki-classify -C "$REPO" --batch "$M/bad.csv" &&
	printf "file,level,criterion,areas,from\na.txt,confidential,c,poc,x\n" >"$M/bad.csv" &&
	refused "unknown column .from." as jmac pki-classify -C "$REPO" --batch "$M/bad.csv"
'

test_expect_success 'a level above the actor'"'"'s clearance: the line named' '
	printf "file,level,criterion,areas\nd.txt,unclassified,,crime\na.txt,strictly-confidential,c,crime\n" >"$M/bad.csv" &&
	refused "bad.csv: line 3: " as police pki-classify -C "$REPO" --batch "$M/bad.csv"
'

test_expect_success 'a material with its retention, beside a product' '
	printf "file,level,criterion,areas,kind,retention\na.txt,confidential,c,poc,material,P5Y\nd.txt,unclassified,,crime,,\n" \
		>"$M/material.csv" &&
	as jmac pki-classify -C "$REPO" --batch "$M/material.csv" >"$TRASH/ids3" &&
	set -- $(cat "$TRASH/ids3") &&
	test "$(label_field "$1" kind)" = material &&
	test "$(label_field "$1" retention)" = P5Y &&
	test -z "$(label_field "$2" retention)" &&
	labels_valid && pki-audit -C "$REPO" >/dev/null
'

test_expect_success 'an unknown IR' '
	printf "file,level,criterion,areas,ir\na.txt,confidential,c,poc,\nd.txt,confidential,c,poc,UNMISS-IR-0099\n" >"$M/bad.csv" &&
	refused "bad.csv: line 3: .*UNMISS-IR-0099" as jmac pki-classify -C "$REPO" --batch "$M/bad.csv"
'

test_expect_success 'a column twice, a bad safety flag, a retention that is none' '
	printf "file,level,criterion,areas,level\na.txt,confidential,c,poc,confidential\n" >"$M/bad.csv" &&
	refused "bad.csv: line 1: column .level. twice" as jmac pki-classify -C "$REPO" --batch "$M/bad.csv" &&
	printf "file,level,criterion,areas,safety\na.txt,confidential,c,poc,yes\n" >"$M/bad.csv" &&
	refused "bad.csv: line 2: safety" as jmac pki-classify -C "$REPO" --batch "$M/bad.csv" &&
	printf "file,level,criterion,areas,retention\na.txt,confidential,c,poc,permanent\n" >"$M/bad.csv" &&
	refused "bad.csv: line 2: .*retention" as jmac pki-classify -C "$REPO" --batch "$M/bad.csv"
'

test_expect_success 'an empty file, a directory' '
	: >"$M/empty.txt" &&
	printf "file,level,criterion,areas\nempty.txt,confidential,c,poc\n" >"$M/bad.csv" &&
	refused "bad.csv: line 2: .*empty" as jmac pki-classify -C "$REPO" --batch "$M/bad.csv" &&
	printf "file,level,criterion,areas\nsub,confidential,c,poc\n" >"$M/bad.csv" &&
	refused "bad.csv: line 2: .*not a regular file" as jmac pki-classify -C "$REPO" --batch "$M/bad.csv"
'

test_expect_success 'receive: a row without its origin' '
	printf "file,from,via,ref,level,criterion,areas\na.txt,,,,confidential,a,poc\n" >"$M/bad.csv" &&
	refused "bad.csv: line 2: " as chair pki-register -C "$REPO" --receive --batch "$M/bad.csv"
'

test_expect_success '--batch takes no FILE and no label options' '
	test_expect_code 64 as jmac pki-classify -C "$REPO" --batch "$M/two.csv" -l confidential 2>/dev/null &&
	test_expect_code 64 as jmac pki-classify -C "$REPO" --batch "$M/two.csv" "$M/a.txt" 2>/dev/null &&
	test_expect_code 64 pki-register -C "$REPO" --batch "$M/two.csv" 2>/dev/null
'

test_expect_success 'on a terminal: how far encryption and filing have gone' '
	python3 -c "
import os, pty, subprocess, sys
m, s = pty.openpty()
with open(sys.argv[1], \"wb\") as o:
    p = subprocess.Popen(sys.argv[3:], stdout=o, stderr=s)
os.close(s)
shown = b\"\"
while True:
    try:
        b = os.read(m, 65536)
    except OSError:
        break
    if not b:
        break
    shown += b
open(sys.argv[2], \"wb\").write(shown)
sys.exit(p.wait())
" "$TRASH/tty-ids" "$TRASH/tty" env PKI_KEY="$(fpr jmac)" pki-classify -C "$REPO" --batch "$M/two.csv" &&
	test "$(wc -l <"$TRASH/tty-ids")" -eq 2 &&
	tr "\r" "\n" <"$TRASH/tty" | grep -q "Encrypting: 100% (2/2)" &&
	tr "\r" "\n" <"$TRASH/tty" | grep -q "Filing: 100% (2/2)"
'

test_expect_success 'a batch into a bare repository' '
	git clone -q --bare "$REPO" "$TRASH/store.git" &&
	git -C "$TRASH/store.git" config pki.root "$(git -C "$REPO" rev-list --max-parents=0 HEAD)" &&
	as jmac pki-classify -C "$TRASH/store.git" --batch "$M/two.csv" >"$TRASH/bids" &&
	test "$(wc -l <"$TRASH/bids")" -eq 2 &&
	test ! -e "$TRASH/store.git/index" &&
	git -C "$TRASH/store.git" verify-commit main 2>/dev/null &&
	git clone -q "$TRASH/store.git" "$TRASH/clone" &&
	pki-audit -C "$TRASH/clone" >/dev/null
'

product_done
