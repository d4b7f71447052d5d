/* demo.c - the table of per-module demo loaders. */
#include "demo.h"

#include <stdio.h>

struct demo_loader {
	const char *module;
	int (*load)(struct store *st, FILE *out, char *err, size_t errlen);
};

/*
 * Modules with demo data register here (identity: accounts; booking:
 * centres, slots, schools, candidates). The foundation has none of its
 * own: the schema it creates holds no business data.
 */
static const struct demo_loader loaders[] = {
	{ NULL, NULL },
};

int
demo_load(struct store *st, FILE *out, char *err, size_t errlen)
{
	size_t i;

	for (i = 0; loaders[i].module != NULL; i++) {
		if (loaders[i].load(st, out, err, errlen) != 0)
			return -1;
		fprintf(out, "demo-data: %s loaded\n", loaders[i].module);
	}
	return 0;
}
