/*
 * authority_api.c - the exam authority's API (permission exam.authority,
 * the dispatcher): exam centres, slot publication, listing and
 * withdrawal, the coefficients of rule 3, and each school's
 * establishments and trainers' ETP (RULES.md rules 2, 3 and 7).
 *
 * Lists of items are checked item by item here so that a refusal names
 * the member at fault as "slots[3].start_at", with the RULES.md code
 * PARAMETRE_INVALIDE; the services then check the rules and write.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/booking_api.h"
#include "api/guard.h"
#include "app.h"
#include "booking/neph.h"
#include "core/clock.h"
#include "core/num.h"
#include "http/jsonbody.h"
#include "http/response.h"
#include "service/authority.h"

#define FIELD_MAX 96 /* "trainers[255].department" and more */

/* Kinds of the members of a list item. */
enum item_kind { IK_STRING, IK_INTEGER, IK_NUMBER };

struct item_field {
	const char *name;
	enum item_kind kind;
	int required;
	long long min, max; /* strings: bytes; integers: value */
};

static void
actor_of(const struct http_request *req, const struct api_caller *c,
    struct svc_actor *who)
{
	who->account_id = c->s.account_id;
	who->org_id = c->s.org_id;
	who->ip = req->client_ip;
	who->request_id = req->request_id;
}

static void
unavailable(const struct http_request *req, struct http_response *resp)
{
	http_problem(req, resp, 503, "unavailable", NULL,
	    "Le service de l'autorité d'examen est indisponible.");
}

/* Answers PARAMETRE_INVALIDE for field with detail why. */
static void
invalid(const struct http_request *req, struct http_response *resp,
    const char *field, const char *why)
{
	http_problem(req, resp, 422, bk_code_name(BK_PARAMETRE_INVALIDE), field,
	    "%s", why);
}

/*
 * Answers a service refusal: code with the fault's detail, naming
 * list[index].field (list NULL: field[index]) or the bare field.
 */
static void
refusal(const struct http_request *req, struct http_response *resp, int rc,
    const struct svc_fault *f, const char *list)
{
	char field[FIELD_MAX];
	const char *name = f->field;

	if (rc < 0) {
		unavailable(req, resp);
		return;
	}
	if (f->index >= 0 && f->field != NULL) {
		if (list != NULL)
			snprintf(field, sizeof(field), "%s[%ld].%s", list,
			    f->index, f->field);
		else
			snprintf(field, sizeof(field), "%s[%ld]", f->field,
			    f->index);
		name = field;
	} else if (f->field == NULL) {
		name = list;
	}
	if (f->why != NULL)
		http_problem(req, resp, bk_code_status((enum bk_code)rc),
		    bk_code_name((enum bk_code)rc), name, "%s", f->why);
	else
		api_booking_problem(req, resp, (enum bk_code)rc, name, 0);
}

/* Reads JSON number v (integer or decimal, at most two decimals) as
 * hundredths into *centi, within min..max. Returns 0 or -1. */
static int
centi_of(json_t *v, int64_t min, int64_t max, int64_t *centi)
{
	double x, d;
	int64_t k;

	if (json_is_integer(v)) {
		json_int_t j = json_integer_value(v);

		if (j < min / 100 || j > max / 100)
			return -1;
		*centi = (int64_t)j * 100;
		return *centi >= min && *centi <= max ? 0 : -1;
	}
	if (!json_is_real(v))
		return -1;
	x = json_real_value(v) * 100.0;
	/* Written so that NaN fails too. */
	if (!(x >= (double)min - 0.5 && x <= (double)max + 0.5))
		return -1;
	k = (int64_t)(x + 0.5);
	d = x - (double)k;
	if (d > 1e-6 || d < -1e-6 || k < min || k > max)
		return -1;
	*centi = k;
	return 0;
}

/*
 * Checks item i of list against fields (n): an object, no member the
 * table does not name, required members present, kinds and ranges (a
 * number's range is checked by its reader). Returns 0, or -1 after the
 * problem naming list[i].member.
 */
static int
item_check(const struct http_request *req, struct http_response *resp,
    const char *list, size_t i, json_t *item, const struct item_field *fields,
    size_t n)
{
	char field[FIELD_MAX], why[160];
	const char *key;
	json_t *v;
	size_t k;
	long long len;

	if (!json_is_object(item)) {
		snprintf(field, sizeof(field), "%s[%zu]", list, i);
		invalid(req, resp, field, "Chaque élément doit être un objet.");
		return -1;
	}
	json_object_foreach (item, key, v) {
		for (k = 0; k < n; k++)
			if (strcmp(fields[k].name, key) == 0)
				break;
		if (k == n) {
			snprintf(field, sizeof(field), "%s[%zu]", list, i);
			invalid(req, resp, field,
			    "Un élément contient un champ qui n'est pas "
			    "accepté ici.");
			return -1;
		}
	}
	for (k = 0; k < n; k++) {
		const struct item_field *f = &fields[k];

		snprintf(field, sizeof(field), "%s[%zu].%s", list, i, f->name);
		v = json_object_get(item, f->name);
		if (v == NULL || json_is_null(v)) {
			if (!f->required)
				continue;
			snprintf(why, sizeof(why),
			    "Le champ « %s » est obligatoire.", f->name);
			invalid(req, resp, field, why);
			return -1;
		}
		if ((f->kind == IK_STRING && !json_is_string(v)) ||
		    (f->kind == IK_INTEGER && !json_is_integer(v)) ||
		    (f->kind == IK_NUMBER && !json_is_number(v))) {
			snprintf(why, sizeof(why),
			    "Le champ « %s » doit être %s.", f->name,
			    f->kind == IK_STRING        ? "une chaîne"
				: f->kind == IK_INTEGER ? "un entier"
							: "un nombre");
			invalid(req, resp, field, why);
			return -1;
		}
		len = f->kind == IK_STRING  ? (long long)json_string_length(v)
		    : f->kind == IK_INTEGER ? (long long)json_integer_value(v)
					    : f->min;
		if (len < f->min || len > f->max) {
			snprintf(why, sizeof(why),
			    f->kind == IK_STRING
				? "Le champ « %s » doit compter de %lld à "
				  "%lld octets."
				: "Le champ « %s » doit valoir de %lld à "
				  "%lld.",
			    f->name, f->min, f->max);
			invalid(req, resp, field, why);
			return -1;
		}
	}
	return 0;
}

/* Copies string member name of obj into dst (size bytes; already checked
 * to fit by its table). */
static void
copy_member(char *dst, size_t size, json_t *obj, const char *name)
{
	const char *s = json_string_value(json_object_get(obj, name));

	snprintf(dst, size, "%s", s != NULL ? s : "");
}

/* Centres. */

static const struct json_field centre_fields[] = {
	{ "name", JK_STRING, 1, 1, STORE_CENTRE_NAME_MAX - 1 },
	{ "department", JK_STRING, 1, 2, 3 },
	{ "address", JK_STRING, 1, 1, STORE_CENTRE_ADDRESS_MAX - 1 },
};

static json_t *
centre_json(const struct store_centre *ce)
{
	return json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)ce->id,
	    "name", ce->name, "department", ce->department, "address",
	    ce->address);
}

static int
add_centre(void *arg, const struct store_centre *ce)
{
	return json_array_append_new(arg, centre_json(ce));
}

void
api_centres(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct svc s = { &app->auth, &app->rules };
	struct api_caller c;
	char dept[8];
	int q;
	json_t *list;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	q = http_request_query(req, "department", dept, sizeof(dept));
	if (q < 0 ||
	    (q == 0 && booking_department_check(dept, strlen(dept)) != BK_OK)) {
		invalid(req, resp, "department",
		    "Le département doit être un code de 01 à 95, 2A, 2B ou "
		    "971 à 976.");
		return;
	}
	list = json_array();
	if (svc_centres_list(&s, q == 0 ? dept : NULL, add_centre, list) != 0) {
		json_decref(list);
		unavailable(req, resp);
		return;
	}
	http_response_json(resp, 200, json_pack("{s:o}", "centres", list));
}

void
api_centre_create(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct svc s = { &app->auth, &app->rules };
	struct svc_actor who;
	struct svc_fault f;
	struct store_centre ce;
	struct api_caller c;
	json_t *body;
	int rc;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	if ((body = http_json_body(req, resp)) == NULL)
		return;
	if (http_json_check(req, resp, body, centre_fields,
		sizeof(centre_fields) / sizeof(centre_fields[0])) != 0)
		goto done;
	memset(&ce, 0, sizeof(ce));
	copy_member(ce.name, sizeof(ce.name), body, "name");
	copy_member(ce.department, sizeof(ce.department), body, "department");
	copy_member(ce.address, sizeof(ce.address), body, "address");
	actor_of(req, &c, &who);
	rc = svc_centre_create(&s, &who, &ce, clock_now_ms(app->clock), &f);
	if (rc != BK_OK) {
		refusal(req, resp, rc, &f, NULL);
		goto done;
	}
	http_response_json(resp, 201, centre_json(&ce));
done:
	json_decref(body);
}

/* Slots. */

static const struct json_field publish_fields[] = {
	{ "slots", JK_ARRAY, 1, 1, AUTHORITY_SLOTS_MAX },
};

static const struct item_field slot_fields[] = {
	{ "centre_id", IK_INTEGER, 1, 1, INT64_MAX },
	{ "category", IK_STRING, 1, 1, BK_CATEGORY_MAX - 1 },
	{ "start_at", IK_STRING, 1, 20, 20 },
	{ "inspector", IK_STRING, 1, 1, STORE_INSPECTOR_MAX - 1 },
	{ "published_at", IK_STRING, 0, 20, 20 },
};

/* Reads item i of the publication into *out. Returns 0, or -1 after the
 * problem. */
static int
read_slot(const struct http_request *req, struct http_response *resp, size_t i,
    json_t *item, int64_t now, struct store_slot *out)
{
	char field[FIELD_MAX];
	json_t *v;

	if (item_check(req, resp, "slots", i, item, slot_fields,
		sizeof(slot_fields) / sizeof(slot_fields[0])) != 0)
		return -1;
	memset(out, 0, sizeof(*out));
	out->centre_id = json_integer_value(json_object_get(item, "centre_id"));
	copy_member(out->s.category, sizeof(out->s.category), item, "category");
	copy_member(out->inspector, sizeof(out->inspector), item, "inspector");
	if (clock_parse_utc(json_string_value(
				json_object_get(item, "start_at")),
		&out->s.start_at) != 0) {
		snprintf(field, sizeof(field), "slots[%zu].start_at", i);
		invalid(req, resp, field,
		    "Le début s'écrit en UTC, par exemple "
		    "2026-12-01T08:30:00Z.");
		return -1;
	}
	out->s.published_at = now;
	v = json_object_get(item, "published_at");
	if (v != NULL && !json_is_null(v) &&
	    clock_parse_utc(json_string_value(v), &out->s.published_at) != 0) {
		snprintf(field, sizeof(field), "slots[%zu].published_at", i);
		invalid(req, resp, field,
		    "La publication s'écrit en UTC, par exemple "
		    "2026-11-01T08:00:00Z.");
		return -1;
	}
	out->s.state = SLOT_FREE;
	return 0;
}

void
api_slots_publish(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct svc s = { &app->auth, &app->rules };
	int64_t now = clock_now_ms(app->clock), *ids = NULL;
	struct store_slot *in = NULL;
	struct svc_actor who;
	struct svc_fault f;
	struct api_caller c;
	json_t *body, *arr, *out;
	size_t i, n;
	int rc;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	if ((body = http_json_body(req, resp)) == NULL)
		return;
	if (http_json_check(req, resp, body, publish_fields,
		sizeof(publish_fields) / sizeof(publish_fields[0])) != 0)
		goto done;
	arr = json_object_get(body, "slots");
	n = json_array_size(arr);
	in = calloc(n, sizeof(*in));
	ids = calloc(n, sizeof(*ids));
	if (in == NULL || ids == NULL) {
		unavailable(req, resp);
		goto done;
	}
	for (i = 0; i < n; i++)
		if (read_slot(req, resp, i, json_array_get(arr, i), now,
			&in[i]) != 0)
			goto done;
	actor_of(req, &c, &who);
	rc = svc_slots_publish(&s, &who, in, n, now, ids, &f);
	if (rc != BK_OK) {
		refusal(req, resp, rc, &f, "slots");
		goto done;
	}
	out = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(out, json_integer((json_int_t)ids[i]));
	http_response_json(resp, 201,
	    json_pack("{s:I, s:o}", "published", (json_int_t)n, "ids", out));
done:
	free(in);
	free(ids);
	json_decref(body);
}

static json_t *
slot_json(const struct store_slot *sl)
{
	return json_pack("{s:I, s:I, s:s, s:s, s:o, s:o, s:s, s:s}", "id",
	    (json_int_t)sl->s.id, "centre_id", (json_int_t)sl->centre_id,
	    "department", sl->s.department, "category", sl->s.category,
	    "start_at", api_time_json(sl->s.start_at), "published_at",
	    api_time_json(sl->s.published_at), "inspector", sl->inspector,
	    "state", store_slot_state_name(sl->s.state));
}

static int
add_slot(void *arg, const struct store_slot *sl)
{
	return json_array_append_new(arg, slot_json(sl));
}

/* Reads optional query argument name as a UTC time into *ms. Returns 0,
 * or -1 after the problem. */
static int
query_time(const struct http_request *req, struct http_response *resp,
    const char *name, int64_t *ms)
{
	char v[32];
	int q = http_request_query(req, name, v, sizeof(v));

	if (q == 1)
		return 0;
	if (q == 0 && clock_parse_utc(v, ms) == 0)
		return 0;
	invalid(req, resp, name,
	    "La date s'écrit en UTC, par exemple 2026-12-01T00:00:00Z.");
	return -1;
}

/* Reads optional query argument name as an integer min..max into *out.
 * Returns 0, or -1 after the problem. */
static int
query_int(const struct http_request *req, struct http_response *resp,
    const char *name, int64_t min, int64_t max, int64_t *out)
{
	char v[24], why[128];
	int q = http_request_query(req, name, v, sizeof(v));

	if (q == 1)
		return 0;
	if (q == 0 && num_parse_i64(v, min, max, out) == 0)
		return 0;
	snprintf(why, sizeof(why), "« %s » est un entier de %lld à %lld.", name,
	    (long long)min, (long long)max);
	invalid(req, resp, name, why);
	return -1;
}

void
api_authority_slots(struct http_request *req, struct http_response *resp)
{
	static const char *const states[] = { "free", "held", "booked",
		"cancelled" };
	struct app *app = req->app;
	struct svc s = { &app->auth, &app->rules };
	struct store_slot_query q;
	struct api_caller c;
	int64_t limit = 100, offset = 0;
	char state[16];
	size_t i;
	int more, st;
	json_t *list, *o;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	memset(&q, 0, sizeof(q));
	if (query_int(req, resp, "centre_id", 1, INT64_MAX, &q.centre_id) !=
		0 ||
	    query_time(req, resp, "from", &q.from) != 0 ||
	    query_time(req, resp, "to", &q.to) != 0 ||
	    query_int(req, resp, "limit", 1, STORE_SLOTS_PAGE_MAX, &limit) !=
		0 ||
	    query_int(req, resp, "offset", 0, 1000000000, &offset) != 0)
		return;
	st = http_request_query(req, "state", state, sizeof(state));
	for (i = 0; st == 0 && i < 4; i++)
		if (strcmp(state, states[i]) == 0)
			q.state = states[i];
	if (st < 0 || (st == 0 && q.state == NULL)) {
		invalid(req, resp, "state",
		    "L'état est free, held, booked ou cancelled.");
		return;
	}
	q.limit = (size_t)limit;
	q.offset = (size_t)offset;
	list = json_array();
	if (svc_slots_list(&s, &q, add_slot, list, &more) != 0) {
		json_decref(list);
		unavailable(req, resp);
		return;
	}
	o = json_pack("{s:o}", "slots", list);
	json_object_set_new(o, "next_offset",
	    more ? json_integer((json_int_t)(offset + limit)) : json_null());
	http_response_json(resp, 200, o);
}

void
api_slot_withdraw(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct svc s = { &app->auth, &app->rules };
	struct svc_actor who;
	struct store_slot sl;
	struct api_caller c;
	int64_t id;
	int rc;

	if (api_guard(req, resp, NULL, &c) != 0 ||
	    api_path_id(req, resp, "id", BK_CRENEAU_INCONNU, &id) != 0)
		return;
	actor_of(req, &c, &who);
	rc = svc_slot_withdraw(&s, &who, id, clock_now_ms(app->clock), &sl);
	if (rc < 0)
		unavailable(req, resp);
	else if (rc != BK_OK)
		api_booking_problem(req, resp, (enum bk_code)rc, "id", 0);
	else
		http_response_json(resp, 200, slot_json(&sl));
}

/* Coefficients. */

static const struct json_field coef_body_fields[] = {
	{ "coefficients", JK_ARRAY, 1, 1, AUTHORITY_COEFFICIENTS_MAX },
};

static const struct item_field coef_fields[] = {
	{ "department", IK_STRING, 1, 2, 3 },
	{ "category", IK_STRING, 1, 1, BK_CATEGORY_MAX - 1 },
	{ "month", IK_STRING, 1, 7, 7 },
	{ "coefficient", IK_NUMBER, 1, 0, 0 },
};

/* Parses "2026-12" into 202612. Returns 0 or -1. */
static int
month_parse(const char *s, int64_t *out)
{
	char y[5], m[3];
	int64_t yy, mm;

	if (s == NULL || strlen(s) != 7 || s[4] != '-')
		return -1;
	memcpy(y, s, 4);
	y[4] = '\0';
	memcpy(m, s + 5, 2);
	m[2] = '\0';
	if (strspn(y, "0123456789") != 4 || strspn(m, "0123456789") != 2 ||
	    num_parse_i64(y, 2000, 9999, &yy) != 0 ||
	    num_parse_i64(m, 1, 12, &mm) != 0)
		return -1;
	*out = yy * 100 + mm;
	return 0;
}

static json_t *
month_json(int64_t month)
{
	char s[48];

	snprintf(s, sizeof(s), "%04lld-%02lld", (long long)(month / 100),
	    (long long)(month % 100));
	return json_string(s);
}

static json_t *
centi_json(int64_t centi)
{
	return json_real((double)centi / 100.0);
}

void
api_coefficients_set(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct svc s = { &app->auth, &app->rules };
	struct quota_coefficient q[AUTHORITY_COEFFICIENTS_MAX];
	char field[FIELD_MAX];
	struct svc_actor who;
	struct svc_fault f;
	struct api_caller c;
	json_t *body, *arr, *item;
	size_t i, n;
	int rc;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	if ((body = http_json_body(req, resp)) == NULL)
		return;
	if (http_json_check(req, resp, body, coef_body_fields,
		sizeof(coef_body_fields) / sizeof(coef_body_fields[0])) != 0)
		goto done;
	arr = json_object_get(body, "coefficients");
	n = json_array_size(arr);
	memset(q, 0, sizeof(q));
	for (i = 0; i < n; i++) {
		item = json_array_get(arr, i);
		if (item_check(req, resp, "coefficients", i, item, coef_fields,
			sizeof(coef_fields) / sizeof(coef_fields[0])) != 0)
			goto done;
		copy_member(q[i].department, sizeof(q[i].department), item,
		    "department");
		copy_member(q[i].category, sizeof(q[i].category), item,
		    "category");
		if (month_parse(json_string_value(
				    json_object_get(item, "month")),
			&q[i].month) != 0) {
			snprintf(field, sizeof(field),
			    "coefficients[%zu].month", i);
			invalid(req, resp, field,
			    "Le mois s'écrit AAAA-MM, par exemple 2026-12.");
			goto done;
		}
		if (centi_of(json_object_get(item, "coefficient"), 0,
			AUTHORITY_COEFFICIENT_MAX_CENTI, &q[i].centi) != 0) {
			snprintf(field, sizeof(field),
			    "coefficients[%zu].coefficient", i);
			invalid(req, resp, field,
			    "Le coefficient vaut de 0 à 1000 places par ETP, "
			    "avec au plus deux décimales.");
			goto done;
		}
	}
	actor_of(req, &c, &who);
	rc = svc_coefficients_set(&s, &who, q, n, clock_now_ms(app->clock), &f);
	if (rc != BK_OK) {
		refusal(req, resp, rc, &f, "coefficients");
		goto done;
	}
	http_response_json(resp, 200,
	    json_pack("{s:I}", "updated", (json_int_t)n));
done:
	json_decref(body);
}

static int
add_coef(void *arg, const struct quota_coefficient *q)
{
	return json_array_append_new(arg,
	    json_pack("{s:s, s:s, s:o, s:o}", "department", q->department,
		"category", q->category, "month", month_json(q->month),
		"coefficient", centi_json(q->centi)));
}

void
api_coefficients(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct svc s = { &app->auth, &app->rules };
	struct api_caller c;
	char dept[8], month[16];
	int64_t m = 0;
	int qd, qm;
	json_t *list;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	qd = http_request_query(req, "department", dept, sizeof(dept));
	qm = http_request_query(req, "month", month, sizeof(month));
	if (qd < 0 ||
	    (qd == 0 &&
		booking_department_check(dept, strlen(dept)) != BK_OK)) {
		invalid(req, resp, "department",
		    "Le département doit être un code de 01 à 95, 2A, 2B ou "
		    "971 à 976.");
		return;
	}
	if (qm < 0 || (qm == 0 && month_parse(month, &m) != 0)) {
		invalid(req, resp, "month",
		    "Le mois s'écrit AAAA-MM, par exemple 2026-12.");
		return;
	}
	list = json_array();
	if (svc_coefficients_list(&s, qd == 0 ? dept : NULL, m, add_coef,
		list) != 0) {
		json_decref(list);
		unavailable(req, resp);
		return;
	}
	/* The default applies wherever no coefficient is set. */
	http_response_json(resp, 200,
	    json_pack("{s:o, s:o}", "coefficients", list, "default",
		centi_json(app->rules.coefficient_centi)));
}

/* Schools and their establishments. */

static int
add_school(void *arg, const struct svc_school_entry *e)
{
	json_t *depts = json_array();
	size_t i;

	for (i = 0; depts != NULL && i < e->ndepts; i++)
		json_array_append_new(depts, json_string(e->depts[i]));
	return json_array_append_new(arg,
	    json_pack("{s:s, s:s, s:o*}", "org_id", e->org.org_id, "name",
		e->org.name, "departments", depts));
}

void
api_schools(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct svc s = { &app->auth, &app->rules };
	struct api_caller c;
	json_t *list;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	list = json_array();
	if (svc_school_directory(&s, add_school, list) != 0) {
		json_decref(list);
		unavailable(req, resp);
		return;
	}
	http_response_json(resp, 200, json_pack("{s:o}", "schools", list));
}

/* Reads the school of path parameter org into *school_id. Returns 0, or
 * -1 after the problem (404 when it is no school organisation). */
static int
path_school(struct http_request *req, struct http_response *resp,
    int64_t *school_id)
{
	struct app *app = req->app;
	struct svc s = { &app->auth, &app->rules };
	const char *org = http_request_param(req, "org");
	int rc;

	rc = org == NULL || strlen(org) >= STORE_ID_MAX
	    ? 1
	    : svc_school_of(&s, org, clock_now_ms(app->clock), school_id);
	if (rc == 0)
		return 0;
	if (rc == 1)
		http_problem(req, resp, 404, "not_found", "org",
		    "Aucune auto-école ne porte cet identifiant.");
	else
		unavailable(req, resp);
	return -1;
}

static json_t *
establishments_json(const char *org, const struct authority_establishments *e)
{
	json_t *d = json_array(), *t = json_array();
	size_t i;

	for (i = 0; i < e->ndepts; i++)
		json_array_append_new(d, json_string(e->depts[i]));
	for (i = 0; i < e->ntrainers; i++)
		json_array_append_new(t,
		    json_pack("{s:s, s:s, s:s, s:o}", "trainer",
			e->trainers[i].trainer, "department",
			e->trainers[i].department, "category",
			e->trainers[i].category, "etp",
			centi_json(e->trainers[i].etp_centi)));
	return json_pack("{s:s, s:o, s:o}", "org_id", org, "departments", d,
	    "trainers", t);
}

static const struct json_field estab_fields[] = {
	{ "departments", JK_ARRAY, 1, 0, STORE_SCHOOL_DEPTS_MAX },
	{ "trainers", JK_ARRAY, 1, 0, STORE_TRAINER_ETP_MAX },
};

static const struct item_field trainer_fields[] = {
	{ "trainer", IK_STRING, 1, 1, STORE_TRAINER_REF_MAX - 1 },
	{ "department", IK_STRING, 1, 2, 3 },
	{ "category", IK_STRING, 1, 1, BK_CATEGORY_MAX - 1 },
	{ "etp", IK_NUMBER, 1, 0, 0 },
};

/* Reads the body into *e. Returns 0, or -1 after the problem. */
static int
read_establishments(const struct http_request *req, struct http_response *resp,
    json_t *body, struct authority_establishments *e)
{
	json_t *arr, *v;
	char field[FIELD_MAX];
	size_t i;

	arr = json_object_get(body, "departments");
	e->ndepts = json_array_size(arr);
	for (i = 0; i < e->ndepts; i++) {
		v = json_array_get(arr, i);
		if (!json_is_string(v) || json_string_length(v) < 2 ||
		    json_string_length(v) > 3) {
			snprintf(field, sizeof(field), "departments[%zu]", i);
			invalid(req, resp, field,
			    "Chaque département est un code de 01 à 95, 2A, "
			    "2B ou 971 à 976.");
			return -1;
		}
		snprintf(e->depts[i], sizeof(e->depts[i]), "%s",
		    json_string_value(v));
	}
	arr = json_object_get(body, "trainers");
	e->ntrainers = json_array_size(arr);
	for (i = 0; i < e->ntrainers; i++) {
		struct store_trainer_etp *t = &e->trainers[i];

		v = json_array_get(arr, i);
		if (item_check(req, resp, "trainers", i, v, trainer_fields,
			sizeof(trainer_fields) / sizeof(trainer_fields[0])) !=
		    0)
			return -1;
		copy_member(t->trainer, sizeof(t->trainer), v, "trainer");
		copy_member(t->department, sizeof(t->department), v,
		    "department");
		copy_member(t->category, sizeof(t->category), v, "category");
		if (centi_of(json_object_get(v, "etp"), 1, 100,
			&t->etp_centi) != 0) {
			snprintf(field, sizeof(field), "trainers[%zu].etp", i);
			invalid(req, resp, field,
			    "L'ETP vaut de 0,01 à 1,00, avec au plus deux "
			    "décimales.");
			return -1;
		}
	}
	return 0;
}

void
api_school_establishments_set(struct http_request *req,
    struct http_response *resp)
{
	struct app *app = req->app;
	struct svc s = { &app->auth, &app->rules };
	struct authority_establishments *e = NULL;
	struct svc_actor who;
	struct svc_fault f;
	struct api_caller c;
	int64_t school_id;
	json_t *body;
	int rc;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	if ((body = http_json_body(req, resp)) == NULL)
		return;
	if (http_json_check(req, resp, body, estab_fields,
		sizeof(estab_fields) / sizeof(estab_fields[0])) != 0 ||
	    path_school(req, resp, &school_id) != 0)
		goto done;
	if ((e = calloc(1, sizeof(*e))) == NULL) {
		unavailable(req, resp);
		goto done;
	}
	if (read_establishments(req, resp, body, e) != 0)
		goto done;
	actor_of(req, &c, &who);
	rc = svc_establishments_set(&s, &who, school_id,
	    http_request_param(req, "org"), e, clock_now_ms(app->clock), &f);
	if (rc != BK_OK) {
		refusal(req, resp, rc, &f,
		    f.field != NULL && strcmp(f.field, "departments") == 0
			? NULL
			: "trainers");
		goto done;
	}
	if (svc_establishments_get(&s, school_id, e) != 0) {
		unavailable(req, resp);
		goto done;
	}
	http_response_json(resp, 200,
	    establishments_json(http_request_param(req, "org"), e));
done:
	free(e);
	json_decref(body);
}

void
api_school_establishments(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct svc s = { &app->auth, &app->rules };
	struct authority_establishments *e;
	struct api_caller c;
	int64_t school_id;

	if (api_guard(req, resp, NULL, &c) != 0 ||
	    path_school(req, resp, &school_id) != 0)
		return;
	if ((e = calloc(1, sizeof(*e))) == NULL ||
	    svc_establishments_get(&s, school_id, e) != 0) {
		free(e);
		unavailable(req, resp);
		return;
	}
	http_response_json(resp, 200,
	    establishments_json(http_request_param(req, "org"), e));
	free(e);
}
