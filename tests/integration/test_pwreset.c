/*
 * test_pwreset.c - « Mot de passe oublié » against the real `creneau`
 * binary with its demo data and a real SMTP server (aiosmtpd): the link
 * arrives by email, serves once, ends the account's sessions, and the
 * person is told by email that their password changed; the answer is the
 * same for an address without an account; requests are throttled per
 * address and per source; a staff member still gives their second factor.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../unit/smtpd.h"
#include "demo.h"

#define PUBLIC_URL "https://creneau.test"
#define LINK PUBLIC_URL "/#reinitialisation="
#define NEW_PW "hibou Lavande escalier 73 brume"

static struct proc srv;
static struct smtpd mail;
static char tmpdir[64], maildir[96];
static struct demo_account cand = { "candidat@demo.example", 0, "", "", {} };
static struct demo_account mgr = { "gestion@tilleuls.example", 1, "", "", {} };
static struct demo_account *const all[] = { &cand, &mgr };
#define NALL (sizeof(all) / sizeof(all[0]))

static int
setup(void **state)
{
	static char smtp_url[96];
	static const char *env[] = { smtp_url,
		"CRENEAU_SMTP_FROM=noreply@creneau.test",
		"CRENEAU_SMTP_STARTTLS=off", "CRENEAU_SMTP_INTERVAL=1",
		"CRENEAU_HTTP_PUBLIC_URL=" PUBLIC_URL, NULL };

	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/pwreset-mail-XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	snprintf(maildir, sizeof(maildir), "%s/mail", tmpdir);
	memset(&mail, 0, sizeof(mail));
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
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
client_from(struct client *c, const char *ip)
{
	client_init(c, srv.port);
	assert_int_equal(client_source(c, ip), 0);
}

static long
ask_link(struct client *c, const char *email)
{
	char body[256];

	snprintf(body, sizeof(body), "{\"email\":\"%s\"}", email);
	return client_call(c, "POST", "/api/v1/password-reset", body);
}

static long
use_link(struct client *c, const char *token, const char *pw)
{
	char body[512];

	snprintf(body, sizeof(body),
	    "{\"token\":\"%s\",\"new_password\":\"%s\"}", token, pw);
	return client_call(c, "POST", "/api/v1/password-reset/completion",
	    body);
}

static long
sign_in(struct client *c, const char *email, const char *pw)
{
	char body[512];

	snprintf(body, sizeof(body), "{\"email\":\"%s\",\"password\":\"%s\"}",
	    email, pw);
	return client_call(c, "POST", "/api/v1/session", body);
}

/*
 * Waits (10 s at most) for an email to `to` that contains `text` and was
 * not read before (read emails are moved to cur/), and copies it decoded
 * into out. Returns 0 or -1.
 */
static int
wait_email(const char *to, const char *text, char *out, size_t outlen)
{
	char dir[128], path[400], cur[400];
	struct dirent *e;
	DIR *d;
	int i;

	snprintf(dir, sizeof(dir), "%s/new", maildir);
	for (i = 0; i < 100; i++) {
		struct timespec ts = { 0, 100 * 1000 * 1000 };

		if ((d = opendir(dir)) != NULL) {
			while ((e = readdir(d)) != NULL) {
				if (e->d_name[0] == '.')
					continue;
				snprintf(path, sizeof(path), "%s/%s", dir,
				    e->d_name);
				if (smtpd_decode(path, out, outlen) != 0 ||
				    strstr(out, to) == NULL ||
				    strstr(out, text) == NULL)
					continue;
				snprintf(cur, sizeof(cur), "%s/cur/%s", maildir,
				    e->d_name);
				closedir(d);
				return rename(path, cur);
			}
			closedir(d);
		}
		nanosleep(&ts, NULL);
	}
	return -1;
}

/* The token of the link in the email to `to`. */
static void
link_token(const char *to, char token[64])
{
	static char out[16384];
	const char *p;

	assert_int_equal(wait_email(to, LINK, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "Choisir un nouveau mot de passe"));
	p = strstr(out, LINK) + strlen(LINK);
	assert_int_equal(sscanf(p, "%63[A-Za-z0-9_-]", token), 1);
	assert_int_equal(strlen(token), 43);
}

/* An address without an account gets the very answer a known one gets,
 * and no email. */
static void
test_same_answer_for_unknown_address(void **state)
{
	static char known[sizeof(((struct client *)0)->body)];
	struct client c;
	char out[4096];

	(void)state;
	client_from(&c, "127.0.0.21");
	assert_int_equal(ask_link(&c, "direction@tilleuls.example"), 202);
	snprintf(known, sizeof(known), "%s", c.body);
	assert_int_equal(ask_link(&c, "personne@nulle-part.example"), 202);
	assert_string_equal(c.body, known);
	assert_int_equal(wait_email("personne@nulle-part.example", "", out,
			     sizeof(out)),
	    -1);
	client_free(&c);
}

/* The link: a weak password is refused and the link still serves; a
 * good one is set, every session of the account ends, the person is
 * told, the link does not serve twice and the old password no longer
 * opens anything. */
static void
test_link_sets_password_once(void **state)
{
	static char out[16384];
	struct client c, other;
	char token[64];

	(void)state;
	client_from(&c, "127.0.0.22");
	assert_int_equal(client_call(&cand.c, "GET", "/api/v1/me", NULL), 200);
	assert_int_equal(ask_link(&c, cand.email), 202);
	link_token(cand.email, token);
	assert_int_equal(use_link(&c, token, "motdepasse"), 422);
	assert_string_equal(client_code(&c), "password_refused");
	assert_int_equal(use_link(&c, token, NEW_PW), 200);
	/* The session opened before is over. */
	assert_int_equal(client_call(&cand.c, "GET", "/api/v1/me", NULL), 401);
	/* Once only. */
	assert_int_equal(use_link(&c, token, "autre Lavande escalier 74"), 422);
	assert_string_equal(client_code(&c), "recovery_link_invalid");
	client_from(&other, "127.0.0.23");
	assert_int_equal(sign_in(&other, cand.email, cand.pw), 401);
	assert_int_equal(sign_in(&other, cand.email, NEW_PW), 200);
	assert_non_null(strstr(other.body, "\"mfa\":\"none\""));
	assert_int_equal(wait_email(cand.email,
			     "Votre mot de passe a été changé", out,
			     sizeof(out)),
	    0);
	snprintf(cand.pw, sizeof(cand.pw), "%s", NEW_PW);
	client_free(&other);
	client_free(&c);
}

/* A link past its 30 minutes (its end moved back in the database, as
 * time would) and a link never sent are refused alike. */
static void
test_expired_or_forged_link_refused(void **state)
{
	struct client c;
	char token[64];

	(void)state;
	client_from(&c, "127.0.0.24");
	assert_int_equal(ask_link(&c, "direction@tilleuls.example"), 202);
	link_token("direction@tilleuls.example", token);
	assert_int_equal(harness_store_exec(srv.db,
			     "UPDATE password_resets SET expires_at = 1"),
	    0);
	assert_int_equal(use_link(&c, token, NEW_PW), 422);
	assert_string_equal(client_code(&c), "recovery_link_invalid");
	token[0] = token[0] == 'A' ? 'B' : 'A';
	assert_int_equal(use_link(&c, token, NEW_PW), 422);
	assert_string_equal(client_code(&c), "recovery_link_invalid");
	assert_int_equal(use_link(&c, "pas-un-jeton", NEW_PW), 422);
	assert_string_equal(client_code(&c), "recovery_link_invalid");
	client_free(&c);
}

/* A staff member who resets their password still gives their second
 * factor at the next sign-in. */
static void
test_staff_still_needs_second_factor(void **state)
{
	struct client c;
	char token[64];

	(void)state;
	client_from(&c, "127.0.0.25");
	assert_int_equal(ask_link(&c, mgr.email), 202);
	link_token(mgr.email, token);
	assert_int_equal(use_link(&c, token, NEW_PW), 200);
	assert_int_equal(sign_in(&c, mgr.email, NEW_PW), 200);
	assert_non_null(strstr(c.body, "\"mfa\":\"code\""));
	assert_int_equal(client_call(&c, "GET", "/api/v1/exams", NULL), 403);
	assert_string_equal(client_code(&c), "mfa_required");
	client_free(&c);
}

/* Per address: the fourth request within the hour waits, for an address
 * with an account and for one without alike; per source: the eleventh. */
static void
test_requests_throttled(void **state)
{
	const char *const addr[] = { "formation@tilleuls.example",
		"inconnu@nulle-part.example" };
	struct client c;
	char email[64];
	int i, k;

	(void)state;
	for (k = 0; k < 2; k++) {
		client_from(&c, k == 0 ? "127.0.0.26" : "127.0.0.27");
		for (i = 0; i < 3; i++)
			assert_int_equal(ask_link(&c, addr[k]), 202);
		assert_int_equal(ask_link(&c, addr[k]), 429);
		assert_string_equal(client_code(&c), "too_many_attempts");
		assert_non_null(strstr(c.headers, "Retry-After: "));
		client_free(&c);
	}
	client_from(&c, "127.0.0.28");
	for (i = 0; i < 10; i++) {
		snprintf(email, sizeof(email), "n%d@nulle-part.example", i);
		assert_int_equal(ask_link(&c, email), 202);
	}
	assert_int_equal(ask_link(&c, "n10@nulle-part.example"), 429);
	client_free(&c);
	/* Another source is not held back by this one. */
	client_from(&c, "127.0.0.29");
	assert_int_equal(ask_link(&c, "n11@nulle-part.example"), 202);
	client_free(&c);
}

/* Wrong current passwords at a password change: refused with the field
 * named and the reason alone, then held back with 429 and Retry-After,
 * as at sign-in, the field still the current password. */
static void
test_password_change_throttled(void **state)
{
	struct client c;
	const char *body = "{\"current_password\":\"pas le bon du tout\","
			   "\"new_password\":\"galet Bleu tulipe vent pluie\"}";
	json_t *o;
	int i, status = 0;

	(void)state;
	client_from(&c, "127.0.0.31");
	assert_int_equal(sign_in(&c, cand.email, cand.pw), 200);
	for (i = 0; i < 30 && status != 429; i++) {
		status = client_call(&c, "POST", "/api/v1/me/password", body);
		o = client_json(&c);
		assert_non_null(o);
		assert_string_equal(json_string_value(
					json_object_get(o, "field")),
		    "current_password");
		/* The reason in French, without the field's name in it. */
		assert_null(
		    strstr(json_string_value(json_object_get(o, "detail")),
			"current_password"));
		json_decref(o);
		if (status != 429) {
			assert_int_equal(status, 422);
			assert_string_equal(client_code(&c),
			    "password_refused");
		}
	}
	assert_int_equal(status, 429);
	assert_string_equal(client_code(&c), "too_many_attempts");
	assert_non_null(strstr(c.headers, "Retry-After: "));
	assert_non_null(strstr(c.body, "Trop de tentatives"));
	client_free(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_answer_for_unknown_address),
		cmocka_unit_test(test_link_sets_password_once),
		cmocka_unit_test(test_expired_or_forged_link_refused),
		cmocka_unit_test(test_staff_still_needs_second_factor),
		cmocka_unit_test(test_requests_throttled),
		cmocka_unit_test(test_password_change_throttled),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
