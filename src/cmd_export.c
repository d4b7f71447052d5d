/* cmd_export.c - `creneau tenant-export-open FILE DIR` and
 * `creneau tenant-export-keygen KEYFILE`. */
#include "cmd_export.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "tenancy/export_archive.h"
#include "tenancy/export_open.h"

#define B64_KEY_MAX 64

const char usage_tenant_export_open[] =
    "usage: creneau tenant-export-open FILE DIR [--secret-key KEYFILE]\n"
    "\n"
    "Opens the export archive FILE of a client organisation and writes\n"
    "its files (manifest.json, one JSON file per entity, CSV for the\n"
    "people) into DIR, created if missing. The passphrase is read from\n"
    "the first line of standard input; an archive made for a public key\n"
    "opens with --secret-key KEYFILE (from tenant-export-keygen). Every\n"
    "file is checked against the SHA-256 the manifest lists. A wrong\n"
    "passphrase or key, an altered or truncated archive fail. No database\n"
    "is needed.\n";

const char usage_tenant_export_keygen[] =
    "usage: creneau tenant-export-keygen KEYFILE\n"
    "\n"
    "Makes an X25519 key pair for the export of a client organisation:\n"
    "the secret key goes to KEYFILE (base64, mode 0600, never\n"
    "overwritten), the public key (base64) to standard output, to give\n"
    "as \"public_key\" when asking for the export.\n";

/* Reads the base64 secret key in path into sk. Returns 0 or -1. */
static int
read_sk(const char *path, unsigned char sk[EXPORT_PUBLIC_KEY_BYTES])
{
	char text[B64_KEY_MAX + 2];
	size_t n = 0;
	FILE *f = fopen(path, "r");
	int rc = -1;

	if (f == NULL)
		return -1;
	if (fgets(text, sizeof(text), f) != NULL) {
		text[strcspn(text, "\r\n")] = '\0';
		rc = sodium_base642bin(sk, EXPORT_PUBLIC_KEY_BYTES, text,
			 strlen(text), NULL, &n, NULL,
			 sodium_base64_VARIANT_ORIGINAL) == 0 &&
			n == EXPORT_PUBLIC_KEY_BYTES
		    ? 0
		    : -1;
	}
	sodium_memzero(text, sizeof(text));
	fclose(f);
	return rc;
}

int
cmd_tenant_export_open(const struct config *cfg, int argc, char **argv)
{
	char pass[EXPORT_PASSPHRASE_MAX + 2], err[512];
	unsigned char sk[EXPORT_PUBLIC_KEY_BYTES];
	int have_sk = 0;
	size_t n = 0;
	long entries = 0;
	int rc;

	(void)cfg;
	if (argc == 4 && strcmp(argv[2], "--secret-key") == 0) {
		if (read_sk(argv[3], sk) != 0) {
			fprintf(stderr,
			    "tenant-export-open: %s: not a secret key\n",
			    argv[3]);
			return 1;
		}
		have_sk = 1;
	} else if (argc != 2) {
		fputs(usage_tenant_export_open, stderr);
		return 2;
	}
	pass[0] = '\0';
	if (!have_sk) {
		if (fgets(pass, sizeof(pass), stdin) == NULL) {
			fprintf(stderr,
			    "tenant-export-open: no passphrase on stdin\n");
			return 1;
		}
		n = strcspn(pass, "\r\n");
		pass[n] = '\0';
	}
	rc = export_open(argv[0], have_sk ? NULL : pass, n, have_sk ? sk : NULL,
	    argv[1], &entries, err, sizeof(err));
	sodium_memzero(pass, sizeof(pass));
	sodium_memzero(sk, sizeof(sk));
	if (rc != 0) {
		fprintf(stderr, "tenant-export-open: %s\n", err);
		return 1;
	}
	printf("%ld files written to %s, each checked against "
	       "manifest.json\n",
	    entries, argv[1]);
	return 0;
}

int
cmd_tenant_export_keygen(const struct config *cfg, int argc, char **argv)
{
	unsigned char pk[EXPORT_PUBLIC_KEY_BYTES], sk[EXPORT_PUBLIC_KEY_BYTES];
	char b64[B64_KEY_MAX];
	FILE *f;
	int fd, rc = 1;

	(void)cfg;
	if (argc != 1) {
		fputs(usage_tenant_export_keygen, stderr);
		return 2;
	}
	fd = open(argv[0], O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 || (f = fdopen(fd, "w")) == NULL) {
		fprintf(stderr, "tenant-export-keygen: %s: %s\n", argv[0],
		    strerror(errno));
		if (fd >= 0)
			close(fd);
		return 1;
	}
	crypto_box_keypair(pk, sk);
	sodium_bin2base64(b64, sizeof(b64), sk, sizeof(sk),
	    sodium_base64_VARIANT_ORIGINAL);
	if (fprintf(f, "%s\n", b64) > 0 && fclose(f) == 0) {
		sodium_bin2base64(b64, sizeof(b64), pk, sizeof(pk),
		    sodium_base64_VARIANT_ORIGINAL);
		printf("%s\n", b64);
		rc = 0;
	} else {
		fprintf(stderr, "tenant-export-keygen: %s: write failed\n",
		    argv[0]);
	}
	sodium_memzero(sk, sizeof(sk));
	sodium_memzero(b64, sizeof(b64));
	return rc;
}
