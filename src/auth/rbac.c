/* rbac.c - the role x permission table and the decision function. */
#include "auth/rbac.h"

#include <stdio.h>
#include <string.h>

static const char *const role_names[ROLE_COUNT] = {
	[ROLE_PLATFORM_ADMIN] = "platform_admin",
	[ROLE_DPO] = "dpo",
	[ROLE_SCHOOL_ADMIN] = "school_admin",
	[ROLE_SCHOOL_MANAGER] = "school_manager",
	[ROLE_TRAINER] = "trainer",
	[ROLE_REGIONAL_SUPERVISOR] = "regional_supervisor",
	[ROLE_DISPATCHER] = "dispatcher",
	[ROLE_AGENT] = "agent",
	[ROLE_VALIDATOR] = "validator",
	[ROLE_CANDIDATE] = "candidate",
};

static const char *const perm_names[PERM_COUNT] = {
	[PERM_PUBLIC] = "public",
	[PERM_SESSION] = "session",
	[PERM_SELF] = "self",
	[PERM_ORG_MANAGE] = "org.manage",
	[PERM_STAFF_MANAGE] = "staff.manage",
	[PERM_STAFF_READ] = "staff.read",
	[PERM_GRANT_MANAGE] = "grant.manage",
	[PERM_SESSIONS_MANAGE] = "sessions.manage",
	[PERM_JOURNAL_READ] = "journal.read",
	[PERM_AUDIT_READ] = "audit.read",
	[PERM_REGISTER_READ] = "register.read",
	[PERM_CANDIDATE_READ] = "candidate.read",
	[PERM_CANDIDATE_MANAGE] = "candidate.manage",
	[PERM_CANDIDATE_ASSIGN] = "candidate.assign",
	[PERM_SLOT_REQUEST] = "slot.request",
	[PERM_SLOT_APPROVE] = "slot.approve",
	[PERM_PLANNING_READ] = "planning.read",
	[PERM_EXAM_AUTHORITY] = "exam.authority",
	[PERM_BREACH_MANAGE] = "breach.manage",
	[PERM_RIGHTS_MANAGE] = "rights.manage",
};

#define P(x) (1ULL << (x))

/*
 * What each role may do, from PRODUCT.md. Separation of duties shows here:
 * school_admin manages accounts but does not assign candidates; only
 * school_manager assigns; the supervisor only requests slot changes,
 * which school_admin approves; platform_admin never reads candidates.
 */
static const uint64_t role_perms[ROLE_COUNT] = {
	[ROLE_PLATFORM_ADMIN] =
	    P(PERM_ORG_MANAGE) | P(PERM_STAFF_MANAGE) | P(PERM_STAFF_READ),
	[ROLE_DPO] = P(PERM_AUDIT_READ) | P(PERM_JOURNAL_READ) |
	    P(PERM_STAFF_READ) | P(PERM_REGISTER_READ) | P(PERM_BREACH_MANAGE) |
	    P(PERM_RIGHTS_MANAGE),
	[ROLE_SCHOOL_ADMIN] = P(PERM_STAFF_MANAGE) | P(PERM_STAFF_READ) |
	    P(PERM_GRANT_MANAGE) | P(PERM_SESSIONS_MANAGE) |
	    P(PERM_JOURNAL_READ) | P(PERM_SLOT_APPROVE),
	[ROLE_SCHOOL_MANAGER] = P(PERM_CANDIDATE_READ) |
	    P(PERM_CANDIDATE_MANAGE) | P(PERM_CANDIDATE_ASSIGN) |
	    P(PERM_PLANNING_READ),
	[ROLE_TRAINER] = P(PERM_CANDIDATE_READ),
	[ROLE_REGIONAL_SUPERVISOR] =
	    P(PERM_PLANNING_READ) | P(PERM_SLOT_REQUEST),
	[ROLE_DISPATCHER] = P(PERM_EXAM_AUTHORITY),
	[ROLE_AGENT] = 0,
	[ROLE_VALIDATOR] = 0,
	[ROLE_CANDIDATE] = 0,
};

/* Permissions that reach across organisations for these roles. */
static const uint64_t cross_org[ROLE_COUNT] = {
	[ROLE_PLATFORM_ADMIN] =
	    P(PERM_ORG_MANAGE) | P(PERM_STAFF_MANAGE) | P(PERM_STAFF_READ),
};

/* Every authenticated account may act on itself. */
static const uint64_t everyone = P(PERM_SESSION) | P(PERM_SELF);

const char *
rbac_role_name(enum role r)
{
	return (unsigned)r < ROLE_COUNT ? role_names[r] : NULL;
}

int
rbac_role_parse(const char *s, enum role *out)
{
	int i;

	for (i = 0; i < ROLE_COUNT; i++)
		if (strcmp(role_names[i], s) == 0) {
			*out = (enum role)i;
			return 0;
		}
	return -1;
}

const char *
rbac_perm_name(enum perm p)
{
	return (unsigned)p < PERM_COUNT ? perm_names[p] : NULL;
}

int
rbac_perm_parse(const char *s, enum perm *out)
{
	int i;

	for (i = 0; i < PERM_COUNT; i++)
		if (strcmp(perm_names[i], s) == 0) {
			*out = (enum perm)i;
			return 0;
		}
	return -1;
}

int
rbac_role_has(enum role r, enum perm p)
{
	if ((unsigned)r >= ROLE_COUNT || (unsigned)p >= PERM_COUNT)
		return 0;
	if (p == PERM_PUBLIC)
		return 1;
	return ((role_perms[r] | everyone) & P(p)) != 0;
}

int
rbac_perm_is_school(enum perm p)
{
	const uint64_t school = role_perms[ROLE_SCHOOL_ADMIN] |
	    role_perms[ROLE_SCHOOL_MANAGER] | role_perms[ROLE_TRAINER];
	uint64_t others = everyone;
	int r;

	if ((unsigned)p >= PERM_COUNT || p == PERM_PUBLIC)
		return 0;
	for (r = 0; r < ROLE_COUNT; r++)
		if (r != ROLE_SCHOOL_ADMIN && r != ROLE_SCHOOL_MANAGER &&
		    r != ROLE_TRAINER)
			others |= role_perms[r];
	return (school & P(p)) != 0 && (others & P(p)) == 0;
}

int
rbac_role_requires_mfa(enum role r)
{
	/* Every staff role; people managing their own data only do not. */
	return r != ROLE_CANDIDATE;
}

enum rbac_decision
rbac_decide(const struct rbac_subject *s, enum perm p,
    const struct rbac_target *t)
{
	uint64_t mine = 0, cross = 0;
	int r, needs_mfa = 0, only_trainer = 1;

	if (p == PERM_PUBLIC)
		return RBAC_ALLOW;
	if (s == NULL || s->account_id == NULL)
		return RBAC_UNAUTHENTICATED;
	if (p == PERM_SESSION)
		return RBAC_ALLOW;
	for (r = 0; r < ROLE_COUNT; r++) {
		if (!(s->roles & (1u << r)))
			continue;
		mine |= role_perms[r];
		cross |= cross_org[r];
		if (rbac_role_requires_mfa((enum role)r))
			needs_mfa = 1;
		if (r != ROLE_TRAINER &&
		    (role_perms[r] & P(PERM_CANDIDATE_READ)))
			only_trainer = 0;
	}
	if (s->granted & P(PERM_CANDIDATE_READ))
		only_trainer = 0;
	mine |= everyone | s->granted;
	if ((needs_mfa || s->mfa_enrolled) && !s->mfa_done)
		return RBAC_MFA_REQUIRED;
	if (s->password_temporary)
		return RBAC_PASSWORD_CHANGE;
	if (!(mine & P(p)))
		return RBAC_FORBIDDEN;
	if (t == NULL)
		return RBAC_ALLOW;
	if (p == PERM_SELF && t->owner_account != NULL &&
	    strcmp(t->owner_account, s->account_id) != 0)
		return RBAC_NOT_FOUND;
	if (t->org_id != NULL &&
	    (s->org_id == NULL || strcmp(t->org_id, s->org_id) != 0) &&
	    !(cross & P(p)))
		return RBAC_NOT_FOUND;
	if (p == PERM_CANDIDATE_READ && only_trainer && !t->assigned)
		return RBAC_NOT_FOUND;
	return RBAC_ALLOW;
}

long
rbac_markdown(char *out, size_t outlen)
{
	size_t o = 0;
	int n, r, p;

#define EMIT(...)                                                              \
	do {                                                                   \
		n = snprintf(out + o, outlen - o, __VA_ARGS__);                \
		if (n < 0 || (size_t)n >= outlen - o)                          \
			return -1;                                             \
		o += (size_t)n;                                                \
	} while (0)

	EMIT("# Permissions\n\n"
	     "Generated from `src/auth/rbac.c` (`creneau permissions`); a test "
	     "fails when\nthis file and the code disagree. Every route of "
	     "`docs/openapi.yaml` names one\npermission "
	     "(`x-permission`). A temporary grant adds one permission in one\n"
	     "organisation until it expires. Records outside the caller's "
	     "organisation,\nor candidates not assigned to a trainer, answer "
	     "404.\n\n| permission |");
	for (r = 0; r < ROLE_COUNT; r++)
		EMIT(" %s |", role_names[r]);
	EMIT("\n| --- |");
	for (r = 0; r < ROLE_COUNT; r++)
		EMIT(" --- |");
	EMIT("\n");
	for (p = 0; p < PERM_COUNT; p++) {
		EMIT("| %s |", perm_names[p]);
		for (r = 0; r < ROLE_COUNT; r++) {
			const char *cell = "";

			if (p == PERM_PUBLIC ||
			    rbac_role_has((enum role)r, (enum perm)p))
				cell = "yes";
			if (p == PERM_CANDIDATE_READ && r == ROLE_TRAINER)
				cell = "assigned only";
			if ((cross_org[r] & P(p)) != 0)
				cell = "all organisations";
			EMIT(" %s |", cell);
		}
		EMIT("\n");
	}
	EMIT("\nStaff roles (all but candidate) must pass TOTP before any "
	     "permission other\nthan `session` applies; an account with a "
	     "temporary password must change it\nfirst.\n");
#undef EMIT
	return (long)o;
}
