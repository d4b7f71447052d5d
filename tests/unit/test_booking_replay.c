/* test_booking_replay.c - src/booking/replay.c: the Idempotency-Key's
 * rule, and the compact text a validation's outcome is kept as (it must
 * read back exactly, and nothing else may be read). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "booking/replay.h"
#include "unit.h"

static void
test_key_rule(void **state)
{
	char k[REPLAY_KEY_MAX + 2];

	(void)state;
	assert_int_equal(replay_key_check("essai-0001"), 0);
	assert_int_equal(replay_key_check("A_b-9xyz"), 0); /* 8 */
	assert_int_equal(replay_key_check("A_b-9xy"), -1); /* 7 */
	memset(k, 'a', REPLAY_KEY_MAX);
	k[REPLAY_KEY_MAX] = '\0';
	assert_int_equal(replay_key_check(k), 0); /* 64 */
	k[REPLAY_KEY_MAX] = 'a';
	k[REPLAY_KEY_MAX + 1] = '\0';
	assert_int_equal(replay_key_check(k), -1); /* 65 */
	assert_int_equal(replay_key_check(NULL), -1);
	assert_int_equal(replay_key_check(""), -1);
	assert_int_equal(replay_key_check("essai 0001"), -1);
	assert_int_equal(replay_key_check("essai.0001"), -1);
	assert_int_equal(replay_key_check("essai/0001"), -1);
	assert_int_equal(replay_key_check("clé-00001"), -1);
	assert_int_equal(replay_key_check("essai-0001\n"), -1);
}

static void
test_round_trip(void **state)
{
	struct basket_result in[3] = {
		{ 12, 34, 1, BK_OK },
		{ 13, 0, 0, BK_SEUIL_ATTEINT },
		{ 9000000000000000000LL, 0, 0, BK_CANDIDAT_SOUS_PENALITE },
	};
	int64_t at[3] = { 0, 0, 1893456000000LL }, at2[BK_BASKET_CAP];
	struct basket_result out[BK_BASKET_CAP];
	char text[REPLAY_TEXT_MAX];
	size_t n, i;

	(void)state;
	assert_int_equal(replay_encode(in, at, 3, text, sizeof(text)), 0);
	assert_string_equal(text,
	    "12,34,1,OK,0;13,0,0,SEUIL_ATTEINT,0;"
	    "9000000000000000000,0,0,CANDIDAT_SOUS_PENALITE,1893456000000");
	assert_int_equal(replay_decode(text, out, at2, BK_BASKET_CAP, &n), 0);
	assert_int_equal(n, 3);
	for (i = 0; i < n; i++) {
		assert_int_equal(out[i].slot_id, in[i].slot_id);
		assert_int_equal(out[i].exam_id, in[i].exam_id);
		assert_int_equal(out[i].booked, in[i].booked);
		assert_int_equal(out[i].code, in[i].code);
		assert_int_equal(at2[i], at[i]);
	}
	/* No results: the empty text, read back as none. */
	assert_int_equal(replay_encode(in, at, 0, text, sizeof(text)), 0);
	assert_string_equal(text, "");
	assert_int_equal(replay_decode(text, out, at2, BK_BASKET_CAP, &n), 0);
	assert_int_equal(n, 0);
}

/* A full basket of the longest entries fits in REPLAY_TEXT_MAX. */
static void
test_full_basket_fits(void **state)
{
	struct basket_result in[BK_BASKET_CAP], out[BK_BASKET_CAP];
	int64_t at[BK_BASKET_CAP], at2[BK_BASKET_CAP];
	char text[REPLAY_TEXT_MAX];
	size_t i, n;

	(void)state;
	for (i = 0; i < BK_BASKET_CAP; i++) {
		in[i].slot_id = INT64_MAX;
		in[i].exam_id = INT64_MAX;
		in[i].booked = 0;
		in[i].code = BK_NOMBRE_DE_REMPLACEMENTS_AUTORISES_ATTEINT;
		at[i] = INT64_MAX;
	}
	assert_int_equal(replay_encode(in, at, BK_BASKET_CAP, text,
			     sizeof(text)),
	    0);
	assert_int_equal(replay_decode(text, out, at2, BK_BASKET_CAP, &n), 0);
	assert_int_equal(n, BK_BASKET_CAP);
	assert_int_equal(out[BK_BASKET_CAP - 1].exam_id, INT64_MAX);
	/* One more entry than the room given is refused. */
	assert_int_equal(replay_decode(text, out, at2, BK_BASKET_CAP - 1, &n),
	    -1);
}

static void
test_encode_refuses(void **state)
{
	struct basket_result in[1] = { { 12, 34, 1, BK_OK } };
	int64_t at[1] = { 0 };
	char text[8];

	(void)state;
	/* Too small: refused, and nothing half written is left. */
	assert_int_equal(replay_encode(in, at, 1, text, sizeof(text)), -1);
	assert_string_equal(text, "");
	in[0].code = BK_CODE_COUNT;
	assert_int_equal(replay_encode(in, at, 1, text, sizeof(text)), -1);
	in[0].code = BK_OK;
	in[0].exam_id = -1;
	assert_int_equal(replay_encode(in, at, 1, text, sizeof(text)), -1);
}

static void
test_decode_refuses(void **state)
{
	static const char *const bad[] = {
		"12,34,1,OK",
		"12,34,1,OK,0;",
		";12,34,1,OK,0",
		"12,34,1,OK,0;;13,0,0,SEUIL_ATTEINT,0",
		"12,34,2,OK,0",
		"12,34,1,ok,0",
		"12,34,1,INCONNU,0",
		"12,34,1,,0",
		"12,34,1,OK,0,5",
		"-12,34,1,OK,0",
		"+12,34,1,OK,0",
		"012,34,1,OK,0",
		"0,34,1,OK,0",
		"12,,1,OK,0",
		"12,34,1,OK,",
		"12,34,1,OK,0 ",
		"12 ,34,1,OK,0",
		"99999999999999999999,34,1,OK,0",
		"9223372036854775808,34,1,OK,0",
	};
	struct basket_result out[BK_BASKET_CAP];
	int64_t at[BK_BASKET_CAP];
	size_t i, n;

	(void)state;
	assert_int_equal(replay_decode(NULL, out, at, BK_BASKET_CAP, &n), -1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (replay_decode(bad[i], out, at, BK_BASKET_CAP, &n) != -1)
			fail_msg("read: \"%s\"", bad[i]);
	}
	/* The largest int64 reads. */
	assert_int_equal(replay_decode("9223372036854775807,1,1,OK,0", out, at,
			     BK_BASKET_CAP, &n),
	    0);
	assert_int_equal(out[0].slot_id, INT64_MAX);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_rule),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_full_basket_fits),
		cmocka_unit_test(test_encode_refuses),
		cmocka_unit_test(test_decode_refuses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
