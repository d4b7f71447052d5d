/*
 * tenancy_api.c - client organisations: their state, for the platform
 * admin (list, suspend, reactivate, terminate), and their settings, for
 * their own admin.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/guard.h"
#include "app.h"
#include "core/clock.h"
#include "http/jsonbody.h"
#include "http/response.h"
#include "service/tenancy.h"

/* An instant as "2026-01-31T18:00:00Z", or JSON null for 0. */
static json_t *
when(int64_t ms)
{
	char s[32];

	if (ms <= 0 || clock_format_utc(ms, s, sizeof(s)) != 0)
		return json_null();
	return json_string(s);
}

/* What the platform admin sees of an organisation (no contact). */
static json_t *
summary(const struct tenancy_view *v)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:o, s:s?, s:s?, s:o, s:o, "
			 "s:o}",
	    "id", v->org_id, "name", v->name, "kind", v->kind, "state",
	    tenant_state_name(v->state), "state_at", when(v->state_at),
	    "reason", v->reason, "display_name",
	    v->display_name[0] ? v->display_name : NULL, "created_at",
	    when(v->created_at), "terminated_at", when(v->terminated_at),
	    "delete_after", when(v->delete_after));
}

static int
add_summary(void *arg, const struct tenancy_view *v)
{
	json_t *o = summary(v);

	return o == NULL ? -1 : json_array_append_new(arg, o);
}

void
api_tenants(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct api_caller c;
	json_t *list;

	if (api_guard(req, resp, NULL, &c) != 0)
		return;
	list = json_array();
	if (tenancy_list(&app->auth, add_summary, list) != 0) {
		json_decref(list);
		http_problem(req, resp, 503, "unavailable", NULL,
		    "La liste des organismes est indisponible.");
		return;
	}
	http_response_json(resp, 200, json_pack("{s:o}", "tenants", list));
}

/* Reads the organisation of the path; 404 when there is none. Returns
 * 0 or -1 (problem written). */
static int
read_tenant(struct http_request *req, struct http_response *resp,
    struct tenancy_view *v)
{
	struct app *app = req->app;
	int rc = tenancy_get(&app->auth, http_request_param(req, "org"), v);

	if (rc == 0)
		return 0;
	if (rc == 1)
		http_problem(req, resp, 404, "not_found", NULL,
		    "Aucun organisme client ne porte cet identifiant.");
	else
		http_problem(req, resp, 503, "unavailable", NULL,
		    "L'organisme est illisible pour le moment.");
	return -1;
}

void
api_tenant(struct http_request *req, struct http_response *resp)
{
	struct rbac_target t = { http_request_param(req, "org"), 0, NULL };
	struct tenancy_view v;
	struct api_caller c;

	if (api_guard(req, resp, &t, &c) != 0 ||
	    read_tenant(req, resp, &v) != 0)
		return;
	http_response_json(resp, 200, summary(&v));
	tenancy_view_clear(&v);
}

/* One move of the platform admin. */
static void
move(struct http_request *req, struct http_response *resp,
    enum tenant_action act)
{
	static const struct json_field fields[] = {
		{ "reason", JK_STRING, 0, 0, TENANT_REASON_MAX },
	};
	struct app *app = req->app;
	struct rbac_target t = { http_request_param(req, "org"), 0, NULL };
	struct tenant_refusal why;
	struct tenancy_view v;
	struct svc_actor who;
	struct api_caller c;
	json_t *body;
	int rc;

	if (api_guard(req, resp, &t, &c) != 0)
		return;
	if ((body = http_json_body(req, resp)) == NULL)
		return;
	if (http_json_check(req, resp, body, fields, 1) != 0)
		goto done;
	/* Known first, so no key is made for an id that names nothing. */
	if (read_tenant(req, resp, &v) != 0)
		goto done;
	tenancy_view_clear(&v);
	memset(&who, 0, sizeof(who));
	who.account_id = c.s.account_id;
	who.org_id = c.s.org_id;
	who.ip = req->client_ip;
	who.request_id = req->request_id;
	rc = tenancy_transition(&app->auth, &who, t.org_id, act,
	    json_string_value(json_object_get(body, "reason")),
	    app->cfg->tenancy_grace_days, clock_now_ms(app->clock), &why);
	if (rc == 1)
		http_problem(req, resp, 404, "not_found", NULL,
		    "Aucun organisme client ne porte cet identifiant.");
	else if (rc == 2)
		http_problem(req, resp,
		    strcmp(why.field, "state") == 0 ? 409 : 422,
		    strcmp(why.field, "state") == 0 ? "invalid_tenant_state"
						    : "invalid_reason",
		    why.field, "%s", why.text);
	else if (rc != 0)
		http_problem(req, resp, 503, "unavailable", NULL,
		    "Le changement d'état n'a pas pu être enregistré.");
	else if (read_tenant(req, resp, &v) == 0) {
		http_response_json(resp, 200, summary(&v));
		tenancy_view_clear(&v);
	}
done:
	json_decref(body);
}

void
api_tenant_suspend(struct http_request *req, struct http_response *resp)
{
	move(req, resp, TENANT_SUSPEND);
}

void
api_tenant_reactivate(struct http_request *req, struct http_response *resp)
{
	move(req, resp, TENANT_REACTIVATE);
}

void
api_tenant_terminate(struct http_request *req, struct http_response *resp)
{
	move(req, resp, TENANT_TERMINATE);
}

/* The retention rules the organisation may set, with their ranges. */
static json_t *
retention_choices(const struct datamap *map, const char *chosen)
{
	json_t *out = json_array(), *mine = json_loads(chosen, 0, NULL);
	size_t i;

	for (i = 0; map != NULL && i < map->nretentions; i++) {
		const struct datamap_retention *r = &map->retentions[i];
		json_t *v = json_object_get(mine, r->id);

		if (!r->tenant_min.set || !r->tenant_max.set)
			continue;
		json_array_append_new(out,
		    json_pack("{s:s, s:s, s:s, s:i, s:i, s:i, s:o}", "rule",
			r->id, "label", r->label ? r->label : "", "unit",
			r->duration.unit == DATAMAP_MONTHS ? "months" : "days",
			"default", r->duration.value, "min",
			r->tenant_min.value, "max", r->tenant_max.value,
			"value",
			json_is_integer(v) ? json_incref(v) : json_null()));
	}
	json_decref(mine);
	return out;
}

static json_t *
policy_json(const struct tenant_policy *p)
{
	return json_pack("{s:I, s:I, s:I, s:I}", "password_min_length",
	    (json_int_t)p->password_min_length, "password_max_age_days",
	    (json_int_t)p->password_max_age_days, "session_idle_minutes",
	    (json_int_t)p->session_idle_minutes, "session_max_hours",
	    (json_int_t)p->session_max_hours);
}

static json_t *
settings_json(const struct app *app, const struct tenancy_view *v)
{
	json_t *o = summary(v);

	json_object_update_new(o,
	    json_pack("{s:s?, s:s?, s:s?, s:s?, s:o, s:o, s:o, s:o, s:o}",
		"contact", v->contact, "dpo_contact", v->dpo_contact,
		"mail_sender", v->mail_sender, "mail_signature",
		v->mail_signature, "retention",
		json_loads(v->retention, 0, NULL), "retention_choices",
		retention_choices(app->datamap, v->retention), "policy",
		policy_json(&v->policy), "policy_floors",
		json_pack("{s:[i,i], s:[i,i], s:[i,i], s:[i,i]}",
		    "password_min_length", TENANT_PW_MIN_LENGTH_FLOOR,
		    TENANT_PW_MIN_LENGTH_MAX, "password_max_age_days",
		    TENANT_PW_MAX_AGE_DAYS_MIN, TENANT_PW_MAX_AGE_DAYS_MAX,
		    "session_idle_minutes", TENANT_SESSION_IDLE_MIN_MIN,
		    TENANT_SESSION_IDLE_MIN_MAX, "session_max_hours",
		    TENANT_SESSION_HOURS_MIN, TENANT_SESSION_HOURS_MAX),
		"updated_at", when(v->updated_at)));
	return o;
}

void
api_tenant_settings(struct http_request *req, struct http_response *resp)
{
	struct rbac_target t = { http_request_param(req, "org"), 0, NULL };
	struct tenancy_view v;
	struct api_caller c;

	if (api_guard(req, resp, &t, &c) != 0 ||
	    read_tenant(req, resp, &v) != 0)
		return;
	http_response_json(resp, 200, settings_json(req->app, &v));
	tenancy_view_clear(&v);
}

static const char *
opt_text(json_t *body, const char *name)
{
	return json_string_value(json_object_get(body, name));
}

static int64_t
opt_int(json_t *o, const char *name)
{
	json_t *v = json_object_get(o, name);

	return json_is_integer(v) ? (int64_t)json_integer_value(v) : 0;
}

void
api_tenant_settings_save(struct http_request *req, struct http_response *resp)
{
	static const struct json_field fields[] = {
		{ "display_name", JK_STRING, 0, 0, TENANT_NAME_MAX },
		{ "contact", JK_STRING, 0, 0, TENANT_CONTACT_MAX },
		{ "dpo_contact", JK_STRING, 0, 0, TENANT_CONTACT_MAX },
		{ "mail_sender", JK_STRING, 0, 0, TENANT_SENDER_MAX },
		{ "mail_signature", JK_STRING, 0, 0, TENANT_SIGNATURE_MAX },
		{ "retention", JK_OBJECT, 0, 0, 32 },
		{ "policy", JK_OBJECT, 0, 0, 4 },
	};
	static const char *const policy_keys[] = { "password_min_length",
		"password_max_age_days", "session_idle_minutes",
		"session_max_hours" };
	struct app *app = req->app;
	struct rbac_target t = { http_request_param(req, "org"), 0, NULL };
	struct tenancy_settings in;
	struct tenant_refusal why;
	struct tenancy_view v;
	struct svc_actor who;
	struct api_caller c;
	const char *key;
	json_t *body, *pol, *val;
	char *retention = NULL;
	size_t i;
	int rc, known;

	if (api_guard(req, resp, &t, &c) != 0)
		return;
	if ((body = http_json_body(req, resp)) == NULL)
		return;
	if (http_json_check(req, resp, body, fields,
		sizeof(fields) / sizeof(*fields)) != 0)
		goto done;
	pol = json_object_get(body, "policy");
	json_object_foreach (pol, key, val) {
		for (i = 0, known = 0;
		     i < sizeof(policy_keys) / sizeof(*policy_keys); i++)
			known |= strcmp(key, policy_keys[i]) == 0;
		if (!known || !json_is_integer(val)) {
			http_problem(req, resp, 422, "invalid_field", "policy",
			    "Le champ « policy » ne contient que "
			    "password_min_length, password_max_age_days, "
			    "session_idle_minutes et session_max_hours, en "
			    "nombres entiers.");
			goto done;
		}
	}
	memset(&in, 0, sizeof(in));
	in.display_name = opt_text(body, "display_name");
	in.contact = opt_text(body, "contact");
	in.dpo_contact = opt_text(body, "dpo_contact");
	in.mail_sender = opt_text(body, "mail_sender");
	in.mail_signature = opt_text(body, "mail_signature");
	in.policy.password_min_length = opt_int(pol, "password_min_length");
	in.policy.password_max_age_days = opt_int(pol, "password_max_age_days");
	in.policy.session_idle_minutes = opt_int(pol, "session_idle_minutes");
	in.policy.session_max_hours = opt_int(pol, "session_max_hours");
	if (json_object_get(body, "retention") != NULL)
		retention = json_dumps(json_object_get(body, "retention"),
		    JSON_COMPACT);
	in.retention = retention;
	memset(&who, 0, sizeof(who));
	who.account_id = c.s.account_id;
	who.org_id = c.s.org_id;
	who.ip = req->client_ip;
	who.request_id = req->request_id;
	rc = tenancy_settings_save(&app->auth, app->datamap, &who, t.org_id,
	    &in, clock_now_ms(app->clock), &why);
	if (rc == 1)
		http_problem(req, resp, 404, "not_found", NULL,
		    "Aucun organisme client ne porte cet identifiant.");
	else if (rc == 2)
		http_problem(req, resp,
		    strcmp(why.field, "state") == 0 ? 409 : 422,
		    strcmp(why.field, "state") == 0 ? "invalid_tenant_state"
						    : "invalid_setting",
		    why.field, "%s", why.text);
	else if (rc != 0)
		http_problem(req, resp, 503, "unavailable", NULL,
		    "Les réglages n'ont pas pu être enregistrés.");
	else if (read_tenant(req, resp, &v) == 0) {
		http_response_json(resp, 200, settings_json(app, &v));
		tenancy_view_clear(&v);
	}
done:
	free(retention);
	json_decref(body);
}
