/* breach.c - the breach register: facts, the 72-hour clock, the texts. */
#include "gdpr/breach.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "audit/audit.h"
#include "booking/caltime.h"
#include "core/clock.h"
#include "crypto/field.h"
#include "store/driver.h"

static const char *const text_names[BT_COUNT] = {
	[BT_NATURE] = "nature",
	[BT_PEOPLE_CATEGORIES] = "people_categories",
	[BT_RECORD_CATEGORIES] = "record_categories",
	[BT_CONSEQUENCES] = "consequences",
	[BT_MEASURES] = "measures",
	[BT_CONTACT] = "contact",
	[BT_NO_NOTIFY_REASON] = "no_notification_reason",
};

static const char *const state_names[] = {
	[BREACH_PENDING] = "pending",
	[BREACH_OVERDUE] = "overdue",
	[BREACH_NOTIFIED] = "notified",
	[BREACH_NOT_NOTIFIED] = "not_notified",
};

const char *
breach_text_name(enum breach_text t)
{
	return (unsigned)t < BT_COUNT ? text_names[t] : NULL;
}

const char *
breach_state_name(enum breach_state s)
{
	return (unsigned)s <= BREACH_NOT_NOTIFIED ? state_names[s] : NULL;
}

void
breach_init(struct breach *b)
{
	memset(b, 0, sizeof(*b));
}

void
breach_clear(struct breach *b)
{
	sodium_memzero(b, sizeof(*b));
}

void
breach_change_init(struct breach_change *ch)
{
	memset(ch, 0, sizeof(*ch));
	ch->high_risk = -1;
	ch->people_count = -1;
	ch->records_count = -1;
}

static int
fail(char *why, size_t whylen, const char *field, const char *msg)
{
	snprintf(why, whylen, "Le champ « %s » %s", field, msg);
	return -1;
}

int
breach_check(const struct breach *b, int64_t now_ms, char *why, size_t whylen)
{
	int i;

	for (i = 0; i < BT_NO_NOTIFY_REASON; i++)
		if (b->text[i][0] == '\0')
			return fail(why, whylen, text_names[i],
			    "est obligatoire (art. 33.3 RGPD).");
	if (b->discovered_at <= 0)
		return fail(why, whylen, "discovered_at",
		    "est obligatoire (date de la constatation).");
	if (b->discovered_at > now_ms + BREACH_FUTURE_SLACK_MS)
		return fail(why, whylen, "discovered_at",
		    "ne peut pas être dans le futur.");
	if (b->people_count < 0 || b->people_count > BREACH_COUNT_MAX)
		return fail(why, whylen, "people_count",
		    "doit être un nombre positif ou nul.");
	if (b->records_count < 0 || b->records_count > BREACH_COUNT_MAX)
		return fail(why, whylen, "records_count",
		    "doit être un nombre positif ou nul.");
	if (b->high_risk != 0 && b->high_risk != 1)
		return fail(why, whylen, "risk", "vaut low ou high.");
	if (b->text[BT_NO_NOTIFY_REASON][0] != '\0') {
		if (b->high_risk)
			return fail(why, whylen, "no_notification_reason",
			    "n'est admis que si le risque est faible (art. "
			    "33.1 RGPD).");
		if (b->notified_at != 0)
			return fail(why, whylen, "no_notification_reason",
			    "contredit la notification déjà faite à la CNIL.");
	}
	return 0;
}

void
breach_clock(const struct breach *b, int64_t now_ms, struct breach_clock *out)
{
	memset(out, 0, sizeof(*out));
	out->deadline_ms = b->discovered_at + BREACH_DEADLINE_MS;
	out->remaining_ms = out->deadline_ms - now_ms;
	out->overdue = out->remaining_ms < 0;
	if (!out->overdue)
		out->hours_left = out->remaining_ms / BREACH_HOUR_MS;
	else
		out->hours_overdue =
		    (-out->remaining_ms + BREACH_HOUR_MS - 1) / BREACH_HOUR_MS;
	out->notified_late =
	    b->notified_at != 0 && b->notified_at > out->deadline_ms;
	if (b->notified_at != 0)
		out->state = BREACH_NOTIFIED;
	else if (b->text[BT_NO_NOTIFY_REASON][0] != '\0')
		out->state = BREACH_NOT_NOTIFIED;
	else
		out->state = out->overdue ? BREACH_OVERDUE : BREACH_PENDING;
}

/* Appends name to the comma list changed. */
static void
note(char *changed, size_t len, const char *name)
{
	size_t n = strlen(changed);

	snprintf(changed + n, len - n, "%s%s", n ? "," : "", name);
}

int
breach_apply(struct breach *b, const struct breach_change *ch, int64_t now_ms,
    char *changed, size_t changedlen, char *why, size_t whylen)
{
	size_t n;
	int i;

	changed[0] = '\0';
	for (i = 0; i < BT_COUNT; i++) {
		if (ch->text[i] == NULL)
			continue;
		if ((n = strlen(ch->text[i])) > BREACH_TEXT_MAX)
			return fail(why, whylen, text_names[i],
			    "est trop long.");
		memcpy(b->text[i], ch->text[i], n + 1);
		note(changed, changedlen, text_names[i]);
	}
	if (ch->discovered_at != 0) {
		b->discovered_at = ch->discovered_at;
		note(changed, changedlen, "discovered_at");
	}
	if (ch->high_risk >= 0) {
		b->high_risk = ch->high_risk;
		note(changed, changedlen, "risk");
	}
	if (ch->people_count >= 0) {
		b->people_count = ch->people_count;
		note(changed, changedlen, "people_count");
	}
	if (ch->records_count >= 0) {
		b->records_count = ch->records_count;
		note(changed, changedlen, "records_count");
	}
	if (ch->notified && b->notified_at == 0) {
		b->notified_at = now_ms;
		note(changed, changedlen, "cnil_notified");
	}
	if (ch->informed && b->people_informed_at == 0) {
		b->people_informed_at = now_ms;
		note(changed, changedlen, "people_informed");
	}
	return 0;
}

/* A date as "JJ/MM/AAAA à HH:MM (heure de Paris)" into out (48 bytes):
 * the time the pages show and the DPO lives in. */
static void
date_fr(int64_t ms, char out[48])
{
	char iso[32];

	if (clock_format_utc(ms + caltime_paris_offset_ms(ms), iso,
		sizeof(iso)) != 0 ||
	    strlen(iso) < 16) {
		snprintf(out, 48, "(date inconnue)");
		return;
	}
	snprintf(out, 48, "%.2s/%.2s/%.4s à %.5s (heure de Paris)", iso + 8,
	    iso + 5, iso, iso + 11);
}

/* Returns 1 if an Art. 33(3) item of b is empty. */
static int
incomplete(const struct breach *b)
{
	int i;

	for (i = 0; i < BT_NO_NOTIFY_REASON; i++)
		if (b->text[i][0] == '\0')
			return 1;
	return 0;
}

int
breach_cnil_text(const struct breach *b, struct buf *out)
{
	char found[48], deadline[48], at[48];
	int rc;

	if (incomplete(b))
		return -1;
	date_fr(b->discovered_at, found);
	date_fr(b->discovered_at + BREACH_DEADLINE_MS, deadline);
	rc = buf_printf(out,
	    "NOTIFICATION D'UNE VIOLATION DE DONNÉES PERSONNELLES À LA CNIL\n"
	    "(article 33 du règlement général sur la protection des "
	    "données)\n\n"
	    "Référence de l'incident : %s\n"
	    "Date de la constatation : %s\n"
	    "Échéance de la notification (72 heures) : %s\n"
	    "Niveau de risque pour les personnes : %s\n\n"
	    "1. Nature de la violation\n%s\n\n"
	    "Catégories de personnes concernées : %s\n"
	    "Nombre approximatif de personnes concernées : %lld\n"
	    "Catégories d'enregistrements concernés : %s\n"
	    "Nombre approximatif d'enregistrements concernés : %lld\n\n"
	    "2. Délégué à la protection des données ou autre point de "
	    "contact\n%s\n\n"
	    "3. Conséquences probables de la violation\n%s\n\n"
	    "4. Mesures prises ou proposées pour remédier à la violation, y "
	    "compris pour en atténuer les éventuelles conséquences "
	    "négatives\n%s\n",
	    b->id, found, deadline, b->high_risk ? "élevé" : "faible",
	    b->text[BT_NATURE], b->text[BT_PEOPLE_CATEGORIES],
	    (long long)b->people_count, b->text[BT_RECORD_CATEGORIES],
	    (long long)b->records_count, b->text[BT_CONTACT],
	    b->text[BT_CONSEQUENCES], b->text[BT_MEASURES]);
	if (rc == 0 && b->notified_at != 0 &&
	    b->notified_at > b->discovered_at + BREACH_DEADLINE_MS) {
		date_fr(b->notified_at, at);
		rc = buf_printf(out,
		    "\nNotification faite le %s, au-delà du délai de 72 "
		    "heures : les motifs du retard sont joints (art. 33.1).\n",
		    at);
	}
	return rc == 0 ? 0 : -1;
}

int
breach_notice_text(const struct breach *b, struct buf *out, char *why,
    size_t whylen)
{
	char found[48];

	if (!b->high_risk) {
		snprintf(why, whylen,
		    "Le risque est faible : l'information des personnes "
		    "concernées n'est pas requise (art. 34.1 RGPD).");
		return 1;
	}
	if (incomplete(b))
		return -1;
	date_fr(b->discovered_at, found);
	return buf_printf(out,
		   "Information sur un incident touchant vos données "
		   "personnelles\n\n"
		   "Madame, Monsieur,\n\n"
		   "Le %s, nous avons constaté un incident de sécurité qui "
		   "concerne des données personnelles vous concernant. Nous "
		   "vous en informons, comme la loi nous y oblige (article 34 "
		   "du RGPD), parce qu'il peut avoir des conséquences "
		   "importantes pour vous.\n\n"
		   "Ce qui s'est passé\n%s\n"
		   "Données touchées : %s.\n\n"
		   "Ce que cela peut entraîner pour vous\n%s\n\n"
		   "Ce que nous avons fait\n%s\n\n"
		   "Ce que vous pouvez faire\n"
		   "Restez vigilant face aux messages, appels ou courriers "
		   "inhabituels qui citeraient ces informations ; ne "
		   "communiquez jamais votre mot de passe ; changez votre mot "
		   "de passe s'il a pu être exposé, ainsi que sur les autres "
		   "sites où vous utilisez le même. Vous pouvez exercer vos "
		   "droits sur vos données et adresser une réclamation à la "
		   "CNIL (www.cnil.fr).\n\n"
		   "Pour toute question\n"
		   "Notre délégué à la protection des données : %s\n",
		   found, b->text[BT_NATURE], b->text[BT_RECORD_CATEGORIES],
		   b->text[BT_CONSEQUENCES], b->text[BT_MEASURES],
		   b->text[BT_CONTACT]) == 0
	    ? 0
	    : -1;
}

/* --- storage --- */

/* Seals the texts of b as one JSON object into *ct. Returns 0 or -1. */
static int
seal_texts(const struct data_key *key, const struct breach *b,
    unsigned char **ct, size_t *ctlen)
{
	json_t *o = json_object();
	char *s = NULL;
	int i, rc = -1;

	if (o == NULL)
		return -1;
	for (i = 0; i < BT_COUNT; i++)
		if (json_object_set_new(o, text_names[i],
			json_string(b->text[i])) != 0)
			goto done;
	if ((s = json_dumps(o, JSON_COMPACT)) == NULL)
		goto done;
	rc = field_seal(key, 1, "breaches", "details", b->id, s, strlen(s), ct,
	    ctlen);
done:
	if (s != NULL) {
		sodium_memzero(s, strlen(s));
		free(s);
	}
	json_decref(o);
	return rc;
}

/* Fills b from the row r, opening its texts with key. Returns 0 or -1. */
static int
from_row(const struct data_key *key, const struct store_breach *r,
    struct breach *b)
{
	json_t *o, *v;
	char *pt = NULL;
	size_t ptlen = 0, n;
	int i, rc = -1;

	breach_init(b);
	snprintf(b->id, sizeof(b->id), "%s", r->id);
	snprintf(b->org_id, sizeof(b->org_id), "%s", r->org_id);
	snprintf(b->opened_by, sizeof(b->opened_by), "%s", r->opened_by);
	b->created_at = r->created_at;
	b->updated_at = r->updated_at;
	b->discovered_at = r->discovered_at;
	b->high_risk = strcmp(r->risk, "high") == 0;
	b->people_count = r->people_count;
	b->records_count = r->records_count;
	b->notified_at = r->notified_at;
	b->people_informed_at = r->people_informed_at;
	if (field_open(key, "breaches", "details", r->id, r->details.p,
		r->details.len, &pt, &ptlen) != 0)
		return -1;
	if ((o = json_loadb(pt, ptlen, 0, NULL)) == NULL)
		goto done;
	for (i = 0; i < BT_COUNT; i++) {
		v = json_object_get(o, text_names[i]);
		if (v == NULL || !json_is_string(v) ||
		    (n = json_string_length(v)) > BREACH_TEXT_MAX)
			goto bad;
		memcpy(b->text[i], json_string_value(v), n + 1);
	}
	rc = 0;
bad:
	json_decref(o);
done:
	field_free(pt, ptlen);
	return rc;
}

/* Fills the store row of b; details left for the caller. */
static void
to_row(const struct breach *b, struct store_breach *r)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->id, sizeof(r->id), "%s", b->id);
	snprintf(r->org_id, sizeof(r->org_id), "%s", b->org_id);
	snprintf(r->opened_by, sizeof(r->opened_by), "%s", b->opened_by);
	r->created_at = b->created_at;
	r->updated_at = b->updated_at;
	r->discovered_at = b->discovered_at;
	snprintf(r->risk, sizeof(r->risk), "%s", b->high_risk ? "high" : "low");
	r->people_count = b->people_count;
	r->records_count = b->records_count;
	r->notified_at = b->notified_at;
	r->people_informed_at = b->people_informed_at;
}

struct breach_tx {
	const struct auth *a;
	const struct data_key *key;
	const char *actor, *org_id, *id;
	const struct breach_change *ch;
	struct breach *b;
	int64_t now;
	char *why;
	size_t whylen;
	int result; /* 1 not found, 2 refused */
};

/* Seals b, writes it (insert or update) and audits action. */
static int
write_tx(struct breach_tx *t, struct store_conn *c, int insert,
    const char *action, const char *changed)
{
	struct store_breach r;
	struct audit_entry e;
	json_t *d;
	char *details = NULL;
	int rc = -1;

	to_row(t->b, &r);
	if (seal_texts(t->key, t->b, &r.details.p, &r.details.len) != 0)
		return -1;
	if ((insert ? store_breach_insert(t->a->st, c, &r)
		    : store_breach_update(t->a->st, c, &r)) != 0)
		goto done;
	d = json_pack("{s:s, s:s, s:b}", "changed", changed, "risk", r.risk,
	    "notified", t->b->notified_at != 0);
	if (d == NULL || (details = json_dumps(d, JSON_COMPACT)) == NULL) {
		json_decref(d);
		goto done;
	}
	json_decref(d);
	memset(&e, 0, sizeof(e));
	e.actor = t->actor;
	e.action = action;
	e.target_type = "breach";
	e.target_ids = t->b->id;
	e.org = t->b->org_id;
	e.outcome = AUDIT_SUCCESS;
	e.details = details;
	rc = audit_append(t->a->st, c, t->a->audit_key, t->now, &e, NULL);
done:
	free(details);
	free(r.details.p);
	return rc;
}

static int
open_tx(struct store *st, struct store_conn *c, void *arg)
{
	(void)st;
	return write_tx(arg, c, 1, "breach.open", "opened");
}

/* Takes the system:breach key. Returns 0 or -1. */
static int
breach_key(const struct auth *a, struct data_key *key)
{
	return keystore_get(a->ks, BREACH_KEY_OWNER, 1, key) == 0 ? 0 : -1;
}

int
breach_open(const struct auth *a, const char *actor, struct breach *b,
    int64_t now_ms, char *why, size_t whylen)
{
	struct breach_tx t;
	struct data_key key;
	char id[AUTH_ID_HEX];
	int rc;

	if (breach_check(b, now_ms, why, whylen) != 0)
		return 1;
	if (breach_key(a, &key) != 0)
		return -1;
	auth_id_new(id);
	memcpy(b->id, id, sizeof(id));
	snprintf(b->opened_by, sizeof(b->opened_by), "%s",
	    actor != NULL ? actor : "");
	b->created_at = b->updated_at = now_ms;
	memset(&t, 0, sizeof(t));
	t.a = a;
	t.key = &key;
	t.actor = actor;
	t.b = b;
	t.now = now_ms;
	rc = store_tx(a->st, 1, open_tx, &t) == 0 ? 0 : -1;
	sodium_memzero(&key, sizeof(key));
	return rc;
}

int
breach_get(const struct auth *a, const char *id, struct breach *out)
{
	struct store_breach r;
	struct store_conn *c;
	struct data_key key;
	int rc;

	breach_init(out);
	memset(&r, 0, sizeof(r));
	if ((c = store_conn(a->st)) == NULL)
		return -1;
	if ((rc = store_breach_get(a->st, c, id, &r)) != 0)
		return rc;
	rc = -1;
	if (breach_key(a, &key) == 0) {
		rc = from_row(&key, &r, out);
		sodium_memzero(&key, sizeof(key));
	}
	free(r.details.p);
	return rc;
}

static int
update_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct breach_tx *t = arg;
	struct store_breach r;
	char changed[256];
	int rc;

	memset(&r, 0, sizeof(r));
	if ((rc = store_breach_get(st, c, t->id, &r)) != 0) {
		t->result = 1;
		return rc;
	}
	if (strcmp(r.org_id, t->org_id) != 0) {
		free(r.details.p);
		t->result = 1;
		return 1;
	}
	rc = from_row(t->key, &r, t->b);
	free(r.details.p);
	if (rc != 0)
		return -1;
	if (breach_apply(t->b, t->ch, t->now, changed, sizeof(changed), t->why,
		t->whylen) != 0 ||
	    breach_check(t->b, t->now, t->why, t->whylen) != 0) {
		t->result = 2;
		return 1;
	}
	t->b->updated_at = t->now;
	return write_tx(t, c, 0, "breach.update", changed);
}

int
breach_update(const struct auth *a, const char *actor, const char *org_id,
    const char *id, const struct breach_change *ch, int64_t now_ms,
    struct breach *out, char *why, size_t whylen)
{
	struct breach_tx t;
	struct breach *b;
	struct data_key key;
	int rc;

	if ((b = malloc(sizeof(*b))) == NULL)
		return -1;
	if (breach_key(a, &key) != 0) {
		free(b);
		return -1;
	}
	memset(&t, 0, sizeof(t));
	t.a = a;
	t.key = &key;
	t.actor = actor;
	t.org_id = org_id;
	t.id = id;
	t.ch = ch;
	t.b = b;
	t.now = now_ms;
	t.why = why;
	t.whylen = whylen;
	rc = store_tx(a->st, 1, update_tx, &t);
	if (rc == 0 && out != NULL)
		*out = *b;
	else if (rc != 0)
		rc = t.result != 0 ? t.result : -1;
	sodium_memzero(&key, sizeof(key));
	breach_clear(b);
	free(b);
	return rc;
}

struct list_ctx {
	const struct data_key *key;
	breach_fn fn;
	void *arg;
	struct breach b;
};

static int
list_one(void *arg, const struct store_breach *r)
{
	struct list_ctx *x = arg;
	int rc;

	if (from_row(x->key, r, &x->b) != 0)
		return 1;
	rc = x->fn(x->arg, &x->b);
	breach_clear(&x->b);
	return rc;
}

int
breach_list(const struct auth *a, const char *org_id, breach_fn fn, void *arg)
{
	struct list_ctx *x;
	struct store_conn *c;
	struct data_key key;
	int rc = -1;

	if ((c = store_conn(a->st)) == NULL ||
	    (x = calloc(1, sizeof(*x))) == NULL)
		return -1;
	if (breach_key(a, &key) == 0) {
		x->key = &key;
		x->fn = fn;
		x->arg = arg;
		rc = store_breach_list(a->st, c, org_id, list_one, x);
		sodium_memzero(&key, sizeof(key));
	}
	breach_clear(&x->b);
	free(x);
	return rc;
}
