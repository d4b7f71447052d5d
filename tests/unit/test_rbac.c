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

/* A grant counts only where a confirmed second factor was passed: a
 * candidate (no TOTP) lent journal.read does not read the journal. */
static void
test_grant_needs_a_passed_second_factor(void **state)
{
	struct rbac_subject s = who("c", "o", R(ROLE_CANDIDATE));

	(void)state;
	s.granted = (1ULL << PERM_JOURNAL_READ) | (1ULL << PERM_STAFF_MANAGE);
	s.mfa_enrolled = 0; /* a candidate signs in with a password only */
	assert_int_equal(rbac_decide(&s, PERM_JOURNAL_READ, NULL),
	    RBAC_FORBIDDEN);
	assert_int_equal(rbac_decide(&s, PERM_STAFF_MANAGE, NULL),
	    RBAC_FORBIDDEN);
	assert_int_equal(rbac_decide(&s, PERM_SELF, NULL), RBAC_ALLOW);
	s.mfa_enrolled = 1;
	assert_int_equal(rbac_decide(&s, PERM_JOURNAL_READ, NULL), RBAC_ALLOW);
}

static struct rbac_gift
grant_of(enum perm p, int staff, int mfa)
{
	struct rbac_gift g;

	memset(&g, 0, sizeof(g));
	g.is_grant = 1;
	g.perm = p;
	g.to_staff = staff;
	g.to_mfa = mfa;
	return g;
}

static struct rbac_gift
role_of(enum role r, int people)
{
	struct rbac_gift g;

	memset(&g, 0, sizeof(g));
	g.role = r;
	g.to_perms = rbac_role_perms(r);
	g.to_people = people;
	return g;
}

/* Issue item 1: staff permissions go to staff accounts with TOTP only. */
static void
test_gift_grant_requires_mfa(void **state)
{
	struct rbac_subject admin = who("a", "o", R(ROLE_SCHOOL_ADMIN));
	struct rbac_gift g;

	(void)state;
	g = grant_of(PERM_STAFF_MANAGE, 0, 0); /* a candidate */
	assert_int_equal(rbac_may_give(&admin, &g), RBAC_GIFT_REQUIRES_MFA);
	g = grant_of(PERM_JOURNAL_READ, 0, 1); /* a candidate with TOTP */
	assert_int_equal(rbac_may_give(&admin, &g), RBAC_GIFT_REQUIRES_MFA);
	g = grant_of(PERM_JOURNAL_READ, 1, 0); /* staff, not enrolled yet */
	assert_int_equal(rbac_may_give(&admin, &g), RBAC_GIFT_REQUIRES_MFA);
	g = grant_of(PERM_JOURNAL_READ, 1, 1);
	g.to_people = 1; /* in the people's place */
	assert_int_equal(rbac_may_give(&admin, &g), RBAC_GIFT_REQUIRES_MFA);
	g = grant_of(PERM_JOURNAL_READ, 1, 1);
	g.to_perms = rbac_role_perms(ROLE_TRAINER);
	assert_int_equal(rbac_may_give(&admin, &g), RBAC_GIFT_OK);
	assert_string_equal(rbac_gift_code(RBAC_GIFT_REQUIRES_MFA, 1),
	    "grant_requires_mfa");
	assert_null(rbac_gift_code(RBAC_GIFT_OK, 1));
	/* Every role that carries a permission requires TOTP. */
	{
		int r;

		for (r = 0; r < ROLE_COUNT; r++)
			if (rbac_role_perms((enum role)r) != 0)
				assert_true(
				    rbac_role_requires_mfa((enum role)r));
	}
}

/* Grants: only what one holds, never the DPO's oversight, never both
 * sides of a separation of duties. */
static void
test_gift_grant_held_and_separated(void **state)
{
	struct rbac_subject admin = who("a", "o", R(ROLE_SCHOOL_ADMIN));
	struct rbac_subject dpo = who("d", "o", R(ROLE_DPO));
	struct rbac_gift g;

	(void)state;
	g = grant_of(PERM_CANDIDATE_MANAGE, 1, 1);
	assert_int_equal(rbac_may_give(&admin, &g), RBAC_GIFT_NOT_HELD);
	g = grant_of(PERM_AUDIT_READ, 1, 1);
	assert_int_equal(rbac_may_give(&admin, &g), RBAC_GIFT_NOT_GRANTABLE);
	assert_int_equal(rbac_may_give(&dpo, &g), RBAC_GIFT_NOT_GRANTABLE);
	g = grant_of(PERM_RIGHTS_MANAGE, 1, 1);
	assert_int_equal(rbac_may_give(&admin, &g), RBAC_GIFT_NOT_GRANTABLE);
	g = grant_of(PERM_SESSION, 1, 1);
	assert_int_equal(rbac_may_give(&admin, &g), RBAC_GIFT_NOT_GRANTABLE);
	/* The supervisor who asks is not lent the approval. */
	g = grant_of(PERM_SLOT_APPROVE, 1, 1);
	g.to_perms = rbac_role_perms(ROLE_REGIONAL_SUPERVISOR);
	assert_int_equal(rbac_may_give(&admin, &g), RBAC_GIFT_SEPARATION);
	/* Nor is the DPO lent the administration of accounts. */
	g = grant_of(PERM_STAFF_MANAGE, 1, 1);
	g.to_perms = rbac_role_perms(ROLE_DPO);
	assert_int_equal(rbac_may_give(&admin, &g), RBAC_GIFT_SEPARATION);
	/* A permission lent without a passed second factor is not held. */
	admin.granted = 1ULL << PERM_PLANNING_READ;
	g = grant_of(PERM_PLANNING_READ, 1, 1);
	assert_int_equal(rbac_may_give(&admin, &g), RBAC_GIFT_OK);
	admin.mfa_done = 0;
	assert_int_equal(rbac_may_give(&admin, &g), RBAC_GIFT_NOT_HELD);
}

/* Issue item 2: the roles a school admin gives obey the same rule. */
static void
test_gift_roles(void **state)
{
	struct rbac_subject admin = who("a", "o", R(ROLE_SCHOOL_ADMIN));
	struct rbac_subject plat = who("p", "root", R(ROLE_PLATFORM_ADMIN));
	struct rbac_subject mgr = who("m", "o", R(ROLE_SCHOOL_MANAGER));
	struct rbac_gift g;
	int r;

	(void)state;
	for (r = 0; r < ROLE_COUNT; r++) {
		int school = r == ROLE_SCHOOL_ADMIN ||
		    r == ROLE_SCHOOL_MANAGER || r == ROLE_TRAINER;

		g = role_of((enum role)r, r == ROLE_CANDIDATE);
		assert_int_equal(rbac_may_give(&admin, &g),
		    school ? RBAC_GIFT_OK : RBAC_GIFT_NOT_GRANTABLE);
		assert_int_equal(rbac_may_give(&plat, &g), RBAC_GIFT_OK);
		assert_int_equal(rbac_may_give(&mgr, &g),
		    RBAC_GIFT_NOT_GRANTABLE);
		assert_int_equal(rbac_may_give(NULL, &g), RBAC_GIFT_OK);
	}
	g = role_of(ROLE_DPO, 0);
	assert_string_equal(rbac_gift_code(rbac_may_give(&admin, &g), 0),
	    "role_not_grantable");
	/* No role a school admin gives carries the DPO's oversight. */
	for (r = 0; r < ROLE_COUNT; r++) {
		g = role_of((enum role)r, 0);
		if (rbac_may_give(&admin, &g) == RBAC_GIFT_OK)
			assert_int_equal(rbac_role_perms((enum role)r) &
				((1ULL << PERM_AUDIT_READ) |
				    (1ULL << PERM_BREACH_MANAGE) |
				    (1ULL << PERM_RIGHTS_MANAGE)),
			    0);
	}
	/* Separation of duties on one account, even from the platform. */
	g = role_of(ROLE_DPO, 0);
	g.to_perms |= rbac_role_perms(ROLE_SCHOOL_ADMIN);
	assert_int_equal(rbac_may_give(&plat, &g), RBAC_GIFT_SEPARATION);
	assert_int_equal(rbac_may_give(NULL, &g), RBAC_GIFT_SEPARATION);
	g = role_of(ROLE_REGIONAL_SUPERVISOR, 0);
	g.to_perms |= rbac_role_perms(ROLE_SCHOOL_ADMIN);
	assert_int_equal(rbac_may_give(&plat, &g), RBAC_GIFT_SEPARATION);
	g = role_of(ROLE_DISPATCHER, 0);
	g.to_perms |= rbac_role_perms(ROLE_SCHOOL_MANAGER);
	assert_int_equal(rbac_may_give(&plat, &g), RBAC_GIFT_SEPARATION);
}

/* Issue item 3: candidates live in the people's place, staff never. */
static void
test_gift_place(void **state)
{
	struct rbac_subject plat = who("p", "root", R(ROLE_PLATFORM_ADMIN));
	struct rbac_subject admin = who("a", "o", R(ROLE_SCHOOL_ADMIN));
	struct rbac_gift g;

	(void)state;
	g = role_of(ROLE_CANDIDATE, 0);
	assert_int_equal(rbac_may_give(&plat, &g), RBAC_GIFT_WRONG_PLACE);
	assert_int_equal(rbac_may_give(NULL, &g), RBAC_GIFT_WRONG_PLACE);
	assert_int_equal(rbac_may_give(&admin, &g), RBAC_GIFT_NOT_GRANTABLE);
	g = role_of(ROLE_CANDIDATE, 1);
	assert_int_equal(rbac_may_give(&plat, &g), RBAC_GIFT_OK);
	g = role_of(ROLE_SCHOOL_ADMIN, 1);
	assert_int_equal(rbac_may_give(&plat, &g), RBAC_GIFT_WRONG_PLACE);
	assert_int_equal(rbac_may_give(NULL, &g), RBAC_GIFT_WRONG_PLACE);
	assert_string_equal(rbac_gift_code(RBAC_GIFT_WRONG_PLACE, 0),
	    "role_wrong_place");
	/* The DPO who answers the people's rights may live there. */
	g = role_of(ROLE_DPO, 1);
	assert_int_equal(rbac_may_give(&plat, &g), RBAC_GIFT_OK);
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
		cmocka_unit_test(test_grant_needs_a_passed_second_factor),
		cmocka_unit_test(test_gift_grant_requires_mfa),
		cmocka_unit_test(test_gift_grant_held_and_separated),
		cmocka_unit_test(test_gift_roles),
		cmocka_unit_test(test_gift_place),
		cmocka_unit_test(test_names_round_trip),
		cmocka_unit_test(test_docs_match_table),
		cmocka_unit_test(test_school_permissions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
