#!/bin/sh
# pki-audit trusts nothing a signer chose: the history has one root, the
# pinned one; time never goes back along a parent edge; a commit that a
# merge brings in is judged again by the other side's tables at the
# merge, whichever parent comes first.  Each forgery is made with stock
# git, validly signed.
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-audit.sh"

# stale: a second clone of the tampering clone, left behind at this point.
stale() {
	rm -rf "$TRASH/s" &&
	git clone -q "$TRASH/c" "$TRASH/s"
}

# bring_back SIGNER: the stale clone merges c's work, its own commit the
# first parent (git pull -S, as SIGNER), and c takes the result as its
# main (a fast-forward, as a push would).
bring_back() {
	git_as "$1" -C s pull -q --no-rebase -S --no-edit ../c main &&
	git -C c pull -q --ff-only ../s main
}

# evil: a mission of mallory's own, made with pki-init elsewhere.
evil() {
	rm -rf "$TRASH/evil" &&
	as mallory pki-init -m UNMISS -e OSRSG -p evil "$TRASH/evil" >/dev/null &&
	test_tick
}

test_expect_success 'setup: a clean history, its root pinned by pki-init' '
	history &&
	test "$(git -C "$REPO" config pki.root)" = "$(git -C "$REPO" rev-list --max-parents=0 main)" &&
	pki-audit -C "$REPO" >out && test ! -s out
'

test_expect_success 'a clone without a pin trusts the root it finds, and says so (A003)' '
	git clone -q "$REPO" plain &&
	pki-audit -C plain >out &&
	root=$(git -C plain rev-list --max-parents=0 main) &&
	grep -q "^info A003 $root: the root is trusted as found; pin it in this clone with .git config pki.root $root." out &&
	test "$(wc -l <out)" = 1 &&
	pki-audit -C plain --root "$root" >out && test ! -s out
'

test_expect_success 'a second root merged in, the mission first (A109, A103)' '
	evil && tamper &&
	git -C c fetch -q ../evil main &&
	git_as mallory -C c merge -q --no-commit -s ours --allow-unrelated-histories FETCH_HEAD &&
	git -C c show FETCH_HEAD:access-matrix.csv | sed -n 2p >>c/access-matrix.csv &&
	git -C c show "FETCH_HEAD:keys/$(fpr mallory).asc" >"c/keys/$(fpr mallory).asc" &&
	git -C c add -A &&
	git_as mallory -C c commit -q -S -m "merge the field office" &&
	git -C c verify-commit HEAD 2>/dev/null &&
	expect_finding A109 A103 &&
	grep -q "^error A109 $(git -C evil rev-parse main): a second root" findings &&
	grep -q "^error A103 $(git -C c rev-parse HEAD): signed by key $(fpr mallory), which is not in the access matrix" findings
'

test_expect_success 'a second root merged in, its own history first (A109)' '
	evil && tamper &&
	git -C evil fetch -q ../c main &&
	git_as mallory -C evil merge -q -S -s ours --allow-unrelated-histories -m "merge" FETCH_HEAD &&
	git -C c fetch -q ../evil main && git -C c reset -q --hard FETCH_HEAD &&
	expect_finding A109 &&
	grep -q "^error A109 $(git -C evil rev-list --max-parents=0 main | grep -v "$(git -C c config pki.root)"): a second root" findings
'

test_expect_success 'a history that is not the pinned one (A110)' '
	evil &&
	test_expect_code 1 pki-audit -C evil --root "$(git -C "$REPO" config pki.root)" >findings &&
	grep -q "^error A110 $(git -C evil rev-parse main): the history.s root is not the pinned root" findings &&
	git -C evil config pki.root "$(git -C "$REPO" config pki.root)" &&
	test_expect_code 1 pki-audit -C evil >findings &&
	grep -q "^error A110 " findings &&
	test_expect_code 64 pki-audit -C evil --root no-such-rev 2>err &&
	grep -q "no-such-rev" err
'

test_expect_success 'two unrelated roots and no pin: both are named (A109)' '
	evil && rm -rf u && git clone -q "$REPO" u &&
	git -C u fetch -q ../evil main &&
	git_as hom -C u merge -q -S -s ours --allow-unrelated-histories -m "merge" FETCH_HEAD &&
	test_expect_code 1 pki-audit -C u >findings &&
	test "$(grep -c "^error A109 " findings)" = 2
'

test_expect_success 'a principal removed on main acts from a clone behind the removal (A103 at the merge)' '
	tamper && stale &&
	as hom pki-matrix -C c remove fc && test_tick &&
	echo late | as fc pki-classify -C s -l confidential -c c -a poc >/dev/null && test_tick &&
	late=$(git -C s rev-parse HEAD) &&
	bring_back fc &&
	merge=$(git -C c rev-parse HEAD) &&
	test "$(git -C c rev-parse HEAD^1)" = "$late" &&
	expect_finding A103 &&
	grep -q "^error A103 $late: signed by .fc., who was not a valid principal at .* (judged at merge $(echo "$merge" | cut -c1-12))" findings &&
	grep -q "^error A103 $merge: signed by .fc., who was not a valid principal" findings
'

test_expect_success 'the same, backdated to before the removal and merged by a valid principal' '
	tamper && stale &&
	before=$PKI_DATE && test_tick 30 &&
	as hom pki-matrix -C c remove fc && test_tick &&
	echo late | PKI_DATE=$before GIT_AUTHOR_DATE= GIT_COMMITTER_DATE= as fc pki-classify -C s -l confidential -c c -a poc >/dev/null &&
	late=$(git -C s rev-parse HEAD) &&
	bring_back jmac &&
	expect_finding A103 &&
	grep -q "^error A103 $late: signed by .fc., who was not a valid principal at .* (judged at merge " findings &&
	test "$(grep -c "^error" findings)" = 1
'

test_expect_success 'a removed principal grants a delegation from a stale clone (A103 at the merge)' '
	tamper && stale &&
	as hom pki-matrix -C c remove jmac && test_tick &&
	as jmac pki-matrix -C s delegate fc --power disseminate --scope poc --ref "note" >/dev/null &&
	test_tick && granted=$(git -C s rev-parse HEAD) &&
	bring_back chair &&
	expect_finding A103 &&
	grep -q "^error A103 $granted: signed by .jmac., who was not a valid principal at .* (judged at merge " findings
'

test_expect_success 'the tools never date a commit before its parent: a clock behind waits (75)' '
	echo x >"$TRASH/x.txt" &&
	(PKI_DATE=2026-03-01T00:00:00Z &&
	 expect_refusal 75 as jmac pki-classify -C "$REPO" -l confidential -c c -a poc "$TRASH/x.txt") &&
	grep -q "^pki-classify: the tip of main is dated .*, after this clock.s 2026-03-01T00:00:00Z: time never goes back along the history; try again then, or set the clock right$" err
'

test_expect_success 'an octopus merge by a principal its third parent removed (A103)' '
	tamper && stale && rm -rf o && git clone -q c o &&
	as hom pki-matrix -C s remove fc && test_tick &&
	echo y | as jmac pki-classify -C o -l confidential -c c -a poc >/dev/null && test_tick &&
	git -C c fetch -q ../o main:other && git -C c fetch -q ../s main:rm &&
	oct=$(git_as fc -C c commit-tree -S -p main -p other -p rm -m octopus "rm^{tree}") &&
	git -C c update-ref refs/heads/main "$oct" && git -C c reset -q --hard &&
	test "$(git -C c rev-list --parents -1 HEAD | wc -w)" = 4 &&
	expect_finding A103 &&
	grep -q "^error A103 $(git -C c rev-parse HEAD): signed by .fc., who was not a valid principal at .* (judged at merge " findings
'

test_expect_success 'a commit dated before its parent on a side branch, merged (A107)' '
	tamper && stale &&
	echo "	name = side" >>s/pki.conf &&
	GIT_AUTHOR_DATE="1772442000 +0000" git_as hom -C s commit -q -S -am "backdated on the side" &&
	side=$(git -C s rev-parse HEAD) &&
	echo x | as jmac pki-classify -C c -l confidential -c c -a poc >/dev/null && test_tick &&
	git_as hom -C c pull -q --no-rebase -S --no-edit ../s main &&
	expect_finding A107 &&
	grep -q "^error A107 $side: dated 2026-03-02T09:00:00Z, before its parent" findings &&
	test "$(grep -c "^error" findings)" = 1
'

test_expect_success 'ordinary merges of two clones, a principal added on one side, audit clean' '
	tamper && stale &&
	as hom pki-matrix -C s add mallory --key "$FIXTURES/keys/mallory.pub.asc" --entity JMAC \
		--type mission --role member --clearance confidential --areas poc && test_tick &&
	echo new | as mallory pki-classify -C s -l confidential -c c -a poc >/dev/null && test_tick &&
	as jmac pki-share -C c "$U" unct -j "coordination" -o "$TRASH/copy.gpg" >/dev/null && test_tick &&
	rm -f "$TRASH/copy.gpg" "$TRASH/copy.gpg.xml" &&
	echo more | as fc pki-classify -C c -l confidential -c c -a poc >/dev/null && test_tick &&
	git_as jmac -C c pull -q --no-rebase -S --no-edit ../s main && test_tick &&
	echo after | as mallory pki-classify -C c -l confidential -c c -a poc >/dev/null && test_tick &&
	git_as mallory -C s pull -q --no-rebase -S --no-edit ../c main &&
	test "$(git -C s rev-list --count --merges main)" = 1 &&
	verify_history "$TRASH/s" &&
	pin s && pki-audit -C s >out 2>&1 &&
	cat out && ! grep -q "^error" out
'

test_expect_success '--since a commit no longer in the history: all of it is audited (A113)' '
	tamper &&
	old=$(git -C c rev-parse HEAD) &&
	git_as hom -C c commit -q -S --amend -m "pki-matrix: remove police (reworded)" &&
	test_expect_code 1 pki-audit -C c --since "$old" >findings &&
	grep -q "^error A113 $old: --since names commit $old, which is not in the history of main" findings &&
	test_expect_code 1 pki-audit -C c --since "$old" --format xml >out.xml &&
	grep -q "commits=\"$(git -C c rev-list --count main)\"" out.xml
'

test_expect_success 'a plaintext file beside the products is an error (A106)' '
	tamper &&
	echo "the source is X" >c/notes.txt &&
	git -C c add notes.txt && git_as hom -C c commit -q -S -m "notes" &&
	expect_finding A106 &&
	grep -q "^error A106 $(git -C c rev-parse HEAD): changes .notes.txt., which is no part of a mission repository" findings &&
	test "$(grep -c "^error" findings)" = 1
'

test_expect_success 'attributes that would rewrite ciphertexts in every new clone (A106)' '
	tamper &&
	printf "*.gpg text eol=crlf\n" >c/products/.gitattributes &&
	git -C c add products/.gitattributes && git_as hom -C c commit -q -S -m "attributes" &&
	expect_finding A106 &&
	grep -q "changes .products/.gitattributes., which is no part" findings &&
	tamper &&
	# Only the attributes: with "text" on *.gpg, a racily clean ciphertext
	# would look modified to git commit -a.
	printf "*.gpg text\n" >>c/.gitattributes &&
	git_as hom -C c commit -q -S -m "attributes" .gitattributes &&
	expect_finding A106 &&
	grep -q "^error A106 $(git -C c rev-parse HEAD): writes a .gitattributes that pki never writes" findings &&
	test "$(grep -c "^error" findings)" = 1
'

test_done
