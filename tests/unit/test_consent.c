/* test_consent.c - the consent ledger and policy acknowledgements. */
#include <string.h>

#include "authfx.h"
#include "gdpr/consent.h"
#include "store/privacy.h"

static const char map_text[] =
    "[controller]\nname = Org\naddress = A\ncontact = c@x\ndpo = d@x\n"
    "[activity:a]\nname = A\npurposes = P\nlegal_basis = 6.1.a\n"
    "data_subjects = S\ndata_categories = c\nrecipients = R\n"
    "processors = H\ntransfers = aucun\nretention = keep\n"
    "security_measures = M\n"
    "[category:c]\nlabel = C\nsensitive = no\nretention = keep\n"
    "[retention:keep]\nlabel = K\nkind = time\nduration = 12 months\n"
    "[consent:optional_emails]\nlabel = Courriels\ndescription = D\n";

static struct datamap *
map(void)
{
	char err[256];
	struct datamap *m =
	    datamap_parse(map_text, strlen(map_text), err, sizeof(err));

	assert_non_null(m);
	return m;
}

static json_t *
purpose0(const json_t *st)
{
	return json_array_get(json_object_get(st, "purposes"), 0);
}

static void
test_give_withdraw(void **state)
{
	struct authfx *f = *state;
	struct datamap *m = map();
	char id[AUTH_ID_HEX], pw[ACCOUNT_TEMP_PW_LEN], why[CONSENT_WHY_MAX];
	json_t *st;
	int changed;

	authfx_account(f, "a@exemple.fr", "Anne", "trainer", id, pw);
	assert_int_equal(consent_active(&f->a, id, "optional_emails", "v1"), 0);
	assert_int_equal(consent_set(&f->a, m, id, f->org, "optional_emails", 1,
			     "web", "v1", FX_T0, NULL, &changed, why,
			     sizeof(why)),
	    0);
	assert_true(changed);
	assert_int_equal(consent_active(&f->a, id, "optional_emails", "v1"), 1);
	/* Giving again under the same text changes nothing. */
	assert_int_equal(consent_set(&f->a, m, id, f->org, "optional_emails", 1,
			     "api", "v1", FX_T0 + 1, NULL, &changed, why,
			     sizeof(why)),
	    0);
	assert_false(changed);
	/* Withdrawing is the same call. */
	assert_int_equal(consent_set(&f->a, m, id, f->org, "optional_emails", 0,
			     "api", "v1", FX_T0 + 2, NULL, &changed, why,
			     sizeof(why)),
	    0);
	assert_true(changed);
	assert_int_equal(consent_active(&f->a, id, "optional_emails", "v1"), 0);
	assert_int_equal(consent_state(&f->a, m, id, "v1", &st), 0);
	assert_false(json_is_true(json_object_get(purpose0(st), "given")));
	assert_int_equal(json_array_size(json_object_get(st, "history")), 1);
	assert_int_equal(json_integer_value(
			     json_object_get(json_array_get(json_object_get(st,
								"history"),
						 0),
				 "withdrawn_at")),
	    FX_T0 + 2);
	json_decref(st);
	assert_int_equal(authfx_rows(f,
			     "SELECT 1 FROM audit_log WHERE action IN "
			     "('consent.give', 'consent.withdraw')"),
	    2);
	/* Unknown purposes and ways are refused, naming the field. */
	assert_int_equal(consent_set(&f->a, m, id, f->org, "ads", 1, "web",
			     "v1", FX_T0, NULL, &changed, why, sizeof(why)),
	    1);
	assert_non_null(strstr(why, "purpose"));
	assert_int_equal(consent_set(&f->a, m, id, f->org, "optional_emails", 1,
			     "fax", "v1", FX_T0, NULL, &changed, why,
			     sizeof(why)),
	    1);
	assert_non_null(strstr(why, "via"));
	datamap_free(m);
}

/* A new policy version: the acknowledgement is pending again and the
 * consent given under the old text needs renewal and no longer counts;
 * renewing closes the old row as "renewed". */
static void
test_new_version(void **state)
{
	struct authfx *f = *state;
	struct datamap *m = map();
	char id[AUTH_ID_HEX], pw[ACCOUNT_TEMP_PW_LEN], why[CONSENT_WHY_MAX];
	json_t *st;
	int changed;

	authfx_account(f, "b@exemple.fr", "Bruno", "trainer", id, pw);
	assert_int_equal(consent_policy_pending(&f->a, id, "v1"), 1);
	assert_int_equal(consent_acknowledge(&f->a, id, f->org, "v0", "v1",
			     FX_T0, NULL, why, sizeof(why)),
	    1);
	assert_non_null(strstr(why, "version"));
	assert_int_equal(consent_acknowledge(&f->a, id, f->org, "v1", "v1",
			     FX_T0, NULL, why, sizeof(why)),
	    0);
	assert_int_equal(consent_policy_pending(&f->a, id, "v1"), 0);
	assert_int_equal(consent_set(&f->a, m, id, f->org, "optional_emails", 1,
			     "web", "v1", FX_T0, NULL, &changed, why,
			     sizeof(why)),
	    0);
	/* The policy changes. */
	assert_int_equal(consent_policy_pending(&f->a, id, "v2"), 1);
	assert_int_equal(consent_active(&f->a, id, "optional_emails", "v2"), 0);
	assert_int_equal(consent_state(&f->a, m, id, "v2", &st), 0);
	assert_false(json_is_true(
	    json_object_get(json_object_get(st, "policy"), "acknowledged")));
	assert_true(json_is_true(json_object_get(purpose0(st), "given")));
	assert_true(
	    json_is_true(json_object_get(purpose0(st), "needs_renewal")));
	assert_false(json_is_true(json_object_get(purpose0(st), "active")));
	json_decref(st);
	assert_int_equal(consent_set(&f->a, m, id, f->org, "optional_emails", 1,
			     "web", "v2", FX_T0 + 5, NULL, &changed, why,
			     sizeof(why)),
	    0);
	assert_true(changed);
	assert_int_equal(consent_active(&f->a, id, "optional_emails", "v2"), 1);
	assert_int_equal(authfx_rows(f,
			     "SELECT 1 FROM consents WHERE withdrawn_via = "
			     "'renewed'"),
	    1);
	/* Under restriction, no consent counts; the ledger is kept. */
	assert_int_equal(store_account_restrict(f->st, store_conn(f->st), id,
			     FX_T0 + 6),
	    0);
	assert_int_equal(consent_active(&f->a, id, "optional_emails", "v2"), 0);
	assert_int_equal(consent_state(&f->a, m, id, "v2", &st), 0);
	assert_true(json_is_true(json_object_get(st, "restricted")));
	assert_false(json_is_true(json_object_get(purpose0(st), "active")));
	json_decref(st);
	datamap_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_give_withdraw,
		    authfx_setup, authfx_teardown),
		cmocka_unit_test_setup_teardown(test_new_version, authfx_setup,
		    authfx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
