/*
 * codes.h - the stable error codes of RULES.md.
 *
 * Every refusal of the booking domain is one of these codes. Each has its
 * stable string (the `code` member of the problem document, the same as
 * RdvPermis' partner API), the HTTP status the API answers with, and a
 * French message a school employee understands. A message may hold the
 * placeholder "{date}", to be replaced by the caller with a date shown in
 * Europe/Paris time (ACTION_INTERDITE: when the slot opens; and
 * CANDIDAT_SOUS_PENALITE: when the waiting delay ends).
 *
 * Statuses: 404 for the *_INCONNU codes (and for what another school may
 * not see), 409 for a slot taken by someone else, 403 for ACTION_INTERDITE,
 * 422 for every other business refusal and for PARAMETRE_INVALIDE.
 */
#ifndef CRENEAU_BOOKING_CODES_H
#define CRENEAU_BOOKING_CODES_H

enum bk_code {
	BK_OK = 0,
	BK_CANDIDAT_INCONNU,
	BK_CANDIDAT_DEJA_SOUS_MANDAT,
	BK_CANDIDAT_DEJA_SOUS_MON_MANDAT,
	BK_CANDIDAT_PAS_SOUS_MANDAT,
	BK_CANDIDAT_OBLIGATOIRE,
	BK_CANDIDAT_DEJA_DANS_PANIER,
	BK_CANDIDAT_DEJA_INSCRIT,
	BK_CANDIDAT_EN_ATTENTE_DE_RESULTAT,
	BK_CANDIDAT_AYANT_DEJA_OBTENU_SON_EXAMEN,
	BK_CANDIDAT_SOUS_PENALITE,
	BK_CENTRE_INCONNU,
	BK_CRENEAU_INCONNU,
	BK_CRENEAU_DEJA_RESERVE,
	BK_CRENEAU_PAS_DANS_LE_PANIER,
	BK_PANIER_INCONNU,
	BK_PANIER_PLEIN,
	BK_PANIER_EXPIRE,
	BK_TROP_DE_CRENEAUX,
	BK_SEUIL_ATTEINT,
	BK_ACTION_INTERDITE,
	BK_EXAMEN_INCONNU,
	BK_EXAMEN_DEJA_ANNULE,
	BK_EXAMEN_NON_MODIFIABLE,
	BK_PERMUTATION_IMPOSSIBLE,
	BK_NOMBRE_DE_REMPLACEMENTS_AUTORISES_ATTEINT,
	BK_PARAMETRE_INVALIDE,
	BK_CODE_COUNT
};

/*
 * Returns the stable string of c ("SEUIL_ATTEINT"), "OK" for BK_OK, or
 * NULL for a value outside the enum. The string is static.
 */
const char *bk_code_name(enum bk_code c);

/*
 * Finds the code whose stable string is s (exact, case-sensitive). Returns
 * 0 and sets *out, or -1 when s names no code (s may be NULL).
 */
int bk_code_parse(const char *s, enum bk_code *out);

/* Returns the HTTP status of c: 200 for BK_OK, 404, 409, 403 or 422, and
 * 500 for a value outside the enum. */
int bk_code_status(enum bk_code c);

/*
 * Returns the French message template of c (static, UTF-8, may contain
 * "{date}"), or NULL for a value outside the enum.
 */
const char *bk_code_message(enum bk_code c);

#endif
