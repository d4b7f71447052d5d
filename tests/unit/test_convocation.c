/* test_convocation.c - the convocation as a PDF read back and as an
 * iCalendar event: what the candidate needs, in Paris time, well formed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convocation/convocation.h"
#include "pdftext.h"

/* 2026-12-01T08:30:00Z: 09:30 in Paris (winter, UTC+1). */
#define WINTER 1796113800000LL
/* 2026-07-15T07:00:00Z: 09:00 in Paris (summer, UTC+2). */
#define SUMMER 1784098800000LL

static void
fill(struct convocation *cv, int64_t start)
{
	memset(cv, 0, sizeof(*cv));
	cv->exam_id = 42;
	cv->start_at = start;
	cv->issued_at = start - 7LL * 24 * 3600 * 1000;
	snprintf(cv->last_name, sizeof(cv->last_name), "%s", "Lefèvre");
	snprintf(cv->first_names, sizeof(cv->first_names), "%s", "Zoé Anaïs");
	snprintf(cv->neph, sizeof(cv->neph), "%s", "123456789012");
	snprintf(cv->category, sizeof(cv->category), "%s", "B");
	snprintf(cv->centre, sizeof(cv->centre), "%s",
	    "Centre d'examen de Nantes-Est");
	snprintf(cv->address, sizeof(cv->address), "%s",
	    "12, rue de la Garenne ; bâtiment C, 44300 Nantes (entrée par le "
	    "parking des poids lourds, au fond à gauche après la barrière)");
	snprintf(cv->department, sizeof(cv->department), "%s", "44");
	snprintf(cv->school, sizeof(cv->school), "%s",
	    "Auto-école des Tilleuls");
}

static void
test_when_in_paris_time(void **state)
{
	char s[96];

	(void)state;
	convocation_when(s, sizeof(s), WINTER);
	assert_string_equal(s, "mardi 1 décembre 2026 à 09 h 30");
	convocation_when(s, sizeof(s), SUMMER);
	assert_string_equal(s, "mercredi 15 juillet 2026 à 09 h 00");
}

static void
test_pdf_read_back(void **state)
{
	struct convocation cv;
	char *pdf = NULL, text[16384];
	size_t len = 0;

	(void)state;
	fill(&cv, WINTER);
	assert_int_equal(convocation_pdf(&cv, &pdf, &len), 0);
	assert_true(len > 500);
	assert_memory_equal(pdf, "%PDF-", 5);
	assert_non_null(strstr(pdf + len - 8, "%%EOF"));
	assert_true(pdftext(pdf, len, text, sizeof(text)) > 10);
	assert_non_null(strstr(text, "Convocation à l’examen du permis") ||
		    strstr(text, "Convocation à l'examen du permis")
		? text
		: NULL);
	assert_non_null(strstr(text, "Zoé Anaïs Lefèvre\n"));
	assert_non_null(strstr(text, "123456789012\n"));
	assert_non_null(strstr(text, "\nB\n"));
	assert_non_null(strstr(text, "mardi 1 décembre 2026 à 09 h 30\n"));
	assert_non_null(strstr(text, "heure de Paris"));
	assert_non_null(strstr(text, "Centre d'examen de Nantes-Est\n"));
	/* The long address wraps onto lines of its own, nothing lost. */
	assert_non_null(strstr(text, "12, rue de la Garenne"));
	assert_non_null(strstr(text, "barrière)\n"));
	assert_non_null(strstr(text, "Auto-école des Tilleuls\n"));
	assert_non_null(strstr(text, "pièce d'identité"));
	free(pdf);
}

/* Every line ends in CRLF, holds at most 75 octets and is never cut
 * inside a UTF-8 character; unfolded, the ICS says lines. */
static void
check_lines(const char *ics, size_t len, char *unfolded, size_t ulen)
{
	size_t i = 0, start = 0, o = 0;

	assert_int_equal(strlen(ics), len);
	for (i = 0; i < len; i++) {
		if (ics[i] != '\n')
			continue;
		assert_true(i > 0 && ics[i - 1] == '\r');
		assert_true(i - 1 - start <= 75);
		/* A continuation line starts with one space, and never with
		 * a UTF-8 continuation byte after it. */
		if (start > 0 && ics[start] == ' ') {
			assert_true(
			    ((unsigned char)ics[start + 1] & 0xc0) != 0x80);
			memcpy(unfolded + o - 1, ics + start + 1,
			    i - 1 - start - 1);
			o += i - 1 - start - 1 - 1;
		} else {
			memcpy(unfolded + o, ics + start, i - 1 - start);
			o += i - 1 - start;
		}
		unfolded[o++] = '\n';
		assert_true(o < ulen);
		start = i + 1;
	}
	assert_int_equal(start, len);
	unfolded[o] = '\0';
}

static void
test_ics(void **state)
{
	struct convocation cv;
	char *ics = NULL, text[8192];
	size_t len = 0;

	(void)state;
	fill(&cv, SUMMER);
	assert_int_equal(convocation_ics(&cv, &ics, &len), 0);
	check_lines(ics, len, text, sizeof(text));
	assert_memory_equal(text, "BEGIN:VCALENDAR\nVERSION:2.0\n", 28);
	assert_non_null(strstr(text, "\nUID:exam-42@creneau\n"));
	assert_non_null(strstr(text, "\nDTSTART:20260715T070000Z\n"));
	assert_non_null(strstr(text, "\nDTEND:20260715T080000Z\n"));
	assert_non_null(strstr(text, "\nDTSTAMP:20260708T070000Z\n"));
	assert_non_null(strstr(text,
	    "\nSUMMARY:Examen du permis de conduire (catégorie B)\n"));
	/* TEXT escaping: comma and semicolon of the address. */
	assert_non_null(strstr(text,
	    "\nLOCATION:Centre d'examen de Nantes-Est\\, 12\\, rue de la "
	    "Garenne \\; bâtiment C\\, 44300 Nantes"));
	assert_non_null(strstr(text, "\\nÀ apporter :\\n- une pièce"));
	assert_non_null(strstr(text, "END:VEVENT\nEND:VCALENDAR\n"));
	/* No name, no NEPH: a calendar is shared and synchronised. */
	assert_null(strstr(text, "Lefèvre"));
	assert_null(strstr(text, "123456789012"));
	free(ics);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_when_in_paris_time),
		cmocka_unit_test(test_pdf_read_back),
		cmocka_unit_test(test_ics),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
