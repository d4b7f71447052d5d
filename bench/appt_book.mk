# bench/appt_book.mk - `make bench-appt-book`: appointment booking
# throughput under concurrent agents through the real HTTP API, then a
# race of every agent for one agent's slots (bench/appt_book.c). Included
# by the Makefile.

.PHONY: bench-appt-book

$(BUILD)/bench/appt-book: bench/appt_book.c $(TEST_HELPERS) \
    tests/integration/harness.h tests/integration/client.h \
    tests/integration/demo.h $(BUILD)/libcreneau.a
	@mkdir -p $(dir $@)
	@echo "  CC $@"; $(CC) $(ALL_CFLAGS) -Itests/integration $(PKG_CFLAGS) \
	    $(RUSH_CURL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(TEST_HELPERS) \
	    $(BUILD)/libcreneau.a $(PKG_LIBS) $(RUSH_CURL_LIBS)

bench-appt-book: $(BUILD)/creneau $(BUILD)/bench/appt-book
	@$(BUILD)/bench/appt-book
