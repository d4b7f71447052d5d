/*
 * school.h (store) - driving schools as the booking rules see them: an
 * organisation of kind school, its integer id, the departments where it
 * has an establishment.
 */
#ifndef CRENEAU_STORE_SCHOOL_H
#define CRENEAU_STORE_SCHOOL_H

#include <stdint.h>

#include "booking/config.h"
#include "store/store.h"

struct store_conn;

#define STORE_SCHOOL_DEPTS_MAX 16

/* Reads the school id of organisation org_id into *id. Returns 0, 1 when
 * the organisation is not a school known to booking, or -1. */
int store_school_id(struct store *st, struct store_conn *c, const char *org_id,
    int64_t *id);

/* Returns the school id of organisation org_id in *id, creating the row
 * (at now) when the organisation is a school without one yet. Returns 0,
 * 1 when org_id is not an organisation of kind school, or -1. */
int store_school_ensure(struct store *st, struct store_conn *c,
    const char *org_id, int64_t now, int64_t *id);

/* Reads the organisation id of school id into org_id (STORE_ID_MAX
 * bytes). Returns 0, 1 when there is none, or -1. */
int store_school_org(struct store *st, struct store_conn *c, int64_t id,
    char *org_id, size_t size);

/* Reads up to STORE_SCHOOL_DEPTS_MAX department codes of school id into
 * depts, their count into *n. Returns 0 or -1. */
int store_school_departments(struct store *st, struct store_conn *c, int64_t id,
    char depts[][BK_DEPARTMENT_MAX], size_t *n);

#endif
