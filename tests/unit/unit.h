/* unit.h - small helpers shared by unit tests. */
#ifndef CRENEAU_UNIT_H
#define CRENEAU_UNIT_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Makes a fresh temporary directory in dir (size n). Returns 0 or -1. */
static inline int
unit_tmpdir(char *dir, size_t n)
{
	snprintf(dir, n, "/tmp/creneau-unit-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static inline int
unit_rm_entry(const char *p, const struct stat *sb, int f, struct FTW *w)
{
	(void)sb;
	(void)f;
	(void)w;
	return remove(p);
}

/* Removes dir and everything under it. */
static inline void
unit_rmdir(const char *dir)
{
	nftw(dir, unit_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Appends s to the NUL-terminated text in dst (size bytes), cutting it if
 * it would not fit: the tests' bounded strcat. */
static inline void
unit_append(char *dst, size_t size, const char *s)
{
	size_t have = strlen(dst), n = strlen(s);

	if (have + 1 >= size)
		return;
	if (n > size - have - 1)
		n = size - have - 1;
	memcpy(dst + have, s, n);
	dst[have + n] = '\0';
}

#endif
