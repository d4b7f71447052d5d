/* ratelimit.c - fixed-window call counting per key, bounded memory. */
#include "auth/ratelimit.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/log.h"
#include "store/ratelimit.h"

#define ID_BYTES 16
#define NONE (-1)

struct entry {
	unsigned char id[ID_BYTES]; /* keyed hash of the key */
	int64_t start; /* when the window opened */
	long count; /* calls counted in it */
	int32_t next; /* next entry of the bucket, or of the free list */
	int used;
};

struct ratelimit {
	pthread_mutex_t mu;
	int64_t window_ms;
	size_t cap, nbuckets, used;
	int32_t *buckets;
	struct entry *e;
	int32_t free_head;
	unsigned char hkey[crypto_generichash_KEYBYTES];
	struct store *st; /* shared counts (ratelimit_share), or NULL */
};

_Static_assert(ID_BYTES == STORE_RATE_KEY, "a key id is a store rate key");

struct ratelimit *
ratelimit_new(size_t capacity, int64_t window_ms)
{
	struct ratelimit *rl;
	size_t i;

	if (capacity < RATELIMIT_KEYS_PER_CALL || capacity > INT32_MAX / 2 ||
	    window_ms <= 0 || sodium_init() < 0)
		return NULL;
	if ((rl = calloc(1, sizeof(*rl))) == NULL)
		return NULL;
	rl->window_ms = window_ms;
	rl->cap = capacity;
	rl->nbuckets = capacity * 2;
	rl->buckets = malloc(rl->nbuckets * sizeof(rl->buckets[0]));
	rl->e = calloc(capacity, sizeof(rl->e[0]));
	if (rl->buckets == NULL || rl->e == NULL ||
	    pthread_mutex_init(&rl->mu, NULL) != 0) {
		free(rl->buckets);
		free(rl->e);
		free(rl);
		return NULL;
	}
	for (i = 0; i < rl->nbuckets; i++)
		rl->buckets[i] = NONE;
	for (i = 0; i < capacity; i++)
		rl->e[i].next = i + 1 < capacity ? (int32_t)(i + 1) : NONE;
	rl->free_head = 0;
	randombytes_buf(rl->hkey, sizeof(rl->hkey));
	return rl;
}

void
ratelimit_free(struct ratelimit *rl)
{
	if (rl == NULL)
		return;
	pthread_mutex_destroy(&rl->mu);
	sodium_memzero(rl->hkey, sizeof(rl->hkey));
	free(rl->buckets);
	free(rl->e);
	free(rl);
}

static void
key_id(const struct ratelimit *rl, const char *key, unsigned char id[ID_BYTES])
{
	const char *k = key != NULL ? key : "";

	crypto_generichash(id, ID_BYTES, (const unsigned char *)k, strlen(k),
	    rl->hkey, sizeof(rl->hkey));
}

static size_t
bucket_of(const struct ratelimit *rl, const unsigned char id[ID_BYTES])
{
	uint64_t h;

	memcpy(&h, id, sizeof(h));
	return (size_t)(h % rl->nbuckets);
}

/*
 * Is entry x's window open at now? Threads read the clock before taking
 * the lock, so a call may come a little before the window it falls into:
 * it counts in it. Only a clock set back by a whole window or more opens
 * a new one.
 */
static int
live(const struct ratelimit *rl, const struct entry *x, int64_t now)
{
	return now - x->start < rl->window_ms && x->start - now < rl->window_ms;
}

static int32_t
find(const struct ratelimit *rl, const unsigned char id[ID_BYTES])
{
	int32_t i = rl->buckets[bucket_of(rl, id)];

	while (i != NONE && memcmp(rl->e[i].id, id, ID_BYTES) != 0)
		i = rl->e[i].next;
	return i;
}

/* Takes entry i out of its bucket and puts it on the free list. */
static void
release(struct ratelimit *rl, int32_t i)
{
	int32_t *p = &rl->buckets[bucket_of(rl, rl->e[i].id)];

	while (*p != NONE && *p != i)
		p = &rl->e[*p].next;
	if (*p == i)
		*p = rl->e[i].next;
	memset(&rl->e[i], 0, sizeof(rl->e[i]));
	rl->e[i].next = rl->free_head;
	rl->free_head = i;
	rl->used--;
}

static int
kept(const int32_t *keep, size_t nkeep, int32_t i)
{
	size_t k;

	for (k = 0; k < nkeep; k++)
		if (keep[k] == i)
			return 1;
	return 0;
}

/*
 * Makes room for one entry: every idle entry goes back to the free list;
 * when none was idle, the live entry whose window opened first goes,
 * but never one of keep (nkeep, the entries of the call being counted).
 */
static void
make_room(struct ratelimit *rl, int64_t now, const int32_t *keep, size_t nkeep)
{
	int32_t i, oldest = NONE;

	for (i = 0; i < (int32_t)rl->cap; i++)
		if (rl->e[i].used && !live(rl, &rl->e[i], now) &&
		    !kept(keep, nkeep, i))
			release(rl, i);
	if (rl->free_head != NONE)
		return;
	for (i = 0; i < (int32_t)rl->cap; i++)
		if (rl->e[i].used && !kept(keep, nkeep, i) &&
		    (oldest == NONE || rl->e[i].start < rl->e[oldest].start))
			oldest = i;
	if (oldest != NONE)
		release(rl, oldest);
}

/* Returns the entry of id, creating it (window not yet open) when
 * missing. */
static int32_t
get(struct ratelimit *rl, const unsigned char id[ID_BYTES], int64_t now,
    const int32_t *keep, size_t nkeep)
{
	int32_t i = find(rl, id);
	size_t b;

	if (i != NONE)
		return i;
	if (rl->free_head == NONE)
		make_room(rl, now, keep, nkeep);
	i = rl->free_head;
	rl->free_head = rl->e[i].next;
	memcpy(rl->e[i].id, id, ID_BYTES);
	rl->e[i].used = 1;
	rl->e[i].count = 0;
	rl->e[i].start = now;
	b = bucket_of(rl, id);
	rl->e[i].next = rl->buckets[b];
	rl->buckets[b] = i;
	rl->used++;
	return i;
}

void
ratelimit_share(struct ratelimit *rl, struct store *st,
    const unsigned char hkey[RATELIMIT_HASH_KEY])
{
	memcpy(rl->hkey, hkey, sizeof(rl->hkey));
	rl->st = st;
}

/*
 * The shared count: windows aligned on window_ms, so every instance puts
 * a call in the same one. Returns the wait as ratelimit_take, or -1 when
 * the database did not answer.
 */
static int64_t
take_shared(struct ratelimit *rl, const struct ratelimit_key *keys, size_t n,
    int64_t now)
{
	unsigned char id[RATELIMIT_KEYS_PER_CALL][ID_BYTES];
	long limits[RATELIMIT_KEYS_PER_CALL];
	int64_t start = now - now % rl->window_ms;
	size_t k, m = 0;
	int rc;

	for (k = 0; k < n; k++) {
		if (keys[k].limit <= 0)
			continue;
		key_id(rl, keys[k].key, id[m]);
		limits[m++] = keys[k].limit;
	}
	rc = store_rate_take(rl->st, id, limits, m, start);
	sodium_memzero(id, sizeof(id));
	if (rc < 0)
		return -1;
	return rc == 1 ? 0 : start + rl->window_ms - now;
}

int
ratelimit_purge(struct ratelimit *rl, int64_t now, long *deleted)
{
	if (deleted != NULL)
		*deleted = 0;
	if (rl->st == NULL)
		return 0;
	/* The window before the current one stays, for an instance whose
	 * clock is a little behind. */
	return store_rate_purge(rl->st,
	    now - now % rl->window_ms - rl->window_ms, deleted);
}

int64_t
ratelimit_take(struct ratelimit *rl, const struct ratelimit_key *keys, size_t n,
    int64_t now)
{
	unsigned char id[RATELIMIT_KEYS_PER_CALL][ID_BYTES];
	int32_t touched[RATELIMIT_KEYS_PER_CALL], i;
	int64_t wait = 0, left;
	size_t k, nt = 0;

	if (n > RATELIMIT_KEYS_PER_CALL)
		n = RATELIMIT_KEYS_PER_CALL;
	if (rl->st != NULL) {
		if ((wait = take_shared(rl, keys, n, now)) >= 0)
			return wait;
		/* The database did not answer: this instance's own count
		 * limits meanwhile. */
		log_warnx("ratelimit: shared count unavailable, counting "
			  "locally");
		wait = 0;
	}
	for (k = 0; k < n; k++)
		key_id(rl, keys[k].key, id[k]);
	pthread_mutex_lock(&rl->mu);
	/* All or nothing: first whether any key is at its limit. */
	for (k = 0; k < n; k++) {
		if (keys[k].limit <= 0 || (i = find(rl, id[k])) == NONE ||
		    !live(rl, &rl->e[i], now) || rl->e[i].count < keys[k].limit)
			continue;
		left = rl->e[i].start + rl->window_ms - now;
		if (left > rl->window_ms)
			left = rl->window_ms;
		if (left > wait)
			wait = left;
	}
	for (k = 0; wait == 0 && k < n; k++) {
		if (keys[k].limit <= 0)
			continue;
		i = get(rl, id[k], now, touched, nt);
		touched[nt++] = i;
		if (!live(rl, &rl->e[i], now)) {
			rl->e[i].start = now;
			rl->e[i].count = 0;
		}
		rl->e[i].count++;
	}
	pthread_mutex_unlock(&rl->mu);
	sodium_memzero(id, sizeof(id));
	return wait;
}

size_t
ratelimit_size(struct ratelimit *rl)
{
	size_t n;

	pthread_mutex_lock(&rl->mu);
	n = rl->used;
	pthread_mutex_unlock(&rl->mu);
	return n;
}
