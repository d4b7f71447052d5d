/*
 * tenancy.h - the life of a client organisation, one transaction per
 * step: the platform admin suspends, reactivates or terminates it; its
 * own admin keeps its settings. Each step writes the tenants row, its
 * audit entry and the notifications of the organisation's admins (in
 * the application and by email) together, or nothing.
 *
 * The organisation's contacts, email branding and the reason of its
 * state are sealed under the organisation's own data key, owner
 * "tenant:<org id>" (TENANCY_KEY_PREFIX), created with its first
 * setting or change of state.
 */
#ifndef CRENEAU_SERVICE_TENANCY_H
#define CRENEAU_SERVICE_TENANCY_H

#include <stdint.h>

#include "auth/auth.h"
#include "service/service.h"
#include "tenancy/tenant.h"

#define TENANCY_KEY_PREFIX "tenant:"

struct datamap;

/* A client organisation as the API shows it: its row, the sealed texts
 * opened (malloc'ed, NULL when unset). */
struct tenancy_view {
	char org_id[STORE_ID_MAX];
	char name[STORE_ORG_NAME_MAX];
	char kind[STORE_KIND_MAX];
	enum tenant_state state;
	int64_t created_at, state_at, terminated_at, delete_after, updated_at;
	char state_by[STORE_ID_MAX];
	char display_name[TENANT_NAME_MAX + 1];
	char *reason, *contact, *dpo_contact, *mail_sender, *mail_signature;
	char retention[1024]; /* JSON object: rule -> value in its unit */
	struct tenant_policy policy;
};

/* Wipes v and frees its texts. */
void tenancy_view_clear(struct tenancy_view *v);

/* Writes "tenant:<org_id>" into out. Returns 0 or -1. */
int tenancy_key_owner(const char *org_id, char out[AUTH_OWNER_MAX]);

/* Reads organisation org_id into *out. Returns 0, 1 if there is none
 * (or it is the platform's own), or -1. */
int tenancy_get(const struct auth *a, const char *org_id,
    struct tenancy_view *out);

/* Calls fn with every client organisation, by name; v is borrowed for
 * the call. Returns 0 or -1. */
int tenancy_list(const struct auth *a,
    int (*fn)(void *arg, const struct tenancy_view *v), void *arg);

/*
 * Moves organisation org_id by action act, with reason (required for a
 * suspension and a termination, at most TENANT_REASON_MAX bytes), at now.
 * A termination sets the deletion date (now + grace_days days) and ends
 * every session of the organisation's accounts. Returns 0, 1 if there is
 * no such client organisation, 2 if refused (why filled: the state does
 * not allow it, or the reason is missing), or -1.
 */
int tenancy_transition(const struct auth *a, const struct svc_actor *who,
    const char *org_id, enum tenant_action act, const char *reason,
    long grace_days, int64_t now, struct tenant_refusal *why);

/* What the organisation's admin sets. Texts NULL or "": cleared. */
struct tenancy_settings {
	const char *display_name, *contact, *dpo_contact;
	const char *mail_sender, *mail_signature;
	const char *retention; /* JSON object text: rule -> value; NULL: {} */
	struct tenant_policy policy;
};

/*
 * Saves in's settings for org_id at now, each checked first (the floors
 * of tenant.h, the retention ranges of map). Returns 0, 1 if there is no
 * such client organisation, 2 if refused (why names the field and the
 * rule; also when the organisation is not active), or -1.
 */
int tenancy_settings_save(const struct auth *a, const struct datamap *map,
    const struct svc_actor *who, const char *org_id,
    const struct tenancy_settings *in, int64_t now, struct tenant_refusal *why);

#endif
