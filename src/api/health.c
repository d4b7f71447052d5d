/*
 * health.c - liveness and readiness for load balancers and supervisors.
 *
 * /healthz answers 200 only when the database answers and can take
 * writes: 503 database_unavailable when it does not answer,
 * storage_full when writes find no room, database_damaged when a check
 * met damaged pages. /readyz answers 200 while the server accepts work
 * (not during start-up or shutdown), and says in "writes" whether the
 * store takes writes: a full disk leaves reads working, so a load
 * balancer keeps sending them. Neither takes the write lock, and neither
 * says anything about the data.
 */
#include "api/api.h"
#include "app.h"
#include "http/response.h"

/* "ok", or why writes are refused. */
static const char *
writes_word(enum fault f)
{
	return f == FAULT_FULL   ? "refused_full"
	    : f == FAULT_DAMAGED ? "refused_damaged"
				 : "ok";
}

void
api_healthz(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	enum fault f;

	if (store_ping(app->store) != 0) {
		fault_clear(); /* this answer, whatever the ping noted */
		http_problem(req, resp, 503, "database_unavailable", NULL,
		    "La base de données ne répond pas.");
		return;
	}
	f = store_condition(app->store);
	if (f == FAULT_FULL) {
		http_problem(req, resp, 503, "storage_full", NULL,
		    "L'espace de stockage est plein : la base de données ne "
		    "peut plus rien enregistrer.");
	} else if (f == FAULT_DAMAGED) {
		http_problem(req, resp, 503, "database_damaged", NULL,
		    "La base de données est endommagée : restaurez la "
		    "dernière sauvegarde.");
	} else {
		http_response_json(resp, 200,
		    json_pack("{s:s, s:s, s:s}", "status", "ok", "database",
			"ok", "writes", "ok"));
		return;
	}
	http_problem_add(resp, "writes", json_string(writes_word(f)));
}

void
api_readyz(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;

	if (!atomic_load(&app->ready)) {
		http_problem(req, resp, 503, "not_ready", NULL,
		    "Le service démarre ou s'arrête.");
		return;
	}
	http_response_json(resp, 200,
	    json_pack("{s:s, s:s}", "status", "ready", "writes",
		writes_word(store_condition(app->store))));
}
