/*
 * keys.c (store) - SQL of the keystore schema (STORE_SCHEMA_KEYS).
 *
 * Each function is one statement, or one transaction, on the calling
 * thread's connection. No message ever carries an owner or key bytes.
 */
#include <string.h>

#include "store/driver.h"
#include "store/keys.h"

struct wrapped_row {
	const struct store_driver *d;
	unsigned char *buf;
	size_t cap;
	size_t len;
	uint32_t version;
	int found;
	int toolong;
};

static int
wrapped_row(void *arg, const struct store_row *r)
{
	struct wrapped_row *w = arg;
	const void *p;
	size_t n;
	int64_t v = w->d->row_int(r, 0);

	w->found = 1;
	p = w->d->row_blob(r, 1, &n);
	if (n > w->cap || v < 0 || v > UINT32_MAX) {
		w->toolong = 1;
		return 1;
	}
	if (n > 0)
		memcpy(w->buf, p, n);
	w->len = n;
	w->version = (uint32_t)v;
	return 1;
}

int
store_key_get(struct store *st, const char *owner, uint32_t *version,
    unsigned char *buf, size_t cap, size_t *len)
{
	struct store_conn *c = store_conn(st);
	struct wrapped_row w = { store_drv(st), buf, cap, 0, 0, 0, 0 };
	struct store_val p[1];

	if (c == NULL)
		return -1;
	p[0] = SV_T(owner);
	if (w.d->exec(c,
		"SELECT master_version, wrapped FROM data_keys"
		" WHERE owner = $1",
		p, 1, wrapped_row, &w) != 0 ||
	    w.toolong)
		return -1;
	if (!w.found)
		return 1;
	*version = w.version;
	*len = w.len;
	return 0;
}

int
store_key_insert(struct store *st, const char *owner, uint32_t version,
    const void *wrapped, size_t len, int64_t now_ms)
{
	struct store_conn *c = store_conn(st);
	struct store_val p[4];

	if (c == NULL)
		return -1;
	p[0] = SV_T(owner);
	p[1] = SV_I(version);
	p[2] = SV_B(wrapped, len);
	p[3] = SV_I(now_ms);
	/* One statement: the checks and the insert are atomic. */
	return store_drv(st)->exec(c,
	    "INSERT INTO data_keys (owner, master_version, wrapped, created_at)"
	    " SELECT $1, $2, $3, $4"
	    " WHERE NOT EXISTS (SELECT 1 FROM destroyed_keys WHERE owner = $1)"
	    " AND NOT EXISTS"
	    "  (SELECT 1 FROM data_keys WHERE master_version > $2)"
	    " ON CONFLICT (owner) DO NOTHING",
	    p, 4, NULL, NULL);
}

static int
flag_row(void *arg, const struct store_row *r)
{
	(void)r;
	*(int *)arg = 1;
	return 1;
}

int
store_key_swap(struct store *st, const char *owner, uint32_t old_version,
    const void *old, size_t oldlen, uint32_t version, const void *wrapped,
    size_t len)
{
	struct store_conn *c = store_conn(st);
	struct store_val p[5];
	int done = 0;

	if (c == NULL)
		return -1;
	p[0] = SV_T(owner);
	p[1] = SV_I(old_version);
	p[2] = SV_B(old, oldlen);
	p[3] = SV_I(version);
	p[4] = SV_B(wrapped, len);
	if (store_drv(st)->exec(c,
		"UPDATE data_keys SET master_version = $4, wrapped = $5"
		" WHERE owner = $1 AND master_version = $2 AND wrapped = $3"
		" RETURNING master_version",
		p, 5, flag_row, &done) != 0)
		return -1;
	return done ? 0 : 1;
}

struct tombstone {
	const char *owner;
	int64_t now_ms;
};

static int
destroy_tx(struct store *st, struct store_conn *c, void *arg)
{
	const struct tombstone *t = arg;
	const struct store_driver *d = store_drv(st);
	struct store_val p[2];

	p[0] = SV_T(t->owner);
	p[1] = SV_I(t->now_ms);
	if (d->exec(c, "DELETE FROM data_keys WHERE owner = $1", p, 1, NULL,
		NULL) != 0)
		return -1;
	return d->exec(c,
	    "INSERT INTO destroyed_keys (owner, destroyed_at) VALUES ($1, $2)"
	    " ON CONFLICT (owner) DO NOTHING",
	    p, 2, NULL, NULL);
}

int
store_key_destroy(struct store *st, const char *owner, int64_t now_ms)
{
	struct tombstone t = { owner, now_ms };

	return store_tx(st, 1, destroy_tx, &t);
}

struct insert_many {
	const struct store_key_new *keys;
	size_t n;
	uint32_t version;
	int64_t now_ms;
};

static int
insert_many_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct insert_many *m = arg;
	size_t i;

	(void)c;
	for (i = 0; i < m->n; i++)
		if (store_key_insert(st, m->keys[i].owner, m->version,
			m->keys[i].wrapped, m->keys[i].len, m->now_ms) != 0)
			return -1;
	return 0;
}

int
store_key_insert_many(struct store *st, const struct store_key_new *keys,
    size_t n, uint32_t version, int64_t now_ms)
{
	struct insert_many m = { keys, n, version, now_ms };

	return store_tx(st, 1, insert_many_tx, &m);
}

int
store_key_destroyed(struct store *st, const char *owner)
{
	struct store_conn *c = store_conn(st);
	struct store_val p[1];
	int found = 0;

	if (c == NULL)
		return -1;
	p[0] = SV_T(owner);
	if (store_drv(st)->exec(c,
		"SELECT 1 FROM destroyed_keys WHERE owner = $1", p, 1, flag_row,
		&found) != 0)
		return -1;
	return found;
}

struct counts {
	const struct store_driver *d;
	long n[2];
};

static int
counts_row(void *arg, const struct store_row *r)
{
	struct counts *k = arg;

	k->n[0] = (long)k->d->row_int(r, 0);
	k->n[1] = (long)k->d->row_int(r, 1);
	return 1;
}

int
store_key_version_range(struct store *st, uint32_t *lowest, uint32_t *newest)
{
	struct store_conn *c = store_conn(st);
	struct counts k = { store_drv(st), { -1, -1 } };

	*lowest = *newest = 0;
	/* Both ends of the master_version index: two index probes. */
	if (c == NULL ||
	    k.d->exec(c,
		"SELECT COALESCE(MIN(master_version), 0),"
		" COALESCE(MAX(master_version), 0) FROM data_keys",
		NULL, 0, counts_row, &k) != 0 ||
	    k.n[0] < 0 || k.n[1] < 0)
		return -1;
	*lowest = (uint32_t)k.n[0];
	*newest = (uint32_t)k.n[1];
	return 0;
}

long
store_key_count_version(struct store *st, uint32_t v)
{
	struct store_conn *c = store_conn(st);
	struct counts k = { store_drv(st), { -1, 0 } };
	struct store_val p[1];

	if (c == NULL)
		return -1;
	p[0] = SV_I(v);
	if (k.d->exec(c,
		"SELECT COUNT(*), 0 FROM data_keys WHERE master_version = $1",
		p, 1, counts_row, &k) != 0)
		return -1;
	return k.n[0];
}

int
store_key_totals(struct store *st, long *keys, long *destroyed)
{
	struct store_conn *c = store_conn(st);
	struct counts k = { store_drv(st), { -1, -1 } };

	if (c == NULL)
		return -1;
	if (k.d->exec(c,
		"SELECT (SELECT COUNT(*) FROM data_keys),"
		" (SELECT COUNT(*) FROM destroyed_keys)",
		NULL, 0, counts_row, &k) != 0 ||
	    k.n[0] < 0)
		return -1;
	*keys = k.n[0];
	*destroyed = k.n[1];
	return 0;
}

struct listing {
	const struct store_driver *d;
	int (*fn)(void *arg, const char *owner);
	void *arg;
	long n;
};

static int
listing_row(void *arg, const struct store_row *r)
{
	struct listing *l = arg;
	const char *owner = l->d->row_text(r, 0);

	if (owner == NULL)
		return 1;
	l->n++;
	return l->fn(l->arg, owner);
}

long
store_key_list_older(struct store *st, uint32_t v, const char *after,
    long limit, int (*fn)(void *arg, const char *owner), void *arg)
{
	struct store_conn *c = store_conn(st);
	struct listing l = { store_drv(st), fn, arg, 0 };
	struct store_val p[3];

	if (c == NULL)
		return -1;
	p[0] = SV_I(v);
	p[1] = SV_T(after);
	p[2] = SV_I(limit);
	if (l.d->exec(c,
		"SELECT owner FROM data_keys"
		" WHERE master_version < $1 AND owner > $2"
		" ORDER BY owner LIMIT $3",
		p, 3, listing_row, &l) != 0)
		return -1;
	return l.n;
}
