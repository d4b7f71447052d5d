# bench/import.mk - `make bench-import`: how long /healthz and a small
# write wait while a 20,000-line registry import runs (bench/import.c).
# Included by the Makefile.

.PHONY: bench-import

$(BUILD)/bench/import: bench/import.c $(TEST_HELPERS) \
    tests/integration/harness.h tests/integration/client.h \
    tests/integration/demo.h $(BUILD)/libcreneau.a
	@mkdir -p $(dir $@)
	@echo "  CC $@"; $(CC) -Itests/integration $(ALL_CFLAGS) $(PKG_CFLAGS) \
	    $(RUSH_CURL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(TEST_HELPERS) \
	    $(BUILD)/libcreneau.a $(PKG_LIBS) $(RUSH_CURL_LIBS) -lpthread

bench-import: $(BUILD)/creneau $(BUILD)/bench/import
	@$(BUILD)/bench/import
