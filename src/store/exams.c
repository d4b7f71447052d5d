/* exams.c (store) - SQL for exams and the threshold counts. */
#include "store/exams.h"

#include <string.h>

#include "store/driver.h"

#define COLS                                                                   \
	"x.id, x.slot_id, x.school_id, x.candidate_id, x.department,"          \
	" x.category, x.start_at, x.status, x.cancelled_at, x.replacements"

static const char *const statuses[] = {
	[EXAM_BOOKED] = "booked",
	[EXAM_CANCELLED] = "cancelled",
	[EXAM_PASSED] = "passed",
	[EXAM_FAILED] = "failed",
	[EXAM_ABSENT] = "absent",
};

const char *
store_exam_status_name(enum exam_status s)
{
	return (unsigned)s <= EXAM_ABSENT ? statuses[s] : "booked";
}

int
store_exam_status_parse(const char *s, enum exam_status *out)
{
	int i;

	for (i = 0; i <= EXAM_ABSENT; i++)
		if (s != NULL && strcmp(s, statuses[i]) == 0) {
			*out = (enum exam_status)i;
			return 0;
		}
	return -1;
}

static int
get_row(const struct store_driver *d, const struct store_row *r,
    struct bk_exam *e)
{
	memset(e, 0, sizeof(*e));
	e->id = d->row_int(r, 0);
	e->slot_id = d->row_int(r, 1);
	e->school_id = d->row_int(r, 2);
	e->candidate_id = d->row_int(r, 3);
	if (store_row_copy_text(e->department, sizeof(e->department), d, r,
		4) != 0 ||
	    store_row_copy_text(e->category, sizeof(e->category), d, r, 5) !=
		0 ||
	    store_exam_status_parse(d->row_text(r, 7), &e->status) != 0)
		return -1;
	e->start_at = d->row_int(r, 6);
	e->cancelled_at = d->row_is_null(r, 8) ? 0 : d->row_int(r, 8);
	e->replacements = (int)d->row_int(r, 9);
	return 0;
}

struct list {
	const struct store_driver *d;
	struct bk_exam *out;
	size_t max, n;
	int found;
};

static int
list_row(void *arg, const struct store_row *r)
{
	struct list *l = arg;

	l->found = 1;
	if (l->n >= l->max)
		return 0;
	if (get_row(l->d, r, &l->out[l->n]) != 0)
		return -1;
	l->n++;
	return 0;
}

int
store_exams_of_candidate(struct store *st, struct store_conn *c,
    int64_t candidate_id, struct bk_exam *out, size_t max, size_t *n)
{
	struct store_val p[1] = { SV_I(candidate_id) };
	struct list l = { store_drv(st), out, max, 0, 0 };
	int rc;

	rc = store_drv(st)->exec(c,
	    "SELECT " COLS " FROM exams x WHERE x.candidate_id = $1"
	    " ORDER BY x.start_at DESC, x.id DESC",
	    p, 1, list_row, &l);
	*n = l.n;
	return rc;
}

int
store_exam_insert(struct store *st, struct store_conn *c, struct bk_exam *e,
    int64_t month, const char *booked_by, int64_t now)
{
	const struct store_driver *d = store_drv(st);
	struct store_int_out o = { d, 0, 0 };
	struct store_val p[10];

	p[0] = SV_I(e->slot_id);
	p[1] = SV_I(e->school_id);
	p[2] = SV_I(e->candidate_id);
	p[3] = SV_T(e->department);
	p[4] = SV_T(e->category);
	p[5] = SV_I(e->start_at);
	p[6] = SV_I(0);
	p[7] = SV_T(booked_by);
	p[8] = SV_I(now);
	p[9] = SV_I(month);
	if (d->exec(c,
		"SELECT 1 FROM exams WHERE slot_id = $1"
		" AND status <> 'cancelled'",
		p, 1, store_row_int, &o) != 0)
		return -1;
	if (o.found)
		return 1;
	if (d->exec(c,
		"INSERT INTO exams (slot_id, school_id, candidate_id,"
		" department, category, start_at, month, status, replacements,"
		" booked_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $10,"
		" 'booked', $7, $8, $9) RETURNING id",
		p, 10, store_row_int, &o) != 0 ||
	    !o.found)
		return -1;
	e->id = o.v;
	e->status = EXAM_BOOKED;
	return 0;
}

int
store_exam_get(struct store *st, struct store_conn *c, int64_t id,
    struct bk_exam *e)
{
	struct store_val p[1] = { SV_I(id) };
	struct list l;

	memset(e, 0, sizeof(*e));
	l = (struct list){ store_drv(st), e, 1, 0, 0 };

	if (store_drv(st)->exec(c,
		"SELECT " COLS " FROM exams x WHERE x.id = $1", p, 1, list_row,
		&l) != 0)
		return -1;
	return l.n == 1 ? 0 : 1;
}

int
store_exam_update(struct store *st, struct store_conn *c,
    const struct bk_exam *e, int64_t result_at)
{
	struct store_val p[6];
	struct store_int_out o = { store_drv(st), 0, 0 };

	p[0] = SV_I(e->id);
	p[1] = SV_I(e->candidate_id);
	p[2] = SV_T(store_exam_status_name(e->status));
	p[3] = e->cancelled_at > 0 ? SV_I(e->cancelled_at) : SV_T(NULL);
	p[4] = SV_I(e->replacements);
	p[5] = result_at > 0 ? SV_I(result_at) : SV_T(NULL);
	if (store_drv(st)->exec(c,
		"UPDATE exams SET candidate_id = $2, status = $3,"
		" cancelled_at = $4, replacements = $5,"
		" result_at = COALESCE($6, result_at) WHERE id = $1"
		" RETURNING id",
		p, 6, store_row_int, &o) != 0)
		return -1;
	return o.found ? 0 : 1;
}

int
store_exams_quota_count(struct store *st, struct store_conn *c, int64_t school,
    const char *department, const char *category, int64_t month, int64_t *n)
{
	struct store_val p[4] = { SV_I(school), SV_T(department),
		SV_T(category), SV_I(month) };
	struct store_int_out o = { store_drv(st), 0, 0 };

	if (store_drv(st)->exec(c,
		"SELECT COUNT(*) FROM exams WHERE school_id = $1"
		" AND department = $2 AND category = $3 AND month = $4"
		" AND status <> 'cancelled'",
		p, 4, store_row_int, &o) != 0)
		return -1;
	*n = o.v;
	return 0;
}

int
store_quota_notice(struct store *st, struct store_conn *c, int64_t school,
    const char *department, const char *category, int64_t month, int level,
    int64_t now)
{
	struct store_val p[6] = { SV_I(school), SV_T(department),
		SV_T(category), SV_I(month), SV_I(level), SV_I(now) };
	struct store_int_out o = { store_drv(st), 0, 0 };

	if (store_drv(st)->exec(c,
		"INSERT INTO quota_notices (school_id, department, category,"
		" month, level, at) VALUES ($1, $2, $3, $4, $5, $6)"
		" ON CONFLICT DO NOTHING RETURNING school_id",
		p, 6, store_row_int, &o) != 0)
		return -1;
	return o.found ? 0 : 1;
}

struct listed {
	const struct store_driver *d;
	int (*fn)(void *arg, const struct store_exam_listed *e);
	void *arg;
};

static int
listed_row(void *arg, const struct store_row *r)
{
	struct listed *l = arg;
	struct store_exam_listed e;

	if (get_row(l->d, r, &e.exam) != 0)
		return -1;
	e.centre_id = l->d->row_int(r, 10);
	e.centre_name = l->d->row_text(r, 11);
	e.centre_address = NULL;
	return l->fn(l->arg, &e);
}

int
store_exams_list(struct store *st, struct store_conn *c, int64_t school,
    int64_t centre, int64_t from, int64_t to, long limit,
    int (*fn)(void *arg, const struct store_exam_listed *e), void *arg)
{
	struct store_val p[5] = { SV_I(school), SV_I(from),
		SV_I(to > 0 ? to : INT64_MAX), SV_I(limit), SV_I(centre) };
	struct listed l = { store_drv(st), fn, arg };

	/* Two texts, so each finds its rows by index (exams_school_start,
	 * exams_start): "($1 = 0 OR x.school_id = $1)" reads every exam. */
	return store_drv(st)->exec(c,
	    school > 0 ? "SELECT " COLS ", e.id, e.name FROM exams x"
			 " JOIN slots s ON s.id = x.slot_id"
			 " JOIN exam_centres e ON e.id = s.centre_id"
			 " WHERE x.school_id = $1 AND ($5 = 0 OR e.id = $5)"
			 " AND x.start_at >= $2 AND x.start_at < $3"
			 " ORDER BY x.start_at, x.id LIMIT $4"
		       : "SELECT " COLS ", e.id, e.name FROM exams x"
			 " JOIN slots s ON s.id = x.slot_id"
			 " JOIN exam_centres e ON e.id = s.centre_id"
			 " WHERE ($5 = 0 OR e.id = $5)"
			 " AND x.start_at >= $2 AND x.start_at < $3"
			 " ORDER BY x.start_at, x.id LIMIT $4",
	    p, 5, listed_row, &l);
}

int
store_exams_of_school(struct store *st, struct store_conn *c, int64_t school,
    int64_t from, int64_t to, long limit,
    int (*fn)(void *arg, const struct store_exam_listed *e), void *arg)
{
	return store_exams_list(st, c, school, 0, from, to, limit, fn, arg);
}

static int
trainer_row(void *arg, const struct store_row *r)
{
	struct listed *l = arg;
	struct store_exam_listed e;

	if (get_row(l->d, r, &e.exam) != 0)
		return -1;
	e.centre_id = l->d->row_int(r, 10);
	e.centre_name = l->d->row_text(r, 11);
	e.centre_address = l->d->row_text(r, 12);
	return l->fn(l->arg, &e);
}

int
store_exams_of_trainer(struct store *st, struct store_conn *c, int64_t school,
    const char *trainer, int64_t from, long limit,
    int (*fn)(void *arg, const struct store_exam_listed *e), void *arg)
{
	struct store_val p[4] = { SV_I(school), SV_T(trainer), SV_I(from),
		SV_I(limit) };
	struct listed l = { store_drv(st), fn, arg };

	/* By exams_school_start; the assignment by its primary key. */
	return store_drv(st)->exec(c,
	    "SELECT " COLS ", e.id, e.name, e.address FROM exams x"
	    " JOIN candidate_trainers t ON t.school_id = x.school_id"
	    " AND t.candidate_id = x.candidate_id"
	    " JOIN slots s ON s.id = x.slot_id"
	    " JOIN exam_centres e ON e.id = s.centre_id"
	    " WHERE x.school_id = $1 AND t.trainer_account = $2"
	    " AND x.status = 'booked' AND x.start_at > $3"
	    " ORDER BY x.start_at, x.id LIMIT $4",
	    p, 4, trainer_row, &l);
}

struct groups {
	const struct store_driver *d;
	int (*fn)(void *arg, const struct store_quota_group *g);
	void *arg;
};

static int
group_row(void *arg, const struct store_row *r)
{
	struct groups *g = arg;
	struct store_quota_group q;

	q.department = g->d->row_text(r, 0);
	q.category = g->d->row_text(r, 1);
	q.etp_centi = g->d->row_int(r, 2);
	q.used = g->d->row_int(r, 3);
	return g->fn(g->arg, &q);
}

int
store_quota_groups(struct store *st, struct store_conn *c, int64_t school,
    int64_t month, int (*fn)(void *arg, const struct store_quota_group *g),
    void *arg)
{
	struct store_val p[2] = { SV_I(school), SV_I(month) };
	struct groups g = { store_drv(st), fn, arg };

	return store_drv(st)->exec(c,
	    "SELECT department, category, SUM(etp), SUM(used) FROM ("
	    " SELECT department, category, etp_centi AS etp, 0 AS used"
	    "  FROM trainer_etp WHERE school_id = $1"
	    " UNION ALL SELECT department, category, 0, 1 FROM exams"
	    "  WHERE school_id = $1 AND month = $2 AND status <> 'cancelled') AS t"
	    " GROUP BY department, category ORDER BY department, category",
	    p, 2, group_row, &g);
}
