/*
 * register_api.c - the Art. 30 registers, rendered from the data map
 * validated at start-up, as JSON (default), CSV or HTML (?format=):
 * GET /api/v1/register (the instance's), GET /api/v1/orgs/{org}/register
 * (a client organisation's own, as controller) and GET
 * /api/v1/processor-register (the operator's, as processor of every
 * client, Art. 30(2)).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/guard.h"
#include "app.h"
#include "gdpr/register.h"
#include "http/response.h"
#include "service/tenancy.h"

static const char *const types[] = { HTTP_CT_JSON, "text/csv; charset=utf-8",
	"text/html; charset=utf-8" };

/* Reads ?format=; 0, or -1 with the problem written. */
static int
format_of(struct http_request *req, struct http_response *resp,
    enum register_format *fmt)
{
	char name[16];
	int rc;

	*fmt = REGISTER_JSON;
	rc = http_request_query(req, "format", name, sizeof(name));
	if (rc < 0 || (rc == 0 && register_format_parse(name, fmt) != 0)) {
		http_problem(req, resp, 400, "invalid_query", "format",
		    "Le paramètre « format » vaut json, csv ou html.");
		return -1;
	}
	return 0;
}

/* Answers with out (taken), as a download named base.csv / base.html. */
static void
answer(struct http_response *resp, enum register_format fmt, struct buf *out,
    const char *csv_disposition, const char *html_disposition)
{
	resp->status = 200;
	resp->content_type = types[fmt];
	resp->body = buf_steal(out, &resp->body_len);
	if (fmt != REGISTER_JSON)
		http_response_download(resp,
		    fmt == REGISTER_CSV ? csv_disposition : html_disposition);
}

void
api_register(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct api_caller c;
	enum register_format fmt;
	struct buf out;
	char err[256];

	if (api_guard(req, resp, NULL, &c) != 0 ||
	    format_of(req, resp, &fmt) != 0)
		return;
	buf_init(&out, REGISTER_MAX_BYTES);
	if (register_render(app->datamap, fmt, &out, err, sizeof(err)) != 0) {
		buf_free(&out);
		http_problem(req, resp, 500, "internal_error", NULL,
		    "Le registre n'a pas pu être produit.");
		return;
	}
	answer(resp, fmt, &out,
	    "attachment; filename=\"registre-traitements.csv\"",
	    "inline; filename=\"registre-traitements.html\"");
}

void
api_org_register(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct rbac_target t = { http_request_param(req, "org"), 0, NULL };
	struct register_tenant rt;
	struct tenancy_view v;
	struct api_caller c;
	enum register_format fmt;
	struct buf out;
	char err[256];
	int rc;

	if (api_guard(req, resp, &t, &c) != 0 ||
	    format_of(req, resp, &fmt) != 0)
		return;
	rc = tenancy_get(&app->auth, t.org_id, &v);
	if (rc != 0) {
		if (rc == 1)
			http_problem(req, resp, 404, "not_found", NULL,
			    "Aucun organisme client ne porte cet "
			    "identifiant.");
		else
			http_problem(req, resp, 503, "unavailable", NULL,
			    "L'organisme est illisible pour le moment.");
		return;
	}
	rt.name = v.display_name[0] ? v.display_name : v.name;
	rt.kind = v.kind;
	rt.contact = v.contact;
	rt.dpo = v.dpo_contact;
	rt.retention = v.retention;
	buf_init(&out, REGISTER_MAX_BYTES);
	rc = register_render_tenant(app->datamap, &rt, fmt, &out, err,
	    sizeof(err));
	tenancy_view_clear(&v);
	if (rc != 0) {
		buf_free(&out);
		http_problem(req, resp, 500, "internal_error", NULL,
		    "Le registre n'a pas pu être produit.");
		return;
	}
	answer(resp, fmt, &out,
	    "attachment; filename=\"registre-organisme.csv\"",
	    "inline; filename=\"registre-organisme.html\"");
}

/* The client organisations, copied out of tenancy_list's borrowed views. */
struct clients {
	struct register_client *c;
	size_t n, cap;
	int oom;
};

static char *
dup_or_empty(const char *s)
{
	return strdup(s != NULL ? s : "");
}

static int
add_client(void *arg, const struct tenancy_view *v)
{
	struct clients *cs = arg;
	struct register_client *c;

	if (cs->n == cs->cap) {
		size_t cap = cs->cap ? cs->cap * 2 : 32;
		struct register_client *p =
		    realloc(cs->c, cap * sizeof(*cs->c));

		if (p == NULL) {
			cs->oom = 1;
			return -1;
		}
		cs->c = p;
		cs->cap = cap;
	}
	c = &cs->c[cs->n++];
	c->org_id = dup_or_empty(v->org_id);
	c->name = dup_or_empty(v->display_name[0] ? v->display_name : v->name);
	c->kind = dup_or_empty(v->kind);
	c->state = dup_or_empty(tenant_state_name(v->state));
	c->contact = dup_or_empty(v->contact);
	c->dpo = dup_or_empty(v->dpo_contact);
	return 0;
}

static void
clients_free(struct clients *cs)
{
	size_t i;

	for (i = 0; i < cs->n; i++) {
		free((void *)(uintptr_t)cs->c[i].org_id);
		free((void *)(uintptr_t)cs->c[i].name);
		free((void *)(uintptr_t)cs->c[i].kind);
		free((void *)(uintptr_t)cs->c[i].state);
		free((void *)(uintptr_t)cs->c[i].contact);
		free((void *)(uintptr_t)cs->c[i].dpo);
	}
	free(cs->c);
}

void
api_processor_register(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct clients cs = { NULL, 0, 0, 0 };
	struct api_caller c;
	enum register_format fmt;
	struct buf out;
	char err[256];
	int rc;

	if (api_guard(req, resp, NULL, &c) != 0 ||
	    format_of(req, resp, &fmt) != 0)
		return;
	if (tenancy_list(&app->auth, add_client, &cs) != 0 || cs.oom) {
		clients_free(&cs);
		http_problem(req, resp, 503, "unavailable", NULL,
		    "La liste des organismes est indisponible.");
		return;
	}
	buf_init(&out, REGISTER_MAX_BYTES);
	rc = register_render_processor(app->datamap, cs.c, cs.n, fmt, &out, err,
	    sizeof(err));
	clients_free(&cs);
	if (rc != 0) {
		buf_free(&out);
		http_problem(req, resp, 500, "internal_error", NULL,
		    "Le registre n'a pas pu être produit.");
		return;
	}
	answer(resp, fmt, &out,
	    "attachment; filename=\"registre-sous-traitant.csv\"",
	    "inline; filename=\"registre-sous-traitant.html\"");
}
