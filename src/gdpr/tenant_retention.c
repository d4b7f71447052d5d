/* tenant_retention.c - applies the shorter retention periods client
 * organisations chose (gdpr/tenant_retention.h). */
#include "gdpr/tenant_retention.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "store/driver.h"
#include "store/identity.h"
#include "store/outbox.h"
#include "store/tenants.h"

#define CHOICES_MAX 4096 /* organisations with a choice, in one run */

struct choice {
	char org_id[STORE_ID_MAX];
	int64_t cutoff;
};

typedef long (*org_purge_fn)(struct store *st, struct store_conn *c,
    const char *org_id, int64_t cutoff);

struct purge_tx {
	const struct datamap_retention *rule;
	int64_t now, cutoff; /* the map's cutoff */
	org_purge_fn fn;
	struct choice *v;
	size_t n;
	long removed;
};

/* Keeps t's choice for the rule when it is a shorter period than the
 * map's (a longer one cannot be: the settings refuse it). */
static int
collect(void *arg, const struct store_tenant *t)
{
	struct purge_tx *p = arg;
	struct datamap_duration d;
	json_t *o, *v;
	int64_t cut;

	if (t->retention[0] == '\0' || p->n == CHOICES_MAX)
		return 0;
	if ((o = json_loads(t->retention, 0, NULL)) == NULL)
		return 0; /* never written that way by the settings */
	v = json_object_get(o, p->rule->id);
	if (json_is_integer(v) && json_integer_value(v) > 0) {
		d = p->rule->duration;
		d.value = (int)json_integer_value(v);
		cut = retention_cutoff(&d, p->now);
		if (cut > p->cutoff) {
			snprintf(p->v[p->n].org_id, STORE_ID_MAX, "%s",
			    t->org_id);
			p->v[p->n++].cutoff = cut;
		}
	}
	json_decref(o);
	return 0;
}

static int
purge_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct purge_tx *p = arg;
	size_t i;
	long n;

	if (store_tenant_list(st, c, collect, p) != 0)
		return -1;
	for (i = 0; i < p->n; i++) {
		if ((n = p->fn(st, c, p->v[i].org_id, p->v[i].cutoff)) < 0)
			return -1;
		p->removed += n;
	}
	return 0;
}

static long
run(const struct retention_ctx *ctx, const struct datamap_retention *rule,
    int64_t now_ms, int64_t cutoff_ms, org_purge_fn fn)
{
	struct purge_tx p = { rule, now_ms, cutoff_ms, fn, NULL, 0, 0 };
	int rc;

	if ((p.v = calloc(CHOICES_MAX, sizeof(*p.v))) == NULL)
		return -1;
	rc = store_tx(ctx->st, 1, purge_tx, &p);
	free(p.v);
	return rc != 0 ? -1 : p.removed;
}

long
tenant_retention_journal(const struct retention_ctx *ctx,
    const struct datamap_retention *rule, int64_t now_ms, int64_t *cutoff_ms)
{
	return run(ctx, rule, now_ms, *cutoff_ms,
	    store_journal_delete_org_before);
}

long
tenant_retention_outbox(const struct retention_ctx *ctx,
    const struct datamap_retention *rule, int64_t now_ms, int64_t *cutoff_ms)
{
	return run(ctx, rule, now_ms, *cutoff_ms,
	    store_outbox_purge_org_before);
}
