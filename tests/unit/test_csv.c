/* test_csv.c - the RFC 4180 reader: separators, quoting, line ends,
 * ceilings and malformed records. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/csv.h"

static struct csv_record rec;

static void
test_semicolon_and_lines(void **state)
{
	const char *s = "a;b;c\r\n1;2;3\n\n4;;6";
	struct csv_reader r;

	(void)state;
	csv_init(&r, s, strlen(s), 0);
	assert_int_equal(r.sep, ';');
	assert_int_equal(csv_next(&r, &rec), 1);
	assert_int_equal(rec.nf, 3);
	assert_string_equal(rec.f[2], "c");
	assert_int_equal(r.line, 1);
	assert_int_equal(csv_next(&r, &rec), 1);
	assert_string_equal(rec.f[0], "1");
	assert_int_equal(r.line, 2);
	assert_int_equal(csv_next(&r, &rec), 1);
	assert_int_equal(r.line, 4); /* the empty line is skipped, counted */
	assert_int_equal(rec.nf, 3);
	assert_string_equal(rec.f[1], "");
	assert_string_equal(rec.f[2], "6");
	assert_int_equal(csv_next(&r, &rec), 0);
}

static void
test_comma_quotes_bom(void **state)
{
	const char *s = "\xEF\xBB\xBFx,y\n\"Dupont, Jean\",\"dit \"\"Jo\"\"\"\n"
			"\"deux\nlignes\",z\n";
	struct csv_reader r;

	(void)state;
	csv_init(&r, s, strlen(s), 0);
	assert_int_equal(r.sep, ',');
	assert_int_equal(csv_next(&r, &rec), 1);
	assert_string_equal(rec.f[0], "x");
	assert_int_equal(csv_next(&r, &rec), 1);
	assert_string_equal(rec.f[0], "Dupont, Jean");
	assert_string_equal(rec.f[1], "dit \"Jo\"");
	assert_int_equal(csv_next(&r, &rec), 1);
	assert_int_equal(r.line, 3);
	assert_string_equal(rec.f[0], "deux\nlignes");
	assert_string_equal(rec.f[1], "z");
	assert_int_equal(csv_next(&r, &rec), 0);
}

static void
test_malformed_goes_on(void **state)
{
	const char *s = "a;b\n\"open;x\nok;1\n";
	struct csv_reader r;

	(void)state;
	csv_init(&r, s, strlen(s), ';');
	assert_int_equal(csv_next(&r, &rec), 1);
	/* An unclosed quote runs to the end of the file. */
	assert_int_equal(csv_next(&r, &rec), -1);
	assert_non_null(r.error);
	assert_int_equal(csv_next(&r, &rec), 0);

	s = "a;b\nx\"y;2\n\"q\"z;3\nlast;4";
	csv_init(&r, s, strlen(s), ';');
	assert_int_equal(csv_next(&r, &rec), 1);
	assert_int_equal(csv_next(&r, &rec), -1); /* quote inside a field */
	assert_int_equal(r.line, 2);
	assert_int_equal(csv_next(&r, &rec), -1); /* text after a quote */
	assert_int_equal(r.line, 3);
	assert_int_equal(csv_next(&r, &rec), 1);
	assert_int_equal(r.line, 4);
	assert_string_equal(rec.f[0], "last");
}

static void
test_ceilings(void **state)
{
	char *big = malloc(CSV_FIELD_MAX + 16);
	char many[CSV_FIELDS_MAX * 2 + 8];
	struct csv_reader r;
	size_t i;

	(void)state;
	assert_non_null(big);
	memset(big, 'x', CSV_FIELD_MAX + 8);
	big[CSV_FIELD_MAX + 8] = '\0';
	csv_init(&r, big, strlen(big), ';');
	assert_int_equal(csv_next(&r, &rec), -1);
	/* The longest field that fits. */
	big[CSV_FIELD_MAX - 1] = '\0';
	csv_init(&r, big, strlen(big), ';');
	assert_int_equal(csv_next(&r, &rec), 1);
	assert_int_equal(strlen(rec.f[0]), CSV_FIELD_MAX - 1);
	free(big);
	for (i = 0; i < CSV_FIELDS_MAX + 1; i++) {
		many[2 * i] = 'a';
		many[2 * i + 1] = ';';
	}
	many[2 * CSV_FIELDS_MAX + 1] = '\0';
	csv_init(&r, many, strlen(many), ';');
	assert_int_equal(csv_next(&r, &rec), -1);
	/* A NUL byte inside the data. */
	csv_init(&r, "a\0b", 3, ';');
	assert_int_equal(csv_next(&r, &rec), -1);
}

/* Writes one cell and returns it (static). */
static const char *
cell(const char *s)
{
	static char out[256];
	struct buf b;
	char *p;
	size_t n;

	buf_init(&b, 1024);
	assert_int_equal(csv_cell(&b, s), 0);
	p = buf_steal(&b, &n);
	assert_true(n < sizeof(out));
	memcpy(out, p != NULL ? p : "", p != NULL ? n : 0);
	out[p != NULL ? n : 0] = '\0';
	free(p);
	buf_free(&b);
	return out;
}

static void
test_cell_neutralises_formulas(void **state)
{
	(void)state;
	/* Each character a spreadsheet takes as the start of a formula. */
	assert_string_equal(cell("=HYPERLINK(\"http://x\")"),
	    "\"'=HYPERLINK(\"\"http://x\"\")\"");
	assert_string_equal(cell("+33 1 23"), "\"'+33 1 23\"");
	assert_string_equal(cell("-2+3"), "\"'-2+3\"");
	assert_string_equal(cell("@SUM(A1)"), "\"'@SUM(A1)\"");
	assert_string_equal(cell("\tcmd"), "\"'\tcmd\"");
	assert_string_equal(cell("\rcmd"), "\"'\rcmd\"");
	/* Elsewhere in the cell these are plain text. */
	assert_string_equal(cell("a=b-c"), "a=b-c");
	assert_string_equal(cell("dpo@example.org"), "dpo@example.org");
}

static void
test_cell_quotes(void **state)
{
	(void)state;
	assert_string_equal(cell(NULL), "");
	assert_string_equal(cell(""), "");
	assert_string_equal(cell("plain text"), "plain text");
	assert_string_equal(cell("a,b"), "\"a,b\"");
	assert_string_equal(cell("a;b"), "\"a;b\"");
	assert_string_equal(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
	assert_string_equal(cell("two\nlines"), "\"two\nlines\"");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_semicolon_and_lines),
		cmocka_unit_test(test_comma_quotes_bom),
		cmocka_unit_test(test_malformed_goes_on),
		cmocka_unit_test(test_ceilings),
		cmocka_unit_test(test_cell_neutralises_formulas),
		cmocka_unit_test(test_cell_quotes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
