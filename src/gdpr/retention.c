/*
 * retention.c - the retention engine and the registry of purgers.
 *
 * To apply a rule of the data map, a module adds a line below naming the
 * rule id, the categories it removes and its purger; nothing else here
 * changes.
 */
#include "gdpr/retention.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "audit/audit.h"
#include "auth/grant.h"
#include "gdpr/request.h"
#include "auth/journal.h"
#include "auth/device.h"
#include "auth/oauth.h"
#include "auth/oidc.h"
#include "auth/pwreset.h"
#include "auth/signup.h"
#include "service/appt_guest.h"
#include "auth/session.h"
#include "auth/throttle.h"
#include "booking/caltime.h"
#include "core/limits.h"
#include "core/log.h"
#include "gdpr/appt_privacy.h"
#include "gdpr/booking_purge.h"
#include "gdpr/inactivity.h"
#include "gdpr/tenant_retention.h"
#include "notify/outbox.h"
#include "notify/sms.h"
#include "service/appt_notify.h"
#include "service/dossier.h"
#include "service/pause.h"
#include "service/remote_link.h"
#include "service/tenant_deletion.h"
#include "store/driver.h"
#include "store/purge.h"
#include "store/ratelimit.h"

#define DAY_MS (24LL * 3600 * 1000)

/* host_data: the connection journal, entries older than the cutoff. */
static long
purge_journal(const struct retention_ctx *ctx,
    const struct datamap_retention *rule, int64_t now_ms, int64_t *cutoff_ms)
{
	(void)rule;
	(void)now_ms;
	return journal_purge_before(ctx->auth, *cutoff_ms);
}

/* host_data: throttling rows are needed a day at most (unless locked),
 * well within the rule. */
static long
purge_throttle(const struct retention_ctx *ctx,
    const struct datamap_retention *rule, int64_t now_ms, int64_t *cutoff_ms)
{
	(void)rule;
	*cutoff_ms = now_ms - AUTH_DAY_MS;
	return throttle_purge(ctx->auth, now_ms);
}

/* host_data: shared rate-limit windows (PostgreSQL) are needed for their
 * minute; the rate-windows job deletes them within minutes, this catches
 * what it left (an instance stopped, jobs off). */
static long
purge_rate_windows(const struct retention_ctx *ctx,
    const struct datamap_retention *rule, int64_t now_ms, int64_t *cutoff_ms)
{
	long n;

	(void)rule;
	*cutoff_ms = now_ms - 2 * LIMIT_RATELIMIT_WINDOW_MS;
	return store_rate_purge(ctx->auth->st, *cutoff_ms, &n) == 0 ? n : -1;
}

/* host_data: a known device ends DEVICE_LIFETIME_MS (6 months) after it
 * was set, well within the rule; its row goes then. */
static long
purge_devices(const struct retention_ctx *ctx,
    const struct datamap_retention *rule, int64_t now_ms, int64_t *cutoff_ms)
{
	(void)rule;
	*cutoff_ms = now_ms;
	return device_purge(ctx->auth, now_ms);
}

/* host_data: a reset link ends PWRESET_LINK_MS (30 minutes) after
 * it was made; its row goes then. */
static long
purge_reset_links(const struct retention_ctx *ctx,
    const struct datamap_retention *rule, int64_t now_ms, int64_t *cutoff_ms)
{
	(void)rule;
	*cutoff_ms = now_ms;
	return pwreset_purge(ctx->auth, now_ms);
}

/* host_data: a pending sign-up ends with its link, SIGNUP_LINK_MS (24
 * hours) after it was asked for; never confirmed, it goes then. */
static long
purge_signups(const struct retention_ctx *ctx,
    const struct datamap_retention *rule, int64_t now_ms, int64_t *cutoff_ms)
{
	(void)rule;
	*cutoff_ms = now_ms;
	return signup_purge(ctx->auth, now_ms);
}

/* host_data: a booking without an account waits for its link while the
 * hold lasts (30 minutes); a manage link serves until the appointment
 * starts. Each row goes then. */
static long
purge_appt_guest(const struct retention_ctx *ctx,
    const struct datamap_retention *rule, int64_t now_ms, int64_t *cutoff_ms)
{
	(void)rule;
	*cutoff_ms = now_ms;
	return appt_guest_purge(ctx->auth, now_ms);
}

/* host_data: an OIDC sign-in under way ends OIDC_FLOW_MS (10 minutes)
 * after it began. */
static long
purge_oidc_flows(const struct retention_ctx *ctx,
    const struct datamap_retention *rule, int64_t now_ms, int64_t *cutoff_ms)
{
	(void)rule;
	*cutoff_ms = now_ms;
	return oidc_purge_flows(ctx->auth, now_ms);
}

/* host_data: partner software's consent requests, codes and tokens go
 * when they end; a grant once revoked or left without a live token
 * (OAUTH_GRANT_KEEP_MS after it was made at the earliest); the answer
 * kept for a retried validation 24 h after it. */
static long
purge_partner(const struct retention_ctx *ctx,
    const struct datamap_retention *rule, int64_t now_ms, int64_t *cutoff_ms)
{
	(void)rule;
	*cutoff_ms = now_ms;
	return oauth_purge(ctx->auth, now_ms);
}

/* host_data: a link to a remote authority that was started and never
 * finished goes REMOTE_LINK_REQUEST_MS (10 minutes) after it began. */
static long
purge_authority_links(const struct retention_ctx *ctx,
    const struct datamap_retention *rule, int64_t now_ms, int64_t *cutoff_ms)
{
	(void)rule;
	*cutoff_ms = now_ms;
	return remote_link_sweep(ctx->auth, now_ms);
}

/* authority_copy: remote mode's copies of the authority's lists go 7
 * days after they were last fetched. */
static long
purge_authority_copies(const struct retention_ctx *ctx,
    const struct datamap_retention *rule, int64_t now_ms, int64_t *cutoff_ms)
{
	*cutoff_ms = retention_cutoff(&rule->duration, now_ms);
	return remote_copy_purge(ctx->auth, *cutoff_ms);
}

/* pro_account: a link to a provider nobody confirmed goes after
 * OIDC_LINK_CONFIRM_MS (10 minutes). */
static long
purge_oidc_links(const struct retention_ctx *ctx,
    const struct datamap_retention *rule, int64_t now_ms, int64_t *cutoff_ms)
{
	(void)rule;
	*cutoff_ms = now_ms - OIDC_LINK_CONFIRM_MS;
	return oidc_purge_links(ctx->auth, now_ms);
}

/* host_data: a session that has ended (absolute end or idle time) lets
 * nobody in; it goes at once with the sealed user agent it holds. */
static long
purge_sessions(const struct retention_ctx *ctx,
    const struct datamap_retention *rule, int64_t now_ms, int64_t *cutoff_ms)
{
	(void)rule;
	*cutoff_ms = now_ms;
	return session_purge_ended(ctx->auth, now_ms);
}

/* pro_account: a grant that has ended grants nothing; it goes at once. */
static long
purge_grants(const struct retention_ctx *ctx,
    const struct datamap_retention *rule, int64_t now_ms, int64_t *cutoff_ms)
{
	(void)rule;
	*cutoff_ms = now_ms;
	return grant_purge(ctx->auth, now_ms);
}

/* rights_requests: closed requests, the rule's period after receipt; an
 * open one is kept until it is answered. */
static long
purge_requests(const struct retention_ctx *ctx,
    const struct datamap_retention *rule, int64_t now_ms, int64_t *cutoff_ms)
{
	(void)rule;
	(void)now_ms;
	return request_purge(ctx->auth, *cutoff_ms);
}

/* audit_trail: the rule's period, or [audit] retention_days when set; a
 * signed checkpoint keeps the rest verifiable. */
static long
purge_audit(const struct retention_ctx *ctx,
    const struct datamap_retention *rule, int64_t now_ms, int64_t *cutoff_ms)
{
	(void)rule;
	if (ctx->keys == NULL || ctx->keys->audit == NULL ||
	    ctx->keys->audit_sk == NULL)
		return -1;
	if (ctx->audit_retention_days > 0)
		*cutoff_ms = now_ms - ctx->audit_retention_days * DAY_MS;
	return audit_purge(ctx->st, ctx->keys->audit, ctx->keys->audit_sk,
	    *cutoff_ms, now_ms);
}

/* email_outbox: emails sent or given up before the cutoff. */
static long
purge_outbox(const struct retention_ctx *ctx,
    const struct datamap_retention *rule, int64_t now_ms, int64_t *cutoff_ms)
{
	(void)rule;
	(void)now_ms;
	return outbox_purge(ctx->auth, *cutoff_ms);
}

/* sms_outbox: text messages sent or given up before the cutoff. */
static long
purge_sms(const struct retention_ctx *ctx, const struct datamap_retention *rule,
    int64_t now_ms, int64_t *cutoff_ms)
{
	(void)rule;
	(void)now_ms;
	return sms_purge(ctx->auth, *cutoff_ms);
}

/* appt_waitlist: entries expired now, or older than the rule. */
static long
purge_waitlist(const struct retention_ctx *ctx,
    const struct datamap_retention *rule, int64_t now_ms, int64_t *cutoff_ms)
{
	(void)rule;
	return appt_wait_purge(ctx->auth, now_ms, *cutoff_ms);
}

/* candidate_identity: files closed (licence obtained, or closed) before
 * the cutoff are shredded like an erasure. */
static long
purge_candidates(const struct retention_ctx *ctx,
    const struct datamap_retention *rule, int64_t now_ms, int64_t *cutoff_ms)
{
	(void)rule;
	return booking_purge_candidates(ctx->auth, *cutoff_ms, now_ms);
}

/* candidate_identity: a file left without activity for the rule's idle
 * period is closed (the rule's event); shredded after the delay. */
static long
close_idle_candidates(const struct retention_ctx *ctx,
    const struct datamap_retention *rule, int64_t now_ms, int64_t *cutoff_ms)
{
	if (!rule->idle.set)
		return 0;
	*cutoff_ms = retention_cutoff(&rule->idle, now_ms);
	return booking_close_idle_candidates(ctx->auth, *cutoff_ms, now_ms);
}

/* exam_data: results past their validity (BOOKING_RESULT_VALIDITY_MONTHS
 * after being recorded) plus the rule's delay. */
static long
purge_exams(const struct retention_ctx *ctx,
    const struct datamap_retention *rule, int64_t now_ms, int64_t *cutoff_ms)
{
	(void)now_ms;
	(void)rule;
	*cutoff_ms =
	    caltime_add_months(*cutoff_ms, -BOOKING_RESULT_VALIDITY_MONTHS);
	return booking_purge_exams(ctx->auth, *cutoff_ms);
}

/* exam_data: the inspector pseudonym of slots past the same cutoff as
 * the exams (the slot stays, without it, for the authority's counts). */
static long
anonymise_slots(const struct retention_ctx *ctx,
    const struct datamap_retention *rule, int64_t now_ms, int64_t *cutoff_ms)
{
	(void)now_ms;
	(void)rule;
	*cutoff_ms =
	    caltime_add_months(*cutoff_ms, -BOOKING_RESULT_VALIDITY_MONTHS);
	return booking_anonymise_slots(ctx->auth, *cutoff_ms);
}

/* notifications: in-app notifications older than the rule. */
static long
purge_notifications(const struct retention_ctx *ctx,
    const struct datamap_retention *rule, int64_t now_ms, int64_t *cutoff_ms)
{
	(void)rule;
	(void)now_ms;
	return booking_purge_notifications(ctx->auth, *cutoff_ms);
}

/* pro_account: staff accounts inactive past the rule: warned, then
 * deleted after the grace period. */
static long
purge_inactive_pro(const struct retention_ctx *ctx,
    const struct datamap_retention *rule, int64_t now_ms, int64_t *cutoff_ms)
{
	return inactivity_purge(ctx->auth, rule, 0, now_ms, *cutoff_ms,
	    ctx->current);
}

/* user_account: the same for candidate accounts. */
static long
purge_inactive_user(const struct retention_ctx *ctx,
    const struct datamap_retention *rule, int64_t now_ms, int64_t *cutoff_ms)
{
	return inactivity_purge(ctx->auth, rule, 1, now_ms, *cutoff_ms,
	    ctx->current);
}

/* new_user_responsible, new_user_relative: records never linked to an
 * account, past the rule's ceiling from their creation (the event,
 * account creation, ends the rule for the others). */
static long
purge_new_users(const struct retention_ctx *ctx,
    const struct datamap_retention *rule, int64_t now_ms, int64_t *cutoff_ms)
{
	if (!rule->max_duration.set)
		return 0;
	*cutoff_ms = retention_cutoff(&rule->max_duration, now_ms);
	return appt_purge_new_users(ctx->auth,
	    strcmp(rule->id, "new_user_relative") == 0, *cutoff_ms, now_ms);
}

/* location_data: addresses of users with an appointment booked, and
 * home addresses of appointments that have ended. */
static long
purge_locations(const struct retention_ctx *ctx,
    const struct datamap_retention *rule, int64_t now_ms, int64_t *cutoff_ms)
{
	(void)rule;
	*cutoff_ms = now_ms;
	return appt_purge_locations(ctx->auth, now_ms);
}

/* dossier_documents: the encrypted documents of dossiers validated or
 * refused before the cutoff (0 days by default: the decision itself
 * already deleted them; this catches a longer configured delay). */
static long
purge_dossier_documents(const struct retention_ctx *ctx,
    const struct datamap_retention *rule, int64_t now_ms, int64_t *cutoff_ms)
{
	(void)rule;
	return svc_dossier_docs_expire(ctx->auth, *cutoff_ms, now_ms);
}

/* dossier_pauses: respite times that ended before the cutoff (3 years
 * by default). */
static long
purge_dossier_pauses(const struct retention_ctx *ctx,
    const struct datamap_retention *rule, int64_t now_ms, int64_t *cutoff_ms)
{
	(void)rule;
	(void)now_ms;
	return svc_pauses_expire(ctx->auth, *cutoff_ms);
}

/* Terminated organisations whose grace period ([tenancy] grace_days, set
 * as each one's delete_after when it was terminated) has passed: keys
 * destroyed, rows deleted, certificate signed. The horizon is each
 * organisation's own date, so the report shows now. */
static long
purge_terminated_tenants(const struct retention_ctx *ctx,
    const struct datamap_retention *rule, int64_t now_ms, int64_t *cutoff_ms)
{
	long rows = 0, keys = 0, n;

	(void)rule;
	*cutoff_ms = now_ms;
	if (ctx->keys == NULL || ctx->keys->audit_sk == NULL)
		return -1;
	n = tenant_deletion_due_all(ctx->auth, ctx->keys->audit_sk,
	    ctx->keys->audit_pk, now_ms, &rows, &keys);
	if (n > 0)
		log_info("retention: %ld terminated organisation(s) deleted,"
			 " %ld keys destroyed",
		    n, keys);
	return n < 0 ? -1 : rows;
}

const struct retention_purger retention_purgers[] = {
	{ "host_data", { "connection_data", NULL }, "connection journal",
	    purge_journal },
	{ "host_data", { "connection_data", NULL },
	    "connection journal, organisations' shorter periods",
	    tenant_retention_journal },
	{ "host_data", { "throttle_key", NULL }, "login throttling",
	    purge_throttle },
	{ "host_data", { "known_device", NULL }, "known devices",
	    purge_devices },
	{ "host_data", { "rate_key", NULL }, "API rate limits",
	    purge_rate_windows },
	{ "host_data", { "reset_link", NULL }, "password reset links",
	    purge_reset_links },
	{ "host_data", { "signup_link", NULL }, "unconfirmed sign-ups",
	    purge_signups },
	{ "host_data", { "appt_guest_link", NULL },
	    "appointment links without an account", purge_appt_guest },
	{ "host_data", { "oidc_flow", NULL }, "OIDC sign-ins under way",
	    purge_oidc_flows },
	{ "host_data", { "partner_grant", NULL },
	    "partner software authorisations", purge_partner },
	{ "authority_copy", { "authority_copy", NULL },
	    "copies of the remote authority's lists", purge_authority_copies },
	{ "host_data", { "authority_link", NULL },
	    "remote authority links never finished", purge_authority_links },
	{ "pro_account", { "oidc_link", NULL }, "unconfirmed OIDC links",
	    purge_oidc_links },
	{ "host_data", { "connection_data", "oidc_token", NULL },
	    "ended sessions", purge_sessions },
	{ "pro_account", { "account_ref", NULL }, "ended grants",
	    purge_grants },
	{ "pro_account", { "account_ref", "identity", "contact", NULL },
	    "inactive accounts", purge_inactive_pro },
	{ "audit_trail",
	    { "audit_reference", "audit_details", "connection_data", NULL },
	    "audit trail", purge_audit },
	{ "email_outbox", { "account_ref", "notification_content", NULL },
	    "sent notification emails", purge_outbox },
	{ "email_outbox", { "account_ref", "notification_content", NULL },
	    "sent notification emails, organisations' shorter periods",
	    tenant_retention_outbox },
	{ "rights_requests", { "rights_request", NULL }, "rights requests",
	    purge_requests },
	/* Booking data (gdpr/booking_purge.c, gdpr/inactivity.c). */
	{ "candidate_identity", { "candidate_ref", NULL },
	    "candidate files closed for lack of activity",
	    close_idle_candidates },
	{ "candidate_identity",
	    { "candidate_identity", "candidate_contact", "candidate_ref",
		NULL },
	    "closed candidate files", purge_candidates },
	{ "exam_data", { "exam_data", NULL }, "exams past their validity",
	    purge_exams },
	{ "exam_data", { "inspector_ref", NULL }, "inspectors of past slots",
	    anonymise_slots },
	{ "notifications", { "notification_ref", NULL }, "in-app notifications",
	    purge_notifications },
	{ "user_account", { "account_ref", "identity", "contact", NULL },
	    "inactive candidate accounts", purge_inactive_user },
	/* Appointments, people side (gdpr/appt_privacy.c). */
	{ "new_user_responsible",
	    { "appt_user_ref", "appt_user_identity", "appt_user_contact",
		"appt_user_notes", "location_data", NULL },
	    "new users' records without an account", purge_new_users },
	{ "new_user_relative",
	    { "appt_user_ref", "appt_user_identity", "appt_user_notes", NULL },
	    "relatives' records without an account", purge_new_users },
	{ "location_data", { "location_data", NULL },
	    "addresses once an appointment is booked", purge_locations },
	/* What tells people about appointments (service/appt_notify.c). */
	{ "sms_outbox", { "appt_notice_content", "appt_notice_ref", NULL },
	    "sent text messages", purge_sms },
	{ "appt_waitlist", { "appt_waiting", NULL },
	    "expired waiting-list entries", purge_waitlist },
	{ "dossier_documents", { "dossier_document", NULL },
	    "documents of decided dossiers", purge_dossier_documents },
	{ "dossier_pauses", { "dossier_pause", NULL },
	    "respite times long past", purge_dossier_pauses },
	{ "terminated_tenant",
	    { "tenant_contacts", "tenant_contract", "tenant_export_key", NULL },
	    "terminated organisations", purge_terminated_tenants },
};

const size_t retention_purgers_count =
    sizeof(retention_purgers) / sizeof(retention_purgers[0]);

/* A purger past the report's room would never run: refuse to build. */
_Static_assert(sizeof(retention_purgers) / sizeof(retention_purgers[0]) <=
	RETENTION_MAX_PURGERS,
    "retention_purgers outgrows RETENTION_MAX_PURGERS");

int64_t
retention_cutoff(const struct datamap_duration *d, int64_t now_ms)
{
	if (!d->set || d->value == 0)
		return now_ms;
	if (d->unit == DATAMAP_MONTHS)
		return caltime_add_months(now_ms, -d->value);
	return now_ms - (int64_t)d->value * DAY_MS;
}

const char *
retention_status_name(enum retention_status s)
{
	switch (s) {
	case RETENTION_APPLIED:
		return "applied";
	case RETENTION_PARTIAL:
		return "partly applied (some parts: module not present)";
	case RETENTION_NOT_YET:
		return "not applicable yet (module not present)";
	case RETENTION_HELD:
		return "held (legal hold)";
	case RETENTION_FAILED:
		return "failed";
	}
	return "unknown";
}

/* Adds n to the count of category, creating it. */
static void
count_category(struct retention_report *rep, const char *category, long n)
{
	size_t i;

	for (i = 0; i < rep->ncategories; i++)
		if (strcmp(rep->categories[i].category, category) == 0) {
			rep->categories[i].removed += n;
			return;
		}
	if (rep->ncategories < DATAMAP_MAX_CATEGORIES) {
		rep->categories[rep->ncategories].category = category;
		rep->categories[rep->ncategories].removed = n;
		rep->ncategories++;
	}
}

/* Runs the purgers of rule r; fills res and rep. */
static void
apply_rule(struct retention_ctx *ctx, const struct datamap_retention *r,
    int64_t now_ms, struct retention_rule_result *res,
    struct retention_report *rep)
{
	size_t i, k, have = 0, pending = 0, failed = 0;

	res->rule = r->id;
	res->cutoff_ms = retention_cutoff(&r->duration, now_ms);
	for (i = 0; i < retention_purgers_count; i++) {
		const struct retention_purger *p = &retention_purgers[i];
		struct retention_purge_result *pr;

		if (strcmp(p->rule, r->id) != 0)
			continue;
		have++;
		if (p->fn == NULL) {
			pending++;
			continue;
		}
		if (r->kind == DATAMAP_KIND_LEGAL_HOLD ||
		    rep->npurges >= RETENTION_MAX_PURGERS)
			continue;
		pr = &rep->purges[rep->npurges++];
		pr->purger = p;
		pr->cutoff_ms = res->cutoff_ms;
		ctx->current = pr;
		pr->removed = p->fn(ctx, r, now_ms, &pr->cutoff_ms);
		ctx->current = NULL;
		pr->ran = 1;
		if (pr->removed < 0) {
			log_warnx("retention: %s: %s failed", r->id, p->what);
			failed++;
			continue;
		}
		res->removed += pr->removed;
		rep->total += pr->removed;
		for (k = 0;
		     k < RETENTION_MAX_CATEGORIES && p->categories[k] != NULL;
		     k++)
			count_category(rep, p->categories[k], pr->removed);
	}
	if (r->kind == DATAMAP_KIND_LEGAL_HOLD)
		res->status = RETENTION_HELD;
	else if (failed > 0)
		res->status = RETENTION_FAILED;
	else if (have == 0 || pending == have)
		res->status = RETENTION_NOT_YET;
	else if (pending > 0)
		res->status = RETENTION_PARTIAL;
	else
		res->status = RETENTION_APPLIED;
	rep->failures += (int)failed;
}

static json_t *
time_json(int64_t ms)
{
	char at[32];

	if (clock_format_utc(ms, at, sizeof(at)) != 0)
		return json_integer((json_int_t)ms);
	return json_string(at);
}

char *
retention_report_json(const struct retention_report *rep)
{
	json_t *o = json_object(), *rules = json_array(),
	       *purges = json_array(), *cats = json_object();
	char *s = NULL;
	size_t i;

	if (o == NULL || rules == NULL || purges == NULL || cats == NULL)
		goto done;
	for (i = 0; i < rep->nrules; i++) {
		const struct retention_rule_result *r = &rep->rules[i];

		if (json_array_append_new(rules,
			json_pack("{s:s, s:s, s:I}", "rule", r->rule, "status",
			    retention_status_name(r->status), "removed",
			    (json_int_t)r->removed)) != 0)
			goto done;
	}
	for (i = 0; i < rep->npurges; i++) {
		const struct retention_purge_result *p = &rep->purges[i];
		json_t *one = json_pack("{s:s, s:s, s:o, s:I}", "rule",
		    p->purger->rule, "what", p->purger->what, "cutoff",
		    time_json(p->cutoff_ms), "removed", (json_int_t)p->removed);

		if (one != NULL && p->warned > 0)
			json_object_set_new(one, "warned",
			    json_integer((json_int_t)p->warned));
		if (one != NULL && p->skipped > 0) {
			json_object_set_new(one, "skipped",
			    json_integer((json_int_t)p->skipped));
			json_object_set_new(one, "skipped_why",
			    json_string(p->skipped_why ? p->skipped_why : ""));
		}
		if (json_array_append_new(purges, one) != 0)
			goto done;
	}
	for (i = 0; i < rep->ncategories; i++)
		if (json_object_set_new(cats, rep->categories[i].category,
			json_integer((json_int_t)rep->categories[i].removed)) !=
		    0)
			goto done;
	if (json_object_set_new(o, "started_at", time_json(rep->started_ms)) !=
		0 ||
	    json_object_set_new(o, "finished_at",
		time_json(rep->finished_ms)) != 0 ||
	    json_object_set_new(o, "simulated", json_boolean(rep->simulated)) !=
		0 ||
	    json_object_set_new(o, "total",
		json_integer((json_int_t)rep->total)) != 0 ||
	    json_object_set_new(o, "failures", json_integer(rep->failures)) !=
		0 ||
	    json_object_set(o, "categories", cats) != 0 ||
	    json_object_set(o, "purges", purges) != 0 ||
	    json_object_set(o, "rules", rules) != 0)
		goto done;
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
done:
	json_decref(cats);
	json_decref(purges);
	json_decref(rules);
	json_decref(o);
	return s;
}

struct write_arg {
	struct retention_ctx *ctx;
	struct retention_report *rep;
	const char *json;
	const char *counts; /* the audit entry's details */
};

static int
write_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct write_arg *w = arg;
	struct audit_entry e;
	char id[24];

	if (store_purge_report_add(st, c, w->rep->started_ms,
		w->rep->finished_ms, w->rep->simulated, w->json,
		&w->rep->report_id) != 0)
		return -1;
	snprintf(id, sizeof(id), "%lld", (long long)w->rep->report_id);
	memset(&e, 0, sizeof(e));
	e.action = "retention.run";
	e.target_type = "purge_report";
	e.target_ids = id;
	e.outcome = w->rep->failures == 0 ? AUDIT_SUCCESS : AUDIT_FAILURE;
	e.details = w->counts;
	return audit_append(st, c, w->ctx->keys->audit, w->rep->finished_ms, &e,
	    NULL);
}

/* The audit entry's details: totals per category and per rule. */
static char *
counts_json(const struct retention_report *rep)
{
	json_t *o =
	    json_pack("{s:I, s:b, s:i}", "total", (json_int_t)rep->total,
		"simulated", rep->simulated, "failures", rep->failures);
	json_t *cats = json_object(), *rules = json_object();
	char *s = NULL;
	size_t i;

	if (o == NULL || cats == NULL || rules == NULL)
		goto done;
	for (i = 0; i < rep->ncategories; i++)
		if (json_object_set_new(cats, rep->categories[i].category,
			json_integer((json_int_t)rep->categories[i].removed)) !=
		    0)
			goto done;
	for (i = 0; i < rep->nrules; i++)
		if (rep->rules[i].status == RETENTION_APPLIED ||
		    rep->rules[i].status == RETENTION_PARTIAL ||
		    rep->rules[i].status == RETENTION_FAILED)
			if (json_object_set_new(rules, rep->rules[i].rule,
				json_integer(
				    (json_int_t)rep->rules[i].removed)) != 0)
				goto done;
	if (json_object_set(o, "categories", cats) != 0 ||
	    json_object_set(o, "rules", rules) != 0)
		goto done;
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
done:
	json_decref(rules);
	json_decref(cats);
	json_decref(o);
	return s;
}

int
retention_run(struct retention_ctx *ctx, const struct datamap *map,
    int64_t now_ms, struct retention_report *rep)
{
	struct write_arg w;
	char *json = NULL, *counts = NULL;
	size_t i;
	int rc = -1;

	memset(rep, 0, sizeof(*rep));
	rep->started_ms = now_ms;
	rep->simulated = ctx->simulated;
	for (i = 0; i < map->nretentions && i < DATAMAP_MAX_RETENTIONS; i++)
		apply_rule(ctx, &map->retentions[i], now_ms,
		    &rep->rules[rep->nrules++], rep);
	/* A purger for a rule the map does not declare never runs: the map
	 * is the authority. */
	for (i = 0; i < retention_purgers_count; i++)
		if (datamap_retention_find(map, retention_purgers[i].rule) ==
		    NULL) {
			log_warnx("retention: rule %s is not in the data map",
			    retention_purgers[i].rule);
			rep->failures++;
		}
	rep->finished_ms = ctx->simulated || ctx->clock == NULL
	    ? now_ms
	    : clock_now_ms(ctx->clock);
	if (rep->finished_ms < now_ms)
		rep->finished_ms = now_ms;
	if (ctx->keys == NULL || ctx->keys->audit == NULL)
		goto done;
	json = retention_report_json(rep);
	counts = counts_json(rep);
	if (json == NULL || counts == NULL)
		goto done;
	w.ctx = ctx;
	w.rep = rep;
	w.json = json;
	w.counts = counts;
	if (store_tx(ctx->st, 1, write_tx, &w) != 0) {
		rep->report_id = 0;
		log_warnx("retention: cannot write the purge report");
		goto done;
	}
	rc = rep->failures == 0 ? 0 : -1;
done:
	free(counts);
	free(json);
	return rc;
}
