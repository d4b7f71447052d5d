/*
 * demo_appt.c - the organisation side of appointments in the demo data
 * set: the social services of Loire-Atlantique (an organisation of kind
 * service) with three services, four places (maisons départementales
 * des solidarités), ten agents (one agent_admin) attached to their
 * services, motifs at a place, by phone and at home, a collective
 * workshop, weekly opening hours from today on, two absences, and the
 * organisation's DPO.
 * Everything goes through the services the API uses, with their checks
 * and audit entries, as the agent_admin.
 */
#include "demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "appointments/appt_time.h"
#include "auth/account.h"
#include "core/clock.h"
#include "service/appt_structure.h"

#define ORG_NAME "Solidarités Loire-Atlantique (démo)"
#define ADMIN_EMAIL "admin.rdv@solidarites44.example"

static const char *const service_names[] = { "Service social", "PMI",
	"Insertion" };
#define NSERVICES 3

static const struct {
	const char *name, *address, *phone, *notes;
} places[] = {
	{ "MDS Nantes Nord", "12 boulevard Einstein, 44300 Nantes",
	    "02 40 00 00 01", "Accueil du lundi au vendredi, 9 h - 17 h." },
	{ "MDS Saint-Nazaire", "5 rue de la République, 44600 Saint-Nazaire",
	    "02 40 00 00 02", "Fermé le mercredi après-midi." },
	{ "MDS Rezé", "3 place Jean Perrin, 44400 Rezé", "02 40 00 00 03",
	    "Accès par le tramway, arrêt Espace Diderot." },
	{ "MDS Châteaubriant", "8 rue de Couëré, 44110 Châteaubriant",
	    "02 40 00 00 04", "Permanences le mardi et le jeudi." },
};
#define NPLACES 4

/* The agents: the first is the agent_admin. services is a mask of
 * service_names, place an index of places. */
static const struct {
	const char *email, *name;
	unsigned services;
	int place;
} agents[] = {
	{ ADMIN_EMAIL, "Aline Administratrice", 7, 0 },
	{ "as.martin@solidarites44.example", "Claire Martin", 1, 0 },
	{ "as.nguyen@solidarites44.example", "Minh Nguyen", 1, 1 },
	{ "as.leroux@solidarites44.example", "Julien Leroux", 1, 2 },
	{ "pmi.dupuis@solidarites44.example", "Sophie Dupuis", 2, 0 },
	{ "pmi.benali@solidarites44.example", "Yasmine Benali", 2, 2 },
	{ "pmi.morel@solidarites44.example", "Hélène Morel", 2, 3 },
	{ "ins.garcia@solidarites44.example", "Antoine Garcia", 4, 1 },
	{ "ins.fabre@solidarites44.example", "Léa Fabre", 4, 3 },
	{ "ins.roche@solidarites44.example", "Karim Roche", 5, 2 },
};
#define NAGENTS 10

static const struct {
	int service; /* index of service_names */
	const char *name, *location;
	int duration, online, collective, capacity;
	const char *instructions;
} motifs[] = {
	{ 0, "Premier accueil social", "place", 45, 1, 0, 1,
	    "Apportez une pièce d'identité et vos derniers justificatifs de "
	    "ressources." },
	{ 0, "Entretien téléphonique", "phone", 20, 1, 0, 1,
	    "L'agent vous appelle au numéro indiqué à l'heure du rendez-vous." },
	{ 0, "Visite à domicile", "home", 60, 0, 0, 1, "" },
	{ 1, "Consultation nourrisson", "place", 30, 1, 0, 1,
	    "Apportez le carnet de santé de l'enfant." },
	{ 1, "Conseil téléphonique PMI", "phone", 15, 1, 0, 1, "" },
	{ 1, "Visite à domicile post-natale", "home", 60, 0, 0, 1, "" },
	{ 2, "Entretien RSA", "place", 45, 1, 0, 1,
	    "Apportez votre CV et votre notification de droits RSA." },
	{ 2, "Atelier collectif recherche d'emploi", "place", 120, 1, 1, 12,
	    "Atelier en groupe : apportez de quoi prendre des notes." },
	{ 2, "Point téléphonique insertion", "phone", 20, 0, 0, 1, "" },
};
#define NMOTIFS 9

struct ids {
	int64_t services[NSERVICES], places[NPLACES], motifs[NMOTIFS];
	char agents[NAGENTS][AUTH_ID_HEX];
};

static int
fail(char *err, size_t errlen, const char *what, int rc)
{
	snprintf(err, errlen, "demo-data: appointments: %s refused (%d)", what,
	    rc);
	return -1;
}

static int
structure(const struct svc *s, const struct svc_actor *who, int64_t now,
    struct ids *ids, char *err, size_t errlen)
{
	struct store_appt_service sv;
	struct store_appt_place pl;
	struct store_appt_motif m;
	struct appt_error e = { APPT_OK, NULL, NULL };
	size_t i;
	int rc;

	for (i = 0; i < NSERVICES; i++) {
		memset(&sv, 0, sizeof(sv));
		snprintf(sv.name, sizeof(sv.name), "%s", service_names[i]);
		if ((rc = svc_appt_service_save(s, who, &sv, now, &e)) != 0)
			return fail(err, errlen, "service", rc);
		ids->services[i] = sv.id;
	}
	for (i = 0; i < NPLACES; i++) {
		memset(&pl, 0, sizeof(pl));
		snprintf(pl.name, sizeof(pl.name), "%s", places[i].name);
		snprintf(pl.address, sizeof(pl.address), "%s",
		    places[i].address);
		snprintf(pl.phone, sizeof(pl.phone), "%s", places[i].phone);
		snprintf(pl.opening_notes, sizeof(pl.opening_notes), "%s",
		    places[i].notes);
		pl.rooms = 4; /* more offices than agents receiving at once */
		if ((rc = svc_appt_place_save(s, who, &pl, now, &e)) != 0)
			return fail(err, errlen, "place", rc);
		ids->places[i] = pl.id;
	}
	for (i = 0; i < NMOTIFS; i++) {
		memset(&m, 0, sizeof(m));
		m.service_id = ids->services[motifs[i].service];
		snprintf(m.name, sizeof(m.name), "%s", motifs[i].name);
		snprintf(m.location_type, sizeof(m.location_type), "%s",
		    motifs[i].location);
		m.duration_min = motifs[i].duration;
		m.online = motifs[i].online;
		m.min_delay_min = 30;
		m.max_delay_min = 90 * 1440;
		m.collective = motifs[i].collective;
		m.capacity = motifs[i].capacity;
		m.cancel_deadline_min = 240;
		m.reminder_before_min = 2 * 1440;
		snprintf(m.instructions, sizeof(m.instructions), "%s",
		    motifs[i].instructions);
		if ((rc = svc_appt_motif_save(s, who, &m, now, &e)) != 0)
			return fail(err, errlen, "motif", rc);
		ids->motifs[i] = m.id;
	}
	return 0;
}

/* Attaches agent i with its services. */
static int
attach(const struct svc *s, const struct svc_actor *who, int64_t now,
    const struct ids *ids, size_t i, char *err, size_t errlen)
{
	struct store_appt_agent a;
	struct appt_error e = { APPT_OK, NULL, NULL };
	size_t k;
	int rc;

	memset(&a, 0, sizeof(a));
	snprintf(a.account_id, sizeof(a.account_id), "%s", ids->agents[i]);
	for (k = 0; k < NSERVICES; k++)
		if (agents[i].services & (1u << k))
			a.services[a.n_services++] = ids->services[k];
	if ((rc = svc_appt_agent_put(s, who, &a, now, &e)) != 0)
		return fail(err, errlen, "agent", rc);
	return 0;
}

/*
 * Agent i's week: weekday mornings 09:00-12:00 and Tuesday and Thursday
 * afternoons 14:00-17:00 at its place for the motifs of its services at
 * a place or at home; Wednesday afternoons 14:00-16:00 by phone, with
 * no place.
 */
static int
week(const struct svc *s, const struct svc_actor *who, int64_t now,
    const struct ids *ids, size_t i, char *err, size_t errlen)
{
	static const struct {
		unsigned weekdays;
		int start, end, phone;
		const char *name;
	} shapes[] = {
		{ 0x1f, 9 * 60, 12 * 60, 0, "Matinées" },
		{ 0x0a, 14 * 60, 17 * 60, 0, "Après-midi" },
		{ 0x04, 14 * 60, 16 * 60, 1, "Permanence téléphonique" },
	};
	struct store_appt_plage *p;
	struct appt_error e = { APPT_OK, NULL, NULL };
	size_t k, m;
	int rc = 0;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return fail(err, errlen, "plage", -1);
	for (k = 0; rc == 0 && k < sizeof(shapes) / sizeof(shapes[0]); k++) {
		memset(p, 0, sizeof(*p));
		snprintf(p->agent_id, sizeof(p->agent_id), "%s",
		    ids->agents[i]);
		snprintf(p->name, sizeof(p->name), "%s", shapes[k].name);
		p->place_id =
		    shapes[k].phone ? 0 : ids->places[agents[i].place];
		p->r.first_day = appt_paris_day(now);
		p->r.last_day = APPT_DAY_NONE;
		p->r.every_weeks = 1;
		p->r.weekdays = shapes[k].weekdays;
		p->r.start_min = shapes[k].start;
		p->r.end_min = shapes[k].end;
		for (m = 0; m < NMOTIFS; m++)
			if ((agents[i].services & (1u << motifs[m].service)) &&
			    (strcmp(motifs[m].location, "phone") == 0) ==
				shapes[k].phone)
				p->motifs[p->n_motifs++] = ids->motifs[m];
		if ((rc = svc_appt_plage_save(s, who, p, now, &e)) != 0)
			rc = fail(err, errlen, "plage", rc);
	}
	free(p);
	return rc;
}

/* Two absences: a week of leave in two weeks for the second agent, and
 * every other Friday morning for the fifth. */
static int
absences(const struct svc *s, const struct svc_actor *who, int64_t now,
    const struct ids *ids, char *err, size_t errlen)
{
	struct store_appt_absence a;
	struct appt_error e = { APPT_OK, NULL, NULL };
	int64_t monday = appt_week_monday(appt_paris_day(now)) + 14;
	int rc;

	memset(&a, 0, sizeof(a));
	snprintf(a.agent_id, sizeof(a.agent_id), "%s", ids->agents[1]);
	a.r.first_day = monday;
	a.r.last_day = monday + 4;
	a.r.start_min = 0;
	a.r.end_min = 1440;
	if ((rc = svc_appt_absence_save(s, who, 1, &a, now, &e)) != 0)
		return fail(err, errlen, "absence", rc);
	memset(&a, 0, sizeof(a));
	snprintf(a.agent_id, sizeof(a.agent_id), "%s", ids->agents[4]);
	a.r.first_day = appt_paris_day(now);
	a.r.last_day = APPT_DAY_NONE;
	a.r.every_weeks = 2;
	a.r.weekdays = 0x10;
	a.r.start_min = 9 * 60;
	a.r.end_min = 12 * 60;
	if ((rc = svc_appt_absence_save(s, who, 1, &a, now, &e)) != 0)
		return fail(err, errlen, "absence", rc);
	return 0;
}

int
demo_appt(const struct auth *a, FILE *out, char *err, size_t errlen)
{
	struct svc s = { a, NULL };
	struct svc_actor who = { NULL, NULL, NULL, NULL };
	char org[AUTH_ID_HEX], admin[AUTH_ID_HEX];
	int64_t now = clock_now_ms(clock_real());
	struct ids ids;
	size_t i;

	if (demo_account_of(a, ADMIN_EMAIL, admin) == 0)
		return 0; /* loaded once */
	if (org_create(a, NULL, ORG_NAME, "service", now, org, err, errlen) !=
	    0)
		return -1;
	fprintf(out,
	    "demo appointments: %s, 3 services, 4 places, 9 motifs; its "
	    "agents:\n",
	    ORG_NAME);
	memset(&ids, 0, sizeof(ids));
	for (i = 0; i < NAGENTS; i++)
		if (demo_person(a, out, org, agents[i].email, agents[i].name,
			i == 0 ? "agent_admin" : "agent", err, errlen) != 0 ||
		    demo_account_of(a, agents[i].email, ids.agents[i]) != 0)
			return -1;
	/* The DPO who reads the organisation's audit trail. */
	if (demo_person(a, out, org, "dpo@solidarites44.example",
		"Denis Délégué", "dpo", err, errlen) != 0)
		return -1;
	who.account_id = ids.agents[0];
	who.org_id = org;
	if (structure(&s, &who, now, &ids, err, errlen) != 0)
		return -1;
	for (i = 0; i < NAGENTS; i++)
		if (attach(&s, &who, now, &ids, i, err, errlen) != 0 ||
		    week(&s, &who, now, &ids, i, err, errlen) != 0)
			return -1;
	return absences(&s, &who, now, &ids, err, errlen);
}
