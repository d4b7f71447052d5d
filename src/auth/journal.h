/*
 * journal.h - the connection journal: one entry per login attempt,
 * second-factor attempt and logout, kept JOURNAL_RETENTION_MS (12 months).
 *
 * The IP address and the user agent of an entry are sealed under the
 * account's data key ("subject:<id>", so erasing the person shreds them),
 * or under "system:journal" when the attempt named no known account; the
 * key_owner column says which.
 */
#ifndef CRENEAU_JOURNAL_H
#define CRENEAU_JOURNAL_H

#include <stdint.h>

#include "auth/auth.h"

/* Events, as stored. */
#define JOURNAL_LOGIN "login"
#define JOURNAL_FAILURE "failure"
#define JOURNAL_LOCKED "locked"
#define JOURNAL_MFA_SUCCESS "mfa_success"
#define JOURNAL_MFA_FAILURE "mfa_failure"
#define JOURNAL_LOGOUT "logout"

/* User agents are journaled and kept with sessions up to this many
 * bytes; the rest is dropped. */
#define JOURNAL_UA_MAX 512
#define JOURNAL_IP_MAX 64

/*
 * Inside the caller's write transaction c: appends an entry for event at
 * now. account_id and org_id may be NULL (unknown account; ip and
 * user_agent are then sealed under system:journal); ip and user_agent
 * may be NULL. Returns 0 or -1 (the caller rolls back).
 */
int journal_record(const struct auth *a, struct store_conn *c,
    const char *account_id, const char *org_id, const char *event,
    const char *ip, const char *user_agent, int64_t now);

/* One entry as read back. Strings are borrowed for the callback's
 * duration; ip and user_agent are NULL when absent or no longer readable
 * (the person's key was destroyed). */
struct journal_entry {
	int64_t id;
	int64_t at;
	const char *account_id; /* "" for an unknown account */
	const char *org_id;
	const char *event;
	const char *ip;
	const char *user_agent;
};

/* Called for each entry; return 0 to go on. */
typedef int (*journal_fn)(void *arg, const struct journal_entry *e);

/*
 * Calls fn for the entries of org_id (NULL: all of them) with
 * from <= at < to, newest first, at most limit (<= 0: all), with ip and
 * user agent opened. Returns 0 or -1.
 */
int journal_list(const struct auth *a, const char *org_id, int64_t from,
    int64_t to, long limit, journal_fn fn, void *arg);

/*
 * Retention: deletes the entries older than JOURNAL_RETENTION_MS at now,
 * in one transaction. Returns how many, or -1.
 */
long journal_purge(const struct auth *a, int64_t now);

/*
 * Retention as the data map states it: deletes the entries recorded
 * before cutoff, in one transaction. Returns how many, or -1.
 */
long journal_purge_before(const struct auth *a, int64_t cutoff);

#endif
