/* territory.c - rule 2: territorial priority. */
#include "booking/territory.h"

#include <string.h>

int64_t
territory_opens_at(const struct booking_rules *r, const struct bk_slot *slot,
    const char *const *depts, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (depts[i] != NULL &&
		    strncmp(depts[i], slot->department, BK_DEPARTMENT_MAX) == 0)
			return slot->published_at;
	return slot->published_at + r->territory_delay_ms;
}

enum bk_code
territory_check(const struct booking_rules *r, const struct bk_slot *slot,
    const char *const *depts, size_t n, int64_t now, int64_t *opens_at)
{
	int64_t at;

	if (now < slot->published_at)
		return BK_CRENEAU_INCONNU;
	at = territory_opens_at(r, slot, depts, n);
	if (now < at) {
		if (opens_at != NULL)
			*opens_at = at;
		return BK_ACTION_INTERDITE;
	}
	return BK_OK;
}
