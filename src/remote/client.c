/* client.c - the remote authority's partner API over libcurl. */
#include "remote/client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>
#include <jansson.h>
#include <sodium.h>

#include "core/log.h"

struct sink {
	char *p;
	size_t len;
	int toobig;
	long retry_after;
	int replayed, csv;
};

static size_t
write_cb(char *data, size_t size, size_t n, void *arg)
{
	struct sink *b = arg;
	size_t add = size * n;
	char *np;

	if (b->len + add + 1 > REMOTE_BODY_MAX) {
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

static size_t
header_cb(char *data, size_t size, size_t n, void *arg)
{
	struct sink *b = arg;
	size_t len = size * n;

	if (len > 12 && strncasecmp(data, "Retry-After:", 12) == 0)
		b->retry_after = strtol(data + 12, NULL, 10);
	if (len > 20 && strncasecmp(data, "Idempotent-Replayed:", 20) == 0)
		b->replayed = strstr(data + 20, "true") != NULL;
	if (len > 13 && strncasecmp(data, "Content-Type:", 13) == 0)
		b->csv = strstr(data + 13, "text/csv") != NULL;
	return len;
}

static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0)
		;
}

int
remote_init(struct remote *r, const struct config *cfg, char *err,
    size_t errlen)
{
	FILE *f;
	size_t n, len;

	memset(r, 0, sizeof(*r));
	len = strlen(cfg->authority_url);
	while (len > 0 && cfg->authority_url[len - 1] == '/')
		len--;
	snprintf(r->base, sizeof(r->base), "%.*s", (int)len,
	    cfg->authority_url);
	snprintf(r->client_id, sizeof(r->client_id), "%s",
	    cfg->authority_client_id);
	len = strlen(cfg->public_url);
	while (len > 0 && cfg->public_url[len - 1] == '/')
		len--;
	snprintf(r->redirect_uri, sizeof(r->redirect_uri),
	    "%.*s/api/v1/authority-link/callback", (int)len, cfg->public_url);
	if ((f = fopen(cfg->authority_client_secret_file, "r")) == NULL) {
		snprintf(err, errlen,
		    "[authority] client_secret_file: cannot be read");
		return -1;
	}
	n = fread(r->secret, 1, sizeof(r->secret) - 1, f);
	fclose(f);
	r->secret[n] = '\0';
	r->secret[strcspn(r->secret, "\r\n")] = '\0';
	if (r->secret[0] == '\0') {
		snprintf(err, errlen, "[authority] client_secret_file: empty");
		return -1;
	}
	return 0;
}

void
remote_wipe(struct remote *r)
{
	sodium_memzero(r->secret, sizeof(r->secret));
}

void
remote_answer_free(struct remote_answer *a)
{
	if (a->body != NULL) {
		sodium_memzero(a->body, a->len);
		free(a->body);
	}
	memset(a, 0, sizeof(*a));
}

/* One attempt. Returns the curl code; *status 0 when nothing came. */
static CURLcode
attempt(const struct remote *r, const char *method, const char *url,
    const char *bearer, const char *ctype, const char *body, size_t len,
    const char *idem_key, int basic, long *status, struct sink *s)
{
	CURL *h = curl_easy_init();
	struct curl_slist *hdr = NULL;
	char line[REMOTE_TOKEN_MAX + 64];
	CURLcode rc = CURLE_FAILED_INIT;

	memset(s, 0, sizeof(*s));
	*status = 0;
	if (h == NULL)
		return rc;
	hdr = curl_slist_append(hdr, "Accept: application/json");
	if (bearer != NULL) {
		snprintf(line, sizeof(line), "Authorization: Bearer %s",
		    bearer);
		hdr = curl_slist_append(hdr, line);
		sodium_memzero(line, sizeof(line));
	}
	if (ctype != NULL) {
		snprintf(line, sizeof(line), "Content-Type: %s", ctype);
		hdr = curl_slist_append(hdr, line);
	}
	if (idem_key != NULL) {
		snprintf(line, sizeof(line), "Idempotency-Key: %s", idem_key);
		hdr = curl_slist_append(hdr, line);
	}
	/* "Expect: 100-continue" would wait a second on small bodies. */
	hdr = curl_slist_append(hdr, "Expect:");
	if (hdr == NULL || curl_easy_setopt(h, CURLOPT_URL, url) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https") !=
		CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, write_cb) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_WRITEDATA, s) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, header_cb) !=
		CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_HEADERDATA, s) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_TIMEOUT, REMOTE_TIMEOUT_S) !=
		CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 3L) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
	    (strcmp(method, "GET") != 0 &&
		(curl_easy_setopt(h, CURLOPT_POSTFIELDS, body ? body : "") !=
			CURLE_OK ||
		    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE,
			(long)(body ? len : 0)) != CURLE_OK)) ||
	    (basic &&
		(curl_easy_setopt(h, CURLOPT_HTTPAUTH, CURLAUTH_BASIC) !=
			CURLE_OK ||
		    curl_easy_setopt(h, CURLOPT_USERNAME, r->client_id) !=
			CURLE_OK ||
		    curl_easy_setopt(h, CURLOPT_PASSWORD, r->secret) !=
			CURLE_OK)))
		goto done;
	rc = curl_easy_perform(h);
	if (rc == CURLE_OK)
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
done:
	curl_slist_free_all(hdr);
	curl_easy_cleanup(h);
	return rc;
}

static int
call(const struct remote *r, const char *method, const char *path,
    const char *bearer, const char *ctype, const char *body, size_t len,
    const char *idem_key, int basic, struct remote_answer *out)
{
	char url[2048];
	int safe = strcmp(method, "GET") == 0 || idem_key != NULL;
	long wait = REMOTE_BACKOFF_MS, status = 0;
	struct sink s;
	CURLcode rc = CURLE_OK;
	int i;

	memset(out, 0, sizeof(*out));
	if (snprintf(url, sizeof(url), "%s%s", r->base, path) >=
	    (int)sizeof(url))
		return -1;
	for (i = 0; i < REMOTE_ATTEMPTS; i++) {
		int again;

		if (i > 0) {
			sleep_ms(wait);
			wait *= 2;
		}
		rc = attempt(r, method, url, bearer, ctype, body, len, idem_key,
		    basic, &status, &s);
		again = status == 429 ||
		    (rc != CURLE_OK && (safe || rc == CURLE_COULDNT_CONNECT)) ||
		    (status >= 500 && safe);
		if (!again || i + 1 == REMOTE_ATTEMPTS)
			break;
		if (s.retry_after > 0)
			wait = (s.retry_after > REMOTE_RETRY_AFTER_MAX_S
				       ? REMOTE_RETRY_AFTER_MAX_S
				       : s.retry_after) *
			    1000L;
		free(s.p);
	}
	if (rc != CURLE_OK || s.toobig) {
		log_warnx("remote: the authority could not be reached: %s %.*s "
			  "after %d "
			  "attempt(s): %s",
		    method, (int)strcspn(path, "?"), path, i + 1,
		    s.toobig ? "answer too large" : curl_easy_strerror(rc));
		free(s.p);
		return -1;
	}
	out->status = status;
	out->body = s.p;
	out->len = s.len;
	out->retry_after = s.retry_after;
	out->replayed = s.replayed;
	out->csv = s.csv;
	return 0;
}

int
remote_call(const struct remote *r, const char *method, const char *path,
    const char *bearer, const char *body, size_t len, const char *idem_key,
    struct remote_answer *out)
{
	return call(r, method, path, bearer,
	    body != NULL ? "application/json" : NULL, body, len, idem_key, 0,
	    out);
}

int
remote_token(const struct remote *r, const char *form, struct remote_tokens *t)
{
	struct remote_answer a;
	json_t *o = NULL;
	const char *at, *rt, *sc;
	int rc = -1;

	memset(t, 0, sizeof(*t));
	/* A token request is repeated only when it was not received: a
	 * refresh token the authority saw once is spent. */
	if (call(r, "POST", "/oauth/token", NULL,
		"application/x-www-form-urlencoded", form, strlen(form), NULL,
		1, &a) != 0)
		return -1;
	if (a.status == 400 || a.status == 401) {
		remote_answer_free(&a);
		return 1;
	}
	if (a.status == 200 && a.body != NULL &&
	    (o = json_loads(a.body, 0, NULL)) != NULL &&
	    (at = json_string_value(json_object_get(o, "access_token"))) !=
		NULL &&
	    (rt = json_string_value(json_object_get(o, "refresh_token"))) !=
		NULL &&
	    strlen(at) < sizeof(t->access) && strlen(rt) < sizeof(t->refresh)) {
		snprintf(t->access, sizeof(t->access), "%s", at);
		snprintf(t->refresh, sizeof(t->refresh), "%s", rt);
		t->expires_in =
		    (long)json_integer_value(json_object_get(o, "expires_in"));
		sc = json_string_value(json_object_get(o, "scope"));
		snprintf(t->scope, sizeof(t->scope), "%s", sc ? sc : "");
		rc = 0;
	} else {
		log_warnx("remote: the authority's token endpoint answered %ld",
		    a.status);
	}
	json_decref(o);
	remote_answer_free(&a);
	return rc;
}

int
remote_revoke(const struct remote *r, const char *token)
{
	struct remote_answer a;
	char *esc = curl_easy_escape(NULL, token, 0);
	char form[REMOTE_TOKEN_MAX * 3 + 32];
	int rc;

	if (esc == NULL)
		return -1;
	snprintf(form, sizeof(form), "token=%s", esc);
	curl_free(esc);
	rc = call(r, "POST", "/oauth/revoke", NULL,
	    "application/x-www-form-urlencoded", form, strlen(form), NULL, 1,
	    &a);
	sodium_memzero(form, sizeof(form));
	if (rc != 0)
		return -1;
	rc = a.status == 200 ? 0 : -1;
	remote_answer_free(&a);
	return rc;
}
