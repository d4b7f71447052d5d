/*
 * me.c - the caller's own account: GET /api/v1/me, password change,
 * TOTP enrolment, own sessions.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "api/api.h"
#include "api/guard.h"
#include "app.h"
#include "auth/account.h"
#include "auth/mfa.h"
#include "auth/reauth.h"
#include "auth/totp.h"
#include "gdpr/consent.h"
#include "gdpr/policy.h"
#include "http/jsonbody.h"
#include "http/response.h"

void
api_me(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct api_caller c;
	struct account_info info;
	char version[POLICY_VERSION_MAX];
	json_t *roles, *o;
	size_t k;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	memset(&info, 0, sizeof(info));
	if (account_read(&app->auth, c.s.account_id, &info) != 0) {
		http_problem(req, resp, 404, "not_found", NULL,
		    "Compte introuvable.");
		return;
	}
	roles = json_array();
	for (k = 0; k < c.s.nroles; k++)
		json_array_append_new(roles,
		    json_pack("{s:s, s:s}", "org_id", c.s.roles[k].org_id,
			"role", c.s.roles[k].role));
	/* Name and email only once the second factor is done: nothing
	 * personal before MFA (SECURITY.md). */
	o = json_pack("{s:s, s:s, s:o, s:b, s:b, s:b, s:b}", "id", info.id,
	    "org_id", info.org_id, "roles", roles, "mfa_done", c.s.mfa_done,
	    "mfa_enrolment_required", c.s.mfa_enrol, "totp_enabled",
	    info.totp_enabled, "password_change_required",
	    c.s.password_temporary || c.s.password_expired);
	if (o != NULL && c.s.mfa_done) {
		json_object_set_new(o, "email",
		    info.email ? json_string(info.email) : json_null());
		json_object_set_new(o, "display_name",
		    info.display_name ? json_string(info.display_name)
				      : json_null());
	}
	account_info_clear(&info);
	/* A new privacy policy is announced until the person reads it. */
	if (o != NULL && app->datamap != NULL &&
	    policy_version(app->datamap, version) == 0) {
		int pending = consent_policy_pending(&app->auth, c.s.account_id,
				  version) == 1;

		json_object_set_new(o, "policy_update_pending",
		    json_boolean(pending));
		/* Never acknowledged any version: a new account, asked to
		 * accept the policy once at its first sign-in, not a change
		 * to announce. */
		json_object_set_new(o, "policy_first_acceptance",
		    json_boolean(pending &&
			consent_policy_ever(&app->auth, c.s.account_id) == 0));
	}
	/* Remote mode: the school's pages show the link to the authority. */
	if (o != NULL)
		json_object_set_new(o, "authority_mode",
		    json_string(app->remote != NULL ? "remote" : "local"));
	http_response_json(resp, 200, o);
}

/* An account with TOTP must pass it before changing its password or its
 * TOTP: a password alone never bypasses the second factor. */
static int
second_factor_first(const struct http_request *req, struct http_response *resp,
    const struct api_caller *c)
{
	if (c->s.mfa_done || c->s.mfa_enrol)
		return 0;
	http_problem(req, resp, 403, "mfa_required", NULL,
	    "Saisissez d'abord le code de votre application "
	    "d'authentification.");
	return -1;
}

/* A change of password or second factor needs the password and the
 * current code proven within the last few minutes (reauth.h), so a
 * stolen session is not enough. */
static int
fresh_proof_first(const struct http_request *req, struct http_response *resp,
    const struct api_caller *c)
{
	struct app *app = req->app;

	if (reauth_fresh(&c->s, app->cfg->auth_reauth_window_s * 1000,
		clock_now_ms(app->clock)))
		return 0;
	http_problem(req, resp, 403, "reauth_required", NULL,
	    "Confirmez d'abord votre identité : votre mot de passe et, si "
	    "vous en avez une, le code de votre application "
	    "d'authentification.");
	return -1;
}

/*
 * Answers a refused password change from why ("field : reason"): the
 * field named, the reason alone in the detail; too many wrong current
 * passwords is a 429 with Retry-After, as at sign-in.
 */
static void
password_refused(struct http_request *req, struct http_response *resp,
    const char *why)
{
	const char *sep = strstr(why, " : ");
	const char *field = "new_password", *text = why;
	long long wait = 0;
	char v[24];

	if (sep != NULL) {
		text = sep + 3;
		if (strncmp(why, "current_password", 16) == 0)
			field = "current_password";
	}
	if (strstr(text, "trop d'essais") != NULL) {
		const char *n = strstr(text, "dans ");

		if (n == NULL || sscanf(n + 5, "%lld", &wait) != 1 || wait < 1)
			wait = 1;
		snprintf(v, sizeof(v), "%lld", wait);
		http_response_header(resp, "Retry-After", v);
		http_problem(req, resp, 429, "too_many_attempts",
		    "current_password",
		    "Trop de tentatives : réessayez dans %lld seconde%s.", wait,
		    wait > 1 ? "s" : "");
		return;
	}
	http_problem(req, resp, 422, "password_refused", field, "%s",
	    text[0] ? text : "Mot de passe refusé.");
}

void
api_me_password(struct http_request *req, struct http_response *resp)
{
	static const struct json_field fields[] = {
		{ "current_password", JK_STRING, 1, 1, 1024 },
		{ "new_password", JK_STRING, 1, 1, 1024 },
	};
	struct app *app = req->app;
	struct api_caller c;
	json_t *body, *cur, *nw;
	char why[256] = "";
	int rc;

	if (api_guard(req, resp, NULL, &c) != 0 ||
	    second_factor_first(req, resp, &c) != 0)
		return;
	if ((body = http_json_body(req, resp)) == NULL)
		return;
	if (http_json_check(req, resp, body, fields, 2) != 0 ||
	    fresh_proof_first(req, resp, &c) != 0)
		goto done;
	cur = json_object_get(body, "current_password");
	nw = json_object_get(body, "new_password");
	rc = account_password_change(&app->auth, c.s.account_id,
	    json_string_value(cur), json_string_length(cur),
	    json_string_value(nw), json_string_length(nw), c.s.id_hash,
	    req->client_ip, clock_now_ms(app->clock), why, sizeof(why));
	if (rc < 0)
		http_problem(req, resp, 503, "unavailable", NULL,
		    "Le mot de passe n'a pas pu être changé.");
	else if (rc > 0)
		password_refused(req, resp, why);
	else
		http_response_json(resp, 200,
		    json_pack("{s:s}", "status", "password_changed"));
done:
	json_decref(body);
}

void
api_me_mfa_enrolment(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct api_caller c;
	char uri[TOTP_URI_MAX];
	char *svg;

	if (api_guard(req, resp, NULL, &c) != 0 ||
	    second_factor_first(req, resp, &c) != 0 ||
	    fresh_proof_first(req, resp, &c) != 0)
		return;
	if (mfa_enrol_start(&app->auth, c.s.account_id,
		clock_now_ms(app->clock), uri) != 0) {
		http_problem(req, resp, 503, "unavailable", NULL,
		    "L'enrôlement n'a pas pu commencer.");
		return;
	}
	svg = totp_qr_svg(uri);
	http_response_json(resp, 200,
	    json_pack("{s:s, s:s?}", "otpauth_uri", uri, "qr_svg", svg));
	totp_qr_svg_free(svg);
	sodium_memzero(uri, sizeof(uri));
}

void
api_me_mfa_confirmation(struct http_request *req, struct http_response *resp)
{
	static const struct json_field fields[] = {
		{ "code", JK_STRING, 1, 6, 6 },
	};
	struct app *app = req->app;
	struct api_caller c;
	char codes[RECOVERY_COUNT][RECOVERY_LEN];
	json_t *body, *list;
	int rc, i;

	if (api_guard(req, resp, NULL, &c) != 0 ||
	    second_factor_first(req, resp, &c) != 0)
		return;
	if ((body = http_json_body(req, resp)) == NULL)
		return;
	if (http_json_check(req, resp, body, fields, 1) != 0 ||
	    fresh_proof_first(req, resp, &c) != 0)
		goto done;
	rc = mfa_enrol_confirm(&app->auth, c.s.account_id, c.s.id_hash,
	    json_string_value(json_object_get(body, "code")),
	    clock_now_ms(app->clock), codes);
	if (rc < 0) {
		http_problem(req, resp, 503, "unavailable", NULL,
		    "L'enrôlement n'a pas pu être confirmé.");
	} else if (rc > 0) {
		http_problem(req, resp, 422, "invalid_code", "code",
		    "Le code saisi est incorrect, ou aucun enrôlement n'est "
		    "en cours.");
	} else {
		list = json_array();
		for (i = 0; i < RECOVERY_COUNT; i++)
			json_array_append_new(list, json_string(codes[i]));
		sodium_memzero(codes, sizeof(codes));
		http_response_json(resp, 200,
		    json_pack("{s:o}", "recovery_codes", list));
	}
done:
	json_decref(body);
}

static int
add_session(void *arg, const struct session_view *v)
{
	json_t *list = arg;

	return json_array_append_new(list,
	    json_pack("{s:s, s:I, s:I, s:I, s:b, s:b, s:s?}", "id", v->handle,
		"created_at", (json_int_t)v->created_at, "last_seen_at",
		(json_int_t)v->last_seen_at, "expires_at",
		(json_int_t)v->expires_at, "public_computer",
		v->public_computer, "current", v->current, "user_agent",
		v->user_agent));
}

void
api_me_sessions(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct api_caller c;
	json_t *list;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	list = json_array();
	if (session_list(&app->auth, c.s.account_id, c.s.id_hash, add_session,
		list) != 0) {
		json_decref(list);
		http_problem(req, resp, 503, "unavailable", NULL,
		    "La liste des sessions est indisponible.");
		return;
	}
	http_response_json(resp, 200, json_pack("{s:o}", "sessions", list));
}

void
api_me_session_delete(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct api_caller c;
	int rc;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	rc = session_end_handle(&app->auth, c.s.account_id,
	    http_request_param(req, "id"));
	if (rc < 0)
		http_problem(req, resp, 503, "unavailable", NULL,
		    "La session n'a pas pu être fermée.");
	else if (rc > 0)
		http_problem(req, resp, 404, "not_found", NULL,
		    "Aucune de vos sessions ne porte cet identifiant.");
	else
		http_response_json(resp, 200,
		    json_pack("{s:s}", "status", "session_ended"));
}
