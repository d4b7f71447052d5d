/*
 * api.h - the JSON API: the route table and its handlers.
 *
 * Handlers are thin: parse the input, authorise, call the domain, shape
 * the answer. One file per resource.
 */
#ifndef CRENEAU_API_H
#define CRENEAU_API_H

#include "http/http.h"

/* The route table served by `creneau serve`. */
extern const struct http_route api_routes[];
extern const size_t api_routes_count;

/* health.c */
void api_healthz(struct http_request *req, struct http_response *resp);
void api_readyz(struct http_request *req, struct http_response *resp);

#endif
