/*
 * test_appt_structure.c - the organisation side of appointments end to
 * end against the real `creneau` binary and its demo data: an agent
 * reads the organisation's services, places, agents, motifs, plages and
 * absences; only the agent_admin changes them, each refusal naming the
 * field at fault; an agent records its own absences only; another
 * organisation's agent_admin sees none of it (404); every change leaves
 * its audit entry, which the organisation's DPO reads.
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

#include "appointments/appt_time.h"
#include "client.h"
#include "demo.h"
#include "harness.h"
#include "store/appt_avail.h"
#include "store/driver.h"

static struct proc srv;
static struct demo_account admin = { "admin.rdv@solidarites44.example", 1 };
static struct demo_account agent = { "as.martin@solidarites44.example", 1 };
static struct demo_account dpo = { "dpo@solidarites44.example", 1 };

static struct demo_account *const all[] = { &admin, &agent, &dpo };
#define NALL (sizeof(all) / sizeof(all[0]))

/* Another social services organisation, its agent_admin, and an agent
 * account of the demo organisation not attached yet. */
static char other_org[64], demo_org[64];
static struct client other;
static char other_id[64], fresh_id[64], fresh_temp[64];

static const char *const base = "/api/v1/appointments/";

static int
run(const char *const *args, char *out, size_t outlen)
{
	char env0[400];
	const char *env[] = { env0, NULL };

	snprintf(env0, sizeof(env0), "CRENEAU_STORE_PATH=%s", srv.db);
	return harness_run(args, env, out, outlen);
}

/* Runs `creneau org add` and reads the id it prints. */
static int
org_add(const char *name, const char *kind, char out[64])
{
	const char *args[] = { "org", "add", "--name", name, "--kind", kind,
		NULL };
	char buf[1024], *line, *save = NULL;

	if (run(args, buf, sizeof(buf)) != 0)
		return -1;
	for (line = strtok_r(buf, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save))
		if (strlen(line) == 32 &&
		    strspn(line, "0123456789abcdef") == 32) {
			snprintf(out, 64, "%s", line);
			return 0;
		}
	return -1;
}

/* Runs `creneau user add`; reads the account id and temporary password. */
static int
user_add(const char *org, const char *email, const char *role, char id[64],
    char temp[64])
{
	const char *args[] = { "user", "add", "--org", org, "--email", email,
		"--name", "Dominique Essai", "--role", role, NULL };
	char buf[2048], *a, *t;

	if (run(args, buf, sizeof(buf)) != 0) {
		fprintf(stderr, "user add: %s\n", buf);
		return -1;
	}
	a = strstr(buf, "account ");
	t = strstr(buf, "temporary password ");
	if (a == NULL || t == NULL)
		return -1;
	sscanf(a + 8, "%63s", id);
	sscanf(t + 19, "%63s", temp);
	return 0;
}

static long
call(struct client *c, const char *method, const char *path, const char *body)
{
	char full[256];

	snprintf(full, sizeof(full), "%s%s", base, path);
	return client_call(c, method, full, body);
}

/* The member name of the last answer of c, as an integer. */
static long long
int_of(const struct client *c, const char *name)
{
	json_t *o = client_json(c);
	long long v = json_integer_value(json_object_get(o, name));

	json_decref(o);
	return v;
}

/* The member name of the last answer (a problem), or "". */
static const char *
member(const struct client *c, const char *name)
{
	static char v[256];
	json_t *o = client_json(c);
	const char *s = json_string_value(json_object_get(o, name));

	snprintf(v, sizeof(v), "%s", s != NULL ? s : "");
	json_decref(o);
	return v;
}

/* How many items the list name of the last answer holds. */
static size_t
count_of(const struct client *c, const char *name)
{
	json_t *o = client_json(c);
	size_t n = json_array_size(json_object_get(o, name));

	json_decref(o);
	return n;
}

/* The id of the first item of list name whose member key is value. */
static long long
find_id(struct client *c, const char *path, const char *list, const char *key,
    const char *value)
{
	json_t *o, *x;
	long long id = 0;
	size_t i;

	assert_int_equal(call(c, "GET", path, NULL), 200);
	o = client_json(c);
	json_array_foreach (json_object_get(o, list), i, x) {
		const char *v = json_string_value(json_object_get(x, key));

		if (id == 0 && v != NULL && strcmp(v, value) == 0)
			id = json_integer_value(json_object_get(x, "id"));
	}
	json_decref(o);
	assert_true(id > 0);
	return id;
}

/* Asserts the last answer is a refusal with code naming field. */
static void
refused(const struct client *c, long status, long want, const char *code,
    const char *field)
{
	if (status != want || strcmp(member(c, "code"), code) != 0 ||
	    (field != NULL && strcmp(member(c, "field"), field) != 0))
		fail_msg("expected %ld %s on %s, got %ld %s", want, code,
		    field ? field : "-", status, c->body);
	/* A validation's detail is French prose naming the field. */
	if (field != NULL && strcmp(code, "PARAMETRE_INVALIDE") == 0)
		assert_non_null(strstr(member(c, "detail"), field));
}

static int
setup(void **state)
{
	char temp[64], buf[128];

	(void)state;
	if (demo_start(&srv, all, NALL) != 0)
		return -1;
	if (client_call(&admin.c, "GET", "/api/v1/me", NULL) != 200)
		return -1;
	snprintf(demo_org, sizeof(demo_org), "%s", member(&admin.c, "org_id"));
	if (org_add("CCAS de Rezé (test)", "service", other_org) != 0 ||
	    user_add(other_org, "admin@ccas-reze-test.example", "agent_admin",
		other_id, temp) != 0)
		return -1;
	client_init(&other, srv.port);
	snprintf(buf, sizeof(buf), "Autre-mot-de-passe-%s", "2026!");
	if (client_onboard(&other, "admin@ccas-reze-test.example", temp, buf,
		1) != 0)
		return -1;
	/* An agent of the demo organisation, not attached to its services
	 * yet. */
	return user_add(demo_org, "nouvel.agent@solidarites44.example", "agent",
	    fresh_id, fresh_temp);
}

static int
teardown(void **state)
{
	(void)state;
	client_free(&other);
	demo_stop(&srv, all, NALL);
	return 0;
}

/* An agent reads everything of its organisation. */
static void
test_agent_reads_the_organisation(void **state)
{
	(void)state;
	assert_int_equal(call(&agent.c, "GET", "services", NULL), 200);
	assert_int_equal(count_of(&agent.c, "services"), 3);
	assert_int_equal(call(&agent.c, "GET", "places", NULL), 200);
	assert_int_equal(count_of(&agent.c, "places"), 4);
	assert_int_equal(call(&agent.c, "GET", "motifs", NULL), 200);
	assert_int_equal(count_of(&agent.c, "motifs"), 9);
	assert_non_null(strstr(agent.c.body, "\"location_type\":\"home\""));
	assert_non_null(strstr(agent.c.body, "\"location_type\":\"phone\""));
	assert_non_null(strstr(agent.c.body, "\"collective\":true"));
	assert_int_equal(call(&agent.c, "GET", "agents", NULL), 200);
	assert_int_equal(count_of(&agent.c, "agents"), 10);
	assert_non_null(strstr(agent.c.body, "Claire Martin"));
	assert_int_equal(call(&agent.c, "GET", "plages", NULL), 200);
	assert_int_equal(count_of(&agent.c, "plages"), 30);
	assert_non_null(strstr(agent.c.body, "\"start_time\":\"09:00\""));
	assert_non_null(strstr(agent.c.body, "\"weekdays\":[1,2,3,4,5]"));
	assert_int_equal(call(&agent.c, "GET", "absences", NULL), 200);
	assert_int_equal(count_of(&agent.c, "absences"), 2);
	/* Another organisation sees none of it. */
	assert_int_equal(call(&other, "GET", "motifs", NULL), 200);
	assert_int_equal(count_of(&other, "motifs"), 0);
	assert_int_equal(call(&other, "GET", "agents", NULL), 200);
	assert_int_equal(count_of(&other, "agents"), 0);
}

/* Services and places: create, rename, a taken name, archive. */
static void
test_services_and_places(void **state)
{
	long long id, place;
	long st;

	(void)state;
	assert_int_equal(call(&admin.c, "POST", "services",
			     "{\"name\":\"Protection de l'enfance\"}"),
	    201);
	id = int_of(&admin.c, "id");
	st = call(&admin.c, "POST", "services", "{\"name\":\"PMI\"}");
	refused(&admin.c, st, 422, "PARAMETRE_INVALIDE", "name");
	st = call(&admin.c, "POST", "services", "{\"name\":\"\"}");
	assert_int_equal(st, 422);
	assert_string_equal(member(&admin.c, "field"), "name");
	{
		char path[64];

		snprintf(path, sizeof(path), "services/%lld", id);
		assert_int_equal(call(&admin.c, "PUT", path,
				     "{\"name\":\"Aide sociale à l'enfance\"}"),
		    200);
		st = call(&admin.c, "PUT", path, "{\"name\":\"Insertion\"}");
		refused(&admin.c, st, 422, "PARAMETRE_INVALIDE", "name");
		snprintf(path, sizeof(path), "services/%lld/archival", id);
		assert_int_equal(call(&admin.c, "POST", path, NULL), 200);
		assert_int_equal(call(&admin.c, "POST", path, NULL), 200);
	}
	assert_int_equal(call(&admin.c, "GET", "services", NULL), 200);
	assert_int_equal(count_of(&admin.c, "services"), 3);
	assert_null(strstr(admin.c.body, "Aide sociale"));
	assert_int_equal(call(&admin.c, "GET", "services?archived=1", NULL),
	    200);
	assert_int_equal(count_of(&admin.c, "services"), 4);
	assert_non_null(strstr(admin.c.body, "Aide sociale"));

	st = call(&admin.c, "POST", "places",
	    "{\"name\":\"MDS Orvault\",\"address\":\"1 rue du Bois, 44700 "
	    "Orvault\",\"phone\":\"02 40 xx\"}");
	refused(&admin.c, st, 422, "PARAMETRE_INVALIDE", "phone");
	st = call(&admin.c, "POST", "places", "{\"name\":\"MDS Orvault\"}");
	assert_int_equal(st, 422);
	assert_string_equal(member(&admin.c, "field"), "address");
	assert_int_equal(call(&admin.c, "POST", "places",
			     "{\"name\":\"MDS Orvault\",\"address\":\"1 rue du "
			     "Bois, 44700 Orvault\",\"phone\":\"+33 2 40 00 00 "
			     "09\",\"opening_notes\":\"Le matin.\"}"),
	    201);
	place = int_of(&admin.c, "id");
	{
		char path[64];

		snprintf(path, sizeof(path), "places/%lld", place);
		assert_int_equal(
		    call(&admin.c, "PUT", path,
			"{\"name\":\"MDS Orvault-Bourg\",\"address\":\"2 rue "
			"du Bois, 44700 Orvault\"}"),
		    200);
		assert_string_equal(member(&admin.c, "address"),
		    "2 rue du Bois, 44700 Orvault");
		st = call(&admin.c, "PUT", path,
		    "{\"name\":\"MDS Rezé\",\"address\":\"2 rue du Bois, "
		    "44700 Orvault\"}");
		refused(&admin.c, st, 422, "PARAMETRE_INVALIDE", "name");
		/* The directory finds places by their postcode. */
		st = call(&admin.c, "PUT", path,
		    "{\"name\":\"MDS Orvault-Bourg\",\"address\":\"2 rue du "
		    "Bois, Orvault\"}");
		refused(&admin.c, st, 422, "PARAMETRE_INVALIDE", "address");
		st = call(&admin.c, "PUT", path,
		    "{\"name\":\"MDS Orvault-Bourg\",\"address\":\"2 rue du "
		    "Bois, 00100 Orvault\"}");
		refused(&admin.c, st, 422, "PARAMETRE_INVALIDE", "address");
	}
}

/* Motifs: every field checked, the one at fault named. */
static void
test_motifs(void **state)
{
	long long service, id;
	char body[512], path[64];
	long st;

	(void)state;
	service = find_id(&admin.c, "services", "services", "name", "PMI");
#define MOTIF(extra)                                                           \
	snprintf(body, sizeof(body),                                           \
	    "{\"service_id\":%lld,\"name\":\"Bilan de santé\","               \
	    "\"duration_min\":30,\"location_type\":\"place\"%s}",              \
	    service, extra)
	MOTIF(",\"duration_min\":0");
	/* A member twice is refused by the body parser itself. */
	assert_int_equal(call(&admin.c, "POST", "motifs", body), 400);
	snprintf(body, sizeof(body),
	    "{\"service_id\":%lld,\"name\":\"Bilan\",\"duration_min\":7,"
	    "\"location_type\":\"place\"}",
	    service);
	st = call(&admin.c, "POST", "motifs", body);
	refused(&admin.c, st, 422, "PARAMETRE_INVALIDE", "duration_min");
	snprintf(body, sizeof(body),
	    "{\"service_id\":%lld,\"name\":\"Bilan\",\"duration_min\":30,"
	    "\"location_type\":\"visio\"}",
	    service);
	st = call(&admin.c, "POST", "motifs", body);
	refused(&admin.c, st, 422, "PARAMETRE_INVALIDE", "location_type");
	snprintf(body, sizeof(body),
	    "{\"service_id\":%lld,\"name\":\"Bilan\",\"duration_min\":30,"
	    "\"location_type\":\"place\",\"min_delay_min\":600,"
	    "\"max_delay_min\":60}",
	    service);
	st = call(&admin.c, "POST", "motifs", body);
	refused(&admin.c, st, 422, "PARAMETRE_INVALIDE", "max_delay_min");
	snprintf(body, sizeof(body),
	    "{\"service_id\":%lld,\"name\":\"Bilan\",\"duration_min\":30,"
	    "\"location_type\":\"phone\",\"collective\":true,"
	    "\"capacity\":10}",
	    service);
	st = call(&admin.c, "POST", "motifs", body);
	refused(&admin.c, st, 422, "PARAMETRE_INVALIDE", "collective");
	snprintf(body, sizeof(body),
	    "{\"service_id\":%lld,\"name\":\"Bilan\",\"duration_min\":30,"
	    "\"location_type\":\"place\",\"collective\":true,"
	    "\"capacity\":1}",
	    service);
	st = call(&admin.c, "POST", "motifs", body);
	refused(&admin.c, st, 422, "PARAMETRE_INVALIDE", "capacity");
	snprintf(body, sizeof(body),
	    "{\"service_id\":%lld,\"name\":\"Bilan\",\"duration_min\":30,"
	    "\"location_type\":\"place\",\"reminder_before_min\":20000}",
	    service);
	st = call(&admin.c, "POST", "motifs", body);
	refused(&admin.c, st, 422, "PARAMETRE_INVALIDE", "reminder_before_min");
	st = call(&admin.c, "POST", "motifs",
	    "{\"service_id\":999999,\"name\":\"Bilan\",\"duration_min\":30,"
	    "\"location_type\":\"place\"}");
	refused(&admin.c, st, 404, "SERVICE_INCONNU", "service_id");
	snprintf(body, sizeof(body),
	    "{\"service_id\":%lld,\"name\":\"Groupe de parole parents\","
	    "\"duration_min\":90,\"location_type\":\"place\",\"online\":true,"
	    "\"collective\":true,\"capacity\":8,\"min_delay_min\":1440,"
	    "\"max_delay_min\":43200,\"cancel_deadline_min\":1440,"
	    "\"reminder_before_min\":1440,\"instructions\":\"Salle 2.\"}",
	    service);
	assert_int_equal(call(&admin.c, "POST", "motifs", body), 201);
	id = int_of(&admin.c, "id");
	assert_int_equal(int_of(&admin.c, "capacity"), 8);
	assert_int_equal(int_of(&admin.c, "cancel_deadline_min"), 1440);
	assert_string_equal(member(&admin.c, "instructions"), "Salle 2.");
	/* The same name at the same kind of place is taken. */
	st = call(&admin.c, "POST", "motifs", body);
	refused(&admin.c, st, 422, "PARAMETRE_INVALIDE", "name");
	snprintf(path, sizeof(path), "motifs/%lld", id);
	snprintf(body, sizeof(body),
	    "{\"service_id\":%lld,\"name\":\"Groupe de parole parents\","
	    "\"duration_min\":60,\"location_type\":\"place\"}",
	    service);
	assert_int_equal(call(&admin.c, "PUT", path, body), 200);
	assert_int_equal(int_of(&admin.c, "duration_min"), 60);
	assert_int_equal(int_of(&admin.c, "capacity"), 1);
	assert_int_equal(int_of(&admin.c, "min_delay_min"), 30);
	snprintf(path, sizeof(path), "motifs/%lld/archival", id);
	assert_int_equal(call(&admin.c, "POST", path, NULL), 200);
	assert_int_equal(call(&admin.c, "GET", "motifs", NULL), 200);
	assert_int_equal(count_of(&admin.c, "motifs"), 9);
#undef MOTIF
}

/* The account id of agent email in the agents' list (by name). */
static void
agent_id_of(struct client *c, const char *name, char out[64])
{
	json_t *o, *x;
	size_t i;

	out[0] = '\0';
	assert_int_equal(call(c, "GET", "agents", NULL), 200);
	o = client_json(c);
	json_array_foreach (json_object_get(o, "agents"), i, x) {
		const char *n =
		    json_string_value(json_object_get(x, "display_name"));

		if (n != NULL && strcmp(n, name) == 0)
			snprintf(out, 64, "%s",
			    json_string_value(
				json_object_get(x, "account_id")));
	}
	json_decref(o);
	assert_true(out[0] != '\0');
}

/* Agents: attaching an account of the organisation with services. */
static void
test_agents(void **state)
{
	long long insertion;
	char path[128], body[128];
	long st;

	(void)state;
	insertion =
	    find_id(&admin.c, "services", "services", "name", "Insertion");
	snprintf(path, sizeof(path), "agents/%s", fresh_id);
	st = call(&admin.c, "PUT", path, "{\"service_ids\":[]}");
	assert_int_equal(st, 422);
	assert_string_equal(member(&admin.c, "field"), "service_ids");
	st = call(&admin.c, "PUT", path, "{\"service_ids\":[999999]}");
	refused(&admin.c, st, 404, "SERVICE_INCONNU", "service_ids[0]");
	snprintf(body, sizeof(body), "{\"service_ids\":[%lld,%lld]}", insertion,
	    insertion);
	assert_int_equal(call(&admin.c, "PUT", path, body), 200);
	assert_int_equal(call(&agent.c, "GET", "agents", NULL), 200);
	assert_int_equal(count_of(&agent.c, "agents"), 11);
	/* An account of another organisation is no agent of this one. */
	snprintf(path, sizeof(path), "agents/%s", other_id);
	st = call(&admin.c, "PUT", path, body);
	refused(&admin.c, st, 404, "AGENT_INCONNU", "account_id");
	/* Nor is an account without the agent role (the DPO). */
	{
		char dpo_id[64];

		assert_int_equal(client_call(&dpo.c, "GET", "/api/v1/me", NULL),
		    200);
		snprintf(dpo_id, sizeof(dpo_id), "%s", member(&dpo.c, "id"));
		snprintf(path, sizeof(path), "agents/%s", dpo_id);
		st = call(&admin.c, "PUT", path, body);
		refused(&admin.c, st, 404, "AGENT_INCONNU", "account_id");
	}
	snprintf(path, sizeof(path), "agents/%s/archival", fresh_id);
	assert_int_equal(call(&admin.c, "POST", path, NULL), 200);
	assert_int_equal(call(&agent.c, "GET", "agents", NULL), 200);
	assert_int_equal(count_of(&agent.c, "agents"), 10);
}

/* Plages: the recurrence checked, the motifs those of the agent's
 * services, a motif at a place needs a place. */
static void
test_plages(void **state)
{
	long long social, pmi, home, place, id;
	char martin[64], body[768], path[128];
	long st;

	(void)state;
	agent_id_of(&agent.c, "Claire Martin", martin);
	social = find_id(&admin.c, "motifs", "motifs", "name",
	    "Premier accueil social");
	home =
	    find_id(&admin.c, "motifs", "motifs", "name", "Visite à domicile");
	pmi = find_id(&admin.c, "motifs", "motifs", "name",
	    "Consultation nourrisson");
	place = find_id(&admin.c, "places", "places", "name", "MDS Rezé");
#define PLAGE(motifs, extra)                                                   \
	snprintf(body, sizeof(body),                                           \
	    "{\"agent_id\":\"%s\",\"place_id\":%lld,\"first_day\":"            \
	    "\"2027-01-04\",\"weekdays\":[1,5],\"start_time\":\"13:30\","      \
	    "\"end_time\":\"17:00\",\"motif_ids\":[%s]%s}",                    \
	    martin, place, motifs, extra)
	{
		char m[64];

		snprintf(m, sizeof(m), "%lld", social);
		PLAGE(m, ",\"end_time\":\"12:00\"");
		assert_int_equal(call(&admin.c, "POST", "plages", body), 400);
		snprintf(body, sizeof(body),
		    "{\"agent_id\":\"%s\",\"place_id\":%lld,\"first_day\":"
		    "\"2027-01-04\",\"weekdays\":[1,3],\"start_time\":\"13:30\","
		    "\"end_time\":\"12:00\",\"motif_ids\":[%s]}",
		    martin, place, m);
		st = call(&admin.c, "POST", "plages", body);
		refused(&admin.c, st, 422, "PARAMETRE_INVALIDE", "end_time");
		snprintf(body, sizeof(body),
		    "{\"agent_id\":\"%s\",\"place_id\":%lld,\"first_day\":"
		    "\"2027-01-04\",\"weekdays\":[1,8],\"start_time\":"
		    "\"13:30\",\"end_time\":\"17:00\",\"motif_ids\":[%s]}",
		    martin, place, m);
		st = call(&admin.c, "POST", "plages", body);
		refused(&admin.c, st, 422, "PARAMETRE_INVALIDE", "weekdays");
		PLAGE(m, ",\"every_weeks\":53");
		st = call(&admin.c, "POST", "plages", body);
		assert_int_equal(st, 422);
		assert_string_equal(member(&admin.c, "field"), "every_weeks");
		PLAGE(m, ",\"last_day\":\"2026-12-31\"");
		st = call(&admin.c, "POST", "plages", body);
		refused(&admin.c, st, 422, "PARAMETRE_INVALIDE", "last_day");
		snprintf(body, sizeof(body),
		    "{\"agent_id\":\"%s\",\"place_id\":%lld,\"first_day\":"
		    "\"2027-02-30\",\"weekdays\":[1],\"start_time\":"
		    "\"13:30\",\"end_time\":\"17:00\",\"motif_ids\":[%s]}",
		    martin, place, m);
		st = call(&admin.c, "POST", "plages", body);
		refused(&admin.c, st, 422, "PARAMETRE_INVALIDE", "first_day");
		/* A PMI motif is not of Claire Martin's services. */
		snprintf(m, sizeof(m), "%lld,%lld", social, pmi);
		PLAGE(m, "");
		st = call(&admin.c, "POST", "plages", body);
		refused(&admin.c, st, 422, "PARAMETRE_INVALIDE",
		    pmi > social ? "motif_ids[1]" : "motif_ids[0]");
		snprintf(m, sizeof(m), "999999");
		PLAGE(m, "");
		st = call(&admin.c, "POST", "plages", body);
		refused(&admin.c, st, 404, "MOTIF_INCONNU", "motif_ids[0]");
		/* Without a place, a motif at a place cannot be served. */
		snprintf(body, sizeof(body),
		    "{\"agent_id\":\"%s\",\"first_day\":\"2027-01-04\","
		    "\"weekdays\":[5],\"start_time\":\"09:00\","
		    "\"end_time\":\"10:00\",\"motif_ids\":[%lld]}",
		    martin, social);
		st = call(&admin.c, "POST", "plages", body);
		refused(&admin.c, st, 422, "PARAMETRE_INVALIDE", "place_id");
		snprintf(m, sizeof(m), "%lld,%lld", social, home);
		PLAGE(m,
		    ",\"every_weeks\":2,\"last_day\":\"2027-06-30\","
		    "\"exceptions\":[\"2027-04-05\",\"2027-01-18\"]");
		assert_int_equal(call(&admin.c, "POST", "plages", body), 201);
	}
	id = int_of(&admin.c, "id");
	assert_non_null(strstr(admin.c.body,
	    "\"exceptions\":[\"2027-01-18\",\"2027-04-05\"]"));
	assert_non_null(strstr(admin.c.body, "\"weekdays\":[1,5]"));
	assert_int_equal(int_of(&admin.c, "every_weeks"), 2);
	/* Claire Martin is in one place at a time: Monday 16:00-18:00 meets
	 * that plage's Mondays, Tuesday 11:30-12:30 the demo's mornings. */
	{
		char m[32], named[128];
		long long alt;

		snprintf(m, sizeof(m), "%lld", social);
		snprintf(body, sizeof(body),
		    "{\"agent_id\":\"%s\",\"place_id\":%lld,\"first_day\":"
		    "\"2027-01-04\",\"weekdays\":[1],\"start_time\":\"16:00\","
		    "\"end_time\":\"18:00\",\"motif_ids\":[%s]}",
		    martin, place, m);
		st = call(&admin.c, "POST", "plages", body);
		refused(&admin.c, st, 409, "PLAGE_CHEVAUCHEMENT", "start_time");
		snprintf(named, sizeof(named), "(n° %lld)", id);
		assert_non_null(strstr(member(&admin.c, "detail"), named));
		assert_non_null(
		    strstr(member(&admin.c, "detail"), "le 2027-01-04"));
		snprintf(body, sizeof(body),
		    "{\"agent_id\":\"%s\",\"place_id\":%lld,\"first_day\":"
		    "\"2027-01-04\",\"weekdays\":[2],\"start_time\":\"11:30\","
		    "\"end_time\":\"12:30\",\"motif_ids\":[%s]}",
		    martin, place, m);
		st = call(&admin.c, "POST", "plages", body);
		refused(&admin.c, st, 409, "PLAGE_CHEVAUCHEMENT", "start_time");
		assert_non_null(strstr(member(&admin.c, "detail"), "Matinées"));
		/* Touching the mornings, or on the named weeks, is fine. */
		snprintf(body, sizeof(body),
		    "{\"agent_id\":\"%s\",\"place_id\":%lld,\"first_day\":"
		    "\"2027-01-11\",\"weekdays\":[1],\"every_weeks\":2,"
		    "\"start_time\":\"12:00\",\"end_time\":\"18:00\","
		    "\"motif_ids\":[%s]}",
		    martin, place, m);
		assert_int_equal(call(&admin.c, "POST", "plages", body), 201);
		alt = int_of(&admin.c, "id");
		/* The change to every week would now meet it. */
		snprintf(path, sizeof(path), "plages/%lld", id);
		PLAGE(m, "");
		st = call(&admin.c, "PUT", path, body);
		refused(&admin.c, st, 409, "PLAGE_CHEVAUCHEMENT", "start_time");
		snprintf(named, sizeof(named), "(n° %lld)", alt);
		assert_non_null(strstr(member(&admin.c, "detail"), named));
		snprintf(path, sizeof(path), "plages/%lld/archival", alt);
		assert_int_equal(call(&admin.c, "POST", path, NULL), 200);
		/* Unchanged hours: a plage does not meet itself. */
		snprintf(path, sizeof(path), "plages/%lld", id);
		PLAGE(m, "");
	}
	assert_int_equal(call(&admin.c, "PUT", path, body), 200);
	assert_string_equal(member(&admin.c, "last_day"), "");
	assert_non_null(strstr(admin.c.body, "\"exceptions\":[]"));
	snprintf(path, sizeof(path), "plages?agent_id=%s", martin);
	assert_int_equal(call(&agent.c, "GET", path, NULL), 200);
	assert_int_equal(count_of(&agent.c, "plages"), 4);
	snprintf(path, sizeof(path), "plages/%lld/archival", id);
	assert_int_equal(call(&admin.c, "POST", path, NULL), 200);
	snprintf(path, sizeof(path), "plages?agent_id=%s", martin);
	assert_int_equal(call(&agent.c, "GET", path, NULL), 200);
	assert_int_equal(count_of(&agent.c, "plages"), 3);
#undef PLAGE
}

/* Absences: an agent records its own; the agent_admin anyone's. */
static void
test_absences(void **state)
{
	char martin[64], nguyen[64], body[256], path[128];
	long long id;
	long st;

	(void)state;
	agent_id_of(&agent.c, "Claire Martin", martin);
	agent_id_of(&agent.c, "Minh Nguyen", nguyen);
	snprintf(body, sizeof(body),
	    "{\"agent_id\":\"%s\",\"first_day\":\"2027-03-01\","
	    "\"last_day\":\"2027-03-05\",\"start_time\":\"00:00\","
	    "\"end_time\":\"24:00\"}",
	    martin);
	assert_int_equal(call(&agent.c, "POST", "absences", body), 201);
	id = int_of(&agent.c, "id");
	assert_non_null(strstr(agent.c.body, "\"recurring\":false"));
	snprintf(body, sizeof(body),
	    "{\"agent_id\":\"%s\",\"first_day\":\"2027-03-01\","
	    "\"start_time\":\"14:00\",\"end_time\":\"17:00\"}",
	    nguyen);
	st = call(&agent.c, "POST", "absences", body);
	refused(&agent.c, st, 403, "ACTION_INTERDITE", "agent_id");
	assert_int_equal(call(&admin.c, "POST", "absences", body), 201);
	/* The agent may not archive another agent's absence either. */
	snprintf(path, sizeof(path), "absences/%lld/archival",
	    int_of(&admin.c, "id"));
	st = call(&agent.c, "POST", path, NULL);
	refused(&agent.c, st, 403, "ACTION_INTERDITE", "agent_id");
	/* A one-off absence ends after it starts. */
	snprintf(body, sizeof(body),
	    "{\"agent_id\":\"%s\",\"first_day\":\"2027-03-08\","
	    "\"start_time\":\"14:00\",\"end_time\":\"10:00\"}",
	    martin);
	st = call(&agent.c, "POST", "absences", body);
	refused(&agent.c, st, 422, "PARAMETRE_INVALIDE", "end_time");
	/* Weekly: every Wednesday afternoon until June. */
	snprintf(path, sizeof(path), "absences/%lld", id);
	snprintf(body, sizeof(body),
	    "{\"agent_id\":\"%s\",\"first_day\":\"2027-03-03\","
	    "\"last_day\":\"2027-06-30\",\"every_weeks\":1,\"weekdays\":[3],"
	    "\"start_time\":\"13:00\",\"end_time\":\"18:00\"}",
	    martin);
	assert_int_equal(call(&agent.c, "PUT", path, body), 200);
	assert_non_null(strstr(agent.c.body, "\"recurring\":true"));
	snprintf(body, sizeof(body),
	    "{\"agent_id\":\"%s\",\"first_day\":\"2027-03-03\","
	    "\"every_weeks\":1,\"start_time\":\"13:00\","
	    "\"end_time\":\"18:00\"}",
	    martin);
	st = call(&agent.c, "PUT", path, body);
	refused(&agent.c, st, 422, "PARAMETRE_INVALIDE", "weekdays");
	snprintf(path, sizeof(path), "absences/%lld/archival", id);
	assert_int_equal(call(&agent.c, "POST", path, NULL), 200);
	snprintf(path, sizeof(path), "absences?agent_id=%s", martin);
	/* Her week of leave of the demo data stays. */
	assert_int_equal(call(&agent.c, "GET", path, NULL), 200);
	assert_int_equal(count_of(&agent.c, "absences"), 1);
}

/* An agent reads but does not manage; the routes say so before any
 * record is touched. */
static void
test_agent_does_not_manage(void **state)
{
	(void)state;
	assert_int_equal(call(&agent.c, "POST", "services",
			     "{\"name\":\"Service de l'agent\"}"),
	    403);
	assert_string_equal(client_code(&agent.c), "forbidden");
	assert_int_equal(call(&agent.c, "POST", "places/1/archival", NULL),
	    403);
	assert_int_equal(call(&agent.c, "PUT", "motifs/1", "{}"), 403);
	assert_int_equal(call(&agent.c, "POST", "plages", "{}"), 403);
	assert_int_equal(call(&agent.c, "PUT", "agents/x", "{}"), 403);
	/* The DPO oversees; it does not read the planning. */
	assert_int_equal(call(&dpo.c, "GET", "plages", NULL), 403);
}

/* Only a social services organisation has appointments: an agent_admin
 * elsewhere (an association) changes nothing. */
static void
test_only_social_services(void **state)
{
	char org[64], id[64], temp[64];
	struct client c;
	long st;

	(void)state;
	assert_int_equal(org_add("Association d'essai", "association", org), 0);
	assert_int_equal(user_add(org, "admin@association-test.example",
			     "agent_admin", id, temp),
	    0);
	client_init(&c, srv.port);
	assert_int_equal(client_onboard(&c, "admin@association-test.example",
			     temp, "Pivoine-Horizon-Quartz-2027!", 1),
	    0);
	st = call(&c, "POST", "services", "{\"name\":\"Accueil\"}");
	refused(&c, st, 404, "ORGANISATION_INCONNUE", NULL);
	assert_int_equal(call(&c, "GET", "services", NULL), 200);
	assert_int_equal(count_of(&c, "services"), 0);
	client_free(&c);
}

/* Another organisation's agent_admin: everything of the demo
 * organisation answers as unknown. */
static void
test_other_organisation_is_not_found(void **state)
{
	long long service, place, motif, plage;
	char path[128], body[256], martin[64];
	long st;

	(void)state;
	service = find_id(&admin.c, "services", "services", "name", "PMI");
	place = find_id(&admin.c, "places", "places", "name", "MDS Rezé");
	motif = find_id(&admin.c, "motifs", "motifs", "name", "Entretien RSA");
	agent_id_of(&agent.c, "Claire Martin", martin);
	assert_int_equal(call(&agent.c, "GET", "plages", NULL), 200);
	{
		json_t *o = client_json(&agent.c);

		plage = json_integer_value(
		    json_object_get(json_array_get(json_object_get(o, "plages"),
					0),
			"id"));
		json_decref(o);
	}
	snprintf(path, sizeof(path), "services/%lld", service);
	st = call(&other, "PUT", path, "{\"name\":\"PMI du CCAS\"}");
	refused(&other, st, 404, "SERVICE_INCONNU", NULL);
	snprintf(path, sizeof(path), "services/%lld/archival", service);
	st = call(&other, "POST", path, NULL);
	refused(&other, st, 404, "SERVICE_INCONNU", NULL);
	snprintf(path, sizeof(path), "places/%lld/archival", place);
	st = call(&other, "POST", path, NULL);
	refused(&other, st, 404, "LIEU_INCONNU", NULL);
	snprintf(path, sizeof(path), "motifs/%lld/archival", motif);
	st = call(&other, "POST", path, NULL);
	refused(&other, st, 404, "MOTIF_INCONNU", NULL);
	snprintf(path, sizeof(path), "plages/%lld/archival", plage);
	st = call(&other, "POST", path, NULL);
	refused(&other, st, 404, "PLAGE_INCONNUE", NULL);
	snprintf(path, sizeof(path), "agents/%s/archival", martin);
	st = call(&other, "POST", path, NULL);
	refused(&other, st, 404, "AGENT_INCONNU", NULL);
	/* Its own records cannot point at the demo organisation's. */
	snprintf(body, sizeof(body),
	    "{\"service_id\":%lld,\"name\":\"Accueil\",\"duration_min\":30,"
	    "\"location_type\":\"place\"}",
	    service);
	st = call(&other, "POST", "motifs", body);
	refused(&other, st, 404, "SERVICE_INCONNU", "service_id");
	snprintf(body, sizeof(body),
	    "{\"agent_id\":\"%s\",\"first_day\":\"2027-03-01\","
	    "\"start_time\":\"09:00\",\"end_time\":\"12:00\"}",
	    martin);
	st = call(&other, "POST", "absences", body);
	refused(&other, st, 404, "AGENT_INCONNU", "agent_id");
	/* And the demo organisation's records are untouched. */
	assert_int_equal(call(&agent.c, "GET", "motifs", NULL), 200);
	assert_non_null(strstr(agent.c.body, "Entretien RSA"));
}

/* Every change is in the audit trail, which the organisation's DPO
 * reads; the other organisation's changes are not in it. */
static void
test_audit_entries(void **state)
{
	static const char *const actions[] = { "appt.service.create",
		"appt.service.update", "appt.service.archive",
		"appt.place.create", "appt.place.update", "appt.motif.create",
		"appt.motif.update", "appt.motif.archive", "appt.agent.create",
		"appt.agent.archive", "appt.plage.create", "appt.plage.update",
		"appt.plage.archive", "appt.absence.create",
		"appt.absence.update", "appt.absence.archive" };
	char path[128], admin_id[64];
	size_t i;

	(void)state;
	assert_int_equal(client_call(&admin.c, "GET", "/api/v1/me", NULL), 200);
	snprintf(admin_id, sizeof(admin_id), "%s", member(&admin.c, "id"));
	for (i = 0; i < sizeof(actions) / sizeof(actions[0]); i++) {
		snprintf(path, sizeof(path), "/api/v1/audit?action=%s",
		    actions[i]);
		assert_int_equal(client_call(&dpo.c, "GET", path, NULL), 200);
		if (strstr(dpo.c.body, actions[i]) == NULL)
			fail_msg("no audit entry %s: %s", actions[i],
			    dpo.c.body);
	}
	snprintf(path, sizeof(path),
	    "/api/v1/audit?action=appt.service.create&actor=%s", admin_id);
	assert_int_equal(client_call(&dpo.c, "GET", path, NULL), 200);
	assert_non_null(strstr(dpo.c.body, admin_id));
	/* A refusal writes nothing: no service named "PMI" twice. */
	assert_null(strstr(dpo.c.body, other_id));
}

/* An agent's export holds its planning; its erasure takes the planning
 * with the account. */
static void
test_agent_export_and_erasure(void **state)
{
	long long insertion, motif, place;
	char body[512], path[160];
	struct client fresh;

	(void)state;
	client_init(&fresh, srv.port);
	assert_int_equal(client_onboard(&fresh,
			     "nouvel.agent@solidarites44.example", fresh_temp,
			     "Pivoine-Horizon-Quartz-2026!", 1),
	    0);
	insertion =
	    find_id(&admin.c, "services", "services", "name", "Insertion");
	motif = find_id(&admin.c, "motifs", "motifs", "name", "Entretien RSA");
	place =
	    find_id(&admin.c, "places", "places", "name", "MDS Saint-Nazaire");
	snprintf(path, sizeof(path), "agents/%s", fresh_id);
	snprintf(body, sizeof(body), "{\"service_ids\":[%lld]}", insertion);
	assert_int_equal(call(&admin.c, "PUT", path, body), 200);
	snprintf(body, sizeof(body),
	    "{\"agent_id\":\"%s\",\"place_id\":%lld,\"first_day\":"
	    "\"2027-01-04\",\"weekdays\":[2],\"start_time\":\"09:00\","
	    "\"end_time\":\"12:00\",\"motif_ids\":[%lld]}",
	    fresh_id, place, motif);
	assert_int_equal(call(&admin.c, "POST", "plages", body), 201);
	snprintf(body, sizeof(body),
	    "{\"agent_id\":\"%s\",\"first_day\":\"2027-01-12\","
	    "\"start_time\":\"09:00\",\"end_time\":\"12:00\"}",
	    fresh_id);
	assert_int_equal(call(&fresh, "POST", "absences", body), 201);

	assert_int_equal(client_call(&fresh, "GET", "/api/v1/me/export", NULL),
	    200);
	assert_non_null(strstr(fresh.body, "\"agent_planning\""));
	assert_non_null(strstr(fresh.body, "Plage d'ouverture"));
	assert_non_null(strstr(fresh.body, "\"first_day\":\"2027-01-12\""));

	assert_int_equal(client_call(&fresh, "POST", "/api/v1/me/erasure",
			     "{\"password\":\"Pivoine-Horizon-Quartz-"
			     "2026!\"}"),
	    200);
	snprintf(path, sizeof(path), "plages?archived=1&agent_id=%s", fresh_id);
	assert_int_equal(call(&admin.c, "GET", path, NULL), 200);
	assert_int_equal(count_of(&admin.c, "plages"), 0);
	snprintf(path, sizeof(path), "absences?archived=1&agent_id=%s",
	    fresh_id);
	assert_int_equal(call(&admin.c, "GET", path, NULL), 200);
	assert_int_equal(count_of(&admin.c, "absences"), 0);
	assert_int_equal(call(&admin.c, "GET", "agents?archived=1", NULL), 200);
	assert_null(strstr(admin.c.body, fresh_id));
	client_free(&fresh);
}

/* Opens the server's store in this process (SQLite or PostgreSQL). */
static struct store *
store_of_server(char url[600], char pwfile[600])
{
	struct store_config c = { "sqlite", srv.db, 5000, STORE_SCHEMA_MAIN,
		NULL, NULL, 2 };
	char env[5][600], err[256];
	struct store *st;

	if (harness_pg()) {
		assert_int_equal(harness_pg_env(srv.db, env), 0);
		snprintf(url, 600, "%.580s",
		    env[1] + strlen("CRENEAU_STORE_URL="));
		snprintf(pwfile, 600, "%.570s",
		    env[2] + strlen("CRENEAU_STORE_PASSWORD_FILE="));
		c.driver = "postgresql";
		c.path = NULL;
		c.url = url;
		c.password_file = pwfile;
	}
	st = store_open(&c, err, sizeof(err));
	if (st == NULL)
		fail_msg("store_open: %s", err);
	return st;
}

/*
 * What the free-slot computation reads: for the week of Claire Martin's
 * leave, the plages serving "Premier accueil social" (the five agents of
 * the service social, mornings and afternoons, and a Saturday plage; no
 * archived plage, no phone plage), an
 * exception day that removes an occurrence, and the absences of those
 * agents only (her leave, one-off, from Monday 00:00 to Friday 24:00
 * Paris time).
 */
static void
test_free_slot_read(void **state)
{
	struct store_appt_avail av;
	struct appt_interval occ[8];
	long long motif, reze;
	int64_t now, monday, from, to;
	char url[600], pwfile[600], body[512], leroux[64], martin[64], day[16];
	struct store *st;
	size_t i, n, k;

	(void)state;
	motif = find_id(&admin.c, "motifs", "motifs", "name",
	    "Premier accueil social");
	reze = find_id(&admin.c, "places", "places", "name", "MDS Rezé");
	agent_id_of(&agent.c, "Julien Leroux", leroux);
	agent_id_of(&agent.c, "Claire Martin", martin);
	now = (int64_t)time(NULL) * 1000;
	monday = appt_week_monday(appt_paris_day(now)) + 14;
	from = appt_paris_to_utc(monday, 0, NULL);
	to = appt_paris_to_utc(monday + 7, 0, NULL);
	/* Saturday mornings at Rezé, but not that Saturday. */
	assert_int_equal(appt_date_format(monday + 5, day, sizeof(day)), 0);
	snprintf(body, sizeof(body),
	    "{\"agent_id\":\"%s\",\"place_id\":%lld,\"first_day\":"
	    "\"2026-01-05\",\"weekdays\":[6],\"start_time\":\"10:00\","
	    "\"end_time\":\"11:00\",\"motif_ids\":[%lld],"
	    "\"exceptions\":[\"%s\"]}",
	    leroux, reze, motif, day);
	assert_int_equal(call(&admin.c, "POST", "plages", body), 201);

	st = store_of_server(url, pwfile);
	assert_int_equal(store_appt_avail_read(st, store_conn(st), demo_org,
			     motif, 0, from, to, &av),
	    0);
	assert_int_equal(av.n_agents, 5);
	assert_int_equal(av.n_plages, 11);
	for (i = 0; i < av.n_plages; i++)
		assert_true(av.plages[i].agent < av.n_agents);
	assert_int_equal(av.n_absences, 1);
	assert_string_equal(av.agents[av.absences[0].agent], martin);
	assert_false(av.absences[0].absence.recurring);
	assert_true(av.absences[0].absence.once.start == from);
	assert_true(av.absences[0].absence.once.end ==
	    appt_paris_to_utc(monday + 5, 0, NULL));
	store_appt_avail_free(&av);

	/* At Rezé: Julien Leroux's and Karim Roche's two plages each, and
	 * the Saturday one. */
	assert_int_equal(store_appt_avail_read(st, store_conn(st), demo_org,
			     motif, reze, from, to, &av),
	    0);
	assert_int_equal(av.n_agents, 2);
	assert_true(strcmp(av.agents[0], leroux) == 0 ||
	    strcmp(av.agents[1], leroux) == 0);
	assert_int_equal(av.n_plages, 5);
	assert_int_equal(av.n_absences, 0);
	for (i = k = 0; i < av.n_plages; i++) {
		n = appt_recur_expand(&av.plages[i].recur, from, to, occ, 8);
		if (av.plages[i].recur.weekdays == APPT_SATURDAY) {
			assert_int_equal(av.plages[i].recur.n_exceptions, 1);
			assert_true(
			    av.plages[i].recur.exceptions[0] == monday + 5);
			assert_int_equal(n, 0);
			k++;
		} else {
			assert_true(n > 0);
		}
	}
	assert_int_equal(k, 1);
	store_appt_avail_free(&av);

	/* Another organisation reads nothing of it. */
	assert_int_equal(store_appt_avail_read(st, store_conn(st), other_org,
			     motif, 0, from, to, &av),
	    0);
	assert_int_equal(av.n_agents + av.n_plages + av.n_absences, 0);
	store_appt_avail_free(&av);
	store_free(st);
}

/* A motif of an archived service is offered no more. */
static void
test_archived_service_offers_nothing(void **state)
{
	struct store_appt_avail av;
	long long svc, motif, social, pmi, ins;
	char aline[64], body[512], path[128], url[600], pwfile[600];
	int64_t from;
	struct store *st;

	(void)state;
	agent_id_of(&agent.c, "Aline Administratrice", aline);
	social =
	    find_id(&admin.c, "services", "services", "name", "Service social");
	pmi = find_id(&admin.c, "services", "services", "name", "PMI");
	ins = find_id(&admin.c, "services", "services", "name", "Insertion");
	assert_int_equal(call(&admin.c, "POST", "services",
			     "{\"name\":\"Permanence d'hiver\"}"),
	    201);
	svc = int_of(&admin.c, "id");
	snprintf(path, sizeof(path), "agents/%s", aline);
	snprintf(body, sizeof(body), "{\"service_ids\":[%lld,%lld,%lld,%lld]}",
	    social, pmi, ins, svc);
	assert_int_equal(call(&admin.c, "PUT", path, body), 200);
	snprintf(body, sizeof(body),
	    "{\"service_id\":%lld,\"name\":\"Accueil d'hiver\","
	    "\"duration_min\":30,\"location_type\":\"phone\"}",
	    svc);
	assert_int_equal(call(&admin.c, "POST", "motifs", body), 201);
	motif = int_of(&admin.c, "id");
	snprintf(body, sizeof(body),
	    "{\"agent_id\":\"%s\",\"first_day\":\"2026-01-05\","
	    "\"weekdays\":[1,2,3,4,5],\"start_time\":\"08:00\","
	    "\"end_time\":\"09:00\",\"motif_ids\":[%lld]}",
	    aline, motif);
	assert_int_equal(call(&admin.c, "POST", "plages", body), 201);
	from = (int64_t)time(NULL) * 1000;
	st = store_of_server(url, pwfile);
	assert_int_equal(store_appt_avail_read(st, store_conn(st), demo_org,
			     motif, 0, from, from + 7 * 86400000LL, &av),
	    0);
	assert_int_equal(av.n_plages, 1);
	assert_null(av.plages[0].place_id ? "a place" : NULL);
	store_appt_avail_free(&av);
	snprintf(path, sizeof(path), "services/%lld/archival", svc);
	assert_int_equal(call(&admin.c, "POST", path, NULL), 200);
	assert_int_equal(store_appt_avail_read(st, store_conn(st), demo_org,
			     motif, 0, from, from + 7 * 86400000LL, &av),
	    0);
	assert_int_equal(av.n_plages + av.n_agents, 0);
	store_appt_avail_free(&av);
	store_free(st);
}

/* The item of list plural (read at path) whose id is id, or whose
 * account_id is account; a new reference. */
static json_t *
list_item(struct client *c, const char *path, const char *plural, long long id,
    const char *account)
{
	json_t *o, *x, *item = NULL;
	size_t i;

	assert_int_equal(call(c, "GET", path, NULL), 200);
	o = client_json(c);
	json_array_foreach (json_object_get(o, plural), i, x) {
		const char *a =
		    json_string_value(json_object_get(x, "account_id"));

		if (item == NULL &&
		    (account != NULL ? a != NULL && strcmp(a, account) == 0
				     : json_integer_value(
					   json_object_get(x, "id")) == id))
			item = json_incref(x);
	}
	json_decref(o);
	assert_non_null(item);
	return item;
}

/* GET path answers 200 with exactly want. */
static void
get_is(struct client *c, const char *path, const json_t *want)
{
	json_t *o;
	char *w;

	assert_int_equal(call(c, "GET", path, NULL), 200);
	o = client_json(c);
	if (!json_equal(o, want)) {
		w = json_dumps(want, JSON_SORT_KEYS);
		fail_msg("GET %s: %s, not %s", path, c->body, w ? w : "?");
	}
	json_decref(o);
}

/* GET path answers 200 with exactly the last answer of by (a POST or a
 * PUT of that record). */
static void
get_is_last(struct client *c, const char *path, const struct client *by)
{
	json_t *want = client_json(by);

	assert_non_null(want);
	get_is(c, path, want);
	json_decref(want);
}

/* GET path as c answers the 404 code, with nothing of the record. */
static void
get_unknown(struct client *c, const char *path, const char *code,
    const char *field, const char *secret)
{
	long st = call(c, "GET", path, NULL);

	refused(c, st, 404, code, field);
	if (field == NULL)
		assert_string_equal(member(c, "field"), "");
	if (secret != NULL)
		assert_null(strstr(c->body, secret));
}

/*
 * GET .../{id}: each record as one item of its list shows it, what was
 * created or updated, archived or not; an agent reads what its lists
 * show (another agent's absence too); another organisation, an unknown
 * or malformed id: the 404 of PUT.
 */
static void
test_get_by_id(void **state)
{
	long long service, place, motif, plage, absence, social;
	char martin[64], nguyen[64], body[512], path[128], arch[128];
	char detail[512];
	json_t *item;
	long st;

	(void)state;
	agent_id_of(&agent.c, "Claire Martin", martin);
	agent_id_of(&agent.c, "Minh Nguyen", nguyen);

	/* A service: created, renamed, archived. */
	assert_int_equal(call(&admin.c, "POST", "services",
			     "{\"name\":\"Accueil des gens du voyage\"}"),
	    201);
	service = int_of(&admin.c, "id");
	snprintf(path, sizeof(path), "services/%lld", service);
	get_is_last(&admin.c, path, &admin.c);
	assert_int_equal(call(&admin.c, "PUT", path,
			     "{\"name\":\"Accueil des voyageurs\"}"),
	    200);
	get_is_last(&admin.c, path, &admin.c);
	get_is_last(&agent.c, path, &admin.c);
	item = list_item(&agent.c, "services", "services", service, NULL);
	get_is(&agent.c, path, item);
	json_decref(item);
	snprintf(arch, sizeof(arch), "services/%lld/archival", service);
	assert_int_equal(call(&admin.c, "POST", arch, NULL), 200);
	item = list_item(&admin.c, "services?archived=1", "services", service,
	    NULL);
	assert_true(json_is_true(json_object_get(item, "archived")));
	get_is(&agent.c, path, item);
	json_decref(item);
	get_unknown(&other, path, "SERVICE_INCONNU", NULL, "voyageurs");

	/* A place. */
	assert_int_equal(call(&admin.c, "POST", "places",
			     "{\"name\":\"MDS Bouguenais\",\"address\":\"3 rue "
			     "de la Loire, 44340 Bouguenais\",\"phone\":\"02 "
			     "40 00 00 11\",\"opening_notes\":\"L'après-midi."
			     "\"}"),
	    201);
	place = int_of(&admin.c, "id");
	snprintf(path, sizeof(path), "places/%lld", place);
	get_is_last(&agent.c, path, &admin.c);
	assert_int_equal(call(&admin.c, "PUT", path,
			     "{\"name\":\"MDS Bouguenais-Bourg\",\"address\":"
			     "\"4 rue de la Loire, 44340 Bouguenais\"}"),
	    200);
	get_is_last(&agent.c, path, &admin.c);
	assert_string_equal(member(&agent.c, "phone"), "");
	get_unknown(&other, path, "LIEU_INCONNU", NULL, "Bouguenais");

	/* A motif, with its defaults, then replaced. */
	social =
	    find_id(&admin.c, "services", "services", "name", "Service social");
	snprintf(body, sizeof(body),
	    "{\"service_id\":%lld,\"name\":\"Aide aux vacances\","
	    "\"duration_min\":45,\"location_type\":\"place\"}",
	    social);
	assert_int_equal(call(&admin.c, "POST", "motifs", body), 201);
	motif = int_of(&admin.c, "id");
	snprintf(path, sizeof(path), "motifs/%lld", motif);
	get_is_last(&agent.c, path, &admin.c);
	snprintf(body, sizeof(body),
	    "{\"service_id\":%lld,\"name\":\"Aide aux vacances\","
	    "\"duration_min\":30,\"location_type\":\"place\",\"online\":true,"
	    "\"instructions\":\"Avis d'imposition.\"}",
	    social);
	assert_int_equal(call(&admin.c, "PUT", path, body), 200);
	get_is_last(&agent.c, path, &admin.c);
	item = list_item(&agent.c, "motifs", "motifs", motif, NULL);
	get_is(&agent.c, path, item);
	json_decref(item);
	get_unknown(&other, path, "MOTIF_INCONNU", NULL, "vacances");

	/* A plage of Claire Martin on Saturday mornings of 2028. */
	snprintf(body, sizeof(body),
	    "{\"agent_id\":\"%s\",\"place_id\":%lld,\"name\":\"Samedis\","
	    "\"first_day\":\"2028-01-01\",\"last_day\":\"2028-03-25\","
	    "\"weekdays\":[6],\"start_time\":\"09:00\",\"end_time\":\"12:00\","
	    "\"motif_ids\":[%lld],\"exceptions\":[\"2028-02-12\"]}",
	    martin, place, motif);
	assert_int_equal(call(&admin.c, "POST", "plages", body), 201);
	plage = int_of(&admin.c, "id");
	snprintf(path, sizeof(path), "plages/%lld", plage);
	get_is_last(&agent.c, path, &admin.c);
	snprintf(body, sizeof(body),
	    "{\"agent_id\":\"%s\",\"place_id\":%lld,\"name\":\"Samedis\","
	    "\"first_day\":\"2028-01-01\",\"last_day\":\"2028-03-25\","
	    "\"every_weeks\":2,\"weekdays\":[6],\"start_time\":\"09:30\","
	    "\"end_time\":\"12:00\",\"motif_ids\":[%lld]}",
	    martin, place, motif);
	assert_int_equal(call(&admin.c, "PUT", path, body), 200);
	get_is_last(&agent.c, path, &admin.c);
	assert_string_equal(member(&agent.c, "start_time"), "09:30");
	item = list_item(&agent.c, "plages", "plages", plage, NULL);
	get_is(&agent.c, path, item);
	json_decref(item);
	get_unknown(&other, path, "PLAGE_INCONNUE", NULL, martin);

	/* Another agent's absence: the agent reads it, as its list shows
	 * it, but does not change it. */
	snprintf(body, sizeof(body),
	    "{\"agent_id\":\"%s\",\"first_day\":\"2028-04-03\","
	    "\"start_time\":\"08:00\",\"end_time\":\"12:00\"}",
	    nguyen);
	assert_int_equal(call(&admin.c, "POST", "absences", body), 201);
	absence = int_of(&admin.c, "id");
	snprintf(path, sizeof(path), "absences/%lld", absence);
	get_is_last(&agent.c, path, &admin.c);
	snprintf(body, sizeof(body),
	    "{\"agent_id\":\"%s\",\"first_day\":\"2028-04-03\","
	    "\"last_day\":\"2028-06-26\",\"every_weeks\":1,\"weekdays\":[1],"
	    "\"start_time\":\"08:00\",\"end_time\":\"10:00\"}",
	    nguyen);
	st = call(&agent.c, "PUT", path, body);
	refused(&agent.c, st, 403, "ACTION_INTERDITE", "agent_id");
	assert_int_equal(call(&admin.c, "PUT", path, body), 200);
	get_is_last(&agent.c, path, &admin.c);
	assert_non_null(strstr(agent.c.body, "\"recurring\":true"));
	item = list_item(&agent.c, "absences", "absences", absence, NULL);
	get_is(&agent.c, path, item);
	json_decref(item);
	snprintf(arch, sizeof(arch), "absences/%lld/archival", absence);
	assert_int_equal(call(&admin.c, "POST", arch, NULL), 200);
	item = list_item(&agent.c, "absences?archived=1", "absences", absence,
	    NULL);
	assert_true(json_is_true(json_object_get(item, "archived")));
	get_is(&agent.c, path, item);
	json_decref(item);
	get_unknown(&other, path, "ABSENCE_INCONNUE", NULL, nguyen);

	/* An agent: as the list shows it, its name from the directory;
	 * after a PUT, the services it was given. */
	snprintf(path, sizeof(path), "agents/%s", martin);
	item = list_item(&agent.c, "agents", "agents", 0, martin);
	get_is(&agent.c, path, item);
	assert_string_equal(member(&agent.c, "display_name"), "Claire Martin");
	json_decref(item);
	{
		json_t *o = client_json(&agent.c), *ids;
		char *list;

		ids = json_object_get(o, "service_ids");
		assert_true(json_array_size(ids) > 0);
		list = json_dumps(ids, JSON_COMPACT);
		assert_non_null(list);
		snprintf(body, sizeof(body), "{\"service_ids\":%s}", list);
		free(list);
		json_decref(o);
	}
	assert_int_equal(call(&admin.c, "PUT", path, body), 200);
	item = client_json(&admin.c);
	json_object_set_new(item, "display_name", json_string("Claire Martin"));
	get_is(&agent.c, path, item);
	json_decref(item);
	get_unknown(&other, path, "AGENT_INCONNU", "account_id",
	    "Claire Martin");
	/* An account of another organisation is no agent of this one. */
	snprintf(path, sizeof(path), "agents/%s", other_id);
	get_unknown(&admin.c, path, "AGENT_INCONNU", "account_id", NULL);
	get_unknown(&admin.c, "agents/inconnu", "AGENT_INCONNU", "account_id",
	    NULL);

	/* Unknown and malformed ids: the 404 of PUT, word for word. */
	get_unknown(&admin.c, "services/999999", "SERVICE_INCONNU", NULL, NULL);
	snprintf(detail, sizeof(detail), "%s", member(&admin.c, "detail"));
	st = call(&admin.c, "PUT", "services/999999", "{\"name\":\"X\"}");
	refused(&admin.c, st, 404, "SERVICE_INCONNU", NULL);
	assert_string_equal(member(&admin.c, "detail"), detail);
	get_unknown(&admin.c, "services/abc", "SERVICE_INCONNU", NULL, NULL);
	get_unknown(&admin.c, "services/0", "SERVICE_INCONNU", NULL, NULL);
	get_unknown(&admin.c, "services/-1", "SERVICE_INCONNU", NULL, NULL);
	get_unknown(&admin.c, "places/1x", "LIEU_INCONNU", NULL, NULL);
	get_unknown(&admin.c, "motifs/999999", "MOTIF_INCONNU", NULL, NULL);
	get_unknown(&admin.c, "plages/99999999999999999999", "PLAGE_INCONNUE",
	    NULL, NULL);
	get_unknown(&agent.c, "absences/999999", "ABSENCE_INCONNUE", NULL,
	    NULL);

	/* The DPO reads no list of the planning, nor one of its records. */
	snprintf(path, sizeof(path), "plages/%lld", plage);
	assert_int_equal(call(&dpo.c, "GET", path, NULL), 403);
	snprintf(path, sizeof(path), "services/%lld", service);
	assert_int_equal(call(&dpo.c, "GET", path, NULL), 403);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_agent_reads_the_organisation),
		cmocka_unit_test(test_services_and_places),
		cmocka_unit_test(test_motifs),
		cmocka_unit_test(test_agents),
		cmocka_unit_test(test_plages),
		cmocka_unit_test(test_absences),
		cmocka_unit_test(test_agent_does_not_manage),
		cmocka_unit_test(test_other_organisation_is_not_found),
		cmocka_unit_test(test_only_social_services),
		cmocka_unit_test(test_audit_entries),
		cmocka_unit_test(test_free_slot_read),
		cmocka_unit_test(test_archived_service_offers_nothing),
		cmocka_unit_test(test_agent_export_and_erasure),
		cmocka_unit_test(test_get_by_id),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
