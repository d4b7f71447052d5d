/* appt_users.c (service) - checking, sealing, opening and finding the
 * users (usagers) and relatives of the appointments module. */
#include "service/appt_people.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "appointments/appt_time.h"
#include "audit/audit.h"
#include "crypto/field.h"
#include "crypto/keystore.h"
#include "store/driver.h"

/* Why a record linked to an account takes no reminders choice from an
 * agent: the person's own consent decides. */
#define REMINDERS_OWN_ACCOUNT                                                    \
	"cet usager a un compte : il choisit lui-même ses rappels dans « Mes " \
	"consentements »"

#define TABLE "appt_users"

/* The family situations RDV-Solidarités offers. */
static const char *const situations[] = { "celibataire", "marie", "pacse",
	"concubinage", "separe", "divorce", "veuf", NULL };

/* Longest value of each field, in bytes. */
static const size_t field_max[AUF_COUNT] = { 200, 200, 200, 10, 254, 20, 300,
	20, 16, 2, 1000 };

int
svc_appt_user_owner(int64_t id, char *out, size_t size)
{
	int n = snprintf(out, size, "subject:appt_user:%lld", (long long)id);

	return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* Whether s is UTF-8 text without control characters (newlines allowed
 * when multiline). */
static int
text_ok(const char *s, int multiline)
{
	const unsigned char *p;
	json_t *j;

	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if ((*p < 0x20 && !(multiline && *p == '\n')) || *p == 0x7f)
			return 0;
	if ((j = json_string(s)) == NULL) /* NULL: not UTF-8 */
		return 0;
	json_decref(j);
	return 1;
}

static int
digits(const char *s, size_t min, size_t max)
{
	size_t n = strlen(s), i;

	if (n < min || n > max)
		return 0;
	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* The phone number's digits, "+33" read as "0": "06 12 34 56 78" and
 * "+33612345678" give "0612345678". Returns 0, or -1 (not a number). */
static int
phone_norm(const char *s, char *out, size_t size)
{
	size_t n = 0;

	if (strncmp(s, "+33", 3) == 0) {
		out[n++] = '0';
		s += 3;
	} else if (*s == '+') {
		out[n++] = '+';
		s++;
	}
	for (; *s != '\0'; s++) {
		if (*s == ' ' || *s == '.' || *s == '-')
			continue;
		if (!isdigit((unsigned char)*s) || n + 1 >= size)
			return -1;
		out[n++] = *s;
	}
	out[n] = '\0';
	return n >= 6 ? 0 : -1;
}

static int
email_shape(const char *s)
{
	const char *at = strchr(s, '@');

	return at != NULL && at != s && strchr(at + 1, '@') == NULL &&
	    strchr(at + 1, '.') != NULL && at[1] != '.' &&
	    s[strlen(s) - 1] != '.' && strchr(s, ' ') == NULL;
}

/* Checks the fields of in; the first at fault is named in err. */
static int
check_in(const struct svc_appt_user_in *in, struct appt_error *err)
{
	static const char *const rule_len = "est trop long";
	char buf[32];
	int64_t day;
	size_t i;
	long v;

	for (i = 0; i < AUF_COUNT; i++) {
		const char *f = in->f[i] ? in->f[i] : "";
		const char *col = store_appt_user_columns[i];

		if (strlen(f) > field_max[i])
			return appt_error_set(err, APPT_PARAMETRE_INVALIDE, col,
			    rule_len);
		if (!text_ok(f, i == AUF_NOTES || i == AUF_ADDRESS))
			return appt_error_set(err, APPT_PARAMETRE_INVALIDE, col,
			    "contient des caractères non permis");
	}
	if (in->f[AUF_LAST_NAME] == NULL || in->f[AUF_LAST_NAME][0] == '\0')
		return appt_error_set(err, APPT_PARAMETRE_INVALIDE, "last_name",
		    "est obligatoire");
	if (in->f[AUF_FIRST_NAMES] == NULL || in->f[AUF_FIRST_NAMES][0] == '\0')
		return appt_error_set(err, APPT_PARAMETRE_INVALIDE,
		    "first_names", "est obligatoire");
	if (in->f[AUF_BIRTH_DATE] != NULL && in->f[AUF_BIRTH_DATE][0] != '\0' &&
	    appt_date_parse(in->f[AUF_BIRTH_DATE],
		strlen(in->f[AUF_BIRTH_DATE]), &day) != 0)
		return appt_error_set(err, APPT_PARAMETRE_INVALIDE,
		    "birth_date", "doit être une date AAAA-MM-JJ");
	if (in->f[AUF_EMAIL] != NULL && in->f[AUF_EMAIL][0] != '\0' &&
	    !email_shape(in->f[AUF_EMAIL]))
		return appt_error_set(err, APPT_PARAMETRE_INVALIDE, "email",
		    "doit être une adresse e-mail");
	if (in->f[AUF_PHONE] != NULL && in->f[AUF_PHONE][0] != '\0' &&
	    phone_norm(in->f[AUF_PHONE], buf, sizeof(buf)) != 0)
		return appt_error_set(err, APPT_PARAMETRE_INVALIDE, "phone",
		    "doit être un numéro de téléphone");
	if (in->f[AUF_CAF_NUMBER] != NULL && in->f[AUF_CAF_NUMBER][0] != '\0' &&
	    !digits(in->f[AUF_CAF_NUMBER], 1, 20))
		return appt_error_set(err, APPT_PARAMETRE_INVALIDE,
		    "caf_number", "ne doit contenir que des chiffres");
	if (in->f[AUF_CHILDREN] != NULL && in->f[AUF_CHILDREN][0] != '\0' &&
	    (!digits(in->f[AUF_CHILDREN], 1, 2) ||
		(v = strtol(in->f[AUF_CHILDREN], NULL, 10)) > 30))
		return appt_error_set(err, APPT_PARAMETRE_INVALIDE, "children",
		    "doit être un nombre entre 0 et 30");
	if (in->f[AUF_FAMILY_SITUATION] != NULL &&
	    in->f[AUF_FAMILY_SITUATION][0] != '\0') {
		for (i = 0; situations[i] != NULL; i++)
			if (strcmp(situations[i],
				in->f[AUF_FAMILY_SITUATION]) == 0)
				break;
		if (situations[i] == NULL)
			return appt_error_set(err, APPT_PARAMETRE_INVALIDE,
			    "family_situation",
			    "doit être celibataire, marie, pacse, concubinage,"
			    " separe, divorce ou veuf");
	}
	return APPT_OK;
}

/* The blind index of column over value (normalised as its search does:
 * lower-case ASCII, phone digits). "" gives "". Returns 0 or -1. */
static int
index_of(const struct svc *s, const char *column, const char *value,
    char out[STORE_INDEX_MAX])
{
	struct data_key k;
	char norm[APPT_FIELD_MAX];
	size_t i;
	int rc = -1;

	out[0] = '\0';
	if (value == NULL || value[0] == '\0')
		return 0;
	if (strcmp(column, "phone") == 0) {
		if (phone_norm(value, norm, sizeof(norm)) != 0)
			return -1;
	} else {
		for (i = 0; value[i] != '\0' && i + 1 < sizeof(norm); i++)
			norm[i] = (char)tolower((unsigned char)value[i]);
		norm[i] = '\0';
	}
	if (keystore_get(s->a->ks, AUTH_KEY_OWNER_INDEX, 1, &k) == 0)
		rc = field_blind_index(&k, TABLE, column, norm, strlen(norm),
		    out);
	sodium_memzero(&k, sizeof(k));
	sodium_memzero(norm, sizeof(norm));
	return rc;
}

int
svc_appt_user_check(const struct svc_appt_user_in *in, struct appt_error *err)
{
	return check_in(in, err);
}

int
svc_appt_user_email_index(const struct svc *s, const char *email,
    char out[STORE_INDEX_MAX])
{
	return index_of(s, "email", email, out);
}

/* The name index: last name and birth date together. */
static int
name_index(const struct svc *s, const char *last_name, const char *birth_date,
    char out[STORE_INDEX_MAX])
{
	char v[300];
	int n = snprintf(v, sizeof(v), "%s|%s", last_name ? last_name : "",
	    birth_date ? birth_date : "");
	int rc;

	if (n < 0 || (size_t)n >= sizeof(v))
		return -1;
	rc = index_of(s, "name", v, out);
	sodium_memzero(v, sizeof(v));
	return rc;
}

/* Seals in into row (id set) under the person's key. Returns 0 or -1. */
static int
seal_row(const struct svc *s, const struct svc_appt_user_in *in,
    struct store_appt_user *row)
{
	struct data_key k;
	char owner[AUTH_OWNER_MAX], rid[24];
	size_t i;
	int rc = -1;

	memset(&k, 0, sizeof(k));
	snprintf(rid, sizeof(rid), "%lld", (long long)row->id);
	if (svc_appt_user_owner(row->id, owner, sizeof(owner)) != 0 ||
	    keystore_get(s->a->ks, owner, 1, &k) != 0)
		goto done;
	if (name_index(s, in->f[AUF_LAST_NAME], in->f[AUF_BIRTH_DATE],
		row->name_index) != 0 ||
	    index_of(s, "email", in->f[AUF_EMAIL], row->email_index) != 0 ||
	    index_of(s, "phone", in->f[AUF_PHONE], row->phone_index) != 0)
		goto done;
	for (i = 0; i < AUF_COUNT; i++) {
		const char *v = in->f[i];

		if (v == NULL || v[0] == '\0')
			continue;
		if (field_seal(&k, 1, TABLE, store_appt_user_columns[i], rid, v,
			strlen(v), &row->f[i].p, &row->f[i].len) != 0)
			goto done;
	}
	rc = 0;
done:
	sodium_memzero(&k, sizeof(k));
	return rc;
}

static int
audit_user(const struct svc *s, struct store_conn *c,
    const struct svc_actor *who, const char *action, int64_t id,
    int64_t responsible_id, int64_t now)
{
	struct audit_entry e;
	char ids[24], details[64];

	memset(&e, 0, sizeof(e));
	snprintf(ids, sizeof(ids), "%lld", (long long)id);
	snprintf(details, sizeof(details), "{\"responsible_id\":%lld}",
	    (long long)responsible_id);
	e.actor = who->account_id;
	e.org = who->org_id;
	e.ip = who->ip;
	e.request_id = who->request_id;
	e.action = action;
	e.target_type = "appt_user";
	e.target_ids = ids;
	e.outcome = AUDIT_SUCCESS;
	e.details = details;
	return audit_append(s->a->st, c, s->a->audit_key, now, &e, NULL);
}

int
svc_appt_user_create_in(const struct svc *s, struct store_conn *c,
    const struct svc_actor *who, const char *org_id, int64_t responsible_id,
    const char *account_id, const struct svc_appt_user_in *in, int64_t now,
    int64_t *id, struct appt_error *err)
{
	struct store_appt_user row, resp = { 0 };
	int rc;

	memset(&row, 0, sizeof(row));
	if ((rc = check_in(in, err)) != APPT_OK)
		return rc;
	if (in->reminders != 0 && account_id != NULL)
		return appt_error_set(err, APPT_PARAMETRE_INVALIDE, "reminders",
		    REMINDERS_OWN_ACCOUNT);
	if (responsible_id > 0) {
		rc = store_appt_user_get(s->a->st, c, responsible_id, &resp);
		if (rc < 0)
			return -1;
		rc = rc == 1 || strcmp(resp.org_id, org_id) != 0 ||
			resp.responsible_id != 0
		    ? appt_error_set(err, APPT_USAGER_INCONNU, "responsible_id",
			  "doit désigner un usager responsable de l'organisme")
		    : APPT_OK;
		store_appt_user_clear(&resp);
		if (rc != APPT_OK)
			return rc;
	}
	if (store_appt_user_insert(s->a->st, c, org_id, responsible_id,
		who->account_id, now, &row.id) != 0)
		return -1;
	row.updated_at = now;
	rc = seal_row(s, in, &row) != 0 ||
		store_appt_user_write(s->a->st, c, &row) != 0 ||
		(account_id != NULL &&
		    store_appt_user_link(s->a->st, c, row.id, account_id,
			now) != 0) ||
		(in->reminders > 0 &&
		    store_appt_user_set_reminders(s->a->st, c, row.id, now,
			who->account_id) != 0) ||
		audit_user(s, c, who, "appt_user.create", row.id,
		    responsible_id, now) != 0
	    ? -1
	    : APPT_OK;
	*id = row.id;
	store_appt_user_clear(&row);
	return rc;
}

struct create_tx {
	const struct svc *s;
	const struct svc_actor *who;
	const char *org_id, *account_id;
	int64_t responsible_id, now, id;
	const struct svc_appt_user_in *in;
	struct appt_error *err;
	int code;
};

static int
create_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct create_tx *t = arg;

	(void)st;
	t->code = svc_appt_user_create_in(t->s, c, t->who, t->org_id,
	    t->responsible_id, t->account_id, t->in, t->now, &t->id, t->err);
	return t->code == APPT_OK ? 0 : t->code < 0 ? -1 : 1;
}

int
svc_appt_user_create(const struct svc *s, const struct svc_actor *who,
    const char *org_id, int64_t responsible_id, const char *account_id,
    const struct svc_appt_user_in *in, int64_t now, int64_t *id,
    struct appt_error *err)
{
	struct create_tx t = { s, who, org_id, account_id, responsible_id, now,
		0, in, err, 0 };
	int rc = store_tx(s->a->st, 1, create_tx, &t);

	if (rc < 0 || t.code < 0) {
		/* The key made for the record that was not written goes. */
		char owner[AUTH_OWNER_MAX];

		if (t.id > 0 &&
		    svc_appt_user_owner(t.id, owner, sizeof(owner)) == 0)
			keystore_destroy(s->a->ks, owner, now);
		return -1;
	}
	*id = t.id;
	return t.code;
}

/* Writes {"responsible_id":r,"fields":[...]} into out: the names of the
 * fields of in that differ from cur (never their values). */
static int
changed_fields(const struct svc_appt_user *cur,
    const struct svc_appt_user_in *in, char *out, size_t size)
{
	json_t *o, *names = json_array();
	char *text;
	size_t i;
	int rc = -1;

	for (i = 0; names != NULL && i < AUF_COUNT; i++)
		if (strcmp(cur->f[i], in->f[i] != NULL ? in->f[i] : "") != 0)
			json_array_append_new(names,
			    json_string(store_appt_user_columns[i]));
	if (names != NULL && in->reminders != 0 &&
	    (in->reminders > 0) != (cur->reminders_at != 0))
		json_array_append_new(names, json_string("reminders"));
	o = json_pack("{s:I, s:o}", "responsible_id",
	    (json_int_t)cur->responsible_id, "fields", names);
	if (o != NULL && (text = json_dumps(o, JSON_COMPACT)) != NULL) {
		if (strlen(text) < size) {
			memcpy(out, text, strlen(text) + 1);
			rc = 0;
		}
		free(text);
	}
	json_decref(o);
	return rc;
}

int
svc_appt_user_update_in(const struct svc *s, struct store_conn *c,
    const struct svc_actor *who, const char *org_id, int64_t id,
    const struct svc_appt_user_in *in, int64_t now, struct appt_error *err)
{
	struct store_appt_user row;
	struct svc_appt_user *cur;
	struct audit_entry e;
	char ids[24], details[512];
	int rc;

	if ((cur = calloc(1, sizeof(*cur))) == NULL)
		return -1;
	/* Known to the organisation and not erased (an erased record's key
	 * is not made again), then checked: nothing is said of another
	 * organisation's record. */
	rc = svc_appt_user_open(s, c, org_id, id, cur);
	if (rc == APPT_USAGER_INCONNU)
		appt_error_set(err, rc, "id", NULL);
	if (rc == APPT_OK)
		rc = check_in(in, err);
	if (rc == APPT_OK && in->reminders != 0 && cur->account_id[0] != '\0')
		rc = appt_error_set(err, APPT_PARAMETRE_INVALIDE, "reminders",
		    REMINDERS_OWN_ACCOUNT);
	if (rc != APPT_OK ||
	    changed_fields(cur, in, details, sizeof(details)) != 0) {
		sodium_memzero(cur, sizeof(*cur));
		free(cur);
		return rc != APPT_OK ? rc : -1;
	}
	memset(&row, 0, sizeof(row));
	row.id = id;
	row.updated_at = now;
	memset(&e, 0, sizeof(e));
	snprintf(ids, sizeof(ids), "%lld", (long long)id);
	e.actor = who->account_id;
	e.org = who->org_id != NULL ? who->org_id : cur->org_id;
	e.ip = who->ip;
	e.request_id = who->request_id;
	e.action = "appt_user.update";
	e.target_type = "appt_user";
	e.target_ids = ids;
	e.outcome = AUDIT_SUCCESS;
	e.details = details;
	rc = seal_row(s, in, &row) != 0 ||
		store_appt_user_write(s->a->st, c, &row) != 0 ||
		(in->reminders != 0 &&
		    (in->reminders > 0) != (cur->reminders_at != 0) &&
		    store_appt_user_set_reminders(s->a->st, c, id,
			in->reminders > 0 ? now : 0, who->account_id) != 0) ||
		audit_append(s->a->st, c, s->a->audit_key, now, &e, NULL) != 0
	    ? -1
	    : APPT_OK;
	store_appt_user_clear(&row);
	sodium_memzero(cur, sizeof(*cur));
	free(cur);
	return rc;
}

struct update_tx {
	const struct svc *s;
	const struct svc_actor *who;
	const char *org_id;
	int64_t id, now;
	const struct svc_appt_user_in *in;
	struct appt_error *err;
	int code;
};

static int
update_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct update_tx *t = arg;

	(void)st;
	t->code = svc_appt_user_update_in(t->s, c, t->who, t->org_id, t->id,
	    t->in, t->now, t->err);
	return t->code == APPT_OK ? 0 : t->code < 0 ? -1 : 1;
}

int
svc_appt_user_update(const struct svc *s, const struct svc_actor *who,
    const char *org_id, int64_t id, const struct svc_appt_user_in *in,
    int64_t now, struct appt_error *err)
{
	struct update_tx t = { s, who, org_id, id, now, in, err, 0 };
	int rc = store_tx(s->a->st, 1, update_tx, &t);

	return rc < 0 || t.code < 0 ? -1 : t.code;
}

int
svc_appt_user_open(const struct svc *s, struct store_conn *c,
    const char *org_id, int64_t id, struct svc_appt_user *out)
{
	struct store_appt_user row = { 0 };
	struct data_key k;
	char owner[AUTH_OWNER_MAX], rid[24], *pt;
	size_t i, n;
	int rc, have;

	memset(out, 0, sizeof(*out));
	memset(&k, 0, sizeof(k));
	if ((rc = store_appt_user_get(s->a->st, c, id, &row)) != 0) {
		store_appt_user_clear(&row);
		return rc < 0 ? -1 : APPT_USAGER_INCONNU;
	}
	rc = -1;
	if (org_id != NULL && strcmp(row.org_id, org_id) != 0) {
		rc = APPT_USAGER_INCONNU;
		goto done;
	}
	snprintf(rid, sizeof(rid), "%lld", (long long)id);
	if (svc_appt_user_owner(id, owner, sizeof(owner)) != 0 ||
	    (have = keystore_get(s->a->ks, owner, 0, &k)) < 0)
		goto done;
	if (have == 1) { /* erased: gone for everyone */
		rc = APPT_USAGER_INCONNU;
		goto done;
	}
	out->id = row.id;
	out->responsible_id = row.responsible_id;
	out->created_at = row.created_at;
	out->updated_at = row.updated_at;
	out->reminders_at = row.reminders_at;
	memcpy(out->org_id, row.org_id, sizeof(out->org_id));
	memcpy(out->account_id, row.account_id, sizeof(out->account_id));
	for (i = 0; i < AUF_COUNT; i++) {
		if (row.f[i].p == NULL)
			continue;
		if (field_open(&k, TABLE, store_appt_user_columns[i], rid,
			row.f[i].p, row.f[i].len, &pt, &n) != 0)
			goto done;
		if (n < APPT_FIELD_MAX)
			memcpy(out->f[i], pt, n + 1);
		field_free(pt, n);
	}
	rc = APPT_OK;
done:
	if (rc != APPT_OK)
		sodium_memzero(out, sizeof(*out));
	sodium_memzero(&k, sizeof(k));
	store_appt_user_clear(&row);
	return rc;
}

struct open_tx {
	const struct svc *s;
	const char *org_id;
	int64_t id;
	struct svc_appt_user *out;
	int code;
};

static int
open_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct open_tx *t = arg;

	(void)st;
	t->code = svc_appt_user_open(t->s, c, t->org_id, t->id, t->out);
	return t->code < 0 ? -1 : 0;
}

int
svc_appt_user_get(const struct svc *s, const char *org_id, int64_t id,
    struct svc_appt_user *out)
{
	struct open_tx t = { s, org_id, id, out, 0 };

	if (store_tx(s->a->st, 0, open_tx, &t) != 0)
		return -1;
	return t.code;
}

int
svc_appt_user_search(const struct svc *s, const char *org_id,
    const char *last_name, const char *birth_date, const char *email,
    const char *phone, int64_t *ids, size_t max, size_t *n)
{
	char idx[STORE_INDEX_MAX];
	enum appt_user_index which;

	*n = 0;
	if (last_name != NULL && last_name[0] != '\0') {
		which = AUI_NAME;
		if (name_index(s, last_name, birth_date, idx) != 0)
			return -1;
	} else if (email != NULL && email[0] != '\0') {
		which = AUI_EMAIL;
		if (index_of(s, "email", email, idx) != 0)
			return -1;
	} else if (phone != NULL && phone[0] != '\0') {
		which = AUI_PHONE;
		if (index_of(s, "phone", phone, idx) != 0)
			return APPT_PARAMETRE_INVALIDE;
	} else
		return APPT_PARAMETRE_INVALIDE;
	return store_appt_user_find(s->a->st, store_conn(s->a->st), org_id,
	    which, idx, ids, max, n);
}

int
svc_appt_user_relatives(const struct svc *s, const char *org_id,
    int64_t responsible_id, int64_t *ids, size_t max, size_t *n)
{
	struct store_appt_user row = { 0 };
	int rc;

	*n = 0;
	rc = store_appt_user_get(s->a->st, store_conn(s->a->st), responsible_id,
	    &row);
	if (rc == 0 && org_id != NULL && strcmp(row.org_id, org_id) != 0)
		rc = 1;
	store_appt_user_clear(&row);
	if (rc != 0)
		return rc < 0 ? -1 : APPT_USAGER_INCONNU;
	return store_appt_user_relatives(s->a->st, store_conn(s->a->st),
	    responsible_id, ids, max, n);
}

#define FILE_RECORDS_MAX (APPT_USERS_FOUND_MAX + 1)

struct file_tx {
	const char *org_id;
	int64_t user_id, current;
	svc_appt_file_fn fn;
	void *arg;
	int code;
};

static int
file_row(void *arg, const struct store_appt_listed *a)
{
	struct file_tx *t = arg;

	return t->fn(t->arg, t->current, a);
}

static int
file_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct file_tx *t = arg;
	struct store_appt_user u;
	int64_t ids[FILE_RECORDS_MAX];
	size_t n = 0, i;
	int rc, other;

	memset(&u, 0, sizeof(u));
	rc = store_appt_user_get(st, c, t->user_id, &u);
	other = rc == 0 && strcmp(u.org_id, t->org_id) != 0;
	store_appt_user_clear(&u);
	if (rc < 0)
		return -1;
	if (rc == 1 || other) {
		t->code = APPT_USAGER_INCONNU;
		return 0;
	}
	ids[0] = t->user_id;
	if (store_appt_user_relatives(st, c, t->user_id, ids + 1,
		FILE_RECORDS_MAX - 1, &n) != 0)
		return -1;
	for (i = 0; i <= n; i++) {
		t->current = ids[i];
		rc = store_appt_list_user(st, c, ids[i], 200, file_row, t);
		if (rc < 0)
			return -1;
		if (rc > 0)
			break; /* the caller has enough */
	}
	t->code = APPT_OK;
	return 0;
}

int
svc_appt_user_file(const struct svc *s, const char *org_id, int64_t user_id,
    svc_appt_file_fn fn, void *arg)
{
	struct file_tx t = { org_id, user_id, 0, fn, arg, 0 };

	if (store_tx(s->a->st, 0, file_tx, &t) != 0)
		return -1;
	return t.code;
}
