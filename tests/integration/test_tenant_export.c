/*
 * test_tenant_export.c - the export of everything a client organisation
 * holds, against the real `creneau` binary and its demo data (seed 003):
 * its admin asks for it with a passphrase (a short one refused, naming
 * the field), the background job builds it while its progress is read,
 * the archive downloads, holds no personal field in clear, opens with
 * `creneau tenant-export-open` and the right passphrase only, and its
 * manifest counts what the database holds; another organisation's admin
 * reaches none of it; each step is audited and told to the admin. A
 * termination offers an export awaiting its passphrase, which the
 * platform admin then sets.
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
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "auth/auth.h"
#include "client.h"
#include "demo.h"
#include "harness.h"
#include "store/driver.h"
#include "store/tenant_exports.h"

#define PASS "correct cheval pile agrafe"

static struct proc srv;
static struct demo_account platform = { "plateforme@demo.example", 1 };
static struct demo_account admin = { "direction@tilleuls.example", 1 };
static struct demo_account manager = { "gestion@tilleuls.example", 1 };
static struct demo_account other = { "admin.rdv@solidarites44.example", 1 };

static struct demo_account *const all[] = { &platform, &admin, &manager,
	&other };
#define NALL (sizeof(all) / sizeof(all[0]))

static char org[64], org2[64];
static char archive[400], opened[400], org2_key[400];

static const char *const srv_env[] = { "CRENEAU_TENANCY_EXPORT_INTERVAL=1",
	NULL };

static int
org_of(struct demo_account *a, char *out, size_t n)
{
	json_t *o;

	if (client_call(&a->c, "GET", "/api/v1/me", NULL) != 200)
		return -1;
	o = client_json(&a->c);
	snprintf(out, n, "%s", json_string_value(json_object_get(o, "org_id")));
	json_decref(o);
	return out[0] ? 0 : -1;
}

static int
setup(void **state)
{
	(void)state;
	if (demo_start_env(&srv, srv_env, all, NALL) != 0)
		return -1;
	snprintf(archive, sizeof(archive), "%s/tilleuls.creneau-export",
	    srv.dir);
	snprintf(opened, sizeof(opened), "%s/opened", srv.dir);
	return org_of(&admin, org, sizeof(org)) != 0 ||
		org_of(&other, org2, sizeof(org2)) != 0
	    ? -1
	    : 0;
}

static int
teardown(void **state)
{
	(void)state;
	demo_stop(&srv, all, NALL);
	return 0;
}

/* method on path, where "%s" in path stands for organisation o. */
static long
call_on(struct demo_account *a, const char *o, const char *method,
    const char *path, const char *body)
{
	const char *at = strstr(path, "%s");
	char full[300];

	if (at == NULL)
		return client_call(&a->c, method, path, body);
	snprintf(full, sizeof(full), "%.*s%s%s", (int)(at - path), path, o,
	    at + 2);
	return client_call(&a->c, method, full, body);
}

static long
call(struct demo_account *a, const char *method, const char *path,
    const char *body)
{
	return call_on(a, org, method, path, body);
}

static void
assert_field(struct demo_account *a, const char *code, const char *field)
{
	json_t *o = client_json(&a->c);

	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o, "code")),
	    code);
	assert_string_equal(json_string_value(json_object_get(o, "field")),
	    field);
	json_decref(o);
}

static int
notified(struct demo_account *a, const char *kind)
{
	json_t *o, *x;
	size_t i;
	int found = 0;

	if (client_call(&a->c, "GET", "/api/v1/notifications", NULL) != 200)
		return 0;
	o = client_json(&a->c);
	json_array_foreach (json_object_get(o, "notifications"), i, x)
		found |= strcmp(json_string_value(json_object_get(x, "kind")),
			     kind) == 0;
	json_decref(o);
	return found;
}

/* ---- the database, read under the server ---- */

struct count_arg {
	const char *sql, *p1;
	long n;
};

static int
count_tx(const struct auth *a, struct store_conn *c, void *arg)
{
	struct count_arg *x = arg;
	struct store_int_out o = { store_drv(a->st), 0, 0 };
	struct store_val p[1];

	p[0] = SV_T(x->p1);
	if (store_drv(a->st)->exec(c, x->sql, p, 1, store_row_int, &o) != 0 ||
	    !o.found)
		return -1;
	x->n = (long)o.v;
	return 0;
}

/* SELECT COUNT(*) ... with $1 = p1. */
static long
db_count(const char *sql, const char *p1)
{
	struct count_arg x = { sql, p1, -1 };

	assert_int_equal(harness_with_auth(srv.db, count_tx, &x), 0);
	return x.n;
}

static long
audited(const char *action, const char *o)
{
	char sql[200];

	snprintf(sql, sizeof(sql),
	    "SELECT COUNT(*) FROM audit_log WHERE action = '%s' AND org = $1",
	    action);
	return db_count(sql, o);
}

struct entity_arg {
	const struct store_export_entity *e;
	const char *org;
	long n;
};

static int
entity_tx(const struct auth *a, struct store_conn *c, void *arg)
{
	struct entity_arg *x = arg;

	x->n = store_export_count(a->st, c, x->e, x->org);
	return x->n < 0 ? -1 : 0;
}

/* ---- files ---- */

static char *
slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *p;
	long len;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	p = malloc((size_t)len + 1);
	assert_non_null(p);
	assert_int_equal(fread(p, 1, (size_t)len, f), (size_t)len);
	p[len] = '\0';
	fclose(f);
	if (n != NULL)
		*n = (size_t)len;
	return p;
}

static size_t
to_file(char *p, size_t size, size_t n, void *f)
{
	return fwrite(p, size, n, f);
}

/* GET path into the file out with a's session. Returns the status. */
static long
download(struct demo_account *a, const char *path, const char *out)
{
	char url[400];
	long status = -1;
	FILE *f = fopen(out, "wb");

	assert_non_null(f);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", srv.port, path);
	curl_easy_setopt(a->c.curl, CURLOPT_URL, url);
	curl_easy_setopt(a->c.curl, CURLOPT_CUSTOMREQUEST, "GET");
	curl_easy_setopt(a->c.curl, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(a->c.curl, CURLOPT_WRITEFUNCTION, to_file);
	curl_easy_setopt(a->c.curl, CURLOPT_WRITEDATA, f);
	if (curl_easy_perform(a->c.curl) == CURLE_OK)
		curl_easy_getinfo(a->c.curl, CURLINFO_RESPONSE_CODE, &status);
	fclose(f);
	return status;
}

/* `creneau tenant-export-open file dir` with pass on stdin; returns its
 * exit status. */
static int
open_archive_key(const char *file, const char *dir, const char *pass,
    const char *keyfile)
{
	const char *bin = getenv("CRENEAU_BIN");
	char *const env[] = { "PATH=/usr/bin:/bin", NULL };
	int fds[2], st;
	pid_t pid;

	if (bin == NULL)
		bin = "build/creneau";
	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(fds[0], 0);
		close(fds[0]);
		close(fds[1]);
		if (freopen("/dev/null", "w", stdout) == NULL)
			_exit(127);
		if (keyfile != NULL)
			execle(bin, bin, "tenant-export-open", file, dir,
			    "--secret-key", keyfile, (char *)NULL, env);
		else
			execle(bin, bin, "tenant-export-open", file, dir,
			    (char *)NULL, env);
		_exit(127);
	}
	close(fds[0]);
	if (pass != NULL) {
		assert_true(
		    write(fds[1], pass, strlen(pass)) == (ssize_t)strlen(pass));
		assert_int_equal(write(fds[1], "\n", 1), 1);
	}
	close(fds[1]);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The school books one exam for one of its candidates, so the export
 * has a booking to carry. */
static void
book_one(void)
{
	long long slot = 0, cand = 0, basket;
	json_t *o, *x;
	char path[128], body[160];
	size_t i;

	assert_int_equal(client_call(&manager.c, "GET",
			     "/api/v1/slots?department=44&category=B&limit=60",
			     NULL),
	    200);
	o = client_json(&manager.c);
	json_array_foreach (json_object_get(o, "slots"), i, x)
		if (slot == 0 &&
		    json_is_true(json_object_get(x, "bookable_now")))
			slot = json_integer_value(json_object_get(x, "id"));
	json_decref(o);
	assert_int_equal(client_call(&manager.c, "GET", "/api/v1/candidates",
			     NULL),
	    200);
	o = client_json(&manager.c);
	json_array_foreach (json_object_get(o, "candidates"), i, x) {
		const char *cat =
		    json_string_value(json_object_get(x, "category"));

		if (cand == 0 && cat != NULL && strcmp(cat, "B") == 0)
			cand = json_integer_value(json_object_get(x, "id"));
	}
	json_decref(o);
	assert_true(slot > 0 && cand > 0);
	assert_int_equal(client_call(&manager.c, "GET", "/api/v1/basket", NULL),
	    200);
	o = client_json(&manager.c);
	basket = json_integer_value(json_object_get(o, "id"));
	json_decref(o);
	snprintf(path, sizeof(path), "/api/v1/baskets/%lld/slots", basket);
	snprintf(body, sizeof(body),
	    "{\"slots\":[{\"slot_id\":%lld,\"candidate_id\":%lld}]}", slot,
	    cand);
	assert_int_equal(client_call(&manager.c, "POST", path, body), 200);
	snprintf(path, sizeof(path), "/api/v1/baskets/%lld/validation", basket);
	assert_int_equal(client_call(&manager.c, "POST", path, NULL), 200);
}

/* Puts (on) or removes a build the job is running for the organisation
 * (a row of the database: no race with the real job). */
static int
pending_export(int on)
{
	char sql[400];
	long long now = (long long)time(NULL) * 1000;

	if (on)
		snprintf(sql, sizeof(sql),
		    "INSERT INTO tenant_exports (id, org_id, state, origin,"
		    " requested_at, started_at, expires_at) VALUES"
		    " ('running-by-hand', '%s', 'running', 'admin', %lld,"
		    " %lld, %lld)",
		    org, now, now, now + 86400000LL);
	else
		snprintf(sql, sizeof(sql),
		    "DELETE FROM tenant_exports WHERE id = 'running-by-hand'");
	return harness_store_exec(srv.db, sql);
}

static int
open_archive(const char *file, const char *dir, const char *pass)
{
	return open_archive_key(file, dir, pass, NULL);
}

/* `creneau tenant-export-keygen keyfile`: the public key it prints into
 * pk (base64). */
static void
keygen(const char *keyfile, char *pk, size_t n)
{
	const char *bin = getenv("CRENEAU_BIN");
	char cmd[800];
	FILE *p;

	snprintf(cmd, sizeof(cmd),
	    "env -i PATH=/usr/bin:/bin %s tenant-export-keygen %s",
	    bin ? bin : "build/creneau", keyfile);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_non_null(fgets(pk, (int)n, p));
	assert_int_equal(pclose(p), 0);
	pk[strcspn(pk, "\n")] = '\0';
	assert_int_equal(strlen(pk), 44);
}

/* ---- the tests ---- */

static void
test_refusals_name_the_field(void **state)
{
	(void)state;
	assert_int_equal(call(&admin, "POST", "/api/v1/orgs/%s/export",
			     "{\"passphrase\":\"trop court\"}"),
	    422);
	assert_field(&admin, "invalid_passphrase", "passphrase");
	assert_int_equal(call(&admin, "POST", "/api/v1/orgs/%s/export", "{}"),
	    422);
	assert_field(&admin, "invalid_passphrase", "passphrase");
	assert_int_equal(call(&admin, "POST", "/api/v1/orgs/%s/export",
			     "{\"public_key\":\"pas-une-cle\"}"),
	    422);
	assert_field(&admin, "invalid_public_key", "public_key");
	/* Nothing asked yet. */
	assert_int_equal(call(&admin, "GET", "/api/v1/orgs/%s/export", NULL),
	    404);
	/* One export at a time: a build running answers 409. */
	assert_int_equal(pending_export(1), 0);
	assert_int_equal(call(&admin, "POST", "/api/v1/orgs/%s/export",
			     "{\"passphrase\":\"" PASS "\"}"),
	    409);
	assert_field(&admin, "export_pending", "state");
	assert_int_equal(pending_export(0), 0);
	assert_int_equal(call(&admin, "GET", "/api/v1/orgs/%s/export", NULL),
	    404);
	/* The platform's route is for a terminated organisation only. */
	assert_int_equal(call(&platform, "POST", "/api/v1/tenants/%s/export",
			     "{\"passphrase\":\"" PASS "\"}"),
	    409);
	assert_field(&platform, "invalid_tenant_state", "state");
}

static void
test_others_reach_nothing(void **state)
{
	long s;

	(void)state;
	s = call(&other, "POST", "/api/v1/orgs/%s/export",
	    "{\"passphrase\":\"" PASS "\"}");
	assert_true(s == 403 || s == 404);
	s = call(&other, "GET", "/api/v1/orgs/%s/export", NULL);
	assert_true(s == 403 || s == 404);
	/* Not an admin of its own organisation either. */
	s = call(&manager, "POST", "/api/v1/orgs/%s/export",
	    "{\"passphrase\":\"" PASS "\"}");
	assert_true(s == 403 || s == 404);
	assert_int_equal(audited("tenant.export_requested", org), 0);
}

static void
test_export_built_downloaded_opened(void **state)
{
	json_t *o, *m, *ent;
	char id[80], path[300], url[300], file[500];
	const char *st;
	long done = 0, total = 0;
	size_t len, i;
	char *text;
	int tries;

	(void)state;
	book_one();
	assert_int_equal(call(&admin, "POST", "/api/v1/orgs/%s/export",
			     "{\"passphrase\":\"" PASS "\"}"),
	    202);
	o = client_json(&admin.c);
	assert_string_equal(json_string_value(json_object_get(o, "state")),
	    "queued");
	snprintf(id, sizeof(id), "%s",
	    json_string_value(json_object_get(o, "id")));
	json_decref(o);
	/* Progress, until ready. */
	for (tries = 0; tries < 240; tries++) {
		assert_int_equal(call(&admin, "GET", "/api/v1/orgs/%s/export",
				     NULL),
		    200);
		o = client_json(&admin.c);
		st = json_string_value(json_object_get(o, "state"));
		assert_non_null(st);
		assert_string_not_equal(st, "failed");
		done = (long)json_integer_value(
		    json_object_get(json_object_get(o, "progress"), "done"));
		total = (long)json_integer_value(
		    json_object_get(json_object_get(o, "progress"), "total"));
		assert_true(done <= total);
		if (strcmp(st, "ready") == 0) {
			snprintf(url, sizeof(url), "%s",
			    json_string_value(json_object_get(o, "download")));
			json_decref(o);
			break;
		}
		json_decref(o);
		usleep(250 * 1000);
	}
	assert_true(tries < 240);
	assert_int_equal(done, total);
	assert_int_equal(total, (long)store_export_entities_count);
	snprintf(path, sizeof(path), "/api/v1/orgs/%s/export/%s/archive", org,
	    id);
	assert_string_equal(url, path);
	/* Another organisation's admin cannot download it. */
	snprintf(file, sizeof(file), "%s/stolen", srv.dir);
	assert_true(download(&other, path, file) == 403 ||
	    download(&other, path, file) == 404);
	assert_int_equal(download(&admin, path, archive), 200);
	/* No personal field in clear in the archive. */
	text = slurp(archive, &len);
	assert_non_null(text);
	assert_memory_equal(text, "CRENEAU-EXPORT", 14);
	assert_null(memmem(text, len, "Directrice", 10));
	assert_null(memmem(text, len, "tilleuls.example", 16));
	assert_null(memmem(text, len, "accounts", 8));
	free(text);
	/* A wrong passphrase opens nothing. */
	snprintf(file, sizeof(file), "%s/wrong", srv.dir);
	assert_int_equal(open_archive(archive, file, "pas la bonne phrase"), 1);
	snprintf(file, sizeof(file), "%s/wrong/accounts.json", srv.dir);
	assert_int_not_equal(access(file, F_OK), 0);
	assert_int_equal(open_archive(archive, opened, PASS), 0);
	/* The personal fields, opened. */
	snprintf(file, sizeof(file), "%s/accounts.json", opened);
	text = slurp(file, NULL);
	assert_non_null(text);
	assert_non_null(strstr(text, "Nadia Directrice"));
	assert_non_null(strstr(text, "direction@tilleuls.example"));
	assert_null(strstr(text, "password_hash"));
	assert_null(strstr(text, "totp_secret"));
	free(text);
	snprintf(file, sizeof(file), "%s/accounts.csv", opened);
	text = slurp(file, NULL);
	assert_non_null(text);
	assert_non_null(strstr(text, "\"Nadia Directrice\""));
	free(text);
	snprintf(file, sizeof(file), "%s/candidates.csv", opened);
	assert_int_equal(access(file, F_OK), 0);
	/* The manifest counts what the database holds. */
	snprintf(file, sizeof(file), "%s/manifest.json", opened);
	text = slurp(file, NULL);
	assert_non_null(text);
	m = json_loads(text, 0, NULL);
	free(text);
	assert_non_null(m);
	assert_string_equal(json_string_value(json_object_get(m, "org_id")),
	    org);
	assert_int_equal(json_array_size(json_object_get(m, "entities")),
	    store_export_entities_count);
	json_array_foreach (json_object_get(m, "entities"), i, ent) {
		struct entity_arg x = { &store_export_entities[i], org, -1 };
		const char *name =
		    json_string_value(json_object_get(ent, "name"));
		long rows =
		    (long)json_integer_value(json_object_get(ent, "rows"));

		assert_string_equal(name, store_export_entities[i].name);
		assert_int_equal(harness_with_auth(srv.db, entity_tx, &x), 0);
		if (strcmp(name, "audit_log") == 0 ||
		    strcmp(name, "notifications") == 0 ||
		    strcmp(name, "exports") == 0)
			/* Written to since: the build's own steps. */
			assert_true(rows <= x.n);
		else
			assert_int_equal(rows, x.n);
		assert_int_equal(json_integer_value(
				     json_object_get(ent, "unreadable_fields")),
		    0);
		if (strcmp(name, "accounts") == 0)
			assert_int_equal(rows,
			    db_count("SELECT COUNT(*) FROM accounts"
				     " WHERE org_id = $1",
				org));
		if (strcmp(name, "bookings") == 0) {
			assert_int_equal(rows,
			    db_count("SELECT COUNT(*) FROM exams WHERE "
				     "school_id IN (SELECT id FROM schools "
				     "WHERE org_id = $1)",
				org));
			assert_true(rows > 0);
		}
		if (strcmp(name, "candidates") == 0 ||
		    strcmp(name, "accounts") == 0 ||
		    strcmp(name, "mandates") == 0)
			assert_true(rows > 0);
	}
	json_decref(m);
	/* Audited, told. */
	assert_int_equal(audited("tenant.export_requested", org), 1);
	assert_int_equal(audited("tenant.export_ready", org), 1);
	assert_int_equal(audited("tenant.export_downloaded", org), 1);
	assert_true(notified(&admin, "tenant.export_ready"));
	assert_true(notified(&admin, "tenant.export_downloaded"));
	assert_true(notified(&admin, "tenant.export_requested"));
}

/* A suspended organisation writes nothing, but takes its data away. */
static void
test_suspended_may_export(void **state)
{
	(void)state;
	assert_int_equal(call(&platform, "POST",
			     "/api/v1/tenants/%s/suspension",
			     "{\"reason\":\"Facture impayée\"}"),
	    200);
	assert_int_equal(call(&admin, "PUT", "/api/v1/orgs/%s/settings", "{}"),
	    403);
	assert_string_equal(client_code(&admin.c), "tenant_suspended");
	assert_int_equal(call(&admin, "POST", "/api/v1/orgs/%s/export",
			     "{\"passphrase\":\"" PASS "\"}"),
	    202);
	assert_int_equal(audited("tenant.export_requested", org), 2);
	assert_int_equal(call(&platform, "POST",
			     "/api/v1/tenants/%s/reactivation", "{}"),
	    200);
}

static void
test_termination_offers_the_export(void **state)
{
	json_t *o;
	char pk[64], body[128];

	(void)state;
	assert_int_equal(call_on(&platform, org2, "POST",
			     "/api/v1/tenants/%s/termination",
			     "{\"reason\":\"Fin du contrat\"}"),
	    200);
	assert_int_equal(call_on(&platform, org2, "GET",
			     "/api/v1/tenants/%s/export", NULL),
	    200);
	o = client_json(&platform.c);
	assert_string_equal(json_string_value(json_object_get(o, "state")),
	    "awaiting_passphrase");
	assert_string_equal(json_string_value(json_object_get(o, "origin")),
	    "termination");
	json_decref(o);
	assert_int_equal(audited("tenant.export_offered", org2), 1);
	/* The platform admin sets the passphrase the organisation chose. */
	assert_int_equal(call_on(&platform, org2, "POST",
			     "/api/v1/tenants/%s/export",
			     "{\"passphrase\":\"courte\"}"),
	    422);
	assert_field(&platform, "invalid_passphrase", "passphrase");
	/* The organisation gives its public key instead of a passphrase. */
	snprintf(org2_key, sizeof(org2_key), "%s/org2.key", srv.dir);
	keygen(org2_key, pk, sizeof(pk));
	snprintf(body, sizeof(body), "{\"public_key\":\"%s\"}", pk);
	assert_int_equal(call_on(&platform, org2, "POST",
			     "/api/v1/tenants/%s/export", body),
	    202);
	o = client_json(&platform.c);
	assert_string_equal(json_string_value(json_object_get(o, "key")),
	    "public_key");
	assert_string_equal(json_string_value(json_object_get(o, "state")),
	    "queued");
	assert_string_equal(json_string_value(json_object_get(o, "origin")),
	    "termination");
	json_decref(o);
	assert_int_equal(audited("tenant.export_requested", org2), 1);
}

/* The latest export of o, read by a at base ("orgs" or "tenants"), once
 * ready: its download path into url. */
static void
wait_ready(struct demo_account *a, const char *base, const char *o, char *url,
    size_t n)
{
	char path[200];
	json_t *e;
	const char *st;
	int tries;

	snprintf(path, sizeof(path), "/api/v1/%s/%s/export", base, o);
	for (tries = 0; tries < 240; tries++) {
		assert_int_equal(client_call(&a->c, "GET", path, NULL), 200);
		e = client_json(&a->c);
		st = json_string_value(json_object_get(e, "state"));
		assert_non_null(st);
		assert_string_not_equal(st, "failed");
		if (strcmp(st, "ready") == 0) {
			snprintf(url, n, "%s",
			    json_string_value(json_object_get(e, "download")));
			json_decref(e);
			return;
		}
		json_decref(e);
		usleep(250 * 1000);
	}
	fail_msg("the export of %s never got ready", o);
}

/* The platform hands the terminated organisation's archive over; past
 * its expiry, the archive is deleted. */
static void
test_handed_over_then_expired(void **state)
{
	char url[300], file[700], dir[500], sql[300];
	long users;
	int tries;
	char *text;

	(void)state;
	wait_ready(&platform, "tenants", org2, url, sizeof(url));
	assert_non_null(strstr(url, "/api/v1/tenants/"));
	snprintf(file, sizeof(file), "%s/org2.creneau-export", srv.dir);
	assert_int_equal(download(&platform, url, file), 200);
	assert_int_equal(audited("tenant.export_downloaded", org2), 1);
	snprintf(dir, sizeof(dir), "%s/org2", srv.dir);
	/* A passphrase opens nothing: the secret key does. */
	assert_int_equal(open_archive(file, dir, PASS), 1);
	assert_int_equal(open_archive_key(file, dir, NULL, org2_key), 0);
	/* The appointment side: its people, in a spreadsheet too. */
	users =
	    db_count("SELECT COUNT(*) FROM appt_users WHERE org_id = $1", org2);
	assert_true(users > 0);
	snprintf(file, sizeof(file), "%s/appt_users.csv", dir);
	text = slurp(file, NULL);
	assert_non_null(text);
	free(text);
	/* Past its expiry. */
	snprintf(sql, sizeof(sql),
	    "UPDATE tenant_exports SET expires_at = 1 WHERE org_id = '%s'"
	    " AND state = 'ready'",
	    org2);
	assert_int_equal(harness_store_exec(srv.db, sql), 0);
	for (tries = 0;
	     tries < 120 && audited("tenant.export_expired", org2) == 0;
	     tries++)
		usleep(250 * 1000);
	assert_int_equal(audited("tenant.export_expired", org2), 1);
	assert_int_equal(call_on(&platform, org2, "GET",
			     "/api/v1/tenants/%s/export", NULL),
	    404);
	assert_int_equal(download(&platform, url, file), 404);
	assert_int_equal(db_count("SELECT COUNT(*) FROM tenant_exports WHERE "
				  "org_id = $1 AND file_name IS NOT NULL",
			     org2),
	    0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refusals_name_the_field),
		cmocka_unit_test(test_others_reach_nothing),
		cmocka_unit_test(test_export_built_downloaded_opened),
		cmocka_unit_test(test_suspended_may_export),
		cmocka_unit_test(test_termination_offers_the_export),
		cmocka_unit_test(test_handed_over_then_expired),
	};

	curl_global_init(CURL_GLOBAL_DEFAULT);
	return cmocka_run_group_tests(tests, setup, teardown);
}
