/*
 * appt_rows.h (store, internal) - row helpers the appointments' store
 * files share (src/store/appt_*.c only; implemented in appt_users.c).
 */
#ifndef CRENEAU_STORE_APPT_ROWS_H
#define CRENEAU_STORE_APPT_ROWS_H

#include <stddef.h>
#include <stdint.h>

#include "store/driver.h"

/* Integer column col, 0 when SQL NULL. */
int64_t store_appt_opt_int(const struct store_driver *d,
    const struct store_row *r, int col);

/* Row callback counting rows into the long arg points at. */
int store_appt_count_row(void *arg, const struct store_row *r);

/* Runs sql with p (np) and reads the integers of its first column, at
 * most max, into ids and their count into *n. Returns 0 or -1. */
int store_appt_read_ids(struct store *st, struct store_conn *c, const char *sql,
    const struct store_val *p, size_t np, int64_t *ids, size_t max, size_t *n);

#endif
