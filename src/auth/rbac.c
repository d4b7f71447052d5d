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
	[ROLE_AGENT_ADMIN] = "agent_admin",
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
	[PERM_APPT_BOOK] = "appt.book",
	[PERM_APPT_ADMIN] = "appt.admin",
	[PERM_DOSSIER_VALIDATE] = "dossier.validate",
	[PERM_TENANT_SETTINGS] = "tenant.settings",
};

#define P(x) (1ULL << (x))

/*
 * What each role may do, from PRODUCT.md. Separation of duties shows here:
 * school_admin manages accounts but does not assign candidates; only
 * school_manager assigns; the supervisor only requests slot changes,
 * which school_admin approves; platform_admin never reads candidates.
 * In a social services organisation, an agent sees and books for the
 * organisation's users (appt.book); the agent_admin also manages its
 * services, places, agents, motifs and opening hours (appt.admin).
 */
static const uint64_t role_perms[ROLE_COUNT] = {
	[ROLE_PLATFORM_ADMIN] =
	    P(PERM_ORG_MANAGE) | P(PERM_STAFF_MANAGE) | P(PERM_STAFF_READ),
	[ROLE_DPO] = P(PERM_AUDIT_READ) | P(PERM_JOURNAL_READ) |
	    P(PERM_STAFF_READ) | P(PERM_REGISTER_READ) | P(PERM_BREACH_MANAGE) |
	    P(PERM_RIGHTS_MANAGE),
	[ROLE_SCHOOL_ADMIN] = P(PERM_STAFF_MANAGE) | P(PERM_STAFF_READ) |
	    P(PERM_GRANT_MANAGE) | P(PERM_SESSIONS_MANAGE) |
	    P(PERM_JOURNAL_READ) | P(PERM_SLOT_APPROVE) |
	    P(PERM_TENANT_SETTINGS),
	[ROLE_SCHOOL_MANAGER] = P(PERM_CANDIDATE_READ) |
	    P(PERM_CANDIDATE_MANAGE) | P(PERM_CANDIDATE_ASSIGN) |
	    P(PERM_PLANNING_READ),
	[ROLE_TRAINER] = P(PERM_CANDIDATE_READ),
	[ROLE_REGIONAL_SUPERVISOR] =
	    P(PERM_PLANNING_READ) | P(PERM_SLOT_REQUEST),
	[ROLE_DISPATCHER] = P(PERM_EXAM_AUTHORITY),
	[ROLE_AGENT] = P(PERM_APPT_BOOK),
	[ROLE_AGENT_ADMIN] =
	    P(PERM_APPT_BOOK) | P(PERM_APPT_ADMIN) | P(PERM_TENANT_SETTINGS),
	[ROLE_VALIDATOR] = P(PERM_DOSSIER_VALIDATE),
	[ROLE_CANDIDATE] = 0,
};

/* Permissions that reach across organisations for these roles. */
static const uint64_t cross_org[ROLE_COUNT] = {
	[ROLE_PLATFORM_ADMIN] =
	    P(PERM_ORG_MANAGE) | P(PERM_STAFF_MANAGE) | P(PERM_STAFF_READ),
};

/* Every authenticated account may act on itself. */
static const uint64_t everyone = P(PERM_SESSION) | P(PERM_SELF);

#define R(x) (1u << (x))

/*
 * Who may give each role (rbac_may_give). A school admin gives its
 * school's staff roles; everything else comes from the platform side:
 * the DPO above all, who oversees the school's administrators and so
 * cannot be appointed by them.
 */
static const uint32_t role_givers[ROLE_COUNT] = {
	[ROLE_PLATFORM_ADMIN] = R(ROLE_PLATFORM_ADMIN),
	[ROLE_DPO] = R(ROLE_PLATFORM_ADMIN),
	[ROLE_SCHOOL_ADMIN] = R(ROLE_PLATFORM_ADMIN) | R(ROLE_SCHOOL_ADMIN),
	[ROLE_SCHOOL_MANAGER] = R(ROLE_PLATFORM_ADMIN) | R(ROLE_SCHOOL_ADMIN),
	[ROLE_TRAINER] = R(ROLE_PLATFORM_ADMIN) | R(ROLE_SCHOOL_ADMIN),
	[ROLE_REGIONAL_SUPERVISOR] = R(ROLE_PLATFORM_ADMIN),
	[ROLE_DISPATCHER] = R(ROLE_PLATFORM_ADMIN),
	[ROLE_AGENT] = R(ROLE_PLATFORM_ADMIN),
	[ROLE_AGENT_ADMIN] = R(ROLE_PLATFORM_ADMIN),
	[ROLE_VALIDATOR] = R(ROLE_PLATFORM_ADMIN),
	[ROLE_CANDIDATE] = R(ROLE_PLATFORM_ADMIN),
};

/* The roles of the people's place: the people, and the DPO who answers
 * their rights requests. */
static const uint32_t people_roles = R(ROLE_CANDIDATE) | R(ROLE_DPO);

/* The DPO's oversight: never lent, only held with the role. */
#define OVERSIGHT                                                              \
	(P(PERM_AUDIT_READ) | P(PERM_REGISTER_READ) | P(PERM_BREACH_MANAGE) |  \
	    P(PERM_RIGHTS_MANAGE))

/* Permissions that one grant may never lend. */
static const uint64_t not_grantable = P(PERM_PUBLIC) | P(PERM_SESSION) |
    P(PERM_SELF) | P(PERM_ORG_MANAGE) | P(PERM_TENANT_SETTINGS) | OVERSIGHT;

/* Separation of duties: no account holds something of both sides. */
static const struct {
	uint64_t a, b;
} sod_pairs[] = {
	/* Who oversees the administrators is not one of them. */
	{ OVERSIGHT,
	    P(PERM_ORG_MANAGE) | P(PERM_STAFF_MANAGE) | P(PERM_GRANT_MANAGE) |
		P(PERM_SESSIONS_MANAGE) },
	/* Who asks for a slot change does not approve it. */
	{ P(PERM_SLOT_REQUEST), P(PERM_SLOT_APPROVE) },
	/* Who publishes slots does not book them. */
	{ P(PERM_EXAM_AUTHORITY), P(PERM_CANDIDATE_MANAGE) },
};

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
	uint64_t mine = 0, cross = 0, granted;
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
	/* A grant lends a staff permission: it counts only in a session
	 * that passed a confirmed second factor. */
	granted = s->mfa_enrolled && s->mfa_done ? s->granted : 0;
	if (granted & P(PERM_CANDIDATE_READ))
		only_trainer = 0;
	mine |= everyone | granted;
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

uint64_t
rbac_role_perms(enum role r)
{
	return (unsigned)r < ROLE_COUNT ? role_perms[r] : 0;
}

/* Whether holding all of mask breaks a separation of duties. */
static int
sod_broken(uint64_t mask)
{
	size_t i;

	for (i = 0; i < sizeof(sod_pairs) / sizeof(sod_pairs[0]); i++)
		if ((mask & sod_pairs[i].a) && (mask & sod_pairs[i].b))
			return 1;
	return 0;
}

enum rbac_gift_decision
rbac_may_give(const struct rbac_subject *giver, const struct rbac_gift *g)
{
	uint64_t held = 0, gift;
	int r;

	if (g->is_grant) {
		if ((unsigned)g->perm >= PERM_COUNT ||
		    (not_grantable & P(g->perm)))
			return RBAC_GIFT_NOT_GRANTABLE;
		if (giver != NULL) {
			for (r = 0; r < ROLE_COUNT; r++)
				if (giver->roles & R(r))
					held |= role_perms[r];
			if (giver->mfa_enrolled && giver->mfa_done)
				held |= giver->granted;
			if (!(held & P(g->perm)))
				return RBAC_GIFT_NOT_HELD;
		}
		/* Every grantable permission is a staff permission. */
		if (g->to_people || !g->to_staff || !g->to_mfa)
			return RBAC_GIFT_REQUIRES_MFA;
		gift = P(g->perm);
	} else {
		if ((unsigned)g->role >= ROLE_COUNT)
			return RBAC_GIFT_NOT_GRANTABLE;
		if (giver != NULL && !(giver->roles & role_givers[g->role]))
			return RBAC_GIFT_NOT_GRANTABLE;
		if ((g->role == ROLE_CANDIDATE && !g->to_people) ||
		    (g->to_people && !(people_roles & R(g->role))))
			return RBAC_GIFT_WRONG_PLACE;
		gift = role_perms[g->role];
		if (gift != 0 && !rbac_role_requires_mfa(g->role))
			return RBAC_GIFT_REQUIRES_MFA;
	}
	if (sod_broken(g->to_perms | gift))
		return RBAC_GIFT_SEPARATION;
	return RBAC_GIFT_OK;
}

const char *
rbac_gift_code(enum rbac_gift_decision d, int is_grant)
{
	switch (d) {
	case RBAC_GIFT_OK:
		return NULL;
	case RBAC_GIFT_NOT_GRANTABLE:
		return is_grant ? "permission_not_grantable"
				: "role_not_grantable";
	case RBAC_GIFT_NOT_HELD:
		return "permission_not_held";
	case RBAC_GIFT_WRONG_PLACE:
		return "role_wrong_place";
	case RBAC_GIFT_REQUIRES_MFA:
		return "grant_requires_mfa";
	case RBAC_GIFT_SEPARATION:
		return "separation_of_duties";
	}
	return "forbidden";
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
	EMIT("\n## Who gives what (`rbac_may_give`)\n\n"
	     "| role | given by | lives in |\n| --- | --- | --- |\n");
	for (r = 0; r < ROLE_COUNT; r++) {
		int g, first = 1;

		EMIT("| %s |", role_names[r]);
		for (g = 0; g < ROLE_COUNT; g++)
			if (role_givers[r] & R(g)) {
				EMIT("%s%s", first ? " " : ", ", role_names[g]);
				first = 0;
			}
		EMIT(", `creneau user add` | %s |\n",
		    r == ROLE_CANDIDATE         ? "the people's place"
			: (people_roles & R(r)) ? "an organisation, or the "
						  "people's place"
						: "an organisation");
	}
	EMIT("\nA school's DPO is appointed from the platform side (the "
	     "platform admin or\n`creneau user add`), never by the school's "
	     "admin: the DPO oversees the\nadmins (`role_not_grantable`). A "
	     "temporary grant lends only a permission the\ngiver holds "
	     "(`permission_not_held`), never the DPO's oversight (`audit.read`,"
	     "\n`register.read`, `breach.manage`, `rights.manage`: "
	     "`permission_not_grantable`),\nand only to a staff account with "
	     "a confirmed second factor\n(`grant_requires_mfa`); a grant "
	     "counts only in a session that passed TOTP.\nCandidates (and "
	     "users) live in the people's place, a platform organisation\n"
	     "of their own, linked to schools by mandates only: no school role "
	     "reaches\ntheir accounts (`role_wrong_place`). Separation of "
	     "duties: no account holds\nboth the oversight and the "
	     "administration of accounts, both `slot.request`\nand "
	     "`slot.approve`, or both `exam.authority` and `candidate.manage`\n"
	     "(`separation_of_duties`).\n");
#undef EMIT
	return (long)o;
}
