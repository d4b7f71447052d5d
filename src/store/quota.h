/*
 * quota.h (store) - what the trainer threshold (rule 3) reads: the
 * dispatcher's coefficients and the schools' trainers' ETP.
 */
#ifndef CRENEAU_STORE_QUOTA_H
#define CRENEAU_STORE_QUOTA_H

#include <stdint.h>

#include "store/store.h"

struct store_conn;

/* Reads the coefficient (hundredths) set for department, category and
 * month (yyyymm) into *centi. Returns 0, 1 when none is set (the caller
 * uses the default), or -1. */
int store_coefficient_get(struct store *st, struct store_conn *c,
    const char *department, const char *category, int64_t month,
    int64_t *centi);

/* Sums the ETP (hundredths) of school's trainers in department and
 * category into *etp_centi (0 when none). Returns 0 or -1. */
int store_school_etp(struct store *st, struct store_conn *c, int64_t school,
    const char *department, const char *category, int64_t *etp_centi);

#endif
