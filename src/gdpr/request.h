/*
 * request.h - the register of the requests people make to exercise their
 * rights (GDPR Art. 12 and 15-22; PRIVACY.md, section 3), kept by the DPO
 * of each organisation.
 *
 * A request has a kind (access, rectification, erasure, restriction,
 * objection, portability), a subject (an account, or an identity given in
 * free text), the date it was received and its due date: one calendar
 * month later (Art. 12(3)), which the DPO may push back by one or two
 * more months, three in all at most, with a reason the person is told of
 * within the first month. The identity must be verified before any
 * outcome. The state follows from the dates: received, verified,
 * extended, then done or refused. A request still open after its due
 * date is late. A daily job reminds the organisation's DPO accounts 7
 * days and 1 day before the due date, once each.
 *
 * The free texts (identity, message, extension reason, outcome) are
 * sealed together under the system key "system:rights". Each change is
 * audited in the transaction that makes it, and the person is notified
 * (when the subject is an account) of an extension and of the outcome.
 *
 * Closing a restriction request (not refused) on an account sets its
 * restriction (Art. 18): accounts.restricted_at. What it freezes is
 * described in docs/privacy.md; "lift" ends it.
 */
#ifndef CRENEAU_REQUEST_H
#define CRENEAU_REQUEST_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "auth/auth.h"
#include "gdpr/datamap.h"
#include "store/privacy.h"

#define REQUEST_KEY_OWNER "system:rights"
#define REQUEST_TEXT_MAX 2000 /* bytes of one free text */
#define REQUEST_EXTENSION_MAX 2 /* months beyond the first (Art. 12(3)) */
#define REQUEST_WHY_MAX 256
#define REQUEST_DAY_MS (24LL * 3600 * 1000)

enum request_text {
	RQ_IDENTITY, /* who the person says they are, when not an account */
	RQ_MESSAGE, /* what they ask */
	RQ_EXTENSION_REASON, /* why the answer takes longer */
	RQ_OUTCOME, /* what was done, or why it was refused */
	RQ_COUNT
};

/* One request, in clear. Times in ms since the epoch; 0: not yet. */
struct rights_request {
	char id[STORE_ID_MAX];
	char org_id[STORE_ID_MAX];
	char kind[STORE_RR_KIND_MAX];
	char subject_account[STORE_ID_MAX]; /* "" when not an account */
	char opened_by[STORE_ID_MAX];
	char state[STORE_RR_STATE_MAX];
	int64_t received_at, identity_verified_at, due_at, closed_at;
	int64_t updated_at, reminded_7_at, reminded_1_at;
	int extended_months;
	char text[RQ_COUNT][REQUEST_TEXT_MAX + 1];
};

/* What the DPO does to a request. */
enum request_op {
	RQ_VERIFY, /* the identity was checked */
	RQ_EXTEND, /* push the due date back by months, with a reason */
	RQ_CLOSE, /* done (or refused) with an outcome */
	RQ_LIFT, /* end the restriction a closed restriction request set */
	RQ_ERASE_REGISTRY, /* erase the registry files of a person without
			      account, found by NEPH, and close as done */
};

struct request_action {
	enum request_op op;
	int months; /* RQ_EXTEND: 1 or 2 */
	const char *reason; /* RQ_EXTEND */
	const char *outcome; /* RQ_CLOSE */
	int refused; /* RQ_CLOSE: refused rather than done */
	const char *neph_index; /* RQ_ERASE_REGISTRY: the NEPH's blind index */
	long erased; /* RQ_ERASE_REGISTRY, out: registry files erased */
};

/* 1 if kind is one of the six kinds, else 0. */
int request_kind_valid(const char *kind);

/* The wire name of a free text ("extension_reason"). A static string. */
const char *request_text_name(enum request_text t);

/* The due date of a request received at received_at and extended by
 * extended_months: received_at plus 1 + extended_months calendar months
 * (UTC). */
int64_t request_due(int64_t received_at, int extended_months);

/* 1 if r is past its due date at now and neither done nor refused. */
int request_late(const struct rights_request *r, int64_t now);

/* Clears r. */
void request_init(struct rights_request *r);

/* Wipes r (its texts may hold personal data). */
void request_clear(struct rights_request *r);

/*
 * Registers r (org_id, kind, subject_account or text[RQ_IDENTITY],
 * text[RQ_MESSAGE], received_at set by the caller; 0 received_at: now)
 * opened by actor at now. verified: the subject's identity is already
 * verified (a signed-in person filing for themselves). Gives it its id
 * and due date, seals its texts, stores it and audits
 * "rights.request.open" in one transaction. Returns 0, 1 when refused
 * (French reason naming the field in why), or -1.
 */
int request_open(const struct auth *a, const char *actor,
    struct rights_request *r, int verified, int64_t now, char *why,
    size_t whylen);

/* Reads request id into out (texts opened). Returns 0, 1 if none, -1. */
int request_get(const struct auth *a, const char *id,
    struct rights_request *out);

/*
 * Applies act to request id of org_id by actor at now, in one
 * transaction with its audit entry ("rights.request.verify", "...extend",
 * "...close", "...lift"), the person's notification and, for a
 * restriction, the account's flag. out (may be NULL) receives the result.
 * Returns 0, 1 if there is no such request in org_id, 2 when refused
 * (French reason naming the field in why: outcome before identity
 * verification, more than REQUEST_EXTENSION_MAX months of extension, an
 * extension after the first month, a closed request...), or -1.
 */
int request_update(const struct auth *a, const char *actor, const char *org_id,
    const char *id, struct request_action *act, int64_t now,
    struct rights_request *out, char *why, size_t whylen);

/*
 * RQ_ERASE_REGISTRY, for an erasure request whose subject is not an
 * account, once the identity is verified: in the transaction that closes
 * the request as done (outcome: act->outcome, or a default text), shreds
 * every registry file of act->neph_index as an account's erasure does
 * (future exams cancelled, mandates revoked, identity emptied, audit
 * entry "candidate.shred"), then destroys their keys (crypto-shredding);
 * act->erased receives how many. Refused (2) when no registry file has
 * that NEPH, for another kind or an account's request. An erasure
 * request of a person without account cannot be closed as done by
 * RQ_CLOSE: it is carried out by RQ_ERASE_REGISTRY, or closed as refused
 * with the reason (nothing held, for instance).
 */

/*
 * Access for a person without account: the export of the registry files
 * of neph_index (rights_registry_export) for request id of org_id, open,
 * of a person without account, whose identity is verified; audited
 * "rights.request.registry_access" (references only) with the number of
 * files. *out receives the export. Returns 0, 1 if there is no such
 * request, 2 when refused (why), 3 when no registry file has that NEPH,
 * or -1.
 */
int request_registry_export(const struct auth *a, const struct datamap *m,
    const char *actor, const char *org_id, const char *id,
    const char *neph_index, int64_t now, json_t **out, char *why,
    size_t whylen);

/* Called per request, borrowed. Returns 0 to go on. */
typedef int (*request_fn)(void *arg, const struct rights_request *r);

/* Calls fn for every request of org_id, newest first (subject_account
 * NULL), or only those whose subject is account subject_account (org_id
 * then ignored). Returns 0 or -1. */
int request_list(const struct auth *a, const char *org_id,
    const char *subject_account, request_fn fn, void *arg);

/*
 * Sends the reminders due at now: for each open request 7 days (then 1
 * day) before its due date, notifies every active dpo account of its
 * organisation (kind "rights.request.due", params {request_id, due_at,
 * days_left}) and marks the reminder sent, in one transaction per
 * request. Returns how many reminders were sent, or -1.
 */
long request_reminders(const struct auth *a, int64_t now);

/* Deletes the closed requests received before cutoff (the retention rule
 * rights_requests), in one transaction. Returns how many, or -1. */
long request_purge(const struct auth *a, int64_t cutoff);

#endif
