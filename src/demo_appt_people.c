/*
 * demo_appt_people.c - the people's side of appointments in the demo
 * data set, on top of the organisation side (demo_appt.c): thirty users
 * of the Loire-Atlantique social services (« nouvel usager » records made
 * by their agents), ten relatives, and a month of appointments with the
 * three agents of the social service at their places, by phone and at
 * home. Everything goes through the services the API uses, with their
 * checks, sealing, audit entries and notifications; a slot a rule
 * refuses (an absence...) is simply skipped.
 */
#include "demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "appointments/appt_time.h"
#include "core/clock.h"
#include "notify/notify.h"
#include "service/appt_people.h"
#include "service/appt_structure.h"
#include "store/driver.h"

#define NUSERS 30
#define NRELATIVES 10
#define DAYS 30

static const char *const agents[] = { "as.martin@solidarites44.example",
	"as.nguyen@solidarites44.example", "as.leroux@solidarites44.example" };
#define NAGENTS 3
/* The place of each agent, by name (demo_appt.c). */
static const char *const places[] = { "MDS Nantes Nord", "MDS Saint-Nazaire",
	"MDS Rezé" };

static const char *const last_names[] = { "Martin", "Bernard", "Dubois",
	"Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau" };
static const char *const first_names[] = { "Nadia", "Karim", "Sophie", "Lucas",
	"Amina", "Jules", "Inès", "Hugo", "Chloé", "Yanis" };
static const char *const situations[] = { "celibataire", "marie", "pacse",
	"divorce", "veuf" };

struct names {
	const char *want;
	int64_t id;
};

static int
motif_named(void *arg, const struct store_appt_motif *m)
{
	struct names *n = arg;

	if (strcmp(m->name, n->want) == 0)
		n->id = m->id;
	return 0;
}

static int
place_named(void *arg, const struct store_appt_place *p)
{
	struct names *n = arg;

	if (strcmp(p->name, n->want) == 0)
		n->id = p->id;
	return 0;
}

static int64_t
motif_id(const struct svc *s, const char *org, const char *name)
{
	struct store_appt_filter f = { 0, NULL, 0 };
	struct names n = { name, 0 };

	return svc_appt_motifs_list(s, org, &f, motif_named, &n) == 0 ? n.id
								      : 0;
}

static int64_t
place_id(const struct svc *s, const char *org, const char *name)
{
	struct store_appt_filter f = { 0, NULL, 0 };
	struct names n = { name, 0 };

	return svc_appt_places_list(s, org, &f, place_named, &n) == 0 ? n.id
								      : 0;
}

/* Creates the users and relatives; their ids into users. */
static int
people(const struct svc *s, const struct svc_actor *who, int64_t now,
    int64_t *users, char *err, size_t errlen)
{
	struct svc_appt_user_in in;
	struct appt_error e = { APPT_OK, NULL, NULL };
	char email[96], phone[24], birth[32], children[4], address[96];
	int64_t rel;
	int i, rc;

	for (i = 0; i < NUSERS + NRELATIVES; i++) {
		memset(&in, 0, sizeof(in));
		in.f[AUF_LAST_NAME] = last_names[i % 10];
		in.f[AUF_FIRST_NAMES] = first_names[(i * 3 + 1) % 10];
		snprintf(birth, sizeof(birth), "%04d-%02d-%02d",
		    i < NUSERS ? 1960 + i : 2010 + i % 10, 1 + i % 12,
		    1 + i % 28);
		in.f[AUF_BIRTH_DATE] = birth;
		if (i < NUSERS) {
			snprintf(email, sizeof(email), "usager%d@exemple.fr",
			    i + 1);
			snprintf(phone, sizeof(phone), "06 00 00 %02d %02d",
			    i / 10, i % 100);
			snprintf(children, sizeof(children), "%d", i % 4);
			snprintf(address, sizeof(address),
			    "%d rue de la Démo, 44000 Nantes", i + 1);
			in.f[AUF_EMAIL] = email;
			in.f[AUF_PHONE] = phone;
			in.f[AUF_CHILDREN] = children;
			in.f[AUF_ADDRESS] = address;
			in.f[AUF_FAMILY_SITUATION] = situations[i % 5];
			in.f[AUF_CAF_NUMBER] = "1234567";
		}
		rc = svc_appt_user_create(s, who, who->org_id,
		    i < NUSERS ? 0 : users[i - NUSERS], NULL, &in, now,
		    i < NUSERS ? &users[i] : &rel, &e);
		if (rc != APPT_OK) {
			snprintf(err, errlen,
			    "demo-data: appointments: user refused (%d)", rc);
			return -1;
		}
	}
	return 0;
}

/* The insertion service's job-search workshop every Thursday at 14:30 at
 * Rezé, with Karim Roche and three of the users, so the sessions offered
 * online have seats taken and seats left. Returns how many were made. */
static int
workshops(const struct svc *s, struct svc_actor *who, const char *org,
    int64_t today, int64_t now, const int64_t *users)
{
	struct svc_appt_book_in in;
	struct appt_error e;
	char roche[AUTH_ID_HEX];
	int64_t motif =
		    motif_id(s, org, "Atelier collectif recherche d'emploi"),
		place = place_id(s, org, "MDS Rezé"), id;
	int d, made = 0;

	if (motif == 0 || place == 0 ||
	    demo_account_of(s->a, "ins.roche@solidarites44.example", roche) !=
		0)
		return 0;
	who->account_id = roche;
	for (d = 1; d <= DAYS; d++) {
		if (appt_weekday(today + d) != 4)
			continue;
		memset(&in, 0, sizeof(in));
		memset(&e, 0, sizeof(e));
		in.org_id = org;
		in.motif_id = motif;
		in.place_id = place;
		in.agents[0] = roche;
		in.n_agents = 1;
		in.users[0] = users[(3 * d) % NUSERS];
		in.users[1] = users[(3 * d + 1) % NUSERS];
		in.users[2] = users[(3 * d + 2) % NUSERS];
		in.n_users = 3;
		in.actor = APPT_BY_AGENT;
		in.start_at = appt_paris_to_utc(today + d, 14 * 60 + 30, NULL);
		made += svc_appt_book(s, who, &in, now, &id, &e) == APPT_OK;
	}
	return made;
}

int
demo_appt_people(const struct auth *a, FILE *out, char *err, size_t errlen)
{
	struct svc s = { a, NULL };
	struct svc_actor who = { NULL, NULL, NULL, NULL };
	struct store_account acc;
	struct svc_appt_book_in in;
	struct appt_error e;
	char ids[NAGENTS][AUTH_ID_HEX], org[STORE_ID_MAX];
	int64_t users[NUSERS], now = clock_now_ms(clock_real()), today, id;
	int64_t accueil, phone, home, place[NAGENTS];
	static const int minutes[] = { 9 * 60, 10 * 60 + 30 };
	int d, k, booked = 0, u = 0, mail, sessions = 0;
	size_t i;

	memset(&acc, 0, sizeof(acc));
	for (i = 0; i < NAGENTS; i++)
		if (demo_account_of(a, agents[i], ids[i]) != 0)
			return 0; /* no organisation side: nothing to add */
	if (store_account_get(a->st, store_conn(a->st), ids[0], &acc) != 0) {
		store_account_clear(&acc);
		return 0;
	}
	snprintf(org, sizeof(org), "%s", acc.org_id);
	store_account_clear(&acc);
	who.account_id = ids[0];
	who.org_id = org;
	accueil = motif_id(&s, org, "Premier accueil social");
	phone = motif_id(&s, org, "Entretien téléphonique");
	home = motif_id(&s, org, "Visite à domicile");
	for (i = 0; i < NAGENTS; i++)
		place[i] = place_id(&s, org, places[i]);
	if (accueil == 0 || phone == 0 || home == 0)
		return 0;
	{
		int64_t one = 0;
		size_t n = 0;

		/* Loaded once: the first demo user is there already. */
		if (svc_appt_user_search(&s, org, last_names[0], "1960-01-01",
			NULL, NULL, &one, 1, &n) == 0 &&
		    n > 0)
			return 0;
	}
	if (people(&s, &who, now, users, err, errlen) != 0)
		return -1;
	/* The demo's bookings are told in the application only: no email
	 * goes to the made-up addresses. */
	mail = notify_email_enabled();
	notify_email_set(0);
	today = appt_paris_day(now);
	for (d = 1; d <= DAYS; d++) {
		int wd = appt_weekday(today + d);

		for (i = 0; i < NAGENTS; i++) {
			for (k = 0; k < 3; k++) {
				memset(&in, 0, sizeof(in));
				memset(&e, 0, sizeof(e));
				in.org_id = org;
				in.agents[0] = ids[i];
				in.n_agents = 1;
				in.users[0] = users[u % NUSERS];
				in.n_users = 1;
				in.actor = APPT_BY_AGENT;
				if (k < 2) {
					in.motif_id = accueil;
					in.place_id = place[i];
					in.start_at =
					    appt_paris_to_utc(today + d,
						minutes[k], NULL);
				} else if (wd == 3) {
					in.motif_id = phone;
					in.start_at =
					    appt_paris_to_utc(today + d,
						14 * 60, NULL);
				} else if (wd == 2 || wd == 4) {
					in.motif_id = home;
					in.home_address = "1 rue de la Démo, "
							  "44000 Nantes";
					in.start_at =
					    appt_paris_to_utc(today + d,
						14 * 60, NULL);
				} else
					continue;
				who.account_id = ids[i];
				if (svc_appt_book(&s, &who, &in, now, &id,
					&e) == APPT_OK) {
					booked++;
					u++;
				}
			}
		}
	}
	sessions += workshops(&s, &who, org, today, now, users);
	notify_email_set(mail);
	fprintf(out,
	    "demo appointments: %d users, %d relatives, %d appointments and %d "
	    "workshop sessions over the next %d days\n",
	    NUSERS, NRELATIVES, booked, sessions, DAYS);
	return 0;
}
