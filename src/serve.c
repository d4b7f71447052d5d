/* serve.c - the server's life: start, wait for a signal, stop in order. */
#include "serve.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "api/api.h"
#include "auth/idcache.h"
#include "remote/client.h"
#include "backup/backup.h"
#include "cmd_backup.h"
#include "app.h"
#include "core/fsutil.h"
#include "core/limits.h"
#include "core/log.h"
#include "booking/config.h"
#include "gdpr/datamap.h"
#include "gdpr/startup.h"
#include "gdpr/retention.h"
#include "gdpr/request.h"
#include "store/columns.h"
#include "tenancy/contact.h"
#include "http/server.h"
#include "jobs/scheduler.h"
#include "gdpr/policy.h"
#include "notify/sms.h"
#include "notify/sms_reports.h"
#include "service/appt_notify.h"
#include "service/appt_online.h"
#include "service/basket.h"
#include "service/service.h"
#include "service/mandates.h"
#include "service/tenant_deletion.h"
#include "service/tenant_export.h"
#include "notify/notify.h"
#include "notify/outbox.h"

#include <sodium.h>

#define HOUR_MS (60LL * 60 * 1000)
#define DAY_MS (24 * HOUR_MS)

/* Hourly: checkpoint and statistics, then the page check again, so
 * damage that appears while serving shows in /healthz and stops writes
 * (store_condition). */
static int
job_store_maintenance(void *arg, int64_t now_ms)
{
	char err[512];
	int rc = store_maintain(arg);

	(void)now_ms;
	if (store_quick_check(arg, LIMIT_STORE_CHECK_MS, err, sizeof(err)) <
	    0) {
		log_errorx("jobs: store-maintenance: %s", err);
		rc = -1;
	}
	return rc;
}

/* Daily: the retention engine applies the data map's rules, writes its
 * purge report and audit entry. */
static int
job_retention(void *arg, int64_t now_ms)
{
	struct app *app = arg;
	struct retention_report *rep = calloc(1, sizeof(*rep));
	struct retention_ctx ctx;
	int rc;

	if (rep == NULL)
		return -1;
	memset(&ctx, 0, sizeof(ctx));
	ctx.st = app->store;
	ctx.auth = &app->auth;
	ctx.keys = &app->keys;
	ctx.audit_retention_days = app->cfg->audit_retention_days;
	ctx.clock = app->clock;
	rc = retention_run(&ctx, app->datamap, now_ms, rep);
	if (rep->total > 0)
		log_info("jobs: retention removed %ld records (report %lld)",
		    rep->total, (long long)rep->report_id);
	free(rep);
	return rc;
}

/* Hourly: terminated organisations whose grace period has passed are
 * deleted (keys destroyed, rows deleted, certificate signed); the daily
 * retention run does the same, this keeps the delay within the hour. */
static int
job_tenant_deletion(void *arg, int64_t now_ms)
{
	struct app *app = arg;
	long rows = 0, keys = 0, n;

	n = tenant_deletion_due_all(&app->auth, app->keys.audit_sk,
	    app->keys.audit_pk, now_ms, &rows, &keys);
	if (n > 0)
		log_info("jobs: %ld terminated organisation(s) deleted, %ld"
			 " rows, %ld keys destroyed",
		    n, rows, keys);
	return n < 0 ? -1 : 0;
}

/* Every few seconds: baskets past their 15 minutes give their slots back
 * and their owners are told; owners of baskets about to expire are
 * warned. */
static int
job_baskets(void *arg, int64_t now_ms)
{
	struct app *app = arg;
	struct svc s = { &app->auth, &app->rules };
	long expired = 0, warned = 0;
	int rc = svc_baskets_expire(&s, now_ms, &expired, &warned);

	if (expired > 0)
		log_info("jobs: %ld expired baskets emptied", expired);
	return rc;
}

/* The export of a client organisation, built on a thread of its own so
 * that a large one holds up no other job (basket expiry...). */
struct export_worker {
	struct app *app;
	pthread_t thread;
	int started; /* thread to join */
	atomic_int busy, stop;
	int64_t now;
};

static void *
export_work(void *arg)
{
	struct export_worker *w = arg;

	if (tenant_export_run(&w->app->auth, w->app->cfg->tenancy_export_dir,
		w->now, &w->stop) != 0)
		log_errorx("jobs: tenant-export failed");
	atomic_store(&w->busy, 0);
	return NULL;
}

/* Every [tenancy] export_interval: unless a build is still running, the
 * archives past their expiry are deleted, then the oldest export asked
 * for is built (one per run), on the worker's thread. */
static int
job_tenant_exports(void *arg, int64_t now_ms)
{
	struct export_worker *w = arg;

	if (atomic_load(&w->busy))
		return 0;
	if (w->started) {
		pthread_join(w->thread, NULL);
		w->started = 0;
	}
	w->now = now_ms;
	atomic_store(&w->busy, 1);
	if (pthread_create(&w->thread, NULL, export_work, w) != 0) {
		atomic_store(&w->busy, 0);
		return -1;
	}
	w->started = 1;
	return 0;
}

/* At shutdown, after the scheduler: a build in progress stops before its
 * next entity, back in the queue. */
static void
export_worker_stop(struct export_worker *w)
{
	atomic_store(&w->stop, 1);
	if (w->started)
		pthread_join(w->thread, NULL);
	w->started = 0;
}

/* Every 5 minutes, with shared rate limits: windows that ended go. */
static int
job_rate_windows(void *arg, int64_t now_ms)
{
	struct app *app = arg;

	return ratelimit_purge(app->ratelimit, now_ms, NULL);
}

/*
 * Several instances on one PostgreSQL database count the rate limits in
 * it, keys hashed under a key every instance derives from the keystore's
 * index key. Returns 0 or -1.
 */
static int
ratelimit_shared(struct app *app)
{
	struct data_key key;
	unsigned char hk[RATELIMIT_HASH_KEY];
	static const char ctx[] = "creneau ratelimit keys";

	if (auth_key(&app->auth, AUTH_KEY_OWNER_INDEX, 1, &key) != 0)
		return -1;
	crypto_generichash(hk, sizeof(hk), (const unsigned char *)ctx,
	    sizeof(ctx) - 1, key.k, sizeof(key.k));
	ratelimit_share(app->ratelimit, app->store, hk);
	sodium_memzero(&key, sizeof(key));
	sodium_memzero(hk, sizeof(hk));
	return 0;
}

/* Every minute: the holds of online appointment booking that expired
 * are deleted (an expired hold takes no time already). */
static int
job_appt_holds(void *arg, int64_t now_ms)
{
	struct app *app = arg;
	struct svc s = { &app->auth, &app->rules };
	long n = 0;
	int rc = svc_appt_holds_expire(&s, now_ms, &n);

	if (n > 0)
		log_info("jobs: %ld expired appointment holds deleted", n);
	return rc;
}

/* Every [appt] reminder_interval: the reminders of the appointments
 * whose reminder time has come (email, SMS). */
static int
job_appt_reminders(void *arg, int64_t now_ms)
{
	struct app *app = arg;
	struct svc s = { &app->auth, &app->rules };

	return appt_reminder_job(&s, now_ms);
}

/* Every 10 minutes: mandates past their expiry end (RULES.md rule 1),
 * their schools told. */
static int
job_mandate_expiry(void *arg, int64_t now_ms)
{
	struct app *app = arg;
	struct svc s = { &app->auth, &app->rules };
	long n = 0;
	int rc;

	rc = svc_mandates_expire(&s, now_ms, &n);
	if (n > 0)
		log_info("jobs: %ld mandates expired", n);
	return rc;
}

/* Daily: reminds the DPO of the rights requests due in 7 days and in 1
 * day. */
static int
job_rights_reminders(void *arg, int64_t now_ms)
{
	struct app *app = arg;
	long n = request_reminders(&app->auth, now_ms);

	if (n > 0)
		log_info("jobs: %ld rights request reminders sent", n);
	return n < 0 ? -1 : 0;
}

/*
 * Whether [http] listen can be bound, with the option libmicrohttpd uses
 * (SO_REUSEADDR). Returns 0, or -1 with a reason in err. The server binds
 * for real later; this only turns the common failure into one true line.
 */
static int
listen_free(const struct config *cfg, char *err, size_t errlen)
{
	int fd, one = 1, rc;

	fd = socket(cfg->listen_addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 0; /* the server's own attempt will say why */
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	rc = bind(fd, (const struct sockaddr *)&cfg->listen_addr,
	    cfg->listen_addrlen);
	if (rc != 0)
		snprintf(err, errlen, "%s",
		    errno == EADDRINUSE   ? "the address is already in use (is "
					    "another server running?)"
			: errno == EACCES ? "permission denied for this port"
					  : strerror(errno));
	close(fd);
	return rc == 0 ? 0 : -1;
}

static void
clean_leftovers(const char *dir, const char *db_path)
{
	long n = backup_clean_leftovers(dir, db_path);

	if (n > 0)
		log_info("serve: removed %ld temporary files left by an "
			 "interrupted backup or restore in %s",
		    n, dir);
}

int
serve_run(const struct config *cfg)
{
	struct app app;
	struct http_route *routes = NULL;
	struct remote remote;
	struct store_config sc;
	struct http_server_config hc;
	struct http_server *srv = NULL;
	struct scheduler *sched = NULL;
	struct backup_job bj;
	struct outbox_job oj;
	struct sms_job sj;
	struct export_worker ew;
	char policy[POLICY_VERSION_MAX];
	char workdir[CONFIG_PATH_MAX];
	sigset_t sigs;
	char err[512];
	int sig = 0, from, to, status = 1, lock, rc, shared;

	memset(&ew, 0, sizeof(ew));
	ew.app = &app;
	store_config_from(&sc, cfg, STORE_SCHEMA_MAIN);
	/* Signals are taken by sigwait() below: block them before any thread
	 * starts so every thread inherits the mask. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* A file size limit (ulimit -f) makes a write fail like a full
	 * disk, which the store reports; it must not kill the server. */
	signal(SIGXFSZ, SIG_IGN);

	memset(&app, 0, sizeof(app));
	memset(&remote, 0, sizeof(remote));
	memset(&oj, 0, sizeof(oj));
	memset(&sj, 0, sizeof(sj));
	app.cfg = cfg;
	app.clock = clock_real();
	/* A port another process listens on, said once and plainly. */
	if (listen_free(cfg, err, sizeof(err)) != 0) {
		log_errorx("serve: [http] listen %s: %s", cfg->listen, err);
		return 1;
	}
	/* Held shared while serving: `creneau restore` takes it exclusive
	 * and so cannot swap the database under a running server. */
	lock = backup_lock_db(cfg->store_path, 0, err, sizeof(err));
	if (lock < 0) {
		log_errorx("serve: %s", err);
		return 1;
	}
	app.store = store_open(&sc, err, sizeof(err));
	if (app.store == NULL) {
		log_errorx("serve: %s", err);
		backup_unlock_db(lock);
		return 1;
	}
	/* Every page read once before anything is written: a damaged
	 * database is not served (and not written into). */
	rc = store_quick_check(app.store, LIMIT_STORE_CHECK_MS, err,
	    sizeof(err));
	if (rc < 0) {
		log_errorx("serve: [store] path: %s", err);
		goto done;
	}
	if (rc > 0)
		log_warnx("serve: the check of %s did not finish within %d s; "
			  "serving unchecked (check it while stopped: sqlite3 "
			  "FILE 'PRAGMA quick_check')",
		    cfg->store_path, LIMIT_STORE_CHECK_MS / 1000);
	if (store_migrate(app.store, &from, &to, err, sizeof(err)) != 0) {
		log_errorx("serve: %s", err);
		goto done;
	}
	if (app_keys_open(&app.keys, cfg, err, sizeof(err)) != 0) {
		log_errorx("serve: %s", err);
		goto done;
	}
	/* The data map is the register and the retention rules: a
	 * server whose schema holds undeclared personal data does not start. */
	app.datamap = datamap_load(cfg->datamap_path, err, sizeof(err));
	if (app.datamap == NULL ||
	    datamap_validate(app.datamap, err, sizeof(err)) != 0 ||
	    datamap_check_columns(app.datamap, store_columns,
		store_columns_count, err, sizeof(err)) != 0) {
		log_errorx("serve: [gdpr] datamap: %s", err);
		goto done;
	}
	app.auth.st = app.store;
	app.auth.ks = app.keys.keystore;
	app.auth.audit_key = app.keys.audit;
	/* Signed-in identities between requests; the epoch of migration 37
	 * tells when one may have changed (auth/idcache.h). */
	if ((app.auth.ids = idcache_new(0)) == NULL) {
		log_errorx("serve: out of memory");
		goto done;
	}
	if (gdpr_startup(&app.auth, err, sizeof(err)) != 0) {
		log_errorx("serve: [gdpr] %s", err);
		goto done;
	}
	app.rules = svc_rules_from_config(cfg);
	if (dossier_rules_init(&app.dossiers, cfg->dossiers_family_documents,
		cfg->dossiers_volunteer_documents,
		cfg->dossiers_document_max_bytes,
		cfg->dossiers_documents_max) != 0) {
		log_errorx("serve: [dossiers]: family_documents and "
			   "volunteer_documents are comma-separated lists of "
			   "at most %d names of a-z, 0-9 and _, no more than "
			   "documents_max",
		    DOSSIER_TYPES_MAX);
		goto done;
	}
	/* In memory with one instance (SQLite), in the database shared by
	 * the instances (PostgreSQL): see docs/architecture.md. */
	app.ratelimit =
	    ratelimit_new(LIMIT_RATELIMIT_KEYS, LIMIT_RATELIMIT_WINDOW_MS);
	shared = strcmp(cfg->store_driver, "postgresql") == 0;
	if (app.ratelimit == NULL || (shared && ratelimit_shared(&app) != 0)) {
		log_errorx("serve: cannot set up the rate limiter");
		goto done;
	}
	if (booking_rules_valid(&app.rules) != 0) {
		log_errorx("serve: [booking]: the basket may not take more "
			   "slots in one action than in all");
		goto done;
	}
	/* The plaintext copy a backup makes lives a moment beside the
	 * database, never on the backup medium. */
	if (fs_dir_of(cfg->store_path, workdir, sizeof(workdir)) != 0) {
		log_errorx("serve: [store] path: too long");
		goto done;
	}
	/* No restore runs (the lock above): decrypted copies and temporary
	 * files of killed backups and restores go now. */
	clean_leftovers(workdir, cfg->store_path);
	clean_leftovers(cfg->backup_dir, NULL);
	memset(&bj, 0, sizeof(bj));
	bj.st = app.store;
	bj.ks = app.keys.keystore;
	bj.audit_key = app.keys.audit;
	bj.dir = cfg->backup_dir;
	bj.work_dir = workdir;
	bj.keep = cfg->backup_keep;
	/* Emails go with notifications unless [notify] email is off; they
	 * are sent only when [smtp] url names a server. */
	notify_email_set(cfg->notify_email);
	if (outbox_job_init(&oj, &app.auth, cfg, err, sizeof(err)) != 0) {
		log_errorx("serve: %s", err);
		goto done;
	}
	if (cfg->notify_email && cfg->smtp_url[0] == '\0')
		log_info("serve: [smtp] url is empty: emails stay queued");
	/* Text messages are queued only when [sms] url names a gateway. */
	if (sms_job_init(&sj, &app.auth, cfg, err, sizeof(err)) != 0 ||
	    sms_reports_setup(cfg, err, sizeof(err)) != 0) {
		log_errorx("serve: %s", err);
		goto done;
	}
	if (policy_version(app.datamap, policy) != 0) {
		log_errorx("serve: [gdpr] datamap: no policy version");
		goto done;
	}
	appt_notify_setup(cfg, policy, cfg->sms_url[0] != '\0');
	/* Before the first request, not an hour later: an organisation
	 * deleted after the backup this database was restored from is
	 * deleted again (its key is gone from the keystore), never served
	 * as if alive. */
	if (cfg->jobs_enabled &&
	    job_tenant_deletion(&app, clock_now_ms(app.clock)) != 0)
		log_warnx("serve: the deletion of a due organisation failed; "
			  "the hourly job tries again");
	if (cfg->jobs_enabled) {
		sched = scheduler_new(app.clock, app.store);
		if (sched == NULL ||
		    scheduler_add(sched, "store-maintenance", HOUR_MS,
			job_store_maintenance, app.store) != 0 ||
		    scheduler_add(sched, "retention", DAY_MS, job_retention,
			&app) != 0 ||
		    scheduler_add(sched, "basket-expiry", 15 * 1000,
			job_baskets, &app) != 0 ||
		    scheduler_add(sched, "appt-hold-expiry", 60 * 1000,
			job_appt_holds, &app) != 0 ||
		    scheduler_add(sched, "rights-reminders", DAY_MS,
			job_rights_reminders, &app) != 0 ||
		    scheduler_add(sched, "tenant-deletion", HOUR_MS,
			job_tenant_deletion, &app) != 0 ||
		    scheduler_add(sched, "tenant-export",
			cfg->tenancy_export_interval * 1000LL,
			job_tenant_exports, &ew) != 0 ||
		    scheduler_add(sched, "backup",
			cfg->backup_interval_hours * HOUR_MS, backup_job,
			&bj) != 0 ||
		    (shared &&
			scheduler_add(sched, "rate-windows", 5 * 60 * 1000LL,
			    job_rate_windows, &app) != 0) ||
		    scheduler_add(sched, "mandate-expiry", 10 * 60 * 1000LL,
			job_mandate_expiry, &app) != 0 ||
		    (cfg->smtp_url[0] != '\0' &&
			scheduler_add(sched, "outbox",
			    cfg->smtp_interval * 1000, outbox_job, &oj) != 0) ||
		    scheduler_add(sched, "appt-reminders",
			cfg->appt_reminder_interval * 1000, job_appt_reminders,
			&app) != 0 ||
		    (cfg->sms_url[0] != '\0' &&
			scheduler_add(sched, "sms", cfg->sms_interval * 1000,
			    sms_job, &sj) != 0) ||
		    scheduler_start(sched) != 0) {
			log_errorx("serve: cannot start the job scheduler");
			goto done;
		}
	}

	memset(&hc, 0, sizeof(hc));
	hc.addr = (const struct sockaddr *)&cfg->listen_addr;
	hc.addrlen = cfg->listen_addrlen;
	hc.tls_cert = cfg->tls_cert[0] ? cfg->tls_cert : NULL;
	hc.tls_key = cfg->tls_key[0] ? cfg->tls_key : NULL;
	hc.threads = (unsigned)cfg->threads;
	hc.max_body_bytes = (size_t)cfg->max_body_bytes;
	/* The contacts' documents and imports are refused above the
	 * smaller of their own limit and this cap. */
	if (cfg->max_body_bytes < CONTACT_DOC_BYTES_MAX)
		log_warnx("serve: [http] max_body_bytes (%ld) is under the "
			  "contacts' document limit (%ld): documents and "
			  "imports are capped at %ld bytes",
		    cfg->max_body_bytes, CONTACT_DOC_BYTES_MAX,
		    cfg->max_body_bytes);
	hc.max_header_bytes = (size_t)cfg->max_header_bytes;
	hc.timeout_s = (unsigned)cfg->timeout;
	hc.per_ip_connections = (unsigned)cfg->per_ip_connections;
	hc.max_connections = (unsigned)cfg->max_connections;
	hc.access_log = cfg->access_log;
	hc.web_dir = cfg->web_dir;
	/* Remote mode: the school's booking routes are passed on to the
	 * authority (api/remote_api.c) instead of served from this store. */
	routes = malloc(api_routes_count * sizeof(*routes));
	if (routes == NULL)
		goto done;
	memcpy(routes, api_routes, api_routes_count * sizeof(*routes));
	if (strcmp(cfg->authority_mode, "remote") == 0) {
		if (remote_init(&remote, cfg, err, sizeof(err)) != 0) {
			log_errorx("serve: %s", err);
			goto done;
		}
		app.remote = &remote;
		log_info("serve: remote mode: %zu routes booked through %s",
		    api_remote_routes_apply(routes, api_routes_count),
		    remote.base);
	}
	srv = http_server_new(&hc, routes, api_routes_count, &app, err,
	    sizeof(err));
	if (srv == NULL) {
		log_errorx("serve: [http] listen %s: %s", cfg->listen, err);
		goto done;
	}
	atomic_store(&app.ready, 1);
	log_info("serve: listening on %s://%s (schema %d, %ld threads)",
	    hc.tls_cert ? "https" : "http", cfg->listen, to, cfg->threads);

	if (sigwait(&sigs, &sig) != 0)
		sig = 0;
	log_info("serve: signal %d, finishing requests in flight", sig);
	atomic_store(&app.ready, 0);
	if (http_server_shutdown(srv, (unsigned)cfg->shutdown_timeout) != 0)
		log_warnx("serve: some requests were cut at the deadline");
	status = 0;
done:
	http_server_free(srv);
	free(routes);
	remote_wipe(&remote);
	scheduler_free(sched);
	export_worker_stop(&ew);
	outbox_job_clear(&oj);
	sms_job_clear(&sj);
	app_keys_close(&app.keys);
	datamap_free(app.datamap);
	ratelimit_free(app.ratelimit);
	idcache_free(app.auth.ids);
	store_free(app.store);
	backup_unlock_db(lock);
	if (status == 0)
		log_info("serve: stopped");
	return status;
}
