/* export_open.c - an export archive opened into a directory and checked
 * against its manifest. */
#include "tenancy/export_open.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "tenancy/export_archive.h"

#define OPEN_ENTRIES_MAX 1024
#define MANIFEST_MAX (4 * 1024 * 1024)

struct seen {
	char name[EXPORT_NAME_MAX + 1];
	char sha[65];
	unsigned long long bytes;
};

struct open_arg {
	const char *dir;
	FILE *f;
	crypto_hash_sha256_state h;
	unsigned long long bytes;
	struct seen *seen;
	size_t n;
	char *manifest; /* manifest.json kept in memory too */
	size_t mlen;
	int is_manifest;
	char *err;
	size_t errlen;
};

static int
entry(void *arg, const char *name, const void *p, size_t n, int last)
{
	struct open_arg *x = arg;
	unsigned char d[crypto_hash_sha256_BYTES];
	char path[4096];
	int fd;

	if (p == NULL && !last) { /* begin */
		if (x->n == OPEN_ENTRIES_MAX) {
			snprintf(x->err, x->errlen, "too many entries");
			return -1;
		}
		snprintf(path, sizeof(path), "%s/%s", x->dir, name);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0 || (x->f = fdopen(fd, "wb")) == NULL) {
			snprintf(x->err, x->errlen, "%s: %s", path,
			    strerror(errno));
			if (fd >= 0)
				close(fd);
			return -1;
		}
		crypto_hash_sha256_init(&x->h);
		x->bytes = 0;
		x->is_manifest = strcmp(name, "manifest.json") == 0;
		return 0;
	}
	if (!last) {
		if (fwrite(p, 1, n, x->f) != n) {
			snprintf(x->err, x->errlen, "%s: write failed", name);
			return -1;
		}
		crypto_hash_sha256_update(&x->h, p, n);
		x->bytes += n;
		if (x->is_manifest) {
			char *m;

			if (x->mlen + n > MANIFEST_MAX ||
			    (m = realloc(x->manifest, x->mlen + n + 1)) ==
				NULL) {
				snprintf(x->err, x->errlen,
				    "manifest too large");
				return -1;
			}
			memcpy(m + x->mlen, p, n);
			x->mlen += n;
			m[x->mlen] = '\0';
			x->manifest = m;
		}
		return 0;
	}
	if (fclose(x->f) != 0) {
		x->f = NULL;
		snprintf(x->err, x->errlen, "%s: write failed", name);
		return -1;
	}
	x->f = NULL;
	crypto_hash_sha256_final(&x->h, d);
	snprintf(x->seen[x->n].name, sizeof(x->seen[x->n].name), "%s", name);
	sodium_bin2hex(x->seen[x->n].sha, 65, d, sizeof(d));
	x->seen[x->n].bytes = x->bytes;
	x->n++;
	return 0;
}

/* Every entry but the manifest is listed with its checksum and size,
 * and every listed file was found. */
static int
check(struct open_arg *x)
{
	json_t *m, *ent, *file;
	size_t i, j, k, listed = 0, found;
	json_error_t je;
	int rc = -1;

	if (x->manifest == NULL) {
		snprintf(x->err, x->errlen, "no manifest.json in the archive");
		return -1;
	}
	if (x->n == 0 || strcmp(x->seen[x->n - 1].name, "manifest.json") != 0) {
		snprintf(x->err, x->errlen, "manifest.json is not last");
		return -1;
	}
	if ((m = json_loads(x->manifest, 0, &je)) == NULL) {
		snprintf(x->err, x->errlen, "manifest.json: %s", je.text);
		return -1;
	}
	json_array_foreach (json_object_get(m, "entities"), i, ent) {
		json_array_foreach (json_object_get(ent, "files"), j, file) {
			const char *name =
			    json_string_value(json_object_get(file, "name"));
			const char *sha =
			    json_string_value(json_object_get(file, "sha256"));
			json_int_t bytes =
			    json_integer_value(json_object_get(file, "bytes"));

			listed++;
			for (k = 0, found = 0; k + 1 < x->n && !found; k++)
				found = name != NULL && sha != NULL &&
				    strcmp(x->seen[k].name, name) == 0;
			if (!found) {
				snprintf(x->err, x->errlen,
				    "manifest lists %s, not in the archive",
				    name ? name : "(no name)");
				goto done;
			}
			k--;
			if (strcmp(x->seen[k].sha, sha) != 0 ||
			    x->seen[k].bytes != (unsigned long long)bytes) {
				snprintf(x->err, x->errlen,
				    "%s: checksum or size differs from the "
				    "manifest",
				    name);
				goto done;
			}
		}
	}
	if (listed != x->n - 1) {
		snprintf(x->err, x->errlen,
		    "the archive holds %zu entries the manifest does not list",
		    x->n - 1 - listed);
		goto done;
	}
	rc = 0;
done:
	json_decref(m);
	return rc;
}

int
export_open(const char *path, const char *pass, size_t n,
    const unsigned char *sk, const char *dir, long *entries, char *err,
    size_t errlen)
{
	struct open_arg x;
	FILE *in;
	int rc = -1;

	memset(&x, 0, sizeof(x));
	x.dir = dir;
	x.err = err;
	x.errlen = errlen;
	if (entries != NULL)
		*entries = 0;
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	if ((in = fopen(path, "rb")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	x.seen = calloc(OPEN_ENTRIES_MAX, sizeof(*x.seen));
	if (x.seen == NULL)
		snprintf(err, errlen, "out of memory");
	else if ((sk != NULL ? export_read_sk(in, sk, entry, &x, err, errlen)
			     : export_read(in, pass, n, entry, &x, err,
				   errlen)) == 0)
		rc = check(&x);
	if (x.f != NULL)
		fclose(x.f);
	fclose(in);
	if (entries != NULL)
		*entries = (long)x.n;
	free(x.seen);
	free(x.manifest);
	return rc;
}
