/*
 * appt_notify.h - what tells people about their appointments (issue 14):
 * the emails of a booking, a change and a cancellation with their .ics,
 * the reminders by email and SMS before the time, the agents' calendar
 * feed, the waiting list.
 *
 * Called inside the transaction of the change they report (so a message
 * exists exactly when its change does) or, for the reminders, by a
 * background job that the scheduler runs on one instance at a time.
 *
 * Data kept to what is needed: an SMS says when and where, never who or
 * why (a phone's lock screen shows it); an email names the motif and the
 * place, never another person; the feed carries times, motifs and places,
 * never a user's name. Reminders and the SMS go only to a person whose
 * account gave the consent appt_reminders (the consent ledger); a person
 * on a waiting list asked to be told, by email and SMS.
 */
#ifndef CRENEAU_SVC_APPT_NOTIFY_H
#define CRENEAU_SVC_APPT_NOTIFY_H

#include <stddef.h>
#include <stdint.h>

#include "appointments/appt_codes.h"
#include "appointments/appt_time.h"
#include "store/appt_structure.h"
#include "service/service.h"

#define APPT_CONSENT_REMINDERS "appt_reminders"
#define APPT_FEED_TOKEN_MAX 65 /* 64 hex digits and NUL */
#define APPT_REMINDER_BATCH 100
#define APPT_WAIT_MAX 20 /* entries of one user */
#define APPT_WAITLIST_TELL_MAX 50 /* [appt] waitlist_tell at most */

struct config;
struct appt_error;
struct svc_appt_user_in;

/*
 * Sets, for the whole process, once at start: the policy version the
 * consents are checked against, the UID domain and organiser of the .ics
 * (from [smtp] from), the public URL of links ([appt] public_url), the
 * waiting-list duration ([appt] waitlist_days), how many people waiting
 * a freed place tells ([appt] waitlist_tell), and whether SMS are
 * queued (sms_on).
 */
void appt_notify_setup(const struct config *cfg, const char *policy_version,
    int sms_on);

/*
 * Tells the participants of appointment id of kind (appointment.booked,
 * appointment.moved, appointment.cancelled): an email with the .ics
 * (METHOD REQUEST, or CANCEL), an SMS with consent; a cancellation also
 * tells the first person on the motif's waiting list. On c, in the
 * caller's transaction. Returns 0 or -1.
 */
int svc_appt_notify_people(const struct svc *s, struct store_conn *c,
    int64_t id, const char *kind, int64_t now);

/* The same; link (may be NULL) is the booking's manage link of a person
 * without an account, which their email gives instead of « Mes
 * rendez-vous ». */
int svc_appt_notify_people_link(const struct svc *s, struct store_conn *c,
    int64_t id, const char *kind, const char *link, int64_t now);

/* The public URL of the web app in messages ([appt] public_url). */
const char *svc_appt_public_url(void);

/* How people read an appointment's motif, place and time. */
struct svc_appt_summary {
	char motif[APPT_NAME_MAX];
	char place[APPT_NAME_MAX + APPT_ADDRESS_MAX + 4];
	char when[APPT_PARIS_TEXT_MAX];
};

/* Describes motif_id of org_id at place_id (0: by phone or at home) at
 * start_at into *out, on c. Returns 0 or -1. */
int svc_appt_summary(const struct svc *s, struct store_conn *c,
    const char *org_id, int64_t motif_id, int64_t place_id, int64_t start_at,
    struct svc_appt_summary *out);

/* New opening hours for the n motifs of org_id: the first person
 * waiting for each is told (email, SMS, with the link). On c, in the
 * caller's transaction. Returns 0 or -1. */
int svc_appt_wait_opened(const struct svc *s, struct store_conn *c,
    const char *org_id, const int64_t *motifs, size_t n, int64_t now);

/* Sends the reminders due at now (one transaction, up to
 * APPT_REMINDER_BATCH); *n receives how many people were reminded.
 * Returns 0 or -1. */
int svc_appt_reminders(const struct svc *s, int64_t now, long *n);

/* The scheduler's job: arg is a const struct svc. */
int appt_reminder_job(void *arg, int64_t now_ms);

/*
 * Gives agent who (an agent of org_id) a new calendar feed token, the
 * former one stops working; token receives it (shown once, stored
 * hashed). Audited. APPT_OK, APPT_AGENT_INCONNU, or -1.
 */
int svc_appt_feed_new(const struct svc *s, const struct svc_actor *who,
    const char *org_id, int64_t now, char token[APPT_FEED_TOKEN_MAX]);

/* Revokes who's feed token. Audited. APPT_OK, 1 when there was none, or
 * -1. */
int svc_appt_feed_revoke(const struct svc *s, const struct svc_actor *who,
    int64_t now);

/* The calendar of the agent whose feed token is token: their
 * appointments from 30 days ago to a year ahead as iCalendar text
 * (METHOD PUBLISH) in *ics (free it). APPT_OK, 1 for an unknown token,
 * or -1. */
int svc_appt_feed(const struct svc *s, const char *token, int64_t now,
    char **ics);

/*
 * Puts user_id (one of account_id's own records, or one of their
 * relatives) on the waiting list of online motif motif_id until
 * [appt] waitlist_days from now; *id receives the entry, *expires_at its
 * end. With user_id 0, the person's own record in org_id, created from
 * in on a first request there (svc_appt_account_record), so that someone
 * who finds no slot at a new service can still wait. APPT_OK,
 * APPT_MOTIF_INCONNU, APPT_USAGER_INCONNU, PARAMETRE_INVALIDE (err
 * names the field), or -1. Asking twice keeps the first place.
 */
int svc_appt_wait(const struct svc *s, const struct svc_actor *who,
    const char *org_id, int64_t motif_id, int64_t user_id,
    const struct svc_appt_user_in *in, int64_t now, int64_t *id,
    int64_t *expires_at, struct appt_error *err);

/* Removes entry id of one of account_id's records or of their relatives.
 * APPT_OK, 1 when none, or -1. */
int svc_appt_wait_cancel(const struct svc *s, const struct svc_actor *who,
    int64_t id);

/* Deletes waiting-list entries expired at now or older than cutoff.
 * Returns how many, or -1. */
long appt_wait_purge(const struct auth *a, int64_t now, int64_t cutoff);

#endif
