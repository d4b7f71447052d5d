/*
 * form.h - application/x-www-form-urlencoded bodies (the OAuth token,
 * revocation and introspection endpoints, RFC 6749 4.1.3).
 */
#ifndef CRENEAU_FORM_H
#define CRENEAU_FORM_H

#include <stddef.h>

#include "http/http.h"

/* Whether req's Content-Type is application/x-www-form-urlencoded. */
int http_form_is(const struct http_request *req);

/*
 * Copies the decoded value of parameter name of the form body into out.
 * Returns 0, 1 if absent, or -1 if malformed, longer than outlen - 1, or
 * present more than once (RFC 6749 3.1: parameters must not repeat).
 */
int http_form_get(const struct http_request *req, const char *name, char *out,
    size_t outlen);

#endif
