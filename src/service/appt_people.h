/*
 * appt_people.h - the people's side of appointments (seed 001): users
 * (usagers) and their relatives, appointments booked by agents or by
 * users online, free slots, holds, and what the privacy rules need.
 *
 * Each public function is one transaction (store_tx) and returns an
 * enum appt_code (APPT_OK, a refusal) or -1 for a storage failure. The
 * caller's organisation bounds what an agent sees: a user or an
 * appointment of another organisation is unknown (APPT_USAGER_INCONNU,
 * APPT_RDV_INCONNU).
 */
#ifndef CRENEAU_SVC_APPT_PEOPLE_H
#define CRENEAU_SVC_APPT_PEOPLE_H

#include <stddef.h>
#include <stdint.h>

#include "appointments/appt_codes.h"
#include "appointments/appt_rules.h"
#include "appointments/appt_slots.h"
#include "service/service.h"
#include "store/appt_appointments.h"
#include "store/appt_users.h"

#define APPT_FIELD_MAX 1024 /* bytes of one personal field, NUL included */
#define APPT_USERS_FOUND_MAX 50

/* A user's or relative's fields, in clear (NULL or "": empty). */
struct svc_appt_user_in {
	const char *f[AUF_COUNT];
	/* The reminders choice an agent records for a person without an
	 * account: 0 unchanged, 1 wants them, -1 does not. A record linked
	 * to an account refuses it (the account's consents decide). */
	int reminders;
};

/* A record opened for its reader. */
struct svc_appt_user {
	int64_t id;
	char org_id[STORE_ID_MAX];
	int64_t responsible_id;
	char account_id[STORE_ID_MAX];
	char f[AUF_COUNT][APPT_FIELD_MAX];
	int64_t created_at;
	int64_t updated_at;
	int64_t reminders_at; /* the agent-recorded choice; 0: none */
};

/* Writes "subject:appt_user:<id>" (the owner of the person's key). */
int svc_appt_user_owner(int64_t id, char *out, size_t size);

/*
 * Checks in (required: last_name, first_names; birth_date YYYY-MM-DD,
 * email, phone, children 0..30, family_situation one of
 * svc_appt_family_situations...) and creates the record in who's
 * organisation, a relative of responsible_id when not 0 (a responsible
 * user of the same organisation). account_id (may be NULL) links it at
 * once to the user's own account (online booking). *id receives it.
 * Refusals name the field in *err.
 */
int svc_appt_user_create(const struct svc *s, const struct svc_actor *who,
    const char *org_id, int64_t responsible_id, const char *account_id,
    const struct svc_appt_user_in *in, int64_t now, int64_t *id,
    struct appt_error *err);

/* Checks in as svc_appt_user_create does, naming the first field at
 * fault in *err. APPT_OK or APPT_PARAMETRE_INVALIDE. */
int svc_appt_user_check(const struct svc_appt_user_in *in,
    struct appt_error *err);

/* The blind index of email as records are searched by it. Returns 0 or
 * -1. */
int svc_appt_user_email_index(const struct svc *s, const char *email,
    char out[STORE_INDEX_MAX]);

/* The same inside the caller's transaction on c. */
int svc_appt_user_create_in(const struct svc *s, struct store_conn *c,
    const struct svc_actor *who, const char *org_id, int64_t responsible_id,
    const char *account_id, const struct svc_appt_user_in *in, int64_t now,
    int64_t *id, struct appt_error *err);

/*
 * Replaces every field of record id of org_id (NULL: the record's own
 * organisation, for its user) with in, checked as on creation (the field
 * at fault named in *err), sealed again under the person's key with its
 * blind indexes recomputed; an empty field is emptied. Audited
 * (appt_user.update, the names of the fields changed, never their
 * values). APPT_USAGER_INCONNU when absent, erased or of another
 * organisation. The relative link and the account link stay.
 */
int svc_appt_user_update(const struct svc *s, const struct svc_actor *who,
    const char *org_id, int64_t id, const struct svc_appt_user_in *in,
    int64_t now, struct appt_error *err);

/* The same inside the caller's transaction on c. */
int svc_appt_user_update_in(const struct svc *s, struct store_conn *c,
    const struct svc_actor *who, const char *org_id, int64_t id,
    const struct svc_appt_user_in *in, int64_t now, struct appt_error *err);

/* Opens record id for org_id (NULL: any organisation, for the user's own
 * export) into *out. APPT_USAGER_INCONNU when absent, erased or of
 * another organisation. */
int svc_appt_user_get(const struct svc *s, const char *org_id, int64_t id,
    struct svc_appt_user *out);

/* The same on the caller's connection c, inside its transaction. */
int svc_appt_user_open(const struct svc *s, struct store_conn *c,
    const char *org_id, int64_t id, struct svc_appt_user *out);

/*
 * Finds org_id's records by last name and birth date (birth_date may be
 * "" when the record has none), by email or by phone (one of them, the
 * others NULL), through their blind indexes. Up to max ids into ids.
 */
int svc_appt_user_search(const struct svc *s, const char *org_id,
    const char *last_name, const char *birth_date, const char *email,
    const char *phone, int64_t *ids, size_t max, size_t *n);

/* The relatives of responsible_id of org_id (max ids). */
int svc_appt_user_relatives(const struct svc *s, const char *org_id,
    int64_t responsible_id, int64_t *ids, size_t max, size_t *n);

/* Called with each appointment of a user's file and the record (the user
 * or one of their relatives) taking part in it; return 0 to go on. */
typedef int (*svc_appt_file_fn)(void *arg, int64_t user_id,
    const struct store_appt_listed *a);

/*
 * The appointments of user_id of org_id and of their relatives, each
 * record's latest first (at most 200 a record): what an agent opens a
 * user's file for. One read transaction. Returns APPT_OK,
 * APPT_USAGER_INCONNU (another organisation's included) or -1.
 */
int svc_appt_user_file(const struct svc *s, const char *org_id, int64_t user_id,
    svc_appt_file_fn fn, void *arg);

/* What a booking asks for. */
struct svc_appt_book_in {
	const char *org_id; /* the motif's organisation */
	int64_t motif_id;
	int64_t place_id; /* 0: the motif is by phone or at home */
	const char *agents[APPT_AGENTS_MAX];
	size_t n_agents;
	int64_t users[APPT_PARTICIPANTS_MAX];
	size_t n_users;
	int64_t start_at; /* UTC ms */
	const char *home_address; /* location home: the address, else NULL */
	enum appt_actor actor;
	int64_t join_id; /* collective: the session to join (0: a new one) */
	/* A person booking without an account: the link that cancels this
	 * booking, in their confirmation email instead of « Mes
	 * rendez-vous » (NULL otherwise). */
	const char *manage_url;
};

/*
 * Books in one transaction: the motif (of org_id, not archived; online
 * for a user), the place, each agent (of org_id, opening hours covering
 * the slot at the place for the motif, no absence, no other appointment
 * or hold), each user (of org_id, no other appointment at that time),
 * the delays for a user, the capacity of a collective session. Writes
 * the appointment, its agents and participants, the audit entry and the
 * notices (agents in the application; users with an email by email).
 * *id receives the appointment (for a join, the session's id).
 */
int svc_appt_book(const struct svc *s, const struct svc_actor *who,
    const struct svc_appt_book_in *in, int64_t now, int64_t *id,
    struct appt_error *err);

/* The same inside the caller's transaction on c (online confirmation). */
int svc_appt_book_in_tx(const struct svc *s, struct store_conn *c,
    const struct svc_actor *who, const struct svc_appt_book_in *in, int64_t now,
    int64_t exclude_hold, int64_t *id, struct appt_error *err);

/*
 * Changes the status of appointment id of org_id to status (its stable
 * name) as actor (a user: only annule_usager, up to the motif's
 * deadline, and only for an appointment user_id takes part in). Audited
 * and notified.
 */
int svc_appt_set_status(const struct svc *s, const struct svc_actor *who,
    const char *org_id, enum appt_actor actor, int64_t user_id, int64_t id,
    const char *status, int64_t now, struct appt_error *err);

/*
 * Moves appointment id of org_id to start_at (same motif, place and
 * agents), as actor (a user: only their own, up to the deadline). The
 * new time passes every check of a booking. Audited and notified.
 */
int svc_appt_move(const struct svc *s, const struct svc_actor *who,
    const char *org_id, enum appt_actor actor, int64_t user_id, int64_t id,
    int64_t start_at, int64_t now, struct appt_error *err);

/* Whether agent (of org_id) may take slot for motif m at place_id now:
 * opening hours, absences, other appointments and holds (but
 * exclude_id, exclude_hold). APPT_OK or a refusal (err filled), -1. For
 * the services of this module, inside their transaction on c. */
struct store_appt_motif;
int svc_appt_check_agent(const struct svc *s, struct store_conn *c,
    const char *org_id, const char *agent, const struct store_appt_motif *m,
    int64_t place_id, struct appt_interval slot, int64_t exclude_id,
    int64_t exclude_hold, int64_t now, struct appt_error *err);

/* Whether place_id (of org_id; 0: none) has a room over slot: its
 * appointments and held slots (but exclude_id, exclude_hold) leave one
 * free at every instant, or it has no limit. APPT_OK, APPT_LIEU_COMPLET
 * (err filled, field start_at), or -1. Inside the caller's transaction. */
int svc_appt_check_place_room(const struct svc *s, struct store_conn *c,
    const char *org_id, int64_t place_id, struct appt_interval slot,
    int64_t exclude_id, int64_t exclude_hold, int64_t now,
    struct appt_error *err);

/* Reads appointment id of org_id (NULL: any) into *out, its agents and
 * participants. */
struct svc_appt_view {
	struct store_appt a;
	char agents[APPT_AGENTS_MAX][STORE_ID_MAX];
	size_t n_agents;
	int64_t users[APPT_PARTICIPANTS_MAX];
	size_t n_users;
};
int svc_appt_get(const struct svc *s, const char *org_id, int64_t id,
    struct svc_appt_view *out);

/* Lists org_id's appointments starting in [from, to) (agent_id not NULL:
 * that agent's only). */
int svc_appt_list(const struct svc *s, const char *org_id, const char *agent_id,
    int64_t from, int64_t to, long limit, store_appt_fn fn, void *arg);

/*
 * Free slots of a motif of org_id in [from, to) (93 days at most) seen
 * by actor at now (a user: only online motifs, the motif's delays
 * apply): opening hours of each agent for the motif (at place_id, which
 * a motif at a place needs; by phone or at home, 0), minus absences,
 * appointments and unexpired holds. Fills *out (release with
 * appt_slot_list_free); its agent ids index *agents, the agents' account
 * ids (free() it).
 */
struct appt_slot_list;
int svc_appt_free_slots(const struct svc *s, const char *org_id,
    int64_t motif_id, int64_t place_id, int64_t from, int64_t to,
    enum appt_actor actor, int64_t now, struct appt_slot_list *out,
    char (**agents)[STORE_ID_MAX], struct appt_error *err);

#endif
