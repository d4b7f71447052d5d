/*
 * test_remote_authority.c - two real instances: one Créneau is the exam
 * authority, the other runs in remote mode ([authority] mode = remote)
 * for the driving school « Auto-école des Tilleuls ». The school's
 * manager links their account (signed in at the authority with their
 * second factor, consenting there), then books, cancels and replaces
 * through the school's own instance, whose pages call the same /api/v1
 * routes as ever; the exams exist at the authority and nowhere else. The
 * authority stopped mid-basket gives a clear answer and a notice to the
 * staff, and once it is back the basket is validated once. Renewal of
 * the access token, and a grant revoked at the authority, are seen from
 * the school's side.
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
#include <unistd.h>

#include <jansson.h>

#include "client.h"
#include "demo.h"
#include "harness.h"

static struct proc authority, school;
/* At the authority. */
static struct demo_account admin = { "plateforme@demo.example", 1 };
static struct demo_account tilleuls_a = { "gestion@tilleuls.example", 1 };
static struct demo_account *const at_authority[] = { &admin, &tilleuls_a };
/* At the school's own instance: the same person, another account. */
static struct demo_account tilleuls = { "gestion@tilleuls.example", 1 };
static struct demo_account *const at_school[] = { &tilleuls };

static char secret_file[400];

static void
member(const char *s, const char *name, char *out, size_t outlen)
{
	json_t *o = json_loads(s, 0, NULL);
	const char *v;

	assert_non_null(o);
	v = json_string_value(json_object_get(o, name));
	assert_non_null(v);
	snprintf(out, outlen, "%s", v);
	json_decref(o);
}

/* The Location header of c's last answer, into out. */
static void
location(const struct client *c, char *out, size_t outlen)
{
	const char *h = strstr(c->headers, "Location: ");

	if (h == NULL)
		h = strstr(c->headers, "location: ");
	assert_non_null(h);
	h += 10;
	snprintf(out, outlen, "%.*s", (int)strcspn(h, "\r\n"), h);
}

static int
setup(void **state)
{
	char body[600], id[64], sec[128], url[80], cid[200], sf[460], pub[80];
	const char *env[6];
	int school_port = harness_free_port();
	FILE *f;

	(void)state;
	if (demo_start(&authority, at_authority, 2) != 0)
		return -1;
	/* The platform admin registers the school's instance as partner
	 * software, its callback as the redirect address. */
	snprintf(body, sizeof(body),
	    "{\"name\":\"Créneau des Tilleuls\",\"redirect_uris\":"
	    "[\"http://127.0.0.1:%d/api/v1/authority-link/callback\"],"
	    "\"scopes\":[\"lecture\",\"reservation\"]}",
	    school_port);
	if (client_call(&admin.c, "POST", "/api/v1/oauth-clients", body) !=
	    201) {
		fprintf(stderr, "client registration: %s\n", admin.c.body);
		return -1;
	}
	member(admin.c.body, "client_id", id, sizeof(id));
	member(admin.c.body, "client_secret", sec, sizeof(sec));
	snprintf(secret_file, sizeof(secret_file), "%s/authority-secret",
	    authority.dir);
	if ((f = fopen(secret_file, "w")) == NULL)
		return -1;
	fprintf(f, "%s\n", sec);
	fclose(f);
	snprintf(url, sizeof(url), "CRENEAU_AUTHORITY_URL=http://127.0.0.1:%d",
	    authority.port);
	snprintf(cid, sizeof(cid), "CRENEAU_AUTHORITY_CLIENT_ID=%s", id);
	snprintf(sf, sizeof(sf), "CRENEAU_AUTHORITY_CLIENT_SECRET_FILE=%s",
	    secret_file);
	snprintf(pub, sizeof(pub),
	    "CRENEAU_HTTP_PUBLIC_URL=http://127.0.0.1:%d", school_port);
	env[0] = "CRENEAU_AUTHORITY_MODE=remote";
	env[1] = url;
	env[2] = cid;
	env[3] = sf;
	env[4] = pub;
	env[5] = NULL;
	return demo_start_on(&school, school_port, env, at_school, 1);
}

static int
teardown(void **state)
{
	(void)state;
	demo_stop(&school, at_school, 1);
	demo_stop(&authority, at_authority, 2);
	return 0;
}

/* The school's manager links their account: the authority's sign-in and
 * consent, then back to the school's instance. */
static void
link_account(void)
{
	char url[2048], prefix[64], loc[1400], req_id[128];
	const char *path;

	assert_int_equal(client_call(&tilleuls.c, "POST",
			     "/api/v1/authority-link", NULL),
	    200);
	member(tilleuls.c.body, "authorization_url", url, sizeof(url));
	snprintf(prefix, sizeof(prefix), "http://127.0.0.1:%d/oauth/authorize?",
	    authority.port);
	assert_int_equal(strncmp(url, prefix, strlen(prefix)), 0);
	assert_non_null(strstr(url, "code_challenge_method=S256"));
	assert_non_null(strstr(url, "scope=lecture%20reservation"));
	path = url + strlen(prefix) - strlen("/oauth/authorize?");
	/* At the authority, signed in there with the second factor. */
	assert_int_equal(client_call(&tilleuls_a.c, "GET", path, NULL), 303);
	location(&tilleuls_a.c, loc, sizeof(loc));
	assert_int_equal(strncmp(loc, "/#/autorisation/", 16), 0);
	snprintf(req_id, sizeof(req_id), "%.100s", loc + 16);
	snprintf(loc, sizeof(loc), "/api/v1/oauth/requests/%s", req_id);
	assert_int_equal(client_call(&tilleuls_a.c, "GET", loc, NULL), 200);
	assert_non_null(strstr(tilleuls_a.c.body, "Créneau des Tilleuls"));
	snprintf(loc, sizeof(loc), "/api/v1/oauth/requests/%s/decision",
	    req_id);
	assert_int_equal(client_call(&tilleuls_a.c, "POST", loc,
			     "{\"approve\":true}"),
	    200);
	member(tilleuls_a.c.body, "redirect", url, sizeof(url));
	snprintf(prefix, sizeof(prefix),
	    "http://127.0.0.1:%d/api/v1/authority-link/callback?", school.port);
	assert_int_equal(strncmp(url, prefix, strlen(prefix)), 0);
	/* Back at the school's instance, in the same browser session. */
	path =
	    url + strlen(prefix) - strlen("/api/v1/authority-link/callback?");
	assert_int_equal(client_call(&tilleuls.c, "GET", path, NULL), 303);
	location(&tilleuls.c, loc, sizeof(loc));
	assert_string_equal(loc, "/#/autorite?lien=ok");
	/* A state serves once. */
	assert_int_equal(client_call(&tilleuls.c, "GET", path, NULL), 303);
	location(&tilleuls.c, loc, sizeof(loc));
	assert_string_equal(loc, "/#/autorite?lien=perime");
}

/* The ids of n bookable category-B slots in department 44 and n
 * candidates of category B, as the school's instance lists them. */
static void
slots_and_candidates(struct client *c, long long *slots, long long *cands,
    size_t n)
{
	json_t *o, *s;
	size_t i, k = 0;

	assert_int_equal(client_call(c, "GET",
			     "/api/v1/slots?department=44&category=B&limit=60",
			     NULL),
	    200);
	o = client_json(c);
	json_array_foreach (json_object_get(o, "slots"), i, s)
		if (k < n && json_is_true(json_object_get(s, "bookable_now")))
			slots[k++] =
			    json_integer_value(json_object_get(s, "id"));
	json_decref(o);
	assert_int_equal(k, n);
	assert_int_equal(client_call(c, "GET", "/api/v1/candidates", NULL),
	    200);
	o = client_json(c);
	k = 0;
	json_array_foreach (json_object_get(o, "candidates"), i, s) {
		const char *cat =
		    json_string_value(json_object_get(s, "category"));

		if (k < n && cat != NULL && strcmp(cat, "B") == 0 &&
		    json_is_true(json_object_get(s, "eligible")))
			cands[k++] =
			    json_integer_value(json_object_get(s, "id"));
	}
	if (k < n) { /* older answers have no "eligible" */
		k = 0;
		json_array_foreach (json_object_get(o, "candidates"), i, s) {
			const char *cat =
			    json_string_value(json_object_get(s, "category"));

			if (k < n && cat != NULL && strcmp(cat, "B") == 0)
				cands[k++] = json_integer_value(
				    json_object_get(s, "id"));
		}
	}
	json_decref(o);
	assert_int_equal(k, n);
}

static long long
basket_id(struct client *c)
{
	json_t *o;
	long long id;

	assert_int_equal(client_call(c, "GET", "/api/v1/basket", NULL), 200);
	o = client_json(c);
	id = json_integer_value(json_object_get(o, "id"));
	json_decref(o);
	assert_true(id > 0);
	return id;
}

static void
add(struct client *c, long long basket, long long slot, long long cand)
{
	char path[120], body[160];

	snprintf(path, sizeof(path), "/api/v1/baskets/%lld/slots", basket);
	snprintf(body, sizeof(body),
	    "{\"slots\":[{\"slot_id\":%lld,\"candidate_id\":%lld}]}", slot,
	    cand);
	if (client_call(c, "POST", path, body) != 200)
		fail_msg("add: %ld %s", c->status, c->body);
}

/* Validates and returns the exam id of the one slot booked. */
static long long
validate(struct client *c, long long basket)
{
	char path[120];
	json_t *o, *r;
	long long exam;

	snprintf(path, sizeof(path), "/api/v1/baskets/%lld/validation", basket);
	if (client_call(c, "POST", path, NULL) != 200)
		fail_msg("validate: %ld %s", c->status, c->body);
	o = client_json(c);
	r = json_array_get(json_object_get(o, "results"), 0);
	assert_true(json_is_true(json_object_get(r, "booked")));
	exam = json_integer_value(json_object_get(r, "exam_id"));
	json_decref(o);
	return exam;
}

/* How many live exams the authority holds for slot. */
static long
exams_at_authority(long long slot)
{
	char sql[200], out[32];

	snprintf(sql, sizeof(sql),
	    "SELECT count(*) FROM exams WHERE slot_id = %lld AND"
	    " status = 'booked'",
	    slot);
	assert_int_equal(harness_store_value(authority.db, sql, out,
			     sizeof(out)),
	    0);
	return strtol(out, NULL, 10);
}

static void
test_modes_and_link(void **state)
{
	(void)state;
	/* The authority is itself: nothing to link. */
	assert_int_equal(client_call(&tilleuls_a.c, "GET",
			     "/api/v1/authority-link", NULL),
	    200);
	assert_non_null(strstr(tilleuls_a.c.body, "\"mode\":\"local\""));
	assert_int_equal(client_call(&tilleuls_a.c, "POST",
			     "/api/v1/authority-link", NULL),
	    409);
	assert_string_equal(client_code(&tilleuls_a.c), "not_remote");
	/* The school's instance, before the link: booking says what to do. */
	assert_int_equal(client_call(&tilleuls.c, "GET",
			     "/api/v1/authority-link", NULL),
	    200);
	assert_non_null(strstr(tilleuls.c.body, "\"mode\":\"remote\""));
	assert_non_null(strstr(tilleuls.c.body, "\"linked\":false"));
	assert_int_equal(client_call(&tilleuls.c, "GET",
			     "/api/v1/slots?department=44", NULL),
	    409);
	assert_string_equal(client_code(&tilleuls.c),
	    "authority_link_required");
	assert_non_null(strstr(tilleuls.c.body, "Autorité d'examen"));
	/* A made-up state is refused. */
	assert_int_equal(client_call(&tilleuls.c, "GET",
			     "/api/v1/authority-link/callback?state=x&code=y",
			     NULL),
	    303);
	assert_non_null(strstr(tilleuls.c.headers, "lien=perime"));
	link_account();
	assert_int_equal(client_call(&tilleuls.c, "GET",
			     "/api/v1/authority-link", NULL),
	    200);
	assert_non_null(strstr(tilleuls.c.body, "\"linked\":true"));
	assert_non_null(strstr(tilleuls.c.body, "\"reachable\":true"));
	/* No token ever leaves the school's server. */
	assert_null(strstr(tilleuls.c.body, "token\""));
	/* The employee sees the grant at the authority. */
	assert_int_equal(client_call(&tilleuls_a.c, "GET",
			     "/api/v1/me/oauth-grants", NULL),
	    200);
	assert_non_null(strstr(tilleuls_a.c.body, "Créneau des Tilleuls"));
}

static void
test_book_cancel_replace_through_the_authority(void **state)
{
	long long slots[2], cands[2], basket, exam, exam2;
	char before[32], after[32], path[160], body[80];

	(void)state;
	assert_int_equal(harness_store_value(school.db,
			     "SELECT count(*) FROM exams", before,
			     sizeof(before)),
	    0);
	slots_and_candidates(&tilleuls.c, slots, cands, 2);
	/* The same slots as the authority's own page shows. */
	assert_int_equal(client_call(&tilleuls_a.c, "GET",
			     "/api/v1/slots?department=44&category=B&limit=60",
			     NULL),
	    200);
	snprintf(body, sizeof(body), "\"id\":%lld,", slots[0]);
	assert_non_null(strstr(tilleuls_a.c.body, body));

	basket = basket_id(&tilleuls.c);
	add(&tilleuls.c, basket, slots[0], cands[0]);
	/* A rule of the authority, refused as it says it. */
	snprintf(path, sizeof(path), "/api/v1/baskets/%lld/slots", basket);
	assert_int_equal(client_call(&tilleuls.c, "POST", path,
			     "{\"slots\":[{\"slot_id\":1},{\"slot_id\":2},"
			     "{\"slot_id\":3},{\"slot_id\":4},"
			     "{\"slot_id\":5}]}"),
	    422);
	assert_string_equal(client_code(&tilleuls.c), "TROP_DE_CRENEAUX");
	exam = validate(&tilleuls.c, basket);
	assert_true(exam > 0);
	assert_int_equal(exams_at_authority(slots[0]), 1);
	/* Booked at the authority only. */
	assert_int_equal(harness_store_value(school.db,
			     "SELECT count(*) FROM exams", after,
			     sizeof(after)),
	    0);
	assert_string_equal(before, after);
	snprintf(body, sizeof(body), "\"id\":%lld,", exam);
	assert_int_equal(client_call(&tilleuls.c, "GET",
			     "/api/v1/exams?from=2000-01-01T00:00:00Z", NULL),
	    200);
	assert_non_null(strstr(tilleuls.c.body, body));

	/* The spreadsheet export, as the local one. */
	assert_int_equal(
	    client_call(&tilleuls.c, "GET",
		"/api/v1/exams?format=csv&from=2000-01-01T00:00:00Z", NULL),
	    200);
	assert_non_null(strstr(tilleuls.c.headers, "text/csv"));
	assert_non_null(strstr(tilleuls.c.headers, "examens.csv"));
	assert_memory_equal(tilleuls.c.body, "\xef\xbb\xbf", 3);
	/* Replaced by the other candidate, through the school's route. */
	snprintf(path, sizeof(path), "/api/v1/exams/%lld/replacement", exam);
	snprintf(body, sizeof(body), "{\"candidate_id\":%lld}", cands[1]);
	if (client_call(&tilleuls.c, "POST", path, body) != 200)
		fail_msg("replace: %ld %s", tilleuls.c.status, tilleuls.c.body);
	/* Cancelled. */
	snprintf(path, sizeof(path), "/api/v1/exams/%lld/cancellation", exam);
	if (client_call(&tilleuls.c, "POST", path, NULL) != 200)
		fail_msg("cancel: %ld %s", tilleuls.c.status, tilleuls.c.body);
	assert_int_equal(exams_at_authority(slots[0]), 0);
	/* This instance's own records are not the school's here: a page
	 * that would read them by an authority's id says so. */
	snprintf(path, sizeof(path), "/api/v1/exams/%lld/convocation", exam);
	assert_int_equal(client_call(&tilleuls.c, "GET", path, NULL), 409);
	assert_string_equal(client_code(&tilleuls.c), "remote_unavailable");
	snprintf(path, sizeof(path), "/api/v1/candidates/%lld", cands[0]);
	assert_int_equal(client_call(&tilleuls.c, "GET", path, NULL), 409);
	assert_string_equal(client_code(&tilleuls.c), "remote_unavailable");
	/* The refusals of the authority reach the page as it gave them. */
	assert_int_equal(client_call(&tilleuls.c, "POST",
			     "/api/v1/exams/999999/cancellation", NULL),
	    404);
	assert_string_equal(client_code(&tilleuls.c), "EXAMEN_INCONNU");

	/* Another booking for the next test's candidate count. */
	basket = basket_id(&tilleuls.c);
	add(&tilleuls.c, basket, slots[1], cands[0]);
	exam2 = validate(&tilleuls.c, basket);
	assert_true(exam2 > 0 && exam2 != exam);
	assert_int_equal(exams_at_authority(slots[1]), 1);
}

static void
test_authority_down_mid_basket(void **state)
{
	long long slots[3], cands[3], basket;
	char path[120], first[2048];
	int i;

	(void)state;
	slots_and_candidates(&tilleuls.c, slots, cands, 3);
	basket = basket_id(&tilleuls.c);
	add(&tilleuls.c, basket, slots[2], cands[2]);
	assert_int_equal(harness_stop(&authority, SIGTERM), 0);

	snprintf(path, sizeof(path), "/api/v1/baskets/%lld/validation", basket);
	assert_int_equal(client_call(&tilleuls.c, "POST", path, NULL), 503);
	assert_string_equal(client_code(&tilleuls.c), "authority_unreachable");
	assert_non_null(strstr(tilleuls.c.body, "ne répond pas"));
	assert_non_null(strstr(tilleuls.c.headers, "Retry-After: 30"));
	/* The pages say so, and what still works. */
	assert_int_equal(client_call(&tilleuls.c, "GET",
			     "/api/v1/authority-link", NULL),
	    200);
	assert_non_null(strstr(tilleuls.c.body, "\"reachable\":false"));
	assert_int_equal(client_call(&tilleuls.c, "GET",
			     "/api/v1/notifications", NULL),
	    200);
	assert_non_null(strstr(tilleuls.c.body, "authority.unreachable"));
	assert_int_equal(client_call(&tilleuls.c, "GET", "/api/v1/me", NULL),
	    200);
	/* The lists read before: their last copy, read-only, dated. */
	assert_int_equal(client_call(&tilleuls.c, "GET", "/api/v1/candidates",
			     NULL),
	    200);
	assert_non_null(strstr(tilleuls.c.body, "\"copy_of\":\""));
	assert_non_null(
	    strstr(tilleuls.c.body, "\"authority_reachable\":false"));
	assert_non_null(strstr(tilleuls.c.body, "\"candidates\":[{"));
	/* The copy is sealed: no NEPH of it in the school's database files. */
	{
		json_t *o = client_json(&tilleuls.c);
		const char *neph = json_string_value(
		    json_object_get(json_array_get(json_object_get(o,
						       "candidates"),
					0),
			"neph"));

		assert_non_null(neph);
		assert_int_equal(harness_db_holds(school.db, neph), 0);
		json_decref(o);
	}
	/* A list never read has no copy: the outage is said. */
	assert_int_equal(client_call(&tilleuls.c, "GET", "/api/v1/mandates",
			     NULL),
	    503);

	/* Back: the basket is still held there, validated once. The page's
	 * Idempotency-Key goes through to the authority: the same
	 * validation sent again gets the first answer back, byte for byte,
	 * and books nothing more. */
	assert_int_equal(harness_start(&authority, NULL, 0), 0);
	tilleuls.c.extra_header = "Idempotency-Key: ecole-validation-0001";
	assert_int_equal(client_call(&tilleuls.c, "POST", path, NULL), 200);
	assert_non_null(strstr(tilleuls.c.body, "\"booked\":true"));
	snprintf(first, sizeof(first), "%.2000s", tilleuls.c.body);
	assert_int_equal(exams_at_authority(slots[2]), 1);
	assert_int_equal(client_call(&tilleuls.c, "POST", path, NULL), 200);
	assert_string_equal(tilleuls.c.body, first);
	assert_non_null(
	    strstr(tilleuls.c.headers, "Idempotent-Replayed: true"));
	tilleuls.c.extra_header = NULL;
	assert_int_equal(exams_at_authority(slots[2]), 1);
	assert_int_equal(client_call(&tilleuls.c, "GET",
			     "/api/v1/notifications", NULL),
	    200);
	assert_non_null(strstr(tilleuls.c.body, "authority.restored"));
	for (i = 0; i < 1; i++)
		assert_int_equal(client_call(&tilleuls.c, "GET",
				     "/api/v1/authority-link", NULL),
		    200);
	assert_non_null(strstr(tilleuls.c.body, "\"reachable\":true"));
}

static void
test_renewal_and_revocation(void **state)
{
	char before[64], after[64], gid[64], path[120];
	json_t *o;

	(void)state;
	assert_int_equal(client_call(&tilleuls.c, "GET",
			     "/api/v1/authority-link", NULL),
	    200);
	member(tilleuls.c.body, "refreshed_at", before, sizeof(before));
	/* The access token ran out: renewed before the call, the refresh
	 * token rotated once (a second use would revoke everything). */
	assert_int_equal(
	    harness_store_exec(school.db,
		"UPDATE authority_links SET access_expires_at = 0"),
	    0);
	sleep(1);
	assert_int_equal(client_call(&tilleuls.c, "GET", "/api/v1/basket",
			     NULL),
	    200);
	assert_int_equal(client_call(&tilleuls.c, "GET", "/api/v1/basket",
			     NULL),
	    200);
	assert_int_equal(client_call(&tilleuls.c, "GET",
			     "/api/v1/authority-link", NULL),
	    200);
	member(tilleuls.c.body, "refreshed_at", after, sizeof(after));
	assert_string_not_equal(before, after);
	assert_int_equal(client_call(&tilleuls_a.c, "GET",
			     "/api/v1/me/oauth-grants", NULL),
	    200);
	o = client_json(&tilleuls_a.c);
	assert_int_equal(json_array_size(json_object_get(o, "grants")), 1);
	snprintf(gid, sizeof(gid), "%s",
	    json_string_value(
		json_object_get(json_array_get(json_object_get(o, "grants"), 0),
		    "id")));
	json_decref(o);

	/* The employee withdraws the grant at the authority: the school's
	 * instance says the link is gone, and forgets it. */
	snprintf(path, sizeof(path), "/api/v1/me/oauth-grants/%s", gid);
	assert_in_range(client_call(&tilleuls_a.c, "DELETE", path, NULL), 200,
	    204);
	assert_int_equal(client_call(&tilleuls.c, "GET", "/api/v1/basket",
			     NULL),
	    409);
	assert_string_equal(client_code(&tilleuls.c),
	    "authority_link_required");
	assert_non_null(strstr(tilleuls.c.body, "retirée"));
	assert_int_equal(client_call(&tilleuls.c, "GET",
			     "/api/v1/authority-link", NULL),
	    200);
	assert_non_null(strstr(tilleuls.c.body, "\"linked\":false"));

	/* Linked again, then unlinked from the school's side: revoked at
	 * the authority too. */
	link_account();
	assert_int_equal(client_call(&tilleuls.c, "DELETE",
			     "/api/v1/authority-link", NULL),
	    204);
	assert_int_equal(client_call(&tilleuls_a.c, "GET",
			     "/api/v1/me/oauth-grants", NULL),
	    200);
	o = client_json(&tilleuls_a.c);
	assert_int_equal(json_array_size(json_object_get(o, "grants")), 0);
	json_decref(o);
	assert_int_equal(client_call(&tilleuls.c, "DELETE",
			     "/api/v1/authority-link", NULL),
	    404);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_modes_and_link),
		cmocka_unit_test(
		    test_book_cancel_replace_through_the_authority),
		cmocka_unit_test(test_authority_down_mid_basket),
		cmocka_unit_test(test_renewal_and_revocation),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
