/*
 * dossier_api.h - what the two dossier handler files share.
 */
#ifndef CRENEAU_API_DOSSIER_H
#define CRENEAU_API_DOSSIER_H

#include <stdint.h>

#include <jansson.h>

#include "api/guard.h"
#include "http/http.h"
#include "service/dossier.h"

/* The service context and the actor of an allowed request. */
struct dossier_call {
	struct dsvc s;
	struct svc_actor who;
	struct api_caller c;
	int64_t now;
};

/* Runs the guard and fills x. Returns 0, or -1 after the problem. */
int api_dossier_begin(struct http_request *req, struct http_response *resp,
    struct dossier_call *x);

/* Answers a service refusal rc (field names the input at fault). */
void api_dossier_refused(const struct http_request *req,
    struct http_response *resp, int rc, const char *field);

/* Reads path parameter name as a positive id. Returns 0, or -1 after a
 * 404 problem. */
int api_dossier_id(const struct http_request *req, struct http_response *resp,
    const char *name, int64_t *id);

/* The JSON of an opened dossier (with its documents). */
json_t *api_dossier_json(const struct dossier_view *v);

/* The JSON of a validator key. */
json_t *api_validator_key_json(const struct store_validator_key *k);

#endif
