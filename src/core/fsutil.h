/*
 * fsutil.h - small file-system helpers shared by the store, the keys and
 * the backups: directory of a path, creating private directories.
 */
#ifndef CRENEAU_FSUTIL_H
#define CRENEAU_FSUTIL_H

#include <stddef.h>

/* Writes the directory part of path into dir (size n): "." when path has
 * no '/', "/" for a file at the root. Returns 0, or -1 if it does not
 * fit. */
int fs_dir_of(const char *path, char *dir, size_t n);

/* Creates dir and each missing parent, mode 0700 (existing ones are left
 * as they are). Returns 0, or -1 with the directory at fault in err. */
int fs_mkdirs(const char *dir, char *err, size_t errlen);

/* Creates the missing parent directories of the file path, mode 0700.
 * Returns 0 or -1 as fs_mkdirs. */
int fs_mkdirs_for(const char *path, char *err, size_t errlen);

/* Reads the first line of file path (a secret: a password, a token) into
 * out, without its line end. Returns 0, or -1 with errno set. */
int fs_read_secret(const char *path, char *out, size_t outlen);

#endif
