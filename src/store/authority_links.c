/* authority_links.c (store) - SQL of remote mode's links. */
#include "store/authority_links.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "store/driver.h"

void
store_authority_link_clear(struct store_authority_link *l)
{
	if (l == NULL)
		return;
	store_blob_wipe(&l->access_token);
	store_blob_wipe(&l->refresh_token);
	sodium_memzero(l, sizeof(*l));
}

int
store_authority_link_put(struct store *st, struct store_conn *c,
    const struct store_authority_link *l)
{
	struct store_val p[8] = {
		SV_T(l->account_id),
		SV_T(l->org_id),
		SV_B(l->access_token.p, l->access_token.len),
		SV_B(l->refresh_token.p, l->refresh_token.len),
		SV_I(l->access_expires_at),
		SV_T(l->scope),
		SV_I(l->linked_at),
		SV_I(l->refreshed_at),
	};

	return store_drv(st)->exec(c,
	    "INSERT INTO authority_links (account_id, org_id, access_token,"
	    " refresh_token, access_expires_at, scope, linked_at,"
	    " refreshed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
	    " ON CONFLICT (account_id) DO UPDATE SET org_id = $2,"
	    " access_token = $3, refresh_token = $4, access_expires_at = $5,"
	    " scope = $6, linked_at = $7, refreshed_at = $8",
	    p, 8, NULL, NULL);
}

struct link_read {
	const struct store_driver *d;
	struct store_authority_link *out;
	int found, bad;
};

static int
read_link(void *arg, const struct store_row *r)
{
	struct link_read *x = arg;
	const struct store_driver *d = x->d;
	struct store_authority_link *l = x->out;

	x->found = 1;
	l->access_expires_at = d->row_int(r, 4);
	l->linked_at = d->row_int(r, 6);
	l->refreshed_at = d->row_int(r, 7);
	if (store_row_copy_text(l->account_id, sizeof(l->account_id), d, r,
		0) != 0 ||
	    store_row_copy_text(l->org_id, sizeof(l->org_id), d, r, 1) != 0 ||
	    store_row_copy_blob(d, r, 2, &l->access_token) != 0 ||
	    store_row_copy_blob(d, r, 3, &l->refresh_token) != 0 ||
	    store_row_copy_text(l->scope, sizeof(l->scope), d, r, 5) != 0)
		x->bad = 1;
	return 1;
}

int
store_authority_link_get(struct store *st, struct store_conn *c,
    const char *account_id, struct store_authority_link *out)
{
	struct store_val p[1] = { SV_T(account_id) };
	struct link_read x = { store_drv(st), out, 0, 0 };

	memset(out, 0, sizeof(*out));
	if (store_drv(st)->exec(c,
		"SELECT account_id, org_id, access_token, refresh_token,"
		" access_expires_at, scope, linked_at, refreshed_at"
		" FROM authority_links WHERE account_id = $1",
		p, 1, read_link, &x) != 0 ||
	    x.bad) {
		store_authority_link_clear(out);
		return -1;
	}
	return x.found ? 0 : 1;
}

int
store_authority_link_delete(struct store *st, struct store_conn *c,
    const char *account_id)
{
	struct store_val p[1] = { SV_T(account_id) };

	return store_exec_changed(st, c,
	    "DELETE FROM authority_links WHERE account_id = $1"
	    " RETURNING account_id",
	    p, 1);
}

int
store_authority_request_insert(struct store *st, struct store_conn *c,
    const struct store_authority_request *r)
{
	struct store_val p[6] = {
		SV_B(r->state_hash, STORE_HASH_BYTES),
		SV_T(r->account_id),
		SV_T(r->org_id),
		SV_B(r->verifier.p, r->verifier.len),
		SV_I(r->created_at),
		SV_I(r->expires_at),
	};

	return store_drv(st)->exec(c,
	    "INSERT INTO authority_link_requests (state_hash, account_id,"
	    " org_id, verifier, created_at, expires_at)"
	    " VALUES ($1, $2, $3, $4, $5, $6)",
	    p, 6, NULL, NULL);
}

struct request_read {
	const struct store_driver *d;
	struct store_authority_request *out;
	int found, bad;
};

static int
read_request(void *arg, const struct store_row *r)
{
	struct request_read *x = arg;
	struct store_authority_request *q = x->out;

	x->found = 1;
	q->created_at = x->d->row_int(r, 3);
	q->expires_at = x->d->row_int(r, 4);
	if (store_row_copy_text(q->account_id, sizeof(q->account_id), x->d, r,
		0) != 0 ||
	    store_row_copy_text(q->org_id, sizeof(q->org_id), x->d, r, 1) !=
		0 ||
	    store_row_copy_blob(x->d, r, 2, &q->verifier) != 0)
		x->bad = 1;
	return 1;
}

int
store_authority_request_take(struct store *st, struct store_conn *c,
    const unsigned char state_hash[STORE_HASH_BYTES],
    struct store_authority_request *out)
{
	struct store_val p[1] = { SV_B(state_hash, STORE_HASH_BYTES) };
	struct request_read x = { store_drv(st), out, 0, 0 };

	memset(out, 0, sizeof(*out));
	memcpy(out->state_hash, state_hash, STORE_HASH_BYTES);
	if (store_drv(st)->exec(c,
		"DELETE FROM authority_link_requests WHERE state_hash = $1"
		" RETURNING account_id, org_id, verifier, created_at,"
		" expires_at",
		p, 1, read_request, &x) != 0 ||
	    x.bad) {
		store_blob_wipe(&out->verifier);
		return -1;
	}
	return x.found ? 0 : 1;
}

long
store_authority_request_sweep(struct store *st, struct store_conn *c,
    int64_t now)
{
	struct store_val p[1] = { SV_I(now) };

	return store_exec_count(st, c,
	    "DELETE FROM authority_link_requests WHERE expires_at <= $1"
	    " RETURNING 1",
	    p, 1);
}
