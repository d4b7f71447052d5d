/* appt_guest.c (service) - booking an appointment without an account:
 * the emailed link that verifies the address, the confirmation, the
 * manage link that cancels, and the record an account takes over. */
#include "service/appt_guest.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "audit/audit.h"
#include "auth/pwreset.h"
#include "auth/session.h"
#include "auth/throttle.h"
#include "crypto/field.h"
#include "crypto/keystore.h"
#include "notify/notify.h"
#include "notify/outbox.h"
#include "notify/texts.h"
#include "service/appt_online.h"
#include "store/appt_guest.h"
#include "store/driver.h"

#define GUEST_SUBJECT "Confirmez votre rendez-vous"
#define URL_MAX 700
#define GUEST_ACTOR "" /* no account acts: the person through their link */

/*
 * The key a request's details are sealed under: a keyed BLAKE2b of the
 * token, which only the emailed link holds (the stored hash is the
 * unkeyed hash of the token, so it does not give the key away), as
 * auth/signup.c seals a pending address.
 */
static void
details_key(const char *token, struct data_key *k)
{
	static const unsigned char ctx[crypto_generichash_KEYBYTES] =
	    "creneau appt guest details v1";

	crypto_generichash(k->k, sizeof(k->k), (const unsigned char *)token,
	    strlen(token), ctx, sizeof(ctx));
}

/* A new token (256 random bits, base64url) and its hash. */
static int
new_token(char token[SESSION_TOKEN_LEN], unsigned char hash[STORE_HASH_BYTES])
{
	unsigned char b[SESSION_TOKEN_BYTES];

	randombytes_buf(b, sizeof(b));
	sodium_bin2base64(token, SESSION_TOKEN_LEN, b, sizeof(b),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(b, sizeof(b));
	return session_token_hash(token, hash);
}

static int
result(int *code, int rc)
{
	*code = rc;
	return rc == APPT_OK ? 0 : rc < 0 ? -1 : 1;
}

static int
audit_guest(const struct svc *s, struct store_conn *c,
    const struct svc_actor *who, const char *org, const char *action,
    const char *type, int64_t id, const char *details, int64_t now)
{
	struct audit_entry e;
	char ids[24];

	memset(&e, 0, sizeof(e));
	snprintf(ids, sizeof(ids), "%lld", (long long)id);
	e.actor = who->account_id != NULL && who->account_id[0] != '\0'
	    ? who->account_id
	    : NULL;
	e.org = org;
	e.ip = who->ip;
	e.request_id = who->request_id;
	e.action = action;
	e.target_type = type;
	e.target_ids = ids;
	e.outcome = AUDIT_SUCCESS;
	e.details = details;
	return audit_append(s->a->st, c, s->a->audit_key, now, &e, NULL);
}

/* The request. */

struct request_tx {
	const struct svc *s;
	const struct svc_actor *who;
	const char *hold_token;
	const struct svc_appt_guest_in *in;
	int64_t now, wait;
	char address_key[STORE_INDEX_MAX], source_key[STORE_INDEX_MAX];
	char email_index[STORE_INDEX_MAX];
	struct appt_error *err;
	int code;
};

/* Reads, checks and, with charge, counts one key (the hourly window of
 * self sign-up); *wait grows to its wait. */
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

/* The details as sealed JSON under the token's key into rec. */
static int
seal_details(const struct svc_appt_guest_in *in, const char *token,
    struct store_appt_guest *rec)
{
	struct data_key k;
	json_t *o;
	char *text;
	int rc = -1;

	o = json_pack("{s:s, s:s, s:s, s:s}", "last_name", in->last_name,
	    "first_names", in->first_names, "email", in->email, "phone",
	    in->phone != NULL ? in->phone : "");
	if (o == NULL || (text = json_dumps(o, JSON_COMPACT)) == NULL) {
		json_decref(o);
		return -1;
	}
	json_decref(o);
	details_key(token, &k);
	rc = field_seal(&k, 1, "appt_guest_requests", "details", "guest", text,
	    strlen(text), &rec->details.p, &rec->details.len);
	sodium_memzero(&k, sizeof(k));
	sodium_memzero(text, strlen(text));
	free(text);
	return rc;
}

static int
request(struct request_tx *t, struct store *st, struct store_conn *c)
{
	struct store_appt_hold h;
	struct store_appt_guest rec;
	struct svc_appt_summary sum;
	char token[SESSION_TOKEN_LEN], url[URL_MAX], body[4096], ack[160];
	int64_t until;
	int rc;

	/* The privacy notice the person ticked, and its version: what an
	 * account's acknowledgement records, kept here in the audit trail
	 * (the person has no account to hold it). */
	{
		json_t *o = json_pack("{s:b, s:s}", "privacy_ack", 1,
		    "policy_version",
		    t->in->policy_version != NULL ? t->in->policy_version : "");
		size_t n = o != NULL
		    ? json_dumpb(o, ack, sizeof(ack) - 1, JSON_COMPACT)
		    : 0;

		json_decref(o);
		if (n == 0 || n >= sizeof(ack) - 1)
			return -1;
		ack[n] = '\0';
	}
	t->wait = 0;
	if (count_key(st, c, t->address_key, APPT_GUEST_ADDRESS_MAX, t->now, 0,
		&t->wait) != 0 ||
	    count_key(st, c, t->source_key, APPT_GUEST_SOURCE_MAX, t->now, 0,
		&t->wait) != 0)
		return -1;
	if (t->wait > 0)
		return APPT_OK;
	if (count_key(st, c, t->address_key, APPT_GUEST_ADDRESS_MAX, t->now, 1,
		&t->wait) != 0 ||
	    count_key(st, c, t->source_key, APPT_GUEST_SOURCE_MAX, t->now, 1,
		&t->wait) != 0)
		return -1;
	if ((rc = svc_appt_hold_find_in(t->s, c, t->hold_token, &h)) < 0)
		return -1;
	if (rc == 1 || h.expires_at <= t->now)
		return appt_error_set(t->err, APPT_RESERVATION_EXPIREE,
		    "hold_token", NULL);
	/* The person now has to open their mailbox: the slot waits. */
	until = t->now + APPT_GUEST_HOLD_MS;
	if (until < h.expires_at)
		until = h.expires_at;
	if (store_appt_hold_extend(st, c, h.id, until) != 0 ||
	    svc_appt_summary(t->s, c, h.org_id, h.motif_id, h.place_id,
		h.start_at, &sum) != 0)
		return -1;
	memset(&rec, 0, sizeof(rec));
	rc = -1;
	if (new_token(token, rec.token_hash) != 0 ||
	    (size_t)snprintf(url, sizeof(url), "%s/#/rendez-vous/confirmer/%s",
		svc_appt_public_url(), token) >= sizeof(url) ||
	    seal_details(t->in, token, &rec) != 0)
		goto done;
	rec.hold_id = h.id;
	snprintf(rec.org_id, sizeof(rec.org_id), "%s", h.org_id);
	snprintf(rec.email_index, sizeof(rec.email_index), "%s",
	    t->email_index);
	rec.created_at = t->now;
	rec.expires_at = until;
	snprintf(body, sizeof(body),
	    "Bonjour,\n\n"
	    "Pour confirmer votre rendez-vous, ouvrez ce lien dans les 30 "
	    "minutes :\n\n%s\n\n"
	    "Motif : %s\nDate : le %s (heure de Paris)\nLieu : %s\n\n"
	    "Le créneau vous est réservé jusque-là ; ce lien ne sert qu'une "
	    "fois. Si vous n'avez rien demandé, ignorez ce message : aucun "
	    "rendez-vous ne sera pris.\n\n%s",
	    url, sum.motif, sum.when, sum.place, notify_text_footer);
	if (store_appt_guest_put(st, c, &rec) != 0 ||
	    outbox_enqueue(t->s->a, c, NULL, t->in->email, GUEST_SUBJECT, body,
		t->now) != 0 ||
	    audit_guest(t->s, c, t->who, h.org_id, "appointment.guest.request",
		"appt_hold", h.id, ack, t->now) != 0)
		goto done;
	rc = APPT_OK;
done:
	store_appt_guest_clear(&rec);
	sodium_memzero(token, sizeof(token));
	sodium_memzero(url, sizeof(url));
	sodium_memzero(body, sizeof(body));
	return rc;
}

static int
request_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct request_tx *t = arg;

	return result(&t->code, request(t, st, c));
}

/* The fields as a record's, checked as an agent's creation is. */
static void
user_in(const struct svc_appt_guest_in *g, struct svc_appt_user_in *in)
{
	memset(in, 0, sizeof(*in));
	in->f[AUF_LAST_NAME] = g->last_name;
	in->f[AUF_FIRST_NAMES] = g->first_names;
	in->f[AUF_EMAIL] = g->email;
	in->f[AUF_PHONE] = g->phone;
}

int
svc_appt_guest_request(const struct svc *s, const struct svc_actor *who,
    const char *hold_token, const struct svc_appt_guest_in *in, int64_t now,
    int64_t *wait, struct appt_error *err)
{
	struct svc_appt_user_in u;
	struct request_tx t;
	char ipkey[STORE_INDEX_MAX];
	int rc;

	*wait = 0;
	user_in(in, &u);
	if ((rc = svc_appt_user_check(&u, err)) != APPT_OK)
		return rc;
	if (in->email == NULL || in->email[0] == '\0')
		return appt_error_set(err, APPT_PARAMETRE_INVALIDE, "email",
		    "est obligatoire : le lien de confirmation y est envoyé");
	if (!in->privacy_ack)
		return appt_error_set(err, APPT_PARAMETRE_INVALIDE,
		    "privacy_ack",
		    "confirmez avoir lu la notice d'information sur vos "
		    "données");
	memset(&t, 0, sizeof(t));
	t.s = s;
	t.who = who;
	t.hold_token = hold_token;
	t.in = in;
	t.now = now;
	t.err = err;
	rc = -1;
	if (svc_appt_user_email_index(s, in->email, t.email_index) != 0 ||
	    snprintf(t.address_key, sizeof(t.address_key), "appt-guest:%s",
		t.email_index) >= (int)sizeof(t.address_key) ||
	    throttle_key_ip(s->a, who->ip, ipkey) != 0 ||
	    (ipkey[0] != '\0' &&
		snprintf(t.source_key, sizeof(t.source_key), "appt-guest-%s",
		    ipkey) >= (int)sizeof(t.source_key)))
		goto done;
	if (store_tx(s->a->st, 1, request_tx, &t) < 0 || t.code < 0)
		goto done;
	*wait = t.wait;
	rc = t.code;
done:
	sodium_memzero(&t, sizeof(t));
	return rc;
}

/* The link. */

/* Opens rec's details with token into the strings of o (a JSON object
 * the caller frees) and in. Returns 0 or -1. */
static int
open_details(const char *token, const struct store_appt_guest *rec, json_t **o,
    struct svc_appt_user_in *in)
{
	struct data_key k;
	char *pt = NULL;
	size_t n = 0;
	int rc;

	*o = NULL;
	details_key(token, &k);
	rc = field_open(&k, "appt_guest_requests", "details", "guest",
	    rec->details.p, rec->details.len, &pt, &n);
	sodium_memzero(&k, sizeof(k));
	if (rc != 0)
		return -1;
	*o = json_loadb(pt, n, 0, NULL);
	field_free(pt, n);
	if (*o == NULL)
		return -1;
	memset(in, 0, sizeof(*in));
	in->f[AUF_LAST_NAME] =
	    json_string_value(json_object_get(*o, "last_name"));
	in->f[AUF_FIRST_NAMES] =
	    json_string_value(json_object_get(*o, "first_names"));
	in->f[AUF_EMAIL] = json_string_value(json_object_get(*o, "email"));
	in->f[AUF_PHONE] = json_string_value(json_object_get(*o, "phone"));
	return 0;
}

/* Empties the strings of o (jansson gives them read-only) and frees
 * it. */
static void
details_free(json_t *o)
{
	const char *key;
	json_t *v;

	json_object_foreach (o, key, v) {
		if (json_is_string(v))
			json_string_set(v, "");
	}
	json_decref(o);
}

struct view_tx {
	const struct svc *s;
	const char *token;
	int64_t now;
	struct svc_appt_guest_view *out;
	int code;
};

static int
org_name(struct store *st, struct store_conn *c, const char *org_id,
    char out[STORE_ORG_NAME_MAX])
{
	struct store_org org;
	int rc = store_org_get(st, c, org_id, &org);

	if (rc < 0)
		return -1;
	snprintf(out, STORE_ORG_NAME_MAX, "%s", rc == 0 ? org.name : "");
	return 0;
}

static int
guest_view_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct view_tx *t = arg;
	struct store_appt_guest rec = { 0 };
	struct store_appt_hold h;
	unsigned char hash[STORE_HASH_BYTES];
	int rc;

	t->code = APPT_LIEN_INVALIDE;
	if (session_token_hash(t->token, hash) != 0)
		return 0;
	if ((rc = store_appt_guest_get(st, c, hash, &rec)) != 0)
		return rc < 0 ? -1 : 0;
	rc = store_appt_hold_get(st, c, rec.hold_id, &h);
	if (rc == 0 && rec.expires_at > t->now && h.expires_at > t->now) {
		rc = svc_appt_summary(t->s, c, h.org_id, h.motif_id, h.place_id,
			 h.start_at, &t->out->sum) != 0 ||
			org_name(st, c, h.org_id, t->out->org_name) != 0
		    ? -1
		    : 0;
		t->out->start_at = h.start_at;
		t->out->expires_at = h.expires_at;
		if (rc == 0)
			t->code = APPT_OK;
	}
	store_appt_guest_clear(&rec);
	return rc < 0 ? -1 : 0;
}

int
svc_appt_guest_view(const struct svc *s, const char *token, int64_t now,
    struct svc_appt_guest_view *out)
{
	struct view_tx t = { s, token, now, out, 0 };

	memset(out, 0, sizeof(*out));
	if (token == NULL)
		return APPT_LIEN_INVALIDE;
	if (store_tx(s->a->st, 0, guest_view_tx, &t) != 0)
		return -1;
	return t.code;
}

struct confirm_tx {
	const struct svc *s;
	const struct svc_actor *who;
	const char *token;
	int64_t now, id, user;
	struct appt_error *err;
	int code;
};

static int
confirm(struct confirm_tx *t, struct store *st, struct store_conn *c)
{
	struct store_appt_guest rec = { 0 };
	struct store_appt_hold h;
	struct store_appt_manage m;
	struct svc_appt_user_in in;
	struct svc_appt_book_in b;
	struct svc_actor who = *t->who;
	unsigned char hash[STORE_HASH_BYTES], mhash[STORE_HASH_BYTES];
	char mtoken[SESSION_TOKEN_LEN], url[URL_MAX];
	json_t *o = NULL;
	int rc;

	if (session_token_hash(t->token, hash) != 0)
		return appt_error_set(t->err, APPT_LIEN_INVALIDE, "token",
		    NULL);
	if ((rc = store_appt_guest_take(st, c, hash, &rec)) < 0)
		return -1;
	if (rc == 1 || rec.expires_at <= t->now) {
		store_appt_guest_clear(&rec);
		return appt_error_set(t->err, APPT_LIEN_INVALIDE, "token",
		    NULL);
	}
	rc = store_appt_hold_get(st, c, rec.hold_id, &h);
	if (rc != 0 || h.expires_at <= t->now) {
		store_appt_guest_clear(&rec);
		return rc < 0 ? -1
			      : (int)appt_error_set(t->err,
				    APPT_RESERVATION_EXPIREE, "token", NULL);
	}
	rc = open_details(t->token, &rec, &o, &in);
	store_appt_guest_clear(&rec);
	if (rc != 0)
		return -1;
	/* Nobody signed in: the person acts through their link. */
	who.account_id = GUEST_ACTOR;
	who.org_id = h.org_id;
	rc = svc_appt_user_create_in(t->s, c, &who, h.org_id, 0, NULL, &in,
	    t->now, &t->user, t->err);
	details_free(o);
	if (rc != APPT_OK)
		return rc;
	if (new_token(mtoken, mhash) != 0 ||
	    (size_t)snprintf(url, sizeof(url), "%s/#/rendez-vous/gerer/%s",
		svc_appt_public_url(), mtoken) >= sizeof(url)) {
		rc = -1;
		goto done;
	}
	memset(&b, 0, sizeof(b));
	b.org_id = h.org_id;
	b.motif_id = h.motif_id;
	b.place_id = h.place_id;
	b.agents[0] = h.agent_id;
	b.n_agents = 1;
	b.users[b.n_users++] = t->user;
	b.start_at = h.start_at;
	b.join_id = h.session_id; /* a seat held in a collective session */
	b.actor = APPT_BY_USER;
	b.manage_url = url;
	rc = svc_appt_book_in_tx(t->s, c, &who, &b, t->now, h.id, &t->id,
	    t->err);
	if (rc != APPT_OK)
		goto done;
	memset(&m, 0, sizeof(m));
	snprintf(m.org_id, sizeof(m.org_id), "%s", h.org_id);
	m.appointment_id = t->id;
	m.user_id = t->user;
	m.created_at = t->now;
	m.expires_at = h.start_at;
	rc = store_appt_manage_put(st, c, mhash, &m) != 0 ||
		store_appt_hold_delete(st, c, h.id) != 0 ||
		audit_guest(t->s, c, &who, h.org_id,
		    "appointment.guest.confirm", "appointment", t->id, NULL,
		    t->now) != 0
	    ? -1
	    : APPT_OK;
done:
	sodium_memzero(mtoken, sizeof(mtoken));
	sodium_memzero(url, sizeof(url));
	return rc;
}

static int
confirm_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct confirm_tx *t = arg;

	return result(&t->code, confirm(t, st, c));
}

int
svc_appt_guest_confirm(const struct svc *s, const struct svc_actor *who,
    const char *token, int64_t now, int64_t *id, struct appt_error *err)
{
	struct confirm_tx t;
	int rc;

	memset(&t, 0, sizeof(t));
	t.s = s;
	t.who = who;
	t.token = token;
	t.now = now;
	t.err = err;
	if (token == NULL)
		return appt_error_set(err, APPT_LIEN_INVALIDE, "token", NULL);
	rc = store_tx(s->a->st, 1, confirm_tx, &t);
	if (rc < 0 || t.code != APPT_OK) {
		/* The key made for a record that was not written goes. */
		char owner[AUTH_OWNER_MAX];

		if (t.user > 0 &&
		    svc_appt_user_owner(t.user, owner, sizeof(owner)) == 0)
			keystore_destroy(s->a->ks, owner, now);
	}
	if (rc < 0 || t.code < 0)
		return -1;
	*id = t.id;
	return t.code;
}

/* The manage link. */

/* The live manage link of token at now into *m: 0, 1 (none), -1. */
static int
live_manage(struct store *st, struct store_conn *c, const char *token,
    int64_t now, struct store_appt_manage *m)
{
	unsigned char hash[STORE_HASH_BYTES];
	int rc;

	if (token == NULL || session_token_hash(token, hash) != 0)
		return 1;
	if ((rc = store_appt_manage_get(st, c, hash, m)) != 0)
		return rc;
	return m->expires_at > now ? 0 : 1;
}

static int
manage_view_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct view_tx *t = arg;
	struct store_appt_manage m = { 0 };
	struct store_appt a;
	int rc;

	t->code = APPT_LIEN_INVALIDE;
	if ((rc = live_manage(st, c, t->token, t->now, &m)) != 0)
		return rc < 0 ? -1 : 0;
	memset(&a, 0, sizeof(a));
	if ((rc = store_appt_get(st, c, m.appointment_id, &a)) != 0) {
		store_appt_clear(&a);
		return rc < 0 ? -1 : 0;
	}
	rc = svc_appt_summary(t->s, c, a.org_id, a.motif_id, a.place_id,
		 a.start_at, &t->out->sum) != 0 ||
		org_name(st, c, a.org_id, t->out->org_name) != 0
	    ? -1
	    : 0;
	snprintf(t->out->status, sizeof(t->out->status), "%s", a.status);
	t->out->start_at = a.start_at;
	t->out->expires_at = m.expires_at;
	store_appt_clear(&a);
	if (rc == 0)
		t->code = APPT_OK;
	return rc;
}

int
svc_appt_manage_view(const struct svc *s, const char *token, int64_t now,
    struct svc_appt_guest_view *out)
{
	struct view_tx t = { s, token, now, out, 0 };

	memset(out, 0, sizeof(*out));
	if (store_tx(s->a->st, 0, manage_view_tx, &t) != 0)
		return -1;
	return t.code;
}

struct manage_tx {
	const char *token;
	int64_t now;
	struct store_appt_manage m;
	int found, deleted;
};

static int
manage_read_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct manage_tx *t = arg;
	int rc = live_manage(st, c, t->token, t->now, &t->m);

	t->found = rc == 0;
	return rc < 0 ? -1 : 0;
}

static int
manage_void_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct manage_tx *t = arg;
	unsigned char hash[STORE_HASH_BYTES];

	if (session_token_hash(t->token, hash) != 0)
		return -1;
	return store_appt_manage_delete(st, c, hash) < 0 ? -1 : 0;
}

int
svc_appt_manage_cancel(const struct svc *s, const struct svc_actor *who,
    const char *token, int64_t now, struct appt_error *err)
{
	struct manage_tx t;
	struct svc_actor as = *who;
	int rc;

	memset(&t, 0, sizeof(t));
	t.token = token;
	t.now = now;
	if (store_tx(s->a->st, 0, manage_read_tx, &t) != 0)
		return -1;
	if (!t.found)
		return appt_error_set(err, APPT_LIEN_INVALIDE, "token", NULL);
	/*
	 * The status change is its own transaction, with every rule of a
	 * cancellation by the user (the motif's deadline first). The link
	 * goes once it served; two uses at once cancel once, the second
	 * finding the appointment cancelled already.
	 */
	as.account_id = GUEST_ACTOR;
	as.org_id = t.m.org_id;
	rc = svc_appt_set_status(s, &as, t.m.org_id, APPT_BY_USER, t.m.user_id,
	    t.m.appointment_id, "annule_usager", now, err);
	if (rc == APPT_OK && store_tx(s->a->st, 1, manage_void_tx, &t) != 0)
		return -1;
	return rc;
}

/* Linked later. */

int
svc_appt_guest_adopt(const struct svc *s, struct store_conn *c,
    const struct svc_actor *actor, const char *org_id, int64_t now, int64_t *id)
{
	struct svc_appt_user *u;
	struct store_account acc;
	char *addr = NULL, idx[STORE_INDEX_MAX];
	int64_t ids[APPT_USERS_FOUND_MAX];
	size_t alen = 0, n = 0, i;
	int rc;

	/* Only an account of the people's place: its address was checked
	 * by the link that made it (or its identity provider). */
	memset(&acc, 0, sizeof(acc));
	rc = store_account_get(s->a->st, c, actor->account_id, &acc);
	if (rc == 0 && strcmp(acc.org_id, AUTH_PEOPLE_ORG) != 0)
		rc = 1;
	store_account_clear(&acc);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	rc = notify_account_email(s->a, c, actor->account_id, &addr, &alen);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	rc = svc_appt_user_email_index(s, addr, idx);
	field_free(addr, alen);
	if (rc != 0 ||
	    store_appt_user_find(s->a->st, c, org_id, AUI_EMAIL, idx, ids,
		APPT_USERS_FOUND_MAX, &n) != 0 ||
	    (u = calloc(1, sizeof(*u))) == NULL)
		return -1;
	rc = 0;
	for (i = 0; i < n && rc == 0; i++) {
		int r = svc_appt_user_open(s, c, org_id, ids[i], u);

		if (r < 0)
			rc = -1;
		else if (r == APPT_OK && u->account_id[0] == '\0' &&
		    u->responsible_id == 0) {
			struct svc_actor who = *actor;

			who.org_id = org_id;
			rc = store_appt_user_link(s->a->st, c, ids[i],
				 actor->account_id, now) != 0 ||
				audit_guest(s, c, &who, org_id,
				    "appt_user.link", "appt_user", ids[i], NULL,
				    now) != 0
			    ? -1
			    : 1;
			*id = ids[i];
		}
	}
	sodium_memzero(u, sizeof(*u));
	free(u);
	return rc;
}

long
appt_guest_purge(const struct auth *a, int64_t now)
{
	struct store_conn *c = store_conn(a->st);

	if (c == NULL)
		return -1;
	return store_appt_guest_purge(a->st, c, now);
}
