/*
 * rbac.h - roles, permissions and the one decision function.
 *
 * Roles are held per organisation (PRODUCT.md). Each API route names the
 * permission it needs; a role grants a fixed set of permissions (the table
 * in rbac.c, from which docs/permissions.md is generated and checked);
 * a temporary grant adds one permission in one organisation until it
 * expires. rbac_decide() is the only place that says yes or no; handlers
 * add the record-level check (same organisation, assigned candidate) by
 * passing the record's organisation and, for trainers, whether the record
 * is assigned to them. Anything outside the caller's scope is answered as
 * if it did not exist (404), never 403, so scope cannot be probed.
 */
#ifndef CRENEAU_RBAC_H
#define CRENEAU_RBAC_H

#include <stddef.h>
#include <stdint.h>

enum role {
	ROLE_PLATFORM_ADMIN,
	ROLE_DPO,
	ROLE_SCHOOL_ADMIN,
	ROLE_SCHOOL_MANAGER,
	ROLE_TRAINER,
	ROLE_REGIONAL_SUPERVISOR,
	ROLE_DISPATCHER,
	ROLE_AGENT,
	ROLE_AGENT_ADMIN,
	ROLE_VALIDATOR,
	ROLE_CANDIDATE,
	ROLE_COUNT
};

enum perm {
	PERM_PUBLIC, /* no session needed */
	PERM_SESSION, /* any session, even before MFA (MFA steps) */
	PERM_SELF, /* signed in, MFA done: one's own account */
	PERM_ORG_MANAGE, /* create organisations; register partner software */
	PERM_STAFF_MANAGE, /* create/deactivate staff and trainer accounts */
	PERM_STAFF_READ, /* list the organisation's accounts */
	PERM_GRANT_MANAGE, /* temporary grants */
	PERM_SESSIONS_MANAGE, /* end another account's sessions */
	PERM_JOURNAL_READ, /* the organisation's connection journal */
	PERM_AUDIT_READ, /* search and verify the audit trail */
	PERM_REGISTER_READ, /* the Art. 30 processing register */
	PERM_CANDIDATE_READ, /* candidates' records (trainers: assigned) */
	PERM_CANDIDATE_MANAGE, /* candidates, mandates, bookings */
	PERM_CANDIDATE_ASSIGN, /* assign candidates to trainers */
	PERM_SLOT_REQUEST, /* ask for a slot change (approved later) */
	PERM_SLOT_APPROVE, /* approve a supervisor's request */
	PERM_PLANNING_READ, /* aggregate planning views */
	PERM_EXAM_AUTHORITY, /* centres, slots, registry, coefficients */
	PERM_BREACH_MANAGE, /* the breach register (Art. 33-34) */
	PERM_RIGHTS_MANAGE, /* the rights-request register (Art. 12-22) */
	PERM_APPT_BOOK, /* appointments: the organisation's users, calendars,
			   booking */
	PERM_APPT_ADMIN, /* appointments: services, places, agents, motifs,
			    opening hours, absences */
	PERM_DOSSIER_VALIDATE, /* validator keys, open and decide dossiers */
	PERM_TENANT_SETTINGS, /* the organisation's own settings (its admin) */
	PERM_COUNT
};

/* Returns the role's wire name ("school_manager"), or NULL. */
const char *rbac_role_name(enum role r);

/* Parses a wire name. Returns 0, or -1 if unknown. */
int rbac_role_parse(const char *s, enum role *out);

/* Returns the permission's wire name ("staff.manage"), or NULL. */
const char *rbac_perm_name(enum perm p);

/* Parses a permission's wire name. Returns 0 or -1. */
int rbac_perm_parse(const char *s, enum perm *out);

/* Returns 1 if role r grants p by itself, 0 otherwise. */
int rbac_role_has(enum role r, enum perm p);

/*
 * Returns 1 if p is a school permission: granted by a school role
 * (school_admin, school_manager, trainer) and by no other role. The
 * routes that need one are the school-side API, under its rate limits.
 */
int rbac_perm_is_school(enum perm p);

/* Returns 1 if holding role r requires TOTP before any personal data. */
int rbac_role_requires_mfa(enum role r);

/* What the caller is, for one request. */
struct rbac_subject {
	const char *account_id;
	const char *org_id; /* the organisation its roles are held in */
	uint32_t roles; /* bit (1 << role) for each role held */
	uint64_t granted; /* bit (1 << perm) per active temporary grant */
	int mfa_enrolled; /* has a confirmed TOTP secret */
	int mfa_done; /* this session passed TOTP */
	int password_temporary; /* must change it before anything else */
};

/* What the caller wants to touch. */
struct rbac_target {
	const char *org_id; /* NULL: not tied to an organisation */
	int assigned; /* for trainers: the record is assigned to them */
	const char *owner_account; /* for PERM_SELF: whose record it is */
};

enum rbac_decision {
	RBAC_ALLOW = 0,
	RBAC_UNAUTHENTICATED = 1, /* 401: no valid session */
	RBAC_MFA_REQUIRED = 2, /* 403 mfa_required */
	RBAC_PASSWORD_CHANGE = 3, /* 403 password_change_required */
	RBAC_FORBIDDEN = 4, /* 403: the function itself is not allowed */
	RBAC_NOT_FOUND = 5, /* 404: the record is out of scope */
};

/*
 * The one function that answers "may this account do this to this
 * record". s is NULL for an anonymous request; t may be NULL when no
 * record is involved. Never fails.
 */
enum rbac_decision rbac_decide(const struct rbac_subject *s, enum perm p,
    const struct rbac_target *t);

/*
 * Who may give what to whom. A gift is either a role, given to an account
 * being created, or a temporary grant of one permission to an existing
 * account. The rules, in the order they are checked:
 *
 *  - a role is given only by the roles of role_givers (rbac.c): a school
 *    admin gives its school's staff roles (school_admin, school_manager,
 *    trainer); every other role, the DPO's first, comes from the
 *    platform side (platform_admin, or `creneau user add`);
 *  - a grant lends only a permission the giver holds, never the DPO's
 *    oversight permissions (audit.read, register.read, breach.manage,
 *    rights.manage), which come with the role only;
 *  - the people's place (candidates and users, AUTH_PEOPLE_ORG) holds
 *    the people's roles and the DPO who answers their rights; staff roles
 *    live in the organisations, people's roles never do;
 *  - a permission of the staff goes only to a staff account with a
 *    confirmed second factor (grants; roles with permissions all require
 *    TOTP);
 *  - separation of duties: no account may end up holding both sides of
 *    a pair of sod_pairs (rbac.c): oversight and administration, asking
 *    for a slot change and approving it, publishing slots and booking.
 */
struct rbac_gift {
	int is_grant; /* 1: a temporary grant of perm; 0: the role role */
	enum role role;
	enum perm perm;
	uint64_t to_perms; /* what the receiver holds besides the gift (roles
			      and grants; for a new account, its other roles) */
	int to_staff; /* the receiver holds a role that requires TOTP */
	int to_mfa; /* the receiver has a confirmed TOTP secret */
	int to_people; /* the receiver lives in the people's place */
};

enum rbac_gift_decision {
	RBAC_GIFT_OK = 0,
	RBAC_GIFT_NOT_GRANTABLE = 1, /* role_not_grantable, perm... */
	RBAC_GIFT_NOT_HELD = 2, /* permission_not_held */
	RBAC_GIFT_WRONG_PLACE = 3, /* role_wrong_place */
	RBAC_GIFT_REQUIRES_MFA = 4, /* grant_requires_mfa */
	RBAC_GIFT_SEPARATION = 5, /* separation_of_duties */
};

/*
 * The one function that answers "may giver give this role or permission
 * to this account". Pure; never fails. giver NULL stands for the system
 * (`creneau user add`, the demo data): the platform side, to which only
 * the place, second-factor and separation rules apply.
 */
enum rbac_gift_decision rbac_may_give(const struct rbac_subject *giver,
    const struct rbac_gift *g);

/* The stable code of a refusal ("role_not_grantable"...), or NULL for
 * RBAC_GIFT_OK. is_grant picks the permission or role wording. */
const char *rbac_gift_code(enum rbac_gift_decision d, int is_grant);

/* The permissions role r holds by itself (without everyone's), as a mask
 * of (1 << enum perm). */
uint64_t rbac_role_perms(enum role r);

/* Writes the role x permission table as Markdown (docs/permissions.md).
 * Returns the length, or -1 if out is too small. */
long rbac_markdown(char *out, size_t outlen);

#endif
