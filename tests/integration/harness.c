/* harness.c - starting servers and talking to them in tests. */
#include "harness.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include "appkeys.h"
#include "auth/auth.h"
#include "core/config.h"
#include "store/driver.h"

extern char **environ;

static void
nap_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

int
harness_free_port(void)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port = -1;

	if (fd < 0)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&sa, &len) == 0)
		port = ntohs(sa.sin_port);
	close(fd);
	return port;
}

int
harness_tmpdir(struct proc *p)
{
	const char *base = getenv("TMPDIR");

	snprintf(p->dir, sizeof(p->dir), "%s/creneau-test-XXXXXX",
	    base ? base : "/tmp");
	if (mkdtemp(p->dir) == NULL)
		return -1;
	snprintf(p->log, sizeof(p->log), "%s/server.log", p->dir);
	snprintf(p->db, sizeof(p->db), "%s/data/creneau.db", p->dir);
	return 0;
}

int
harness_pg(void)
{
	const char *s = getenv("CRENEAU_TEST_STORE");

	return s != NULL && strcmp(s, "postgresql") == 0;
}

/* The PostgreSQL database standing for the SQLite file path: each test
 * server (each store path) gets its own, and its keystore another. */
static void
pg_name_for(const char *path, char *name, size_t size)
{
	uint64_t h = UINT64_C(14695981039346656037);

	while (*path != '\0')
		h = (h ^ (unsigned char)*path++) * UINT64_C(1099511628211);
	snprintf(name, size, "t%016llx", (unsigned long long)h);
}

/* Runs sql on the test server's "postgres" database. Returns 0 or -1. */
static int
pg_admin(const char *sql)
{
	const char *base = getenv("CRENEAU_TEST_PG_URL");
	const char *pwfile = getenv("CRENEAU_TEST_PG_PASSWORD_FILE");
	char url[512], pw[256] = "";
	const char *keys[] = { "dbname", "password", NULL };
	const char *vals[] = { url, pw, NULL };
	PGconn *c;
	PGresult *r;
	FILE *f;
	int ok;

	if (base == NULL || pwfile == NULL)
		return -1;
	snprintf(url, sizeof(url), "%s/postgres", base);
	if ((f = fopen(pwfile, "r")) != NULL) {
		if (fgets(pw, sizeof(pw), f) == NULL)
			pw[0] = '\0';
		fclose(f);
		pw[strcspn(pw, "\r\n")] = '\0';
	}
	c = PQconnectdbParams(keys, vals, 1);
	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "harness: %s", PQerrorMessage(c));
		PQfinish(c);
		return -1;
	}
	r = PQexec(c, sql);
	ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok && strstr(PQresultErrorMessage(r), "already exists") != NULL)
		ok = 1;
	if (!ok)
		fprintf(stderr, "harness: %s", PQresultErrorMessage(r));
	PQclear(r);
	PQfinish(c);
	return ok ? 0 : -1;
}

int
harness_pg_env(const char *store_path, char env[5][600])
{
	const char *base = getenv("CRENEAU_TEST_PG_URL");
	const char *pwfile = getenv("CRENEAU_TEST_PG_PASSWORD_FILE");
	char name[32], sql[128];

	if (base == NULL || pwfile == NULL)
		return -1;
	pg_name_for(store_path, name, sizeof(name));
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s", name);
	if (pg_admin(sql) != 0)
		return -1;
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s_keys", name);
	if (pg_admin(sql) != 0)
		return -1;
	snprintf(env[0], 600, "CRENEAU_STORE_DRIVER=postgresql");
	snprintf(env[1], 600, "CRENEAU_STORE_URL=%s/%s", base, name);
	snprintf(env[2], 600, "CRENEAU_STORE_PASSWORD_FILE=%s", pwfile);
	snprintf(env[3], 600, "CRENEAU_KEYS_KEYSTORE_URL=%s/%s_keys", base,
	    name);
	snprintf(env[4], 600, "CRENEAU_KEYS_KEYSTORE_PASSWORD_FILE=%s", pwfile);
	return 0;
}

void
harness_pg_drop(const char *store_path)
{
	char name[32], sql[128];

	pg_name_for(store_path, name, sizeof(name));
	snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s WITH (FORCE)",
	    name);
	pg_admin(sql);
	snprintf(sql, sizeof(sql),
	    "DROP DATABASE IF EXISTS %s_keys WITH (FORCE)", name);
	pg_admin(sql);
}

/* Opens a libpq connection to the database standing for store_path. */
static PGconn *
pg_open(const char *store_path)
{
	char env[5][600], url[700], pw[256] = "";
	const char *keys[] = { "dbname", "password", NULL };
	const char *vals[] = { url, pw, NULL };
	const char *pwfile = getenv("CRENEAU_TEST_PG_PASSWORD_FILE");
	FILE *f;

	if (harness_pg_env(store_path, env) != 0)
		return NULL;
	memcpy(url, env[1] + 18, strnlen(env[1] + 18, sizeof(url) - 1));
	url[strnlen(env[1] + 18, sizeof(url) - 1)] = '\0';
	if (pwfile != NULL && (f = fopen(pwfile, "r")) != NULL) {
		if (fgets(pw, sizeof(pw), f) == NULL)
			pw[0] = '\0';
		fclose(f);
		pw[strcspn(pw, "\r\n")] = '\0';
	}
	return PQconnectdbParams(keys, vals, 1);
}

/* How long a direct query waits for the server's write lock. */
#define HARNESS_BUSY_MS 15000

int
harness_store_exec(const char *store_path, const char *sql)
{
	sqlite3 *db;
	PGconn *c;
	PGresult *r;
	int ok;

	if (!harness_pg()) {
		if (sqlite3_open_v2(store_path, &db, SQLITE_OPEN_READWRITE,
			NULL) != SQLITE_OK) {
			sqlite3_close(db);
			return -1;
		}
		/* The server writes too (its jobs run every second in
		 * some tests): wait for its lock as it waits for ours. */
		sqlite3_busy_timeout(db, HARNESS_BUSY_MS);
		ok = sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK;
		if (!ok)
			fprintf(stderr, "harness_store_exec: %s\n",
			    sqlite3_errmsg(db));
		sqlite3_close(db);
		return ok ? 0 : -1;
	}
	if ((c = pg_open(store_path)) == NULL)
		return -1;
	r = PQexec(c, sql);
	ok = PQstatus(c) == CONNECTION_OK &&
	    (PQresultStatus(r) == PGRES_COMMAND_OK ||
		PQresultStatus(r) == PGRES_TUPLES_OK);
	if (!ok)
		fprintf(stderr, "harness_store_exec: %s\n", PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
	return ok ? 0 : -1;
}

int
harness_db_holds(const char *store_path, const char *needle)
{
	const char *suffix[] = { "", "-wal", "-journal" };
	char path[600];
	size_t i, n, k = strlen(needle);
	char *buf;
	FILE *f;
	long len;
	int found = 0;

	for (i = 0; i < 3 && !found; i++) {
		snprintf(path, sizeof(path), "%s%s", store_path, suffix[i]);
		if ((f = fopen(path, "rb")) == NULL)
			continue;
		if (fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 ||
		    fseek(f, 0, SEEK_SET) != 0 ||
		    (buf = malloc((size_t)len + 1)) == NULL) {
			fclose(f);
			continue;
		}
		n = fread(buf, 1, (size_t)len, f);
		fclose(f);
		for (size_t j = 0; j + k <= n && !found; j++)
			found = memcmp(buf + j, needle, k) == 0;
		free(buf);
	}
	return found;
}

int
harness_store_value(const char *store_path, const char *sql, char *out,
    size_t n)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	PGconn *c;
	PGresult *r;
	int rc = -1;

	out[0] = '\0';
	if (!harness_pg()) {
		if (sqlite3_open_v2(store_path, &db, SQLITE_OPEN_READONLY,
			NULL) != SQLITE_OK) {
			sqlite3_close(db);
			return -1;
		}
		sqlite3_busy_timeout(db, HARNESS_BUSY_MS);
		if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
			rc = sqlite3_step(st);
			if (rc == SQLITE_ROW) {
				const unsigned char *v =
				    sqlite3_column_text(st, 0);

				snprintf(out, n, "%s",
				    v ? (const char *)v : "");
				rc = 0;
			} else {
				rc = rc == SQLITE_DONE ? 1 : -1;
			}
			sqlite3_finalize(st);
		}
		sqlite3_close(db);
		return rc;
	}
	if ((c = pg_open(store_path)) == NULL)
		return -1;
	r = PQexec(c, sql);
	if (PQstatus(c) == CONNECTION_OK &&
	    PQresultStatus(r) == PGRES_TUPLES_OK) {
		rc = PQntuples(r) > 0 ? 0 : 1;
		if (rc == 0)
			snprintf(out, n, "%s", PQgetvalue(r, 0, 0));
	}
	PQclear(r);
	PQfinish(c);
	return rc;
}

int
harness_store_sound(const char *store_path)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int ok = 0;

	if (harness_pg()) /* PostgreSQL checks its own pages */
		return harness_store_exec(store_path,
			   "SELECT count(*) FROM schema_migrations") == 0;
	if (sqlite3_open_v2(store_path, &db, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		sqlite3_close(db);
		return 0;
	}
	if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) ==
	    SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			ok = strcmp((const char *)sqlite3_column_text(st, 0),
				 "ok") == 0;
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return ok;
}

static const char *
bin_path(void)
{
	const char *b = getenv("CRENEAU_BIN");

	return b ? b : "build/creneau";
}

/* Builds the child's environment: ours without any CRENEAU_ variable
 * (CRENEAU_BIN included: the server refuses variables it does not know),
 * then more, then extra. */
static char **
child_env(const char *const *extra, const char *const *more)
{
	/* Used at once by the caller (fork, exec) and not after. */
	static char pg[5][600];
	const char *store = NULL;
	size_t n = 0, i, k = 0;
	char **env;
	int own_driver = 0;

	for (i = 0; environ[i]; i++)
		n++;
	for (i = 0; extra && extra[i]; i++) {
		n++;
		if (strncmp(extra[i], "CRENEAU_STORE_PATH=", 19) == 0)
			store = extra[i] + 19;
		if (strncmp(extra[i], "CRENEAU_STORE_DRIVER=", 21) == 0)
			own_driver = 1;
	}
	for (i = 0; more && more[i]; i++) {
		n++;
		if (strncmp(more[i], "CRENEAU_STORE_PATH=", 19) == 0 &&
		    store == NULL)
			store = more[i] + 19;
	}
	env = calloc(n + 6, sizeof(*env));
	if (env == NULL)
		return NULL;
	for (i = 0; environ[i]; i++)
		if (strncmp(environ[i], "CRENEAU_", 8) != 0)
			env[k++] = environ[i];
	for (i = 0; more && more[i]; i++)
		env[k++] = (char *)(uintptr_t)more[i];
	for (i = 0; extra && extra[i]; i++)
		env[k++] = (char *)(uintptr_t)extra[i];
	/* On PostgreSQL the store path still places the key files; the
	 * data goes to the database standing for it (unless the test names
	 * its own driver and URL). */
	if (store != NULL && harness_pg() && !own_driver) {
		if (harness_pg_env(store, pg) != 0) {
			free(env);
			return NULL;
		}
		for (i = 0; i < 5; i++)
			env[k++] = pg[i];
	}
	return env;
}

/* Runs the binary with args and the environment envp, output discarded.
 * Returns its exit status, or -1. */
static int
run_env(const char *const *args, char **envp, const char *out)
{
	pid_t pid = fork();
	int status, fd;
	size_t i;

	if (pid == 0) {
		char *argv[16];

		argv[0] = (char *)(uintptr_t)bin_path();
		for (i = 0; i < 14 && args[i]; i++)
			argv[i + 1] = (char *)(uintptr_t)args[i];
		argv[i + 1] = NULL;
		fd = out != NULL
		    ? open(out, O_WRONLY | O_CREAT | O_APPEND, 0600)
		    : open("/dev/null", O_WRONLY);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execve(argv[0], argv, envp);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int
harness_start(struct proc *p, const char *const *env, int https)
{
	static const char *const demo[] = { "demo-data", NULL };
	char listen[64], store[320], demo_log[sizeof(p->dir) + 16];
	const char *more[4];
	char **cenv;
	int fd, i;
	struct reply r;

	if (p->dir[0] == '\0' && harness_tmpdir(p) != 0)
		return -1;
	if (p->port == 0)
		p->port = harness_free_port();
	snprintf(listen, sizeof(listen), "CRENEAU_HTTP_LISTEN=127.0.0.1:%d",
	    p->port);
	snprintf(store, sizeof(store), "CRENEAU_STORE_PATH=%s", p->db);
	more[0] = listen;
	more[1] = store;
	more[2] = "CRENEAU_HTTP_SHUTDOWN_TIMEOUT=10";
	more[3] = NULL;
	cenv = child_env(env, more);
	if (cenv == NULL)
		return -1;
	/* As `make run` does: database and keys first. What it says is
	 * kept apart (the server's log is what tests read) and copied to
	 * the server's log when it fails, for the test that stops here. */
	snprintf(demo_log, sizeof(demo_log), "%s/demo-data.log", p->dir);
	if ((i = run_env(demo, cenv, demo_log)) != 0) {
		FILE *f = fopen(p->log, "a"), *d = fopen(demo_log, "r");
		char line[512];

		if (f != NULL) {
			fprintf(f, "harness: demo-data exited with %d:\n", i);
			while (
			    d != NULL && fgets(line, sizeof(line), d) != NULL)
				fputs(line, f);
			fclose(f);
		}
		if (d != NULL)
			fclose(d);
		free(cenv);
		return -1;
	}
	p->pid = fork();
	if (p->pid == 0) {
		char *argv[] = { (char *)(uintptr_t)bin_path(), "serve", NULL };

		fd = open(p->log, O_WRONLY | O_CREAT | O_APPEND, 0600);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execve(argv[0], argv, cenv);
		_exit(127);
	}
	free(cenv);
	if (p->pid < 0)
		return -1;
	for (i = 0; i < 200; i++) {
		int status;

		if (waitpid(p->pid, &status, WNOHANG) == p->pid) {
			p->pid = 0;
			return -1;
		}
		if (https) {
			if (raw_exchange(p->port, "", 0, NULL, 0, 0) >= 0)
				return 0;
		} else if (http_call(p->port, "GET", "/healthz", NULL, NULL, 0,
			       &r) == 0) {
			long st = r.status;

			reply_free(&r);
			if (st == 200)
				return 0;
		}
		nap_ms(50);
	}
	harness_stop(p, SIGKILL);
	return -1;
}

struct with_auth {
	int (*fn)(const struct auth *a, struct store_conn *c, void *arg);
	const struct auth *a;
	void *arg;
};

static int
with_auth_tx(struct store *st, struct store_conn *c, void *arg)
{
	const struct with_auth *w = arg;

	(void)st;
	return w->fn(w->a, c, w->arg);
}

int
harness_with_auth(const char *store_path,
    int (*fn)(const struct auth *a, struct store_conn *c, void *arg), void *arg)
{
	char store_env[400], pg[5][600], err[512];
	char *envp[7] = { store_env, NULL };
	struct store_config sc;
	struct app_keys keys;
	struct config cfg;
	struct store *st;
	struct auth a;
	struct with_auth w = { fn, &a, arg };
	int rc = -1, i;

	snprintf(store_env, sizeof(store_env), "CRENEAU_STORE_PATH=%s",
	    store_path);
	if (harness_pg()) {
		if (harness_pg_env(store_path, pg) != 0)
			return -1;
		for (i = 0; i < 5; i++)
			envp[1 + i] = pg[i];
	}
	memset(&keys, 0, sizeof(keys));
	if (config_load(&cfg, NULL, envp, err, sizeof(err)) != 0)
		return -1;
	store_config_from(&sc, &cfg, STORE_SCHEMA_MAIN);
	if ((st = store_open(&sc, err, sizeof(err))) == NULL)
		return -1;
	if (app_keys_open(&keys, &cfg, err, sizeof(err)) == 0) {
		memset(&a, 0, sizeof(a));
		a.st = st;
		a.ks = keys.keystore;
		a.audit_key = keys.audit;
		rc = store_tx(st, 1, with_auth_tx, &w);
	}
	if (rc != 0)
		fprintf(stderr, "harness: %s\n", err);
	app_keys_close(&keys);
	store_free(st);
	return rc;
}

int
harness_start_second(struct proc *b, const struct proc *a,
    const char *const *env)
{
	memset(b, 0, sizeof(*b));
	memcpy(b->dir, a->dir, sizeof(b->dir));
	memcpy(b->db, a->db, sizeof(b->db));
	snprintf(b->log, sizeof(b->log), "%s/server-b.log", b->dir);
	return harness_start(b, env, 0);
}

int
harness_run(const char *const *args, const char *const *env, char *out,
    size_t outlen)
{
	int pipefd[2], status;
	pid_t pid;
	char **cenv;
	size_t got = 0;
	ssize_t n;

	if (pipe(pipefd) != 0)
		return -1;
	cenv = child_env(env, NULL);
	pid = fork();
	if (pid == 0) {
		size_t i;
		char *argv[32];

		argv[0] = (char *)(uintptr_t)bin_path();
		for (i = 0; i < 30 && args[i]; i++)
			argv[i + 1] = (char *)(uintptr_t)args[i];
		argv[i + 1] = NULL;
		close(pipefd[0]);
		dup2(pipefd[1], 1);
		dup2(pipefd[1], 2);
		execve(argv[0], argv, cenv);
		_exit(127);
	}
	free(cenv);
	close(pipefd[1]);
	while (outlen > 0 && got + 1 < outlen &&
	    (n = read(pipefd[0], out + got, outlen - got - 1)) > 0)
		got += (size_t)n;
	if (outlen > 0)
		out[got] = '\0';
	/* Drain what did not fit: closing the pipe early would kill a
	 * child still writing (SIGPIPE) and fail the run. */
	{
		char drop[4096];

		while (read(pipefd[0], drop, sizeof(drop)) > 0)
			continue;
	}
	close(pipefd[0]);
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int
harness_stop(struct proc *p, int sig)
{
	int status, i;

	if (p->pid <= 0)
		return -1;
	kill(p->pid, sig);
	for (i = 0; i < 300; i++) {
		if (waitpid(p->pid, &status, WNOHANG) == p->pid) {
			p->pid = 0;
			return WIFEXITED(status) ? WEXITSTATUS(status)
						 : 128 + WTERMSIG(status);
		}
		nap_ms(50);
	}
	kill(p->pid, SIGKILL);
	waitpid(p->pid, &status, 0);
	p->pid = 0;
	return -1;
}

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* CRENEAU_TEST_LOGS=FILE: each server's log is appended there before its
 * directory goes (to read after a failure). */
static void
keep_log(const struct proc *p)
{
	const char *dst = getenv("CRENEAU_TEST_LOGS");
	char *s;
	FILE *f;

	if (dst == NULL || (s = harness_log(p)) == NULL)
		return;
	if ((f = fopen(dst, "a")) != NULL) {
		fprintf(f, "==== %s\n%s", p->dir, s);
		fclose(f);
	}
	free(s);
}

void
harness_cleanup(struct proc *p)
{
	if (p->pid > 0)
		harness_stop(p, SIGKILL);
	if (p->dir[0] != '\0')
		keep_log(p);
	if (p->dir[0] != '\0')
		nftw(p->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	if (p->dir[0] != '\0' && p->db[0] != '\0' && harness_pg())
		harness_pg_drop(p->db);
	p->dir[0] = '\0';
}

char *
harness_log(const struct proc *p)
{
	FILE *f = fopen(p->log, "r");
	char *s;
	long n;

	if (f == NULL)
		return strdup("");
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	s = calloc(1, (size_t)n + 1);
	if (s != NULL && n > 0 && fread(s, 1, (size_t)n, f) != (size_t)n)
		s[0] = '\0';
	fclose(f);
	return s;
}

struct grow {
	char *p;
	size_t n;
};

static size_t
on_data(char *ptr, size_t size, size_t nmemb, void *arg)
{
	struct grow *g = arg;
	size_t n = size * nmemb;
	char *q = realloc(g->p, g->n + n + 1);

	if (q == NULL)
		return 0;
	memcpy(q + g->n, ptr, n);
	g->n += n;
	q[g->n] = '\0';
	g->p = q;
	return n;
}

int
http_call(int port, const char *method, const char *path,
    const char *const *headers, const char *body, size_t body_len,
    struct reply *r)
{
	CURL *c = curl_easy_init();
	struct curl_slist *hl = NULL;
	struct grow b = { NULL, 0 }, h = { NULL, 0 };
	char url[2048];
	CURLcode rc;
	size_t i;

	memset(r, 0, sizeof(*r));
	if (c == NULL)
		return -1;
	snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", port, path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	if (strcmp(method, "HEAD") == 0)
		curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, &h);
	/* No "Expect: 100-continue" unless a test asks for it. */
	hl = curl_slist_append(hl, "Expect:");
	for (i = 0; headers && headers[i]; i++)
		hl = curl_slist_append(hl, headers[i]);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
	if (body != NULL) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
		    (curl_off_t)body_len);
	}
	rc = curl_easy_perform(c);
	if (rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
	curl_slist_free_all(hl);
	curl_easy_cleanup(c);
	if (rc != CURLE_OK) {
		if (getenv("HARNESS_DEBUG"))
			fprintf(stderr, "curl: %s %s: %s\n", method, path,
			    curl_easy_strerror(rc));
		free(b.p);
		free(h.p);
		return -1;
	}
	r->body = b.p ? b.p : calloc(1, 1);
	r->body_len = b.n;
	r->headers = h.p ? h.p : calloc(1, 1);
	return 0;
}

char *
reply_header(const struct reply *r, const char *name)
{
	size_t nl = strlen(name);
	const char *p = r->headers, *end;

	while (p && *p) {
		end = strstr(p, "\r\n");
		if (end == NULL)
			end = p + strlen(p);
		if ((size_t)(end - p) > nl && strncasecmp(p, name, nl) == 0 &&
		    p[nl] == ':') {
			const char *v = p + nl + 1;

			while (*v == ' ')
				v++;
			return strndup(v, (size_t)(end - v));
		}
		p = *end ? end + 2 : end;
	}
	return NULL;
}

void
reply_free(struct reply *r)
{
	free(r->body);
	free(r->headers);
	memset(r, 0, sizeof(*r));
}

long
raw_exchange(int port, const void *req, size_t len, char *out, size_t outlen,
    int timeout_ms)
{
	struct sockaddr_in sa;
	struct pollfd pfd;
	int fd;
	size_t got = 0, sent = 0;
	ssize_t n;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		close(fd);
		return -1;
	}
	while (sent < len) {
		n = send(fd, (const char *)req + sent, len - sent,
		    MSG_NOSIGNAL);
		if (n <= 0)
			break; /* the server may answer and close early */
		sent += (size_t)n;
	}
	pfd.fd = fd;
	pfd.events = POLLIN;
	while (
	    out != NULL && got + 1 < outlen && poll(&pfd, 1, timeout_ms) > 0) {
		n = recv(fd, out + got, outlen - got - 1, 0);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (out != NULL && outlen > 0)
		out[got] = '\0';
	close(fd);
	return (long)got;
}

int
raw_status(const char *answer)
{
	int code;

	if (answer == NULL || sscanf(answer, "HTTP/1.%*d %d", &code) != 1)
		return -1;
	return code;
}

/* Opens a TCP connection to port from 127.0.0.<host>, sends nothing.
 * Returns the socket, or -1. */
int
raw_idle_socket(int port, int host)
{
	struct sockaddr_in from, to;
	struct pollfd pfd;
	int fd, err = 0;
	socklen_t len = sizeof(err);

	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	memset(&from, 0, sizeof(from));
	from.sin_family = AF_INET;
	from.sin_addr.s_addr = htonl(0x7f000000u | (unsigned)host);
	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	to.sin_port = htons((uint16_t)port);
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&from, sizeof(from)) != 0 ||
	    (connect(fd, (struct sockaddr *)&to, sizeof(to)) != 0 &&
		errno != EINPROGRESS)) {
		close(fd);
		return -1;
	}
	pfd.fd = fd;
	pfd.events = POLLOUT;
	if (poll(&pfd, 1, 2000) != 1 ||
	    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

double
harness_proc_cpu_ms(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long ut = 0, st = 0;
	size_t n;
	FILE *f;

	if (pid <= 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* After the command name in parentheses, which may hold spaces:
	 * state is field 3, utime and stime are fields 14 and 15. */
	if ((p = strrchr(buf, ')')) == NULL ||
	    sscanf(p + 2,
		"%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut,
		&st) != 2)
		return -1;
	return (double)(ut + st) * 1000.0 / (double)sysconf(_SC_CLK_TCK);
}

double
harness_proc_mem_mb(pid_t pid, const char *key)
{
	char path[64], line[256];
	size_t n = strlen(key);
	double kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/status", (long)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, key, n) == 0) {
			kb = strtod(line + n, NULL);
			break;
		}
	fclose(f);
	return kb < 0 ? -1 : kb / 1024;
}

int
harness_proc_reset_peak(pid_t pid)
{
	char path[64];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "/proc/%ld/clear_refs", (long)pid);
	if ((f = fopen(path, "w")) == NULL)
		return -1;
	ok = fputs("5", f) >= 0;
	return fclose(f) == 0 && ok ? 0 : -1;
}
