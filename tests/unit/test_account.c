/* test_account.c - src/auth/account.c: creation, validation, duplicate
 * emails, password change and reset, admin renewal, deactivation. */
#include "authfx.h"

#include "auth/login.h"
#include "auth/password.h"
#include "auth/session.h"

#define NEWPW "quatre chevaux bleus dansent la gigue"

static int
create(struct authfx *f, const char *email, const char *name, const char *role,
    char id[AUTH_ID_HEX], char pw[ACCOUNT_TEMP_PW_LEN],
    char why[ACCOUNT_WHY_MAX])
{
	const char *roles[2] = { role, NULL };
	struct account_new in = { role_is_person(role) ? AUTH_PEOPLE_ORG
						       : f->org,
		email, name, roles };

	why[0] = '\0';
	return account_create(&f->a, "actor-1", &in, FX_T0, id, pw, why,
	    ACCOUNT_WHY_MAX);
}

/* Candidates and users live in the people's place; staff never do; no
 * account holds roles that the separation of duties keeps apart. */
static void
test_place_and_separation(void **state)
{
	struct authfx *f = *state;
	char id[AUTH_ID_HEX], pw[ACCOUNT_TEMP_PW_LEN], why[ACCOUNT_WHY_MAX];
	const char *cand[] = { "candidate", NULL };
	const char *user[] = { "user", NULL };
	const char *admin[] = { "school_admin", NULL };
	const char *dpo[] = { "dpo", NULL };
	const char *both[] = { "school_admin", "dpo", NULL };
	struct account_new in = { f->org, "p@example.fr", "P", cand };

	(void)state;
	assert_int_equal(account_create(&f->a, NULL, &in, FX_T0, id, pw, why,
			     sizeof(why)),
	    1);
	assert_non_null(strstr(why, "espace des personnes"));
	in.roles = user;
	assert_int_equal(account_create(&f->a, NULL, &in, FX_T0, id, pw, why,
			     sizeof(why)),
	    1);
	in.org_id = AUTH_PEOPLE_ORG;
	in.roles = admin;
	assert_int_equal(account_create(&f->a, NULL, &in, FX_T0, id, pw, why,
			     sizeof(why)),
	    1);
	assert_non_null(strstr(why, "roles"));
	in.org_id = f->org;
	in.roles = both;
	assert_int_equal(account_create(&f->a, NULL, &in, FX_T0, id, pw, why,
			     sizeof(why)),
	    1);
	assert_non_null(strstr(why, "séparation des tâches"));
	in.org_id = AUTH_PEOPLE_ORG;
	in.roles = cand;
	assert_int_equal(account_create(&f->a, NULL, &in, FX_T0, id, pw, why,
			     sizeof(why)),
	    0);
	in.email = "d@example.fr";
	in.roles = dpo;
	assert_int_equal(account_create(&f->a, NULL, &in, FX_T0, id, pw, why,
			     sizeof(why)),
	    0);
}

static void
test_no_default_account(void **state)
{
	struct authfx *f = *state;

	assert_int_equal(authfx_rows(f, "SELECT id FROM accounts"), 0);
}

static void
test_create(void **state)
{
	struct authfx *f = *state;
	char id[AUTH_ID_HEX], pw[ACCOUNT_TEMP_PW_LEN], why[ACCOUNT_WHY_MAX];
	struct account_info info;
	struct store_role roles[4];
	size_t i;

	assert_int_equal(create(f, "  Lea.Petit@Example.fr ", "Léa Petit",
			     "school_admin", id, pw, why),
	    0);
	assert_int_equal(strlen(id), 32);
	/* XXXXX-XXXXX-XXXXX-XXXXX from the unambiguous alphabet. */
	assert_int_equal(strlen(pw), ACCOUNT_TEMP_PW_LEN - 1);
	for (i = 0; i < strlen(pw); i++) {
		if (i % 6 == 5)
			assert_int_equal(pw[i], '-');
		else
			assert_non_null(
			    strchr("23456789ABCDEFGHJKLMNPQRSTUVWXYZ", pw[i]));
	}
	assert_int_equal(account_read(&f->a, id, &info), 0);
	assert_string_equal(info.email, "Lea.Petit@Example.fr");
	assert_string_equal(info.display_name, "Léa Petit");
	assert_string_equal(info.org_id, f->org);
	assert_int_equal(info.password_temporary, 1);
	assert_int_equal(info.disabled, 0);
	assert_int_equal(info.totp_enabled, 0);
	account_info_clear(&info);
	assert_int_equal(store_role_list(f->st, store_conn(f->st), id, NULL,
			     roles, 4),
	    1);
	assert_string_equal(roles[0].role, "school_admin");
	assert_int_equal(authfx_rows(f,
			     "SELECT seq FROM audit_log WHERE action ="
			     " 'account.create' AND actor = 'actor-1'"
			     " AND target_type = 'account'"),
	    1);
	assert_int_equal(account_read(&f->a, "nope", &info), 1);
}

static void
test_duplicate_email(void **state)
{
	struct authfx *f = *state;
	char id[AUTH_ID_HEX], id2[AUTH_ID_HEX], pw[ACCOUNT_TEMP_PW_LEN];
	char why[ACCOUNT_WHY_MAX];

	assert_int_equal(create(f, "dup@example.fr", "Un", "trainer", id, pw,
			     why),
	    0);
	assert_int_equal(create(f, " DUP@example.FR", "Deux", "trainer", id2,
			     pw, why),
	    1);
	assert_non_null(strstr(why, "email"));
	assert_non_null(strstr(why, "existe déjà"));
	assert_string_equal(id2, "");
	assert_string_equal(pw, "");
	assert_int_equal(authfx_rows(f, "SELECT id FROM accounts"), 1);
}

static void
test_validation(void **state)
{
	static const struct {
		const char *email, *name, *role, *field;
	} bad[] = {
		{ "", "Nom", "trainer", "email" },
		{ "pas-d-arobase.fr", "Nom", "trainer", "email" },
		{ "a@b@example.fr", "Nom", "trainer", "email" },
		{ "a b@example.fr", "Nom", "trainer", "email" },
		{ "a\x01@example.fr", "Nom", "trainer", "email" },
		{ "@example.fr", "Nom", "trainer", "email" },
		{ "a@localhost", "Nom", "trainer", "email" },
		{ "a@example..fr", "Nom", "trainer", "email" },
		{ "a\xff@example.fr", "Nom", "trainer", "email" },
		{ "ok@example.fr", "", "trainer", "display_name" },
		{ "ok@example.fr", "   ", "trainer", "display_name" },
		{ "ok@example.fr", "Nom\nAutre", "trainer", "display_name" },
		{ "ok@example.fr", "Nom\xc2\x85", "trainer", "display_name" },
		{ "ok@example.fr", "Nom\xc3", "trainer", "display_name" },
		{ "ok@example.fr", "Nom", "wizard", "roles" },
		{ "ok@example.fr", "Nom", NULL, "roles" },
	};
	struct authfx *f = *state;
	char id[AUTH_ID_HEX], pw[ACCOUNT_TEMP_PW_LEN], why[ACCOUNT_WHY_MAX];
	char longname[ACCOUNT_NAME_MAX + 2], longemail[300];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (create(f, bad[i].email, bad[i].name, bad[i].role, id, pw,
			why) != 1 ||
		    strncmp(why, bad[i].field, strlen(bad[i].field)) != 0)
			fail_msg("case %zu: %s", i, why);
	}
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	assert_int_equal(create(f, "ok@example.fr", longname, "trainer", id, pw,
			     why),
	    1);
	assert_non_null(strstr(why, "200"));
	longname[ACCOUNT_NAME_MAX] = '\0'; /* exactly 200 bytes */
	assert_int_equal(create(f, "ok@example.fr", longname, "trainer", id, pw,
			     why),
	    0);
	memset(longemail, 'a', sizeof(longemail) - 1);
	longemail[sizeof(longemail) - 1] = '\0';
	memcpy(longemail + 250, "@example.fr", 12);
	assert_int_equal(create(f, longemail, "Nom", "trainer", id, pw, why),
	    1);
	assert_non_null(strstr(why, "email"));
	assert_int_equal(authfx_rows(f, "SELECT id FROM accounts"), 1);
}

static void
test_unknown_org(void **state)
{
	struct authfx *f = *state;
	const char *roles[2] = { "trainer", NULL };
	struct account_new in = { "no-such-org", "x@example.fr", "X", roles };
	char id[AUTH_ID_HEX], pw[ACCOUNT_TEMP_PW_LEN], why[ACCOUNT_WHY_MAX];

	assert_int_equal(account_create(&f->a, NULL, &in, FX_T0, id, pw, why,
			     sizeof(why)),
	    1);
	assert_non_null(strstr(why, "org_id"));
}

static void
login(struct authfx *f, const char *email, const char *pw, int64_t now,
    struct session_tokens *t)
{
	struct auth_login_request req = { email, pw, strlen(pw), NULL, NULL,
		0 };
	struct auth_login_result res;

	assert_int_equal(auth_login(&f->a, &req, now, &res), 0);
	assert_int_equal(res.status, AUTH_LOGIN_OK);
	*t = res.tokens;
	auth_login_result_clear(&res);
}

static void
test_password_change(void **state)
{
	struct authfx *f = *state;
	char id[AUTH_ID_HEX], pw[ACCOUNT_TEMP_PW_LEN], why[ACCOUNT_WHY_MAX];
	struct session_tokens t1, t2;
	struct session_info info;
	int64_t now = FX_T0 + 1000;

	/* Staff: the school's name is a context word of the check. */
	assert_int_equal(create(f, "marc.durand@example.fr", "Marc Durand",
			     "school_manager", id, pw, why),
	    0);
	login(f, "marc.durand@example.fr", pw, now, &t1);
	login(f, "marc.durand@example.fr", pw, now, &t2);
	assert_int_equal(session_check(&f->a, t2.id, now, &info), 0);
	/* Wrong current password. */
	assert_int_equal(account_password_change(&f->a, id, "wrong", 5, NEWPW,
			     strlen(NEWPW), info.id_hash, NULL, now, why,
			     sizeof(why)),
	    1);
	assert_non_null(strstr(why, "current_password"));
	/* Too weak, or made of the person's name or school. */
	assert_int_equal(account_password_change(&f->a, id, pw, strlen(pw),
			     "durand durand 2024", 18, info.id_hash, NULL, now,
			     why, sizeof(why)),
	    1);
	assert_int_equal(account_password_change(&f->a, id, pw, strlen(pw),
			     "Dupont toujours et encore!", 26, info.id_hash,
			     NULL, now, why, sizeof(why)),
	    1);
	assert_int_equal(account_password_change(&f->a, id, pw, strlen(pw),
			     NEWPW, strlen(NEWPW), info.id_hash, NULL, now, why,
			     sizeof(why)),
	    0);
	/* The other session ended, this one lives on; no longer temporary. */
	assert_int_equal(session_check(&f->a, t1.id, now, &info), 1);
	assert_int_equal(session_check(&f->a, t2.id, now, &info), 0);
	assert_int_equal(info.password_temporary, 0);
	login(f, "marc.durand@example.fr", NEWPW, now, &t1);
	assert_int_equal(authfx_rows(f,
			     "SELECT seq FROM audit_log WHERE action ="
			     " 'account.password.change' AND outcome ="
			     " 'success'"),
	    1);
	assert_int_equal(authfx_rows(f,
			     "SELECT seq FROM audit_log WHERE action ="
			     " 'account.password.change' AND outcome ="
			     " 'failure'"),
	    1);
}

static void
test_password_reset(void **state)
{
	struct authfx *f = *state;
	char id[AUTH_ID_HEX], pw[ACCOUNT_TEMP_PW_LEN], pw2[ACCOUNT_TEMP_PW_LEN];
	char why[ACCOUNT_WHY_MAX];
	struct session_tokens t;
	struct session_info info;

	assert_int_equal(create(f, "r@example.fr", "R", "candidate", id, pw,
			     why),
	    0);
	login(f, "r@example.fr", pw, FX_T0, &t);
	assert_int_equal(account_password_reset(&f->a, "admin-1", id, FX_T0,
			     pw2),
	    0);
	assert_string_not_equal(pw, pw2);
	assert_int_equal(session_check(&f->a, t.id, FX_T0, &info), 1);
	login(f, "r@example.fr", pw2, FX_T0, &t);
	assert_int_equal(session_check(&f->a, t.id, FX_T0, &info), 0);
	assert_int_equal(info.password_temporary, 1);
	assert_int_equal(account_password_reset(&f->a, "admin-1", "nope", FX_T0,
			     pw2),
	    1);
}

static void
test_admin_password_expires(void **state)
{
	struct store_account acc;
	struct store_role admin = { "org", "school_admin" };
	struct store_role staff = { "org", "school_manager" };
	struct store_role both[2] = { { "org", "school_manager" },
		{ "org2", "dpo" } };
	int64_t day = AUTH_DAY_MS;

	(void)state;
	memset(&acc, 0, sizeof(acc));
	acc.password_changed_at = FX_T0;
	assert_int_equal(account_password_expired(&acc, &admin, 1, 0,
			     FX_T0 + 183 * day),
	    0);
	assert_int_equal(account_password_expired(&acc, &admin, 1, 0,
			     FX_T0 + 183 * day + 1),
	    1);
	/* The organisation renews sooner, never later. */
	assert_int_equal(account_password_expired(&acc, &admin, 1, 90,
			     FX_T0 + 91 * day),
	    1);
	assert_int_equal(account_password_expired(&acc, &admin, 1, 90,
			     FX_T0 + 89 * day),
	    0);
	assert_int_equal(account_password_expired(&acc, &admin, 1, 400,
			     FX_T0 + 184 * day),
	    1);
	assert_int_equal(account_password_expired(&acc, &staff, 1, 0,
			     FX_T0 + 400 * day),
	    0);
	assert_int_equal(account_password_expired(&acc, both, 2, 0,
			     FX_T0 + 200 * day),
	    1);
	assert_int_equal(role_is_admin("platform_admin"), 1);
	assert_int_equal(role_is_admin("trainer"), 0);
}

static void
test_expired_shown_at_login(void **state)
{
	struct authfx *f = *state;
	char id[AUTH_ID_HEX], pw[ACCOUNT_TEMP_PW_LEN], why[ACCOUNT_WHY_MAX];
	struct auth_login_request req = { "adm@example.fr", NULL, 0, NULL, NULL,
		0 };
	struct auth_login_result res;

	assert_int_equal(create(f, "adm@example.fr", "Adm", "platform_admin",
			     id, pw, why),
	    0);
	req.password = pw;
	req.password_len = strlen(pw);
	assert_int_equal(auth_login(&f->a, &req, FX_T0 + 200 * AUTH_DAY_MS,
			     &res),
	    0);
	assert_int_equal(res.status, AUTH_LOGIN_OK);
	assert_int_equal(res.password_expired, 1);
	auth_login_result_clear(&res);
}

static void
test_deactivate(void **state)
{
	struct authfx *f = *state;
	char id[AUTH_ID_HEX], pw[ACCOUNT_TEMP_PW_LEN], why[ACCOUNT_WHY_MAX];
	struct account_info info;

	assert_int_equal(create(f, "d@example.fr", "D", "trainer", id, pw, why),
	    0);
	assert_int_equal(account_deactivate(&f->a, "actor-1", id, "192.0.2.1",
			     FX_T0),
	    0);
	assert_int_equal(account_read(&f->a, id, &info), 0);
	assert_int_equal(info.disabled, 1);
	account_info_clear(&info);
	assert_int_equal(account_deactivate(&f->a, "actor-1", "nope", NULL,
			     FX_T0),
	    1);
}

static void
test_org_create(void **state)
{
	struct authfx *f = *state;
	char id[AUTH_ID_HEX], why[ACCOUNT_WHY_MAX];
	struct store_org o;

	assert_int_equal(org_create(&f->a, NULL, "Préfecture", "authority",
			     FX_T0, id, why, sizeof(why)),
	    0);
	assert_int_equal(store_org_get(f->st, store_conn(f->st), id, &o), 0);
	assert_string_equal(o.name, "Préfecture");
	assert_int_equal(org_create(&f->a, NULL, "X", "castle", FX_T0, id, why,
			     sizeof(why)),
	    1);
	assert_non_null(strstr(why, "kind"));
	assert_int_equal(org_create(&f->a, NULL, "", "school", FX_T0, id, why,
			     sizeof(why)),
	    1);
	assert_non_null(strstr(why, "name"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_place_and_separation,
		    authfx_setup, authfx_teardown),
		cmocka_unit_test_setup_teardown(test_no_default_account,
		    authfx_setup, authfx_teardown),
		cmocka_unit_test_setup_teardown(test_create, authfx_setup,
		    authfx_teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_email,
		    authfx_setup, authfx_teardown),
		cmocka_unit_test_setup_teardown(test_validation, authfx_setup,
		    authfx_teardown),
		cmocka_unit_test_setup_teardown(test_unknown_org, authfx_setup,
		    authfx_teardown),
		cmocka_unit_test_setup_teardown(test_password_change,
		    authfx_setup, authfx_teardown),
		cmocka_unit_test_setup_teardown(test_password_reset,
		    authfx_setup, authfx_teardown),
		cmocka_unit_test(test_admin_password_expires),
		cmocka_unit_test_setup_teardown(test_expired_shown_at_login,
		    authfx_setup, authfx_teardown),
		cmocka_unit_test_setup_teardown(test_deactivate, authfx_setup,
		    authfx_teardown),
		cmocka_unit_test_setup_teardown(test_org_create, authfx_setup,
		    authfx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
