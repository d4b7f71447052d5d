/*
 * signup_api.c - « Créer un compte »: POST /api/v1/signup (the link),
 * /api/v1/signup/check (what the link's page shows),
 * /api/v1/signup/completion (the account), and « Relier mon dossier »:
 * POST /api/v1/me/registry-link.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "api/api.h"
#include "api/guard.h"
#include "app.h"
#include "auth/account.h"
#include "auth/pwreset.h"
#include "auth/signup.h"
#include "auth/throttle.h"
#include "gdpr/policy.h"
#include "http/jsonbody.h"
#include "http/response.h"
#include "service/candidate_link.h"

static void
retry_after(struct http_response *resp, int64_t wait_ms)
{
	char v[24];
	int64_t s = throttle_seconds(wait_ms);

	snprintf(v, sizeof(v), "%lld", (long long)(s > 0 ? s : 1));
	http_response_header(resp, "Retry-After", v);
}

static void
too_many(struct http_request *req, struct http_response *resp,
    const char *field, int64_t wait_ms)
{
	retry_after(resp, wait_ms);
	http_problem(req, resp, 429, "too_many_attempts", field,
	    "Trop de demandes : réessayez dans %lld minutes.",
	    (long long)((throttle_seconds(wait_ms) + 59) / 60));
}

/* The text after "field : " in why. */
static const char *
why_text(const char *why)
{
	const char *p = strstr(why, " : ");

	return p != NULL ? p + 3 : why;
}

/* The field named before " : " in why, into out. */
static const char *
why_field(const char *why, char *out, size_t size)
{
	const char *p = strstr(why, " : ");
	size_t n = p != NULL ? (size_t)(p - why) : 0;

	if (n == 0 || n >= size)
		return NULL;
	memcpy(out, why, n);
	out[n] = '\0';
	return out;
}

void
api_signup(struct http_request *req, struct http_response *resp)
{
	static const struct json_field fields[] = {
		{ "email", JK_STRING, 1, 3, SIGNUP_EMAIL_MAX },
	};
	struct app *app = req->app;
	struct api_caller c;
	char base[PWRESET_URL_MAX], why[SIGNUP_WHY_MAX];
	const char *email;
	size_t n;
	int64_t wait;
	json_t *body;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	if ((body = http_json_body(req, resp)) == NULL)
		return;
	if (http_json_check(req, resp, body, fields, 1) != 0)
		goto done;
	email = json_string_value(json_object_get(body, "email"));
	if (account_check_email(email, why, sizeof(why)) != 0) {
		http_problem(req, resp, 422, "invalid_email", "email", "%s",
		    why_text(why));
		goto done;
	}
	n = strlen(app->cfg->public_url);
	if (n == 0 || n >= sizeof(base)) {
		http_problem(req, resp, 503, "signup_unavailable", NULL,
		    "L'inscription en ligne n'est pas disponible sur ce "
		    "service.");
		goto done;
	}
	memcpy(base, app->cfg->public_url, n + 1);
	while (n > 0 && base[n - 1] == '/')
		base[--n] = '\0';
	wait = signup_request(&app->auth, email, req->client_ip, base,
	    clock_now_ms(app->clock));
	if (wait < 0)
		http_problem(req, resp, 503, "unavailable", NULL,
		    "La demande n'a pas pu être enregistrée.");
	else if (wait > 0)
		too_many(req, resp, "email", wait);
	else
		http_response_json(resp, 202,
		    json_pack("{s:s}", "status", "check_your_mailbox"));
done:
	json_decref(body);
}

static void
dead_link(struct http_request *req, struct http_response *resp)
{
	http_problem(req, resp, 422, "signup_link_invalid", "token",
	    "Ce lien n'est plus valable (déjà utilisé, expiré ou incomplet) : "
	    "recommencez l'inscription.");
}

void
api_signup_check(struct http_request *req, struct http_response *resp)
{
	static const struct json_field fields[] = {
		{ "token", JK_STRING, 1, 1, 64 },
	};
	struct app *app = req->app;
	struct api_caller c;
	char email[SIGNUP_EMAIL_MAX + 1], v[POLICY_VERSION_MAX];
	json_t *body;
	int rc;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	if ((body = http_json_body(req, resp)) == NULL)
		return;
	if (http_json_check(req, resp, body, fields, 1) != 0)
		goto done;
	rc = signup_check(&app->auth,
	    json_string_value(json_object_get(body, "token")), NULL,
	    clock_now_ms(app->clock), email, sizeof(email));
	if (rc < 0 || app->datamap == NULL ||
	    policy_version(app->datamap, v) != 0)
		http_problem(req, resp, 503, "unavailable", NULL,
		    "Le lien n'a pas pu être vérifié.");
	else if (rc > 0)
		dead_link(req, resp);
	else
		http_response_json(resp, 200,
		    json_pack("{s:s, s:s}", "email", email, "policy_version",
			v));
	sodium_memzero(email, sizeof(email));
done:
	json_decref(body);
}

void
api_signup_completion(struct http_request *req, struct http_response *resp)
{
	static const struct json_field fields[] = {
		{ "token", JK_STRING, 1, 1, 64 },
		{ "display_name", JK_STRING, 1, 1, ACCOUNT_NAME_MAX },
		{ "password", JK_STRING, 1, 1, 1024 },
		{ "policy_version", JK_STRING, 1, 1, POLICY_VERSION_MAX - 1 },
	};
	struct app *app = req->app;
	struct api_caller c;
	struct signup_in in;
	char why[SIGNUP_WHY_MAX] = "", field[32], v[POLICY_VERSION_MAX];
	char id[AUTH_ID_HEX];
	json_t *body, *pw;
	int rc;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	if ((body = http_json_body(req, resp)) == NULL)
		return;
	if (http_json_check(req, resp, body, fields, 4) != 0)
		goto done;
	if (app->datamap == NULL || policy_version(app->datamap, v) != 0) {
		http_problem(req, resp, 503, "unavailable", NULL,
		    "La politique de confidentialité est indisponible.");
		goto done;
	}
	pw = json_object_get(body, "password");
	memset(&in, 0, sizeof(in));
	in.token = json_string_value(json_object_get(body, "token"));
	in.display_name =
	    json_string_value(json_object_get(body, "display_name"));
	in.password = json_string_value(pw);
	in.password_len = json_string_length(pw);
	in.policy_version =
	    json_string_value(json_object_get(body, "policy_version"));
	in.policy_current = v;
	rc = signup_complete(&app->auth, &in, req->client_ip,
	    clock_now_ms(app->clock), id, why, sizeof(why));
	if (rc < 0)
		http_problem(req, resp, 503, "unavailable", NULL,
		    "Le compte n'a pas pu être créé.");
	else if (rc > 0 && strncmp(why, "token", 5) == 0)
		dead_link(req, resp);
	else if (rc > 0 && strncmp(why, "password", 8) == 0)
		http_problem(req, resp, 422, "password_refused", "password",
		    "%s", why_text(why));
	else if (rc > 0 && strncmp(why, "email", 5) == 0)
		http_problem(req, resp, 409, "account_exists", "email",
		    "Un compte existe déjà avec cette adresse : connectez-vous "
		    "ou choisissez « Mot de passe oublié ».");
	else if (rc > 0)
		http_problem(req, resp, 422, "invalid_field",
		    why_field(why, field, sizeof(field)), "%s", why_text(why));
	else
		http_response_json(resp, 201,
		    json_pack("{s:s}", "status", "account_created"));
done:
	json_decref(body);
}

void
api_me_registry_link(struct http_request *req, struct http_response *resp)
{
	static const struct json_field fields[] = {
		{ "neph", JK_STRING, 1, 1, 32 },
		{ "last_name", JK_STRING, 1, 1, 400 },
		{ "first_names", JK_STRING, 1, 1, 400 },
		{ "birth_date", JK_STRING, 1, 1, 16 },
	};
	struct app *app = req->app;
	struct svc s = { &app->auth, &app->rules };
	struct svc_link_claim claim;
	struct svc_actor who;
	struct api_caller c;
	const char *field = NULL;
	int64_t wait = 0;
	int linked = 0, rc;
	json_t *body;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	if (strcmp(c.s.org_id, AUTH_PEOPLE_ORG) != 0) {
		http_problem(req, resp, 403, "not_candidate", NULL,
		    "Seul un compte de candidat se relie à un dossier du "
		    "fichier des candidats.");
		return;
	}
	if ((body = http_json_body(req, resp)) == NULL)
		return;
	if (http_json_check(req, resp, body, fields, 4) != 0)
		goto done;
	claim.neph = json_string_value(json_object_get(body, "neph"));
	claim.last_name = json_string_value(json_object_get(body, "last_name"));
	claim.first_names =
	    json_string_value(json_object_get(body, "first_names"));
	claim.birth_date =
	    json_string_value(json_object_get(body, "birth_date"));
	who.account_id = c.s.account_id;
	who.org_id = c.s.org_id;
	who.ip = req->client_ip;
	who.request_id = req->request_id;
	rc = svc_candidate_link_self(&s, &who, &claim, clock_now_ms(app->clock),
	    &linked, &field, &wait);
	switch (rc) {
	case SVC_LINK_DONE:
		http_response_json(resp, 200,
		    json_pack("{s:s, s:i}", "status", "linked", "files",
			linked));
		break;
	case SVC_LINK_INVALID:
		http_problem(req, resp, 422, "invalid_field", field, "%s",
		    strcmp(field, "neph") == 0
			? "Le NEPH compte de 10 à 19 chiffres."
			: strcmp(field, "birth_date") == 0
			? "La date de naissance s'écrit AAAA-MM-JJ."
			: "Nom ou prénoms : de 1 à 100 caractères.");
		break;
	case SVC_LINK_MISMATCH:
		http_problem(req, resp, 422, "registry_mismatch", NULL,
		    "Ces informations ne correspondent à aucun dossier du "
		    "fichier des candidats. Vérifiez-les telles qu'elles "
		    "figurent sur votre attestation d'inscription (NEPH).");
		break;
	case SVC_LINK_TAKEN:
		http_problem(req, resp, 409, "registry_file_taken", NULL,
		    "Ce dossier est déjà relié à un autre compte. S'il ne "
		    "s'agit pas du vôtre, adressez-vous au délégué à la "
		    "protection des données.");
		break;
	case SVC_LINK_WAIT:
		too_many(req, resp, NULL, wait);
		break;
	default:
		http_problem(req, resp, 503, "unavailable", NULL,
		    "Le dossier n'a pas pu être relié.");
	}
done:
	json_decref(body);
}
