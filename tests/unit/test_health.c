/* test_health.c - src/api/health.c: /healthz follows the database,
 * /readyz follows the server's state. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "api/api.h"
#include "app.h"
#include "http/response.h"
#include "store/driver.h"
#include "unit.h"

static void
call(http_handler h, struct app *app, struct http_response *resp)
{
	struct http_request req;

	memset(&req, 0, sizeof(req));
	req.app = app;
	http_response_init(resp);
	h(&req, resp);
}

static void
test_health(void **state)
{
	char dir[64], path[128], err[256];
	struct store_config c = { "sqlite", path, 1000 };
	struct app app;
	struct http_response r;

	(void)state;
	assert_int_equal(unit_tmpdir(dir, sizeof(dir)), 0);
	snprintf(path, sizeof(path), "%s/h.db", dir);
	memset(&app, 0, sizeof(app));
	app.store = store_open(&c, err, sizeof(err));
	assert_non_null(app.store);

	call(api_healthz, &app, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.content_type, HTTP_CT_JSON);
	assert_non_null(strstr(r.body, "\"database\":\"ok\""));
	http_response_clear(&r);

	call(api_readyz, &app, &r);
	assert_int_equal(r.status, 503);
	assert_non_null(strstr(r.body, "\"code\":\"not_ready\""));
	http_response_clear(&r);
	atomic_store(&app.ready, 1);
	call(api_readyz, &app, &r);
	assert_int_equal(r.status, 200);
	http_response_clear(&r);

	store_free(app.store);
	unit_rmdir(dir);
}

static int
fill_tx(struct store *st, struct store_conn *c, void *arg)
{
	static unsigned char big[32 * 1024];
	struct store_val p = SV_B(big, sizeof(big));

	(void)arg;
	return store_drv(st)->exec(c, "INSERT INTO fill (b) VALUES ($1)", &p, 1,
	    NULL, NULL);
}

/*
 * A store that cannot write (a write found no room) makes /healthz 503
 * storage_full, while /readyz stays 200 (reads still work) and says
 * writes are refused; a write that commits again makes both say ok.
 */
static void
test_health_follows_writes(void **state)
{
	char dir[64], path[128], err[256];
	struct store_config c = { "sqlite", path, 1000 };
	struct app app;
	struct http_response r;
	const struct store_driver *d;

	(void)state;
	assert_int_equal(unit_tmpdir(dir, sizeof(dir)), 0);
	snprintf(path, sizeof(path), "%s/h.db", dir);
	memset(&app, 0, sizeof(app));
	app.store = store_open(&c, err, sizeof(err));
	assert_non_null(app.store);
	atomic_store(&app.ready, 1);
	d = store_drv(app.store);
	assert_int_equal(d->exec(store_conn(app.store),
			     "CREATE TABLE fill (b BLOB)", NULL, 0, NULL, NULL),
	    0);
	assert_int_equal(d->exec(store_conn(app.store),
			     "PRAGMA max_page_count = 3", NULL, 0, NULL, NULL),
	    0);
	assert_int_equal(store_tx(app.store, 1, fill_tx, NULL), -1);
	fault_clear();

	call(api_healthz, &app, &r);
	assert_int_equal(r.status, 503);
	assert_non_null(strstr(r.body, "\"code\":\"storage_full\""));
	assert_non_null(strstr(r.body, "\"writes\":\"refused_full\""));
	http_response_clear(&r);
	call(api_readyz, &app, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "\"writes\":\"refused_full\""));
	http_response_clear(&r);

	assert_int_equal(d->exec(store_conn(app.store),
			     "PRAGMA max_page_count = 100000", NULL, 0, NULL,
			     NULL),
	    0);
	assert_int_equal(store_tx(app.store, 1, fill_tx, NULL), 0);
	call(api_healthz, &app, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(r.body, "\"writes\":\"ok\""));
	http_response_clear(&r);
	call(api_readyz, &app, &r);
	assert_non_null(strstr(r.body, "\"writes\":\"ok\""));
	http_response_clear(&r);

	store_free(app.store);
	unit_rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_health),
		cmocka_unit_test(test_health_follows_writes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
