/* rights_agent.c - an agent's planning in its own export. */
#include "gdpr/rights_agent.h"

#include "appointments/appt_time.h"
#include "gdpr/rights.h"
#include "store/appt_structure.h"

/* A local date as "YYYY-MM-DD" into out (11 bytes), or NULL for none. */
static const char *
day_text(int64_t day, char out[16])
{
	return day != APPT_DAY_NONE && appt_date_format(day, out, 16) == 0
	    ? out
	    : NULL;
}

static json_t *
recur_json(const struct store_appt_recur *r, int64_t archived_at)
{
	char from[8] = "", to[8] = "", first[16], last[16];

	(void)appt_hhmm_format(r->start_min, from, sizeof(from));
	(void)appt_hhmm_format(r->end_min, to, sizeof(to));
	return json_pack("{s:s?, s:s?, s:i, s:i, s:s, s:s, s:b}", "first_day",
	    day_text(r->first_day, first), "last_day",
	    day_text(r->last_day, last), "every_weeks", r->every_weeks,
	    "weekdays", (int)r->weekdays, "start_time", from, "end_time", to,
	    "archived", archived_at != 0);
}

static int
add_plage(void *arg, const struct store_appt_plage *p)
{
	struct rights_exp *x = arg;
	json_t *v = recur_json(&p->r, p->archived_at);

	if (v != NULL && p->place_id != 0)
		json_object_set_new(v, "place_id", json_integer(p->place_id));
	rights_item(x, "agent_planning", "Plage d'ouverture", RIGHTS_SOURCE_ORG,
	    v);
	return x->failed;
}

static int
add_absence(void *arg, const struct store_appt_absence *a)
{
	struct rights_exp *x = arg;

	rights_item(x, "agent_planning", "Absence", RIGHTS_SOURCE_ORG,
	    recur_json(&a->r, a->archived_at));
	return x->failed;
}

int
rights_agent_export(struct rights_exp *x, struct store_conn *c)
{
	struct store_appt_agent ag;
	struct store_appt_filter f = { 1, x->id, 0 };
	json_t *services;
	size_t i;
	int rc;

	rc = store_appt_agent_get(x->a->st, c, NULL, x->id, &ag);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	services = json_array();
	for (i = 0; i < ag.n_services; i++)
		json_array_append_new(services, json_integer(ag.services[i]));
	rights_item(x, "account_ref", "Agent d'un organisme (services)",
	    RIGHTS_SOURCE_ORG,
	    json_pack("{s:s, s:o, s:b}", "org_id", ag.org_id, "service_ids",
		services, "archived", ag.archived_at != 0));
	if (store_appt_plages_list(x->a->st, c, ag.org_id, &f, add_plage, x) !=
		0 ||
	    store_appt_absences_list(x->a->st, c, ag.org_id, &f, add_absence,
		x) != 0)
		return -1;
	return x->failed ? -1 : 0;
}
