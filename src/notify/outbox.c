/* outbox.c - queueing emails with their change, and the delivery job. */
#include "notify/outbox.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "core/fsutil.h"
#include "core/log.h"
#include "crypto/field.h"
#include "store/driver.h"
#include "store/outbox.h"

/*
 * Which key seals an email: the recipient account's own key when the
 * email is tied to an account, so that erasing the person (destroying
 * that key) makes a pending email unreadable everywhere, backups
 * included; system:outbox only for emails tied to no account (the
 * confirmation of an erasure, sent after the person's key is gone).
 */
static void
key_owner(const char *account_id, char *out, size_t outlen)
{
	if (account_id != NULL && account_id[0] != '\0')
		snprintf(out, outlen, "subject:%s", account_id);
	else
		snprintf(out, outlen, "%s", OUTBOX_KEY_OWNER);
}

/* Seals text into column of email_outbox row id. */
static int
seal(const struct data_key *k, const char *column, const char *id,
    const char *text, unsigned char **out, size_t *outlen)
{
	return field_seal(k, 1, "email_outbox", column, id, text, strlen(text),
	    out, outlen);
}

int
outbox_enqueue(const struct auth *a, struct store_conn *c,
    const char *account_id, const char *to, const char *subject,
    const char *body, int64_t now)
{
	return outbox_enqueue_ics(a, c, account_id, to, subject, body, NULL,
	    now);
}

int
outbox_enqueue_ics(const struct auth *a, struct store_conn *c,
    const char *account_id, const char *to, const char *subject,
    const char *body, const char *ics, int64_t now)
{
	struct data_key k;
	unsigned char *r = NULL, *b = NULL, *att = NULL;
	size_t rlen = 0, blen = 0, alen = 0;
	char id[24], owner[STORE_OWNER_MAX];
	int64_t row;
	int rc = -1;

	key_owner(account_id, owner, sizeof(owner));
	if (to == NULL || to[0] == '\0' || subject == NULL || body == NULL ||
	    keystore_get(a->ks, owner, 1, &k) != 0)
		return -1;
	if (store_outbox_insert(a->st, c, account_id, subject, now, &row) != 0)
		goto done;
	snprintf(id, sizeof(id), "%" PRId64, row);
	if (seal(&k, "recipient", id, to, &r, &rlen) != 0 ||
	    seal(&k, "body", id, body, &b, &blen) != 0 ||
	    store_outbox_set_sealed(a->st, c, row, r, rlen, b, blen) != 0)
		goto done;
	if (ics != NULL &&
	    (seal(&k, "attachment", id, ics, &att, &alen) != 0 ||
		store_outbox_set_attachment(a->st, c, row, att, alen) != 0))
		goto done;
	rc = 0;
done:
	free(r);
	free(b);
	free(att);
	sodium_memzero(&k, sizeof(k));
	return rc;
}

int64_t
outbox_backoff_ms(int64_t attempts)
{
	int64_t d = OUTBOX_BACKOFF_FIRST_MS;

	while (attempts-- > 1 && d < OUTBOX_BACKOFF_MAX_MS)
		d *= 2;
	return d < OUTBOX_BACKOFF_MAX_MS ? d : OUTBOX_BACKOFF_MAX_MS;
}

/* The outcome of one attempt, recorded in its own transaction. */
struct outcome {
	int64_t id, attempts, now;
	int sent, give_up;
	const char *error;
	int rc; /* of the store function */
};

static int
outcome_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct outcome *o = arg;

	if (o->sent)
		o->rc = store_outbox_mark_sent(st, c, o->id, o->now);
	else if (o->give_up)
		o->rc = store_outbox_mark_failed(st, c, o->id, o->attempts,
		    o->now, o->error);
	else
		o->rc = store_outbox_mark_retry(st, c, o->id, o->attempts,
		    o->now + outbox_backoff_ms(o->attempts), o->error);
	return o->rc < 0 ? -1 : 0;
}

/* Opens the sealed address and body of o. Returns 0 or -1. */
static int
open_email(const struct data_key *k, const struct store_outbox *o, char **to,
    size_t *tolen, char **body, size_t *bodylen)
{
	char id[24];

	*to = *body = NULL;
	snprintf(id, sizeof(id), "%" PRId64, o->id);
	if (o->recipient.len == 0 || o->body.len == 0 ||
	    field_open(k, "email_outbox", "recipient", id, o->recipient.p,
		o->recipient.len, to, tolen) != 0)
		return -1;
	if (field_open(k, "email_outbox", "body", id, o->body.p, o->body.len,
		body, bodylen) != 0) {
		field_free(*to, *tolen);
		*to = NULL;
		return -1;
	}
	return 0;
}

/*
 * One attempt at email id. Returns 0 when sent, 1 when the attempt failed
 * (recorded), -1 when the store failed.
 */
static int
attempt(const struct auth *a, const struct smtp_config *smtp, int64_t id,
    int64_t now, struct outbox_result *res)
{
	struct store_conn *c = store_conn(a->st);
	struct store_outbox o;
	struct outcome out;
	struct data_key kk;
	const struct data_key *k = &kk;
	char *to = NULL, *body = NULL, *msg = NULL, *ics = NULL, err[160];
	char owner[STORE_OWNER_MAX], sid[24];
	size_t tolen = 0, bodylen = 0, msglen = 0, icslen = 0;
	int rc, have_key;

	memset(&o, 0, sizeof(o));
	if (c == NULL)
		return -1;
	if ((rc = store_outbox_get(a->st, c, id, &o)) != 0) {
		store_outbox_clear(&o);
		return rc < 0 ? -1 : 0; /* gone meanwhile: nothing to do */
	}
	memset(&out, 0, sizeof(out));
	out.id = id;
	out.now = now;
	out.attempts = o.attempts + 1;
	key_owner(o.account_id, owner, sizeof(owner));
	/* A destroyed key (the person was erased) will never come back. */
	if ((have_key = keystore_get(a->ks, owner, 0, &kk)) < 0) {
		store_outbox_clear(&o);
		return -1;
	}
	have_key = have_key == 0;
	snprintf(sid, sizeof(sid), "%" PRId64, o.id);
	if (!have_key || open_email(k, &o, &to, &tolen, &body, &bodylen) != 0 ||
	    (o.attachment.len > 0 &&
		field_open(k, "email_outbox", "attachment", sid, o.attachment.p,
		    o.attachment.len, &ics, &icslen) != 0)) {
		/* Nothing will make it readable later: give it up now. */
		out.give_up = 1;
		out.error = "adresse ou texte illisible";
	} else if (smtp_message_ics(smtp->from, to, o.subject, body, ics, now,
		       &msg, &msglen) != 0) {
		out.give_up = 1;
		out.error = "message impossible à composer";
	} else if (smtp_send(smtp, to, msg, msglen, err, sizeof(err)) != 0) {
		out.give_up = out.attempts >= OUTBOX_MAX_ATTEMPTS;
		out.error = err;
	} else
		out.sent = 1;
	if (msg != NULL) {
		sodium_memzero(msg, msglen);
		free(msg);
	}
	field_free(to, tolen);
	field_free(body, bodylen);
	field_free(ics, icslen);
	store_outbox_clear(&o);
	sodium_memzero(&kk, sizeof(kk));
	if (store_tx(a->st, 1, outcome_tx, &out) != 0)
		return -1;
	if (out.sent) {
		res->sent++;
		return 0;
	}
	if (out.give_up) {
		res->failed++;
		log_warnx("outbox: email %" PRId64 " given up after %" PRId64
			  " attempts: %s",
		    id, out.attempts, out.error);
	} else {
		res->deferred++;
		log_warnx("outbox: email %" PRId64 " not sent (attempt %" PRId64
			  "), next try in %" PRId64 " s: %s",
		    id, out.attempts, outbox_backoff_ms(out.attempts) / 1000,
		    out.error);
	}
	return 1;
}

int
outbox_deliver(const struct auth *a, const struct smtp_config *smtp,
    int64_t now, struct outbox_result *res)
{
	struct store_conn *c = store_conn(a->st);
	int64_t ids[OUTBOX_BATCH];
	size_t n = 0, i;
	int rc = 0;

	memset(res, 0, sizeof(*res));
	if (c == NULL ||
	    store_outbox_due(a->st, c, now, ids, OUTBOX_BATCH, &n) != 0)
		return -1;
	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		rc = attempt(a, smtp, ids[i], now, res);
		if (rc != 0)
			break;
	}
	return rc < 0 ? -1 : 0;
}

struct purge_arg {
	int64_t cutoff;
	long n;
};

static int
purge_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct purge_arg *p = arg;

	p->n = store_outbox_purge_before(st, c, p->cutoff);
	return p->n < 0 ? -1 : 0;
}

long
outbox_purge(const struct auth *a, int64_t cutoff)
{
	struct purge_arg p = { cutoff, 0 };

	if (store_tx(a->st, 1, purge_tx, &p) != 0)
		return -1;
	return p.n;
}

int
outbox_job_init(struct outbox_job *j, const struct auth *a,
    const struct config *cfg, char *err, size_t errlen)
{
	memset(j, 0, sizeof(*j));
	j->a = a;
	j->smtp.url = cfg->smtp_url;
	j->smtp.from = cfg->smtp_from;
	j->smtp.username = cfg->smtp_username;
	j->smtp.password = j->password;
	j->smtp.timeout_s = cfg->smtp_timeout;
	if (smtp_tls_parse(cfg->smtp_starttls, &j->smtp.starttls) != 0) {
		snprintf(err, errlen,
		    "[smtp] starttls: expected off, try or "
		    "required");
		return -1;
	}
	if (cfg->smtp_password_file[0] != '\0' &&
	    fs_read_secret(cfg->smtp_password_file, j->password,
		sizeof(j->password)) != 0) {
		snprintf(err, errlen, "[smtp] password_file: %s",
		    strerror(errno));
		return -1;
	}
	return 0;
}

void
outbox_job_clear(struct outbox_job *j)
{
	sodium_memzero(j->password, sizeof(j->password));
}

int
outbox_job(void *arg, int64_t now_ms)
{
	struct outbox_job *j = arg;
	struct outbox_result res;

	if (outbox_deliver(j->a, &j->smtp, now_ms, &res) != 0) {
		log_errorx("outbox: the queue could not be read or updated");
		return -1;
	}
	if (res.sent > 0 || res.failed > 0)
		log_info("outbox: %ld sent, %ld deferred, %ld given up",
		    res.sent, res.deferred, res.failed);
	return 0;
}
