/* oidc.c (store) - SQL of OpenID Connect flows and links. */
#include "store/oidc.h"

#include <stdlib.h>
#include <string.h>

#include "store/driver.h"

int
store_oidc_flow_insert(struct store *st, struct store_conn *c,
    const struct store_oidc_flow *f)
{
	struct store_val p[5];

	p[0] = SV_B(f->state_hash, STORE_HASH_BYTES);
	p[1] = SV_T(f->provider);
	p[2] = SV_T(f->account_id[0] ? f->account_id : NULL);
	p[3] = SV_I(f->created_at);
	p[4] = SV_I(f->expires_at);
	return store_drv(st)->exec(c,
	    "INSERT INTO oidc_flows (state_hash, provider, account_id,"
	    " created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
	    p, 5, NULL, NULL);
}

struct flow_rd {
	const struct store_driver *d;
	struct store_oidc_flow *f;
	long n;
	int bad;
};

static int
flow_row(void *arg, const struct store_row *r)
{
	struct flow_rd *x = arg;
	const void *p;
	size_t n = 0;

	x->n++;
	p = x->d->row_blob(r, 0, &n);
	if (p == NULL || n != STORE_HASH_BYTES ||
	    store_row_copy_text(x->f->provider, sizeof(x->f->provider), x->d, r,
		1) != 0 ||
	    store_row_copy_text(x->f->account_id, sizeof(x->f->account_id),
		x->d, r, 2) != 0) {
		x->bad = 1;
		return 0;
	}
	memcpy(x->f->state_hash, p, STORE_HASH_BYTES);
	x->f->created_at = x->d->row_int(r, 3);
	x->f->expires_at = x->d->row_int(r, 4);
	return 0;
}

int
store_oidc_flow_take(struct store *st, struct store_conn *c,
    const unsigned char state_hash[STORE_HASH_BYTES], struct store_oidc_flow *f)
{
	struct flow_rd x = { store_drv(st), f, 0, 0 };
	struct store_val p[1];

	memset(f, 0, sizeof(*f));
	p[0] = SV_B(state_hash, STORE_HASH_BYTES);
	if (x.d->exec(c,
		"DELETE FROM oidc_flows WHERE state_hash = $1 RETURNING"
		" state_hash, provider, account_id, created_at, expires_at",
		p, 1, flow_row, &x) != 0 ||
	    x.bad)
		return -1;
	return x.n == 0 ? 1 : 0;
}

long
store_oidc_flow_purge(struct store *st, struct store_conn *c, int64_t now)
{
	struct store_val p[1];

	p[0] = SV_I(now);
	return store_exec_count(st, c,
	    "DELETE FROM oidc_flows WHERE expires_at <= $1 RETURNING 1", p, 1);
}

struct link_rd {
	const struct store_driver *d;
	struct store_oidc_link *l;
	long n;
	int bad;
};

static int
link_row(void *arg, const struct store_row *r)
{
	struct link_rd *x = arg;

	x->n++;
	if (store_row_copy_text(x->l->provider, sizeof(x->l->provider), x->d, r,
		0) != 0 ||
	    store_row_copy_text(x->l->sub_index, sizeof(x->l->sub_index), x->d,
		r, 1) != 0 ||
	    store_row_copy_text(x->l->account_id, sizeof(x->l->account_id),
		x->d, r, 2) != 0)
		x->bad = 1;
	x->l->created_at = x->d->row_int(r, 3);
	x->l->confirmed_at = x->d->row_int(r, 4);
	return 0;
}

int
store_oidc_link_get(struct store *st, struct store_conn *c,
    const char *provider, const char *sub_index, struct store_oidc_link *l)
{
	struct link_rd x = { store_drv(st), l, 0, 0 };
	struct store_val p[2];

	memset(l, 0, sizeof(*l));
	p[0] = SV_T(provider);
	p[1] = SV_T(sub_index);
	if (x.d->exec(c,
		"SELECT provider, sub_index, account_id, created_at,"
		" confirmed_at FROM oidc_links WHERE provider = $1"
		" AND sub_index = $2",
		p, 2, link_row, &x) != 0 ||
	    x.bad)
		return -1;
	return x.n == 0 ? 1 : 0;
}

int
store_oidc_link_propose(struct store *st, struct store_conn *c,
    const struct store_oidc_link *l)
{
	struct store_val p[4];
	long n;

	p[0] = SV_T(l->account_id);
	p[1] = SV_T(l->provider);
	p[2] = SV_T(l->sub_index);
	/* Taken: the subject by anyone (a waiting link of the same account
	 * is replaced below), or this provider by a confirmed link. */
	n = store_exec_count(st, c,
	    "SELECT 1 FROM oidc_links WHERE provider = $2 AND"
	    " ((sub_index = $3 AND (account_id <> $1 OR confirmed_at <> 0))"
	    " OR (account_id = $1 AND confirmed_at <> 0))",
	    p, 3);
	if (n != 0)
		return n < 0 ? -1 : 1;
	if (store_exec_count(st, c,
		"DELETE FROM oidc_links WHERE account_id = $1 AND"
		" provider = $2 RETURNING 1",
		p, 2) < 0)
		return -1;
	p[3] = SV_I(l->created_at);
	return store_drv(st)->exec(c,
	    "INSERT INTO oidc_links (account_id, provider, sub_index,"
	    " created_at, confirmed_at) VALUES ($1, $2, $3, $4, 0)",
	    p, 4, NULL, NULL);
}

int
store_oidc_link_confirm(struct store *st, struct store_conn *c,
    const char *account_id, const char *provider, int64_t since, int64_t now)
{
	struct store_val p[4];
	long n;

	p[0] = SV_T(account_id);
	p[1] = SV_T(provider);
	p[2] = SV_I(since);
	p[3] = SV_I(now);
	n = store_exec_count(st, c,
	    "UPDATE oidc_links SET confirmed_at = $4 WHERE account_id = $1"
	    " AND provider = $2 AND confirmed_at = 0 AND created_at > $3"
	    " RETURNING 1",
	    p, 4);
	return n < 0 ? -1 : n == 0 ? 1 : 0;
}

long
store_oidc_link_purge(struct store *st, struct store_conn *c, int64_t cutoff)
{
	struct store_val p[1];

	p[0] = SV_I(cutoff);
	return store_exec_count(st, c,
	    "DELETE FROM oidc_links WHERE confirmed_at = 0 AND"
	    " created_at <= $1 RETURNING 1",
	    p, 1);
}

int
store_oidc_session_set(struct store *st, struct store_conn *c,
    const unsigned char id_hash[STORE_HASH_BYTES], const char *provider,
    const struct store_blob *id_token)
{
	struct store_val p[3];
	long n;

	p[0] = SV_B(id_hash, STORE_HASH_BYTES);
	p[1] = SV_T(provider);
	p[2] = SV_B(id_token->p, id_token->len);
	n = store_exec_count(st, c,
	    "UPDATE sessions SET oidc_provider = $2, oidc_id_token = $3"
	    " WHERE id_hash = $1 RETURNING 1",
	    p, 3);
	return n < 0 ? -1 : n == 0 ? 1 : 0;
}

struct osess_rd {
	const struct store_driver *d;
	char *provider;
	struct store_blob *b;
	long n;
	int bad;
};

static int
osess_row(void *arg, const struct store_row *r)
{
	struct osess_rd *x = arg;
	const void *p;
	size_t n = 0;

	if (x->d->row_is_null(r, 0) || x->d->row_is_null(r, 1))
		return 0;
	x->n++;
	p = x->d->row_blob(r, 1, &n);
	if (store_row_copy_text(x->provider, STORE_OIDC_PROVIDER_MAX, x->d, r,
		0) != 0 ||
	    p == NULL || n == 0 || (x->b->p = malloc(n)) == NULL) {
		x->bad = 1;
		return 0;
	}
	memcpy(x->b->p, p, n);
	x->b->len = n;
	return 0;
}

int
store_oidc_session_get(struct store *st, struct store_conn *c,
    const unsigned char id_hash[STORE_HASH_BYTES],
    char provider[STORE_OIDC_PROVIDER_MAX], struct store_blob *id_token)
{
	struct osess_rd x = { store_drv(st), provider, id_token, 0, 0 };
	struct store_val p[1];

	provider[0] = '\0';
	id_token->p = NULL;
	id_token->len = 0;
	p[0] = SV_B(id_hash, STORE_HASH_BYTES);
	if (x.d->exec(c,
		"SELECT oidc_provider, oidc_id_token FROM sessions"
		" WHERE id_hash = $1",
		p, 1, osess_row, &x) != 0 ||
	    x.bad) {
		free(id_token->p);
		id_token->p = NULL;
		return -1;
	}
	return x.n == 0 ? 1 : 0;
}
