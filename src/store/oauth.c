/* oauth.c (store) - SQL of the partner authorization server. */
#include "store/oauth.h"

#include <string.h>

#include "store/driver.h"

/* One reader for every row kind: fill says how to copy a row into out. */
struct rd {
	const struct store_driver *d;
	void *out;
	int (*fill)(const struct store_driver *d, const struct store_row *r,
	    void *out);
	int (*fn)(void *arg, const void *row); /* lists: NULL for one row */
	void *arg;
	long n;
	int bad;
};

static int
read_row(void *arg, const struct store_row *r)
{
	struct rd *x = arg;

	x->n++;
	if (x->fill(x->d, r, x->out) != 0) {
		x->bad = 1;
		return 1;
	}
	if (x->fn != NULL && x->fn(x->arg, x->out) != 0) {
		x->bad = 1;
		return 1;
	}
	return 0;
}

/* Copies a 32-byte hash column. */
static int
hash_of(const struct store_driver *d, const struct store_row *r, int col,
    unsigned char out[STORE_HASH_BYTES])
{
	size_t n = 0;
	const void *p = d->row_blob(r, col, &n);

	if (p == NULL || n != STORE_HASH_BYTES)
		return -1;
	memcpy(out, p, STORE_HASH_BYTES);
	return 0;
}

#define TXT(dst, col) store_row_copy_text((dst), sizeof(dst), d, r, (col))

/* Runs sql with p and reads at most one row into out. Returns 0, 1 when
 * no row came, or -1. */
static int
one(struct store *st, struct store_conn *c, const char *sql,
    const struct store_val *p, size_t np,
    int (*fill)(const struct store_driver *, const struct store_row *, void *),
    void *out, size_t size)
{
	struct rd x;

	memset(out, 0, size);
	x = (struct rd){ store_drv(st), out, fill, NULL, NULL, 0, 0 };
	if (x.d->exec(c, sql, p, np, read_row, &x) != 0 || x.bad)
		return -1;
	return x.n == 0 ? 1 : 0;
}

/* ---- clients ---- */

#define CLIENT_COLS                                                            \
	"id, name, secret_hash, redirect_uris, scopes, created_by,"            \
	" created_at, revoked_at"

static int
client_fill(const struct store_driver *d, const struct store_row *r, void *o)
{
	struct store_oauth_client *cl = o;

	memset(cl, 0, sizeof(*cl));
	if (TXT(cl->id, 0) != 0 || TXT(cl->name, 1) != 0 ||
	    hash_of(d, r, 2, cl->secret_hash) != 0 ||
	    TXT(cl->redirect_uris, 3) != 0 || TXT(cl->scopes, 4) != 0 ||
	    TXT(cl->created_by, 5) != 0)
		return -1;
	cl->created_at = d->row_int(r, 6);
	cl->revoked_at = d->row_is_null(r, 7) ? 0 : d->row_int(r, 7);
	return 0;
}

int
store_oauth_client_insert(struct store *st, struct store_conn *c,
    const struct store_oauth_client *cl)
{
	struct store_val p[7];

	p[0] = SV_T(cl->id);
	p[1] = SV_T(cl->name);
	p[2] = SV_B(cl->secret_hash, STORE_HASH_BYTES);
	p[3] = SV_T(cl->redirect_uris);
	p[4] = SV_T(cl->scopes);
	p[5] = SV_T(cl->created_by[0] ? cl->created_by : NULL);
	p[6] = SV_I(cl->created_at);
	return store_drv(st)->exec(c,
	    "INSERT INTO oauth_clients (id, name, secret_hash, redirect_uris,"
	    " scopes, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6,"
	    " $7)",
	    p, 7, NULL, NULL);
}

int
store_oauth_client_get(struct store *st, struct store_conn *c, const char *id,
    struct store_oauth_client *cl)
{
	struct store_val p[1] = { SV_T(id) };

	return one(st, c,
	    "SELECT " CLIENT_COLS " FROM oauth_clients WHERE id = $1", p, 1,
	    client_fill, cl, sizeof(*cl));
}

int
store_oauth_client_list(struct store *st, struct store_conn *c,
    int (*fn)(void *arg, const struct store_oauth_client *cl), void *arg)
{
	struct store_oauth_client cl;
	struct rd x = { store_drv(st), &cl, client_fill,
		(int (*)(void *, const void *))fn, arg, 0, 0 };

	if (x.d->exec(c,
		"SELECT " CLIENT_COLS
		" FROM oauth_clients ORDER BY created_at, id",
		NULL, 0, read_row, &x) != 0 ||
	    x.bad)
		return -1;
	return 0;
}

int
store_oauth_client_revoke(struct store *st, struct store_conn *c,
    const char *id, int64_t now)
{
	struct store_val p[2] = { SV_T(id), SV_I(now) };
	long n = store_exec_count(st, c,
	    "UPDATE oauth_clients SET revoked_at = $2 WHERE id = $1"
	    " AND revoked_at IS NULL RETURNING 1",
	    p, 2);

	return n < 0 ? -1 : n == 0 ? 1 : 0;
}

/* ---- pending consent requests ---- */

#define REQUEST_COLS                                                           \
	"id_hash, client_id, redirect_uri, scope, state, challenge,"           \
	" created_at, expires_at"

static int
request_fill(const struct store_driver *d, const struct store_row *r, void *o)
{
	struct store_oauth_request *q = o;

	if (hash_of(d, r, 0, q->id_hash) != 0 || TXT(q->client_id, 1) != 0 ||
	    TXT(q->redirect_uri, 2) != 0 || TXT(q->scope, 3) != 0 ||
	    TXT(q->state, 4) != 0 || TXT(q->challenge, 5) != 0)
		return -1;
	q->created_at = d->row_int(r, 6);
	q->expires_at = d->row_int(r, 7);
	return 0;
}

int
store_oauth_request_insert(struct store *st, struct store_conn *c,
    const struct store_oauth_request *q)
{
	struct store_val p[8];

	p[0] = SV_B(q->id_hash, STORE_HASH_BYTES);
	p[1] = SV_T(q->client_id);
	p[2] = SV_T(q->redirect_uri);
	p[3] = SV_T(q->scope);
	p[4] = SV_T(q->state[0] ? q->state : NULL);
	p[5] = SV_T(q->challenge);
	p[6] = SV_I(q->created_at);
	p[7] = SV_I(q->expires_at);
	return store_drv(st)->exec(c,
	    "INSERT INTO oauth_requests (" REQUEST_COLS
	    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
	    p, 8, NULL, NULL);
}

int
store_oauth_request_get(struct store *st, struct store_conn *c,
    const unsigned char id_hash[STORE_HASH_BYTES],
    struct store_oauth_request *q)
{
	struct store_val p[1] = { SV_B(id_hash, STORE_HASH_BYTES) };

	return one(st, c,
	    "SELECT " REQUEST_COLS " FROM oauth_requests WHERE id_hash = $1", p,
	    1, request_fill, q, sizeof(*q));
}

int
store_oauth_request_take(struct store *st, struct store_conn *c,
    const unsigned char id_hash[STORE_HASH_BYTES],
    struct store_oauth_request *q)
{
	struct store_val p[1] = { SV_B(id_hash, STORE_HASH_BYTES) };

	return one(st, c,
	    "DELETE FROM oauth_requests WHERE id_hash = $1"
	    " RETURNING " REQUEST_COLS,
	    p, 1, request_fill, q, sizeof(*q));
}

/* ---- codes ---- */

#define CODE_COLS                                                              \
	"code_hash, client_id, account_id, org_id, redirect_uri, scope,"       \
	" challenge, created_at, expires_at, grant_id"

static int
code_fill(const struct store_driver *d, const struct store_row *r, void *o)
{
	struct store_oauth_code *k = o;

	if (hash_of(d, r, 0, k->code_hash) != 0 || TXT(k->client_id, 1) != 0 ||
	    TXT(k->account_id, 2) != 0 || TXT(k->org_id, 3) != 0 ||
	    TXT(k->redirect_uri, 4) != 0 || TXT(k->scope, 5) != 0 ||
	    TXT(k->challenge, 6) != 0 || TXT(k->grant_id, 9) != 0)
		return -1;
	k->created_at = d->row_int(r, 7);
	k->expires_at = d->row_int(r, 8);
	return 0;
}

int
store_oauth_code_insert(struct store *st, struct store_conn *c,
    const struct store_oauth_code *k)
{
	struct store_val p[9];

	p[0] = SV_B(k->code_hash, STORE_HASH_BYTES);
	p[1] = SV_T(k->client_id);
	p[2] = SV_T(k->account_id);
	p[3] = SV_T(k->org_id);
	p[4] = SV_T(k->redirect_uri);
	p[5] = SV_T(k->scope);
	p[6] = SV_T(k->challenge);
	p[7] = SV_I(k->created_at);
	p[8] = SV_I(k->expires_at);
	return store_drv(st)->exec(c,
	    "INSERT INTO oauth_codes (code_hash, client_id, account_id, org_id,"
	    " redirect_uri, scope, challenge, created_at, expires_at) VALUES"
	    " ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
	    p, 9, NULL, NULL);
}

int
store_oauth_code_get(struct store *st, struct store_conn *c,
    const unsigned char code_hash[STORE_HASH_BYTES], struct store_oauth_code *k)
{
	struct store_val p[1] = { SV_B(code_hash, STORE_HASH_BYTES) };

	return one(st, c,
	    "SELECT " CODE_COLS " FROM oauth_codes WHERE code_hash = $1", p, 1,
	    code_fill, k, sizeof(*k));
}

int
store_oauth_code_mark_used(struct store *st, struct store_conn *c,
    const unsigned char code_hash[STORE_HASH_BYTES], const char *grant_id)
{
	struct store_val p[2] = { SV_B(code_hash, STORE_HASH_BYTES),
		SV_T(grant_id) };
	long n = store_exec_count(st, c,
	    "UPDATE oauth_codes SET grant_id = $2 WHERE code_hash = $1"
	    " AND grant_id IS NULL RETURNING 1",
	    p, 2);

	return n < 0 ? -1 : n == 0 ? 1 : 0;
}

/* ---- grants ---- */

#define GRANT_COLS                                                             \
	"g.id, g.client_id, cl.name, g.account_id, g.org_id, g.scope,"         \
	" g.created_at, g.last_used_at, g.revoked_at, g.revoked_reason"

static int
grant_fill(const struct store_driver *d, const struct store_row *r, void *o)
{
	struct store_oauth_grant *g = o;

	memset(g, 0, sizeof(*g));
	if (TXT(g->id, 0) != 0 || TXT(g->client_id, 1) != 0 ||
	    TXT(g->client_name, 2) != 0 || TXT(g->account_id, 3) != 0 ||
	    TXT(g->org_id, 4) != 0 || TXT(g->scope, 5) != 0 ||
	    TXT(g->revoked_reason, 9) != 0)
		return -1;
	g->created_at = d->row_int(r, 6);
	g->last_used_at = d->row_int(r, 7);
	g->revoked_at = d->row_is_null(r, 8) ? 0 : d->row_int(r, 8);
	return 0;
}

int
store_oauth_grant_insert(struct store *st, struct store_conn *c,
    const struct store_oauth_grant *g)
{
	struct store_val p[7];

	p[0] = SV_T(g->id);
	p[1] = SV_T(g->client_id);
	p[2] = SV_T(g->account_id);
	p[3] = SV_T(g->org_id);
	p[4] = SV_T(g->scope);
	p[5] = SV_I(g->created_at);
	p[6] = SV_I(g->last_used_at);
	return store_drv(st)->exec(c,
	    "INSERT INTO oauth_grants (id, client_id, account_id, org_id,"
	    " scope, created_at, last_used_at) VALUES ($1, $2, $3, $4, $5,"
	    " $6, $7)",
	    p, 7, NULL, NULL);
}

int
store_oauth_grant_get(struct store *st, struct store_conn *c, const char *id,
    struct store_oauth_grant *g)
{
	struct store_val p[1] = { SV_T(id) };

	return one(st, c,
	    "SELECT " GRANT_COLS " FROM oauth_grants g JOIN oauth_clients cl"
	    " ON cl.id = g.client_id WHERE g.id = $1",
	    p, 1, grant_fill, g, sizeof(*g));
}

int
store_oauth_grant_touch(struct store *st, struct store_conn *c, const char *id,
    int64_t now)
{
	struct store_val p[2] = { SV_T(id), SV_I(now) };

	return store_drv(st)->exec(c,
	    "UPDATE oauth_grants SET last_used_at = $2 WHERE id = $1", p, 2,
	    NULL, NULL);
}

int
store_oauth_grant_revoke(struct store *st, struct store_conn *c, const char *id,
    const char *reason, int64_t now)
{
	struct store_val p[3] = { SV_T(id), SV_I(now), SV_T(reason) };
	long n = store_exec_count(st, c,
	    "UPDATE oauth_grants SET revoked_at = $2, revoked_reason = $3"
	    " WHERE id = $1 AND revoked_at IS NULL RETURNING 1",
	    p, 3);

	if (n < 0 ||
	    store_drv(st)->exec(c,
		"DELETE FROM oauth_tokens WHERE grant_id = $1", p, 1, NULL,
		NULL) != 0)
		return -1;
	return n == 0 ? 1 : 0;
}

long
store_oauth_grant_revoke_account(struct store *st, struct store_conn *c,
    const char *account_id, const char *reason, int64_t now)
{
	struct store_val p[3] = { SV_T(account_id), SV_I(now), SV_T(reason) };
	long n;

	if (store_drv(st)->exec(c,
		"DELETE FROM oauth_tokens WHERE grant_id IN (SELECT id FROM"
		" oauth_grants WHERE account_id = $1)",
		p, 1, NULL, NULL) != 0)
		return -1;
	n = store_exec_count(st, c,
	    "UPDATE oauth_grants SET revoked_at = $2, revoked_reason = $3"
	    " WHERE account_id = $1 AND revoked_at IS NULL RETURNING 1",
	    p, 3);
	return n;
}

int
store_oauth_grant_list(struct store *st, struct store_conn *c,
    const char *account_id, const char *client_id,
    int (*fn)(void *arg, const struct store_oauth_grant *g), void *arg)
{
	struct store_oauth_grant g;
	struct rd x = { store_drv(st), &g, grant_fill,
		(int (*)(void *, const void *))fn, arg, 0, 0 };
	struct store_val p[1] = { SV_T(account_id ? account_id : client_id) };

	if (x.d->exec(c,
		account_id != NULL
		    ? "SELECT " GRANT_COLS
		      " FROM oauth_grants g JOIN oauth_clients cl"
		      " ON cl.id = g.client_id WHERE g.account_id = $1"
		      " AND g.revoked_at IS NULL ORDER BY g.created_at DESC,"
		      " g.id"
		    : "SELECT " GRANT_COLS
		      " FROM oauth_grants g JOIN oauth_clients cl"
		      " ON cl.id = g.client_id WHERE g.client_id = $1"
		      " AND g.revoked_at IS NULL ORDER BY g.created_at DESC,"
		      " g.id",
		p, 1, read_row, &x) != 0 ||
	    x.bad)
		return -1;
	return 0;
}

/* ---- tokens ---- */

static int
token_fill(const struct store_driver *d, const struct store_row *r, void *o)
{
	struct store_oauth_token *t = o;
	const char *kind;

	if (hash_of(d, r, 0, t->token_hash) != 0 || TXT(t->grant_id, 1) != 0)
		return -1;
	kind = d->row_text(r, 2);
	t->refresh = kind != NULL && strcmp(kind, "refresh") == 0;
	t->created_at = d->row_int(r, 3);
	t->expires_at = d->row_int(r, 4);
	t->used_at = d->row_is_null(r, 5) ? 0 : d->row_int(r, 5);
	return 0;
}

int
store_oauth_token_insert(struct store *st, struct store_conn *c,
    const struct store_oauth_token *t)
{
	struct store_val p[5];

	p[0] = SV_B(t->token_hash, STORE_HASH_BYTES);
	p[1] = SV_T(t->grant_id);
	p[2] = SV_T(t->refresh ? "refresh" : "access");
	p[3] = SV_I(t->created_at);
	p[4] = SV_I(t->expires_at);
	return store_drv(st)->exec(c,
	    "INSERT INTO oauth_tokens (token_hash, grant_id, kind, created_at,"
	    " expires_at) VALUES ($1, $2, $3, $4, $5)",
	    p, 5, NULL, NULL);
}

int
store_oauth_token_get(struct store *st, struct store_conn *c,
    const unsigned char token_hash[STORE_HASH_BYTES],
    struct store_oauth_token *t)
{
	struct store_val p[1] = { SV_B(token_hash, STORE_HASH_BYTES) };

	return one(st, c,
	    "SELECT token_hash, grant_id, kind, created_at, expires_at, used_at"
	    " FROM oauth_tokens WHERE token_hash = $1",
	    p, 1, token_fill, t, sizeof(*t));
}

int
store_oauth_token_mark_used(struct store *st, struct store_conn *c,
    const unsigned char token_hash[STORE_HASH_BYTES], int64_t now)
{
	struct store_val p[2] = { SV_B(token_hash, STORE_HASH_BYTES),
		SV_I(now) };
	long n = store_exec_count(st, c,
	    "UPDATE oauth_tokens SET used_at = $2 WHERE token_hash = $1"
	    " AND kind = 'refresh' AND used_at IS NULL RETURNING 1",
	    p, 2);

	return n < 0 ? -1 : n == 0 ? 1 : 0;
}

int
store_oauth_token_delete(struct store *st, struct store_conn *c,
    const unsigned char token_hash[STORE_HASH_BYTES])
{
	struct store_val p[1] = { SV_B(token_hash, STORE_HASH_BYTES) };
	long n = store_exec_count(st, c,
	    "DELETE FROM oauth_tokens WHERE token_hash = $1 RETURNING 1", p, 1);

	return n < 0 ? -1 : n == 0 ? 1 : 0;
}

long
store_oauth_purge(struct store *st, struct store_conn *c, int64_t now,
    int64_t keep_ms)
{
	struct store_val p[1] = { SV_I(now) };
	struct store_val q[2] = { SV_I(now), SV_I(now - keep_ms) };
	long a, b, t, g;

	a = store_exec_count(st, c,
	    "DELETE FROM oauth_requests WHERE expires_at <= $1 RETURNING 1", p,
	    1);
	b = store_exec_count(st, c,
	    "DELETE FROM oauth_codes WHERE expires_at <= $1 RETURNING 1", p, 1);
	t = store_exec_count(st, c,
	    "DELETE FROM oauth_tokens WHERE expires_at <= $1 RETURNING 1", p,
	    1);
	g = store_exec_count(st, c,
	    "DELETE FROM oauth_grants WHERE created_at <= $2 AND"
	    " (revoked_at IS NOT NULL OR NOT EXISTS (SELECT 1 FROM"
	    " oauth_tokens t WHERE t.grant_id = oauth_grants.id AND"
	    " t.expires_at > $1)) RETURNING 1",
	    q, 2);
	if (a < 0 || b < 0 || t < 0 || g < 0)
		return -1;
	return a + b + t + g;
}
