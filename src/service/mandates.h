/*
 * mandates.h (service) - rule 1 of RULES.md, mandate first: creating,
 * revoking and expiring the mandates that bind a candidate to a school
 * for one licence category.
 *
 * A school asks with the candidate's NEPH, names and category: the
 * registry row must match (CANDIDAT_INCONNU otherwise), no active mandate
 * may exist for that category (CANDIDAT_DEJA_SOUS_MON_MANDAT when it is
 * the school's own, CANDIDAT_DEJA_SOUS_MANDAT when another school's). The
 * mandate is then inserted pending and activated at once: by asking, the
 * school declares it holds the mandate the candidate signed, as it does
 * on RdvPermis. The candidate is told (mandate.created) when an account
 * is linked to the registry row, and may revoke it at any time.
 *
 * A candidate may choose a school; that mandate revokes the old school's
 * one, which is told (mandate.revoked). Revocation and expiry end the
 * school's access to the candidate at once, the trainer's assignment
 * included; an expiry job turns due mandates into expired ones.
 *
 * Every change is one transaction with its audit entry (target the
 * candidate id, details sealed) and its notifications. Functions return
 * a RULES.md code (enum bk_code) or -1 for a storage failure.
 */
#ifndef CRENEAU_SVC_MANDATES_H
#define CRENEAU_SVC_MANDATES_H

#include <stdint.h>

#include "booking/mandate.h"
#include "service/candidates.h"
#include "service/service.h"

/* Returned when the mandate named does not exist for the caller (no
 * RULES.md code says so: the API answers 404). */
#define SVC_MANDATE_UNKNOWN (BK_CODE_COUNT + 1)

#define SVC_MANDATES_MAX 5000 /* listed in one answer */
#define SVC_EXPIRE_BATCH 100 /* mandates expired per transaction */

/* What a school claims about the candidate (all checked already by
 * svc_candidate_parse). */
struct svc_mandate_claim {
	const char *neph;
	const char *last_name;
	const char *first_names;
	const char *category;
};

/*
 * School school_id (of who->org_id) asks for a mandate of the candidate
 * claimed, at now. Returns BK_OK with *out the active mandate,
 * BK_CANDIDAT_INCONNU, BK_CANDIDAT_DEJA_SOUS_MON_MANDAT,
 * BK_CANDIDAT_DEJA_SOUS_MANDAT, or -1.
 */
int svc_mandate_create(const struct svc *s, const struct svc_actor *who,
    int64_t school_id, const struct svc_mandate_claim *claim, int64_t now,
    struct mandate *out);

/* A mandate as its lists show it: names and NEPH only while it is active
 * (has_identity set). */
struct svc_mandate_view {
	struct mandate m;
	enum mandate_state state; /* at now */
	char school_org[STORE_ID_MAX];
	char school_name[STORE_ORG_NAME_MAX]; /* not personal data */
	int has_identity;
	char neph[BK_NEPH_MAX + 1];
	char last_name[SVC_NAME_BYTES];
	char first_names[SVC_NAME_BYTES];
};

typedef int (*svc_mandate_fn)(void *arg, const struct svc_mandate_view *v);

/*
 * Calls fn for each mandate of school_id (newest first, at most
 * SVC_MANDATES_MAX); with state not NULL, only those in that state at now
 * ("active", "revoked"...). Returns 0, or -1.
 */
int svc_mandates_of_school(const struct svc *s, int64_t school_id,
    const char *state, int64_t now, svc_mandate_fn fn, void *arg);

/*
 * Calls fn for each mandate of the candidate whose account is account_id
 * (every registry row linked to it), oldest first, with the candidate's
 * own identity. Returns 0, or -1.
 */
int svc_mandates_of_account(const struct svc *s, const char *account_id,
    int64_t now, svc_mandate_fn fn, void *arg);

/*
 * The candidate (who->account_id) revokes mandate id at now; the school
 * is told (mandate.revoked) and its trainer assignment removed. Returns
 * BK_OK, SVC_MANDATE_UNKNOWN when the mandate is not one of the
 * candidate's, BK_CANDIDAT_PAS_SOUS_MANDAT when it is revoked or expired
 * already, or -1.
 */
int svc_mandate_revoke(const struct svc *s, const struct svc_actor *who,
    int64_t id, int64_t now);

/*
 * The candidate (who->account_id) gives a mandate for category to the
 * school of organisation school_org at now; it is active at once and
 * revokes the other school's mandate of that category (told with
 * mandate.revoked; the new school gets mandate.created). Returns BK_OK
 * with *out, BK_CANDIDAT_INCONNU when no registry row of that category
 * is linked to the account, BK_PARAMETRE_INVALIDE when school_org is no
 * school, BK_CANDIDAT_DEJA_SOUS_MON_MANDAT when that school holds it
 * already, or -1.
 */
int svc_mandate_choose(const struct svc *s, const struct svc_actor *who,
    const char *school_org, const char *category, int64_t now,
    struct mandate *out);

/*
 * The expiry job: every mandate stored active whose expires_at is at or
 * before now becomes expired (audit mandate.expire, the school told with
 * mandate.expired, the trainer assignment removed), SVC_EXPIRE_BATCH per
 * transaction. *expired receives how many. Returns 0 or -1 (the batches
 * committed before stay).
 */
int svc_mandates_expire(const struct svc *s, int64_t now, long *expired);

#endif
