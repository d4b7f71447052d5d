/* inactivity.c - warning and deletion of inactive accounts. */
#include "gdpr/inactivity.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/account.h"
#include "booking/caltime.h"
#include "core/log.h"
#include "gdpr/rights.h"
#include "notify/notify.h"
#include "store/booking_rights.h"
#include "store/driver.h"
#include "store/rights.h"

#define DAY_MS (24LL * 3600 * 1000)
#define IDLE_BATCH 1000 /* accounts treated in one run at most */

static const char why_restricted[] =
    "compte sous limitation du traitement (art. 18) : conservé, ni averti "
    "ni supprimé, tant que la limitation dure";
static const char why_last_admin[] =
    "dernier administrateur actif de la plateforme : conservé, ni averti "
    "ni supprimé, tant qu'aucun autre n'est nommé";
static const char why_both[] =
    "comptes sous limitation du traitement (art. 18) et dernier "
    "administrateur actif de la plateforme : conservés, ni avertis ni "
    "supprimés";

struct idle_list {
	struct store_br_idle *v;
	size_t n;
	int candidates;
};

static int
collect(void *arg, const struct store_br_idle *a)
{
	struct idle_list *l = arg;

	if (a->candidate != l->candidates || l->n >= IDLE_BATCH)
		return 0;
	l->v[l->n++] = *a;
	return 0;
}

/* Whether account id is the last active platform admin. Returns 1, 0, or
 * -1. */
static int
last_admin(const struct auth *a, const char *id)
{
	struct store_conn *c = store_conn(a->st);
	struct store_role roles[ACCOUNT_ROLES_MAX];
	long n, i, others;
	int admin = 0;

	if ((n = store_role_list(a->st, c, id, NULL, roles,
		 ACCOUNT_ROLES_MAX)) < 0)
		return -1;
	for (i = 0; i < n && i < ACCOUNT_ROLES_MAX; i++)
		admin |= strcmp(roles[i].role, "platform_admin") == 0;
	if (!admin)
		return 0;
	if ((others = store_rights_role_others(a->st, c, "platform_admin",
		 id)) < 0)
		return -1;
	return others == 0;
}

struct warn_arg {
	const struct auth *a;
	const struct store_br_idle *acc;
	int64_t now, deletion;
};

static int
warn_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct warn_arg *w = arg;
	char params[96];
	struct notice n = { INACTIVITY_KIND, params };

	(void)st;
	snprintf(params, sizeof(params), "{\"expires_at\":%" PRId64 "}",
	    w->deletion);
	if (notify_account(w->a, c, w->acc->id, w->acc->org_id, &n, w->now) !=
	    0)
		return -1;
	return auth_audit(w->a, c, w->now, NULL, "account.inactive.warn",
	    w->acc->id, w->acc->org_id, NULL, AUDIT_SUCCESS);
}

/* Notes one skipped account in res. */
static void
skip(struct retention_purge_result *res, const char *why)
{
	if (res == NULL)
		return;
	res->skipped++;
	if (res->skipped_why == NULL || res->skipped_why == why)
		res->skipped_why = why;
	else
		res->skipped_why = why_both;
}

long
inactivity_purge(const struct auth *a, const struct datamap_retention *rule,
    int candidates, int64_t now, int64_t cutoff,
    struct retention_purge_result *res)
{
	struct idle_list l;
	struct warn_arg w;
	int64_t grace = INACTIVITY_GRACE_DAYS * DAY_MS;
	char why[256];
	long erased = 0;
	size_t i;
	int rc;

	if (rule != NULL && rule->grace.set && rule->grace.value > 0)
		grace = rule->grace.unit == DATAMAP_MONTHS
		    ? now - caltime_add_months(now, -rule->grace.value)
		    : (int64_t)rule->grace.value * DAY_MS;
	memset(&l, 0, sizeof(l));
	l.candidates = candidates != 0;
	if ((l.v = calloc(IDLE_BATCH, sizeof(*l.v))) == NULL)
		return -1;
	if (store_br_idle_accounts(a->st, store_conn(a->st), cutoff, collect,
		&l) != 0)
		goto fail;
	for (i = 0; i < l.n; i++) {
		const struct store_br_idle *acc = &l.v[i];

		if (acc->restricted_at != 0) {
			skip(res, why_restricted);
			continue;
		}
		if ((rc = last_admin(a, acc->id)) < 0)
			goto fail;
		if (rc == 1) {
			skip(res, why_last_admin);
			continue;
		}
		if (acc->warned_at == 0) {
			w.a = a;
			w.acc = acc;
			w.now = now;
			w.deletion = now + grace;
			if (store_tx(a->st, 1, warn_tx, &w) != 0)
				goto fail;
			if (res != NULL)
				res->warned++;
			continue;
		}
		if (acc->warned_at + grace > now)
			continue; /* warned, the grace runs */
		rc = rights_erase_inactive(a, acc->id, now, why, sizeof(why));
		if (rc < 0)
			goto fail;
		if (rc == 1) {
			log_warnx("inactivity: an account is kept: %s", why);
			skip(res, why_last_admin);
			continue;
		}
		erased++;
	}
	free(l.v);
	return erased;
fail:
	free(l.v);
	return -1;
}
