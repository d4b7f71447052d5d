/*
 * policy_api.c - GET /api/v1/privacy-policy: the privacy policy generated
 * from the data map, public, as JSON (version and sections, default) or as
 * a French HTML page (?format=html).
 */
#include <string.h>

#include "api/api.h"
#include "app.h"
#include "gdpr/policy.h"
#include "http/response.h"

void
api_privacy_policy(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	char fmt[8], version[POLICY_VERSION_MAX];
	struct buf out;
	json_t *o;
	int rc;

	rc = http_request_query(req, "format", fmt, sizeof(fmt));
	if (rc < 0 ||
	    (rc == 0 && strcmp(fmt, "json") != 0 && strcmp(fmt, "html") != 0)) {
		http_problem(req, resp, 400, "invalid_query", "format",
		    "Le paramètre « format » vaut json ou html.");
		return;
	}
	if (app->datamap == NULL) {
		http_problem(req, resp, 503, "unavailable", NULL,
		    "La politique de confidentialité est indisponible.");
		return;
	}
	if (rc != 0 || strcmp(fmt, "json") == 0) {
		if ((o = policy_json(app->datamap)) == NULL) {
			http_problem(req, resp, 500, "internal_error", NULL,
			    "La politique de confidentialité n'a pas pu être "
			    "produite.");
			return;
		}
		http_response_json(resp, 200, o);
		return;
	}
	buf_init(&out, POLICY_MAX_BYTES);
	if (policy_render_html(app->datamap, &out, version) != 0) {
		buf_free(&out);
		http_problem(req, resp, 500, "internal_error", NULL,
		    "La politique de confidentialité n'a pas pu être "
		    "produite.");
		return;
	}
	resp->status = 200;
	resp->content_type = "text/html; charset=utf-8";
	resp->body = buf_steal(&out, &resp->body_len);
	http_response_download(resp,
	    "inline; filename=\"politique-confidentialite.html\"");
}
