/* appt_book.c (service) - booking, moving and cancelling appointments,
 * and the free slots they are booked in. */
#include "service/appt_people.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "appointments/appt_recur.h"
#include "appointments/appt_slots.h"
#include "appointments/appt_status.h"
#include "appointments/appt_time.h"
#include "audit/audit.h"
#include "crypto/field.h"
#include "crypto/keystore.h"
#include "notify/notify.h"
#include "notify/outbox.h"
#include "notify/texts.h"
#include "service/appt_notify.h"
#include "store/appt_avail.h"
#include "store/appt_guest.h"
#include "store/appt_structure.h"
#include "store/driver.h"

#define MIN_MS APPT_MINUTE_MS
#define OPEN_MAX 1024 /* opening intervals of one agent in one window */
#define ABSENT_MAX 512 /* absence intervals of one agent */
#define BUSY_MAX 2048 /* appointments and holds of one agent */

/* Expands the plages and absences of agent (an index of av) over
 * [from, to) into open and absent, normalized. Returns 0, or -1 when
 * there are too many to hold (the search is then refused rather than
 * wrong). */
static int
agent_times(const struct store_appt_avail *av, size_t agent, int64_t from,
    int64_t to, struct appt_interval *open, size_t *n_open,
    struct appt_interval *absent, size_t *n_absent)
{
	size_t i, k, no = 0, na = 0;

	for (i = 0; i < av->n_plages; i++) {
		if (av->plages[i].agent != agent)
			continue;
		k = appt_recur_expand(&av->plages[i].recur, from, to, open + no,
		    OPEN_MAX - no);
		if (k > OPEN_MAX - no)
			return -1;
		no += k;
	}
	for (i = 0; i < av->n_absences; i++) {
		if (av->absences[i].agent != agent)
			continue;
		k = appt_absence_expand(&av->absences[i].absence, from, to,
		    absent + na, ABSENT_MAX - na);
		if (k > ABSENT_MAX - na)
			return -1;
		na += k;
	}
	*n_open = appt_intervals_normalize(open, no);
	*n_absent = appt_intervals_normalize(absent, na);
	return 0;
}

/* The index of agent in av, or av->n_agents when it has no plage. */
static size_t
agent_index(const struct store_appt_avail *av, const char *agent)
{
	size_t i;

	for (i = 0; i < av->n_agents && strcmp(av->agents[i], agent) != 0; i++)
		;
	return i;
}

/* One booking, change or cancellation in flight. */
struct book_tx {
	const struct svc *s;
	const struct svc_actor *who;
	const struct svc_appt_book_in *in;
	struct appt_error *err;
	int64_t now, id, exclude_hold;
	int code;
};

static int
audit_appt(const struct svc *s, struct store_conn *c,
    const struct svc_actor *who, const char *action, int64_t id,
    json_t *details, int64_t now)
{
	struct audit_entry e;
	char ids[24], *d = NULL;
	int rc;

	memset(&e, 0, sizeof(e));
	if (details != NULL && (d = json_dumps(details, JSON_COMPACT)) == NULL)
		return -1;
	snprintf(ids, sizeof(ids), "%lld", (long long)id);
	e.actor = who->account_id;
	e.org = who->org_id;
	e.ip = who->ip;
	e.request_id = who->request_id;
	e.action = action;
	e.target_type = "appointment";
	e.target_ids = ids;
	e.outcome = AUDIT_SUCCESS;
	e.details = d;
	rc = audit_append(s->a->st, c, s->a->audit_key, now, &e, NULL);
	free(d);
	return rc;
}

/* Tells the agents (in the application, and by email) and the users (by
 * email with the .ics, by SMS with their consent; service/appt_notify.h)
 * of appointment id of kind. */
static int
notify_all(const struct svc *s, struct store_conn *c, const char *org_id,
    int64_t id, int64_t start_at, const char *kind, const char *link,
    int64_t now)
{
	char agents[APPT_AGENTS_MAX][STORE_ID_MAX], params[96];
	int64_t users[APPT_PARTICIPANTS_MAX];
	struct notice n = { kind, params };
	size_t na, nu, i;

	snprintf(params, sizeof(params),
	    "{\"appointment_id\":%lld,\"starts_at\":%lld}", (long long)id,
	    (long long)start_at);
	if (store_appt_agents(s->a->st, c, id, agents, APPT_AGENTS_MAX, &na) !=
		0 ||
	    store_appt_participants(s->a->st, c, id, users,
		APPT_PARTICIPANTS_MAX, &nu) != 0)
		return -1;
	for (i = 0; i < na; i++)
		if (notify_account(s->a, c, agents[i], org_id, &n, now) != 0)
			return -1;
	return svc_appt_notify_people_link(s, c, id, kind, link, now);
}

static int
cmp_text(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int
cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Checks agent (of org_id) may take slot for the motif at place_id:
 * opening hours, absences, other appointments and holds. */
int
svc_appt_check_agent(const struct svc *s, struct store_conn *c,
    const char *org_id, const char *agent, const struct store_appt_motif *m,
    int64_t place_id, struct appt_interval slot, int64_t exclude_id,
    int64_t exclude_hold, int64_t now, struct appt_error *err)
{
	struct store_appt_agent ag = { 0 };
	struct store_appt_avail av;
	struct appt_interval *open, *absent;
	size_t n_open = 0, n_absent = 0, k;
	int rc;

	rc = store_appt_agent_get(s->a->st, c, org_id, agent, &ag);
	if (rc < 0)
		return -1;
	if (rc == 1 || ag.archived_at != 0)
		return appt_error_set(err, APPT_AGENT_INCONNU, "agent_ids",
		    "doit désigner un agent de l'organisme");
	memset(&av, 0, sizeof(av));
	open = calloc(OPEN_MAX, sizeof(*open));
	absent = calloc(ABSENT_MAX, sizeof(*absent));
	rc = -1;
	if (open == NULL || absent == NULL ||
	    store_appt_avail_read(s->a->st, c, org_id, m->id, place_id,
		slot.start - APPT_DAY_MS, slot.end + APPT_DAY_MS, &av) != 0)
		goto done;
	k = agent_index(&av, agent);
	if (k < av.n_agents &&
	    agent_times(&av, k, slot.start - APPT_DAY_MS,
		slot.end + APPT_DAY_MS, open, &n_open, absent, &n_absent) != 0)
		goto done;
	if ((rc = appt_check_in_opening(slot, open, n_open)) != APPT_OK) {
		appt_error_set(err, rc, "start_at", NULL);
		goto done;
	}
	rc = store_appt_agent_busy(s->a->st, c, agent, slot.start, slot.end,
	    exclude_id, exclude_hold, now);
	if (rc != 0) {
		rc = rc < 0 ? -1
			    : (int)appt_error_set(err, APPT_CRENEAU_DEJA_PRIS,
				  "start_at", NULL);
		goto done;
	}
	if ((rc = appt_check_agent_free(slot, NULL, 0, absent, n_absent)) !=
	    APPT_OK)
		appt_error_set(err, rc, "start_at", NULL);
done:
	store_appt_avail_free(&av);
	free(open);
	free(absent);
	return rc;
}

int
svc_appt_check_place_room(const struct svc *s, struct store_conn *c,
    const char *org_id, int64_t place_id, struct appt_interval slot,
    int64_t exclude_id, int64_t exclude_hold, int64_t now,
    struct appt_error *err)
{
	struct store_appt_place pl = { 0 };
	struct appt_interval *busy;
	size_t n = 0;
	int rc;

	if (place_id <= 0)
		return APPT_OK;
	rc = store_appt_place_get(s->a->st, c, org_id, place_id, &pl);
	if (rc != 0)
		return rc < 0 ? -1 : APPT_OK; /* the caller refuses the place */
	if (pl.rooms <= 0)
		return APPT_OK;
	if ((busy = calloc(APPT_PLACE_SWEEP_MAX, sizeof(*busy))) == NULL)
		return -1;
	rc = store_appt_place_busy_list(s->a->st, c, place_id, slot.start,
	    slot.end, exclude_id, exclude_hold, now, busy, APPT_PLACE_SWEEP_MAX,
	    &n);
	if (rc >= 0)
		/* More than the sweep holds is refused (fails closed). */
		rc = rc == 1
		    ? APPT_LIEU_COMPLET
		    : (int)appt_check_place_room(slot, busy, n, pl.rooms);
	free(busy);
	if (rc > 0)
		appt_error_set(err, rc, "start_at", NULL);
	return rc;
}

/* Checks each user is of org_id and free over slot. */
static int
check_users(const struct svc *s, struct store_conn *c, const char *org_id,
    const int64_t *users, size_t n, struct appt_interval slot,
    int64_t exclude_id, struct appt_error *err)
{
	struct store_appt_user u = { 0 };
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		rc = store_appt_user_get(s->a->st, c, users[i], &u);
		if (rc == 0 && strcmp(u.org_id, org_id) != 0)
			rc = 1;
		store_appt_user_clear(&u);
		if (rc != 0)
			return rc < 0
			    ? -1
			    : (int)appt_error_set(err, APPT_USAGER_INCONNU,
				  "user_ids", NULL);
		rc = store_appt_user_busy(s->a->st, c, users[i], slot.start,
		    slot.end, exclude_id);
		if (rc != 0)
			return rc < 0
			    ? -1
			    : (int)appt_error_set(err, APPT_USAGER_DEJA_EN_RDV,
				  "user_ids", NULL);
	}
	return APPT_OK;
}

/* Seals the home address under user_id's key into *out. */
static int
seal_address(const struct svc *s, int64_t appt_id, int64_t user_id,
    const char *address, struct store_blob *out)
{
	struct data_key k;
	char owner[AUTH_OWNER_MAX], rid[24];
	int rc = -1;

	snprintf(rid, sizeof(rid), "%lld", (long long)appt_id);
	if (svc_appt_user_owner(user_id, owner, sizeof(owner)) == 0 &&
	    keystore_get(s->a->ks, owner, 1, &k) == 0)
		rc = field_seal(&k, 1, "appt_appointments", "home_address", rid,
		    address, strlen(address), &out->p, &out->len);
	sodium_memzero(&k, sizeof(k));
	return rc;
}

/* Joins the users of in to collective session in->join_id. */
static int
join_session(struct book_tx *t, struct store_conn *c,
    const struct store_appt_motif *m)
{
	const struct svc_appt_book_in *in = t->in;
	const struct svc *s = t->s;
	struct store_appt a = { 0 };
	int64_t users[APPT_PARTICIPANTS_MAX], held = 0;
	struct appt_interval slot;
	size_t n, i;
	int rc;

	rc = store_appt_get(s->a->st, c, in->join_id, &a);
	if (rc < 0)
		return -1;
	if (rc == 1 || strcmp(a.org_id, in->org_id) != 0 ||
	    a.motif_id != m->id) {
		store_appt_clear(&a);
		return appt_error_set(t->err, APPT_RDV_INCONNU, "join_id",
		    NULL);
	}
	slot.start = a.start_at;
	slot.end = a.end_at;
	if (strcmp(a.status, "a_venir") != 0 || a.start_at <= t->now)
		rc = appt_error_set(t->err, APPT_RDV_PASSE, "join_id", NULL);
	else if (store_appt_participants(s->a->st, c, a.id, users,
		     APPT_PARTICIPANTS_MAX, &n) != 0 ||
	    store_appt_session_holds(s->a->st, c, a.id, t->exclude_hold, t->now,
		&held) != 0)
		rc = -1;
	else /* seats held online count until confirmed or expired */
		rc = appt_check_capacity((int)(n + (size_t)held),
		    (int)in->n_users, (int)a.capacity);
	if (rc == APPT_OK)
		rc = check_users(s, c, in->org_id, in->users, in->n_users, slot,
		    0, t->err);
	for (i = 0; rc == APPT_OK && i < in->n_users; i++)
		if (store_appt_participant_add(s->a->st, c, a.id, in->users[i],
			t->who->account_id, t->now) != 0)
			rc = -1;
	t->id = a.id;
	store_appt_clear(&a);
	return rc;
}

/* Checks and writes one booking on c. */
static int
book(struct book_tx *t, struct store_conn *c)
{
	const struct svc_appt_book_in *in = t->in;
	const struct svc *s = t->s;
	struct store_appt_motif m = { 0 };
	struct store_appt_place pl = { 0 };
	struct store_appt a = { 0 };
	const char *agents[APPT_AGENTS_MAX];
	int64_t users[APPT_PARTICIPANTS_MAX];
	struct appt_interval slot;
	json_t *d;
	size_t i;
	int rc;

	rc = store_appt_motif_get(s->a->st, c, in->org_id, in->motif_id, &m);
	if (rc < 0)
		return -1;
	if (rc == 1 || m.archived_at != 0)
		return appt_error_set(t->err, APPT_MOTIF_INCONNU, "motif_id",
		    NULL);
	if (in->actor == APPT_BY_USER && !m.online)
		return appt_error_set(t->err,
		    APPT_MOTIF_NON_RESERVABLE_EN_LIGNE, "motif_id", NULL);
	if (in->n_users < 1 || in->n_users > APPT_PARTICIPANTS_MAX)
		return appt_error_set(t->err, APPT_PARAMETRE_INVALIDE,
		    "user_ids", "doit désigner au moins un usager");
	if (m.collective && in->join_id > 0)
		return join_session(t, c, &m);
	if (in->join_id > 0)
		return appt_error_set(t->err, APPT_MOTIF_INDIVIDUEL, "join_id",
		    NULL);
	if (in->n_agents < 1 || in->n_agents > APPT_AGENTS_MAX)
		return appt_error_set(t->err, APPT_PARAMETRE_INVALIDE,
		    "agent_ids", "doit désigner au moins un agent");
	slot.start = in->start_at;
	slot.end = in->start_at + (int64_t)m.duration_min * MIN_MS;
	if (in->start_at <= t->now)
		return appt_error_set(t->err, APPT_RDV_PASSE, "start_at", NULL);
	if (in->actor == APPT_BY_USER &&
	    (rc = appt_check_delays(in->start_at, t->now,
		 m.min_delay_min * MIN_MS, m.max_delay_min * MIN_MS)) !=
		APPT_OK)
		return appt_error_set(t->err, rc, "start_at", NULL);
	if (strcmp(m.location_type, "place") == 0) {
		rc = in->place_id > 0 ? store_appt_place_get(s->a->st, c,
					    in->org_id, in->place_id, &pl)
				      : 1;
		if (rc < 0)
			return -1;
		if (rc == 1 || pl.archived_at != 0)
			return appt_error_set(t->err, APPT_LIEU_INCONNU,
			    "place_id", NULL);
	} else if (in->place_id > 0)
		return appt_error_set(t->err, APPT_PARAMETRE_INVALIDE,
		    "place_id", "ne s'applique qu'à un motif sur place");
	if (strcmp(m.location_type, "home") == 0 &&
	    (in->home_address == NULL || in->home_address[0] == '\0' ||
		strlen(in->home_address) > 300))
		return appt_error_set(t->err, APPT_PARAMETRE_INVALIDE,
		    "home_address",
		    "est obligatoire pour un rendez-vous à "
		    "domicile (300 caractères au plus)");
	if (!m.collective && in->n_users > 1 &&
	    (rc = appt_check_capacity(0, (int)in->n_users, m.capacity)) !=
		APPT_OK)
		return appt_error_set(t->err, APPT_PARAMETRE_INVALIDE,
		    "user_ids", "un rendez-vous individuel n'a qu'un usager");
	if (m.collective &&
	    (rc = appt_check_capacity(0, (int)in->n_users, m.capacity)) !=
		APPT_OK)
		return appt_error_set(t->err, rc, "user_ids", NULL);
	/* Locks in one order (PostgreSQL), then every check. */
	memcpy(agents, in->agents, in->n_agents * sizeof(*agents));
	qsort(agents, in->n_agents, sizeof(*agents), cmp_text);
	memcpy(users, in->users, in->n_users * sizeof(*users));
	qsort(users, in->n_users, sizeof(*users), cmp_id);
	for (i = 1; i < in->n_agents; i++)
		if (strcmp(agents[i - 1], agents[i]) == 0)
			return appt_error_set(t->err, APPT_PARAMETRE_INVALIDE,
			    "agent_ids", "contient deux fois le même agent");
	for (i = 1; i < in->n_users; i++)
		if (users[i - 1] == users[i])
			return appt_error_set(t->err, APPT_PARAMETRE_INVALIDE,
			    "user_ids", "contient deux fois le même usager");
	{
		char locked[APPT_AGENTS_MAX][STORE_ID_MAX];

		for (i = 0; i < in->n_agents; i++)
			if (snprintf(locked[i], STORE_ID_MAX, "%s",
				agents[i]) >= STORE_ID_MAX)
				return appt_error_set(t->err,
				    APPT_AGENT_INCONNU, "agent_ids", NULL);
		if (store_appt_lock(s->a->st, c,
			(const char(*)[STORE_ID_MAX])locked, in->n_agents,
			users, in->n_users) != 0)
			return -1;
	}
	for (i = 0; i < in->n_agents; i++)
		if ((rc = svc_appt_check_agent(s, c, in->org_id, agents[i], &m,
			 in->place_id, slot, 0, t->exclude_hold, t->now,
			 t->err)) != APPT_OK)
			return rc;
	if ((rc = svc_appt_check_place_room(s, c, in->org_id, in->place_id,
		 slot, 0, t->exclude_hold, t->now, t->err)) != APPT_OK)
		return rc;
	if ((rc = check_users(s, c, in->org_id, users, in->n_users, slot, 0,
		 t->err)) != APPT_OK)
		return rc;
	memset(&a, 0, sizeof(a));
	snprintf(a.org_id, sizeof(a.org_id), "%s", in->org_id);
	a.motif_id = m.id;
	a.place_id = in->place_id;
	snprintf(a.location_type, sizeof(a.location_type), "%s",
	    m.location_type);
	a.start_at = slot.start;
	a.duration_min = m.duration_min;
	a.end_at = slot.end;
	snprintf(a.status, sizeof(a.status), "a_venir");
	a.collective = m.collective;
	a.capacity = m.capacity;
	snprintf(a.created_by, sizeof(a.created_by), "%s", t->who->account_id);
	snprintf(a.created_via, sizeof(a.created_via), "%s",
	    in->actor == APPT_BY_USER ? "online" : "agent");
	a.created_at = a.updated_at = t->now;
	if (store_appt_insert(s->a->st, c, &a, &t->id) != 0)
		return -1;
	a.id = t->id;
	if (strcmp(m.location_type, "home") == 0) {
		a.address_user_id = users[0];
		if (seal_address(s, a.id, users[0], in->home_address,
			&a.home_address) != 0 ||
		    store_appt_update(s->a->st, c, &a) != 0) {
			store_appt_clear(&a);
			return -1;
		}
	}
	store_appt_clear(&a);
	for (i = 0; i < in->n_agents; i++)
		if (store_appt_agent_add(s->a->st, c, t->id, agents[i]) != 0)
			return -1;
	for (i = 0; i < in->n_users; i++)
		if (store_appt_participant_add(s->a->st, c, t->id, users[i],
			t->who->account_id, t->now) != 0)
			return -1;
	d = json_pack("{s:I, s:I, s:I, s:i, s:i, s:s}", "motif_id",
	    (json_int_t)m.id, "place_id", (json_int_t)in->place_id, "start_at",
	    (json_int_t)slot.start, "agents", (int)in->n_agents, "users",
	    (int)in->n_users, "via",
	    in->actor == APPT_BY_USER ? "online" : "agent");
	rc = audit_appt(s, c, t->who, "appointment.book", t->id, d, t->now);
	json_decref(d);
	if (rc != 0)
		return -1;
	return notify_all(s, c, in->org_id, t->id, slot.start,
		   "appointment.booked", in->manage_url, t->now) != 0
	    ? -1
	    : APPT_OK;
}

static int
tx_result(struct book_tx *t, int rc)
{
	t->code = rc;
	return rc == APPT_OK ? 0 : rc < 0 ? -1 : 1;
}

static int
book_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct book_tx *t = arg;

	(void)st;
	return tx_result(t, book(t, c));
}

int
svc_appt_book_in_tx(const struct svc *s, struct store_conn *c,
    const struct svc_actor *who, const struct svc_appt_book_in *in, int64_t now,
    int64_t exclude_hold, int64_t *id, struct appt_error *err)
{
	struct book_tx t;
	int rc;

	memset(&t, 0, sizeof(t));
	t.s = s;
	t.who = who;
	t.in = in;
	t.err = err;
	t.now = now;
	t.exclude_hold = exclude_hold;
	rc = book(&t, c);
	*id = t.id;
	return rc;
}

int
svc_appt_book(const struct svc *s, const struct svc_actor *who,
    const struct svc_appt_book_in *in, int64_t now, int64_t *id,
    struct appt_error *err)
{
	struct book_tx t;
	int rc;

	memset(&t, 0, sizeof(t));
	t.s = s;
	t.who = who;
	t.in = in;
	t.err = err;
	t.now = now;
	rc = store_tx(s->a->st, 1, book_tx, &t);
	if (rc < 0 || t.code < 0)
		return -1;
	*id = t.id;
	return t.code;
}

/* A change of an existing appointment. */
struct change_tx {
	const struct svc *s;
	const struct svc_actor *who;
	const char *org_id, *status;
	enum appt_actor actor;
	int64_t user_id, id, start_at, now;
	struct appt_error *err;
	int code;
};

static int
change_result(struct change_tx *t, int rc)
{
	t->code = rc;
	return rc == APPT_OK ? 0 : rc < 0 ? -1 : 1;
}

/* Loads appointment id as t's actor may see it, and its motif. */
static int
load_change(struct change_tx *t, struct store_conn *c, struct store_appt *a,
    struct store_appt_motif *m)
{
	const struct svc *s = t->s;
	int64_t users[APPT_PARTICIPANTS_MAX];
	size_t n, i;
	int rc;

	rc = store_appt_get(s->a->st, c, t->id, a);
	if (rc < 0)
		return -1;
	if (rc == 1 || (t->org_id != NULL && strcmp(a->org_id, t->org_id) != 0))
		return appt_error_set(t->err, APPT_RDV_INCONNU, "id", NULL);
	if (t->actor == APPT_BY_USER) {
		if (store_appt_participants(s->a->st, c, a->id, users,
			APPT_PARTICIPANTS_MAX, &n) != 0)
			return -1;
		for (i = 0; i < n && users[i] != t->user_id; i++)
			;
		if (i == n)
			return appt_error_set(t->err, APPT_RDV_INCONNU, "id",
			    NULL);
	}
	rc = store_appt_motif_get(s->a->st, c, a->org_id, a->motif_id, m);
	return rc < 0 ? -1 : rc == 1 ? APPT_MOTIF_INCONNU : APPT_OK;
}

static int
status_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct change_tx *t = arg;
	struct store_appt a = { 0 };
	struct store_appt_motif m = { 0 };
	enum appt_status from, to;
	json_t *d;
	int rc;

	(void)st;
	memset(&a, 0, sizeof(a));
	if ((rc = load_change(t, c, &a, &m)) != APPT_OK)
		goto done;
	if (appt_status_parse(t->status, &to) != 0) {
		rc = appt_error_set(t->err, APPT_PARAMETRE_INVALIDE, "status",
		    "doit être a_venir, vu, excuse, non_venu, annule_agent"
		    " ou annule_usager");
		goto done;
	}
	if (appt_status_parse(a.status, &from) != 0) {
		rc = -1;
		goto done;
	}
	if (appt_status_is_final(from)) {
		rc = appt_error_set(t->err, APPT_RDV_DEJA_ANNULE, "status",
		    NULL);
		goto done;
	}
	rc = appt_status_check(t->actor, from, to, a.start_at, t->now,
	    m.cancel_deadline_min * MIN_MS);
	if (rc != APPT_OK) {
		appt_error_set(t->err, rc, "status", NULL);
		goto done;
	}
	/* A collective session a user leaves goes on for the others. */
	if (t->actor == APPT_BY_USER && a.collective) {
		rc = store_appt_participant_remove(t->s->a->st, c, a.id,
			 t->user_id) < 0
		    ? -1
		    : APPT_OK;
	} else {
		snprintf(a.status, sizeof(a.status), "%s", t->status);
		a.updated_at = t->now;
		rc = store_appt_update(t->s->a->st, c, &a) != 0 ? -1 : APPT_OK;
	}
	if (rc != APPT_OK)
		goto done;
	d = json_pack("{s:s, s:s, s:s}", "from", appt_status_name(from), "to",
	    t->status, "by", t->actor == APPT_BY_USER ? "user" : "agent");
	rc = audit_appt(t->s, c, t->who, "appointment.status", a.id, d, t->now);
	json_decref(d);
	if (rc == 0 && !appt_status_holds_time(to) &&
	    appt_status_holds_time(from))
		rc = notify_all(t->s, c, a.org_id, a.id, a.start_at,
		    "appointment.cancelled", NULL, t->now);
	rc = rc != 0 ? -1 : APPT_OK;
done:
	store_appt_clear(&a);
	return change_result(t, rc);
}

/* The first agent of a's motif and place (in account id order) other
 * than current who may take slot, into taker (locked). Returns 1 found
 * (taker set, t->err cleared), 0 none (taker "", t->err kept), -1. */
static int
other_agent(struct change_tx *t, struct store_conn *c,
    const struct store_appt *a, const struct store_appt_motif *m,
    struct appt_interval slot, const char *current, char taker[STORE_ID_MAX])
{
	struct store_appt_avail av;
	size_t k;
	int rc = 0;

	taker[0] = '\0';
	memset(&av, 0, sizeof(av));
	if (store_appt_avail_read(t->s->a->st, c, a->org_id, m->id, a->place_id,
		slot.start - APPT_DAY_MS, slot.end + APPT_DAY_MS, &av) != 0)
		return -1;
	for (k = 0; rc == 0 && k < av.n_agents; k++) {
		if (strcmp(av.agents[k], current) == 0)
			continue;
		if (store_appt_lock(t->s->a->st, c,
			(const char(*)[STORE_ID_MAX]) & av.agents[k], 1, NULL,
			0) != 0) {
			rc = -1;
			break;
		}
		rc = svc_appt_check_agent(t->s, c, a->org_id, av.agents[k], m,
		    a->place_id, slot, a->id, 0, t->now, NULL);
		if (rc == APPT_OK) {
			snprintf(taker, STORE_ID_MAX, "%s", av.agents[k]);
			appt_error_set(t->err, APPT_OK, NULL, NULL);
			rc = 1;
		} else if (rc > 0)
			rc = 0;
	}
	store_appt_avail_free(&av);
	return rc;
}

static int
move_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct change_tx *t = arg;
	struct store_appt a = { 0 };
	struct store_appt_motif m = { 0 };
	char agents[APPT_AGENTS_MAX][STORE_ID_MAX], taker[STORE_ID_MAX] = "";
	int64_t users[APPT_PARTICIPANTS_MAX], old;
	struct appt_interval slot;
	enum appt_status from;
	size_t na, nu, i;
	json_t *d;
	int rc;

	(void)st;
	memset(&a, 0, sizeof(a));
	if ((rc = load_change(t, c, &a, &m)) != APPT_OK)
		goto done;
	if (appt_status_parse(a.status, &from) != 0) {
		rc = -1;
		goto done;
	}
	if ((rc = appt_status_check_edit(t->actor, from, a.start_at, t->now,
		 m.cancel_deadline_min * MIN_MS)) != APPT_OK) {
		appt_error_set(t->err, rc, "start_at", NULL);
		goto done;
	}
	/* A user moves what they could book online, and not a collective
	 * session the others keep. */
	if (t->actor == APPT_BY_USER && (!m.online || a.collective)) {
		rc = appt_error_set(t->err,
		    a.collective ? APPT_MOTIF_COLLECTIF
				 : APPT_MOTIF_NON_RESERVABLE_EN_LIGNE,
		    "id", NULL);
		goto done;
	}
	slot.start = t->start_at;
	slot.end = t->start_at + a.duration_min * MIN_MS;
	if (t->start_at <= t->now) {
		rc = appt_error_set(t->err, APPT_RDV_PASSE, "start_at", NULL);
		goto done;
	}
	if (t->actor == APPT_BY_USER &&
	    (rc = appt_check_delays(t->start_at, t->now,
		 m.min_delay_min * MIN_MS, m.max_delay_min * MIN_MS)) !=
		APPT_OK) {
		appt_error_set(t->err, rc, "start_at", NULL);
		goto done;
	}
	if (store_appt_agents(t->s->a->st, c, a.id, agents, APPT_AGENTS_MAX,
		&na) != 0 ||
	    store_appt_participants(t->s->a->st, c, a.id, users,
		APPT_PARTICIPANTS_MAX, &nu) != 0 ||
	    store_appt_lock(t->s->a->st, c, (const char(*)[STORE_ID_MAX])agents,
		na, users, nu) != 0) {
		rc = -1;
		goto done;
	}
	for (i = 0; i < na; i++)
		if ((rc = svc_appt_check_agent(t->s, c, a.org_id, agents[i], &m,
			 a.place_id, slot, a.id, 0, t->now, t->err)) != APPT_OK)
			break;
	/* A user moves to a slot the public list offers: when their agent
	 * cannot take it, the first agent of the motif who can does. */
	if (rc > 0 && t->actor == APPT_BY_USER && na == 1) {
		int other = other_agent(t, c, &a, &m, slot, agents[0], taker);

		if (other < 0) {
			rc = -1;
			goto done;
		}
		if (other == 1)
			rc = APPT_OK;
	}
	if (rc != APPT_OK)
		goto done;
	if ((rc = svc_appt_check_place_room(t->s, c, a.org_id, a.place_id, slot,
		 a.id, 0, t->now, t->err)) != APPT_OK)
		goto done;
	if ((rc = check_users(t->s, c, a.org_id, users, nu, slot, a.id,
		 t->err)) != APPT_OK)
		goto done;
	if (taker[0] != '\0' &&
	    (store_appt_agent_remove(t->s->a->st, c, a.id, agents[0]) != 0 ||
		store_appt_agent_add(t->s->a->st, c, a.id, taker) != 0)) {
		rc = -1;
		goto done;
	}
	old = a.start_at;
	a.start_at = slot.start;
	a.end_at = slot.end;
	a.updated_at = t->now;
	/* A guest's emailed link serves until the appointment starts: it
	 * follows the move, later or earlier. */
	if (store_appt_update(t->s->a->st, c, &a) != 0 ||
	    store_appt_manage_follow(t->s->a->st, c, a.id, a.start_at) != 0) {
		rc = -1;
		goto done;
	}
	d = json_pack("{s:I, s:I, s:s, s:b}", "from", (json_int_t)old, "to",
	    (json_int_t)slot.start, "by",
	    t->actor == APPT_BY_USER ? "user" : "agent", "agent_changed",
	    taker[0] != '\0');
	rc = audit_appt(t->s, c, t->who, "appointment.move", a.id, d, t->now);
	json_decref(d);
	if (rc == 0)
		rc = notify_all(t->s, c, a.org_id, a.id, a.start_at,
		    "appointment.moved", NULL, t->now);
	/* notify_all reaches the agents the appointment has now; the one
	 * it was taken from is told apart. */
	if (rc == 0 && taker[0] != '\0') {
		char params[96];
		struct notice n = { "appointment.reassigned", params };

		snprintf(params, sizeof(params),
		    "{\"appointment_id\":%lld,\"starts_at\":%lld}",
		    (long long)a.id, (long long)a.start_at);
		rc =
		    notify_account(t->s->a, c, agents[0], a.org_id, &n, t->now);
	}
	rc = rc != 0 ? -1 : APPT_OK;
done:
	store_appt_clear(&a);
	return change_result(t, rc);
}

static int
run_change(struct change_tx *t,
    int (*fn)(struct store *, struct store_conn *, void *))
{
	int rc = store_tx(t->s->a->st, 1, fn, t);

	return rc < 0 || t->code < 0 ? -1 : t->code;
}

/* Fills t for a change of appointment id of org_id by who as actor. */
static void
change_init(struct change_tx *t, const struct svc *s,
    const struct svc_actor *who, const char *org_id, enum appt_actor actor,
    int64_t user_id, int64_t id, int64_t now, struct appt_error *err)
{
	memset(t, 0, sizeof(*t));
	t->s = s;
	t->who = who;
	t->org_id = org_id;
	t->actor = actor;
	t->user_id = user_id;
	t->id = id;
	t->now = now;
	t->err = err;
}

int
svc_appt_set_status(const struct svc *s, const struct svc_actor *who,
    const char *org_id, enum appt_actor actor, int64_t user_id, int64_t id,
    const char *status, int64_t now, struct appt_error *err)
{
	struct change_tx t;

	change_init(&t, s, who, org_id, actor, user_id, id, now, err);
	t.status = status;
	return run_change(&t, status_tx);
}

int
svc_appt_move(const struct svc *s, const struct svc_actor *who,
    const char *org_id, enum appt_actor actor, int64_t user_id, int64_t id,
    int64_t start_at, int64_t now, struct appt_error *err)
{
	struct change_tx t;

	change_init(&t, s, who, org_id, actor, user_id, id, now, err);
	t.start_at = start_at;
	return run_change(&t, move_tx);
}

struct get_tx {
	const struct svc *s;
	const char *org_id;
	int64_t id;
	struct svc_appt_view *out;
	int code;
};

static int
get_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct get_tx *t = arg;
	struct svc_appt_view *v = t->out;
	int rc = store_appt_get(st, c, t->id, &v->a);

	if (rc != 0) {
		t->code = rc < 0 ? -1 : APPT_RDV_INCONNU;
		return rc < 0 ? -1 : 0;
	}
	if (t->org_id != NULL && strcmp(v->a.org_id, t->org_id) != 0) {
		t->code = APPT_RDV_INCONNU;
		return 0;
	}
	if (store_appt_agents(st, c, t->id, v->agents, APPT_AGENTS_MAX,
		&v->n_agents) != 0 ||
	    store_appt_participants(st, c, t->id, v->users,
		APPT_PARTICIPANTS_MAX, &v->n_users) != 0)
		return -1;
	t->code = APPT_OK;
	return 0;
}

int
svc_appt_get(const struct svc *s, const char *org_id, int64_t id,
    struct svc_appt_view *out)
{
	struct get_tx t = { s, org_id, id, out, 0 };

	memset(out, 0, sizeof(*out));
	if (store_tx(s->a->st, 0, get_tx, &t) != 0 || t.code < 0) {
		store_appt_clear(&out->a);
		return -1;
	}
	if (t.code != APPT_OK)
		store_appt_clear(&out->a);
	return t.code;
}

int
svc_appt_list(const struct svc *s, const char *org_id, const char *agent_id,
    int64_t from, int64_t to, long limit, store_appt_fn fn, void *arg)
{
	return store_appt_list_org(s->a->st, store_conn(s->a->st), org_id,
	    agent_id, from, to, limit, fn, arg);
}

/* The free-slot search. */
struct slots_tx {
	const struct svc *s;
	const char *org_id;
	int64_t motif_id, place_id, from, to, now;
	enum appt_actor actor;
	struct appt_slot_list *out;
	struct appt_error *err;
	int code;
	char (*agents)[STORE_ID_MAX]; /* handed to the caller */
};

#define FULL_MAX (BUSY_MAX / 2) /* full stretches of a place in a search */

/* The stretches of [from, to) place_id (of org_id) has no room left, into
 * *full (allocated, or NULL when it has no limit) and *n. Returns 0, or
 * -1 (also when it is taken more often than a search can hold: refusing
 * the search is better than offering slots that would be refused). */
static int
place_full(struct store *st, struct store_conn *c, const char *org_id,
    int64_t place_id, int64_t from, int64_t to, int64_t now,
    struct appt_interval **full, size_t *n)
{
	struct store_appt_place pl = { 0 };
	struct appt_interval *busy = NULL;
	struct appt_place_edge *edges = NULL;
	size_t nb = 0;
	int rc = -1;

	*full = NULL;
	*n = 0;
	if (store_appt_place_get(st, c, org_id, place_id, &pl) != 0)
		return -1;
	if (pl.rooms <= 0)
		return 0;
	busy = calloc(BUSY_MAX, sizeof(*busy));
	edges = calloc(2 * BUSY_MAX, sizeof(*edges));
	*full = calloc(FULL_MAX, sizeof(**full));
	if (busy != NULL && edges != NULL && *full != NULL &&
	    store_appt_place_busy_list(st, c, place_id, from, to, 0, 0, now,
		busy, BUSY_MAX, &nb) == 0 &&
	    (*n = appt_place_full(busy, nb, pl.rooms, edges, *full,
		 FULL_MAX)) <= FULL_MAX)
		rc = 0;
	free(busy);
	free(edges);
	if (rc != 0) {
		free(*full);
		*full = NULL;
		*n = 0;
	}
	return rc;
}

static int
slots_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct slots_tx *t = arg;
	struct store_appt_motif m = { 0 };
	struct store_appt_avail sa;
	struct appt_slot_query q;
	struct appt_agent_avail *av = NULL;
	struct appt_interval *buf = NULL, *open, *blocked, *full = NULL;
	size_t i, n_open, n_abs, n_busy, k = 0, n_full = 0;
	const size_t per = OPEN_MAX + ABSENT_MAX + BUSY_MAX;
	int rc;

	t->code = -1;
	memset(&sa, 0, sizeof(sa));
	rc = store_appt_motif_get(st, c, t->org_id, t->motif_id, &m);
	if (rc != 0 || m.archived_at != 0) {
		t->code = rc < 0 ? -1
				 : (int)appt_error_set(t->err,
				       APPT_MOTIF_INCONNU, "motif_id", NULL);
		return 0;
	}
	if (t->actor == APPT_BY_USER && !m.online) {
		t->code = appt_error_set(t->err,
		    APPT_MOTIF_NON_RESERVABLE_EN_LIGNE, "motif_id", NULL);
		return 0;
	}
	if (strcmp(m.location_type, "place") == 0 &&
	    (t->place_id <= 0 ||
		store_appt_live(st, c, STORE_APPT_PLACE, t->org_id,
		    t->place_id) != 1)) {
		t->code = appt_error_set(t->err, APPT_LIEU_INCONNU, "place_id",
		    "doit désigner un lieu de l'organisme pour un motif sur"
		    " place");
		return 0;
	}
	memset(&q, 0, sizeof(q));
	q.from = t->from;
	q.to = t->to;
	q.now = t->now;
	q.duration_ms = (int64_t)m.duration_min * MIN_MS;
	q.min_delay_ms =
	    t->actor == APPT_BY_USER ? m.min_delay_min * MIN_MS : 0;
	q.max_delay_ms =
	    t->actor == APPT_BY_USER ? m.max_delay_min * MIN_MS : 0;
	if (appt_slot_query_check(&q) != 0 ||
	    t->to - t->from > 93 * APPT_DAY_MS) {
		t->code = appt_error_set(t->err, APPT_PARAMETRE_INVALIDE, "to",
		    "doit suivre from de 93 jours au plus");
		return 0;
	}
	if (store_appt_avail_read(st, c, t->org_id, m.id,
		strcmp(m.location_type, "place") == 0 ? t->place_id : 0,
		t->from, t->to + q.duration_ms, &sa) != 0)
		return -1;
	/* The times the place has no room left block every agent. */
	if (strcmp(m.location_type, "place") == 0 &&
	    place_full(st, c, t->org_id, t->place_id, t->from,
		t->to + q.duration_ms, t->now, &full, &n_full) != 0)
		goto fail;
	/* Each agent: its opening intervals, then its absences and busy
	 * times together, in one buffer per agent. */
	av = calloc(sa.n_agents > 0 ? sa.n_agents : 1, sizeof(*av));
	buf = calloc(sa.n_agents > 0 ? sa.n_agents : 1, sizeof(*buf) * per);
	if (av == NULL || buf == NULL)
		goto fail;
	for (i = 0; i < sa.n_agents; i++) {
		open = buf + i * per;
		blocked = open + OPEN_MAX;
		if (agent_times(&sa, i, t->from, t->to + q.duration_ms, open,
			&n_open, blocked, &n_abs) != 0)
			goto fail;
		if (n_open == 0)
			continue;
		if (store_appt_agent_busy_list(st, c, sa.agents[i], t->from,
			t->to + q.duration_ms, t->now, blocked + n_abs,
			BUSY_MAX - n_full, &n_busy) != 0)
			goto fail;
		memcpy(blocked + n_abs + n_busy, full, n_full * sizeof(*full));
		n_busy += n_full;
		av[k].agent_id = (int64_t)i;
		av[k].open = open;
		av[k].n_open = n_open;
		av[k].blocked = blocked;
		av[k].n_blocked =
		    appt_intervals_normalize(blocked, n_abs + n_busy);
		k++;
	}
	if (appt_slots_place(&q, av, k, t->out) != 0)
		goto fail;
	t->agents = sa.agents; /* the caller's now */
	sa.agents = NULL;
	t->code = APPT_OK;
	free(av);
	free(buf);
	free(full);
	store_appt_avail_free(&sa);
	return 0;
fail:
	free(av);
	free(buf);
	free(full);
	store_appt_avail_free(&sa);
	return -1;
}

int
svc_appt_free_slots(const struct svc *s, const char *org_id, int64_t motif_id,
    int64_t place_id, int64_t from, int64_t to, enum appt_actor actor,
    int64_t now, struct appt_slot_list *out, char (**agents)[STORE_ID_MAX],
    struct appt_error *err)
{
	struct slots_tx t;
	int rc;

	memset(&t, 0, sizeof(t));
	memset(out, 0, sizeof(*out));
	t.s = s;
	t.org_id = org_id;
	t.motif_id = motif_id;
	t.place_id = place_id;
	t.from = from;
	t.to = to;
	t.now = now;
	t.actor = actor;
	t.out = out;
	t.err = err;
	*agents = NULL;
	rc = store_tx(s->a->st, 0, slots_tx, &t);
	if (rc != 0 || t.code != APPT_OK) {
		free(t.agents);
		appt_slot_list_free(out);
		return rc != 0 || t.code < 0 ? -1 : t.code;
	}
	*agents = t.agents;
	return APPT_OK;
}
