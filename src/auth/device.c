/* device.c - known devices: the cookie a full sign-in leaves behind. */
#include "auth/device.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "store/driver.h"

int
device_issue(const struct auth *a, struct store_conn *c, const char *account_id,
    int64_t now, char token[SESSION_TOKEN_LEN])
{
	struct store_device d;
	unsigned char b[SESSION_TOKEN_BYTES];
	int rc;

	memset(&d, 0, sizeof(d));
	token[0] = '\0';
	if (snprintf(d.account_id, sizeof(d.account_id), "%s", account_id) >=
	    (int)sizeof(d.account_id))
		return -1;
	randombytes_buf(b, sizeof(b));
	sodium_bin2base64(token, SESSION_TOKEN_LEN, b, sizeof(b),
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(b, sizeof(b));
	if (session_token_hash(token, d.token_hash) != 0) {
		sodium_memzero(token, SESSION_TOKEN_LEN);
		return -1;
	}
	d.created_at = now;
	d.last_used_at = now;
	d.expires_at = now + DEVICE_LIFETIME_MS;
	rc = store_device_insert(a->st, c, &d);
	if (rc != 0)
		sodium_memzero(token, SESSION_TOKEN_LEN);
	sodium_memzero(&d, sizeof(d));
	return rc;
}

int
device_check(const struct auth *a, struct store_conn *c, const char *token,
    const char *account_id, int64_t now, unsigned char hash[STORE_HASH_BYTES])
{
	struct store_device d;
	int rc;

	memset(hash, 0, STORE_HASH_BYTES);
	if (token == NULL || account_id == NULL ||
	    session_token_hash(token, hash) != 0)
		return 0;
	if ((rc = store_device_get(a->st, c, hash, &d)) != 0)
		return rc < 0 ? -1 : 0;
	if (strcmp(d.account_id, account_id) != 0 || now >= d.expires_at ||
	    now < d.created_at)
		return 0;
	return 1;
}

int
device_touch(const struct auth *a, struct store_conn *c,
    const unsigned char hash[STORE_HASH_BYTES], int64_t now)
{
	return store_device_touch(a->st, c, hash, now) < 0 ? -1 : 0;
}

long
device_purge(const struct auth *a, int64_t now)
{
	struct store_conn *c = store_conn(a->st);

	if (c == NULL)
		return -1;
	return store_device_purge(a->st, c, now);
}
