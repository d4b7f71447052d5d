/*
 * scheduler.h - background jobs run at intervals on one thread.
 *
 * Jobs register a name, an interval and a function. The scheduler reads
 * time from a struct clock, so tests drive it with a simulated clock and
 * scheduler_run_due() instead of waiting. When a store is given, each run
 * is recorded there and a restart resumes the schedule instead of running
 * every job again at once.
 */
#ifndef CRENEAU_SCHEDULER_H
#define CRENEAU_SCHEDULER_H

#include <stdint.h>

#include "core/clock.h"
#include "store/store.h"

/* A job: returns 0 on success, -1 on failure (it logs why). now_ms is the
 * scheduler's clock at the start of the run. */
typedef int (*job_fn)(void *arg, int64_t now_ms);

struct scheduler;

/* Returns a scheduler reading clk; st may be NULL (runs kept in memory).
 * NULL on allocation failure. */
struct scheduler *scheduler_new(struct clock *clk, struct store *st);

/*
 * Registers a job run every interval_ms. Its first run is due one interval
 * after its last recorded start, or at once if it never ran. Returns 0, or
 * -1 when the name is empty, too long, taken, or the table is full.
 * Register before scheduler_start().
 */
int scheduler_add(struct scheduler *s, const char *name, int64_t interval_ms,
    job_fn fn, void *arg);

/* Runs every job that is due now, in registration order. Returns how many
 * ran. Used by the thread and directly by tests. */
int scheduler_run_due(struct scheduler *s);

/* Returns how many times job name has run since scheduler_new, or -1. */
long scheduler_runs(struct scheduler *s, const char *name);

/* Starts the thread. Returns 0 or -1. */
int scheduler_start(struct scheduler *s);

/* Makes the thread look at the clock now (after a simulated jump). */
void scheduler_wake(struct scheduler *s);

/* Stops the thread, letting a running job finish. Safe without start. */
void scheduler_stop(struct scheduler *s);

/* Stops and frees. NULL does nothing. */
void scheduler_free(struct scheduler *s);

#endif
