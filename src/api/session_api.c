/*
 * session_api.c - signing in and out: POST/DELETE /api/v1/session, the
 * second factor (POST /api/v1/session/mfa, /api/v1/session/recovery).
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "api/api.h"
#include "api/guard.h"
#include "app.h"
#include "auth/login.h"
#include "auth/mfa.h"
#include "http/cookie.h"
#include "http/jsonbody.h"
#include "http/response.h"

/* Cookies live as long as the session can (the server decides sooner). */
#define COOKIE_MAX_AGE_S (SESSION_ABSOLUTE_MS / 1000)

static const char *
mfa_step_name(enum auth_mfa_step m)
{
	return m == AUTH_MFA_CODE ? "code"
	    : m == AUTH_MFA_ENROL ? "enrol"
				  : "none";
}

static void
retry_after(struct http_response *resp, int64_t s)
{
	char v[24];

	snprintf(v, sizeof(v), "%lld", (long long)(s > 0 ? s : 1));
	http_response_header(resp, "Retry-After", v);
}

void
api_session_create(struct http_request *req, struct http_response *resp)
{
	static const struct json_field fields[] = {
		{ "email", JK_STRING, 1, 3, 254 },
		{ "password", JK_STRING, 1, 1, 1024 },
		{ "public_computer", JK_BOOLEAN, 0, 0, 0 },
	};
	struct app *app = req->app;
	struct api_caller c;
	struct auth_login_request lr;
	struct auth_login_result res;
	json_t *body, *pc;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	if ((body = http_json_body(req, resp)) == NULL)
		return;
	if (http_json_check(req, resp, body, fields, 3) != 0)
		goto done;
	memset(&lr, 0, sizeof(lr));
	lr.email = json_string_value(json_object_get(body, "email"));
	lr.password = json_string_value(json_object_get(body, "password"));
	lr.password_len = json_string_length(json_object_get(body, "password"));
	pc = json_object_get(body, "public_computer");
	lr.public_computer = pc != NULL && json_is_true(pc);
	lr.ip = req->client_ip;
	lr.user_agent = api_user_agent(req);
	memset(&res, 0, sizeof(res));
	if (auth_login(&app->auth, &lr, clock_now_ms(app->clock), &res) != 0) {
		http_problem(req, resp, 503, "unavailable", NULL,
		    "La connexion est momentanément impossible.");
		goto done;
	}
	switch (res.status) {
	case AUTH_LOGIN_OK:
		if (cookie_set_session(resp, res.tokens.id, COOKIE_MAX_AGE_S) !=
			0 ||
		    cookie_set_xsrf(resp, res.tokens.csrf, COOKIE_MAX_AGE_S) !=
			0) {
			http_problem(req, resp, 500, "internal_error", NULL,
			    "La session n'a pas pu être ouverte.");
			break;
		}
		http_response_json(resp, 200,
		    json_pack("{s:s, s:s, s:s, s:b}", "account_id",
			res.account_id, "org_id", res.org_id, "mfa",
			mfa_step_name(res.mfa), "password_change_required",
			res.password_temporary || res.password_expired));
		break;
	case AUTH_LOGIN_THROTTLED:
		retry_after(resp, res.retry_after_s);
		http_problem(req, resp, 429, "too_many_attempts", NULL,
		    "Trop de tentatives : réessayez dans %lld secondes.",
		    (long long)res.retry_after_s);
		break;
	default:
		/* Wrong email, wrong password and disabled account get the same
		 * answer: nothing tells which accounts exist. */
		http_problem(req, resp, 401, "invalid_credentials", NULL,
		    "Adresse e-mail ou mot de passe incorrect.");
		break;
	}
	auth_login_result_clear(&res);
done:
	json_decref(body);
}

void
api_session_delete(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct api_caller c;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	if (session_end(&app->auth, &c.s, req->client_ip, api_user_agent(req),
		clock_now_ms(app->clock)) != 0) {
		http_problem(req, resp, 503, "unavailable", NULL,
		    "La déconnexion n'a pas pu être enregistrée.");
		return;
	}
	cookie_set_session(resp, "", 0);
	cookie_set_xsrf(resp, "", 0);
	http_response_header(resp, "Clear-Site-Data",
	    "\"cache\", \"cookies\", \"storage\"");
	http_response_json(resp, 200,
	    json_pack("{s:s}", "status", "signed_out"));
}

/* The second factor, by TOTP code or recovery code. */
static void
second_factor(struct http_request *req, struct http_response *resp,
    int recovery)
{
	static const struct json_field fields[] = {
		{ "code", JK_STRING, 1, 6, 64 },
	};
	struct app *app = req->app;
	struct api_caller c;
	enum mfa_status st;
	int64_t wait = 0;
	json_t *body;
	const char *code;
	int rc;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	if ((body = http_json_body(req, resp)) == NULL)
		return;
	if (http_json_check(req, resp, body, fields, 1) != 0)
		goto done;
	code = json_string_value(json_object_get(body, "code"));
	rc = recovery
	    ? mfa_recover(&app->auth, &c.s, code, req->client_ip,
		  api_user_agent(req), clock_now_ms(app->clock), &st, &wait)
	    : mfa_verify(&app->auth, &c.s, code, req->client_ip,
		  api_user_agent(req), clock_now_ms(app->clock), &st, &wait);
	if (rc != 0) {
		http_problem(req, resp, 503, "unavailable", NULL,
		    "La vérification est momentanément impossible.");
		goto done;
	}
	if (st == MFA_THROTTLED) {
		retry_after(resp, wait);
		http_problem(req, resp, 429, "too_many_attempts", "code",
		    "Trop de tentatives : réessayez dans %lld secondes.",
		    (long long)wait);
	} else if (st != MFA_OK) {
		http_problem(req, resp, 422, "invalid_code", "code",
		    "Le code saisi est incorrect ou a déjà servi.");
	} else {
		http_response_json(resp, 200,
		    json_pack("{s:s}", "status", "mfa_done"));
	}
done:
	json_decref(body);
}

void
api_session_mfa(struct http_request *req, struct http_response *resp)
{
	second_factor(req, resp, 0);
}

void
api_session_recovery(struct http_request *req, struct http_response *resp)
{
	second_factor(req, resp, 1);
}
