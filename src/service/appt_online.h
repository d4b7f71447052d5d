/*
 * appt_online.h - online booking by users (usagers): a short hold on a
 * free slot while the user signs in with an account of the people's
 * place, then its confirmation; the user's own appointments.
 *
 * A hold takes one agent's time (the first agent free then, in account
 * id order) for APPT_HOLD_MS; its token is given once to the browser and
 * kept as its hash only. An expired hold takes nothing: the busy-time
 * reads ignore it, and the hold-expiry job deletes it.
 */
#ifndef CRENEAU_SVC_APPT_ONLINE_H
#define CRENEAU_SVC_APPT_ONLINE_H

#include <stddef.h>
#include <stdint.h>

#include "service/appt_people.h"

#define APPT_HOLD_MS (10 * 60 * INT64_C(1000)) /* a hold lasts 10 min */
#define APPT_HOLD_TOKEN 65 /* 64 hex digits and NUL */
#define APPT_HOLD_HASH 32

/* Holds the slot of motif_id of org_id at place_id (0 for a motif by
 * phone or at home) starting at start_at, for a user at now: the motif
 * is online, its delays respected, an agent free. token receives the
 * hold's token, *expires_at its end. */
int svc_appt_hold(const struct svc *s, const char *org_id, int64_t motif_id,
    int64_t place_id, int64_t start_at, int64_t now,
    char token[APPT_HOLD_TOKEN], int64_t *expires_at, struct appt_error *err);

/* Holds a seat in collective session session_id of org_id for a user at
 * now: its motif online, the session to come within the motif's delays,
 * a seat left once the participants and the other live holds are
 * counted. Confirmed as a slot's hold is (svc_appt_confirm), which then
 * joins the session. */
int svc_appt_hold_session(const struct svc *s, const char *org_id,
    int64_t session_id, int64_t now, char token[APPT_HOLD_TOKEN],
    int64_t *expires_at, struct appt_error *err);

/* Calls fn for each session of collective motif_id of org_id (online)
 * a user may join: to come, at place_id (0: any), starting in [from, to)
 * and within the motif's delays at now, earliest first; its
 * participants count the seats held. APPT_OK, a refusal (err set), -1. */
int svc_appt_sessions_open(const struct svc *s, const char *org_id,
    int64_t motif_id, int64_t place_id, int64_t from, int64_t to, int64_t now,
    store_appt_fn fn, void *arg, struct appt_error *err);

/* Reads the hold of token (expired or not) into *h, on c. Returns 0, 1
 * when there is none, or -1. */
int svc_appt_hold_find_in(const struct svc *s, struct store_conn *c,
    const char *token, struct store_appt_hold *h);

/*
 * Confirms the hold of token for account_id (a user signed in) at now, in
 * one transaction: the user's record in the hold's organisation (linked
 * to the account; created from in when there is none, « nouvel usager »
 * by the user), the relatives among relatives (n, of that record) with
 * them, every check of a booking by a user again, the hold gone.
 * APPT_RESERVATION_EXPIREE when the hold expired or is unknown. *id
 * receives the appointment.
 */
int svc_appt_confirm(const struct svc *s, const struct svc_actor *who,
    const char *token, const struct svc_appt_user_in *in,
    const int64_t *relatives, size_t n, int64_t now, int64_t *id,
    struct appt_error *err);

/*
 * The record of actor's account in org_id (a responsible user, linked to
 * the account) into *id, on c in the caller's transaction; created from
 * in when there is none (« nouvel usager » by the user, audited), and
 * PARAMETRE_INVALIDE on "user" when in is NULL then. APPT_OK, an error
 * code with err set, or -1.
 */
int svc_appt_account_record(const struct svc *s, struct store_conn *c,
    const struct svc_actor *actor, const char *org_id,
    const struct svc_appt_user_in *in, int64_t now, int64_t *id,
    struct appt_error *err);

/* Calls fn for each appointment of the records of account_id (latest
 * first). Returns 0 or -1. */
int svc_appt_of_account(const struct svc *s, const char *account_id,
    store_appt_fn fn, void *arg);

/* Cancels (annule_usager) appointment id of one of account_id's records
 * at now, up to the motif's deadline. */
int svc_appt_cancel_own(const struct svc *s, const struct svc_actor *who,
    int64_t id, int64_t now, struct appt_error *err);

/*
 * Moves appointment id, of one of account_id's records or of a relative
 * of one, to start_at at now, as that user: the motif online and
 * individual, up to the motif's deadline (MODIFICATION_TROP_TARDIVE),
 * within its delays, and every check of a booking by a user on the new
 * time. One transaction, audited, notified as an agent's move.
 */
int svc_appt_move_own(const struct svc *s, const struct svc_actor *who,
    int64_t id, int64_t start_at, int64_t now, struct appt_error *err);

/*
 * The user's relatives, from their account. A "family" is one of
 * account_id's own records (a responsible user of an organisation) and
 * the relatives of that record.
 *
 * svc_appt_families calls fn for each own record (responsible_id 0),
 * then for each of its relatives, opened (erased ones left out), with
 * the name of the record's organisation. Returns 0, fn's non-zero
 * result, or -1.
 */
typedef int (*svc_appt_family_fn)(void *arg, const struct svc_appt_user *u,
    const char *org_name);
int svc_appt_families(const struct svc *s, const char *account_id,
    svc_appt_family_fn fn, void *arg);

/* What a user sets of a relative's record; the rest (address, CAF
 * number, family situation, children, notes) is the service's. */
int svc_appt_relative_field_own(enum appt_user_field f);

/*
 * Adds a relative (fields in, checked as an agent's creation) to
 * responsible_id, one of account_id's own records, in that record's
 * organisation; *id receives it. APPT_USAGER_INCONNU (field
 * responsible_id) when the record is not the account's own. One
 * transaction, audited.
 */
int svc_appt_relative_add_own(const struct svc *s, const struct svc_actor *who,
    int64_t responsible_id, const struct svc_appt_user_in *in, int64_t now,
    int64_t *id, struct appt_error *err);

/*
 * Replaces the fields a user sets (svc_appt_relative_field_own) of
 * relative id of one of account_id's own records with in, the others
 * kept; as svc_appt_user_update otherwise. APPT_PROCHE_INCONNU when id
 * is no relative of theirs.
 */
int svc_appt_relative_update_own(const struct svc *s,
    const struct svc_actor *who, int64_t id, const struct svc_appt_user_in *in,
    int64_t now, struct appt_error *err);

/* Deletes the holds expired at now; *n receives how many. Returns 0 or
 * -1 (the hold-expiry job). */
int svc_appt_holds_expire(const struct svc *s, int64_t now, long *n);

#endif
