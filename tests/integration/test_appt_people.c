/*
 * test_appt_people.c - the people's side of appointments end to end
 * against the real `creneau` binary and its demo data (the social
 * services of Loire-Atlantique): an agent creates a user and a relative,
 * finds them by blind index, books in a free slot; no double booking of
 * an agent (a race run 100 times), of a user, nor beyond a collective
 * session's capacity; opening hours, status changes and moves; another
 * organisation's agent sees nothing; a user books online (public motifs
 * and slots, a hold, the confirmation once signed in), lists and
 * cancels; export and erasure; the seed-001 retention rules before and
 * after each limit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "appointments/appt_time.h"
#include "auth/auth.h"
#include "core/clock.h"

#include "client.h"
#include "demo.h"
#include "harness.h"

#define RACES 100 /* times the agent race runs */
#define RACERS 4

static struct proc srv;
static struct demo_account martin = { "as.martin@solidarites44.example", 1 };
static struct demo_account roche = { "ins.roche@solidarites44.example", 1 };
static struct demo_account camille = { "candidat@demo.example", 0 };
static struct demo_account dpo = { "dpo@solidarites44.example", 1 };
static struct demo_account admin = { "admin.rdv@solidarites44.example", 1 };
static struct demo_account *const all[] = { &martin, &roche, &camille, &dpo,
	&admin };
#define NALL (sizeof(all) / sizeof(all[0]))

static char store_env[400];
static char martin_id[64], roche_id[64], org_id[64];
static long long camille_rec; /* the online user's record */
static long long place_nord, place_reze, motif_accueil, motif_atelier,
    motif_phone;

static int
run(const char *const *args, char *out, size_t outlen)
{
	const char *env[] = { store_env, NULL };

	return harness_run(args, env, out, outlen);
}

static json_t *
get_json(struct client *c, const char *path)
{
	assert_int_equal(client_call(c, "GET", path, NULL), 200);
	return client_json(c);
}

/* GET path, answered 200; the body stays in c->body. */
static void
get_ok(struct client *c, const char *path)
{
	assert_int_equal(client_call(c, "GET", path, NULL), 200);
}

/* The id of the member named name in list key of path. */
static long long
id_named(struct client *c, const char *path, const char *key, const char *name)
{
	json_t *o = get_json(c, path), *v;
	long long id = 0;
	size_t i;

	json_array_foreach (json_object_get(o, key), i, v) {
		if (strcmp(json_string_value(json_object_get(v, "name")),
			name) == 0)
			id = json_integer_value(json_object_get(v, "id"));
	}
	json_decref(o);
	assert_true(id > 0);
	return id;
}

static void
me_ids(struct client *c, char *id, char *org)
{
	json_t *o = get_json(c, "/api/v1/me");

	snprintf(id, 64, "%s", json_string_value(json_object_get(o, "id")));
	if (org != NULL)
		snprintf(org, 64, "%s",
		    json_string_value(json_object_get(o, "org_id")));
	json_decref(o);
}

static int
setup(void **state)
{
	(void)state;
	if (demo_start(&srv, all, NALL) != 0)
		return -1;
	snprintf(store_env, sizeof(store_env), "CRENEAU_STORE_PATH=%s", srv.db);
	me_ids(&martin.c, martin_id, org_id);
	me_ids(&roche.c, roche_id, NULL);
	place_nord = id_named(&martin.c, "/api/v1/appointments/places",
	    "places", "MDS Nantes Nord");
	place_reze = id_named(&martin.c, "/api/v1/appointments/places",
	    "places", "MDS Rezé");
	motif_accueil = id_named(&martin.c, "/api/v1/appointments/motifs",
	    "motifs", "Premier accueil social");
	motif_atelier = id_named(&martin.c, "/api/v1/appointments/motifs",
	    "motifs", "Atelier collectif recherche d'emploi");
	motif_phone = id_named(&martin.c, "/api/v1/appointments/motifs",
	    "motifs", "Entretien téléphonique");
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	demo_stop(&srv, all, NALL);
	return 0;
}

/* Local Paris time (day offset from this week's Monday, minute) as the
 * API writes it. */
static void
paris(int week_day, int minute, char *out, size_t size)
{
	int64_t now = clock_now_ms(clock_real());
	int64_t day = appt_week_monday(appt_paris_day(now)) + week_day;
	time_t t = (time_t)(appt_paris_to_utc(day, minute, NULL) / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static long long
create_user(struct client *c, const char *json)
{
	json_t *o;
	long long id;

	assert_int_equal(client_call(c, "POST", "/api/v1/appointments/users",
			     json),
	    201);
	o = client_json(c);
	id = json_integer_value(json_object_get(o, "id"));
	json_decref(o);
	assert_true(id > 0);
	return id;
}

/* Books motif at place (0: none) with agent for users; returns the
 * status, the new id in *id. */
static long
book(struct client *c, long long motif, long long place, const char *agent,
    const long long *users, size_t n, const char *start, long long *id)
{
	char body[1024], list[256] = "";
	size_t i, k = 0;
	json_t *o;
	long st;

	for (i = 0; i < n; i++)
		k += (size_t)snprintf(list + k, sizeof(list) - k, "%s%lld",
		    i ? "," : "", users[i]);
	if (place > 0)
		snprintf(body, sizeof(body),
		    "{\"motif_id\":%lld,\"place_id\":%lld,\"agent_ids\":"
		    "[\"%s\"],\"user_ids\":[%s],\"start_at\":\"%s\"}",
		    motif, place, agent, list, start);
	else
		snprintf(body, sizeof(body),
		    "{\"motif_id\":%lld,\"agent_ids\":[\"%s\"],"
		    "\"user_ids\":[%s],\"start_at\":\"%s\"}",
		    motif, agent, list, start);
	st = client_call(c, "POST", "/api/v1/appointments/bookings", body);
	if (st == 201 && id != NULL) {
		o = client_json(c);
		*id = json_integer_value(json_object_get(o, "id"));
		json_decref(o);
	}
	return st;
}

static long
set_status(struct client *c, long long id, const char *status)
{
	char path[96], body[64];

	snprintf(path, sizeof(path),
	    "/api/v1/appointments/bookings/%lld/status", id);
	snprintf(body, sizeof(body), "{\"status\":\"%s\"}", status);
	return client_call(c, "POST", path, body);
}

/* Whether the free slots of path offer start (for agent, when given). */
static int
offered(struct client *c, const char *path, const char *start,
    const char *agent)
{
	json_t *o = get_json(c, path), *v, *a;
	size_t i, k;
	int found = 0;

	json_array_foreach (json_object_get(o, "slots"), i, v) {
		if (strcmp(json_string_value(json_object_get(v, "start_at")),
			start) != 0)
			continue;
		if (agent == NULL) {
			found = 1;
			continue;
		}
		json_array_foreach (json_object_get(v, "agent_ids"), k, a)
			found |= strcmp(json_string_value(a), agent) == 0;
	}
	json_decref(o);
	return found;
}

/*
 * « Nouvel usager » by an agent: checked fields, sealed, found by last
 * name and birth date, email or phone (whatever their case or spacing),
 * a relative linked to them; bad input names the field.
 */
static void
test_users_and_relatives(void **state)
{
	long long u, r;
	json_t *o;
	char path[160];

	(void)state;
	u = create_user(&martin.c,
	    "{\"last_name\":\"Lefebvre\",\"first_names\":\"Nadia\","
	    "\"birth_date\":\"1985-04-12\",\"email\":\"nadia@exemple.fr\","
	    "\"phone\":\"06 12 34 56 78\",\"address\":\"4 rue des Lilas,"
	    " 44000 Nantes\",\"caf_number\":\"1234567\",\"family_situation\":"
	    "\"marie\",\"children\":2,\"notes\":\"Préfère le matin\"}");
	snprintf(path, sizeof(path),
	    "{\"last_name\":\"Lefebvre\","
	    "\"first_names\":\"Léo\",\"birth_date\":"
	    "\"2015-09-01\",\"responsible_id\":%lld}",
	    u);
	r = create_user(&martin.c, path);
	snprintf(path, sizeof(path), "/api/v1/appointments/users/%lld", u);
	o = get_json(&martin.c, path);
	assert_string_equal(json_string_value(
				json_object_get(o, "first_names")),
	    "Nadia");
	assert_string_equal(json_string_value(json_object_get(o, "address")),
	    "4 rue des Lilas, 44000 Nantes");
	assert_int_equal(json_integer_value(
			     json_array_get(json_object_get(o, "relative_ids"),
				 0)),
	    r);
	json_decref(o);
	/* Found by each blind index, not by a part of a name. */
	get_ok(&martin.c,
	    "/api/v1/appointments/users?"
	    "last_name=LEFEBVRE&birth_date="
	    "1985-04-12");
	assert_non_null(strstr(martin.c.body, "Nadia"));
	get_ok(&martin.c, "/api/v1/appointments/users?phone=%2B33612345678");
	assert_non_null(strstr(martin.c.body, "Nadia"));
	get_ok(&martin.c, "/api/v1/appointments/users?email=Nadia@Exemple.fr");
	assert_non_null(strstr(martin.c.body, "Nadia"));
	get_ok(&martin.c, "/api/v1/appointments/users?last_name=Lefeb");
	assert_string_equal(martin.c.body, "{\"users\":[]}");
	/* Refusals name the field. */
	assert_int_equal(client_call(&martin.c, "POST",
			     "/api/v1/appointments/users",
			     "{\"last_name\":\"X\",\"first_names\":\"Y\","
			     "\"birth_date\":\"1985-02-30\"}"),
	    422);
	assert_string_equal(client_code(&martin.c), "PARAMETRE_INVALIDE");
	assert_non_null(strstr(martin.c.body, "birth_date"));
	assert_int_equal(client_call(&martin.c, "POST",
			     "/api/v1/appointments/users",
			     "{\"first_names\":\"Y\"}"),
	    422);
	assert_non_null(strstr(martin.c.body, "last_name"));
	/* A relative of a relative is refused. */
	snprintf(path, sizeof(path),
	    "{\"last_name\":\"Z\",\"first_names\":"
	    "\"Z\",\"responsible_id\":%lld}",
	    r);
	assert_int_equal(client_call(&martin.c, "POST",
			     "/api/v1/appointments/users", path),
	    404);
	assert_string_equal(client_code(&martin.c), "USAGER_INCONNU");
}

/*
 * An agent edits a user's record: every field replaced (one left out is
 * emptied), checked as on creation with the field named, the searches
 * by the old email and name finding it no more and by the new ones
 * finding it; audited with the names of the fields changed, never their
 * values; a relative stays a relative.
 */
static void
test_agent_edits_user(void **state)
{
	long long u, r;
	char path[160], body[512], out[64];
	json_t *o;

	(void)state;
	u = create_user(&martin.c,
	    "{\"last_name\":\"Giraud\",\"first_names\":\"Inès\","
	    "\"birth_date\":\"1990-06-15\",\"email\":\"ines@exemple.fr\","
	    "\"phone\":\"06 98 76 54 32\",\"notes\":\"Rappeler le lundi\"}");
	snprintf(body, sizeof(body),
	    "{\"last_name\":\"Giraud\",\"first_names\":\"Lou\","
	    "\"responsible_id\":%lld}",
	    u);
	r = create_user(&martin.c, body);
	snprintf(path, sizeof(path), "/api/v1/appointments/users/%lld", u);
	/* Refusals name the field; nothing changes. */
	assert_int_equal(client_call(&martin.c, "PUT", path,
			     "{\"last_name\":\"Giraud-Morel\",\"first_names\":"
			     "\"Inès\",\"birth_date\":\"15/06/1990\"}"),
	    422);
	assert_string_equal(client_code(&martin.c), "PARAMETRE_INVALIDE");
	o = client_json(&martin.c);
	assert_string_equal(json_string_value(json_object_get(o, "field")),
	    "birth_date");
	json_decref(o);
	assert_int_equal(client_call(&martin.c, "PUT", path,
			     "{\"last_name\":\"\",\"first_names\":\"Inès\"}"),
	    422);
	o = client_json(&martin.c);
	assert_string_equal(json_string_value(json_object_get(o, "field")),
	    "last_name");
	json_decref(o);
	assert_int_equal(client_call(&martin.c, "PUT", path,
			     "{\"last_name\":\"Giraud\",\"first_names\":"
			     "\"Inès\",\"email\":\"pas-une-adresse\"}"),
	    422);
	o = client_json(&martin.c);
	assert_string_equal(json_string_value(json_object_get(o, "field")),
	    "email");
	json_decref(o);
	/* The responsible user is not changed here. */
	snprintf(body, sizeof(body),
	    "{\"last_name\":\"Giraud\",\"first_names\":\"Inès\","
	    "\"responsible_id\":%lld}",
	    r);
	assert_int_equal(client_call(&martin.c, "PUT", path, body), 422);
	assert_non_null(strstr(martin.c.body, "responsible_id"));
	/* Married: a new name, email and phone; the notes left out. */
	assert_int_equal(
	    client_call(&martin.c, "PUT", path,
		"{\"last_name\":\"Giraud-Morel\",\"birth_name\":"
		"\"Giraud\",\"first_names\":\"Inès\",\"birth_date\":"
		"\"1990-06-15\",\"email\":\"ines.morel@exemple.fr\","
		"\"phone\":\"+33611223344\",\"family_situation\":"
		"\"marie\",\"children\":1}"),
	    200);
	o = client_json(&martin.c);
	assert_string_equal(json_string_value(json_object_get(o, "last_name")),
	    "Giraud-Morel");
	assert_string_equal(json_string_value(json_object_get(o, "email")),
	    "ines.morel@exemple.fr");
	assert_string_equal(json_string_value(json_object_get(o, "children")),
	    "1");
	assert_true(json_is_null(json_object_get(o, "notes")));
	json_decref(o);
	o = get_json(&martin.c, path);
	assert_string_equal(json_string_value(json_object_get(o, "birth_name")),
	    "Giraud");
	assert_int_equal(json_integer_value(
			     json_array_get(json_object_get(o, "relative_ids"),
				 0)),
	    r);
	json_decref(o);
	/* The blind indexes follow. */
	get_ok(&martin.c, "/api/v1/appointments/users?email=ines@exemple.fr");
	assert_string_equal(martin.c.body, "{\"users\":[]}");
	get_ok(&martin.c, "/api/v1/appointments/users?phone=0698765432");
	assert_string_equal(martin.c.body, "{\"users\":[]}");
	get_ok(&martin.c,
	    "/api/v1/appointments/users?email=Ines.Morel@exemple.fr");
	assert_non_null(strstr(martin.c.body, "Giraud-Morel"));
	get_ok(&martin.c,
	    "/api/v1/appointments/users?phone=06%2011%2022%2033%2044");
	assert_non_null(strstr(martin.c.body, "Giraud-Morel"));
	get_ok(&martin.c,
	    "/api/v1/appointments/users?last_name=giraud-morel&birth_date="
	    "1990-06-15");
	assert_non_null(strstr(martin.c.body, "Giraud-Morel"));
	get_ok(&martin.c,
	    "/api/v1/appointments/users?last_name=Giraud&birth_date="
	    "1990-06-15");
	assert_null(strstr(martin.c.body, "Inès"));
	/* The relative is edited the same way and stays a relative. */
	snprintf(path, sizeof(path), "/api/v1/appointments/users/%lld", r);
	assert_int_equal(client_call(&martin.c, "PUT", path,
			     "{\"last_name\":\"Giraud-Morel\",\"first_names\":"
			     "\"Lou\",\"birth_date\":\"2019-02-03\"}"),
	    200);
	o = client_json(&martin.c);
	assert_int_equal(json_integer_value(
			     json_object_get(o, "responsible_id")),
	    u);
	json_decref(o);
	/* The audit names the fields, never the values. */
	get_ok(&dpo.c, "/api/v1/audit?action=appt_user.update");
	snprintf(out, sizeof(out), "\"%lld\"", u);
	assert_non_null(strstr(dpo.c.body, out));
	assert_non_null(strstr(dpo.c.body, "last_name"));
	assert_non_null(strstr(dpo.c.body, "notes"));
	assert_null(strstr(dpo.c.body, "Morel"));
	assert_null(strstr(dpo.c.body, "exemple"));
	/* Unknown records. */
	assert_int_equal(client_call(&martin.c, "PUT",
			     "/api/v1/appointments/users/999999",
			     "{\"last_name\":\"X\",\"first_names\":\"Y\"}"),
	    404);
	assert_string_equal(client_code(&martin.c), "USAGER_INCONNU");
}

/*
 * Booking by an agent in a free slot: the slot is no longer offered;
 * the agent and the user cannot be booked twice at that time; outside
 * opening hours is refused; cancelling frees the slot; a move is checked
 * like a booking.
 */
static void
test_booking_rules(void **state)
{
	char start[40], other[40], late[40], path[256];
	long long u1, u2, id, id2;

	(void)state;
	u1 = create_user(&martin.c,
	    "{\"last_name\":\"Bernard\",\"first_names\":\"Ana\"}");
	u2 = create_user(&martin.c,
	    "{\"last_name\":\"Robert\",\"first_names\":\"Eli\"}");
	/* The demo data books the social service agents at 09:00 and 10:30
	 * on weekdays: 09:45 and 11:15 are free (45-minute motif). */
	paris(7, 9 * 60 + 45, start, sizeof(start)); /* next Monday 09:45 */
	paris(7, 11 * 60 + 15, other, sizeof(other));
	paris(7, 20 * 60, late, sizeof(late));
	snprintf(path, sizeof(path),
	    "/api/v1/appointments/free-slots?motif_id=%lld&place_id=%lld"
	    "&from=%.11s00:00:00Z&to=%.11s23:00:00Z",
	    motif_accueil, place_nord, start, start);
	assert_true(offered(&martin.c, path, start, martin_id));
	assert_int_equal(book(&martin.c, motif_accueil, place_nord, martin_id,
			     &u1, 1, start, &id),
	    201);
	assert_false(offered(&martin.c, path, start, martin_id));
	/* The agent is taken. */
	assert_int_equal(book(&martin.c, motif_accueil, place_nord, martin_id,
			     &u2, 1, start, NULL),
	    409);
	assert_string_equal(client_code(&martin.c), "CRENEAU_DEJA_PRIS");
	/* The user is taken (another agent, same time). */
	assert_int_equal(book(&martin.c, motif_accueil, place_reze, roche_id,
			     &u1, 1, start, NULL),
	    422);
	assert_string_equal(client_code(&martin.c), "USAGER_DEJA_EN_RDV");
	/* Outside the opening hours. */
	assert_int_equal(book(&martin.c, motif_accueil, place_nord, martin_id,
			     &u2, 1, late, NULL),
	    422);
	assert_string_equal(client_code(&martin.c), "HORS_PLAGE_OUVERTURE");
	/* The wrong place for the agent's plage is outside its hours. */
	assert_int_equal(book(&martin.c, motif_accueil, place_reze, martin_id,
			     &u2, 1, other, NULL),
	    422);
	/* Moving onto a taken time is refused; onto a free one works. */
	assert_int_equal(book(&martin.c, motif_accueil, place_nord, martin_id,
			     &u2, 1, other, &id2),
	    201);
	snprintf(path, sizeof(path), "/api/v1/appointments/bookings/%lld/move",
	    id2);
	snprintf(late, sizeof(late), "%s", start);
	{
		char body[96];

		snprintf(body, sizeof(body), "{\"start_at\":\"%s\"}", start);
		assert_int_equal(client_call(&martin.c, "POST", path, body),
		    409);
		paris(8, 15 * 60, other, sizeof(other)); /* Tuesday 15:00 */
		snprintf(body, sizeof(body), "{\"start_at\":\"%s\"}", other);
		assert_int_equal(client_call(&martin.c, "POST", path, body),
		    200);
	}
	/* The agent cancels: the slot is free again; a cancelled one is
	 * final. */
	assert_int_equal(set_status(&martin.c, id, "annule_agent"), 200);
	snprintf(path, sizeof(path),
	    "/api/v1/appointments/free-slots?motif_id=%lld&place_id=%lld"
	    "&from=%.11s00:00:00Z&to=%.11s23:00:00Z",
	    motif_accueil, place_nord, start, start);
	assert_true(offered(&martin.c, path, start, martin_id));
	assert_int_equal(set_status(&martin.c, id, "a_venir"), 422);
	assert_string_equal(client_code(&martin.c), "RDV_DEJA_ANNULE");
	/* « vu » before the start is refused. */
	assert_int_equal(set_status(&martin.c, id2, "vu"), 422);
	assert_string_equal(client_code(&martin.c), "RDV_NON_COMMENCE");
	/* The appointment is listed in the agent's calendar. */
	snprintf(path, sizeof(path),
	    "/api/v1/appointments/bookings?from=%.11s00:00:00Z&to=%.11s23:00:"
	    "00Z&agent_id=%s",
	    start, start, martin_id);
	get_ok(&martin.c, path);
	assert_non_null(strstr(martin.c.body, "annule_agent"));
	assert_non_null(strstr(martin.c.body, "a_venir"));
	/* The user's file: their appointments and their relatives', each
	 * with the record it is for. */
	{
		char body[160];
		long long rel, rid = 0, got2 = 0, gotr = 0;
		json_t *o, *v;
		size_t i;

		snprintf(body, sizeof(body),
		    "{\"last_name\":\"Robert\",\"first_names\":\"Noé\","
		    "\"responsible_id\":%lld}",
		    u2);
		rel = create_user(&martin.c, body);
		assert_int_equal(book(&martin.c, motif_accueil, place_reze,
				     roche_id, &rel, 1, start, &rid),
		    201);
		snprintf(path, sizeof(path),
		    "/api/v1/appointments/users/%lld/appointments", u2);
		o = get_json(&roche.c, path);
		json_array_foreach (json_object_get(o, "appointments"), i, v) {
			long long aid =
			    json_integer_value(json_object_get(v, "id"));
			long long who =
			    json_integer_value(json_object_get(v, "user_id"));

			got2 += aid == id2 && who == u2;
			gotr += aid == rid && who == rel;
		}
		assert_int_equal(json_array_size(
				     json_object_get(o, "appointments")),
		    2);
		assert_int_equal(got2, 1);
		assert_int_equal(gotr, 1);
		json_decref(o);
		/* A relative's file is theirs alone. */
		snprintf(path, sizeof(path),
		    "/api/v1/appointments/users/%lld/appointments", rel);
		o = get_json(&martin.c, path);
		assert_int_equal(json_array_size(
				     json_object_get(o, "appointments")),
		    1);
		json_decref(o);
		assert_int_equal(client_call(&martin.c, "GET",
				     "/api/v1/appointments/users/999999999/"
				     "appointments",
				     NULL),
		    404);
		assert_string_equal(client_code(&martin.c), "USAGER_INCONNU");
	}
}

/* One racer: its own connection (a copy of the agent's session). */
struct racer {
	struct client c;
	const char *body;
	long status;
	pthread_barrier_t *go;
};

static void *
race_one(void *arg)
{
	struct racer *r = arg;

	pthread_barrier_wait(r->go);
	r->status = client_call(&r->c, "POST", "/api/v1/appointments/bookings",
	    r->body);
	return NULL;
}

/* Runs RACERS concurrent bookings of bodies; returns how many got 201
 * and writes the winner's id into *id. */
static int
race(char bodies[RACERS][512], long long *id)
{
	struct racer r[RACERS];
	pthread_t t[RACERS];
	pthread_barrier_t go;
	json_t *o;
	int wins = 0, i;

	struct curl_slist *jar = NULL, *l;

	assert_int_equal(curl_easy_getinfo(martin.c.curl, CURLINFO_COOKIELIST,
			     &jar),
	    CURLE_OK);
	pthread_barrier_init(&go, NULL, RACERS);
	for (i = 0; i < RACERS; i++) {
		r[i].c = martin.c;
		r[i].c.curl = curl_easy_duphandle(martin.c.curl);
		for (l = jar; l != NULL; l = l->next)
			curl_easy_setopt(r[i].c.curl, CURLOPT_COOKIELIST,
			    l->data);
		r[i].body = bodies[i];
		r[i].go = &go;
		assert_int_equal(pthread_create(&t[i], NULL, race_one, &r[i]),
		    0);
	}
	for (i = 0; i < RACERS; i++) {
		pthread_join(t[i], NULL);
		if (r[i].status == 201) {
			wins++;
			o = client_json(&r[i].c);
			*id = json_integer_value(json_object_get(o, "id"));
			json_decref(o);
		} else if (r[i].status != 409 && r[i].status != 422) {
			fprintf(stderr, "race: %ld %s\n", r[i].status,
			    r[i].c.body);
			fail();
		}
		curl_easy_cleanup(r[i].c.curl);
	}
	pthread_barrier_destroy(&go);
	curl_slist_free_all(jar);
	return wins;
}

/*
 * No double booking under concurrent requests, 100 times: RACERS agents'
 * requests for the same agent and time with different users, exactly
 * one wins (then it is cancelled for the next round); the same user
 * with different agents at the same time, exactly one wins; a
 * collective session one seat short of full, exactly one joins.
 */
static void
test_races(void **state)
{
	char bodies[RACERS][512], start[40], body[128];
	long long users[RACERS], id = 0, sess = 0, many[12];
	int i, k;

	(void)state;
	for (i = 0; i < RACERS; i++) {
		snprintf(body, sizeof(body),
		    "{\"last_name\":\"Course%d\",\"first_names\":\"R\"}", i);
		users[i] = create_user(&martin.c, body);
	}
	paris(8, 15 * 60 + 45, start, sizeof(start)); /* next Tuesday 15:45 */
	for (i = 0; i < RACERS; i++)
		snprintf(bodies[i], sizeof(bodies[i]),
		    "{\"motif_id\":%lld,\"place_id\":%lld,\"agent_ids\":"
		    "[\"%s\"],\"user_ids\":[%lld],\"start_at\":\"%s\"}",
		    motif_accueil, place_nord, martin_id, users[i], start);
	for (k = 0; k < RACES; k++) {
		assert_int_equal(race(bodies, &id), 1);
		assert_int_equal(set_status(&martin.c, id, "annule_agent"),
		    200);
	}
	/* The same user, two agents (the others refused as taken). */
	paris(8, 16 * 60 + 15, start, sizeof(start)); /* Tuesday 16:15 */
	for (i = 0; i < RACERS; i++)
		snprintf(bodies[i], sizeof(bodies[i]),
		    "{\"motif_id\":%lld,\"place_id\":%lld,\"agent_ids\":"
		    "[\"%s\"],\"user_ids\":[%lld],\"start_at\":\"%s\"}",
		    motif_accueil, i % 2 ? place_reze : place_nord,
		    i % 2 ? roche_id : martin_id, users[0], start);
	for (k = 0; k < 10; k++) {
		assert_int_equal(race(bodies, &id), 1);
		assert_int_equal(set_status(&martin.c, id, "annule_agent"),
		    200);
	}
	/* A collective workshop (12 seats) with 11 taken. */
	for (i = 0; i < 12; i++) {
		snprintf(body, sizeof(body),
		    "{\"last_name\":\"Atelier%d\",\"first_names\":\"A\"}", i);
		many[i] = create_user(&martin.c, body);
	}
	paris(9, 9 * 60, start, sizeof(start)); /* next Wednesday 09:00 */
	assert_int_equal(book(&martin.c, motif_atelier, place_reze, roche_id,
			     many, 11, start, &sess),
	    201);
	for (i = 0; i < RACERS; i++)
		snprintf(bodies[i], sizeof(bodies[i]),
		    "{\"motif_id\":%lld,\"user_ids\":[%lld],\"join_id\":%lld}",
		    motif_atelier, i == 0 ? many[11] : users[i], sess);
	assert_int_equal(race(bodies, &id), 1);
	assert_int_equal(id, sess);
	assert_int_equal(client_call(&martin.c, "POST",
			     "/api/v1/appointments/bookings", bodies[1]),
	    409);
	assert_string_equal(client_code(&martin.c), "CAPACITE_ATTEINTE");
}

/*
 * Online booking by a user: the public sees online motifs and free
 * slots (no agent named), holds one (the slot then is no longer
 * offered), confirms once signed in (a « nouvel usager » record linked
 * to the account), lists and cancels up to the deadline; an expired or
 * unknown hold is refused.
 */
static void
test_online_booking(void **state)
{
	char start[40], path[320], body[512], token[80];
	struct client pub;
	json_t *o, *sv;
	long long id;
	size_t i;

	(void)state;
	client_init(&pub, srv.port);
	snprintf(path, sizeof(path),
	    "/api/v1/public/appointments/motifs?org_id=%s", org_id);
	get_ok(&pub, path);
	assert_non_null(strstr(pub.body, "Premier accueil social"));
	assert_null(strstr(pub.body, "Visite à domicile\""));
	/* The booking pages name the services the motifs belong to. */
	o = json_loads(pub.body, 0, NULL);
	id = 0;
	json_array_foreach (json_object_get(o, "services"), i, sv)
		id += strcmp(json_string_value(json_object_get(sv, "name")),
			  "Service social") == 0;
	assert_int_equal(id, 1);
	json_decref(o);
	paris(10, 9 * 60, start, sizeof(start)); /* next Thursday 09:00 */
	snprintf(path, sizeof(path),
	    "/api/v1/public/appointments/free-slots?org_id=%s&motif_id=%lld"
	    "&place_id=%lld&from=%.11s00:00:00Z&to=%.11s23:00:00Z",
	    org_id, motif_accueil, place_nord, start, start);
	assert_true(offered(&pub, path, start, NULL));
	assert_null(strstr(pub.body, "agent_ids"));
	snprintf(body, sizeof(body),
	    "{\"org_id\":\"%s\",\"motif_id\":%lld,\"place_id\":%lld,"
	    "\"start_at\":\"%s\"}",
	    org_id, motif_accueil, place_nord, start);
	/* Every agent of the place gets held, one hold each. */
	assert_int_equal(client_call(&pub, "POST",
			     "/api/v1/public/appointments/holds", body),
	    201);
	o = client_json(&pub);
	snprintf(token, sizeof(token), "%s",
	    json_string_value(json_object_get(o, "hold_token")));
	json_decref(o);
	while (client_call(&pub, "POST", "/api/v1/public/appointments/holds",
		   body) == 201)
		;
	assert_string_equal(client_code(&pub), "CRENEAU_DEJA_PRIS");
	assert_false(offered(&pub, path, start, NULL));
	/* Confirmation: an unknown token, then the right one. */
	assert_int_equal(
	    client_call(&camille.c, "POST", "/api/v1/me/appointments",
		"{\"hold_token\":\"00000000000000000000000000000000"
		"00000000000000000000000000000000\"}"),
	    410);
	assert_string_equal(client_code(&camille.c), "RESERVATION_EXPIREE");
	snprintf(body, sizeof(body),
	    "{\"hold_token\":\"%s\",\"user\":{\"last_name\":\"Durand\","
	    "\"first_names\":\"Camille\",\"email\":\"camille@exemple.fr\","
	    "\"address\":\"1 rue Neuve, 44000 Nantes\"}}",
	    token);
	assert_int_equal(client_call(&camille.c, "POST",
			     "/api/v1/me/appointments", body),
	    201);
	o = client_json(&camille.c);
	id = json_integer_value(json_object_get(o, "id"));
	json_decref(o);
	assert_int_equal(client_call(&camille.c, "POST",
			     "/api/v1/me/appointments", body),
	    410);
	get_ok(&camille.c, "/api/v1/me/appointments");
	assert_non_null(strstr(camille.c.body, "\"a_venir\""));
	/* The agent sees it, created online. */
	snprintf(path, sizeof(path), "/api/v1/appointments/bookings/%lld", id);
	o = get_json(&martin.c, path);
	assert_non_null(strstr(martin.c.body, "\"online\""));
	camille_rec = json_integer_value(
	    json_array_get(json_object_get(o, "user_ids"), 0));
	json_decref(o);
	assert_true(camille_rec > 0);
	/* The user's export holds the record and the appointment. */
	get_ok(&camille.c, "/api/v1/me/export");
	assert_non_null(strstr(camille.c.body, "Fiche usager"));
	assert_non_null(strstr(camille.c.body, "\"Rendez-vous\""));
	/* The user cancels (days before the deadline). */
	snprintf(path, sizeof(path),
	    "/api/v1/me/appointments/%lld/cancellation", id);
	assert_int_equal(client_call(&camille.c, "POST", path, NULL), 200);
	assert_int_equal(client_call(&camille.c, "POST", path, NULL), 422);
	assert_string_equal(client_code(&camille.c), "RDV_DEJA_ANNULE");
	client_free(&pub);
}

/* Expects status want with code (and field when given) from c. */
static void
expect(struct client *c, long status, long want, const char *code,
    const char *field)
{
	if (status != want || strcmp(client_code(c), code) != 0)
		fail_msg("expected %ld %s, got %ld %s", want, code, status,
		    c->body);
	if (field != NULL) {
		json_t *o = client_json(c);
		const char *f = json_string_value(json_object_get(o, "field"));

		if (f == NULL || strcmp(f, field) != 0)
			fail_msg("expected field %s: %s", field, c->body);
		json_decref(o);
	}
}

/* A plage of agent at place for motif on next week's Saturday,
 * 10:00-12:00. */
static void
saturday_plage(const char *agent, long long place, long long motif)
{
	char day[40], body[512];

	paris(12, 10 * 60, day, sizeof(day));
	snprintf(body, sizeof(body),
	    "{\"agent_id\":\"%s\",\"place_id\":%lld,\"first_day\":"
	    "\"%.10s\",\"last_day\":\"%.10s\",\"weekdays\":[6],"
	    "\"start_time\":\"10:00\",\"end_time\":\"12:00\","
	    "\"motif_ids\":[%lld]}",
	    agent, place, day, day, motif);
	if (client_call(&admin.c, "POST", "/api/v1/appointments/plages",
		body) != 201)
		fail_msg("plage: %s", admin.c.body);
}

/*
 * A place's rooms: with one room, two agents cannot both receive there at
 * once (LIEU_COMPLET, 409, on booking, move and online hold; the time is
 * no longer offered), touching appointments fit, a cancellation frees the
 * room, a second room lets both in; concurrent bookings of two agents
 * for the last room, exactly one wins, 20 times.
 */
static void
test_place_rooms(void **state)
{
	char at10[40], at1045[40], path[400], body[512];
	char bodies[RACERS][512];
	long long place, u[RACERS], id1, id2, id3, id = 0;
	json_t *o, *v;
	size_t i;
	int k;

	(void)state;
	assert_int_equal(client_call(&admin.c, "POST",
			     "/api/v1/appointments/places",
			     "{\"name\":\"Bureau unique\",\"address\":\"2 place"
			     " du Marché, 44400 Rezé\",\"rooms\":1001}"),
	    422);
	expect(&admin.c, 422, 422, "out_of_range", "rooms");
	assert_int_equal(client_call(&admin.c, "POST",
			     "/api/v1/appointments/places",
			     "{\"name\":\"Bureau unique\",\"address\":\"2 place"
			     " du Marché, 44400 Rezé\",\"rooms\":1}"),
	    201);
	o = client_json(&admin.c);
	place = json_integer_value(json_object_get(o, "id"));
	assert_int_equal(json_integer_value(json_object_get(o, "rooms")), 1);
	json_decref(o);
	saturday_plage(martin_id, place, motif_accueil);
	saturday_plage(roche_id, place, motif_accueil);
	for (k = 0; k < RACERS; k++) {
		snprintf(body, sizeof(body),
		    "{\"last_name\":\"Salle%d\",\"first_names\":\"S\"}", k);
		u[k] = create_user(&martin.c, body);
	}
	paris(12, 10 * 60, at10, sizeof(at10));
	paris(12, 10 * 60 + 45, at1045, sizeof(at1045));
	assert_int_equal(book(&martin.c, motif_accueil, place, martin_id, &u[0],
			     1, at10, &id1),
	    201);
	/* Roche is free, the room is not. */
	expect(&martin.c,
	    book(&martin.c, motif_accueil, place, roche_id, &u[1], 1, at10,
		NULL),
	    409, "LIEU_COMPLET", "start_at");
	snprintf(path, sizeof(path),
	    "/api/v1/appointments/free-slots?motif_id=%lld&place_id=%lld"
	    "&from=%.11s00:00:00Z&to=%.11s23:00:00Z",
	    motif_accueil, place, at10, at10);
	assert_false(offered(&martin.c, path, at10, NULL));
	assert_true(offered(&martin.c, path, at1045, roche_id));
	snprintf(path, sizeof(path),
	    "/api/v1/public/appointments/free-slots?org_id=%s&motif_id=%lld"
	    "&place_id=%lld&from=%.11s00:00:00Z&to=%.11s23:00:00Z",
	    org_id, motif_accueil, place, at10, at10);
	assert_false(offered(&camille.c, path, at10, NULL));
	snprintf(body, sizeof(body),
	    "{\"org_id\":\"%s\",\"motif_id\":%lld,\"place_id\":%lld,"
	    "\"start_at\":\"%s\"}",
	    org_id, motif_accueil, place, at10);
	expect(&camille.c,
	    client_call(&camille.c, "POST", "/api/v1/public/appointments/holds",
		body),
	    409, "LIEU_COMPLET", "start_at");
	/* Touching: 10:45 once the first ends. */
	assert_int_equal(book(&martin.c, motif_accueil, place, roche_id, &u[1],
			     1, at1045, &id2),
	    201);
	/* Moving the first onto the second's time finds no room. */
	snprintf(path, sizeof(path), "/api/v1/appointments/bookings/%lld/move",
	    id1);
	snprintf(body, sizeof(body), "{\"start_at\":\"%s\"}", at1045);
	expect(&martin.c, client_call(&martin.c, "POST", path, body), 409,
	    "LIEU_COMPLET", "start_at");
	/* Cancelled, it frees the room. */
	assert_int_equal(set_status(&martin.c, id1, "annule_agent"), 200);
	assert_int_equal(book(&martin.c, motif_accueil, place, roche_id, &u[2],
			     1, at10, &id3),
	    201);
	expect(&martin.c,
	    book(&martin.c, motif_accueil, place, martin_id, &u[0], 1, at10,
		NULL),
	    409, "LIEU_COMPLET", "start_at");
	/* A second room. */
	snprintf(path, sizeof(path), "/api/v1/appointments/places/%lld", place);
	assert_int_equal(client_call(&admin.c, "PUT", path,
			     "{\"name\":\"Bureau unique\",\"address\":\"2 place"
			     " du Marché, 44400 Rezé\",\"rooms\":2}"),
	    200);
	o = get_json(&martin.c, "/api/v1/appointments/places");
	k = 0;
	json_array_foreach (json_object_get(o, "places"), i, v) {
		if (json_integer_value(json_object_get(v, "id")) == place)
			k = (int)json_integer_value(
			    json_object_get(v, "rooms"));
	}
	json_decref(o);
	assert_int_equal(k, 2);
	assert_int_equal(book(&martin.c, motif_accueil, place, martin_id, &u[0],
			     1, at10, &id1),
	    201);
	assert_int_equal(set_status(&martin.c, id1, "annule_agent"), 200);
	assert_int_equal(set_status(&martin.c, id3, "annule_agent"), 200);
	assert_int_equal(set_status(&martin.c, id2, "annule_agent"), 200);
	/* Back to one room: the agents race for it at 11:15. */
	assert_int_equal(client_call(&admin.c, "PUT", path,
			     "{\"name\":\"Bureau unique\",\"address\":\"2 place"
			     " du Marché, 44400 Rezé\",\"rooms\":1}"),
	    200);
	paris(12, 11 * 60 + 15, at10, sizeof(at10));
	for (k = 0; k < RACERS; k++)
		snprintf(bodies[k], sizeof(bodies[k]),
		    "{\"motif_id\":%lld,\"place_id\":%lld,\"agent_ids\":"
		    "[\"%s\"],\"user_ids\":[%lld],\"start_at\":\"%s\"}",
		    motif_accueil, place, k % 2 ? roche_id : martin_id, u[k],
		    at10);
	for (k = 0; k < 20; k++) {
		assert_int_equal(race(bodies, &id), 1);
		assert_int_equal(set_status(&martin.c, id, "annule_agent"),
		    200);
	}
	/* Gone again, so the directory's demo places stay four. */
	snprintf(path, sizeof(path),
	    "/api/v1/appointments/places/%lld/archival", place);
	assert_int_equal(client_call(&admin.c, "POST", path, NULL), 200);
}

/* The public sessions of the workshop over day (a Paris date-time); the
 * seats left of session into *left (-1 when not listed). */
static void
sessions_of(struct client *c, const char *day, long long session, long *left)
{
	char path[320];
	json_t *o, *v;
	size_t i;

	snprintf(path, sizeof(path),
	    "/api/v1/public/appointments/sessions?org_id=%s&motif_id=%lld"
	    "&from=%.11s00:00:00Z&to=%.11s23:00:00Z",
	    org_id, motif_atelier, day, day);
	o = get_json(c, path);
	*left = -1;
	json_array_foreach (json_object_get(o, "sessions"), i, v) {
		if (json_integer_value(json_object_get(v, "id")) == session)
			*left = (long)json_integer_value(
			    json_object_get(v, "seats_left"));
	}
	json_decref(o);
}

/* Holds a seat in session; returns the status, the token into token. */
static long
hold_seat(struct client *c, long long session, char token[80])
{
	char body[160];
	json_t *o;
	long st;

	snprintf(body, sizeof(body), "{\"org_id\":\"%s\",\"session_id\":%lld}",
	    org_id, session);
	st = client_call(c, "POST", "/api/v1/public/appointments/holds", body);
	if (st == 201) {
		o = client_json(c);
		snprintf(token, 80, "%s",
		    json_string_value(json_object_get(o, "hold_token")));
		json_decref(o);
	}
	return st;
}

/*
 * A seat in a collective session booked online: the public lists the
 * sessions to come with the seats left; a seat held counts until it is
 * confirmed or expires, for the public and for the agents alike
 * (CAPACITE_ATTEINTE); confirming joins the session and shows it in
 * « Mes rendez-vous »; a collective motif is not held by time, nor an
 * individual appointment as a session.
 */
static void
test_collective_online(void **state)
{
	char day[40], body[512], t1[80], t2[80], t3[80];
	long long many[11], sess = 0, single = 0;
	struct client pub;
	long left;
	int i;

	(void)state;
	client_init(&pub, srv.port);
	for (i = 0; i < 11; i++) {
		snprintf(body, sizeof(body),
		    "{\"last_name\":\"Groupe%d\",\"first_names\":\"G\"}", i);
		many[i] = create_user(&martin.c, body);
	}
	paris(16, 9 * 60, day, sizeof(day)); /* Wednesday in two weeks */
	if (book(&martin.c, motif_atelier, place_reze, roche_id, many, 10, day,
		&sess) != 201)
		fail_msg("session: %s", martin.c.body);
	sessions_of(&pub, day, sess, &left);
	assert_int_equal(left, 2);
	assert_int_equal(hold_seat(&pub, sess, t1), 201);
	assert_int_equal(hold_seat(&pub, sess, t2), 201);
	sessions_of(&pub, day, sess, &left);
	assert_int_equal(left, 0);
	expect(&pub, hold_seat(&pub, sess, t3), 409, "CAPACITE_ATTEINTE",
	    "session_id");
	/* The agents count the seats held too. */
	snprintf(body, sizeof(body),
	    "{\"motif_id\":%lld,\"user_ids\":[%lld],\"join_id\":%lld}",
	    motif_atelier, many[10], sess);
	expect(&martin.c,
	    client_call(&martin.c, "POST", "/api/v1/appointments/bookings",
		body),
	    409, "CAPACITE_ATTEINTE", NULL);
	/* Confirmed once signed in: the user joins the session. */
	snprintf(body, sizeof(body),
	    "{\"hold_token\":\"%s\",\"user\":{\"last_name\":\"Durand\","
	    "\"first_names\":\"Camille\"}}",
	    t1);
	assert_int_equal(client_call(&camille.c, "POST",
			     "/api/v1/me/appointments", body),
	    201);
	{
		json_t *o = client_json(&camille.c);

		assert_int_equal(json_integer_value(json_object_get(o, "id")),
		    sess);
		json_decref(o);
	}
	sessions_of(&pub, day, sess, &left);
	assert_int_equal(left, 0); /* 11 in, 1 held */
	get_ok(&camille.c, "/api/v1/me/appointments");
	snprintf(body, sizeof(body), "\"id\":%lld", sess);
	assert_non_null(strstr(camille.c.body, body));
	/* Leaving it frees a seat for the next one. */
	snprintf(body, sizeof(body),
	    "/api/v1/me/appointments/%lld/cancellation", sess);
	assert_int_equal(client_call(&camille.c, "POST", body, NULL), 200);
	sessions_of(&pub, day, sess, &left);
	assert_int_equal(left, 1);
	assert_int_equal(hold_seat(&pub, sess, t3), 201);
	/* A collective motif is held by session, not by time. */
	snprintf(body, sizeof(body),
	    "{\"org_id\":\"%s\",\"motif_id\":%lld,\"place_id\":%lld,"
	    "\"start_at\":\"%s\"}",
	    org_id, motif_atelier, place_reze, day);
	expect(&pub,
	    client_call(&pub, "POST", "/api/v1/public/appointments/holds",
		body),
	    422, "MOTIF_COLLECTIF", "motif_id");
	/* An individual appointment is no session; nor is an individual
	 * motif listed as sessions. */
	{
		json_t *o;
		char path[320];

		paris(14, 0, day, sizeof(day)); /* Monday in two weeks */
		snprintf(path, sizeof(path),
		    "/api/v1/appointments/free-slots?motif_id=%lld&place_id="
		    "%lld&from=%.11s00:00:00Z&to=%.11s23:00:00Z",
		    motif_accueil, place_nord, day, day);
		paris(18, 0, day, sizeof(day));
		snprintf(path + strlen(path) - 20, 21, "%.11s23:00:00Z", day);
		o = get_json(&martin.c, path);
		snprintf(day, sizeof(day), "%s",
		    json_string_value(
			json_object_get(json_array_get(json_object_get(o,
							   "slots"),
					    0),
			    "start_at")));
		snprintf(body, sizeof(body), "%s",
		    json_string_value(json_array_get(
			json_object_get(json_array_get(json_object_get(o,
							   "slots"),
					    0),
			    "agent_ids"),
			0)));
		json_decref(o);
	}
	if (book(&martin.c, motif_accueil, place_nord, body, &many[10], 1, day,
		&single) != 201)
		fail_msg("single: %s", martin.c.body);
	expect(&pub, hold_seat(&pub, single, t3), 404, "RDV_INCONNU",
	    "session_id");
	snprintf(body, sizeof(body),
	    "/api/v1/public/appointments/sessions?org_id=%s&motif_id=%lld"
	    "&from=%.11s00:00:00Z&to=%.11s23:00:00Z",
	    org_id, motif_accueil, day, day);
	expect(&pub, client_call(&pub, "GET", body, NULL), 422,
	    "MOTIF_INDIVIDUEL", "motif_id");
	client_free(&pub);
}

/*
 * The user manages their relatives from their account: listed under
 * their own record with its organisation, added there only, edited
 * (the fields they set; the service's notes kept and never shown to
 * them); nobody else's record reached that way.
 */
static void
test_user_manages_relatives(void **state)
{
	long long other, r;
	char body[400], path[160];
	json_t *o, *fam;

	(void)state;
	assert_true(camille_rec > 0);
	o = get_json(&camille.c, "/api/v1/me/relatives");
	assert_int_equal(json_array_size(json_object_get(o, "families")), 1);
	fam = json_array_get(json_object_get(o, "families"), 0);
	assert_int_equal(json_integer_value(json_object_get(fam, "id")),
	    camille_rec);
	assert_string_equal(json_string_value(json_object_get(fam, "org_id")),
	    org_id);
	assert_true(
	    strlen(json_string_value(json_object_get(fam, "org_name"))) > 0);
	assert_string_equal(json_string_value(
				json_object_get(fam, "first_names")),
	    "Camille");
	assert_int_equal(json_array_size(json_object_get(fam, "relatives")), 0);
	json_decref(o);
	/* Only under one's own record; refusals name the field. */
	other = create_user(&martin.c,
	    "{\"last_name\":\"Autre\",\"first_names\":\"Alex\"}");
	snprintf(body, sizeof(body),
	    "{\"responsible_id\":%lld,\"last_name\":\"Durand\","
	    "\"first_names\":\"Lina\"}",
	    other);
	assert_int_equal(client_call(&camille.c, "POST", "/api/v1/me/relatives",
			     body),
	    404);
	assert_string_equal(client_code(&camille.c), "USAGER_INCONNU");
	snprintf(body, sizeof(body),
	    "{\"responsible_id\":%lld,\"last_name\":\"Durand\"}", camille_rec);
	assert_int_equal(client_call(&camille.c, "POST", "/api/v1/me/relatives",
			     body),
	    422);
	assert_non_null(strstr(camille.c.body, "first_names"));
	snprintf(body, sizeof(body),
	    "{\"responsible_id\":%lld,\"last_name\":\"Durand\","
	    "\"first_names\":\"Lina\",\"notes\":\"x\"}",
	    camille_rec);
	assert_int_equal(client_call(&camille.c, "POST", "/api/v1/me/relatives",
			     body),
	    422);
	assert_non_null(strstr(camille.c.body, "notes"));
	snprintf(body, sizeof(body),
	    "{\"responsible_id\":%lld,\"last_name\":\"Durand\","
	    "\"first_names\":\"Lina\",\"birth_date\":\"2018-05-04\"}",
	    camille_rec);
	assert_int_equal(client_call(&camille.c, "POST", "/api/v1/me/relatives",
			     body),
	    201);
	o = client_json(&camille.c);
	r = json_integer_value(json_object_get(o, "id"));
	json_decref(o);
	assert_true(r > 0);
	/* The agent sees the relative, and notes something. */
	snprintf(path, sizeof(path), "/api/v1/appointments/users/%lld",
	    camille_rec);
	o = get_json(&martin.c, path);
	assert_int_equal(json_integer_value(
			     json_array_get(json_object_get(o, "relative_ids"),
				 0)),
	    r);
	json_decref(o);
	snprintf(path, sizeof(path), "/api/v1/appointments/users/%lld", r);
	assert_int_equal(client_call(&martin.c, "PUT", path,
			     "{\"last_name\":\"Durand\",\"first_names\":"
			     "\"Lina\",\"birth_date\":\"2018-05-04\","
			     "\"notes\":\"Allergie aux arachides\"}"),
	    200);
	/* The user edits what they set; the notes stay. */
	snprintf(path, sizeof(path), "/api/v1/me/relatives/%lld", r);
	assert_int_equal(client_call(&camille.c, "PUT", path,
			     "{\"last_name\":\"Durand\",\"first_names\":"
			     "\"Lina\",\"birth_date\":\"2018-13-04\"}"),
	    422);
	assert_non_null(strstr(camille.c.body, "birth_date"));
	assert_int_equal(client_call(&camille.c, "PUT", path,
			     "{\"last_name\":\"Durand\",\"first_names\":"
			     "\"Lina Rose\",\"birth_date\":\"2018-05-04\","
			     "\"phone\":\"06 01 02 03 04\"}"),
	    200);
	snprintf(path, sizeof(path), "/api/v1/appointments/users/%lld", r);
	o = get_json(&martin.c, path);
	assert_string_equal(json_string_value(
				json_object_get(o, "first_names")),
	    "Lina Rose");
	assert_string_equal(json_string_value(json_object_get(o, "notes")),
	    "Allergie aux arachides");
	assert_int_equal(json_integer_value(
			     json_object_get(o, "responsible_id")),
	    camille_rec);
	json_decref(o);
	get_ok(&camille.c, "/api/v1/me/relatives");
	assert_non_null(strstr(camille.c.body, "Lina Rose"));
	assert_non_null(strstr(camille.c.body, "06 01 02 03 04"));
	assert_null(strstr(camille.c.body, "Allergie"));
	assert_null(strstr(camille.c.body, "notes"));
	/* Not a relative of theirs: their own record, someone else's. */
	snprintf(path, sizeof(path), "/api/v1/me/relatives/%lld", camille_rec);
	assert_int_equal(client_call(&camille.c, "PUT", path,
			     "{\"last_name\":\"D\",\"first_names\":\"C\"}"),
	    404);
	assert_string_equal(client_code(&camille.c), "PROCHE_INCONNU");
	snprintf(path, sizeof(path), "/api/v1/me/relatives/%lld", other);
	assert_int_equal(client_call(&camille.c, "PUT", path,
			     "{\"last_name\":\"D\",\"first_names\":\"C\"}"),
	    404);
	/* Another account reaches none of it. */
	get_ok(&roche.c, "/api/v1/me/relatives");
	assert_string_equal(roche.c.body, "{\"families\":[]}");
	snprintf(path, sizeof(path), "/api/v1/me/relatives/%lld", r);
	assert_int_equal(client_call(&roche.c, "PUT", path,
			     "{\"last_name\":\"D\",\"first_names\":\"C\"}"),
	    404);
	assert_string_equal(client_code(&roche.c), "PROCHE_INCONNU");
	snprintf(body, sizeof(body),
	    "{\"responsible_id\":%lld,\"last_name\":\"X\","
	    "\"first_names\":\"Y\"}",
	    camille_rec);
	assert_int_equal(client_call(&roche.c, "POST", "/api/v1/me/relatives",
			     body),
	    404);
}

/* Another organisation's agent sees none of this organisation's users
 * or appointments; a school's staff has no access at all. */
static void
test_visibility(void **state)
{
	static char out[4096];
	const char *org[] = { "org", "add", "--name", "CCAS de Rezé (test)",
		"--kind", "service", NULL };
	char oid[64], temp[64], path[128];
	const char *add[] = { "user", "add", "--org", oid, "--email",
		"agent@ccas-reze.example", "--name", "Paul Agent", "--role",
		"agent", NULL };
	struct client other;
	const char *p, *t;
	long long u;
	size_t n;

	(void)state;
	u = create_user(&martin.c,
	    "{\"last_name\":\"Secret\",\"first_names\":\"Sam\","
	    "\"email\":\"sam@exemple.fr\"}");
	assert_int_equal(run(org, out, sizeof(out)), 0);
	for (p = out; *p != '\0'; p += n + (p[n] == '\n')) {
		n = strcspn(p, "\n");
		if (n == 32 && strspn(p, "0123456789abcdef") == 32)
			snprintf(oid, sizeof(oid), "%.32s", p);
	}
	assert_int_equal(run(add, out, sizeof(out)), 0);
	assert_non_null(t = strstr(out, "temporary password "));
	assert_int_equal(sscanf(t + 19, "%63s", temp), 1);
	client_init(&other, srv.port);
	assert_int_equal(client_onboard(&other, "agent@ccas-reze.example", temp,
			     "galet Orange tulipe autre vent", 1),
	    0);
	snprintf(path, sizeof(path), "/api/v1/appointments/users/%lld", u);
	assert_int_equal(client_call(&other, "GET", path, NULL), 404);
	assert_string_equal(client_code(&other), "USAGER_INCONNU");
	assert_int_equal(
	    client_call(&other, "PUT", path,
		"{\"last_name\":\"Pris\",\"first_names\":\"Sam\"}"),
	    404);
	assert_string_equal(client_code(&other), "USAGER_INCONNU");
	get_ok(&martin.c, path);
	assert_non_null(strstr(martin.c.body, "Secret"));
	get_ok(&other, "/api/v1/appointments/users?email=sam@exemple.fr");
	assert_string_equal(other.body, "{\"users\":[]}");
	client_free(&other);
}

/* Runs `retention run --at` at_ms; the report into out. */
static void
retention_at(int64_t at_ms, char *out, size_t size)
{
	char at[40];
	time_t t = (time_t)(at_ms / 1000);
	struct tm tm;
	const char *args[] = { "retention", "run", "--at", at, NULL };

	gmtime_r(&t, &tm);
	strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (run(args, out, size) != 0) {
		fprintf(stderr, "%s\n", out);
		fail();
	}
}

/* How many records the purger what removed in report out. */
static long
removed(const char *out, const char *what)
{
	const char *p = strstr(out, what);
	long n = -1;

	assert_non_null(p);
	assert_int_equal(sscanf(p + strlen(what), " %ld removed", &n), 1);
	return n;
}

/*
 * Retention of seed 001: an address goes once an appointment is booked
 * (not before); a « nouvel usager » record never linked to an account
 * is kept until 2 years, erased after; a relative's until 3 years; a
 * record linked to an account is in its export and goes with the
 * account's erasure. Runs last:
 * the far-future runs end the demo accounts too.
 */
static void
test_retention(void **state)
{
	static char out[16384];
	char path[160], start[40];
	int64_t now = clock_now_ms(clock_real());
	int64_t month = 31LL * 24 * 3600 * 1000;
	long long kept, booked, id;
	json_t *o;

	(void)state;
	kept = create_user(&martin.c,
	    "{\"last_name\":\"Garde\",\"first_names\":\"Kim\",\"birth_date\":"
	    "\"1970-01-02\",\"address\":\"2 rue Haute\"}");
	booked = create_user(&martin.c,
	    "{\"last_name\":\"Reserve\",\"first_names\":\"Lou\","
	    "\"birth_date\":\"1971-01-02\",\"address\":\"3 rue Basse\"}");
	snprintf(path, sizeof(path),
	    "{\"last_name\":\"Proche\",\"first_names\":"
	    "\"Max\",\"birth_date\":\"2010-01-02\","
	    "\"responsible_id\":%lld}",
	    kept);
	create_user(&martin.c, path);
	/* Before any booking the address stays; once booked, it goes. */
	retention_at(now, out, sizeof(out));
	assert_null(strstr(out, "new_user_responsible   not applicable"));
	snprintf(path, sizeof(path), "/api/v1/appointments/users/%lld", booked);
	o = get_json(&martin.c, path);
	assert_string_equal(json_string_value(json_object_get(o, "address")),
	    "3 rue Basse");
	json_decref(o);
	paris(9, 14 * 60 + 30, start, sizeof(start)); /* phone, Wed 14:30 */
	assert_int_equal(book(&martin.c, motif_phone, 0, martin_id, &booked, 1,
			     start, &id),
	    201);
	retention_at(clock_now_ms(clock_real()) + 1000, out, sizeof(out));
	assert_true(
	    removed(out, "addresses once an appointment is booked") >= 1);
	o = get_json(&martin.c, path);
	assert_true(json_is_null(json_object_get(o, "address")));
	json_decref(o);
	snprintf(path, sizeof(path), "/api/v1/appointments/users/%lld", kept);
	o = get_json(&martin.c, path);
	assert_string_equal(json_string_value(json_object_get(o, "address")),
	    "2 rue Haute");
	json_decref(o);
	/* The online user's record (linked to an account) is in their
	 * export. */
	get_ok(&camille.c, "/api/v1/me/export");
	assert_non_null(strstr(camille.c.body, "Fiche usager"));
	/* Erasing the account erases the record: the agent no longer
	 * finds it. */
	snprintf(path, sizeof(path), "{\"password\":\"%s\"}", camille.pw);
	assert_int_equal(client_call(&camille.c, "POST", "/api/v1/me/erasure",
			     path),
	    200);
	snprintf(path, sizeof(path), "/api/v1/appointments/users/%lld",
	    camille_rec);
	assert_int_equal(client_call(&martin.c, "GET", path, NULL), 404);
	/* Before 2 years: kept. After: the responsible users' records go
	 * (every one made here without an account), the relatives stay
	 * until 3 years. A far-future run ends every session too, so the
	 * report tells from here on. */
	retention_at(now + 23 * month, out, sizeof(out));
	assert_int_equal(removed(out, "new users' records without an account"),
	    0);
	assert_int_equal(removed(out, "relatives' records without an account"),
	    0);
	retention_at(now + 25 * month, out, sizeof(out));
	assert_true(
	    removed(out, "new users' records without an account") >= 20);
	assert_int_equal(removed(out, "relatives' records without an account"),
	    0);
	retention_at(now + 35 * month, out, sizeof(out));
	assert_int_equal(removed(out, "new users' records without an account"),
	    0);
	assert_int_equal(removed(out, "relatives' records without an account"),
	    0);
	retention_at(now + 37 * month, out, sizeof(out));
	assert_true(removed(out, "relatives' records without an account") >= 2);
}

/* The public directory: a person who has no booking link finds the
 * organisation by postcode or department, the one with a place at their
 * postcode first; a suspended organisation is not offered; what is not a
 * postcode or a department is refused naming the field. */
static void
test_public_directory(void **state)
{
	struct client pub;
	char sql[300];
	json_t *o, *orgs, *first;
	size_t i, n;
	int found = 0;

	(void)state;
	client_init(&pub, srv.port);
	o = get_json(&pub, "/api/v1/public/appointments/organisations?area=44");
	assert_string_equal(json_string_value(
				json_object_get(json_object_get(o, "area"),
				    "department")),
	    "44");
	orgs = json_object_get(o, "organisations");
	json_array_foreach (orgs, i, first) {
		if (strcmp(json_string_value(json_object_get(first, "id")),
			org_id) != 0)
			continue;
		found = 1;
		/* The demo's four places are all in Loire-Atlantique. */
		n = json_array_size(json_object_get(first, "places"));
		assert_int_equal(n, 4);
		assert_false(
		    json_is_true(json_object_get(first, "at_postcode")));
	}
	assert_true(found);
	json_decref(o);
	/* Saint-Nazaire's postcode: the organisation with a place there
	 * comes first, marked. */
	o = get_json(&pub,
	    "/api/v1/public/appointments/organisations?area=%2044600%20");
	first = json_array_get(json_object_get(o, "organisations"), 0);
	assert_string_equal(json_string_value(json_object_get(first, "id")),
	    org_id);
	assert_true(json_is_true(json_object_get(first, "at_postcode")));
	json_decref(o);
	/* Elsewhere: nobody. */
	o = get_json(&pub, "/api/v1/public/appointments/organisations?area=2B");
	assert_int_equal(json_array_size(json_object_get(o, "organisations")),
	    0);
	json_decref(o);
	/* Not a postcode nor a department. */
	assert_int_equal(client_call(&pub, "GET",
			     "/api/v1/public/appointments/organisations?area="
			     "Nantes",
			     NULL),
	    422);
	o = client_json(&pub);
	assert_string_equal(json_string_value(json_object_get(o, "field")),
	    "area");
	json_decref(o);
	assert_int_equal(client_call(&pub, "GET",
			     "/api/v1/public/appointments/organisations", NULL),
	    422);
	/* Suspended: it takes no booking, so it is not offered. */
	snprintf(sql, sizeof(sql),
	    "INSERT INTO tenants (org_id, state, state_at, updated_at) "
	    "VALUES ('%s', 'suspended', 0, 0)",
	    org_id);
	assert_int_equal(harness_store_exec(srv.db, sql), 0);
	get_ok(&pub, "/api/v1/public/appointments/organisations?area=44");
	assert_null(strstr(pub.body, org_id));
	snprintf(sql, sizeof(sql), "DELETE FROM tenants WHERE org_id = '%s'",
	    org_id);
	assert_int_equal(harness_store_exec(srv.db, sql), 0);
	get_ok(&pub, "/api/v1/public/appointments/organisations?area=44");
	assert_non_null(strstr(pub.body, org_id));
	client_free(&pub);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_users_and_relatives),
		cmocka_unit_test(test_agent_edits_user),
		cmocka_unit_test(test_booking_rules),
		cmocka_unit_test(test_races),
		cmocka_unit_test(test_online_booking),
		cmocka_unit_test(test_place_rooms),
		cmocka_unit_test(test_collective_online),
		cmocka_unit_test(test_user_manages_relatives),
		cmocka_unit_test(test_visibility),
		cmocka_unit_test(test_public_directory),
		cmocka_unit_test(test_retention),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
