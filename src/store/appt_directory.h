/* appt_directory.h (store) - the organisations that take appointments
 * online, with their places, for the public directory. */
#ifndef CRENEAU_STORE_APPT_DIRECTORY_H
#define CRENEAU_STORE_APPT_DIRECTORY_H

#include "store/store.h"

struct store_conn;

/* One place of an organisation that books online. */
struct store_appt_dir_row {
	const char *org_id;
	const char *org_name;
	const char *place_name;
	const char *address;
};

/* Called with each row; return 0 to go on. */
typedef int (*store_appt_dir_fn)(void *arg, const struct store_appt_dir_row *r);

/*
 * Lists the places in use of every organisation of kind service that is
 * active (not suspended, terminated or deleted) and has at least one
 * motif in use bookable online, by organisation name, then id, then
 * place name. Returns 0, fn's non-zero result, or -1.
 */
int store_appt_directory(struct store *st, struct store_conn *c,
    store_appt_dir_fn fn, void *arg);

#endif
