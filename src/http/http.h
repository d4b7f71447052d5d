/*
 * http.h - our own request and response types.
 *
 * Handlers see only these structs; libmicrohttpd stays inside server.c.
 * A request arrives whole (head and body) and already checked: method
 * known, path decoded and free of traversal, body within its cap.
 */
#ifndef CRENEAU_HTTP_H
#define CRENEAU_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/limits.h"

enum http_method {
	HTTP_GET = 1 << 0,
	HTTP_HEAD = 1 << 1,
	HTTP_POST = 1 << 2,
	HTTP_PUT = 1 << 3,
	HTTP_PATCH = 1 << 4,
	HTTP_DELETE = 1 << 5,
	HTTP_OPTIONS = 1 << 6,
};

struct http_param {
	const char *name; /* points into the route pattern, ends at '}' */
	const char *value; /* decoded, points into the request */
};

struct http_route;

struct http_request {
	enum http_method method;
	const char *raw_path; /* as received, still percent-encoded */
	char *segs[LIMIT_PATH_SEGMENTS]; /* decoded path segments */
	size_t nsegs;
	struct http_param params[LIMIT_PATH_PARAMS];
	size_t nparams;
	const char *content_type; /* Content-Type header, NULL if none */
	const char *body; /* NUL-terminated; NULL when empty */
	size_t body_len;
	char request_id[33]; /* 128 random bits, hex */
	char client_ip[46]; /* for audit and rate limits, never logged */
	int tls; /* 1 when received over HTTPS */
	const struct http_route *route;
	void *app; /* the application context given to the server */
	void *conn; /* opaque, for http_request_header() */
};

struct http_header {
	const char *name; /* static */
	char *value; /* owned */
};

struct http_response {
	int status;
	char *body; /* owned, may be NULL */
	size_t body_len;
	/* A file body instead (has_fd set): fd_len bytes read from fd,
	 * which the response owns and closes. */
	int has_fd, fd;
	uint64_t fd_len;
	const char *content_type; /* static, with charset */
	struct http_header headers[LIMIT_RESPONSE_HEADERS];
	size_t nheaders;
};

typedef void (
    *http_handler)(struct http_request *req, struct http_response *resp);

/* A route: one method on one pattern such as "/api/v1/centres/{id}". */
struct http_route {
	enum http_method method;
	const char *pattern;
	http_handler handler;
	int tag; /* the API layer's own (its permission); unused here */
};

/* Returns the value of request header name (case-insensitive), or NULL. */
const char *http_request_header(const struct http_request *req,
    const char *name);

/* Returns the decoded value of path parameter name, or NULL. */
const char *http_request_param(const struct http_request *req,
    const char *name);

/*
 * Copies the decoded value of query argument name into out. Returns 0, 1
 * if absent, or -1 if malformed or longer than outlen - 1.
 */
int http_request_query(const struct http_request *req, const char *name,
    char *out, size_t outlen);

/*
 * Writes the request's query arguments into out as "a=1&b=2", encoded as
 * received (for a request passed on elsewhere). Returns 0, or -1 when it
 * does not fit in outlen.
 */
int http_request_query_string(const struct http_request *req, char *out,
    size_t outlen);

/* Returns "GET", "POST"... for a method. */
const char *http_method_name(enum http_method m);

/* Parses a method token. Returns 0, or -1 if not one Créneau serves. */
int http_method_parse(const char *s, enum http_method *out);

#endif
