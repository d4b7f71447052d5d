/* cmd_tenant_cert.c - `creneau tenant-certificate-verify`. */
#include "cmd_tenant_cert.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "audit/audit.h"
#include "tenancy/deletion_cert.h"

/* A certificate is a few kilobytes; anything larger is not one. */
#define CERT_FILE_MAX (256 * 1024)

const char usage_tenant_certificate_verify[] =
    "usage: creneau [--config FILE] tenant-certificate-verify CERT\n"
    "           [--public-key HEX]\n"
    "       creneau [--config FILE] tenant-certificate-verify "
    "--print-public-key\n"
    "\n"
    "Checks the Ed25519 signature of a client organisation's deletion\n"
    "certificate (GET /api/v1/tenants/{org}/deletion-certificate) against\n"
    "the instance's signing key ([audit] signing_key_file), or against\n"
    "the public key HEX given (where the key file is not at hand).\n"
    "--print-public-key prints the instance's public key (hex), to hand\n"
    "over with the certificate. Exits 0 when the signature holds, 1 when\n"
    "it does not.\n";

static int
instance_pk(const struct config *cfg, unsigned char pk[32])
{
	unsigned char sk[64];
	char err[512];
	int rc = audit_signing_key(cfg->audit_signing_key_file, 0, sk, pk, err,
	    sizeof(err));

	sodium_memzero(sk, sizeof(sk));
	if (rc != 0)
		fprintf(stderr, "creneau: tenant-certificate-verify: %s\n",
		    err);
	return rc;
}

static char *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;

	if (f == NULL)
		return NULL;
	if ((buf = malloc(CERT_FILE_MAX + 1)) == NULL) {
		fclose(f);
		return NULL;
	}
	*len = fread(buf, 1, CERT_FILE_MAX + 1, f);
	fclose(f);
	if (*len > CERT_FILE_MAX) {
		free(buf);
		return NULL;
	}
	buf[*len] = '\0';
	return buf;
}

int
cmd_tenant_certificate_verify(const struct config *cfg, int argc, char **argv)
{
	unsigned char pk[32];
	char hex[65], why[256], *text;
	size_t len = 0, got = 0;
	int rc;

	if (argc == 1 && strcmp(argv[0], "--print-public-key") == 0) {
		if (instance_pk(cfg, pk) != 0)
			return 1;
		sodium_bin2hex(hex, sizeof(hex), pk, sizeof(pk));
		printf("%s\n", hex);
		return 0;
	}
	if (!(argc == 1 ||
		(argc == 3 && strcmp(argv[1], "--public-key") == 0))) {
		fputs(usage_tenant_certificate_verify, stderr);
		return 2;
	}
	if (argc == 3) {
		if (strlen(argv[2]) != 64 ||
		    sodium_hex2bin(pk, sizeof(pk), argv[2], 64, NULL, &got,
			NULL) != 0 ||
		    got != sizeof(pk)) {
			fprintf(stderr,
			    "creneau: tenant-certificate-verify: --public-key:"
			    " expected 64 hex digits\n");
			return 2;
		}
	} else if (instance_pk(cfg, pk) != 0) {
		return 1;
	}
	if ((text = read_file(argv[0], &len)) == NULL) {
		fprintf(stderr,
		    "creneau: tenant-certificate-verify: %s: cannot read (or"
		    " larger than %d bytes)\n",
		    argv[0], CERT_FILE_MAX);
		return 1;
	}
	rc = deletion_cert_verify(text, len, pk, why, sizeof(why));
	free(text);
	if (rc != 0) {
		fprintf(stderr, "creneau: tenant-certificate-verify: %s\n",
		    rc < 0 ? "out of memory" : why);
		return 1;
	}
	printf("certificate: signature valid\n");
	return 0;
}
