# libFuzzer harnesses, one per parser (included from the Makefile).
#
#   make fuzz-build              builds $(BUILD)/fuzz/fuzz_<name> with clang
#   make fuzz [FUZZ_SECONDS=30]  runs each harness that long on a copy of
#                                tests/fuzz/corpus/<name> kept in
#                                $(BUILD)/fuzz/corpus/<name>; fails on a crash
#
# Harnesses compile the sources they test directly, with the sanitizers; they
# do not use the gcc-built library. Crash inputs land in
# $(BUILD)/fuzz/artifacts/; replay one with `$(BUILD)/fuzz/fuzz_<name> FILE`.
# Only BUILD is taken from the including Makefile.

# This fragment never sets the default goal of the Makefile including it.
FUZZ_SAVED_GOAL := $(.DEFAULT_GOAL)

BUILD        ?= build
FUZZ_SECONDS ?= 30
FUZZ_DIR     := $(BUILD)/fuzz
FUZZ_NAMES   := path json config log

# Resolved when a recipe runs, after scripts/deps has installed clang.
FUZZ_CC = $(firstword $(shell command -v clang-14 clang 2>/dev/null))
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE -Isrc -g -O1 -fno-omit-frame-pointer \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-Wall -Wextra -Werror -Wshadow -Wformat=2 -Wvla -Wstrict-prototypes \
	-Wmissing-prototypes -Wno-missing-field-initializers

# Sources each harness compiles, and the pkg-config packages they need.
FUZZ_SRC_path   := src/http/path.c
FUZZ_PKGS_path  :=
FUZZ_SRC_json   := src/http/jsonbody.c src/http/response.c src/core/fault.c \
                   src/http/jsonw.c src/core/buf.c
FUZZ_PKGS_json  := jansson libsodium
FUZZ_SRC_config := src/core/config.c src/core/num.c src/core/log.c \
    src/core/fsutil.c src/core/config_oidc.c
FUZZ_PKGS_config := inih
FUZZ_SRC_log    := src/core/log.c
FUZZ_PKGS_log   :=

FUZZ_HDRS := $(wildcard src/*/*.h)
FUZZ_BINS := $(FUZZ_NAMES:%=$(FUZZ_DIR)/fuzz_%)

# One run: UBSan and ASan abort on the first report, leaks count, and
# libFuzzer exits non-zero on a crash, which stops make.
FUZZ_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

.PHONY: fuzz fuzz-build fuzz-deps $(FUZZ_NAMES:%=fuzz-run-%)

fuzz-deps:
	@scripts/deps fuzz

fuzz-build: fuzz-deps $(FUZZ_BINS)

define FUZZ_RULES
$(FUZZ_DIR)/fuzz_$(1): tests/fuzz/fuzz_$(1).c $$(FUZZ_SRC_$(1)) $$(FUZZ_HDRS) \
    tests/fuzz/fuzz.mk | fuzz-deps
	@mkdir -p $$(@D)
	@echo "  CLANG $$@"; $$(FUZZ_CC) $$(FUZZ_CFLAGS) \
	    $$(if $$(FUZZ_PKGS_$(1)),$$(shell pkg-config --cflags $$(FUZZ_PKGS_$(1)))) \
	    -o $$@ $$< $$(FUZZ_SRC_$(1)) \
	    $$(if $$(FUZZ_PKGS_$(1)),$$(shell pkg-config --libs $$(FUZZ_PKGS_$(1))))

fuzz-run-$(1): $(FUZZ_DIR)/fuzz_$(1)
	@mkdir -p $(FUZZ_DIR)/corpus/$(1) $(FUZZ_DIR)/artifacts
	@cp -f tests/fuzz/corpus/$(1)/* $(FUZZ_DIR)/corpus/$(1)/
	@echo "  FUZZ $(1) for $$(FUZZ_SECONDS)s"
	@$$(FUZZ_ENV) $(FUZZ_DIR)/fuzz_$(1) -max_total_time=$$(FUZZ_SECONDS) \
	    -timeout=10 -print_final_stats=1 \
	    -artifact_prefix=$(FUZZ_DIR)/artifacts/$(1)- \
	    $(FUZZ_DIR)/corpus/$(1)
endef
$(foreach n,$(FUZZ_NAMES),$(eval $(call FUZZ_RULES,$(n))))

# One harness after the other (side by side under -j); a crash stops make.
fuzz: fuzz-build $(FUZZ_NAMES:%=fuzz-run-%)

.DEFAULT_GOAL := $(FUZZ_SAVED_GOAL)
