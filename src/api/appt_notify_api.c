/* appt_notify_api.c - the agent's calendar feed and the waiting list of
 * appointments (service/appt_notify.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "api/api.h"
#include "api/booking_api.h"
#include "app.h"
#include "appointments/appt_codes.h"
#include "core/clock.h"
#include "http/jsonbody.h"
#include "http/response.h"
#include "service/appt_notify.h"
#include "service/appt_people.h"
#include "service/appt_waitlist.h"

#define ICS_SUFFIX ".ics"

void
api_appt_feed_create(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct api_bctx x;
	char token[APPT_FEED_TOKEN_MAX], url[800];
	int rc;

	if (api_bctx_begin(req, resp, &x, 0) != 0)
		return;
	rc = svc_appt_feed_new(&x.s, &x.who, x.who.org_id, x.now, token);
	if (rc != APPT_OK) {
		api_appt_problem(req, resp, rc, NULL);
		return;
	}
	snprintf(url, sizeof(url), "%s/api/v1/public/appointments/feeds/%s.ics",
	    app->cfg->appt_public_url, token);
	http_response_json(resp, 201,
	    json_pack("{s:s, s:s}", "token", token, "url", url));
	sodium_memzero(token, sizeof(token));
	sodium_memzero(url, sizeof(url));
}

void
api_appt_feed_revoke(struct http_request *req, struct http_response *resp)
{
	struct api_bctx x;
	int rc;

	if (api_bctx_begin(req, resp, &x, 0) != 0)
		return;
	rc = svc_appt_feed_revoke(&x.s, &x.who, x.now);
	if (rc < 0) {
		api_unavailable(req, resp);
		return;
	}
	resp->status = 204;
}

void
api_public_appt_feed(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct svc s = { &app->auth, &app->rules };
	const char *p = http_request_param(req, "token");
	char token[APPT_FEED_TOKEN_MAX + 8], *ics = NULL;
	size_t n = p != NULL ? strlen(p) : 0;
	int rc;

	/* Calendar applications like a URL ending in .ics. */
	if (n > strlen(ICS_SUFFIX) &&
	    strcmp(p + n - strlen(ICS_SUFFIX), ICS_SUFFIX) == 0)
		n -= strlen(ICS_SUFFIX);
	if (n >= sizeof(token)) {
		http_problem(req, resp, 404, "FLUX_INCONNU", "token",
		    "Ce flux d'agenda n'existe pas ou a été révoqué.");
		return;
	}
	memcpy(token, p, n);
	token[n] = '\0';
	rc = svc_appt_feed(&s, token, clock_now_ms(app->clock), &ics);
	sodium_memzero(token, sizeof(token));
	if (rc < 0) {
		api_unavailable(req, resp);
		return;
	}
	if (rc != APPT_OK) {
		http_problem(req, resp, 404, "FLUX_INCONNU", "token",
		    "Ce flux d'agenda n'existe pas ou a été révoqué.");
		return;
	}
	resp->status = 200;
	resp->content_type = "text/calendar; charset=utf-8";
	resp->body = ics;
	resp->body_len = strlen(ics);
	http_response_header(resp, "Cache-Control", "private, no-store");
}

static const struct json_field wait_fields[] = {
	{ "motif_id", JK_INTEGER, 1, 1, 9000000000000000000LL },
	{ "user_id", JK_INTEGER, 0, 1, 9000000000000000000LL },
	{ "org_id", JK_STRING, 0, 1, 64 },
	{ "user", JK_OBJECT, 0, 0, 0 },
};

/* {motif_id, user_id}: that record (the person's, or a relative's); or
 * {motif_id, org_id, user}: the person's own record there, created from
 * user on a first request. */
void
api_me_appt_wait(struct http_request *req, struct http_response *resp)
{
	struct api_bctx x;
	struct svc_appt_user_in in;
	struct appt_error err = { 0 };
	json_t *body, *user;
	int64_t id = 0, until = 0;
	char children[8];
	int rc;

	if (api_bctx_begin(req, resp, &x, 0) != 0 ||
	    (body = http_json_body(req, resp)) == NULL)
		return;
	if (http_json_check(req, resp, body, wait_fields,
		sizeof(wait_fields) / sizeof(wait_fields[0])) != 0)
		goto done;
	user = json_object_get(body, "user");
	if (user != NULL &&
	    api_appt_person_in(req, resp, user, &in, children,
		sizeof(children)) != 0)
		goto done;
	rc = svc_appt_wait(&x.s, &x.who,
	    json_string_value(json_object_get(body, "org_id")),
	    json_integer_value(json_object_get(body, "motif_id")),
	    json_integer_value(json_object_get(body, "user_id")),
	    user != NULL ? &in : NULL, x.now, &id, &until, &err);
	if (rc != APPT_OK)
		api_appt_problem(req, resp, rc, &err);
	else
		http_response_json(resp, 201,
		    json_pack("{s:I, s:I}", "id", (json_int_t)id, "expires_at",
			(json_int_t)until));
done:
	json_decref(body);
}

void
api_me_appt_unwait(struct http_request *req, struct http_response *resp)
{
	struct api_bctx x;
	const char *p = http_request_param(req, "id");
	char *end = NULL;
	long long id = p != NULL ? strtoll(p, &end, 10) : 0;
	int rc;

	if (api_bctx_begin(req, resp, &x, 0) != 0)
		return;
	rc = id > 0 && end != NULL && *end == '\0'
	    ? svc_appt_wait_cancel(&x.s, &x.who, id)
	    : 1;
	if (rc < 0) {
		api_unavailable(req, resp);
		return;
	}
	if (rc != 0) {
		http_problem(req, resp, 404, "ATTENTE_INCONNUE", "id",
		    "Cette inscription sur liste d'attente n'existe pas.");
		return;
	}
	resp->status = 204;
}

static int
wait_json(void *arg, const struct svc_appt_my_wait *w)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:I, s:s, s:I, s:s, s:s, s:o,"
			      " s:o, s:o}",
	    "id", (json_int_t)w->id, "org_id", w->org_id, "org_name",
	    w->org_name, "motif_id", (json_int_t)w->motif_id, "motif", w->motif,
	    "user_id", (json_int_t)w->user_id, "first_names", w->first_names,
	    "last_name", w->last_name, "created_at",
	    api_time_json(w->created_at), "expires_at",
	    api_time_json(w->expires_at), "notified_at",
	    w->notified_at ? api_time_json(w->notified_at) : json_null());

	return o == NULL || json_array_append_new(arg, o) != 0 ? -1 : 0;
}

void
api_me_appt_waits(struct http_request *req, struct http_response *resp)
{
	struct api_bctx x;
	json_t *list;

	if (api_bctx_begin(req, resp, &x, 0) != 0)
		return;
	if ((list = json_array()) == NULL ||
	    svc_appt_my_waits(&x.s, x.who.account_id, x.now, wait_json, list) !=
		0) {
		json_decref(list);
		api_unavailable(req, resp);
		return;
	}
	http_response_json(resp, 200, json_pack("{s:o}", "entries", list));
}
