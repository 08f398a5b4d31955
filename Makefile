# tamis - a terminal post-it grid board.
#
#   make             build ./tamis (installs missing -dev packages on Debian/Ubuntu)
#   make run         open a working copy of the sample board
#   make test        every suite (unit, CLI, terminal); ends with "N passed, N failed"
#   make check       the whole suite under ASan+UBSan
#   make lint        the house rules (tests/lint.sh: layering, operations only,
#                    no call circle among UI files, file and function sizes)
#   make stress      20 command-line writers and an open interface for 30 s, and
#                    the random sharing test at 20,000 steps, seed by seed
#                    (make test runs it with 6 writers for 4 s: tests/tui/stress.sh)
#   make valgrind    every terminal suite with the UI under valgrind memcheck
#                    (make test runs three of them so: tests/tui/valgrind.sh)
#   make man         the man page in French (po4a), under $(O)/man/fr/
#   make man-po      po/man/*.po brought up to date with docs/tamis.1
#   make container-test  'make test' and 'make run' in a fresh Debian 12
#                    minbase chroot (tests/container.sh, as root)
#   make install     PREFIX=/usr/local DESTDIR=
#   make clean
#
# Knobs: V=1 (verbose), DEVELOPER=1 (-Werror -g -O0), SANITIZE=address,undefined,
# O=DIR (object directory). Built hardened as a Debian package is (HARDEN_*);
# CFLAGS and LDFLAGS from the environment come last and win.

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
# Where the catalogues compiled under $(O)/locale are, seen from $(BIN)'s directory.
BUILD_LOCALEDIR := $(if $(filter build,$(O)),build/locale,locale)

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

# Hardening, as dpkg-buildflags gives a Debian package: fortified libc calls
# (they need the optimiser: not with -O0), a strong stack protector, format
# strings checked, full RELRO and a position-independent executable. Kept
# apart from CFLAGS and LDFLAGS, which come after them and so win (and before
# WARNINGS, whose -Wformat=2 must not fall back to the -Wformat here).
HARDEN_OPT := $(filter-out -O0,$(lastword $(filter -O%,$(CFLAGS))))
HARDEN_CPPFLAGS := $(if $(HARDEN_OPT),-U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=2)
HARDEN_CFLAGS := -fstack-protector-strong -Wformat -Werror=format-security -fPIE
HARDEN_LDFLAGS := -Wl,-z,relro,-z,now -pie

LOCALEDIR ?= $(PREFIX)/share/locale
VERSION := 0.1.0

ALL_CFLAGS = -std=c11 $(HARDEN_CPPFLAGS) $(HARDEN_CFLAGS) $(WARNINGS) $(CFLAGS) -MMD -MP -D_GNU_SOURCE \
	-DTAMIS_VERSION='"$(VERSION)"' -DTAMIS_LOCALEDIR='"$(LOCALEDIR)"' \
	-DTAMIS_BUILD_LOCALEDIR='"$(BUILD_LOCALEDIR)"' \
	$(shell $(PKG_CONFIG) --cflags yaml-0.1 uuid libsodium libutf8proc zlib 2>/dev/null)
CURSES_CFLAGS = $(shell $(PKG_CONFIG) --cflags ncursesw 2>/dev/null)
LIBS_CORE = $(shell $(PKG_CONFIG) --libs yaml-0.1 uuid libsodium libutf8proc zlib 2>/dev/null)
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
LDFLAGS_test_session := -Wl,--wrap=access
LDFLAGS_test_faults := -Wl,--wrap=write,--wrap=fsync,--wrap=fdatasync,--wrap=rename,--wrap=open,--wrap=mkostemp,--wrap=unlink,--wrap=malloc,--wrap=calloc,--wrap=realloc

# Debian/Ubuntu packages providing what the build and the tests need.
BUILD_PKGS := cc:gcc cc:libc6-dev pkg-config:pkg-config ncursesw:libncurses-dev yaml-0.1:libyaml-dev uuid:uuid-dev \
	libsodium:libsodium-dev libutf8proc:libutf8proc-dev zlib:zlib1g-dev msgfmt:gettext po4a:po4a
TEST_PKGS := cmocka:libcmocka-dev
# Every program the test scripts call beyond POSIX sh's builtins (tests/run.sh
# checks them first: a minimal Debian has no ps, for one).
TEST_TOOLS := tmux:tmux python3:python3 locale-gen:locales strace:strace flock:util-linux script:bsdutils \
	valgrind:valgrind ps:procps setsid:util-linux timeout:coreutils readelf:binutils ldd:libc-bin \
	locale:libc-bin cmp:diffutils diff:diffutils awk:mawk mkfifo:coreutils truncate:coreutils \
	nproc:coreutils od:coreutils make:make pkill:procps setpriv:util-linux useradd:passwd \
	groupadd:passwd userdel:passwd groupdel:passwd zsh:zsh bash:bash man:man-db

# Translations: po/LANG.po compiled for the uninstalled binary under
# $(O)/locale (which it finds beside itself, src/i18n.c) and installed under
# LOCALEDIR.
LANGS := $(basename $(notdir $(wildcard po/*.po)))
MO_FILES := $(LANGS:%=$(O)/locale/%/LC_MESSAGES/tamis.mo)

.PHONY: all run test check stress lint valgrind install clean deps test-deps pot man man-po \
	container-test
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

# The man page in French: docs/tamis.1 translated by po/man/LANG.po (po4a,
# po/man/po4a.cfg), built only when every paragraph is translated (po4a's
# threshold at 100%). Not part of 'all', so that a translation still to be
# brought up to date never stops 'make run'; 'make install' needs it, and
# tests/cli/manpage.sh checks it. 'make man-po' brings po/man/ up to date
# with docs/tamis.1 (new or changed paragraphs become untranslated or fuzzy).
MAN_LANGS := $(basename $(notdir $(wildcard po/man/*.po)))
MAN_PAGES := $(MAN_LANGS:%=$(O)/man/%/tamis.1)

man: $(MAN_PAGES)

$(O)/man/%/tamis.1: docs/tamis.1 po/man/%.po po/man/po4a.cfg | $(O)/.deps-build
	@mkdir -p $(dir $@)
	@rm -f $@
	$(call say,PO4A,$@)po4a --no-update --destdir $(O) po/man/po4a.cfg >$(O)/man/po4a.log 2>&1
	@test -s $@ || { cat $(O)/man/po4a.log >&2; \
		echo "tamis: po/man/$*.po does not translate all of docs/tamis.1: run 'make man-po', translate what is new or fuzzy there, and build again" >&2; \
		exit 1; }

man-po:
	po4a --force po/man/po4a.cfg

# Installs missing build dependencies (once per object directory, and again
# when the Makefile changes: it may name a new one).
deps: $(O)/.deps-build
$(O)/.deps-build: Makefile
	@mkdir -p $(O)
	@sh tests/deps.sh build $(BUILD_PKGS)
	@touch $@
test-deps: $(O)/.deps-test
$(O)/.deps-test: $(O)/.deps-build Makefile
	@sh tests/deps.sh test $(TEST_PKGS) $(TEST_TOOLS)
	@touch $@

$(O)/%.o: src/%.c | $(O)/.deps-build
	@mkdir -p $(dir $@)
	$(call say,CC,$@)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(UI_OBJS) $(MAIN_OBJ): ALL_CFLAGS += $(CURSES_CFLAGS)

$(BIN): $(CORE_OBJS) $(UI_OBJS) $(MAIN_OBJ)
	$(call say,LINK,$@)$(CC) $(HARDEN_LDFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS_CURSES) $(LIBS_CORE)

# The editor of the UI needs no terminal: its test links it without -lncursesw
# (curses.h gives it the key codes only).
OBJS_test_editor := $(O)/ui_editor.o
$(O)/tests/test_editor: $(OBJS_test_editor)
$(O)/tests/test_editor: private ALL_CFLAGS += $(CURSES_CFLAGS)

$(O)/tests/%: tests/unit/%.c $(CORE_OBJS) | $(O)/.deps-test
	@mkdir -p $(dir $@)
	$(call say,CC,$@)$(CC) $(ALL_CFLAGS) -Isrc $(HARDEN_LDFLAGS) $(LDFLAGS) $(LDFLAGS_$*) -o $@ $< \
		$(OBJS_$*) $(CORE_OBJS) $(LIBS_TEST) $(LIBS_CORE)

# A working copy of the sample board, made once and reopened by later runs, so
# the shipped sample stays pristine.
RUN_BOARD := $(O)/run/comptoir-des-services.yaml
$(RUN_BOARD):
	@mkdir -p $(dir $@)
	cp boards/comptoir-des-services.yaml $@

run: all $(RUN_BOARD)
	./$(BIN) $(RUN_BOARD)

test: all $(UNIT_BINS) | $(O)/.deps-test
	@TAMIS=$(abspath $(BIN)) UNIT_DIR=$(abspath $(O)/tests) TAMIS_TEST_TOOLS="$(TEST_TOOLS)" \
		TAMIS_LOCALEDIR=$(abspath $(O)/locale) sh tests/run.sh

check:
	@$(MAKE) --no-print-directory O=build/san SANITIZE=address,undefined test

# The house rules a compiler does not check (docs/ARCHITECTURE.md).
lint: all
	@TAMIS_TOP=$(CURDIR) LINT_OBJ_DIR=$(abspath $(O)) sh tests/lint.sh

# The many-writers test at full size (tests/tui/stress.sh).
STRESS_WRITERS ?= 20
STRESS_SECONDS ?= 30
# And the random sharing test (tests/unit/test_collab.c) at length, seed by seed.
STRESS_COLLAB_STEPS ?= 20000
STRESS_COLLAB_SEEDS ?= 1 2 3 4 5 6 7 8
stress: all $(O)/tests/test_collab | $(O)/.deps-test
	@TAMIS=$(abspath $(BIN)) UNIT_DIR=$(abspath $(O)/tests) TESTS=tui/stress \
		TAMIS_STRESS_WRITERS=$(STRESS_WRITERS) TAMIS_STRESS_SECONDS=$(STRESS_SECONDS) \
		TAMIS_LOCALEDIR=$(abspath $(O)/locale) sh tests/run.sh
	@for seed in $(STRESS_COLLAB_SEEDS); do \
		TAMIS_COLLAB_SEED=$$seed TAMIS_COLLAB_STEPS=$(STRESS_COLLAB_STEPS) \
			$(O)/tests/test_collab >/dev/null 2>&1 || \
			{ echo "test_collab: seed $$seed failed: TAMIS_COLLAB_SEED=$$seed TAMIS_COLLAB_STEPS=$(STRESS_COLLAB_STEPS) $(O)/tests/test_collab"; exit 1; }; \
	done; echo "test_collab: $(words $(STRESS_COLLAB_SEEDS)) seeds of $(STRESS_COLLAB_STEPS) steps passed"

# The README's two commands in a fresh Debian 12 minbase chroot, as root
# (tests/container.sh; about half an hour, so not part of 'make test').
container-test:
	@sh tests/container.sh

# The terminal suites with the UI under valgrind (tests/tui/valgrind.sh).
VALGRIND_SUITES ?= headless terminal terms resize hostile live facilitation french
valgrind: all | $(O)/.deps-test
	@TAMIS=$(abspath $(BIN)) UNIT_DIR=$(abspath $(O)/tests) TESTS=tui/valgrind \
		TAMIS_TEST_TOOLS="$(TEST_TOOLS)" \
		TAMIS_VALGRIND_SUITES="$(VALGRIND_SUITES)" \
		TAMIS_LOCALEDIR=$(abspath $(O)/locale) sh tests/run.sh

BASH_COMPLETION_DIR ?= $(PREFIX)/share/bash-completion/completions
ZSH_COMPLETION_DIR ?= $(PREFIX)/share/zsh/site-functions

install: all man
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/tamis
	install -m 644 docs/tamis.1 $(DESTDIR)$(PREFIX)/share/man/man1/tamis.1
	for l in $(MAN_LANGS); do \
		install -d $(DESTDIR)$(PREFIX)/share/man/$$l/man1 && \
		install -m 644 $(O)/man/$$l/tamis.1 $(DESTDIR)$(PREFIX)/share/man/$$l/man1/tamis.1; \
	done
	install -d $(DESTDIR)$(BASH_COMPLETION_DIR) $(DESTDIR)$(ZSH_COMPLETION_DIR)
	install -m 644 completion/tamis.bash $(DESTDIR)$(BASH_COMPLETION_DIR)/tamis
	install -m 644 completion/_tamis $(DESTDIR)$(ZSH_COMPLETION_DIR)/_tamis
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
