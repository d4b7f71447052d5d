/*
 * request_api.c - requests to exercise one's rights: a person files and
 * follows their own (GET and POST /api/v1/me/rights-requests); the DPO
 * keeps the register of their organisation (GET and POST
 * /api/v1/rights-requests, GET and POST /api/v1/rights-requests/{id}:
 * verify the identity, extend with a reason, close with an outcome, lift
 * a restriction).
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/booking_api.h"
#include "api/guard.h"
#include "app.h"
#include "auth/account.h"
#include "core/clock.h"
#include "booking/neph.h"
#include "gdpr/request.h"
#include "gdpr/rights.h"
#include "service/candidates.h"
#include "http/jsonbody.h"
#include "http/response.h"

/* Sets key to the UTC time ms, or null when ms is 0. */
static void
put_time(json_t *o, const char *key, int64_t ms)
{
	char at[32];

	if (ms != 0 && clock_format_utc(ms, at, sizeof(at)) == 0)
		json_object_set_new(o, key, json_string(at));
	else
		json_object_set_new(o, key, json_null());
}

/* A request as JSON; own: for the person (no identity nor reminders). */
static json_t *
request_json(const struct rights_request *r, int64_t now, int own)
{
	json_t *o;
	int i;

	o = json_pack("{s:s, s:s, s:s, s:s?, s:i, s:b}", "id", r->id, "kind",
	    r->kind, "state", r->state, "subject_account",
	    r->subject_account[0] ? r->subject_account : NULL,
	    "extended_months", r->extended_months, "late",
	    request_late(r, now));
	if (o == NULL)
		return NULL;
	put_time(o, "received_at", r->received_at);
	put_time(o, "identity_verified_at", r->identity_verified_at);
	put_time(o, "due_at", r->due_at);
	put_time(o, "closed_at", r->closed_at);
	for (i = 0; i < RQ_COUNT; i++)
		if (!own || i != RQ_IDENTITY)
			json_object_set_new(o,
			    request_text_name((enum request_text)i),
			    json_string(r->text[i]));
	if (!own) {
		put_time(o, "reminded_7_days_at", r->reminded_7_at);
		put_time(o, "reminded_1_day_at", r->reminded_1_at);
	}
	return o;
}

struct list_arg {
	json_t *list;
	int64_t now;
	int own;
};

static int
add_item(void *arg, const struct rights_request *r)
{
	struct list_arg *l = arg;

	return json_array_append_new(l->list, request_json(r, l->now, l->own));
}

static void
list_answer(struct http_request *req, struct http_response *resp,
    const char *org_id, const char *subject)
{
	struct app *app = req->app;
	struct list_arg l = { json_array(), clock_now_ms(app->clock),
		subject != NULL };

	if (l.list == NULL ||
	    request_list(&app->auth, org_id, subject, add_item, &l) != 0) {
		json_decref(l.list);
		http_problem(req, resp, 503, "unavailable", NULL,
		    "Le registre des demandes est indisponible.");
		return;
	}
	http_response_json(resp, 200, json_pack("{s:o}", "requests", l.list));
}

/* Registers r; answers 201 or the problem. */
static void
open_answer(struct http_request *req, struct http_response *resp,
    const struct api_caller *c, struct rights_request *r, int verified, int own)
{
	struct app *app = req->app;
	char why[REQUEST_WHY_MAX] = "";
	int64_t now = clock_now_ms(app->clock);
	int rc;

	rc = request_open(&app->auth, c->s.account_id, r, verified, now, why,
	    sizeof(why));
	if (rc < 0)
		http_problem(req, resp, 503, "unavailable", NULL,
		    "La demande n'a pas pu être enregistrée.");
	else if (rc > 0)
		http_problem(req, resp, 422, "invalid_request",
		    strstr(why, "« kind »")           ? "kind"
			: strstr(why, "« identity »") ? "identity"
						      : "received_at",
		    "%s", why);
	else
		http_response_json(resp, 201, request_json(r, now, own));
}

/* Copies the string field name of body into text t of r. Returns 0, or
 * -1 after the problem. */
static int
take_text(struct http_request *req, struct http_response *resp, json_t *body,
    const char *name, struct rights_request *r, enum request_text t)
{
	json_t *v = json_object_get(body, name);

	if (v == NULL)
		return 0;
	if (json_string_length(v) > REQUEST_TEXT_MAX) {
		http_problem(req, resp, 422, "too_long", name,
		    "Le champ « %s » dépasse %d octets.", name,
		    REQUEST_TEXT_MAX);
		return -1;
	}
	memcpy(r->text[t], json_string_value(v), json_string_length(v) + 1);
	return 0;
}

void
api_me_rights_requests(struct http_request *req, struct http_response *resp)
{
	struct api_caller c;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	list_answer(req, resp, c.s.org_id, c.s.account_id);
}

void
api_me_rights_request_open(struct http_request *req, struct http_response *resp)
{
	static const struct json_field fields[] = {
		{ "kind", JK_STRING, 1, 1, STORE_RR_KIND_MAX - 1 },
		{ "message", JK_STRING, 0, 0, REQUEST_TEXT_MAX },
	};
	struct api_caller c;
	struct rights_request r;
	json_t *body;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	if ((body = http_json_body(req, resp)) == NULL)
		return;
	if (http_json_check(req, resp, body, fields, 2) != 0)
		goto done;
	request_init(&r);
	snprintf(r.kind, sizeof(r.kind), "%s",
	    json_string_value(json_object_get(body, "kind")));
	snprintf(r.org_id, sizeof(r.org_id), "%s", c.s.org_id);
	snprintf(r.subject_account, sizeof(r.subject_account), "%s",
	    c.s.account_id);
	/* Signed in with the password (and the second factor where the
	 * role asks for one): the identity is verified. */
	if (take_text(req, resp, body, "message", &r, RQ_MESSAGE) == 0)
		open_answer(req, resp, &c, &r, 1, 1);
	request_clear(&r);
done:
	json_decref(body);
}

void
api_rights_requests(struct http_request *req, struct http_response *resp)
{
	struct api_caller c;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	list_answer(req, resp, c.s.org_id, NULL);
}

void
api_rights_request_open(struct http_request *req, struct http_response *resp)
{
	static const struct json_field fields[] = {
		{ "kind", JK_STRING, 1, 1, STORE_RR_KIND_MAX - 1 },
		{ "subject_account", JK_STRING, 0, 1, STORE_ID_MAX - 1 },
		{ "identity", JK_STRING, 0, 1, REQUEST_TEXT_MAX },
		{ "message", JK_STRING, 0, 0, REQUEST_TEXT_MAX },
		{ "received_at", JK_STRING, 0, 20, 20 },
	};
	struct app *app = req->app;
	struct api_caller c;
	struct rights_request r;
	struct account_info info;
	const char *subject;
	json_t *body, *v;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	if ((body = http_json_body(req, resp)) == NULL)
		return;
	if (http_json_check(req, resp, body, fields, 5) != 0)
		goto done;
	request_init(&r);
	snprintf(r.kind, sizeof(r.kind), "%s",
	    json_string_value(json_object_get(body, "kind")));
	snprintf(r.org_id, sizeof(r.org_id), "%s", c.s.org_id);
	if ((v = json_object_get(body, "received_at")) != NULL &&
	    clock_parse_utc(json_string_value(v), &r.received_at) != 0) {
		http_problem(req, resp, 422, "invalid_time", "received_at",
		    "Le champ « received_at » doit ressembler à "
		    "2026-01-31T18:00:00Z.");
		goto clear;
	}
	subject = json_string_value(json_object_get(body, "subject_account"));
	if (subject != NULL) {
		/* Only an account of the DPO's own organisation. */
		memset(&info, 0, sizeof(info));
		if (account_read(&app->auth, subject, &info) != 0 ||
		    strcmp(info.org_id, c.s.org_id) != 0) {
			account_info_clear(&info);
			http_problem(req, resp, 422, "unknown_account",
			    "subject_account",
			    "Le champ « subject_account » doit désigner un "
			    "compte de votre organisme.");
			goto clear;
		}
		account_info_clear(&info);
		snprintf(r.subject_account, sizeof(r.subject_account), "%s",
		    subject);
	}
	if (take_text(req, resp, body, "identity", &r, RQ_IDENTITY) == 0 &&
	    take_text(req, resp, body, "message", &r, RQ_MESSAGE) == 0)
		open_answer(req, resp, &c, &r, 0, 0);
clear:
	request_clear(&r);
done:
	json_decref(body);
}

void
api_rights_request(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct api_caller c;
	struct rights_request r;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	if (request_get(&app->auth, http_request_param(req, "id"), &r) != 0 ||
	    strcmp(r.org_id, c.s.org_id) != 0) {
		request_clear(&r);
		http_problem(req, resp, 404, "not_found", NULL,
		    "Aucune demande de votre organisme ne porte cet "
		    "identifiant.");
		return;
	}
	http_response_json(resp, 200,
	    request_json(&r, clock_now_ms(app->clock), 0));
	request_clear(&r);
}

/* Reads the action of body into act. Returns 0, or -1 after the problem. */
static int
read_action(struct http_request *req, struct http_response *resp, json_t *body,
    struct request_action *act)
{
	static const char *const ops[] = { "verify", "extend", "close", "lift",
		"erase_registry" };
	const char *name = json_string_value(json_object_get(body, "action"));
	json_t *v;
	size_t i;

	memset(act, 0, sizeof(*act));
	for (i = 0; i < sizeof(ops) / sizeof(*ops); i++)
		if (strcmp(name, ops[i]) == 0)
			break;
	if (i == sizeof(ops) / sizeof(*ops)) {
		http_problem(req, resp, 422, "invalid_action", "action",
		    "Le champ « action » vaut verify, extend, close, lift ou "
		    "erase_registry.");
		return -1;
	}
	act->op = (enum request_op)i;
	if ((v = json_object_get(body, "months")) != NULL)
		act->months = (int)json_integer_value(v);
	else if (act->op == RQ_EXTEND)
		act->months = 1;
	act->reason = json_string_value(json_object_get(body, "reason"));
	act->outcome = json_string_value(json_object_get(body, "outcome"));
	act->refused = json_is_true(json_object_get(body, "refused"));
	return 0;
}

/* The blind index of the NEPH of body into idx. Returns 0, or -1 after
 * the problem. */
static int
neph_index_of(struct http_request *req, struct http_response *resp,
    const json_t *body, char idx[BLIND_INDEX_HEX])
{
	struct app *app = req->app;
	struct svc s = { &app->auth, NULL };
	const char *neph = json_string_value(json_object_get(body, "neph"));

	if (neph == NULL || booking_neph_check(neph, strlen(neph)) != BK_OK) {
		http_problem(req, resp, 422, "invalid_neph", "neph",
		    "Le champ « neph » doit contenir le numéro NEPH de la "
		    "personne : de 10 à 19 chiffres, sans espace.");
		return -1;
	}
	if (svc_candidate_neph_index(&s, neph, idx) != 0) {
		api_unavailable(req, resp);
		return -1;
	}
	return 0;
}

void
api_rights_request_update(struct http_request *req, struct http_response *resp)
{
	static const struct json_field fields[] = {
		{ "action", JK_STRING, 1, 1, 16 },
		{ "months", JK_INTEGER, 0, 1, 12 },
		{ "reason", JK_STRING, 0, 1, REQUEST_TEXT_MAX },
		{ "outcome", JK_STRING, 0, 1, REQUEST_TEXT_MAX },
		{ "refused", JK_BOOLEAN, 0, 0, 0 },
		{ "neph", JK_STRING, 0, 1, 32 },
	};
	struct app *app = req->app;
	struct api_caller c;
	struct request_action act;
	struct rights_request r;
	char idx[BLIND_INDEX_HEX];
	json_t *o;
	char why[REQUEST_WHY_MAX] = "";
	int64_t now = clock_now_ms(app->clock);
	json_t *body;
	int rc;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	if ((body = http_json_body(req, resp)) == NULL)
		return;
	if (http_json_check(req, resp, body, fields, 6) != 0 ||
	    read_action(req, resp, body, &act) != 0)
		goto done;
	if (act.op == RQ_ERASE_REGISTRY) {
		if (neph_index_of(req, resp, body, idx) != 0)
			goto done;
		act.neph_index = idx;
	}
	request_init(&r);
	rc = request_update(&app->auth, c.s.account_id, c.s.org_id,
	    http_request_param(req, "id"), &act, now, &r, why, sizeof(why));
	if (rc == 1)
		http_problem(req, resp, 404, "not_found", NULL,
		    "Aucune demande de votre organisme ne porte cet "
		    "identifiant.");
	else if (rc == 2)
		http_problem(req, resp, 422, "invalid_step",
		    strstr(why, "« months »")        ? "months"
			: strstr(why, "« reason »")  ? "reason"
			: strstr(why, "« outcome »") ? "outcome"
			: strstr(why, "« neph »")    ? "neph"
						     : "action",
		    "%s", why);
	else if (rc != 0)
		http_problem(req, resp, 503, "unavailable", NULL,
		    "La demande n'a pas pu être mise à jour.");
	else {
		o = request_json(&r, now, 0);
		if (o != NULL && act.op == RQ_ERASE_REGISTRY)
			json_object_set_new(o, "registry_files_erased",
			    json_integer(act.erased));
		http_response_json(resp, 200, o);
	}
	request_clear(&r);
done:
	json_decref(body);
}

void
api_rights_request_registry_export(struct http_request *req,
    struct http_response *resp)
{
	static const struct json_field fields[] = {
		{ "neph", JK_STRING, 1, 1, 32 },
		{ "format", JK_STRING, 0, 1, 8 },
	};
	struct app *app = req->app;
	struct api_caller c;
	char idx[BLIND_INDEX_HEX], why[REQUEST_WHY_MAX] = "";
	const char *fmt;
	json_t *body, *exp = NULL;
	struct buf out;
	int rc, html;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	if ((body = http_json_body(req, resp)) == NULL)
		return;
	if (http_json_check(req, resp, body, fields, 2) != 0)
		goto done;
	fmt = json_string_value(json_object_get(body, "format"));
	if (fmt != NULL && strcmp(fmt, "json") != 0 &&
	    strcmp(fmt, "html") != 0) {
		http_problem(req, resp, 422, "invalid_format", "format",
		    "Le champ « format » vaut json ou html.");
		goto done;
	}
	html = fmt != NULL && strcmp(fmt, "html") == 0;
	if (neph_index_of(req, resp, body, idx) != 0)
		goto done;
	rc = request_registry_export(&app->auth, app->datamap, c.s.account_id,
	    c.s.org_id, http_request_param(req, "id"), idx,
	    clock_now_ms(app->clock), &exp, why, sizeof(why));
	if (rc == 1) {
		http_problem(req, resp, 404, "not_found", NULL,
		    "Aucune demande de votre organisme ne porte cet "
		    "identifiant.");
	} else if (rc == 2) {
		http_problem(req, resp, 422, "invalid_step",
		    strstr(why, "« neph »") ? "neph" : "action", "%s", why);
	} else if (rc == 3) {
		http_problem(req, resp, 404, "registry_not_found", "neph",
		    "Aucun dossier du registre des candidats ne porte ce "
		    "NEPH.");
	} else if (rc != 0) {
		api_unavailable(req, resp);
	} else if (!html) {
		http_response_download(resp,
		    "attachment; filename=\"donnees-registre.json\"");
		http_response_json(resp, 200, exp);
		exp = NULL;
	} else {
		buf_init(&out, RIGHTS_HTML_MAX);
		if (rights_export_html(exp, &out) != 0) {
			buf_free(&out);
			http_problem(req, resp, 500, "internal_error", NULL,
			    "Le récapitulatif n'a pas pu être produit.");
			goto done;
		}
		resp->status = 200;
		resp->content_type = "text/html; charset=utf-8";
		resp->body = buf_steal(&out, &resp->body_len);
		buf_free(&out);
		http_response_download(resp,
		    "attachment; filename=\"donnees-registre.html\"");
	}
done:
	json_decref(exp);
	json_decref(body);
}
