#!/bin/sh
# The fuzz corpora replayed (fuzz/, make fuzz): every seed and every input
# that once crashed a reader goes through the reader again, built as this
# build is (under ASan and UBSan with SANITIZE=1), and must come back.
. "$(dirname "$0")/lib.sh"

for dir in "$SRC"/fuzz/corpus/*/; do
	target=$(basename "$dir")
	test_expect_success "the $target reader takes its corpus ($(ls "$dir" | wc -l) files)" '
		replay=$SRC/$BUILD/replay/$target &&
		test -x "$replay" &&
		"$replay" "$SRC"/fuzz/corpus/$target/* >tap 2>err ||
			{ cat err; grep -v "^ok" tap; return 1; }
		! grep -q "^not ok" tap &&
		test ! -s err
	'
done

test_done
