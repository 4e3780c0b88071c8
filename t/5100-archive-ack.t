#!/bin/sh
# pki-archive --ack: the UN Archives record their receipt of a transfer
# (archive-ack rows); pki-audit warns of a transfer unacknowledged after
# 90 days (A703).
. "$(dirname "$0")/lib.sh"

# ack_rows: the registry's archive-ack rows.
ack_rows() {
	cat "$REPO"/registry/*.csv | python3 -c '
import csv, sys
for r in csv.DictReader(sys.stdin):
    if r["action"] == "archive-ack":
        print(r["product"], r["level"], r["actor"], r["recipient"], r["authority"],
              r["reference"], r["justification"], sep="|")
'
}

test_expect_success 'setup: two products in 2026H1, transferred in July' '
	mission &&
	echo "patrol report, Bor" >p1 &&
	id1=$(as jmac pki-classify -C "$REPO" -l confidential -c c -a poc <p1) &&
	test_tick &&
	echo "threat to the camp at Malakal" >p2 &&
	id2=$(as fc pki-classify -C "$REPO" -l strictly-confidential -c b -a force-protection <p2) &&
	at 2026-07-02T08:00:00Z &&
	as chair pki-archive -C "$REPO" --period 2026H1 -o "$TRASH" >path &&
	printf "%s\n" "$id1" "$id2" | sort >h1.ids &&
	verify_history
'

test_expect_success 'pki-audit: no warning within 90 days of the transfer' '
	pki-audit -C "$REPO" --at 2026-09-29T08:00:00Z >out; rc=$?; cat out; test $rc = 0 &&
	! grep A703 out
'

test_expect_success 'pki-audit: A703 91 days after the transfer, exit 0 (a warning)' '
	pki-audit -C "$REPO" --at 2026-10-01T09:00:00Z >out; rc=$?; cat out; test $rc = 0 &&
	grep -q "^warning A703 UNMISS-2026H1: transferred to the UN Archives on 2026-07-02, its receipt is not recorded after 90 days (policy 11.5.1)$" out &&
	test_expect_code 1 pki-audit -C "$REPO" --at 2026-10-01T09:00:00Z --strict >/dev/null
'

test_expect_success 'refused: not the archives principal (77)' '
	at 2026-10-05T10:00:00Z &&
	for who in chair hom jmac auditor; do
		expect_refusal 77 as $who pki-archive -C "$REPO" --ack 2026H1 --accession ACC-1 &&
		grep -q "11.5.1" "$TRASH/err" || return 1
	done
'

test_expect_success 'refused: a half-year never transferred (65)' '
	expect_refusal 65 as archives pki-archive -C "$REPO" --ack 2025H2 --accession ACC-1 &&
	grep -q "UNMISS-2025H2" "$TRASH/err" &&
	expect_refusal 65 as archives pki-archive -C "$REPO" --ack 2026H2 --accession ACC-1
'

test_expect_success 'usage errors (64): bad period, empty or missing REF, extra options' '
	for p in 2026 2026H3 26H1 ""; do
		expect_refusal 64 as archives pki-archive -C "$REPO" --ack "$p" --accession ACC-1 || return 1
	done &&
	expect_refusal 64 as archives pki-archive -C "$REPO" --ack 2026H1 --accession "" &&
	expect_refusal 64 as archives pki-archive -C "$REPO" --ack 2026H1 &&
	expect_refusal 64 as archives pki-archive -C "$REPO" --ack 2026H1 --accession ACC-1 -o d &&
	expect_refusal 64 as archives pki-archive -C "$REPO" --ack 2026H1 --period 2026H1 --accession A &&
	expect_refusal 64 as chair pki-archive -C "$REPO" --period 2026H1 --accession A -o d &&
	expect_refusal 64 as archives pki-archive -C "$REPO" --ack 2026H1 --accession "$(printf "a\nb")"
'

test_expect_success 'the archives principal acknowledges 2026H1: one signed commit' '
	before=$(git -C "$REPO" rev-parse HEAD) &&
	as archives pki-archive -C "$REPO" --ack 2026H1 --accession "UNARMS/2026/0042" >out &&
	test ! -s out &&
	test "$(git -C "$REPO" rev-parse HEAD^)" = "$before" &&
	git -C "$REPO" log -1 --format=%B >msg &&
	grep -qx "pki-archive: acknowledge UNMISS-2026H1" msg &&
	grep -qx "Pki-Action: archive-ack" msg &&
	grep -qx "Pki-Accession: UNARMS/2026/0042" msg &&
	grep -qx "Pki-Actor: archives" msg &&
	git -C "$REPO" show --name-only --format= HEAD >files &&
	test "$(cat files)" = "registry/2026-10.csv" &&
	verify_history
'

test_expect_success 'one archive-ack row per product of the transfer' '
	ack_rows >rows &&
	cat rows &&
	cut -d"|" -f1 rows | sort >ids &&
	test_cmp h1.ids ids &&
	! grep -v "|archives|||UNARMS/2026/0042|receipt of transfer UNMISS-2026H1 (policy 11.5.1)$" rows &&
	grep -q "^$id1|confidential|" rows &&
	grep -q "^$id2|strictly-confidential|" rows &&
	pki-register -C "$REPO" --action archive-ack >reg &&
	test "$(grep -c archive-ack reg)" = 2 &&
	pki-register -C "$REPO" --action archive-ack --format xml >reg.xml &&
	xmllint --noout --schema "$SRC/share/pki/registry.xsd" reg.xml 2>err ||
		{ cat err; return 1; }
'

test_expect_success 'refused: already acknowledged (65), unchanged' '
	expect_refusal 65 as archives pki-archive -C "$REPO" --ack 2026H1 --accession ACC-2 &&
	grep -q "already" "$TRASH/err"
'

test_expect_success 'pki-audit: clean, and A703 is gone after the receipt' '
	pki-audit -C "$REPO" --at 2026-10-05T11:00:00Z >out; rc=$?; cat out; test $rc = 0 &&
	test ! -s out &&
	pki-audit -C "$REPO" --at 2026-10-05T11:00:00Z --strict
'

test_expect_success 'a transfer made again after the receipt wants a new one' '
	at 2026-10-06T10:00:00Z &&
	mkdir "$TRASH/again" &&
	as chair pki-archive -C "$REPO" --period 2026H1 --force -o "$TRASH/again" >/dev/null &&
	pki-audit -C "$REPO" --at 2027-01-05T11:00:00Z >out; cat out &&
	grep -q "^warning A703 UNMISS-2026H1: transferred to the UN Archives on 2026-10-06" out &&
	at 2027-01-06T10:00:00Z &&
	as archives pki-archive -C "$REPO" --ack 2026H1 --accession ACC-3 &&
	pki-audit -C "$REPO" --at 2027-01-06T11:00:00Z --strict
'

test_expect_success 'a final transfer wants no receipt: no A703 for it' '
	at 2027-01-07T10:00:00Z &&
	mkdir "$TRASH/final" &&
	as chair pki-archive -C "$REPO" --final -o "$TRASH/final" >/dev/null &&
	pki-audit -C "$REPO" --at 2027-06-01 --strict
'

test_done
