/*
 * rights_dossier.c - the encrypted dossiers in the person's export: the
 * profile, health notes, state, decision and comment, opened with the
 * person's key; the documents are listed (type, size, date), their
 * content being readable only with a validator's private key.
 */
#include "gdpr/rights_dossier.h"

#include "service/dossier.h"
#include "service/pause.h"

static json_t *
opt_text(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

static int
add_dossier(void *arg, const struct dossier_view *v)
{
	struct rights_exp *x = arg;
	json_t *docs = json_array();
	size_t i;

	rights_item(x, "dossier_profile", "Profil du dossier", "dossiers",
	    json_pack("{s:I, s:s, s:s, s:o}", "dossier", (json_int_t)v->d.id,
		"association", v->d.org_id, "kind",
		dossier_kind_name(v->d.kind), "profile", opt_text(v->profile)));
	if (v->health != NULL)
		rights_item(x, "dossier_health",
		    "Besoins et handicap des enfants", "dossiers",
		    json_string(v->health));
	rights_item(x, "dossier_decision", "État et décision du dossier",
	    "dossiers",
	    json_pack("{s:s, s:o, s:I, s:I, s:I}", "state",
		dossier_state_name(v->d.state), "comment", opt_text(v->comment),
		"submitted_at", (json_int_t)v->d.submitted_at, "decided_at",
		(json_int_t)v->d.decided_at, "documents_destroyed_at",
		(json_int_t)v->d.destroyed_at));
	for (i = 0; docs != NULL && i < v->ndocs; i++)
		json_array_append_new(docs,
		    json_pack("{s:I, s:s, s:I, s:I}", "id",
			(json_int_t)v->docs[i].id, "type", v->docs[i].type,
			"size", (json_int_t)v->docs[i].size, "uploaded_at",
			(json_int_t)v->docs[i].uploaded_at));
	rights_item(x, "dossier_document",
	    "Pièces chiffrées (lisibles seulement avec la clé privée d'un "
	    "validateur ; listées, non jointes)",
	    "dossier_documents", docs);
	return x->failed ? -1 : 0;
}

static json_t *
person(const struct pause_person *p)
{
	if (p->name == NULL)
		return json_null();
	return json_pack("{s:s, s:o}", "name", p->name, "phone",
	    opt_text(p->phone));
}

static int
add_pause(void *arg, const struct pause_view *v)
{
	struct rights_exp *x = arg;

	rights_item(x, "dossier_pause",
	    "Pause (temps de répit) demandée ou acceptée", "dossier_pauses",
	    json_pack("{s:I, s:s, s:s, s:s, s:I, s:I, s:o, s:o, s:o, s:o,"
		      " s:I, s:I}",
		"pause", (json_int_t)v->p.id, "association", v->p.org_id,
		"role", v->side != NULL ? v->side : "", "state",
		pause_state_name(v->state), "start_at",
		(json_int_t)v->p.start_at, "duration",
		(json_int_t)v->p.duration, "place", opt_text(v->place), "note",
		opt_text(v->note), "family", person(&v->family), "volunteer",
		person(&v->volunteer), "created_at",
		(json_int_t)v->p.created_at, "decided_at",
		(json_int_t)v->p.decided_at));
	return x->failed ? -1 : 0;
}

int
rights_dossier_export(struct rights_exp *x, struct store_conn *c)
{
	return svc_dossier_export(x->a, c, x->id, add_dossier, x) == 0 &&
		svc_pauses_export(x->a, c, x->id, 0, add_pause, x) == 0 &&
		!x->failed
	    ? 0
	    : -1;
}
