/*
 * register_api.c - GET /api/v1/register: the Art. 30 processing register,
 * rendered from the data map validated at start-up, as JSON (default),
 * CSV or HTML (?format=).
 */
#include <string.h>

#include "api/api.h"
#include "api/guard.h"
#include "app.h"
#include "gdpr/register.h"
#include "http/response.h"

void
api_register(struct http_request *req, struct http_response *resp)
{
	static const char *const types[] = { HTTP_CT_JSON,
		"text/csv; charset=utf-8", "text/html; charset=utf-8" };
	struct app *app = req->app;
	struct api_caller c;
	enum register_format fmt = REGISTER_JSON;
	struct buf out;
	char name[16], err[256];
	int rc;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	rc = http_request_query(req, "format", name, sizeof(name));
	if (rc < 0 || (rc == 0 && register_format_parse(name, &fmt) != 0)) {
		http_problem(req, resp, 400, "invalid_query", "format",
		    "Le paramètre « format » vaut json, csv ou html.");
		return;
	}
	buf_init(&out, REGISTER_MAX_BYTES);
	if (register_render(app->datamap, fmt, &out, err, sizeof(err)) != 0) {
		buf_free(&out);
		http_problem(req, resp, 500, "internal_error", NULL,
		    "Le registre n'a pas pu être produit.");
		return;
	}
	resp->status = 200;
	resp->content_type = types[fmt];
	resp->body = buf_steal(&out, &resp->body_len);
	if (fmt != REGISTER_JSON)
		http_response_download(resp,
		    fmt == REGISTER_CSV
			? "attachment; filename=\"registre-traitements.csv\""
			: "inline; filename=\"registre-traitements.html\"");
}
