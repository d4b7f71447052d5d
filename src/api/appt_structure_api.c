/*
 * appt_structure_api.c - the organisation side of appointments: the
 * caller's organisation's services, places, agents, motifs, opening
 * hours (plages) and absences, under /api/v1/appointments/.
 *
 * Agents (appt.book) read them all; the agent_admin (appt.admin)
 * changes them; an agent records and archives its own absences. Records
 * of another organisation answer 404 as if they did not exist. Days are
 * "YYYY-MM-DD" and times "HH:MM", local to Europe/Paris; weekdays are
 * ISO numbers (1 Monday .. 7 Sunday). Refusals carry an appointments
 * code (appointments/appt_codes.h) and name the member at fault.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/booking_api.h"
#include "api/guard.h"
#include "app.h"
#include "appointments/appt_codes.h"
#include "appointments/appt_time.h"
#include "auth/directory.h"
#include "http/jsonbody.h"
#include "http/response.h"
#include "service/appt_structure.h"

/* Answers code c (not APPT_OK) as problem+json naming err's field. */
static void
problem(const struct http_request *req, struct http_response *resp,
    enum appt_code c, const struct appt_error *err)
{
	struct appt_error e = { c, NULL, NULL };
	char detail[512];

	if (err != NULL && err->code == c)
		e = *err;
	if (appt_code_name(c) == NULL || c == APPT_OK ||
	    appt_error_detail(&e, detail, sizeof(detail)) < 0) {
		http_problem(req, resp, 500, "internal", NULL,
		    "Erreur interne.");
		return;
	}
	http_problem(req, resp, appt_code_status(c), appt_code_name(c), e.field,
	    "%s", detail);
}

/* Answers a refusal of the body: field at fault, French rule. */
static void
invalid(const struct http_request *req, struct http_response *resp,
    const char *field, const char *rule)
{
	struct appt_error e = { APPT_PARAMETRE_INVALIDE, field, rule };

	problem(req, resp, APPT_PARAMETRE_INVALIDE, &e);
}

/* Answers the result rc of a service call unless it is APPT_OK. Returns
 * 0 for APPT_OK, -1 after answering. */
static int
refused(const struct http_request *req, struct http_response *resp, int rc,
    const struct appt_error *err)
{
	if (rc == APPT_OK)
		return 0;
	if (rc < 0)
		api_unavailable(req, resp);
	else
		problem(req, resp, (enum appt_code)rc, err);
	return -1;
}

/* Reads the numeric path id {id} into *id; else answers unknown. */
static int
path_id(const struct http_request *req, struct http_response *resp,
    enum appt_code unknown, int64_t *id)
{
	if (api_id_parse(http_request_param(req, "id"), id) == 0)
		return 0;
	problem(req, resp, unknown, NULL);
	return -1;
}

/* Copies string member name of obj into dst (size bytes; checked to fit
 * by its field table); "" when absent. */
static void
copy_member(char *dst, size_t size, json_t *obj, const char *name)
{
	const char *s = json_string_value(json_object_get(obj, name));

	snprintf(dst, size, "%s", s != NULL ? s : "");
}

/* Integer member name of obj, or def when absent or null. */
static int64_t
int_member(json_t *obj, const char *name, int64_t def)
{
	json_t *v = json_object_get(obj, name);

	return json_is_integer(v) ? (int64_t)json_integer_value(v) : def;
}

static int
bool_member(json_t *obj, const char *name, int def)
{
	json_t *v = json_object_get(obj, name);

	return json_is_boolean(v) ? json_is_true(v) : def;
}

/* Reads day member name ("YYYY-MM-DD"; def when absent or null). */
static int
day_member(const struct http_request *req, struct http_response *resp,
    json_t *obj, const char *name, int64_t def, int64_t *day)
{
	json_t *v = json_object_get(obj, name);

	*day = def;
	if (v == NULL || json_is_null(v))
		return 0;
	if (json_is_string(v) &&
	    appt_date_parse(json_string_value(v), json_string_length(v), day) ==
		0)
		return 0;
	invalid(req, resp, name, "doit être une date AAAA-MM-JJ");
	return -1;
}

/* Reads time member name ("HH:MM") into minutes. */
static int
time_member(const struct http_request *req, struct http_response *resp,
    json_t *obj, const char *name, int *minute)
{
	json_t *v = json_object_get(obj, name);

	if (json_is_string(v) &&
	    appt_hhmm_parse(json_string_value(v), json_string_length(v),
		minute) == 0)
		return 0;
	invalid(req, resp, name, "doit être une heure HH:MM");
	return -1;
}

/* Reads array member name of positive integers (its length already
 * checked to be at most max) into v. */
static int
ids_member(const struct http_request *req, struct http_response *resp,
    json_t *obj, const char *name, int64_t *v, size_t max, size_t *n)
{
	json_t *a = json_object_get(obj, name), *x;
	size_t i;

	*n = 0;
	json_array_foreach (a, i, x) {
		if (!json_is_integer(x) || json_integer_value(x) <= 0 ||
		    i >= max) {
			invalid(req, resp, name,
			    "doit être une liste d'identifiants");
			return -1;
		}
		v[(*n)++] = (int64_t)json_integer_value(x);
	}
	return 0;
}

/* Reads array member "weekdays" (ISO numbers 1..7) into a mask. */
static int
weekdays_member(const struct http_request *req, struct http_response *resp,
    json_t *obj, unsigned *mask)
{
	json_t *a = json_object_get(obj, "weekdays"), *x;
	size_t i;

	*mask = 0;
	json_array_foreach (a, i, x) {
		if (!json_is_integer(x) || json_integer_value(x) < 1 ||
		    json_integer_value(x) > 7) {
			invalid(req, resp, "weekdays",
			    "doit être une liste de jours de 1 (lundi) à 7 "
			    "(dimanche)");
			return -1;
		}
		*mask |= 1u << (json_integer_value(x) - 1);
	}
	return 0;
}

static json_t *
day_json(int64_t day)
{
	char s[16];

	if (day == APPT_DAY_NONE || appt_date_format(day, s, sizeof(s)) != 0)
		return json_null();
	return json_string(s);
}

static json_t *
time_json(int minute)
{
	char s[8];

	if (appt_hhmm_format(minute, s, sizeof(s)) != 0)
		return json_null();
	return json_string(s);
}

static json_t *
ids_json(const int64_t *v, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, json_integer((json_int_t)v[i]));
	return a;
}

static json_t *
weekdays_json(unsigned mask)
{
	json_t *a = json_array();
	int d;

	for (d = 0; d < 7; d++)
		if (mask & (1u << d))
			json_array_append_new(a, json_integer(d + 1));
	return a;
}

/* The recurrence members of a plage or an absence. */
static void
recur_json(json_t *o, const struct store_appt_recur *r)
{
	json_object_set_new(o, "first_day", day_json(r->first_day));
	json_object_set_new(o, "last_day", day_json(r->last_day));
	json_object_set_new(o, "every_weeks", json_integer(r->every_weeks));
	json_object_set_new(o, "weekdays", weekdays_json(r->weekdays));
	json_object_set_new(o, "start_time", time_json(r->start_min));
	json_object_set_new(o, "end_time", time_json(r->end_min));
}

/* Reads the recurrence members; every_weeks 0 (or absent) for a
 * one-off absence when one_off is allowed. */
static int
recur_body(const struct http_request *req, struct http_response *resp,
    json_t *body, struct store_appt_recur *r)
{
	memset(r, 0, sizeof(*r));
	r->every_weeks = (int)int_member(body, "every_weeks", 0);
	if (day_member(req, resp, body, "first_day", 0, &r->first_day) != 0 ||
	    day_member(req, resp, body, "last_day", APPT_DAY_NONE,
		&r->last_day) != 0 ||
	    weekdays_member(req, resp, body, &r->weekdays) != 0 ||
	    time_member(req, resp, body, "start_time", &r->start_min) != 0 ||
	    time_member(req, resp, body, "end_time", &r->end_min) != 0)
		return -1;
	return 0;
}

/* One request: guard, context, body. */
struct ctx {
	struct api_bctx x;
	json_t *body;
};

/* Guards the request and, with fields, reads and checks its body.
 * Returns 0, or -1 after the problem. */
static int
begin(struct http_request *req, struct http_response *resp, struct ctx *k,
    const struct json_field *fields, size_t n)
{
	k->body = NULL;
	if (api_bctx_begin(req, resp, &k->x, 0) != 0)
		return -1;
	if (fields == NULL)
		return 0;
	if ((k->body = http_json_body(req, resp)) == NULL)
		return -1;
	if (http_json_check(req, resp, k->body, fields, n) != 0) {
		json_decref(k->body);
		k->body = NULL;
		return -1;
	}
	return 0;
}

/* Whether the caller holds appt.admin. */
static int
is_admin(const struct ctx *k)
{
	return rbac_decide(&k->x.c.subj, PERM_APPT_ADMIN, NULL) == RBAC_ALLOW;
}

static int
append(json_t *list, json_t *item)
{
	return item == NULL || json_array_append_new(list, item) != 0 ? -1 : 0;
}

#define NFIELDS(t) (sizeof(t) / sizeof((t)[0]))

/* Archives record kind of the path (numeric id, or the account id of an
 * agent), answering {archived: true}. */
static void
archive(struct http_request *req, struct http_response *resp,
    enum store_appt_kind kind, enum appt_code unknown)
{
	struct appt_error err = { APPT_OK, NULL, NULL };
	struct ctx k;
	int64_t id = 0;
	const char *account = NULL;
	int rc;

	if (begin(req, resp, &k, NULL, 0) != 0)
		return;
	if (kind == STORE_APPT_AGENT)
		account = http_request_param(req, "id");
	else if (path_id(req, resp, unknown, &id) != 0)
		return;
	rc = svc_appt_archive(&k.x.s, &k.x.who, is_admin(&k), kind, id, account,
	    k.x.now, &err);
	if (refused(req, resp, rc, &err) == 0)
		http_response_json(resp, 200,
		    json_pack("{s:b}", "archived", 1));
}

/*
 * One kind of record the API lists, creates, replaces and archives: its
 * body's members, how the body fills a record (whose first member is its
 * int64_t id), how the service saves it, how it is answered and listed.
 */
struct entity {
	const char *plural; /* the list's member */
	const struct json_field *fields;
	size_t nfields;
	size_t size;
	enum store_appt_kind kind;
	enum appt_code unknown;
	int (*fill)(const struct http_request *req, struct http_response *resp,
	    json_t *body, void *rec);
	int (*save)(struct ctx *k, void *rec, struct appt_error *err);
	json_t *(*json)(const void *rec);
	int (*list)(struct ctx *k, const struct store_appt_filter *f,
	    json_t *out);
};

static void
list(struct http_request *req, struct http_response *resp,
    const struct entity *e)
{
	struct store_appt_filter f;
	struct ctx k;
	char v[STORE_ID_MAX];
	json_t *out;

	if (begin(req, resp, &k, NULL, 0) != 0)
		return;
	memset(&f, 0, sizeof(f));
	f.archived = http_request_query(req, "archived", v, sizeof(v)) == 0 &&
	    strcmp(v, "1") == 0;
	if (http_request_query(req, "service_id", v, sizeof(v)) == 0)
		f.service_id = strtoll(v, NULL, 10);
	if (http_request_query(req, "agent_id", v, sizeof(v)) == 0)
		f.agent_id = v;
	out = json_array();
	if (e->list(&k, &f, out) != 0) {
		json_decref(out);
		api_unavailable(req, resp);
		return;
	}
	http_response_json(resp, 200, json_pack("{s:o}", e->plural, out));
}

static void
save(struct http_request *req, struct http_response *resp,
    const struct entity *e, int create)
{
	struct appt_error err = { APPT_OK, NULL, NULL };
	struct ctx k;
	int64_t id = 0;
	void *rec;
	int rc;

	if (begin(req, resp, &k, e->fields, e->nfields) != 0)
		return;
	if ((rec = calloc(1, e->size)) == NULL)
		api_unavailable(req, resp);
	else if ((create || path_id(req, resp, e->unknown, &id) == 0) &&
	    e->fill(req, resp, k.body, rec) == 0) {
		*(int64_t *)rec = id;
		rc = e->save(&k, rec, &err);
		if (refused(req, resp, rc, &err) == 0)
			http_response_json(resp, create ? 201 : 200,
			    e->json(rec));
	}
	json_decref(k.body);
	free(rec);
}

/* Answers record e of the path as one item of its list shows it
 * (archived or not); another organisation's is unknown, as for PUT. */
static void
get(struct http_request *req, struct http_response *resp,
    const struct entity *e)
{
	struct appt_error err = { APPT_OK, NULL, NULL };
	struct ctx k;
	int64_t id = 0;
	void *rec;
	int rc;

	if (begin(req, resp, &k, NULL, 0) != 0 ||
	    path_id(req, resp, e->unknown, &id) != 0)
		return;
	if ((rec = calloc(1, e->size)) == NULL) {
		api_unavailable(req, resp);
		return;
	}
	rc = svc_appt_record_get(&k.x.s, k.x.who.org_id, e->kind, id, NULL, rec,
	    &err);
	if (refused(req, resp, rc, &err) == 0)
		http_response_json(resp, 200, e->json(rec));
	free(rec);
}

/* The five handlers of an entity. */
#define HANDLERS(name, plural, e)                                              \
	void api_appt_##plural(struct http_request *req,                       \
	    struct http_response *resp)                                        \
	{                                                                      \
		list(req, resp, &(e));                                         \
	}                                                                      \
	void api_appt_##name##_get(struct http_request *req,                   \
	    struct http_response *resp)                                        \
	{                                                                      \
		get(req, resp, &(e));                                          \
	}                                                                      \
	void api_appt_##name##_create(struct http_request *req,                \
	    struct http_response *resp)                                        \
	{                                                                      \
		save(req, resp, &(e), 1);                                      \
	}                                                                      \
	void api_appt_##name##_update(struct http_request *req,                \
	    struct http_response *resp)                                        \
	{                                                                      \
		save(req, resp, &(e), 0);                                      \
	}                                                                      \
	void api_appt_##name##_archive(struct http_request *req,               \
	    struct http_response *resp)                                        \
	{                                                                      \
		archive(req, resp, (e).kind, (e).unknown);                     \
	}

/* Services. */

static const struct json_field service_fields[] = {
	{ "name", JK_STRING, 1, 1, APPT_NAME_MAX - 1 },
};

static json_t *
service_json(const void *rec)
{
	const struct store_appt_service *s = rec;

	return json_pack("{s:I, s:s, s:b}", "id", (json_int_t)s->id, "name",
	    s->name, "archived", s->archived_at != 0);
}

static int
add_service(void *arg, const struct store_appt_service *s)
{
	return append(arg, service_json(s));
}

static int
service_list(struct ctx *k, const struct store_appt_filter *f, json_t *out)
{
	return svc_appt_services_list(&k->x.s, k->x.who.org_id, f, add_service,
	    out);
}

static int
service_fill(const struct http_request *req, struct http_response *resp,
    json_t *body, void *rec)
{
	struct store_appt_service *s = rec;

	(void)req;
	(void)resp;
	copy_member(s->name, sizeof(s->name), body, "name");
	return 0;
}

static int
service_save(struct ctx *k, void *rec, struct appt_error *err)
{
	return svc_appt_service_save(&k->x.s, &k->x.who, rec, k->x.now, err);
}

static const struct entity services = { "services", service_fields,
	NFIELDS(service_fields), sizeof(struct store_appt_service),
	STORE_APPT_SERVICE, APPT_SERVICE_INCONNU, service_fill, service_save,
	service_json, service_list };

HANDLERS(service, services, services)

/* Places. */

static const struct json_field place_fields[] = {
	{ "name", JK_STRING, 1, 1, APPT_NAME_MAX - 1 },
	{ "address", JK_STRING, 1, 1, APPT_ADDRESS_MAX - 1 },
	{ "phone", JK_STRING, 0, 0, APPT_PHONE_MAX - 1 },
	{ "opening_notes", JK_STRING, 0, 0, APPT_NOTES_MAX - 1 },
	{ "rooms", JK_INTEGER, 0, 0, 1000 },
};

static json_t *
place_json(const void *rec)
{
	const struct store_appt_place *p = rec;

	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:i, s:b}", "id",
	    (json_int_t)p->id, "name", p->name, "address", p->address, "phone",
	    p->phone, "opening_notes", p->opening_notes, "rooms", p->rooms,
	    "archived", p->archived_at != 0);
}

static int
add_place(void *arg, const struct store_appt_place *p)
{
	return append(arg, place_json(p));
}

static int
place_list(struct ctx *k, const struct store_appt_filter *f, json_t *out)
{
	return svc_appt_places_list(&k->x.s, k->x.who.org_id, f, add_place,
	    out);
}

static int
place_fill(const struct http_request *req, struct http_response *resp,
    json_t *body, void *rec)
{
	struct store_appt_place *p = rec;

	(void)req;
	(void)resp;
	copy_member(p->name, sizeof(p->name), body, "name");
	copy_member(p->address, sizeof(p->address), body, "address");
	copy_member(p->phone, sizeof(p->phone), body, "phone");
	copy_member(p->opening_notes, sizeof(p->opening_notes), body,
	    "opening_notes");
	p->rooms = (int)int_member(body, "rooms", 0);
	return 0;
}

static int
place_save(struct ctx *k, void *rec, struct appt_error *err)
{
	return svc_appt_place_save(&k->x.s, &k->x.who, rec, k->x.now, err);
}

static const struct entity places = { "places", place_fields,
	NFIELDS(place_fields), sizeof(struct store_appt_place),
	STORE_APPT_PLACE, APPT_LIEU_INCONNU, place_fill, place_save, place_json,
	place_list };

HANDLERS(place, places, places)

/* Agents: their names come from the organisation's directory. */

static const struct json_field agent_fields[] = {
	{ "service_ids", JK_ARRAY, 1, 1, APPT_AGENT_SERVICES_MAX },
};

static json_t *
agent_json(const struct store_appt_agent *a, json_t *names)
{
	json_t *name = json_object_get(names, a->account_id);

	return json_pack("{s:s, s:O, s:o, s:b}", "account_id", a->account_id,
	    "display_name", name != NULL ? name : json_null(), "service_ids",
	    ids_json(a->services, a->n_services), "archived",
	    a->archived_at != 0);
}

static int
add_name(void *arg, const struct account_info *info,
    const struct store_role *roles, size_t nroles)
{
	(void)roles;
	(void)nroles;
	return json_object_set_new(arg, info->id,
	    info->display_name != NULL ? json_string(info->display_name)
				       : json_null());
}

struct agents_out {
	json_t *list, *names;
};

static int
add_agent(void *arg, const struct store_appt_agent *a)
{
	struct agents_out *o = arg;

	return append(o->list, agent_json(a, o->names));
}

void
api_appt_agents(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct store_appt_filter f;
	struct agents_out o;
	struct ctx k;
	char v[4];
	int rc;

	if (begin(req, resp, &k, NULL, 0) != 0)
		return;
	memset(&f, 0, sizeof(f));
	f.archived = http_request_query(req, "archived", v, sizeof(v)) == 0 &&
	    strcmp(v, "1") == 0;
	o.list = json_array();
	o.names = json_object();
	rc = directory_list(&app->auth, k.x.who.org_id, add_name, o.names);
	if (rc == 0)
		rc = svc_appt_agents_list(&k.x.s, k.x.who.org_id, &f, add_agent,
		    &o);
	json_decref(o.names);
	if (rc != 0) {
		json_decref(o.list);
		api_unavailable(req, resp);
		return;
	}
	http_response_json(resp, 200, json_pack("{s:o}", "agents", o.list));
}

/* One agent as the agents' list shows it (archived or not). */
void
api_appt_agent_get(struct http_request *req, struct http_response *resp)
{
	struct appt_error err = { APPT_OK, NULL, NULL };
	struct app *app = req->app;
	struct store_appt_agent a;
	struct ctx k;
	json_t *names;
	int rc;

	memset(&a, 0, sizeof(a));
	if (begin(req, resp, &k, NULL, 0) != 0)
		return;
	rc = svc_appt_record_get(&k.x.s, k.x.who.org_id, STORE_APPT_AGENT, 0,
	    http_request_param(req, "id"), &a, &err);
	if (refused(req, resp, rc, &err) != 0)
		return;
	names = json_object();
	if (names == NULL ||
	    directory_list(&app->auth, k.x.who.org_id, add_name, names) != 0) {
		json_decref(names);
		api_unavailable(req, resp);
		return;
	}
	http_response_json(resp, 200, agent_json(&a, names));
	json_decref(names);
}

void
api_appt_agent_put(struct http_request *req, struct http_response *resp)
{
	struct appt_error err = { APPT_OK, NULL, NULL };
	struct store_appt_agent in;
	struct ctx k;
	const char *id;
	int rc;

	memset(&in, 0, sizeof(in));
	if (begin(req, resp, &k, agent_fields, NFIELDS(agent_fields)) != 0)
		return;
	id = http_request_param(req, "id");
	snprintf(in.account_id, sizeof(in.account_id), "%s", id ? id : "");
	if (ids_member(req, resp, k.body, "service_ids", in.services,
		APPT_AGENT_SERVICES_MAX, &in.n_services) == 0) {
		rc = svc_appt_agent_put(&k.x.s, &k.x.who, &in, k.x.now, &err);
		if (refused(req, resp, rc, &err) == 0)
			http_response_json(resp, 200,
			    json_pack("{s:s, s:o, s:b}", "account_id",
				in.account_id, "service_ids",
				ids_json(in.services, in.n_services),
				"archived", 0));
	}
	json_decref(k.body);
}

void
api_appt_agent_archive(struct http_request *req, struct http_response *resp)
{
	archive(req, resp, STORE_APPT_AGENT, APPT_AGENT_INCONNU);
}

/* Motifs. */

static const struct json_field motif_fields[] = {
	{ "service_id", JK_INTEGER, 1, 1, INT64_MAX },
	{ "name", JK_STRING, 1, 1, APPT_NAME_MAX - 1 },
	{ "duration_min", JK_INTEGER, 1, 1, 1440 },
	{ "location_type", JK_STRING, 1, 1, APPT_MOTIF_LOCATION_MAX - 1 },
	{ "online", JK_BOOLEAN, 0, 0, 0 },
	{ "min_delay_min", JK_INTEGER, 0, 0, 10000000 },
	{ "max_delay_min", JK_INTEGER, 0, 0, 10000000 },
	{ "collective", JK_BOOLEAN, 0, 0, 0 },
	{ "capacity", JK_INTEGER, 0, 0, 100000 },
	{ "cancel_deadline_min", JK_INTEGER, 0, 0, 10000000 },
	{ "reminder_before_min", JK_INTEGER, 0, 0, 10000000 },
	{ "instructions", JK_STRING, 0, 0, APPT_INSTRUCTIONS_MAX - 1 },
};

static json_t *
motif_json(const void *rec)
{
	const struct store_appt_motif *m = rec;

	return json_pack("{s:I, s:I, s:s, s:i, s:s, s:b, s:I, s:I, s:b, s:i,"
			 " s:I, s:I, s:s, s:b}",
	    "id", (json_int_t)m->id, "service_id", (json_int_t)m->service_id,
	    "name", m->name, "duration_min", m->duration_min, "location_type",
	    m->location_type, "online", m->online, "min_delay_min",
	    (json_int_t)m->min_delay_min, "max_delay_min",
	    (json_int_t)m->max_delay_min, "collective", m->collective,
	    "capacity", m->capacity, "cancel_deadline_min",
	    (json_int_t)m->cancel_deadline_min, "reminder_before_min",
	    (json_int_t)m->reminder_before_min, "instructions", m->instructions,
	    "archived", m->archived_at != 0);
}

static int
add_motif(void *arg, const struct store_appt_motif *m)
{
	return append(arg, motif_json(m));
}

static int
motif_list(struct ctx *k, const struct store_appt_filter *f, json_t *out)
{
	return svc_appt_motifs_list(&k->x.s, k->x.who.org_id, f, add_motif,
	    out);
}

/* The defaults of a motif's optional members (RDV-Service-Public's):
 * booked from 30 minutes to 90 days ahead, cancelled by the user until
 * 4 hours before, reminded 2 days before. */
#define MOTIF_MIN_DELAY_MIN 30
#define MOTIF_MAX_DELAY_MIN (90 * 1440)
#define MOTIF_DEADLINE_MIN 240
#define MOTIF_REMINDER_MIN (2 * 1440)

static int
motif_fill(const struct http_request *req, struct http_response *resp,
    json_t *b, void *rec)
{
	struct store_appt_motif *m = rec;

	(void)req;
	(void)resp;
	m->service_id = int_member(b, "service_id", 0);
	copy_member(m->name, sizeof(m->name), b, "name");
	m->duration_min = (int)int_member(b, "duration_min", 0);
	copy_member(m->location_type, sizeof(m->location_type), b,
	    "location_type");
	m->online = bool_member(b, "online", 0);
	m->min_delay_min = int_member(b, "min_delay_min", MOTIF_MIN_DELAY_MIN);
	m->max_delay_min = int_member(b, "max_delay_min", MOTIF_MAX_DELAY_MIN);
	m->collective = bool_member(b, "collective", 0);
	m->capacity = (int)int_member(b, "capacity", 0);
	m->cancel_deadline_min =
	    int_member(b, "cancel_deadline_min", MOTIF_DEADLINE_MIN);
	m->reminder_before_min =
	    int_member(b, "reminder_before_min", MOTIF_REMINDER_MIN);
	copy_member(m->instructions, sizeof(m->instructions), b,
	    "instructions");
	return 0;
}

static int
motif_save(struct ctx *k, void *rec, struct appt_error *err)
{
	return svc_appt_motif_save(&k->x.s, &k->x.who, rec, k->x.now, err);
}

static const struct entity motifs = { "motifs", motif_fields,
	NFIELDS(motif_fields), sizeof(struct store_appt_motif),
	STORE_APPT_MOTIF, APPT_MOTIF_INCONNU, motif_fill, motif_save,
	motif_json, motif_list };

HANDLERS(motif, motifs, motifs)

/* Plages. */

static const struct json_field plage_fields[] = {
	{ "agent_id", JK_STRING, 1, 1, STORE_ID_MAX - 1 },
	{ "place_id", JK_INTEGER, 0, 1, INT64_MAX },
	{ "name", JK_STRING, 0, 0, APPT_NAME_MAX - 1 },
	{ "first_day", JK_STRING, 1, 10, 10 },
	{ "last_day", JK_STRING, 0, 10, 10 },
	{ "every_weeks", JK_INTEGER, 0, 1, 52 },
	{ "weekdays", JK_ARRAY, 1, 1, 7 },
	{ "start_time", JK_STRING, 1, 5, 5 },
	{ "end_time", JK_STRING, 1, 5, 5 },
	{ "motif_ids", JK_ARRAY, 1, 1, APPT_PLAGE_MOTIFS_MAX },
	{ "exceptions", JK_ARRAY, 0, 0, APPT_PLAGE_EXCEPTIONS_MAX },
};

static json_t *
plage_json(const void *rec)
{
	const struct store_appt_plage *p = rec;
	json_t *o, *ex = json_array();
	size_t i;

	for (i = 0; i < p->n_exceptions; i++)
		json_array_append_new(ex, day_json(p->exceptions[i]));
	o = json_pack("{s:I, s:s, s:o, s:s, s:o, s:o, s:b}", "id",
	    (json_int_t)p->id, "agent_id", p->agent_id, "place_id",
	    p->place_id ? json_integer((json_int_t)p->place_id) : json_null(),
	    "name", p->name, "motif_ids", ids_json(p->motifs, p->n_motifs),
	    "exceptions", ex, "archived", p->archived_at != 0);
	if (o != NULL)
		recur_json(o, &p->r);
	return o;
}

static int
add_plage(void *arg, const struct store_appt_plage *p)
{
	return append(arg, plage_json(p));
}

static int
plage_list(struct ctx *k, const struct store_appt_filter *f, json_t *out)
{
	return svc_appt_plages_list(&k->x.s, k->x.who.org_id, f, add_plage,
	    out);
}

/* Reads the exception days of a plage. */
static int
exceptions_member(const struct http_request *req, struct http_response *resp,
    json_t *obj, struct store_appt_plage *p)
{
	json_t *a = json_object_get(obj, "exceptions"), *x;
	size_t i;

	p->n_exceptions = 0;
	json_array_foreach (a, i, x) {
		if (!json_is_string(x) ||
		    appt_date_parse(json_string_value(x), json_string_length(x),
			&p->exceptions[p->n_exceptions]) != 0) {
			invalid(req, resp, "exceptions",
			    "doit être une liste de dates AAAA-MM-JJ");
			return -1;
		}
		p->n_exceptions++;
	}
	return 0;
}

static int
plage_fill(const struct http_request *req, struct http_response *resp,
    json_t *b, void *rec)
{
	struct store_appt_plage *p = rec;

	if (recur_body(req, resp, b, &p->r) != 0 ||
	    ids_member(req, resp, b, "motif_ids", p->motifs,
		APPT_PLAGE_MOTIFS_MAX, &p->n_motifs) != 0 ||
	    exceptions_member(req, resp, b, p) != 0)
		return -1;
	copy_member(p->agent_id, sizeof(p->agent_id), b, "agent_id");
	copy_member(p->name, sizeof(p->name), b, "name");
	p->place_id = int_member(b, "place_id", 0);
	if (p->r.every_weeks == 0)
		p->r.every_weeks = 1;
	return 0;
}

static int
plage_save(struct ctx *k, void *rec, struct appt_error *err)
{
	return svc_appt_plage_save(&k->x.s, &k->x.who, rec, k->x.now, err);
}

static const struct entity plages = { "plages", plage_fields,
	NFIELDS(plage_fields), sizeof(struct store_appt_plage),
	STORE_APPT_PLAGE, APPT_PLAGE_INCONNUE, plage_fill, plage_save,
	plage_json, plage_list };

HANDLERS(plage, plages, plages)

/* Absences. */

static const struct json_field absence_fields[] = {
	{ "agent_id", JK_STRING, 1, 1, STORE_ID_MAX - 1 },
	{ "first_day", JK_STRING, 1, 10, 10 },
	{ "last_day", JK_STRING, 0, 10, 10 },
	{ "every_weeks", JK_INTEGER, 0, 0, 52 },
	{ "weekdays", JK_ARRAY, 0, 0, 7 },
	{ "start_time", JK_STRING, 1, 5, 5 },
	{ "end_time", JK_STRING, 1, 5, 5 },
};

static json_t *
absence_json(const void *rec)
{
	const struct store_appt_absence *a = rec;
	json_t *o = json_pack("{s:I, s:s, s:b, s:b}", "id", (json_int_t)a->id,
	    "agent_id", a->agent_id, "recurring", a->r.every_weeks != 0,
	    "archived", a->archived_at != 0);

	if (o != NULL)
		recur_json(o, &a->r);
	return o;
}

static int
add_absence(void *arg, const struct store_appt_absence *a)
{
	return append(arg, absence_json(a));
}

static int
absence_list(struct ctx *k, const struct store_appt_filter *f, json_t *out)
{
	return svc_appt_absences_list(&k->x.s, k->x.who.org_id, f, add_absence,
	    out);
}

static int
absence_fill(const struct http_request *req, struct http_response *resp,
    json_t *b, void *rec)
{
	struct store_appt_absence *a = rec;

	if (recur_body(req, resp, b, &a->r) != 0)
		return -1;
	copy_member(a->agent_id, sizeof(a->agent_id), b, "agent_id");
	/* A one-off absence within one day needs no last day. */
	if (a->r.every_weeks == 0 && a->r.last_day == APPT_DAY_NONE)
		a->r.last_day = a->r.first_day;
	return 0;
}

static int
absence_save(struct ctx *k, void *rec, struct appt_error *err)
{
	return svc_appt_absence_save(&k->x.s, &k->x.who, is_admin(k), rec,
	    k->x.now, err);
}

static const struct entity absences = { "absences", absence_fields,
	NFIELDS(absence_fields), sizeof(struct store_appt_absence),
	STORE_APPT_ABSENCE, APPT_ABSENCE_INCONNUE, absence_fill, absence_save,
	absence_json, absence_list };

HANDLERS(absence, absences, absences)
