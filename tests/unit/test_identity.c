/* test_identity.c - src/store/identity.c: the rows of organisations,
 * accounts, roles, grants, recovery codes, sessions, journal, throttle. */
#include "authfx.h"

static struct store_conn *
conn(struct authfx *f)
{
	return store_conn(f->st);
}

/* Inserts a bare account (fake sealed blobs) named id, email index idx. */
static void
put_account(struct authfx *f, const char *id, const char *idx)
{
	struct store_account a;
	unsigned char e[] = "sealed-email", n[] = "sealed-name";

	memset(&a, 0, sizeof(a));
	snprintf(a.id, sizeof(a.id), "%s", id);
	snprintf(a.org_id, sizeof(a.org_id), "%s", f->org);
	snprintf(a.email_index, sizeof(a.email_index), "%s", idx);
	a.email.p = e;
	a.email.len = sizeof(e);
	a.display_name.p = n;
	a.display_name.len = sizeof(n);
	snprintf(a.password_hash, sizeof(a.password_hash), "$argon2id$x");
	a.password_temporary = 1;
	a.password_changed_at = FX_T0;
	a.created_at = FX_T0;
	assert_int_equal(store_account_insert(f->st, conn(f), &a), 0);
}

static void
test_org(void **state)
{
	struct authfx *f = *state;
	struct store_org o = { "org-x", "École", "school", 5 }, r;

	assert_int_equal(store_org_insert(f->st, conn(f), &o), 0);
	assert_int_equal(store_org_insert(f->st, conn(f), &o), -1);
	assert_int_equal(store_org_get(f->st, conn(f), "org-x", &r), 0);
	assert_string_equal(r.name, "École");
	assert_string_equal(r.kind, "school");
	assert_int_equal(r.created_at, 5);
	assert_int_equal(store_org_get(f->st, conn(f), "none", &r), 1);
	snprintf(o.id, sizeof(o.id), "org-y");
	snprintf(o.kind, sizeof(o.kind), "castle");
	assert_int_equal(store_org_insert(f->st, conn(f), &o), -1);
}

static void
test_account(void **state)
{
	struct authfx *f = *state;
	struct store_account a;
	unsigned char s[] = "sealed-secret";

	put_account(f, "acc1", "idx1");
	put_account(f, "acc2", "idx2");
	assert_int_equal(store_account_get(f->st, conn(f), "acc1", &a), 0);
	assert_string_equal(a.email_index, "idx1");
	assert_int_equal(a.email.len, sizeof("sealed-email"));
	assert_memory_equal(a.email.p, "sealed-email", a.email.len);
	assert_null(a.totp_secret.p);
	assert_null(a.totp_pending.p);
	assert_int_equal(a.password_temporary, 1);
	assert_int_equal(a.disabled, 0);
	assert_int_equal(a.last_login_at, 0);
	store_account_clear(&a);
	assert_int_equal(store_account_by_email(f->st, conn(f), "idx2", &a), 0);
	assert_string_equal(a.id, "acc2");
	store_account_clear(&a);
	assert_int_equal(store_account_by_email(f->st, conn(f), "x", &a), 1);
	assert_int_equal(store_account_get(f->st, conn(f), "x", &a), 1);
	store_account_clear(NULL);

	assert_int_equal(store_account_set_password(f->st, conn(f), "acc1",
			     "$argon2id$y", 0, 77),
	    0);
	assert_int_equal(store_account_set_password(f->st, conn(f), "none", "h",
			     0, 77),
	    1);
	assert_int_equal(store_account_set_totp_pending(f->st, conn(f), "acc1",
			     s, sizeof(s)),
	    0);
	assert_int_equal(store_account_set_status(f->st, conn(f), "acc1", 1),
	    0);
	assert_int_equal(store_account_set_last_login(f->st, conn(f), "acc1",
			     99),
	    0);
	assert_int_equal(store_account_get(f->st, conn(f), "acc1", &a), 0);
	assert_string_equal(a.password_hash, "$argon2id$y");
	assert_int_equal(a.password_temporary, 0);
	assert_int_equal(a.password_changed_at, 77);
	assert_non_null(a.totp_pending.p);
	assert_int_equal(a.disabled, 1);
	assert_int_equal(a.last_login_at, 99);
	store_account_clear(&a);
	/* Setting the secret clears the pending one. */
	assert_int_equal(store_account_set_totp(f->st, conn(f), "acc1", s,
			     sizeof(s), 100),
	    0);
	assert_int_equal(store_account_get(f->st, conn(f), "acc1", &a), 0);
	assert_non_null(a.totp_secret.p);
	assert_null(a.totp_pending.p);
	assert_int_equal(a.totp_last_step, 100);
	store_account_clear(&a);
	assert_int_equal(store_account_set_totp(f->st, conn(f), "acc1", NULL, 0,
			     100),
	    0);
	assert_int_equal(store_account_get(f->st, conn(f), "acc1", &a), 0);
	assert_null(a.totp_secret.p);
	store_account_clear(&a);
}

static void
test_duplicate_index(void **state)
{
	struct authfx *f = *state;
	struct store_account a;
	unsigned char e[] = "x";

	put_account(f, "acc1", "same");
	memset(&a, 0, sizeof(a));
	snprintf(a.id, sizeof(a.id), "acc2");
	snprintf(a.org_id, sizeof(a.org_id), "%s", f->org);
	snprintf(a.email_index, sizeof(a.email_index), "same");
	a.email.p = a.display_name.p = e;
	a.email.len = a.display_name.len = 1;
	assert_int_equal(store_account_insert(f->st, conn(f), &a), -1);
}

static void
test_totp_advance(void **state)
{
	struct authfx *f = *state;

	put_account(f, "acc1", "idx1");
	assert_int_equal(store_account_advance_totp(f->st, conn(f), "acc1", 50),
	    1);
	assert_int_equal(store_account_advance_totp(f->st, conn(f), "acc1", 50),
	    0); /* replay */
	assert_int_equal(store_account_advance_totp(f->st, conn(f), "acc1", 49),
	    0);
	assert_int_equal(store_account_advance_totp(f->st, conn(f), "acc1", 51),
	    1);
	assert_int_equal(store_account_advance_totp(f->st, conn(f), "none", 99),
	    0);
}

static void
test_roles(void **state)
{
	struct authfx *f = *state;
	struct store_role r[4];
	struct store_org o = { "org-b", "B", "school", 1 };

	put_account(f, "acc1", "idx1");
	assert_int_equal(store_org_insert(f->st, conn(f), &o), 0);
	assert_int_equal(store_role_add(f->st, conn(f), "acc1", f->org,
			     "trainer"),
	    0);
	assert_int_equal(store_role_add(f->st, conn(f), "acc1", f->org,
			     "trainer"),
	    0); /* twice is fine */
	assert_int_equal(store_role_add(f->st, conn(f), "acc1", f->org,
			     "school_manager"),
	    0);
	assert_int_equal(store_role_add(f->st, conn(f), "acc1", "org-b", "dpo"),
	    0);
	assert_int_equal(store_role_list(f->st, conn(f), "acc1", NULL, r, 4),
	    3);
	assert_int_equal(store_role_list(f->st, conn(f), "acc1", f->org, r, 4),
	    2);
	assert_string_equal(r[0].role, "school_manager");
	assert_string_equal(r[1].role, "trainer");
	assert_int_equal(store_role_list(f->st, conn(f), "acc1", NULL, r, 1),
	    3); /* counts past max */
	assert_int_equal(store_role_remove(f->st, conn(f), "acc1", f->org,
			     "trainer"),
	    0);
	assert_int_equal(store_role_remove(f->st, conn(f), "acc1", f->org,
			     "trainer"),
	    1);
	assert_int_equal(store_role_list(f->st, conn(f), "acc1", f->org, r, 4),
	    1);
}

static void
test_grants(void **state)
{
	struct authfx *f = *state;
	struct store_grant g, out[4];

	put_account(f, "acc1", "idx1");
	memset(&g, 0, sizeof(g));
	snprintf(g.account_id, sizeof(g.account_id), "acc1");
	snprintf(g.org_id, sizeof(g.org_id), "%s", f->org);
	snprintf(g.permission, sizeof(g.permission), "booking.validate");
	snprintf(g.granted_by, sizeof(g.granted_by), "admin");
	g.created_at = 10;
	snprintf(g.id, sizeof(g.id), "g1");
	g.expires_at = 100;
	assert_int_equal(store_grant_insert(f->st, conn(f), &g), 0);
	snprintf(g.id, sizeof(g.id), "g2");
	g.expires_at = 200;
	assert_int_equal(store_grant_insert(f->st, conn(f), &g), 0);
	assert_int_equal(store_grant_list_active(f->st, conn(f), "acc1", 50,
			     out, 4),
	    2);
	assert_string_equal(out[0].id, "g1");
	assert_string_equal(out[0].permission, "booking.validate");
	/* Valid until expires_at, excluded. */
	assert_int_equal(store_grant_list_active(f->st, conn(f), "acc1", 100,
			     out, 4),
	    1);
	assert_string_equal(out[0].id, "g2");
	assert_int_equal(store_grant_delete_expired(f->st, conn(f), 100), 1);
	assert_int_equal(store_grant_delete_expired(f->st, conn(f), 100), 0);
	assert_int_equal(store_grant_list_active(f->st, conn(f), "acc1", 0, out,
			     4),
	    1);
}

static void
test_recovery(void **state)
{
	struct authfx *f = *state;
	char h[4][STORE_PWHASH_MAX];

	put_account(f, "acc1", "idx1");
	assert_int_equal(store_recovery_insert(f->st, conn(f), "acc1", "h1"),
	    0);
	assert_int_equal(store_recovery_insert(f->st, conn(f), "acc1", "h2"),
	    0);
	assert_int_equal(store_recovery_list_unused(f->st, conn(f), "acc1", h,
			     4),
	    2);
	assert_int_equal(store_recovery_consume(f->st, conn(f), "acc1", "h1",
			     5),
	    1);
	assert_int_equal(store_recovery_consume(f->st, conn(f), "acc1", "h1",
			     6),
	    0);
	assert_int_equal(store_recovery_consume(f->st, conn(f), "acc1", "hx",
			     6),
	    0);
	assert_int_equal(store_recovery_list_unused(f->st, conn(f), "acc1", h,
			     4),
	    1);
	assert_string_equal(h[0], "h2");
	assert_int_equal(store_recovery_delete_all(f->st, conn(f), "acc1"), 0);
	assert_int_equal(store_recovery_list_unused(f->st, conn(f), "acc1", h,
			     4),
	    0);
}

static int
count_sessions(void *arg, const struct store_session *s)
{
	(void)s;
	(*(int *)arg)++;
	return 0;
}

static void
test_sessions(void **state)
{
	struct authfx *f = *state;
	struct store_session s, r;
	unsigned char ua[] = "sealed-ua";
	int n = 0, i;

	put_account(f, "acc1", "idx1");
	for (i = 0; i < 3; i++) {
		memset(&s, 0, sizeof(s));
		memset(s.id_hash, 'a' + i, sizeof(s.id_hash));
		memset(s.csrf_hash, 'z', sizeof(s.csrf_hash));
		snprintf(s.account_id, sizeof(s.account_id), "acc1");
		s.created_at = s.last_seen_at = 10 + i;
		s.expires_at = 1000;
		s.idle_ms = 300;
		s.public_computer = i == 1;
		s.user_agent.p = i == 0 ? ua : NULL;
		s.user_agent.len = i == 0 ? sizeof(ua) : 0;
		assert_int_equal(store_session_insert(f->st, conn(f), &s), 0);
	}
	memset(s.id_hash, 'a', sizeof(s.id_hash));
	assert_int_equal(store_session_get(f->st, conn(f), s.id_hash, &r), 0);
	assert_string_equal(r.account_id, "acc1");
	assert_int_equal(r.idle_ms, 300);
	assert_int_equal(r.user_agent.len, sizeof(ua));
	assert_int_equal(r.mfa_done, 0);
	store_session_clear(&r);
	assert_int_equal(store_session_touch(f->st, conn(f), s.id_hash, 50), 0);
	assert_int_equal(store_session_set_mfa_done(f->st, conn(f), s.id_hash),
	    0);
	assert_int_equal(store_session_get(f->st, conn(f), s.id_hash, &r), 0);
	assert_int_equal(r.last_seen_at, 50);
	assert_int_equal(r.mfa_done, 1);
	store_session_clear(&r);
	assert_int_equal(store_session_list(f->st, conn(f), "acc1",
			     count_sessions, &n),
	    0);
	assert_int_equal(n, 3);
	/* All but one. */
	assert_int_equal(store_session_delete_account(f->st, conn(f), "acc1",
			     s.id_hash),
	    2);
	assert_int_equal(store_session_delete(f->st, conn(f), s.id_hash), 0);
	assert_int_equal(store_session_delete(f->st, conn(f), s.id_hash), 1);
	assert_int_equal(store_session_get(f->st, conn(f), s.id_hash, &r), 1);
	assert_int_equal(store_session_touch(f->st, conn(f), s.id_hash, 60), 1);
}

static int
journal_fn(void *arg, const struct store_journal *j)
{
	int *n = arg;

	(*n)++;
	return j->id == 2; /* stop after the entry with id 2 */
}

static void
test_journal(void **state)
{
	struct authfx *f = *state;
	struct store_journal j;
	int64_t id;
	int n = 0, i;

	for (i = 0; i < 3; i++) {
		memset(&j, 0, sizeof(j));
		assert_int_equal(store_journal_next_id(f->st, conn(f), &id), 0);
		assert_int_equal(id, i + 1);
		j.id = id;
		j.at = 100 * (i + 1);
		snprintf(j.event, sizeof(j.event), "failure");
		snprintf(j.key_owner, sizeof(j.key_owner), "system:journal");
		snprintf(j.org_id, sizeof(j.org_id), "%s", i ? f->org : "");
		assert_int_equal(store_journal_insert(f->st, conn(f), &j), 0);
	}
	assert_int_equal(store_journal_list(f->st, conn(f), NULL, 0, 1000, 0,
			     journal_fn, &n),
	    0);
	assert_int_equal(n, 2); /* 3, then 2: stopped */
	n = 0;
	assert_int_equal(store_journal_list(f->st, conn(f), f->org, 0, 300, 0,
			     journal_fn, &n),
	    0);
	assert_int_equal(n, 1);
	assert_int_equal(store_journal_delete_before(f->st, conn(f), 200), 1);
	assert_int_equal(authfx_rows(f, "SELECT id FROM login_journal"), 2);
	/* An event outside the list is refused. */
	j.id = 9;
	snprintf(j.event, sizeof(j.event), "hack");
	assert_int_equal(store_journal_insert(f->st, conn(f), &j), -1);
}

static void
test_throttle_rows(void **state)
{
	struct authfx *f = *state;
	struct store_throttle t = { 1, 2, 3, 4, 5 }, r;

	assert_int_equal(store_throttle_get(f->st, conn(f), "k", &r), 1);
	assert_int_equal(r.failures, 0);
	assert_int_equal(store_throttle_put(f->st, conn(f), "k", &t), 0);
	t.failures = 9;
	assert_int_equal(store_throttle_put(f->st, conn(f), "k", &t), 0);
	assert_int_equal(store_throttle_get(f->st, conn(f), "k", &r), 0);
	assert_int_equal(r.failures, 9);
	assert_int_equal(r.day_failures, 2);
	assert_int_equal(r.day_start, 3);
	assert_int_equal(r.last_failure_at, 4);
	assert_int_equal(r.locked_until, 5);
	assert_int_equal(store_throttle_purge(f->st, conn(f), 4, 5), 0);
	assert_int_equal(store_throttle_purge(f->st, conn(f), 5, 5), 1);
	assert_int_equal(store_throttle_put(f->st, conn(f), "k", &t), 0);
	assert_int_equal(store_throttle_reset(f->st, conn(f), "k"), 0);
	assert_int_equal(store_throttle_get(f->st, conn(f), "k", &r), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_org, authfx_setup,
		    authfx_teardown),
		cmocka_unit_test_setup_teardown(test_account, authfx_setup,
		    authfx_teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_index,
		    authfx_setup, authfx_teardown),
		cmocka_unit_test_setup_teardown(test_totp_advance, authfx_setup,
		    authfx_teardown),
		cmocka_unit_test_setup_teardown(test_roles, authfx_setup,
		    authfx_teardown),
		cmocka_unit_test_setup_teardown(test_grants, authfx_setup,
		    authfx_teardown),
		cmocka_unit_test_setup_teardown(test_recovery, authfx_setup,
		    authfx_teardown),
		cmocka_unit_test_setup_teardown(test_sessions, authfx_setup,
		    authfx_teardown),
		cmocka_unit_test_setup_teardown(test_journal, authfx_setup,
		    authfx_teardown),
		cmocka_unit_test_setup_teardown(test_throttle_rows,
		    authfx_setup, authfx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
