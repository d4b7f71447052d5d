/* candidate_link.c - a candidate links their account to their file. */
#include "service/candidate_link.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "audit/audit.h"
#include "auth/pwreset.h"
#include "auth/throttle.h"
#include "booking/mandate.h"
#include "booking/neph.h"
#include "service/candidates.h"
#include "store/booking_rights.h"
#include "store/candidates.h"
#include "store/driver.h"

#define ROWS_MAX 16 /* registry rows of one NEPH (one per category) */

struct link_arg {
	const struct svc *s;
	const struct svc_actor *who;
	const struct svc_candidate_in *in; /* checked claim */
	const char *index;
	char account_key[STORE_INDEX_MAX];
	char source_key[STORE_INDEX_MAX]; /* "" when no address */
	int64_t now, wait;
	int outcome, linked;
	struct svc_candidate reg;
};

/* Reads key's counter; *wait grows to its wait; with charge, counts one
 * failed attempt. */
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

static int
audit_link(const struct link_arg *x, struct store_conn *c, const char *target,
    const char *reason, enum audit_outcome outcome)
{
	struct audit_entry e;
	char details[64];

	snprintf(details, sizeof(details), "{\"reason\":\"%s\"}", reason);
	memset(&e, 0, sizeof(e));
	e.actor = x->who->account_id;
	e.action = "candidate.link_self";
	e.target_type = "candidate";
	e.target_ids = target;
	e.org = x->who->org_id;
	e.ip = x->who->ip;
	e.request_id = x->who->request_id;
	e.outcome = outcome;
	e.details = details;
	return audit_append(x->s->a->st, c, x->s->a->audit_key, x->now, &e,
	    NULL);
}

/* Returns 1 when registry row reg is the claim's file. */
static int
matches(const struct svc_candidate *reg, const struct svc_candidate_in *in)
{
	struct candidate_identity r, cl;

	r.neph = reg->neph;
	r.last_name = reg->last_name;
	r.first_names = reg->first_names;
	r.category = reg->category;
	cl.neph = in->neph;
	cl.last_name = in->last_name;
	cl.first_names = in->first_names;
	cl.category = reg->category;
	return mandate_check_identity(&r, &cl) == BK_OK &&
	    reg->birth_date[0] != '\0' &&
	    strcmp(reg->birth_date, in->birth_date) == 0;
}

/* The attempt failed: counted, audited; committed all the same. */
static int
failed(struct link_arg *x, struct store_conn *c, const char *target,
    int outcome)
{
	x->outcome = outcome;
	if (count_key(x->s->a->st, c, x->account_key, SVC_LINK_ACCOUNT_MAX,
		x->now, 1, &x->wait) != 0 ||
	    count_key(x->s->a->st, c, x->source_key, SVC_LINK_SOURCE_MAX,
		x->now, 1, &x->wait) != 0)
		return -1;
	x->wait = 0;
	return audit_link(x, c, target,
	    outcome == SVC_LINK_TAKEN ? "linked_to_another_account"
				      : "no_matching_file",
	    AUDIT_FAILURE);
}

static int
link_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct link_arg *x = arg;
	int64_t ids[ROWS_MAX], hit[ROWS_MAX];
	size_t n = 0, nhit = 0, i;
	char target[32] = "";
	int taken = 0, rc;

	x->wait = 0;
	if (count_key(st, c, x->account_key, SVC_LINK_ACCOUNT_MAX, x->now, 0,
		&x->wait) != 0 ||
	    count_key(st, c, x->source_key, SVC_LINK_SOURCE_MAX, x->now, 0,
		&x->wait) != 0)
		return -1;
	if (x->wait > 0) {
		x->outcome = SVC_LINK_WAIT;
		return 0;
	}
	if (store_br_candidates_of_neph(st, c, x->index, ids, ROWS_MAX, &n) !=
	    0)
		return -1;
	for (i = 0; i < n && i < ROWS_MAX; i++) {
		if ((rc = svc_candidate_open(x->s, c, ids[i], &x->reg)) < 0)
			return -1;
		if (rc == 0 && matches(&x->reg, x->in)) {
			hit[nhit++] = ids[i];
			taken |= x->reg.account_id[0] != '\0' &&
			    strcmp(x->reg.account_id, x->who->account_id) != 0;
		}
		sodium_memzero(&x->reg, sizeof(x->reg));
	}
	if (nhit > 0)
		snprintf(target, sizeof(target), "%lld", (long long)hit[0]);
	if (nhit == 0)
		return failed(x, c, NULL, SVC_LINK_MISMATCH);
	if (taken)
		return failed(x, c, target, SVC_LINK_TAKEN);
	for (i = 0; i < nhit; i++) {
		snprintf(target, sizeof(target), "%lld", (long long)hit[i]);
		if (store_candidate_link(st, c, hit[i], x->who->account_id) !=
			0 ||
		    audit_link(x, c, target, "matched", AUDIT_SUCCESS) != 0)
			return -1;
	}
	x->linked = (int)nhit;
	x->outcome = SVC_LINK_DONE;
	return 0;
}

int
svc_candidate_link_self(const struct svc *s, const struct svc_actor *who,
    const struct svc_link_claim *claim, int64_t now, int *linked,
    const char **field, int64_t *wait_ms)
{
	struct svc_candidate_in in;
	struct link_arg x;
	char index[BLIND_INDEX_HEX], ipkey[STORE_INDEX_MAX];
	int rc = -1;

	*linked = 0;
	*wait_ms = 0;
	*field = NULL;
	memset(&x, 0, sizeof(x));
	/* A malformed field is no oracle: the file is not looked at. */
	if (svc_candidate_parse(&in, claim->neph, claim->last_name,
		claim->first_names, "B", NULL, NULL, field) != BK_OK)
		return SVC_LINK_INVALID;
	if (claim->birth_date == NULL || claim->birth_date[0] == '\0' ||
	    svc_birth_date_parse(in.birth_date, claim->birth_date) != 0) {
		*field = "birth_date";
		sodium_memzero(&in, sizeof(in));
		return SVC_LINK_INVALID;
	}
	x.s = s;
	x.who = who;
	x.in = &in;
	x.index = index;
	x.now = now;
	if (svc_candidate_neph_index(s, in.neph, index) != 0 ||
	    snprintf(x.account_key, sizeof(x.account_key), "link:%s",
		who->account_id) >= (int)sizeof(x.account_key) ||
	    throttle_key_ip(s->a, who->ip, ipkey) != 0 ||
	    (ipkey[0] != '\0' &&
		snprintf(x.source_key, sizeof(x.source_key), "link-%s",
		    ipkey) >= (int)sizeof(x.source_key)))
		goto done;
	if (store_tx(s->a->st, 1, link_tx, &x) != 0)
		goto done;
	rc = x.outcome;
	*linked = x.linked;
	*wait_ms = x.wait;
done:
	sodium_memzero(&in, sizeof(in));
	sodium_memzero(&x, sizeof(x));
	return rc;
}
