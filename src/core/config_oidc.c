/* config_oidc.c - the [oidc:NAME] sections: one OpenID provider each. */
#include "core/config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/num.h"

static int oidc_fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
oidc_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (err != NULL && errlen > 0)
		vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* The string keys of a section and where they go. */
struct oidc_key {
	const char *key;
	size_t offset, size;
};

#define O(field)                                                               \
	offsetof(struct config_oidc, field),                                   \
	    sizeof(((struct config_oidc *)0)->field)

static const struct oidc_key oidc_keys[] = {
	{ "label", O(label) },
	{ "issuer", O(issuer) },
	{ "client_id", O(client_id) },
	{ "client_secret_file", O(client_secret_file) },
	{ "scopes", O(scopes) },
	{ "roles", O(roles) },
	{ "orgs", O(orgs) },
	{ "mfa_acr", O(mfa_acr) },
	{ "mfa_amr", O(mfa_amr) },
	{ "signup", O(signup) },
};

#undef O

static int
name_ok(const char *name)
{
	size_t n = strlen(name);

	return n > 0 && n < CONFIG_OIDC_NAME_MAX &&
	    strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789") == n;
}

const struct config_oidc *
config_oidc_find(const struct config *cfg, const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < cfg->noidc; i++)
		if (strcmp(cfg->oidc[i].name, name) == 0)
			return &cfg->oidc[i];
	return NULL;
}

/* The provider name, added with its defaults when new; NULL when full. */
static struct config_oidc *
provider(struct config *cfg, const char *name)
{
	struct config_oidc *p =
	    (struct config_oidc *)(uintptr_t)config_oidc_find(cfg, name);

	if (p != NULL || cfg->noidc >= CONFIG_OIDC_MAX)
		return p;
	p = &cfg->oidc[cfg->noidc++];
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", name);
	snprintf(p->label, sizeof(p->label), "%s", name);
	snprintf(p->scopes, sizeof(p->scopes), "openid email");
	p->skew_s = 60;
	return p;
}

/* Undoes what provider() added for a refused key: a refusal leaves the
 * configuration as it was. */
static int
refused_new(struct config *cfg, size_t before)
{
	if (cfg->noidc > before) {
		cfg->noidc--;
		memset(&cfg->oidc[cfg->noidc], 0, sizeof(cfg->oidc[0]));
	}
	return -1;
}

int
config_oidc_set(struct config *cfg, const char *name, const char *key,
    const char *value, char *err, size_t errlen)
{
	struct config_oidc *p;
	size_t i, vl = strlen(value), before = cfg->noidc;
	long n;

	if (!name_ok(name))
		return oidc_fail(err, errlen,
		    "[oidc:...]: a provider name is 1 to 32 lower-case "
		    "letters or digits");
	if ((p = provider(cfg, name)) == NULL)
		return oidc_fail(err, errlen, "[oidc:%s]: at most %d providers",
		    name, CONFIG_OIDC_MAX);
	if (strcmp(key, "skew_s") == 0) {
		if (num_parse_long(value, 0, 300, &n) != 0) {
			oidc_fail(err, errlen,
			    "[oidc:%s] skew_s: expected a whole number from 0 "
			    "to 300",
			    name);
			return refused_new(cfg, before);
		}
		p->skew_s = n;
		return 0;
	}
	for (i = 0; i < sizeof(oidc_keys) / sizeof(oidc_keys[0]); i++) {
		if (strcmp(oidc_keys[i].key, key) != 0)
			continue;
		if (vl >= oidc_keys[i].size ||
		    memchr(value, '\n', vl) != NULL) {
			oidc_fail(err, errlen,
			    "[oidc:%s] %s: one line of at most %zu bytes", name,
			    oidc_keys[i].key, oidc_keys[i].size - 1);
			return refused_new(cfg, before);
		}
		memcpy((char *)p + oidc_keys[i].offset, value, vl + 1);
		return 0;
	}
	/* The key as typed, its control bytes shown as '?': an error
	 * message is one printable line. */
	{
		char shown[41];

		for (i = 0; i + 1 < sizeof(shown) && key[i] != '\0'; i++)
			shown[i] = (unsigned char)key[i] < 0x20 ||
				(unsigned char)key[i] == 0x7f
			    ? '?'
			    : key[i];
		shown[i] = '\0';
		oidc_fail(err, errlen, "[oidc:%s] %s: unknown key", name,
		    shown);
	}
	return refused_new(cfg, before);
}

/* An issuer: https://HOST..., or http:// on a loopback host only (a
 * provider in the tests). */
static int
issuer_ok(const char *u)
{
	size_t i;

	for (i = 0; u[i] != '\0'; i++)
		if ((unsigned char)u[i] <= ' ' || (unsigned char)u[i] >= 0x7f ||
		    strchr("\"'<>#?\\`", u[i]) != NULL)
			return 0;
	if (strncmp(u, "https://", 8) == 0)
		return u[8] != '\0' && u[8] != '/';
	return strncmp(u, "http://127.0.0.1:", 17) == 0 ||
	    strncmp(u, "http://localhost:", 17) == 0;
}

int
config_oidc_validate(const struct config *cfg, char *err, size_t errlen)
{
	const struct config_oidc *p;
	struct stat sb;
	size_t i;

	for (i = 0; i < cfg->noidc; i++) {
		p = &cfg->oidc[i];
		if (!issuer_ok(p->issuer))
			return oidc_fail(err, errlen,
			    "config: [oidc:%s] issuer: expected https://HOST "
			    "(http:// on 127.0.0.1 or localhost only)",
			    p->name);
		if (p->client_id[0] == '\0')
			return oidc_fail(err, errlen,
			    "config: [oidc:%s] client_id: required", p->name);
		if (p->client_secret_file[0] != '\0' &&
		    (stat(p->client_secret_file, &sb) != 0 ||
			!S_ISREG(sb.st_mode) ||
			access(p->client_secret_file, R_OK) != 0))
			return oidc_fail(err, errlen,
			    "config: [oidc:%s] client_secret_file: not a "
			    "readable file",
			    p->name);
		if (p->roles[0] == '\0')
			return oidc_fail(err, errlen,
			    "config: [oidc:%s] roles: name the roles it may "
			    "sign into (e.g. candidate, user)",
			    p->name);
		if (p->signup[0] != '\0' &&
		    (strcmp(p->signup, "users") != 0 ||
			strstr(p->roles, "candidate") == NULL ||
			p->orgs[0] != '\0'))
			return oidc_fail(err, errlen,
			    "config: [oidc:%s] signup: \"users\" (the "
			    "people's provider, whose roles include "
			    "candidate and which names no orgs) or nothing",
			    p->name);
	}
	return 0;
}
