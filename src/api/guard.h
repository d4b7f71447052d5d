/*
 * guard.h - who is calling and whether they may: the check every API
 * handler starts with.
 */
#ifndef CRENEAU_GUARD_H
#define CRENEAU_GUARD_H

#include "auth/oauth.h"
#include "auth/rbac.h"
#include "auth/session.h"
#include "http/http.h"

/* The caller of one request, once the guard let it through. */
struct api_caller {
	int has_session; /* a session, or a partner access token */
	int partner; /* the caller is partner software with a token */
	struct session_info s; /* valid when has_session */
	struct oauth_access token; /* valid when partner */
	struct rbac_subject subj;
	/* From the identity check of a session (auth/idcache.h): the epoch
	 * it was read under (-1: none, or a partner) and the school of its
	 * organisation once read (0: not yet). */
	int64_t id_epoch;
	int64_t school_id;
};

/*
 * Reads the session cookie and checks the session; on every method but
 * GET and HEAD, checks the X-XSRF-TOKEN header against the session's
 * CSRF token; loads the roles and active grants; asks rbac_decide for the
 * route's permission (req->route->tag) and target t (may be NULL).
 * Returns 0 when the request may go on (c filled), or -1 after writing
 * the problem: 401 unauthenticated, 403 csrf_failed, mfa_required,
 * password_change_required or forbidden, 404 for records out of scope.
 * On the school-side API (a route whose permission is a school one,
 * rbac_perm_is_school), an allowed call then counts against the rate
 * limits of the caller's school and of the caller ([ratelimit]): past
 * either, 429 rate_limited with Retry-After in seconds.
 *
 * The partner surface (routes under /api/v2/) takes no cookie: only an
 * `Authorization: Bearer` access token (auth/oauth.h), which stands for
 * the employee who consented, with their roles, and needs the scope
 * "lecture" for GET and "reservation" for any other method. Refusals
 * carry WWW-Authenticate as RFC 6750 says: 401 unauthenticated or
 * invalid_token, 403 insufficient_scope.
 */
int api_guard(struct http_request *req, struct http_response *resp,
    const struct rbac_target *t, struct api_caller *c);

/*
 * Re-asks rbac_decide for permission p on target t, for record-level
 * checks after the record was read. Returns 0, or -1 after writing the
 * problem (404 when out of scope).
 */
int api_check(const struct http_request *req, struct http_response *resp,
    const struct api_caller *c, enum perm p, const struct rbac_target *t);

/* The client's User-Agent header, or NULL. */
const char *api_user_agent(const struct http_request *req);

#endif
