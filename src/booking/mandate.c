/* mandate.c - rule 1: mandate lifecycle and checks. */
#include "booking/mandate.h"

#include <string.h>

#include "booking/caltime.h"

static int
is_space(char c)
{
	return c == ' ' || c == '\t';
}

static char
lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* Equal ignoring ASCII case and leading or trailing spaces. */
static int
name_equal(const char *a, const char *b)
{
	size_t la, lb, i;

	if (a == NULL || b == NULL)
		return 0;
	while (is_space(*a))
		a++;
	while (is_space(*b))
		b++;
	la = strlen(a);
	lb = strlen(b);
	while (la > 0 && is_space(a[la - 1]))
		la--;
	while (lb > 0 && is_space(b[lb - 1]))
		lb--;
	if (la != lb || la == 0)
		return 0;
	for (i = 0; i < la; i++)
		if (lower(a[i]) != lower(b[i]))
			return 0;
	return 1;
}

static int
same(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

enum bk_code
mandate_check_identity(const struct candidate_identity *registry,
    const struct candidate_identity *claim)
{
	if (registry == NULL || claim == NULL)
		return BK_CANDIDAT_INCONNU;
	if (!same(registry->neph, claim->neph) ||
	    !same(registry->category, claim->category) ||
	    !name_equal(registry->last_name, claim->last_name) ||
	    !name_equal(registry->first_names, claim->first_names))
		return BK_CANDIDAT_INCONNU;
	return BK_OK;
}

int64_t
mandate_expiry(const struct booking_rules *r, int64_t activated_at)
{
	return caltime_add_months(activated_at, r->mandate_months);
}

enum mandate_state
mandate_state_at(const struct mandate *m, int64_t now)
{
	if (m->state == MANDATE_ACTIVE && m->expires_at <= now)
		return MANDATE_EXPIRED;
	return m->state;
}

static int
matches(const struct mandate *m, int64_t candidate_id, const char *category)
{
	return m->candidate_id == candidate_id &&
	    strncmp(m->category, category, BK_CATEGORY_MAX) == 0;
}

enum bk_code
mandate_check_create(const struct mandate *list, size_t n, int64_t candidate_id,
    int64_t school_id, const char *category, enum mandate_origin origin,
    int64_t now)
{
	enum bk_code code = BK_OK;
	enum mandate_state st;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!matches(&list[i], candidate_id, category))
			continue;
		st = mandate_state_at(&list[i], now);
		if (list[i].school_id == school_id &&
		    (st == MANDATE_ACTIVE || st == MANDATE_PENDING))
			return BK_CANDIDAT_DEJA_SOUS_MON_MANDAT;
		if (list[i].school_id != school_id && st == MANDATE_ACTIVE &&
		    origin == MANDATE_BY_SCHOOL)
			code = BK_CANDIDAT_DEJA_SOUS_MANDAT;
	}
	return code;
}

int
mandate_activate(const struct booking_rules *r, struct mandate *list, size_t n,
    size_t i, int64_t now)
{
	size_t j;
	int revoked = 0;

	if (i >= n || list[i].state != MANDATE_PENDING)
		return -1;
	for (j = 0; j < n; j++) {
		if (j == i ||
		    !matches(&list[j], list[i].candidate_id, list[i].category))
			continue;
		if (mandate_state_at(&list[j], now) == MANDATE_ACTIVE) {
			list[j].state = MANDATE_REVOKED;
			list[j].ended_at = now;
			revoked++;
		}
	}
	list[i].state = MANDATE_ACTIVE;
	list[i].activated_at = now;
	list[i].expires_at = mandate_expiry(r, now);
	return revoked;
}

int
mandate_revoke(struct mandate *m, int64_t now)
{
	enum mandate_state st = mandate_state_at(m, now);

	if (st != MANDATE_ACTIVE && st != MANDATE_PENDING)
		return -1;
	m->state = MANDATE_REVOKED;
	m->ended_at = now;
	return 0;
}

enum bk_code
mandate_check_action(const struct mandate *list, size_t n, int64_t candidate_id,
    int64_t school_id, const char *category, int64_t now)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (matches(&list[i], candidate_id, category) &&
		    list[i].school_id == school_id &&
		    mandate_state_at(&list[i], now) == MANDATE_ACTIVE)
			return BK_OK;
	return BK_CANDIDAT_PAS_SOUS_MANDAT;
}

int
mandate_exam_ends(const struct mandate *m, const struct bk_exam *e, int64_t now)
{
	return e->candidate_id == m->candidate_id &&
	    e->school_id == m->school_id &&
	    strcmp(e->category, m->category) == 0 && e->status == EXAM_BOOKED &&
	    now < e->start_at;
}
