/* school.c (service) - which school an organisation is. */
#include "service/service.h"
#include "store/driver.h"
#include "store/school.h"

int
svc_school_of(const struct svc *s, const char *org_id, int64_t now, int64_t *id)
{
	struct store_conn *c = store_conn(s->a->st);

	if (c == NULL)
		return -1;
	return store_school_ensure(s->a->st, c, org_id, now, id);
}
