#!/bin/sh
# What a person changed by hand in the work tree or the index is never
# overwritten: every way a touched path can differ from the tip is
# refused with 65, and a file whose stat data changed but not its
# content is not.
. "$(dirname "$0")/lib.sh"

M=access-matrix.csv

# add_police: a change that rewrites access-matrix.csv.
add_police() {
	as hom pki-matrix -C "$REPO" add police --clearance confidential
}

# restore: the matrix file and the index as the tip has them.
restore() {
	git -C "$REPO" reset -q --hard HEAD
}

test_expect_success 'setup' '
	mission
'

test_expect_success 'refused: a hand edit of the same size (content, not stat)' '
	sed "s/confidential/Confidential/" "$REPO/$M" >tmp &&
	test "$(wc -c <tmp)" = "$(wc -c <"$REPO/$M")" &&
	cat tmp >"$REPO/$M" &&
	expect_refusal 65 add_police &&
	grep -q "^pki-matrix: .*$M.* uncommitted changes" err &&
	restore
'

test_expect_success 'refused: an edit staged with git add and undone in the file' '
	cp "$REPO/$M" keep &&
	echo "# staged" >>"$REPO/$M" &&
	git -C "$REPO" add "$M" &&
	cp keep "$REPO/$M" &&
	expect_refusal 65 add_police &&
	restore
'

test_expect_success 'refused: the file deleted from the work tree' '
	rm "$REPO/$M" &&
	expect_refusal 65 add_police &&
	restore
'

test_expect_success 'refused: the file removed with git rm --cached' '
	git -C "$REPO" rm -q --cached "$M" &&
	expect_refusal 65 add_police &&
	restore
'

test_expect_success 'refused: the file replaced by a symbolic link' '
	mv "$REPO/$M" "$TRASH/m.csv" &&
	ln -s "$TRASH/m.csv" "$REPO/$M" &&
	expect_refusal 65 add_police &&
	rm "$REPO/$M" &&
	restore
'

# classify_in_may: a classification that starts the registry shard of May.
classify_in_may() {
	echo "a report" >"$TRASH/product" &&
	PKI_DATE=2026-05-01T09:00:00Z &&
	as jmac pki-classify -C "$REPO" -l confidential -c c -a poc "$TRASH/product"
}

test_expect_success 'refused: an untracked file where a change would create one' '
	mkdir -p "$REPO/registry" &&
	echo mine >"$REPO/registry/2026-05.csv" &&
	(expect_refusal 65 classify_in_may) &&
	grep -q "registry/2026-05.csv.* uncommitted changes" err &&
	rm "$REPO/registry/2026-05.csv"
'

test_expect_success 'accepted: touched, copied over with the same bytes' '
	cp "$REPO/$M" same &&
	sleep 1 &&
	cp same "$REPO/$M" &&
	touch "$REPO/$M" &&
	add_police &&
	test -z "$(git -C "$REPO" status --porcelain)" &&
	verify_history
'

test_done
