/*
 * demo_booking.c - the exam-booking part of the demo data set: two exam
 * centres (Loire-Atlantique and Vendée), a week of published slots,
 * three driving schools with their departments and trainers' ETP, a
 * registry of thirty candidates imported as the authority would, ten
 * under mandate of each school, and the demo candidate's account linked
 * to its registry row. Everything goes through the same services the API
 * uses, with their checks, audit entries and notifications.
 */
#include "demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "auth/account.h"
#include "booking/caltime.h"
#include "core/buf.h"
#include "core/clock.h"
#include "service/authority.h"
#include "service/candidates.h"
#include "service/mandates.h"
#include "service/registry.h"
#include "store/driver.h"
#include "store/candidates.h"
#include "store/identity.h"
#include "store/school.h"

/* The three schools: the identity loader's and two more. */
static const struct {
	const char *name;
	const char *manager; /* email of its school manager */
	const char *depts[2];
} schools[] = {
	{ "Auto-école des Tilleuls (démo)", "gestion@tilleuls.example",
	    { "44", NULL } },
	{ "Auto-école du Port (démo)", "gestion@port.example", { "44", "85" } },
	{ "Auto-école des Marais (démo)", "gestion@marais.example",
	    { "85", NULL } },
};
#define NSCHOOLS (sizeof(schools) / sizeof(schools[0]))

static const char *const last_names[] = { "Candidate", "Bernard", "Thomas",
	"Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent",
	"Simon", "Michel", "Lefèvre", "Leroy", "Roux", "David", "Bertrand",
	"Morel", "Fournier", "Girard", "Bonnet", "Dupont", "Lambert",
	"Fontaine", "Rousseau", "Vincent", "Muller", "Lefebvre", "Faure",
	"Martin" };
static const char *const first_names[] = { "Camille", "Hugo", "Chloé", "Lucas",
	"Emma", "Louis", "Manon", "Gabriel", "Inès", "Jules", "Jade", "Adam",
	"Louise", "Raphaël", "Alice", "Arthur", "Lina", "Nathan", "Rose",
	"Paul", "Anna", "Tom", "Mila", "Théo", "Zoé", "Noah", "Lou", "Ethan",
	"Sarah", "Léa" };
#define NCANDIDATES 30

int
demo_account_of(const struct auth *a, const char *email, char id[AUTH_ID_HEX])
{
	struct store_account acc;
	char idx[BLIND_INDEX_HEX];
	int rc;

	memset(&acc, 0, sizeof(acc));
	if (auth_email_index(a, email, idx) != 0)
		return -1;
	rc = store_account_by_email(a->st, store_conn(a->st), idx, &acc);
	if (rc == 0 && strlen(acc.id) < AUTH_ID_HEX)
		memcpy(id, acc.id, strlen(acc.id) + 1);
	else
		rc = -1;
	store_account_clear(&acc);
	return rc == 0 ? 0 : -1;
}

struct find_org {
	const char *name;
	char org_id[STORE_ID_MAX];
};

static int
find_org(void *arg, const struct store_school_org *o)
{
	struct find_org *f = arg;

	if (strcmp(o->name, f->name) == 0)
		snprintf(f->org_id, sizeof(f->org_id), "%s", o->org_id);
	return 0;
}

/* Prints the credentials of a new school manager of org. */
static int
manager(const struct auth *a, FILE *out, const char *org, const char *email,
    char *err, size_t errlen)
{
	const char *roles[2] = { "school_manager", NULL };
	struct account_new in = { org, email, "Gestionnaire (démo)", roles };
	char id[AUTH_ID_HEX], pw[ACCOUNT_TEMP_PW_LEN];

	if (account_create(a, NULL, &in, clock_now_ms(clock_real()), id, pw,
		err, errlen) != 0)
		return -1;
	fprintf(out, "  %-22s %-34s %s\n", "school_manager", email, pw);
	sodium_memzero(pw, sizeof(pw));
	return 0;
}

/* 08:30 Paris time on the day days after today, in UTC milliseconds. */
static int64_t
paris_morning(int64_t now, int days)
{
	int64_t day = (now + caltime_paris_offset_ms(now)) / BK_DAY_MS + days;
	int64_t local = day * BK_DAY_MS + 8 * BK_HOUR_MS + 30 * BK_MINUTE_MS;

	return local - caltime_paris_offset_ms(local);
}

/* Whether the day days after today is a Sunday in Paris (no exams). */
static int
sunday(int64_t now, int days)
{
	int64_t day = (now + caltime_paris_offset_ms(now)) / BK_DAY_MS + days;

	return (day + 4) % 7 == 0; /* 1970-01-01 was a Thursday */
}

static int
fail_code(char *err, size_t errlen, const char *what, int rc)
{
	snprintf(err, errlen, "demo-data: %s refused (%s)", what,
	    rc < 0 ? "storage" : bk_code_name((enum bk_code)rc));
	return -1;
}

/* Centres and a week of slots: 8 a day in category B at each centre,
 * 2 in A at Nantes. The first five days were published two days ago
 * (open to every school), the last two just now (24 h for local
 * schools first, rule 2). */
static int
publish(const struct svc *s, const struct svc_actor *who, int64_t now,
    char *err, size_t errlen)
{
	static const struct {
		const char *name, *dept, *address;
	} centres[] = {
		{ "Centre d'examen de Nantes-Rezé", "44",
		    "12 rue de la Classerie, 44400 Rezé" },
		{ "Centre d'examen de La Roche-sur-Yon", "85",
		    "3 boulevard des Belges, 85000 La Roche-sur-Yon" },
	};
	struct store_slot slots[2 * 7 * 10];
	int64_t ids[2 * 7 * 10];
	struct store_centre ce;
	struct svc_fault f = { -1, NULL, NULL };
	size_t n = 0, i;
	int day, k, rc;

	for (i = 0; i < 2; i++) {
		memset(&ce, 0, sizeof(ce));
		snprintf(ce.name, sizeof(ce.name), "%s", centres[i].name);
		snprintf(ce.department, sizeof(ce.department), "%s",
		    centres[i].dept);
		snprintf(ce.address, sizeof(ce.address), "%s",
		    centres[i].address);
		if ((rc = svc_centre_create(s, who, &ce, now, &f)) != BK_OK)
			return fail_code(err, errlen, "centre", rc);
		for (day = 1; day <= 7; day++)
			for (k = 0; k < (i == 0 ? 10 : 8) && !sunday(now, day);
			     k++) {
				struct store_slot *sl = &slots[n++];

				memset(sl, 0, sizeof(*sl));
				sl->centre_id = ce.id;
				snprintf(sl->s.category, sizeof(sl->s.category),
				    "%s", k >= 8 ? "A" : "B");
				sl->s.start_at = paris_morning(now, day) +
				    (int64_t)(k % 8) * 50 * BK_MINUTE_MS +
				    (k >= 8 ? 30 * BK_MINUTE_MS : 0);
				sl->s.published_at =
				    day <= 5 ? now - 2 * BK_DAY_MS : now;
				snprintf(sl->inspector, sizeof(sl->inspector),
				    "INSP-%s-%d", centres[i].dept, 1 + k % 3);
			}
	}
	rc = svc_slots_publish(s, who, slots, n, now, ids, &f);
	return rc == BK_OK ? 0 : fail_code(err, errlen, "slots", rc);
}

/* The registry: thirty candidates, as the authority imports them. */
static int
registry(const struct svc *s, const struct svc_actor *who, int64_t now,
    char *err, size_t errlen)
{
	struct svc_import_report *rep = calloc(1, sizeof(*rep));
	struct buf csv;
	int i, rc;

	if (rep == NULL)
		return -1;
	buf_init(&csv, 64 * 1024);
	buf_append_str(&csv,
	    "neph;last_name;first_names;category;gearbox;email;birth_date\n");
	for (i = 0; i < NCANDIDATES; i++)
		buf_printf(&csv, "%012d;%s;%s;%s;%s;%s;%04d-%02d-%02d\n",
		    130400000 + i * 7, last_names[i], first_names[i],
		    i % 10 == 9 ? "A" : "B",
		    i % 4 == 3 ? "automatic" : "manual",
		    i == 0 ? "candidat@demo.example" : "", 2000 + i % 8,
		    1 + i % 12, 1 + i % 28);
	rc = svc_registry_import(s, who, csv.data, csv.len, now, rep);
	if (rc != 0)
		snprintf(err, errlen, "demo-data: registry import refused%s%s",
		    rep->nerrors ? ": " : "",
		    rep->nerrors ? rep->errors[0].detail : "");
	buf_free(&csv);
	free(rep);
	return rc == 0 ? 0 : -1;
}

/* School i: departments, trainers' ETP and ten mandates. */
static int
school(const struct svc *s, size_t i, const char *org, int64_t now, char *err,
    size_t errlen)
{
	struct authority_establishments e;
	struct svc_actor who = { NULL, org, NULL, NULL };
	struct svc_mandate_claim claim;
	struct mandate m;
	char acct[AUTH_ID_HEX], neph[16];
	struct svc_fault f = { -1, NULL, NULL };
	int64_t school_id;
	size_t d;
	int k, rc;

	if (svc_school_of(s, org, now, &school_id) != 0 ||
	    demo_account_of(s->a, schools[i].manager, acct) != 0)
		return fail_code(err, errlen, "school", -1);
	memset(&e, 0, sizeof(e));
	for (d = 0; d < 2 && schools[i].depts[d] != NULL; d++) {
		snprintf(e.depts[e.ndepts++], BK_DEPARTMENT_MAX, "%s",
		    schools[i].depts[d]);
		snprintf(e.trainers[e.ntrainers].trainer, STORE_TRAINER_REF_MAX,
		    "formateur-%zu-%zu", i + 1, d + 1);
		snprintf(e.trainers[e.ntrainers].department, BK_DEPARTMENT_MAX,
		    "%s", schools[i].depts[d]);
		snprintf(e.trainers[e.ntrainers].category, BK_CATEGORY_MAX,
		    "B");
		e.trainers[e.ntrainers++].etp_centi = 100;
	}
	snprintf(e.trainers[e.ntrainers].trainer, STORE_TRAINER_REF_MAX,
	    "formateur-%zu-9", i + 1);
	snprintf(e.trainers[e.ntrainers].department, BK_DEPARTMENT_MAX, "%s",
	    schools[i].depts[0]);
	snprintf(e.trainers[e.ntrainers].category, BK_CATEGORY_MAX, "A");
	e.trainers[e.ntrainers++].etp_centi = 50;
	if ((rc = svc_establishments_set(s, &who, school_id, org, &e, now,
		 &f)) != BK_OK)
		return fail_code(err, errlen, "establishments", rc);
	who.account_id = acct;
	for (k = (int)i * 10; k < (int)i * 10 + 10; k++) {
		snprintf(neph, sizeof(neph), "%012d", 130400000 + k * 7);
		claim.neph = neph;
		claim.last_name = last_names[k];
		claim.first_names = first_names[k];
		claim.category = k % 10 == 9 ? "A" : "B";
		if ((rc = svc_mandate_create(s, &who, school_id, &claim, now,
			 &m)) != BK_OK)
			return fail_code(err, errlen, "mandate", rc);
	}
	return 0;
}

struct any_centre {
	int found;
};

static int
centre_seen(void *arg, const struct store_centre *c)
{
	(void)c;
	((struct any_centre *)arg)->found = 1;
	return 0;
}

int
demo_booking(const struct auth *a, FILE *out, char *err, size_t errlen)
{
	struct booking_rules r = booking_rules_default();
	struct svc s = { a, &r };
	struct svc_actor dispatcher = { NULL, NULL, NULL, NULL };
	struct any_centre seen = { 0 };
	struct find_org fo;
	char disp[AUTH_ID_HEX], cand[AUTH_ID_HEX], idx[BLIND_INDEX_HEX];
	int64_t now = clock_now_ms(clock_real());
	struct store_candidate camille;
	int rc;
	size_t i;

	if (svc_centres_list(&s, NULL, centre_seen, &seen) != 0)
		return -1;
	if (seen.found)
		return 0; /* loaded once */
	if (demo_account_of(a, "repartition@demo.example", disp) != 0) {
		snprintf(err, errlen, "demo-data: the dispatcher is missing");
		return -1;
	}
	dispatcher.account_id = disp;
	if (publish(&s, &dispatcher, now, err, errlen) != 0 ||
	    registry(&s, &dispatcher, now, err, errlen) != 0)
		return -1;
	fprintf(out,
	    "demo booking: 2 centres, a week of slots, 30 "
	    "candidates, 3 schools; more school managers:\n");
	for (i = 0; i < NSCHOOLS; i++) {
		memset(&fo, 0, sizeof(fo));
		fo.name = schools[i].name;
		if (svc_school_orgs(&s, find_org, &fo) != 0)
			return -1;
		if (fo.org_id[0] == '\0' &&
		    (org_create(a, NULL, schools[i].name, "school", now,
			 fo.org_id, err, errlen) != 0 ||
			manager(a, out, fo.org_id, schools[i].manager, err,
			    errlen) != 0))
			return -1;
		if (school(&s, i, fo.org_id, now, err, errlen) != 0)
			return -1;
	}
	/* The demo candidate's account is Camille's registry row, under the
	 * mandate of the Tilleuls school. */
	memset(&camille, 0, sizeof(camille));
	rc = demo_account_of(a, "candidat@demo.example", cand) != 0 ||
		(svc_candidate_neph_index(&s, "000130400000", idx) == 0 &&
		    store_candidate_find(a->st, store_conn(a->st), idx, "B",
			&camille) == 0 &&
		    svc_candidate_link_account(&s, camille.id, cand) == 0)
	    ? 0
	    : -1;
	store_candidate_clear(&camille);
	if (rc != 0)
		snprintf(err, errlen, "demo-data: cannot link the candidate");
	return rc;
}
