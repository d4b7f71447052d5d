/*
 * test_supervision.c - the regional supervisor end to end against the
 * real `creneau` binary and its demo data: the Tilleuls manager books an
 * exam; the supervisor sees the region's counts and exams without any
 * candidate and asks to move the exam; the exam stays where it is until
 * the Tilleuls administrator approves; then it is on the new slot and
 * the supervisor sees the request approved. Neither the supervisor nor
 * the manager may decide.
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
static struct demo_account manager = { "gestion@tilleuls.example", 1 };
static struct demo_account sup = { "supervision@demo.example", 1 };
static struct demo_account admin = { "direction@tilleuls.example", 1 };

static struct demo_account *const all[] = { &manager, &sup, &admin };
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

/* The manager books one exam on the first bookable slot of department 44
 * with its first candidate of category B. Returns the exam id; its slot
 * in *slot. */
static long long
book_one(long long *slot)
{
	long long basket, cand = 0;
	char path[128], body[256];
	json_t *o, *list, *x;
	size_t i;

	assert_int_equal(client_call(&manager.c, "GET",
			     "/api/v1/slots?department=44&category=B&limit=10",
			     NULL),
	    200);
	o = client_json(&manager.c);
	*slot = 0;
	json_array_foreach (json_object_get(o, "slots"), i, x)
		if (*slot == 0 &&
		    json_is_true(json_object_get(x, "bookable_now")))
			*slot = json_integer_value(json_object_get(x, "id"));
	json_decref(o);
	assert_true(*slot > 0);
	assert_int_equal(client_call(&manager.c, "GET", "/api/v1/candidates",
			     NULL),
	    200);
	o = client_json(&manager.c);
	list = json_object_get(o, "candidates");
	json_array_foreach (list, i, x) {
		const char *cat =
		    json_string_value(json_object_get(x, "category"));

		if (cand == 0 && cat != NULL && strcmp(cat, "B") == 0)
			cand = json_integer_value(json_object_get(x, "id"));
	}
	json_decref(o);
	assert_true(cand > 0);
	assert_int_equal(client_call(&manager.c, "GET", "/api/v1/basket", NULL),
	    200);
	o = client_json(&manager.c);
	basket = json_integer_value(json_object_get(o, "id"));
	json_decref(o);
	snprintf(path, sizeof(path), "/api/v1/baskets/%lld/slots", basket);
	snprintf(body, sizeof(body),
	    "{\"slots\":[{\"slot_id\":%lld,\"candidate_id\":%lld}]}", *slot,
	    cand);
	assert_int_equal(client_call(&manager.c, "POST", path, body), 200);
	snprintf(path, sizeof(path), "/api/v1/baskets/%lld/validation", basket);
	assert_int_equal(client_call(&manager.c, "POST", path, NULL), 200);
	o = client_json(&manager.c);
	x = json_array_get(json_object_get(o, "results"), 0);
	basket = json_integer_value(json_object_get(x, "exam_id"));
	json_decref(o);
	assert_true(basket > 0);
	return basket;
}

/* The slot of exam id in the manager's list of exams. */
static long long
slot_of_exam(long long id)
{
	long long slot = 0;
	json_t *o, *x;
	size_t i;

	assert_int_equal(client_call(&manager.c, "GET", "/api/v1/exams", NULL),
	    200);
	o = client_json(&manager.c);
	json_array_foreach (json_object_get(o, "exams"), i, x)
		if (json_integer_value(json_object_get(x, "id")) == id)
			slot =
			    json_integer_value(json_object_get(x, "slot_id"));
	json_decref(o);
	return slot;
}

static void
test_move_needs_approval(void **state)
{
	long long old, exam = book_one(&old), target = 0, req;
	char path[128], body[300];
	json_t *o, *x;
	size_t i;
	int seen = 0;

	(void)state;
	/* Counts and exams of the region, never a candidate. */
	assert_int_equal(client_call(&sup.c, "GET", "/api/v1/planning", NULL),
	    200);
	assert_non_null(strstr(sup.c.body, "\"department\":\"44\""));
	assert_non_null(strstr(sup.c.body, "\"booked\":1"));
	assert_null(strstr(sup.c.body, "candidate"));
	assert_int_equal(client_call(&sup.c, "GET", "/api/v1/planning/exams",
			     NULL),
	    200);
	assert_null(strstr(sup.c.body, "candidate"));
	o = client_json(&sup.c);
	json_array_foreach (json_object_get(o, "exams"), i, x)
		seen |= json_integer_value(json_object_get(x, "id")) == exam;
	json_decref(o);
	assert_true(seen);
	/* A free slot of the region to move it to. */
	assert_int_equal(client_call(&sup.c, "GET",
			     "/api/v1/planning/slots?category=B", NULL),
	    200);
	o = client_json(&sup.c);
	json_array_foreach (json_object_get(o, "slots"), i, x)
		if (target == 0 &&
		    strcmp(json_string_value(json_object_get(x, "department")),
			"44") == 0)
			target = json_integer_value(json_object_get(x, "id"));
	json_decref(o);
	assert_true(target > 0 && target != old);

	/* The request alone changes nothing. */
	snprintf(body, sizeof(body),
	    "{\"exam_id\":%lld,\"kind\":\"move\",\"target_slot_id\":%lld,"
	    "\"reason\":\"Inspecteur indisponible ce jour-là\"}",
	    exam, target);
	assert_int_equal(client_call(&sup.c, "POST", "/api/v1/slot-requests",
			     body),
	    201);
	o = client_json(&sup.c);
	req = json_integer_value(json_object_get(o, "id"));
	json_decref(o);
	assert_true(req > 0);
	assert_int_equal(slot_of_exam(exam), old);
	/* Refusals in RULES.md codes: the slot of the exam itself. */
	snprintf(body, sizeof(body),
	    "{\"exam_id\":%lld,\"kind\":\"move\",\"target_slot_id\":%lld,"
	    "\"reason\":\"Essai\"}",
	    exam, old);
	assert_int_equal(client_call(&sup.c, "POST", "/api/v1/slot-requests",
			     body),
	    409);
	assert_string_equal(client_code(&sup.c), "CRENEAU_DEJA_RESERVE");

	/* Neither the supervisor nor the manager may decide. */
	snprintf(path, sizeof(path), "/api/v1/slot-requests/%lld/decision",
	    req);
	assert_int_equal(client_call(&sup.c, "POST", path,
			     "{\"decision\":\"approve\"}"),
	    403);
	assert_int_equal(client_call(&manager.c, "POST", path,
			     "{\"decision\":\"approve\"}"),
	    403);
	assert_int_equal(slot_of_exam(exam), old);

	/* The administrator sees it in the queue and approves. */
	assert_int_equal(client_call(&admin.c, "GET",
			     "/api/v1/slot-requests/queue?state=pending", NULL),
	    200);
	assert_non_null(strstr(admin.c.body, "Inspecteur indisponible"));
	assert_int_equal(client_call(&admin.c, "POST", path,
			     "{\"decision\":\"approve\"}"),
	    200);
	assert_non_null(strstr(admin.c.body, "\"state\":\"approved\""));
	assert_int_equal(slot_of_exam(exam), target);
	assert_int_equal(client_call(&admin.c, "POST", path,
			     "{\"decision\":\"reject\"}"),
	    409);

	/* The supervisor sees it approved, and was told. */
	assert_int_equal(client_call(&sup.c, "GET", "/api/v1/slot-requests",
			     NULL),
	    200);
	assert_non_null(strstr(sup.c.body, "\"state\":\"approved\""));
	assert_int_equal(client_call(&sup.c, "GET", "/api/v1/notifications",
			     NULL),
	    200);
	assert_non_null(strstr(sup.c.body, "slot_request.decided"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_move_needs_approval),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
