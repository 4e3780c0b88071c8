#!/bin/sh
# The README's tour: its commands, run in order from the top of the source
# tree, print exactly the output the README shows (commit IDs aside).
. "$(dirname "$0")/lib.sh"

README=$SRC/README
mkdir -p tmp

# In the tour section, "    $ " starts a command, "    > " continues it,
# other indented lines are its output, anything else is prose.
# tour_script: the commands, each followed by a marker that keeps $?.
tour_script() {
	sed -n '/^2\. A five-minute tour$/,/^3\. /p' "$README" | awk '
		function flush() {
			if (cmd != "") printf "{ %s\n} 2>&1\n_rc=$?; echo \"@@ %d\"; (exit $_rc)\n", cmd, n++
			cmd = ""
		}
		/^    \$ / { flush(); cmd = substr($0, 7); next }
		/^    > / { cmd = cmd "\n" substr($0, 7); next }
		END { flush() }'
}

# tour_expected: what the README shows, in the same frame.
tour_expected() {
	sed -n '/^2\. A five-minute tour$/,/^3\. /p' "$README" | awk '
		/^    \$ / { if (seen) printf "@@ %d\n", n++; seen = 1; next }
		/^    > / { next }
		/^    / { print substr($0, 5); next }
		END { if (seen) printf "@@ %d\n", n++ }'
}

# Commit IDs and trailing blanks differ from run to run.
normalise() {
	sed 's/[0-9a-f]\{40\}/COMMIT/g; s/[[:space:]]*$//'
}

test_expect_success 'the README has a tour with commands and output' '
	tour_script >tour.sh &&
	test "$(grep -c "^_rc=" tour.sh)" -ge 20 &&
	tour_expected >expected.raw &&
	test "$(grep -vc "^@@ " expected.raw)" -ge 20
'

test_expect_success 'running the tour prints what the README shows' '
	(
		cd "$SRC" &&
		unset PKI_KEY PKI_DATE GIT_COMMITTER_DATE GIT_AUTHOR_DATE &&
		TMPDIR=$TRASH/tmp sh "$TRASH/tour.sh"
	) >actual.raw 2>stderr
	normalise <expected.raw >expected &&
	normalise <actual.raw >actual &&
	test_cmp expected actual &&
	test ! -s stderr
'

test_expect_success 'the tour cleans up after itself but for its temporary directories' '
	for d in tmp/*; do
		GNUPGHOME=$d gpgconf --kill all 2>/dev/null
	done
	! agents_under "$TRASH/tmp"
'

test_done
