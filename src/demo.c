/*
 * demo.c - the demo data set: one platform, an exam authority and a
 * driving school, with one account per role; the candidate lives in the
 * people's place, its DPO (the platform's) beside it. Temporary passwords are
 * printed once, as `creneau user add` prints them; each must be changed at
 * first sign-in and staff accounts then enrol TOTP, exactly as in
 * production: the demo has no shortcut around security.
 */
#include "demo.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "auth/account.h"
#include "core/clock.h"
#include "service/contacts.h"
#include "store/contacts.h"
#include "store/directory.h"
#include "store/driver.h"
#include "store/identity.h"

struct demo_loader {
	const char *module;
	int (*load)(const struct auth *a, FILE *out, char *err, size_t errlen);
};

static int
any(void *arg, const char *id)
{
	(void)id;
	*(int *)arg = 1;
	return 1;
}

int
demo_person(const struct auth *a, FILE *out, const char *org, const char *email,
    const char *name, const char *role, char *err, size_t errlen)
{
	const char *roles[2] = { role, NULL };
	struct account_new in = { org, email, name, roles };
	char id[AUTH_ID_HEX], pw[ACCOUNT_TEMP_PW_LEN];

	if (account_create(a, NULL, &in, clock_now_ms(clock_real()), id, pw,
		err, errlen) != 0)
		return -1;
	fprintf(out, "  %-22s %-34s %s\n", role, email, pw);
	sodium_memzero(pw, sizeof(pw));
	return 0;
}

static int
demo_identity(const struct auth *a, FILE *out, char *err, size_t errlen)
{
	static const struct {
		int org; /* 0 platform, 1 authority, 2 school, 3 people,
			    4 association */
		const char *email, *name, *role;
	} people[] = {
		{ 0, "plateforme@demo.example", "Alex Plateforme",
		    "platform_admin" },
		/* The DPO who answers the people's rights requests,
		 * appointed by the platform like every DPO. */
		{ 3, "dpo@demo.example", "Paule Déléguée", "dpo" },
		{ 1, "repartition@demo.example", "Rémi Répartiteur",
		    "dispatcher" },
		{ 2, "direction@tilleuls.example", "Nadia Directrice",
		    "school_admin" },
		{ 2, "gestion@tilleuls.example", "Gaël Gestionnaire",
		    "school_manager" },
		{ 2, "formation@tilleuls.example", "Fanny Formatrice",
		    "trainer" },
		{ 2, "supervision@demo.example", "Sam Superviseur",
		    "regional_supervisor" },
		{ 2, "dpo@tilleuls.example", "Dominique Délégué", "dpo" },
		/* Encrypted dossiers (seed 002): the association's validator,
		 * a family and a volunteer in the people's place (before the
		 * candidate, whom tests find as the last "candidate"). */
		{ 4, "validation@enfance-pluriel.example",
		    "Valérie Validatrice", "validator" },
		/* A second validator, who joins with a key of her own: the
		 * first gives it access to the open dossiers' documents. */
		{ 4, "validation2@enfance-pluriel.example", "Victor Validateur",
		    "validator" },
		{ 3, "famille@demo.example", "Florence Famille", "candidate" },
		{ 3, "benevole@demo.example", "Bruno Bénévole", "candidate" },
		{ 3, "candidat@demo.example", "Camille Candidate",
		    "candidate" },
	};
	char orgs[5][AUTH_ID_HEX];
	int64_t now = clock_now_ms(clock_real());
	int exists = 0;
	size_t i;

	/* Loaded once: any organisation means the data set is there. */
	if (store_account_ids(a->st, NULL, 1, any, &exists) != 0)
		return -1;
	if (exists) {
		fprintf(out,
		    "demo-data: accounts already exist; their "
		    "temporary passwords were printed when they were "
		    "made\n");
		return 0;
	}
	if (org_create(a, NULL, "Plateforme Créneau", "platform", now, orgs[0],
		err, errlen) != 0 ||
	    org_create(a, NULL, "Centre d'examen de Nantes (démo)", "authority",
		now, orgs[1], err, errlen) != 0 ||
	    org_create(a, NULL, "Auto-école des Tilleuls (démo)", "school", now,
		orgs[2], err, errlen) != 0 ||
	    org_create(a, NULL, "Association Enfance & Pluriel (démo)",
		"association", now, orgs[4], err, errlen) != 0)
		return -1;
	/* Candidates live in the people's place (migration 10), linked to
	 * schools by their mandates only. */
	memcpy(orgs[3], AUTH_PEOPLE_ORG, sizeof(orgs[3]));
	fprintf(out,
	    "demo accounts (temporary passwords, shown once; change "
	    "at first sign-in, staff then enrol TOTP):\n");
	for (i = 0; i < sizeof(people) / sizeof(people[0]); i++)
		if (demo_person(a, out, orgs[people[i].org], people[i].email,
			people[i].name, people[i].role, err, errlen) != 0)
			return -1;
	return 0;
}

/* A few customers and suppliers of the Tilleuls (seed 003) for its
 * « Contacts » page, made by its administrator as through the API:
 * checked, sealed under the organisation's key, audited. */
static int
demo_contacts(const struct auth *a, FILE *out, char *err, size_t errlen)
{
	static const char *const rows[][CF_COUNT] = {
		{ "fournisseur", "Garage du Centre (démo)", "Marc Lefèvre",
		    "atelier@garage-centre.example", "02 40 12 34 56",
		    "12 rue de la Gare\n44000 Nantes", "73282932000074",
		    "Entretien des véhicules d'apprentissage." },
		{ "client", "Lycée Jules-Verne (démo)", "Sophie Bernard",
		    "vie-scolaire@lycee-verne.example", "02 40 65 43 21", NULL,
		    NULL, "Convention pour les séances de code." },
		{ "fournisseur", "Imprimerie de la Loire (démo)", NULL,
		    "devis@imprimerie-loire.example", NULL, NULL, NULL, NULL },
	};
	struct store_account acc;
	struct contact_fields f;
	struct contact_refusal why;
	struct svc_actor who;
	char idx[BLIND_INDEX_HEX], id[AUTH_ID_HEX];
	int64_t now = clock_now_ms(clock_real());
	long n = 0;
	size_t i, k;
	int rc;

	memset(&acc, 0, sizeof(acc));
	memset(&f, 0, sizeof(f));
	memset(&why, 0, sizeof(why));
	if (auth_email_index(a, "direction@tilleuls.example", idx) != 0 ||
	    store_account_by_email(a->st, store_conn(a->st), idx, &acc) != 0) {
		store_account_clear(&acc);
		snprintf(err, errlen,
		    "demo-data: the Tilleuls admin is missing");
		return -1;
	}
	/* Counted, not opened: a run on an existing database must not
	 * depend on every stored contact being readable. */
	n = store_contact_count(a->st, store_conn(a->st), acc.org_id);
	rc = n < 0 ? -1 : 0;
	if (rc != 0)
		snprintf(err, errlen,
		    "demo-data: the contacts could not be "
		    "counted");
	who.account_id = acc.id;
	who.org_id = acc.org_id;
	who.ip = NULL;
	who.request_id = NULL;
	for (i = 0; rc == 0 && n == 0 && i < sizeof(rows) / sizeof(rows[0]);
	     i++) {
		for (k = 0; k < CF_COUNT; k++)
			f.v[k] = rows[i][k];
		rc = contacts_create(a, &who, acc.org_id, &f, now, id, &why);
		if (rc != 0)
			snprintf(err, errlen, "demo-data: contact %zu: %s %s",
			    i, why.field, why.text);
	}
	if (rc == 0 && n == 0)
		fprintf(out, "demo contacts: 3 for the Tilleuls\n");
	store_account_clear(&acc);
	return rc == 0 ? 0 : -1;
}

static const struct demo_loader loaders[] = {
	{ "identity", demo_identity },
	{ "booking", demo_booking },
	{ "appointments", demo_appt },
	{ "appointments_people", demo_appt_people },
	{ "contacts", demo_contacts },
	{ NULL, NULL },
};

int
demo_load(const struct auth *a, FILE *out, char *err, size_t errlen)
{
	size_t i;

	for (i = 0; loaders[i].module != NULL; i++) {
		if (loaders[i].load(a, out, err, errlen) != 0)
			return -1;
	}
	return 0;
}
