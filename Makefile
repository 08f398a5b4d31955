# tamis - a terminal post-it grid board.
#
#   make             build ./tamis (installs missing -dev packages on Debian/Ubuntu)
#   make run         open a working copy of the sample board
#   make test        every suite (unit, CLI, terminal); ends with "N passed, N failed"
#   make check       the whole suite under ASan+UBSan
#   make valgrind    every terminal suite with the UI under valgrind memcheck
#                    (make test runs three of them so: tests/tui/valgrind.sh)
#   make install     PREFIX=/usr/local DESTDIR=
#   make clean
#
# Knobs: V=1 (verbose), DEVELOPER=1 (-Werror -g -O0), SANITIZE=address,undefined,
# O=DIR (object directory).

PREFIX ?= /usr/local
DESTDIR ?=
O ?= build
CC ?= cc
PKG_CONFIG ?= pkg-config

ifeq ($(O),build)
BIN := tamis
else
BIN := $(O)/tamis
endif

WARNINGS := -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wwrite-strings -Wpointer-arith -Wundef -Wvla -fno-common
CFLAGS ?= -O2 -g
ifdef DEVELOPER
CFLAGS := -O0 -g
WARNINGS += -Werror
endif
ifdef SANITIZE
CFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=$(SANITIZE)
endif

LOCALEDIR ?= $(PREFIX)/share/locale
VERSION := 0.1.0

ALL_CFLAGS = -std=c11 $(WARNINGS) $(CFLAGS) -MMD -MP -D_GNU_SOURCE \
	-DTAMIS_VERSION='"$(VERSION)"' -DTAMIS_LOCALEDIR='"$(LOCALEDIR)"' \
	$(shell $(PKG_CONFIG) --cflags yaml-0.1 uuid libsodium 2>/dev/null)
CURSES_CFLAGS = $(shell $(PKG_CONFIG) --cflags ncursesw 2>/dev/null)
LIBS_CORE = $(shell $(PKG_CONFIG) --libs yaml-0.1 uuid libsodium 2>/dev/null)
LIBS_CURSES = $(shell $(PKG_CONFIG) --libs ncursesw 2>/dev/null)
LIBS_TEST = $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)

ifeq ($(V),1)
Q :=
say :=
else
Q := @
say = @printf '  %-6s %s\n' $(1) $(2);
endif

# The UI modules are the only ones that include curses; everything else is the
# core, which the unit tests link without -lncursesw so the boundary holds.
UI_SRCS := $(wildcard src/ui*.c)
MAIN_SRC := src/main.c
CORE_SRCS := $(filter-out $(UI_SRCS) $(MAIN_SRC),$(wildcard src/*.c))
CORE_OBJS := $(CORE_SRCS:src/%.c=$(O)/%.o)
UI_OBJS := $(UI_SRCS:src/%.c=$(O)/%.o)
MAIN_OBJ := $(O)/main.o

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(O)/tests/%)

# Unit tests that inject faults wrap libc calls made by the core objects.
LDFLAGS_test_lockfile := -Wl,--wrap=write,--wrap=fsync,--wrap=rename
LDFLAGS_test_journal := -Wl,--wrap=malloc,--wrap=realloc
LDFLAGS_test_faults := -Wl,--wrap=write,--wrap=fsync,--wrap=fdatasync,--wrap=rename,--wrap=open,--wrap=mkostemp,--wrap=unlink,--wrap=malloc,--wrap=calloc,--wrap=realloc

# Debian/Ubuntu packages providing what the build and the tests need.
BUILD_PKGS := pkg-config:pkg-config ncursesw:libncurses-dev yaml-0.1:libyaml-dev uuid:uuid-dev \
	libsodium:libsodium-dev msgfmt:gettext
TEST_PKGS := cmocka:libcmocka-dev
TEST_TOOLS := tmux:tmux python3:python3 locale-gen:locales strace:strace flock:util-linux script:bsdutils \
	valgrind:valgrind

# Translations: po/LANG.po compiled for the uninstalled binary under
# $(O)/locale (found through $$TAMIS_LOCALEDIR) and installed under LOCALEDIR.
LANGS := $(basename $(notdir $(wildcard po/*.po)))
MO_FILES := $(LANGS:%=$(O)/locale/%/LC_MESSAGES/tamis.mo)

.PHONY: all run test check valgrind install clean deps test-deps pot
.DEFAULT_GOAL := all

all: $(BIN) $(MO_FILES)

$(O)/locale/%/LC_MESSAGES/tamis.mo: po/%.po | $(O)/.deps-build
	@mkdir -p $(dir $@)
	$(call say,MSGFMT,$@)msgfmt --check -o $@ $<

# Refreshes the template and merges it into every catalog.
pot:
	xgettext --from-code=UTF-8 -k_ -kN_ --keyword=ngettext:1,2 --add-comments=TRANSLATORS \
		--package-name=tamis --package-version=$(VERSION) -o po/tamis.pot src/*.c
	for po in po/*.po; do msgmerge -q -U --backup=none $$po po/tamis.pot; done

# Installs missing build dependencies (once per object directory).
deps: $(O)/.deps-build
$(O)/.deps-build:
	@mkdir -p $(O)
	@sh tests/deps.sh build $(BUILD_PKGS)
	@touch $@
test-deps: $(O)/.deps-test
$(O)/.deps-test: $(O)/.deps-build
	@sh tests/deps.sh test $(TEST_PKGS) $(TEST_TOOLS)
	@touch $@

$(O)/%.o: src/%.c | $(O)/.deps-build
	@mkdir -p $(dir $@)
	$(call say,CC,$@)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(UI_OBJS) $(MAIN_OBJ): ALL_CFLAGS += $(CURSES_CFLAGS)

$(BIN): $(CORE_OBJS) $(UI_OBJS) $(MAIN_OBJ)
	$(call say,LINK,$@)$(CC) $(LDFLAGS) -o $@ $^ $(LIBS_CURSES) $(LIBS_CORE)

$(O)/tests/%: tests/unit/%.c $(CORE_OBJS) | $(O)/.deps-test
	@mkdir -p $(dir $@)
	$(call say,CC,$@)$(CC) $(ALL_CFLAGS) -Isrc $(LDFLAGS) $(LDFLAGS_$*) -o $@ $< \
		$(CORE_OBJS) $(LIBS_TEST) $(LIBS_CORE)

# A working copy of the sample board, made once and reopened by later runs, so
# the shipped sample stays pristine.
RUN_BOARD := $(O)/run/comptoir-des-services.yaml
$(RUN_BOARD):
	@mkdir -p $(dir $@)
	cp boards/comptoir-des-services.yaml $@

run: all $(RUN_BOARD)
	TAMIS_LOCALEDIR=$(O)/locale ./$(BIN) $(RUN_BOARD)

test: all $(UNIT_BINS) | $(O)/.deps-test
	@TAMIS=$(abspath $(BIN)) UNIT_DIR=$(abspath $(O)/tests) \
		TAMIS_LOCALEDIR=$(abspath $(O)/locale) sh tests/run.sh

check:
	@$(MAKE) --no-print-directory O=build/san SANITIZE=address,undefined test

# The terminal suites with the UI under valgrind (tests/tui/valgrind.sh).
VALGRIND_SUITES ?= headless terminal terms resize hostile live facilitation french
valgrind: all | $(O)/.deps-test
	@TAMIS=$(abspath $(BIN)) UNIT_DIR=$(abspath $(O)/tests) TESTS=tui/valgrind \
		TAMIS_VALGRIND_SUITES="$(VALGRIND_SUITES)" \
		TAMIS_LOCALEDIR=$(abspath $(O)/locale) sh tests/run.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/tamis
	install -m 644 docs/tamis.1 $(DESTDIR)$(PREFIX)/share/man/man1/tamis.1
	for l in $(LANGS); do \
		install -d $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES && \
		install -m 644 $(O)/locale/$$l/LC_MESSAGES/tamis.mo $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/; \
	done

clean:
	rm -rf build tamis

-include $(wildcard $(O)/*.d $(O)/tests/*.d)

# Fuzzing (libFuzzer, clang): make fuzz [FUZZ_SECONDS=60], make fuzz-smoke.
-include tests/fuzz/fuzz.mk

# Benchmark: make bench [BENCH_QUICK=1].
-include bench/bench.mk
