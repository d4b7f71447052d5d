/* test_buf.c - src/core/buf.c: growth, the hard ceiling, steal, reset. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

static void
test_init_empty(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 100);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.max, 100);
	buf_free(&b);
}

static void
test_append_grows_and_terminates(void **state)
{
	struct buf b;
	char want[1001];
	size_t i;

	(void)state;
	buf_init(&b, 1000);
	assert_int_equal(buf_append(&b, "ab", 2), BUF_OK);
	assert_int_equal(b.len, 2);
	assert_string_equal(b.data, "ab");
	/* Well past the first allocation: content kept across reallocs. */
	buf_reset(&b);
	for (i = 0; i < 100; i++)
		assert_int_equal(buf_append_str(&b, "0123456789"), BUF_OK);
	for (i = 0; i < 1000; i++)
		want[i] = (char)('0' + i % 10);
	want[1000] = '\0';
	assert_int_equal(b.len, 1000);
	assert_string_equal(b.data, want);
	/* Never allocated far past the ceiling. */
	assert_true(b.cap <= b.max + 1);
	buf_free(&b);
}

static void
test_append_binary(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 16);
	assert_int_equal(buf_append(&b, "a\0b", 3), BUF_OK);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.data, "a\0b", 4);
	assert_int_equal(buf_append(&b, "", 0), BUF_OK);
	assert_int_equal(b.len, 3);
	buf_free(&b);
}

static void
test_ceiling_exact_ok(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 8);
	assert_int_equal(buf_append(&b, "1234", 4), BUF_OK);
	assert_int_equal(buf_append(&b, "5678", 4), BUF_OK);
	assert_int_equal(b.len, 8);
	assert_string_equal(b.data, "12345678");
	/* Nothing more fits, but nothing is also nothing. */
	assert_int_equal(buf_append(&b, "", 0), BUF_OK);
	assert_int_equal(buf_append(&b, "9", 1), BUF_TOOBIG);
	assert_int_equal(b.len, 8);
	assert_string_equal(b.data, "12345678");
	buf_free(&b);
}

static void
test_ceiling_leaves_content(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 8);
	assert_int_equal(buf_append_str(&b, "abcde"), BUF_OK);
	assert_int_equal(buf_append_str(&b, "fghi"), BUF_TOOBIG);
	assert_int_equal(b.len, 5);
	assert_string_equal(b.data, "abcde");
	/* A size that would wrap around if added naively. */
	assert_int_equal(buf_append(&b, "x", (size_t)-1), BUF_TOOBIG);
	assert_int_equal(buf_append(&b, "x", (size_t)-1 - 2), BUF_TOOBIG);
	assert_int_equal(b.len, 5);
	assert_string_equal(b.data, "abcde");
	/* The buffer still works after a refusal. */
	assert_int_equal(buf_append_str(&b, "fgh"), BUF_OK);
	assert_string_equal(b.data, "abcdefgh");
	buf_free(&b);
}

static void
test_ceiling_on_empty(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 3);
	assert_int_equal(buf_append_str(&b, "abcd"), BUF_TOOBIG);
	assert_int_equal(b.len, 0);
	assert_true(b.data == NULL || b.data[0] == '\0');
	buf_free(&b);

	buf_init(&b, 0);
	assert_int_equal(buf_append_str(&b, "a"), BUF_TOOBIG);
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

static void
test_printf(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 64);
	assert_int_equal(buf_printf(&b, "%s=%d", "n", 42), BUF_OK);
	assert_int_equal(buf_printf(&b, ";%05.1f", 2.5), BUF_OK);
	assert_string_equal(b.data, "n=42;002.5");
	assert_int_equal(b.len, strlen("n=42;002.5"));
	buf_free(&b);
}

static void
test_printf_ceiling(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 10);
	assert_int_equal(buf_printf(&b, "%d", 12345), BUF_OK);
	/* Exactly to the ceiling. */
	assert_int_equal(buf_printf(&b, "%s", "abcde"), BUF_OK);
	assert_string_equal(b.data, "12345abcde");
	assert_int_equal(buf_printf(&b, "%c", 'x'), BUF_TOOBIG);
	assert_int_equal(b.len, 10);
	assert_string_equal(b.data, "12345abcde");
	buf_reset(&b);
	assert_int_equal(buf_printf(&b, "%s", "abcdefghijk"), BUF_TOOBIG);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	buf_free(&b);
}

static void
test_printf_long(void **state)
{
	struct buf b;
	char big[500];

	(void)state;
	/* Longer than the first allocation in a single call. */
	memset(big, 'q', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	buf_init(&b, 1000);
	assert_int_equal(buf_printf(&b, "<%s>", big), BUF_OK);
	assert_int_equal(b.len, 501);
	assert_int_equal(b.data[0], '<');
	assert_int_equal(b.data[500], '>');
	assert_int_equal(b.data[501], '\0');
	buf_free(&b);
}

static void
test_steal(void **state)
{
	struct buf b;
	char *s;
	size_t len = 99;

	(void)state;
	buf_init(&b, 32);
	assert_int_equal(buf_append_str(&b, "hello"), BUF_OK);
	s = buf_steal(&b, &len);
	assert_non_null(s);
	assert_string_equal(s, "hello");
	assert_int_equal(len, 5);
	/* b is empty, and reusable without touching the stolen memory. */
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(buf_append_str(&b, "again"), BUF_OK);
	assert_string_equal(b.data, "again");
	assert_string_equal(s, "hello");
	free(s);
	s = buf_steal(&b, NULL);
	assert_string_equal(s, "again");
	free(s);
	buf_free(&b);
}

static void
test_steal_empty(void **state)
{
	struct buf b;
	char *s;
	size_t len = 99;

	(void)state;
	buf_init(&b, 32);
	s = buf_steal(&b, &len);
	assert_non_null(s);
	assert_string_equal(s, "");
	assert_int_equal(len, 0);
	free(s);
	buf_free(&b);
}

static void
test_reset_keeps_memory(void **state)
{
	struct buf b;
	char *before;
	size_t cap;

	(void)state;
	buf_init(&b, 32);
	assert_int_equal(buf_append_str(&b, "abcdef"), BUF_OK);
	before = b.data;
	cap = b.cap;
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	assert_ptr_equal(b.data, before);
	assert_int_equal(b.cap, cap);
	/* The ceiling counts from empty again. */
	assert_int_equal(buf_append(&b, "0123456789012345678901234567890", 31),
	    BUF_OK);
	assert_string_equal(b.data, "0123456789012345678901234567890");
	buf_free(&b);

	buf_init(&b, 4);
	buf_reset(&b); /* before any append */
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

static void
test_free_then_reuse(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b, 16);
	buf_free(&b); /* empty: nothing to do */
	buf_free(&b); /* twice is harmless */
	assert_null(b.data);
	assert_int_equal(buf_append_str(&b, "abc"), BUF_OK);
	buf_free(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	/* Usable again with the same ceiling. */
	assert_int_equal(buf_append_str(&b, "0123456789abcdef"), BUF_OK);
	assert_int_equal(buf_append_str(&b, "x"), BUF_TOOBIG);
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_empty),
		cmocka_unit_test(test_append_grows_and_terminates),
		cmocka_unit_test(test_append_binary),
		cmocka_unit_test(test_ceiling_exact_ok),
		cmocka_unit_test(test_ceiling_leaves_content),
		cmocka_unit_test(test_ceiling_on_empty),
		cmocka_unit_test(test_printf),
		cmocka_unit_test(test_printf_ceiling),
		cmocka_unit_test(test_printf_long),
		cmocka_unit_test(test_steal),
		cmocka_unit_test(test_steal_empty),
		cmocka_unit_test(test_reset_keeps_memory),
		cmocka_unit_test(test_free_then_reuse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
