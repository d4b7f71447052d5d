/*
 * test_tenant_deletion.c - a client organisation deleted after its grace
 * period against the real `creneau` binary and its demo data, on SQLite
 * and on PostgreSQL (CRENEAU_TEST_STORE): a backup is taken, the
 * platform admin terminates the organisation, the retention run at a
 * time past the grace period deletes it (its rows gone, its state
 * "deleted", sign-in refused, a signed certificate that verifies and
 * fails once a byte is changed); the earlier backup restored holds its
 * rows again but none of its people's keys, while another
 * organisation's people still read; and the server started on it deletes
 * the organisation again rather than serve it as alive.
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
#include <time.h>

#include <sodium.h>

#include "auth/auth.h"
#include "client.h"
#include "core/clock.h"
#include "demo.h"
#include "harness.h"
#include "store/driver.h"

static struct proc srv;
static struct demo_account platform = { "plateforme@demo.example", 1 };
static struct demo_account admin = { "direction@tilleuls.example", 1 };

static struct demo_account *const all[] = { &platform, &admin };
#define NALL (sizeof(all) / sizeof(all[0]))

static char org[64], store_env[400];

static const char contact_pdf[] =
    "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

static int
run(const char *const *args, char *out, size_t outlen)
{
	const char *env[] = { store_env, NULL };

	return harness_run(args, env, out, outlen);
}

static int
setup(void **state)
{
	json_t *o;

	(void)state;
	if (demo_start(&srv, all, NALL) != 0)
		return -1;
	snprintf(store_env, sizeof(store_env), "CRENEAU_STORE_PATH=%s", srv.db);
	if (client_call(&admin.c, "GET", "/api/v1/me", NULL) != 200)
		return -1;
	o = client_json(&admin.c);
	snprintf(org, sizeof(org), "%s",
	    json_string_value(json_object_get(o, "org_id")));
	json_decref(o);
	return org[0] ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	demo_stop(&srv, all, NALL);
	return 0;
}

/* The count sql (a "%s" standing for the organisation) gives. */
static long
count(const char *sql)
{
	const char *at = strstr(sql, "%s");
	char q[512], out[32];

	assert_non_null(at);
	snprintf(q, sizeof(q), "%.*s%s%s", (int)(at - sql), sql, org, at + 2);
	if (harness_store_value(srv.db, q, out, sizeof(out)) != 0)
		return -1;
	return strtol(out, NULL, 10);
}

/* Keys of the people the restored copy names: how many open. */
struct keys_arg {
	char owners[64][AUTH_OWNER_MAX];
	size_t n;
	long open;
};

struct collect {
	const struct store_driver *d;
	struct keys_arg *k;
	const char *prefix;
};

static int
collect_row(void *arg, const struct store_row *r)
{
	struct collect *c = arg;
	const char *id = c->d->row_text(r, 0);

	if (id == NULL || c->k->n >= 64)
		return 0;
	snprintf(c->k->owners[c->k->n++], AUTH_OWNER_MAX, "%s%s", c->prefix,
	    id);
	return 0;
}

struct keys_query {
	const char *sql, *prefix, *org;
	struct keys_arg k;
};

static int
keys_tx(const struct auth *a, struct store_conn *c, void *arg)
{
	struct keys_query *q = arg;
	struct collect col = { store_drv(a->st), &q->k, q->prefix };
	struct store_val p[1];
	struct data_key key;
	size_t i;

	p[0] = SV_T(q->org);
	if (store_drv(a->st)->exec(c, q->sql, p, 1, collect_row, &col) != 0)
		return -1;
	q->k.open = 0;
	for (i = 0; i < q->k.n; i++) {
		int rc = auth_key(a, q->k.owners[i], 0, &key);

		sodium_memzero(&key, sizeof(key));
		if (rc < 0)
			return -1;
		q->k.open += rc == 0;
	}
	return 0;
}

/* How many of the people sql names ($1 the organisation) have a key
 * that opens, *n set to how many it names. */
static long
keys_open(const char *sql, const char *prefix, const char *of, size_t *n)
{
	struct keys_query q;

	memset(&q, 0, sizeof(q));
	q.sql = sql;
	q.prefix = prefix;
	q.org = of;
	assert_int_equal(harness_with_auth(srv.db, keys_tx, &q), 0);
	*n = q.k.n;
	return q.k.open;
}

/* Signs the platform admin in again on c: the retention run at a later
 * time ended its session with the others past their lifetime. */
static void
platform_again(struct client *c)
{
	char body[256], code[7];

	client_init(c, srv.port);
	memcpy(c->secret_b32, platform.c.secret_b32, sizeof(c->secret_b32));
	snprintf(body, sizeof(body), "{\"email\":\"%s\",\"password\":\"%s\"}",
	    platform.email, platform.pw);
	assert_int_equal(client_call(c, "POST", "/api/v1/session", body), 200);
	assert_int_equal(client_totp(c, 1, code), 0);
	snprintf(body, sizeof(body), "{\"code\":\"%s\"}", code);
	assert_int_equal(client_call(c, "POST", "/api/v1/session/mfa", body),
	    200);
}

/* Writes body to path, with the byte at at flipped when flip is set. */
static void
write_file(const char *path, const char *body, long flip_at)
{
	FILE *f = fopen(path, "wb");
	size_t i, n = strlen(body);

	assert_non_null(f);
	for (i = 0; i < n; i++)
		fputc((long)i == flip_at ? body[i] ^ 0x01 : body[i], f);
	assert_int_equal(fclose(f), 0);
}

static void
test_deleted_after_grace_backups_unreadable(void **state)
{
	char file[400], certf[400], badf[400], path[256], at[32], body[256];
	char other[64], out[8192], q[256];
	const char *backup[] = { "backup", file, NULL };
	const char *replace[] = { "restore", "--replace", file, NULL };
	const char *retention[] = { "retention", "run", "--at", at, NULL };
	const char *verify[] = { "tenant-certificate-verify", certf, NULL };
	const char *verify_bad[] = { "tenant-certificate-verify", badf, NULL };
	const char *accounts_sql =
	    "SELECT id FROM accounts WHERE org_id = $1 ORDER BY 1";
	struct client again, pc;
	const char *name;
	time_t later;
	size_t n;
	json_t *o;

	(void)state;
	assert_true(
	    count("SELECT count(*) FROM accounts WHERE org_id = '%s'") > 0);
	assert_true(count("SELECT count(*) FROM mandates WHERE school_id IN"
			  " (SELECT id FROM schools WHERE org_id = '%s')") > 0);
	snprintf(q, sizeof(q),
	    "SELECT min(org_id) FROM schools WHERE org_id <> '%s'", org);
	assert_int_equal(harness_store_value(srv.db, q, other, sizeof(other)),
	    0);
	assert_string_not_equal(other, org);

	/* Its business data (seed 003): a customer and a PDF attached. */
	snprintf(path, sizeof(path), "/api/v1/orgs/%s/contacts", org);
	assert_int_equal(client_call(&admin.c, "POST", path,
			     "{\"kind\":\"client\",\"company\":"
			     "\"Boulangerie Rivière\",\"person\":\"Claire "
			     "Rivière\",\"email\":\"claire@riviere.example\"}"),
	    201);
	o = client_json(&admin.c);
	snprintf(path, sizeof(path),
	    "/api/v1/orgs/%s/contacts/%s/documents?name=devis.pdf", org,
	    json_string_value(json_object_get(o, "id")));
	json_decref(o);
	assert_int_equal(client_send(&admin.c, "POST", path, "application/pdf",
			     contact_pdf, strlen(contact_pdf)),
	    201);
	assert_int_equal(count("SELECT count(*) FROM tenant_contact_documents"
			       " WHERE org_id = '%s'"),
	    1);

	/* A backup while it is active. */
	snprintf(file, sizeof(file), "%s/before.backup", srv.dir);
	assert_int_equal(run(backup, out, sizeof(out)), 0);

	/* Terminated: not deleted before its date. */
	snprintf(path, sizeof(path), "/api/v1/tenants/%s/termination", org);
	assert_int_equal(client_call(&platform.c, "POST", path,
			     "{\"reason\":\"Fin du contrat\"}"),
	    200);
	snprintf(path, sizeof(path), "/api/v1/tenants/%s/deletion-certificate",
	    org);
	assert_int_equal(client_call(&platform.c, "GET", path, NULL), 404);
	later = time(NULL) + 10 * 86400;
	assert_int_equal(clock_format_utc((int64_t)later * 1000, at,
			     sizeof(at)),
	    0);
	assert_int_equal(run(retention, out, sizeof(out)), 0);
	assert_true(
	    count("SELECT count(*) FROM accounts WHERE org_id = '%s'") > 0);

	/* Past the grace period ([tenancy] grace_days, 30 by default). */
	later = time(NULL) + 31 * 86400;
	assert_int_equal(clock_format_utc((int64_t)later * 1000, at,
			     sizeof(at)),
	    0);
	assert_int_equal(run(retention, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "terminated_tenant"));
	assert_non_null(strstr(out, "terminated organisations"));
	assert_int_equal(count("SELECT count(*) FROM accounts WHERE org_id ="
			       " '%s'"),
	    0);
	assert_int_equal(count("SELECT count(*) FROM schools WHERE org_id ="
			       " '%s'"),
	    0);
	assert_int_equal(count("SELECT count(*) FROM tenant_contacts WHERE"
			       " org_id = '%s'"),
	    0);
	assert_int_equal(count("SELECT count(*) FROM tenant_contact_documents"
			       " WHERE org_id = '%s'"),
	    0);
	assert_int_equal(count("SELECT count(*) FROM tenants WHERE org_id ="
			       " '%s' AND state = 'deleted' AND contact IS"
			       " NULL"),
	    1);
	assert_int_equal(count("SELECT count(*) FROM audit_log WHERE org ="
			       " '%s' AND action = 'tenant.deleted'"),
	    1);
	/* Its admins are told, by email queued before their keys went. */
	assert_true(count("SELECT count(*) FROM email_outbox WHERE subject ="
			  " 'Les données de votre organisme sont supprimées'"
			  " AND '%s' <> ''") >= 1);
	/* Once only. */
	assert_int_equal(run(retention, out, sizeof(out)), 0);
	assert_int_equal(count("SELECT count(*) FROM audit_log WHERE org ="
			       " '%s' AND action = 'tenant.deleted'"),
	    1);

	/* The platform admin sees it deleted; its people cannot sign in. */
	platform_again(&pc);
	snprintf(path, sizeof(path), "/api/v1/tenants/%s", org);
	assert_int_equal(client_call(&pc, "GET", path, NULL), 200);
	o = client_json(&pc);
	assert_string_equal(json_string_value(json_object_get(o, "state")),
	    "deleted");
	json_decref(o);
	client_init(&again, srv.port);
	snprintf(body, sizeof(body), "{\"email\":\"%s\",\"password\":\"%s\"}",
	    admin.email, admin.pw);
	assert_int_equal(client_call(&again, "POST", "/api/v1/session", body),
	    401);
	client_free(&again);

	/* The certificate: signed, and no longer once a byte changes. */
	snprintf(path, sizeof(path), "/api/v1/tenants/%s/deletion-certificate",
	    org);
	assert_int_equal(client_call(&pc, "GET", path, NULL), 200);
	o = client_json(&pc);
	assert_non_null(o);
	assert_string_equal(json_string_value(
				json_object_get(json_object_get(o,
						    "organisation"),
				    "id")),
	    org);
	assert_true(
	    json_integer_value(json_object_get(o, "keys_destroyed")) > 1);
	assert_true(json_integer_value(
			json_object_get(json_object_get(o, "rows_deleted"),
			    "accounts")) > 0);
	assert_int_equal(json_integer_value(
			     json_object_get(json_object_get(o, "rows_deleted"),
				 "tenant_contact_documents")),
	    1);
	assert_true(json_is_string(
	    json_object_get(json_object_get(o, "audit"), "head_hash")));
	json_decref(o);
	assert_null(strstr(pc.body, admin.email));
	snprintf(certf, sizeof(certf), "%s/certificate.json", srv.dir);
	snprintf(badf, sizeof(badf), "%s/certificate-bad.json", srv.dir);
	write_file(certf, pc.body, -1);
	assert_int_equal(run(verify, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "signature valid"));
	name = strstr(pc.body, "\"rows_total\": ");
	assert_non_null(name);
	write_file(badf, pc.body, (long)(name - pc.body) + 14);
	assert_int_equal(run(verify_bad, out, sizeof(out)), 1);
	assert_non_null(strstr(out, "signature"));

	client_free(&pc);

	/* The earlier backup restored: the rows are back, their keys not. */
	assert_int_equal(harness_stop(&srv, SIGTERM), 0);
	srv.pid = 0;
	assert_int_equal(run(replace, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "restored"));
	assert_true(
	    count("SELECT count(*) FROM accounts WHERE org_id = '%s'") > 0);
	assert_int_equal(keys_open(accounts_sql, "subject:", org, &n), 0);
	assert_true(n > 0);
	assert_int_equal(keys_open("SELECT CAST(id AS TEXT) FROM candidates"
				   " WHERE id IN (SELECT candidate_id FROM"
				   " mandates WHERE school_id IN (SELECT id"
				   " FROM schools WHERE org_id = $1))",
			     "subject:candidate:", org, &n),
	    0);
	assert_true(n > 0);
	/* The contact and its document are back as rows, sealed under the
	 * tenant's key, which is gone: nothing of them reads. */
	assert_int_equal(count("SELECT count(*) FROM tenant_contact_documents"
			       " WHERE org_id = '%s'"),
	    1);
	assert_false(harness_db_holds(srv.db, "1 0 obj <<>> endobj"));
	assert_false(harness_db_holds(srv.db, "Rivi\xc3\xa8re"));
	assert_int_equal(keys_open("SELECT $1", "tenant:", org, &n), 0);
	/* Another organisation's people still read. */
	assert_int_equal((size_t)keys_open(accounts_sql, "subject:", other, &n),
	    n);
	assert_true(n > 0);

	/* The restored copy has it alive (no tenants row: active), but
	 * the organisation is not brought back: the server deletes it again
	 * before its first request, with a new certificate saying why. */
	assert_int_equal(count("SELECT count(*) FROM tenants WHERE org_id ="
			       " '%s'"),
	    0);
	assert_int_equal(harness_start(&srv, NULL, 0), 0);
	assert_int_equal(count("SELECT count(*) FROM tenants WHERE org_id ="
			       " '%s' AND state = 'deleted'"),
	    1);
	assert_int_equal(count("SELECT count(*) FROM accounts WHERE org_id ="
			       " '%s'"),
	    0);
	assert_int_equal(count("SELECT count(*) FROM schools WHERE org_id ="
			       " '%s'"),
	    0);
	client_init(&again, srv.port);
	assert_int_equal(client_call(&again, "POST", "/api/v1/session", body),
	    401);
	client_free(&again);
	platform_again(&pc);
	snprintf(path, sizeof(path), "/api/v1/tenants/%s/deletion-certificate",
	    org);
	assert_int_equal(client_call(&pc, "GET", path, NULL), 200);
	o = client_json(&pc);
	assert_true(json_is_true(json_object_get(o, "after_restore")));
	json_decref(o);
	write_file(certf, pc.body, -1);
	assert_int_equal(run(verify, out, sizeof(out)), 0);
	client_free(&pc);
	/* Another organisation is still served. */
	assert_int_equal(count("SELECT count(*) FROM tenants WHERE org_id ="
			       " '%s' AND state = 'deleted'"),
	    1);
	snprintf(q, sizeof(q),
	    "SELECT count(*) FROM accounts WHERE org_id = '%s'", other);
	assert_int_equal(harness_store_value(srv.db, q, out, sizeof(out)), 0);
	assert_true(strtol(out, NULL, 10) > 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deleted_after_grace_backups_unreadable),
	};

	curl_global_init(CURL_GLOBAL_DEFAULT);
	return cmocka_run_group_tests(tests, setup, teardown);
}
