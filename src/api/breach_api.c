/*
 * breach_api.c - the breach register for the DPO (GDPR Art. 33-34):
 * incidents of the DPO's organisation with their 72-hour clock, the
 * generated CNIL notification and the notice to the people affected.
 */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "api/guard.h"
#include "app.h"
#include "core/buf.h"
#include "core/clock.h"
#include "gdpr/breach.h"
#include "http/jsonbody.h"
#include "http/response.h"

/* The request fields, shared by opening and updating. */
static const struct json_field fields[] = {
	{ "discovered_at", JK_STRING, 0, 20, 20 },
	{ "high_risk", JK_BOOLEAN, 0, 0, 0 },
	{ "people_count", JK_INTEGER, 0, 0, 1000000000 },
	{ "records_count", JK_INTEGER, 0, 0, 1000000000 },
	{ "nature", JK_STRING, 0, 1, BREACH_TEXT_MAX },
	{ "people_categories", JK_STRING, 0, 1, BREACH_TEXT_MAX },
	{ "record_categories", JK_STRING, 0, 1, BREACH_TEXT_MAX },
	{ "consequences", JK_STRING, 0, 1, BREACH_TEXT_MAX },
	{ "measures", JK_STRING, 0, 1, BREACH_TEXT_MAX },
	{ "contact", JK_STRING, 0, 1, BREACH_TEXT_MAX },
	{ "no_notification_reason", JK_STRING, 0, 1, BREACH_TEXT_MAX },
	{ "cnil_notified", JK_BOOLEAN, 0, 0, 0 },
	{ "people_informed", JK_BOOLEAN, 0, 0, 0 },
};
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

static json_t *
breach_json(const struct breach *b, int64_t now)
{
	struct breach_clock k;
	char at[32], dl[32];
	json_t *o;
	int i;

	breach_clock(b, now, &k);
	clock_format_utc(b->discovered_at, at, sizeof(at));
	clock_format_utc(k.deadline_ms, dl, sizeof(dl));
	o = json_pack("{s:s, s:s, s:s, s:b, s:I, s:I, s:{s:s, s:I, s:I, s:b}}",
	    "id", b->id, "discovered_at", at, "deadline", dl, "high_risk",
	    b->high_risk, "people_count", (json_int_t)b->people_count,
	    "records_count", (json_int_t)b->records_count, "clock", "state",
	    breach_state_name(k.state), "hours_left", (json_int_t)k.hours_left,
	    "hours_overdue", (json_int_t)k.hours_overdue, "notified_late",
	    k.notified_late);
	if (o == NULL)
		return NULL;
	for (i = 0; i < BT_COUNT; i++)
		json_object_set_new(o, breach_text_name((enum breach_text)i),
		    json_string(b->text[i]));
	if (b->notified_at > 0 &&
	    clock_format_utc(b->notified_at, at, sizeof(at)) == 0)
		json_object_set_new(o, "cnil_notified_at", json_string(at));
	if (b->people_informed_at > 0 &&
	    clock_format_utc(b->people_informed_at, at, sizeof(at)) == 0)
		json_object_set_new(o, "people_informed_at", json_string(at));
	return o;
}

/* Reads the fields present in body into ch. Returns 0, or -1 after the
 * problem naming the field. */
static int
read_change(const struct http_request *req, struct http_response *resp,
    json_t *body, struct breach_change *ch)
{
	json_t *v;
	int i;

	breach_change_init(ch);
	for (i = 0; i < BT_COUNT; i++) {
		v = json_object_get(body,
		    breach_text_name((enum breach_text)i));
		if (v != NULL)
			ch->text[i] = json_string_value(v);
	}
	if ((v = json_object_get(body, "discovered_at")) != NULL &&
	    clock_parse_utc(json_string_value(v), &ch->discovered_at) != 0) {
		http_problem(req, resp, 422, "invalid_time", "discovered_at",
		    "Le champ « discovered_at » doit ressembler à "
		    "2026-01-31T18:00:00Z.");
		return -1;
	}
	if ((v = json_object_get(body, "high_risk")) != NULL)
		ch->high_risk = json_is_true(v);
	if ((v = json_object_get(body, "people_count")) != NULL)
		ch->people_count = json_integer_value(v);
	if ((v = json_object_get(body, "records_count")) != NULL)
		ch->records_count = json_integer_value(v);
	ch->notified = json_is_true(json_object_get(body, "cnil_notified"));
	ch->informed = json_is_true(json_object_get(body, "people_informed"));
	return 0;
}

static int
add_item(void *arg, const struct breach *b)
{
	json_t **pair = arg;

	return json_array_append_new(pair[0],
	    breach_json(b, (int64_t)json_integer_value(pair[1])));
}

void
api_breaches(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct api_caller c;
	json_t *pair[2];

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	pair[0] = json_array();
	pair[1] = json_integer(clock_now_ms(app->clock));
	if (breach_list(&app->auth, c.s.org_id, add_item, pair) != 0) {
		json_decref(pair[0]);
		json_decref(pair[1]);
		http_problem(req, resp, 503, "unavailable", NULL,
		    "Le registre des violations est indisponible.");
		return;
	}
	json_decref(pair[1]);
	http_response_json(resp, 200, json_pack("{s:o}", "breaches", pair[0]));
}

void
api_breach_open(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct api_caller c;
	struct breach_change ch;
	struct breach b;
	char why[256] = "", changed[256];
	int64_t now = clock_now_ms(app->clock);
	json_t *body;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	if ((body = http_json_body(req, resp)) == NULL)
		return;
	if (http_json_check(req, resp, body, fields, NFIELDS) != 0 ||
	    read_change(req, resp, body, &ch) != 0)
		goto done;
	breach_init(&b);
	snprintf(b.org_id, sizeof(b.org_id), "%s", c.s.org_id);
	/* The contact point defaults to the DPO of the data map. */
	if (ch.text[BT_CONTACT] == NULL && app->datamap != NULL)
		ch.text[BT_CONTACT] = app->datamap->controller.dpo;
	if (breach_apply(&b, &ch, now, changed, sizeof(changed), why,
		sizeof(why)) != 0 ||
	    breach_open(&app->auth, c.s.account_id, &b, now, why,
		sizeof(why)) != 0) {
		http_problem(req, resp, 422, "invalid_breach", NULL, "%s",
		    why[0] ? why : "Incident refusé.");
		goto done;
	}
	http_response_json(resp, 201, breach_json(&b, now));
	breach_clear(&b);
done:
	json_decref(body);
}

/* Reads the incident of the path if it is the caller's organisation's.
 * Returns 0, or -1 after the problem (404 otherwise). */
static int
load(struct http_request *req, struct http_response *resp,
    const struct api_caller *c, struct breach *b)
{
	struct app *app = req->app;

	breach_init(b);
	if (breach_get(&app->auth, http_request_param(req, "id"), b) == 0 &&
	    strcmp(b->org_id, c->s.org_id) == 0)
		return 0;
	breach_clear(b);
	http_problem(req, resp, 404, "not_found", NULL,
	    "Aucun incident de votre organisme ne porte cet identifiant.");
	return -1;
}

void
api_breach(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct api_caller c;
	struct breach b;

	if (api_guard(req, resp, NULL, &c) != 0 || load(req, resp, &c, &b) != 0)
		return;
	http_response_json(resp, 200,
	    breach_json(&b, clock_now_ms(app->clock)));
	breach_clear(&b);
}

void
api_breach_update(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct api_caller c;
	struct breach_change ch;
	struct breach b;
	char why[256] = "";
	int64_t now = clock_now_ms(app->clock);
	json_t *body;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	if ((body = http_json_body(req, resp)) == NULL)
		return;
	if (http_json_check(req, resp, body, fields, NFIELDS) != 0 ||
	    read_change(req, resp, body, &ch) != 0)
		goto done;
	breach_init(&b);
	if (breach_update(&app->auth, c.s.account_id, c.s.org_id,
		http_request_param(req, "id"), &ch, now, &b, why,
		sizeof(why)) != 0) {
		if (why[0] == '\0')
			http_problem(req, resp, 404, "not_found", NULL,
			    "Aucun incident de votre organisme ne porte cet "
			    "identifiant.");
		else
			http_problem(req, resp, 422, "invalid_breach", NULL,
			    "%s", why);
		goto done;
	}
	http_response_json(resp, 200, breach_json(&b, now));
	breach_clear(&b);
done:
	json_decref(body);
}

static void
text_answer(struct http_request *req, struct http_response *resp, int notice)
{
	struct api_caller c;
	struct breach b;
	struct buf out;
	char why[256] = "";
	int rc;

	if (api_guard(req, resp, NULL, &c) != 0 || load(req, resp, &c, &b) != 0)
		return;
	buf_init(&out, 64 * 1024);
	rc = notice ? breach_notice_text(&b, &out, why, sizeof(why))
		    : breach_cnil_text(&b, &out);
	breach_clear(&b);
	if (rc != 0) {
		buf_free(&out);
		http_problem(req, resp, 422, "not_applicable", NULL, "%s",
		    why[0] ? why : "Le texte n'a pas pu être produit.");
		return;
	}
	resp->status = 200;
	resp->content_type = HTTP_CT_TEXT;
	resp->body = buf_steal(&out, &resp->body_len);
}

void
api_breach_cnil(struct http_request *req, struct http_response *resp)
{
	text_answer(req, resp, 0);
}

void
api_breach_notice(struct http_request *req, struct http_response *resp)
{
	text_answer(req, resp, 1);
}
