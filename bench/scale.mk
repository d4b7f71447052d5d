# bench/scale.mk - `make bench-scale`: the hot paths and the retention run
# on the demo data, then on a national-size year bulk-loaded into the
# store, side by side (bench/scale.c). Knobs: SCALE (1.0 = the national
# size), REQUESTS, SEAL_N, RETENTION_RUNS, KEEP; CRENEAU_TEST_STORE=
# postgresql with tests/pg/server's environment for PostgreSQL. Included
# by the Makefile; not part of `make test`.

.PHONY: bench-scale

SCALE_CURL_CFLAGS := $(shell pkg-config --cflags libcurl 2>/dev/null)
SCALE_CURL_LIBS   := $(shell pkg-config --libs libcurl 2>/dev/null)

$(BUILD)/bench/scale: bench/scale.c $(TEST_HELPERS) tests/integration/harness.h \
    tests/integration/client.h $(BUILD)/libcreneau.a
	@mkdir -p $(dir $@)
	@echo "  CC $@"; $(CC) $(ALL_CFLAGS) -Itests/integration $(PKG_CFLAGS) \
	    $(SCALE_CURL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(TEST_HELPERS) \
	    $(BUILD)/libcreneau.a $(PKG_LIBS) $(SCALE_CURL_LIBS)

bench-scale: $(BUILD)/creneau $(BUILD)/bench/scale
	@CRENEAU_BIN=$(BUILD)/creneau $(BUILD)/bench/scale
