/* auth.c - ids, roles, keys and email normalisation for the identity
 * domain. */
#include "auth/auth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

/* PRODUCT.md's roles; the second member says whether TOTP is required,
 * the third whether the password expires. */
static const struct {
	const char *name;
	int mfa;
	int admin;
} roles[] = {
	{ "platform_admin", 1, 1 },
	{ "dpo", 1, 1 },
	{ "school_admin", 1, 1 },
	{ "school_manager", 1, 0 },
	{ "trainer", 1, 0 },
	{ "regional_supervisor", 1, 0 },
	{ "dispatcher", 1, 0 },
	{ "agent", 1, 0 },
	{ "agent_admin", 1, 1 },
	{ "validator", 1, 0 },
	{ "candidate", 0, 0 },
	{ "user", 0, 0 },
};

#define NROLES (sizeof(roles) / sizeof(roles[0]))

void
auth_id_new(char out[AUTH_ID_HEX])
{
	unsigned char b[AUTH_ID_BYTES];

	randombytes_buf(b, sizeof(b));
	sodium_bin2hex(out, AUTH_ID_HEX, b, sizeof(b));
}

static int
role_find(const char *role)
{
	size_t i;

	if (role == NULL)
		return -1;
	for (i = 0; i < NROLES; i++)
		if (strcmp(roles[i].name, role) == 0)
			return (int)i;
	return -1;
}

int
role_valid(const char *role)
{
	return role_find(role) >= 0;
}

int
role_requires_mfa(const char *role)
{
	int i = role_find(role);

	return i < 0 ? 1 : roles[i].mfa;
}

int
role_is_person(const char *role)
{
	return role != NULL &&
	    (strcmp(role, "candidate") == 0 || strcmp(role, "user") == 0);
}

int
role_allowed_in(const char *role, const char *org_id)
{
	int people = org_id != NULL && strcmp(org_id, AUTH_PEOPLE_ORG) == 0;

	if (role_is_person(role))
		return people;
	return !people || (role != NULL && strcmp(role, "dpo") == 0);
}

int
role_is_admin(const char *role)
{
	int i = role_find(role);

	return i < 0 ? 0 : roles[i].admin;
}

int
auth_subject_owner(const char *account_id, char out[AUTH_OWNER_MAX])
{
	int n = snprintf(out, AUTH_OWNER_MAX, "subject:%s", account_id);

	return n < 0 || n >= AUTH_OWNER_MAX ? -1 : 0;
}

int
auth_key(const struct auth *a, const char *owner, int create,
    struct data_key *key)
{
	return keystore_get(a->ks, owner, create, key);
}

static int
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	    c == '\f';
}

int
auth_email_normalise(const char *email, char out[ACCOUNT_EMAIL_MAX + 1])
{
	size_t b = 0, e, i;

	out[0] = '\0';
	if (email == NULL)
		return -1;
	e = strlen(email);
	while (b < e && is_space((unsigned char)email[b]))
		b++;
	while (e > b && is_space((unsigned char)email[e - 1]))
		e--;
	if (e == b || e - b > ACCOUNT_EMAIL_MAX)
		return -1;
	for (i = b; i < e; i++) {
		unsigned char c = (unsigned char)email[i];

		out[i - b] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	out[e - b] = '\0';
	return (int)(e - b);
}

int
auth_email_index(const struct auth *a, const char *email,
    char out[BLIND_INDEX_HEX])
{
	char norm[ACCOUNT_EMAIL_MAX + 1];
	struct data_key k;
	int n, rc = -1;

	out[0] = '\0';
	if ((n = auth_email_normalise(email, norm)) < 0)
		return -1;
	if (auth_key(a, AUTH_KEY_OWNER_INDEX, 1, &k) != 0)
		goto done;
	rc = field_blind_index(&k, "accounts", "email", norm, (size_t)n, out);
done:
	sodium_memzero(&k, sizeof(k));
	sodium_memzero(norm, sizeof(norm));
	return rc;
}

int
auth_seal(const struct data_key *key, const char *table, const char *column,
    const char *row_id, const char *s, struct store_blob *out)
{
	out->p = NULL;
	out->len = 0;
	return field_seal(key, 1, table, column, row_id, s, strlen(s), &out->p,
	    &out->len);
}

void
auth_clip(char *dst, size_t max, const char *s)
{
	size_t n = strnlen(s, max + 1);

	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(dst, s, n);
	dst[n] = '\0';
}

int
auth_audit(const struct auth *a, struct store_conn *c, int64_t now,
    const char *actor, const char *action, const char *account_id,
    const char *org_id, const char *ip, enum audit_outcome outcome)
{
	struct audit_entry e;

	memset(&e, 0, sizeof(e));
	e.actor = actor;
	e.action = action;
	e.target_type = "account";
	e.target_ids = account_id;
	e.org = org_id;
	e.ip = ip;
	e.outcome = outcome;
	return audit_append(a->st, c, a->audit_key, now, &e, NULL);
}
