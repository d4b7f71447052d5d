/*
 * purge_api.c - GET /api/v1/purge-reports: the reports of the retention
 * engine's runs for the DPO, newest first. Each run says when it ran,
 * whether at a simulated time, how many records it removed in all, and
 * the counts per retention rule (with the rule's status as a code) and
 * per category of data: counts only, never any of the data purged.
 */
#include <string.h>

#include "api/api.h"
#include "api/guard.h"
#include "app.h"
#include "core/clock.h"
#include "core/num.h"
#include "gdpr/retention.h"
#include "http/response.h"
#include "store/purge.h"

#define PURGE_LIST_DEFAULT 50
#define PURGE_LIST_MAX 500

/* The stable code of a rule's status as the report wrote it (the text of
 * retention_status_name), or "unknown". */
static const char *
status_code(const char *written)
{
	static const struct {
		enum retention_status s;
		const char *code;
	} codes[] = {
		{ RETENTION_APPLIED, "applied" },
		{ RETENTION_PARTIAL, "partial" },
		{ RETENTION_NOT_YET, "not_yet" },
		{ RETENTION_HELD, "held" },
		{ RETENTION_FAILED, "failed" },
	};
	size_t i;

	for (i = 0; written != NULL && i < sizeof(codes) / sizeof(*codes); i++)
		if (strcmp(written, retention_status_name(codes[i].s)) == 0)
			return codes[i].code;
	return "unknown";
}

/* The stored rules list with each status as a code: [{rule, status,
 * removed}] (new reference; empty when the report has none). */
static json_t *
rules_of(const json_t *report)
{
	json_t *out = json_array(), *r;
	size_t i;

	json_array_foreach (json_object_get(report, "rules"), i, r) {
		const char *rule =
		    json_string_value(json_object_get(r, "rule"));

		if (rule == NULL)
			continue;
		json_array_append_new(out,
		    json_pack("{s:s, s:s, s:I}", "rule", rule, "status",
			status_code(
			    json_string_value(json_object_get(r, "status"))),
			"removed",
			(json_int_t)json_integer_value(
			    json_object_get(r, "removed"))));
	}
	return out;
}

/* The stored per-category counts as a list [{category, removed}] in the
 * report's order (new reference). */
static json_t *
categories_of(json_t *report)
{
	json_t *out = json_array(),
	       *cats = json_object_get(report, "categories"), *n;
	const char *k;

	json_object_foreach (cats, k, n) {
		json_array_append_new(out,
		    json_pack("{s:s, s:I}", "category", k, "removed",
			(json_int_t)json_integer_value(n)));
	}
	return out;
}

/* Row callback: one run appended to the list arg, from its row and its
 * stored report (a report that does not parse shows its times only). */
static int
add_report(void *arg, const struct store_purge_report *r)
{
	json_t *list = arg, *rep, *purges, *one;
	char started[32], finished[32];

	if (clock_format_utc(r->started_ms, started, sizeof(started)) != 0 ||
	    clock_format_utc(r->finished_ms, finished, sizeof(finished)) != 0)
		return -1;
	rep = json_loads(r->report, 0, NULL);
	purges = json_object_get(rep, "purges");
	purges = json_is_array(purges) ? json_incref(purges) : json_array();
	one = json_pack("{s:I, s:s, s:s, s:b, s:I, s:I, s:o, s:o, s:o}", "id",
	    (json_int_t)r->id, "started_at", started, "finished_at", finished,
	    "simulated", r->simulated, "total",
	    (json_int_t)json_integer_value(json_object_get(rep, "total")),
	    "failures",
	    (json_int_t)json_integer_value(json_object_get(rep, "failures")),
	    "rules", rules_of(rep), "categories", categories_of(rep), "purges",
	    purges);
	json_decref(rep);
	if (one == NULL)
		return -1;
	return json_array_append_new(list, one);
}

void
api_purge_reports(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct api_caller c;
	char v[32];
	long limit = PURGE_LIST_DEFAULT;
	json_t *list;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	if (http_request_query(req, "limit", v, sizeof(v)) == 0 &&
	    num_parse_long(v, 1, PURGE_LIST_MAX, &limit) != 0) {
		http_problem(req, resp, 400, "out_of_range", "limit",
		    "Le paramètre « limit » doit valoir de 1 à 500.");
		return;
	}
	list = json_array();
	if (store_purge_report_list(app->store, limit, add_report, list) != 0) {
		json_decref(list);
		http_problem(req, resp, 503, "unavailable", NULL,
		    "Les rapports de conservation sont indisponibles.");
		return;
	}
	http_response_json(resp, 200, json_pack("{s:o}", "reports", list));
}
