/* smtp.c - RFC 5322 messages and their delivery over SMTP with libcurl. */
#include "notify/smtp.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <sodium.h>

#include "booking/caltime.h"
#include "core/buf.h"

#define DAY_MS (24LL * 3600 * 1000)
#define MESSAGE_MAX (256 * 1024)
#define QP_LINE 76 /* RFC 2045: encoded lines of 76 characters at most */
#define WORD_BYTES 45 /* raw bytes per encoded word: 60 base64 + 12 < 75 */
#define SENDER_NAME "Créneau"

int
smtp_tls_parse(const char *s, enum smtp_tls *out)
{
	if (strcmp(s, "off") == 0)
		*out = SMTP_TLS_OFF;
	else if (strcmp(s, "try") == 0)
		*out = SMTP_TLS_TRY;
	else if (strcmp(s, "required") == 0)
		*out = SMTP_TLS_REQUIRED;
	else
		return -1;
	return 0;
}

/* An address fit for a header and an SMTP command: one @, no space,
 * no control character, no angle bracket. */
static int
address_ok(const char *a)
{
	const char *at = strchr(a, '@');
	size_t i;

	if (at == NULL || at == a || at[1] == '\0' || strchr(at + 1, '@'))
		return 0;
	for (i = 0; a[i] != '\0'; i++)
		if ((unsigned char)a[i] <= 0x20 || a[i] == 0x7f ||
		    a[i] == '<' || a[i] == '>')
			return 0;
	return i <= 254;
}

/* Appends s as RFC 2047 encoded words (UTF-8, base64), folded between
 * words, never cutting a UTF-8 sequence; plain ASCII goes as it is. */
static int
encoded_words(struct buf *b, const char *s)
{
	size_t n = strlen(s), i, take;
	char b64[sodium_base64_ENCODED_LEN(WORD_BYTES,
	    sodium_base64_VARIANT_ORIGINAL)];
	int plain = 1;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			plain = 0;
	if (plain)
		return buf_append(b, s, n);
	for (i = 0; i < n; i += take) {
		take = n - i < WORD_BYTES ? n - i : WORD_BYTES;
		/* Back up to the start of a UTF-8 sequence. */
		while (i + take < n && take > 1 &&
		    ((unsigned char)s[i + take] & 0xc0) == 0x80)
			take--;
		sodium_bin2base64(b64, sizeof(b64),
		    (const unsigned char *)s + i, take,
		    sodium_base64_VARIANT_ORIGINAL);
		if (buf_printf(b, "%s=?UTF-8?B?%s?=", i > 0 ? "\r\n " : "",
			b64) != 0)
			return -1;
	}
	return 0;
}

/* Appends body in quoted-printable with CRLF line ends. */
static int
quoted_printable(struct buf *b, const char *body)
{
	const unsigned char *p = (const unsigned char *)body;
	size_t col = 0;
	char tok[4];
	int last;

	while (*p != '\0') {
		if (*p == '\n') {
			if (buf_append(b, "\r\n", 2) != 0)
				return -1;
			col = 0;
			p++;
			continue;
		}
		/* Spaces before a line end would be lost in transit. */
		last = p[1] == '\n' || p[1] == '\0';
		if ((*p >= 33 && *p <= 126 && *p != '=') ||
		    ((*p == ' ' || *p == '\t') && !last))
			snprintf(tok, sizeof(tok), "%c", *p);
		else
			snprintf(tok, sizeof(tok), "=%02X", *p);
		if (col + strlen(tok) > QP_LINE - 1) {
			if (buf_append(b, "=\r\n", 3) != 0)
				return -1;
			col = 0;
		}
		if (buf_append_str(b, tok) != 0)
			return -1;
		col += strlen(tok);
		p++;
	}
	if (col > 0 && buf_append(b, "\r\n", 2) != 0)
		return -1;
	return 0;
}

/* "Thu, 01 Jan 2030 00:00:00 +0000" for now_ms. */
static void
rfc5322_date(int64_t ms, char *out, size_t outlen)
{
	static const char *const wd[] = { "Thu", "Fri", "Sat", "Sun", "Mon",
		"Tue", "Wed" };
	static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May",
		"Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	int64_t days = ms / DAY_MS, rest = ms % DAY_MS, y;
	int m, d;

	if (rest < 0) {
		rest += DAY_MS;
		days--;
	}
	caltime_civil_from_days(days, &y, &m, &d);
	snprintf(out, outlen, "%s, %02d %s %04" PRId64 " %02d:%02d:%02d +0000",
	    wd[((days % 7) + 7) % 7], d, mon[m - 1], y, (int)(rest / 3600000),
	    (int)(rest / 60000 % 60), (int)(rest / 1000 % 60));
}

/* A calendar file as a base64 part, in lines of 76 characters, with the
 * iTIP method its text declares (RFC 6047). */
static int
calendar_part(struct buf *b, const char *boundary, const char *ics)
{
	const char *m = strstr(ics, "METHOD:");
	char method[16] = "PUBLISH", line[80];
	size_t n = strlen(ics), i, k, chunk = 57; /* 57 bytes: 76 chars */

	if (m != NULL) {
		m += 7;
		for (k = 0;
		     k < sizeof(method) - 1 && m[k] >= 'A' && m[k] <= 'Z'; k++)
			method[k] = m[k];
		method[k] = '\0';
	}
	if (buf_printf(b,
		"--%s\r\nContent-Type: text/calendar; charset=utf-8;"
		" method=%s; name=\"rendez-vous.ics\"\r\n"
		"Content-Disposition: attachment; filename=\"rendez-vous.ics\""
		"\r\nContent-Transfer-Encoding: base64\r\n\r\n",
		boundary, method) != 0)
		return -1;
	for (i = 0; i < n; i += chunk) {
		k = n - i < chunk ? n - i : chunk;
		sodium_bin2base64(line, sizeof(line),
		    (const unsigned char *)ics + i, k,
		    sodium_base64_VARIANT_ORIGINAL);
		if (buf_printf(b, "%s\r\n", line) != 0)
			return -1;
	}
	return 0;
}

int
smtp_message(const char *from, const char *to, const char *subject,
    const char *body, int64_t now_ms, char **out, size_t *len)
{
	return smtp_message_ics(from, to, subject, body, NULL, now_ms, out,
	    len);
}

int
smtp_message_ics(const char *from, const char *to, const char *subject,
    const char *body, const char *ics, int64_t now_ms, char **out, size_t *len)
{
	unsigned char rnd[16];
	char date[40], id[33], boundary[48];
	struct buf b;
	int rc;

	*out = NULL;
	*len = 0;
	if (!address_ok(from) || !address_ok(to) ||
	    strpbrk(subject, "\r\n") != NULL)
		return -1;
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(id, sizeof(id), rnd, sizeof(rnd));
	snprintf(boundary, sizeof(boundary), "=_creneau_%s", id);
	rfc5322_date(now_ms, date, sizeof(date));
	buf_init(&b, MESSAGE_MAX);
	rc = buf_printf(&b, "Date: %s\r\nMessage-ID: <%s@%s>\r\nFrom: ", date,
		 id, strchr(from, '@') + 1) != 0 ||
	    encoded_words(&b, SENDER_NAME) != 0 ||
	    buf_printf(&b, " <%s>\r\nTo: <%s>\r\nSubject: ", from, to) != 0 ||
	    encoded_words(&b, subject) != 0 ||
	    buf_append_str(&b, "\r\nMIME-Version: 1.0\r\n") != 0;
	/* With a calendar file: multipart/mixed, the text first. */
	if (!rc && ics != NULL)
		rc = buf_printf(&b,
			 "Content-Type: multipart/mixed; boundary=\"%s\"\r\n"
			 "Auto-Submitted: auto-generated\r\n\r\n--%s\r\n",
			 boundary, boundary) != 0;
	if (!rc)
		rc = buf_append_str(&b,
			 "Content-Type: text/plain; charset=utf-8\r\n"
			 "Content-Transfer-Encoding: quoted-printable\r\n") !=
			0 ||
		    (ics == NULL &&
			buf_append_str(&b,
			    "Auto-Submitted: auto-generated\r\n") != 0) ||
		    buf_append_str(&b, "\r\n") != 0 ||
		    quoted_printable(&b, body) != 0;
	if (!rc && ics != NULL)
		rc = calendar_part(&b, boundary, ics) != 0 ||
		    buf_printf(&b, "--%s--\r\n", boundary) != 0;
	if (rc || (*out = buf_steal(&b, len)) == NULL) {
		buf_free(&b);
		return -1;
	}
	return 0;
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc;

/* libcurl's global set-up is not safe to race: done once, here. */
static void
curl_init(void)
{
	curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

struct upload {
	const char *p;
	size_t left;
};

static size_t
read_cb(char *dst, size_t size, size_t nitems, void *arg)
{
	struct upload *u = arg;
	size_t n = size * nitems;

	if (n > u->left)
		n = u->left;
	memcpy(dst, u->p, n);
	u->p += n;
	u->left -= n;
	return n;
}

int
smtp_send(const struct smtp_config *cfg, const char *to, const char *msg,
    size_t len, char *err, size_t errlen)
{
	struct upload u = { msg, len };
	struct curl_slist *rcpt = NULL;
	char addr[300];
	CURL *h = NULL;
	CURLcode rc = CURLE_FAILED_INIT;
	long code = 0;
	long tls = cfg->starttls == SMTP_TLS_REQUIRED ? (long)CURLUSESSL_ALL
	    : cfg->starttls == SMTP_TLS_TRY           ? (long)CURLUSESSL_TRY
						      : (long)CURLUSESSL_NONE;

	snprintf(err, errlen, "envoi impossible");
	if (cfg->url == NULL || cfg->url[0] == '\0' || !address_ok(to) ||
	    cfg->from == NULL || !address_ok(cfg->from))
		return -1;
	pthread_once(&curl_once, curl_init);
	if (curl_init_rc != CURLE_OK || (h = curl_easy_init()) == NULL)
		return -1;
	snprintf(addr, sizeof(addr), "<%s>", to);
	if ((rcpt = curl_slist_append(NULL, addr)) == NULL)
		goto done;
	sodium_memzero(addr, sizeof(addr));
	snprintf(addr, sizeof(addr), "<%s>", cfg->from);
	if (curl_easy_setopt(h, CURLOPT_URL, cfg->url) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps") !=
		CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_MAIL_FROM, addr) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_READDATA, &u) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_USE_SSL, tls) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_TIMEOUT, cfg->timeout_s) != CURLE_OK ||
	    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L) != CURLE_OK)
		goto done;
	if (cfg->username != NULL && cfg->username[0] != '\0' &&
	    (curl_easy_setopt(h, CURLOPT_USERNAME, cfg->username) != CURLE_OK ||
		curl_easy_setopt(h, CURLOPT_PASSWORD,
		    cfg->password ? cfg->password : "") != CURLE_OK))
		goto done;
	rc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	if (rc != CURLE_OK)
		snprintf(err, errlen, "%s (réponse %ld)",
		    curl_easy_strerror(rc), code);
done:
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(h);
	return rc == CURLE_OK ? 0 : -1;
}
