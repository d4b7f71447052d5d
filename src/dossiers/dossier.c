/* dossier.c - the rules of the encrypted dossiers (dossier.h). */
#include "dossiers/dossier.h"

#include <stdio.h>
#include <string.h>

static const char *const kind_names[] = { "family", "volunteer" };
static const char *const state_names[] = { "brouillon", "soumis", "a_completer",
	"valide", "refuse" };
static const char *const decision_names[] = { "a_completer", "valide",
	"refuse" };

static const struct {
	const char *code, *detail;
} codes[] = {
	[DOSSIER_OK] = { "ok", "" },
	[DOSSIER_ETAT_INVALIDE] = { "dossier_etat_invalide",
	    "Cette action n'est pas possible dans l'état actuel du "
	    "dossier." },
	[DOSSIER_PIECES_MANQUANTES] = { "dossier_pieces_manquantes",
	    "Une pièce requise manque au dossier." },
	[DOSSIER_COMMENTAIRE_REQUIS] = { "dossier_commentaire_requis",
	    "Le champ « comment » est requis pour demander un complément ou "
	    "refuser un dossier (1000 octets au plus)." },
	[DOSSIER_TYPE_INCONNU] = { "dossier_type_inconnu",
	    "Le champ « type » doit être une pièce demandée pour ce profil." },
	[DOSSIER_TROP_VOLUMINEUX] = { "dossier_trop_volumineux",
	    "Le champ « jwe » dépasse la taille maximale d'une pièce." },
	[DOSSIER_TROP_DE_PIECES] = { "dossier_trop_de_pieces",
	    "Le dossier contient déjà le nombre maximal de pièces." },
	[DOSSIER_JWE_INVALIDE] = { "dossier_jwe_invalide",
	    "Le champ « jwe » doit être un JWE en sérialisation JSON "
	    "(alg RSA-OAEP-256, enc A256GCM), chiffré dans le navigateur." },
	[DOSSIER_DESTINATAIRES] = { "dossier_destinataires",
	    "Le champ « jwe » doit être chiffré pour chacune des clés de "
	    "validation en vigueur, et pour elles seules." },
	[DOSSIER_CLE_INVALIDE] = { "dossier_cle_invalide",
	    "Le champ « jwk » doit être une clé publique RSA d'au moins 2048 "
	    "bits (RSA-OAEP-256)." },
};

static int
parse_name(const char *const *names, int n, const char *s)
{
	int i;

	for (i = 0; s != NULL && i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

const char *
dossier_kind_name(enum dossier_kind k)
{
	return (unsigned)k <= DOSSIER_VOLUNTEER ? kind_names[k] : "family";
}

int
dossier_kind_parse(const char *s, enum dossier_kind *out)
{
	int i = parse_name(kind_names, 2, s);

	if (i < 0)
		return -1;
	*out = (enum dossier_kind)i;
	return 0;
}

const char *
dossier_state_name(enum dossier_state s)
{
	return (unsigned)s <= DOSSIER_REFUSE ? state_names[s] : "brouillon";
}

int
dossier_state_parse(const char *s, enum dossier_state *out)
{
	int i = parse_name(state_names, 5, s);

	if (i < 0)
		return -1;
	*out = (enum dossier_state)i;
	return 0;
}

int
dossier_decision_parse(const char *s, enum dossier_decision *out)
{
	int i = parse_name(decision_names, 3, s);

	if (i < 0)
		return -1;
	*out = (enum dossier_decision)i;
	return 0;
}

const char *
dossier_code_name(enum dossier_code c)
{
	return (unsigned)c <= DOSSIER_CLE_INVALIDE ? codes[c].code : "error";
}

const char *
dossier_code_detail(enum dossier_code c)
{
	return (unsigned)c <= DOSSIER_CLE_INVALIDE ? codes[c].detail : "";
}

/* Splits list into types; returns the count, or -1. */
static long
split_types(const char *list, char types[][DOSSIER_TYPE_MAX])
{
	size_t n = 0, len = 0;
	const char *p;

	if (list == NULL)
		return -1;
	for (p = list;; p++) {
		if (*p == ',' || *p == '\0') {
			if (len == 0 && (*p != '\0' || n > 0))
				return -1;
			if (len > 0) {
				types[n][len] = '\0';
				n++;
				len = 0;
			}
			if (*p == '\0')
				return (long)n;
			continue;
		}
		if (*p == ' ')
			continue;
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
			*p == '_') ||
		    n >= DOSSIER_TYPES_MAX || len + 1 >= DOSSIER_TYPE_MAX)
			return -1;
		types[n][len++] = *p;
	}
}

int
dossier_rules_init(struct dossier_rules *r, const char *family,
    const char *volunteer, long document_max_bytes, long documents_max)
{
	long f, v;

	memset(r, 0, sizeof(*r));
	f = split_types(family, r->family_types);
	v = split_types(volunteer, r->volunteer_types);
	if (f < 0 || v < 0 || document_max_bytes < 1 || documents_max < 1 ||
	    documents_max < f || documents_max < v)
		return -1;
	r->family_count = (size_t)f;
	r->volunteer_count = (size_t)v;
	r->document_max_bytes = document_max_bytes;
	r->documents_max = documents_max;
	return 0;
}

int
dossier_editable(enum dossier_state s)
{
	return s == DOSSIER_BROUILLON || s == DOSSIER_A_COMPLETER;
}

int
dossier_final(enum dossier_state s)
{
	return s == DOSSIER_VALIDE || s == DOSSIER_REFUSE;
}

static const char (*types_of(const struct dossier_rules *r,
    enum dossier_kind kind, size_t *n))[DOSSIER_TYPE_MAX]
{
	if (kind == DOSSIER_VOLUNTEER) {
		*n = r->volunteer_count;
		return r->volunteer_types;
	}
	*n = r->family_count;
	return r->family_types;
}

int
dossier_type_known(const struct dossier_rules *r, enum dossier_kind kind,
    const char *type)
{
	size_t i, n;
	const char(*t)[DOSSIER_TYPE_MAX] = types_of(r, kind, &n);

	for (i = 0; type != NULL && i < n; i++)
		if (strcmp(t[i], type) == 0)
			return 1;
	return 0;
}

enum dossier_code
dossier_may_add(const struct dossier_rules *r, enum dossier_kind kind,
    enum dossier_state s, const char *type, size_t len, long count)
{
	if (!dossier_editable(s))
		return DOSSIER_ETAT_INVALIDE;
	if (!dossier_type_known(r, kind, type))
		return DOSSIER_TYPE_INCONNU;
	if (len > (size_t)r->document_max_bytes)
		return DOSSIER_TROP_VOLUMINEUX;
	if (count >= r->documents_max)
		return DOSSIER_TROP_DE_PIECES;
	return DOSSIER_OK;
}

enum dossier_code
dossier_may_submit(const struct dossier_rules *r, enum dossier_kind kind,
    enum dossier_state s, const char *const *types, size_t n,
    const char **missing)
{
	size_t i, j, count;
	const char(*t)[DOSSIER_TYPE_MAX] = types_of(r, kind, &count);

	*missing = NULL;
	if (!dossier_editable(s))
		return DOSSIER_ETAT_INVALIDE;
	for (i = 0; i < count; i++) {
		for (j = 0; j < n; j++)
			if (strcmp(t[i], types[j]) == 0)
				break;
		if (j == n) {
			*missing = t[i];
			return DOSSIER_PIECES_MANQUANTES;
		}
	}
	return DOSSIER_OK;
}

enum dossier_code
dossier_decide(enum dossier_state s, enum dossier_decision d,
    const char *comment, enum dossier_state *next)
{
	size_t len = comment != NULL ? strlen(comment) : 0;

	if (s != DOSSIER_SOUMIS)
		return DOSSIER_ETAT_INVALIDE;
	if (len > DOSSIER_COMMENT_MAX || (d != DECIDE_VALIDATE && len == 0))
		return DOSSIER_COMMENTAIRE_REQUIS;
	*next = d == DECIDE_VALIDATE ? DOSSIER_VALIDE
	    : d == DECIDE_REFUSE     ? DOSSIER_REFUSE
				     : DOSSIER_A_COMPLETER;
	return DOSSIER_OK;
}
