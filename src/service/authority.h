/*
 * authority.h - the exam authority's services (the dispatcher, permission
 * exam.authority): exam centres, slot publication and withdrawal, the
 * coefficients of rule 3 and each school's establishments and trainers'
 * ETP (rules 2 and 3 of RULES.md).
 *
 * Every change is one transaction with its audit entry; a refusal
 * changes nothing. Changes return a RULES.md code (BK_OK when done) or -1
 * for a storage failure, and name what was at fault in a struct
 * svc_fault so that the API can point at the field ("slots[3].start_at").
 */
#ifndef CRENEAU_SERVICE_AUTHORITY_H
#define CRENEAU_SERVICE_AUTHORITY_H

#include <stddef.h>
#include <stdint.h>

#include "booking/quota.h"
#include "service/service.h"
#include "store/centres.h"
#include "store/quota.h"
#include "store/school.h"
#include "store/slots.h"

#define AUTHORITY_SLOTS_MAX STORE_SLOTS_PAGE_MAX /* per publication */
#define AUTHORITY_COEFFICIENTS_MAX 200 /* per request */
#define AUTHORITY_COEFFICIENT_MAX_CENTI 100000 /* 1000 places per ETP */

/* What a refusal points at. */
struct svc_fault {
	long index; /* the item at fault in a list, -1 when none */
	const char *field; /* its member ("start_at"), static; NULL: none */
	const char *why; /* French detail, static; NULL: the code's message */
};

/*
 * Creates exam centre ce (name, department, address) at now, setting its
 * id. Returns BK_OK; BK_PARAMETRE_INVALIDE for a department that is no
 * department code or a name already used in that department; or -1.
 */
int svc_centre_create(const struct svc *s, const struct svc_actor *who,
    struct store_centre *ce, int64_t now, struct svc_fault *f);

/* Calls fn for every centre (of department only when not NULL). Returns
 * 0 or -1. */
int svc_centres_list(const struct svc *s, const char *department,
    store_centre_fn fn, void *arg);

/*
 * Publishes the n slots of in (1..AUTHORITY_SLOTS_MAX; centre_id,
 * s.category, s.start_at, s.published_at and inspector set) at now,
 * all or none: each is checked in order and the first at fault is named
 * in f (index and field) with BK_CENTRE_INCONNU (no such centre) or
 * BK_PARAMETRE_INVALIDE (category, start in the past, published after
 * its start, inspector not 1-32 of [A-Za-z0-9-]). On BK_OK the ids are
 * in ids (n entries). Returns the code or -1.
 */
int svc_slots_publish(const struct svc *s, const struct svc_actor *who,
    const struct store_slot *in, size_t n, int64_t now, int64_t *ids,
    struct svc_fault *f);

/* Lists slots for the dispatcher, see store_slots_list. Returns 0 or
 * -1. */
int svc_slots_list(const struct svc *s, const struct store_slot_query *q,
    store_slot_fn fn, void *arg, int *more);

/*
 * Withdraws slot id at now (it becomes cancelled). Returns BK_OK (also
 * when it already was withdrawn: nothing is written then);
 * BK_CRENEAU_INCONNU; BK_EXAMEN_NON_MODIFIABLE once it has started (rule
 * 7); BK_CRENEAU_DEJA_RESERVE when held in a basket or booked; or -1.
 * *out (may be NULL) receives the slot as it stands afterwards.
 */
int svc_slot_withdraw(const struct svc *s, const struct svc_actor *who,
    int64_t id, int64_t now, struct store_slot *out);

/*
 * Sets the n coefficients of q (1..AUTHORITY_COEFFICIENTS_MAX), all or
 * none: department, category, month (yyyymm, 1..12) and centi
 * (0..AUTHORITY_COEFFICIENT_MAX_CENTI) checked in order, the first at
 * fault named in f. Returns BK_OK, BK_PARAMETRE_INVALIDE or -1.
 */
int svc_coefficients_set(const struct svc *s, const struct svc_actor *who,
    const struct quota_coefficient *q, size_t n, int64_t now,
    struct svc_fault *f);

/* Calls fn for the coefficients set, see store_coefficients_list.
 * Returns 0 or -1. */
int svc_coefficients_list(const struct svc *s, const char *dept, int64_t month,
    store_coefficient_fn fn, void *arg);

/* A school's establishments and trainers as the authority declares
 * them. */
struct authority_establishments {
	char depts[STORE_SCHOOL_DEPTS_MAX][BK_DEPARTMENT_MAX];
	size_t ndepts;
	struct store_trainer_etp trainers[STORE_TRAINER_ETP_MAX];
	size_t ntrainers;
};

/*
 * Replaces the departments and trainer ETP rows of school school_id
 * (organisation org_id, named in the audit entry) with e, all or none:
 * every department a department code and listed once; every trainer row
 * with a reference of 1-64 of [A-Za-z0-9._-], one of the school's
 * departments, a category, an ETP of 1..100 hundredths, and each
 * (trainer, department, category) once. Trainer faults name index and
 * field; department faults the index in "departments". Returns BK_OK,
 * BK_PARAMETRE_INVALIDE or -1.
 */
int svc_establishments_set(const struct svc *s, const struct svc_actor *who,
    int64_t school_id, const char *org_id,
    const struct authority_establishments *e, int64_t now, struct svc_fault *f);

/* Reads the departments and trainer ETP rows of school_id into *e, in one
 * read transaction. Returns 0 or -1. */
int svc_establishments_get(const struct svc *s, int64_t school_id,
    struct authority_establishments *e);

/* Calls fn for every school organisation. Returns 0 or -1. */
int svc_school_orgs(const struct svc *s, store_school_org_fn fn, void *arg);

/* A school as a candidate looks for it: its name and the departments of
 * its establishments (a postcode finds it through its department). */
struct svc_school_entry {
	struct store_school_org org;
	char depts[STORE_SCHOOL_DEPTS_MAX][BK_DEPARTMENT_MAX];
	size_t ndepts;
};

/* Calls fn for every school organisation, ordered by name, with its
 * departments, read in one transaction. Returns 0, fn's non-zero
 * result, or -1. */
int svc_school_directory(const struct svc *s,
    int (*fn)(void *arg, const struct svc_school_entry *e), void *arg);

#endif
