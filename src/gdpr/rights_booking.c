/*
 * rights_booking.c - access and erasure of the booking data: a
 * candidate's registry rows and what hangs on them, an account's
 * notifications and emails.
 */
#include "gdpr/rights_booking.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "audit/audit.h"
#include "core/log.h"
#include "gdpr/rights.h"
#include "notify/notify.h"
#include "service/candidates.h"
#include "store/audit.h"
#include "store/booking_rights.h"
#include "store/candidates.h"
#include "store/driver.h"
#include "store/school.h"

/* Access. */

/* One list of store_br_list turned into items of a category. */
struct list_items {
	struct rights_exp *x;
	const char *cat, *label, *source;
};

static int
add_row(void *arg, const struct store_br_row *r)
{
	struct list_items *l = arg;
	json_t *o = json_object();
	int i;

	for (i = 0; o != NULL && i < r->n; i++)
		json_object_set_new(o, r->name[i],
		    r->is_null[i]            ? json_null()
			: r->text[i] != NULL ? json_string(r->text[i])
					     : json_integer(r->num[i]));
	rights_item(l->x, l->cat, l->label, l->source, o);
	return l->x->failed;
}

static int
list(struct rights_exp *x, struct store_conn *c, enum store_br_list which,
    const char *id, const char *cat, const char *label, const char *source)
{
	struct list_items l = { x, cat, label, source };
	int rc = store_br_list(x->a->st, c, which, id, add_row, &l);

	return rc != 0 || x->failed ? -1 : 0;
}

struct cand_audit {
	struct rights_exp *x;
};

/* An audit entry naming the candidate: action, time, outcome; never its
 * details (they may be about the school's staff) nor the actor. */
static int
add_audit(void *arg, const struct audit_row *row)
{
	struct cand_audit *w = arg;

	rights_item(w->x, "audit_reference",
	    "Opération journalisée sur votre dossier de candidat",
	    RIGHTS_SOURCE_AUTO,
	    json_pack("{s:I, s:I, s:s, s:s?, s:s?}", "seq",
		(json_int_t)row->seq, "at", (json_int_t)row->at, "action",
		row->action ? row->action : "", "target_type", row->target_type,
		"outcome", row->outcome));
	return w->x->failed;
}

/* The items of registry row id. */
static int
export_candidate(struct rights_exp *x, struct store_conn *c, int64_t id)
{
	struct svc s = { x->a, NULL };
	struct svc_candidate cand;
	struct store_candidate row;
	struct audit_filter f;
	struct cand_audit w = { x };
	char rid[24];
	int rc;

	snprintf(rid, sizeof(rid), "%" PRId64, id);
	memset(&row, 0, sizeof(row));
	if ((rc = store_candidate_get(x->a->st, c, id, &row)) != 0) {
		store_candidate_clear(&row);
		return rc < 0 ? -1 : 0;
	}
	rights_item(x, "candidate_ref", "Numéro de dossier de candidat",
	    RIGHTS_SOURCE_ORG,
	    json_pack("{s:I, s:I, s:I, s:o}", "candidate_id", (json_int_t)id,
		"created_at", (json_int_t)row.created_at, "updated_at",
		(json_int_t)row.updated_at, "closed_at",
		row.closed_at ? json_integer(row.closed_at) : json_null()));
	store_candidate_clear(&row);
	rc = svc_candidate_open(&s, c, id, &cand);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		rights_item(x, "candidate_identity", "Identité de candidat",
		    RIGHTS_SOURCE_ORG,
		    json_pack("{s:s, s:s, s:s, s:s, s:s}", "neph", cand.neph,
			"last_name", cand.last_name, "first_names",
			cand.first_names, "category", cand.category, "gearbox",
			cand.gearbox));
		rights_item(x, "candidate_contact",
		    "Adresse e-mail de candidat", RIGHTS_SOURCE_ORG,
		    cand.email[0] ? json_string(cand.email) : NULL);
	}
	sodium_memzero(&cand, sizeof(cand));
	if (list(x, c, BR_MANDATES, rid, "candidate_ref", "Mandat",
		RIGHTS_SOURCE_ORG) != 0 ||
	    list(x, c, BR_TRAINERS, rid, "candidate_ref",
		"Formateur qui vous suit", RIGHTS_SOURCE_ORG) != 0 ||
	    list(x, c, BR_EXAMS, rid, "exam_data", "Examen",
		RIGHTS_SOURCE_ORG) != 0 ||
	    list(x, c, BR_BASKET_ITEMS, rid, "candidate_ref",
		"Place d'examen retenue pour vous dans un panier",
		RIGHTS_SOURCE_ORG) != 0)
		return -1;
	memset(&f, 0, sizeof(f));
	f.target_type = "candidate";
	f.target_id = rid;
	return store_audit_scan(x->a->st, &f, add_audit, &w) != 0 || x->failed
	    ? -1
	    : 0;
}

int
rights_booking_export(struct rights_exp *x, struct store_conn *c)
{
	int64_t ids[RIGHTS_CANDIDATES_MAX];
	size_t n = 0, i;

	if (list(x, c, BR_NOTIFICATIONS, x->id, "notification_ref",
		"Notification dans l'application", RIGHTS_SOURCE_AUTO) != 0 ||
	    list(x, c, BR_OUTBOX, x->id, "notification_content",
		"Courriel de notification (objet seulement)",
		RIGHTS_SOURCE_AUTO) != 0 ||
	    store_candidates_of_account(x->a->st, c, x->id, ids,
		RIGHTS_CANDIDATES_MAX, &n) != 0)
		return -1;
	for (i = 0; i < n; i++)
		if (export_candidate(x, c, ids[i]) != 0)
			return -1;
	return 0;
}

int
rights_registry_export(const struct auth *a, const struct datamap *m,
    const int64_t *ids, size_t n, int64_t now, json_t **out)
{
	struct store_conn *c = store_conn(a->st);
	struct rights_exp x;
	json_t *list;
	size_t i;
	int rc = -1;

	*out = NULL;
	memset(&x, 0, sizeof(x));
	x.a = a;
	x.m = m;
	x.id = "";
	x.items = json_array();
	x.cats = json_object();
	x.cat_list = json_array();
	list = json_array();
	if (c == NULL || x.items == NULL || x.cats == NULL ||
	    x.cat_list == NULL || list == NULL)
		goto done;
	for (i = 0; i < n; i++) {
		if (export_candidate(&x, c, ids[i]) != 0)
			goto done;
		json_array_append_new(list, json_integer(ids[i]));
	}
	if (x.failed)
		goto done;
	if (json_array_size(x.items) == 0) {
		rc = 1;
		goto done;
	}
	*out = json_pack("{s:s, s:I, s:O, s:{s:s?, s:s?, s:s?}, s:O, s:O}",
	    "format", "creneau-export-1", "generated_at", (json_int_t)now,
	    "candidate_ids", list, "controller", "name",
	    m ? m->controller.name : NULL, "contact",
	    m ? m->controller.contact : NULL, "dpo",
	    m ? m->controller.dpo : NULL, "categories", x.cat_list, "items",
	    x.items);
	rc = *out != NULL ? 0 : -1;
done:
	json_decref(list);
	json_decref(x.items);
	json_decref(x.cats);
	json_decref(x.cat_list);
	return rc;
}

/* Erasure. */

static int
count_past(void *arg, const struct store_br_row *r)
{
	long *n = arg;

	(void)r;
	(*n)++;
	return 0;
}

static int
audit_shred(const struct auth *a, struct store_conn *c, int64_t id,
    const char *actor, const char *reason, int64_t now,
    const struct rights_booking_erased *d)
{
	struct audit_entry e;
	char ids[24], *details;
	json_t *o;
	int rc;

	o = json_pack("{s:s, s:I, s:I, s:I, s:I, s:I}", "reason", reason,
	    "exams_cancelled", (json_int_t)d->exams_cancelled, "basket_items",
	    (json_int_t)d->basket_items, "mandates_revoked",
	    (json_int_t)d->mandates, "trainers", (json_int_t)d->trainers,
	    "exams_kept", (json_int_t)d->exams_kept);
	details = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	if (details == NULL)
		return -1;
	snprintf(ids, sizeof(ids), "%" PRId64, id);
	memset(&e, 0, sizeof(e));
	e.actor = actor;
	e.action = "candidate.shred";
	e.target_type = "candidate";
	e.target_ids = ids;
	e.outcome = AUDIT_SUCCESS;
	e.details = details;
	rc = audit_append(a->st, c, a->audit_key, now, &e, NULL);
	free(details);
	return rc;
}

/* Cancels the future exams of candidate id, telling each school. */
static int
cancel_future(const struct auth *a, struct store_conn *c, int64_t id,
    int64_t now, long *n)
{
	struct store_br_exam ex[RIGHTS_FUTURE_EXAMS_MAX];
	char org[STORE_ID_MAX], params[160];
	struct notice note = { "booking.cancelled", params };
	size_t k, i;
	int rc;

	if (store_br_future_exams(a->st, c, id, now, ex,
		RIGHTS_FUTURE_EXAMS_MAX, &k) != 0)
		return -1;
	for (i = 0; i < k; i++) {
		if ((rc = store_br_exam_cancel(a->st, c, ex[i].id,
			 ex[i].slot_id, now)) < 0)
			return -1;
		if (rc == 1)
			continue;
		(*n)++;
		/* References only: the school reads the rest in its list. */
		snprintf(params, sizeof(params),
		    "{\"exam_id\":%" PRId64 ",\"start_at\":%" PRId64
		    ",\"late\":false,\"reason\":\"erasure\"}",
		    ex[i].id, ex[i].start_at);
		rc = store_school_org(a->st, c, ex[i].school_id, org,
		    sizeof(org));
		if (rc < 0 ||
		    (rc == 0 &&
			notify_school(a, c, org, NULL, &note, now) != 0))
			return -1;
	}
	return 0;
}

int
rights_candidate_shred(const struct auth *a, struct store_conn *c, int64_t id,
    const char *actor, const char *reason, int64_t now,
    struct rights_booking_erased *e)
{
	struct rights_booking_erased d;
	char rid[24];
	int rc;

	memset(&d, 0, sizeof(d));
	snprintf(rid, sizeof(rid), "%" PRId64, id);
	if (cancel_future(a, c, id, now, &d.exams_cancelled) != 0 ||
	    (d.basket_items = store_br_basket_release(a->st, c, id)) < 0 ||
	    (d.mandates = store_br_mandates_revoke(a->st, c, id, now)) < 0 ||
	    (d.trainers = store_br_trainers_delete(a->st, c, id)) < 0 ||
	    store_br_list(a->st, c, BR_EXAMS, rid, count_past, &d.exams_kept) !=
		0)
		return -1;
	if ((rc = store_br_candidate_shred(a->st, c, id, now)) != 0)
		return rc;
	/* Past and cancelled exams stay, as exam data, until exam_data. */
	if (audit_shred(a, c, id, actor, reason, now, &d) != 0)
		return -1;
	e->candidates++;
	e->exams_cancelled += d.exams_cancelled;
	e->basket_items += d.basket_items;
	e->mandates += d.mandates;
	e->trainers += d.trainers;
	e->exams_kept += d.exams_kept;
	if (e->nids < RIGHTS_CANDIDATES_MAX)
		e->ids[e->nids++] = id;
	return 0;
}

int
rights_candidate_keys(const struct auth *a,
    const struct rights_booking_erased *e, int64_t now)
{
	char owner[AUTH_OWNER_MAX];
	size_t i;
	int rc = 0;

	for (i = 0; i < e->nids; i++)
		if (svc_candidate_owner(e->ids[i], owner, sizeof(owner)) != 0 ||
		    keystore_destroy(a->ks, owner, now) != 0) {
			log_warnx("%s: registry row %" PRId64
				  " shredded but its key is not destroyed",
			    __func__, e->ids[i]);
			rc = -1;
		}
	return rc;
}

int
rights_booking_erase(const struct auth *a, struct store_conn *c,
    const char *account_id, const char *actor, int64_t now,
    struct rights_booking_erased *e)
{
	int64_t ids[RIGHTS_CANDIDATES_MAX];
	size_t n = 0, i;

	memset(e, 0, sizeof(*e));
	if (store_candidates_of_account(a->st, c, account_id, ids,
		RIGHTS_CANDIDATES_MAX, &n) != 0)
		return -1;
	for (i = 0; i < n; i++)
		if (rights_candidate_shred(a, c, ids[i], actor, "erasure", now,
			e) < 0)
			return -1;
	if ((e->notifications =
		    store_br_notifications_delete(a->st, c, account_id)) < 0 ||
	    (e->emails = store_br_outbox_delete(a->st, c, account_id)) < 0)
		return -1;
	return 0;
}

/* The retention of rule id of m, described, or NULL. */
static json_t *
rule_text(const struct datamap *m, const char *id)
{
	const struct datamap_retention *r = NULL;
	char text[512];

	if (m != NULL)
		r = datamap_retention_find(m, id);
	if (r == NULL || datamap_retention_describe(r, text, sizeof(text)) != 0)
		return json_null();
	return json_string(text);
}

int
rights_booking_kept(json_t *kept, const struct rights_booking_erased *e,
    const struct datamap *m)
{
	if (e->candidates == 0)
		return 0;
	if (json_array_append_new(kept,
		json_pack("{s:s, s:I, s:s, s:o}", "what",
		    "Examens passés ou annulés (date, centre, résultat)",
		    "entries", (json_int_t)e->exams_kept, "why",
		    "Conservés au minimum exigé par le service public de "
		    "l'examen (preuve du résultat, statistiques de "
		    "l'autorité) jusqu'à la fin de validité du résultat, "
		    "puis supprimés. Ils ne renvoient plus qu'à un dossier "
		    "de candidat vidé : votre NEPH, vos nom, prénoms et "
		    "adresse e-mail sont effacés et la clé qui les "
		    "chiffrait est détruite.",
		    "retention", rule_text(m, "exam_data"))) != 0)
		return -1;
	return json_array_append_new(kept,
	    json_pack("{s:s, s:s, s:o}", "what",
		"Dossier de candidat vidé (numéro interne, dates)", "why",
		"Le numéro interne de votre dossier reste réservé, vide et "
		"clos, pour qu'il ne soit jamais attribué à quelqu'un "
		"d'autre ; il ne contient plus aucune donnée vous "
		"concernant. Les entrées de la piste d'audit qui le citent "
		"ne contiennent que des références, leurs détails sont "
		"chiffrés avec la clé du système.",
		"retention", rule_text(m, "candidate_identity")));
}
