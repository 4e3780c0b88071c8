#!/bin/sh
# Large products are re-encrypted from the work-tree copy when the index
# vouches for it (memory must not grow with the product), from
# the object store when it does not, and never from a copy that changed.
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-product.sh"
. "$TEST_DIRECTORY/lib-share.sh"

test_expect_success 'setup: a mission and a 3 MiB product' '
	mission &&
	head -c 3145728 /dev/urandom >big &&
	P=$(as fc pki-classify -C "$REPO" -l confidential -c c -a force-protection <big) &&
	test_tick &&
	F=$(product_file "$P" gpg) &&
	! on_list "$P" jmac && ! on_list "$P" undss
'

test_expect_success 'shared from the work tree: the reader gets every byte' '
	as fc pki-share -C "$REPO" "$P" jmac &&
	test_tick &&
	decrypt_as jmac "$F" >out &&
	cmp big out &&
	test -z "$(git -C "$REPO" status --porcelain)" &&
	verify_history
'

test_expect_success 'refused: a work-tree copy changed by hand, its times put back (65)' '
	cp "$F" keep &&
	touch -r "$F" stamp &&
	head -c 1048576 /dev/urandom | dd of="$F" conv=notrunc status=none &&
	touch -r stamp "$F" &&
	expect_refusal 65 as fc pki-share -C "$REPO" "$P" undss &&
	grep -q "uncommitted changes" err &&
	cp keep "$F" &&
	git -C "$REPO" update-index --refresh -q >/dev/null || :
'

test_expect_success 'shared from the object store when stat data does not vouch (packed)' '
	touch "$F" &&
	git -C "$REPO" gc --quiet &&
	as fc pki-share -C "$REPO" "$P" undss &&
	decrypt_as undss "$F" >out &&
	cmp big out &&
	decrypt_as jmac "$F" >out &&
	cmp big out &&
	verify_history
'

test_expect_success 'memory does not grow with the product: 1 MiB against 32 MiB' '
	head -c 1048576 /dev/urandom >small &&
	S=$(as fc pki-classify -C "$REPO" -l confidential -c c -a force-protection <small) &&
	test_tick &&
	head -c 33554432 /dev/urandom >large &&
	L=$(as fc pki-classify -C "$REPO" -l confidential -c c -a force-protection <large) &&
	test_tick &&
	/usr/bin/time -f %M -o rss.small env PKI_KEY="$(fpr fc)" pki-share -C "$REPO" "$S" jmac &&
	test_tick &&
	/usr/bin/time -f %M -o rss.large env PKI_KEY="$(fpr fc)" pki-share -C "$REPO" "$L" jmac &&
	test_tick &&
	small=$(tail -1 rss.small) && large=$(tail -1 rss.large) &&
	say "max RSS of a share: 1 MiB product ${small} KiB, 32 MiB product ${large} KiB" &&
	test "$large" -lt $((small + 16384)) &&
	decrypt_as jmac "$(product_file "$L" gpg)" | cmp - large
'

test_done
