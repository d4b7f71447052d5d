/*
 * tenant_retention.h - the retention periods a client organisation chose
 * for itself (its settings, within the range the data map gives a rule:
 * tenant_min, tenant_max). The map's period stays the ceiling every row
 * is purged at; these purgers then apply each organisation's shorter
 * choice to its own rows, so a choice is kept without anyone having to
 * remember it. Registered in retention_purgers (gdpr/retention.c).
 */
#ifndef CRENEAU_TENANT_RETENTION_H
#define CRENEAU_TENANT_RETENTION_H

#include "gdpr/retention.h"

/* host_data: the connection journal of each organisation that chose a
 * shorter period. Returns how many entries went, or -1. */
long tenant_retention_journal(const struct retention_ctx *ctx,
    const struct datamap_retention *rule, int64_t now_ms, int64_t *cutoff_ms);

/* email_outbox: the emails to the accounts of each organisation that
 * chose a shorter period. Returns how many went, or -1. */
long tenant_retention_outbox(const struct retention_ctx *ctx,
    const struct datamap_retention *rule, int64_t now_ms, int64_t *cutoff_ms);

#endif
