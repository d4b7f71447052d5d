/* test_session.c - src/auth/session.c: timeouts with a simulated clock,
 * deactivation, CSRF, listing and ending one's sessions. */
#include "authfx.h"

#include "auth/login.h"
#include "auth/session.h"

#define EMAIL "sam@example.fr"
#define MIN (60LL * 1000)

struct sfx {
	struct authfx *f;
	char id[AUTH_ID_HEX];
	char pw[ACCOUNT_TEMP_PW_LEN];
	int64_t now;
};

static int
setup(void **state)
{
	struct sfx *x = calloc(1, sizeof(*x));
	void *inner = NULL;

	*state = x;
	if (x == NULL)
		return -1;
	if (authfx_setup(&inner) != 0) {
		authfx_teardown(&inner);
		return -1;
	}
	x->f = inner;
	authfx_account(x->f, EMAIL, "Sam Candidat", "candidate", x->id, x->pw);
	x->now = FX_T0;
	return 0;
}

static int
teardown(void **state)
{
	struct sfx *x = *state;
	void *inner = x->f;

	authfx_teardown(&inner);
	free(x);
	return 0;
}

/* Logs in at x->now; tokens out. */
static void
login(struct sfx *x, int public_computer, const char *ua,
    struct session_tokens *t)
{
	struct auth_login_request req = { EMAIL, x->pw, strlen(x->pw),
		"192.0.2.5", ua, public_computer };
	struct auth_login_result res;

	assert_int_equal(auth_login(&x->f->a, &req, x->now, &res), 0);
	assert_int_equal(res.status, AUTH_LOGIN_OK);
	*t = res.tokens;
	auth_login_result_clear(&res);
}

static int
check(struct sfx *x, const char *token)
{
	struct session_info info;

	return session_check(&x->f->a, token, x->now, &info);
}

static void
test_idle_timeout(void **state)
{
	struct sfx *x = *state;
	struct session_tokens t;

	login(x, 0, NULL, &t);
	x->now += 29 * MIN;
	assert_int_equal(check(x, t.id), 0); /* used: idle clock restarts */
	x->now += 29 * MIN;
	assert_int_equal(check(x, t.id), 0);
	x->now += 30 * MIN;
	assert_int_equal(check(x, t.id), 1);
	/* And it is gone for good. */
	x->now -= 10 * MIN;
	assert_int_equal(check(x, t.id), 1);
	assert_int_equal(authfx_rows(x->f, "SELECT id_hash FROM sessions"), 0);
}

static void
test_public_computer_idle(void **state)
{
	struct sfx *x = *state;
	struct session_tokens priv, pub;

	login(x, 0, NULL, &priv);
	login(x, 1, NULL, &pub);
	x->now += 15 * MIN;
	assert_int_equal(check(x, pub.id), 1);
	assert_int_equal(check(x, priv.id), 0);
}

static void
test_absolute_timeout(void **state)
{
	struct sfx *x = *state;
	struct session_tokens t;
	int i;

	login(x, 0, NULL, &t);
	/* Used every 20 minutes: never idle, still over after 12 h. */
	for (i = 0; i < 35; i++) {
		x->now += 20 * MIN;
		assert_int_equal(check(x, t.id), 0);
	}
	x->now += 20 * MIN; /* 12 h */
	assert_int_equal(check(x, t.id), 1);
}

static void
test_touch_spared(void **state)
{
	struct sfx *x = *state;
	struct session_tokens t;
	struct session_info info;

	login(x, 0, NULL, &t);
	x->now += 10 * 1000;
	assert_int_equal(session_check(&x->f->a, t.id, x->now, &info), 0);
	assert_int_equal(info.last_seen_at, FX_T0); /* not written yet */
	x->now += 25 * 1000;
	assert_int_equal(session_check(&x->f->a, t.id, x->now, &info), 0);
	assert_int_equal(info.last_seen_at, x->now);
}

/*
 * A touch (or a deletion) that cannot be written, as on a full disk,
 * does not refuse the request: the session is checked by reading. Here a
 * trigger makes every write to sessions fail.
 */
static void
test_touch_unwritable_still_reads(void **state)
{
	struct sfx *x = *state;
	struct session_tokens t;
	struct session_info info;
	const struct store_driver *d = store_drv(x->f->st);
	struct store_conn *c = store_conn(x->f->st);

	login(x, 0, NULL, &t);
	assert_int_equal(d->exec(c,
			     "CREATE TRIGGER no_room BEFORE UPDATE ON sessions "
			     "BEGIN SELECT RAISE(ABORT, 'no room'); END",
			     NULL, 0, NULL, NULL),
	    0);
	assert_int_equal(d->exec(c,
			     "CREATE TRIGGER no_room_del BEFORE DELETE ON "
			     "sessions BEGIN SELECT RAISE(ABORT, 'no room'); "
			     "END",
			     NULL, 0, NULL, NULL),
	    0);
	x->now += 35 * 1000;
	assert_int_equal(session_check(&x->f->a, t.id, x->now, &info), 0);
	assert_int_equal(info.last_seen_at, FX_T0); /* the touch failed */
	assert_memory_not_equal(info.csrf_hash, (unsigned char[32]){ 0 }, 32);
	assert_int_equal(session_csrf_check(&info, t.csrf), 0);
	/* Over is over, even when its deletion cannot be written. */
	x->now += 31 * MIN;
	assert_int_equal(check(x, t.id), 1);
	assert_int_equal(authfx_rows(x->f, "SELECT id_hash FROM sessions"), 1);
	assert_int_equal(d->exec(c, "DROP TRIGGER no_room_del", NULL, 0, NULL,
			     NULL),
	    0);
	assert_int_equal(d->exec(c, "DROP TRIGGER no_room", NULL, 0, NULL,
			     NULL),
	    0);
	assert_int_equal(check(x, t.id), 1);
	assert_int_equal(authfx_rows(x->f, "SELECT id_hash FROM sessions"), 0);
}

static void
test_deactivated_refused(void **state)
{
	struct sfx *x = *state;
	struct session_tokens t;
	const struct store_driver *d = store_drv(x->f->st);

	login(x, 0, NULL, &t);
	assert_int_equal(check(x, t.id), 0);
	/* Even if a session row survived the deactivation (here made by
	 * hand), its next check refuses it. */
	assert_int_equal(d->exec(store_conn(x->f->st),
			     "UPDATE accounts SET status = 'disabled'", NULL, 0,
			     NULL, NULL),
	    0);
	assert_int_equal(check(x, t.id), 1);
	assert_int_equal(authfx_rows(x->f, "SELECT id_hash FROM sessions"), 0);
}

static void
test_deactivate_ends_sessions(void **state)
{
	struct sfx *x = *state;
	struct session_tokens t1, t2;

	login(x, 0, NULL, &t1);
	login(x, 1, NULL, &t2);
	assert_int_equal(account_deactivate(&x->f->a, NULL, x->id, NULL,
			     x->now),
	    0);
	assert_int_equal(check(x, t1.id), 1);
	assert_int_equal(check(x, t2.id), 1);
	assert_int_equal(authfx_rows(x->f,
			     "SELECT seq FROM audit_log WHERE action ="
			     " 'account.deactivate'"),
	    1);
}

static void
test_bad_tokens(void **state)
{
	struct sfx *x = *state;
	struct session_tokens t;
	char other[SESSION_TOKEN_LEN];

	login(x, 0, NULL, &t);
	assert_int_equal(check(x, NULL), 1);
	assert_int_equal(check(x, ""), 1);
	assert_int_equal(check(x, "short"), 1);
	assert_int_equal(check(x, t.csrf), 1); /* the CSRF token is no id */
	memcpy(other, t.id, sizeof(other));
	other[0] = other[0] == 'A' ? 'B' : 'A';
	assert_int_equal(check(x, other), 1);
	memcpy(other, t.id, sizeof(other));
	other[10] = '+'; /* not base64url */
	assert_int_equal(check(x, other), 1);
	assert_int_equal(check(x, t.id), 0);
}

static void
test_csrf(void **state)
{
	struct sfx *x = *state;
	struct session_tokens t, u;
	struct session_info info;

	login(x, 0, NULL, &t);
	login(x, 0, NULL, &u);
	assert_int_equal(session_check(&x->f->a, t.id, x->now, &info), 0);
	assert_int_equal(session_csrf_check(&info, t.csrf), 0);
	assert_int_equal(session_csrf_check(&info, u.csrf), -1);
	assert_int_equal(session_csrf_check(&info, t.id), -1);
	assert_int_equal(session_csrf_check(&info, NULL), -1);
	assert_int_equal(session_csrf_check(&info, ""), -1);
}

static void
test_logout(void **state)
{
	struct sfx *x = *state;
	struct session_tokens t;
	struct session_info info;

	login(x, 0, NULL, &t);
	assert_int_equal(session_check(&x->f->a, t.id, x->now, &info), 0);
	assert_int_equal(session_end(&x->f->a, &info, "192.0.2.5", "ua",
			     x->now),
	    0);
	assert_int_equal(check(x, t.id), 1);
	assert_int_equal(session_end(&x->f->a, &info, NULL, NULL, x->now), 1);
	assert_int_equal(authfx_rows(x->f,
			     "SELECT id FROM login_journal WHERE event ="
			     " 'logout'"),
	    1);
}

struct listed {
	int n, current, with_ua;
	char handle[SESSION_HANDLE_LEN];
};

static int
list_fn(void *arg, const struct session_view *v)
{
	struct listed *l = arg;

	l->n++;
	l->current += v->current;
	if (v->user_agent != NULL && strcmp(v->user_agent, "Firefox/140") == 0)
		l->with_ua++;
	if (!v->current)
		memcpy(l->handle, v->handle, sizeof(l->handle));
	return 0;
}

static void
test_list_and_end(void **state)
{
	struct sfx *x = *state;
	struct session_tokens t1, t2;
	struct session_info info;
	struct listed l;

	login(x, 0, "Firefox/140", &t1);
	x->now += 1000;
	login(x, 1, "Firefox/140", &t2);
	assert_int_equal(session_check(&x->f->a, t2.id, x->now, &info), 0);
	memset(&l, 0, sizeof(l));
	assert_int_equal(session_list(&x->f->a, x->id, info.id_hash, list_fn,
			     &l),
	    0);
	assert_int_equal(l.n, 2);
	assert_int_equal(l.current, 1);
	assert_int_equal(l.with_ua, 2);
	assert_int_equal(strlen(l.handle), SESSION_HANDLE_LEN - 1);
	/* Someone else cannot end it with the handle. */
	assert_int_equal(session_end_handle(&x->f->a, "0123", l.handle), 1);
	assert_int_equal(session_end_handle(&x->f->a, x->id, "zz"), 1);
	assert_int_equal(session_end_handle(&x->f->a, x->id, l.handle), 0);
	assert_int_equal(check(x, t1.id), 1);
	assert_int_equal(check(x, t2.id), 0);
	assert_int_equal(session_end_all(&x->f->a, x->id, NULL), 1);
	assert_int_equal(check(x, t2.id), 1);
}

static void
test_token_hash(void **state)
{
	unsigned char h1[STORE_HASH_BYTES], h2[STORE_HASH_BYTES];
	const char *tok = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

	(void)state;
	assert_int_equal(session_token_hash(tok, h1), 0);
	assert_int_equal(session_token_hash(tok, h2), 0);
	assert_memory_equal(h1, h2, sizeof(h1));
	assert_int_equal(session_token_hash(
			     "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", h1),
	    -1);
	assert_int_equal(
	    session_token_hash("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		h1),
	    -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_idle_timeout, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_public_computer_idle,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_absolute_timeout, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_touch_unwritable_still_reads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_touch_spared, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_deactivated_refused, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_deactivate_ends_sessions,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_tokens, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_csrf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_logout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_and_end, setup,
		    teardown),
		cmocka_unit_test(test_token_hash),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
