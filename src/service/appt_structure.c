/*
 * appt_structure.c - the organisation side of appointments. Each change
 * reads, checks with the pure rules of src/appointments/, writes and
 * audits inside one store_tx, so that a refusal or a failure half-way
 * leaves nothing behind.
 */
#include "service/appt_structure.h"
#include "service/appt_notify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "appointments/appt_area.h"
#include "appointments/appt_motif.h"
#include "appointments/appt_recur.h"
#include "appointments/appt_time.h"
#include "audit/audit.h"
#include "store/driver.h"
#include "store/identity.h"

/* Returned by a transaction body to roll back a refusal (its code is in
 * the context); store_tx hands it back, and gives -1 for a failure. */
#define REFUSED 1

/* What every change carries through its transaction. */
struct appt_tx {
	const struct svc *s;
	const struct svc_actor *who;
	int64_t now;
	struct appt_error *err;
	enum appt_code code;
	int admin;
	void *in;
	int (*body)(struct store *st, struct store_conn *c, void *arg);
};

/* Records a refusal in t and returns REFUSED. */
static int
refuse(struct appt_tx *t, enum appt_code code, const char *field,
    const char *rule)
{
	t->code = appt_error_set(t->err, code, field, rule);
	return REFUSED;
}

/* The organisation side exists in social services organisations only:
 * anywhere else, the organisation is unknown to it. */
static int
in_service_org(struct store *st, struct store_conn *c, void *arg)
{
	struct appt_tx *t = arg;
	struct store_org org;
	int rc;

	rc = t->who->org_id != NULL ? store_org_get(st, c, t->who->org_id, &org)
				    : 1;
	if (rc < 0)
		return -1;
	if (rc == 1 || strcmp(org.kind, "service") != 0)
		return refuse(t, APPT_ORGANISATION_INCONNUE, NULL, NULL);
	return t->body(st, c, arg);
}

/* Runs body in one write transaction and maps its result: APPT_OK, the
 * refusal's code, or -1. */
static int
appt_run(struct appt_tx *t,
    int (*body)(struct store *st, struct store_conn *c, void *arg))
{
	int rc;

	t->code = APPT_OK;
	t->body = body;
	appt_error_set(t->err, APPT_OK, NULL, NULL);
	rc = store_tx(t->s->a->st, 1, in_service_org, t);
	if (rc == 0)
		return APPT_OK;
	return rc == REFUSED && t->code != APPT_OK ? (int)t->code : -1;
}

static int
audit(struct appt_tx *t, struct store_conn *c, const char *action,
    const char *type, int64_t id, const char *key)
{
	struct audit_entry e;
	char ids[24];

	if (key == NULL) {
		snprintf(ids, sizeof(ids), "%lld", (long long)id);
		key = ids;
	}
	memset(&e, 0, sizeof(e));
	e.actor = t->who->account_id;
	e.action = action;
	e.target_type = type;
	e.target_ids = key;
	e.org = t->who->org_id;
	e.ip = t->who->ip;
	e.request_id = t->who->request_id;
	e.outcome = AUDIT_SUCCESS;
	return audit_append(t->s->a->st, c, t->s->a->audit_key, t->now, &e,
	    NULL);
}

/* Services. */

static int
service_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct appt_tx *t = arg;
	struct store_appt_service *in = t->in;
	int create = in->id == 0, rc;

	snprintf(in->org_id, sizeof(in->org_id), "%s", t->who->org_id);
	rc = create ? store_appt_service_insert(st, c, in, t->now)
		    : store_appt_service_update(st, c, in);
	if (rc < 0)
		return -1;
	if (!create && rc == 1)
		return refuse(t, APPT_SERVICE_INCONNU, NULL, NULL);
	if (rc != 0)
		return refuse(t, APPT_PARAMETRE_INVALIDE, "name",
		    "est déjà le nom d'un autre service de l'organisme");
	return audit(t, c,
	    create ? "appt.service.create" : "appt.service.update",
	    "appt_service", in->id, NULL);
}

int
svc_appt_service_save(const struct svc *s, const struct svc_actor *who,
    struct store_appt_service *in, int64_t now, struct appt_error *err)
{
	struct appt_tx t = { s, who, now, err, APPT_OK, 1, in };

	return appt_run(&t, service_tx);
}

/* Places. */

static int
place_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct appt_tx *t = arg;
	struct store_appt_place *in = t->in;
	int create = in->id == 0, rc;

	snprintf(in->org_id, sizeof(in->org_id), "%s", t->who->org_id);
	rc = create ? store_appt_place_insert(st, c, in, t->now)
		    : store_appt_place_update(st, c, in);
	if (rc < 0)
		return -1;
	if (!create && rc == 1)
		return refuse(t, APPT_LIEU_INCONNU, NULL, NULL);
	if (rc != 0)
		return refuse(t, APPT_PARAMETRE_INVALIDE, "name",
		    "est déjà le nom d'un autre lieu de l'organisme");
	return audit(t, c, create ? "appt.place.create" : "appt.place.update",
	    "appt_place", in->id, NULL);
}

int
svc_appt_place_save(const struct svc *s, const struct svc_actor *who,
    struct store_appt_place *in, int64_t now, struct appt_error *err)
{
	struct appt_tx t = { s, who, now, err, APPT_OK, 1, in };
	char pc[APPT_POSTCODE_MAX], dept[APPT_DEPT_MAX];
	const char *p;

	/* The public directory finds a place by the postcode of its
	 * address: one without cannot be found. */
	if (appt_address_postcode(in->address, pc) != 0 ||
	    appt_postcode_department(pc, dept) != 0)
		return appt_error_set(err, APPT_PARAMETRE_INVALIDE, "address",
		    "doit contenir le code postal du lieu (cinq chiffres, "
		    "par exemple « 12 rue de la Paix, 44000 Nantes »)");
	/* A phone number of an office: digits, spaces, dots, a leading +. */
	for (p = in->phone; *p != '\0'; p++)
		if (!((*p >= '0' && *p <= '9') || *p == ' ' || *p == '.' ||
			(*p == '+' && p == in->phone)))
			return appt_error_set(err, APPT_PARAMETRE_INVALIDE,
			    "phone",
			    "ne peut contenir que des chiffres, des espaces, "
			    "des points et un « + » initial");
	return appt_run(&t, place_tx);
}

/* Agents. */

/* Sorts ids (n) and drops duplicates. Returns the new count. */
static size_t
ids_unique(int64_t *v, size_t n)
{
	size_t i, j, o = 0;
	int64_t x;

	for (i = 1; i < n; i++)
		for (j = i; j > 0 && v[j - 1] > v[j]; j--) {
			x = v[j];
			v[j] = v[j - 1];
			v[j - 1] = x;
		}
	for (i = 0; i < n; i++)
		if (o == 0 || v[o - 1] != v[i])
			v[o++] = v[i];
	return o;
}

/* Checks that each id of v (n) names a live record of kind in the
 * organisation; else refuses with unknown naming list[i]. Field names
 * are static: lists of at most 32 items are named. */
static int
ids_live(struct appt_tx *t, struct store *st, struct store_conn *c,
    enum store_appt_kind kind, const int64_t *v, size_t n,
    const char *const *names, enum appt_code unknown)
{
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		rc = store_appt_live(st, c, kind, t->who->org_id, v[i]);
		if (rc < 0)
			return -1;
		if (rc == 0)
			return refuse(t, unknown, i < 32 ? names[i] : NULL,
			    NULL);
	}
	return 0;
}

#define N8(p)                                                                  \
	p "[0]", p "[1]", p "[2]", p "[3]", p "[4]", p "[5]", p "[6]", p "[7]"
#define N32(p)                                                                 \
	N8(p), p "[8]", p "[9]", p "[10]", p "[11]", p "[12]", p "[13]",       \
	    p "[14]", p "[15]", p "[16]", p "[17]", p "[18]", p "[19]",        \
	    p "[20]", p "[21]", p "[22]", p "[23]", p "[24]", p "[25]",        \
	    p "[26]", p "[27]", p "[28]", p "[29]", p "[30]", p "[31]"

static const char *const service_names[32] = { N32("service_ids") };
static const char *const motif_names[32] = { N32("motif_ids") };

static int
agent_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct appt_tx *t = arg;
	struct store_appt_agent *in = t->in, cur;
	int rc;

	snprintf(in->org_id, sizeof(in->org_id), "%s", t->who->org_id);
	rc = store_appt_account_is_agent(st, c, in->org_id, in->account_id);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return refuse(t, APPT_AGENT_INCONNU, "account_id", NULL);
	if ((rc = ids_live(t, st, c, STORE_APPT_SERVICE, in->services,
		 in->n_services, service_names, APPT_SERVICE_INCONNU)) != 0)
		return rc;
	if ((rc = store_appt_agent_get(st, c, in->org_id, in->account_id,
		 &cur)) < 0)
		return -1;
	if (store_appt_agent_put(st, c, in, t->now) != 0)
		return -1;
	return audit(t, c, rc == 1 ? "appt.agent.create" : "appt.agent.update",
	    "appt_agent", 0, in->account_id);
}

int
svc_appt_agent_put(const struct svc *s, const struct svc_actor *who,
    struct store_appt_agent *in, int64_t now, struct appt_error *err)
{
	struct appt_tx t = { s, who, now, err, APPT_OK, 1, in };

	in->n_services = ids_unique(in->services, in->n_services);
	if (in->n_services == 0)
		return appt_error_set(err, APPT_PARAMETRE_INVALIDE,
		    "service_ids", "doit nommer au moins un service");
	return appt_run(&t, agent_tx);
}

/* Motifs. */

/* The motif validation's field names, as the API's members. */
static const struct {
	const char *rule, *api;
} motif_fields[] = {
	{ "duration", "duration_min" },
	{ "location", "location_type" },
	{ "bookable", "online" },
	{ "min_delay", "min_delay_min" },
	{ "max_delay", "max_delay_min" },
	{ "deadline", "cancel_deadline_min" },
};

static enum appt_code
motif_check(const struct store_appt_motif *in, struct appt_error *err)
{
	struct appt_motif m;
	enum appt_code rc;
	size_t i;

	appt_motif_defaults(&m);
	m.name = in->name;
	m.name_len = strlen(in->name);
	m.instructions = in->instructions;
	m.instructions_len = strlen(in->instructions);
	m.duration_min = in->duration_min;
	if (appt_location_parse(in->location_type, &m.location) != 0)
		return appt_error_set(err, APPT_PARAMETRE_INVALIDE,
		    "location_type", "doit valoir place, phone ou home");
	m.bookable = in->online ? APPT_BOOKABLE_ONLINE : APPT_BOOKABLE_AGENTS;
	m.min_delay_ms = in->min_delay_min * APPT_MINUTE_MS;
	m.max_delay_ms = in->max_delay_min * APPT_MINUTE_MS;
	m.deadline_ms = in->cancel_deadline_min * APPT_MINUTE_MS;
	m.collective = in->collective;
	m.capacity = in->capacity;
	rc = appt_motif_validate(&m, err);
	if (rc != APPT_OK && err != NULL && err->field != NULL)
		for (i = 0; i < sizeof(motif_fields) / sizeof(*motif_fields);
		     i++)
			if (strcmp(err->field, motif_fields[i].rule) == 0)
				err->field = motif_fields[i].api;
	if (rc != APPT_OK)
		return rc;
	if (in->reminder_before_min < 0 || in->reminder_before_min > 10080)
		return appt_error_set(err, APPT_PARAMETRE_INVALIDE,
		    "reminder_before_min",
		    "doit être compris entre 0 et 10080 minutes (7 jours)");
	return APPT_OK;
}

static int
motif_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct appt_tx *t = arg;
	struct store_appt_motif *in = t->in;
	int create = in->id == 0, rc;

	snprintf(in->org_id, sizeof(in->org_id), "%s", t->who->org_id);
	if ((rc = ids_live(t, st, c, STORE_APPT_SERVICE, &in->service_id, 1,
		 (const char *const[]){ "service_id" },
		 APPT_SERVICE_INCONNU)) != 0)
		return rc;
	rc = create ? store_appt_motif_insert(st, c, in, t->now)
		    : store_appt_motif_update(st, c, in);
	if (rc < 0)
		return -1;
	if (!create && rc == 1)
		return refuse(t, APPT_MOTIF_INCONNU, NULL, NULL);
	if (rc != 0)
		return refuse(t, APPT_PARAMETRE_INVALIDE, "name",
		    "est déjà le nom d'un autre motif de ce service et de ce "
		    "type de lieu");
	return audit(t, c, create ? "appt.motif.create" : "appt.motif.update",
	    "appt_motif", in->id, NULL);
}

int
svc_appt_motif_save(const struct svc *s, const struct svc_actor *who,
    struct store_appt_motif *in, int64_t now, struct appt_error *err)
{
	struct appt_tx t = { s, who, now, err, APPT_OK, 1, in };
	enum appt_code rc;

	if (!in->collective && in->capacity == 0)
		in->capacity = 1;
	if ((rc = motif_check(in, err)) != APPT_OK)
		return (int)rc;
	return appt_run(&t, motif_tx);
}

/* Plages. */

/* The recurrence validation's field names, as the API's members. */
static const char *
recur_field(const char *f)
{
	if (f != NULL && strcmp(f, "end") == 0)
		return "end_time";
	return f;
}

static void
recur_of(const struct store_appt_recur *x, const int64_t *exceptions, size_t n,
    struct appt_recur *r)
{
	memset(r, 0, sizeof(*r));
	r->first_day = x->first_day;
	r->last_day = x->last_day == APPT_DAY_NONE ? APPT_NO_END : x->last_day;
	r->every_weeks = x->every_weeks;
	r->weekdays = x->weekdays;
	r->start_minute = x->start_min;
	r->end_minute = x->end_min;
	r->exceptions = exceptions;
	r->n_exceptions = n;
}

/* Checks the agent of a plage or an absence: a live agent of the
 * organisation, read into *a. */
static int
agent_live(struct appt_tx *t, struct store *st, struct store_conn *c,
    const char *agent_id, struct store_appt_agent *a)
{
	int rc = store_appt_agent_get(st, c, t->who->org_id, agent_id, a);

	if (rc < 0)
		return -1;
	if (rc == 1 || a->archived_at != 0)
		return refuse(t, APPT_AGENT_INCONNU, "agent_id", NULL);
	return 0;
}

/* Checks motif i of plage in against agent a. */
static int
plage_motif(struct appt_tx *t, struct store *st, struct store_conn *c,
    const struct store_appt_plage *in, const struct store_appt_agent *a,
    size_t i)
{
	struct store_appt_motif m;
	size_t k;
	int rc;

	rc = store_appt_motif_get(st, c, t->who->org_id, in->motifs[i], &m);
	if (rc < 0)
		return -1;
	if (rc == 1 || m.archived_at != 0)
		return refuse(t, APPT_MOTIF_INCONNU, motif_names[i], NULL);
	for (k = 0; k < a->n_services; k++)
		if (a->services[k] == m.service_id)
			break;
	if (k == a->n_services)
		return refuse(t, APPT_PARAMETRE_INVALIDE, motif_names[i],
		    "doit relever d'un service de l'agent");
	if (strcmp(m.location_type, "place") == 0 && in->place_id == 0)
		return refuse(t, APPT_PARAMETRE_INVALIDE, "place_id",
		    "est obligatoire pour un motif sur place");
	return 0;
}

/* The first live plage of the agent, other than the one saved, whose
 * opening hours meet those of the one saved. */
struct plage_clash {
	const struct store_appt_plage *in;
	struct appt_recur r;
	int64_t id, day;
	char name[APPT_NAME_MAX];
};

static int
plage_clash_fn(void *arg, const struct store_appt_plage *p)
{
	struct plage_clash *k = arg;
	struct appt_recur r;

	if (p->id == k->in->id || p->archived_at != 0)
		return 0;
	recur_of(&p->r, p->exceptions, p->n_exceptions, &r);
	if (!appt_recur_overlap(&k->r, &r, &k->day))
		return 0;
	k->id = p->id;
	snprintf(k->name, sizeof(k->name), "%s", p->name);
	return 1;
}

/* The refusal's rule names the other plage: it is written here, per
 * thread, and read by the caller before its next call. */
static _Thread_local char clash_rule[APPT_NAME_MAX + 160];

/* Refuses a plage whose opening hours meet another plage of its agent:
 * an agent is in one place at a time. */
static int
plage_no_clash(struct appt_tx *t, struct store *st, struct store_conn *c,
    const struct store_appt_plage *in)
{
	struct store_appt_filter f = { 0, in->agent_id, 0 };
	struct plage_clash k;
	char day[16];
	int rc;

	memset(&k, 0, sizeof(k));
	k.in = in;
	recur_of(&in->r, in->exceptions, in->n_exceptions, &k.r);
	rc = store_appt_plages_list(st, c, in->org_id, &f, plage_clash_fn, &k);
	if (k.id == 0)
		return rc < 0 ? -1 : 0;
	if (appt_date_format(k.day, day, sizeof(day)) != 0)
		day[0] = '\0';
	snprintf(clash_rule, sizeof(clash_rule),
	    "chevauche la plage d'ouverture « %s » (n° %lld) du même agent, "
	    "le %s par exemple : mêmes jours, mêmes heures",
	    k.name, (long long)k.id, day);
	return refuse(t, APPT_PLAGE_CHEVAUCHEMENT, "start_time", clash_rule);
}

static int
plage_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct appt_tx *t = arg;
	struct store_appt_plage *in = t->in;
	struct store_appt_agent a;
	int create = in->id == 0, rc;
	size_t i;

	snprintf(in->org_id, sizeof(in->org_id), "%s", t->who->org_id);
	if (!create) {
		struct store_appt_plage *cur = malloc(sizeof(*cur));

		if (cur == NULL)
			return -1;
		rc = store_appt_plage_get(st, c, in->org_id, in->id, cur);
		free(cur);
		if (rc < 0)
			return -1;
		if (rc == 1)
			return refuse(t, APPT_PLAGE_INCONNUE, NULL, NULL);
	}
	if ((rc = agent_live(t, st, c, in->agent_id, &a)) != 0)
		return rc;
	if (in->place_id != 0 &&
	    (rc = ids_live(t, st, c, STORE_APPT_PLACE, &in->place_id, 1,
		 (const char *const[]){ "place_id" }, APPT_LIEU_INCONNU)) != 0)
		return rc;
	for (i = 0; i < in->n_motifs; i++)
		if ((rc = plage_motif(t, st, c, in, &a, i)) != 0)
			return rc;
	if ((rc = plage_no_clash(t, st, c, in)) != 0)
		return rc;
	rc = create ? store_appt_plage_insert(st, c, in, t->now)
		    : store_appt_plage_update(st, c, in);
	if (rc != 0 ||
	    audit(t, c, create ? "appt.plage.create" : "appt.plage.update",
		"appt_plage", in->id, NULL) != 0)
		return -1;
	/* New opening hours: the first people waiting are told. */
	return svc_appt_wait_opened(t->s, c, in->org_id, in->motifs,
	    in->n_motifs, t->now);
}

int
svc_appt_plage_save(const struct svc *s, const struct svc_actor *who,
    struct store_appt_plage *in, int64_t now, struct appt_error *err)
{
	struct appt_tx t = { s, who, now, err, APPT_OK, 1, in };
	struct appt_recur r;
	enum appt_code rc;

	in->n_motifs = ids_unique(in->motifs, in->n_motifs);
	in->n_exceptions = ids_unique(in->exceptions, in->n_exceptions);
	if (in->n_motifs == 0)
		return appt_error_set(err, APPT_PARAMETRE_INVALIDE, "motif_ids",
		    "doit nommer au moins un motif");
	recur_of(&in->r, in->exceptions, in->n_exceptions, &r);
	if ((rc = appt_recur_validate(&r, err)) != APPT_OK) {
		if (err != NULL)
			err->field = recur_field(err->field);
		return (int)rc;
	}
	return appt_run(&t, plage_tx);
}

/* Absences. */

static enum appt_code
absence_check(const struct store_appt_absence *in, struct appt_error *err)
{
	struct appt_absence a;
	enum appt_code rc;

	memset(&a, 0, sizeof(a));
	if (in->r.every_weeks == 0) {
		if (in->r.last_day == APPT_DAY_NONE)
			return appt_error_set(err, APPT_PARAMETRE_INVALIDE,
			    "last_day",
			    "est obligatoire pour une absence ponctuelle");
		if (in->r.weekdays != 0)
			return appt_error_set(err, APPT_PARAMETRE_INVALIDE,
			    "weekdays",
			    "ne s'applique qu'à une absence récurrente");
		if (in->r.last_day < in->r.first_day)
			return appt_error_set(err, APPT_PARAMETRE_INVALIDE,
			    "last_day", "ne peut précéder le premier jour");
		a.once.start =
		    appt_paris_to_utc(in->r.first_day, in->r.start_min, NULL);
		a.once.end =
		    appt_paris_to_utc(in->r.last_day, in->r.end_min, NULL);
	} else {
		a.recurring = 1;
		recur_of(&in->r, NULL, 0, &a.recur);
	}
	rc = appt_absence_validate(&a, err);
	if (rc != APPT_OK && err != NULL)
		err->field = recur_field(err->field);
	return rc;
}

/* An agent without appt.admin touches its own absences only. */
static int
absence_mine(struct appt_tx *t, const char *agent_id)
{
	if (t->admin || strcmp(agent_id, t->who->account_id) == 0)
		return 0;
	return refuse(t, APPT_ACTION_INTERDITE, "agent_id",
	    "ne peut désigner qu'un autre agent pour un administrateur");
}

static int
absence_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct appt_tx *t = arg;
	struct store_appt_absence *in = t->in, cur;
	struct store_appt_agent a;
	int create = in->id == 0, rc;

	snprintf(in->org_id, sizeof(in->org_id), "%s", t->who->org_id);
	if (!create) {
		rc = store_appt_absence_get(st, c, in->org_id, in->id, &cur);
		if (rc < 0)
			return -1;
		if (rc == 1)
			return refuse(t, APPT_ABSENCE_INCONNUE, NULL, NULL);
		if ((rc = absence_mine(t, cur.agent_id)) != 0)
			return rc;
	}
	if ((rc = absence_mine(t, in->agent_id)) != 0 ||
	    (rc = agent_live(t, st, c, in->agent_id, &a)) != 0)
		return rc;
	rc = create ? store_appt_absence_insert(st, c, in, t->now)
		    : store_appt_absence_update(st, c, in);
	if (rc != 0)
		return -1;
	return audit(t, c,
	    create ? "appt.absence.create" : "appt.absence.update",
	    "appt_absence", in->id, NULL);
}

int
svc_appt_absence_save(const struct svc *s, const struct svc_actor *who,
    int admin, struct store_appt_absence *in, int64_t now,
    struct appt_error *err)
{
	struct appt_tx t = { s, who, now, err, APPT_OK, admin, in };
	enum appt_code rc;

	if ((rc = absence_check(in, err)) != APPT_OK)
		return (int)rc;
	return appt_run(&t, absence_tx);
}

/* Archiving. */

static const struct {
	const char *action, *type;
	enum appt_code unknown;
} archive_of[] = {
	[STORE_APPT_SERVICE] = { "appt.service.archive", "appt_service",
	    APPT_SERVICE_INCONNU },
	[STORE_APPT_PLACE] = { "appt.place.archive", "appt_place",
	    APPT_LIEU_INCONNU },
	[STORE_APPT_AGENT] = { "appt.agent.archive", "appt_agent",
	    APPT_AGENT_INCONNU },
	[STORE_APPT_MOTIF] = { "appt.motif.archive", "appt_motif",
	    APPT_MOTIF_INCONNU },
	[STORE_APPT_PLAGE] = { "appt.plage.archive", "appt_plage",
	    APPT_PLAGE_INCONNUE },
	[STORE_APPT_ABSENCE] = { "appt.absence.archive", "appt_absence",
	    APPT_ABSENCE_INCONNUE },
};

struct archive_in {
	enum store_appt_kind kind;
	int64_t id;
	const char *account_id;
};

static int
archive_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct appt_tx *t = arg;
	const struct archive_in *in = t->in;
	struct store_appt_absence cur;
	int rc, live;

	if (in->kind == STORE_APPT_ABSENCE && !t->admin) {
		rc =
		    store_appt_absence_get(st, c, t->who->org_id, in->id, &cur);
		if (rc < 0)
			return -1;
		if (rc == 0 && (rc = absence_mine(t, cur.agent_id)) != 0)
			return rc;
	}
	rc = store_appt_archive(st, c, in->kind, t->who->org_id, in->id,
	    in->account_id, t->now, &live);
	if (rc < 0)
		return -1;
	if (rc == 1)
		return refuse(t, archive_of[in->kind].unknown, NULL, NULL);
	if (!live)
		return 0;
	return audit(t, c, archive_of[in->kind].action,
	    archive_of[in->kind].type, in->id,
	    in->kind == STORE_APPT_AGENT ? in->account_id : NULL);
}

int
svc_appt_archive(const struct svc *s, const struct svc_actor *who, int admin,
    enum store_appt_kind kind, int64_t id, const char *account_id, int64_t now,
    struct appt_error *err)
{
	struct archive_in in = { kind, id, account_id };
	struct appt_tx t = { s, who, now, err, APPT_OK, admin, &in };

	if ((unsigned)kind >= sizeof(archive_of) / sizeof(*archive_of))
		return -1;
	return appt_run(&t, archive_tx);
}

/* Reads: one read transaction each. */

struct get_tx {
	const char *org_id;
	enum store_appt_kind kind;
	int64_t id;
	const char *account_id;
	void *out;
};

static int
get_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct get_tx *g = arg;

	switch (g->kind) {
	case STORE_APPT_SERVICE:
		return store_appt_service_get(st, c, g->org_id, g->id, g->out);
	case STORE_APPT_PLACE:
		return store_appt_place_get(st, c, g->org_id, g->id, g->out);
	case STORE_APPT_AGENT:
		return store_appt_agent_get(st, c, g->org_id, g->account_id,
		    g->out);
	case STORE_APPT_MOTIF:
		return store_appt_motif_get(st, c, g->org_id, g->id, g->out);
	case STORE_APPT_PLAGE:
		return store_appt_plage_get(st, c, g->org_id, g->id, g->out);
	case STORE_APPT_ABSENCE:
		return store_appt_absence_get(st, c, g->org_id, g->id, g->out);
	}
	return -1;
}

int
svc_appt_record_get(const struct svc *s, const char *org_id,
    enum store_appt_kind kind, int64_t id, const char *account_id, void *out,
    struct appt_error *err)
{
	struct get_tx g = { org_id, kind, id, account_id, out };
	int agent = kind == STORE_APPT_AGENT, rc = 1;

	appt_error_set(err, APPT_OK, NULL, NULL);
	if ((unsigned)kind >= sizeof(archive_of) / sizeof(*archive_of))
		return -1;
	/* The store reads any organisation's record without one: never. */
	if (org_id != NULL && (!agent || account_id != NULL))
		rc = store_tx(s->a->st, 0, get_tx, &g);
	if (rc < 0)
		return -1;
	if (rc != 0)
		return appt_error_set(err, archive_of[kind].unknown,
		    agent ? "account_id" : NULL, NULL);
	return APPT_OK;
}

/* Lists: one read transaction each. */

struct list_tx {
	const char *org_id;
	const struct store_appt_filter *f;
	enum store_appt_kind kind;
	union {
		store_appt_service_fn service;
		store_appt_place_fn place;
		store_appt_agent_fn agent;
		store_appt_motif_fn motif;
		store_appt_plage_fn plage;
		store_appt_absence_fn absence;
	} fn;
	void *arg;
};

static int
list_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct list_tx *l = arg;

	switch (l->kind) {
	case STORE_APPT_SERVICE:
		return store_appt_services_list(st, c, l->org_id, l->f,
		    l->fn.service, l->arg);
	case STORE_APPT_PLACE:
		return store_appt_places_list(st, c, l->org_id, l->f,
		    l->fn.place, l->arg);
	case STORE_APPT_AGENT:
		return store_appt_agents_list(st, c, l->org_id, l->f,
		    l->fn.agent, l->arg);
	case STORE_APPT_MOTIF:
		return store_appt_motifs_list(st, c, l->org_id, l->f,
		    l->fn.motif, l->arg);
	case STORE_APPT_PLAGE:
		return store_appt_plages_list(st, c, l->org_id, l->f,
		    l->fn.plage, l->arg);
	case STORE_APPT_ABSENCE:
		return store_appt_absences_list(st, c, l->org_id, l->f,
		    l->fn.absence, l->arg);
	}
	return -1;
}

static int
list_run(const struct svc *s, struct list_tx *l)
{
	return store_tx(s->a->st, 0, list_tx, l) == 0 ? 0 : -1;
}

#define LIST(kind_, member)                                                    \
	struct list_tx l = { org_id, f, kind_, { 0 }, arg };                   \
	l.fn.member = fn;                                                      \
	return list_run(s, &l)

int
svc_appt_services_list(const struct svc *s, const char *org_id,
    const struct store_appt_filter *f, store_appt_service_fn fn, void *arg)
{
	LIST(STORE_APPT_SERVICE, service);
}

int
svc_appt_places_list(const struct svc *s, const char *org_id,
    const struct store_appt_filter *f, store_appt_place_fn fn, void *arg)
{
	LIST(STORE_APPT_PLACE, place);
}

int
svc_appt_agents_list(const struct svc *s, const char *org_id,
    const struct store_appt_filter *f, store_appt_agent_fn fn, void *arg)
{
	LIST(STORE_APPT_AGENT, agent);
}

int
svc_appt_motifs_list(const struct svc *s, const char *org_id,
    const struct store_appt_filter *f, store_appt_motif_fn fn, void *arg)
{
	LIST(STORE_APPT_MOTIF, motif);
}

int
svc_appt_plages_list(const struct svc *s, const char *org_id,
    const struct store_appt_filter *f, store_appt_plage_fn fn, void *arg)
{
	LIST(STORE_APPT_PLAGE, plage);
}

int
svc_appt_absences_list(const struct svc *s, const char *org_id,
    const struct store_appt_filter *f, store_appt_absence_fn fn, void *arg)
{
	LIST(STORE_APPT_ABSENCE, absence);
}
