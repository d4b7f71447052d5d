/*
 * rights_booking.h - the rights of the people over the booking data
 * (PRIVACY.md, section 3), used by gdpr/rights.c and the retention
 * engine.
 *
 * Access: a candidate account's export also holds every item about the
 * registry rows linked to it (identity opened with the candidate's key,
 * mandates, trainer assignment, exams, basket items, the audit entries
 * naming the candidate); every account's export holds its notifications
 * and its emails (subject and state, never the sealed text).
 *
 * Erasure: a registry row is shredded in place (rights_candidate_shred):
 * its future exams are cancelled (slots freed, schools told), its basket
 * items released, its mandates revoked, its trainer assignments removed,
 * its sealed identity emptied and, once the transaction has committed,
 * its key subject:candidate:<id> destroyed. The row itself stays, closed
 * and empty, so that no registry id is ever given again to somebody else;
 * past exams stay with their date, centre and result until the exam_data
 * rule purges them.
 */
#ifndef CRENEAU_RIGHTS_BOOKING_H
#define CRENEAU_RIGHTS_BOOKING_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "auth/auth.h"
#include "crypto/field.h"
#include "gdpr/datamap.h"

struct store_conn;

#define RIGHTS_CANDIDATES_MAX 16 /* registry rows linked to one account */
#define RIGHTS_FUTURE_EXAMS_MAX 64 /* exams one erasure cancels at most */

/* What an export is being built from and into (gdpr/rights.c). */
struct rights_exp {
	const struct auth *a;
	const struct datamap *m;
	const char *id; /* the account */
	json_t *items;
	json_t *cats; /* category id -> description */
	json_t *cat_list; /* the same, in the order met */
	struct data_key k; /* the person's key, when have */
	int have;
	int failed;
};

/* Appends to x one item (taking value, may be NULL) of data map category
 * cat, with its label and source; sets x->failed on failure. */
void rights_item(struct rights_exp *x, const char *cat, const char *label,
    const char *source, json_t *value);

/*
 * Adds to x, read on c, the account's notifications and emails, and for
 * each registry row linked to the account its identity, mandates, trainer
 * assignment, exams, basket items and the audit entries naming it.
 * Returns 0 or -1.
 */
int rights_booking_export(struct rights_exp *x, struct store_conn *c);

/* What shredding and erasing did, for the answer and the report. */
struct rights_booking_erased {
	long candidates, exams_cancelled, basket_items, mandates, trainers;
	long exams_kept; /* past exams, kept under exam_data */
	long notifications, emails;
	int64_t ids[RIGHTS_CANDIDATES_MAX]; /* keys to destroy after commit */
	size_t nids;
};

/*
 * Inside the caller's write transaction c: shreds registry row id at now
 * (see the top of this file) and appends the audit entry
 * "candidate.shred" (actor may be NULL for the retention engine; reason
 * "erasure" or "retention" in the sealed details, with counts only).
 * Adds to *e what was done and records id for rights_candidate_keys.
 * Returns 0, 1 when the row does not exist or is shredded already, -1.
 */
int rights_candidate_shred(const struct auth *a, struct store_conn *c,
    int64_t id, const char *actor, const char *reason, int64_t now,
    struct rights_booking_erased *e);

/*
 * After the transaction has committed: destroys the key of each row
 * recorded in e (crypto-shredding: copies in backups become unreadable).
 * Returns 0, or -1 when a key could not be destroyed (logged; running the
 * erasure or the purge again retries it).
 */
int rights_candidate_keys(const struct auth *a,
    const struct rights_booking_erased *e, int64_t now);

/*
 * Inside the erasure's transaction c: shreds every registry row linked to
 * account_id and deletes the account's notifications and emails. Fills
 * *e. Returns 0 or -1.
 */
int rights_booking_erase(const struct auth *a, struct store_conn *c,
    const char *account_id, const char *actor, int64_t now,
    struct rights_booking_erased *e);

/*
 * Adds to array kept (the erasure's answer) what stays of the booking
 * data after e, and why, with the retention rules of m (may be NULL).
 * Returns 0 or -1.
 */
int rights_booking_kept(json_t *kept, const struct rights_booking_erased *e,
    const struct datamap *m);

/*
 * The access export of a person known only to the registry (no account):
 * every item of registry rows ids (n of them, one NEPH), as rights_export
 * gives them, into *out ("format", "generated_at", "candidate_ids",
 * "controller", "categories", "items"); rights_export_html renders it.
 * Returns 0, 1 when none of the rows holds data any more, or -1.
 */
int rights_registry_export(const struct auth *a, const struct datamap *m,
    const int64_t *ids, size_t n, int64_t now, json_t **out);

#endif
