#!/bin/sh
# pki-audit and requirements.csv (policy 10.2, 12.9): a requirement
# removed by hand (A120), the table changed by a principal who does not
# direct (A119), a label citing a requirement that is unknown or closed
# (A312), and one overdue for review (A705); labels written before the
# table existed keep their references.  Each forgery is made in a clone
# with stock git, signed with git_as.
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-audit.sh"

# only CODE: the audit's one error is CODE.
only() {
	expect_finding "$1" &&
	test "$(grep -c "^error" "$TRASH/findings")" = 1
}

# transplant SRC COMMIT NAME: what COMMIT of repository SRC filed (its
# product files and the registry rows it added) committed again in the
# clone by hand, signed by NAME, dated as COMMIT was.
transplant() {
	for _f in $(git -C "$1" show --name-only --format= "$2" -- products); do
		mkdir -p "c/${_f%/*}" &&
		git -C "$1" show "$2:$_f" >"c/$_f" || return 1
	done &&
	if ! test -f c/registry/2026-03.csv; then
		mkdir -p c/registry &&
		git -C "$1" show "$2:registry/2026-03.csv" | head -n 1 >c/registry/2026-03.csv
	fi &&
	git -C "$1" diff "$2^" "$2" -- registry | sed -n "s/^+\"/\"/p" >>c/registry/2026-03.csv &&
	git -C c add products registry &&
	_d="$(git -C "$1" log -1 --format=%at "$2") +0000" &&
	GIT_AUTHOR_DATE=$_d GIT_COMMITTER_DATE=$_d \
		git_as "$3" -C c commit -q -S -m "$(git -C "$1" log -1 --format=%s "$2")"
}

test_expect_success 'setup: a tree of two requirements and a product answering one' '
	mission &&
	M0=$(git -C "$REPO" rev-parse HEAD) &&
	PIR=$(echo "MARKER-w1 wording one" | as hom pki-ir -C "$REPO" add -k pir --owner jmac) &&
	test_tick &&
	SIR=$(echo "MARKER-w2 wording two" | as chair pki-ir -C "$REPO" add -k sir --parent "$PIR" \
		--owner fc) &&
	test_tick &&
	P=$(echo answer | as jmac pki-classify -C "$REPO" --ir "$SIR") &&
	test_tick &&
	K=$(git -C "$REPO" rev-parse HEAD) &&
	pki-audit -C "$REPO" >findings; rc=$?; cat findings; test $rc = 0 &&
	! grep -q "^error" findings
'

test_expect_success 'a requirement deleted by hand, even by the Chair (A120)' '
	tamper &&
	sed -i "/^\"$SIR\"/d" c/requirements.csv &&
	! grep -q "$SIR" c/requirements.csv &&
	git_as chair -C c commit -q -S -am "tidy requirements" &&
	git -C c verify-commit HEAD 2>/dev/null &&
	only A120 &&
	grep -q "^error A120 $(git -C c rev-parse HEAD): removes requirement $SIR from requirements.csv: requirements are closed, never deleted" "$TRASH/findings"
'

test_expect_success 'requirements.csv deleted whole (A120)' '
	tamper &&
	git_as hom -C c rm -q requirements.csv &&
	git_as hom -C c commit -q -S -m "no more requirements" &&
	expect_finding A120 &&
	test "$(grep -c "^error A120" "$TRASH/findings")" = 2
'

test_expect_success 'a requirement edited by a member (A119)' '
	tamper &&
	sed -i "s/^\"$PIR\",\"pir\",\"\",\"2\"/\"$PIR\",\"pir\",\"\",\"1\"/" c/requirements.csv &&
	grep -q "^\"$PIR\",\"pir\",\"\",\"1\"" c/requirements.csv &&
	git_as jmac -C c commit -q -S -am "raise the priority" &&
	only A119 &&
	grep -q "^error A119 $(git -C c rev-parse HEAD): changes requirements.csv: .jmac. is member: .*(policy 10.2, 12.9)$" "$TRASH/findings"
'

test_expect_success 'a requirement edited by the holder of a direct delegation is no finding' '
	tamper &&
	as hom pki-matrix -C c delegate fc --power direct --ref "HoM memo 9" >/dev/null &&
	test_tick &&
	sed -i "s/^\"$PIR\",\"pir\",\"\",\"2\"/\"$PIR\",\"pir\",\"\",\"1\"/" c/requirements.csv &&
	git_as fc -C c commit -q -S -am "raise the priority" &&
	pki-audit -C c >findings; rc=$?; cat findings; test $rc = 0
'

test_expect_success 'a requirement whose kind is rewritten (A120)' '
	tamper &&
	sed -i "s/^\"$SIR\",\"sir\",\"$PIR\"/\"$SIR\",\"pir\",\"\"/" c/requirements.csv &&
	grep -q "^\"$SIR\",\"pir\"" c/requirements.csv &&
	git_as hom -C c commit -q -S -am "promote" &&
	only A120 &&
	grep -q "changes the kind of requirement $SIR" "$TRASH/findings"
'

test_expect_success 'a product citing an unknown requirement (A312)' '
	tamper &&
	rm -rf x && git clone -q "$REPO" x &&
	IR3=$(echo "MARKER-w3 wording three" | as hom pki-ir -C x add -k pir --owner jmac) &&
	test_tick &&
	echo cites | as jmac pki-classify -C x --ir "$IR3" >/dev/null &&
	transplant x HEAD jmac &&
	git -C c verify-commit HEAD 2>/dev/null &&
	! grep -q "$IR3" c/requirements.csv &&
	only A312 &&
	grep -q "^error A312 UNMISS-JMAC-2026-[0-9]*: commit $(git -C c rev-parse HEAD) cites what is no open requirement: no requirement .$IR3. in requirements.csv (policy 10.2)$" "$TRASH/findings"
'

test_expect_success 'a product citing a closed requirement (A312)' '
	tamper &&
	as hom pki-ir -C c close "$PIR" --reason "answered" &&
	test_tick &&
	rm -rf x && git clone -q "$REPO" x &&
	echo cites | as jmac pki-classify -C x --ir "$PIR" >/dev/null &&
	transplant x HEAD jmac &&
	only A312 &&
	grep -q "cites what is no open requirement: requirement .$PIR. is closed (policy 10.2)$" "$TRASH/findings"
'

test_expect_success 'a label from before requirements.csv keeps its references' '
	tamper &&
	git -C c reset -q --hard "$M0" &&
	transplant "$REPO" "$K" jmac &&
	! test -e c/requirements.csv &&
	pki-audit -C c >findings; rc=$?; cat findings; test $rc = 0 &&
	echo "MARKER-w9 later" | as hom pki-ir -C c add -k pir --owner jmac >/dev/null &&
	test_tick &&
	pki-audit -C c >findings; rc=$?; cat findings; test $rc = 0
'

test_expect_success 'a requirement past its review date is a warning (A705)' '
	pki-audit -C "$REPO" --at 2027-03-03 >findings; rc=$?; cat findings; test $rc = 0 &&
	grep -q "^warning A705 $PIR: open pir of .jmac. was due for review on 2027-03-02" findings &&
	test_expect_code 1 pki-audit -C "$REPO" --at 2027-03-03 --strict >/dev/null
'

test_done
