/*
 * test_booking.c - exam booking end to end against the real `creneau`
 * binary and its demo data, as school employees would use it: search,
 * hold slots with their candidates, race another school for a slot,
 * validate slot by slot, see the exams, the threshold and the
 * notification, cancel; territorial priority for a school from another
 * department; the candidate sees the exam in their space.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "client.h"
#include "demo.h"
#include "harness.h"

static struct proc srv;
static struct demo_account tilleuls = { "gestion@tilleuls.example", 1 };
static struct demo_account port = { "gestion@port.example", 1 };
static struct demo_account marais = { "gestion@marais.example", 1 };
static struct demo_account camille = { "candidat@demo.example", 0 };

static struct demo_account *const all[] = { &tilleuls, &port, &marais,
	&camille };
#define NALL (sizeof(all) / sizeof(all[0]))

static int
setup(void **state)
{
	(void)state;
	return demo_start(&srv, all, NALL);
}

static int
teardown(void **state)
{
	(void)state;
	demo_stop(&srv, all, NALL);
	return 0;
}

/* The id of the caller's basket. */
static long long
basket_of(struct demo_account *d)
{
	json_t *o;
	long long id;

	assert_int_equal(client_call(&d->c, "GET", "/api/v1/basket", NULL),
	    200);
	o = client_json(&d->c);
	id = json_integer_value(json_object_get(o, "id"));
	json_decref(o);
	assert_true(id > 0);
	return id;
}

/* Reads into ids up to max slots of the search path that are bookable
 * now by the caller (opens_at passed) or, with open 0, that are not.
 * Returns how many. */
static size_t
slots_of(struct demo_account *d, const char *path, int open, long long *ids,
    size_t max)
{
	json_t *o, *list, *s;
	size_t i, n = 0;

	assert_int_equal(client_call(&d->c, "GET", path, NULL), 200);
	o = client_json(&d->c);
	list = json_object_get(o, "slots");
	json_array_foreach (list, i, s) {
		if (n < max &&
		    json_is_true(json_object_get(s, "bookable_now")) == open)
			ids[n++] = json_integer_value(json_object_get(s, "id"));
	}
	json_decref(o);
	return n;
}

/* The ids of the caller's candidates of category B (at most max), but
 * Camille, kept for the candidate's own test. */
static size_t
candidates_of(struct demo_account *d, long long *ids, size_t max)
{
	json_t *o, *list, *c;
	size_t i, n = 0;

	assert_int_equal(client_call(&d->c, "GET", "/api/v1/candidates", NULL),
	    200);
	o = client_json(&d->c);
	list = json_object_get(o, "candidates");
	json_array_foreach (list, i, c) {
		const char *cat =
		    json_string_value(json_object_get(c, "category"));
		const char *ln =
		    json_string_value(json_object_get(c, "last_name"));

		if (n < max && cat != NULL && strcmp(cat, "B") == 0 &&
		    (ln == NULL || strcmp(ln, "Candidate") != 0))
			ids[n++] = json_integer_value(json_object_get(c, "id"));
	}
	json_decref(o);
	return n;
}

static void
test_book_end_to_end(void **state)
{
	long long slots[8], cands[8], basket, other, exam;
	char path[128], body[512];
	json_t *o, *res;

	(void)state;
	assert_int_equal(slots_of(&tilleuls,
			     "/api/v1/slots?department=44&category=B&limit=60",
			     1, slots, 8),
	    8);
	assert_true(candidates_of(&tilleuls, cands, 8) >= 3);
	basket = basket_of(&tilleuls);
	snprintf(path, sizeof(path), "/api/v1/baskets/%lld/slots", basket);

	/* Five in one action: refused whole, in French, nothing held. */
	snprintf(body, sizeof(body),
	    "{\"slots\":[{\"slot_id\":%lld},{\"slot_id\":%lld},"
	    "{\"slot_id\":%lld},{\"slot_id\":%lld},{\"slot_id\":%lld}]}",
	    slots[0], slots[1], slots[2], slots[3], slots[4]);
	assert_int_equal(client_call(&tilleuls.c, "POST", path, body), 422);
	assert_string_equal(client_code(&tilleuls.c), "TROP_DE_CRENEAUX");
	assert_non_null(strstr(tilleuls.c.body, "4"));

	/* Three slots: two with candidates, one without. */
	snprintf(body, sizeof(body),
	    "{\"slots\":[{\"slot_id\":%lld,\"candidate_id\":%lld},"
	    "{\"slot_id\":%lld,\"candidate_id\":%lld},{\"slot_id\":%lld}]}",
	    slots[0], cands[0], slots[1], cands[1], slots[2]);
	assert_int_equal(client_call(&tilleuls.c, "POST", path, body), 200);
	o = client_json(&tilleuls.c);
	assert_int_equal(json_array_size(json_object_get(o, "slots")), 3);
	assert_true(json_integer_value(json_object_get(o, "time_left_ms")) >
	    14 * 60 * 1000);
	json_decref(o);

	/* Another school loses the race for a held slot, and is told
	 * every slot of its request that is taken. */
	other = basket_of(&port);
	snprintf(path, sizeof(path), "/api/v1/baskets/%lld/slots", other);
	snprintf(body, sizeof(body),
	    "{\"slots\":[{\"slot_id\":%lld},{\"slot_id\":%lld},"
	    "{\"slot_id\":%lld}]}",
	    slots[5], slots[1], slots[2]);
	assert_int_equal(client_call(&port.c, "POST", path, body), 409);
	assert_string_equal(client_code(&port.c), "CRENEAU_DEJA_RESERVE");
	o = client_json(&port.c);
	assert_string_equal(json_string_value(json_object_get(o, "field")),
	    "slots[1].slot_id");
	assert_int_equal(json_array_size(json_object_get(o, "taken")), 2);
	json_decref(o);
	/* Nor may it use the first school's basket. */
	snprintf(path, sizeof(path), "/api/v1/baskets/%lld/validation", basket);
	assert_int_equal(client_call(&port.c, "POST", path, NULL), 404);
	assert_string_equal(client_code(&port.c), "PANIER_INCONNU");

	/* Validation, slot by slot: two booked, one without candidate. */
	assert_int_equal(client_call(&tilleuls.c, "POST", path, NULL), 207);
	o = client_json(&tilleuls.c);
	assert_true(json_is_true(json_object_get(o, "contains_errors")));
	res = json_object_get(o, "results");
	assert_int_equal(json_array_size(res), 3);
	assert_true(
	    json_is_true(json_object_get(json_array_get(res, 0), "booked")));
	exam = json_integer_value(
	    json_object_get(json_array_get(res, 0), "exam_id"));
	assert_true(exam > 0);
	assert_string_equal(json_string_value(
				json_object_get(json_array_get(res, 2),
				    "code")),
	    "CANDIDAT_OBLIGATOIRE");
	assert_non_null(json_string_value(
	    json_object_get(json_array_get(res, 2), "detail")));
	json_decref(o);

	/* The booked candidate cannot be booked twice. */
	snprintf(path, sizeof(path), "/api/v1/baskets/%lld/slots/%lld", basket,
	    slots[2]);
	snprintf(body, sizeof(body), "{\"candidate_id\":%lld}", cands[0]);
	assert_int_equal(client_call(&tilleuls.c, "PUT", path, body), 200);
	snprintf(path, sizeof(path), "/api/v1/baskets/%lld/validation", basket);
	assert_int_equal(client_call(&tilleuls.c, "POST", path, NULL), 207);
	assert_non_null(strstr(tilleuls.c.body, "CANDIDAT_DEJA_INSCRIT"));

	/* The exams, the threshold (1.0 ETP x 5.0 = 5 places) and the
	 * notification. */
	assert_int_equal(client_call(&tilleuls.c, "GET", "/api/v1/exams", NULL),
	    200);
	o = client_json(&tilleuls.c);
	assert_int_equal(json_array_size(json_object_get(o, "exams")), 2);
	json_decref(o);
	assert_int_equal(client_call(&tilleuls.c, "GET", "/api/v1/quotas",
			     NULL),
	    200);
	assert_non_null(strstr(tilleuls.c.body, "\"quota\":5"));
	assert_int_equal(client_call(&tilleuls.c, "GET",
			     "/api/v1/notifications", NULL),
	    200);
	assert_non_null(strstr(tilleuls.c.body, "booking.confirmed"));
	assert_non_null(strstr(tilleuls.c.body, "validation.failed"));

	/* Cancel: next week is less than 7 days away, a late cancellation;
	 * the slot is free again; twice is refused. */
	snprintf(path, sizeof(path), "/api/v1/exams/%lld/cancellation", exam);
	assert_int_equal(client_call(&tilleuls.c, "POST", path, NULL), 200);
	assert_non_null(strstr(tilleuls.c.body, "\"late_cancellation\":true"));
	assert_int_equal(client_call(&tilleuls.c, "POST", path, NULL), 422);
	assert_string_equal(client_code(&tilleuls.c), "EXAMEN_DEJA_ANNULE");
	/* Another school's exam does not exist for the other school. */
	snprintf(path, sizeof(path), "/api/v1/exams/%lld/cancellation",
	    exam + 1);
	assert_int_equal(client_call(&port.c, "POST", path, NULL), 404);
	assert_string_equal(client_code(&port.c), "EXAMEN_INCONNU");
}

static void
test_territorial_priority(void **state)
{
	long long late[2], basket;
	char path[128], body[128];

	(void)state;
	/* Nantes slots published just now are for schools of 44 for
	 * 24 hours: the Marais school (85 only) sees when they open. */
	assert_int_equal(slots_of(&marais,
			     "/api/v1/slots?department=44&category=B&limit=500",
			     0, late, 2),
	    2);
	basket = basket_of(&marais);
	snprintf(path, sizeof(path), "/api/v1/baskets/%lld/slots", basket);
	snprintf(body, sizeof(body), "{\"slots\":[{\"slot_id\":%lld}]}",
	    late[0]);
	assert_int_equal(client_call(&marais.c, "POST", path, body), 403);
	assert_string_equal(client_code(&marais.c), "ACTION_INTERDITE");
	/* The French message says when: "... à partir du JJ/MM/AAAA à
	 * HH:MM". */
	assert_non_null(strstr(marais.c.body, "/20"));
}

static void
test_candidate_sees_exam(void **state)
{
	long long slots[1], camille_id = 0, basket;
	char path[128], body[256];
	json_t *o, *list, *c;
	size_t i;

	(void)state;
	/* Camille is under the Tilleuls mandate: book her an exam. */
	assert_int_equal(client_call(&tilleuls.c, "GET", "/api/v1/candidates",
			     NULL),
	    200);
	o = client_json(&tilleuls.c);
	list = json_object_get(o, "candidates");
	json_array_foreach (list, i, c) {
		const char *ln =
		    json_string_value(json_object_get(c, "last_name"));

		if (ln != NULL && strcmp(ln, "Candidate") == 0)
			camille_id =
			    json_integer_value(json_object_get(c, "id"));
	}
	json_decref(o);
	assert_true(camille_id > 0);
	assert_int_equal(slots_of(&tilleuls,
			     "/api/v1/slots?department=44&category=B&limit=60",
			     1, slots, 1),
	    1);
	basket = basket_of(&tilleuls);
	/* What the earlier test left in the basket goes back first. */
	snprintf(path, sizeof(path), "/api/v1/baskets/%lld/slots", basket);
	snprintf(body, sizeof(body),
	    "{\"slots\":[{\"slot_id\":%lld,\"candidate_id\":%lld}]}", slots[0],
	    camille_id);
	assert_int_equal(client_call(&tilleuls.c, "POST", path, body), 200);
	snprintf(path, sizeof(path), "/api/v1/baskets/%lld/validation", basket);
	client_call(&tilleuls.c, "POST", path, NULL);
	assert_true(tilleuls.c.status == 200 || tilleuls.c.status == 207);
	assert_int_equal(client_call(&camille.c, "GET", "/api/v1/me/exams",
			     NULL),
	    200);
	if (strstr(camille.c.body, "booked") == NULL)
		fail_msg("%s / %s", tilleuls.c.body, camille.c.body);
	assert_non_null(strstr(camille.c.body, "Nantes"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_book_end_to_end),
		cmocka_unit_test(test_territorial_priority),
		cmocka_unit_test(test_candidate_sees_exam),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
