/*
 * territory.h - rule 2 of RULES.md: territorial priority.
 *
 * Before its published_at a slot is invisible to every school. From
 * published_at it is bookable by the schools with an establishment in the
 * slot's department; from published_at + r->territory_delay_ms (24 h) by
 * any school.
 */
#ifndef CRENEAU_BOOKING_TERRITORY_H
#define CRENEAU_BOOKING_TERRITORY_H

#include "booking/booking.h"

/*
 * Returns when slot opens to a school whose establishments are in the
 * departments depts (n codes): slot->published_at when one of them is
 * the slot's department, published_at + r->territory_delay_ms otherwise.
 * Pure.
 */
int64_t territory_opens_at(const struct booking_rules *r,
    const struct bk_slot *slot, const char *const *depts, size_t n);

/*
 * May that school hold or book slot at now? Returns BK_CRENEAU_INCONNU
 * before published_at (the slot does not exist for schools yet),
 * BK_ACTION_INTERDITE before territory_opens_at (and stores that time in
 * *opens_at when opens_at is not NULL, for the message), BK_OK after.
 * Pure.
 */
enum bk_code territory_check(const struct booking_rules *r,
    const struct bk_slot *slot, const char *const *depts, size_t n, int64_t now,
    int64_t *opens_at);

#endif
