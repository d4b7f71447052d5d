/*
 * exam_api.c - a school's booked exams (list, cancel, replace, swap), its
 * threshold status per department, category and month, and the
 * dispatcher's results: thin handlers over src/service/exams.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/booking_api.h"
#include "app.h"
#include "booking/quota.h"
#include "core/clock.h"
#include "http/jsonbody.h"
#include "http/jsonw.h"
#include "http/response.h"
#include "core/buf.h"
#include "core/csv.h"
#include "service/candidates.h"
#include "service/exams.h"
#include "store/exams.h"

#include <sodium.h>

/* A school's or a centre's exams, written as they are read
 * (http/jsonw.h) rather than as one jansson object each: up to 1000 of
 * them. */
#define EXAMS_JSON_MAX (1 << 20) /* 1000 exams are about 250 kB */

static int
listed(void *arg, const struct store_exam_listed *e)
{
	struct jsonw *w = arg;
	const struct bk_exam *x = &e->exam;

	jsonw_object(w, NULL);
	jsonw_int(w, "id", x->id);
	jsonw_int(w, "slot_id", x->slot_id);
	jsonw_int(w, "candidate_id", x->candidate_id);
	jsonw_string(w, "department", x->department);
	jsonw_string(w, "category", x->category);
	api_time_jsonw(w, "start_at", x->start_at);
	jsonw_string(w, "status", store_exam_status_name(x->status));
	jsonw_int(w, "replacements", x->replacements);
	jsonw_int(w, "centre_id", e->centre_id);
	jsonw_string(w, "centre", e->centre_name ? e->centre_name : "");
	jsonw_end(w);
	return 0;
}

/* Answers the list fill writes through listed, or 503. */
static void
answer_exams(const struct http_request *req, struct http_response *resp,
    int (*fill)(void *arg, struct jsonw *w), void *arg)
{
	struct jsonw w;

	jsonw_init(&w, EXAMS_JSON_MAX);
	jsonw_object(&w, NULL);
	jsonw_array(&w, "exams");
	if (fill(arg, &w) != 0) {
		jsonw_free(&w);
		api_unavailable(req, resp);
		return;
	}
	jsonw_end(&w);
	jsonw_end(&w);
	http_response_jsonw(resp, 200, &w);
}

struct exams_query {
	struct api_bctx *x;
	int64_t owner, from, to; /* owner: the school or the centre */
};

static int
school_exams(void *arg, struct jsonw *w)
{
	struct exams_query *q = arg;

	return svc_exams_of_school(&q->x->s, q->owner, q->from, q->to, 1000,
	    listed, w);
}

static int
centre_exams(void *arg, struct jsonw *w)
{
	struct exams_query *q = arg;

	return svc_exams_of_centre(&q->x->s, q->owner, q->from, q->to, 1000,
	    listed, w);
}

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
	api_booking_problem(req, resp, BK_PARAMETRE_INVALIDE, name, 0);
	return -1;
}

/* A candidate the school may name in its export. */
struct named {
	int64_t id;
	char name[2 * SVC_NAME_BYTES + 2];
	char neph[BK_NEPH_MAX + 1];
};

/* The export being written: the names, then the rows. */
struct export
{
	struct named *v;
	size_t n, cap;
	struct buf b;
	int failed;
};

static int
add_named(void *arg, const struct svc_candidate *cand)
{
	struct export *x = arg;
	struct named *v;

	if (x->n == x->cap) {
		x->cap = x->cap ? x->cap * 2 : 64;
		if ((v = realloc(x->v, x->cap * sizeof(*v))) == NULL)
			return -1;
		x->v = v;
	}
	v = &x->v[x->n++];
	v->id = cand->id;
	snprintf(v->name, sizeof(v->name), "%s %s", cand->last_name,
	    cand->first_names);
	snprintf(v->neph, sizeof(v->neph), "%s", cand->neph);
	return 0;
}

/* The French word of an exam's state, as the pages say it. */
static const char *
state_fr(enum exam_status st)
{
	switch (st) {
	case EXAM_BOOKED:
		return "Réservé";
	case EXAM_CANCELLED:
		return "Annulé";
	case EXAM_PASSED:
		return "Réussi";
	case EXAM_FAILED:
		return "Ajourné";
	case EXAM_ABSENT:
		return "Absent(e)";
	}
	return "";
}

/* One line of the export: the candidate named only while the school
 * holds their mandate (otherwise « sans mandat »). */
static int
export_row(void *arg, const struct store_exam_listed *e)
{
	struct export *x = arg;
	const struct named *who = NULL;
	char when[40], *at, num[24];
	size_t i;
	int rc = 0;

	for (i = 0; i < x->n && who == NULL; i++)
		if (x->v[i].id == e->exam.candidate_id)
			who = &x->v[i];
	api_paris_format(e->exam.start_at, when, sizeof(when));
	if ((at = strstr(when, " à ")) != NULL)
		*at = '\0';
	snprintf(num, sizeof(num), "%lld", (long long)e->exam.id);
	rc |= csv_cell(&x->b, when);
	rc |= buf_append_str(&x->b, ";");
	rc |= csv_cell(&x->b, at != NULL ? at + strlen(" à ") : "");
	rc |= buf_append_str(&x->b, ";");
	rc |= csv_cell(&x->b, e->centre_name ? e->centre_name : "");
	rc |= buf_append_str(&x->b, ";");
	rc |= csv_cell(&x->b, e->exam.department);
	rc |= buf_append_str(&x->b, ";");
	rc |= csv_cell(&x->b, e->exam.category);
	rc |= buf_append_str(&x->b, ";");
	rc |= csv_cell(&x->b, who != NULL ? who->name : "sans mandat");
	rc |= buf_append_str(&x->b, ";");
	rc |= csv_cell(&x->b, who != NULL ? who->neph : "");
	rc |= buf_append_str(&x->b, ";");
	rc |= csv_cell(&x->b, state_fr(e->exam.status));
	rc |= buf_append_str(&x->b, ";");
	rc |= csv_cell(&x->b, num);
	rc |= buf_append_str(&x->b, "\r\n");
	return rc != 0 ? -1 : 0;
}

/*
 * The school's exams as a CSV file for a spreadsheet set to French: a
 * UTF-8 byte order mark (Excel reads UTF-8 only with it), ';' between
 * cells, CRLF line ends, French headers and values, dates and times in
 * Paris time.
 */
static void
exams_csv(struct http_request *req, struct http_response *resp,
    struct api_bctx *x, int64_t from, int64_t to)
{
	struct export e;

	memset(&e, 0, sizeof(e));
	buf_init(&e.b, 8u * 1024 * 1024);
	if (svc_candidates_list(&x->s, x->school_id, NULL, x->now, add_named,
		&e) != 0 ||
	    buf_append_str(&e.b,
		"\xef\xbb\xbf"
		"Date;Heure (Paris);Centre d'examen;Département;Catégorie;"
		"Candidat(e);NEPH;État;N° d'examen\r\n") != 0 ||
	    svc_exams_of_school(&x->s, x->school_id, from, to, 1000, export_row,
		&e) != 0) {
		buf_free(&e.b);
		if (e.v != NULL)
			sodium_memzero(e.v, e.cap * sizeof(*e.v));
		free(e.v);
		api_unavailable(req, resp);
		return;
	}
	if (e.v != NULL)
		sodium_memzero(e.v, e.cap * sizeof(*e.v));
	free(e.v);
	resp->status = 200;
	resp->content_type = "text/csv; charset=utf-8";
	resp->body = buf_steal(&e.b, &resp->body_len);
	if (resp->body == NULL) {
		buf_free(&e.b);
		api_unavailable(req, resp);
		return;
	}
	http_response_download(resp, "attachment; filename=\"examens.csv\"");
}

void
api_exams(struct http_request *req, struct http_response *resp)
{
	struct api_bctx x;
	int64_t from = 0, to = 0;
	char fmt[8];
	struct exams_query q;
	int rc;

	if (api_bctx_begin(req, resp, &x, 1) != 0 ||
	    query_time(req, resp, "from", &from) != 0 ||
	    query_time(req, resp, "to", &to) != 0)
		return;
	rc = http_request_query(req, "format", fmt, sizeof(fmt));
	if (rc == 0 && strcmp(fmt, "csv") == 0) {
		exams_csv(req, resp, &x, from, to);
		return;
	}
	if (rc != 1 && !(rc == 0 && strcmp(fmt, "json") == 0)) {
		http_problem(req, resp, 400, "invalid_query", "format",
		    "Le paramètre format vaut json ou csv.");
		return;
	}
	q.x = &x;
	q.owner = x.school_id;
	q.from = from;
	q.to = to;
	answer_exams(req, resp, school_exams, &q);
}

void
api_authority_exams(struct http_request *req, struct http_response *resp)
{
	struct api_bctx x;
	int64_t from = 0, to = 0, centre = 0;
	char v[24], *end;
	struct exams_query q;
	int rc;

	if (api_bctx_begin(req, resp, &x, 0) != 0 ||
	    query_time(req, resp, "from", &from) != 0 ||
	    query_time(req, resp, "to", &to) != 0)
		return;
	rc = http_request_query(req, "centre_id", v, sizeof(v));
	if (rc < 0 ||
	    (rc == 0 && ((centre = strtoll(v, &end, 10)) <= 0 || *end))) {
		api_booking_problem(req, resp, BK_PARAMETRE_INVALIDE,
		    "centre_id", 0);
		return;
	}
	q.x = &x;
	q.owner = centre;
	q.from = from;
	q.to = to;
	answer_exams(req, resp, centre_exams, &q);
}

void
api_exam_cancel(struct http_request *req, struct http_response *resp)
{
	struct api_bctx x;
	int64_t id;
	int late = 0, rc;

	if (api_bctx_begin(req, resp, &x, 1) != 0 ||
	    api_path_id(req, resp, "id", BK_EXAMEN_INCONNU, &id) != 0)
		return;
	rc = svc_exam_cancel(&x.s, &x.who, x.school_id, id, x.now, &late);
	if (api_bctx_refused(req, resp, rc, NULL, 0) != 0)
		return;
	http_response_json(resp, 200,
	    json_pack("{s:I, s:s, s:b}", "id", (json_int_t)id, "status",
		"cancelled", "late_cancellation", late));
}

static const struct json_field replace_fields[] = {
	{ "candidate_id", JK_INTEGER, 1, 1, INT64_MAX },
};

/* Puts candidate on exam id for the caller's school and answers. */
static void
replace_exam(struct http_request *req, struct http_response *resp,
    struct api_bctx *x, int64_t id, int64_t candidate)
{
	int64_t until = 0;
	int rc = svc_exam_replace(&x->s, &x->who, x->school_id, id, candidate,
	    x->now, &until);

	if (api_bctx_refused(req, resp, rc,
		rc == BK_NOMBRE_DE_REMPLACEMENTS_AUTORISES_ATTEINT ||
			rc == BK_EXAMEN_INCONNU ||
			rc == BK_EXAMEN_DEJA_ANNULE ||
			rc == BK_EXAMEN_NON_MODIFIABLE
		    ? NULL
		    : "candidate_id",
		until) == 0)
		http_response_json(resp, 200,
		    json_pack("{s:I, s:I}", "id", (json_int_t)id,
			"candidate_id", (json_int_t)candidate));
}

void
api_exam_replace(struct http_request *req, struct http_response *resp)
{
	struct api_bctx x;
	int64_t id;
	json_t *body;

	if (api_bctx_begin(req, resp, &x, 1) != 0 ||
	    api_path_id(req, resp, "id", BK_EXAMEN_INCONNU, &id) != 0 ||
	    (body = http_json_body(req, resp)) == NULL)
		return;
	if (http_json_check(req, resp, body, replace_fields, 1) == 0)
		replace_exam(req, resp, &x, id,
		    json_integer_value(json_object_get(body, "candidate_id")));
	json_decref(body);
}

static const struct json_field partner_replace_fields[] = {
	{ "exam_id", JK_INTEGER, 1, 1, INT64_MAX },
	{ "candidate_id", JK_INTEGER, 1, 1, INT64_MAX },
};

void
api_partner_exam_replace(struct http_request *req, struct http_response *resp)
{
	struct api_bctx x;
	json_t *body;

	if (api_bctx_begin(req, resp, &x, 1) != 0 ||
	    (body = http_json_body(req, resp)) == NULL)
		return;
	if (http_json_check(req, resp, body, partner_replace_fields, 2) == 0)
		replace_exam(req, resp, &x,
		    json_integer_value(json_object_get(body, "exam_id")),
		    json_integer_value(json_object_get(body, "candidate_id")));
	json_decref(body);
}

static const struct json_field swap_fields[] = {
	{ "exam_ids", JK_ARRAY, 1, 2, 2 },
};

void
api_exam_swap(struct http_request *req, struct http_response *resp)
{
	struct api_bctx x;
	json_t *body, *ids;
	int64_t a, b;
	int rc;

	if (api_bctx_begin(req, resp, &x, 1) != 0 ||
	    (body = http_json_body(req, resp)) == NULL)
		return;
	if (http_json_check(req, resp, body, swap_fields, 1) != 0)
		goto done;
	ids = json_object_get(body, "exam_ids");
	a = json_integer_value(json_array_get(ids, 0));
	b = json_integer_value(json_array_get(ids, 1));
	if (a <= 0 || b <= 0) {
		api_booking_problem(req, resp, BK_PARAMETRE_INVALIDE,
		    "exam_ids", 0);
		goto done;
	}
	rc = svc_exam_swap(&x.s, &x.who, x.school_id, a, b, x.now);
	if (api_bctx_refused(req, resp, rc, "exam_ids", 0) == 0)
		http_response_json(resp, 200,
		    json_pack("{s:[I, I]}", "swapped", (json_int_t)a,
			(json_int_t)b));
done:
	json_decref(body);
}

static const struct json_field result_fields[] = {
	{ "result", JK_STRING, 1, 1, 16 },
};

void
api_exam_result(struct http_request *req, struct http_response *resp)
{
	struct api_bctx x;
	enum exam_status st;
	const char *v;
	json_t *body;
	int64_t id;
	int rc;

	if (api_bctx_begin(req, resp, &x, 0) != 0 ||
	    api_path_id(req, resp, "id", BK_EXAMEN_INCONNU, &id) != 0 ||
	    (body = http_json_body(req, resp)) == NULL)
		return;
	if (http_json_check(req, resp, body, result_fields, 1) != 0)
		goto done;
	v = json_string_value(json_object_get(body, "result"));
	if (store_exam_status_parse(v, &st) != 0 || st == EXAM_BOOKED ||
	    st == EXAM_CANCELLED) {
		http_problem(req, resp, 422, "PARAMETRE_INVALIDE", "result",
		    "Le résultat doit être « passed », « failed » ou "
		    "« absent ».");
		goto done;
	}
	rc = svc_exam_result(&x.s, &x.who, id, st, x.now);
	if (rc == BK_PARAMETRE_INVALIDE) {
		http_problem(req, resp, 422, "PARAMETRE_INVALIDE", "result",
		    "Un résultat ne peut être saisi qu'une fois l'examen "
		    "commencé.");
		goto done;
	}
	if (api_bctx_refused(req, resp, rc, NULL, 0) == 0)
		http_response_json(resp, 200,
		    json_pack("{s:I, s:s}", "id", (json_int_t)id, "result", v));
done:
	json_decref(body);
}

static int
quota_line(void *arg, const struct svc_quota_line *l)
{
	return json_array_append_new(arg,
	    json_pack("{s:s, s:s, s:f, s:f, s:I, s:I, s:I}", "department",
		l->department, "category", l->category, "etp",
		(double)l->etp_centi / 100.0, "coefficient",
		(double)l->coefficient_centi / 100.0, "quota",
		(json_int_t)l->quota, "used", (json_int_t)l->used, "left",
		(json_int_t)l->left));
}

void
api_quotas(struct http_request *req, struct http_response *resp)
{
	struct api_bctx x;
	char m[16], *end;
	long year, mon;
	int64_t month;
	json_t *list;
	int rc;

	if (api_bctx_begin(req, resp, &x, 1) != 0)
		return;
	month = quota_month(x.now);
	rc = http_request_query(req, "month", m, sizeof(m));
	if (rc < 0 ||
	    (rc == 0 &&
		((year = strtol(m, &end, 10)) < 2000 || year > 9999 ||
		    *end != '-' || (mon = strtol(end + 1, &end, 10)) < 1 ||
		    mon > 12 || *end != '\0' || strlen(m) != 7))) {
		http_problem(req, resp, 422, "PARAMETRE_INVALIDE", "month",
		    "Le mois doit s'écrire AAAA-MM, par exemple 2026-12.");
		return;
	}
	if (rc == 0)
		month = year * 100 + mon;
	list = json_array();
	if (svc_quota_status(&x.s, x.school_id, month, quota_line, list) != 0) {
		json_decref(list);
		api_unavailable(req, resp);
		return;
	}
	snprintf(m, sizeof(m), "%04d-%02d", (int)(month / 100 % 10000),
	    (int)(month % 100));
	http_response_json(resp, 200,
	    json_pack("{s:s, s:o}", "month", m, "quotas", list));
}
