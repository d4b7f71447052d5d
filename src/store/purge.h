/* purge.h (store) - the reports of the retention engine's runs. */
#ifndef CRENEAU_STORE_PURGE_H
#define CRENEAU_STORE_PURGE_H

#include <stdint.h>

#include "store/store.h"

struct store_conn;

/*
 * Inside the caller's write transaction c: records a run of the retention
 * engine from started_ms to finished_ms, simulated (1) or not (0), with
 * report, its JSON text (counts only, never data). *id receives the new
 * row's id. Returns 0 or -1.
 */
int store_purge_report_add(struct store *st, struct store_conn *c,
    int64_t started_ms, int64_t finished_ms, int simulated, const char *report,
    int64_t *id);

/* One row of purge_reports, as store_purge_report_list reads it; report
 * (its JSON text) is borrowed for the time of the callback. */
struct store_purge_report {
	int64_t id;
	int64_t started_ms, finished_ms;
	int simulated;
	const char *report;
};

/* Called once per report; return 0 to go on, non-zero to stop. */
typedef int (
    *store_purge_report_fn)(void *arg, const struct store_purge_report *r);

/*
 * On this thread's connection: calls fn for the limit (at least 1) most
 * recent purge reports, newest first (by start time, then id). Returns 0,
 * or -1 on a store error or when fn asked to stop.
 */
int store_purge_report_list(struct store *st, long limit,
    store_purge_report_fn fn, void *arg);

#endif
