/* demo.c - the demo data set-up shared by the HTTP tests. */
#include "demo.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

/* Finds the temporary password demo-data printed for a's email: the
 * line reads "  role  email  password". Returns 0 or -1. */
static int
temp_of(const char *out, struct demo_account *a)
{
	const char *p = strstr(out, a->email);
	char email[128];

	if (p == NULL || sscanf(p, "%127s %63s", email, a->temp) != 2 ||
	    strcmp(email, a->email) != 0)
		return -1;
	return 0;
}

int
demo_start(struct proc *srv, struct demo_account *const *accounts, size_t n)
{
	return demo_start_env(srv, NULL, accounts, n);
}

int
demo_start_env(struct proc *srv, const char *const *srv_env,
    struct demo_account *const *accounts, size_t n)
{
	return demo_start_on(srv, 0, srv_env, accounts, n);
}

int
demo_start_on(struct proc *srv, int port, const char *const *srv_env,
    struct demo_account *const *accounts, size_t n)
{
	static const char *const demo[] = { "demo-data", NULL };
	static char out[16384];
	char store_env[400];
	const char *env[] = { store_env, NULL };
	size_t i;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	memset(srv, 0, sizeof(*srv));
	srv->port = port;
	if (harness_tmpdir(srv) != 0)
		return -1;
	snprintf(store_env, sizeof(store_env), "CRENEAU_STORE_PATH=%s",
	    srv->db);
	if (harness_run(demo, env, out, sizeof(out)) != 0 ||
	    harness_start(srv, srv_env, 0) != 0) {
		fprintf(stderr, "demo: cannot start: %s\n", out);
		return -1;
	}
	for (i = 0; i < n; i++) {
		struct demo_account *a = accounts[i];

		if (temp_of(out, a) != 0) {
			fprintf(stderr, "demo: no password for %s\n", a->email);
			return -1;
		}
		snprintf(a->pw, sizeof(a->pw), "galet Orange tulipe %zu vent",
		    i);
		client_init(&a->c, srv->port);
		if (client_onboard(&a->c, a->email, a->temp, a->pw, a->mfa) !=
		    0)
			return -1;
	}
	return 0;
}

void
demo_stop(struct proc *srv, struct demo_account *const *accounts, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		client_free(&accounts[i]->c);
	harness_stop(srv, SIGTERM);
	harness_cleanup(srv);
	curl_global_cleanup();
}
