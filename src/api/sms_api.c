/* sms_api.c - the SMS gateway's delivery reports (notify/sms_reports.h). */
#include <string.h>

#include <jansson.h>

#include "api/api.h"
#include "api/booking_api.h"
#include "app.h"
#include "core/log.h"
#include "http/jsonbody.h"
#include "http/response.h"
#include "notify/sms_reports.h"

static const struct json_field report_fields[] = {
	{ "id", JK_STRING, 1, 1, 128 },
	{ "status", JK_STRING, 1, 1, SMS_REPORT_STATUS_MAX - 1 },
};

void
api_public_sms_report(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	const char *id, *status;
	json_t *body;
	int rc;

	/* Off unless a token is set: the route then answers as unknown. */
	if (!sms_reports_enabled()) {
		http_problem(req, resp, 404, "not_found", NULL,
		    "Les accusés de réception SMS ne sont pas activés.");
		return;
	}
	if (!sms_reports_check(http_request_header(req, "Authorization"))) {
		http_problem(req, resp, 401, "unauthenticated", "Authorization",
		    "Jeton de la passerelle SMS absent ou invalide.");
		return;
	}
	if ((body = http_json_body(req, resp)) == NULL)
		return;
	if (http_json_check(req, resp, body, report_fields,
		sizeof(report_fields) / sizeof(report_fields[0])) != 0)
		goto done;
	id = json_string_value(json_object_get(body, "id"));
	status = json_string_value(json_object_get(body, "status"));
	if (!sms_report_status_ok(status)) {
		http_problem(req, resp, 422, "invalid_field", "status",
		    "status : un mot de 1 à %d caractères parmi a-z, 0-9, _ "
		    "et -.",
		    SMS_REPORT_STATUS_MAX - 1);
		goto done;
	}
	rc = sms_report_record(&app->auth, id, status);
	if (rc < 0) {
		api_unavailable(req, resp);
		goto done;
	}
	if (rc != 0) {
		http_problem(req, resp, 404, "not_found", "id",
		    "Aucun SMS envoyé ne porte cet identifiant.");
		goto done;
	}
	resp->status = 204;
done:
	json_decref(body);
}
