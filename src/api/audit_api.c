/*
 * audit_api.c - GET /api/v1/audit: the DPO searches the audit trail of
 * their organisation by actor, action, target and time, with the sealed
 * details opened; GET /api/v1/audit/verification: the DPO checks the
 * whole chain as `creneau audit verify` does. Each search and each
 * verification is itself audited.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/guard.h"
#include "app.h"
#include "audit/audit.h"
#include "core/clock.h"
#include "core/num.h"
#include "crypto/field.h"
#include "http/response.h"

struct collect {
	const struct data_key *key;
	json_t *list;
};

static void
open_member(json_t *o, const char *name, const struct data_key *key,
    const struct audit_row *row)
{
	char *pt = NULL;
	size_t n = 0;
	json_t *v;

	if (audit_open_sealed(key, row, name, &pt, &n) != 0)
		return;
	v = strcmp(name, "details") == 0 ? json_loads(pt, 0, NULL) : NULL;
	json_object_set_new(o, name, v ? v : json_string(pt));
	field_free(pt, n);
}

static int
add_row(void *arg, const struct audit_row *row)
{
	struct collect *k = arg;
	char at[32];
	json_t *o;

	clock_format_utc(row->at, at, sizeof(at));
	o = json_pack("{s:I, s:s, s:s?, s:s, s:s?, s:s?, s:s?, s:s}", "seq",
	    (json_int_t)row->seq, "at", at, "actor", row->actor, "action",
	    row->action, "target_type", row->target_type, "target_ids",
	    row->target_ids, "request_id", row->request_id, "outcome",
	    row->outcome);
	if (o == NULL)
		return 1;
	open_member(o, "ip", k->key, row);
	open_member(o, "details", k->key, row);
	return json_array_append_new(k->list, o);
}

void
api_audit_search(struct http_request *req, struct http_response *resp)
{
	static const char *const names[4] = { "actor", "action", "target_type",
		"target" };
	struct app *app = req->app;
	struct api_caller c;
	struct audit_filter f;
	struct collect k;
	struct audit_entry e;
	char vals[4][128], v[32];
	size_t i;
	int rc;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	memset(&f, 0, sizeof(f));
	for (i = 0; i < 4; i++) {
		rc =
		    http_request_query(req, names[i], vals[i], sizeof(vals[i]));
		if (rc < 0) {
			http_problem(req, resp, 400, "invalid_query", names[i],
			    "Le paramètre « %s » est invalide.", names[i]);
			return;
		}
		if (rc > 0)
			vals[i][0] = '\0';
	}
	f.actor = vals[0][0] ? vals[0] : NULL;
	f.action = vals[1][0] ? vals[1] : NULL;
	f.target_type = vals[2][0] ? vals[2] : NULL;
	f.target_id = vals[3][0] ? vals[3] : NULL;
	if ((http_request_query(req, "since", v, sizeof(v)) == 0 &&
		clock_parse_utc(v, &f.since_ms) != 0) ||
	    (http_request_query(req, "until", v, sizeof(v)) == 0 &&
		clock_parse_utc(v, &f.until_ms) != 0)) {
		http_problem(req, resp, 400, "invalid_time", "since",
		    "Les paramètres « since » et « until » doivent ressembler "
		    "à 2026-01-31T18:00:00Z.");
		return;
	}
	f.limit = 200;
	if (http_request_query(req, "limit", v, sizeof(v)) == 0 &&
	    num_parse_long(v, 1, 1000, &f.limit) != 0) {
		http_problem(req, resp, 400, "out_of_range", "limit",
		    "Le paramètre « limit » doit valoir de 1 à 1000.");
		return;
	}
	if (http_request_query(req, "after", v, sizeof(v)) == 0 &&
	    num_parse_i64(v, 0, INT64_MAX, &f.after_seq) != 0) {
		http_problem(req, resp, 400, "out_of_range", "after",
		    "Le paramètre « after » doit être un numéro d'entrée.");
		return;
	}
	/* The DPO sees the entries of their own organisation. */
	f.org = c.s.org_id;
	k.key = app->keys.audit;
	k.list = json_array();
	if (store_audit_scan(app->store, &f, add_row, &k) != 0) {
		json_decref(k.list);
		http_problem(req, resp, 503, "unavailable", NULL,
		    "Le journal d'audit est indisponible.");
		return;
	}
	memset(&e, 0, sizeof(e));
	e.actor = c.s.account_id;
	e.action = "audit.search";
	e.org = c.s.org_id;
	e.ip = req->client_ip;
	e.request_id = req->request_id;
	e.outcome = AUDIT_SUCCESS;
	audit_record(app->store, app->keys.audit, clock_now_ms(app->clock), &e);
	http_response_json(resp, 200, json_pack("{s:o}", "entries", k.list));
}

void
api_audit_verify(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct api_caller c;
	struct audit_verify_result res;
	struct audit_entry e;
	char detail[160];
	json_t *o;
	int rc;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	rc = audit_verify(app->store, app->keys.audit_pk, &res);
	if (rc < 0) {
		http_problem(req, resp, 503, "unavailable", NULL,
		    "Le journal d'audit n'a pas pu être relu.");
		return;
	}
	memset(&e, 0, sizeof(e));
	e.actor = c.s.account_id;
	e.action = "audit.verify";
	e.org = c.s.org_id;
	e.ip = req->client_ip;
	e.request_id = req->request_id;
	e.outcome = rc == 0 ? AUDIT_SUCCESS : AUDIT_FAILURE;
	audit_record(app->store, app->keys.audit, clock_now_ms(app->clock), &e);
	if (rc == 0) {
		http_response_json(resp, 200,
		    json_pack("{s:b, s:I}", "intact", 1, "checked",
			(json_int_t)res.checked));
		return;
	}
	snprintf(detail, sizeof(detail),
	    "La chaîne est rompue à l'entrée n° %" PRId64
	    " : une entrée manque, a été modifiée ou n'est plus reliée à la "
	    "précédente.",
	    res.first_bad);
	o = json_pack("{s:b, s:I, s:I, s:s, s:s}", "intact", 0, "checked",
	    (json_int_t)res.checked, "first_bad", (json_int_t)res.first_bad,
	    "detail", detail, "reason", res.reason);
	http_response_json(resp, 200, o);
}
