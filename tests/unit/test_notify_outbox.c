/* test_notify_outbox.c - the outbox delivered to a real SMTP server
 * (aiosmtpd): sent and wiped, backoff while the server is down, given up
 * after the last attempt, purged by the retention rule. */
#include "authfx.h"

#include "gdpr/retention.h"
#include "notify/notify.h"
#include "notify/outbox.h"
#include "smtpd.h"
#include "store/outbox.h"

#define EMAIL "camille.durand@outbox-test.example"
#define FROM "noreply@creneau.example"
#define MIN_MS (60LL * 1000)

struct ofx {
	struct authfx *fx;
	struct smtpd s;
	char maildir[128], url[64];
	struct smtp_config smtp;
	char account[AUTH_ID_HEX];
};

static int
setup(void **state)
{
	struct ofx *o = calloc(1, sizeof(*o));
	void *inner = NULL;
	char pw[ACCOUNT_TEMP_PW_LEN];

	if (o == NULL || authfx_setup(&inner) != 0)
		return -1;
	o->fx = inner;
	*state = o;
	snprintf(o->maildir, sizeof(o->maildir), "%s/mail", o->fx->dir);
	o->s.port = smtpd_free_port();
	snprintf(o->url, sizeof(o->url), "smtp://127.0.0.1:%d", o->s.port);
	o->smtp =
	    (struct smtp_config){ o->url, FROM, SMTP_TLS_OFF, NULL, NULL, 10 };
	authfx_account(o->fx, EMAIL, "Camille Durand", "candidate", o->account,
	    pw);
	return 0;
}

static int
teardown(void **state)
{
	struct ofx *o = *state;
	void *inner;

	if (o == NULL)
		return 0;
	smtpd_stop(&o->s);
	inner = o->fx;
	free(o);
	return authfx_teardown(&inner);
}

struct call {
	const struct auth *a;
	const char *id;
};

static int
confirm_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct call *x = arg;
	struct notice n = { "booking.confirmed",
		"{\"exam_id\":123,\"starts_at\":1796113800000}" };

	(void)st;
	return notify_account(x->a, c, x->id, NULL, &n, FX_T0);
}

static void
enqueue(struct ofx *o)
{
	struct call x = { &o->fx->a, o->account };

	assert_int_equal(store_tx(o->fx->st, 1, confirm_tx, &x), 0);
}

static void
get(struct ofx *o, struct store_outbox *row)
{
	assert_int_equal(store_outbox_get(o->fx->st, store_conn(o->fx->st), 1,
			     row),
	    0);
}

static void
test_backoff(void **state)
{
	(void)state;
	assert_int_equal(outbox_backoff_ms(1), 1 * MIN_MS);
	assert_int_equal(outbox_backoff_ms(2), 2 * MIN_MS);
	assert_int_equal(outbox_backoff_ms(3), 4 * MIN_MS);
	assert_int_equal(outbox_backoff_ms(9), 256 * MIN_MS);
	assert_int_equal(outbox_backoff_ms(10), 360 * MIN_MS);
	assert_int_equal(outbox_backoff_ms(60), 360 * MIN_MS);
}

static void
test_delivered_and_wiped(void **state)
{
	struct ofx *o = *state;
	struct outbox_result res;
	struct store_outbox row;
	char path[512], out[8192];

	enqueue(o);
	assert_int_equal(smtpd_start(&o->s, o->maildir), 0);
	/* Not due before its time. */
	assert_int_equal(outbox_deliver(&o->fx->a, &o->smtp, FX_T0 - 1, &res),
	    0);
	assert_int_equal(res.sent, 0);
	assert_int_equal(outbox_deliver(&o->fx->a, &o->smtp, FX_T0, &res), 0);
	assert_int_equal(res.sent, 1);
	assert_int_equal(res.deferred + res.failed, 0);

	assert_int_equal(smtpd_messages(&o->s, path, sizeof(path)), 1);
	assert_int_equal(smtpd_decode(path, out, sizeof(out)), 0);
	assert_non_null(strstr(out,
	    "Réservation confirmée : examen n° 123 le "
	    "01/12/2026 à 09:30\n"));
	assert_non_null(strstr(out, "Créneau <" FROM ">\n"));
	assert_non_null(strstr(out, "\n" EMAIL "\n"));
	assert_non_null(strstr(out,
	    "La réservation d'une place d'examen est "
	    "confirmée."));
	assert_non_null(strstr(out, "rubrique « Notifications »"));
	assert_null(strstr(out, "Camille"));
	assert_null(strstr(out, "Durand\n"));

	get(o, &row);
	assert_string_equal(row.state, "sent");
	assert_int_equal(row.sent_at, FX_T0);
	assert_int_equal(row.recipient.len, 0);
	assert_int_equal(row.body.len, 0);
	store_outbox_clear(&row);
	/* Sent once only. */
	assert_int_equal(outbox_deliver(&o->fx->a, &o->smtp, FX_T0 + 1, &res),
	    0);
	assert_int_equal(res.sent, 0);
	assert_int_equal(smtpd_messages(&o->s, NULL, 0), 1);
}

static void
test_dead_server_then_up(void **state)
{
	struct ofx *o = *state;
	struct outbox_result res;
	struct store_outbox row;

	enqueue(o);
	/* Nobody listens on the port yet. */
	assert_int_equal(outbox_deliver(&o->fx->a, &o->smtp, FX_T0, &res), 0);
	assert_int_equal(res.deferred, 1);
	get(o, &row);
	assert_string_equal(row.state, "pending");
	assert_int_equal(row.attempts, 1);
	assert_int_equal(row.next_attempt_at, FX_T0 + MIN_MS);
	assert_true(row.last_error[0] != '\0');
	assert_null(strstr(row.last_error, "camille"));
	store_outbox_clear(&row);
	/* Second failure: two minutes. */
	assert_int_equal(outbox_deliver(&o->fx->a, &o->smtp, FX_T0 + 30000,
			     &res),
	    0);
	assert_int_equal(res.deferred, 0); /* not due yet */
	assert_int_equal(outbox_deliver(&o->fx->a, &o->smtp, FX_T0 + MIN_MS,
			     &res),
	    0);
	assert_int_equal(res.deferred, 1);
	get(o, &row);
	assert_int_equal(row.attempts, 2);
	assert_int_equal(row.next_attempt_at, FX_T0 + 3 * MIN_MS);
	store_outbox_clear(&row);

	/* The server comes up: the next due run delivers. */
	assert_int_equal(smtpd_start(&o->s, o->maildir), 0);
	assert_int_equal(outbox_deliver(&o->fx->a, &o->smtp, FX_T0 + 3 * MIN_MS,
			     &res),
	    0);
	assert_int_equal(res.sent, 1);
	assert_int_equal(smtpd_messages(&o->s, NULL, 0), 1);
	get(o, &row);
	assert_string_equal(row.state, "sent");
	assert_int_equal(row.attempts, 3);
	assert_string_equal(row.last_error, "");
	store_outbox_clear(&row);
}

static void
test_given_up(void **state)
{
	struct ofx *o = *state;
	struct outbox_result res;
	struct store_outbox row;
	int64_t now = FX_T0;
	int i;

	enqueue(o);
	for (i = 1; i <= OUTBOX_MAX_ATTEMPTS; i++) {
		assert_int_equal(outbox_deliver(&o->fx->a, &o->smtp, now, &res),
		    0);
		assert_int_equal(res.deferred + res.failed, 1);
		now += outbox_backoff_ms(i);
	}
	assert_int_equal(res.failed, 1);
	get(o, &row);
	assert_string_equal(row.state, "failed");
	assert_int_equal(row.attempts, OUTBOX_MAX_ATTEMPTS);
	assert_int_equal(row.recipient.len, 0);
	assert_int_equal(row.body.len, 0);
	assert_null(strstr(row.last_error, "@"));
	store_outbox_clear(&row);
	/* No more attempts. */
	assert_int_equal(outbox_deliver(&o->fx->a, &o->smtp, now + 86400000LL,
			     &res),
	    0);
	assert_int_equal(res.deferred + res.failed + res.sent, 0);
}

/* Retention: sent or given up 30 days ago go, pending ones stay. */
static void
test_purge(void **state)
{
	struct ofx *o = *state;
	struct outbox_result res;
	int64_t day = 24LL * 3600 * 1000;
	size_t i;
	int found = 0;

	enqueue(o);
	enqueue(o);
	assert_int_equal(smtpd_start(&o->s, o->maildir), 0);
	assert_int_equal(outbox_deliver(&o->fx->a, &o->smtp, FX_T0, &res), 0);
	assert_int_equal(res.sent, 2);
	enqueue(o); /* pending, not due for delivery here */
	assert_int_equal(outbox_purge(&o->fx->a, FX_T0), 0);
	assert_int_equal(outbox_purge(&o->fx->a, FX_T0 + 30 * day), 2);
	assert_int_equal(authfx_rows(o->fx, "SELECT id FROM email_outbox"), 1);
	assert_int_equal(authfx_rows(o->fx,
			     "SELECT id FROM email_outbox"
			     " WHERE state = 'pending'"),
	    1);
	/* The registry applies the data map's email_outbox rule. */
	for (i = 0; i < retention_purgers_count; i++)
		if (strcmp(retention_purgers[i].rule, "email_outbox") == 0 &&
		    retention_purgers[i].fn != NULL)
			found = 1;
	assert_true(found);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backoff),
		cmocka_unit_test_setup_teardown(test_delivered_and_wiped, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_dead_server_then_up, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_given_up, setup, teardown),
		cmocka_unit_test_setup_teardown(test_purge, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
