/*
 * response.h - building responses: JSON, problem+json, headers.
 *
 * Every answer of Créneau goes through here, so the security headers,
 * charsets and problem format are the same everywhere.
 */
#ifndef CRENEAU_RESPONSE_H
#define CRENEAU_RESPONSE_H

#include "http/http.h"

#define HTTP_CT_JSON "application/json; charset=utf-8"
#define HTTP_CT_PROBLEM "application/problem+json; charset=utf-8"
#define HTTP_CT_TEXT "text/plain; charset=utf-8"

/* Prepares an empty response (status 0 means "no answer yet"). */
void http_response_init(struct http_response *r);

/* Frees what the response owns; the struct can be reused after init. */
void http_response_clear(struct http_response *r);

/* Adds a header (name static, value copied). Returns 0, or -1 when the
 * header table is full or the value holds CR, LF or NUL. */
int http_response_header(struct http_response *r, const char *name,
    const char *value);

/* Returns the value of a header the handler set, or NULL. */
const char *http_response_header_get(const struct http_response *r,
    const char *name);

/* The policy of every download, on top of the fixed one: the document is
 * sandboxed (no script, no form, an opaque origin) and loads nothing. */
#define HTTP_DOWNLOAD_CSP "sandbox; default-src 'none'"

/*
 * Marks r as a download (SECURITY.md, uploads and downloads): sets
 * Content-Disposition to disposition ("attachment; filename=\"x.csv\"",
 * RFC 6266) and adds the sandboxing HTTP_DOWNLOAD_CSP. Returns 0 or -1.
 */
int http_response_download(struct http_response *r, const char *disposition);

/* Answers status with body serialised compactly. Takes the reference to
 * body. On allocation failure the answer becomes a 500 problem. */
void http_response_json(struct http_response *r, int status, json_t *body);

/* Answers status with the JSON text of w (http/jsonw.h), which it
 * finishes; a 500 problem when the writer failed. */
struct jsonw;
void http_response_jsonw(struct http_response *r, int status, struct jsonw *w);

/*
 * Answers a problem+json (RFC 9457): {type, title, status, code, detail,
 * instance, field?}. code is a stable machine name ("invalid_json");
 * detail is French prose for the person; field names the input at fault
 * (NULL when none). Replaces any earlier answer.
 */
void http_problem(const struct http_request *req, struct http_response *r,
    int status, const char *code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Adds member name (taking the reference to value) to the problem
 * document r already holds, for details a client acts on (the lines of a
 * refused file, the slots taken by others). Does nothing when r holds no
 * problem. */
void http_problem_add(struct http_response *r, const char *name, json_t *value);

/* Returns the French title of an HTTP status for problem documents. */
const char *http_status_title(int status);

/* The headers of SECURITY.md that every response carries. */
struct http_fixed_header {
	const char *name;
	const char *value;
};
extern const struct http_fixed_header http_security_headers[];
extern const size_t http_security_headers_count;

/* Strict-Transport-Security, sent only over TLS. */
#define HTTP_HSTS_VALUE "max-age=31536000; includeSubDomains"

#endif
