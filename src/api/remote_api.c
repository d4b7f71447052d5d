/*
 * remote_api.c - remote mode ([authority] mode = remote): the school's
 * pages call the same /api/v1 routes as ever, and these handlers pass
 * them on to the remote authority's partner API with the employee's own
 * access token (service/remote_link.h); plus the routes by which an
 * employee links their account to the authority.
 *
 * The rules are the authority's: nothing is decided here but who may
 * call (the local guard, roles and rate limits) and what to say when
 * the authority does not answer. Its answers, refusals included, reach
 * the page as it gave them.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "api/api.h"
#include "api/booking_api.h"
#include "api/guard.h"
#include "app.h"
#include "core/clock.h"
#include "core/log.h"
#include "crypto/field.h"
#include "http/jsonbody.h"
#include "http/response.h"
#include "notify/notify.h"
#include "service/remote_link.h"
#include "store/driver.h"

/* Which web route goes where on the partner surface; copy: the list a
 * copy of each answer is kept of, for an outage (NULL: none). */
struct remote_route {
	enum http_method m;
	const char *local, *remote, *copy;
};

static const struct remote_route forwards[] = {
	{ HTTP_GET, "/api/v1/slots", "/api/v2/auto-ecole/planning/recherche" },
	{ HTTP_GET, "/api/v1/quotas", "/api/v2/auto-ecole/quotas" },
	{ HTTP_GET, "/api/v1/basket", "/api/v2/auto-ecole/paniers" },
	{ HTTP_POST, "/api/v1/baskets/{id}/slots",
	    "/api/v2/auto-ecole/paniers/{id}/creneaux-multiples" },
	{ HTTP_PUT, "/api/v1/baskets/{id}/slots/{slot}",
	    "/api/v2/auto-ecole/paniers/{id}/creneaux/{slot}" },
	{ HTTP_DELETE, "/api/v1/baskets/{id}/slots/{slot}",
	    "/api/v2/auto-ecole/paniers/{id}/creneaux/{slot}" },
	{ HTTP_POST, "/api/v1/baskets/{id}/validation",
	    "/api/v2/auto-ecole/paniers/{id}/valider" },
	{ HTTP_GET, "/api/v1/exams", "/api/v2/auto-ecole/examens", "exams" },
	{ HTTP_POST, "/api/v1/exams/{id}/cancellation",
	    "/api/v2/auto-ecole/examens/{id}/annulation" },
	{ HTTP_POST, "/api/v1/exams/{id}/replacement",
	    "/api/v2/auto-ecole/examens/remplacement" },
	{ HTTP_POST, "/api/v1/exams/swap",
	    "/api/v2/auto-ecole/examens/permutation" },
	{ HTTP_GET, "/api/v1/candidates",
	    "/api/v2/auto-ecole/candidats/recherche", "candidates" },
	{ HTTP_GET, "/api/v1/mandates", "/api/v2/auto-ecole/mandats",
	    "mandates" },
	{ HTTP_POST, "/api/v1/mandates", "/api/v2/auto-ecole/mandats" },
};
#define NFORWARDS (sizeof(forwards) / sizeof(forwards[0]))

/* School routes that read this instance's own booking records, which in
 * remote mode are not the school's: their ids are the authority's, and
 * the partner API has no such route. They answer so rather than show
 * another record under the same id. */
static const struct remote_route absent[] = {
	{ HTTP_GET, "/api/v1/candidates/{id}", NULL, NULL },
	{ HTTP_PUT, "/api/v1/candidates/{id}/trainer", NULL, NULL },
	{ HTTP_GET, "/api/v1/exams/{id}/convocation", NULL, NULL },
	{ HTTP_GET, "/api/v1/exams/{id}/calendar", NULL, NULL },
	{ HTTP_GET, "/api/v1/trainer/exams", NULL, NULL },
	{ HTTP_GET, "/api/v1/trainer/exams/{id}/convocation", NULL, NULL },
};
#define NABSENT (sizeof(absent) / sizeof(absent[0]))

static void
remote_absent(struct http_request *req, struct http_response *resp)
{
	struct api_caller c;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	http_problem(req, resp, 409, "remote_unavailable", NULL,
	    "Cette plateforme réserve auprès d'une autorité d'examen distante, "
	    "qui tient les candidats et les examens : cette page n'est pas "
	    "disponible ici. Les listes des candidats et des examens, la "
	    "réservation, l'annulation et le remplacement le sont.");
}

size_t
api_remote_routes_apply(struct http_route *routes, size_t n)
{
	size_t i, j, done = 0;

	for (i = 0; i < n; i++) {
		for (j = 0; j < NFORWARDS; j++)
			if (routes[i].method == forwards[j].m &&
			    strcmp(routes[i].pattern, forwards[j].local) == 0) {
				routes[i].handler = api_remote_forward;
				done++;
			}
		for (j = 0; j < NABSENT; j++)
			if (routes[i].method == absent[j].m &&
			    strcmp(routes[i].pattern, absent[j].local) == 0)
				routes[i].handler = remote_absent;
	}
	return done;
}

static const struct remote_route *
forward_of(const struct http_request *req)
{
	size_t j;

	for (j = 0; j < NFORWARDS; j++)
		if (req->route->method == forwards[j].m &&
		    strcmp(req->route->pattern, forwards[j].local) == 0)
			return &forwards[j];
	return NULL;
}

/* The authority's state as this process last saw it: an outage is told
 * to the school's staff once when it starts and once when it ends. */
static atomic_llong down_since; /* 0: reachable */

static void tell_school(const struct app *app, const char *org_id,
    const char *kind, int64_t now);

struct tell_tx {
	const struct auth *a;
	const char *org_id, *kind;
	int64_t now;
};

static int
tell_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct tell_tx *t = arg;
	struct notice n = { t->kind, NULL };

	(void)st;
	return notify_school(t->a, c, t->org_id, NULL, &n, t->now);
}

static void
tell_school(const struct app *app, const char *org_id, const char *kind,
    int64_t now)
{
	struct tell_tx t = { &app->auth, org_id, kind, now };

	if (store_tx(app->store, 1, tell_tx, &t) != 0)
		log_warnx("remote: the %s notice could not be written", kind);
}

static void
reachable(const struct app *app, const char *org_id, int64_t now)
{
	long long was = atomic_exchange(&down_since, 0);

	if (was != 0) {
		log_info("remote: the authority answers again");
		tell_school(app, org_id, "authority.restored", now);
	}
}

/* The last copy of the list f keeps, as the answer, marked with when it
 * was fetched. Returns 0 when answered, -1 when there is none. */
static int
answer_copy(struct http_request *req, struct http_response *resp,
    const struct remote_route *f, const struct svc_actor *who)
{
	struct app *app = req->app;
	char *body = NULL;
	size_t len = 0;
	int64_t at = 0;
	json_t *o;

	if (f->copy == NULL || req->method != HTTP_GET ||
	    remote_copy_load(&app->auth, who, f->copy, &body, &len, &at) != 0)
		return -1;
	o = json_loadb(body, len, 0, NULL);
	field_free(body, len);
	if (!json_is_object(o)) {
		json_decref(o);
		return -1;
	}
	json_object_set_new(o, "copy_of", api_time_json(at));
	json_object_set_new(o, "authority_reachable", json_false());
	http_response_json(resp, 200, o);
	return 0;
}

static void
unreachable(struct http_request *req, struct http_response *resp,
    const struct remote_route *f, const struct svc_actor *who, int64_t now)
{
	struct app *app = req->app;
	long long none = 0;

	if (atomic_compare_exchange_strong(&down_since, &none, (long long)now))
		tell_school(app, who->org_id, "authority.unreachable", now);
	/* A list read before: its copy, read-only, says how old it is. */
	if (answer_copy(req, resp, f, who) == 0)
		return;
	http_problem(req, resp, 503, "authority_unreachable", NULL,
	    "L'autorité d'examen ne répond pas : la recherche de places, le "
	    "panier et la validation attendent son retour. Les listes déjà "
	    "consultées (candidats, examens) restent lisibles dans leur "
	    "dernière copie, comme votre compte et vos notifications. Rien "
	    "n'a été réservé en double : réessayez dans quelques minutes.");
	http_response_header(resp, "Retry-After", "30");
}

static void
link_required(const struct http_request *req, struct http_response *resp,
    int refused)
{
	http_problem(req, resp, 409, "authority_link_required", NULL, "%s",
	    refused ? "Votre autorisation auprès de l'autorité d'examen a été "
		      "retirée : reliez à nouveau votre compte (Mon compte › "
		      "Autorité d'examen)."
		    : "Reliez d'abord votre compte à l'autorité d'examen (Mon "
		      "compte › Autorité d'examen) : les réservations se font "
		      "chez elle, en votre nom.");
}

/* The partner path for req: the route's {id} and {slot} put in, the
 * query passed on for a GET. Returns 0, or -1 after answering. */
static int
remote_path(struct http_request *req, struct http_response *resp,
    const struct remote_route *f, char *out, size_t outlen)
{
	char query[1024];
	const char *p = f->remote, *brace;
	size_t len = 0;
	int64_t id;

	while ((brace = strchr(p, '{')) != NULL) {
		const char *end = strchr(brace, '}');
		char name[16];

		snprintf(name, sizeof(name), "%.*s", (int)(end - brace - 1),
		    brace + 1);
		if (api_path_id(req, resp, name,
			strcmp(name, "id") == 0 &&
				strncmp(f->local, "/api/v1/exams", 13) == 0
			    ? BK_EXAMEN_INCONNU
			    : (strcmp(name, "id") == 0 ? BK_PANIER_INCONNU
						       : BK_CRENEAU_INCONNU),
			&id) != 0)
			return -1;
		len += (size_t)snprintf(out + len, outlen - len, "%.*s%lld",
		    (int)(brace - p), p, (long long)id);
		if (len >= outlen)
			return -1;
		p = end + 1;
	}
	len += (size_t)snprintf(out + len, outlen - len, "%s", p);
	if (req->method == HTTP_GET &&
	    http_request_query_string(req, query, sizeof(query)) == 0 &&
	    query[0] != '\0')
		len += (size_t)snprintf(out + len, outlen - len, "?%s", query);
	if (len >= outlen) {
		http_problem(req, resp, 414, "uri_too_long", NULL,
		    "Adresse trop longue.");
		return -1;
	}
	return 0;
}

/* The replacement names its exam in the address on the web, in the body
 * on the partner surface. Returns a malloc'ed body, or NULL after
 * answering. */
static char *
replacement_body(struct http_request *req, struct http_response *resp)
{
	json_t *in, *out;
	char *s;
	int64_t exam;

	if (api_path_id(req, resp, "id", BK_EXAMEN_INCONNU, &exam) != 0 ||
	    (in = http_json_body(req, resp)) == NULL)
		return NULL;
	out = json_pack("{s:I, s:O?}", "exam_id", (json_int_t)exam,
	    "candidate_id", json_object_get(in, "candidate_id"));
	json_decref(in);
	s = out != NULL ? json_dumps(out, JSON_COMPACT) : NULL;
	json_decref(out);
	if (s == NULL)
		api_unavailable(req, resp);
	return s;
}

/* An Idempotency-Key for a validation: the page's own (a retry by the
 * person), or one for this request (the client's own retries). */
static const char *
idem_key_of(const struct http_request *req, char *buf, size_t n)
{
	const char *k = http_request_header(req, "Idempotency-Key");
	unsigned char r[16];

	if (k != NULL && strlen(k) < n) {
		snprintf(buf, n, "%s", k);
		return buf;
	}
	randombytes_buf(r, sizeof(r));
	sodium_bin2hex(buf, n, r, sizeof(r));
	return buf;
}

void
api_remote_forward(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	const struct remote_route *f = forward_of(req);
	struct remote_answer a;
	struct api_caller c;
	struct svc_actor who;
	char path[1600], at[REMOTE_TOKEN_MAX], idem[80];
	const char *key = NULL, *body = req->body;
	char *own = NULL;
	size_t len = req->body_len;
	int64_t now = clock_now_ms(app->clock);
	int rc, tries;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	if (app->remote == NULL || f == NULL) {
		api_unavailable(req, resp);
		return;
	}
	if (remote_path(req, resp, f, path, sizeof(path)) != 0)
		return;
	if (strcmp(f->local, "/api/v1/exams/{id}/replacement") == 0) {
		if ((own = replacement_body(req, resp)) == NULL)
			return;
		body = own;
		len = strlen(own);
	}
	if (strstr(f->remote, "/valider") != NULL)
		key = idem_key_of(req, idem, sizeof(idem));
	who.account_id = c.s.account_id;
	who.org_id = c.s.org_id;
	who.ip = req->client_ip;
	who.request_id = req->request_id;
	memset(&a, 0, sizeof(a));
	rc = remote_link_token(&app->auth, app->remote, &who, NULL, now, at);
	/* A token the authority no longer takes (it ended early, or was
	 * revoked there) is renewed once, then the link is said gone. */
	for (tries = 0; rc == REMOTE_LINK_OK && tries < 2; tries++) {
		remote_answer_free(&a);
		if (remote_call(app->remote, http_method_name(req->method),
			path, at, body, len, key, &a) != 0) {
			rc = REMOTE_LINK_UNREACHABLE;
			break;
		}
		if (a.status != 401)
			break;
		rc = remote_link_token(&app->auth, app->remote, &who, at, now,
		    at);
		if (rc == REMOTE_LINK_OK && tries == 1)
			rc = REMOTE_LINK_REFUSED;
	}
	sodium_memzero(at, sizeof(at));
	free(own);
	if (rc == REMOTE_LINK_OK && a.status >= 500)
		rc = REMOTE_LINK_UNREACHABLE;
	switch (rc) {
	case REMOTE_LINK_OK:
		break;
	case REMOTE_LINK_NONE:
	case REMOTE_LINK_REFUSED:
		link_required(req, resp, rc == REMOTE_LINK_REFUSED);
		remote_answer_free(&a);
		return;
	case REMOTE_LINK_UNREACHABLE:
		unreachable(req, resp, f, &who, now);
		remote_answer_free(&a);
		return;
	default:
		api_unavailable(req, resp);
		remote_answer_free(&a);
		return;
	}
	reachable(app, c.s.org_id, now);
	/* A list as the authority gave it: its copy for an outage. */
	if (f->copy != NULL && a.status == 200 && !a.csv && a.body != NULL &&
	    remote_copy_save(&app->auth, &who, f->copy, a.body, now) != 0)
		log_warnx("remote: the copy of %s could not be kept", f->copy);
	/* The authority's answer as it gave it: a JSON body, or none. */
	free(resp->body);
	resp->status = (int)a.status;
	resp->body = a.body;
	resp->body_len = a.len;
	resp->content_type = a.status >= 400 ? HTTP_CT_PROBLEM : HTTP_CT_JSON;
	a.body = NULL;
	/* The exams' spreadsheet export, as the local route gives it. */
	if (a.status == 200 && a.csv) {
		resp->content_type = "text/csv; charset=utf-8";
		http_response_download(resp,
		    "attachment; filename=\"examens.csv\"");
	}
	if (a.status == 429 && a.retry_after > 0) {
		char ra[24];

		snprintf(ra, sizeof(ra), "%ld", a.retry_after);
		http_response_header(resp, "Retry-After", ra);
	}
	if (a.replayed)
		http_response_header(resp, "Idempotent-Replayed", "true");
	remote_answer_free(&a);
}

/* --- The link itself. ------------------------------------------------ */

static int
begin(struct http_request *req, struct http_response *resp,
    struct api_caller *c, struct svc_actor *who)
{
	if (api_guard(req, resp, NULL, c) != 0)
		return -1;
	who->account_id = c->s.account_id;
	who->org_id = c->s.org_id;
	who->ip = req->client_ip;
	who->request_id = req->request_id;
	return 0;
}

static int
remote_only(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;

	if (app->remote != NULL)
		return 0;
	http_problem(req, resp, 409, "not_remote", NULL,
	    "Cette instance est elle-même l'autorité d'examen : il n'y a pas "
	    "de compte à relier.");
	return -1;
}

void
api_authority_link(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct remote_link_info info;
	struct api_caller c;
	struct svc_actor who;
	long long since;
	json_t *o;
	int rc;

	if (begin(req, resp, &c, &who) != 0)
		return;
	if (app->remote == NULL) {
		http_response_json(resp, 200,
		    json_pack("{s:s}", "mode", "local"));
		return;
	}
	if ((rc = remote_link_info(&app->auth, who.account_id, &info)) < 0) {
		api_unavailable(req, resp);
		return;
	}
	since = atomic_load(&down_since);
	o = json_pack("{s:s, s:s, s:b, s:b}", "mode", "remote", "authority",
	    app->remote->base, "linked", rc == 0, "reachable", since == 0);
	if (since != 0)
		json_object_set_new(o, "down_since", api_time_json(since));
	if (rc == 0) {
		json_object_set_new(o, "linked_at",
		    api_time_json(info.linked_at));
		json_object_set_new(o, "refreshed_at",
		    api_time_json(info.refreshed_at));
		json_object_set_new(o, "scope", json_string(info.scope));
	}
	http_response_json(resp, 200, o);
}

void
api_authority_link_start(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct api_caller c;
	struct svc_actor who;
	char url[2048];

	if (begin(req, resp, &c, &who) != 0 || remote_only(req, resp) != 0)
		return;
	if (remote_link_start(&app->auth, app->remote, &who,
		clock_now_ms(app->clock), url, sizeof(url)) != 0) {
		api_unavailable(req, resp);
		return;
	}
	http_response_json(resp, 200,
	    json_pack("{s:s}", "authorization_url", url));
}

/* The authority sends the employee's browser back here; the page then
 * says how it went (#/autorite?lien=...). */
void
api_authority_link_callback(struct http_request *req,
    struct http_response *resp)
{
	struct app *app = req->app;
	struct api_caller c;
	struct svc_actor who;
	char state[128], code[256], error[64];
	const char *result = "perime";
	char loc[64];
	int rc;

	if (begin(req, resp, &c, &who) != 0 || remote_only(req, resp) != 0)
		return;
	if (http_request_query(req, "error", error, sizeof(error)) == 0) {
		result = "refuse";
	} else if (http_request_query(req, "state", state, sizeof(state)) ==
		0 &&
	    http_request_query(req, "code", code, sizeof(code)) == 0) {
		rc = remote_link_finish(&app->auth, app->remote, &who, state,
		    code, clock_now_ms(app->clock));
		result = rc == REMOTE_LINK_OK       ? "ok"
		    : rc == REMOTE_LINK_REFUSED     ? "refuse"
		    : rc == REMOTE_LINK_UNREACHABLE ? "indisponible"
		    : rc == REMOTE_LINK_NONE        ? "perime"
						    : "erreur";
		sodium_memzero(code, sizeof(code));
	}
	snprintf(loc, sizeof(loc), "/#/autorite?lien=%s", result);
	http_response_header(resp, "Location", loc);
	http_response_header(resp, "Cache-Control", "no-store");
	resp->status = 303;
}

void
api_authority_link_delete(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct api_caller c;
	struct svc_actor who;
	int rc;

	if (begin(req, resp, &c, &who) != 0 || remote_only(req, resp) != 0)
		return;
	rc = remote_link_remove(&app->auth, app->remote, &who,
	    clock_now_ms(app->clock));
	if (rc < 0)
		api_unavailable(req, resp);
	else if (rc == 1)
		http_problem(req, resp, 404, "not_found", NULL,
		    "Votre compte n'est pas relié à l'autorité d'examen.");
	else
		resp->status = 204;
}
