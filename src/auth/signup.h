/*
 * signup.h - « Créer un compte »: self sign-up of the people (candidates
 * and users of the appointments module) by an emailed single-use link
 * (SECURITY.md, "Authentication"; seeds 000 and 001).
 *
 * A request names an email address. Whatever it names, the answer is the
 * same (0) and the request is counted against the address's key and the
 * source's key (the hourly window of password recovery, pwreset.h), so
 * nothing tells which addresses have an account. When the address has no
 * account, a link is made: 256 random bits, stored only as their
 * BLAKE2b-256 hash with the address sealed under a key derived from the
 * token itself (only the link opens it), valid SIGNUP_LINK_MS; a newer
 * request for the same address replaces it. When the address has an
 * account, its holder is told by email that someone tried to sign up
 * with it, and no link is made.
 *
 * Using the link creates the person's account in the people's place
 * (AUTH_PEOPLE_ORG, role "candidate", which users of the appointments
 * module hold too) with the display name given and the password chosen
 * under the strength rule (password.h), records that the person read the
 * privacy policy in force (consent ledger), and makes the link void, all
 * in one transaction. It opens no session: the person then signs in.
 */
#ifndef CRENEAU_SIGNUP_H
#define CRENEAU_SIGNUP_H

#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"
#include "auth/session.h"

#define SIGNUP_LINK_MS (24 * 60 * AUTH_MINUTE_MS)
#define SIGNUP_OIDC_MS (10 * AUTH_MINUTE_MS) /* through a provider */
#define SIGNUP_ADDRESS_MAX 3 /* requests per address per hour */
#define SIGNUP_SOURCE_MAX 10 /* requests per source per hour */
#define SIGNUP_WHY_MAX 256
#define SIGNUP_EMAIL_MAX 254

/*
 * Asks for a sign-up link for email (already checked by
 * account_check_email) from ip (may be NULL) at now. The link is
 * base_url followed by "/#inscription=" and the token. Returns 0 when the
 * request was taken, the milliseconds to wait (> 0) when too many came
 * for this address or from this source, or -1 on error.
 */
int64_t signup_request(const struct auth *a, const char *email, const char *ip,
    const char *base_url, int64_t now);

/*
 * Reads the address of the live sign-up of token at now into email
 * (size bytes), for the page the link opens; provider NULL for an
 * emailed link, or the provider of a sign-up through it. Returns 0, 1
 * when the link is unknown, used, expired or of another way, or -1.
 */
int signup_check(const struct auth *a, const char *token, const char *provider,
    int64_t now, char *email, size_t size);

/*
 * A first sign-in through provider (an [oidc:NAME] section with signup =
 * users) of a subject (blind index sub_index) linked to no account, whose
 * provider gave address email: makes a pending sign-up of SIGNUP_OIDC_MS,
 * token receiving its token (for a cookie of that browser only), which
 * the person confirms with signup_complete (in->provider set). Returns
 * 0; 1 when the address has an account (nothing is made: its holder
 * links the provider from their account); 2 when the address is
 * malformed; -1.
 */
int signup_oidc_begin(const struct auth *a, const char *provider,
    const char *sub_index, const char *email, const char *ip, int64_t now,
    char token[SESSION_TOKEN_LEN]);

/* What the person gives on the page the link opens. */
struct signup_in {
	const char *token;
	const char *provider; /* NULL: an emailed link; else the provider of
				 signup_oidc_begin (no password: the person
				 signs in through the provider) */
	const char *display_name;
	const char *password; /* unused with provider */
	size_t password_len;
	const char *policy_version; /* the version they read */
	const char *policy_current; /* the version in force */
};

/*
 * Creates the account of the sign-up of in->token from ip (may be NULL)
 * at now (through a provider: with the provider's subject linked and
 * confirmed); id receives its id. Returns 0; 1 when refused with one French
 * sentence "field : reason" in why (token: the link is unknown, used or
 * expired; display_name; password: too weak, and the link still serves;
 * policy_version: not the version in force; email: an account took the
 * address meanwhile); -1 on error.
 */
int signup_complete(const struct auth *a, const struct signup_in *in,
    const char *ip, int64_t now, char id[AUTH_ID_HEX], char *why,
    size_t whylen);

/* Retention: deletes the pending sign-ups whose link has ended at now.
 * Returns how many, or -1. */
long signup_purge(const struct auth *a, int64_t now);

#endif
