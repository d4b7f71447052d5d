/* sms.c - queueing text messages with their change, and the gateway job. */
#include "notify/sms.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <jansson.h>
#include <sodium.h>

#include "core/fsutil.h"
#include "core/log.h"
#include "crypto/field.h"
#include "notify/outbox.h"
#include "store/driver.h"
#include "store/sms_outbox.h"

int
sms_number(const char *to, char *out, size_t outlen)
{
	char d[20];
	size_t n = 0;
	const char *p = to;
	int plus = 0;

	while (*p == ' ')
		p++;
	if (*p == '+') {
		plus = 1;
		p++;
	}
	for (; *p != '\0'; p++) {
		if (*p == ' ' || *p == '.' || *p == '-')
			continue;
		if (!isdigit((unsigned char)*p) || n >= sizeof(d) - 1)
			return -1;
		d[n++] = *p;
	}
	d[n] = '\0';
	if (plus && n >= 8 && n <= 15)
		return snprintf(out, outlen, "+%s", d) < (int)outlen ? 0 : -1;
	/* French national format: 0 and nine digits. */
	if (!plus && n == 10 && d[0] == '0' && d[1] != '0')
		return snprintf(out, outlen, "+33%s", d + 1) < (int)outlen ? 0
									   : -1;
	return -1;
}

static int
seal(const struct data_key *k, const char *column, int64_t row,
    const char *text, unsigned char **out, size_t *outlen)
{
	char id[24];

	snprintf(id, sizeof(id), "%" PRId64, row);
	return field_seal(k, 1, "sms_outbox", column, id, text, strlen(text),
	    out, outlen);
}

int
sms_enqueue(const struct auth *a, struct store_conn *c, const char *key_owner,
    const char *to, const char *body, int64_t now)
{
	struct data_key k;
	unsigned char *r = NULL, *b = NULL;
	size_t rlen = 0, blen = 0;
	char num[24];
	int64_t row;
	int rc = -1;

	if (sms_number(to, num, sizeof(num)) != 0)
		return 1;
	if (body == NULL || body[0] == '\0' || strlen(body) > SMS_TEXT_MAX ||
	    keystore_get(a->ks, key_owner, 1, &k) != 0)
		return -1;
	if (store_sms_insert(a->st, c, key_owner, now, &row) == 0 &&
	    seal(&k, "recipient", row, num, &r, &rlen) == 0 &&
	    seal(&k, "body", row, body, &b, &blen) == 0 &&
	    store_sms_set_sealed(a->st, c, row, r, rlen, b, blen) == 0)
		rc = 0;
	free(r);
	free(b);
	sodium_memzero(&k, sizeof(k));
	return rc;
}

/* The gateway's answer, collected. */
struct answer {
	char buf[2048];
	size_t n;
};

static size_t
write_cb(char *p, size_t size, size_t nmemb, void *arg)
{
	struct answer *a = arg;
	size_t n = size * nmemb, room = sizeof(a->buf) - 1 - a->n;

	memcpy(a->buf + a->n, p, n < room ? n : room);
	a->n += n < room ? n : room;
	a->buf[a->n] = '\0';
	return n;
}

enum post_outcome { POST_SENT, POST_RETRY, POST_REFUSED };

/* Posts one message. Fills gid and status on success, err otherwise
 * (no personal data). */
static enum post_outcome
post(const struct sms_gateway *g, const char *to, const char *text, char *gid,
    size_t gidlen, char *status, size_t statuslen, char *err, size_t errlen)
{
	CURL *h = curl_easy_init();
	struct curl_slist *hd = NULL;
	struct answer ans;
	json_t *o, *v;
	char *body = NULL, auth[600];
	long code = 0;
	CURLcode cc;
	enum post_outcome out = POST_RETRY;

	memset(&ans, 0, sizeof(ans));
	snprintf(status, statuslen, "accepted");
	gid[0] = '\0';
	o = json_pack("{s:s, s:s}", "to", to, "text", text);
	if (h == NULL || o == NULL ||
	    (body = json_dumps(o, JSON_COMPACT)) == NULL) {
		snprintf(err, errlen, "mémoire");
		goto done;
	}
	hd = curl_slist_append(hd, "Content-Type: application/json");
	if (g->token != NULL && g->token[0] != '\0') {
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s",
		    g->token);
		hd = curl_slist_append(hd, auth);
		sodium_memzero(auth, sizeof(auth));
	}
	curl_easy_setopt(h, CURLOPT_URL, g->url);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hd);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, g->timeout_s);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &ans);
	cc = curl_easy_perform(h);
	if (cc != CURLE_OK) {
		snprintf(err, errlen, "passerelle injoignable : %s",
		    curl_easy_strerror(cc));
		goto done;
	}
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	if (code >= 200 && code < 300) {
		json_t *r = json_loads(ans.buf, 0, NULL);

		if ((v = json_object_get(r, "id")) != NULL)
			snprintf(gid, gidlen, "%s",
			    json_is_string(v) ? json_string_value(v) : "");
		if (json_is_integer(v))
			snprintf(gid, gidlen, "%lld",
			    (long long)json_integer_value(v));
		if (json_is_string(v = json_object_get(r, "status")))
			snprintf(status, statuslen, "%s", json_string_value(v));
		json_decref(r);
		out = POST_SENT;
	} else {
		snprintf(err, errlen, "passerelle : réponse HTTP %ld", code);
		out = code >= 400 && code < 500 && code != 408 && code != 429
		    ? POST_REFUSED
		    : POST_RETRY;
	}
done:
	if (body != NULL) {
		sodium_memzero(body, strlen(body));
		free(body);
	}
	json_decref(o);
	curl_slist_free_all(hd);
	if (h != NULL)
		curl_easy_cleanup(h);
	return out;
}

struct outcome {
	int64_t id, attempts, now;
	enum post_outcome what;
	int unreadable;
	const char *gid, *status, *error;
};

static int
outcome_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct outcome *o = arg;
	int rc;

	if (o->what == POST_SENT)
		rc = store_sms_mark_sent(st, c, o->id, o->now, o->gid,
		    o->status);
	else if (o->what == POST_REFUSED || o->attempts >= SMS_MAX_ATTEMPTS)
		rc = store_sms_mark_failed(st, c, o->id, o->attempts, o->now,
		    o->error);
	else
		rc = store_sms_mark_retry(st, c, o->id, o->attempts,
		    o->now + outbox_backoff_ms(o->attempts), o->error);
	return rc < 0 ? -1 : 0;
}

/* One attempt: 0 sent, 1 failed (recorded), -1 store failure. */
static int
attempt(const struct auth *a, const struct sms_gateway *g, int64_t id,
    int64_t now, struct sms_result *res)
{
	struct store_conn *c = store_conn(a->st);
	struct store_sms m;
	struct outcome out;
	struct data_key k;
	char *to = NULL, *text = NULL, sid[24], gid[STORE_SMS_GATEWAY_ID_MAX];
	char status[STORE_SMS_STATUS_MAX], err[160];
	size_t tolen = 0, textlen = 0;
	int rc, have;

	if (c == NULL)
		return -1;
	if ((rc = store_sms_get(a->st, c, id, &m)) != 0) {
		store_sms_clear(&m);
		return rc < 0 ? -1 : 0;
	}
	memset(&out, 0, sizeof(out));
	out.id = id;
	out.now = now;
	out.attempts = m.attempts + 1;
	snprintf(sid, sizeof(sid), "%" PRId64, id);
	if ((have = keystore_get(a->ks, m.key_owner, 0, &k)) < 0) {
		store_sms_clear(&m);
		return -1;
	}
	if (have != 0 || m.recipient.len == 0 || m.body.len == 0 ||
	    field_open(&k, "sms_outbox", "recipient", sid, m.recipient.p,
		m.recipient.len, &to, &tolen) != 0 ||
	    field_open(&k, "sms_outbox", "body", sid, m.body.p, m.body.len,
		&text, &textlen) != 0) {
		out.what = POST_REFUSED;
		out.error = "numéro ou texte illisible";
	} else {
		out.what = post(g, to, text, gid, sizeof(gid), status,
		    sizeof(status), err, sizeof(err));
		out.gid = gid;
		out.status = status;
		out.error = err;
	}
	field_free(to, tolen);
	field_free(text, textlen);
	store_sms_clear(&m);
	sodium_memzero(&k, sizeof(k));
	if (store_tx(a->st, 1, outcome_tx, &out) != 0)
		return -1;
	if (out.what == POST_SENT) {
		res->sent++;
		return 0;
	}
	if (out.what == POST_REFUSED || out.attempts >= SMS_MAX_ATTEMPTS) {
		res->failed++;
		log_warnx("sms: message %" PRId64 " given up: %s", id,
		    out.error);
	} else {
		res->deferred++;
		log_warnx("sms: message %" PRId64 " not sent (attempt %" PRId64
			  "): %s",
		    id, out.attempts, out.error);
	}
	return 1;
}

int
sms_deliver(const struct auth *a, const struct sms_gateway *g, int64_t now,
    struct sms_result *res)
{
	struct store_conn *c = store_conn(a->st);
	int64_t ids[SMS_BATCH];
	size_t n = 0, i;
	int rc = 0;

	memset(res, 0, sizeof(*res));
	if (c == NULL || store_sms_due(a->st, c, now, ids, SMS_BATCH, &n) != 0)
		return -1;
	for (i = 0; i < n; i++)
		if ((rc = attempt(a, g, ids[i], now, res)) != 0)
			break;
	return rc < 0 ? -1 : 0;
}

struct purge_arg {
	int64_t cutoff;
	long n;
};

static int
purge_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct purge_arg *p = arg;

	p->n = store_sms_purge_before(st, c, p->cutoff);
	return p->n < 0 ? -1 : 0;
}

long
sms_purge(const struct auth *a, int64_t cutoff)
{
	struct purge_arg p = { cutoff, 0 };

	if (store_tx(a->st, 1, purge_tx, &p) != 0)
		return -1;
	return p.n;
}

int
sms_job_init(struct sms_job *j, const struct auth *a, const struct config *cfg,
    char *err, size_t errlen)
{
	const char *path = cfg->sms_credentials_file[0]
	    ? cfg->sms_credentials_file
	    : cfg->sms_token_file;

	memset(j, 0, sizeof(*j));
	j->a = a;
	j->g.url = cfg->sms_url;
	j->g.token = j->token;
	j->g.timeout_s = cfg->sms_timeout;
	if (path[0] != '\0' &&
	    fs_read_secret(path, j->token, sizeof(j->token)) != 0) {
		snprintf(err, errlen, "[sms] credentials_file: %s",
		    strerror(errno));
		return -1;
	}
	return 0;
}

void
sms_job_clear(struct sms_job *j)
{
	sodium_memzero(j->token, sizeof(j->token));
}

int
sms_job(void *arg, int64_t now_ms)
{
	struct sms_job *j = arg;
	struct sms_result res;

	if (sms_deliver(j->a, &j->g, now_ms, &res) != 0) {
		log_errorx("sms: the queue could not be read or updated");
		return -1;
	}
	if (res.sent > 0 || res.failed > 0)
		log_info("sms: %ld sent, %ld deferred, %ld given up", res.sent,
		    res.deferred, res.failed);
	return 0;
}
