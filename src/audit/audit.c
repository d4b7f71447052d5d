/* audit.c - appending to, verifying and purging the audit trail. */
#include "audit/audit.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/log.h"
#include "crypto/field.h"
#include "store/driver.h"

/* The domain separation prefix of every entry hash. */
static const char hash_domain[] = "creneau-audit-v1";

static const char *const outcome_names[] = { "success", "failure", "denied" };

static void
hash_bytes(crypto_generichash_state *h, const void *p, size_t n, int present)
{
	unsigned char len[4];
	uint32_t v = present ? (uint32_t)n : 0xffffffffu;

	len[0] = (unsigned char)(v >> 24);
	len[1] = (unsigned char)(v >> 16);
	len[2] = (unsigned char)(v >> 8);
	len[3] = (unsigned char)v;
	crypto_generichash_update(h, len, 4);
	if (present && n > 0)
		crypto_generichash_update(h, p, n);
}

static void
hash_text(crypto_generichash_state *h, const char *s)
{
	hash_bytes(h, s, s ? strlen(s) : 0, s != NULL);
}

static void
hash_int(crypto_generichash_state *h, int64_t v)
{
	unsigned char b[8];
	int i;

	for (i = 0; i < 8; i++)
		b[i] = (unsigned char)((uint64_t)v >> (56 - 8 * i));
	crypto_generichash_update(h, b, 8);
}

void
audit_row_hash(const struct audit_row *row, unsigned char out[AUDIT_HASH_BYTES])
{
	crypto_generichash_state h;

	crypto_generichash_init(&h, NULL, 0, AUDIT_HASH_BYTES);
	crypto_generichash_update(&h, (const unsigned char *)hash_domain,
	    sizeof(hash_domain) - 1);
	hash_int(&h, row->seq);
	hash_int(&h, row->at);
	hash_text(&h, row->actor);
	hash_text(&h, row->action);
	hash_text(&h, row->target_type);
	hash_text(&h, row->target_ids);
	hash_text(&h, row->org);
	hash_bytes(&h, row->ip, row->ip_len, row->ip != NULL);
	hash_text(&h, row->request_id);
	hash_text(&h, row->outcome);
	hash_bytes(&h, row->details, row->details_len, row->details != NULL);
	crypto_generichash_update(&h, row->prev_hash, AUDIT_HASH_BYTES);
	crypto_generichash_final(&h, out, AUDIT_HASH_BYTES);
}

/* Seals s for column of entry seq. Returns 0 (also for s NULL) or -1. */
static int
seal(const struct data_key *key, int64_t seq, const char *column, const char *s,
    unsigned char **out, size_t *outlen)
{
	char id[24];

	*out = NULL;
	*outlen = 0;
	if (s == NULL)
		return 0;
	if (key == NULL)
		return -1;
	snprintf(id, sizeof(id), "%" PRId64, seq);
	return field_seal(key, 1, "audit_log", column, id, s, strlen(s), out,
	    outlen);
}

int
audit_append(struct store *st, struct store_conn *c, const struct data_key *key,
    int64_t now_ms, const struct audit_entry *e, int64_t *seq)
{
	struct audit_row row;
	unsigned char *ip = NULL, *details = NULL;
	int64_t last;
	int rc = -1;

	if (e->action == NULL || (unsigned)e->outcome > AUDIT_DENIED)
		return -1;
	memset(&row, 0, sizeof(row));
	/* Inside the caller's write transaction: nobody else can append
	 * between this read and the insert. */
	if (store_audit_head(st, c, &last, row.prev_hash) != 0)
		goto done;
	row.seq = last + 1;
	row.at = now_ms;
	row.actor = e->actor;
	row.action = e->action;
	row.target_type = e->target_type;
	row.target_ids = e->target_ids;
	row.org = e->org;
	row.request_id = e->request_id;
	row.outcome = outcome_names[e->outcome];
	if (seal(key, row.seq, "ip", e->ip, &ip, &row.ip_len) != 0 ||
	    seal(key, row.seq, "details", e->details, &details,
		&row.details_len) != 0) {
		log_errorx("audit: cannot seal entry %" PRId64, row.seq);
		goto done;
	}
	row.ip = ip;
	row.details = details;
	audit_row_hash(&row, row.hash);
	if (store_audit_insert(st, c, &row) != 0)
		goto done;
	if (seq != NULL)
		*seq = row.seq;
	rc = 0;
done:
	free(ip);
	free(details);
	return rc;
}

struct record_arg {
	const struct data_key *key;
	int64_t now;
	const struct audit_entry *e;
};

static int
record_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct record_arg *a = arg;

	return audit_append(st, c, a->key, a->now, a->e, NULL);
}

int
audit_record(struct store *st, const struct data_key *key, int64_t now_ms,
    const struct audit_entry *e)
{
	struct record_arg a = { key, now_ms, e };

	return store_tx(st, 1, record_tx, &a);
}

struct walk {
	int64_t expect;
	unsigned char prev[AUDIT_HASH_BYTES];
	struct audit_verify_result *res;
	int bad;
};

static int
walk_row(void *arg, const struct audit_row *row)
{
	struct walk *w = arg;
	unsigned char h[AUDIT_HASH_BYTES];

	if (row->seq != w->expect) {
		snprintf(w->res->reason, sizeof(w->res->reason),
		    "entry %" PRId64 " is missing (next found: %" PRId64 ")",
		    w->expect, row->seq);
		w->res->first_bad = w->expect;
		w->bad = 1;
		return 1;
	}
	if (!row->prev_ok || !row->hash_ok ||
	    sodium_memcmp(row->prev_hash, w->prev, AUDIT_HASH_BYTES) != 0) {
		snprintf(w->res->reason, sizeof(w->res->reason),
		    "entry %" PRId64 " does not link to the entry before it",
		    row->seq);
		w->res->first_bad = row->seq;
		w->bad = 1;
		return 1;
	}
	audit_row_hash(row, h);
	if (sodium_memcmp(h, row->hash, AUDIT_HASH_BYTES) != 0) {
		snprintf(w->res->reason, sizeof(w->res->reason),
		    "entry %" PRId64 " was altered (its hash does not match)",
		    row->seq);
		w->res->first_bad = row->seq;
		w->bad = 1;
		return 1;
	}
	memcpy(w->prev, row->hash, AUDIT_HASH_BYTES);
	w->expect++;
	w->res->checked++;
	return 0;
}

/* The message a checkpoint signature covers. */
static void
checkpoint_message(int64_t last_seq, const unsigned char hash[AUDIT_HASH_BYTES],
    unsigned char out[8 + 20 + AUDIT_HASH_BYTES])
{
	int i;

	memcpy(out, "creneau-audit-ckpt-v1", 20);
	for (i = 0; i < 8; i++)
		out[20 + i] =
		    (unsigned char)((uint64_t)last_seq >> (56 - 8 * i));
	memcpy(out + 28, hash, AUDIT_HASH_BYTES);
}

static int
head_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct walk *w = arg;

	return store_audit_head(st, c, &w->expect, w->prev);
}

int
audit_verify(struct store *st, const unsigned char *pk,
    struct audit_verify_result *res)
{
	struct walk w;
	struct audit_filter f;
	unsigned char sig[crypto_sign_BYTES];
	unsigned char msg[8 + 20 + AUDIT_HASH_BYTES];
	struct walk head;
	int64_t ck_seq = 0;
	int rc;

	memset(res, 0, sizeof(*res));
	memset(&w, 0, sizeof(w));
	w.res = res;
	w.expect = 1;
	rc = store_audit_checkpoint(st, &ck_seq, w.prev, sig, sizeof(sig));
	if (rc < 0)
		return -1;
	if (rc == 0) {
		checkpoint_message(ck_seq, w.prev, msg);
		if (pk == NULL ||
		    crypto_sign_verify_detached(sig, msg, sizeof(msg), pk) !=
			0) {
			snprintf(res->reason, sizeof(res->reason),
			    "the checkpoint after entry %" PRId64
			    " does not carry a valid signature",
			    ck_seq);
			res->first_bad = ck_seq + 1;
			return 1;
		}
		w.expect = ck_seq + 1;
	}
	memset(&f, 0, sizeof(f));
	f.after_seq = ck_seq;
	if (store_audit_scan(st, &f, walk_row, &w) != 0)
		return -1;
	if (w.bad)
		return 1;
	/* The chain must end where the head says: rows cut off the end
	 * would otherwise go unnoticed. */
	memset(&head, 0, sizeof(head));
	if (store_tx(st, 0, head_tx, &head) != 0)
		return -1;
	if (head.expect != w.expect - 1 ||
	    (head.expect > 0 &&
		sodium_memcmp(head.prev, w.prev, AUDIT_HASH_BYTES) != 0)) {
		snprintf(res->reason, sizeof(res->reason),
		    "entries after %" PRId64
		    " are missing (the head is at %" PRId64 ")",
		    w.expect - 1, head.expect);
		res->first_bad = w.expect;
		return 1;
	}
	return 0;
}

struct purge_arg {
	const struct data_key *key;
	const unsigned char *sk;
	int64_t cutoff, now;
	long removed;
};

static int
purge_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct purge_arg *a = arg;
	unsigned char hash[AUDIT_HASH_BYTES], sig[crypto_sign_BYTES];
	unsigned char msg[8 + 20 + AUDIT_HASH_BYTES];
	char details[64];
	int64_t last;
	struct audit_entry e;
	int rc;

	rc = store_audit_last_before(st, c, a->cutoff, &last, hash);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		a->removed = 0;
		return 0;
	}
	checkpoint_message(last, hash, msg);
	crypto_sign_detached(sig, NULL, msg, sizeof(msg), a->sk);
	a->removed =
	    store_audit_purge(st, c, last, hash, a->now, sig, sizeof(sig));
	if (a->removed < 0)
		return -1;
	snprintf(details, sizeof(details), "{\"removed\":%ld}", a->removed);
	memset(&e, 0, sizeof(e));
	e.action = "audit.purge";
	e.outcome = AUDIT_SUCCESS;
	e.details = details;
	return audit_append(st, c, a->key, a->now, &e, NULL);
}

long
audit_purge(struct store *st, const struct data_key *key,
    const unsigned char *sk, int64_t cutoff_ms, int64_t now_ms)
{
	struct purge_arg a = { key, sk, cutoff_ms, now_ms, 0 };

	if (store_tx(st, 1, purge_tx, &a) != 0)
		return -1;
	return a.removed;
}

int
audit_open_sealed(const struct data_key *key, const struct audit_row *row,
    const char *column, char **out, size_t *outlen)
{
	char id[24];
	const unsigned char *ct =
	    strcmp(column, "ip") == 0 ? row->ip : row->details;
	size_t n = strcmp(column, "ip") == 0 ? row->ip_len : row->details_len;

	if (ct == NULL)
		return 1;
	snprintf(id, sizeof(id), "%" PRId64, row->seq);
	return field_open(key, "audit_log", column, id, ct, n, out, outlen);
}
