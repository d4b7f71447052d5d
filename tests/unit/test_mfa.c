/* test_mfa.c - src/auth/mfa.c: TOTP enrolment, replay refused, recovery
 * codes single use, throttling; and no secret in clear in the database
 * files. */
#include "authfx.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth/login.h"
#include "auth/mfa.h"
#include "auth/password.h"

#define EMAIL "trainer@example.fr"

struct mfx {
	struct authfx *f;
	char id[AUTH_ID_HEX];
	char pw[ACCOUNT_TEMP_PW_LEN];
	int64_t now;
	unsigned char secret[TOTP_SECRET_MAX];
	size_t secret_len;
	char codes[RECOVERY_COUNT][RECOVERY_LEN];
};

static int
setup(void **state)
{
	struct mfx *x = calloc(1, sizeof(*x));
	void *inner = NULL;

	*state = x;
	if (x == NULL)
		return -1;
	if (authfx_setup(&inner) != 0) {
		authfx_teardown(&inner);
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
	struct mfx *x = *state;
	void *inner = x->f;

	authfx_teardown(&inner);
	free(x);
	return 0;
}

/* Reads the sealed secret in column (totp_pending or totp_secret) back
 * with the account's key, as only the server can. */
static void
read_secret(struct mfx *x, const char *column)
{
	struct store_account acc;
	struct data_key k;
	const struct store_blob *b;
	char owner[AUTH_OWNER_MAX], *pt;
	size_t n;

	assert_int_equal(store_account_get(x->f->st, store_conn(x->f->st),
			     x->id, &acc),
	    0);
	b = strcmp(column, "totp_pending") == 0 ? &acc.totp_pending
						: &acc.totp_secret;
	assert_non_null(b->p);
	assert_int_equal(auth_subject_owner(x->id, owner), 0);
	assert_int_equal(keystore_get(x->f->ks, owner, 0, &k), 0);
	assert_int_equal(field_open(&k, "accounts", column, x->id, b->p, b->len,
			     &pt, &n),
	    0);
	memcpy(x->secret, pt, n);
	x->secret_len = n;
	field_free(pt, n);
	store_account_clear(&acc);
}

static void
code_at(struct mfx *x, int64_t ms, char out[TOTP_CODE_MAX + 1])
{
	assert_int_equal(totp_code(x->secret, x->secret_len,
			     totp_step(ms / 1000), TOTP_DIGITS, out),
	    0);
}

static void
enrol(struct mfx *x)
{
	char uri[TOTP_URI_MAX], code[TOTP_CODE_MAX + 1];

	assert_int_equal(mfa_enrol_start(&x->f->a, x->id, x->now, uri), 0);
	assert_non_null(strstr(uri, "otpauth://totp/"));
	assert_non_null(strstr(uri, "trainer%40example.fr"));
	read_secret(x, "totp_pending");
	code_at(x, x->now, code);
	assert_int_equal(mfa_enrol_confirm(&x->f->a, x->id, NULL, code, x->now,
			     x->codes),
	    0);
}

/* Logs in; the session info out. */
static void
login(struct mfx *x, struct session_tokens *t, struct session_info *info,
    enum auth_mfa_step want)
{
	struct auth_login_request req = { EMAIL, x->pw, strlen(x->pw),
		"192.0.2.8", "UA", 0 };
	struct auth_login_result res;

	assert_int_equal(auth_login(&x->f->a, &req, x->now, &res), 0);
	assert_int_equal(res.status, AUTH_LOGIN_OK);
	assert_int_equal(res.mfa, want);
	*t = res.tokens;
	auth_login_result_clear(&res);
	assert_int_equal(session_check(&x->f->a, t->id, x->now, info), 0);
}

static enum mfa_status
verify(struct mfx *x, const struct session_info *info, const char *code)
{
	struct mfa_client cl = { "192.0.2.8", "UA", NULL };
	enum mfa_status s;
	int64_t retry;

	assert_int_equal(mfa_verify(&x->f->a, info, code, &cl, x->now, &s,
			     &retry, NULL),
	    0);
	return s;
}

static enum mfa_status
recover(struct mfx *x, const struct session_info *info, const char *code)
{
	struct mfa_client cl = { NULL, NULL, NULL };
	enum mfa_status s;
	int64_t retry;

	assert_int_equal(mfa_recover(&x->f->a, info, code, &cl, x->now, &s,
			     &retry, NULL),
	    0);
	return s;
}

static void
test_role_requires_mfa(void **state)
{
	(void)state;
	assert_int_equal(role_requires_mfa("candidate"), 0);
	assert_int_equal(role_requires_mfa("user"), 0);
	assert_int_equal(role_requires_mfa("trainer"), 1);
	assert_int_equal(role_requires_mfa("platform_admin"), 1);
	assert_int_equal(role_requires_mfa("no_such_role"), 1);
}

static void
test_enrol_and_verify(void **state)
{
	struct mfx *x = *state;
	struct session_tokens t;
	struct session_info info;
	char code[TOTP_CODE_MAX + 1];

	login(x, &t, &info, AUTH_MFA_ENROL);
	assert_int_equal(info.mfa_enrol, 1);
	enrol(x);
	assert_int_equal(mfa_recovery_left(&x->f->a, x->id), RECOVERY_COUNT);
	/* Enrolled: the next login asks for a code. */
	x->now += 60 * 1000;
	login(x, &t, &info, AUTH_MFA_CODE);
	assert_int_equal(info.mfa_done, 0);
	assert_int_equal(info.mfa_enrol, 0);
	assert_int_equal(verify(x, &info, "000000") == MFA_OK, 0);
	code_at(x, x->now, code);
	assert_int_equal(verify(x, &info, code), MFA_OK);
	assert_int_equal(session_check(&x->f->a, t.id, x->now, &info), 0);
	assert_int_equal(info.mfa_done, 1);
	/* The same code again, even on another session: replay. */
	login(x, &t, &info, AUTH_MFA_CODE);
	assert_int_equal(verify(x, &info, code), MFA_FAILED);
	/* The code of the next step passes. */
	x->now += 30 * 1000;
	code_at(x, x->now, code);
	assert_int_equal(verify(x, &info, code), MFA_OK);
	assert_int_equal(authfx_rows(x->f,
			     "SELECT id FROM login_journal WHERE event ="
			     " 'mfa_success'"),
	    2);
	assert_int_equal(authfx_rows(x->f,
			     "SELECT id FROM login_journal WHERE event ="
			     " 'mfa_failure'"),
	    2);
}

static void
test_enrol_wrong_code(void **state)
{
	struct mfx *x = *state;
	char uri[TOTP_URI_MAX], code[TOTP_CODE_MAX + 1];

	assert_int_equal(mfa_enrol_confirm(&x->f->a, x->id, NULL, "123456",
			     x->now, x->codes),
	    1); /* nothing pending */
	assert_int_equal(mfa_enrol_start(&x->f->a, x->id, x->now, uri), 0);
	read_secret(x, "totp_pending");
	code_at(x, x->now + 5 * 60 * 1000, code); /* far from now */
	assert_int_equal(mfa_enrol_confirm(&x->f->a, x->id, NULL, code, x->now,
			     x->codes),
	    1);
	assert_int_equal(authfx_rows(x->f,
			     "SELECT id FROM accounts WHERE totp_secret IS"
			     " NOT NULL"),
	    0);
	assert_int_equal(mfa_enrol_start(&x->f->a, "nobody", x->now, uri), 1);
}

static void
test_recovery_single_use(void **state)
{
	struct mfx *x = *state;
	struct session_tokens t;
	struct session_info info;
	char typed[32];

	enrol(x);
	x->now += 60 * 1000;
	login(x, &t, &info, AUTH_MFA_CODE);
	assert_int_equal(recover(x, &info, "AAAA-BBBB-CCCC"), MFA_FAILED);
	assert_int_equal(recover(x, &info, "not a code"), MFA_FAILED);
	/* Typed loosely: lower case, no dashes. */
	snprintf(typed, sizeof(typed), "%.4s %.4s %.4s", x->codes[3],
	    x->codes[3] + 5, x->codes[3] + 10);
	for (char *p = typed; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p + 32);
	assert_int_equal(recover(x, &info, typed), MFA_OK);
	assert_int_equal(mfa_recovery_left(&x->f->a, x->id),
	    RECOVERY_COUNT - 1);
	login(x, &t, &info, AUTH_MFA_CODE);
	assert_int_equal(recover(x, &info, x->codes[3]), MFA_FAILED);
	assert_int_equal(recover(x, &info, x->codes[4]), MFA_OK);
	assert_int_equal(authfx_rows(x->f,
			     "SELECT seq FROM audit_log WHERE action ="
			     " 'auth.mfa.recovery' AND outcome = 'success'"),
	    2);
}

static void
test_mfa_throttled(void **state)
{
	struct mfx *x = *state;
	struct session_tokens t;
	struct session_info info;
	char code[TOTP_CODE_MAX + 1];
	enum mfa_status s;
	int64_t retry;
	int i;

	enrol(x);
	x->now += 60 * 1000;
	login(x, &t, &info, AUTH_MFA_CODE);
	for (i = 0; i < 5; i++)
		assert_int_equal(verify(x, &info, "000001"), MFA_FAILED);
	code_at(x, x->now, code);
	{
		struct mfa_client cl = { "192.0.2.8", NULL, NULL };

		assert_int_equal(mfa_verify(&x->f->a, &info, code, &cl, x->now,
				     &s, &retry, NULL),
		    0);
	}
	assert_int_equal(s, MFA_THROTTLED);
	assert_true(retry > 0);
}

/* Passing the second factor ends the session the password opened and
 * hands out a new one (and a known device); the new one's proof time is
 * the password's. */
static void
test_verify_rotates_session(void **state)
{
	struct mfx *x = *state;
	struct session_tokens t;
	struct session_info info, again;
	struct mfa_client cl = { "192.0.2.8", "UA", NULL };
	struct mfa_passed out;
	char code[TOTP_CODE_MAX + 1];
	enum mfa_status s;
	int64_t retry, opened;

	enrol(x);
	x->now += 60 * 1000;
	login(x, &t, &info, AUTH_MFA_CODE);
	opened = x->now;
	assert_int_equal(info.reauth_at, 0);
	x->now += 20 * 1000;
	code_at(x, x->now, code);
	assert_int_equal(mfa_verify(&x->f->a, &info, code, &cl, x->now, &s,
			     &retry, &out),
	    0);
	assert_int_equal(s, MFA_OK);
	assert_string_not_equal(out.tokens.id, t.id);
	assert_string_not_equal(out.tokens.csrf, t.csrf);
	assert_true(out.device[0] != '\0');
	assert_int_equal(session_check(&x->f->a, t.id, x->now, &again), 1);
	assert_int_equal(session_check(&x->f->a, out.tokens.id, x->now, &again),
	    0);
	assert_true(again.mfa_done);
	assert_int_equal(again.reauth_at, opened);
	assert_int_equal(authfx_rows(x->f,
			     "SELECT token_hash FROM known_devices"),
	    1);
	sodium_memzero(&out, sizeof(out));
}

/* Returns 1 if the file at path holds the n bytes of p. */
static int
file_has(const char *path, const void *p, size_t n)
{
	struct stat sb;
	unsigned char *buf;
	ssize_t got;
	int fd, found = 0;

	if ((fd = open(path, O_RDONLY)) < 0)
		return 0;
	if (fstat(fd, &sb) != 0 || sb.st_size <= 0 ||
	    (buf = malloc((size_t)sb.st_size)) == NULL) {
		close(fd);
		return 0;
	}
	got = read(fd, buf, (size_t)sb.st_size);
	if (got > 0 && memmem(buf, (size_t)got, p, n) != NULL)
		found = 1;
	free(buf);
	close(fd);
	return found;
}

static void
assert_absent(struct mfx *x, const void *p, size_t n, const char *what)
{
	static const char *const suffixes[] = { "", "-wal", "-journal" };
	char path[160];
	size_t i;

	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s%s", x->f->db, suffixes[i]);
		if (file_has(path, p, n))
			fail_msg("%s found in clear in %s", what, path);
		snprintf(path, sizeof(path), "%s%s", x->f->keys, suffixes[i]);
		if (file_has(path, p, n))
			fail_msg("%s found in clear in %s", what, path);
	}
}

static void
absent_str(struct mfx *x, const char *s, const char *what)
{
	assert_absent(x, s, strlen(s), what);
}

static void
test_no_secret_in_clear(void **state)
{
	struct mfx *x = *state;
	const char *newpw = "quatre chevaux bleus dansent la gigue";
	struct session_tokens t;
	struct session_info info;
	char why[ACCOUNT_WHY_MAX], b32[TOTP_BASE32_MAX], norm[16];
	char code[TOTP_CODE_MAX + 1];
	int i;

	login(x, &t, &info, AUTH_MFA_ENROL);
	absent_str(x, x->pw, "temporary password");
	assert_int_equal(account_password_change(&x->f->a, x->id, x->pw,
			     strlen(x->pw), newpw, strlen(newpw), info.id_hash,
			     "192.0.2.8", x->now, why, sizeof(why)),
	    0);
	enrol(x);
	x->now += 60 * 1000;
	{
		struct auth_login_request req = { EMAIL, newpw, strlen(newpw),
			"192.0.2.8", "SecretAgent/9.9", 0 };
		struct auth_login_result res;

		assert_int_equal(auth_login(&x->f->a, &req, x->now, &res), 0);
		assert_int_equal(res.status, AUTH_LOGIN_OK);
		t = res.tokens;
		auth_login_result_clear(&res);
	}
	assert_int_equal(session_check(&x->f->a, t.id, x->now, &info), 0);
	code_at(x, x->now, code);
	assert_int_equal(verify(x, &info, code), MFA_OK);

	absent_str(x, newpw, "password");
	absent_str(x, t.id, "session id");
	absent_str(x, t.csrf, "CSRF token");
	assert_absent(x, x->secret, x->secret_len, "TOTP secret");
	assert_int_equal(totp_base32_encode(x->secret, x->secret_len, b32,
			     sizeof(b32)) > 0,
	    1);
	absent_str(x, b32, "TOTP secret (base32)");
	for (i = 0; i < RECOVERY_COUNT; i++) {
		absent_str(x, x->codes[i], "recovery code");
		assert_int_equal(totp_recovery_normalise(x->codes[i], norm), 0);
		absent_str(x, norm, "recovery code (normalised)");
	}
	absent_str(x, EMAIL, "email");
	absent_str(x, "Claire Formatrice", "name");
	absent_str(x, "192.0.2.8", "IP address");
	absent_str(x, "SecretAgent", "user agent");
	/* The files were really read: the account id is there, in the
	 * database or its log. */
	snprintf(why, sizeof(why), "%s-wal", x->f->db);
	assert_true(file_has(x->f->db, x->id, strlen(x->id)) ||
	    file_has(why, x->id, strlen(x->id)));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_role_requires_mfa),
		cmocka_unit_test_setup_teardown(test_enrol_and_verify, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_enrol_wrong_code, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_recovery_single_use, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_mfa_throttled, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_verify_rotates_session,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_secret_in_clear, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
