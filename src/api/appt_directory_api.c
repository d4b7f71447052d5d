/*
 * appt_directory_api.c - GET /api/v1/public/appointments/organisations:
 * the organisations a person can book with online, found by postcode or
 * department, before any sign-in. Each answer links to the organisation's
 * booking address (#/rendez-vous/<id>).
 */
#include <stdlib.h>

#include <jansson.h>

#include "api/api.h"
#include "api/booking_api.h"
#include "app.h"
#include "appointments/appt_area.h"
#include "appointments/appt_codes.h"
#include "http/response.h"
#include "service/appt_directory.h"

static json_t *
org_json(const struct svc_appt_dir_org *o)
{
	json_t *places = json_array();
	size_t i;

	for (i = 0; i < o->n_places; i++)
		json_array_append_new(places,
		    json_pack("{s:s, s:s}", "name", o->places[i].name,
			"address", o->places[i].address));
	return json_pack("{s:s, s:s, s:b, s:o}", "id", o->id, "name", o->name,
	    "at_postcode", o->match == 2, "places", places);
}

void
api_public_appt_directory(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct svc s = { &app->auth, &app->rules };
	struct appt_area area;
	struct svc_appt_dir_org *found;
	char q[32];
	size_t n = 0, i;
	json_t *list;

	if (http_request_query(req, "area", q, sizeof(q)) != 0 ||
	    appt_area_parse(q, &area) != 0) {
		struct appt_error e = { APPT_PARAMETRE_INVALIDE, "area",
			"un code postal de 5 chiffres (44000) ou un numéro de "
			"département (44, 2A, 971)" };

		api_appt_problem(req, resp, APPT_PARAMETRE_INVALIDE, &e);
		return;
	}
	found = calloc(SVC_APPT_DIR_ORGS_MAX, sizeof(*found));
	if (found == NULL ||
	    svc_appt_directory(&s, &area, found, SVC_APPT_DIR_ORGS_MAX, &n) !=
		0) {
		free(found);
		api_unavailable(req, resp);
		return;
	}
	list = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(list, org_json(&found[i]));
	free(found);
	http_response_json(resp, 200,
	    json_pack("{s:{s:s, s:s?}, s:o}", "area", "department",
		area.department, "postcode",
		area.postcode[0] != '\0' ? area.postcode : NULL,
		"organisations", list));
}
