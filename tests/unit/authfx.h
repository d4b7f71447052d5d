/* authfx.h - a fixture for the identity tests: a migrated store, a
 * master key, a keystore and a struct auth, in a temporary directory. */
#ifndef CRENEAU_AUTHFX_H
#define CRENEAU_AUTHFX_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>

#include "auth/account.h"
#include "auth/auth.h"
#include "core/log.h"
#include "store/driver.h"
#include "unit.h"

/* 2030-01-01T00:00:00Z: far from the epoch, on a TOTP step boundary. */
#define FX_T0 1893456000000LL

struct authfx {
	char dir[64], db[128], master[128], keys[128];
	struct store *st;
	struct keyring *kr;
	struct keystore *ks;
	struct data_key audit_key;
	struct auth a;
	char org[AUTH_ID_HEX];
};

static inline int
authfx_setup(void **state)
{
	struct authfx *f = calloc(1, sizeof(*f));
	struct store_config c = { "sqlite", NULL, 5000, STORE_SCHEMA_MAIN };
	char err[256], why[ACCOUNT_WHY_MAX];
	int from, to;

	*state = f;
	log_set_level(LOG_WARN); /* no migration chatter */
	if (f == NULL || sodium_init() < 0 ||
	    unit_tmpdir(f->dir, sizeof(f->dir)) != 0)
		return -1;
	snprintf(f->db, sizeof(f->db), "%s/main.db", f->dir);
	snprintf(f->master, sizeof(f->master), "%s/master.key", f->dir);
	snprintf(f->keys, sizeof(f->keys), "%s/keys.db", f->dir);
	c.path = f->db;
	f->st = store_open(&c, err, sizeof(err));
	if (f->st == NULL ||
	    store_migrate(f->st, &from, &to, err, sizeof(err)) != 0 ||
	    keyring_create(f->master, err, sizeof(err)) != 0 ||
	    keyring_load(f->master, &f->kr, err, sizeof(err)) != 0 ||
	    keystore_open(f->keys, f->kr, 5000, &f->ks, err, sizeof(err)) !=
		0 ||
	    keystore_get(f->ks, "system:audit", 1, &f->audit_key) != 0) {
		fprintf(stderr, "setup: %s\n", err);
		return -1;
	}
	f->a.st = f->st;
	f->a.ks = f->ks;
	f->a.audit_key = &f->audit_key;
	if (org_create(&f->a, NULL, "Auto-école Dupont", "school", FX_T0,
		f->org, why, sizeof(why)) != 0) {
		fprintf(stderr, "setup: %s\n", why);
		return -1;
	}
	return 0;
}

static inline int
authfx_teardown(void **state)
{
	struct authfx *f = *state;

	if (f == NULL)
		return 0;
	store_free(f->st);
	keystore_free(f->ks);
	keyring_free(f->kr);
	unit_rmdir(f->dir);
	sodium_memzero(f, sizeof(*f));
	free(f);
	return 0;
}

/* Creates an account with one role; id and temporary password out. */
static inline void
authfx_account(struct authfx *f, const char *email, const char *name,
    const char *role, char id[AUTH_ID_HEX], char pw[ACCOUNT_TEMP_PW_LEN])
{
	const char *roles[2] = { role, NULL };
	/* The people's roles live in the people's place. */
	struct account_new in = { role_is_person(role) ? AUTH_PEOPLE_ORG
						       : f->org,
		email, name, roles };
	char why[ACCOUNT_WHY_MAX] = "";

	if (account_create(&f->a, NULL, &in, FX_T0, id, pw, why, sizeof(why)) !=
	    0)
		fail_msg("account_create: %s", why);
}

/* Puts a grant row as it may stand in the store (a test's data, not a
 * decision: grant_create decides who may lend what). */
static inline void
authfx_grant_row(struct authfx *f, const char *account, const char *org,
    const char *perm, int64_t created, int64_t expires)
{
	struct store_grant g;

	memset(&g, 0, sizeof(g));
	auth_id_new(g.id);
	snprintf(g.account_id, sizeof(g.account_id), "%s", account);
	snprintf(g.org_id, sizeof(g.org_id), "%s", org);
	snprintf(g.permission, sizeof(g.permission), "%s", perm);
	snprintf(g.granted_by, sizeof(g.granted_by), "%s", "test");
	g.created_at = created;
	g.expires_at = expires;
	if (store_grant_insert(f->st, store_conn(f->st), &g) != 0)
		fail_msg("store_grant_insert failed");
}

/* Counts the rows a SQL query returns as its first column's integer. */
static inline int
authfx_int_row(void *arg, const struct store_row *r)
{
	(void)r;
	(*(int64_t *)arg)++;
	return 0;
}

/* Returns how many rows sql yields. */
static inline int64_t
authfx_rows(struct authfx *f, const char *sql)
{
	int64_t n = 0;

	assert_int_equal(store_drv(f->st)->exec(store_conn(f->st), sql, NULL, 0,
			     authfx_int_row, &n),
	    0);
	return n;
}

#endif
