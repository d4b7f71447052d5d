/*
 * routes.c - every route Créneau serves, in one table.
 *
 * docs/openapi.yaml describes the same routes; a test checks the two agree.
 */
#include "api/api.h"
#include "auth/rbac.h"

const struct http_route api_routes[] = {
	{ HTTP_GET, "/healthz", api_healthz, PERM_PUBLIC },
	{ HTTP_GET, "/readyz", api_readyz, PERM_PUBLIC },
};

const size_t api_routes_count = sizeof(api_routes) / sizeof(api_routes[0]);
