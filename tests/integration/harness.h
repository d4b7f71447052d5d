/*
 * harness.h - driving a real Créneau server over HTTP in tests.
 *
 * The server is either the real binary (harness_start: build/creneau serve
 * on a free loopback port, its own temporary directory and database) or an
 * in-process struct http_server with test routes; both are reached over a
 * real socket, with libcurl or with raw bytes for malformed requests.
 */
#ifndef CRENEAU_HARNESS_H
#define CRENEAU_HARNESS_H

#include <stddef.h>
#include <sys/types.h>

struct proc {
	pid_t pid;
	int port;
	char dir[256]; /* temporary directory, removed by harness_cleanup */
	char log[300]; /* the server's stderr */
	char db[300];
};

struct reply {
	long status;
	char *headers; /* raw header block, NUL-terminated */
	char *body; /* NUL-terminated */
	size_t body_len;
};

/* Whether the tests run on PostgreSQL (CRENEAU_TEST_STORE=postgresql, with
 * CRENEAU_TEST_PG_URL and CRENEAU_TEST_PG_PASSWORD_FILE from tests/pg/server):
 * every store path a test names then stands for a database of its own
 * (and one for its keystore), created on first use. */
int harness_pg(void);

/* Creates (if needed) the databases standing for store_path and fills env
 * with the five CRENEAU_ variables that point a server at them. */
int harness_pg_env(const char *store_path, char env[5][600]);

/* Drops the databases standing for store_path. */
void harness_pg_drop(const char *store_path);

/* Runs sql (no parameters, no rows wanted) on the store at store_path:
 * the SQLite file, or the PostgreSQL database standing for it. For tests
 * that must reach under the server (a schema from the future...). */
int harness_store_exec(const char *store_path, const char *sql);

/* Runs the query sql on the store at store_path and copies the first
 * column of its first row, as text, to out. Returns 0, 1 when there is no
 * row, or -1. For tests that need an id the API would not hand them. */
int harness_store_value(const char *store_path, const char *sql, char *out,
    size_t n);

/* Whether the SQLite files of store_path (the database, its WAL and its
 * journal) hold the bytes of needle anywhere: 1 yes, 0 no (0 too on
 * PostgreSQL, whose files a test does not read). */
int harness_db_holds(const char *store_path, const char *needle);

/* Whether the store at store_path passes its integrity check. */
int harness_store_sound(const char *store_path);

/* Returns a loopback TCP port free at the time of the call. */
int harness_free_port(void);

/* Creates a fresh temporary directory in p->dir. Returns 0 or -1. */
int harness_tmpdir(struct proc *p);

/*
 * Starts `$CRENEAU_BIN serve` (default build/creneau) with HTTP on p->port
 * (picked if 0) and the database in p->dir, plus env (NULL-terminated
 * "KEY=VALUE" list, may be NULL), then waits until /healthz answers (or
 * the scheme is https and the port accepts). Returns 0 or -1.
 */
int harness_start(struct proc *p, const char *const *env, int https);

struct auth;
struct store_conn;

/* Runs fn in one write transaction of the store at store_path (SQLite,
 * or the PostgreSQL database standing for it), with its keys, as code
 * inside the server would (notifications, bookings). Returns fn's result,
 * or -1. */
int harness_with_auth(const char *store_path,
    int (*fn)(const struct auth *a, struct store_conn *c, void *arg),
    void *arg);

/* Starts a second instance b beside a, as behind a load balancer: a's
 * directory, database and keys, its own port and log (server-b.log), env
 * as for harness_start. Stop it before a, and clear b->dir then: the
 * directory is a's, removed once. Returns 0 or -1. */
int harness_start_second(struct proc *b, const struct proc *a,
    const char *const *env);

/* Runs `$CRENEAU_BIN args...` with env to completion; stdout+stderr go to
 * out (outlen bytes, NUL-terminated). Returns the exit status, -1 if it
 * died by a signal. */
int harness_run(const char *const *args, const char *const *env, char *out,
    size_t outlen);

/* Sends sig and waits for the server. Returns its exit status (128+n for
 * signal n), or -1 if it did not stop within 15 s (it is then killed). */
int harness_stop(struct proc *p, int sig);

/* Removes p->dir and everything in it. */
void harness_cleanup(struct proc *p);

/* Reads the whole server log into a new string (free it). */
char *harness_log(const struct proc *p);

/*
 * One HTTP request with libcurl to http://127.0.0.1:port path. headers is a
 * NULL-terminated list of "Name: value" lines (may be NULL); body may be
 * NULL. Returns 0 and fills r (free with reply_free), or -1 on a transport
 * error.
 */
int http_call(int port, const char *method, const char *path,
    const char *const *headers, const char *body, size_t body_len,
    struct reply *r);

/* Returns a copy of header name's value in r (free it), or NULL. */
char *reply_header(const struct reply *r, const char *name);

void reply_free(struct reply *r);

/*
 * Sends raw bytes to the port, then reads until the server closes or
 * timeout_ms passes without data. Returns the number of bytes read into
 * out (NUL-terminated), or -1 if the connection failed.
 */
long raw_exchange(int port, const void *req, size_t len, char *out,
    size_t outlen, int timeout_ms);

/* Opens a TCP connection to port from 127.0.0.<host> (the whole
 * 127.0.0.0/8 is loopback) and sends nothing. Returns the socket, or -1. */
int raw_idle_socket(int port, int host);

/* Parses the status code of a raw "HTTP/1.1 NNN ..." answer, or -1. */
int raw_status(const char *answer);

/*
 * What the kernel says of process pid, for the benches: its CPU time
 * (user + system) in milliseconds, from /proc/<pid>/stat (counted in
 * clock ticks, 10 ms here: average it over many calls); a memory figure
 * of /proc/<pid>/status in MB (key "VmRSS:", "VmHWM:"). -1 when
 * unreadable.
 */
double harness_proc_cpu_ms(pid_t pid);
double harness_proc_mem_mb(pid_t pid, const char *key);

/* Resets the peak RSS (VmHWM) of pid to its current RSS
 * (/proc/<pid>/clear_refs), so a later peak is of what ran since.
 * Returns 0 or -1. */
int harness_proc_reset_peak(pid_t pid);

#endif
