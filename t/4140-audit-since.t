#!/bin/sh
# pki-audit --since REV: only the commits after REV, and the state of
# what they touched, so that a nightly audit costs what the day added.
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-audit.sh"

test_expect_success 'setup: a history with an old tampering, audited up to a point' '
	history &&
	tamper &&
	echo "	name = x" >>c/pki.conf &&
	git -C c -c user.name=x -c user.email=x@x commit -q --no-gpg-sign -am "unsigned" &&
	old=$(git -C c rev-parse HEAD) &&
	test_expect_code 1 pki-audit -C c >findings &&
	grep -q "^error A101 $old: " findings
'

test_expect_success 'commits after REV only: the old finding is not said again' '
	echo one | as jmac pki-classify -C c -l confidential -c c -a poc >id && test_tick &&
	pki-audit -C c --since "$old" >out &&
	test ! -s out &&
	pki-audit -C c --since "$old" --format xml >out.xml &&
	xmllint --noout --schema "$SRC/share/pki/audit.xsd" out.xml &&
	grep -q "commits=\"1\"" out.xml && grep -q "products=\"1\"" out.xml
'

test_expect_success 'a tampering after REV is found' '
	p=$(cat id) &&
	sed -i "s|<safety>false</safety>|<safety>true</safety>|" "$(product_file "$p" xml)" &&
	git_as jmac -C c commit -q -S -am "mark" &&
	test_expect_code 1 pki-audit -C c --since "$old" >out &&
	grep -q "^error A205 $(git -C c rev-parse HEAD): changes $p" out &&
	grep -q "^error A601 $p: " out &&
	! grep -q "A101" out
'

test_expect_success 'the state of products the new commits did not touch is not checked again' '
	sed -i "s|<classification>strictly-confidential</classification>|<classification>confidential</classification>|" \
		"$(product_file "$B" xml)" &&
	git_as fc -C c commit -q -S -am "relabel" &&
	relabel=$(git -C c rev-parse HEAD) &&
	echo two | as jmac pki-classify -C c -l confidential -c c -a poc >/dev/null && test_tick &&
	test_expect_code 1 pki-audit -C c >out &&
	grep -q "^error A307 $B: " out &&
	pki-audit -C c --since "$relabel" --format xml >out.xml &&
	grep -q "commits=\"1\" products=\"1\"" out.xml &&
	! grep -q "A307" out.xml
'

test_expect_success 'a row removed after REV from an old month is found' '
	n=$(grep -n ",export,$A,confidential,hom," c/registry/2026-03.csv | cut -d: -f1) &&
	sed -i "${n}d" c/registry/2026-03.csv &&
	git_as chair -C c commit -q -S -am "tidy" &&
	test_expect_code 1 pki-audit -C c --since HEAD~1 >out &&
	grep -q "^error A201 registry/2026-03.csv:$n: " out
'

# The nightly line of pki-audit(1)'s crontab, in a clone at srv.
night() {
	(cd srv && git pull -q --ff-only && tip=$(git rev-parse main) &&
	{ last=$(git rev-parse -q --verify refs/audit/last); pki-audit ${last:+--since $last} >>../audit.log; [ $? -le 1 ]; } &&
	git update-ref refs/audit/last $tip)
}

test_expect_success 'the nightly crontab of pki-audit(1): the whole history first, then each day'"'"'s' '
	git clone -q "$REPO" srv && pin srv && : >audit.log &&
	night && test ! -s audit.log &&
	test "$(git -C srv rev-parse refs/audit/last)" = "$(git -C "$REPO" rev-parse main)" &&
	echo "	name = x" >>"$REPO/pki.conf" &&
	git -C "$REPO" -c user.name=x -c user.email=x@x commit -q --no-gpg-sign -am "unsigned" &&
	night && test "$(wc -l <audit.log)" = 1 &&
	grep -q "^error A101 $(git -C "$REPO" rev-parse main): " audit.log &&
	test "$(git -C srv rev-parse refs/audit/last)" = "$(git -C "$REPO" rev-parse main)" &&
	night && test "$(wc -l <audit.log)" = 1
'

test_done
