/*
 * api.h - the JSON API: the route table and its handlers.
 *
 * Handlers are thin: parse the input, authorise, call the domain, shape
 * the answer. One file per resource.
 */
#ifndef CRENEAU_API_H
#define CRENEAU_API_H

#include "http/http.h"

/* The route table served by `creneau serve`. */
extern const struct http_route api_routes[];
extern const size_t api_routes_count;

/* health.c */
void api_healthz(struct http_request *req, struct http_response *resp);
void api_readyz(struct http_request *req, struct http_response *resp);

/* session_api.c: signing in and out */
void api_session_create(struct http_request *req, struct http_response *resp);
void api_session_delete(struct http_request *req, struct http_response *resp);
void api_session_mfa(struct http_request *req, struct http_response *resp);
void api_session_recovery(struct http_request *req, struct http_response *resp);

/* me.c: the caller's own account */
void api_me(struct http_request *req, struct http_response *resp);
void api_me_password(struct http_request *req, struct http_response *resp);
void api_me_mfa_enrolment(struct http_request *req, struct http_response *resp);
void api_me_mfa_confirmation(struct http_request *req,
    struct http_response *resp);
void api_me_sessions(struct http_request *req, struct http_response *resp);
void api_me_session_delete(struct http_request *req,
    struct http_response *resp);

/* rights_api.c: access, portability and erasure of one's own data */
void api_me_export(struct http_request *req, struct http_response *resp);
void api_me_erasure(struct http_request *req, struct http_response *resp);

/* orgs.c: organisations, their accounts, grants and journal */
void api_org_create(struct http_request *req, struct http_response *resp);
void api_org_accounts(struct http_request *req, struct http_response *resp);
void api_org_account_create(struct http_request *req,
    struct http_response *resp);
void api_org_account_deactivate(struct http_request *req,
    struct http_response *resp);
void api_org_account_sessions_delete(struct http_request *req,
    struct http_response *resp);
void api_org_account_grant(struct http_request *req,
    struct http_response *resp);
void api_org_journal(struct http_request *req, struct http_response *resp);

/* register_api.c: the Art. 30 register for the DPO */
void api_register(struct http_request *req, struct http_response *resp);

/* breach_api.c: the breach register for the DPO */
void api_breaches(struct http_request *req, struct http_response *resp);
void api_breach_open(struct http_request *req, struct http_response *resp);
void api_breach(struct http_request *req, struct http_response *resp);
void api_breach_update(struct http_request *req, struct http_response *resp);
void api_breach_cnil(struct http_request *req, struct http_response *resp);
void api_breach_notice(struct http_request *req, struct http_response *resp);

/* audit_api.c: the audit trail for the DPO */
void api_audit_search(struct http_request *req, struct http_response *resp);
void api_audit_verify(struct http_request *req, struct http_response *resp);

#endif
