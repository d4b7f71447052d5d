/*
 * oidc_http.h - what Créneau asks an OpenID provider over HTTPS
 * (libcurl): its discovery document, its JWKS, and the exchange of an
 * authorization code (with its PKCE verifier) for tokens.
 *
 * Every answer is held to OIDC_HTTP_MAX bytes and OIDC_HTTP_TIMEOUT_S
 * seconds; redirects are not followed; only http(s) is spoken (http is
 * accepted by the configuration on loopback only).
 */
#ifndef CRENEAU_OIDC_HTTP_H
#define CRENEAU_OIDC_HTTP_H

#include <stddef.h>

#include "core/config.h"

#define OIDC_HTTP_MAX (256 * 1024)
#define OIDC_HTTP_TIMEOUT_S 10L
#define OIDC_URL_MAX 512

/* A provider's endpoints, from its discovery document. */
struct oidc_meta {
	char authorization_endpoint[OIDC_URL_MAX];
	char token_endpoint[OIDC_URL_MAX];
	char jwks_uri[OIDC_URL_MAX];
	char end_session_endpoint[OIDC_URL_MAX]; /* "" when none */
	char userinfo_endpoint[OIDC_URL_MAX]; /* "" when none */
};

/*
 * Reads p's discovery document (issuer + "/.well-known/openid-
 * configuration") into *m; its "issuer" must be p->issuer exactly and
 * each endpoint an http(s) URL. Returns 0, or -1 when the provider cannot
 * be reached or answers something else (logged without personal data).
 */
int oidc_discover(const struct config_oidc *p, struct oidc_meta *m);

/* Reads the JWKS at m->jwks_uri into a malloc'ed NUL-terminated *out
 * (*len bytes; free() it). Returns 0 or -1. */
int oidc_jwks(const struct oidc_meta *m, char **out, size_t *len);

/*
 * Exchanges code at m->token_endpoint for p's client (client_secret_basic
 * when p has a secret file, else the client id alone), with redirect_uri
 * and the PKCE verifier. *id_token receives the malloc'ed ID token
 * (free() it); with access_token not NULL, *access_token the access
 * token (malloc'ed, NULL when none: wipe and free it once used); the
 * other tokens of the answer are dropped at once. Returns 0, 1 when the
 * provider refuses the code, or -1 when it cannot be reached.
 */
int oidc_code_exchange(const struct config_oidc *p, const struct oidc_meta *m,
    const char *code, const char *redirect_uri, const char *verifier,
    char **id_token, char **access_token);

/*
 * Asks m's userinfo endpoint, with access_token, for the email address
 * of subject sub (a sign-up through the provider): the answer must name
 * sub and not say the address is unverified. Copies it into email (size
 * bytes). Returns 0; 1 when the provider gives none; -1 when it cannot
 * be reached or has no userinfo endpoint.
 */
int oidc_userinfo_email(const struct oidc_meta *m, const char *access_token,
    const char *sub, char *email, size_t size);

#endif
