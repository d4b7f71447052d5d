/*
 * basket.h (service) - baskets and their validation (RULES.md rules 1 to
 * 6 and 10), each call one transaction.
 *
 * Fairness under load (rule 10): a slot moves from free to held only by a
 * conditional update inside the write transaction, so it goes to exactly
 * one basket; the threshold count and the exam insert happen in the same
 * transaction, so a quota is never exceeded. A transaction never waits on
 * a client: the request is read whole before the service runs, and
 * nothing here does I/O but the database.
 *
 * Every function returns a RULES.md code (BK_OK or the refusal, nothing
 * written then) or -1 when the storage failed.
 */
#ifndef CRENEAU_SERVICE_BASKET_H
#define CRENEAU_SERVICE_BASKET_H

#include "booking/basket.h"
#include "service/service.h"
#include "store/baskets.h"

/* Warn the owner this long before the basket expires. */
#define SVC_BASKET_WARN_MS (3 * BK_MINUTE_MS)

/*
 * Reads the basket of who (school school_id) into *b, creating an empty
 * one on first use; a basket past its expiry is emptied first (its slots
 * freed), as the job would. Returns BK_OK or -1.
 */
int svc_basket_current(const struct svc *s, const struct svc_actor *who,
    int64_t school_id, int64_t now, struct basket *b);

/* Where an action was refused. */
struct svc_refusal {
	size_t index; /* the item of the request at fault */
	int64_t at; /* ACTION_INTERDITE: when the slot opens;
		       CANDIDAT_SOUS_PENALITE: when the delay ends */
	/* CRENEAU_DEJA_RESERVE: every slot of the request that is held or
	 * booked, so a client drops them all at once. */
	int64_t taken[BK_BASKET_CAP];
	size_t ntaken;
};

/*
 * Adds the n slots slot_ids to basket basket_id of who at now, putting
 * candidate_ids[i] on each (candidate_ids may be NULL; 0: none) after the
 * rule 1 check for the slot's category. All or nothing: on a refusal
 * *why (may be NULL) names the item. A refusal is decided in a read
 * transaction, so a school losing a race never waits for the write lock
 * (rule 10); the write transaction checks everything again. Returns BK_OK, a
 * code of basket_add (src/booking/basket.h), BK_PANIER_INCONNU (not the
 * caller's basket), BK_CANDIDAT_PAS_SOUS_MANDAT, a rule 6 refusal of a
 * candidate given (BK_CANDIDAT_DEJA_INSCRIT, _EN_ATTENTE_DE_RESULTAT,
 * _AYANT_DEJA_OBTENU_SON_EXAMEN, _SOUS_PENALITE with why->at the delay's
 * end: said now rather than at validation), or -1.
 */
int svc_basket_add(const struct svc *s, const struct svc_actor *who,
    int64_t school_id, int64_t basket_id, const int64_t *slot_ids,
    const int64_t *candidate_ids, size_t n, int64_t now,
    struct svc_refusal *why);

/* Takes slot_id out of the basket and frees it. Returns BK_OK,
 * BK_PANIER_INCONNU, BK_CRENEAU_PAS_DANS_LE_PANIER, or -1. */
int svc_basket_remove(const struct svc *s, const struct svc_actor *who,
    int64_t basket_id, int64_t slot_id, int64_t now);

/*
 * Puts candidate_id (0: none) on slot_id of the basket after the checks
 * of rules 1 and 6 for that slot (said at once rather than at
 * validation). Returns BK_OK, BK_PANIER_INCONNU, BK_PANIER_EXPIRE,
 * BK_CRENEAU_PAS_DANS_LE_PANIER, BK_CANDIDAT_PAS_SOUS_MANDAT, a rule 6
 * refusal (with *until, when not NULL, the end of a waiting delay), or
 * -1.
 */
int svc_basket_assign(const struct svc *s, const struct svc_actor *who,
    int64_t school_id, int64_t basket_id, int64_t slot_id, int64_t candidate_id,
    int64_t now, int64_t *until);

/* The outcome of a validation, one result per slot in basket order. */
struct svc_validation {
	struct basket_result res[BK_BASKET_CAP];
	int64_t at[BK_BASKET_CAP]; /* CANDIDAT_SOUS_PENALITE: delay's end */
	size_t n;
	int contains_errors;
	int replayed; /* the kept outcome of an earlier validation with
			 the same Idempotency-Key: nothing booked now */
};

/*
 * Rule 5: validates the basket at now. Each slot is booked (an exam is
 * created, the slot becomes booked and leaves the basket) or refused
 * with its code (it stays). Notifies the school of the bookings and of
 * thresholds crossed (80 %, 100 %), and who of the refusals. Returns
 * BK_OK (see out), BK_PANIER_INCONNU, BK_PANIER_EXPIRE, or -1.
 */
int svc_basket_validate(const struct svc *s, const struct svc_actor *who,
    int64_t school_id, int64_t basket_id, int64_t now,
    struct svc_validation *out);

/* The answer of svc_basket_validate_once to a key already used for
 * another basket (outside enum bk_code). */
#define SVC_IDEM_KEY_REUSED 1000

/*
 * svc_basket_validate made idempotent by key (an Idempotency-Key that
 * passed replay_key_check; NULL: as svc_basket_validate), in the same
 * write transaction: when who already validated basket_id with key in
 * the last 24 h, *out is that validation's outcome again, with
 * out->replayed set, and nothing is booked, notified or audited;
 * when who used key for another basket, SVC_IDEM_KEY_REUSED and
 * nothing written; otherwise the validation runs and, when it gives
 * results (BK_OK), its outcome is kept under the key's BLAKE2b-256
 * hash (store/replays.h) in the same transaction. A refused validation
 * keeps nothing. Returns BK_OK, SVC_IDEM_KEY_REUSED, BK_PANIER_INCONNU,
 * BK_PANIER_EXPIRE, or -1.
 */
int svc_basket_validate_once(const struct svc *s, const struct svc_actor *who,
    int64_t school_id, int64_t basket_id, const char *key, int64_t now,
    struct svc_validation *out);

/*
 * The background job: empties every basket past its expiry (slots freed,
 * owner notified basket.expired) and warns the owners of baskets expiring
 * within SVC_BASKET_WARN_MS (basket.expiring, once). One transaction per
 * basket. *expired and *warned (may be NULL) receive the counts. Returns
 * 0 or -1.
 */
int svc_baskets_expire(const struct svc *s, int64_t now, long *expired,
    long *warned);

/*
 * Searches the free slots published by now that q asks for, for school
 * school_id: fn gets each with the time it opens to that school (rule 2:
 * at publication for a school established in the slot's department, 24 h
 * later for the others). Returns 0, fn's result, or -1.
 */
int svc_slots_search(const struct svc *s, int64_t school_id,
    const struct store_slot_search *q,
    int (*fn)(void *arg, const struct store_slot_found *f, int64_t opens_at),
    void *arg);

#endif
