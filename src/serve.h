/* serve.h - `creneau serve`: start, serve until a signal, stop cleanly. */
#ifndef CRENEAU_SERVE_H
#define CRENEAU_SERVE_H

#include "core/config.h"

/*
 * Opens the store, applies migrations, starts the jobs and the HTTP server,
 * then waits for SIGTERM or SIGINT and shuts down in order: stop accepting,
 * let requests in flight finish (up to [http] shutdown_timeout), stop the
 * jobs, close the store. Returns the process exit status.
 */
int serve_run(const struct config *cfg);

#endif
