/*
 * supervision_api.c - the regional supervisor's planning views and slot
 * change requests, and the school administrator's queue of requests to
 * approve: thin handlers over src/service/supervision.c. No answer here
 * carries a candidate.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/booking_api.h"
#include "booking/caltime.h"
#include "core/clock.h"
#include "http/jsonbody.h"
#include "http/response.h"
#include "service/supervision.h"

#define LIST_MAX 500

/* Reads query argument name as a time into *out (kept when absent).
 * Returns 0, or -1 after the problem. */
static int
query_time(const struct http_request *req, struct http_response *resp,
    const char *name, int64_t *out)
{
	char v[40];
	int rc = http_request_query(req, name, v, sizeof(v));

	if (rc == 1 || (rc == 0 && clock_parse_utc(v, out) == 0))
		return 0;
	http_problem(req, resp, 422, "PARAMETRE_INVALIDE", name,
	    "Le paramètre « %s » doit être une date au format "
	    "AAAA-MM-JJTHH:MM:SSZ.",
	    name);
	return -1;
}

/* "2030-01-14" for days since 1970-01-01. */
static json_t *
day_json(int64_t days)
{
	int64_t y;
	int m, d;
	char out[16];

	caltime_civil_from_days(days, &y, &m, &d);
	snprintf(out, sizeof(out), "%04d-%02d-%02d", (int)y, m, d);
	return json_string(out);
}

static json_t *
week_json(const struct svc_planning_week *w)
{
	json_t *schools = json_array();
	size_t i;

	for (i = 0; i < w->nschools; i++)
		json_array_append_new(schools,
		    json_pack("{s:s, s:I}", "school", w->schools[i].name,
			"exams", (json_int_t)w->schools[i].exams));
	if (w->other_exams > 0)
		json_array_append_new(schools,
		    json_pack("{s:s, s:I}", "school", "Autres auto-écoles",
			"exams", (json_int_t)w->other_exams));
	return json_pack("{s:s, s:o, s:I, s:I, s:I, s:I, s:I, s:o}",
	    "department", w->department, "week", day_json(w->week), "published",
	    (json_int_t)w->published, "free", (json_int_t)w->free, "held",
	    (json_int_t)w->held, "booked", (json_int_t)w->booked, "exams",
	    (json_int_t)w->exams, "schools", schools);
}

void
api_planning(struct http_request *req, struct http_response *resp)
{
	struct api_bctx x;
	struct svc_planning *p;
	int64_t from = 0, to = 0;
	json_t *weeks;
	size_t i;
	int rc;

	if (api_bctx_begin(req, resp, &x, 0) != 0)
		return;
	/* Default: four weeks from the current Monday. */
	from =
	    svc_paris_week(x.now) * BK_DAY_MS - caltime_paris_offset_ms(x.now);
	to = from + 28 * BK_DAY_MS;
	if (query_time(req, resp, "from", &from) != 0 ||
	    query_time(req, resp, "to", &to) != 0)
		return;
	if ((p = malloc(sizeof(*p))) == NULL) {
		api_unavailable(req, resp);
		return;
	}
	rc = svc_region_planning(&x.s, &x.who, from, to, x.now, p);
	if (rc == BK_PARAMETRE_INVALIDE) {
		http_problem(req, resp, 422, "PARAMETRE_INVALIDE", "to",
		    "La période doit finir après son début et couvrir au plus "
		    "%d semaines.",
		    SVC_PLANNING_WEEKS_MAX);
		free(p);
		return;
	}
	if (api_bctx_refused(req, resp, rc, NULL, 0) != 0) {
		free(p);
		return;
	}
	weeks = json_array();
	for (i = 0; i < p->n; i++)
		json_array_append_new(weeks, week_json(&p->lines[i]));
	free(p);
	http_response_json(resp, 200,
	    json_pack("{s:o, s:o, s:o}", "from", api_time_json(from), "to",
		api_time_json(to), "weeks", weeks));
}

static int
region_exam(void *arg, const struct store_region_exam *e)
{
	return json_array_append_new(arg,
	    json_pack("{s:I, s:I, s:s, s:s, s:o, s:s, s:s, s:s}", "id",
		(json_int_t)e->id, "slot_id", (json_int_t)e->slot_id, "school",
		e->school_name ? e->school_name : "", "centre",
		e->centre_name ? e->centre_name : "", "start_at",
		api_time_json(e->start_at), "department", e->department,
		"category", e->category, "status", e->status));
}

void
api_planning_exams(struct http_request *req, struct http_response *resp)
{
	struct api_bctx x;
	int64_t from, to = 0;
	json_t *list;

	if (api_bctx_begin(req, resp, &x, 0) != 0)
		return;
	from = x.now;
	if (query_time(req, resp, "from", &from) != 0 ||
	    query_time(req, resp, "to", &to) != 0)
		return;
	list = json_array();
	if (svc_region_exams(&x.s, &x.who, from, to, LIST_MAX, region_exam,
		list) != 0) {
		json_decref(list);
		api_unavailable(req, resp);
		return;
	}
	http_response_json(resp, 200, json_pack("{s:o}", "exams", list));
}

static int
region_slot(void *arg, const struct store_region_slot *s)
{
	return json_array_append_new(arg,
	    json_pack("{s:I, s:I, s:s, s:o, s:s, s:s}", "id", (json_int_t)s->id,
		"centre_id", (json_int_t)s->centre_id, "centre",
		s->centre_name ? s->centre_name : "", "start_at",
		api_time_json(s->start_at), "department", s->department,
		"category", s->category));
}

void
api_planning_slots(struct http_request *req, struct http_response *resp)
{
	struct api_bctx x;
	int64_t from = 0, to = 0;
	char cat[BK_CATEGORY_MAX];
	json_t *list;
	int rc;

	if (api_bctx_begin(req, resp, &x, 0) != 0 ||
	    query_time(req, resp, "from", &from) != 0 ||
	    query_time(req, resp, "to", &to) != 0)
		return;
	rc = http_request_query(req, "category", cat, sizeof(cat));
	if (rc < 0) {
		http_problem(req, resp, 422, "PARAMETRE_INVALIDE", "category",
		    "La catégorie « category » compte au plus %d caractères.",
		    BK_CATEGORY_MAX - 1);
		return;
	}
	list = json_array();
	if (svc_region_free_slots(&x.s, &x.who, from, to, rc == 0 ? cat : NULL,
		x.now, LIST_MAX, region_slot, list) != 0) {
		json_decref(list);
		api_unavailable(req, resp);
		return;
	}
	http_response_json(resp, 200, json_pack("{s:o}", "slots", list));
}

static json_t *
request_json(const struct store_slot_request_listed *l)
{
	const struct store_slot_request *r = &l->r;
	char detail[512];
	enum bk_code code;
	json_t *o =
	    json_pack("{s:I, s:I, s:s, s:s, s:s, s:o, s:s, s:o, s:s, s:s}",
		"id", (json_int_t)r->id, "exam_id", (json_int_t)r->exam_id,
		"kind", store_slot_request_kind_name(r->kind), "reason",
		r->reason, "state", store_slot_request_state_name(r->state),
		"requested_at", api_time_json(r->requested_at), "school",
		l->school_name ? l->school_name : "", "exam_start_at",
		api_time_json(l->exam_start_at), "centre",
		l->centre_name ? l->centre_name : "", "outcome_code",
		r->outcome_code);

	if (o == NULL)
		return NULL;
	json_object_set_new(o, "target_slot_id",
	    r->target_slot_id > 0 ? json_integer(r->target_slot_id)
				  : json_null());
	json_object_set_new(o, "target_start_at",
	    l->target_start_at > 0 ? api_time_json(l->target_start_at)
				   : json_null());
	json_object_set_new(o, "decided_at",
	    r->decided_at > 0 ? api_time_json(r->decided_at) : json_null());
	/* A failed approval says in French which rule no longer held. */
	if (r->state == SLOT_REQUEST_FAILED &&
	    bk_code_parse(r->outcome_code, &code) == 0) {
		api_booking_detail(code, 0, detail, sizeof(detail));
		json_object_set_new(o, "outcome_detail", json_string(detail));
	}
	return o;
}

static int
request_listed(void *arg, const struct store_slot_request_listed *l)
{
	json_t *o = request_json(l);

	return o != NULL ? json_array_append_new(arg, o) : -1;
}

static void
list_requests(struct http_request *req, struct http_response *resp, int mine)
{
	struct api_bctx x;
	enum slot_request_state st;
	char state[16];
	json_t *list;
	int rc;

	if (api_bctx_begin(req, resp, &x, 0) != 0)
		return;
	rc = http_request_query(req, "state", state, sizeof(state));
	if (rc < 0 ||
	    (rc == 0 && store_slot_request_state_parse(state, &st) != 0)) {
		http_problem(req, resp, 422, "PARAMETRE_INVALIDE", "state",
		    "L'état « state » doit être pending, approved, rejected "
		    "ou failed.");
		return;
	}
	list = json_array();
	if (svc_slot_requests_list(&x.s, &x.who, mine, rc == 0 ? state : NULL,
		LIST_MAX, request_listed, list) != 0) {
		json_decref(list);
		api_unavailable(req, resp);
		return;
	}
	http_response_json(resp, 200, json_pack("{s:o}", "requests", list));
}

void
api_slot_requests_mine(struct http_request *req, struct http_response *resp)
{
	list_requests(req, resp, 1);
}

void
api_slot_requests_queue(struct http_request *req, struct http_response *resp)
{
	list_requests(req, resp, 0);
}

static const struct json_field create_fields[] = {
	{ "exam_id", JK_INTEGER, 1, 1, INT64_MAX },
	{ "kind", JK_STRING, 1, 1, 8 },
	{ "target_slot_id", JK_INTEGER, 0, 1, INT64_MAX },
	{ "reason", JK_STRING, 1, 1, SVC_REASON_MAX },
};

void
api_slot_request_create(struct http_request *req, struct http_response *resp)
{
	struct api_bctx x;
	enum slot_request_kind kind;
	json_t *body, *target;
	int64_t id = 0;
	int rc;

	if (api_bctx_begin(req, resp, &x, 0) != 0 ||
	    (body = http_json_body(req, resp)) == NULL)
		return;
	if (http_json_check(req, resp, body, create_fields, 4) != 0)
		goto done;
	target = json_object_get(body, "target_slot_id");
	if (store_slot_request_kind_parse(json_string_value(
					      json_object_get(body, "kind")),
		&kind) != 0) {
		http_problem(req, resp, 422, "PARAMETRE_INVALIDE", "kind",
		    "Le type « kind » doit être move (déplacer) ou cancel "
		    "(annuler).");
		goto done;
	}
	if ((kind == SLOT_REQUEST_MOVE) != (target != NULL)) {
		http_problem(req, resp, 422, "PARAMETRE_INVALIDE",
		    "target_slot_id",
		    "La place cible « target_slot_id » est requise pour un "
		    "déplacement, et seulement pour lui.");
		goto done;
	}
	rc = svc_slot_request_create(&x.s, &x.who,
	    json_integer_value(json_object_get(body, "exam_id")), kind,
	    json_integer_value(target),
	    json_string_value(json_object_get(body, "reason")), x.now, &id);
	if (api_bctx_refused(req, resp, rc,
		rc == BK_EXAMEN_INCONNU ? "exam_id"
		    : rc == BK_PARAMETRE_INVALIDE && target == NULL
		    ? "reason"
		    : "target_slot_id",
		0) == 0)
		http_response_json(resp, 201,
		    json_pack("{s:I, s:s}", "id", (json_int_t)id, "state",
			"pending"));
done:
	json_decref(body);
}

static const struct json_field decision_fields[] = {
	{ "decision", JK_STRING, 1, 1, 8 },
};

void
api_slot_request_decide(struct http_request *req, struct http_response *resp)
{
	struct api_bctx x;
	struct svc_decision d;
	const char *v;
	char detail[512];
	json_t *body, *o;
	int64_t id;
	int rc;

	if (api_bctx_begin(req, resp, &x, 0) != 0 ||
	    (body = http_json_body(req, resp)) == NULL)
		return;
	if (http_json_check(req, resp, body, decision_fields, 1) != 0)
		goto done;
	v = json_string_value(json_object_get(body, "decision"));
	if (strcmp(v, "approve") != 0 && strcmp(v, "reject") != 0) {
		http_problem(req, resp, 422, "PARAMETRE_INVALIDE", "decision",
		    "La décision « decision » doit être approve ou reject.");
		goto done;
	}
	{
		const char *s = http_request_param(req, "id");
		char *end;

		id = s != NULL ? strtoll(s, &end, 10) : 0;
		if (s == NULL || *s < '1' || *s > '9' || *end != '\0' ||
		    id <= 0) {
			http_problem(req, resp, 404, "not_found", "id",
			    "Aucune demande de changement n'a ce numéro.");
			goto done;
		}
	}
	rc = svc_slot_request_decide(&x.s, &x.who, id,
	    strcmp(v, "approve") == 0, x.now, &d);
	if (rc == 1)
		http_problem(req, resp, 404, "not_found", "id",
		    "Aucune demande de changement n'a ce numéro pour votre "
		    "auto-école.");
	else if (rc == 2)
		http_problem(req, resp, 409, "already_decided", "id",
		    "Cette demande a déjà été traitée.");
	else if (rc == 3)
		http_problem(req, resp, 403, "separation_of_duties", "id",
		    "Vous ne pouvez pas décider d'une demande que vous avez "
		    "faite.");
	else if (rc != 0)
		api_unavailable(req, resp);
	else {
		o = json_pack("{s:I, s:s, s:s, s:b}", "id", (json_int_t)id,
		    "state", store_slot_request_state_name(d.state), "code",
		    bk_code_name(d.code), "late_cancellation", d.late);
		if (d.state == SLOT_REQUEST_FAILED) {
			api_booking_detail(d.code, 0, detail, sizeof(detail));
			json_object_set_new(o, "detail", json_string(detail));
		}
		http_response_json(resp, 200, o);
	}
done:
	json_decref(body);
}
