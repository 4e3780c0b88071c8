# config.mk: paths and flags; override on the command line (make PREFIX=/opt/pki).
VERSION   = 0.1.0
PREFIX    = /usr/local
BINDIR    = $(PREFIX)/bin
SHAREDIR  = $(PREFIX)/share
DATADIR   = $(SHAREDIR)/pki
MANDIR    = $(SHAREDIR)/man
COMPDIR   = $(SHAREDIR)/bash-completion/completions

CC       ?= cc
CFLAGS   ?= -O2 -g
PKG      ?= pkg-config
PKGS      = libgit2 gpgme libxml-2.0 libxslt
WARN      = -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wformat=2 -Wno-unused-parameter \
            -Wvla -Wwrite-strings -Wno-missing-field-initializers
