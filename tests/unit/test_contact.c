/* test_contact.c - the rules of a tenant's contacts: SIRET (Luhn), email,
 * phone, required fields, lengths, CSV headers and document types read
 * from their content. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "tenancy/contact.h"

static struct contact_fields
good(void)
{
	struct contact_fields f;

	memset(&f, 0, sizeof(f));
	f.v[CF_KIND] = "client";
	f.v[CF_COMPANY] = "Boulangerie Martin";
	f.v[CF_PERSON] = "Claire Martin";
	f.v[CF_EMAIL] = "claire@boulangerie.example";
	f.v[CF_PHONE] = "+33 6 12 34 56 78";
	f.v[CF_ADDRESS] = "3 rue du Four\n44000 Nantes";
	f.v[CF_SIRET] = "732 829 320 00074";
	f.v[CF_NOTES] = "Livraison le mardi";
	return f;
}

static void
test_siret(void **state)
{
	(void)state;
	assert_true(contact_siret_valid("73282932000074"));
	assert_true(contact_siret_valid("732 829 320 00074"));
	assert_false(contact_siret_valid("73282932000075"));
	assert_false(contact_siret_valid("7328293200007"));
	assert_false(contact_siret_valid("732829320000744"));
	assert_false(contact_siret_valid("7328293200007A"));
	assert_false(contact_siret_valid(""));
	/* La Poste: sum of the digits a multiple of 5. */
	assert_true(contact_siret_valid("35600000000060"));
}

static void
test_email_phone(void **state)
{
	(void)state;
	assert_true(contact_email_valid("a@b.fr"));
	assert_false(contact_email_valid("a@b"));
	assert_false(contact_email_valid("@b.fr"));
	assert_false(contact_email_valid("a b@c.fr"));
	assert_false(contact_email_valid("a@b@c.fr"));
	assert_true(contact_phone_valid("02 40 00 00 00"));
	assert_true(contact_phone_valid("+33 (0)2.40-00-00-00"));
	assert_false(contact_phone_valid("12345"));
	assert_false(contact_phone_valid("02 40 00 00 0x"));
	assert_false(contact_phone_valid("0240+000000"));
}

static void
test_check(void **state)
{
	struct contact_fields f = good();
	struct contact_refusal r;
	char big[CONTACT_COMPANY_MAX + 2];

	(void)state;
	assert_int_equal(contact_check(&f, &r), 0);
	f.v[CF_KIND] = "prospect";
	assert_int_equal(contact_check(&f, &r), -1);
	assert_string_equal(r.field, "kind");
	f = good();
	f.v[CF_COMPANY] = "";
	assert_int_equal(contact_check(&f, &r), -1);
	assert_string_equal(r.field, "company");
	assert_non_null(strstr(r.text, "obligatoire"));
	f = good();
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	f.v[CF_COMPANY] = big;
	assert_int_equal(contact_check(&f, &r), -1);
	assert_string_equal(r.field, "company");
	f = good();
	f.v[CF_EMAIL] = "pas-une-adresse";
	assert_int_equal(contact_check(&f, &r), -1);
	assert_string_equal(r.field, "email");
	f = good();
	f.v[CF_SIRET] = "73282932000075";
	assert_int_equal(contact_check(&f, &r), -1);
	assert_string_equal(r.field, "siret");
	assert_non_null(strstr(r.text, "Luhn"));
	f = good();
	f.v[CF_PHONE] = "abc";
	assert_int_equal(contact_check(&f, &r), -1);
	assert_string_equal(r.field, "phone");
	f = good();
	f.v[CF_PERSON] = "Claire\nMartin";
	assert_int_equal(contact_check(&f, &r), -1);
	assert_string_equal(r.field, "person");
	f = good();
	f.v[CF_NOTES] = "\xff\xfe";
	assert_int_equal(contact_check(&f, &r), -1);
	assert_string_equal(r.field, "notes");
	/* Optional fields may be left out. */
	f = good();
	f.v[CF_PERSON] = f.v[CF_EMAIL] = f.v[CF_PHONE] = NULL;
	f.v[CF_ADDRESS] = f.v[CF_SIRET] = f.v[CF_NOTES] = "";
	assert_int_equal(contact_check(&f, &r), 0);
}

static void
test_headers(void **state)
{
	(void)state;
	assert_int_equal(contact_header_field("type"), CF_KIND);
	assert_int_equal(contact_header_field(" Raison_Sociale "), CF_COMPANY);
	assert_int_equal(contact_header_field("téléphone"), CF_PHONE);
	assert_int_equal(contact_header_field("telephone\r"), CF_PHONE);
	assert_int_equal(contact_header_field("siret"), CF_SIRET);
	assert_int_equal(contact_header_field("couleur"), -1);
	assert_string_equal(contact_field_header(CF_PERSON), "nom_contact");
}

static void
test_doc_type(void **state)
{
	static const unsigned char png[] = { 0x89, 'P', 'N', 'G', '\r', '\n',
		0x1a, '\n', 0, 0 };
	static const unsigned char jpg[] = { 0xff, 0xd8, 0xff, 0xe0, 0 };
	static const unsigned char exe[] = { 'M', 'Z', 0x90, 0, 3 };

	(void)state;
	assert_string_equal(contact_doc_type("%PDF-1.7\n", 9),
	    "application/pdf");
	assert_string_equal(contact_doc_type(png, sizeof(png)), "image/png");
	assert_string_equal(contact_doc_type(jpg, sizeof(jpg)), "image/jpeg");
	assert_null(contact_doc_type(exe, sizeof(exe)));
	assert_null(contact_doc_type("%PD", 3));
	assert_null(contact_doc_type("<html>", 6));
	assert_string_equal(contact_doc_extension("image/png"), "png");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_siret),
		cmocka_unit_test(test_email_phone),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_headers),
		cmocka_unit_test(test_doc_type),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
