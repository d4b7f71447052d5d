/* appt_notify.c - emails, SMS, reminders, feed and waiting list of
 * appointments. */
#include "service/appt_notify.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "appointments/appt_time.h"
#include "audit/audit.h"
#include "core/config.h"
#include "core/log.h"
#include "crypto/field.h"
#include "gdpr/consent.h"
#include "gdpr/policy.h"
#include "notify/appt_ics.h"
#include "notify/notify.h"
#include "notify/outbox.h"
#include "notify/sms.h"
#include "service/appt_online.h"
#include "service/appt_people.h"
#include "service/appt_waitlist.h"
#include "store/appt_appointments.h"
#include "store/appt_notify.h"
#include "store/appt_structure.h"
#include "store/appt_users.h"
#include "store/driver.h"

#define MIN_MS 60000LL
#define DAY_MS (24LL * 3600 * 1000)
#define FEED_PAST_MS (30 * DAY_MS)
#define FEED_AHEAD_MS (366 * DAY_MS)
#define FEED_MAX 2000 /* events of one feed */

/* Users booked at the counter may have no account: no "Notifications"
 * to point to. */
static const char footer[] =
    "-- \n"
    "Pour déplacer ou annuler ce rendez-vous, rendez-vous dans « Mes "
    "rendez-vous »\nou appelez le service qui vous reçoit.\n"
    "Pour ne plus recevoir de rappels : « Mes consentements » dans votre "
    "compte,\nou dites-le au service.\n"
    "Ce message est envoyé automatiquement : merci de ne pas y répondre.\n";

static struct {
	char domain[128];
	char organizer[256];
	char policy[POLICY_VERSION_MAX];
	char public_url[512];
	int64_t wait_ms;
	size_t wait_tell;
	int sms_on;
} cfg_ = { "creneau.invalid", "", "", "http://127.0.0.1:8080", 30 * DAY_MS, 0 };

void
appt_notify_setup(const struct config *cfg, const char *policy_version,
    int sms_on)
{
	const char *at = strchr(cfg->smtp_from, '@');

	snprintf(cfg_.domain, sizeof(cfg_.domain), "%s",
	    at != NULL && at[1] != '\0' ? at + 1 : "creneau.invalid");
	snprintf(cfg_.organizer, sizeof(cfg_.organizer), "%s", cfg->smtp_from);
	snprintf(cfg_.policy, sizeof(cfg_.policy), "%s", policy_version);
	snprintf(cfg_.public_url, sizeof(cfg_.public_url), "%s",
	    cfg->appt_public_url);
	cfg_.public_url[strcspn(cfg_.public_url, "\r\n")] = '\0';
	cfg_.wait_ms = cfg->appt_waitlist_days * DAY_MS;
	cfg_.wait_tell = (size_t)cfg->appt_waitlist_tell;
	cfg_.sms_on = sms_on;
}

/* What a message says of an appointment. */
struct details {
	struct store_appt a;
	char motif[APPT_NAME_MAX];
	char place[APPT_NAME_MAX + APPT_ADDRESS_MAX + 4];
	char place_name[APPT_NAME_MAX];
	char when[APPT_PARIS_TEXT_MAX];
};

/* The place as people read it: the service's place, or how it happens
 * (never the person's home address). */
static void
place_text(const struct svc *s, struct store_conn *c, const char *org_id,
    int64_t place_id, const char *location_type, char *full, size_t fulllen,
    char *name, size_t namelen)
{
	struct store_appt_place p;

	if (place_id != 0 &&
	    store_appt_place_get(s->a->st, c, org_id, place_id, &p) == 0) {
		snprintf(name, namelen, "%s", p.name);
		snprintf(full, fulllen, "%s%s%s", p.name,
		    p.address[0] ? ", " : "", p.address);
		return;
	}
	snprintf(name, namelen, "%s",
	    strcmp(location_type, "home") == 0 ? "À domicile"
					       : "Par téléphone");
	snprintf(full, fulllen, "%s", name);
}

static int
load_details(const struct svc *s, struct store_conn *c, int64_t id,
    struct details *d)
{
	struct store_appt_motif m;

	memset(d, 0, sizeof(*d));
	if (store_appt_get(s->a->st, c, id, &d->a) != 0)
		return -1;
	if (store_appt_motif_get(s->a->st, c, d->a.org_id, d->a.motif_id, &m) ==
	    0)
		snprintf(d->motif, sizeof(d->motif), "%s", m.name);
	else
		snprintf(d->motif, sizeof(d->motif), "Rendez-vous");
	place_text(s, c, d->a.org_id, d->a.place_id, d->a.location_type,
	    d->place, sizeof(d->place), d->place_name, sizeof(d->place_name));
	appt_paris_format(d->a.start_at, d->when, sizeof(d->when));
	return 0;
}

/* The .ics of d for attendee (may be NULL), REQUEST or CANCEL. */
static int
ics_of(const struct details *d, enum appt_ics_method m, const char *attendee,
    int64_t now, char **out)
{
	struct appt_ics_event e;

	memset(&e, 0, sizeof(e));
	e.id = d->a.id;
	e.sequence = appt_ics_sequence(d->a.created_at, d->a.updated_at);
	e.start_ms = d->a.start_at;
	e.end_ms = d->a.end_at;
	e.summary = d->motif;
	e.location = d->place;
	e.cancelled = m == APPT_ICS_CANCEL;
	e.attendee = attendee;
	return appt_ics_build(m, cfg_.domain, cfg_.organizer, &e, 1, now, out);
}

/* The account whose consents count for record u: its own, else its
 * responsible's (a relative). "" when none. */
static void
consent_account(const struct svc *s, struct store_conn *c,
    const struct svc_appt_user *u, char *out, size_t outlen)
{
	struct svc_appt_user *r;

	snprintf(out, outlen, "%s", u->account_id);
	if (out[0] != '\0' || u->responsible_id == 0 ||
	    (r = calloc(1, sizeof(*r))) == NULL)
		return;
	if (svc_appt_user_open(s, c, NULL, u->responsible_id, r) == APPT_OK)
		snprintf(out, outlen, "%s", r->account_id);
	sodium_memzero(r, sizeof(*r));
	free(r);
}

/* 1 if u's reminders may go out, 0, or -1: the consent appt_reminders of
 * the person's account (a relative's: their responsible's); without any
 * account, the choice an agent recorded on the record. */
static int
wants_reminders(const struct svc *s, struct store_conn *c,
    const struct svc_appt_user *u)
{
	char account[STORE_ID_MAX];

	consent_account(s, c, u, account, sizeof(account));
	if (account[0] == '\0')
		return u->reminders_at != 0;
	return consent_active(s->a, account, APPT_CONSENT_REMINDERS,
	    cfg_.policy);
}

/* Queues text to u's phone, if any, sealed under u's key. */
static int
sms_user(const struct svc *s, struct store_conn *c,
    const struct svc_appt_user *u, const char *text, int64_t now)
{
	char owner[STORE_OWNER_MAX];

	if (!cfg_.sms_on || u->f[AUF_PHONE][0] == '\0')
		return 0;
	svc_appt_user_owner(u->id, owner, sizeof(owner));
	/* A number that is none is no reason to undo the change. */
	return sms_enqueue(s->a, c, owner, u->f[AUF_PHONE], text, now) < 0 ? -1
									   : 0;
}

/* Queues an email to u (with ics when not NULL). */
/*
 * The address an email to u goes to, into *addr (field_free it, *alen its
 * size), and the owner of the key it is sealed under into owner ("" for
 * none): the address on the record, else the address of the account that
 * answers for it (its own, or its responsible's for a relative). A person
 * booking online for the first time gives only a name and a phone: their
 * account's address, checked at sign-up, is where they expect the
 * confirmation and its .ics. Returns 0, 1 when there is none, or -1.
 */
static int
user_address(const struct svc *s, struct store_conn *c,
    const struct svc_appt_user *u, char **addr, size_t *alen,
    char owner[STORE_ID_MAX])
{
	int rc;

	*addr = NULL;
	*alen = 0;
	snprintf(owner, STORE_ID_MAX, "%s", u->account_id);
	if (u->f[AUF_EMAIL][0] != '\0') {
		*alen = strlen(u->f[AUF_EMAIL]) + 1;
		return (*addr = strdup(u->f[AUF_EMAIL])) == NULL ? -1 : 0;
	}
	consent_account(s, c, u, owner, STORE_ID_MAX);
	if (owner[0] == '\0')
		return 1;
	rc = notify_account_email(s->a, c, owner, addr, alen);
	return rc < 0 ? -1 : rc;
}

/* Queues an email to u (user_address), with ics when not NULL. */
static int
email_user(const struct svc *s, struct store_conn *c,
    const struct svc_appt_user *u, const char *subject, const char *body,
    const char *ics, int64_t now)
{
	char owner[STORE_ID_MAX], *addr = NULL;
	size_t alen = 0;
	int rc;

	if (!notify_email_enabled())
		return 0;
	if ((rc = user_address(s, c, u, &addr, &alen, owner)) != 0)
		return rc < 0 ? -1 : 0;
	rc = outbox_enqueue_ics(s->a, c, owner[0] ? owner : NULL, addr, subject,
	    body, ics, now);
	field_free(addr, alen);
	return rc;
}

struct words {
	const char *kind, *subject, *verb;
	enum appt_ics_method method;
};

static const struct words words[] = {
	{ "appointment.booked", "Rendez-vous confirmé", "est confirmé",
	    APPT_ICS_REQUEST },
	{ "appointment.moved", "Rendez-vous déplacé", "a été déplacé",
	    APPT_ICS_REQUEST },
	{ "appointment.cancelled", "Rendez-vous annulé", "a été annulé",
	    APPT_ICS_CANCEL },
	{ "appointment.reminder", "Rappel de rendez-vous", "approche",
	    APPT_ICS_REQUEST },
};

static const struct words *
words_of(const char *kind)
{
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(words[i].kind, kind) == 0)
			return &words[i];
	return NULL;
}

/* Tells record user_id of d: email (with .ics unless a reminder), and
 * SMS when sms (the caller checked the consent). */
static int
tell_user(const struct svc *s, struct store_conn *c, const struct details *d,
    int64_t user_id, const struct words *w, int with_sms, const char *link,
    int64_t now)
{
	struct svc_appt_user *u = calloc(1, sizeof(*u));
	char *ics = NULL, body[4096], sms[1024], foot[1024];
	int rc = 0, reminder = strcmp(w->kind, "appointment.reminder") == 0;

	if (u == NULL)
		return -1;
	if (svc_appt_user_open(s, c, NULL, user_id, u) != APPT_OK)
		goto done; /* erased meanwhile: nobody to tell */
	if (with_sms < 0 && (with_sms = wants_reminders(s, c, u)) < 0) {
		rc = -1;
		goto done;
	}
	/* Booked without an account: no « Mes rendez-vous », the link
	 * cancels instead. */
	if (link != NULL)
		snprintf(foot, sizeof(foot),
		    "-- \n"
		    "Pour annuler ce rendez-vous (jusqu'au délai fixé par le "
		    "service), ouvrez ce lien :\n%s\n"
		    "Il ne sert qu'une fois. Vous pouvez aussi appeler le "
		    "service qui vous reçoit.\n"
		    "Ce message est envoyé automatiquement : merci de ne pas y "
		    "répondre.\n",
		    link);
	snprintf(body, sizeof(body),
	    "Bonjour,\n\nVotre rendez-vous %s.\n\n"
	    "Motif : %s\nDate : le %s (heure de Paris)\nLieu : %s\n\n"
	    "%s%s",
	    w->verb, d->motif, d->when, d->place,
	    reminder ? ""
		     : "Le fichier joint ajoute ce rendez-vous à votre "
		       "agenda (ou le met à jour).\n",
	    link != NULL ? foot : footer);
	if (!reminder && notify_email_enabled()) {
		char owner[STORE_ID_MAX], *addr = NULL;
		size_t alen = 0;
		int r = user_address(s, c, u, &addr, &alen, owner);

		if (r < 0 ||
		    (r == 0 && ics_of(d, w->method, addr, now, &ics) != 0))
			rc = -1;
		field_free(addr, alen);
		if (rc != 0)
			goto done;
	}
	if (email_user(s, c, u, w->subject, body, ics, now) != 0) {
		rc = -1;
		goto done;
	}
	/* When and where, no name nor motif: a lock screen shows it. */
	snprintf(sms, sizeof(sms),
	    "Créneau : votre rendez-vous %s : le %s, %s.", w->verb, d->when,
	    d->place_name);
	if (with_sms > 0 && strlen(sms) <= SMS_TEXT_MAX)
		rc = sms_user(s, c, u, sms, now);
done:
	free(ics);
	sodium_memzero(foot, sizeof(foot));
	sodium_memzero(body, sizeof(body));
	sodium_memzero(u, sizeof(*u));
	free(u);
	return rc;
}

/* Tells the person of entry w, waiting for motif (a motif's name), of
 * news (a French clause: what freed) by email and SMS with the booking
 * link, and marks the entry told. */
static int
tell_one_waiting(const struct svc *s, struct store_conn *c, const char *org_id,
    const struct store_appt_wait *w, const char *motif, const char *news,
    int64_t now)
{
	struct svc_appt_user *u;
	char body[4096], sms[1024], link[600];
	int rc = 0;

	if (store_appt_wait_told(s->a->st, c, w->id, now) < 0 ||
	    (u = calloc(1, sizeof(*u))) == NULL)
		return -1;
	/* The organisation's booking address in the web app (a fragment:
	 * the server serves the app at / only). */
	snprintf(link, sizeof(link), "%s/#/rendez-vous/%s", cfg_.public_url,
	    org_id);
	if (svc_appt_user_open(s, c, NULL, w->user_id, u) == APPT_OK) {
		snprintf(body, sizeof(body),
		    "Bonjour,\n\nPour le motif « %s » que vous attendiez, %s."
		    "\n\nPremier arrivé, premier servi : réservez ici tant "
		    "que c'est libre :\n%s\n\n%s",
		    motif, news, link, footer);
		snprintf(sms, sizeof(sms),
		    "Créneau : une place s'est libérée. Réservez : %s", link);
		if (email_user(s, c, u, "Une place s'est libérée", body, NULL,
			now) != 0 ||
		    (strlen(sms) <= SMS_TEXT_MAX &&
			sms_user(s, c, u, sms, now) != 0))
			rc = -1;
	}
	sodium_memzero(body, sizeof(body));
	sodium_memzero(u, sizeof(*u));
	free(u);
	return rc;
}

/*
 * Tells the first people waiting for motif_id, in order of arrival, that
 * a place freed: [appt] waitlist_tell of them (3 by default), so a place
 * does not stay empty because the first person waiting no longer needs
 * it; whoever books first has it. Each entry told is done.
 */
static int
tell_first_waiting(const struct svc *s, struct store_conn *c,
    const char *org_id, int64_t motif_id, const char *motif, const char *news,
    int64_t now)
{
	struct store_appt_wait w[APPT_WAITLIST_TELL_MAX];
	size_t n = 0, i, max = cfg_.wait_tell;

	if (max < 1)
		max = 1;
	if (max > APPT_WAITLIST_TELL_MAX)
		max = APPT_WAITLIST_TELL_MAX;
	if (store_appt_wait_first(s->a->st, c, motif_id, now, w, max, &n) != 0)
		return -1;
	for (i = 0; i < n; i++)
		if (tell_one_waiting(s, c, org_id, &w[i], motif, news, now) !=
		    0)
			return -1;
	return 0;
}

/* Tells the first people waiting for d's motif that its place is free. */
static int
tell_waiting(const struct svc *s, struct store_conn *c, const struct details *d,
    int64_t now)
{
	char news[512];

	if (d->a.start_at <= now)
		return 0;
	snprintf(news, sizeof(news),
	    "une place s'est libérée le %s (heure de Paris), %s", d->when,
	    d->place);
	return tell_first_waiting(s, c, d->a.org_id, d->a.motif_id, d->motif,
	    news, now);
}

int
svc_appt_wait_opened(const struct svc *s, struct store_conn *c,
    const char *org_id, const int64_t *motifs, size_t n, int64_t now)
{
	struct store_appt_motif m;
	size_t i;

	for (i = 0; i < n; i++) {
		if (store_appt_motif_get(s->a->st, c, org_id, motifs[i], &m) !=
		    0)
			continue;
		if (tell_first_waiting(s, c, org_id, motifs[i], m.name,
			"de nouveaux créneaux viennent d'ouvrir", now) != 0)
			return -1;
	}
	return 0;
}

int
svc_appt_notify_people(const struct svc *s, struct store_conn *c, int64_t id,
    const char *kind, int64_t now)
{
	return svc_appt_notify_people_link(s, c, id, kind, NULL, now);
}

const char *
svc_appt_public_url(void)
{
	return cfg_.public_url;
}

int
svc_appt_summary(const struct svc *s, struct store_conn *c, const char *org_id,
    int64_t motif_id, int64_t place_id, int64_t start_at,
    struct svc_appt_summary *out)
{
	struct store_appt_motif m;
	char name[APPT_NAME_MAX];

	memset(out, 0, sizeof(*out));
	if (store_appt_motif_get(s->a->st, c, org_id, motif_id, &m) != 0)
		return -1;
	snprintf(out->motif, sizeof(out->motif), "%s", m.name);
	place_text(s, c, org_id, place_id, m.location_type, out->place,
	    sizeof(out->place), name, sizeof(name));
	appt_paris_format(start_at, out->when, sizeof(out->when));
	return 0;
}

int
svc_appt_notify_people_link(const struct svc *s, struct store_conn *c,
    int64_t id, const char *kind, const char *link, int64_t now)
{
	const struct words *w = words_of(kind);
	int64_t users[APPT_PARTICIPANTS_MAX];
	struct details *d;
	size_t nu = 0, i;
	int rc = 0;

	if (w == NULL || (d = calloc(1, sizeof(*d))) == NULL)
		return -1;
	if (load_details(s, c, id, d) != 0 ||
	    store_appt_participants(s->a->st, c, id, users,
		APPT_PARTICIPANTS_MAX, &nu) != 0)
		rc = -1;
	/* A user leaving a collective session cancels nothing for the
	 * others: they are not told, but a place is free. */
	if (w->method == APPT_ICS_CANCEL &&
	    store_appt_status_active(d->a.status))
		nu = 0;
	for (i = 0; i < nu && rc == 0; i++)
		rc = tell_user(s, c, d, users[i], w, -1, link, now);
	if (rc == 0 && w->method == APPT_ICS_CANCEL)
		rc = tell_waiting(s, c, d, now);
	store_appt_clear(&d->a);
	free(d);
	return rc;
}

/* --- reminders --- */

struct remind_tx {
	const struct svc *s;
	int64_t now;
	long n;
};

static int
remind_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct remind_tx *t = arg;
	struct store_appt_due_reminder v[APPT_REMINDER_BATCH];
	struct svc_appt_user *u;
	struct details *d;
	size_t n = 0, i;
	int rc = 0, ok;

	if (store_appt_reminders_due(st, c, t->now, v, APPT_REMINDER_BATCH,
		&n) != 0)
		return -1;
	if (n == 0)
		return 0;
	u = calloc(1, sizeof(*u));
	d = calloc(1, sizeof(*d));
	if (u == NULL || d == NULL)
		rc = -1;
	for (i = 0; i < n && rc == 0; i++) {
		/* Marked in any case: without consent, no reminder later
		 * either for this time. */
		if (store_appt_reminder_mark(st, c, &v[i], t->now) != 0 ||
		    load_details(t->s, c, v[i].appointment_id, d) != 0) {
			rc = -1;
			break;
		}
		ok = svc_appt_user_open(t->s, c, NULL, v[i].user_id, u) ==
			APPT_OK
		    ? wants_reminders(t->s, c, u)
		    : 0;
		if (ok < 0)
			rc = -1;
		else if (ok > 0) {
			rc = tell_user(t->s, c, d, v[i].user_id,
			    words_of("appointment.reminder"), 1, NULL, t->now);
			t->n++;
		}
		store_appt_clear(&d->a);
		sodium_memzero(u, sizeof(*u));
	}
	free(u);
	free(d);
	return rc;
}

int
svc_appt_reminders(const struct svc *s, int64_t now, long *n)
{
	struct remind_tx t = { s, now, 0 };

	*n = 0;
	if (store_tx(s->a->st, 1, remind_tx, &t) != 0)
		return -1;
	*n = t.n;
	return 0;
}

int
appt_reminder_job(void *arg, int64_t now_ms)
{
	long n = 0;

	if (svc_appt_reminders(arg, now_ms, &n) != 0) {
		log_errorx("appt-reminders: the reminders could not be sent");
		return -1;
	}
	if (n > 0)
		log_info("appt-reminders: %ld reminded", n);
	return 0;
}

/* --- the agents' calendar feed --- */

static void
feed_hash(const char *token, unsigned char out[APPT_FEED_HASH])
{
	crypto_generichash(out, APPT_FEED_HASH, (const unsigned char *)token,
	    strlen(token), NULL, 0);
}

static int
audit_feed(const struct svc *s, struct store_conn *c,
    const struct svc_actor *who, const char *action, int64_t now)
{
	struct audit_entry e;

	memset(&e, 0, sizeof(e));
	e.actor = who->account_id;
	e.org = who->org_id;
	e.ip = who->ip;
	e.request_id = who->request_id;
	e.action = action;
	e.target_type = "account";
	e.target_ids = who->account_id;
	e.outcome = AUDIT_SUCCESS;
	return audit_append(s->a->st, c, s->a->audit_key, now, &e, NULL);
}

struct feed_tx {
	const struct svc *s;
	const struct svc_actor *who;
	const char *org_id;
	int64_t now;
	unsigned char hash[APPT_FEED_HASH];
	int revoke, code;
};

static int
feed_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct feed_tx *t = arg;
	int rc;

	if (t->revoke) {
		if ((rc = store_appt_feed_delete(st, c, t->who->account_id)) !=
		    0) {
			t->code = rc;
			return rc < 0 ? -1 : 0;
		}
		return audit_feed(t->s, c, t->who, "appointment.feed_revoked",
		    t->now);
	}
	if ((rc = store_appt_account_is_agent(st, c, t->org_id,
		 t->who->account_id)) <= 0) {
		t->code = rc < 0 ? -1 : APPT_AGENT_INCONNU;
		return rc < 0 ? -1 : 0;
	}
	if (store_appt_feed_put(st, c, t->who->account_id, t->org_id, t->hash,
		t->now) != 0)
		return -1;
	return audit_feed(t->s, c, t->who, "appointment.feed_created", t->now);
}

int
svc_appt_feed_new(const struct svc *s, const struct svc_actor *who,
    const char *org_id, int64_t now, char token[APPT_FEED_TOKEN_MAX])
{
	struct feed_tx t;
	unsigned char rnd[32];

	memset(&t, 0, sizeof(t));
	t.s = s;
	t.who = who;
	t.org_id = org_id;
	t.now = now;
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(token, APPT_FEED_TOKEN_MAX, rnd, sizeof(rnd));
	feed_hash(token, t.hash);
	if (store_tx(s->a->st, 1, feed_tx, &t) != 0 || t.code < 0)
		return -1;
	if (t.code != APPT_OK)
		sodium_memzero(token, APPT_FEED_TOKEN_MAX);
	return t.code;
}

int
svc_appt_feed_revoke(const struct svc *s, const struct svc_actor *who,
    int64_t now)
{
	struct feed_tx t;

	memset(&t, 0, sizeof(t));
	t.s = s;
	t.who = who;
	t.now = now;
	t.revoke = 1;
	if (store_tx(s->a->st, 1, feed_tx, &t) != 0 || t.code < 0)
		return -1;
	return t.code;
}

struct feed_read {
	const struct svc *s;
	struct store_conn *c;
	const char *org_id;
	struct appt_ics_event *ev;
	char (*summary)[APPT_NAME_MAX];
	char (*where)[APPT_NAME_MAX + APPT_ADDRESS_MAX + 4];
	size_t n;
};

static int
feed_event(void *arg, const struct store_appt_listed *l)
{
	struct feed_read *f = arg;
	struct appt_ics_event *e;
	struct store_appt a;
	struct store_appt_motif m;
	char name[APPT_NAME_MAX];

	if (f->n >= FEED_MAX)
		return 1;
	e = &f->ev[f->n];
	memset(&a, 0, sizeof(a));
	if (store_appt_get(f->s->a->st, f->c, l->id, &a) != 0)
		return -1;
	e->id = l->id;
	e->sequence = appt_ics_sequence(a.created_at, a.updated_at);
	store_appt_clear(&a);
	e->start_ms = l->start_at;
	e->end_ms = l->start_at + l->duration_min * MIN_MS;
	e->cancelled = !store_appt_status_active(l->status);
	snprintf(f->summary[f->n], APPT_NAME_MAX, "%s",
	    store_appt_motif_get(f->s->a->st, f->c, f->org_id, l->motif_id,
		&m) == 0
		? m.name
		: "Rendez-vous");
	place_text(f->s, f->c, f->org_id, l->place_id, l->location_type,
	    f->where[f->n], sizeof(f->where[0]), name, sizeof(name));
	e->summary = f->summary[f->n];
	e->location = f->where[f->n];
	f->n++;
	return 0;
}

struct feed_get {
	const struct svc *s;
	const char *token;
	int64_t now;
	char **ics;
	int code;
};

static int
feed_get_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct feed_get *g = arg;
	unsigned char hash[APPT_FEED_HASH];
	char agent[STORE_ID_MAX], org[STORE_ID_MAX];
	struct feed_read f;
	int rc;

	feed_hash(g->token, hash);
	if ((rc = store_appt_feed_find(st, c, hash, agent, org)) != 0) {
		g->code = rc;
		return rc < 0 ? -1 : 0;
	}
	memset(&f, 0, sizeof(f));
	f.s = g->s;
	f.c = c;
	f.org_id = org;
	f.ev = calloc(FEED_MAX, sizeof(*f.ev));
	f.summary = calloc(FEED_MAX, sizeof(*f.summary));
	f.where = calloc(FEED_MAX, sizeof(*f.where));
	rc = f.ev == NULL || f.summary == NULL || f.where == NULL ||
	    store_appt_list_org(st, c, org, agent, g->now - FEED_PAST_MS,
		g->now + FEED_AHEAD_MS, FEED_MAX, feed_event, &f) < 0 ||
	    appt_ics_build(APPT_ICS_PUBLISH, cfg_.domain, NULL, f.ev, f.n,
		g->now, g->ics) != 0;
	free(f.ev);
	free(f.summary);
	free(f.where);
	g->code = rc ? -1 : APPT_OK;
	return rc ? -1 : 0;
}

int
svc_appt_feed(const struct svc *s, const char *token, int64_t now, char **ics)
{
	struct feed_get g = { s, token, now, ics, 0 };

	*ics = NULL;
	if (token == NULL || strlen(token) != APPT_FEED_TOKEN_MAX - 1)
		return 1;
	if (store_tx(s->a->st, 0, feed_get_tx, &g) != 0 || g.code < 0)
		return -1;
	return g.code;
}

/* --- the waiting list --- */

/* Whether record user_id is one of account_id's, or a relative of one;
 * fills u. */
static int
own_record(const struct svc *s, struct store_conn *c, const char *account_id,
    int64_t user_id, struct svc_appt_user *u)
{
	int64_t ids[64];
	size_t n = 0, i;

	if (store_appt_users_of_account(s->a->st, c, account_id, ids, 64, &n) !=
	    0)
		return -1;
	if (svc_appt_user_open(s, c, NULL, user_id, u) != APPT_OK)
		return 0;
	for (i = 0; i < n; i++)
		if (ids[i] == user_id || ids[i] == u->responsible_id)
			return 1;
	return 0;
}

struct wait_tx {
	const struct svc *s;
	const struct svc_actor *who;
	const char *org_id;
	const struct svc_appt_user_in *in;
	struct appt_error *err;
	int64_t motif_id, user_id, now, id, expires_at;
	int code;
};

static int
wait_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct wait_tx *t = arg;
	struct svc_appt_user *u = calloc(1, sizeof(*u));
	struct store_appt_motif m;
	struct audit_entry e;
	char ids[24];
	int rc;

	if (u == NULL)
		return -1;
	/* No record named: the person's own in org_id, created from in on
	 * a first request there (the motif checked first). */
	if (t->user_id == 0) {
		if (store_appt_motif_get(st, c, t->org_id, t->motif_id, &m) !=
			0 ||
		    !m.online || m.archived_at != 0) {
			t->code = appt_error_set(t->err, APPT_MOTIF_INCONNU,
			    "motif_id", NULL);
			goto done;
		}
		t->code = svc_appt_account_record(t->s, c, t->who, t->org_id,
		    t->in, t->now, &t->user_id, t->err);
		if (t->code != APPT_OK)
			goto done;
	}
	rc = own_record(t->s, c, t->who->account_id, t->user_id, u);
	if (rc <= 0) {
		t->code = rc < 0 ? -1 : APPT_USAGER_INCONNU;
		goto done;
	}
	if (store_appt_motif_get(st, c, u->org_id, t->motif_id, &m) != 0 ||
	    !m.online || m.archived_at != 0) {
		t->code = APPT_MOTIF_INCONNU;
		goto done;
	}
	t->expires_at = t->now + cfg_.wait_ms;
	if ((rc = store_appt_wait_add(st, c, u->org_id, t->motif_id, t->user_id,
		 t->now, t->expires_at, &t->id)) < 0) {
		t->code = -1;
		goto done;
	}
	memset(&e, 0, sizeof(e));
	snprintf(ids, sizeof(ids), "%lld", (long long)t->id);
	e.actor = t->who->account_id;
	e.org = u->org_id;
	e.ip = t->who->ip;
	e.request_id = t->who->request_id;
	e.action = "appointment.waitlist";
	e.target_type = "appt_waitlist";
	e.target_ids = ids;
	e.outcome = AUDIT_SUCCESS;
	t->code = rc == 0 &&
		audit_append(st, c, t->s->a->audit_key, t->now, &e, NULL) != 0
	    ? -1
	    : APPT_OK;
done:
	sodium_memzero(u, sizeof(*u));
	free(u);
	return t->code < 0 ? -1 : 0;
}

int
svc_appt_wait(const struct svc *s, const struct svc_actor *who,
    const char *org_id, int64_t motif_id, int64_t user_id,
    const struct svc_appt_user_in *in, int64_t now, int64_t *id,
    int64_t *expires_at, struct appt_error *err)
{
	struct wait_tx t;

	memset(&t, 0, sizeof(t));
	t.s = s;
	t.who = who;
	t.org_id = org_id;
	t.in = in;
	t.err = err;
	t.motif_id = motif_id;
	t.user_id = user_id;
	t.now = now;
	if (user_id == 0 && (org_id == NULL || org_id[0] == '\0'))
		return appt_error_set(err, APPT_PARAMETRE_INVALIDE, "user_id",
		    "ou org_id est obligatoire");
	if (store_tx(s->a->st, 1, wait_tx, &t) != 0 || t.code < 0)
		return t.code > 0 ? t.code : -1;
	*id = t.id;
	*expires_at = t.expires_at;
	return t.code;
}

struct unwait_tx {
	const struct svc *s;
	const struct svc_actor *who;
	int64_t id;
	int code;
};

static int
unwait_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct unwait_tx *t = arg;
	int64_t ids[64];
	size_t n = 0, i;
	int rc;

	/* Their own records and their relatives': they put either on a
	 * list. */
	t->code = 1;
	if (svc_appt_account_people(t->s, c, t->who->account_id, ids, 64, &n) !=
	    0)
		return -1;
	for (i = 0; i < n && t->code == 1; i++) {
		if ((rc = store_appt_wait_delete(st, c, t->id, ids[i])) < 0)
			return -1;
		t->code = rc;
	}
	return 0;
}

int
svc_appt_wait_cancel(const struct svc *s, const struct svc_actor *who,
    int64_t id)
{
	struct unwait_tx t = { s, who, id, 0 };

	if (store_tx(s->a->st, 1, unwait_tx, &t) != 0)
		return -1;
	return t.code;
}

struct wpurge {
	int64_t now, cutoff;
	long n;
};

static int
wpurge_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct wpurge *p = arg;

	p->n = store_appt_wait_purge(st, c, p->now, p->cutoff);
	return p->n < 0 ? -1 : 0;
}

long
appt_wait_purge(const struct auth *a, int64_t now, int64_t cutoff)
{
	struct wpurge p = { now, cutoff, 0 };

	if (store_tx(a->st, 1, wpurge_tx, &p) != 0)
		return -1;
	return p.n;
}
