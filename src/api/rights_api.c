/*
 * rights_api.c - the caller's rights over their own data: GET
 * /api/v1/me/export (access and portability, JSON or ?format=html) and
 * POST /api/v1/me/erasure (erasure, password asked again).
 */
#include <string.h>

#include <sodium.h>

#include "api/api.h"
#include "api/guard.h"
#include "app.h"
#include "auth/account.h"
#include "auth/reauth.h"
#include "gdpr/rights.h"
#include "http/cookie.h"
#include "http/jsonbody.h"
#include "http/response.h"

void
api_me_export(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct api_caller c;
	struct buf out;
	json_t *exp = NULL;
	char fmt[8];
	int rc, html = 0;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	rc = http_request_query(req, "format", fmt, sizeof(fmt));
	if (rc < 0 ||
	    (rc == 0 && strcmp(fmt, "json") != 0 && strcmp(fmt, "html") != 0)) {
		http_problem(req, resp, 400, "invalid_query", "format",
		    "Le paramètre « format » vaut json ou html.");
		return;
	}
	html = rc == 0 && strcmp(fmt, "html") == 0;
	rc = rights_export(&app->auth, app->datamap, c.s.account_id,
	    clock_now_ms(app->clock), &exp);
	if (rc != 0) {
		http_problem(req, resp, rc > 0 ? 404 : 503,
		    rc > 0 ? "not_found" : "unavailable", NULL,
		    "Vos données n'ont pas pu être rassemblées.");
		return;
	}
	if (!html) {
		http_response_download(resp,
		    "attachment; filename=\"mes-donnees-creneau.json\"");
		http_response_json(resp, 200, exp);
		return;
	}
	buf_init(&out, RIGHTS_HTML_MAX);
	if (rights_export_html(exp, &out) != 0) {
		json_decref(exp);
		buf_free(&out);
		http_problem(req, resp, 500, "internal_error", NULL,
		    "Le récapitulatif n'a pas pu être produit.");
		return;
	}
	json_decref(exp);
	resp->status = 200;
	resp->content_type = "text/html; charset=utf-8";
	resp->body = buf_steal(&out, &resp->body_len);
	buf_free(&out);
	http_response_download(resp,
	    "attachment; filename=\"mes-donnees-creneau.html\"");
}

void
api_me_erasure(struct http_request *req, struct http_response *resp)
{
	static const struct json_field fields[] = {
		{ "password", JK_STRING, 1, 1, 1024 },
	};
	struct app *app = req->app;
	struct api_caller c;
	json_t *body, *pw, *result = NULL;
	char why[ACCOUNT_WHY_MAX] = "";
	int64_t now = clock_now_ms(app->clock);
	int rc;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	if ((body = http_json_body(req, resp)) == NULL)
		return;
	if (http_json_check(req, resp, body, fields, 1) != 0)
		goto done;
	pw = json_object_get(body, "password");
	rc = account_password_check(&app->auth, c.s.account_id,
	    json_string_value(pw), json_string_length(pw), req->client_ip, now,
	    why, sizeof(why));
	if (rc != 0) {
		if (rc < 0)
			http_problem(req, resp, 503, "unavailable", NULL,
			    "Le mot de passe n'a pas pu être vérifié.");
		else
			http_problem(req, resp, 422, "password_refused",
			    "password", "%s", why);
		goto done;
	}
	rc = rights_erase(&app->auth, c.s.account_id, c.s.account_id, now,
	    app->datamap, req->client_ip, &result, why, sizeof(why));
	if (rc < 0) {
		http_problem(req, resp, 503, "unavailable", NULL,
		    "L'effacement n'a pas pu être mené à bien ; "
		    "réessayez ou écrivez au délégué à la protection des "
		    "données.");
	} else if (rc > 0) {
		http_problem(req, resp, 409, "erasure_refused", NULL, "%s",
		    why);
	} else {
		cookie_set_session(resp, "", 0);
		cookie_set_xsrf(resp, "", 0);
		http_response_header(resp, "Clear-Site-Data",
		    "\"cache\", \"cookies\", \"storage\"");
		http_response_json(resp, 200, result);
	}
done:
	json_decref(body);
}
