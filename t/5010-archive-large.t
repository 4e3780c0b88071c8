#!/bin/sh
# pki-archive of large products: the bag gets every byte of each
# ciphertext, whether it is read from the work tree (the product already
# reaches the archives) or from the copy a re-encryption for the archives
# has just made, and memory does not grow with the product (bench/README).
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-product.sh"

test_expect_success 'setup: one product filed before the archives were a principal, one after' '
	at 2026-02-01T09:00:00Z &&
	as hom pki-init -m UNMISS -n "UN Mission in South Sudan" -e OSRSG -p hom "$REPO" &&
	test_tick &&
	add_principal chair CMPIC mission chair strictly-confidential "*" &&
	add_principal jmac JMAC mission member strictly-confidential "poc;crime" &&
	head -c 3145728 /dev/urandom >early &&
	E=$(as jmac pki-classify -C "$REPO" -l confidential -c c -a poc <early) &&
	test_tick &&
	! readers_are "$E" "archives chair hom jmac" &&
	add_principal archives ARMS un archives strictly-confidential "*" &&
	head -c 2097152 /dev/urandom >late &&
	L=$(as jmac pki-classify -C "$REPO" -l confidential -c c -a poc <late) &&
	test_tick &&
	readers_are "$L" "archives chair hom jmac"
'

test_expect_success 'the Chair transfers 2026H1: each ciphertext whole in the bag' '
	at 2026-08-03T09:00:00Z &&
	mkdir "$TRASH/bags" &&
	as chair pki-archive -C "$REPO" --period 2026H1 -o "$TRASH/bags" >path &&
	B=$(cat path) &&
	(cd "$B" && sha256sum --strict -c manifest-sha256.txt >/dev/null) &&
	for id in "$E" "$L"; do
		f=$(product_file "$id" gpg) &&
		rel=${f#"$REPO"/} &&
		git -C "$REPO" cat-file blob "HEAD:$rel" | cmp - "$B/data/$rel" || return 1
	done &&
	decrypt_as archives "$B/data/$(product_file "$E" gpg | sed "s|^$REPO/||")" | cmp - early &&
	decrypt_as archives "$B/data/$(product_file "$L" gpg | sed "s|^$REPO/||")" | cmp - late &&
	readers_are "$E" "archives chair hom jmac" &&
	test -z "$(git -C "$REPO" status --porcelain)" &&
	verify_history
'

test_done
