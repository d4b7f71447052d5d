/* test_jsonw.c - src/http/jsonw.c: the streaming writer prints what
 * jansson's json_dumps(JSON_COMPACT) prints for the same values, escapes
 * as RFC 8259 asks, and refuses what jansson refuses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "http/jsonw.h"

/* The writer's text and jansson's for the same document. */
static void
same_as_jansson(struct jsonw *w, json_t *o)
{
	size_t len = 0;
	char *mine = jsonw_finish(w, &len),
	     *theirs = json_dumps(o, JSON_COMPACT);

	assert_non_null(mine);
	assert_non_null(theirs);
	assert_string_equal(mine, theirs);
	assert_int_equal(len, strlen(theirs));
	/* And it parses back. */
	{
		json_t *back = json_loads(mine, 0, NULL);

		assert_non_null(back);
		assert_true(json_equal(back, o));
		json_decref(back);
	}
	free(mine);
	free(theirs);
	json_decref(o);
}

static void
test_list_of_objects(void **state)
{
	static const char *const names[] = { "Centre d'examen de Nantes-Rezé",
		"Guillemets \" et \\ barre", "Tab\tligne\nretour\r",
		"Contrôle \x01\x1f fin", "Émoji 🚗 et € et ß", "" };
	struct jsonw w;
	json_t *list = json_array();
	size_t i;

	(void)state;
	jsonw_init(&w, 1 << 20);
	jsonw_object(&w, NULL);
	jsonw_array(&w, "slots");
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		int64_t id = (int64_t)i * 1000003 - 3;

		jsonw_object(&w, NULL);
		jsonw_int(&w, "id", id);
		jsonw_string(&w, "centre", names[i]);
		jsonw_bool(&w, "bookable_now", (int)(i % 2));
		jsonw_string(&w, "opens_at",
		    i == 3 ? NULL : "2026-12-07T08:00:00Z");
		jsonw_null(&w, "none");
		jsonw_end(&w);
		json_array_append_new(list,
		    json_pack("{s:I, s:s, s:b, s:o, s:n}", "id", (json_int_t)id,
			"centre", names[i], "bookable_now", (int)(i % 2),
			"opens_at",
			i == 3 ? json_null()
			       : json_string("2026-12-07T08:00:00Z"),
			"none"));
	}
	jsonw_end(&w);
	jsonw_end(&w);
	same_as_jansson(&w, json_pack("{s:o}", "slots", list));
}

static void
test_numbers_and_empties(void **state)
{
	struct jsonw w;

	(void)state;
	jsonw_init(&w, 4096);
	jsonw_array(&w, NULL);
	jsonw_int(&w, NULL, 0);
	jsonw_int(&w, NULL, -1);
	jsonw_int(&w, NULL, INT64_MAX);
	jsonw_int(&w, NULL, INT64_MIN);
	jsonw_array(&w, NULL);
	jsonw_end(&w);
	jsonw_object(&w, NULL);
	jsonw_end(&w);
	jsonw_end(&w);
	same_as_jansson(&w,
	    json_pack("[I, I, I, I, [], {}]", (json_int_t)0, (json_int_t)-1,
		(json_int_t)INT64_MAX, (json_int_t)INT64_MIN));
}

/* Invalid UTF-8, a ceiling passed, brackets left open or closed too
 * often: no text, as jansson gives no document for the first. */
static void
test_refusals(void **state)
{
	static const char *const bad[] = { "\xff", "a\xc3", "\xc0\xaf",
		"\xed\xa0\x80", "\xf4\x90\x80\x80" };
	struct jsonw w;
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_null(json_string(bad[i]));
		jsonw_init(&w, 4096);
		jsonw_array(&w, NULL);
		jsonw_string(&w, NULL, bad[i]);
		jsonw_end(&w);
		assert_null(jsonw_finish(&w, &len));
	}
	jsonw_init(&w, 8);
	jsonw_array(&w, NULL);
	jsonw_string(&w, NULL, "bien trop long");
	jsonw_end(&w);
	assert_null(jsonw_finish(&w, &len));
	jsonw_init(&w, 64);
	jsonw_object(&w, NULL);
	assert_null(jsonw_finish(&w, &len));
	jsonw_init(&w, 64);
	jsonw_end(&w);
	assert_null(jsonw_finish(&w, &len));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list_of_objects),
		cmocka_unit_test(test_numbers_and_empties),
		cmocka_unit_test(test_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
