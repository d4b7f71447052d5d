/*
 * session_api.c - signing in and out: POST/DELETE /api/v1/session, the
 * second factor (POST /api/v1/session/mfa, /api/v1/session/recovery),
 * the proof asked again before a change of password or second factor
 * (POST /api/v1/session/reauthentication), and « Mot de passe oublié »
 * (POST /api/v1/password-reset, /api/v1/password-reset/completion).
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "api/api.h"
#include "api/guard.h"
#include "app.h"
#include "auth/device.h"
#include "auth/login.h"
#include "auth/mfa.h"
#include "auth/oidc.h"
#include "auth/reauth.h"
#include "auth/pwreset.h"
#include "auth/throttle.h"
#include "http/cookie.h"
#include "http/jsonbody.h"
#include "http/response.h"

/* Cookies live as long as the session can (the server decides sooner);
 * on a public computer they end with the browser. */
#define COOKIE_MAX_AGE_S (SESSION_ABSOLUTE_MS / 1000)
#define DEVICE_MAX_AGE_S (DEVICE_LIFETIME_MS / 1000)

/* Copies the known-device cookie sent with req into out; returns out, or
 * NULL when there is none (or it is malformed). */
static const char *
device_cookie(const struct http_request *req, char out[SESSION_TOKEN_LEN])
{
	const char *cookie = http_request_header(req, "Cookie");

	if (cookie == NULL ||
	    cookie_get(cookie, strlen(cookie), COOKIE_DEVICE, out,
		SESSION_TOKEN_LEN) != 0)
		return NULL;
	return out;
}

int
api_set_session_cookies(struct http_response *resp,
    const struct session_tokens *t, int public_computer, const char *device)
{
	long age = public_computer ? -1 : COOKIE_MAX_AGE_S;

	if (cookie_set_session(resp, t->id, age) != 0 ||
	    cookie_set_xsrf(resp, t->csrf, age) != 0)
		return -1;
	if (device[0] != '\0' &&
	    cookie_set_device(resp, device, DEVICE_MAX_AGE_S) != 0)
		return -1;
	return 0;
}

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
	char dev[SESSION_TOKEN_LEN];
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
	lr.device = device_cookie(req, dev);
	memset(&res, 0, sizeof(res));
	if (auth_login(&app->auth, &lr, clock_now_ms(app->clock), &res) != 0) {
		http_problem(req, resp, 503, "unavailable", NULL,
		    "La connexion est momentanément impossible.");
		goto done;
	}
	switch (res.status) {
	case AUTH_LOGIN_OK:
		if (api_set_session_cookies(resp, &res.tokens,
			lr.public_computer, res.device) != 0) {
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
		    "Trop de tentatives : réessayez dans %lld seconde%s.",
		    (long long)res.retry_after_s,
		    res.retry_after_s > 1 ? "s" : "");
		break;
	case AUTH_LOGIN_TENANT_CLOSED:
		/* Only after the right password: a stranger learns nothing. */
		http_problem(req, resp, 403, "tenant_terminated", NULL,
		    "Le contrat de votre organisme est résilié : plus personne "
		    "ne peut s'y connecter. Son administrateur en a été prévenu "
		    "par courriel.");
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
	sodium_memzero(dev, sizeof(dev));
	json_decref(body);
}

void
api_session_delete(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct api_caller c;
	char after[PWRESET_URL_MAX + 2], out[OIDC_AUTH_URL_MAX] = "";
	size_t n = strlen(app->cfg->public_url);

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	/* Opened through a provider that offers it: its session ends too,
	 * the browser going there next (read before the session ends). */
	while (n > 0 && app->cfg->public_url[n - 1] == '/')
		n--;
	if (n > 0 && n < PWRESET_URL_MAX &&
	    snprintf(after, sizeof(after), "%.*s/", (int)n,
		app->cfg->public_url) < (int)sizeof(after) &&
	    oidc_logout_url(&app->auth, app->cfg, &c.s, after, out) != 0)
		out[0] = '\0';
	if (session_end(&app->auth, &c.s, req->client_ip, api_user_agent(req),
		clock_now_ms(app->clock)) != 0) {
		http_problem(req, resp, 503, "unavailable", NULL,
		    "La déconnexion n'a pas pu être enregistrée.");
		return;
	}
	cookie_set_session(resp, "", 0);
	cookie_set_xsrf(resp, "", 0);
	/* The session's cookies go one by one: "cookies" would also drop
	 * the known-device cookie, which opens nothing and is what lets its
	 * holder sign in while a stranger fails on the account. */
	http_response_header(resp, "Clear-Site-Data", "\"cache\", \"storage\"");
	http_response_json(resp, 200,
	    out[0] != '\0' ? json_pack("{s:s, s:s}", "status", "signed_out",
				 "provider_logout", out)
			   : json_pack("{s:s}", "status", "signed_out"));
	sodium_memzero(out, sizeof(out));
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
	struct mfa_client cl;
	struct mfa_passed out;
	enum mfa_status st;
	int64_t wait = 0;
	json_t *body;
	const char *code;
	char dev[SESSION_TOKEN_LEN];
	int rc;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	if ((body = http_json_body(req, resp)) == NULL)
		return;
	memset(&out, 0, sizeof(out));
	if (http_json_check(req, resp, body, fields, 1) != 0)
		goto done;
	code = json_string_value(json_object_get(body, "code"));
	cl.ip = req->client_ip;
	cl.user_agent = api_user_agent(req);
	cl.device = device_cookie(req, dev);
	rc = recovery ? mfa_recover(&app->auth, &c.s, code, &cl,
			    clock_now_ms(app->clock), &st, &wait, &out)
		      : mfa_verify(&app->auth, &c.s, code, &cl,
			    clock_now_ms(app->clock), &st, &wait, &out);
	if (rc != 0) {
		http_problem(req, resp, 503, "unavailable", NULL,
		    "La vérification est momentanément impossible.");
		goto done;
	}
	if (st == MFA_THROTTLED) {
		retry_after(resp, wait);
		http_problem(req, resp, 429, "too_many_attempts", "code",
		    "Trop de tentatives : réessayez dans %lld seconde%s.",
		    (long long)wait, wait > 1 ? "s" : "");
	} else if (st != MFA_OK) {
		http_problem(req, resp, 422, "invalid_code", "code",
		    "Le code saisi est incorrect ou a déjà servi.");
	} else if (api_set_session_cookies(resp, &out.tokens,
		       out.public_computer, out.device) != 0) {
		/* The old session has ended: the person signs in again. */
		http_problem(req, resp, 500, "internal_error", NULL,
		    "La session n'a pas pu être ouverte.");
	} else {
		http_response_json(resp, 200,
		    json_pack("{s:s}", "status", "mfa_done"));
	}
done:
	sodium_memzero(&out, sizeof(out));
	sodium_memzero(dev, sizeof(dev));
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

/* The text after "field : " in a refusal from the identity domain. */
static const char *
why_text(const char *why)
{
	const char *p = strstr(why, " : ");

	return p != NULL ? p + 3 : why;
}

void
api_session_reauthentication(struct http_request *req,
    struct http_response *resp)
{
	static const struct json_field fields[] = {
		{ "password", JK_STRING, 1, 1, 1024 },
		{ "code", JK_STRING, 0, 6, 6 },
	};
	struct app *app = req->app;
	struct api_caller c;
	struct mfa_client cl;
	char dev[SESSION_TOKEN_LEN], why[256] = "";
	int64_t now = clock_now_ms(app->clock), wait = 0;
	json_t *body, *pw;
	int rc;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	if ((body = http_json_body(req, resp)) == NULL)
		return;
	if (http_json_check(req, resp, body, fields, 2) != 0)
		goto done;
	pw = json_object_get(body, "password");
	cl.ip = req->client_ip;
	cl.user_agent = api_user_agent(req);
	cl.device = device_cookie(req, dev);
	rc = reauth_prove(&app->auth, &c.s, json_string_value(pw),
	    json_string_length(pw),
	    json_string_value(json_object_get(body, "code")), &cl, now, &wait,
	    why, sizeof(why));
	if (rc < 0) {
		http_problem(req, resp, 503, "unavailable", NULL,
		    "La vérification est momentanément impossible.");
	} else if (rc > 0 && strstr(why, "trop d'essais") != NULL) {
		retry_after(resp, wait);
		http_problem(req, resp, 429, "too_many_attempts",
		    strncmp(why, "code", 4) == 0 ? "code" : "password",
		    "Trop de tentatives : réessayez plus tard.");
	} else if (rc > 0 && strncmp(why, "code", 4) == 0) {
		http_problem(req, resp, 422, "invalid_code", "code", "%s",
		    why_text(why));
	} else if (rc > 0) {
		http_problem(req, resp, 422, "password_refused", "password",
		    "Mot de passe incorrect.");
	} else {
		http_response_json(resp, 200,
		    json_pack("{s:s, s:I}", "status", "reauthenticated",
			"valid_until",
			(json_int_t)(now +
			    app->cfg->auth_reauth_window_s * 1000)));
	}
	sodium_memzero(dev, sizeof(dev));
done:
	json_decref(body);
}

/* « Mot de passe oublié »: the link, whether or not the address has an
 * account (one answer), unless too many came for it or from here. */
void
api_password_reset(struct http_request *req, struct http_response *resp)
{
	static const struct json_field fields[] = {
		{ "email", JK_STRING, 1, 3, 254 },
	};
	struct app *app = req->app;
	struct api_caller c;
	char base[PWRESET_URL_MAX];
	size_t n;
	int64_t wait;
	json_t *body;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	if ((body = http_json_body(req, resp)) == NULL)
		return;
	if (http_json_check(req, resp, body, fields, 1) != 0)
		goto done;
	n = strlen(app->cfg->public_url);
	if (n == 0 || n >= sizeof(base)) {
		http_problem(req, resp, 503, "password_reset_unavailable", NULL,
		    "La récupération du mot de passe par e-mail n'est pas "
		    "disponible sur ce service : adressez-vous à "
		    "l'administrateur de votre organisme.");
		goto done;
	}
	memcpy(base, app->cfg->public_url, n + 1);
	while (n > 0 && base[n - 1] == '/')
		base[--n] = '\0';
	wait = pwreset_request(&app->auth,
	    json_string_value(json_object_get(body, "email")), req->client_ip,
	    base, clock_now_ms(app->clock));
	if (wait < 0) {
		http_problem(req, resp, 503, "unavailable", NULL,
		    "La demande n'a pas pu être enregistrée.");
	} else if (wait > 0) {
		retry_after(resp, throttle_seconds(wait));
		http_problem(req, resp, 429, "too_many_attempts", "email",
		    "Trop de demandes : réessayez dans %lld minutes.",
		    (long long)((throttle_seconds(wait) + 59) / 60));
	} else {
		http_response_json(resp, 202,
		    json_pack("{s:s}", "status", "sent_if_known"));
	}
done:
	json_decref(body);
}

/* The new password chosen through a link. */
void
api_password_reset_completion(struct http_request *req,
    struct http_response *resp)
{
	static const struct json_field fields[] = {
		{ "token", JK_STRING, 1, 1, 64 },
		{ "new_password", JK_STRING, 1, 1, 1024 },
	};
	struct app *app = req->app;
	struct api_caller c;
	char why[PWRESET_WHY_MAX] = "";
	json_t *body, *nw;
	int rc;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	if ((body = http_json_body(req, resp)) == NULL)
		return;
	if (http_json_check(req, resp, body, fields, 2) != 0)
		goto done;
	nw = json_object_get(body, "new_password");
	rc = pwreset_complete(&app->auth,
	    json_string_value(json_object_get(body, "token")),
	    json_string_value(nw), json_string_length(nw), req->client_ip,
	    clock_now_ms(app->clock), why, sizeof(why));
	if (rc < 0)
		http_problem(req, resp, 503, "unavailable", NULL,
		    "Le mot de passe n'a pas pu être changé.");
	else if (rc > 0 && strncmp(why, "token", 5) == 0)
		http_problem(req, resp, 422, "recovery_link_invalid", "token",
		    "%s", why_text(why));
	else if (rc > 0)
		http_problem(req, resp, 422, "password_refused", "new_password",
		    "%s", why[0] ? why : "Mot de passe refusé.");
	else
		http_response_json(resp, 200,
		    json_pack("{s:s}", "status", "password_changed"));
done:
	json_decref(body);
}
