/*
 * test_log.c - src/core/log.c: escaping (no forged lines, valid UTF-8 kept,
 * clean cuts) and log_write through a pipe.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/limits.h"
#include "core/log.h"

/* Escapes src (n bytes) into a large buffer and compares with want. */
static void
check_escape(const char *src, size_t n, const char *want)
{
	char out[256];
	size_t len;

	len = log_escape(out, sizeof(out), src, n);
	assert_string_equal(out, want);
	assert_int_equal(len, strlen(want));
}

static void
test_escape_plain(void **state)
{
	(void)state;
	check_escape("hello world", 11, "hello world");
	check_escape("", 0, "");
	/* n, not the NUL, bounds the input. */
	check_escape("abcdef", 3, "abc");
}

static void
test_escape_controls(void **state)
{
	(void)state;
	check_escape("a\nb", 3, "a\\x0ab");
	check_escape("a\r\nINFO forged", 14, "a\\x0d\\x0aINFO forged");
	check_escape("\t", 1, "\\x09");
	check_escape("\x1b[31mred", 8, "\\x1b[31mred");
	check_escape("\x7f", 1, "\\x7f");
	check_escape("a\0b", 3, "a\\x00b");
	check_escape("\x01\x1f", 2, "\\x01\\x1f");
	/* A backslash is doubled, so "\x0a" typed by a client stays
	 * distinguishable from an escaped newline. */
	check_escape("\\", 1, "\\\\");
	check_escape("\\x0a", 4, "\\\\x0a");
	check_escape(" ~", 2, " ~");
}

static void
test_escape_utf8_kept(void **state)
{
	(void)state;
	check_escape("\xc3\xa9t\xc3\xa9", 5, "\xc3\xa9t\xc3\xa9"); /* été */
	check_escape("\xe2\x82\xac", 3, "\xe2\x82\xac"); /* euro sign */
	check_escape("\xf0\x9f\x98\x80", 4, "\xf0\x9f\x98\x80"); /* U+1F600 */
	check_escape("\xc2\xa0", 2,
	    "\xc2\xa0"); /* U+00A0, lowest 2-byte printable */
	check_escape("\xef\xbf\xbf", 3, "\xef\xbf\xbf"); /* U+FFFF */
	check_escape("\xf4\x8f\xbf\xbf", 4, "\xf4\x8f\xbf\xbf"); /* U+10FFFF */
}

static void
test_escape_utf8_invalid(void **state)
{
	(void)state;
	/* Stray continuation, bytes never valid. */
	check_escape("\x80", 1, "\\x80");
	check_escape("\xff\xfe", 2, "\\xff\\xfe");
	/* Overlong forms of '/' and of U+0000. */
	check_escape("\xc0\xaf", 2, "\\xc0\\xaf");
	check_escape("\xc1\xbf", 2, "\\xc1\\xbf");
	check_escape("\xe0\x80\xaf", 3, "\\xe0\\x80\\xaf");
	check_escape("\xf0\x80\x80\xaf", 4, "\\xf0\\x80\\x80\\xaf");
	check_escape("\xc0\x80", 2, "\\xc0\\x80");
	/* Surrogates U+D800 and U+DFFF. */
	check_escape("\xed\xa0\x80", 3, "\\xed\\xa0\\x80");
	check_escape("\xed\xbf\xbf", 3, "\\xed\\xbf\\xbf");
	/* Past U+10FFFF. */
	check_escape("\xf4\x90\x80\x80", 4, "\\xf4\\x90\\x80\\x80");
	check_escape("\xf5\x80\x80\x80", 4, "\\xf5\\x80\\x80\\x80");
	/* Truncated sequences, at the end and before ASCII. */
	check_escape("a\xc3", 2, "a\\xc3");
	check_escape("\xc3"
		     "A",
	    2, "\\xc3A");
	check_escape("\xe2\x82", 2, "\\xe2\\x82");
	/* A truncated sequence hiding a newline. */
	check_escape("\xe2\n", 2, "\\xe2\\x0a");
}

/*
 * Every cut of the escaped text falls on an escape boundary: for each size
 * of output buffer, the result is the longest whole-unit prefix of the full
 * escaping that fits with its NUL.
 */
static void
check_cuts(const char *src, size_t n, const size_t *bounds, size_t nbounds)
{
	char full[256], out[256];
	size_t fulllen, dstlen, len, i, want;

	fulllen = log_escape(full, sizeof(full), src, n);
	assert_int_equal(bounds[nbounds - 1], fulllen);
	for (dstlen = 1; dstlen <= fulllen + 1; dstlen++) {
		memset(out, 'Z', sizeof(out));
		len = log_escape(out, dstlen, src, n);
		want = 0;
		for (i = 0; i < nbounds; i++)
			if (bounds[i] < dstlen)
				want = bounds[i];
		assert_int_equal(len, want);
		assert_true(len < dstlen);
		assert_int_equal(out[len], '\0');
		assert_memory_equal(out, full, len);
		/* Nothing written past the buffer. */
		assert_int_equal(out[dstlen], 'Z');
	}
}

static void
test_escape_truncation(void **state)
{
	/* "a" "\x0a" "\\" "é" "\xff" "b" */
	static const char src[] = "a\n\\\xc3\xa9\xff"
				  "b";
	static const size_t bounds[] = { 0, 1, 5, 7, 9, 13, 14 };
	char out[8];
	size_t len;

	(void)state;
	check_cuts(src, sizeof(src) - 1, bounds, 7);

	/* Size 0: nothing written at all. */
	out[0] = 'Z';
	assert_int_equal(log_escape(out, 0, "abc", 3), 0);
	assert_int_equal(out[0], 'Z');
	/* Size 1: only the NUL. */
	assert_int_equal(log_escape(out, 1, "abc", 3), 0);
	assert_string_equal(out, "");
	/* An escape that does not fit is dropped whole. */
	len = log_escape(out, 5, "ab\ncd", 5);
	assert_int_equal(len, 2);
	assert_string_equal(out, "ab");
	/* A UTF-8 character is never cut in half. */
	len = log_escape(out, 3, "a\xc3\xa9", 3);
	assert_int_equal(len, 1);
	assert_string_equal(out, "a");
}

/* Reads what is waiting in the pipe, without blocking. */
static size_t
drain(int fd, char *out, size_t outlen)
{
	size_t got = 0;
	ssize_t r;

	while (got + 1 < outlen) {
		r = read(fd, out + got, outlen - 1 - got);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	out[got] = '\0';
	return got;
}

static size_t
count_newlines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

struct pipe_state {
	int fds[2];
};

static int
pipe_setup(void **state)
{
	static struct pipe_state ps;

	if (pipe(ps.fds) != 0)
		return -1;
	if (fcntl(ps.fds[0], F_SETFL, O_NONBLOCK) != 0)
		return -1;
	log_set_fd(ps.fds[1]);
	log_set_level(LOG_INFO);
	*state = &ps;
	return 0;
}

static int
pipe_teardown(void **state)
{
	struct pipe_state *ps = *state;

	log_set_fd(2);
	log_set_level(LOG_INFO);
	close(ps->fds[0]);
	close(ps->fds[1]);
	return 0;
}

static void
test_write_one_line(void **state)
{
	struct pipe_state *ps = *state;
	char got[4 * LIMIT_LOG_LINE];
	int y, mo, d, h, mi, s, ms, n = 0;
	size_t len;

	log_info("started %d workers on %s", 4, "loopback");
	len = drain(ps->fds[0], got, sizeof(got));
	assert_true(len > 0);
	assert_int_equal(count_newlines(got), 1);
	assert_int_equal(got[len - 1], '\n');
	/* "YYYY-MM-DDTHH:MM:SS.mmmZ LEVEL message" */
	assert_int_equal(sscanf(got, "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ %n", &y, &mo,
			     &d, &h, &mi, &s, &ms, &n),
	    7);
	assert_true(y >= 2024);
	assert_int_equal(n, 25);
	assert_string_equal(got + n, "info  started 4 workers on loopback\n");
}

static void
test_write_levels(void **state)
{
	struct pipe_state *ps = *state;
	char got[4 * LIMIT_LOG_LINE];

	log_debug("hidden %d", 1);
	assert_int_equal(drain(ps->fds[0], got, sizeof(got)), 0);

	log_set_level(LOG_ERROR);
	log_info("hidden %d", 2);
	log_warnx("hidden %d", 3);
	assert_int_equal(drain(ps->fds[0], got, sizeof(got)), 0);
	log_errorx("shown %d", 4);
	drain(ps->fds[0], got, sizeof(got));
	assert_non_null(strstr(got, " error shown 4\n"));
	assert_int_equal(count_newlines(got), 1);

	log_set_level(LOG_DEBUG);
	log_debug("shown %d", 5);
	log_warnx("shown %d", 6);
	drain(ps->fds[0], got, sizeof(got));
	assert_int_equal(count_newlines(got), 2);
	assert_non_null(strstr(got, " debug shown 5\n"));
	assert_non_null(strstr(got, " warn  shown 6\n"));
}

static void
test_write_no_forged_line(void **state)
{
	struct pipe_state *ps = *state;
	char got[4 * LIMIT_LOG_LINE];
	const char *client = "x\n2026-01-01T00:00:00.000Z error forged\r";

	log_warnx("bad header %s", client);
	drain(ps->fds[0], got, sizeof(got));
	assert_int_equal(count_newlines(got), 1);
	assert_null(strchr(got, '\r'));
	assert_non_null(strstr(got,
	    " warn  bad header x\\x0a2026-01-01T00:00:00.000Z error "
	    "forged\\x0d\n"));
}

static void
test_write_long_message_cut(void **state)
{
	struct pipe_state *ps = *state;
	char got[8 * LIMIT_LOG_LINE], big[3 * LIMIT_LOG_LINE];
	char *msg;
	size_t len;

	/* Newlines everywhere: the escaped text is four times longer. */
	memset(big, '\n', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	log_info("%s", big);
	len = drain(ps->fds[0], got, sizeof(got));
	assert_int_equal(count_newlines(got), 1);
	assert_int_equal(got[len - 1], '\n');
	msg = strstr(got, " info  ");
	assert_non_null(msg);
	msg += 7;
	/* The message part stays within LIMIT_LOG_LINE, whole escapes only. */
	assert_true(strlen(msg) - 1 < LIMIT_LOG_LINE);
	assert_int_equal((strlen(msg) - 1) % 4, 0);
	assert_memory_equal(msg, "\\x0a\\x0a", 8);
	assert_memory_equal(msg + strlen(msg) - 5, "\\x0a\n", 5);
}

static void
test_level_parse(void **state)
{
	enum log_level lv;

	(void)state;
	assert_int_equal(log_level_parse("debug", &lv), 0);
	assert_int_equal(lv, LOG_DEBUG);
	assert_int_equal(log_level_parse("info", &lv), 0);
	assert_int_equal(lv, LOG_INFO);
	assert_int_equal(log_level_parse("warn", &lv), 0);
	assert_int_equal(lv, LOG_WARN);
	assert_int_equal(log_level_parse("error", &lv), 0);
	assert_int_equal(lv, LOG_ERROR);
	assert_int_equal(log_level_parse("", &lv), -1);
	assert_int_equal(log_level_parse("warning", &lv), -1);
	assert_int_equal(log_level_parse("inf", &lv), -1);
	assert_int_equal(log_level_parse("info ", &lv), -1);
	assert_int_equal(log_level_parse("trace", &lv), -1);
}

static void
test_escape_c1_controls(void **state)
{
	char out[64];

	(void)state;
	/* U+009B (CSI) would start a terminal escape sequence. */
	log_escape(out, sizeof(out),
	    "a\xc2\x9b"
	    "2Jb",
	    6);
	assert_string_equal(out, "a\\xc2\\x9b2Jb");
	/* U+00A0 and above are ordinary characters. */
	log_escape(out, sizeof(out), "\xc2\xa0\xc3\xa9", 4);
	assert_string_equal(out, "\xc2\xa0\xc3\xa9");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape_c1_controls),
		cmocka_unit_test(test_escape_plain),
		cmocka_unit_test(test_escape_controls),
		cmocka_unit_test(test_escape_utf8_kept),
		cmocka_unit_test(test_escape_utf8_invalid),
		cmocka_unit_test(test_escape_truncation),
		cmocka_unit_test_setup_teardown(test_write_one_line, pipe_setup,
		    pipe_teardown),
		cmocka_unit_test_setup_teardown(test_write_levels, pipe_setup,
		    pipe_teardown),
		cmocka_unit_test_setup_teardown(test_write_no_forged_line,
		    pipe_setup, pipe_teardown),
		cmocka_unit_test_setup_teardown(test_write_long_message_cut,
		    pipe_setup, pipe_teardown),
		cmocka_unit_test(test_level_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
