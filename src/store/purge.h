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

#endif
