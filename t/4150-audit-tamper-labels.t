#!/bin/sh
# pki-audit: each field of a label changes only by the action that owns it
# (A308).  A share made by pki-share in a clone, then amended with stock
# git to change one more field of the label, and signed again by the same
# principal: the label stays valid and bound to its ciphertext, the
# registry row is the tool's own, and the audit still finds it.
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-audit.sh"

# edit_label ID SED-SCRIPT: change the clone's label of ID, and check it
# against label.xsd (a valid label, so that only A308 can say why).
edit_label() {
	sed -i "$2" "$(product_file "$1" xml)" &&
	xmllint --noout --schema "$SRC/share/pki/label.xsd" "$(product_file "$1" xml)" 2>/dev/null
}

# amend_as NAME: fold the working tree into the last commit, signed by NAME.
amend_as() {
	git_as "$1" -C c commit -q -S --amend --no-edit -a &&
	git -C c verify-commit HEAD 2>/dev/null
}

# only_a308 ID: the audit's one error is A308 for ID, by the last commit
# (or by commit $2), naming the field $3.
only_a308() {
	expect_finding A308 &&
	test "$(grep -c "^error" findings)" = 1 &&
	grep -q "^error A308 $1: commit ${2:-$(git -C c rev-parse HEAD)} changes the label's $3, " findings
}

test_expect_success 'setup: a clean history audits clean' '
	history &&
	pki-audit -C "$REPO" >findings &&
	! grep -q A308 findings
'

test_expect_success 'shares, revokes and reclassifications made by the tools are clean' '
	tamper &&
	as chair pki-share -C c "$X" jmac -j "poc coordination" && test_tick &&
	as jmac pki-share -C c "$A" fc -j "force protection" && test_tick &&
	as jmac pki-share -C c --revoke "$A" fc && test_tick &&
	as jmac pki-classify -C c --change "$A" -l confidential -c c >/dev/null && test_tick &&
	as fc pki-classify -C c --change "$B" -l confidential -c b >/dev/null &&
	pki-audit -C c >findings &&
	! grep -q A308 findings
'

test_expect_success 'a share that drops <originator-control/>, then an export without consent (A308)' '
	tamper &&
	as chair pki-share -C c "$X" jmac -j "poc coordination" &&
	edit_label "$X" "/<caveats>/,/<\/caveats>/c\\  <caveats/>" &&
	! grep -q "originator-control" "$(product_file "$X" xml)" &&
	amend_as chair && share=$(git -C c rev-parse HEAD) && test_tick &&
	as hom pki-share -C c "$X" unct -j "UNCT coordination" -o "$TRASH/copy4.gpg" &&
	only_a308 "$X" "$share" originator-control &&
	grep -q "which share does not change: each field of a label changes only by the action that owns it (policy 11.4.3)" findings
'

test_expect_success 'a share that rewrites <originator>, then a reclassification by the new one (A308)' '
	tamper &&
	as jmac pki-share -C c "$A" fc -j "force protection" &&
	edit_label "$A" "s|<originator type=\"principal\">jmac</originator>|<originator type=\"principal\">fc</originator>|" &&
	amend_as jmac && share=$(git -C c rev-parse HEAD) && test_tick &&
	as fc pki-classify -C c --change "$A" -l confidential -c c >/dev/null &&
	only_a308 "$A" "$share" originator &&
	grep -q "(policy 11.2.1)" findings
'

test_expect_success 'a share that widens <areas> (A308)' '
	tamper &&
	as jmac pki-share -C c "$A" fc -j "force protection" &&
	edit_label "$A" "s|<areas>poc;crime</areas>|<areas>poc;crime;force-protection</areas>|" &&
	amend_as jmac &&
	only_a308 "$A" "" areas
'

test_expect_success 'the same on a side branch, merged with stock git (A308)' '
	tamper &&
	as chair pki-share -C c "$X" jmac -j "poc coordination" &&
	edit_label "$X" "/<caveats>/,/<\/caveats>/c\\  <caveats/>" &&
	amend_as chair && side=$(git -C c rev-parse HEAD) && test_tick &&
	git -C c branch side && git -C c reset -q --hard HEAD~1 &&
	as fc pki-share -C c "$B" jmac -j "force protection" && test_tick &&
	git_as hom -C c merge -q -S --no-ff --no-edit side &&
	git -C c verify-commit HEAD 2>/dev/null &&
	only_a308 "$X" "$side" originator-control
'

test_expect_success 'a share that moves the review date (A308)' '
	tamper &&
	as jmac pki-share -C c "$A" fc -j "force protection" &&
	edit_label "$A" "s|<review>2026-09-01</review>|<review>2030-09-01</review>|" &&
	amend_as jmac &&
	only_a308 "$A" "" review
'

test_expect_success 'a share that lowers the level, covered by a reclassification later (A308)' '
	tamper &&
	as jmac pki-share -C c "$A" fc -j "force protection" &&
	edit_label "$A" "s|<classification>strictly-confidential</classification>|<classification>confidential</classification>|" &&
	amend_as jmac && share=$(git -C c rev-parse HEAD) && test_tick &&
	as jmac pki-classify -C c --change "$A" -l strictly-confidential -c c >/dev/null &&
	only_a308 "$A" "$share" classification
'

test_expect_success 'a share that clears the safety flag and adds an IR reference (A308)' '
	tamper &&
	as fc pki-share -C c "$B" jmac -j "force protection" &&
	edit_label "$B" "s|<safety>true</safety>|<safety>false</safety><ir>PIR-9</ir>|" &&
	amend_as fc &&
	only_a308 "$B" "" "safety and ir"
'

test_expect_success 'a revoke that renames the registrar (A308)' '
	tamper &&
	as chair pki-share -C c "$X" jmac -j "poc coordination" && test_tick &&
	as chair pki-share -C c --revoke "$X" jmac &&
	edit_label "$X" "s|<registrar>chair</registrar>|<registrar>jmac</registrar>|" &&
	amend_as chair &&
	only_a308 "$X" "" registrar &&
	grep -q "which revoke does not change" findings
'

test_expect_success 'a label rewritten with no row at all is A205, not A308 too' '
	tamper &&
	edit_label "$A" "s|<areas>poc;crime</areas>|<areas>poc</areas>|" &&
	git_as jmac -C c commit -q -S -am "relabel" &&
	expect_finding A205 &&
	! grep -q A308 findings
'

test_expect_success 'a label that names another product (A308, A305)' '
	tamper &&
	as jmac pki-share -C c "$A" fc -j "force protection" &&
	edit_label "$A" "s|<id>$A</id>|<id>UNMISS-OSRSG-2026-999999</id>|" &&
	amend_as jmac &&
	expect_finding A308 A305 &&
	grep -q "^error A308 $A: commit $(git -C c rev-parse HEAD) changes the label.s id, which share does not change" findings
'

test_expect_success 'a change made through a label that does not parse (A305)' '
	tamper &&
	as chair pki-share -C c "$X" jmac -j "poc coordination" &&
	sed -i "s|<originator-control/>|<originator-control/><orcon-waived/>|" "$(product_file "$X" xml)" &&
	amend_as chair && bad=$(git -C c rev-parse HEAD) && test_tick &&
	decrypt_as chair "$(product_file "$X" gpg)" >plain &&
	gpg --batch --yes --quiet --trust-model always -r "$(fpr archives)" -r "$(fpr chair)" \
		-r "$(fpr fc)" -r "$(fpr hom)" -r "$(fpr jmac)" -o "$(product_file "$X" gpg)" -e plain &&
	sum=$(sha256sum "$(product_file "$X" gpg)" | cut -c1-64) &&
	edit_label "$X" "s|<orcon-waived/>||; s|<originator-control/>||;
		s|<principal>chair</principal>|<principal>chair</principal><principal>fc</principal>|;
		s|<binding algorithm=\"sha256\">[0-9a-f]*</binding>|<binding algorithm=\"sha256\">$sum</binding>|" &&
	printf "\"%s\",\"%s\",\"share\",\"%s\",\"confidential\",\"chair\",\"fc\",\"originator\",\"force protection\",\"\",\"\",\"\",\"\"\r\n" \
		"$(cat /proc/sys/kernel/random/uuid)" "$PKI_DATE" "$X" >>c/registry/2026-03.csv &&
	git_as chair -C c commit -q -S -am "share" &&
	expect_finding A305 &&
	grep -q "^error A305 $X: commit $bad writes a label that is not valid: " findings &&
	test "$(grep -c "^error" findings)" = 1
'

# Last: it moves the clock past the half-year.
test_expect_success 'a transfer that re-encrypts a product for the archives is clean' '
	R2=$TRASH/m2 &&
	as hom pki-init -m UNMISS -n "UN Mission in South Sudan" -e OSRSG -p hom "$R2" && test_tick &&
	as hom pki-matrix -C "$R2" add jmac --key "$FIXTURES/keys/jmac.pub.asc" --entity JMAC \
		--type mission --role member --clearance strictly-confidential --areas poc && test_tick &&
	q1=$(echo early | as jmac pki-classify -C "$R2" -l confidential -c c -a poc) && test_tick &&
	as hom pki-matrix -C "$R2" add archives --key "$FIXTURES/keys/archives.pub.asc" --entity ARMS \
		--type un --role archives --clearance strictly-confidential --areas "*" &&
	test_clock=$(date -u -d 2026-07-01T00:00:00Z +%s) && test_tick &&
	mkdir bags && as hom pki-archive -C "$R2" --period 2026H1 -o "$TRASH/bags" >/dev/null &&
	git -C "$R2" log -1 --format=%B | grep -qx "Pki-Reencrypted: 1" &&
	pki-audit -C "$R2" >findings &&
	! grep -q A308 findings
'

test_done
