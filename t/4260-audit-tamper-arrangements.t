#!/bin/sh
# pki-audit: the register of arrangements and other media, forged with
# stock git.  arrangements.csv is kept by hom and chair (A104), its rows
# ended but never removed (A117) nor rewritten, and a new row names a
# partner the matrix knows (A118); an export is judged with the register
# of its time (A505); a medium row names paper, oral or display on a
# share or an export (A210) and changes no product (A211); a principal
# without a key is on no encrypted list (A506).
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-audit.sh"

SHARD=registry/2026-03.csv
J="mandate: protection of civilians"

# row FIELDS...: a registry row dated now, every field given but event and
# time, appended to the clone's shard.
row() {
	printf "\"%s\",\"%s\"" "$(cat /proc/sys/kernel/random/uuid)" "$PKI_DATE" >>"c/$SHARD" &&
	for _f in "$@"; do printf ",\"%s\"" "$_f" >>"c/$SHARD"; done &&
	printf "\r\n" >>"c/$SHARD"
}

# arrangement LINE: a row appended by hand to the clone's register.
arrangement() {
	printf '%s\r\n' "$1" >>c/arrangements.csv
}

# only CODE: that code is the one error the audit reports.
only() {
	test "$(grep -c "^error" "$TRASH/findings")" = 1 &&
	grep -q "^error $1 " "$TRASH/findings"
}

test_expect_success 'setup: a history with a register and media rows audits clean' '
	history &&
	ORC=$(as hom pki-matrix -C "$REPO" arrange orcon HOST --ref "MoU HS 2026/1") && test_tick &&
	LEG=$(as hom pki-matrix -C "$REPO" arrange legal HOST --ref "OLA 2026/4") && test_tick &&
	as hom pki-share -C "$REPO" "$U" hoststate -j "$J" --arrangement "$ORC" \
		-o "$TRASH/c4.gpg" && test_tick &&
	as jmac pki-share -C "$REPO" --medium oral "$A" fc -j "brief" && test_tick &&
	as hom pki-matrix -C "$REPO" add elder --entity COMMUNITY --type non-un --role external \
		--clearance confidential && test_tick &&
	pki-audit -C "$REPO"
'

test_expect_success 'a member writes the register (A104)' '
	tamper &&
	arrangement "\"ARR-00000000aa\",\"orcon\",\"HOST\",\"MoU forged\",\"2026-03-01\",\"\",\"\"" &&
	git_as jmac -C c commit -q -S -am "arrangement by hand" &&
	git -C c verify-commit HEAD 2>/dev/null &&
	expect_finding A104 &&
	grep -q "^error A104 $(git -C c rev-parse HEAD): changes the register of arrangements: .jmac. is member: only the Head of Mission or the Chair keep the register of arrangements (policy 11.4.3, 12.10)" findings
'

test_expect_success 'a row removed from the register (A117)' '
	tamper &&
	grep -v "$LEG" c/arrangements.csv >x && mv x c/arrangements.csv &&
	git_as hom -C c commit -q -S -am "arrangement removed" &&
	expect_finding A117 &&
	grep -q "^error A117 $(git -C c rev-parse HEAD): removes arrangement $LEG (legal with .HOST.): a recorded arrangement is ended, never removed (policy 11.4.3, 12.10)" findings &&
	only A117
'

test_expect_success 'a row rewritten: another partner (A118)' '
	tamper &&
	sed -i "s/^$ORC,orcon,HOST,/$ORC,orcon,FAMA,/" c/arrangements.csv &&
	grep -q "^$ORC,orcon,FAMA," c/arrangements.csv &&
	git_as hom -C c commit -q -S -am "arrangement rewritten" &&
	expect_finding A118 &&
	grep -q "^error A118 $(git -C c rev-parse HEAD): records arrangement $ORC: arrangement .$ORC. is rewritten: a recorded arrangement is only ever ended" findings
'

test_expect_success 'a row for a partner the matrix does not know (A118)' '
	tamper &&
	arrangement "\"ARR-00000000bb\",\"orcon\",\"NOBODY\",\"MoU\",\"2026-03-01\",\"\",\"\"" &&
	git_as hom -C c commit -q -S -am "arrangement by hand" &&
	expect_finding A118 &&
	grep -q "^error A118 $(git -C c rev-parse HEAD): records arrangement ARR-00000000bb: arrangement .ARR-00000000bb. names partner .NOBODY., which is neither a principal nor the entity of one in the access matrix (policy 11.4.3)" findings &&
	only A118
'

test_expect_success 'an export whose arrangement is of another kind, by hand (A505)' '
	tamper &&
	row export "$U" unclassified hom hoststate hom "$J" "" "$LEG" "" "" &&
	git_as hom -C c commit -q -S -am "export by hand" &&
	expect_finding A505 &&
	grep -q "^error A505 $SHARD:[0-9]*: export of $U to .hoststate. by .hom. in commit $(git -C c rev-parse HEAD): arrangement .$LEG. is legal, not orcon (--arrangement, policy 11.4.3)" findings &&
	only A505
'

test_expect_success 'an export naming no row of the register, by hand (A505)' '
	tamper &&
	row export "$U" unclassified hom hoststate hom "$J" "" "MoU in a drawer" "" paper &&
	git_as hom -C c commit -q -S -am "export by hand" &&
	expect_finding A505 &&
	grep -q "names no arrangement of the register" findings &&
	only A505
'

test_expect_success 'free text before the register existed stays valid history' '
	pki-audit -C "$REPO" >out &&
	grep -q "ARR-1" "$REPO/$SHARD" &&
	! grep -q "^error" out
'

test_expect_success 'a medium pki does not know (A210)' '
	tamper &&
	row share "$A" strictly-confidential jmac fc originator "brief" "" "" "" "smoke signals" &&
	git_as jmac -C c commit -q -S -am "share by hand" &&
	expect_finding A210 &&
	grep -q "^error A210 $SHARD:[0-9]*: row .* records medium .smoke signals. for a share: paper, oral or display go with a share or an export (policy 11.3.3, 24)" findings &&
	only A210
'

test_expect_success 'a medium on a revoke (A210)' '
	tamper &&
	row revoke "$A" strictly-confidential jmac hom originator "" "" "" "" oral &&
	git_as jmac -C c commit -q -S -am "revoke by hand" &&
	expect_finding A210
'

test_expect_success 'a medium row whose commit rewrites the product (A211)' '
	tamper &&
	xml=$(product_path "$A" xml) &&
	sed -i "s|</areas>|</areas><!-- -->|" "c/$xml" &&
	row share "$A" strictly-confidential jmac fc originator "brief" "" "" "" oral &&
	git_as jmac -C c commit -q -S -am "share by hand" &&
	expect_finding A211 &&
	grep -q "^error A211 $SHARD:[0-9]*: a share of $A on oral, but commit $(git -C c rev-parse HEAD) rewrites the product: a dissemination on another medium changes neither its ciphertext nor its list (policy 11.3.3, 24)" findings
'

test_expect_success 'a principal on lists made keyless by hand (A506)' '
	tamper &&
	sed -i "s/^jmac,[0-9A-F]*,/jmac,,/" c/access-matrix.csv &&
	grep -q "^jmac,," c/access-matrix.csv &&
	git_as hom -C c commit -q -S -am "matrix by hand" &&
	expect_finding A506 &&
	grep -q "^error A506 $A: .jmac. has no key and is on its distribution list: it receives only on paper, orally or on a display (policy 9.8, 24)" findings
'

test_expect_success 'arrangements.csv is a path of the repository (no A106)' '
	! grep -q A106 findings
'

test_done
