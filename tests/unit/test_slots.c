/*
 * test_slots.c - src/store/slots.c: slots are inserted free, read back
 * as the rules see them (with their centre's department), listed for the
 * dispatcher by centre, dates and state page by page, and withdrawn only
 * while free and in the future.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "authfx.h"
#include "store/centres.h"
#include "store/slots.h"

#define HOUR (3600LL * 1000)

/* Makes a centre in dept and returns its id. */
static int64_t
centre(struct authfx *f, const char *name, const char *dept)
{
	struct store_centre ce;

	memset(&ce, 0, sizeof(ce));
	snprintf(ce.name, sizeof(ce.name), "%s", name);
	snprintf(ce.department, sizeof(ce.department), "%s", dept);
	snprintf(ce.address, sizeof(ce.address), "Route de Paris");
	assert_int_equal(store_centre_insert(f->st, store_conn(f->st), &ce,
			     FX_T0),
	    0);
	return ce.id;
}

static void
slot(struct store_slot *s, int64_t centre_id, const char *cat, int64_t start)
{
	memset(s, 0, sizeof(*s));
	s->centre_id = centre_id;
	snprintf(s->s.category, sizeof(s->s.category), "%s", cat);
	s->s.start_at = start;
	s->s.published_at = FX_T0;
	snprintf(s->inspector, sizeof(s->inspector), "insp-7");
}

static void
test_insert_and_get(void **state)
{
	struct authfx *f = *state;
	struct store_conn *c = store_conn(f->st);
	int64_t nantes = centre(f, "Nantes", "44"), ids[2];
	struct store_slot in[2], full;
	struct bk_slot got;

	memset(&full, 0, sizeof(full));
	slot(&in[0], nantes, "B", FX_T0 + 48 * HOUR);
	slot(&in[1], nantes, "A", FX_T0 + 50 * HOUR);
	in[1].s.published_at = FX_T0 + HOUR;
	assert_int_equal(store_slots_insert(f->st, c, in, 2, FX_T0, ids), 0);
	assert_true(ids[0] > 0 && ids[1] > ids[0]);
	assert_int_equal(store_slot_get(f->st, c, ids[1], &got), 0);
	assert_int_equal(got.id, ids[1]);
	assert_string_equal(got.department, "44");
	assert_string_equal(got.category, "A");
	assert_int_equal(got.start_at, FX_T0 + 50 * HOUR);
	assert_int_equal(got.published_at, FX_T0 + HOUR);
	assert_int_equal(got.state, SLOT_FREE);
	assert_int_equal(store_slot_get_full(f->st, c, ids[0], &full), 0);
	assert_int_equal(full.centre_id, nantes);
	assert_string_equal(full.inspector, "insp-7");
	assert_int_equal(full.created_at, FX_T0);
	assert_int_equal(store_slot_get(f->st, c, ids[1] + 1, &got), 1);
}

struct seen {
	int64_t ids[16];
	size_t n;
};

static int
collect(void *arg, const struct store_slot *s)
{
	struct seen *x = arg;

	if (x->n < 16)
		x->ids[x->n++] = s->s.id;
	return 0;
}

static void
test_list_filters_and_pages(void **state)
{
	struct authfx *f = *state;
	struct store_conn *c = store_conn(f->st);
	int64_t a = centre(f, "Nantes", "44"), b = centre(f, "Cholet", "49");
	struct store_slot in[5];
	struct store_slot_query q;
	struct seen x;
	int64_t ids[5];
	int more;

	/* Inserted out of order: the list is by start. */
	slot(&in[0], a, "B", FX_T0 + 30 * HOUR);
	slot(&in[1], a, "B", FX_T0 + 10 * HOUR);
	slot(&in[2], b, "B", FX_T0 + 20 * HOUR);
	slot(&in[3], a, "B", FX_T0 + 40 * HOUR);
	slot(&in[4], a, "B", FX_T0 + 50 * HOUR);
	assert_int_equal(store_slots_insert(f->st, c, in, 5, FX_T0, ids), 0);

	memset(&q, 0, sizeof(q));
	q.limit = 10;
	memset(&x, 0, sizeof(x));
	assert_int_equal(store_slots_list(f->st, c, &q, collect, &x, &more), 0);
	assert_int_equal(x.n, 5);
	assert_int_equal(x.ids[0], ids[1]);
	assert_int_equal(x.ids[1], ids[2]);
	assert_int_equal(x.ids[4], ids[4]);
	assert_int_equal(more, 0);

	/* One centre, a date range [from, to). */
	q.centre_id = a;
	q.from = FX_T0 + 10 * HOUR;
	q.to = FX_T0 + 40 * HOUR;
	memset(&x, 0, sizeof(x));
	assert_int_equal(store_slots_list(f->st, c, &q, collect, &x, &more), 0);
	assert_int_equal(x.n, 2);
	assert_int_equal(x.ids[0], ids[1]);
	assert_int_equal(x.ids[1], ids[0]);

	/* Pages of two. */
	memset(&q, 0, sizeof(q));
	q.limit = 2;
	memset(&x, 0, sizeof(x));
	assert_int_equal(store_slots_list(f->st, c, &q, collect, &x, &more), 0);
	assert_int_equal(x.n, 2);
	assert_int_equal(more, 1);
	q.offset = 4;
	memset(&x, 0, sizeof(x));
	assert_int_equal(store_slots_list(f->st, c, &q, collect, &x, &more), 0);
	assert_int_equal(x.n, 1);
	assert_int_equal(x.ids[0], ids[4]);
	assert_int_equal(more, 0);

	/* By state. */
	assert_int_equal(store_slot_withdraw(f->st, c, ids[3], FX_T0), 0);
	memset(&q, 0, sizeof(q));
	q.limit = 10;
	q.state = "cancelled";
	memset(&x, 0, sizeof(x));
	assert_int_equal(store_slots_list(f->st, c, &q, collect, &x, NULL), 0);
	assert_int_equal(x.n, 1);
	assert_int_equal(x.ids[0], ids[3]);

	/* A page is 1..500 rows. */
	q.limit = 0;
	assert_int_equal(store_slots_list(f->st, c, &q, collect, &x, NULL), -1);
	q.limit = STORE_SLOTS_PAGE_MAX + 1;
	assert_int_equal(store_slots_list(f->st, c, &q, collect, &x, NULL), -1);
	q.limit = STORE_SLOTS_PAGE_MAX;
	assert_int_equal(store_slots_list(f->st, c, &q, collect, &x, NULL), 0);
}

static void
test_withdraw_only_free_and_future(void **state)
{
	struct authfx *f = *state;
	struct store_conn *c = store_conn(f->st);
	int64_t a = centre(f, "Nantes", "44"), ids[3];
	struct store_slot in[3];
	struct bk_slot got;

	slot(&in[0], a, "B", FX_T0 + 10 * HOUR);
	slot(&in[1], a, "B", FX_T0 + 10 * HOUR);
	slot(&in[2], a, "B", FX_T0 + 10 * HOUR);
	assert_int_equal(store_slots_insert(f->st, c, in, 3, FX_T0, ids), 0);
	assert_int_equal(authfx_rows(f,
			     "UPDATE slots SET state = 'held' WHERE id = 2"
			     " RETURNING id"),
	    1);

	/* From its start on, nothing changes (rule 7). */
	assert_int_equal(store_slot_withdraw(f->st, c, ids[0],
			     FX_T0 + 10 * HOUR),
	    1);
	assert_int_equal(store_slot_get(f->st, c, ids[0], &got), 0);
	assert_int_equal(got.state, SLOT_FREE);
	/* A held slot belongs to a school's basket. */
	assert_int_equal(store_slot_withdraw(f->st, c, ids[1], FX_T0), 1);
	assert_int_equal(store_slot_get(f->st, c, ids[1], &got), 0);
	assert_int_equal(got.state, SLOT_HELD);
	/* Free and future: withdrawn, once. */
	assert_int_equal(store_slot_withdraw(f->st, c, ids[2], FX_T0), 0);
	assert_int_equal(store_slot_get(f->st, c, ids[2], &got), 0);
	assert_int_equal(got.state, SLOT_CANCELLED);
	assert_int_equal(store_slot_withdraw(f->st, c, ids[2], FX_T0), 1);
	assert_int_equal(store_slot_withdraw(f->st, c, 999, FX_T0), 1);
}

static void
test_state_names(void **state)
{
	(void)state;
	assert_string_equal(store_slot_state_name(SLOT_FREE), "free");
	assert_string_equal(store_slot_state_name(SLOT_HELD), "held");
	assert_string_equal(store_slot_state_name(SLOT_BOOKED), "booked");
	assert_string_equal(store_slot_state_name(SLOT_CANCELLED), "cancelled");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_insert_and_get,
		    authfx_setup, authfx_teardown),
		cmocka_unit_test_setup_teardown(test_list_filters_and_pages,
		    authfx_setup, authfx_teardown),
		cmocka_unit_test_setup_teardown(
		    test_withdraw_only_free_and_future, authfx_setup,
		    authfx_teardown),
		cmocka_unit_test(test_state_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
