/* request.c - the rights-request register: due dates, steps, reminders. */
#include "gdpr/request.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "audit/audit.h"
#include "booking/caltime.h"
#include "crypto/field.h"
#include "gdpr/rights_booking.h"
#include "notify/notify.h"
#include "store/booking_rights.h"
#include "store/driver.h"

static const char *const kinds[] = { "access", "rectification", "erasure",
	"restriction", "objection", "portability" };

static const char *const text_names[RQ_COUNT] = {
	[RQ_IDENTITY] = "identity",
	[RQ_MESSAGE] = "message",
	[RQ_EXTENSION_REASON] = "extension_reason",
	[RQ_OUTCOME] = "outcome",
};

static const char *const op_actions[] = {
	[RQ_VERIFY] = "rights.request.verify",
	[RQ_EXTEND] = "rights.request.extend",
	[RQ_CLOSE] = "rights.request.close",
	[RQ_LIFT] = "rights.request.lift",
	[RQ_ERASE_REGISTRY] = "rights.request.erase_registry",
};

int
request_kind_valid(const char *kind)
{
	size_t i;

	for (i = 0; kind != NULL && i < sizeof(kinds) / sizeof(*kinds); i++)
		if (strcmp(kind, kinds[i]) == 0)
			return 1;
	return 0;
}

const char *
request_text_name(enum request_text t)
{
	return (unsigned)t < RQ_COUNT ? text_names[t] : NULL;
}

int64_t
request_due(int64_t received_at, int extended_months)
{
	return caltime_add_months(received_at, 1 + extended_months);
}

static int
closed(const struct rights_request *r)
{
	return r->closed_at != 0;
}

int
request_late(const struct rights_request *r, int64_t now)
{
	return !closed(r) && now > r->due_at;
}

void
request_init(struct rights_request *r)
{
	memset(r, 0, sizeof(*r));
}

void
request_clear(struct rights_request *r)
{
	sodium_memzero(r, sizeof(*r));
}

/* The state follows from the dates, so it cannot contradict them. */
static void
set_state(struct rights_request *r, int refused)
{
	const char *s;

	if (closed(r))
		s = refused ? "refused" : "done";
	else if (r->extended_months > 0)
		s = "extended";
	else if (r->identity_verified_at != 0)
		s = "verified";
	else
		s = "received";
	snprintf(r->state, sizeof(r->state), "%s", s);
}

static int
refuse(char *why, size_t whylen, const char *msg)
{
	if (why != NULL && whylen > 0)
		snprintf(why, whylen, "%s", msg);
	return 1;
}

/* Copies s into text t of r. Returns 0, or 1 when too long. */
static int
set_text(struct rights_request *r, enum request_text t, const char *s,
    char *why, size_t whylen)
{
	size_t n = strlen(s);

	if (n > REQUEST_TEXT_MAX) {
		if (why != NULL && whylen > 0)
			snprintf(why, whylen,
			    "Le champ « %s » dépasse %d octets.", text_names[t],
			    REQUEST_TEXT_MAX);
		return 1;
	}
	memcpy(r->text[t], s, n + 1);
	return 0;
}

/* --- sealing --- */

static int
request_key(const struct auth *a, struct data_key *key)
{
	return keystore_get(a->ks, REQUEST_KEY_OWNER, 1, key) == 0 ? 0 : -1;
}

static int
seal_texts(const struct data_key *key, const struct rights_request *r,
    struct store_blob *out)
{
	json_t *o = json_object();
	char *s = NULL;
	int i, rc = -1;

	if (o == NULL)
		return -1;
	for (i = 0; i < RQ_COUNT; i++)
		if (json_object_set_new(o, text_names[i],
			json_string(r->text[i])) != 0)
			goto done;
	if ((s = json_dumps(o, JSON_COMPACT)) == NULL)
		goto done;
	rc = field_seal(key, 1, "rights_requests", "details", r->id, s,
	    strlen(s), &out->p, &out->len);
done:
	if (s != NULL) {
		sodium_memzero(s, strlen(s));
		free(s);
	}
	json_decref(o);
	return rc;
}

static void
to_row(const struct rights_request *r, struct store_rights_request *w)
{
	memset(w, 0, sizeof(*w));
	memcpy(w->id, r->id, sizeof(w->id));
	memcpy(w->org_id, r->org_id, sizeof(w->org_id));
	memcpy(w->kind, r->kind, sizeof(w->kind));
	memcpy(w->subject_account, r->subject_account,
	    sizeof(w->subject_account));
	memcpy(w->opened_by, r->opened_by, sizeof(w->opened_by));
	memcpy(w->state, r->state, sizeof(w->state));
	w->received_at = r->received_at;
	w->identity_verified_at = r->identity_verified_at;
	w->due_at = r->due_at;
	w->extended_months = r->extended_months;
	w->closed_at = r->closed_at;
	w->updated_at = r->updated_at;
	w->reminded_7_at = r->reminded_7_at;
	w->reminded_1_at = r->reminded_1_at;
}

static int
from_row(const struct data_key *key, const struct store_rights_request *w,
    struct rights_request *r)
{
	json_t *o, *v;
	char *pt = NULL;
	size_t ptlen = 0, n;
	int i, rc = -1;

	request_init(r);
	memcpy(r->id, w->id, sizeof(r->id));
	memcpy(r->org_id, w->org_id, sizeof(r->org_id));
	memcpy(r->kind, w->kind, sizeof(r->kind));
	memcpy(r->subject_account, w->subject_account,
	    sizeof(r->subject_account));
	memcpy(r->opened_by, w->opened_by, sizeof(r->opened_by));
	memcpy(r->state, w->state, sizeof(r->state));
	r->received_at = w->received_at;
	r->identity_verified_at = w->identity_verified_at;
	r->due_at = w->due_at;
	r->extended_months = w->extended_months;
	r->closed_at = w->closed_at;
	r->updated_at = w->updated_at;
	r->reminded_7_at = w->reminded_7_at;
	r->reminded_1_at = w->reminded_1_at;
	if (field_open(key, "rights_requests", "details", w->id, w->details.p,
		w->details.len, &pt, &ptlen) != 0)
		return -1;
	if ((o = json_loadb(pt, ptlen, 0, NULL)) == NULL)
		goto done;
	for (i = 0; i < RQ_COUNT; i++) {
		v = json_object_get(o, text_names[i]);
		if (v == NULL || !json_is_string(v) ||
		    (n = json_string_length(v)) > REQUEST_TEXT_MAX)
			goto bad;
		memcpy(r->text[i], json_string_value(v), n + 1);
	}
	rc = 0;
bad:
	json_decref(o);
done:
	field_free(pt, ptlen);
	return rc;
}

/* --- transactions --- */

struct rq_tx {
	const struct auth *a;
	const struct data_key *key;
	const char *actor, *org_id, *id;
	struct request_action *act;
	struct rights_request *r;
	int64_t now;
	char *why;
	size_t whylen;
	int result; /* 1 not found, 2 refused */
	struct rights_booking_erased erased; /* RQ_ERASE_REGISTRY */
};

#define REGISTRY_DONE                                                             \
	"Votre dossier du registre des candidats a été effacé : NEPH, nom, "   \
	"prénoms et adresse e-mail sont supprimés, vos examens à venir "       \
	"annulés, vos mandats révoqués et la clé qui chiffrait vos données " \
	"détruite (y compris dans les sauvegardes). Les examens passés sont "   \
	"conservés sans votre identité jusqu'à la fin de validité du "        \
	"résultat."

/* RQ_ERASE_REGISTRY within t's transaction. Returns 0, 2 when refused. */
static int
erase_registry(struct rq_tx *t, struct store_conn *c)
{
	int64_t ids[RIGHTS_CANDIDATES_MAX];
	size_t n = 0, i;
	int rc;

	if (t->act->neph_index == NULL ||
	    store_br_candidates_of_neph(t->a->st, c, t->act->neph_index, ids,
		RIGHTS_CANDIDATES_MAX, &n) != 0)
		return -1;
	if (n == 0)
		return 2 *
		    refuse(t->why, t->whylen,
			"Le champ « neph » ne correspond à aucun dossier du "
			"registre des candidats (déjà effacé, ou jamais "
			"inscrit).");
	for (i = 0; i < n; i++)
		if ((rc = rights_candidate_shred(t->a, c, ids[i], t->actor,
			 "erasure", t->now, &t->erased)) < 0)
			return -1;
	t->act->erased = (long)t->erased.candidates;
	return 0;
}

/* Notifies the subject account (if any) of kind about r. */
static int
notify_subject(struct rq_tx *t, struct store_conn *c, const char *kind)
{
	struct notice n;
	char *params;
	json_t *p;
	int rc;

	if (t->r->subject_account[0] == '\0')
		return 0;
	p = json_pack("{s:s, s:s, s:I}", "request_id", t->r->id, "kind",
	    t->r->kind, "due_at", (json_int_t)t->r->due_at);
	if (p == NULL || (params = json_dumps(p, JSON_COMPACT)) == NULL) {
		json_decref(p);
		return -1;
	}
	json_decref(p);
	n.kind = kind;
	n.params = params;
	rc = notify_account(t->a, c, t->r->subject_account, t->r->org_id, &n,
	    t->now);
	free(params);
	return rc;
}

/* Seals r, writes it and audits action with the state reached. */
static int
write_tx(struct rq_tx *t, struct store_conn *c, int insert, const char *action)
{
	struct store_rights_request w;
	struct audit_entry e;
	char details[128];
	int rc = -1;

	to_row(t->r, &w);
	if (seal_texts(t->key, t->r, &w.details) != 0)
		return -1;
	if ((insert ? store_rr_insert(t->a->st, c, &w)
		    : store_rr_update(t->a->st, c, &w)) != 0)
		goto done;
	snprintf(details, sizeof(details),
	    "{\"kind\":\"%s\",\"state\":\"%s\",\"extended_months\":%d}",
	    t->r->kind, t->r->state, t->r->extended_months);
	memset(&e, 0, sizeof(e));
	e.actor = t->actor;
	e.action = action;
	e.target_type = "rights_request";
	e.target_ids = t->r->id;
	e.org = t->r->org_id;
	e.outcome = AUDIT_SUCCESS;
	e.details = details;
	rc = audit_append(t->a->st, c, t->a->audit_key, t->now, &e, NULL);
done:
	free(w.details.p);
	return rc;
}

static int
open_tx(struct store *st, struct store_conn *c, void *arg)
{
	(void)st;
	return write_tx(arg, c, 1, "rights.request.open");
}

int
request_open(const struct auth *a, const char *actor, struct rights_request *r,
    int verified, int64_t now, char *why, size_t whylen)
{
	struct data_key key;
	struct rq_tx t;
	char id[AUTH_ID_HEX];
	int rc;

	if (!request_kind_valid(r->kind))
		return refuse(why, whylen,
		    "Le champ « kind » vaut access, rectification, erasure, "
		    "restriction, objection ou portability.");
	if (r->subject_account[0] == '\0' && r->text[RQ_IDENTITY][0] == '\0')
		return refuse(why, whylen,
		    "Le champ « identity » est obligatoire quand la demande "
		    "ne vient pas d'un compte (nom et moyen de contact).");
	if (r->received_at == 0)
		r->received_at = now;
	if (r->received_at > now + REQUEST_DAY_MS)
		return refuse(why, whylen,
		    "Le champ « received_at » ne peut pas être dans le "
		    "futur.");
	if (request_key(a, &key) != 0)
		return -1;
	auth_id_new(id);
	memcpy(r->id, id, sizeof(id));
	snprintf(r->opened_by, sizeof(r->opened_by), "%s", actor ? actor : "");
	r->due_at = request_due(r->received_at, 0);
	r->identity_verified_at = verified ? now : 0;
	r->updated_at = now;
	set_state(r, 0);
	memset(&t, 0, sizeof(t));
	t.a = a;
	t.key = &key;
	t.actor = actor;
	t.r = r;
	t.now = now;
	rc = store_tx(a->st, 1, open_tx, &t) == 0 ? 0 : -1;
	sodium_memzero(&key, sizeof(key));
	return rc;
}

int
request_get(const struct auth *a, const char *id, struct rights_request *out)
{
	struct store_rights_request w;
	struct store_conn *c;
	struct data_key key;
	int rc;

	request_init(out);
	if ((c = store_conn(a->st)) == NULL)
		return -1;
	if ((rc = store_rr_get(a->st, c, id, &w)) != 0)
		return rc;
	rc = -1;
	if (request_key(a, &key) == 0) {
		rc = from_row(&key, &w, out);
		sodium_memzero(&key, sizeof(key));
	}
	free(w.details.p);
	return rc;
}

/* Applies t->act to t->r. Returns 0, or 2 when refused (why set). */
static int
apply(struct rq_tx *t, struct store_conn *c, const char **notice)
{
	const struct request_action *act = t->act;
	struct rights_request *r = t->r;
	int rc;

	*notice = NULL;
	if (act->op != RQ_LIFT && closed(r))
		return 2 *
		    refuse(t->why, t->whylen,
			"Cette demande est close : elle ne peut plus "
			"changer.");
	switch (act->op) {
	case RQ_VERIFY:
		if (r->identity_verified_at == 0)
			r->identity_verified_at = t->now;
		break;
	case RQ_EXTEND:
		if (act->months < 1 ||
		    r->extended_months + act->months > REQUEST_EXTENSION_MAX)
			return 2 *
			    refuse(t->why, t->whylen,
				"Le champ « months » dépasse le délai "
				"maximal : la réponse ne peut être "
				"reportée que de deux mois au plus, "
				"soit trois mois en tout après la "
				"réception (art. 12.3 RGPD).");
		if (act->reason == NULL || act->reason[0] == '\0')
			return 2 *
			    refuse(t->why, t->whylen,
				"Le champ « reason » est obligatoire : "
				"les motifs de la prolongation sont "
				"communiqués à la personne.");
		if (t->now > request_due(r->received_at, 0))
			return 2 *
			    refuse(t->why, t->whylen,
				"Le champ « months » arrive trop tard : "
				"la prolongation doit être annoncée à "
				"la personne dans le mois qui suit la "
				"réception (art. 12.3 RGPD).");
		if (set_text(r, RQ_EXTENSION_REASON, act->reason, t->why,
			t->whylen) != 0)
			return 2;
		r->extended_months += act->months;
		r->due_at = request_due(r->received_at, r->extended_months);
		/* New due date: the reminders start again. */
		r->reminded_7_at = r->reminded_1_at = 0;
		*notice = "rights.request.extended";
		break;
	case RQ_ERASE_REGISTRY:
		if (strcmp(r->kind, "erasure") != 0 ||
		    r->subject_account[0] != '\0')
			return 2 *
			    refuse(t->why, t->whylen,
				"Le champ « action » erase_registry ne vaut "
				"que pour une demande d'effacement d'une "
				"personne sans compte.");
		if (r->identity_verified_at == 0)
			return 2 *
			    refuse(t->why, t->whylen,
				"Le champ « neph » ne peut servir qu'après la "
				"vérification de l'identité du demandeur "
				"(action verify).");
		if ((rc = erase_registry(t, c)) != 0)
			return rc;
		if (set_text(r, RQ_OUTCOME,
			act->outcome != NULL && act->outcome[0] != '\0'
			    ? act->outcome
			    : REGISTRY_DONE,
			t->why, t->whylen) != 0)
			return 2;
		r->closed_at = t->now;
		break;
	case RQ_CLOSE:
		if (strcmp(r->kind, "erasure") == 0 && !act->refused &&
		    r->subject_account[0] == '\0')
			return 2 *
			    refuse(t->why, t->whylen,
				"Le champ « action » close ne peut pas "
				"déclarer traitée la demande d'effacement "
				"d'une personne sans compte : effacez son "
				"dossier du registre par son NEPH (action "
				"erase_registry) ; si Créneau ne détient "
				"rien sur elle, close la demande comme "
				"refusée en le lui expliquant.");
		if (r->identity_verified_at == 0)
			return 2 *
			    refuse(t->why, t->whylen,
				"Le champ « outcome » ne peut être "
				"donné qu'après la vérification de "
				"l'identité du demandeur (action "
				"verify).");
		if (act->outcome == NULL || act->outcome[0] == '\0')
			return 2 *
			    refuse(t->why, t->whylen,
				"Le champ « outcome » est obligatoire "
				"pour clore la demande.");
		if (set_text(r, RQ_OUTCOME, act->outcome, t->why, t->whylen) !=
		    0)
			return 2;
		r->closed_at = t->now;
		if (strcmp(r->kind, "restriction") == 0 && !act->refused &&
		    r->subject_account[0] != '\0') {
			rc = store_account_restrict(t->a->st, c,
			    r->subject_account, t->now);
			if (rc < 0)
				return -1;
		}
		*notice = "rights.request.closed";
		break;
	case RQ_LIFT:
		if (strcmp(r->kind, "restriction") != 0 || !closed(r) ||
		    strcmp(r->state, "done") != 0 ||
		    r->subject_account[0] == '\0')
			return 2 *
			    refuse(t->why, t->whylen,
				"Le champ « action » lift ne vaut que "
				"pour une demande de limitation "
				"accordée à un compte.");
		if (store_account_restrict(t->a->st, c, r->subject_account, 0) <
		    0)
			return -1;
		*notice = "rights.request.lifted";
		return 0;
	}
	set_state(r, act->op == RQ_CLOSE && act->refused);
	return 0;
}

static int
update_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct rq_tx *t = arg;
	struct store_rights_request w;
	const char *notice;
	int rc;

	if ((rc = store_rr_get(st, c, t->id, &w)) != 0) {
		t->result = 1;
		return rc;
	}
	if (strcmp(w.org_id, t->org_id) != 0) {
		free(w.details.p);
		t->result = 1;
		return 1;
	}
	rc = from_row(t->key, &w, t->r);
	free(w.details.p);
	if (rc != 0)
		return -1;
	if ((rc = apply(t, c, &notice)) != 0) {
		if (rc == 2)
			t->result = 2;
		return rc < 0 ? -1 : 1;
	}
	t->r->updated_at = t->now;
	if (notice != NULL && notify_subject(t, c, notice) != 0)
		return -1;
	return write_tx(t, c, 0, op_actions[t->act->op]);
}

int
request_update(const struct auth *a, const char *actor, const char *org_id,
    const char *id, struct request_action *act, int64_t now,
    struct rights_request *out, char *why, size_t whylen)
{
	struct rights_request *r;
	struct data_key key;
	struct rq_tx t;
	int rc;

	if ((unsigned)act->op > RQ_ERASE_REGISTRY ||
	    (r = malloc(sizeof(*r))) == NULL)
		return -1;
	if (request_key(a, &key) != 0) {
		free(r);
		return -1;
	}
	memset(&t, 0, sizeof(t));
	t.a = a;
	t.key = &key;
	t.actor = actor;
	t.org_id = org_id;
	t.id = id;
	t.act = act;
	t.r = r;
	t.now = now;
	t.why = why;
	t.whylen = whylen;
	rc = store_tx(a->st, 1, update_tx, &t);
	/* Committed: the keys of the files shredded go now. */
	if (rc == 0 && act->op == RQ_ERASE_REGISTRY &&
	    rights_candidate_keys(a, &t.erased, now) != 0)
		rc = -1;
	if (rc == 0 && out != NULL)
		*out = *r;
	else if (rc != 0)
		rc = t.result != 0 ? t.result : -1;
	sodium_memzero(&key, sizeof(key));
	request_clear(r);
	free(r);
	return rc;
}

struct access_audit {
	const struct auth *a;
	const char *actor, *id, *org_id;
	int64_t now;
	size_t files;
};

static int
access_audit_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct access_audit *x = arg;
	struct audit_entry e;
	char details[64];

	snprintf(details, sizeof(details), "{\"registry_files\":%zu}",
	    x->files);
	memset(&e, 0, sizeof(e));
	e.actor = x->actor;
	e.action = "rights.request.registry_access";
	e.target_type = "rights_request";
	e.target_ids = x->id;
	e.org = x->org_id;
	e.outcome = AUDIT_SUCCESS;
	e.details = details;
	return audit_append(st, c, x->a->audit_key, x->now, &e, NULL);
}

int
request_registry_export(const struct auth *a, const struct datamap *m,
    const char *actor, const char *org_id, const char *id,
    const char *neph_index, int64_t now, json_t **out, char *why, size_t whylen)
{
	int64_t ids[RIGHTS_CANDIDATES_MAX];
	struct access_audit x;
	struct rights_request *r;
	size_t n = 0;
	int rc;

	*out = NULL;
	if ((r = malloc(sizeof(*r))) == NULL)
		return -1;
	if ((rc = request_get(a, id, r)) != 0 ||
	    strcmp(r->org_id, org_id) != 0) {
		rc = rc < 0 ? -1 : 1;
		goto done;
	}
	if (closed(r) || r->subject_account[0] != '\0' ||
	    r->identity_verified_at == 0) {
		rc = 2 *
		    refuse(why, whylen,
			r->subject_account[0] != '\0'
			    ? "Le champ « neph » ne sert qu'aux demandes "
			      "d'une personne sans compte : celle-ci "
			      "télécharge ses données depuis son espace."
			    : closed(r)
			    ? "Cette demande est close : elle ne peut plus "
			      "changer."
			    : "Le champ « neph » ne peut servir qu'après la "
			      "vérification de l'identité du demandeur "
			      "(action verify).");
		goto done;
	}
	if (store_conn(a->st) == NULL ||
	    store_br_candidates_of_neph(a->st, store_conn(a->st), neph_index,
		ids, RIGHTS_CANDIDATES_MAX, &n) != 0) {
		rc = -1;
		goto done;
	}
	if (n == 0 ||
	    (rc = rights_registry_export(a, m, ids, n, now, out)) == 1) {
		rc = 3;
		goto done;
	}
	if (rc != 0)
		goto done;
	memset(&x, 0, sizeof(x));
	x.a = a;
	x.actor = actor;
	x.id = r->id;
	x.org_id = r->org_id;
	x.now = now;
	x.files = n;
	if (store_tx(a->st, 1, access_audit_tx, &x) != 0) {
		json_decref(*out);
		*out = NULL;
		rc = -1;
	}
done:
	request_clear(r);
	free(r);
	return rc;
}

struct list_ctx {
	const struct data_key *key;
	request_fn fn;
	void *arg;
	struct rights_request r;
};

static int
list_one(void *arg, const struct store_rights_request *w)
{
	struct list_ctx *x = arg;
	int rc;

	if (from_row(x->key, w, &x->r) != 0)
		return 1;
	rc = x->fn(x->arg, &x->r);
	request_clear(&x->r);
	return rc;
}

int
request_list(const struct auth *a, const char *org_id,
    const char *subject_account, request_fn fn, void *arg)
{
	struct list_ctx *x;
	struct store_conn *c;
	struct data_key key;
	int rc = -1;

	if ((c = store_conn(a->st)) == NULL ||
	    (x = calloc(1, sizeof(*x))) == NULL)
		return -1;
	if (request_key(a, &key) == 0) {
		x->key = &key;
		x->fn = fn;
		x->arg = arg;
		rc = subject_account != NULL
		    ? store_rr_list_subject(a->st, c, subject_account, list_one,
			  x)
		    : store_rr_list(a->st, c, org_id, list_one, x);
		sodium_memzero(&key, sizeof(key));
	}
	request_clear(&x->r);
	free(x);
	return rc;
}

/* --- reminders --- */

#define MAX_DUE_BATCH 256 /* reminders handled per run; the rest next day */

struct due_ref {
	char id[STORE_ID_MAX];
	char org_id[STORE_ID_MAX];
	int64_t due_at, reminded_7_at, reminded_1_at;
};

struct due_list {
	struct due_ref *refs;
	size_t n;
};

static int
collect_due(void *arg, const struct store_rights_request *w)
{
	struct due_list *l = arg;
	struct due_ref *d;

	if (l->n == MAX_DUE_BATCH)
		return 0;
	d = &l->refs[l->n++];
	memcpy(d->id, w->id, sizeof(d->id));
	memcpy(d->org_id, w->org_id, sizeof(d->org_id));
	d->due_at = w->due_at;
	d->reminded_7_at = w->reminded_7_at;
	d->reminded_1_at = w->reminded_1_at;
	return 0;
}

struct remind_tx {
	const struct auth *a;
	const struct due_ref *d;
	struct store_conn *c;
	int64_t now;
	const char *params;
	long sent;
};

static int
notify_dpo(void *arg, const char *account_id)
{
	struct remind_tx *t = arg;
	struct notice n = { "rights.request.due", t->params };

	if (notify_account(t->a, t->c, account_id, t->d->org_id, &n, t->now) !=
	    0)
		return -1;
	t->sent++;
	return 0;
}

/* Sends the reminder of one request if it is still due, and marks it. */
static int
remind_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct remind_tx *t = arg;
	struct store_rights_request w;
	char params[160];
	int64_t days;
	int rc = -1, last;

	if ((rc = store_rr_get(st, c, t->d->id, &w)) != 0)
		return rc < 0 ? -1 : 0;
	rc = -1;
	last = w.due_at - REQUEST_DAY_MS <= t->now && w.reminded_1_at == 0;
	if (w.closed_at != 0 ||
	    (!last &&
		(w.reminded_7_at != 0 ||
		    w.due_at - 7 * REQUEST_DAY_MS > t->now))) {
		rc = 0; /* closed or reminded meanwhile */
		goto done;
	}
	/* One reminder per run: the last one covers the first if both are
	 * due (a request registered late). */
	if (last)
		w.reminded_1_at = t->now;
	if (w.reminded_7_at == 0)
		w.reminded_7_at = t->now;
	days = (w.due_at - t->now + REQUEST_DAY_MS - 1) / REQUEST_DAY_MS;
	snprintf(params, sizeof(params),
	    "{\"request_id\":\"%s\",\"due_at\":%lld,\"days_left\":%lld}", w.id,
	    (long long)w.due_at, (long long)(days > 0 ? days : 0));
	t->c = c;
	t->params = params;
	if (store_org_role_accounts(st, c, w.org_id, "dpo", notify_dpo, t) ==
		0 &&
	    store_rr_update(st, c, &w) == 0)
		rc = 0;
done:
	free(w.details.p);
	return rc;
}

long
request_reminders(const struct auth *a, int64_t now)
{
	struct store_conn *c = store_conn(a->st);
	struct due_list l = { NULL, 0 };
	struct remind_tx t;
	long sent = 0;
	size_t i;

	if (c == NULL ||
	    (l.refs = calloc(MAX_DUE_BATCH, sizeof(*l.refs))) == NULL)
		return -1;
	if (store_rr_reminders_due(a->st, c, now, 7 * REQUEST_DAY_MS,
		REQUEST_DAY_MS, collect_due, &l) != 0) {
		free(l.refs);
		return -1;
	}
	for (i = 0; i < l.n; i++) {
		memset(&t, 0, sizeof(t));
		t.a = a;
		t.d = &l.refs[i];
		t.now = now;
		if (store_tx(a->st, 1, remind_tx, &t) != 0) {
			free(l.refs);
			return -1;
		}
		sent += t.sent;
	}
	free(l.refs);
	return sent;
}

struct purge_tx {
	int64_t cutoff;
	long n;
};

static int
purge_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct purge_tx *t = arg;

	t->n = store_rr_purge(st, c, t->cutoff);
	return t->n < 0 ? -1 : 0;
}

long
request_purge(const struct auth *a, int64_t cutoff)
{
	struct purge_tx t = { cutoff, 0 };

	return store_tx(a->st, 1, purge_tx, &t) == 0 ? t.n : -1;
}
