/* cookie.c - the Cookie header parser and our Set-Cookie lines. */
#include "http/cookie.h"

#include <stdio.h>
#include <string.h>

#include "http/response.h"

/* RFC 6265 cookie-octet: no controls, space, DQUOTE, comma, semicolon or
 * backslash. */
static int
cookie_octet(unsigned char c)
{
	return c == 0x21 || (c >= 0x23 && c <= 0x2b) ||
	    (c >= 0x2d && c <= 0x3a) || (c >= 0x3c && c <= 0x5b) ||
	    (c >= 0x5d && c <= 0x7e);
}

int
cookie_get(const char *header, size_t n, const char *name, char *out,
    size_t outlen)
{
	size_t i = 0, nl = strlen(name), ks, ke, vs, ve, k;
	int found = 0;

	while (i < n) {
		while (i < n && (header[i] == ' ' || header[i] == '\t'))
			i++;
		ks = i;
		while (i < n && header[i] != '=' && header[i] != ';')
			i++;
		if (i >= n || header[i] != '=')
			return -1;
		ke = i++;
		vs = i;
		while (i < n && header[i] != ';')
			i++;
		ve = i;
		while (ve > vs &&
		    (header[ve - 1] == ' ' || header[ve - 1] == '\t'))
			ve--;
		if (i < n)
			i++; /* ';' */
		if (ke - ks != nl || memcmp(header + ks, name, nl) != 0)
			continue;
		if (found)
			return -1;
		found = 1;
		/* Optional quotes around the value (RFC 6265 4.1.1). */
		if (ve - vs >= 2 && header[vs] == '"' &&
		    header[ve - 1] == '"') {
			vs++;
			ve--;
		}
		if (ve - vs >= outlen)
			return -1;
		for (k = vs; k < ve; k++)
			if (!cookie_octet((unsigned char)header[k]))
				return -1;
		memcpy(out, header + vs, ve - vs);
		out[ve - vs] = '\0';
	}
	return found ? 0 : 1;
}

static int
set_cookie(struct http_response *r, const char *name, const char *value,
    long max_age, const char *flags)
{
	char line[512];
	int n;
	size_t i;

	for (i = 0; value[i] != '\0'; i++)
		if (!cookie_octet((unsigned char)value[i]))
			return -1;
	/* A negative age: a session cookie, gone when the browser closes. */
	if (max_age < 0)
		n = snprintf(line, sizeof(line), "%s=%s; Path=/; %s", name,
		    value, flags);
	else
		n = snprintf(line, sizeof(line),
		    "%s=%s; Path=/; Max-Age=%ld; %s", name, value, max_age,
		    flags);
	if (n < 0 || (size_t)n >= sizeof(line))
		return -1;
	return http_response_header(r, "Set-Cookie", line);
}

int
cookie_set_session(struct http_response *r, const char *value, long max_age_s)
{
	return set_cookie(r, COOKIE_SESSION, value, max_age_s,
	    "Secure; HttpOnly; SameSite=Lax");
}

int
cookie_set_xsrf(struct http_response *r, const char *value, long max_age_s)
{
	return set_cookie(r, COOKIE_XSRF, value, max_age_s,
	    "Secure; SameSite=Strict");
}

int
cookie_set_device(struct http_response *r, const char *value, long max_age_s)
{
	return set_cookie(r, COOKIE_DEVICE, value, max_age_s,
	    "Secure; HttpOnly; SameSite=Strict");
}

int
cookie_set_oidc(struct http_response *r, const char *value, long max_age_s)
{
	return set_cookie(r, COOKIE_OIDC, value, max_age_s,
	    "Secure; HttpOnly; SameSite=Lax");
}

int
cookie_set_signup(struct http_response *r, const char *value, long max_age_s)
{
	return set_cookie(r, COOKIE_SIGNUP, value, max_age_s,
	    "Secure; HttpOnly; SameSite=Lax");
}
