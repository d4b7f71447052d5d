/*
 * test_authority.c - the exam authority's side through the real binary:
 * the demo dispatcher (repartition@demo.example) onboards with its
 * temporary password and TOTP, creates a centre, publishes slots (all or
 * nothing, the item at fault named), lists and withdraws them, sets a
 * coefficient and declares the demo school's establishments; the demo
 * school manager is refused every one of these routes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include "client.h"
#include "demo.h"
#include "harness.h"

static struct proc srv;
static struct demo_account dispatcher = { "repartition@demo.example", 1 };
static struct demo_account manager = { "gestion@tilleuls.example", 1 };
static struct demo_account *const all[] = { &dispatcher, &manager };
static char centre_id[24];

static int
setup(void **state)
{
	(void)state;
	return demo_start(&srv, all, 2);
}

static int
teardown(void **state)
{
	(void)state;
	demo_stop(&srv, all, 2);
	return 0;
}

/* The "field" member of the last problem, or "" (static). */
static const char *
field_of(const struct client *c)
{
	static char out[96];
	json_t *o = client_json(c);
	const char *f =
	    o ? json_string_value(json_object_get(o, "field")) : NULL;

	snprintf(out, sizeof(out), "%s", f != NULL ? f : "");
	json_decref(o);
	return out;
}

static void
expect_refusal(struct client *c, const char *method, const char *path,
    const char *body, long status, const char *code, const char *field)
{
	long st = client_call(c, method, path, body);

	if (st != status || strcmp(client_code(c), code) != 0 ||
	    strcmp(field_of(c), field) != 0)
		fail_msg("%s %s: %ld %s, expected %ld %s on %s", method, path,
		    st, c->body, status, code, field);
}

static void
test_centre(void **state)
{
	struct client *c = &dispatcher.c;
	json_t *o;

	(void)state;
	assert_int_equal(client_call(c, "POST", "/api/v1/centres",
			     "{\"name\":\"Nantes Beaujoire\",\"department\":"
			     "\"44\",\"address\":\"Route de Saint-Joseph\"}"),
	    201);
	o = client_json(c);
	assert_non_null(o);
	snprintf(centre_id, sizeof(centre_id), "%lld",
	    (long long)json_integer_value(json_object_get(o, "id")));
	assert_string_equal(json_string_value(json_object_get(o, "department")),
	    "44");
	json_decref(o);
	expect_refusal(c, "POST", "/api/v1/centres",
	    "{\"name\":\"Ajaccio\",\"department\":\"20\",\"address\":\"x\"}",
	    422, "PARAMETRE_INVALIDE", "department");
	expect_refusal(c, "POST", "/api/v1/centres",
	    "{\"name\":\"Nantes Beaujoire\",\"department\":\"44\","
	    "\"address\":\"x\"}",
	    422, "PARAMETRE_INVALIDE", "name");
	assert_int_equal(client_call(c, "GET", "/api/v1/centres?department=44",
			     NULL),
	    200);
	assert_non_null(strstr(c->body, "Nantes Beaujoire"));
	assert_null(strstr(c->body, "Ajaccio"));
}

/* Builds a publication of three slots of the centre; item bad (0..2)
 * gets the members extra instead of its category and times (NULL:
 * none). */
static void
publication(char *out, size_t n, const char *centre, int bad, const char *extra)
{
	static const char *const good[3] = {
		"\"category\":\"B\",\"start_at\":\"2099-12-01T08:30:00Z\"",
		"\"category\":\"B\",\"start_at\":\"2099-12-01T09:30:00Z\"",
		"\"category\":\"B\",\"start_at\":\"2099-12-02T08:30:00Z\","
		"\"published_at\":\"2099-11-01T08:00:00Z\"",
	};
	char items[3][256];
	int i;

	for (i = 0; i < 3; i++)
		snprintf(items[i], sizeof(items[i]),
		    "{\"centre_id\":%s,\"inspector\":\"I-%d\",%s}", centre, i,
		    i == bad && extra != NULL ? extra : good[i]);
	snprintf(out, n, "{\"slots\":[%s,%s,%s]}", items[0], items[1],
	    items[2]);
}

static void
test_slots(void **state)
{
	struct client *c = &dispatcher.c;
	char body[2048], path[160], first[24];
	json_t *o, *ids;

	(void)state;
	/* All or nothing, the first item at fault named. */
	publication(body, sizeof(body), centre_id, 1,
	    "\"category\":\"B\",\"start_at\":\"2020-01-01T08:00:00Z\"");
	expect_refusal(c, "POST", "/api/v1/slots", body, 422,
	    "PARAMETRE_INVALIDE", "slots[1].start_at");
	publication(body, sizeof(body), centre_id, 2,
	    "\"category\":\"B\",\"start_at\":\"2099-12-01T08:30:00Z\","
	    "\"published_at\":\"2099-12-02T08:00:00Z\"");
	expect_refusal(c, "POST", "/api/v1/slots", body, 422,
	    "PARAMETRE_INVALIDE", "slots[2].published_at");
	publication(body, sizeof(body), "999999", -1, NULL);
	expect_refusal(c, "POST", "/api/v1/slots", body, 404, "CENTRE_INCONNU",
	    "slots[0].centre_id");
	publication(body, sizeof(body), centre_id, 0,
	    "\"start_at\":\"2099-12-01T08:30:00Z\",\"category\":\"Q\"");
	expect_refusal(c, "POST", "/api/v1/slots", body, 422,
	    "PARAMETRE_INVALIDE", "slots[0].category");
	snprintf(path, sizeof(path), "/api/v1/authority/slots?centre_id=%s",
	    centre_id);
	assert_int_equal(client_call(c, "GET", path, NULL), 200);
	assert_non_null(strstr(c->body, "\"slots\":[]"));

	publication(body, sizeof(body), centre_id, -1, NULL);
	assert_int_equal(client_call(c, "POST", "/api/v1/slots", body), 201);
	o = client_json(c);
	assert_non_null(o);
	assert_int_equal(json_integer_value(json_object_get(o, "published")),
	    3);
	ids = json_object_get(o, "ids");
	assert_int_equal(json_array_size(ids), 3);
	snprintf(first, sizeof(first), "%lld",
	    (long long)json_integer_value(json_array_get(ids, 0)));
	json_decref(o);

	assert_int_equal(client_call(c, "GET", path, NULL), 200);
	o = client_json(c);
	assert_int_equal(json_array_size(json_object_get(o, "slots")), 3);
	assert_non_null(strstr(c->body, "\"state\":\"free\""));
	assert_non_null(strstr(c->body, "\"department\":\"44\""));
	assert_non_null(
	    strstr(c->body, "\"published_at\":\"2099-11-01T08:00:00Z\""));
	json_decref(o);

	/* Pages. */
	snprintf(path, sizeof(path),
	    "/api/v1/authority/slots?centre_id=%s&limit=2", centre_id);
	assert_int_equal(client_call(c, "GET", path, NULL), 200);
	assert_non_null(strstr(c->body, "\"next_offset\":2"));
	expect_refusal(c, "GET", "/api/v1/authority/slots?limit=501", NULL, 422,
	    "PARAMETRE_INVALIDE", "limit");

	/* Withdrawal. */
	snprintf(path, sizeof(path), "/api/v1/slots/%s", first);
	assert_int_equal(client_call(c, "DELETE", path, NULL), 200);
	assert_non_null(strstr(c->body, "\"state\":\"cancelled\""));
	expect_refusal(c, "DELETE", "/api/v1/slots/999999", NULL, 404,
	    "CRENEAU_INCONNU", "id");
	snprintf(path, sizeof(path),
	    "/api/v1/authority/slots?centre_id=%s&state=cancelled", centre_id);
	assert_int_equal(client_call(c, "GET", path, NULL), 200);
	o = client_json(c);
	assert_int_equal(json_array_size(json_object_get(o, "slots")), 1);
	json_decref(o);
}

static void
test_coefficients(void **state)
{
	struct client *c = &dispatcher.c;
	json_t *o, *list;

	(void)state;
	assert_int_equal(client_call(c, "PUT", "/api/v1/coefficients",
			     "{\"coefficients\":[{\"department\":\"44\","
			     "\"category\":\"B\",\"month\":\"2099-12\","
			     "\"coefficient\":5.5}]}"),
	    200);
	expect_refusal(c, "PUT", "/api/v1/coefficients",
	    "{\"coefficients\":[{\"department\":\"44\",\"category\":\"B\","
	    "\"month\":\"2099-12\",\"coefficient\":5.555}]}",
	    422, "PARAMETRE_INVALIDE", "coefficients[0].coefficient");
	expect_refusal(c, "PUT", "/api/v1/coefficients",
	    "{\"coefficients\":[{\"department\":\"44\",\"category\":\"B\","
	    "\"month\":\"2099-13\",\"coefficient\":5}]}",
	    422, "PARAMETRE_INVALIDE", "coefficients[0].month");
	assert_int_equal(client_call(c, "GET",
			     "/api/v1/coefficients?department=44&month=2099-12",
			     NULL),
	    200);
	o = client_json(c);
	assert_non_null(o);
	list = json_object_get(o, "coefficients");
	assert_int_equal(json_array_size(list), 1);
	assert_true(json_real_value(json_object_get(json_array_get(list, 0),
			"coefficient")) == 5.5);
	assert_true(json_real_value(json_object_get(o, "default")) == 5.0);
	json_decref(o);
}

static void
test_establishments(void **state)
{
	struct client *c = &dispatcher.c;
	char org[64] = "", path[160];
	json_t *o, *list;
	size_t i;

	(void)state;
	assert_int_equal(client_call(c, "GET", "/api/v1/schools", NULL), 200);
	o = client_json(c);
	list = json_object_get(o, "schools");
	for (i = 0; i < json_array_size(list); i++) {
		json_t *s = json_array_get(list, i);

		if (strcmp(json_string_value(json_object_get(s, "name")),
			"Auto-école des Tilleuls (démo)") == 0)
			snprintf(org, sizeof(org), "%s",
			    json_string_value(json_object_get(s, "org_id")));
	}
	json_decref(o);
	assert_int_equal(strlen(org), 32);

	snprintf(path, sizeof(path), "/api/v1/schools/%s/establishments", org);
	expect_refusal(c, "PUT", path,
	    "{\"departments\":[\"44\"],\"trainers\":[{\"trainer\":"
	    "\"formation-1\",\"department\":\"49\",\"category\":\"B\","
	    "\"etp\":0.5}]}",
	    422, "PARAMETRE_INVALIDE", "trainers[0].department");
	expect_refusal(c, "PUT", path,
	    "{\"departments\":[\"44\"],\"trainers\":[{\"trainer\":"
	    "\"formation-1\",\"department\":\"44\",\"category\":\"B\","
	    "\"etp\":1.5}]}",
	    422, "PARAMETRE_INVALIDE", "trainers[0].etp");
	assert_int_equal(client_call(c, "PUT", path,
			     "{\"departments\":[\"44\",\"85\"],\"trainers\":["
			     "{\"trainer\":\"formation-1\",\"department\":"
			     "\"44\",\"category\":\"B\",\"etp\":0.5},"
			     "{\"trainer\":\"formation-2\",\"department\":"
			     "\"85\",\"category\":\"B\",\"etp\":1}]}"),
	    200);
	assert_int_equal(client_call(c, "GET", path, NULL), 200);
	o = client_json(c);
	assert_non_null(o);
	assert_int_equal(json_array_size(json_object_get(o, "departments")), 2);
	list = json_object_get(o, "trainers");
	assert_int_equal(json_array_size(list), 2);
	assert_true(json_real_value(json_object_get(json_array_get(list, 0),
			"etp")) == 0.5);
	json_decref(o);
	expect_refusal(c, "GET",
	    "/api/v1/schools/00000000000000000000000000000000/establishments",
	    NULL, 404, "not_found", "org");
}

static void
test_school_manager_forbidden(void **state)
{
	static const char *const calls[][2] = {
		{ "GET", "/api/v1/centres" },
		{ "POST", "/api/v1/centres" },
		{ "POST", "/api/v1/slots" },
		{ "DELETE", "/api/v1/slots/1" },
		{ "GET", "/api/v1/authority/slots" },
		{ "GET", "/api/v1/coefficients" },
		{ "PUT", "/api/v1/coefficients" },
		{ "GET", "/api/v1/schools" },
		{ "GET", "/api/v1/schools/x/establishments" },
		{ "PUT", "/api/v1/schools/x/establishments" },
	};
	struct client *c = &manager.c;
	size_t i;
	long st;

	(void)state;
	for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		st = client_call(c, calls[i][0], calls[i][1],
		    strcmp(calls[i][0], "GET") == 0 ? NULL : "{}");
		if (st != 403 || strcmp(client_code(c), "forbidden") != 0)
			fail_msg("%s %s as school_manager: %ld %s", calls[i][0],
			    calls[i][1], st, c->body);
	}
	/* Nothing was changed by the refused calls. */
	assert_int_equal(client_call(&dispatcher.c, "GET", "/api/v1/centres",
			     NULL),
	    200);
	assert_null(strstr(dispatcher.c.body, "\"name\":\"\""));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_centre),
		cmocka_unit_test(test_slots),
		cmocka_unit_test(test_coefficients),
		cmocka_unit_test(test_establishments),
		cmocka_unit_test(test_school_manager_forbidden),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
