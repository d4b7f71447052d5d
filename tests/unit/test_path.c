/*
 * test_path.c - src/http/path.c: request paths split and decoded once,
 * traversal and ambiguity refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "core/limits.h"
#include "http/path.h"
#include "unit.h"

struct split {
	char *segs[LIMIT_PATH_SEGMENTS];
	size_t nsegs;
	char store[4096];
};

static int
split(struct split *s, const char *raw)
{
	memset(s, 0, sizeof(*s));
	return path_split(raw, strlen(raw), s->segs, LIMIT_PATH_SEGMENTS,
	    &s->nsegs, s->store, sizeof(s->store));
}

static void
check_rc(const char *raw, int want)
{
	struct split s;
	int rc = split(&s, raw);

	if (rc != want)
		fail_msg("path_split(\"%s\") = %d, want %d", raw, rc, want);
}

static void
test_root(void **state)
{
	struct split s;

	(void)state;
	assert_int_equal(split(&s, "/"), PATH_OK);
	assert_int_equal(s.nsegs, 0);
}

static void
test_segments(void **state)
{
	struct split s;

	(void)state;
	assert_int_equal(split(&s, "/a/b"), PATH_OK);
	assert_int_equal(s.nsegs, 2);
	assert_string_equal(s.segs[0], "a");
	assert_string_equal(s.segs[1], "b");

	assert_int_equal(split(&s, "/api/v1/centres/42"), PATH_OK);
	assert_int_equal(s.nsegs, 4);
	assert_string_equal(s.segs[3], "42");
	/* Dots inside a name are fine. */
	assert_int_equal(split(&s, "/static/app.js/.well-known/..."), PATH_OK);
	assert_int_equal(s.nsegs, 4);
	assert_string_equal(s.segs[1], "app.js");
	assert_string_equal(s.segs[2], ".well-known");
	assert_string_equal(s.segs[3], "...");
}

static void
test_trailing_slash(void **state)
{
	struct split s;

	(void)state;
	assert_int_equal(split(&s, "/a/"), PATH_OK);
	assert_int_equal(s.nsegs, 2);
	assert_string_equal(s.segs[0], "a");
	assert_string_equal(s.segs[1], "");
	assert_int_equal(split(&s, "/a/b/"), PATH_OK);
	assert_int_equal(s.nsegs, 3);
	assert_string_equal(s.segs[2], "");
}

static void
test_refused_shapes(void **state)
{
	(void)state;
	check_rc("", PATH_BAD);
	check_rc("a/b", PATH_BAD);
	check_rc("*", PATH_BAD);
	check_rc("//", PATH_TRAVERSAL);
	check_rc("//a", PATH_TRAVERSAL);
	check_rc("/a//b", PATH_TRAVERSAL);
	check_rc("/a//", PATH_TRAVERSAL);
}

static void
test_traversal(void **state)
{
	(void)state;
	check_rc("/.", PATH_TRAVERSAL);
	check_rc("/..", PATH_TRAVERSAL);
	check_rc("/a/./b", PATH_TRAVERSAL);
	check_rc("/a/../b", PATH_TRAVERSAL);
	check_rc("/a/..", PATH_TRAVERSAL);
	check_rc("/a/../", PATH_TRAVERSAL);
	/* Encoded dots decode to the same segments. */
	check_rc("/%2e%2e", PATH_TRAVERSAL);
	check_rc("/%2E%2E/etc", PATH_TRAVERSAL);
	check_rc("/a/%2e", PATH_TRAVERSAL);
	check_rc("/a/.%2e", PATH_TRAVERSAL);
	check_rc("/a/%2e./b", PATH_TRAVERSAL);
	/* Encoded separators would make two segments look like one. */
	check_rc("/a%2Fb", PATH_TRAVERSAL);
	check_rc("/a%2fb", PATH_TRAVERSAL);
	check_rc("/%2F", PATH_TRAVERSAL);
	check_rc("/a%5Cb", PATH_TRAVERSAL);
	check_rc("/a%5c..", PATH_TRAVERSAL);
	check_rc("/a\\b", PATH_TRAVERSAL);
}

static void
test_bad_escapes_and_controls(void **state)
{
	struct split s;
	const char raw_nul[] = "/a\0b";

	(void)state;
	check_rc("/%00", PATH_BAD);
	check_rc("/a%00b", PATH_BAD);
	check_rc("/%zz", PATH_BAD);
	check_rc("/%4", PATH_BAD);
	check_rc("/%", PATH_BAD);
	check_rc("/a%4/b", PATH_BAD);
	check_rc("/%g0", PATH_BAD);
	check_rc("/%0g", PATH_BAD);
	check_rc("/%%41", PATH_BAD);
	/* Control bytes, raw or encoded, and DEL. */
	check_rc("/a\nb", PATH_BAD);
	check_rc("/a\rb", PATH_BAD);
	check_rc("/a\tb", PATH_BAD);
	check_rc("/a%0Ab", PATH_BAD);
	check_rc("/a%0db", PATH_BAD);
	check_rc("/a%1fb", PATH_BAD);
	check_rc("/a%7Fb", PATH_BAD);
	check_rc("/a\x7f", PATH_BAD);
	/* A raw NUL inside the given length. */
	memset(&s, 0, sizeof(s));
	assert_int_equal(path_split(raw_nul, sizeof(raw_nul) - 1, s.segs,
			     LIMIT_PATH_SEGMENTS, &s.nsegs, s.store,
			     sizeof(s.store)),
	    PATH_BAD);
}

static void
test_decoding(void **state)
{
	struct split s;

	(void)state;
	assert_int_equal(split(&s, "/caf%C3%A9/%41%62c/a+b/%20x"), PATH_OK);
	assert_int_equal(s.nsegs, 4);
	assert_string_equal(s.segs[0], "caf\xc3\xa9");
	assert_string_equal(s.segs[1], "Abc");
	/* '+' is only a space in query strings. */
	assert_string_equal(s.segs[2], "a+b");
	assert_string_equal(s.segs[3], " x");
	/* Encoded '%' decodes once, never twice. */
	assert_int_equal(split(&s, "/%252e%252e"), PATH_OK);
	assert_string_equal(s.segs[0], "%2e%2e");
}

static void
test_too_many_segments(void **state)
{
	struct split s;
	char raw[256] = "";
	size_t i;

	(void)state;
	for (i = 0; i < LIMIT_PATH_SEGMENTS; i++)
		unit_append(raw, sizeof(raw), "/s");
	assert_int_equal(split(&s, raw), PATH_OK);
	assert_int_equal(s.nsegs, LIMIT_PATH_SEGMENTS);
	/* One more, even an empty trailing one, is too many. */
	unit_append(raw, sizeof(raw), "/");
	assert_int_equal(split(&s, raw), PATH_TOO_LONG);
	unit_append(raw, sizeof(raw), "s");
	assert_int_equal(split(&s, raw), PATH_TOO_LONG);
	/* maxsegs is the caller's. */
	memset(&s, 0, sizeof(s));
	assert_int_equal(path_split("/a/b/c", 6, s.segs, 2, &s.nsegs, s.store,
			     sizeof(s.store)),
	    PATH_TOO_LONG);
}

static void
test_segment_too_long(void **state)
{
	struct split s;
	char raw[LIMIT_PATH_SEGMENT_BYTES + 8];

	(void)state;
	raw[0] = '/';
	memset(raw + 1, 'x', LIMIT_PATH_SEGMENT_BYTES);
	raw[LIMIT_PATH_SEGMENT_BYTES + 1] = '\0';
	assert_int_equal(split(&s, raw), PATH_OK);
	assert_int_equal(strlen(s.segs[0]), LIMIT_PATH_SEGMENT_BYTES);
	raw[LIMIT_PATH_SEGMENT_BYTES + 1] = 'x';
	raw[LIMIT_PATH_SEGMENT_BYTES + 2] = '\0';
	assert_int_equal(split(&s, raw), PATH_TOO_LONG);
}

static void
test_store_too_small(void **state)
{
	char *segs[4];
	char store[7];
	size_t n;

	(void)state;
	/* "abc" and "de" need 3 + 1 + 2 + 1 bytes. */
	assert_int_equal(path_split("/abc/de", 7, segs, 4, &n, store,
			     sizeof(store)),
	    PATH_OK);
	assert_int_equal(n, 2);
	assert_string_equal(segs[0], "abc");
	assert_string_equal(segs[1], "de");
	assert_int_equal(path_split("/abc/de", 7, segs, 4, &n, store,
			     sizeof(store) - 1),
	    PATH_TOO_LONG);
	/* The trailing empty segment needs its byte too. */
	assert_int_equal(path_split("/abcd/", 6, segs, 4, &n, store, 6),
	    PATH_OK);
	assert_int_equal(n, 2);
	assert_string_equal(segs[1], "");
	assert_int_equal(path_split("/abcd/", 6, segs, 4, &n, store, 5),
	    PATH_TOO_LONG);
}

static void
test_decode(void **state)
{
	char out[16];

	(void)state;
	assert_int_equal(path_decode("a%20b+c", 7, out, sizeof(out), 0), 5);
	assert_string_equal(out, "a b+c");
	assert_int_equal(path_decode("a%20b+c", 7, out, sizeof(out), 1), 5);
	assert_string_equal(out, "a b c");
	/* An encoded '+' stays a plus even in a query. */
	assert_int_equal(path_decode("1%2B1", 5, out, sizeof(out), 1), 3);
	assert_string_equal(out, "1+1");
	assert_int_equal(path_decode("%C3%a9", 6, out, sizeof(out), 1), 2);
	assert_string_equal(out, "\xc3\xa9");
	assert_int_equal(path_decode("", 0, out, sizeof(out), 0), 0);
	assert_string_equal(out, "");
	/* n bounds the input. */
	assert_int_equal(path_decode("abc%41", 3, out, sizeof(out), 0), 3);
	assert_string_equal(out, "abc");

	assert_int_equal(path_decode("%zz", 3, out, sizeof(out), 1), -1);
	assert_int_equal(path_decode("%4", 2, out, sizeof(out), 1), -1);
	assert_int_equal(path_decode("a%", 2, out, sizeof(out), 1), -1);
	assert_int_equal(path_decode("%00", 3, out, sizeof(out), 1), -1);
	assert_int_equal(path_decode("a\0b", 3, out, sizeof(out), 1), -1);

	/* Room for the text and its NUL, no more. */
	assert_int_equal(path_decode("abcd", 4, out, 5, 0), 4);
	assert_string_equal(out, "abcd");
	assert_int_equal(path_decode("abcd", 4, out, 4, 0), -1);
	assert_int_equal(path_decode("%41%42", 6, out, 3, 0), 2);
	assert_int_equal(path_decode("%41%42", 6, out, 2, 0), -1);
	assert_int_equal(path_decode("", 0, out, 0, 0), -1);
}

static void
test_strerror(void **state)
{
	(void)state;
	/* Each refusal has its own reason. */
	assert_string_not_equal(path_strerror(PATH_BAD),
	    path_strerror(PATH_TRAVERSAL));
	assert_string_not_equal(path_strerror(PATH_BAD),
	    path_strerror(PATH_TOO_LONG));
	assert_string_not_equal(path_strerror(PATH_TRAVERSAL),
	    path_strerror(PATH_TOO_LONG));
	assert_non_null(strstr(path_strerror(PATH_TRAVERSAL), ".."));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_root),
		cmocka_unit_test(test_segments),
		cmocka_unit_test(test_trailing_slash),
		cmocka_unit_test(test_refused_shapes),
		cmocka_unit_test(test_traversal),
		cmocka_unit_test(test_bad_escapes_and_controls),
		cmocka_unit_test(test_decoding),
		cmocka_unit_test(test_too_many_segments),
		cmocka_unit_test(test_segment_too_long),
		cmocka_unit_test(test_store_too_small),
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_strerror),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
