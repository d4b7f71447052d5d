/* throttle.c - login throttling per account and per IP. */
#include "auth/throttle.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "store/driver.h"

const struct throttle_policy throttle_account_policy = {
	THROTTLE_DELAY_AFTER,
	THROTTLE_DELAY_BASE_MS,
	THROTTLE_LOCK_AFTER,
	THROTTLE_LOCK_MS,
	THROTTLE_DAY_MAX,
};

/* SECURITY.md puts the 25-a-day cap on accounts: an IP shared by a whole
 * school (NAT) gets delays and locks only. */
const struct throttle_policy throttle_ip_policy = {
	THROTTLE_DELAY_AFTER,
	THROTTLE_DELAY_BASE_MS,
	THROTTLE_LOCK_AFTER,
	THROTTLE_LOCK_MS,
	0,
};

static int64_t
max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

/* The delay after f failures in a row: base, doubling, at most lock_ms. */
static int64_t
delay_ms(const struct throttle_policy *p, int64_t f)
{
	int64_t d = p->delay_base_ms;
	int64_t i;

	if (f < p->delay_after)
		return 0;
	for (i = p->delay_after; i < f && d < p->lock_ms; i++)
		d *= 2;
	return d < p->lock_ms ? d : p->lock_ms;
}

int64_t
throttle_wait_ms(const struct throttle_policy *p,
    const struct store_throttle *t, int64_t now)
{
	int64_t until = t->locked_until;

	if (t->failures >= p->delay_after)
		until =
		    max64(until, t->last_failure_at + delay_ms(p, t->failures));
	return until > now ? until - now : 0;
}

void
throttle_charge(const struct throttle_policy *p, struct store_throttle *t,
    int64_t now)
{
	if (t->day_failures == 0 || now - t->day_start >= AUTH_DAY_MS ||
	    now < t->day_start) {
		t->day_start = now;
		t->day_failures = 0;
	}
	t->failures++;
	t->day_failures++;
	t->last_failure_at = now;
	if (p->lock_after > 0 && t->failures >= p->lock_after)
		t->locked_until = max64(t->locked_until, now + p->lock_ms);
	if (p->day_max > 0 && t->day_failures >= p->day_max)
		t->locked_until =
		    max64(t->locked_until, t->day_start + AUTH_DAY_MS);
}

void
throttle_refund(const struct throttle_policy *p, struct store_throttle *t,
    int reset)
{
	if (t->day_failures > 0)
		t->day_failures--;
	if (t->failures > 0)
		t->failures--;
	if (reset)
		t->failures = 0;
	/* No lock stands without the failures that made it. */
	if ((reset || t->failures < p->lock_after) &&
	    (p->day_max == 0 || t->day_failures < p->day_max))
		t->locked_until = 0;
}

int
throttle_key_account(const char *email_index, char out[STORE_INDEX_MAX])
{
	int n = snprintf(out, STORE_INDEX_MAX, "account:%s", email_index);

	return n < 0 || n >= STORE_INDEX_MAX ? -1 : 0;
}

int
throttle_key_ip(const struct auth *a, const char *ip, char out[STORE_INDEX_MAX])
{
	char idx[BLIND_INDEX_HEX];
	struct data_key k;
	int rc = -1;

	out[0] = '\0';
	if (ip == NULL || ip[0] == '\0')
		return 0;
	if (auth_key(a, AUTH_KEY_OWNER_INDEX, 1, &k) != 0 ||
	    field_blind_index(&k, "throttle", "ip", ip, strlen(ip), idx) != 0)
		goto done;
	rc = snprintf(out, STORE_INDEX_MAX, "ip:%s", idx) < STORE_INDEX_MAX
	    ? 0
	    : -1;
done:
	sodium_memzero(&k, sizeof(k));
	return rc;
}

int64_t
throttle_begin(struct store *st, struct store_conn *c, const char *account_key,
    const char *ip_key, int64_t now, int64_t *after)
{
	struct store_throttle ta, ti;
	int64_t wa = 0, wi = 0;

	memset(&ta, 0, sizeof(ta));
	memset(&ti, 0, sizeof(ti));
	if (after != NULL)
		*after = 0;
	if ((account_key[0] &&
		store_throttle_get(st, c, account_key, &ta) < 0) ||
	    (ip_key[0] && store_throttle_get(st, c, ip_key, &ti) < 0))
		return -1;
	if (account_key[0])
		wa = throttle_wait_ms(&throttle_account_policy, &ta, now);
	if (ip_key[0])
		wi = throttle_wait_ms(&throttle_ip_policy, &ti, now);
	if (wa > 0 || wi > 0)
		return max64(wa, wi);
	if (account_key[0]) {
		throttle_charge(&throttle_account_policy, &ta, now);
		wa = throttle_wait_ms(&throttle_account_policy, &ta, now);
		if (store_throttle_put(st, c, account_key, &ta) != 0)
			return -1;
	}
	if (ip_key[0]) {
		throttle_charge(&throttle_ip_policy, &ti, now);
		wi = throttle_wait_ms(&throttle_ip_policy, &ti, now);
		if (store_throttle_put(st, c, ip_key, &ti) != 0)
			return -1;
	}
	if (after != NULL)
		*after = max64(wa, wi);
	return 0;
}

/* Refunds one key, deleting its row when nothing is left to remember. */
static int
refund_key(struct store *st, struct store_conn *c, const char *key,
    const struct throttle_policy *p, int reset)
{
	struct store_throttle t;
	int rc;

	if (key[0] == '\0')
		return 0;
	if ((rc = store_throttle_get(st, c, key, &t)) != 0)
		return rc < 0 ? -1 : 0;
	throttle_refund(p, &t, reset);
	if (t.failures == 0 && t.day_failures == 0 && t.locked_until == 0)
		return store_throttle_reset(st, c, key);
	return store_throttle_put(st, c, key, &t);
}

int
throttle_success(struct store *st, struct store_conn *c,
    const char *account_key, const char *ip_key)
{
	if (refund_key(st, c, account_key, &throttle_account_policy, 1) != 0 ||
	    refund_key(st, c, ip_key, &throttle_ip_policy, 0) != 0)
		return -1;
	return 0;
}

long
throttle_purge(const struct auth *a, int64_t now)
{
	struct store_conn *c = store_conn(a->st);

	if (c == NULL)
		return -1;
	return store_throttle_purge(a->st, c, now - AUTH_DAY_MS, now);
}

int64_t
throttle_seconds(int64_t ms)
{
	return ms <= 0 ? 0 : (ms + 999) / 1000;
}

struct attempt {
	const char *akey, *ikey;
	int64_t now, wait;
};

static int
attempt_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct attempt *x = arg;

	x->wait = throttle_begin(st, c, x->akey, x->ikey, x->now, NULL);
	return x->wait < 0 ? -1 : 0;
}

static int
attempt_ok_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct attempt *x = arg;

	return throttle_success(st, c, x->akey, x->ikey);
}

int
throttle_attempt(struct store *st, const char *account_key, const char *ip_key,
    int64_t now, int64_t *wait)
{
	struct attempt x = { account_key, ip_key, now, 0 };

	if (store_tx(st, 1, attempt_tx, &x) != 0)
		return -1;
	*wait = x.wait;
	return 0;
}

int
throttle_attempt_ok(struct store *st, const char *account_key,
    const char *ip_key)
{
	struct attempt x = { account_key, ip_key, 0, 0 };

	return store_tx(st, 1, attempt_ok_tx, &x);
}
