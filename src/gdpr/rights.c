/*
 * rights.c - access, portability and erasure of an account (PRIVACY.md,
 * section 3).
 */
#include "gdpr/rights.h"
#include "gdpr/appt_privacy.h"
#include "gdpr/rights_agent.h"
#include "gdpr/rights_booking.h"
#include "gdpr/rights_dossier.h"
#include "service/dossier.h"
#include "service/pause.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "auth/account.h"
#include "auth/session.h"
#include "auth/throttle.h"
#include "core/log.h"
#include "service/supervision.h"
#include "gdpr/request.h"
#include "store/driver.h"
#include "store/privacy.h"
#include "store/rights.h"
#include "notify/notify.h"
#include "notify/outbox.h"

/* The data map's description of one category: label, purposes and
 * recipients of the activities handling it, retention. */
static json_t *
category_describe(const struct datamap *m, const char *id)
{
	const struct datamap_category *cat = NULL;
	const struct datamap_retention *r = NULL;
	const struct datamap_activity *act;
	json_t *o, *purposes, *recipients;
	char text[512] = "";
	size_t i, k;

	if (m != NULL)
		cat = datamap_category_find(m, id);
	if (cat != NULL && cat->retention != NULL)
		r = datamap_retention_find(m, cat->retention);
	if (r != NULL)
		(void)datamap_retention_describe(r, text, sizeof(text));
	purposes = json_array();
	recipients = json_array();
	for (i = 0; m != NULL && i < m->nactivities; i++) {
		act = &m->activities[i];
		for (k = 0; k < act->ncategories; k++)
			if (strcmp(act->categories[k], id) == 0)
				break;
		if (k == act->ncategories)
			continue;
		json_array_append_new(purposes,
		    json_pack("{s:s?, s:s?, s:s?}", "activity",
			act->field[DATAMAP_NAME], "purposes",
			act->field[DATAMAP_PURPOSES], "legal_basis",
			act->field[DATAMAP_LEGAL_BASIS]));
		if (act->field[DATAMAP_RECIPIENTS] != NULL)
			json_array_append_new(recipients,
			    json_string(act->field[DATAMAP_RECIPIENTS]));
	}
	o = json_pack("{s:s, s:s, s:o, s:o, s:s, s:s?}", "id", id, "label",
	    cat != NULL && cat->label != NULL ? cat->label : id, "purposes",
	    purposes, "recipients", recipients, "retention",
	    text[0] != '\0' ? text : "non déclarée", "retention_rule",
	    r != NULL ? r->label : NULL);
	return o;
}

void
rights_item(struct rights_exp *x, const char *cat, const char *label,
    const char *source, json_t *value)
{
	json_t *d, *it;

	if ((d = json_object_get(x->cats, cat)) == NULL) {
		if ((d = category_describe(x->m, cat)) == NULL) {
			json_decref(value);
			x->failed = 1;
			return;
		}
		json_object_set_new(x->cats, cat, d);
		json_array_append(x->cat_list, d);
	}
	it = json_pack("{s:s, s:o, s:s, s:s, s:O, s:O, s:O, s:O}", "label",
	    label, "value", value != NULL ? value : json_null(), "source",
	    source, "category", cat, "category_label",
	    json_object_get(d, "label"), "purposes",
	    json_object_get(d, "purposes"), "recipients",
	    json_object_get(d, "recipients"), "retention",
	    json_object_get(d, "retention"));
	if (it == NULL || json_array_append_new(x->items, it) != 0)
		x->failed = 1;
}

static int
add_session(void *arg, const struct session_view *v)
{
	struct rights_exp *x = arg;

	rights_item(x, "connection_data", "Session ouverte", RIGHTS_SOURCE_AUTO,
	    json_pack("{s:I, s:I, s:I, s:b, s:s?}", "created_at",
		(json_int_t)v->created_at, "last_seen_at",
		(json_int_t)v->last_seen_at, "expires_at",
		(json_int_t)v->expires_at, "public_computer",
		v->public_computer, "user_agent", v->user_agent));
	return x->failed;
}

/* Opens a sealed journal column of entry id; NULL when absent or
 * unreadable. */
static char *
journal_open(struct rights_exp *x, const char *column, const char *id,
    const struct store_blob *b)
{
	char *pt = NULL;
	size_t n;

	if (b->p == NULL || !x->have ||
	    field_open(&x->k, "login_journal", column, id, b->p, b->len, &pt,
		&n) != 0)
		return NULL;
	return pt;
}

static int
add_journal(void *arg, const struct store_journal *j)
{
	struct rights_exp *x = arg;
	char id[24], *ip = NULL, *ua = NULL;

	snprintf(id, sizeof(id), "%" PRId64, j->id);
	/* Only entries sealed under the person's own key are opened. */
	if (strncmp(j->key_owner, "subject:", 8) == 0 &&
	    strcmp(j->key_owner + 8, x->id) == 0) {
		ip = journal_open(x, "ip", id, &j->ip);
		ua = journal_open(x, "user_agent", id, &j->user_agent);
	}
	rights_item(x, "connection_data", "Entrée du journal des connexions",
	    RIGHTS_SOURCE_AUTO,
	    json_pack("{s:I, s:s, s:s?, s:s?}", "at", (json_int_t)j->at,
		"event", j->event, "ip", ip, "user_agent", ua));
	field_free(ip, ip ? strlen(ip) : 0);
	field_free(ua, ua ? strlen(ua) : 0);
	return x->failed;
}

struct audit_walk {
	struct rights_exp *x;
	int as_target; /* second pass: skip what the first one listed */
};

static int
add_audit(void *arg, const struct audit_row *row)
{
	struct audit_walk *w = arg;
	struct rights_exp *x = w->x;
	int actor = row->actor != NULL && strcmp(row->actor, x->id) == 0;
	char *ip = NULL;
	size_t n = 0;

	if (w->as_target && actor)
		return 0;
	/* The address is the person's only when they acted. Details are
	 * not given: they may describe other people. */
	if (actor &&
	    audit_open_sealed(x->a->audit_key, row, "ip", &ip, &n) != 0)
		ip = NULL;
	rights_item(x, "audit_reference", "Opération journalisée",
	    RIGHTS_SOURCE_AUTO,
	    json_pack("{s:I, s:I, s:s, s:s, s:s?, s:s?, s:s?}", "seq",
		(json_int_t)row->seq, "at", (json_int_t)row->at, "action",
		row->action ? row->action : "", "role",
		actor ? "auteur" : "objet", "target_type", row->target_type,
		"outcome", row->outcome, "ip", ip));
	field_free(ip, n);
	return x->failed;
}

static int
add_consent(void *arg, const struct store_consent *r)
{
	struct rights_exp *x = arg;

	rights_item(x, "consent_record", "Consentement", RIGHTS_SOURCE_YOU,
	    json_pack("{s:s, s:s, s:I, s:s, s:o, s:o}", "purpose", r->purpose,
		"policy_version", r->policy_version, "given_at",
		(json_int_t)r->given_at, "given_via", r->given_via,
		"withdrawn_at",
		r->withdrawn_at ? json_integer(r->withdrawn_at) : json_null(),
		"withdrawn_via",
		r->withdrawn_via[0] ? json_string(r->withdrawn_via)
				    : json_null()));
	return x->failed;
}

static int
add_ack(void *arg, const char *version, int64_t at)
{
	struct rights_exp *x = arg;

	rights_item(x, "consent_record",
	    "Prise de connaissance de la politique de confidentialité",
	    RIGHTS_SOURCE_YOU,
	    json_pack("{s:s, s:I}", "policy_version", version,
		"acknowledged_at", (json_int_t)at));
	return x->failed;
}

/* A request the person made to exercise their rights: what they asked,
 * its dates, state and the answer (the texts are the person's own or
 * addressed to them). */
static int
add_request(void *arg, const struct rights_request *r)
{
	struct rights_exp *x = arg;

	rights_item(x, "rights_request", "Demande d'exercice de vos droits",
	    RIGHTS_SOURCE_YOU,
	    json_pack("{s:s, s:s, s:s, s:I, s:o, s:I, s:o, s:i, s:s?, s:s?,"
		      " s:s?}",
		"id", r->id, "kind", r->kind, "state", r->state, "received_at",
		(json_int_t)r->received_at, "identity_verified_at",
		r->identity_verified_at ? json_integer(r->identity_verified_at)
					: json_null(),
		"due_at", (json_int_t)r->due_at, "closed_at",
		r->closed_at ? json_integer(r->closed_at) : json_null(),
		"extended_months", r->extended_months, "message",
		r->text[RQ_MESSAGE][0] ? r->text[RQ_MESSAGE] : NULL,
		"extension_reason",
		r->text[RQ_EXTENSION_REASON][0] ? r->text[RQ_EXTENSION_REASON]
						: NULL,
		"outcome",
		r->text[RQ_OUTCOME][0] ? r->text[RQ_OUTCOME] : NULL));
	return x->failed;
}

/* The restriction of the account (Art. 18), its consent ledger, its
 * acknowledgements of the policy and its rights requests. */
static int
export_privacy(struct rights_exp *x, struct store_conn *c)
{
	int64_t restricted = 0;

	if (store_account_restricted(x->a->st, c, x->id, &restricted) < 0)
		return -1;
	rights_item(x, "account_ref", "Limitation du traitement (art. 18)",
	    RIGHTS_SOURCE_ORG,
	    json_pack("{s:b, s:o}", "restricted", restricted != 0,
		"restricted_at",
		restricted ? json_integer(restricted) : json_null()));
	if (store_consent_list(x->a->st, c, x->id, add_consent, x) != 0 ||
	    store_policy_ack_list(x->a->st, c, x->id, add_ack, x) != 0 ||
	    request_list(x->a, NULL, x->id, add_request, x) != 0)
		return -1;
	return x->failed ? -1 : 0;
}

/* A slot change request the person wrote as a regional supervisor, with
 * its note opened with their key. */
static int
add_slot_request(void *arg, const struct store_slot_request_listed *l)
{
	struct rights_exp *x = arg;
	struct store_slot_request r = l->r;

	if (x->have && svc_slot_request_open(x->a, &x->k, &r) < 0) {
		x->failed = 1;
		return 1;
	}
	rights_item(x, "planning_note",
	    "Demande de changement de place (supervision régionale)",
	    RIGHTS_SOURCE_YOU,
	    json_pack("{s:I, s:I, s:s, s:s?, s:s, s:I, s:o}", "request_id",
		(json_int_t)r.id, "exam_id", (json_int_t)r.exam_id, "kind",
		store_slot_request_kind_name(r.kind), "reason",
		r.reason[0] ? r.reason : NULL, "state",
		store_slot_request_state_name(r.state), "requested_at",
		(json_int_t)r.requested_at, "decided_at",
		r.decided_at ? json_integer(r.decided_at) : json_null()));
	sodium_memzero(r.reason, sizeof(r.reason));
	return x->failed;
}

static int
export_slot_requests(struct rights_exp *x, struct store_conn *c)
{
	struct store_slot_request_query q;

	memset(&q, 0, sizeof(q));
	q.requested_by = x->id;
	q.limit = RIGHTS_SLOT_REQUESTS_MAX;
	return store_slot_requests_list(x->a->st, c, &q, add_slot_request, x) !=
		    0 ||
		x->failed
	    ? -1
	    : 0;
}

/* The account row and what hangs on it. Returns 0, 1 if no account, -1. */
static int
export_account(struct rights_exp *x, struct store_conn *c)
{
	struct store *st = x->a->st;
	struct account_info info;
	struct store_role roles[ACCOUNT_ROLES_MAX];
	struct store_grant *g = NULL;
	struct store_org org;
	json_t *list;
	long n, i;
	int rc;

	if ((rc = account_read(x->a, x->id, &info)) != 0)
		return rc;
	rights_item(x, "account_ref", "Identifiant du compte",
	    RIGHTS_SOURCE_AUTO, json_string(info.id));
	rights_item(x, "contact", "Adresse e-mail", RIGHTS_SOURCE_ORG,
	    info.email ? json_string(info.email) : NULL);
	rights_item(x, "identity", "Nom affiché", RIGHTS_SOURCE_ORG,
	    info.display_name ? json_string(info.display_name) : NULL);
	memset(&org, 0, sizeof(org));
	if (store_org_get(st, c, info.org_id, &org) < 0)
		x->failed = 1;
	rights_item(x, "account_ref", "Organisme de rattachement",
	    RIGHTS_SOURCE_ORG,
	    json_pack("{s:s, s:s}", "id", info.org_id, "name", org.name));
	rights_item(x, "account_ref", "État du compte", RIGHTS_SOURCE_ORG,
	    json_pack("{s:s, s:b}", "status",
		info.disabled ? "désactivé" : "actif", "password_temporary",
		info.password_temporary));
	rights_item(x, "account_ref", "Dates du compte", RIGHTS_SOURCE_AUTO,
	    json_pack("{s:I, s:I, s:I}", "created_at",
		(json_int_t)info.created_at, "last_login_at",
		(json_int_t)info.last_login_at, "password_changed_at",
		(json_int_t)info.password_changed_at));
	/* Whether it is on, never the secret itself. */
	rights_item(x, "auth_secret", "Second facteur (application TOTP)",
	    RIGHTS_SOURCE_YOU,
	    json_pack("{s:b}", "totp_enabled", info.totp_enabled));
	account_info_clear(&info);
	if ((n = store_role_list(st, c, x->id, NULL, roles,
		 ACCOUNT_ROLES_MAX)) < 0)
		return -1;
	list = json_array();
	for (i = 0; i < n && i < ACCOUNT_ROLES_MAX; i++)
		json_array_append_new(list,
		    json_pack("{s:s, s:s}", "org_id", roles[i].org_id, "role",
			roles[i].role));
	rights_item(x, "account_ref", "Rôles", RIGHTS_SOURCE_ORG, list);
	if ((n = store_recovery_list_unused(st, c, x->id, NULL, 0)) < 0)
		return -1;
	rights_item(x, "account_ref",
	    "Codes de secours non utilisés (empreintes)", RIGHTS_SOURCE_AUTO,
	    json_pack("{s:I}", "count", (json_int_t)n));
	if ((g = calloc(RIGHTS_GRANTS_MAX, sizeof(*g))) == NULL)
		return -1;
	n = store_rights_grant_list(st, c, x->id, g, RIGHTS_GRANTS_MAX);
	for (i = 0; i < n && i < RIGHTS_GRANTS_MAX; i++)
		rights_item(x, "account_ref", "Habilitation temporaire",
		    RIGHTS_SOURCE_ORG,
		    json_pack("{s:s, s:s, s:s, s:I, s:I}", "org_id",
			g[i].org_id, "permission", g[i].permission,
			"granted_by", g[i].granted_by, "created_at",
			(json_int_t)g[i].created_at, "expires_at",
			(json_int_t)g[i].expires_at));
	free(g);
	return n < 0 ? -1 : 0;
}

int
rights_export(const struct auth *a, const struct datamap *m,
    const char *account_id, int64_t now, json_t **out)
{
	struct store_conn *c = store_conn(a->st);
	struct audit_filter f;
	struct audit_walk w;
	struct rights_exp x;
	char owner[AUTH_OWNER_MAX];
	int rc = -1, krc;

	*out = NULL;
	memset(&x, 0, sizeof(x));
	x.a = a;
	x.m = m;
	x.id = account_id;
	x.items = json_array();
	x.cats = json_object();
	x.cat_list = json_array();
	if (c == NULL || x.items == NULL || x.cats == NULL ||
	    x.cat_list == NULL || auth_subject_owner(account_id, owner) != 0)
		goto done;
	if ((krc = auth_key(a, owner, 0, &x.k)) < 0)
		goto done;
	x.have = krc == 0;
	if ((rc = export_account(&x, c)) != 0)
		goto done;
	rc = -1;
	if (export_privacy(&x, c) != 0 || rights_booking_export(&x, c) != 0 ||
	    appt_rights_export(&x, c) != 0 ||
	    export_slot_requests(&x, c) != 0 ||
	    rights_agent_export(&x, c) != 0 ||
	    rights_dossier_export(&x, c) != 0)
		goto done;
	if (session_list(a, account_id, NULL, add_session, &x) != 0 ||
	    store_rights_journal_list(a->st, c, account_id, add_journal, &x) !=
		0)
		goto done;
	w.x = &x;
	memset(&f, 0, sizeof(f));
	f.actor = account_id;
	w.as_target = 0;
	if (store_audit_scan(a->st, &f, add_audit, &w) != 0)
		goto done;
	memset(&f, 0, sizeof(f));
	f.target_id = account_id;
	w.as_target = 1;
	if (store_audit_scan(a->st, &f, add_audit, &w) != 0)
		goto done;
	rights_item(&x, "data_key_owner", "Clé de chiffrement personnelle",
	    RIGHTS_SOURCE_AUTO,
	    json_pack("{s:s, s:b}", "owner", owner, "exists", x.have));
	if (x.failed)
		goto done;
	*out = json_pack("{s:s, s:I, s:s, s:{s:s?, s:s?, s:s?}, s:O, s:O}",
	    "format", "creneau-export-1", "generated_at", (json_int_t)now,
	    "account_id", account_id, "controller", "name",
	    m ? m->controller.name : NULL, "contact",
	    m ? m->controller.contact : NULL, "dpo",
	    m ? m->controller.dpo : NULL, "categories", x.cat_list, "items",
	    x.items);
	rc = *out != NULL ? 0 : -1;
done:
	sodium_memzero(&x.k, sizeof(x.k));
	json_decref(x.items);
	json_decref(x.cats);
	json_decref(x.cat_list);
	return rc;
}

/* HTML. */

/* Appends s escaped for HTML text and attribute values. */
static int
html_text(struct buf *b, const char *s)
{
	const char *p, *rep;
	int rc = 0;

	for (p = s; rc == 0 && *p != '\0'; p++) {
		switch (*p) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		default:
			rc = buf_append(b, p, 1);
			continue;
		}
		rc = buf_append_str(b, rep);
	}
	return rc;
}

/* French names of the members of item values; others as they are. */
static const char *
key_label(const char *k)
{
	static const char *const names[][2] = {
		{ "at", "date" },
		{ "created_at", "créé le" },
		{ "last_seen_at", "dernière activité" },
		{ "expires_at", "fin" },
		{ "last_login_at", "dernière connexion" },
		{ "password_changed_at", "mot de passe changé le" },
		{ "password_temporary", "mot de passe provisoire" },
		{ "public_computer", "ordinateur public" },
		{ "user_agent", "navigateur" },
		{ "ip", "adresse IP" },
		{ "event", "événement" },
		{ "status", "état" },
		{ "totp_enabled", "activé" },
		{ "count", "nombre" },
		{ "org_id", "organisme" },
		{ "role", "rôle" },
		{ "name", "nom" },
		{ "permission", "permission" },
		{ "granted_by", "accordée par" },
		{ "seq", "numéro" },
		{ "action", "opération" },
		{ "target_type", "type d'objet" },
		{ "outcome", "résultat" },
		{ "owner", "propriétaire" },
		{ "exists", "existe" },
		{ "policy_version", "version de la politique" },
		{ "acknowledged_at", "lue le" },
		{ "kind", "droit exercé" },
		{ "state", "état" },
		{ "received_at", "reçue le" },
		{ "identity_verified_at", "identité vérifiée le" },
		{ "due_at", "réponse due le" },
		{ "closed_at", "close le" },
		{ "extended_months", "prolongation (mois)" },
		{ "message", "demande" },
		{ "extension_reason", "motif de la prolongation" },
		{ "reason", "motif" },
		{ "request_id", "numéro de la demande" },
		{ "exam_id", "numéro de l'examen" },
		{ "requested_at", "demandée le" },
		{ "decided_at", "décidée le" },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(names[i][0], k) == 0)
			return names[i][1];
	return k;
}

/* A time in milliseconds as "2030-01-01 00:00 UTC"; 0 as "jamais". */
static int
html_time(struct buf *b, json_int_t ms)
{
	struct tm tm;
	time_t t;
	char s[40];

	if (ms <= 0)
		return buf_append_str(b, "jamais");
	t = (time_t)(ms / 1000);
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(s, sizeof(s), "%Y-%m-%d %H:%M UTC", &tm) == 0)
		return buf_printf(b, "%lld", (long long)ms);
	return buf_append_str(b, s);
}

static int
ends_with_at(const char *k)
{
	size_t n = strlen(k);

	return strcmp(k, "at") == 0 || (n > 3 && strcmp(k + n - 3, "_at") == 0);
}

static int
html_value(struct buf *b, const char *key, const json_t *v, int depth)
{
	const char *k;
	json_t *e;
	size_t i;
	int rc = 0, first = 1;

	if (depth > 4)
		return -1;
	switch (json_typeof(v)) {
	case JSON_STRING:
		return html_text(b, json_string_value(v));
	case JSON_INTEGER:
		if (key != NULL && ends_with_at(key))
			return html_time(b, json_integer_value(v));
		return buf_printf(b, "%lld", (long long)json_integer_value(v));
	case JSON_TRUE:
		return buf_append_str(b, "oui");
	case JSON_FALSE:
		return buf_append_str(b, "non");
	case JSON_NULL:
		return buf_append_str(b, "—");
	case JSON_ARRAY:
		if (json_array_size(v) == 0)
			return buf_append_str(b, "aucun");
		rc = buf_append_str(b, "<ul>");
		json_array_foreach (v, i, e) {
			if (rc == 0)
				rc = buf_append_str(b, "<li>");
			if (rc == 0)
				rc = html_value(b, NULL, e, depth + 1);
			if (rc == 0)
				rc = buf_append_str(b, "</li>");
		}
		return rc != 0 ? rc : buf_append_str(b, "</ul>");
	case JSON_OBJECT:
		json_object_foreach ((json_t *)(uintptr_t)v, k, e) {
			if (rc == 0 && !first)
				rc = buf_append_str(b, " ; ");
			first = 0;
			if (rc == 0)
				rc = html_text(b, key_label(k));
			if (rc == 0)
				rc = buf_append_str(b, " : ");
			if (rc == 0)
				rc = html_value(b, k, e, depth + 1);
		}
		return rc;
	default:
		return buf_append_str(b, "?");
	}
}

/* Appends the text of member k of o, escaped ("" if absent). */
static int
html_member(struct buf *b, const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return html_text(b, s != NULL ? s : "");
}

static int
html_category(struct buf *b, const json_t *cat, const json_t *items)
{
	const char *id = json_string_value(json_object_get(cat, "id")), *k;
	json_t *p, *it;
	size_t i;
	int rc;

	rc = buf_append_str(b, "<section>\n<h2>");
	if (rc == 0)
		rc = html_member(b, cat, "label");
	if (rc == 0)
		rc = buf_append_str(b,
		    "</h2>\n<dl>\n<dt>Finalités</dt>\n<dd><ul>");
	json_array_foreach (json_object_get(cat, "purposes"), i, p) {
		if (rc == 0)
			rc = buf_append_str(b, "<li><strong>");
		if (rc == 0)
			rc = html_member(b, p, "activity");
		if (rc == 0)
			rc = buf_append_str(b, "</strong> : ");
		if (rc == 0)
			rc = html_member(b, p, "purposes");
		if (rc == 0)
			rc = buf_append_str(b, " (base légale : ");
		if (rc == 0)
			rc = html_member(b, p, "legal_basis");
		if (rc == 0)
			rc = buf_append_str(b, ")</li>");
	}
	if (rc == 0)
		rc = buf_append_str(b,
		    "</ul></dd>\n<dt>Destinataires</dt>\n<dd>");
	if (rc == 0)
		rc = html_value(b, NULL, json_object_get(cat, "recipients"), 0);
	if (rc == 0)
		rc = buf_append_str(b,
		    "</dd>\n<dt>Durée de conservation</dt>\n"
		    "<dd>");
	if (rc == 0)
		rc = html_member(b, cat, "retention");
	if (rc == 0)
		rc = buf_append_str(b,
		    "</dd>\n</dl>\n<table>\n<thead><tr><th scope=\"col\">"
		    "Donnée</th><th scope=\"col\">Valeur</th>"
		    "<th scope=\"col\">Source</th></tr></thead>\n<tbody>\n");
	json_array_foreach (items, i, it) {
		k = json_string_value(json_object_get(it, "category"));
		if (id == NULL || k == NULL || strcmp(k, id) != 0)
			continue;
		if (rc == 0)
			rc = buf_append_str(b, "<tr><th scope=\"row\">");
		if (rc == 0)
			rc = html_member(b, it, "label");
		if (rc == 0)
			rc = buf_append_str(b, "</th><td>");
		if (rc == 0)
			rc = html_value(b, NULL, json_object_get(it, "value"),
			    0);
		if (rc == 0)
			rc = buf_append_str(b, "</td><td>");
		if (rc == 0)
			rc = html_member(b, it, "source");
		if (rc == 0)
			rc = buf_append_str(b, "</td></tr>\n");
	}
	if (rc == 0)
		rc = buf_append_str(b, "</tbody>\n</table>\n</section>\n");
	return rc;
}

int
rights_export_html(const json_t *export, struct buf *out)
{
	const json_t *ctl, *items, *cats;
	json_t *cat;
	size_t i;
	int rc;

	ctl = json_object_get(export, "controller");
	items = json_object_get(export, "items");
	cats = json_object_get(export, "categories");
	if (!json_is_array(items) || !json_is_array(cats))
		return -1;
	rc = buf_append_str(out,
	    "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<title>Vos données personnelles - Créneau</title>\n"
	    "</head>\n<body>\n<main>\n<h1>Vos données personnelles</h1>\n"
	    "<p>Ce document rassemble toutes les données que Créneau "
	    "conserve sur votre compte, avec, pour chacune, pourquoi elle "
	    "est traitée, qui peut la voir, combien de temps elle est "
	    "gardée et d'où elle vient.</p>\n<p>Produit le ");
	if (rc == 0)
		rc = html_time(out,
		    json_integer_value(
			json_object_get(export, "generated_at")));
	if (rc == 0)
		rc = buf_append_str(out, ". Responsable du traitement : ");
	if (rc == 0)
		rc = html_member(out, ctl, "name");
	if (rc == 0)
		rc = buf_append_str(out, ". Contact : ");
	if (rc == 0)
		rc = html_member(out, ctl, "contact");
	if (rc == 0)
		rc = buf_append_str(out,
		    ". Délégué à la protection des "
		    "données : ");
	if (rc == 0)
		rc = html_member(out, ctl, "dpo");
	if (rc == 0)
		rc = buf_append_str(out, ".</p>\n");
	json_array_foreach (cats, i, cat) {
		if (rc == 0)
			rc = html_category(out, cat, items);
	}
	if (rc == 0)
		rc = buf_append_str(out, "</main>\n</body>\n</html>\n");
	return rc == 0 ? 0 : -1;
}

/* Erasure. */

struct erase_arg {
	const struct auth *a;
	const char *actor;
	const char *id;
	const char *ip;
	int64_t now;
	char *why;
	size_t whylen;
	long sessions, recovery, grants, roles, journal, notes;
	long dossiers, validator_keys, pauses;
	int inactivity; /* deleted by the retention engine, not asked */
	int confirmation; /* 1 queued, 0 no address, -1 emails are off */
	struct rights_booking_erased booking;
	struct appt_erased appt; /* user records of the appointments */
};

/* The confirmation's subject and words: they name nobody. */
#define CONFIRM_SUBJECT "Confirmation de l'effacement de votre compte"
#define CONFIRM_ASKED                                                           \
	"Bonjour,\n\nVotre compte Créneau a été effacé à votre demande : " \
	"adresse e-mail, nom, rôles, habilitations, sessions, "                \
	"notifications et, le cas échéant, votre dossier de candidat "        \
	"(NEPH, nom, prénoms, adresse e-mail) sont supprimés et vos clés "   \
	"de chiffrement personnelles sont détruites. Ce qui est conservé, "   \
	"et pourquoi, vous a été indiqué au moment de l'effacement.\n\n"
#define CONFIRM_INACTIVE                                                         \
	"Bonjour,\n\nVotre compte Créneau, inutilisé depuis plus de deux "     \
	"ans, a été supprimé trente jours après l'avertissement qui vous a " \
	"été envoyé : adresse e-mail, nom, rôles, notifications et, le cas " \
	"échéant, votre dossier de candidat sont effacés et vos clés de "    \
	"chiffrement personnelles sont détruites.\n\n"
#define CONFIRM_FOOTER                                                         \
	"Pour toute question, écrivez au délégué à la protection des "    \
	"données de l'organisme qui exploite Créneau.\n-- \nCe message est " \
	"envoyé automatiquement : merci de ne pas y répondre.\n"

/*
 * Queues the confirmation of the erasure to the address of acc, opened
 * with the person's key before it is destroyed. The email belongs to no
 * account (account_id NULL): it outlives the account, sealed under the
 * system:outbox key, and its address is wiped once it is sent.
 */
static int
queue_confirmation(struct erase_arg *x, struct store_conn *c,
    const struct store_account *acc)
{
	char owner[AUTH_OWNER_MAX], *email = NULL;
	struct data_key k;
	size_t n = 0;
	int rc;

	x->confirmation = 0;
	if (!notify_email_enabled()) {
		x->confirmation = -1;
		return 0;
	}
	if (acc->email.p == NULL || auth_subject_owner(x->id, owner) != 0 ||
	    (rc = auth_key(x->a, owner, 0, &k)) == 1)
		return 0;
	if (rc < 0)
		return -1;
	rc = field_open(&k, "accounts", "email", acc->id, acc->email.p,
	    acc->email.len, &email, &n);
	sodium_memzero(&k, sizeof(k));
	if (rc != 0)
		return 0; /* unreadable: nobody to write to */
	rc = outbox_enqueue(x->a, c, NULL, email, CONFIRM_SUBJECT,
	    x->inactivity ? CONFIRM_INACTIVE CONFIRM_FOOTER
			  : CONFIRM_ASKED CONFIRM_FOOTER,
	    x->now);
	field_free(email, n);
	if (rc == 0)
		x->confirmation = 1;
	return rc;
}

static int
count_journal(void *arg, const struct store_journal *j)
{
	long *n = arg;

	(void)j;
	(*n)++;
	return 0;
}

static int
refuse(char *why, size_t whylen, const char *msg)
{
	if (why != NULL && whylen > 0)
		snprintf(why, whylen, "%s", msg);
	return 1;
}

static int
erase_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct erase_arg *x = arg;
	struct store_account acc;
	struct store_role roles[ACCOUNT_ROLES_MAX];
	char tkey[STORE_INDEX_MAX];
	long n, i, others;
	int rc = -1, admin = 0;

	if ((rc = store_account_get(st, c, x->id, &acc)) != 0) {
		store_account_clear(&acc);
		return rc < 0
		    ? -1
		    : refuse(x->why, x->whylen, "account : compte inconnu");
	}
	rc = -1;
	if ((n = store_role_list(st, c, x->id, NULL, roles,
		 ACCOUNT_ROLES_MAX)) < 0)
		goto done;
	for (i = 0; i < n && i < ACCOUNT_ROLES_MAX; i++)
		admin |= strcmp(roles[i].role, "platform_admin") == 0;
	if (admin) {
		if ((others = store_rights_role_others(st, c, "platform_admin",
			 x->id)) < 0)
			goto done;
		if (others == 0) {
			rc = refuse(x->why, x->whylen,
			    "account : le dernier administrateur de la "
			    "plateforme ne peut pas être effacé ; nommez-en "
			    "d'abord un autre");
			goto done;
		}
	}
	x->journal = 0;
	if (store_rights_journal_list(st, c, x->id, count_journal,
		&x->journal) != 0 ||
	    rights_booking_erase(x->a, c, x->id, x->actor, x->now,
		&x->booking) != 0 ||
	    appt_rights_erase(x->a, c, x->id, x->actor, x->now, &x->appt) !=
		0 ||
	    queue_confirmation(x, c, &acc) != 0 ||
	    (x->sessions = store_session_delete_account(st, c, x->id, NULL)) <
		0 ||
	    (x->notes = store_slot_requests_forget(st, c, x->id)) < 0 ||
	    svc_pauses_erase(st, c, x->id, x->now, &x->pauses) != 0 ||
	    svc_dossiers_erase(st, c, x->id, &x->dossiers) != 0 ||
	    svc_validator_keys_erase(st, c, x->id, &x->validator_keys) != 0 ||
	    (x->recovery = store_rights_recovery_delete(st, c, x->id)) < 0 ||
	    (x->grants = store_rights_grant_delete(st, c, x->id)) < 0 ||
	    (x->roles = store_rights_role_delete(st, c, x->id)) < 0 ||
	    throttle_key_account(acc.email_index, tkey) != 0 ||
	    store_throttle_reset(st, c, tkey) != 0 ||
	    store_rights_account_delete(st, c, x->id) != 0)
		goto done;
	rc = auth_audit(x->a, c, x->now, x->actor, "rights.erase", x->id,
	    acc.org_id, x->ip, AUDIT_SUCCESS);
done:
	store_account_clear(&acc);
	return rc;
}

/* The retention of rule id of m, described, or a fixed text. */
static json_t *
retention_text(const struct datamap *m, const char *id)
{
	const struct datamap_retention *r = NULL;
	char text[512];

	if (m != NULL)
		r = datamap_retention_find(m, id);
	if (r == NULL || datamap_retention_describe(r, text, sizeof(text)) != 0)
		return json_string("12 mois");
	return json_string(text);
}

static int erase_account(const struct auth *a, const char *actor,
    const char *account_id, int64_t now, const struct datamap *m,
    const char *ip, int inactivity, json_t **out, char *why, size_t whylen);

/* What the person is told of the booking data and of the confirmation,
 * added to the answer o. Returns 0 or -1. */
static int
answer_booking(json_t *o, const struct erase_arg *x, const struct datamap *m)
{
	json_t *erased = json_object_get(o, "erased");
	const char *confirm;

	if (x->confirmation > 0)
		confirm = "Une confirmation de l'effacement part à l'adresse "
			  "e-mail que vous aviez ; cette adresse est retirée "
			  "de la file d'envoi dès que le message est envoyé.";
	else if (x->confirmation < 0)
		confirm = "Aucune confirmation par e-mail : l'envoi de "
			  "courriels est désactivé sur cette plateforme. Cette "
			  "réponse vaut confirmation.";
	else
		confirm = "Aucune confirmation par e-mail : le compte n'avait "
			  "pas d'adresse lisible. Cette réponse vaut "
			  "confirmation.";
	if (json_object_set_new(erased, "notifications",
		json_integer(x->booking.notifications)) != 0 ||
	    json_object_set_new(erased, "slot_request_notes",
		json_integer(x->notes)) != 0 ||
	    json_object_set_new(erased, "dossiers",
		json_integer(x->dossiers)) != 0 ||
	    json_object_set_new(erased, "validator_keys",
		json_integer(x->validator_keys)) != 0 ||
	    json_object_set_new(erased, "dossier_pauses",
		json_integer(x->pauses)) != 0 ||
	    json_object_set_new(erased, "emails",
		json_integer(x->booking.emails)) != 0 ||
	    json_object_set_new(erased, "candidate_files",
		json_integer(x->booking.candidates)) != 0 ||
	    json_object_set_new(erased, "exams_cancelled",
		json_integer(x->booking.exams_cancelled)) != 0 ||
	    json_object_set_new(erased, "basket_items_released",
		json_integer(x->booking.basket_items)) != 0 ||
	    json_object_set_new(erased, "mandates_revoked",
		json_integer(x->booking.mandates)) != 0 ||
	    json_object_set_new(erased, "trainer_assignments",
		json_integer(x->booking.trainers)) != 0 ||
	    json_object_set_new(o, "confirmation", json_string(confirm)) != 0)
		return -1;
	return rights_booking_kept(json_object_get(o, "kept"), &x->booking, m);
}

int
rights_erase(const struct auth *a, const char *actor, const char *account_id,
    int64_t now, const struct datamap *m, const char *ip, json_t **out,
    char *why, size_t whylen)
{
	return erase_account(a, actor, account_id, now, m, ip, 0, out, why,
	    whylen);
}

int
rights_erase_inactive(const struct auth *a, const char *account_id, int64_t now,
    char *why, size_t whylen)
{
	return erase_account(a, NULL, account_id, now, NULL, NULL, 1, NULL, why,
	    whylen);
}

static int
erase_account(const struct auth *a, const char *actor, const char *account_id,
    int64_t now, const struct datamap *m, const char *ip, int inactivity,
    json_t **out, char *why, size_t whylen)
{
	struct erase_arg x;
	char owner[AUTH_OWNER_MAX];
	int rc;

	if (out != NULL)
		*out = NULL;
	memset(&x, 0, sizeof(x));
	x.a = a;
	x.actor = actor;
	x.id = account_id;
	x.ip = ip;
	x.now = now;
	x.why = why;
	x.whylen = whylen;
	x.inactivity = inactivity;
	if (account_id == NULL || auth_subject_owner(account_id, owner) != 0)
		return refuse(why, whylen, "account : compte inconnu");
	if ((rc = store_tx(a->st, 1, erase_tx, &x)) != 0)
		return rc;
	if (keystore_destroy(a->ks, owner, now) != 0) {
		log_warnx("%s: rows erased but the data key is not destroyed",
		    __func__);
		return -1;
	}
	if (rights_candidate_keys(a, &x.booking, now) != 0 ||
	    appt_rights_keys(a, &x.appt, now) != 0)
		return -1;
	if (out == NULL)
		return 0;
	*out = json_pack("{s:s, s:s, s:{s:b, s:I, s:I, s:I, s:I, s:b},"
			 " s:[{s:s, s:I, s:s, s:o}, {s:s, s:s, s:o}], s:s}",
	    "status", "erased", "account_id", account_id, "erased", "account",
	    1, "sessions", (json_int_t)x.sessions, "recovery_codes",
	    (json_int_t)x.recovery, "grants", (json_int_t)x.grants, "roles",
	    (json_int_t)x.roles, "data_key_destroyed", 1, "kept", "what",
	    "Journal des connexions", "entries", (json_int_t)x.journal, "why",
	    "Conservé pour la sécurité des connexions (intérêt légitime, "
	    "obligation de conserver les données de connexion) jusqu'à la "
	    "fin de sa durée de conservation, puis supprimé. L'adresse IP et "
	    "le navigateur de chaque entrée étaient chiffrés avec votre clé, "
	    "qui vient d'être détruite : ils sont désormais illisibles, y "
	    "compris dans les sauvegardes.",
	    "retention", retention_text(m, "host_data"), "what",
	    "Piste d'audit des opérations", "why",
	    "Conservée pour prouver l'intégrité des opérations et répondre "
	    "aux contestations (obligation légale et intérêt légitime) "
	    "jusqu'à la fin de sa durée de conservation. Ses entrées ne "
	    "mentionnent votre compte que par un identifiant opaque, qui ne "
	    "renvoie plus à aucune donnée vous concernant ; elles ne peuvent "
	    "être modifiées sans rompre la chaîne de contrôle. L'adresse IP "
	    "des opérations que vous avez faites y reste chiffrée, lisible "
	    "des seuls auditeurs habilités, jusqu'à cette échéance.",
	    "retention", retention_text(m, "audit_trail"), "message",
	    "Votre compte a été effacé : adresse e-mail, nom, rôles, "
	    "habilitations, sessions, codes de secours, notifications et "
	    "courriels en attente sont supprimés ; votre dossier de candidat, "
	    "s'il y en a un, est vidé (examens à venir annulés, mandats "
	    "révoqués) ; vos clés de chiffrement personnelles sont "
	    "détruites.");
	if (*out != NULL && answer_booking(*out, &x, m) != 0) {
		json_decref(*out);
		*out = NULL;
	}
	return *out != NULL ? 0 : -1;
}
