/*
 * retention.h - the retention engine: applies the retention rules of the
 * data map (config/datamap.ini, [retention:*]) to the data that exists.
 *
 * A module declares how one of its rules is applied by adding one line to
 * the registry (retention_purgers, src/gdpr/retention.c): the rule id, the
 * categories of data it removes, a short name, and a purger function.
 * retention_run() walks the rules of the map: a rule with purgers gets its
 * cutoff (now minus the rule's duration, months in calendar arithmetic,
 * UTC) and each purger runs in a transaction of its own; a legal hold is
 * reported as held; a rule with no purger yet is reported as not
 * applicable (its module is not present), never skipped silently. The run
 * ends with a purge report row and a "retention.run" audit entry, in one
 * transaction. Counts only: a report never holds the data.
 */
#ifndef CRENEAU_RETENTION_H
#define CRENEAU_RETENTION_H

#include <stddef.h>
#include <stdint.h>

#include "appkeys.h"
#include "auth/auth.h"
#include "core/clock.h"
#include "gdpr/datamap.h"

#define RETENTION_MAX_PURGERS 64 /* a run's report holds every purger */
#define RETENTION_MAX_CATEGORIES 6 /* categories one purger removes */

/* What purgers need. Borrowed: the caller keeps them alive. */
struct retention_purge_result;

struct retention_ctx {
	struct store *st;
	const struct auth *auth; /* store, keystore, system:audit key */
	const struct app_keys *keys; /* system:audit key, signing key */
	long audit_retention_days; /* [audit] retention_days; 0: the map's */
	int simulated; /* now is not the real time: recorded as such */
	struct clock *clock; /* for finished_at; NULL: finished at now */
	/* The purger running, set by retention_run: a purger that warns or
	 * keeps records on purpose says so there (warned, skipped). */
	struct retention_purge_result *current;
};

/*
 * A purger applies (a part of) rule at now_ms. *cutoff_ms holds the rule's
 * cutoff (now minus its duration); a purger that applies its own horizon
 * (a shorter one, or a configured one) writes it back, so the report
 * shows what was applied. Returns how many records it removed, or -1.
 */
typedef long (*retention_fn)(const struct retention_ctx *ctx,
    const struct datamap_retention *rule, int64_t now_ms, int64_t *cutoff_ms);

struct retention_purger {
	const char *rule; /* a [retention:<id>] of the data map */
	const char *categories[RETENTION_MAX_CATEGORIES]; /* NULL-ended */
	const char *what; /* "connection journal": for the report */
	retention_fn fn; /* NULL: this part of the rule is not built yet */
};

extern const struct retention_purger retention_purgers[];
extern const size_t retention_purgers_count;

enum retention_status {
	RETENTION_APPLIED, /* every purger of the rule ran */
	RETENTION_PARTIAL, /* some parts of the rule have no purger yet */
	RETENTION_NOT_YET, /* no purger: module not present */
	RETENTION_HELD, /* legal hold: kept, never purged here */
	RETENTION_FAILED, /* a purger failed */
};

/* One rule of the map, as the run treated it. */
struct retention_rule_result {
	const char *rule; /* borrowed from the map */
	enum retention_status status;
	int64_t cutoff_ms; /* the rule's cutoff, 0 when not computed */
	long removed;
};

/* One purger, as it ran. */
struct retention_purge_result {
	const struct retention_purger *purger;
	int64_t cutoff_ms; /* what it applied */
	long removed; /* -1: failed, 0 when it did not run */
	int ran;
	long warned; /* people warned of a coming deletion */
	long skipped; /* records due but kept on purpose... */
	const char *skipped_why; /* ...and why (static text), or NULL */
};

struct retention_category_count {
	const char *category; /* borrowed from the registry */
	long removed;
};

/* What a run did. Strings are borrowed from the map and the registry. */
struct retention_report {
	int64_t started_ms, finished_ms;
	int simulated;
	struct retention_rule_result rules[DATAMAP_MAX_RETENTIONS];
	size_t nrules;
	struct retention_purge_result purges[RETENTION_MAX_PURGERS];
	size_t npurges;
	struct retention_category_count categories[DATAMAP_MAX_CATEGORIES];
	size_t ncategories;
	long total; /* records removed in all */
	int failures; /* purgers that failed, or rules missing from the map */
	int64_t report_id; /* the purge_reports row, 0 if not written */
};

/*
 * Applies every rule of map at now_ms (see the top of this file) and
 * fills rep. Purgers whose rule the map does not declare do not run and
 * count as failures. Then writes the purge report and its audit entry in
 * one transaction. Idempotent: a second run at the same now removes
 * nothing more (and writes its own report). Returns 0 when every purger
 * ran and the report was written, -1 otherwise (rep still says what
 * happened; a failed purger does not stop the others).
 */
int retention_run(struct retention_ctx *ctx, const struct datamap *map,
    int64_t now_ms, struct retention_report *rep);

/*
 * Returns the cutoff of duration d at now_ms: now minus d's days, or d's
 * calendar months (UTC date, same time of day, the day clamped to the end
 * of a shorter month). Pure.
 */
int64_t retention_cutoff(const struct datamap_duration *d, int64_t now_ms);

/* The report's word for a status ("applied", "held"...). Static. */
const char *retention_status_name(enum retention_status s);

/*
 * Returns rep as JSON text (counts per rule, purger and category; times;
 * never any data), to release with free(), or NULL on allocation failure.
 */
char *retention_report_json(const struct retention_report *rep);

#endif
