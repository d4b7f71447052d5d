/*
 * centres.h (store) - the exam centres the authority runs (RULES.md,
 * entities): name, department code, address. Slots hang off a centre and
 * take its department, which decides rule 2's territorial priority.
 *
 * Conventions of store/identity.h: c is the caller's connection, 0 on
 * success, 1 when a looked-up row is missing, -1 on a database failure.
 */
#ifndef CRENEAU_STORE_CENTRES_H
#define CRENEAU_STORE_CENTRES_H

#include <stddef.h>
#include <stdint.h>

#include "booking/config.h"
#include "store/store.h"

struct store_conn;

#define STORE_CENTRE_NAME_MAX 121 /* 120 bytes and the NUL */
#define STORE_CENTRE_ADDRESS_MAX 241 /* 240 bytes and the NUL */

struct store_centre {
	int64_t id;
	char name[STORE_CENTRE_NAME_MAX];
	char department[BK_DEPARTMENT_MAX];
	char address[STORE_CENTRE_ADDRESS_MAX];
	int64_t created_at;
};

/*
 * Inserts centre ce at now and sets ce->id. The department must pass
 * booking_department_check: a centre is only ever filed under a real
 * department, since that code decides who may book its slots first.
 * Returns 0; 1 when a centre of that name already exists in that
 * department; 2 when the department is no department code (nothing
 * written either way); -1 on failure.
 */
int store_centre_insert(struct store *st, struct store_conn *c,
    struct store_centre *ce, int64_t now);

/* Reads centre id into *out. Returns 0, 1 when there is none, or -1. */
int store_centre_get(struct store *st, struct store_conn *c, int64_t id,
    struct store_centre *out);

/* Called once per centre listed; return non-zero to stop. */
typedef int (*store_centre_fn)(void *arg, const struct store_centre *ce);

/*
 * Calls fn for every centre, of department only when department is not
 * NULL, ordered by department then name. Returns 0, or -1 (also when fn
 * stops the walk with an error).
 */
int store_centres_list(struct store *st, struct store_conn *c,
    const char *department, store_centre_fn fn, void *arg);

#endif
