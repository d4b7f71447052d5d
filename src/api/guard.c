/* guard.c - session, CSRF and permission checks before any handler. */
#include "api/guard.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "api/api.h"
#include "app.h"
#include "http/cookie.h"
#include "http/response.h"
#include "auth/grant.h"
#include "auth/idcache.h"

const char *
api_user_agent(const struct http_request *req)
{
	return http_request_header(req, "User-Agent");
}

/* Writes the problem matching a refusal. */
static void
refuse(const struct http_request *req, struct http_response *resp,
    enum rbac_decision d)
{
	switch (d) {
	case RBAC_UNAUTHENTICATED:
		http_problem(req, resp, 401, "unauthenticated", NULL,
		    "Connectez-vous pour continuer.");
		break;
	case RBAC_MFA_REQUIRED:
		http_problem(req, resp, 403, "mfa_required", NULL,
		    "Saisissez d'abord le code de votre application "
		    "d'authentification.");
		break;
	case RBAC_PASSWORD_CHANGE:
		http_problem(req, resp, 403, "password_change_required", NULL,
		    "Choisissez d'abord un nouveau mot de passe.");
		break;
	case RBAC_NOT_FOUND:
		http_problem(req, resp, 404, "not_found", NULL,
		    "Aucune ressource à cette adresse.");
		break;
	default:
		http_problem(req, resp, 403, "forbidden", NULL,
		    "Votre rôle ne permet pas cette action.");
		break;
	}
}

/*
 * The school-side API's rate limits: one call more for the caller's
 * school and for the caller, unless either is at its limit for the
 * minute. Returns 0, or -1 after writing 429 rate_limited with
 * Retry-After (seconds).
 */
static int
rate_limit(const struct http_request *req, struct http_response *resp,
    const struct app *app, const struct api_caller *c, int64_t now)
{
	char school[8 + STORE_ID_MAX], employee[10 + STORE_ID_MAX];
	char secs[24];
	struct ratelimit_key k[2] = {
		{ school, app->cfg->ratelimit_school_per_minute },
		{ employee, app->cfg->ratelimit_employee_per_minute },
	};
	int64_t wait;
	long s;

	if (app->ratelimit == NULL)
		return 0;
	snprintf(school, sizeof(school), "school:%s", c->s.org_id);
	snprintf(employee, sizeof(employee), "employee:%s", c->s.account_id);
	if ((wait = ratelimit_take(app->ratelimit, k, 2, now)) == 0)
		return 0;
	s = (long)((wait + 999) / 1000);
	snprintf(secs, sizeof(secs), "%ld", s);
	http_problem(req, resp, 429, "rate_limited", NULL,
	    "Trop de demandes en une minute (au plus %ld par personne et "
	    "%ld par auto-école) : réessayez dans %ld seconde%s.",
	    app->cfg->ratelimit_employee_per_minute,
	    app->cfg->ratelimit_school_per_minute, s, s > 1 ? "s" : "");
	http_problem_add(resp, "retry_after", json_integer(s));
	http_response_header(resp, "Retry-After", secs);
	return -1;
}

/* Fills the RBAC subject from a checked session, with its active grants
 * in the session's organisation (granted: 1 when c->subj.granted already
 * holds them, from the identity check). */
static int
subject_of(struct app *app, struct api_caller *c, int64_t now, int granted)
{
	uint64_t mask = c->subj.granted;
	enum role r;
	size_t k;

	memset(&c->subj, 0, sizeof(c->subj));
	c->subj.account_id = c->s.account_id;
	c->subj.org_id = c->s.org_id;
	c->subj.mfa_done = c->s.mfa_done;
	c->subj.mfa_enrolled = c->s.totp_enabled;
	c->subj.password_temporary =
	    c->s.password_temporary || c->s.password_expired;
	for (k = 0; k < c->s.nroles; k++)
		if (strcmp(c->s.roles[k].org_id, c->s.org_id) == 0 &&
		    rbac_role_parse(c->s.roles[k].role, &r) == 0)
			c->subj.roles |= 1u << r;
	if (granted) {
		c->subj.granted = mask;
		return 0;
	}
	return grant_active_mask(&app->auth, c->s.account_id, c->s.org_id, now,
	    &c->subj.granted, NULL);
}

/* Writes a refusal of a bearer token: status, RFC 6750 error (NULL when
 * no token came) and the French detail. */
static void
bearer_refuse(const struct http_request *req, struct http_response *resp,
    int status, const char *error, const char *scope, const char *detail)
{
	char h[160];

	if (error == NULL)
		snprintf(h, sizeof(h), "Bearer realm=\"creneau\"");
	else if (scope == NULL)
		snprintf(h, sizeof(h), "Bearer realm=\"creneau\", error=\"%s\"",
		    error);
	else
		snprintf(h, sizeof(h),
		    "Bearer realm=\"creneau\", error=\"%s\", scope=\"%s\"",
		    error, scope);
	http_problem(req, resp, status, error ? error : "unauthenticated", NULL,
	    "%s", detail);
	http_response_header(resp, "WWW-Authenticate", h);
}

/* The partner surface: the bearer token stands for its employee. */
static int
partner_caller(struct http_request *req, struct http_response *resp,
    struct app *app, struct api_caller *c, int64_t now)
{
	const char *h = http_request_header(req, "Authorization");
	const char *scope;
	int rc;

	c->partner = 1;
	if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0) {
		bearer_refuse(req, resp, 401, NULL, NULL,
		    "Jeton d'accès absent : envoyez l'en-tête "
		    "« Authorization: Bearer <jeton> ».");
		return -1;
	}
	for (h += 7; *h == ' '; h++)
		;
	rc = oauth_access_check(&app->auth, h, now, &c->s, &c->token);
	if (rc < 0) {
		http_problem(req, resp, 503, "unavailable", NULL,
		    "Le service ne peut pas vérifier le jeton.");
		return -1;
	}
	if (rc != 0) {
		bearer_refuse(req, resp, 401, "invalid_token", NULL,
		    "Jeton d'accès inconnu, expiré ou révoqué : "
		    "renouvelez-le.");
		return -1;
	}
	scope = req->method == HTTP_GET || req->method == HTTP_HEAD
	    ? OAUTH_SCOPE_READ
	    : OAUTH_SCOPE_BOOK;
	if (!oauth_scope_has(c->token.scope, scope)) {
		bearer_refuse(req, resp, 403, "insufficient_scope", scope,
		    "L'autorisation donnée à ce logiciel ne couvre pas cette "
		    "action.");
		return -1;
	}
	c->has_session = 1;
	return 0;
}

int
api_guard(struct http_request *req, struct http_response *resp,
    const struct rbac_target *t, struct api_caller *c)
{
	struct app *app = req->app;
	const char *cookie = http_request_header(req, "Cookie");
	const char *xsrf;
	char token[SESSION_TOKEN_LEN];
	struct idcache_entry id;
	enum rbac_decision d;
	int64_t now = clock_now_ms(app->clock);
	int rc;

	memset(c, 0, sizeof(*c));
	c->has_session = 0;
	c->id_epoch = -1;
	if (strncmp(req->route->pattern, "/api/v2/", 8) == 0) {
		if (partner_caller(req, resp, app, c, now) != 0)
			return -1;
	} else if (cookie != NULL) {
		rc = cookie_get(cookie, strlen(cookie), COOKIE_SESSION, token,
		    sizeof(token));
		if (rc == 0) {
			rc = idcache_check(&app->auth, token, now, &id);
			if (rc < 0) {
				http_problem(req, resp, 503, "unavailable",
				    NULL,
				    "Le service ne peut pas vérifier la "
				    "session.");
				return -1;
			}
			c->has_session = rc == 0;
			if (rc == 0) {
				c->s = id.s;
				c->subj.granted = id.granted;
				c->school_id = id.school_id;
				c->id_epoch = id.epoch;
			}
			sodium_memzero(&id, sizeof(id));
		}
		sodium_memzero(token, sizeof(token));
	}
	/* CSRF: a state-changing request carries the token the page read
	 * from the XSRF-TOKEN cookie, and it must be this session's. */
	if (c->has_session && !c->partner && req->method != HTTP_GET &&
	    req->method != HTTP_HEAD) {
		xsrf = http_request_header(req, HEADER_XSRF);
		if (xsrf == NULL || session_csrf_check(&c->s, xsrf) != 0) {
			http_problem(req, resp, 403, "csrf_failed", NULL,
			    "Jeton anti-falsification absent ou invalide : "
			    "rechargez la page.");
			return -1;
		}
	}
	if (c->has_session && subject_of(app, c, now, !c->partner) != 0) {
		http_problem(req, resp, 503, "unavailable", NULL,
		    "Le service ne peut pas lire vos droits.");
		return -1;
	}
	d = rbac_decide(c->has_session ? &c->subj : NULL,
	    (enum perm)req->route->tag, t);
	if (d != RBAC_ALLOW) {
		refuse(req, resp, d);
		return -1;
	}
	/* A suspended organisation reads but writes nothing (seed 003):
	 * every change is refused here, for every route, except the steps
	 * of the session itself (second factor, password, sign-out) and
	 * the export of its data, a read that changes none of it. */
	if (c->has_session && c->s.tenant_suspended &&
	    req->method != HTTP_GET && req->method != HTTP_HEAD &&
	    req->route->tag != PERM_SESSION &&
	    req->route->handler != api_tenant_export_request) {
		http_problem(req, resp, 403, "tenant_suspended", NULL,
		    "Votre organisme est suspendu par l'administrateur de la "
		    "plateforme : vous pouvez consulter les données, mais rien "
		    "ne peut être enregistré ni modifié jusqu'à sa "
		    "réactivation.");
		return -1;
	}
	if (c->has_session && rbac_perm_is_school((enum perm)req->route->tag))
		return rate_limit(req, resp, app, c, now);
	return 0;
}

int
api_check(const struct http_request *req, struct http_response *resp,
    const struct api_caller *c, enum perm p, const struct rbac_target *t)
{
	enum rbac_decision d =
	    rbac_decide(c->has_session ? &c->subj : NULL, p, t);

	if (d == RBAC_ALLOW)
		return 0;
	refuse(req, resp, d);
	return -1;
}
