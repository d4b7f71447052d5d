/*
 * basket.c (service) - baskets, holds and validation in one transaction
 * each: the store reads, src/booking/ decides, the store writes, with the
 * audit entry and notifications in the same transaction.
 */
#include "service/basket.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "booking/eligibility.h"
#include "booking/mandate.h"
#include "booking/quota.h"
#include "booking/replay.h"
#include "booking/territory.h"
#include "core/log.h"
#include "notify/notify.h"
#include "service/candidates.h"
#include "store/baskets.h"
#include "store/driver.h"
#include "store/exams.h"
#include "store/mandates.h"
#include "store/notify.h"
#include "store/quota.h"
#include "store/replays.h"
#include "store/school.h"

/* Appends the audit entry of an action on slots: ids of the slots,
 * details as given (JSON object, may be NULL). Returns 0 or -1. */
static int
audit(const struct svc *s, struct store_conn *c, const struct svc_actor *who,
    const char *action, const char *ids, json_t *details, int64_t now)
{
	struct audit_entry e;
	char *d = NULL;
	int rc;

	memset(&e, 0, sizeof(e));
	if (details != NULL &&
	    (d = json_dumps(details, JSON_COMPACT | JSON_SORT_KEYS)) == NULL)
		return -1;
	e.actor = who != NULL ? who->account_id : NULL;
	e.org = who != NULL ? who->org_id : NULL;
	e.ip = who != NULL ? who->ip : NULL;
	e.request_id = who != NULL ? who->request_id : NULL;
	e.action = action;
	e.target_type = "slot";
	e.target_ids = ids;
	e.outcome = AUDIT_SUCCESS;
	e.details = d;
	rc = audit_append(s->a->st, c, s->a->audit_key, now, &e, NULL);
	free(d);
	return rc;
}

/* Writes the comma-separated slot ids of b into out. */
static void
basket_ids(const struct basket *b, char *out, size_t outlen)
{
	size_t i, len = 0;

	out[0] = '\0';
	for (i = 0; i < b->n && len < outlen; i++)
		len += (size_t)snprintf(out + len, outlen - len, "%s%lld",
		    i ? "," : "", (long long)b->items[i].slot_id);
}

/* Notifies the owner of basket b (of school_id) of kind with the basket's
 * id, its slots and the time it expires or expired. */
static int
notify_owner(const struct svc *s, struct store_conn *c, const char *owner,
    int64_t school_id, const struct basket *b, const char *kind, int64_t now)
{
	char org[STORE_ID_MAX], params[512];
	struct notice n = { kind, params };
	int rc;

	rc = store_school_org(s->a->st, c, school_id, org, sizeof(org));
	if (rc < 0)
		return -1;
	snprintf(params, sizeof(params),
	    "{\"basket_id\":%lld,\"slots\":%zu,\"expires_at\":%lld}",
	    (long long)b->id, b->n, (long long)basket_expires_at(s->r, b));
	return notify_account(s->a, c, owner, rc == 0 ? org : NULL, &n, now);
}

/* Empties basket b (owner's): frees every held slot, saves it, audits and
 * notifies basket.expired. */
static int
expire_basket(const struct svc *s, struct store_conn *c, struct basket *b,
    const char *owner, int64_t now)
{
	char ids[BK_BASKET_CAP * 21 + 1];
	struct basket before = *b;
	json_t *d;
	size_t i;
	int rc;

	basket_ids(b, ids, sizeof(ids));
	for (i = 0; i < b->n; i++)
		if (store_slot_move(s->a->st, c, b->items[i].slot_id, SLOT_HELD,
			SLOT_FREE, 0) < 0)
			return -1;
	basket_clear(b, now);
	if (store_basket_save(s->a->st, c, b) != 0)
		return -1;
	d = json_pack("{s:I, s:I}", "basket_id", (json_int_t)b->id, "slots",
	    (json_int_t)before.n);
	rc = audit(s, c, NULL, "basket.expire", ids, d, now);
	json_decref(d);
	if (rc != 0)
		return -1;
	return notify_owner(s, c, owner, b->school_id, &before,
	    "basket.expired", now);
}

/* Reads who's basket, creating it when missing and expiring it when due.
 * Returns 0 or -1. */
static int
load_current(const struct svc *s, struct store_conn *c,
    const struct svc_actor *who, int64_t school_id, int64_t now,
    struct basket *b)
{
	int rc = store_basket_of_owner(s->a->st, c, who->account_id, b);

	if (rc < 0)
		return -1;
	if (rc == 1)
		return store_basket_create(s->a->st, c, school_id,
		    who->account_id, now, b);
	if (basket_check_open(s->r, b, now) != BK_OK)
		return expire_basket(s, c, b, who->account_id, now);
	return 0;
}

/* Reads basket basket_id if it is who's. Returns BK_OK, BK_PANIER_INCONNU
 * or -1. */
static int
load_owned(const struct svc *s, struct store_conn *c,
    const struct svc_actor *who, int64_t basket_id, struct basket *b)
{
	char owner[STORE_ID_MAX];
	int rc =
	    store_basket_get(s->a->st, c, basket_id, b, owner, sizeof(owner));

	if (rc < 0)
		return -1;
	if (rc == 1 || strcmp(owner, who->account_id) != 0)
		return BK_PANIER_INCONNU;
	return BK_OK;
}

/* Rule 1 for candidate on a slot of category, for school. Returns BK_OK,
 * BK_CANDIDAT_PAS_SOUS_MANDAT or -1. */
static int
check_mandate(const struct svc *s, struct store_conn *c, int64_t school_id,
    int64_t candidate, const char *category, int64_t now)
{
	struct mandate m[STORE_MANDATES_MAX];
	size_t n;

	if (store_mandates_of_candidate(s->a->st, c, candidate, m,
		STORE_MANDATES_MAX, &n) != 0)
		return -1;
	return mandate_check_action(m, n, candidate, school_id, category, now);
}

/*
 * Rules 1 and 6 for candidate on a slot of category starting at
 * start_at, for school: said when the candidate is put on the slot, not
 * only at validation (which checks again, since things change in
 * between). *until receives a waiting delay's end. Returns BK_OK, the
 * refusal, or -1.
 */
static int
check_candidate(const struct svc *s, struct store_conn *c, int64_t school_id,
    int64_t candidate, const char *category, int64_t start_at, int64_t now,
    int64_t *until)
{
	struct bk_exam exams[STORE_EXAMS_MAX];
	size_t n;
	int rc = check_mandate(s, c, school_id, candidate, category, now);

	if (rc != BK_OK)
		return rc;
	if (store_exams_of_candidate(s->a->st, c, candidate, exams,
		STORE_EXAMS_MAX, &n) != 0)
		return -1;
	return eligibility_check(s->r, exams, n, category, now, start_at,
	    until);
}

struct current_tx {
	const struct svc *s;
	const struct svc_actor *who;
	int64_t school_id, now;
	struct basket *b;
};

static int
current_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct current_tx *t = arg;

	(void)st;
	return load_current(t->s, c, t->who, t->school_id, t->now, t->b);
}

/* Reads who's basket without writing; 1 when it must be created or
 * released first (the write transaction then does it). */
static int
peek_current(struct store *st, struct store_conn *c, void *arg)
{
	struct current_tx *t = arg;
	int rc = store_basket_of_owner(st, c, t->who->account_id, t->b);

	if (rc < 0)
		return -1;
	if (rc == 1 || basket_check_open(t->s->r, t->b, t->now) != BK_OK)
		return 1;
	return 0;
}

int
svc_basket_current(const struct svc *s, const struct svc_actor *who,
    int64_t school_id, int64_t now, struct basket *b)
{
	struct current_tx t;
	int rc;

	memset(b, 0, sizeof(*b));
	t = (struct current_tx){ s, who, school_id, now, b };
	/* Reading a basket is the common case: no write lock for it. */
	if ((rc = store_tx(s->a->st, 0, peek_current, &t)) == 0)
		return BK_OK;
	if (rc < 0)
		return -1;
	return store_tx(s->a->st, 1, current_tx, &t) == 0 ? BK_OK : -1;
}

/* Rule 3's figures for school_id in department, category and month: the
 * exams it holds there (*before) and its quota. Returns 0 or -1. */
static int
quota_of(const struct svc *s, struct store_conn *c, int64_t school_id,
    const char *department, const char *category, int64_t month,
    int64_t *before, int64_t *quota)
{
	int64_t etp = 0, coef = 0;
	int rc;

	if (store_exams_quota_count(s->a->st, c, school_id, department,
		category, month, before) != 0 ||
	    store_school_etp(s->a->st, c, school_id, department, category,
		&etp) != 0 ||
	    (rc = store_coefficient_get(s->a->st, c, department, category,
		 month, &coef)) < 0)
		return -1;
	if (rc == 1)
		coef = s->r->coefficient_centi;
	*quota = quota_places(etp, coef);
	return 0;
}

/*
 * Rule 3 said early (issue: refuse at the moment a slot is added, not
 * only at validation): each slot just added to b (from first on) must
 * fit in its (department, category, month) quota with the school's exams
 * there and the basket's slots of the same group before it. The
 * validation still decides (other employees' baskets are not counted
 * here); this only spares the school a basket it can never validate.
 * Returns BK_OK, BK_SEUIL_ATTEINT with *bad the index among the added
 * slots, or -1.
 */
static int
quota_room(const struct svc *s, struct store_conn *c, int64_t school_id,
    const struct basket *b, size_t first, size_t *bad)
{
	size_t i, j;

	for (i = first; i < b->n; i++) {
		const struct basket_item *it = &b->items[i];
		int64_t month = quota_month(it->start_at), before, quota;
		int64_t counted;

		if (quota_of(s, c, school_id, it->department, it->category,
			month, &before, &quota) != 0)
			return -1;
		counted = before;
		for (j = 0; j < i; j++)
			if (quota_month(b->items[j].start_at) == month &&
			    strcmp(b->items[j].department, it->department) ==
				0 &&
			    strcmp(b->items[j].category, it->category) == 0)
				counted++;
		if (quota_check(quota, counted) != BK_OK) {
			*bad = i - first;
			return BK_SEUIL_ATTEINT;
		}
	}
	return BK_OK;
}

struct add_tx {
	const struct svc *s;
	const struct svc_actor *who;
	int64_t school_id, basket_id, now;
	const int64_t *slot_ids, *candidate_ids;
	size_t n;
	struct svc_refusal *why;
	int code;
};

/* Lists in why every slot of the request held or booked by now. */
static void
list_taken(const struct bk_slot *slots, size_t n, struct svc_refusal *why)
{
	size_t i;

	why->ntaken = 0;
	for (i = 0; i < n && why->ntaken < BK_BASKET_CAP; i++)
		if (slots[i].state == SLOT_HELD ||
		    slots[i].state == SLOT_BOOKED)
			why->taken[why->ntaken++] = slots[i].id;
}

/* Decides the action on b as it is read on c: the rules of basket_add
 * and rule 1 for each candidate given. Fills slots and the basket's new
 * state. Returns BK_OK, the refusal, or -1. */
static int
decide_add(struct add_tx *t, struct store_conn *c, struct basket *b,
    struct bk_slot *slots)
{
	char depts[STORE_SCHOOL_DEPTS_MAX][BK_DEPARTMENT_MAX];
	const char *dp[STORE_SCHOOL_DEPTS_MAX];
	size_t i, nd, bad = 0, first = b->n;
	int64_t opens = 0;
	int rc;

	if (t->n > BK_BASKET_CAP)
		return BK_TROP_DE_CRENEAUX;
	if (store_slots_read(t->s->a->st, c, t->slot_ids, t->n, slots) != 0 ||
	    store_school_departments(t->s->a->st, c, t->school_id, depts,
		&nd) != 0)
		return -1;
	for (i = 0; i < nd; i++)
		dp[i] = depts[i];
	rc = basket_add(t->s->r, b, slots, t->n, dp, nd, t->now, &bad, &opens);
	if (rc != BK_OK) {
		t->why->index = bad;
		t->why->at = opens;
		if (rc == BK_CRENEAU_DEJA_RESERVE)
			list_taken(slots, t->n, t->why);
		return rc;
	}
	if ((rc = quota_room(t->s, c, t->school_id, b, first, &bad)) != BK_OK) {
		t->why->index = bad;
		return rc;
	}
	for (i = 0; t->candidate_ids != NULL && i < t->n; i++) {
		if (t->candidate_ids[i] <= 0)
			continue;
		rc = check_candidate(t->s, c, t->school_id, t->candidate_ids[i],
		    slots[i].category, slots[i].start_at, t->now, &t->why->at);
		if (rc != BK_OK) {
			t->why->index = i;
			return rc;
		}
		b->items[first + i].candidate_id = t->candidate_ids[i];
	}
	return BK_OK;
}

/* The read-only look before the write: refusals end here. */
static int
add_precheck_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct add_tx *t = arg;
	struct bk_slot slots[BK_BASKET_CAP];
	struct basket b;
	int rc;

	(void)st;
	if ((rc = load_owned(t->s, c, t->who, t->basket_id, &b)) != BK_OK)
		return t->code = rc, rc < 0 ? -1 : 1;
	/* An expired basket is released by the write transaction. */
	if (basket_check_open(t->s->r, &b, t->now) != BK_OK)
		return t->code = BK_OK, 0;
	t->code = decide_add(t, c, &b, slots);
	return t->code < 0 ? -1 : 1; /* read only: never commit */
}

static int
add_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct add_tx *t = arg;
	struct bk_slot slots[BK_BASKET_CAP];
	struct basket b;
	size_t i;
	json_t *d;
	char ids[BK_BASKET_CAP * 21 + 1];
	int rc;

	if ((rc = load_owned(t->s, c, t->who, t->basket_id, &b)) != BK_OK)
		return t->code = rc, rc < 0 ? -1 : 1;
	if (basket_check_open(t->s->r, &b, t->now) != BK_OK) {
		/* Past its expiry: its slots go back now, as the job would. */
		if (expire_basket(t->s, c, &b, t->who->account_id, t->now) != 0)
			return -1;
		t->code = BK_PANIER_EXPIRE;
		return 0; /* commit the release, answer the refusal */
	}
	if ((t->code = decide_add(t, c, &b, slots)) != BK_OK)
		return t->code < 0 ? -1 : 1;
	/* The hold itself: only a slot still free moves, so two baskets
	 * can never hold the same slot. */
	for (i = 0; i < t->n; i++) {
		rc = store_slot_move(st, c, slots[i].id, SLOT_FREE, SLOT_HELD,
		    b.id);
		if (rc != 0) {
			t->why->index = i;
			t->code = BK_CRENEAU_DEJA_RESERVE;
			return rc < 0 ? -1 : 1;
		}
	}
	if (store_basket_save(st, c, &b) != 0)
		return -1;
	ids[0] = '\0';
	for (i = 0; i < t->n; i++)
		snprintf(ids + strlen(ids), sizeof(ids) - strlen(ids), "%s%lld",
		    i ? "," : "", (long long)slots[i].id);
	d = json_pack("{s:I, s:I}", "basket_id", (json_int_t)b.id, "added",
	    (json_int_t)t->n);
	rc = audit(t->s, c, t->who, "basket.add", ids, d, t->now);
	json_decref(d);
	return rc;
}

/* Runs fn in a write transaction; a refusal (fn returned 1) rolls back
 * and is answered with t's code. */
static int
run(const struct svc *s, int (*fn)(struct store *, struct store_conn *, void *),
    void *arg, int *code)
{
	int rc = store_tx(s->a->st, 1, fn, arg);

	if (rc < 0 || (rc == 0 && *code < 0))
		return -1;
	return *code;
}

int
svc_basket_add(const struct svc *s, const struct svc_actor *who,
    int64_t school_id, int64_t basket_id, const int64_t *slot_ids,
    const int64_t *candidate_ids, size_t n, int64_t now,
    struct svc_refusal *why)
{
	struct svc_refusal none;
	struct add_tx t = { s, who, school_id, basket_id, now, slot_ids,
		candidate_ids, n, why != NULL ? why : &none, BK_OK };

	memset(t.why, 0, sizeof(*t.why));
	if (store_tx(s->a->st, 0, add_precheck_tx, &t) < 0)
		return -1;
	if (t.code != BK_OK)
		return t.code;
	return run(s, add_tx, &t, &t.code);
}

struct edit_tx {
	const struct svc *s;
	const struct svc_actor *who;
	int64_t school_id, basket_id, slot_id, candidate_id, now;
	int code;
	int64_t until; /* assign: a waiting delay's end */
};

static int
remove_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct edit_tx *t = arg;
	struct basket b;
	char ids[24];
	int rc;

	if ((rc = load_owned(t->s, c, t->who, t->basket_id, &b)) != BK_OK)
		return t->code = rc, rc < 0 ? -1 : 1;
	if ((t->code = basket_remove(&b, t->slot_id)) != BK_OK)
		return 1;
	if (store_slot_move(st, c, t->slot_id, SLOT_HELD, SLOT_FREE, 0) < 0 ||
	    store_basket_save(st, c, &b) != 0)
		return -1;
	snprintf(ids, sizeof(ids), "%lld", (long long)t->slot_id);
	return audit(t->s, c, t->who, "basket.remove", ids, NULL, t->now);
}

int
svc_basket_remove(const struct svc *s, const struct svc_actor *who,
    int64_t basket_id, int64_t slot_id, int64_t now)
{
	struct edit_tx t = { s, who, 0, basket_id, slot_id, 0, now, BK_OK };

	return run(s, remove_tx, &t, &t.code);
}

static int
assign_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct edit_tx *t = arg;
	struct basket b;
	json_t *d;
	char ids[24];
	size_t i;
	int rc;

	if ((rc = load_owned(t->s, c, t->who, t->basket_id, &b)) != BK_OK)
		return t->code = rc, rc < 0 ? -1 : 1;
	for (i = 0; i < b.n && b.items[i].slot_id != t->slot_id; i++)
		;
	if (i < b.n && t->candidate_id > 0) {
		rc = check_candidate(t->s, c, t->school_id, t->candidate_id,
		    b.items[i].category, b.items[i].start_at, t->now,
		    &t->until);
		if (rc != BK_OK)
			return t->code = rc, rc < 0 ? -1 : 1;
	}
	t->code =
	    basket_assign(t->s->r, &b, t->slot_id, t->candidate_id, t->now);
	if (t->code != BK_OK)
		return 1;
	if (store_basket_save(st, c, &b) != 0)
		return -1;
	snprintf(ids, sizeof(ids), "%lld", (long long)t->slot_id);
	d = json_pack("{s:I, s:I}", "basket_id", (json_int_t)b.id,
	    "candidate_id", (json_int_t)t->candidate_id);
	rc = audit(t->s, c, t->who, "basket.assign", ids, d, t->now);
	json_decref(d);
	return rc;
}

int
svc_basket_assign(const struct svc *s, const struct svc_actor *who,
    int64_t school_id, int64_t basket_id, int64_t slot_id, int64_t candidate_id,
    int64_t now, int64_t *until)
{
	struct edit_tx t = { s, who, school_id, basket_id, slot_id,
		candidate_id, now, BK_OK, 0 };
	int rc = run(s, assign_tx, &t, &t.code);

	if (until != NULL)
		*until = t.until;
	return rc;
}

/* Validation: the per-slot checks of rules 1, 3 and 6, with the places
 * already taken by earlier slots of the same validation. */
#define GROUPS_MAX BK_BASKET_CAP

struct group {
	char department[BK_DEPARTMENT_MAX];
	char category[BK_CATEGORY_MAX];
	int64_t month;
	int64_t before; /* exams counted before this validation */
	int64_t quota;
	int64_t accepted; /* booked by this validation */
};

struct validate_tx {
	const struct svc *s;
	const struct svc_actor *who;
	int64_t school_id, basket_id, now;
	struct svc_validation *out;
	struct store_conn *c;
	struct group groups[GROUPS_MAX];
	size_t ngroups;
	int64_t penalty_end; /* of the slot being checked */
	int failed; /* storage failure inside a check */
	int code;
	/* The Idempotency-Key's hash when one came (keyed set). */
	int keyed;
	unsigned char key_hash[STORE_HASH_BYTES];
};

/* Finds or loads the threshold group of item. Returns it, or NULL. */
static struct group *
group_of(struct validate_tx *t, const struct basket_item *it)
{
	struct group *g;
	int64_t month = quota_month(it->start_at);
	size_t i;

	for (i = 0; i < t->ngroups; i++) {
		g = &t->groups[i];
		if (g->month == month &&
		    strcmp(g->department, it->department) == 0 &&
		    strcmp(g->category, it->category) == 0)
			return g;
	}
	if (t->ngroups >= GROUPS_MAX)
		return NULL;
	g = &t->groups[t->ngroups];
	memset(g, 0, sizeof(*g));
	memcpy(g->department, it->department, sizeof(g->department));
	memcpy(g->category, it->category, sizeof(g->category));
	g->month = month;
	if (quota_of(t->s, t->c, t->school_id, g->department, g->category,
		month, &g->before, &g->quota) != 0)
		return NULL;
	t->ngroups++;
	return g;
}

static enum bk_code
check_item(void *arg, const struct basket_item *it)
{
	struct validate_tx *t = arg;
	struct bk_exam exams[STORE_EXAMS_MAX];
	struct group *g;
	size_t n;
	int rc;
	enum bk_code code;

	t->penalty_end = 0;
	rc = check_mandate(t->s, t->c, t->school_id, it->candidate_id,
	    it->category, t->now);
	if (rc != BK_OK) {
		t->failed |= rc < 0;
		return rc < 0 ? BK_PARAMETRE_INVALIDE : (enum bk_code)rc;
	}
	if (store_exams_of_candidate(t->s->a->st, t->c, it->candidate_id, exams,
		STORE_EXAMS_MAX, &n) != 0) {
		t->failed = 1;
		return BK_PARAMETRE_INVALIDE;
	}
	code = eligibility_check(t->s->r, exams, n, it->category, t->now,
	    it->start_at, &t->penalty_end);
	if (code != BK_OK)
		return code;
	if ((g = group_of(t, it)) == NULL) {
		t->failed = 1;
		return BK_PARAMETRE_INVALIDE;
	}
	if ((code = quota_check(g->quota, g->before + g->accepted)) != BK_OK)
		return code;
	g->accepted++;
	return BK_OK;
}

/* Wraps check_item to keep the penalty end of each refused slot. */
struct check_wrap {
	struct validate_tx *t;
	size_t i;
};

static enum bk_code
check_wrapped(void *arg, const struct basket_item *it)
{
	struct check_wrap *w = arg;
	enum bk_code code = check_item(w->t, it);
	size_t i;

	/* basket_validate calls in basket order: find this item's place. */
	for (i = 0; i < BK_BASKET_CAP; i++)
		if (w->t->out->res[i].slot_id == it->slot_id)
			break;
	if (i < BK_BASKET_CAP && code == BK_CANDIDAT_SOUS_PENALITE)
		w->t->out->at[i] = w->t->penalty_end;
	return code;
}

/* Notifies the school of thresholds crossed by this validation. */
static int
notify_thresholds(struct validate_tx *t, struct store_conn *c)
{
	char params[256];
	struct notice n = { NULL, params };
	unsigned crossed;
	size_t i;
	int level, rc;

	for (i = 0; i < t->ngroups; i++) {
		struct group *g = &t->groups[i];

		crossed = quota_thresholds_crossed(t->s->r, g->before,
		    g->before + g->accepted, g->quota);
		for (level = 0; level < 2; level++) {
			if (!(crossed &
				(level ? QUOTA_CROSSED_FULL
				       : QUOTA_CROSSED_LOW)))
				continue;
			rc = store_quota_notice(t->s->a->st, c, t->school_id,
			    g->department, g->category, g->month,
			    level ? t->s->r->notify_full_pct
				  : t->s->r->notify_low_pct,
			    t->now);
			if (rc < 0)
				return -1;
			if (rc == 1)
				continue; /* told once already */
			n.kind = level ? "quota.full" : "quota.low";
			snprintf(params, sizeof(params),
			    "{\"department\":\"%s\",\"category\":\"%s\","
			    "\"month\":%lld,\"quota\":%lld,\"used\":%lld}",
			    g->department, g->category, (long long)g->month,
			    (long long)g->quota,
			    (long long)(g->before + g->accepted));
			if (notify_school(t->s->a, c, t->who->org_id,
				t->who->account_id, &n, t->now) != 0)
				return -1;
		}
	}
	return 0;
}

/* Returns {"name": list} as new compact JSON text (free it), or NULL.
 * A list too long for a notification becomes {"name_count": n}: a
 * validation never fails for the length of its notice. */
static char *
dump_wrapped(const char *name, json_t *list)
{
	json_t *o = json_pack("{s:O}", name, list);
	char *p = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;
	char key[32];

	json_decref(o);
	if (p != NULL && strlen(p) < STORE_NOTIFY_PARAMS_MAX)
		return p;
	free(p);
	snprintf(key, sizeof(key), "%s_count", name);
	o = json_pack("{s:I}", key, (json_int_t)json_array_size(list));
	p = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	return p;
}

/*
 * Looks for the outcome kept under t's key: the same basket fills t->out
 * with it (replayed), another basket is SVC_IDEM_KEY_REUSED. Returns 0
 * when none is kept (validate), 1 with t->code set (answer, write
 * nothing), or -1.
 */
static int
replay_lookup(struct validate_tx *t, struct store_conn *c)
{
	struct svc_validation *o = t->out;
	struct store_replay r;
	int rc;

	memset(&r, 0, sizeof(r));
	rc = store_replay_get(t->s->a->st, c, t->who->account_id, t->key_hash,
	    t->now, &r);
	if (rc != 0)
		return rc < 0 ? -1 : 0; /* none kept: validate */
	if (r.basket_id != t->basket_id) {
		t->code = SVC_IDEM_KEY_REUSED;
		return 1;
	}
	if (replay_decode(r.results, o->res, o->at, BK_BASKET_CAP, &o->n) !=
	    0) {
		log_errorx("basket: unreadable kept validation of basket %lld",
		    (long long)r.basket_id);
		return -1;
	}
	o->contains_errors = r.status == 207;
	o->replayed = 1;
	t->code = BK_OK;
	return 1;
}

/* Keeps the outcome of the validation just done under t's key. */
static int
replay_keep(struct validate_tx *t, struct store_conn *c)
{
	const struct svc_validation *o = t->out;
	struct store_replay r;

	memset(&r, 0, sizeof(r));
	snprintf(r.account_id, sizeof(r.account_id), "%s", t->who->account_id);
	memcpy(r.key_hash, t->key_hash, sizeof(r.key_hash));
	r.basket_id = t->basket_id;
	r.status = o->contains_errors ? 207 : 200;
	r.created_at = t->now;
	r.expires_at = t->now + REPLAY_TTL_MS;
	if (replay_encode(o->res, o->at, o->n, r.results, sizeof(r.results)) !=
	    0)
		return -1;
	return store_replay_put(t->s->a->st, c, &r);
}

static int
validate_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct validate_tx *t = arg;
	struct svc_validation *o = t->out;
	struct check_wrap w = { t, 0 };
	struct basket b;
	struct bk_exam e;
	json_t *booked, *failed, *d;
	char ids[BK_BASKET_CAP * 21 + 1], *p;
	struct notice n;
	size_t i;
	int rc;

	t->c = c;
	if (t->keyed && (rc = replay_lookup(t, c)) != 0)
		return rc; /* a replay or a refusal: nothing written */
	if ((rc = load_owned(t->s, c, t->who, t->basket_id, &b)) != BK_OK)
		return t->code = rc, rc < 0 ? -1 : 1;
	if (basket_check_open(t->s->r, &b, t->now) != BK_OK) {
		if (expire_basket(t->s, c, &b, t->who->account_id, t->now) != 0)
			return -1;
		t->code = BK_PANIER_EXPIRE;
		return 0;
	}
	/* Results are written in basket order: seed the ids so the
	 * wrapper can place penalty ends. */
	for (i = 0; i < b.n; i++)
		o->res[i].slot_id = b.items[i].slot_id;
	rc = basket_validate(t->s->r, &b, t->now, check_wrapped, &w, o->res,
	    &o->n, &o->contains_errors);
	if (t->failed)
		return -1;
	if ((t->code = rc) != BK_OK)
		return 1;
	booked = json_array();
	failed = json_array();
	for (i = 0; i < o->n; i++) {
		const struct basket_item *it = &b.items[i];

		if (!o->res[i].booked) {
			json_t *f = json_pack("{s:I, s:s}", "slot_id",
			    (json_int_t)it->slot_id, "code",
			    bk_code_name(o->res[i].code));

			/* A waiting delay says when it ends (rule 6). */
			if (f != NULL && o->at[i] > 0)
				json_object_set_new(f, "until",
				    json_integer(o->at[i]));
			json_array_append_new(failed, f);
			continue;
		}
		memset(&e, 0, sizeof(e));
		e.slot_id = it->slot_id;
		e.school_id = t->school_id;
		e.candidate_id = it->candidate_id;
		memcpy(e.department, it->department, sizeof(e.department));
		memcpy(e.category, it->category, sizeof(e.category));
		e.start_at = it->start_at;
		if (store_exam_insert(st, c, &e, quota_month(it->start_at),
			t->who->account_id, t->now) != 0 ||
		    store_slot_move(st, c, it->slot_id, SLOT_HELD, SLOT_BOOKED,
			0) != 0)
			goto fail;
		o->res[i].exam_id = e.id;
		if (svc_candidate_tell_exam(t->s, c, e.candidate_id,
			"exam.booked", &e, NULL, t->now) != 0)
			goto fail;
		json_array_append_new(booked,
		    json_pack("{s:I, s:I, s:I}", "slot_id",
			(json_int_t)it->slot_id, "exam_id", (json_int_t)e.id,
			"candidate_id", (json_int_t)it->candidate_id));
	}
	basket_ids(&b, ids, sizeof(ids));
	basket_drop_booked(&b, o->res, o->n);
	if (store_basket_save(st, c, &b) != 0)
		goto fail;
	d = json_pack("{s:I, s:O, s:O}", "basket_id", (json_int_t)b.id,
	    "booked", booked, "failed", failed);
	rc = audit(t->s, c, t->who, "booking.validate", ids, d, t->now);
	json_decref(d);
	if (rc != 0)
		goto fail;
	if (json_array_size(booked) > 0) {
		p = dump_wrapped("exams", booked);
		n.kind = "booking.confirmed";
		n.params = p;
		rc = p != NULL ? notify_school(t->s->a, c, t->who->org_id,
				     t->who->account_id, &n, t->now)
			       : -1;
		free(p);
		if (rc != 0)
			goto fail;
	}
	if (json_array_size(failed) > 0) {
		p = dump_wrapped("failed", failed);
		n.kind = "validation.failed";
		n.params = p;
		rc = p != NULL ? notify_account(t->s->a, c, t->who->account_id,
				     t->who->org_id, &n, t->now)
			       : -1;
		free(p);
		if (rc != 0)
			goto fail;
	}
	json_decref(booked);
	json_decref(failed);
	if (notify_thresholds(t, c) != 0)
		return -1;
	return t->keyed ? replay_keep(t, c) : 0;
fail:
	json_decref(booked);
	json_decref(failed);
	return -1;
}

int
svc_basket_validate_once(const struct svc *s, const struct svc_actor *who,
    int64_t school_id, int64_t basket_id, const char *key, int64_t now,
    struct svc_validation *out)
{
	struct validate_tx t;

	memset(&t, 0, sizeof(t));
	memset(out, 0, sizeof(*out));
	t.s = s;
	t.who = who;
	t.school_id = school_id;
	t.basket_id = basket_id;
	t.now = now;
	t.out = out;
	if (key != NULL) {
		if (replay_key_check(key) != 0 ||
		    crypto_generichash(t.key_hash, sizeof(t.key_hash),
			(const unsigned char *)key, strlen(key), NULL, 0) != 0)
			return -1;
		t.keyed = 1;
	}
	return run(s, validate_tx, &t, &t.code);
}

int
svc_basket_validate(const struct svc *s, const struct svc_actor *who,
    int64_t school_id, int64_t basket_id, int64_t now,
    struct svc_validation *out)
{
	return svc_basket_validate_once(s, who, school_id, basket_id, NULL, now,
	    out);
}

/* The job. */
#define EXPIRE_BATCH 64

struct id_list {
	int64_t ids[EXPIRE_BATCH];
	size_t n;
};

static int
collect(void *arg, int64_t id)
{
	struct id_list *l = arg;

	if (l->n < EXPIRE_BATCH)
		l->ids[l->n++] = id;
	return 0;
}

struct job_tx {
	const struct svc *s;
	int64_t id, now;
	int warn; /* 1: warn only */
	int done;
};

static int
job_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct job_tx *t = arg;
	char owner[STORE_ID_MAX];
	struct basket b;
	int rc;

	t->done = 0;
	rc = store_basket_get(st, c, t->id, &b, owner, sizeof(owner));
	if (rc != 0 || b.n == 0)
		return rc < 0 ? -1 : 0;
	if (!t->warn) {
		if (basket_check_open(t->s->r, &b, t->now) == BK_OK)
			return 0; /* changed since listed */
		t->done = 1;
		return expire_basket(t->s, c, &b, owner, t->now);
	}
	if (basket_time_left(t->s->r, &b, t->now) > SVC_BASKET_WARN_MS)
		return 0;
	t->done = 1;
	if (store_basket_warned(st, c, b.id) != 0)
		return -1;
	return notify_owner(t->s, c, owner, b.school_id, &b, "basket.expiring",
	    t->now);
}

/* Lists the baskets started at or before first_before (warned or not as
 * asked) and runs job_tx on each. */
static int
sweep(const struct svc *s, int64_t now, int64_t first_before, int warn,
    long *count)
{
	struct id_list l;
	struct job_tx t = { s, 0, now, warn, 0 };
	size_t i;

	*count = 0;
	do {
		l.n = 0;
		if (store_baskets_started_before(s->a->st, store_conn(s->a->st),
			first_before, warn ? 0 : 1, EXPIRE_BATCH, collect,
			&l) != 0)
			return -1;
		for (i = 0; i < l.n; i++) {
			t.id = l.ids[i];
			if (store_tx(s->a->st, 1, job_tx, &t) != 0)
				return -1;
			*count += t.done;
		}
	} while (l.n == EXPIRE_BATCH && *count > 0);
	return 0;
}

int
svc_baskets_expire(const struct svc *s, int64_t now, long *expired,
    long *warned)
{
	long e = 0, w = 0;
	int rc;

	rc = sweep(s, now, now - s->r->basket_ttl_ms, 0, &e);
	if (rc == 0)
		rc = sweep(s, now,
		    now - s->r->basket_ttl_ms + SVC_BASKET_WARN_MS, 1, &w);
	if (expired != NULL)
		*expired = e;
	if (warned != NULL)
		*warned = w;
	return rc;
}

struct search {
	const struct svc *s;
	const char *const *depts;
	size_t ndepts;
	int (
	    *fn)(void *arg, const struct store_slot_found *f, int64_t opens_at);
	void *arg;
};

static int
search_one(void *arg, const struct store_slot_found *f)
{
	struct search *x = arg;

	return x->fn(x->arg, f,
	    territory_opens_at(x->s->r, &f->slot, x->depts, x->ndepts));
}

int
svc_slots_search(const struct svc *s, int64_t school_id,
    const struct store_slot_search *q,
    int (*fn)(void *arg, const struct store_slot_found *f, int64_t opens_at),
    void *arg)
{
	char depts[STORE_SCHOOL_DEPTS_MAX][BK_DEPARTMENT_MAX];
	const char *dp[STORE_SCHOOL_DEPTS_MAX];
	struct store_conn *c = store_conn(s->a->st);
	struct search x = { s, dp, 0, fn, arg };
	size_t i;

	if (c == NULL ||
	    store_school_departments(s->a->st, c, school_id, depts,
		&x.ndepts) != 0)
		return -1;
	for (i = 0; i < x.ndepts; i++)
		dp[i] = depts[i];
	return store_slots_search(s->a->st, c, q, search_one, &x);
}
