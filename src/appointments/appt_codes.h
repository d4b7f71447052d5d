/*
 * appt_codes.h - the stable refusal codes of the appointments module
 * (seed 001, RDV-Solidarités), their HTTP statuses and French messages.
 *
 * Every refusal of the appointments rules, services and handlers is one of
 * these codes. The stable string is the `code` member of the problem
 * document; the message is its default French `detail`. Statuses: 404 for
 * the *_INCONNU / *_INCONNUE codes (and for what another organisation may
 * not see), 409 when someone else took the time first (CRENEAU_DEJA_PRIS,
 * LIEU_COMPLET, CAPACITE_ATTEINTE) or when a plage would overlap another
 * plage of its agent (PLAGE_CHEVAUCHEMENT), 403 for ACTION_INTERDITE, 410 for
 * RESERVATION_EXPIREE, 422 for every other refusal and for
 * PARAMETRE_INVALIDE.
 *
 * The order of the enum is not part of the contract (store the string,
 * never the number); new codes go before APPT_CODE_COUNT.
 */
#ifndef CRENEAU_APPT_CODES_H
#define CRENEAU_APPT_CODES_H

#include <stddef.h>

enum appt_code {
	APPT_OK = 0,
	/* Unknown (or not visible to the caller's organisation): 404. */
	APPT_ORGANISATION_INCONNUE,
	APPT_SERVICE_INCONNU,
	APPT_LIEU_INCONNU,
	APPT_AGENT_INCONNU,
	APPT_MOTIF_INCONNU,
	APPT_PLAGE_INCONNUE,
	APPT_ABSENCE_INCONNUE,
	APPT_USAGER_INCONNU,
	APPT_PROCHE_INCONNU,
	APPT_RDV_INCONNU,
	APPT_CRENEAU_INCONNU,
	/* Taken by someone else: 409. */
	APPT_CRENEAU_DEJA_PRIS,
	APPT_LIEU_COMPLET,
	APPT_CAPACITE_ATTEINTE,
	APPT_PLAGE_CHEVAUCHEMENT,
	/* Business refusals: 422. */
	APPT_HORS_PLAGE_OUVERTURE,
	APPT_AGENT_INDISPONIBLE,
	APPT_USAGER_DEJA_EN_RDV,
	APPT_USAGER_DEJA_INSCRIT,
	APPT_DELAI_MINIMUM_NON_RESPECTE,
	APPT_DELAI_MAXIMUM_DEPASSE,
	APPT_ANNULATION_TROP_TARDIVE,
	APPT_MODIFICATION_TROP_TARDIVE,
	APPT_RDV_PASSE,
	APPT_RDV_NON_COMMENCE,
	APPT_RDV_DEJA_ANNULE,
	APPT_TRANSITION_INTERDITE,
	APPT_MOTIF_NON_RESERVABLE_EN_LIGNE,
	APPT_MOTIF_COLLECTIF,
	APPT_MOTIF_INDIVIDUEL,
	APPT_PARAMETRE_INVALIDE,
	/* 403 and 410. */
	APPT_ACTION_INTERDITE,
	APPT_RESERVATION_EXPIREE,
	APPT_LIEN_INVALIDE,
	APPT_CODE_COUNT
};

/*
 * A refusal that names the field at fault: code (APPT_PARAMETRE_INVALIDE
 * for a validation), field (static, the JSON member name, e.g.
 * "every_weeks" or "exceptions[3]"; NULL when no field is at fault) and
 * rule (static French text, e.g. "doit être compris entre 1 et 52").
 * Validators fill it; the caller owns the struct.
 */
struct appt_error {
	enum appt_code code;
	const char *field;
	const char *rule;
};

/* Returns the stable string of c ("CRENEAU_DEJA_PRIS"), "OK" for APPT_OK,
 * or NULL for a value outside the enum. The string is static. */
const char *appt_code_name(enum appt_code c);

/* Finds the code whose stable string is s (exact, case-sensitive).
 * Returns 0 and sets *out, or -1 when s names no code (s may be NULL). */
int appt_code_parse(const char *s, enum appt_code *out);

/* Returns the HTTP status of c: 200 for APPT_OK, 403, 404, 409, 410 or
 * 422, and 500 for a value outside the enum. */
int appt_code_status(enum appt_code c);

/* Returns the French message of c (static, UTF-8), or NULL for a value
 * outside the enum. */
const char *appt_code_message(enum appt_code c);

/*
 * Writes the French detail of e into buf (size n, NUL-terminated, cut if
 * too short): « Le champ « field » rule. » when e names a field and a
 * rule, else the code's message. Returns the length the full text needs
 * (like snprintf), or -1 when e is NULL or its code is outside the enum.
 */
int appt_error_detail(const struct appt_error *e, char *buf, size_t n);

/* Sets *e to code with field and rule (static strings, may be NULL) and
 * returns code: `return appt_error_set(err, APPT_PARAMETRE_INVALIDE,
 * "start", "...")`. e may be NULL (then only returns code). */
enum appt_code appt_error_set(struct appt_error *e, enum appt_code code,
    const char *field, const char *rule);

#endif
