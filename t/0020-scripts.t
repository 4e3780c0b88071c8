#!/bin/sh
# The shell scripts beside the tools -- benchmarks, examples, CI -- parse:
# a script that only runs by hand (make bench) breaks unseen otherwise.
. "$(dirname "$0")/lib.sh"

for f in bench/run bench/lib.sh bench/ab bench/profile bench/batch examples/demo \
	examples/awaiting-review examples/dissemination-report \
	examples/exports-by-recipient .ci/run; do
	test_expect_success "$f parses" '
		case $f in
		bench/*) bash -n "$SRC/$f" ;;	# bench/ is bash
		*) sh -n "$SRC/$f" ;;
		esac
	'
done

test_done
