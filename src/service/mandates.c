/* mandates.c (service) - creating, revoking and expiring mandates. */
#include "service/mandates.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "booking/exam.h"
#include "booking/mandate.h"
#include "core/log.h"
#include "notify/notify.h"
#include "store/baskets.h"
#include "store/candidates.h"
#include "store/driver.h"
#include "store/exams.h"
#include "store/identity.h"
#include "store/mandates.h"
#include "store/school.h"

/* What every mandate transaction carries. */
struct mx {
	const struct svc *s;
	const struct svc_actor *who; /* NULL: no account acts (expiry job) */
	int64_t now;
	int code;
};

/* Writes the notice params of m into buf. */
static void
params_of(const struct mandate *m, char *buf, size_t size)
{
	snprintf(buf, size,
	    "{\"mandate\":%lld,\"mandate_id\":%lld,\"candidate\":%lld,"
	    "\"category\":\"%s\"}",
	    (long long)m->id, (long long)m->id, (long long)m->candidate_id,
	    m->category);
}

/* Tells school of m with kind. Returns 0 or -1. */
static int
tell_school(const struct mx *x, struct store_conn *c, const struct mandate *m,
    const char *kind)
{
	char org[STORE_ID_MAX], params[160];
	struct notice n;

	if (store_school_org(x->s->a->st, c, m->school_id, org, sizeof(org)) !=
	    0)
		return -1;
	params_of(m, params, sizeof(params));
	n.kind = kind;
	n.params = params;
	return notify_school(x->s->a, c, org, NULL, &n, x->now);
}

/* Tells the candidate of m, when an account is linked. Returns 0 or -1. */
static int
tell_candidate(const struct mx *x, struct store_conn *c,
    const struct mandate *m, const char *kind)
{
	char params[160];

	params_of(m, params, sizeof(params));
	return svc_candidate_tell(x->s, c, m->candidate_id, kind, params,
	    x->now);
}

/* Appends the audit entry of action on m. Returns 0 or -1. */
static int
audit_mandate(const struct mx *x, struct store_conn *c, const char *action,
    const struct mandate *m)
{
	struct audit_entry e;
	char target[24], details[160];

	snprintf(target, sizeof(target), "%lld", (long long)m->candidate_id);
	snprintf(details, sizeof(details),
	    "{\"mandate\":%lld,\"school\":%lld,\"category\":\"%s\"}",
	    (long long)m->id, (long long)m->school_id, m->category);
	memset(&e, 0, sizeof(e));
	if (x->who != NULL) {
		e.actor = x->who->account_id;
		e.org = x->who->org_id;
		e.ip = x->who->ip;
		e.request_id = x->who->request_id;
	}
	e.action = action;
	e.target_type = "candidate";
	e.target_ids = target;
	e.outcome = AUDIT_SUCCESS;
	e.details = details;
	return audit_append(x->s->a->st, c, x->s->a->audit_key, x->now, &e,
	    NULL);
}

/* Cancels exam e, which ends with mandate m (mandate_exam_ends): its
 * slot free again, audited, both sides told. Returns 0 or -1. */
static int
end_exam(const struct mx *x, struct store_conn *c, const struct mandate *m,
    struct bk_exam *e)
{
	struct store *st = x->s->a->st;
	struct audit_entry a;
	char org[STORE_ID_MAX], target[24], details[200], params[200];
	struct notice n = { "booking.cancelled", params };
	int late = 0, rc;

	if (exam_cancel(x->s->r, e, NULL, m->school_id, x->now, &late) !=
		BK_OK ||
	    store_exam_update(st, c, e, 0) != 0 ||
	    store_slot_move(st, c, e->slot_id, SLOT_BOOKED, SLOT_FREE, 0) != 0)
		return -1;
	snprintf(target, sizeof(target), "%lld", (long long)e->id);
	snprintf(details, sizeof(details),
	    "{\"slot_id\":%lld,\"candidate_id\":%lld,\"late\":%s,"
	    "\"reason\":\"mandate_ended\",\"mandate\":%lld}",
	    (long long)e->slot_id, (long long)e->candidate_id,
	    late ? "true" : "false", (long long)m->id);
	memset(&a, 0, sizeof(a));
	if (x->who != NULL) {
		a.actor = x->who->account_id;
		a.org = x->who->org_id;
		a.ip = x->who->ip;
		a.request_id = x->who->request_id;
	}
	a.action = "exam.cancel";
	a.target_type = "exam";
	a.target_ids = target;
	a.outcome = AUDIT_SUCCESS;
	a.details = details;
	if (audit_append(st, c, x->s->a->audit_key, x->now, &a, NULL) != 0)
		return -1;
	snprintf(params, sizeof(params),
	    "{\"exam_id\":%lld,\"start_at\":%lld,\"late\":%s,"
	    "\"reason\":\"mandate_ended\",\"mandate_id\":%lld}",
	    (long long)e->id, (long long)e->start_at, late ? "true" : "false",
	    (long long)m->id);
	if ((rc = store_school_org(st, c, m->school_id, org, sizeof(org))) <
		0 ||
	    (rc == 0 && notify_school(x->s->a, c, org, NULL, &n, x->now) != 0))
		return -1;
	snprintf(params, sizeof(params),
	    "\"late\":%s,\"reason\":\"mandate_ended\",\"mandate_id\":%lld",
	    late ? "true" : "false", (long long)m->id);
	return svc_candidate_tell_exam(x->s, c, e->candidate_id,
	    "exam.cancelled", e, params, x->now);
}

/* Cancels every exam that ends with mandate m. Returns 0 or -1. */
static int
end_exams(const struct mx *x, struct store_conn *c, const struct mandate *m)
{
	struct bk_exam exams[STORE_EXAMS_MAX];
	size_t n = 0, i;

	if (store_exams_of_candidate(x->s->a->st, c, m->candidate_id, exams,
		STORE_EXAMS_MAX, &n) != 0)
		return -1;
	for (i = 0; i < n; i++)
		if (mandate_exam_ends(m, &exams[i], x->now) &&
		    end_exam(x, c, m, &exams[i]) != 0)
			return -1;
	return 0;
}

/*
 * A mandate ended (revoked or expired): written, the school loses the
 * trainer's assignment and the exams it booked for the candidate in that
 * category that have not started (mandate_exam_ends), and both sides are
 * told with kind. Returns 0 or -1.
 */
static int
end_mandate(const struct mx *x, struct store_conn *c, const struct mandate *m,
    const char *kind)
{
	if (store_mandate_update(x->s->a->st, c, m) != 0 ||
	    store_candidate_trainer_clear(x->s->a->st, c, m->school_id,
		m->candidate_id) < 0 ||
	    end_exams(x, c, m) != 0)
		return -1;
	return tell_school(x, c, m, kind) != 0 ||
		tell_candidate(x, c, m, kind) != 0
	    ? -1
	    : 0;
}

/*
 * Inserts a pending mandate of candidate_id for school_id into list (n
 * entries, room for STORE_MANDATES_MAX), activates it at once, and writes
 * every mandate the activation revoked (schools told). *out receives the
 * new mandate. Returns 0 or -1.
 */
static int
insert_active(const struct mx *x, struct store_conn *c, struct mandate *list,
    size_t n, int64_t candidate_id, int64_t school_id, const char *category,
    enum mandate_origin origin, struct mandate *out)
{
	enum mandate_state before[STORE_MANDATES_MAX];
	struct mandate *m;
	size_t i;

	if (n >= STORE_MANDATES_MAX)
		return -1;
	for (i = 0; i < n; i++)
		before[i] = list[i].state;
	m = &list[n];
	memset(m, 0, sizeof(*m));
	m->candidate_id = candidate_id;
	m->school_id = school_id;
	snprintf(m->category, sizeof(m->category), "%s", category);
	m->state = MANDATE_PENDING;
	if (store_mandate_insert(x->s->a->st, c, m, origin,
		x->who != NULL ? x->who->account_id : NULL, x->now) != 0 ||
	    mandate_activate(x->s->r, list, n + 1, n, x->now) < 0 ||
	    store_mandate_update(x->s->a->st, c, m) != 0)
		return -1;
	for (i = 0; i < n; i++)
		if (before[i] != MANDATE_REVOKED &&
		    list[i].state == MANDATE_REVOKED &&
		    (end_mandate(x, c, &list[i], "mandate.revoked") != 0 ||
			audit_mandate(x, c, "mandate.revoke", &list[i]) != 0))
			return -1;
	*out = *m;
	return 0;
}

/* Creation by a school. */

struct create_arg {
	struct mx x;
	int64_t school_id;
	const struct svc_mandate_claim *claim;
	const char *index;
	struct mandate *out;
	struct mandate list[STORE_MANDATES_MAX];
	struct svc_candidate reg;
};

static int
create_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct create_arg *y = arg;
	struct store_candidate row = { 0 };
	struct candidate_identity reg, claim;
	int64_t id;
	size_t n = 0;
	int rc;

	rc = store_candidate_find(st, c, y->index, y->claim->category, &row);
	id = row.id;
	store_candidate_clear(&row);
	if (rc == 0)
		rc = svc_candidate_open(y->x.s, c, id, &y->reg);
	if (rc != 0) {
		y->x.code = BK_CANDIDAT_INCONNU;
		return rc < 0 ? -1 : 0;
	}
	reg.neph = y->reg.neph;
	reg.last_name = y->reg.last_name;
	reg.first_names = y->reg.first_names;
	reg.category = y->reg.category;
	claim.neph = y->claim->neph;
	claim.last_name = y->claim->last_name;
	claim.first_names = y->claim->first_names;
	claim.category = y->claim->category;
	if ((y->x.code = mandate_check_identity(&reg, &claim)) != BK_OK)
		return 0;
	if (store_mandates_of_candidate(st, c, y->reg.id, y->list,
		STORE_MANDATES_MAX, &n) != 0)
		return -1;
	y->x.code = mandate_check_create(y->list, n, y->reg.id, y->school_id,
	    y->claim->category, MANDATE_BY_SCHOOL, y->x.now);
	if (y->x.code != BK_OK)
		return 0;
	if (insert_active(&y->x, c, y->list, n, y->reg.id, y->school_id,
		y->claim->category, MANDATE_BY_SCHOOL, y->out) != 0 ||
	    audit_mandate(&y->x, c, "mandate.create", y->out) != 0 ||
	    tell_candidate(&y->x, c, y->out, "mandate.created") != 0)
		return -1;
	return 0;
}

int
svc_mandate_create(const struct svc *s, const struct svc_actor *who,
    int64_t school_id, const struct svc_mandate_claim *claim, int64_t now,
    struct mandate *out)
{
	struct create_arg *y = calloc(1, sizeof(*y));
	char index[BLIND_INDEX_HEX];
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (y == NULL)
		return -1;
	if (svc_candidate_neph_index(s, claim->neph, index) != 0)
		goto done;
	y->x.s = s;
	y->x.who = who;
	y->x.now = now;
	y->x.code = -1;
	y->school_id = school_id;
	y->claim = claim;
	y->index = index;
	y->out = out;
	if (store_tx(s->a->st, 1, create_tx, y) == 0)
		rc = y->x.code;
done:
	sodium_memzero(y, sizeof(*y));
	free(y);
	return rc;
}

/* Lists. */

struct collect {
	struct mandate *v;
	size_t n, max;
};

static int
collect_one(void *arg, const struct mandate *m)
{
	struct collect *l = arg;

	if (l->n < l->max)
		l->v[l->n++] = *m;
	return 0;
}

/* Builds the view of m at now; identity opened when wanted and the
 * mandate is active. Returns 0 or -1. */
static int
view_of(const struct svc *s, struct store_conn *c, const struct mandate *m,
    int64_t now, int with_identity, struct svc_mandate_view *v,
    struct svc_candidate *tmp)
{
	struct store_org org;
	int rc;

	memset(v, 0, sizeof(*v));
	v->m = *m;
	v->state = mandate_state_at(m, now);
	if (store_school_org(s->a->st, c, m->school_id, v->school_org,
		sizeof(v->school_org)) < 0)
		return -1;
	memset(&org, 0, sizeof(org));
	if (v->school_org[0] != '\0' &&
	    store_org_get(s->a->st, c, v->school_org, &org) == 0)
		memcpy(v->school_name, org.name, sizeof(v->school_name));
	if (!with_identity)
		return 0;
	rc = svc_candidate_open(s, c, m->candidate_id, tmp);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		v->has_identity = 1;
		memcpy(v->neph, tmp->neph, sizeof(v->neph));
		memcpy(v->last_name, tmp->last_name, sizeof(v->last_name));
		memcpy(v->first_names, tmp->first_names,
		    sizeof(v->first_names));
	}
	sodium_memzero(tmp, sizeof(*tmp));
	return 0;
}

/* Calls fn on the views of list (n), filtered by state name. Returns 0
 * or -1. */
static int
emit(const struct svc *s, struct store_conn *c, const struct mandate *list,
    size_t n, const char *state, int64_t now, int school_view,
    svc_mandate_fn fn, void *arg)
{
	struct svc_mandate_view *v = calloc(1, sizeof(*v));
	struct svc_candidate *tmp = calloc(1, sizeof(*tmp));
	enum mandate_state at;
	size_t i;
	int rc = -1;

	if (v == NULL || tmp == NULL)
		goto done;
	for (i = 0; i < n; i++) {
		at = mandate_state_at(&list[i], now);
		if (state != NULL &&
		    strcmp(store_mandate_state_name(at), state) != 0)
			continue;
		/* Rule 1: a school sees who the candidate is only while its
		 * mandate is active; the candidate always sees itself. */
		if (view_of(s, c, &list[i], now,
			!school_view || at == MANDATE_ACTIVE, v, tmp) != 0)
			goto done;
		rc = fn(arg, v);
		sodium_memzero(v, sizeof(*v));
		if (rc != 0)
			goto done;
	}
	rc = 0;
done:
	if (v != NULL)
		sodium_memzero(v, sizeof(*v));
	free(v);
	free(tmp);
	return rc;
}

int
svc_mandates_of_school(const struct svc *s, int64_t school_id,
    const char *state, int64_t now, svc_mandate_fn fn, void *arg)
{
	struct store_conn *c = store_conn(s->a->st);
	struct collect l = { NULL, 0, SVC_MANDATES_MAX };
	int rc = -1;

	if (c == NULL || (l.v = calloc(l.max, sizeof(*l.v))) == NULL)
		return -1;
	if (store_mandates_of_school(s->a->st, c, school_id, NULL,
		SVC_MANDATES_MAX, collect_one, &l) == 0)
		rc = emit(s, c, l.v, l.n, state, now, 1, fn, arg);
	free(l.v);
	return rc;
}

int
svc_mandates_of_account(const struct svc *s, const char *account_id,
    int64_t now, svc_mandate_fn fn, void *arg)
{
	struct store_conn *c = store_conn(s->a->st);
	struct mandate *list = calloc(STORE_MANDATES_MAX, sizeof(*list));
	int64_t ids[16];
	size_t nid = 0, n, i;
	int rc = -1;

	if (c == NULL || list == NULL ||
	    store_candidates_of_account(s->a->st, c, account_id, ids, 16,
		&nid) != 0)
		goto done;
	for (i = 0; i < nid; i++)
		if (store_mandates_of_candidate(s->a->st, c, ids[i], list,
			STORE_MANDATES_MAX, &n) != 0 ||
		    emit(s, c, list, n, NULL, now, 0, fn, arg) != 0)
			goto done;
	rc = 0;
done:
	free(list);
	return rc;
}

/* Revocation by the candidate. */

struct revoke_arg {
	struct mx x;
	int64_t id;
};

static int
revoke_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct revoke_arg *y = arg;
	struct store_candidate row = { 0 };
	struct mandate m = { 0 };
	int rc, mine;

	if ((rc = store_mandate_get(st, c, y->id, &m)) != 0) {
		y->x.code = SVC_MANDATE_UNKNOWN;
		return rc < 0 ? -1 : 0;
	}
	rc = store_candidate_get(st, c, m.candidate_id, &row);
	mine = rc == 0 && strcmp(row.account_id, y->x.who->account_id) == 0;
	store_candidate_clear(&row);
	if (rc < 0)
		return -1;
	if (!mine) {
		y->x.code = SVC_MANDATE_UNKNOWN;
		return 0;
	}
	if (mandate_revoke(&m, y->x.now) != 0) {
		y->x.code = BK_CANDIDAT_PAS_SOUS_MANDAT;
		return 0;
	}
	if (end_mandate(&y->x, c, &m, "mandate.revoked") != 0 ||
	    audit_mandate(&y->x, c, "mandate.revoke", &m) != 0)
		return -1;
	y->x.code = BK_OK;
	return 0;
}

int
svc_mandate_revoke(const struct svc *s, const struct svc_actor *who, int64_t id,
    int64_t now)
{
	struct revoke_arg y = { { s, who, now, -1 }, id };

	if (store_tx(s->a->st, 1, revoke_tx, &y) != 0)
		return -1;
	return y.x.code;
}

/* A candidate chooses a school. */

struct choose_arg {
	struct mx x;
	const char *school_org;
	const char *category;
	struct mandate *out;
	struct mandate list[STORE_MANDATES_MAX];
};

/* Finds the registry row of category linked to the actor's account.
 * Returns 0 with *id, 1 when none, or -1. */
static int
own_row(struct store *st, struct store_conn *c, const char *account,
    const char *category, int64_t *id)
{
	struct store_candidate row = { 0 };
	int64_t ids[16];
	size_t n = 0, i;
	int rc, same;

	if (store_candidates_of_account(st, c, account, ids, 16, &n) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		rc = store_candidate_get(st, c, ids[i], &row);
		same = rc == 0 && strcmp(row.category, category) == 0;
		store_candidate_clear(&row);
		if (rc < 0)
			return -1;
		if (same) {
			*id = ids[i];
			return 0;
		}
	}
	return 1;
}

static int
choose_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct choose_arg *y = arg;
	int64_t cand = 0, school = 0;
	size_t n = 0;
	int rc;

	if ((rc = own_row(st, c, y->x.who->account_id, y->category, &cand)) !=
	    0) {
		y->x.code = BK_CANDIDAT_INCONNU;
		return rc < 0 ? -1 : 0;
	}
	if ((rc = store_school_ensure(st, c, y->school_org, y->x.now,
		 &school)) != 0) {
		y->x.code = BK_PARAMETRE_INVALIDE;
		return rc < 0 ? -1 : 0;
	}
	if (store_mandates_of_candidate(st, c, cand, y->list,
		STORE_MANDATES_MAX, &n) != 0)
		return -1;
	y->x.code = mandate_check_create(y->list, n, cand, school, y->category,
	    MANDATE_BY_CANDIDATE, y->x.now);
	if (y->x.code != BK_OK)
		return 0;
	if (insert_active(&y->x, c, y->list, n, cand, school, y->category,
		MANDATE_BY_CANDIDATE, y->out) != 0 ||
	    audit_mandate(&y->x, c, "mandate.choose", y->out) != 0 ||
	    tell_school(&y->x, c, y->out, "mandate.created") != 0)
		return -1;
	return 0;
}

int
svc_mandate_choose(const struct svc *s, const struct svc_actor *who,
    const char *school_org, const char *category, int64_t now,
    struct mandate *out)
{
	struct choose_arg *y = calloc(1, sizeof(*y));
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (y == NULL)
		return -1;
	y->x.s = s;
	y->x.who = who;
	y->x.now = now;
	y->x.code = -1;
	y->school_org = school_org;
	y->category = category;
	y->out = out;
	if (store_tx(s->a->st, 1, choose_tx, y) == 0)
		rc = y->x.code;
	free(y);
	return rc;
}

/* Expiry. */

struct expire_arg {
	struct mx x;
	size_t n;
};

static int
expire_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct expire_arg *y = arg;
	int64_t ids[SVC_EXPIRE_BATCH];
	struct mandate m = { 0 };
	size_t i;

	y->n = 0;
	if (store_mandates_due(st, c, y->x.now, ids, SVC_EXPIRE_BATCH, &y->n) !=
	    0)
		return -1;
	for (i = 0; i < y->n; i++) {
		if (store_mandate_get(st, c, ids[i], &m) != 0)
			return -1;
		m.state = mandate_state_at(&m, y->x.now);
		if (m.state != MANDATE_EXPIRED)
			return -1; /* the query and the rule disagree */
		if (end_mandate(&y->x, c, &m, "mandate.expired") != 0 ||
		    audit_mandate(&y->x, c, "mandate.expire", &m) != 0)
			return -1;
	}
	return 0;
}

int
svc_mandates_expire(const struct svc *s, int64_t now, long *expired)
{
	struct expire_arg y = { { s, NULL, now, BK_OK }, 0 };

	*expired = 0;
	do {
		if (store_tx(s->a->st, 1, expire_tx, &y) != 0) {
			log_warnx("%s: a batch failed", __func__);
			return -1;
		}
		*expired += (long)y.n;
	} while (y.n == SVC_EXPIRE_BATCH);
	return 0;
}
