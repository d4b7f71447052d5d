/*
 * authority.c - the exam authority's services: centres, slots,
 * coefficients, establishments. Each change reads, checks with the pure
 * rules, writes and audits inside one store_tx, so that a refusal or a
 * failure half-way leaves nothing behind.
 */
#include "service/authority.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/audit.h"
#include "booking/exam.h"
#include "booking/neph.h"
#include "core/buf.h"
#include "store/driver.h"

/* Returned by a transaction body to roll back a refusal (its code is in
 * the context); store_tx hands it back, and gives -1 for a failure. */
#define REFUSED 1

static void
fault_set(struct svc_fault *f, long index, const char *field, const char *why)
{
	if (f == NULL)
		return;
	f->index = index;
	f->field = field;
	f->why = why;
}

/* Maps a transaction's result and the code it left to the service's
 * answer. Called on its own line after store_tx: as two arguments of one
 * call, the code could be read before the transaction ran. */
static int
tx_result(int rc, enum bk_code code)
{
	if (rc == 0)
		return BK_OK;
	return rc == REFUSED && code != BK_OK ? (int)code : -1;
}

static int
audit(const struct svc *s, struct store_conn *c, const struct svc_actor *who,
    int64_t now, const char *action, const char *type, const char *ids,
    const char *details)
{
	struct audit_entry e;

	memset(&e, 0, sizeof(e));
	e.actor = who->account_id;
	e.action = action;
	e.target_type = type;
	e.target_ids = ids;
	e.org = who->org_id;
	e.ip = who->ip;
	e.request_id = who->request_id;
	e.outcome = AUDIT_SUCCESS;
	e.details = details;
	return audit_append(s->a->st, c, s->a->audit_key, now, &e, NULL);
}

static int
checked(enum bk_code (*check)(const char *, size_t), const char *v)
{
	return v != NULL && check(v, strlen(v)) == BK_OK;
}

/* Is v 1..max bytes of letters, digits and the characters of extra? */
static int
token_ok(const char *v, size_t max, const char *extra)
{
	size_t i, n = v != NULL ? strlen(v) : 0;

	if (n == 0 || n > max)
		return 0;
	for (i = 0; i < n; i++)
		if (!((v[i] >= 'a' && v[i] <= 'z') ||
			(v[i] >= 'A' && v[i] <= 'Z') ||
			(v[i] >= '0' && v[i] <= '9') ||
			strchr(extra, v[i]) != NULL))
			return 0;
	return 1;
}

/* Centres. */

struct centre_tx {
	const struct svc *s;
	const struct svc_actor *who;
	struct store_centre *ce;
	int64_t now;
	struct svc_fault *f;
	enum bk_code code;
};

static int
centre_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct centre_tx *t = arg;
	char id[24];
	int rc;

	rc = store_centre_insert(st, c, t->ce, t->now);
	if (rc == 1 || rc == 2) {
		t->code = BK_PARAMETRE_INVALIDE;
		if (rc == 1)
			fault_set(t->f, -1, "name",
			    "Un centre de ce nom existe déjà dans ce "
			    "département.");
		else
			fault_set(t->f, -1, "department",
			    "Le département doit être un code de 01 à 95, "
			    "2A, 2B ou 971 à 976.");
		return REFUSED;
	}
	if (rc != 0)
		return -1;
	snprintf(id, sizeof(id), "%lld", (long long)t->ce->id);
	return audit(t->s, c, t->who, t->now, "centre.create", "centre", id,
	    NULL);
}

int
svc_centre_create(const struct svc *s, const struct svc_actor *who,
    struct store_centre *ce, int64_t now, struct svc_fault *f)
{
	struct centre_tx t = { s, who, ce, now, f, BK_OK };
	int rc;

	fault_set(f, -1, NULL, NULL);
	rc = store_tx(s->a->st, 1, centre_tx, &t);
	return tx_result(rc, t.code);
}

int
svc_centres_list(const struct svc *s, const char *department,
    store_centre_fn fn, void *arg)
{
	struct store_conn *c = store_conn(s->a->st);

	return c == NULL ? -1
			 : store_centres_list(s->a->st, c, department, fn, arg);
}

/* Slots. */

struct publish_tx {
	const struct svc *s;
	const struct svc_actor *who;
	const struct store_slot *in;
	size_t n;
	int64_t now, *ids;
	struct svc_fault *f;
	enum bk_code code;
};

/* Checks slot i of the publication; the centre is read on c. Returns 0,
 * REFUSED with the fault set, or -1. */
static int
publish_check(struct publish_tx *t, struct store *st, struct store_conn *c,
    size_t i, int64_t *last_centre)
{
	const struct store_slot *sl = &t->in[i];
	struct store_centre ce;
	int rc;

	if (sl->centre_id != *last_centre) {
		memset(&ce, 0, sizeof(ce));
		if (sl->centre_id <= 0)
			rc = 1;
		else if ((rc = store_centre_get(st, c, sl->centre_id, &ce)) < 0)
			return -1;
		if (rc == 1) {
			t->code = BK_CENTRE_INCONNU;
			fault_set(t->f, (long)i, "centre_id", NULL);
			return REFUSED;
		}
		*last_centre = sl->centre_id;
	}
	t->code = BK_PARAMETRE_INVALIDE;
	if (!checked(booking_category_check, sl->s.category)) {
		fault_set(t->f, (long)i, "category",
		    "La catégorie doit être une catégorie de permis (B, A, "
		    "C, D, BE...).");
		return REFUSED;
	}
	if (sl->s.start_at <= t->now) {
		fault_set(t->f, (long)i, "start_at",
		    "Un créneau ne peut pas être publié dans le passé.");
		return REFUSED;
	}
	if (sl->s.published_at > sl->s.start_at) {
		fault_set(t->f, (long)i, "published_at",
		    "La date de publication doit précéder le début du "
		    "créneau.");
		return REFUSED;
	}
	if (!token_ok(sl->inspector, STORE_INSPECTOR_MAX - 1, "-")) {
		fault_set(t->f, (long)i, "inspector",
		    "L'inspecteur est un identifiant anonymisé de 1 à 32 "
		    "caractères (lettres, chiffres, tiret).");
		return REFUSED;
	}
	t->code = BK_OK;
	return 0;
}

static int
publish_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct publish_tx *t = arg;
	int64_t last = 0;
	struct buf ids;
	char details[64];
	size_t i;
	int rc;

	for (i = 0; i < t->n; i++)
		if ((rc = publish_check(t, st, c, i, &last)) != 0)
			return rc;
	if (store_slots_insert(st, c, t->in, t->n, t->now, t->ids) != 0)
		return -1;
	/* Every slot id in the entry: who published which slot (rule 9). */
	buf_init(&ids, AUTHORITY_SLOTS_MAX * 21);
	for (i = 0, rc = 0; i < t->n && rc == 0; i++)
		rc = buf_printf(&ids, "%s%lld", i ? "," : "",
		    (long long)t->ids[i]);
	snprintf(details, sizeof(details), "{\"published\":%zu}", t->n);
	if (rc == 0)
		rc = audit(t->s, c, t->who, t->now, "slots.publish", "slot",
		    ids.data, details);
	buf_free(&ids);
	return rc == 0 ? 0 : -1;
}

int
svc_slots_publish(const struct svc *s, const struct svc_actor *who,
    const struct store_slot *in, size_t n, int64_t now, int64_t *ids,
    struct svc_fault *f)
{
	struct publish_tx t = { s, who, in, n, now, ids, f, BK_OK };
	int rc;

	fault_set(f, -1, NULL, NULL);
	if (n == 0 || n > AUTHORITY_SLOTS_MAX) {
		fault_set(f, -1, NULL,
		    "Une publication compte de 1 à 500 créneaux.");
		return BK_PARAMETRE_INVALIDE;
	}
	rc = store_tx(s->a->st, 1, publish_tx, &t);
	return tx_result(rc, t.code);
}

int
svc_slots_list(const struct svc *s, const struct store_slot_query *q,
    store_slot_fn fn, void *arg, int *more)
{
	struct store_conn *c = store_conn(s->a->st);

	return c == NULL ? -1 : store_slots_list(s->a->st, c, q, fn, arg, more);
}

struct withdraw_tx {
	const struct svc *s;
	const struct svc_actor *who;
	int64_t id, now;
	struct store_slot slot;
	enum bk_code code;
};

static int
withdraw_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct withdraw_tx *t = arg;
	char id[24];
	int rc;

	if ((rc = store_slot_get_full(st, c, t->id, &t->slot)) != 0) {
		t->code = BK_CRENEAU_INCONNU;
		return rc == 1 ? REFUSED : -1;
	}
	/* Rule 7 first: a past slot stays as it was, whatever its state. */
	t->code = exam_check_modifiable(t->slot.s.start_at, t->now);
	if (t->code != BK_OK)
		return REFUSED;
	if (t->slot.s.state == SLOT_CANCELLED)
		return 0;
	if (t->slot.s.state != SLOT_FREE) {
		t->code = BK_CRENEAU_DEJA_RESERVE;
		return REFUSED;
	}
	if (store_slot_withdraw(st, c, t->id, t->now) != 0)
		return -1;
	t->slot.s.state = SLOT_CANCELLED;
	snprintf(id, sizeof(id), "%lld", (long long)t->id);
	return audit(t->s, c, t->who, t->now, "slot.withdraw", "slot", id,
	    NULL);
}

int
svc_slot_withdraw(const struct svc *s, const struct svc_actor *who, int64_t id,
    int64_t now, struct store_slot *out)
{
	struct withdraw_tx t;
	int rc;

	memset(&t, 0, sizeof(t));
	t.s = s;
	t.who = who;
	t.id = id;
	t.now = now;
	rc = store_tx(s->a->st, 1, withdraw_tx, &t);
	rc = tx_result(rc, t.code);
	if (rc == BK_OK && out != NULL)
		*out = t.slot;
	return rc;
}

/* Coefficients. */

struct coef_tx {
	const struct svc *s;
	const struct svc_actor *who;
	const struct quota_coefficient *q;
	size_t n;
	int64_t now;
};

static int
coef_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct coef_tx *t = arg;
	struct buf ids;
	size_t i;
	int rc = 0;

	for (i = 0; i < t->n; i++)
		if (store_coefficient_set(st, c, &t->q[i], t->who->account_id,
			t->now) != 0)
			return -1;
	/* Targets as department:category:month, the coefficient's key. */
	buf_init(&ids, AUTHORITY_COEFFICIENTS_MAX * 24);
	for (i = 0; i < t->n && rc == 0; i++)
		rc = buf_printf(&ids, "%s%s:%s:%lld", i ? "," : "",
		    t->q[i].department, t->q[i].category,
		    (long long)t->q[i].month);
	if (rc == 0)
		rc = audit(t->s, c, t->who, t->now, "coefficients.set",
		    "coefficient", ids.data, NULL);
	buf_free(&ids);
	return rc == 0 ? 0 : -1;
}

int
svc_coefficients_set(const struct svc *s, const struct svc_actor *who,
    const struct quota_coefficient *q, size_t n, int64_t now,
    struct svc_fault *f)
{
	struct coef_tx t = { s, who, q, n, now };
	size_t i;
	int rc;

	fault_set(f, -1, NULL, NULL);
	if (n == 0 || n > AUTHORITY_COEFFICIENTS_MAX) {
		fault_set(f, -1, NULL,
		    "Une demande compte de 1 à 200 coefficients.");
		return BK_PARAMETRE_INVALIDE;
	}
	/* Nothing here needs the database: refused before the write lock. */
	for (i = 0; i < n; i++) {
		if (!checked(booking_department_check, q[i].department)) {
			fault_set(f, (long)i, "department",
			    "Le département doit être un code de 01 à 95, "
			    "2A, 2B ou 971 à 976.");
			return BK_PARAMETRE_INVALIDE;
		}
		if (!checked(booking_category_check, q[i].category)) {
			fault_set(f, (long)i, "category",
			    "La catégorie doit être une catégorie de permis "
			    "(B, A, C, D, BE...).");
			return BK_PARAMETRE_INVALIDE;
		}
		if (q[i].month / 100 < 2000 || q[i].month / 100 > 9999 ||
		    q[i].month % 100 < 1 || q[i].month % 100 > 12) {
			fault_set(f, (long)i, "month",
			    "Le mois s'écrit AAAA-MM, par exemple 2026-12.");
			return BK_PARAMETRE_INVALIDE;
		}
		if (q[i].centi < 0 ||
		    q[i].centi > AUTHORITY_COEFFICIENT_MAX_CENTI) {
			fault_set(f, (long)i, "coefficient",
			    "Le coefficient vaut de 0 à 1000 places par ETP, "
			    "avec au plus deux décimales.");
			return BK_PARAMETRE_INVALIDE;
		}
	}
	rc = store_tx(s->a->st, 1, coef_tx, &t);
	return tx_result(rc, BK_OK);
}

int
svc_coefficients_list(const struct svc *s, const char *dept, int64_t month,
    store_coefficient_fn fn, void *arg)
{
	struct store_conn *c = store_conn(s->a->st);

	return c == NULL
	    ? -1
	    : store_coefficients_list(s->a->st, c, dept, month, fn, arg);
}

/* Establishments. */

static int
has_dept(const struct authority_establishments *e, size_t upto,
    const char *dept)
{
	size_t i;

	for (i = 0; i < upto; i++)
		if (strcmp(e->depts[i], dept) == 0)
			return 1;
	return 0;
}

static int
same_row(const struct store_trainer_etp *a, const struct store_trainer_etp *b)
{
	return strcmp(a->trainer, b->trainer) == 0 &&
	    strcmp(a->department, b->department) == 0 &&
	    strcmp(a->category, b->category) == 0;
}

/* Checks e; returns 0, or -1 with the fault set. */
static int
establishments_check(const struct authority_establishments *e,
    struct svc_fault *f)
{
	size_t i, k;

	if (e->ndepts > STORE_SCHOOL_DEPTS_MAX ||
	    e->ntrainers > STORE_TRAINER_ETP_MAX) {
		fault_set(f, -1, NULL, "Trop d'établissements ou de lignes.");
		return -1;
	}
	for (i = 0; i < e->ndepts; i++)
		if (!checked(booking_department_check, e->depts[i]) ||
		    has_dept(e, i, e->depts[i])) {
			fault_set(f, (long)i, "departments",
			    "Chaque département est un code de 01 à 95, 2A, "
			    "2B ou 971 à 976, cité une seule fois.");
			return -1;
		}
	for (i = 0; i < e->ntrainers; i++) {
		const struct store_trainer_etp *t = &e->trainers[i];

		if (!token_ok(t->trainer, STORE_TRAINER_REF_MAX - 1, "._-")) {
			fault_set(f, (long)i, "trainer",
			    "Le formateur est un identifiant de 1 à 64 "
			    "caractères (lettres, chiffres, « . », « _ », "
			    "« - »).");
			return -1;
		}
		if (!has_dept(e, e->ndepts, t->department)) {
			fault_set(f, (long)i, "department",
			    "Le département d'un formateur doit être l'un des "
			    "départements de l'auto-école.");
			return -1;
		}
		if (!checked(booking_category_check, t->category)) {
			fault_set(f, (long)i, "category",
			    "La catégorie doit être une catégorie de permis "
			    "(B, A, C, D, BE...).");
			return -1;
		}
		if (t->etp_centi < 1 || t->etp_centi > 100) {
			fault_set(f, (long)i, "etp",
			    "L'ETP vaut de 0,01 à 1,00, avec au plus deux "
			    "décimales.");
			return -1;
		}
		for (k = 0; k < i; k++)
			if (same_row(&e->trainers[k], t)) {
				fault_set(f, (long)i, "trainer",
				    "Ce formateur figure déjà pour ce "
				    "département et cette catégorie.");
				return -1;
			}
	}
	return 0;
}

struct estab_tx {
	const struct svc *s;
	const struct svc_actor *who;
	int64_t school_id;
	const char *org_id;
	const struct authority_establishments *e;
	int64_t now;
};

static int
estab_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct estab_tx *t = arg;
	char details[96];

	if (store_school_departments_set(st, c, t->school_id,
		(const char(*)[BK_DEPARTMENT_MAX])t->e->depts,
		t->e->ndepts) != 0 ||
	    store_trainer_etp_set(st, c, t->school_id, t->e->trainers,
		t->e->ntrainers) != 0)
		return -1;
	snprintf(details, sizeof(details),
	    "{\"departments\":%zu,\"trainer_rows\":%zu}", t->e->ndepts,
	    t->e->ntrainers);
	return audit(t->s, c, t->who, t->now, "school.establishments",
	    "organisation", t->org_id, details);
}

int
svc_establishments_set(const struct svc *s, const struct svc_actor *who,
    int64_t school_id, const char *org_id,
    const struct authority_establishments *e, int64_t now, struct svc_fault *f)
{
	struct estab_tx t = { s, who, school_id, org_id, e, now };
	int rc;

	fault_set(f, -1, NULL, NULL);
	if (establishments_check(e, f) != 0)
		return BK_PARAMETRE_INVALIDE;
	rc = store_tx(s->a->st, 1, estab_tx, &t);
	return tx_result(rc, BK_OK);
}

struct read_tx {
	int64_t school_id;
	struct authority_establishments *e;
};

static int
read_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct read_tx *t = arg;

	if (store_school_departments(st, c, t->school_id, t->e->depts,
		&t->e->ndepts) != 0 ||
	    store_trainer_etp_list(st, c, t->school_id, t->e->trainers,
		STORE_TRAINER_ETP_MAX, &t->e->ntrainers) != 0)
		return -1;
	return 0;
}

int
svc_establishments_get(const struct svc *s, int64_t school_id,
    struct authority_establishments *e)
{
	struct read_tx t = { school_id, e };

	memset(e, 0, sizeof(*e));
	return store_tx(s->a->st, 0, read_tx, &t) == 0 ? 0 : -1;
}

int
svc_school_orgs(const struct svc *s, store_school_org_fn fn, void *arg)
{
	struct store_conn *c = store_conn(s->a->st);

	return c == NULL ? -1 : store_school_orgs(s->a->st, c, fn, arg);
}

struct directory {
	struct svc_school_entry *v;
	size_t n, cap;
};

static int
collect_school(void *arg, const struct store_school_org *o)
{
	struct directory *d = arg;
	struct svc_school_entry *v;

	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		if ((v = realloc(d->v, d->cap * sizeof(*v))) == NULL)
			return -1;
		d->v = v;
	}
	memset(&d->v[d->n], 0, sizeof(d->v[d->n]));
	d->v[d->n++].org = *o;
	return 0;
}

static int
directory_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct directory *d = arg;
	size_t i;

	if (store_school_orgs(st, c, collect_school, d) != 0)
		return -1;
	for (i = 0; i < d->n; i++)
		if (d->v[i].org.school_id > 0 &&
		    store_school_departments(st, c, d->v[i].org.school_id,
			d->v[i].depts, &d->v[i].ndepts) != 0)
			return -1;
	return 0;
}

int
svc_school_directory(const struct svc *s,
    int (*fn)(void *arg, const struct svc_school_entry *e), void *arg)
{
	struct directory d = { NULL, 0, 0 };
	size_t i;
	int rc = 0;

	if (store_tx(s->a->st, 0, directory_tx, &d) != 0)
		rc = -1;
	for (i = 0; rc == 0 && i < d.n; i++)
		rc = fn(arg, &d.v[i]);
	free(d.v);
	return rc;
}
