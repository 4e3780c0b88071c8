# bench/lib.sh: what the benchmarks share (bash; sourced by bench/run).
#
# A GnuPG home with the committed fixture keys, missions built through
# the real tools (every product a signed commit, every ciphertext real),
# cached under $BENCH_DIR so that a second run starts at once, hyperfine
# runs that put a pki command beside its baseline, and one CSV of results
# that bench/run turns into the table.

set -u
unset CDPATH GNUPGHOME PKI_KEY PKI_DATE GIT_DIR GIT_WORK_TREE 2>/dev/null

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd) || exit 1
FIXTURES=$SRC/t/fixtures
BUILD=${PKI_BUILD:-build/default}

# Sizes: the quick defaults run in a minute or two; the issue's targets
# are BENCH_N=10000 BENCH_BIG=1G (bench/README).
BENCH_N=${BENCH_N:-500}			# products (and commits) of the large mission
BENCH_SMALL=${BENCH_SMALL:-100}		# products of the small one
BENCH_BIG=${BENCH_BIG:-64M}		# the large product, as head -c takes it
BENCH_RUNS=${BENCH_RUNS:-20}		# hyperfine runs of a fast command, in all
BENCH_ROUNDS=${BENCH_ROUNDS:-4}		# ... in this many interleaved hyperfine runs
BENCH_SLOW_RUNS=${BENCH_SLOW_RUNS:-3}	# runs of a full audit
BENCH_STEP=${BENCH_STEP:-10800}		# seconds between products: 240 a month
BENCH_JOBS=${BENCH_JOBS:-2}		# classify processes at a time while building
BENCH_HUGE=${BENCH_HUGE:-}		# products of the largest bare store (100000), if any
BENCH_BATCH=${BENCH_BATCH:-1000}	# products of the timed pki-classify --batch
BENCH_BATCH_STEP=${BENCH_BATCH_STEP:-1000}	# products a batch while building bare stores
# A short path: gpg-agent's socket lives in GNUPGHOME, and a socket path
# over about 108 bytes fails.
BENCH_DIR=${BENCH_DIR:-$SRC/build/bench}

# A copy of the binaries: a build running meanwhile does not change them.
BIN=$BENCH_DIR/bin
PATH=$BIN:$PATH
PKI_SHAREDIR=$SRC/share/pki
LC_ALL=C
TZ=UTC
GIT_CONFIG_NOSYSTEM=1
HOME=$BENCH_DIR/home
GNUPGHOME=$BENCH_DIR/g
CACHE=$BENCH_DIR/cache
WORK=$BENCH_DIR/work
RESULTS=$BENCH_DIR/results.csv
export PATH PKI_SHAREDIR LC_ALL TZ GIT_CONFIG_NOSYSTEM HOME GNUPGHOME

# The missions start here; every product moves the clock BENCH_STEP on.
EPOCH=$(date -u -d 2020-01-01T08:00:00Z +%s)

say() { printf '%s\n' "$*" >&2; }
die() { say "bench: $*"; exit 1; }

fpr() { awk -v n="$1" '$1 == n { print $2 }' "$FIXTURES/fingerprints"; }

# iso SECONDS: the PKI_DATE form of a time, without a process.
iso() { printf '%(%Y-%m-%dT%H:%M:%SZ)T' "$1"; }

# as NAME CMD...: act with NAME's key.
as() {
	local who=$1
	shift
	PKI_KEY=$(fpr "$who") "$@"
}

bench_env() {
	mkdir -p "$HOME" "$CACHE" "$WORK" "$BIN" || exit 1
	[ -x "$SRC/$BUILD/bin/pki-classify" ] || die "no pki binaries in $BUILD: run make first"
	for f in "$SRC/$BUILD"/bin/pki*; do
		cmp -s "$f" "$BIN/${f##*/}" && continue
		# Renamed into place: a running copy keeps its file.
		cp "$f" "$BIN/.${f##*/}" && mv -f "$BIN/.${f##*/}" "$BIN/${f##*/}" ||
			die "cannot copy $f"
	done
	if [ ! -d "$GNUPGHOME" ]; then
		mkdir -m 700 "$GNUPGHOME" || exit 1
		cat "$FIXTURES"/keys/*.asc | gpg --batch --quiet --import 2>/dev/null
	fi
	# pass's own git commands: the committer is the acting analyst.
	git config --global init.defaultBranch main
	git config --global user.name "Priya Raman"
	git config --global user.email jmac@mission.example
	# Both sides talk to one warm agent.
	gpg-connect-agent /bye >/dev/null 2>&1
}

bench_stop_agent() {
	gpgconf --kill all >/dev/null 2>&1
}

# --- missions ---

# mission DIR: the fixture principals, as t/lib.sh makes them.
mission() {
	local dir=$1 t=$((EPOCH - 86400))

	PKI_DATE=$(iso $t) as hom pki-init -m UNMISS -n "UN Mission in South Sudan" \
		-e JMAC -p hom "$dir" || return 1
	while read -r name entity type role clearance areas; do
		t=$((t + 60))
		[ "$areas" = - ] && areas=
		PKI_DATE=$(iso $t) as hom pki-matrix -C "$dir" add "$name" \
			--key "$FIXTURES/keys/$name.pub.asc" --entity "$entity" --type "$type" \
			--role "$role" --clearance "$clearance" --areas "$areas" || return 1
	done <<-EOF
	chair CMPIC mission chair strictly-confidential *
	jmac JMAC mission member strictly-confidential poc;force-protection;crime
	fc FORCE mission member strictly-confidential force-protection;poc
	police POLICE mission member confidential crime
	undss UNDSS mission undss strictly-confidential safety;force-protection
	archives ARMS un archives strictly-confidential *
	auditor OIOS un auditor unclassified -
	unct UNCT un external confidential -
	hoststate HOST non-un external confidential -
	fama FAMA security-force external confidential -
	EOF
}

# The product every benchmark files: 1 KiB of text.
product() {
	[ -s "$BENCH_DIR/p1k" ] || base64 -w 64 /dev/urandom | head -c 1024 >"$BENCH_DIR/p1k"
	echo "$BENCH_DIR/p1k"
}

# fill DIR FROM TO: products FROM..TO-1, each one pki-classify as jmac,
# confidential, one signed commit.  BENCH_JOBS processes at a time (they
# take turns at the repository lock, but start up side by side), on
# blocks of BENCH_JOBS * 4 products that share a time, so that no commit
# is older than its parent; the clock moves BENCH_STEP a product.
fill() {
	local dir=$1 i=$2 to=$3 p key block end date j

	p=$(product)
	key=$(fpr jmac)
	block=$((BENCH_JOBS * 4))
	while [ "$i" -lt "$to" ]; do
		end=$((i + block - i % block))
		[ "$end" -gt "$to" ] && end=$to
		date=$(iso $((EPOCH + (i - i % block) * BENCH_STEP)))
		for j in $(seq 0 $((BENCH_JOBS - 1))); do
			fill_some "$dir" $((i + j)) "$end" "$BENCH_JOBS" "$date" "$key" "$p" &
		done
		wait_all || return 1
		if [ $((end / 1000)) -gt $((i / 1000)) ]; then say "  $dir: $end products"; fi
		i=$end
	done
}

# fill_some DIR FROM TO STEP DATE KEY FILE: one stream of fill.
fill_some() {
	local i=$2

	while [ "$i" -lt "$3" ]; do
		PKI_DATE=$5 PKI_KEY=$6 pki-classify -C "$1" -l confidential -c c -a poc "$7" \
			>/dev/null || return 1
		i=$((i + $4))
	done
}

# wait_all: wait for every background job; fail when one failed.
wait_all() {
	local pid rc=0

	for pid in $(jobs -p); do
		wait "$pid" || rc=1
	done
	return $rc
}

# after N: a time in the first day of the month after product N-1 (a
# fresh registry shard, whatever N is), as PKI_DATE.
after() {
	local last=$((EPOCH + ($1 - 1) * BENCH_STEP)) y m

	y=$(printf '%(%Y)T' "$last")
	m=$(printf '%(%m)T' "$last")
	m=$((10#$m + 1))
	if [ $m -gt 12 ]; then m=1; y=$((y + 1)); fi
	printf '%04d-%02d-01T09:00:00Z' "$y" "$m"
}

# cached N: a mission with N products in $CACHE/mN, built once (and
# packed, as git gc would have), its build time in $CACHE/mN.secs.
cached() {
	local n=$1 dir=$CACHE/m$1 start

	if [ -f "$dir.done" ]; then
		echo "$dir"
		return 0
	fi
	rm -rf "$dir" "$dir.secs"
	say "bench: building a mission of $n products in $dir (once; cached)"
	start=$SECONDS
	mission "$dir" >/dev/null && fill "$dir" 0 "$n" || die "cannot build $dir"
	git -C "$dir" gc --quiet || die "git gc failed in $dir"
	echo $((SECONDS - start)) >"$dir.secs"
	touch "$dir.done"
	say "bench: built $dir in $(cat "$dir.secs") s"
	echo "$dir"
}

# records N: N files of 1 KiB of their own and a manifest for
# pki-classify --batch (file,level,criterion,areas: confidential, c, poc),
# cached in $BENCH_DIR/records-N; prints the manifest's path.
records() {
	local d=$BENCH_DIR/records-$1

	if [ ! -f "$d/manifest.csv" ]; then
		mkdir -p "$d" || return 1
		python3 - "$d" "$1" <<-\EOF || return 1
		import os, sys
		d, n = sys.argv[1], int(sys.argv[2])
		with open(os.path.join(d, "manifest.tmp"), "w") as m:
		    m.write("file,level,criterion,areas\n")
		    for i in range(n):
		        name = "r%06d.txt" % i
		        with open(os.path.join(d, name), "w") as f:
		            f.write(("record %d of the mission's archive\n" % i) * 28)
		        m.write("%s,confidential,c,poc\n" % name)
		os.rename(os.path.join(d, "manifest.tmp"), os.path.join(d, "manifest.csv"))
		EOF
	fi
	echo "$d/manifest.csv"
}

# bare_cached N: a bare store (a hub) of the fixture mission with N
# products, filed by pki-classify --batch in batches of BENCH_BATCH_STEP
# (1,000), each batch dated BENCH_STEP a product after the last, as
# fill's missions are; packed, cached in $CACHE/bareN.
bare_cached() {
	local n=$1 dir=$CACHE/bare$1 i=0 k manifest start

	if [ -f "$dir.done" ]; then
		echo "$dir"
		return 0
	fi
	rm -rf "$dir" "$dir.wt" "$dir.secs"
	say "bench: building a bare store of $n products in $dir (once; cached)"
	start=$SECONDS
	mission "$dir.wt" >/dev/null && git clone -q --bare "$dir.wt" "$dir" &&
		git -C "$dir" config pki.root "$(git -C "$dir" rev-list --max-parents=0 main)" ||
		die "cannot make $dir"
	rm -rf "$dir.wt"
	while [ "$i" -lt "$n" ]; do
		k=$((n - i < BENCH_BATCH_STEP ? n - i : BENCH_BATCH_STEP))
		manifest=$(records "$k") || die "cannot make $k records"
		PKI_DATE=$(iso $((EPOCH + i * BENCH_STEP))) PKI_KEY=$(fpr jmac) \
			pki-classify -C "$dir" --batch "$manifest" >/dev/null ||
			die "a batch of $k failed in $dir"
		i=$((i + k))
		if [ $((i % 10000)) -eq 0 ]; then say "  $dir: $i products"; fi
	done
	git -C "$dir" gc --quiet || die "git gc failed in $dir"
	echo $((SECONDS - start)) >"$dir.secs"
	touch "$dir.done"
	say "bench: built $dir in $(cat "$dir.secs") s"
	echo "$dir"
}

# copy N NAME: a fresh working copy of the cached mission of N products.
copy() {
	local from to=$WORK/$2

	from=$(cached "$1") || exit 1
	rm -rf "$to"
	cp -a "$from" "$to" || die "cannot copy $from"
	echo "$to"
}

# passstore NAME [SIZE]: a password store with SIZE (BENCH_SMALL) entries,
# encrypting to the list a confidential JMAC product goes to (jmac, hom,
# chair, archives), committing with pass.signcommits=true as jmac.  The
# store of BENCH_SMALL is made by one pass insert an entry; a larger one
# (bulk_entries) by one gpg for all of them and one commit, then packed
# by git gc as the missions are.
passstore() {
	local n=${2:-$BENCH_SMALL} dir i p

	dir=$CACHE/pass
	[ "$n" = "$BENCH_SMALL" ] || dir=$CACHE/pass$n
	p=$(product)
	if [ ! -f "$dir.done" ]; then
		rm -rf "$dir"
		say "bench: building a password store of $n entries"
		pass_env "$dir"
		{
			pass init "$(fpr jmac)" "$(fpr hom)" "$(fpr chair)" "$(fpr archives)" &&
			pass git init &&
			pass git config user.signingkey "$(fpr jmac)" &&
			pass git config pass.signcommits true
		} >/dev/null || die "cannot make a password store"
		if [ "$n" = "$BENCH_SMALL" ]; then
			for i in $(seq "$n"); do
				pass insert -m "old/$i" <"$p" >/dev/null || die "pass insert failed"
			done
		else
			bulk_entries "$dir" "$n" "$p" || die "cannot fill $dir"
		fi
		touch "$dir.done"
	fi
	rm -rf "$WORK/$1"
	cp -a "$dir" "$WORK/$1"
	echo "$WORK/$1"
}

# bulk_entries DIR N FILE: old/1..old/N in the store at DIR, each FILE
# encrypted to the store's recipients (its .gpg-id) by one gpg process,
# what pass insert would write; one commit, then git gc.
bulk_entries() {
	local dir=$1 n=$2 body i r=()

	IFS= read -r -d '' body <"$3"	# the bytes as they are, without a process a file
	mkdir -p "$dir/old" || return 1
	for i in $(seq "$n"); do
		printf '%s' "$body" >"$dir/old/$i" || return 1
	done
	while read -r i; do r+=(-r "$i"); done <"$dir/.gpg-id"
	(cd "$dir/old" && seq "$n" | xargs gpg --batch --yes --quiet --trust-model=always \
		"${r[@]}" --encrypt-files) || return 1
	for i in $(seq "$n"); do
		rm -f "$dir/old/$i" || return 1
	done
	# No automatic gc in the background of the commit: the explicit one
	# would meet it (gc is already running).
	git -C "$dir" add -A old &&
	git -C "$dir" -c gc.auto=0 commit -q -m "Add $n entries to store." &&
	git -C "$dir" gc --quiet
}

# pass_env DIR: pass on DIR; the keys are not certified, so trust them
# as pki does (always-trust), and the agent signs without a prompt.
pass_env() {
	PASSWORD_STORE_DIR=$1
	PASSWORD_STORE_GPG_OPTS="--trust-model=always"
	export PASSWORD_STORE_DIR PASSWORD_STORE_GPG_OPTS
}

# --- measuring ---

# hf NAME HYPERFINE-ARGS...: hyperfine, HF_ROUNDS times (default 1), the
# times of all rounds in $WORK/NAME.csv (command, median, mean, min,
# runs).  Short rounds interleave the commands of a pair, so that a change
# of the machine's load between them weighs on both alike.
hf() {
	local name=$1 r
	shift
	rm -f "$WORK/$name".*.json
	for r in $(seq "${HF_ROUNDS:-1}"); do
		hyperfine --style basic --export-json "$WORK/$name.$r.json" "$@" >&2 ||
			die "hyperfine failed for $name"
	done
	python3 - "$WORK/$name.csv" "$WORK/$name".*.json <<-'PY' || die "cannot read $name"
	import json, statistics, sys
	cmds, times = [], {}
	for path in sys.argv[2:]:
	    for i, res in enumerate(json.load(open(path))["results"]):
	        if i == len(cmds):
	            cmds.append(res["command"])
	        times.setdefault(i, []).extend(res["times"])
	with open(sys.argv[1], "w") as out:
	    out.write("command,median,mean,min,runs\n")
	    for i, c in enumerate(cmds):
	        t = times[i]
	        out.write('"%s",%.6f,%.6f,%.6f,%d\n' % (c.replace('"', "'"), statistics.median(t),
	                  statistics.mean(t), min(t), len(t)))
	PY
}

# median NAME ROW: the median seconds of the ROW-th command (from 1).
median() {
	mlr --icsv --ojson --from "$WORK/$1.csv" head -n "$2" then tail -n 1 then cut -f median |
		sed -n 's/.*"median": *\([0-9.e+-]*\).*/\1/p'
}

# result WHAT OURS BASE UNIT TARGET [abs]: one row of the table; ratio
# OURS/BASE, or OURS alone against TARGET when BASE is "-" or the sixth
# argument is "abs" (a target in units, the baseline shown beside it).
# Seconds under ten are shown in milliseconds.
result() {
	[ -f "$RESULTS" ] || echo "what,ours,baseline,unit,ratio,target,met" >"$RESULTS"
	awk -v w="$1" -v o="$2" -v b="$3" -v u="$4" -v t="$5" -v abs="${6:-}" 'BEGIN {
		r = (b == "-") ? o : o / b
		met = ((b == "-" || abs == "abs" ? o : r) <= t) ? "yes" : "NO"
		if (u == "s" && o < 10 && (b == "-" || b < 10)) {
			o *= 1000; t = (abs == "abs" || b == "-") ? t * 1000 : t; u = "ms"
			if (b != "-")
				b *= 1000
		}
		if (b == "-")
			printf "\"%s\",%.1f,-,%s,-,%g,%s\n", w, o, u, t, met
		else if (abs == "abs")
			printf "\"%s\",%.1f,%.1f,%s,%.3f,%g %s,%s\n", w, o, b, u, r, t, u, met
		else
			printf "\"%s\",%.1f,%.1f,%s,%.3f,%g,%s\n", w, o, b, u, r, t, met
	}' >>"$RESULTS"
}
