/* appt_online.c (service) - online booking by users: a short hold on a
 * free slot while the user signs in, then its confirmation; the user's
 * own appointments. */
#include "service/appt_online.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "appointments/appt_time.h"
#include "crypto/keystore.h"
#include "service/appt_guest.h"
#include "store/appt_avail.h"
#include "store/appt_structure.h"
#include "store/driver.h"

#define RECORDS_MAX 64 /* user records of one account */

static void
token_hash(const char *token, unsigned char out[APPT_HOLD_HASH])
{
	crypto_generichash(out, APPT_HOLD_HASH, (const unsigned char *)token,
	    strlen(token), NULL, 0);
}

int
svc_appt_hold_find_in(const struct svc *s, struct store_conn *c,
    const char *token, struct store_appt_hold *h)
{
	unsigned char hash[APPT_HOLD_HASH];

	if (token == NULL || strlen(token) != APPT_HOLD_TOKEN - 1)
		return 1;
	token_hash(token, hash);
	return store_appt_hold_find(s->a->st, c, hash, sizeof(hash), h);
}

struct hold_tx {
	const struct svc *s;
	const char *org_id;
	int64_t motif_id, place_id, start_at, now;
	char *token;
	int64_t expires_at;
	struct appt_error *err;
	int code;
};

static int
result(int *code, int rc)
{
	*code = rc;
	return rc == APPT_OK ? 0 : rc < 0 ? -1 : 1;
}

/* Picks the first agent free over slot and writes the hold. */
static int
hold(struct hold_tx *t, struct store *st, struct store_conn *c)
{
	struct store_appt_motif m = { 0 };
	struct store_appt_avail av;
	struct store_appt_hold h = { 0 };
	struct appt_interval slot;
	unsigned char hash[APPT_HOLD_HASH], raw[32];
	size_t i;
	int rc;

	rc = store_appt_motif_get(st, c, t->org_id, t->motif_id, &m);
	if (rc < 0)
		return -1;
	if (rc == 1 || m.archived_at != 0)
		return appt_error_set(t->err, APPT_MOTIF_INCONNU, "motif_id",
		    NULL);
	if (!m.online)
		return appt_error_set(t->err,
		    APPT_MOTIF_NON_RESERVABLE_EN_LIGNE, "motif_id", NULL);
	if (m.collective) /* a seat in a session: svc_appt_hold_session */
		return appt_error_set(t->err, APPT_MOTIF_COLLECTIF, "motif_id",
		    "se réserve en choisissant une séance");
	if ((rc = appt_check_delays(t->start_at, t->now,
		 m.min_delay_min * APPT_MINUTE_MS,
		 m.max_delay_min * APPT_MINUTE_MS)) != APPT_OK)
		return appt_error_set(t->err, rc, "start_at", NULL);
	if (strcmp(m.location_type, "place") != 0)
		t->place_id = 0;
	else if (t->place_id <= 0)
		return appt_error_set(t->err, APPT_LIEU_INCONNU, "place_id",
		    NULL);
	slot.start = t->start_at;
	slot.end = t->start_at + (int64_t)m.duration_min * APPT_MINUTE_MS;
	memset(&av, 0, sizeof(av));
	if (store_appt_avail_read(st, c, t->org_id, m.id, t->place_id,
		slot.start - APPT_DAY_MS, slot.end + APPT_DAY_MS, &av) != 0)
		return -1;
	rc = svc_appt_check_place_room(t->s, c, t->org_id, t->place_id, slot, 0,
	    0, t->now, t->err);
	if (rc != APPT_OK) {
		store_appt_avail_free(&av);
		return rc;
	}
	rc = APPT_CRENEAU_DEJA_PRIS;
	for (i = 0; i < av.n_agents; i++) {
		rc = svc_appt_check_agent(t->s, c, t->org_id, av.agents[i], &m,
		    t->place_id, slot, 0, 0, t->now, NULL);
		if (rc == APPT_OK || rc < 0)
			break;
	}
	if (rc != APPT_OK) {
		store_appt_avail_free(&av);
		return rc < 0 ? -1
			      : (int)appt_error_set(t->err,
				    APPT_CRENEAU_DEJA_PRIS, "start_at", NULL);
	}
	memset(&h, 0, sizeof(h));
	snprintf(h.org_id, sizeof(h.org_id), "%s", t->org_id);
	snprintf(h.agent_id, sizeof(h.agent_id), "%s", av.agents[i]);
	store_appt_avail_free(&av);
	h.motif_id = m.id;
	h.place_id = t->place_id;
	h.start_at = slot.start;
	h.end_at = slot.end;
	h.created_at = t->now;
	h.expires_at = t->expires_at = t->now + APPT_HOLD_MS;
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(t->token, APPT_HOLD_TOKEN, raw, sizeof(raw));
	sodium_memzero(raw, sizeof(raw));
	token_hash(t->token, hash);
	return store_appt_hold_insert(st, c, &h, hash, sizeof(hash), &h.id) != 0
	    ? -1
	    : APPT_OK;
}

static int
hold_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct hold_tx *t = arg;

	return result(&t->code, hold(t, st, c));
}

int
svc_appt_hold(const struct svc *s, const char *org_id, int64_t motif_id,
    int64_t place_id, int64_t start_at, int64_t now,
    char token[APPT_HOLD_TOKEN], int64_t *expires_at, struct appt_error *err)
{
	struct hold_tx t;
	int rc;

	memset(&t, 0, sizeof(t));
	t.s = s;
	t.org_id = org_id;
	t.motif_id = motif_id;
	t.place_id = place_id;
	t.start_at = start_at;
	t.now = now;
	t.token = token;
	t.err = err;
	token[0] = '\0';
	rc = store_tx(s->a->st, 1, hold_tx, &t);
	if (rc < 0 || t.code < 0)
		return -1;
	*expires_at = t.expires_at;
	return t.code;
}

/* A seat in a collective session. */

struct seat_tx {
	const struct svc *s;
	const char *org_id;
	int64_t session_id, now;
	char *token;
	int64_t expires_at;
	struct appt_error *err;
	int code;
};

static int
seat(struct seat_tx *t, struct store *st, struct store_conn *c)
{
	struct store_appt a = { 0 };
	struct store_appt_motif m = { 0 };
	struct store_appt_hold h = { 0 };
	char agents[APPT_AGENTS_MAX][STORE_ID_MAX];
	int64_t users[APPT_PARTICIPANTS_MAX];
	unsigned char hash[APPT_HOLD_HASH], raw[32];
	int64_t held = 0;
	size_t na = 0, np = 0;
	int rc;

	rc = store_appt_get(st, c, t->session_id, &a);
	if (rc < 0)
		return -1;
	if (rc == 0 && (strcmp(a.org_id, t->org_id) != 0 || !a.collective))
		rc = 1;
	if (rc == 0)
		rc = store_appt_motif_get(st, c, t->org_id, a.motif_id, &m);
	if (rc != 0) {
		store_appt_clear(&a);
		return rc < 0 ? -1
			      : (int)appt_error_set(t->err, APPT_RDV_INCONNU,
				    "session_id", "doit désigner une séance");
	}
	if (m.archived_at != 0 || !m.online)
		rc = appt_error_set(t->err, APPT_MOTIF_NON_RESERVABLE_EN_LIGNE,
		    "session_id", NULL);
	else if (strcmp(a.status, "a_venir") != 0 || a.start_at <= t->now)
		rc = appt_error_set(t->err, APPT_RDV_PASSE, "session_id", NULL);
	else if ((rc = appt_check_delays(a.start_at, t->now,
		      m.min_delay_min * APPT_MINUTE_MS,
		      m.max_delay_min * APPT_MINUTE_MS)) != APPT_OK)
		appt_error_set(t->err, rc, "session_id", NULL);
	else if (store_appt_participants(st, c, a.id, users,
		     APPT_PARTICIPANTS_MAX, &np) != 0 ||
	    store_appt_session_holds(st, c, a.id, 0, t->now, &held) != 0 ||
	    store_appt_agents(st, c, a.id, agents, APPT_AGENTS_MAX, &na) != 0)
		rc = -1;
	else if ((rc = appt_check_capacity((int)(np + (size_t)held), 1,
		      (int)a.capacity)) != APPT_OK)
		appt_error_set(t->err, rc, "session_id", NULL);
	else if (na == 0)
		rc = -1; /* a session always has its agent */
	if (rc != APPT_OK) {
		store_appt_clear(&a);
		return rc;
	}
	snprintf(h.org_id, sizeof(h.org_id), "%s", a.org_id);
	snprintf(h.agent_id, sizeof(h.agent_id), "%s", agents[0]);
	h.motif_id = a.motif_id;
	h.place_id = a.place_id;
	h.start_at = a.start_at;
	h.end_at = a.end_at;
	h.session_id = a.id;
	h.created_at = t->now;
	h.expires_at = t->expires_at = t->now + APPT_HOLD_MS;
	store_appt_clear(&a);
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(t->token, APPT_HOLD_TOKEN, raw, sizeof(raw));
	sodium_memzero(raw, sizeof(raw));
	token_hash(t->token, hash);
	return store_appt_hold_insert(st, c, &h, hash, sizeof(hash), &h.id) != 0
	    ? -1
	    : APPT_OK;
}

static int
seat_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct seat_tx *t = arg;

	return result(&t->code, seat(t, st, c));
}

int
svc_appt_hold_session(const struct svc *s, const char *org_id,
    int64_t session_id, int64_t now, char token[APPT_HOLD_TOKEN],
    int64_t *expires_at, struct appt_error *err)
{
	struct seat_tx t;
	int rc;

	memset(&t, 0, sizeof(t));
	t.s = s;
	t.org_id = org_id;
	t.session_id = session_id;
	t.now = now;
	t.token = token;
	t.err = err;
	token[0] = '\0';
	rc = store_tx(s->a->st, 1, seat_tx, &t);
	if (rc < 0 || t.code < 0)
		return -1;
	*expires_at = t.expires_at;
	return t.code;
}

struct sessions_tx {
	const char *org_id;
	int64_t motif_id, place_id, from, to, now;
	store_appt_fn fn;
	void *arg;
	struct appt_error *err;
	int code;
};

static int
sessions_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct sessions_tx *t = arg;
	struct store_appt_motif m = { 0 };
	int64_t lo, hi;
	int rc = store_appt_motif_get(st, c, t->org_id, t->motif_id, &m);

	if (rc < 0)
		return -1;
	if (rc == 1 || m.archived_at != 0 || !m.online)
		return result(&t->code,
		    appt_error_set(t->err,
			rc == 1 || m.archived_at != 0
			    ? APPT_MOTIF_INCONNU
			    : APPT_MOTIF_NON_RESERVABLE_EN_LIGNE,
			"motif_id", NULL));
	if (!m.collective)
		return result(&t->code,
		    appt_error_set(t->err, APPT_MOTIF_INDIVIDUEL, "motif_id",
			NULL));
	/* Only the sessions a user may still join: within the delays. */
	lo = t->now + m.min_delay_min * APPT_MINUTE_MS + 1;
	if (t->from > lo)
		lo = t->from;
	hi = t->to;
	if (m.max_delay_min > 0 &&
	    t->now + m.max_delay_min * APPT_MINUTE_MS + 1 < hi)
		hi = t->now + m.max_delay_min * APPT_MINUTE_MS + 1;
	if (lo >= hi)
		return result(&t->code, APPT_OK);
	return result(&t->code,
	    store_appt_sessions_open(st, c, t->org_id, m.id, t->place_id, lo,
		hi, t->now, 500, t->fn, t->arg) != 0
		? -1
		: APPT_OK);
}

int
svc_appt_sessions_open(const struct svc *s, const char *org_id,
    int64_t motif_id, int64_t place_id, int64_t from, int64_t to, int64_t now,
    store_appt_fn fn, void *arg, struct appt_error *err)
{
	struct sessions_tx t = { org_id, motif_id, place_id, from, to, now, fn,
		arg, err, 0 };

	if (to <= from || to - from > 93 * APPT_DAY_MS)
		return appt_error_set(err, APPT_PARAMETRE_INVALIDE, "to",
		    "doit suivre from de 93 jours au plus");
	/* A refusal ends the read with 1: only t.code tells. */
	if (store_tx(s->a->st, 0, sessions_tx, &t) < 0 || t.code < 0)
		return -1;
	return t.code;
}

struct confirm_tx {
	const struct svc *s;
	const struct svc_actor *who;
	const char *token;
	const struct svc_appt_user_in *in;
	const int64_t *relatives;
	size_t n;
	int64_t now, id;
	struct appt_error *err;
	int code;
};

int
svc_appt_account_record(const struct svc *s, struct store_conn *c,
    const struct svc_actor *actor, const char *org_id,
    const struct svc_appt_user_in *in, int64_t now, int64_t *id,
    struct appt_error *err)
{
	struct store_appt_user u = { 0 };
	struct svc_actor who = *actor;
	int64_t ids[RECORDS_MAX];
	size_t n = 0, i;
	int rc;

	if (store_appt_users_of_account(s->a->st, c, actor->account_id, ids,
		RECORDS_MAX, &n) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		rc = store_appt_user_get(s->a->st, c, ids[i], &u);
		if (rc == 0 && strcmp(u.org_id, org_id) == 0 &&
		    u.responsible_id == 0) {
			store_appt_user_clear(&u);
			*id = ids[i];
			return APPT_OK;
		}
		store_appt_user_clear(&u);
		if (rc < 0)
			return -1;
	}
	/* Booked earlier without an account, with this account's address:
	 * the record is theirs, and its appointments join « Mes
	 * rendez-vous ». */
	if ((rc = svc_appt_guest_adopt(s, c, actor, org_id, now, id)) != 0)
		return rc < 0 ? -1 : APPT_OK;
	if (in == NULL)
		return appt_error_set(err, APPT_PARAMETRE_INVALIDE, "user",
		    "est obligatoire pour une première demande auprès de cet "
		    "organisme");
	who.org_id = org_id; /* the record's organisation, in the audit */
	return svc_appt_user_create_in(s, c, &who, org_id, 0, actor->account_id,
	    in, now, id, err);
}

static int
confirm(struct confirm_tx *t, struct store *st, struct store_conn *c)
{
	struct store_appt_hold h = { 0 };
	struct store_appt_user u = { 0 };
	struct svc_appt_book_in in;
	unsigned char hash[APPT_HOLD_HASH];
	int64_t rec = 0;
	size_t i;
	int rc;

	token_hash(t->token, hash);
	if ((rc = store_appt_hold_find(st, c, hash, sizeof(hash), &h)) < 0)
		return -1;
	if (rc == 1 || h.expires_at <= t->now)
		return appt_error_set(t->err, APPT_RESERVATION_EXPIREE,
		    "hold_token", NULL);
	if ((rc = svc_appt_account_record(t->s, c, t->who, h.org_id, t->in,
		 t->now, &rec, t->err)) != APPT_OK)
		return rc;
	memset(&in, 0, sizeof(in));
	in.org_id = h.org_id;
	in.motif_id = h.motif_id;
	in.place_id = h.place_id;
	in.agents[0] = h.agent_id;
	in.n_agents = 1;
	in.join_id = h.session_id; /* a seat held in a collective session */
	in.users[in.n_users++] = rec;
	if (t->n + 1 > APPT_PARTICIPANTS_MAX)
		return appt_error_set(t->err, APPT_PARAMETRE_INVALIDE,
		    "relative_ids", NULL);
	for (i = 0; i < t->n; i++) {
		rc = store_appt_user_get(st, c, t->relatives[i], &u);
		if (rc == 0 && u.responsible_id != rec)
			rc = 1;
		store_appt_user_clear(&u);
		if (rc != 0)
			return rc < 0
			    ? -1
			    : (int)appt_error_set(t->err, APPT_PROCHE_INCONNU,
				  "relative_ids", NULL);
		in.users[in.n_users++] = t->relatives[i];
	}
	in.start_at = h.start_at;
	in.actor = APPT_BY_USER;
	rc = svc_appt_book_in_tx(t->s, c, t->who, &in, t->now, h.id, &t->id,
	    t->err);
	if (rc != APPT_OK)
		return rc;
	return store_appt_hold_delete(st, c, h.id) != 0 ? -1 : APPT_OK;
}

static int
confirm_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct confirm_tx *t = arg;

	return result(&t->code, confirm(t, st, c));
}

int
svc_appt_confirm(const struct svc *s, const struct svc_actor *who,
    const char *token, const struct svc_appt_user_in *in,
    const int64_t *relatives, size_t n, int64_t now, int64_t *id,
    struct appt_error *err)
{
	struct confirm_tx t;
	int rc;

	memset(&t, 0, sizeof(t));
	t.s = s;
	t.who = who;
	t.token = token;
	t.in = in;
	t.relatives = relatives;
	t.n = n;
	t.now = now;
	t.err = err;
	rc = store_tx(s->a->st, 1, confirm_tx, &t);
	if (rc < 0 || t.code < 0)
		return -1;
	*id = t.id;
	return t.code;
}

int
svc_appt_of_account(const struct svc *s, const char *account_id,
    store_appt_fn fn, void *arg)
{
	struct store_conn *c = store_conn(s->a->st);
	int64_t ids[RECORDS_MAX];
	size_t n = 0, i;

	if (c == NULL ||
	    store_appt_users_of_account(s->a->st, c, account_id, ids,
		RECORDS_MAX, &n) != 0)
		return -1;
	for (i = 0; i < n; i++)
		if (store_appt_list_user(s->a->st, c, ids[i], 1000, fn, arg) !=
		    0)
			return -1;
	return 0;
}

int
svc_appt_cancel_own(const struct svc *s, const struct svc_actor *who,
    int64_t id, int64_t now, struct appt_error *err)
{
	int64_t ids[RECORDS_MAX];
	size_t n = 0, i;
	int rc = APPT_RDV_INCONNU;

	if (store_appt_users_of_account(s->a->st, store_conn(s->a->st),
		who->account_id, ids, RECORDS_MAX, &n) != 0)
		return -1;
	for (i = 0; i < n && rc == APPT_RDV_INCONNU; i++)
		rc = svc_appt_set_status(s, who, NULL, APPT_BY_USER, ids[i], id,
		    "annule_usager", now, err);
	if (rc == APPT_RDV_INCONNU)
		appt_error_set(err, APPT_RDV_INCONNU, "id", NULL);
	return rc;
}

int
svc_appt_move_own(const struct svc *s, const struct svc_actor *who, int64_t id,
    int64_t start_at, int64_t now, struct appt_error *err)
{
	struct store *st = s->a->st;
	int64_t ids[RECORDS_MAX];
	size_t n = 0, k, i, m;
	int rc = APPT_RDV_INCONNU;

	if (store_appt_users_of_account(st, store_conn(st), who->account_id,
		ids, RECORDS_MAX, &n) != 0)
		return -1;
	/* The account's records, then their relatives. */
	for (k = n, i = 0; i < k && n < RECORDS_MAX; i++, n += m)
		if (store_appt_user_relatives(st, store_conn(st), ids[i],
			ids + n, RECORDS_MAX - n, &m) != 0)
			return -1;
	for (i = 0; i < n && rc == APPT_RDV_INCONNU; i++)
		rc = svc_appt_move(s, who, NULL, APPT_BY_USER, ids[i], id,
		    start_at, now, err);
	if (rc == APPT_RDV_INCONNU)
		appt_error_set(err, APPT_RDV_INCONNU, "id", NULL);
	return rc;
}

/* Relatives from the user's account. */

struct family_tx {
	const struct svc *s;
	const char *account_id;
	svc_appt_family_fn fn;
	void *arg;
	int rc;
};

/* Calls t->fn for record id (opened in *u) when readable. Returns 0, fn's
 * result, or -1. */
static int
family_one(struct family_tx *t, struct store_conn *c, int64_t id,
    const char *org_name, struct svc_appt_user *u)
{
	int rc = svc_appt_user_open(t->s, c, NULL, id, u);

	if (rc == APPT_USAGER_INCONNU)
		return 0;
	if (rc != APPT_OK)
		return -1;
	return t->fn(t->arg, u, org_name);
}

static int
families_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct family_tx *t = arg;
	struct svc_appt_user *u;
	struct store_org org;
	int64_t own[RECORDS_MAX], rel[RECORDS_MAX];
	size_t n = 0, m, i, k;
	int rc = 0;

	if (store_appt_users_of_account(st, c, t->account_id, own, RECORDS_MAX,
		&n) != 0 ||
	    (u = calloc(1, sizeof(*u))) == NULL)
		return -1;
	for (i = 0; rc == 0 && i < n; i++) {
		rc = svc_appt_user_open(t->s, c, NULL, own[i], u);
		if (rc == APPT_USAGER_INCONNU ||
		    (rc == APPT_OK && u->responsible_id != 0)) {
			rc = 0;
			continue;
		}
		if (rc != APPT_OK ||
		    (rc = store_org_get(st, c, u->org_id, &org)) < 0) {
			rc = -1;
			break;
		}
		if (rc == 1)
			snprintf(org.name, sizeof(org.name), "%s", u->org_id);
		if ((rc = t->fn(t->arg, u, org.name)) != 0 ||
		    (rc = store_appt_user_relatives(st, c, own[i], rel,
			 RECORDS_MAX, &m)) != 0)
			break;
		for (k = 0; rc == 0 && k < m; k++)
			rc = family_one(t, c, rel[k], org.name, u);
	}
	sodium_memzero(u, sizeof(*u));
	free(u);
	t->rc = rc;
	return rc < 0 ? -1 : 0;
}

int
svc_appt_families(const struct svc *s, const char *account_id,
    svc_appt_family_fn fn, void *arg)
{
	struct family_tx t = { s, account_id, fn, arg, 0 };

	if (store_tx(s->a->st, 0, families_tx, &t) != 0)
		return -1;
	return t.rc;
}

int
svc_appt_relative_field_own(enum appt_user_field f)
{
	return f == AUF_LAST_NAME || f == AUF_BIRTH_NAME ||
	    f == AUF_FIRST_NAMES || f == AUF_BIRTH_DATE || f == AUF_EMAIL ||
	    f == AUF_PHONE;
}

/* Whether id is one of account_id's own records (a responsible user):
 * 1 and its organisation into org_id, 0 not, -1. */
static int
own_responsible(struct store *st, struct store_conn *c, const char *account_id,
    int64_t id, char org_id[STORE_ID_MAX])
{
	struct store_appt_user u = { 0 };
	int64_t ids[RECORDS_MAX];
	size_t n = 0, i;
	int rc;

	if (id <= 0)
		return 0;
	if (store_appt_users_of_account(st, c, account_id, ids, RECORDS_MAX,
		&n) != 0)
		return -1;
	for (i = 0; i < n && ids[i] != id; i++)
		;
	if (i == n)
		return 0;
	if ((rc = store_appt_user_get(st, c, id, &u)) < 0) {
		store_appt_user_clear(&u);
		return -1;
	}
	rc = rc == 0 && u.responsible_id == 0;
	if (rc)
		memcpy(org_id, u.org_id, STORE_ID_MAX);
	store_appt_user_clear(&u);
	return rc;
}

struct relative_tx {
	const struct svc *s;
	const struct svc_actor *who;
	int64_t responsible_id, id, now;
	const struct svc_appt_user_in *in;
	struct appt_error *err;
	int code;
};

static int
relative_add_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct relative_tx *t = arg;
	struct svc_actor who = *t->who;
	char org[STORE_ID_MAX];
	int rc;

	rc = own_responsible(st, c, t->who->account_id, t->responsible_id, org);
	if (rc < 0)
		return result(&t->code, -1);
	if (rc == 0)
		return result(&t->code,
		    appt_error_set(t->err, APPT_USAGER_INCONNU,
			"responsible_id", NULL));
	who.org_id = org; /* the record's organisation, in the audit */
	return result(&t->code,
	    svc_appt_user_create_in(t->s, c, &who, org, t->responsible_id, NULL,
		t->in, t->now, &t->id, t->err));
}

int
svc_appt_relative_add_own(const struct svc *s, const struct svc_actor *who,
    int64_t responsible_id, const struct svc_appt_user_in *in, int64_t now,
    int64_t *id, struct appt_error *err)
{
	struct relative_tx t = { s, who, responsible_id, 0, now, in, err, 0 };
	int rc = store_tx(s->a->st, 1, relative_add_tx, &t);

	if (rc < 0 || t.code < 0) {
		/* The key made for the record that was not written goes. */
		char owner[AUTH_OWNER_MAX];

		if (t.id > 0 &&
		    svc_appt_user_owner(t.id, owner, sizeof(owner)) == 0)
			keystore_destroy(s->a->ks, owner, now);
		return -1;
	}
	*id = t.id;
	return t.code;
}

static int
relative_update_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct relative_tx *t = arg;
	struct svc_actor who = *t->who;
	struct store_appt_user row = { 0 };
	struct svc_appt_user *cur;
	struct svc_appt_user_in merged;
	char org[STORE_ID_MAX];
	size_t i;
	int rc;

	rc = store_appt_user_get(st, c, t->id, &row);
	if (rc == 0)
		rc = row.responsible_id == 0
		    ? 0
		    : own_responsible(st, c, t->who->account_id,
			  row.responsible_id, org);
	else
		rc = rc < 0 ? -1 : 0;
	store_appt_user_clear(&row);
	if (rc <= 0)
		return result(&t->code,
		    rc < 0 ? -1
			   : (int)appt_error_set(t->err, APPT_PROCHE_INCONNU,
				 "id", NULL));
	if ((cur = calloc(1, sizeof(*cur))) == NULL)
		return result(&t->code, -1);
	rc = svc_appt_user_open(t->s, c, org, t->id, cur);
	if (rc == APPT_USAGER_INCONNU)
		rc = appt_error_set(t->err, APPT_PROCHE_INCONNU, "id", NULL);
	if (rc == APPT_OK) {
		for (i = 0; i < AUF_COUNT; i++)
			merged.f[i] =
			    svc_appt_relative_field_own((enum appt_user_field)i)
			    ? t->in->f[i]
			    : cur->f[i];
		who.org_id = org;
		rc = svc_appt_user_update_in(t->s, c, &who, org, t->id, &merged,
		    t->now, t->err);
	}
	sodium_memzero(cur, sizeof(*cur));
	free(cur);
	return result(&t->code, rc);
}

int
svc_appt_relative_update_own(const struct svc *s, const struct svc_actor *who,
    int64_t id, const struct svc_appt_user_in *in, int64_t now,
    struct appt_error *err)
{
	struct relative_tx t = { s, who, 0, id, now, in, err, 0 };
	int rc = store_tx(s->a->st, 1, relative_update_tx, &t);

	return rc < 0 || t.code < 0 ? -1 : t.code;
}

struct expire_tx {
	int64_t now;
	long n;
};

static int
expire_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct expire_tx *t = arg;

	return store_appt_holds_expire(st, c, t->now, &t->n);
}

int
svc_appt_holds_expire(const struct svc *s, int64_t now, long *n)
{
	struct expire_tx t = { now, 0 };
	int rc = store_tx(s->a->st, 1, expire_tx, &t);

	*n = t.n;
	return rc != 0 ? -1 : 0;
}
