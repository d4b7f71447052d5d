/*
 * dossier_api.c - a family's or volunteer's own dossier with an
 * association: profile, documents encrypted in the browser, submission.
 */
#include "api/dossier_api.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "api/api.h"
#include "api/booking_api.h"
#include "app.h"
#include "core/clock.h"
#include "http/jsonbody.h"
#include "http/response.h"

int
api_dossier_begin(struct http_request *req, struct http_response *resp,
    struct dossier_call *x)
{
	struct app *app = req->app;

	if (api_guard(req, resp, NULL, &x->c) != 0)
		return -1;
	x->s.a = &app->auth;
	x->s.r = &app->dossiers;
	x->who.account_id = x->c.s.account_id;
	x->who.org_id = x->c.s.org_id;
	x->who.ip = req->client_ip;
	x->who.request_id = req->request_id;
	x->now = clock_now_ms(app->clock);
	return 0;
}

void
api_dossier_refused(const struct http_request *req, struct http_response *resp,
    int rc, const char *field)
{
	if (rc < 0)
		http_problem(req, resp, 503, "unavailable", NULL,
		    "Le service des dossiers est momentanément indisponible ; "
		    "réessayez.");
	else if (rc == DSVC_UNKNOWN)
		http_problem(req, resp, 404, "not_found", field,
		    "Ce dossier, cette pièce ou cette clé n'existe pas.");
	else if (rc == DSVC_NOT_ASSOCIATION)
		http_problem(req, resp, 404, "not_found", "org",
		    "Cette association n'existe pas.");
	else
		http_problem(req, resp,
		    rc == DOSSIER_ETAT_INVALIDE         ? 409
			: rc == DOSSIER_TROP_VOLUMINEUX ? 413
							: 422,
		    dossier_code_name((enum dossier_code)rc), field, "%s",
		    dossier_code_detail((enum dossier_code)rc));
}

int
api_dossier_id(const struct http_request *req, struct http_response *resp,
    const char *name, int64_t *id)
{
	const char *s = http_request_param(req, name);
	char *end;
	long long v;

	if (s != NULL && *s >= '1' && *s <= '9' && strlen(s) <= 18) {
		v = strtoll(s, &end, 10);
		if (*end == '\0' && v > 0) {
			*id = v;
			return 0;
		}
	}
	http_problem(req, resp, 404, "not_found", name,
	    "Ce dossier, cette pièce ou cette clé n'existe pas.");
	return -1;
}

static json_t *
opt_time(int64_t ms)
{
	return ms > 0 ? api_time_json(ms) : json_null();
}

/* text as JSON when it parses, as a string otherwise, null when NULL. */
static json_t *
json_or_text(const char *text)
{
	json_t *j;

	if (text == NULL)
		return json_null();
	j = json_loads(text, 0, NULL);
	return j != NULL ? j : json_string(text);
}

json_t *
api_dossier_json(const struct dossier_view *v)
{
	json_t *docs = json_array(), *o;
	size_t i;

	for (i = 0; docs != NULL && i < v->ndocs; i++)
		json_array_append_new(docs,
		    json_pack("{s:I, s:s, s:I, s:o}", "id",
			(json_int_t)v->docs[i].id, "type", v->docs[i].type,
			"size", (json_int_t)v->docs[i].size, "uploaded_at",
			api_time_json(v->docs[i].uploaded_at)));
	o = json_pack("{s:I, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o,"
		      " s:o, s:o}",
	    "id", (json_int_t)v->d.id, "org", v->d.org_id, "kind",
	    dossier_kind_name(v->d.kind), "state",
	    dossier_state_name(v->d.state), "profile", json_or_text(v->profile),
	    "health", v->health != NULL ? json_string(v->health) : json_null(),
	    "comment",
	    v->comment != NULL ? json_string(v->comment) : json_null(),
	    "created_at", opt_time(v->d.created_at), "submitted_at",
	    opt_time(v->d.submitted_at), "decided_at",
	    opt_time(v->d.decided_at), "documents_destroyed_at",
	    opt_time(v->d.destroyed_at), "documents",
	    docs != NULL ? docs : json_array(), "updated_at",
	    opt_time(v->d.updated_at));
	return o;
}

json_t *
api_validator_key_json(const struct store_validator_key *k)
{
	json_t *jwk = json_loads(k->jwk, 0, NULL);

	return json_pack("{s:I, s:o, s:s, s:s, s:b, s:o, s:o}", "id",
	    (json_int_t)k->id, "jwk", jwk != NULL ? jwk : json_null(),
	    "fingerprint", k->fingerprint, "account", k->account_id,
	    "has_private", k->has_private, "created_at",
	    opt_time(k->created_at), "revoked_at", opt_time(k->revoked_at));
}

static const char *
org_param(const struct http_request *req, struct http_response *resp)
{
	const char *org = http_request_param(req, "org");

	if (org == NULL || org[0] == '\0' || strlen(org) >= STORE_ID_MAX) {
		http_problem(req, resp, 404, "not_found", "org",
		    "Cette association n'existe pas.");
		return NULL;
	}
	return org;
}

static int
add_key(void *arg, const struct store_validator_key *k)
{
	return json_array_append_new(arg, api_validator_key_json(k));
}

/* The required types of kind, as a JSON array. */
static json_t *
required_json(const struct dossier_rules *r, enum dossier_kind kind)
{
	json_t *a = json_array();
	size_t i,
	    n = kind == DOSSIER_FAMILY ? r->family_count : r->volunteer_count;

	for (i = 0; a != NULL && i < n; i++)
		json_array_append_new(a,
		    json_string(kind == DOSSIER_FAMILY
			    ? r->family_types[i]
			    : r->volunteer_types[i]));
	return a;
}

void
api_me_dossier_keys(struct http_request *req, struct http_response *resp)
{
	struct dossier_call x;
	const char *org;
	json_t *list;

	if (api_dossier_begin(req, resp, &x) != 0 ||
	    (org = org_param(req, resp)) == NULL)
		return;
	if ((list = json_array()) == NULL ||
	    svc_validator_keys(&x.s, org, 1, add_key, list) != 0) {
		json_decref(list);
		api_dossier_refused(req, resp, -1, NULL);
		return;
	}
	http_response_json(resp, 200,
	    json_pack("{s:o, s:{s:o, s:o}, s:I, s:I}", "keys", list, "required",
		"family", required_json(x.s.r, DOSSIER_FAMILY), "volunteer",
		required_json(x.s.r, DOSSIER_VOLUNTEER), "document_max_bytes",
		(json_int_t)x.s.r->document_max_bytes, "documents_max",
		(json_int_t)x.s.r->documents_max));
}

static int
add_association(void *arg, const char *id, const char *name)
{
	return json_array_append_new(json_object_get(arg, "associations"),
	    json_pack("{s:s, s:s}", "id", id, "name", name));
}

static int
add_own(void *arg, const struct store_dossier *d)
{
	return json_array_append_new(json_object_get(arg, "dossiers"),
	    json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)d->id, "org",
		d->org_id, "kind", dossier_kind_name(d->kind), "state",
		dossier_state_name(d->state)));
}

void
api_me_dossiers(struct http_request *req, struct http_response *resp)
{
	struct dossier_call x;
	json_t *o;

	if (api_dossier_begin(req, resp, &x) != 0)
		return;
	o = json_pack("{s:[], s:[]}", "associations", "dossiers");
	if (o == NULL ||
	    svc_dossier_overview(&x.s, &x.who, add_association, add_own, o) !=
		0) {
		json_decref(o);
		api_dossier_refused(req, resp, -1, NULL);
		return;
	}
	http_response_json(resp, 200, o);
}

void
api_me_dossier(struct http_request *req, struct http_response *resp)
{
	struct dossier_call x;
	struct dossier_view *v;
	const char *org;
	json_t *o;
	int rc;

	if (api_dossier_begin(req, resp, &x) != 0 ||
	    (org = org_param(req, resp)) == NULL)
		return;
	if ((v = calloc(1, sizeof(*v))) == NULL) {
		api_dossier_refused(req, resp, -1, NULL);
		return;
	}
	rc = svc_dossier_mine(&x.s, &x.who, org, v);
	if (rc != DOSSIER_OK) {
		api_dossier_refused(req, resp, rc, "org");
	} else {
		o = api_dossier_json(v);
		json_object_set_new(o, "required",
		    required_json(x.s.r, v->d.kind));
		http_response_json(resp, 200, o);
	}
	svc_dossier_view_clear(v);
	free(v);
}

static const struct json_field save_fields[] = {
	{ "kind", JK_STRING, 1, 1, 16 },
	{ "profile", JK_OBJECT, 1, 0, LLONG_MAX },
	{ "health", JK_STRING, 0, 0, 4000 },
};

void
api_me_dossier_save(struct http_request *req, struct http_response *resp)
{
	struct dossier_call x;
	enum dossier_kind kind;
	const char *org;
	char *profile = NULL;
	json_t *body, *h;
	int64_t id = 0;
	int rc;

	if (api_dossier_begin(req, resp, &x) != 0 ||
	    (org = org_param(req, resp)) == NULL)
		return;
	if ((body = http_json_body(req, resp)) == NULL)
		return;
	if (http_json_check(req, resp, body, save_fields, 3) != 0)
		goto done;
	if (dossier_kind_parse(json_string_value(json_object_get(body, "kind")),
		&kind) != 0) {
		http_problem(req, resp, 422, "PARAMETRE_INVALIDE", "kind",
		    "Le champ « kind » vaut family ou volunteer.");
		goto done;
	}
	profile = json_dumps(json_object_get(body, "profile"), JSON_COMPACT);
	if (profile == NULL || strlen(profile) > 8000) {
		http_problem(req, resp, 422, "PARAMETRE_INVALIDE", "profile",
		    "Le champ « profile » dépasse 8000 octets.");
		goto done;
	}
	h = json_object_get(body, "health");
	rc = svc_dossier_save(&x.s, &x.who, org, kind, profile,
	    json_is_string(h) && json_string_length(h) > 0
		? json_string_value(h)
		: NULL,
	    x.now, &id);
	if (rc != DOSSIER_OK)
		api_dossier_refused(req, resp, rc, "kind");
	else
		http_response_json(resp, 200,
		    json_pack("{s:I}", "id", (json_int_t)id));
done:
	if (profile != NULL) {
		sodium_memzero(profile, strlen(profile));
		free(profile);
	}
	json_decref(body);
}

static const struct json_field doc_fields[] = {
	{ "type", JK_STRING, 1, 1, DOSSIER_TYPE_MAX - 1 },
	{ "jwe", JK_OBJECT, 1, 0, LLONG_MAX },
};

void
api_me_dossier_document_add(struct http_request *req,
    struct http_response *resp)
{
	struct dossier_call x;
	const char *org;
	char *jwe = NULL;
	json_t *body;
	int64_t doc = 0;
	int rc;

	if (api_dossier_begin(req, resp, &x) != 0 ||
	    (org = org_param(req, resp)) == NULL)
		return;
	if ((body = http_json_body(req, resp)) == NULL)
		return;
	if (http_json_check(req, resp, body, doc_fields, 2) != 0)
		goto done;
	if ((jwe = json_dumps(json_object_get(body, "jwe"), JSON_COMPACT)) ==
	    NULL) {
		api_dossier_refused(req, resp, -1, NULL);
		goto done;
	}
	rc = svc_dossier_add_document(&x.s, &x.who, org,
	    json_string_value(json_object_get(body, "type")), jwe, strlen(jwe),
	    x.now, &doc);
	if (rc != DOSSIER_OK)
		api_dossier_refused(req, resp, rc,
		    rc == DOSSIER_TYPE_INCONNU ? "type" : "jwe");
	else
		http_response_json(resp, 201,
		    json_pack("{s:I, s:I}", "id", (json_int_t)doc, "size",
			(json_int_t)strlen(jwe)));
done:
	free(jwe);
	json_decref(body);
}

void
api_me_dossier_document_delete(struct http_request *req,
    struct http_response *resp)
{
	struct dossier_call x;
	const char *org;
	int64_t doc;
	int rc;

	if (api_dossier_begin(req, resp, &x) != 0 ||
	    (org = org_param(req, resp)) == NULL ||
	    api_dossier_id(req, resp, "id", &doc) != 0)
		return;
	rc = svc_dossier_remove_document(&x.s, &x.who, org, doc, x.now);
	if (rc != DOSSIER_OK)
		api_dossier_refused(req, resp, rc, "id");
	else
		http_response_json(resp, 200,
		    json_pack("{s:I}", "id", (json_int_t)doc));
}

void
api_me_dossier_submit(struct http_request *req, struct http_response *resp)
{
	struct dossier_call x;
	const char *org, *missing = NULL;
	int rc;

	if (api_dossier_begin(req, resp, &x) != 0 ||
	    (org = org_param(req, resp)) == NULL)
		return;
	rc = svc_dossier_submit(&x.s, &x.who, org, x.now, &missing);
	if (rc == DOSSIER_PIECES_MANQUANTES && missing != NULL) {
		http_problem(req, resp, 422, "dossier_pieces_manquantes",
		    "type", "La pièce « %s » manque au dossier.", missing);
		http_problem_add(resp, "missing", json_string(missing));
	} else if (rc != DOSSIER_OK) {
		api_dossier_refused(req, resp, rc, "org");
	} else {
		http_response_json(resp, 200,
		    json_pack("{s:s}", "state", "soumis"));
	}
}
