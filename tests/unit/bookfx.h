/* bookfx.h - a fixture for the booking service tests: the identity
 * fixture plus two schools, a centre in department 44, slots, candidates
 * under mandate and trainers' ETP, written straight into the tables. */
#ifndef CRENEAU_BOOKFX_H
#define CRENEAU_BOOKFX_H

#include "authfx.h"
#include "booking/caltime.h"
#include "booking/mandate.h"
#include "service/service.h"
#include "store/mandates.h"
#include "store/school.h"

/* 2030-01-07T09:00:00Z, a Monday: slots are published then. */
#define BX_NOW (FX_T0 + 6 * BK_DAY_MS + 9 * BK_HOUR_MS)

struct bookfx {
	struct authfx *f;
	struct booking_rules r;
	struct svc s;
	char org2[AUTH_ID_HEX]; /* a second school, in department 85 */
	int64_t school1, school2;
	char emp1[AUTH_ID_HEX], emp2[AUTH_ID_HEX]; /* one employee each */
	struct svc_actor who1, who2;
	int64_t centre; /* department 44 */
};

static inline void
bx_exec(struct bookfx *b, const char *sql)
{
	assert_int_equal(store_drv(b->f->st)->exec(store_conn(b->f->st), sql,
			     NULL, 0, NULL, NULL),
	    0);
}

/* Returns the integer of a one-row query. */
static inline int64_t
bx_int(struct bookfx *b, const char *sql)
{
	struct store_int_out o = { store_drv(b->f->st), 0, 0 };

	assert_int_equal(store_drv(b->f->st)->exec(store_conn(b->f->st), sql,
			     NULL, 0, store_row_int, &o),
	    0);
	return o.v;
}

/* Publishes a slot of category starting start_at, published at
 * published_at, at the fixture's centre. Returns its id. */
static inline int64_t
bx_slot(struct bookfx *b, const char *category, int64_t start_at,
    int64_t published_at)
{
	char sql[256];

	snprintf(sql, sizeof(sql),
	    "INSERT INTO slots (centre_id, category, start_at, inspector,"
	    " published_at, state, created_at) VALUES (%lld, '%s', %lld,"
	    " 'INSP-1', %lld, 'free', %lld)",
	    (long long)b->centre, category, (long long)start_at,
	    (long long)published_at, (long long)published_at);
	bx_exec(b, sql);
	return bx_int(b, "SELECT MAX(id) FROM slots");
}

/* Creates a candidate of category under an active mandate of school
 * (0: none). Returns its id. */
static inline int64_t
bx_candidate(struct bookfx *b, const char *category, int64_t school)
{
	static int seq;
	struct mandate m;
	char sql[300];
	int64_t id;

	snprintf(sql, sizeof(sql),
	    "INSERT INTO candidates (neph_index, category, neph, last_name,"
	    " first_names, gearbox, created_at, updated_at) VALUES"
	    " ('ix%d', '%s', x'00', x'00', x'00', 'manual', 0, 0)",
	    ++seq, category);
	bx_exec(b, sql);
	id = bx_int(b, "SELECT MAX(id) FROM candidates");
	if (school > 0) {
		memset(&m, 0, sizeof(m));
		m.candidate_id = id;
		m.school_id = school;
		snprintf(m.category, sizeof(m.category), "%s", category);
		m.state = MANDATE_ACTIVE;
		m.activated_at = FX_T0;
		m.expires_at = mandate_expiry(&b->r, FX_T0);
		assert_int_equal(store_mandate_insert(b->f->st,
				     store_conn(b->f->st), &m,
				     MANDATE_BY_SCHOOL, NULL, FX_T0),
		    0);
	}
	return id;
}

/* Gives school etp (hundredths) in department 44, category B. */
static inline void
bx_etp(struct bookfx *b, int64_t school, int etp_centi)
{
	char sql[256];

	snprintf(sql, sizeof(sql),
	    "INSERT INTO trainer_etp (school_id, trainer_ref, department,"
	    " category, etp_centi) VALUES (%lld, 'T%d', '44', 'B', %d)",
	    (long long)school, etp_centi, etp_centi);
	bx_exec(b, sql);
}

static inline int
bookfx_setup(void **state)
{
	struct bookfx *b = calloc(1, sizeof(*b));
	char pw[ACCOUNT_TEMP_PW_LEN], why[ACCOUNT_WHY_MAX];
	struct store_conn *c;
	char sql[256];

	if (b == NULL || authfx_setup((void **)&b->f) != 0)
		return -1;
	*state = b;
	b->r = booking_rules_default();
	b->s.a = &b->f->a;
	b->s.r = &b->r;
	if (org_create(&b->f->a, NULL, "Auto-école Martin", "school", FX_T0,
		b->org2, why, sizeof(why)) != 0)
		return -1;
	authfx_account(b->f, "emp1@example.org", "Employé Un", "school_manager",
	    b->emp1, pw);
	{
		const char *roles[2] = { "school_manager", NULL };
		struct account_new in = { b->org2, "emp2@example.org",
			"Employé Deux", roles };

		if (account_create(&b->f->a, NULL, &in, FX_T0, b->emp2, pw, why,
			sizeof(why)) != 0)
			return -1;
	}
	c = store_conn(b->f->st);
	if (store_school_ensure(b->f->st, c, b->f->org, FX_T0, &b->school1) !=
		0 ||
	    store_school_ensure(b->f->st, c, b->org2, FX_T0, &b->school2) != 0)
		return -1;
	snprintf(sql, sizeof(sql),
	    "INSERT INTO school_departments VALUES (%lld, '44'), (%lld, '85')",
	    (long long)b->school1, (long long)b->school2);
	bx_exec(b, sql);
	bx_exec(b,
	    "INSERT INTO exam_centres (name, department, address, created_at)"
	    " VALUES ('Centre de Nantes', '44', '1 rue du Test', 0)");
	b->centre = bx_int(b, "SELECT MAX(id) FROM exam_centres");
	b->who1 = (struct svc_actor){ b->emp1, b->f->org, "192.0.2.1", NULL };
	b->who2 = (struct svc_actor){ b->emp2, b->org2, "192.0.2.2", NULL };
	return 0;
}

static inline int
bookfx_teardown(void **state)
{
	struct bookfx *b = *state;

	if (b == NULL)
		return 0;
	authfx_teardown((void **)&b->f);
	free(b);
	return 0;
}

#endif
