#!/bin/sh
# pki-audit and reviews (pki-classify --reviewed): a review is made by
# those who may reclassify the product (A501), moves the review date and
# nothing else (A308), writes the label and not the ciphertext (A205),
# and a review date moved with no row is a change without a row (A205).
# Each forgery is made in a clone with stock git, signed with git_as.
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-audit.sh"

SHARD=registry/2026-03.csv

# amend_as NAME: fold the working tree into the last commit, authored and
# signed by NAME.
amend_as() {
	git_as "$1" -C c commit -q -S --amend --no-edit --reset-author -a &&
	git -C c verify-commit HEAD 2>/dev/null
}

# list_at REV ID: the distribution list of ID's label at REV in the
# clone, as a registry row gives it.
list_at() {
	git -C c show "$1:$(product_path "$2" xml)" |
		xmllint --xpath '//*[local-name()="distribution"]/*/text()' - |
		tr '\n' ';' | sed 's/;$//'
}

# last_row SED-SCRIPT: edit the last row of the clone's shard.
last_row() {
	sed -i "\$$1" "c/$SHARD"
}

test_expect_success 'setup: a clean history, and reviews by the tools audit clean' '
	history &&
	tamper &&
	as jmac pki-classify -C c --reviewed "$A" --next 2026-10-01 >/dev/null && test_tick &&
	as hom pki-classify -C c --reviewed "$X" >/dev/null && test_tick &&
	pki-audit -C c >findings; rc=$?; cat findings; test $rc = 0 &&
	! grep -q "^error" findings
'

test_expect_success 'a review row by a member who may not reclassify, written by hand (A501)' '
	tamper &&
	as hom pki-classify -C c --reviewed "$A" >/dev/null &&
	last_row "s/,hom,\([^,]*\),hom,/,fc,\1,originator,/" &&
	tail -1 "c/$SHARD" | grep -q ",review,$A,strictly-confidential,fc,.*,originator," &&
	amend_as fc &&
	expect_finding A501 &&
	grep -q "^error A501 $SHARD:[0-9]*: .*fc. is neither the originator of $A (.jmac.) nor the Head of Mission.*(policy 9.8)" findings &&
	test "$(grep -c "^error" findings)" = 1
'

test_expect_success 'a review that also changes the level (A308)' '
	tamper &&
	as jmac pki-classify -C c --reviewed "$A" >/dev/null &&
	sed -i "s|<classification>strictly-confidential</classification>|<classification>confidential</classification>|" \
		"$(product_file "$A" xml)" &&
	xmllint --noout --schema "$SRC/share/pki/label.xsd" "$(product_file "$A" xml)" 2>/dev/null &&
	amend_as jmac &&
	expect_finding A308 &&
	grep -q "^error A308 $A: commit $(git -C c rev-parse HEAD) changes the label.s classification, which review does not change" findings
'

test_expect_success 'a review row whose level is not the product.s (A501)' '
	tamper &&
	as jmac pki-classify -C c --reviewed "$A" >/dev/null &&
	last_row "s/,review,$A,strictly-confidential,/,review,$A,confidential,/" &&
	amend_as jmac &&
	expect_finding A501 &&
	grep -q "a review keeps the level, strictly-confidential (policy 11.2.1)" findings
'

test_expect_success 'a review date moved with no row (A205)' '
	tamper &&
	sed -i "s|<review>2026-09-01</review>|<review>2027-09-01</review>|" "$(product_file "$A" xml)" &&
	xmllint --noout --schema "$SRC/share/pki/label.xsd" "$(product_file "$A" xml)" 2>/dev/null &&
	git_as jmac -C c commit -q -S -am "a year more" &&
	expect_finding A205 &&
	grep -q "^error A205 $(git -C c rev-parse HEAD): changes $A with no registry row" findings &&
	test "$(grep -c "^error" findings)" = 1
'

test_expect_success 'a share that moves the review date (A308)' '
	tamper &&
	as chair pki-share -C c "$X" jmac -j "poc coordination" &&
	sed -i "s|</created>|</created>\n  <review>2027-09-01</review>|" "$(product_file "$X" xml)" &&
	xmllint --noout --schema "$SRC/share/pki/label.xsd" "$(product_file "$X" xml)" 2>/dev/null &&
	amend_as chair &&
	expect_finding A308 &&
	grep -q "changes the label.s review, which share does not change" findings
'

test_expect_success 'a re-encryption recorded only as a review (A205)' '
	tamper &&
	as jmac pki-share -C c "$A" fc -j "force protection" &&
	last_row "s/,share,$A,\([^,]*\),jmac,fc,/,review,$A,\1,jmac,$(list_at HEAD^ "$A"),/" &&
	tail -1 "c/$SHARD" | grep -q ",review,$A," &&
	amend_as jmac &&
	expect_finding A205 A308 &&
	grep -q "^error A205 $(git -C c rev-parse HEAD): rewrites the ciphertext of $A with only a review row" findings
'

test_done
