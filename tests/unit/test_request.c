/*
 * test_request.c - src/http/request.c: method names and tokens, path
 * parameters looked up by their exact name.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "http/http.h"

static void
test_method_names(void **state)
{
	static const struct {
		enum http_method m;
		const char *name;
	} all[] = { { HTTP_GET, "GET" }, { HTTP_HEAD, "HEAD" },
		{ HTTP_POST, "POST" }, { HTTP_PUT, "PUT" },
		{ HTTP_PATCH, "PATCH" }, { HTTP_DELETE, "DELETE" },
		{ HTTP_OPTIONS, "OPTIONS" } };
	enum http_method m;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		assert_string_equal(http_method_name(all[i].m), all[i].name);
		assert_int_equal(http_method_parse(all[i].name, &m), 0);
		assert_int_equal(m, all[i].m);
	}
	/* Not a single method. */
	assert_string_equal(http_method_name(0), "?");
	assert_string_equal(http_method_name(HTTP_GET | HTTP_POST), "?");
}

static void
test_method_parse_strict(void **state)
{
	static const char *const bad[] = { "get", "Get", "gET", "post", "GET ",
		" GET", "GETX", "GE", "", "TRACE", "CONNECT", "PROPFIND",
		"G\0ET" };
	enum http_method m = HTTP_PATCH;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (http_method_parse(bad[i], &m) != -1)
			fail_msg("accepted method \"%s\"", bad[i]);
	}
}

/* A request whose parameters name into patterns, as the router leaves. */
static void
set_params(struct http_request *req, const char *pattern_tail_a, const char *va,
    const char *pattern_tail_b, const char *vb)
{
	memset(req, 0, sizeof(*req));
	req->params[0].name = pattern_tail_a;
	req->params[0].value = va;
	req->params[1].name = pattern_tail_b;
	req->params[1].value = vb;
	req->nparams = 2;
}

static void
test_param_lookup(void **state)
{
	static const char pattern[] = "/api/v1/centres/{id}/slots/{slot_id}";
	struct http_request req;

	(void)state;
	/* Names point just past '{' and end at '}', not at a NUL. */
	set_params(&req, strstr(pattern, "{id}") + 1, "42",
	    strstr(pattern, "{slot_id}") + 1, "7");
	assert_string_equal(http_request_param(&req, "id"), "42");
	assert_string_equal(http_request_param(&req, "slot_id"), "7");
	assert_null(http_request_param(&req, "slot"));
	assert_null(http_request_param(&req, "i"));
	assert_null(http_request_param(&req, "ids"));
	assert_null(http_request_param(&req, "centres"));
	assert_null(http_request_param(&req, ""));
	assert_null(http_request_param(&req, "id}"));
}

static void
test_param_prefix_names(void **state)
{
	static const char pattern[] = "/x/{id_other}/y/{id}";
	static const char pattern2[] = "/x/{id}/y/{id_other}";
	struct http_request req;

	(void)state;
	/* {id_other} first: "id" must not stop at its prefix. */
	set_params(&req, strstr(pattern, "{id_other}") + 1, "other",
	    strstr(pattern, "{id}") + 1, "mine");
	assert_string_equal(http_request_param(&req, "id"), "mine");
	assert_string_equal(http_request_param(&req, "id_other"), "other");
	/* And the reverse order. */
	set_params(&req, strstr(pattern2, "{id}") + 1, "mine",
	    strstr(pattern2, "{id_other}") + 1, "other");
	assert_string_equal(http_request_param(&req, "id"), "mine");
	assert_string_equal(http_request_param(&req, "id_other"), "other");
	/* Only the longer name present. */
	req.nparams = 1;
	req.params[0] = req.params[1];
	assert_null(http_request_param(&req, "id"));
	assert_string_equal(http_request_param(&req, "id_other"), "other");
}

static void
test_param_none(void **state)
{
	struct http_request req;

	(void)state;
	memset(&req, 0, sizeof(req));
	assert_null(http_request_param(&req, "id"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_method_names),
		cmocka_unit_test(test_method_parse_strict),
		cmocka_unit_test(test_param_lookup),
		cmocka_unit_test(test_param_prefix_names),
		cmocka_unit_test(test_param_none),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
