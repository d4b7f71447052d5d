/*
 * test_pauses.c - respite times (« pauses », seed 002) end to end against
 * the real `creneau` binary and its demo data. The association requires
 * no document here (its configuration lists none), so dossiers are
 * validated in a few calls. A family asks before validation (403), with
 * bad fields (422 naming each field), then asks; a validated volunteer
 * sees the request without the family's name, accepts; both are told;
 * a second volunteer is refused (409); a person without a dossier at the
 * association sees nothing (404); the family cancels and both are told.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "client.h"
#include "demo.h"
#include "harness.h"

static struct proc srv;
static struct demo_account validator = { "validation@enfance-pluriel.example",
	1 };
static struct demo_account family = { "famille@demo.example", 0 };
static struct demo_account volunteer = { "benevole@demo.example", 0 };
static struct demo_account other = { "candidat@demo.example", 0 };
static struct demo_account *const all[] = { &validator, &family, &volunteer,
	&other };
#define NALL (sizeof(all) / sizeof(all[0]))

static char org[64];
static char tomorrow[16];

static int
setup(void **state)
{
	static const char *const env[] = { "CRENEAU_DOSSIERS_FAMILY_DOCUMENTS=",
		"CRENEAU_DOSSIERS_VOLUNTEER_DOCUMENTS=", NULL };
	time_t t = time(NULL) + 2 * 86400;
	struct tm tm;

	(void)state;
	gmtime_r(&t, &tm);
	strftime(tomorrow, sizeof(tomorrow), "%Y-%m-%d", &tm);
	return demo_start_env(&srv, env, all, NALL);
}

static int
teardown(void **state)
{
	(void)state;
	demo_stop(&srv, all, NALL);
	return 0;
}

/* The field the last problem names. */
static void
assert_problem(struct demo_account *a, long status, long got, const char *code,
    const char *field)
{
	json_t *o;

	assert_int_equal(got, status);
	assert_string_equal(client_code(&a->c), code);
	if (field != NULL) {
		o = client_json(&a->c);
		assert_non_null(o);
		assert_string_equal(json_string_value(
					json_object_get(o, "field")),
		    field);
		json_decref(o);
	}
}

/* Files a dossier of kind for a with name; returns its id. */
static long long
file_dossier(struct demo_account *a, const char *kind, const char *name)
{
	char path[160], body[300];
	json_t *o;
	long long id;

	snprintf(path, sizeof(path), "/api/v1/me/dossiers/%s", org);
	snprintf(body, sizeof(body),
	    "{\"kind\":\"%s\",\"profile\":{\"name\":\"%s\",\"phone\":"
	    "\"06 12 34 56 78\",\"details\":\"\"}}",
	    kind, name);
	assert_int_equal(client_call(&a->c, "POST", path, body), 200);
	o = client_json(&a->c);
	id = json_integer_value(json_object_get(o, "id"));
	json_decref(o);
	assert_true(id > 0);
	return id;
}

static void
validate(struct demo_account *a, long long id)
{
	char path[160];

	snprintf(path, sizeof(path), "/api/v1/me/dossiers/%s/submission", org);
	assert_int_equal(client_call(&a->c, "POST", path, NULL), 200);
	snprintf(path, sizeof(path), "/api/v1/dossiers/%lld/decision", id);
	assert_int_equal(client_call(&validator.c, "POST", path,
			     "{\"decision\":\"valide\"}"),
	    200);
}

static long
ask(const char *date, const char *start, int duration, const char *place)
{
	char body[600];

	snprintf(body, sizeof(body),
	    "{\"org\":\"%s\",\"date\":\"%s\",\"start\":\"%s\","
	    "\"duration\":%d,\"place\":\"%s\",\"note\":\"Lou aime les "
	    "puzzles\"}",
	    org, date, start, duration, place);
	return client_call(&family.c, "POST", "/api/v1/dossiers/pauses", body);
}

/* How many notifications of kind a has. */
static int
told(struct demo_account *a, const char *kind)
{
	const char *p;
	int n = 0;

	assert_int_equal(client_call(&a->c, "GET", "/api/v1/notifications",
			     NULL),
	    200);
	for (p = a->c.body; (p = strstr(p, kind)) != NULL; p++)
		n++;
	return n;
}

static void
test_pauses(void **state)
{
	char path[160], place[260];
	long long fam, vol, oth, id;
	json_t *o, *p;

	(void)state;
	assert_int_equal(client_call(&family.c, "GET", "/api/v1/me/dossiers",
			     NULL),
	    200);
	o = client_json(&family.c);
	snprintf(org, sizeof(org), "%s",
	    json_string_value(
		json_object_get(json_array_get(json_object_get(o,
						   "associations"),
				    0),
		    "id")));
	json_decref(o);
	assert_true(org[0] != '\0');

	/* Before validation: no dossier, then a draft. */
	assert_problem(&family, 403, ask(tomorrow, "10:00", 120, "Nantes"),
	    "pause_dossier_non_valide", NULL);
	fam = file_dossier(&family, "family", "Florence Famille");
	assert_problem(&family, 403, ask(tomorrow, "10:00", 120, "Nantes"),
	    "pause_dossier_non_valide", NULL);
	vol = file_dossier(&volunteer, "volunteer", "Bruno Bénévole");
	assert_problem(&volunteer, 403,
	    client_call(&volunteer.c, "GET", "/api/v1/dossiers/pauses/open",
		NULL),
	    "pause_dossier_non_valide", NULL);
	validate(&family, fam);
	validate(&volunteer, vol);
	/* A volunteer does not ask. */
	snprintf(place, sizeof(place),
	    "{\"org\":\"%s\",\"date\":\"%s\",\"start\":\"10:00\","
	    "\"duration\":60,\"place\":\"Nantes\"}",
	    org, tomorrow);
	assert_problem(&volunteer, 403,
	    client_call(&volunteer.c, "POST", "/api/v1/dossiers/pauses", place),
	    "pause_profil_invalide", NULL);

	/* Bad fields: 422 naming each. */
	assert_problem(&family, 422, ask("2020-01-01", "10:00", 120, "Nantes"),
	    "pause_date_invalide", "date");
	assert_problem(&family, 422, ask(tomorrow, "06:30", 120, "Nantes"),
	    "pause_heure_invalide", "start");
	assert_problem(&family, 422, ask(tomorrow, "21:30", 120, "Nantes"),
	    "pause_heure_invalide", "start");
	assert_problem(&family, 422, ask(tomorrow, "10:00", 70, "Nantes"),
	    "pause_duree_invalide", "duration");
	assert_problem(&family, 422, ask(tomorrow, "10:00", 540, "Nantes"),
	    "pause_duree_invalide", "duration");
	assert_problem(&family, 422, ask(tomorrow, "10:00", 120, " "),
	    "pause_lieu_invalide", "place");
	memset(place, 'a', 201);
	place[201] = '\0';
	assert_problem(&family, 422, ask(tomorrow, "10:00", 120, place),
	    "pause_lieu_invalide", "place");

	/* Asked. */
	assert_int_equal(ask(tomorrow, "10:00", 150, "Nantes, quartier Zola"),
	    201);
	o = client_json(&family.c);
	id = json_integer_value(json_object_get(o, "id"));
	json_decref(o);
	assert_true(id > 0);
	/* The association's validated volunteer is told of the request;
	 * the family and a volunteer of another association are not. */
	assert_int_equal(told(&volunteer, "pause.requested"), 1);
	assert_int_equal(told(&family, "pause.requested"), 0);
	assert_int_equal(told(&other, "pause.requested"), 0);
	/* The place is sealed: not in the database in clear. */
	{
		char sql[160], out[64];

		snprintf(sql, sizeof(sql),
		    "SELECT count(*) FROM dossier_pauses WHERE id = %lld AND"
		    " place IS NOT NULL",
		    id);
		assert_int_equal(harness_store_value(srv.db, sql, out,
				     sizeof(out)),
		    0);
		assert_string_equal(out, "1");
	}
	assert_int_equal(client_call(&family.c, "GET",
			     "/api/v1/dossiers/pauses/mine", NULL),
	    200);
	o = client_json(&family.c);
	p = json_array_get(json_object_get(o, "pauses"), 0);
	assert_string_equal(json_string_value(json_object_get(p, "state")),
	    "demandee");
	assert_string_equal(json_string_value(json_object_get(p, "start")),
	    "10:00");
	assert_string_equal(json_string_value(json_object_get(p, "date")),
	    tomorrow);
	assert_true(json_is_null(json_object_get(p, "volunteer")));
	json_decref(o);

	/* The volunteer sees it: date, duration, place, never the family. */
	assert_int_equal(client_call(&volunteer.c, "GET",
			     "/api/v1/dossiers/pauses/open", NULL),
	    200);
	o = client_json(&volunteer.c);
	p = json_array_get(json_object_get(o, "pauses"), 0);
	assert_non_null(p);
	assert_int_equal(json_integer_value(json_object_get(p, "id")), id);
	assert_int_equal(json_integer_value(json_object_get(p, "duration")),
	    150);
	assert_string_equal(json_string_value(json_object_get(p, "place")),
	    "Nantes, quartier Zola");
	assert_true(json_is_null(json_object_get(p, "family")));
	assert_true(json_is_null(json_object_get(p, "note")));
	assert_null(strstr(volunteer.c.body, "Florence"));
	json_decref(o);

	/* A person without a dossier at this association (as a volunteer
	 * of another one): nothing there. */
	snprintf(path, sizeof(path), "/api/v1/dossiers/pauses/%lld/acceptance",
	    id);
	assert_problem(&other, 404, client_call(&other.c, "POST", path, NULL),
	    "not_found", NULL);
	assert_problem(&other, 403,
	    client_call(&other.c, "GET", "/api/v1/dossiers/pauses/open", NULL),
	    "pause_dossier_non_valide", NULL);
	/* The family cannot accept its own. */
	assert_problem(&family, 403, client_call(&family.c, "POST", path, NULL),
	    "pause_profil_invalide", NULL);

	/* Accepted; both are told. */
	assert_int_equal(client_call(&volunteer.c, "POST", path, NULL), 200);
	assert_int_equal(told(&family, "pause.accepted"), 1);
	assert_int_equal(told(&volunteer, "pause.accepted"), 1);
	assert_int_equal(client_call(&volunteer.c, "GET",
			     "/api/v1/dossiers/pauses/mine", NULL),
	    200);
	o = client_json(&volunteer.c);
	p = json_array_get(json_object_get(o, "pauses"), 0);
	assert_string_equal(json_string_value(json_object_get(p, "state")),
	    "acceptee");
	assert_string_equal(json_string_value(
				json_object_get(json_object_get(p, "family"),
				    "name")),
	    "Florence Famille");
	json_decref(o);
	assert_int_equal(client_call(&family.c, "GET",
			     "/api/v1/dossiers/pauses/mine", NULL),
	    200);
	assert_non_null(strstr(family.c.body, "Bruno"));
	/* No longer open. */
	assert_int_equal(client_call(&volunteer.c, "GET",
			     "/api/v1/dossiers/pauses/open", NULL),
	    200);
	assert_null(strstr(volunteer.c.body, "quartier Zola"));

	/* A second validated volunteer comes too late. */
	oth = file_dossier(&other, "volunteer", "Camille Candidate");
	validate(&other, oth);
	assert_problem(&other, 409, client_call(&other.c, "POST", path, NULL),
	    "pause_deja_acceptee", NULL);
	snprintf(path, sizeof(path),
	    "/api/v1/dossiers/pauses/%lld/cancellation", id);
	assert_int_equal(client_call(&other.c, "POST", path, NULL), 404);

	/* The validators see every pause, both sides named. */
	assert_int_equal(client_call(&validator.c, "GET",
			     "/api/v1/dossiers/pauses", NULL),
	    200);
	assert_non_null(strstr(validator.c.body, "Florence Famille"));
	assert_non_null(strstr(validator.c.body, "Bruno"));
	/* A person is no validator. */
	assert_int_equal(client_call(&family.c, "GET",
			     "/api/v1/dossiers/pauses", NULL),
	    403);

	/* The family cancels; both are told; cancelling again is 409. */
	assert_int_equal(client_call(&family.c, "POST", path, NULL), 200);
	assert_int_equal(told(&family, "pause.cancelled"), 1);
	assert_int_equal(told(&volunteer, "pause.cancelled"), 1);
	assert_problem(&volunteer, 409,
	    client_call(&volunteer.c, "POST", path, NULL),
	    "pause_etat_invalide", NULL);

	/* A new request, accepted, cancelled by the volunteer. */
	assert_int_equal(ask(tomorrow, "14:15", 60, "Rezé"), 201);
	o = client_json(&family.c);
	id = json_integer_value(json_object_get(o, "id"));
	json_decref(o);
	snprintf(path, sizeof(path), "/api/v1/dossiers/pauses/%lld/acceptance",
	    id);
	assert_int_equal(client_call(&volunteer.c, "POST", path, NULL), 200);
	snprintf(path, sizeof(path),
	    "/api/v1/dossiers/pauses/%lld/cancellation", id);
	assert_int_equal(client_call(&volunteer.c, "POST", path, NULL), 200);
	assert_int_equal(told(&family, "pause.cancelled"), 2);

	/* Every change is in the audit trail. */
	{
		char out[64];

		assert_int_equal(harness_store_value(srv.db,
				     "SELECT count(*) FROM audit_log WHERE"
				     " action LIKE 'pause.%'",
				     out, sizeof(out)),
		    0);
		assert_string_equal(out, "6");
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pauses),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
