/* notify_api.c - one's own notifications: list them, mark them read. */
#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "api/api.h"
#include "api/guard.h"
#include "app.h"
#include "core/clock.h"
#include "core/num.h"
#include "http/jsonbody.h"
#include "http/response.h"
#include "notify/notify.h"
#include "store/notify.h"

#define LIST_DEFAULT 50
#define LIST_MAX 200

static int
add_notification(void *arg, const struct store_notification *n)
{
	json_t *list = arg, *params, *o;
	char at[32];

	/* Written by our own code as a JSON object; an unreadable one is
	 * shown empty rather than hiding the notice. */
	params = json_loads(n->params, JSON_REJECT_DUPLICATES, NULL);
	if (!json_is_object(params)) {
		json_decref(params);
		params = json_object();
	}
	clock_format_utc(n->created_at, at, sizeof(at));
	o = json_pack("{s:I,s:s,s:o,s:s,s:b}", "id", (json_int_t)n->id, "kind",
	    n->kind, "params", params, "created_at", at, "read",
	    n->read_at != 0);
	if (o == NULL || json_array_append_new(list, o) != 0)
		return -1;
	return 0;
}

void
api_notifications(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct api_caller c;
	json_t *list;
	char v[16];
	long limit = LIST_DEFAULT, unread_only = 0, unread = 0;
	int rc;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	if ((rc = http_request_query(req, "unread", v, sizeof(v))) < 0 ||
	    (rc == 0 && num_parse_long(v, 0, 1, &unread_only) != 0)) {
		http_problem(req, resp, 400, "invalid_query", "unread",
		    "Le paramètre « unread » vaut 0 ou 1.");
		return;
	}
	if ((rc = http_request_query(req, "limit", v, sizeof(v))) < 0 ||
	    (rc == 0 && num_parse_long(v, 1, LIST_MAX, &limit) != 0)) {
		http_problem(req, resp, 400, "out_of_range", "limit",
		    "Le paramètre « limit » doit valoir de 1 à %d.", LIST_MAX);
		return;
	}
	list = json_array();
	if (list == NULL ||
	    notify_list(&app->auth, c.s.account_id, (int)unread_only, limit,
		add_notification, list, &unread) != 0) {
		json_decref(list);
		http_problem(req, resp, 503, "unavailable", NULL,
		    "Les notifications sont indisponibles.");
		return;
	}
	http_response_json(resp, 200,
	    json_pack("{s:o,s:I}", "notifications", list, "unread_count",
		(json_int_t)unread));
}

/* These actions take no input: an empty body, or {}. */
static int
no_input(struct http_request *req, struct http_response *resp)
{
	json_t *body;
	int rc;

	if (req->body == NULL || req->body_len == 0)
		return 0;
	if ((body = http_json_body(req, resp)) == NULL)
		return -1;
	rc = http_json_check(req, resp, body, NULL, 0);
	json_decref(body);
	return rc;
}

void
api_notification_read(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct api_caller c;
	const char *id = http_request_param(req, "id");
	int64_t n;
	int rc;

	if (api_guard(req, resp, NULL, &c) != 0 || no_input(req, resp) != 0)
		return;
	if (id == NULL || num_parse_i64(id, 1, INT64_MAX, &n) != 0) {
		http_problem(req, resp, 404, "not_found", NULL,
		    "Aucune de vos notifications ne porte ce numéro.");
		return;
	}
	rc = notify_read(&app->auth, c.s.account_id, n,
	    clock_now_ms(app->clock));
	if (rc < 0)
		http_problem(req, resp, 503, "unavailable", NULL,
		    "La notification n'a pas pu être marquée comme lue.");
	else if (rc > 0)
		http_problem(req, resp, 404, "not_found", NULL,
		    "Aucune de vos notifications ne porte ce numéro.");
	else
		http_response_json(resp, 200,
		    json_pack("{s:s,s:I}", "status", "read", "id",
			(json_int_t)n));
}

void
api_notifications_read_all(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct api_caller c;
	long n = 0;

	if (api_guard(req, resp, NULL, &c) != 0 || no_input(req, resp) != 0)
		return;
	if (notify_read_all(&app->auth, c.s.account_id,
		clock_now_ms(app->clock), &n) != 0) {
		http_problem(req, resp, 503, "unavailable", NULL,
		    "Les notifications n'ont pas pu être marquées comme lues.");
		return;
	}
	http_response_json(resp, 200,
	    json_pack("{s:s,s:I}", "status", "read", "marked", (json_int_t)n));
}
