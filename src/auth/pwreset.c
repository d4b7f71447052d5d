/* pwreset.c - « Mot de passe oublié »: links by email, then a new
 * password. */
#include "auth/pwreset.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "auth/account.h"
#include "auth/oauth.h"
#include "auth/password.h"
#include "auth/session.h"
#include "auth/throttle.h"
#include "core/buf.h"
#include "core/log.h"
#include "crypto/field.h"
#include "notify/notify.h"
#include "notify/outbox.h"
#include "notify/texts.h"
#include "store/driver.h"
#include "store/pwreset.h"

#define PWRESET_SUBJECT "Choisir un nouveau mot de passe Créneau"

int64_t
pwreset_wait_ms(const struct store_throttle *t, long max, int64_t now)
{
	if (t->day_start <= 0 || now >= t->day_start + PWRESET_WINDOW_MS ||
	    now < t->day_start)
		return 0;
	if (t->day_failures < max)
		return 0;
	return t->day_start + PWRESET_WINDOW_MS - now;
}

void
pwreset_charge(struct store_throttle *t, int64_t now)
{
	if (t->day_start <= 0 || now >= t->day_start + PWRESET_WINDOW_MS ||
	    now < t->day_start) {
		t->day_start = now;
		t->day_failures = 0;
	}
	t->day_failures++;
	t->last_failure_at = now;
}

/* Request. */

struct request {
	const struct auth *a;
	const char *ip;
	const char *base_url;
	int64_t now;
	char account_key[STORE_INDEX_MAX]; /* "" when the email is invalid */
	char source_key[STORE_INDEX_MAX]; /* "" when no address */
	char email_index[BLIND_INDEX_HEX];
	int64_t wait;
};

/* Reads, checks and charges one counter; *wait grows to its wait. */
static int
count_key(struct store *st, struct store_conn *c, const char *key, long max,
    int64_t now, int charge, int64_t *wait)
{
	struct store_throttle t;
	int64_t w;

	if (key[0] == '\0')
		return 0;
	if (store_throttle_get(st, c, key, &t) < 0)
		return -1;
	w = pwreset_wait_ms(&t, max, now);
	if (w > *wait)
		*wait = w;
	if (!charge)
		return 0;
	pwreset_charge(&t, now);
	return store_throttle_put(st, c, key, &t);
}

/* The email: where to go and what to do if one asked nothing. */
static char *
link_email(const char *base_url, const char *token)
{
	static const char text[] =
	    "Bonjour,\n\n"
	    "Quelqu'un (vous, sans doute) a demandé à choisir un nouveau mot "
	    "de passe pour votre compte Créneau. Pour le faire, ouvrez ce "
	    "lien dans les 30 minutes :\n\n"
	    "%s/#reinitialisation=%s\n\n"
	    "Ce lien ne sert qu'une fois. Si vous n'avez rien demandé, "
	    "ignorez ce message : votre mot de passe reste inchangé.\n\n%s";
	size_t n = sizeof(text) + strlen(base_url) + strlen(token) +
	    strlen(notify_text_footer);
	char *body = malloc(n);

	if (body != NULL &&
	    (size_t)snprintf(body, n, text, base_url, token,
		notify_text_footer) >= n) {
		free(body);
		body = NULL;
	}
	return body;
}

/* Makes a link for acc and queues its email, in the transaction c. */
static int
send_link(const struct request *r, struct store_conn *c,
    const struct store_account *acc)
{
	struct store_pwreset rec;
	struct data_key k;
	unsigned char b[SESSION_TOKEN_BYTES];
	char owner[AUTH_OWNER_MAX], token[SESSION_TOKEN_LEN];
	char *to = NULL, *body = NULL;
	size_t tolen = 0;
	int rc = -1, have;

	memset(&rec, 0, sizeof(rec));
	if (auth_subject_owner(acc->id, owner) != 0 ||
	    (have = auth_key(r->a, owner, 0, &k)) < 0)
		goto done;
	/* No key or no readable address: there is nobody to write to. */
	if (have != 0 || acc->email.p == NULL ||
	    field_open(&k, "accounts", "email", acc->id, acc->email.p,
		acc->email.len, &to, &tolen) != 0) {
		rc = 0;
		goto done;
	}
	randombytes_buf(b, sizeof(b));
	sodium_bin2base64(token, sizeof(token), b, sizeof(b),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	if (session_token_hash(token, rec.token_hash) != 0)
		goto done;
	memcpy(rec.account_id, acc->id, sizeof(rec.account_id));
	rec.created_at = r->now;
	rec.expires_at = r->now + PWRESET_LINK_MS;
	if ((body = link_email(r->base_url, token)) == NULL ||
	    store_pwreset_insert(r->a->st, c, &rec) != 0 ||
	    outbox_enqueue(r->a, c, acc->id, to, PWRESET_SUBJECT, body,
		r->now) != 0)
		goto done;
	rc = auth_audit(r->a, c, r->now, NULL, "account.password.reset_link",
	    acc->id, acc->org_id, r->ip, AUDIT_SUCCESS);
done:
	if (body != NULL) {
		sodium_memzero(body, strlen(body));
		free(body);
	}
	field_free(to, tolen);
	sodium_memzero(b, sizeof(b));
	sodium_memzero(token, sizeof(token));
	sodium_memzero(&k, sizeof(k));
	return rc;
}

static int
request_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct request *r = arg;
	struct store_account acc;
	int rc;

	r->wait = 0;
	if (count_key(st, c, r->account_key, PWRESET_ACCOUNT_MAX, r->now, 0,
		&r->wait) != 0 ||
	    count_key(st, c, r->source_key, PWRESET_SOURCE_MAX, r->now, 0,
		&r->wait) != 0)
		return -1;
	if (r->wait > 0)
		return 0;
	if (count_key(st, c, r->account_key, PWRESET_ACCOUNT_MAX, r->now, 1,
		&r->wait) != 0 ||
	    count_key(st, c, r->source_key, PWRESET_SOURCE_MAX, r->now, 1,
		&r->wait) != 0)
		return -1;
	if (r->email_index[0] == '\0')
		return 0;
	if ((rc = store_account_by_email(st, c, r->email_index, &acc)) != 0)
		return rc < 0 ? -1 : 0;
	rc = acc.disabled ? 0 : send_link(r, c, &acc);
	store_account_clear(&acc);
	return rc;
}

int64_t
pwreset_request(const struct auth *a, const char *email, const char *ip,
    const char *base_url, int64_t now)
{
	struct request r;
	char ipkey[STORE_INDEX_MAX];
	int64_t rc = -1;

	memset(&r, 0, sizeof(r));
	r.a = a;
	r.ip = ip;
	r.base_url = base_url;
	r.now = now;
	/* The same keys for an unknown address as for a known one. */
	if (auth_email_index(a, email, r.email_index) == 0 &&
	    snprintf(r.account_key, sizeof(r.account_key), "pwreset:%s",
		r.email_index) >= (int)sizeof(r.account_key))
		goto done;
	if (throttle_key_ip(a, ip, ipkey) != 0 ||
	    (ipkey[0] != '\0' &&
		snprintf(r.source_key, sizeof(r.source_key), "pwreset-%s",
		    ipkey) >= (int)sizeof(r.source_key)))
		goto done;
	if (store_tx(a->st, 1, request_tx, &r) != 0)
		goto done;
	rc = r.wait;
done:
	if (rc < 0)
		log_errorx("%s: password reset request could not be processed",
		    __func__);
	sodium_memzero(&r, sizeof(r));
	return rc;
}

/* Completion. */

struct complete {
	const struct auth *a;
	const unsigned char *token_hash;
	const char *hash;
	const char *ip;
	int64_t now;
	int gone; /* the link was used meanwhile */
};

static int
complete_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct complete *x = arg;
	struct notice n = { "account.password_changed", NULL };
	struct store_pwreset rec;
	struct store_account acc;
	int rc;

	memset(&rec, 0, sizeof(rec));
	if ((rc = store_pwreset_take(st, c, x->token_hash, &rec)) != 0) {
		x->gone = rc > 0;
		return rc < 0 ? -1 : 0;
	}
	if (x->now >= rec.expires_at ||
	    (rc = store_account_get(st, c, rec.account_id, &acc)) != 0) {
		x->gone = 1;
		return rc < 0 ? -1 : 0;
	}
	rc = -1;
	if (acc.disabled) {
		x->gone = 1;
		rc = 0;
	} else if (store_account_set_password(st, c, acc.id, x->hash, 0,
		       x->now) == 0 &&
	    session_end_all_tx(x->a, c, acc.id, NULL) >= 0 &&
	    oauth_end_all_tx(x->a, c, acc.id, x->now) >= 0 &&
	    notify_account(x->a, c, acc.id, acc.org_id, &n, x->now) == 0)
		rc = auth_audit(x->a, c, x->now, acc.id,
		    "account.password.reset_by_link", acc.id, acc.org_id, x->ip,
		    AUDIT_SUCCESS);
	store_account_clear(&acc);
	return rc;
}

/* Reads the live link of token and its account; 1 when there is none. */
static int
live_link(const struct auth *a, const unsigned char hash[STORE_HASH_BYTES],
    int64_t now, struct store_account *acc)
{
	struct store_conn *c = store_conn(a->st);
	struct store_pwreset rec;
	int rc;

	memset(&rec, 0, sizeof(rec));
	if (c == NULL)
		return -1;
	if ((rc = store_pwreset_get(a->st, c, hash, &rec)) != 0)
		return rc;
	if (now >= rec.expires_at || now < rec.created_at)
		return 1;
	if ((rc = store_account_get(a->st, c, rec.account_id, acc)) != 0)
		return rc;
	return acc->disabled ? 1 : 0;
}

int
pwreset_complete(const struct auth *a, const char *token,
    const char *new_password, size_t new_len, const char *ip, int64_t now,
    char *why, size_t whylen)
{
	static const char dead[] =
	    "token : ce lien n'est plus valable (déjà utilisé, expiré ou "
	    "incomplet) : demandez-en un nouveau";
	unsigned char th[STORE_HASH_BYTES];
	char hash[PASSWORD_HASH_BYTES];
	struct store_account acc;
	struct complete x;
	int rc;

	memset(&acc, 0, sizeof(acc));
	hash[0] = '\0';
	if (token == NULL || session_token_hash(token, th) != 0) {
		snprintf(why, whylen, "%s", dead);
		return 1;
	}
	if ((rc = live_link(a, th, now, &acc)) != 0) {
		if (rc > 0)
			snprintf(why, whylen, "%s", dead);
		goto done;
	}
	if ((rc = account_check_new_password(a, &acc, new_password, new_len,
		 why, whylen)) != 0)
		goto done;
	rc = -1;
	if (password_hash(new_password, new_len, hash) != 0)
		goto done;
	memset(&x, 0, sizeof(x));
	x.a = a;
	x.token_hash = th;
	x.hash = hash;
	x.ip = ip;
	x.now = now;
	if (store_tx(a->st, 1, complete_tx, &x) != 0)
		goto done;
	rc = 0;
	if (x.gone) {
		snprintf(why, whylen, "%s", dead);
		rc = 1;
	}
done:
	sodium_memzero(hash, sizeof(hash));
	sodium_memzero(th, sizeof(th));
	store_account_clear(&acc);
	return rc;
}

long
pwreset_purge(const struct auth *a, int64_t now)
{
	struct store_conn *c = store_conn(a->st);

	if (c == NULL)
		return -1;
	return store_pwreset_purge(a->st, c, now);
}
