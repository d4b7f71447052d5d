/* test_tenant_export.c - src/tenancy/export_archive.c (the encrypted
 * container of a client organisation's export), src/tenancy/export_open.c
 * (opening it against its manifest) and the entity list of
 * src/store/tenant_exports.c (no table of the organisation forgotten, no
 * sealed column left without a decision). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "store/columns.h"
#include "store/tenant_exports.h"
#include "tenancy/export_archive.h"
#include "tenancy/export_open.h"
#include "unit.h"

#define PASS "une phrase de passe assez longue"
#define BULK (150 * 1024) /* several chunks */

struct fx {
	char dir[64], file[128], out[128];
};

static int
setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (f == NULL || unit_tmpdir(f->dir, sizeof(f->dir)) != 0)
		return -1;
	snprintf(f->file, sizeof(f->file), "%s/a.export", f->dir);
	snprintf(f->out, sizeof(f->out), "%s/out", f->dir);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *f = *state;

	unit_rmdir(f->dir);
	free(f);
	return 0;
}

static unsigned char test_pk[EXPORT_PUBLIC_KEY_BYTES];
static unsigned char test_sk[EXPORT_PUBLIC_KEY_BYTES];

/* Writes an archive (for test_pk when pass is NULL): people.json (a marker),
 * bulk.bin (BULK bytes), and a manifest listing them (or lying about bulk when
 * lie is set). */
static void
write_archive(const char *path, const char *pass, int lie)
{
	struct export_kdf k;
	unsigned char key[EXPORT_KEY_BYTES];
	struct export_writer *w;
	char sha1[65], sha2[65], manifest[1024];
	uint64_t b1, b2, total;
	unsigned char *bulk = malloc(BULK);
	FILE *f = fopen(path, "wb");
	size_t i;

	assert_non_null(bulk);
	assert_non_null(f);
	for (i = 0; i < BULK; i++)
		bulk[i] = (unsigned char)(i * 7);
	if (pass == NULL) {
		/* For the public key of test_pk. */
		assert_int_equal(export_key_for(test_pk, &k, key), 0);
	} else {
		export_kdf_new(&k);
		k.opslimit = crypto_pwhash_OPSLIMIT_MIN;
		k.memlimit = crypto_pwhash_MEMLIMIT_MIN;
		assert_int_equal(export_kdf_derive(&k, pass, strlen(pass), key),
		    0);
	}
	w = export_writer_new(f, &k, key);
	assert_non_null(w);
	assert_int_equal(export_entry_begin(w, "people.json"), 0);
	assert_int_equal(export_entry_begin(w, "nested.json"), -1);
	assert_int_equal(export_entry_puts(w,
			     "[{\"name\":\"Zoé CLAIREMENT-LISIBLE\"}]"),
	    0);
	assert_int_equal(export_entry_end(w, sha1, &b1), 0);
	assert_int_equal(export_entry_begin(w, "../escape"), -1);
	assert_int_equal(export_entry_begin(w, "bulk.bin"), 0);
	assert_int_equal(export_entry_write(w, bulk, BULK), 0);
	assert_int_equal(export_entry_end(w, sha2, &b2), 0);
	assert_int_equal(b2, BULK);
	if (lie)
		sha2[0] = sha2[0] == '0' ? '1' : '0';
	snprintf(manifest, sizeof(manifest),
	    "{\"entities\":[{\"name\":\"people\",\"files\":[{\"name\":"
	    "\"people.json\",\"sha256\":\"%s\",\"bytes\":%llu}]},"
	    "{\"name\":\"bulk\",\"files\":[{\"name\":\"bulk.bin\","
	    "\"sha256\":\"%s\",\"bytes\":%llu}]}]}",
	    sha1, (unsigned long long)b1, sha2, (unsigned long long)b2);
	assert_int_equal(export_entry_begin(w, "manifest.json"), 0);
	assert_int_equal(export_entry_puts(w, manifest), 0);
	assert_int_equal(export_entry_end(w, NULL, NULL), 0);
	assert_int_equal(export_writer_finish(w, &total), 0);
	assert_int_equal(fclose(f), 0);
	assert_true(total > BULK);
	free(bulk);
}

static char *
slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *p;
	long len;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	p = malloc((size_t)len + 1);
	assert_non_null(p);
	assert_int_equal(fread(p, 1, (size_t)len, f), (size_t)len);
	p[len] = '\0';
	fclose(f);
	*n = (size_t)len;
	return p;
}

static void
test_round_trip(void **state)
{
	struct fx *f = *state;
	char err[256], path[256];
	long n = 0;
	size_t len;
	char *text;

	write_archive(f->file, PASS, 0);
	/* Nothing in clear in the archive. */
	text = slurp(f->file, &len);
	assert_null(memmem(text, len, "CLAIREMENT", 10));
	assert_memory_equal(text, EXPORT_MAGIC, 14);
	free(text);
	assert_int_equal(export_open(f->file, PASS, strlen(PASS), NULL, f->out,
			     &n, err, sizeof(err)),
	    0);
	assert_int_equal(n, 3);
	snprintf(path, sizeof(path), "%s/people.json", f->out);
	text = slurp(path, &len);
	assert_non_null(strstr(text, "Zoé CLAIREMENT-LISIBLE"));
	free(text);
	snprintf(path, sizeof(path), "%s/bulk.bin", f->out);
	text = slurp(path, &len);
	assert_int_equal(len, BULK);
	assert_int_equal((unsigned char)text[1000], (unsigned char)(1000 * 7));
	free(text);
}

static void
test_wrong_passphrase(void **state)
{
	struct fx *f = *state;
	char err[256];

	write_archive(f->file, PASS, 0);
	assert_int_equal(export_open(f->file, "pas la bonne phrase", 19, NULL,
			     f->out, NULL, err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "wrong passphrase"));
}

static void
test_manifest_checked(void **state)
{
	struct fx *f = *state;
	char err[256];

	write_archive(f->file, PASS, 1);
	assert_int_equal(export_open(f->file, PASS, strlen(PASS), NULL, f->out,
			     NULL, err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "bulk.bin"));
}

/* An archive sealed for a public key opens with its secret key only. */
static void
test_public_key(void **state)
{
	struct fx *f = *state;
	unsigned char pk2[EXPORT_PUBLIC_KEY_BYTES],
	    sk2[EXPORT_PUBLIC_KEY_BYTES];
	char err[256], out[160], path[256];
	size_t len;
	char *text;
	long n = 0;

	crypto_box_keypair(test_pk, test_sk);
	crypto_box_keypair(pk2, sk2);
	write_archive(f->file, NULL, 0);
	text = slurp(f->file, &len);
	assert_null(memmem(text, len, "CLAIREMENT", 10));
	assert_int_equal(text[15], EXPORT_KEY_SEALED_BOX);
	free(text);
	snprintf(out, sizeof(out), "%s/a", f->out);
	mkdir(f->out, 0700);
	assert_int_equal(export_open(f->file, NULL, 0, sk2, out, NULL, err,
			     sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "wrong secret key"));
	assert_int_equal(export_open(f->file, PASS, strlen(PASS), NULL, out,
			     NULL, err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "secret key"));
	snprintf(out, sizeof(out), "%s/b", f->out);
	assert_int_equal(export_open(f->file, NULL, 0, test_sk, out, &n, err,
			     sizeof(err)),
	    0);
	assert_int_equal(n, 3);
	snprintf(path, sizeof(path), "%s/people.json", out);
	text = slurp(path, &len);
	assert_non_null(strstr(text, "CLAIREMENT-LISIBLE"));
	free(text);
}

/* A flipped byte, a cut file, a byte appended: each refused. */
static void
test_damage(void **state)
{
	struct fx *f = *state;
	char err[256], out[160];
	size_t len;
	char *text;
	FILE *w;
	int i;

	write_archive(f->file, PASS, 0);
	text = slurp(f->file, &len);
	for (i = 0; i < 3; i++) {
		w = fopen(f->file, "wb");
		assert_non_null(w);
		if (i == 0) {
			text[len - 40] ^= 1;
			fwrite(text, 1, len, w);
			text[len - 40] ^= 1;
		} else if (i == 1) {
			fwrite(text, 1, len - 10, w);
		} else {
			fwrite(text, 1, len, w);
			fputc('x', w);
		}
		fclose(w);
		snprintf(out, sizeof(out), "%s/%d", f->out, i);
		mkdir(f->out, 0700);
		assert_int_equal(export_open(f->file, PASS, strlen(PASS), NULL,
				     out, NULL, err, sizeof(err)),
		    -1);
	}
	free(text);
}

static int
is_entity_table(const char *table)
{
	size_t i;

	for (i = 0; i < store_export_entities_count; i++)
		if (strcmp(store_export_entities[i].table, table) == 0)
			return 1;
	for (i = 0; i < store_export_skipped_count; i++)
		if (strcmp(store_export_skipped[i].table, table) == 0)
			return 1;
	return 0;
}

/* Every table holding an org_id (or the audit trail's org) is exported
 * or named as skipped with why. */
static void
test_no_table_forgotten(void **state)
{
	const struct column_decl *d;
	size_t i;

	(void)state;
	for (i = 0; i < store_columns_count; i++) {
		d = &store_columns[i];
		if (d->schema != STORE_SCHEMA_MAIN ||
		    (strcmp(d->column, "org_id") != 0 &&
			strcmp(d->column, "org") != 0))
			continue;
		if (!is_entity_table(d->table))
			fail_msg("table %s holds an organisation's rows but is "
				 "neither exported nor skipped",
			    d->table);
	}
}

/* The sealed columns an exported table holds that do not leave opened:
 * secrets, and what the server cannot open (end-to-end encrypted). */
static const char *const withheld[] = {
	"accounts.totp_secret",
	"accounts.totp_pending",
	"dossiers.profile",
	"dossiers.health",
	"dossiers.comment",
	"dossier_documents.jwe",
	"dossier_pauses.place",
	"dossier_pauses.note",
	"validator_keys.wrapped_private",
	"tenant_exports.archive_key",
	/* The tokens of a link to a remote authority: secrets. */
	"authority_links.access_token",
	"authority_links.refresh_token",
};

static void
test_sealed_decided(void **state)
{
	const struct column_decl *d;
	const struct store_export_entity *e;
	char name[160];
	size_t i, j, k;
	int listed;

	(void)state;
	for (i = 0; i < store_export_entities_count; i++) {
		e = &store_export_entities[i];
		for (j = 0; j < store_columns_count; j++) {
			d = &store_columns[j];
			if (d->schema != STORE_SCHEMA_MAIN ||
			    strcmp(d->table, e->table) != 0 ||
			    d->kind != COL_SEALED)
				continue;
			snprintf(name, sizeof(name), "%s.%s", d->table,
			    d->column);
			for (k = 0, listed = 0;
			     k < sizeof(withheld) / sizeof(*withheld); k++)
				listed |= strcmp(withheld[k], name) == 0;
			if (store_export_column_out(e, d->column, 1) == listed)
				fail_msg("sealed column %s: %s", name,
				    listed ? "withheld and exported"
					   : "neither opened nor withheld");
		}
		/* Every seal names columns of its table. */
		for (k = 0; k < STORE_EXPORT_SEALS_MAX && e->seals[k].column;
		     k++) {
			const char *cols[] = { e->seals[k].column,
				e->seals[k].owner_col, e->seals[k].rowid_col };
			size_t c;

			for (c = 0; c < 3; c++) {
				int found = cols[c] == NULL;

				for (j = 0; j < store_columns_count && !found;
				     j++)
					found = strcmp(store_columns[j].table,
						    e->table) == 0 &&
					    strcmp(store_columns[j].column,
						cols[c]) == 0;
				if (!found)
					fail_msg("%s: seal names %s", e->name,
					    cols[c]);
			}
		}
	}
	assert_false(store_export_column_out(&store_export_entities[0],
	    "token_hash", 0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_wrong_passphrase, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_manifest_checked, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_damage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_public_key, setup,
		    teardown),
		cmocka_unit_test(test_no_table_forgotten),
		cmocka_unit_test(test_sealed_decided),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
