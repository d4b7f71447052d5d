/* appt_privacy.c - retention, access and erasure for the users,
 * relatives and appointments of the appointments module. */
#include "gdpr/appt_privacy.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "audit/audit.h"
#include "core/log.h"
#include "crypto/keystore.h"
#include "gdpr/rights.h"
#include "gdpr/rights_booking.h"
#include "service/appt_people.h"
#include "store/driver.h"

/* Erases record id (and cancels its future individual appointments) on
 * c, with its audit entry. Returns 0, 1 when gone already, or -1. */
static int
erase_one(const struct auth *a, struct store_conn *c, int64_t id,
    const char *actor, const char *reason, int64_t now, long *cancelled)
{
	struct audit_entry e;
	char ids[24], details[96];
	long n = 0;
	int rc;

	if ((rc = store_appt_user_cancel_future(a->st, c, id, now, &n)) != 0)
		return -1;
	if ((rc = store_appt_user_delete(a->st, c, id)) != 0)
		return rc;
	*cancelled += n;
	memset(&e, 0, sizeof(e));
	snprintf(ids, sizeof(ids), "%" PRId64, id);
	snprintf(details, sizeof(details),
	    "{\"reason\":\"%s\",\"appointments_cancelled\":%ld}", reason, n);
	e.actor = actor;
	e.action = "appt_user.erase";
	e.target_type = "appt_user";
	e.target_ids = ids;
	e.outcome = AUDIT_SUCCESS;
	e.details = details;
	return audit_append(a->st, c, a->audit_key, now, &e, NULL) != 0 ? -1
									: 0;
}

int
appt_rights_keys(const struct auth *a, const struct appt_erased *e, int64_t now)
{
	char owner[AUTH_OWNER_MAX];
	size_t i;
	int rc = 0;

	for (i = 0; i < e->n; i++)
		if (svc_appt_user_owner(e->ids[i], owner, sizeof(owner)) != 0 ||
		    keystore_destroy(a->ks, owner, now) != 0) {
			log_warnx("%s: user record %" PRId64
				  " erased but its key is not destroyed",
			    __func__, e->ids[i]);
			rc = -1;
		}
	return rc;
}

struct purge_arg {
	const struct auth *a;
	int64_t id, now;
	long cancelled;
};

static int
purge_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct purge_arg *x = arg;

	(void)st;
	return erase_one(x->a, c, x->id, NULL, "retention", x->now,
	    &x->cancelled);
}

long
appt_purge_new_users(const struct auth *a, int relatives, int64_t cutoff,
    int64_t now)
{
	struct appt_erased e;
	struct purge_arg x;
	int64_t *ids;
	size_t n = 0, i;
	long done = 0;
	int rc;

	if ((ids = calloc(APPT_PRIVACY_BATCH, sizeof(*ids))) == NULL)
		return -1;
	if (store_appt_users_unlinked_before(a->st, store_conn(a->st),
		relatives, cutoff, ids, APPT_PRIVACY_BATCH, &n) != 0) {
		free(ids);
		return -1;
	}
	for (i = 0; i < n; i++) {
		memset(&x, 0, sizeof(x));
		x.a = a;
		x.id = ids[i];
		x.now = now;
		memset(&e, 0, sizeof(e));
		e.ids[0] = ids[i];
		e.n = 1;
		if ((rc = store_tx(a->st, 1, purge_tx, &x)) < 0 ||
		    appt_rights_keys(a, &e, now) != 0) {
			free(ids);
			return -1;
		}
		done += rc == 0;
	}
	free(ids);
	return done;
}

struct loc_arg {
	int64_t now;
	long n;
};

static int
loc_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct loc_arg *x = arg;

	return store_appt_addresses_remove(st, c, x->now, &x->n);
}

long
appt_purge_locations(const struct auth *a, int64_t now)
{
	struct loc_arg x = { now, 0 };

	if (store_tx(a->st, 1, loc_tx, &x) != 0)
		return -1;
	return x.n;
}

/* Exporting: one record's items. */
struct exp_arg {
	struct rights_exp *x;
	json_t *list;
};

static int
appt_row(void *arg, const struct store_appt_listed *l)
{
	struct exp_arg *e = arg;
	json_t *o = json_pack("{s:I, s:I, s:I, s:s, s:I, s:I, s:s}", "id",
	    (json_int_t)l->id, "motif_id", (json_int_t)l->motif_id, "place_id",
	    (json_int_t)l->place_id, "location_type", l->location_type,
	    "start_at", (json_int_t)l->start_at, "duration_min",
	    (json_int_t)l->duration_min, "status", l->status);

	return o == NULL || json_array_append_new(e->list, o) != 0 ? -1 : 0;
}

static json_t *
user_json(const struct svc_appt_user *u)
{
	json_t *o =
	    json_pack("{s:I, s:s, s:I, s:I}", "id", (json_int_t)u->id, "org_id",
		u->org_id, "responsible_id", (json_int_t)u->responsible_id,
		"created_at", (json_int_t)u->created_at);
	size_t i;

	for (i = 0; o != NULL && i < AUF_COUNT; i++)
		if (json_object_set_new(o, store_appt_user_columns[i],
			json_string(u->f[i])) != 0) {
			json_decref(o);
			return NULL;
		}
	return o;
}

/* Adds record id (opened) and its appointments to x. */
static int
export_record(struct rights_exp *x, struct store_conn *c, const struct svc *s,
    int64_t id, const char *label)
{
	struct svc_appt_user *u = calloc(1, sizeof(*u));
	struct exp_arg e = { x, json_array() };
	int rc = -1;

	if (u == NULL || e.list == NULL)
		goto done;
	rc = svc_appt_user_open(s, c, NULL, id, u);
	if (rc < 0)
		goto done;
	if (rc == APPT_OK)
		rights_item(x, "appt_user_identity", label, RIGHTS_SOURCE_ORG,
		    user_json(u));
	rc = -1;
	if (store_appt_list_user(x->a->st, c, id, 1000, appt_row, &e) != 0)
		goto done;
	rights_item(x, "appointment_data", "Rendez-vous", RIGHTS_SOURCE_ORG,
	    e.list);
	e.list = NULL;
	rc = 0;
done:
	json_decref(e.list);
	if (u != NULL) {
		sodium_memzero(u, sizeof(*u));
		free(u);
	}
	return rc;
}

int
appt_rights_export(struct rights_exp *x, struct store_conn *c)
{
	struct svc s = { x->a, NULL };
	int64_t ids[APPT_ERASE_MAX], rel[APPT_ERASE_MAX];
	size_t n = 0, nr, i, k;

	if (store_appt_users_of_account(x->a->st, c, x->id, ids, APPT_ERASE_MAX,
		&n) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (export_record(x, c, &s, ids[i], "Fiche usager") != 0 ||
		    store_appt_user_relatives(x->a->st, c, ids[i], rel,
			APPT_ERASE_MAX, &nr) != 0)
			return -1;
		for (k = 0; k < nr; k++)
			if (export_record(x, c, &s, rel[k],
				"Fiche d'un proche") != 0)
				return -1;
	}
	return x->failed ? -1 : 0;
}

int
appt_rights_erase(const struct auth *a, struct store_conn *c,
    const char *account_id, const char *actor, int64_t now,
    struct appt_erased *e)
{
	int64_t ids[APPT_ERASE_MAX], rel[APPT_ERASE_MAX];
	size_t n = 0, nr, i, k;

	memset(e, 0, sizeof(*e));
	if (store_appt_users_of_account(a->st, c, account_id, ids,
		APPT_ERASE_MAX, &n) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (store_appt_user_relatives(a->st, c, ids[i], rel,
			APPT_ERASE_MAX, &nr) != 0)
			return -1;
		for (k = 0; k < nr && e->n < APPT_ERASE_MAX; k++) {
			if (erase_one(a, c, rel[k], actor, "erasure", now,
				&e->cancelled) < 0)
				return -1;
			e->ids[e->n++] = rel[k];
		}
		if (e->n >= APPT_ERASE_MAX)
			return -1;
		if (erase_one(a, c, ids[i], actor, "erasure", now,
			&e->cancelled) < 0)
			return -1;
		e->ids[e->n++] = ids[i];
	}
	return 0;
}
