/*
 * datamap.h - the declared data map: the processing register (GDPR Art.
 * 30(1)) read from config/datamap.ini.
 *
 * One INI file declares the controller, every processing activity, every
 * category of personal data, every retention rule and, for every column of
 * the schema, the category of data it holds (or `none`). The register
 * exports, and later the privacy policy page, the retention engine and the
 * access, portability and erasure code, all read this one map.
 *
 * Loading copies every string; the map owns them. Limits are hard: a file
 * that declares more than they allow is refused, never cut.
 */
#ifndef CRENEAU_DATAMAP_H
#define CRENEAU_DATAMAP_H

#include <stddef.h>

#include "store/columns.h"

#define DATAMAP_MAX_FILE_BYTES (256 * 1024)
#define DATAMAP_MAX_LINE 198 /* bytes; libinih cuts longer lines */
#define DATAMAP_MAX_VALUE 2048 /* bytes of one value, continuations joined */
#define DATAMAP_MAX_ID 63 /* bytes of a section id or column name */
#define DATAMAP_MAX_ACTIVITIES 32
#define DATAMAP_MAX_CATEGORIES 64
#define DATAMAP_MAX_RETENTIONS 32
#define DATAMAP_MAX_COLUMNS 1024
#define DATAMAP_MAX_LIST 16 /* ids in one comma list */
#define DATAMAP_MAX_DURATION 1200 /* days or months */
#define DATAMAP_MAX_CONSENTS 8 /* purposes that need consent */

/* The Art. 30(1) fields of an activity, in the order they are rendered. */
enum datamap_field {
	DATAMAP_NAME,
	DATAMAP_PURPOSES,
	DATAMAP_LEGAL_BASIS,
	DATAMAP_DATA_SUBJECTS,
	DATAMAP_DATA_CATEGORIES,
	DATAMAP_RECIPIENTS,
	DATAMAP_PROCESSORS,
	DATAMAP_TRANSFERS,
	DATAMAP_RETENTION,
	DATAMAP_SECURITY_MEASURES,
	DATAMAP_NFIELDS
};

enum datamap_kind {
	DATAMAP_KIND_TIME, /* a fixed time after the data is recorded */
	DATAMAP_KIND_EVENT, /* until an event, then an optional delay */
	DATAMAP_KIND_INACTIVITY, /* after a period without activity */
	DATAMAP_KIND_LEGAL_HOLD, /* kept by law; erasure respects it */
};

enum datamap_unit { DATAMAP_DAYS, DATAMAP_MONTHS };

struct datamap_duration {
	int set; /* 0 when the key is absent */
	int value; /* 0 only for an event's delay ("right after") */
	enum datamap_unit unit;
};

struct datamap_controller {
	char *name, *address, *contact, *dpo;
};

struct datamap_activity {
	char *id;
	char *field[DATAMAP_NFIELDS]; /* raw text, NULL when absent */
	char *categories[DATAMAP_MAX_LIST]; /* data_categories, split */
	size_t ncategories;
	char *bases[DATAMAP_MAX_LIST]; /* legal_basis, split: "6.1.b" */
	size_t nbases;
	/* org_kinds: the kinds of client organisation the activity is
	 * carried out for (their own registers list it); none: every kind. */
	char *org_kinds_text;
	char *org_kinds[DATAMAP_MAX_LIST];
	size_t norg_kinds;
};

struct datamap_category {
	char *id, *label, *retention;
	int sensitive; /* -1 when absent */
};

struct datamap_retention {
	char *id, *label, *event;
	char *event_label; /* the event in French, for people: « la clôture
			    * du dossier » */
	int kind; /* enum datamap_kind, -1 when absent */
	struct datamap_duration duration; /* period, or delay after event */
	struct datamap_duration grace; /* inactivity: warning to deletion */
	struct datamap_duration max_duration; /* event: ceiling from creation */
	struct datamap_duration idle; /* event: a file left without activity
					 that long is closed (the event) */
	/* time: the range a client organisation may choose its own period
	 * in (tenant settings); unset when it may not choose. */
	struct datamap_duration tenant_min, tenant_max;
};

struct datamap_column {
	char *name; /* "table.column" */
	char *category; /* a category id, or "none" */
};

/* [policy]: the human numbering of the privacy policy; the policy's
 * identity is the hash of its text (gdpr/policy.h). Both optional. */
struct datamap_policy {
	char *version; /* "1.0" */
	char *date; /* in force since, YYYY-MM-DD */
};

/* [consent:<id>]: a purpose that needs the person's consent (Art. 6.1.a),
 * given and withdrawn in the consent ledger (gdpr/consent.h). */
struct datamap_consent {
	char *id, *label, *description;
};

struct datamap {
	struct datamap_controller controller;
	struct datamap_activity activities[DATAMAP_MAX_ACTIVITIES];
	size_t nactivities;
	struct datamap_category categories[DATAMAP_MAX_CATEGORIES];
	size_t ncategories;
	struct datamap_retention retentions[DATAMAP_MAX_RETENTIONS];
	size_t nretentions;
	struct datamap_column columns[DATAMAP_MAX_COLUMNS];
	size_t ncolumns;
	struct datamap_policy policy;
	struct datamap_consent consents[DATAMAP_MAX_CONSENTS];
	size_t nconsents;
};

/*
 * Reads the INI file at path into a new map. Refuses (NULL, with a
 * one-line message "datamap: ..." in err naming the section and key, or the
 * line) a file that cannot be read, is over DATAMAP_MAX_FILE_BYTES, has a
 * line over DATAMAP_MAX_LINE bytes, an unknown section or key, a value that
 * does not parse (kind, sensitive, duration, legal basis, id list), or more
 * entries than the limits. An indented line continues the previous value.
 * It does not check completeness or references: call datamap_validate().
 * The caller frees the map with datamap_free().
 */
struct datamap *datamap_load(const char *path, char *err, size_t errlen);

/* Whether activity a is carried out for organisations of kind kind (its
 * org_kinds lists it, or it has none). */
int datamap_activity_for_kind(const struct datamap_activity *a,
    const char *kind);

/*
 * Same as datamap_load() over text of len bytes held in memory.
 */
struct datamap *datamap_parse(const char *text, size_t len, char *err,
    size_t errlen);

/*
 * Checks that the map is complete and coherent: the controller keys and
 * every activity field are present and non-empty, every referenced
 * category and retention rule exists, every category is used by an
 * activity, an activity handling a sensitive category has an Art. 9 basis,
 * every retention rule has what its kind needs. Returns 0, or -1 with a
 * one-line message naming the section and key in err.
 */
int datamap_validate(const struct datamap *map, char *err, size_t errlen);

/*
 * Checks [columns] against the schema declaration (src/store/columns.c):
 * every declared column appears, a COL_NONE column maps to `none`, any
 * other to an existing category, and no entry names a column that does not
 * exist. Returns 0, or -1 with a one-line message in err.
 */
int datamap_check_columns(const struct datamap *map,
    const struct column_decl *cols, size_t ncols, char *err, size_t errlen);

/* Releases the map and every string it holds. datamap_free(NULL) does
 * nothing. */
void datamap_free(struct datamap *map);

/* Looks an entry up by id. Returns it, or NULL when there is none. */
const struct datamap_category *datamap_category_find(const struct datamap *map,
    const char *id);
const struct datamap_retention *datamap_retention_find(const struct datamap
							   *map,
    const char *id);

/* The [consent:<id>] purpose, or NULL when there is none. */
const struct datamap_consent *datamap_consent_find(const struct datamap *map,
    const char *id);

/* The INI key of an activity field ("legal_basis"), and its French label
 * ("Base légale"). Static strings. */
const char *datamap_field_key(enum datamap_field f);
const char *datamap_field_label(enum datamap_field f);

/* The INI name of a kind ("legal_hold"). A static string. */
const char *datamap_kind_name(int kind);

/* The French text of a legal basis code such as "6.1.b" ("Art. 6.1.b RGPD
 * : exécution d'un contrat..."), or NULL for an unknown code. */
const char *datamap_basis_label(const char *code);

/*
 * Writes into out (size n) a French sentence describing the rule, such as
 * "12 mois après l'enregistrement". Returns 0, or -1 when it does not fit
 * (out then holds a cut but terminated text).
 */
int datamap_retention_describe(const struct datamap_retention *r, char *out,
    size_t n);

#endif
