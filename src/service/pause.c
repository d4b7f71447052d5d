/* pause.c - respite times: families ask, volunteers accept (pause.h). */
#include "service/pause.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "audit/audit.h"
#include "crypto/field.h"
#include "notify/notify.h"
#include "service/dossier_int.h"
#include "store/driver.h"

#define PAUSES_MAX 200 /* rows a list reads */

/* What the transactions carry. */
struct tx {
	const struct dsvc *s;
	const struct svc_actor *who;
	int64_t now;
	int64_t id;
	const char *org_id;
	const struct pause_input *in;
	int64_t start_at;
	svc_pause_fn fn;
	void *arg;
	int code;
};

static int
run(const struct dsvc *s, struct tx *x,
    int (*fn)(struct store *, struct store_conn *, void *), int write)
{
	int rc;

	x->code = PAUSE_OK;
	rc = store_tx(s->a->st, write, fn, x);
	if (rc < 0)
		return -1;
	return rc == 0 ? PAUSE_OK : x->code;
}

/* The key of the family that asked for pause p (create: when missing). */
static int
family_key(const struct auth *a, const struct store_pause *p, int create,
    struct data_key *k)
{
	char owner[AUTH_OWNER_MAX];

	if (auth_subject_owner(p->family_account, owner) != 0)
		return -1;
	return auth_key(a, owner, create, k);
}

static int
seal(const struct auth *a, const struct store_pause *p, const char *column,
    const char *text, struct store_blob *b)
{
	struct data_key k;
	char rid[24];
	int rc;

	store_blob_wipe(b);
	if (text == NULL)
		return 0;
	snprintf(rid, sizeof(rid), "%" PRId64, p->id);
	if (family_key(a, p, 1, &k) != 0)
		return -1;
	rc = auth_seal(&k, "dossier_pauses", column, rid, text, b);
	sodium_memzero(&k, sizeof(k));
	return rc;
}

static int
open_field(const struct data_key *k, const struct store_pause *p,
    const char *column, const struct store_blob *b, char **out)
{
	char rid[24], *pt = NULL;
	size_t n = 0;

	*out = NULL;
	if (b->p == NULL)
		return 0;
	snprintf(rid, sizeof(rid), "%" PRId64, p->id);
	if (field_open(k, "dossier_pauses", column, rid, b->p, b->len, &pt,
		&n) != 0)
		return -1;
	*out = strndup(pt, n);
	field_free(pt, n);
	return *out != NULL ? 0 : -1;
}

static void
free_text(char **s)
{
	if (*s != NULL) {
		sodium_memzero(*s, strlen(*s));
		free(*s);
	}
	*s = NULL;
}

static void
view_clear(struct pause_view *v)
{
	store_pause_clear(&v->p);
	free_text(&v->place);
	free_text(&v->note);
	free_text(&v->family.name);
	free_text(&v->family.phone);
	free_text(&v->volunteer.name);
	free_text(&v->volunteer.phone);
}

/* The name and phone of dossier id's profile (opened with its holder's
 * key; nothing when erased). Returns 0 or -1. */
static int
person_of(const struct auth *a, struct store_conn *c, int64_t id,
    struct pause_person *out)
{
	struct dossier_view *v;
	json_t *j;
	const char *s;
	struct store_dossier d = { 0 };
	int rc;

	if (id == 0)
		return 0;
	if ((rc = store_dossier_get(a->st, c, id, &d)) != 0)
		return rc < 0 ? -1 : 0;
	if ((v = calloc(1, sizeof(*v))) == NULL) {
		store_dossier_clear(&d);
		return -1;
	}
	rc = dossier_open_view(a, a->st, c, &d, v);
	if (rc == 0 && v->profile != NULL &&
	    (j = json_loads(v->profile, 0, NULL)) != NULL) {
		if ((s = json_string_value(json_object_get(j, "name"))) != NULL)
			out->name = strdup(s);
		if ((s = json_string_value(json_object_get(j, "phone"))) !=
			NULL &&
		    s[0] != '\0')
			out->phone = strdup(s);
		json_decref(j);
	}
	svc_dossier_view_clear(v);
	free(v);
	return rc;
}

/* What a reader may see of a pause. */
enum reach {
	REACH_OPEN, /* a volunteer before accepting: no family, no note */
	REACH_FAMILY, /* the family: all, the volunteer once accepted */
	REACH_VOLUNTEER, /* the accepting volunteer: all */
	REACH_STAFF /* validators: all */
};

/* Opens pause p (taken) for reach into v and calls fn. */
static int
show(const struct auth *a, struct store_conn *c, struct store_pause *p,
    enum reach r, int64_t now, svc_pause_fn fn, void *arg)
{
	struct pause_view v;
	struct data_key k;
	int rc = 0, krc;

	memset(&v, 0, sizeof(v));
	v.p = *p;
	memset(p, 0, sizeof(*p));
	v.state = pause_state_at(v.p.state, v.p.start_at, now);
	v.side = r == REACH_FAMILY                    ? "family"
	    : r == REACH_VOLUNTEER || r == REACH_OPEN ? "volunteer"
						      : NULL;
	if ((krc = family_key(a, &v.p, 0, &k)) < 0) {
		view_clear(&v);
		return -1;
	}
	if (krc == 0) {
		rc = open_field(&k, &v.p, "place", &v.p.place, &v.place) != 0 ||
		    (r != REACH_OPEN &&
			open_field(&k, &v.p, "note", &v.p.note, &v.note) != 0);
		sodium_memzero(&k, sizeof(k));
	}
	if (rc == 0 && r != REACH_OPEN && r != REACH_FAMILY)
		rc = person_of(a, c, v.p.family_dossier, &v.family);
	if (rc == 0 && r != REACH_OPEN && r != REACH_VOLUNTEER)
		rc = person_of(a, c, v.p.volunteer_dossier, &v.volunteer);
	if (rc == 0)
		rc = fn(arg, &v);
	view_clear(&v);
	return rc;
}

/* Ids collected from a list, opened after it (no query inside a row
 * callback). */
struct ids {
	int64_t id[PAUSES_MAX];
	size_t n;
};

static int
collect_pause(void *arg, const struct store_pause *p)
{
	struct ids *ids = arg;

	if (ids->n < PAUSES_MAX)
		ids->id[ids->n++] = p->id;
	return 0;
}

static int
show_list(const struct auth *a, struct store_conn *c, enum store_pause_list w,
    int64_t key, const char *org_id, enum reach r, int64_t now, svc_pause_fn fn,
    void *arg)
{
	struct ids *ids = calloc(1, sizeof(*ids));
	struct store_pause p = { 0 };
	size_t i;
	int rc;

	if (ids == NULL)
		return -1;
	rc = store_pauses_list(a->st, c, w, key, org_id, now, PAUSES_MAX,
	    collect_pause, ids);
	for (i = 0; rc == 0 && i < ids->n; i++) {
		if ((rc = store_pause_get(a->st, c, ids->id[i], &p)) != 0) {
			rc = -1;
			break;
		}
		rc = show(a, c, &p, r, now, fn, arg);
	}
	free(ids);
	return rc;
}

/* The caller's dossiers (id, org, kind, state). */
struct mine {
	struct {
		int64_t id;
		char org_id[STORE_ID_MAX];
		enum dossier_kind kind;
		enum dossier_state state;
	} d[16];
	size_t n;
};

static int
collect_dossier(void *arg, const struct store_dossier *d)
{
	struct mine *m = arg;

	if (m->n >= sizeof(m->d) / sizeof(m->d[0]))
		return 0;
	m->d[m->n].id = d->id;
	snprintf(m->d[m->n].org_id, sizeof(m->d[m->n].org_id), "%s", d->org_id);
	m->d[m->n].kind = d->kind;
	m->d[m->n].state = d->state;
	m->n++;
	return 0;
}

static int
audit(const struct tx *x, struct store_conn *c, const char *action, int64_t id,
    const char *details)
{
	struct audit_entry e;
	char target[24];

	snprintf(target, sizeof(target), "%" PRId64, id);
	memset(&e, 0, sizeof(e));
	e.actor = x->who->account_id;
	e.org = x->org_id != NULL ? x->org_id : x->who->org_id;
	e.ip = x->who->ip;
	e.request_id = x->who->request_id;
	e.action = action;
	e.target_type = "dossier_pause";
	e.target_ids = target;
	e.outcome = AUDIT_SUCCESS;
	e.details = details;
	return audit_append(x->s->a->st, c, x->s->a->audit_key, x->now, &e,
	    NULL);
}

/* Tells the family and, when there is one, the volunteer of p. */
static int
tell_both(const struct tx *x, struct store_conn *c, const struct store_pause *p,
    const char *kind, const char *by)
{
	char params[160];
	struct notice n = { kind, params };

	snprintf(params, sizeof(params),
	    "{\"pause\":%" PRId64 ",\"start_at\":%" PRId64 ",\"by\":\"%s\"}",
	    p->id, p->start_at, by);
	if (notify_account(x->s->a, c, p->family_account, p->org_id, &n,
		x->now) != 0)
		return -1;
	if (p->volunteer_account[0] != '\0' &&
	    notify_account(x->s->a, c, p->volunteer_account, p->org_id, &n,
		x->now) != 0)
		return -1;
	return 0;
}

/*
 * The validated volunteers of an association, gathered before they are
 * told (a notification is a write; the list is read first). Capped: an
 * association of seed 002 has tens of volunteers, not thousands.
 */
struct volunteers {
	char account[64][STORE_ID_MAX];
	size_t n;
};

static int
collect_volunteer(void *arg, const struct store_dossier *d)
{
	struct volunteers *v = arg;

	if (d->kind != DOSSIER_VOLUNTEER ||
	    v->n >= sizeof(v->account) / sizeof(v->account[0]))
		return 0;
	snprintf(v->account[v->n], sizeof(v->account[v->n]), "%s",
	    d->account_id);
	v->n++;
	return 0;
}

/* Tells every validated volunteer of p's association that a family asks
 * for a pause; the notice holds no detail of the family (the place and
 * the note are shown only to a volunteer who opens the open requests). */
static int
tell_volunteers(const struct tx *x, struct store_conn *c,
    const struct store_pause *p)
{
	struct volunteers v = { .n = 0 };
	char params[96];
	struct notice n = { "pause.requested", params };

	if (store_dossiers_of_org(x->s->a->st, c, p->org_id,
		dossier_state_name(DOSSIER_VALIDE), 1000, collect_volunteer,
		&v) < 0)
		return -1;
	snprintf(params, sizeof(params),
	    "{\"pause\":%" PRId64 ",\"start_at\":%" PRId64 "}", p->id,
	    p->start_at);
	for (size_t i = 0; i < v.n; i++)
		if (notify_account(x->s->a, c, v.account[i], p->org_id, &n,
			x->now) != 0)
			return -1;
	return 0;
}

static int
create_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct tx *x = arg;
	struct store_dossier d = { 0 };
	struct store_pause p = { 0 };
	struct store_org o;
	char details[96];
	int rc;

	if ((rc = store_org_get(st, c, x->org_id, &o)) != 0 ||
	    strcmp(o.kind, "association") != 0) {
		x->code = rc < 0 ? -1 : DSVC_NOT_ASSOCIATION;
		return 1;
	}
	if ((rc = store_dossier_of(st, c, x->org_id, x->who->account_id, &d)) !=
	    0) {
		x->code = rc < 0 ? -1 : PAUSE_DOSSIER_NON_VALIDE;
		return 1;
	}
	store_dossier_clear(&d);
	if ((x->code = pause_may_ask(d.kind, d.state)) != PAUSE_OK)
		return 1;
	memset(&p, 0, sizeof(p));
	snprintf(p.org_id, sizeof(p.org_id), "%s", x->org_id);
	snprintf(p.family_account, sizeof(p.family_account), "%s",
	    x->who->account_id);
	p.family_dossier = d.id;
	p.start_at = x->start_at;
	p.duration = x->in->duration;
	p.created_at = x->now;
	snprintf(details, sizeof(details),
	    "{\"start_at\":%" PRId64 ",\"duration\":%ld}", p.start_at,
	    p.duration);
	rc = store_pause_insert(st, c, &p) == 0 &&
		seal(x->s->a, &p, "place", x->in->place, &p.place) == 0 &&
		seal(x->s->a, &p, "note",
		    x->in->note != NULL && x->in->note[0] != '\0' ? x->in->note
								  : NULL,
		    &p.note) == 0 &&
		store_pause_seal(st, c, &p) == 0 &&
		audit(x, c, "pause.create", p.id, details) == 0 &&
		tell_volunteers(x, c, &p) == 0
	    ? 0
	    : -1;
	x->id = p.id;
	store_pause_clear(&p);
	return rc;
}

int
svc_pause_create(const struct dsvc *s, const struct svc_actor *who,
    const char *org_id, const struct pause_input *in, int64_t now, int64_t *id)
{
	struct tx x = { 0 };
	enum pause_code code;
	int rc;

	*id = 0;
	code = pause_check(in->date, in->start, in->duration, in->place,
	    in->note, now, &x.start_at);
	if (code != PAUSE_OK)
		return code;
	x.s = s;
	x.who = who;
	x.now = now;
	x.org_id = org_id;
	x.in = in;
	rc = run(s, &x, create_tx, 1);
	*id = x.id;
	return rc;
}

static int
mine_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct tx *x = arg;
	struct mine m = { 0 };
	size_t i;
	int rc = 0;

	if (store_dossiers_of_account(st, c, x->who->account_id,
		collect_dossier, &m) != 0)
		return -1;
	for (i = 0; rc == 0 && i < m.n; i++)
		rc = m.d[i].kind == DOSSIER_FAMILY
		    ? show_list(x->s->a, c, STORE_PAUSES_FAMILY, m.d[i].id,
			  NULL, REACH_FAMILY, x->now, x->fn, x->arg)
		    : show_list(x->s->a, c, STORE_PAUSES_VOLUNTEER, m.d[i].id,
			  NULL, REACH_VOLUNTEER, x->now, x->fn, x->arg);
	return rc;
}

int
svc_pauses_mine(const struct dsvc *s, const struct svc_actor *who, int64_t now,
    svc_pause_fn fn, void *arg)
{
	struct tx x = { 0 };

	x.s = s;
	x.who = who;
	x.now = now;
	x.fn = fn;
	x.arg = arg;
	return run(s, &x, mine_tx, 0);
}

static int
open_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct tx *x = arg;
	struct mine m = { 0 };
	size_t i;
	int rc = 0, any = 0;

	if (store_dossiers_of_account(st, c, x->who->account_id,
		collect_dossier, &m) != 0)
		return -1;
	for (i = 0; rc == 0 && i < m.n; i++) {
		if (m.d[i].kind != DOSSIER_VOLUNTEER ||
		    m.d[i].state != DOSSIER_VALIDE)
			continue;
		any = 1;
		rc = show_list(x->s->a, c, STORE_PAUSES_OPEN, 0, m.d[i].org_id,
		    REACH_OPEN, x->now, x->fn, x->arg);
	}
	if (rc == 0 && !any) {
		x->code = PAUSE_DOSSIER_NON_VALIDE;
		return 1;
	}
	return rc;
}

int
svc_pauses_open(const struct dsvc *s, const struct svc_actor *who, int64_t now,
    svc_pause_fn fn, void *arg)
{
	struct tx x = { 0 };

	x.s = s;
	x.who = who;
	x.now = now;
	x.fn = fn;
	x.arg = arg;
	return run(s, &x, open_tx, 0);
}

/* Reads pause x->id and the caller's dossier with its association.
 * Returns 0, 1 (x->code DSVC_UNKNOWN) or -1. */
static int
reach(struct tx *x, struct store_conn *c, struct store_pause *p,
    struct store_dossier *d)
{
	int rc = store_pause_get(x->s->a->st, c, x->id, p);

	if (rc == 0) {
		rc = store_dossier_of(x->s->a->st, c, p->org_id,
		    x->who->account_id, d);
		if (rc == 0)
			store_dossier_clear(d);
		else
			store_pause_clear(p);
	}
	if (rc == 1)
		x->code = DSVC_UNKNOWN;
	return rc;
}

static int
accept_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct tx *x = arg;
	struct store_pause p = { 0 };
	struct store_dossier d = { 0 };
	int rc;

	if ((rc = reach(x, c, &p, &d)) != 0)
		return rc;
	x->org_id = p.org_id;
	x->code =
	    pause_may_accept(d.kind, d.state, p.state, p.start_at, x->now);
	if (x->code == PAUSE_OK &&
	    (rc = store_pause_accept(st, c, p.id, d.id, x->now)) != 0)
		x->code = rc < 0 ? -1 : PAUSE_DEJA_ACCEPTEE;
	if (x->code != PAUSE_OK) {
		store_pause_clear(&p);
		return x->code < 0 ? -1 : 1;
	}
	p.volunteer_dossier = d.id;
	snprintf(p.volunteer_account, sizeof(p.volunteer_account), "%s",
	    x->who->account_id);
	rc = audit(x, c, "pause.accept", p.id, NULL) == 0 &&
		tell_both(x, c, &p, "pause.accepted", "volunteer") == 0
	    ? 0
	    : -1;
	store_pause_clear(&p);
	return rc;
}

int
svc_pause_accept(const struct dsvc *s, const struct svc_actor *who, int64_t id,
    int64_t now)
{
	struct tx x = { 0 };

	x.s = s;
	x.who = who;
	x.now = now;
	x.id = id;
	return run(s, &x, accept_tx, 1);
}

static int
cancel_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct tx *x = arg;
	struct store_pause p = { 0 };
	struct store_dossier d = { 0 };
	enum pause_side side;
	char details[48];
	int rc, own;

	if ((rc = reach(x, c, &p, &d)) != 0)
		return rc;
	x->org_id = p.org_id;
	if (d.id == p.family_dossier) {
		side = PAUSE_SIDE_FAMILY;
		own = 1;
	} else {
		side = PAUSE_SIDE_VOLUNTEER;
		own = d.id == p.volunteer_dossier;
		/* Another volunteer sees only what is still open. */
		if (!own &&
		    (d.kind != DOSSIER_VOLUNTEER || d.state != DOSSIER_VALIDE ||
			p.state != PAUSE_DEMANDEE)) {
			store_pause_clear(&p);
			x->code = DSVC_UNKNOWN;
			return 1;
		}
	}
	x->code = pause_may_cancel(side, own, p.state, p.start_at, x->now);
	if (x->code == PAUSE_OK &&
	    (rc = store_pause_cancel(st, c, p.id, p.state, x->now)) != 0)
		x->code = rc < 0 ? -1 : PAUSE_ETAT_INVALIDE;
	if (x->code != PAUSE_OK) {
		store_pause_clear(&p);
		return x->code < 0 ? -1 : 1;
	}
	snprintf(details, sizeof(details), "{\"by\":\"%s\"}",
	    side == PAUSE_SIDE_FAMILY ? "family" : "volunteer");
	rc = audit(x, c, "pause.cancel", p.id, details) == 0 &&
		tell_both(x, c, &p, "pause.cancelled",
		    side == PAUSE_SIDE_FAMILY ? "family" : "volunteer") == 0
	    ? 0
	    : -1;
	store_pause_clear(&p);
	return rc;
}

int
svc_pause_cancel(const struct dsvc *s, const struct svc_actor *who, int64_t id,
    int64_t now)
{
	struct tx x = { 0 };

	x.s = s;
	x.who = who;
	x.now = now;
	x.id = id;
	return run(s, &x, cancel_tx, 1);
}

static int
org_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct tx *x = arg;

	(void)st;
	return show_list(x->s->a, c, STORE_PAUSES_ORG, 0, x->who->org_id,
	    REACH_STAFF, x->now, x->fn, x->arg);
}

int
svc_pauses_of_org(const struct dsvc *s, const struct svc_actor *who,
    int64_t now, svc_pause_fn fn, void *arg)
{
	struct tx x = { 0 };

	if (who->org_id == NULL || who->org_id[0] == '\0')
		return DSVC_UNKNOWN;
	x.s = s;
	x.who = who;
	x.now = now;
	x.fn = fn;
	x.arg = arg;
	return run(s, &x, org_tx, 0);
}

int
svc_pauses_export(const struct auth *a, struct store_conn *c,
    const char *account_id, int64_t now, svc_pause_fn fn, void *arg)
{
	struct mine m = { 0 };
	size_t i;
	int rc = 0;

	if (store_dossiers_of_account(a->st, c, account_id, collect_dossier,
		&m) != 0)
		return -1;
	for (i = 0; rc == 0 && i < m.n; i++)
		rc = m.d[i].kind == DOSSIER_FAMILY
		    ? show_list(a, c, STORE_PAUSES_FAMILY, m.d[i].id, NULL,
			  REACH_FAMILY, now, fn, arg)
		    : show_list(a, c, STORE_PAUSES_VOLUNTEER, m.d[i].id, NULL,
			  REACH_VOLUNTEER, now, fn, arg);
	return rc;
}

int
svc_pauses_erase(struct store *st, struct store_conn *c, const char *account_id,
    int64_t now, long *n)
{
	return store_pauses_erase_of_account(st, c, account_id, now, n);
}

struct expire {
	int64_t cutoff;
	long n;
};

static int
expire_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct expire *e = arg;

	return store_pauses_expire(st, c, e->cutoff, &e->n);
}

long
svc_pauses_expire(const struct auth *a, int64_t cutoff)
{
	struct expire e = { cutoff, 0 };

	return store_tx(a->st, 1, expire_tx, &e) == 0 ? e.n : -1;
}
