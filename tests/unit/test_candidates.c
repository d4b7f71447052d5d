/*
 * test_candidates.c - the candidate registry in the store and the
 * candidate services: values checked, sealed at rest under the
 * candidate's key, found by blind index, read only under an active
 * mandate, assigned to trainers, linked to an account, exams listed.
 */
#include "candfx.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "service/mandates.h"
#include "store/candidates.h"

/* Birth dates: a real calendar date YYYY-MM-DD, or none. */
static void
test_birth_date_parse(void **state)
{
	char d[SVC_DATE_MAX];

	(void)state;
	assert_int_equal(svc_birth_date_parse(d, " 2001-02-02 "), 0);
	assert_string_equal(d, "2001-02-02");
	assert_int_equal(svc_birth_date_parse(d, NULL), 0);
	assert_string_equal(d, "");
	assert_int_equal(svc_birth_date_parse(d, ""), 0);
	assert_int_equal(svc_birth_date_parse(d, "2001-02-30"), 1);
	assert_int_equal(svc_birth_date_parse(d, "02/02/2001"), 1);
	assert_int_equal(svc_birth_date_parse(d, "2001-2-2"), 1);
	assert_int_equal(svc_birth_date_parse(d, "2001-02-02T00:00"), 1);
	assert_string_equal(d, "");
}

static void
test_parse(void **state)
{
	struct svc_candidate_in in;
	const char *field = NULL;
	char name[402];
	int i;

	(void)state;
	assert_int_equal(svc_candidate_parse(&in, " " CFX_NEPH " ", "  Martin ",
			     "Léa", "B", "manual", " lea@exemple.fr ", &field),
	    BK_OK);
	assert_string_equal(in.neph, CFX_NEPH);
	assert_string_equal(in.last_name, "Martin");
	assert_string_equal(in.email, "lea@exemple.fr");
	assert_null(field);
	assert_int_equal(svc_candidate_parse(&in, "12345678901a", "M", "L", "B",
			     "manual", NULL, &field),
	    BK_PARAMETRE_INVALIDE);
	assert_string_equal(field, "neph");
	assert_int_equal(svc_candidate_parse(&in, "123456789", "M", "L", "B",
			     NULL, NULL, &field),
	    BK_PARAMETRE_INVALIDE);
	assert_string_equal(field, "neph");
	/* Empty, blank or longer than any buffer: the rule's code too. */
	assert_int_equal(svc_candidate_parse(&in, "", "M", "L", "B", NULL, NULL,
			     &field),
	    BK_PARAMETRE_INVALIDE);
	assert_string_equal(field, "neph");
	assert_int_equal(svc_candidate_parse(&in, "   ", "M", "L", "B", NULL,
			     NULL, &field),
	    BK_PARAMETRE_INVALIDE);
	assert_string_equal(field, "neph");
	for (name[0] = '\0', i = 0; i < 40; i++)
		unit_append(name, sizeof(name), "1234567890");
	assert_int_equal(svc_candidate_parse(&in, name, "M", "L", "B", NULL,
			     NULL, &field),
	    BK_PARAMETRE_INVALIDE);
	assert_string_equal(field, "neph");
	assert_int_equal(svc_candidate_parse(&in, CFX_NEPH, "  ", "L", "B",
			     NULL, NULL, &field),
	    BK_PARAMETRE_INVALIDE);
	assert_string_equal(field, "last_name");
	assert_int_equal(svc_candidate_parse(&in, CFX_NEPH, "M", "L\x01", "B",
			     NULL, NULL, &field),
	    BK_PARAMETRE_INVALIDE);
	assert_string_equal(field, "first_names");
	assert_int_equal(svc_candidate_parse(&in, CFX_NEPH, "M", "\xc3(", "B",
			     NULL, NULL, &field),
	    BK_PARAMETRE_INVALIDE);
	assert_int_equal(svc_candidate_parse(&in, CFX_NEPH, "M", "L", "Z", NULL,
			     NULL, &field),
	    BK_PARAMETRE_INVALIDE);
	assert_string_equal(field, "category");
	assert_int_equal(svc_candidate_parse(&in, CFX_NEPH, "M", "L", "B",
			     "semi", NULL, &field),
	    BK_PARAMETRE_INVALIDE);
	assert_string_equal(field, "gearbox");
	assert_int_equal(svc_candidate_parse(&in, CFX_NEPH, "M", "L", "B",
			     "automatic", "pas-une-adresse", &field),
	    BK_PARAMETRE_INVALIDE);
	assert_string_equal(field, "email");
	/* 100 characters (200 bytes of "é") fit, 101 do not. */
	name[0] = '\0';
	for (i = 0; i < 100; i++)
		unit_append(name, sizeof(name), "é");
	assert_int_equal(svc_candidate_parse(&in, CFX_NEPH, name, "L", "B",
			     NULL, NULL, &field),
	    BK_OK);
	unit_append(name, sizeof(name), "é");
	assert_int_equal(svc_candidate_parse(&in, CFX_NEPH, name, "L", "B",
			     NULL, NULL, &field),
	    BK_PARAMETRE_INVALIDE);
	assert_string_equal(field, "last_name");
}

/* Does the file at path hold the bytes of needle? (-1: unreadable) */
static int
file_holds(const char *path, const char *needle)
{
	static char buf[4 * 1024 * 1024];
	size_t n = strlen(needle), i;
	ssize_t got;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return 0; /* no such file: holds nothing */
	got = read(fd, buf, sizeof(buf));
	close(fd);
	if (got < 0)
		return -1;
	for (i = 0; i + n <= (size_t)got; i++)
		if (memcmp(buf + i, needle, n) == 0)
			return 1;
	return 0;
}

static void
test_sealed_at_rest(void **state)
{
	struct candfx *x = *state;
	struct svc_candidate cand;
	char path[200];
	int64_t id;

	candfx_registry(x);
	id = candfx_id(x, CFX_NEPH, "B");
	assert_true(id > 0);
	/* Not in clear in the database nor in its write-ahead log. */
	assert_int_equal(file_holds(x->f->db, CFX_NEPH), 0);
	assert_int_equal(file_holds(x->f->db, "Martin"), 0);
	snprintf(path, sizeof(path), "%s-wal", x->f->db);
	assert_int_equal(file_holds(path, CFX_NEPH), 0);
	assert_int_equal(file_holds(path, "Martin"), 0);
	assert_int_equal(file_holds(path, "lea@exemple.fr"), 0);
	/* The control: the file does hold the blind index. */
	{
		char index[BLIND_INDEX_HEX];

		assert_int_equal(svc_candidate_neph_index(&x->s, CFX_NEPH,
				     index),
		    0);
		assert_true(file_holds(path, index) == 1 ||
		    file_holds(x->f->db, index) == 1);
	}
	/* Opened with the candidate's key. */
	assert_int_equal(svc_candidate_open(&x->s, store_conn(x->f->st), id,
			     &cand),
	    0);
	assert_string_equal(cand.neph, CFX_NEPH);
	assert_string_equal(cand.last_name, "Martin");
	assert_string_equal(cand.first_names, "Léa Marie");
	assert_string_equal(cand.email, "lea@exemple.fr");
	assert_string_equal(cand.gearbox, "manual");
	/* Another category of the same NEPH is another row. */
	{
		struct store_candidate row = { 0 };
		char index[BLIND_INDEX_HEX];

		assert_int_equal(svc_candidate_neph_index(&x->s, CFX_NEPH,
				     index),
		    0);
		assert_int_equal(store_candidate_find(x->f->st,
				     store_conn(x->f->st), index, "A", &row),
		    1);
		store_candidate_clear(&row);
	}
	/* Destroying the candidate's key erases the data for everyone. */
	assert_int_equal(svc_candidate_owner(id, path, sizeof(path)), 0);
	assert_string_equal(path, "subject:candidate:1");
	assert_int_equal(keystore_destroy(x->f->ks, path, FX_T0), 0);
	assert_int_equal(svc_candidate_open(&x->s, store_conn(x->f->st), id,
			     &cand),
	    1);
}

static int
count_one(void *arg, const struct svc_candidate *cand)
{
	(void)cand;
	(*(int *)arg)++;
	return 0;
}

static int
listed(struct candfx *x, int64_t school, const char *trainer)
{
	int n = 0;

	assert_int_equal(svc_candidates_list(&x->s, school, trainer,
			     FX_T0 + 1000, count_one, &n),
	    0);
	return n;
}

static void
create_mandate(struct candfx *x, const struct svc_actor *who, int64_t school,
    const char *neph, const char *last, const char *first)
{
	struct svc_mandate_claim claim = { neph, last, first, "B" };
	struct mandate m;

	assert_int_equal(svc_mandate_create(&x->s, who, school, &claim, FX_T0,
			     &m),
	    BK_OK);
}

static void
test_read_and_assign(void **state)
{
	struct candfx *x = *state;
	struct svc_candidate cand;
	char trainer[AUTH_ID_HEX], pw[ACCOUNT_TEMP_PW_LEN];
	int64_t lea, hugo;

	candfx_registry(x);
	lea = candfx_id(x, CFX_NEPH, "B");
	hugo = candfx_id(x, CFX_NEPH2, "B");
	authfx_account(x->f, "formation@dupont.example", "Fanny Formatrice",
	    "trainer", trainer, pw);
	/* No mandate yet: nothing to read, nothing to assign. */
	assert_int_equal(listed(x, x->school_a, NULL), 0);
	assert_int_equal(svc_candidate_get(&x->s, x->school_a, lea,
			     FX_T0 + 1000, &cand),
	    BK_CANDIDAT_INCONNU);
	assert_int_equal(svc_candidate_assign(&x->s, &x->who_a, x->school_a,
			     lea, trainer, FX_T0 + 1000),
	    BK_CANDIDAT_PAS_SOUS_MANDAT);
	create_mandate(x, &x->who_a, x->school_a, CFX_NEPH, "MARTIN",
	    " léa marie");
	create_mandate(x, &x->who_a, x->school_a, CFX_NEPH2, "Durand", "Hugo");
	assert_int_equal(listed(x, x->school_a, NULL), 2);
	assert_int_equal(listed(x, x->school_b, NULL), 0);
	assert_int_equal(listed(x, x->school_a, trainer), 0);
	assert_int_equal(svc_candidate_get(&x->s, x->school_a, lea,
			     FX_T0 + 1000, &cand),
	    BK_OK);
	assert_string_equal(cand.last_name, "Martin");
	assert_true(cand.mandate_id > 0);
	assert_string_equal(cand.trainer, "");
	/* Another school sees nothing of it. */
	assert_int_equal(svc_candidate_get(&x->s, x->school_b, lea,
			     FX_T0 + 1000, &cand),
	    BK_CANDIDAT_INCONNU);
	/* Only a trainer of the organisation can be assigned. */
	assert_int_equal(svc_candidate_assign(&x->s, &x->who_a, x->school_a,
			     lea, x->manager_a, FX_T0 + 1000),
	    BK_PARAMETRE_INVALIDE);
	assert_int_equal(svc_candidate_assign(&x->s, &x->who_a, x->school_a,
			     lea, "no-such-account", FX_T0 + 1000),
	    BK_PARAMETRE_INVALIDE);
	assert_int_equal(svc_candidate_assign(&x->s, &x->who_a, x->school_a,
			     lea, trainer, FX_T0 + 1000),
	    BK_OK);
	assert_int_equal(listed(x, x->school_a, trainer), 1);
	assert_int_equal(svc_candidate_get(&x->s, x->school_a, lea,
			     FX_T0 + 1000, &cand),
	    BK_OK);
	assert_string_equal(cand.trainer, trainer);
	assert_int_equal(svc_candidate_get(&x->s, x->school_a, hugo,
			     FX_T0 + 1000, &cand),
	    BK_OK);
	assert_string_equal(cand.trainer, "");
	assert_int_equal(authfx_rows(x->f,
			     "SELECT seq FROM audit_log WHERE action ="
			     " 'candidate.assign'"),
	    1);
}

static int
count_exam(void *arg, const struct store_candidate_exam *e)
{
	assert_string_equal(e->centre, "Centre de Nantes");
	assert_string_equal(e->status, "booked");
	(*(int *)arg)++;
	return 0;
}

static void
test_link_and_exams(void **state)
{
	struct candfx *x = *state;
	char cand_acc[AUTH_ID_HEX], pw[ACCOUNT_TEMP_PW_LEN], sql[512];
	int64_t ids[4], lea;
	size_t n = 9;
	int exams = 0;

	candfx_registry(x);
	lea = candfx_id(x, CFX_NEPH, "B");
	authfx_account(x->f, "lea@exemple.fr", "Léa Martin", "candidate",
	    cand_acc, pw);
	assert_int_equal(svc_candidates_of_account(&x->s, cand_acc, ids, 4, &n),
	    0);
	assert_int_equal(n, 0);
	assert_int_equal(svc_candidate_link_account(&x->s, lea, cand_acc), 0);
	assert_int_equal(svc_candidate_link_account(&x->s, 999, cand_acc), 1);
	assert_int_equal(svc_candidates_of_account(&x->s, cand_acc, ids, 4, &n),
	    0);
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], lea);
	snprintf(sql, sizeof(sql),
	    "INSERT INTO exam_centres (id, name, department, address,"
	    " created_at) VALUES (1, 'Centre de Nantes', '44', 'rue', 0);"
	    "INSERT INTO slots (id, centre_id, category, start_at, inspector,"
	    " published_at, state, created_at) VALUES (1, 1, 'B', %lld, 'i1',"
	    " 0, 'booked', 0);"
	    "INSERT INTO exams (slot_id, school_id, candidate_id, department,"
	    " category, start_at, month, status, created_at) VALUES (1, %lld,"
	    " %lld, '44', 'B', %lld, 202001, 'booked', 0);",
	    (long long)FX_T0, (long long)x->school_a, (long long)lea,
	    (long long)FX_T0);
	assert_int_equal(store_drv(x->f->st)->exec_script(store_conn(x->f->st),
			     sql),
	    0);
	assert_int_equal(svc_candidate_exams_of_account(&x->s, cand_acc,
			     count_exam, &exams),
	    0);
	assert_int_equal(exams, 1);
	/* Another account sees none. */
	exams = 0;
	assert_int_equal(svc_candidate_exams_of_account(&x->s, x->manager_a,
			     count_exam, &exams),
	    0);
	assert_int_equal(exams, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_birth_date_parse),
		cmocka_unit_test_setup_teardown(test_sealed_at_rest,
		    candfx_setup, candfx_teardown),
		cmocka_unit_test_setup_teardown(test_read_and_assign,
		    candfx_setup, candfx_teardown),
		cmocka_unit_test_setup_teardown(test_link_and_exams,
		    candfx_setup, candfx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
