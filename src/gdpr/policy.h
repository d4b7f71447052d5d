/*
 * policy.h - the privacy policy (GDPR Art. 12-14), generated from the data
 * map so that the text shown to people cannot drift from what the software
 * does (PRIVACY.md, section 1).
 *
 * The policy tells, in French: who the controller and the DPO are; for
 * each processing activity its purposes, legal basis, data, recipients,
 * processors, transfers and retention; the purposes that need consent;
 * the rights and how to exercise them (the person's space in the app, the
 * DPO, a complaint to the CNIL); the only two cookies, both strictly
 * necessary.
 *
 * Its identity is its content: the version is the human numbering of the
 * map's [policy] section (if any) and a hash of the rendered sections, so
 * any change to what the policy says gives a new version, which people
 * are then asked to acknowledge (gdpr/consent.h).
 */
#ifndef CRENEAU_POLICY_H
#define CRENEAU_POLICY_H

#include <stddef.h>

#include <jansson.h>

#include "core/buf.h"
#include "gdpr/datamap.h"

#define POLICY_MAX_BYTES (512 * 1024) /* ceiling of the rendered page */
#define POLICY_HASH_BYTES 8 /* of BLAKE2b, shown as 16 hex digits */
#define POLICY_VERSION_MAX 96 /* "<human>+<16 hex>" and a NUL */
#define POLICY_HUMAN_MAX 63 /* bytes of [policy] version kept */

/* The cookies the product sets, named in the policy. */
#define POLICY_SESSION_COOKIE "__Host-creneau"
#define POLICY_XSRF_COOKIE "XSRF-TOKEN"

/*
 * The policy's sections as a new JSON array (the caller releases it):
 * each {"id", "title", "paragraphs": [text...], "entries": [{"label",
 * "text", "href"?}...]}. NULL when out of memory.
 */
json_t *policy_sections(const struct datamap *m);

/*
 * Renders the policy of m as a self-contained French HTML page into out
 * (ceiling POLICY_MAX_BYTES): every text escaped, no script, no inline
 * style, a CSP meta refusing everything. version (may be NULL) receives
 * the policy's version. Returns 0, or -1 (too big, out of memory).
 */
int policy_render_html(const struct datamap *m, struct buf *out,
    char version[POLICY_VERSION_MAX]);

/*
 * Writes the version of m's policy into version: "<[policy] version>+<16
 * hex digits of the hash of the rendered sections>", or only the hash
 * when the map numbers no version. Returns 0 or -1.
 */
int policy_version(const struct datamap *m, char version[POLICY_VERSION_MAX]);

/*
 * The policy as a new JSON object (the caller releases it): "version",
 * "human_version" and "date" (null when the map has none), "sections".
 * NULL when out of memory.
 */
json_t *policy_json(const struct datamap *m);

#endif
