/* appt_codes.c - the stable refusal codes of the appointments module,
 * their HTTP statuses and French messages. */
#include "appointments/appt_codes.h"

#include <stdio.h>
#include <string.h>

struct code_entry {
	const char *name;
	int status;
	const char *message;
};

/* Indexed by enum appt_code: keep in the order of the enum. */
static const struct code_entry codes[APPT_CODE_COUNT] = {
	{ "OK", 200, "Opération effectuée." },
	{ "ORGANISATION_INCONNUE", 404, "Cette organisation n'existe pas." },
	{ "SERVICE_INCONNU", 404, "Ce service n'existe pas." },
	{ "LIEU_INCONNU", 404, "Ce lieu n'existe pas." },
	{ "AGENT_INCONNU", 404, "Cet agent n'existe pas." },
	{ "MOTIF_INCONNU", 404, "Ce motif de rendez-vous n'existe pas." },
	{ "PLAGE_INCONNUE", 404, "Cette plage d'ouverture n'existe pas." },
	{ "ABSENCE_INCONNUE", 404, "Cette absence n'existe pas." },
	{ "USAGER_INCONNU", 404, "Cet usager n'existe pas." },
	{ "PROCHE_INCONNU", 404, "Ce proche n'existe pas." },
	{ "RDV_INCONNU", 404, "Ce rendez-vous n'existe pas." },
	{ "CRENEAU_INCONNU", 404,
	    "Ce créneau n'existe pas ou n'est plus proposé." },
	{ "CRENEAU_DEJA_PRIS", 409,
	    "Ce créneau vient d'être pris : l'agent a déjà un rendez-vous à cette heure." },
	{ "LIEU_COMPLET", 409,
	    "Le lieu accueille déjà le nombre maximal de rendez-vous simultanés à cette heure." },
	{ "CAPACITE_ATTEINTE", 409,
	    "La séance collective a atteint sa capacité : plus aucune place n'est libre." },
	{ "PLAGE_CHEVAUCHEMENT", 409,
	    "Cette plage d'ouverture chevauche une autre plage du même agent : mêmes jours, mêmes heures." },
	{ "HORS_PLAGE_OUVERTURE", 422,
	    "Ce créneau n'est pas dans une plage d'ouverture de l'agent pour ce lieu et ce motif." },
	{ "AGENT_INDISPONIBLE", 422, "L'agent est absent sur ce créneau." },
	{ "USAGER_DEJA_EN_RDV", 422,
	    "L'usager a déjà un rendez-vous qui chevauche ce créneau." },
	{ "USAGER_DEJA_INSCRIT", 422,
	    "L'usager participe déjà à ce rendez-vous." },
	{ "DELAI_MINIMUM_NON_RESPECTE", 422,
	    "Ce créneau est trop proche : le délai minimum de réservation du motif n'est pas respecté." },
	{ "DELAI_MAXIMUM_DEPASSE", 422,
	    "Ce créneau est trop lointain : il dépasse le délai maximum de réservation du motif." },
	{ "ANNULATION_TROP_TARDIVE", 422,
	    "Il est trop tard pour annuler ce rendez-vous en ligne : contactez le service." },
	{ "MODIFICATION_TROP_TARDIVE", 422,
	    "Il est trop tard pour modifier ce rendez-vous en ligne : contactez le service." },
	{ "RDV_PASSE", 422,
	    "Ce rendez-vous a déjà commencé ou est passé : il ne peut plus être modifié." },
	{ "RDV_NON_COMMENCE", 422,
	    "Ce rendez-vous n'a pas encore commencé : il ne peut pas être marqué vu ou non venu." },
	{ "RDV_DEJA_ANNULE", 422, "Ce rendez-vous est déjà annulé." },
	{ "TRANSITION_INTERDITE", 422,
	    "Ce changement de statut du rendez-vous n'est pas permis." },
	{ "MOTIF_NON_RESERVABLE_EN_LIGNE", 422,
	    "Ce motif ne peut être réservé que par un agent du service." },
	{ "MOTIF_COLLECTIF", 422,
	    "Ce motif est collectif : inscrivez l'usager à une séance existante." },
	{ "MOTIF_INDIVIDUEL", 422,
	    "Ce motif est individuel : il n'a pas de séance collective." },
	{ "PARAMETRE_INVALIDE", 422,
	    "Un paramètre de la demande est invalide." },
	{ "ACTION_INTERDITE", 403,
	    "Vous n'avez pas le droit de faire cette action." },
	{ "RESERVATION_EXPIREE", 410,
	    "La réservation provisoire de ce créneau a expiré : choisissez à nouveau un créneau." },
	/* An emailed link (booking without an account, or managing that
	 * booking) used, expired or unknown: nothing tells which. */
	{ "LIEN_INVALIDE", 410,
	    "Ce lien n'est plus valable (déjà utilisé, expiré ou incomplet)." },
};

const char *
appt_code_name(enum appt_code c)
{
	if ((int)c < 0 || c >= APPT_CODE_COUNT)
		return NULL;
	return codes[c].name;
}

int
appt_code_parse(const char *s, enum appt_code *out)
{
	int i;

	if (s == NULL)
		return -1;
	for (i = 0; i < APPT_CODE_COUNT; i++) {
		if (strcmp(codes[i].name, s) == 0) {
			*out = (enum appt_code)i;
			return 0;
		}
	}
	return -1;
}

int
appt_code_status(enum appt_code c)
{
	if ((int)c < 0 || c >= APPT_CODE_COUNT)
		return 500;
	return codes[c].status;
}

const char *
appt_code_message(enum appt_code c)
{
	if ((int)c < 0 || c >= APPT_CODE_COUNT)
		return NULL;
	return codes[c].message;
}

int
appt_error_detail(const struct appt_error *e, char *buf, size_t n)
{
	if (e == NULL || (int)e->code < 0 || e->code >= APPT_CODE_COUNT)
		return -1;
	if (e->field != NULL && e->rule != NULL)
		return snprintf(buf, n, "Le champ « %s » %s.", e->field,
		    e->rule);
	return snprintf(buf, n, "%s", codes[e->code].message);
}

enum appt_code
appt_error_set(struct appt_error *e, enum appt_code code, const char *field,
    const char *rule)
{
	if (e != NULL) {
		e->code = code;
		e->field = field;
		e->rule = rule;
	}
	return code;
}
