/* test_breach.c - the breach register: clock, texts, storage, audit. */
#include <string.h>

#include "authfx.h"
#include "gdpr/breach.h"

#define H BREACH_HOUR_MS

/* A complete low-risk incident discovered at FX_T0. */
static void
sample(struct breach *b, const char *org)
{
	breach_init(b);
	snprintf(b->org_id, sizeof(b->org_id), "%s", org);
	b->discovered_at = FX_T0;
	b->people_count = 120;
	b->records_count = 340;
	snprintf(b->text[BT_NATURE], BREACH_TEXT_MAX, "Perte d'un portable");
	snprintf(b->text[BT_PEOPLE_CATEGORIES], BREACH_TEXT_MAX, "Candidats");
	snprintf(b->text[BT_RECORD_CATEGORIES], BREACH_TEXT_MAX,
	    "Noms et NEPH");
	snprintf(b->text[BT_CONSEQUENCES], BREACH_TEXT_MAX,
	    "Usurpation possible");
	snprintf(b->text[BT_MEASURES], BREACH_TEXT_MAX,
	    "Effacement à distance");
	snprintf(b->text[BT_CONTACT], BREACH_TEXT_MAX, "dpo@exemple.fr");
}

static void
test_clock(void **state)
{
	struct breach b;
	struct breach_clock k;

	(void)state;
	sample(&b, "o");
	breach_clock(&b, FX_T0 + 10 * H, &k);
	assert_int_equal(k.deadline_ms, FX_T0 + 72 * H);
	assert_int_equal(k.hours_left, 62);
	assert_false(k.overdue);
	assert_int_equal(k.state, BREACH_PENDING);
	breach_clock(&b, FX_T0 + 72 * H, &k);
	assert_false(k.overdue);
	assert_int_equal(k.hours_left, 0);
	assert_int_equal(k.state, BREACH_PENDING);
	breach_clock(&b, FX_T0 + 72 * H + 1, &k);
	assert_true(k.overdue);
	assert_int_equal(k.hours_overdue, 1);
	assert_int_equal(k.state, BREACH_OVERDUE);
	b.notified_at = FX_T0 + 80 * H;
	breach_clock(&b, FX_T0 + 90 * H, &k);
	assert_int_equal(k.state, BREACH_NOTIFIED);
	assert_true(k.notified_late);
	b.notified_at = 0;
	snprintf(b.text[BT_NO_NOTIFY_REASON], BREACH_TEXT_MAX, "Chiffré");
	breach_clock(&b, FX_T0 + 90 * H, &k);
	assert_int_equal(k.state, BREACH_NOT_NOTIFIED);
	assert_string_equal(breach_state_name(k.state), "not_notified");
}

static void
test_check(void **state)
{
	struct breach b;
	char why[BREACH_WHY_MAX];
	int i;

	(void)state;
	sample(&b, "o");
	assert_int_equal(breach_check(&b, FX_T0, why, sizeof(why)), 0);
	for (i = 0; i < BT_NO_NOTIFY_REASON; i++) {
		sample(&b, "o");
		b.text[i][0] = '\0';
		assert_int_equal(breach_check(&b, FX_T0, why, sizeof(why)), -1);
		assert_non_null(strstr(why, breach_text_name(i)));
	}
	sample(&b, "o");
	assert_int_equal(breach_check(&b, FX_T0 - H, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "discovered_at"));
	sample(&b, "o");
	b.high_risk = 1;
	snprintf(b.text[BT_NO_NOTIFY_REASON], BREACH_TEXT_MAX, "x");
	assert_int_equal(breach_check(&b, FX_T0, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "no_notification_reason"));
}

static void
test_texts(void **state)
{
	struct breach b;
	struct buf out;
	char why[BREACH_WHY_MAX] = "";
	int i;

	(void)state;
	sample(&b, "o");
	buf_init(&out, BREACH_TEXT_OUT_MAX);
	assert_int_equal(breach_cnil_text(&b, &out), 0);
	for (i = 0; i < BT_NO_NOTIFY_REASON; i++)
		assert_non_null(strstr(out.data, b.text[i]));
	assert_non_null(strstr(out.data, "120"));
	assert_non_null(strstr(out.data, "340"));
	assert_non_null(strstr(out.data, "Délégué à la protection"));
	assert_non_null(strstr(out.data, "Conséquences probables"));
	assert_non_null(strstr(out.data, "Mesures prises"));
	/* Paris time, as the pages show it (2030-01-01T00:00Z is 01:00). */
	assert_non_null(
	    strstr(out.data, "01/01/2030 à 01:00 (heure de Paris)"));
	assert_null(strstr(out.data, "UTC"));
	buf_reset(&out);
	/* Low risk: no notice, with the reason. */
	assert_int_equal(breach_notice_text(&b, &out, why, sizeof(why)), 1);
	assert_non_null(strstr(why, "34"));
	b.high_risk = 1;
	assert_int_equal(breach_notice_text(&b, &out, why, sizeof(why)), 0);
	for (i = 0; i < BT_NO_NOTIFY_REASON; i++)
		if (i != BT_PEOPLE_CATEGORIES)
			assert_non_null(strstr(out.data, b.text[i]));
	assert_non_null(strstr(out.data, "Ce que vous pouvez faire"));
	buf_reset(&out);
	/* An empty item: no text at all. */
	b.text[BT_MEASURES][0] = '\0';
	assert_int_equal(breach_cnil_text(&b, &out), -1);
	assert_int_equal(breach_notice_text(&b, &out, why, sizeof(why)), -1);
	buf_free(&out);
}

static int
count_one(void *arg, const struct breach *b)
{
	(void)b;
	(*(int *)arg)++;
	return 0;
}

static void
test_store(void **state)
{
	struct authfx *f = *state;
	struct breach b, got;
	struct breach_change ch;
	char why[BREACH_WHY_MAX] = "";
	int n = 0;

	sample(&b, f->org);
	assert_int_equal(breach_open(&f->a, NULL, &b, FX_T0 + H, why,
			     sizeof(why)),
	    0);
	assert_int_equal(breach_get(&f->a, b.id, &got), 0);
	assert_string_equal(got.text[BT_NATURE], "Perte d'un portable");
	assert_int_equal(got.people_count, 120);
	/* Sealed at rest. */
	assert_int_equal(
	    authfx_rows(f,
		"SELECT 1 FROM breaches WHERE CAST(details AS TEXT)"
		" LIKE '%portable%'"),
	    0);
	/* Updates, each audited. */
	breach_change_init(&ch);
	ch.text[BT_MEASURES] = "Mots de passe changés";
	ch.notified = 1;
	assert_int_equal(breach_update(&f->a, NULL, f->org, b.id, &ch,
			     FX_T0 + 2 * H, &got, why, sizeof(why)),
	    0);
	assert_int_equal(got.notified_at, FX_T0 + 2 * H);
	assert_string_equal(got.text[BT_MEASURES], "Mots de passe changés");
	/* A decision not to notify now contradicts the notification. */
	breach_change_init(&ch);
	ch.text[BT_NO_NOTIFY_REASON] = "Données chiffrées";
	assert_int_equal(breach_update(&f->a, NULL, f->org, b.id, &ch,
			     FX_T0 + 3 * H, NULL, why, sizeof(why)),
	    2);
	assert_non_null(strstr(why, "no_notification_reason"));
	/* Another organisation does not see it. */
	assert_int_equal(breach_update(&f->a, NULL, "other", b.id, &ch,
			     FX_T0 + 3 * H, NULL, why, sizeof(why)),
	    1);
	assert_int_equal(authfx_rows(f,
			     "SELECT 1 FROM audit_log WHERE action ="
			     " 'breach.open'"),
	    1);
	assert_int_equal(authfx_rows(f,
			     "SELECT 1 FROM audit_log WHERE action ="
			     " 'breach.update'"),
	    1);
	assert_int_equal(breach_list(&f->a, f->org, count_one, &n), 0);
	assert_int_equal(n, 1);
	/* Nothing deletes an incident, not even SQL. */
	assert_int_not_equal(store_drv(f->st)->exec(store_conn(f->st),
				 "DELETE FROM breaches", NULL, 0, NULL, NULL),
	    0);
	assert_int_equal(authfx_rows(f, "SELECT 1 FROM breaches"), 1);
	breach_clear(&got);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clock),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_texts),
		cmocka_unit_test_setup_teardown(test_store, authfx_setup,
		    authfx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
