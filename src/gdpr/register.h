/*
 * register.h - the Art. 30 processing register rendered from the data map
 * (gdpr/datamap.h) as JSON, CSV or HTML.
 *
 * Every output is built whole in memory under REGISTER_MAX_BYTES and only
 * then handed over, so a failure never leaves half a register behind.
 */
#ifndef CRENEAU_REGISTER_H
#define CRENEAU_REGISTER_H

#include <stddef.h>
#include <stdio.h>

#include "core/buf.h"
#include "gdpr/datamap.h"

#define REGISTER_MAX_BYTES (4 * 1024 * 1024)

enum register_format { REGISTER_JSON, REGISTER_CSV, REGISTER_HTML };

/* Reads "json", "csv" or "html" into *fmt. Returns 0, or -1 for any other
 * name. */
int register_format_parse(const char *name, enum register_format *fmt);

/*
 * Appends the register of a validated map to out, in the given format:
 * JSON (UTF-8, the controller, every activity with its categories and
 * retention rule expanded, every category and rule), CSV (RFC 4180: CRLF,
 * fields quoted when they hold a comma, quote or line break, one header
 * row then one row per activity) or HTML (a complete French page, every
 * text escaped, no script, no style attribute, one table per activity).
 * Returns 0, or -1 with a message in err (out may then hold part of it;
 * the caller owns and frees out either way). A map that has not passed
 * datamap_validate() renders missing references as empty.
 */
int register_render(const struct datamap *map, enum register_format fmt,
    struct buf *out, char *err, size_t errlen);

/*
 * Renders as register_render() and writes the whole text to f. Returns 0,
 * or -1 with a message in err when rendering or writing fails.
 */
/*
 * A client organisation as its own register names it (Art. 30(1): it is
 * the controller; the operator, the map's [controller], is its
 * processor). Texts may be NULL. retention: the organisation's choices,
 * a JSON object rule -> value in the rule's unit (tenant settings), or
 * NULL.
 */
struct register_tenant {
	const char *name, *kind, *contact, *dpo, *retention;
};

/* Renders org t's register: the activities of map carried out for its
 * kind, t as controller, the operator as processor of each, its retention
 * choices in place of the product's periods. Returns 0 or -1 (err). */
int register_render_tenant(const struct datamap *map,
    const struct register_tenant *t, enum register_format fmt, struct buf *out,
    char *err, size_t errlen);

/* A client organisation in the operator's processor register. */
struct register_client {
	const char *org_id, *name, *kind, *state, *contact, *dpo;
};

/*
 * Renders the operator's register as processor (Art. 30(2)): the
 * operator (map's [controller]) and its DPO; each client organisation
 * (controller), its contact and DPO, and the categories of processing
 * carried out for it (the activities for its kind); transfers and the
 * security measures of each activity. Returns 0 or -1 (err).
 */
int register_render_processor(const struct datamap *map,
    const struct register_client *clients, size_t n, enum register_format fmt,
    struct buf *out, char *err, size_t errlen);

int register_write(const struct datamap *map, enum register_format fmt, FILE *f,
    char *err, size_t errlen);

/*
 * The `creneau register export` command in one call: loads the map at
 * map_path, validates it, checks it against every column of the schema
 * (src/store/columns.c), then writes the register in format ("json", "csv"
 * or "html") to out. Returns 0, or -1 with a one-line message in err and
 * nothing written.
 */
int register_export(const char *map_path, const char *format, FILE *out,
    char *err, size_t errlen);

#endif
