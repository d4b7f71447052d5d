/* booking_rights.c (store) - SQL for the booking rows about one person:
 * export lists, erasure and the booking retention purges. */
#include "store/booking_rights.h"

#include <stdio.h>
#include <string.h>

#include "store/driver.h"

/* Bound where a sealed column must hold an empty (not NULL) blob. */
static const unsigned char empty_blob[1];

static int
count_row(void *arg, const struct store_row *r)
{
	long *n = arg;

	(void)r;
	(*n)++;
	return 0;
}

static long
exec_count(struct store *st, struct store_conn *c, const char *sql,
    const struct store_val *p, size_t np)
{
	long n = 0;

	if (store_drv(st)->exec(c, sql, p, np, count_row, &n) != 0)
		return -1;
	return n;
}

/* The lists: their query and column names (a name ending in "_at" or
 * "_id" is an integer, any other a text). */
static const struct {
	const char *sql;
	const char *cols[BR_COLS];
	int by_candidate;
} lists[] = {
	[BR_MANDATES] = { "SELECT m.id, o.name, m.category, m.state, m.origin,"
			  " m.created_at, m.activated_at, m.expires_at,"
			  " m.ended_at FROM mandates m"
			  " JOIN schools s ON s.id = m.school_id"
			  " JOIN organisations o ON o.id = s.org_id"
			  " WHERE m.candidate_id = $1 ORDER BY m.id",
	    { "mandate_id", "school", "category", "state", "origin",
		"created_at", "activated_at", "expires_at", "ended_at" },
	    1 },
	[BR_TRAINERS] = { "SELECT o.name, t.trainer_account, t.assigned_at"
			  " FROM candidate_trainers t"
			  " JOIN schools s ON s.id = t.school_id"
			  " JOIN organisations o ON o.id = s.org_id"
			  " WHERE t.candidate_id = $1 ORDER BY t.assigned_at",
	    { "school", "trainer_account", "assigned_at" }, 1 },
	[BR_EXAMS] = { "SELECT e.id, e.start_at, ec.name, e.department,"
		       " e.category, e.status, o.name, e.created_at,"
		       " e.cancelled_at, e.result_at FROM exams e"
		       " JOIN slots sl ON sl.id = e.slot_id"
		       " JOIN exam_centres ec ON ec.id = sl.centre_id"
		       " JOIN schools s ON s.id = e.school_id"
		       " JOIN organisations o ON o.id = s.org_id"
		       " WHERE e.candidate_id = $1 ORDER BY e.id",
	    { "exam_id", "start_at", "centre", "department", "category",
		"status", "school", "created_at", "cancelled_at", "result_at" },
	    1 },
	[BR_BASKET_ITEMS] = { "SELECT bi.slot_id, sl.start_at, ec.name,"
			      " sl.category, o.name, bi.added_at"
			      " FROM basket_items bi"
			      " JOIN baskets b ON b.id = bi.basket_id"
			      " JOIN slots sl ON sl.id = bi.slot_id"
			      " JOIN exam_centres ec ON ec.id = sl.centre_id"
			      " JOIN schools s ON s.id = b.school_id"
			      " JOIN organisations o ON o.id = s.org_id"
			      " WHERE bi.candidate_id = $1 ORDER BY bi.added_at",
	    { "slot_id", "start_at", "centre", "category", "school",
		"added_at" },
	    1 },
	[BR_NOTIFICATIONS] = { "SELECT id, kind, params, created_at, read_at"
			       " FROM notifications WHERE account_id = $1"
			       " ORDER BY id",
	    { "notification_id", "kind", "params", "created_at", "read_at" },
	    0 },
	[BR_OUTBOX] = { "SELECT id, subject, state, created_at, sent_at"
			" FROM email_outbox WHERE account_id = $1 ORDER BY id",
	    { "email_id", "subject", "state", "created_at", "sent_at" }, 0 },
};

struct list_arg {
	const struct store_driver *d;
	enum store_br_list list;
	store_br_fn fn;
	void *arg;
};

/* Whether column name holds an integer. */
static int
is_number(const char *name)
{
	size_t n = strlen(name);

	return n > 3 &&
	    (strcmp(name + n - 3, "_at") == 0 ||
		strcmp(name + n - 3, "_id") == 0);
}

static int
list_row(void *arg, const struct store_row *r)
{
	struct list_arg *x = arg;
	struct store_br_row row;
	int i;

	memset(&row, 0, sizeof(row));
	for (i = 0; i < BR_COLS && lists[x->list].cols[i] != NULL; i++) {
		row.name[i] = lists[x->list].cols[i];
		row.is_null[i] = x->d->row_is_null(r, i);
		if (row.is_null[i])
			continue;
		if (is_number(row.name[i]))
			row.num[i] = x->d->row_int(r, i);
		else
			row.text[i] = x->d->row_text(r, i);
	}
	row.n = i;
	return x->fn(x->arg, &row);
}

int
store_br_list(struct store *st, struct store_conn *c, enum store_br_list list,
    const char *id, store_br_fn fn, void *arg)
{
	struct list_arg x = { store_drv(st), list, fn, arg };
	struct store_val p[1];
	long long cand;
	char end;

	if ((size_t)list >= sizeof(lists) / sizeof(lists[0]) || id == NULL)
		return -1;
	if (lists[list].by_candidate) {
		if (sscanf(id, "%lld%c", &cand, &end) != 1)
			return -1;
		p[0] = SV_I(cand);
	} else
		p[0] = SV_T(id);
	return x.d->exec(c, lists[list].sql, p, 1, list_row, &x);
}

struct exam_arg {
	const struct store_driver *d;
	struct store_br_exam *out;
	size_t max, n;
};

static int
exam_row(void *arg, const struct store_row *r)
{
	struct exam_arg *x = arg;

	if (x->n >= x->max)
		return 0;
	x->out[x->n].id = x->d->row_int(r, 0);
	x->out[x->n].slot_id = x->d->row_int(r, 1);
	x->out[x->n].school_id = x->d->row_int(r, 2);
	x->out[x->n].start_at = x->d->row_int(r, 3);
	x->n++;
	return 0;
}

int
store_br_future_exams(struct store *st, struct store_conn *c,
    int64_t candidate_id, int64_t now, struct store_br_exam *out, size_t max,
    size_t *n)
{
	struct exam_arg x = { store_drv(st), out, max, 0 };
	struct store_val p[2];
	int rc;

	p[0] = SV_I(candidate_id);
	p[1] = SV_I(now);
	rc = x.d->exec(c,
	    "SELECT id, slot_id, school_id, start_at FROM exams"
	    " WHERE candidate_id = $1 AND status = 'booked' AND start_at > $2"
	    " ORDER BY start_at",
	    p, 2, exam_row, &x);
	*n = x.n;
	return rc == 0 ? 0 : -1;
}

int
store_br_exam_cancel(struct store *st, struct store_conn *c, int64_t id,
    int64_t slot_id, int64_t now)
{
	struct store_val p[2];
	long n;

	p[0] = SV_I(id);
	p[1] = SV_I(now);
	n = exec_count(st, c,
	    "UPDATE exams SET status = 'cancelled', cancelled_at = $2"
	    " WHERE id = $1 AND status = 'booked' RETURNING 1",
	    p, 2);
	if (n <= 0)
		return n < 0 ? -1 : 1;
	p[0] = SV_I(slot_id);
	return exec_count(st, c,
		   "UPDATE slots SET state = 'free', basket_id = NULL"
		   " WHERE id = $1 AND state = 'booked' RETURNING 1",
		   p, 1) < 0
	    ? -1
	    : 0;
}

long
store_br_basket_release(struct store *st, struct store_conn *c,
    int64_t candidate_id)
{
	struct store_val p[1];

	p[0] = SV_I(candidate_id);
	if (exec_count(st, c,
		"UPDATE slots SET state = 'free', basket_id = NULL"
		" WHERE state = 'held' AND id IN (SELECT slot_id FROM"
		" basket_items WHERE candidate_id = $1) RETURNING 1",
		p, 1) < 0)
		return -1;
	return exec_count(st, c,
	    "DELETE FROM basket_items WHERE candidate_id = $1 RETURNING 1", p,
	    1);
}

long
store_br_mandates_revoke(struct store *st, struct store_conn *c,
    int64_t candidate_id, int64_t now)
{
	struct store_val p[2];

	p[0] = SV_I(candidate_id);
	p[1] = SV_I(now);
	return exec_count(st, c,
	    "UPDATE mandates SET state = 'revoked', ended_at = $2"
	    " WHERE candidate_id = $1 AND state IN ('pending', 'active')"
	    " RETURNING 1",
	    p, 2);
}

long
store_br_trainers_delete(struct store *st, struct store_conn *c,
    int64_t candidate_id)
{
	struct store_val p[1];

	p[0] = SV_I(candidate_id);
	return exec_count(st, c,
	    "DELETE FROM candidate_trainers WHERE candidate_id = $1"
	    " RETURNING 1",
	    p, 1);
}

int
store_br_candidate_shred(struct store *st, struct store_conn *c, int64_t id,
    int64_t now)
{
	struct store_val p[4];
	char index[32];
	long n;

	snprintf(index, sizeof(index), "erased:%lld", (long long)id);
	p[0] = SV_I(id);
	p[1] = SV_T(index);
	p[2] = SV_B(empty_blob, 0);
	p[3] = SV_I(now);
	n = exec_count(st, c,
	    "UPDATE candidates SET neph_index = $2, category = '', neph = $3,"
	    " last_name = $3, first_names = $3, email = NULL,"
	    " account_id = NULL, updated_at = $4,"
	    " closed_at = COALESCE(closed_at, $4)"
	    " WHERE id = $1 AND neph_index <> $2 RETURNING 1",
	    p, 4);
	return n < 0 ? -1 : n == 0 ? 1 : 0;
}

long
store_br_notifications_delete(struct store *st, struct store_conn *c,
    const char *account_id)
{
	struct store_val p[1];

	p[0] = SV_T(account_id);
	return exec_count(st, c,
	    "DELETE FROM notifications WHERE account_id = $1 RETURNING 1", p,
	    1);
}

long
store_br_outbox_delete(struct store *st, struct store_conn *c,
    const char *account_id)
{
	struct store_val p[1];

	p[0] = SV_T(account_id);
	return exec_count(st, c,
	    "DELETE FROM email_outbox WHERE account_id = $1 RETURNING 1", p, 1);
}

struct ids_arg {
	const struct store_driver *d;
	int64_t *ids;
	size_t max, n;
};

static int
id_row(void *arg, const struct store_row *r)
{
	struct ids_arg *x = arg;

	if (x->n < x->max)
		x->ids[x->n++] = x->d->row_int(r, 0);
	return 0;
}

int
store_br_candidates_of_neph(struct store *st, struct store_conn *c,
    const char *neph_index, int64_t *ids, size_t max, size_t *n)
{
	struct ids_arg x = { store_drv(st), ids, max, 0 };
	struct store_val p[1];
	int rc;

	p[0] = SV_T(neph_index);
	rc = x.d->exec(c,
	    "SELECT id FROM candidates WHERE neph_index = $1 ORDER BY id", p, 1,
	    id_row, &x);
	*n = x.n;
	return rc == 0 ? 0 : -1;
}

long
store_br_candidates_close_idle(struct store *st, struct store_conn *c,
    int64_t idle_cutoff, int64_t now)
{
	struct store_val p[2];

	p[0] = SV_I(idle_cutoff);
	p[1] = SV_I(now);
	return exec_count(st, c,
	    "UPDATE candidates SET closed_at = $2, updated_at = $2"
	    " WHERE closed_at IS NULL AND neph_index NOT LIKE 'erased:%'"
	    " AND created_at <= $1 AND updated_at <= $1"
	    " AND NOT EXISTS (SELECT 1 FROM mandates m"
	    "  WHERE m.candidate_id = candidates.id"
	    "  AND (m.state IN ('pending', 'active') OR m.created_at > $1"
	    "  OR COALESCE(m.activated_at, 0) > $1"
	    "  OR COALESCE(m.ended_at, 0) > $1))"
	    " AND NOT EXISTS (SELECT 1 FROM exams e"
	    "  WHERE e.candidate_id = candidates.id"
	    "  AND (e.status = 'booked' OR e.start_at > $1"
	    "  OR COALESCE(e.result_at, 0) > $1))"
	    " AND NOT EXISTS (SELECT 1 FROM basket_items b"
	    "  WHERE b.candidate_id = candidates.id) RETURNING 1",
	    p, 2);
}

int
store_br_candidates_closed_before(struct store *st, struct store_conn *c,
    int64_t cutoff, int64_t *ids, size_t max, size_t *n)
{
	struct ids_arg x = { store_drv(st), ids, max, 0 };
	struct store_val p[1];
	int rc;

	p[0] = SV_I(cutoff);
	rc = x.d->exec(c,
	    /* Two indexed reads joined, not an EXISTS per candidate: the
	     * country's candidates are too many to read every hour. */
	    "SELECT c.id FROM candidates c"
	    " WHERE c.neph_index NOT LIKE 'erased:%' AND c.id IN"
	    " (SELECT id FROM candidates WHERE closed_at <= $1"
	    " UNION SELECT candidate_id FROM exams WHERE status = 'passed'"
	    " AND result_at <= $1) ORDER BY c.id",
	    p, 1, id_row, &x);
	*n = x.n;
	return rc == 0 ? 0 : -1;
}

long
store_br_slots_anonymise(struct store *st, struct store_conn *c, int64_t cutoff)
{
	struct store_val p[1];

	p[0] = SV_I(cutoff);
	return exec_count(st, c,
	    "UPDATE slots SET inspector = '' WHERE start_at <= $1"
	    " AND inspector <> '' RETURNING 1",
	    p, 1);
}

long
store_br_exams_purge(struct store *st, struct store_conn *c, int64_t cutoff)
{
	struct store_val p[1];

	p[0] = SV_I(cutoff);
	return exec_count(st, c,
	    "DELETE FROM exams WHERE"
	    " (status IN ('passed', 'failed', 'absent') AND result_at IS NOT"
	    " NULL AND result_at <= $1)"
	    " OR (status = 'cancelled' AND cancelled_at <= $1)"
	    " OR (status = 'booked' AND start_at <= $1) RETURNING 1",
	    p, 1);
}

long
store_br_notifications_purge(struct store *st, struct store_conn *c,
    int64_t cutoff)
{
	struct store_val p[1];

	p[0] = SV_I(cutoff);
	return exec_count(st, c,
	    "DELETE FROM notifications WHERE created_at < $1 RETURNING 1", p,
	    1);
}

struct idle_arg {
	const struct store_driver *d;
	store_br_idle_fn fn;
	void *arg;
};

static int
idle_row(void *arg, const struct store_row *r)
{
	struct idle_arg *x = arg;
	struct store_br_idle a;

	memset(&a, 0, sizeof(a));
	if (store_row_copy_text(a.id, sizeof(a.id), x->d, r, 0) != 0 ||
	    store_row_copy_text(a.org_id, sizeof(a.org_id), x->d, r, 1) != 0)
		return -1;
	a.last_active = x->d->row_int(r, 2);
	a.restricted_at = x->d->row_is_null(r, 3) ? 0 : x->d->row_int(r, 3);
	a.warned_at = x->d->row_is_null(r, 4) ? 0 : x->d->row_int(r, 4);
	a.candidate = x->d->row_int(r, 5) != 0;
	return x->fn(x->arg, &a);
}

int
store_br_idle_accounts(struct store *st, struct store_conn *c, int64_t cutoff,
    store_br_idle_fn fn, void *arg)
{
	struct idle_arg x = { store_drv(st), fn, arg };
	struct store_val p[1];

	p[0] = SV_I(cutoff);
	return x.d->exec(c,
	    "SELECT a.id, a.org_id, a.active, a.restricted_at,"
	    " (SELECT MAX(n.created_at) FROM notifications n"
	    "  WHERE n.account_id = a.id AND n.kind = 'account.inactive'"
	    "  AND n.created_at > a.active),"
	    " EXISTS (SELECT 1 FROM account_roles r WHERE r.account_id = a.id"
	    "  AND r.role = 'candidate')"
	    " FROM (SELECT id, org_id, restricted_at,"
	    "  CASE WHEN last_login_at IS NULL OR last_login_at = 0"
	    "  THEN created_at ELSE last_login_at END AS active"
	    "  FROM accounts) a"
	    " WHERE a.active <= $1 ORDER BY a.active, a.id",
	    p, 1, idle_row, &x);
}
