/*
 * basket_api.c - a school employee's slot search, basket and validation
 * (RULES.md rules 2 to 5): thin handlers over src/service/basket.c. Every
 * refusal is the RULES.md code as problem+json, naming the item at fault.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/booking_api.h"
#include "app.h"
#include "booking/neph.h"
#include "booking/replay.h"
#include "core/clock.h"
#include "http/jsonbody.h"
#include "http/jsonw.h"
#include "http/response.h"
#include "service/basket.h"

static json_t *
basket_json(const struct booking_rules *r, const struct basket *b, int64_t now)
{
	json_t *items = json_array(), *o;
	size_t i;

	for (i = 0; i < b->n; i++) {
		const struct basket_item *it = &b->items[i];

		json_array_append_new(items,
		    json_pack("{s:I, s:o, s:s, s:s, s:o, s:s}", "slot_id",
			(json_int_t)it->slot_id, "candidate_id",
			it->candidate_id > 0
			    ? json_integer((json_int_t)it->candidate_id)
			    : json_null(),
			"department", it->department, "category", it->category,
			"start_at", api_time_json(it->start_at), "centre",
			it->centre));
	}
	o = json_pack("{s:I, s:o, s:I, s:{s:i, s:i, s:I}}", "id",
	    (json_int_t)b->id, "slots", items, "time_left_ms",
	    (json_int_t)basket_time_left(r, b, now), "limits", "per_action",
	    r->basket_add_max, "max", r->basket_slots_max, "ttl_ms",
	    (json_int_t)r->basket_ttl_ms);
	if (o != NULL)
		json_object_set_new(o, "expires_at",
		    b->n > 0 ? api_time_json(basket_expires_at(r, b))
			     : json_null());
	return o;
}

/* Answers the caller's basket as it now is. */
static void
answer_basket(struct http_request *req, struct http_response *resp,
    struct api_bctx *x, int status)
{
	struct basket b;

	if (svc_basket_current(&x->s, &x->who, x->school_id, x->now, &b) !=
	    BK_OK) {
		api_unavailable(req, resp);
		return;
	}
	http_response_json(resp, status, basket_json(x->s.r, &b, x->now));
}

void
api_basket(struct http_request *req, struct http_response *resp)
{
	struct api_bctx x;

	if (api_bctx_begin(req, resp, &x, 1) == 0)
		answer_basket(req, resp, &x, 200);
}

/* Slot search. */
/* The slots found, written as they come (http/jsonw.h): a search answers
 * up to 500 of them, and building each as a jansson object was most of
 * its CPU (bench/README.md, « server CPU per request »). */
#define SLOTS_JSON_MAX (1 << 20) /* 500 slots are about 130 kB */

struct found {
	struct jsonw w;
	int64_t now;
};

static int
found_slot(void *arg, const struct store_slot_found *f, int64_t opens)
{
	struct found *s = arg;

	jsonw_object(&s->w, NULL);
	jsonw_int(&s->w, "id", f->slot.id);
	jsonw_int(&s->w, "centre_id", f->centre_id);
	jsonw_string(&s->w, "centre", f->centre_name ? f->centre_name : "");
	jsonw_string(&s->w, "department", f->slot.department);
	jsonw_string(&s->w, "category", f->slot.category);
	api_time_jsonw(&s->w, "start_at", f->slot.start_at);
	api_time_jsonw(&s->w, "opens_at", opens);
	jsonw_bool(&s->w, "bookable_now", opens <= s->now);
	jsonw_end(&s->w);
	return s->w.failed ? -1 : 0;
}

/* Reads query argument name as a time (RFC 3339 UTC) into *out, keeping
 * *out when absent. Returns 0, or -1 after the problem. */
static int
query_time(const struct http_request *req, struct http_response *resp,
    const char *name, int64_t *out)
{
	char v[40];
	int rc = http_request_query(req, name, v, sizeof(v));

	if (rc == 1)
		return 0;
	if (rc == 0 && clock_parse_utc(v, out) == 0)
		return 0;
	api_booking_problem(req, resp, BK_PARAMETRE_INVALIDE, name, 0);
	return -1;
}

void
api_slots_search(struct http_request *req, struct http_response *resp)
{
	char dept[8] = "", cat[8] = "", centre[24] = "", limit[8] = "";
	struct store_slot_search q;
	struct found f;
	struct api_bctx x;
	char *end;

	if (api_bctx_begin(req, resp, &x, 1) != 0)
		return;
	memset(&q, 0, sizeof(q));
	q.from = x.now;
	q.limit = 200;
	if (http_request_query(req, "department", dept, sizeof(dept)) < 0 ||
	    (dept[0] &&
		booking_department_check(dept, strlen(dept)) != BK_OK)) {
		api_booking_problem(req, resp, BK_PARAMETRE_INVALIDE,
		    "department", 0);
		return;
	}
	if (http_request_query(req, "category", cat, sizeof(cat)) < 0 ||
	    (cat[0] && booking_category_check(cat, strlen(cat)) != BK_OK)) {
		api_booking_problem(req, resp, BK_PARAMETRE_INVALIDE,
		    "category", 0);
		return;
	}
	if (http_request_query(req, "centre_id", centre, sizeof(centre)) < 0 ||
	    (centre[0] &&
		((q.centre_id = strtoll(centre, &end, 10)) <= 0 || *end))) {
		api_booking_problem(req, resp, BK_PARAMETRE_INVALIDE,
		    "centre_id", 0);
		return;
	}
	if (http_request_query(req, "limit", limit, sizeof(limit)) < 0 ||
	    (limit[0] &&
		((q.limit = strtol(limit, &end, 10)) < 1 || q.limit > 500 ||
		    *end))) {
		api_booking_problem(req, resp, BK_PARAMETRE_INVALIDE, "limit",
		    0);
		return;
	}
	if (query_time(req, resp, "from", &q.from) != 0 ||
	    query_time(req, resp, "to", &q.to) != 0)
		return;
	if (q.from < x.now)
		q.from = x.now; /* the past is not for booking */
	q.department = dept;
	q.category = cat;
	q.published_before = x.now;
	f.now = x.now;
	jsonw_init(&f.w, SLOTS_JSON_MAX);
	jsonw_object(&f.w, NULL);
	jsonw_array(&f.w, "slots");
	if (svc_slots_search(&x.s, x.school_id, &q, found_slot, &f) != 0) {
		jsonw_free(&f.w);
		api_unavailable(req, resp);
		return;
	}
	jsonw_end(&f.w);
	jsonw_end(&f.w);
	http_response_jsonw(resp, 200, &f.w);
}

static const struct json_field add_fields[] = {
	{ "slots", JK_ARRAY, 1, 1, BK_BASKET_CAP },
};

/* Reads item i of the slots array: {slot_id, candidate_id?}. Returns 0,
 * or -1 after the problem naming slots[i]. */
static int
read_item(const struct http_request *req, struct http_response *resp,
    json_t *item, size_t i, int64_t *slot, int64_t *cand)
{
	char field[48];
	const char *key;
	json_t *v;

	*cand = 0;
	snprintf(field, sizeof(field), "slots[%zu].slot_id", i);
	v = json_object_get(item, "slot_id");
	if (!json_is_object(item) || !json_is_integer(v) ||
	    (*slot = json_integer_value(v)) <= 0)
		goto bad;
	v = json_object_get(item, "candidate_id");
	snprintf(field, sizeof(field), "slots[%zu].candidate_id", i);
	if (v != NULL && !json_is_null(v) &&
	    (!json_is_integer(v) || (*cand = json_integer_value(v)) < 0))
		goto bad;
	json_object_foreach (item, key, v) {
		if (strcmp(key, "slot_id") != 0 &&
		    strcmp(key, "candidate_id") != 0) {
			snprintf(field, sizeof(field), "slots[%zu].%s", i, key);
			goto bad;
		}
	}
	return 0;
bad:
	api_booking_problem(req, resp, BK_PARAMETRE_INVALIDE, field, 0);
	return -1;
}

/* Is refusal rc about the candidate put on a slot (rules 1 and 6)? */
static int
about_candidate(int rc)
{
	return rc == BK_CANDIDAT_PAS_SOUS_MANDAT ||
	    rc == BK_CANDIDAT_DEJA_INSCRIT ||
	    rc == BK_CANDIDAT_EN_ATTENTE_DE_RESULTAT ||
	    rc == BK_CANDIDAT_AYANT_DEJA_OBTENU_SON_EXAMEN ||
	    rc == BK_CANDIDAT_SOUS_PENALITE;
}

void
api_basket_add(struct http_request *req, struct http_response *resp)
{
	int64_t basket, slots[BK_BASKET_CAP], cands[BK_BASKET_CAP];
	struct svc_refusal why;
	struct api_bctx x;
	json_t *body, *list;
	char field[48];
	size_t i, n;
	int rc;

	if (api_bctx_begin(req, resp, &x, 1) != 0 ||
	    api_path_id(req, resp, "id", BK_PANIER_INCONNU, &basket) != 0 ||
	    (body = http_json_body(req, resp)) == NULL)
		return;
	list = json_object_get(body, "slots");
	if (json_is_array(list) &&
	    json_array_size(list) > (size_t)x.s.r->basket_add_max) {
		/* Rule 4 has its own code for this, before any other check. */
		api_booking_problem(req, resp, BK_TROP_DE_CRENEAUX, "slots", 0);
		goto done;
	}
	if (http_json_check(req, resp, body, add_fields, 1) != 0)
		goto done;
	n = json_array_size(list);
	for (i = 0; i < n; i++)
		if (read_item(req, resp, json_array_get(list, i), i, &slots[i],
			&cands[i]) != 0)
			goto done;
	rc = svc_basket_add(&x.s, &x.who, x.school_id, basket, slots, cands, n,
	    x.now, &why);
	snprintf(field, sizeof(field), "slots[%zu]%s", why.index,
	    about_candidate(rc) ? ".candidate_id" : ".slot_id");
	if (api_bctx_refused(req, resp, rc,
		rc == BK_PANIER_INCONNU || rc == BK_PANIER_EXPIRE ||
			rc == BK_PANIER_PLEIN || rc == BK_TROP_DE_CRENEAUX
		    ? NULL
		    : field,
		why.at) == 0) {
		answer_basket(req, resp, &x, 200);
	} else if (rc == BK_CRENEAU_DEJA_RESERVE) {
		/* Every slot of the request taken by now, not only the
		 * first: the client drops them all in one go. */
		json_t *taken = json_array();

		for (i = 0; i < why.ntaken; i++)
			json_array_append_new(taken,
			    json_integer(why.taken[i]));
		http_problem_add(resp, "taken", taken);
	}
done:
	json_decref(body);
}

void
api_basket_remove(struct http_request *req, struct http_response *resp)
{
	int64_t basket, slot;
	struct api_bctx x;

	if (api_bctx_begin(req, resp, &x, 1) != 0 ||
	    api_path_id(req, resp, "id", BK_PANIER_INCONNU, &basket) != 0 ||
	    api_path_id(req, resp, "slot", BK_CRENEAU_PAS_DANS_LE_PANIER,
		&slot) != 0)
		return;
	if (api_bctx_refused(req, resp,
		svc_basket_remove(&x.s, &x.who, basket, slot, x.now), NULL,
		0) == 0)
		answer_basket(req, resp, &x, 200);
}

static const struct json_field assign_fields[] = {
	{ "candidate_id", JK_INTEGER, 1, 0, INT64_MAX },
};

void
api_basket_assign(struct http_request *req, struct http_response *resp)
{
	int64_t basket, slot, until = 0;
	struct api_bctx x;
	json_t *body;
	int rc;

	if (api_bctx_begin(req, resp, &x, 1) != 0 ||
	    api_path_id(req, resp, "id", BK_PANIER_INCONNU, &basket) != 0 ||
	    api_path_id(req, resp, "slot", BK_CRENEAU_PAS_DANS_LE_PANIER,
		&slot) != 0 ||
	    (body = http_json_body(req, resp)) == NULL)
		return;
	if (http_json_check(req, resp, body, assign_fields, 1) == 0) {
		rc = svc_basket_assign(&x.s, &x.who, x.school_id, basket, slot,
		    json_integer_value(json_object_get(body, "candidate_id")),
		    x.now, &until);
		if (api_bctx_refused(req, resp, rc,
			about_candidate(rc) ? "candidate_id" : NULL,
			until) == 0)
			answer_basket(req, resp, &x, 200);
	}
	json_decref(body);
}

void
api_basket_validate(struct http_request *req, struct http_response *resp)
{
	struct svc_validation v;
	json_t *results;
	char detail[512];
	const char *key;
	int64_t basket;
	struct api_bctx x;
	size_t i;
	int rc;

	if (api_bctx_begin(req, resp, &x, 1) != 0 ||
	    api_path_id(req, resp, "id", BK_PANIER_INCONNU, &basket) != 0)
		return;
	/* A partner's software retrying on a timeout or a 5xx sends the
	 * same Idempotency-Key: it gets the first answer again, and the
	 * basket is never booked twice (src/booking/replay.h). */
	key = http_request_header(req, "Idempotency-Key");
	if (key != NULL && replay_key_check(key) != 0) {
		http_problem(req, resp, 422, "invalid_idempotency_key",
		    "Idempotency-Key",
		    "La clé d'idempotence doit compter de %d à %d caractères "
		    "parmi les lettres non accentuées, les chiffres, « _ » et "
		    "« - ».",
		    REPLAY_KEY_MIN, REPLAY_KEY_MAX);
		return;
	}
	rc = svc_basket_validate_once(&x.s, &x.who, x.school_id, basket, key,
	    x.now, &v);
	if (rc == SVC_IDEM_KEY_REUSED) {
		http_problem(req, resp, 422, "idempotency_key_reused",
		    "Idempotency-Key",
		    "Cette clé d'idempotence a déjà servi à valider un autre "
		    "panier : envoyez une nouvelle clé pour chaque validation.");
		return;
	}
	if (api_bctx_refused(req, resp, rc, NULL, 0) != 0)
		return;
	if (v.replayed &&
	    http_response_header(resp, "Idempotent-Replayed", "true") != 0) {
		api_unavailable(req, resp);
		return;
	}
	results = json_array();
	for (i = 0; i < v.n; i++) {
		const struct basket_result *r = &v.res[i];
		json_t *o = json_pack("{s:I, s:o, s:b, s:s}", "slot_id",
		    (json_int_t)r->slot_id, "exam_id",
		    r->exam_id > 0 ? json_integer((json_int_t)r->exam_id)
				   : json_null(),
		    "booked", r->booked, "code", bk_code_name(r->code));

		if (!r->booked) {
			api_booking_detail(r->code, v.at[i], detail,
			    sizeof(detail));
			json_object_set_new(o, "detail", json_string(detail));
			if (v.at[i] > 0)
				json_object_set_new(o, "until",
				    api_time_json(v.at[i]));
		}
		json_array_append_new(results, o);
	}
	http_response_json(resp, v.contains_errors ? 207 : 200,
	    json_pack("{s:o, s:b}", "results", results, "contains_errors",
		v.contains_errors));
}
