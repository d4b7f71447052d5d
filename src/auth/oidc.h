/*
 * oidc.h - signing in through an OpenID provider (OpenID Connect,
 * authorization code flow with PKCE S256): FranceConnect for people,
 * ProConnect for agents, or any provider of an [oidc:NAME] section.
 *
 * oidc_begin makes a flow: 256 random bits of state, stored as their
 * hash only, valid OIDC_FLOW_MS; its nonce and PKCE verifier are derived
 * from the state under the system:oidc key, so nothing secret is kept.
 * oidc_finish takes the flow back by its state (once), exchanges the
 * code, checks the ID token (oidc_token.h) and then:
 *   - a flow begun by a signed-in person links the provider's subject to
 *     their account, pending until they confirm it (oidc_link_confirm):
 *     an account is never linked by its email, nor without its holder;
 *   - otherwise the subject's confirmed link names the account, which
 *     must hold a role the provider may sign into (and be in one of its
 *     organisations, when it names some): a new session opens, its
 *     second factor done when the provider's acr/amr counts as one, else
 *     asked as after a password.
 * Every outcome is journaled (connection journal) and audited. Of the
 * provider's tokens only the ID token is kept, sealed under the person's
 * key with the session (never sent to the browser), for the provider's
 * logout (oidc_logout_url); the others are dropped at once.
 */
#ifndef CRENEAU_OIDC_H
#define CRENEAU_OIDC_H

#include <stdint.h>

#include "auth/auth.h"
#include "auth/session.h"
#include "core/config.h"

#define OIDC_FLOW_MS (10 * AUTH_MINUTE_MS)
#define OIDC_LINK_CONFIRM_MS (10 * AUTH_MINUTE_MS)
#define OIDC_AUTH_URL_MAX 4096
#define OIDC_KEY_OWNER "system:oidc"
#define OIDC_URL_REDIRECT_MAX 640 /* public_url and the callback path */

/*
 * Begins a flow with provider p returning to redirect_uri; account_id
 * (may be NULL) is the signed-in person who links their account. url
 * receives where to send the browser, state the flow's state, to keep in
 * that browser (a cookie) so that only it can finish the flow. Returns 0, or -1
 * when the provider cannot be reached (discovery) or on error.
 */
int oidc_begin(const struct auth *a, const struct config_oidc *p,
    const char *redirect_uri, const char *account_id, int64_t now,
    char url[OIDC_AUTH_URL_MAX], char state[SESSION_TOKEN_LEN]);

enum oidc_status {
	OIDC_SIGNED_IN = 0, /* session opened: see tokens */
	OIDC_LINK_PENDING, /* the signed-in person must confirm the link */
	OIDC_BAD_STATE, /* unknown, used or expired state, another
			   provider's, or not the one this browser began */
	OIDC_CODE_REFUSED, /* the provider refused the code (replayed...) */
	OIDC_TOKEN_REFUSED, /* the ID token failed a check: see why */
	OIDC_NOT_LINKED, /* no account is linked to this subject */
	OIDC_NOT_ALLOWED, /* the account may not sign in through p */
	OIDC_LINK_TAKEN, /* the subject or the provider is already linked */
	OIDC_WRONG_PERSON, /* the link flow came back to another session */
	OIDC_UNREACHABLE, /* the provider cannot be reached */
	OIDC_SIGNUP_PENDING, /* not linked, at the people's provider: the
				person confirms their new account (see
				signup_token) */
	OIDC_SIGNUP_EXISTS, /* ... but its email has an account, to link
			       from it */
	OIDC_SIGNUP_NO_EMAIL, /* ... but the provider gave no usable email */
};

/* What the browser brought back and who it is. */
struct oidc_return {
	const char *state;
	const char *browser_state; /* the state the browser kept, or NULL */
	const char *code;
	const char *redirect_uri;
	const char *session_account; /* the signed-in account, or NULL */
	const char *ip;
	const char *user_agent;
};

struct oidc_result {
	enum oidc_status status;
	char why[32]; /* TOKEN_REFUSED: the rule broken ("nonce"...) */
	char account_id[STORE_ID_MAX];
	int mfa_done;
	struct session_tokens tokens; /* SIGNED_IN: secrets, wipe them */
	char signup_token[SESSION_TOKEN_LEN]; /* SIGNUP_PENDING: for a
						 cookie; wipe it */
};

/* Finishes the flow of r with provider p at now. Returns 0 with
 * res->status set, or -1 on an internal error. */
int oidc_finish(const struct auth *a, const struct config_oidc *p,
    const struct oidc_return *r, int64_t now, struct oidc_result *res);

/*
 * When session s was opened through a provider of cfg that offers
 * RP-initiated logout, writes into url where to send the browser to end
 * the provider's session too (with the ID token as id_token_hint), then
 * back to after (registered at the provider as a post-logout redirect
 * URI). Call it before ending the session. Returns 0 with url, 1 when
 * there is no such logout, or -1.
 */
int oidc_logout_url(const struct auth *a, const struct config *cfg,
    const struct session_info *s, const char *after,
    char url[OIDC_AUTH_URL_MAX]);

/* What a session opened through a provider carries over to the session
 * that replaces it when the second factor is passed (mfa.c). */
struct oidc_carry {
	char provider[CONFIG_OIDC_NAME_MAX]; /* "" when none */
	char *id_token; /* malloc'ed plaintext, or NULL */
	size_t len;
};

/* Inside the caller's transaction c: reads the provider and ID token of
 * session old_hash, opened with key (the person's), into *k. Returns 0
 * (k->provider "" when the session has none) or -1. */
int oidc_carry_take(const struct auth *a, struct store_conn *c,
    const struct data_key *key, const unsigned char *old_hash,
    struct oidc_carry *k);

/* Inside c: seals k's ID token under key with the new session whose id
 * is token, and wipes k. Does nothing when k holds none. Returns 0 or
 * -1. */
int oidc_carry_put(const struct auth *a, struct store_conn *c,
    const struct data_key *key, const char *token, struct oidc_carry *k);

/* Wipes and frees k (also after a failure). */
void oidc_carry_clear(struct oidc_carry *k);

/* The signed-in account_id confirms its pending link with provider.
 * Returns 0, 1 if there is none (or it is older than
 * OIDC_LINK_CONFIRM_MS), or -1. */
int oidc_link_confirm(const struct auth *a, const char *account_id,
    const char *provider, const char *ip, int64_t now);

/* Retention: deletes the flows that have ended at now. Returns how
 * many, or -1. */
long oidc_purge_flows(const struct auth *a, int64_t now);

/* Retention: deletes the links left unconfirmed OIDC_LINK_CONFIRM_MS
 * before now. Returns how many, or -1. */
long oidc_purge_links(const struct auth *a, int64_t now);

#endif
