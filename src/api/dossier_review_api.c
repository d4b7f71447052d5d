/*
 * dossier_review_api.c - validators of an association: their public keys
 * (the private half only as their browser wrapped it), the dossiers to
 * read, their documents (JWE, opened in the validator's browser) and the
 * decision.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/booking_api.h"
#include "api/dossier_api.h"
#include "app.h"
#include "http/jsonbody.h"
#include "http/response.h"

static int
add_key(void *arg, const struct store_validator_key *k)
{
	return json_array_append_new(arg, api_validator_key_json(k));
}

void
api_validator_keys(struct http_request *req, struct http_response *resp)
{
	struct dossier_call x;
	json_t *list;

	if (api_dossier_begin(req, resp, &x) != 0)
		return;
	if ((list = json_array()) == NULL ||
	    svc_validator_keys(&x.s, x.who.org_id, 0, add_key, list) != 0) {
		json_decref(list);
		api_dossier_refused(req, resp, -1, NULL);
		return;
	}
	http_response_json(resp, 200, json_pack("{s:o}", "keys", list));
}

static const struct json_field key_fields[] = {
	{ "jwk", JK_OBJECT, 1, 0, LLONG_MAX },
	{ "wrapped_private", JK_STRING, 0, 1, 16000 },
};

void
api_validator_key_add(struct http_request *req, struct http_response *resp)
{
	struct dossier_call x;
	struct store_validator_key k;
	char *jwk = NULL;
	json_t *body;
	int rc;

	if (api_dossier_begin(req, resp, &x) != 0)
		return;
	if ((body = http_json_body(req, resp)) == NULL)
		return;
	if (http_json_check(req, resp, body, key_fields, 2) != 0)
		goto done;
	if ((jwk = json_dumps(json_object_get(body, "jwk"), JSON_COMPACT)) ==
	    NULL) {
		api_dossier_refused(req, resp, -1, NULL);
		goto done;
	}
	rc = svc_validator_key_add(&x.s, &x.who, jwk,
	    json_string_value(json_object_get(body, "wrapped_private")), x.now,
	    &k);
	if (rc != DOSSIER_OK)
		api_dossier_refused(req, resp, rc, "jwk");
	else
		http_response_json(resp, 201, api_validator_key_json(&k));
done:
	free(jwk);
	json_decref(body);
}

void
api_validator_key_private(struct http_request *req, struct http_response *resp)
{
	struct dossier_call x;
	char *wrapped = NULL;
	int64_t id;
	int rc;

	if (api_dossier_begin(req, resp, &x) != 0 ||
	    api_dossier_id(req, resp, "id", &id) != 0)
		return;
	rc = svc_validator_key_private(&x.s, &x.who, id, &wrapped);
	if (rc != DOSSIER_OK)
		api_dossier_refused(req, resp, rc, "id");
	else
		http_response_json(resp, 200,
		    json_pack("{s:s}", "wrapped_private", wrapped));
	free(wrapped);
}

void
api_validator_key_revoke(struct http_request *req, struct http_response *resp)
{
	struct dossier_call x;
	int64_t id;
	int rc;

	if (api_dossier_begin(req, resp, &x) != 0 ||
	    api_dossier_id(req, resp, "id", &id) != 0)
		return;
	rc = svc_validator_key_revoke(&x.s, &x.who, id, x.now);
	if (rc != DOSSIER_OK)
		api_dossier_refused(req, resp, rc, "id");
	else
		http_response_json(resp, 200,
		    json_pack("{s:I}", "id", (json_int_t)id));
}

static int
add_dossier(void *arg, const struct store_dossier *d)
{
	return json_array_append_new(arg,
	    json_pack("{s:I, s:s, s:s, s:o, s:o}", "id", (json_int_t)d->id,
		"kind", dossier_kind_name(d->kind), "state",
		dossier_state_name(d->state), "submitted_at",
		d->submitted_at > 0 ? api_time_json(d->submitted_at)
				    : json_null(),
		"decided_at",
		d->decided_at > 0 ? api_time_json(d->decided_at)
				  : json_null()));
}

void
api_dossiers(struct http_request *req, struct http_response *resp)
{
	struct dossier_call x;
	enum dossier_state st;
	char state[16];
	const char *filter = NULL;
	json_t *list;
	int q;

	if (api_dossier_begin(req, resp, &x) != 0)
		return;
	q = http_request_query(req, "state", state, sizeof(state));
	if (q == 0 && dossier_state_parse(state, &st) == 0)
		filter = dossier_state_name(st);
	if (q < 0 || (q == 0 && filter == NULL)) {
		http_problem(req, resp, 422, "PARAMETRE_INVALIDE", "state",
		    "Le paramètre « state » vaut brouillon, soumis, "
		    "a_completer, valide ou refuse.");
		return;
	}
	if ((list = json_array()) == NULL ||
	    svc_dossiers_of_org(&x.s, &x.who, filter, 500, add_dossier, list) !=
		0) {
		json_decref(list);
		api_dossier_refused(req, resp, -1, NULL);
		return;
	}
	http_response_json(resp, 200, json_pack("{s:o}", "dossiers", list));
}

void
api_dossier_get(struct http_request *req, struct http_response *resp)
{
	struct dossier_call x;
	struct dossier_view *v;
	int64_t id;
	int rc;

	if (api_dossier_begin(req, resp, &x) != 0 ||
	    api_dossier_id(req, resp, "id", &id) != 0)
		return;
	if ((v = calloc(1, sizeof(*v))) == NULL) {
		api_dossier_refused(req, resp, -1, NULL);
		return;
	}
	rc = svc_dossier_review(&x.s, &x.who, id, x.now, v);
	if (rc != DOSSIER_OK)
		api_dossier_refused(req, resp, rc, "id");
	else
		http_response_json(resp, 200, api_dossier_json(v));
	svc_dossier_view_clear(v);
	free(v);
}

void
api_dossier_document(struct http_request *req, struct http_response *resp)
{
	struct dossier_call x;
	char *jwe = NULL;
	size_t len = 0;
	int64_t id, doc;
	json_t *j;
	int rc;

	if (api_dossier_begin(req, resp, &x) != 0 ||
	    api_dossier_id(req, resp, "id", &id) != 0 ||
	    api_dossier_id(req, resp, "doc", &doc) != 0)
		return;
	rc = svc_dossier_document(&x.s, &x.who, id, doc, x.now, &jwe, &len);
	if (rc != DOSSIER_OK) {
		api_dossier_refused(req, resp, rc, "doc");
	} else if ((j = json_loadb(jwe, len, 0, NULL)) == NULL) {
		api_dossier_refused(req, resp, -1, NULL);
	} else {
		http_response_json(resp, 200, json_pack("{s:o}", "jwe", j));
	}
	free(jwe);
}

static const struct json_field decide_fields[] = {
	{ "decision", JK_STRING, 1, 1, 16 },
	{ "comment", JK_STRING, 0, 0, DOSSIER_COMMENT_MAX },
};

void
api_dossier_decide(struct http_request *req, struct http_response *resp)
{
	struct dossier_call x;
	enum dossier_decision d;
	enum dossier_state next;
	json_t *body;
	int64_t id;
	int rc;

	if (api_dossier_begin(req, resp, &x) != 0 ||
	    api_dossier_id(req, resp, "id", &id) != 0)
		return;
	if ((body = http_json_body(req, resp)) == NULL)
		return;
	if (http_json_check(req, resp, body, decide_fields, 2) != 0)
		goto done;
	if (dossier_decision_parse(json_string_value(
				       json_object_get(body, "decision")),
		&d) != 0) {
		http_problem(req, resp, 422, "PARAMETRE_INVALIDE", "decision",
		    "Le champ « decision » vaut valide, refuse ou a_completer.");
		goto done;
	}
	rc = svc_dossier_decide(&x.s, &x.who, id, d,
	    json_string_value(json_object_get(body, "comment")), x.now, &next);
	if (rc != DOSSIER_OK)
		api_dossier_refused(req, resp, rc,
		    rc == DOSSIER_COMMENTAIRE_REQUIS ? "comment" : "id");
	else
		http_response_json(resp, 200,
		    json_pack("{s:I, s:s}", "id", (json_int_t)id, "state",
			dossier_state_name(next)));
done:
	json_decref(body);
}

static int
add_rewrap(void *arg, int64_t dossier, int64_t doc, const char *kid,
    const char *encrypted_key)
{
	return json_array_append_new(arg,
	    json_pack("{s:I, s:I, s:s, s:s}", "dossier", (json_int_t)dossier,
		"doc", (json_int_t)doc, "kid", kid, "encrypted_key",
		encrypted_key));
}

void
api_validator_key_rewrap_list(struct http_request *req,
    struct http_response *resp)
{
	struct dossier_call x;
	json_t *list;
	int64_t id;
	int rc;

	if (api_dossier_begin(req, resp, &x) != 0 ||
	    api_dossier_id(req, resp, "id", &id) != 0)
		return;
	if ((list = json_array()) == NULL) {
		api_dossier_refused(req, resp, -1, NULL);
		return;
	}
	rc = svc_dossier_rewrap_list(&x.s, &x.who, id, add_rewrap, list);
	if (rc != DOSSIER_OK) {
		json_decref(list);
		api_dossier_refused(req, resp, rc, "id");
		return;
	}
	http_response_json(resp, 200, json_pack("{s:o}", "documents", list));
}

static const struct json_field rewrap_fields[] = {
	{ "dossier", JK_INTEGER, 1, 1, LLONG_MAX },
	{ "doc", JK_INTEGER, 1, 1, LLONG_MAX },
	{ "encrypted_key", JK_STRING, 1, 1, 1024 },
};

void
api_validator_key_rewrap(struct http_request *req, struct http_response *resp)
{
	struct dossier_call x;
	json_t *body;
	int64_t id;
	int rc;

	if (api_dossier_begin(req, resp, &x) != 0 ||
	    api_dossier_id(req, resp, "id", &id) != 0)
		return;
	if ((body = http_json_body(req, resp)) == NULL)
		return;
	if (http_json_check(req, resp, body, rewrap_fields, 3) == 0) {
		rc = svc_dossier_rewrap_add(&x.s, &x.who, id,
		    json_integer_value(json_object_get(body, "dossier")),
		    json_integer_value(json_object_get(body, "doc")),
		    json_string_value(json_object_get(body, "encrypted_key")),
		    x.now);
		if (rc != DOSSIER_OK)
			api_dossier_refused(req, resp, rc,
			    rc == DOSSIER_JWE_INVALIDE ? "encrypted_key"
						       : "doc");
		else
			http_response_json(resp, 200,
			    json_pack("{s:I}", "key", (json_int_t)id));
	}
	json_decref(body);
}
