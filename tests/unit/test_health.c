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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_health),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
