/* exams.c (service) - cancel, replace, swap, results, threshold status. */
#include "service/exams.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "booking/eligibility.h"
#include "booking/exam.h"
#include "booking/mandate.h"
#include "booking/quota.h"
#include "notify/notify.h"
#include "service/candidates.h"
#include "store/baskets.h"
#include "store/driver.h"
#include "store/exams.h"
#include "store/mandates.h"
#include "store/quota.h"
#include "store/school.h"

struct exam_tx {
	const struct svc *s;
	const struct svc_actor *who;
	int64_t school_id, exam_id, other_id, candidate_id, now;
	enum exam_status result;
	int late;
	int64_t until;
	int code;
};

static int
audit_exam(const struct exam_tx *t, struct store_conn *c, const char *action,
    const char *ids, json_t *details)
{
	struct audit_entry e;
	char *d = NULL;
	int rc;

	memset(&e, 0, sizeof(e));
	if (details != NULL && (d = json_dumps(details, JSON_COMPACT)) == NULL)
		return -1;
	e.actor = t->who->account_id;
	e.org = t->who->org_id;
	e.ip = t->who->ip;
	e.request_id = t->who->request_id;
	e.action = action;
	e.target_type = "exam";
	e.target_ids = ids;
	e.outcome = AUDIT_SUCCESS;
	e.details = d;
	rc = audit_append(t->s->a->st, c, t->s->a->audit_key, t->now, &e, NULL);
	free(d);
	return rc;
}

/* Notifies the school of exam e (its staff, and the actor when staff of
 * it) of kind with params. */
static int
notify_exam_school(const struct exam_tx *t, struct store_conn *c,
    const struct bk_exam *e, const char *kind, const char *params)
{
	char org[STORE_ID_MAX];
	struct notice n = { kind, params };
	int rc =
	    store_school_org(t->s->a->st, c, e->school_id, org, sizeof(org));

	if (rc != 0)
		return rc < 0 ? -1 : 0;
	return notify_school(t->s->a, c, org,
	    strcmp(org, t->who->org_id) == 0 ? t->who->account_id : NULL, &n,
	    t->now);
}

/* Reads exam id; another school's exam does not exist (EXAMEN_INCONNU). */
static int
load_exam(const struct exam_tx *t, struct store_conn *c, int64_t id,
    struct bk_exam *e)
{
	int rc = store_exam_get(t->s->a->st, c, id, e);

	if (rc < 0)
		return -1;
	if (rc == 1 || (t->school_id > 0 && e->school_id != t->school_id))
		return BK_EXAMEN_INCONNU;
	return BK_OK;
}

static int
check_mandate(const struct exam_tx *t, struct store_conn *c, int64_t candidate,
    const char *category)
{
	struct mandate m[STORE_MANDATES_MAX];
	size_t n;

	if (store_mandates_of_candidate(t->s->a->st, c, candidate, m,
		STORE_MANDATES_MAX, &n) != 0)
		return -1;
	return mandate_check_action(m, n, candidate, t->school_id, category,
	    t->now);
}

/* Sets t->code from rc (a code, or -1) and returns what store_tx wants:
 * 1 to roll back a refusal, -1 on failure. */
static int
refuse(struct exam_tx *t, int rc)
{
	t->code = rc;
	return rc < 0 ? -1 : 1;
}

static int
cancel_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct exam_tx *t = arg;
	struct bk_exam e;
	char ids[24], params[160];
	json_t *d;
	int rc;

	if ((rc = load_exam(t, c, t->exam_id, &e)) != BK_OK)
		return refuse(t, rc);
	/* The exam's own state first (rule 7), then rule 1. */
	if ((rc = exam_check_change(&e, t->school_id, t->now)) != BK_OK ||
	    (rc = check_mandate(t, c, e.candidate_id, e.category)) != BK_OK)
		return refuse(t, rc);
	rc = exam_cancel(t->s->r, &e, NULL, t->school_id, t->now, &t->late);
	if (rc != BK_OK)
		return refuse(t, rc);
	if (store_exam_update(st, c, &e, 0) != 0 ||
	    store_slot_move(st, c, e.slot_id, SLOT_BOOKED, SLOT_FREE, 0) != 0)
		return -1;
	snprintf(ids, sizeof(ids), "%lld", (long long)e.id);
	d = json_pack("{s:I, s:I, s:b}", "slot_id", (json_int_t)e.slot_id,
	    "candidate_id", (json_int_t)e.candidate_id, "late", t->late);
	rc = audit_exam(t, c, "exam.cancel", ids, d);
	json_decref(d);
	snprintf(params, sizeof(params),
	    "{\"exam_id\":%lld,\"start_at\":%lld,\"late\":%s}", (long long)e.id,
	    (long long)e.start_at, t->late ? "true" : "false");
	if (rc != 0 ||
	    notify_exam_school(t, c, &e, "booking.cancelled", params) != 0)
		return -1;
	return svc_candidate_tell_exam(t->s, c, e.candidate_id,
	    "exam.cancelled", &e, t->late ? "\"late\":true" : NULL, t->now);
}

static int
run(const struct svc *s, int (*fn)(struct store *, struct store_conn *, void *),
    struct exam_tx *t)
{
	int rc = store_tx(s->a->st, 1, fn, t);

	if (rc < 0 || t->code < 0)
		return -1;
	return t->code;
}

int
svc_exam_cancel(const struct svc *s, const struct svc_actor *who,
    int64_t school_id, int64_t exam_id, int64_t now, int *late)
{
	struct exam_tx t;
	int rc;

	memset(&t, 0, sizeof(t));
	t.s = s;
	t.who = who;
	t.school_id = school_id;
	t.exam_id = exam_id;
	t.now = now;
	rc = run(s, cancel_tx, &t);
	if (late != NULL)
		*late = t.late;
	return rc;
}

static int
replace_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct exam_tx *t = arg;
	struct bk_exam e, exams[STORE_EXAMS_MAX];
	char ids[24], params[160];
	int64_t old;
	size_t n;
	json_t *d;
	int rc;

	if ((rc = load_exam(t, c, t->exam_id, &e)) != BK_OK)
		return refuse(t, rc);
	/* The exam's own state first (rule 7), then rules 1 and 6. */
	if ((rc = exam_check_change(&e, t->school_id, t->now)) != BK_OK)
		return refuse(t, rc);
	if (e.candidate_id != t->candidate_id) {
		if ((rc = check_mandate(t, c, t->candidate_id, e.category)) !=
		    BK_OK)
			return refuse(t, rc);
		if (store_exams_of_candidate(st, c, t->candidate_id, exams,
			STORE_EXAMS_MAX, &n) != 0)
			return -1;
		rc = eligibility_check(t->s->r, exams, n, e.category, t->now,
		    e.start_at, &t->until);
		if (rc != BK_OK)
			return refuse(t, rc);
	}
	old = e.candidate_id;
	if ((rc = exam_replace(t->s->r, &e, t->school_id, t->candidate_id,
		 t->now)) != BK_OK)
		return refuse(t, rc);
	if (store_exam_update(st, c, &e, 0) != 0)
		return -1;
	snprintf(ids, sizeof(ids), "%lld", (long long)e.id);
	d = json_pack("{s:I, s:I, s:i}", "from_candidate", (json_int_t)old,
	    "to_candidate", (json_int_t)e.candidate_id, "replacements",
	    e.replacements);
	rc = audit_exam(t, c, "exam.replace", ids, d);
	json_decref(d);
	snprintf(params, sizeof(params),
	    "{\"exam_id\":%lld,\"start_at\":%lld,\"replacements\":%d}",
	    (long long)e.id, (long long)e.start_at, e.replacements);
	if (rc != 0 ||
	    notify_exam_school(t, c, &e, "booking.replaced", params) != 0)
		return -1;
	/* The candidate who had the place loses it, the other gets it. */
	if (old == e.candidate_id)
		return 0;
	return svc_candidate_tell_exam(t->s, c, old, "exam.withdrawn", &e, NULL,
		   t->now) != 0 ||
		svc_candidate_tell_exam(t->s, c, e.candidate_id, "exam.booked",
		    &e, NULL, t->now) != 0
	    ? -1
	    : 0;
}

int
svc_exam_replace(const struct svc *s, const struct svc_actor *who,
    int64_t school_id, int64_t exam_id, int64_t candidate_id, int64_t now,
    int64_t *until)
{
	struct exam_tx t;
	int rc;

	memset(&t, 0, sizeof(t));
	t.s = s;
	t.who = who;
	t.school_id = school_id;
	t.exam_id = exam_id;
	t.candidate_id = candidate_id;
	t.now = now;
	rc = run(s, replace_tx, &t);
	if (until != NULL)
		*until = t.until;
	return rc;
}

static int
swap_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct exam_tx *t = arg;
	struct bk_exam a, b;
	char ids[48];
	int rc;

	if ((rc = load_exam(t, c, t->exam_id, &a)) != BK_OK ||
	    (rc = load_exam(t, c, t->other_id, &b)) != BK_OK)
		return refuse(t, rc);
	/* The exams' own state first (rule 7 before rule 8), then each
	 * candidate moves to the other exam: both under mandate for the
	 * category (the same for both once exam_check_swap passed). */
	if ((rc = exam_check_swap(&a, &b, t->school_id, t->now)) != BK_OK ||
	    (rc = check_mandate(t, c, a.candidate_id, a.category)) != BK_OK ||
	    (rc = check_mandate(t, c, b.candidate_id, b.category)) != BK_OK)
		return refuse(t, rc);
	if ((rc = exam_swap(&a, &b, t->school_id, t->now)) != BK_OK)
		return refuse(t, rc);
	if (store_exam_update(st, c, &a, 0) != 0 ||
	    store_exam_update(st, c, &b, 0) != 0)
		return -1;
	snprintf(ids, sizeof(ids), "%lld,%lld", (long long)a.id,
	    (long long)b.id);
	if (audit_exam(t, c, "exam.swap", ids, NULL) != 0)
		return -1;
	/* Each candidate now sits the other exam: told its date. */
	snprintf(ids, sizeof(ids), "\"from\":%lld", (long long)b.start_at);
	if (svc_candidate_tell_exam(t->s, c, a.candidate_id, "exam.moved", &a,
		ids, t->now) != 0)
		return -1;
	snprintf(ids, sizeof(ids), "\"from\":%lld", (long long)a.start_at);
	return svc_candidate_tell_exam(t->s, c, b.candidate_id, "exam.moved",
	    &b, ids, t->now);
}

int
svc_exam_swap(const struct svc *s, const struct svc_actor *who,
    int64_t school_id, int64_t a, int64_t b, int64_t now)
{
	struct exam_tx t;

	memset(&t, 0, sizeof(t));
	t.s = s;
	t.who = who;
	t.school_id = school_id;
	t.exam_id = a;
	t.other_id = b;
	t.now = now;
	return run(s, swap_tx, &t);
}

static int
result_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct exam_tx *t = arg;
	struct bk_exam e;
	char ids[24], params[160];
	json_t *d;
	int rc;

	if ((rc = load_exam(t, c, t->exam_id, &e)) != BK_OK)
		return refuse(t, rc);
	if (e.status == EXAM_CANCELLED)
		return refuse(t, BK_EXAMEN_DEJA_ANNULE);
	/* A result exists only once the exam has taken place. */
	if (t->now < e.start_at ||
	    (t->result != EXAM_PASSED && t->result != EXAM_FAILED &&
		t->result != EXAM_ABSENT))
		return refuse(t, BK_PARAMETRE_INVALIDE);
	e.status = t->result;
	if (store_exam_update(st, c, &e, t->now) != 0)
		return -1;
	snprintf(ids, sizeof(ids), "%lld", (long long)e.id);
	d = json_pack("{s:s, s:I}", "result", store_exam_status_name(e.status),
	    "candidate_id", (json_int_t)e.candidate_id);
	rc = audit_exam(t, c, "exam.result", ids, d);
	json_decref(d);
	snprintf(params, sizeof(params),
	    "{\"exam_id\":%lld,\"start_at\":%lld,\"result\":\"%s\"}",
	    (long long)e.id, (long long)e.start_at,
	    store_exam_status_name(e.status));
	if (rc != 0 || notify_exam_school(t, c, &e, "exam.result", params) != 0)
		return -1;
	snprintf(params, sizeof(params), "\"result\":\"%s\"",
	    store_exam_status_name(e.status));
	return svc_candidate_tell_exam(t->s, c, e.candidate_id, "exam.result",
	    &e, params, t->now);
}

int
svc_exam_result(const struct svc *s, const struct svc_actor *who,
    int64_t exam_id, enum exam_status result, int64_t now)
{
	struct exam_tx t;

	memset(&t, 0, sizeof(t));
	t.s = s;
	t.who = who;
	t.exam_id = exam_id;
	t.result = result;
	t.now = now;
	return run(s, result_tx, &t);
}

struct status {
	const struct svc *s;
	struct store_conn *c;
	int64_t month;
	int (*fn)(void *arg, const struct svc_quota_line *l);
	void *arg;
};

static int
status_group(void *arg, const struct store_quota_group *g)
{
	struct status *st = arg;
	struct svc_quota_line l;
	int rc;

	memset(&l, 0, sizeof(l));
	l.department = g->department;
	l.category = g->category;
	l.etp_centi = g->etp_centi;
	l.used = g->used;
	rc = store_coefficient_get(st->s->a->st, st->c, g->department,
	    g->category, st->month, &l.coefficient_centi);
	if (rc < 0)
		return -1;
	if (rc == 1)
		l.coefficient_centi = st->s->r->coefficient_centi;
	l.quota = quota_places(l.etp_centi, l.coefficient_centi);
	l.left = quota_places_left(l.quota, l.used);
	return st->fn(st->arg, &l);
}

int
svc_quota_status(const struct svc *s, int64_t school_id, int64_t month,
    int (*fn)(void *arg, const struct svc_quota_line *l), void *arg)
{
	struct status st = { s, store_conn(s->a->st), month, fn, arg };

	if (st.c == NULL)
		return -1;
	return store_quota_groups(s->a->st, st.c, school_id, month,
	    status_group, &st);
}

int
svc_exams_of_school(const struct svc *s, int64_t school_id, int64_t from,
    int64_t to, long limit,
    int (*fn)(void *arg, const struct store_exam_listed *e), void *arg)
{
	struct store_conn *c = store_conn(s->a->st);

	if (c == NULL)
		return -1;
	return store_exams_of_school(s->a->st, c, school_id, from, to, limit,
	    fn, arg);
}

int
svc_exams_of_centre(const struct svc *s, int64_t centre, int64_t from,
    int64_t to, long limit,
    int (*fn)(void *arg, const struct store_exam_listed *e), void *arg)
{
	struct store_conn *c = store_conn(s->a->st);

	if (c == NULL)
		return -1;
	return store_exams_list(s->a->st, c, 0, centre, from, to, limit, fn,
	    arg);
}

/* The trainer's candidates, opened: their ids and names. */
struct trainer_names {
	struct svc_trainer_name {
		int64_t id;
		char last_name[SVC_NAME_BYTES];
		char first_names[SVC_NAME_BYTES];
	} * v;
	size_t n, cap;
	int (*fn)(void *arg, const struct svc_trainer_exam *t);
	void *arg;
};

static int
trainer_name(void *arg, const struct svc_candidate *cand)
{
	struct trainer_names *t = arg;
	struct svc_trainer_name *v;

	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;

		/* Not realloc: the names in the old block are wiped first. */
		if ((v = calloc(cap, sizeof(*v))) == NULL)
			return -1;
		if (t->v != NULL) {
			memcpy(v, t->v, t->n * sizeof(*v));
			sodium_memzero(t->v, t->cap * sizeof(*v));
			free(t->v);
		}
		t->v = v;
		t->cap = cap;
	}
	v = &t->v[t->n++];
	v->id = cand->id;
	snprintf(v->last_name, sizeof(v->last_name), "%s", cand->last_name);
	snprintf(v->first_names, sizeof(v->first_names), "%s",
	    cand->first_names);
	return 0;
}

static int
trainer_exam(void *arg, const struct store_exam_listed *e)
{
	struct trainer_names *t = arg;
	struct svc_trainer_exam out;
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->v[i].id == e->exam.candidate_id) {
			out.e = e;
			out.last_name = t->v[i].last_name;
			out.first_names = t->v[i].first_names;
			return t->fn(t->arg, &out);
		}
	return 0; /* no active mandate now: not shown */
}

int
svc_trainer_exams(const struct svc *s, int64_t school_id, const char *trainer,
    int64_t now, int (*fn)(void *arg, const struct svc_trainer_exam *t),
    void *arg)
{
	struct trainer_names t = { NULL, 0, 0, fn, arg };
	struct store_conn *c;
	int rc;

	if (trainer == NULL || trainer[0] == '\0')
		return 0;
	rc = svc_candidates_list(s, school_id, trainer, now, trainer_name, &t);
	if (rc == 0 && t.n > 0) {
		if ((c = store_conn(s->a->st)) == NULL)
			rc = -1;
		else
			rc = store_exams_of_trainer(s->a->st, c, school_id,
			    trainer, now, SVC_TRAINER_EXAMS_MAX, trainer_exam,
			    &t);
	}
	if (t.v != NULL)
		sodium_memzero(t.v, t.cap * sizeof(*t.v));
	free(t.v);
	return rc;
}
