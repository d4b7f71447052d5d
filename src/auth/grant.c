/* grant.c - temporary permissions. */
#include "auth/grant.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "audit/audit.h"
#include "auth/rbac.h"
#include "store/driver.h"

struct grant_tx {
	const struct auth *a;
	const struct rbac_subject *giver;
	struct store_grant g;
	enum perm perm;
	enum rbac_gift_decision refused;
	int64_t now;
	char *why;
	size_t whylen;
};

void
grant_refusal_text(enum rbac_gift_decision d, int is_grant, const char *role,
    char *why, size_t whylen)
{
	switch (d) {
	case RBAC_GIFT_OK:
		why[0] = '\0';
		break;
	case RBAC_GIFT_NOT_GRANTABLE:
		if (is_grant)
			snprintf(why, whylen,
			    "Le champ « permission » ne désigne pas une "
			    "permission qui peut être prêtée : celles du "
			    "délégué à la protection des données (audit, "
			    "registre, violations, droits des personnes) ne "
			    "vont qu'avec son rôle.");
		else if (role != NULL && strcmp(role, "dpo") == 0)
			snprintf(why, whylen,
			    "Le champ « roles » demande le rôle de délégué à "
			    "la protection des données : il est désigné par "
			    "la plateforme (son administrateur ou la commande "
			    "creneau user add), jamais par l'administrateur "
			    "de l'établissement, dont il contrôle le travail.");
		else
			snprintf(why, whylen,
			    "Le champ « roles » demande un rôle que vous ne "
			    "pouvez pas attribuer : l'administrateur d'un "
			    "établissement attribue les rôles de son "
			    "personnel (direction, gestion, enseignement de "
			    "la conduite) ; les autres viennent de la "
			    "plateforme.");
		break;
	case RBAC_GIFT_NOT_HELD:
		snprintf(why, whylen,
		    "Le champ « permission » désigne une permission que vous "
		    "ne détenez pas : on ne prête que ce que l'on détient "
		    "soi-même.");
		break;
	case RBAC_GIFT_WRONG_PLACE:
		snprintf(why, whylen,
		    "Le champ « roles » ne convient pas à cet organisme : un "
		    "compte de candidat ou d'usager appartient à l'espace des "
		    "personnes de la plateforme, jamais à un établissement, "
		    "et cet espace n'accueille aucun rôle du personnel.");
		break;
	case RBAC_GIFT_REQUIRES_MFA:
		snprintf(why, whylen,
		    "Une permission du personnel ne se prête qu'à un compte du "
		    "personnel dont l'application d'authentification est "
		    "activée : ce compte est celui d'un candidat ou d'un "
		    "usager, ou n'a pas encore activé son second facteur.");
		break;
	case RBAC_GIFT_SEPARATION:
		snprintf(why, whylen,
		    "%s réunirait sur un même compte des fonctions que la "
		    "séparation des tâches tient à part (contrôle et "
		    "administration, demande et approbation, publication et "
		    "réservation).",
		    is_grant ? "Cette permission" : "Ce choix de rôles");
		break;
	}
}

/* What the receiver holds, for rbac_may_give. Returns 0 or -1. */
static int
receiver(struct store *st, struct store_conn *c, const struct grant_tx *t,
    const struct store_account *acc, struct rbac_gift *g)
{
	struct store_role roles[ACCOUNT_ROLES_MAX];
	struct store_grant gr[32];
	enum role r;
	enum perm p;
	long n, i;

	n = store_role_list(st, c, acc->id, t->g.org_id, roles,
	    ACCOUNT_ROLES_MAX);
	if (n < 0)
		return -1;
	for (i = 0; i < n && i < ACCOUNT_ROLES_MAX; i++) {
		if (role_requires_mfa(roles[i].role))
			g->to_staff = 1;
		if (rbac_role_parse(roles[i].role, &r) == 0)
			g->to_perms |= rbac_role_perms(r);
	}
	n = store_grant_list_active(st, c, acc->id, t->now, gr, 32);
	if (n < 0)
		return -1;
	for (i = 0; i < n && i < 32; i++)
		if (strcmp(gr[i].org_id, t->g.org_id) == 0 &&
		    rbac_perm_parse(gr[i].permission, &p) == 0)
			g->to_perms |= 1ULL << p;
	g->to_mfa = acc->totp_secret.p != NULL;
	g->to_people = strcmp(acc->org_id, AUTH_PEOPLE_ORG) == 0;
	return 0;
}

static int
insert_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct grant_tx *t = arg;
	struct store_account acc;
	struct audit_entry e;
	struct rbac_gift g;
	char details[160];
	int rc, same;

	memset(&acc, 0, sizeof(acc));
	memset(&g, 0, sizeof(g));
	rc = store_account_get(st, c, t->g.account_id, &acc);
	same = rc == 0 && strcmp(acc.org_id, t->g.org_id) == 0;
	if (same && receiver(st, c, t, &acc, &g) != 0)
		rc = -1;
	store_account_clear(&acc);
	if (rc < 0)
		return -1;
	if (!same) {
		snprintf(t->why, t->whylen,
		    "Le compte « account_id » n'existe pas dans cet "
		    "établissement.");
		return -2;
	}
	g.is_grant = 1;
	g.perm = t->perm;
	t->refused = rbac_may_give(t->giver, &g);
	if (t->refused != RBAC_GIFT_OK) {
		grant_refusal_text(t->refused, 1, NULL, t->why, t->whylen);
		return -2;
	}
	if (store_grant_insert(st, c, &t->g) != 0)
		return -1;
	snprintf(details, sizeof(details),
	    "{\"permission\":\"%s\",\"expires_at\":%lld}", t->g.permission,
	    (long long)t->g.expires_at);
	memset(&e, 0, sizeof(e));
	e.actor = t->g.granted_by;
	e.action = "grant.create";
	e.target_type = "account";
	e.target_ids = t->g.account_id;
	e.org = t->g.org_id;
	e.outcome = AUDIT_SUCCESS;
	e.details = details;
	return audit_append(st, c, t->a->audit_key, t->now, &e, NULL);
}

int
grant_create(const struct auth *a, const struct rbac_subject *giver,
    const char *actor, const char *org_id, const char *account_id,
    const char *perm, int64_t expires_at, int64_t now, char id[AUTH_ID_HEX],
    enum rbac_gift_decision *refused, char *why, size_t whylen)
{
	struct grant_tx t;
	enum perm p;

	if (refused != NULL)
		*refused = RBAC_GIFT_OK;
	if (rbac_perm_parse(perm, &p) != 0 || p == PERM_PUBLIC ||
	    p == PERM_SESSION || p == PERM_SELF || p == PERM_ORG_MANAGE) {
		snprintf(why, whylen,
		    "Le champ « permission » ne désigne pas une permission "
		    "qui peut être accordée temporairement.");
		return -1;
	}
	if (expires_at <= now || expires_at - now > GRANT_MAX_MS) {
		snprintf(why, whylen,
		    "Le champ « expires_at » doit être dans le futur et à "
		    "moins de 90 jours.");
		return -1;
	}
	memset(&t, 0, sizeof(t));
	t.a = a;
	t.giver = giver;
	t.perm = p;
	t.now = now;
	t.why = why;
	t.whylen = whylen;
	auth_id_new(t.g.id);
	snprintf(t.g.account_id, sizeof(t.g.account_id), "%s", account_id);
	snprintf(t.g.org_id, sizeof(t.g.org_id), "%s", org_id);
	snprintf(t.g.permission, sizeof(t.g.permission), "%s", perm);
	snprintf(t.g.granted_by, sizeof(t.g.granted_by), "%s", actor);
	t.g.created_at = now;
	t.g.expires_at = expires_at;
	if (store_tx(a->st, 1, insert_tx, &t) != 0) {
		if (refused != NULL)
			*refused = t.refused;
		if (why[0] == '\0')
			snprintf(why, whylen,
			    "La permission n'a pas pu être "
			    "enregistrée.");
		return -1;
	}
	memcpy(id, t.g.id, AUTH_ID_HEX);
	return 0;
}

int
grant_active_mask(const struct auth *a, const char *account_id,
    const char *org_id, int64_t now, uint64_t *mask, int64_t *until)
{
	struct store_grant g[32];
	struct store_conn *c = store_conn(a->st);
	enum perm p;
	long n, i;

	*mask = 0;
	if (until != NULL)
		*until = INT64_MAX;
	if (c == NULL)
		return -1;
	n = store_grant_list_active(a->st, c, account_id, now, g, 32);
	if (n < 0)
		return -1;
	if (n > 32)
		n = 32;
	/* Soonest end first; those past the 32 end later. */
	if (n > 0 && until != NULL)
		*until = g[0].expires_at;
	for (i = 0; i < n; i++)
		if (strcmp(g[i].org_id, org_id) == 0 &&
		    rbac_perm_parse(g[i].permission, &p) == 0)
			*mask |= 1ULL << p;
	return 0;
}

long
grant_purge(const struct auth *a, int64_t now)
{
	struct store_conn *c = store_conn(a->st);

	return c == NULL ? -1 : store_grant_delete_expired(a->st, c, now);
}
