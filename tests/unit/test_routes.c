/*
 * test_routes.c - src/api/routes.c: the route table is well formed and is
 * exactly what docs/openapi.yaml describes, method for method.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "auth/rbac.h"
#include "http/router.h"

#define MAX_OPS 256

struct op {
	char method[8];
	char path[256];
	char perm[64];
	int limited; /* documents the 429 of the rate limits */
};

/*
 * Reads the operations of docs/openapi.yaml: a path is a line "  /x:" at
 * two spaces, an operation a line "    get:" at four under it.
 */
static size_t
read_spec(struct op *ops)
{
	static const char *const verbs[] = { "get", "post", "put", "patch",
		"delete" };
	FILE *f = fopen("docs/openapi.yaml", "r");
	char line[512], path[256] = "";
	size_t n = 0, i, len;
	int in_paths = 0;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] != ' ' && line[0] != '\0')
			in_paths = strcmp(line, "paths:") == 0;
		if (!in_paths)
			continue;
		len = strlen(line);
		if (strncmp(line, "  /", 3) == 0 && line[len - 1] == ':') {
			snprintf(path, sizeof(path), "%.*s", (int)(len - 3),
			    line + 2);
			continue;
		}
		for (i = 0; i < 5; i++) {
			char want[32];

			snprintf(want, sizeof(want), "    %s:", verbs[i]);
			if (strcmp(line, want) == 0 && n < MAX_OPS) {
				size_t k;

				for (k = 0; verbs[i][k]; k++)
					ops[n].method[k] = (char)toupper(
					    (unsigned char)verbs[i][k]);
				ops[n].method[k] = '\0';
				snprintf(ops[n].path, sizeof(ops[n].path), "%s",
				    path);
				n++;
			}
		}
	}
	fclose(f);
	return n;
}

/* Reads the x-permission of the operations (lines "      x-permission: P"
 * under an operation) and whether they document a 429 (a line
 * '        "429":'). */
static void
read_perms(struct op *ops, size_t n)
{
	FILE *f = fopen("docs/openapi.yaml", "r");
	char line[512], path[256] = "", method[8] = "";
	size_t i;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, "  /", 3) == 0)
			snprintf(path, sizeof(path), "%.*s",
			    (int)strlen(line) - 3, line + 2);
		else if (strncmp(line, "    ", 4) == 0 && line[4] != ' ' &&
		    line[strlen(line) - 1] == ':') {
			size_t k;

			for (k = 0;
			     k + 1 < sizeof(method) && line[4 + k] != ':'; k++)
				method[k] =
				    (char)toupper((unsigned char)line[4 + k]);
			method[k] = '\0';
		} else if (strncmp(line, "      x-permission: ", 20) == 0) {
			for (i = 0; i < n; i++)
				if (strcmp(ops[i].path, path) == 0 &&
				    strcmp(ops[i].method, method) == 0)
					snprintf(ops[i].perm,
					    sizeof(ops[i].perm), "%.63s",
					    line + 20);
		} else if (strcmp(line, "        \"429\":") == 0) {
			for (i = 0; i < n; i++)
				if (strcmp(ops[i].path, path) == 0 &&
				    strcmp(ops[i].method, method) == 0)
					ops[i].limited = 1;
		}
	}
	fclose(f);
}

static void
test_table_valid(void **state)
{
	char err[128];

	(void)state;
	assert_int_equal(router_check(api_routes, api_routes_count, err,
			     sizeof(err)),
	    0);
}

static void
test_matches_openapi(void **state)
{
	struct op ops[MAX_OPS];
	size_t n = read_spec(ops), i, j;
	int found;

	(void)state;
	assert_true(n > 0);
	read_perms(ops, n);
	for (i = 0; i < api_routes_count; i++) {
		found = 0;
		for (j = 0; j < n; j++)
			if (strcmp(ops[j].path, api_routes[i].pattern) == 0 &&
			    strcmp(ops[j].method,
				http_method_name(api_routes[i].method)) == 0) {
				found = 1;
				if (strcmp(ops[j].perm,
					rbac_perm_name(
					    (enum perm)api_routes[i].tag)) != 0)
					fail_msg(
					    "%s %s: x-permission '%s', the "
					    "route needs '%s'",
					    ops[j].method, ops[j].path,
					    ops[j].perm,
					    rbac_perm_name(
						(enum perm)api_routes[i].tag));
			}
		if (!found)
			fail_msg("%s %s is served but not in docs/openapi.yaml",
			    http_method_name(api_routes[i].method),
			    api_routes[i].pattern);
	}
	for (j = 0; j < n; j++) {
		found = 0;
		for (i = 0; i < api_routes_count; i++)
			if (strcmp(ops[j].path, api_routes[i].pattern) == 0 &&
			    strcmp(ops[j].method,
				http_method_name(api_routes[i].method)) == 0)
				found = 1;
		if (!found)
			fail_msg("%s %s is documented but not served",
			    ops[j].method, ops[j].path);
	}
}

/* The school-side API, and only it, documents the rate limits' 429. */
static void
test_rate_limits_documented(void **state)
{
	struct op ops[MAX_OPS];
	size_t n, i, j;
	int school;

	(void)state;
	memset(ops, 0, sizeof(ops));
	n = read_spec(ops);
	read_perms(ops, n);
	for (i = 0; i < api_routes_count; i++) {
		school = rbac_perm_is_school((enum perm)api_routes[i].tag);
		for (j = 0; j < n; j++)
			if (strcmp(ops[j].path, api_routes[i].pattern) == 0 &&
			    strcmp(ops[j].method,
				http_method_name(api_routes[i].method)) == 0 &&
			    ops[j].limited != school)
				fail_msg("%s %s: %s", ops[j].method,
				    ops[j].path,
				    school ? "school-side, no 429 documented"
					   : "429 documented, not limited");
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_valid),
		cmocka_unit_test(test_matches_openapi),
		cmocka_unit_test(test_rate_limits_documented),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
