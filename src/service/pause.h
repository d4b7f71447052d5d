/*
 * pause.h (service) - respite times (« pauses », seed 002): a family whose
 * dossier is validated asks for one; a volunteer of the same association
 * whose dossier is validated accepts it; either cancels. Each public
 * function is one transaction: it reads the records, asks the rules of
 * dossiers/pause.h, writes the outcome with its audit entry and the
 * notifications (pause.requested to the validated volunteers;
 * pause.accepted, pause.cancelled to both sides), or
 * nothing.
 *
 * Returns: PAUSE_OK, another enum pause_code refusal, DSVC_UNKNOWN (no
 * such pause in the caller's reach: answered 404), DSVC_NOT_ASSOCIATION,
 * or -1 for a storage failure.
 */
#ifndef CRENEAU_SERVICE_PAUSE_H
#define CRENEAU_SERVICE_PAUSE_H

#include <stdint.h>

#include "dossiers/pause.h"
#include "service/dossier.h"
#include "store/dossier_pauses.h"

/* What a family asks for. */
struct pause_input {
	const char *date; /* YYYY-MM-DD, Paris */
	const char *start; /* HH:MM, Paris */
	long duration; /* minutes */
	const char *place;
	const char *note; /* may be NULL */
};

/* One side of a pause as the other side sees it once accepted. */
struct pause_person {
	char *name, *phone; /* from the dossier's profile; NULL: none */
};

/* A pause opened for whoever may read it. */
struct pause_view {
	struct store_pause p; /* its blobs are freed once opened */
	enum pause_state state; /* at now */
	char *place, *note; /* NULL when withheld or none */
	struct pause_person family, volunteer; /* NULL fields: withheld */
	const char *side; /* "family", "volunteer" or NULL (staff) */
};

typedef int (*svc_pause_fn)(void *arg, const struct pause_view *v);

/* Asks for a pause with association org_id as the caller's family
 * dossier. *id its id. */
int svc_pause_create(const struct dsvc *s, const struct svc_actor *who,
    const char *org_id, const struct pause_input *in, int64_t now, int64_t *id);

/* Calls fn for each pause the caller asked for or accepted, with the
 * other side's name and phone once accepted. */
int svc_pauses_mine(const struct dsvc *s, const struct svc_actor *who,
    int64_t now, svc_pause_fn fn, void *arg);

/* Calls fn for each open request (demandee, ahead) of each association
 * where the caller's volunteer dossier is validated: date, duration and
 * place, never the family. PAUSE_DOSSIER_NON_VALIDE when there is none. */
int svc_pauses_open(const struct dsvc *s, const struct svc_actor *who,
    int64_t now, svc_pause_fn fn, void *arg);

/* The caller (a validated volunteer of its association) accepts pause
 * id; the family and the volunteer are told. */
int svc_pause_accept(const struct dsvc *s, const struct svc_actor *who,
    int64_t id, int64_t now);

/* The family that asked, or the volunteer who accepted, cancels pause
 * id; both sides are told. */
int svc_pause_cancel(const struct dsvc *s, const struct svc_actor *who,
    int64_t id, int64_t now);

/* Staff (validators) of the caller's organisation: every pause, both
 * sides named. */
int svc_pauses_of_org(const struct dsvc *s, const struct svc_actor *who,
    int64_t now, svc_pause_fn fn, void *arg);

/* Export (right of access): calls fn with each pause of account_id (as
 * family or volunteer) on c. Returns 0, fn's non-zero, or -1. */
int svc_pauses_export(const struct auth *a, struct store_conn *c,
    const char *account_id, int64_t now, svc_pause_fn fn, void *arg);

/* Erasure of account_id inside the caller's transaction (before its
 * dossiers): store_pauses_erase_of_account. */
int svc_pauses_erase(struct store *st, struct store_conn *c,
    const char *account_id, int64_t now, long *n);

/* Retention (dossier_pauses): deletes the pauses ended at or before
 * cutoff. Returns their count, or -1. */
long svc_pauses_expire(const struct auth *a, int64_t cutoff);

#endif
