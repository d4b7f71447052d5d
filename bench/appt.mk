# bench/appt.mk - `make bench-appt`: a month of free slots for 300 agents
# (bench/appt_freeslots.c), median and p99. Included by the Makefile,
# whose variables (BUILD, ALL_CFLAGS, ALL_LDFLAGS, PKG_CFLAGS, PKG_LIBS)
# it uses.

.PHONY: bench-appt

$(BUILD)/bench/appt-freeslots: bench/appt_freeslots.c $(BUILD)/libcreneau.a
	@mkdir -p $(dir $@)
	@echo "  CC $@"; $(CC) $(ALL_CFLAGS) $(PKG_CFLAGS) $(ALL_LDFLAGS) -o $@ $< \
	    $(BUILD)/libcreneau.a $(PKG_LIBS)

bench-appt: $(BUILD)/bench/appt-freeslots
	@$(BUILD)/bench/appt-freeslots
