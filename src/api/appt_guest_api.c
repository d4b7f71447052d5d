/*
 * appt_guest_api.c - booking an appointment without an account: the
 * request after a hold, the emailed link's page and confirmation, the
 * manage link's page and cancellation. Public routes; every token
 * travels in a POST body, never in a URL (logs and history keep URLs).
 * Thin handlers over service/appt_guest.h.
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/booking_api.h"
#include "app.h"
#include "auth/throttle.h"
#include "core/clock.h"
#include "gdpr/policy.h"
#include "http/jsonbody.h"
#include "http/response.h"
#include "service/appt_guest.h"

static void
context(struct http_request *req, struct svc *s, struct svc_actor *who,
    int64_t *now)
{
	struct app *app = req->app;

	memset(s, 0, sizeof(*s));
	memset(who, 0, sizeof(*who));
	s->a = &app->auth;
	s->r = &app->rules;
	who->ip = req->client_ip;
	who->request_id = req->request_id;
	*now = clock_now_ms(app->clock);
}

static const struct json_field request_fields[] = {
	{ "hold_token", JK_STRING, 1, 64, 64 },
	{ "last_name", JK_STRING, 1, 0, 200 },
	{ "first_names", JK_STRING, 1, 0, 200 },
	{ "email", JK_STRING, 1, 0, 254 },
	{ "phone", JK_STRING, 0, 0, 20 },
	{ "privacy_ack", JK_BOOLEAN, 1, 0, 0 },
};

void
api_public_appt_guest_request(struct http_request *req,
    struct http_response *resp)
{
	struct svc s;
	struct svc_actor who;
	struct svc_appt_guest_in in;
	struct appt_error err = { 0 };
	int64_t now, wait = 0;
	json_t *body;
	char v[24], policy[POLICY_VERSION_MAX];
	int rc;

	context(req, &s, &who, &now);
	/* The version of the notice the person ticked, kept in the audit
	 * entry of the request as an account keeps its acknowledgement. */
	if (((struct app *)req->app)->datamap == NULL ||
	    policy_version(((struct app *)req->app)->datamap, policy) != 0)
		snprintf(policy, sizeof(policy), "%s", "");
	if ((body = http_json_body(req, resp)) == NULL)
		return;
	if (http_json_check(req, resp, body, request_fields,
		sizeof(request_fields) / sizeof(request_fields[0])) != 0)
		goto done;
	memset(&in, 0, sizeof(in));
	in.last_name = json_string_value(json_object_get(body, "last_name"));
	in.first_names =
	    json_string_value(json_object_get(body, "first_names"));
	in.email = json_string_value(json_object_get(body, "email"));
	in.phone = json_string_value(json_object_get(body, "phone"));
	in.privacy_ack = json_is_true(json_object_get(body, "privacy_ack"));
	in.policy_version = policy;
	rc = svc_appt_guest_request(&s, &who,
	    json_string_value(json_object_get(body, "hold_token")), &in, now,
	    &wait, &err);
	if (rc != APPT_OK) {
		api_appt_problem(req, resp, rc, &err);
		goto done;
	}
	if (wait > 0) {
		snprintf(v, sizeof(v), "%lld",
		    (long long)(throttle_seconds(wait) > 0
			    ? throttle_seconds(wait)
			    : 1));
		http_response_header(resp, "Retry-After", v);
		http_problem(req, resp, 429, "too_many_attempts", "email",
		    "Trop de demandes : réessayez dans %lld minutes.",
		    (long long)((throttle_seconds(wait) + 59) / 60));
		goto done;
	}
	http_response_json(resp, 202,
	    json_pack("{s:s}", "status", "check_your_mailbox"));
done:
	json_decref(body);
}

static const struct json_field token_fields[] = {
	{ "token", JK_STRING, 1, 1, 64 },
};

/* The body's token, or NULL after answering. */
static json_t *
token_body(struct http_request *req, struct http_response *resp,
    const char **token)
{
	json_t *body = http_json_body(req, resp);

	if (body == NULL)
		return NULL;
	if (http_json_check(req, resp, body, token_fields, 1) != 0) {
		json_decref(body);
		return NULL;
	}
	*token = json_string_value(json_object_get(body, "token"));
	return body;
}

static void
answer_view(struct http_request *req, struct http_response *resp, int rc,
    const struct svc_appt_guest_view *v)
{
	struct appt_error err = { APPT_LIEN_INVALIDE, "token", NULL };

	if (rc != APPT_OK) {
		api_appt_problem(req, resp, rc, &err);
		return;
	}
	http_response_json(resp, 200,
	    json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:s?}", "organisation",
		v->org_name, "motif", v->sum.motif, "place", v->sum.place,
		"when", v->sum.when, "start_at", api_time_json(v->start_at),
		"expires_at", api_time_json(v->expires_at), "status",
		v->status[0] != '\0' ? v->status : NULL));
}

void
api_public_appt_guest_lookup(struct http_request *req,
    struct http_response *resp)
{
	struct svc s;
	struct svc_actor who;
	struct svc_appt_guest_view v = { 0 };
	const char *token;
	int64_t now;
	json_t *body;

	context(req, &s, &who, &now);
	if ((body = token_body(req, resp, &token)) == NULL)
		return;
	answer_view(req, resp, svc_appt_guest_view(&s, token, now, &v), &v);
	json_decref(body);
}

void
api_public_appt_guest_confirm(struct http_request *req,
    struct http_response *resp)
{
	struct svc s;
	struct svc_actor who;
	struct appt_error err = { 0 };
	const char *token;
	int64_t now, id = 0;
	json_t *body;
	int rc;

	context(req, &s, &who, &now);
	if ((body = token_body(req, resp, &token)) == NULL)
		return;
	rc = svc_appt_guest_confirm(&s, &who, token, now, &id, &err);
	json_decref(body);
	if (rc != APPT_OK) {
		api_appt_problem(req, resp, rc, &err);
		return;
	}
	http_response_json(resp, 201, json_pack("{s:I}", "id", (json_int_t)id));
}

void
api_public_appt_manage_lookup(struct http_request *req,
    struct http_response *resp)
{
	struct svc s;
	struct svc_actor who;
	struct svc_appt_guest_view v = { 0 };
	const char *token;
	int64_t now;
	json_t *body;

	context(req, &s, &who, &now);
	if ((body = token_body(req, resp, &token)) == NULL)
		return;
	answer_view(req, resp, svc_appt_manage_view(&s, token, now, &v), &v);
	json_decref(body);
}

void
api_public_appt_manage_cancel(struct http_request *req,
    struct http_response *resp)
{
	struct svc s;
	struct svc_actor who;
	struct appt_error err = { 0 };
	const char *token;
	int64_t now;
	json_t *body;
	int rc;

	context(req, &s, &who, &now);
	if ((body = token_body(req, resp, &token)) == NULL)
		return;
	rc = svc_appt_manage_cancel(&s, &who, token, now, &err);
	json_decref(body);
	if (rc != APPT_OK) {
		api_appt_problem(req, resp, rc, &err);
		return;
	}
	http_response_json(resp, 200,
	    json_pack("{s:s}", "status", "annule_usager"));
}
