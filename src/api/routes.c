/*
 * routes.c - every route Créneau serves, in one table.
 *
 * docs/openapi.yaml describes the same routes; a test checks the two agree.
 */
#include "api/api.h"
#include "auth/rbac.h"

const struct http_route api_routes[] = {
	{ HTTP_GET, "/healthz", api_healthz, PERM_PUBLIC },
	{ HTTP_GET, "/readyz", api_readyz, PERM_PUBLIC },
	{ HTTP_POST, "/api/v1/session", api_session_create, PERM_PUBLIC },
	{ HTTP_DELETE, "/api/v1/session", api_session_delete, PERM_SESSION },
	{ HTTP_POST, "/api/v1/session/mfa", api_session_mfa, PERM_SESSION },
	{ HTTP_POST, "/api/v1/session/recovery", api_session_recovery,
	    PERM_SESSION },
	{ HTTP_GET, "/api/v1/me", api_me, PERM_SESSION },
	{ HTTP_POST, "/api/v1/me/password", api_me_password, PERM_SESSION },
	{ HTTP_POST, "/api/v1/me/mfa/enrolment", api_me_mfa_enrolment,
	    PERM_SESSION },
	{ HTTP_POST, "/api/v1/me/mfa/confirmation", api_me_mfa_confirmation,
	    PERM_SESSION },
	{ HTTP_GET, "/api/v1/me/sessions", api_me_sessions, PERM_SELF },
	{ HTTP_DELETE, "/api/v1/me/sessions/{id}", api_me_session_delete,
	    PERM_SELF },
	{ HTTP_GET, "/api/v1/me/export", api_me_export, PERM_SELF },
	{ HTTP_POST, "/api/v1/me/erasure", api_me_erasure, PERM_SELF },
	{ HTTP_POST, "/api/v1/orgs", api_org_create, PERM_ORG_MANAGE },
	{ HTTP_GET, "/api/v1/orgs/{org}/accounts", api_org_accounts,
	    PERM_STAFF_READ },
	{ HTTP_POST, "/api/v1/orgs/{org}/accounts", api_org_account_create,
	    PERM_STAFF_MANAGE },
	{ HTTP_POST, "/api/v1/orgs/{org}/accounts/{id}/deactivation",
	    api_org_account_deactivate, PERM_STAFF_MANAGE },
	{ HTTP_DELETE, "/api/v1/orgs/{org}/accounts/{id}/sessions",
	    api_org_account_sessions_delete, PERM_SESSIONS_MANAGE },
	{ HTTP_POST, "/api/v1/orgs/{org}/accounts/{id}/grants",
	    api_org_account_grant, PERM_GRANT_MANAGE },
	{ HTTP_GET, "/api/v1/orgs/{org}/journal", api_org_journal,
	    PERM_JOURNAL_READ },
	{ HTTP_GET, "/api/v1/audit", api_audit_search, PERM_AUDIT_READ },
	{ HTTP_GET, "/api/v1/audit/verification", api_audit_verify,
	    PERM_AUDIT_READ },
	{ HTTP_GET, "/api/v1/register", api_register, PERM_REGISTER_READ },
	{ HTTP_GET, "/api/v1/breaches", api_breaches, PERM_BREACH_MANAGE },
	{ HTTP_POST, "/api/v1/breaches", api_breach_open, PERM_BREACH_MANAGE },
	{ HTTP_GET, "/api/v1/breaches/{id}", api_breach, PERM_BREACH_MANAGE },
	{ HTTP_POST, "/api/v1/breaches/{id}", api_breach_update,
	    PERM_BREACH_MANAGE },
	{ HTTP_GET, "/api/v1/breaches/{id}/cnil-notification", api_breach_cnil,
	    PERM_BREACH_MANAGE },
	{ HTTP_GET, "/api/v1/breaches/{id}/notice", api_breach_notice,
	    PERM_BREACH_MANAGE },
};

const size_t api_routes_count = sizeof(api_routes) / sizeof(api_routes[0]);
