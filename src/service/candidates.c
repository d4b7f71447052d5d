/* candidates.c (service) - checking, sealing, opening and listing the
 * registry's candidates, and assigning them to trainers. */
#include "service/candidates.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "appointments/appt_time.h"
#include "auth/rbac.h"
#include "booking/mandate.h"
#include "booking/neph.h"
#include "core/clock.h"
#include "crypto/field.h"
#include "notify/notify.h"
#include "store/candidates.h"
#include "store/driver.h"
#include "store/mandates.h"

/* Copies s without its surrounding spaces into dst (size bytes).
 * Returns the length, or -1 when it does not fit. */
static long
trim_copy(char *dst, size_t size, const char *s)
{
	size_t b = 0, e;

	dst[0] = '\0';
	if (s == NULL)
		return 0;
	e = strlen(s);
	while (b < e && (s[b] == ' ' || s[b] == '\t'))
		b++;
	while (e > b &&
	    (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r' ||
		s[e - 1] == '\n'))
		e--;
	if (e - b >= size)
		return -1;
	memcpy(dst, s + b, e - b);
	dst[e - b] = '\0';
	return (long)(e - b);
}

/* Counts the characters of UTF-8 text s, or -1 when it is not valid
 * UTF-8 or holds a control character. */
static long
utf8_chars(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	long n = 0;
	int more, i;
	unsigned cp;

	while (*p != '\0') {
		if (*p < 0x20 || *p == 0x7f)
			return -1;
		if (*p < 0x80) {
			p++;
			n++;
			continue;
		}
		if (*p >= 0xc2 && *p <= 0xdf) {
			more = 1;
			cp = *p & 0x1f;
		} else if (*p >= 0xe0 && *p <= 0xef) {
			more = 2;
			cp = *p & 0x0f;
		} else if (*p >= 0xf0 && *p <= 0xf4) {
			more = 3;
			cp = *p & 0x07;
		} else
			return -1;
		for (i = 1; i <= more; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return -1;
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		/* Overlong forms, surrogates, beyond U+10FFFF. */
		if ((more == 2 && cp < 0x800) || (more == 3 && cp < 0x10000) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			return -1;
		if (cp >= 0x80 && cp <= 0x9f) /* C1 controls */
			return -1;
		p += more + 1;
		n++;
	}
	return n;
}

static int
name_ok(char *dst, const char *s)
{
	long n;

	if (trim_copy(dst, SVC_NAME_BYTES, s) <= 0)
		return 0;
	n = utf8_chars(dst);
	return n >= 1 && n <= SVC_NAME_CHARS;
}

/* A basic check: one '@' with text before, a dot in the domain after,
 * no spaces or control characters. */
static int
email_ok(const char *s)
{
	const char *at = strchr(s, '@'), *p;

	if (at == NULL || at == s || strchr(at + 1, '@') != NULL)
		return 0;
	if (strchr(at + 1, '.') == NULL || at[1] == '.' ||
	    s[strlen(s) - 1] == '.')
		return 0;
	for (p = s; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f)
			return 0;
	return 1;
}

enum bk_code
svc_candidate_parse(struct svc_candidate_in *out, const char *neph,
    const char *last_name, const char *first_names, const char *category,
    const char *gearbox, const char *email, const char **field)
{
	long n;

	memset(out, 0, sizeof(*out));
	*field = "neph";
	if ((n = trim_copy(out->neph, sizeof(out->neph), neph)) < 0 ||
	    booking_neph_check(out->neph, (size_t)n) != BK_OK)
		return BK_PARAMETRE_INVALIDE;
	*field = "last_name";
	if (!name_ok(out->last_name, last_name))
		return BK_PARAMETRE_INVALIDE;
	*field = "first_names";
	if (!name_ok(out->first_names, first_names))
		return BK_PARAMETRE_INVALIDE;
	*field = "category";
	if ((n = trim_copy(out->category, sizeof(out->category), category)) <
		0 ||
	    booking_category_check(out->category, (size_t)n) != BK_OK)
		return BK_PARAMETRE_INVALIDE;
	*field = "gearbox";
	if (gearbox != NULL &&
	    (trim_copy(out->gearbox, sizeof(out->gearbox), gearbox) < 0 ||
		(strcmp(out->gearbox, "manual") != 0 &&
		    strcmp(out->gearbox, "automatic") != 0)))
		return BK_PARAMETRE_INVALIDE;
	*field = "email";
	if ((n = trim_copy(out->email, sizeof(out->email), email)) < 0 ||
	    (n > 0 && !email_ok(out->email)))
		return BK_PARAMETRE_INVALIDE;
	*field = NULL;
	return BK_OK;
}

int
svc_birth_date_parse(char out[SVC_DATE_MAX], const char *raw)
{
	int64_t day;
	long n;

	out[0] = '\0';
	if ((n = trim_copy(out, SVC_DATE_MAX, raw)) < 0)
		return 1;
	if (n == 0)
		return 0;
	if (n != 10 || appt_date_parse(out, (size_t)n, &day) != 0) {
		out[0] = '\0';
		return 1;
	}
	return 0;
}

int
svc_candidate_owner(int64_t id, char *out, size_t size)
{
	int n = snprintf(out, size, "subject:candidate:%lld", (long long)id);

	return n < 0 || (size_t)n >= size ? -1 : 0;
}

int
svc_candidate_neph_index(const struct svc *s, const char *neph,
    char out[BLIND_INDEX_HEX])
{
	struct data_key k;
	int rc = -1;

	out[0] = '\0';
	if (keystore_get(s->a->ks, AUTH_KEY_OWNER_INDEX, 1, &k) == 0)
		rc = field_blind_index(&k, "candidates", "neph", neph,
		    strlen(neph), out);
	sodium_memzero(&k, sizeof(k));
	return rc;
}

static int
seal(const struct data_key *k, const char *column, const char *rid,
    const char *v, struct store_blob *out)
{
	out->p = NULL;
	out->len = 0;
	return field_seal(k, 1, "candidates", column, rid, v, strlen(v),
	    &out->p, &out->len);
}

int
svc_candidate_seal(const struct svc *s, int64_t id,
    const struct svc_candidate_in *in, int64_t now, struct store_candidate *row)
{
	struct data_key k;
	char owner[AUTH_OWNER_MAX], rid[24];
	int rc = -1;

	memset(row, 0, sizeof(*row));
	memset(&k, 0, sizeof(k));
	snprintf(rid, sizeof(rid), "%lld", (long long)id);
	if (svc_candidate_owner(id, owner, sizeof(owner)) != 0 ||
	    keystore_get(s->a->ks, owner, 1, &k) != 0)
		goto done;
	row->id = id;
	snprintf(row->category, sizeof(row->category), "%s", in->category);
	snprintf(row->gearbox, sizeof(row->gearbox), "%s", in->gearbox);
	row->created_at = row->updated_at = now;
	if (seal(&k, "neph", rid, in->neph, &row->neph) != 0 ||
	    seal(&k, "last_name", rid, in->last_name, &row->last_name) != 0 ||
	    seal(&k, "first_names", rid, in->first_names, &row->first_names) !=
		0 ||
	    (in->email[0] != '\0' &&
		seal(&k, "email", rid, in->email, &row->email) != 0) ||
	    (in->birth_date[0] != '\0' &&
		seal(&k, "birth_date", rid, in->birth_date, &row->birth_date) !=
		    0))
		goto done;
	rc = 0;
done:
	sodium_memzero(&k, sizeof(k));
	if (rc != 0)
		store_candidate_clear(row);
	return rc;
}

int
svc_candidate_store(const struct svc *s, struct store_conn *c, int64_t id,
    const struct svc_candidate_in *in, int64_t now)
{
	struct store_candidate row = { 0 };
	int rc = -1;

	if (svc_candidate_seal(s, id, in, now, &row) == 0)
		rc = store_candidate_write(s->a->st, c, &row) == 0 ? 0 : -1;
	store_candidate_clear(&row);
	return rc;
}

/* Opens one sealed column into dst (size bytes); an absent blob gives "".
 * Returns 0 or -1. */
static int
open_into(const struct data_key *k, const char *column, const char *rid,
    const struct store_blob *b, char *dst, size_t size)
{
	char *pt = NULL;
	size_t n = 0;
	int rc = -1;

	dst[0] = '\0';
	if (b->p == NULL)
		return 0;
	if (field_open(k, "candidates", column, rid, b->p, b->len, &pt, &n) !=
	    0)
		return -1;
	if (n < size) {
		memcpy(dst, pt, n + 1);
		rc = 0;
	}
	field_free(pt, n);
	return rc;
}

int
svc_candidate_open(const struct svc *s, struct store_conn *c, int64_t id,
    struct svc_candidate *out)
{
	struct store_candidate row = { 0 };
	struct data_key k;
	char owner[AUTH_OWNER_MAX], rid[24];
	int rc, have;

	memset(out, 0, sizeof(*out));
	memset(&k, 0, sizeof(k));
	if ((rc = store_candidate_get(s->a->st, c, id, &row)) != 0)
		goto done;
	rc = -1;
	snprintf(rid, sizeof(rid), "%lld", (long long)id);
	if (svc_candidate_owner(id, owner, sizeof(owner)) != 0 ||
	    (have = keystore_get(s->a->ks, owner, 0, &k)) < 0)
		goto done;
	if (have == 1) { /* erased: the data is gone for everyone */
		rc = 1;
		goto done;
	}
	out->id = row.id;
	memcpy(out->category, row.category, sizeof(out->category));
	memcpy(out->gearbox, row.gearbox, sizeof(out->gearbox));
	memcpy(out->account_id, row.account_id, sizeof(out->account_id));
	if (open_into(&k, "neph", rid, &row.neph, out->neph,
		sizeof(out->neph)) != 0 ||
	    open_into(&k, "last_name", rid, &row.last_name, out->last_name,
		sizeof(out->last_name)) != 0 ||
	    open_into(&k, "first_names", rid, &row.first_names,
		out->first_names, sizeof(out->first_names)) != 0 ||
	    open_into(&k, "email", rid, &row.email, out->email,
		sizeof(out->email)) != 0 ||
	    open_into(&k, "birth_date", rid, &row.birth_date, out->birth_date,
		sizeof(out->birth_date)) != 0)
		goto done;
	rc = 0;
done:
	if (rc != 0)
		sodium_memzero(out, sizeof(*out));
	sodium_memzero(&k, sizeof(k));
	store_candidate_clear(&row);
	return rc;
}

struct list_arg {
	const struct svc *s;
	struct store_conn *c;
	svc_candidate_fn fn;
	void *arg;
	int failed;
};

static int
list_one(void *arg, const struct store_mandated *m)
{
	struct list_arg *l = arg;
	struct svc_candidate cand;
	int rc;

	rc = svc_candidate_open(l->s, l->c, m->candidate_id, &cand);
	if (rc == 1) /* erased meanwhile: nothing to show */
		return 0;
	if (rc != 0) {
		l->failed = 1;
		return -1;
	}
	cand.mandate_id = m->mandate_id;
	cand.mandate_expires_at = m->expires_at;
	memcpy(cand.trainer, m->trainer, sizeof(cand.trainer));
	rc = l->fn(l->arg, &cand);
	sodium_memzero(&cand, sizeof(cand));
	return rc;
}

int
svc_candidates_list(const struct svc *s, int64_t school_id, const char *trainer,
    int64_t now, svc_candidate_fn fn, void *arg)
{
	struct list_arg l = { s, store_conn(s->a->st), fn, arg, 0 };

	if (l.c == NULL)
		return -1;
	if (store_candidates_mandated(s->a->st, l.c, school_id, trainer, now,
		SVC_CANDIDATES_MAX, list_one, &l) != 0 ||
	    l.failed)
		return -1;
	return 0;
}

/* Finds the mandate of school_id for candidate id active at now. Returns
 * BK_OK with *m filled, BK_CANDIDAT_PAS_SOUS_MANDAT, or -1. */
static int
active_mandate(const struct svc *s, struct store_conn *c, int64_t school_id,
    int64_t id, int64_t now, struct mandate *m)
{
	struct mandate list[STORE_MANDATES_MAX];
	size_t n = 0, i;

	if (store_mandates_of_candidate(s->a->st, c, id, list,
		STORE_MANDATES_MAX, &n) != 0)
		return -1;
	for (i = 0; i < n; i++)
		if (list[i].school_id == school_id &&
		    mandate_check_action(&list[i], 1, id, school_id,
			list[i].category, now) == BK_OK) {
			*m = list[i];
			return BK_OK;
		}
	return BK_CANDIDAT_PAS_SOUS_MANDAT;
}

int
svc_candidate_get(const struct svc *s, int64_t school_id, int64_t id,
    int64_t now, struct svc_candidate *out)
{
	struct store_conn *c = store_conn(s->a->st);
	struct mandate m = { 0 };
	int rc;

	memset(out, 0, sizeof(*out));
	if (c == NULL)
		return -1;
	rc = active_mandate(s, c, school_id, id, now, &m);
	if (rc != BK_OK)
		return rc < 0 ? -1 : BK_CANDIDAT_INCONNU;
	if ((rc = svc_candidate_open(s, c, id, out)) != 0)
		return rc < 0 ? -1 : BK_CANDIDAT_INCONNU;
	out->mandate_id = m.id;
	out->mandate_expires_at = m.expires_at;
	if (store_candidate_trainer_get(s->a->st, c, school_id, id,
		out->trainer, sizeof(out->trainer)) < 0) {
		sodium_memzero(out, sizeof(*out));
		return -1;
	}
	return BK_OK;
}

struct assign_arg {
	const struct svc *s;
	const struct svc_actor *who;
	int64_t school_id, id, now;
	const char *trainer;
	int code;
};

/* Is account a trainer of org? */
static int
is_trainer(struct store *st, struct store_conn *c, const char *account,
    const char *org)
{
	struct store_role roles[ACCOUNT_ROLES_MAX];
	struct store_account acc;
	long n, i;
	int yes = 0, rc;

	memset(&acc, 0, sizeof(acc));
	rc = store_account_get(st, c, account, &acc);
	if (rc != 0 || acc.disabled || strcmp(acc.org_id, org) != 0) {
		store_account_clear(&acc);
		return rc < 0 ? -1 : 0;
	}
	store_account_clear(&acc);
	n = store_role_list(st, c, account, org, roles, ACCOUNT_ROLES_MAX);
	if (n < 0)
		return -1;
	for (i = 0; i < n && i < ACCOUNT_ROLES_MAX; i++)
		if (strcmp(roles[i].role, rbac_role_name(ROLE_TRAINER)) == 0)
			yes = 1;
	return yes;
}

static int
assign_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct assign_arg *x = arg;
	struct mandate m = { 0 };
	struct audit_entry e;
	char target[24];
	int rc;

	if ((rc = is_trainer(st, c, x->trainer, x->who->org_id)) <= 0) {
		x->code = BK_PARAMETRE_INVALIDE;
		return rc < 0 ? -1 : 0;
	}
	rc = active_mandate(x->s, c, x->school_id, x->id, x->now, &m);
	if (rc != BK_OK) {
		x->code = rc;
		return rc < 0 ? -1 : 0;
	}
	if (store_candidate_trainer_set(st, c, x->school_id, x->id, x->trainer,
		x->now) != 0)
		return -1;
	snprintf(target, sizeof(target), "%lld", (long long)x->id);
	memset(&e, 0, sizeof(e));
	e.actor = x->who->account_id;
	e.action = "candidate.assign";
	e.target_type = "candidate";
	e.target_ids = target;
	e.org = x->who->org_id;
	e.ip = x->who->ip;
	e.request_id = x->who->request_id;
	e.outcome = AUDIT_SUCCESS;
	e.details = NULL;
	if (audit_append(st, c, x->s->a->audit_key, x->now, &e, NULL) != 0)
		return -1;
	x->code = BK_OK;
	return 0;
}

int
svc_candidate_assign(const struct svc *s, const struct svc_actor *who,
    int64_t school_id, int64_t id, const char *trainer, int64_t now)
{
	struct assign_arg x = { s, who, school_id, id, now, trainer, -1 };

	if (trainer == NULL || trainer[0] == '\0' ||
	    strlen(trainer) >= STORE_ID_MAX)
		return BK_PARAMETRE_INVALIDE;
	if (store_tx(s->a->st, 1, assign_tx, &x) != 0)
		return -1;
	return x.code;
}

struct link_arg {
	const struct svc *s;
	int64_t id, now;
	const char *account_id;
};

static int
link_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct link_arg *x = arg;
	struct audit_entry e;
	char target[24];
	int rc;

	if ((rc = store_candidate_link(st, c, x->id, x->account_id)) != 0)
		return rc;
	snprintf(target, sizeof(target), "%lld", (long long)x->id);
	memset(&e, 0, sizeof(e));
	e.action = "candidate.link";
	e.target_type = "candidate";
	e.target_ids = target;
	e.outcome = AUDIT_SUCCESS;
	return audit_append(st, c, x->s->a->audit_key, x->now, &e, NULL);
}

int
svc_candidate_link_account(const struct svc *s, int64_t candidate_id,
    const char *account_id)
{
	/* The link is not a rule's decision: the wall clock dates it. */
	struct link_arg x = { s, candidate_id, clock_now_ms(clock_real()),
		account_id };

	return store_tx(s->a->st, 1, link_tx, &x);
}

int
svc_candidates_of_account(const struct svc *s, const char *account_id,
    int64_t *ids, size_t max, size_t *n)
{
	struct store_conn *c = store_conn(s->a->st);

	*n = 0;
	if (c == NULL)
		return -1;
	return store_candidates_of_account(s->a->st, c, account_id, ids, max,
	    n);
}

int
svc_candidate_exams_of_account(const struct svc *s, const char *account_id,
    store_exam_fn fn, void *arg)
{
	struct store_conn *c = store_conn(s->a->st);
	int64_t ids[16];
	size_t n = 0, i;

	if (c == NULL ||
	    store_candidates_of_account(s->a->st, c, account_id, ids, 16, &n) !=
		0)
		return -1;
	for (i = 0; i < n; i++)
		if (store_candidate_exams(s->a->st, c, ids[i], 1000, fn, arg) !=
		    0)
			return -1;
	return 0;
}

int
svc_candidate_tell(const struct svc *s, struct store_conn *c, int64_t id,
    const char *kind, const char *params, int64_t now)
{
	struct store_candidate row;
	struct notice n = { kind, params };
	int rc;

	memset(&row, 0, sizeof(row));
	if ((rc = store_candidate_get(s->a->st, c, id, &row)) != 0) {
		store_candidate_clear(&row);
		return rc < 0 ? -1 : 0;
	}
	rc = 0;
	if (row.account_id[0] != '\0')
		rc = notify_account(s->a, c, row.account_id, NULL, &n, now);
	store_candidate_clear(&row);
	return rc;
}

int
svc_candidate_tell_exam(const struct svc *s, struct store_conn *c,
    int64_t candidate_id, const char *kind, const struct bk_exam *e,
    const char *extra, int64_t now)
{
	char params[320];
	int n;

	n = snprintf(params, sizeof(params),
	    "{\"exam_id\":%lld,\"start_at\":%lld,\"category\":\"%s\"%s%s}",
	    (long long)e->id, (long long)e->start_at, e->category,
	    extra != NULL ? "," : "", extra != NULL ? extra : "");
	if (n < 0 || (size_t)n >= sizeof(params))
		return -1;
	return svc_candidate_tell(s, c, candidate_id, kind, params, now);
}
