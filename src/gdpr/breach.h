/*
 * breach.h - the breach register (GDPR Art. 33-34, PRIVACY.md section 4).
 *
 * Every incident, notified or not, is kept forever with its facts (the
 * Art. 33(3) items), its effects and its remedies; nothing here deletes
 * one. Opening an incident starts the 72-hour clock of Art. 33(1):
 * breach_clock() says how many hours are left, or how late it is, and
 * whether the CNIL was notified and the people informed. A decision not
 * to notify (risk unlikely: the Art. 33(1) exception) is recorded with its
 * reason. The CNIL notification and, when the risk is high, the notice to
 * the people affected (Art. 34(2)) are pure functions over the struct.
 *
 * The free-text facts may hold personal data: they are sealed in one
 * column under the system key "system:breach". Each change is audited in
 * the transaction that makes it.
 */
#ifndef CRENEAU_BREACH_H
#define CRENEAU_BREACH_H

#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"
#include "core/buf.h"
#include "store/breach.h"

#define BREACH_KEY_OWNER "system:breach"
#define BREACH_TEXT_MAX 2000 /* bytes of one free-text fact */
#define BREACH_COUNT_MAX 1000000000000LL /* people or records */
#define BREACH_DEADLINE_MS (72LL * 3600 * 1000) /* Art. 33(1) */
#define BREACH_HOUR_MS (3600LL * 1000)
#define BREACH_FUTURE_SLACK_MS (5LL * 60 * 1000) /* clock skew allowed */
#define BREACH_TEXT_OUT_MAX (64 * 1024) /* ceiling of a generated text */
#define BREACH_WHY_MAX 256

/* The free-text facts, in the order of Art. 33(3). */
enum breach_text {
	BT_NATURE,
	BT_PEOPLE_CATEGORIES,
	BT_RECORD_CATEGORIES,
	BT_CONSEQUENCES,
	BT_MEASURES,
	BT_CONTACT,
	BT_NO_NOTIFY_REASON, /* why the CNIL is not notified, "" if it is */
	BT_COUNT
};

/* One incident, in clear. Times are milliseconds since the epoch; 0 in
 * notified_at or people_informed_at means not yet. */
struct breach {
	char id[STORE_ID_MAX]; /* 32 hex digits */
	char org_id[STORE_ID_MAX];
	char opened_by[STORE_ID_MAX];
	int64_t created_at, updated_at, discovered_at;
	int high_risk; /* 1 high, 0 low */
	int64_t people_count, records_count; /* approximate numbers */
	int64_t notified_at, people_informed_at;
	char text[BT_COUNT][BREACH_TEXT_MAX + 1];
};

/* Where an incident stands against the 72-hour clock. */
enum breach_state {
	BREACH_PENDING, /* not notified, deadline not passed */
	BREACH_OVERDUE, /* not notified, deadline passed */
	BREACH_NOTIFIED, /* the CNIL was notified */
	BREACH_NOT_NOTIFIED, /* decision not to notify, reason recorded */
};

struct breach_clock {
	int64_t deadline_ms; /* discovered_at + 72 h */
	int64_t remaining_ms; /* deadline - now; negative once passed */
	int64_t hours_left; /* whole hours left (0 in the last hour) */
	int64_t hours_overdue; /* started hours past the deadline, or 0 */
	int overdue; /* now is past the deadline */
	int notified_late; /* notified after the deadline */
	enum breach_state state;
};

/* A change to an incident; what is left as set by breach_change_init()
 * stays as it was. */
struct breach_change {
	const char *text[BT_COUNT]; /* NULL: unchanged */
	int64_t discovered_at; /* 0: unchanged */
	int high_risk; /* -1: unchanged */
	int64_t people_count, records_count; /* -1: unchanged */
	int notified; /* 1: mark the CNIL notified now (kept if already) */
	int informed; /* 1: mark the people informed now (kept if already) */
};

/* The wire name of a text fact ("nature"), or NULL. A static string. */
const char *breach_text_name(enum breach_text t);

/* The wire name of a state ("pending", "overdue"...). A static string. */
const char *breach_state_name(enum breach_state s);

/* Clears b (all texts empty, no times). */
void breach_init(struct breach *b);

/* Makes ch change nothing. */
void breach_change_init(struct breach_change *ch);

/*
 * Checks that b is complete and coherent at now_ms: every Art. 33(3)
 * text present, counts between 0 and BREACH_COUNT_MAX, discovered_at set
 * and not in the future, and a decision not to notify only with a low
 * risk, a reason and no notification. Returns 0, or -1 with a French
 * reason naming the field in why.
 */
int breach_check(const struct breach *b, int64_t now_ms, char *why,
    size_t whylen);

/* Computes where b stands at now_ms into out. Never fails. */
void breach_clock(const struct breach *b, int64_t now_ms,
    struct breach_clock *out);

/*
 * Applies ch to b (texts copied; "notified" and "informed" take now_ms
 * unless already set). Writes the comma-separated names of what changed
 * into changed (may end empty). Returns 0, or -1 with a French reason in
 * why when a text is too long. Does not check the result: call
 * breach_check().
 */
int breach_apply(struct breach *b, const struct breach_change *ch,
    int64_t now_ms, char *changed, size_t changedlen, char *why, size_t whylen);

/*
 * Writes the French text of the notification to the CNIL (Art. 33(3):
 * nature with the categories and approximate numbers of people and
 * records, contact point, likely consequences, measures) into out.
 * Returns 0, or -1 if an item is empty or out's ceiling is reached.
 */
int breach_cnil_text(const struct breach *b, struct buf *out);

/*
 * Writes the plain-language French notice to the people affected (Art.
 * 34(2)) into out. Returns 0, 1 when the risk is low (no notice is due:
 * French reason in why), or -1 if an item is empty or out is too small.
 */
int breach_notice_text(const struct breach *b, struct buf *out, char *why,
    size_t whylen);

/*
 * Opens b as a new incident of b->org_id by actor at now_ms: checks it,
 * gives it an id (written into b->id), seals its texts, stores it and
 * audits "breach.open" in the same transaction. Returns 0, 1 when
 * refused (French reason in why), or -1.
 */
int breach_open(const struct auth *a, const char *actor, struct breach *b,
    int64_t now_ms, char *why, size_t whylen);

/*
 * Reads incident id into out (texts opened). Returns 0, 1 if there is
 * none, or -1. The caller wipes out with breach_clear().
 */
int breach_get(const struct auth *a, const char *id, struct breach *out);

/*
 * Changes incident id of org_id by ch at now_ms, checks the result,
 * stores it and audits "breach.update" with the names of what changed,
 * in one transaction; out (may be NULL) receives the result. Returns 0,
 * 1 if there is no such incident in org_id, 2 when refused (French reason
 * in why), or -1.
 */
int breach_update(const struct auth *a, const char *actor, const char *org_id,
    const char *id, const struct breach_change *ch, int64_t now_ms,
    struct breach *out, char *why, size_t whylen);

/* Called per incident; b is borrowed. Returns 0 to go on. */
typedef int (*breach_fn)(void *arg, const struct breach *b);

/* Calls fn for every incident of org_id, newest discovery first.
 * Returns 0 or -1. */
int breach_list(const struct auth *a, const char *org_id, breach_fn fn,
    void *arg);

/* Wipes b (its texts may hold personal data). */
void breach_clear(struct breach *b);

#endif
