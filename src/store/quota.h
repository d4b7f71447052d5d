/*
 * quota.h (store) - what the authority declares for rule 3 of RULES.md
 * (the trainer threshold): the coefficients (places per ETP) per
 * department, category and month; each school's establishments
 * (departments); and its trainers' full-time equivalents per department
 * and category. Also the list of school organisations the authority
 * declares them for.
 *
 * Numbers are the domain's fixed-point hundredths (booking/quota.h): a
 * coefficient of 5.5 is 550, an ETP of 0.5 is 50. The school's
 * departments are read with store_school_departments (store/school.h).
 *
 * Conventions of store/identity.h: c is the caller's connection, 0 on
 * success, 1 when a looked-up row is missing, -1 on a database failure.
 */
#ifndef CRENEAU_STORE_QUOTA_H
#define CRENEAU_STORE_QUOTA_H

#include <stddef.h>
#include <stdint.h>

#include "booking/quota.h"
#include "store/identity.h"
#include "store/school.h"
#include "store/store.h"

struct store_conn;

#define STORE_TRAINER_REF_MAX 65 /* account id or opaque ref, 64 bytes */
#define STORE_TRAINER_ETP_MAX 256 /* rows of one school */

/* Writes coefficient q (replacing the one of the same department,
 * category and month), set by account set_by at now. Returns 0 or -1. */
int store_coefficient_set(struct store *st, struct store_conn *c,
    const struct quota_coefficient *q, const char *set_by, int64_t now);

/*
 * Reads into *centi the coefficient (hundredths) the dispatcher set for
 * department dept, category and month_yyyymm (as quota_month gives it).
 * Returns 0; 1 when none is set, so that the caller falls back to the
 * default through quota_coefficient (booking/quota.h); or -1.
 */
int store_coefficient_get(struct store *st, struct store_conn *c,
    const char *dept, const char *category, int64_t month_yyyymm,
    int64_t *centi);

/* Called once per coefficient listed; return non-zero to stop. */
typedef int (
    *store_coefficient_fn)(void *arg, const struct quota_coefficient *q);

/* Calls fn for every coefficient set, of department dept only when not
 * NULL and of month (yyyymm) only when not 0, ordered by department,
 * category and month. Returns 0 or -1. */
int store_coefficients_list(struct store *st, struct store_conn *c,
    const char *dept, int64_t month, store_coefficient_fn fn, void *arg);

/* Replaces the departments of school_id with the n of depts (at most
 * STORE_SCHOOL_DEPTS_MAX, no duplicates). Returns 0 or -1. */
int store_school_departments_set(struct store *st, struct store_conn *c,
    int64_t school_id, const char (*depts)[BK_DEPARTMENT_MAX], size_t n);

/* One trainer's full-time equivalent in one department and category. */
struct store_trainer_etp {
	char trainer[STORE_TRAINER_REF_MAX];
	char department[BK_DEPARTMENT_MAX];
	char category[BK_CATEGORY_MAX];
	int64_t etp_centi; /* 1..100 */
};

/* Replaces every trainer ETP row of school_id with the n of rows (at most
 * STORE_TRAINER_ETP_MAX, each (trainer, department, category) once).
 * Returns 0 or -1. */
int store_trainer_etp_set(struct store *st, struct store_conn *c,
    int64_t school_id, const struct store_trainer_etp *rows, size_t n);

/* Reads up to max trainer ETP rows of school_id into out (ordered by
 * trainer, department, category), their count into *n. Returns 0 or
 * -1. */
int store_trainer_etp_list(struct store *st, struct store_conn *c,
    int64_t school_id, struct store_trainer_etp *out, size_t max, size_t *n);

/*
 * Reads into *etp_centi the sum of every trainer's ETP (hundredths) of
 * school_id in department dept and category: ETP(S, D, C) of rule 3, 0
 * when none is declared. Returns 0 or -1.
 */
int store_school_etp(struct store *st, struct store_conn *c, int64_t school_id,
    const char *dept, const char *category, int64_t *etp_centi);

/* A school organisation, for the dispatcher to pick. */
struct store_school_org {
	char org_id[STORE_ID_MAX];
	char name[STORE_ORG_NAME_MAX];
	int64_t school_id; /* 0 while booking has not met it yet */
};

/* Called once per school organisation; return non-zero to stop. */
typedef int (*store_school_org_fn)(void *arg, const struct store_school_org *o);

/* Calls fn for every organisation of kind school, ordered by name.
 * Returns 0 or -1. */
int store_school_orgs(struct store *st, struct store_conn *c,
    store_school_org_fn fn, void *arg);

#endif
