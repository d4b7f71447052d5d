/*
 * config.h - the one configuration of Créneau.
 *
 * Values come from built-in defaults, then the INI file given with
 * --config, then CRENEAU_<SECTION>_<KEY> environment variables, in that
 * order. Every key is declared once in config.c with its rule; an unknown
 * key, a bad value or an inconsistent pair is refused with one line naming
 * the key.
 */
#ifndef CRENEAU_CONFIG_H
#define CRENEAU_CONFIG_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "core/log.h"

#define CONFIG_PATH_MAX 1024
#define CONFIG_OIDC_MAX 4 /* [oidc:NAME] sections at most */
#define CONFIG_OIDC_NAME_MAX 33 /* [a-z0-9]{1,32} and NUL */

/* One OpenID provider, an [oidc:NAME] section (src/auth/oidc.h). Lists
 * are comma-separated. */
struct config_oidc {
	char name[CONFIG_OIDC_NAME_MAX];
	char label[128]; /* the sign-in button's text; default: name */
	char issuer[256]; /* https://..., or http:// on loopback only */
	char client_id[256];
	char client_secret_file[CONFIG_PATH_MAX]; /* first line; empty: a
						     public client (PKCE) */
	char scopes[256]; /* default "openid email" */
	char roles[256]; /* roles an account may hold to sign in through it */
	char orgs[512]; /* organisation ids it may sign into; empty: any */
	char mfa_acr[256]; /* acr values that count as a second factor */
	char mfa_amr[256]; /* amr values that count as a second factor */
	char signup[16]; /* "users": a first sign-in may create a people's
			    account, once the person confirms; "": never */
	long skew_s; /* clock skew allowed on exp and iat (0-300) */
};

struct config {
	/* [http] */
	char listen[256]; /* as written: host:port */
	struct sockaddr_storage listen_addr;
	socklen_t listen_addrlen;
	int listen_loopback; /* 1 if the address is loopback */
	char tls_cert[CONFIG_PATH_MAX]; /* PEM file, empty for plain HTTP */
	char tls_key[CONFIG_PATH_MAX];
	long threads;
	long max_body_bytes;
	long max_header_bytes;
	long timeout; /* seconds */
	long per_ip_connections;
	long max_connections;
	long shutdown_timeout; /* seconds */
	int access_log;
	char web_dir[CONFIG_PATH_MAX]; /* static files of the web UI */
	/* The address people reach the service at (https://host[:port]),
	 * for the links sent by email; empty: no such link is sent. */
	char public_url[512];
	/* [store] */
	char store_driver[16];
	char store_path[CONFIG_PATH_MAX];
	long store_busy_timeout_ms;
	char store_url[1024]; /* postgresql: libpq connection URI */
	char store_password_file[CONFIG_PATH_MAX]; /* postgresql: password */
	long store_pool_size; /* postgresql: connections per instance, most */
	int store_plan_check; /* sqlite: log each statement's full scans */
	/* [keys] */
	char master_key_file[CONFIG_PATH_MAX]; /* master key versions, 0600 */
	char keystore_path[CONFIG_PATH_MAX]; /* wrapped data keys */
	char keystore_url[1024]; /* postgresql: the keystore's own database */
	char keystore_password_file[CONFIG_PATH_MAX];
	/* [audit] */
	char audit_signing_key_file[CONFIG_PATH_MAX]; /* Ed25519, checkpoints */
	long audit_retention_days;
	/* [backup] */
	char backup_dir[CONFIG_PATH_MAX];
	long backup_keep;
	long backup_interval_hours;
	/* [gdpr] */
	char datamap_path[CONFIG_PATH_MAX]; /* the declared data map */
	/* [log] */
	enum log_level log_level;
	/* [jobs] */
	int jobs_enabled;
	/* [booking]: the numbers of RULES.md (booking_rules_from_config) */
	long booking_territory_delay_hours;
	long booking_places_per_etp_centi;
	long booking_basket_add_max;
	long booking_basket_slots_max;
	long booking_basket_ttl_minutes;
	long booking_late_cancel_window_days;
	long booking_delay_failure_days;
	long booking_delay_late_cancel_days;
	long booking_delay_absence_days;
	long booking_mandate_months;
	long booking_replacements_max;
	long booking_notify_low_pct;
	/* [dossiers]: required documents per profile, limits */
	char dossiers_family_documents[400];
	char dossiers_volunteer_documents[400];
	long dossiers_document_max_bytes; /* a JWE's length */
	long dossiers_documents_max; /* per dossier */
	/* [tenancy]: a terminated organisation's data is kept, for its
	 * export, this many days before it is deleted */
	long tenancy_grace_days;
	/* where the export archives are written (default: "exports" beside
	 * the database), and the seconds between runs of the export job */
	char tenancy_export_dir[CONFIG_PATH_MAX];
	long tenancy_export_interval;
	/* [authority]: "local" (Créneau is the exam authority) or "remote"
	 * (the schools here book through a remote authority's partner API:
	 * its base URL, this instance's client id there and the file holding
	 * its client secret) */
	char authority_mode[16];
	char authority_url[512];
	char authority_client_id[128];
	char authority_client_secret_file[CONFIG_PATH_MAX];
	/* [ratelimit]: the school-side API's calls per minute (0: none) */
	long ratelimit_school_per_minute;
	long ratelimit_employee_per_minute;
	/* [auth] */
	long auth_reauth_window_s; /* a fresh proof lasts this long
				      (reauth.h) */
	/* [notify] */
	int notify_email; /* an email with each notification worth one */
	/* [smtp] */
	char smtp_url[512]; /* smtp:// or smtps://; empty: emails stay queued */
	char smtp_from[256];
	char smtp_starttls[16]; /* off, try, required */
	char smtp_username[256];
	char smtp_password_file[CONFIG_PATH_MAX];
	long smtp_timeout; /* seconds */
	long smtp_interval; /* seconds between delivery runs */
	/* [sms]: the HTTP SMS gateway (empty url: messages stay queued) */
	char sms_url[512];
	char sms_credentials_file[CONFIG_PATH_MAX]; /* the bearer token */
	char sms_token_file[CONFIG_PATH_MAX]; /* the same, older name */
	/* the token the gateway presents with its delivery reports; empty:
	 * reports are not taken */
	char sms_reports_token_file[CONFIG_PATH_MAX];
	long sms_timeout; /* seconds */
	long sms_interval; /* seconds between delivery runs */
	/* [appt]: what tells people about their appointments */
	char appt_public_url[512]; /* links in messages and feed URLs */
	long appt_reminder_interval; /* seconds between reminder runs */
	long appt_waitlist_days; /* how long a waiting-list entry lasts */
	long appt_waitlist_tell; /* people told at once when a place frees */
	/* [oidc:NAME] */
	struct config_oidc oidc[CONFIG_OIDC_MAX];
	size_t noidc;
};

/* Fills cfg with the built-in defaults. Never fails. */
void config_defaults(struct config *cfg);

/*
 * Reads the INI file at path into cfg. Returns 0, or -1 with a one-line
 * message in err ("config: FILE:LINE: [section] key: rule").
 */
int config_load_file(struct config *cfg, const char *path, char *err,
    size_t errlen);

/*
 * Applies every CRENEAU_<SECTION>_<KEY> variable of envp (NULL-terminated).
 * A CRENEAU_ variable naming no key is an error, so a typo cannot go
 * unnoticed. Returns 0, or -1 with a message in err.
 */
int config_apply_env(struct config *cfg, char *const *envp, char *err,
    size_t errlen);

/*
 * Sets key of provider section [oidc:name] (the environment's
 * CRENEAU_OIDC_NAME_KEY), adding the provider at its first key. Returns
 * 0, or -1 with a message naming the key (config_oidc.c).
 */
int config_oidc_set(struct config *cfg, const char *name, const char *key,
    const char *value, char *err, size_t errlen);

/* Checks every provider: issuer, client id, secret file. Returns 0, or
 * -1 with a message. */
int config_oidc_validate(const struct config *cfg, char *err, size_t errlen);

/* The provider named name, or NULL. */
const struct config_oidc *config_oidc_find(const struct config *cfg,
    const char *name);

/* Sets one key from text, as the file and the environment do. Returns 0,
 * or -1 with a message in err naming the key and the rule. */
int config_set(struct config *cfg, const char *section, const char *key,
    const char *value, char *err, size_t errlen);

/*
 * Checks the rules that involve several keys (TLS files in pairs and
 * readable, plain HTTP only on loopback). Returns 0, or -1 with a message.
 */
int config_validate(const struct config *cfg, char *err, size_t errlen);

/* Loads defaults, file (if path is not NULL) and environment, then
 * validates. Returns 0, or -1 with a message. */
int config_load(struct config *cfg, const char *path, char *const *envp,
    char *err, size_t errlen);

#endif
