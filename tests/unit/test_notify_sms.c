/* test_notify_sms.c - phone numbers as the SMS gateway receives them,
 * and the .ics attached to an email: a multipart/mixed message whose
 * calendar part, base64 in lines of 76, decodes to the file, with the
 * iTIP method it declares. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "notify/sms.h"
#include "notify/smtp.h"

static void
test_numbers(void **state)
{
	char out[24];

	(void)state;
	assert_int_equal(sms_number("06 12 34 56 78", out, sizeof(out)), 0);
	assert_string_equal(out, "+33612345678");
	assert_int_equal(sms_number("07.12.34.56.78", out, sizeof(out)), 0);
	assert_string_equal(out, "+33712345678");
	assert_int_equal(sms_number("+33 6 12 34 56 78", out, sizeof(out)), 0);
	assert_string_equal(out, "+33612345678");
	assert_int_equal(sms_number("+262 692 12 34 56", out, sizeof(out)), 0);
	assert_string_equal(out, "+262692123456");
	/* Not phone numbers. */
	assert_int_equal(sms_number("0612", out, sizeof(out)), -1);
	assert_int_equal(sms_number("00 12 34 56 78", out, sizeof(out)), -1);
	assert_int_equal(sms_number("06 12 34 56 7x", out, sizeof(out)), -1);
	assert_int_equal(sms_number("", out, sizeof(out)), -1);
	assert_int_equal(sms_number("+1234567890123456", out, sizeof(out)), -1);
}

static void
test_calendar_attachment(void **state)
{
	static const char ics[] =
	    "BEGIN:VCALENDAR\r\nMETHOD:CANCEL\r\nVERSION:2.0\r\n"
	    "BEGIN:VEVENT\r\nUID:rdv-1@x.example\r\nSUMMARY:Accueil social "
	    "— un résumé assez long pour tenir sur plusieurs lignes de base64"
	    "\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
	char *msg = NULL, *p, *end, b64[4096] = "";
	unsigned char bin[2048];
	size_t len = 0, bl = 0, k = 0;

	(void)state;
	assert_int_equal(smtp_message_ics("rdv@creneau.example",
			     "usager@example.org", "Rendez-vous annulé",
			     "Bonjour,\n", ics, 0, &msg, &len),
	    0);
	assert_non_null(
	    strstr(msg, "Content-Type: multipart/mixed; boundary="));
	assert_non_null(strstr(msg, "Content-Type: text/plain; charset=utf-8"));
	p = strstr(msg,
	    "Content-Type: text/calendar; charset=utf-8; "
	    "method=CANCEL; name=\"rendez-vous.ics\"");
	assert_non_null(p);
	p = strstr(p, "\r\n\r\n");
	assert_non_null(p);
	p += 4;
	end = strstr(p, "\r\n--");
	assert_non_null(end);
	/* Lines of at most 76 characters, joined back. */
	while (p < end) {
		char *eol = strstr(p, "\r\n");

		assert_true(eol - p <= 76);
		memcpy(b64 + k, p, (size_t)(eol - p));
		k += (size_t)(eol - p);
		p = eol + 2;
	}
	b64[k] = '\0';
	assert_int_equal(sodium_base642bin(bin, sizeof(bin), b64, k, NULL, &bl,
			     NULL, sodium_base64_VARIANT_ORIGINAL),
	    0);
	assert_int_equal(bl, strlen(ics));
	assert_memory_equal(bin, ics, bl);
	/* The message ends with the closing boundary. */
	assert_non_null(strstr(end, "--\r\n"));
	free(msg);
	/* Without a file: a plain text message, as before. */
	assert_int_equal(smtp_message_ics("rdv@creneau.example",
			     "usager@example.org", "Rendez-vous", "Bonjour,\n",
			     NULL, 0, &msg, &len),
	    0);
	assert_null(strstr(msg, "multipart"));
	free(msg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_calendar_attachment),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
