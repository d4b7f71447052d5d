/* jsonbody.c - strict JSON request bodies. */
#include "http/jsonbody.h"

#include <string.h>
#include <strings.h>

#include "http/response.h"

static int
is_json_type(const char *ct)
{
	static const char want[] = "application/json";
	size_t n = sizeof(want) - 1;
	const char *p;

	if (ct == NULL || strncasecmp(ct, want, n) != 0)
		return 0;
	p = ct + n;
	while (*p == ' ')
		p++;
	if (*p == '\0')
		return 1;
	if (*p != ';')
		return 0;
	p++;
	while (*p == ' ')
		p++;
	/* JSON is UTF-8 (RFC 8259); accept that charset alone. */
	return strcasecmp(p, "charset=utf-8") == 0 ||
	    strcasecmp(p, "charset=\"utf-8\"") == 0;
}

size_t
http_json_depth(json_t *v, size_t limit)
{
	size_t best = 0, d, i;
	const char *k;
	json_t *c;

	if (limit == 0 || !(json_is_object(v) || json_is_array(v)))
		return json_is_object(v) || json_is_array(v) ? 1 : 0;
	if (json_is_object(v)) {
		json_object_foreach (v, k, c) {
			d = http_json_depth(c, limit - 1);
			if (d > best)
				best = d;
		}
	} else {
		json_array_foreach (v, i, c) {
			d = http_json_depth(c, limit - 1);
			if (d > best)
				best = d;
		}
	}
	return best + 1;
}

json_t *
http_json_body(const struct http_request *req, struct http_response *resp)
{
	json_error_t e;
	json_t *root;
	size_t k;

	if (!is_json_type(req->content_type)) {
		http_problem(req, resp, 415, "unsupported_media_type", NULL,
		    "Le corps de la requête doit être envoyé en "
		    "application/json (UTF-8).");
		return NULL;
	}
	if (req->body == NULL || req->body_len == 0) {
		http_problem(req, resp, 400, "invalid_json", NULL,
		    "Le corps de la requête est vide ; un objet JSON est "
		    "attendu.");
		return NULL;
	}
	root = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &e);
	if (root == NULL) {
		/* jansson's text names the fault and never echoes much input,
		 * but its excerpt can end inside a UTF-8 sequence (an invalid
		 * escape before an 'è'), which would turn this 400 into a 500:
		 * only its ASCII is shown. */
		for (k = 0; k < sizeof(e.text) && e.text[k] != '\0'; k++)
			if ((unsigned char)e.text[k] >= 0x80)
				e.text[k] = '?';
		http_problem(req, resp, 400, "invalid_json", NULL,
		    "JSON invalide, ligne %d colonne %d : %s", e.line, e.column,
		    e.text);
		return NULL;
	}
	if (!json_is_object(root)) {
		json_decref(root);
		http_problem(req, resp, 400, "invalid_json", NULL,
		    "Le corps doit être un objet JSON ({...}).");
		return NULL;
	}
	if (http_json_depth(root, LIMIT_JSON_DEPTH) > LIMIT_JSON_DEPTH) {
		json_decref(root);
		http_problem(req, resp, 400, "invalid_json", NULL,
		    "Le JSON est imbriqué sur plus de %d niveaux.",
		    LIMIT_JSON_DEPTH);
		return NULL;
	}
	return root;
}

static const char *
kind_name(enum json_kind k)
{
	switch (k) {
	case JK_STRING:
		return "une chaîne";
	case JK_INTEGER:
		return "un entier";
	case JK_BOOLEAN:
		return "un booléen";
	case JK_OBJECT:
		return "un objet";
	default:
		return "un tableau";
	}
}

static int
kind_ok(enum json_kind k, json_t *v)
{
	switch (k) {
	case JK_STRING:
		return json_is_string(v);
	case JK_INTEGER:
		return json_is_integer(v);
	case JK_BOOLEAN:
		return json_is_boolean(v);
	case JK_OBJECT:
		return json_is_object(v);
	default:
		return json_is_array(v);
	}
}

int
http_json_check(const struct http_request *req, struct http_response *resp,
    json_t *obj, const struct json_field *fields, size_t n)
{
	const char *key;
	json_t *v;
	size_t i;
	long long len;

	json_object_foreach (obj, key, v) {
		for (i = 0; i < n; i++)
			if (strcmp(fields[i].name, key) == 0)
				break;
		if (i == n) {
			char name[65];
			size_t k;

			/* Shown back cut short and printable only. */
			for (k = 0; k < sizeof(name) - 1 && key[k] != '\0'; k++)
				name[k] = ((unsigned char)key[k] < 0x20 ||
					      key[k] == 0x7f)
				    ? '?'
				    : key[k];
			/* Never inside a UTF-8 sequence (the key is valid):
			 * half an 'é' would turn this 422 into a 500. */
			while (k > 0 && ((unsigned char)key[k] & 0xc0) == 0x80)
				k--;
			name[k] = '\0';
			http_problem(req, resp, 422, "unknown_field", name,
			    "Le champ « %s » n'est pas accepté ici.", name);
			return -1;
		}
	}
	for (i = 0; i < n; i++) {
		const struct json_field *f = &fields[i];

		v = json_object_get(obj, f->name);
		if (v == NULL || json_is_null(v)) {
			if (!f->required)
				continue;
			http_problem(req, resp, 422, "missing_field", f->name,
			    "Le champ « %s » est obligatoire.", f->name);
			return -1;
		}
		if (!kind_ok(f->kind, v)) {
			http_problem(req, resp, 422, "wrong_type", f->name,
			    "Le champ « %s » doit être %s.", f->name,
			    kind_name(f->kind));
			return -1;
		}
		if (f->kind == JK_STRING) {
			len = (long long)json_string_length(v);
			if (len < f->min || len > f->max) {
				http_problem(req, resp, 422, "out_of_range",
				    f->name,
				    "Le champ « %s » doit compter de %lld à %lld "
				    "octets.",
				    f->name, f->min, f->max);
				return -1;
			}
		} else if (f->kind == JK_INTEGER) {
			len = (long long)json_integer_value(v);
			if (len < f->min || len > f->max) {
				http_problem(req, resp, 422, "out_of_range",
				    f->name,
				    "Le champ « %s » doit valoir de %lld à %lld.",
				    f->name, f->min, f->max);
				return -1;
			}
		} else if (f->kind == JK_ARRAY) {
			len = (long long)json_array_size(v);
			if (len < f->min || len > f->max) {
				http_problem(req, resp, 422, "out_of_range",
				    f->name,
				    "Le champ « %s » doit compter de %lld à %lld "
				    "éléments.",
				    f->name, f->min, f->max);
				return -1;
			}
		}
	}
	return 0;
}
