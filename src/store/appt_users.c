/* appt_users.c (store) - SQL for the users and relatives of the
 * appointments module. */
#include "store/appt_users.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "store/appt_rows.h"
#include "store/driver.h"

const char *const store_appt_user_columns[AUF_COUNT] = { "last_name",
	"birth_name", "first_names", "birth_date", "email", "phone", "address",
	"caf_number", "family_situation", "children", "notes" };

#define SEALED                                                                 \
	"last_name, birth_name, first_names, birth_date, email, phone,"        \
	" address, caf_number, family_situation, children, notes"
#define COLS                                                                   \
	"id, org_id, responsible_id, account_id, name_index, email_index,"     \
	" phone_index, created_by, created_at, updated_at,"                    \
	" account_linked_at, address_removed_at, reminders_at,"                \
	" reminders_by, " SEALED
#define NFIXED 14 /* columns of COLS before the sealed ones */

/* Bound where a column must hold an empty (not NULL) blob. */
static const unsigned char empty_blob[1];

void
store_appt_user_clear(struct store_appt_user *u)
{
	size_t i;

	if (u == NULL)
		return;
	for (i = 0; i < AUF_COUNT; i++)
		if (u->f[i].p != NULL) {
			sodium_memzero(u->f[i].p, u->f[i].len);
			free(u->f[i].p);
		}
	memset(u, 0, sizeof(*u));
}

int64_t
store_appt_opt_int(const struct store_driver *d, const struct store_row *r,
    int col)
{
	return d->row_is_null(r, col) ? 0 : d->row_int(r, col);
}

struct one {
	const struct store_driver *d;
	struct store_appt_user *out;
	int found;
};

static int
one_row(void *arg, const struct store_row *r)
{
	struct one *o = arg;
	const struct store_driver *d = o->d;
	struct store_appt_user *u = o->out;
	const void *p;
	size_t i, n;

	o->found = 1;
	u->id = d->row_int(r, 0);
	u->responsible_id = store_appt_opt_int(d, r, 2);
	if (store_row_copy_text(u->org_id, sizeof(u->org_id), d, r, 1) != 0 ||
	    store_row_copy_text(u->account_id, sizeof(u->account_id), d, r,
		3) != 0 ||
	    store_row_copy_text(u->name_index, sizeof(u->name_index), d, r,
		4) != 0 ||
	    store_row_copy_text(u->email_index, sizeof(u->email_index), d, r,
		5) != 0 ||
	    store_row_copy_text(u->phone_index, sizeof(u->phone_index), d, r,
		6) != 0 ||
	    store_row_copy_text(u->created_by, sizeof(u->created_by), d, r,
		7) != 0)
		return -1;
	u->created_at = d->row_int(r, 8);
	u->updated_at = d->row_int(r, 9);
	u->account_linked_at = store_appt_opt_int(d, r, 10);
	u->address_removed_at = store_appt_opt_int(d, r, 11);
	u->reminders_at = store_appt_opt_int(d, r, 12);
	if (!d->row_is_null(r, 13) &&
	    store_row_copy_text(u->reminders_by, sizeof(u->reminders_by), d, r,
		13) != 0)
		return -1;
	for (i = 0; i < AUF_COUNT; i++) {
		int col = NFIXED + (int)i;

		if (d->row_is_null(r, col))
			continue;
		n = 0;
		p = d->row_blob(r, col, &n);
		if (n == 0) /* the empty blob of a fresh row */
			continue;
		if ((u->f[i].p = malloc(n)) == NULL)
			return -1;
		memcpy(u->f[i].p, p, n);
		u->f[i].len = n;
	}
	return 0;
}

int
store_appt_user_get(struct store *st, struct store_conn *c, int64_t id,
    struct store_appt_user *out)
{
	struct store_val p[1] = { SV_I(id) };
	struct one o = { store_drv(st), out, 0 };

	memset(out, 0, sizeof(*out));
	if (store_drv(st)->exec(c,
		"SELECT " COLS " FROM appt_users WHERE id = $1", p, 1, one_row,
		&o) != 0)
		return -1;
	return o.found ? 0 : 1;
}

int
store_appt_user_insert(struct store *st, struct store_conn *c,
    const char *org_id, int64_t responsible_id, const char *created_by,
    int64_t now, int64_t *id)
{
	struct store_val p[6];
	struct store_int_out o = { store_drv(st), 0, 0 };

	p[5] = SV_I(responsible_id > 0);
	p[0] = SV_T(org_id);
	p[1] = responsible_id > 0 ? SV_I(responsible_id) : SV_T(NULL);
	p[2] = SV_B(empty_blob, 0);
	p[3] = SV_T(created_by);
	p[4] = SV_I(now);
	if (store_drv(st)->exec(c,
		"INSERT INTO appt_users (org_id, responsible_id, relative,"
		" name_index, last_name, first_names, created_by, created_at,"
		" updated_at) VALUES ($1, $2, $6, '', $3, $3, $4, $5, $5)"
		" RETURNING id",
		p, 6, store_row_int, &o) != 0 ||
	    !o.found)
		return -1;
	*id = o.v;
	return 0;
}

static struct store_val
opt_text(const char *s)
{
	return SV_T(s[0] != '\0' ? s : NULL);
}

int
store_appt_user_write(struct store *st, struct store_conn *c,
    const struct store_appt_user *u)
{
	struct store_val p[5 + AUF_COUNT];
	struct store_int_out o = { store_drv(st), 0, 0 };
	size_t i;

	if (u->f[AUF_LAST_NAME].p == NULL || u->f[AUF_FIRST_NAMES].p == NULL)
		return -1;
	p[0] = SV_I(u->id);
	p[1] = SV_T(u->name_index);
	p[2] = opt_text(u->email_index);
	p[3] = opt_text(u->phone_index);
	p[4] = SV_I(u->updated_at);
	for (i = 0; i < AUF_COUNT; i++)
		p[5 + i] = u->f[i].p != NULL ? SV_B(u->f[i].p, u->f[i].len)
					     : SV_T(NULL);
	if (store_drv(st)->exec(c,
		"UPDATE appt_users SET name_index = $2, email_index = $3,"
		" phone_index = $4, updated_at = $5, last_name = $6,"
		" birth_name = $7, first_names = $8, birth_date = $9,"
		" email = $10, phone = $11, address = $12, caf_number = $13,"
		" family_situation = $14, children = $15, notes = $16"
		" WHERE id = $1 RETURNING id",
		p, 5 + AUF_COUNT, store_row_int, &o) != 0)
		return -1;
	return o.found ? 0 : 1;
}

struct ids {
	const struct store_driver *d;
	int64_t *v;
	size_t max, n;
};

static int
id_row(void *arg, const struct store_row *r)
{
	struct ids *x = arg;

	if (x->n >= x->max)
		return 1;
	x->v[x->n++] = x->d->row_int(r, 0);
	return 0;
}

int
store_appt_read_ids(struct store *st, struct store_conn *c, const char *sql,
    const struct store_val *p, size_t np, int64_t *ids, size_t max, size_t *n)
{
	struct ids x = { store_drv(st), ids, max, 0 };
	int rc = store_drv(st)->exec(c, sql, p, np, id_row, &x);

	*n = x.n;
	return rc < 0 ? -1 : 0;
}

int
store_appt_user_find(struct store *st, struct store_conn *c, const char *org_id,
    enum appt_user_index which, const char *value, int64_t *ids, size_t max,
    size_t *n)
{
	static const char *const sql[] = {
		"SELECT id FROM appt_users WHERE org_id = $1 AND"
		" name_index = $2 ORDER BY id",
		"SELECT id FROM appt_users WHERE org_id = $1 AND"
		" email_index = $2 ORDER BY id",
		"SELECT id FROM appt_users WHERE org_id = $1 AND"
		" phone_index = $2 ORDER BY id",
	};
	struct store_val p[2] = { SV_T(org_id), SV_T(value) };

	*n = 0;
	if ((int)which < 0 || which > AUI_PHONE)
		return -1;
	return store_appt_read_ids(st, c, sql[which], p, 2, ids, max, n);
}

int
store_appt_user_relatives(struct store *st, struct store_conn *c,
    int64_t responsible_id, int64_t *ids, size_t max, size_t *n)
{
	struct store_val p[1] = { SV_I(responsible_id) };

	return store_appt_read_ids(st, c,
	    "SELECT id FROM appt_users WHERE responsible_id = $1 ORDER BY id",
	    p, 1, ids, max, n);
}

int
store_appt_users_of_account(struct store *st, struct store_conn *c,
    const char *account_id, int64_t *ids, size_t max, size_t *n)
{
	struct store_val p[1] = { SV_T(account_id) };

	return store_appt_read_ids(st, c,
	    "SELECT id FROM appt_users WHERE account_id = $1 ORDER BY id", p, 1,
	    ids, max, n);
}

int
store_appt_user_link(struct store *st, struct store_conn *c, int64_t id,
    const char *account_id, int64_t now)
{
	struct store_val p[3] = { SV_I(id), SV_T(account_id), SV_I(now) };
	struct store_int_out o = { store_drv(st), 0, 0 };

	if (store_drv(st)->exec(c,
		"UPDATE appt_users SET account_id = $2,"
		" account_linked_at = COALESCE(account_linked_at, $3)"
		" WHERE id = $1 RETURNING id",
		p, 3, store_row_int, &o) != 0)
		return -1;
	return o.found ? 0 : 1;
}

int
store_appt_user_delete(struct store *st, struct store_conn *c, int64_t id)
{
	const struct store_driver *d = store_drv(st);
	struct store_val p[1] = { SV_I(id) };
	struct store_int_out o = { d, 0, 0 };

	if (d->exec(c, "DELETE FROM appt_participants WHERE user_id = $1", p, 1,
		NULL, NULL) != 0 ||
	    d->exec(c,
		"UPDATE appt_appointments SET home_address = NULL,"
		" address_user_id = NULL WHERE address_user_id = $1",
		p, 1, NULL, NULL) != 0 ||
	    d->exec(c,
		"UPDATE appt_users SET responsible_id = NULL"
		" WHERE responsible_id = $1",
		p, 1, NULL, NULL) != 0 ||
	    d->exec(c, "DELETE FROM appt_users WHERE id = $1 RETURNING id", p,
		1, store_row_int, &o) != 0)
		return -1;
	return o.found ? 0 : 1;
}

int
store_appt_count_row(void *arg, const struct store_row *r)
{
	(void)r;
	(*(long *)arg)++;
	return 0;
}

int
store_appt_user_cancel_future(struct store *st, struct store_conn *c,
    int64_t user_id, int64_t now, long *n)
{
	struct store_val p[2] = { SV_I(user_id), SV_I(now) };

	*n = 0;
	return store_drv(st)->exec(c,
	    "UPDATE appt_appointments SET status = 'annule_usager',"
	    " updated_at = $2 WHERE status = 'a_venir' AND start_at > $2 AND"
	    " collective = 0 AND id IN (SELECT appointment_id FROM"
	    " appt_participants WHERE user_id = $1) RETURNING id",
	    p, 2, store_appt_count_row, n);
}

int
store_appt_users_unlinked_before(struct store *st, struct store_conn *c,
    int relatives, int64_t cutoff, int64_t *ids, size_t max, size_t *n)
{
	struct store_val p[1] = { SV_I(cutoff) };

	return store_appt_read_ids(st, c,
	    relatives ? "SELECT id FROM appt_users WHERE account_id IS NULL"
			" AND relative = 1 AND created_at < $1"
			" ORDER BY id"
		      : "SELECT id FROM appt_users WHERE account_id IS NULL"
			" AND relative = 0 AND created_at < $1"
			" ORDER BY id",
	    p, 1, ids, max, n);
}

int
store_appt_addresses_remove(struct store *st, struct store_conn *c, int64_t now,
    long *n)
{
	const struct store_driver *d = store_drv(st);
	struct store_val p[1] = { SV_I(now) };

	*n = 0;
	if (d->exec(c,
		"UPDATE appt_users SET address = NULL, address_removed_at = $1"
		" WHERE address IS NOT NULL AND id IN (SELECT user_id FROM"
		" appt_participants WHERE booked_at <= $1) RETURNING id",
		p, 1, store_appt_count_row, n) != 0 ||
	    d->exec(c,
		"UPDATE appt_appointments SET home_address = NULL"
		" WHERE home_address IS NOT NULL AND end_at <= $1"
		" RETURNING id",
		p, 1, store_appt_count_row, n) != 0)
		return -1;
	return 0;
}

int
store_appt_user_set_reminders(struct store *st, struct store_conn *c,
    int64_t id, int64_t at, const char *by)
{
	struct store_val p[3];
	struct store_int_out o = { store_drv(st), 0, 0 };

	p[0] = SV_I(id);
	p[1] = at > 0 ? SV_I(at) : SV_T(NULL);
	p[2] = SV_T(at > 0 ? by : NULL);
	if (store_drv(st)->exec(c,
		"UPDATE appt_users SET reminders_at = $2, reminders_by = $3"
		" WHERE id = $1 RETURNING id",
		p, 3, store_row_int, &o) != 0)
		return -1;
	return o.found ? 0 : 1;
}
