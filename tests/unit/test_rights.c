/* test_rights.c - src/gdpr/rights.c and src/auth/reauth.c: the export
 * lists every item with its category, purposes, retention and source; the
 * HTML summary escapes; erasure deletes the rows, destroys the key,
 * leaves the journal and audit rows unreadable but in place and the
 * chain sound, and spares the last platform administrator. */
#include "authfx.h"

#include "auth/grant.h"
#include "auth/journal.h"
#include "auth/login.h"
#include "auth/reauth.h"
#include "gdpr/request.h"
#include "gdpr/rights.h"
#include "store/privacy.h"

static struct datamap *
load_map(void)
{
	char err[256];
	struct datamap *m =
	    datamap_load("config/datamap.ini", err, sizeof(err));

	if (m == NULL)
		fail_msg("%s", err);
	return m;
}

/* Signs in as email with pw: a session, a journal entry, an audit entry. */
static void
login(struct authfx *f, const char *email, const char *pw, int64_t now)
{
	struct auth_login_request req = { email, pw, strlen(pw), "192.0.2.9",
		"Navigateur/1.0", 0 };
	struct auth_login_result res;

	assert_int_equal(auth_login(&f->a, &req, now, &res), 0);
	assert_int_equal(res.status, AUTH_LOGIN_OK);
	auth_login_result_clear(&res);
}

/* An account with a session, a journal entry, a grant, recovery codes. */
static void
busy_account(struct authfx *f, const char *email, const char *name,
    const char *role, char id[AUTH_ID_HEX])
{
	char pw[ACCOUNT_TEMP_PW_LEN];

	authfx_account(f, email, name, role, id, pw);
	login(f, email, pw, FX_T0 + 1000);
	authfx_grant_row(f, id, f->org, "journal.read", FX_T0 + 2000,
	    FX_T0 + AUTH_DAY_MS);
	assert_int_equal(store_recovery_insert(f->st, store_conn(f->st), id,
			     "empreinte-1"),
	    0);
}

/* The item labelled label in export e, or NULL. */
static json_t *
find_item(json_t *e, const char *label)
{
	json_t *it;
	size_t i;

	json_array_foreach (json_object_get(e, "items"), i, it) {
		if (strcmp(json_string_value(json_object_get(it, "label")),
			label) == 0)
			return it;
	}
	return NULL;
}

static void
test_export_lists_everything(void **state)
{
	struct authfx *f = *state;
	struct datamap *m = load_map();
	const char *want[] = { "account_ref", "contact", "identity",
		"auth_secret", "connection_data", "audit_reference",
		"data_key_owner" };
	char id[AUTH_ID_HEX];
	json_t *e = NULL, *it, *cat;
	size_t i, k, found;

	busy_account(f, "lea.martin@example.fr", "Léa Martin", "candidate", id);
	assert_int_equal(rights_export(&f->a, m, id, FX_T0 + 5000, &e), 0);
	assert_non_null(e);
	it = find_item(e, "Adresse e-mail");
	assert_non_null(it);
	assert_string_equal(json_string_value(json_object_get(it, "value")),
	    "lea.martin@example.fr");
	assert_string_equal(json_string_value(json_object_get(it, "source")),
	    RIGHTS_SOURCE_ORG);
	assert_string_equal(json_string_value(
				json_object_get(find_item(e, "Nom affiché"),
				    "value")),
	    "Léa Martin");
	/* The journal entry is opened with the person's key. */
	it = find_item(e, "Entrée du journal des connexions");
	assert_non_null(it);
	assert_string_equal(json_string_value(
				json_object_get(json_object_get(it, "value"),
				    "ip")),
	    "192.0.2.9");
	assert_string_equal(json_string_value(json_object_get(it, "source")),
	    RIGHTS_SOURCE_AUTO);
	it = find_item(e, "Session ouverte");
	assert_non_null(it);
	assert_string_equal(json_string_value(
				json_object_get(json_object_get(it, "value"),
				    "user_agent")),
	    "Navigateur/1.0");
	assert_non_null(find_item(e, "Habilitation temporaire"));
	assert_non_null(find_item(e, "Opération journalisée"));
	/* The restriction flag (Art. 18), off, and no consent yet. */
	it = find_item(e, "Limitation du traitement (art. 18)");
	assert_non_null(it);
	assert_false(json_is_true(
	    json_object_get(json_object_get(it, "value"), "restricted")));
	assert_null(find_item(e, "Consentement"));
	assert_int_equal(
	    json_integer_value(json_object_get(
		json_object_get(find_item(e,
				    "Codes de secours non utilisés "
				    "(empreintes)"),
		    "value"),
		"count")),
	    1);
	/* Every category met, with its label, purposes and retention. */
	for (k = 0; k < sizeof(want) / sizeof(want[0]); k++) {
		found = 0;
		json_array_foreach (json_object_get(e, "categories"), i, cat) {
			if (strcmp(json_string_value(
				       json_object_get(cat, "id")),
				want[k]) != 0)
				continue;
			found = 1;
			assert_string_equal(json_string_value(
						json_object_get(cat, "label")),
			    datamap_category_find(m, want[k])->label);
			assert_true(json_array_size(
					json_object_get(cat, "purposes")) > 0);
			assert_true(json_array_size(json_object_get(cat,
					"recipients")) > 0);
			assert_string_not_equal(json_string_value(
						    json_object_get(cat,
							"retention")),
			    "non déclarée");
		}
		if (!found)
			fail_msg("category %s missing", want[k]);
	}
	/* And on every item. */
	json_array_foreach (json_object_get(e, "items"), i, it) {
		assert_non_null(
		    json_string_value(json_object_get(it, "category_label")));
		assert_true(
		    json_array_size(json_object_get(it, "purposes")) > 0);
		assert_non_null(
		    json_string_value(json_object_get(it, "retention")));
	}
	/* The email's purpose is the accounts activity's. */
	it = json_array_get(json_object_get(find_item(e, "Adresse e-mail"),
				"purposes"),
	    0);
	assert_string_equal(json_string_value(json_object_get(it, "activity")),
	    "Gestion des comptes professionnels et des habilitations");
	json_decref(e);
	/* Once restricted and a consent given, the export shows both. */
	assert_int_equal(store_account_restrict(f->st, store_conn(f->st), id,
			     FX_T0 + 6000),
	    0);
	{
		struct store_consent row;

		memset(&row, 0, sizeof(row));
		snprintf(row.account_id, sizeof(row.account_id), "%s", id);
		snprintf(row.purpose, sizeof(row.purpose), "optional_emails");
		snprintf(row.policy_version, sizeof(row.policy_version), "v1");
		snprintf(row.given_via, sizeof(row.given_via), "web");
		row.given_at = FX_T0 + 6000;
		assert_int_equal(store_consent_insert(f->st, store_conn(f->st),
				     &row),
		    0);
	}
	assert_int_equal(rights_export(&f->a, m, id, FX_T0 + 7000, &e), 0);
	assert_int_equal(json_integer_value(json_object_get(
			     json_object_get(find_item(e,
						 "Limitation du traitement "
						 "(art. 18)"),
				 "value"),
			     "restricted_at")),
	    FX_T0 + 6000);
	it = find_item(e, "Consentement");
	assert_non_null(it);
	assert_string_equal(json_string_value(json_object_get(it, "category")),
	    "consent_record");
	json_decref(e);
	assert_int_equal(rights_export(&f->a, m, "nobody", FX_T0, &e), 1);
	assert_null(e);
	datamap_free(m);
}

/* The person's own rights requests and policy acknowledgements are part
 * of their export, with the message and the answer they were given. */
static void
test_export_requests_and_acks(void **state)
{
	struct authfx *f = *state;
	struct datamap *m = load_map();
	struct rights_request r;
	char id[AUTH_ID_HEX], other[AUTH_ID_HEX], why[256] = "";
	json_t *e, *it, *v;

	busy_account(f, "lea@example.org", "Léa Martin", "candidate", id);
	busy_account(f, "max@example.org", "Max Durand", "candidate", other);
	assert_int_equal(store_policy_ack_insert(f->st, store_conn(f->st), id,
			     "1.0-abc", FX_T0 + 3000),
	    0);
	request_init(&r);
	snprintf(r.org_id, sizeof(r.org_id), "%s", f->org);
	snprintf(r.kind, sizeof(r.kind), "access");
	snprintf(r.subject_account, sizeof(r.subject_account), "%s", id);
	snprintf(r.text[RQ_MESSAGE], sizeof(r.text[RQ_MESSAGE]),
	    "Je veux une copie de mes données.");
	if (request_open(&f->a, id, &r, 1, FX_T0 + 4000, why, sizeof(why)) != 0)
		fail_msg("request_open: %s", why);
	request_clear(&r);
	/* Another person's request is not listed. */
	request_init(&r);
	snprintf(r.org_id, sizeof(r.org_id), "%s", f->org);
	snprintf(r.kind, sizeof(r.kind), "erasure");
	snprintf(r.subject_account, sizeof(r.subject_account), "%s", other);
	snprintf(r.text[RQ_MESSAGE], sizeof(r.text[RQ_MESSAGE]),
	    "Effacez tout.");
	assert_int_equal(request_open(&f->a, other, &r, 1, FX_T0 + 4000, why,
			     sizeof(why)),
	    0);
	request_clear(&r);

	assert_int_equal(rights_export(&f->a, m, id, FX_T0 + 5000, &e), 0);
	it = find_item(e,
	    "Prise de connaissance de la politique de "
	    "confidentialité");
	assert_non_null(it);
	assert_string_equal(json_string_value(json_object_get(it, "category")),
	    "consent_record");
	v = json_object_get(it, "value");
	assert_string_equal(json_string_value(
				json_object_get(v, "policy_version")),
	    "1.0-abc");
	assert_int_equal(json_integer_value(
			     json_object_get(v, "acknowledged_at")),
	    FX_T0 + 3000);
	it = find_item(e, "Demande d'exercice de vos droits");
	assert_non_null(it);
	assert_string_equal(json_string_value(json_object_get(it, "category")),
	    "rights_request");
	v = json_object_get(it, "value");
	assert_string_equal(json_string_value(json_object_get(v, "kind")),
	    "access");
	assert_string_equal(json_string_value(json_object_get(v, "message")),
	    "Je veux une copie de mes données.");
	assert_non_null(json_object_get(it, "retention"));
	{
		char *text = json_dumps(e, JSON_COMPACT);

		assert_non_null(text);
		assert_null(strstr(text, "Effacez tout."));
		free(text);
	}
	json_decref(e);
	datamap_free(m);
}

static void
test_html_escapes(void **state)
{
	struct authfx *f = *state;
	struct datamap *m = load_map();
	char id[AUTH_ID_HEX], pw[ACCOUNT_TEMP_PW_LEN];
	struct buf b;
	json_t *e = NULL;

	authfx_account(f, "x@example.fr",
	    "<script>alert(\"x\")</script> & 'Co'", "candidate", id, pw);
	assert_int_equal(rights_export(&f->a, m, id, FX_T0, &e), 0);
	buf_init(&b, RIGHTS_HTML_MAX);
	assert_int_equal(rights_export_html(e, &b), 0);
	assert_non_null(strstr(b.data,
	    "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; "
	    "&#39;Co&#39;"));
	assert_null(strstr(b.data, "<script"));
	assert_null(strstr(b.data, "style"));
	assert_non_null(strstr(b.data, "<html lang=\"fr\">"));
	assert_non_null(strstr(b.data, "x@example.fr"));
	assert_non_null(strstr(b.data, "Durée de conservation"));
	assert_non_null(strstr(b.data, RIGHTS_SOURCE_ORG));
	buf_free(&b);
	/* A ceiling too small fails instead of cutting. */
	buf_init(&b, 64);
	assert_int_equal(rights_export_html(e, &b), -1);
	buf_free(&b);
	json_decref(e);
	datamap_free(m);
}

struct seen {
	int n, opened;
};

static int
seen_journal(void *arg, const struct journal_entry *e)
{
	struct seen *s = arg;

	s->n++;
	if (e->ip != NULL || e->user_agent != NULL)
		s->opened++;
	return 0;
}

static int
seen_audit(void *arg, const struct audit_row *row)
{
	struct seen *s = arg;

	(void)row;
	s->n++;
	return 0;
}

static int64_t
rows_of(struct authfx *f, const char *table, const char *col, const char *id)
{
	char sql[256];

	snprintf(sql, sizeof(sql), "SELECT 1 FROM %s WHERE %s = '%s'", table,
	    col, id);
	return authfx_rows(f, sql);
}

static void
test_erase(void **state)
{
	struct authfx *f = *state;
	struct datamap *m = load_map();
	const char *tables[][2] = { { "accounts", "id" },
		{ "sessions", "account_id" }, { "account_roles", "account_id" },
		{ "grants", "account_id" },
		{ "recovery_codes", "account_id" } };
	char id[AUTH_ID_HEX], owner[AUTH_OWNER_MAX], why[256] = "";
	struct audit_verify_result vr;
	struct audit_filter af;
	struct seen js, as;
	json_t *out = NULL;
	size_t i;

	busy_account(f, "sam@example.fr", "Sam", "candidate", id);
	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		assert_true(rows_of(f, tables[i][0], tables[i][1], id) > 0);
	assert_int_equal(rights_erase(&f->a, id, id, FX_T0 + 9000, m,
			     "192.0.2.9", &out, why, sizeof(why)),
	    0);
	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		assert_int_equal(rows_of(f, tables[i][0], tables[i][1], id), 0);
	assert_int_equal(auth_subject_owner(id, owner), 0);
	assert_int_equal(keystore_destroyed(f->ks, owner), 1);
	/* What the person is told. */
	assert_string_equal(json_string_value(json_object_get(out, "status")),
	    "erased");
	assert_int_equal(json_integer_value(
			     json_object_get(json_object_get(out, "erased"),
				 "sessions")),
	    1);
	assert_int_equal(json_array_size(json_object_get(out, "kept")), 2);
	assert_int_equal(json_integer_value(
			     json_object_get(json_array_get(json_object_get(out,
								"kept"),
						 0),
				 "entries")),
	    1);
	json_decref(out);
	/* The journal entry stays, its sealed members no longer open. */
	assert_int_equal(rows_of(f, "login_journal", "account_id", id), 1);
	memset(&js, 0, sizeof(js));
	assert_int_equal(journal_list(&f->a, AUTH_PEOPLE_ORG, 0, INT64_MAX, 0,
			     seen_journal, &js),
	    0);
	assert_int_equal(js.n, 1);
	assert_int_equal(js.opened, 0);
	/* The audit entries stay (the erasure among them), the chain holds. */
	memset(&af, 0, sizeof(af));
	af.target_id = id;
	memset(&as, 0, sizeof(as));
	assert_int_equal(store_audit_scan(f->st, &af, seen_audit, &as), 0);
	assert_true(as.n >= 3); /* create, login, grant... */
	af.action = "rights.erase";
	memset(&as, 0, sizeof(as));
	assert_int_equal(store_audit_scan(f->st, &af, seen_audit, &as), 0);
	assert_int_equal(as.n, 1);
	assert_int_equal(audit_verify(f->st, NULL, &vr), 0);
	/* Signing in is over; a second erasure finds nothing. */
	assert_int_equal(rights_erase(&f->a, id, id, FX_T0 + 9500, m, NULL,
			     NULL, why, sizeof(why)),
	    1);
	datamap_free(m);
}

static void
test_last_platform_admin(void **state)
{
	struct authfx *f = *state;
	char org[AUTH_ID_HEX], a1[AUTH_ID_HEX], a2[AUTH_ID_HEX];
	char pw[ACCOUNT_TEMP_PW_LEN], why[256] = "";
	const char *roles[2] = { "platform_admin", NULL };
	struct account_new in = { NULL, "p1@example.fr", "P1", roles };

	assert_int_equal(org_create(&f->a, NULL, "Plateforme", "platform",
			     FX_T0, org, why, sizeof(why)),
	    0);
	in.org_id = org;
	assert_int_equal(account_create(&f->a, NULL, &in, FX_T0, a1, pw, why,
			     sizeof(why)),
	    0);
	assert_int_equal(rights_erase(&f->a, a1, a1, FX_T0, NULL, NULL, NULL,
			     why, sizeof(why)),
	    1);
	assert_non_null(strstr(why, "dernier administrateur"));
	assert_int_equal(rows_of(f, "accounts", "id", a1), 1);
	in.email = "p2@example.fr";
	assert_int_equal(account_create(&f->a, NULL, &in, FX_T0, a2, pw, why,
			     sizeof(why)),
	    0);
	/* A disabled second admin does not count. */
	assert_int_equal(account_deactivate(&f->a, NULL, a2, NULL, FX_T0), 0);
	assert_int_equal(rights_erase(&f->a, a1, a1, FX_T0, NULL, NULL, NULL,
			     why, sizeof(why)),
	    1);
	in.email = "p3@example.fr";
	assert_int_equal(account_create(&f->a, NULL, &in, FX_T0, a2, pw, why,
			     sizeof(why)),
	    0);
	assert_int_equal(rights_erase(&f->a, a1, a1, FX_T0, NULL, NULL, NULL,
			     why, sizeof(why)),
	    0);
	assert_int_equal(rows_of(f, "accounts", "id", a1), 0);
}

static void
test_password_check(void **state)
{
	struct authfx *f = *state;
	char id[AUTH_ID_HEX], pw[ACCOUNT_TEMP_PW_LEN], why[256] = "";
	int i, rc;

	authfx_account(f, "chk@example.fr", "Chk", "candidate", id, pw);
	assert_int_equal(account_password_check(&f->a, id, pw, strlen(pw),
			     "192.0.2.1", FX_T0, why, sizeof(why)),
	    0);
	assert_int_equal(account_password_check(&f->a, id, "faux", 4,
			     "192.0.2.1", FX_T0, why, sizeof(why)),
	    1);
	assert_non_null(strstr(why, "incorrect"));
	/* Throttled like a login: after enough failures, even the right
	 * password is refused unchecked. */
	for (i = 0; i < THROTTLE_DELAY_AFTER; i++)
		(void)account_password_check(&f->a, id, "faux", 4, "192.0.2.1",
		    FX_T0, why, sizeof(why));
	rc = account_password_check(&f->a, id, pw, strlen(pw), "192.0.2.1",
	    FX_T0, why, sizeof(why));
	assert_int_equal(rc, 1);
	assert_non_null(strstr(why, "trop d'essais"));
	assert_int_equal(account_password_check(&f->a, "nobody", pw, strlen(pw),
			     NULL, FX_T0, why, sizeof(why)),
	    1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_export_lists_everything,
		    authfx_setup, authfx_teardown),
		cmocka_unit_test_setup_teardown(test_export_requests_and_acks,
		    authfx_setup, authfx_teardown),
		cmocka_unit_test_setup_teardown(test_html_escapes, authfx_setup,
		    authfx_teardown),
		cmocka_unit_test_setup_teardown(test_erase, authfx_setup,
		    authfx_teardown),
		cmocka_unit_test_setup_teardown(test_last_platform_admin,
		    authfx_setup, authfx_teardown),
		cmocka_unit_test_setup_teardown(test_password_check,
		    authfx_setup, authfx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
