/*
 * test_appt_guest.c - booking an appointment without an account, end to
 * end against the real `creneau` binary and a real SMTP server
 * (aiosmtpd): after a hold, the person gives name, first names and
 * email; the email brings a single-use link; the link's page shows the
 * appointment and confirming books it (a record without an account, the
 * confirmation with its .ics and a cancellation link); a replayed or
 * expired link is refused; a wrong field is refused naming it; too many
 * requests are throttled (429); the cancellation link cancels once, and
 * not past the motif's deadline; an account with the same address later
 * takes the record over and sees the appointment in « Mes rendez-vous ».
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../unit/smtpd.h"
#include "appointments/appt_time.h"
#include "core/clock.h"

#include "client.h"
#include "demo.h"
#include "harness.h"

static struct proc srv;
static struct smtpd mail;
static char tmp[256], maildir[320], org_id[64];
static long long place_nord, motif_accueil;
static struct demo_account martin = { "as.martin@solidarites44.example", 1 };
static struct demo_account camille = { "candidat@demo.example", 0 };
static struct demo_account dpo = { "dpo@solidarites44.example", 1 };
static struct demo_account *const all[] = { &martin, &camille, &dpo };
#define NALL (sizeof(all) / sizeof(all[0]))

static json_t *
get_json(struct client *c, const char *path)
{
	assert_int_equal(client_call(c, "GET", path, NULL), 200);
	return client_json(c);
}

static long long
id_named(struct client *c, const char *path, const char *key, const char *name)
{
	json_t *o = get_json(c, path), *v;
	long long id = 0;
	size_t i;

	json_array_foreach (json_object_get(o, key), i, v) {
		if (strcmp(json_string_value(json_object_get(v, "name")),
			name) == 0)
			id = json_integer_value(json_object_get(v, "id"));
	}
	json_decref(o);
	assert_true(id > 0);
	return id;
}

static void
paris(int week_day, int minute, char *out, size_t size)
{
	int64_t now = clock_now_ms(clock_real());
	int64_t day = appt_week_monday(appt_paris_day(now)) + week_day;

	clock_format_utc(appt_paris_to_utc(day, minute, NULL), out, size);
}

/* The emails to to, parsed by tests/integration/mail_ics.py. */
static json_t *
mails_to(const char *to)
{
	static char out[256 * 1024];
	char cmd[1200];
	size_t n = 0, r;
	FILE *f;

	snprintf(cmd, sizeof(cmd),
	    "/usr/bin/python3 tests/integration/mail_ics.py '%s' '%s'", maildir,
	    to);
	assert_non_null(f = popen(cmd, "r"));
	while (n + 1 < sizeof(out) &&
	    (r = fread(out + n, 1, sizeof(out) - 1 - n, f)) > 0)
		n += r;
	out[n] = '\0';
	assert_int_equal(pclose(f), 0);
	return json_loads(out, 0, NULL);
}

/* Waits (up to 15 s) until to has received n emails; returns them. */
static json_t *
wait_mails(const char *to, size_t n)
{
	json_t *m = NULL;
	int i;

	for (i = 0; i < 150; i++) {
		json_decref(m);
		m = mails_to(to);
		if (json_array_size(m) >= n)
			return m;
		usleep(100 * 1000);
	}
	fail_msg("%zu emails to %s expected, %zu came", n, to,
	    json_array_size(m));
	return NULL;
}

/* The token after marker in the text of email k of to (n expected). */
static void
link_token(const char *to, size_t n, size_t k, const char *marker, char *out,
    size_t size)
{
	json_t *m = wait_mails(to, n);
	const char *text =
	    json_string_value(json_object_get(json_array_get(m, k), "text"));
	const char *p;
	size_t len;

	assert_non_null(text);
	assert_non_null(p = strstr(text, marker));
	p += strlen(marker);
	len = strspn(p,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
	assert_true(len == 43 && len < size);
	memcpy(out, p, len);
	out[len] = '\0';
	json_decref(m);
}

static int
setup(void **state)
{
	static char e1[400];
	const char *env[] = { e1, "CRENEAU_SMTP_FROM=rdv@creneau.example",
		"CRENEAU_SMTP_STARTTLS=off", "CRENEAU_SMTP_INTERVAL=1",
		"CRENEAU_APPT_PUBLIC_URL=https://rdv.example", NULL };
	json_t *o;

	(void)state;
	snprintf(tmp, sizeof(tmp), "/tmp/creneau-guest-XXXXXX");
	if (mkdtemp(tmp) == NULL)
		return -1;
	snprintf(maildir, sizeof(maildir), "%s/mail", tmp);
	if (smtpd_start(&mail, maildir) != 0)
		return -1;
	snprintf(e1, sizeof(e1), "CRENEAU_SMTP_URL=smtp://127.0.0.1:%d",
	    mail.port);
	if (demo_start_on(&srv, harness_free_port(), env, all, NALL) != 0)
		return -1;
	o = get_json(&martin.c, "/api/v1/me");
	snprintf(org_id, sizeof(org_id), "%s",
	    json_string_value(json_object_get(o, "org_id")));
	json_decref(o);
	place_nord = id_named(&martin.c, "/api/v1/appointments/places",
	    "places", "MDS Nantes Nord");
	motif_accueil = id_named(&martin.c, "/api/v1/appointments/motifs",
	    "motifs", "Premier accueil social");
	return 0;
}

static int
teardown(void **state)
{
	char cmd[300];

	(void)state;
	demo_stop(&srv, all, NALL);
	smtpd_stop(&mail);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	return system(cmd) == 0 ? 0 : -1;
}

/* Holds the first free slot of the week after next; its token into
 * token. */
static void
hold(struct client *pub, char *token, size_t size)
{
	char from[40], to[40], path[500], body[400];
	json_t *o;

	paris(14, 0, from, sizeof(from));
	paris(20, 23 * 60, to, sizeof(to));
	snprintf(path, sizeof(path),
	    "/api/v1/public/appointments/free-slots?org_id=%s&motif_id=%lld"
	    "&place_id=%lld&from=%s&to=%s",
	    org_id, motif_accueil, place_nord, from, to);
	o = get_json(pub, path);
	snprintf(body, sizeof(body),
	    "{\"org_id\":\"%s\",\"motif_id\":%lld,\"place_id\":%lld,"
	    "\"start_at\":\"%s\"}",
	    org_id, motif_accueil, place_nord,
	    json_string_value(
		json_object_get(json_array_get(json_object_get(o, "slots"), 0),
		    "start_at")));
	json_decref(o);
	assert_int_equal(client_call(pub, "POST",
			     "/api/v1/public/appointments/holds", body),
	    201);
	o = client_json(pub);
	snprintf(token, size, "%s",
	    json_string_value(json_object_get(o, "hold_token")));
	json_decref(o);
}

/* Asks for the link of hold for email; returns the HTTP status. */
static int
ask(struct client *pub, const char *hold_token, const char *last,
    const char *email, const char *ack)
{
	char body[800];

	snprintf(body, sizeof(body),
	    "{\"hold_token\":\"%s\",\"last_name\":\"%s\",\"first_names\":"
	    "\"Léa\",\"email\":\"%s\",\"phone\":\"06 11 22 33 44\","
	    "\"privacy_ack\":%s}",
	    hold_token, last, email, ack);
	return client_call(pub, "POST",
	    "/api/v1/public/appointments/guest-requests", body);
}

static int
post_token(struct client *pub, const char *path, const char *token)
{
	char body[200];

	snprintf(body, sizeof(body), "{\"token\":\"%s\"}", token);
	return client_call(pub, "POST", path, body);
}

/* Books as a guest for email (n emails already there): the appointment,
 * its manage token into manage. */
static long long
guest_books(const char *email, size_t n, char *manage, size_t size)
{
	struct client pub;
	char h[80], link[64];
	long long id;
	json_t *o;

	client_init(&pub, srv.port);
	hold(&pub, h, sizeof(h));
	assert_int_equal(ask(&pub, h, "Martin", email, "true"), 202);
	link_token(email, n + 1, n, "#/rendez-vous/confirmer/", link,
	    sizeof(link));
	assert_int_equal(post_token(&pub,
			     "/api/v1/public/appointments/guest-links/"
			     "confirmation",
			     link),
	    201);
	o = client_json(&pub);
	id = json_integer_value(json_object_get(o, "id"));
	json_decref(o);
	link_token(email, n + 2, n + 1, "#/rendez-vous/gerer/", manage, size);
	client_free(&pub);
	return id;
}

/*
 * The whole way: each wrong field refused by name; the email's link
 * shows the appointment and confirms it once; the record has no
 * account; the confirmation carries the .ics and the cancellation link.
 */
static void
test_guest_books(void **state)
{
	struct client pub;
	char h[80], link[64], sql[300], v[64];
	long long id;
	json_t *o, *m;

	(void)state;
	client_init(&pub, srv.port);
	hold(&pub, h, sizeof(h));
	assert_int_equal(ask(&pub, h, "", "lea@exemple.fr", "true"), 422);
	assert_non_null(strstr(pub.body, "last_name"));
	assert_int_equal(ask(&pub, h, "Martin", "pas-une-adresse", "true"),
	    422);
	assert_non_null(strstr(pub.body, "\"email\""));
	assert_int_equal(ask(&pub, h, "Martin", "", "true"), 422);
	assert_non_null(strstr(pub.body, "\"email\""));
	assert_int_equal(ask(&pub, h, "Martin", "lea@exemple.fr", "false"),
	    422);
	assert_non_null(strstr(pub.body, "privacy_ack"));
	assert_int_equal(ask(&pub,
			     "0000000000000000000000000000000000000000"
			     "000000000000000000000000",
			     "Martin", "lea@exemple.fr", "true"),
	    410);
	assert_non_null(strstr(pub.body, "RESERVATION_EXPIREE"));
	assert_int_equal(ask(&pub, h, "Martin", "lea@exemple.fr", "true"), 202);
	link_token("lea@exemple.fr", 1, 0, "#/rendez-vous/confirmer/", link,
	    sizeof(link));
	/* The hold now waits 30 minutes for the person. */
	assert_int_equal(post_token(&pub,
			     "/api/v1/public/appointments/guest-links/lookup",
			     link),
	    200);
	o = client_json(&pub);
	assert_string_equal(json_string_value(json_object_get(o, "motif")),
	    "Premier accueil social");
	assert_non_null(strstr(json_string_value(json_object_get(o, "place")),
	    "Nantes Nord"));
	json_decref(o);
	assert_int_equal(post_token(&pub,
			     "/api/v1/public/appointments/guest-links/"
			     "confirmation",
			     link),
	    201);
	o = client_json(&pub);
	id = json_integer_value(json_object_get(o, "id"));
	json_decref(o);
	assert_true(id > 0);
	/* Used: the same link is dead, looked at or confirmed again. */
	assert_int_equal(post_token(&pub,
			     "/api/v1/public/appointments/guest-links/"
			     "confirmation",
			     link),
	    410);
	assert_non_null(strstr(pub.body, "LIEN_INVALIDE"));
	assert_int_equal(post_token(&pub,
			     "/api/v1/public/appointments/guest-links/lookup",
			     link),
	    410);
	/* The record: in the organisation, no account, its email sealed. */
	snprintf(sql, sizeof(sql),
	    "SELECT COUNT(*) FROM appt_users u JOIN appt_participants p ON"
	    " p.user_id = u.id WHERE p.appointment_id = %lld AND"
	    " u.account_id IS NULL AND u.responsible_id IS NULL AND"
	    " u.email IS NOT NULL AND u.email_index IS NOT NULL",
	    id);
	assert_int_equal(harness_store_value(srv.db, sql, v, sizeof(v)), 0);
	assert_string_equal(v, "1");
	assert_int_equal(harness_store_value(srv.db,
			     "SELECT COUNT(*) FROM appt_guest_requests", v,
			     sizeof(v)),
	    0);
	assert_string_equal(v, "0");
	/* The confirmation, its .ics, and the way to cancel. */
	m = wait_mails("lea@exemple.fr", 2);
	o = json_array_get(m, 1);
	assert_string_equal(json_string_value(json_object_get(o, "subject")),
	    "Rendez-vous confirmé");
	assert_non_null(json_object_get(o, "ics"));
	assert_false(json_is_null(json_object_get(o, "ics")));
	assert_non_null(strstr(json_string_value(json_object_get(o, "text")),
	    "https://rdv.example/#/rendez-vous/gerer/"));
	json_decref(m);
	client_free(&pub);
}

/* A link whose time is up is refused, and says so; the retention run
 * deletes it. */
static void
test_expired_link(void **state)
{
	static const char *const args[] = { "retention", "run", NULL };
	static char out[16384];
	char env_s[400], v[32];
	const char *env[] = { env_s, NULL };
	struct client pub;
	char h[80], link[64];

	(void)state;
	client_init(&pub, srv.port);
	hold(&pub, h, sizeof(h));
	assert_int_equal(ask(&pub, h, "Tard", "tard@exemple.fr", "true"), 202);
	link_token("tard@exemple.fr", 1, 0, "#/rendez-vous/confirmer/", link,
	    sizeof(link));
	assert_int_equal(harness_store_exec(srv.db,
			     "UPDATE appt_guest_requests SET expires_at = 1"),
	    0);
	assert_int_equal(post_token(&pub,
			     "/api/v1/public/appointments/guest-links/"
			     "confirmation",
			     link),
	    410);
	assert_non_null(strstr(pub.body, "LIEN_INVALIDE"));
	/* `retention run` deletes the request whose time is up. */
	snprintf(env_s, sizeof(env_s), "CRENEAU_STORE_PATH=%s", srv.db);
	assert_int_equal(harness_run(args, env, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "appointment links without an account"));
	assert_int_equal(harness_store_value(srv.db,
			     "SELECT COUNT(*) FROM appt_guest_requests", v,
			     sizeof(v)),
	    0);
	assert_string_equal(v, "0");
	client_free(&pub);
}

/* Three requests an hour for one address, then 429 with Retry-After. */
static void
test_throttle(void **state)
{
	struct client pub;
	char h[80];
	int i;

	(void)state;
	client_init(&pub, srv.port);
	hold(&pub, h, sizeof(h));
	for (i = 0; i < 3; i++)
		assert_int_equal(ask(&pub, h, "Souvent", "souvent@exemple.fr",
				     "true"),
		    202);
	assert_int_equal(ask(&pub, h, "Souvent", "souvent@exemple.fr", "true"),
	    429);
	assert_non_null(strstr(pub.body, "too_many_attempts"));
	client_free(&pub);
}

/* The cancellation link cancels once; past the motif's deadline (4
 * hours) it cannot. */
static void
test_manage_link_cancels(void **state)
{
	struct client pub;
	char manage[64], manage2[64], sql[300];
	long long id, id2;
	int64_t now = clock_now_ms(clock_real());
	json_t *o, *m;

	(void)state;
	client_init(&pub, srv.port);
	id = guest_books("annule@exemple.fr", 0, manage, sizeof(manage));
	assert_int_equal(post_token(&pub,
			     "/api/v1/public/appointments/manage-links/lookup",
			     manage),
	    200);
	o = client_json(&pub);
	assert_string_equal(json_string_value(json_object_get(o, "status")),
	    "a_venir");
	json_decref(o);
	assert_int_equal(post_token(&pub,
			     "/api/v1/public/appointments/manage-links/"
			     "cancellation",
			     manage),
	    200);
	assert_int_equal(post_token(&pub,
			     "/api/v1/public/appointments/manage-links/"
			     "cancellation",
			     manage),
	    410);
	assert_non_null(strstr(pub.body, "LIEN_INVALIDE"));
	m = wait_mails("annule@exemple.fr", 3);
	assert_string_equal(json_string_value(
				json_object_get(json_array_get(m, 2),
				    "subject")),
	    "Rendez-vous annulé");
	json_decref(m);
	(void)id;
	/* An hour before: too late to cancel online. */
	id2 = guest_books("tardif@exemple.fr", 0, manage2, sizeof(manage2));
	snprintf(sql, sizeof(sql),
	    "UPDATE appt_appointments SET start_at = %lld, end_at = %lld +"
	    " duration_min * 60000 WHERE id = %lld",
	    (long long)(now + 3600000), (long long)(now + 3600000), id2);
	assert_int_equal(harness_store_exec(srv.db, sql), 0);
	assert_int_equal(post_token(&pub,
			     "/api/v1/public/appointments/manage-links/"
			     "cancellation",
			     manage2),
	    422);
	assert_non_null(strstr(pub.body, "ANNULATION_TROP_TARDIVE"));
	client_free(&pub);
}

/* Moved by the agent to a later week, the appointment keeps its emailed
 * link alive until its new start, not its old one. */
static void
test_manage_link_follows_move(void **state)
{
	struct client pub;
	char manage[64], from[40], to[40], path[500], body[96], sql[300], v[32];
	long long id;
	size_t i;
	int moved = 0;
	json_t *o, *slots;

	(void)state;
	client_init(&pub, srv.port);
	id = guest_books("deplace@exemple.fr", 0, manage, sizeof(manage));
	paris(21, 0, from, sizeof(from));
	paris(34, 23 * 60, to, sizeof(to));
	snprintf(path, sizeof(path),
	    "/api/v1/public/appointments/free-slots?org_id=%s&motif_id=%lld"
	    "&place_id=%lld&from=%s&to=%s",
	    org_id, motif_accueil, place_nord, from, to);
	o = get_json(&pub, path);
	slots = json_object_get(o, "slots");
	snprintf(path, sizeof(path), "/api/v1/appointments/bookings/%lld/move",
	    id);
	/* The first of those times the appointment's own agent has free. */
	for (i = 0; i < json_array_size(slots) && !moved; i++) {
		snprintf(body, sizeof(body), "{\"start_at\":\"%s\"}",
		    json_string_value(
			json_object_get(json_array_get(slots, i), "start_at")));
		moved = client_call(&martin.c, "POST", path, body) == 200;
	}
	json_decref(o);
	assert_true(moved);
	snprintf(sql, sizeof(sql),
	    "SELECT COUNT(*) FROM appt_manage_links l JOIN appt_appointments"
	    " a ON a.id = l.appointment_id WHERE a.id = %lld AND"
	    " l.expires_at = a.start_at",
	    id);
	assert_int_equal(harness_store_value(srv.db, sql, v, sizeof(v)), 0);
	assert_string_equal(v, "1");
	assert_int_equal(post_token(&pub,
			     "/api/v1/public/appointments/manage-links/lookup",
			     manage),
	    200);
	client_free(&pub);
	/* The request's audit entry keeps the ticked privacy notice and
	 * its version, as an account's acknowledgement would. */
	assert_int_equal(client_call(&dpo.c, "GET",
			     "/api/v1/audit?action=appointment.guest.request",
			     NULL),
	    200);
	assert_non_null(strstr(dpo.c.body, "\"privacy_ack\":true"));
	assert_non_null(strstr(dpo.c.body, "\"policy_version\":\""));
	assert_null(strstr(dpo.c.body, "\"policy_version\":\"\""));
}

/*
 * Booked as a guest with the address of an account, then signed in:
 * the account's first booking there takes the guest record over (no
 * name asked), and « Mes rendez-vous » shows both appointments.
 */
static void
test_account_takes_record_over(void **state)
{
	struct client pub;
	char manage[64], h[80], body[200], sql[300], v[64];
	long long id, id2;
	json_t *o, *a;
	size_t i;
	int seen = 0;

	(void)state;
	id = guest_books(camille.email, 0, manage, sizeof(manage));
	client_init(&pub, srv.port);
	hold(&pub, h, sizeof(h));
	snprintf(body, sizeof(body), "{\"hold_token\":\"%s\"}", h);
	assert_int_equal(client_call(&camille.c, "POST",
			     "/api/v1/me/appointments", body),
	    201);
	o = client_json(&camille.c);
	id2 = json_integer_value(json_object_get(o, "id"));
	json_decref(o);
	o = get_json(&camille.c, "/api/v1/me/appointments");
	json_array_foreach (json_object_get(o, "appointments"), i, a) {
		long long x = json_integer_value(json_object_get(a, "id"));

		if (x == id || x == id2)
			seen++;
	}
	json_decref(o);
	assert_int_equal(seen, 2);
	snprintf(sql, sizeof(sql),
	    "SELECT COUNT(*) FROM appt_users WHERE org_id = '%s' AND"
	    " account_id IS NOT NULL",
	    org_id);
	assert_int_equal(harness_store_value(srv.db, sql, v, sizeof(v)), 0);
	assert_string_equal(v, "1");
	/* A staff account is not of the people's place: a record with its
	 * address (made at the counter) stays the organisation's, and its
	 * first booking there asks for a name. */
	snprintf(body, sizeof(body),
	    "{\"last_name\":\"Martin\",\"first_names\":\"Alex\","
	    "\"email\":\"%s\"}",
	    martin.email);
	assert_int_equal(client_call(&martin.c, "POST",
			     "/api/v1/appointments/users", body),
	    201);
	hold(&pub, h, sizeof(h));
	snprintf(body, sizeof(body), "{\"hold_token\":\"%s\"}", h);
	assert_int_equal(client_call(&martin.c, "POST",
			     "/api/v1/me/appointments", body),
	    422);
	assert_non_null(strstr(martin.c.body, "\"user\""));
	client_free(&pub);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_guest_books),
		cmocka_unit_test(test_expired_link),
		cmocka_unit_test(test_throttle),
		cmocka_unit_test(test_manage_link_cancels),
		cmocka_unit_test(test_manage_link_follows_move),
		cmocka_unit_test(test_account_takes_record_over),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
