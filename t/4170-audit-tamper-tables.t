#!/bin/sh
# pki-audit: the tables a commit leaves meet the rules pki-matrix
# enforces (lib/policy.c): a valid Head of Mission and Chair remain
# (A114), each role fits its type (A115), each new delegation names a
# valid grantee inside the mission and a written instrument (A116); and
# a transfer re-encrypts only for the UN Archives (A501).  Tables edited
# with stock git, committed and signed by a principal who may change them.
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-audit.sh"

SHARD=registry/2026-03.csv

# matrix_edit SED: the clone's access matrix edited by hand, committed
# and signed by hom with stock git.
matrix_edit() {
	sed -i "$1" c/access-matrix.csv &&
	git_as hom -C c commit -q -S -am "matrix by hand"
}

# granted ID GRANTEE POWER SCOPE REFERENCE: a delegation from hom
# appended by hand, committed and signed by hom.
granted() {
	printf "\"%s\",\"hom\",\"%s\",\"%s\",\"%s\",\"2026-03-01\",\"\",\"%s\"\r\n" \
		"$1" "$2" "$3" "$4" "$5" >>c/delegations.csv &&
	git_as hom -C c commit -q -S -am "delegation by hand"
}

# only CODE: that code is the one error the audit reports.
only() {
	test "$(grep -c "^error" findings)" = 1 &&
	grep -q "^error $1 " findings
}

test_expect_success 'setup: a clean history audits clean' '
	history &&
	pki-audit -C "$REPO"
'

test_expect_success 'the last Chair made a member by hand (A114)' '
	tamper &&
	matrix_edit "s/^chair,\([0-9A-F]*,CMPIC,mission\),chair,/chair,\1,member,/" &&
	grep -q "^chair,.*,member," c/access-matrix.csv &&
	git -C c verify-commit HEAD 2>/dev/null &&
	expect_finding A114 &&
	grep -q "^error A114 $(git -C c rev-parse HEAD): changes the access matrix: the access matrix must keep a valid Chair: add the next one first (policy 12.10)" findings &&
	only A114
'

test_expect_success 'the Head of Mission ended by hand (A114)' '
	tamper &&
	matrix_edit "s/^\(hom,.*\),\$/\1,$PKI_DATE/" &&
	grep -q "^hom,.*,$PKI_DATE\$" c/access-matrix.csv &&
	expect_finding A114 &&
	grep -q "must keep a valid Head of Mission" findings &&
	only A114
'

test_expect_success 'the archives made a mission principal by hand (A115)' '
	tamper &&
	matrix_edit "s/,ARMS,un,archives,/,ARMS,mission,archives,/" &&
	expect_finding A115 &&
	grep -q "^error A115 $(git -C c rev-parse HEAD): sets principal .archives. in the access matrix: an archives principal is the UN Archives, a UN entity outside the mission: its type is un (policy 11.5.1)" findings &&
	only A115
'

test_expect_success 'the archives cleared to confidential by hand (A115)' '
	tamper &&
	matrix_edit "s/,archives,strictly-confidential,/,archives,confidential,/" &&
	expect_finding A115 &&
	grep -q "its clearance is strictly-confidential (policy 11.5.1)" findings &&
	only A115
'

test_expect_success 'a second archives principal of type mission, added by hand with its key (A115)' '
	tamper &&
	cp "$FIXTURES/keys/mallory.pub.asc" "c/keys/$(fpr mallory).asc" &&
	printf "\"mallory\",\"%s\",\"ARMS\",\"mission\",\"archives\",\"strictly-confidential\",\"*\",\"2026-03-01\",\"\"\r\n" \
		"$(fpr mallory)" >>c/access-matrix.csv &&
	git -C c add keys &&
	git_as hom -C c commit -q -S -am "an archives principal by hand" &&
	expect_finding A115 &&
	grep -q "sets principal .mallory. in the access matrix: an archives principal is the UN Archives" findings &&
	only A115
'

test_expect_success 'a delegation with no written instrument (A116)' '
	tamper &&
	granted DLG-hand000001 fc disseminate poc "" &&
	expect_finding A116 &&
	grep -q "^error A116 $(git -C c rev-parse HEAD): records delegation DLG-hand000001: delegation .DLG-hand000001. names no written instrument (policy 9.8)" findings &&
	only A116
'

test_expect_success 'a delegation to a principal outside the mission (A116)' '
	tamper &&
	granted DLG-hand000002 unct share-external "*" "HoM memo" &&
	expect_finding A116 &&
	grep -q "records delegation DLG-hand000002: .unct. is outside the mission: authority is delegated within it (policy 9.8)" findings &&
	only A116
'

test_expect_success 'a delegation to no principal, and to one removed (A116)' '
	tamper &&
	granted DLG-hand000003 nobody disseminate "*" "memo" &&
	expect_finding A116 &&
	grep -q "records delegation DLG-hand000003: .nobody. is not a valid principal of the access matrix (policy 9.8)" findings &&
	only A116 &&
	granted DLG-hand000004 police disseminate "*" "memo" &&
	expect_finding A116 &&
	grep -q "records delegation DLG-hand000004: .police. is not a valid principal" findings &&
	test "$(grep -c "^error A116" findings)" = 2
'

test_expect_success 'a delegation edited by hand to lose its written instrument (A116)' '
	tamper &&
	sed -i "s/,JMAC note 1\$/,/" c/delegations.csv &&
	git_as hom -C c commit -q -S -am "delegation edited by hand" &&
	expect_finding A116 &&
	grep -q "records delegation $D: delegation .$D. names no written instrument (policy 9.8)" findings &&
	only A116
'

test_expect_success 'delegations granted before stay history when another is added' '
	tamper &&
	granted DLG-hand000005 fc disseminate crime "HoM note 7" &&
	pki-audit -C c
'

test_expect_success 'an archive share to a principal who is not the archives (A501)' '
	tamper &&
	as hom pki-share -C c "$A" fc -j "transfer to the UN Archives (policy 11.5.1)" &&
	sed -i "\$s/,hom,fc,hom,/,hom,fc,custodian,/" "c/$SHARD" &&
	tail -1 "c/$SHARD" | grep -q ",fc,custodian," &&
	printf "\"%s\",\"%s\",\"archive\",\"%s\",\"strictly-confidential\",\"hom\",\"archives\",\"hom\",\"transfer to the UN Archives (policy 11.5.1)\",\"\",\"\",\"UNMISS-2026H1\",\"\"\r\n" \
		"$(cat /proc/sys/kernel/random/uuid)" "$PKI_DATE" "$A" >>"c/$SHARD" &&
	git_as hom -C c commit -q -S --amend -am "archive by hand" &&
	expect_finding A501 &&
	grep -q "^error A501 $SHARD:[0-9]*: share of $A by .hom. in commit $(git -C c rev-parse HEAD): .fc. is member, not the UN Archives: records are transferred to the archives principal (policy 11.5.1)" findings &&
	only A501
'

test_done
