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

/* remote_api.c: remote mode ([authority] mode = remote) */
/* Points the school's booking routes of routes (n of them, a copy of
 * api_routes) at api_remote_forward. Returns how many. */
size_t api_remote_routes_apply(struct http_route *routes, size_t n);
void api_remote_forward(struct http_request *req, struct http_response *resp);
void api_authority_link(struct http_request *req, struct http_response *resp);
void api_authority_link_start(struct http_request *req,
    struct http_response *resp);
void api_authority_link_callback(struct http_request *req,
    struct http_response *resp);
void api_authority_link_delete(struct http_request *req,
    struct http_response *resp);

/* health.c */
void api_healthz(struct http_request *req, struct http_response *resp);
void api_readyz(struct http_request *req, struct http_response *resp);

/* session_api.c: signing in and out */
struct session_tokens;
/* Sets the cookies of a new session (and of a new known device, when
 * device is not ""); on a public computer they end with the browser.
 * Returns 0 or -1. */
int api_set_session_cookies(struct http_response *resp,
    const struct session_tokens *t, int public_computer, const char *device);
void api_session_create(struct http_request *req, struct http_response *resp);
void api_session_delete(struct http_request *req, struct http_response *resp);
void api_session_mfa(struct http_request *req, struct http_response *resp);
void api_session_recovery(struct http_request *req, struct http_response *resp);
void api_password_reset(struct http_request *req, struct http_response *resp);
void api_signup(struct http_request *req, struct http_response *resp);
void api_oidc_signup_check(struct http_request *req,
    struct http_response *resp);
void api_oidc_signup(struct http_request *req, struct http_response *resp);
void api_signup_check(struct http_request *req, struct http_response *resp);
void api_signup_completion(struct http_request *req,
    struct http_response *resp);
void api_me_registry_link(struct http_request *req, struct http_response *resp);
void api_password_reset_completion(struct http_request *req,
    struct http_response *resp);
/* oidc_api.c: signing in through an OpenID provider */
void api_oidc_providers(struct http_request *req, struct http_response *resp);
void api_oidc_authorization(struct http_request *req,
    struct http_response *resp);
void api_oidc_callback(struct http_request *req, struct http_response *resp);
void api_oidc_link_confirmation(struct http_request *req,
    struct http_response *resp);
void api_session_reauthentication(struct http_request *req,
    struct http_response *resp);

/* oauth_api.c: the authorization server for partner software, the
 * consent page, the employee's authorised applications, the registered
 * clients */
void api_oauth_authorize(struct http_request *req, struct http_response *resp);
void api_oauth_token(struct http_request *req, struct http_response *resp);
void api_oauth_revoke(struct http_request *req, struct http_response *resp);
void api_oauth_introspect(struct http_request *req, struct http_response *resp);
void api_oauth_request(struct http_request *req, struct http_response *resp);
void api_oauth_request_decide(struct http_request *req,
    struct http_response *resp);
void api_me_oauth_grants(struct http_request *req, struct http_response *resp);
void api_me_oauth_grant_revoke(struct http_request *req,
    struct http_response *resp);
void api_oauth_clients(struct http_request *req, struct http_response *resp);
void api_oauth_client_create(struct http_request *req,
    struct http_response *resp);
void api_oauth_client_revoke(struct http_request *req,
    struct http_response *resp);

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

/* tenancy_api.c: client organisations' state (platform) and settings
 * (their admin) */
void api_tenants(struct http_request *req, struct http_response *resp);
void api_tenant(struct http_request *req, struct http_response *resp);
void api_tenant_deletion_certificate(struct http_request *req,
    struct http_response *resp);
void api_tenant_suspend(struct http_request *req, struct http_response *resp);
void api_tenant_reactivate(struct http_request *req,
    struct http_response *resp);
void api_tenant_terminate(struct http_request *req, struct http_response *resp);
void api_tenant_settings(struct http_request *req, struct http_response *resp);
/* tenant_export_api.c: the export of everything an organisation holds */
void api_tenant_export_request(struct http_request *req,
    struct http_response *resp);
void api_tenant_export_status(struct http_request *req,
    struct http_response *resp);
/* contacts_api.c: a tenant's customers and suppliers, their documents */
void api_contacts(struct http_request *req, struct http_response *resp);
void api_contact(struct http_request *req, struct http_response *resp);
void api_contact_create(struct http_request *req, struct http_response *resp);
void api_contact_update(struct http_request *req, struct http_response *resp);
void api_contact_delete(struct http_request *req, struct http_response *resp);
void api_contact_import(struct http_request *req, struct http_response *resp);
void api_contact_export(struct http_request *req, struct http_response *resp);
void api_contact_doc_add(struct http_request *req, struct http_response *resp);
void api_contact_doc(struct http_request *req, struct http_response *resp);
void api_contact_doc_delete(struct http_request *req,
    struct http_response *resp);
void api_tenant_export_download(struct http_request *req,
    struct http_response *resp);
void api_platform_export_request(struct http_request *req,
    struct http_response *resp);
void api_platform_export_status(struct http_request *req,
    struct http_response *resp);
void api_platform_export_download(struct http_request *req,
    struct http_response *resp);
void api_tenant_settings_save(struct http_request *req,
    struct http_response *resp);

/* dossier_api.c: a person's own dossier with an association */
void api_me_dossiers(struct http_request *req, struct http_response *resp);
void api_me_dossier_keys(struct http_request *req, struct http_response *resp);
void api_me_dossier(struct http_request *req, struct http_response *resp);
void api_me_dossier_save(struct http_request *req, struct http_response *resp);
void api_me_dossier_document_add(struct http_request *req,
    struct http_response *resp);
void api_me_dossier_document_delete(struct http_request *req,
    struct http_response *resp);
void api_me_dossier_submit(struct http_request *req,
    struct http_response *resp);

/* dossier_review_api.c: validators' keys, reading and deciding */
void api_validator_keys(struct http_request *req, struct http_response *resp);
void api_validator_key_add(struct http_request *req,
    struct http_response *resp);
void api_validator_key_private(struct http_request *req,
    struct http_response *resp);
void api_validator_key_revoke(struct http_request *req,
    struct http_response *resp);
void api_validator_key_rewrap_list(struct http_request *req,
    struct http_response *resp);
void api_validator_key_rewrap(struct http_request *req,
    struct http_response *resp);
void api_dossiers(struct http_request *req, struct http_response *resp);
void api_dossier_get(struct http_request *req, struct http_response *resp);
void api_dossier_document(struct http_request *req, struct http_response *resp);
void api_dossier_decide(struct http_request *req, struct http_response *resp);

/* pause_api.c: respite times asked by families, accepted by volunteers */
void api_pause_create(struct http_request *req, struct http_response *resp);
void api_pauses_mine(struct http_request *req, struct http_response *resp);
void api_pauses_open(struct http_request *req, struct http_response *resp);
void api_pauses_of_org(struct http_request *req, struct http_response *resp);
void api_pause_accept(struct http_request *req, struct http_response *resp);
void api_pause_cancel(struct http_request *req, struct http_response *resp);

/* register_api.c: the Art. 30 register for the DPO */
void api_register(struct http_request *req, struct http_response *resp);
void api_org_register(struct http_request *req, struct http_response *resp);
void api_processor_register(struct http_request *req,
    struct http_response *resp);

/* basket_api.c: slot search, basket and validation for schools */
void api_slots_search(struct http_request *req, struct http_response *resp);
void api_basket(struct http_request *req, struct http_response *resp);
void api_basket_add(struct http_request *req, struct http_response *resp);
void api_basket_remove(struct http_request *req, struct http_response *resp);
void api_basket_assign(struct http_request *req, struct http_response *resp);
void api_basket_validate(struct http_request *req, struct http_response *resp);

/* exam_api.c: exams, threshold status, results */
void api_exams(struct http_request *req, struct http_response *resp);
void api_exam_cancel(struct http_request *req, struct http_response *resp);
void api_exam_replace(struct http_request *req, struct http_response *resp);
void api_exam_swap(struct http_request *req, struct http_response *resp);
/* The partner surface's replacement: the exam named in the body. */
void api_partner_exam_replace(struct http_request *req,
    struct http_response *resp);
void api_exam_result(struct http_request *req, struct http_response *resp);
void api_authority_exams(struct http_request *req, struct http_response *resp);
void api_quotas(struct http_request *req, struct http_response *resp);

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

/* candidate_api.c: the candidate registry, candidates, their trainers */
void api_registry_import(struct http_request *req, struct http_response *resp);
void api_candidates(struct http_request *req, struct http_response *resp);
void api_candidate(struct http_request *req, struct http_response *resp);
void api_candidate_trainer(struct http_request *req,
    struct http_response *resp);
void api_me_exams(struct http_request *req, struct http_response *resp);
void api_trainer_exams(struct http_request *req, struct http_response *resp);
/* The convocation to an exam (convocation_api.c): PDF and iCalendar, for
 * the candidate (/me/exams/{id}/...) and the school (/exams/{id}/...). */
void api_me_exam_convocation(struct http_request *req,
    struct http_response *resp);
void api_me_exam_calendar(struct http_request *req, struct http_response *resp);
void api_exam_convocation(struct http_request *req, struct http_response *resp);
void api_trainer_exam_convocation(struct http_request *req,
    struct http_response *resp);
void api_exam_calendar(struct http_request *req, struct http_response *resp);
void api_trainers(struct http_request *req, struct http_response *resp);

/* mandate_api.c: mandates, for schools and for candidates */
void api_mandates(struct http_request *req, struct http_response *resp);
void api_mandate_create(struct http_request *req, struct http_response *resp);
void api_me_mandates(struct http_request *req, struct http_response *resp);
void api_me_mandate_choose(struct http_request *req,
    struct http_response *resp);
void api_me_mandate_revoke(struct http_request *req,
    struct http_response *resp);

/* notify_api.c: one's own notifications */
void api_notifications(struct http_request *req, struct http_response *resp);
void api_notification_read(struct http_request *req,
    struct http_response *resp);
void api_notifications_read_all(struct http_request *req,
    struct http_response *resp);

/* authority_api.c: the exam authority's centres, slots, coefficients and
 * schools' establishments, for the dispatcher */
void api_centres(struct http_request *req, struct http_response *resp);
void api_centre_create(struct http_request *req, struct http_response *resp);
void api_slots_publish(struct http_request *req, struct http_response *resp);
void api_authority_slots(struct http_request *req, struct http_response *resp);
void api_slot_withdraw(struct http_request *req, struct http_response *resp);
void api_coefficients(struct http_request *req, struct http_response *resp);
void api_coefficients_set(struct http_request *req, struct http_response *resp);
void api_schools(struct http_request *req, struct http_response *resp);
void api_school_establishments(struct http_request *req,
    struct http_response *resp);
void api_school_establishments_set(struct http_request *req,
    struct http_response *resp);

/* policy_api.c: the public privacy policy */
void api_privacy_policy(struct http_request *req, struct http_response *resp);

/* consent_api.c: one's consents, policy acknowledgement, rectification */
void api_me_consents(struct http_request *req, struct http_response *resp);
void api_me_consent_set(struct http_request *req, struct http_response *resp);
void api_me_policy_ack(struct http_request *req, struct http_response *resp);
void api_me_rectification(struct http_request *req, struct http_response *resp);

/* request_api.c: rights requests, one's own and the DPO's register */
void api_me_rights_requests(struct http_request *req,
    struct http_response *resp);
void api_me_rights_request_open(struct http_request *req,
    struct http_response *resp);
void api_rights_requests(struct http_request *req, struct http_response *resp);
void api_rights_request_open(struct http_request *req,
    struct http_response *resp);
void api_rights_request(struct http_request *req, struct http_response *resp);
void api_rights_request_registry_export(struct http_request *req,
    struct http_response *resp);
void api_rights_request_update(struct http_request *req,
    struct http_response *resp);

/* supervision_api.c: the regional supervisor's planning and slot change
 * requests; the school administrator's queue */
void api_planning(struct http_request *req, struct http_response *resp);
void api_planning_exams(struct http_request *req, struct http_response *resp);
void api_planning_slots(struct http_request *req, struct http_response *resp);
void api_slot_request_create(struct http_request *req,
    struct http_response *resp);
void api_slot_requests_mine(struct http_request *req,
    struct http_response *resp);
void api_slot_requests_queue(struct http_request *req,
    struct http_response *resp);
void api_slot_request_decide(struct http_request *req,
    struct http_response *resp);

/* purge_api.c: the retention engine's purge reports for the DPO */
void api_purge_reports(struct http_request *req, struct http_response *resp);

/* appt_notify_api.c: the agent's calendar feed, the waiting list */
void api_appt_feed_create(struct http_request *req, struct http_response *resp);
void api_appt_feed_revoke(struct http_request *req, struct http_response *resp);
void api_public_appt_feed(struct http_request *req, struct http_response *resp);
void api_me_appt_wait(struct http_request *req, struct http_response *resp);
void api_me_appt_unwait(struct http_request *req, struct http_response *resp);
void api_me_appt_waits(struct http_request *req, struct http_response *resp);
void api_public_sms_report(struct http_request *req,
    struct http_response *resp);

/* appt_people_api.c: users and relatives, appointments and free slots
 * (agents); online booking (public and the signed-in user) */
struct appt_error;
void api_appt_problem(const struct http_request *req,
    struct http_response *resp, int rc, const struct appt_error *err);
/* Checks the person's own fields of user (a JSON object: what a user
 * sets of their record) and points in at them (children written into
 * buf). Returns 0, or -1 with the 422 answered. */
struct svc_appt_user_in;
int api_appt_person_in(const struct http_request *req,
    struct http_response *resp, json_t *user, struct svc_appt_user_in *in,
    char *buf, size_t size);
void api_appt_user_create(struct http_request *req, struct http_response *resp);
void api_appt_user_get(struct http_request *req, struct http_response *resp);
void api_appt_user_update(struct http_request *req, struct http_response *resp);
void api_appt_user_search(struct http_request *req, struct http_response *resp);
void api_appt_book(struct http_request *req, struct http_response *resp);
void api_appt_list(struct http_request *req, struct http_response *resp);
void api_appt_user_file(struct http_request *req, struct http_response *resp);
void api_appt_get(struct http_request *req, struct http_response *resp);
void api_appt_status(struct http_request *req, struct http_response *resp);
void api_appt_move(struct http_request *req, struct http_response *resp);
void api_appt_free_slots(struct http_request *req, struct http_response *resp);
void api_public_appt_motifs(struct http_request *req,
    struct http_response *resp);
void api_public_appt_directory(struct http_request *req,
    struct http_response *resp);
void api_public_appt_free_slots(struct http_request *req,
    struct http_response *resp);
void api_public_appt_hold(struct http_request *req, struct http_response *resp);
void api_public_appt_sessions(struct http_request *req,
    struct http_response *resp);
void api_me_appt_confirm(struct http_request *req, struct http_response *resp);
/* Booking without an account (appt_guest_api.c). */
void api_public_appt_guest_request(struct http_request *req,
    struct http_response *resp);
void api_public_appt_guest_lookup(struct http_request *req,
    struct http_response *resp);
void api_public_appt_guest_confirm(struct http_request *req,
    struct http_response *resp);
void api_public_appt_manage_lookup(struct http_request *req,
    struct http_response *resp);
void api_public_appt_manage_cancel(struct http_request *req,
    struct http_response *resp);
void api_me_appts(struct http_request *req, struct http_response *resp);
void api_me_appt_cancel(struct http_request *req, struct http_response *resp);
void api_me_appt_move(struct http_request *req, struct http_response *resp);
void api_me_relatives(struct http_request *req, struct http_response *resp);
void api_me_relative_add(struct http_request *req, struct http_response *resp);
void api_me_relative_update(struct http_request *req,
    struct http_response *resp);

/* appt_structure_api.c: the organisation side of appointments (services,
 * places, agents, motifs, plages, absences of the caller's organisation) */
void api_appt_services(struct http_request *req, struct http_response *resp);
void api_appt_service_get(struct http_request *req, struct http_response *resp);
void api_appt_service_create(struct http_request *req,
    struct http_response *resp);
void api_appt_service_update(struct http_request *req,
    struct http_response *resp);
void api_appt_service_archive(struct http_request *req,
    struct http_response *resp);
void api_appt_places(struct http_request *req, struct http_response *resp);
void api_appt_place_get(struct http_request *req, struct http_response *resp);
void api_appt_place_create(struct http_request *req,
    struct http_response *resp);
void api_appt_place_update(struct http_request *req,
    struct http_response *resp);
void api_appt_place_archive(struct http_request *req,
    struct http_response *resp);
void api_appt_motifs(struct http_request *req, struct http_response *resp);
void api_appt_motif_get(struct http_request *req, struct http_response *resp);
void api_appt_motif_create(struct http_request *req,
    struct http_response *resp);
void api_appt_motif_update(struct http_request *req,
    struct http_response *resp);
void api_appt_motif_archive(struct http_request *req,
    struct http_response *resp);
void api_appt_plages(struct http_request *req, struct http_response *resp);
void api_appt_plage_get(struct http_request *req, struct http_response *resp);
void api_appt_plage_create(struct http_request *req,
    struct http_response *resp);
void api_appt_plage_update(struct http_request *req,
    struct http_response *resp);
void api_appt_plage_archive(struct http_request *req,
    struct http_response *resp);
void api_appt_absences(struct http_request *req, struct http_response *resp);
void api_appt_absence_get(struct http_request *req, struct http_response *resp);
void api_appt_absence_create(struct http_request *req,
    struct http_response *resp);
void api_appt_absence_update(struct http_request *req,
    struct http_response *resp);
void api_appt_absence_archive(struct http_request *req,
    struct http_response *resp);
void api_appt_agents(struct http_request *req, struct http_response *resp);
void api_appt_agent_get(struct http_request *req, struct http_response *resp);
void api_appt_agent_put(struct http_request *req, struct http_response *resp);
void api_appt_agent_archive(struct http_request *req,
    struct http_response *resp);

#endif
