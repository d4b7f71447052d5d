/*
 * test_notify.c - notifications against the real `creneau` binary: a
 * candidate account made with `user add` is notified through
 * notify_account on the binary's own database (as booking code does),
 * then the server's outbox job delivers the email to a real SMTP server
 * (aiosmtpd) and the candidate reads and marks notifications over HTTP.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "../unit/smtpd.h"
#include "appkeys.h"
#include "client.h"
#include "core/clock.h"
#include "core/config.h"
#include "harness.h"
#include "notify/notify.h"
#include "store/driver.h"

#define CAND_EMAIL "camille.durand@notify-test.example"
#define CAND_PW "violet Chaton rivière 42 sable doux"
#define FROM "noreply@creneau.example"

static struct proc srv;
static struct smtpd mail;
static char store_env[400], org[64], cand_temp[64], cand_id[64];

static int
run(const char *const *args, char *out, size_t outlen)
{
	const char *env[] = { store_env, NULL };

	return harness_run(args, env, out, outlen);
}

/* The first line of 32 hex digits in out. */
static int
hex_line(const char *out, char id[64])
{
	const char *p = out, *nl;
	size_t n;

	while (*p != '\0') {
		nl = strchr(p, '\n');
		n = nl ? (size_t)(nl - p) : strlen(p);
		if (n == 32 && strspn(p, "0123456789abcdef") == 32) {
			memcpy(id, p, 32);
			id[32] = '\0';
			return 0;
		}
		p += n + (nl != NULL);
	}
	return -1;
}

/* When the notices are made: a minute ago, on a whole second, so that the
 * server's daily retention run (notifications go after 12 months) keeps
 * them. */
static int64_t notice_at;

static int
notices_tx(const struct auth *a, struct store_conn *c, void *arg)
{
	struct notice confirmed = { "booking.confirmed",
		"{\"exam_id\":123,\"starts_at\":1796113800000}" };
	struct notice low = { "quota.low", "{\"percent\":80}" };

	(void)arg;
	notice_at = ((int64_t)time(NULL) - 60) * 1000;
	if (notify_account(a, c, cand_id, org, &confirmed, notice_at) != 0)
		return -1;
	return notify_account(a, c, cand_id, org, &low, notice_at + 1000);
}

/* Notifies the candidate in the binary's database, with its keys, as
 * booking code running in the server would. */
static int
notify_in_database(void)
{
	return harness_with_auth(srv.db, notices_tx, NULL);
}

static int
setup(void **state)
{
	static const char *const demo[] = { "demo-data", NULL };
	const char *org_add[] = { "org", "add", "--name",
		"Auto-école des Notifications", "--kind", "school", NULL };
	char buf[2048], maildir[320], url[64], smtp_url[96];
	const char *env[] = { smtp_url, "CRENEAU_SMTP_FROM=" FROM,
		"CRENEAU_SMTP_STARTTLS=off", "CRENEAU_SMTP_INTERVAL=1", NULL };
	const char *t;

	(void)state;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	memset(&srv, 0, sizeof(srv));
	memset(&mail, 0, sizeof(mail));
	if (harness_tmpdir(&srv) != 0)
		return -1;
	snprintf(store_env, sizeof(store_env), "CRENEAU_STORE_PATH=%s", srv.db);
	if (run(demo, buf, sizeof(buf)) != 0 ||
	    run(org_add, buf, sizeof(buf)) != 0 || hex_line(buf, org) != 0)
		return -1;
	{
		/* A candidate: no --org, the people's place. */
		const char *args[] = { "user", "add", "--email", CAND_EMAIL,
			"--name", "Camille Durand", "--role", "candidate",
			NULL };

		if (run(args, buf, sizeof(buf)) != 0 ||
		    (t = strstr(buf, "account ")) == NULL ||
		    sscanf(t + 8, "%32[0-9a-f]", cand_id) != 1 ||
		    (t = strstr(buf, "temporary password ")) == NULL ||
		    sscanf(t + 19, "%63s", cand_temp) != 1) {
			fprintf(stderr, "user add: %s\n", buf);
			return -1;
		}
	}
	if (notify_in_database() != 0)
		return -1;
	snprintf(maildir, sizeof(maildir), "%s/mail", srv.dir);
	if (smtpd_start(&mail, maildir) != 0)
		return -1;
	snprintf(url, sizeof(url), "smtp://127.0.0.1:%d", mail.port);
	snprintf(smtp_url, sizeof(smtp_url), "CRENEAU_SMTP_URL=%s", url);
	return harness_start(&srv, env, 0);
}

static int
teardown(void **state)
{
	(void)state;
	harness_stop(&srv, SIGTERM);
	smtpd_stop(&mail);
	harness_cleanup(&srv);
	curl_global_cleanup();
	return 0;
}

static void
test_email_delivered_by_the_server(void **state)
{
	char path[512], out[8192];
	int i;

	(void)state;
	for (i = 0; i < 150 && smtpd_messages(&mail, NULL, 0) == 0; i++) {
		struct timespec ts = { 0, 100 * 1000 * 1000 };

		nanosleep(&ts, NULL);
	}
	/* One email: quota.low stays in the application. */
	assert_int_equal(smtpd_messages(&mail, path, sizeof(path)), 1);
	assert_int_equal(smtpd_decode(path, out, sizeof(out)), 0);
	assert_non_null(strstr(out,
	    "Réservation confirmée : examen n° 123 le "
	    "01/12/2026 à 09:30\n"));
	assert_non_null(strstr(out, "\n" CAND_EMAIL "\n"));
	assert_non_null(strstr(out, "Créneau <" FROM ">\n"));
	assert_null(strstr(out, "Camille"));
}

static long
unread_count(struct client *c, const char *path, size_t *items)
{
	json_t *j;
	long n;

	assert_int_equal(client_call(c, "GET", path, NULL), 200);
	j = client_json(c);
	assert_non_null(j);
	n = (long)json_integer_value(json_object_get(j, "unread_count"));
	*items = json_array_size(json_object_get(j, "notifications"));
	json_decref(j);
	return n;
}

static void
test_read_and_unread(void **state)
{
	struct client c;
	json_t *j, *first, *second;
	char path[128], at[32];
	size_t items;
	long booking_id;

	(void)state;
	client_init(&c, srv.port);
	/* Not signed in: refused. */
	assert_int_equal(client_call(&c, "GET", "/api/v1/notifications", NULL),
	    401);
	assert_int_equal(client_onboard(&c, CAND_EMAIL, cand_temp, CAND_PW, 0),
	    0);

	assert_int_equal(client_call(&c, "GET", "/api/v1/notifications", NULL),
	    200);
	j = client_json(&c);
	assert_non_null(j);
	assert_int_equal(json_integer_value(json_object_get(j, "unread_count")),
	    2);
	first = json_array_get(json_object_get(j, "notifications"), 0);
	second = json_array_get(json_object_get(j, "notifications"), 1);
	/* Newest first, references only. */
	assert_string_equal(json_string_value(json_object_get(first, "kind")),
	    "quota.low");
	assert_string_equal(json_string_value(json_object_get(second, "kind")),
	    "booking.confirmed");
	assert_int_equal(json_integer_value(
			     json_object_get(json_object_get(second, "params"),
				 "exam_id")),
	    123);
	assert_true(json_is_false(json_object_get(second, "read")));
	assert_int_equal(clock_format_utc(notice_at, at, sizeof(at)), 0);
	assert_string_equal(json_string_value(
				json_object_get(second, "created_at")),
	    at);
	booking_id = (long)json_integer_value(json_object_get(second, "id"));
	json_decref(j);

	snprintf(path, sizeof(path), "/api/v1/notifications/%ld/read",
	    booking_id);
	assert_int_equal(client_call(&c, "POST", path, NULL), 200);
	assert_int_equal(client_call(&c, "POST", path, "{}"), 200);
	assert_int_equal(client_call(&c, "POST", path, "{\"x\":1}"), 422);
	assert_int_equal(unread_count(&c, "/api/v1/notifications?unread=1",
			     &items),
	    1);
	assert_int_equal(items, 1);
	assert_int_equal(client_call(&c, "POST",
			     "/api/v1/notifications/999999/read", NULL),
	    404);
	assert_int_equal(client_call(&c, "POST",
			     "/api/v1/notifications/abc/read", NULL),
	    404);
	assert_int_equal(client_call(&c, "GET", "/api/v1/notifications?limit=0",
			     NULL),
	    400);

	assert_int_equal(client_call(&c, "POST",
			     "/api/v1/notifications/read-all", NULL),
	    200);
	j = client_json(&c);
	assert_int_equal(json_integer_value(json_object_get(j, "marked")), 1);
	json_decref(j);
	assert_int_equal(unread_count(&c, "/api/v1/notifications", &items), 0);
	assert_int_equal(items, 2);
	client_free(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_email_delivered_by_the_server),
		cmocka_unit_test(test_read_and_unread),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
