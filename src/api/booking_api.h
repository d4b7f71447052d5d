/*
 * booking_api.h - what the booking handlers share: answering a RULES.md
 * code as a problem document, finding the caller's school, reading ids
 * and times from requests, writing times in answers.
 */
#ifndef CRENEAU_BOOKING_API_H
#define CRENEAU_BOOKING_API_H

#include <jansson.h>
#include <stdint.h>

#include "api/guard.h"
#include "booking/codes.h"
#include "http/http.h"
#include "service/service.h"

/*
 * Answers code c of RULES.md as problem+json: its HTTP status, `code` =
 * the stable name (CRENEAU_DEJA_RESERVE), `detail` = the French message
 * with "{date}" replaced by at shown in Europe/Paris ("25/11/2026 à
 * 14:30"), field (may be NULL) naming the input at fault.
 */
void api_booking_problem(const struct http_request *req,
    struct http_response *resp, enum bk_code c, const char *field, int64_t at);

/* Writes the French message of code c into out, "{date}" replaced by at
 * shown in Europe/Paris. */
void api_booking_detail(enum bk_code c, int64_t at, char *out, size_t outlen);

/*
 * Reads the school of the caller's organisation into *school_id (the row
 * is created on first use for an organisation of kind school). Returns 0,
 * or -1 after the problem (403 not_a_school, 503).
 */
int api_caller_school(const struct http_request *req,
    struct http_response *resp, const struct api_caller *c, int64_t *school_id);

/* One booking request: the caller, its school, the services' context. */
struct api_bctx {
	struct api_caller c;
	struct svc s;
	struct svc_actor who;
	int64_t school_id; /* 0 unless asked for */
	int64_t now;
};

/* Guards the request (api_guard with no record) and fills x; with school
 * set, also finds the caller's school. Returns 0, or -1 after the
 * problem. */
int api_bctx_begin(struct http_request *req, struct http_response *resp,
    struct api_bctx *x, int school);

/* Answers the result rc of a service call unless it is BK_OK: -1 is a
 * 503, a code its problem naming field (may be NULL), with at for
 * "{date}". Returns 0 for BK_OK, -1 after answering. */
int api_bctx_refused(const struct http_request *req, struct http_response *resp,
    int rc, const char *field, int64_t at);

/* Answers 503: the booking service could not reach its storage. */
void api_unavailable(const struct http_request *req,
    struct http_response *resp);

/* Reads s (may be NULL) as a positive id of at most 18 digits, no sign
 * and no leading zero, into *id. Returns 0 or -1. */
int api_id_parse(const char *s, int64_t *id);

/* Reads path parameter name as a positive id into *id. Returns 0, or -1
 * after a 404 problem naming what was not found (what: "examen"). */
int api_path_id(const struct http_request *req, struct http_response *resp,
    const char *name, enum bk_code unknown, int64_t *id);

/* Formats ms as "2026-11-25T14:30:00Z" into a new JSON string. */
json_t *api_time_json(int64_t ms);

struct jsonw;
/* The same as member key of a streaming writer (http/jsonw.h). */
void api_time_jsonw(struct jsonw *w, const char *key, int64_t ms);

/* Formats ms in Europe/Paris as "25/11/2026 à 14:30" into out (at least
 * 24 bytes). */
void api_paris_format(int64_t ms, char *out, size_t outlen);

#endif
