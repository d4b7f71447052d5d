/* sms_reports.c - the delivery reports of the SMS gateway. */
#include "notify/sms_reports.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "core/fsutil.h"
#include "store/driver.h"
#include "store/sms_outbox.h"

/* Only the token's hash is kept: comparing hashes takes the same time
 * whatever the length of what is presented. */
static struct {
	int on;
	unsigned char hash[crypto_generichash_BYTES];
} reports;

int
sms_reports_setup(const struct config *cfg, char *err, size_t errlen)
{
	char token[512];

	memset(&reports, 0, sizeof(reports));
	if (cfg->sms_reports_token_file[0] == '\0')
		return 0;
	if (fs_read_secret(cfg->sms_reports_token_file, token, sizeof(token)) !=
	    0) {
		snprintf(err, errlen, "[sms] reports_token_file: %s",
		    strerror(errno));
		return -1;
	}
	if (strlen(token) < 16) {
		sodium_memzero(token, sizeof(token));
		snprintf(err, errlen,
		    "[sms] reports_token_file: the token is shorter than 16 "
		    "characters");
		return -1;
	}
	crypto_generichash(reports.hash, sizeof(reports.hash),
	    (const unsigned char *)token, strlen(token), NULL, 0);
	sodium_memzero(token, sizeof(token));
	reports.on = 1;
	return 0;
}

int
sms_reports_enabled(void)
{
	return reports.on;
}

int
sms_reports_check(const char *authorization)
{
	static const char bearer[] = "Bearer ";
	unsigned char h[crypto_generichash_BYTES];
	const char *t;

	if (!reports.on || authorization == NULL ||
	    strncmp(authorization, bearer, sizeof(bearer) - 1) != 0)
		return 0;
	t = authorization + sizeof(bearer) - 1;
	crypto_generichash(h, sizeof(h), (const unsigned char *)t, strlen(t),
	    NULL, 0);
	return sodium_memcmp(h, reports.hash, sizeof(h)) == 0;
}

int
sms_report_status_ok(const char *status)
{
	size_t n = status != NULL ? strlen(status) : 0;

	return n > 0 && n < SMS_REPORT_STATUS_MAX &&
	    strspn(status, "abcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

struct report_tx {
	const char *gateway_id, *status;
	int rc;
};

static int
report_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct report_tx *t = arg;

	t->rc = store_sms_set_delivery(st, c, t->gateway_id, t->status);
	return t->rc < 0 ? -1 : 0;
}

int
sms_report_record(const struct auth *a, const char *gateway_id,
    const char *status)
{
	struct report_tx t = { gateway_id, status, 0 };

	if (store_tx(a->st, 1, report_tx, &t) != 0)
		return -1;
	return t.rc;
}
