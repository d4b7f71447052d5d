/*
 * pause_api.c - respite times (« pauses », seed 002): a family asks, a
 * volunteer accepts, either cancels; validators see them all. Thin
 * handlers over service/pause.h.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/booking_api.h"
#include "api/dossier_api.h"
#include "appointments/appt_time.h"
#include "http/jsonbody.h"
#include "http/response.h"
#include "service/pause.h"

static void
refused(const struct http_request *req, struct http_response *resp, int rc)
{
	enum pause_code c = (enum pause_code)rc;
	int status;

	if (rc < 0 || rc == DSVC_UNKNOWN || rc == DSVC_NOT_ASSOCIATION) {
		if (rc == DSVC_UNKNOWN)
			http_problem(req, resp, 404, "not_found", "id",
			    "Cette pause n'existe pas.");
		else
			api_dossier_refused(req, resp, rc, "org");
		return;
	}
	switch (c) {
	case PAUSE_DOSSIER_NON_VALIDE:
	case PAUSE_PROFIL_INVALIDE:
	case PAUSE_NON_AUTORISE:
		status = 403;
		break;
	case PAUSE_ETAT_INVALIDE:
	case PAUSE_DEJA_ACCEPTEE:
		status = 409;
		break;
	default:
		status = 422;
	}
	http_problem(req, resp, status, pause_code_name(c), pause_code_field(c),
	    "%s", pause_code_detail(c));
}

static json_t *
opt_text(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

static json_t *
person(const struct pause_person *p)
{
	if (p->name == NULL)
		return json_null();
	return json_pack("{s:s, s:o}", "name", p->name, "phone",
	    opt_text(p->phone));
}

static int
add_pause(void *arg, const struct pause_view *v)
{
	char date[12] = "", start[8] = "";
	json_t *o;

	(void)appt_date_format(appt_paris_day(v->p.start_at), date,
	    sizeof(date));
	(void)appt_hhmm_format(appt_paris_minute(v->p.start_at), start,
	    sizeof(start));
	o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:I, s:o, s:o, s:o, s:o,"
		      " s:o, s:o, s:o}",
	    "id", (json_int_t)v->p.id, "org", v->p.org_id, "state",
	    pause_state_name(v->state), "date", date, "start", start,
	    "start_at", api_time_json(v->p.start_at), "duration",
	    (json_int_t)v->p.duration, "place", opt_text(v->place), "note",
	    opt_text(v->note), "family", person(&v->family), "volunteer",
	    person(&v->volunteer), "side", opt_text(v->side), "created_at",
	    api_time_json(v->p.created_at), "decided_at",
	    v->p.decided_at > 0 ? api_time_json(v->p.decided_at) : json_null());
	return o != NULL ? json_array_append_new(arg, o) : -1;
}

/* Answers a list filled by fn, or the refusal. */
static void
answer_list(const struct http_request *req, struct http_response *resp,
    json_t *list, int rc)
{
	if (rc != PAUSE_OK) {
		json_decref(list);
		refused(req, resp, rc);
		return;
	}
	http_response_json(resp, 200, json_pack("{s:o}", "pauses", list));
}

static const struct json_field create_fields[] = {
	{ "org", JK_STRING, 1, 1, STORE_ID_MAX - 1 },
	{ "date", JK_STRING, 1, 0, 32 },
	{ "start", JK_STRING, 1, 0, 16 },
	{ "duration", JK_INTEGER, 1, 0, 100000 },
	{ "place", JK_STRING, 1, 0, 2000 },
	{ "note", JK_STRING, 0, 0, 4000 },
};

void
api_pause_create(struct http_request *req, struct http_response *resp)
{
	struct dossier_call x;
	struct pause_input in;
	json_t *body;
	int64_t id = 0;
	int rc;

	if (api_dossier_begin(req, resp, &x) != 0)
		return;
	if ((body = http_json_body(req, resp)) == NULL)
		return;
	if (http_json_check(req, resp, body, create_fields,
		sizeof(create_fields) / sizeof(create_fields[0])) != 0) {
		json_decref(body);
		return;
	}
	in.date = json_string_value(json_object_get(body, "date"));
	in.start = json_string_value(json_object_get(body, "start"));
	in.duration =
	    (long)json_integer_value(json_object_get(body, "duration"));
	in.place = json_string_value(json_object_get(body, "place"));
	in.note = json_string_value(json_object_get(body, "note"));
	rc = svc_pause_create(&x.s, &x.who,
	    json_string_value(json_object_get(body, "org")), &in, x.now, &id);
	if (rc != PAUSE_OK)
		refused(req, resp, rc);
	else
		http_response_json(resp, 201,
		    json_pack("{s:I, s:s}", "id", (json_int_t)id, "state",
			pause_state_name(PAUSE_DEMANDEE)));
	json_decref(body);
}

void
api_pauses_mine(struct http_request *req, struct http_response *resp)
{
	struct dossier_call x;
	json_t *list;

	if (api_dossier_begin(req, resp, &x) != 0)
		return;
	if ((list = json_array()) == NULL) {
		refused(req, resp, -1);
		return;
	}
	answer_list(req, resp, list,
	    svc_pauses_mine(&x.s, &x.who, x.now, add_pause, list));
}

void
api_pauses_open(struct http_request *req, struct http_response *resp)
{
	struct dossier_call x;
	json_t *list;

	if (api_dossier_begin(req, resp, &x) != 0)
		return;
	if ((list = json_array()) == NULL) {
		refused(req, resp, -1);
		return;
	}
	answer_list(req, resp, list,
	    svc_pauses_open(&x.s, &x.who, x.now, add_pause, list));
}

void
api_pauses_of_org(struct http_request *req, struct http_response *resp)
{
	struct dossier_call x;
	json_t *list;

	if (api_dossier_begin(req, resp, &x) != 0)
		return;
	if ((list = json_array()) == NULL) {
		refused(req, resp, -1);
		return;
	}
	answer_list(req, resp, list,
	    svc_pauses_of_org(&x.s, &x.who, x.now, add_pause, list));
}

/* Runs act on pause {id} and answers its new state. */
static void
act(struct http_request *req, struct http_response *resp,
    int (*fn)(const struct dsvc *, const struct svc_actor *, int64_t, int64_t),
    enum pause_state next)
{
	struct dossier_call x;
	int64_t id;
	int rc;

	if (api_dossier_begin(req, resp, &x) != 0 ||
	    api_dossier_id(req, resp, "id", &id) != 0)
		return;
	if ((rc = fn(&x.s, &x.who, id, x.now)) != PAUSE_OK)
		refused(req, resp, rc);
	else
		http_response_json(resp, 200,
		    json_pack("{s:I, s:s}", "id", (json_int_t)id, "state",
			pause_state_name(next)));
}

void
api_pause_accept(struct http_request *req, struct http_response *resp)
{
	act(req, resp, svc_pause_accept, PAUSE_ACCEPTEE);
}

void
api_pause_cancel(struct http_request *req, struct http_response *resp)
{
	act(req, resp, svc_pause_cancel, PAUSE_ANNULEE);
}
