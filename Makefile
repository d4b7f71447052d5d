# Créneau build. `make run` and `make test` install what is missing first.

BUILD   ?= build
CC      ?= cc
PKGS    := libmicrohttpd jansson sqlite3 inih libsodium liboath libqrencode libcurl libpq libical cjose
TESTPKGS := cmocka libcurl libcrypto

WARN    := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wvla -Wstrict-prototypes \
           -Wmissing-prototypes -Wpointer-arith -Wcast-qual -Wno-missing-field-initializers
HARDEN  := -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fstack-clash-protection -fPIE
# CFLAGS and LDFLAGS are the caller's (optimisation, extra flags); the
# warnings, hardening and sanitizers below always apply on top.
CFLAGS  ?= -O2 -g
ALL_CFLAGS  = -std=c11 -D_GNU_SOURCE $(WARN) -Isrc
ALL_LDFLAGS = -pie -Wl,-z,relro,-z,now -Wl,-z,noexecstack
SANITIZE ?=
ifeq ($(SANITIZE),)
ALL_CFLAGS  += $(HARDEN)
else
ALL_CFLAGS  += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all -fPIE
ALL_LDFLAGS += -fsanitize=$(SANITIZE)
endif
ALL_CFLAGS  += $(CFLAGS)
ALL_LDFLAGS += $(LDFLAGS)

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lzxcvbn -lhpdf -lpthread
TEST_CFLAGS := $(shell pkg-config --cflags $(TESTPKGS) 2>/dev/null)
TEST_LIBS   := $(shell pkg-config --libs $(TESTPKGS) 2>/dev/null)

LIB_SRC  := $(sort $(filter-out src/main.c,$(wildcard src/*.c src/*/*.c)))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/unit/%)
INT_SRC  := $(sort $(wildcard tests/integration/test_*.c))
INT_BIN  := $(INT_SRC:tests/integration/%.c=$(BUILD)/tests/integration/%)
TEST_HELPERS := tests/integration/harness.c tests/integration/client.c \
    tests/integration/demo.c

.PHONY: all run test asan lint format deps tests-build bench clean browser-test

all: $(BUILD)/creneau

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC $@"; $(CC) $(ALL_CFLAGS) $(PKG_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libcreneau.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/creneau: $(BUILD)/obj/src/main.o $(BUILD)/libcreneau.a
	@echo "  CC $@"; $(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/tests/unit/%: tests/unit/%.c $(BUILD)/libcreneau.a
	@mkdir -p $(dir $@)
	@echo "  CC $@"; $(CC) $(ALL_CFLAGS) $(PKG_CFLAGS) $(TEST_CFLAGS) $(ALL_LDFLAGS) -o $@ $< \
	    $(BUILD)/libcreneau.a $(PKG_LIBS) $(TEST_LIBS)

$(BUILD)/tests/integration/%: tests/integration/%.c $(TEST_HELPERS) \
    tests/integration/harness.h tests/integration/client.h \
    tests/integration/demo.h $(BUILD)/libcreneau.a
	@mkdir -p $(dir $@)
	@echo "  CC $@"; $(CC) $(ALL_CFLAGS) -Itests/integration $(PKG_CFLAGS) $(TEST_CFLAGS) \
	    $(ALL_LDFLAGS) -o $@ $< $(TEST_HELPERS) $(BUILD)/libcreneau.a \
	    $(PKG_LIBS) $(TEST_LIBS)

tests-build: $(BUILD)/creneau $(UNIT_BIN) $(INT_BIN)

deps:
	@scripts/deps test

# Starts the app on the embedded default: SQLite in data/, demo data.
run:
	@scripts/deps build
	@$(MAKE) --no-print-directory all
	@$(BUILD)/creneau --config config/creneau.ini demo-data
	@exec $(BUILD)/creneau --config config/creneau.ini serve

test:
	@scripts/deps test
	@scripts/deps browser
	@$(MAKE) --no-print-directory tests-build
	@# The C tests, then the browser test; the last line adds both counts
	@# (tests/run's and the browser's "browser: N passed, N failed"). A run
	@# that dies without its summary line counts as one failure.
	@mkdir -p $(BUILD)/tests; \
	BUILD=$(BUILD) tests/run | tee $(BUILD)/tests/c.out; \
	CRENEAU_BIN=$(BUILD)/creneau node tests/browser/run.mjs 2>&1 | \
	    tee $(BUILD)/tests/browser.out; \
	sum=$$(tail -n 1 $(BUILD)/tests/c.out; tail -n 1 $(BUILD)/tests/browser.out); \
	printf '%s\n' "$$sum" | awk '{ \
	    if (match($$0, /[0-9]+ passed, [0-9]+ failed/)) { \
	        split(substr($$0, RSTART, RLENGTH), w, " "); p += w[1]; f += w[3] \
	    } else f++ } \
	    END { print p " passed, " f " failed"; exit (f > 0 || p == 0) }'

# The web UI in Debian's Chromium: sign-in, password change, TOTP
# enrolment, account page, sessions, sign-out, axe-core on every state.
browser-test: $(BUILD)/creneau
	@scripts/deps browser
	@CRENEAU_BIN=$(BUILD)/creneau node tests/browser/run.mjs

# PNGs of the main pages of the web UI under docs/screenshots/ (the list
# of pages is in tests/browser/screenshots.mjs).
.PHONY: screenshots
screenshots: $(BUILD)/creneau
	@scripts/deps browser
	@CRENEAU_BIN=$(BUILD)/creneau node tests/browser/screenshots.mjs

# The whole suite under AddressSanitizer and UndefinedBehaviorSanitizer
# (integration tests on SQLite only: the PostgreSQL pass runs in `make test`).
asan:
	@scripts/deps test
	@$(MAKE) --no-print-directory BUILD=build/asan SANITIZE=address,undefined \
	    CFLAGS="-O1 -g" tests-build
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    BUILD=build/asan TEST_STORES=sqlite tests/run

lint:
	@scripts/deps test
	@scripts/lint

format:
	@clang-format -i $$(git ls-files '*.c' '*.h')

bench:
	@scripts/deps bench
	@$(MAKE) --no-print-directory all bench-crypto bench-audit bench-rush bench-import bench-appt bench-appt-book
	@bench/http.sh

clean:
	rm -rf build

include bench/crypto.mk
include bench/audit.mk
include bench/rush.mk
include bench/import.mk
include bench/appt.mk
include bench/scale.mk
include bench/appt_book.mk
-include tests/fuzz/fuzz.mk
-include $(LIB_OBJ:.o=.d) $(BUILD)/obj/src/main.d
