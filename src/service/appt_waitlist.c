/* appt_waitlist.c - a person's own waiting-list entries. */
#include "service/appt_waitlist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "store/appt_notify.h"
#include "store/appt_users.h"
#include "store/driver.h"

/* Records of one account, and entries of one person: enough for anyone
 * (APPT_WAIT_MAX entries a person at most). */
#define PEOPLE_MAX 64
#define ENTRIES_MAX 20

int
svc_appt_account_people(const struct svc *s, struct store_conn *c,
    const char *account_id, int64_t *ids, size_t max, size_t *n)
{
	int64_t own[PEOPLE_MAX];
	size_t no = 0, m = 0, i;

	*n = 0;
	if (store_appt_users_of_account(s->a->st, c, account_id, own,
		PEOPLE_MAX, &no) != 0)
		return -1;
	for (i = 0; i < no && *n < max; i++)
		ids[(*n)++] = own[i];
	for (i = 0; i < no && *n < max; i++) {
		if (store_appt_user_relatives(s->a->st, c, own[i], ids + *n,
			max - *n, &m) != 0)
			return -1;
		*n += m;
	}
	return 0;
}

struct waits_tx {
	const struct svc *s;
	const char *account_id;
	int64_t now;
	svc_appt_my_wait_fn fn;
	void *arg;
	int rc;
};

/* Fills w from entry e of record u (opened); 1 to leave it out. */
static int
fill(struct store *st, struct store_conn *c, const struct store_appt_wait *e,
    const struct svc_appt_user *u, struct svc_appt_my_wait *w)
{
	struct store_appt_motif m;
	struct store_org org;
	int rc;

	memset(w, 0, sizeof(*w));
	w->id = e->id;
	w->user_id = e->user_id;
	w->motif_id = e->motif_id;
	w->created_at = e->created_at;
	w->expires_at = e->expires_at;
	w->notified_at = e->notified_at;
	snprintf(w->org_id, sizeof(w->org_id), "%s", u->org_id);
	snprintf(w->first_names, sizeof(w->first_names), "%s",
	    u->f[AUF_FIRST_NAMES]);
	snprintf(w->last_name, sizeof(w->last_name), "%s", u->f[AUF_LAST_NAME]);
	if ((rc = store_appt_motif_get(st, c, u->org_id, e->motif_id, &m)) < 0)
		return -1;
	if (rc == 0)
		snprintf(w->motif, sizeof(w->motif), "%s", m.name);
	if ((rc = store_org_get(st, c, u->org_id, &org)) < 0)
		return -1;
	snprintf(w->org_name, sizeof(w->org_name), "%s",
	    rc == 0 ? org.name : u->org_id);
	return 0;
}

static int
waits_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct waits_tx *t = arg;
	struct store_appt_wait e[ENTRIES_MAX];
	struct svc_appt_my_wait *w = calloc(1, sizeof(*w));
	struct svc_appt_user *u = calloc(1, sizeof(*u));
	int64_t ids[PEOPLE_MAX];
	size_t n = 0, ne, i, k;
	int rc = 0;

	if (w == NULL || u == NULL ||
	    svc_appt_account_people(t->s, c, t->account_id, ids, PEOPLE_MAX,
		&n) != 0)
		rc = -1;
	for (i = 0; rc == 0 && i < n; i++) {
		if (store_appt_wait_of_user(st, c, ids[i], e, ENTRIES_MAX,
			&ne) != 0) {
			rc = -1;
			break;
		}
		if (ne == 0)
			continue;
		rc = svc_appt_user_open(t->s, c, NULL, ids[i], u);
		if (rc == APPT_USAGER_INCONNU) {
			rc = 0;
			continue;
		}
		if (rc != APPT_OK) {
			rc = -1;
			break;
		}
		for (k = 0; rc == 0 && k < ne; k++) {
			if (e[k].expires_at <= t->now)
				continue;
			if ((rc = fill(st, c, &e[k], u, w)) == 0)
				rc = t->fn(t->arg, w);
		}
	}
	if (u != NULL)
		sodium_memzero(u, sizeof(*u));
	if (w != NULL)
		sodium_memzero(w, sizeof(*w));
	free(u);
	free(w);
	t->rc = rc;
	return rc < 0 ? -1 : 0;
}

int
svc_appt_my_waits(const struct svc *s, const char *account_id, int64_t now,
    svc_appt_my_wait_fn fn, void *arg)
{
	struct waits_tx t = { s, account_id, now, fn, arg, 0 };

	if (store_tx(s->a->st, 0, waits_tx, &t) != 0)
		return -1;
	return t.rc;
}
