/*
 * jsonbody.h - JSON request bodies, parsed once at the boundary.
 *
 * Bodies must be declared application/json, parse with duplicate keys
 * rejected, stay under LIMIT_JSON_DEPTH, and match a field table with
 * strict types: no member the table does not name, no "1" for 1, no 1.0
 * for an integer. Every refusal is a problem+json naming the field.
 */
#ifndef CRENEAU_JSONBODY_H
#define CRENEAU_JSONBODY_H

#include "http/http.h"

enum json_kind {
	JK_STRING,
	JK_INTEGER,
	JK_BOOLEAN,
	JK_OBJECT,
	JK_ARRAY,
};

struct json_field {
	const char *name;
	enum json_kind kind;
	int required;
	long long min; /* strings: bytes; integers: value; arrays: items */
	long long max;
};

/*
 * Parses the request body into a JSON object. Returns a new reference, or
 * NULL after writing a 415, 400 or 422 problem into resp.
 */
json_t *http_json_body(const struct http_request *req,
    struct http_response *resp);

/*
 * Checks obj against fields (n entries). Returns 0, or -1 after writing a
 * 422 problem naming the first field at fault into resp.
 */
int http_json_check(const struct http_request *req, struct http_response *resp,
    json_t *obj, const struct json_field *fields, size_t n);

/* Returns the nesting depth of v (a scalar is 0). Stops counting past
 * limit + 1, so hostile input cannot make it walk far. */
size_t http_json_depth(json_t *v, size_t limit);

#endif
