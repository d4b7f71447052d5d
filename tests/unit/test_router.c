/*
 * test_router.c - src/http/router.c: parameters, precedence in table order,
 * 404 against 405 with its Allow set, HEAD through GET, table checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/limits.h"
#include "http/router.h"
#include "unit.h"

static void
h_a(struct http_request *req, struct http_response *resp)
{
	(void)req;
	(void)resp;
}

static void
h_b(struct http_request *req, struct http_response *resp)
{
	(void)req;
	(void)resp;
}

static const struct http_route table[] = {
	{ HTTP_GET, "/", h_a },
	{ HTTP_GET, "/api/v1/centres", h_a },
	{ HTTP_POST, "/api/v1/centres", h_a },
	/* A literal listed before the parameter it would also match. */
	{ HTTP_GET, "/api/v1/centres/mine", h_b },
	{ HTTP_GET, "/api/v1/centres/{id}", h_a },
	{ HTTP_DELETE, "/api/v1/centres/{id}", h_a },
	{ HTTP_PATCH, "/api/v1/centres/{id}", h_a },
	{ HTTP_GET, "/api/v1/centres/{id}/slots/{slot_id}", h_a },
	/* A parameter listed before a literal: the parameter wins. */
	{ HTTP_GET, "/api/v1/exams/{exam}", h_a },
	{ HTTP_GET, "/api/v1/exams/today", h_b },
	{ HTTP_PUT, "/api/v1/exams/today", h_b },
	/* No GET here, so no HEAD either. */
	{ HTTP_PUT, "/api/v1/consents/{id}", h_a },
	{ HTTP_OPTIONS, "/api/v1/consents/{id}", h_a },
};
#define NTABLE (sizeof(table) / sizeof(table[0]))

struct match {
	struct http_param params[LIMIT_PATH_PARAMS];
	size_t nparams;
	const struct http_route *route;
	unsigned allowed;
};

/*
 * Matches path, split on '/' here without decoding: "/" is no segment,
 * "/a/" is "a" and "".
 */
static int
match(struct match *m, enum http_method meth, const char *path)
{
	static char copy[256];
	char *segs[LIMIT_PATH_SEGMENTS], *p;
	size_t n = 0;

	assert_true(strlen(path) < sizeof(copy));
	snprintf(copy, sizeof(copy), "%s", path);
	if (strcmp(copy, "/") != 0) {
		for (p = copy; p != NULL && n < LIMIT_PATH_SEGMENTS; n++) {
			*p++ = '\0';
			segs[n] = p;
			p = strchr(p, '/');
		}
	}
	memset(m, 0, sizeof(*m));
	m->nparams = 99;
	return router_match(table, NTABLE, meth, segs, n, m->params,
	    &m->nparams, &m->route, &m->allowed);
}

/* The name of a parameter, which ends at '}' in the pattern. */
static int
param_is(const struct http_param *p, const char *name, const char *value)
{
	size_t nl = strlen(name);

	return strncmp(p->name, name, nl) == 0 && p->name[nl] == '}' &&
	    strcmp(p->value, value) == 0;
}

static void
test_root_and_literals(void **state)
{
	struct match m;

	(void)state;
	assert_int_equal(match(&m, HTTP_GET, "/"), ROUTER_FOUND);
	assert_ptr_equal(m.route, &table[0]);
	assert_int_equal(m.nparams, 0);
	/* "/" is not "//" nor "/x". */
	assert_int_equal(match(&m, HTTP_GET, "/x"), ROUTER_NOT_FOUND);

	assert_int_equal(match(&m, HTTP_GET, "/api/v1/centres"), ROUTER_FOUND);
	assert_ptr_equal(m.route, &table[1]);
	assert_int_equal(m.nparams, 0);
	assert_int_equal(match(&m, HTTP_POST, "/api/v1/centres"), ROUTER_FOUND);
	assert_ptr_equal(m.route, &table[2]);
}

static void
test_params(void **state)
{
	struct match m;

	(void)state;
	assert_int_equal(match(&m, HTTP_GET, "/api/v1/centres/42"),
	    ROUTER_FOUND);
	assert_ptr_equal(m.route, &table[4]);
	assert_int_equal(m.nparams, 1);
	assert_true(param_is(&m.params[0], "id", "42"));

	assert_int_equal(match(&m, HTTP_GET,
			     "/api/v1/centres/c 7/slots/2026-03-01"),
	    ROUTER_FOUND);
	assert_ptr_equal(m.route, &table[7]);
	assert_int_equal(m.nparams, 2);
	assert_true(param_is(&m.params[0], "id", "c 7"));
	assert_true(param_is(&m.params[1], "slot_id", "2026-03-01"));
	/* A parameter never matches an empty segment. */
	assert_int_equal(match(&m, HTTP_GET, "/api/v1/centres//slots/1"),
	    ROUTER_NOT_FOUND);
}

static void
test_precedence_follows_table(void **state)
{
	struct match m;

	(void)state;
	assert_int_equal(match(&m, HTTP_GET, "/api/v1/centres/mine"),
	    ROUTER_FOUND);
	assert_ptr_equal(m.route, &table[3]);
	assert_int_equal(m.nparams, 0);
	/* The next method falls to the parameter route, the only DELETE. */
	assert_int_equal(match(&m, HTTP_DELETE, "/api/v1/centres/mine"),
	    ROUTER_FOUND);
	assert_ptr_equal(m.route, &table[5]);
	assert_true(param_is(&m.params[0], "id", "mine"));

	assert_int_equal(match(&m, HTTP_GET, "/api/v1/exams/today"),
	    ROUTER_FOUND);
	assert_ptr_equal(m.route, &table[8]);
	assert_true(param_is(&m.params[0], "exam", "today"));
	assert_int_equal(match(&m, HTTP_PUT, "/api/v1/exams/today"),
	    ROUTER_FOUND);
	assert_ptr_equal(m.route, &table[10]);
	assert_int_equal(m.nparams, 0);
}

static void
test_not_found(void **state)
{
	struct match m;

	(void)state;
	assert_int_equal(match(&m, HTTP_GET, "/api/v1/nothing"),
	    ROUTER_NOT_FOUND);
	assert_null(m.route);
	assert_int_equal(m.allowed, 0);
	assert_int_equal(match(&m, HTTP_GET, "/api"), ROUTER_NOT_FOUND);
	assert_int_equal(match(&m, HTTP_GET, "/api/v1/centres/1/slots"),
	    ROUTER_NOT_FOUND);
	/* Case matters, and "/a/" is not "/a". */
	assert_int_equal(match(&m, HTTP_GET, "/API/v1/centres"),
	    ROUTER_NOT_FOUND);
	assert_int_equal(match(&m, HTTP_GET, "/api/v1/centres/"),
	    ROUTER_NOT_FOUND);
	/* A literal is compared whole, not as a prefix. */
	assert_int_equal(match(&m, HTTP_GET, "/api/v1/centresx"),
	    ROUTER_NOT_FOUND);
	assert_int_equal(match(&m, HTTP_GET, "/api/v1/centre"),
	    ROUTER_NOT_FOUND);
}

static void
test_method_not_allowed(void **state)
{
	struct match m;
	char allow[128];

	(void)state;
	assert_int_equal(match(&m, HTTP_PUT, "/api/v1/centres/42"),
	    ROUTER_METHOD_NOT_ALLOWED);
	assert_null(m.route);
	assert_int_equal(m.allowed,
	    HTTP_GET | HTTP_HEAD | HTTP_DELETE | HTTP_PATCH);
	router_allow_header(m.allowed, allow, sizeof(allow));
	assert_string_equal(allow, "GET, HEAD, PATCH, DELETE");

	assert_int_equal(match(&m, HTTP_DELETE, "/api/v1/centres"),
	    ROUTER_METHOD_NOT_ALLOWED);
	assert_int_equal(m.allowed, HTTP_GET | HTTP_HEAD | HTTP_POST);

	/* Without a GET route there is no HEAD. */
	assert_int_equal(match(&m, HTTP_GET, "/api/v1/consents/9"),
	    ROUTER_METHOD_NOT_ALLOWED);
	assert_int_equal(m.allowed, HTTP_PUT | HTTP_OPTIONS);
	assert_int_equal(match(&m, HTTP_HEAD, "/api/v1/consents/9"),
	    ROUTER_METHOD_NOT_ALLOWED);
	router_allow_header(m.allowed, allow, sizeof(allow));
	assert_string_equal(allow, "PUT, OPTIONS");

	/* Every route that matches the path counts, literal or not. */
	assert_int_equal(match(&m, HTTP_POST, "/api/v1/centres/mine"),
	    ROUTER_METHOD_NOT_ALLOWED);
	assert_int_equal(m.allowed,
	    HTTP_GET | HTTP_HEAD | HTTP_DELETE | HTTP_PATCH);
}

static void
test_head_served_by_get(void **state)
{
	struct match m;

	(void)state;
	assert_int_equal(match(&m, HTTP_HEAD, "/api/v1/centres/7"),
	    ROUTER_FOUND);
	assert_ptr_equal(m.route, &table[4]);
	assert_int_equal(m.route->method, HTTP_GET);
	assert_true(param_is(&m.params[0], "id", "7"));
	assert_int_equal(match(&m, HTTP_HEAD, "/api/v1/centres/mine"),
	    ROUTER_FOUND);
	assert_ptr_equal(m.route, &table[3]);
}

static void
test_allow_header(void **state)
{
	char out[128];

	(void)state;
	router_allow_header(HTTP_OPTIONS | HTTP_DELETE | HTTP_PATCH | HTTP_PUT |
		HTTP_POST | HTTP_HEAD | HTTP_GET,
	    out, sizeof(out));
	assert_string_equal(out,
	    "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
	router_allow_header(HTTP_POST, out, sizeof(out));
	assert_string_equal(out, "POST");
	router_allow_header(0, out, sizeof(out));
	assert_string_equal(out, "");
	/* Exactly enough room for the text and its NUL. */
	router_allow_header(HTTP_GET | HTTP_HEAD, out, 10);
	assert_string_equal(out, "GET, HEAD");
}

static void
test_check_valid(void **state)
{
	char err[256] = "";
	static const struct http_route eight[] = {
		{ HTTP_GET, "/{a}/{b}/{c}/{d}/{e}/{f}/{g}/{h}", h_a },
		{ HTTP_GET, "/x-1/y_2/z.3", h_a },
	};

	(void)state;
	assert_int_equal(router_check(table, NTABLE, err, sizeof(err)), 0);
	assert_int_equal(router_check(eight, 2, err, sizeof(err)), 0);
	assert_int_equal(router_check(table, 0, err, sizeof(err)), 0);
}

static void
check_bad_pattern(enum http_method m, const char *pattern)
{
	struct http_route r[2] = { { HTTP_GET, "/ok", h_a },
		{ m, pattern, h_a } };
	char err[256] = "";

	if (router_check(r, 2, err, sizeof(err)) != -1)
		fail_msg("pattern \"%s\" accepted", pattern ? pattern : "NULL");
	if (pattern != NULL && strstr(err, pattern) == NULL)
		fail_msg("error \"%s\" does not name \"%s\"", err, pattern);
}

static void
test_check_malformed(void **state)
{
	struct http_route nohandler[1] = { { HTTP_GET, "/x", NULL } };
	char err[256];

	(void)state;
	check_bad_pattern(HTTP_GET, NULL);
	check_bad_pattern(HTTP_GET, "");
	check_bad_pattern(HTTP_GET, "api/v1");
	check_bad_pattern(HTTP_GET, "//");
	check_bad_pattern(HTTP_GET, "/a//b");
	check_bad_pattern(HTTP_GET, "/a/");
	check_bad_pattern(HTTP_GET, "/Api");
	check_bad_pattern(HTTP_GET, "/a b");
	check_bad_pattern(HTTP_GET, "/a/{}");
	check_bad_pattern(HTTP_GET, "/a/{Id}");
	check_bad_pattern(HTTP_GET, "/a/{id1}");
	check_bad_pattern(HTTP_GET, "/a/{id");
	check_bad_pattern(HTTP_GET, "/a/id}");
	check_bad_pattern(HTTP_GET, "/a/{i{d}");
	check_bad_pattern(HTTP_GET, "/a/x{id}");
	check_bad_pattern(HTTP_GET, "/a/%2e");
	/* Nine parameters: more than LIMIT_PATH_PARAMS. */
	check_bad_pattern(HTTP_GET, "/{a}/{b}/{c}/{d}/{e}/{f}/{g}/{h}/{i}");
	assert_int_equal(router_check(nohandler, 1, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/x"));
}

static void
test_check_duplicates(void **state)
{
	static const struct http_route dup[] = {
		{ HTTP_GET, "/a/{id}", h_a },
		{ HTTP_POST, "/a/{id}", h_a },
		{ HTTP_GET, "/b", h_a },
		{ HTTP_GET, "/a/{id}", h_b },
	};
	char err[256] = "";

	(void)state;
	/* Same pattern under another method is fine. */
	assert_int_equal(router_check(dup, 3, err, sizeof(err)), 0);
	assert_int_equal(router_check(dup, 4, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "GET /a/{id}"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_root_and_literals),
		cmocka_unit_test(test_params),
		cmocka_unit_test(test_precedence_follows_table),
		cmocka_unit_test(test_not_found),
		cmocka_unit_test(test_method_not_allowed),
		cmocka_unit_test(test_head_served_by_get),
		cmocka_unit_test(test_allow_header),
		cmocka_unit_test(test_check_valid),
		cmocka_unit_test(test_check_malformed),
		cmocka_unit_test(test_check_duplicates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
