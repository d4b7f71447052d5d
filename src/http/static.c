/* static.c - the web UI's static files. */
#include "http/static.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http/response.h"

struct static_type {
	const char *ext;
	const char *content_type;
	int html;
};

/* The allow-list: anything else is not served. */
static const struct static_type types[] = {
	{ "html", "text/html; charset=utf-8", 1 },
	{ "css", "text/css; charset=utf-8", 0 },
	{ "js", "text/javascript; charset=utf-8", 0 },
	{ "svg", "image/svg+xml; charset=utf-8", 0 },
	{ "png", "image/png", 0 },
	{ "woff2", "font/woff2", 0 },
	{ "json", "application/json; charset=utf-8", 0 },
};

int
static_wanted(const struct http_request *req)
{
	if (req->method != HTTP_GET && req->method != HTTP_HEAD)
		return 0;
	return req->nsegs == 0 || strcmp(req->segs[0], "api") != 0;
}

static const struct static_type *
type_of(const char *name)
{
	const char *dot = strrchr(name, '.');
	size_t i;

	if (dot == NULL)
		return NULL;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(dot + 1, types[i].ext) == 0)
			return &types[i];
	return NULL;
}

/*
 * Opens segs[0..n-1] under the directory dirfd, one component at a time,
 * never following a symbolic link (O_NOFOLLOW on every component).
 * Returns a descriptor of the last component, or -1.
 */
static int
open_beneath(int dirfd, char *const *segs, size_t n)
{
	int fd = dirfd, next;
	size_t i;

	for (i = 0; i < n; i++) {
		next = openat(fd, segs[i],
		    O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK |
			(i + 1 < n ? O_DIRECTORY : 0));
		if (fd != dirfd)
			close(fd);
		if (next < 0)
			return -1;
		fd = next;
	}
	return fd;
}

/* Reads the st_size bytes of fd into a new buffer. Returns it or NULL. */
static char *
read_all(int fd, size_t size)
{
	char *b = malloc(size > 0 ? size : 1);
	size_t got = 0;
	ssize_t r;

	if (b == NULL)
		return NULL;
	while (got < size) {
		r = read(fd, b + got, size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			free(b);
			return NULL;
		}
		got += (size_t)r;
	}
	return b;
}

static void
not_found(const struct http_request *req, struct http_response *resp)
{
	http_problem(req, resp, 404, "not_found", NULL,
	    "Aucune ressource à cette adresse.");
}

void
static_serve(const char *web_dir, struct http_request *req,
    struct http_response *resp)
{
	static char index_name[] = "index.html";
	char *index_seg[1] = { index_name };
	char *const *segs = req->segs;
	size_t nsegs = req->nsegs, i;
	const struct static_type *t;
	const char *inm;
	char etag[64];
	struct stat st;
	int dirfd, fd;
	char *body;

	if (web_dir == NULL || web_dir[0] == '\0') {
		not_found(req, resp);
		return;
	}
	if (nsegs == 0) {
		segs = index_seg;
		nsegs = 1;
	}
	/* No hidden names (".git", ".env") and no directory ("/a/"). */
	for (i = 0; i < nsegs; i++)
		if (segs[i][0] == '.' || segs[i][0] == '\0') {
			not_found(req, resp);
			return;
		}
	t = type_of(segs[nsegs - 1]);
	if (t == NULL) {
		not_found(req, resp);
		return;
	}
	dirfd = open(web_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0) {
		not_found(req, resp);
		return;
	}
	fd = open_beneath(dirfd, segs, nsegs);
	close(dirfd);
	if (fd < 0) {
		not_found(req, resp);
		return;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > STATIC_FILE_MAX) {
		close(fd);
		not_found(req, resp);
		return;
	}
	snprintf(etag, sizeof(etag), "W/\"%llx-%llx-%lx\"",
	    (unsigned long long)st.st_size, (unsigned long long)st.st_mtime,
	    (long)st.st_mtim.tv_nsec);
	inm = http_request_header(req, "If-None-Match");
	if (inm != NULL && strcmp(inm, etag) == 0) {
		close(fd);
		resp->status = 304;
	} else {
		body = read_all(fd, (size_t)st.st_size);
		close(fd);
		if (body == NULL) {
			http_problem(req, resp, 500, "internal_error", NULL,
			    "Le fichier n'a pas pu être lu.");
			return;
		}
		free(resp->body);
		resp->body = body;
		resp->body_len = (size_t)st.st_size;
		resp->content_type = t->content_type;
		resp->status = 200;
	}
	http_response_header(resp, "Cache-Control",
	    t->html ? "no-cache" : "public, max-age=3600");
	http_response_header(resp, "ETag", etag);
}
