/* branding.c - a client organisation's sender name and signature in its
 * emails. */
#include "notify/branding.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "core/buf.h"
#include "notify/texts.h"
#include "store/tenants.h"

int
notify_brand_apply(const char *sender, const char *signature, char *subject,
    size_t subject_len, char **body)
{
	char prefixed[NOTIFY_SUBJECT_MAX + 1];
	const char *footer;
	struct buf b;
	char *nb;
	int n;

	if (sender != NULL && sender[0] != '\0') {
		n = snprintf(prefixed, sizeof(prefixed), "%s : %s", sender,
		    subject);
		/* A subject that would not fit keeps the product's words. */
		if (n > 0 && (size_t)n < sizeof(prefixed) &&
		    (size_t)n < subject_len)
			memcpy(subject, prefixed, (size_t)n + 1);
	}
	if (signature == NULL || signature[0] == '\0' || *body == NULL)
		return 0;
	footer = strstr(*body, notify_text_footer);
	if (footer == NULL)
		footer = *body + strlen(*body);
	buf_init(&b, 8192);
	if (buf_printf(&b, "%.*s%s\n\n%s", (int)(footer - *body), *body,
		signature, footer) != 0 ||
	    (nb = buf_steal(&b, NULL)) == NULL) {
		buf_free(&b);
		return -1;
	}
	sodium_memzero(*body, strlen(*body));
	free(*body);
	*body = nb;
	return 0;
}

static int
open_blob(const struct data_key *k, const char *column, const char *org_id,
    const struct store_blob *b, char **out, size_t *len)
{
	*out = NULL;
	*len = 0;
	if (b->p == NULL)
		return 0;
	return field_open(k, "tenants", column, org_id, b->p, b->len, out, len);
}

int
notify_brand(const struct auth *a, struct store_conn *c, const char *org_id,
    char *subject, size_t subject_len, char **body)
{
	struct store_tenant t;
	struct data_key k;
	char owner[AUTH_OWNER_MAX], *sender = NULL, *sig = NULL;
	size_t slen = 0, glen = 0;
	int rc;

	if (org_id == NULL || org_id[0] == '\0')
		return 0;
	memset(&t, 0, sizeof(t));
	if ((rc = store_tenant_get(a->st, c, org_id, &t)) != 0) {
		store_tenant_clear(&t);
		return rc < 0 ? -1 : 0;
	}
	if (t.mail_sender.p == NULL && t.mail_signature.p == NULL) {
		store_tenant_clear(&t);
		return 0;
	}
	if (snprintf(owner, sizeof(owner), "tenant:%s", org_id) >=
		(int)sizeof(owner) ||
	    (rc = auth_key(a, owner, 0, &k)) < 0) {
		store_tenant_clear(&t);
		return -1;
	}
	if (rc == 1) {
		store_tenant_clear(&t);
		return 0;
	}
	rc = open_blob(&k, "mail_sender", org_id, &t.mail_sender, &sender,
		 &slen) != 0 ||
		open_blob(&k, "mail_signature", org_id, &t.mail_signature, &sig,
		    &glen) != 0 ||
		notify_brand_apply(sender, sig, subject, subject_len, body) != 0
	    ? -1
	    : 0;
	field_free(sender, slen);
	field_free(sig, glen);
	sodium_memzero(&k, sizeof(k));
	store_tenant_clear(&t);
	return rc;
}
