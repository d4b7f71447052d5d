/* test_login.c - src/auth/login.c: password login, throttling per account
 * and IP, unknown accounts, disabled accounts, journal and audit. */
#include "authfx.h"

#include <inttypes.h>
#include <pthread.h>
#include <time.h>

#include "audit/audit.h"
#include "auth/journal.h"
#include "auth/login.h"
#include "auth/password.h"
#include "auth/throttle.h"

#define EMAIL "Anne.Martin@Example.fr"

struct lfx {
	struct authfx *f;
	char id[AUTH_ID_HEX];
	char pw[ACCOUNT_TEMP_PW_LEN];
	int64_t now;
};

static int
setup(void **state)
{
	struct lfx *l = calloc(1, sizeof(*l));
	void *inner = NULL;

	*state = l;
	if (l == NULL)
		return -1;
	if (authfx_setup(&inner) != 0) {
		authfx_teardown(&inner);
		return -1;
	}
	l->f = inner;
	authfx_account(l->f, EMAIL, "Anne Martin", "school_manager", l->id,
	    l->pw);
	l->now = FX_T0 + 1000;
	return 0;
}

static int
teardown(void **state)
{
	struct lfx *l = *state;
	void *inner = l->f;

	authfx_teardown(&inner);
	free(l);
	return 0;
}

/* One attempt from ip at l->now. */
static enum auth_login_status
try_login(struct lfx *l, const char *email, const char *pw, const char *ip,
    struct auth_login_result *res)
{
	struct auth_login_request req = { email, pw, strlen(pw), ip,
		"Mozilla/5.0 (X11; Linux x86_64) TestAgent/1", 0 };

	assert_int_equal(auth_login(&l->f->a, &req, l->now, res), 0);
	return res->status;
}

static enum auth_login_status
attempt(struct lfx *l, const char *email, const char *pw, const char *ip,
    int64_t *retry)
{
	struct auth_login_result res;
	enum auth_login_status s = try_login(l, email, pw, ip, &res);

	if (retry != NULL)
		*retry = res.retry_after_s;
	auth_login_result_clear(&res);
	return s;
}

static int64_t
journal_count(struct lfx *l, const char *event)
{
	char sql[128];

	snprintf(sql, sizeof(sql),
	    "SELECT id FROM login_journal WHERE event = '%s'", event);
	return authfx_rows(l->f, sql);
}

static void
test_success(void **state)
{
	struct lfx *l = *state;
	struct auth_login_result res;
	struct session_info info;

	/* Case and surrounding spaces of the email do not matter. */
	assert_int_equal(try_login(l, "  anne.martin@example.FR ", l->pw,
			     "192.0.2.10", &res),
	    AUTH_LOGIN_OK);
	assert_string_equal(res.account_id, l->id);
	assert_string_equal(res.org_id, l->f->org);
	assert_int_equal(res.password_temporary, 1);
	assert_int_equal(res.mfa, AUTH_MFA_ENROL); /* staff, no TOTP yet */
	assert_int_equal(strlen(res.tokens.id), SESSION_TOKEN_LEN - 1);
	assert_int_equal(strlen(res.tokens.csrf), SESSION_TOKEN_LEN - 1);
	assert_string_not_equal(res.tokens.id, res.tokens.csrf);
	assert_int_equal(session_check(&l->f->a, res.tokens.id, l->now, &info),
	    0);
	assert_string_equal(info.account_id, l->id);
	assert_int_equal(info.mfa_done, 0);
	assert_int_equal(info.mfa_enrol, 1);
	assert_int_equal(info.password_temporary, 1);
	assert_int_equal(journal_count(l, "login"), 1);
	assert_int_equal(authfx_rows(l->f,
			     "SELECT seq FROM audit_log WHERE action ="
			     " 'auth.login' AND outcome = 'success'"),
	    1);
	assert_int_equal(authfx_rows(l->f,
			     "SELECT id FROM accounts WHERE last_login_at"
			     " IS NOT NULL"),
	    1);
	auth_login_result_clear(&res);
}

static void
test_new_session_each_login(void **state)
{
	struct lfx *l = *state;
	struct auth_login_result r1, r2;

	assert_int_equal(try_login(l, EMAIL, l->pw, NULL, &r1), AUTH_LOGIN_OK);
	assert_int_equal(try_login(l, EMAIL, l->pw, NULL, &r2), AUTH_LOGIN_OK);
	assert_string_not_equal(r1.tokens.id, r2.tokens.id);
	assert_int_equal(authfx_rows(l->f, "SELECT id_hash FROM sessions"), 2);
	auth_login_result_clear(&r1);
	auth_login_result_clear(&r2);
}

static void
test_candidate_needs_no_mfa(void **state)
{
	struct lfx *l = *state;
	struct auth_login_result res;
	char id[AUTH_ID_HEX], pw[ACCOUNT_TEMP_PW_LEN];

	authfx_account(l->f, "cand@example.fr", "Paul Candidat", "candidate",
	    id, pw);
	assert_int_equal(try_login(l, "cand@example.fr", pw, NULL, &res),
	    AUTH_LOGIN_OK);
	assert_int_equal(res.mfa, AUTH_MFA_NONE);
	auth_login_result_clear(&res);
}

static void
test_wrong_password(void **state)
{
	struct lfx *l = *state;
	int64_t retry = -1;

	assert_int_equal(attempt(l, EMAIL, "not the password", "192.0.2.10",
			     &retry),
	    AUTH_LOGIN_FAILED);
	assert_int_equal(retry, 0);
	assert_int_equal(authfx_rows(l->f, "SELECT id_hash FROM sessions"), 0);
	assert_int_equal(journal_count(l, "failure"), 1);
	assert_int_equal(authfx_rows(l->f,
			     "SELECT seq FROM audit_log WHERE action ="
			     " 'auth.login' AND outcome = 'failure'"),
	    1);
	/* A password that is a prefix of the right one is wrong too. */
	assert_int_equal(attempt(l, EMAIL, "ABCDE", NULL, NULL),
	    AUTH_LOGIN_FAILED);
}

static void
test_unknown_account_same_answer(void **state)
{
	struct lfx *l = *state;
	struct auth_login_result known, unknown;
	int i;

	try_login(l, EMAIL, "wrong wrong wrong", "192.0.2.1", &known);
	try_login(l, "nobody@example.fr", "wrong wrong wrong", "192.0.2.2",
	    &unknown);
	assert_int_equal(known.status, AUTH_LOGIN_FAILED);
	assert_int_equal(unknown.status, known.status);
	assert_int_equal(unknown.retry_after_s, known.retry_after_s);
	/* Unknown accounts are journaled under the system key. */
	assert_int_equal(authfx_rows(l->f,
			     "SELECT id FROM login_journal WHERE account_id"
			     " IS NULL AND key_owner = 'system:journal'"),
	    1);
	/* And throttled alike: the 6th attempt on either from one address
	 * must wait. */
	for (i = 0; i < 5; i++) {
		attempt(l, EMAIL, "wrong wrong wrong", NULL, NULL);
		attempt(l, "nobody@example.fr", "wrong wrong wrong", NULL,
		    NULL);
	}
	try_login(l, EMAIL, "wrong", NULL, &known);
	try_login(l, "nobody@example.fr", "wrong", NULL, &unknown);
	assert_int_equal(known.status, AUTH_LOGIN_THROTTLED);
	assert_int_equal(unknown.status, known.status);
	assert_int_equal(unknown.retry_after_s, known.retry_after_s);
}

/* Seconds one attempt takes, the least of three (less noise). */
static double
timed(struct lfx *l, const char *email)
{
	struct timespec t0, t1;
	double best = 1e9, d;
	int i;

	for (i = 0; i < 3; i++) {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		attempt(l, email, "wrong wrong wrong", NULL, NULL);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		d = (double)(t1.tv_sec - t0.tv_sec) +
		    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
		if (d < best)
			best = d;
	}
	return best;
}

static void
test_unknown_account_costs_a_hash(void **state)
{
	struct lfx *l = *state;
	double known, unknown;

	attempt(l, "warm@example.fr", "x", NULL, NULL); /* dummy hash made */
	known = timed(l, EMAIL);
	unknown = timed(l, "other@example.fr");
	/* Both paths run one argon2id verification: same order. */
	assert_true(unknown > known / 3);
	assert_true(unknown < known * 3);
}

static void
test_delay_after_five(void **state)
{
	struct lfx *l = *state;
	int64_t retry;
	int i;

	for (i = 0; i < 4; i++) {
		assert_int_equal(attempt(l, EMAIL, "bad", NULL, &retry),
		    AUTH_LOGIN_FAILED);
		assert_int_equal(retry, 0);
	}
	assert_int_equal(attempt(l, EMAIL, "bad", NULL, &retry),
	    AUTH_LOGIN_FAILED);
	assert_int_equal(retry, 2); /* the 5th failure starts a delay */
	/* During the delay even the right password is not looked at. */
	assert_int_equal(attempt(l, EMAIL, l->pw, NULL, &retry),
	    AUTH_LOGIN_THROTTLED);
	assert_int_equal(retry, 2);
	assert_int_equal(journal_count(l, "locked"), 1);
	assert_int_equal(authfx_rows(l->f,
			     "SELECT seq FROM audit_log WHERE action ="
			     " 'auth.login' AND outcome = 'denied'"),
	    1);
	l->now += 2000;
	assert_int_equal(attempt(l, EMAIL, "bad", NULL, &retry),
	    AUTH_LOGIN_FAILED);
	assert_int_equal(retry, 4); /* growing */
	l->now += 4000;
	assert_int_equal(attempt(l, EMAIL, l->pw, NULL, &retry), AUTH_LOGIN_OK);
	/* Success resets the account's counter. */
	assert_int_equal(attempt(l, EMAIL, "bad", NULL, &retry),
	    AUTH_LOGIN_FAILED);
	assert_int_equal(retry, 0);
}

/* Fails n times in a row, waiting out each delay. */
static void
fail_n(struct lfx *l, const char *ip, int n)
{
	int64_t retry = 0;
	int i;

	for (i = 0; i < n; i++) {
		l->now += retry * 1000;
		assert_int_equal(attempt(l, EMAIL, "bad", ip, &retry),
		    AUTH_LOGIN_FAILED);
	}
}

static void
test_lock_after_ten(void **state)
{
	struct lfx *l = *state;
	int64_t retry;

	fail_n(l, NULL, 10);
	/* The 11th attempt in a row is refused, right password or not. */
	l->now += 10 * 60 * 1000;
	assert_int_equal(attempt(l, EMAIL, l->pw, NULL, &retry),
	    AUTH_LOGIN_THROTTLED);
	assert_int_equal(retry, 5 * 60);
	l->now += retry * 1000 - 1000;
	assert_int_equal(attempt(l, EMAIL, l->pw, NULL, &retry),
	    AUTH_LOGIN_THROTTLED);
	assert_int_equal(retry, 1);
	l->now += 1000;
	assert_int_equal(attempt(l, EMAIL, l->pw, NULL, NULL), AUTH_LOGIN_OK);
}

static void
test_relock_after_lock(void **state)
{
	struct lfx *l = *state;
	int64_t retry;

	fail_n(l, NULL, 10);
	l->now += THROTTLE_LOCK_MS;
	assert_int_equal(attempt(l, EMAIL, "bad", NULL, &retry),
	    AUTH_LOGIN_FAILED);
	assert_int_equal(retry, THROTTLE_LOCK_MS / 1000);
}

static void
test_day_cap(void **state)
{
	struct lfx *l = *state;
	int64_t start = l->now, retry;
	int round;

	/* 3 x 8 failures, each run ended by a success that resets the run
	 * but not the day's count. */
	for (round = 0; round < 3; round++) {
		fail_n(l, NULL, 8);
		l->now += 60 * 1000;
		assert_int_equal(attempt(l, EMAIL, l->pw, NULL, NULL),
		    AUTH_LOGIN_OK);
	}
	assert_int_equal(attempt(l, EMAIL, "bad", NULL, &retry),
	    AUTH_LOGIN_FAILED); /* the 25th */
	assert_true(retry > 20 * 3600);
	l->now += 3600 * 1000;
	assert_int_equal(attempt(l, EMAIL, l->pw, NULL, &retry),
	    AUTH_LOGIN_THROTTLED);
	/* Until 24 h after the window's first failure. */
	l->now = start + AUTH_DAY_MS;
	assert_int_equal(attempt(l, EMAIL, l->pw, NULL, NULL), AUTH_LOGIN_OK);
}

static void
test_ip_throttled_across_accounts(void **state)
{
	struct lfx *l = *state;
	char email[64];
	int64_t retry;
	int i;

	/* Twenty different unknown emails from one address: spraying. */
	for (i = 0; i < THROTTLE_IP_DELAY_AFTER; i++) {
		snprintf(email, sizeof(email), "guess%d@example.fr", i);
		l->now += 60 * 1000;
		assert_int_equal(attempt(l, email, "bad", "203.0.113.9", NULL),
		    AUTH_LOGIN_FAILED);
	}
	assert_int_equal(attempt(l, EMAIL, l->pw, "203.0.113.9", &retry),
	    AUTH_LOGIN_THROTTLED);
	/* The same person from another address is not held back. */
	assert_int_equal(attempt(l, EMAIL, l->pw, "198.51.100.7", NULL),
	    AUTH_LOGIN_OK);
	/* No address in clear in the throttle table. */
	assert_int_equal(authfx_rows(l->f,
			     "SELECT key FROM throttle WHERE key LIKE"
			     " '%203.0.113%'"),
	    0);
}

/* One attempt with a device cookie (may be NULL) from ip. */
static enum auth_login_status
attempt_dev(struct lfx *l, const char *email, const char *pw, const char *ip,
    const char *device, struct auth_login_result *res)
{
	struct auth_login_request req = { email, pw, strlen(pw), ip, "UA", 0,
		device };

	assert_int_equal(auth_login(&l->f->a, &req, l->now, res), 0);
	return res->status;
}

/* Lock-out as a weapon: a stranger from many addresses fails forty
 * times; the holder's known device signs in at once, a new device of
 * theirs is slowed but never locked, and the holder is told once. */
static void
test_stranger_cannot_lock_out_holder(void **state)
{
	struct lfx *l = *state;
	struct auth_login_result res;
	char id[AUTH_ID_HEX], pw[ACCOUNT_TEMP_PW_LEN], dev[SESSION_TOKEN_LEN];
	char ip[32];
	int64_t retry = 0;
	int i;

	authfx_account(l->f, "camille@example.fr", "Camille Durand",
	    "candidate", id, pw);
	assert_int_equal(attempt_dev(l, "camille@example.fr", pw, "192.0.2.10",
			     NULL, &res),
	    AUTH_LOGIN_OK);
	assert_int_equal(res.mfa, AUTH_MFA_NONE);
	assert_true(res.device[0] != '\0');
	memcpy(dev, res.device, sizeof(dev));
	auth_login_result_clear(&res);
	for (i = 0; i < 40; i++) {
		snprintf(ip, sizeof(ip), "203.0.113.%d", i % 4);
		l->now += retry * 1000;
		attempt_dev(l, "camille@example.fr", "bad", ip, NULL, &res);
		retry = res.retry_after_s;
		if (res.status == AUTH_LOGIN_THROTTLED)
			i--;
		auth_login_result_clear(&res);
	}
	/* The known device: at once. */
	assert_int_equal(attempt_dev(l, "camille@example.fr", pw, "192.0.2.10",
			     dev, &res),
	    AUTH_LOGIN_OK);
	assert_string_equal(res.device, ""); /* already known */
	auth_login_result_clear(&res);
	/* The stranger again, then the holder on a new device: slowed. */
	attempt_dev(l, "camille@example.fr", "bad", "203.0.113.9", NULL, &res);
	auth_login_result_clear(&res);
	for (i = 0; i < 12; i++) {
		l->now += 300 * 1000;
		attempt_dev(l, "camille@example.fr", "bad", "203.0.113.9", NULL,
		    &res);
		auth_login_result_clear(&res);
	}
	assert_int_equal(attempt_dev(l, "camille@example.fr", pw, "192.0.2.11",
			     NULL, &res),
	    AUTH_LOGIN_THROTTLED);
	assert_true(res.retry_after_s > 0 && res.retry_after_s <= 300);
	l->now += res.retry_after_s * 1000;
	auth_login_result_clear(&res);
	assert_int_equal(attempt_dev(l, "camille@example.fr", pw, "192.0.2.11",
			     NULL, &res),
	    AUTH_LOGIN_OK);
	auth_login_result_clear(&res);
	/* Told once (notification and its email), not at every failure. */
	assert_int_equal(authfx_rows(l->f,
			     "SELECT id FROM notifications WHERE kind ="
			     " 'account.sign_in_failures'"),
	    1);
	assert_int_equal(authfx_rows(l->f, "SELECT id FROM email_outbox"), 1);
	/* A device cookie of another account is no known device here. */
	assert_int_equal(attempt_dev(l, EMAIL, "bad", "192.0.2.12", dev, &res),
	    AUTH_LOGIN_FAILED);
	auth_login_result_clear(&res);
	assert_int_equal(authfx_rows(l->f,
			     "SELECT key FROM throttle WHERE key LIKE"
			     " 'device:%'"),
	    0);
}

/* A public computer is never remembered as a known device. */
static void
test_public_computer_no_device(void **state)
{
	struct lfx *l = *state;
	struct auth_login_result res;
	struct auth_login_request req;
	char id[AUTH_ID_HEX], pw[ACCOUNT_TEMP_PW_LEN];

	authfx_account(l->f, "public@example.fr", "Lou Public", "candidate", id,
	    pw);
	memset(&req, 0, sizeof(req));
	req.email = "public@example.fr";
	req.password = pw;
	req.password_len = strlen(pw);
	req.public_computer = 1;
	assert_int_equal(auth_login(&l->f->a, &req, l->now, &res), 0);
	assert_int_equal(res.status, AUTH_LOGIN_OK);
	assert_string_equal(res.device, "");
	auth_login_result_clear(&res);
	assert_int_equal(authfx_rows(l->f,
			     "SELECT token_hash FROM known_devices"),
	    0);
}

static void
test_disabled_refused(void **state)
{
	struct lfx *l = *state;

	assert_int_equal(account_deactivate(&l->f->a, NULL, l->id, NULL,
			     l->now),
	    0);
	assert_int_equal(attempt(l, EMAIL, l->pw, NULL, NULL),
	    AUTH_LOGIN_DISABLED);
	/* A wrong password says nothing about the status. */
	assert_int_equal(attempt(l, EMAIL, "bad", NULL, NULL),
	    AUTH_LOGIN_FAILED);
	assert_int_equal(authfx_rows(l->f, "SELECT id_hash FROM sessions"), 0);
	assert_int_equal(authfx_rows(l->f,
			     "SELECT seq FROM audit_log WHERE action ="
			     " 'auth.login' AND outcome = 'denied'"),
	    1);
}

struct seen {
	int n;
	int with_ip;
};

static int
journal_seen(void *arg, const struct journal_entry *e)
{
	struct seen *s = arg;

	s->n++;
	if (e->ip != NULL && strcmp(e->ip, "192.0.2.44") == 0 &&
	    e->user_agent != NULL && strstr(e->user_agent, "TestAgent") != NULL)
		s->with_ip++;
	return 0;
}

static void
test_every_attempt_journaled(void **state)
{
	struct lfx *l = *state;
	struct seen s = { 0, 0 };
	int i;

	for (i = 0; i < 5; i++)
		attempt(l, EMAIL, "bad", "192.0.2.44", NULL);
	attempt(l, EMAIL, l->pw, "192.0.2.44", NULL); /* throttled */
	/* Another account from the same address is not held back. */
	attempt(l, "x@example.fr", "bad", "192.0.2.44", NULL);
	l->now += 3000;
	attempt(l, EMAIL, l->pw, "192.0.2.44", NULL);
	assert_int_equal(journal_count(l, "failure"), 6);
	assert_int_equal(journal_count(l, "locked"), 1);
	assert_int_equal(journal_count(l, "login"), 1);
	assert_int_equal(journal_list(&l->f->a, NULL, 0, INT64_MAX, 0,
			     journal_seen, &s),
	    0);
	assert_int_equal(s.n, 8);
	assert_int_equal(s.with_ip, 8); /* opened with either key */
	assert_int_equal(authfx_rows(l->f,
			     "SELECT seq FROM audit_log WHERE action ="
			     " 'auth.login'"),
	    8);
}

static void
test_malformed_email(void **state)
{
	struct lfx *l = *state;

	assert_int_equal(attempt(l, "", "bad", NULL, NULL), AUTH_LOGIN_FAILED);
	assert_int_equal(attempt(l, "   ", "bad", NULL, NULL),
	    AUTH_LOGIN_FAILED);
}

static void
test_rehash(void **state)
{
	struct lfx *l = *state;
	struct store_account acc;
	char old[crypto_pwhash_STRBYTES];

	/* A hash made with lower (older) parameters. */
	assert_int_equal(crypto_pwhash_str(old, l->pw, strlen(l->pw),
			     crypto_pwhash_OPSLIMIT_MIN,
			     crypto_pwhash_MEMLIMIT_MIN),
	    0);
	assert_int_equal(store_account_set_password(l->f->st,
			     store_conn(l->f->st), l->id, old, 1, FX_T0),
	    0);
	assert_int_equal(password_needs_rehash(old), 1);
	assert_int_equal(attempt(l, EMAIL, l->pw, NULL, NULL), AUTH_LOGIN_OK);
	assert_int_equal(store_account_get(l->f->st, store_conn(l->f->st),
			     l->id, &acc),
	    0);
	assert_int_equal(password_needs_rehash(acc.password_hash), 0);
	assert_int_equal(password_verify(acc.password_hash, l->pw,
			     strlen(l->pw)),
	    0);
	/* Still the same temporary password, changed at the same time. */
	assert_int_equal(acc.password_temporary, 1);
	assert_int_equal(acc.password_changed_at, FX_T0);
	store_account_clear(&acc);
}

#define PARALLEL 8

struct par {
	struct lfx *l;
	enum auth_login_status status;
};

static void *
par_login(void *arg)
{
	struct par *p = arg;
	struct auth_login_request req = { EMAIL, "bad", 3, NULL, NULL, 0 };
	struct auth_login_result res;

	if (auth_login(&p->l->f->a, &req, p->l->now, &res) != 0)
		p->status = (enum auth_login_status) - 1;
	else
		p->status = res.status;
	auth_login_result_clear(&res);
	return NULL;
}

static void
test_parallel_attempts_charged(void **state)
{
	struct lfx *l = *state;
	struct par p[PARALLEL];
	pthread_t th[PARALLEL];
	int i, failed = 0, throttled = 0;

	fail_n(l, NULL, 4);
	/* Eight attempts at once: the first one charged is the 5th failure
	 * and starts a delay that every other one must wait out, so no
	 * burst gets more guesses than the policy allows. */
	for (i = 0; i < PARALLEL; i++) {
		p[i].l = l;
		assert_int_equal(pthread_create(&th[i], NULL, par_login, &p[i]),
		    0);
	}
	for (i = 0; i < PARALLEL; i++) {
		pthread_join(th[i], NULL);
		failed += p[i].status == AUTH_LOGIN_FAILED;
		throttled += p[i].status == AUTH_LOGIN_THROTTLED;
	}
	assert_int_equal(failed, 1);
	assert_int_equal(throttled, PARALLEL - 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_success, setup, teardown),
		cmocka_unit_test_setup_teardown(test_new_session_each_login,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_candidate_needs_no_mfa,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_password, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_unknown_account_same_answer, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_unknown_account_costs_a_hash, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delay_after_five, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_lock_after_ten, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_relock_after_lock, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_day_cap, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_ip_throttled_across_accounts, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_stranger_cannot_lock_out_holder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_public_computer_no_device,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_disabled_refused, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_every_attempt_journaled,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed_email, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_rehash, setup, teardown),
		cmocka_unit_test_setup_teardown(test_parallel_attempts_charged,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
