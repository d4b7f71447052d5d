/* oidc_token.c - ID token checks: signature (cjose), then claims. */
#include "auth/oidc_token.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjose/cjose.h>
#include <jansson.h>

static int
refuse(char *why, size_t whylen, const char *rule)
{
	if (why != NULL && whylen > 0)
		snprintf(why, whylen, "%s", rule);
	return 1;
}

static int
alg_ok(const char *alg)
{
	static const char *const ok[] = { "RS256", "RS384", "RS512", "PS256",
		"PS384", "PS512", "ES256", "ES384", "ES512" };
	size_t i;

	for (i = 0; alg != NULL && i < sizeof(ok) / sizeof(ok[0]); i++)
		if (strcmp(alg, ok[i]) == 0)
			return 1;
	return 0;
}

/* Whether one key of the set (of kid when the token names one) verifies
 * jws. */
static int
verified(cjose_jws_t *jws, const char *jwks, size_t jwks_len, const char *kid)
{
	json_t *set, *keys, *k;
	json_error_t jerr;
	cjose_err cerr;
	cjose_jwk_t *jwk;
	const char *use, *kkid;
	char *text;
	size_t i;
	int ok = 0;

	if ((set = json_loadb(jwks, jwks_len, 0, &jerr)) == NULL)
		return 0;
	keys = json_object_get(set, "keys");
	json_array_foreach (keys, i, k) {
		if (ok)
			break;
		use = json_string_value(json_object_get(k, "use"));
		kkid = json_string_value(json_object_get(k, "kid"));
		if ((use != NULL && strcmp(use, "sig") != 0) ||
		    (kid != NULL && (kkid == NULL || strcmp(kid, kkid) != 0)))
			continue;
		if ((text = json_dumps(k, JSON_COMPACT)) == NULL)
			continue;
		jwk = cjose_jwk_import(text, strlen(text), &cerr);
		free(text);
		if (jwk == NULL)
			continue;
		ok = cjose_jws_verify(jws, jwk, &cerr);
		cjose_jwk_release(jwk);
	}
	json_decref(set);
	return ok;
}

static int
aud_ok(json_t *claims, const char *client_id)
{
	json_t *aud = json_object_get(claims, "aud"), *v;
	const char *azp = json_string_value(json_object_get(claims, "azp"));
	size_t i;
	int found = 0;

	if (json_is_string(aud))
		return strcmp(json_string_value(aud), client_id) == 0 &&
		    (azp == NULL || strcmp(azp, client_id) == 0);
	if (!json_is_array(aud))
		return 0;
	json_array_foreach (aud, i, v)
		found |= json_is_string(v) &&
		    strcmp(json_string_value(v), client_id) == 0;
	/* Several audiences: azp must name this client. */
	if (json_array_size(aud) > 1 &&
	    (azp == NULL || strcmp(azp, client_id) != 0))
		return 0;
	return found;
}

/* Copies a string claim; "" when absent. Returns 0, or -1 if not a
 * string or too long. */
static int
copy_claim(json_t *claims, const char *name, char *out, size_t outlen)
{
	json_t *v = json_object_get(claims, name);

	out[0] = '\0';
	if (v == NULL)
		return 0;
	if (!json_is_string(v) || json_string_length(v) >= outlen)
		return -1;
	memcpy(out, json_string_value(v), json_string_length(v) + 1);
	return 0;
}

static int
amr_join(json_t *claims, char *out, size_t outlen)
{
	json_t *amr = json_object_get(claims, "amr"), *v;
	size_t i, n = 0, l;

	out[0] = '\0';
	if (amr == NULL)
		return 0;
	if (!json_is_array(amr))
		return -1;
	json_array_foreach (amr, i, v) {
		if (!json_is_string(v))
			return -1;
		l = json_string_length(v);
		if (n + l + 2 > outlen || strchr(json_string_value(v), ','))
			return -1;
		if (n > 0)
			out[n++] = ',';
		memcpy(out + n, json_string_value(v), l);
		n += l;
		out[n] = '\0';
	}
	return 0;
}

static int
claims_check(json_t *c, const struct oidc_expect *e, struct oidc_claims *out,
    char *why, size_t whylen)
{
	json_t *exp = json_object_get(c, "exp"),
	       *iat = json_object_get(c, "iat");
	const char *iss = json_string_value(json_object_get(c, "iss"));
	const char *nonce = json_string_value(json_object_get(c, "nonce"));

	if (iss == NULL || strcmp(iss, e->issuer) != 0)
		return refuse(why, whylen, "iss");
	if (!aud_ok(c, e->client_id))
		return refuse(why, whylen, "aud");
	if (!json_is_integer(exp) ||
	    json_integer_value(exp) + e->skew_s <= e->now_s)
		return refuse(why, whylen, "exp");
	if (!json_is_integer(iat) ||
	    json_integer_value(iat) - e->skew_s > e->now_s)
		return refuse(why, whylen, "iat");
	if (e->nonce == NULL || nonce == NULL || strcmp(nonce, e->nonce) != 0)
		return refuse(why, whylen, "nonce");
	if (copy_claim(c, "sub", out->sub, sizeof(out->sub)) != 0 ||
	    out->sub[0] == '\0')
		return refuse(why, whylen, "sub");
	if (copy_claim(c, "acr", out->acr, sizeof(out->acr)) != 0 ||
	    amr_join(c, out->amr, sizeof(out->amr)) != 0)
		return refuse(why, whylen, "malformed");
	return 0;
}

int
oidc_token_check(const char *jwks, size_t jwks_len, const char *token,
    const struct oidc_expect *e, struct oidc_claims *out, char *why,
    size_t whylen)
{
	cjose_jws_t *jws = NULL;
	cjose_header_t *hdr;
	cjose_err cerr;
	uint8_t *pt = NULL;
	size_t ptlen = 0, tlen = token ? strlen(token) : 0;
	json_t *claims = NULL;
	json_error_t jerr;
	int rc;

	memset(out, 0, sizeof(*out));
	if (tlen == 0 || tlen > OIDC_TOKEN_MAX ||
	    (jws = cjose_jws_import(token, tlen, &cerr)) == NULL)
		return refuse(why, whylen, "malformed");
	rc = refuse(why, whylen, "signature");
	if ((hdr = cjose_jws_get_protected(jws)) == NULL ||
	    !alg_ok(cjose_header_get(hdr, CJOSE_HDR_ALG, &cerr)) ||
	    !verified(jws, jwks, jwks_len,
		cjose_header_get(hdr, CJOSE_HDR_KID, &cerr)))
		goto done;
	/* The plaintext belongs to jws. */
	if (!cjose_jws_get_plaintext(jws, &pt, &ptlen, &cerr) ||
	    (claims = json_loadb((const char *)pt, ptlen, 0, &jerr)) == NULL ||
	    !json_is_object(claims)) {
		rc = refuse(why, whylen, "malformed");
		goto done;
	}
	rc = claims_check(claims, e, out, why, whylen);
done:
	if (rc != 0)
		memset(out, 0, sizeof(*out));
	json_decref(claims);
	cjose_jws_release(jws);
	return rc;
}

int
oidc_list_has(const char *list, const char *word)
{
	const char *p = list, *end;
	size_t n, wl = strlen(word);

	if (list == NULL || wl == 0)
		return 0;
	while (*p != '\0') {
		while (*p == ' ' || *p == ',')
			p++;
		end = p + strcspn(p, ",");
		n = (size_t)(end - p);
		while (n > 0 && p[n - 1] == ' ')
			n--;
		if (n == wl && strncmp(p, word, n) == 0)
			return 1;
		p = end;
	}
	return 0;
}

int
oidc_claims_mfa(const struct oidc_claims *c, const char *acr_list,
    const char *amr_list)
{
	const char *p = c->amr, *end;
	char one[OIDC_AMR_MAX];
	size_t n;

	if (c->acr[0] != '\0' && oidc_list_has(acr_list, c->acr))
		return 1;
	while (*p != '\0') {
		end = p + strcspn(p, ",");
		n = (size_t)(end - p);
		memcpy(one, p, n);
		one[n] = '\0';
		if (oidc_list_has(amr_list, one))
			return 1;
		p = *end ? end + 1 : end;
	}
	return 0;
}
