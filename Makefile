# pki: peacekeeping-intelligence records under git.  See README.
include config.mk

PKG_CFLAGS := $(shell $(PKG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell $(PKG) --libs $(PKGS) 2>/dev/null)

# -iquote, not -I: lib/csv.h must not hide libcsv's <csv.h> from lib/csv.c.
ALL_CFLAGS  = -std=c11 -D_DEFAULT_SOURCE -D_GNU_SOURCE -DGIT_DEPRECATE_HARD \
              -DPKI_VERSION='"$(VERSION)"' -DPKI_SHAREDIR='"$(DATADIR)"' \
              -iquote lib $(PKG_CFLAGS) $(WARN) -pthread $(CFLAGS)
ALL_LDFLAGS = $(LDFLAGS)
LIBS        = $(PKG_LIBS) -lcsv -pthread

ifeq ($(CI),true)
ALL_CFLAGS += -Werror
endif
ifeq ($(SANITIZE),1)
ALL_CFLAGS  += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
ALL_LDFLAGS += -fsanitize=address,undefined
BUILD = build/asan
else
BUILD = build/default
endif

CMDS    = pki pki-init pki-matrix pki-classify pki-register pki-share pki-audit pki-archive pki-ir pki-list pki-report pki-sync
LIBSRC  = $(sort $(wildcard lib/*.c))
LIBOBJ  = $(LIBSRC:lib/%.c=$(BUILD)/lib/%.o)
CMDSRC  = $(wildcard $(CMDS:%=cmd/%.c))
BINS    = $(CMDSRC:cmd/%.c=$(BUILD)/bin/%)
UNITSRC = $(sort $(wildcard t/unit/*-test.c))
UNITS   = $(UNITSRC:t/unit/%.c=$(BUILD)/unit/%)
MANS    = $(wildcard doc/*.[157])
DEBS    = build-essential pkg-config libgit2-dev libgpgme-dev libcsv-dev \
          libxml2-dev libxslt1-dev libxml2-utils xsltproc gnupg git groff-base miller python3 time
# make fuzz alone needs clang and libFuzzer.
FUZZ_DEBS = clang libclang-rt-14-dev
# The fuzz targets of fuzz/ (make fuzz); make check replays their corpora.
FUZZERS = csv matrix delegations arrangements registry label recipients
REPLAYS = $(FUZZERS:%=$(BUILD)/replay/%)
ifeq ($(VALGRIND),1)
DEBS   += valgrind
endif

all: $(BINS) bin

# bin/ points at the binaries of the last build, for tests and the demo.
bin: $(BINS)
	@mkdir -p bin && for b in $(BINS); do ln -sf ../$$b bin/; done

$(BUILD)/lib/%.o: lib/%.c lib/*.h config.mk
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The data directory compiled in, remembered: a build for another PREFIX
# (make PREFIX=/opt/pki, or make install PREFIX=... after a default build)
# rebuilds what uses it instead of keeping the old one.
$(BUILD)/paths: FORCE
	@mkdir -p $(@D)
	@echo '$(DATADIR)' | cmp -s - $@ || echo '$(DATADIR)' >$@

$(BUILD)/lib/paths.o: $(BUILD)/paths

$(BUILD)/libpki.a: $(LIBOBJ)
	@rm -f $@
	ar rcs $@ $(LIBOBJ)

$(BUILD)/bin/%: cmd/%.c $(BUILD)/libpki.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(BUILD)/libpki.a $(LIBS)

$(BUILD)/unit/%: t/unit/%.c t/unit/tap.h $(BUILD)/libpki.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(BUILD)/libpki.a $(LIBS)

units: $(UNITS)

# The fuzz targets without libFuzzer: fuzz/replay.c runs files through them.
$(BUILD)/replay/%: fuzz/%.c fuzz/replay.c fuzz/share.c fuzz/fuzz.h $(BUILD)/libpki.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(FUZZ_DEFS) $(ALL_LDFLAGS) -o $@ $< fuzz/replay.c fuzz/share.c \
		$(BUILD)/libpki.a $(LIBS)

replays: $(REPLAYS)

# deps: the Debian packages pki needs to build and test; installs them when
# run as root, otherwise prints the line to run and fails.  bench-deps: the
# ones make bench needs besides (make check does not); fuzz-deps: clang and
# libFuzzer, for make fuzz alone.
BENCH_DEBS = hyperfine pass miller time strace

define install_debs
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null \
		| grep -q '^install ok installed' || echo $$p; done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
		echo "make $@: installing" $$missing; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	else \
		echo "make $@: missing packages; run:"; \
		echo "  sudo apt-get install" $$missing; exit 1; \
	fi
endef

deps:
	$(call install_debs,$(DEBS))

bench-deps:
	$(call install_debs,$(BENCH_DEBS))

fuzz-deps:
	$(call install_debs,$(FUZZ_DEBS))

# check VALGRIND=1: the main paths of the suite with every pki command
# under valgrind's memcheck (t/lib.sh wraps them; suppressions in
# t/valgrind.supp).  Slow: not part of CI.
# (1000-classify.19 races another writer on a schedule made for native speed.)
VALGRIND_SKIP  = 1000-classify.19
VALGRIND_TESTS = t/0100-init.t t/1000-classify.t t/1100-reclassify.t t/2000-register.t \
	t/3000-share-internal.t t/3100-share-external.t t/3200-revoke.t t/4000-audit-clean.t \
	t/5000-archive.t t/6000-matrix.t t/6100-matrix-remove.t

check: deps
	@$(MAKE) --no-print-directory all units replays
ifeq ($(VALGRIND),1)
	PKI_BUILD=$(BUILD) VALGRIND=1 PKI_SKIP_TESTS="$(VALGRIND_SKIP)" prove -j2 -f $(VALGRIND_TESTS)
else
	PKI_BUILD=$(BUILD) prove -j2 -f t/unit.t t/[0-9]*.t
endif

# fuzz: build the fuzz targets with clang and libFuzzer (ASan, UBSan) and
# run each for FUZZ_SECONDS from its corpus, fuzz/corpus/<target>/ (new
# inputs go to build/fuzz/corpus/).  A crash leaves the input in
# build/fuzz/; once fixed, copy it to fuzz/corpus/<target>/ so that make
# check replays it for ever.
FUZZ_SECONDS ?= 20
FUZZ_DEFS    = -DFUZZ_SHAREDIR='"$(CURDIR)/share/pki"'
FUZZ_CFLAGS  = -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined \
	       -fno-sanitize-recover=undefined

fuzz: deps fuzz-deps
	@$(MAKE) --no-print-directory CC=clang BUILD=build/fuzz CFLAGS="$(FUZZ_CFLAGS)" fuzzers
	@for f in $(FUZZERS); do \
		mkdir -p build/fuzz/corpus/$$f && \
		echo "fuzz: $$f for $(FUZZ_SECONDS) s" && \
		case $$f in label) dict=-dict=fuzz/label.dict ;; recipients) dict= ;; \
			*) dict=-dict=fuzz/table.dict ;; esac; \
		build/fuzz/fuzz/$$f -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
			$$dict -artifact_prefix=build/fuzz/$$f- -print_final_stats=1 \
			build/fuzz/corpus/$$f fuzz/corpus/$$f >build/fuzz/$$f.log 2>&1 || \
		{ tail -40 build/fuzz/$$f.log; \
		  echo "fuzz: $$f failed; the input is build/fuzz/$$f-*"; exit 1; }; \
		grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb" build/fuzz/$$f.log \
			| sed "s/^/  /"; \
	done

fuzzers: $(FUZZERS:%=$(BUILD)/fuzz/%)

$(BUILD)/fuzz/%: fuzz/%.c fuzz/share.c fuzz/fuzz.h $(BUILD)/libpki.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(FUZZ_DEFS) -fsanitize=fuzzer $(ALL_LDFLAGS) -o $@ $< fuzz/share.c \
		$(BUILD)/libpki.a $(LIBS)

# bench: the benchmarks of bench/README; BENCH_N=10000 BENCH_BIG=1G for
# the full sizes.
bench: deps bench-deps all
	bench/run

# demo: the narration, not the compiler's lines.
demo: deps
	@$(MAKE) -s --no-print-directory all
	@examples/demo

lint:
	@for m in $(MANS); do groff -ww -z -mdoc $$m || exit 1; done
	@for x in share/pki/*.xsd share/pki/*.xsl; do xmllint --noout $$x || exit 1; done

# install: not "all", so that installing from another BUILD leaves bin/ alone.
# bash-completion loads completions/<command>: one link per tool.  The man
# pages name the data directory installed to.
install: $(BINS)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(COMPDIR)
	install -m 755 $(BINS) $(DESTDIR)$(BINDIR)
	install -m 644 share/pki/* $(DESTDIR)$(DATADIR)
	for m in $(MANS); do s=$${m##*.}; \
		sed 's,/usr/local/share/pki,$(DATADIR),g' $$m >$(DESTDIR)$(MANDIR)/man$$s/$${m##*/} && \
		chmod 644 $(DESTDIR)$(MANDIR)/man$$s/$${m##*/} || exit 1; done
	install -m 644 share/completion/pki.bash $(DESTDIR)$(COMPDIR)/pki
	for b in $(BINS); do n=$${b##*/}; [ $$n = pki ] || ln -sf pki $(DESTDIR)$(COMPDIR)/$$n; done

uninstall:
	for c in $(CMDS); do rm -f $(DESTDIR)$(BINDIR)/$$c $(DESTDIR)$(COMPDIR)/$$c; done
	rm -f $(DESTDIR)$(COMPDIR)/pki
	for m in $(MANS); do s=$${m##*.}; rm -f $(DESTDIR)$(MANDIR)/man$$s/$${m##*/}; done
	rm -rf $(DESTDIR)$(DATADIR)

dist:
	git archive --prefix=pki-$(VERSION)/ -o pki-$(VERSION).tar.gz HEAD

clean:
	rm -rf build bin pki-*.tar.gz

FORCE:

.PHONY: FORCE all bin units replays deps bench-deps fuzz-deps check fuzz fuzzers bench demo lint install \
	uninstall dist clean
