/* throttle.c - sign-in throttling per account and source, per source,
 * per known device, with the account's ceiling and its alert. */
#include "auth/throttle.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "store/driver.h"

const struct throttle_policy throttle_pair_policy = {
	THROTTLE_DELAY_AFTER,
	THROTTLE_DELAY_BASE_MS,
	THROTTLE_LOCK_MS,
	THROTTLE_LOCK_AFTER,
	THROTTLE_LOCK_MS,
	THROTTLE_DAY_MAX,
};

/* The ceiling of an account for unknown devices: it slows, never locks,
 * so a stranger cannot keep the holder out. */
const struct throttle_policy throttle_account_policy = {
	THROTTLE_ACCOUNT_DELAY_AFTER,
	THROTTLE_DELAY_BASE_MS,
	THROTTLE_ACCOUNT_DELAY_MAX_MS,
	0,
	0,
	0,
};

/* An address shared by a whole school (NAT) gets delays only, and late. */
const struct throttle_policy throttle_ip_policy = {
	THROTTLE_IP_DELAY_AFTER,
	THROTTLE_DELAY_BASE_MS,
	THROTTLE_IP_DELAY_MAX_MS,
	0,
	0,
	0,
};

const struct throttle_policy throttle_device_policy = {
	THROTTLE_DELAY_AFTER,
	THROTTLE_DELAY_BASE_MS,
	THROTTLE_DEVICE_DELAY_MAX_MS,
	0,
	0,
	0,
};

static int64_t
max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

/* The delay after f failures in a row: base, doubling, at most
 * delay_max_ms. */
static int64_t
delay_ms(const struct throttle_policy *p, int64_t f)
{
	int64_t d = p->delay_base_ms;
	int64_t i;

	if (f < p->delay_after)
		return 0;
	for (i = p->delay_after; i < f && d < p->delay_max_ms; i++)
		d *= 2;
	return d < p->delay_max_ms ? d : p->delay_max_ms;
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
	if ((reset || p->lock_after == 0 || t->failures < p->lock_after) &&
	    (p->day_max == 0 || t->day_failures < p->day_max))
		t->locked_until = 0;
}

int64_t
throttle_view_wait(const struct throttle_view *v, int64_t now)
{
	if (v->known_device)
		return throttle_wait_ms(&throttle_device_policy, &v->device,
		    now);
	return max64(throttle_wait_ms(&throttle_pair_policy, &v->pair, now),
	    max64(throttle_wait_ms(&throttle_ip_policy, &v->ip, now),
		throttle_wait_ms(&throttle_account_policy, &v->account, now)));
}

void
throttle_view_charge(struct throttle_view *v, int64_t now)
{
	throttle_charge(&throttle_account_policy, &v->account, now);
	if (v->known_device) {
		throttle_charge(&throttle_device_policy, &v->device, now);
		return;
	}
	throttle_charge(&throttle_pair_policy, &v->pair, now);
	throttle_charge(&throttle_ip_policy, &v->ip, now);
}

int
throttle_alert_due(const struct store_throttle *t, int64_t now)
{
	return t->failures >= THROTTLE_ALERT_AFTER &&
	    (t->alerted_at == 0 ||
		now - t->alerted_at >= THROTTLE_ALERT_EVERY_MS ||
		now < t->alerted_at);
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

int
throttle_keys_make(const struct auth *a, const char *email_index,
    const char *ip, const unsigned char *device_hash, struct throttle_keys *k)
{
	char idx[BLIND_INDEX_HEX], both[BLIND_INDEX_HEX + 64];
	struct data_key key;
	int n, rc = -1;

	memset(k, 0, sizeof(*k));
	if (throttle_key_ip(a, ip, k->ip) != 0)
		return -1;
	if (email_index == NULL || email_index[0] == '\0')
		return 0;
	if (throttle_key_account(email_index, k->account) != 0)
		return -1;
	if (device_hash != NULL) {
		char hex[STORE_HASH_BYTES * 2 + 1];

		sodium_bin2hex(hex, sizeof(hex), device_hash, STORE_HASH_BYTES);
		n = snprintf(k->device, sizeof(k->device), "device:%s", hex);
		return n < 0 || (size_t)n >= sizeof(k->device) ? -1 : 0;
	}
	/* The pair: the account and the address, as one keyed hash. */
	n = snprintf(both, sizeof(both), "%s\n%s", email_index,
	    ip != NULL ? ip : "");
	if (n < 0 || (size_t)n >= sizeof(both))
		return -1;
	if (auth_key(a, AUTH_KEY_OWNER_INDEX, 1, &key) != 0 ||
	    field_blind_index(&key, "throttle", "pair", both, (size_t)n, idx) !=
		0)
		goto done;
	n = snprintf(k->pair, sizeof(k->pair), "pair:%s", idx);
	rc = n < 0 || (size_t)n >= sizeof(k->pair) ? -1 : 0;
done:
	sodium_memzero(&key, sizeof(key));
	sodium_memzero(both, sizeof(both));
	return rc;
}

/* Reads one key ("" reads as zero counters). */
static int
read_key(struct store *st, struct store_conn *c, const char *key,
    struct store_throttle *t)
{
	memset(t, 0, sizeof(*t));
	if (key[0] == '\0')
		return 0;
	return store_throttle_get(st, c, key, t) < 0 ? -1 : 0;
}

static int
write_key(struct store *st, struct store_conn *c, const char *key,
    const struct store_throttle *t)
{
	if (key[0] == '\0')
		return 0;
	return store_throttle_put(st, c, key, t);
}

static int
read_view(struct store *st, struct store_conn *c, const struct throttle_keys *k,
    struct throttle_view *v)
{
	memset(v, 0, sizeof(*v));
	v->known_device = k->device[0] != '\0';
	return read_key(st, c, k->pair, &v->pair) != 0 ||
		read_key(st, c, k->account, &v->account) != 0 ||
		read_key(st, c, k->ip, &v->ip) != 0 ||
		read_key(st, c, k->device, &v->device) != 0
	    ? -1
	    : 0;
}

int64_t
throttle_begin(struct store *st, struct store_conn *c,
    const struct throttle_keys *k, int64_t now, int64_t *after)
{
	struct throttle_view v;
	int64_t w;

	if (after != NULL)
		*after = 0;
	if (read_view(st, c, k, &v) != 0)
		return -1;
	if ((w = throttle_view_wait(&v, now)) > 0)
		return w;
	throttle_view_charge(&v, now);
	if (write_key(st, c, k->account, &v.account) != 0 ||
	    (v.known_device && write_key(st, c, k->device, &v.device) != 0) ||
	    (!v.known_device &&
		(write_key(st, c, k->pair, &v.pair) != 0 ||
		    write_key(st, c, k->ip, &v.ip) != 0)))
		return -1;
	if (after != NULL)
		*after = throttle_view_wait(&v, now);
	return 0;
}

/* Refunds one key, deleting its row when nothing is left to remember. */
static int
refund_key(struct store *st, struct store_conn *c, const char *key,
    const struct throttle_policy *p, int reset, int64_t alert_keep)
{
	struct store_throttle t;
	int rc;

	if (key[0] == '\0')
		return 0;
	if ((rc = store_throttle_get(st, c, key, &t)) != 0)
		return rc < 0 ? -1 : 0;
	throttle_refund(p, &t, reset);
	if (t.failures == 0 && t.day_failures == 0 && t.locked_until == 0 &&
	    t.alerted_at <= alert_keep)
		return store_throttle_reset(st, c, key);
	return store_throttle_put(st, c, key, &t);
}

int
throttle_success(struct store *st, struct store_conn *c,
    const struct throttle_keys *k)
{
	/* The account key remembers its last alert for the alert window
	 * (refund_key keeps it while alerted_at is set). */
	if (refund_key(st, c, k->account, &throttle_account_policy, 1, 0) != 0)
		return -1;
	if (k->device[0] != '\0')
		return refund_key(st, c, k->device, &throttle_device_policy, 1,
		    INT64_MAX);
	if (refund_key(st, c, k->pair, &throttle_pair_policy, 1, INT64_MAX) !=
		0 ||
	    refund_key(st, c, k->ip, &throttle_ip_policy, 0, INT64_MAX) != 0)
		return -1;
	return 0;
}

int
throttle_failure(struct store *st, struct store_conn *c,
    const struct throttle_keys *k, int64_t now, int *alert)
{
	struct store_throttle t;

	*alert = 0;
	if (k->account[0] == '\0')
		return 0;
	if (read_key(st, c, k->account, &t) != 0)
		return -1;
	if (!throttle_alert_due(&t, now))
		return 0;
	t.alerted_at = now;
	*alert = 1;
	return store_throttle_put(st, c, k->account, &t);
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
	const struct throttle_keys *k;
	int64_t now, wait;
};

static int
attempt_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct attempt *x = arg;

	x->wait = throttle_begin(st, c, x->k, x->now, NULL);
	return x->wait < 0 ? -1 : 0;
}

static int
attempt_ok_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct attempt *x = arg;

	return throttle_success(st, c, x->k);
}

int
throttle_attempt(struct store *st, const struct throttle_keys *k, int64_t now,
    int64_t *wait)
{
	struct attempt x = { k, now, 0 };

	if (store_tx(st, 1, attempt_tx, &x) != 0)
		return -1;
	*wait = x.wait;
	return 0;
}

int
throttle_attempt_ok(struct store *st, const struct throttle_keys *k)
{
	struct attempt x = { k, 0, 0 };

	return store_tx(st, 1, attempt_ok_tx, &x);
}
