/* test_reauth.c - src/auth/reauth.c: the proof asked again before a
 * change of password or second factor (password, and the current code
 * when the account has TOTP), and how long it stays fresh. */
#include "authfx.h"

#include "auth/login.h"
#include "auth/mfa.h"
#include "auth/reauth.h"

#define EMAIL "trainer@example.fr"

struct rfx {
	struct authfx *f;
	char id[AUTH_ID_HEX];
	char pw[ACCOUNT_TEMP_PW_LEN];
	int64_t now;
	unsigned char secret[TOTP_SECRET_MAX];
	size_t secret_len;
};

static int
setup(void **state)
{
	struct rfx *x = calloc(1, sizeof(*x));
	void *inner = NULL;

	*state = x;
	if (x == NULL || authfx_setup(&inner) != 0) {
		authfx_teardown(&inner);
		free(x);
		return -1;
	}
	x->f = inner;
	authfx_account(x->f, EMAIL, "Claire Formatrice", "trainer", x->id,
	    x->pw);
	x->now = FX_T0 + 5000;
	return 0;
}

static int
teardown(void **state)
{
	struct rfx *x = *state;
	void *inner = x->f;

	authfx_teardown(&inner);
	free(x);
	return 0;
}

static void
code_at(struct rfx *x, int64_t ms, char out[TOTP_CODE_MAX + 1])
{
	assert_int_equal(totp_code(x->secret, x->secret_len,
			     totp_step(ms / 1000), TOTP_DIGITS, out),
	    0);
}

/* Enrols TOTP as the server would, reading the pending secret back with
 * the account's key. */
static void
enrol(struct rfx *x)
{
	char uri[TOTP_URI_MAX], code[TOTP_CODE_MAX + 1], owner[AUTH_OWNER_MAX];
	char codes[RECOVERY_COUNT][RECOVERY_LEN], *pt;
	struct store_account acc;
	struct data_key k;
	size_t n;

	assert_int_equal(mfa_enrol_start(&x->f->a, x->id, x->now, uri), 0);
	assert_int_equal(store_account_get(x->f->st, store_conn(x->f->st),
			     x->id, &acc),
	    0);
	assert_int_equal(auth_subject_owner(x->id, owner), 0);
	assert_int_equal(keystore_get(x->f->ks, owner, 0, &k), 0);
	assert_int_equal(field_open(&k, "accounts", "totp_pending", x->id,
			     acc.totp_pending.p, acc.totp_pending.len, &pt, &n),
	    0);
	memcpy(x->secret, pt, n);
	x->secret_len = n;
	field_free(pt, n);
	store_account_clear(&acc);
	code_at(x, x->now, code);
	assert_int_equal(mfa_enrol_confirm(&x->f->a, x->id, NULL, code, x->now,
			     codes),
	    0);
}

/* Signs in with the password; the session's token and info out. */
static void
sign_in(struct rfx *x, char token[SESSION_TOKEN_LEN], struct session_info *info)
{
	struct auth_login_request req = { EMAIL, x->pw, strlen(x->pw),
		"192.0.2.8", "UA", 0, NULL };
	struct auth_login_result res;

	assert_int_equal(auth_login(&x->f->a, &req, x->now, &res), 0);
	assert_int_equal(res.status, AUTH_LOGIN_OK);
	assert_int_equal(session_check(&x->f->a, res.tokens.id, x->now, info),
	    0);
	memcpy(token, res.tokens.id, SESSION_TOKEN_LEN);
	auth_login_result_clear(&res);
}

static void
test_fresh_window(void **state)
{
	struct session_info s;

	(void)state;
	memset(&s, 0, sizeof(s));
	assert_false(reauth_fresh(&s, REAUTH_WINDOW_MS, FX_T0));
	s.reauth_at = FX_T0;
	assert_true(reauth_fresh(&s, REAUTH_WINDOW_MS, FX_T0));
	assert_true(
	    reauth_fresh(&s, REAUTH_WINDOW_MS, FX_T0 + REAUTH_WINDOW_MS));
	assert_false(
	    reauth_fresh(&s, REAUTH_WINDOW_MS, FX_T0 + REAUTH_WINDOW_MS + 1));
	assert_false(reauth_fresh(&s, REAUTH_WINDOW_MS, FX_T0 - 1));
}

/* Without TOTP the password is the whole proof, and signing in gives it. */
static void
test_password_only_account(void **state)
{
	struct rfx *x = *state;
	struct session_info s;
	struct mfa_client cl = { "192.0.2.8", "UA", NULL };
	char why[256] = "", token[SESSION_TOKEN_LEN];
	int64_t wait, proved;

	sign_in(x, token, &s);
	assert_int_equal(s.reauth_at, x->now);
	x->now += REAUTH_WINDOW_MS + 1;
	assert_false(reauth_fresh(&s, REAUTH_WINDOW_MS, x->now));
	assert_int_equal(reauth_prove(&x->f->a, &s, "faux", 4, NULL, &cl,
			     x->now, &wait, why, sizeof(why)),
	    1);
	assert_int_equal(strncmp(why, "password", 8), 0);
	x->now += 1000;
	proved = x->now;
	assert_int_equal(reauth_prove(&x->f->a, &s, x->pw, strlen(x->pw), NULL,
			     &cl, x->now, &wait, why, sizeof(why)),
	    0);
	assert_int_equal(session_check(&x->f->a, token, x->now, &s), 0);
	assert_int_equal(s.reauth_at, proved);
	assert_true(reauth_fresh(&s, REAUTH_WINDOW_MS, x->now));
}

/* With TOTP: the password alone is refused, a used code is refused, the
 * password and a current code make the session fresh. */
static void
test_totp_account(void **state)
{
	struct rfx *x = *state;
	struct session_info s, again;
	struct auth_login_request req = { EMAIL, x->pw, strlen(x->pw),
		"192.0.2.8", "UA", 0, NULL };
	struct auth_login_result res;
	struct mfa_client cl = { "192.0.2.8", "UA", NULL };
	char why[256] = "", code[TOTP_CODE_MAX + 1];
	int64_t wait;

	enrol(x);
	x->now += 60 * 1000;
	assert_int_equal(auth_login(&x->f->a, &req, x->now, &res), 0);
	assert_int_equal(session_check(&x->f->a, res.tokens.id, x->now, &s), 0);
	/* The password alone opened the session: no proof yet. */
	assert_int_equal(s.reauth_at, 0);
	assert_int_equal(reauth_prove(&x->f->a, &s, x->pw, strlen(x->pw), NULL,
			     &cl, x->now, &wait, why, sizeof(why)),
	    1);
	assert_int_equal(strncmp(why, "code", 4), 0);
	code_at(x, x->now, code);
	assert_int_equal(reauth_prove(&x->f->a, &s, x->pw, strlen(x->pw), code,
			     &cl, x->now, &wait, why, sizeof(why)),
	    0);
	assert_int_equal(session_check(&x->f->a, res.tokens.id, x->now, &again),
	    0);
	assert_int_equal(again.reauth_at, x->now);
	assert_true(reauth_fresh(&again, REAUTH_WINDOW_MS, x->now));
	/* The same code again: replay refused. */
	x->now += 1000;
	assert_int_equal(reauth_prove(&x->f->a, &s, x->pw, strlen(x->pw), code,
			     &cl, x->now, &wait, why, sizeof(why)),
	    1);
	assert_int_equal(strncmp(why, "code", 4), 0);
	auth_login_result_clear(&res);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fresh_window),
		cmocka_unit_test_setup_teardown(test_password_only_account,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_totp_account, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
