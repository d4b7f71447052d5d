/*
 * test_contacts.c - a tenant's customers and suppliers and their
 * documents against the real `creneau` binary and its demo data (seed
 * 003): created, read, searched, changed and deleted by the tenant's
 * admin, each bad field refused naming it; a CSV file imported all or
 * nothing with every line at fault listed, and nothing of the file left
 * behind; CSV (French spreadsheet) and JSON exports; photos and PDFs
 * typed by their content, sealed at rest; another tenant's admin gets 404
 * on every id; the tenant export counts them and the deletion list
 * reaches them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "client.h"
#include "demo.h"
#include "harness.h"
#include "store/driver.h"
#include "store/tenant_deletion.h"
#include "store/tenant_exports.h"
#include "tenancy/contact.h"

static struct proc srv;
static struct demo_account admin = { "direction@tilleuls.example", 1 };
static struct demo_account other = { "admin.rdv@solidarites44.example", 1 };

static struct demo_account *const all[] = { &admin, &other };
#define NALL (sizeof(all) / sizeof(all[0]))

static char org[64], other_org[64];

static int
org_of(struct demo_account *a, char out[64])
{
	json_t *o;

	if (client_call(&a->c, "GET", "/api/v1/me", NULL) != 200)
		return -1;
	o = client_json(&a->c);
	snprintf(out, 64, "%s",
	    json_string_value(json_object_get(o, "org_id")));
	json_decref(o);
	return out[0] ? 0 : -1;
}

static int
setup(void **state)
{
	(void)state;
	if (demo_start(&srv, all, NALL) != 0)
		return -1;
	return org_of(&admin, org) == 0 && org_of(&other, other_org) == 0 ? 0
									  : -1;
}

static int
teardown(void **state)
{
	(void)state;
	demo_stop(&srv, all, NALL);
	return 0;
}

/* path with each "%s" replaced in turn by o, then a. */
static const char *
at(const char *o, const char *path, const char *a, const char *b)
{
	static char full[512];
	const char *vals[3] = { o, a, b }, *s = path;
	size_t n = 0, k = 0;

	while (*s && n + 1 < sizeof(full)) {
		if (s[0] == '%' && s[1] == 's' && k < 3) {
			n += (size_t)snprintf(full + n, sizeof(full) - n, "%s",
			    vals[k] ? vals[k] : "");
			k++;
			s += 2;
		} else {
			full[n++] = *s++;
		}
	}
	full[n < sizeof(full) ? n : sizeof(full) - 1] = '\0';
	return full;
}

static void
assert_field(struct demo_account *a, const char *field)
{
	json_t *o = client_json(&a->c);

	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o, "field")),
	    field);
	json_decref(o);
}

static long
count_contacts(void)
{
	json_t *o;
	long n;

	assert_int_equal(client_call(&admin.c, "GET",
			     at(org, "/api/v1/orgs/%s/contacts", NULL, NULL),
			     NULL),
	    200);
	o = client_json(&admin.c);
	n = (long)json_array_size(json_object_get(o, "contacts"));
	json_decref(o);
	return n;
}

static const char martin[] =
    "{\"kind\":\"client\",\"company\":\"Boulangerie Martin\","
    "\"person\":\"Claire Martin\",\"email\":\"claire@martin.example\","
    "\"phone\":\"02 40 00 00 00\",\"address\":\"3 rue du Four\\n44000 "
    "Nantes\",\"siret\":\"732 829 320 00074\",\"notes\":\"Le mardi\"}";

static char contact_id[64];

static void
test_crud(void **state)
{
	json_t *o;

	(void)state;
	assert_int_equal(client_call(&admin.c, "POST",
			     at(org, "/api/v1/orgs/%s/contacts", NULL, NULL),
			     martin),
	    201);
	o = client_json(&admin.c);
	snprintf(contact_id, sizeof(contact_id), "%s",
	    json_string_value(json_object_get(o, "id")));
	assert_string_equal(json_string_value(json_object_get(o, "person")),
	    "Claire Martin");
	assert_string_equal(json_string_value(json_object_get(o, "siret")),
	    "73282932000074");
	json_decref(o);
	/* Sealed at rest: the name is nowhere in clear. */
	if (!harness_pg()) {
		char v[64] = "";

		assert_int_equal(harness_store_value(srv.db,
				     "SELECT count(*) FROM tenant_contacts "
				     "WHERE CAST(company AS TEXT) LIKE "
				     "'%Boulangerie%'",
				     v, sizeof(v)),
		    0);
		assert_string_equal(v, "0");
	}
	/* Search by name, case ignored. */
	assert_int_equal(client_call(&admin.c, "GET",
			     at(org, "/api/v1/orgs/%s/contacts?q=BOULANG", NULL,
				 NULL),
			     NULL),
	    200);
	o = client_json(&admin.c);
	assert_int_equal(json_array_size(json_object_get(o, "contacts")), 1);
	json_decref(o);
	assert_int_equal(client_call(&admin.c, "GET",
			     at(org, "/api/v1/orgs/%s/contacts?q=zzzz", NULL,
				 NULL),
			     NULL),
	    200);
	o = client_json(&admin.c);
	assert_int_equal(json_array_size(json_object_get(o, "contacts")), 0);
	json_decref(o);
	/* Changed. */
	assert_int_equal(client_call(&admin.c, "PUT",
			     at(org, "/api/v1/orgs/%s/contacts/%s", contact_id,
				 NULL),
			     "{\"kind\":\"fournisseur\",\"company\":"
			     "\"Boulangerie Martin\",\"email\":"
			     "\"compta@martin.example\"}"),
	    200);
	o = client_json(&admin.c);
	assert_string_equal(json_string_value(json_object_get(o, "kind")),
	    "fournisseur");
	assert_true(json_is_null(json_object_get(o, "person")));
	json_decref(o);
	assert_int_equal(client_call(&admin.c, "GET",
			     at(org, "/api/v1/orgs/%s/contacts/%s", contact_id,
				 NULL),
			     NULL),
	    200);
	assert_non_null(strstr(admin.c.body, "compta@martin.example"));
}

static void
test_bad_fields(void **state)
{
	static const struct {
		const char *body, *field;
	} cases[] = {
		{ "{\"kind\":\"client\",\"company\":\"X\",\"siret\":"
		  "\"73282932000075\"}",
		    "siret" },
		{ "{\"kind\":\"client\",\"company\":\"\"}", "company" },
		{ "{\"kind\":\"prospect\",\"company\":\"X\"}", "kind" },
		{ "{\"kind\":\"client\",\"company\":\"X\",\"email\":\"x@\"}",
		    "email" },
		{ "{\"kind\":\"client\",\"company\":\"X\",\"phone\":\"abc\"}",
		    "phone" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		assert_int_equal(client_call(&admin.c, "POST",
				     at(org, "/api/v1/orgs/%s/contacts", NULL,
					 NULL),
				     cases[i].body),
		    422);
		assert_field(&admin, cases[i].field);
	}
}

/* Whether the database files hold needle (SQLite: the file and its
 * log). */
static int
db_holds(const char *needle)
{
	return harness_db_holds(srv.db, needle);
}

static void
test_import(void **state)
{
	static const char bad[] =
	    "\xef\xbb\xbftype;raison_sociale;nom_contact;email;telephone;"
	    "adresse;siret;notes\r\n"
	    "client;Garage Zéphyrin;Paul Zéphyrin;paul@zephyrin.example;"
	    "02 40 11 22 33;1 quai Zephyrin-Import-7731;;\r\n"
	    "fournisseur;Papeterie Durand;;pas-une-adresse;;;;\r\n"
	    "client;Épicerie Moreau;;;;;73282932000075;\r\n"
	    "prospect;Café du Port;;;;;;\r\n";
	static const char good[] =
	    "type,raison_sociale,nom_contact,email,telephone,adresse,siret,"
	    "notes\n"
	    "client,Garage Zéphyrin,Paul Zéphyrin,paul@zephyrin.example,"
	    "02 40 11 22 33,1 quai Zephyrin-Import-7731,,\n"
	    "fournisseur,Papeterie Durand,,papeterie@durand.example,,,,\n"
	    "client,Épicerie Moreau,,,,,73282932000074,\"Livrer, le matin\"\n";
	long before = count_contacts();
	json_t *o, *errs;

	(void)state;
	assert_int_equal(client_send(&admin.c, "POST",
			     at(org, "/api/v1/orgs/%s/contact-import", NULL,
				 NULL),
			     "text/csv; charset=utf-8", bad, strlen(bad)),
	    422);
	o = client_json(&admin.c);
	errs = json_object_get(o, "errors");
	assert_int_equal(json_array_size(errs), 3);
	assert_int_equal(json_integer_value(
			     json_object_get(json_array_get(errs, 0), "line")),
	    3);
	assert_string_equal(json_string_value(
				json_object_get(json_array_get(errs, 0),
				    "field")),
	    "email");
	assert_int_equal(json_integer_value(
			     json_object_get(json_array_get(errs, 1), "line")),
	    4);
	assert_string_equal(json_string_value(
				json_object_get(json_array_get(errs, 1),
				    "field")),
	    "siret");
	assert_int_equal(json_integer_value(
			     json_object_get(json_array_get(errs, 2), "line")),
	    5);
	assert_string_equal(json_string_value(
				json_object_get(json_array_get(errs, 2),
				    "field")),
	    "kind");
	json_decref(o);
	/* Nothing imported, not even the good line. */
	assert_int_equal(count_contacts(), before);
	/* Fixed, with ',' and no BOM: all in. */
	assert_int_equal(client_send(&admin.c, "POST",
			     at(org, "/api/v1/orgs/%s/contact-import", NULL,
				 NULL),
			     "text/csv", good, strlen(good)),
	    200);
	o = client_json(&admin.c);
	assert_int_equal(json_integer_value(json_object_get(o, "imported")), 3);
	json_decref(o);
	assert_int_equal(count_contacts(), before + 3);
	/* The file is gone: neither its text nor a line of it is stored. */
	if (!harness_pg()) {
		assert_false(db_holds("raison_sociale"));
		assert_false(db_holds("Zephyrin-Import-7731"));
		assert_false(db_holds("paul@zephyrin.example"));
	}
	/* Not CSV: 415; an unknown column: 422 naming the header. */
	assert_int_equal(client_call(&admin.c, "POST",
			     at(org, "/api/v1/orgs/%s/contact-import", NULL,
				 NULL),
			     "{}"),
	    415);
	assert_int_equal(client_send(&admin.c, "POST",
			     at(org, "/api/v1/orgs/%s/contact-import", NULL,
				 NULL),
			     "text/csv", "type;couleur\nclient;bleu\n", 25),
	    422);
	assert_non_null(strstr(admin.c.body, "couleur"));
}

static void
test_export(void **state)
{
	static const char header[] = "type;raison_sociale;nom_contact;email;"
				     "telephone;adresse;siret;notes\r\n";
	json_t *o;

	(void)state;
	assert_int_equal(client_call(&admin.c, "GET",
			     at(org, "/api/v1/orgs/%s/contact-export", NULL,
				 NULL),
			     NULL),
	    200);
	assert_true(admin.c.body_len > 3);
	assert_memory_equal(admin.c.body, "\xef\xbb\xbf", 3);
	assert_true(strncmp(admin.c.body + 3, header, strlen(header)) == 0);
	assert_non_null(strstr(admin.c.body, "Épicerie Moreau"));
	assert_non_null(strstr(admin.c.body, "\"Livrer, le matin\""));
	assert_non_null(strstr(admin.c.headers, "text/csv"));
	assert_int_equal(client_call(&admin.c, "GET",
			     at(org,
				 "/api/v1/orgs/%s/contact-export?format=json",
				 NULL, NULL),
			     NULL),
	    200);
	o = client_json(&admin.c);
	assert_int_equal(json_array_size(json_object_get(o, "contacts")),
	    count_contacts());
	json_decref(o);
}

static const unsigned char png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a,
	'\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 0, 0, 0, 1 };
static const char pdf[] =
    "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
static const unsigned char exe[] = { 'M', 'Z', 0x90, 0, 3, 0, 0, 0, 4, 0 };
static char doc_id[64];

static void
test_documents(void **state)
{
	char path[300];
	json_t *o;

	(void)state;
	snprintf(path, sizeof(path),
	    "/api/v1/orgs/%s/contacts/%s/documents?name=facture.pdf", org,
	    contact_id);
	/* A .pdf name with PNG bytes is a PNG. */
	assert_int_equal(client_send(&admin.c, "POST", path, "application/pdf",
			     png, sizeof(png)),
	    201);
	o = client_json(&admin.c);
	assert_string_equal(json_string_value(json_object_get(o, "type")),
	    "image/png");
	json_decref(o);
	/* A program named .pdf is refused. */
	assert_int_equal(client_send(&admin.c, "POST", path, "application/pdf",
			     exe, sizeof(exe)),
	    422);
	assert_field(&admin, "file");
	assert_int_equal(client_send(&admin.c, "POST", path,
			     "application/octet-stream", pdf, strlen(pdf)),
	    201);
	o = client_json(&admin.c);
	assert_string_equal(json_string_value(json_object_get(o, "type")),
	    "application/pdf");
	snprintf(doc_id, sizeof(doc_id), "%s",
	    json_string_value(json_object_get(o, "id")));
	json_decref(o);
	/* Sealed at rest. */
	if (!harness_pg())
		assert_false(db_holds("1 0 obj <<>> endobj"));
	/* Listed with the contact, downloaded as sent. */
	assert_int_equal(client_call(&admin.c, "GET",
			     at(org, "/api/v1/orgs/%s/contacts/%s", contact_id,
				 NULL),
			     NULL),
	    200);
	o = client_json(&admin.c);
	assert_int_equal(json_array_size(json_object_get(o, "documents")), 2);
	json_decref(o);
	snprintf(path, sizeof(path), "/api/v1/orgs/%s/contacts/%s/documents/%s",
	    org, contact_id, doc_id);
	assert_int_equal(client_call(&admin.c, "GET", path, NULL), 200);
	assert_int_equal(admin.c.body_len, strlen(pdf));
	assert_memory_equal(admin.c.body, pdf, strlen(pdf));
	assert_non_null(strstr(admin.c.headers, "application/pdf"));
	assert_non_null(strstr(admin.c.headers, "attachment"));
}

/* The document limit sits under the server's body cap: a document one
 * byte over it reaches the handler and is refused naming the field, and
 * the list says the limits in force for the page to tell them. */
static void
test_document_limit(void **state)
{
	size_t n = CONTACT_DOC_BYTES_MAX + 1;
	char path[300], *big;
	json_t *o, *lim;

	(void)state;
	assert_true(CONTACT_DOC_BYTES_MAX < 1048576);
	assert_true(CONTACT_IMPORT_BYTES_MAX < 1048576);
	big = malloc(n);
	assert_non_null(big);
	memset(big, ' ', n);
	memcpy(big, "%PDF-1.4\n", 9);
	snprintf(path, sizeof(path),
	    "/api/v1/orgs/%s/contacts/%s/documents?name=gros.pdf", org,
	    contact_id);
	assert_int_equal(client_send(&admin.c, "POST", path, "application/pdf",
			     big, n),
	    413);
	assert_field(&admin, "file");
	o = client_json(&admin.c);
	assert_string_equal(json_string_value(json_object_get(o, "code")),
	    "file_too_large");
	assert_non_null(
	    strstr(json_string_value(json_object_get(o, "detail")), "1 Mo"));
	json_decref(o);
	/* Exactly at the limit: accepted, then deleted. */
	assert_int_equal(client_send(&admin.c, "POST", path, "application/pdf",
			     big, n - 1),
	    201);
	o = client_json(&admin.c);
	snprintf(path, sizeof(path), "/api/v1/orgs/%s/contacts/%s/documents/%s",
	    org, contact_id, json_string_value(json_object_get(o, "id")));
	json_decref(o);
	assert_int_equal(client_call(&admin.c, "DELETE", path, NULL), 200);
	free(big);
	/* A CSV one byte over the import limit: refused naming the field. */
	big = malloc(CONTACT_IMPORT_BYTES_MAX + 1);
	assert_non_null(big);
	memset(big, 'a', CONTACT_IMPORT_BYTES_MAX + 1);
	assert_int_equal(client_send(&admin.c, "POST",
			     at(org, "/api/v1/orgs/%s/contact-import", NULL,
				 NULL),
			     "text/csv", big, CONTACT_IMPORT_BYTES_MAX + 1),
	    413);
	assert_field(&admin, "file");
	free(big);
	assert_int_equal(client_call(&admin.c, "GET",
			     at(org, "/api/v1/orgs/%s/contacts", NULL, NULL),
			     NULL),
	    200);
	o = client_json(&admin.c);
	lim = json_object_get(o, "limits");
	assert_int_equal(json_integer_value(
			     json_object_get(lim, "document_bytes")),
	    CONTACT_DOC_BYTES_MAX);
	assert_int_equal(json_integer_value(
			     json_object_get(lim, "import_bytes")),
	    CONTACT_IMPORT_BYTES_MAX);
	json_decref(o);
}

/* Another tenant's admin: 404 on every id, through its own organisation
 * and through the victim's. */
static void
test_other_tenant(void **state)
{
	const char *orgs[] = { other_org, org };
	char path[300];
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "/api/v1/orgs/%s/contacts/%s",
		    orgs[i], contact_id);
		assert_int_equal(client_call(&other.c, "GET", path, NULL), 404);
		assert_int_equal(client_call(&other.c, "PUT", path, martin),
		    404);
		assert_int_equal(client_call(&other.c, "DELETE", path, NULL),
		    404);
		snprintf(path, sizeof(path),
		    "/api/v1/orgs/%s/contacts/%s/documents", orgs[i],
		    contact_id);
		assert_int_equal(client_send(&other.c, "POST", path,
				     "application/pdf", pdf, strlen(pdf)),
		    404);
		snprintf(path, sizeof(path),
		    "/api/v1/orgs/%s/contacts/%s/documents/%s", orgs[i],
		    contact_id, doc_id);
		assert_int_equal(client_call(&other.c, "GET", path, NULL), 404);
		assert_int_equal(client_call(&other.c, "DELETE", path, NULL),
		    404);
	}
	/* Its own list is empty. */
	assert_int_equal(client_call(&other.c, "GET",
			     at(other_org, "/api/v1/orgs/%s/contacts", NULL,
				 NULL),
			     NULL),
	    200);
	assert_null(strstr(other.c.body, "Boulangerie"));
	/* Still there for its owner. */
	assert_int_equal(client_call(&admin.c, "GET",
			     at(org, "/api/v1/orgs/%s/contacts/%s", contact_id,
				 NULL),
			     NULL),
	    200);
}

struct counts {
	long contacts, documents, deletion_steps;
};

static int
counts_tx(const struct auth *a, struct store_conn *c, void *arg)
{
	struct counts *x = arg;
	size_t i;

	for (i = 0; i < store_export_entities_count; i++) {
		const struct store_export_entity *e = &store_export_entities[i];

		if (strcmp(e->table, "tenant_contacts") == 0)
			x->contacts = store_export_count(a->st, c, e, org);
		if (strcmp(e->table, "tenant_contact_documents") == 0)
			x->documents = store_export_count(a->st, c, e, org);
	}
	for (i = 0; i < store_deletion_steps_count; i++)
		if (strncmp(store_deletion_steps[i].table, "tenant_contact",
			14) == 0)
			x->deletion_steps++;
	return 0;
}

/* The tenant export counts the contacts and documents the API shows;
 * the tenant deletion has a step for each table. */
static void
test_export_and_deletion_lists(void **state)
{
	struct counts x = { -1, -1, 0 };

	(void)state;
	assert_int_equal(harness_with_auth(srv.db, counts_tx, &x), 0);
	assert_int_equal(x.contacts, count_contacts());
	assert_int_equal(x.documents, 2);
	assert_int_equal(x.deletion_steps, 2);
}

static void
test_delete(void **state)
{
	char path[300];

	(void)state;
	snprintf(path, sizeof(path), "/api/v1/orgs/%s/contacts/%s/documents/%s",
	    org, contact_id, doc_id);
	assert_int_equal(client_call(&admin.c, "DELETE", path, NULL), 200);
	assert_int_equal(client_call(&admin.c, "GET", path, NULL), 404);
	snprintf(path, sizeof(path), "/api/v1/orgs/%s/contacts/%s", org,
	    contact_id);
	assert_int_equal(client_call(&admin.c, "DELETE", path, NULL), 200);
	assert_int_equal(client_call(&admin.c, "GET", path, NULL), 404);
	if (!harness_pg()) {
		char v[64] = "";

		assert_int_equal(harness_store_value(srv.db,
				     "SELECT count(*) FROM "
				     "tenant_contact_documents",
				     v, sizeof(v)),
		    0);
		assert_string_equal(v, "0");
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crud),
		cmocka_unit_test(test_bad_fields),
		cmocka_unit_test(test_import),
		cmocka_unit_test(test_export),
		cmocka_unit_test(test_documents),
		cmocka_unit_test(test_document_limit),
		cmocka_unit_test(test_other_tenant),
		cmocka_unit_test(test_export_and_deletion_lists),
		cmocka_unit_test(test_delete),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
