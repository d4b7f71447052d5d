/*
 * notify.h (store) - the rows of in-app notifications.
 *
 * A notification holds no personal data: its kind and a JSON object of
 * references (exam, slot, basket ids, codes, dates). What it is about is
 * shown by reading those records, with the reader's own rights.
 */
#ifndef CRENEAU_STORE_NOTIFY_H
#define CRENEAU_STORE_NOTIFY_H

#include <stdint.h>

#include "store/identity.h"

#define STORE_NOTIFY_KIND_MAX 32
#define STORE_NOTIFY_PARAMS_MAX 1024

struct store_notification {
	int64_t id;
	char account_id[STORE_ID_MAX];
	char org_id[STORE_ID_MAX];
	char kind[STORE_NOTIFY_KIND_MAX];
	char params[STORE_NOTIFY_PARAMS_MAX]; /* JSON object text */
	int64_t created_at;
	int64_t read_at; /* 0: unread */
};

/* Inserts n (its id is ignored). Returns 0 or -1. */
int store_notification_insert(struct store *st, struct store_conn *c,
    const struct store_notification *n);

/* Calls fn with each notification of account_id (only the unread ones
 * when unread_only), newest first, at most limit; n is borrowed for the
 * call. Returns 0, fn's non-zero result, or -1. */
int store_notification_list(struct store *st, struct store_conn *c,
    const char *account_id, int unread_only, long limit,
    int (*fn)(void *arg, const struct store_notification *n), void *arg);

/* Counts the unread notifications of account_id into *n. Returns 0 or
 * -1. */
int store_notification_unread(struct store *st, struct store_conn *c,
    const char *account_id, long *n);

/* Marks notification id of account_id read at now (a read one keeps its
 * first reading time). Returns 0, 1 if account_id has no such
 * notification, or -1. */
int store_notification_mark_read(struct store *st, struct store_conn *c,
    const char *account_id, int64_t id, int64_t now);

/* Marks every unread notification of account_id read at now; *n receives
 * how many. Returns 0 or -1. */
int store_notification_mark_all_read(struct store *st, struct store_conn *c,
    const char *account_id, int64_t now, long *n);

/* Calls fn once for each active account of org_id holding the role
 * school_admin or school_manager (who hear of the school's bookings).
 * Returns 0, fn's non-zero result, or -1. */
int store_org_school_staff(struct store *st, struct store_conn *c,
    const char *org_id, int (*fn)(void *arg, const char *account_id),
    void *arg);

#endif
