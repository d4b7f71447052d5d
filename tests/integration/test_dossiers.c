/*
 * test_dossiers.c - the encrypted dossiers end to end against the real
 * `creneau` binary and its demo data: a validator registers a public key;
 * a family files a dossier and adds a document encrypted as a browser
 * does (JWE JSON serialisation, RSA-OAEP-256 and A256GCM, built here with
 * OpenSSL, an implementation independent of the server); the server keeps
 * no plaintext byte of it in its database, log or write-ahead log; the
 * validator reads the JWE, opens it with the private key and gets the
 * bytes back; a new key is given access by the first key's holder
 * (re-wrapped outside the server) and revoked again; validation destroys the
 * ciphertext, keeps the decision and tells the family. Refusals: a JWE not made
 * for the keys in force, a document too large, of an unknown type, a submission
 * with a missing document, a refusal without comment, a private JWK.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <sodium.h>

#include "client.h"
#include "demo.h"
#include "harness.h"

static struct proc srv;
static struct demo_account validator = { "validation@enfance-pluriel.example",
	1 };
static struct demo_account family = { "famille@demo.example", 0 };
static struct demo_account volunteer = { "benevole@demo.example", 0 };
static struct demo_account *const all[] = { &validator, &family, &volunteer };
#define NALL (sizeof(all) / sizeof(all[0]))

/* In the document only: found anywhere on the server, it leaked. */
static const char marker[] = "PLAINTEXT-MARKER-7f3c9a-certificat-handicap";
static const char health_marker[] = "HEALTH-MARKER-51d2-autisme";

static EVP_PKEY *key, *key1, *key2; /* key: the one in use */
static char fingerprint[65]; /* key's */
static char org[64];

static int
setup(void **state)
{
	static const char *const env[] = {
		"CRENEAU_DOSSIERS_DOCUMENT_MAX_BYTES=20000", NULL
	};

	(void)state;
	if (sodium_init() < 0)
		return -1;
	key = key1 = EVP_RSA_gen(2048);
	key2 = EVP_RSA_gen(2048);
	if (key1 == NULL || key2 == NULL)
		return -1;
	return demo_start_env(&srv, env, all, NALL);
}

static int
teardown(void **state)
{
	(void)state;
	demo_stop(&srv, all, NALL);
	EVP_PKEY_free(key1);
	EVP_PKEY_free(key2);
	return 0;
}

static void
b64url(const unsigned char *p, size_t n, char *out, size_t outlen)
{
	sodium_bin2base64(out, outlen, p, n,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static size_t
unb64url(const char *s, unsigned char *out, size_t max)
{
	size_t n = 0;

	assert_int_equal(sodium_base642bin(out, max, s, strlen(s), NULL, &n,
			     NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
	    0);
	return n;
}

/* The public JWK of key; its RFC 7638 form into canon. */
static void
public_jwk(char *out, size_t outlen, char *canon, size_t canonlen)
{
	BIGNUM *n = NULL, *e = NULL;
	unsigned char nb[512], eb[8];
	char ns[700], es[16];
	int nl, el;

	assert_int_equal(EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_N, &n),
	    1);
	assert_int_equal(EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_E, &e),
	    1);
	nl = BN_bn2bin(n, nb);
	el = BN_bn2bin(e, eb);
	b64url(nb, (size_t)nl, ns, sizeof(ns));
	b64url(eb, (size_t)el, es, sizeof(es));
	snprintf(out, outlen,
	    "{\"kty\":\"RSA\",\"alg\":\"RSA-OAEP-256\",\"ext\":true,"
	    "\"key_ops\":[\"encrypt\"],\"n\":\"%s\",\"e\":\"%s\"}",
	    ns, es);
	snprintf(canon, canonlen, "{\"e\":\"%s\",\"kty\":\"RSA\",\"n\":\"%s\"}",
	    es, ns);
	BN_free(n);
	BN_free(e);
}

/* RSA-OAEP with SHA-256 (and MGF1 SHA-256) of in, with pkey. */
static size_t
rsa_oaep(int encrypt, const unsigned char *in, size_t inlen, unsigned char *out,
    size_t outmax)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(key, NULL);
	size_t n = outmax;

	assert_non_null(ctx);
	assert_int_equal(encrypt ? EVP_PKEY_encrypt_init(ctx)
				 : EVP_PKEY_decrypt_init(ctx),
	    1);
	assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(ctx,
			     RSA_PKCS1_OAEP_PADDING),
	    1);
	assert_int_equal(EVP_PKEY_CTX_set_rsa_oaep_md(ctx, EVP_sha256()), 1);
	assert_int_equal(EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, EVP_sha256()), 1);
	assert_int_equal(encrypt ? EVP_PKEY_encrypt(ctx, out, &n, in, inlen)
				 : EVP_PKEY_decrypt(ctx, out, &n, in, inlen),
	    1);
	EVP_PKEY_CTX_free(ctx);
	return n;
}

/*
 * A JWE JSON serialisation of pt (RFC 7516 section 5.1) for one recipient
 * kid, as the browser makes it. Returns a malloc'ed text; *ct_b64 a copy
 * of its ciphertext member.
 */
static char *
make_jwe(const char *kid, const unsigned char *pt, size_t ptlen, char **ct_b64)
{
	static const char hdr[] = "{\"alg\":\"RSA-OAEP-256\",\"enc\":"
				  "\"A256GCM\"}";
	unsigned char cek[32], iv[12], tag[16], ek[512], *ct;
	char prot[128], ivs[32], tags[32], eks[700], *cts, *out;
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	size_t ekl, outlen;
	int n = 0, f = 0;

	assert_int_equal(RAND_bytes(cek, 32), 1);
	assert_int_equal(RAND_bytes(iv, 12), 1);
	b64url((const unsigned char *)hdr, strlen(hdr), prot, sizeof(prot));
	ct = malloc(ptlen + 16);
	assert_non_null(ct);
	assert_int_equal(EVP_EncryptInit_ex(c, EVP_aes_256_gcm(), NULL, cek,
			     iv),
	    1);
	assert_int_equal(EVP_EncryptUpdate(c, NULL, &n,
			     (const unsigned char *)prot, (int)strlen(prot)),
	    1);
	assert_int_equal(EVP_EncryptUpdate(c, ct, &n, pt, (int)ptlen), 1);
	assert_int_equal(EVP_EncryptFinal_ex(c, ct + n, &f), 1);
	assert_int_equal(EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, tag),
	    1);
	EVP_CIPHER_CTX_free(c);
	ekl = rsa_oaep(1, cek, 32, ek, sizeof(ek));
	cts = malloc(2 * ptlen + 64);
	assert_non_null(cts);
	b64url(ct, (size_t)(n + f), cts, 2 * ptlen + 64);
	b64url(iv, 12, ivs, sizeof(ivs));
	b64url(tag, 16, tags, sizeof(tags));
	b64url(ek, ekl, eks, sizeof(eks));
	outlen = strlen(cts) + 2048;
	out = malloc(outlen);
	assert_non_null(out);
	snprintf(out, outlen,
	    "{\"protected\":\"%s\",\"recipients\":[{\"header\":{\"kid\":"
	    "\"%s\"},\"encrypted_key\":\"%s\"}],\"iv\":\"%s\","
	    "\"ciphertext\":\"%s\",\"tag\":\"%s\"}",
	    prot, kid, eks, ivs, cts, tags);
	free(ct);
	*ct_b64 = cts;
	return out;
}

/* Opens a JWE (the server's JSON) as a validator's browser does. */
static size_t
open_jwe(json_t *jwe, unsigned char *out, size_t max)
{
	const char *prot = json_string_value(json_object_get(jwe, "protected"));
	unsigned char ek[512], cek[512], iv[12], tag[16], *ct;
	size_t ekl, cekl, ctl, i;
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	json_t *r = NULL, *x;
	int n = 0, f = 0;

	/* The recipient of the key in use. */
	json_array_foreach (json_object_get(jwe, "recipients"), i, x)
		if (strcmp(json_string_value(
			       json_object_get(json_object_get(x, "header"),
				   "kid")),
			fingerprint) == 0)
			r = x;
	assert_non_null(r);
	ekl = unb64url(json_string_value(json_object_get(r, "encrypted_key")),
	    ek, sizeof(ek));
	cekl = rsa_oaep(0, ek, ekl, cek, sizeof(cek));
	assert_int_equal(cekl, 32);
	assert_int_equal(unb64url(json_string_value(json_object_get(jwe, "iv")),
			     iv, sizeof(iv)),
	    12);
	assert_int_equal(unb64url(json_string_value(
				      json_object_get(jwe, "tag")),
			     tag, sizeof(tag)),
	    16);
	ct = malloc(8192);
	assert_non_null(ct);
	ctl = unb64url(json_string_value(json_object_get(jwe, "ciphertext")),
	    ct, 8192);
	assert_true(ctl <= max);
	assert_int_equal(EVP_DecryptInit_ex(c, EVP_aes_256_gcm(), NULL, cek,
			     iv),
	    1);
	assert_int_equal(EVP_DecryptUpdate(c, NULL, &n,
			     (const unsigned char *)prot, (int)strlen(prot)),
	    1);
	assert_int_equal(EVP_DecryptUpdate(c, out, &n, ct, (int)ctl), 1);
	assert_int_equal(EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, 16, tag),
	    1);
	assert_int_equal(EVP_DecryptFinal_ex(c, out + n, &f), 1);
	EVP_CIPHER_CTX_free(c);
	free(ct);
	return (size_t)(n + f);
}

/* Whether the file at path holds needle (n bytes); 0 when it is absent. */
static int
file_holds(const char *path, const void *needle, size_t n)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t len = 0, cap = 1 << 20, got;
	int found = 0;

	if (f == NULL)
		return 0;
	buf = malloc(cap);
	assert_non_null(buf);
	while ((got = fread(buf + len, 1, cap - len, f)) > 0) {
		len += got;
		if (len == cap) {
			char *more = realloc(buf, cap * 2);

			assert_non_null(more);
			buf = more;
			cap *= 2;
		}
	}
	fclose(f);
	found = memmem(buf, len, needle, n) != NULL;
	free(buf);
	return found;
}

/* Whether the database, its write-ahead log or the server's log holds
 * needle. On PostgreSQL only the log is read (the files are the
 * server's, see docs/threat-model.md). */
static int
server_holds(const char *needle)
{
	char wal[320];
	size_t n = strlen(needle);

	snprintf(wal, sizeof(wal), "%s-wal", srv.db);
	return file_holds(srv.db, needle, n) || file_holds(wal, needle, n) ||
	    file_holds(srv.log, needle, n);
}

static long long
find_org(void)
{
	json_t *o, *a;

	assert_int_equal(client_call(&family.c, "GET", "/api/v1/me/dossiers",
			     NULL),
	    200);
	o = client_json(&family.c);
	a = json_array_get(json_object_get(o, "associations"), 0);
	assert_non_null(a);
	snprintf(org, sizeof(org), "%s",
	    json_string_value(json_object_get(a, "id")));
	json_decref(o);
	return 0;
}

/* Registers the key in use; sets fingerprint; returns its id. */
static long long
register_key(void)
{
	long long id;
	char jwk[1600], canon[1200], body[1800], hex[65];
	unsigned char h[32];
	json_t *o;

	public_jwk(jwk, sizeof(jwk), canon, sizeof(canon));
	crypto_hash_sha256(h, (const unsigned char *)canon, strlen(canon));
	sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
	/* A JWK with a private member is refused: the private key never
	 * reaches the server in clear. */
	snprintf(body, sizeof(body), "{\"jwk\":%.*s,\"d\":\"AQAB\"}}",
	    (int)strlen(jwk) - 1, jwk);
	assert_int_equal(client_call(&validator.c, "POST",
			     "/api/v1/validator-keys", body),
	    422);
	assert_string_equal(client_code(&validator.c), "dossier_cle_invalide");
	snprintf(body, sizeof(body),
	    "{\"jwk\":%s,\"wrapped_private\":\"opaque-wrapped-key\"}", jwk);
	assert_int_equal(client_call(&validator.c, "POST",
			     "/api/v1/validator-keys", body),
	    201);
	o = client_json(&validator.c);
	/* Pinned: the fingerprint is the SHA-256 of the RFC 7638 form. */
	assert_string_equal(json_string_value(
				json_object_get(o, "fingerprint")),
	    hex);
	snprintf(fingerprint, sizeof(fingerprint), "%s", hex);
	id = json_integer_value(json_object_get(o, "id"));
	json_decref(o);
	return id;
}

/*
 * A second key (a new validator): the holder of the first gets their own
 * wrapped document key, unwraps it and wraps it for the new key (here
 * with OpenSSL, as the browser does with Web Crypto); the new key then
 * opens the document. Revoking it removes its recipient again.
 */
static void
add_and_revoke_key(long long dossier, long long doc, const unsigned char *pt,
    size_t ptlen)
{
	char fp1[65], path[160], body[1200], ek64[700], *text;
	unsigned char ek[512], cek[512], ek2[512], back[4096];
	size_t n, cekl;
	long long id2;
	json_t *o, *it;

	snprintf(fp1, sizeof(fp1), "%s", fingerprint);
	key = key2;
	id2 = register_key();
	snprintf(path, sizeof(path), "/api/v1/validator-keys/%lld/recipients",
	    id2);
	assert_int_equal(client_call(&validator.c, "GET", path, NULL), 200);
	o = client_json(&validator.c);
	it = json_array_get(json_object_get(o, "documents"), 0);
	assert_int_equal(json_array_size(json_object_get(o, "documents")), 1);
	assert_string_equal(json_string_value(json_object_get(it, "kid")), fp1);
	n = unb64url(json_string_value(json_object_get(it, "encrypted_key")),
	    ek, sizeof(ek));
	json_decref(o);
	key = key1;
	cekl = rsa_oaep(0, ek, n, cek, sizeof(cek));
	key = key2;
	n = rsa_oaep(1, cek, cekl, ek2, sizeof(ek2));
	b64url(ek2, n, ek64, sizeof(ek64));
	snprintf(body, sizeof(body),
	    "{\"dossier\":%lld,\"doc\":%lld,\"encrypted_key\":\"%s\"}", dossier,
	    doc, ek64);
	assert_int_equal(client_call(&validator.c, "POST", path, body), 200);
	assert_int_equal(client_call(&validator.c, "GET", path, NULL), 200);
	assert_null(strstr(validator.c.body, "encrypted_key"));
	snprintf(path, sizeof(path), "/api/v1/dossiers/%lld/documents/%lld",
	    dossier, doc);
	assert_int_equal(client_call(&validator.c, "GET", path, NULL), 200);
	o = client_json(&validator.c);
	n = open_jwe(json_object_get(o, "jwe"), back, sizeof(back));
	json_decref(o);
	assert_int_equal(n, ptlen);
	assert_memory_equal(back, pt, ptlen);
	/* Revoked: its recipient leaves the open dossiers' documents. */
	snprintf(path, sizeof(path), "/api/v1/validator-keys/%lld/revocation",
	    id2);
	assert_int_equal(client_call(&validator.c, "POST", path, NULL), 200);
	snprintf(path, sizeof(path), "/api/v1/dossiers/%lld/documents/%lld",
	    dossier, doc);
	assert_int_equal(client_call(&validator.c, "GET", path, NULL), 200);
	text = validator.c.body;
	assert_null(strstr(text, fingerprint));
	assert_non_null(strstr(text, fp1));
	key = key1;
	snprintf(fingerprint, sizeof(fingerprint), "%s", fp1);
}

static void
post_doc(const char *type, const char *jwe, long want, const char *code)
{
	char path[160], *body;
	size_t n = strlen(jwe) + 128;

	body = malloc(n);
	assert_non_null(body);
	snprintf(body, n, "{\"type\":\"%s\",\"jwe\":%s}", type, jwe);
	snprintf(path, sizeof(path), "/api/v1/me/dossiers/%s/documents", org);
	assert_int_equal(client_call(&family.c, "POST", path, body), want);
	if (code != NULL)
		assert_string_equal(client_code(&family.c), code);
	free(body);
}

static void
test_round_trip(void **state)
{
	unsigned char pt[2048], back[4096], big[16000];
	char path[200], *jwe, *ct, *bad, *bad_ct, *huge, *huge_ct;
	char needle[64];
	long long id, doc;
	json_t *o, *d;
	size_t n;

	(void)state;
	find_org();
	register_key();
	/* The family's keys: the one in force, with its fingerprint. */
	snprintf(path, sizeof(path), "/api/v1/me/dossiers/%s/keys", org);
	assert_int_equal(client_call(&family.c, "GET", path, NULL), 200);
	assert_non_null(strstr(family.c.body, fingerprint));

	snprintf(path, sizeof(path), "/api/v1/me/dossiers/%s", org);
	{
		char body[400];

		snprintf(body, sizeof(body),
		    "{\"kind\":\"family\",\"profile\":{\"responsable\":"
		    "\"Florence\",\"enfants\":[{\"prenom\":\"Lou\",\"age\":7}]},"
		    "\"health\":\"%s\"}",
		    health_marker);
		assert_int_equal(client_call(&family.c, "POST", path, body),
		    200);
	}
	/* A volunteer's dossier lacks its required document. */
	snprintf(path, sizeof(path), "/api/v1/me/dossiers/%s", org);
	assert_int_equal(client_call(&volunteer.c, "POST", path,
			     "{\"kind\":\"volunteer\",\"profile\":{}}"),
	    200);
	snprintf(path, sizeof(path), "/api/v1/me/dossiers/%s/submission", org);
	assert_int_equal(client_call(&volunteer.c, "POST", path, NULL), 422);
	assert_string_equal(client_code(&volunteer.c),
	    "dossier_pieces_manquantes");

	memset(pt, 'x', sizeof(pt));
	memcpy(pt + 100, marker, strlen(marker));
	jwe = make_jwe(fingerprint, pt, sizeof(pt), &ct);
	/* Not for the keys in force: refused. */
	bad = make_jwe("0000000000000000000000000000000000000000000000000000000"
		       "000000000",
	    pt, sizeof(pt), &bad_ct);
	post_doc("certificat_handicap", bad, 422, "dossier_destinataires");
	post_doc("carte_vitale", jwe, 422, "dossier_type_inconnu");
	post_doc("certificat_handicap", "{\"protected\":\"e30\"}", 422,
	    "dossier_jwe_invalide");
	memset(big, 'y', sizeof(big));
	huge = make_jwe(fingerprint, big, sizeof(big), &huge_ct);
	post_doc("certificat_handicap", huge, 413, "dossier_trop_volumineux");
	post_doc("certificat_handicap", jwe, 201, NULL);

	/* No plaintext byte on the server: not the document's marker, not
	 * the health notes (sealed under the family's key). */
	assert_false(server_holds(marker));
	assert_false(server_holds(health_marker));

	snprintf(path, sizeof(path), "/api/v1/me/dossiers/%s/submission", org);
	assert_int_equal(client_call(&family.c, "POST", path, NULL), 200);
	/* Submitted: no more changes. */
	post_doc("certificat_handicap", jwe, 409, "dossier_etat_invalide");

	assert_int_equal(client_call(&validator.c, "GET",
			     "/api/v1/dossiers?state=soumis", NULL),
	    200);
	o = client_json(&validator.c);
	d = json_array_get(json_object_get(o, "dossiers"), 0);
	id = json_integer_value(json_object_get(d, "id"));
	json_decref(o);
	assert_true(id > 0);
	snprintf(path, sizeof(path), "/api/v1/dossiers/%lld", id);
	assert_int_equal(client_call(&validator.c, "GET", path, NULL), 200);
	o = client_json(&validator.c);
	assert_string_equal(json_string_value(json_object_get(o, "health")),
	    health_marker);
	d = json_array_get(json_object_get(o, "documents"), 0);
	doc = json_integer_value(json_object_get(d, "id"));
	snprintf(path, sizeof(path), "/api/v1/dossiers/%lld/documents/%lld", id,
	    doc);
	json_decref(o);
	assert_int_equal(client_call(&validator.c, "GET", path, NULL), 200);
	o = client_json(&validator.c);
	n = open_jwe(json_object_get(o, "jwe"), back, sizeof(back));
	json_decref(o);
	assert_int_equal(n, sizeof(pt));
	assert_memory_equal(back, pt, sizeof(pt));
	add_and_revoke_key(id, doc, pt, sizeof(pt));

	/* A refusal or a request for more needs a comment. */
	snprintf(path, sizeof(path), "/api/v1/dossiers/%lld/decision", id);
	assert_int_equal(client_call(&validator.c, "POST", path,
			     "{\"decision\":\"refuse\"}"),
	    422);
	assert_string_equal(client_code(&validator.c),
	    "dossier_commentaire_requis");
	/* The ciphertext is on the server until the decision. */
	snprintf(needle, sizeof(needle), "%.48s", ct + 64);
	assert_true(harness_pg() || server_holds(needle));
	assert_int_equal(
	    client_call(&validator.c, "POST", path,
		"{\"decision\":\"valide\",\"comment\":\"Bienvenue\"}"),
	    200);
	/* Destroyed: the row, its free pages and the log. */
	assert_false(server_holds(needle));
	snprintf(path, sizeof(path), "/api/v1/dossiers/%lld", id);
	assert_int_equal(client_call(&validator.c, "GET", path, NULL), 200);
	o = client_json(&validator.c);
	assert_int_equal(json_array_size(json_object_get(o, "documents")), 0);
	assert_string_equal(json_string_value(json_object_get(o, "state")),
	    "valide");
	assert_true(json_is_string(json_object_get(o, "decided_at")));
	assert_true(
	    json_is_string(json_object_get(o, "documents_destroyed_at")));
	json_decref(o);
	/* The family is told. */
	assert_int_equal(client_call(&family.c, "GET", "/api/v1/notifications",
			     NULL),
	    200);
	assert_non_null(strstr(family.c.body, "dossier.decided"));
	snprintf(path, sizeof(path), "/api/v1/me/dossiers/%s", org);
	assert_int_equal(client_call(&family.c, "GET", path, NULL), 200);
	o = client_json(&family.c);
	assert_string_equal(json_string_value(json_object_get(o, "state")),
	    "valide");
	assert_string_equal(json_string_value(json_object_get(o, "comment")),
	    "Bienvenue");
	json_decref(o);
	/* Another association's validator would see nothing: out of scope
	 * answers 404 like a missing dossier. */
	assert_int_equal(client_call(&validator.c, "GET",
			     "/api/v1/dossiers/999999", NULL),
	    404);
	/* The export holds the dossier, opened with the family's key;
	 * the erasure of the volunteer deletes theirs. */
	assert_int_equal(client_call(&family.c, "GET", "/api/v1/me/export",
			     NULL),
	    200);
	assert_non_null(strstr(family.c.body, "dossier_profile"));
	assert_non_null(strstr(family.c.body, health_marker));
	{
		char body[200];

		snprintf(body, sizeof(body), "{\"password\":\"%s\"}",
		    volunteer.pw);
		assert_int_equal(client_call(&volunteer.c, "POST",
				     "/api/v1/me/erasure", body),
		    200);
		o = client_json(&volunteer.c);
		assert_int_equal(json_integer_value(
				     json_object_get(json_object_get(o,
							 "erased"),
					 "dossiers")),
		    1);
		json_decref(o);
	}
	free(jwe);
	free(ct);
	free(bad);
	free(bad_ct);
	free(huge);
	free(huge_ct);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
