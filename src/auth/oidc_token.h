/*
 * oidc_token.h - checking an OpenID Connect ID token (OpenID Connect Core
 * 1.0, 3.1.3.7) with cjose: its signature against the provider's JWKS,
 * then iss, aud (and azp), exp and iat within the allowed clock skew,
 * and nonce. Pure: no I/O; the JWKS comes from oidc_http.h.
 */
#ifndef CRENEAU_OIDC_TOKEN_H
#define CRENEAU_OIDC_TOKEN_H

#include <stddef.h>
#include <stdint.h>

#define OIDC_SUB_MAX 256
#define OIDC_ACR_MAX 128
#define OIDC_AMR_MAX 256
/* An ID token longer than this is refused. */
#define OIDC_TOKEN_MAX (16 * 1024)

/* What an accepted ID token says. */
struct oidc_claims {
	char sub[OIDC_SUB_MAX];
	char acr[OIDC_ACR_MAX]; /* "" when absent */
	char amr[OIDC_AMR_MAX]; /* its values joined by commas, "" if none */
};

/* What the token must match. */
struct oidc_expect {
	const char *issuer;
	const char *client_id;
	const char *nonce;
	int64_t now_s; /* seconds since the epoch */
	long skew_s;
};

/*
 * Checks the compact JWS token (NUL-terminated) against jwks (the JSON
 * text of a JWK set, jwks_len bytes) and e. Only asymmetric algorithms
 * are accepted (RS*, PS*, ES*): "none" and HS* are refused. Returns 0
 * with *out filled, or 1 when the token is refused, with in why the
 * first rule it breaks ("signature", "iss", "aud", "azp", "exp", "iat",
 * "nonce", "sub", "malformed"); never -1: a token that cannot be read is
 * refused.
 */
int oidc_token_check(const char *jwks, size_t jwks_len, const char *token,
    const struct oidc_expect *e, struct oidc_claims *out, char *why,
    size_t whylen);

/* Returns 1 if c counts as a second factor: its acr is one of acr_list
 * or one of its amr values is one of amr_list (comma-separated lists,
 * may be empty). Pure. */
int oidc_claims_mfa(const struct oidc_claims *c, const char *acr_list,
    const char *amr_list);

/* Returns 1 if word is one of the comma-separated list (spaces around
 * items ignored). Pure. */
int oidc_list_has(const char *list, const char *word);

#endif
