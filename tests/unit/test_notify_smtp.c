/* test_notify_smtp.c - the RFC 5322 message, read back by a standard
 * parser, and delivery to a real SMTP server (aiosmtpd). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notify/smtp.h"
#include "smtpd.h"
#include "unit.h"

#define T0 1893456000000LL /* Tue, 01 Jan 2030 00:00:00 +0000 */
#define SUBJECT "Réservation confirmée : examen n° 123 le 01/12/2026 à 09:30"
#define BODY                                                                   \
	"Bonjour,\n\nLa réservation d'une place d'examen est confirmée.\n"   \
	"Une ligne qui finit par une espace \n"                                \
	"Une très longue ligne, bien plus longue que soixante-seize "         \
	"caractères, qui doit être coupée proprement = sans rien perdre.\n"

static void
test_message_headers(void **state)
{
	char *msg = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(smtp_message("noreply@creneau.example",
			     "camille@example.org", SUBJECT, BODY, T0, &msg,
			     &len),
	    0);
	assert_int_equal(strlen(msg), len);
	assert_non_null(
	    strstr(msg, "Date: Tue, 01 Jan 2030 00:00:00 +0000\r\n"));
	assert_non_null(strstr(msg, "Message-ID: <"));
	assert_non_null(strstr(msg, "@creneau.example>\r\n"));
	assert_non_null(strstr(msg,
	    " <noreply@creneau.example>\r\nTo: "
	    "<camille@example.org>\r\n"));
	assert_non_null(strstr(msg, "Subject: =?UTF-8?B?"));
	assert_non_null(
	    strstr(msg, "Content-Type: text/plain; charset=utf-8\r\n"));
	assert_non_null(
	    strstr(msg, "Content-Transfer-Encoding: quoted-printable\r\n"));
	/* Only 7-bit text, no line over 76 characters in the body, no bare
	 * line feed. */
	{
		const char *p = strstr(msg, "\r\n\r\n") + 4, *nl;

		for (; *p; p = nl + 2) {
			nl = strstr(p, "\r\n");
			assert_non_null(nl);
			assert_true(nl - p <= 76);
			for (const char *q = p; q < nl; q++)
				assert_true(
				    (unsigned char)*q < 0x80 && *q != '\n');
		}
	}
	free(msg);
}

static void
test_message_refuses_forged_headers(void **state)
{
	char *msg = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(smtp_message("noreply@creneau.example",
			     "a@example.org", "x\r\nBcc: b@example.org", "t",
			     T0, &msg, &len),
	    -1);
	assert_int_equal(smtp_message("noreply@creneau.example",
			     "a@example.org>\r\nBcc: <b@example.org", "x", "t",
			     T0, &msg, &len),
	    -1);
	assert_int_equal(smtp_message("noreply", "a@example.org", "x", "t", T0,
			     &msg, &len),
	    -1);
	assert_null(msg);
}

static void
test_tls_parse(void **state)
{
	enum smtp_tls t;

	(void)state;
	assert_int_equal(smtp_tls_parse("off", &t), 0);
	assert_int_equal(t, SMTP_TLS_OFF);
	assert_int_equal(smtp_tls_parse("try", &t), 0);
	assert_int_equal(t, SMTP_TLS_TRY);
	assert_int_equal(smtp_tls_parse("required", &t), 0);
	assert_int_equal(t, SMTP_TLS_REQUIRED);
	assert_int_equal(smtp_tls_parse("yes", &t), -1);
}

/* Sent to aiosmtpd, read back from its Maildir with Python's parser. */
static void
test_send_to_real_server(void **state)
{
	struct smtpd s = { 0, 0, "" };
	char dir[64], maildir[128], url[64], path[512], out[4096], err[160];
	char *msg = NULL;
	size_t len = 0;
	struct smtp_config cfg = { url, "noreply@creneau.example", SMTP_TLS_OFF,
		NULL, NULL, 10 };

	(void)state;
	assert_int_equal(unit_tmpdir(dir, sizeof(dir)), 0);
	snprintf(maildir, sizeof(maildir), "%s/mail", dir);
	assert_int_equal(smtpd_start(&s, maildir), 0);
	snprintf(url, sizeof(url), "smtp://127.0.0.1:%d", s.port);
	assert_int_equal(smtp_message(cfg.from, "camille@example.org", SUBJECT,
			     BODY, T0, &msg, &len),
	    0);
	assert_int_equal(smtp_send(&cfg, "camille@example.org", msg, len, err,
			     sizeof(err)),
	    0);
	assert_int_equal(smtpd_messages(&s, path, sizeof(path)), 1);
	assert_int_equal(smtpd_decode(path, out, sizeof(out)), 0);
	assert_non_null(strstr(out, SUBJECT "\n"));
	assert_non_null(strstr(out, "Créneau <noreply@creneau.example>\n"));
	assert_non_null(strstr(out, "\ncamille@example.org\n"));
	assert_non_null(strstr(out, "text/plain;utf-8\n"));
	assert_non_null(strstr(out, BODY));
	smtpd_stop(&s);

	/* Nobody listening now: a failure naming neither address nor text. */
	assert_int_equal(smtp_send(&cfg, "camille@example.org", msg, len, err,
			     sizeof(err)),
	    -1);
	assert_true(err[0] != '\0');
	assert_null(strstr(err, "camille"));
	free(msg);
	unit_rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_message_headers),
		cmocka_unit_test(test_message_refuses_forged_headers),
		cmocka_unit_test(test_tls_parse),
		cmocka_unit_test(test_send_to_real_server),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
