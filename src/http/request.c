/* request.c - request accessors that need nothing from libmicrohttpd. */
#include <string.h>
#include <strings.h>

#include "http/http.h"

static const struct {
	enum http_method m;
	const char *name;
} methods[] = {
	{ HTTP_GET, "GET" },
	{ HTTP_HEAD, "HEAD" },
	{ HTTP_POST, "POST" },
	{ HTTP_PUT, "PUT" },
	{ HTTP_PATCH, "PATCH" },
	{ HTTP_DELETE, "DELETE" },
	{ HTTP_OPTIONS, "OPTIONS" },
};

const char *
http_method_name(enum http_method m)
{
	size_t i;

	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (methods[i].m == m)
			return methods[i].name;
	return "?";
}

int
http_method_parse(const char *s, enum http_method *out)
{
	size_t i;

	/* Methods are case-sensitive (RFC 9110 9.1). */
	for (i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (strcmp(methods[i].name, s) == 0) {
			*out = methods[i].m;
			return 0;
		}
	return -1;
}

const char *
http_request_param(const struct http_request *req, const char *name)
{
	size_t i, nl = strlen(name);

	for (i = 0; i < req->nparams; i++)
		if (strncmp(req->params[i].name, name, nl) == 0 &&
		    req->params[i].name[nl] == '}')
			return req->params[i].value;
	return NULL;
}
