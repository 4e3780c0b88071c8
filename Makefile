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

CMDS    = pki pki-init pki-matrix pki-classify pki-register pki-share pki-audit pki-archive
LIBSRC  = $(sort $(wildcard lib/*.c))
LIBOBJ  = $(LIBSRC:lib/%.c=$(BUILD)/lib/%.o)
CMDSRC  = $(wildcard $(CMDS:%=cmd/%.c))
BINS    = $(CMDSRC:cmd/%.c=$(BUILD)/bin/%)
UNITSRC = $(sort $(wildcard t/unit/*-test.c))
UNITS   = $(UNITSRC:t/unit/%.c=$(BUILD)/unit/%)
MANS    = $(wildcard doc/*.[157])
DEBS    = build-essential pkg-config libgit2-dev libgpgme-dev libcsv-dev \
          libxml2-dev libxml2-utils gnupg git groff-base miller python3

all: $(BINS) bin

# bin/ points at the binaries of the last build, for tests and the demo.
bin: $(BINS)
	@mkdir -p bin && for b in $(BINS); do ln -sf ../$$b bin/; done

$(BUILD)/lib/%.o: lib/%.c lib/*.h config.mk
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

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

# deps: the Debian packages pki needs to build and test; installs them when
# run as root, otherwise prints the line to run and fails.
deps:
	@missing=$$(for p in $(DEBS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null \
		| grep -q '^install ok installed' || echo $$p; done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
		echo "make deps: installing" $$missing; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	else \
		echo "make deps: missing packages; run:"; \
		echo "  sudo apt-get install" $$missing; exit 1; \
	fi

check: deps
	@$(MAKE) --no-print-directory all units
	PKI_BUILD=$(BUILD) prove -j2 -f t/unit.t t/[0-9]*.t

bench: deps all
	bench/run

demo: deps
	@$(MAKE) --no-print-directory all
	examples/demo

lint:
	@for m in $(MANS); do groff -ww -z -mdoc $$m || exit 1; done
	@for x in share/pki/*.xsd; do xmllint --noout $$x || exit 1; done

# install: not "all", so that installing from another BUILD leaves bin/ alone.
# bash-completion loads completions/<command>: one link per tool.
install: $(BINS)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(COMPDIR)
	install -m 755 $(BINS) $(DESTDIR)$(BINDIR)
	install -m 644 share/pki/* $(DESTDIR)$(DATADIR)
	for m in $(MANS); do s=$${m##*.}; install -m 644 $$m $(DESTDIR)$(MANDIR)/man$$s; done
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

.PHONY: all bin units deps check bench demo lint install uninstall dist clean
