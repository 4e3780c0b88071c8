#!/bin/sh
# pki-audit checks 3, 4 and 6: every product has a label bound to its
# ciphertext and an origin row; its ciphertext is encrypted to exactly its
# distribution list; a safety product reached UNDSS.  Tampering with stock
# git and gpg in fresh clones.
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-audit.sh"

# encrypt_to OUT NAME...: re-encrypt plaintext (file plain) with stock gpg.
encrypt_to() {
	_out=$1
	shift
	_r=
	for _n in "$@"; do _r="$_r -r $(fpr "$_n")"; done
	gpg --batch --yes --quiet --trust-model always $_r -o "$_out" -e plain
}

# rebind ID: make the label's binding match the ciphertext, as a careful
# insider would.
rebind() {
	_sum=$(sha256sum "$(product_file "$1" gpg)" | cut -c1-64) &&
	sed -i "s|<binding algorithm=\"sha256\">[0-9a-f]*</binding>|<binding algorithm=\"sha256\">$_sum</binding>|" \
		"$(product_file "$1" xml)"
}

test_expect_success 'setup: a clean history' '
	history &&
	pki-audit -C "$REPO" &&
	grep -q "<distribution>" "$(echo "$REPO"/products/*/"$A.xml")"
'

test_expect_success 'a label edited to lower the level (A205, A307)' '
	tamper &&
	sed -i "s|<classification>strictly-confidential</classification>|<classification>confidential</classification>|" \
		"$(product_file "$B" xml)" &&
	git_as fc -C c commit -q -S -am "relabel" &&
	expect_finding A205 A307 &&
	grep -q "^error A307 $B: the label says confidential, the registry strictly-confidential" findings &&
	grep -q "^error A205 $(git -C c rev-parse HEAD): changes $B with no registry row" findings
'

test_expect_success 'a ciphertext re-encrypted to an extra key, its binding fixed (A401)' '
	tamper &&
	decrypt_as jmac "$(product_file "$A" gpg)" >plain &&
	encrypt_to "$(product_file "$A" gpg)" archives chair hom jmac undss &&
	rebind "$A" &&
	git_as jmac -C c commit -q -S -am "re-encrypt" &&
	expect_finding A401 &&
	grep -q "^error A401 $A: encrypted to key [0-9A-F]\{16\} of .undss., who is not on its distribution list (policy 9.8)" findings &&
	! grep -q "^error A302" findings &&
	GNUPGHOME=$(keyring undss) gpg --batch --quiet --decrypt "$(product_file "$A" gpg)" >/dev/null 2>&1
'

test_expect_success 'a ciphertext re-encrypted without a recipient (A401)' '
	tamper &&
	decrypt_as jmac "$(product_file "$A" gpg)" >plain &&
	encrypt_to "$(product_file "$A" gpg)" archives chair jmac &&
	rebind "$A" &&
	git_as jmac -C c commit -q -S -am "re-encrypt" &&
	expect_finding A401 &&
	grep -q "^error A401 $A: .hom. is on its distribution list, but the ciphertext is not encrypted to its key" findings
'

test_expect_success 'a ciphertext re-encrypted to a key that is no principal'"'"'s (A401, A302)' '
	tamper &&
	decrypt_as jmac "$(product_file "$A" gpg)" >plain &&
	encrypt_to "$(product_file "$A" gpg)" archives chair hom jmac mallory &&
	git_as jmac -C c commit -q -S -am "re-encrypt" &&
	expect_finding A401 A302 &&
	grep -q "^error A401 $A: encrypted to key [0-9A-F]\{16\}, which is no principal.s" findings
'

test_expect_success 'a ciphertext swapped for another product'"'"'s (A302)' '
	tamper &&
	cp "$(product_file "$B" gpg)" "$(product_file "$U" gpg)" &&
	git_as hom -C c commit -q -S -am "swap" &&
	expect_finding A302 &&
	grep -q "^error A302 $U: the label binds ciphertext" findings
'

test_expect_success 'a label deleted (A301), a ciphertext deleted (A306)' '
	tamper &&
	git -C c rm -q "$(product_path "$U" xml)" "$(product_path "$X" gpg)" &&
	git_as hom -C c commit -q -S -m "clean up" &&
	expect_finding A301 A306 A205 &&
	grep -q "^error A301 $U: the ciphertext has no label" findings &&
	grep -q "^error A306 $X: the label has no ciphertext" findings &&
	grep -q "deletes files of $U: products are kept for the archives (policy 11.5.1)" findings
'

test_expect_success 'a product deleted whole: its rows name nothing (A304)' '
	tamper &&
	git -C c rm -q "$(product_path "$U" gpg)" "$(product_path "$U" xml)" &&
	git_as hom -C c commit -q -S -m "drop" &&
	expect_finding A304 &&
	grep -q "^error A304 registry/2026-03.csv:[0-9]*: row [0-9a-f-]* names $U, which is not in the repository" findings
'

test_expect_success 'a label that is no label (A305)' '
	tamper &&
	sed -i "s|<policy>ST/SGB/2007/6</policy>|<policy>none</policy>|" "$(product_file "$X" xml)" &&
	git_as chair -C c commit -q -S -am "edit" &&
	expect_finding A305 &&
	grep -q "^error A305 $X: label: " findings
'

test_expect_success 'a label given a safety flag that never reached UNDSS (A601)' '
	tamper &&
	sed -i "s|<safety>false</safety>|<safety>true</safety>|" "$(product_file "$X" xml)" &&
	git_as chair -C c commit -q -S -am "mark safety" &&
	expect_finding A601 &&
	grep -q "^error A601 $X: bears on the safety of UN personnel but never reached a undss principal (policy 11.3.2)" findings
'

test_expect_success 'a product filed by hand with no registry row (A303)' '
	tamper &&
	d=$(dirname "$(product_file "$U" gpg)") &&
	sed "s/$U/UNMISS-OSRSG-2026-000099/" "$(product_file "$U" xml)" >"$d/UNMISS-OSRSG-2026-000099.xml" &&
	cp "$(product_file "$U" gpg)" "$d/UNMISS-OSRSG-2026-000099.gpg" &&
	git -C c add products &&
	git_as jmac -C c commit -q -S -m "file" &&
	expect_finding A303 A205 &&
	grep -q "^error A303 UNMISS-OSRSG-2026-000099: no classify or receive row records it" findings
'

test_done
