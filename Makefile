# cognito-tui — see README.md. Every library comes through pkg-config.
#
#   make                 build/cognito-tui (optimised)
#   make check           everything under ASan+UBSan, format and house rules; last line `N passed, N failed`
#   make demo            the console on the bundled emulator
#   make vectors VECTORS=DIR   the SigV4 signer over every case under DIR
#   make bench           figures beside the peers, into bench/results.md (never pass/fail)
#   make fuzz            libFuzzer harnesses, FUZZ_SECONDS each; non-zero on a finding
#   make valgrind        unit tests and exports under valgrind: no error, no leak
#   make install         PREFIX=/usr/local DESTDIR=
#
# Several people may build at once: BUILD=build-yourname keeps trees apart.

BUILD   ?= build
PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
SAN     ?=
VECTORS ?= tests/vectors
FUZZ_SECONDS ?= 60
PYTHON  ?= /usr/bin/python3
VERSION := 0.1.0

PKGS := ncursesw libcurl json-c openssl libpcre2-8 sqlite3 expat
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN := -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes -Wmissing-prototypes \
        -Wpointer-arith -Wvla -Wwrite-strings -Wundef -Wno-unused-parameter
CFLAGS_COMMON := -std=c11 -D_GNU_SOURCE -D_XOPEN_SOURCE_EXTENDED -DCOGNITO_TUI_VERSION='"$(VERSION)"' -I. $(WARN) $(PKG_CFLAGS) -MMD -MP
ifeq ($(SAN),1)
  OPT := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined
else
  OPT := -O2 -g
endif
ALL_CFLAGS := $(CFLAGS_COMMON) $(OPT) $(CFLAGS)
ALL_LDFLAGS := $(OPT) $(LDFLAGS)
LIBS := $(PKG_LIBS) -lm

API_SRC     := $(sort $(wildcard api/*.c))
WIDGETS_SRC := $(sort $(wildcard widgets/*.c))
TUI_SRC     := $(sort $(filter-out tui/main.c,$(wildcard tui/*.c)))
TEST_SRC    := $(sort $(wildcard tests/unit/test_*.c))
TOOL_SRC    := $(sort $(wildcard tests/tools/*.c))
BENCH_SRC   := $(sort $(wildcard bench/*.c))
FUZZ_SRC    := $(sort $(wildcard fuzz/*.c))

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))
LIBAPI     := $(BUILD)/libapi.a
LIBWIDGETS := $(BUILD)/libwidgets.a
LIBTUI     := $(BUILD)/libtui.a
ALL_LIBS   := $(LIBTUI) $(LIBWIDGETS) $(LIBAPI)

BIN   := $(BUILD)/cognito-tui
TESTS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(TEST_SRC))
TOOLS := $(patsubst tests/tools/%.c,$(BUILD)/%,$(TOOL_SRC))
BENCHES := $(patsubst bench/%.c,$(BUILD)/bench-%,$(BENCH_SRC))

.PHONY: all check test-build fuzz-build fuzz-run valgrind reliability layer-api layer-widgets demo vectors bench fuzz install uninstall clean format deps
.DEFAULT_GOAL := all

all: $(BIN)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIBAPI): $(call obj,$(API_SRC))
$(LIBWIDGETS): $(call obj,$(WIDGETS_SRC))
$(LIBTUI): $(call obj,$(TUI_SRC))
$(ALL_LIBS):
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(BIN): $(call obj,tui/main.c) $(ALL_LIBS)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(ALL_LIBS) $(LIBS)

# Tests link only their own layer (test_api_*, test_widgets_*, test_tui_*), so a
# layer under construction never breaks another layer's tests.
$(BUILD)/tests/test_api_%: $(BUILD)/obj/tests/unit/test_api_%.o $(LIBAPI)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/test_widgets_%: $(BUILD)/obj/tests/unit/test_widgets_%.o $(LIBWIDGETS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/test_tui_%: $(BUILD)/obj/tests/unit/test_tui_%.o $(ALL_LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(ALL_LIBS) $(LIBS)

$(BUILD)/bench-%: $(BUILD)/obj/bench/%.o $(ALL_LIBS)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(ALL_LIBS) $(LIBS)

# Test tools (tests/tools/NAME.c -> BUILD/NAME) use api/ only.
$(BUILD)/%: $(BUILD)/obj/tests/tools/%.o $(LIBAPI)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

test-build: $(BIN) $(TESTS) $(TOOLS)

# One layer's tests alone, while other layers are under construction:
#   make BUILD=build-me SAN=1 layer-api   (or layer-widgets)
layer-api: $(filter $(BUILD)/tests/test_api_%,$(TESTS)) $(TOOLS)
layer-widgets: $(filter $(BUILD)/tests/test_widgets_%,$(TESTS))

deps:
	@scripts/install-deps.sh

# The check tree is separate so an optimised build and a sanitized one never mix
# objects; -Werror there keeps the build warning-free.
check: deps
	@$(MAKE) --no-print-directory BUILD=build/check SAN=1 CFLAGS="$(CFLAGS) -Werror" test-build
	@$(MAKE) --no-print-directory fuzz-build
	@FUZZ_SECONDS=$(FUZZ_CHECK_SECONDS) tests/run.sh build/check

# The unit tests and exports through the binary under valgrind's memcheck,
# in a build without sanitizers (valgrind and ASan do not mix).
valgrind: deps
	@$(MAKE) --no-print-directory BUILD=build/valgrind SAN= CFLAGS="$(CFLAGS) -O1" test-build
	@tests/valgrind.sh build/valgrind

# The README's Reliability section from what the last `make check` recorded.
reliability:
	@$(PYTHON) tests/reliability.py build/check README.md

vectors: $(BUILD)/sigv4-vectors
	$(BUILD)/sigv4-vectors $(VECTORS)

# Targets that install dependencies build in a sub-make: this make read the
# pkg-config flags before scripts/install-deps.sh could install the libraries.
demo: deps
	@$(MAKE) --no-print-directory $(BIN)
	@scripts/demo.sh $(BIN)

bench: deps
	@$(MAKE) --no-print-directory $(BIN) $(BENCHES) $(TOOLS)
	@BUILD=$(BUILD) $(PYTHON) bench/run.py

# libFuzzer harnesses (fuzz/NAME.c): every source compiled once with clang,
# -fsanitize=fuzzer-no-link,address,undefined, into build/fuzz/obj; each
# harness links the three layers' libraries from there. fuzz/run.sh runs
# them (two at a time) over fuzz/corpus/NAME (the committed seeds) and
# build/fuzz/corpus/NAME (what they find), and exits non-zero on a finding
# (saved in build/fuzz/findings/). `make check` runs each FUZZ_CHECK_SECONDS.
FUZZ_CC ?= clang
FUZZ_BUILD := build/fuzz
FUZZ_CHECK_SECONDS ?= 10
FUZZ_NAMES := $(basename $(notdir $(FUZZ_SRC)))
FUZZ_BINS := $(patsubst %,$(FUZZ_BUILD)/fuzz-%,$(FUZZ_NAMES))
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE -D_XOPEN_SOURCE_EXTENDED -DCOGNITO_TUI_VERSION='"$(VERSION)"' \
               -I. -g -O1 -fno-omit-frame-pointer $(FUZZ_SAN) -fsanitize=fuzzer-no-link $(PKG_CFLAGS)
fuzz_obj = $(patsubst %.c,$(FUZZ_BUILD)/obj/%.o,$(1))
FUZZ_LIBS := $(FUZZ_BUILD)/libtui.a $(FUZZ_BUILD)/libwidgets.a $(FUZZ_BUILD)/libapi.a

$(FUZZ_BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -c -o $@ $<

$(FUZZ_BUILD)/libapi.a: $(call fuzz_obj,$(API_SRC))
$(FUZZ_BUILD)/libwidgets.a: $(call fuzz_obj,$(WIDGETS_SRC))
$(FUZZ_BUILD)/libtui.a: $(call fuzz_obj,$(TUI_SRC))
$(FUZZ_LIBS):
	rm -f $@ && ar rcs $@ $^

$(FUZZ_BUILD)/fuzz-%: $(FUZZ_BUILD)/obj/fuzz/%.o $(FUZZ_LIBS)
	$(FUZZ_CC) -g $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $< $(FUZZ_LIBS) $(PKG_LIBS) -lm

fuzz-build: $(FUZZ_BINS)

fuzz: deps
	@$(MAKE) --no-print-directory fuzz-run

fuzz-run: fuzz-build
	@fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_NAMES)

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/cognito-tui/themes
	install -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/cognito-tui
	install -m 0644 man/cognito-tui.1 $(DESTDIR)$(PREFIX)/share/man/man1/cognito-tui.1
	install -m 0644 themes/* $(DESTDIR)$(PREFIX)/share/cognito-tui/themes/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/cognito-tui $(DESTDIR)$(PREFIX)/share/man/man1/cognito-tui.1
	rm -rf $(DESTDIR)$(PREFIX)/share/cognito-tui

format:
	git ls-files -co --exclude-standard -- '*.c' '*.h' | xargs -r clang-format -i --style=file

clean:
	rm -rf build build-* build/check

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
-include $(shell find $(FUZZ_BUILD)/obj -name '*.d' 2>/dev/null)
