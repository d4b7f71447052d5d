/*
 * test_registry.c - the registry import: every line checked before
 * anything is written, the faults listed by line and field, nothing
 * half-imported, known candidates updated, counts audited.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "candfx.h"

static void
test_import_and_update(void **state)
{
	struct candfx *x = *state;
	struct svc_candidate cand;
	int64_t id;

	candfx_registry(x);
	assert_int_equal(x->rep.lines, 2);
	/* The same file again changes nothing. */
	assert_int_equal(candfx_import(x,
			     CFX_HEADER CFX_NEPH
			     ";Martin;Léa Marie;B;manual;lea@exemple.fr\n",
			     FX_T0 + 1),
	    0);
	assert_int_equal(x->rep.created, 0);
	assert_int_equal(x->rep.updated, 0);
	assert_int_equal(x->rep.unchanged, 1);
	/* Columns in another order, ',' separator, quoting, no email
	 * column: names and gearbox of the known row updated, a new
	 * category is a new row. */
	assert_int_equal(candfx_import(x,
			     "category,neph,first_names,last_name,gearbox\r\n"
			     "B," CFX_NEPH ",\"Léa, Marie\",Martin-Roux,"
			     "automatic\r\n"
			     "A," CFX_NEPH ",Léa,Martin,manual\r\n",
			     FX_T0 + 2),
	    0);
	assert_int_equal(x->rep.created, 1);
	assert_int_equal(x->rep.updated, 1);
	id = candfx_id(x, CFX_NEPH, "B");
	assert_int_equal(svc_candidate_open(&x->s, store_conn(x->f->st), id,
			     &cand),
	    0);
	assert_string_equal(cand.last_name, "Martin-Roux");
	assert_string_equal(cand.first_names, "Léa, Marie");
	assert_string_equal(cand.gearbox, "automatic");
	assert_string_equal(cand.email, "");
	assert_true(candfx_id(x, CFX_NEPH, "A") != id);
	assert_int_equal(authfx_rows(x->f, "SELECT id FROM candidates"), 3);
	/* One audit entry per import, counts only. */
	assert_int_equal(authfx_rows(x->f,
			     "SELECT seq FROM audit_log WHERE action ="
			     " 'registry.import' AND target_ids IS NULL"),
	    3);
}

static void
test_errors_nothing_written(void **state)
{
	struct candfx *x = *state;
	struct svc_candidate cand;
	int64_t id;

	candfx_registry(x);
	assert_int_equal(candfx_import(x,
			     CFX_HEADER CFX_NEPH
			     ";Changé;Léa;B;manual;\n" /* line 2: fine */
			     "12345;Petit;Jean;B;manual;\n" /* 3: neph */
			     "333333333333;Petit;Jean;Q;manual;\n" /* 4 */
			     "444444444444;Petit;Jean;B;manual\n" /* 5 */
			     "555555555555;;Jean;B;manual;\n" /* 6 */
			     "666666666666;Petit;Jean;B;vélo;\n" /* 7 */
			     "777777777777;Petit;Jean;B;manual;a@b\n" /* 8 */
			     "888888888888;Neuf;Nina;B;manual;\n" /* 9 */
			     "888888888888;Neuf;Nina;B;manual;\n" /* 10 */
			     "\"999;x;y;B;manual;\n", /* 11: quote */
			     FX_T0 + 5),
	    1);
	assert_int_equal(x->rep.errors_total, 8);
	assert_int_equal(x->rep.nerrors, 8);
	assert_int_equal(x->rep.errors[0].line, 3);
	assert_string_equal(x->rep.errors[0].field, "neph");
	assert_string_equal(x->rep.errors[0].code, "PARAMETRE_INVALIDE");
	assert_int_equal(x->rep.errors[1].line, 4);
	assert_string_equal(x->rep.errors[1].field, "category");
	assert_int_equal(x->rep.errors[2].line, 5);
	assert_string_equal(x->rep.errors[2].field, "");
	assert_int_equal(x->rep.errors[3].line, 6);
	assert_string_equal(x->rep.errors[3].field, "last_name");
	assert_int_equal(x->rep.errors[4].line, 7);
	assert_string_equal(x->rep.errors[4].field, "gearbox");
	assert_int_equal(x->rep.errors[5].line, 8);
	assert_string_equal(x->rep.errors[5].field, "email");
	assert_int_equal(x->rep.errors[6].line, 10);
	assert_string_equal(x->rep.errors[6].field, "neph");
	assert_int_equal(x->rep.errors[7].line, 11);
	/* The values themselves are never repeated in the details. */
	assert_null(strstr(x->rep.errors[0].detail, "12345"));
	/* Nothing written: no new row, line 2's change not applied. */
	assert_int_equal(authfx_rows(x->f, "SELECT id FROM candidates"), 2);
	id = candfx_id(x, CFX_NEPH, "B");
	assert_int_equal(svc_candidate_open(&x->s, store_conn(x->f->st), id,
			     &cand),
	    0);
	assert_string_equal(cand.last_name, "Martin");
	assert_int_equal(authfx_rows(x->f,
			     "SELECT seq FROM audit_log WHERE action ="
			     " 'registry.import'"),
	    1);
}

/* The optional birth_date column: sealed with the row, compared on a
 * new import, a malformed date refused by line and field. */
static void
test_birth_date(void **state)
{
	struct candfx *x = *state;
	struct svc_candidate cand;

	assert_int_equal(candfx_import(x,
			     "neph;last_name;first_names;category;gearbox;"
			     "birth_date\n" CFX_NEPH
			     ";Martin;Léa;B;manual;2004-02-29\n",
			     FX_T0),
	    0);
	assert_int_equal(svc_candidate_open(&x->s, store_conn(x->f->st),
			     candfx_id(x, CFX_NEPH, "B"), &cand),
	    0);
	assert_string_equal(cand.birth_date, "2004-02-29");
	assert_int_equal(authfx_rows(x->f,
			     "SELECT id FROM candidates WHERE birth_date LIKE"
			     " '%2004%'"),
	    0);
	assert_int_equal(candfx_import(x,
			     "neph;last_name;first_names;category;gearbox;"
			     "birth_date\n" CFX_NEPH
			     ";Martin;Léa;B;manual;2004-03-01\n",
			     FX_T0 + 1),
	    0);
	assert_int_equal(x->rep.updated, 1);
	assert_int_equal(candfx_import(x,
			     "neph;last_name;first_names;category;gearbox;"
			     "birth_date\n" CFX_NEPH
			     ";Martin;Léa;B;manual;2003-02-29\n",
			     FX_T0 + 2),
	    1);
	assert_int_equal(x->rep.errors[0].line, 2);
	assert_string_equal(x->rep.errors[0].field, "birth_date");
}

static void
test_header_and_limits(void **state)
{
	struct candfx *x = *state;
	static char big[200 * 64];
	size_t i;

	assert_int_equal(candfx_import(x,
			     "neph;last_name;first_names;category\n" CFX_NEPH
			     ";M;L;B\n",
			     FX_T0),
	    1);
	assert_int_equal(x->rep.errors[0].line, 1);
	assert_string_equal(x->rep.errors[0].field, "gearbox");
	assert_int_equal(
	    candfx_import(x,
		"neph;last_name;first_names;category;gearbox;age\n", FX_T0),
	    1);
	assert_int_equal(candfx_import(x, CFX_HEADER, FX_T0), 1);
	assert_int_equal(x->rep.errors[0].line, 2); /* no candidate */
	/* 150 bad lines: 100 listed, all counted. */
	big[0] = '\0';
	unit_append(big, sizeof(big), CFX_HEADER);
	for (i = 0; i < 150; i++)
		unit_append(big, sizeof(big), "1;M;L;B;manual;\n");
	assert_int_equal(candfx_import(x, big, FX_T0), 1);
	assert_int_equal(x->rep.nerrors, SVC_IMPORT_ERRORS_MAX);
	assert_int_equal(x->rep.errors_total, 150);
	assert_int_equal(authfx_rows(x->f, "SELECT id FROM candidates"), 0);
}

/* Appends line i of a registry of n new candidates (NEPHs from
 * 500000000000), the last name suffixed with tag. */
static size_t
many_lines(char *buf, size_t size, size_t n, const char *tag)
{
	size_t len, i;

	len = (size_t)snprintf(buf, size, "%s", CFX_HEADER);
	for (i = 0; i < n && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len,
		    "%012zu;Nom%zu%s;Léa;B;manual;c%zu@exemple.fr\n",
		    (size_t)500000000000u + i, i, tag, i);
	assert_true(len < size);
	return len;
}

static void
assert_named(struct candfx *x, size_t i, const char *tag)
{
	struct svc_candidate cand;
	char neph[16], name[40];

	snprintf(neph, sizeof(neph), "%012zu", (size_t)500000000000u + i);
	snprintf(name, sizeof(name), "Nom%zu%s", i, tag);
	assert_int_equal(svc_candidate_open(&x->s, store_conn(x->f->st),
			     candfx_id(x, neph, "B"), &cand),
	    0);
	assert_string_equal(cand.last_name, name);
	assert_string_equal(cand.neph, neph);
}

/* More new lines than one batch of keys: every row sealed under its own
 * key, readable; the same file again changes nothing; new names update. */
static void
test_many_lines(void **state)
{
	struct candfx *x = *state;
	static char csv[1300 * 64];
	size_t n = 1234, len;

	len = many_lines(csv, sizeof(csv), n, "");
	assert_int_equal(svc_registry_import(&x->s, &x->dispatcher, csv, len,
			     FX_T0, &x->rep),
	    0);
	assert_int_equal(x->rep.created, (long)n);
	assert_int_equal(authfx_rows(x->f, "SELECT id FROM candidates"),
	    (int)n);
	assert_named(x, 0, "");
	assert_named(x, 499, "");
	assert_named(x, 500, "");
	assert_named(x, n - 1, "");
	assert_int_equal(svc_registry_import(&x->s, &x->dispatcher, csv, len,
			     FX_T0 + 1, &x->rep),
	    0);
	assert_int_equal(x->rep.created, 0);
	assert_int_equal(x->rep.unchanged, (long)n);
	len = many_lines(csv, sizeof(csv), n, "-Roux");
	assert_int_equal(svc_registry_import(&x->s, &x->dispatcher, csv, len,
			     FX_T0 + 2, &x->rep),
	    0);
	assert_int_equal(x->rep.updated, (long)n);
	assert_named(x, 0, "-Roux");
	assert_named(x, n - 1, "-Roux");
	assert_int_equal(authfx_rows(x->f, "SELECT id FROM candidates"),
	    (int)n);
	assert_int_equal(authfx_rows(x->f,
			     "SELECT seq FROM audit_log WHERE action ="
			     " 'registry.import'"),
	    3);
}

/* The import's conditional writes: each applies only to the row as it
 * was seen, so a change between preparing and writing is caught. */
static void
test_conditional_writes(void **state)
{
	struct candfx *x = *state;
	struct store *st = x->f->st;
	struct store_conn *c = store_conn(st);
	struct store_candidate row = { 0 }, dup = { 0 };
	struct svc_candidate_in in;
	const char *field;
	int64_t id, max;

	candfx_registry(x);
	id = candfx_id(x, CFX_NEPH, "B");
	assert_int_equal(store_candidate_max_id(st, c, &max), 0);
	assert_true(max >= id);
	assert_int_equal(svc_candidate_parse(&in, CFX_NEPH, "Autre", "Léa", "B",
			     "manual", "", &field),
	    BK_OK);
	assert_int_equal(svc_candidate_seal(&x->s, id, &in, FX_T0 + 9, &row),
	    0);
	/* Seen at another time: nothing written. */
	assert_int_equal(store_candidate_unchanged(st, c, id, FX_T0 + 1), 1);
	assert_int_equal(store_candidate_write_if(st, c, &row, FX_T0 + 1), 1);
	assert_int_equal(store_candidate_unchanged(st, c, id, FX_T0), 0);
	assert_int_equal(store_candidate_write_if(st, c, &row, FX_T0), 0);
	assert_int_equal(store_candidate_unchanged(st, c, id, FX_T0), 1);
	assert_int_equal(store_candidate_unchanged(st, c, id, FX_T0 + 9), 0);
	/* A new row under a taken id, or a taken (NEPH, category): no. */
	assert_int_equal(svc_candidate_seal(&x->s, max + 1, &in, FX_T0, &dup),
	    0);
	assert_int_equal(svc_candidate_neph_index(&x->s, CFX_NEPH,
			     dup.neph_index),
	    0);
	assert_int_equal(store_candidate_insert_sealed(st, c, &dup), -1);
	snprintf(dup.category, sizeof(dup.category), "C");
	dup.id = id;
	assert_int_equal(store_candidate_insert_sealed(st, c, &dup), -1);
	dup.id = max + 1;
	assert_int_equal(store_candidate_insert_sealed(st, c, &dup), 0);
	assert_int_equal(candfx_id(x, CFX_NEPH, "C"), max + 1);
	assert_int_equal(store_candidate_id_sync(st, c), 0);
	store_candidate_clear(&row);
	store_candidate_clear(&dup);
}

struct big_run {
	struct candfx *x;
	const char *csv;
	size_t len;
	struct svc_import_report rep;
	int rc;
	atomic_int done;
};

static void *
big_run(void *arg)
{
	struct big_run *b = arg;

	/* A small import may hold the lock just then: send it again, as a
	 * dispatcher told so would. */
	do
		b->rc = svc_registry_import(&b->x->s, &b->x->dispatcher, b->csv,
		    b->len, FX_T0, &b->rep);
	while (b->rc == SVC_IMPORT_BUSY);
	atomic_store(&b->done, 1);
	return NULL;
}

/* While one import runs, another is answered SVC_IMPORT_BUSY at once,
 * nothing written; those that got in before or after are counted in. */
static void
test_one_import_at_a_time(void **state)
{
	struct candfx *x = *state;
	static char csv[3000 * 64];
	static struct big_run b;
	struct svc_import_report rep;
	struct timespec nap = { 0, 20 * 1000 * 1000 };
	char small[128];
	int busy = 0, done = 0, rc, i = 0;
	pthread_t t;

	memset(&b, 0, sizeof(b));
	b.x = x;
	b.csv = csv;
	b.len = many_lines(csv, sizeof(csv), 3000, "");
	assert_int_equal(pthread_create(&t, NULL, big_run, &b), 0);
	while (!atomic_load(&b.done)) {
		snprintf(small, sizeof(small), "%s%012d;Seul;Léa;B;manual;\n",
		    CFX_HEADER, 400000000 + i++);
		rc = svc_registry_import(&x->s, &x->dispatcher, small,
		    strlen(small), FX_T0, &rep);
		if (rc == SVC_IMPORT_BUSY)
			busy++;
		else if (rc == 0)
			done++;
		else
			fail_msg("import %d answered %d", i, rc);
		nanosleep(&nap, NULL);
	}
	pthread_join(t, NULL);
	assert_int_equal(b.rc, 0);
	assert_int_equal(b.rep.created, 3000);
	assert_true(busy > 0);
	assert_int_equal(authfx_rows(x->f, "SELECT id FROM candidates"),
	    3000 + done);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_import_and_update,
		    candfx_setup, candfx_teardown),
		cmocka_unit_test_setup_teardown(test_errors_nothing_written,
		    candfx_setup, candfx_teardown),
		cmocka_unit_test_setup_teardown(test_birth_date, candfx_setup,
		    candfx_teardown),
		cmocka_unit_test_setup_teardown(test_header_and_limits,
		    candfx_setup, candfx_teardown),
		cmocka_unit_test_setup_teardown(test_many_lines, candfx_setup,
		    candfx_teardown),
		cmocka_unit_test_setup_teardown(test_conditional_writes,
		    candfx_setup, candfx_teardown),
		cmocka_unit_test_setup_teardown(test_one_import_at_a_time,
		    candfx_setup, candfx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
