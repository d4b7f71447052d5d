/* test_journal.c - src/auth/journal.c: entries sealed under the right
 * key, listing by organisation and time, shredding, the 12-month purge. */
#include "authfx.h"

#include "auth/journal.h"

struct got {
	int n;
	int64_t last_at;
	int ordered;
	int opened;
	char first_event[16];
};

static int
got_fn(void *arg, const struct journal_entry *e)
{
	struct got *g = arg;

	if (g->n == 0)
		snprintf(g->first_event, sizeof(g->first_event), "%s",
		    e->event);
	else if (e->at > g->last_at)
		g->ordered = 0;
	g->last_at = e->at;
	g->n++;
	if (e->ip != NULL && strcmp(e->ip, "192.0.2.77") == 0 &&
	    e->user_agent != NULL && strcmp(e->user_agent, "UA/1") == 0)
		g->opened++;
	return 0;
}

struct rec {
	struct authfx *f;
	const char *account, *org, *event;
	int64_t at;
};

static int
rec_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct rec *r = arg;

	(void)st;
	return journal_record(&r->f->a, c, r->account, r->org, r->event,
	    "192.0.2.77", "UA/1", r->at);
}

static void
rec(struct authfx *f, const char *account, const char *org, const char *event,
    int64_t at)
{
	struct rec r = { f, account, org, event, at };

	assert_int_equal(store_tx(f->st, 1, rec_tx, &r), 0);
}

static void
test_record_and_list(void **state)
{
	struct authfx *f = *state;
	char id[AUTH_ID_HEX], pw[ACCOUNT_TEMP_PW_LEN];
	struct got g;

	authfx_account(f, "j@example.fr", "J", "trainer", id, pw);
	rec(f, id, f->org, JOURNAL_FAILURE, FX_T0 + 1);
	rec(f, id, f->org, JOURNAL_LOGIN, FX_T0 + 2);
	rec(f, NULL, NULL, JOURNAL_FAILURE, FX_T0 + 3);
	rec(f, id, "other-org", JOURNAL_LOGOUT, FX_T0 + 4);
	assert_int_equal(authfx_rows(f,
			     "SELECT id FROM login_journal WHERE key_owner ="
			     " 'system:journal' AND account_id IS NULL"),
	    1);
	assert_int_equal(authfx_rows(f,
			     "SELECT id FROM login_journal WHERE key_owner"
			     " LIKE 'subject:%'"),
	    3);
	memset(&g, 0, sizeof(g));
	g.ordered = 1;
	assert_int_equal(journal_list(&f->a, f->org, 0, INT64_MAX, 0, got_fn,
			     &g),
	    0);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.opened, 2);
	assert_int_equal(g.ordered, 1);
	assert_string_equal(g.first_event, "login"); /* newest first */
	memset(&g, 0, sizeof(g));
	assert_int_equal(journal_list(&f->a, NULL, FX_T0 + 2, FX_T0 + 4, 0,
			     got_fn, &g),
	    0);
	assert_int_equal(g.n, 2);
	memset(&g, 0, sizeof(g));
	assert_int_equal(journal_list(&f->a, NULL, 0, INT64_MAX, 3, got_fn, &g),
	    0);
	assert_int_equal(g.n, 3);
	assert_int_equal(g.opened, 3);
}

static void
test_shredded(void **state)
{
	struct authfx *f = *state;
	char id[AUTH_ID_HEX], pw[ACCOUNT_TEMP_PW_LEN], owner[AUTH_OWNER_MAX];
	struct got g;

	authfx_account(f, "s@example.fr", "S", "trainer", id, pw);
	rec(f, id, f->org, JOURNAL_LOGIN, FX_T0 + 1);
	assert_int_equal(auth_subject_owner(id, owner), 0);
	assert_int_equal(keystore_destroy(f->ks, owner, FX_T0 + 2), 0);
	memset(&g, 0, sizeof(g));
	assert_int_equal(journal_list(&f->a, f->org, 0, INT64_MAX, 0, got_fn,
			     &g),
	    0);
	assert_int_equal(g.n, 1); /* the entry is still there */
	assert_int_equal(g.opened, 0); /* but its IP is gone for good */
}

static void
test_purge(void **state)
{
	struct authfx *f = *state;
	int64_t now = FX_T0 + 400 * AUTH_DAY_MS;

	rec(f, NULL, NULL, JOURNAL_FAILURE, now - 366 * AUTH_DAY_MS);
	rec(f, NULL, NULL, JOURNAL_FAILURE, now - 364 * AUTH_DAY_MS);
	rec(f, NULL, NULL, JOURNAL_FAILURE, now - 1);
	assert_int_equal(journal_purge(&f->a, now), 1);
	assert_int_equal(journal_purge(&f->a, now), 0);
	assert_int_equal(authfx_rows(f, "SELECT id FROM login_journal"), 2);
	/* Ids keep growing after a purge: each sealed field stays bound to
	 * one entry. */
	rec(f, NULL, NULL, JOURNAL_LOGOUT, now);
	assert_int_equal(authfx_rows(f,
			     "SELECT id FROM login_journal WHERE id = 4"),
	    1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_record_and_list,
		    authfx_setup, authfx_teardown),
		cmocka_unit_test_setup_teardown(test_shredded, authfx_setup,
		    authfx_teardown),
		cmocka_unit_test_setup_teardown(test_purge, authfx_setup,
		    authfx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
