/* booking_purge.c - the retention rules of the booking data. */
#include "gdpr/booking_purge.h"

#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "gdpr/rights_booking.h"
#include "store/booking_rights.h"
#include "store/driver.h"

struct shred_arg {
	const struct auth *a;
	int64_t id, now;
	struct rights_booking_erased e;
};

static int
shred_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct shred_arg *x = arg;

	(void)st;
	return rights_candidate_shred(x->a, c, x->id, NULL, "retention", x->now,
	    &x->e);
}

long
booking_purge_candidates(const struct auth *a, int64_t cutoff, int64_t now)
{
	struct shred_arg x;
	int64_t *ids;
	size_t n = 0, i;
	long done = 0;
	int rc;

	if ((ids = calloc(BOOKING_PURGE_BATCH, sizeof(*ids))) == NULL)
		return -1;
	if (store_br_candidates_closed_before(a->st, store_conn(a->st), cutoff,
		ids, BOOKING_PURGE_BATCH, &n) != 0) {
		free(ids);
		return -1;
	}
	for (i = 0; i < n; i++) {
		memset(&x, 0, sizeof(x));
		x.a = a;
		x.id = ids[i];
		x.now = now;
		if ((rc = store_tx(a->st, 1, shred_tx, &x)) < 0 ||
		    rights_candidate_keys(a, &x.e, now) != 0) {
			free(ids);
			return -1;
		}
		done += rc == 0;
	}
	free(ids);
	return done;
}

struct cut_arg {
	int64_t cutoff;
	long n;
	long (*fn)(struct store *, struct store_conn *, int64_t);
};

static int
cut_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct cut_arg *x = arg;

	x->n = x->fn(st, c, x->cutoff);
	return x->n < 0 ? -1 : 0;
}

static long
cut(const struct auth *a, int64_t cutoff,
    long (*fn)(struct store *, struct store_conn *, int64_t))
{
	struct cut_arg x = { cutoff, 0, fn };

	return store_tx(a->st, 1, cut_tx, &x) != 0 ? -1 : x.n;
}

struct idle_arg {
	int64_t cutoff, now;
	long n;
};

static int
idle_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct idle_arg *x = arg;

	x->n = store_br_candidates_close_idle(st, c, x->cutoff, x->now);
	return x->n < 0 ? -1 : 0;
}

long
booking_close_idle_candidates(const struct auth *a, int64_t idle_cutoff,
    int64_t now)
{
	struct idle_arg x = { idle_cutoff, now, 0 };

	return store_tx(a->st, 1, idle_tx, &x) != 0 ? -1 : x.n;
}

long
booking_purge_exams(const struct auth *a, int64_t cutoff)
{
	return cut(a, cutoff, store_br_exams_purge);
}

long
booking_anonymise_slots(const struct auth *a, int64_t cutoff)
{
	return cut(a, cutoff, store_br_slots_anonymise);
}

long
booking_purge_notifications(const struct auth *a, int64_t cutoff)
{
	return cut(a, cutoff, store_br_notifications_purge);
}
