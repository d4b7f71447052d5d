/*
 * appt_structure.h (store) - the organisation side of appointments
 * (migration 14): services, places, agents, motifs, opening hours
 * (plages) with their motifs and exception days, and agents' absences.
 *
 * Every record belongs to one organisation (organisations.kind
 * 'service'); every read and write names it, and a record of another
 * organisation is answered as missing, so that scope cannot be probed.
 * Ids are integers given by the store (as for centres and slots); an
 * agent is named by its account id. Days are local dates in
 * Europe/Paris (days since 1970-01-01), times minutes from local
 * midnight (appointments/appt_time.h).
 *
 * Conventions of store/identity.h: c is the caller's connection, 0 on
 * success, 1 when a looked-up row is missing (or out of the
 * organisation), -1 on a database failure.
 */
#ifndef CRENEAU_STORE_APPT_STRUCTURE_H
#define CRENEAU_STORE_APPT_STRUCTURE_H

#include <stddef.h>
#include <stdint.h>

#include "store/identity.h"
#include "store/store.h"

struct store_conn;

#define APPT_NAME_MAX 121 /* 120 bytes and the NUL */
#define APPT_ADDRESS_MAX 241
#define APPT_PHONE_MAX 33
#define APPT_NOTES_MAX 1001
#define APPT_INSTRUCTIONS_MAX 2001
#define APPT_MOTIF_LOCATION_MAX 8 /* "place", "phone", "home" */
#define APPT_AGENT_SERVICES_MAX 16 /* services of one agent */
#define APPT_PLAGE_MOTIFS_MAX 32 /* motifs of one plage */
#define APPT_PLAGE_EXCEPTIONS_MAX 366 /* exception days of one plage */
#define APPT_DAY_NONE INT64_MAX /* last_day of an open-ended plage */

struct store_appt_service {
	int64_t id;
	char org_id[STORE_ID_MAX];
	char name[APPT_NAME_MAX];
	int64_t created_at;
	int64_t archived_at; /* 0: live */
};

struct store_appt_place {
	int64_t id;
	char org_id[STORE_ID_MAX];
	char name[APPT_NAME_MAX];
	char address[APPT_ADDRESS_MAX];
	char phone[APPT_PHONE_MAX];
	char opening_notes[APPT_NOTES_MAX];
	int rooms; /* appointments it hosts at once; 0: no limit */
	int64_t created_at;
	int64_t archived_at;
};

struct store_appt_agent {
	char account_id[STORE_ID_MAX];
	char org_id[STORE_ID_MAX];
	int64_t created_at;
	int64_t archived_at;
	int64_t services[APPT_AGENT_SERVICES_MAX]; /* increasing ids */
	size_t n_services;
};

struct store_appt_motif {
	int64_t id;
	char org_id[STORE_ID_MAX];
	int64_t service_id;
	char name[APPT_NAME_MAX];
	int duration_min;
	char location_type[APPT_MOTIF_LOCATION_MAX];
	int online; /* users may book it online */
	int64_t min_delay_min, max_delay_min;
	int collective;
	int capacity; /* 1 for an individual motif */
	int64_t cancel_deadline_min;
	int64_t reminder_before_min;
	char instructions[APPT_INSTRUCTIONS_MAX];
	int64_t created_at;
	int64_t archived_at;
};

/* A weekly recurrence, as an opening plage or a recurring absence. */
struct store_appt_recur {
	int64_t first_day;
	int64_t last_day; /* APPT_DAY_NONE: no end */
	int every_weeks; /* absences: 0 for a one-off absence */
	unsigned weekdays; /* bit 0 Monday .. bit 6 Sunday; 0 one-off */
	int start_min, end_min;
};

struct store_appt_plage {
	int64_t id;
	char org_id[STORE_ID_MAX];
	char agent_id[STORE_ID_MAX];
	int64_t place_id; /* 0: none (phone or home motifs only) */
	char name[APPT_NAME_MAX];
	struct store_appt_recur r;
	int64_t created_at;
	int64_t archived_at;
	int64_t motifs[APPT_PLAGE_MOTIFS_MAX]; /* increasing ids */
	size_t n_motifs;
	int64_t exceptions[APPT_PLAGE_EXCEPTIONS_MAX]; /* increasing days */
	size_t n_exceptions;
};

/*
 * An absence: one-off (r.every_weeks 0: from r.start_min of r.first_day
 * to r.end_min of r.last_day) or weekly like a plage.
 */
struct store_appt_absence {
	int64_t id;
	char org_id[STORE_ID_MAX];
	char agent_id[STORE_ID_MAX];
	struct store_appt_recur r;
	int64_t created_at;
	int64_t archived_at;
};

/* What a list returns: live records only, or archived ones too. */
struct store_appt_filter {
	int archived; /* 1: archived records too */
	const char *agent_id; /* plages and absences: this agent; NULL all */
	int64_t service_id; /* motifs: this service; 0 all */
};

/* The kinds of records, for store_appt_archive. */
enum store_appt_kind {
	STORE_APPT_SERVICE,
	STORE_APPT_PLACE,
	STORE_APPT_AGENT,
	STORE_APPT_MOTIF,
	STORE_APPT_PLAGE,
	STORE_APPT_ABSENCE,
};

/*
 * Sets archived_at of record id (kind; for an agent, account id) of org
 * to now if it is live. Returns 0 (also when it already was archived:
 * nothing is written then, and *was_live is 0), 1 when there is no such
 * record in org, or -1. was_live may be NULL.
 */
int store_appt_archive(struct store *st, struct store_conn *c,
    enum store_appt_kind kind, const char *org_id, int64_t id,
    const char *account_id, int64_t now, int *was_live);

/* Services. Insert sets s->id; returns 0, 1 when org already has a
 * service of that name, or -1. Update writes the name (0, 1 missing, 2
 * name taken, -1). */
int store_appt_service_insert(struct store *st, struct store_conn *c,
    struct store_appt_service *s, int64_t now);
int store_appt_service_update(struct store *st, struct store_conn *c,
    const struct store_appt_service *s);
int store_appt_service_get(struct store *st, struct store_conn *c,
    const char *org_id, int64_t id, struct store_appt_service *out);
typedef int (
    *store_appt_service_fn)(void *arg, const struct store_appt_service *s);
int store_appt_services_list(struct store *st, struct store_conn *c,
    const char *org_id, const struct store_appt_filter *f,
    store_appt_service_fn fn, void *arg);

/* Places: as services (name unique in the organisation). */
int store_appt_place_insert(struct store *st, struct store_conn *c,
    struct store_appt_place *p, int64_t now);
int store_appt_place_update(struct store *st, struct store_conn *c,
    const struct store_appt_place *p);
int store_appt_place_get(struct store *st, struct store_conn *c,
    const char *org_id, int64_t id, struct store_appt_place *out);
typedef int (*store_appt_place_fn)(void *arg, const struct store_appt_place *p);
int store_appt_places_list(struct store *st, struct store_conn *c,
    const char *org_id, const struct store_appt_filter *f,
    store_appt_place_fn fn, void *arg);

/*
 * Whether account_id is an active account of org holding the role agent
 * or agent_admin there. Returns 1 yes, 0 no, -1 on failure.
 */
int store_appt_account_is_agent(struct store *st, struct store_conn *c,
    const char *org_id, const char *account_id);

/*
 * Attaches account a->account_id to org as an agent with a's services
 * (replacing its services; an archived agent becomes live again).
 * Returns 0, or -1. The caller checked the account and the services.
 */
int store_appt_agent_put(struct store *st, struct store_conn *c,
    const struct store_appt_agent *a, int64_t now);
/* Reads agent account_id of org_id (NULL: of any organisation, for the
 * agent's own export) with its services. Returns 0, 1, or -1. */
int store_appt_agent_get(struct store *st, struct store_conn *c,
    const char *org_id, const char *account_id, struct store_appt_agent *out);
typedef int (*store_appt_agent_fn)(void *arg, const struct store_appt_agent *a);
int store_appt_agents_list(struct store *st, struct store_conn *c,
    const char *org_id, const struct store_appt_filter *f,
    store_appt_agent_fn fn, void *arg);

/* Motifs: insert sets m->id; returns 0, 1 when a live motif of that name
 * and location type exists in that service, or -1. Update: 0, 1
 * missing, 2 name taken, -1. */
int store_appt_motif_insert(struct store *st, struct store_conn *c,
    struct store_appt_motif *m, int64_t now);
int store_appt_motif_update(struct store *st, struct store_conn *c,
    const struct store_appt_motif *m);
int store_appt_motif_get(struct store *st, struct store_conn *c,
    const char *org_id, int64_t id, struct store_appt_motif *out);
typedef int (*store_appt_motif_fn)(void *arg, const struct store_appt_motif *m);
int store_appt_motifs_list(struct store *st, struct store_conn *c,
    const char *org_id, const struct store_appt_filter *f,
    store_appt_motif_fn fn, void *arg);

/* Plages with their motifs and exception days (replaced as a whole on
 * update). Insert sets p->id. Returns 0, 1 (update: missing), or -1. */
int store_appt_plage_insert(struct store *st, struct store_conn *c,
    struct store_appt_plage *p, int64_t now);
int store_appt_plage_update(struct store *st, struct store_conn *c,
    const struct store_appt_plage *p);
int store_appt_plage_get(struct store *st, struct store_conn *c,
    const char *org_id, int64_t id, struct store_appt_plage *out);
typedef int (*store_appt_plage_fn)(void *arg, const struct store_appt_plage *p);
int store_appt_plages_list(struct store *st, struct store_conn *c,
    const char *org_id, const struct store_appt_filter *f,
    store_appt_plage_fn fn, void *arg);

/* Absences. Insert sets a->id. Returns 0, 1 (update: missing), or -1. */
int store_appt_absence_insert(struct store *st, struct store_conn *c,
    struct store_appt_absence *a, int64_t now);
int store_appt_absence_update(struct store *st, struct store_conn *c,
    const struct store_appt_absence *a);
int store_appt_absence_get(struct store *st, struct store_conn *c,
    const char *org_id, int64_t id, struct store_appt_absence *out);
typedef int (
    *store_appt_absence_fn)(void *arg, const struct store_appt_absence *a);
int store_appt_absences_list(struct store *st, struct store_conn *c,
    const char *org_id, const struct store_appt_filter *f,
    store_appt_absence_fn fn, void *arg);

/*
 * Whether org has a live service, place or motif id (kind
 * STORE_APPT_SERVICE, _PLACE or _MOTIF). Returns 1 yes, 0 no, -1.
 */
int store_appt_live(struct store *st, struct store_conn *c,
    enum store_appt_kind kind, const char *org_id, int64_t id);

#endif
