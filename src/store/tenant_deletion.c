/* tenant_deletion.c (store) - SQL for the deletion of a terminated
 * client organisation and its certificate. */
#include "store/tenant_deletion.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/driver.h"

#define SCHOOLS "(SELECT id FROM schools WHERE org_id = $1)"
#define APPTS "(SELECT id FROM appt_appointments WHERE org_id = $1)"
#define PLAGES "(SELECT id FROM appt_plages WHERE org_id = $1)"
/* Its accounts, but those holding a role in another organisation: that
 * person is known elsewhere and keeps account and key. */
#define ACCOUNTS                                                               \
	"(SELECT id FROM accounts WHERE org_id = $1 AND id NOT IN"             \
	" (SELECT account_id FROM account_roles WHERE org_id <> $1))"

/*
 * Children before the rows they reference (the foreign keys hold at
 * every step). The organisations row stays as a tombstone: the audit
 * trail, the tenants row (state "deleted") and the certificate name it.
 * The audit trail stays too: its entries carry ids and sealed details
 * under system:audit, no personal data in clear. Candidates go by id
 * after their mandates (store_deletion_key_owners chose them).
 */
const struct store_deletion_step store_deletion_steps[] = {
	{ "appt_manage_links", "appt_manage_links", "org_id = $1" },
	{ "appt_guest_requests", "appt_guest_requests", "org_id = $1" },
	{ "appt_reminders", "appt_reminders", "appointment_id IN " APPTS },
	{ "appt_participants", "appt_participants",
	    "appointment_id IN " APPTS },
	{ "appt_appointment_agents", "appt_appointment_agents",
	    "appointment_id IN " APPTS },
	{ "appt_holds", "appt_holds", "org_id = $1" },
	{ "appt_waitlist", "appt_waitlist", "org_id = $1" },
	{ "appointments", "appt_appointments", "org_id = $1" },
	{ "appt_feed_tokens", "appt_feed_tokens", "org_id = $1" },
	{ "appt_plage_exceptions", "appt_plage_exceptions",
	    "plage_id IN " PLAGES },
	{ "appt_plage_motifs", "appt_plage_motifs", "plage_id IN " PLAGES },
	{ "appt_plages", "appt_plages", "org_id = $1" },
	{ "appt_absences", "appt_absences", "org_id = $1" },
	{ "appt_agent_services", "appt_agent_services",
	    "service_id IN (SELECT id FROM appt_services WHERE org_id = $1)" },
	{ "appt_agents", "appt_agents", "org_id = $1" },
	{ "appt_motifs", "appt_motifs", "org_id = $1" },
	{ "appt_places", "appt_places", "org_id = $1" },
	{ "appt_services", "appt_services", "org_id = $1" },
	{ "appt_relatives", "appt_users",
	    "org_id = $1 AND responsible_id IS NOT NULL" },
	{ "appt_users", "appt_users", "org_id = $1" },
	{ "basket_items", "basket_items",
	    "basket_id IN (SELECT id FROM baskets WHERE school_id IN " SCHOOLS
	    ")" },
	{ "baskets", "baskets", "school_id IN " SCHOOLS },
	{ "quota_notices", "quota_notices", "school_id IN " SCHOOLS },
	{ "trainer_etp", "trainer_etp", "school_id IN " SCHOOLS },
	{ "candidate_trainers", "candidate_trainers", "school_id IN " SCHOOLS },
	{ "bookings", "exams", "school_id IN " SCHOOLS },
	{ "mandates", "mandates", "school_id IN " SCHOOLS },
	{ "school_departments", "school_departments", "school_id IN " SCHOOLS },
	{ "schools", "schools", "org_id = $1" },
	{ "dossier_pauses", "dossier_pauses", "org_id = $1" },
	{ "dossier_documents", "dossier_documents",
	    "dossier_id IN (SELECT id FROM dossiers WHERE org_id = $1)" },
	{ "dossiers", "dossiers", "org_id = $1" },
	{ "validator_keys", "validator_keys", "org_id = $1" },
	{ "slot_requests", "slot_requests", "org_id = $1" },
	{ "rights_requests", "rights_requests", "org_id = $1" },
	{ "breaches", "breaches", "org_id = $1" },
	{ "notifications", "notifications", "org_id = $1" },
	{ "authority_copies", "authority_copies", "org_id = $1" },
	{ "authority_links", "authority_links", "org_id = $1" },
	{ "authority_link_requests", "authority_link_requests", "org_id = $1" },
	{ "oauth_codes", "oauth_codes", "org_id = $1" },
	{ "oauth_grants", "oauth_grants", "org_id = $1" },
	{ "login_journal", "login_journal", "org_id = $1" },
	{ "exports", "tenant_exports", "org_id = $1" },
	{ "tenant_contact_documents", "tenant_contact_documents",
	    "org_id = $1" },
	{ "tenant_contacts", "tenant_contacts", "org_id = $1" },
	{ "sessions", "sessions", "account_id IN " ACCOUNTS },
	{ "recovery_codes", "recovery_codes", "account_id IN " ACCOUNTS },
	{ "known_devices", "known_devices", "account_id IN " ACCOUNTS },
	{ "consents", "consents", "account_id IN " ACCOUNTS },
	{ "policy_acks", "policy_acks", "account_id IN " ACCOUNTS },
	{ "password_resets", "password_resets", "account_id IN " ACCOUNTS },
	{ "oidc_flows", "oidc_flows", "account_id IN " ACCOUNTS },
	{ "oidc_links", "oidc_links", "account_id IN " ACCOUNTS },
	{ "account_authority_copies", "authority_copies",
	    "account_id IN " ACCOUNTS },
	{ "account_authority_links", "authority_links",
	    "account_id IN " ACCOUNTS },
	{ "account_authority_link_requests", "authority_link_requests",
	    "account_id IN " ACCOUNTS },
	{ "account_oauth_codes", "oauth_codes", "account_id IN " ACCOUNTS },
	{ "account_oauth_grants", "oauth_grants", "account_id IN " ACCOUNTS },
	{ "account_partner_replays", "partner_replays",
	    "account_id IN " ACCOUNTS },
	{ "account_validator_keys", "validator_keys",
	    "account_id IN " ACCOUNTS },
	{ "account_grants", "grants", "account_id IN " ACCOUNTS },
	{ "account_roles_held", "account_roles", "account_id IN " ACCOUNTS },
	{ "account_roles", "account_roles", "org_id = $1" },
	{ "grants", "grants", "org_id = $1" },
	{ "accounts", "accounts",
	    "org_id = $1 AND id NOT IN (SELECT account_id FROM account_roles"
	    " WHERE org_id <> $1)" },
};
const size_t store_deletion_steps_count =
    sizeof(store_deletion_steps) / sizeof(store_deletion_steps[0]);

long
store_deletion_step_run(struct store *st, struct store_conn *c,
    const struct store_deletion_step *s, const char *org_id)
{
	struct store_val p[1];
	char sql[640];
	int n;

	n = snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE %s RETURNING 1",
	    s->table, s->where);
	if (n < 0 || (size_t)n >= sizeof(sql))
		return -1;
	p[0] = SV_T(org_id);
	return store_exec_count(st, c, sql, p, 1);
}

struct owners_arg {
	const struct store_driver *d;
	const char *prefix;
	int (*fn)(void *arg, const char *owner);
	void *arg;
	int stopped;
};

static int
one_owner(void *arg, const struct store_row *r)
{
	struct owners_arg *x = arg;
	char id[STORE_ID_MAX], owner[STORE_ID_MAX + 32];

	if (store_row_copy_text(id, sizeof(id), x->d, r, 0) != 0)
		return 1;
	snprintf(owner, sizeof(owner), "%s%s", x->prefix, id);
	if (x->fn(x->arg, owner) != 0) {
		x->stopped = 1;
		return 1;
	}
	return 0;
}

/* Candidates whose every mandate, booking, trainer link and basket line
 * is with this organisation's schools. */
#define ONLY_HERE                                                                  \
	"SELECT CAST(id AS TEXT) FROM candidates WHERE id IN"                      \
	" (SELECT candidate_id FROM mandates WHERE school_id IN " SCHOOLS          \
	") AND id NOT IN (SELECT candidate_id FROM mandates WHERE"                 \
	" school_id NOT IN " SCHOOLS ") AND id NOT IN (SELECT candidate_id"        \
	" FROM exams WHERE candidate_id IS NOT NULL AND school_id NOT IN " SCHOOLS \
	") AND id NOT IN (SELECT candidate_id FROM"                                \
	" candidate_trainers WHERE school_id NOT IN " SCHOOLS ")"                  \
	" AND id NOT IN (SELECT candidate_id FROM basket_items WHERE"              \
	" candidate_id IS NOT NULL AND basket_id NOT IN (SELECT id FROM"           \
	" baskets WHERE school_id IN " SCHOOLS ")) ORDER BY 1"

int
store_deletion_key_owners(struct store *st, struct store_conn *c,
    const char *org_id, int (*fn)(void *arg, const char *owner), void *arg)
{
	static const struct {
		const char *prefix, *sql;
	} q[] = {
		{ "subject:", "SELECT id FROM " ACCOUNTS " AS a ORDER BY 1" },
		{ "subject:candidate:", ONLY_HERE },
		{ "subject:appt_user:",
		    "SELECT CAST(id AS TEXT) FROM appt_users WHERE org_id = $1"
		    " ORDER BY 1" },
	};
	struct owners_arg x = { store_drv(st), NULL, fn, arg, 0 };
	struct store_val p[1];
	size_t i;

	p[0] = SV_T(org_id);
	for (i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
		x.prefix = q[i].prefix;
		if (x.d->exec(c, q[i].sql, p, 1, one_owner, &x) != 0 ||
		    x.stopped)
			return -1;
	}
	return 0;
}

int
store_deletion_tenant_mark(struct store *st, struct store_conn *c,
    const char *org_id, int64_t now)
{
	struct store_val p[2];

	p[0] = SV_T(org_id);
	p[1] = SV_I(now);
	return store_exec_changed(st, c,
		   "INSERT INTO tenants (org_id, state, state_at, updated_at)"
		   " VALUES ($1, 'deleted', $2, $2) ON CONFLICT (org_id) DO"
		   " UPDATE SET state = 'deleted', state_at = $2,"
		   " reason = NULL, contact = NULL, dpo_contact = NULL,"
		   " mail_sender = NULL, mail_signature = NULL, updated_at = $2"
		   " RETURNING 1",
		   p, 2) == 0
	    ? 0
	    : -1;
}

int
store_deletion_certificate_put(struct store *st, struct store_conn *c,
    const char *org_id, int64_t deleted_at, const char *certificate)
{
	struct store_val p[3];

	p[0] = SV_T(org_id);
	p[1] = SV_I(deleted_at);
	p[2] = SV_T(certificate);
	return store_exec_changed(st, c,
		   "INSERT INTO tenant_deletions (org_id, deleted_at,"
		   " certificate) VALUES ($1, $2, $3) RETURNING 1",
		   p, 3) == 0
	    ? 0
	    : -1;
}

struct cert_arg {
	const struct store_driver *d;
	char *text;
	int64_t at;
	int found;
};

static int
cert_row(void *arg, const struct store_row *r)
{
	struct cert_arg *x = arg;
	const char *t = x->d->row_text(r, 1);

	x->found = 1;
	x->at = x->d->row_int(r, 0);
	x->text = strdup(t != NULL ? t : "");
	return 0;
}

int
store_deletion_certificate_get(struct store *st, struct store_conn *c,
    const char *org_id, char **out, int64_t *deleted_at)
{
	struct cert_arg x = { store_drv(st), NULL, 0, 0 };
	struct store_val p[1];

	p[0] = SV_T(org_id);
	if (x.d->exec(c,
		"SELECT deleted_at, certificate FROM tenant_deletions"
		" WHERE org_id = $1",
		p, 1, cert_row, &x) != 0) {
		free(x.text);
		return -1;
	}
	if (!x.found)
		return 1;
	if (x.text == NULL)
		return -1;
	*out = x.text;
	if (deleted_at != NULL)
		*deleted_at = x.at;
	return 0;
}

int
store_deletion_candidate_delete(struct store *st, struct store_conn *c,
    const char *id)
{
	struct store_val p[1];

	p[0] = SV_T(id);
	return store_exec_count(st, c,
		   "DELETE FROM candidates WHERE CAST(id AS TEXT) = $1"
		   " RETURNING 1",
		   p, 1) < 0
	    ? -1
	    : 0;
}
