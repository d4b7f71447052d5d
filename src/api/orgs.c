/*
 * orgs.c - organisations and their people, for the organisation's admin
 * (and the platform admin): accounts, deactivation, sessions, temporary
 * grants, the connection journal.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "api/api.h"
#include "api/guard.h"
#include "app.h"
#include "audit/audit.h"
#include "auth/account.h"
#include "auth/directory.h"
#include "auth/grant.h"
#include "auth/journal.h"
#include "core/clock.h"
#include "core/num.h"
#include "http/jsonbody.h"
#include "http/response.h"

void
api_org_create(struct http_request *req, struct http_response *resp)
{
	static const struct json_field fields[] = {
		{ "name", JK_STRING, 1, 1, 200 },
		{ "kind", JK_STRING, 1, 1, 32 },
	};
	struct app *app = req->app;
	struct api_caller c;
	char id[AUTH_ID_HEX], why[256] = "";
	json_t *body;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	if ((body = http_json_body(req, resp)) == NULL)
		return;
	if (http_json_check(req, resp, body, fields, 2) != 0)
		goto done;
	if (org_create(&app->auth, c.s.account_id,
		json_string_value(json_object_get(body, "name")),
		json_string_value(json_object_get(body, "kind")),
		clock_now_ms(app->clock), id, why, sizeof(why)) != 0)
		http_problem(req, resp, 422, "invalid_organisation",
		    strstr(why, "kind") ? "kind" : "name", "%s",
		    why[0] ? why : "Organisation refusée.");
	else
		http_response_json(resp, 201, json_pack("{s:s}", "id", id));
done:
	json_decref(body);
}

/* The organisation named in the path, as a target. */
static struct rbac_target
org_target(const struct http_request *req)
{
	struct rbac_target t;

	memset(&t, 0, sizeof(t));
	t.org_id = http_request_param(req, "org");
	return t;
}

static int
add_account(void *arg, const struct account_info *info,
    const struct store_role *roles, size_t nroles)
{
	json_t *list = arg, *r = json_array();
	char last[32];
	size_t i;

	for (i = 0; i < nroles; i++)
		json_array_append_new(r, json_string(roles[i].role));
	/* The last sign-in, absent when the person never signed in. */
	if (info->last_login_at <= 0 ||
	    clock_format_utc(info->last_login_at, last, sizeof(last)) != 0)
		last[0] = '\0';
	return json_array_append_new(list,
	    json_pack("{s:s, s:s?, s:s?, s:o, s:b, s:b, s:b, s:s?}", "id",
		info->id, "email", info->email, "display_name",
		info->display_name, "roles", r, "disabled", info->disabled,
		"totp_enabled", info->totp_enabled, "password_temporary",
		info->password_temporary, "last_login_at",
		last[0] ? last : NULL));
}

void
api_org_accounts(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct rbac_target t = org_target(req);
	struct api_caller c;
	json_t *list;

	if (api_guard(req, resp, &t, &c) != 0)
		return;
	list = json_array();
	if (directory_list(&app->auth, t.org_id, add_account, list) != 0) {
		json_decref(list);
		http_problem(req, resp, 503, "unavailable", NULL,
		    "La liste des comptes est indisponible.");
		return;
	}
	http_response_json(resp, 200, json_pack("{s:o}", "accounts", list));
}

void
api_org_account_create(struct http_request *req, struct http_response *resp)
{
	static const struct json_field fields[] = {
		{ "email", JK_STRING, 1, 3, 254 },
		{ "display_name", JK_STRING, 1, 1, 200 },
		{ "roles", JK_ARRAY, 1, 1, 8 },
	};
	struct app *app = req->app;
	struct rbac_target t = org_target(req);
	struct api_caller c;
	struct account_new in;
	const char *roles[9];
	char id[AUTH_ID_HEX], pw[ACCOUNT_TEMP_PW_LEN], why[512] = "";
	json_t *body, *arr, *v;
	struct rbac_gift g;
	uint64_t all = 0;
	enum role r;
	size_t i;

	if (api_guard(req, resp, &t, &c) != 0)
		return;
	if ((body = http_json_body(req, resp)) == NULL)
		return;
	if (http_json_check(req, resp, body, fields, 3) != 0)
		goto done;
	arr = json_object_get(body, "roles");
	json_array_foreach (arr, i, v) {
		if (!json_is_string(v) ||
		    rbac_role_parse(json_string_value(v), &r) != 0) {
			http_problem(req, resp, 422, "invalid_role", "roles",
			    "Le champ « roles » contient un rôle inconnu.");
			goto done;
		}
		all |= rbac_role_perms(r);
		roles[i] = json_string_value(v);
	}
	/* Who may give which role, where, and which roles stay apart: the
	 * same rule as grants (rbac_may_give). A school admin gives its
	 * staff's roles only; the DPO comes from the platform side. */
	memset(&g, 0, sizeof(g));
	g.to_perms = all;
	g.to_people = strcmp(t.org_id, AUTH_PEOPLE_ORG) == 0;
	json_array_foreach (arr, i, v) {
		enum rbac_gift_decision d;

		(void)rbac_role_parse(json_string_value(v), &g.role);
		if ((d = rbac_may_give(&c.subj, &g)) != RBAC_GIFT_OK) {
			grant_refusal_text(d, 0, json_string_value(v), why,
			    sizeof(why));
			http_problem(req, resp, 403, rbac_gift_code(d, 0),
			    "roles", "%s", why);
			goto done;
		}
	}
	roles[json_array_size(arr)] = NULL;
	memset(&in, 0, sizeof(in));
	in.org_id = t.org_id;
	in.email = json_string_value(json_object_get(body, "email"));
	in.display_name =
	    json_string_value(json_object_get(body, "display_name"));
	in.roles = roles;
	if (account_create(&app->auth, c.s.account_id, &in,
		clock_now_ms(app->clock), id, pw, why, sizeof(why)) != 0) {
		http_problem(req, resp, 422, "invalid_account",
		    strncmp(why, "roles", 5) == 0 ? "roles"
			: strstr(why, "mail")     ? "email"
						  : "display_name",
		    "%s", why[0] ? why : "Compte refusé.");
		goto done;
	}
	/* The temporary password is shown once, to the admin who hands it
	 * over; it must be changed at first sign-in. */
	http_response_json(resp, 201,
	    json_pack("{s:s, s:s}", "id", id, "temporary_password", pw));
	sodium_memzero(pw, sizeof(pw));
done:
	json_decref(body);
}

/* Reads the account of the path and checks it is in the path's
 * organisation (else 404). Returns 0 or -1 (problem written). */
static int
account_in_org(struct http_request *req, struct http_response *resp,
    const char *org)
{
	struct app *app = req->app;
	struct account_info info;
	int same;

	memset(&info, 0, sizeof(info));
	same = account_read(&app->auth, http_request_param(req, "id"), &info) ==
		0 &&
	    strcmp(info.org_id, org) == 0;
	account_info_clear(&info);
	if (same)
		return 0;
	http_problem(req, resp, 404, "not_found", NULL,
	    "Aucun compte de cet établissement ne porte cet identifiant.");
	return -1;
}

/*
 * Separation of duties on existing accounts: an admin acts (deactivation,
 * ending sessions) only on accounts whose every role it may give itself;
 * the DPO and the other roles the platform appoints are the platform's
 * to act on, so a school admin cannot shut out whoever oversees it.
 * Returns 0 or -1 (problem written).
 */
static int
may_act_on(struct http_request *req, struct http_response *resp,
    const struct api_caller *c, const char *org)
{
	struct app *app = req->app;
	struct store_role roles[ACCOUNT_ROLES_MAX];
	struct rbac_gift g;
	long n, i;

	n = account_roles(&app->auth, http_request_param(req, "id"), org, roles,
	    ACCOUNT_ROLES_MAX);
	if (n < 0) {
		http_problem(req, resp, 503, "unavailable", NULL,
		    "Les rôles du compte sont illisibles.");
		return -1;
	}
	memset(&g, 0, sizeof(g));
	g.to_people = strcmp(org, AUTH_PEOPLE_ORG) == 0;
	for (i = 0; i < n; i++) {
		if (rbac_role_parse(roles[i].role, &g.role) != 0 ||
		    rbac_may_give(&c->subj, &g) != RBAC_GIFT_NOT_GRANTABLE)
			continue;
		http_problem(req, resp, 403, "role_not_grantable", "id",
		    "Ce compte détient un rôle que vous ne pouvez pas "
		    "attribuer (%s) : seule la plateforme, qui l'a désigné, "
		    "peut le désactiver ou fermer ses sessions.",
		    strcmp(roles[i].role, "dpo") == 0
			? "délégué à la protection des données, qui contrôle "
			  "le travail des administrateurs"
			: roles[i].role);
		return -1;
	}
	return 0;
}

void
api_org_account_deactivate(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct rbac_target t = org_target(req);
	struct api_caller c;

	if (api_guard(req, resp, &t, &c) != 0 ||
	    account_in_org(req, resp, t.org_id) != 0 ||
	    may_act_on(req, resp, &c, t.org_id) != 0)
		return;
	if (account_deactivate(&app->auth, c.s.account_id,
		http_request_param(req, "id"), req->client_ip,
		clock_now_ms(app->clock)) != 0) {
		http_problem(req, resp, 503, "unavailable", NULL,
		    "Le compte n'a pas pu être désactivé.");
		return;
	}
	http_response_json(resp, 200, json_pack("{s:s}", "status", "disabled"));
}

void
api_org_account_sessions_delete(struct http_request *req,
    struct http_response *resp)
{
	struct app *app = req->app;
	struct rbac_target t = org_target(req);
	struct api_caller c;
	struct audit_entry e;
	long n;

	if (api_guard(req, resp, &t, &c) != 0 ||
	    account_in_org(req, resp, t.org_id) != 0 ||
	    may_act_on(req, resp, &c, t.org_id) != 0)
		return;
	n = session_end_all(&app->auth, http_request_param(req, "id"), NULL);
	if (n < 0) {
		http_problem(req, resp, 503, "unavailable", NULL,
		    "Les sessions n'ont pas pu être fermées.");
		return;
	}
	memset(&e, 0, sizeof(e));
	e.actor = c.s.account_id;
	e.action = "session.end_all";
	e.target_type = "account";
	e.target_ids = http_request_param(req, "id");
	e.org = t.org_id;
	e.ip = req->client_ip;
	e.request_id = req->request_id;
	e.outcome = AUDIT_SUCCESS;
	audit_record(app->store, app->keys.audit, clock_now_ms(app->clock), &e);
	http_response_json(resp, 200,
	    json_pack("{s:I}", "sessions_ended", (json_int_t)n));
}

void
api_org_account_grant(struct http_request *req, struct http_response *resp)
{
	static const struct json_field fields[] = {
		{ "permission", JK_STRING, 1, 1, 64 },
		{ "expires_at", JK_STRING, 1, 20, 20 },
	};
	struct app *app = req->app;
	struct rbac_target t = org_target(req);
	struct api_caller c;
	char id[AUTH_ID_HEX], why[512] = "";
	enum rbac_gift_decision refused = RBAC_GIFT_OK;
	int64_t until;
	json_t *body;

	if (api_guard(req, resp, &t, &c) != 0 ||
	    account_in_org(req, resp, t.org_id) != 0)
		return;
	if ((body = http_json_body(req, resp)) == NULL)
		return;
	if (http_json_check(req, resp, body, fields, 2) != 0)
		goto done;
	if (clock_parse_utc(json_string_value(
				json_object_get(body, "expires_at")),
		&until) != 0) {
		http_problem(req, resp, 422, "invalid_time", "expires_at",
		    "Le champ « expires_at » doit ressembler à "
		    "2026-01-31T18:00:00Z.");
		goto done;
	}
	/* Who may lend what to whom is decided in the grant's own
	 * transaction (rbac_may_give): only what the giver holds, never the
	 * DPO's oversight, only to a staff account with a second factor,
	 * never across a separation of duties. */
	if (grant_create(&app->auth, &c.subj, c.s.account_id, t.org_id,
		http_request_param(req, "id"),
		json_string_value(json_object_get(body, "permission")), until,
		clock_now_ms(app->clock), id, &refused, why,
		sizeof(why)) != 0) {
		if (refused != RBAC_GIFT_OK)
			http_problem(req, resp, 403, rbac_gift_code(refused, 1),
			    refused == RBAC_GIFT_REQUIRES_MFA ||
				    refused == RBAC_GIFT_SEPARATION
				? "account_id"
				: "permission",
			    "%s", why);
		else
			http_problem(req, resp, 422, "invalid_grant",
			    strstr(why, "expires_at")       ? "expires_at"
				: strstr(why, "account_id") ? NULL
							    : "permission",
			    "%s", why[0] ? why : "Permission refusée.");
		goto done;
	}
	http_response_json(resp, 201, json_pack("{s:s}", "id", id));
done:
	json_decref(body);
}

static int
add_entry(void *arg, const struct journal_entry *e)
{
	json_t *list = arg;
	char at[32];

	clock_format_utc(e->at, at, sizeof(at));
	return json_array_append_new(list,
	    json_pack("{s:I, s:s, s:s?, s:s, s:s?, s:s?}", "id",
		(json_int_t)e->id, "at", at, "account_id",
		e->account_id && e->account_id[0] ? e->account_id : NULL,
		"event", e->event, "ip", e->ip, "user_agent", e->user_agent));
}

void
api_org_journal(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct rbac_target t = org_target(req);
	struct api_caller c;
	char v[32];
	int64_t from = 0, to = INT64_MAX;
	long limit = 200;
	json_t *list;

	if (api_guard(req, resp, &t, &c) != 0)
		return;
	if ((http_request_query(req, "from", v, sizeof(v)) == 0 &&
		clock_parse_utc(v, &from) != 0) ||
	    (http_request_query(req, "to", v, sizeof(v)) == 0 &&
		clock_parse_utc(v, &to) != 0)) {
		http_problem(req, resp, 400, "invalid_time", "from",
		    "Les paramètres « from » et « to » doivent ressembler à "
		    "2026-01-31T18:00:00Z.");
		return;
	}
	if (http_request_query(req, "limit", v, sizeof(v)) == 0 &&
	    num_parse_long(v, 1, 1000, &limit) != 0) {
		http_problem(req, resp, 400, "out_of_range", "limit",
		    "Le paramètre « limit » doit valoir de 1 à 1000.");
		return;
	}
	list = json_array();
	if (journal_list(&app->auth, t.org_id, from, to, limit, add_entry,
		list) != 0) {
		json_decref(list);
		http_problem(req, resp, 503, "unavailable", NULL,
		    "Le journal des connexions est indisponible.");
		return;
	}
	http_response_json(resp, 200, json_pack("{s:o}", "entries", list));
}
