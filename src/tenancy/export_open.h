/*
 * export_open.h - opens a client organisation's export archive into a
 * directory and checks it against its manifest: what
 * `creneau tenant-export-open` runs, and what a client's own tool would
 * do (docs/tenant-export.md).
 */
#ifndef CRENEAU_TENANCY_EXPORT_OPEN_H
#define CRENEAU_TENANCY_EXPORT_OPEN_H

#include <stddef.h>

/*
 * Decrypts the archive at path with pass (n bytes), or with the X25519
 * secret key sk (32 bytes; then pass is NULL) for an archive sealed for
 * a public key, into dir (created
 * 0700 if missing; it must hold none of the entries' names), one file
 * per entry, mode 0600, then checks that manifest.json lists every other
 * entry with its SHA-256 and size, and nothing more. *entries (may be
 * NULL) receives how many entries were written, manifest included.
 * Returns 0, or -1 with the reason in err (a wrong passphrase, an altered
 * or truncated archive, a checksum that differs); files already written
 * are left for the caller to inspect or remove.
 */
int export_open(const char *path, const char *pass, size_t n,
    const unsigned char *sk, const char *dir, long *entries, char *err,
    size_t errlen);

#endif
