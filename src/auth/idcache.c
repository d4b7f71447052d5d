/* idcache.c - signed-in identities kept between requests (idcache.h). */
#include "auth/idcache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "auth/grant.h"
#include "store/driver.h"
#include "store/identity.h"

struct slot {
	pthread_mutex_t mu;
	int used;
	struct idcache_entry e;
};

struct idcache {
	size_t n;
	struct slot *slots;
};

struct idcache *
idcache_new(size_t slots)
{
	struct idcache *ic = calloc(1, sizeof(*ic));
	size_t i;

	if (ic == NULL)
		return NULL;
	ic->n = slots ? slots : IDCACHE_SLOTS;
	if ((ic->slots = calloc(ic->n, sizeof(*ic->slots))) == NULL) {
		free(ic);
		return NULL;
	}
	for (i = 0; i < ic->n; i++)
		pthread_mutex_init(&ic->slots[i].mu, NULL);
	return ic;
}

void
idcache_free(struct idcache *ic)
{
	size_t i;

	if (ic == NULL)
		return;
	for (i = 0; i < ic->n; i++)
		pthread_mutex_destroy(&ic->slots[i].mu);
	sodium_memzero(ic->slots, ic->n * sizeof(*ic->slots));
	free(ic->slots);
	free(ic);
}

/* The key is a BLAKE2b hash: its first bytes are as good as any mix. */
static struct slot *
slot_of(struct idcache *ic, const unsigned char key[STORE_HASH_BYTES])
{
	uint64_t h;

	memcpy(&h, key, sizeof(h));
	return &ic->slots[h % ic->n];
}

static int
same_key(const struct slot *s, const unsigned char key[STORE_HASH_BYTES])
{
	return s->used &&
	    sodium_memcmp(s->e.s.id_hash, key, STORE_HASH_BYTES) == 0;
}

int
idcache_get(struct idcache *ic, const unsigned char key[STORE_HASH_BYTES],
    int64_t epoch, int64_t now, struct idcache_entry *out)
{
	struct slot *s = slot_of(ic, key);
	int rc = 1;

	pthread_mutex_lock(&s->mu);
	if (same_key(s, key) && s->e.epoch == epoch && now < s->e.valid_until &&
	    now >= s->e.s.last_seen_at) {
		*out = s->e;
		rc = 0;
	}
	pthread_mutex_unlock(&s->mu);
	return rc;
}

void
idcache_put(struct idcache *ic, const struct idcache_entry *e)
{
	struct slot *s = slot_of(ic, e->s.id_hash);

	pthread_mutex_lock(&s->mu);
	/* An older epoch does not replace a newer one read meanwhile. */
	if (!same_key(s, e->s.id_hash) || e->epoch >= s->e.epoch) {
		sodium_memzero(&s->e, sizeof(s->e));
		s->e = *e;
		s->used = 1;
	}
	pthread_mutex_unlock(&s->mu);
}

void
idcache_set_school(struct idcache *ic,
    const unsigned char key[STORE_HASH_BYTES], int64_t epoch, int64_t school_id)
{
	struct slot *s = slot_of(ic, key);

	pthread_mutex_lock(&s->mu);
	if (same_key(s, key) && s->e.epoch == epoch)
		s->e.school_id = school_id;
	pthread_mutex_unlock(&s->mu);
}

int
idcache_check(const struct auth *a, const char *token, int64_t now,
    struct idcache_entry *out)
{
	unsigned char key[STORE_HASH_BYTES];
	struct store_conn *c;
	int64_t until;
	int rc;

	memset(out, 0, sizeof(*out));
	out->epoch = -1;
	if (session_token_hash(token, key) != 0)
		return 1;
	/* The epoch before anything it guards: see idcache.h. */
	if (a->ids != NULL && (c = store_conn(a->st)) != NULL &&
	    store_identity_epoch(a->st, c, &out->epoch) != 0)
		out->epoch = -1;
	if (out->epoch >= 0 &&
	    idcache_get(a->ids, key, out->epoch, now, out) == 0) {
		sodium_memzero(key, sizeof(key));
		return 0;
	}
	sodium_memzero(key, sizeof(key));
	if ((rc = session_check(a, token, now, &out->s)) != 0)
		return rc;
	if (grant_active_mask(a, out->s.account_id, out->s.org_id, now,
		&out->granted, &until) != 0)
		return -1;
	out->valid_until =
	    until < out->s.recheck_at ? until : out->s.recheck_at;
	out->school_id = 0;
	if (out->epoch >= 0)
		idcache_put(a->ids, out);
	return 0;
}
