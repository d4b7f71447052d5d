/* test_rbac.c - src/auth/rbac.c: the decision function, the separation of
 * duties of PRODUCT.md, and docs/permissions.md kept equal to the table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "auth/rbac.h"
#include "unit.h"

static struct rbac_subject
who(const char *id, const char *org, uint32_t roles)
{
	struct rbac_subject s;

	memset(&s, 0, sizeof(s));
	s.account_id = id;
	s.org_id = org;
	s.roles = roles;
	s.mfa_done = 1;
	s.mfa_enrolled = 1;
	return s;
}

#define R(x) (1u << (x))

static void
test_anonymous(void **state)
{
	(void)state;
	assert_int_equal(rbac_decide(NULL, PERM_PUBLIC, NULL), RBAC_ALLOW);
	assert_int_equal(rbac_decide(NULL, PERM_SESSION, NULL),
	    RBAC_UNAUTHENTICATED);
	assert_int_equal(rbac_decide(NULL, PERM_SELF, NULL),
	    RBAC_UNAUTHENTICATED);
}

static void
test_mfa_and_temporary_password_first(void **state)
{
	struct rbac_subject s = who("a", "o", R(ROLE_SCHOOL_MANAGER));

	(void)state;
	s.mfa_done = 0;
	assert_int_equal(rbac_decide(&s, PERM_SESSION, NULL), RBAC_ALLOW);
	assert_int_equal(rbac_decide(&s, PERM_CANDIDATE_READ, NULL),
	    RBAC_MFA_REQUIRED);
	assert_int_equal(rbac_decide(&s, PERM_SELF, NULL), RBAC_MFA_REQUIRED);
	s.mfa_done = 1;
	s.password_temporary = 1;
	assert_int_equal(rbac_decide(&s, PERM_CANDIDATE_READ, NULL),
	    RBAC_PASSWORD_CHANGE);
	/* A candidate without TOTP needs no MFA. */
	s = who("c", "o", R(ROLE_CANDIDATE));
	s.mfa_done = 0;
	s.mfa_enrolled = 0;
	assert_int_equal(rbac_decide(&s, PERM_SELF, NULL), RBAC_ALLOW);
	/* But one who enrolled must use it. */
	s.mfa_enrolled = 1;
	assert_int_equal(rbac_decide(&s, PERM_SELF, NULL), RBAC_MFA_REQUIRED);
}

static void
test_separation_of_duties(void **state)
{
	struct rbac_subject admin = who("a", "o", R(ROLE_SCHOOL_ADMIN));
	struct rbac_subject mgr = who("m", "o", R(ROLE_SCHOOL_MANAGER));
	struct rbac_subject sup = who("s", "o", R(ROLE_REGIONAL_SUPERVISOR));
	struct rbac_subject plat = who("p", "root", R(ROLE_PLATFORM_ADMIN));

	(void)state;
	assert_int_equal(rbac_decide(&admin, PERM_STAFF_MANAGE, NULL),
	    RBAC_ALLOW);
	assert_int_equal(rbac_decide(&admin, PERM_CANDIDATE_ASSIGN, NULL),
	    RBAC_FORBIDDEN);
	assert_int_equal(rbac_decide(&mgr, PERM_CANDIDATE_ASSIGN, NULL),
	    RBAC_ALLOW);
	assert_int_equal(rbac_decide(&mgr, PERM_STAFF_MANAGE, NULL),
	    RBAC_FORBIDDEN);
	assert_int_equal(rbac_decide(&sup, PERM_SLOT_REQUEST, NULL),
	    RBAC_ALLOW);
	assert_int_equal(rbac_decide(&sup, PERM_SLOT_APPROVE, NULL),
	    RBAC_FORBIDDEN);
	assert_int_equal(rbac_decide(&admin, PERM_SLOT_APPROVE, NULL),
	    RBAC_ALLOW);
	assert_int_equal(rbac_decide(&sup, PERM_CANDIDATE_READ, NULL),
	    RBAC_FORBIDDEN);
	/* The platform admin never reads candidates. */
	assert_int_equal(rbac_decide(&plat, PERM_CANDIDATE_READ, NULL),
	    RBAC_FORBIDDEN);
}

static void
test_scope(void **state)
{
	struct rbac_subject mgr = who("m", "o1", R(ROLE_SCHOOL_MANAGER));
	struct rbac_subject tr = who("t", "o1", R(ROLE_TRAINER));
	struct rbac_subject plat = who("p", "root", R(ROLE_PLATFORM_ADMIN));
	struct rbac_target mine = { "o1", 0, NULL }, other = { "o2", 1, NULL };
	struct rbac_target assigned = { "o1", 1, NULL };
	struct rbac_target self = { NULL, 0, "m" }, them = { NULL, 0, "x" };

	(void)state;
	assert_int_equal(rbac_decide(&mgr, PERM_CANDIDATE_READ, &mine),
	    RBAC_ALLOW);
	/* Another organisation's record does not exist for the caller. */
	assert_int_equal(rbac_decide(&mgr, PERM_CANDIDATE_READ, &other),
	    RBAC_NOT_FOUND);
	/* A trainer reads assigned candidates only. */
	assert_int_equal(rbac_decide(&tr, PERM_CANDIDATE_READ, &mine),
	    RBAC_NOT_FOUND);
	assert_int_equal(rbac_decide(&tr, PERM_CANDIDATE_READ, &assigned),
	    RBAC_ALLOW);
	assert_int_equal(rbac_decide(&tr, PERM_CANDIDATE_MANAGE, &assigned),
	    RBAC_FORBIDDEN);
	assert_int_equal(rbac_decide(&mgr, PERM_SELF, &self), RBAC_ALLOW);
	assert_int_equal(rbac_decide(&mgr, PERM_SELF, &them), RBAC_NOT_FOUND);
	assert_int_equal(rbac_decide(&plat, PERM_STAFF_MANAGE, &other),
	    RBAC_ALLOW);
}

static void
test_temporary_grant(void **state)
{
	struct rbac_subject s = who("a", "o", R(ROLE_SCHOOL_MANAGER));

	(void)state;
	assert_int_equal(rbac_decide(&s, PERM_JOURNAL_READ, NULL),
	    RBAC_FORBIDDEN);
	s.granted = 1ULL << PERM_JOURNAL_READ;
	assert_int_equal(rbac_decide(&s, PERM_JOURNAL_READ, NULL), RBAC_ALLOW);
}

static void
test_names_round_trip(void **state)
{
	int i;
	enum role r;
	enum perm p;

	(void)state;
	for (i = 0; i < ROLE_COUNT; i++) {
		assert_non_null(rbac_role_name((enum role)i));
		assert_int_equal(rbac_role_parse(rbac_role_name((enum role)i),
				     &r),
		    0);
		assert_int_equal(r, i);
	}
	for (i = 0; i < PERM_COUNT; i++) {
		assert_int_equal(rbac_perm_parse(rbac_perm_name((enum perm)i),
				     &p),
		    0);
		assert_int_equal(p, i);
	}
	assert_int_equal(rbac_role_parse("root", &r), -1);
}

static void
test_docs_match_table(void **state)
{
	static char want[16384], have[16384];
	FILE *f = fopen("docs/permissions.md", "r");
	size_t n;

	(void)state;
	assert_true(rbac_markdown(want, sizeof(want)) > 0);
	if (f == NULL)
		fail_msg("docs/permissions.md is missing: run `creneau "
			 "permissions > docs/permissions.md`");
	n = fread(have, 1, sizeof(have) - 1, f);
	have[n] = '\0';
	fclose(f);
	if (strcmp(want, have) != 0)
		fail_msg(
		    "docs/permissions.md differs from src/auth/rbac.c: run "
		    "`build/creneau permissions > docs/permissions.md`");
}
/* The school-side API (under the rate limits): permissions only school
 * roles grant. */
static void
test_school_permissions(void **state)
{
	(void)state;
	assert_true(rbac_perm_is_school(PERM_CANDIDATE_READ));
	assert_true(rbac_perm_is_school(PERM_CANDIDATE_MANAGE));
	assert_true(rbac_perm_is_school(PERM_CANDIDATE_ASSIGN));
	assert_true(rbac_perm_is_school(PERM_SLOT_APPROVE));
	assert_true(rbac_perm_is_school(PERM_GRANT_MANAGE));
	assert_true(rbac_perm_is_school(PERM_SESSIONS_MANAGE));
	/* Shared with other roles, or nobody's own. */
	assert_false(rbac_perm_is_school(PERM_PLANNING_READ));
	assert_false(rbac_perm_is_school(PERM_STAFF_MANAGE));
	assert_false(rbac_perm_is_school(PERM_JOURNAL_READ));
	assert_false(rbac_perm_is_school(PERM_EXAM_AUTHORITY));
	assert_false(rbac_perm_is_school(PERM_SLOT_REQUEST));
	assert_false(rbac_perm_is_school(PERM_SELF));
	assert_false(rbac_perm_is_school(PERM_SESSION));
	assert_false(rbac_perm_is_school(PERM_PUBLIC));
	assert_false(rbac_perm_is_school(PERM_COUNT));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_anonymous),
		cmocka_unit_test(test_mfa_and_temporary_password_first),
		cmocka_unit_test(test_separation_of_duties),
		cmocka_unit_test(test_scope),
		cmocka_unit_test(test_temporary_grant),
		cmocka_unit_test(test_names_round_trip),
		cmocka_unit_test(test_docs_match_table),
		cmocka_unit_test(test_school_permissions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
