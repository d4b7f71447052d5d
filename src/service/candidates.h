/*
 * candidates.h (service) - the candidate registry of the exam authority
 * and the candidates as schools and the candidates themselves see them.
 *
 * One registry row per NEPH and licence category. The NEPH, last name,
 * first names and optional email are sealed under the candidate's own
 * data key, owner "subject:candidate:<id>", so erasing a candidate is
 * destroying that key; the NEPH is found through its blind index under
 * "system:index" (table "candidates", column "neph").
 *
 * A school reads a candidate only while it holds a mandate of that
 * candidate active now (RULES.md rule 1: revocation or expiry removes the
 * access at once), a trainer only the candidates assigned to them.
 *
 * Functions return a RULES.md code (enum bk_code: BK_OK, or the refusal)
 * or -1 for a storage failure, as service.h says.
 */
#ifndef CRENEAU_SVC_CANDIDATES_H
#define CRENEAU_SVC_CANDIDATES_H

#include <stddef.h>
#include <stdint.h>

#include "booking/config.h"
#include "service/service.h"
#include "store/candidates.h"
#include "store/identity.h"

#define SVC_NAME_CHARS 100 /* characters of a last name or first names */
#define SVC_NAME_BYTES (SVC_NAME_CHARS * 4 + 1) /* in UTF-8, with NUL */
#define SVC_EMAIL_MAX 254
#define SVC_GEARBOX_MAX 16
#define SVC_DATE_MAX 11 /* "YYYY-MM-DD" and NUL */
#define SVC_CANDIDATES_MAX 5000 /* listed in one answer */

/* A candidate's fields, checked and normalised (trimmed). */
struct svc_candidate_in {
	char neph[BK_NEPH_MAX + 1];
	char last_name[SVC_NAME_BYTES];
	char first_names[SVC_NAME_BYTES];
	char category[BK_CATEGORY_MAX];
	char gearbox[SVC_GEARBOX_MAX]; /* "manual" or "automatic" */
	char email[SVC_EMAIL_MAX + 1]; /* "" when none */
	char birth_date[SVC_DATE_MAX]; /* "YYYY-MM-DD"; "" when none */
};

/*
 * Checks a birth date raw (NULL or empty: none, out[0] = '\0'): a real
 * calendar date written YYYY-MM-DD, surrounding spaces dropped, copied
 * into out. Returns 0, or 1 when it is not one. Pure.
 */
int svc_birth_date_parse(char out[SVC_DATE_MAX], const char *raw);

/*
 * Checks and copies raw values into *out: surrounding spaces dropped; NEPH
 * by booking_neph_check, category by booking_category_check, names 1 to
 * SVC_NAME_CHARS characters of valid UTF-8 without control characters,
 * gearbox "manual" or "automatic" (not checked when gearbox is NULL),
 * email optional (NULL or empty: none) with a basic syntax check. Returns
 * BK_OK, or BK_PARAMETRE_INVALIDE with *field naming the value at fault
 * ("neph", "last_name"...). Pure.
 */
enum bk_code svc_candidate_parse(struct svc_candidate_in *out, const char *neph,
    const char *last_name, const char *first_names, const char *category,
    const char *gearbox, const char *email, const char **field);

/* A candidate, opened. */
struct svc_candidate {
	int64_t id;
	char neph[BK_NEPH_MAX + 1];
	char last_name[SVC_NAME_BYTES];
	char first_names[SVC_NAME_BYTES];
	char email[SVC_EMAIL_MAX + 1];
	char category[BK_CATEGORY_MAX];
	char gearbox[SVC_GEARBOX_MAX];
	char birth_date[SVC_DATE_MAX]; /* "" when the registry has none */
	char account_id[STORE_ID_MAX]; /* "" when no account is linked */
	int64_t mandate_id; /* the reader's active mandate, 0 if none */
	int64_t mandate_expires_at;
	char trainer[STORE_ID_MAX]; /* "" when none assigned */
};

/* Writes "subject:candidate:<id>" into out (owner of the candidate's
 * data key). Returns 0, or -1 when it does not fit. */
int svc_candidate_owner(int64_t id, char *out, size_t size);

/* Computes the blind index of neph (already checked) into out. Returns
 * 0 or -1. */
int svc_candidate_neph_index(const struct svc *s, const char *neph,
    char out[BLIND_INDEX_HEX]);

/*
 * Seals in under candidate id's key (created when missing) into *row: id,
 * category, gearbox, the sealed columns, created_at and updated_at set to
 * now; neph_index is left to the caller. Writes nothing to the database.
 * Returns 0, or -1 (*row then empty). Release *row with
 * store_candidate_clear.
 */
int svc_candidate_seal(const struct svc *s, int64_t id,
    const struct svc_candidate_in *in, int64_t now,
    struct store_candidate *row);

/*
 * Seals in under candidate id's key and writes the row (names, email,
 * gearbox) on c, inside the caller's write transaction; the key is
 * created when missing. Returns 0 or -1.
 */
int svc_candidate_store(const struct svc *s, struct store_conn *c, int64_t id,
    const struct svc_candidate_in *in, int64_t now);

/*
 * Reads and opens registry row id on c into *out (mandate_id and trainer
 * left empty). Returns 0, 1 when there is no row (or its key was
 * destroyed), or -1. The caller wipes *out (sodium_memzero).
 */
int svc_candidate_open(const struct svc *s, struct store_conn *c, int64_t id,
    struct svc_candidate *out);

typedef int (*svc_candidate_fn)(void *arg, const struct svc_candidate *cand);

/*
 * Calls fn for each candidate under a mandate of school_id active at now,
 * opened (at most SVC_CANDIDATES_MAX); with trainer not NULL, only those
 * assigned to that trainer account. Returns 0, or -1.
 */
int svc_candidates_list(const struct svc *s, int64_t school_id,
    const char *trainer, int64_t now, svc_candidate_fn fn, void *arg);

/*
 * Reads candidate id for school_id at now into *out (with the school's
 * active mandate and the trainer assigned). Returns BK_OK,
 * BK_CANDIDAT_INCONNU when the school holds no mandate of the candidate
 * active now (as if the candidate did not exist), or -1. The caller wipes
 * *out.
 */
int svc_candidate_get(const struct svc *s, int64_t school_id, int64_t id,
    int64_t now, struct svc_candidate *out);

/*
 * Assigns candidate id to trainer (an account with role trainer in
 * who->org_id) for school_id, replacing any earlier trainer, in one
 * transaction with its audit entry (candidate.assign). Returns BK_OK,
 * BK_PARAMETRE_INVALIDE when trainer is no trainer of the organisation,
 * BK_CANDIDAT_PAS_SOUS_MANDAT when the school holds no mandate of the
 * candidate active now, or -1.
 */
int svc_candidate_assign(const struct svc *s, const struct svc_actor *who,
    int64_t school_id, int64_t id, const char *trainer, int64_t now);

/*
 * Links registry row candidate_id to the candidate account account_id
 * (which then sees and manages its mandates), with an audit entry
 * (candidate.link). For demo data and operators. Returns 0, 1 when there
 * is no such row, or -1.
 */
int svc_candidate_link_account(const struct svc *s, int64_t candidate_id,
    const char *account_id);

/* Reads into ids (room for max) the registry rows linked to account_id,
 * their count into *n. Returns 0 or -1. */
int svc_candidates_of_account(const struct svc *s, const char *account_id,
    int64_t *ids, size_t max, size_t *n);

/*
 * Calls fn for each exam of the candidate whose account is account_id
 * (every registry row linked to it), latest first: date, centre name,
 * category, status. Returns 0, or -1.
 */
int svc_candidate_exams_of_account(const struct svc *s, const char *account_id,
    store_exam_fn fn, void *arg);

/*
 * Tells the candidate of registry row id what happened to them: an in-app
 * notice of kind with params (JSON object text of references only) and
 * its email (notify/notify.h), on c in the caller's transaction, so the
 * candidate is told exactly when the change commits. A candidate without
 * a linked account is told nothing. These notices are part of the booking
 * service the candidate uses (their own exams and mandates), not optional
 * news: no consent is asked. Returns 0 or -1.
 */
int svc_candidate_tell(const struct svc *s, struct store_conn *c, int64_t id,
    const char *kind, const char *params, int64_t now);

/*
 * Tells candidate_id (svc_candidate_tell) of kind about exam e: the
 * exam's id, start time and category, then extra when not NULL (more
 * members, "\"late\":true" for instance, without braces). Returns 0 or
 * -1.
 */
int svc_candidate_tell_exam(const struct svc *s, struct store_conn *c,
    int64_t candidate_id, const char *kind, const struct bk_exam *e,
    const char *extra, int64_t now);

#endif
