/* test_fault.c - src/core/fault.c: one storage fault per thread. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <string.h>

#include "core/fault.h"

static void *
other_thread(void *arg)
{
	enum fault *seen = arg;

	*seen = fault_get();
	fault_note(FAULT_FULL);
	return NULL;
}

/* A fault belongs to the thread that met it. */
static void
test_per_thread(void **state)
{
	enum fault seen = FAULT_DAMAGED;
	pthread_t t;

	(void)state;
	fault_clear();
	fault_note(FAULT_BUSY);
	assert_int_equal(pthread_create(&t, NULL, other_thread, &seen), 0);
	pthread_join(t, NULL);
	assert_int_equal(seen, FAULT_NONE);
	assert_int_equal(fault_get(), FAULT_BUSY);
	fault_clear();
	assert_int_equal(fault_get(), FAULT_NONE);
}

/* A later fault replaces an earlier one, but damage stays until cleared;
 * FAULT_NONE notes nothing. */
static void
test_latest_but_damage(void **state)
{
	(void)state;
	fault_clear();
	fault_note(FAULT_BUSY);
	fault_note(FAULT_NONE);
	assert_int_equal(fault_get(), FAULT_BUSY);
	fault_note(FAULT_FULL);
	assert_int_equal(fault_get(), FAULT_FULL);
	fault_note(FAULT_DAMAGED);
	fault_note(FAULT_BUSY);
	assert_int_equal(fault_get(), FAULT_DAMAGED);
	fault_clear();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_per_thread),
		cmocka_unit_test(test_latest_but_damage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
