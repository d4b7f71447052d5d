/*
 * test_connections.c - the real binary under many idle connections.
 *
 * libmicrohttpd shares [http] max_connections out between its worker
 * threads, and a worker that reaches its share stops taking connections
 * until some of its own close. Idle sockets opened from many addresses
 * (each under [http] per_ip_connections) used to fill every worker's
 * share and the server then answered no one until they timed out. The
 * server must close idle connections early when it nears its limit, so a
 * new client is still served promptly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "harness.h"

#define ADDRESSES 22
#define PER_ADDRESS 50 /* under the default per-IP limit of 64 */

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* GET /healthz on a new connection from the default address; the time it
 * took into *ms. Returns the status, or -1. */
static long
healthz(int port, double *ms)
{
	struct reply r;
	double t0 = now_ms();
	long st = -1;

	if (http_call(port, "GET", "/healthz", NULL, NULL, 0, &r) == 0) {
		st = r.status;
		reply_free(&r);
	}
	*ms = now_ms() - t0;
	return st;
}

static void
test_idle_connections_do_not_starve(void **state)
{
	static int fds[ADDRESSES * PER_ADDRESS];
	struct rlimit rl;
	struct proc p;
	double ms, worst = 0;
	int i, n = 0, round;
	long st;

	(void)state;
	/* The test itself holds over a thousand sockets. */
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &rl), 0);
	if (rl.rlim_cur < 2048 && rl.rlim_max >= 2048) {
		rl.rlim_cur = 2048;
		assert_int_equal(setrlimit(RLIMIT_NOFILE, &rl), 0);
	}
	if (rl.rlim_cur < 2048)
		skip();
	memset(&p, 0, sizeof(p));
	assert_int_equal(harness_start(&p, NULL, 0), 0);
	for (i = 0; i < ADDRESSES * PER_ADDRESS; i++) {
		fds[n] = raw_idle_socket(p.port, 2 + i / PER_ADDRESS);
		if (fds[n] >= 0)
			n++;
	}
	printf("# %d idle connections open\n", n);
	assert_true(n >= 1024);
	/* A new client is served promptly, again and again. */
	for (round = 0; round < 10; round++) {
		st = healthz(p.port, &ms);
		if (st != 200)
			fail_msg(
			    "round %d: /healthz answered %ld after %.0f ms",
			    round, st, ms);
		worst = ms > worst ? ms : worst;
	}
	printf("# /healthz beside them: the longest %.0f ms\n", worst);
	assert_true(worst < 3000.0);
	for (i = 0; i < n; i++)
		close(fds[i]);
	assert_int_equal(harness_stop(&p, SIGTERM), 0);
	harness_cleanup(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_idle_connections_do_not_starve),
	};

	curl_global_init(CURL_GLOBAL_DEFAULT);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
