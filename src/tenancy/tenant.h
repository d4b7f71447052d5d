/*
 * tenant.h - the rules of a client organisation's life (seed 003): its
 * states and who moves it between them, and what its own admin may set.
 *
 * A tenant is an organisation of the instance. The platform admin
 * suspends it (its people read, nothing is written, nothing is deleted),
 * reactivates it, or terminates it (no more sign-in; its export is
 * prepared and offered for the grace period, then its data is deleted).
 * Its admin keeps its settings within the product's floors: never a
 * weaker password or session rule than the product's, never a retention
 * period outside the range the data map gives. Pure functions.
 */
#ifndef CRENEAU_TENANT_H
#define CRENEAU_TENANT_H

#include <stddef.h>
#include <stdint.h>

enum tenant_state {
	TENANT_ACTIVE,
	TENANT_SUSPENDED,
	TENANT_TERMINATED,
	TENANT_DELETED,
};

enum tenant_action {
	TENANT_SUSPEND,
	TENANT_REACTIVATE,
	TENANT_TERMINATE,
	TENANT_DELETE,
};

/* The wire names ("suspended"), or NULL. */
const char *tenant_state_name(enum tenant_state s);
const char *tenant_action_name(enum tenant_action a);

/* Parses a wire name. Returns 0 or -1. */
int tenant_state_parse(const char *s, enum tenant_state *out);

/*
 * The state action leads to from from: suspend an active tenant,
 * reactivate a suspended one, terminate an active or suspended one,
 * delete a terminated one. Returns 0 with *to set, or -1 when the move
 * is not allowed (see tenant_refusal_text).
 */
int tenant_next(enum tenant_state from, enum tenant_action a,
    enum tenant_state *to);

/*
 * Whether a tenant in state s, to be deleted after delete_after (ms, 0:
 * no date), is due for deletion at now: terminated, with a date, and
 * that date passed. Never an active, suspended or deleted one.
 */
int tenant_deletion_due(enum tenant_state s, int64_t delete_after, int64_t now);

/* A French sentence saying why action a is refused from state from. A
 * static string. */
const char *tenant_refusal_text(enum tenant_state from, enum tenant_action a);

/* The product's floors (SECURITY.md, auth.h): a tenant may be stricter,
 * never weaker. */
#define TENANT_PW_MIN_LENGTH_FLOOR 12
#define TENANT_PW_MIN_LENGTH_MAX 128
#define TENANT_PW_MAX_AGE_DAYS_MAX 183
#define TENANT_PW_MAX_AGE_DAYS_MIN 30
#define TENANT_SESSION_IDLE_MIN_MAX 30
#define TENANT_SESSION_IDLE_MIN_MIN 5
#define TENANT_SESSION_HOURS_MAX 12
#define TENANT_SESSION_HOURS_MIN 1

/* Lengths of the settings' texts, in bytes. */
#define TENANT_NAME_MAX 200
#define TENANT_CONTACT_MAX 500
#define TENANT_SENDER_MAX 100
#define TENANT_SIGNATURE_MAX 1000
#define TENANT_REASON_MAX 1000

/* The password and session policy of a tenant; 0 in a member: the
 * product's own rule. */
struct tenant_policy {
	int64_t password_min_length;
	int64_t password_max_age_days;
	int64_t session_idle_minutes;
	int64_t session_max_hours;
};

/* Why a setting was refused: the field ("session_idle_minutes",
 * "retention.audit_trail") and the rule, in French. */
struct tenant_refusal {
	char field[80];
	char text[320];
};

/* Checks p against the floors. Returns 0, or -1 with r filled. */
int tenant_policy_check(const struct tenant_policy *p,
    struct tenant_refusal *r);

/*
 * Checks one text setting: at most max bytes, no control character but
 * line breaks where multiline is set (a signature), none at all
 * otherwise (a sender name goes into a header). s NULL or "" is allowed
 * (the setting is cleared). Returns 0, or -1 with r filled for field.
 */
int tenant_text_check(const char *field, const char *s, size_t max,
    int multiline, struct tenant_refusal *r);

struct datamap;

/*
 * Checks a retention choice: rule must be a rule of map with a tenant
 * range (tenant_min, tenant_max), and value (in the unit of the rule's
 * duration) within it. Returns 0, or -1 with r filled (field
 * "retention.<rule>").
 */
int tenant_retention_check(const struct datamap *map, const char *rule,
    int64_t value, struct tenant_refusal *r);

/* The effective session lengths under a tenant's policy p (NULL: the
 * product's), in milliseconds: the shorter of the tenant's and the
 * product's (product_ms, the public computer's when it is one). */
int64_t tenant_session_idle_ms(const struct tenant_policy *p,
    int64_t product_ms);
int64_t tenant_session_max_ms(const struct tenant_policy *p,
    int64_t product_ms);

#endif
