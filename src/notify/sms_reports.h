/*
 * sms_reports.h - the delivery reports of the SMS gateway.
 *
 * A gateway tells later whether a message it accepted reached the phone.
 * It POSTs {"id": "<its message id>", "status": "delivered"} to
 * /api/v1/public/sms/delivery-reports with "Authorization: Bearer
 * <token>", the token read from [sms] reports_token_file (a secret of
 * its own, not the one Créneau presents to the gateway). The status is
 * kept as the message's delivery_status; a report carries no personal
 * data, and the message's number and text were emptied when it was sent.
 */
#ifndef CRENEAU_NOTIFY_SMS_REPORTS_H
#define CRENEAU_NOTIFY_SMS_REPORTS_H

#include <stddef.h>
#include <stdint.h>

#include "auth/auth.h"
#include "core/config.h"

#define SMS_REPORT_STATUS_MAX 32 /* bytes of a status, NUL included */

/* Reads the token once at start (none when the setting is empty).
 * Returns 0, or -1 with err set. */
int sms_reports_setup(const struct config *cfg, char *err, size_t errlen);

/* 1 when reports are taken (a token is set), else 0. */
int sms_reports_enabled(void);

/* 1 when authorization (an "Authorization" header value, may be NULL)
 * presents the token, else 0. Constant time. */
int sms_reports_check(const char *authorization);

/* 1 when status is a status word: 1 to 31 bytes of [a-z0-9_-]. Pure. */
int sms_report_status_ok(const char *status);

/* Records status for the gateway's message gateway_id. Returns 0, 1 when
 * no sent message has that id, or -1. */
int sms_report_record(const struct auth *a, const char *gateway_id,
    const char *status);

#endif
