#!/bin/sh
# pki-audit: what pki-matrix rekey and undelegate write, made by hand.
# A product rewritten with no registry row is A205 unless the commit
# rekeys one principal on its list and rewrites nothing but the
# ciphertext and the binding; a delegation edited by a member is A104
# unless its grantor withdraws it, ending it the day of the commit.
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-audit.sh"

# list ID: the distribution list on the clone's label, one name a line.
list() {
	xmllint --xpath '//*[local-name()="distribution"]/*/text()' "$(product_file "$1" xml)" |
		tr ' ' '\n'
}

# reenc ID NAME...: stock gpg re-encrypts the clone's ciphertext to the
# keys of the names (jmac's being $JMAC), and the label's binding is made
# right again.
reenc() {
	_id=$1 _r=
	shift
	for _n in "$@"; do
		if [ "$_n" = jmac ]; then _r="$_r -r $JMAC"; else _r="$_r -r $(fpr "$_n")"; fi
	done
	_f=$(product_file "$_id" gpg) &&
	gpg --batch --quiet --decrypt "$_f" 2>/dev/null |
		gpg --batch --quiet --trust-model always --encrypt $_r -o "$_f.new" &&
	mv "$_f.new" "$_f" &&
	_sum=$(sha256sum "$_f" | cut -c1-64) &&
	sed -i "s|<binding algorithm=\"sha256\">[0-9a-f]*</binding>|<binding algorithm=\"sha256\">$_sum</binding>|" \
		"$(product_file "$_id" xml)"
}

# rekey_by_hand: jmac's row gets mallory's key, stored in keys/, and every
# product on jmac's list is re-encrypted with it (not yet committed).
rekey_by_hand() {
	JMAC=$(fpr mallory) &&
	sed -i "s/$(fpr jmac)/$JMAC/" c/access-matrix.csv &&
	cp "$FIXTURES/keys/mallory.pub.asc" "c/keys/$JMAC.asc" &&
	for _x in c/products/*/*.xml; do
		_id=$(basename "$_x" .xml)
		list "$_id" | grep -qx jmac || continue
		reenc "$_id" $(list "$_id") || return 1
	done
}

# dlg_set ID COLUMN VALUE: one cell of the clone's delegations.csv.
dlg_set() {
	python3 - "$1" "$2" "$3" c/delegations.csv <<-'PY'
	import csv, sys
	dlg, col, value, path = sys.argv[1:]
	rows = list(csv.reader(open(path, newline="")))
	i = rows[0].index(col)
	for r in rows[1:]:
	    if r[0] == dlg:
	        r[i] = value
	w = csv.writer(open(path, "w", newline=""), quoting=csv.QUOTE_ALL, lineterminator="\r\n")
	w.writerows(rows)
	PY
}

test_expect_success 'setup: a clean history audits clean' '
	history &&
	JMAC=$(fpr jmac) &&
	pki-audit -C "$REPO"
'

test_expect_success 'a rekey made by hand with stock tools audits clean' '
	tamper &&
	rekey_by_hand &&
	git -C c add -A &&
	git_as hom -C c commit -q -S -m "rekey jmac by hand" &&
	test "$(git -C c show --stat --format= HEAD | grep -c products/)" -ge 4 &&
	pki-audit -C c >findings &&
	cat findings && ! grep -q "^error" findings
'

test_expect_success 'a product rewritten with no row, no key replaced (A205)' '
	tamper &&
	JMAC=$(fpr jmac) &&
	reenc "$B" $(list "$B") &&
	git_as hom -C c commit -q -S -am "rewrite B" &&
	expect_finding A205 &&
	grep -q "changes $B with no registry row" findings
'

test_expect_success 'a rekey that rewrites a product not on its principal'"'"'s list (A205)' '
	tamper &&
	rekey_by_hand &&
	! list "$B" | grep -qx jmac &&
	reenc "$B" $(list "$B") &&
	git -C c add -A &&
	git_as hom -C c commit -q -S -m "rekey jmac, and B" &&
	expect_finding A205 &&
	grep -q "changes $B with no registry row" findings &&
	test "$(grep -c "^error A205 " findings)" -eq 1
'

test_expect_success 'a rekey that changes a label beyond its binding (A205)' '
	tamper &&
	rekey_by_hand &&
	sed -i "s|<review>[0-9-]*</review>|<review>2027-01-01</review>|" "$(product_file "$A" xml)" &&
	git -C c add -A &&
	git_as hom -C c commit -q -S -m "rekey jmac, and a review date" &&
	expect_finding A205 &&
	grep -q "changes $A with no registry row" findings
'

test_expect_success 'a matrix edit that is no rekey does not excuse a rewrite (A205)' '
	tamper &&
	JMAC=$(fpr jmac) &&
	sed -i "s/,JMAC,/,JMAC2,/" c/access-matrix.csv &&
	grep -q ",JMAC2," c/access-matrix.csv &&
	reenc "$A" $(list "$A") &&
	git_as hom -C c commit -q -S -am "entity, and A" &&
	expect_finding A205 &&
	grep -q "changes $A with no registry row" findings
'

test_expect_success 'the grantee ends a delegation by hand (A104)' '
	tamper &&
	dlg_set "$D" valid_until "$PKI_DATE" &&
	git_as fc -C c commit -q -S -am "end D" &&
	expect_finding A104 &&
	grep -q "edits delegation $D" findings
'

test_expect_success 'a member edits its own delegation beyond withdrawing it (A104)' '
	tamper &&
	dlg_set "$D" scope crime &&
	git_as jmac -C c commit -q -S -am "widen D" &&
	expect_finding A104 &&
	grep -q "edits delegation $D" findings
'

test_expect_success 'a member ends its own delegation on another day than the commit'"'"'s (A104)' '
	tamper &&
	dlg_set "$D" valid_until 2026-12-31 &&
	git_as jmac -C c commit -q -S -am "shorten D" &&
	expect_finding A104
'

test_expect_success 'the grantor withdraws its own by hand, today: clean' '
	tamper &&
	dlg_set "$D" valid_until "$PKI_DATE" &&
	git_as jmac -C c commit -q -S -am "withdraw D" &&
	pki-audit -C c >findings &&
	cat findings && ! grep -q "^error" findings
'

test_expect_success 'the same withdrawal merged a day later: still clean' '
	tamper &&
	git -C c checkout -q -b side &&
	dlg_set "$D" valid_until "$PKI_DATE" &&
	git_as jmac -C c commit -q -S -am "withdraw D" &&
	git -C c checkout -q main &&
	test_tick 86400 &&
	git_as hom -C c merge -q -S --no-ff -m "merge the withdrawal" side &&
	pki-audit -C c >findings &&
	cat findings && ! grep -q "^error" findings
'

test_done
