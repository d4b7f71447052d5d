/*
 * test_multi_jobs.c - background jobs with two `creneau serve` on one
 * PostgreSQL database (CRENEAU_TEST_STORE; skipped on SQLite, where one
 * instance is the shape): the outbox job, whose effect is an email at a
 * real SMTP server (aiosmtpd), runs once across the instances (every email
 * arrives once, not once per instance), and when the instance that has
 * been sending is killed (SIGKILL) the other one takes the job over: the
 * emails queued afterwards arrive, once each.
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
#include <unistd.h>

#include <curl/curl.h>

#include "../unit/smtpd.h"
#include "harness.h"
#include "notify/notify.h"

#define CAND_EMAIL "jules.bernard@jobs-test.example"
#define BATCH 3

static struct proc a, b;
static struct smtpd mail;
static char store_env[400], cand_id[64];
static int next_exam = 100;

static int
run(const char *const *args, char *out, size_t outlen)
{
	const char *env[] = { store_env, NULL };

	return harness_run(args, env, out, outlen);
}

static int
notices_tx(const struct auth *au, struct store_conn *c, void *arg)
{
	char params[96];
	struct notice n = { "booking.confirmed", params };
	int i;

	(void)arg;
	for (i = 0; i < BATCH; i++) {
		snprintf(params, sizeof(params),
		    "{\"exam_id\":%d,\"starts_at\":1796113800000}",
		    next_exam++);
		if (notify_account(au, c, cand_id, NULL, &n,
			((int64_t)time(NULL) - 60) * 1000) != 0)
			return -1;
	}
	return 0;
}

/* Queues BATCH emails in the database, as booking code in a server
 * would. Returns 0 or -1. */
static int
queue_emails(void)
{
	return harness_with_auth(a.db, notices_tx, NULL);
}

static int
setup(void **state)
{
	static const char *const demo[] = { "demo-data", NULL };
	const char *user[] = { "user", "add", "--email", CAND_EMAIL, "--name",
		"Jules Bernard", "--role", "candidate", NULL };
	char buf[2048], maildir[320], smtp_url[96];
	const char *env[] = { smtp_url, "CRENEAU_SMTP_FROM=noreply@example.org",
		"CRENEAU_SMTP_STARTTLS=off", "CRENEAU_SMTP_INTERVAL=1", NULL };
	const char *t;

	(void)state;
	if (!harness_pg())
		return 0;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	memset(&a, 0, sizeof(a));
	memset(&mail, 0, sizeof(mail));
	if (harness_tmpdir(&a) != 0)
		return -1;
	snprintf(store_env, sizeof(store_env), "CRENEAU_STORE_PATH=%s", a.db);
	if (run(demo, buf, sizeof(buf)) != 0 ||
	    run(user, buf, sizeof(buf)) != 0 ||
	    (t = strstr(buf, "account ")) == NULL ||
	    sscanf(t + 8, "%32[0-9a-f]", cand_id) != 1 || queue_emails() != 0)
		return -1;
	snprintf(maildir, sizeof(maildir), "%s/mail", a.dir);
	if (smtpd_start(&mail, maildir) != 0)
		return -1;
	snprintf(smtp_url, sizeof(smtp_url),
	    "CRENEAU_SMTP_URL=smtp://127.0.0.1:%d", mail.port);
	return harness_start(&a, env, 0) == 0 &&
		harness_start_second(&b, &a, env) == 0
	    ? 0
	    : -1;
}

static int
teardown(void **state)
{
	(void)state;
	if (!harness_pg())
		return 0;
	harness_stop(&b, SIGTERM);
	harness_stop(&a, SIGTERM);
	smtpd_stop(&mail);
	harness_cleanup(&a);
	curl_global_cleanup();
	return 0;
}

/* Waits up to 20 s for want messages, then 3 s more for any extra.
 * Returns how many arrived. */
static int
messages_settled(int want)
{
	int i;

	for (i = 0; i < 200 && smtpd_messages(&mail, NULL, 0) < want; i++)
		usleep(100 * 1000);
	sleep(3);
	return smtpd_messages(&mail, NULL, 0);
}

/* Whether p's log shows the outbox sending. */
static int
sent_by(const struct proc *p)
{
	char *log = harness_log(p);
	int yes = log != NULL && strstr(log, "outbox: ") != NULL &&
	    strstr(log, " sent") != NULL;

	free(log);
	return yes;
}

static void
test_outbox_once_then_taken_over(void **state)
{
	struct proc *victim, *other;

	(void)state;
	if (!harness_pg())
		skip();
	/* Both instances run the job every second: each email once. */
	assert_int_equal(messages_settled(BATCH), BATCH);
	/* The instance that sent is killed; the emails queued afterwards
	 * go through the other one. */
	victim = sent_by(&a) ? &a : &b;
	other = victim == &a ? &b : &a;
	assert_true(sent_by(victim));
	assert_int_equal(harness_stop(victim, SIGKILL), 128 + SIGKILL);
	assert_int_equal(queue_emails(), 0);
	assert_int_equal(messages_settled(2 * BATCH), 2 * BATCH);
	assert_true(sent_by(other));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_outbox_once_then_taken_over),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
