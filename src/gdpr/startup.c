/* startup.c - the privacy checks and data moves of start-up. */
#include "gdpr/startup.h"

#include <stdio.h>

#include "service/supervision.h"
#include "store/columns.h"

int
gdpr_startup(const struct auth *a, char *err, size_t errlen)
{
	if (store_columns_check(a->st, err, errlen) != 0)
		return -1;
	if (svc_slot_request_seal_legacy(a) < 0) {
		snprintf(err, errlen,
		    "the notes of slot requests could not be sealed");
		return -1;
	}
	return 0;
}
