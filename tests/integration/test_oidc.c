/*
 * test_oidc.c - signing in through an OpenID provider, against the real
 * `creneau` binary with its demo data and a real provider on loopback
 * (npm oidc-provider, tests/oidc/provider.mjs): linking confirmed by the
 * signed-in person, a normal sign-in, an unlinked subject, and each
 * attack refused: a wrong state, a replayed code, a wrong nonce, a token
 * signed by another key, an expired token; a provider that is down gives
 * a clear outcome and password sign-in still works; a second factor at
 * the provider (acr) counts only when configured to; through the
 * people's provider (signup = users) a first sign-in creates the
 * person's account once they confirm it.
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
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "demo.h"

#define CLIENT_ID "creneau-test"
#define SECRET "un secret de client assez long 8271"

static struct proc srv;
static pid_t idp;
static int idp_port;
static char tmpdir[64];
static struct demo_account cand = { "candidat@demo.example", 0, "", "", {} };
static struct demo_account mgr = { "gestion@tilleuls.example", 1, "", "", {} };
static struct demo_account *const all[] = { &cand, &mgr };
#define NALL (sizeof(all) / sizeof(all[0]))

/* Starts the provider; returns 0 once it answers. */
static int
provider_start(const char *redirect_uri)
{
	char port[16], cid[64], sec[96], red[400], probe[96];
	struct client c;
	int i;

	snprintf(port, sizeof(port), "PORT=%d", idp_port);
	snprintf(cid, sizeof(cid), "CLIENT_ID=%s", CLIENT_ID);
	snprintf(sec, sizeof(sec), "CLIENT_SECRET=%s", SECRET);
	snprintf(red, sizeof(red), "REDIRECT_URI=%s", redirect_uri);
	if ((idp = fork()) < 0)
		return -1;
	if (idp == 0) {
		char *const argv[] = { "env", "node", "provider.mjs", NULL };
		char *const envp[] = { port, cid, sec, red,
			"PATH=/usr/local/bin:/usr/bin:/bin", NULL };

		if (chdir("tests/oidc") != 0 ||
		    freopen("/dev/null", "w", stderr) == NULL ||
		    freopen("/dev/null", "w", stdout) == NULL)
			_exit(127);
		execve("/usr/bin/env", argv, envp);
		_exit(127);
	}
	snprintf(probe, sizeof(probe),
	    "http://127.0.0.1:%d/.well-known/openid-configuration", idp_port);
	client_init(&c, idp_port);
	for (i = 0; i < 150; i++) {
		struct timespec ts = { 0, 100 * 1000 * 1000 };

		if (client_call(&c, "GET", probe, NULL) == 200) {
			client_free(&c);
			return 0;
		}
		nanosleep(&ts, NULL);
	}
	client_free(&c);
	return -1;
}

static int
setup(void **state)
{
	static char public_url[96], issuer[96], secret_file[128], down[96];
	static char people_issuer[96], people_secret[128];
	static const char *env[] = { public_url, issuer,
		"CRENEAU_OIDC_TEST_CLIENT_ID=" CLIENT_ID, secret_file,
		"CRENEAU_OIDC_TEST_ROLES=candidate, school_manager",
		"CRENEAU_OIDC_TEST_LABEL=Fournisseur de test",
		"CRENEAU_OIDC_TEST_MFA_ACR=eidas2,eidas3", down,
		"CRENEAU_OIDC_DOWN_CLIENT_ID=x",
		"CRENEAU_OIDC_DOWN_ROLES=candidate", people_issuer,
		"CRENEAU_OIDC_GENS_CLIENT_ID=" CLIENT_ID, people_secret,
		"CRENEAU_OIDC_GENS_ROLES=candidate",
		"CRENEAU_OIDC_GENS_SIGNUP=users", NULL };
	char redirect[320];
	FILE *f;
	int port;

	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/oidc-test-XXXXXX");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	snprintf(secret_file, sizeof(secret_file),
	    "CRENEAU_OIDC_TEST_CLIENT_SECRET_FILE=%s/secret", tmpdir);
	if ((f = fopen(strchr(secret_file, '=') + 1, "w")) == NULL)
		return -1;
	fprintf(f, "%s\n", SECRET);
	fclose(f);
	port = harness_free_port();
	idp_port = harness_free_port();
	snprintf(public_url, sizeof(public_url),
	    "CRENEAU_HTTP_PUBLIC_URL=http://127.0.0.1:%d", port);
	snprintf(issuer, sizeof(issuer),
	    "CRENEAU_OIDC_TEST_ISSUER=http://127.0.0.1:%d", idp_port);
	/* The people's provider: the same one, as the users' section. */
	snprintf(people_issuer, sizeof(people_issuer),
	    "CRENEAU_OIDC_GENS_ISSUER=http://127.0.0.1:%d", idp_port);
	snprintf(people_secret, sizeof(people_secret),
	    "CRENEAU_OIDC_GENS_CLIENT_SECRET_FILE=%s/secret", tmpdir);
	/* Nothing listens there. */
	snprintf(down, sizeof(down),
	    "CRENEAU_OIDC_DOWN_ISSUER=http://127.0.0.1:%d",
	    harness_free_port());
	snprintf(redirect, sizeof(redirect),
	    "http://127.0.0.1:%d/api/v1/oidc/test/callback "
	    "http://127.0.0.1:%d/api/v1/oidc/gens/callback",
	    port, port);
	if (provider_start(redirect) != 0) {
		fprintf(stderr,
		    "oidc: the provider did not start "
		    "(scripts/deps browser installs it)\n");
		return -1;
	}
	return demo_start_on(&srv, port, env, all, NALL);
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	demo_stop(&srv, all, NALL);
	if (idp > 0) {
		kill(idp, SIGTERM);
		waitpid(idp, NULL, 0);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* The Location of the last answer, copied into out ("" when none). */
static void
location(const struct client *c, char *out, size_t outlen)
{
	const char *p = strcasestr(c->headers, "\nLocation: ");

	out[0] = '\0';
	if (p != NULL)
		snprintf(out, outlen, "%.*s", (int)strcspn(p + 11, "\r\n"),
		    p + 11);
}

/* Who signs in at the provider next, and how. */
static void
provider_next(const char *sub, const char *acr)
{
	struct client c;
	char url[256];

	snprintf(url, sizeof(url), "http://127.0.0.1:%d/test/next?sub=%s%s%s",
	    idp_port, sub, acr ? "&acr=" : "", acr ? acr : "");
	client_init(&c, idp_port);
	assert_int_equal(client_call(&c, "POST", url, NULL), 200);
	client_free(&c);
}

static void
provider_mode(const char *m)
{
	struct client c;
	char url[128];

	snprintf(url, sizeof(url), "http://127.0.0.1:%d/test/mode?m=%s",
	    idp_port, m);
	client_init(&c, idp_port);
	assert_int_equal(client_call(&c, "POST", url, NULL), 200);
	client_free(&c);
}

/* Goes to the provider from start (a path of ours) and follows it until
 * it sends the browser back to our callback, whose path (with code and
 * state) lands in back. */
static void
round_trip(struct client *c, const char *start, char *back, size_t backlen)
{
	char loc[4096], ours[64];
	int i;

	snprintf(ours, sizeof(ours), "http://127.0.0.1:%d/", srv.port);
	assert_int_equal(client_call(c, "GET", start, NULL), 303);
	location(c, loc, sizeof(loc));
	assert_int_equal(strncmp(loc, "http://127.0.0.1:", 17), 0);
	for (i = 0; i < 10 && strncmp(loc, ours, strlen(ours)) != 0; i++) {
		char next[2048];

		client_call(c, "GET", loc, NULL);
		location(c, next, sizeof(next));
		assert_true(next[0] != '\0');
		if (next[0] == '/')
			snprintf(loc, sizeof(loc), "http://127.0.0.1:%d%s",
			    idp_port, next);
		else
			snprintf(loc, sizeof(loc), "%s", next);
	}
	assert_int_equal(strncmp(loc, ours, strlen(ours)), 0);
	snprintf(back, backlen, "%s", loc + strlen(ours) - 1);
	assert_non_null(strstr(back, "/callback?"));
	assert_int_equal(strncmp(back, start, strcspn(start + 13, "/") + 13),
	    0);
}

/* Comes back with back; returns where we then send the browser. */
static void
come_back(struct client *c, const char *back, char *where, size_t len)
{
	assert_int_equal(client_call(c, "GET", back, NULL), 303);
	location(c, where, len);
}

/* A fresh browser that signs in as sub through the provider; returns the
 * final Location. */
static void
sign_in_as(struct client *c, const char *sub, const char *acr, char *where,
    size_t len)
{
	char back[4096];

	provider_next(sub, acr);
	round_trip(c, "/api/v1/oidc/test/authorization", back, sizeof(back));
	come_back(c, back, where, len);
}

/* Links sub to the signed-in account of c, confirmed. */
static void
link_account(struct client *c, const char *sub)
{
	char back[4096], where[256];

	provider_next(sub, NULL);
	round_trip(c, "/api/v1/oidc/test/authorization?link=1", back,
	    sizeof(back));
	come_back(c, back, where, sizeof(where));
	assert_string_equal(where, "/#oidc=liaison&fournisseur=test");
	assert_int_equal(client_call(c, "POST", "/api/v1/me/oidc-links/test",
			     NULL),
	    200);
	/* Once only. */
	assert_int_equal(client_call(c, "POST", "/api/v1/me/oidc-links/test",
			     NULL),
	    422);
}

/* The buttons of the sign-in page. */
static void
test_providers_listed(void **state)
{
	struct client c;

	(void)state;
	client_init(&c, srv.port);
	assert_int_equal(client_call(&c, "GET", "/api/v1/oidc/providers", NULL),
	    200);
	assert_non_null(strstr(c.body, "\"Fournisseur de test\""));
	assert_null(strstr(c.body, SECRET));
	client_free(&c);
}

/* A subject nobody linked opens nothing, even though the provider says
 * who it is; then, once the candidate links it from their session and
 * confirms, it signs them in. */
static void
test_link_then_sign_in(void **state)
{
	struct client c;
	char where[256];

	(void)state;
	client_init(&c, srv.port);
	sign_in_as(&c, "camille", NULL, where, sizeof(where));
	assert_string_equal(where, "/#oidc=non-lie&fournisseur=test");
	assert_int_equal(client_call(&c, "GET", "/api/v1/me", NULL), 401);
	client_free(&c);

	link_account(&cand.c, "camille");

	client_init(&c, srv.port);
	sign_in_as(&c, "camille", NULL, where, sizeof(where));
	assert_string_equal(where, "/");
	assert_int_equal(client_call(&c, "GET", "/api/v1/me", NULL), 200);
	assert_non_null(strstr(c.body, "\"mfa_done\":true"));
	assert_non_null(strstr(c.body, "candidat@demo.example"));
	client_free(&c);
}

/* Signing out of a session opened through the provider ends it here and
 * sends the browser to the provider's logout, with the ID token kept
 * (sealed) by the server as the hint; the person's other sessions stay. */
static void
test_logout_at_provider(void **state)
{
	struct client c;
	char where[256], end[64];
	json_t *j;
	const char *url;

	(void)state;
	client_init(&c, srv.port);
	sign_in_as(&c, "camille", NULL, where, sizeof(where));
	assert_string_equal(where, "/");
	assert_int_equal(client_call(&c, "DELETE", "/api/v1/session", NULL),
	    200);
	j = client_json(&c);
	url = json_string_value(json_object_get(j, "provider_logout"));
	assert_non_null(url);
	snprintf(end, sizeof(end), "http://127.0.0.1:%d/session/end?",
	    idp_port);
	assert_int_equal(strncmp(url, end, strlen(end)), 0);
	assert_non_null(strstr(url, "id_token_hint=ey"));
	assert_non_null(strstr(url, "post_logout_redirect_uri="));
	/* The provider takes it (its sign-out confirmation). */
	assert_int_equal(client_call(&c, "GET", url, NULL), 200);
	json_decref(j);
	assert_int_equal(client_call(&c, "GET", "/api/v1/me", NULL), 401);
	client_free(&c);
	assert_int_equal(client_call(&cand.c, "GET", "/api/v1/me", NULL), 200);
}

/* A state that is not the flow's, the flow's code and state brought
 * back by another browser (a link planted to sign someone into the
 * attacker's account), and a state used twice. */
static void
test_wrong_or_used_state_refused(void **state)
{
	struct client c, other;
	char back[4096], where[256], *s, was;

	(void)state;
	client_init(&c, srv.port);
	client_init(&other, srv.port);
	provider_next("camille", NULL);
	round_trip(&c, "/api/v1/oidc/test/authorization", back, sizeof(back));
	come_back(&other, back, where, sizeof(where));
	assert_string_equal(where, "/#oidc=demande-invalide&fournisseur=test");
	assert_int_equal(client_call(&other, "GET", "/api/v1/me", NULL), 401);
	come_back(&c, back, where, sizeof(where));
	assert_string_equal(where, "/");
	come_back(&c, back, where, sizeof(where));
	assert_string_equal(where, "/#oidc=demande-invalide&fournisseur=test");
	client_free(&c);
	client_free(&other);

	client_init(&c, srv.port);
	round_trip(&c, "/api/v1/oidc/test/authorization", back, sizeof(back));
	s = strstr(back, "state=");
	assert_non_null(s);
	was = s[6];
	s[6] = was == 'A' ? 'B' : 'A';
	come_back(&c, back, where, sizeof(where));
	assert_string_equal(where, "/#oidc=demande-invalide&fournisseur=test");
	assert_int_equal(client_call(&c, "GET", "/api/v1/me", NULL), 401);
	client_free(&c);
}

/* A code already used, brought back with the state of a new flow: the
 * provider refuses it (used, and not this flow's PKCE verifier). */
static void
test_replayed_code_refused(void **state)
{
	struct client c, d;
	char first[4096], second[4096], where[256], code[1024], *s, *e;

	(void)state;
	client_init(&c, srv.port);
	client_init(&d, srv.port);
	provider_next("camille", NULL);
	round_trip(&c, "/api/v1/oidc/test/authorization", first, sizeof(first));
	round_trip(&d, "/api/v1/oidc/test/authorization", second,
	    sizeof(second));
	come_back(&c, first, where, sizeof(where));
	assert_string_equal(where, "/");
	s = strstr(first, "code=") + 5;
	snprintf(code, sizeof(code), "%.*s", (int)strcspn(s, "&"), s);
	s = strstr(second, "code=") + 5;
	e = s + strcspn(s, "&");
	/* second with first's code. */
	{
		char forged[4096];

		snprintf(forged, sizeof(forged), "%.*s%s%s", (int)(s - second),
		    second, code, e);
		come_back(&d, forged, where, sizeof(where));
	}
	assert_string_equal(where, "/#oidc=refusee&fournisseur=test");
	assert_int_equal(client_call(&d, "GET", "/api/v1/me", NULL), 401);
	client_free(&c);
	client_free(&d);
}

/* ID tokens forged by the provider, one per attack. */
static void
test_forged_tokens_refused(void **state)
{
	static const char *const modes[] = { "wrong-nonce", "other-key",
		"expired" };
	/* What the server logs for each: the check that refused it. */
	static const char *const rules[] = { "ID token refused: nonce",
		"ID token refused: signature", "ID token refused: exp" };
	struct client c;
	char where[256], *log;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		client_init(&c, srv.port);
		provider_mode(modes[i]);
		sign_in_as(&c, "camille", NULL, where, sizeof(where));
		if (strcmp(where, "/#oidc=refusee&fournisseur=test") != 0)
			fail_msg("%s: %s", modes[i], where);
		assert_int_equal(client_call(&c, "GET", "/api/v1/me", NULL),
		    401);
		client_free(&c);
	}
	log = harness_log(&srv);
	assert_non_null(log);
	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (strstr(log, rules[i]) == NULL)
			fail_msg("not in the server log: %s", rules[i]);
	free(log);
	/* The provider is back to normal: the same sign-in passes. */
	client_init(&c, srv.port);
	sign_in_as(&c, "camille", NULL, where, sizeof(where));
	assert_string_equal(where, "/");
	client_free(&c);
}

/* A provider that cannot be reached: a clear outcome, and the password
 * still signs in. */
static void
test_provider_down(void **state)
{
	struct client c;
	char where[256], body[512];

	(void)state;
	client_init(&c, srv.port);
	assert_int_equal(client_call(&c, "GET",
			     "/api/v1/oidc/down/authorization", NULL),
	    303);
	location(&c, where, sizeof(where));
	assert_string_equal(where, "/#oidc=indisponible&fournisseur=down");
	snprintf(body, sizeof(body), "{\"email\":\"%s\",\"password\":\"%s\"}",
	    cand.email, cand.pw);
	assert_int_equal(client_call(&c, "POST", "/api/v1/session", body), 200);
	client_free(&c);
}

/* Staff with TOTP: through the provider without a strong acr, the code
 * is still asked; with acr eidas2 (configured as a second factor) it is
 * not. */
static void
test_staff_second_factor(void **state)
{
	struct client c;
	char where[256], code[7], body[64];

	(void)state;
	link_account(&mgr.c, "gael");
	client_init(&c, srv.port);
	sign_in_as(&c, "gael", "eidas1", where, sizeof(where));
	assert_string_equal(where, "/");
	assert_int_equal(client_call(&c, "GET", "/api/v1/me", NULL), 200);
	assert_non_null(strstr(c.body, "\"mfa_done\":false"));
	/* The code given, the new session is still the provider's: signing
	 * out goes through its logout. */
	memcpy(c.secret_b32, mgr.c.secret_b32, sizeof(c.secret_b32));
	assert_int_equal(client_totp(&c, 1, code), 0);
	snprintf(body, sizeof(body), "{\"code\":\"%s\"}", code);
	assert_int_equal(client_call(&c, "POST", "/api/v1/session/mfa", body),
	    200);
	assert_int_equal(client_call(&c, "DELETE", "/api/v1/session", NULL),
	    200);
	assert_non_null(strstr(c.body, "\"provider_logout\""));
	client_free(&c);
	client_init(&c, srv.port);
	sign_in_as(&c, "gael", "eidas2", where, sizeof(where));
	assert_string_equal(where, "/");
	assert_int_equal(client_call(&c, "GET", "/api/v1/me", NULL), 200);
	assert_non_null(strstr(c.body, "\"mfa_done\":true"));
	client_free(&c);
}

/* Who signs in next at the provider, with the email its userinfo
 * gives. */
static void
provider_next_email(const char *sub, const char *email)
{
	struct client c;
	char url[256];

	snprintf(url, sizeof(url),
	    "http://127.0.0.1:%d/test/next?sub=%s&email=%s", idp_port, sub,
	    email);
	client_init(&c, idp_port);
	assert_int_equal(client_call(&c, "POST", url, NULL), 200);
	client_free(&c);
}

/* Through the people's provider, as sub: where we then send the
 * browser. */
static void
people_sign_in(struct client *c, const char *sub, const char *email,
    char *where, size_t len)
{
	char back[4096];

	provider_next_email(sub, email);
	round_trip(c, "/api/v1/oidc/gens/authorization", back, sizeof(back));
	come_back(c, back, where, len);
}

static long
people_confirm(struct client *c, const char *version)
{
	char body[256];

	snprintf(body, sizeof(body),
	    "{\"display_name\":\"Noa Nouvelle\",\"policy_version\":\"%s\"}",
	    version);
	return client_call(c, "POST", "/api/v1/oidc/gens/signup", body);
}

/*
 * A first sign-in at the people's provider: the person confirms their
 * new account (address from the provider's userinfo, the privacy policy
 * read), which is then linked to the provider's subject and opens
 * through it; the confirmation serves once and only in that browser. A
 * provider's address that already has an account creates nothing.
 */
static void
test_signup_through_people_provider(void **state)
{
	struct client c, other;
	char where[256], v[64] = "";
	const char *p;

	(void)state;
	client_init(&c, srv.port);
	people_sign_in(&c, "noa", "noa@fournisseur.test", where, sizeof(where));
	assert_string_equal(where, "/#oidc=inscription&fournisseur=gens");
	assert_int_equal(client_call(&c, "GET", "/api/v1/me", NULL), 401);
	assert_int_equal(client_call(&c, "POST",
			     "/api/v1/oidc/gens/signup/check", "{}"),
	    200);
	assert_non_null(strstr(c.body, "noa@fournisseur.test"));
	p = strstr(c.body, "\"policy_version\":\"");
	assert_non_null(p);
	sscanf(p + 18, "%63[^\"]", v);
	/* Another browser has no sign-up to confirm. */
	client_init(&other, srv.port);
	assert_int_equal(people_confirm(&other, v), 422);
	assert_string_equal(client_code(&other), "signup_link_invalid");
	client_free(&other);
	/* Nor through the other provider. */
	assert_int_equal(client_call(&c, "POST",
			     "/api/v1/oidc/test/signup/check", "{}"),
	    422);
	assert_int_equal(people_confirm(&c, "ancienne"), 422);
	assert_string_equal(client_code(&c), "invalid_field");
	assert_int_equal(people_confirm(&c, v), 201);
	assert_non_null(strstr(c.body, "/api/v1/oidc/gens/authorization"));
	assert_int_equal(people_confirm(&c, v), 422);
	assert_string_equal(client_code(&c), "signup_link_invalid");
	client_free(&c);

	/* The account opens through the provider, the policy read. */
	client_init(&c, srv.port);
	people_sign_in(&c, "noa", "noa@fournisseur.test", where, sizeof(where));
	assert_string_equal(where, "/");
	assert_int_equal(client_call(&c, "GET", "/api/v1/me", NULL), 200);
	assert_non_null(strstr(c.body, "noa@fournisseur.test"));
	assert_non_null(strstr(c.body, "\"policy_update_pending\":false"));
	client_free(&c);

	/* Another subject whose address has an account: nothing is made. */
	client_init(&c, srv.port);
	people_sign_in(&c, "autre", "noa@fournisseur.test", where,
	    sizeof(where));
	assert_string_equal(where, "/#oidc=compte-existant&fournisseur=gens");
	assert_int_equal(client_call(&c, "POST",
			     "/api/v1/oidc/gens/signup/check", "{}"),
	    422);
	client_free(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_providers_listed),
		cmocka_unit_test(test_link_then_sign_in),
		cmocka_unit_test(test_logout_at_provider),
		cmocka_unit_test(test_wrong_or_used_state_refused),
		cmocka_unit_test(test_replayed_code_refused),
		cmocka_unit_test(test_forged_tokens_refused),
		cmocka_unit_test(test_provider_down),
		cmocka_unit_test(test_staff_second_factor),
		cmocka_unit_test(test_signup_through_people_provider),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
