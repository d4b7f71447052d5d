/*
 * oauth_api.c - the authorization server's endpoints (auth/oauth.h):
 * /oauth/authorize, /oauth/token, /oauth/revoke and /oauth/introspect for
 * partner software; the consent page's requests and the employee's list
 * of authorised applications; the platform admin's registered clients.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "api/api.h"
#include "api/booking_api.h"
#include "api/guard.h"
#include "app.h"
#include "auth/oauth.h"
#include "core/clock.h"
#include "http/form.h"
#include "http/jsonbody.h"
#include "http/path.h"
#include "http/response.h"

/* What each scope lets the software do, as the consent page says it. */
static const char *
scope_label(const char *name)
{
	if (strcmp(name, OAUTH_SCOPE_READ) == 0)
		return "Consulter vos mandats, vos candidats, les centres "
		       "d'examen, les places disponibles et vos examens";
	return "Réserver des places, valider votre panier, annuler, "
	       "remplacer et permuter des examens, créer des mandats, en "
	       "votre nom";
}

static json_t *
scopes_json(const char *scope)
{
	json_t *a = json_array();
	const char *names[] = { OAUTH_SCOPE_READ, OAUTH_SCOPE_BOOK };
	size_t i;

	for (i = 0; i < 2; i++)
		if (oauth_scope_has(scope, names[i]))
			json_array_append_new(a,
			    json_pack("{s:s, s:s}", "name", names[i], "label",
				scope_label(names[i])));
	return a;
}

static void
see_other(struct http_response *resp, const char *location)
{
	resp->status = 303;
	http_response_header(resp, "Location", location);
	http_response_header(resp, "Cache-Control", "no-store");
}

/* Appends "?error=...&state=..." to the client's redirect URI. */
static void
redirect_error(struct http_response *resp, const char *uri, const char *error,
    const char *state)
{
	char loc[STORE_OAUTH_URI_MAX + STORE_OAUTH_STATE_MAX * 3 + 64];
	size_t len;
	const char *p;

	len = (size_t)snprintf(loc, sizeof(loc), "%s%cerror=%s", uri,
	    strchr(uri, '?') ? '&' : '?', error);
	if (state != NULL && state[0] && len < sizeof(loc)) {
		len +=
		    (size_t)snprintf(loc + len, sizeof(loc) - len, "&state=");
		for (p = state; *p && len + 4 < sizeof(loc); p++) {
			unsigned char ch = (unsigned char)*p;

			if ((ch >= '0' && ch <= '9') ||
			    (ch >= 'A' && ch <= 'Z') ||
			    (ch >= 'a' && ch <= 'z') || strchr("-._~", ch))
				loc[len++] = (char)ch;
			else
				len += (size_t)snprintf(loc + len,
				    sizeof(loc) - len, "%%%02X", ch);
		}
		loc[len < sizeof(loc) ? len : sizeof(loc) - 1] = '\0';
	}
	see_other(resp, loc);
}

void
api_oauth_authorize(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct store_oauth_client cl;
	struct store_oauth_request q;
	char client_id[STORE_ID_MAX], uri[STORE_OAUTH_URI_MAX];
	char rtype[16], method[16], scope_in[STORE_OAUTH_SCOPE_MAX];
	char id[OAUTH_TOKEN_LEN], loc[96];
	int rc, rs, rm, rsc;

	memset(&q, 0, sizeof(q));
	/* Without a known client and one of its redirect URIs nothing may
	 * be sent back to the address given: the page says so instead
	 * (RFC 6749 4.1.2.1). */
	if (http_request_query(req, "client_id", client_id,
		sizeof(client_id)) != 0 ||
	    http_request_query(req, "redirect_uri", uri, sizeof(uri)) != 0 ||
	    (rc = oauth_client_get(&app->auth, client_id, &cl)) == 1 ||
	    (rc == 0 && !oauth_client_has_uri(&cl, uri))) {
		see_other(resp, "/#/autorisation/invalide");
		return;
	}
	if (rc < 0) {
		http_problem(req, resp, 503, "unavailable", NULL,
		    "Le service d'autorisation est indisponible.");
		return;
	}
	rs = http_request_query(req, "state", q.state, sizeof(q.state));
	if (rs < 0) {
		redirect_error(resp, uri, "invalid_request", NULL);
		return;
	}
	if (http_request_query(req, "response_type", rtype, sizeof(rtype)) !=
		0 ||
	    strcmp(rtype, "code") != 0) {
		redirect_error(resp, uri, "unsupported_response_type", q.state);
		return;
	}
	/* PKCE S256 is mandatory: plain would give the verifier away. */
	rm = http_request_query(req, "code_challenge_method", method,
	    sizeof(method));
	if (http_request_query(req, "code_challenge", q.challenge,
		sizeof(q.challenge)) != 0 ||
	    oauth_challenge_check(q.challenge) != 0 || rm != 0 ||
	    strcmp(method, "S256") != 0) {
		redirect_error(resp, uri, "invalid_request", q.state);
		return;
	}
	rsc = http_request_query(req, "scope", scope_in, sizeof(scope_in));
	if (rsc < 0 ||
	    oauth_scope_parse(rsc == 0 ? scope_in : cl.scopes, q.scope,
		sizeof(q.scope)) != 0 ||
	    !oauth_scope_within(q.scope, cl.scopes)) {
		redirect_error(resp, uri, "invalid_scope", q.state);
		return;
	}
	memcpy(q.client_id, cl.id, sizeof(q.client_id));
	memcpy(q.redirect_uri, uri, sizeof(q.redirect_uri));
	if (oauth_request_create(&app->auth, &q, clock_now_ms(app->clock),
		id) != 0) {
		redirect_error(resp, uri, "server_error", q.state);
		return;
	}
	snprintf(loc, sizeof(loc), "/#/autorisation/%s", id);
	sodium_memzero(id, sizeof(id));
	see_other(resp, loc);
}

/* ---- the token endpoint and its siblings (RFC 6749, 7009, 7662) ---- */

/* Answers an RFC 6749 5.2 error. */
static void
oauth_error(struct http_response *resp, enum oauth_error e,
    const char *description)
{
	int status = e == OAUTH_INVALID_CLIENT ? 401
	    : e == OAUTH_SERVER_ERROR          ? 503
					       : 400;

	http_response_json(resp, status,
	    json_pack("{s:s, s:s}", "error", oauth_error_name(e),
		"error_description", description));
	http_response_header(resp, "Cache-Control", "no-store");
	http_response_header(resp, "Pragma", "no-cache");
	if (e == OAUTH_INVALID_CLIENT)
		http_response_header(resp, "WWW-Authenticate",
		    "Basic realm=\"creneau\"");
}

/* Decodes the form-encoded part of a Basic credential in place
 * (RFC 6749 2.3.1). Returns 0 or -1. */
static int
basic_part(char *s, size_t size)
{
	char tmp[256];
	size_t n = strlen(s);

	if (n >= sizeof(tmp))
		return -1;
	memcpy(tmp, s, n + 1);
	return path_decode(tmp, n, s, size, 1) < 0 ? -1 : 0;
}

/*
 * Authenticates the calling client: HTTP Basic (RFC 6749 2.3.1) or
 * client_id and client_secret in the body, never both. Returns 0 with
 * *cl, or -1 after the error.
 */
static int
client_auth(struct http_request *req, struct http_response *resp,
    struct store_oauth_client *cl)
{
	struct app *app = req->app;
	const char *h = http_request_header(req, "Authorization");
	char id[STORE_ID_MAX] = "", secret[128] = "";
	int rc, post_id, post_secret;

	post_id = http_form_get(req, "client_id", id, sizeof(id));
	post_secret =
	    http_form_get(req, "client_secret", secret, sizeof(secret));
	if (post_id < 0 || post_secret < 0) {
		oauth_error(resp, OAUTH_INVALID_REQUEST,
		    "Paramètre client_id ou client_secret invalide ou "
		    "répété.");
		return -1;
	}
	if (h != NULL && strncasecmp(h, "Basic ", 6) == 0) {
		unsigned char raw[400];
		size_t n = 0;
		char *colon;

		if (post_secret == 0) {
			oauth_error(resp, OAUTH_INVALID_REQUEST,
			    "Une seule méthode d'authentification du client "
			    "par requête.");
			return -1;
		}
		for (h += 6; *h == ' '; h++)
			;
		if (sodium_base642bin(raw, sizeof(raw) - 1, h, strlen(h), NULL,
			&n, NULL, sodium_base64_VARIANT_ORIGINAL) != 0) {
			oauth_error(resp, OAUTH_INVALID_CLIENT,
			    "Identifiants du client illisibles.");
			return -1;
		}
		raw[n] = '\0';
		colon = strchr((char *)raw, ':');
		if (colon == NULL || strlen((char *)raw) != n) {
			sodium_memzero(raw, sizeof(raw));
			oauth_error(resp, OAUTH_INVALID_CLIENT,
			    "Identifiants du client illisibles.");
			return -1;
		}
		*colon = '\0';
		if (strlen((char *)raw) >= sizeof(id) ||
		    strlen(colon + 1) >= sizeof(secret)) {
			sodium_memzero(raw, sizeof(raw));
			oauth_error(resp, OAUTH_INVALID_CLIENT,
			    "Client inconnu ou secret incorrect.");
			return -1;
		}
		/* Lengths checked above; memcpy so that -O1 builds do not
		 * see a possible truncation. */
		memcpy(id, raw, strlen((char *)raw) + 1);
		memcpy(secret, colon + 1, strlen(colon + 1) + 1);
		sodium_memzero(raw, sizeof(raw));
		if (basic_part(id, sizeof(id)) != 0 ||
		    basic_part(secret, sizeof(secret)) != 0) {
			sodium_memzero(secret, sizeof(secret));
			oauth_error(resp, OAUTH_INVALID_CLIENT,
			    "Identifiants du client illisibles.");
			return -1;
		}
	} else if (post_id != 0 || post_secret != 0) {
		oauth_error(resp, OAUTH_INVALID_CLIENT,
		    "Authentifiez le client (HTTP Basic ou client_id et "
		    "client_secret).");
		return -1;
	}
	rc = oauth_client_authenticate(&app->auth, id, secret, cl);
	sodium_memzero(secret, sizeof(secret));
	if (rc < 0) {
		oauth_error(resp, OAUTH_SERVER_ERROR,
		    "Le service d'autorisation est indisponible.");
		return -1;
	}
	if (rc != 0) {
		oauth_error(resp, OAUTH_INVALID_CLIENT,
		    "Client inconnu ou secret incorrect.");
		return -1;
	}
	return 0;
}

/* Checks the body is a form. Returns 0 or -1 after the error. */
static int
form_body(struct http_request *req, struct http_response *resp)
{
	if (http_form_is(req))
		return 0;
	oauth_error(resp, OAUTH_INVALID_REQUEST,
	    "Le corps doit être de type "
	    "application/x-www-form-urlencoded.");
	return -1;
}

static void
tokens_answer(struct http_response *resp, struct oauth_tokens *t)
{
	http_response_json(resp, 200,
	    json_pack("{s:s, s:s, s:I, s:s, s:s}", "access_token", t->access,
		"token_type", "Bearer", "expires_in",
		(json_int_t)t->expires_in_s, "refresh_token", t->refresh,
		"scope", t->scope));
	http_response_header(resp, "Cache-Control", "no-store");
	http_response_header(resp, "Pragma", "no-cache");
	sodium_memzero(t, sizeof(*t));
}

void
api_oauth_token(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct oauth_who who = { NULL, NULL, req->client_ip, req->request_id };
	struct store_oauth_client cl;
	struct oauth_tokens t;
	char grant[32], code[64], uri[STORE_OAUTH_URI_MAX], verifier[160];
	char scope_in[STORE_OAUTH_SCOPE_MAX], scope[STORE_OAUTH_SCOPE_MAX];
	enum oauth_error e;
	int64_t now = clock_now_ms(app->clock);
	int rs;

	if (form_body(req, resp) != 0 || client_auth(req, resp, &cl) != 0)
		return;
	if (http_form_get(req, "grant_type", grant, sizeof(grant)) != 0) {
		oauth_error(resp, OAUTH_INVALID_REQUEST,
		    "Paramètre grant_type absent ou invalide.");
		return;
	}
	if (strcmp(grant, "authorization_code") == 0) {
		if (http_form_get(req, "code", code, sizeof(code)) != 0 ||
		    http_form_get(req, "redirect_uri", uri, sizeof(uri)) != 0 ||
		    http_form_get(req, "code_verifier", verifier,
			sizeof(verifier)) != 0) {
			oauth_error(resp, OAUTH_INVALID_REQUEST,
			    "Paramètres code, redirect_uri et code_verifier "
			    "obligatoires.");
			return;
		}
		e = oauth_exchange_code(&app->auth, &cl, code, uri, verifier,
		    &who, now, &t);
		sodium_memzero(code, sizeof(code));
		sodium_memzero(verifier, sizeof(verifier));
		if (e == OAUTH_OK)
			tokens_answer(resp, &t);
		else
			oauth_error(resp, e,
			    e == OAUTH_SERVER_ERROR
				? "Le service d'autorisation est "
				  "indisponible."
				: "Code inconnu, expiré, déjà utilisé, ou "
				  "qui ne correspond pas à ce client, à "
				  "cette adresse de retour ou à ce "
				  "code_verifier.");
		return;
	}
	if (strcmp(grant, "refresh_token") == 0) {
		if (http_form_get(req, "refresh_token", code, sizeof(code)) !=
		    0) {
			oauth_error(resp, OAUTH_INVALID_REQUEST,
			    "Paramètre refresh_token obligatoire.");
			return;
		}
		rs = http_form_get(req, "scope", scope_in, sizeof(scope_in));
		if (rs < 0 ||
		    (rs == 0 &&
			oauth_scope_parse(scope_in, scope, sizeof(scope)) !=
			    0)) {
			sodium_memzero(code, sizeof(code));
			oauth_error(resp, OAUTH_INVALID_SCOPE,
			    "Portée inconnue.");
			return;
		}
		e = oauth_refresh(&app->auth, &cl, code, rs == 0 ? scope : NULL,
		    &who, now, &t);
		sodium_memzero(code, sizeof(code));
		if (e == OAUTH_OK)
			tokens_answer(resp, &t);
		else
			oauth_error(resp, e,
			    e == OAUTH_INVALID_SCOPE
				? "La portée demandée dépasse celle "
				  "accordée."
				: e == OAUTH_SERVER_ERROR
				? "Le service d'autorisation est "
				  "indisponible."
				: "Jeton de rafraîchissement inconnu, expiré, "
				  "révoqué ou déjà utilisé.");
		return;
	}
	oauth_error(resp, OAUTH_UNSUPPORTED_GRANT_TYPE,
	    "Seuls authorization_code et refresh_token sont acceptés.");
}

void
api_oauth_revoke(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct oauth_who who = { NULL, NULL, req->client_ip, req->request_id };
	struct store_oauth_client cl;
	char token[64];

	if (form_body(req, resp) != 0 || client_auth(req, resp, &cl) != 0)
		return;
	if (http_form_get(req, "token", token, sizeof(token)) != 0) {
		oauth_error(resp, OAUTH_INVALID_REQUEST,
		    "Paramètre token obligatoire.");
		return;
	}
	/* RFC 7009 2.2: an unknown token is no error, so no one learns
	 * whether a token exists. */
	if (oauth_revoke(&app->auth, &cl, token, &who,
		clock_now_ms(app->clock)) != 0) {
		sodium_memzero(token, sizeof(token));
		oauth_error(resp, OAUTH_SERVER_ERROR,
		    "Le service d'autorisation est indisponible.");
		return;
	}
	sodium_memzero(token, sizeof(token));
	http_response_json(resp, 200, json_object());
	http_response_header(resp, "Cache-Control", "no-store");
}

void
api_oauth_introspect(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct store_oauth_client cl;
	struct oauth_introspection in;
	char token[64];
	int rc;

	if (form_body(req, resp) != 0 || client_auth(req, resp, &cl) != 0)
		return;
	if (http_form_get(req, "token", token, sizeof(token)) != 0) {
		oauth_error(resp, OAUTH_INVALID_REQUEST,
		    "Paramètre token obligatoire.");
		return;
	}
	rc = oauth_introspect(&app->auth, &cl, token, clock_now_ms(app->clock),
	    &in);
	sodium_memzero(token, sizeof(token));
	if (rc != 0) {
		oauth_error(resp, OAUTH_SERVER_ERROR,
		    "Le service d'autorisation est indisponible.");
		return;
	}
	if (!in.active)
		http_response_json(resp, 200, json_pack("{s:b}", "active", 0));
	else
		http_response_json(resp, 200,
		    json_pack("{s:b, s:s, s:s, s:s, s:s, s:s, s:I, s:I}",
			"active", 1, "client_id", in.client_id, "scope",
			in.scope, "token_type",
			in.refresh ? "refresh_token" : "Bearer", "sub",
			in.account_id, "school", in.org_id, "iat",
			(json_int_t)(in.issued_at / 1000), "exp",
			(json_int_t)(in.expires_at / 1000)));
	http_response_header(resp, "Cache-Control", "no-store");
}

/* ---- the consent page ---- */

/* The employee in front of the consent page: signed in with a second
 * factor, holding a school role. Returns 0, or -1 after the problem. */
static int
employee(struct http_request *req, struct http_response *resp,
    struct api_caller *c)
{
	uint32_t school = (1u << ROLE_SCHOOL_ADMIN) |
	    (1u << ROLE_SCHOOL_MANAGER) | (1u << ROLE_TRAINER);

	if (api_guard(req, resp, NULL, c) != 0)
		return -1;
	if ((c->subj.roles & school) == 0) {
		http_problem(req, resp, 403, "not_school_employee", NULL,
		    "Seul un employé d'auto-école peut autoriser un logiciel "
		    "partenaire.");
		return -1;
	}
	/* School roles require TOTP anyway; said again here because the
	 * token will act without it. */
	if (!c->s.totp_enabled || !c->s.mfa_done) {
		http_problem(req, resp, 403, "mfa_required", NULL,
		    "Autoriser un logiciel demande une connexion avec votre "
		    "second facteur.");
		return -1;
	}
	return 0;
}

static void
request_unknown(const struct http_request *req, struct http_response *resp)
{
	http_problem(req, resp, 404, "authorization_request_unknown", NULL,
	    "Cette demande d'autorisation est inconnue ou a expiré : "
	    "recommencez depuis votre logiciel.");
}

void
api_oauth_request(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct api_caller c;
	struct store_oauth_request q;
	struct store_oauth_client cl;
	int rc;

	if (employee(req, resp, &c) != 0)
		return;
	rc = oauth_request_view(&app->auth, http_request_param(req, "id"),
	    clock_now_ms(app->clock), &q, &cl);
	if (rc < 0) {
		api_unavailable(req, resp);
		return;
	}
	if (rc != 0) {
		request_unknown(req, resp);
		return;
	}
	http_response_json(resp, 200,
	    json_pack("{s:{s:s, s:s}, s:o, s:s, s:o}", "client", "id", cl.id,
		"name", cl.name, "scopes", scopes_json(q.scope), "redirect_uri",
		q.redirect_uri, "expires_at", api_time_json(q.expires_at)));
}

static const struct json_field decision_fields[] = {
	{ "approve", JK_BOOLEAN, 1, 0, 0 },
};

void
api_oauth_request_decide(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct api_caller c;
	struct oauth_who who;
	char redirect[STORE_OAUTH_URI_MAX + 3 * STORE_OAUTH_STATE_MAX + 128];
	json_t *body;
	int rc;

	if (employee(req, resp, &c) != 0 ||
	    (body = http_json_body(req, resp)) == NULL)
		return;
	if (http_json_check(req, resp, body, decision_fields, 1) != 0) {
		json_decref(body);
		return;
	}
	who = (struct oauth_who){ c.s.account_id, c.s.org_id, req->client_ip,
		req->request_id };
	rc = oauth_request_decide(&app->auth, http_request_param(req, "id"),
	    json_is_true(json_object_get(body, "approve")), &who,
	    clock_now_ms(app->clock), redirect, sizeof(redirect));
	json_decref(body);
	if (rc < 0)
		api_unavailable(req, resp);
	else if (rc != 0)
		request_unknown(req, resp);
	else
		http_response_json(resp, 200,
		    json_pack("{s:s}", "redirect", redirect));
}

/* ---- the employee's authorised applications ---- */

static int
grant_json(void *arg, const struct store_oauth_grant *g)
{
	return json_array_append_new(arg,
	    json_pack("{s:s, s:{s:s, s:s}, s:o, s:o, s:o}", "id", g->id,
		"client", "id", g->client_id, "name", g->client_name, "scopes",
		scopes_json(g->scope), "created_at",
		api_time_json(g->created_at), "last_used_at",
		api_time_json(g->last_used_at)));
}

void
api_me_oauth_grants(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct api_caller c;
	json_t *list;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	list = json_array();
	if (oauth_grant_list(&app->auth, c.s.account_id, grant_json, list) !=
	    0) {
		json_decref(list);
		api_unavailable(req, resp);
		return;
	}
	http_response_json(resp, 200, json_pack("{s:o}", "grants", list));
}

void
api_me_oauth_grant_revoke(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct api_caller c;
	struct oauth_who who;
	int rc;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	who = (struct oauth_who){ c.s.account_id, c.s.org_id, req->client_ip,
		req->request_id };
	rc = oauth_grant_revoke(&app->auth, &who, http_request_param(req, "id"),
	    clock_now_ms(app->clock));
	if (rc < 0)
		api_unavailable(req, resp);
	else if (rc != 0)
		http_problem(req, resp, 404, "not_found", NULL,
		    "Aucune application autorisée sous ce numéro.");
	else
		resp->status = 204;
}

/* ---- registered clients (platform admin) ---- */

static int
client_json(void *arg, const struct store_oauth_client *cl)
{
	json_t *uris = json_array();
	const char *p = cl->redirect_uris;

	while (*p) {
		size_t w = strcspn(p, "\n");

		json_array_append_new(uris, json_stringn(p, w));
		p += w;
		if (*p == '\n')
			p++;
	}
	return json_array_append_new(arg,
	    json_pack("{s:s, s:s, s:o, s:o, s:o, s:o}", "client_id", cl->id,
		"name", cl->name, "redirect_uris", uris, "scopes",
		scopes_json(cl->scopes), "created_at",
		api_time_json(cl->created_at), "revoked_at",
		cl->revoked_at ? api_time_json(cl->revoked_at) : json_null()));
}

void
api_oauth_clients(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct api_caller c;
	json_t *list;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	list = json_array();
	if (oauth_client_list(&app->auth, client_json, list) != 0) {
		json_decref(list);
		api_unavailable(req, resp);
		return;
	}
	http_response_json(resp, 200, json_pack("{s:o}", "clients", list));
}

static const struct json_field client_fields[] = {
	{ "name", JK_STRING, 1, 1, STORE_OAUTH_NAME_MAX - 1 },
	{ "redirect_uris", JK_ARRAY, 1, 1, OAUTH_URIS_PER_CLIENT },
	{ "scopes", JK_ARRAY, 1, 1, 2 },
};

void
api_oauth_client_create(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct api_caller c;
	struct oauth_who who;
	struct store_oauth_client cl;
	const char *uris[OAUTH_URIS_PER_CLIENT];
	char scope_in[STORE_OAUTH_SCOPE_MAX] = "", scope[STORE_OAUTH_SCOPE_MAX];
	char secret[OAUTH_TOKEN_LEN];
	json_t *body, *v, *list;
	size_t i, n, len = 0;

	if (api_guard(req, resp, NULL, &c) != 0 ||
	    (body = http_json_body(req, resp)) == NULL)
		return;
	if (http_json_check(req, resp, body, client_fields, 3) != 0)
		goto done;
	list = json_object_get(body, "redirect_uris");
	n = json_array_size(list);
	json_array_foreach (list, i, v) {
		if (!json_is_string(v) ||
		    oauth_redirect_uri_check(json_string_value(v)) != 0) {
			http_problem(req, resp, 422, "invalid_redirect_uri",
			    "redirect_uris",
			    "Chaque adresse de retour doit être une URL "
			    "https absolue (ou http sur 127.0.0.1, [::1] ou "
			    "localhost), sans fragment ni identifiants, de "
			    "%d octets au plus.",
			    STORE_OAUTH_URI_MAX - 1);
			goto done;
		}
		uris[i] = json_string_value(v);
	}
	json_array_foreach (json_object_get(body, "scopes"), i, v) {
		if (!json_is_string(v) ||
		    len + json_string_length(v) + 2 >= sizeof(scope_in)) {
			len = sizeof(scope_in);
			break;
		}
		len += (size_t)snprintf(scope_in + len, sizeof(scope_in) - len,
		    "%s%s", i ? " " : "", json_string_value(v));
	}
	if (len >= sizeof(scope_in) ||
	    oauth_scope_parse(scope_in, scope, sizeof(scope)) != 0) {
		http_problem(req, resp, 422, "invalid_scope", "scopes",
		    "Portées possibles : « %s » et « %s ».", OAUTH_SCOPE_READ,
		    OAUTH_SCOPE_BOOK);
		goto done;
	}
	who = (struct oauth_who){ c.s.account_id, c.s.org_id, req->client_ip,
		req->request_id };
	if (oauth_client_register(&app->auth, &who,
		json_string_value(json_object_get(body, "name")), uris, n,
		scope, clock_now_ms(app->clock), &cl, secret) != 0) {
		api_unavailable(req, resp);
		goto done;
	}
	list = json_array();
	client_json(list, &cl);
	v = json_incref(json_array_get(list, 0));
	json_decref(list);
	/* The secret is shown this once; only its hash is kept. */
	json_object_set_new(v, "client_secret", json_string(secret));
	sodium_memzero(secret, sizeof(secret));
	http_response_json(resp, 201, v);
done:
	json_decref(body);
}

void
api_oauth_client_revoke(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct api_caller c;
	struct oauth_who who;
	int rc;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	who = (struct oauth_who){ c.s.account_id, c.s.org_id, req->client_ip,
		req->request_id };
	rc = oauth_client_revoke(&app->auth, &who,
	    http_request_param(req, "id"), clock_now_ms(app->clock));
	if (rc < 0)
		api_unavailable(req, resp);
	else if (rc != 0)
		http_problem(req, resp, 404, "not_found", NULL,
		    "Aucun logiciel partenaire actif sous cet identifiant.");
	else
		resp->status = 204;
}
