/* client.c - the identity tests' browser-like client. */
#include "client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <liboath/oath.h>

void
client_init(struct client *c, int port)
{
	memset(c, 0, sizeof(*c));
	c->curl = curl_easy_init();
	c->port = port;
	curl_easy_setopt(c->curl, CURLOPT_COOKIEFILE, ""); /* enable the jar */
	curl_easy_setopt(c->curl, CURLOPT_TIMEOUT, 30L);
}

void
client_free(struct client *c)
{
	curl_easy_cleanup(c->curl);
	memset(c, 0, sizeof(*c));
}

int
client_source(struct client *c, const char *ip)
{
	char v[64];

	snprintf(v, sizeof(v), "host!%s", ip);
	return curl_easy_setopt(c->curl, CURLOPT_INTERFACE, v) == CURLE_OK ? 0
									   : -1;
}

static size_t
on_body(char *p, size_t size, size_t n, void *arg)
{
	struct client *c = arg;
	size_t k = size * n;

	if (c->body_len + k < sizeof(c->body)) {
		memcpy(c->body + c->body_len, p, k);
		c->body_len += k;
		c->body[c->body_len] = '\0';
	}
	return k;
}

static size_t
on_header(char *p, size_t size, size_t n, void *arg)
{
	struct client *c = arg;
	size_t k = size * n, have = strlen(c->headers);

	if (have + k < sizeof(c->headers)) {
		memcpy(c->headers + have, p, k);
		c->headers[have + k] = '\0';
	}
	return k;
}

int
client_cookie(struct client *c, const char *name, char *out, size_t outlen)
{
	struct curl_slist *list = NULL, *l;
	int rc = -1;

	if (curl_easy_getinfo(c->curl, CURLINFO_COOKIELIST, &list) != CURLE_OK)
		return -1;
	for (l = list; l != NULL; l = l->next) {
		/* domain, flag, path, secure, expiry, name, value */
		char *f[7], *save = NULL, *dup = strdup(l->data), *tok;
		int i = 0;

		for (tok = strtok_r(dup, "\t", &save); tok && i < 7;
		     tok = strtok_r(NULL, "\t", &save))
			f[i++] = tok;
		if (i == 7 && strcmp(f[5], name) == 0) {
			snprintf(out, outlen, "%s", f[6]);
			rc = 0;
		} else if (i == 6 && strcmp(f[5], name) == 0) {
			out[0] = '\0';
			rc = 0;
		}
		free(dup);
	}
	curl_slist_free_all(list);
	return rc;
}

long
client_call(struct client *c, const char *method, const char *path,
    const char *json)
{
	return client_send(c, method, path, json ? "application/json" : NULL,
	    json, json ? strlen(json) : 0);
}

long
client_send(struct client *c, const char *method, const char *path,
    const char *type, const void *body, size_t len)
{
	struct curl_slist *h = NULL;
	char url[4096], xsrf[128], hdr[200], ct[160];
	CURLcode rc;

	if (strncmp(path, "http://", 7) == 0)
		snprintf(url, sizeof(url), "%s", path);
	else
		snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", c->port,
		    path);
	c->body_len = 0;
	c->body[0] = '\0';
	c->headers[0] = '\0';
	c->status = -1;
	curl_easy_setopt(c->curl, CURLOPT_URL, url);
	curl_easy_setopt(c->curl, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(c->curl, CURLOPT_NOBODY,
	    strcmp(method, "HEAD") == 0 ? 1L : 0L);
	curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, c);
	curl_easy_setopt(c->curl, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c->curl, CURLOPT_HEADERDATA, c);
	h = curl_slist_append(h, "Expect:");
	h = curl_slist_append(h, "User-Agent: creneau-test-client");
	if (c->extra_header != NULL)
		h = curl_slist_append(h, c->extra_header);
	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 &&
	    client_cookie(c, "XSRF-TOKEN", xsrf, sizeof(xsrf)) == 0 &&
	    xsrf[0] != '\0') {
		snprintf(hdr, sizeof(hdr), "X-XSRF-TOKEN: %s", xsrf);
		h = curl_slist_append(h, hdr);
	}
	if (body != NULL) {
		snprintf(ct, sizeof(ct), "Content-Type: %s", type);
		h = curl_slist_append(h, ct);
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE, (long)len);
	} else {
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, NULL);
		curl_easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE, 0L);
		if (strcmp(method, "POST") == 0)
			curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, "");
	}
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, h);
	rc = curl_easy_perform(c->curl);
	if (rc == CURLE_OK)
		curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &c->status);
	curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(h);
	return c->status;
}

json_t *
client_json(const struct client *c)
{
	return json_loadb(c->body, c->body_len, 0, NULL);
}

const char *
client_code(const struct client *c)
{
	static char code[64];
	json_t *o = client_json(c);
	const char *s =
	    o ? json_string_value(json_object_get(o, "code")) : NULL;

	snprintf(code, sizeof(code), "%s", s ? s : "");
	json_decref(o);
	return code;
}

int
client_totp(const struct client *c, long skew, char out[7])
{
	char *secret = NULL;
	size_t len = 0;
	int rc;

	oath_init();
	if (oath_base32_decode(c->secret_b32, strlen(c->secret_b32), &secret,
		&len) != OATH_OK)
		return -1;
	rc = oath_totp_generate(secret, len, time(NULL) + skew * 30, 30, 0, 6,
	    out);
	free(secret);
	return rc == OATH_OK ? 0 : -1;
}

static int
step(struct client *c, const char *what, long want)
{
	if (c->status == want)
		return 0;
	fprintf(stderr, "onboard: %s answered %ld: %s\n", what, c->status,
	    c->body);
	return -1;
}

int
client_onboard(struct client *c, const char *email, const char *temp_pw,
    const char *new_pw, int mfa)
{
	char body[512], code[7];
	json_t *o;
	const char *uri, *p;
	size_t i;

	snprintf(body, sizeof(body), "{\"email\":\"%s\",\"password\":\"%s\"}",
	    email, temp_pw);
	client_call(c, "POST", "/api/v1/session", body);
	if (step(c, "sign-in", 200) != 0)
		return -1;
	snprintf(body, sizeof(body),
	    "{\"current_password\":\"%s\",\"new_password\":\"%s\"}", temp_pw,
	    new_pw);
	client_call(c, "POST", "/api/v1/me/password", body);
	if (step(c, "password change", 200) != 0)
		return -1;
	if (!mfa)
		return 0;
	client_call(c, "POST", "/api/v1/me/mfa/enrolment", NULL);
	if (step(c, "enrolment", 200) != 0)
		return -1;
	o = client_json(c);
	uri = o ? json_string_value(json_object_get(o, "otpauth_uri")) : NULL;
	p = uri ? strstr(uri, "secret=") : NULL;
	if (p == NULL) {
		json_decref(o);
		return -1;
	}
	p += 7;
	for (i = 0; p[i] && p[i] != '&' && i + 1 < sizeof(c->secret_b32); i++)
		c->secret_b32[i] = p[i];
	c->secret_b32[i] = '\0';
	json_decref(o);
	if (client_totp(c, 0, code) != 0)
		return -1;
	snprintf(body, sizeof(body), "{\"code\":\"%s\"}", code);
	client_call(c, "POST", "/api/v1/me/mfa/confirmation", body);
	return step(c, "enrolment confirmation", 200);
}
