/*
 * test_trainer_exams.c - the trainer's coming exams (GET
 * /api/v1/trainer/exams) against the real `creneau` binary and its demo
 * data: the Tilleuls manager assigns candidates to two trainers and books
 * their exams; a trainer sees the booked exam of their own candidate, with
 * the candidate's name, the category and the centre, never the exam of
 * another trainer's candidate, a cancelled exam or a past one, nor one
 * whose candidate's mandate has ended; a trainer of another school sees
 * only their own school's; an account without the permission is refused.
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
static struct demo_account fanny = { "formation@tilleuls.example", 1 };
static struct demo_account dispatcher = { "repartition@demo.example", 1 };

static struct demo_account *const all[] = { &tilleuls, &port, &fanny,
	&dispatcher };
#define NALL (sizeof(all) / sizeof(all[0]))

/* Trainers made here with `creneau user add`: a second one of the
 * Tilleuls, and one of the Port school. */
struct made {
	const char *email, *org_name;
	char id[64], temp[64];
	struct client c;
};

static struct made other = { "formation2@tilleuls.example",
	"Auto-école des Tilleuls (démo)", "", "", { 0 } };
static struct made porter = { "formation@port.example",
	"Auto-école du Port (démo)", "", "", { 0 } };

/* Adds m as a trainer of its school and signs it in. Returns 0 or -1. */
static int
make_trainer(struct made *m, int i)
{
	char sql[200], org[64], buf[2048], store_env[400], pw[64];
	const char *env[] = { store_env, NULL };
	const char *args[] = { "user", "add", "--org", org, "--email", m->email,
		"--name", "Formateur Test", "--role", "trainer", NULL };
	char *a, *p;

	snprintf(sql, sizeof(sql),
	    "SELECT id FROM organisations WHERE name = '%s'", m->org_name);
	if (harness_store_value(srv.db, sql, org, sizeof(org)) != 0)
		return -1;
	snprintf(store_env, sizeof(store_env), "CRENEAU_STORE_PATH=%s", srv.db);
	if (harness_run(args, env, buf, sizeof(buf)) != 0) {
		fprintf(stderr, "user add: %s\n", buf);
		return -1;
	}
	a = strstr(buf, "account ");
	p = strstr(buf, "temporary password ");
	if (a == NULL || p == NULL)
		return -1;
	sscanf(a + 8, "%63s", m->id);
	sscanf(p + 19, "%63s", m->temp);
	snprintf(pw, sizeof(pw), "caillou Vert marée %d soleil", i);
	client_init(&m->c, srv.port);
	return client_onboard(&m->c, m->email, m->temp, pw, 1);
}

static int
setup(void **state)
{
	(void)state;
	if (demo_start(&srv, all, NALL) != 0 || make_trainer(&other, 1) != 0 ||
	    make_trainer(&porter, 2) != 0)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	client_free(&other.c);
	client_free(&porter.c);
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

/* Reads into ids up to max slots of department 44, category B, bookable
 * now by d. Returns how many. */
static size_t
open_slots(struct demo_account *d, long long *ids, size_t max)
{
	json_t *o, *s;
	size_t i, n = 0;

	assert_int_equal(client_call(&d->c, "GET",
			     "/api/v1/slots?department=44&category=B&limit=60",
			     NULL),
	    200);
	o = client_json(&d->c);
	json_array_foreach (json_object_get(o, "slots"), i, s) {
		if (n < max && json_is_true(json_object_get(s, "bookable_now")))
			ids[n++] = json_integer_value(json_object_get(s, "id"));
	}
	json_decref(o);
	return n;
}

/* The ids of d's candidates of category B but Camille (at most max), their
 * last names into names. Returns how many. */
static size_t
candidates_of(struct demo_account *d, long long *ids, char names[][64],
    size_t max)
{
	json_t *o, *c;
	size_t i, n = 0;

	assert_int_equal(client_call(&d->c, "GET", "/api/v1/candidates", NULL),
	    200);
	o = client_json(&d->c);
	json_array_foreach (json_object_get(o, "candidates"), i, c) {
		const char *cat =
		    json_string_value(json_object_get(c, "category"));
		const char *ln =
		    json_string_value(json_object_get(c, "last_name"));

		if (n < max && cat != NULL && strcmp(cat, "B") == 0 &&
		    ln != NULL && strcmp(ln, "Candidate") != 0) {
			ids[n] = json_integer_value(json_object_get(c, "id"));
			snprintf(names[n++], 64, "%s", ln);
		}
	}
	json_decref(o);
	return n;
}

/* d assigns candidate to the trainer account trainer_id. */
static void
assign(struct demo_account *d, long long candidate, const char *trainer_id)
{
	char path[96], body[160];

	snprintf(path, sizeof(path), "/api/v1/candidates/%lld/trainer",
	    candidate);
	snprintf(body, sizeof(body), "{\"trainer\":\"%s\"}", trainer_id);
	if (client_call(&d->c, "PUT", path, body) != 200)
		fail_msg("assign %lld: %s", candidate, d->c.body);
}

/* d books slot for candidate. Returns the exam id. */
static long long
book(struct demo_account *d, long long slot, long long candidate)
{
	char path[128], body[160];
	long long basket = basket_of(d), exam;
	json_t *o;

	snprintf(path, sizeof(path), "/api/v1/baskets/%lld/slots", basket);
	snprintf(body, sizeof(body),
	    "{\"slots\":[{\"slot_id\":%lld,\"candidate_id\":%lld}]}", slot,
	    candidate);
	if (client_call(&d->c, "POST", path, body) != 200)
		fail_msg("hold %lld: %s", slot, d->c.body);
	snprintf(path, sizeof(path), "/api/v1/baskets/%lld/validation", basket);
	if (client_call(&d->c, "POST", path, NULL) != 200)
		fail_msg("validate %lld: %s", slot, d->c.body);
	o = client_json(&d->c);
	exam = json_integer_value(
	    json_object_get(json_array_get(json_object_get(o, "results"), 0),
		"exam_id"));
	json_decref(o);
	if (exam <= 0)
		fail_msg("slot %lld not booked: %s", slot, d->c.body);
	return exam;
}

/* The account id of d. */
static void
account_id(struct client *c, char out[64])
{
	json_t *o;

	assert_int_equal(client_call(c, "GET", "/api/v1/me", NULL), 200);
	o = client_json(c);
	snprintf(out, 64, "%s", json_string_value(json_object_get(o, "id")));
	json_decref(o);
}

/* The exams c's GET /api/v1/trainer/exams answers (a new reference). */
static json_t *
trainer_exams(struct client *c)
{
	json_t *o, *list;

	if (client_call(c, "GET", "/api/v1/trainer/exams", NULL) != 200)
		fail_msg("trainer exams: %ld %s", c->status, c->body);
	o = client_json(c);
	list = json_incref(json_object_get(o, "exams"));
	json_decref(o);
	assert_true(json_is_array(list));
	return list;
}

/* Whether list holds the exam id. */
static int
has_exam(const json_t *list, long long id)
{
	const json_t *e;
	size_t i;

	json_array_foreach (list, i, e)
		if (json_integer_value(json_object_get(e, "id")) == id)
			return 1;
	return 0;
}

static void
test_trainer_sees_own_candidates_coming_exams(void **state)
{
	long long slots[8], cands[8], pslots[2], pcands[2];
	long long mine, cancelled, past, others, port_exam;
	char names[8][64], pnames[2][64], fanny_id[64], sql[200], path[96];
	json_t *list, *e;
	size_t i;

	(void)state;
	assert_true(open_slots(&tilleuls, slots, 8) >= 4);
	assert_true(candidates_of(&tilleuls, cands, names, 8) >= 4);
	account_id(&fanny.c, fanny_id);

	/* Nothing assigned yet: an empty list. */
	list = trainer_exams(&fanny.c);
	assert_int_equal(json_array_size(list), 0);
	json_decref(list);

	/* Fanny's candidates: one booked, one cancelled, one past; the
	 * fourth is the other trainer's. */
	for (i = 0; i < 3; i++)
		assign(&tilleuls, cands[i], fanny_id);
	assign(&tilleuls, cands[3], other.id);
	mine = book(&tilleuls, slots[0], cands[0]);
	cancelled = book(&tilleuls, slots[1], cands[1]);
	past = book(&tilleuls, slots[2], cands[2]);
	others = book(&tilleuls, slots[3], cands[3]);
	snprintf(path, sizeof(path), "/api/v1/exams/%lld/cancellation",
	    cancelled);
	assert_int_equal(client_call(&tilleuls.c, "POST", path, NULL), 200);
	snprintf(sql, sizeof(sql),
	    "UPDATE exams SET start_at = start_at - 2592000000" /* 30 days */
	    " WHERE id = %lld",
	    past);
	assert_int_equal(harness_store_exec(srv.db, sql), 0);

	/* The Port school books an exam for a candidate of its trainer. */
	assert_true(open_slots(&port, pslots, 2) >= 1);
	assert_true(candidates_of(&port, pcands, pnames, 2) >= 1);
	assign(&port, pcands[0], porter.id);
	port_exam = book(&port, pslots[0], pcands[0]);

	/* Fanny: her booked exam only, with name, category and centre. */
	list = trainer_exams(&fanny.c);
	assert_int_equal(json_array_size(list), 1);
	e = json_array_get(list, 0);
	assert_int_equal(json_integer_value(json_object_get(e, "id")), mine);
	assert_int_equal(json_integer_value(json_object_get(e, "candidate_id")),
	    cands[0]);
	assert_string_equal(json_string_value(json_object_get(e, "last_name")),
	    names[0]);
	assert_non_null(json_string_value(json_object_get(e, "first_names")));
	assert_string_equal(json_string_value(json_object_get(e, "category")),
	    "B");
	assert_string_equal(json_string_value(json_object_get(e, "centre")),
	    "Centre d'examen de Nantes-Rezé");
	assert_true(
	    strlen(json_string_value(json_object_get(e, "address"))) > 0);
	assert_string_equal(json_string_value(json_object_get(e, "time_zone")),
	    "Europe/Paris");
	assert_non_null(json_string_value(json_object_get(e, "start_at")));
	assert_false(has_exam(list, cancelled));
	assert_false(has_exam(list, past));
	assert_false(has_exam(list, others));
	assert_false(has_exam(list, port_exam));
	json_decref(list);

	/* Fanny prints her candidate's convocation; not another trainer's
	 * candidate's, nor another school's, nor a cancelled exam's. */
	snprintf(path, sizeof(path), "/api/v1/trainer/exams/%lld/convocation",
	    mine);
	assert_int_equal(client_call(&fanny.c, "GET", path, NULL), 200);
	assert_true(fanny.c.body_len > 4);
	assert_memory_equal(fanny.c.body, "%PDF", 4);
	assert_non_null(strstr(fanny.c.headers, "application/pdf"));
	assert_int_equal(client_call(&porter.c, "GET", path, NULL), 404);
	snprintf(path, sizeof(path), "/api/v1/trainer/exams/%lld/convocation",
	    others);
	assert_int_equal(client_call(&fanny.c, "GET", path, NULL), 404);
	snprintf(path, sizeof(path), "/api/v1/trainer/exams/%lld/convocation",
	    port_exam);
	assert_int_equal(client_call(&fanny.c, "GET", path, NULL), 404);
	snprintf(path, sizeof(path), "/api/v1/trainer/exams/%lld/convocation",
	    cancelled);
	assert_int_equal(client_call(&fanny.c, "GET", path, NULL), 422);

	/* The other Tilleuls trainer: their candidate's exam only. */
	list = trainer_exams(&other.c);
	assert_int_equal(json_array_size(list), 1);
	assert_true(has_exam(list, others));
	json_decref(list);

	/* The Port trainer: the Port exam, never the Tilleuls ones. */
	list = trainer_exams(&porter.c);
	assert_int_equal(json_array_size(list), 1);
	assert_true(has_exam(list, port_exam));
	assert_null(strstr(porter.c.body, names[0]));
	json_decref(list);

	/* A manager is no trainer of any candidate: nothing. */
	list = trainer_exams(&port.c);
	assert_int_equal(json_array_size(list), 0);
	json_decref(list);

	/* The authority has no candidate.read permission. */
	assert_int_equal(client_call(&dispatcher.c, "GET",
			     "/api/v1/trainer/exams", NULL),
	    403);

	/* A mandate past its end (before the expiry job has run): the
	 * exam leaves the list with the candidate (rule 1). */
	snprintf(sql, sizeof(sql),
	    "UPDATE mandates SET expires_at = 1000 WHERE candidate_id = %lld",
	    cands[3]);
	assert_int_equal(harness_store_exec(srv.db, sql), 0);
	list = trainer_exams(&other.c);
	assert_int_equal(json_array_size(list), 0);
	json_decref(list);

	/* Unassigned: the exam leaves the trainer's list with the candidate. */
	assign(&tilleuls, cands[0], other.id);
	list = trainer_exams(&fanny.c);
	assert_int_equal(json_array_size(list), 0);
	json_decref(list);
	list = trainer_exams(&other.c);
	assert_int_equal(json_array_size(list), 1);
	assert_true(has_exam(list, mine));
	json_decref(list);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trainer_sees_own_candidates_coming_exams),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
