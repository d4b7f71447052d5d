# bench/rush.mk - `make bench-rush`: many schools racing for the same exam
# slots through the real HTTP API, then the database's invariants and the
# SQLite commit ceiling (bench/rush.c). Included by the Makefile.

.PHONY: bench-rush

RUSH_CURL_CFLAGS := $(shell pkg-config --cflags libcurl 2>/dev/null)
RUSH_CURL_LIBS   := $(shell pkg-config --libs libcurl 2>/dev/null)

$(BUILD)/bench/rush: bench/rush.c $(TEST_HELPERS) tests/integration/harness.h \
    tests/integration/client.h $(BUILD)/libcreneau.a
	@mkdir -p $(dir $@)
	@echo "  CC $@"; $(CC) $(ALL_CFLAGS) -Itests/integration $(PKG_CFLAGS) \
	    $(RUSH_CURL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(TEST_HELPERS) \
	    $(BUILD)/libcreneau.a $(PKG_LIBS) $(RUSH_CURL_LIBS)

bench-rush: $(BUILD)/creneau $(BUILD)/bench/rush
	@$(BUILD)/bench/rush

# The rush on SQLite, then PostgreSQL with one and with two instances.
.PHONY: bench-rush-stores
bench-rush-stores: $(BUILD)/creneau $(BUILD)/bench/rush
	@scripts/deps bench
	@BUILD=$(BUILD) bench/rush-stores.sh
