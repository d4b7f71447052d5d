/*
 * service.h - the booking services: each public function is one
 * transaction (store_tx) that reads the records, asks the pure rules of
 * src/booking/ to decide, writes the outcome, its audit entry and its
 * notifications, and commits them together or not at all.
 *
 * They never see HTTP: the API layer passes who acts (struct svc_actor),
 * the time now (from the app's clock, so tests move time by hand) and
 * gets back a RULES.md code (enum bk_code) or -1 for a storage failure.
 */
#ifndef CRENEAU_SERVICE_H
#define CRENEAU_SERVICE_H

#include <stdint.h>

#include "auth/auth.h"
#include "booking/booking.h"

/* Who acts. */
struct svc_actor {
	const char *account_id;
	const char *org_id;
	const char *ip; /* sealed in the audit entry; may be NULL */
	const char *request_id; /* may be NULL */
};

/* The services' context: the identity context (store, keystore, audit
 * key) and the rules' numbers. Borrowed. */
struct svc {
	const struct auth *a;
	const struct booking_rules *r;
};

struct config;

/*
 * Returns the rules of RULES.md with the numbers of cfg's [booking]
 * section (README.md lists the keys and their defaults). Check the result
 * with booking_rules_valid (src/booking/config.h).
 */
struct booking_rules svc_rules_from_config(const struct config *cfg);

/*
 * Reads the school id of organisation org_id into *id, creating the row
 * for an organisation of kind school on first use. Returns 0, 1 when the
 * organisation is no school, or -1.
 */
int svc_school_of(const struct svc *s, const char *org_id, int64_t now,
    int64_t *id);

#endif
