/*
 * app.h - what every handler can reach: the application context.
 *
 * One struct app lives for the life of the process (or of a test); the
 * HTTP server hands it to handlers as req->app.
 */
#ifndef CRENEAU_APP_H
#define CRENEAU_APP_H

#include <stdatomic.h>

#include "appkeys.h"
#include "auth/auth.h"
#include "auth/ratelimit.h"
#include "booking/config.h"
#include "core/clock.h"
#include "core/config.h"
#include "dossiers/dossier.h"
#include "gdpr/datamap.h"
#include "store/store.h"

struct remote;

#define CRENEAU_VERSION "0.1.0"

struct app {
	const struct config *cfg;
	struct store *store;
	struct clock *clock;
	struct app_keys keys;
	struct auth auth; /* store, keystore and audit key, for src/auth/ */
	struct datamap *datamap; /* validated at start-up */
	struct booking_rules rules; /* RULES.md numbers, from [booking] */
	struct dossier_rules dossiers; /* from [dossiers] */
	/* The school-side API's calls per minute ([ratelimit]); NULL: none
	 * (tests that build an app by hand). */
	struct ratelimit *ratelimit;
	/* Remote mode ([authority] mode = remote): the authority the
	 * schools here book through (src/remote/). NULL: Créneau is the
	 * authority. */
	struct remote *remote;
	atomic_int ready; /* 1 once serving, 0 again when shutting down */
};

#endif
