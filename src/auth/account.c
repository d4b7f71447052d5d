/* account.c - organisations and accounts: creation, passwords,
 * deactivation. */
#include "auth/account.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "auth/oauth.h"
#include "auth/password.h"
#include "auth/rbac.h"
#include "auth/session.h"
#include "auth/throttle.h"
#include "core/log.h"
#include "notify/notify.h"
#include "store/driver.h"
#include "store/tenants.h"

/* 32 symbols, none easily misread: no 0, 1, I or O. */
static const char temp_alphabet[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

static const char *const org_kinds[] = { "platform", "school", "authority",
	"service", "association", "tenant" };

static int
refuse(char *why, size_t whylen, const char *msg)
{
	if (why != NULL && whylen > 0)
		snprintf(why, whylen, "%s", msg);
	return 1;
}

void
account_temp_password(char out[ACCOUNT_TEMP_PW_LEN])
{
	size_t i, o = 0;

	for (i = 0; i < 20; i++) {
		if (i > 0 && i % 5 == 0)
			out[o++] = '-';
		out[o++] = temp_alphabet[randombytes_uniform(32)];
	}
	out[o] = '\0';
}

/*
 * Decodes one UTF-8 sequence at s[i] (n bytes in all) into *cp. Returns
 * its length, or 0 if it is malformed (overlong, surrogate, past
 * U+10FFFF, cut short).
 */
static size_t
utf8_next(const unsigned char *s, size_t n, size_t i, uint32_t *cp)
{
	size_t need, k;
	uint32_t v, min;

	if (s[i] < 0x80) {
		*cp = s[i];
		return 1;
	}
	if (s[i] >= 0xc2 && s[i] <= 0xdf) {
		need = 1;
		v = s[i] & 0x1f;
		min = 0x80;
	} else if (s[i] >= 0xe0 && s[i] <= 0xef) {
		need = 2;
		v = s[i] & 0x0f;
		min = 0x800;
	} else if (s[i] >= 0xf0 && s[i] <= 0xf4) {
		need = 3;
		v = s[i] & 0x07;
		min = 0x10000;
	} else
		return 0;
	if (need > n - i - 1)
		return 0;
	for (k = 1; k <= need; k++) {
		if ((s[i + k] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[i + k] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return need + 1;
}

/* C0, DEL, C1, and the line and paragraph separators. */
static int
is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x2028 ||
	    cp == 0x2029;
}

/* Scans s (n bytes): 0 if valid UTF-8, 1 if malformed, 2 if it holds a
 * control character, 3 if it holds a space (when spaces are refused). */
static int
text_scan(const char *s, size_t n, int no_space)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;
	uint32_t cp;

	while (i < n) {
		if ((k = utf8_next(p, n, i, &cp)) == 0)
			return 1;
		if (is_control(cp))
			return 2;
		if (no_space && (cp == ' ' || cp == 0xa0))
			return 3;
		i += k;
	}
	return 0;
}

int
account_check_email(const char *email, char *why, size_t whylen)
{
	char e[ACCOUNT_EMAIL_MAX + 1];
	const char *at, *dot;
	int n;

	if (email == NULL || email[0] == '\0')
		return refuse(why, whylen, "email : adresse manquante");
	if (strnlen(email, 4 * ACCOUNT_EMAIL_MAX) > 2 * ACCOUNT_EMAIL_MAX ||
	    (n = auth_email_normalise(email, e)) < 0) {
		if (strspn(email, " \t\r\n\v\f") == strlen(email))
			return refuse(why, whylen, "email : adresse manquante");
		return refuse(why, whylen,
		    "email : adresse trop longue (254 octets au plus)");
	}
	switch (text_scan(e, (size_t)n, 1)) {
	case 0:
		break;
	case 1:
		return refuse(why, whylen, "email : encodage UTF-8 invalide");
	default:
		return refuse(why, whylen,
		    "email : les espaces et caractères de contrôle sont "
		    "interdits");
	}
	at = strchr(e, '@');
	if (at == NULL || strchr(at + 1, '@') != NULL)
		return refuse(why, whylen,
		    "email : l'adresse doit contenir un et un seul « @ »");
	dot = strrchr(at + 1, '.');
	if (at == e || at[1] == '\0' || dot == NULL || dot == at + 1 ||
	    dot[1] == '\0' || strstr(at, "..") != NULL)
		return refuse(why, whylen,
		    "email : adresse invalide (nom@domaine.fr attendu)");
	return 0;
}

int
account_check_name(const char *name, char *why, size_t whylen)
{
	size_t n;

	if (name == NULL || name[0] == '\0')
		return refuse(why, whylen, "display_name : nom manquant");
	n = strnlen(name, ACCOUNT_NAME_MAX + 1);
	if (n > ACCOUNT_NAME_MAX)
		return refuse(why, whylen,
		    "display_name : nom trop long (200 octets au plus)");
	switch (text_scan(name, n, 0)) {
	case 0:
		break;
	case 1:
		return refuse(why, whylen,
		    "display_name : encodage UTF-8 invalide");
	default:
		return refuse(why, whylen,
		    "display_name : les caractères de contrôle sont interdits");
	}
	if (strspn(name, " ") == n)
		return refuse(why, whylen, "display_name : nom manquant");
	return 0;
}

/* Organisations. */

struct org_arg {
	const struct auth *a;
	const char *actor;
	struct store_org o;
};

static int
org_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct org_arg *x = arg;
	struct audit_entry e;

	if (store_org_insert(st, c, &x->o) != 0)
		return -1;
	memset(&e, 0, sizeof(e));
	e.actor = x->actor;
	e.action = "org.create";
	e.target_type = "organisation";
	e.target_ids = x->o.id;
	e.org = x->o.id;
	e.outcome = AUDIT_SUCCESS;
	return audit_append(st, c, x->a->audit_key, x->o.created_at, &e, NULL);
}

int
org_create(const struct auth *a, const char *actor, const char *name,
    const char *kind, int64_t now, char id[AUTH_ID_HEX], char *why,
    size_t whylen)
{
	struct org_arg x;
	size_t i;
	int ok = 0;

	id[0] = '\0';
	if (name == NULL || name[0] == '\0' ||
	    strnlen(name, ACCOUNT_NAME_MAX + 1) > ACCOUNT_NAME_MAX ||
	    text_scan(name, strlen(name), 0) != 0)
		return refuse(why, whylen,
		    "name : nom de 1 à 200 octets sans caractère de contrôle "
		    "attendu");
	for (i = 0; kind != NULL && i < sizeof(org_kinds) / sizeof(*org_kinds);
	     i++)
		ok |= strcmp(kind, org_kinds[i]) == 0;
	if (!ok)
		return refuse(why, whylen,
		    "kind : type d'organisation inconnu");
	memset(&x, 0, sizeof(x));
	x.a = a;
	x.actor = actor;
	auth_id_new(x.o.id);
	snprintf(x.o.name, sizeof(x.o.name), "%s", name);
	snprintf(x.o.kind, sizeof(x.o.kind), "%s", kind);
	x.o.created_at = now;
	if (store_tx(a->st, 1, org_tx, &x) != 0)
		return -1;
	memcpy(id, x.o.id, AUTH_ID_HEX);
	return 0;
}

/* Account creation. */

struct create_arg {
	const struct auth *a;
	const char *actor;
	const struct account_new *in;
	account_create_hook hook; /* may be NULL */
	void *hook_arg;
	struct store_account acc;
	char *why;
	size_t whylen;
};

static int
create_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct create_arg *x = arg;
	struct store_account other;
	struct store_org org;
	size_t i;
	int rc;

	if ((rc = store_org_get(st, c, x->in->org_id, &org)) != 0)
		return rc < 0 ? -1
			      : refuse(x->why, x->whylen,
				    "org_id : organisation inconnue");
	/* Under the write lock: nobody can take the address meanwhile. The
	 * UNIQUE constraint stays as the last guard. */
	rc = store_account_by_email(st, c, x->acc.email_index, &other);
	store_account_clear(&other);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return refuse(x->why, x->whylen,
		    "email : un compte existe déjà avec cette adresse");
	if (store_account_insert(st, c, &x->acc) != 0)
		return -1;
	for (i = 0; x->in->roles[i] != NULL; i++)
		if (store_role_add(st, c, x->acc.id, x->in->org_id,
			x->in->roles[i]) != 0)
			return -1;
	if (auth_audit(x->a, c, x->acc.created_at, x->actor, "account.create",
		x->acc.id, x->in->org_id, NULL, AUDIT_SUCCESS) != 0)
		return -1;
	return x->hook != NULL ? x->hook(x->hook_arg, c, x->acc.id) : 0;
}

/* Checks the role list for an account of org_id: known roles, each in
 * its place, no separation of duties broken. 0, or 1 with why. */
static int
check_roles(const char *const *roles, const char *org_id, char *why,
    size_t whylen)
{
	struct rbac_gift g;
	uint64_t all = 0;
	enum role r;
	size_t i;

	if (roles == NULL || roles[0] == NULL)
		return refuse(why, whylen, "roles : au moins un rôle attendu");
	for (i = 0; roles[i] != NULL; i++) {
		if (i >= ACCOUNT_ROLES_MAX)
			return refuse(why, whylen, "roles : trop de rôles");
		if (!role_valid(roles[i]))
			return refuse(why, whylen, "roles : rôle inconnu");
		if (!role_allowed_in(roles[i], org_id))
			return refuse(why, whylen,
			    role_is_person(roles[i])
				? "roles : un compte de candidat ou d'usager "
				  "appartient à l'espace des personnes de la "
				  "plateforme, jamais à un établissement"
				: "roles : l'espace des personnes n'accueille "
				  "que des candidats, des usagers et leur "
				  "délégué à la protection des données");
		if (rbac_role_parse(roles[i], &r) == 0)
			all |= rbac_role_perms(r);
	}
	memset(&g, 0, sizeof(g));
	g.to_perms = all;
	g.to_people = strcmp(org_id, AUTH_PEOPLE_ORG) == 0;
	for (i = 0; roles[i] != NULL; i++) {
		if (rbac_role_parse(roles[i], &g.role) != 0)
			continue;
		if (rbac_may_give(NULL, &g) == RBAC_GIFT_SEPARATION)
			return refuse(why, whylen,
			    "roles : ces rôles ne peuvent pas être réunis sur "
			    "un même compte (séparation des tâches)");
	}
	return 0;
}

/* Creates in's account with the password hash hash, or with a fresh
 * temporary password into temp_password when hash is NULL. */
static int
create_account(const struct auth *a, const char *actor,
    const struct account_new *in, const char *hash, account_create_hook hook,
    void *hook_arg, int64_t now, char id[AUTH_ID_HEX],
    char temp_password[ACCOUNT_TEMP_PW_LEN], char *why, size_t whylen)
{
	struct create_arg x;
	struct data_key k;
	char owner[AUTH_OWNER_MAX], email[ACCOUNT_EMAIL_MAX + 1];
	size_t b, e;
	int rc = -1, made_key = 0;

	id[0] = '\0';
	if (temp_password != NULL)
		temp_password[0] = '\0';
	memset(&x, 0, sizeof(x));
	memset(&k, 0, sizeof(k));
	if (in->org_id == NULL || in->org_id[0] == '\0')
		return refuse(why, whylen, "org_id : organisation manquante");
	if (account_check_email(in->email, why, whylen) != 0 ||
	    account_check_name(in->display_name, why, whylen) != 0 ||
	    check_roles(in->roles, in->org_id, why, whylen) != 0)
		return 1;
	x.a = a;
	x.actor = actor;
	x.in = in;
	x.hook = hook;
	x.hook_arg = hook_arg;
	x.why = why;
	x.whylen = whylen;
	auth_id_new(x.acc.id);
	snprintf(x.acc.org_id, sizeof(x.acc.org_id), "%s", in->org_id);
	/* The email as typed, only trimmed; the index takes it folded. */
	b = strspn(in->email, " \t\r\n\v\f");
	e = strlen(in->email);
	while (e > b && strchr(" \t\r\n\v\f", in->email[e - 1]) != NULL)
		e--;
	memcpy(email, in->email + b, e - b);
	email[e - b] = '\0';
	if (auth_email_index(a, email, x.acc.email_index) != 0 ||
	    auth_subject_owner(x.acc.id, owner) != 0)
		goto done;
	if (auth_key(a, owner, 1, &k) != 0)
		goto done;
	made_key = 1;
	if (auth_seal(&k, "accounts", "email", x.acc.id, email, &x.acc.email) !=
		0 ||
	    auth_seal(&k, "accounts", "display_name", x.acc.id,
		in->display_name, &x.acc.display_name) != 0)
		goto done;
	if (hash != NULL) {
		snprintf(x.acc.password_hash, sizeof(x.acc.password_hash), "%s",
		    hash);
	} else {
		account_temp_password(temp_password);
		if (password_hash(temp_password, strlen(temp_password),
			x.acc.password_hash) != 0)
			goto done;
		x.acc.password_temporary = 1;
	}
	x.acc.password_changed_at = now;
	x.acc.created_at = now;
	rc = store_tx(a->st, 1, create_tx, &x);
	if (rc == 0)
		memcpy(id, x.acc.id, AUTH_ID_HEX);
done:
	if (rc != 0) {
		if (temp_password != NULL)
			sodium_memzero(temp_password, ACCOUNT_TEMP_PW_LEN);
		/* Nothing was sealed under it that was kept. */
		if (made_key && keystore_destroy(a->ks, owner, now) != 0)
			log_warnx("%s: cannot drop an unused key", __func__);
	}
	sodium_memzero(&k, sizeof(k));
	sodium_memzero(email, sizeof(email));
	store_account_clear(&x.acc);
	return rc;
}

int
account_create(const struct auth *a, const char *actor,
    const struct account_new *in, int64_t now, char id[AUTH_ID_HEX],
    char temp_password[ACCOUNT_TEMP_PW_LEN], char *why, size_t whylen)
{
	return create_account(a, actor, in, NULL, NULL, NULL, now, id,
	    temp_password, why, whylen);
}

int
account_create_chosen(const struct auth *a, const struct account_new *in,
    const char *hash, account_create_hook hook, void *hook_arg, int64_t now,
    char id[AUTH_ID_HEX], char *why, size_t whylen)
{
	return create_account(a, NULL, in, hash, hook, hook_arg, now, id, NULL,
	    why, whylen);
}

/* Reading. */

static char *
open_field(const struct data_key *k, const char *column, const char *id,
    const struct store_blob *b)
{
	char *pt = NULL;
	size_t n;

	if (k == NULL || b->p == NULL ||
	    field_open(k, "accounts", column, id, b->p, b->len, &pt, &n) != 0)
		return NULL;
	return pt;
}

int
account_read(const struct auth *a, const char *id, struct account_info *out)
{
	struct store_conn *c = store_conn(a->st);
	struct store_account acc;
	struct data_key k;
	char owner[AUTH_OWNER_MAX];
	int rc, have;

	memset(out, 0, sizeof(*out));
	if (c == NULL || auth_subject_owner(id, owner) != 0)
		return -1;
	if ((rc = store_account_get(a->st, c, id, &acc)) != 0)
		return rc;
	rc = -1;
	if ((have = auth_key(a, owner, 0, &k)) < 0)
		goto done;
	memcpy(out->id, acc.id, sizeof(out->id));
	memcpy(out->org_id, acc.org_id, sizeof(out->org_id));
	out->email =
	    open_field(have == 0 ? &k : NULL, "email", acc.id, &acc.email);
	out->display_name = open_field(have == 0 ? &k : NULL, "display_name",
	    acc.id, &acc.display_name);
	out->disabled = acc.disabled;
	out->password_temporary = acc.password_temporary;
	out->totp_enabled = acc.totp_secret.p != NULL;
	out->created_at = acc.created_at;
	out->last_login_at = acc.last_login_at;
	out->password_changed_at = acc.password_changed_at;
	rc = 0;
done:
	sodium_memzero(&k, sizeof(k));
	store_account_clear(&acc);
	return rc;
}

long
account_roles(const struct auth *a, const char *account_id, const char *org_id,
    struct store_role *out, size_t max)
{
	struct store_conn *c = store_conn(a->st);
	long n;

	if (c == NULL)
		return -1;
	n = store_role_list(a->st, c, account_id, org_id, out, max);
	return n < 0 ? -1 : ((size_t)n > max ? (long)max : n);
}

void
account_info_clear(struct account_info *info)
{
	if (info == NULL)
		return;
	field_free(info->email, info->email ? strlen(info->email) : 0);
	field_free(info->display_name,
	    info->display_name ? strlen(info->display_name) : 0);
	memset(info, 0, sizeof(*info));
}

int64_t
account_password_expires_at(const struct store_account *acc,
    const struct store_role *roles, size_t n, int64_t tenant_days)
{
	int64_t max = PASSWORD_ADMIN_MAX_AGE_MS;
	size_t i;
	int admin = 0;

	/* The organisation may renew its admins' passwords sooner, never
	 * later (tenancy/tenant.h). */
	if (tenant_days > 0 && tenant_days * AUTH_DAY_MS < max)
		max = tenant_days * AUTH_DAY_MS;
	for (i = 0; i < n; i++)
		admin |= role_is_admin(roles[i].role);
	/* Expired once older than max: from one millisecond after it. */
	return admin ? acc->password_changed_at + max + 1 : INT64_MAX;
}

int
account_password_expired(const struct store_account *acc,
    const struct store_role *roles, size_t n, int64_t tenant_days, int64_t now)
{
	return now >= account_password_expires_at(acc, roles, n, tenant_days);
}

/* Password change. */

struct change_arg {
	const struct auth *a;
	const char *account_id;
	const char *org_id;
	const char *hash; /* new hash, or NULL when the check failed */
	const unsigned char *keep;
	const char *ip;
	const struct throttle_keys *keys;
	int tell; /* a password the person chose is replaced: email them */
	int64_t now;
};

static int
change_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct change_arg *x = arg;

	if (x->hash == NULL)
		return auth_audit(x->a, c, x->now, x->account_id,
		    "account.password.change", x->account_id, x->org_id, x->ip,
		    AUDIT_FAILURE);
	if (throttle_success(st, c, x->keys) != 0 ||
	    store_account_set_password(st, c, x->account_id, x->hash, 0,
		x->now) != 0 ||
	    session_end_all_tx(x->a, c, x->account_id, x->keep) < 0 ||
	    oauth_end_all_tx(x->a, c, x->account_id, x->now) < 0)
		return -1;
	if (x->tell) {
		struct notice n = { "account.password_changed", NULL };

		if (notify_account(x->a, c, x->account_id, x->org_id, &n,
			x->now) != 0)
			return -1;
	}
	return auth_audit(x->a, c, x->now, x->account_id,
	    "account.password.change", x->account_id, x->org_id, x->ip,
	    AUDIT_SUCCESS);
}

/* The context words of the strength check: name, local part of the
 * email, organisation name. */
static int
context_words(const struct auth *a, const struct store_account *acc,
    char **name, char **local, struct store_org *org)
{
	struct store_conn *c = store_conn(a->st);
	struct data_key k;
	char owner[AUTH_OWNER_MAX], *at;
	int rc = -1;

	*name = *local = NULL;
	if (c == NULL || auth_subject_owner(acc->id, owner) != 0 ||
	    auth_key(a, owner, 0, &k) != 0)
		goto done;
	*name = open_field(&k, "display_name", acc->id, &acc->display_name);
	*local = open_field(&k, "email", acc->id, &acc->email);
	if (*local != NULL && (at = strchr(*local, '@')) != NULL)
		*at = '\0';
	if (store_org_get(a->st, c, acc->org_id, org) != 0)
		org->name[0] = '\0';
	rc = 0;
done:
	sodium_memzero(&k, sizeof(k));
	return rc;
}

int
account_check_new_password(const struct auth *a,
    const struct store_account *acc, const char *pw, size_t len, char *why,
    size_t whylen)
{
	struct store_tenant_policy tp;
	struct store_conn *c;
	struct store_org org;
	char *name = NULL, *local = NULL;
	const char *words[4];
	size_t n = 0;
	int rc = -1;

	memset(&org, 0, sizeof(org));
	memset(&tp, 0, sizeof(tp));
	if (context_words(a, acc, &name, &local, &org) != 0)
		goto done;
	if (name != NULL)
		words[n++] = name;
	if (local != NULL)
		words[n++] = local;
	if (org.name[0] != '\0')
		words[n++] = org.name;
	words[n] = NULL;
	rc = password_check_strength(pw, len, words, why, whylen) != 0 ? 1 : 0;
	/* The organisation may ask for longer passwords (its settings). */
	if (rc == 0 && (c = store_conn(a->st)) != NULL &&
	    store_tenant_of_account(a->st, c, acc->id, &tp) == 0 &&
	    tp.password_min_length > 0 &&
	    len < (size_t)tp.password_min_length) {
		snprintf(why, whylen,
		    "Le mot de passe doit contenir au moins %lld caractères "
		    "(règle de votre organisme).",
		    (long long)tp.password_min_length);
		rc = 1;
	}
done:
	field_free(name, name ? strlen(name) : 0);
	field_free(local, local ? strlen(local) : 0);
	return rc;
}

int
account_password_change(const struct auth *a, const char *account_id,
    const char *current, size_t current_len, const char *new_password,
    size_t new_len, const unsigned char *keep, const char *ip, int64_t now,
    char *why, size_t whylen)
{
	struct store_conn *c = store_conn(a->st);
	struct store_account acc;
	int64_t wait = 0;
	struct change_arg x;
	struct throttle_keys keys;
	char hash[PASSWORD_HASH_BYTES];
	int rc;

	memset(&acc, 0, sizeof(acc));
	memset(&x, 0, sizeof(x));
	hash[0] = '\0';
	if (c == NULL)
		return -1;
	if ((rc = store_account_get(a->st, c, account_id, &acc)) != 0)
		return rc < 0 ? -1
			      : refuse(why, whylen, "account : compte inconnu");
	rc = -1;
	if (throttle_keys_make(a, acc.email_index, ip, NULL, &keys) != 0)
		goto done;
	if (throttle_attempt(a->st, &keys, now, &wait) != 0)
		goto done;
	if (wait > 0) {
		snprintf(why, whylen,
		    "current_password : trop d'essais, réessayez dans %lld s",
		    (long long)throttle_seconds(wait));
		rc = 1;
		goto done;
	}
	x.a = a;
	x.account_id = acc.id;
	x.org_id = acc.org_id;
	x.keep = keep;
	x.ip = ip;
	x.keys = &keys;
	x.tell = !acc.password_temporary;
	x.now = now;
	if (password_verify(acc.password_hash, current, current_len) != 0) {
		rc = store_tx(a->st, 1, change_tx, &x) != 0
		    ? -1
		    : refuse(why, whylen,
			  "current_password : mot de passe actuel incorrect");
		goto done;
	}
	if ((rc = account_check_new_password(a, &acc, new_password, new_len,
		 why, whylen)) != 0) {
		/* The current password was right: give the attempt back. */
		if (rc > 0)
			rc = throttle_attempt_ok(a->st, &keys) != 0 ? -1 : 1;
		goto done;
	}
	rc = -1;
	if (password_hash(new_password, new_len, hash) != 0)
		goto done;
	x.hash = hash;
	rc = store_tx(a->st, 1, change_tx, &x);
done:
	sodium_memzero(hash, sizeof(hash));
	store_account_clear(&acc);
	return rc;
}

/* Admin reset and deactivation. */

struct admin_arg {
	const struct auth *a;
	const char *actor;
	const char *account_id;
	const char *hash; /* reset: the new temporary hash */
	const char *ip;
	int64_t now;
};

static int
reset_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct admin_arg *x = arg;
	struct store_account acc;
	int rc;

	if ((rc = store_account_get(st, c, x->account_id, &acc)) != 0)
		return rc;
	if (store_account_set_password(st, c, x->account_id, x->hash, 1,
		x->now) != 0 ||
	    session_end_all_tx(x->a, c, x->account_id, NULL) < 0 ||
	    oauth_end_all_tx(x->a, c, x->account_id, x->now) < 0)
		rc = -1;
	else
		rc = auth_audit(x->a, c, x->now, x->actor,
		    "account.password.reset", x->account_id, acc.org_id, x->ip,
		    AUDIT_SUCCESS);
	store_account_clear(&acc);
	return rc;
}

int
account_password_reset(const struct auth *a, const char *actor,
    const char *account_id, int64_t now,
    char temp_password[ACCOUNT_TEMP_PW_LEN])
{
	struct admin_arg x = { a, actor, account_id, NULL, NULL, now };
	char hash[PASSWORD_HASH_BYTES];
	int rc = -1;

	account_temp_password(temp_password);
	if (password_hash(temp_password, strlen(temp_password), hash) != 0)
		goto done;
	x.hash = hash;
	rc = store_tx(a->st, 1, reset_tx, &x);
done:
	if (rc != 0)
		sodium_memzero(temp_password, ACCOUNT_TEMP_PW_LEN);
	sodium_memzero(hash, sizeof(hash));
	return rc;
}

static int
deactivate_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct admin_arg *x = arg;
	struct store_account acc;
	int rc;

	if ((rc = store_account_get(st, c, x->account_id, &acc)) != 0)
		return rc;
	if (store_account_set_status(st, c, x->account_id, 1) != 0 ||
	    session_end_all_tx(x->a, c, x->account_id, NULL) < 0 ||
	    oauth_end_all_tx(x->a, c, x->account_id, x->now) < 0)
		rc = -1;
	else
		rc = auth_audit(x->a, c, x->now, x->actor, "account.deactivate",
		    x->account_id, acc.org_id, x->ip, AUDIT_SUCCESS);
	store_account_clear(&acc);
	return rc;
}

int
account_deactivate(const struct auth *a, const char *actor,
    const char *account_id, const char *ip, int64_t now)
{
	struct admin_arg x = { a, actor, account_id, NULL, ip, now };

	return store_tx(a->st, 1, deactivate_tx, &x);
}
