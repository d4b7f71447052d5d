/*
 * test_signin.c - the sign-in attacks of the hardening issue, replayed
 * against the real `creneau` binary with its demo data.
 *
 * Several sources are played from one machine: each client connects from
 * its own 127.0.0.x address, so the server sees a stranger, an office and
 * the account's holder apart. The proof asked before a change of second
 * factor lasts [auth] reauth_window_s, set short here so a "stolen
 * session" can be made stale by waiting.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "demo.h"

#define WINDOW_S 30
#define DEVICE "__Host-creneau-device"

static struct proc srv;
static struct demo_account cand = { "candidat@demo.example", 0, "", "", {} };
static struct demo_account mgr = { "gestion@tilleuls.example", 1, "", "", {} };
static struct demo_account dir = { "direction@tilleuls.example", 1, "", "",
	{} };
static struct demo_account trainer = { "formation@tilleuls.example", 1, "", "",
	{} };
static struct demo_account *const all[] = { &cand, &mgr, &dir, &trainer };
#define NALL (sizeof(all) / sizeof(all[0]))

static int
setup(void **state)
{
	static const char *const env[] = { "CRENEAU_AUTH_REAUTH_WINDOW_S=30",
		NULL };

	(void)state;
	return demo_start_env(&srv, env, all, NALL);
}

static int
teardown(void **state)
{
	(void)state;
	demo_stop(&srv, all, NALL);
	return 0;
}

/* A new client connecting from ip, with an empty cookie jar. */
static void
client_from(struct client *c, const char *ip)
{
	client_init(c, srv.port);
	assert_int_equal(client_source(c, ip), 0);
}

static long
sign_in(struct client *c, const char *email, const char *pw, int public)
{
	char body[512];

	snprintf(body, sizeof(body),
	    "{\"email\":\"%s\",\"password\":\"%s\",\"public_computer\":%s}",
	    email, pw, public ? "true" : "false");
	return client_call(c, "POST", "/api/v1/session", body);
}

/* The Set-Cookie line of the last response that sets name, copied into
 * out (without the line end), or "" when there is none. */
static void
set_cookie_line(const struct client *c, const char *name, char *out,
    size_t outlen)
{
	char want[128];
	const char *p = c->headers, *e;

	out[0] = '\0';
	snprintf(want, sizeof(want), "Set-Cookie: %s=", name);
	while ((p = strstr(p, "Set-Cookie: ")) != NULL) {
		e = strstr(p, "\r\n");
		if (e == NULL)
			e = p + strlen(p);
		if (strncasecmp(p, want, strlen(want)) == 0) {
			snprintf(out, outlen, "%.*s", (int)(e - p), p);
			return;
		}
		p = e;
	}
}

/* Fails n times to sign in as email from c, waiting out each delay the
 * server announces (Retry-After), as a patient attacker would. */
static void
fail_times(struct client *c, const char *email, int n)
{
	char body[256];
	const char *ra;
	long st;
	int i = 0, guard = 0;

	while (i < n && guard++ < 4 * n) {
		snprintf(body, sizeof(body),
		    "{\"email\":\"%s\",\"password\":\"devine %d\"}", email, i);
		st = client_call(c, "POST", "/api/v1/session", body);
		if (st == 401) {
			i++;
			continue;
		}
		assert_int_equal(st, 429);
		ra = strstr(c->headers, "Retry-After: ");
		sleep(ra != NULL ? (unsigned)strtoul(ra + 13, NULL, 10) : 1);
	}
	assert_int_equal(i, n);
}

/* A stranger's wrong passwords no longer keep the holder out: from a
 * browser where they signed in before (a known device) they sign in at
 * once. On the old code the account itself was delayed (429). */
static void
test_stranger_cannot_lock_out_owner(void **state)
{
	struct client stranger;
	char dev[128], body[256];

	(void)state;
	/* The holder's browser became a known device at its sign-in. */
	assert_int_equal(client_cookie(&cand.c, DEVICE, dev, sizeof(dev)), 0);
	assert_true(strlen(dev) >= 43);
	assert_int_equal(client_source(&cand.c, "127.0.0.3"), 0);
	client_from(&stranger, "127.0.0.2");
	/* Eight failures: on the old rules the account waited 16 s after
	 * them, whoever came next. */
	fail_times(&stranger, cand.email, 8);
	snprintf(body, sizeof(body), "{\"email\":\"%s\",\"password\":\"x\"}",
	    cand.email);
	assert_int_equal(client_call(&stranger, "POST", "/api/v1/session",
			     body),
	    429);
	assert_int_equal(sign_in(&cand.c, cand.email, cand.pw, 0), 200);
	/* Signing out keeps the device known. */
	assert_int_equal(client_call(&cand.c, "DELETE", "/api/v1/session",
			     NULL),
	    200);
	assert_null(strstr(cand.c.headers, "\"cookies\""));
	assert_int_equal(client_cookie(&cand.c, DEVICE, dev, sizeof(dev)), 0);
	assert_true(strlen(dev) >= 43);
	assert_int_equal(sign_in(&cand.c, cand.email, cand.pw, 0), 200);
	client_free(&stranger);
}

/* Failures from one office address do not lock the others behind it:
 * a colleague on a new browser signs in at once. On the old code the
 * address was delayed after five failures (429). */
static void
test_office_address_does_not_lock_others(void **state)
{
	struct client clumsy, colleague;

	(void)state;
	client_from(&clumsy, "127.0.0.4");
	/* Eight failures: on the old rules the address waited 16 s after
	 * them, for everyone behind it. */
	fail_times(&clumsy, "inconnu@tilleuls.example", 8);
	client_from(&colleague, "127.0.0.4");
	assert_int_equal(sign_in(&colleague, trainer.email, trainer.pw, 0),
	    200);
	assert_non_null(strstr(colleague.body, "\"mfa\":\"code\""));
	client_free(&clumsy);
	client_free(&colleague);
}

/* Passing the second factor hands out a new session id; the one handed
 * out with the password alone is dead. On the old code the id stayed. */
static void
test_session_rotated_after_totp(void **state)
{
	struct client c;
	char before[128], after[128], xsrf[128], line[256], body[64], code[7];

	(void)state;
	client_from(&c, "127.0.0.6");
	memcpy(c.secret_b32, mgr.c.secret_b32, sizeof(c.secret_b32));
	assert_int_equal(sign_in(&c, mgr.email, mgr.pw, 0), 200);
	assert_int_equal(client_cookie(&c, "__Host-creneau", before,
			     sizeof(before)),
	    0);
	assert_int_equal(client_cookie(&c, "XSRF-TOKEN", xsrf, sizeof(xsrf)),
	    0);
	assert_int_equal(client_totp(&c, 1, code), 0);
	snprintf(body, sizeof(body), "{\"code\":\"%s\"}", code);
	assert_int_equal(client_call(&c, "POST", "/api/v1/session/mfa", body),
	    200);
	assert_int_equal(client_cookie(&c, "__Host-creneau", after,
			     sizeof(after)),
	    0);
	assert_string_not_equal(before, after);
	assert_int_equal(client_cookie(&c, "XSRF-TOKEN", line, sizeof(line)),
	    0);
	assert_string_not_equal(xsrf, line);
	/* A full sign-in leaves a known device behind. */
	assert_int_equal(client_cookie(&c, DEVICE, line, sizeof(line)), 0);
	set_cookie_line(&c, DEVICE, line, sizeof(line));
	assert_non_null(strstr(line, "HttpOnly"));
	assert_non_null(strstr(line, "Secure"));
	assert_non_null(strstr(line, "Max-Age="));
	assert_int_equal(client_call(&c, "GET", "/api/v1/me", NULL), 200);
	assert_non_null(strstr(c.body, "\"mfa_done\":true"));
	/* The id seen before the second factor opens nothing. */
	snprintf(line, sizeof(line),
	    "127.0.0.1\tFALSE\t/\tTRUE\t0\t__Host-creneau\t%s", before);
	curl_easy_setopt(c.curl, CURLOPT_COOKIELIST, line);
	assert_int_equal(client_call(&c, "GET", "/api/v1/me", NULL), 401);
	client_free(&c);
}

/* A « public computer » sign-in gets cookies that end with the browser
 * (no Max-Age) and no known device. On the old code Max-Age was set. */
static void
test_public_computer_cookie_ends_with_browser(void **state)
{
	struct client c;
	char line[512];

	(void)state;
	client_from(&c, "127.0.0.7");
	assert_int_equal(sign_in(&c, cand.email, cand.pw, 1), 200);
	set_cookie_line(&c, "__Host-creneau", line, sizeof(line));
	assert_true(line[0] != '\0');
	assert_null(strstr(line, "Max-Age"));
	assert_null(strstr(line, "Expires"));
	assert_non_null(strstr(line, "HttpOnly"));
	set_cookie_line(&c, "XSRF-TOKEN", line, sizeof(line));
	assert_true(line[0] != '\0');
	assert_null(strstr(line, "Max-Age"));
	set_cookie_line(&c, DEVICE, line, sizeof(line));
	assert_string_equal(line, "");
	/* A private sign-in keeps its Max-Age. */
	client_free(&c);
	client_from(&c, "127.0.0.7");
	assert_int_equal(sign_in(&c, cand.email, cand.pw, 0), 200);
	set_cookie_line(&c, "__Host-creneau", line, sizeof(line));
	assert_non_null(strstr(line, "Max-Age=43200"));
	client_free(&c);
}

/* The second factor cannot be replaced from a session alone: enrolment,
 * confirmation and a password change answer reauth_required until the
 * password and the current code are proven again; then the change goes
 * through and the holder is told. On the old code enrolment answered 200
 * to the stale session. */
static void
test_mfa_replacement_needs_fresh_proof(void **state)
{
	struct client *c = &dir.c;
	char body[512], code[7], secret[128];
	json_t *o;
	const char *uri, *p;
	size_t i;

	(void)state;
	/* The proof of the onboarding goes stale: a stolen session. */
	sleep(WINDOW_S + 1);
	assert_int_equal(client_call(c, "POST", "/api/v1/me/mfa/enrolment",
			     NULL),
	    403);
	assert_string_equal(client_code(c), "reauth_required");
	assert_int_equal(client_call(c, "POST", "/api/v1/me/mfa/confirmation",
			     "{\"code\":\"123456\"}"),
	    403);
	assert_string_equal(client_code(c), "reauth_required");
	snprintf(body, sizeof(body),
	    "{\"current_password\":\"%s\","
	    "\"new_password\":\"galet Bleu tulipe vent pluie\"}",
	    dir.pw);
	assert_int_equal(client_call(c, "POST", "/api/v1/me/password", body),
	    403);
	assert_string_equal(client_code(c), "reauth_required");
	/* The password alone is not a proof when there is a second factor. */
	snprintf(body, sizeof(body), "{\"password\":\"%s\"}", dir.pw);
	assert_int_equal(client_call(c, "POST",
			     "/api/v1/session/reauthentication", body),
	    422);
	assert_string_equal(client_code(c), "invalid_code");
	snprintf(body, sizeof(body),
	    "{\"password\":\"pas le bon\",\"code\":\"000000\"}");
	assert_int_equal(client_call(c, "POST",
			     "/api/v1/session/reauthentication", body),
	    422);
	assert_string_equal(client_code(c), "password_refused");
	/* Password and current code: the changes go through. */
	assert_int_equal(client_totp(c, 1, code), 0);
	snprintf(body, sizeof(body), "{\"password\":\"%s\",\"code\":\"%s\"}",
	    dir.pw, code);
	assert_int_equal(client_call(c, "POST",
			     "/api/v1/session/reauthentication", body),
	    200);
	assert_int_equal(client_call(c, "POST", "/api/v1/me/mfa/enrolment",
			     NULL),
	    200);
	o = client_json(c);
	uri = o ? json_string_value(json_object_get(o, "otpauth_uri")) : NULL;
	p = uri ? strstr(uri, "secret=") : NULL;
	assert_non_null(p);
	p += 7;
	for (i = 0; p[i] && p[i] != '&' && i + 1 < sizeof(secret); i++)
		secret[i] = p[i];
	secret[i] = '\0';
	json_decref(o);
	snprintf(c->secret_b32, sizeof(c->secret_b32), "%s", secret);
	assert_int_equal(client_totp(c, 0, code), 0);
	snprintf(body, sizeof(body), "{\"code\":\"%s\"}", code);
	assert_int_equal(client_call(c, "POST", "/api/v1/me/mfa/confirmation",
			     body),
	    200);
	snprintf(body, sizeof(body),
	    "{\"current_password\":\"%s\","
	    "\"new_password\":\"galet Bleu tulipe vent pluie\"}",
	    dir.pw);
	assert_int_equal(client_call(c, "POST", "/api/v1/me/password", body),
	    200);
	/* The holder is told of both, in the application (and by email). */
	assert_int_equal(client_call(c, "GET", "/api/v1/notifications", NULL),
	    200);
	assert_non_null(strstr(c->body, "\"account.mfa_changed\""));
	assert_non_null(strstr(c->body, "\"account.password_changed\""));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stranger_cannot_lock_out_owner),
		cmocka_unit_test(test_office_address_does_not_lock_others),
		cmocka_unit_test(test_session_rotated_after_totp),
		cmocka_unit_test(test_public_computer_cookie_ends_with_browser),
		cmocka_unit_test(test_mfa_replacement_needs_fresh_proof),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
