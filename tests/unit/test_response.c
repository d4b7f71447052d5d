/*
 * test_response.c - src/http/response.c: problem+json documents read back
 * with jansson, JSON answers, headers safe from splitting.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/fault.h"
#include "core/limits.h"
#include "http/response.h"
#include "unit.h"

/* Parses the body of r, which must be a JSON object of body_len bytes. */
static json_t *
body_json(const struct http_response *r)
{
	json_error_t e;
	json_t *o;

	assert_non_null(r->body);
	assert_int_equal(r->body_len, strlen(r->body));
	o = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &e);
	if (o == NULL)
		fail_msg("body is not JSON (%s): %s", e.text, r->body);
	assert_true(json_is_object(o));
	return o;
}

static const char *
member_str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_string(v))
		fail_msg("member %s missing or not a string", key);
	return json_string_value(v);
}

static void
test_init_clear(void **state)
{
	struct http_response r;

	(void)state;
	memset(&r, 0x5a, sizeof(r));
	http_response_init(&r);
	assert_int_equal(r.status, 0);
	assert_null(r.body);
	assert_int_equal(r.nheaders, 0);
	assert_int_equal(http_response_header(&r, "X-A", "1"), 0);
	http_response_json(&r, 200, json_pack("{s:i}", "n", 1));
	http_response_clear(&r);
	assert_int_equal(r.status, 0);
	assert_null(r.body);
	assert_int_equal(r.nheaders, 0);
	assert_null(http_response_header_get(&r, "X-A"));
	/* Reusable after clear. */
	http_response_json(&r, 201, json_pack("{s:i}", "n", 2));
	assert_int_equal(r.status, 201);
	http_response_clear(&r);
}

static void
test_problem_members(void **state)
{
	struct http_request req;
	struct http_response r;
	json_t *o;

	(void)state;
	memset(&req, 0, sizeof(req));
	snprintf(req.request_id, sizeof(req.request_id), "%s",
	    "0123456789abcdef0123456789abcdef");
	http_response_init(&r);
	http_problem(&req, &r, 422, "out_of_range", "duration",
	    "Le champ « %s » doit valoir de %d à %d.", "duration", 15, 240);
	assert_int_equal(r.status, 422);
	assert_string_equal(r.content_type, HTTP_CT_PROBLEM);
	assert_non_null(strstr(r.content_type, "application/problem+json"));
	assert_non_null(strstr(r.content_type, "charset=utf-8"));

	o = body_json(&r);
	assert_string_equal(member_str(o, "type"),
	    "urn:creneau:problem:out_of_range");
	assert_string_equal(member_str(o, "title"), http_status_title(422));
	assert_true(json_is_integer(json_object_get(o, "status")));
	assert_int_equal(json_integer_value(json_object_get(o, "status")), 422);
	assert_string_equal(member_str(o, "code"), "out_of_range");
	assert_string_equal(member_str(o, "detail"),
	    "Le champ « duration » doit valoir de 15 à 240.");
	assert_string_equal(member_str(o, "instance"),
	    "urn:creneau:request:0123456789abcdef0123456789abcdef");
	assert_string_equal(member_str(o, "field"), "duration");
	assert_int_equal(json_object_size(o), 7);
	json_decref(o);
	http_response_clear(&r);
}

static void
test_problem_optional_members(void **state)
{
	struct http_request req;
	struct http_response r;
	json_t *o;

	(void)state;
	/* No request, no field: neither instance nor field. */
	http_response_init(&r);
	http_problem(NULL, &r, 404, "not_found", NULL, "Rien ici.");
	assert_int_equal(r.status, 404);
	o = body_json(&r);
	assert_null(json_object_get(o, "instance"));
	assert_null(json_object_get(o, "field"));
	assert_string_equal(member_str(o, "title"), "Ressource introuvable");
	assert_int_equal(json_object_size(o), 5);
	json_decref(o);

	/* A request without an id yet: no instance either. */
	memset(&req, 0, sizeof(req));
	http_problem(&req, &r, 400, "bad_request", NULL, "Non.");
	o = body_json(&r);
	assert_null(json_object_get(o, "instance"));
	json_decref(o);
	http_response_clear(&r);
}

static void
test_problem_replaces_answer(void **state)
{
	struct http_response r;
	json_t *o;

	(void)state;
	http_response_init(&r);
	http_response_json(&r, 200, json_pack("{s:s}", "ok", "yes"));
	http_problem(NULL, &r, 409, "slot_taken", NULL, "Déjà pris.");
	assert_int_equal(r.status, 409);
	assert_string_equal(r.content_type, HTTP_CT_PROBLEM);
	o = body_json(&r);
	assert_null(json_object_get(o, "ok"));
	assert_string_equal(member_str(o, "code"), "slot_taken");
	json_decref(o);
	http_response_clear(&r);
}

/* Detail text is JSON-escaped, never spliced in raw. */
static void
test_problem_detail_escaped(void **state)
{
	struct http_response r;
	json_t *o;

	(void)state;
	http_response_init(&r);
	http_problem(NULL, &r, 400, "invalid_json", NULL, "%s",
	    "\"},\"status\":200,\"x\":\"\n\t\\");
	assert_int_equal(r.status, 400);
	o = body_json(&r);
	assert_int_equal(json_integer_value(json_object_get(o, "status")), 400);
	assert_string_equal(member_str(o, "detail"),
	    "\"},\"status\":200,\"x\":\"\n\t\\");
	json_decref(o);
	http_response_clear(&r);
}

/*
 * A detail longer than the problem can hold is cut; the cut must not leave
 * half a UTF-8 character, which jansson would refuse, turning the intended
 * answer into a 500.
 */
static void
test_problem_long_detail_keeps_status(void **state)
{
	struct http_response r;
	char text[2048];
	size_t i, skew;
	json_t *o;
	const char *d;

	(void)state;
	for (skew = 0; skew < 4; skew++) {
		memset(text, 'a', skew);
		text[skew] = '\0';
		for (i = 0; i < 600; i++)
			unit_append(text, sizeof(text), "\xc3\xa9"); /* é */
		http_response_init(&r);
		http_problem(NULL, &r, 422, "wrong_type", "name", "%s", text);
		assert_int_equal(r.status, 422);
		o = body_json(&r);
		assert_string_equal(member_str(o, "code"), "wrong_type");
		assert_string_equal(member_str(o, "field"), "name");
		d = member_str(o, "detail");
		assert_true(strlen(d) > 400);
		assert_memory_equal(d, text, skew);
		json_decref(o);
		http_response_clear(&r);
	}
}

/* A field or detail that is not UTF-8 still gives the intended status. */
static void
test_problem_invalid_utf8_keeps_status(void **state)
{
	struct http_response r;
	json_t *o;

	(void)state;
	http_response_init(&r);
	http_problem(NULL, &r, 422, "unknown_field", "ab\xc3",
	    "Le champ « %s » n'est pas accepté ici.", "ab\xc3");
	assert_int_equal(r.status, 422);
	o = body_json(&r);
	assert_string_equal(member_str(o, "code"), "unknown_field");
	assert_non_null(strstr(member_str(o, "field"), "ab"));
	assert_non_null(strstr(member_str(o, "detail"), "Le champ « ab"));
	json_decref(o);
	http_response_clear(&r);
}

static void
test_status_titles(void **state)
{
	(void)state;
	assert_string_equal(http_status_title(400), "Requête invalide");
	assert_string_equal(http_status_title(404), "Ressource introuvable");
	assert_string_equal(http_status_title(405), "Méthode non permise");
	assert_string_equal(http_status_title(415),
	    "Type de contenu non pris en charge");
	assert_string_equal(http_status_title(422), "Données refusées");
	/* Unlisted codes still get a title of their class. */
	assert_string_equal(http_status_title(418), "Erreur");
	assert_string_equal(http_status_title(500), "Erreur interne");
	assert_string_equal(http_status_title(599), "Erreur interne");
}

static void
test_json_response(void **state)
{
	struct http_response r;
	json_t *body, *o;

	(void)state;
	http_response_init(&r);
	body = json_pack("{s:s, s:i, s:[i,i]}", "name", "Créneau", "n", 3,
	    "list", 1, 2);
	assert_non_null(body);
	json_incref(body);
	http_response_json(&r, 201, body);
	/* The reference given was taken. */
	assert_int_equal(body->refcount, 1);
	json_decref(body);
	assert_int_equal(r.status, 201);
	assert_string_equal(r.content_type, HTTP_CT_JSON);
	assert_non_null(strstr(r.content_type, "charset=utf-8"));
	/* Compact: no spaces between tokens. */
	assert_null(strchr(r.body, ' '));
	assert_null(strchr(r.body, '\n'));
	o = body_json(&r);
	assert_string_equal(member_str(o, "name"), "Créneau");
	assert_int_equal(json_integer_value(json_object_get(o, "n")), 3);
	json_decref(o);
	http_response_clear(&r);
}

static void
test_json_response_null_body(void **state)
{
	struct http_response r;
	json_t *o;

	(void)state;
	/* What a handler passes when json_pack ran out of memory. */
	http_response_init(&r);
	http_response_json(&r, 200, NULL);
	assert_int_equal(r.status, 500);
	assert_string_equal(r.content_type, HTTP_CT_PROBLEM);
	o = body_json(&r);
	assert_int_equal(json_integer_value(json_object_get(o, "status")), 500);
	json_decref(o);
	http_response_clear(&r);
}

static void
test_header_add_get(void **state)
{
	struct http_response r;
	char value[32] = "max-age=60";

	(void)state;
	http_response_init(&r);
	assert_int_equal(http_response_header(&r, "Cache-Control", value), 0);
	/* The value was copied. */
	value[0] = 'X';
	assert_string_equal(http_response_header_get(&r, "Cache-Control"),
	    "max-age=60");
	assert_string_equal(http_response_header_get(&r, "cache-control"),
	    "max-age=60");
	assert_null(http_response_header_get(&r, "Cache"));
	assert_int_equal(http_response_header(&r, "Location", ""), 0);
	assert_string_equal(http_response_header_get(&r, "LOCATION"), "");
	assert_int_equal(r.nheaders, 2);
	http_response_clear(&r);
}

static void
test_header_refuses_crlf(void **state)
{
	struct http_response r;

	(void)state;
	http_response_init(&r);
	assert_int_equal(http_response_header(&r, "Location",
			     "/a\r\nSet-Cookie: s=1"),
	    -1);
	assert_int_equal(http_response_header(&r, "Location", "/a\nb"), -1);
	assert_int_equal(http_response_header(&r, "Location", "/a\rb"), -1);
	assert_int_equal(http_response_header(&r, "Location", "\n"), -1);
	assert_int_equal(r.nheaders, 0);
	assert_null(http_response_header_get(&r, "Location"));
	http_response_clear(&r);
}

static void
test_header_table_full(void **state)
{
	struct http_response r;
	size_t i;

	(void)state;
	http_response_init(&r);
	for (i = 0; i < LIMIT_RESPONSE_HEADERS; i++)
		assert_int_equal(http_response_header(&r, "X-N", "v"), 0);
	assert_int_equal(http_response_header(&r, "X-Last", "v"), -1);
	assert_int_equal(r.nheaders, LIMIT_RESPONSE_HEADERS);
	assert_null(http_response_header_get(&r, "X-Last"));
	http_response_clear(&r);
}

static void
test_security_headers(void **state)
{
	size_t i;
	int csp = 0, nosniff = 0, frame = 0;

	(void)state;
	for (i = 0; i < http_security_headers_count; i++) {
		const struct http_fixed_header *h = &http_security_headers[i];

		assert_null(strpbrk(h->value, "\r\n"));
		if (strcmp(h->name, "Content-Security-Policy") == 0)
			csp = strstr(h->value, "frame-ancestors 'none'") &&
			    strstr(h->value, "object-src 'none'") &&
			    !strstr(h->value, "unsafe-inline");
		if (strcmp(h->name, "X-Content-Type-Options") == 0)
			nosniff = strcmp(h->value, "nosniff") == 0;
		if (strcmp(h->name, "X-Frame-Options") == 0)
			frame = strcmp(h->value, "DENY") == 0;
	}
	assert_true(csp);
	assert_true(nosniff);
	assert_true(frame);
}

/*
 * A server error whose cause the store named is answered for it: busy ->
 * 503 store_busy with Retry-After; full -> 507 storage_full with
 * Retry-After; damaged -> 503 database_damaged, without Retry-After.
 * Client errors, and server errors without a store fault, stay as the
 * handler wrote them.
 */
static void
test_store_faults_answered(void **state)
{
	struct http_response r;
	json_t *o;

	(void)state;
	fault_clear();
	http_response_init(&r);
	http_problem(NULL, &r, 503, "unavailable", NULL, "x");
	o = body_json(&r);
	assert_string_equal(member_str(o, "code"), "unavailable");
	/* Any 503 may be tried again shortly (a database restart). */
	assert_string_equal(http_response_header_get(&r, "Retry-After"), "2");
	json_decref(o);
	http_response_clear(&r);

	fault_note(FAULT_BUSY);
	http_problem(NULL, &r, 404, "not_found", NULL, "x");
	assert_int_equal(r.status, 404);
	http_response_clear(&r);
	http_problem(NULL, &r, 500, "internal_error", "name", "x");
	assert_int_equal(r.status, 503);
	o = body_json(&r);
	assert_string_equal(member_str(o, "code"), "store_busy");
	assert_null(json_object_get(o, "field"));
	json_decref(o);
	assert_string_equal(http_response_header_get(&r, "Retry-After"), "2");
	http_response_clear(&r);

	fault_note(FAULT_FULL);
	http_problem(NULL, &r, 503, "unavailable", NULL, "x");
	/* Twice on the same answer: one Retry-After. */
	http_problem(NULL, &r, 503, "unavailable", NULL, "x");
	assert_int_equal(r.status, 507);
	o = body_json(&r);
	assert_string_equal(member_str(o, "code"), "storage_full");
	assert_string_equal(member_str(o, "title"), "Stockage insuffisant");
	json_decref(o);
	assert_int_equal(r.nheaders, 1);
	assert_string_equal(http_response_header_get(&r, "Retry-After"), "300");
	http_response_clear(&r);

	fault_note(FAULT_DAMAGED);
	fault_note(FAULT_BUSY); /* damage is not hidden by a later fault */
	http_problem(NULL, &r, 503, "unavailable", NULL, "x");
	assert_int_equal(r.status, 503);
	o = body_json(&r);
	assert_string_equal(member_str(o, "code"), "database_damaged");
	assert_null(http_response_header_get(&r, "Retry-After"));
	json_decref(o);
	http_response_clear(&r);
	fault_clear();
}

/* A 503 problem says when to try again; other statuses do not. */
static void
test_problem_503_retry_after(void **state)
{
	struct http_response r;

	(void)state;
	http_response_init(&r);
	http_problem(NULL, &r, 503, "unavailable", NULL, "Réessayez.");
	assert_string_equal(http_response_header_get(&r, "Retry-After"), "2");
	http_response_clear(&r);
	http_response_init(&r);
	http_problem(NULL, &r, 500, "internal", NULL, "Erreur.");
	assert_null(http_response_header_get(&r, "Retry-After"));
	http_response_clear(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_clear),
		cmocka_unit_test(test_problem_members),
		cmocka_unit_test(test_problem_optional_members),
		cmocka_unit_test(test_problem_replaces_answer),
		cmocka_unit_test(test_problem_detail_escaped),
		cmocka_unit_test(test_problem_long_detail_keeps_status),
		cmocka_unit_test(test_problem_invalid_utf8_keeps_status),
		cmocka_unit_test(test_status_titles),
		cmocka_unit_test(test_json_response),
		cmocka_unit_test(test_json_response_null_body),
		cmocka_unit_test(test_header_add_get),
		cmocka_unit_test(test_header_refuses_crlf),
		cmocka_unit_test(test_header_table_full),
		cmocka_unit_test(test_security_headers),
		cmocka_unit_test(test_store_faults_answered),
		cmocka_unit_test(test_problem_503_retry_after),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
