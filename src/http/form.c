/* form.c - reading application/x-www-form-urlencoded bodies. */
#include "http/form.h"

#include <string.h>
#include <strings.h>

#include "http/path.h"

int
http_form_is(const struct http_request *req)
{
	const char *ct = req->content_type;
	size_t n = strlen("application/x-www-form-urlencoded");

	return ct != NULL &&
	    strncasecmp(ct, "application/x-www-form-urlencoded", n) == 0 &&
	    (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

int
http_form_get(const struct http_request *req, const char *name, char *out,
    size_t outlen)
{
	const char *p, *end;
	size_t nl = strlen(name);
	int found = 0;

	if (req->body == NULL)
		return 1;
	p = req->body;
	end = req->body + req->body_len;
	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *stop = amp ? amp : end;
		const char *eq = memchr(p, '=', (size_t)(stop - p));
		const char *key_end = eq ? eq : stop;

		if ((size_t)(key_end - p) == nl && memcmp(p, name, nl) == 0) {
			const char *v = eq ? eq + 1 : stop;

			if (found)
				return -1;
			found = 1;
			if (path_decode(v, (size_t)(stop - v), out, outlen, 1) <
			    0)
				return -1;
		}
		p = amp ? amp + 1 : end;
	}
	return found ? 0 : 1;
}
