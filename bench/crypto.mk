# bench/crypto.mk - `make bench-crypto`: throughput of field encryption,
# blind indexes and data key reads (bench/crypto.c). Included by the
# Makefile, whose variables (BUILD, ALL_CFLAGS, ALL_LDFLAGS, PKG_CFLAGS,
# PKG_LIBS) it uses.

.PHONY: bench-crypto

$(BUILD)/bench/crypto: bench/crypto.c $(BUILD)/libcreneau.a
	@mkdir -p $(dir $@)
	@echo "  CC $@"; $(CC) $(ALL_CFLAGS) $(PKG_CFLAGS) $(ALL_LDFLAGS) -o $@ $< \
	    $(BUILD)/libcreneau.a $(PKG_LIBS)

bench-crypto: $(BUILD)/bench/crypto
	@$(BUILD)/bench/crypto
