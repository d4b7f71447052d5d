/*
 * dossier_rows.h - row readers the dossier store files share (inside
 * src/store/ only).
 */
#ifndef CRENEAU_STORE_DOSSIER_ROWS_H
#define CRENEAU_STORE_DOSSIER_ROWS_H

#include <stddef.h>

#include "store/driver.h"

/* The first text column of the first row, copied (malloc'ed; s NULL when
 * no row or SQL NULL). */
struct dossier_text {
	const struct store_driver *drv;
	char *s;
	size_t len;
};

/* A store_row_fn filling a struct dossier_text. */
int dossier_text_row(void *arg, const struct store_row *r);

#endif
