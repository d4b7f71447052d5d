/* candidates.c (store) - SQL for the candidate registry, trainer
 * assignments and the candidate's exams. */
#include "store/candidates.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "store/driver.h"

#define COLS                                                                   \
	"id, neph_index, category, neph, last_name, first_names, email,"       \
	" gearbox, account_id, created_at, updated_at, closed_at, birth_date"

/* Bound where a column must hold an empty (not NULL) blob. */
static const unsigned char empty_blob[1];

static void
blob_clear(struct store_blob *b)
{
	if (b->p != NULL) {
		sodium_memzero(b->p, b->len);
		free(b->p);
	}
	b->p = NULL;
	b->len = 0;
}

void
store_candidate_clear(struct store_candidate *cand)
{
	if (cand == NULL)
		return;
	blob_clear(&cand->neph);
	blob_clear(&cand->last_name);
	blob_clear(&cand->first_names);
	blob_clear(&cand->email);
	blob_clear(&cand->birth_date);
	memset(cand, 0, sizeof(*cand));
}

/* Copies blob column col (SQL NULL: p stays NULL). Returns 0 or -1. */
static int
get_blob(struct store_blob *b, const struct store_driver *d,
    const struct store_row *r, int col)
{
	const void *p;
	size_t n = 0;

	b->p = NULL;
	b->len = 0;
	if (d->row_is_null(r, col))
		return 0;
	p = d->row_blob(r, col, &n);
	if ((b->p = malloc(n > 0 ? n : 1)) == NULL)
		return -1;
	if (n > 0)
		memcpy(b->p, p, n);
	b->len = n;
	return 0;
}

static int64_t
opt_int(const struct store_driver *d, const struct store_row *r, int col)
{
	return d->row_is_null(r, col) ? 0 : d->row_int(r, col);
}

struct one {
	const struct store_driver *d;
	struct store_candidate *out;
	int found;
};

static int
one_row(void *arg, const struct store_row *r)
{
	struct one *o = arg;
	const struct store_driver *d = o->d;
	struct store_candidate *x = o->out;

	o->found = 1;
	x->id = d->row_int(r, 0);
	if (store_row_copy_text(x->neph_index, sizeof(x->neph_index), d, r,
		1) != 0 ||
	    store_row_copy_text(x->category, sizeof(x->category), d, r, 2) !=
		0 ||
	    get_blob(&x->neph, d, r, 3) != 0 ||
	    get_blob(&x->last_name, d, r, 4) != 0 ||
	    get_blob(&x->first_names, d, r, 5) != 0 ||
	    get_blob(&x->email, d, r, 6) != 0 ||
	    store_row_copy_text(x->gearbox, sizeof(x->gearbox), d, r, 7) != 0 ||
	    store_row_copy_text(x->account_id, sizeof(x->account_id), d, r,
		8) != 0)
		return -1;
	x->created_at = d->row_int(r, 9);
	x->updated_at = d->row_int(r, 10);
	x->closed_at = opt_int(d, r, 11);
	return get_blob(&x->birth_date, d, r, 12);
}

static int
read_one(struct store *st, struct store_conn *c, const char *sql,
    const struct store_val *p, size_t np, struct store_candidate *out)
{
	struct one o = { store_drv(st), out, 0 };

	memset(out, 0, sizeof(*out));
	if (store_drv(st)->exec(c, sql, p, np, one_row, &o) != 0)
		return -1;
	return o.found ? 0 : 1;
}

int
store_candidate_find(struct store *st, struct store_conn *c,
    const char *neph_index, const char *category, struct store_candidate *out)
{
	struct store_val p[2] = { SV_T(neph_index), SV_T(category) };

	return read_one(st, c,
	    "SELECT " COLS " FROM candidates WHERE neph_index = $1 AND"
	    " category = $2",
	    p, 2, out);
}

int
store_candidate_get(struct store *st, struct store_conn *c, int64_t id,
    struct store_candidate *out)
{
	struct store_val p[1] = { SV_I(id) };

	return read_one(st, c, "SELECT " COLS " FROM candidates WHERE id = $1",
	    p, 1, out);
}

int
store_candidate_insert(struct store *st, struct store_conn *c,
    const char *neph_index, const char *category, const char *gearbox,
    int64_t now, int64_t *id)
{
	struct store_val p[5];
	struct store_int_out o = { store_drv(st), 0, 0 };

	p[0] = SV_T(neph_index);
	p[1] = SV_T(category);
	p[2] = SV_B(empty_blob, 0);
	p[3] = SV_T(gearbox);
	p[4] = SV_I(now);
	if (store_drv(st)->exec(c,
		"INSERT INTO candidates (neph_index, category, neph,"
		" last_name, first_names, gearbox, created_at, updated_at)"
		" VALUES ($1, $2, $3, $3, $3, $4, $5, $5) RETURNING id",
		p, 5, store_row_int, &o) != 0 ||
	    !o.found)
		return -1;
	*id = o.v;
	return 0;
}

static struct store_val
blob_val(const struct store_blob *b)
{
	if (b->p == NULL)
		return SV_T(NULL);
	return SV_B(b->p, b->len);
}

/* Fills p[0..7] with cand's row for an UPDATE ($1 id ... $7 updated_at,
 * $8 birth_date).
 * Returns -1 when a required sealed field is missing. */
static int
candidate_params(const struct store_candidate *cand, struct store_val *p)
{
	if (cand->neph.p == NULL || cand->last_name.p == NULL ||
	    cand->first_names.p == NULL)
		return -1;
	p[0] = SV_I(cand->id);
	p[1] = blob_val(&cand->neph);
	p[2] = blob_val(&cand->last_name);
	p[3] = blob_val(&cand->first_names);
	p[4] = blob_val(&cand->email);
	p[5] = SV_T(cand->gearbox);
	p[6] = SV_I(cand->updated_at);
	p[7] = blob_val(&cand->birth_date);
	return 0;
}

int
store_candidate_write(struct store *st, struct store_conn *c,
    const struct store_candidate *cand)
{
	struct store_val p[8];
	struct store_int_out o = { store_drv(st), 0, 0 };

	if (candidate_params(cand, p) != 0)
		return -1;
	if (store_drv(st)->exec(c,
		"UPDATE candidates SET neph = $2, last_name = $3,"
		" first_names = $4, email = $5, gearbox = $6,"
		" updated_at = $7, birth_date = $8 WHERE id = $1 RETURNING id",
		p, 8, store_row_int, &o) != 0)
		return -1;
	return o.found ? 0 : 1;
}

int
store_candidate_max_id(struct store *st, struct store_conn *c, int64_t *max)
{
	struct store_int_out o = { store_drv(st), 0, 0 };

	if (store_drv(st)->exec(c,
		"SELECT COALESCE(MAX(id), 0) FROM candidates", NULL, 0,
		store_row_int, &o) != 0 ||
	    !o.found)
		return -1;
	*max = o.v;
	return 0;
}

int
store_candidate_insert_sealed(struct store *st, struct store_conn *c,
    const struct store_candidate *cand)
{
	struct store_val p[10];

	if (cand->id <= 0 || cand->neph.p == NULL ||
	    cand->last_name.p == NULL || cand->first_names.p == NULL)
		return -1;
	p[0] = SV_I(cand->id);
	p[1] = SV_T(cand->neph_index);
	p[2] = SV_T(cand->category);
	p[3] = blob_val(&cand->neph);
	p[4] = blob_val(&cand->last_name);
	p[5] = blob_val(&cand->first_names);
	p[6] = blob_val(&cand->email);
	p[7] = SV_T(cand->gearbox);
	p[8] = SV_I(cand->created_at);
	p[9] = blob_val(&cand->birth_date);
	return store_drv(st)->exec(c,
	    "INSERT INTO candidates (id, neph_index, category, neph, last_name,"
	    " first_names, email, gearbox, created_at, updated_at, birth_date)"
	    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10)",
	    p, 10, NULL, NULL);
}

int
store_candidate_id_sync(struct store *st, struct store_conn *c)
{
	/* Rows inserted with their id leave PostgreSQL's identity sequence
	 * behind; SQLite takes the highest id plus one by itself. */
	if (store_drv(st)->dialect != DIALECT_POSTGRES)
		return 0;
	return store_drv(st)->exec(c,
	    "SELECT setval(pg_get_serial_sequence('candidates', 'id'),"
	    " (SELECT COALESCE(MAX(id), 1) FROM candidates))",
	    NULL, 0, NULL, NULL);
}

int
store_candidate_write_if(struct store *st, struct store_conn *c,
    const struct store_candidate *cand, int64_t seen_updated_at)
{
	struct store_val p[9];
	struct store_int_out o = { store_drv(st), 0, 0 };

	if (candidate_params(cand, p) != 0)
		return -1;
	p[8] = SV_I(seen_updated_at);
	if (store_drv(st)->exec(c,
		"UPDATE candidates SET neph = $2, last_name = $3,"
		" first_names = $4, email = $5, gearbox = $6,"
		" updated_at = $7, birth_date = $8 WHERE id = $1 AND"
		" updated_at = $9 RETURNING id",
		p, 9, store_row_int, &o) != 0)
		return -1;
	return o.found ? 0 : 1;
}

int
store_candidate_unchanged(struct store *st, struct store_conn *c, int64_t id,
    int64_t seen_updated_at)
{
	struct store_val p[2] = { SV_I(id), SV_I(seen_updated_at) };
	struct store_int_out o = { store_drv(st), 0, 0 };

	if (store_drv(st)->exec(c,
		"SELECT id FROM candidates WHERE id = $1 AND updated_at = $2",
		p, 2, store_row_int, &o) != 0)
		return -1;
	return o.found ? 0 : 1;
}

int
store_candidate_link(struct store *st, struct store_conn *c, int64_t id,
    const char *account_id)
{
	struct store_val p[2] = { SV_I(id), SV_T(account_id) };
	struct store_int_out o = { store_drv(st), 0, 0 };

	if (store_drv(st)->exec(c,
		"UPDATE candidates SET account_id = $2 WHERE id = $1"
		" RETURNING id",
		p, 2, store_row_int, &o) != 0)
		return -1;
	return o.found ? 0 : 1;
}

struct ids {
	const struct store_driver *d;
	int64_t *ids;
	size_t max, n;
};

static int
id_row(void *arg, const struct store_row *r)
{
	struct ids *l = arg;

	if (l->n < l->max)
		l->ids[l->n++] = l->d->row_int(r, 0);
	return 0;
}

int
store_candidates_of_account(struct store *st, struct store_conn *c,
    const char *account_id, int64_t *ids, size_t max, size_t *n)
{
	struct store_val p[1] = { SV_T(account_id) };
	struct ids l = { store_drv(st), ids, max, 0 };
	int rc;

	rc = store_drv(st)->exec(c,
	    "SELECT id FROM candidates WHERE account_id = $1 ORDER BY id", p, 1,
	    id_row, &l);
	*n = l.n;
	return rc;
}

struct mandated {
	const struct store_driver *d;
	store_mandated_fn fn;
	void *arg;
};

static int
mandated_row(void *arg, const struct store_row *r)
{
	struct mandated *x = arg;
	struct store_mandated m;

	memset(&m, 0, sizeof(m));
	m.candidate_id = x->d->row_int(r, 0);
	m.mandate_id = x->d->row_int(r, 1);
	m.expires_at = opt_int(x->d, r, 3);
	if (store_row_copy_text(m.category, sizeof(m.category), x->d, r, 2) !=
		0 ||
	    store_row_copy_text(m.trainer, sizeof(m.trainer), x->d, r, 4) != 0)
		return -1;
	return x->fn(x->arg, &m);
}

#define MANDATED_SELECT                                                        \
	"SELECT m.candidate_id, m.id, m.category, m.expires_at,"               \
	" t.trainer_account FROM mandates m"                                   \
	" LEFT JOIN candidate_trainers t ON t.school_id = m.school_id"         \
	" AND t.candidate_id = m.candidate_id"                                 \
	" WHERE m.school_id = $1 AND m.state = 'active'"                       \
	" AND m.expires_at > $2"

int
store_candidates_mandated(struct store *st, struct store_conn *c,
    int64_t school_id, const char *trainer, int64_t now, long limit,
    store_mandated_fn fn, void *arg)
{
	struct store_val p[4] = { SV_I(school_id), SV_I(now), SV_I(limit),
		SV_T(trainer) };
	struct mandated x = { store_drv(st), fn, arg };

	/* Two texts rather than "$4 IS NULL OR ...": a parameter only
	 * tested for NULL has no type PostgreSQL can infer. */
	if (trainer == NULL)
		return store_drv(st)->exec(c,
		    MANDATED_SELECT " ORDER BY m.activated_at, m.id LIMIT $3",
		    p, 3, mandated_row, &x);
	return store_drv(st)->exec(c,
	    MANDATED_SELECT " AND t.trainer_account = $4"
			    " ORDER BY m.activated_at, m.id LIMIT $3",
	    p, 4, mandated_row, &x);
}

struct text_out {
	const struct store_driver *d;
	char *dst;
	size_t size;
	int found;
};

static int
text_row(void *arg, const struct store_row *r)
{
	struct text_out *t = arg;

	t->found = 1;
	return store_row_copy_text(t->dst, t->size, t->d, r, 0);
}

int
store_candidate_trainer_get(struct store *st, struct store_conn *c,
    int64_t school_id, int64_t candidate_id, char *trainer, size_t size)
{
	struct store_val p[2] = { SV_I(school_id), SV_I(candidate_id) };
	struct text_out t = { store_drv(st), trainer, size, 0 };

	trainer[0] = '\0';
	if (store_drv(st)->exec(c,
		"SELECT trainer_account FROM candidate_trainers WHERE"
		" school_id = $1 AND candidate_id = $2",
		p, 2, text_row, &t) != 0)
		return -1;
	return t.found ? 0 : 1;
}

int
store_candidate_trainer_set(struct store *st, struct store_conn *c,
    int64_t school_id, int64_t candidate_id, const char *trainer, int64_t now)
{
	struct store_val p[4] = { SV_I(school_id), SV_I(candidate_id),
		SV_T(trainer), SV_I(now) };

	return store_drv(st)->exec(c,
	    "INSERT INTO candidate_trainers (school_id, candidate_id,"
	    " trainer_account, assigned_at) VALUES ($1, $2, $3, $4)"
	    " ON CONFLICT (school_id, candidate_id) DO UPDATE SET"
	    " trainer_account = excluded.trainer_account,"
	    " assigned_at = excluded.assigned_at",
	    p, 4, NULL, NULL);
}

int
store_candidate_trainer_clear(struct store *st, struct store_conn *c,
    int64_t school_id, int64_t candidate_id)
{
	struct store_val p[2] = { SV_I(school_id), SV_I(candidate_id) };
	struct store_int_out o = { store_drv(st), 0, 0 };

	if (store_drv(st)->exec(c,
		"DELETE FROM candidate_trainers WHERE school_id = $1 AND"
		" candidate_id = $2 RETURNING candidate_id",
		p, 2, store_row_int, &o) != 0)
		return -1;
	return o.found ? 0 : 1;
}

struct exams {
	const struct store_driver *d;
	store_exam_fn fn;
	void *arg;
};

static int
exam_row(void *arg, const struct store_row *r)
{
	struct exams *x = arg;
	struct store_candidate_exam e;

	memset(&e, 0, sizeof(e));
	e.id = x->d->row_int(r, 0);
	e.start_at = x->d->row_int(r, 1);
	if (store_row_copy_text(e.centre, sizeof(e.centre), x->d, r, 2) != 0 ||
	    store_row_copy_text(e.department, sizeof(e.department), x->d, r,
		3) != 0 ||
	    store_row_copy_text(e.category, sizeof(e.category), x->d, r, 4) !=
		0 ||
	    store_row_copy_text(e.status, sizeof(e.status), x->d, r, 5) != 0 ||
	    store_row_copy_text(e.address, sizeof(e.address), x->d, r, 6) !=
		0 ||
	    store_row_copy_text(e.school, sizeof(e.school), x->d, r, 7) != 0)
		return -1;
	return x->fn(x->arg, &e);
}

int
store_candidate_exams(struct store *st, struct store_conn *c,
    int64_t candidate_id, long limit, store_exam_fn fn, void *arg)
{
	struct store_val p[2] = { SV_I(candidate_id), SV_I(limit) };
	struct exams x = { store_drv(st), fn, arg };

	return store_drv(st)->exec(c,
	    "SELECT e.id, e.start_at, ec.name, e.department, e.category,"
	    " e.status, ec.address, o.name FROM exams e"
	    " JOIN slots s ON s.id = e.slot_id"
	    " JOIN exam_centres ec ON ec.id = s.centre_id"
	    " JOIN schools sc ON sc.id = e.school_id"
	    " JOIN organisations o ON o.id = sc.org_id"
	    " WHERE e.candidate_id = $1 ORDER BY e.start_at DESC, e.id DESC"
	    " LIMIT $2",
	    p, 2, exam_row, &x);
}
