/*
 * basket.h - rules 4 and 5 of RULES.md: the basket (panier) and its
 * validation.
 *
 * A basket belongs to one school employee and holds at most
 * r->basket_slots_max (12) slots, added at most r->basket_add_max (4) per
 * action. It expires r->basket_ttl_ms (15 min) after its first slot was
 * added: from that instant on nothing can be added or validated
 * (BK_PANIER_EXPIRE) and the background job returns its slots to free.
 * A basket that becomes empty starts a new life with its next slot;
 * until then, one emptied by its expiry still answers BK_PANIER_EXPIRE
 * to validation (it is not an empty success).
 *
 * Validation is per slot and partial: each slot gets a result, booked
 * slots leave the basket (basket_drop_booked), failed ones stay.
 */
#ifndef CRENEAU_BOOKING_BASKET_H
#define CRENEAU_BOOKING_BASKET_H

#include "booking/booking.h"

struct basket_item {
	int64_t slot_id;
	int64_t candidate_id; /* 0: none assigned yet */
	char department[BK_DEPARTMENT_MAX];
	char category[BK_CATEGORY_MAX];
	int64_t start_at;
	/* The slot's centre, for the people who read the basket; empty in
	 * an item the rules have just added, until the basket is read back. */
	char centre[BK_CENTRE_NAME_MAX];
};

struct basket {
	int64_t id;
	int64_t owner_id; /* the school employee */
	int64_t school_id;
	int64_t first_added_at; /* 0 while empty */
	int64_t expired_at; /* its last life ended by expiry then, with no
			       slot since (basket_clear); 0 otherwise */
	size_t n;
	struct basket_item items[BK_BASKET_CAP];
};

/* The outcome of validation for one slot of the basket. */
struct basket_result {
	int64_t slot_id;
	int64_t exam_id; /* 0 (null) until the caller stores the exam */
	int booked;
	enum bk_code code; /* BK_OK when booked */
};

/*
 * The caller's checks for one slot during validation (rule 1 mandate,
 * rule 6 eligibility, rule 3 quota counting the slots already accepted
 * in this validation): returns BK_OK or the code refusing the slot.
 */
typedef enum bk_code (
    *basket_check_fn)(void *arg, const struct basket_item *item);

/* Returns BK_OK when b exists and belongs to employee owner_id,
 * BK_PANIER_INCONNU otherwise (b may be NULL). Pure. */
enum bk_code basket_check_owner(const struct basket *b, int64_t owner_id);

/* Returns when b expires (first_added_at + r->basket_ttl_ms), or 0 when
 * b is empty. Pure. */
int64_t basket_expires_at(const struct booking_rules *r,
    const struct basket *b);

/* Returns the milliseconds b has left at now, to show in the UI: 0 when
 * expired or empty. Pure. */
int64_t basket_time_left(const struct booking_rules *r, const struct basket *b,
    int64_t now);

/* Returns BK_PANIER_EXPIRE when b is not empty and now is at or after
 * its expiry, BK_OK otherwise. Pure. */
enum bk_code basket_check_open(const struct booking_rules *r,
    const struct basket *b, int64_t now);

/*
 * Adds the n slots (one action) to b at now for a school established in
 * depts (ndepts codes); all or nothing. Returns BK_OK (the slots are
 * appended with no candidate and become SLOT_HELD) or, changing nothing:
 * An empty basket takes them as a new life (expired_at back to 0).
 * Refusals: BK_PARAMETRE_INVALIDE (n is 0), BK_TROP_DE_CRENEAUX (n >
 * r->basket_add_max), BK_PANIER_EXPIRE, BK_PANIER_PLEIN (more than
 * r->basket_slots_max in all), or for the first refused slot, whose index
 * goes to *bad when bad is not NULL: BK_CRENEAU_INCONNU (withdrawn or not
 * yet published), BK_EXAMEN_NON_MODIFIABLE (started),
 * BK_CRENEAU_DEJA_RESERVE (held, booked, already in the basket or twice
 * in the action), BK_ACTION_INTERDITE (rule 2; the opening time goes to
 * *opens_at when not NULL).
 */
enum bk_code basket_add(const struct booking_rules *r, struct basket *b,
    struct bk_slot *slots, size_t n, const char *const *depts, size_t ndepts,
    int64_t now, size_t *bad, int64_t *opens_at);

/* Takes slot_id out of b (the caller frees the slot). Returns BK_OK or
 * BK_CRENEAU_PAS_DANS_LE_PANIER. */
enum bk_code basket_remove(struct basket *b, int64_t slot_id);

/*
 * Puts candidate_id (0: none) on slot_id of b; the caller checks rule 1
 * first. Returns BK_OK, BK_CRENEAU_PAS_DANS_LE_PANIER or
 * BK_PANIER_EXPIRE.
 */
enum bk_code basket_assign(const struct booking_rules *r, struct basket *b,
    int64_t slot_id, int64_t candidate_id, int64_t now);

/*
 * Returns BK_PANIER_EXPIRE when b is past its expiry (basket_check_open)
 * or was emptied by its expiry and has had no slot since, BK_OK
 * otherwise: whether b can be validated. Pure.
 */
enum bk_code basket_check_validable(const struct booking_rules *r,
    const struct basket *b, int64_t now);

/*
 * Rule 5: validates every slot of b at now, writing one result per slot,
 * in basket order, into res (room for b->n) and the count into *nres.
 * A slot fails with BK_CANDIDAT_OBLIGATOIRE (no candidate),
 * BK_CANDIDAT_DEJA_DANS_PANIER (its candidate is on another slot of the
 * same category in b: all such slots fail), BK_EXAMEN_NON_MODIFIABLE
 * (started), or the code check returns (check may be NULL; it is called
 * only for slots that passed the others, in order). *contains_errors
 * says whether any slot failed. Returns BK_OK, or BK_PANIER_EXPIRE with
 * no result (*nres = 0) when basket_check_validable refuses. b is not
 * changed: see basket_drop_booked.
 */
enum bk_code basket_validate(const struct booking_rules *r,
    const struct basket *b, int64_t now, basket_check_fn check, void *arg,
    struct basket_result *res, size_t *nres, int *contains_errors);

/* Removes from b the slots booked in res (nres results); b starts a new
 * life when it becomes empty. Returns how many were removed. */
size_t basket_drop_booked(struct basket *b, const struct basket_result *res,
    size_t nres);

/* Empties b because it expired at now (the caller frees the slots):
 * b->expired_at becomes now until its next slot. */
void basket_clear(struct basket *b, int64_t now);

#endif
