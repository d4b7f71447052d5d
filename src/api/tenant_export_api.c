/*
 * tenant_export_api.c - the export of everything a client organisation
 * holds (docs/tenant-export.md): its admin asks for it with a passphrase,
 * follows its progress and downloads the archive; for a terminated
 * organisation, whose people no longer sign in, the platform admin does
 * the same on the organisation's behalf.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "api/api.h"
#include "api/guard.h"
#include "app.h"
#include "core/clock.h"
#include "http/jsonbody.h"
#include "http/response.h"
#include "service/tenancy.h"
#include "service/tenant_export.h"
#include "tenancy/export_archive.h"

static json_t *
when(int64_t ms)
{
	char s[32];

	if (ms <= 0 || clock_format_utc(ms, s, sizeof(s)) != 0)
		return json_null();
	return json_string(s);
}

static json_t *
status_json(const struct store_tenant_export *e, const char *base)
{
	char url[256];
	json_t *o;

	o = json_pack("{s:s, s:s, s:s, s:o, s:o, s:{s:I, s:I}, s:o, s:o, "
		      "s:o, s:I, s:s?}",
	    "id", e->id, "state", e->state, "origin", e->origin, "requested_at",
	    when(e->requested_at), "started_at", when(e->started_at),
	    "progress", "done", (json_int_t)e->entities_done, "total",
	    (json_int_t)e->entities_total, "ready_at", when(e->ready_at),
	    "expires_at", when(e->expires_at), "bytes",
	    e->file_bytes > 0 ? json_integer(e->file_bytes) : json_null(),
	    "downloads", (json_int_t)e->downloads, "error",
	    e->error[0] ? "La préparation de l'archive a échoué." : NULL);
	if (o == NULL)
		return NULL;
	json_object_set_new(o, "key",
	    json_string(e->has_box ? "public_key"
		    : e->has_kdf   ? "passphrase"
				   : "none"));
	if (strcmp(e->state, "ready") == 0) {
		snprintf(url, sizeof(url), "%s/%s/archive", base, e->id);
		json_object_set_new(o, "download", json_string(url));
		json_object_set_new(o, "manifest_sha256",
		    json_string(e->manifest_sha256));
	}
	return o;
}

/* "/api/v1/orgs/<org>/export" or "/api/v1/tenants/<org>/export". */
static void
base_of(const char *org, int platform, char *out, size_t n)
{
	snprintf(out, n, "/api/v1/%s/%s/export", platform ? "tenants" : "orgs",
	    org);
}

static void
who_of(struct http_request *req, const struct api_caller *c,
    struct svc_actor *who)
{
	memset(who, 0, sizeof(*who));
	who->account_id = c->s.account_id;
	who->org_id = c->s.org_id;
	who->ip = req->client_ip;
	who->request_id = req->request_id;
}

/* The platform's routes serve a terminated organisation only: an active
 * or suspended one has its own admin. Returns 0, or -1 (problem
 * written). */
static int
platform_may(struct http_request *req, struct http_response *resp,
    const char *org)
{
	struct app *app = req->app;
	struct tenancy_view v;
	int rc = tenancy_get(&app->auth, org, &v);

	if (rc == 1) {
		http_problem(req, resp, 404, "not_found", NULL,
		    "Aucun organisme client ne porte cet identifiant.");
		return -1;
	}
	if (rc != 0) {
		http_problem(req, resp, 503, "unavailable", NULL,
		    "L'organisme est illisible pour le moment.");
		return -1;
	}
	rc = v.state == TENANT_TERMINATED ? 0 : -1;
	tenancy_view_clear(&v);
	if (rc != 0)
		http_problem(req, resp, 409, "invalid_tenant_state", "state",
		    "Seul l'administrateur de l'organisme exporte ses données "
		    "tant que son contrat n'est pas résilié.");
	return rc;
}

static void
request(struct http_request *req, struct http_response *resp, int platform)
{
	static const struct json_field fields[] = {
		{ "passphrase", JK_STRING, 0, 0, EXPORT_PASSPHRASE_MAX },
		{ "public_key", JK_STRING, 0, 0, 64 },
	};
	unsigned char pk[EXPORT_PUBLIC_KEY_BYTES];
	const char *pass, *pk_text;
	size_t pk_len = 0;
	struct app *app = req->app;
	struct rbac_target t = { http_request_param(req, "org"), 0, NULL };
	struct store_tenant_export e = { .id = { 0 } };
	struct tenant_refusal why;
	struct svc_actor who;
	struct api_caller c;
	char id[STORE_ID_MAX], base[160];
	json_t *body;
	int rc;

	if (api_guard(req, resp, &t, &c) != 0)
		return;
	if (platform && platform_may(req, resp, t.org_id) != 0)
		return;
	if ((body = http_json_body(req, resp)) == NULL)
		return;
	if (http_json_check(req, resp, body, fields, 2) != 0)
		goto done;
	pass = json_string_value(json_object_get(body, "passphrase"));
	pk_text = json_string_value(json_object_get(body, "public_key"));
	if (pk_text != NULL &&
	    (sodium_base642bin(pk, sizeof(pk), pk_text, strlen(pk_text), NULL,
		 &pk_len, NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
		pk_len != sizeof(pk))) {
		http_problem(req, resp, 422, "invalid_public_key", "public_key",
		    "Le champ « public_key » est une clé publique X25519 de 32 "
		    "octets, en base64 (commande « creneau "
		    "tenant-export-keygen »).");
		goto done;
	}
	who_of(req, &c, &who);
	rc = tenant_export_request(&app->auth, &who, t.org_id, pass,
	    pk_text != NULL ? pk : NULL, clock_now_ms(app->clock), id, &why);
	if (rc == 1)
		http_problem(req, resp, 404, "not_found", NULL,
		    "Aucun organisme client ne porte cet identifiant.");
	else if (rc == 2)
		http_problem(req, resp,
		    strcmp(why.field, "state") == 0 ? 409 : 422,
		    strcmp(why.field, "state") == 0 ? "export_pending"
			: strcmp(why.field, "public_key") == 0
			? "invalid_public_key"
			: "invalid_passphrase",
		    why.field, "%s", why.text);
	else if (rc != 0 || tenant_export_status(&app->auth, t.org_id, &e) != 0)
		http_problem(req, resp, 503, "unavailable", NULL,
		    "La demande d'export n'a pas pu être enregistrée.");
	else {
		base_of(t.org_id, platform, base, sizeof(base));
		http_response_json(resp, 202, status_json(&e, base));
		store_tenant_export_clear(&e);
	}
done:
	/* The passphrase leaves no copy behind. */
	{
		json_t *p = json_object_get(body, "passphrase");
		const char *s = json_string_value(p);

		if (s != NULL)
			sodium_memzero((char *)(uintptr_t)s, strlen(s));
	}
	json_decref(body);
}

static void
status(struct http_request *req, struct http_response *resp, int platform)
{
	struct app *app = req->app;
	struct rbac_target t = { http_request_param(req, "org"), 0, NULL };
	struct store_tenant_export e = { .id = { 0 } };
	struct api_caller c;
	char base[160];
	int rc;

	if (api_guard(req, resp, &t, &c) != 0)
		return;
	rc = tenant_export_status(&app->auth, t.org_id, &e);
	if (rc == 1) {
		http_problem(req, resp, 404, "not_found", NULL,
		    "Aucun export n'a été demandé pour cet organisme.");
		return;
	}
	if (rc != 0) {
		http_problem(req, resp, 503, "unavailable", NULL,
		    "L'état de l'export est illisible pour le moment.");
		return;
	}
	base_of(t.org_id, platform, base, sizeof(base));
	http_response_json(resp, 200, status_json(&e, base));
	store_tenant_export_clear(&e);
}

static void
download(struct http_request *req, struct http_response *resp, int platform)
{
	struct app *app = req->app;
	struct rbac_target t = { http_request_param(req, "org"), 0, NULL };
	const char *id = http_request_param(req, "id");
	char path[1200], name[STORE_EXPORT_FILE_MAX], disp[200];
	struct svc_actor who;
	struct api_caller c;
	struct stat sb;
	int rc, fd;

	if (api_guard(req, resp, &t, &c) != 0)
		return;
	if (platform && platform_may(req, resp, t.org_id) != 0)
		return;
	who_of(req, &c, &who);
	rc = tenant_export_download(&app->auth, &who, t.org_id, id,
	    app->cfg->tenancy_export_dir, clock_now_ms(app->clock), path,
	    sizeof(path), name);
	if (rc == 1) {
		http_problem(req, resp, 404, "not_found", NULL,
		    "Aucune archive prête ne porte cet identifiant.");
		return;
	}
	fd = rc == 0 ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	if (fd < 0 || fstat(fd, &sb) != 0) {
		if (fd >= 0)
			close(fd);
		http_problem(req, resp, 503, "unavailable", NULL,
		    "L'archive est illisible pour le moment.");
		return;
	}
	snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"", name);
	resp->status = 200;
	resp->content_type = "application/octet-stream";
	resp->has_fd = 1;
	resp->fd = fd;
	resp->fd_len = (uint64_t)sb.st_size;
	http_response_download(resp, disp);
}

void
api_tenant_export_request(struct http_request *req, struct http_response *resp)
{
	request(req, resp, 0);
}

void
api_tenant_export_status(struct http_request *req, struct http_response *resp)
{
	status(req, resp, 0);
}

void
api_tenant_export_download(struct http_request *req, struct http_response *resp)
{
	download(req, resp, 0);
}

void
api_platform_export_request(struct http_request *req,
    struct http_response *resp)
{
	request(req, resp, 1);
}

void
api_platform_export_status(struct http_request *req, struct http_response *resp)
{
	status(req, resp, 1);
}

void
api_platform_export_download(struct http_request *req,
    struct http_response *resp)
{
	download(req, resp, 1);
}
