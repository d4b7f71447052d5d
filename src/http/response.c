/* response.c - JSON and problem+json responses, security headers. */
#include "http/response.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/fault.h"
#include "http/jsonw.h"

const struct http_fixed_header http_security_headers[] = {
	{ "Content-Security-Policy",
	    "default-src 'self'; script-src 'self'; object-src 'none'; "
	    /* Documents decrypted in the page are shown from blob: URLs
	     * (web/js/dossiers.js), never written to disk. */
	    "img-src 'self' blob:; frame-src blob:; "
	    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'" },
	{ "X-Content-Type-Options", "nosniff" },
	{ "Referrer-Policy", "no-referrer" },
	{ "Permissions-Policy",
	    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
	    "interest-cohort=()" },
	{ "X-Frame-Options", "DENY" },
	{ "Cross-Origin-Opener-Policy", "same-origin" },
	{ "Cross-Origin-Resource-Policy", "same-origin" },
};
const size_t http_security_headers_count =
    sizeof(http_security_headers) / sizeof(http_security_headers[0]);

void
http_response_init(struct http_response *r)
{
	memset(r, 0, sizeof(*r));
}

void
http_response_clear(struct http_response *r)
{
	size_t i;

	free(r->body);
	if (r->has_fd)
		close(r->fd);
	for (i = 0; i < r->nheaders; i++)
		free(r->headers[i].value);
	http_response_init(r);
}

int
http_response_header(struct http_response *r, const char *name,
    const char *value)
{
	char *v;

	if (r->nheaders >= LIMIT_RESPONSE_HEADERS || strpbrk(value, "\r\n"))
		return -1;
	v = strdup(value);
	if (v == NULL)
		return -1;
	r->headers[r->nheaders].name = name;
	r->headers[r->nheaders].value = v;
	r->nheaders++;
	return 0;
}

int
http_response_download(struct http_response *r, const char *disposition)
{
	if (http_response_header(r, "Content-Disposition", disposition) != 0 ||
	    http_response_header(r, "Content-Security-Policy",
		HTTP_DOWNLOAD_CSP) != 0)
		return -1;
	return 0;
}

const char *
http_response_header_get(const struct http_response *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->nheaders; i++)
		if (strcasecmp(r->headers[i].name, name) == 0)
			return r->headers[i].value;
	return NULL;
}

static void
set_body(struct http_response *r, int status, char *body, const char *ct)
{
	free(r->body);
	r->body = body;
	r->body_len = body ? strlen(body) : 0;
	r->status = status;
	r->content_type = ct;
}

/* Last resort when even the problem cannot be built: a fixed text. */
static void
set_oom(struct http_response *r)
{
	static const char fixed[] =
	    "{\"type\":\"urn:creneau:problem:internal_error\",\"status\":500,"
	    "\"code\":\"internal_error\"}";

	set_body(r, 500, strdup(fixed), HTTP_CT_PROBLEM);
}

void
http_response_json(struct http_response *r, int status, json_t *body)
{
	char *s = json_dumps(body, JSON_COMPACT);

	json_decref(body);
	if (s == NULL) {
		set_oom(r);
		return;
	}
	set_body(r, status, s, HTTP_CT_JSON);
}

void
http_response_jsonw(struct http_response *r, int status, struct jsonw *w)
{
	size_t len = 0;
	char *s = jsonw_finish(w, &len);

	if (s == NULL) {
		set_oom(r);
		return;
	}
	set_body(r, status, s, HTTP_CT_JSON);
}

const char *
http_status_title(int status)
{
	switch (status) {
	case 400:
		return "Requête invalide";
	case 401:
		return "Authentification requise";
	case 403:
		return "Action interdite";
	case 404:
		return "Ressource introuvable";
	case 405:
		return "Méthode non permise";
	case 409:
		return "Conflit";
	case 413:
		return "Contenu trop volumineux";
	case 415:
		return "Type de contenu non pris en charge";
	case 422:
		return "Données refusées";
	case 429:
		return "Trop de requêtes";
	case 501:
		return "Méthode non prise en charge";
	case 503:
		return "Service indisponible";
	case 507:
		return "Stockage insuffisant";
	default:
		return status >= 500 ? "Erreur interne" : "Erreur";
	}
}

/* Length of the well-formed UTF-8 sequence at s (Unicode table 3-7), or 0
 * for a byte that starts none. Never reads past a NUL. */
static size_t
utf8_len(const unsigned char *s)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (s[0] == 0xe0)
		lo = 0xa0; /* overlong */
	else if (s[0] == 0xed)
		hi = 0x9f; /* surrogates */
	else if (s[0] == 0xf0)
		lo = 0x90; /* overlong */
	else if (s[0] == 0xf4)
		hi = 0x8f; /* past U+10FFFF */
	for (i = 1; i < len; i++) {
		if (s[i] < lo || s[i] > hi)
			return 0;
		lo = 0x80;
		hi = 0xbf;
	}
	return len;
}

/*
 * Replaces every byte of s that is not part of well-formed UTF-8 by '?'.
 * jansson refuses such strings, and a detail cut in the middle of a
 * character, or a client's bytes shown back, must not turn the intended
 * answer into a 500.
 */
static void
utf8_repair(char *s)
{
	unsigned char *p = (unsigned char *)s;
	size_t n;

	while (*p != '\0') {
		n = utf8_len(p);
		if (n == 0)
			*p++ = '?';
		else
			p += n;
	}
}

/*
 * A server error whose cause the store named (core/fault.h) is answered
 * for what it is: the client of a busy store tries again in a moment; a
 * full one gets 507, which no retry in the next minutes will change; a
 * damaged one is an operator's matter. Returns 1 when it rewrote status,
 * code and detail.
 */
static int
store_fault_answer(struct http_response *r, int *status, const char **code,
    char *detail, size_t detail_len)
{
	char secs[16];
	int retry;

	switch (fault_get()) {
	case FAULT_BUSY:
		*status = 503;
		*code = "store_busy";
		retry = LIMIT_RETRY_BUSY_S;
		snprintf(detail, detail_len,
		    "Le service est très sollicité : réessayez dans quelques "
		    "secondes.");
		break;
	case FAULT_FULL:
		*status = 507;
		*code = "storage_full";
		retry = LIMIT_RETRY_FULL_S;
		snprintf(detail, detail_len,
		    "L'espace de stockage est plein : rien ne peut être "
		    "enregistré pour le moment. La consultation reste "
		    "possible ; réessayez plus tard.");
		break;
	case FAULT_DAMAGED:
		*status = 503;
		*code = "database_damaged";
		retry = 0;
		snprintf(detail, detail_len,
		    "La base de données est endommagée : aucune modification "
		    "n'est possible avant sa restauration.");
		break;
	default:
		return 0;
	}
	if (retry > 0 && http_response_header_get(r, "Retry-After") == NULL) {
		snprintf(secs, sizeof(secs), "%d", retry);
		http_response_header(r, "Retry-After", secs);
	}
	return 1;
}

void
http_problem(const struct http_request *req, struct http_response *r,
    int status, const char *code, const char *field, const char *fmt, ...)
{
	char detail[512], type[96], instance[64], fieldbuf[128];
	json_t *o;
	char *s;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	if (status >= 500 &&
	    store_fault_answer(r, &status, &code, detail, sizeof(detail)))
		field = NULL;
	utf8_repair(detail);
	snprintf(type, sizeof(type), "urn:creneau:problem:%s", code);
	o = json_pack("{s:s, s:s, s:i, s:s, s:s}", "type", type, "title",
	    http_status_title(status), "status", status, "code", code, "detail",
	    detail);
	if (o == NULL) {
		set_oom(r);
		return;
	}
	if (req != NULL && req->request_id[0] != '\0') {
		snprintf(instance, sizeof(instance), "urn:creneau:request:%s",
		    req->request_id);
		json_object_set_new(o, "instance", json_string(instance));
	}
	if (field != NULL) {
		snprintf(fieldbuf, sizeof(fieldbuf), "%s", field);
		utf8_repair(fieldbuf);
		json_object_set_new(o, "field", json_string(fieldbuf));
	}
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (s == NULL) {
		set_oom(r);
		return;
	}
	set_body(r, status, s, HTTP_CT_PROBLEM);
	/* 503: the store is unreachable for a moment (a database restart,
	 * a lock wait past its bound); the client may try again shortly. A
	 * damaged database is not a moment: no Retry-After for it. */
	if (status == 503 && strcmp(code, "database_damaged") != 0 &&
	    http_response_header_get(r, "Retry-After") == NULL)
		http_response_header(r, "Retry-After", "2");
}

void
http_problem_add(struct http_response *r, const char *name, json_t *value)
{
	json_t *o = NULL;
	char *s;

	if (r->body != NULL && r->content_type != NULL &&
	    strcmp(r->content_type, HTTP_CT_PROBLEM) == 0)
		o = json_loadb(r->body, r->body_len, 0, NULL);
	if (o == NULL || json_object_set_new(o, name, value) != 0) {
		if (o == NULL)
			json_decref(value);
		json_decref(o);
		return;
	}
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (s != NULL)
		set_body(r, r->status, s, HTTP_CT_PROBLEM);
}
