/* signup.c - « Créer un compte »: a link by email, then the account. */
#include "auth/signup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "auth/account.h"
#include "auth/password.h"
#include "auth/pwreset.h"
#include "auth/session.h"
#include "auth/throttle.h"
#include "core/log.h"
#include "crypto/field.h"
#include "gdpr/consent.h"
#include "notify/outbox.h"
#include "notify/texts.h"
#include "store/driver.h"
#include "store/oidc.h"
#include "store/signup.h"

#define SIGNUP_SUBJECT "Créer votre compte Créneau"
#define SIGNUP_TRIED_SUBJECT "Une inscription à Créneau avec votre adresse"

static const char dead_link[] =
    "token : ce lien n'est plus valable (déjà utilisé, expiré ou "
    "incomplet) : recommencez l'inscription";

/*
 * The key the address of a pending sign-up is sealed under: a keyed
 * BLAKE2b of the token, which only the emailed link holds (the stored
 * hash is the unkeyed hash of the token's bytes, so it does not give the
 * key away).
 */
static void
email_key(const char *token, struct data_key *k)
{
	static const unsigned char ctx[crypto_generichash_KEYBYTES] =
	    "creneau signup address key v1";

	crypto_generichash(k->k, sizeof(k->k), (const unsigned char *)token,
	    strlen(token), ctx, sizeof(ctx));
}

/* Request. */

struct request {
	const struct auth *a;
	const char *email;
	const char *ip;
	const char *base_url;
	int64_t now;
	char address_key[STORE_INDEX_MAX];
	char source_key[STORE_INDEX_MAX]; /* "" when no address */
	char email_index[BLIND_INDEX_HEX];
	int64_t wait;
};

/* Reads, checks and, with charge, counts one key; *wait grows to its
 * wait. */
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

/* Writes the email (tried: to the holder of an account; otherwise: the
 * link) with url into a new string, or NULL. */
static char *
compose(int tried_text, const char *url)
{
	static const char tried[] =
	    "Bonjour,\n\n"
	    "Quelqu'un (vous, sans doute) a demandé à créer un compte Créneau "
	    "avec cette adresse e-mail. Vous avez déjà un compte : aucun "
	    "autre n'a été créé.\n\n"
	    "Pour vous connecter, rendez-vous sur %s/ ; si vous avez oublié "
	    "votre mot de passe, choisissez « Mot de passe oublié ». Si vous "
	    "n'avez rien demandé, ignorez ce message : votre compte reste "
	    "inchangé.\n\n%s";
	static const char link[] =
	    "Bonjour,\n\n"
	    "Pour créer votre compte Créneau, ouvrez ce lien dans les 24 "
	    "heures ; vous y choisirez votre mot de passe :\n\n"
	    "%s\n\n"
	    "Ce lien ne sert qu'une fois. Si vous n'avez rien demandé, "
	    "ignorez ce message : aucun compte ne sera créé.\n\n%s";
	size_t n = (tried_text ? sizeof(tried) : sizeof(link)) + strlen(url) +
	    strlen(notify_text_footer);
	char *body = malloc(n);
	int w;

	if (body == NULL)
		return NULL;
	w = tried_text ? snprintf(body, n, tried, url, notify_text_footer)
		       : snprintf(body, n, link, url, notify_text_footer);
	if (w < 0 || (size_t)w >= n) {
		free(body);
		body = NULL;
	}
	return body;
}

static void
body_free(char *body)
{
	if (body != NULL) {
		sodium_memzero(body, strlen(body));
		free(body);
	}
}

/* The address has an account: its holder hears of the attempt, and is
 * shown the way to their account. */
static int
tell_holder(const struct request *r, struct store_conn *c,
    const struct store_account *acc)
{
	struct data_key k;
	char owner[AUTH_OWNER_MAX];
	char *to = NULL, *body = NULL;
	size_t tolen = 0;
	int rc = -1, have;

	if (auth_subject_owner(acc->id, owner) != 0 ||
	    (have = auth_key(r->a, owner, 0, &k)) < 0)
		return -1;
	if (have != 0 || acc->email.p == NULL ||
	    field_open(&k, "accounts", "email", acc->id, acc->email.p,
		acc->email.len, &to, &tolen) != 0) {
		rc = 0; /* nobody to write to */
		goto done;
	}
	if ((body = compose(1, r->base_url)) == NULL ||
	    outbox_enqueue(r->a, c, acc->id, to, SIGNUP_TRIED_SUBJECT, body,
		r->now) != 0)
		goto done;
	rc = auth_audit(r->a, c, r->now, NULL, "account.signup.existing",
	    acc->id, acc->org_id, r->ip, AUDIT_SUCCESS);
done:
	body_free(body);
	field_free(to, tolen);
	sodium_memzero(&k, sizeof(k));
	return rc;
}

/* The address has no account: a link. */
static int
send_link(const struct request *r, struct store_conn *c)
{
	struct store_signup rec;
	struct data_key k;
	unsigned char b[SESSION_TOKEN_BYTES];
	char token[SESSION_TOKEN_LEN], url[PWRESET_URL_MAX + 64];
	char *body = NULL;
	int rc = -1;

	memset(&rec, 0, sizeof(rec));
	randombytes_buf(b, sizeof(b));
	sodium_bin2base64(token, sizeof(token), b, sizeof(b),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	email_key(token, &k);
	if (session_token_hash(token, rec.token_hash) != 0 ||
	    (size_t)snprintf(url, sizeof(url), "%s/#inscription=%s",
		r->base_url, token) >= sizeof(url) ||
	    field_seal(&k, 1, "signups", "email", "signup", r->email,
		strlen(r->email), &rec.email.p, &rec.email.len) != 0)
		goto done;
	memcpy(rec.email_index, r->email_index, sizeof(r->email_index));
	rec.created_at = r->now;
	rec.expires_at = r->now + SIGNUP_LINK_MS;
	if ((body = compose(0, url)) == NULL ||
	    store_signup_put(r->a->st, c, &rec) != 0 ||
	    outbox_enqueue(r->a, c, NULL, r->email, SIGNUP_SUBJECT, body,
		r->now) != 0)
		goto done;
	rc = auth_audit(r->a, c, r->now, NULL, "account.signup.link", NULL,
	    AUTH_PEOPLE_ORG, r->ip, AUDIT_SUCCESS);
done:
	body_free(body);
	free(rec.email.p);
	sodium_memzero(b, sizeof(b));
	sodium_memzero(token, sizeof(token));
	sodium_memzero(url, sizeof(url));
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
	if (count_key(st, c, r->address_key, SIGNUP_ADDRESS_MAX, r->now, 0,
		&r->wait) != 0 ||
	    count_key(st, c, r->source_key, SIGNUP_SOURCE_MAX, r->now, 0,
		&r->wait) != 0)
		return -1;
	if (r->wait > 0)
		return 0;
	if (count_key(st, c, r->address_key, SIGNUP_ADDRESS_MAX, r->now, 1,
		&r->wait) != 0 ||
	    count_key(st, c, r->source_key, SIGNUP_SOURCE_MAX, r->now, 1,
		&r->wait) != 0)
		return -1;
	if ((rc = store_account_by_email(st, c, r->email_index, &acc)) < 0)
		return -1;
	rc = rc == 0 ? tell_holder(r, c, &acc) : send_link(r, c);
	store_account_clear(&acc);
	return rc;
}

int64_t
signup_request(const struct auth *a, const char *email, const char *ip,
    const char *base_url, int64_t now)
{
	struct request r;
	char ipkey[STORE_INDEX_MAX], trimmed[SIGNUP_EMAIL_MAX + 1];
	size_t b, e;
	int64_t rc = -1;

	memset(&r, 0, sizeof(r));
	/* The address as typed, only trimmed, as account_create keeps it. */
	b = strspn(email, " \t\r\n\v\f");
	e = strlen(email);
	while (e > b && strchr(" \t\r\n\v\f", email[e - 1]) != NULL)
		e--;
	if (e - b > SIGNUP_EMAIL_MAX)
		return -1;
	memcpy(trimmed, email + b, e - b);
	trimmed[e - b] = '\0';
	r.a = a;
	r.email = trimmed;
	r.ip = ip;
	r.base_url = base_url;
	r.now = now;
	if (auth_email_index(a, trimmed, r.email_index) != 0 ||
	    snprintf(r.address_key, sizeof(r.address_key), "signup:%s",
		r.email_index) >= (int)sizeof(r.address_key))
		goto done;
	if (throttle_key_ip(a, ip, ipkey) != 0 ||
	    (ipkey[0] != '\0' &&
		snprintf(r.source_key, sizeof(r.source_key), "signup-%s",
		    ipkey) >= (int)sizeof(r.source_key)))
		goto done;
	if (store_tx(a->st, 1, request_tx, &r) != 0)
		goto done;
	rc = r.wait;
done:
	if (rc < 0)
		log_errorx("%s: sign-up request could not be processed",
		    __func__);
	sodium_memzero(&r, sizeof(r));
	sodium_memzero(trimmed, sizeof(trimmed));
	return rc;
}

/* The link. */

/*
 * Reads the live sign-up of token at now and opens its address into
 * email (size bytes); hash receives the token's hash. Returns 0, 1 when
 * there is none, or -1.
 */
static int
live_signup(const struct auth *a, const char *token, const char *provider,
    int64_t now, unsigned char hash[STORE_HASH_BYTES], char *email, size_t size)
{
	struct store_conn *c = store_conn(a->st);
	struct store_signup rec;
	struct data_key k;
	char *pt = NULL;
	size_t n = 0;
	int rc;

	memset(&rec, 0, sizeof(rec));
	email[0] = '\0';
	if (token == NULL || session_token_hash(token, hash) != 0)
		return 1;
	if (c == NULL)
		return -1;
	if ((rc = store_signup_get(a->st, c, hash, &rec)) != 0)
		return rc;
	rc = 1;
	email_key(token, &k);
	/* An emailed link serves the email way only, a provider's sign-up
	 * that provider only. */
	if (strcmp(rec.provider, provider != NULL ? provider : "") == 0 &&
	    now < rec.expires_at && now >= rec.created_at &&
	    field_open(&k, "signups", "email", "signup", rec.email.p,
		rec.email.len, &pt, &n) == 0) {
		if (n < size) {
			memcpy(email, pt, n + 1);
			rc = 0;
		}
		field_free(pt, n);
	}
	sodium_memzero(&k, sizeof(k));
	store_signup_clear(&rec);
	return rc;
}

int
signup_check(const struct auth *a, const char *token, const char *provider,
    int64_t now, char *email, size_t size)
{
	unsigned char h[STORE_HASH_BYTES];
	int rc = live_signup(a, token, provider, now, h, email, size);

	sodium_memzero(h, sizeof(h));
	return rc;
}

struct complete {
	const struct auth *a;
	const char *provider; /* NULL: the email way */
	const unsigned char *token_hash;
	const char *version;
	const char *ip;
	int64_t now;
	char *why;
	size_t whylen;
};

/* The provider's subject of rec, linked to account id and confirmed (the
 * person confirmed by creating the account). Returns 0, 1 when the
 * subject got an account meanwhile (why), or -1. */
static int
link_provider(struct complete *x, struct store_conn *c, const char *id,
    const struct store_signup *rec)
{
	struct store_oidc_link l;
	int rc;

	memset(&l, 0, sizeof(l));
	snprintf(l.provider, sizeof(l.provider), "%s", rec->provider);
	snprintf(l.sub_index, sizeof(l.sub_index), "%s", rec->sub_index);
	snprintf(l.account_id, sizeof(l.account_id), "%s", id);
	l.created_at = x->now;
	if ((rc = store_oidc_link_propose(x->a->st, c, &l)) != 0) {
		if (rc > 0)
			snprintf(x->why, x->whylen, "%s", dead_link);
		return rc;
	}
	if (store_oidc_link_confirm(x->a->st, c, id, rec->provider, x->now - 1,
		x->now) != 0)
		return -1;
	return auth_audit(x->a, c, x->now, id, "auth.oidc.link_confirm", id,
	    AUTH_PEOPLE_ORG, x->ip, AUDIT_SUCCESS);
}

/* In the account's own transaction: the link goes, the policy read is
 * recorded, the sign-up audited. */
static int
complete_hook(void *arg, struct store_conn *c, const char *id)
{
	struct complete *x = arg;
	struct store_signup rec;
	int rc;

	memset(&rec, 0, sizeof(rec));
	rc = store_signup_take(x->a->st, c, x->token_hash, &rec);
	if (rc > 0) /* used meanwhile */
		snprintf(x->why, x->whylen, "%s", dead_link);
	if (rc == 0 && x->provider != NULL)
		rc = link_provider(x, c, id, &rec);
	if (rc == 0)
		rc = consent_acknowledge_tx(x->a, c, id, AUTH_PEOPLE_ORG,
			 x->version, x->now, x->ip) == 0 &&
			auth_audit(x->a, c, x->now, id,
			    x->provider != NULL ? "account.signup.oidc"
						: "account.signup",
			    id, AUTH_PEOPLE_ORG, x->ip, AUDIT_SUCCESS) == 0
		    ? 0
		    : -1;
	store_signup_clear(&rec);
	return rc;
}

/* Judges the password with the person's name and the local part of
 * their address as context words. Returns 0, or 1 with why. */
static int
check_password(const struct signup_in *in, const char *email, char *why,
    size_t whylen)
{
	char local[SIGNUP_EMAIL_MAX + 1], *at;
	const char *words[3] = { in->display_name, local, NULL };
	char rule[SIGNUP_WHY_MAX];
	int rc;

	snprintf(local, sizeof(local), "%s", email);
	if ((at = strchr(local, '@')) != NULL)
		*at = '\0';
	rc = password_check_strength(in->password, in->password_len, words,
	    rule, sizeof(rule));
	if (rc != 0)
		snprintf(why, whylen, "password : %s", rule);
	sodium_memzero(local, sizeof(local));
	return rc != 0 ? 1 : 0;
}

int
signup_complete(const struct auth *a, const struct signup_in *in,
    const char *ip, int64_t now, char id[AUTH_ID_HEX], char *why, size_t whylen)
{
	static const char *const roles[] = { "candidate", NULL };
	unsigned char th[STORE_HASH_BYTES], rnd[32];
	char email[SIGNUP_EMAIL_MAX + 1], hash[PASSWORD_HASH_BYTES];
	struct account_new acc;
	struct complete x;
	int rc;

	id[0] = '\0';
	hash[0] = '\0';
	if ((rc = live_signup(a, in->token, in->provider, now, th, email,
		 sizeof(email))) != 0) {
		if (rc > 0)
			snprintf(why, whylen, "%s", dead_link);
		goto done;
	}
	rc = 1;
	if (account_check_name(in->display_name, why, whylen) != 0)
		goto done;
	if (in->policy_version == NULL || in->policy_current == NULL ||
	    strcmp(in->policy_version, in->policy_current) != 0) {
		snprintf(why, whylen,
		    "policy_version : lisez la politique de confidentialité en "
		    "vigueur et confirmez l'avoir lue");
		goto done;
	}
	if (in->provider == NULL && check_password(in, email, why, whylen) != 0)
		goto done;
	rc = -1;
	if (in->provider != NULL) {
		/* Through the provider: a password nobody knows; « Mot de
		 * passe oublié » sets one when the person wants one. */
		randombytes_buf(rnd, sizeof(rnd));
		if (password_hash((const char *)rnd, sizeof(rnd), hash) != 0)
			goto done;
	} else if (password_hash(in->password, in->password_len, hash) != 0)
		goto done;
	memset(&x, 0, sizeof(x));
	x.a = a;
	x.provider = in->provider;
	x.token_hash = th;
	x.version = in->policy_version;
	x.ip = ip;
	x.now = now;
	x.why = why;
	x.whylen = whylen;
	acc.org_id = AUTH_PEOPLE_ORG;
	acc.email = email;
	acc.display_name = in->display_name;
	acc.roles = roles;
	rc = account_create_chosen(a, &acc, hash, complete_hook, &x, now, id,
	    why, whylen);
done:
	sodium_memzero(hash, sizeof(hash));
	sodium_memzero(th, sizeof(th));
	sodium_memzero(rnd, sizeof(rnd));
	sodium_memzero(email, sizeof(email));
	return rc;
}

/* A sign-up through a provider. */

struct oidc_pending {
	const struct auth *a;
	const char *provider, *sub_index, *email, *ip;
	int64_t now;
	char email_index[BLIND_INDEX_HEX];
	char *token;
	int exists;
};

static int
oidc_pending_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct oidc_pending *x = arg;
	struct store_account acc;
	struct store_signup rec;
	struct data_key k;
	unsigned char b[SESSION_TOKEN_BYTES];
	int rc;

	if ((rc = store_account_by_email(st, c, x->email_index, &acc)) < 0)
		return -1;
	store_account_clear(&acc);
	if (rc == 0) {
		/* The address has an account: its holder links the provider
		 * from it, signed in; none is made. */
		x->exists = 1;
		return auth_audit(x->a, c, x->now, NULL,
		    "account.signup.oidc_existing", NULL, AUTH_PEOPLE_ORG,
		    x->ip, AUDIT_DENIED);
	}
	memset(&rec, 0, sizeof(rec));
	randombytes_buf(b, sizeof(b));
	sodium_bin2base64(x->token, SESSION_TOKEN_LEN, b, sizeof(b),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(b, sizeof(b));
	email_key(x->token, &k);
	rc = -1;
	if (session_token_hash(x->token, rec.token_hash) != 0 ||
	    field_seal(&k, 1, "signups", "email", "signup", x->email,
		strlen(x->email), &rec.email.p, &rec.email.len) != 0)
		goto done;
	memcpy(rec.email_index, x->email_index, sizeof(x->email_index));
	snprintf(rec.provider, sizeof(rec.provider), "%s", x->provider);
	snprintf(rec.sub_index, sizeof(rec.sub_index), "%s", x->sub_index);
	rec.created_at = x->now;
	rec.expires_at = x->now + SIGNUP_OIDC_MS;
	if (store_signup_put(st, c, &rec) == 0)
		rc = auth_audit(x->a, c, x->now, NULL,
		    "account.signup.oidc_pending", NULL, AUTH_PEOPLE_ORG, x->ip,
		    AUDIT_SUCCESS);
done:
	free(rec.email.p);
	sodium_memzero(&k, sizeof(k));
	return rc;
}

int
signup_oidc_begin(const struct auth *a, const char *provider,
    const char *sub_index, const char *email, const char *ip, int64_t now,
    char token[SESSION_TOKEN_LEN])
{
	struct oidc_pending x;
	char why[SIGNUP_WHY_MAX];

	token[0] = '\0';
	memset(&x, 0, sizeof(x));
	x.a = a;
	x.provider = provider;
	x.sub_index = sub_index;
	x.email = email;
	x.ip = ip;
	x.now = now;
	x.token = token;
	if (account_check_email(email, why, sizeof(why)) != 0)
		return 2;
	if (auth_email_index(a, email, x.email_index) != 0 ||
	    store_tx(a->st, 1, oidc_pending_tx, &x) != 0) {
		sodium_memzero(token, SESSION_TOKEN_LEN);
		return -1;
	}
	return x.exists ? 1 : 0;
}

long
signup_purge(const struct auth *a, int64_t now)
{
	struct store_conn *c = store_conn(a->st);

	if (c == NULL)
		return -1;
	return store_signup_purge(a->st, c, now);
}
