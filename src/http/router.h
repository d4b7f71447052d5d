/*
 * router.h - matching a decoded path and a method against the route table.
 *
 * Patterns are literal segments and {name} parameters: "/api/v1/x/{id}".
 * HEAD is answered by GET routes. A path that matches a pattern under other
 * methods only gives ROUTER_METHOD_NOT_ALLOWED with the methods it has.
 */
#ifndef CRENEAU_ROUTER_H
#define CRENEAU_ROUTER_H

#include "http/http.h"

enum router_result {
	ROUTER_FOUND = 0,
	ROUTER_NOT_FOUND = 1,
	ROUTER_METHOD_NOT_ALLOWED = 2,
};

/*
 * Finds the route for method m and segs. On ROUTER_FOUND, *out is the route
 * and params/nparams hold its parameters (values point into segs). On
 * ROUTER_METHOD_NOT_ALLOWED, *allowed is the set of methods the path has.
 */
int router_match(const struct http_route *routes, size_t nroutes,
    enum http_method m, char *const *segs, size_t nsegs,
    struct http_param *params, size_t *nparams, const struct http_route **out,
    unsigned *allowed);

/* Writes the Allow header value for a method set ("GET, HEAD, POST"). */
void router_allow_header(unsigned allowed, char *out, size_t outlen);

/*
 * Checks a route table at start-up: patterns absolute and well formed,
 * at most LIMIT_PATH_PARAMS parameters, no method+pattern twice. Returns 0,
 * or -1 with the faulty pattern named in err.
 */
int router_check(const struct http_route *routes, size_t nroutes, char *err,
    size_t errlen);

#endif
