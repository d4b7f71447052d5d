/*
 * test_cookie.c - src/http/cookie.c: the Cookie header parser and the only
 * two cookies Créneau ever sets.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>

#include "http/cookie.h"
#include "http/response.h"
#include "unit.h"

static int
get(const char *header, const char *name, char *out, size_t n)
{
	return cookie_get(header, strlen(header), name, out, n);
}

static void
test_get(void **state)
{
	char v[64];

	(void)state;
	assert_int_equal(get("a=1; __Host-creneau=abc; XSRF-TOKEN=x-y_z",
			     COOKIE_SESSION, v, sizeof(v)),
	    0);
	assert_string_equal(v, "abc");
	assert_int_equal(get("a=1; XSRF-TOKEN=\"q\"", COOKIE_XSRF, v,
			     sizeof(v)),
	    0);
	assert_string_equal(v, "q");
	assert_int_equal(get("a=1", COOKIE_SESSION, v, sizeof(v)), 1);
	/* A prefix of another name is not that name. */
	assert_int_equal(get("__Host-creneau2=z", COOKIE_SESSION, v, sizeof(v)),
	    1);
}

static void
test_get_refusals(void **state)
{
	char v[8];

	(void)state;
	/* A planted second cookie of the same name is refused. */
	assert_int_equal(get("__Host-creneau=a; __Host-creneau=b",
			     COOKIE_SESSION, v, sizeof(v)),
	    -1);
	assert_int_equal(get("garbage", COOKIE_SESSION, v, sizeof(v)), -1);
	assert_int_equal(get("__Host-creneau=a b", COOKIE_SESSION, v,
			     sizeof(v)),
	    -1);
	assert_int_equal(get("__Host-creneau=a,b", COOKIE_SESSION, v,
			     sizeof(v)),
	    -1);
	assert_int_equal(get("__Host-creneau=toolongvalue", COOKIE_SESSION, v,
			     sizeof(v)),
	    -1);
}

static void
test_set_flags(void **state)
{
	struct http_response r;
	const char *c;

	(void)state;
	http_response_init(&r);
	assert_int_equal(cookie_set_session(&r, "tok", 60), 0);
	assert_int_equal(cookie_set_xsrf(&r, "csrf", 60), 0);
	assert_int_equal(r.nheaders, 2);
	c = r.headers[0].value;
	assert_non_null(strstr(c, "__Host-creneau=tok"));
	assert_non_null(strstr(c, "Path=/"));
	assert_non_null(strstr(c, "Secure"));
	assert_non_null(strstr(c, "HttpOnly"));
	assert_non_null(strstr(c, "SameSite=Lax"));
	assert_null(strstr(c, "Domain"));
	c = r.headers[1].value;
	assert_non_null(strstr(c, "XSRF-TOKEN=csrf"));
	assert_null(strstr(c, "HttpOnly")); /* the page must read it */
	assert_non_null(strstr(c, "SameSite=Strict"));
	/* A value that would break the header is refused. */
	assert_int_equal(cookie_set_session(&r, "a;b", 60), -1);
	assert_int_equal(cookie_set_session(&r, "a\r\nX: y", 60), -1);
	http_response_clear(&r);
}

/* A public computer's cookies end with the browser: no Max-Age. The
 * known-device cookie is HttpOnly, Strict, __Host-. */
static void
test_browser_session_and_device(void **state)
{
	struct http_response r;
	const char *c;

	(void)state;
	http_response_init(&r);
	assert_int_equal(cookie_set_session(&r, "tok", -1), 0);
	assert_int_equal(cookie_set_xsrf(&r, "csrf", -1), 0);
	assert_int_equal(cookie_set_device(&r, "dev", 86400), 0);
	assert_int_equal(r.nheaders, 3);
	assert_null(strstr(r.headers[0].value, "Max-Age"));
	assert_null(strstr(r.headers[1].value, "Max-Age"));
	c = r.headers[2].value;
	assert_non_null(strstr(c, "__Host-creneau-device=dev"));
	assert_non_null(strstr(c, "Max-Age=86400"));
	assert_non_null(strstr(c, "HttpOnly"));
	assert_non_null(strstr(c, "Secure"));
	assert_non_null(strstr(c, "SameSite=Strict"));
	assert_non_null(strstr(c, "Path=/"));
	assert_null(strstr(c, "Domain"));
	http_response_clear(&r);
}

/* Counts "Set-Cookie" in the files of dir and below, skipping cookie.c. */
static int
count_setters(const char *dir)
{
	char path[512], line[1024];
	struct dirent *e;
	DIR *d = opendir(dir);
	int n = 0;
	FILE *f;

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (e->d_type == DT_DIR) {
			n += count_setters(path);
			continue;
		}
		if (strcmp(e->d_name, "cookie.c") == 0 ||
		    (f = fopen(path, "r")) == NULL)
			continue;
		/* Code that sets a header names it in quotes or by the
		 * library's macro; comments do neither. */
		while (fgets(line, sizeof(line), f) != NULL)
			if (strstr(line, "\"Set-Cookie") != NULL ||
			    strstr(line, "HEADER_SET_COOKIE") != NULL)
				n++;
		fclose(f);
	}
	closedir(d);
	return n;
}

/* No non-essential cookie can exist (PRIVACY.md 3): cookie.c is the only
 * code that emits Set-Cookie, and it knows two names. */
static void
test_only_two_cookies(void **state)
{
	(void)state;
	assert_int_equal(count_setters("src"), 0);
	assert_int_equal(count_setters("web"), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_browser_session_and_device),
		cmocka_unit_test(test_get),
		cmocka_unit_test(test_get_refusals),
		cmocka_unit_test(test_set_flags),
		cmocka_unit_test(test_only_two_cookies),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
