#!/bin/sh
# pki-audit: a merge's tree is exactly the semantic merge of its parents
# (pki-sync(1)): registry shards the union of both sides' rows (A121),
# every other file one side's version or the tables merged row by row
# (A122), a product both sides changed its labels merged, its list the
# merge of both lists (A123); and what a merge brings in is judged on its
# own (A101).  Merges made with stock git and gpg, signed with git_as.
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-audit.sh"

# diverge: a fresh clone c of $REPO and another, d, acting apart; after
# the commands each makes, c merges d's main as `side`.
diverge() {
	tamper &&
	rm -rf d && git clone -q "$REPO" d
}

# disjoint: c and d each file a product of their own.
disjoint() {
	diverge &&
	echo one | as jmac pki-classify -C c -l confidential -c c -a poc >/dev/null &&
	test_tick &&
	echo two | as fc pki-classify -C d -l confidential -c c -a poc >/dev/null &&
	test_tick
}

fetch_side() {
	git -C c fetch -q ../d main:side
}

# The label of product $1 in the clone c, its list and binding set by hand.
relabel() {
	python3 - "$@" <<-\PY
	import re, sys, hashlib
	path, gpg, names = sys.argv[1], sys.argv[2], sys.argv[3].split()
	x = open(path).read()
	dist = "<distribution>\n" + "".join("    <principal>%s</principal>\n" % n for n in sorted(names)) + "  </distribution>"
	x = re.sub(r"<distribution>.*?</distribution>", dist, x, flags=re.S)
	sha = hashlib.sha256(open(gpg, "rb").read()).hexdigest()
	x = re.sub(r"(<binding[^>]*>)[0-9a-f]*(</binding>)", r"\g<1>" + sha + r"\g<2>", x)
	open(path, "w").write(x)
	PY
}

# reencrypt GPG NAME...: the ciphertext re-encrypted by hand with gpg.
reencrypt() {
	_f=$1
	shift
	_r=
	for _n in "$@"; do _r="$_r -r $(fpr "$_n")"; done
	gpg --batch --quiet --decrypt "$_f" 2>/dev/null |
		gpg --batch --quiet --trust-model always --encrypt $_r -o "$_f.new" &&
	mv "$_f.new" "$_f"
}

test_expect_success 'setup: a mission and a product of jmac' '
	mission &&
	A=$(echo alpha | as jmac pki-classify -C "$REPO" -l confidential -c c -a "poc;crime") &&
	test_tick &&
	pki-audit -C "$REPO" >/dev/null
'

test_expect_success 'a merge made with stock git of disjoint work: clean' '
	disjoint &&
	fetch_side &&
	git_as jmac -C c merge -q -S --no-edit side &&
	pki-audit -C c >findings; rc=$?; cat findings; test $rc = 0
'

test_expect_success 'a merge that drops a registry row (A121)' '
	diverge &&
	echo one | as jmac pki-classify -C c -l confidential -c c -a poc >/dev/null &&
	test_tick &&
	as jmac pki-share -C d "$A" fc -j "fp" &&
	test_tick &&
	fetch_side &&
	git_as jmac -C c merge -q --no-commit side &&
	shard=$(git -C c ls-files "registry/*.csv" | tail -1) &&
	sed -i "\$d" "c/$shard" &&
	git -C c add "$shard" &&
	git_as jmac -C c commit -q -S --no-edit &&
	expect_finding A121 &&
	grep -q "^error A121 $(git -C c rev-parse HEAD): $shard is not the union" findings
'

# Both sides share A: c with fc, d with police; c merges by hand.
shared_both() {
	diverge &&
	as jmac pki-share -C c "$A" fc -j "force protection" &&
	test_tick &&
	as jmac pki-share -C d "$A" police -j "crime" &&
	test_tick &&
	fetch_side &&
	{ git_as jmac -C c merge -q --no-commit side >/dev/null 2>&1; true; } &&
	x=$(product_path "$A" xml) && g=$(product_path "$A" gpg) &&
	git -C c checkout -q --ours -- "$x" "$g" &&
	for s in $(git -C c diff --name-only --diff-filter=U); do git -C c add "$s"; done
}

test_expect_success 'the same merge made right by hand with gpg: no A123' '
	shared_both &&
	reencrypt "c/$g" archives chair fc hom jmac police &&
	relabel "c/$x" "c/$g" "archives chair fc hom jmac police" &&
	git -C c add "$x" "$g" &&
	git_as jmac -C c commit -q -S --no-edit &&
	pki-audit -C c >findings; cat findings;
	! grep -q "^error" findings
'

test_expect_success 'a merge that adds a recipient to a list, re-encrypted by hand (A123)' '
	shared_both &&
	reencrypt "c/$g" archives chair fc hom jmac police undss &&
	relabel "c/$x" "c/$g" "archives chair fc hom jmac police undss" &&
	git -C c add "$x" "$g" &&
	git_as jmac -C c commit -q -S --no-edit &&
	expect_finding A123 &&
	grep -q "^error A123 $A: merge $(git -C c rev-parse HEAD) gives a distribution list" findings
'

test_expect_success 'a merge that drops a recipient both sides kept (A123)' '
	shared_both &&
	reencrypt "c/$g" archives chair fc hom police &&
	relabel "c/$x" "c/$g" "archives chair fc hom police" &&
	git -C c add "$x" "$g" &&
	git_as jmac -C c commit -q -S --no-edit &&
	expect_finding A123
'

test_expect_success 'a merge that changes a table neither side changed (A122)' '
	disjoint &&
	fetch_side &&
	git_as hom -C c merge -q --no-commit side &&
	sed -i "s/^police,\(.*\),confidential,crime,/police,\1,strictly-confidential,crime,/" c/access-matrix.csv &&
	! git -C c diff --quiet HEAD -- access-matrix.csv &&
	git -C c add access-matrix.csv &&
	git_as hom -C c commit -q -S --no-edit &&
	expect_finding A122 &&
	grep -q "^error A122 $(git -C c rev-parse HEAD): changes .access-matrix.csv., which neither parent changed" findings
'

test_expect_success 'a merge that smuggles an unsigned side commit (A101)' '
	disjoint &&
	git -C d -c user.name=fc -c user.email=fc@mission.example commit -q --allow-empty \
		--no-gpg-sign -m "an unsigned commit" &&
	unsigned=$(git -C d rev-parse HEAD) &&
	test_tick &&
	fetch_side &&
	git_as jmac -C c merge -q -S --no-edit side &&
	git -C c verify-commit HEAD 2>/dev/null &&
	expect_finding A101 &&
	grep -q "^error A101 $unsigned: " findings
'

test_done
