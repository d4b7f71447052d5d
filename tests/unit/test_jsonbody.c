/*
 * test_jsonbody.c - src/http/jsonbody.c: the body must be declared JSON,
 * parse strictly, stay shallow, and match its field table exactly. Every
 * refusal is read back as problem+json.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/limits.h"
#include "http/jsonbody.h"
#include "http/response.h"
#include "unit.h"

#define CT_JSON "application/json"

struct fixture {
	struct http_request req;
	struct http_response resp;
	json_t *problem; /* the last problem read back */
};

static int
setup(void **state)
{
	static struct fixture fx;

	memset(&fx, 0, sizeof(fx));
	http_response_init(&fx.resp);
	*state = &fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;

	json_decref(fx->problem);
	http_response_clear(&fx->resp);
	return 0;
}

/* Runs http_json_body on a hand-built request (no connection). */
static json_t *
body(struct fixture *fx, const char *ct, const char *text, size_t len)
{
	memset(&fx->req, 0, sizeof(fx->req));
	fx->req.method = HTTP_POST;
	fx->req.raw_path = "/api/v1/test";
	fx->req.content_type = ct;
	fx->req.body = text;
	fx->req.body_len = len;
	fx->req.conn = NULL;
	snprintf(fx->req.request_id, sizeof(fx->req.request_id), "%s",
	    "00112233445566778899aabbccddeeff");
	http_response_clear(&fx->resp);
	return http_json_body(&fx->req, &fx->resp);
}

static json_t *
body_str(struct fixture *fx, const char *ct, const char *text)
{
	return body(fx, ct, text, text ? strlen(text) : 0);
}

/* Checks the answer is a problem with this status and code; keeps it. */
static void
expect_problem(struct fixture *fx, int status, const char *code)
{
	json_error_t e;
	json_t *o;

	if (fx->resp.status != status)
		fail_msg("status %d, want %d: %s", fx->resp.status, status,
		    fx->resp.body ? fx->resp.body : "(no body)");
	assert_string_equal(fx->resp.content_type, HTTP_CT_PROBLEM);
	json_decref(fx->problem);
	o = json_loadb(fx->resp.body, fx->resp.body_len, 0, &e);
	assert_non_null(o);
	fx->problem = o;
	assert_int_equal(json_integer_value(json_object_get(o, "status")),
	    status);
	assert_string_equal(json_string_value(json_object_get(o, "code")),
	    code);
	assert_non_null(json_string_value(json_object_get(o, "detail")));
	assert_string_equal(json_string_value(json_object_get(o, "instance")),
	    "urn:creneau:request:00112233445566778899aabbccddeeff");
}

static const char *
problem_str(struct fixture *fx, const char *member)
{
	return json_string_value(json_object_get(fx->problem, member));
}

static void
test_content_type_accepted(void **state)
{
	struct fixture *fx = *state;
	static const char *const ok[] = { "application/json",
		"application/json; charset=utf-8",
		"application/json;charset=utf-8",
		"application/json; charset=UTF-8",
		"application/json; charset=\"utf-8\"", "Application/JSON" };
	json_t *o;
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		o = body_str(fx, ok[i], "{\"a\":1}");
		if (o == NULL)
			fail_msg("refused content type \"%s\"", ok[i]);
		assert_int_equal(json_integer_value(json_object_get(o, "a")),
		    1);
		assert_int_equal(fx->resp.status, 0);
		json_decref(o);
	}
}

static void
test_content_type_refused(void **state)
{
	struct fixture *fx = *state;
	static const char *const bad[] = { "", "text/plain",
		"application/x-www-form-urlencoded", "multipart/form-data",
		"application/jsonp", "application/json-seq",
		"application/problem+json", "application/json; charset=latin1",
		"application/json; charset=iso-8859-1",
		"application/json; charset=utf-16",
		"application/json; charset=utf-8x", "application/json;",
		"text/json", "application/json, text/plain" };
	size_t i;

	assert_null(body_str(fx, NULL, "{}"));
	expect_problem(fx, 415, "unsupported_media_type");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (body_str(fx, bad[i], "{}") != NULL)
			fail_msg("accepted content type \"%s\"", bad[i]);
		expect_problem(fx, 415, "unsupported_media_type");
	}
}

static void
test_empty_body(void **state)
{
	struct fixture *fx = *state;

	assert_null(body(fx, CT_JSON, NULL, 0));
	expect_problem(fx, 400, "invalid_json");
	assert_null(body(fx, CT_JSON, "", 0));
	expect_problem(fx, 400, "invalid_json");
	/* The content type is judged first. */
	assert_null(body(fx, "text/plain", NULL, 0));
	expect_problem(fx, 415, "unsupported_media_type");
}

static void
test_body_len_bounds_input(void **state)
{
	struct fixture *fx = *state;
	json_t *o;

	/* Only body_len bytes are the body. */
	o = body(fx, CT_JSON, "{\"a\":true} trailing", 10);
	assert_non_null(o);
	assert_true(json_is_true(json_object_get(o, "a")));
	json_decref(o);
	assert_null(body(fx, CT_JSON, "{\"a\":true} trailing", 19));
	expect_problem(fx, 400, "invalid_json");
}

static void
test_malformed(void **state)
{
	struct fixture *fx = *state;
	static const char *const bad[] = { "{", "{\"a\":1,}", "{'a':1}",
		"{\"a\":01}", "{\"a\":NaN}", "{a:1}", "{\"a\":1}}",
		"{\"a\":\"\\x\"}", "{\"a\":\"\x01\"}", "{\"a\":\"\xff\"}",
		"{\"a\":\"\xc0\xaf\"}", "{\"a\":\"\\u0000\"}",
		"{\"a\":99999999999999999999999}" };
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (body_str(fx, CT_JSON, bad[i]) != NULL)
			fail_msg("accepted body \"%s\"", bad[i]);
		expect_problem(fx, 400, "invalid_json");
	}
}

static void
test_malformed_detail_names_place(void **state)
{
	struct fixture *fx = *state;

	assert_null(body_str(fx, CT_JSON, "{\n  \"a\": 1,\n  \"b\": ]\n}"));
	expect_problem(fx, 400, "invalid_json");
	assert_non_null(strstr(problem_str(fx, "detail"), "ligne 3 colonne "));
	assert_null(problem_str(fx, "field"));
}

/*
 * jansson's message quotes a bit of the input and may stop inside a UTF-8
 * character: the answer stays the 400, never a 500.
 */
static void
test_malformed_non_ascii_stays_400(void **state)
{
	struct fixture *fx = *state;
	char text[1024];
	size_t i;

	snprintf(text, sizeof(text), "{\"a\": \"\\u");
	for (i = 0; i < 200; i++)
		unit_append(text, sizeof(text), "\xc3\xa8"); /* è */
	assert_null(body_str(fx, CT_JSON, text));
	expect_problem(fx, 400, "invalid_json");
	assert_non_null(strstr(problem_str(fx, "detail"), "ligne 1"));
}

static void
test_duplicate_keys(void **state)
{
	struct fixture *fx = *state;

	assert_null(body_str(fx, CT_JSON, "{\"seats\":1,\"seats\":200}"));
	expect_problem(fx, 400, "invalid_json");
	assert_null(body_str(fx, CT_JSON, "{\"o\":{\"k\":\"a\",\"k\":\"b\"}}"));
	expect_problem(fx, 400, "invalid_json");
}

static void
test_not_an_object(void **state)
{
	struct fixture *fx = *state;
	static const char *const bad[] = { "[]", "[{\"a\":1}]", "\"text\"",
		"42", "true", "null" };
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (body_str(fx, CT_JSON, bad[i]) != NULL)
			fail_msg("accepted body \"%s\"", bad[i]);
		expect_problem(fx, 400, "invalid_json");
	}
}

/* Containers nested depth deep, objects and arrays in turn:
 * {"a":[{"a":[...]}]}. */
static char *
nested(size_t depth)
{
	static char text[64 * 1024];
	size_t k, o = 0;

	assert_true(depth * 8 + 8 < sizeof(text));
	for (k = 1; k <= depth; k++) {
		if (k % 2 == 0)
			text[o++] = '[';
		else
			o += (size_t)snprintf(text + o, sizeof(text) - o,
			    k < depth ? "{\"a\":" : "{");
	}
	for (k = depth; k >= 1; k--)
		text[o++] = k % 2 == 0 ? ']' : '}';
	text[o] = '\0';
	return text;
}

static void
test_depth_limit(void **state)
{
	struct fixture *fx = *state;
	json_t *o;

	o = body_str(fx, CT_JSON, nested(LIMIT_JSON_DEPTH));
	assert_non_null(o);
	assert_int_equal(http_json_depth(o, LIMIT_JSON_DEPTH),
	    LIMIT_JSON_DEPTH);
	json_decref(o);

	assert_null(body_str(fx, CT_JSON, nested(LIMIT_JSON_DEPTH + 1)));
	expect_problem(fx, 400, "invalid_json");
	assert_null(body_str(fx, CT_JSON, nested(1000)));
	expect_problem(fx, 400, "invalid_json");
}

static void
test_depth_function(void **state)
{
	json_t *v;

	(void)state;
	v = json_integer(1);
	assert_int_equal(http_json_depth(v, 10), 0);
	json_decref(v);
	v = json_pack("{}");
	assert_int_equal(http_json_depth(v, 10), 1);
	json_decref(v);
	v = json_pack("{s:[i,{s:[]}], s:i}", "a", 1, "b", "c", 2);
	assert_int_equal(http_json_depth(v, 10), 4);
	/* Past the limit it stops counting at limit + 1. */
	assert_int_equal(http_json_depth(v, 2), 3);
	json_decref(v);
}

/* The field table of the checks below. */
static const struct json_field fields[] = {
	{ "name", JK_STRING, 1, 1, 10 },
	{ "seats", JK_INTEGER, 1, 1, 50 },
	{ "online", JK_BOOLEAN, 0, 0, 0 },
	{ "tags", JK_ARRAY, 0, 0, 3 },
	{ "address", JK_OBJECT, 0, 0, 0 },
	{ "offset", JK_INTEGER, 0, -5, 5 },
};
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

/* Parses text (must be valid JSON) and checks it against fields. */
static int
check(struct fixture *fx, const char *text)
{
	json_error_t e;
	json_t *o;
	int rc;

	o = json_loads(text, JSON_REJECT_DUPLICATES, &e);
	if (o == NULL)
		fail_msg("test body does not parse: %s", e.text);
	memset(&fx->req, 0, sizeof(fx->req));
	snprintf(fx->req.request_id, sizeof(fx->req.request_id), "%s",
	    "00112233445566778899aabbccddeeff");
	http_response_clear(&fx->resp);
	rc = http_json_check(&fx->req, &fx->resp, o, fields, NFIELDS);
	json_decref(o);
	return rc;
}

/* Expects a 422 with this code naming this field. */
static void
expect_refused(struct fixture *fx, const char *text, const char *code,
    const char *field)
{
	if (check(fx, text) != -1)
		fail_msg("accepted %s", text);
	expect_problem(fx, 422, code);
	assert_string_equal(problem_str(fx, "field"), field);
}

static void
expect_accepted(struct fixture *fx, const char *text)
{
	if (check(fx, text) != 0)
		fail_msg("refused %s: %s", text, fx->resp.body);
	assert_int_equal(fx->resp.status, 0);
	assert_null(fx->resp.body);
}

static void
test_check_valid(void **state)
{
	struct fixture *fx = *state;

	expect_accepted(fx, "{\"name\":\"Lyon\",\"seats\":12}");
	expect_accepted(fx,
	    "{\"name\":\"Lyon\",\"seats\":12,\"online\":false,"
	    "\"tags\":[\"a\",1],\"address\":{\"city\":\"Lyon\"},"
	    "\"offset\":-5}");
	/* null stands for an absent optional member. */
	expect_accepted(fx,
	    "{\"name\":\"Lyon\",\"seats\":12,\"online\":null,\"tags\":null}");
}

static void
test_check_unknown_field(void **state)
{
	struct fixture *fx = *state;

	expect_refused(fx, "{\"name\":\"Lyon\",\"seats\":12,\"admin\":true}",
	    "unknown_field", "admin");
	assert_non_null(strstr(problem_str(fx, "detail"), "admin"));
	/* Field names are exact: no case folding, no prefix. */
	expect_refused(fx, "{\"Name\":\"Lyon\",\"seats\":12}", "unknown_field",
	    "Name");
	expect_refused(fx, "{\"name\":\"Lyon\",\"seat\":12}", "unknown_field",
	    "seat");
	/* Reported before any other fault. */
	expect_refused(fx, "{\"seats\":\"x\",\"zzz\":1}", "unknown_field",
	    "zzz");
	/* A control character is not shown back. */
	expect_refused(fx, "{\"a\\nb\":1}", "unknown_field", "a?b");
}

/* A long non-ASCII member name is cut for display, not into a 500. */
static void
test_check_unknown_field_long_utf8(void **state)
{
	struct fixture *fx = *state;
	char text[512], name[256];
	size_t i, skew;
	const char *field;

	for (skew = 0; skew < 2; skew++) {
		snprintf(name, sizeof(name), "%s", skew ? "x" : "");
		for (i = 0; i < 60; i++)
			unit_append(name, sizeof(name), "\xc3\xa9"); /* é */
		snprintf(text, sizeof(text), "{\"%s\":1}", name);
		assert_int_equal(check(fx, text), -1);
		expect_problem(fx, 422, "unknown_field");
		field = problem_str(fx, "field");
		assert_non_null(field);
		assert_true(strlen(field) >= 60 && strlen(field) <= 64);
		assert_memory_equal(field, name, 60);
	}
}

static void
test_check_missing(void **state)
{
	struct fixture *fx = *state;

	expect_refused(fx, "{\"name\":\"Lyon\"}", "missing_field", "seats");
	assert_non_null(strstr(problem_str(fx, "detail"), "seats"));
	expect_refused(fx, "{}", "missing_field", "name");
	expect_refused(fx, "{\"name\":null,\"seats\":1}", "missing_field",
	    "name");
}

static void
test_check_wrong_type(void **state)
{
	struct fixture *fx = *state;

	expect_refused(fx, "{\"name\":\"Lyon\",\"seats\":\"12\"}", "wrong_type",
	    "seats");
	expect_refused(fx, "{\"name\":\"Lyon\",\"seats\":12.0}", "wrong_type",
	    "seats");
	expect_refused(fx, "{\"name\":\"Lyon\",\"seats\":1e1}", "wrong_type",
	    "seats");
	expect_refused(fx, "{\"name\":\"Lyon\",\"seats\":true}", "wrong_type",
	    "seats");
	expect_refused(fx, "{\"name\":1,\"seats\":12}", "wrong_type", "name");
	expect_refused(fx, "{\"name\":[\"Lyon\"],\"seats\":12}", "wrong_type",
	    "name");
	expect_refused(fx, "{\"name\":\"Lyon\",\"seats\":12,\"online\":1}",
	    "wrong_type", "online");
	expect_refused(fx,
	    "{\"name\":\"Lyon\",\"seats\":12,\"online\":\"true\"}",
	    "wrong_type", "online");
	expect_refused(fx, "{\"name\":\"Lyon\",\"seats\":12,\"tags\":{}}",
	    "wrong_type", "tags");
	expect_refused(fx, "{\"name\":\"Lyon\",\"seats\":12,\"address\":[]}",
	    "wrong_type", "address");
	assert_non_null(strstr(problem_str(fx, "detail"), "address"));
	/* The first field at fault in table order is named. */
	expect_refused(fx, "{\"seats\":\"x\",\"name\":2}", "wrong_type",
	    "name");
}

static void
test_check_booleans(void **state)
{
	struct fixture *fx = *state;

	expect_accepted(fx, "{\"name\":\"a\",\"seats\":1,\"online\":true}");
	expect_accepted(fx, "{\"name\":\"a\",\"seats\":1,\"online\":false}");
	expect_refused(fx, "{\"name\":\"a\",\"seats\":1,\"online\":0}",
	    "wrong_type", "online");
}

static void
test_check_string_length(void **state)
{
	struct fixture *fx = *state;

	expect_accepted(fx, "{\"name\":\"a\",\"seats\":1}");
	expect_accepted(fx, "{\"name\":\"0123456789\",\"seats\":1}");
	expect_refused(fx, "{\"name\":\"\",\"seats\":1}", "out_of_range",
	    "name");
	expect_refused(fx, "{\"name\":\"0123456789a\",\"seats\":1}",
	    "out_of_range", "name");
	/* Lengths are in bytes: five é are ten bytes, and fit. */
	expect_accepted(fx,
	    "{\"name\":\"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\","
	    "\"seats\":1}");
	expect_refused(fx,
	    "{\"name\":\"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9x\","
	    "\"seats\":1}",
	    "out_of_range", "name");
}

static void
test_check_integer_range(void **state)
{
	struct fixture *fx = *state;

	expect_accepted(fx, "{\"name\":\"a\",\"seats\":1}");
	expect_accepted(fx, "{\"name\":\"a\",\"seats\":50}");
	expect_refused(fx, "{\"name\":\"a\",\"seats\":0}", "out_of_range",
	    "seats");
	expect_refused(fx, "{\"name\":\"a\",\"seats\":51}", "out_of_range",
	    "seats");
	expect_refused(fx, "{\"name\":\"a\",\"seats\":-1}", "out_of_range",
	    "seats");
	expect_refused(fx, "{\"name\":\"a\",\"seats\":9223372036854775807}",
	    "out_of_range", "seats");
	expect_refused(fx, "{\"name\":\"a\",\"seats\":-9223372036854775808}",
	    "out_of_range", "seats");
	expect_accepted(fx, "{\"name\":\"a\",\"seats\":1,\"offset\":-5}");
	expect_accepted(fx, "{\"name\":\"a\",\"seats\":1,\"offset\":5}");
	expect_refused(fx, "{\"name\":\"a\",\"seats\":1,\"offset\":-6}",
	    "out_of_range", "offset");
	expect_refused(fx, "{\"name\":\"a\",\"seats\":1,\"offset\":6}",
	    "out_of_range", "offset");
}

static void
test_check_array_items(void **state)
{
	struct fixture *fx = *state;

	expect_accepted(fx, "{\"name\":\"a\",\"seats\":1,\"tags\":[]}");
	expect_accepted(fx, "{\"name\":\"a\",\"seats\":1,\"tags\":[1,2,3]}");
	expect_refused(fx, "{\"name\":\"a\",\"seats\":1,\"tags\":[1,2,3,4]}",
	    "out_of_range", "tags");
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_content_type_accepted),
		T(test_content_type_refused),
		T(test_empty_body),
		T(test_body_len_bounds_input),
		T(test_malformed),
		T(test_malformed_detail_names_place),
		T(test_malformed_non_ascii_stays_400),
		T(test_duplicate_keys),
		T(test_not_an_object),
		T(test_depth_limit),
		T(test_depth_function),
		T(test_check_valid),
		T(test_check_unknown_field),
		T(test_check_unknown_field_long_utf8),
		T(test_check_missing),
		T(test_check_wrong_type),
		T(test_check_booleans),
		T(test_check_string_length),
		T(test_check_integer_range),
		T(test_check_array_items),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
