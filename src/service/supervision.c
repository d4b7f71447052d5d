/*
 * supervision.c (service) - the regional supervisor's requests and
 * views. A request is written and nothing else; the change itself
 * happens only in svc_slot_request_decide, called by an administrator of
 * the exam's school, which re-checks every rule at that time, in the
 * transaction that applies it.
 */
#include "service/supervision.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "booking/caltime.h"
#include "booking/exam.h"
#include "booking/mandate.h"
#include "booking/quota.h"
#include "booking/territory.h"
#include "core/log.h"
#include "crypto/field.h"
#include "notify/notify.h"
#include "store/baskets.h"
#include "store/driver.h"
#include "store/exams.h"
#include "store/mandates.h"
#include "store/quota.h"
#include "store/school.h"

struct req_tx {
	const struct svc *s;
	const struct svc_actor *who;
	int64_t now;
	/* create */
	int64_t exam_id, target_slot_id, request_id;
	enum slot_request_kind kind;
	const char *reason;
	int64_t id;
	/* decide */
	int approve;
	struct svc_decision *out;
	int code;
};

/* Reads the school row of who's organisation: the region is its
 * departments. 0 (nothing visible) when the organisation is no school. */
static int
region_of(const struct svc *s, struct store_conn *c,
    const struct svc_actor *who, int64_t *region)
{
	int rc = store_school_id(s->a->st, c, who->org_id, region);

	if (rc < 0)
		return -1;
	if (rc == 1)
		*region = 0;
	return 0;
}

static int
audit_request(const struct req_tx *t, struct store_conn *c, const char *action,
    const char *target_type, int64_t target, json_t *d)
{
	struct audit_entry e;
	char ids[24], *text = NULL;
	int rc;

	memset(&e, 0, sizeof(e));
	if (d != NULL &&
	    (text = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS)) == NULL)
		return -1;
	snprintf(ids, sizeof(ids), "%lld", (long long)target);
	e.actor = t->who->account_id;
	e.org = t->who->org_id;
	e.ip = t->who->ip;
	e.request_id = t->who->request_id;
	e.action = action;
	e.target_type = target_type;
	e.target_ids = ids;
	e.outcome = AUDIT_SUCCESS;
	e.details = text;
	rc = audit_append(t->s->a->st, c, t->s->a->audit_key, t->now, &e, NULL);
	free(text);
	return rc;
}

/* Sets t->code from rc (a code, or -1) and returns what store_tx wants:
 * 1 to roll back a refusal, -1 on failure. */
static int
refuse(struct req_tx *t, int rc)
{
	t->code = rc;
	return rc < 0 ? -1 : 1;
}

/* Checks what a move's target must be, as the supervisor or the school
 * sees it at now: exists and published, in the region (region_school,
 * 0 to skip), free, not started, of category. Returns BK_OK, the code,
 * or -1. */
static int
check_target(const struct req_tx *t, struct store_conn *c,
    int64_t region_school, const char *category, struct bk_slot *slot)
{
	int rc;

	if (store_slots_read(t->s->a->st, c, &t->target_slot_id, 1, slot) != 0)
		return -1;
	if (slot->published_at == 0 || slot->published_at > t->now ||
	    slot->state == SLOT_CANCELLED)
		return BK_CRENEAU_INCONNU;
	if (region_school > 0) {
		rc = store_region_has(t->s->a->st, c, region_school,
		    slot->department);
		if (rc <= 0)
			return rc < 0 ? -1 : BK_CRENEAU_INCONNU;
	}
	if (slot->state != SLOT_FREE)
		return BK_CRENEAU_DEJA_RESERVE;
	if (exam_check_modifiable(slot->start_at, t->now) != BK_OK)
		return BK_EXAMEN_NON_MODIFIABLE;
	if (strcmp(slot->category, category) != 0)
		return BK_PARAMETRE_INVALIDE;
	return BK_OK;
}

struct fanout {
	const struct svc *s;
	struct store_conn *c;
	const char *org_id;
	const struct notice *n;
	int64_t now;
};

static int
notify_admin(void *arg, const char *account_id)
{
	struct fanout *f = arg;

	return notify_account(f->s->a, f->c, account_id, f->org_id, f->n,
	    f->now);
}

/*
 * Seals reason into request id under the key of its author
 * (subject:<account id>, created when missing), so that erasing the
 * author shreds it in every backup too. Returns 0 or -1.
 */
static int
seal_reason(const struct auth *a, struct store_conn *c, int64_t id,
    const char *author, const char *reason)
{
	char owner[AUTH_OWNER_MAX], rid[24];
	struct data_key k;
	unsigned char *ct = NULL;
	size_t n = 0;
	int rc;

	snprintf(rid, sizeof(rid), "%" PRId64, id);
	if (auth_subject_owner(author, owner) != 0 ||
	    auth_key(a, owner, 1, &k) != 0)
		return -1;
	rc = field_seal(&k, 1, "slot_requests", "reason_sealed", rid, reason,
	    strlen(reason), &ct, &n);
	sodium_memzero(&k, sizeof(k));
	if (rc == 0)
		rc = store_slot_request_seal(a->st, c, id, ct, n) == 0 ? 0 : -1;
	free(ct);
	return rc;
}

int
svc_slot_request_open(const struct auth *a, const struct data_key *key,
    struct store_slot_request *r)
{
	char owner[AUTH_OWNER_MAX], rid[24], *pt = NULL;
	struct data_key k;
	size_t n = 0;
	int rc;

	r->reason[0] = '\0';
	if (r->sealed_len == 0)
		return 1;
	if (key == NULL) {
		if (auth_subject_owner(r->requested_by, owner) != 0)
			return 1;
		if ((rc = auth_key(a, owner, 0, &k)) != 0)
			return rc < 0 ? -1 : 1;
	} else {
		k = *key;
	}
	snprintf(rid, sizeof(rid), "%" PRId64, r->id);
	rc = field_open(&k, "slot_requests", "reason_sealed", rid, r->sealed,
	    r->sealed_len, &pt, &n);
	sodium_memzero(&k, sizeof(k));
	if (rc != 0)
		return 1;
	snprintf(r->reason, sizeof(r->reason), "%s", pt);
	field_free(pt, n);
	return 0;
}

static int
create_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct req_tx *t = arg;
	struct store_slot_request r;
	struct bk_exam e;
	struct bk_slot slot;
	char params[160];
	struct notice n = { "slot_request.created", params };
	struct fanout f;
	int64_t region;
	json_t *d;
	int rc;

	if (region_of(t->s, c, t->who, &region) != 0)
		return -1;
	rc = store_exam_get(st, c, t->exam_id, &e);
	if (rc < 0)
		return -1;
	if (rc == 1 || e.status != EXAM_BOOKED || e.start_at <= t->now)
		return refuse(t, BK_EXAMEN_INCONNU);
	if ((rc = store_region_has(st, c, region, e.department)) <= 0)
		return refuse(t, rc < 0 ? -1 : BK_EXAMEN_INCONNU);
	if (t->kind == SLOT_REQUEST_MOVE &&
	    (rc = check_target(t, c, region, e.category, &slot)) != BK_OK)
		return refuse(t, rc);
	memset(&r, 0, sizeof(r));
	if (store_school_org(st, c, e.school_id, r.org_id, sizeof(r.org_id)) !=
	    0)
		return -1;
	r.exam_id = e.id;
	r.kind = t->kind;
	r.target_slot_id = t->kind == SLOT_REQUEST_MOVE ? t->target_slot_id : 0;
	snprintf(r.requested_by, sizeof(r.requested_by), "%s",
	    t->who->account_id);
	r.requested_at = t->now;
	if (store_slot_request_insert(st, c, &r) != 0 ||
	    seal_reason(t->s->a, c, r.id, r.requested_by, t->reason) != 0)
		return -1;
	t->id = r.id;
	/* The reason stays in its row, sealed: the audit entry and the
	 * notice carry references only. */
	d = json_pack("{s:I, s:s, s:I, s:s}", "exam_id", (json_int_t)e.id,
	    "kind", store_slot_request_kind_name(r.kind), "target_slot_id",
	    (json_int_t)r.target_slot_id, "school_org", r.org_id);
	rc =
	    audit_request(t, c, "slot_request.create", "slot_request", r.id, d);
	json_decref(d);
	if (rc != 0)
		return -1;
	snprintf(params, sizeof(params),
	    "{\"request_id\":%lld,\"exam_id\":%lld,\"start_at\":%lld,"
	    "\"kind\":\"%s\"}",
	    (long long)r.id, (long long)e.id, (long long)e.start_at,
	    store_slot_request_kind_name(r.kind));
	f = (struct fanout){ t->s, c, r.org_id, &n, t->now };
	return store_org_admins(st, c, r.org_id, notify_admin, &f) != 0 ? -1
									: 0;
}

static int
run(const struct svc *s, int (*fn)(struct store *, struct store_conn *, void *),
    struct req_tx *t)
{
	int rc = store_tx(s->a->st, 1, fn, t);

	if (rc < 0 || t->code < 0)
		return -1;
	return t->code;
}

int
svc_slot_request_create(const struct svc *s, const struct svc_actor *who,
    int64_t exam_id, enum slot_request_kind kind, int64_t target_slot_id,
    const char *reason, int64_t now, int64_t *id)
{
	struct req_tx t;
	size_t len = reason != NULL ? strlen(reason) : 0;
	int rc;

	if (len == 0 || len > SVC_REASON_MAX ||
	    (kind != SLOT_REQUEST_MOVE && kind != SLOT_REQUEST_CANCEL) ||
	    (kind == SLOT_REQUEST_MOVE && target_slot_id <= 0))
		return BK_PARAMETRE_INVALIDE;
	memset(&t, 0, sizeof(t));
	t.s = s;
	t.who = who;
	t.now = now;
	t.exam_id = exam_id;
	t.kind = kind;
	t.target_slot_id = target_slot_id;
	t.reason = reason;
	rc = run(s, create_tx, &t);
	if (id != NULL)
		*id = t.id;
	return rc;
}

/* Rule 1 for the exam's candidate, for its school. */
static int
check_mandate(const struct req_tx *t, struct store_conn *c,
    const struct bk_exam *e)
{
	struct mandate m[STORE_MANDATES_MAX];
	size_t n;

	if (store_mandates_of_candidate(t->s->a->st, c, e->candidate_id, m,
		STORE_MANDATES_MAX, &n) != 0)
		return -1;
	return mandate_check_action(m, n, e->candidate_id, e->school_id,
	    e->category, t->now);
}

/* Rule 2 for the school of e on slot: its departments, now. */
static int
check_territory(const struct req_tx *t, struct store_conn *c,
    const struct bk_exam *e, const struct bk_slot *slot)
{
	char depts[STORE_SCHOOL_DEPTS_MAX][BK_DEPARTMENT_MAX];
	const char *dp[STORE_SCHOOL_DEPTS_MAX];
	size_t i, n;

	if (store_school_departments(t->s->a->st, c, e->school_id, depts, &n) !=
	    0)
		return -1;
	for (i = 0; i < n; i++)
		dp[i] = depts[i];
	return territory_check(t->s->r, slot, dp, n, t->now, NULL);
}

/* Rule 3: one more exam of e's school in slot's department, category and
 * month, unless the exam already counts there. */
static int
check_quota(const struct req_tx *t, struct store_conn *c,
    const struct bk_exam *e, const struct bk_slot *slot)
{
	int64_t month = quota_month(slot->start_at), used = 0, etp = 0,
		coef = 0;
	int rc;

	if (month == quota_month(e->start_at) &&
	    strcmp(slot->department, e->department) == 0)
		return BK_OK;
	if (store_exams_quota_count(t->s->a->st, c, e->school_id,
		slot->department, e->category, month, &used) != 0 ||
	    store_school_etp(t->s->a->st, c, e->school_id, slot->department,
		e->category, &etp) != 0 ||
	    (rc = store_coefficient_get(t->s->a->st, c, slot->department,
		 e->category, month, &coef)) < 0)
		return -1;
	if (rc == 1)
		coef = t->s->r->coefficient_centi;
	return quota_check(quota_places(etp, coef), used);
}

/* Applies a cancel request to e: what svc_exam_cancel does. Returns
 * BK_OK, the rule's code (nothing written), or -1. */
static int
apply_cancel(struct req_tx *t, struct store_conn *c, struct bk_exam *e)
{
	char params[160];
	char org[STORE_ID_MAX];
	struct notice n = { "booking.cancelled", params };
	json_t *d;
	int rc;

	if (e->status == EXAM_BOOKED && (rc = check_mandate(t, c, e)) != BK_OK)
		return rc;
	rc = exam_cancel(t->s->r, e, NULL, e->school_id, t->now, &t->out->late);
	if (rc != BK_OK)
		return rc;
	if (store_exam_update(t->s->a->st, c, e, 0) != 0 ||
	    store_slot_move(t->s->a->st, c, e->slot_id, SLOT_BOOKED, SLOT_FREE,
		0) != 0)
		return -1;
	d = json_pack("{s:I, s:I, s:b}", "slot_id", (json_int_t)e->slot_id,
	    "candidate_id", (json_int_t)e->candidate_id, "late", t->out->late);
	rc = audit_request(t, c, "exam.cancel", "exam", e->id, d);
	json_decref(d);
	if (rc != 0 ||
	    store_school_org(t->s->a->st, c, e->school_id, org, sizeof(org)) !=
		0)
		return -1;
	snprintf(params, sizeof(params),
	    "{\"exam_id\":%lld,\"start_at\":%lld,\"late\":%s}",
	    (long long)e->id, (long long)e->start_at,
	    t->out->late ? "true" : "false");
	return notify_school(t->s->a, c, org, t->who->account_id, &n, t->now);
}

/* Applies a move request to e: to target_slot_id if every rule holds.
 * Returns BK_OK, the rule's code (nothing written), or -1. */
static int
apply_move(struct req_tx *t, struct store_conn *c, struct bk_exam *e)
{
	struct bk_slot slot;
	int64_t old = e->slot_id;
	json_t *d;
	int rc;

	if (e->status == EXAM_CANCELLED)
		return BK_EXAMEN_DEJA_ANNULE;
	if (e->status != EXAM_BOOKED ||
	    exam_check_modifiable(e->start_at, t->now) != BK_OK)
		return BK_EXAMEN_NON_MODIFIABLE;
	if ((rc = check_mandate(t, c, e)) != BK_OK ||
	    (rc = check_target(t, c, 0, e->category, &slot)) != BK_OK ||
	    (rc = check_territory(t, c, e, &slot)) != BK_OK ||
	    (rc = check_quota(t, c, e, &slot)) != BK_OK)
		return rc;
	/* The target is free in this write transaction: the guarded moves
	 * cannot miss, and 1 would mean a concurrent writer broke that. */
	if (store_slot_move(t->s->a->st, c, slot.id, SLOT_FREE, SLOT_BOOKED,
		0) != 0 ||
	    store_slot_move(t->s->a->st, c, old, SLOT_BOOKED, SLOT_FREE, 0) !=
		0 ||
	    store_exam_move(t->s->a->st, c, e->id, &slot,
		quota_month(slot.start_at)) != 0)
		return -1;
	d = json_pack("{s:I, s:I, s:I, s:I}", "from_slot", (json_int_t)old,
	    "to_slot", (json_int_t)slot.id, "from_start",
	    (json_int_t)e->start_at, "to_start", (json_int_t)slot.start_at);
	rc = audit_request(t, c, "exam.move", "exam", e->id, d);
	json_decref(d);
	e->slot_id = slot.id;
	e->start_at = slot.start_at;
	return rc != 0 ? -1 : BK_OK;
}

static int
decide_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct req_tx *t = arg;
	struct store_slot_request r;
	struct bk_exam e;
	char params[200];
	struct notice n = { "slot_request.decided", params };
	json_t *d;
	int rc;

	memset(&r, 0, sizeof(r));
	rc = store_slot_request_get(st, c, t->request_id, &r);
	if (rc < 0)
		return -1;
	/* Another school's request does not exist for this one. */
	if (rc == 1 || strcmp(r.org_id, t->who->org_id) != 0)
		return refuse(t, 1);
	/* Separation of duties, whatever the roles say: the one who asked
	 * never approves. */
	if (strcmp(r.requested_by, t->who->account_id) == 0)
		return refuse(t, 3);
	if (r.state != SLOT_REQUEST_PENDING)
		return refuse(t, 2);
	t->out->code = BK_OK;
	if (!t->approve) {
		t->out->state = SLOT_REQUEST_REJECTED;
	} else {
		if ((rc = store_exam_get(st, c, r.exam_id, &e)) != 0)
			return rc < 0 ? -1 : refuse(t, 1);
		t->target_slot_id = r.target_slot_id;
		rc = r.kind == SLOT_REQUEST_MOVE ? apply_move(t, c, &e)
						 : apply_cancel(t, c, &e);
		if (rc < 0)
			return -1;
		t->out->code = rc;
		t->out->state =
		    rc == BK_OK ? SLOT_REQUEST_APPROVED : SLOT_REQUEST_FAILED;
	}
	r.state = t->out->state;
	snprintf(r.decided_by, sizeof(r.decided_by), "%s", t->who->account_id);
	r.decided_at = t->now;
	snprintf(r.outcome_code, sizeof(r.outcome_code), "%s",
	    t->approve ? bk_code_name(t->out->code) : "");
	if ((rc = store_slot_request_decide(st, c, &r)) != 0)
		return rc < 0 ? -1 : refuse(t, 2);
	d = json_pack("{s:I, s:s, s:s}", "exam_id", (json_int_t)r.exam_id,
	    "state", store_slot_request_state_name(r.state), "code",
	    bk_code_name(t->out->code));
	rc = audit_request(t, c,
	    r.state == SLOT_REQUEST_APPROVED       ? "slot_request.approve"
		: r.state == SLOT_REQUEST_REJECTED ? "slot_request.reject"
						   : "slot_request.fail",
	    "slot_request", r.id, d);
	json_decref(d);
	if (rc != 0)
		return -1;
	snprintf(params, sizeof(params),
	    "{\"request_id\":%lld,\"exam_id\":%lld,\"state\":\"%s\","
	    "\"rule\":\"%s\"}",
	    (long long)r.id, (long long)r.exam_id,
	    store_slot_request_state_name(r.state),
	    r.state == SLOT_REQUEST_FAILED ? bk_code_name(t->out->code) : "");
	/* The requester may belong to another organisation: the notice is
	 * filed under none. A move also concerns the school's staff, who
	 * did not make it (a cancellation told them already). */
	if (r.state == SLOT_REQUEST_APPROVED && r.kind == SLOT_REQUEST_MOVE)
		return notify_school(t->s->a, c, r.org_id, r.requested_by, &n,
		    t->now);
	return notify_account(t->s->a, c, r.requested_by, NULL, &n, t->now);
}

int
svc_slot_request_decide(const struct svc *s, const struct svc_actor *who,
    int64_t id, int approve, int64_t now, struct svc_decision *out)
{
	struct req_tx t;

	memset(&t, 0, sizeof(t));
	memset(out, 0, sizeof(*out));
	t.s = s;
	t.who = who;
	t.now = now;
	t.request_id = id;
	t.approve = approve;
	t.out = out;
	return run(s, decide_tx, &t);
}

struct open_list {
	const struct auth *a;
	int (*fn)(void *arg, const struct store_slot_request_listed *l);
	void *arg;
};

/* Opens the note of each listed request with its author's key; a note
 * whose key is destroyed (author erased) reads as "". */
static int
open_listed(void *arg, const struct store_slot_request_listed *l)
{
	struct open_list *x = arg;
	struct store_slot_request_listed o = *l;
	int rc;

	if (svc_slot_request_open(x->a, NULL, &o.r) < 0)
		return -1;
	rc = x->fn(x->arg, &o);
	sodium_memzero(o.r.reason, sizeof(o.r.reason));
	return rc;
}

int
svc_slot_requests_list(const struct svc *s, const struct svc_actor *who,
    int mine, const char *state, long limit,
    int (*fn)(void *arg, const struct store_slot_request_listed *l), void *arg)
{
	struct store_conn *c = store_conn(s->a->st);
	struct store_slot_request_query q;
	struct open_list x;

	if (c == NULL)
		return -1;
	memset(&q, 0, sizeof(q));
	q.requested_by = mine ? who->account_id : NULL;
	q.org_id = mine ? NULL : who->org_id;
	q.state = state;
	q.limit = limit;
	x.a = s->a;
	x.fn = fn;
	x.arg = arg;
	return store_slot_requests_list(s->a->st, c, &q, open_listed, &x);
}

struct legacy_seal {
	const struct auth *a;
	struct store_conn *c;
	long sealed, dropped;
	int failed;
};

static int
seal_legacy_row(void *arg, const struct store_slot_request_legacy *l)
{
	struct legacy_seal *x = arg;
	char owner[AUTH_OWNER_MAX];
	struct data_key k;
	int rc;

	if (auth_subject_owner(l->requested_by, owner) != 0 ||
	    (rc = auth_key(x->a, owner, 0, &k)) < 0) {
		x->failed = 1;
		return 1;
	}
	sodium_memzero(&k, sizeof(k));
	if (rc == 1) {
		/* The author's key is gone (erased): nobody may read the
		 * note any more, it is dropped. */
		if (store_slot_request_seal(x->a->st, x->c, l->id, NULL, 0) <
		    0) {
			x->failed = 1;
			return 1;
		}
		x->dropped++;
		return 0;
	}
	if (seal_reason(x->a, x->c, l->id, l->requested_by, l->reason) != 0) {
		x->failed = 1;
		return 1;
	}
	x->sealed++;
	return 0;
}

static int
legacy_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct legacy_seal *x = arg;
	int rc;

	x->c = c;
	rc = store_slot_requests_legacy(st, c, SVC_LEGACY_BATCH,
	    seal_legacy_row, x);
	return rc != 0 || x->failed ? -1 : 0;
}

long
svc_slot_request_seal_legacy(const struct auth *a)
{
	struct legacy_seal x;
	long total = 0;

	/* Batches, each one transaction, until no clear text is left. */
	do {
		memset(&x, 0, sizeof(x));
		x.a = a;
		if (store_tx(a->st, 1, legacy_tx, &x) != 0)
			return -1;
		total += x.sealed + x.dropped;
	} while (x.sealed + x.dropped == SVC_LEGACY_BATCH);
	if (total > 0)
		log_info("supervision: %ld slot request notes sealed", total);
	return total;
}

int64_t
svc_paris_week(int64_t ms)
{
	int64_t local = ms + caltime_paris_offset_ms(ms);
	int64_t days = local / BK_DAY_MS;

	if (local % BK_DAY_MS < 0)
		days--;
	/* 1970-01-01 was a Thursday: Monday is (days + 3) % 7 == 0. */
	return days - ((days % 7 + 7 + 3) % 7);
}

struct plan {
	struct svc_planning *out;
	int64_t first_week;
	size_t nweeks;
	char depts[STORE_SCHOOL_DEPTS_MAX][BK_DEPARTMENT_MAX];
	size_t ndepts;
};

/* The line of department and the week of ms, or NULL when outside. */
static struct svc_planning_week *
line_of(struct plan *p, const char *department, int64_t ms)
{
	int64_t w = (svc_paris_week(ms) - p->first_week) / 7;
	size_t i;

	if (w < 0 || (size_t)w >= p->nweeks)
		return NULL;
	for (i = 0; i < p->ndepts; i++)
		if (strcmp(p->depts[i], department) == 0)
			return &p->out->lines[i * p->nweeks + (size_t)w];
	return NULL;
}

static int
plan_slot(void *arg, const struct store_region_slot *sl)
{
	struct svc_planning_week *l =
	    line_of(arg, sl->department, sl->start_at);

	if (l == NULL || sl->state == SLOT_CANCELLED)
		return 0;
	l->published++;
	l->free += sl->state == SLOT_FREE;
	l->held += sl->state == SLOT_HELD;
	l->booked += sl->state == SLOT_BOOKED;
	return 0;
}

static int
plan_exam(void *arg, const char *department, int64_t start_at,
    const char *school)
{
	struct svc_planning_week *l = line_of(arg, department, start_at);
	size_t i;

	if (l == NULL)
		return 0;
	l->exams++;
	for (i = 0; i < l->nschools; i++)
		if (strcmp(l->schools[i].name, school) == 0) {
			l->schools[i].exams++;
			return 0;
		}
	if (l->nschools == SVC_PLANNING_SCHOOLS_MAX) {
		l->other_exams++;
		return 0;
	}
	snprintf(l->schools[l->nschools].name,
	    sizeof(l->schools[l->nschools].name), "%s", school);
	l->schools[l->nschools++].exams = 1;
	return 0;
}

struct plan_tx {
	const struct svc *s;
	const struct svc_actor *who;
	int64_t from, to, now;
	struct plan *p;
};

static int
planning_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct plan_tx *t = arg;
	struct plan *p = t->p;
	int64_t region;
	size_t i, w;

	if (region_of(t->s, c, t->who, &region) != 0)
		return -1;
	p->ndepts = 0;
	if (region > 0 &&
	    store_school_departments(st, c, region, p->depts, &p->ndepts) != 0)
		return -1;
	p->out->n = p->ndepts * p->nweeks;
	for (i = 0; i < p->ndepts; i++)
		for (w = 0; w < p->nweeks; w++) {
			struct svc_planning_week *l =
			    &p->out->lines[i * p->nweeks + w];

			memcpy(l->department, p->depts[i],
			    sizeof(l->department));
			l->week = p->first_week + 7 * (int64_t)w;
		}
	if (store_region_slots(st, c, region, t->from, t->to, t->now, NULL,
		NULL, 100000, plan_slot, p) != 0 ||
	    store_region_exam_counts(st, c, region, t->from, t->to, plan_exam,
		p) != 0)
		return -1;
	return 0;
}

int
svc_region_planning(const struct svc *s, const struct svc_actor *who,
    int64_t from, int64_t to, int64_t now, struct svc_planning *out)
{
	struct plan p;
	struct plan_tx t = { s, who, from, to, now, &p };
	int64_t last;

	memset(out, 0, sizeof(*out));
	if (from <= 0 || to <= from)
		return BK_PARAMETRE_INVALIDE;
	memset(&p, 0, sizeof(p));
	p.out = out;
	p.first_week = svc_paris_week(from);
	last = svc_paris_week(to - 1);
	if ((last - p.first_week) / 7 + 1 > SVC_PLANNING_WEEKS_MAX)
		return BK_PARAMETRE_INVALIDE;
	p.nweeks = (size_t)((last - p.first_week) / 7 + 1);
	return store_tx(s->a->st, 0, planning_tx, &t) != 0 ? -1 : BK_OK;
}

int
svc_region_exams(const struct svc *s, const struct svc_actor *who, int64_t from,
    int64_t to, long limit,
    int (*fn)(void *arg, const struct store_region_exam *e), void *arg)
{
	struct store_conn *c = store_conn(s->a->st);
	int64_t region;

	if (c == NULL || region_of(s, c, who, &region) != 0)
		return -1;
	return store_region_exams(s->a->st, c, region, from, to, limit, fn,
	    arg);
}

int
svc_region_free_slots(const struct svc *s, const struct svc_actor *who,
    int64_t from, int64_t to, const char *category, int64_t now, long limit,
    int (*fn)(void *arg, const struct store_region_slot *sl), void *arg)
{
	struct store_conn *c = store_conn(s->a->st);
	int64_t region;

	if (c == NULL || region_of(s, c, who, &region) != 0)
		return -1;
	return store_region_slots(s->a->st, c, region, from > now ? from : now,
	    to, now, category, "free", limit, fn, arg);
}
