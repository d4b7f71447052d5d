/*
 * cookie.h - reading the Cookie header and writing Set-Cookie.
 *
 * Créneau sets four cookies only: the session (__Host-creneau), the CSRF
 * token (XSRF-TOKEN), the known-device cookie (__Host-creneau-device,
 * src/auth/device.h) and, during a sign-in at an OpenID provider, the
 * flow's state (__Host-creneau-oidc, src/auth/oidc.h). All are written here,
 * with the flags SECURITY.md requires, so no handler composes a Set-Cookie by
 * hand.
 */
#ifndef CRENEAU_COOKIE_H
#define CRENEAU_COOKIE_H

#include <stddef.h>

#include "http/http.h"

#define COOKIE_SESSION "__Host-creneau"
#define COOKIE_XSRF "XSRF-TOKEN"
#define COOKIE_DEVICE "__Host-creneau-device"
#define COOKIE_OIDC "__Host-creneau-oidc"
#define COOKIE_SIGNUP "__Host-creneau-signup"
#define HEADER_XSRF "X-XSRF-TOKEN"

/*
 * Finds cookie name in a Cookie header value (n bytes) and copies its
 * value into out. Returns 0, 1 if absent, -1 if the header is malformed,
 * the name appears twice (a planted duplicate) or the value does not fit
 * or holds bytes outside the cookie-octet set of RFC 6265.
 */
int cookie_get(const char *header, size_t n, const char *name, char *out,
    size_t outlen);

/*
 * Adds a Set-Cookie for the session: HttpOnly, Secure, SameSite=Lax,
 * Path=/ and no Domain (the __Host- prefix rules), Max-Age max_age_s (0
 * deletes it; a negative age writes no Max-Age: the cookie ends with the
 * browser, for a "public computer" sign-in). Returns 0 or -1.
 */
int cookie_set_session(struct http_response *r, const char *value,
    long max_age_s);

/* Adds the XSRF-TOKEN cookie: readable by the page (no HttpOnly), Secure,
 * SameSite=Strict, Path=/, Max-Age as cookie_set_session. Returns 0 or
 * -1. */
int cookie_set_xsrf(struct http_response *r, const char *value, long max_age_s);

/* Adds the known-device cookie: HttpOnly, Secure, SameSite=Strict,
 * Path=/, no Domain, Max-Age max_age_s. Returns 0 or -1. */
int cookie_set_device(struct http_response *r, const char *value,
    long max_age_s);

/* Adds the cookie that binds an OpenID flow to the browser that began
 * it (its state): HttpOnly, Secure, SameSite=Lax (sent back on the
 * provider's redirect), Path=/, Max-Age max_age_s (0 deletes it).
 * Returns 0 or -1. */
int cookie_set_oidc(struct http_response *r, const char *value, long max_age_s);

/* The sign-up through a provider waiting for the person's confirmation
 * (its token), set with the provider's return: attributes as
 * cookie_set_oidc. Returns 0 or -1. */
int cookie_set_signup(struct http_response *r, const char *value,
    long max_age_s);

#endif
