/* jsonw.c - the streaming JSON writer (jsonw.h). */
#include "http/jsonw.h"

#include <stdlib.h>
#include <string.h>

void
jsonw_init(struct jsonw *w, size_t max)
{
	memset(w, 0, sizeof(*w));
	buf_init(&w->b, max);
}

static void
put(struct jsonw *w, const char *p, size_t n)
{
	struct buf *b = &w->b;

	/* Most pieces are a few bytes into room already there: copied
	 * without buf_append's checks and calls (the profile of the slot
	 * search showed them). */
	if (!w->failed && b->data != NULL && n < b->cap - b->len &&
	    b->len + n <= b->max) {
		memcpy(b->data + b->len, p, n);
		b->len += n;
		b->data[b->len] = '\0';
		return;
	}
	if (!w->failed && buf_append(b, p, n) != BUF_OK)
		w->failed = 1;
}

/* The length of the valid UTF-8 sequence at s (n bytes left), or 0. */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	size_t k, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		k = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		k = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		k = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (n < k)
		return 0;
	for (i = 1; i < k; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and past U+10FFFF. */
	if ((k == 3 && cp < 0x800) || (k == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return k;
}

/* Printable ASCII but the quote and the backslash: written as is. */
#define PLAIN(c) ((c) >= 0x20 && (c) < 0x80 && (c) != '"' && (c) != '\\')

/* s as a JSON string, quoted and escaped as json_dumps does. */
static void
quoted(struct jsonw *w, const char *s)
{
	static const char hex[] = "0123456789ABCDEF"; /* as jansson */
	const unsigned char *p = (const unsigned char *)s;
	size_t n, run, i = 0, k;
	char esc[6];

	/* Most strings (keys, times, codes, names) are printable ASCII:
	 * one pass finds their end, and they go in one copy. */
	while (PLAIN(p[i]))
		i++;
	if (p[i] == '\0') {
		put(w, "\"", 1);
		put(w, s, i);
		put(w, "\"", 1);
		return;
	}
	n = i + strlen(s + i);
	run = i;
	put(w, "\"", 1);
	while (i < n && !w->failed) {
		const char *e = NULL;
		size_t elen = 2;

		if (PLAIN(p[i])) {
			run++;
			i++;
			continue;
		}
		switch (p[i]) {
		case '"':
			e = "\\\"";
			break;
		case '\\':
			e = "\\\\";
			break;
		case '\b':
			e = "\\b";
			break;
		case '\f':
			e = "\\f";
			break;
		case '\n':
			e = "\\n";
			break;
		case '\r':
			e = "\\r";
			break;
		case '\t':
			e = "\\t";
			break;
		default:
			if (p[i] < 0x20) {
				memcpy(esc, "\\u00", 4);
				esc[4] = hex[p[i] >> 4];
				esc[5] = hex[p[i] & 0xf];
				e = esc;
				elen = 6;
			}
		}
		if (e != NULL) {
			put(w, (const char *)p + i - run, run);
			put(w, e, elen);
			run = 0;
			i++;
			continue;
		}
		if ((k = utf8_len(p + i, n - i)) == 0) {
			w->failed = 1;
			return;
		}
		run += k;
		i += k;
	}
	put(w, (const char *)p + i - run, run);
	put(w, "\"", 1);
}

/* The comma before a member or element, and the key of a member. */
static void
lead(struct jsonw *w, const char *key)
{
	if (w->failed)
		return;
	if (w->depth > 0) {
		if (!w->first[w->depth - 1])
			put(w, ",", 1);
		w->first[w->depth - 1] = 0;
	}
	if (key != NULL) {
		quoted(w, key);
		put(w, ":", 1);
	}
}

static void
open_(struct jsonw *w, const char *key, const char *c)
{
	lead(w, key);
	if (w->failed)
		return;
	if (w->depth >= JSONW_DEPTH) {
		w->failed = 1;
		return;
	}
	put(w, c, 1);
	w->kind[w->depth] = c[0];
	w->first[w->depth++] = 1;
}

void
jsonw_object(struct jsonw *w, const char *key)
{
	open_(w, key, "{");
}

void
jsonw_array(struct jsonw *w, const char *key)
{
	open_(w, key, "[");
}

void
jsonw_end(struct jsonw *w)
{
	if (w->failed)
		return;
	if (w->depth == 0) {
		w->failed = 1;
		return;
	}
	w->depth--;
	put(w, w->kind[w->depth] == '{' ? "}" : "]", 1);
}

void
jsonw_string(struct jsonw *w, const char *key, const char *s)
{
	if (s == NULL) {
		jsonw_null(w, key);
		return;
	}
	lead(w, key);
	if (!w->failed)
		quoted(w, s);
}

void
jsonw_int(struct jsonw *w, const char *key, int64_t v)
{
	char d[24];
	size_t n = 0;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	lead(w, key);
	do
		d[sizeof(d) - 1 - n++] = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		d[sizeof(d) - 1 - n++] = '-';
	put(w, d + sizeof(d) - n, n);
}

void
jsonw_bool(struct jsonw *w, const char *key, int v)
{
	lead(w, key);
	put(w, v ? "true" : "false", v ? 4 : 5);
}

void
jsonw_null(struct jsonw *w, const char *key)
{
	lead(w, key);
	put(w, "null", 4);
}

char *
jsonw_finish(struct jsonw *w, size_t *len)
{
	char *s = NULL;

	if (!w->failed && w->depth == 0)
		s = buf_steal(&w->b, len);
	jsonw_free(w);
	return s;
}

void
jsonw_free(struct jsonw *w)
{
	buf_free(&w->b);
	w->depth = 0;
	w->failed = 0;
}
