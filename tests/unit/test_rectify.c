/* test_rectify.c - self-service rectification of the display name. */
#include <string.h>

#include "authfx.h"
#include "gdpr/rectify.h"

static void
test_rectify(void **state)
{
	struct authfx *f = *state;
	struct account_info info;
	char id[AUTH_ID_HEX], pw[ACCOUNT_TEMP_PW_LEN], why[256] = "";

	authfx_account(f, "r@exemple.fr", "Rémi Dupond", "trainer", id, pw);
	assert_int_equal(rectify_display_name(&f->a, id, "Rémi Dupont",
			     FX_T0 + 1, "192.0.2.1", why, sizeof(why)),
	    0);
	memset(&info, 0, sizeof(info));
	assert_int_equal(account_read(&f->a, id, &info), 0);
	assert_string_equal(info.display_name, "Rémi Dupont");
	account_info_clear(&info);
	/* Audited, the values never in clear. */
	assert_int_equal(authfx_rows(f,
			     "SELECT 1 FROM audit_log WHERE action = "
			     "'rights.rectify'"),
	    1);
	assert_int_equal(authfx_rows(f,
			     "SELECT 1 FROM accounts WHERE "
			     "instr(display_name, 'Dupont') > 0"),
	    0);
	/* The rule of account creation applies. */
	assert_int_equal(rectify_display_name(&f->a, id, "   ", FX_T0 + 2, NULL,
			     why, sizeof(why)),
	    1);
	assert_non_null(strstr(why, "display_name"));
	assert_int_equal(rectify_display_name(&f->a,
			     "00000000000000000000000000000000", "Nom",
			     FX_T0 + 3, NULL, why, sizeof(why)),
	    1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rectify, authfx_setup,
		    authfx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
