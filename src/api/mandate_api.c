/*
 * mandate_api.c - mandates (RULES.md rule 1): a school asks for one and
 * lists its own; a candidate lists theirs, chooses a school and revokes.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "api/api.h"
#include "api/booking_api.h"
#include "api/guard.h"
#include "app.h"
#include "booking/neph.h"
#include "core/clock.h"
#include "http/jsonbody.h"
#include "http/response.h"
#include "service/mandates.h"
#include "store/mandates.h"

static void
unavailable(const struct http_request *req, struct http_response *resp)
{
	http_problem(req, resp, 503, "unavailable", NULL,
	    "Le service des mandats est indisponible.");
}

static struct svc_actor
actor_of(const struct http_request *req, const struct api_caller *c)
{
	struct svc_actor who = { c->s.account_id, c->s.org_id, req->client_ip,
		req->request_id };

	return who;
}

static json_t *
opt_time(int64_t ms)
{
	return ms > 0 ? api_time_json(ms) : json_null();
}

static json_t *
mandate_json(const struct mandate *m, enum mandate_state state)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:o, s:o, s:o}", "id",
	    (json_int_t)m->id, "candidate", (json_int_t)m->candidate_id,
	    "category", m->category, "state", store_mandate_state_name(state),
	    "activated_at", opt_time(m->activated_at), "expires_at",
	    opt_time(m->expires_at), "ended_at", opt_time(m->ended_at));
}

static int
add_view(void *arg, const struct svc_mandate_view *v)
{
	json_t *o = mandate_json(&v->m, v->state);

	if (o == NULL)
		return -1;
	json_object_set_new(o, "school", json_string(v->school_org));
	json_object_set_new(o, "school_name", json_string(v->school_name));
	if (v->has_identity) {
		json_object_set_new(o, "neph", json_string(v->neph));
		json_object_set_new(o, "last_name", json_string(v->last_name));
		json_object_set_new(o, "first_names",
		    json_string(v->first_names));
	}
	return json_array_append_new(arg, o);
}

static const char *const states[] = { "pending", "active", "revoked",
	"expired" };

void
api_mandates(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct svc s = { &app->auth, &app->rules };
	struct api_caller c;
	char state[16];
	const char *filter = NULL;
	int64_t school;
	json_t *list;
	size_t i;
	int q;

	if (api_guard(req, resp, NULL, &c) != 0 ||
	    api_caller_school(req, resp, &c, &school) != 0)
		return;
	q = http_request_query(req, "state", state, sizeof(state));
	if (q == 0)
		for (i = 0; i < sizeof(states) / sizeof(states[0]); i++)
			if (strcmp(state, states[i]) == 0)
				filter = states[i];
	if (q < 0 || (q == 0 && filter == NULL)) {
		http_problem(req, resp, 422, "PARAMETRE_INVALIDE", "state",
		    "Le paramètre « state » vaut pending, active, revoked ou "
		    "expired.");
		return;
	}
	if ((list = json_array()) == NULL ||
	    svc_mandates_of_school(&s, school, filter, clock_now_ms(app->clock),
		add_view, list) != 0) {
		json_decref(list);
		unavailable(req, resp);
		return;
	}
	http_response_json(resp, 200, json_pack("{s:o}", "mandates", list));
}

/*
 * Only the JSON shape here: what the values may be is the rules' to say
 * (svc_candidate_parse: booking_neph_check, booking_category_check), so
 * an empty or over-long NEPH is PARAMETRE_INVALIDE as RULES.md says, not
 * out_of_range. The body cap bounds the lengths.
 */
static const struct json_field create_fields[] = {
	{ "neph", JK_STRING, 1, 0, LLONG_MAX },
	{ "last_name", JK_STRING, 1, 0, LLONG_MAX },
	{ "first_names", JK_STRING, 1, 0, LLONG_MAX },
	{ "category", JK_STRING, 1, 0, LLONG_MAX },
};

/* Answers a refused mandate: the code's problem, or 404 for a mandate
 * that is not the caller's. */
static void
refused(const struct http_request *req, struct http_response *resp, int rc,
    const char *field)
{
	if (rc < 0)
		unavailable(req, resp);
	else if (rc == SVC_MANDATE_UNKNOWN)
		http_problem(req, resp, 404, "not_found", "id",
		    "Ce mandat n'existe pas.");
	else
		api_booking_problem(req, resp, (enum bk_code)rc, field, 0);
}

void
api_mandate_create(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct svc s = { &app->auth, &app->rules };
	struct svc_candidate_in *in = NULL;
	struct svc_mandate_claim claim;
	struct svc_actor who;
	struct api_caller c;
	struct mandate m;
	const char *field;
	int64_t school;
	json_t *body;
	int rc;

	if (api_guard(req, resp, NULL, &c) != 0 ||
	    api_caller_school(req, resp, &c, &school) != 0)
		return;
	if ((body = http_json_body(req, resp)) == NULL)
		return;
	if (http_json_check(req, resp, body, create_fields, 4) != 0)
		goto done;
	if ((in = calloc(1, sizeof(*in))) == NULL) {
		unavailable(req, resp);
		goto done;
	}
	if (svc_candidate_parse(in,
		json_string_value(json_object_get(body, "neph")),
		json_string_value(json_object_get(body, "last_name")),
		json_string_value(json_object_get(body, "first_names")),
		json_string_value(json_object_get(body, "category")), NULL,
		NULL, &field) != BK_OK) {
		api_booking_problem(req, resp, BK_PARAMETRE_INVALIDE, field, 0);
		goto done;
	}
	claim.neph = in->neph;
	claim.last_name = in->last_name;
	claim.first_names = in->first_names;
	claim.category = in->category;
	who = actor_of(req, &c);
	rc = svc_mandate_create(&s, &who, school, &claim,
	    clock_now_ms(app->clock), &m);
	if (rc != BK_OK)
		refused(req, resp, rc, "neph");
	else
		http_response_json(resp, 201, mandate_json(&m, m.state));
done:
	if (in != NULL)
		sodium_memzero(in, sizeof(*in));
	free(in);
	json_decref(body);
}

void
api_me_mandates(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct svc s = { &app->auth, &app->rules };
	struct api_caller c;
	json_t *list;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	if ((list = json_array()) == NULL ||
	    svc_mandates_of_account(&s, c.s.account_id,
		clock_now_ms(app->clock), add_view, list) != 0) {
		json_decref(list);
		unavailable(req, resp);
		return;
	}
	http_response_json(resp, 200, json_pack("{s:o}", "mandates", list));
}

static const struct json_field choose_fields[] = {
	{ "school", JK_STRING, 1, 1, STORE_ID_MAX - 1 },
	{ "category", JK_STRING, 1, 1, BK_CATEGORY_MAX - 1 },
};

void
api_me_mandate_choose(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct svc s = { &app->auth, &app->rules };
	struct svc_actor who;
	struct api_caller c;
	struct mandate m;
	const char *category;
	json_t *body;
	int rc;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	if ((body = http_json_body(req, resp)) == NULL)
		return;
	if (http_json_check(req, resp, body, choose_fields, 2) != 0)
		goto done;
	category = json_string_value(json_object_get(body, "category"));
	if (booking_category_check(category, strlen(category)) != BK_OK) {
		api_booking_problem(req, resp, BK_PARAMETRE_INVALIDE,
		    "category", 0);
		goto done;
	}
	who = actor_of(req, &c);
	rc = svc_mandate_choose(&s, &who,
	    json_string_value(json_object_get(body, "school")), category,
	    clock_now_ms(app->clock), &m);
	if (rc == BK_PARAMETRE_INVALIDE)
		api_booking_problem(req, resp, BK_PARAMETRE_INVALIDE, "school",
		    0);
	else if (rc != BK_OK)
		refused(req, resp, rc, "category");
	else
		http_response_json(resp, 201, mandate_json(&m, m.state));
done:
	json_decref(body);
}

void
api_me_mandate_revoke(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct svc s = { &app->auth, &app->rules };
	struct svc_actor who;
	struct api_caller c;
	int64_t id;
	int rc;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	if (api_path_id(req, resp, "id", BK_CANDIDAT_INCONNU, &id) != 0) {
		refused(req, resp, SVC_MANDATE_UNKNOWN, "id");
		return;
	}
	who = actor_of(req, &c);
	rc = svc_mandate_revoke(&s, &who, id, clock_now_ms(app->clock));
	if (rc != BK_OK)
		refused(req, resp, rc, "id");
	else
		http_response_json(resp, 200,
		    json_pack("{s:I, s:s}", "id", (json_int_t)id, "state",
			"revoked"));
}
