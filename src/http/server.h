/*
 * server.h - the HTTP server: libmicrohttpd behind our own types.
 *
 * The server runs libmicrohttpd's epoll loop on a pool of internal threads.
 * Each request is read whole (head, then body up to its cap) before it is
 * routed; handlers run on the pool thread that read it.
 */
#ifndef CRENEAU_SERVER_H
#define CRENEAU_SERVER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "http/http.h"

struct http_server_config {
	const struct sockaddr *addr;
	socklen_t addrlen;
	const char *tls_cert; /* PEM file path, NULL for plain HTTP */
	const char *tls_key;
	unsigned threads;
	size_t max_body_bytes;
	size_t max_header_bytes;
	unsigned timeout_s;
	unsigned per_ip_connections;
	unsigned max_connections;
	int access_log;
	/* Directory of the web UI's static files, served for GET and HEAD
	 * of paths outside /api/ that no route matches; NULL or "" for
	 * none (such paths then answer 404). */
	const char *web_dir;
};

struct http_server;

/* The GnuTLS priority string: TLS 1.2 and 1.3 only, AEAD ciphers with
 * forward secrecy, no SHA-1 signatures; the server's order wins over the
 * client's (%SERVER_PRECEDENCE): AES-256-GCM, then ChaCha20-Poly1305,
 * then AES-128-GCM. */
extern const char http_tls_priorities[];

/*
 * Starts serving routes (checked with router_check first); app is handed to
 * handlers as req->app. Returns the server, or NULL with a one-line reason
 * in err. The caller owns the server and ends it with http_server_free().
 */
struct http_server *http_server_new(const struct http_server_config *cfg,
    const struct http_route *routes, size_t nroutes, void *app, char *err,
    size_t errlen);

/* Returns the port actually bound (useful with port 0), or 0. */
uint16_t http_server_port(const struct http_server *srv);

/* Returns the number of requests started and not yet completed. */
unsigned http_server_inflight(struct http_server *srv);

/*
 * Stops accepting connections, waits up to timeout_s for the requests in
 * flight to complete, then stops the threads. Returns 0 when every request
 * finished, 1 when some were cut at the deadline. Safe to call twice.
 */
int http_server_shutdown(struct http_server *srv, unsigned timeout_s);

/* Shuts down (no waiting) if still running and frees. NULL does nothing. */
void http_server_free(struct http_server *srv);

#endif
