/* tenants.c (store) - SQL for client organisations' state and settings. */
#include "store/tenants.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "store/driver.h"

void
store_tenant_clear(struct store_tenant *t)
{
	if (t == NULL)
		return;
	store_blob_wipe(&t->reason);
	store_blob_wipe(&t->contact);
	store_blob_wipe(&t->dpo_contact);
	store_blob_wipe(&t->mail_sender);
	store_blob_wipe(&t->mail_signature);
	sodium_memzero(t, sizeof(*t));
}

#define TENANT_COLUMNS                                                         \
	"SELECT o.id, o.name, o.kind, o.created_at, t.org_id,"                 \
	" COALESCE(t.state, 'active'), t.reason, t.state_at, t.state_by,"      \
	" t.terminated_at, t.delete_after, t.display_name, t.contact,"         \
	" t.dpo_contact, t.mail_sender, t.mail_signature,"                     \
	" COALESCE(t.retention, '{}'), t.password_min_length,"                 \
	" t.password_max_age_days, t.session_idle_minutes,"                    \
	" t.session_max_hours, t.updated_at"                                   \
	" FROM organisations o LEFT JOIN tenants t ON t.org_id = o.id"

static int64_t
opt_int(const struct store_driver *d, const struct store_row *r, int col)
{
	return d->row_is_null(r, col) ? 0 : d->row_int(r, col);
}

/* Reads one row into t (blobs malloc'ed). Returns 0 or -1. */
static int
read_row(const struct store_driver *d, const struct store_row *r,
    struct store_tenant *t)
{
	memset(t, 0, sizeof(*t));
	t->created_at = d->row_int(r, 3);
	t->has_row = !d->row_is_null(r, 4);
	t->state_at = opt_int(d, r, 7);
	t->terminated_at = opt_int(d, r, 9);
	t->delete_after = opt_int(d, r, 10);
	t->password_min_length = opt_int(d, r, 17);
	t->password_max_age_days = opt_int(d, r, 18);
	t->session_idle_minutes = opt_int(d, r, 19);
	t->session_max_hours = opt_int(d, r, 20);
	t->updated_at = opt_int(d, r, 21);
	if (store_row_copy_text(t->org_id, sizeof(t->org_id), d, r, 0) != 0 ||
	    store_row_copy_text(t->name, sizeof(t->name), d, r, 1) != 0 ||
	    store_row_copy_text(t->kind, sizeof(t->kind), d, r, 2) != 0 ||
	    store_row_copy_text(t->state, sizeof(t->state), d, r, 5) != 0 ||
	    store_row_copy_text(t->state_by, sizeof(t->state_by), d, r, 8) !=
		0 ||
	    store_row_copy_text(t->display_name, sizeof(t->display_name), d, r,
		11) != 0 ||
	    store_row_copy_text(t->retention, sizeof(t->retention), d, r, 16) !=
		0 ||
	    store_row_copy_blob(d, r, 6, &t->reason) != 0 ||
	    store_row_copy_blob(d, r, 12, &t->contact) != 0 ||
	    store_row_copy_blob(d, r, 13, &t->dpo_contact) != 0 ||
	    store_row_copy_blob(d, r, 14, &t->mail_sender) != 0 ||
	    store_row_copy_blob(d, r, 15, &t->mail_signature) != 0)
		return -1;
	return 0;
}

struct get_arg {
	const struct store_driver *d;
	struct store_tenant *out;
	int n, bad;
};

static int
get_row(void *arg, const struct store_row *r)
{
	struct get_arg *x = arg;

	x->n++;
	if (read_row(x->d, r, x->out) != 0)
		x->bad = 1;
	return 1;
}

int
store_tenant_get(struct store *st, struct store_conn *c, const char *org_id,
    struct store_tenant *out)
{
	struct get_arg x = { store_drv(st), out, 0, 0 };
	struct store_val p[1];

	memset(out, 0, sizeof(*out));
	p[0] = SV_T(org_id);
	if (x.d->exec(c, TENANT_COLUMNS " WHERE o.id = $1", p, 1, get_row,
		&x) != 0 ||
	    x.bad) {
		store_tenant_clear(out);
		return -1;
	}
	return x.n == 0 ? 1 : 0;
}

struct list_arg {
	const struct store_driver *d;
	int (*fn)(void *arg, const struct store_tenant *t);
	void *arg;
	int bad;
};

static int
list_row(void *arg, const struct store_row *r)
{
	struct list_arg *x = arg;
	struct store_tenant t;
	int rc;

	if (read_row(x->d, r, &t) != 0) {
		store_tenant_clear(&t);
		x->bad = 1;
		return 1;
	}
	rc = x->fn(x->arg, &t);
	store_tenant_clear(&t);
	if (rc != 0)
		x->bad = 1;
	return rc;
}

int
store_tenant_list(struct store *st, struct store_conn *c,
    int (*fn)(void *arg, const struct store_tenant *t), void *arg)
{
	struct list_arg x = { store_drv(st), fn, arg, 0 };

	if (x.d->exec(c,
		TENANT_COLUMNS
		" WHERE o.kind <> 'platform' ORDER BY o.name, o.id",
		NULL, 0, list_row, &x) != 0 ||
	    x.bad)
		return -1;
	return 0;
}

static struct store_val
opt_blob(const struct store_blob *b)
{
	return b->p != NULL ? SV_B(b->p, b->len) : SV_T(NULL);
}

static struct store_val
opt_i(int64_t v)
{
	return v > 0 ? SV_I(v) : SV_T(NULL);
}

int
store_tenant_put(struct store *st, struct store_conn *c,
    const struct store_tenant *t)
{
	struct store_val p[18];

	p[0] = SV_T(t->org_id);
	p[1] = SV_T(t->state);
	p[2] = opt_blob(&t->reason);
	p[3] = SV_I(t->state_at);
	p[4] = SV_T(t->state_by[0] ? t->state_by : NULL);
	p[5] = opt_i(t->terminated_at);
	p[6] = opt_i(t->delete_after);
	p[7] = SV_T(t->display_name[0] ? t->display_name : NULL);
	p[8] = opt_blob(&t->contact);
	p[9] = opt_blob(&t->dpo_contact);
	p[10] = opt_blob(&t->mail_sender);
	p[11] = opt_blob(&t->mail_signature);
	p[12] = SV_T(t->retention[0] ? t->retention : "{}");
	p[13] = opt_i(t->password_min_length);
	p[14] = opt_i(t->password_max_age_days);
	p[15] = opt_i(t->session_idle_minutes);
	p[16] = opt_i(t->session_max_hours);
	p[17] = SV_I(t->updated_at);
	return store_drv(st)->exec(c,
	    "INSERT INTO tenants (org_id, state, reason, state_at, state_by,"
	    " terminated_at, delete_after, display_name, contact, dpo_contact,"
	    " mail_sender, mail_signature, retention, password_min_length,"
	    " password_max_age_days, session_idle_minutes, session_max_hours,"
	    " updated_at)"
	    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,"
	    " $14, $15, $16, $17, $18)"
	    " ON CONFLICT (org_id) DO UPDATE SET state = excluded.state,"
	    " reason = excluded.reason, state_at = excluded.state_at,"
	    " state_by = excluded.state_by,"
	    " terminated_at = excluded.terminated_at,"
	    " delete_after = excluded.delete_after,"
	    " display_name = excluded.display_name,"
	    " contact = excluded.contact, dpo_contact = excluded.dpo_contact,"
	    " mail_sender = excluded.mail_sender,"
	    " mail_signature = excluded.mail_signature,"
	    " retention = excluded.retention,"
	    " password_min_length = excluded.password_min_length,"
	    " password_max_age_days = excluded.password_max_age_days,"
	    " session_idle_minutes = excluded.session_idle_minutes,"
	    " session_max_hours = excluded.session_max_hours,"
	    " updated_at = excluded.updated_at",
	    p, 18, NULL, NULL);
}

struct of_account {
	const struct store_driver *d;
	struct store_tenant_policy *out;
	int n, bad;
};

static int
of_account_row(void *arg, const struct store_row *r)
{
	struct of_account *x = arg;

	x->n++;
	if (store_row_copy_text(x->out->state, sizeof(x->out->state), x->d, r,
		0) != 0)
		x->bad = 1;
	x->out->password_min_length = opt_int(x->d, r, 1);
	x->out->password_max_age_days = opt_int(x->d, r, 2);
	x->out->session_idle_minutes = opt_int(x->d, r, 3);
	x->out->session_max_hours = opt_int(x->d, r, 4);
	return 1;
}

int
store_tenant_of_account(struct store *st, struct store_conn *c,
    const char *account_id, struct store_tenant_policy *out)
{
	struct of_account x = { store_drv(st), out, 0, 0 };
	struct store_val p[1];

	memset(out, 0, sizeof(*out));
	p[0] = SV_T(account_id);
	if (x.d->exec(c,
		"SELECT COALESCE(t.state, 'active'), t.password_min_length,"
		" t.password_max_age_days, t.session_idle_minutes,"
		" t.session_max_hours FROM accounts a"
		" LEFT JOIN tenants t ON t.org_id = a.org_id WHERE a.id = $1",
		p, 1, of_account_row, &x) != 0 ||
	    x.bad)
		return -1;
	return x.n == 0 ? 1 : 0;
}

struct each_admin {
	const struct store_driver *d;
	int (*fn)(void *arg, const char *account_id);
	void *arg;
	int bad;
};

static int
admin_row(void *arg, const struct store_row *r)
{
	struct each_admin *x = arg;
	const char *id = x->d->row_text(r, 0);
	int rc = x->fn(x->arg, id ? id : "");

	if (rc != 0)
		x->bad = 1;
	return rc;
}

int
store_tenant_admins(struct store *st, struct store_conn *c, const char *org_id,
    int (*fn)(void *arg, const char *account_id), void *arg)
{
	struct each_admin x = { store_drv(st), fn, arg, 0 };
	struct store_val p[1];

	p[0] = SV_T(org_id);
	if (x.d->exec(c,
		"SELECT DISTINCT r.account_id FROM account_roles r"
		" JOIN accounts a ON a.id = r.account_id"
		" WHERE r.org_id = $1"
		" AND r.role IN ('school_admin', 'agent_admin')"
		" AND a.status = 'active' ORDER BY r.account_id",
		p, 1, admin_row, &x) != 0 ||
	    x.bad)
		return -1;
	return 0;
}

long
store_tenant_sessions_end(struct store *st, struct store_conn *c,
    const char *org_id)
{
	struct store_val p[1];

	p[0] = SV_T(org_id);
	return store_exec_count(st, c,
	    "DELETE FROM sessions WHERE account_id IN"
	    " (SELECT id FROM accounts WHERE org_id = $1) RETURNING 1",
	    p, 1);
}
