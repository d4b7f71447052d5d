/*
 * contact.h - the rules of a tenant's contacts (seed 003): the customers
 * and suppliers a client organisation keeps, the columns of the CSV file
 * it loads them from, and the documents (photos, PDFs) it attaches to
 * them, whose type is read from their content, never from their name.
 * Pure functions.
 */
#ifndef CRENEAU_CONTACT_H
#define CRENEAU_CONTACT_H

#include <stddef.h>

/* Lengths, in bytes. */
#define CONTACT_COMPANY_MAX 200
#define CONTACT_PERSON_MAX 200
#define CONTACT_EMAIL_MAX 254
#define CONTACT_PHONE_MAX 30
#define CONTACT_ADDRESS_MAX 500
#define CONTACT_NOTES_MAX 2000
#define CONTACT_DOC_NAME_MAX 200

/*
 * What an import and a document may weigh: 1 Mo (10^6 bytes) each, under
 * the HTTP server's default body cap ([http] max_body_bytes, 1 MiB), so
 * that an over-limit file still reaches the handler and is refused there
 * with 413 naming the field "file", instead of the server's anonymous
 * 413. The server reads every body whole before routing it, so a cap of
 * its own for one route is not possible: the limit follows the server.
 * A smaller max_body_bytes lowers them (contacts_api.c says the limit in
 * force, serve.c warns at start).
 */
#define CONTACT_IMPORT_BYTES_MAX (1000L * 1000)
#define CONTACT_IMPORT_LINES_MAX 5000
#define CONTACT_DOC_BYTES_MAX (1000L * 1000)

/* The fields of a contact, as given (NULL or "": not given). */
enum contact_field {
	CF_KIND,
	CF_COMPANY,
	CF_PERSON,
	CF_EMAIL,
	CF_PHONE,
	CF_ADDRESS,
	CF_SIRET,
	CF_NOTES,
	CF_COUNT
};

struct contact_fields {
	const char *v[CF_COUNT];
};

/* Why a contact was refused: the field (its API name) and the rule, in
 * French. */
struct contact_refusal {
	char field[32];
	char text[256];
};

/* The API name of field f ("company"), and its French CSV header
 * ("raison_sociale"). */
const char *contact_field_name(enum contact_field f);
const char *contact_field_header(enum contact_field f);

/* The field a CSV header names (case and accents of the usual spellings
 * accepted, surrounding spaces ignored), or -1. */
int contact_header_field(const char *header);

/* Whether s is a SIRET: 14 digits (spaces allowed between them) whose
 * Luhn sum is a multiple of 10 (La Poste's establishments, SIREN
 * 356000000, use the sum of digits modulo 5). */
int contact_siret_valid(const char *s);

/* Copies the digits of a SIRET into out (15 bytes). */
void contact_siret_digits(const char *s, char out[15]);

/* Whether s looks like an email address: one '@', something before,
 * a domain with a dot after, no space nor control character. */
int contact_email_valid(const char *s);

/* Whether s is a telephone number: digits, spaces, '.', '-', '(' ')'
 * and a leading '+', with 6 to 15 digits. */
int contact_phone_valid(const char *s);

/* Checks every field of f: kind "client" or "fournisseur", company
 * required, lengths, no control character (but line breaks in the
 * address and notes), valid UTF-8, email, phone, SIRET. Returns 0, or -1
 * with r filled for the first field at fault. */
int contact_check(const struct contact_fields *f, struct contact_refusal *r);

/* The type of a document read from its first bytes: "application/pdf",
 * "image/png", "image/jpeg", or NULL for anything else. */
const char *contact_doc_type(const void *p, size_t n);

/* The file extension for a type given by contact_doc_type ("pdf"). */
const char *contact_doc_extension(const char *type);

#endif
