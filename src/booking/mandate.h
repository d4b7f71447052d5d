/*
 * mandate.h - rule 1 of RULES.md: mandate first.
 *
 * A mandate binds a candidate, a school and a licence category; it is
 * pending until activated, then active until revoked (by the candidate,
 * at any time, or by the candidate's mandate to another school) or until
 * it expires, r->mandate_months (12) calendar months after activation.
 * No basket assignment, booking, cancellation or replacement is allowed
 * without an active mandate of the acting school; expiry and revocation
 * take effect at once, whatever the stored state says.
 *
 * The functions work on a plain array of the candidate's mandates (any
 * categories, any schools) as the store returns them.
 */
#ifndef CRENEAU_BOOKING_MANDATE_H
#define CRENEAU_BOOKING_MANDATE_H

#include "booking/booking.h"

enum mandate_state {
	MANDATE_PENDING,
	MANDATE_ACTIVE,
	MANDATE_REVOKED,
	MANDATE_EXPIRED
};

/* Who asks for a new mandate. */
enum mandate_origin {
	MANDATE_BY_SCHOOL, /* a school asks; the candidate accepts later */
	MANDATE_BY_CANDIDATE /* the candidate chooses a school */
};

struct mandate {
	int64_t id;
	int64_t candidate_id;
	int64_t school_id;
	char category[BK_CATEGORY_MAX];
	enum mandate_state state;
	int64_t activated_at; /* when it became active */
	int64_t expires_at; /* set on activation */
	int64_t ended_at; /* when revoked */
};

/* A candidate as the registry knows it, or as a school claims it. */
struct candidate_identity {
	const char *neph;
	const char *last_name;
	const char *first_names;
	const char *category;
};

/*
 * Compares a school's claim with the registry entry found for its NEPH
 * (registry NULL: none found). NEPH and category must be equal, the
 * names equal ignoring ASCII case and surrounding spaces. Returns BK_OK
 * or BK_CANDIDAT_INCONNU. Pure.
 */
enum bk_code mandate_check_identity(const struct candidate_identity *registry,
    const struct candidate_identity *claim);

/* Returns the date a mandate activated at activated_at expires:
 * r->mandate_months calendar months later. Pure. */
int64_t mandate_expiry(const struct booking_rules *r, int64_t activated_at);

/*
 * Returns the state of m at now: an active mandate whose expires_at is at
 * or before now is MANDATE_EXPIRED; otherwise m->state. Pure.
 */
enum mandate_state mandate_state_at(const struct mandate *m, int64_t now);

/*
 * May school ask for a mandate of candidate in category, given the
 * candidate's mandates list (n entries)? Returns
 * BK_CANDIDAT_DEJA_SOUS_MON_MANDAT when school already holds an active or
 * pending one; BK_CANDIDAT_DEJA_SOUS_MANDAT when another school holds an
 * active one and the school asks (origin MANDATE_BY_SCHOOL: a school
 * cannot take a candidate from another); BK_OK otherwise (a candidate may
 * always choose a new school: mandate_activate then revokes the old
 * mandate). Pure.
 */
enum bk_code mandate_check_create(const struct mandate *list, size_t n,
    int64_t candidate_id, int64_t school_id, const char *category,
    enum mandate_origin origin, int64_t now);

/*
 * Activates the pending mandate list[i] at now (activated_at, expires_at
 * set) and revokes, at now, every other mandate of the same candidate and
 * category that is active at now (a mandate to a new school revokes the
 * old one). Returns how many were revoked, or -1 (nothing changed) when i
 * is out of range or list[i] is not pending.
 */
int mandate_activate(const struct booking_rules *r, struct mandate *list,
    size_t n, size_t i, int64_t now);

/*
 * Revokes m at now (the candidate's choice). Returns 0, or -1 when m is
 * neither pending nor active at now (already revoked or expired).
 */
int mandate_revoke(struct mandate *m, int64_t now);

/*
 * Rule 1's gate for every action on a candidate (basket assignment,
 * booking, cancellation, replacement, reading the candidate's data):
 * returns BK_OK when list holds a mandate of candidate, school and
 * category active at now, BK_CANDIDAT_PAS_SOUS_MANDAT otherwise. Pure.
 */
enum bk_code mandate_check_action(const struct mandate *list, size_t n,
    int64_t candidate_id, int64_t school_id, const char *category, int64_t now);

/*
 * What happens to booked exams when mandate m ends (revoked or expired)
 * at now: an exam of m's candidate that m's school booked in m's
 * category, still booked and not started, is cancelled with the mandate,
 * its slot free again (the school can no longer act for the candidate,
 * and the exam is sat in the school's vehicle). The cancellation follows
 * rule 6 like any other: less than 7 days before the exam, it starts the
 * waiting delay. An exam that has started, or has a result, stays as it
 * is. Returns 1 when e ends with m, 0 otherwise. Pure.
 */
int mandate_exam_ends(const struct mandate *m, const struct bk_exam *e,
    int64_t now);

#endif
