/* convocation.c (service) - what the convocation to an exam says. */
#include "service/convocation.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "booking/mandate.h"
#include "service/candidates.h"
#include "store/centres.h"
#include "store/driver.h"
#include "store/exams.h"
#include "store/identity.h"
#include "store/mandates.h"
#include "store/school.h"
#include "store/slots.h"

struct convoc_tx {
	const struct svc *s;
	const char *account_id;
	int64_t school_id, exam_id, now;
	struct convocation *out;
	int code;
	const char *trainer; /* set: only their assigned candidates' exams */
};

/* Is the exam's candidate linked to the caller's account? */
static int
own_exam(const struct convoc_tx *t, struct store_conn *c, int64_t candidate)
{
	int64_t ids[16];
	size_t n = 0, i;

	if (store_candidates_of_account(t->s->a->st, c, t->account_id, ids, 16,
		&n) != 0)
		return -1;
	for (i = 0; i < n; i++)
		if (ids[i] == candidate)
			return 1;
	return 0;
}

/* Does the school still hold the candidate's mandate for category? */
static int
school_may_read(const struct convoc_tx *t, struct store_conn *c,
    const struct bk_exam *e)
{
	struct mandate m[STORE_MANDATES_MAX];
	size_t n;

	if (e->school_id != t->school_id)
		return 0;
	if (store_mandates_of_candidate(t->s->a->st, c, e->candidate_id, m,
		STORE_MANDATES_MAX, &n) != 0)
		return -1;
	if (mandate_check_action(m, n, e->candidate_id, t->school_id,
		e->category, t->now) != BK_OK)
		return 0;
	if (t->trainer != NULL) {
		char assigned[STORE_ID_MAX];
		int rc = store_candidate_trainer_get(t->s->a->st, c,
		    t->school_id, e->candidate_id, assigned, sizeof(assigned));

		if (rc < 0)
			return -1;
		return rc == 0 && strcmp(assigned, t->trainer) == 0;
	}
	return 1;
}

/* Fills the centre and school of exam e into t->out. */
static int
places(const struct convoc_tx *t, struct store_conn *c, const struct bk_exam *e)
{
	struct store_slot slot;
	struct store_centre ce;
	struct store_org org;
	char org_id[STORE_ID_MAX];
	struct convocation *o = t->out;
	int rc;

	memset(&slot, 0, sizeof(slot));
	if (store_slot_get_full(t->s->a->st, c, e->slot_id, &slot) != 0)
		return -1;
	memset(&ce, 0, sizeof(ce));
	if ((rc = store_centre_get(t->s->a->st, c, slot.centre_id, &ce)) < 0)
		return -1;
	snprintf(o->centre, sizeof(o->centre), "%s", ce.name);
	snprintf(o->address, sizeof(o->address), "%s", ce.address);
	snprintf(o->department, sizeof(o->department), "%s", e->department);
	if ((rc = store_school_org(t->s->a->st, c, e->school_id, org_id,
		 sizeof(org_id))) < 0)
		return -1;
	memset(&org, 0, sizeof(org));
	if (rc == 0 && store_org_get(t->s->a->st, c, org_id, &org) == 0)
		snprintf(o->school, sizeof(o->school), "%s", org.name);
	return 0;
}

static int
convoc_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct convoc_tx *t = arg;
	struct svc_candidate cand;
	struct bk_exam e;
	int rc;

	memset(&cand, 0, sizeof(cand));
	if ((rc = store_exam_get(st, c, t->exam_id, &e)) < 0)
		return -1;
	if (rc == 0)
		rc = t->account_id != NULL ? own_exam(t, c, e.candidate_id)
					   : school_may_read(t, c, &e);
	else
		rc = 0;
	if (rc < 0)
		return -1;
	if (rc == 0) {
		t->code = BK_EXAMEN_INCONNU;
		return 0;
	}
	if (e.status != EXAM_BOOKED) {
		t->code = e.status == EXAM_CANCELLED ? BK_EXAMEN_DEJA_ANNULE
						     : SVC_CONVOCATION_SAT;
		return 0;
	}
	t->out->exam_id = e.id;
	t->out->start_at = e.start_at;
	t->out->issued_at = t->now;
	snprintf(t->out->category, sizeof(t->out->category), "%s", e.category);
	if (places(t, c, &e) != 0)
		return -1;
	if ((rc = svc_candidate_open(t->s, c, e.candidate_id, &cand)) < 0)
		return -1;
	if (rc == 0) {
		snprintf(t->out->last_name, sizeof(t->out->last_name), "%s",
		    cand.last_name);
		snprintf(t->out->first_names, sizeof(t->out->first_names), "%s",
		    cand.first_names);
		snprintf(t->out->neph, sizeof(t->out->neph), "%s", cand.neph);
	}
	sodium_memzero(&cand, sizeof(cand));
	t->code = BK_OK;
	return 0;
}

int
svc_convocation_get(const struct svc *s, const char *account_id,
    int64_t school_id, int64_t exam_id, int64_t now, struct convocation *out)
{
	struct convoc_tx t = { s, account_id, school_id, exam_id, now, out, -1,
		NULL };

	memset(out, 0, sizeof(*out));
	if (store_tx(s->a->st, 0, convoc_tx, &t) != 0) {
		sodium_memzero(out, sizeof(*out));
		return -1;
	}
	return t.code;
}

int
svc_convocation_get_trainer(const struct svc *s, const char *trainer,
    int64_t school_id, int64_t exam_id, int64_t now, struct convocation *out)
{
	struct convoc_tx t = { s, NULL, school_id, exam_id, now, out, -1,
		trainer };

	memset(out, 0, sizeof(*out));
	if (trainer == NULL || store_tx(s->a->st, 0, convoc_tx, &t) != 0) {
		sodium_memzero(out, sizeof(*out));
		return -1;
	}
	return t.code;
}
