/* audit.c (store) - SQL for the audit trail. */
#include "store/audit.h"

#include <stdio.h>
#include <string.h>

#include "store/driver.h"

struct head {
	const struct store_driver *d;
	int64_t seq;
	unsigned char *hash;
	int found;
};

static int
copy_hash(unsigned char out[AUDIT_HASH_BYTES], const struct store_driver *d,
    const struct store_row *r, int col)
{
	size_t n;
	const void *p = d->row_blob(r, col, &n);

	if (p == NULL || n != AUDIT_HASH_BYTES)
		return 0;
	memcpy(out, p, AUDIT_HASH_BYTES);
	return 1;
}

static int
head_row(void *arg, const struct store_row *r)
{
	struct head *h = arg;

	h->seq = h->d->row_int(r, 0);
	h->found = copy_hash(h->hash, h->d, r, 1);
	return 1;
}

int
store_audit_head(struct store *st, struct store_conn *c, int64_t *seq,
    unsigned char hash[AUDIT_HASH_BYTES])
{
	struct head h = { store_drv(st), 0, hash, 0 };

	memset(hash, 0, AUDIT_HASH_BYTES);
	if (h.d->exec(c, "SELECT seq, hash FROM audit_head WHERE id = 1", NULL,
		0, head_row, &h) != 0)
		return -1;
	*seq = h.found ? h.seq : 0;
	if (!h.found)
		memset(hash, 0, AUDIT_HASH_BYTES);
	return 0;
}

int
store_audit_insert(struct store *st, struct store_conn *c,
    const struct audit_row *row)
{
	const struct store_driver *d = store_drv(st);
	struct store_val p[13];

	p[0] = SV_I(row->seq);
	p[1] = SV_I(row->at);
	p[2] = SV_T(row->actor);
	p[3] = SV_T(row->action);
	p[4] = SV_T(row->target_type);
	p[5] = SV_T(row->target_ids);
	p[6] = SV_T(row->org);
	p[7] = row->ip ? SV_B(row->ip, row->ip_len) : SV_T(NULL);
	p[8] = SV_T(row->request_id);
	p[9] = SV_T(row->outcome);
	p[10] =
	    row->details ? SV_B(row->details, row->details_len) : SV_T(NULL);
	p[11] = SV_B(row->prev_hash, AUDIT_HASH_BYTES);
	p[12] = SV_B(row->hash, AUDIT_HASH_BYTES);
	if (d->exec(c,
		"INSERT INTO audit_log (seq, at, actor, action, target_type,"
		" target_ids, org, ip, request_id, outcome, details, prev_hash,"
		" hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11,"
		" $12, $13)",
		p, 13, NULL, NULL) != 0)
		return -1;
	p[0] = SV_I(row->seq);
	p[1] = SV_B(row->hash, AUDIT_HASH_BYTES);
	return d->exec(c,
	    "INSERT INTO audit_head (id, seq, hash) VALUES (1, $1, $2)"
	    " ON CONFLICT (id) DO UPDATE SET seq = excluded.seq,"
	    " hash = excluded.hash",
	    p, 2, NULL, NULL);
}

struct scan {
	const struct store_driver *d;
	store_audit_fn fn;
	void *arg;
	int stopped;
};

static const char *
text_or_null(const struct store_driver *d, const struct store_row *r, int col)
{
	return d->row_is_null(r, col) ? NULL : d->row_text(r, col);
}

static int
scan_row(void *arg, const struct store_row *r)
{
	struct scan *s = arg;
	const struct store_driver *d = s->d;
	struct audit_row row;
	const void *b;

	memset(&row, 0, sizeof(row));
	row.seq = d->row_int(r, 0);
	row.at = d->row_int(r, 1);
	row.actor = text_or_null(d, r, 2);
	row.action = text_or_null(d, r, 3);
	row.target_type = text_or_null(d, r, 4);
	row.target_ids = text_or_null(d, r, 5);
	row.org = text_or_null(d, r, 6);
	if (!d->row_is_null(r, 7)) {
		b = d->row_blob(r, 7, &row.ip_len);
		row.ip = b ? b : (const unsigned char *)"";
	}
	row.request_id = text_or_null(d, r, 8);
	row.outcome = text_or_null(d, r, 9);
	if (!d->row_is_null(r, 10)) {
		b = d->row_blob(r, 10, &row.details_len);
		row.details = b ? b : (const unsigned char *)"";
	}
	row.prev_ok = copy_hash(row.prev_hash, d, r, 11);
	row.hash_ok = copy_hash(row.hash, d, r, 12);
	if (s->fn(s->arg, &row) != 0) {
		s->stopped = 1;
		return 1;
	}
	return 0;
}

int
store_audit_scan(struct store *st, const struct audit_filter *f,
    store_audit_fn fn, void *arg)
{
	struct store_conn *c = store_conn(st);
	struct scan s = { store_drv(st), fn, arg, 0 };
	struct store_val p[9];

	if (c == NULL)
		return -1;
	p[8] = SV_T(f->org);
	p[0] = SV_T(f->actor);
	p[1] = SV_T(f->action);
	p[2] = SV_T(f->target_type);
	p[3] = SV_T(f->target_id);
	p[4] = SV_I(f->since_ms);
	p[5] = SV_I(f->until_ms > 0 ? f->until_ms : INT64_MAX);
	p[6] = SV_I(f->after_seq);
	/* No limit: the largest one (PostgreSQL refuses LIMIT -1). */
	p[7] = SV_I(f->limit > 0 ? f->limit : INT64_MAX);
	/* target_ids is a comma-separated list; the commas around it make
	 * "12" not match "112". instr() is SQLite's, strpos() PostgreSQL's.
	 */
	return s.d->exec(c,
	    s.d->dialect == DIALECT_POSTGRES
		? "SELECT seq, at, actor, action, target_type, target_ids,"
		  " org, ip, request_id, outcome, details, prev_hash, hash"
		  " FROM audit_log"
		  " WHERE ($1 IS NULL OR actor = $1)"
		  " AND ($2 IS NULL OR action = $2)"
		  " AND ($3 IS NULL OR target_type = $3)"
		  " AND ($4 IS NULL OR strpos(',' || target_ids || ',',"
		  "  ',' || $4 || ',') > 0)"
		  " AND at >= $5 AND at <= $6 AND seq > $7"
		  " AND ($9 IS NULL OR org = $9)"
		  " ORDER BY seq LIMIT $8"
		: "SELECT seq, at, actor, action, target_type, target_ids,"
		  " org, ip, request_id, outcome, details, prev_hash, hash"
		  " FROM audit_log"
		  " WHERE ($1 IS NULL OR actor = $1)"
		  " AND ($2 IS NULL OR action = $2)"
		  " AND ($3 IS NULL OR target_type = $3)"
		  " AND ($4 IS NULL OR instr(',' || target_ids || ',',"
		  "  ',' || $4 || ',') > 0)"
		  " AND at >= $5 AND at <= $6 AND seq > $7"
		  " AND ($9 IS NULL OR org = $9)"
		  " ORDER BY seq LIMIT $8",
	    p, 9, scan_row, &s);
}

struct ckpt {
	const struct store_driver *d;
	int found;
	int64_t seq;
	unsigned char *hash;
	unsigned char *sig;
	size_t siglen;
};

static int
ckpt_row(void *arg, const struct store_row *r)
{
	struct ckpt *k = arg;
	size_t n;
	const void *s;

	k->seq = k->d->row_int(r, 0);
	k->found = copy_hash(k->hash, k->d, r, 1) ? 1 : -1;
	s = k->d->row_blob(r, 2, &n);
	if (s == NULL || n != k->siglen)
		k->found = -1;
	else
		memcpy(k->sig, s, n);
	return 1;
}

int
store_audit_checkpoint(struct store *st, int64_t *last_seq,
    unsigned char last_hash[AUDIT_HASH_BYTES], unsigned char *sig,
    size_t siglen)
{
	struct store_conn *c = store_conn(st);
	struct ckpt k = { store_drv(st), 0, 0, last_hash, sig, siglen };

	if (c == NULL ||
	    k.d->exec(c,
		"SELECT last_seq, last_hash, signature FROM audit_checkpoints"
		" ORDER BY last_seq DESC LIMIT 1",
		NULL, 0, ckpt_row, &k) != 0)
		return -1;
	if (k.found < 0)
		return -1;
	if (!k.found)
		return 1;
	*last_seq = k.seq;
	return 0;
}

struct count {
	const struct store_driver *d;
	int64_t n;
};

static int
count_row(void *arg, const struct store_row *r)
{
	struct count *k = arg;

	k->n = k->d->row_int(r, 0);
	return 1;
}

long
store_audit_purge(struct store *st, struct store_conn *c, int64_t last_seq,
    const unsigned char last_hash[AUDIT_HASH_BYTES], int64_t at,
    const unsigned char *sig, size_t siglen)
{
	const struct store_driver *d = store_drv(st);
	struct store_val p[5];
	struct count k = { d, 0 };

	p[0] = SV_I(last_seq);
	if (d->exec(c, "SELECT COUNT(*) FROM audit_log WHERE seq <= $1", p, 1,
		count_row, &k) != 0)
		return -1;
	if (d->exec(c, "UPDATE audit_gate SET purging = 1 WHERE id = 1", NULL,
		0, NULL, NULL) != 0 ||
	    d->exec(c, "DELETE FROM audit_log WHERE seq <= $1", p, 1, NULL,
		NULL) != 0 ||
	    d->exec(c, "UPDATE audit_gate SET purging = 0 WHERE id = 1", NULL,
		0, NULL, NULL) != 0)
		return -1;
	p[0] = SV_I(last_seq);
	p[1] = SV_B(last_hash, AUDIT_HASH_BYTES);
	p[2] = SV_I(at);
	p[3] = SV_I(k.n);
	p[4] = SV_B(sig, siglen);
	if (d->exec(c,
		"INSERT INTO audit_checkpoints (last_seq, last_hash, at, purged,"
		" signature) VALUES ($1, $2, $3, $4, $5)",
		p, 5, NULL, NULL) != 0)
		return -1;
	return (long)k.n;
}

int
store_audit_last_before(struct store *st, struct store_conn *c,
    int64_t cutoff_ms, int64_t *seq, unsigned char hash[AUDIT_HASH_BYTES])
{
	struct head h = { store_drv(st), 0, hash, 0 };
	struct store_val p[1];

	p[0] = SV_I(cutoff_ms);
	/* The purge removes a prefix: stop at the first entry that is
	 * recent enough, even if an older one follows it (clock steps). */
	if (h.d->exec(c,
		"SELECT seq, hash FROM audit_log WHERE seq < COALESCE("
		" (SELECT MIN(seq) FROM audit_log WHERE at >= $1),"
		" (SELECT MAX(seq) + 1 FROM audit_log))"
		" ORDER BY seq DESC LIMIT 1",
		p, 1, head_row, &h) != 0)
		return -1;
	if (!h.found)
		return 1;
	*seq = h.seq;
	return 0;
}
