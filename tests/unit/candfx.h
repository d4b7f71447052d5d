/* candfx.h - a fixture for the candidate and mandate tests: the identity
 * fixture (authfx.h) with the booking rules, the services' context, two
 * schools (the fixture's organisation and a second one), a school
 * manager in each, and a registry loaded from CSV. */
#ifndef CRENEAU_CANDFX_H
#define CRENEAU_CANDFX_H

#include <stdio.h>
#include <string.h>

#include "authfx.h"
#include "booking/config.h"
#include "service/candidates.h"
#include "service/registry.h"
#include "service/service.h"

#define CFX_HEADER "neph;last_name;first_names;category;gearbox;email\n"
#define CFX_NEPH "123456789012"
#define CFX_NEPH2 "210987654321"

struct candfx {
	struct authfx *f;
	struct booking_rules r;
	struct svc s;
	struct svc_actor who_a, who_b, dispatcher;
	char org_b[AUTH_ID_HEX];
	char manager_a[AUTH_ID_HEX], manager_b[AUTH_ID_HEX];
	int64_t school_a, school_b;
	struct svc_import_report rep;
};

static inline int
candfx_setup(void **state)
{
	struct candfx *x = calloc(1, sizeof(*x));
	char why[ACCOUNT_WHY_MAX], pw[ACCOUNT_TEMP_PW_LEN];
	const char *roles[2] = { "school_manager", NULL };
	struct account_new in = { NULL, "gestion@rivage.example",
		"Sacha Rivage", roles };

	if (x == NULL || authfx_setup((void **)&x->f) != 0)
		return -1;
	*state = x;
	x->r = booking_rules_default();
	x->s.a = &x->f->a;
	x->s.r = &x->r;
	if (org_create(&x->f->a, NULL, "Auto-école du Rivage", "school", FX_T0,
		x->org_b, why, sizeof(why)) != 0)
		return -1;
	in.org_id = x->org_b;
	if (account_create(&x->f->a, NULL, &in, FX_T0, x->manager_b, pw, why,
		sizeof(why)) != 0)
		return -1;
	authfx_account(x->f, "gestion@dupont.example", "Gaël Dupont",
	    "school_manager", x->manager_a, pw);
	if (svc_school_of(&x->s, x->f->org, FX_T0, &x->school_a) != 0 ||
	    svc_school_of(&x->s, x->org_b, FX_T0, &x->school_b) != 0)
		return -1;
	x->who_a.account_id = x->manager_a;
	x->who_a.org_id = x->f->org;
	x->who_b.account_id = x->manager_b;
	x->who_b.org_id = x->org_b;
	x->dispatcher.account_id = "dispatcher";
	return 0;
}

static inline int
candfx_teardown(void **state)
{
	struct candfx *x = *state;
	void *f;

	if (x == NULL)
		return 0;
	f = x->f;
	authfx_teardown(&f);
	free(x);
	return 0;
}

/* Imports csv (a whole file, header included) at now. Returns the
 * service's result; the report stays in x->rep. */
static inline int
candfx_import(struct candfx *x, const char *csv, int64_t now)
{
	return svc_registry_import(&x->s, &x->dispatcher, csv, strlen(csv), now,
	    &x->rep);
}

/* Loads two candidates: Martin Léa (CFX_NEPH, B) and Durand Hugo
 * (CFX_NEPH2, B). */
static inline void
candfx_registry(struct candfx *x)
{
	assert_int_equal(
	    candfx_import(x,
		CFX_HEADER CFX_NEPH
		";Martin;Léa Marie;B;manual;lea@exemple.fr\n" CFX_NEPH2
		";Durand;Hugo;B;automatic;\n",
		FX_T0),
	    0);
	assert_int_equal(x->rep.created, 2);
}

/* Returns the registry id of neph in category (fails the test when
 * absent). */
static inline int64_t
candfx_id(struct candfx *x, const char *neph, const char *category)
{
	struct store_candidate row = { 0 };
	char index[BLIND_INDEX_HEX];
	int64_t id;

	assert_int_equal(svc_candidate_neph_index(&x->s, neph, index), 0);
	assert_int_equal(store_candidate_find(x->f->st, store_conn(x->f->st),
			     index, category, &row),
	    0);
	id = row.id;
	store_candidate_clear(&row);
	return id;
}

#endif
