/*
 * test_convocation.c - the candidate's side of a booking, against the
 * real `creneau` binary, its demo data and a real SMTP server (aiosmtpd):
 * the school books Camille an exam; Camille finds the notice in the
 * application and the email in her mailbox, downloads the convocation
 * (a PDF read back) and the calendar event; the school downloads the
 * same convocation, another school cannot. Then Camille revokes her
 * mandate: the exam the school had booked for her is cancelled with it
 * (docs/architecture.md), both sides are told, the convocation is gone.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "../unit/pdftext.h"
#include "../unit/smtpd.h"
#include "client.h"
#include "demo.h"
#include "harness.h"

#define FROM "noreply@creneau.example"

static struct proc srv;
static struct smtpd mail;
static char base[64], maildir[80];
static struct demo_account tilleuls = { "gestion@tilleuls.example", 1 };
static struct demo_account port = { "gestion@port.example", 1 };
static struct demo_account camille = { "candidat@demo.example", 0 };

static struct demo_account *const all[] = { &tilleuls, &port, &camille };
#define NALL (sizeof(all) / sizeof(all[0]))

static int
setup(void **state)
{
	static char smtp_url[96];
	static const char *env[] = { smtp_url, "CRENEAU_SMTP_FROM=" FROM,
		"CRENEAU_SMTP_STARTTLS=off", "CRENEAU_SMTP_INTERVAL=1", NULL };

	(void)state;
	memset(&mail, 0, sizeof(mail));
	snprintf(base, sizeof(base), "/tmp/creneau-mail-XXXXXX");
	if (mkdtemp(base) == NULL)
		return -1;
	/* aiosmtpd makes the Maildir itself. */
	snprintf(maildir, sizeof(maildir), "%s/mail", base);
	if (smtpd_start(&mail, maildir) != 0)
		return -1;
	snprintf(smtp_url, sizeof(smtp_url),
	    "CRENEAU_SMTP_URL=smtp://127.0.0.1:%d", mail.port);
	return demo_start_env(&srv, env, all, NALL);
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	demo_stop(&srv, all, NALL);
	smtpd_stop(&mail);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
	return system(cmd) == 0 ? 0 : -1;
}

/* Waits (15 s at most) for an email holding both needles, its decoded
 * text into out. Returns 0 or -1. */
static int
wait_mail(const char *a, const char *b, char *out, size_t outlen)
{
	char dir[600], path[900];
	struct dirent *e;
	DIR *d;
	int i;

	snprintf(dir, sizeof(dir), "%s/new", maildir);
	for (i = 0; i < 150; i++) {
		struct timespec ts = { 0, 100 * 1000 * 1000 };

		if ((d = opendir(dir)) != NULL) {
			while ((e = readdir(d)) != NULL) {
				if (e->d_name[0] == '.')
					continue;
				snprintf(path, sizeof(path), "%s/%s", dir,
				    e->d_name);
				if (smtpd_decode(path, out, outlen) == 0 &&
				    strstr(out, a) != NULL &&
				    strstr(out, b) != NULL) {
					closedir(d);
					return 0;
				}
			}
			closedir(d);
		}
		nanosleep(&ts, NULL);
	}
	return -1;
}

/* Camille's registry id and NEPH, as the school sees them. */
static long long
camille_row(char neph[32])
{
	json_t *o, *list, *c;
	long long id = 0;
	size_t i;

	assert_int_equal(client_call(&tilleuls.c, "GET", "/api/v1/candidates",
			     NULL),
	    200);
	o = client_json(&tilleuls.c);
	list = json_object_get(o, "candidates");
	json_array_foreach (list, i, c) {
		const char *ln =
		    json_string_value(json_object_get(c, "last_name"));

		if (ln != NULL && strcmp(ln, "Candidate") == 0) {
			id = json_integer_value(json_object_get(c, "id"));
			snprintf(neph, 32, "%s",
			    json_string_value(json_object_get(c, "neph")));
		}
	}
	json_decref(o);
	assert_true(id > 0);
	return id;
}

/* Books a slot of department 44 bookable now for candidate; returns the
 * exam id. */
static long long
book(long long candidate)
{
	char path[128], body[256];
	long long slot = 0, basket, exam;
	json_t *o, *list, *s;
	size_t i;

	assert_int_equal(client_call(&tilleuls.c, "GET",
			     "/api/v1/slots?department=44&category=B&limit=60",
			     NULL),
	    200);
	o = client_json(&tilleuls.c);
	list = json_object_get(o, "slots");
	json_array_foreach (list, i, s) {
		if (slot == 0 &&
		    json_is_true(json_object_get(s, "bookable_now")))
			slot = json_integer_value(json_object_get(s, "id"));
	}
	json_decref(o);
	assert_true(slot > 0);
	assert_int_equal(client_call(&tilleuls.c, "GET", "/api/v1/basket",
			     NULL),
	    200);
	o = client_json(&tilleuls.c);
	basket = json_integer_value(json_object_get(o, "id"));
	json_decref(o);
	snprintf(path, sizeof(path), "/api/v1/baskets/%lld/slots", basket);
	snprintf(body, sizeof(body),
	    "{\"slots\":[{\"slot_id\":%lld,\"candidate_id\":%lld}]}", slot,
	    candidate);
	assert_int_equal(client_call(&tilleuls.c, "POST", path, body), 200);
	snprintf(path, sizeof(path), "/api/v1/baskets/%lld/validation", basket);
	assert_int_equal(client_call(&tilleuls.c, "POST", path, NULL), 200);
	o = client_json(&tilleuls.c);
	exam = json_integer_value(
	    json_object_get(json_array_get(json_object_get(o, "results"), 0),
		"exam_id"));
	json_decref(o);
	assert_true(exam > 0);
	return exam;
}

static void
test_candidate_told_and_convoked(void **state)
{
	char neph[32], path[128], needle[96], text[16384], out[16384];
	long long cand, exam;

	(void)state;
	cand = camille_row(neph);
	exam = book(cand);

	/* Told in the application... */
	assert_int_equal(client_call(&camille.c, "GET", "/api/v1/notifications",
			     NULL),
	    200);
	assert_non_null(strstr(camille.c.body, "\"exam.booked\""));
	/* ... and by email, with the date in Paris time and no name. */
	snprintf(needle, sizeof(needle), "Examen réservé : examen n° %lld le ",
	    exam);
	if (wait_mail(needle, "candidat@demo.example", out, sizeof(out)) != 0)
		fail_msg("no email to the candidate: %s", needle);
	assert_non_null(strstr(out, "« Mes examens »"));
	assert_null(strstr(out, neph));

	/* « Mes examens » says where, with whom, in which time zone. */
	assert_int_equal(client_call(&camille.c, "GET", "/api/v1/me/exams",
			     NULL),
	    200);
	assert_non_null(
	    strstr(camille.c.body, "\"time_zone\":\"Europe/Paris\""));
	assert_non_null(strstr(camille.c.body, "\"school\":\"Auto"));
	assert_non_null(strstr(camille.c.body, "Tilleuls"));
	assert_null(strstr(camille.c.body, "\"address\":\"\""));

	/* The convocation: a PDF saying who, where, when. */
	snprintf(path, sizeof(path), "/api/v1/me/exams/%lld/convocation", exam);
	assert_int_equal(client_call(&camille.c, "GET", path, NULL), 200);
	assert_non_null(
	    strstr(camille.c.headers, "Content-Type: application/pdf"));
	assert_non_null(strstr(camille.c.headers, "attachment; filename="));
	assert_memory_equal(camille.c.body, "%PDF-", 5);
	assert_true(pdftext(camille.c.body, camille.c.body_len, text,
			sizeof(text)) > 10);
	assert_non_null(strstr(text, "Candidate\n"));
	assert_non_null(strstr(text, neph));
	assert_non_null(strstr(text, "Nantes"));
	assert_non_null(strstr(text, "Tilleuls"));
	assert_non_null(strstr(text, "heure de Paris"));

	/* The calendar event. */
	snprintf(path, sizeof(path), "/api/v1/me/exams/%lld/calendar", exam);
	assert_int_equal(client_call(&camille.c, "GET", path, NULL), 200);
	assert_non_null(strstr(camille.c.headers, "text/calendar"));
	snprintf(needle, sizeof(needle), "\r\nUID:exam-%lld@creneau\r\n", exam);
	assert_non_null(strstr(camille.c.body, needle));
	assert_non_null(strstr(camille.c.body, "\r\nDTSTART:"));

	/* The school that booked it prints the same; another cannot. */
	snprintf(path, sizeof(path), "/api/v1/exams/%lld/convocation", exam);
	assert_int_equal(client_call(&tilleuls.c, "GET", path, NULL), 200);
	assert_memory_equal(tilleuls.c.body, "%PDF-", 5);
	assert_int_equal(client_call(&port.c, "GET", path, NULL), 404);
	assert_string_equal(client_code(&port.c), "EXAMEN_INCONNU");
	/* The school's list for French Excel: BOM, ';', French words, the
	 * candidate named with her NEPH. */
	assert_int_equal(client_call(&tilleuls.c, "GET",
			     "/api/v1/exams?format=csv", NULL),
	    200);
	assert_non_null(strstr(tilleuls.c.headers, "text/csv; charset=utf-8"));
	assert_non_null(strstr(tilleuls.c.headers, "filename=\"examens.csv\""));
	assert_memory_equal(tilleuls.c.body,
	    "\xef\xbb\xbf"
	    "Date;Heure (Paris);Centre d'examen;Département;Catégorie;"
	    "Candidat(e);NEPH;État;N° d'examen\r\n",
	    strlen("\xef\xbb\xbf"
		   "Date;Heure (Paris);Centre d'examen;Département;Catégorie;"
		   "Candidat(e);NEPH;État;N° d'examen\r\n"));
	snprintf(needle, sizeof(needle),
	    ";Candidate Camille;%s;Réservé;%lld\r\n", neph, exam);
	if (strstr(tilleuls.c.body, needle) == NULL)
		fail_msg("no line %s in %s", needle, tilleuls.c.body);
	assert_null(strstr(tilleuls.c.body, ","));
	assert_int_equal(client_call(&tilleuls.c, "GET",
			     "/api/v1/exams?format=xml", NULL),
	    400);
	/* Nor may the candidate read an exam that is not hers. */
	assert_int_equal(client_call(&camille.c, "GET",
			     "/api/v1/me/exams/999999/convocation", NULL),
	    404);
}

/* The status of exam id in the caller's exam list body. */
static const char *
status_in(const char *body, long long id, char *out, size_t outlen)
{
	json_t *o = json_loads(body, 0, NULL), *e;
	size_t i;

	out[0] = '\0';
	json_array_foreach (json_object_get(o, "exams"), i, e) {
		if (json_integer_value(json_object_get(e, "id")) == id)
			snprintf(out, outlen, "%s",
			    json_string_value(json_object_get(e, "status")));
	}
	json_decref(o);
	return out;
}

static void
test_revocation_cancels_the_booked_exam(void **state)
{
	char path[128], needle[128], st[16], out[16384];
	long long exam, mandate = 0;
	json_t *o, *m;
	size_t i;

	(void)state;
	/* The exam the first test booked. */
	assert_int_equal(client_call(&camille.c, "GET", "/api/v1/me/exams",
			     NULL),
	    200);
	o = client_json(&camille.c);
	exam = json_integer_value(
	    json_object_get(json_array_get(json_object_get(o, "exams"), 0),
		"id"));
	json_decref(o);
	assert_true(exam > 0);

	/* Camille's mandate to the Tilleuls, named. */
	assert_int_equal(client_call(&camille.c, "GET", "/api/v1/me/mandates",
			     NULL),
	    200);
	o = client_json(&camille.c);
	json_array_foreach (json_object_get(o, "mandates"), i, m) {
		const char *state_name =
		    json_string_value(json_object_get(m, "state"));
		const char *school =
		    json_string_value(json_object_get(m, "school_name"));

		if (state_name != NULL && strcmp(state_name, "active") == 0 &&
		    school != NULL && strstr(school, "Tilleuls") != NULL)
			mandate = json_integer_value(json_object_get(m, "id"));
	}
	json_decref(o);
	assert_true(mandate > 0);

	snprintf(path, sizeof(path), "/api/v1/me/mandates/%lld/revocation",
	    mandate);
	assert_int_equal(client_call(&camille.c, "POST", path, NULL), 200);

	/* The exam is cancelled, for her and for the school. */
	assert_int_equal(client_call(&camille.c, "GET", "/api/v1/me/exams",
			     NULL),
	    200);
	assert_string_equal(status_in(camille.c.body, exam, st, sizeof(st)),
	    "cancelled");
	assert_int_equal(client_call(&tilleuls.c, "GET", "/api/v1/exams", NULL),
	    200);
	status_in(tilleuls.c.body, exam, st, sizeof(st));
	assert_true(st[0] == '\0' || strcmp(st, "cancelled") == 0);
	/* Both are told why. */
	assert_int_equal(client_call(&camille.c, "GET", "/api/v1/notifications",
			     NULL),
	    200);
	assert_non_null(strstr(camille.c.body, "\"mandate.revoked\""));
	assert_non_null(strstr(camille.c.body, "\"reason\":\"mandate_ended\""));
	assert_int_equal(client_call(&tilleuls.c, "GET",
			     "/api/v1/notifications", NULL),
	    200);
	snprintf(needle, sizeof(needle), "\"exam_id\":%lld", exam);
	assert_non_null(strstr(tilleuls.c.body, needle));
	assert_non_null(
	    strstr(tilleuls.c.body, "\"reason\":\"mandate_ended\""));
	snprintf(needle, sizeof(needle), "Examen annulé : examen n° %lld ",
	    exam);
	if (wait_mail(needle, "Motif : le mandat", out, sizeof(out)) != 0 ||
	    strstr(out, "candidat@demo.example") == NULL)
		fail_msg("no email to the candidate: %s", needle);
	/* Her convocation is gone; the school can no longer read it. */
	snprintf(path, sizeof(path), "/api/v1/me/exams/%lld/convocation", exam);
	assert_int_equal(client_call(&camille.c, "GET", path, NULL), 422);
	assert_string_equal(client_code(&camille.c), "EXAMEN_DEJA_ANNULE");
	snprintf(path, sizeof(path), "/api/v1/exams/%lld/convocation", exam);
	assert_int_equal(client_call(&tilleuls.c, "GET", path, NULL), 404);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_candidate_told_and_convoked),
		cmocka_unit_test(test_revocation_cancels_the_booked_exam),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
