/* config.c - INI file and environment configuration, validated. */
#include "core/config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ini.h>

#include "core/fsutil.h"
#include "core/limits.h"
#include "core/num.h"

enum key_type {
	KEY_STRING,
	KEY_PATH,
	KEY_LONG,
	KEY_BOOL,
	KEY_LEVEL,
	KEY_LISTEN,
	KEY_DRIVER
};

struct key_def {
	const char *section;
	const char *key;
	enum key_type type;
	const char *dflt;
	long min, max; /* KEY_LONG bounds */
	size_t offset; /* into struct config */
	size_t size; /* of the field, for strings */
};

#define F(field)                                                               \
	offsetof(struct config, field), sizeof(((struct config *)0)->field)

/* Every key Créneau knows. README.md lists them with their meaning. */
static const struct key_def keys[] = {
	{ "http", "listen", KEY_LISTEN, "127.0.0.1:8080", 0, 0, F(listen) },
	{ "http", "tls_cert", KEY_PATH, "", 0, 0, F(tls_cert) },
	{ "http", "tls_key", KEY_PATH, "", 0, 0, F(tls_key) },
	{ "http", "threads", KEY_LONG, "4", 1, LIMIT_HTTP_THREADS_MAX,
	    F(threads) },
	{ "http", "max_body_bytes", KEY_LONG, "1048576", 1024,
	    LIMIT_HTTP_BODY_MAX, F(max_body_bytes) },
	{ "http", "max_header_bytes", KEY_LONG, "32768", LIMIT_HTTP_HEADER_MIN,
	    LIMIT_HTTP_HEADER_MAX, F(max_header_bytes) },
	{ "http", "timeout", KEY_LONG, "30", 1, 3600, F(timeout) },
	{ "http", "per_ip_connections", KEY_LONG, "64", 1, 65535,
	    F(per_ip_connections) },
	{ "http", "max_connections", KEY_LONG, "1024", 1, 65535,
	    F(max_connections) },
	{ "http", "shutdown_timeout", KEY_LONG, "30", 0, 3600,
	    F(shutdown_timeout) },
	{ "http", "access_log", KEY_BOOL, "on", 0, 0, F(access_log) },
	{ "http", "web_dir", KEY_PATH, "web", 0, 0, F(web_dir) },
	{ "http", "public_url", KEY_STRING, "", 0, 0, F(public_url) },
	{ "store", "driver", KEY_DRIVER, "sqlite", 0, 0, F(store_driver) },
	{ "store", "path", KEY_PATH, "data/creneau.db", 0, 0, F(store_path) },
	{ "store", "busy_timeout_ms", KEY_LONG, "5000", 0, 600000,
	    F(store_busy_timeout_ms) },
	{ "store", "url", KEY_STRING, "", 0, 0, F(store_url) },
	{ "store", "password_file", KEY_PATH, "", 0, 0,
	    F(store_password_file) },
	{ "store", "pool_size", KEY_LONG, "32", 2, LIMIT_STORE_POOL_MAX,
	    F(store_pool_size) },
	{ "store", "plan_check", KEY_BOOL, "off", 0, 0, F(store_plan_check) },
	{ "keys", "master_key_file", KEY_PATH, "", 0, 0, F(master_key_file) },
	{ "keys", "keystore", KEY_PATH, "", 0, 0, F(keystore_path) },
	{ "keys", "keystore_url", KEY_STRING, "", 0, 0, F(keystore_url) },
	{ "keys", "keystore_password_file", KEY_PATH, "", 0, 0,
	    F(keystore_password_file) },
	{ "audit", "signing_key_file", KEY_PATH, "", 0, 0,
	    F(audit_signing_key_file) },
	{ "audit", "retention_days", KEY_LONG, "365", 30, 3650,
	    F(audit_retention_days) },
	{ "backup", "dir", KEY_PATH, "", 0, 0, F(backup_dir) },
	{ "backup", "keep", KEY_LONG, "7", 1, 3650, F(backup_keep) },
	{ "backup", "interval_hours", KEY_LONG, "24", 1, 8760,
	    F(backup_interval_hours) },
	{ "gdpr", "datamap", KEY_PATH, "config/datamap.ini", 0, 0,
	    F(datamap_path) },
	{ "log", "level", KEY_LEVEL, "info", 0, 0, F(log_level) },
	{ "jobs", "enabled", KEY_BOOL, "on", 0, 0, F(jobs_enabled) },
	{ "booking", "territory_delay_hours", KEY_LONG, "24", 0, 720,
	    F(booking_territory_delay_hours) },
	{ "booking", "places_per_etp_centi", KEY_LONG, "500", 1, 100000,
	    F(booking_places_per_etp_centi) },
	{ "booking", "basket_add_max", KEY_LONG, "4", 1, 32,
	    F(booking_basket_add_max) },
	{ "booking", "basket_slots_max", KEY_LONG, "12", 1, 32,
	    F(booking_basket_slots_max) },
	{ "booking", "basket_ttl_minutes", KEY_LONG, "15", 1, 1440,
	    F(booking_basket_ttl_minutes) },
	{ "booking", "late_cancel_window_days", KEY_LONG, "7", 1, 365,
	    F(booking_late_cancel_window_days) },
	{ "booking", "delay_failure_days", KEY_LONG, "10", 1, 365,
	    F(booking_delay_failure_days) },
	{ "booking", "delay_late_cancel_days", KEY_LONG, "30", 1, 365,
	    F(booking_delay_late_cancel_days) },
	{ "booking", "delay_absence_days", KEY_LONG, "40", 1, 365,
	    F(booking_delay_absence_days) },
	{ "booking", "mandate_months", KEY_LONG, "12", 1, 120,
	    F(booking_mandate_months) },
	{ "booking", "replacements_max", KEY_LONG, "2", 0, 100,
	    F(booking_replacements_max) },
	{ "booking", "notify_low_pct", KEY_LONG, "80", 1, 99,
	    F(booking_notify_low_pct) },
	{ "dossiers", "family_documents", KEY_STRING, "certificat_handicap", 0,
	    0, F(dossiers_family_documents) },
	{ "dossiers", "volunteer_documents", KEY_STRING,
	    "attestation_competences", 0, 0, F(dossiers_volunteer_documents) },
	{ "dossiers", "document_max_bytes", KEY_LONG, "900000", 1024,
	    LIMIT_HTTP_BODY_MAX, F(dossiers_document_max_bytes) },
	{ "dossiers", "documents_max", KEY_LONG, "10", 1, 100,
	    F(dossiers_documents_max) },
	{ "tenancy", "grace_days", KEY_LONG, "30", 1, 31,
	    F(tenancy_grace_days) },
	{ "tenancy", "export_dir", KEY_PATH, "", 0, 0, F(tenancy_export_dir) },
	{ "tenancy", "export_interval", KEY_LONG, "10", 1, 3600,
	    F(tenancy_export_interval) },
	{ "authority", "mode", KEY_STRING, "local", 0, 0, F(authority_mode) },
	{ "authority", "url", KEY_STRING, "", 0, 0, F(authority_url) },
	{ "authority", "client_id", KEY_STRING, "", 0, 0,
	    F(authority_client_id) },
	{ "authority", "client_secret_file", KEY_PATH, "", 0, 0,
	    F(authority_client_secret_file) },
	/* LIMIT_RATELIMIT_*_DEFAULT; 0: not limited. */
	{ "ratelimit", "school_per_minute", KEY_LONG, "600", 0,
	    LIMIT_RATELIMIT_MAX, F(ratelimit_school_per_minute) },
	{ "ratelimit", "employee_per_minute", KEY_LONG, "210", 0,
	    LIMIT_RATELIMIT_MAX, F(ratelimit_employee_per_minute) },
	{ "auth", "reauth_window_s", KEY_LONG, "300", 1, 3600,
	    F(auth_reauth_window_s) },
	{ "notify", "email", KEY_BOOL, "on", 0, 0, F(notify_email) },
	{ "smtp", "url", KEY_STRING, "", 0, 0, F(smtp_url) },
	{ "smtp", "from", KEY_STRING, "", 0, 0, F(smtp_from) },
	{ "smtp", "starttls", KEY_STRING, "required", 0, 0, F(smtp_starttls) },
	{ "smtp", "username", KEY_STRING, "", 0, 0, F(smtp_username) },
	{ "smtp", "password_file", KEY_PATH, "", 0, 0, F(smtp_password_file) },
	{ "smtp", "timeout", KEY_LONG, "30", 1, 600, F(smtp_timeout) },
	{ "smtp", "interval", KEY_LONG, "30", 1, 86400, F(smtp_interval) },
	{ "sms", "url", KEY_STRING, "", 0, 0, F(sms_url) },
	{ "sms", "credentials_file", KEY_PATH, "", 0, 0,
	    F(sms_credentials_file) },
	{ "sms", "token_file", KEY_PATH, "", 0, 0, F(sms_token_file) },
	{ "sms", "reports_token_file", KEY_PATH, "", 0, 0,
	    F(sms_reports_token_file) },
	{ "sms", "timeout", KEY_LONG, "10", 1, 600, F(sms_timeout) },
	{ "sms", "interval", KEY_LONG, "30", 1, 86400, F(sms_interval) },
	{ "appt", "public_url", KEY_STRING, "http://127.0.0.1:8080", 0, 0,
	    F(appt_public_url) },
	{ "appt", "reminder_interval", KEY_LONG, "300", 1, 86400,
	    F(appt_reminder_interval) },
	{ "appt", "waitlist_days", KEY_LONG, "30", 1, 30,
	    F(appt_waitlist_days) },
	{ "appt", "waitlist_tell", KEY_LONG, "3", 1, 50,
	    F(appt_waitlist_tell) },
};

#undef F

static int fail(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* Copies value for an error message: printable ASCII, cut at 64 bytes. */
static void
shown(char *out, size_t outlen, const char *value)
{
	size_t i, o = 0;

	for (i = 0; value[i] != '\0' && o + 1 < outlen && i < 64; i++)
		out[o++] = isprint((unsigned char)value[i]) ? value[i] : '?';
	out[o] = '\0';
}

static int
parse_listen(struct config *cfg, const char *v, char *why, size_t whylen)
{
	char host[256];
	const char *colon, *h, *p;
	size_t hl;
	long port;
	/* Built aside, copied in only once valid: a refused value leaves
	 * the configuration as it was. */
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	socklen_t len;
	int loopback;

	if (v[0] == '[') {
		colon = strstr(v, "]:");
		if (colon == NULL)
			goto bad;
		h = v + 1;
		hl = (size_t)(colon - h);
		p = colon + 2;
	} else {
		colon = strrchr(v, ':');
		if (colon == NULL)
			goto bad;
		h = v;
		hl = (size_t)(colon - v);
		p = colon + 1;
	}
	if (hl == 0 || hl >= sizeof(host))
		goto bad;
	memcpy(host, h, hl);
	host[hl] = '\0';
	if (num_parse_long(p, 1, 65535, &port) != 0)
		goto bad;

	memset(&ss, 0, sizeof(ss));
	if (strcmp(host, "localhost") == 0)
		snprintf(host, sizeof(host), "127.0.0.1");
	if (inet_pton(AF_INET, host, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		len = sizeof(*sin);
		loopback = (ntohl(sin->sin_addr.s_addr) >> 24) == 127;
	} else if (inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		len = sizeof(*sin6);
		loopback = IN6_IS_ADDR_LOOPBACK(&sin6->sin6_addr);
	} else {
		snprintf(why, whylen,
		    "expected a numeric IPv4 or [IPv6] address or localhost");
		return -1;
	}
	cfg->listen_addr = ss;
	cfg->listen_addrlen = len;
	cfg->listen_loopback = loopback;
	return 0;
bad:
	snprintf(why, whylen, "expected HOST:PORT with a port from 1 to 65535");
	return -1;
}

static int
parse_bool(const char *v, int *out)
{
	if (!strcmp(v, "on") || !strcmp(v, "true") || !strcmp(v, "yes") ||
	    !strcmp(v, "1"))
		*out = 1;
	else if (!strcmp(v, "off") || !strcmp(v, "false") || !strcmp(v, "no") ||
	    !strcmp(v, "0"))
		*out = 0;
	else
		return -1;
	return 0;
}

static int
set_key(struct config *cfg, const struct key_def *k, const char *value,
    char *err, size_t errlen)
{
	char *field = (char *)cfg + k->offset;
	char why[160], val[80];
	long n;
	int b;
	enum log_level lv;
	size_t vl = strlen(value);

	why[0] = '\0';
	switch (k->type) {
	case KEY_STRING:
	case KEY_PATH:
	case KEY_DRIVER:
	case KEY_LISTEN:
		if (vl >= k->size) {
			snprintf(why, sizeof(why), "longer than %zu bytes",
			    k->size - 1);
			break;
		}
		if (k->type == KEY_PATH && vl > 0 && memchr(value, '\n', vl)) {
			snprintf(why, sizeof(why),
			    "a path cannot hold a newline");
			break;
		}
		if (k->type == KEY_DRIVER && strcmp(value, "sqlite") != 0 &&
		    strcmp(value, "postgresql") != 0) {
			snprintf(why, sizeof(why),
			    "expected sqlite or postgresql");
			break;
		}
		if (k->type == KEY_LISTEN &&
		    parse_listen(cfg, value, why, sizeof(why)) != 0)
			break;
		memcpy(field, value, vl + 1);
		return 0;
	case KEY_LONG:
		if (num_parse_long(value, k->min, k->max, &n) != 0) {
			snprintf(why, sizeof(why),
			    "expected a whole number from %ld to %ld", k->min,
			    k->max);
			break;
		}
		memcpy(field, &n, sizeof(n));
		return 0;
	case KEY_BOOL:
		if (parse_bool(value, &b) != 0) {
			snprintf(why, sizeof(why), "expected on or off");
			break;
		}
		memcpy(field, &b, sizeof(b));
		return 0;
	case KEY_LEVEL:
		if (log_level_parse(value, &lv) != 0) {
			snprintf(why, sizeof(why),
			    "expected debug, info, warn or error");
			break;
		}
		memcpy(field, &lv, sizeof(lv));
		return 0;
	}
	shown(val, sizeof(val), value);
	return fail(err, errlen, "[%s] %s: %s (got '%s')", k->section, k->key,
	    why, val);
}

static const struct key_def *
find_key(const char *section, const char *key)
{
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!strcmp(keys[i].section, section) &&
		    !strcmp(keys[i].key, key))
			return &keys[i];
	return NULL;
}

int
config_set(struct config *cfg, const char *section, const char *key,
    const char *value, char *err, size_t errlen)
{
	const struct key_def *k = find_key(section, key);
	char s[64], kk[64];

	if (strncmp(section, "oidc:", 5) == 0)
		return config_oidc_set(cfg, section + 5, key, value, err,
		    errlen);
	if (k == NULL) {
		shown(s, sizeof(s), section);
		shown(kk, sizeof(kk), key);
		return fail(err, errlen, "[%s] %s: unknown key", s, kk);
	}
	return set_key(cfg, k, value, err, errlen);
}

void
config_defaults(struct config *cfg)
{
	size_t i;
	char err[256];

	memset(cfg, 0, sizeof(*cfg));
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (set_key(cfg, &keys[i], keys[i].dflt, err, sizeof(err)) != 0)
			abort(); /* a default breaking its own rule is a bug */
}

struct ini_state {
	struct config *cfg;
	char err[512];
	int failed;
	/* Keys already set by this file: a second value is refused, not
	 * left to silently win. */
	unsigned char seen[sizeof(keys) / sizeof(keys[0])];
};

static int
on_ini_line(void *user, const char *section, const char *name,
    const char *value)
{
	struct ini_state *st = user;
	const struct key_def *k;
	char n[80];

	if (st->failed)
		return 0;
	if (section[0] == '\0') {
		shown(n, sizeof(n), name);
		snprintf(st->err, sizeof(st->err),
		    "%s: key outside any [section]", n);
		st->failed = 1;
		return 0;
	}
	k = find_key(section, name);
	if (k != NULL && st->seen[k - keys]) {
		snprintf(st->err, sizeof(st->err),
		    "[%s] %s: given twice; keep one", k->section, k->key);
		st->failed = 1;
		return 0;
	}
	if (config_set(st->cfg, section, name, value, st->err,
		sizeof(st->err)) != 0) {
		st->failed = 1;
		return 0;
	}
	if (k != NULL)
		st->seen[k - keys] = 1;
	return 1;
}

int
config_load_file(struct config *cfg, const char *path, char *err, size_t errlen)
{
	struct ini_state st;
	struct stat sb;
	int line;

	if (stat(path, &sb) != 0)
		return fail(err, errlen, "config: %s: %s", path,
		    strerror(errno));
	if (!S_ISREG(sb.st_mode) || sb.st_size > LIMIT_CONFIG_FILE_BYTES)
		return fail(err, errlen,
		    "config: %s: not a regular file of at most %d bytes", path,
		    LIMIT_CONFIG_FILE_BYTES);
	memset(&st, 0, sizeof(st));
	st.cfg = cfg;
	line = ini_parse(path, on_ini_line, &st);
	if (line == -1)
		return fail(err, errlen, "config: %s: cannot open", path);
	if (line == -2)
		return fail(err, errlen, "config: %s: out of memory", path);
	if (line != 0) {
		if (!st.failed)
			snprintf(st.err, sizeof(st.err),
			    "not a 'key = value' line nor a [section]");
		return fail(err, errlen, "config: %s:%d: %s", path, line,
		    st.err);
	}
	return 0;
}

/* CRENEAU_OIDC_<NAME>_<KEY>: NAME has no underscore, KEY may. */
static int
oidc_env(struct config *cfg, const char *rest, const char *value, char *err,
    size_t errlen)
{
	char pname[CONFIG_OIDC_NAME_MAX], key[64];
	const char *us = strchr(rest, '_');
	size_t i, n;

	if (us == NULL || us == rest ||
	    (n = (size_t)(us - rest)) >= sizeof(pname) ||
	    strlen(us + 1) >= sizeof(key) || us[1] == '\0')
		return fail(err, errlen,
		    "expected CRENEAU_OIDC_NAME_KEY (a provider name, a key)");
	for (i = 0; i < n; i++)
		pname[i] = (char)tolower((unsigned char)rest[i]);
	pname[n] = '\0';
	for (i = 0; us[1 + i] != '\0'; i++)
		key[i] = (char)tolower((unsigned char)us[1 + i]);
	key[i] = '\0';
	return config_oidc_set(cfg, pname, key, value, err, errlen);
}

int
config_apply_env(struct config *cfg, char *const *envp, char *err,
    size_t errlen)
{
	static const char prefix[] = "CRENEAU_";
	char name[128], msg[512];
	size_t i, j, nl;
	const char *eq;
	const struct key_def *match;

	for (i = 0; envp != NULL && envp[i] != NULL; i++) {
		if (strncmp(envp[i], prefix, sizeof(prefix) - 1) != 0)
			continue;
		eq = strchr(envp[i], '=');
		if (eq == NULL)
			continue;
		nl = (size_t)(eq - envp[i]);
		if (nl >= sizeof(name))
			return fail(err, errlen,
			    "config: environment: name too long");
		memcpy(name, envp[i], nl);
		name[nl] = '\0';
		match = NULL;
		for (j = 0; j < sizeof(keys) / sizeof(keys[0]); j++) {
			char want[128];
			size_t c;

			snprintf(want, sizeof(want), "CRENEAU_%s_%s",
			    keys[j].section, keys[j].key);
			for (c = 0; want[c]; c++)
				want[c] = (char)toupper((unsigned char)want[c]);
			if (strcmp(want, name) == 0) {
				match = &keys[j];
				break;
			}
		}
		if (match == NULL && strncmp(name, "CRENEAU_OIDC_", 13) == 0) {
			if (oidc_env(cfg, name + 13, eq + 1, msg,
				sizeof(msg)) != 0)
				return fail(err, errlen,
				    "config: environment %s: %s", name, msg);
			continue;
		}
		if (match == NULL) {
			shown(msg, sizeof(msg), name);
			return fail(err, errlen,
			    "config: environment: %s names no configuration key",
			    msg);
		}
		if (set_key(cfg, match, eq + 1, msg, sizeof(msg)) != 0)
			return fail(err, errlen, "config: environment %s: %s",
			    name, msg);
	}
	return 0;
}

static int
readable_file(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode) &&
	    access(path, R_OK) == 0;
}

/* [sms]: an http(s) URL, a readable token file; [appt] public_url an
 * http(s) URL. */
static int
validate_sms(const struct config *cfg, char *err, size_t errlen)
{
	const char *tf = cfg->sms_credentials_file[0]
	    ? cfg->sms_credentials_file
	    : cfg->sms_token_file;

	if (cfg->sms_url[0] != '\0' &&
	    strncmp(cfg->sms_url, "http://", 7) != 0 &&
	    strncmp(cfg->sms_url, "https://", 8) != 0)
		return fail(err, errlen,
		    "config: [sms] url: expected http://HOST:PORT/PATH or "
		    "https://...");
	if (tf[0] != '\0' && !readable_file(tf))
		return fail(err, errlen,
		    "config: [sms] credentials_file: not a readable file");
	if (strncmp(cfg->appt_public_url, "http://", 7) != 0 &&
	    strncmp(cfg->appt_public_url, "https://", 8) != 0)
		return fail(err, errlen,
		    "config: [appt] public_url: expected http(s)://HOST");
	return 0;
}

/* [smtp]: a URL the delivery job can use, a sender, and credentials
 * never sent in clear. */
static int
validate_smtp(const struct config *cfg, char *err, size_t errlen)
{
	const char *t = cfg->smtp_starttls, *at;
	int smtps = strncmp(cfg->smtp_url, "smtps://", 8) == 0;

	if (strcmp(t, "off") != 0 && strcmp(t, "try") != 0 &&
	    strcmp(t, "required") != 0)
		return fail(err, errlen,
		    "config: [smtp] starttls: expected off, try or required");
	if (cfg->smtp_url[0] == '\0')
		return 0;
	if (!smtps && strncmp(cfg->smtp_url, "smtp://", 7) != 0)
		return fail(err, errlen,
		    "config: [smtp] url: expected smtp://HOST:PORT or "
		    "smtps://HOST:PORT");
	at = strchr(cfg->smtp_from, '@');
	if (at == NULL || at == cfg->smtp_from || at[1] == '\0' ||
	    strpbrk(cfg->smtp_from, " <>\t\r\n") != NULL)
		return fail(err, errlen,
		    "config: [smtp] from: an address (nom@domaine.fr) is "
		    "required with [smtp] url");
	if (cfg->smtp_username[0] != '\0' && !smtps &&
	    strcmp(t, "required") != 0)
		return fail(err, errlen,
		    "config: [smtp] username: credentials need smtps:// or "
		    "[smtp] starttls = required");
	if (cfg->smtp_password_file[0] != '\0' &&
	    !readable_file(cfg->smtp_password_file))
		return fail(err, errlen,
		    "config: [smtp] password_file: not a readable file");
	return 0;
}

/* Whether a postgresql:// URI carries a password (user:password@host) or
 * a password= parameter. */
static int
url_has_password(const char *url)
{
	const char *p = strstr(url, "://"), *at, *colon;

	if (strstr(url, "password=") != NULL)
		return 1;
	if (p == NULL)
		return 0;
	p += 3;
	at = strchr(p, '@');
	colon = strchr(p, ':');
	return at != NULL && colon != NULL && colon < at &&
	    memchr(p, '/', (size_t)(at - p)) == NULL;
}

/*
 * PostgreSQL: the URL says where, the password comes from a file (never
 * from the INI or the URL), and the keystore lives in a database of its
 * own so that the main database's backups never hold a data key.
 */
static int
validate_postgres(const struct config *cfg, char *err, size_t errlen)
{
	if (strcmp(cfg->store_driver, "postgresql") != 0) {
		if (cfg->store_url[0] != '\0')
			return fail(err, errlen,
			    "config: [store] url: only with driver = "
			    "postgresql");
		return 0;
	}
	if (cfg->store_url[0] == '\0')
		return fail(err, errlen,
		    "config: [store] url: required with driver = postgresql "
		    "(postgresql://user@host/database)");
	if (strncmp(cfg->store_url, "postgresql://", 13) != 0 &&
	    strncmp(cfg->store_url, "postgres://", 11) != 0)
		return fail(err, errlen,
		    "config: [store] url: expected a postgresql:// URI");
	if (url_has_password(cfg->store_url))
		return fail(err, errlen,
		    "config: [store] url: holds a password; put it in "
		    "[store] password_file");
	if (url_has_password(cfg->keystore_url))
		return fail(err, errlen,
		    "config: [keys] keystore_url: holds a password; put it in "
		    "[keys] keystore_password_file");
	if (cfg->store_password_file[0] != '\0' &&
	    !readable_file(cfg->store_password_file))
		return fail(err, errlen,
		    "config: [store] password_file: not a readable file");
	if (cfg->keystore_password_file[0] != '\0' &&
	    !readable_file(cfg->keystore_password_file))
		return fail(err, errlen,
		    "config: [keys] keystore_password_file: not a readable "
		    "file");
	if (cfg->keystore_url[0] == '\0')
		return fail(err, errlen,
		    "config: [keys] keystore_url: required with driver = "
		    "postgresql (a database apart from [store] url)");
	if (strcmp(cfg->keystore_url, cfg->store_url) == 0)
		return fail(err, errlen,
		    "config: [keys] keystore_url: must name another database "
		    "than [store] url");
	if (strncmp(cfg->keystore_url, "postgresql://", 13) != 0 &&
	    strncmp(cfg->keystore_url, "postgres://", 11) != 0)
		return fail(err, errlen,
		    "config: [keys] keystore_url: expected a postgresql:// URI");
	if (cfg->store_pool_size < cfg->threads + LIMIT_STORE_POOL_SPARE)
		return fail(err, errlen,
		    "config: [store] pool_size: at least [http] threads + %d "
		    "(%ld)",
		    LIMIT_STORE_POOL_SPARE,
		    cfg->threads + LIMIT_STORE_POOL_SPARE);
	return 0;
}

/* [http] public_url: an http(s) origin and path, nothing a link or a
 * mail line could be forged with. */
static int
validate_public_url(const struct config *cfg, char *err, size_t errlen)
{
	const char *u = cfg->public_url, *host;
	size_t i;

	if (u[0] == '\0')
		return 0;
	host = strncmp(u, "https://", 8) == 0 ? u + 8
	    : strncmp(u, "http://", 7) == 0   ? u + 7
					      : NULL;
	for (i = 0; host != NULL && u[i] != '\0'; i++)
		if ((unsigned char)u[i] <= ' ' || (unsigned char)u[i] >= 0x7f ||
		    strchr("\"'<>#?\\`", u[i]) != NULL)
			host = NULL;
	if (host == NULL || host[0] == '\0' || host[0] == '/')
		return fail(err, errlen,
		    "config: [http] public_url: expected https://HOST[:PORT] "
		    "(the address people open the service at)");
	return 0;
}

/* [authority]: local, or remote with an https URL (http on loopback
 * only, an authority in the tests), a client id, a readable secret file
 * and [http] public_url (the address the authority sends the employee
 * back to). */
static int
validate_authority(const struct config *cfg, char *err, size_t errlen)
{
	const char *u = cfg->authority_url;
	size_t i;
	int ok;

	if (strcmp(cfg->authority_mode, "local") == 0)
		return 0;
	if (strcmp(cfg->authority_mode, "remote") != 0)
		return fail(err, errlen,
		    "config: [authority] mode: expected local or remote");
	ok = strncmp(u, "https://", 8) == 0
	    ? u[8] != '\0' && u[8] != '/'
	    : strncmp(u, "http://127.0.0.1:", 17) == 0 ||
		strncmp(u, "http://localhost:", 17) == 0;
	for (i = 0; ok && u[i] != '\0'; i++)
		if ((unsigned char)u[i] <= ' ' || (unsigned char)u[i] >= 0x7f ||
		    strchr("\"'<>#?\\`", u[i]) != NULL)
			ok = 0;
	if (!ok)
		return fail(err, errlen,
		    "config: [authority] url: expected https://HOST (http:// "
		    "on 127.0.0.1 or localhost only)");
	if (cfg->authority_client_id[0] == '\0')
		return fail(err, errlen,
		    "config: [authority] client_id: required in remote mode");
	if (!readable_file(cfg->authority_client_secret_file))
		return fail(err, errlen,
		    "config: [authority] client_secret_file: not a readable "
		    "file");
	if (cfg->public_url[0] == '\0')
		return fail(err, errlen,
		    "config: [http] public_url: required in remote mode (the "
		    "authority sends the employee back to it)");
	return 0;
}

int
config_validate(const struct config *cfg, char *err, size_t errlen)
{
	int has_cert = cfg->tls_cert[0] != '\0',
	    has_key = cfg->tls_key[0] != '\0';

	if (has_cert != has_key)
		return fail(err, errlen,
		    "config: [http] %s: required with [http] %s",
		    has_cert ? "tls_key" : "tls_cert",
		    has_cert ? "tls_cert" : "tls_key");
	if (has_cert && !readable_file(cfg->tls_cert))
		return fail(err, errlen,
		    "config: [http] tls_cert: not a readable file");
	if (has_key && !readable_file(cfg->tls_key))
		return fail(err, errlen,
		    "config: [http] tls_key: not a readable file");
	if (!has_cert && !cfg->listen_loopback)
		return fail(err, errlen,
		    "config: [http] listen: plain HTTP is served on loopback "
		    "only; set [http] tls_cert and tls_key to listen on %s",
		    cfg->listen);
	if (cfg->store_path[0] == '\0')
		return fail(err, errlen,
		    "config: [store] path: must not be empty");
	if (validate_public_url(cfg, err, errlen) != 0)
		return -1;
	if (config_oidc_validate(cfg, err, errlen) != 0)
		return -1;
	if (validate_smtp(cfg, err, errlen) != 0 ||
	    validate_sms(cfg, err, errlen) != 0)
		return -1;
	if (validate_postgres(cfg, err, errlen) != 0 ||
	    validate_authority(cfg, err, errlen) != 0)
		return -1;
	return 0;
}

/*
 * Files left unset live beside the database: one setting (or one
 * CRENEAU_STORE_PATH) moves a whole instance. Production puts the master
 * key elsewhere, on storage the database backups never include.
 */
static int
resolve_beside_store(struct config *cfg, char *err, size_t errlen)
{
	struct {
		char *field;
		const char *name, *key;
	} files[] = {
		{ cfg->master_key_file, "master.key",
		    "[keys] master_key_file" },
		{ cfg->keystore_path, "keys.db", "[keys] keystore" },
		{ cfg->audit_signing_key_file, "audit-signing.key",
		    "[audit] signing_key_file" },
		{ cfg->backup_dir, "backups", "[backup] dir" },
		{ cfg->tenancy_export_dir, "exports", "[tenancy] export_dir" },
	};
	char dir[CONFIG_PATH_MAX];
	size_t i;
	int n;

	if (fs_dir_of(cfg->store_path, dir, sizeof(dir)) != 0)
		return fail(err, errlen, "config: [store] path: too long");
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		if (files[i].field[0] != '\0')
			continue;
		n = snprintf(files[i].field, CONFIG_PATH_MAX, "%s/%s", dir,
		    files[i].name);
		if (n < 0 || n >= CONFIG_PATH_MAX)
			return fail(err, errlen, "config: %s: path too long",
			    files[i].key);
	}
	return 0;
}

int
config_load(struct config *cfg, const char *path, char *const *envp, char *err,
    size_t errlen)
{
	char msg[512];

	config_defaults(cfg);
	if (path != NULL && config_load_file(cfg, path, err, errlen) != 0)
		return -1;
	if (config_apply_env(cfg, envp, err, errlen) != 0)
		return -1;
	if (resolve_beside_store(cfg, err, errlen) != 0)
		return -1;
	if (config_validate(cfg, msg, sizeof(msg)) != 0)
		return fail(err, errlen, "%s", msg);
	return 0;
}
