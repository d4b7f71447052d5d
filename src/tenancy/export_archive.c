/* export_archive.c - the encrypted container of a client organisation's
 * export: writer and reader (format in export_archive.h). */
#include "tenancy/export_archive.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#define SS crypto_secretstream_xchacha20poly1305
#define SS_ABYTES crypto_secretstream_xchacha20poly1305_ABYTES
#define SS_HEADERBYTES crypto_secretstream_xchacha20poly1305_HEADERBYTES

_Static_assert(EXPORT_BOX_BYTES == crypto_box_SEALBYTES + EXPORT_KEY_BYTES,
    "sealed box size");
_Static_assert(EXPORT_PUBLIC_KEY_BYTES == crypto_box_PUBLICKEYBYTES &&
	EXPORT_PUBLIC_KEY_BYTES == crypto_box_SECRETKEYBYTES,
    "X25519 key size");

struct export_writer {
	FILE *out;
	crypto_secretstream_xchacha20poly1305_state st;
	unsigned char header[EXPORT_HEADER_MAX];
	size_t header_len;
	int first; /* the next chunk is the first: header as its AD */
	unsigned char buf[EXPORT_CHUNK];
	size_t len;
	unsigned char ct[EXPORT_CHUNK + SS_ABYTES];
	uint64_t written;
	int open; /* an entry is open */
	crypto_hash_sha256_state sha;
	uint64_t entry_bytes;
	int failed;
};

static void
put_be(unsigned char *p, uint64_t v, int n)
{
	int i;

	for (i = n - 1; i >= 0; i--) {
		p[i] = (unsigned char)(v & 0xff);
		v >>= 8;
	}
}

static uint64_t
get_be(const unsigned char *p, int n)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < n; i++)
		v = (v << 8) | p[i];
	return v;
}

void
export_kdf_new(struct export_kdf *k)
{
	memset(k, 0, sizeof(*k));
	k->mode = EXPORT_KDF_ARGON2ID13;
	randombytes_buf(k->salt, sizeof(k->salt));
	k->opslimit = crypto_pwhash_OPSLIMIT_INTERACTIVE;
	k->memlimit = crypto_pwhash_MEMLIMIT_INTERACTIVE;
}

int
export_key_for(const unsigned char pk[EXPORT_PUBLIC_KEY_BYTES],
    struct export_kdf *k, unsigned char key[EXPORT_KEY_BYTES])
{
	memset(k, 0, sizeof(*k));
	k->mode = EXPORT_KEY_SEALED_BOX;
	crypto_secretstream_xchacha20poly1305_keygen(key);
	return crypto_box_seal(k->box, key, EXPORT_KEY_BYTES, pk) == 0 ? 0 : -1;
}

int
export_kdf_derive(const struct export_kdf *k, const char *pass, size_t n,
    unsigned char key[EXPORT_KEY_BYTES])
{
	/* A header may not make the reader spend without bound. */
	if (k->opslimit < crypto_pwhash_OPSLIMIT_MIN ||
	    k->opslimit > crypto_pwhash_OPSLIMIT_SENSITIVE ||
	    k->memlimit < crypto_pwhash_MEMLIMIT_MIN ||
	    k->memlimit > crypto_pwhash_MEMLIMIT_SENSITIVE)
		return -1;
	return crypto_pwhash(key, EXPORT_KEY_BYTES, pass, n, k->salt,
		   (unsigned long long)k->opslimit, (size_t)k->memlimit,
		   crypto_pwhash_ALG_ARGON2ID13) == 0
	    ? 0
	    : -1;
}

/* Encrypts the buffered bytes as one chunk (tag: final or message). */
static int
flush_chunk(struct export_writer *w, unsigned char tag)
{
	unsigned long long clen;

	if (crypto_secretstream_xchacha20poly1305_push(&w->st, w->ct, &clen,
		w->buf, w->len, w->first ? w->header : NULL,
		w->first ? w->header_len : 0, tag) != 0 ||
	    fwrite(w->ct, 1, (size_t)clen, w->out) != (size_t)clen)
		return -1;
	w->first = 0;
	w->written += clen;
	w->len = 0;
	return 0;
}

/* Appends n raw bytes to the clear stream. */
static int
raw(struct export_writer *w, const void *p, size_t n)
{
	const unsigned char *s = p;
	size_t k;

	if (w->failed)
		return -1;
	while (n > 0) {
		if (w->len == sizeof(w->buf) &&
		    flush_chunk(w,
			crypto_secretstream_xchacha20poly1305_TAG_MESSAGE) !=
			0) {
			w->failed = 1;
			return -1;
		}
		k = sizeof(w->buf) - w->len;
		if (k > n)
			k = n;
		memcpy(w->buf + w->len, s, k);
		w->len += k;
		s += k;
		n -= k;
	}
	return 0;
}

struct export_writer *
export_writer_new(FILE *out, const struct export_kdf *k,
    const unsigned char key[EXPORT_KEY_BYTES])
{
	struct export_writer *w = calloc(1, sizeof(*w));
	unsigned char *h;

	if (w == NULL)
		return NULL;
	w->out = out;
	h = w->header;
	memcpy(h, EXPORT_MAGIC, 14);
	h[14] = EXPORT_FORMAT;
	if (k->mode == EXPORT_KEY_SEALED_BOX) {
		h[15] = EXPORT_KEY_SEALED_BOX;
		memcpy(h + 16, k->box, EXPORT_BOX_BYTES);
		w->header_len = EXPORT_HEADER_BOX_BYTES;
	} else {
		h[15] = EXPORT_KDF_ARGON2ID13;
		put_be(h + 16, k->opslimit, 8);
		put_be(h + 24, k->memlimit, 8);
		memcpy(h + 32, k->salt, EXPORT_SALT_BYTES);
		w->header_len = EXPORT_HEADER_BYTES;
	}
	/* The secretstream header ends the file's header. */
	if (crypto_secretstream_xchacha20poly1305_init_push(&w->st,
		h + w->header_len - 24, key) != 0 ||
	    fwrite(h, 1, w->header_len, out) != w->header_len) {
		export_writer_free(w);
		return NULL;
	}
	w->written = w->header_len;
	w->first = 1;
	return w;
}

static int
name_ok(const char *name, size_t n)
{
	size_t i;

	if (n == 0 || n > EXPORT_NAME_MAX || name[0] == '.')
		return 0;
	for (i = 0; i < n; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			(c >= '0' && c <= '9') || c == '.' || c == '_' ||
			c == '-'))
			return 0;
	}
	return 1;
}

int
export_entry_begin(struct export_writer *w, const char *name)
{
	unsigned char len[2];
	size_t n = name ? strlen(name) : 0;

	if (w->open || !name_ok(name, n))
		return -1;
	put_be(len, n, 2);
	if (raw(w, len, 2) != 0 || raw(w, name, n) != 0)
		return -1;
	crypto_hash_sha256_init(&w->sha);
	w->entry_bytes = 0;
	w->open = 1;
	return 0;
}

int
export_entry_write(struct export_writer *w, const void *p, size_t n)
{
	unsigned char len[4];
	const unsigned char *s = p;
	size_t k;

	if (!w->open)
		return -1;
	while (n > 0) {
		k = n > EXPORT_CHUNK ? EXPORT_CHUNK : n;
		put_be(len, k, 4);
		if (raw(w, len, 4) != 0 || raw(w, s, k) != 0)
			return -1;
		crypto_hash_sha256_update(&w->sha, s, k);
		w->entry_bytes += k;
		s += k;
		n -= k;
	}
	return 0;
}

int
export_entry_puts(struct export_writer *w, const char *s)
{
	return export_entry_write(w, s, strlen(s));
}

int
export_entry_end(struct export_writer *w, char sha_hex[65], uint64_t *bytes)
{
	static const unsigned char zero[4];
	unsigned char d[crypto_hash_sha256_BYTES];

	if (!w->open || raw(w, zero, 4) != 0)
		return -1;
	w->open = 0;
	crypto_hash_sha256_final(&w->sha, d);
	if (sha_hex != NULL)
		sodium_bin2hex(sha_hex, 65, d, sizeof(d));
	if (bytes != NULL)
		*bytes = w->entry_bytes;
	return 0;
}

int
export_writer_finish(struct export_writer *w, uint64_t *file_bytes)
{
	static const unsigned char zero[2];
	int rc = -1;

	if (!w->open && raw(w, zero, 2) == 0 &&
	    flush_chunk(w, crypto_secretstream_xchacha20poly1305_TAG_FINAL) ==
		0 &&
	    fflush(w->out) == 0) {
		rc = 0;
		if (file_bytes != NULL)
			*file_bytes = w->written;
	}
	export_writer_free(w);
	return rc;
}

void
export_writer_free(struct export_writer *w)
{
	if (w == NULL)
		return;
	sodium_memzero(w, sizeof(*w));
	free(w);
}

/* The reader: chunks decrypted into a window the parser takes bytes
 * from. */
struct reader {
	FILE *in;
	crypto_secretstream_xchacha20poly1305_state st;
	unsigned char header[EXPORT_HEADER_MAX];
	size_t header_len;
	int first, final;
	unsigned char ct[EXPORT_CHUNK + SS_ABYTES];
	unsigned char pt[EXPORT_CHUNK];
	size_t len, pos;
	char *err;
	size_t errlen;
};

static int
fail(struct reader *r, const char *fmt, ...)
{
	va_list ap;

	if (r->err != NULL && r->errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(r->err, r->errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* Decrypts the next chunk into the window. */
static int
next_chunk(struct reader *r)
{
	unsigned long long plen;
	unsigned char tag;
	size_t n;

	if (r->final)
		return fail(r, "export: the archive ends too early");
	n = fread(r->ct, 1, sizeof(r->ct), r->in);
	if (n < SS_ABYTES)
		return fail(r, "export: the archive is truncated");
	if (crypto_secretstream_xchacha20poly1305_pull(&r->st, r->pt, &plen,
		&tag, r->ct, n, r->first ? r->header : NULL,
		r->first ? r->header_len : 0) != 0)
		return fail(r,
		    r->first ? "export: wrong passphrase, or the archive was "
			       "altered"
			     : "export: the archive was altered or truncated");
	r->first = 0;
	r->len = (size_t)plen;
	r->pos = 0;
	if (tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL) {
		r->final = 1;
		if (fgetc(r->in) != EOF)
			return fail(r, "export: bytes follow the final chunk");
	} else if (n != sizeof(r->ct)) {
		return fail(r, "export: the archive is truncated");
	}
	return 0;
}

/* Copies n clear bytes into p (NULL: only skips). */
static int
take(struct reader *r, void *p, size_t n)
{
	unsigned char *d = p;
	size_t k;

	while (n > 0) {
		if (r->pos == r->len && next_chunk(r) != 0)
			return -1;
		k = r->len - r->pos;
		if (k > n)
			k = n;
		if (d != NULL) {
			memcpy(d, r->pt + r->pos, k);
			d += k;
		}
		r->pos += k;
		n -= k;
	}
	return 0;
}

static int
read_entries(struct reader *r, export_entry_fn fn, void *arg)
{
	unsigned char b[4];
	char name[EXPORT_NAME_MAX + 1];
	unsigned char *piece = NULL;
	size_t n, k;
	int rc = -1;

	if ((piece = malloc(EXPORT_CHUNK)) == NULL)
		return fail(r, "export: out of memory");
	for (;;) {
		if (take(r, b, 2) != 0)
			goto done;
		n = (size_t)get_be(b, 2);
		if (n == 0)
			break;
		if (n > EXPORT_NAME_MAX || take(r, name, n) != 0) {
			fail(r, "export: malformed entry name");
			goto done;
		}
		name[n] = '\0';
		if (!name_ok(name, n)) {
			fail(r, "export: malformed entry name");
			goto done;
		}
		if (fn(arg, name, NULL, 0, 0) != 0)
			goto done;
		for (;;) {
			if (take(r, b, 4) != 0)
				goto done;
			k = (size_t)get_be(b, 4);
			if (k == 0)
				break;
			if (k > EXPORT_CHUNK) {
				fail(r, "export: malformed entry %s", name);
				goto done;
			}
			if (take(r, piece, k) != 0 ||
			    fn(arg, name, piece, k, 0) != 0)
				goto done;
		}
		if (fn(arg, name, NULL, 0, 1) != 0)
			goto done;
	}
	/* The list's end must be the stream's end. */
	if (r->pos != r->len || !r->final) {
		fail(r, "export: bytes follow the entry list");
		goto done;
	}
	rc = 0;
done:
	free(piece);
	return rc;
}

/* Reads the header and opens the archive key with pass (mode 0x01) or
 * sk (mode 0x02), then the entries. */
static int
read_with(FILE *in, const char *pass, size_t passlen, const unsigned char *sk,
    export_entry_fn fn, void *arg, char *err, size_t errlen)
{
	struct reader *r = calloc(1, sizeof(*r));
	unsigned char pk[EXPORT_PUBLIC_KEY_BYTES];
	struct export_kdf k;
	unsigned char key[EXPORT_KEY_BYTES];
	size_t more;
	int rc = -1;

	if (r == NULL)
		return -1;
	r->in = in;
	r->err = err;
	r->errlen = errlen;
	if (fread(r->header, 1, 16, in) != 16 ||
	    memcmp(r->header, EXPORT_MAGIC, 14) != 0) {
		fail(r, "export: not a Créneau export archive");
		goto done;
	}
	if (r->header[14] != EXPORT_FORMAT ||
	    (r->header[15] != EXPORT_KDF_ARGON2ID13 &&
		r->header[15] != EXPORT_KEY_SEALED_BOX)) {
		fail(r, "export: unknown format %u or key %u", r->header[14],
		    r->header[15]);
		goto done;
	}
	r->header_len = r->header[15] == EXPORT_KEY_SEALED_BOX
	    ? EXPORT_HEADER_BOX_BYTES
	    : EXPORT_HEADER_BYTES;
	more = r->header_len - 16;
	if (fread(r->header + 16, 1, more, in) != more) {
		fail(r, "export: the archive is truncated");
		goto done;
	}
	if (r->header[15] == EXPORT_KEY_SEALED_BOX) {
		if (sk == NULL) {
			fail(r,
			    "export: this archive opens with a secret key "
			    "(--secret-key), not a passphrase");
			goto done;
		}
		crypto_scalarmult_base(pk, sk);
		if (crypto_box_seal_open(key, r->header + 16, EXPORT_BOX_BYTES,
			pk, sk) != 0) {
			fail(r,
			    "export: wrong secret key, or the archive was "
			    "altered");
			goto done;
		}
	} else {
		if (sk != NULL) {
			fail(r,
			    "export: this archive opens with a passphrase, "
			    "not a secret key");
			goto done;
		}
		k.opslimit = get_be(r->header + 16, 8);
		k.memlimit = get_be(r->header + 24, 8);
		memcpy(k.salt, r->header + 32, EXPORT_SALT_BYTES);
		if (export_kdf_derive(&k, pass, passlen, key) != 0) {
			fail(r,
			    "export: key derivation failed (limits out of "
			    "range)");
			goto done;
		}
	}
	if (crypto_secretstream_xchacha20poly1305_init_pull(&r->st,
		r->header + r->header_len - 24, key) != 0) {
		fail(r, "export: bad stream header");
		goto done;
	}
	r->first = 1;
	rc = read_entries(r, fn, arg);
done:
	sodium_memzero(key, sizeof(key));
	sodium_memzero(r, sizeof(*r));
	free(r);
	return rc;
}

int
export_read(FILE *in, const char *pass, size_t passlen, export_entry_fn fn,
    void *arg, char *err, size_t errlen)
{
	return read_with(in, pass, passlen, NULL, fn, arg, err, errlen);
}

int
export_read_sk(FILE *in, const unsigned char sk[EXPORT_PUBLIC_KEY_BYTES],
    export_entry_fn fn, void *arg, char *err, size_t errlen)
{
	return read_with(in, NULL, 0, sk, fn, arg, err, errlen);
}
