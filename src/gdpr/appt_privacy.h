/*
 * appt_privacy.h - the privacy rules of the appointments' people side
 * (seed 001, config/datamap.ini), used by the retention engine and by
 * the rights of access and erasure (gdpr/rights.c).
 *
 * - new_user_responsible / new_user_relative: a user's record (« fiche
 *   nouvel usager ») is kept until the user creates an account, and at
 *   most 2 years (a responsible user) or 3 years (a relative) from its
 *   creation: a record never linked to an account past that is erased
 *   like an erasure (row deleted with its participations, future
 *   individual appointments cancelled, the person's key destroyed).
 * - location_data: the address of a user goes once an appointment of
 *   theirs is booked; the home address of an appointment once it has
 *   ended.
 * - access: an account's export holds its user records in every
 *   organisation, opened, their relatives and their appointments.
 * - erasure: an account's user records and their relatives' go with it.
 */
#ifndef CRENEAU_APPT_PRIVACY_H
#define CRENEAU_APPT_PRIVACY_H

#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"

struct rights_exp;
struct store_conn;

#define APPT_PRIVACY_BATCH 1000 /* records one retention run erases */
#define APPT_ERASE_MAX 64 /* records one account's erasure covers */

/* Erases at now the records never linked to an account and created
 * before cutoff, the responsible ones (relatives 0) or the relatives
 * (1), one transaction each with its audit entry, then their keys.
 * Returns how many, or -1. */
long appt_purge_new_users(const struct auth *a, int relatives, int64_t cutoff,
    int64_t now);

/* location_data at now, in one transaction. Returns how many addresses
 * went, or -1. */
long appt_purge_locations(const struct auth *a, int64_t now);

/* Adds to x, read on c, the account's user records, relatives and
 * appointments. Returns 0 or -1. */
int appt_rights_export(struct rights_exp *x, struct store_conn *c);

/* What an erasure did: the records whose keys go after the commit. */
struct appt_erased {
	int64_t ids[APPT_ERASE_MAX];
	size_t n;
	long cancelled; /* future individual appointments cancelled */
};

/* Inside the caller's write transaction c: erases the records linked to
 * account_id and their relatives at now (actor may be NULL: the
 * retention engine), filling *e. Returns 0 or -1. */
int appt_rights_erase(const struct auth *a, struct store_conn *c,
    const char *account_id, const char *actor, int64_t now,
    struct appt_erased *e);

/* After the commit: destroys the keys of the records of e. Returns 0 or
 * -1. */
int appt_rights_keys(const struct auth *a, const struct appt_erased *e,
    int64_t now);

#endif
