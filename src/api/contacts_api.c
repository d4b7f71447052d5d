/*
 * contacts_api.c - a tenant's customers and suppliers and their
 * documents, for the tenant's own admin: list (search by name), read,
 * create, change, delete, CSV import (all or nothing), CSV and JSON
 * export, documents (JPEG, PNG, PDF, typed by their content).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "api/api.h"
#include "api/booking_api.h"
#include "api/guard.h"
#include "app.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/csv.h"
#include "crypto/field.h"
#include "http/jsonbody.h"
#include "http/response.h"
#include "service/contacts.h"

static struct svc_actor
actor_of(const struct http_request *req, const struct api_caller *c)
{
	struct svc_actor who = { c->s.account_id, c->s.org_id, req->client_ip,
		req->request_id };

	return who;
}

/* The guard of every route here: the caller's organisation is the
 * path's. Returns the org id, or NULL after the answer. */
static const char *
begin(struct http_request *req, struct http_response *resp,
    struct api_caller *c)
{
	struct rbac_target t = { http_request_param(req, "org"), 0, NULL };

	if (t.org_id == NULL) {
		http_problem(req, resp, 404, "not_found", NULL,
		    "Aucun organisme ne porte cet identifiant.");
		return NULL;
	}
	return api_guard(req, resp, &t, c) == 0 ? t.org_id : NULL;
}

/* The limits in force: the rule's, or the server's body cap when it is
 * smaller (a larger body never reaches this file). */
static long
limit_of(const struct app *app, long rule)
{
	long cap = app->cfg != NULL ? app->cfg->max_body_bytes : rule;

	return cap > 0 && cap < rule ? cap : rule;
}

/* n bytes in French: "1 Mo", "500 Ko". */
static void
bytes_text(long n, char *out, size_t len)
{
	if (n >= 1000L * 1000 && n % (1000L * 1000) == 0)
		snprintf(out, len, "%ld Mo", n / (1000L * 1000));
	else if (n >= 1000)
		snprintf(out, len, "%ld Ko", n / 1000);
	else
		snprintf(out, len, "%ld octets", n);
}

static void
answer_error(struct http_request *req, struct http_response *resp, int rc,
    const struct contact_refusal *why)
{
	if (rc == 1)
		http_problem(req, resp, 404, "not_found", NULL,
		    "Aucun contact ne porte cet identifiant.");
	else if (rc == CONTACTS_REFUSED && why != NULL)
		http_problem(req, resp, 422, "invalid_field", why->field, "%s",
		    why->text);
	else if (rc == CONTACTS_READ_ONLY)
		http_problem(req, resp, 409, "tenant_read_only", NULL,
		    "L'organisme est suspendu ou résilié : ses contacts se "
		    "consultent mais ne changent plus.");
	else
		api_unavailable(req, resp);
}

static json_t *
contact_json(const struct contact_view *v)
{
	json_t *o = json_pack("{s:s, s:s, s:o, s:o}", "id", v->id, "kind",
	    v->kind, "created_at", api_time_json(v->created_at), "updated_at",
	    api_time_json(v->updated_at));
	size_t i;

	for (i = CF_COMPANY; o != NULL && i < CF_COUNT; i++)
		json_object_set_new(o,
		    contact_field_name((enum contact_field)i),
		    v->v[i] != NULL ? json_string(v->v[i]) : json_null());
	return o;
}

static int
add_contact(void *arg, const struct contact_view *v)
{
	json_t *o = contact_json(v);

	return o == NULL ? -1 : json_array_append_new(arg, o);
}

void
api_contacts(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct api_caller c;
	const char *org;
	char q[201] = "";
	json_t *list;

	if ((org = begin(req, resp, &c)) == NULL)
		return;
	if (http_request_query(req, "q", q, sizeof(q)) < 0) {
		http_problem(req, resp, 422, "invalid_field", "q",
		    "La recherche « q » tient en 200 octets.");
		return;
	}
	list = json_array();
	if (contacts_list(&app->auth, org, q, add_contact, list) != 0) {
		json_decref(list);
		api_unavailable(req, resp);
		return;
	}
	http_response_json(resp, 200,
	    json_pack("{s:o, s:{s:I, s:I, s:I}}", "contacts", list, "limits",
		"document_bytes",
		(json_int_t)limit_of(app, CONTACT_DOC_BYTES_MAX),
		"import_bytes",
		(json_int_t)limit_of(app, CONTACT_IMPORT_BYTES_MAX),
		"import_lines", (json_int_t)CONTACT_IMPORT_LINES_MAX));
}

static int
add_doc(void *arg, const struct contact_doc_view *d)
{
	return json_array_append_new(arg,
	    json_pack("{s:s, s:s, s:I, s:s?, s:o}", "id", d->id, "type",
		d->doc_type, "size", (json_int_t)d->size, "name", d->name,
		"uploaded_at", api_time_json(d->uploaded_at)));
}

/* Answers contact id with its documents. */
static void
answer_contact(struct http_request *req, struct http_response *resp,
    const char *org, const char *id, int status)
{
	struct app *app = req->app;
	struct contact_view v;
	json_t *docs = json_array(), *o;
	int rc;

	rc = contacts_get(&app->auth, org, id, &v, add_doc, docs);
	if (rc != 0) {
		json_decref(docs);
		answer_error(req, resp, rc, NULL);
		return;
	}
	o = contact_json(&v);
	contact_view_clear(&v);
	if (o != NULL)
		json_object_set_new(o, "documents", docs);
	else
		json_decref(docs);
	http_response_json(resp, status, o);
}

void
api_contact(struct http_request *req, struct http_response *resp)
{
	struct api_caller c;
	const char *org;

	if ((org = begin(req, resp, &c)) == NULL)
		return;
	answer_contact(req, resp, org, http_request_param(req, "id"), 200);
}

static const struct json_field contact_fields[] = {
	{ "kind", JK_STRING, 0, 0, 16 },
	{ "company", JK_STRING, 0, 0, CONTACT_COMPANY_MAX },
	{ "person", JK_STRING, 0, 0, CONTACT_PERSON_MAX },
	{ "email", JK_STRING, 0, 0, CONTACT_EMAIL_MAX },
	{ "phone", JK_STRING, 0, 0, CONTACT_PHONE_MAX },
	{ "address", JK_STRING, 0, 0, CONTACT_ADDRESS_MAX },
	{ "siret", JK_STRING, 0, 0, 20 },
	{ "notes", JK_STRING, 0, 0, CONTACT_NOTES_MAX },
};

/* Reads the body into f (borrowing from *body). Returns 0, or -1 after
 * the answer. */
static int
read_fields(struct http_request *req, struct http_response *resp, json_t **body,
    struct contact_fields *f)
{
	size_t i;

	if ((*body = http_json_body(req, resp)) == NULL)
		return -1;
	if (http_json_check(req, resp, *body, contact_fields,
		sizeof(contact_fields) / sizeof(*contact_fields)) != 0)
		return -1;
	memset(f, 0, sizeof(*f));
	for (i = 0; i < CF_COUNT; i++)
		f->v[i] = json_string_value(json_object_get(*body,
		    contact_field_name((enum contact_field)i)));
	return 0;
}

void
api_contact_create(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct contact_fields f;
	struct contact_refusal why;
	struct svc_actor who;
	struct api_caller c;
	char id[AUTH_ID_HEX];
	const char *org;
	json_t *body = NULL;
	int rc;

	if ((org = begin(req, resp, &c)) == NULL)
		return;
	if (read_fields(req, resp, &body, &f) == 0) {
		who = actor_of(req, &c);
		rc = contacts_create(&app->auth, &who, org, &f,
		    clock_now_ms(app->clock), id, &why);
		if (rc == 0)
			answer_contact(req, resp, org, id, 201);
		else
			answer_error(req, resp, rc, &why);
	}
	json_decref(body);
}

void
api_contact_update(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct contact_fields f;
	struct contact_refusal why;
	struct svc_actor who;
	struct api_caller c;
	const char *org, *id = http_request_param(req, "id");
	json_t *body = NULL;
	int rc;

	if ((org = begin(req, resp, &c)) == NULL)
		return;
	if (read_fields(req, resp, &body, &f) == 0) {
		who = actor_of(req, &c);
		rc = contacts_update(&app->auth, &who, org, id, &f,
		    clock_now_ms(app->clock), &why);
		if (rc == 0)
			answer_contact(req, resp, org, id, 200);
		else
			answer_error(req, resp, rc, &why);
	}
	json_decref(body);
}

void
api_contact_delete(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct svc_actor who;
	struct api_caller c;
	const char *org, *id = http_request_param(req, "id");
	int rc;

	if ((org = begin(req, resp, &c)) == NULL)
		return;
	who = actor_of(req, &c);
	rc = contacts_delete(&app->auth, &who, org, id,
	    clock_now_ms(app->clock));
	if (rc == 0)
		http_response_json(resp, 200, json_pack("{s:s}", "id", id));
	else
		answer_error(req, resp, rc, NULL);
}

static int
is_csv(const char *ct)
{
	size_t n = strlen("text/csv");

	return ct != NULL && strncasecmp(ct, "text/csv", n) == 0 &&
	    (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

void
api_contact_import(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct contacts_import_report *rep;
	struct svc_actor who;
	struct api_caller c;
	const char *org;
	char limit[32];
	json_t *errs;
	size_t i;
	int rc;

	if ((org = begin(req, resp, &c)) == NULL)
		return;
	if (!is_csv(req->content_type)) {
		http_problem(req, resp, 415, "unsupported_media_type", NULL,
		    "Le fichier doit être envoyé en text/csv (UTF-8).");
		return;
	}
	bytes_text(limit_of(app, CONTACT_IMPORT_BYTES_MAX), limit,
	    sizeof(limit));
	if (req->body_len > CONTACT_IMPORT_BYTES_MAX) {
		http_problem(req, resp, 413, "file_too_large", "file",
		    "Le fichier dépasse %s : découpez-le.", limit);
		return;
	}
	if ((rep = calloc(1, sizeof(*rep))) == NULL) {
		api_unavailable(req, resp);
		return;
	}
	who = actor_of(req, &c);
	rc = contacts_import(&app->auth, &who, org,
	    req->body != NULL ? req->body : "", req->body_len,
	    clock_now_ms(app->clock), rep);
	if (rc == 0) {
		http_response_json(resp, 200,
		    json_pack("{s:I, s:I}", "lines", (json_int_t)rep->lines,
			"imported", (json_int_t)rep->imported));
	} else if (rc == CONTACTS_REFUSED) {
		http_problem(req, resp, 422, "invalid_file", NULL,
		    "Rien n'a été importé : %ld erreur(s). Corrigez-les puis "
		    "envoyez de nouveau le fichier entier.",
		    rep->errors_total);
		if ((errs = json_array()) != NULL) {
			for (i = 0; i < rep->nerrors; i++)
				json_array_append_new(errs,
				    json_pack("{s:I, s:s, s:s}", "line",
					(json_int_t)rep->errors[i].line,
					"field", rep->errors[i].field, "detail",
					rep->errors[i].text));
			http_problem_add(resp, "errors", errs);
		}
		http_problem_add(resp, "errors_total",
		    json_integer(rep->errors_total));
	} else if (rc == CONTACTS_TOO_LARGE) {
		http_problem(req, resp, 413, "file_too_large", "file",
		    "Le fichier dépasse %d lignes ou %s : découpez-le.",
		    CONTACT_IMPORT_LINES_MAX, limit);
	} else {
		answer_error(req, resp, rc, NULL);
	}
	sodium_memzero(rep, sizeof(*rep));
	free(rep);
}

/* The CSV export: what French Excel opens as is (';', a BOM, French
 * headers, CRLF). */
struct csv_out {
	struct buf b;
	int bad;
};

static int
csv_row(void *arg, const struct contact_view *v)
{
	struct csv_out *o = arg;
	size_t i;

	for (i = 0; i < CF_COUNT; i++) {
		if (i > 0)
			o->bad |= buf_append(&o->b, ";", 1);
		o->bad |= csv_cell(&o->b, v->v[i]);
	}
	o->bad |= buf_append(&o->b, "\r\n", 2);
	return o->bad ? -1 : 0;
}

void
api_contact_export(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct api_caller c;
	struct csv_out o;
	const char *org;
	char format[8] = "csv";
	json_t *list;
	size_t i;
	int rc;

	if ((org = begin(req, resp, &c)) == NULL)
		return;
	if (http_request_query(req, "format", format, sizeof(format)) < 0 ||
	    (strcmp(format, "csv") != 0 && strcmp(format, "json") != 0)) {
		http_problem(req, resp, 422, "invalid_field", "format",
		    "Le champ « format » vaut csv ou json.");
		return;
	}
	if (strcmp(format, "json") == 0) {
		list = json_array();
		if (contacts_list(&app->auth, org, NULL, add_contact, list) !=
		    0) {
			json_decref(list);
			api_unavailable(req, resp);
			return;
		}
		http_response_json(resp, 200,
		    json_pack("{s:o}", "contacts", list));
		http_response_download(resp,
		    "attachment; filename=\"contacts.json\"");
		return;
	}
	memset(&o, 0, sizeof(o));
	buf_init(&o.b, 64L * 1024 * 1024);
	o.bad |= buf_append(&o.b, "\xef\xbb\xbf", 3);
	for (i = 0; i < CF_COUNT; i++)
		o.bad |= buf_printf(&o.b, "%s%s", i ? ";" : "",
		    contact_field_header((enum contact_field)i));
	o.bad |= buf_append(&o.b, "\r\n", 2);
	rc = o.bad ? -1 : contacts_list(&app->auth, org, NULL, csv_row, &o);
	if (rc != 0 || o.bad) {
		buf_free(&o.b);
		api_unavailable(req, resp);
		return;
	}
	resp->status = 200;
	resp->content_type = "text/csv; charset=utf-8";
	resp->body = buf_steal(&o.b, &resp->body_len);
	if (resp->body == NULL) {
		buf_free(&o.b);
		api_unavailable(req, resp);
		return;
	}
	http_response_download(resp, "attachment; filename=\"contacts.csv\"");
}

void
api_contact_doc_add(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct svc_actor who;
	struct api_caller c;
	const char *org, *type = NULL, *cid = http_request_param(req, "id");
	char id[AUTH_ID_HEX], name[CONTACT_DOC_NAME_MAX + 1] = "", limit[32];
	int rc;

	if ((org = begin(req, resp, &c)) == NULL)
		return;
	if (http_request_query(req, "name", name, sizeof(name)) < 0) {
		http_problem(req, resp, 422, "invalid_field", "name",
		    "Le nom du fichier tient en %d octets.",
		    CONTACT_DOC_NAME_MAX);
		return;
	}
	who = actor_of(req, &c);
	rc = contacts_doc_add(&app->auth, &who, org, cid, name, req->body,
	    req->body_len, clock_now_ms(app->clock), id, &type);
	if (rc == 0)
		http_response_json(resp, 201,
		    json_pack("{s:s, s:s, s:I}", "id", id, "type", type, "size",
			(json_int_t)req->body_len));
	else if (rc == CONTACTS_REFUSED)
		http_problem(req, resp, 422, "invalid_document", "file",
		    "Le fichier n'est ni une photo (JPEG, PNG) ni un PDF : "
		    "son contenu en décide, pas son nom.");
	else if (rc == CONTACTS_TOO_LARGE) {
		bytes_text(limit_of(app, CONTACT_DOC_BYTES_MAX), limit,
		    sizeof(limit));
		http_problem(req, resp, 413, "file_too_large", "file",
		    "Le fichier dépasse %s, la taille maximale d'un document.",
		    limit);
	} else
		answer_error(req, resp, rc, NULL);
}

void
api_contact_doc(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct api_caller c;
	const char *org, *id = http_request_param(req, "doc");
	unsigned char *data = NULL;
	char type[32], disposition[128], *name = NULL;
	size_t n = 0;
	int rc;

	if ((org = begin(req, resp, &c)) == NULL)
		return;
	rc = contacts_doc_get(&app->auth, org, http_request_param(req, "id"),
	    id, &data, &n, type, &name);
	if (rc != 0) {
		if (rc == 1)
			http_problem(req, resp, 404, "not_found", NULL,
			    "Aucun document ne porte cet identifiant.");
		else
			api_unavailable(req, resp);
		return;
	}
	if (name != NULL)
		field_free(name, strlen(name));
	resp->status = 200;
	resp->content_type = strcmp(type, "application/pdf") == 0
	    ? "application/pdf"
	    : strcmp(type, "image/png") == 0 ? "image/png"
					     : "image/jpeg";
	resp->body = (char *)data;
	resp->body_len = n;
	snprintf(disposition, sizeof(disposition),
	    "attachment; filename=\"document-%.32s.%s\"", id,
	    contact_doc_extension(type));
	http_response_download(resp, disposition);
}

void
api_contact_doc_delete(struct http_request *req, struct http_response *resp)
{
	struct app *app = req->app;
	struct svc_actor who;
	struct api_caller c;
	const char *org, *id = http_request_param(req, "doc");
	int rc;

	if ((org = begin(req, resp, &c)) == NULL)
		return;
	who = actor_of(req, &c);
	rc = contacts_doc_delete(&app->auth, &who, org,
	    http_request_param(req, "id"), id, clock_now_ms(app->clock));
	if (rc == 0)
		http_response_json(resp, 200, json_pack("{s:s}", "id", id));
	else if (rc == 1)
		http_problem(req, resp, 404, "not_found", NULL,
		    "Aucun document ne porte cet identifiant.");
	else
		answer_error(req, resp, rc, NULL);
}
