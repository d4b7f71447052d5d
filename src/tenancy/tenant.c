/* tenant.c - the states of a client organisation and the floors of its
 * settings. */
#include "tenancy/tenant.h"

#include <stdio.h>
#include <string.h>

#include "gdpr/datamap.h"

static const char *const state_names[] = {
	[TENANT_ACTIVE] = "active",
	[TENANT_SUSPENDED] = "suspended",
	[TENANT_TERMINATED] = "terminated",
	[TENANT_DELETED] = "deleted",
};

static const char *const action_names[] = {
	[TENANT_SUSPEND] = "suspend",
	[TENANT_REACTIVATE] = "reactivate",
	[TENANT_TERMINATE] = "terminate",
	[TENANT_DELETE] = "delete",
};

const char *
tenant_state_name(enum tenant_state s)
{
	if ((unsigned)s >= sizeof(state_names) / sizeof(*state_names))
		return NULL;
	return state_names[s];
}

const char *
tenant_action_name(enum tenant_action a)
{
	if ((unsigned)a >= sizeof(action_names) / sizeof(*action_names))
		return NULL;
	return action_names[a];
}

int
tenant_state_parse(const char *s, enum tenant_state *out)
{
	size_t i;

	for (i = 0; s != NULL && i < sizeof(state_names) / sizeof(*state_names);
	     i++)
		if (strcmp(s, state_names[i]) == 0) {
			*out = (enum tenant_state)i;
			return 0;
		}
	return -1;
}

int
tenant_next(enum tenant_state from, enum tenant_action a, enum tenant_state *to)
{
	switch (a) {
	case TENANT_SUSPEND:
		if (from != TENANT_ACTIVE)
			return -1;
		*to = TENANT_SUSPENDED;
		return 0;
	case TENANT_REACTIVATE:
		if (from != TENANT_SUSPENDED)
			return -1;
		*to = TENANT_ACTIVE;
		return 0;
	case TENANT_TERMINATE:
		if (from != TENANT_ACTIVE && from != TENANT_SUSPENDED)
			return -1;
		*to = TENANT_TERMINATED;
		return 0;
	case TENANT_DELETE:
		if (from != TENANT_TERMINATED)
			return -1;
		*to = TENANT_DELETED;
		return 0;
	}
	return -1;
}

const char *
tenant_refusal_text(enum tenant_state from, enum tenant_action a)
{
	if (from == TENANT_DELETED)
		return "Cet organisme est supprimé : plus rien ne peut changer.";
	if (from == TENANT_TERMINATED)
		return a == TENANT_DELETE
		    ? "La suppression n'est pas permise dans cet état."
		    : "Cet organisme est résilié : il ne peut être ni "
		      "suspendu ni réactivé, ses données seront supprimées "
		      "au terme du délai de restitution.";
	switch (a) {
	case TENANT_SUSPEND:
		return "Seul un organisme actif peut être suspendu.";
	case TENANT_REACTIVATE:
		return "Seul un organisme suspendu peut être réactivé.";
	case TENANT_TERMINATE:
		return "Seul un organisme actif ou suspendu peut être résilié.";
	case TENANT_DELETE:
		return "Seul un organisme résilié peut être supprimé.";
	}
	return "Action refusée.";
}

static int
refuse(struct tenant_refusal *r, const char *field, const char *text)
{
	snprintf(r->field, sizeof(r->field), "%s", field);
	snprintf(r->text, sizeof(r->text), "%s", text);
	return -1;
}

/* One bound of the policy: 0 (the product's rule) or within [lo, hi]. */
static int
within(int64_t v, int64_t lo, int64_t hi, const char *field, const char *rule,
    struct tenant_refusal *r)
{
	if (v == 0 || (v >= lo && v <= hi))
		return 0;
	snprintf(r->field, sizeof(r->field), "%s", field);
	snprintf(r->text, sizeof(r->text),
	    "Le champ « %s » doit valoir entre %lld et %lld (%s), ou 0 "
	    "pour la règle du produit.",
	    field, (long long)lo, (long long)hi, rule);
	return -1;
}

int
tenant_policy_check(const struct tenant_policy *p, struct tenant_refusal *r)
{
	if (within(p->password_min_length, TENANT_PW_MIN_LENGTH_FLOOR,
		TENANT_PW_MIN_LENGTH_MAX, "password_min_length",
		"le produit exige au moins 12 caractères", r) != 0 ||
	    within(p->password_max_age_days, TENANT_PW_MAX_AGE_DAYS_MIN,
		TENANT_PW_MAX_AGE_DAYS_MAX, "password_max_age_days",
		"le produit renouvelle les mots de passe des administrateurs "
		"au moins tous les 6 mois",
		r) != 0 ||
	    within(p->session_idle_minutes, TENANT_SESSION_IDLE_MIN_MIN,
		TENANT_SESSION_IDLE_MIN_MAX, "session_idle_minutes",
		"le produit ferme une session inactive après 30 minutes au "
		"plus",
		r) != 0 ||
	    within(p->session_max_hours, TENANT_SESSION_HOURS_MIN,
		TENANT_SESSION_HOURS_MAX, "session_max_hours",
		"le produit ferme toute session après 12 heures au plus",
		r) != 0)
		return -1;
	return 0;
}

int
tenant_text_check(const char *field, const char *s, size_t max, int multiline,
    struct tenant_refusal *r)
{
	const unsigned char *p;
	char text[200];

	if (s == NULL)
		return 0;
	if (strlen(s) > max) {
		snprintf(text, sizeof(text),
		    "Le champ « %s » compte au plus %zu octets.", field, max);
		return refuse(r, field, text);
	}
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if ((*p < 0x20 && !(multiline && (*p == '\n' || *p == '\r'))) ||
		    *p == 0x7f) {
			snprintf(text, sizeof(text),
			    "Le champ « %s » ne peut contenir de caractère de "
			    "contrôle%s.",
			    field,
			    multiline ? " (hors retours à la ligne)" : "");
			return refuse(r, field, text);
		}
	return 0;
}

int
tenant_retention_check(const struct datamap *map, const char *rule,
    int64_t value, struct tenant_refusal *r)
{
	const struct datamap_retention *d = datamap_retention_find(map, rule);
	const char *unit;

	snprintf(r->field, sizeof(r->field), "retention.%.60s", rule);
	if (d == NULL || !d->tenant_min.set || !d->tenant_max.set) {
		snprintf(r->text, sizeof(r->text),
		    "La durée de conservation « %.60s » n'est pas réglable par "
		    "l'organisme (registre des traitements).",
		    rule);
		return -1;
	}
	if (value >= d->tenant_min.value && value <= d->tenant_max.value)
		return 0;
	unit = d->duration.unit == DATAMAP_MONTHS ? "mois" : "jours";
	snprintf(r->text, sizeof(r->text),
	    "La durée de conservation « %.60s » doit être comprise entre %d "
	    "et %d %s (registre des traitements).",
	    rule, d->tenant_min.value, d->tenant_max.value, unit);
	return -1;
}

int64_t
tenant_session_idle_ms(const struct tenant_policy *p, int64_t product_ms)
{
	int64_t t;

	if (p == NULL || p->session_idle_minutes <= 0)
		return product_ms;
	t = p->session_idle_minutes * 60 * 1000;
	return t < product_ms ? t : product_ms;
}

int64_t
tenant_session_max_ms(const struct tenant_policy *p, int64_t product_ms)
{
	int64_t t;

	if (p == NULL || p->session_max_hours <= 0)
		return product_ms;
	t = p->session_max_hours * 3600 * 1000;
	return t < product_ms ? t : product_ms;
}

int
tenant_deletion_due(enum tenant_state s, int64_t delete_after, int64_t now)
{
	return s == TENANT_TERMINATED && delete_after > 0 &&
	    now >= delete_after;
}
