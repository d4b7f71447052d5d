/*
 * appt_guest.h - booking an appointment without an account (seed 001,
 * « prise de rendez-vous sans compte, rattachée plus tard »).
 *
 * After the hold (appt_online.h), the person gives a name, first names,
 * an email address (required: it is how they are verified and told) and
 * perhaps a phone. The request is throttled as self sign-up is (per
 * address and per source, hourly), extends the hold to
 * APPT_GUEST_HOLD_MS, and emails a single-use link of 256 random bits,
 * stored only as its hash, valid while the hold lasts; the details are
 * sealed under a key derived from the token, so only the link opens
 * them (the approach of auth/signup.c).
 *
 * Opening the link shows the appointment; confirming it makes, in one
 * transaction, the person's record in the organisation (no account;
 * sealed under their own key with blind indexes, as an agent's
 * creation), the booking through svc_appt_book_in_tx (every rule of a
 * booking by a user), a manage link (256 bits, hashed, valid until the
 * appointment starts) that the confirmation email carries, and deletes
 * the hold and the request. The manage link cancels the appointment
 * once, through svc_appt_set_status as the user (the motif's deadline
 * applies).
 *
 * Later, an account of the people's place whose address is the
 * record's takes the record over (svc_appt_account_record).
 */
#ifndef CRENEAU_SVC_APPT_GUEST_H
#define CRENEAU_SVC_APPT_GUEST_H

#include <stdint.h>

#include "service/appt_notify.h"
#include "service/appt_people.h"

#define APPT_GUEST_HOLD_MS (30 * 60 * INT64_C(1000)) /* time to confirm */
#define APPT_GUEST_ADDRESS_MAX 3 /* requests per address per hour */
#define APPT_GUEST_SOURCE_MAX 10 /* requests per source per hour */

/* What the person gives (NULL or "": empty). */
struct svc_appt_guest_in {
	const char *last_name, *first_names, *email, *phone;
	int privacy_ack; /* read the privacy notice */
	const char *policy_version; /* the notice's version read (audited) */
};

/*
 * The request for the hold of hold_token by who (its ip; no account) at
 * now. APPT_OK when taken, or *wait > 0 (milliseconds) when too many
 * came for this address or from this source; a refusal naming the field
 * (PARAMETRE_INVALIDE, RESERVATION_EXPIREE on hold_token); or -1.
 */
int svc_appt_guest_request(const struct svc *s, const struct svc_actor *who,
    const char *hold_token, const struct svc_appt_guest_in *in, int64_t now,
    int64_t *wait, struct appt_error *err);

/* What a link's page shows. */
struct svc_appt_guest_view {
	struct svc_appt_summary sum;
	char org_name[STORE_ORG_NAME_MAX];
	char status[24]; /* manage link: the appointment's status */
	int64_t start_at, expires_at;
};

/* The appointment the guest link token would confirm, at now.
 * APPT_OK, APPT_LIEN_INVALIDE (used, expired, unknown), or -1. */
int svc_appt_guest_view(const struct svc *s, const char *token, int64_t now,
    struct svc_appt_guest_view *out);

/* Confirms the guest link token (see above); *id receives the
 * appointment. APPT_OK, APPT_LIEN_INVALIDE, a booking's refusal, or -1. */
int svc_appt_guest_confirm(const struct svc *s, const struct svc_actor *who,
    const char *token, int64_t now, int64_t *id, struct appt_error *err);

/* The appointment of manage link token at now. APPT_OK,
 * APPT_LIEN_INVALIDE, or -1. */
int svc_appt_manage_view(const struct svc *s, const char *token, int64_t now,
    struct svc_appt_guest_view *out);

/* Cancels (annule_usager) the appointment of manage link token at now,
 * as its user, then voids the link. APPT_OK, APPT_LIEN_INVALIDE,
 * svc_appt_set_status's refusals (ANNULATION_TROP_TARDIVE...), or -1. */
int svc_appt_manage_cancel(const struct svc *s, const struct svc_actor *who,
    const char *token, int64_t now, struct appt_error *err);

/*
 * On c in the caller's transaction: a record of org_id without account
 * nor responsible whose email is account_id's address (checked when the
 * account was made) is linked to that account (audited). Returns 1 and
 * its id into *id, 0 when there is none, or -1.
 */
int svc_appt_guest_adopt(const struct svc *s, struct store_conn *c,
    const struct svc_actor *actor, const char *org_id, int64_t now,
    int64_t *id);

/* Deletes the requests and manage links expired at now (retention run).
 * Returns how many, or -1. */
long appt_guest_purge(const struct auth *a, int64_t now);

#endif
