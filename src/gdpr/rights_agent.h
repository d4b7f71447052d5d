/*
 * rights_agent.h - the right of access of an agent of a social services
 * organisation over its planning (PRIVACY.md, section 3): the services it
 * is attached to, its opening plages and its absences, archived ones
 * included. Its erasure needs nothing more: the planning goes with the
 * account (migration 14, ON DELETE CASCADE).
 */
#ifndef CRENEAU_RIGHTS_AGENT_H
#define CRENEAU_RIGHTS_AGENT_H

#include "gdpr/rights_booking.h"

/* Adds to x, read on c, the agent record of the account (if it is one),
 * its plages and its absences. Returns 0 or -1. */
int rights_agent_export(struct rights_exp *x, struct store_conn *c);

#endif
