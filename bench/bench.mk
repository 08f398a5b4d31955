# The benchmark (bench/README.md, docs/PERFORMANCE.md), included by the Makefile.
#
#   make bench                 100, 1,000, 10,000 and 100,000 cards
#   BENCH_QUICK=1 make bench   up to 10,000 cards, in under a minute
#
# Builds its own optimised objects under build/bench/ (whatever O and
# DEVELOPER say), generates the boards once (they are deterministic), runs
# every measurement in one process and writes bench/results.tsv.
#
# Whole commands (cli_list, cli_check, cli_add) run a tamis built as the
# Makefile builds it, -O2 -g with its hardening, under build/bench/cli/,
# next to bench/floor.c built with the same flags.

BENCH_O := build/bench
BENCH_SIZES := 100 1000 10000 $(if $(BENCH_QUICK),,100000)
BENCH_BOARDS := $(BENCH_SIZES:%=$(BENCH_O)/boards/board-%.yaml)

BENCH_CFLAGS = -std=c11 $(WARNINGS) -O2 -g -MMD -MP -D_GNU_SOURCE -Isrc \
	-DTAMIS_VERSION='"$(VERSION)"' -DTAMIS_LOCALEDIR='"$(LOCALEDIR)"' \
	-DTAMIS_BUILD_LOCALEDIR='"$(BUILD_LOCALEDIR)"' \
	$(shell $(PKG_CONFIG) --cflags yaml-0.1 uuid libsodium libutf8proc zlib ncursesw 2>/dev/null)

BENCH_CORE_OBJS := $(CORE_SRCS:src/%.c=$(BENCH_O)/obj/%.o)
BENCH_UI_OBJS := $(UI_SRCS:src/%.c=$(BENCH_O)/obj/%.o)

# The bench times the fsync()s of a save and the fdatasync() of an append
# apart from the rest, by wrapping them (bench.c: __wrap_fsync).
BENCH_WRAP := -Wl,--wrap=fsync,--wrap=fdatasync

.PHONY: bench bench-tamis
bench: $(BENCH_O)/bench $(BENCH_O)/floor bench-tamis $(BENCH_O)/boards/board-0.yaml $(BENCH_BOARDS)
	@mkdir -p $(BENCH_O)/run
	LC_ALL=C.UTF-8 TZ=UTC TAMIS_BY=bench TAMIS_TIME_NOW=2019-06-28T12:00:00Z \
		$(BENCH_O)/bench -d $(BENCH_O)/run -o bench/results.tsv \
		-t $(BENCH_O)/cli/tamis -f $(BENCH_O)/floor \
		$(BENCH_O)/boards/board-0.yaml $(BENCH_BOARDS)

# The tamis that users build, whatever this make's O, DEVELOPER or SANITIZE.
bench-tamis:
	@$(MAKE) --no-print-directory O=$(BENCH_O)/cli DEVELOPER= SANITIZE= CFLAGS='-O2 -g' \
		$(BENCH_O)/cli/tamis

# The floor of a command, built as tamis is (hardened), with libyaml alone.
$(BENCH_O)/floor: bench/floor.c | $(O)/.deps-build
	@mkdir -p $(dir $@)
	$(call say,CC,$@)$(CC) -std=c11 $(HARDEN_CPPFLAGS) $(HARDEN_CFLAGS) $(WARNINGS) -O2 -g \
		-D_GNU_SOURCE $(shell $(PKG_CONFIG) --cflags yaml-0.1 2>/dev/null) \
		$(HARDEN_LDFLAGS) -o $@ $< $(shell $(PKG_CONFIG) --libs yaml-0.1 2>/dev/null)

$(BENCH_O)/obj/%.o: src/%.c | $(O)/.deps-build
	@mkdir -p $(dir $@)
	$(call say,CC,$@)$(CC) $(BENCH_CFLAGS) -c -o $@ $<

$(BENCH_O)/obj/bench/%.o: bench/%.c | $(O)/.deps-build
	@mkdir -p $(dir $@)
	$(call say,CC,$@)$(CC) $(BENCH_CFLAGS) -c -o $@ $<

$(BENCH_O)/gen: $(BENCH_O)/obj/bench/gen.o $(BENCH_CORE_OBJS)
	$(call say,LINK,$@)$(CC) -o $@ $^ $(LIBS_CORE)

$(BENCH_O)/bench: $(BENCH_O)/obj/bench/bench.o $(BENCH_CORE_OBJS) $(BENCH_UI_OBJS)
	$(call say,LINK,$@)$(CC) $(BENCH_WRAP) -o $@ $^ $(LIBS_CURSES) $(LIBS_CORE) -lm

$(BENCH_O)/boards/board-%.yaml: $(BENCH_O)/gen
	@mkdir -p $(dir $@)
	$(call say,GEN,$@)$(BENCH_O)/gen $* $@

-include $(wildcard $(BENCH_O)/obj/*.d $(BENCH_O)/obj/bench/*.d)
