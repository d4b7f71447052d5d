/*
 * migrate.c - versioned schema migrations.
 *
 * Each migration runs in its own write transaction together with the row
 * that records it, so a crash leaves the schema at a known version. The
 * version is read again inside the transaction: two processes migrating at
 * once apply each step exactly once. On PostgreSQL the runner also holds a
 * session advisory lock for the whole run, so instances starting together
 * wait for the first one's migration instead of failing on its DDL.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/clock.h"
#include "core/log.h"
#include "store/driver.h"

static const char create_table[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " applied_at TEXT NOT NULL)";

/* The migration list of st's schema. */
static const struct store_migration *
migrations_of(const struct store *st, size_t *n)
{
	if (store_schema_of(st) == STORE_SCHEMA_KEYS) {
		*n = store_key_migrations_count;
		return store_key_migrations;
	}
	*n = store_migrations_count;
	return store_migrations;
}

int
store_schema_latest(void)
{
	return store_migrations[store_migrations_count - 1].version;
}

int
store_schema_latest_of(const struct store *st)
{
	size_t n;
	const struct store_migration *m = migrations_of(st, &n);

	return m[n - 1].version;
}

static int
version_row(void *arg, const struct store_row *r)
{
	(void)r;
	*(int *)arg = 1;
	return 1;
}

struct max {
	const struct store_driver *d;
	int v;
};

static int
max_row(void *arg, const struct store_row *r)
{
	struct max *m = arg;

	m->v = (int)m->d->row_int(r, 0);
	return 1;
}

static int
read_version(struct store *st, struct store_conn *c, int *version)
{
	const struct store_driver *d = store_drv(st);
	int exists = 0;
	struct max m = { d, 0 };

	*version = 0;
	if (d->dialect == DIALECT_SQLITE) {
		if (d->exec(c,
			"SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
			"name = 'schema_migrations'",
			NULL, 0, version_row, &exists) != 0)
			return -1;
		if (!exists)
			return 0;
	} else {
		if (d->exec(c,
			"SELECT 1 WHERE to_regclass('schema_migrations')"
			" IS NOT NULL",
			NULL, 0, version_row, &exists) != 0)
			return -1;
		if (!exists)
			return 0;
	}
	if (d->exec(c,
		"SELECT COALESCE(MAX(version), 0) FROM schema_migrations", NULL,
		0, max_row, &m) != 0)
		return -1;
	*version = m.v;
	return 0;
}

int
store_schema_version(struct store *st, int *version)
{
	struct store_conn *c = store_conn(st);

	return c == NULL ? -1 : read_version(st, c, version);
}

struct step {
	const struct store_migration *m;
	int applied;
	char err[256];
};

static int
apply_step(struct store *st, struct store_conn *c, void *arg)
{
	const struct store_driver *d = store_drv(st);
	struct step *s = arg;
	char now[32];
	int v;
	struct store_val p[3];

	if (read_version(st, c, &v) != 0) {
		snprintf(s->err, sizeof(s->err),
		    "cannot read the schema version");
		return -1;
	}
	if (v >= s->m->version)
		return 0; /* another process applied it meanwhile */
	if (s->m->sql[d->dialect] == NULL) {
		snprintf(s->err, sizeof(s->err),
		    "migration %d (%s) has no %s version", s->m->version,
		    s->m->name, d->name);
		return -1;
	}
	if (d->exec_script(c, s->m->sql[d->dialect]) != 0) {
		snprintf(s->err, sizeof(s->err), "migration %d (%s) failed",
		    s->m->version, s->m->name);
		return -1;
	}
	clock_format_utc(clock_now_ms(clock_real()), now, sizeof(now));
	p[0] = SV_I(s->m->version);
	p[1] = SV_T(s->m->name);
	p[2] = SV_T(now);
	if (d->exec(c,
		"INSERT INTO schema_migrations (version, name, applied_at) "
		"VALUES ($1, $2, $3)",
		p, 3, NULL, NULL) != 0) {
		snprintf(s->err, sizeof(s->err),
		    "migration %d (%s): cannot record it", s->m->version,
		    s->m->name);
		return -1;
	}
	s->applied = 1;
	return 0;
}

static int
create_step(struct store *st, struct store_conn *c, void *arg)
{
	(void)arg;
	return store_drv(st)->exec_script(c, create_table);
}

/* The advisory lock key of the migration runner ("creneau" + 2). */
#define MIGRATE_LOCK "7213859462110002"

static int migrate_locked(struct store *st, int *from, int *to, char *err,
    size_t errlen);

int
store_migrate(struct store *st, int *from, int *to, char *err, size_t errlen)
{
	const struct store_driver *d = store_drv(st);
	struct store_conn *c = store_conn(st);
	int rc;

	if (d->dialect != DIALECT_POSTGRES)
		return migrate_locked(st, from, to, err, errlen);
	if (c == NULL ||
	    d->exec(c, "SELECT pg_advisory_lock(" MIGRATE_LOCK ")", NULL, 0,
		NULL, NULL) != 0) {
		snprintf(err, errlen, "cannot take the migration lock");
		return -1;
	}
	rc = migrate_locked(st, from, to, err, errlen);
	if (d->exec(c, "SELECT pg_advisory_unlock(" MIGRATE_LOCK ")", NULL, 0,
		NULL, NULL) != 0)
		log_errorx("store: cannot release the migration lock");
	return rc;
}

static int
migrate_locked(struct store *st, int *from, int *to, char *err, size_t errlen)
{
	struct store_conn *c = store_conn(st);
	int v, latest = store_schema_latest_of(st);
	size_t count;
	const struct store_migration *list = migrations_of(st, &count);
	size_t i;
	struct step s;

	if (c == NULL || read_version(st, c, &v) != 0) {
		snprintf(err, errlen, "cannot read the schema version");
		return -1;
	}
	*from = v;
	*to = v;
	if (v > latest) {
		snprintf(err, errlen,
		    "the database schema is at version %d, newer than this "
		    "binary knows (%d): run a newer creneau",
		    v, latest);
		return -1;
	}
	if (v == latest)
		return 0;
	if (store_tx(st, 1, create_step, NULL) != 0) {
		snprintf(err, errlen, "cannot create schema_migrations");
		return -1;
	}
	for (i = 0; i < count; i++) {
		if (list[i].version <= v)
			continue;
		memset(&s, 0, sizeof(s));
		s.m = &list[i];
		if (store_tx(st, 1, apply_step, &s) != 0) {
			snprintf(err, errlen, "%s",
			    s.err[0] ? s.err : "migration failed");
			return -1;
		}
		if (s.applied)
			log_info("store: applied migration %d (%s)",
			    s.m->version, s.m->name);
		*to = s.m->version;
	}
	return 0;
}

int
store_schema_create(struct store *st, struct store_conn *c, int version,
    char *err, size_t errlen)
{
	const struct store_driver *d = store_drv(st);
	size_t count, i;
	const struct store_migration *list = migrations_of(st, &count);

	if (d->exec_script(c, create_table) != 0) {
		snprintf(err, errlen, "cannot create schema_migrations");
		return -1;
	}
	for (i = 0; i < count && list[i].version <= version; i++) {
		if (list[i].sql[d->dialect] == NULL ||
		    d->exec_script(c, list[i].sql[d->dialect]) != 0) {
			snprintf(err, errlen, "migration %d (%s) failed",
			    list[i].version, list[i].name);
			return -1;
		}
	}
	return 0;
}

int
store_has_records(struct store *st)
{
	const struct store_driver *d = store_drv(st);
	struct store_int_out o = { d, 0, 0 };
	struct store_conn *c = store_conn(st);
	int v;

	if (c == NULL || read_version(st, c, &v) != 0)
		return -1;
	if (store_schema_of(st) != STORE_SCHEMA_MAIN || v < 2)
		return 0;
	/* audit_log and audit_head come with migration 2, accounts with 3;
	 * the trail's head stays when retention purges its entries. */
	if (d->exec(c,
		v < 3 ? "SELECT EXISTS(SELECT 1 FROM audit_log) OR "
			"EXISTS(SELECT 1 FROM audit_head)"
		      : "SELECT EXISTS(SELECT 1 FROM audit_log) OR "
			"EXISTS(SELECT 1 FROM audit_head) OR "
			"EXISTS(SELECT 1 FROM accounts)",
		NULL, 0, store_row_int, &o) != 0)
		return -1;
	return o.v != 0;
}
