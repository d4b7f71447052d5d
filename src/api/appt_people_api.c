/*
 * appt_people_api.c - the people's side of appointments: users and
 * relatives, appointments, free slots (agents, appt.book, their own
 * organisation only), and online booking by users (public motifs, free
 * slots and holds; the signed-in user's confirmation, list and
 * cancellation). Thin handlers over service/appt_people.h and
 * service/appt_online.h; refusals carry an appointments code
 * (appointments/appt_codes.h) naming the member at fault.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "api/api.h"
#include "api/booking_api.h"
#include "api/guard.h"
#include "app.h"
#include "appointments/appt_codes.h"
#include "appointments/appt_slots.h"
#include "core/clock.h"
#include "http/jsonbody.h"
#include "http/response.h"
#include "service/appt_directory.h"
#include "service/appt_online.h"
#include "service/appt_people.h"
#include "service/appt_structure.h"

#define LIST_MAX 2000 /* appointments one list answers at most */

void
api_appt_problem(const struct http_request *req, struct http_response *resp,
    int rc, const struct appt_error *err)
{
	struct appt_error e = { (enum appt_code)rc, NULL, NULL };
	char detail[512];

	if (rc < 0) {
		api_unavailable(req, resp);
		return;
	}
	if (err != NULL && (int)err->code == rc)
		e = *err;
	if (appt_code_name(e.code) == NULL || e.code == APPT_OK ||
	    appt_error_detail(&e, detail, sizeof(detail)) < 0) {
		http_problem(req, resp, 500, "internal", NULL,
		    "Erreur interne.");
		return;
	}
	http_problem(req, resp, appt_code_status(e.code),
	    appt_code_name(e.code), e.field, "%s", detail);
}

/* Answers rc unless APPT_OK. Returns 0 for APPT_OK, -1 after answering. */
static int
refused(const struct http_request *req, struct http_response *resp, int rc,
    const struct appt_error *err)
{
	if (rc == APPT_OK)
		return 0;
	api_appt_problem(req, resp, rc, err);
	return -1;
}

static int
invalid(const struct http_request *req, struct http_response *resp,
    const char *field, const char *rule)
{
	struct appt_error e = { APPT_PARAMETRE_INVALIDE, field, rule };

	api_appt_problem(req, resp, APPT_PARAMETRE_INVALIDE, &e);
	return -1;
}

/* Path parameter name as a positive id. */
static int
id_param(const struct http_request *req, struct http_response *resp,
    const char *name, enum appt_code unknown, int64_t *id)
{
	if (api_id_parse(http_request_param(req, name), id) == 0)
		return 0;
	return refused(req, resp, unknown, NULL);
}

/* Query argument name as a positive id (def when absent). */
static int
id_query(const struct http_request *req, struct http_response *resp,
    const char *name, int64_t def, int64_t *out)
{
	char v[24];
	int rc = http_request_query(req, name, v, sizeof(v));

	*out = def;
	if (rc == 1 || (rc == 0 && api_id_parse(v, out) == 0))
		return 0;
	return invalid(req, resp, name, "doit être un identifiant");
}

/* Query argument name as a UTC time (required unless def >= 0). */
static int
time_query(const struct http_request *req, struct http_response *resp,
    const char *name, int64_t def, int64_t *out)
{
	char v[40];
	int rc = http_request_query(req, name, v, sizeof(v));

	*out = def;
	if ((rc == 1 && def >= 0) || (rc == 0 && clock_parse_utc(v, out) == 0))
		return 0;
	return invalid(req, resp, name,
	    "doit être une date et heure UTC (2026-11-25T14:30:00Z)");
}

/* Time member name of obj (a UTC time string). */
static int
time_member(const struct http_request *req, struct http_response *resp,
    json_t *obj, const char *name, int64_t *out)
{
	const char *s = json_string_value(json_object_get(obj, name));

	if (s != NULL && clock_parse_utc(s, out) == 0)
		return 0;
	return invalid(req, resp, name,
	    "doit être une date et heure UTC (2026-11-25T14:30:00Z)");
}

/* The context of a request by an agent (appt.book). */
static int
agent_begin(struct http_request *req, struct http_response *resp,
    struct api_bctx *x)
{
	return api_bctx_begin(req, resp, x, 0);
}

/* The context of a public request (no session). */
static void
public_begin(struct http_request *req, struct api_bctx *x)
{
	struct app *app = req->app;

	memset(x, 0, sizeof(*x));
	x->s.a = &app->auth;
	x->s.r = &app->rules;
	x->who.ip = req->client_ip;
	x->who.request_id = req->request_id;
	x->now = clock_now_ms(app->clock);
}

/* Answers rc: the refusal, or status with {id}. */
static void
answer_id(const struct http_request *req, struct http_response *resp, int rc,
    const struct appt_error *err, int status, int64_t id)
{
	if (refused(req, resp, rc, err) == 0)
		http_response_json(resp, status,
		    json_pack("{s:I}", "id", (json_int_t)id));
}

/* An agent's request with a body matching fields (n): the body, or NULL
 * after the problem. */
static json_t *
agent_body(struct http_request *req, struct http_response *resp,
    struct api_bctx *x, const struct json_field *fields, size_t n)
{
	json_t *body;

	if (agent_begin(req, resp, x) != 0 ||
	    (body = http_json_body(req, resp)) == NULL)
		return NULL;
	if (http_json_check(req, resp, body, fields, n) != 0) {
		json_decref(body);
		return NULL;
	}
	return body;
}

/* The user fields of a body (every member a string but children): the
 * person's own (USER_FIELDS_PERSON), then what only an agent sets: the
 * reminders choice of a person without an account, and (creation only)
 * the responsible user. */
static const struct json_field user_fields[] = {
	{ "last_name", JK_STRING, 0, 0, 200 },
	{ "birth_name", JK_STRING, 0, 0, 200 },
	{ "first_names", JK_STRING, 0, 0, 200 },
	{ "birth_date", JK_STRING, 0, 0, 10 },
	{ "email", JK_STRING, 0, 0, 254 },
	{ "phone", JK_STRING, 0, 0, 20 },
	{ "address", JK_STRING, 0, 0, 300 },
	{ "caf_number", JK_STRING, 0, 0, 20 },
	{ "family_situation", JK_STRING, 0, 0, 16 },
	{ "children", JK_INTEGER, 0, 0, 30 },
	{ "notes", JK_STRING, 0, 0, 1000 },
	{ "reminders", JK_BOOLEAN, 0, 0, 0 },
	{ "responsible_id", JK_INTEGER, 0, 1, INT64_MAX },
};
#define USER_FIELDS_ALL (sizeof(user_fields) / sizeof(user_fields[0]))
#define USER_FIELDS_PERSON (USER_FIELDS_ALL - 2)

/* Points in at the members of obj; children is written into buf. */
static void
user_in(json_t *obj, struct svc_appt_user_in *in, char *buf, size_t size)
{
	json_t *ch = json_object_get(obj, "children");
	size_t i;

	memset(in, 0, sizeof(*in));
	for (i = 0; i < AUF_COUNT; i++)
		in->f[i] = json_string_value(
		    json_object_get(obj, store_appt_user_columns[i]));
	if (json_is_integer(ch)) {
		snprintf(buf, size, "%lld", (long long)json_integer_value(ch));
		in->f[AUF_CHILDREN] = buf;
	}
	if (json_is_boolean(json_object_get(obj, "reminders")))
		in->reminders =
		    json_is_true(json_object_get(obj, "reminders")) ? 1 : -1;
}

int
api_appt_person_in(const struct http_request *req, struct http_response *resp,
    json_t *user, struct svc_appt_user_in *in, char *buf, size_t size)
{
	if (http_json_check(req, resp, user, user_fields, USER_FIELDS_PERSON) !=
	    0)
		return -1;
	user_in(user, in, buf, size);
	return 0;
}

static json_t *
user_json(const struct svc_appt_user *u)
{
	json_t *o = json_pack("{s:I, s:o, s:b, s:o}", "id", (json_int_t)u->id,
	    "responsible_id",
	    u->responsible_id ? json_integer(u->responsible_id) : json_null(),
	    "has_account", u->account_id[0] != '\0', "reminders_at",
	    u->reminders_at ? api_time_json(u->reminders_at) : json_null());
	size_t i;

	for (i = 0; o != NULL && i < AUF_COUNT; i++)
		json_object_set_new(o, store_appt_user_columns[i],
		    u->f[i][0] != '\0' ? json_string(u->f[i]) : json_null());
	return o;
}

void
api_appt_user_create(struct http_request *req, struct http_response *resp)
{
	struct api_bctx x;
	struct svc_appt_user_in in;
	struct appt_error err = { 0 };
	char children[8];
	int64_t id = 0;
	json_t *body;
	int rc;

	if ((body = agent_body(req, resp, &x, user_fields, USER_FIELDS_ALL)) ==
	    NULL)
		return;
	user_in(body, &in, children, sizeof(children));
	rc = svc_appt_user_create(&x.s, &x.who, x.who.org_id,
	    (int64_t)json_integer_value(
		json_object_get(body, "responsible_id")),
	    NULL, &in, x.now, &id, &err);
	json_decref(body);
	answer_id(req, resp, rc, &err, 201, id);
}

void
api_appt_user_get(struct http_request *req, struct http_response *resp)
{
	struct api_bctx x;
	struct svc_appt_user *u;
	int64_t id, rel[APPT_USERS_FOUND_MAX];
	size_t n = 0, i;
	json_t *o, *list;
	int rc;

	if (agent_begin(req, resp, &x) != 0 ||
	    id_param(req, resp, "id", APPT_USAGER_INCONNU, &id) != 0)
		return;
	if ((u = calloc(1, sizeof(*u))) == NULL) {
		api_unavailable(req, resp);
		return;
	}
	rc = svc_appt_user_get(&x.s, x.who.org_id, id, u);
	if (rc == APPT_OK && u->responsible_id == 0)
		rc = svc_appt_user_relatives(&x.s, x.who.org_id, id, rel,
		    APPT_USERS_FOUND_MAX, &n);
	if (refused(req, resp, rc, NULL) == 0) {
		o = user_json(u);
		list = json_array();
		for (i = 0; i < n; i++)
			json_array_append_new(list, json_integer(rel[i]));
		json_object_set_new(o, "relative_ids", list);
		http_response_json(resp, 200, o);
	}
	sodium_memzero(u, sizeof(*u));
	free(u);
}

void
api_appt_user_update(struct http_request *req, struct http_response *resp)
{
	struct api_bctx x;
	struct svc_appt_user_in in;
	struct svc_appt_user *u;
	struct appt_error err = { 0 };
	char children[8];
	int64_t id;
	json_t *body;
	int rc;

	/* Every field as on creation but the responsible user: a record
	 * stays whose relative it is. */
	if ((body = agent_body(req, resp, &x, user_fields,
		 USER_FIELDS_ALL - 1)) == NULL)
		return;
	if (id_param(req, resp, "id", APPT_USAGER_INCONNU, &id) != 0) {
		json_decref(body);
		return;
	}
	user_in(body, &in, children, sizeof(children));
	rc = svc_appt_user_update(&x.s, &x.who, x.who.org_id, id, &in, x.now,
	    &err);
	json_decref(body);
	if (refused(req, resp, rc, &err) != 0)
		return;
	if ((u = calloc(1, sizeof(*u))) == NULL) {
		api_unavailable(req, resp);
		return;
	}
	rc = svc_appt_user_get(&x.s, x.who.org_id, id, u);
	if (refused(req, resp, rc, NULL) == 0)
		http_response_json(resp, 200, user_json(u));
	sodium_memzero(u, sizeof(*u));
	free(u);
}

void
api_appt_user_search(struct http_request *req, struct http_response *resp)
{
	struct api_bctx x;
	struct svc_appt_user *u;
	char last[204], birth[16], email[260], phone[24];
	int64_t ids[APPT_USERS_FOUND_MAX];
	size_t n = 0, i;
	json_t *list;
	int rc;

	if (agent_begin(req, resp, &x) != 0)
		return;
	if (http_request_query(req, "last_name", last, sizeof(last)) != 0)
		last[0] = '\0';
	if (http_request_query(req, "birth_date", birth, sizeof(birth)) != 0)
		birth[0] = '\0';
	if (http_request_query(req, "email", email, sizeof(email)) != 0)
		email[0] = '\0';
	if (http_request_query(req, "phone", phone, sizeof(phone)) != 0)
		phone[0] = '\0';
	rc = svc_appt_user_search(&x.s, x.who.org_id, last, birth, email, phone,
	    ids, APPT_USERS_FOUND_MAX, &n);
	if (rc == APPT_PARAMETRE_INVALIDE) {
		invalid(req, resp, "last_name",
		    "ou email ou phone : un critère de recherche est"
		    " obligatoire");
		return;
	}
	if (refused(req, resp, rc, NULL) != 0)
		return;
	if ((u = calloc(1, sizeof(*u))) == NULL) {
		api_unavailable(req, resp);
		return;
	}
	list = json_array();
	for (i = 0; i < n; i++)
		if (svc_appt_user_get(&x.s, x.who.org_id, ids[i], u) == APPT_OK)
			json_array_append_new(list, user_json(u));
	sodium_memzero(u, sizeof(*u));
	free(u);
	http_response_json(resp, 200, json_pack("{s:o}", "users", list));
}

static json_t *
listed_json(const struct store_appt_listed *a)
{
	return json_pack("{s:I, s:s, s:I, s:s, s:o, s:o, s:o, s:s, s:o, s:I, "
			 "s:s, s:b, s:I, s:I}",
	    "id", (json_int_t)a->id, "org_id", a->org_id, "motif_id",
	    (json_int_t)a->motif_id, "motif_name", a->motif_name, "place_id",
	    a->place_id ? json_integer(a->place_id) : json_null(), "place_name",
	    a->place_name[0] ? json_string(a->place_name) : json_null(),
	    "place_address",
	    a->place_address[0] ? json_string(a->place_address) : json_null(),
	    "location_type", a->location_type, "start_at",
	    api_time_json(a->start_at), "duration_min",
	    (json_int_t)a->duration_min, "status", a->status, "collective",
	    a->collective, "capacity", (json_int_t)a->capacity, "participants",
	    (json_int_t)a->participants);
}

static int
listed(void *arg, const struct store_appt_listed *a)
{
	return json_array_size(arg) >= LIST_MAX
	    ? 1
	    : json_array_append_new(arg, listed_json(a));
}

static int
file_listed(void *arg, int64_t user_id, const struct store_appt_listed *a)
{
	json_t *o;

	if (json_array_size(arg) >= LIST_MAX)
		return 1;
	o = listed_json(a);
	json_object_set_new(o, "user_id", json_integer(user_id));
	return json_array_append_new(arg, o);
}

/* GET /api/v1/appointments/users/{id}/appointments: the appointments of a
 * user of the agent's organisation and of their relatives. */
void
api_appt_user_file(struct http_request *req, struct http_response *resp)
{
	struct api_bctx x;
	int64_t id;
	json_t *list;
	int rc;

	if (agent_begin(req, resp, &x) != 0 ||
	    id_param(req, resp, "id", APPT_USAGER_INCONNU, &id) != 0)
		return;
	list = json_array();
	rc = svc_appt_user_file(&x.s, x.who.org_id, id, file_listed, list);
	if (refused(req, resp, rc, NULL) != 0) {
		json_decref(list);
		return;
	}
	http_response_json(resp, 200, json_pack("{s:o}", "appointments", list));
}

static const struct json_field book_fields[] = {
	{ "motif_id", JK_INTEGER, 1, 1, INT64_MAX },
	{ "place_id", JK_INTEGER, 0, 1, INT64_MAX },
	{ "agent_ids", JK_ARRAY, 0, 1, APPT_AGENTS_MAX },
	{ "user_ids", JK_ARRAY, 1, 1, APPT_PARTICIPANTS_MAX },
	{ "start_at", JK_STRING, 0, 1, 40 },
	{ "home_address", JK_STRING, 0, 1, 300 },
	{ "join_id", JK_INTEGER, 0, 1, INT64_MAX },
};

/* Fills in from a booking body; answers and returns -1 on a bad one. */
static int
book_in(const struct http_request *req, struct http_response *resp,
    json_t *body, struct svc_appt_book_in *in)
{
	json_t *v, *ids = json_object_get(body, "agent_ids");
	size_t i;

	in->motif_id = json_integer_value(json_object_get(body, "motif_id"));
	in->place_id = json_integer_value(json_object_get(body, "place_id"));
	in->join_id = json_integer_value(json_object_get(body, "join_id"));
	in->home_address =
	    json_string_value(json_object_get(body, "home_address"));
	json_array_foreach (ids, i, v) {
		if (!json_is_string(v))
			return invalid(req, resp, "agent_ids",
			    "doit être une liste d'identifiants d'agents");
		in->agents[in->n_agents++] = json_string_value(v);
	}
	json_array_foreach (json_object_get(body, "user_ids"), i, v) {
		if (!json_is_integer(v) || json_integer_value(v) <= 0)
			return invalid(req, resp, "user_ids",
			    "doit être une liste d'identifiants d'usagers");
		in->users[in->n_users++] = json_integer_value(v);
	}
	if (in->join_id == 0 &&
	    time_member(req, resp, body, "start_at", &in->start_at) != 0)
		return -1;
	return 0;
}

void
api_appt_book(struct http_request *req, struct http_response *resp)
{
	struct api_bctx x;
	struct svc_appt_book_in in;
	struct appt_error err = { 0 };
	int64_t id = 0;
	json_t *body;
	int rc;

	memset(&in, 0, sizeof(in));
	if ((body = agent_body(req, resp, &x, book_fields,
		 sizeof(book_fields) / sizeof(book_fields[0]))) == NULL)
		return;
	if (book_in(req, resp, body, &in) != 0) {
		json_decref(body);
		return;
	}
	in.org_id = x.who.org_id;
	in.actor = APPT_BY_AGENT;
	rc = svc_appt_book(&x.s, &x.who, &in, x.now, &id, &err);
	json_decref(body);
	answer_id(req, resp, rc, &err, 201, id);
}

void
api_appt_list(struct http_request *req, struct http_response *resp)
{
	struct api_bctx x;
	char agent[STORE_ID_MAX];
	int64_t from, to;
	json_t *list;
	int rc;

	if (agent_begin(req, resp, &x) != 0 ||
	    time_query(req, resp, "from", -1, &from) != 0 ||
	    time_query(req, resp, "to", -1, &to) != 0)
		return;
	rc = http_request_query(req, "agent_id", agent, sizeof(agent));
	list = json_array();
	if (svc_appt_list(&x.s, x.who.org_id, rc == 0 ? agent : NULL, from, to,
		LIST_MAX + 1, listed, list) < 0) {
		json_decref(list);
		api_unavailable(req, resp);
		return;
	}
	http_response_json(resp, 200, json_pack("{s:o}", "appointments", list));
}

static json_t *
view_json(const struct svc_appt_view *v)
{
	json_t *agents = json_array(), *users = json_array();
	size_t i;

	for (i = 0; i < v->n_agents; i++)
		json_array_append_new(agents, json_string(v->agents[i]));
	for (i = 0; i < v->n_users; i++)
		json_array_append_new(users, json_integer(v->users[i]));
	return json_pack("{s:I, s:I, s:o, s:s, s:b, s:o, s:I, s:s, s:b, s:I,"
			 " s:o, s:o, s:s, s:o}",
	    "id", (json_int_t)v->a.id, "motif_id", (json_int_t)v->a.motif_id,
	    "place_id",
	    v->a.place_id ? json_integer(v->a.place_id) : json_null(),
	    "location_type", v->a.location_type, "home_address",
	    v->a.home_address.p != NULL, "start_at",
	    api_time_json(v->a.start_at), "duration_min",
	    (json_int_t)v->a.duration_min, "status", v->a.status, "collective",
	    v->a.collective, "capacity", (json_int_t)v->a.capacity, "agent_ids",
	    agents, "user_ids", users, "created_via", v->a.created_via,
	    "created_at", api_time_json(v->a.created_at));
}

void
api_appt_get(struct http_request *req, struct http_response *resp)
{
	struct api_bctx x;
	struct svc_appt_view v = { 0 };
	int64_t id;

	if (agent_begin(req, resp, &x) != 0 ||
	    id_param(req, resp, "id", APPT_RDV_INCONNU, &id) != 0 ||
	    refused(req, resp, svc_appt_get(&x.s, x.who.org_id, id, &v),
		NULL) != 0)
		return;
	http_response_json(resp, 200, view_json(&v));
	store_appt_clear(&v.a);
}

static const struct json_field status_fields[] = {
	{ "status", JK_STRING, 1, 1, 16 },
};

void
api_appt_status(struct http_request *req, struct http_response *resp)
{
	struct api_bctx x;
	struct appt_error err = { 0 };
	int64_t id;
	json_t *body;
	int rc;

	if ((body = agent_body(req, resp, &x, status_fields, 1)) == NULL)
		return;
	if (id_param(req, resp, "id", APPT_RDV_INCONNU, &id) != 0) {
		json_decref(body);
		return;
	}
	rc = svc_appt_set_status(&x.s, &x.who, x.who.org_id, APPT_BY_AGENT, 0,
	    id, json_string_value(json_object_get(body, "status")), x.now,
	    &err);
	json_decref(body);
	answer_id(req, resp, rc, &err, 200, id);
}

static const struct json_field move_fields[] = {
	{ "start_at", JK_STRING, 1, 1, 40 },
};

void
api_appt_move(struct http_request *req, struct http_response *resp)
{
	struct api_bctx x;
	struct appt_error err = { 0 };
	int64_t id, start = 0;
	json_t *body;
	int rc;

	if ((body = agent_body(req, resp, &x, move_fields, 1)) == NULL)
		return;
	rc = id_param(req, resp, "id", APPT_RDV_INCONNU, &id) != 0 ||
	    time_member(req, resp, body, "start_at", &start) != 0;
	json_decref(body);
	if (rc != 0)
		return;
	rc = svc_appt_move(&x.s, &x.who, x.who.org_id, APPT_BY_AGENT, 0, id,
	    start, x.now, &err);
	answer_id(req, resp, rc, &err, 200, id);
}

/* Answers the free slots of the request's motif, place and period for
 * org_id as actor; with agents, each slot names its agents. */
static void
free_slots(struct http_request *req, struct http_response *resp,
    struct api_bctx *x, const char *org_id, enum appt_actor actor)
{
	struct appt_slot_list l;
	struct appt_error err = { 0 };
	char(*agents)[STORE_ID_MAX] = NULL;
	int64_t motif, place, from, to;
	json_t *list, *o, *ids;
	size_t i, k;
	int rc;

	if (id_query(req, resp, "motif_id", -1, &motif) != 0 ||
	    id_query(req, resp, "place_id", 0, &place) != 0 ||
	    time_query(req, resp, "from", -1, &from) != 0 ||
	    time_query(req, resp, "to", -1, &to) != 0)
		return;
	if (motif < 0) {
		invalid(req, resp, "motif_id", "est obligatoire");
		return;
	}
	rc = svc_appt_free_slots(&x->s, org_id, motif, place, from, to, actor,
	    x->now, &l, &agents, &err);
	if (refused(req, resp, rc, &err) != 0)
		return;
	list = json_array();
	for (i = 0; i < l.n_slots; i++) {
		o = json_pack("{s:o}", "start_at",
		    api_time_json(l.slots[i].start));
		if (actor == APPT_BY_AGENT) {
			ids = json_array();
			for (k = 0; k < l.slots[i].n_agents; k++)
				json_array_append_new(ids,
				    json_string(
					agents[l.agent_ids[l.slots[i].first +
					    k]]));
			json_object_set_new(o, "agent_ids", ids);
		}
		json_array_append_new(list, o);
	}
	appt_slot_list_free(&l);
	free(agents);
	http_response_json(resp, 200, json_pack("{s:o}", "slots", list));
}

void
api_appt_free_slots(struct http_request *req, struct http_response *resp)
{
	struct api_bctx x;

	if (agent_begin(req, resp, &x) != 0)
		return;
	free_slots(req, resp, &x, x.who.org_id, APPT_BY_AGENT);
}

/* The organisation a public request names (?org_id=, 32 hex digits). */
static int
org_query(const struct http_request *req, struct http_response *resp,
    char org[STORE_ID_MAX])
{
	size_t i;

	if (http_request_query(req, "org_id", org, STORE_ID_MAX) == 0 &&
	    strlen(org) == 32) {
		for (i = 0; i < 32 && strchr("0123456789abcdef", org[i]); i++)
			;
		if (i == 32)
			return 0;
	}
	return refused(req, resp, APPT_ORGANISATION_INCONNUE, NULL);
}

void
api_public_appt_free_slots(struct http_request *req, struct http_response *resp)
{
	struct api_bctx x;
	char org[STORE_ID_MAX];

	public_begin(req, &x);
	if (org_query(req, resp, org) != 0)
		return;
	free_slots(req, resp, &x, org, APPT_BY_USER);
}

struct motifs_arg {
	int64_t service_id;
	json_t *list;
};

static int
motif_row(void *arg, const struct store_appt_motif *m)
{
	struct motifs_arg *a = arg;

	if (!m->online || m->archived_at != 0 ||
	    (a->service_id > 0 && m->service_id != a->service_id))
		return 0;
	return json_array_append_new(a->list,
	    json_pack("{s:I, s:I, s:s, s:s, s:i, s:b, s:s}", "id",
		(json_int_t)m->id, "service_id", (json_int_t)m->service_id,
		"name", m->name, "location_type", m->location_type,
		"duration_min", m->duration_min, "collective", m->collective,
		"instructions", m->instructions));
}

static int
place_row(void *arg, const struct store_appt_place *p)
{
	return json_array_append_new(arg,
	    json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)p->id,
		"name", p->name, "address", p->address, "phone", p->phone,
		"opening_notes", p->opening_notes));
}

static int
service_row(void *arg, const struct store_appt_service *sv)
{
	return json_array_append_new(arg,
	    json_pack("{s:I, s:s}", "id", (json_int_t)sv->id, "name",
		sv->name));
}

void
api_public_appt_motifs(struct http_request *req, struct http_response *resp)
{
	struct api_bctx x;
	struct store_appt_filter f;
	struct motifs_arg a;
	char org[STORE_ID_MAX], name[STORE_ORG_NAME_MAX];
	json_t *places, *services;

	public_begin(req, &x);
	memset(&a, 0, sizeof(a));
	memset(&f, 0, sizeof(f));
	if (org_query(req, resp, org) != 0 ||
	    id_query(req, resp, "service_id", 0, &a.service_id) != 0)
		return;
	a.list = json_array();
	places = json_array();
	services = json_array();
	if (svc_appt_motifs_list(&x.s, org, &f, motif_row, &a) != 0 ||
	    svc_appt_places_list(&x.s, org, &f, place_row, places) != 0 ||
	    svc_appt_services_list(&x.s, org, &f, service_row, services) != 0) {
		json_decref(a.list);
		json_decref(places);
		json_decref(services);
		api_unavailable(req, resp);
		return;
	}
	/* Whom one books with, named on the booking pages. */
	if (svc_appt_org_name(&x.s, org, name) != 0)
		name[0] = '\0';
	http_response_json(resp, 200,
	    json_pack("{s:o, s:o, s:o, s:s?}", "motifs", a.list, "places",
		places, "services", services, "organisation",
		name[0] != '\0' ? name : NULL));
}

static const struct json_field hold_fields[] = {
	{ "org_id", JK_STRING, 1, 32, 32 },
	{ "motif_id", JK_INTEGER, 0, 1, INT64_MAX },
	{ "place_id", JK_INTEGER, 0, 1, INT64_MAX },
	{ "start_at", JK_STRING, 0, 1, 40 },
	{ "session_id", JK_INTEGER, 0, 1, INT64_MAX },
};

static int
session_row(void *arg, const struct store_appt_listed *a)
{
	int64_t left = a->capacity - a->participants;

	return json_array_append_new(arg,
	    json_pack("{s:I, s:o, s:I, s:o, s:I, s:I}", "id", (json_int_t)a->id,
		"start_at", api_time_json(a->start_at), "duration_min",
		(json_int_t)a->duration_min, "place_id",
		a->place_id ? json_integer((json_int_t)a->place_id)
			    : json_null(),
		"capacity", (json_int_t)a->capacity, "seats_left",
		(json_int_t)(left > 0 ? left : 0)));
}

void
api_public_appt_sessions(struct http_request *req, struct http_response *resp)
{
	struct api_bctx x;
	struct appt_error err = { 0 };
	char org[STORE_ID_MAX];
	int64_t motif, place, from, to;
	json_t *list;
	int rc;

	public_begin(req, &x);
	if (org_query(req, resp, org) != 0 ||
	    id_query(req, resp, "motif_id", -1, &motif) != 0 ||
	    id_query(req, resp, "place_id", 0, &place) != 0 ||
	    time_query(req, resp, "from", -1, &from) != 0 ||
	    time_query(req, resp, "to", -1, &to) != 0)
		return;
	if (motif < 0) {
		invalid(req, resp, "motif_id", "est obligatoire");
		return;
	}
	list = json_array();
	rc = svc_appt_sessions_open(&x.s, org, motif, place, from, to, x.now,
	    session_row, list, &err);
	if (refused(req, resp, rc, &err) != 0) {
		json_decref(list);
		return;
	}
	http_response_json(resp, 200, json_pack("{s:o}", "sessions", list));
}

void
api_public_appt_hold(struct http_request *req, struct http_response *resp)
{
	struct api_bctx x;
	struct appt_error err = { 0 };
	char token[APPT_HOLD_TOKEN];
	int64_t start = 0, expires = 0;
	json_t *body;
	int rc;

	public_begin(req, &x);
	if ((body = http_json_body(req, resp)) == NULL)
		return;
	if (http_json_check(req, resp, body, hold_fields,
		sizeof(hold_fields) / sizeof(hold_fields[0])) != 0) {
		json_decref(body);
		return;
	}
	/* A seat in a collective session, or an individual slot. */
	if (json_object_get(body, "session_id") != NULL)
		rc = svc_appt_hold_session(&x.s,
		    json_string_value(json_object_get(body, "org_id")),
		    json_integer_value(json_object_get(body, "session_id")),
		    x.now, token, &expires, &err);
	else if (json_object_get(body, "motif_id") == NULL) {
		json_decref(body);
		invalid(req, resp, "motif_id",
		    "est obligatoire sans session_id");
		return;
	} else if (json_object_get(body, "start_at") == NULL) {
		json_decref(body);
		invalid(req, resp, "start_at",
		    "est obligatoire sans session_id");
		return;
	} else if (time_member(req, resp, body, "start_at", &start) != 0) {
		json_decref(body);
		return;
	} else
		rc = svc_appt_hold(&x.s,
		    json_string_value(json_object_get(body, "org_id")),
		    json_integer_value(json_object_get(body, "motif_id")),
		    json_integer_value(json_object_get(body, "place_id")),
		    start, x.now, token, &expires, &err);
	json_decref(body);
	if (refused(req, resp, rc, &err) != 0)
		return;
	http_response_json(resp, 201,
	    json_pack("{s:s, s:o}", "hold_token", token, "expires_at",
		api_time_json(expires)));
	sodium_memzero(token, sizeof(token));
}

static const struct json_field confirm_fields[] = {
	{ "hold_token", JK_STRING, 1, 64, 64 },
	{ "user", JK_OBJECT, 0, 0, 0 },
	{ "relative_ids", JK_ARRAY, 0, 0, APPT_PARTICIPANTS_MAX - 1 },
};

void
api_me_appt_confirm(struct http_request *req, struct http_response *resp)
{
	struct api_bctx x;
	struct svc_appt_user_in in;
	struct appt_error err = { 0 };
	int64_t rel[APPT_PARTICIPANTS_MAX], id = 0;
	char children[8];
	json_t *body, *user, *v;
	size_t n = 0, i;
	int rc;

	if ((body = agent_body(req, resp, &x, confirm_fields,
		 sizeof(confirm_fields) / sizeof(confirm_fields[0]))) == NULL)
		return;
	user = json_object_get(body, "user");
	if (user != NULL &&
	    http_json_check(req, resp, user, user_fields, USER_FIELDS_PERSON) !=
		0)
		goto done;
	json_array_foreach (json_object_get(body, "relative_ids"), i, v) {
		if (!json_is_integer(v) || json_integer_value(v) <= 0) {
			invalid(req, resp, "relative_ids",
			    "doit être une liste d'identifiants de proches");
			goto done;
		}
		rel[n++] = json_integer_value(v);
	}
	if (user != NULL)
		user_in(user, &in, children, sizeof(children));
	rc = svc_appt_confirm(&x.s, &x.who,
	    json_string_value(json_object_get(body, "hold_token")),
	    user != NULL ? &in : NULL, rel, n, x.now, &id, &err);
	answer_id(req, resp, rc, &err, 201, id);
done:
	json_decref(body);
}

void
api_me_appt_move(struct http_request *req, struct http_response *resp)
{
	struct api_bctx x;
	struct appt_error err = { 0 };
	int64_t id, start = 0;
	json_t *body;
	int rc;

	if ((body = agent_body(req, resp, &x, move_fields, 1)) == NULL)
		return;
	rc = id_param(req, resp, "id", APPT_RDV_INCONNU, &id) != 0 ||
	    time_member(req, resp, body, "start_at", &start) != 0;
	json_decref(body);
	if (rc != 0)
		return;
	rc = svc_appt_move_own(&x.s, &x.who, id, start, x.now, &err);
	if (refused(req, resp, rc, &err) == 0)
		http_response_json(resp, 200,
		    json_pack("{s:I, s:o}", "id", (json_int_t)id, "start_at",
			api_time_json(start)));
}

/* The fields a user sets of a relative (svc_appt_relative_field_own). */
static const struct json_field relative_fields[] = {
	{ "last_name", JK_STRING, 0, 0, 200 },
	{ "birth_name", JK_STRING, 0, 0, 200 },
	{ "first_names", JK_STRING, 0, 0, 200 },
	{ "birth_date", JK_STRING, 0, 0, 10 },
	{ "email", JK_STRING, 0, 0, 254 },
	{ "phone", JK_STRING, 0, 0, 20 },
	{ "responsible_id", JK_INTEGER, 1, 1, INT64_MAX },
};
#define RELATIVE_FIELDS (sizeof(relative_fields) / sizeof(relative_fields[0]))

/* A relative as its user reads it: the fields they set. */
static json_t *
relative_json(const struct svc_appt_user *u)
{
	json_t *o = json_pack("{s:I}", "id", (json_int_t)u->id);
	size_t i;

	for (i = 0; o != NULL && i < AUF_COUNT; i++)
		if (svc_appt_relative_field_own((enum appt_user_field)i))
			json_object_set_new(o, store_appt_user_columns[i],
			    u->f[i][0] != '\0' ? json_string(u->f[i])
					       : json_null());
	return o;
}

/* Builds {families: [{id, org_id, org_name, last_name, first_names,
 * relatives: [...]}]}: an own record opens a family, its relatives
 * follow it. */
static int
family_row(void *arg, const struct svc_appt_user *u, const char *org_name)
{
	json_t *list = arg, *last;

	if (u->responsible_id == 0) {
		return json_array_append_new(list,
		    json_pack("{s:I, s:s, s:s, s:s, s:s, s:[]}", "id",
			(json_int_t)u->id, "org_id", u->org_id, "org_name",
			org_name, "last_name", u->f[AUF_LAST_NAME],
			"first_names", u->f[AUF_FIRST_NAMES], "relatives"));
	}
	last = json_array_get(list, json_array_size(list) - 1);
	return last == NULL
	    ? -1
	    : json_array_append_new(json_object_get(last, "relatives"),
		  relative_json(u));
}

void
api_me_relatives(struct http_request *req, struct http_response *resp)
{
	struct api_bctx x;
	json_t *list;

	if (agent_begin(req, resp, &x) != 0)
		return;
	list = json_array();
	if (svc_appt_families(&x.s, x.who.account_id, family_row, list) != 0) {
		json_decref(list);
		api_unavailable(req, resp);
		return;
	}
	http_response_json(resp, 200, json_pack("{s:o}", "families", list));
}

void
api_me_relative_add(struct http_request *req, struct http_response *resp)
{
	struct api_bctx x;
	struct svc_appt_user_in in;
	struct appt_error err = { 0 };
	char children[8];
	int64_t id = 0;
	json_t *body;
	int rc;

	if ((body = agent_body(req, resp, &x, relative_fields,
		 RELATIVE_FIELDS)) == NULL)
		return;
	user_in(body, &in, children, sizeof(children));
	rc = svc_appt_relative_add_own(&x.s, &x.who,
	    (int64_t)json_integer_value(
		json_object_get(body, "responsible_id")),
	    &in, x.now, &id, &err);
	json_decref(body);
	answer_id(req, resp, rc, &err, 201, id);
}

void
api_me_relative_update(struct http_request *req, struct http_response *resp)
{
	struct api_bctx x;
	struct svc_appt_user_in in;
	struct appt_error err = { 0 };
	char children[8];
	int64_t id;
	json_t *body;
	int rc;

	if ((body = agent_body(req, resp, &x, relative_fields,
		 RELATIVE_FIELDS - 1)) == NULL)
		return;
	if (id_param(req, resp, "id", APPT_PROCHE_INCONNU, &id) != 0) {
		json_decref(body);
		return;
	}
	user_in(body, &in, children, sizeof(children));
	rc = svc_appt_relative_update_own(&x.s, &x.who, id, &in, x.now, &err);
	json_decref(body);
	answer_id(req, resp, rc, &err, 200, id);
}

void
api_me_appts(struct http_request *req, struct http_response *resp)
{
	struct api_bctx x;
	json_t *list;

	if (agent_begin(req, resp, &x) != 0)
		return;
	list = json_array();
	if (svc_appt_of_account(&x.s, x.who.account_id, listed, list) != 0) {
		json_decref(list);
		api_unavailable(req, resp);
		return;
	}
	http_response_json(resp, 200, json_pack("{s:o}", "appointments", list));
}

void
api_me_appt_cancel(struct http_request *req, struct http_response *resp)
{
	struct api_bctx x;
	struct appt_error err = { 0 };
	int64_t id;

	if (agent_begin(req, resp, &x) != 0 ||
	    id_param(req, resp, "id", APPT_RDV_INCONNU, &id) != 0 ||
	    refused(req, resp,
		svc_appt_cancel_own(&x.s, &x.who, id, x.now, &err), &err) != 0)
		return;
	http_response_json(resp, 200,
	    json_pack("{s:I, s:s}", "id", (json_int_t)id, "status",
		"annule_usager"));
}
