/*
 * static.h - the web UI's static files, served from one directory.
 *
 * Only GET and HEAD of paths outside /api/ that no route matches reach
 * here. The path has already been split and decoded by path.c (no ".",
 * "..", encoded separator or control byte); each segment is then opened
 * relative to its parent directory without following any symbolic link,
 * so nothing outside the directory can be reached.
 */
#ifndef CRENEAU_STATIC_H
#define CRENEAU_STATIC_H

#include "http/http.h"

/* Files larger than this answer 404: the UI's files are small. */
#define STATIC_FILE_MAX (4 * 1024 * 1024)

/* Returns 1 when req is one static_serve() answers: GET or HEAD of a
 * path whose first segment is not "api". */
int static_wanted(const struct http_request *req);

/*
 * Answers req with a file of web_dir: "/" is index.html, any other path a
 * regular file whose extension is on the allow-list (html, css, js, svg,
 * png, woff2, json), with its Content-Type, Cache-Control (no-cache for
 * HTML, one hour for the rest) and a weak ETag (304 on If-None-Match).
 * Anything else (missing, directory, symbolic link, hidden name, other
 * extension, over STATIC_FILE_MAX) answers a 404 problem.
 */
void static_serve(const char *web_dir, struct http_request *req,
    struct http_response *resp);

#endif
