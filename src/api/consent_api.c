/*
 * consent_api.c - the caller's consents, policy acknowledgement and
 * self-service rectification: GET and POST /api/v1/me/consents, POST
 * /api/v1/me/policy-acknowledgement, POST /api/v1/me/rectification.
 */
#include <string.h>

#include "api/api.h"
#include "api/guard.h"
#include "app.h"
#include "gdpr/consent.h"
#include "gdpr/policy.h"
#include "gdpr/rectify.h"
#include "http/jsonbody.h"
#include "http/response.h"

/* The current policy version into v. Returns 0, or -1 after the problem. */
static int
current_version(struct http_request *req, struct http_response *resp,
    char v[POLICY_VERSION_MAX])
{
	struct app *app = req->app;

	if (app->datamap != NULL && policy_version(app->datamap, v) == 0)
		return 0;
	http_problem(req, resp, 503, "unavailable", NULL,
	    "La politique de confidentialité est indisponible.");
	return -1;
}

/* Answers status with the caller's consent state. */
static void
state_answer(struct http_request *req, struct http_response *resp,
    const struct api_caller *c, const char *version, int status)
{
	struct app *app = req->app;
	json_t *o;

	if (consent_state(&app->auth, app->datamap, c->s.account_id, version,
		&o) != 0) {
		http_problem(req, resp, 503, "unavailable", NULL,
		    "Vos consentements n'ont pas pu être lus.");
		return;
	}
	http_response_json(resp, status, o);
}

void
api_me_consents(struct http_request *req, struct http_response *resp)
{
	struct api_caller c;
	char v[POLICY_VERSION_MAX];

	if (api_guard(req, resp, NULL, &c) != 0 ||
	    current_version(req, resp, v) != 0)
		return;
	state_answer(req, resp, &c, v, 200);
}

void
api_me_consent_set(struct http_request *req, struct http_response *resp)
{
	static const struct json_field fields[] = {
		{ "purpose", JK_STRING, 1, 1, DATAMAP_MAX_ID },
		{ "given", JK_BOOLEAN, 1, 0, 0 },
		{ "via", JK_STRING, 0, 3, 3 },
	};
	struct app *app = req->app;
	struct api_caller c;
	char v[POLICY_VERSION_MAX], why[CONSENT_WHY_MAX] = "";
	const char *via;
	json_t *body;
	int rc, changed = 0;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	if ((body = http_json_body(req, resp)) == NULL)
		return;
	if (http_json_check(req, resp, body, fields, 3) != 0 ||
	    current_version(req, resp, v) != 0)
		goto done;
	via = json_string_value(json_object_get(body, "via"));
	rc = consent_set(&app->auth, app->datamap, c.s.account_id, c.s.org_id,
	    json_string_value(json_object_get(body, "purpose")),
	    json_is_true(json_object_get(body, "given")), via ? via : "api", v,
	    clock_now_ms(app->clock), req->client_ip, &changed, why,
	    sizeof(why));
	if (rc < 0)
		http_problem(req, resp, 503, "unavailable", NULL,
		    "Votre choix n'a pas pu être enregistré.");
	else if (rc > 0)
		http_problem(req, resp, 422, "invalid_consent",
		    strstr(why, "via") ? "via" : "purpose", "%s", why);
	else
		state_answer(req, resp, &c, v, 200);
done:
	json_decref(body);
}

void
api_me_policy_ack(struct http_request *req, struct http_response *resp)
{
	static const struct json_field fields[] = {
		{ "version", JK_STRING, 1, 1, POLICY_VERSION_MAX - 1 },
	};
	struct app *app = req->app;
	struct api_caller c;
	char v[POLICY_VERSION_MAX], why[CONSENT_WHY_MAX] = "";
	json_t *body;
	int rc;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	if ((body = http_json_body(req, resp)) == NULL)
		return;
	if (http_json_check(req, resp, body, fields, 1) != 0 ||
	    current_version(req, resp, v) != 0)
		goto done;
	rc = consent_acknowledge(&app->auth, c.s.account_id, c.s.org_id,
	    json_string_value(json_object_get(body, "version")), v,
	    clock_now_ms(app->clock), req->client_ip, why, sizeof(why));
	if (rc < 0)
		http_problem(req, resp, 503, "unavailable", NULL,
		    "La prise de connaissance n'a pas pu être enregistrée.");
	else if (rc > 0)
		http_problem(req, resp, 422, "stale_version", "version", "%s",
		    why);
	else
		state_answer(req, resp, &c, v, 200);
done:
	json_decref(body);
}

void
api_me_rectification(struct http_request *req, struct http_response *resp)
{
	static const struct json_field fields[] = {
		{ "display_name", JK_STRING, 1, 1, 1024 },
	};
	struct app *app = req->app;
	struct api_caller c;
	char why[CONSENT_WHY_MAX] = "";
	json_t *body;
	int rc;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	if ((body = http_json_body(req, resp)) == NULL)
		return;
	if (http_json_check(req, resp, body, fields, 1) != 0)
		goto done;
	rc = rectify_display_name(&app->auth, c.s.account_id,
	    json_string_value(json_object_get(body, "display_name")),
	    clock_now_ms(app->clock), req->client_ip, why, sizeof(why));
	if (rc < 0)
		http_problem(req, resp, 503, "unavailable", NULL,
		    "La rectification n'a pas pu être enregistrée.");
	else if (rc > 0)
		http_problem(req, resp, 422, "invalid_name", "display_name",
		    "%s", why);
	else
		http_response_json(resp, 200,
		    json_pack("{s:s, s:[s]}", "status", "rectified", "fields",
			"display_name"));
done:
	json_decref(body);
}
