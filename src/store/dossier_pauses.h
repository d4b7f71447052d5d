/*
 * dossier_pauses.h - the rows of respite times (« pauses », table
 * dossier_pauses, migration 32): a family's request, the volunteer who
 * accepted it. The place and the note are sealed under the family's key
 * (service/pause.c seals and opens them).
 *
 * Conventions of store/identity.h: c is the caller's connection, 0 on
 * success, 1 when a looked-up row is missing, -1 on a database failure.
 */
#ifndef CRENEAU_STORE_DOSSIER_PAUSES_H
#define CRENEAU_STORE_DOSSIER_PAUSES_H

#include <stdint.h>

#include "dossiers/pause.h"
#include "store/identity.h"
#include "store/store.h"

struct store_conn;

struct store_pause {
	int64_t id;
	char org_id[STORE_ID_MAX];
	int64_t family_dossier; /* its family's dossier */
	char family_account[STORE_ID_MAX]; /* that dossier's holder */
	int64_t volunteer_dossier; /* 0 until accepted */
	char volunteer_account[STORE_ID_MAX]; /* "" until accepted */
	int64_t start_at; /* UTC ms */
	long duration; /* minutes */
	struct store_blob place, note; /* sealed; p NULL: none */
	enum pause_state state; /* as stored (pause_state_at for now) */
	int64_t created_at, decided_at; /* decided_at 0: not yet */
};

/* Frees the blobs of p (wiped). */
void store_pause_clear(struct store_pause *p);

/* Inserts p (blobs NULL, state demandee) and sets p->id. 0 or -1. */
int store_pause_insert(struct store *st, struct store_conn *c,
    struct store_pause *p);

/* Writes the sealed place and note of p. Returns 0, 1 or -1. */
int store_pause_seal(struct store *st, struct store_conn *c,
    const struct store_pause *p);

/* Reads pause id into *p. Returns 0, 1 or -1. */
int store_pause_get(struct store *st, struct store_conn *c, int64_t id,
    struct store_pause *p);

/* Accepts pause id for volunteer_dossier at now, only while it is
 * demandee. Returns 0, 1 (no longer demandee) or -1. */
int store_pause_accept(struct store *st, struct store_conn *c, int64_t id,
    int64_t volunteer_dossier, int64_t now);

/* Cancels pause id at now, only from state from. Returns 0, 1 or -1. */
int store_pause_cancel(struct store *st, struct store_conn *c, int64_t id,
    enum pause_state from, int64_t now);

/* A pause as a list shows it (blobs borrowed for the call only). */
typedef int (*store_pause_fn)(void *arg, const struct store_pause *p);

/* Which pauses a list reads. */
enum store_pause_list {
	STORE_PAUSES_FAMILY, /* key: a family's dossier id */
	STORE_PAUSES_VOLUNTEER, /* key: the accepting volunteer's dossier */
	STORE_PAUSES_OPEN, /* org_id: demandee, starting after now */
	STORE_PAUSES_ORG /* org_id: all, newest start first */
};

/* Calls fn for each pause of the list, by start, at most limit. Returns
 * 0, fn's non-zero, or -1. */
int store_pauses_list(struct store *st, struct store_conn *c,
    enum store_pause_list which, int64_t key, const char *org_id, int64_t now,
    long limit, store_pause_fn fn, void *arg);

/* Erasure of account_id: deletes the pauses its family dossiers asked
 * for (*n their count) and takes its volunteer dossiers off the ones it
 * accepted (those still ahead at now become annulee). 0 or -1. */
int store_pauses_erase_of_account(struct store *st, struct store_conn *c,
    const char *account_id, int64_t now, long *n);

/* Retention: deletes the pauses that ended at or before cutoff; *n their
 * count. Returns 0 or -1. */
int store_pauses_expire(struct store *st, struct store_conn *c, int64_t cutoff,
    long *n);

#endif
