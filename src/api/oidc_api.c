/*
 * oidc_api.c - signing in through an OpenID provider: the providers for
 * the sign-in page's buttons (GET /api/v1/oidc/providers), the way out
 * to a provider (GET /api/v1/oidc/{name}/authorization) and back (GET
 * /api/v1/oidc/{name}/callback), and the confirmation of a new link
 * (POST /api/v1/me/oidc-links/{name}).
 *
 * The way out and back are browser navigations: they answer 303 to the
 * provider, or to the web UI with the outcome in the fragment
 * ("/#oidc=CODE&fournisseur=NAME"), which the sign-in page shows in
 * French.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "api/api.h"
#include "api/guard.h"
#include "app.h"
#include "auth/oidc.h"
#include "auth/signup.h"
#include "gdpr/policy.h"
#include "http/jsonbody.h"
#include "http/cookie.h"
#include "http/response.h"

/* The provider of the path's {name}, or NULL after a 404. */
static const struct config_oidc *
provider_of(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	const struct config_oidc *p =
	    config_oidc_find(app->cfg, http_request_param(req, "name"));

	if (p == NULL)
		http_problem(req, resp, 404, "not_found", NULL,
		    "Ce fournisseur d'identité n'est pas configuré.");
	return p;
}

/* public_url + "/api/v1/oidc/NAME/callback": the redirect URI to
 * register at the provider. Returns 0, or -1 without public_url. */
static int
redirect_uri(const struct app *app, const struct config_oidc *p, char *out,
    size_t outlen)
{
	const char *base = app->cfg->public_url;
	size_t n = strlen(base);

	while (n > 0 && base[n - 1] == '/')
		n--;
	if (n == 0)
		return -1;
	return snprintf(out, outlen, "%.*s/api/v1/oidc/%s/callback", (int)n,
		   base, p->name) < (int)outlen
	    ? 0
	    : -1;
}

static void
see_other(struct http_response *resp, const char *location)
{
	resp->status = 303;
	http_response_header(resp, "Location", location);
	http_response_header(resp, "Cache-Control", "no-store");
}

/* Back to the web UI with outcome code (and the provider's name). */
static void
back_to_ui(struct http_response *resp, const char *code,
    const struct config_oidc *p)
{
	char loc[96];

	snprintf(loc, sizeof(loc), "/#oidc=%s&fournisseur=%s", code, p->name);
	see_other(resp, loc);
}

void
api_oidc_providers(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct api_caller c;
	json_t *list;
	size_t i;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	if ((list = json_array()) == NULL)
		return;
	for (i = 0; i < app->cfg->noidc; i++)
		json_array_append_new(list,
		    json_pack("{s:s, s:s}", "name", app->cfg->oidc[i].name,
			"label", app->cfg->oidc[i].label));
	http_response_json(resp, 200, json_pack("{s:o}", "providers", list));
}

void
api_oidc_authorization(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	const struct config_oidc *p;
	struct api_caller c;
	char uri[OIDC_URL_REDIRECT_MAX], link[8], url[OIDC_AUTH_URL_MAX];
	char state[SESSION_TOKEN_LEN];
	const char *who = NULL;

	if (api_guard(req, resp, NULL, &c) != 0 ||
	    (p = provider_of(req, resp)) == NULL)
		return;
	if (http_request_query(req, "link", link, sizeof(link)) == 0 &&
	    strcmp(link, "1") == 0) {
		/* Linking is for a signed-in person who passed their second
		 * factor. */
		if (!c.has_session || !c.s.mfa_done) {
			back_to_ui(resp, "connexion-requise", p);
			return;
		}
		who = c.s.account_id;
	}
	if (redirect_uri(app, p, uri, sizeof(uri)) != 0 ||
	    oidc_begin(&app->auth, p, uri, who, clock_now_ms(app->clock), url,
		state) != 0 ||
	    cookie_set_oidc(resp, state, OIDC_FLOW_MS / 1000) != 0) {
		back_to_ui(resp, "indisponible", p);
		return;
	}
	sodium_memzero(state, sizeof(state));
	see_other(resp, url);
}

static const char *
outcome(enum oidc_status s)
{
	switch (s) {
	case OIDC_LINK_PENDING:
		return "liaison";
	case OIDC_BAD_STATE:
		return "demande-invalide";
	case OIDC_CODE_REFUSED:
	case OIDC_TOKEN_REFUSED:
		return "refusee";
	case OIDC_NOT_LINKED:
		return "non-lie";
	case OIDC_NOT_ALLOWED:
		return "non-autorise";
	case OIDC_LINK_TAKEN:
		return "deja-lie";
	case OIDC_WRONG_PERSON:
		return "connexion-requise";
	case OIDC_SIGNUP_PENDING:
		return "inscription";
	case OIDC_SIGNUP_EXISTS:
		return "compte-existant";
	case OIDC_SIGNUP_NO_EMAIL:
		return "sans-adresse";
	case OIDC_UNREACHABLE:
	default:
		return "indisponible";
	}
}

void
api_oidc_callback(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	const struct config_oidc *p;
	struct api_caller c;
	struct oidc_return r;
	struct oidc_result res;
	char uri[OIDC_URL_REDIRECT_MAX], state[64], code[1024];
	char kept[SESSION_TOKEN_LEN];
	const char *cookie = http_request_header(req, "Cookie");

	if (api_guard(req, resp, NULL, &c) != 0 ||
	    (p = provider_of(req, resp)) == NULL)
		return;
	memset(&r, 0, sizeof(r));
	if (http_request_query(req, "state", state, sizeof(state)) == 0)
		r.state = state;
	if (http_request_query(req, "code", code, sizeof(code)) == 0)
		r.code = code;
	if (cookie != NULL &&
	    cookie_get(cookie, strlen(cookie), COOKIE_OIDC, kept,
		sizeof(kept)) == 0)
		r.browser_state = kept;
	/* The flow ends here whatever happens: its cookie goes. */
	cookie_set_oidc(resp, "", 0);
	if (redirect_uri(app, p, uri, sizeof(uri)) != 0) {
		back_to_ui(resp, "indisponible", p);
		return;
	}
	r.redirect_uri = uri;
	r.session_account = c.has_session ? c.s.account_id : NULL;
	r.ip = req->client_ip;
	r.user_agent = api_user_agent(req);
	if (oidc_finish(&app->auth, p, &r, clock_now_ms(app->clock), &res) !=
	    0) {
		back_to_ui(resp, "indisponible", p);
	} else if (res.status == OIDC_SIGNUP_PENDING &&
	    cookie_set_signup(resp, res.signup_token, SIGNUP_OIDC_MS / 1000) !=
		0) {
		back_to_ui(resp, "indisponible", p);
	} else if (res.status != OIDC_SIGNED_IN) {
		back_to_ui(resp, outcome(res.status), p);
	} else if (api_set_session_cookies(resp, &res.tokens, 0, "") != 0) {
		back_to_ui(resp, "indisponible", p);
	} else {
		see_other(resp, "/");
	}
	sodium_memzero(&res, sizeof(res));
	sodium_memzero(code, sizeof(code));
	sodium_memzero(kept, sizeof(kept));
}

void
api_oidc_link_confirmation(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	const struct config_oidc *p;
	struct api_caller c;
	int rc;

	if (api_guard(req, resp, NULL, &c) != 0 ||
	    (p = provider_of(req, resp)) == NULL)
		return;
	if (!c.s.mfa_done) {
		http_problem(req, resp, 403, "mfa_required", NULL,
		    "Validez d'abord votre second facteur.");
		return;
	}
	rc = oidc_link_confirm(&app->auth, c.s.account_id, p->name,
	    req->client_ip, clock_now_ms(app->clock));
	if (rc < 0)
		http_problem(req, resp, 503, "unavailable", NULL,
		    "La liaison n'a pas pu être enregistrée.");
	else if (rc > 0)
		http_problem(req, resp, 422, "no_pending_link", "name",
		    "Aucune liaison avec ce fournisseur n'attend votre "
		    "confirmation (elle expire après 10 minutes) : "
		    "recommencez depuis « Mon compte ».");
	else
		http_response_json(resp, 200,
		    json_pack("{s:s, s:s}", "status", "linked", "provider",
			p->name));
}

/* The token of the sign-up through a provider this browser keeps, into
 * out; NULL when there is none. */
static const char *
signup_cookie(const struct http_request *req, char out[SESSION_TOKEN_LEN])
{
	const char *cookie = http_request_header(req, "Cookie");

	if (cookie == NULL ||
	    cookie_get(cookie, strlen(cookie), COOKIE_SIGNUP, out,
		SESSION_TOKEN_LEN) != 0)
		return NULL;
	return out;
}

static void
signup_gone(struct http_request *req, struct http_response *resp)
{
	http_problem(req, resp, 422, "signup_link_invalid", NULL,
	    "Cette inscription n'attend plus de confirmation (elle expire "
	    "après 10 minutes) : reconnectez-vous avec le fournisseur "
	    "d'identité pour recommencer.");
}

void
api_oidc_signup_check(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	const struct config_oidc *p;
	struct api_caller c;
	char token[SESSION_TOKEN_LEN], email[SIGNUP_EMAIL_MAX + 1];
	char v[POLICY_VERSION_MAX];
	int rc;

	if (api_guard(req, resp, NULL, &c) != 0 ||
	    (p = provider_of(req, resp)) == NULL)
		return;
	rc = signup_check(&app->auth, signup_cookie(req, token), p->name,
	    clock_now_ms(app->clock), email, sizeof(email));
	if (rc < 0 || app->datamap == NULL ||
	    policy_version(app->datamap, v) != 0)
		http_problem(req, resp, 503, "unavailable", NULL,
		    "L'inscription n'a pas pu être vérifiée.");
	else if (rc > 0)
		signup_gone(req, resp);
	else
		http_response_json(resp, 200,
		    json_pack("{s:s, s:s, s:s}", "email", email,
			"policy_version", v, "provider", p->label));
	sodium_memzero(token, sizeof(token));
	sodium_memzero(email, sizeof(email));
}

void
api_oidc_signup(struct http_request *req, struct http_response *resp)
{
	static const struct json_field fields[] = {
		{ "display_name", JK_STRING, 1, 1, ACCOUNT_NAME_MAX },
		{ "policy_version", JK_STRING, 1, 1, POLICY_VERSION_MAX - 1 },
	};
	struct app *app = req->app;
	const struct config_oidc *p;
	struct api_caller c;
	struct signup_in in;
	char token[SESSION_TOKEN_LEN], why[SIGNUP_WHY_MAX] = "",
				       id[AUTH_ID_HEX];
	char v[POLICY_VERSION_MAX], field[32];
	const char *f;
	json_t *body;
	int rc;

	if (api_guard(req, resp, NULL, &c) != 0 ||
	    (p = provider_of(req, resp)) == NULL)
		return;
	if ((body = http_json_body(req, resp)) == NULL)
		return;
	if (http_json_check(req, resp, body, fields, 2) != 0)
		goto done;
	if (app->datamap == NULL || policy_version(app->datamap, v) != 0) {
		http_problem(req, resp, 503, "unavailable", NULL,
		    "La politique de confidentialité est indisponible.");
		goto done;
	}
	memset(&in, 0, sizeof(in));
	in.token = signup_cookie(req, token);
	in.provider = p->name;
	in.display_name =
	    json_string_value(json_object_get(body, "display_name"));
	in.policy_version =
	    json_string_value(json_object_get(body, "policy_version"));
	in.policy_current = v;
	rc = signup_complete(&app->auth, &in, req->client_ip,
	    clock_now_ms(app->clock), id, why, sizeof(why));
	f = strstr(why, " : ");
	if (rc < 0) {
		http_problem(req, resp, 503, "unavailable", NULL,
		    "Le compte n'a pas pu être créé.");
	} else if (rc > 0 && strncmp(why, "token", 5) == 0) {
		signup_gone(req, resp);
	} else if (rc > 0 && strncmp(why, "email", 5) == 0) {
		http_problem(req, resp, 409, "account_exists", NULL,
		    "Un compte existe déjà avec cette adresse : connectez-vous "
		    "avec votre mot de passe, puis liez ce fournisseur depuis "
		    "« Mon compte ».");
	} else if (rc > 0) {
		snprintf(field, sizeof(field), "%.*s",
		    f != NULL ? (int)(f - why) : 0, why);
		http_problem(req, resp, 422, "invalid_field",
		    field[0] ? field : NULL, "%s", f != NULL ? f + 3 : why);
	} else {
		/* Done: the cookie goes; signing in through the provider
		 * now opens the new account. */
		cookie_set_signup(resp, "", 0);
		http_response_json(resp, 201,
		    json_pack("{s:s, s:s++}", "status", "account_created",
			"sign_in", "/api/v1/oidc/", p->name, "/authorization"));
	}
	sodium_memzero(token, sizeof(token));
done:
	json_decref(body);
}
