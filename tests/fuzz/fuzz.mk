# tests/fuzz/fuzz.mk - libFuzzer harnesses for the parsers and the UI's input;
# included by the Makefile, which provides O, CC, ALL_CFLAGS, CORE_SRCS,
# CORE_OBJS, UI_SRCS, UI_OBJS, LIBS_CORE, LIBS_CURSES.
#
#   make fuzz [FUZZ_SECONDS=60]  runs each harness FUZZ_SECONDS on a copy of its
#                                seed corpus in $(O)/fuzz/corpus-NAME
#   make fuzz-smoke              each harness FUZZ_SMOKE_SECONDS (10): for CI
#   make fuzz-build              only builds $(O)/fuzz/fuzz_NAME
#   make fuzz-coverage           line coverage of src/ by the corpora of the last
#                                runs ($(O)/fuzz/corpus-NAME), with llvm-cov
#
# Needs clang with libFuzzer (FUZZ_CC=clang; on Debian/Ubuntu the build
# installs clang and libclang-rt-dev through tests/deps.sh). Every crash, leak, timeout or
# out-of-memory found is saved as tests/fuzz/crashes/NAME-KIND-SHA1.bin, and
# `make test` replays the seeds and every saved crash through the same
# harnesses built with the ordinary compiler ($(O)/tests/test_fuzz_replay,
# tests/fuzz/replay.c), so a crash once found stays a regression test.
# Figures and how to reproduce a crash: docs/RELIABILITY.md, "Fuzzing".

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 10
FUZZ_NAMES := store import journal ui
FUZZ_DIR := $(O)/fuzz
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
# The tree's flags without its optimisation and sanitizer choices, then ours
# (nor _FORTIFY_SOURCE: its checks would stop a bug before ASan reports it).
FUZZ_CFLAGS = $(filter-out -O% -g -fsanitize=% -fno-sanitize-recover=% $(HARDEN_CPPFLAGS),$(ALL_CFLAGS)) \
	-g -O1 $(FUZZ_SAN) -Isrc
FUZZ_LIBS = $(or $(LIBS_CORE),$(shell $(PKG_CONFIG) --libs yaml-0.1 uuid libsodium libutf8proc zlib 2>/dev/null))
FUZZ_CORE_OBJS := $(CORE_SRCS:src/%.c=$(FUZZ_DIR)/obj/%.o)
FUZZ_BINS := $(FUZZ_NAMES:%=$(FUZZ_DIR)/fuzz_%)
# fuzz_ui drives the UI itself: its modules and curses too.
FUZZ_UI_OBJS := $(UI_SRCS:src/%.c=$(FUZZ_DIR)/obj/%.o)
FUZZ_OBJS_ui = $(FUZZ_UI_OBJS)
FUZZ_LIBS_ui = $(LIBS_CURSES)
$(FUZZ_UI_OBJS): FUZZ_CFLAGS += $(CURSES_CFLAGS)

.PHONY: fuzz fuzz-smoke fuzz-build fuzz-coverage

fuzz-build: $(FUZZ_BINS)

# clang and libFuzzer, installed when missing (once per object directory).
$(O)/.deps-fuzz: | $(O)/.deps-build
	@sh tests/deps.sh fuzz clang:clang libfuzzer:libclang-rt-dev
	@touch $@

fuzz: $(FUZZ_BINS)
	@sh tests/fuzz/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_DIR) $(FUZZ_NAMES)

fuzz-smoke: $(FUZZ_BINS)
	@sh tests/fuzz/fuzz.sh $(FUZZ_SMOKE_SECONDS) $(FUZZ_DIR) $(FUZZ_NAMES)

# The core with coverage instrumentation (no libFuzzer main: that comes at link).
$(FUZZ_DIR)/obj/%.o: src/%.c | $(O)/.deps-fuzz
	@mkdir -p $(dir $@)
	$(call say,FUZZCC,$@)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_DIR)/fuzz_ui: $(FUZZ_UI_OBJS)
$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_CORE_OBJS)
	@mkdir -p $(dir $@)
	$(call say,FUZZLD,$@)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< \
		$(FUZZ_CORE_OBJS) $(FUZZ_OBJS_$*) $(FUZZ_LIBS) $(FUZZ_LIBS_$*)

# Source-based coverage: the same harnesses without sanitizers, each run once
# over its corpus, the profiles merged and reported per file of src/.
FUZZ_COV := -fprofile-instr-generate -fcoverage-mapping
FUZZ_COV_CFLAGS = $(filter-out -O% -g -fsanitize=% -fno-sanitize-recover=% $(HARDEN_CPPFLAGS),$(ALL_CFLAGS)) \
	-g -O0 $(FUZZ_COV) -Isrc
FUZZ_COV_OBJS := $(CORE_SRCS:src/%.c=$(FUZZ_DIR)/cov/obj/%.o)
FUZZ_COV_UI_OBJS := $(UI_SRCS:src/%.c=$(FUZZ_DIR)/cov/obj/%.o)
$(FUZZ_COV_UI_OBJS): FUZZ_COV_CFLAGS += $(CURSES_CFLAGS)
FUZZ_PROFDATA ?= llvm-profdata
FUZZ_LLVM_COV ?= llvm-cov

$(FUZZ_DIR)/cov/obj/%.o: src/%.c | $(O)/.deps-fuzz
	@mkdir -p $(dir $@)
	$(call say,COVCC,$@)$(FUZZ_CC) $(FUZZ_COV_CFLAGS) -c -o $@ $<

$(FUZZ_DIR)/cov/fuzz_ui: $(FUZZ_COV_UI_OBJS)
$(FUZZ_DIR)/cov/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_COV_OBJS)
	$(call say,COVLD,$@)$(FUZZ_CC) $(FUZZ_COV_CFLAGS) -fsanitize=fuzzer -o $@ $< \
		$(FUZZ_COV_OBJS) $(if $(filter ui,$*),$(FUZZ_COV_UI_OBJS) $(LIBS_CURSES)) $(FUZZ_LIBS)

fuzz-coverage: $(FUZZ_NAMES:%=$(FUZZ_DIR)/cov/fuzz_%)
	@rm -f $(FUZZ_DIR)/cov/*.profraw
	@for n in $(FUZZ_NAMES); do \
		mkdir -p $(FUZZ_DIR)/corpus-$$n && cp tests/fuzz/corpus/$$n/* $(FUZZ_DIR)/corpus-$$n/ && \
		LLVM_PROFILE_FILE=$(FUZZ_DIR)/cov/$$n.profraw $(FUZZ_DIR)/cov/fuzz_$$n -runs=0 \
			$(FUZZ_DIR)/corpus-$$n >/dev/null 2>&1 || exit 1; \
	done
	@$(FUZZ_PROFDATA) merge -sparse -o $(FUZZ_DIR)/cov/all.profdata $(FUZZ_DIR)/cov/*.profraw
	@$(FUZZ_LLVM_COV) report $(FUZZ_DIR)/cov/fuzz_store \
		$(patsubst %,-object %,$(filter-out $(FUZZ_DIR)/cov/fuzz_store,$(FUZZ_NAMES:%=$(FUZZ_DIR)/cov/fuzz_%))) \
		-instr-profile=$(FUZZ_DIR)/cov/all.profdata $(CORE_SRCS) $(UI_SRCS)

# The replay of seeds and saved crashes, run by tests/run.sh with the unit
# tests: the parsers' harnesses in test_fuzz_replay, linked without curses
# like the unit tests; the UI's in test_fuzz_replay_ui.
FUZZ_REPLAY_NAMES := $(filter-out ui,$(FUZZ_NAMES))
FUZZ_REPLAY_OBJS := $(FUZZ_REPLAY_NAMES:%=$(O)/fuzz-replay/fuzz_%.o)

$(O)/fuzz-replay/fuzz_%.o: tests/fuzz/fuzz_%.c | $(O)/.deps-build
	@mkdir -p $(dir $@)
	$(call say,CC,$@)$(CC) $(ALL_CFLAGS) -Isrc -DFUZZ_REPLAY -c -o $@ $<

$(O)/tests/test_fuzz_replay: tests/fuzz/replay.c $(FUZZ_REPLAY_OBJS) $(CORE_OBJS)
	@mkdir -p $(dir $@)
	$(call say,CC,$@)$(CC) $(ALL_CFLAGS) -Isrc -DFUZZ_TOP='"$(CURDIR)"' $(HARDEN_LDFLAGS) $(LDFLAGS) -o $@ $< \
		$(FUZZ_REPLAY_OBJS) $(CORE_OBJS) $(LIBS_CORE)

$(O)/tests/test_fuzz_replay_ui: tests/fuzz/replay.c $(O)/fuzz-replay/fuzz_ui.o $(CORE_OBJS) $(UI_OBJS)
	@mkdir -p $(dir $@)
	$(call say,CC,$@)$(CC) $(ALL_CFLAGS) -Isrc -DFUZZ_TOP='"$(CURDIR)"' -DFUZZ_REPLAY_UI \
		$(HARDEN_LDFLAGS) $(LDFLAGS) -o $@ $< $(O)/fuzz-replay/fuzz_ui.o $(CORE_OBJS) $(UI_OBJS) \
		$(LIBS_CURSES) $(LIBS_CORE)

test: $(O)/tests/test_fuzz_replay $(O)/tests/test_fuzz_replay_ui

# Objects made through pattern rules only: keep them between runs.
.SECONDARY: $(FUZZ_CORE_OBJS) $(FUZZ_UI_OBJS) $(FUZZ_REPLAY_OBJS) $(O)/fuzz-replay/fuzz_ui.o \
	$(FUZZ_COV_OBJS) $(FUZZ_COV_UI_OBJS)

-include $(wildcard $(FUZZ_DIR)/obj/*.d $(FUZZ_DIR)/*.d $(FUZZ_DIR)/cov/obj/*.d $(FUZZ_DIR)/cov/*.d \
	$(O)/fuzz-replay/*.d)
