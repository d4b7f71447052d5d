/*
 * test_booking.c - exam booking end to end against the real `creneau`
 * binary and its demo data, as school employees would use it: search,
 * hold slots with their candidates, race another school for a slot,
 * validate slot by slot, see the exams, the threshold and the
 * notification, cancel; territorial priority for a school from another
 * department; the candidate sees the exam in their space. Then the
 * contract of RULES.md where it was once broken: a bad NEPH, a swap with
 * an exam that has started, a waiting delay judged on the exam's date,
 * and a basket the expiry job emptied.
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
#include <time.h>

#include <curl/curl.h>

#include "core/clock.h"

#include "client.h"
#include "demo.h"
#include "harness.h"

static struct proc srv;
static struct demo_account tilleuls = { "gestion@tilleuls.example", 1 };
static struct demo_account port = { "gestion@port.example", 1 };
static struct demo_account marais = { "gestion@marais.example", 1 };
static struct demo_account camille = { "candidat@demo.example", 0 };
static struct demo_account dispatcher = { "repartition@demo.example", 1 };

static struct demo_account *const all[] = { &tilleuls, &port, &marais, &camille,
	&dispatcher };
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
	/* Each held slot names its centre, for a page that never saw it in
	 * a search (reloaded, or another tab). */
	assert_string_equal(json_string_value(json_object_get(
				json_array_get(json_object_get(o, "slots"), 0),
				"centre")),
	    "Centre d'examen de Nantes-Rezé");
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

	/* The booked candidate cannot be booked twice: said as soon as
	 * they are put on a slot, next to the candidate field. */
	snprintf(path, sizeof(path), "/api/v1/baskets/%lld/slots/%lld", basket,
	    slots[2]);
	snprintf(body, sizeof(body), "{\"candidate_id\":%lld}", cands[0]);
	assert_int_equal(client_call(&tilleuls.c, "PUT", path, body), 422);
	assert_string_equal(client_code(&tilleuls.c), "CANDIDAT_DEJA_INSCRIT");
	assert_non_null(strstr(tilleuls.c.body, "\"field\":\"candidate_id\""));

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

/* RULES.md: a bad NEPH is 422 PARAMETRE_INVALIDE, whatever its length:
 * empty and over-long ones too, not the generic out_of_range. */
static void
test_bad_neph(void **state)
{
	static const char *const nephs[] = { "", "   ", "12345678901234567890",
		"1234567890123456789012345678901234567890123456789012345678901234"
		"5678901234567890",
		"12ab56789012" };
	char body[512];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(nephs) / sizeof(nephs[0]); i++) {
		snprintf(body, sizeof(body),
		    "{\"neph\":\"%s\",\"last_name\":\"Martin\","
		    "\"first_names\":\"Léa\",\"category\":\"B\"}",
		    nephs[i]);
		assert_int_equal(client_call(&tilleuls.c, "POST",
				     "/api/v1/mandates", body),
		    422);
		if (strcmp(client_code(&tilleuls.c), "PARAMETRE_INVALIDE") != 0)
			fail_msg("neph \"%s\": %s", nephs[i], tilleuls.c.body);
		assert_non_null(strstr(tilleuls.c.body, "\"field\":\"neph\""));
	}
}

/* Now, in milliseconds (the server's real clock). */
static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The id of the dispatcher's exam centre in dept. */
static long long
centre_of(const char *dept)
{
	char path[96];
	json_t *o;
	long long id;

	snprintf(path, sizeof(path), "/api/v1/centres?department=%s", dept);
	assert_int_equal(client_call(&dispatcher.c, "GET", path, NULL), 200);
	o = client_json(&dispatcher.c);
	id = json_integer_value(
	    json_object_get(json_array_get(json_object_get(o, "centres"), 0),
		"id"));
	json_decref(o);
	assert_true(id > 0);
	return id;
}

/* The dispatcher publishes one slot of category B at centre starting at
 * start (ms, whole seconds), open now. Returns its id. */
static long long
publish_at(long long centre, long long start)
{
	char when[32], body[256];
	json_t *o;
	long long id;

	assert_int_equal(clock_format_utc(start, when, sizeof(when)), 0);
	snprintf(body, sizeof(body),
	    "{\"slots\":[{\"centre_id\":%lld,\"category\":\"B\","
	    "\"start_at\":\"%s\",\"inspector\":\"INSP-T\"}]}",
	    centre, when);
	assert_int_equal(client_call(&dispatcher.c, "POST", "/api/v1/slots",
			     body),
	    201);
	o = client_json(&dispatcher.c);
	id = json_integer_value(json_array_get(json_object_get(o, "ids"), 0));
	json_decref(o);
	assert_true(id > 0);
	return id;
}

/* d holds slot for candidate in its basket and validates it. Returns
 * the exam id, or 0 when the slot was refused: its code then goes to
 * code (64 bytes), and the slot is taken out of the basket again (or was
 * never held, the candidate refused when put on it). */
static long long
book(struct demo_account *d, long long slot, long long candidate, char *code)
{
	char path[128], body[160];
	long long basket = basket_of(d), exam;
	json_t *o, *r;

	snprintf(path, sizeof(path), "/api/v1/baskets/%lld/slots", basket);
	snprintf(body, sizeof(body),
	    "{\"slots\":[{\"slot_id\":%lld,\"candidate_id\":%lld}]}", slot,
	    candidate);
	/* A candidate who may not sit it is refused when put on the slot
	 * (rules 1 and 6): nothing is held then. */
	if (client_call(&d->c, "POST", path, body) == 422 &&
	    client_code(&d->c) != NULL &&
	    strncmp(client_code(&d->c), "CANDIDAT_", 9) == 0) {
		snprintf(code, 64, "%s", client_code(&d->c));
		return 0;
	}
	if (d->c.status != 200)
		fail_msg("hold %lld: %s", slot, d->c.body);
	snprintf(path, sizeof(path), "/api/v1/baskets/%lld/validation", basket);
	client_call(&d->c, "POST", path, NULL);
	assert_true(d->c.status == 200 || d->c.status == 207);
	o = client_json(&d->c);
	r = json_array_get(json_object_get(o, "results"), 0);
	exam = json_integer_value(json_object_get(r, "exam_id"));
	code[0] = '\0';
	if (json_string_value(json_object_get(r, "code")) != NULL)
		snprintf(code, 64, "%s",
		    json_string_value(json_object_get(r, "code")));
	json_decref(o);
	if (exam == 0) {
		snprintf(path, sizeof(path), "/api/v1/baskets/%lld/slots/%lld",
		    basket, slot);
		assert_int_equal(client_call(&d->c, "DELETE", path, NULL), 200);
	}
	return exam;
}

/*
 * An exam that has started: rule 7 (past is frozen) answers before rule
 * 8's swap conditions. Its result is a failure: the waiting delay runs
 * 10 days from the exam, and is judged on the date of the exam asked
 * for, not on today: a slot after the delay's end is bookable now.
 */
static void
test_started_exam_and_waiting_delay(void **state)
{
	long long nantes = centre_of("44"), cands[3], near[2], start, soon,
		  later, a, b;
	char path[128], body[128], code[64];
	struct timespec ts = { 0, 0 };
	long long wait;

	(void)state;
	assert_true(candidates_of(&port, cands, 3) == 3);
	assert_int_equal(slots_of(&port,
			     "/api/v1/slots?department=44&category=B&limit=60",
			     1, near, 2),
	    2);
	/* A slot starting in a few seconds, booked before it starts. */
	start = (now_ms() / 1000 + 10) * 1000;
	soon = publish_at(nantes, start);
	a = book(&port, soon, cands[0], code);
	if (a == 0)
		fail_msg("booking the near slot: %s", code);
	b = book(&port, near[0], cands[1], code);
	if (b == 0)
		fail_msg("booking a slot of next week: %s", code);
	wait = start + 1000 - now_ms();
	if (wait > 0) {
		ts.tv_sec = wait / 1000;
		ts.tv_nsec = (wait % 1000) * 1000000;
		nanosleep(&ts, NULL);
	}

	/* Rule 7 first: the started exam cannot be swapped. */
	snprintf(body, sizeof(body), "{\"exam_ids\":[%lld,%lld]}", a, b);
	assert_int_equal(client_call(&port.c, "POST", "/api/v1/exams/swap",
			     body),
	    422);
	assert_string_equal(client_code(&port.c), "EXAMEN_NON_MODIFIABLE");
	snprintf(body, sizeof(body), "{\"exam_ids\":[%lld,%lld]}", b, a);
	assert_int_equal(client_call(&port.c, "POST", "/api/v1/exams/swap",
			     body),
	    422);
	assert_string_equal(client_code(&port.c), "EXAMEN_NON_MODIFIABLE");

	/* The candidate failed: 10 days from the exam's start. */
	snprintf(path, sizeof(path), "/api/v1/exams/%lld/result", a);
	assert_int_equal(client_call(&dispatcher.c, "POST", path,
			     "{\"result\":\"failed\"}"),
	    200);
	/* Next week is inside the delay: refused, with its end. */
	assert_int_equal(book(&port, near[1], cands[0], code), 0);
	assert_string_equal(code, "CANDIDAT_SOUS_PENALITE");
	/* A slot starting after the delay's end is bookable today. */
	later = publish_at(nantes, (start / 1000 + 12 * 86400) * 1000);
	if (book(&port, later, cands[0], code) == 0)
		fail_msg("slot after the delay refused: %s", code);
	/* Another candidate may still have a slot of next week. */
	assert_true(book(&port, near[1], cands[2], code) > 0);
}

/* Moves the first slot of basket id minutes into the past, as the clock
 * would: the basket is then past its 15 minutes. */
static void
age_basket(long long id, int minutes)
{
	char sql[160];

	snprintf(sql, sizeof(sql),
	    "UPDATE baskets SET first_added_at = first_added_at - %d"
	    " WHERE id = %lld",
	    minutes * 60000, id);
	assert_int_equal(harness_store_exec(srv.db, sql), 0);
}

/* A basket that expired answers PANIER_EXPIRE when validated, also once
 * its slots were given back (by the job, or by reading the basket); its
 * next slot starts a new life. */
static void
test_expired_basket(void **state)
{
	long long slots[2], basket;
	char path[128], body[128];
	json_t *o;

	(void)state;
	assert_int_equal(slots_of(&marais,
			     "/api/v1/slots?department=85&category=B&limit=60",
			     1, slots, 2),
	    2);
	basket = basket_of(&marais);
	snprintf(path, sizeof(path), "/api/v1/baskets/%lld/slots", basket);
	snprintf(body, sizeof(body), "{\"slots\":[{\"slot_id\":%lld}]}",
	    slots[0]);
	assert_int_equal(client_call(&marais.c, "POST", path, body), 200);
	age_basket(basket, 16);
	/* Reading the basket gives its slot back. */
	assert_int_equal(basket_of(&marais), basket);
	o = client_json(&marais.c);
	assert_int_equal(json_array_size(json_object_get(o, "slots")), 0);
	json_decref(o);
	snprintf(path, sizeof(path), "/api/v1/baskets/%lld/validation", basket);
	assert_int_equal(client_call(&marais.c, "POST", path, NULL), 422);
	assert_string_equal(client_code(&marais.c), "PANIER_EXPIRE");
	/* Twice: still expired, nothing booked. */
	assert_int_equal(client_call(&marais.c, "POST", path, NULL), 422);
	assert_string_equal(client_code(&marais.c), "PANIER_EXPIRE");

	/* Validated while still holding its slot: the same answer. */
	snprintf(path, sizeof(path), "/api/v1/baskets/%lld/slots", basket);
	snprintf(body, sizeof(body), "{\"slots\":[{\"slot_id\":%lld}]}",
	    slots[1]);
	assert_int_equal(client_call(&marais.c, "POST", path, body), 200);
	age_basket(basket, 16);
	snprintf(path, sizeof(path), "/api/v1/baskets/%lld/validation", basket);
	assert_int_equal(client_call(&marais.c, "POST", path, NULL), 422);
	assert_string_equal(client_code(&marais.c), "PANIER_EXPIRE");

	/* A new slot: a new life, validated slot by slot again. */
	snprintf(path, sizeof(path), "/api/v1/baskets/%lld/slots", basket);
	snprintf(body, sizeof(body), "{\"slots\":[{\"slot_id\":%lld}]}",
	    slots[0]);
	assert_int_equal(client_call(&marais.c, "POST", path, body), 200);
	snprintf(path, sizeof(path), "/api/v1/baskets/%lld/validation", basket);
	assert_int_equal(client_call(&marais.c, "POST", path, NULL), 207);
	assert_non_null(strstr(marais.c.body, "CANDIDAT_OBLIGATOIRE"));
}

/* The dispatcher's coefficient for department 44, category B and month
 * (yyyy-mm), in places per ETP. */
static void
set_coefficient(const char *month, const char *coefficient)
{
	char body[200];

	snprintf(body, sizeof(body),
	    "{\"coefficients\":[{\"department\":\"44\",\"category\":"
	    "\"B\",\"month\":\"%s\",\"coefficient\":%s}]}",
	    month, coefficient);
	assert_int_equal(client_call(&dispatcher.c, "PUT",
			     "/api/v1/coefficients", body),
	    200);
}

/* Rule 3 said when the slot is added, not only at validation: with no
 * place left in the slot's month, the add is refused by name and nothing
 * is held; with places again, the same slot is taken. */
static void
test_quota_said_at_add(void **state)
{
	char path[128], body[128], month[8];
	long long slot = 0, basket;
	json_t *o, *s;
	size_t i;

	(void)state;
	assert_int_equal(client_call(&tilleuls.c, "GET",
			     "/api/v1/slots?department=44&category=B&limit=60",
			     NULL),
	    200);
	o = client_json(&tilleuls.c);
	json_array_foreach (json_object_get(o, "slots"), i, s) {
		if (slot == 0 &&
		    json_is_true(json_object_get(s, "bookable_now"))) {
			slot = json_integer_value(json_object_get(s, "id"));
			/* Working hours: the UTC month is Paris's. */
			snprintf(month, sizeof(month), "%.7s",
			    json_string_value(json_object_get(s, "start_at")));
		}
	}
	json_decref(o);
	assert_true(slot > 0);
	basket = basket_of(&tilleuls);
	snprintf(path, sizeof(path), "/api/v1/baskets/%lld/slots", basket);
	snprintf(body, sizeof(body), "{\"slots\":[{\"slot_id\":%lld}]}", slot);

	set_coefficient(month, "0");
	assert_int_equal(client_call(&tilleuls.c, "POST", path, body), 422);
	assert_string_equal(client_code(&tilleuls.c), "SEUIL_ATTEINT");
	assert_non_null(
	    strstr(tilleuls.c.body, "\"field\":\"slots[0].slot_id\""));
	assert_int_equal(client_call(&tilleuls.c, "GET", "/api/v1/basket",
			     NULL),
	    200);
	snprintf(body, sizeof(body), "\"slot_id\":%lld", slot);
	assert_null(strstr(tilleuls.c.body, body));

	set_coefficient(month, "5.0");
	snprintf(body, sizeof(body), "{\"slots\":[{\"slot_id\":%lld}]}", slot);
	assert_int_equal(client_call(&tilleuls.c, "POST", path, body), 200);
	snprintf(path, sizeof(path), "/api/v1/baskets/%lld/slots/%lld", basket,
	    slot);
	assert_int_equal(client_call(&tilleuls.c, "DELETE", path, NULL), 200);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_book_end_to_end),
		cmocka_unit_test(test_quota_said_at_add),
		cmocka_unit_test(test_territorial_priority),
		cmocka_unit_test(test_candidate_sees_exam),
		cmocka_unit_test(test_bad_neph),
		cmocka_unit_test(test_started_exam_and_waiting_delay),
		cmocka_unit_test(test_expired_basket),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
