/* slot_requests.c (store) - SQL for slot change requests and the
 * supervisor's region-wide counts and lists. */
#include "store/slot_requests.h"

#include <string.h>

#include "store/driver.h"
#include "store/slots.h"

/* The region: departments of the supervisor's school row ($1). */
#define IN_REGION                                                              \
	" IN (SELECT department FROM school_departments WHERE school_id = $1)"

static const char *const kinds[] = {
	[SLOT_REQUEST_MOVE] = "move",
	[SLOT_REQUEST_CANCEL] = "cancel",
};

static const char *const states[] = {
	[SLOT_REQUEST_PENDING] = "pending",
	[SLOT_REQUEST_APPROVED] = "approved",
	[SLOT_REQUEST_REJECTED] = "rejected",
	[SLOT_REQUEST_FAILED] = "failed",
};

const char *
store_slot_request_kind_name(enum slot_request_kind k)
{
	return (unsigned)k <= SLOT_REQUEST_CANCEL ? kinds[k] : "cancel";
}

const char *
store_slot_request_state_name(enum slot_request_state s)
{
	return (unsigned)s <= SLOT_REQUEST_FAILED ? states[s] : "pending";
}

int
store_slot_request_kind_parse(const char *s, enum slot_request_kind *out)
{
	int i;

	for (i = 0; i <= SLOT_REQUEST_CANCEL; i++)
		if (s != NULL && strcmp(s, kinds[i]) == 0) {
			*out = (enum slot_request_kind)i;
			return 0;
		}
	return -1;
}

int
store_slot_request_state_parse(const char *s, enum slot_request_state *out)
{
	int i;

	for (i = 0; i <= SLOT_REQUEST_FAILED; i++)
		if (s != NULL && strcmp(s, states[i]) == 0) {
			*out = (enum slot_request_state)i;
			return 0;
		}
	return -1;
}

#define COLS                                                                    \
	"q.id, q.org_id, q.exam_id, q.kind, q.target_slot_id, q.reason_sealed," \
	" q.requested_by, q.requested_at, q.state, q.decided_by,"               \
	" q.decided_at, q.outcome_code"

/* The sealed note of column i into q (none when NULL). */
static int
copy_sealed(struct store_slot_request *q, const struct store_driver *d,
    const struct store_row *r, int i)
{
	const unsigned char *b;
	size_t n = 0;

	q->sealed_len = 0;
	if (d->row_is_null(r, i))
		return 0;
	b = d->row_blob(r, i, &n);
	if (n > sizeof(q->sealed))
		return -1;
	if (n > 0)
		memcpy(q->sealed, b, n);
	q->sealed_len = n;
	return 0;
}

static int
get_row(const struct store_driver *d, const struct store_row *r,
    struct store_slot_request *q)
{
	memset(q, 0, sizeof(*q));
	q->id = d->row_int(r, 0);
	q->exam_id = d->row_int(r, 2);
	q->target_slot_id = d->row_is_null(r, 4) ? 0 : d->row_int(r, 4);
	q->requested_at = d->row_int(r, 7);
	q->decided_at = d->row_is_null(r, 10) ? 0 : d->row_int(r, 10);
	if (store_row_copy_text(q->org_id, sizeof(q->org_id), d, r, 1) != 0 ||
	    store_slot_request_kind_parse(d->row_text(r, 3), &q->kind) != 0 ||
	    copy_sealed(q, d, r, 5) != 0 ||
	    store_row_copy_text(q->requested_by, sizeof(q->requested_by), d, r,
		6) != 0 ||
	    store_slot_request_state_parse(d->row_text(r, 8), &q->state) != 0 ||
	    store_row_copy_text(q->decided_by, sizeof(q->decided_by), d, r,
		9) != 0 ||
	    store_row_copy_text(q->outcome_code, sizeof(q->outcome_code), d, r,
		11) != 0)
		return -1;
	return 0;
}

int
store_slot_request_insert(struct store *st, struct store_conn *c,
    struct store_slot_request *r)
{
	struct store_int_out o = { store_drv(st), 0, 0 };
	struct store_val p[7];

	p[0] = SV_T(r->org_id);
	p[1] = SV_I(r->exam_id);
	p[2] = SV_T(store_slot_request_kind_name(r->kind));
	p[3] =
	    r->kind == SLOT_REQUEST_MOVE ? SV_I(r->target_slot_id) : SV_T(NULL);
	p[4] = SV_T("");
	p[5] = SV_T(r->requested_by);
	p[6] = SV_I(r->requested_at);
	if (store_drv(st)->exec(c,
		"INSERT INTO slot_requests (org_id, exam_id, kind,"
		" target_slot_id, reason, requested_by, requested_at, state)"
		" VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending') RETURNING id",
		p, 7, store_row_int, &o) != 0 ||
	    !o.found)
		return -1;
	r->id = o.v;
	r->state = SLOT_REQUEST_PENDING;
	return 0;
}

int
store_slot_request_seal(struct store *st, struct store_conn *c, int64_t id,
    const unsigned char *ct, size_t n)
{
	struct store_int_out o = { store_drv(st), 0, 0 };
	struct store_val p[2];

	p[0] = SV_I(id);
	p[1] = ct != NULL ? SV_B(ct, n) : SV_T(NULL);
	if (store_drv(st)->exec(c,
		"UPDATE slot_requests SET reason_sealed = $2, reason = ''"
		" WHERE id = $1 RETURNING id",
		p, 2, store_row_int, &o) != 0)
		return -1;
	return o.found ? 0 : 1;
}

struct legacy_scan {
	const struct store_driver *d;
	int (*fn)(void *arg, const struct store_slot_request_legacy *l);
	void *arg;
};

static int
legacy_row(void *arg, const struct store_row *r)
{
	struct legacy_scan *x = arg;
	struct store_slot_request_legacy l;

	l.id = x->d->row_int(r, 0);
	l.requested_by = x->d->row_text(r, 1);
	l.reason = x->d->row_text(r, 2);
	if (l.requested_by == NULL || l.reason == NULL)
		return -1;
	return x->fn(x->arg, &l);
}

int
store_slot_requests_legacy(struct store *st, struct store_conn *c, long limit,
    int (*fn)(void *arg, const struct store_slot_request_legacy *l), void *arg)
{
	struct legacy_scan x = { store_drv(st), fn, arg };
	struct store_val p[1] = { SV_I(limit) };

	return x.d->exec(c,
	    "SELECT id, requested_by, reason FROM slot_requests"
	    " WHERE reason <> '' ORDER BY id LIMIT $1",
	    p, 1, legacy_row, &x);
}

static int
tally_row(void *arg, const struct store_row *r)
{
	(void)r;
	(*(long *)arg)++;
	return 0;
}

long
store_slot_requests_forget(struct store *st, struct store_conn *c,
    const char *account_id)
{
	struct store_val p[1] = { SV_T(account_id) };
	long n = 0;

	if (store_drv(st)->exec(c,
		"UPDATE slot_requests SET reason_sealed = NULL, reason = ''"
		" WHERE requested_by = $1 AND (reason_sealed IS NOT NULL"
		" OR reason <> '') RETURNING id",
		p, 1, tally_row, &n) != 0)
		return -1;
	return n;
}

struct one {
	const struct store_driver *d;
	struct store_slot_request *out;
	int found;
};

static int
one_row(void *arg, const struct store_row *r)
{
	struct one *o = arg;

	o->found = 1;
	return get_row(o->d, r, o->out);
}

int
store_slot_request_get(struct store *st, struct store_conn *c, int64_t id,
    struct store_slot_request *r)
{
	struct store_val p[1] = { SV_I(id) };
	struct one o = { store_drv(st), r, 0 };

	memset(r, 0, sizeof(*r));
	if (store_drv(st)->exec(c,
		"SELECT " COLS " FROM slot_requests q WHERE q.id = $1", p, 1,
		one_row, &o) != 0)
		return -1;
	return o.found ? 0 : 1;
}

int
store_slot_request_decide(struct store *st, struct store_conn *c,
    const struct store_slot_request *r)
{
	struct store_int_out o = { store_drv(st), 0, 0 };
	struct store_val p[5];

	p[0] = SV_I(r->id);
	p[1] = SV_T(store_slot_request_state_name(r->state));
	p[2] = SV_T(r->decided_by);
	p[3] = SV_I(r->decided_at);
	p[4] = SV_T(r->outcome_code[0] ? r->outcome_code : NULL);
	if (store_drv(st)->exec(c,
		"UPDATE slot_requests SET state = $2, decided_by = $3,"
		" decided_at = $4, outcome_code = $5"
		" WHERE id = $1 AND state = 'pending' RETURNING id",
		p, 5, store_row_int, &o) != 0)
		return -1;
	return o.found ? 0 : 1;
}

struct listing {
	const struct store_driver *d;
	int (*fn)(void *arg, const struct store_slot_request_listed *l);
	void *arg;
};

static int
listed_row(void *arg, const struct store_row *r)
{
	struct listing *x = arg;
	struct store_slot_request_listed l;

	if (get_row(x->d, r, &l.r) != 0)
		return -1;
	l.exam_start_at = x->d->row_is_null(r, 12) ? 0 : x->d->row_int(r, 12);
	l.target_start_at = x->d->row_is_null(r, 13) ? 0 : x->d->row_int(r, 13);
	l.school_name = x->d->row_text(r, 14);
	l.centre_name = x->d->row_text(r, 15);
	return x->fn(x->arg, &l);
}

int
store_slot_requests_list(struct store *st, struct store_conn *c,
    const struct store_slot_request_query *q,
    int (*fn)(void *arg, const struct store_slot_request_listed *l), void *arg)
{
	struct listing x = { store_drv(st), fn, arg };
	struct store_val p[4];

	p[0] = SV_T(q->requested_by ? q->requested_by : "");
	p[1] = SV_T(q->org_id ? q->org_id : "");
	p[2] = SV_T(q->state ? q->state : "");
	p[3] = SV_I(q->limit);
	return store_drv(st)->exec(c,
	    "SELECT " COLS ", x.start_at, t.start_at, o.name, e.name"
	    " FROM slot_requests q JOIN exams x ON x.id = q.exam_id"
	    " JOIN organisations o ON o.id = q.org_id"
	    " JOIN slots s ON s.id = x.slot_id"
	    " JOIN exam_centres e ON e.id = s.centre_id"
	    " LEFT JOIN slots t ON t.id = q.target_slot_id"
	    " WHERE ($1 = '' OR q.requested_by = $1)"
	    " AND ($2 = '' OR q.org_id = $2) AND ($3 = '' OR q.state = $3)"
	    " AND ($1 <> '' OR $2 <> '')"
	    " ORDER BY q.requested_at DESC, q.id DESC LIMIT $4",
	    p, 4, listed_row, &x);
}

int
store_exam_move(struct store *st, struct store_conn *c, int64_t id,
    const struct bk_slot *slot, int64_t month)
{
	struct store_int_out o = { store_drv(st), 0, 0 };
	struct store_val p[5] = { SV_I(id), SV_I(slot->id),
		SV_I(slot->start_at), SV_T(slot->department), SV_I(month) };

	if (store_drv(st)->exec(c,
		"UPDATE exams SET slot_id = $2, start_at = $3, department = $4,"
		" month = $5 WHERE id = $1 RETURNING id",
		p, 5, store_row_int, &o) != 0)
		return -1;
	return o.found ? 0 : 1;
}

int
store_region_has(struct store *st, struct store_conn *c, int64_t region_school,
    const char *department)
{
	struct store_int_out o = { store_drv(st), 0, 0 };
	struct store_val p[2] = { SV_I(region_school), SV_T(department) };

	if (store_drv(st)->exec(c,
		"SELECT 1 FROM school_departments WHERE school_id = $1"
		" AND department = $2",
		p, 2, store_row_int, &o) != 0)
		return -1;
	return o.found;
}

struct exams_scan {
	const struct store_driver *d;
	int (*fn)(void *arg, const struct store_region_exam *e);
	void *arg;
};

static int
region_exam_row(void *arg, const struct store_row *r)
{
	struct exams_scan *x = arg;
	struct store_region_exam e;

	e.id = x->d->row_int(r, 0);
	e.slot_id = x->d->row_int(r, 1);
	e.start_at = x->d->row_int(r, 2);
	e.department = x->d->row_text(r, 3);
	e.category = x->d->row_text(r, 4);
	e.status = x->d->row_text(r, 5);
	e.school_name = x->d->row_text(r, 6);
	e.centre_name = x->d->row_text(r, 7);
	return x->fn(x->arg, &e);
}

int
store_region_exams(struct store *st, struct store_conn *c,
    int64_t region_school, int64_t from, int64_t to, long limit,
    int (*fn)(void *arg, const struct store_region_exam *e), void *arg)
{
	struct exams_scan x = { store_drv(st), fn, arg };
	struct store_val p[4] = { SV_I(region_school), SV_I(from),
		SV_I(to > 0 ? to : INT64_MAX), SV_I(limit) };

	return store_drv(st)->exec(c,
	    "SELECT x.id, x.slot_id, x.start_at, x.department, x.category,"
	    " x.status, o.name, e.name FROM exams x"
	    " JOIN schools h ON h.id = x.school_id"
	    " JOIN organisations o ON o.id = h.org_id"
	    " JOIN slots s ON s.id = x.slot_id"
	    " JOIN exam_centres e ON e.id = s.centre_id"
	    " WHERE x.status = 'booked' AND x.department" IN_REGION
	    " AND x.start_at >= $2 AND x.start_at < $3"
	    " ORDER BY x.start_at, x.id LIMIT $4",
	    p, 4, region_exam_row, &x);
}

struct slots_scan {
	const struct store_driver *d;
	int (*fn)(void *arg, const struct store_region_slot *s);
	void *arg;
};

static int
region_slot_row(void *arg, const struct store_row *r)
{
	struct slots_scan *x = arg;
	struct store_region_slot s;

	s.id = x->d->row_int(r, 0);
	s.start_at = x->d->row_int(r, 1);
	s.published_at = x->d->row_int(r, 2);
	s.centre_id = x->d->row_int(r, 3);
	if (store_slot_state_parse(x->d->row_text(r, 4), &s.state) != 0)
		return -1;
	s.department = x->d->row_text(r, 5);
	s.category = x->d->row_text(r, 6);
	s.centre_name = x->d->row_text(r, 7);
	return x->fn(x->arg, &s);
}

int
store_region_slots(struct store *st, struct store_conn *c,
    int64_t region_school, int64_t from, int64_t to, int64_t published_before,
    const char *category, const char *state, long limit,
    int (*fn)(void *arg, const struct store_region_slot *s), void *arg)
{
	struct slots_scan x = { store_drv(st), fn, arg };
	struct store_val p[7] = { SV_I(region_school), SV_I(from),
		SV_I(to > 0 ? to : INT64_MAX), SV_I(published_before),
		SV_T(category ? category : ""), SV_T(state ? state : ""),
		SV_I(limit) };

	return store_drv(st)->exec(c,
	    "SELECT s.id, s.start_at, s.published_at, e.id, s.state,"
	    " e.department, s.category, e.name FROM slots s"
	    " JOIN exam_centres e ON e.id = s.centre_id"
	    " WHERE e.department" IN_REGION
	    " AND s.start_at >= $2 AND s.start_at < $3"
	    " AND s.published_at <= $4 AND ($5 = '' OR s.category = $5)"
	    " AND ($6 = '' OR s.state = $6)"
	    " ORDER BY s.start_at, s.id LIMIT $7",
	    p, 7, region_slot_row, &x);
}

struct counts_scan {
	const struct store_driver *d;
	int (*fn)(void *arg, const char *department, int64_t start_at,
	    const char *school);
	void *arg;
};

static int
count_row(void *arg, const struct store_row *r)
{
	struct counts_scan *x = arg;

	return x->fn(x->arg, x->d->row_text(r, 0), x->d->row_int(r, 1),
	    x->d->row_text(r, 2));
}

int
store_region_exam_counts(struct store *st, struct store_conn *c,
    int64_t region_school, int64_t from, int64_t to,
    int (*fn)(void *arg, const char *department, int64_t start_at,
	const char *school),
    void *arg)
{
	struct counts_scan x = { store_drv(st), fn, arg };
	struct store_val p[3] = { SV_I(region_school), SV_I(from),
		SV_I(to > 0 ? to : INT64_MAX) };

	return store_drv(st)->exec(c,
	    "SELECT x.department, x.start_at, o.name FROM exams x"
	    " JOIN schools h ON h.id = x.school_id"
	    " JOIN organisations o ON o.id = h.org_id"
	    " WHERE x.status <> 'cancelled' AND x.department" IN_REGION
	    " AND x.start_at >= $2 AND x.start_at < $3"
	    " ORDER BY x.start_at, x.id",
	    p, 3, count_row, &x);
}

struct admins_scan {
	const struct store_driver *d;
	int (*fn)(void *arg, const char *account_id);
	void *arg;
};

static int
admin_row(void *arg, const struct store_row *r)
{
	struct admins_scan *x = arg;
	char id[STORE_ID_MAX];

	if (store_row_copy_text(id, sizeof(id), x->d, r, 0) != 0)
		return -1;
	return x->fn(x->arg, id);
}

int
store_org_admins(struct store *st, struct store_conn *c, const char *org_id,
    int (*fn)(void *arg, const char *account_id), void *arg)
{
	struct admins_scan x = { store_drv(st), fn, arg };
	struct store_val p[1] = { SV_T(org_id) };

	return store_drv(st)->exec(c,
	    "SELECT DISTINCT r.account_id FROM account_roles r"
	    " JOIN accounts a ON a.id = r.account_id"
	    " WHERE r.org_id = $1 AND r.role = 'school_admin'"
	    " AND a.status = 'active' ORDER BY r.account_id",
	    p, 1, admin_row, &x);
}
