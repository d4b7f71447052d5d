/* codes.c - the stable error codes of RULES.md, their statuses and
 * messages. */
#include "booking/codes.h"

#include <stddef.h>
#include <string.h>

struct code_entry {
	const char *name;
	int status;
	const char *message;
};

/* Indexed by enum bk_code: keep in the order of the enum. */
static const struct code_entry codes[BK_CODE_COUNT] = {
	{ "OK", 200, "Opération effectuée." },
	{ "CANDIDAT_INCONNU", 404,
	    "Aucun candidat ne correspond à ce NEPH, ce nom et cette catégorie dans le registre." },
	{ "CANDIDAT_DEJA_SOUS_MANDAT", 422,
	    "Le candidat a déjà donné mandat à une autre auto-école pour cette catégorie." },
	{ "CANDIDAT_DEJA_SOUS_MON_MANDAT", 422,
	    "Le candidat est déjà sous mandat de votre auto-école pour cette catégorie." },
	{ "CANDIDAT_PAS_SOUS_MANDAT", 422,
	    "Le candidat n'a pas de mandat actif envers votre auto-école pour cette catégorie." },
	{ "CANDIDAT_OBLIGATOIRE", 422,
	    "Un candidat doit être affecté à ce créneau avant la validation." },
	{ "CANDIDAT_DEJA_DANS_PANIER", 422,
	    "Ce candidat est affecté à plusieurs créneaux de la même catégorie dans le panier." },
	{ "CANDIDAT_DEJA_INSCRIT", 422,
	    "Le candidat est déjà inscrit à un examen de cette catégorie." },
	{ "CANDIDAT_EN_ATTENTE_DE_RESULTAT", 422,
	    "Le candidat attend le résultat d'un examen de cette catégorie." },
	{ "CANDIDAT_AYANT_DEJA_OBTENU_SON_EXAMEN", 422,
	    "Le candidat a déjà obtenu son examen dans cette catégorie." },
	{ "CANDIDAT_SOUS_PENALITE", 422,
	    "Le candidat est soumis à un délai d'attente jusqu'au {date}." },
	{ "CENTRE_INCONNU", 404, "Ce centre d'examen n'existe pas." },
	{ "CRENEAU_INCONNU", 404,
	    "Ce créneau n'existe pas ou n'est pas encore publié." },
	{ "CRENEAU_DEJA_RESERVE", 409,
	    "Ce créneau est déjà réservé ou dans un panier." },
	{ "CRENEAU_PAS_DANS_LE_PANIER", 422,
	    "Ce créneau n'est pas dans votre panier." },
	{ "PANIER_INCONNU", 404, "Ce panier n'existe pas." },
	{ "PANIER_PLEIN", 422,
	    "Le panier a atteint le nombre maximal de créneaux." },
	{ "PANIER_EXPIRE", 422,
	    "Le panier a expiré : ses créneaux ont été libérés." },
	{ "TROP_DE_CRENEAUX", 422,
	    "Trop de créneaux ajoutés en une seule fois." },
	{ "SEUIL_ATTEINT", 422,
	    "Le quota de places de votre auto-école est atteint pour ce département, cette catégorie et ce mois." },
	{ "ACTION_INTERDITE", 403,
	    "Ce créneau est réservé aux auto-écoles du département ; il vous sera ouvert le {date}." },
	{ "EXAMEN_INCONNU", 404, "Cet examen n'existe pas." },
	{ "EXAMEN_DEJA_ANNULE", 422, "Cet examen est déjà annulé." },
	{ "EXAMEN_NON_MODIFIABLE", 422,
	    "Cet examen a déjà commencé ou est passé : il ne peut plus être modifié." },
	{ "PERMUTATION_IMPOSSIBLE", 422,
	    "Ces deux examens ne peuvent pas être permutés (même auto-école, même catégorie et examens à venir)." },
	{ "NOMBRE_DE_REMPLACEMENTS_AUTORISES_ATTEINT", 422,
	    "Le nombre maximal de remplacements pour cet examen est atteint." },
	{ "PARAMETRE_INVALIDE", 422,
	    "Un paramètre de la demande est invalide." },
};

const char *
bk_code_name(enum bk_code c)
{
	if ((int)c < 0 || c >= BK_CODE_COUNT)
		return NULL;
	return codes[c].name;
}

int
bk_code_parse(const char *s, enum bk_code *out)
{
	int i;

	if (s == NULL)
		return -1;
	for (i = 0; i < BK_CODE_COUNT; i++) {
		if (strcmp(codes[i].name, s) == 0) {
			*out = (enum bk_code)i;
			return 0;
		}
	}
	return -1;
}

int
bk_code_status(enum bk_code c)
{
	if ((int)c < 0 || c >= BK_CODE_COUNT)
		return 500;
	return codes[c].status;
}

const char *
bk_code_message(enum bk_code c)
{
	if ((int)c < 0 || c >= BK_CODE_COUNT)
		return NULL;
	return codes[c].message;
}
