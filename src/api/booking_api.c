/* booking_api.c - helpers shared by the booking handlers. */
#include "api/booking_api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "auth/idcache.h"
#include "booking/caltime.h"
#include "core/clock.h"
#include "http/jsonw.h"
#include "http/response.h"
#include "service/service.h"

void
api_paris_format(int64_t ms, char *out, size_t outlen)
{
	int64_t local = ms + caltime_paris_offset_ms(ms);
	int64_t days = local / 86400000, rem = local % 86400000, year;
	int month, day;

	if (rem < 0) {
		rem += 86400000;
		days--;
	}
	caltime_civil_from_days(days, &year, &month, &day);
	snprintf(out, outlen, "%02d/%02d/%04lld à %02d:%02d", day, month,
	    (long long)year, (int)(rem / 3600000), (int)(rem / 60000 % 60));
}

void
api_booking_detail(enum bk_code c, int64_t at, char *out, size_t outlen)
{
	const char *msg = bk_code_message(c), *mark;
	char date[40];

	if (msg == NULL) {
		snprintf(out, outlen, "Erreur interne.");
		return;
	}
	if ((mark = strstr(msg, "{date}")) == NULL) {
		snprintf(out, outlen, "%s", msg);
		return;
	}
	api_paris_format(at, date, sizeof(date));
	snprintf(out, outlen, "%.*s%s%s", (int)(mark - msg), msg, date,
	    mark + strlen("{date}"));
}

void
api_booking_problem(const struct http_request *req, struct http_response *resp,
    enum bk_code c, const char *field, int64_t at)
{
	char detail[512];

	if (bk_code_name(c) == NULL || c == BK_OK) {
		http_problem(req, resp, 500, "internal", NULL,
		    "Erreur interne.");
		return;
	}
	api_booking_detail(c, at, detail, sizeof(detail));
	http_problem(req, resp, bk_code_status(c), bk_code_name(c), field, "%s",
	    detail);
}

int
api_caller_school(const struct http_request *req, struct http_response *resp,
    const struct api_caller *c, int64_t *school_id)
{
	struct app *app = req->app;
	struct svc s = { &app->auth, &app->rules };
	int rc;

	/* Known from the identity check when read before under the same
	 * epoch (auth/idcache.h): a school's id never changes. */
	if (c->school_id > 0) {
		*school_id = c->school_id;
		return 0;
	}
	rc =
	    svc_school_of(&s, c->s.org_id, clock_now_ms(app->clock), school_id);
	if (rc == 0 && c->id_epoch >= 0 && app->auth.ids != NULL)
		idcache_set_school(app->auth.ids, c->s.id_hash, c->id_epoch,
		    *school_id);
	if (rc == 0)
		return 0;
	if (rc == 1)
		http_problem(req, resp, 403, "not_a_school", NULL,
		    "Votre organisme n'est pas une auto-école.");
	else
		api_unavailable(req, resp);
	return -1;
}

int
api_id_parse(const char *s, int64_t *id)
{
	char *end;
	long long v;

	if (s != NULL && *s >= '1' && *s <= '9' && strlen(s) <= 18) {
		v = strtoll(s, &end, 10);
		if (*end == '\0' && v > 0) {
			*id = v;
			return 0;
		}
	}
	return -1;
}

int
api_path_id(const struct http_request *req, struct http_response *resp,
    const char *name, enum bk_code unknown, int64_t *id)
{
	if (api_id_parse(http_request_param(req, name), id) == 0)
		return 0;
	api_booking_problem(req, resp, unknown, name, 0);
	return -1;
}

json_t *
api_time_json(int64_t ms)
{
	char at[32];

	if (clock_format_utc(ms, at, sizeof(at)) != 0)
		return json_null();
	return json_string(at);
}

int
api_bctx_begin(struct http_request *req, struct http_response *resp,
    struct api_bctx *x, int school)
{
	struct app *app = req->app;

	memset(x, 0, sizeof(*x));
	if (api_guard(req, resp, NULL, &x->c) != 0 ||
	    (school && api_caller_school(req, resp, &x->c, &x->school_id) != 0))
		return -1;
	x->s.a = &app->auth;
	x->s.r = &app->rules;
	x->who.account_id = x->c.s.account_id;
	x->who.org_id = x->c.s.org_id;
	x->who.ip = req->client_ip;
	x->who.request_id = req->request_id;
	x->now = clock_now_ms(app->clock);
	return 0;
}

void
api_time_jsonw(struct jsonw *w, const char *key, int64_t ms)
{
	char at[32];

	jsonw_string(w, key,
	    clock_format_utc(ms, at, sizeof(at)) == 0 ? at : NULL);
}

void
api_unavailable(const struct http_request *req, struct http_response *resp)
{
	http_problem(req, resp, 503, "unavailable", NULL,
	    "La réservation est momentanément indisponible ; réessayez.");
}

int
api_bctx_refused(const struct http_request *req, struct http_response *resp,
    int rc, const char *field, int64_t at)
{
	if (rc == BK_OK)
		return 0;
	if (rc < 0)
		api_unavailable(req, resp);
	else
		api_booking_problem(req, resp, (enum bk_code)rc, field, at);
	return -1;
}
