/* tenant_deletion_api.c - the certificate of a client organisation's
 * deletion, for the platform admin to hand over. */
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/guard.h"
#include "app.h"
#include "http/response.h"
#include "service/tenant_deletion.h"

/* The stored text as it was signed, so what is downloaded is what the
 * verifier reads (tenant-certificate-verify). */
void
api_tenant_deletion_certificate(struct http_request *req,
    struct http_response *resp)
{
	struct app *app = req->app;
	struct rbac_target t = { http_request_param(req, "org"), 0, NULL };
	struct api_caller c;
	char *text = NULL;
	int rc;

	if (api_guard(req, resp, &t, &c) != 0)
		return;
	rc = tenant_deletion_certificate(&app->auth, t.org_id, &text);
	if (rc == 1) {
		http_problem(req, resp, 404, "not_found", NULL,
		    "Aucun organisme supprimé ne porte cet identifiant.");
		return;
	}
	if (rc != 0) {
		http_problem(req, resp, 503, "unavailable", NULL,
		    "Le certificat est illisible pour le moment.");
		return;
	}
	resp->status = 200;
	resp->content_type = "application/json";
	resp->body = text;
	resp->body_len = strlen(text);
	http_response_download(resp,
	    "attachment; filename=\"certificat-de-suppression.json\"");
}
