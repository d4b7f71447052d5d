/* oidc_http.c - discovery, JWKS and the code exchange, over libcurl. */
#include "auth/oidc_http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <jansson.h>
#include <sodium.h>

#include "core/log.h"

struct body {
	char *p;
	size_t len;
	int toobig;
};

static size_t
write_cb(char *data, size_t size, size_t n, void *arg)
{
	struct body *b = arg;
	size_t add = size * n;
	char *np;

	if (b->len + add + 1 > OIDC_HTTP_MAX) {
		b->toobig = 1;
		return 0;
	}
	if ((np = realloc(b->p, b->len + add + 1)) == NULL)
		return 0;
	b->p = np;
	memcpy(b->p + b->len, data, add);
	b->len += add;
	b->p[b->len] = '\0';
	return add;
}

/*
 * GET url, or POST form (NUL-terminated, may be NULL) with basic
 * credentials user:pass (may be NULL), or with bearer (an
 * "Authorization: Bearer ..." header line, may be NULL). *status
 * receives the HTTP status. Returns 0 with b filled (free b->p), or -1
 * when nothing came back.
 */
static int
fetch_as(const char *url, const char *form, const char *user, const char *pass,
    const char *bearer, long *status, struct body *b)
{
	CURL *h = curl_easy_init();
	struct curl_slist *hdr = NULL;
	CURLcode rc = CURLE_FAILED_INIT;

	memset(b, 0, sizeof(*b));
	*status = 0;
	if (h == NULL)
		return -1;
	hdr = curl_slist_append(hdr, "Accept: application/json");
	if (hdr != NULL && bearer != NULL)
		hdr = curl_slist_append(hdr, bearer);
	if (hdr == NULL || curl_easy_setopt(h, CURLOPT_URL, url) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https") !=
		CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, write_cb) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_WRITEDATA, b) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_TIMEOUT, OIDC_HTTP_TIMEOUT_S) !=
		CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
	    (form != NULL &&
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, form) != CURLE_OK) ||
	    (user != NULL &&
		(curl_easy_setopt(h, CURLOPT_HTTPAUTH, CURLAUTH_BASIC) !=
			CURLE_OK ||
		    curl_easy_setopt(h, CURLOPT_USERNAME, user) != CURLE_OK ||
		    curl_easy_setopt(h, CURLOPT_PASSWORD, pass) != CURLE_OK)))
		goto done;
	rc = curl_easy_perform(h);
	if (rc == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
	else
		log_warnx("%s: provider unreachable: %s", __func__,
		    curl_easy_strerror(rc));
done:
	curl_slist_free_all(hdr);
	curl_easy_cleanup(h);
	if (rc != CURLE_OK || b->toobig) {
		free(b->p);
		memset(b, 0, sizeof(*b));
		return -1;
	}
	return 0;
}

static int
fetch(const char *url, const char *form, const char *user, const char *pass,
    long *status, struct body *b)
{
	return fetch_as(url, form, user, pass, NULL, status, b);
}

/* Copies an http(s) URL member of o into out; "" when absent and
 * optional. Returns 0 or -1. */
static int
url_member(json_t *o, const char *name, char out[OIDC_URL_MAX], int optional)
{
	const char *v = json_string_value(json_object_get(o, name));

	out[0] = '\0';
	if (v == NULL)
		return optional ? 0 : -1;
	if (strlen(v) >= OIDC_URL_MAX ||
	    (strncmp(v, "https://", 8) != 0 && strncmp(v, "http://", 7) != 0))
		return -1;
	memcpy(out, v, strlen(v) + 1);
	return 0;
}

int
oidc_discover(const struct config_oidc *p, struct oidc_meta *m)
{
	char url[OIDC_URL_MAX];
	struct body b;
	json_t *doc = NULL;
	const char *iss;
	long status;
	size_t n = strlen(p->issuer);
	int rc = -1;

	memset(m, 0, sizeof(*m));
	while (n > 0 && p->issuer[n - 1] == '/')
		n--;
	if (snprintf(url, sizeof(url), "%.*s/.well-known/openid-configuration",
		(int)n, p->issuer) >= (int)sizeof(url))
		return -1;
	if (fetch(url, NULL, NULL, NULL, &status, &b) != 0)
		return -1;
	if (status == 200)
		doc = json_loadb(b.p, b.len, 0, NULL);
	iss = json_string_value(json_object_get(doc, "issuer"));
	if (iss == NULL || strcmp(iss, p->issuer) != 0 ||
	    url_member(doc, "authorization_endpoint", m->authorization_endpoint,
		0) != 0 ||
	    url_member(doc, "token_endpoint", m->token_endpoint, 0) != 0 ||
	    url_member(doc, "jwks_uri", m->jwks_uri, 0) != 0 ||
	    url_member(doc, "end_session_endpoint", m->end_session_endpoint,
		1) != 0 ||
	    url_member(doc, "userinfo_endpoint", m->userinfo_endpoint, 1) != 0)
		log_warnx("%s: [oidc:%s]: unusable discovery document",
		    __func__, p->name);
	else
		rc = 0;
	json_decref(doc);
	free(b.p);
	return rc;
}

int
oidc_jwks(const struct oidc_meta *m, char **out, size_t *len)
{
	struct body b;
	long status;

	*out = NULL;
	*len = 0;
	if (fetch(m->jwks_uri, NULL, NULL, NULL, &status, &b) != 0)
		return -1;
	if (status != 200 || b.p == NULL) {
		free(b.p);
		return -1;
	}
	*out = b.p;
	*len = b.len;
	return 0;
}

/* Reads the client secret's first line into out. Returns 0 or -1. */
static int
read_secret(const char *path, char *out, size_t outlen)
{
	FILE *f = fopen(path, "r");
	int ok;

	if (f == NULL)
		return -1;
	ok = fgets(out, (int)outlen, f) != NULL;
	fclose(f);
	if (!ok)
		return -1;
	out[strcspn(out, "\r\n")] = '\0';
	return out[0] != '\0' ? 0 : -1;
}

/* Appends "&name=value", value URL-encoded, to out. Returns 0 or -1. */
static int
form_add(CURL *h, char *out, size_t outlen, const char *name, const char *v)
{
	char *enc = curl_easy_escape(h, v, 0);
	size_t n = strlen(out);
	int w;

	if (enc == NULL)
		return -1;
	w = snprintf(out + n, outlen - n, "%s%s=%s", n ? "&" : "", name, enc);
	curl_free(enc);
	return w < 0 || (size_t)w >= outlen - n ? -1 : 0;
}

int
oidc_code_exchange(const struct config_oidc *p, const struct oidc_meta *m,
    const char *code, const char *redirect_uri, const char *verifier,
    char **id_token, char **access_token)
{
	char form[4096] = "", secret[512] = "";
	CURL *h = curl_easy_init();
	struct body b;
	json_t *doc = NULL;
	const char *t;
	long status;
	int rc = -1, with_secret = p->client_secret_file[0] != '\0';

	*id_token = NULL;
	if (access_token != NULL)
		*access_token = NULL;
	memset(&b, 0, sizeof(b));
	if (h == NULL)
		return -1;
	if ((with_secret &&
		read_secret(p->client_secret_file, secret, sizeof(secret)) !=
		    0) ||
	    form_add(h, form, sizeof(form), "grant_type",
		"authorization_code") != 0 ||
	    form_add(h, form, sizeof(form), "code", code) != 0 ||
	    form_add(h, form, sizeof(form), "redirect_uri", redirect_uri) !=
		0 ||
	    form_add(h, form, sizeof(form), "code_verifier", verifier) != 0 ||
	    (!with_secret &&
		form_add(h, form, sizeof(form), "client_id", p->client_id) !=
		    0))
		goto done;
	if (fetch(m->token_endpoint, form, with_secret ? p->client_id : NULL,
		with_secret ? secret : NULL, &status, &b) != 0)
		goto done;
	rc = 1;
	if (status != 200 || (doc = json_loadb(b.p, b.len, 0, NULL)) == NULL ||
	    (t = json_string_value(json_object_get(doc, "id_token"))) == NULL)
		goto done;
	if ((*id_token = strdup(t)) == NULL)
		rc = -1;
	else
		rc = 0;
	t = json_string_value(json_object_get(doc, "access_token"));
	if (rc == 0 && access_token != NULL && t != NULL &&
	    (*access_token = strdup(t)) == NULL) {
		free(*id_token);
		*id_token = NULL;
		rc = -1;
	}
done:
	if (doc != NULL)
		json_decref(doc);
	if (b.p != NULL) {
		sodium_memzero(b.p, b.len);
		free(b.p);
	}
	sodium_memzero(secret, sizeof(secret));
	sodium_memzero(form, sizeof(form));
	curl_easy_cleanup(h);
	return rc;
}

int
oidc_userinfo_email(const struct oidc_meta *m, const char *access_token,
    const char *sub, char *email, size_t size)
{
	char bearer[4200];
	struct body b;
	json_t *doc = NULL;
	const char *v;
	long status;
	int rc = -1;

	email[0] = '\0';
	if (m->userinfo_endpoint[0] == '\0' || access_token == NULL ||
	    (size_t)snprintf(bearer, sizeof(bearer), "Authorization: Bearer %s",
		access_token) >= sizeof(bearer) ||
	    strpbrk(access_token, "\r\n") != NULL)
		return -1;
	if (fetch_as(m->userinfo_endpoint, NULL, NULL, NULL, bearer, &status,
		&b) != 0)
		goto done;
	rc = 1;
	/* The answer speaks of the ID token's subject, or of nobody. */
	if (status == 200 && (doc = json_loadb(b.p, b.len, 0, NULL)) != NULL &&
	    (v = json_string_value(json_object_get(doc, "sub"))) != NULL &&
	    strcmp(v, sub) == 0 &&
	    json_object_get(doc, "email_verified") != json_false() &&
	    (v = json_string_value(json_object_get(doc, "email"))) != NULL &&
	    strlen(v) < size) {
		memcpy(email, v, strlen(v) + 1);
		rc = 0;
	}
done:
	json_decref(doc);
	if (b.p != NULL) {
		sodium_memzero(b.p, b.len);
		free(b.p);
	}
	sodium_memzero(bearer, sizeof(bearer));
	return rc;
}
