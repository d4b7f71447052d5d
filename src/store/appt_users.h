/*
 * appt_users.h (store) - the users (usagers) of the appointments module:
 * responsible users and their relatives, one record per organisation.
 *
 * Every personal field is sealed by the caller (service layer) under the
 * person's own data key (subject:appt_user:<id>); the store only moves
 * the sealed bytes and finds rows by blind index (last name with birth
 * date, email, phone), always within one organisation.
 *
 * Conventions of store/identity.h: c is the caller's connection, 0 on
 * success, 1 when a looked-up row is missing, -1 on a database failure.
 */
#ifndef CRENEAU_STORE_APPT_USERS_H
#define CRENEAU_STORE_APPT_USERS_H

#include <stddef.h>
#include <stdint.h>

#include "store/identity.h"

struct store;
struct store_conn;

/* The sealed fields of a record, in the order of store_appt_user_columns. */
enum appt_user_field {
	AUF_LAST_NAME,
	AUF_BIRTH_NAME,
	AUF_FIRST_NAMES,
	AUF_BIRTH_DATE,
	AUF_EMAIL,
	AUF_PHONE,
	AUF_ADDRESS,
	AUF_CAF_NUMBER,
	AUF_FAMILY_SITUATION,
	AUF_CHILDREN,
	AUF_NOTES,
	AUF_COUNT
};

/* The column of each field ("last_name"...), also the sealing context. */
extern const char *const store_appt_user_columns[AUF_COUNT];

/* A record as stored. The blobs are sealed, malloc'ed copies (p NULL:
 * the field is empty). */
struct store_appt_user {
	int64_t id;
	char org_id[STORE_ID_MAX];
	int64_t responsible_id; /* 0: a responsible user */
	char account_id[STORE_ID_MAX]; /* "" when not linked */
	char name_index[STORE_INDEX_MAX];
	char email_index[STORE_INDEX_MAX]; /* "" when none */
	char phone_index[STORE_INDEX_MAX]; /* "" when none */
	struct store_blob f[AUF_COUNT];
	char created_by[STORE_ID_MAX];
	int64_t created_at;
	int64_t updated_at;
	int64_t account_linked_at; /* 0 when never linked */
	int64_t address_removed_at; /* 0 when never removed */
	/* When an agent recorded that the person, without an account, wants
	 * reminders, and which agent (0 and "": no reminders). */
	int64_t reminders_at;
	char reminders_by[STORE_ID_MAX];
};

/* Frees and wipes the blobs of u and zeroes it. NULL does nothing. */
void store_appt_user_clear(struct store_appt_user *u);

/*
 * Inserts an empty record of org_id (a relative of responsible_id when
 * not 0) created by created_by at now, and sets *id: the sealed values
 * are bound to the row id, so the caller seals them once it knows the id
 * and writes them with store_appt_user_write in the same transaction.
 * Returns 0 or -1.
 */
int store_appt_user_insert(struct store *st, struct store_conn *c,
    const char *org_id, int64_t responsible_id, const char *created_by,
    int64_t now, int64_t *id);

/* Writes the indexes, sealed fields and updated_at of u (by id). Returns
 * 0, 1 when there is no such row, or -1. */
int store_appt_user_write(struct store *st, struct store_conn *c,
    const struct store_appt_user *u);

/* Sets (at > 0, by the agent by) or clears (at 0) the reminders choice of
 * record id. Returns 0, 1 when there is no such row, or -1. */
int store_appt_user_set_reminders(struct store *st, struct store_conn *c,
    int64_t id, int64_t at, const char *by);

/* Reads record id into *out (release with store_appt_user_clear, also
 * after a failure). Returns 0, 1, or -1. */
int store_appt_user_get(struct store *st, struct store_conn *c, int64_t id,
    struct store_appt_user *out);

/* Which blind index a search uses. */
enum appt_user_index { AUI_NAME, AUI_EMAIL, AUI_PHONE };

/* Reads the ids of org_id's records whose index which equals value (at
 * most max, oldest first) into ids and their count into *n. Returns 0 or
 * -1. */
int store_appt_user_find(struct store *st, struct store_conn *c,
    const char *org_id, enum appt_user_index which, const char *value,
    int64_t *ids, size_t max, size_t *n);

/* Reads the ids of the relatives of responsible_id (at most max). Returns
 * 0 or -1. */
int store_appt_user_relatives(struct store *st, struct store_conn *c,
    int64_t responsible_id, int64_t *ids, size_t max, size_t *n);

/* Reads the ids of the records linked to account_id, in any
 * organisation (at most max). Returns 0 or -1. */
int store_appt_users_of_account(struct store *st, struct store_conn *c,
    const char *account_id, int64_t *ids, size_t max, size_t *n);

/* Links record id to account_id at now (account_linked_at). Returns 0, 1
 * when there is no such row, or -1. */
int store_appt_user_link(struct store *st, struct store_conn *c, int64_t id,
    const char *account_id, int64_t now);

/*
 * Deletes record id: its participations, then the row; its relatives
 * lose their link to it (they keep their own record and their own
 * rule: the row says it is a relative's). The
 * caller destroys the person's key. Returns 0, 1 when there is no such
 * row, or -1.
 */
int store_appt_user_delete(struct store *st, struct store_conn *c, int64_t id);

/* Cancels (annule_usager, at now) the individual appointments still to
 * come that user_id takes part in; *n receives how many. Returns 0 or
 * -1. */
int store_appt_user_cancel_future(struct store *st, struct store_conn *c,
    int64_t user_id, int64_t now, long *n);

/*
 * For the retention engine: the ids (at most max) of records never
 * linked to an account and created before cutoff, the responsible ones
 * (relatives 0) or the relatives (relatives 1). Returns 0 or -1.
 */
int store_appt_users_unlinked_before(struct store *st, struct store_conn *c,
    int relatives, int64_t cutoff, int64_t *ids, size_t max, size_t *n);

/*
 * location_data: removes the address of every record that has an
 * appointment booked (a participation) at or before now, and the home
 * address of every appointment that has ended by now; *n receives how
 * many addresses went. Returns 0 or -1.
 */
int store_appt_addresses_remove(struct store *st, struct store_conn *c,
    int64_t now, long *n);

#endif
