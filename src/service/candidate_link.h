/*
 * candidate_link.h - « Relier mon dossier »: a candidate who signed up
 * links their account to their registry file by what the exam authority
 * holds: NEPH, last name, first names and birth date.
 *
 * The four must match one file of the registry (names ignoring ASCII case
 * and surrounding spaces, as a school's mandate claim; the registry must
 * know the birth date); every row of that NEPH that matches (one per
 * licence category) is linked. A mismatch gives one answer whichever
 * field was wrong, or whether the NEPH exists. A file already linked to
 * another account is not taken. Attempts that fail are counted per
 * account and per source (the hourly window of password recovery), and
 * every attempt is audited, its outcome with it. Once linked, the
 * mandates schools hold on the file and its exams reach the account.
 */
#ifndef CRENEAU_SVC_CANDIDATE_LINK_H
#define CRENEAU_SVC_CANDIDATE_LINK_H

#include <stdint.h>

#include "service/service.h"

#define SVC_LINK_ACCOUNT_MAX 5 /* failed attempts per account per hour */
#define SVC_LINK_SOURCE_MAX 20 /* failed attempts per source per hour */

/* What the candidate gives, as typed. */
struct svc_link_claim {
	const char *neph;
	const char *last_name;
	const char *first_names;
	const char *birth_date; /* YYYY-MM-DD */
};

enum svc_link_outcome {
	SVC_LINK_DONE = 0, /* linked (or already linked to this account) */
	SVC_LINK_INVALID, /* a field is malformed: *field names it */
	SVC_LINK_MISMATCH, /* no file matches the four */
	SVC_LINK_TAKEN, /* the file is linked to another account */
	SVC_LINK_WAIT /* too many failed attempts: *wait_ms */
};

/*
 * Links the registry file claim names to who->account_id at now. Returns
 * an svc_link_outcome (*linked: the rows linked, *field: the malformed
 * field, *wait_ms: the wait), or -1 on error.
 */
int svc_candidate_link_self(const struct svc *s, const struct svc_actor *who,
    const struct svc_link_claim *claim, int64_t now, int *linked,
    const char **field, int64_t *wait_ms);

#endif
