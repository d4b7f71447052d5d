/* serve.c - the server's life: start, wait for a signal, stop in order. */
#include "serve.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "backup/backup.h"
#include "cmd_backup.h"
#include "app.h"
#include "core/fsutil.h"
#include "core/log.h"
#include "booking/config.h"
#include "gdpr/datamap.h"
#include "gdpr/retention.h"
#include "gdpr/request.h"
#include "store/columns.h"
#include "http/server.h"
#include "jobs/scheduler.h"
#include "service/basket.h"
#include "service/service.h"
#include "service/mandates.h"
#include "notify/notify.h"
#include "notify/outbox.h"

#define HOUR_MS (60LL * 60 * 1000)
#define DAY_MS (24 * HOUR_MS)

static int
job_store_maintenance(void *arg, int64_t now_ms)
{
	(void)now_ms;
	return store_maintain(arg);
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

int
serve_run(const struct config *cfg)
{
	struct app app;
	struct store_config sc;
	struct http_server_config hc;
	struct http_server *srv = NULL;
	struct scheduler *sched = NULL;
	struct backup_job bj;
	struct outbox_job oj;
	char workdir[CONFIG_PATH_MAX];
	sigset_t sigs;
	char err[512];
	int sig = 0, from, to, status = 1, lock, builtin_backup;

	store_config_from(&sc, cfg, STORE_SCHEMA_MAIN);
	/* Signals are taken by sigwait() below: block them before any thread
	 * starts so every thread inherits the mask. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	memset(&app, 0, sizeof(app));
	memset(&oj, 0, sizeof(oj));
	app.cfg = cfg;
	app.clock = clock_real();
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
	app.rules = svc_rules_from_config(cfg);
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
	/* The encrypted backup copies a SQLite file; a PostgreSQL database
	 * is backed up by the server's own tools (docs/operations.md). */
	builtin_backup = strcmp(cfg->store_driver, "postgresql") != 0;
	if (!builtin_backup)
		log_info("serve: PostgreSQL store: no backup job; back the "
			 "database up with pg_dump (docs/operations.md)");
	if (cfg->jobs_enabled) {
		sched = scheduler_new(app.clock, app.store);
		if (sched == NULL ||
		    scheduler_add(sched, "store-maintenance", HOUR_MS,
			job_store_maintenance, app.store) != 0 ||
		    scheduler_add(sched, "retention", DAY_MS, job_retention,
			&app) != 0 ||
		    scheduler_add(sched, "basket-expiry", 15 * 1000,
			job_baskets, &app) != 0 ||
		    scheduler_add(sched, "rights-reminders", DAY_MS,
			job_rights_reminders, &app) != 0 ||
		    (builtin_backup &&
			scheduler_add(sched, "backup",
			    cfg->backup_interval_hours * HOUR_MS, backup_job,
			    &bj) != 0) ||
		    scheduler_add(sched, "mandate-expiry", 10 * 60 * 1000LL,
			job_mandate_expiry, &app) != 0 ||
		    (cfg->smtp_url[0] != '\0' &&
			scheduler_add(sched, "outbox",
			    cfg->smtp_interval * 1000, outbox_job, &oj) != 0) ||
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
	hc.max_header_bytes = (size_t)cfg->max_header_bytes;
	hc.timeout_s = (unsigned)cfg->timeout;
	hc.per_ip_connections = (unsigned)cfg->per_ip_connections;
	hc.max_connections = (unsigned)cfg->max_connections;
	hc.access_log = cfg->access_log;
	hc.web_dir = cfg->web_dir;
	srv = http_server_new(&hc, api_routes, api_routes_count, &app, err,
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
	scheduler_free(sched);
	outbox_job_clear(&oj);
	app_keys_close(&app.keys);
	datamap_free(app.datamap);
	store_free(app.store);
	backup_unlock_db(lock);
	if (status == 0)
		log_info("serve: stopped");
	return status;
}
