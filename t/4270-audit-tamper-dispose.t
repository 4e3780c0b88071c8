#!/bin/sh
# pki-audit and the disposal of materials (pki-archive --dispose): a
# product's ciphertext removed by hand (A205), a dispose row forged for a
# product or before a material's retention ran out (A507), a label whose
# disposal time is not its row's (A310), a ciphertext brought back beside
# a label marked disposed (A309); and A704, a transferred material whose
# retention has ended.  Each forgery is made in a clone with stock git,
# signed with git_as.
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-audit.sh"

# forge_dispose NAME ID [LABEL-TIME]: what pki-archive --dispose does, by
# hand in the clone, signed by NAME: the ciphertext removed, the label
# marked disposed (at LABEL-TIME, the row's time unless told), a dispose
# row appended to the month's shard.
forge_dispose() {
	_l=$(product_file "$2" xml) &&
	git -C c rm -q "$(product_path "$2" gpg)" &&
	sed -i "s|</binding>|</binding>\n  <disposed>${3:-$PKI_DATE}</disposed>|" "$_l" &&
	_level=$(xmllint --xpath 'string(//*[local-name()="classification"])' "$_l") &&
	_shard=c/registry/$(echo "$PKI_DATE" | cut -c1-7).csv &&
	python3 - "$PKI_DATE" "$2" "$_level" "$1" >>"$_shard" <<-\EOF &&
	import csv, sys, uuid
	t, pid, level, actor = sys.argv[1:5]
	csv.writer(sys.stdout, lineterminator="\n").writerow([
	    str(uuid.uuid4()), t, "dispose", pid, level, actor, "", "custodian",
	    "retention ended: material destroyed (policy 12.6.9)", "", "", "DC/FORGED/1"])
	EOF
	git_as "$1" -C c commit -q -S -am "dispose of $2" &&
	git -C c verify-commit HEAD 2>/dev/null
}

# errors N: exactly N errors in the findings.
errors() {
	test "$(grep -c '^error' "$TRASH/findings")" -eq "$1"
}

test_expect_success 'setup: materials transferred and acknowledged; a disposal by the tool audits clean' '
	history &&
	M=$(echo "raw imagery" | as jmac pki-classify -C "$REPO" -l confidential -c c -a poc \
		--kind material --retention P90D) && test_tick &&
	Y=$(echo "working copy" | as fc pki-classify -C "$REPO" -l confidential -c c \
		-a force-protection --kind material --retention P5Y) && test_tick &&
	at 2026-07-02T08:00:00Z &&
	as chair pki-archive -C "$REPO" --period 2026H1 -o "$TRASH" >/dev/null &&
	test_tick &&
	as archives pki-archive -C "$REPO" --ack 2026H1 --accession ACC-1 &&
	test_tick &&
	tamper &&
	as chair pki-archive -C c --dispose "$M" --certificate DC/2026/1 &&
	pki-audit -C c >findings; rc=$?; cat findings; test $rc = 0 &&
	! grep -q "^error" findings
'

test_expect_success 'a product'"'"'s ciphertext removed by hand (A205, A306)' '
	tamper &&
	git -C c rm -q "$(product_path "$A" gpg)" &&
	git_as chair -C c commit -q -S -m "remove a product" &&
	expect_finding A205 A306 &&
	grep -q "^error A205 .*: deletes files of $A: products are kept for the archives (policy 11.5.1)" "$TRASH/findings" &&
	errors 2
'

test_expect_success 'a material'"'"'s ciphertext removed by hand, no dispose row (A205, A306)' '
	tamper &&
	git -C c rm -q "$(product_path "$M" gpg)" &&
	git_as chair -C c commit -q -S -m "remove a material" &&
	expect_finding A205 A306 &&
	errors 2
'

test_expect_success 'a forged dispose of a product, by the Chair (A507)' '
	tamper &&
	forge_dispose chair "$A" &&
	expect_finding A507 &&
	grep -q "^error A507 registry/2026-07.csv:[0-9]*: dispose of $A by .chair. in commit $(git -C c rev-parse HEAD): $A is a product: products, plans and requirements are permanent records, transferred to the UN Archives and never disposed of (policy 11.5.1)$" "$TRASH/findings"
'

test_expect_success 'a forged dispose before the retention ran out (A507)' '
	tamper &&
	forge_dispose chair "$Y" &&
	expect_finding A507 &&
	grep -q "^error A507 .*: dispose of $Y by .chair. .*: the retention of $Y (P5Y) runs until 2031-03-02: a material is destroyed only after its retention (policy 12.6.9)$" "$TRASH/findings" &&
	errors 1
'

test_expect_success 'a forged dispose by the Head of Mission (A507)' '
	tamper &&
	forge_dispose hom "$M" &&
	expect_finding A507 &&
	grep -q "^error A507 .*: dispose of $M by .hom. .*: .hom. is hom: materials are destroyed by the Chair" "$TRASH/findings" &&
	errors 1
'

test_expect_success 'a forged dispose of a material never transferred (A507)' '
	tamper &&
	N=$(echo "scratch notes" | as jmac pki-classify -C c -l confidential -c e -a poc \
		--kind material --retention P1D) &&
	test_tick 86400 &&
	forge_dispose chair "$N" &&
	expect_finding A507 &&
	grep -q "^error A507 .*: dispose of $N by .chair. .*: $N was never transferred to the UN Archives: records are transferred before materials are destroyed (policy 11.5.1, 12.6.9)$" "$TRASH/findings" &&
	errors 1
'

test_expect_success 'a dispose whose label says another time than its row (A310)' '
	tamper &&
	forge_dispose chair "$M" 2026-07-01T00:00:00Z &&
	expect_finding A310 &&
	grep -q "^error A310 $M: commit .* marks its label disposed at 2026-07-01T00:00:00Z, its dispose row .* says $PKI_DATE (policy 12.6.9)$" "$TRASH/findings" &&
	errors 1
'

test_expect_success 'a disposed material'"'"'s ciphertext brought back (A309)' '
	tamper &&
	as chair pki-archive -C c --dispose "$M" --certificate DC/2026/1 &&
	test_tick &&
	ct=$(git -C c show --name-only --format= HEAD | grep "\.gpg$") &&
	git -C c checkout -q HEAD^ -- "$ct" &&
	git_as chair -C c commit -q -S -m "bring it back" &&
	expect_finding A309 &&
	grep -q "^error A309 $M: commit $(git -C c rev-parse HEAD) keeps a ciphertext beside its label, which says it was disposed of on 2026-07-0[0-9] (policy 12.6.9)$" "$TRASH/findings"
'

test_expect_success 'A704: a transferred material past its retention, as information' '
	pki-audit -C "$REPO" --at 2031-03-03 >findings; rc=$?; cat findings; test $rc = 0 &&
	grep -q "^info A704 $M: its retention P90D ended on 2026-05-31 and it was transferred to the UN Archives: the Chair may dispose of it (pki-archive --dispose; policy 12.6.9)$" findings &&
	grep -q "^info A704 $Y: its retention P5Y ended on 2031-03-02" findings &&
	pki-audit -C "$REPO" --at 2026-05-30 >findings &&
	! grep -q A704 findings
'

test_done
