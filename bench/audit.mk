# bench/audit.mk - `make bench-audit`: audit appends per second and
# verification speed (bench/audit.c). Included by the Makefile.

.PHONY: bench-audit

$(BUILD)/bench/audit: bench/audit.c $(BUILD)/libcreneau.a
	@mkdir -p $(dir $@)
	@echo "  CC $@"; $(CC) $(ALL_CFLAGS) $(PKG_CFLAGS) $(ALL_LDFLAGS) -o $@ $< \
	    $(BUILD)/libcreneau.a $(PKG_LIBS)

bench-audit: $(BUILD)/bench/audit
	@$(BUILD)/bench/audit
