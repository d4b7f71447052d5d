/* booking_api.c - helpers shared by the booking handlers. */
#include "api/booking_api.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "booking/caltime.h"
#include "core/clock.h"
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
api_booking_problem(const struct http_request *req, struct http_response *resp,
    enum bk_code c, const char *field, int64_t at)
{
	const char *msg = bk_code_message(c), *mark;
	char date[40];

	if (msg == NULL) {
		http_problem(req, resp, 500, "internal", NULL,
		    "Erreur interne.");
		return;
	}
	if ((mark = strstr(msg, "{date}")) != NULL) {
		api_paris_format(at, date, sizeof(date));
		http_problem(req, resp, bk_code_status(c), bk_code_name(c),
		    field, "%.*s%s%s", (int)(mark - msg), msg, date,
		    mark + strlen("{date}"));
		return;
	}
	http_problem(req, resp, bk_code_status(c), bk_code_name(c), field, "%s",
	    msg);
}

int
api_caller_school(const struct http_request *req, struct http_response *resp,
    const struct api_caller *c, int64_t *school_id)
{
	struct app *app = req->app;
	struct svc s = { &app->auth, &app->rules };
	int rc;

	rc =
	    svc_school_of(&s, c->s.org_id, clock_now_ms(app->clock), school_id);
	if (rc == 0)
		return 0;
	if (rc == 1)
		http_problem(req, resp, 403, "not_a_school", NULL,
		    "Votre organisme n'est pas une auto-école.");
	else
		http_problem(req, resp, 503, "unavailable", NULL,
		    "Le service de réservation est indisponible.");
	return -1;
}

int
api_path_id(const struct http_request *req, struct http_response *resp,
    const char *name, enum bk_code unknown, int64_t *id)
{
	const char *s = http_request_param(req, name);
	char *end;
	long long v;

	if (s != NULL && *s >= '1' && *s <= '9' && strlen(s) <= 18) {
		v = strtoll(s, &end, 10);
		if (*end == '\0' && v > 0) {
			*id = v;
			return 0;
		}
	}
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
