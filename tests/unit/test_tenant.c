/* test_tenant.c - src/tenancy/tenant.c: who moves a client organisation
 * between its states, the floors of its settings, the retention ranges
 * of the data map; and src/notify/branding.c: its words in its emails. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gdpr/datamap.h"
#include "notify/branding.h"
#include "notify/texts.h"
#include "tenancy/tenant.h"

static void
test_transitions(void **state)
{
	enum tenant_state to;

	(void)state;
	assert_int_equal(tenant_next(TENANT_ACTIVE, TENANT_SUSPEND, &to), 0);
	assert_int_equal(to, TENANT_SUSPENDED);
	assert_int_equal(tenant_next(TENANT_SUSPENDED, TENANT_REACTIVATE, &to),
	    0);
	assert_int_equal(to, TENANT_ACTIVE);
	assert_int_equal(tenant_next(TENANT_ACTIVE, TENANT_TERMINATE, &to), 0);
	assert_int_equal(to, TENANT_TERMINATED);
	assert_int_equal(tenant_next(TENANT_SUSPENDED, TENANT_TERMINATE, &to),
	    0);
	assert_int_equal(tenant_next(TENANT_TERMINATED, TENANT_DELETE, &to), 0);
	assert_int_equal(to, TENANT_DELETED);
	/* What is refused, each with its sentence. */
	assert_int_equal(tenant_next(TENANT_SUSPENDED, TENANT_SUSPEND, &to),
	    -1);
	assert_int_equal(tenant_next(TENANT_ACTIVE, TENANT_REACTIVATE, &to),
	    -1);
	assert_int_equal(tenant_next(TENANT_TERMINATED, TENANT_REACTIVATE, &to),
	    -1);
	assert_int_equal(tenant_next(TENANT_TERMINATED, TENANT_TERMINATE, &to),
	    -1);
	assert_int_equal(tenant_next(TENANT_ACTIVE, TENANT_DELETE, &to), -1);
	assert_int_equal(tenant_next(TENANT_DELETED, TENANT_SUSPEND, &to), -1);
	assert_non_null(
	    strstr(tenant_refusal_text(TENANT_TERMINATED, TENANT_REACTIVATE),
		"résilié"));
	assert_non_null(
	    strstr(tenant_refusal_text(TENANT_DELETED, TENANT_DELETE),
		"supprimé"));
}

static void
test_state_names(void **state)
{
	enum tenant_state s;

	(void)state;
	assert_int_equal(tenant_state_parse("suspended", &s), 0);
	assert_int_equal(s, TENANT_SUSPENDED);
	assert_string_equal(tenant_state_name(TENANT_DELETED), "deleted");
	assert_int_equal(tenant_state_parse("paused", &s), -1);
	assert_int_equal(tenant_state_parse(NULL, &s), -1);
	assert_string_equal(tenant_action_name(TENANT_TERMINATE), "terminate");
}

static void
test_policy_floors(void **state)
{
	struct tenant_policy p;
	struct tenant_refusal r;

	(void)state;
	memset(&r, 0, sizeof(r));
	memset(&p, 0, sizeof(p));
	/* 0 everywhere: the product's own rules. */
	assert_int_equal(tenant_policy_check(&p, &r), 0);
	p.password_min_length = 12;
	p.password_max_age_days = 183;
	p.session_idle_minutes = 30;
	p.session_max_hours = 12;
	assert_int_equal(tenant_policy_check(&p, &r), 0);
	p.password_min_length = 11;
	assert_int_equal(tenant_policy_check(&p, &r), -1);
	assert_string_equal(r.field, "password_min_length");
	assert_non_null(strstr(r.text, "12 caractères"));
	p.password_min_length = 16;
	p.password_max_age_days = 184;
	assert_int_equal(tenant_policy_check(&p, &r), -1);
	assert_string_equal(r.field, "password_max_age_days");
	p.password_max_age_days = 90;
	p.session_idle_minutes = 31;
	assert_int_equal(tenant_policy_check(&p, &r), -1);
	assert_string_equal(r.field, "session_idle_minutes");
	p.session_idle_minutes = 4;
	assert_int_equal(tenant_policy_check(&p, &r), -1);
	p.session_idle_minutes = 10;
	p.session_max_hours = 13;
	assert_int_equal(tenant_policy_check(&p, &r), -1);
	assert_string_equal(r.field, "session_max_hours");
	p.session_max_hours = -1;
	assert_int_equal(tenant_policy_check(&p, &r), -1);
}

static void
test_session_lengths(void **state)
{
	struct tenant_policy p;

	(void)state;
	memset(&p, 0, sizeof(p));
	assert_int_equal(tenant_session_idle_ms(NULL, 1800000), 1800000);
	assert_int_equal(tenant_session_idle_ms(&p, 900000), 900000);
	p.session_idle_minutes = 20;
	assert_int_equal(tenant_session_idle_ms(&p, 1800000), 1200000);
	/* A public computer's shorter limit stays. */
	assert_int_equal(tenant_session_idle_ms(&p, 900000), 900000);
	p.session_max_hours = 8;
	assert_int_equal(tenant_session_max_ms(&p, 12 * 3600000LL),
	    8 * 3600000LL);
}

static void
test_texts(void **state)
{
	struct tenant_refusal r;
	char long_text[300];

	(void)state;
	memset(&r, 0, sizeof(r));
	assert_int_equal(tenant_text_check("mail_sender", NULL, 100, 0, &r), 0);
	assert_int_equal(tenant_text_check("mail_sender", "Les Tilleuls", 100,
			     0, &r),
	    0);
	assert_int_equal(tenant_text_check("mail_sender", "Les\nTilleuls", 100,
			     0, &r),
	    -1);
	assert_string_equal(r.field, "mail_sender");
	assert_int_equal(tenant_text_check("mail_signature", "A\nB\r\n", 100, 1,
			     &r),
	    0);
	assert_int_equal(tenant_text_check("mail_signature", "A\tB", 100, 1,
			     &r),
	    -1);
	memset(long_text, 'a', sizeof(long_text) - 1);
	long_text[sizeof(long_text) - 1] = '\0';
	assert_int_equal(tenant_text_check("display_name", long_text, 200, 0,
			     &r),
	    -1);
	assert_non_null(strstr(r.text, "200 octets"));
}

static const char map_text[] =
    "[controller]\nname = x\naddress = x\ncontact = x\ndpo = x\n"
    "[retention:audit_trail]\nlabel = x\nkind = time\n"
    "duration = 12 months\ntenant_min = 6 months\ntenant_max = 36 months\n"
    "[retention:fixed]\nlabel = x\nkind = time\nduration = 12 months\n";

static void
test_retention_ranges(void **state)
{
	struct tenant_refusal r;
	struct datamap *m;
	char err[256];

	(void)state;
	memset(&r, 0, sizeof(r));
	m = datamap_parse(map_text, strlen(map_text), err, sizeof(err));
	assert_non_null(m);
	assert_int_equal(tenant_retention_check(m, "audit_trail", 6, &r), 0);
	assert_int_equal(tenant_retention_check(m, "audit_trail", 36, &r), 0);
	assert_int_equal(tenant_retention_check(m, "audit_trail", 5, &r), -1);
	assert_string_equal(r.field, "retention.audit_trail");
	assert_non_null(strstr(r.text, "entre 6 et 36 mois"));
	assert_int_equal(tenant_retention_check(m, "audit_trail", 37, &r), -1);
	assert_int_equal(tenant_retention_check(m, "fixed", 12, &r), -1);
	assert_string_equal(r.field, "retention.fixed");
	assert_non_null(strstr(r.text, "n'est pas réglable"));
	assert_int_equal(tenant_retention_check(m, "nope", 12, &r), -1);
	datamap_free(m);
}

/* Reads the project's data map, to which a test adds a section. */
static char *
project_map(size_t *n)
{
	FILE *f = fopen("config/datamap.ini", "r");
	char *text = malloc(300 * 1024);

	assert_non_null(f);
	assert_non_null(text);
	*n = fread(text, 1, 300 * 1024 - 1024, f);
	fclose(f);
	return text;
}

static void
test_retention_range_validated(void **state)
{
	static const char *const bad[] = {
		/* one end only */
		"\n[retention:a]\nlabel = x\nkind = time\n"
		"duration = 12 months\ntenant_min = 6 months\n",
		/* the default outside */
		"\n[retention:a]\nlabel = x\nkind = time\n"
		"duration = 12 months\ntenant_min = 13 months\n"
		"tenant_max = 24 months\n",
		/* longer than the default: the engine purges at it */
		"\n[retention:a]\nlabel = x\nkind = time\n"
		"duration = 12 months\ntenant_min = 6 months\n"
		"tenant_max = 24 months\n",
		/* another unit */
		"\n[retention:a]\nlabel = x\nkind = time\n"
		"duration = 12 months\ntenant_min = 30 days\n"
		"tenant_max = 24 months\n",
		/* not a period */
		"\n[retention:a]\nlabel = x\nkind = event\nevent = e\n"
		"event_label = la fin\n"
		"duration = 12 months\ntenant_min = 6 months\n"
		"tenant_max = 12 months\n",
	};
	char err[256], *text;
	struct datamap *m;
	size_t i, n;

	(void)state;
	text = project_map(&n);
	m = datamap_parse(text, n, err, sizeof(err));
	assert_non_null(m);
	assert_int_equal(datamap_validate(m, err, sizeof(err)), 0);
	datamap_free(m);
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		memcpy(text + n, bad[i], strlen(bad[i]));
		m = datamap_parse(text, n + strlen(bad[i]), err, sizeof(err));
		assert_non_null(m);
		assert_int_equal(datamap_validate(m, err, sizeof(err)), -1);
		assert_non_null(strstr(err, "tenant_min"));
		datamap_free(m);
	}
	free(text);
}

static void
test_branding(void **state)
{
	char subject[NOTIFY_SUBJECT_MAX + 1] = "Votre organisme est suspendu";
	char *body = NULL;
	size_t n;

	(void)state;
	assert_int_equal(notify_text("tenant.suspended", NULL, subject,
			     sizeof(subject), &body),
	    0);
	assert_int_equal(notify_brand_apply("Les Tilleuls",
			     "L'équipe des Tilleuls", subject, sizeof(subject),
			     &body),
	    0);
	assert_string_equal(subject,
	    "Les Tilleuls : Votre organisme est suspendu");
	/* The signature comes before the product's footer. */
	assert_non_null(strstr(body, "L'équipe des Tilleuls\n\n-- \n"));
	n = strlen(body);
	assert_string_equal(body + n - strlen(notify_text_footer),
	    notify_text_footer);
	free(body);
	/* No branding: the product's words. */
	body = NULL;
	assert_int_equal(notify_brand_apply(NULL, NULL, subject,
			     sizeof(subject), &body),
	    0);
}

/* Deletion is due only for a terminated tenant whose date has come:
 * never before, never for another state, never without a date. */
static void
test_deletion_due(void **state)
{
	(void)state;
	assert_false(tenant_deletion_due(TENANT_TERMINATED, 1000, 999));
	assert_true(tenant_deletion_due(TENANT_TERMINATED, 1000, 1000));
	assert_true(tenant_deletion_due(TENANT_TERMINATED, 1000, 5000));
	assert_false(tenant_deletion_due(TENANT_TERMINATED, 0, 5000));
	assert_false(tenant_deletion_due(TENANT_ACTIVE, 1000, 5000));
	assert_false(tenant_deletion_due(TENANT_SUSPENDED, 1000, 5000));
	assert_false(tenant_deletion_due(TENANT_DELETED, 1000, 5000));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_transitions),
		cmocka_unit_test(test_state_names),
		cmocka_unit_test(test_policy_floors),
		cmocka_unit_test(test_session_lengths),
		cmocka_unit_test(test_texts),
		cmocka_unit_test(test_retention_ranges),
		cmocka_unit_test(test_retention_range_validated),
		cmocka_unit_test(test_branding),
		cmocka_unit_test(test_deletion_due),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
