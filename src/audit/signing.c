/* signing.c - the Ed25519 key that signs audit checkpoints. It lives in
 * a file outside the database, so rewriting the database cannot forge a
 * checkpoint. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "audit/audit.h"

#define SK_HEX (crypto_sign_SECRETKEYBYTES * 2)

static int
create_key(const char *path, unsigned char sk[64], unsigned char pk[32],
    char *err, size_t errlen)
{
	char hex[SK_HEX + 2];
	int fd;
	ssize_t w;

	crypto_sign_keypair(pk, sk);
	sodium_bin2hex(hex, sizeof(hex), sk, crypto_sign_SECRETKEYBYTES);
	hex[SK_HEX] = '\n';
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(err, errlen,
		    "[audit] signing_key_file: cannot create: %s",
		    strerror(errno));
		sodium_memzero(hex, sizeof(hex));
		return -1;
	}
	w = write(fd, hex, SK_HEX + 1);
	sodium_memzero(hex, sizeof(hex));
	if (w != SK_HEX + 1 || fsync(fd) != 0) {
		close(fd);
		unlink(path);
		snprintf(err, errlen, "[audit] signing_key_file: cannot write");
		return -1;
	}
	close(fd);
	return 0;
}

int
audit_signing_key(const char *path, int create, unsigned char sk[64],
    unsigned char pk[32], char *err, size_t errlen)
{
	char hex[SK_HEX + 4];
	struct stat sb;
	size_t binlen;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 && errno == ENOENT && create)
		return create_key(path, sk, pk, err, errlen);
	if (fd < 0) {
		snprintf(err, errlen, "[audit] signing_key_file: %s",
		    strerror(errno));
		return -1;
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    (sb.st_mode & 077) != 0) {
		close(fd);
		snprintf(err, errlen,
		    "[audit] signing_key_file: must be a regular file readable "
		    "by its owner only (chmod 600)");
		return -1;
	}
	n = read(fd, hex, sizeof(hex) - 1);
	close(fd);
	if (n < SK_HEX) {
		sodium_memzero(hex, sizeof(hex));
		snprintf(err, errlen, "[audit] signing_key_file: malformed");
		return -1;
	}
	hex[n] = '\0';
	if (sodium_hex2bin(sk, crypto_sign_SECRETKEYBYTES, hex, SK_HEX, NULL,
		&binlen, NULL) != 0 ||
	    binlen != crypto_sign_SECRETKEYBYTES) {
		sodium_memzero(hex, sizeof(hex));
		snprintf(err, errlen, "[audit] signing_key_file: malformed");
		return -1;
	}
	sodium_memzero(hex, sizeof(hex));
	crypto_sign_ed25519_sk_to_pk(pk, sk);
	return 0;
}
