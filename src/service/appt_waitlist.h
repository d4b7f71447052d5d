/*
 * appt_waitlist.h - a person's own waiting-list entries, as their « Mes
 * rendez-vous » page lists them (the entries themselves are added, told
 * and purged by appt_notify.h).
 */
#ifndef CRENEAU_SERVICE_APPT_WAITLIST_H
#define CRENEAU_SERVICE_APPT_WAITLIST_H

#include <stddef.h>
#include <stdint.h>

#include "service/appt_people.h"
#include "service/service.h"
#include "store/appt_structure.h"
#include "store/identity.h"

/* One entry, for whom and for what. */
struct svc_appt_my_wait {
	int64_t id, user_id, motif_id, created_at, expires_at, notified_at;
	char org_id[STORE_ID_MAX];
	char org_name[STORE_ORG_NAME_MAX];
	char motif[APPT_NAME_MAX];
	char first_names[APPT_FIELD_MAX], last_name[APPT_FIELD_MAX];
};

typedef int (*svc_appt_my_wait_fn)(void *arg, const struct svc_appt_my_wait *w);

/*
 * Calls fn for each entry, still running at now (not expired), of the
 * records account_id holds: their own in any organisation and their
 * relatives', oldest first per person. Returns 0, fn's non-zero result,
 * or -1.
 */
int svc_appt_my_waits(const struct svc *s, const char *account_id, int64_t now,
    svc_appt_my_wait_fn fn, void *arg);

/*
 * Writes into ids (at most max, *n how many) the records account_id
 * answers for: its own records, then each one's relatives. Returns 0 or
 * -1.
 */
int svc_appt_account_people(const struct svc *s, struct store_conn *c,
    const char *account_id, int64_t *ids, size_t max, size_t *n);

#endif
