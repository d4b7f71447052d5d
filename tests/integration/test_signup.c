/*
 * test_signup.c - « Créer un compte » and « Relier mon dossier » against
 * the real `creneau` binary with its demo data and a real SMTP server
 * (aiosmtpd): the link arrives by email, serves once and not after its
 * end; the answer is the same for an address that has an account (whose
 * holder is told instead); requests are throttled per address and per
 * source; the new account links its registry file by NEPH, names and
 * birth date, with one refusal whichever field is wrong, never a file
 * linked to another account, and then sees the school's mandate; a user
 * of the appointments module signs up the same way and their online
 * booking attaches to the new account.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../unit/smtpd.h"
#include "appointments/appt_time.h"
#include "core/clock.h"
#include "demo.h"

#define PUBLIC_URL "https://creneau.test"
#define LINK PUBLIC_URL "/#inscription="
#define NEW_PW "hibou Lavande escalier 73 brume"

/* Demo registry row 1: Hugo Bernard, under the Tilleuls' mandate. */
#define NEPH "000130400007"
#define LAST "Bernard"
#define FIRST "Hugo"
#define BIRTH "2001-02-02"

static struct proc srv;
static struct smtpd mail;
static char tmpdir[64], maildir[96];
static struct demo_account cand = { "candidat@demo.example", 0, "", "", {} };
static struct demo_account agent = { "as.martin@solidarites44.example", 1, "",
	"", {} };
static struct demo_account *const all[] = { &cand, &agent };
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
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/signup-mail-XXXXXX");
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
ask(struct client *c, const char *email)
{
	char body[256];

	snprintf(body, sizeof(body), "{\"email\":\"%s\"}", email);
	return client_call(c, "POST", "/api/v1/signup", body);
}

/* The policy version the link's page shows, into v (64 bytes). */
static long
check(struct client *c, const char *token, char v[64])
{
	char body[128];
	const char *p;
	long st;

	snprintf(body, sizeof(body), "{\"token\":\"%s\"}", token);
	st = client_call(c, "POST", "/api/v1/signup/check", body);
	v[0] = '\0';
	if (st == 200 && (p = strstr(c->body, "\"policy_version\":\"")) != NULL)
		sscanf(p + 18, "%63[^\"]", v);
	return st;
}

static long
complete(struct client *c, const char *token, const char *pw,
    const char *version)
{
	char body[512];

	snprintf(body, sizeof(body),
	    "{\"token\":\"%s\",\"display_name\":\"Hugo Bernard\","
	    "\"password\":\"%s\",\"policy_version\":\"%s\"}",
	    token, pw, version);
	return client_call(c, "POST", "/api/v1/signup/completion", body);
}

static long
sign_in(struct client *c, const char *email, const char *pw)
{
	char body[512];

	snprintf(body, sizeof(body), "{\"email\":\"%s\",\"password\":\"%s\"}",
	    email, pw);
	return client_call(c, "POST", "/api/v1/session", body);
}

static long
link_file(struct client *c, const char *neph, const char *last,
    const char *first, const char *birth)
{
	char body[512];

	snprintf(body, sizeof(body),
	    "{\"neph\":\"%s\",\"last_name\":\"%s\",\"first_names\":\"%s\","
	    "\"birth_date\":\"%s\"}",
	    neph, last, first, birth);
	return client_call(c, "POST", "/api/v1/me/registry-link", body);
}

/* Waits (10 s at most) for an unread email to `to` holding `text`, and
 * copies it decoded into out (then marks it read). Returns 0 or -1. */
static int
wait_email(const char *to, const char *text, char *out, size_t outlen,
    int tries)
{
	char dir[128], path[400], cur[400];
	struct dirent *e;
	DIR *d;
	int i;

	snprintf(dir, sizeof(dir), "%s/new", maildir);
	for (i = 0; i < tries; i++) {
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

/* The token of the sign-up link emailed to `to`. */
static void
link_token(const char *to, char token[64])
{
	static char out[16384];
	const char *p;

	assert_int_equal(wait_email(to, LINK, out, sizeof(out), 100), 0);
	assert_non_null(strstr(out, "Créer votre compte Créneau"));
	p = strstr(out, LINK) + strlen(LINK);
	assert_int_equal(sscanf(p, "%63[A-Za-z0-9_-]", token), 1);
	assert_int_equal(strlen(token), 43);
}

/* The "detail" of a problem answer, into out. */
static void
detail_of(const struct client *c, char *out, size_t size)
{
	const char *p = strstr(c->body, "\"detail\":\"");

	assert_non_null(p);
	snprintf(out, size, "%s", p + 10);
	if (strchr(out, '"') != NULL)
		*strchr(out, '"') = '\0';
}

/*
 * The whole journey: the link, a weak password refused (the link still
 * serves), the account made with the policy read, the link refused
 * afterwards; signed in, the person links their file after wrong tries
 * that all get the same refusal, and sees the Tilleuls' mandate.
 */
static void
test_signup_then_link_file(void **state)
{
	const char *email = "hugo.bernard@exemple.test";
	static char out[16384];
	char token[64], v[64], first[512], other[512];
	struct client c, me;

	(void)state;
	client_from(&c, "127.0.0.31");
	assert_int_equal(ask(&c, email), 202);
	assert_non_null(strstr(c.body, "check_your_mailbox"));
	link_token(email, token);
	assert_int_equal(check(&c, token, v), 200);
	assert_non_null(strstr(c.body, email));
	assert_true(v[0] != '\0');
	assert_int_equal(complete(&c, token, "motdepasse", v), 422);
	assert_string_equal(client_code(&c), "password_refused");
	assert_int_equal(complete(&c, token, NEW_PW, "ancienne-version"), 422);
	assert_string_equal(client_code(&c), "invalid_field");
	assert_non_null(strstr(c.body, "policy_version"));
	assert_int_equal(complete(&c, token, NEW_PW, v), 201);
	/* Once only. */
	assert_int_equal(complete(&c, token, NEW_PW, v), 422);
	assert_string_equal(client_code(&c), "signup_link_invalid");
	assert_int_equal(check(&c, token, v), 422);

	client_from(&me, "127.0.0.32");
	assert_int_equal(sign_in(&me, email, NEW_PW), 200);
	assert_non_null(strstr(me.body, "\"mfa\":\"none\""));
	/* The policy read at sign-up is in the consent ledger. */
	assert_int_equal(client_call(&me, "GET", "/api/v1/me/consents", NULL),
	    200);
	assert_non_null(strstr(me.body, "\"acknowledged\":true"));
	assert_int_equal(client_call(&me, "GET", "/api/v1/me/mandates", NULL),
	    200);
	assert_non_null(strstr(me.body, "\"mandates\":[]"));

	/* Wrong NEPH, last name, first names, birth date: one answer. */
	assert_int_equal(link_file(&me, "000130400014", LAST, FIRST, BIRTH),
	    422);
	assert_string_equal(client_code(&me), "registry_mismatch");
	detail_of(&me, first, sizeof(first));
	assert_int_equal(link_file(&me, NEPH, "Bernardi", FIRST, BIRTH), 422);
	assert_string_equal(client_code(&me), "registry_mismatch");
	detail_of(&me, other, sizeof(other));
	assert_string_equal(other, first);
	assert_int_equal(link_file(&me, NEPH, LAST, "Hugues", BIRTH), 422);
	assert_string_equal(client_code(&me), "registry_mismatch");
	detail_of(&me, other, sizeof(other));
	assert_string_equal(other, first);
	assert_int_equal(link_file(&me, NEPH, LAST, FIRST, "2001-02-03"), 422);
	assert_string_equal(client_code(&me), "registry_mismatch");
	detail_of(&me, other, sizeof(other));
	assert_string_equal(other, first);
	/* A malformed field is named, the file not looked at. */
	assert_int_equal(link_file(&me, NEPH, LAST, FIRST, "02/02/2001"), 422);
	assert_string_equal(client_code(&me), "invalid_field");
	assert_non_null(strstr(me.body, "\"field\":\"birth_date\""));

	/* Right, with the names typed in another case. */
	assert_int_equal(link_file(&me, NEPH, "BERNARD", " hugo ", BIRTH), 200);
	assert_non_null(strstr(me.body, "\"files\":1"));
	assert_int_equal(client_call(&me, "GET", "/api/v1/me/mandates", NULL),
	    200);
	assert_non_null(strstr(me.body, "Tilleuls"));
	assert_non_null(strstr(me.body, "\"state\":\"active\""));
	assert_int_equal(client_call(&me, "GET", "/api/v1/me/exams", NULL),
	    200);
	assert_int_equal(wait_email(email, "", out, sizeof(out), 5), -1);
	client_free(&me);
	client_free(&c);
}

/* A file linked to another account is not taken: the demo candidate's
 * own file, with everything right, is refused to a newcomer. */
static void
test_linked_file_not_taken(void **state)
{
	const char *email = "usurpation@exemple.test";
	char token[64], v[64];
	struct client c;

	(void)state;
	client_from(&c, "127.0.0.33");
	assert_int_equal(ask(&c, email), 202);
	link_token(email, token);
	assert_int_equal(check(&c, token, v), 200);
	assert_int_equal(complete(&c, token, NEW_PW, v), 201);
	assert_int_equal(sign_in(&c, email, NEW_PW), 200);
	assert_int_equal(link_file(&c, "000130400000", "Candidate", "Camille",
			     "2000-01-01"),
	    409);
	assert_string_equal(client_code(&c), "registry_file_taken");
	assert_int_equal(client_call(&c, "GET", "/api/v1/me/mandates", NULL),
	    200);
	assert_non_null(strstr(c.body, "\"mandates\":[]"));
	/* The holder keeps it. */
	assert_int_equal(client_call(&cand.c, "GET", "/api/v1/me/mandates",
			     NULL),
	    200);
	assert_non_null(strstr(cand.c.body, "Tilleuls"));
	client_free(&c);
}

/* An address with an account gets the very answer a new one gets; no
 * link is made, its holder is told instead. */
static void
test_same_answer_for_existing_address(void **state)
{
	static char known[sizeof(((struct client *)0)->body)];
	static char out[16384];
	struct client c;

	(void)state;
	client_from(&c, "127.0.0.34");
	assert_int_equal(ask(&c, "nouvelle@exemple.test"), 202);
	snprintf(known, sizeof(known), "%s", c.body);
	assert_int_equal(ask(&c, cand.email), 202);
	assert_string_equal(c.body, known);
	assert_int_equal(wait_email(cand.email, "Vous avez déjà un compte", out,
			     sizeof(out), 100),
	    0);
	assert_null(strstr(out, LINK));
	assert_int_equal(ask(&c, "pas une adresse"), 422);
	assert_string_equal(client_code(&c), "invalid_email");
	client_free(&c);
}

/* A link past its end (moved back in the database, as time would) and a
 * link never sent are refused alike. */
static void
test_expired_or_forged_link_refused(void **state)
{
	const char *email = "tardive@exemple.test";
	char token[64], v[64] = "x";
	struct client c;

	(void)state;
	client_from(&c, "127.0.0.35");
	assert_int_equal(ask(&c, email), 202);
	link_token(email, token);
	assert_int_equal(check(&c, token, v), 200);
	assert_int_equal(harness_store_exec(srv.db,
			     "UPDATE signups SET expires_at = 1"),
	    0);
	assert_int_equal(check(&c, token, v), 422);
	assert_string_equal(client_code(&c), "signup_link_invalid");
	assert_int_equal(complete(&c, token, NEW_PW, "x"), 422);
	assert_string_equal(client_code(&c), "signup_link_invalid");
	token[0] = token[0] == 'A' ? 'B' : 'A';
	assert_int_equal(complete(&c, token, NEW_PW, "x"), 422);
	assert_string_equal(client_code(&c), "signup_link_invalid");
	assert_int_equal(sign_in(&c, email, NEW_PW), 401);
	client_free(&c);
}

/* Per address: the fourth request within the hour waits; per source:
 * the eleventh; linking: the sixth failed attempt of an account. */
static void
test_throttled(void **state)
{
	const char *email = "insistante@exemple.test";
	char addr[64], token[64], v[64];
	struct client c;
	int i;

	(void)state;
	client_from(&c, "127.0.0.36");
	for (i = 0; i < 3; i++)
		assert_int_equal(ask(&c, "repete@exemple.test"), 202);
	assert_int_equal(ask(&c, "repete@exemple.test"), 429);
	assert_string_equal(client_code(&c), "too_many_attempts");
	assert_non_null(strstr(c.headers, "Retry-After: "));
	client_free(&c);
	client_from(&c, "127.0.0.37");
	for (i = 0; i < 10; i++) {
		snprintf(addr, sizeof(addr), "s%d@exemple.test", i);
		assert_int_equal(ask(&c, addr), 202);
	}
	assert_int_equal(ask(&c, "s10@exemple.test"), 429);
	client_free(&c);

	client_from(&c, "127.0.0.38");
	assert_int_equal(ask(&c, email), 202);
	link_token(email, token);
	assert_int_equal(check(&c, token, v), 200);
	assert_int_equal(complete(&c, token, NEW_PW, v), 201);
	assert_int_equal(sign_in(&c, email, NEW_PW), 200);
	for (i = 0; i < 5; i++) {
		assert_int_equal(link_file(&c, NEPH, LAST, FIRST, "1999-01-01"),
		    422);
		assert_string_equal(client_code(&c), "registry_mismatch");
	}
	/* Even the right answer waits now. */
	assert_int_equal(link_file(&c, "000130400021", "Petit", "Lucas",
			     "2003-04-04"),
	    429);
	assert_string_equal(client_code(&c), "too_many_attempts");
	client_free(&c);
}

/* An account made through the whole sign-up, signed in in c. */
static void
new_account(struct client *c, const char *ip, const char *email)
{
	char token[64], v[64];

	client_from(c, ip);
	assert_int_equal(ask(c, email), 202);
	link_token(email, token);
	assert_int_equal(check(c, token, v), 200);
	assert_int_equal(complete(c, token, NEW_PW, v), 201);
	assert_int_equal(sign_in(c, email, NEW_PW), 200);
}

/* The id of the entry named name in the list key of path. */
static long long
id_named(struct client *c, const char *path, const char *key, const char *name)
{
	json_t *o, *v;
	long long id = 0;
	size_t i;

	assert_int_equal(client_call(c, "GET", path, NULL), 200);
	o = client_json(c);
	json_array_foreach (json_object_get(o, key), i, v) {
		if (strcmp(json_string_value(json_object_get(v, "name")),
			name) == 0)
			id = json_integer_value(json_object_get(v, "id"));
	}
	json_decref(o);
	assert_true(id > 0);
	return id;
}

/* A user of the appointments module who signed up holds a free slot
 * online, as anyone may, and confirms it signed in: the booking is
 * theirs, listed in « Mes rendez-vous ». */
static void
test_online_booking_attaches(void **state)
{
	char org[64], from[40], to[40], path[400], body[512], hold[80];
	long long place, motif;
	struct client c, pub;
	json_t *o;

	(void)state;
	assert_int_equal(client_call(&agent.c, "GET", "/api/v1/me", NULL), 200);
	o = client_json(&agent.c);
	snprintf(org, sizeof(org), "%s",
	    json_string_value(json_object_get(o, "org_id")));
	json_decref(o);
	place = id_named(&agent.c, "/api/v1/appointments/places", "places",
	    "MDS Nantes Nord");
	motif = id_named(&agent.c, "/api/v1/appointments/motifs", "motifs",
	    "Premier accueil social");

	new_account(&c, "127.0.0.39", "usager.ligne@exemple.test");
	assert_int_equal(client_call(&c, "GET", "/api/v1/me/appointments",
			     NULL),
	    200);
	o = client_json(&c);
	assert_int_equal(json_array_size(json_object_get(o, "appointments")),
	    0);
	json_decref(o);

	/* The first free slot offered from next Monday on. */
	client_init(&pub, srv.port);
	clock_format_utc(appt_paris_to_utc(appt_week_monday(appt_paris_day(
					       clock_now_ms(clock_real()))) +
				 7,
			     0, NULL),
	    from, sizeof(from));
	clock_format_utc(appt_paris_to_utc(appt_week_monday(appt_paris_day(
					       clock_now_ms(clock_real()))) +
				 21,
			     0, NULL),
	    to, sizeof(to));
	snprintf(path, sizeof(path),
	    "/api/v1/public/appointments/free-slots?org_id=%s&motif_id=%lld"
	    "&place_id=%lld&from=%s&to=%s",
	    org, motif, place, from, to);
	assert_int_equal(client_call(&pub, "GET", path, NULL), 200);
	o = client_json(&pub);
	snprintf(from, sizeof(from), "%s",
	    json_string_value(
		json_object_get(json_array_get(json_object_get(o, "slots"), 0),
		    "start_at")));
	json_decref(o);
	snprintf(body, sizeof(body),
	    "{\"org_id\":\"%s\",\"motif_id\":%lld,\"place_id\":%lld,"
	    "\"start_at\":\"%s\"}",
	    org, motif, place, from);
	assert_int_equal(client_call(&pub, "POST",
			     "/api/v1/public/appointments/holds", body),
	    201);
	o = client_json(&pub);
	snprintf(hold, sizeof(hold), "%s",
	    json_string_value(json_object_get(o, "hold_token")));
	json_decref(o);
	snprintf(body, sizeof(body),
	    "{\"hold_token\":\"%s\",\"user\":{\"last_name\":\"Ligne\","
	    "\"first_names\":\"Ursule\"}}",
	    hold);
	assert_int_equal(client_call(&c, "POST", "/api/v1/me/appointments",
			     body),
	    201);
	assert_int_equal(client_call(&c, "GET", "/api/v1/me/appointments",
			     NULL),
	    200);
	o = client_json(&c);
	assert_int_equal(json_array_size(json_object_get(o, "appointments")),
	    1);
	json_decref(o);
	client_free(&pub);
	client_free(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signup_then_link_file),
		cmocka_unit_test(test_linked_file_not_taken),
		cmocka_unit_test(test_same_answer_for_existing_address),
		cmocka_unit_test(test_expired_or_forged_link_refused),
		cmocka_unit_test(test_throttled),
		cmocka_unit_test(test_online_booking_attaches),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
