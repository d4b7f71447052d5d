/*
 * fuzz_json.c - libFuzzer harness for src/http/jsonbody.c.
 *
 * The input is a request body declared application/json. It goes through
 * http_json_body and, when that gives an object, through http_json_check
 * with a small field table of every kind. Invariants: a refusal is a
 * problem+json document whose status is the one of the response (400 for a
 * bad body, 422 for a field at fault, never a 500), an accepted body is an
 * object within LIMIT_JSON_DEPTH, and an accepted check means every field
 * has its kind and range. A broken invariant aborts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/limits.h"
#include "http/jsonbody.h"
#include "http/response.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c)                                                               \
	do {                                                                   \
		if (!(c))                                                      \
			fuzz_fail(#c, __LINE__);                               \
	} while (0)

static void
fuzz_fail(const char *what, int line)
{
	fprintf(stderr, "fuzz_json.c:%d: invariant broken: %s\n", line, what);
	abort();
}

/* A booking-like table: one field of each kind, required or not. */
static const struct json_field fields[] = {
	{ "centre_id", JK_INTEGER, 1, 1, 1000000 },
	{ "nom", JK_STRING, 1, 1, 64 },
	{ "prénom", JK_STRING, 0, 1, 64 },
	{ "accept", JK_BOOLEAN, 0, 0, 0 },
	{ "slots", JK_ARRAY, 0, 1, 8 },
	{ "options", JK_OBJECT, 0, 0, 0 },
};
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

/* The response holds a problem+json of status want (and field, if set). */
static void
check_problem(const struct http_response *resp, int want, int with_field)
{
	json_error_t e;
	json_t *doc, *v;

	CHECK(resp->status == want);
	CHECK(resp->content_type != NULL &&
	    strcmp(resp->content_type, HTTP_CT_PROBLEM) == 0);
	CHECK(resp->body != NULL && resp->body_len == strlen(resp->body));
	doc =
	    json_loadb(resp->body, resp->body_len, JSON_REJECT_DUPLICATES, &e);
	CHECK(json_is_object(doc));
	v = json_object_get(doc, "status");
	CHECK(json_is_integer(v) && json_integer_value(v) == want);
	CHECK(json_is_string(json_object_get(doc, "code")));
	CHECK(json_is_string(json_object_get(doc, "detail")));
	if (with_field)
		CHECK(json_is_string(json_object_get(doc, "field")));
	json_decref(doc);
}

/* http_json_check said 0: every field of the table holds. */
static void
check_accepted(json_t *obj)
{
	const char *key;
	json_t *v;
	size_t i;
	long long x;

	json_object_foreach (obj, key, v) {
		for (i = 0; i < NFIELDS; i++)
			if (strcmp(fields[i].name, key) == 0)
				break;
		CHECK(i < NFIELDS);
	}
	for (i = 0; i < NFIELDS; i++) {
		v = json_object_get(obj, fields[i].name);
		if (v == NULL || json_is_null(v)) {
			CHECK(!fields[i].required);
			continue;
		}
		switch (fields[i].kind) {
		case JK_STRING:
			CHECK(json_is_string(v));
			x = (long long)json_string_length(v);
			break;
		case JK_INTEGER:
			CHECK(json_is_integer(v));
			x = (long long)json_integer_value(v);
			break;
		case JK_ARRAY:
			CHECK(json_is_array(v));
			x = (long long)json_array_size(v);
			break;
		case JK_BOOLEAN:
			CHECK(json_is_boolean(v));
			continue;
		default:
			CHECK(json_is_object(v));
			continue;
		}
		CHECK(x >= fields[i].min && x <= fields[i].max);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_request req;
	struct http_response resp;
	char *body;
	json_t *obj;
	int rc;

	/* Bodies reach handlers NUL-terminated, NULL when empty. */
	body = malloc(size + 1);
	if (body == NULL)
		return 0;
	memcpy(body, data, size);
	body[size] = '\0';

	memset(&req, 0, sizeof(req));
	req.method = HTTP_POST;
	req.raw_path = "/api/v1/reservations";
	req.content_type = "application/json";
	req.body = size > 0 ? body : NULL;
	req.body_len = size;
	req.conn = NULL;
	if (size > 0 && data[0] == ' ')
		memcpy(req.request_id, "0123456789abcdef0123456789abcdef", 33);

	http_response_init(&resp);
	obj = http_json_body(&req, &resp);
	if (obj == NULL) {
		check_problem(&resp, 400, 0);
	} else {
		CHECK(resp.status == 0 && resp.body == NULL);
		CHECK(json_is_object(obj));
		CHECK(
		    http_json_depth(obj, LIMIT_JSON_DEPTH) <= LIMIT_JSON_DEPTH);
		rc = http_json_check(&req, &resp, obj, fields, NFIELDS);
		CHECK(rc == 0 || rc == -1);
		if (rc == 0) {
			CHECK(resp.status == 0 && resp.body == NULL);
			check_accepted(obj);
		} else {
			check_problem(&resp, 422, 1);
		}
		json_decref(obj);
	}
	http_response_clear(&resp);
	free(body);
	return 0;
}
