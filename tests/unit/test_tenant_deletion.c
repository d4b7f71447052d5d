/* test_tenant_deletion.c - src/store/tenant_deletion.c: every table the
 * export of an organisation reads or skips (the one list of what it
 * holds) has a deletion step, but those that stay on purpose. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "store/tenant_deletion.h"
#include "store/tenant_exports.h"

/* Kept: the tombstone and its row, the trail, the certificate; the
 * candidates go by id after their mandates. */
static const char *const kept[] = { "organisations", "tenants", "audit_log",
	"tenant_deletions", "candidates" };

static int
has_step(const char *table)
{
	size_t i;

	for (i = 0; i < store_deletion_steps_count; i++)
		if (strcmp(store_deletion_steps[i].table, table) == 0)
			return 1;
	for (i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
		if (strcmp(kept[i], table) == 0)
			return 1;
	return 0;
}

static void
test_every_table_deleted(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < store_export_entities_count; i++) {
		if (!has_step(store_export_entities[i].table))
			fprintf(stderr, "no deletion step: %s\n",
			    store_export_entities[i].table);
		assert_true(has_step(store_export_entities[i].table));
	}
	for (i = 0; i < store_export_skipped_count; i++)
		assert_true(has_step(store_export_skipped[i].table));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_table_deleted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
