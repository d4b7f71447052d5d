/*
 * dossier.h - the rules of the encrypted dossiers (seed 002): a family or
 * a volunteer files a dossier with the documents the association's
 * configuration requires; a validator asks for more, validates or refuses
 * it. Documents are JWE JSON serialisations made in the person's browser:
 * the server holds ciphertext only, and destroys it once decided.
 *
 * States and who moves them:
 *   brouillon   -> soumis       the person, every required document there
 *   a_completer -> soumis       the person, likewise
 *   soumis      -> a_completer  a validator, with a comment
 *   soumis      -> valide       a validator
 *   soumis      -> refuse       a validator, with a comment
 * valide and refuse are final. Documents are added or removed only in
 * brouillon and a_completer, and read by validators only in soumis.
 *
 * Pure: no I/O, no clock.
 */
#ifndef CRENEAU_DOSSIERS_DOSSIER_H
#define CRENEAU_DOSSIERS_DOSSIER_H

#include <stddef.h>
#include <stdint.h>

enum dossier_kind { DOSSIER_FAMILY, DOSSIER_VOLUNTEER };

enum dossier_state {
	DOSSIER_BROUILLON,
	DOSSIER_SOUMIS,
	DOSSIER_A_COMPLETER,
	DOSSIER_VALIDE,
	DOSSIER_REFUSE
};

/* What a validator decides on a submitted dossier. */
enum dossier_decision {
	DECIDE_COMPLETE, /* à compléter */
	DECIDE_VALIDATE,
	DECIDE_REFUSE
};

/* Outcomes; each has a stable wire code (dossier_code_name). */
enum dossier_code {
	DOSSIER_OK = 0,
	DOSSIER_ETAT_INVALIDE, /* not allowed in the dossier's state */
	DOSSIER_PIECES_MANQUANTES, /* a required document is missing */
	DOSSIER_COMMENTAIRE_REQUIS, /* à compléter and refusal need one */
	DOSSIER_TYPE_INCONNU, /* document type the configuration lacks */
	DOSSIER_TROP_VOLUMINEUX, /* document above the size limit */
	DOSSIER_TROP_DE_PIECES, /* documents_max reached */
	DOSSIER_JWE_INVALIDE, /* not a JWE JSON serialisation as required */
	DOSSIER_DESTINATAIRES, /* recipients are not the keys in force */
	DOSSIER_CLE_INVALIDE /* validator public key refused */
};

#define DOSSIER_TYPES_MAX 8
#define DOSSIER_TYPE_MAX 48 /* a document type name, with its NUL */
#define DOSSIER_COMMENT_MAX 1000 /* bytes */
#define DOSSIER_FINGERPRINT_HEX 65 /* SHA-256 of the JWK, hex, NUL */

/* The association's configuration ([dossiers]). */
struct dossier_rules {
	char family_types[DOSSIER_TYPES_MAX][DOSSIER_TYPE_MAX];
	size_t family_count;
	char volunteer_types[DOSSIER_TYPES_MAX][DOSSIER_TYPE_MAX];
	size_t volunteer_count;
	long document_max_bytes; /* a JWE's length */
	long documents_max; /* per dossier */
};

/*
 * Fills r from the comma-separated lists of required document types of
 * each profile (names of [a-z0-9_], at most DOSSIER_TYPES_MAX each) and
 * the limits. Returns 0, or -1 when a list is malformed.
 */
int dossier_rules_init(struct dossier_rules *r, const char *family,
    const char *volunteer, long document_max_bytes, long documents_max);

/* Wire names ("family", "brouillon", "valide"...) and their parsers
 * (0 or -1). */
const char *dossier_kind_name(enum dossier_kind k);
int dossier_kind_parse(const char *s, enum dossier_kind *out);
const char *dossier_state_name(enum dossier_state s);
int dossier_state_parse(const char *s, enum dossier_state *out);
int dossier_decision_parse(const char *s, enum dossier_decision *out);

/* The stable code ("dossier_etat_invalide"...) and French detail of c. */
const char *dossier_code_name(enum dossier_code c);
const char *dossier_code_detail(enum dossier_code c);

/* 1 when the person may change the profile or its documents. */
int dossier_editable(enum dossier_state s);

/* Whether type is required of kind: 1 yes, 0 no. */
int dossier_type_known(const struct dossier_rules *r, enum dossier_kind kind,
    const char *type);

/*
 * May a document of type, len bytes, be added to a dossier of kind in
 * state s already holding count documents?
 */
enum dossier_code dossier_may_add(const struct dossier_rules *r,
    enum dossier_kind kind, enum dossier_state s, const char *type, size_t len,
    long count);

/*
 * May the person submit? types holds the types of the documents present
 * (n of them). On DOSSIER_PIECES_MANQUANTES, *missing names the first
 * required type absent.
 */
enum dossier_code dossier_may_submit(const struct dossier_rules *r,
    enum dossier_kind kind, enum dossier_state s, const char *const *types,
    size_t n, const char **missing);

/* A validator's decision d with comment (may be NULL or empty) on a
 * dossier in state s; *next receives the state it leads to. */
enum dossier_code dossier_decide(enum dossier_state s, enum dossier_decision d,
    const char *comment, enum dossier_state *next);

/* Whether decided state s destroys the documents (valide, refuse). */
int dossier_final(enum dossier_state s);

#endif
