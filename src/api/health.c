/*
 * health.c - liveness and readiness for load balancers and supervisors.
 *
 * /healthz answers 200 only when the database answers too; /readyz answers
 * 200 only while the server accepts work (not during start-up or
 * shutdown). Neither says anything about the data.
 */
#include "api/api.h"
#include "app.h"
#include "http/response.h"

void
api_healthz(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;

	if (store_ping(app->store) != 0) {
		http_problem(req, resp, 503, "database_unavailable", NULL,
		    "La base de données ne répond pas.");
		return;
	}
	http_response_json(resp, 200,
	    json_pack("{s:s, s:s}", "status", "ok", "database", "ok"));
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
	http_response_json(resp, 200, json_pack("{s:s}", "status", "ready"));
}
