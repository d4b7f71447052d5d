/* router.c - route matching with path parameters and method checks. */
#include "http/router.h"

#include <stdio.h>
#include <string.h>

/*
 * Matches one pattern against the segments. Returns 1 and fills params on a
 * match, 0 otherwise.
 */
static int
pattern_match(const char *pat, char *const *segs, size_t nsegs,
    struct http_param *params, size_t *nparams)
{
	size_t si = 0, len, np = 0;
	const char *p = pat, *end;

	if (strcmp(pat, "/") == 0)
		return nsegs == 0;
	while (*p == '/') {
		p++;
		end = strchr(p, '/');
		len = end ? (size_t)(end - p) : strlen(p);
		if (si >= nsegs)
			return 0;
		if (len >= 2 && p[0] == '{' && p[len - 1] == '}') {
			if (segs[si][0] == '\0' || np >= LIMIT_PATH_PARAMS)
				return 0;
			/* The name is static; keep a pointer just past '{'. */
			params[np].name = p + 1;
			params[np].value = segs[si];
			np++;
		} else if (strlen(segs[si]) != len ||
		    memcmp(segs[si], p, len) != 0) {
			return 0;
		}
		si++;
		p += len;
	}
	if (si != nsegs)
		return 0;
	*nparams = np;
	return 1;
}

int
router_match(const struct http_route *routes, size_t nroutes,
    enum http_method m, char *const *segs, size_t nsegs,
    struct http_param *params, size_t *nparams, const struct http_route **out,
    unsigned *allowed)
{
	struct http_param tmp[LIMIT_PATH_PARAMS];
	size_t i, ntmp = 0;
	enum http_method want = (m == HTTP_HEAD) ? HTTP_GET : m;

	*allowed = 0;
	*out = NULL;
	for (i = 0; i < nroutes; i++) {
		if (!pattern_match(routes[i].pattern, segs, nsegs, tmp, &ntmp))
			continue;
		*allowed |= routes[i].method;
		if (routes[i].method == HTTP_GET)
			*allowed |= HTTP_HEAD;
		if (routes[i].method == want && *out == NULL) {
			*out = &routes[i];
			memcpy(params, tmp, ntmp * sizeof(tmp[0]));
			*nparams = ntmp;
		}
	}
	if (*out != NULL)
		return ROUTER_FOUND;
	return *allowed ? ROUTER_METHOD_NOT_ALLOWED : ROUTER_NOT_FOUND;
}

void
router_allow_header(unsigned allowed, char *out, size_t outlen)
{
	static const enum http_method order[] = { HTTP_GET, HTTP_HEAD,
		HTTP_POST, HTTP_PUT, HTTP_PATCH, HTTP_DELETE, HTTP_OPTIONS };
	size_t i, o = 0;
	int n;

	if (outlen == 0)
		return;
	out[0] = '\0';
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		if (!(allowed & order[i]))
			continue;
		n = snprintf(out + o, outlen - o, "%s%s", o ? ", " : "",
		    http_method_name(order[i]));
		if (n < 0 || (size_t)n >= outlen - o)
			return;
		o += (size_t)n;
	}
}

/* Name of a {param} segment must be [a-z_]+, literal segments [a-z0-9._-]+. */
static int
segment_ok(const char *p, size_t len, size_t *nparams)
{
	size_t i;
	int param = len >= 2 && p[0] == '{' && p[len - 1] == '}';

	if (len == 0)
		return 0;
	if (param) {
		(*nparams)++;
		for (i = 1; i + 1 < len; i++)
			if (!((p[i] >= 'a' && p[i] <= 'z') || p[i] == '_'))
				return 0;
		return len > 2;
	}
	for (i = 0; i < len; i++)
		if (!((p[i] >= 'a' && p[i] <= 'z') ||
			(p[i] >= '0' && p[i] <= '9') || p[i] == '.' ||
			p[i] == '_' || p[i] == '-'))
			return 0;
	return 1;
}

int
router_check(const struct http_route *routes, size_t nroutes, char *err,
    size_t errlen)
{
	size_t i, j, len, np;
	const char *p, *end;

	for (i = 0; i < nroutes; i++) {
		const char *pat = routes[i].pattern;

		if (pat == NULL || pat[0] != '/' || routes[i].handler == NULL)
			goto bad;
		np = 0;
		if (strcmp(pat, "/") != 0) {
			for (p = pat; *p == '/';) {
				p++;
				end = strchr(p, '/');
				len = end ? (size_t)(end - p) : strlen(p);
				if (!segment_ok(p, len, &np))
					goto bad;
				p += len;
			}
			if (*p != '\0')
				goto bad;
		}
		if (np > LIMIT_PATH_PARAMS)
			goto bad;
		for (j = 0; j < i; j++)
			if (routes[j].method == routes[i].method &&
			    strcmp(routes[j].pattern, pat) == 0)
				goto bad;
		continue;
	bad:
		snprintf(err, errlen, "route %s %s: malformed or repeated",
		    http_method_name(routes[i].method), pat ? pat : "(null)");
		return -1;
	}
	return 0;
}
