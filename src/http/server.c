/*
 * server.c - the one file that knows libmicrohttpd.
 *
 * It turns libmicrohttpd's callbacks into a struct http_request, calls the
 * router and the handler, and turns the struct http_response back, adding
 * the security headers. Limits are all set explicitly here from the
 * configuration; none is left to the library's defaults.
 */
#include "http/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>
#include <sodium.h>

#include "core/buf.h"
#include "core/fault.h"
#include "core/log.h"
#include "core/num.h"
#include "http/path.h"
#include "http/response.h"
#include "http/router.h"
#include "http/static.h"

const char http_tls_priorities[] =
    "SECURE256:+SECURE128:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2:"
    "-CIPHER-ALL:+AES-256-GCM:+CHACHA20-POLY1305:+AES-128-GCM:"
    "-MAC-ALL:+AEAD:-KX-ALL:+ECDHE-ECDSA:+ECDHE-RSA:"
    "-SIGN-RSA-SHA1:-SIGN-ECDSA-SHA1:-SIGN-RSA-SHA224:-SIGN-ECDSA-SHA224:"
    "%SAFE_RENEGOTIATION:%SERVER_PRECEDENCE";

/*
 * One open connection, from libmicrohttpd's "started" notice to its
 * "closed" one. While no request is in progress on it (before the first,
 * between two on a kept-alive connection) it sits in the server's idle
 * list, the longest idle first.
 */
struct conn_slot {
	struct conn_slot *prev, *next;
	MHD_socket fd;
	int64_t idle_since; /* monotonic milliseconds, while idle */
	int idle; /* in the idle list */
	int closing; /* shut down here, libmicrohttpd not done with it yet */
};

struct http_server {
	struct MHD_Daemon *daemon;
	const struct http_route *routes;
	size_t nroutes;
	void *app;
	size_t max_body;
	int tls;
	int access_log;
	char *web_dir; /* NULL: no static files */
	atomic_uint inflight;
	atomic_int stopping;
	char *cert_pem;
	char *key_pem;
	size_t key_len;
	/* Connections, counted here rather than by libmicrohttpd's share
	 * per worker thread (see http_server_new). conn_lock guards them. */
	pthread_mutex_t conn_lock;
	struct conn_slot *idle_head, *idle_tail;
	unsigned conns; /* open, closing ones included */
	unsigned closing; /* shut down here, not yet closed */
	unsigned conn_high; /* above it, idle connections are closed */
	unsigned conn_max; /* above it, a new connection is closed too */
	unsigned long evicted; /* idle connections closed early, in all */
	time_t evicted_logged; /* when the last warning went out */
};

/* Everything one request needs, from its first callback to its last. */
struct reqctx {
	struct http_server *srv;
	struct http_request req;
	struct buf body;
	int too_big;
	size_t discarded;
	int status; /* what was queued, for the access log */
	size_t bytes;
	struct timespec start;
	double cpu_ms; /* the handler's CPU time (access log only) */
	const char *route_pattern;
	const char *method_name;
	char segstore[LIMIT_PATH_SEGMENTS * (LIMIT_PATH_SEGMENT_BYTES + 1)];
};

const char *
http_request_header(const struct http_request *req, const char *name)
{
	if (req->conn == NULL)
		return NULL;
	return MHD_lookup_connection_value((struct MHD_Connection *)req->conn,
	    MHD_HEADER_KIND, name);
}

int
http_request_query(const struct http_request *req, const char *name, char *out,
    size_t outlen)
{
	const char *raw;

	if (req->conn == NULL)
		return 1;
	raw = MHD_lookup_connection_value((struct MHD_Connection *)req->conn,
	    MHD_GET_ARGUMENT_KIND, name);
	if (raw == NULL)
		return 1;
	return path_decode(raw, strlen(raw), out, outlen, 1) < 0 ? -1 : 0;
}

struct query_out {
	char *out;
	size_t outlen, len;
	int bad;
};

/* Appends s, percent-encoding what a URL cannot carry as is (MHD gives
 * the arguments as received, already encoded). */
static void
query_put(struct query_out *q, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s != '\0' && !q->bad; s++) {
		unsigned char ch = (unsigned char)*s;

		if (q->len + 4 > q->outlen) {
			q->bad = 1;
			break;
		}
		if (ch <= ' ' || ch >= 0x7f || ch == '&' || ch == '#' ||
		    ch == '"' || ch == '<' || ch == '>') {
			q->out[q->len++] = '%';
			q->out[q->len++] = hex[ch >> 4];
			q->out[q->len++] = hex[ch & 15];
		} else {
			q->out[q->len++] = (char)ch;
		}
	}
	q->out[q->len] = '\0';
}

static enum MHD_Result
query_arg(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	struct query_out *q = cls;

	(void)kind;
	if (q->len > 0) { /* the separator, not encoded */
		if (q->len + 2 > q->outlen)
			q->bad = 1;
		else
			q->out[q->len++] = '&', q->out[q->len] = '\0';
	}
	query_put(q, key);
	if (value != NULL) {
		query_put(q, "=");
		query_put(q, value);
	}
	return q->bad ? MHD_NO : MHD_YES;
}

int
http_request_query_string(const struct http_request *req, char *out,
    size_t outlen)
{
	struct query_out q = { out, outlen, 0, 0 };

	if (outlen == 0)
		return -1;
	out[0] = '\0';
	if (req->conn == NULL)
		return 0;
	MHD_get_connection_values((struct MHD_Connection *)req->conn,
	    MHD_GET_ARGUMENT_KIND, query_arg, &q);
	return q.bad ? -1 : 0;
}

/*
 * Leaves URLs and query arguments as received: path.c decodes them once,
 * segment by segment, so an encoded '/' or NUL can be refused instead of
 * silently changing the path.
 */
static size_t
keep_escaped(void *cls, struct MHD_Connection *c, char *s)
{
	(void)cls;
	(void)c;
	return strlen(s);
}

static void
mhd_logger(void *cls, const char *fmt, va_list ap)
{
	char msg[512];

	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	/* libmicrohttpd's own messages end with a newline; the log adds one. */
	msg[strcspn(msg, "\n")] = '\0';
	log_info("http: %s", msg);
}

static void
new_request_id(char out[33])
{
	unsigned char raw[16];

	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(out, 33, raw, sizeof(raw));
}

/*
 * Hands resp to libmicrohttpd with the fixed headers. Takes resp's body.
 * Returns what MHD_queue_response returned.
 */
static enum MHD_Result
queue(struct reqctx *ctx, struct MHD_Connection *conn,
    struct http_response *resp)
{
	struct MHD_Response *mr;
	enum MHD_Result ret;
	const char *path = ctx->req.raw_path;
	size_t i;
	int api;

	if (resp->status == 0)
		http_problem(&ctx->req, resp, 500, "internal_error", NULL,
		    "Le serveur n'a pas produit de réponse.");
	if (resp->has_fd) {
		/* A file streamed from its descriptor, never read whole. */
		mr = MHD_create_response_from_fd64(resp->fd_len, resp->fd);
		if (mr != NULL)
			resp->has_fd = 0; /* now owned by mr */
	} else {
		mr = MHD_create_response_from_buffer(resp->body_len,
		    resp->body ? resp->body : (void *)"",
		    resp->body ? MHD_RESPMEM_MUST_FREE
			       : MHD_RESPMEM_PERSISTENT);
		if (mr != NULL)
			resp->body = NULL; /* now owned by mr */
	}
	if (mr == NULL) {
		http_response_clear(resp);
		return MHD_NO;
	}
	for (i = 0; i < http_security_headers_count; i++)
		MHD_add_response_header(mr, http_security_headers[i].name,
		    http_security_headers[i].value);
	if (ctx->srv->tls)
		MHD_add_response_header(mr, "Strict-Transport-Security",
		    HTTP_HSTS_VALUE);
	MHD_add_response_header(mr, "Content-Type",
	    resp->content_type ? resp->content_type : HTTP_CT_TEXT);
	MHD_add_response_header(mr, "X-Request-Id", ctx->req.request_id);
	api = path == NULL || strncmp(path, "/api/", 5) == 0;
	if (http_response_header_get(resp, "Cache-Control") == NULL || api)
		MHD_add_response_header(mr, "Cache-Control", "no-store");
	for (i = 0; i < resp->nheaders; i++) {
		if (api &&
		    strcasecmp(resp->headers[i].name, "Cache-Control") == 0)
			continue;
		MHD_add_response_header(mr, resp->headers[i].name,
		    resp->headers[i].value);
	}
	if (atomic_load(&ctx->srv->stopping) || ctx->too_big)
		MHD_add_response_header(mr, MHD_HTTP_HEADER_CONNECTION,
		    "close");
	ctx->status = resp->status;
	ctx->bytes = resp->fd_len > 0 ? (size_t)resp->fd_len : resp->body_len;
	ret = MHD_queue_response(conn, (unsigned int)resp->status, mr);
	MHD_destroy_response(mr);
	http_response_clear(resp);
	return ret;
}

static enum MHD_Result
answer_too_big(struct reqctx *ctx, struct MHD_Connection *conn)
{
	struct http_response resp;

	http_response_init(&resp);
	http_problem(&ctx->req, &resp, 413, "body_too_large", NULL,
	    "Le corps de la requête dépasse la limite de %zu octets.",
	    ctx->srv->max_body);
	return queue(ctx, conn, &resp);
}

/* Routes a complete request and calls its handler. */
static enum MHD_Result
dispatch(struct reqctx *ctx, struct MHD_Connection *conn)
{
	struct http_request *req = &ctx->req;
	struct http_response resp;
	const struct http_route *route;
	struct timespec t0, t1;
	unsigned allowed;
	char allow[96];
	int rc;

	http_response_init(&resp);
	rc = path_split(req->raw_path, strlen(req->raw_path), req->segs,
	    LIMIT_PATH_SEGMENTS, &req->nsegs, ctx->segstore,
	    sizeof(ctx->segstore));
	if (rc != PATH_OK) {
		http_problem(req, &resp, 400, "invalid_path", NULL,
		    "Chemin refusé : %s.", path_strerror(rc));
		return queue(ctx, conn, &resp);
	}
	rc = router_match(ctx->srv->routes, ctx->srv->nroutes, req->method,
	    req->segs, req->nsegs, req->params, &req->nparams, &route,
	    &allowed);
	if (rc == ROUTER_NOT_FOUND && ctx->srv->web_dir != NULL &&
	    static_wanted(req)) {
		static_serve(ctx->srv->web_dir, req, &resp);
		return queue(ctx, conn, &resp);
	}
	if (rc == ROUTER_NOT_FOUND) {
		http_problem(req, &resp, 404, "not_found", NULL,
		    "Aucune ressource à cette adresse.");
		return queue(ctx, conn, &resp);
	}
	if (rc == ROUTER_METHOD_NOT_ALLOWED) {
		router_allow_header(allowed, allow, sizeof(allow));
		http_problem(req, &resp, 405, "method_not_allowed", NULL,
		    "La méthode %s n'est pas permise ici (permises : %s).",
		    http_method_name(req->method), allow);
		http_response_header(&resp, "Allow", allow);
		return queue(ctx, conn, &resp);
	}
	req->route = route;
	ctx->route_pattern = route->pattern;
	if (ctx->body.len > 0) {
		req->body = ctx->body.data;
		req->body_len = ctx->body.len;
	}
	/* Storage faults are counted per request (http_problem). */
	fault_clear();
	/* The handler's CPU time, for the access log: the thread does
	 * nothing else meanwhile (the sending is not counted). */
	if (ctx->srv->access_log)
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
	route->handler(req, &resp);
	if (ctx->srv->access_log) {
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
		ctx->cpu_ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
		    (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	}
	return queue(ctx, conn, &resp);
}

/* Fills the parts of the request known once the head has arrived. */
static void
start_request(struct reqctx *ctx, struct MHD_Connection *conn, const char *url)
{
	const union MHD_ConnectionInfo *ci;
	const struct sockaddr *sa;

	ctx->req.raw_path = url;
	ctx->req.app = ctx->srv->app;
	ctx->req.conn = conn;
	ctx->req.tls = ctx->srv->tls;
	ctx->req.content_type = MHD_lookup_connection_value(conn,
	    MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
	new_request_id(ctx->req.request_id);
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	sa = ci ? ci->client_addr : NULL;
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr,
		    ctx->req.client_ip, sizeof(ctx->req.client_ip));
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6,
		    &((const struct sockaddr_in6 *)sa)->sin6_addr,
		    ctx->req.client_ip, sizeof(ctx->req.client_ip));
}

static void
idle_remove(struct http_server *srv, struct conn_slot *cs)
{
	if (!cs->idle)
		return;
	if (cs->prev != NULL)
		cs->prev->next = cs->next;
	else
		srv->idle_head = cs->next;
	if (cs->next != NULL)
		cs->next->prev = cs->prev;
	else
		srv->idle_tail = cs->prev;
	cs->prev = cs->next = NULL;
	cs->idle = 0;
}

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
idle_append(struct http_server *srv, struct conn_slot *cs)
{
	if (cs->idle || cs->closing)
		return;
	cs->idle_since = mono_ms();
	cs->prev = srv->idle_tail;
	cs->next = NULL;
	if (srv->idle_tail != NULL)
		srv->idle_tail->next = cs;
	else
		srv->idle_head = cs;
	srv->idle_tail = cs;
	cs->idle = 1;
}

/*
 * Closes an idle connection from any thread: shutting its socket down
 * wakes the worker thread that owns it, which reads the end and closes it
 * as if the client had. Safe against the descriptor being reused: the
 * slot leaves the list (under conn_lock) in the "closed" notice, which
 * libmicrohttpd sends before it closes the descriptor. Call with
 * conn_lock held.
 */
static void
evict(struct http_server *srv, struct conn_slot *cs)
{
	idle_remove(srv, cs);
	cs->closing = 1;
	srv->closing++;
	srv->evicted++;
	shutdown(cs->fd, SHUT_RDWR);
}

/* Warns, at most once a minute, that idle connections are being closed
 * early: the server is near [http] max_connections. */
static void
evicted_warn(struct http_server *srv)
{
	time_t now = time(NULL);
	unsigned long n;

	pthread_mutex_lock(&srv->conn_lock);
	n = srv->evicted;
	if (n == 0 || now - srv->evicted_logged < 60) {
		pthread_mutex_unlock(&srv->conn_lock);
		return;
	}
	srv->evicted_logged = now;
	pthread_mutex_unlock(&srv->conn_lock);
	log_warnx("http: near the connection limit: %lu idle connection(s) "
		  "closed early so far",
	    n);
}

/*
 * libmicrohttpd's connection notices, in the connection's worker thread.
 * A new connection above conn_high closes the connections idle the
 * longest (never one with a request in progress) until the count is back
 * to conn_high: those idle for LIMIT_HTTP_IDLE_MIN_MS at least, so that
 * busy kept-alive clients, idle for an instant between two requests, are
 * left alone; above conn_max, the longest idle whatever its age. Above
 * conn_max with none idle to close, the new one is closed instead.
 */
static void
on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
    enum MHD_ConnectionNotificationCode code)
{
	struct http_server *srv = cls;
	struct conn_slot *cs = *socket_context, *victim;
	const union MHD_ConnectionInfo *ci;
	int64_t now;
	int warn = 0;

	if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
		if (cs == NULL)
			return;
		pthread_mutex_lock(&srv->conn_lock);
		idle_remove(srv, cs);
		if (cs->closing)
			srv->closing--;
		srv->conns--;
		pthread_mutex_unlock(&srv->conn_lock);
		free(cs);
		*socket_context = NULL;
		return;
	}
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
	cs = calloc(1, sizeof(*cs));
	if (cs == NULL || ci == NULL) {
		free(cs);
		return; /* not tracked: counted by libmicrohttpd only */
	}
	cs->fd = ci->connect_fd;
	*socket_context = cs;
	pthread_mutex_lock(&srv->conn_lock);
	srv->conns++;
	now = mono_ms();
	while (srv->conns - srv->closing > srv->conn_high &&
	    (victim = srv->idle_head) != NULL &&
	    (srv->conns - srv->closing > srv->conn_max ||
		now - victim->idle_since >= LIMIT_HTTP_IDLE_MIN_MS)) {
		evict(srv, victim);
		warn = 1;
	}
	if (srv->conns - srv->closing > srv->conn_max) {
		evict(srv, cs); /* full of requests in progress: no room */
		warn = 1;
	} else {
		idle_append(srv, cs);
	}
	pthread_mutex_unlock(&srv->conn_lock);
	if (warn)
		evicted_warn(srv);
}

/* The connection's slot, or NULL when it is not tracked. */
static struct conn_slot *
slot_of(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci;

	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

/* A request starts (busy != 0) or ends on conn. */
static void
conn_busy(struct http_server *srv, struct MHD_Connection *conn, int busy)
{
	struct conn_slot *cs = slot_of(conn);

	if (cs == NULL)
		return;
	pthread_mutex_lock(&srv->conn_lock);
	if (busy)
		idle_remove(srv, cs);
	else
		idle_append(srv, cs);
	pthread_mutex_unlock(&srv->conn_lock);
}

static enum MHD_Result
count_length(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	(void)kind;
	(void)value;
	if (key != NULL && strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0)
		(*(unsigned *)cls)++;
	return MHD_YES;
}

/*
 * Is the body's length given more than one way? Both Content-Length and
 * Transfer-Encoding, or Content-Length more than once: libmicrohttpd
 * reads the body by the first Content-Length and the rest of the bytes as
 * a next request, where a proxy in front may have read another length.
 * Identical repeats are refused as well: no client sends them, and one
 * rule leaves no room for a proxy and this server to read one request
 * two ways (RFC 9112 6.3 allows either).
 */
static int
ambiguous_length(struct MHD_Connection *conn)
{
	unsigned lengths = 0;

	MHD_get_connection_values(conn, MHD_HEADER_KIND, count_length,
	    &lengths);
	if (lengths > 1)
		return 1;
	return lengths == 1 &&
	    MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
		MHD_HTTP_HEADER_TRANSFER_ENCODING) != NULL;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct http_server *srv = cls;
	struct reqctx *ctx = *con_cls;
	struct http_response resp;
	const char *cl;
	int64_t declared;

	(void)version;
	if (ctx == NULL) {
		ctx = calloc(1, sizeof(*ctx));
		if (ctx == NULL)
			return MHD_NO;
		ctx->srv = srv;
		clock_gettime(CLOCK_MONOTONIC, &ctx->start);
		buf_init(&ctx->body, srv->max_body);
		atomic_fetch_add(&srv->inflight, 1);
		conn_busy(srv, conn, 1);
		*con_cls = ctx;
		start_request(ctx, conn, url);
		if (http_method_parse(method, &ctx->req.method) != 0) {
			ctx->method_name = "?";
			http_response_init(&resp);
			http_problem(&ctx->req, &resp, 501,
			    "method_not_supported", NULL,
			    "Cette méthode HTTP n'est pas prise en charge.");
			return queue(ctx, conn, &resp);
		}
		ctx->method_name = http_method_name(ctx->req.method);
		/* Two framings at once is how requests are smuggled past a
		 * proxy (RFC 9112 6.3): refuse instead of picking one, and
		 * close, so the bytes after are never read as a request. */
		if (ambiguous_length(conn)) {
			ctx->too_big = 1; /* answer, then close */
			http_response_init(&resp);
			http_problem(&ctx->req, &resp, 400, "ambiguous_length",
			    NULL,
			    "La longueur du corps est donnée plusieurs fois "
			    "(Content-Length répété, ou avec "
			    "Transfer-Encoding).");
			return queue(ctx, conn, &resp);
		}
		/* A declared length over the cap is refused before any of the
		 * body is read (a client sending Expect: 100-continue then
		 * never sends it). */
		cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
		    MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl != NULL &&
		    num_parse_i64(cl, 0, INT64_MAX, &declared) == 0 &&
		    (uint64_t)declared > srv->max_body) {
			ctx->too_big = 1;
			return answer_too_big(ctx, conn);
		}
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		if (!ctx->too_big &&
		    buf_append(&ctx->body, upload_data, *upload_data_size) !=
			BUF_OK) {
			ctx->too_big = 1;
			buf_free(&ctx->body);
		}
		if (ctx->too_big) {
			ctx->discarded += *upload_data_size;
			/* Past the drain allowance, stop reading: close. */
			if (ctx->discarded >
			    srv->max_body * LIMIT_HTTP_DRAIN_FACTOR)
				return MHD_NO;
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (ctx->status != 0)
		return MHD_YES; /* answered early; libmicrohttpd is finishing */
	if (ctx->too_big)
		return answer_too_big(ctx, conn);
	return dispatch(ctx, conn);
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct http_server *srv = cls;
	struct reqctx *ctx = *con_cls;
	struct timespec end;
	double ms;

	if (ctx == NULL)
		return;
	conn_busy(srv, conn, 0);
	if (srv->access_log) {
		clock_gettime(CLOCK_MONOTONIC, &end);
		ms = (double)(end.tv_sec - ctx->start.tv_sec) * 1e3 +
		    (double)(end.tv_nsec - ctx->start.tv_nsec) / 1e6;
		/* The route pattern, never the path: paths may carry ids a
		 * person could be traced by; no IP, no user agent either. */
		log_info("access id=%s method=%s route=%s status=%d bytes=%zu "
			 "ms=%.2f cpu_ms=%.3f%s",
		    ctx->req.request_id,
		    ctx->method_name ? ctx->method_name : "?",
		    ctx->route_pattern ? ctx->route_pattern : "-", ctx->status,
		    ctx->bytes, ms, ctx->cpu_ms,
		    toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " cut=1");
	}
	buf_free(&ctx->body);
	free(ctx);
	*con_cls = NULL;
	atomic_fetch_sub(&srv->inflight, 1);
}

/* Reads a PEM file whole into a new NUL-terminated buffer. */
static char *
read_pem(const char *path, size_t *len, char *err, size_t errlen)
{
	FILE *f;
	struct buf b;
	char chunk[4096];
	size_t n;

	f = fopen(path, "re");
	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	buf_init(&b, 1024 * 1024);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (buf_append(&b, chunk, n) != BUF_OK) {
			snprintf(err, errlen, "%s: larger than 1 MiB", path);
			fclose(f);
			sodium_memzero(chunk, sizeof(chunk));
			buf_free(&b);
			return NULL;
		}
	}
	sodium_memzero(chunk, sizeof(chunk));
	fclose(f);
	return buf_steal(&b, len);
}

struct http_server *
http_server_new(const struct http_server_config *cfg,
    const struct http_route *routes, size_t nroutes, void *app, char *err,
    size_t errlen)
{
	struct http_server *srv;
	unsigned int flags;
	struct MHD_OptionItem opts[24];
	size_t no = 0;
	size_t dummy;
	unsigned mhd_limit;

	if (router_check(routes, nroutes, err, errlen) != 0)
		return NULL;
	srv = calloc(1, sizeof(*srv));
	if (srv == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	srv->routes = routes;
	srv->nroutes = nroutes;
	srv->app = app;
	srv->max_body = cfg->max_body_bytes;
	srv->access_log = cfg->access_log;
	if (cfg->web_dir != NULL && cfg->web_dir[0] != '\0') {
		srv->web_dir = strdup(cfg->web_dir);
		if (srv->web_dir == NULL) {
			snprintf(err, errlen, "out of memory");
			free(srv);
			return NULL;
		}
	}
	srv->tls = cfg->tls_cert != NULL && cfg->tls_cert[0] != '\0';
	pthread_mutex_init(&srv->conn_lock, NULL);
	srv->conn_max = cfg->max_connections;
	srv->conn_high = (unsigned)((unsigned long)cfg->max_connections *
	    LIMIT_HTTP_IDLE_HIGH_PERCENT / 100);
	if (srv->conn_high == 0)
		srv->conn_high = 1;
	/*
	 * libmicrohttpd shares its connection limit out between the worker
	 * threads, and a worker at its share stops accepting until one of
	 * its own connections closes, even while the others have room: idle
	 * sockets that happened to land on every worker made the server
	 * answer no one. Each worker is given the whole limit instead, and
	 * on_connection holds the server to [http] max_connections in all,
	 * closing idle connections first.
	 */
	mhd_limit =
	    cfg->max_connections * (cfg->threads > 0 ? cfg->threads : 1);

	flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
	    MHD_USE_ERROR_LOG;
	if (cfg->addr->sa_family == AF_INET6)
		flags |= MHD_USE_IPv6;

#define OPT(o, v, p)                                                           \
	opts[no++] = (struct MHD_OptionItem){ (o), (intptr_t)(v), (p) }
	/* The logger first, so even option errors reach our log. */
	OPT(MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)mhd_logger, NULL);
	OPT(MHD_OPTION_SOCK_ADDR, 0, (void *)(uintptr_t)cfg->addr);
	OPT(MHD_OPTION_THREAD_POOL_SIZE, cfg->threads, NULL);
	OPT(MHD_OPTION_CONNECTION_MEMORY_LIMIT, cfg->max_header_bytes, NULL);
	OPT(MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout_s, NULL);
	OPT(MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->per_ip_connections, NULL);
	OPT(MHD_OPTION_CONNECTION_LIMIT, mhd_limit, NULL);
	OPT(MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)on_connection, srv);
	OPT(MHD_OPTION_STRICT_FOR_CLIENT, 1, NULL);
	OPT(MHD_OPTION_UNESCAPE_CALLBACK, (intptr_t)keep_escaped, NULL);
	OPT(MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, srv);
	if (srv->tls) {
		flags |= MHD_USE_TLS;
		srv->cert_pem = read_pem(cfg->tls_cert, &dummy, err, errlen);
		if (srv->cert_pem == NULL)
			goto fail;
		srv->key_pem =
		    read_pem(cfg->tls_key, &srv->key_len, err, errlen);
		if (srv->key_pem == NULL)
			goto fail;
		OPT(MHD_OPTION_HTTPS_MEM_CERT, 0, srv->cert_pem);
		OPT(MHD_OPTION_HTTPS_MEM_KEY, 0, srv->key_pem);
		OPT(MHD_OPTION_HTTPS_PRIORITIES, 0,
		    (void *)(uintptr_t)http_tls_priorities);
	}
	OPT(MHD_OPTION_END, 0, NULL);
#undef OPT

	srv->daemon = MHD_start_daemon(flags, 0, NULL, NULL, on_request, srv,
	    MHD_OPTION_ARRAY, opts, MHD_OPTION_END);
	if (srv->daemon == NULL) {
		snprintf(err, errlen,
		    "cannot serve HTTP%s on the configured address (in use, not "
		    "permitted, or bad TLS certificate/key)",
		    srv->tls ? "S" : "");
		goto fail;
	}
	return srv;
fail:
	http_server_free(srv);
	return NULL;
}

uint16_t
http_server_port(const struct http_server *srv)
{
	const union MHD_DaemonInfo *di;

	if (srv->daemon == NULL)
		return 0;
	di = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
	return di ? di->port : 0;
}

unsigned
http_server_inflight(struct http_server *srv)
{
	return atomic_load(&srv->inflight);
}

int
http_server_shutdown(struct http_server *srv, unsigned timeout_s)
{
	MHD_socket fd;
	struct timespec nap = { 0, 10 * 1000 * 1000 };
	unsigned waited_ms = 0;
	int cut = 0;

	if (srv->daemon == NULL)
		return 0;
	atomic_store(&srv->stopping, 1);
	fd = MHD_quiesce_daemon(srv->daemon);
	if (fd != MHD_INVALID_SOCKET)
		close(fd);
	while (atomic_load(&srv->inflight) > 0) {
		if (waited_ms >= timeout_s * 1000u) {
			cut = 1;
			log_warnx("http: %u request(s) still running at the "
				  "shutdown deadline",
			    atomic_load(&srv->inflight));
			break;
		}
		nanosleep(&nap, NULL);
		waited_ms += 10;
	}
	MHD_stop_daemon(srv->daemon);
	srv->daemon = NULL;
	return cut;
}

void
http_server_free(struct http_server *srv)
{
	if (srv == NULL)
		return;
	if (srv->daemon != NULL)
		http_server_shutdown(srv, 0);
	pthread_mutex_destroy(&srv->conn_lock);
	free(srv->cert_pem);
	free(srv->web_dir);
	if (srv->key_pem != NULL) {
		sodium_memzero(srv->key_pem, srv->key_len);
		free(srv->key_pem);
	}
	free(srv);
}
