/* contact.c - the rules of a tenant's contacts and their documents. */
#include "tenancy/contact.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const names[CF_COUNT] = { "kind", "company", "person",
	"email", "phone", "address", "siret", "notes" };
static const char *const headers[CF_COUNT] = { "type", "raison_sociale",
	"nom_contact", "email", "telephone", "adresse", "siret", "notes" };
static const char *const labels[CF_COUNT] = { "type", "raison sociale",
	"nom du contact", "adresse électronique", "téléphone", "adresse",
	"SIRET", "notes" };
static const size_t maxes[CF_COUNT] = { 16, CONTACT_COMPANY_MAX,
	CONTACT_PERSON_MAX, CONTACT_EMAIL_MAX, CONTACT_PHONE_MAX,
	CONTACT_ADDRESS_MAX, 20, CONTACT_NOTES_MAX };

const char *
contact_field_name(enum contact_field f)
{
	return (unsigned)f < CF_COUNT ? names[f] : NULL;
}

const char *
contact_field_header(enum contact_field f)
{
	return (unsigned)f < CF_COUNT ? headers[f] : NULL;
}

int
contact_header_field(const char *header)
{
	static const struct {
		const char *spelling;
		enum contact_field f;
	} aliases[] = {
		{ "téléphone", CF_PHONE },
		{ "tel", CF_PHONE },
		{ "raison sociale", CF_COMPANY },
		{ "nom contact", CF_PERSON },
		{ "nom du contact", CF_PERSON },
		{ "e-mail", CF_EMAIL },
		{ "courriel", CF_EMAIL },
		{ "kind", CF_KIND },
		{ "company", CF_COMPANY },
		{ "person", CF_PERSON },
		{ "phone", CF_PHONE },
		{ "address", CF_ADDRESS },
	};
	char h[64];
	size_t n, i;

	if (header == NULL)
		return -1;
	while (*header == ' ' || *header == '\t')
		header++;
	n = strlen(header);
	while (n > 0 &&
	    (header[n - 1] == ' ' || header[n - 1] == '\t' ||
		header[n - 1] == '\r'))
		n--;
	if (n == 0 || n >= sizeof(h))
		return -1;
	memcpy(h, header, n);
	h[n] = '\0';
	for (i = 0; i < CF_COUNT; i++)
		if (strcasecmp(h, headers[i]) == 0)
			return (int)i;
	for (i = 0; i < sizeof(aliases) / sizeof(*aliases); i++)
		if (strcasecmp(h, aliases[i].spelling) == 0)
			return (int)aliases[i].f;
	return -1;
}

void
contact_siret_digits(const char *s, char out[15])
{
	size_t n = 0;

	for (; s != NULL && *s && n < 14; s++)
		if (*s >= '0' && *s <= '9')
			out[n++] = *s;
	out[n] = '\0';
}

int
contact_siret_valid(const char *s)
{
	char d[15];
	size_t n = 0;
	int sum = 0, plain = 0, i, v;

	if (s == NULL)
		return 0;
	for (; *s; s++) {
		if (*s == ' ')
			continue;
		if (*s < '0' || *s > '9' || n == 14)
			return 0;
		d[n++] = *s;
	}
	if (n != 14)
		return 0;
	d[14] = '\0';
	for (i = 13; i >= 0; i--) {
		v = d[i] - '0';
		plain += v;
		if ((13 - i) % 2 == 1) {
			v *= 2;
			if (v > 9)
				v -= 9;
		}
		sum += v;
	}
	if (strncmp(d, "356000000", 9) == 0)
		return plain % 5 == 0;
	return sum % 10 == 0;
}

int
contact_email_valid(const char *s)
{
	const char *at, *dot;
	size_t n;

	if (s == NULL || (n = strlen(s)) == 0 || n > CONTACT_EMAIL_MAX)
		return 0;
	for (at = s; *at; at++)
		if ((unsigned char)*at <= ' ' || *at == 0x7f)
			return 0;
	at = strchr(s, '@');
	if (at == NULL || at == s || strchr(at + 1, '@') != NULL)
		return 0;
	dot = strrchr(at + 1, '.');
	return dot != NULL && dot > at + 1 && dot[1] != '\0';
}

int
contact_phone_valid(const char *s)
{
	size_t digits = 0;
	const char *p;

	if (s == NULL)
		return 0;
	for (p = s; *p; p++) {
		if (*p >= '0' && *p <= '9')
			digits++;
		else if (*p == '+' && p == s)
			continue;
		else if (strchr(" .-()", *p) == NULL)
			return 0;
	}
	return digits >= 6 && digits <= 15;
}

/* Whether s is valid UTF-8 without control characters (line breaks and
 * tabs allowed when multiline). */
static int
text_ok(const char *s, int multiline)
{
	const unsigned char *p = (const unsigned char *)s;
	int more;

	while (*p) {
		if (*p < 0x80) {
			if ((*p < 0x20 &&
				!(multiline &&
				    (*p == '\n' || *p == '\r' ||
					*p == '\t'))) ||
			    *p == 0x7f)
				return 0;
			p++;
			continue;
		}
		if (*p >= 0xc2 && *p <= 0xdf)
			more = 1;
		else if (*p >= 0xe0 && *p <= 0xef)
			more = 2;
		else if (*p >= 0xf0 && *p <= 0xf4)
			more = 3;
		else
			return 0;
		for (p++; more > 0; more--, p++)
			if ((*p & 0xc0) != 0x80)
				return 0;
	}
	return 1;
}

static int
refuse(struct contact_refusal *r, enum contact_field f, const char *rule)
{
	snprintf(r->field, sizeof(r->field), "%s", names[f]);
	snprintf(r->text, sizeof(r->text), "Le champ « %s » (%s) %s", names[f],
	    labels[f], rule);
	return -1;
}

int
contact_check(const struct contact_fields *f, struct contact_refusal *r)
{
	char rule[96];
	size_t i;
	const char *v;

	memset(r, 0, sizeof(*r));
	for (i = 0; i < CF_COUNT; i++) {
		v = f->v[i];
		if (v == NULL || v[0] == '\0') {
			if (i == CF_KIND)
				return refuse(r, CF_KIND,
				    "est obligatoire : client ou fournisseur.");
			if (i == CF_COMPANY)
				return refuse(r, CF_COMPANY,
				    "est obligatoire.");
			continue;
		}
		if (strlen(v) > maxes[i]) {
			snprintf(rule, sizeof(rule), "dépasse %zu octets.",
			    maxes[i]);
			return refuse(r, (enum contact_field)i, rule);
		}
		if (!text_ok(v, i == CF_ADDRESS || i == CF_NOTES))
			return refuse(r, (enum contact_field)i,
			    "contient un caractère de contrôle ou n'est pas "
			    "du texte UTF-8.");
	}
	if (strcmp(f->v[CF_KIND], "client") != 0 &&
	    strcmp(f->v[CF_KIND], "fournisseur") != 0)
		return refuse(r, CF_KIND, "vaut client ou fournisseur.");
	if (f->v[CF_EMAIL] && f->v[CF_EMAIL][0] &&
	    !contact_email_valid(f->v[CF_EMAIL]))
		return refuse(r, CF_EMAIL,
		    "n'est pas une adresse valide (nom@domaine.fr).");
	if (f->v[CF_PHONE] && f->v[CF_PHONE][0] &&
	    !contact_phone_valid(f->v[CF_PHONE]))
		return refuse(r, CF_PHONE,
		    "n'est pas un numéro valide (6 à 15 chiffres, espaces, "
		    "points, tirets, + au début).");
	if (f->v[CF_SIRET] && f->v[CF_SIRET][0] &&
	    !contact_siret_valid(f->v[CF_SIRET]))
		return refuse(r, CF_SIRET,
		    "n'est pas un SIRET valide (14 chiffres, clé de Luhn).");
	return 0;
}

const char *
contact_doc_type(const void *p, size_t n)
{
	const unsigned char *b = p;

	if (b == NULL)
		return NULL;
	if (n >= 5 && memcmp(b, "%PDF-", 5) == 0)
		return "application/pdf";
	if (n >= 8 && memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0)
		return "image/png";
	if (n >= 3 && b[0] == 0xff && b[1] == 0xd8 && b[2] == 0xff)
		return "image/jpeg";
	return NULL;
}

const char *
contact_doc_extension(const char *type)
{
	if (type == NULL)
		return "bin";
	if (strcmp(type, "application/pdf") == 0)
		return "pdf";
	if (strcmp(type, "image/png") == 0)
		return "png";
	if (strcmp(type, "image/jpeg") == 0)
		return "jpg";
	return "bin";
}
