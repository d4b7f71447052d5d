/* basket.c - rules 4 and 5: the basket and its validation. */
#include "booking/basket.h"

#include <string.h>

#include "booking/exam.h"
#include "booking/territory.h"

enum bk_code
basket_check_owner(const struct basket *b, int64_t owner_id)
{
	return (b != NULL && b->owner_id == owner_id) ? BK_OK
						      : BK_PANIER_INCONNU;
}

int64_t
basket_expires_at(const struct booking_rules *r, const struct basket *b)
{
	return b->n == 0 ? 0 : b->first_added_at + r->basket_ttl_ms;
}

int64_t
basket_time_left(const struct booking_rules *r, const struct basket *b,
    int64_t now)
{
	int64_t end = basket_expires_at(r, b);

	return (b->n == 0 || end <= now) ? 0 : end - now;
}

enum bk_code
basket_check_open(const struct booking_rules *r, const struct basket *b,
    int64_t now)
{
	if (b->n > 0 && now >= basket_expires_at(r, b))
		return BK_PANIER_EXPIRE;
	return BK_OK;
}

static long
basket_find(const struct basket *b, int64_t slot_id)
{
	size_t i;

	for (i = 0; i < b->n; i++)
		if (b->items[i].slot_id == slot_id)
			return (long)i;
	return -1;
}

/* Checks slot i of one action; returns its refusal or BK_OK. */
static enum bk_code
check_slot(const struct booking_rules *r, const struct basket *b,
    const struct bk_slot *slots, size_t i, const char *const *depts,
    size_t ndepts, int64_t now, int64_t *opens_at)
{
	const struct bk_slot *s = &slots[i];
	size_t j;

	if (s->state == SLOT_CANCELLED || now < s->published_at)
		return BK_CRENEAU_INCONNU;
	if (exam_check_modifiable(s->start_at, now) != BK_OK)
		return BK_EXAMEN_NON_MODIFIABLE;
	if (s->state != SLOT_FREE || basket_find(b, s->id) >= 0)
		return BK_CRENEAU_DEJA_RESERVE;
	for (j = 0; j < i; j++)
		if (slots[j].id == s->id)
			return BK_CRENEAU_DEJA_RESERVE;
	return territory_check(r, s, depts, ndepts, now, opens_at);
}

enum bk_code
basket_add(const struct booking_rules *r, struct basket *b,
    struct bk_slot *slots, size_t n, const char *const *depts, size_t ndepts,
    int64_t now, size_t *bad, int64_t *opens_at)
{
	struct basket_item *it;
	enum bk_code code;
	size_t i;

	if (n == 0)
		return BK_PARAMETRE_INVALIDE;
	if (n > (size_t)r->basket_add_max)
		return BK_TROP_DE_CRENEAUX;
	if (basket_check_open(r, b, now) != BK_OK)
		return BK_PANIER_EXPIRE;
	if (b->n + n > (size_t)r->basket_slots_max || b->n + n > BK_BASKET_CAP)
		return BK_PANIER_PLEIN;
	for (i = 0; i < n; i++) {
		code = check_slot(r, b, slots, i, depts, ndepts, now, opens_at);
		if (code != BK_OK) {
			if (bad != NULL)
				*bad = i;
			return code;
		}
	}
	if (b->n == 0) {
		b->first_added_at = now;
		b->expired_at = 0;
	}
	for (i = 0; i < n; i++) {
		it = &b->items[b->n++];
		memset(it, 0, sizeof(*it));
		it->slot_id = slots[i].id;
		memcpy(it->department, slots[i].department, BK_DEPARTMENT_MAX);
		it->department[BK_DEPARTMENT_MAX - 1] = '\0';
		memcpy(it->category, slots[i].category, BK_CATEGORY_MAX);
		it->category[BK_CATEGORY_MAX - 1] = '\0';
		it->start_at = slots[i].start_at;
		slots[i].state = SLOT_HELD;
	}
	return BK_OK;
}

/* Removes item i, keeping the order of the others. */
static void
basket_remove_at(struct basket *b, size_t i)
{
	memmove(&b->items[i], &b->items[i + 1],
	    (b->n - i - 1) * sizeof(b->items[0]));
	b->n--;
	if (b->n == 0)
		b->first_added_at = 0;
}

enum bk_code
basket_remove(struct basket *b, int64_t slot_id)
{
	long i = basket_find(b, slot_id);

	if (i < 0)
		return BK_CRENEAU_PAS_DANS_LE_PANIER;
	basket_remove_at(b, (size_t)i);
	return BK_OK;
}

enum bk_code
basket_assign(const struct booking_rules *r, struct basket *b, int64_t slot_id,
    int64_t candidate_id, int64_t now)
{
	long i = basket_find(b, slot_id);

	if (i < 0)
		return BK_CRENEAU_PAS_DANS_LE_PANIER;
	if (basket_check_open(r, b, now) != BK_OK)
		return BK_PANIER_EXPIRE;
	b->items[i].candidate_id = candidate_id;
	return BK_OK;
}

/* Is the candidate of item i on another slot of the same category? */
static int
candidate_twice(const struct basket *b, size_t i)
{
	const struct basket_item *it = &b->items[i];
	size_t j;

	for (j = 0; j < b->n; j++)
		if (j != i && b->items[j].candidate_id == it->candidate_id &&
		    strncmp(b->items[j].category, it->category,
			BK_CATEGORY_MAX) == 0)
			return 1;
	return 0;
}

enum bk_code
basket_check_validable(const struct booking_rules *r, const struct basket *b,
    int64_t now)
{
	if (b->n == 0 && b->expired_at != 0)
		return BK_PANIER_EXPIRE;
	return basket_check_open(r, b, now);
}

enum bk_code
basket_validate(const struct booking_rules *r, const struct basket *b,
    int64_t now, basket_check_fn check, void *arg, struct basket_result *res,
    size_t *nres, int *contains_errors)
{
	const struct basket_item *it;
	enum bk_code code;
	size_t i;

	*nres = 0;
	*contains_errors = 0;
	if (basket_check_validable(r, b, now) != BK_OK)
		return BK_PANIER_EXPIRE;
	for (i = 0; i < b->n; i++) {
		it = &b->items[i];
		if (it->candidate_id == 0)
			code = BK_CANDIDAT_OBLIGATOIRE;
		else if (candidate_twice(b, i))
			code = BK_CANDIDAT_DEJA_DANS_PANIER;
		else if (exam_check_modifiable(it->start_at, now) != BK_OK)
			code = BK_EXAMEN_NON_MODIFIABLE;
		else if (check != NULL)
			code = check(arg, it);
		else
			code = BK_OK;
		res[i].slot_id = it->slot_id;
		res[i].exam_id = 0;
		res[i].booked = code == BK_OK;
		res[i].code = code;
		if (code != BK_OK)
			*contains_errors = 1;
	}
	*nres = b->n;
	return BK_OK;
}

size_t
basket_drop_booked(struct basket *b, const struct basket_result *res,
    size_t nres)
{
	size_t i, dropped = 0;
	long at;

	for (i = 0; i < nres; i++) {
		if (!res[i].booked)
			continue;
		at = basket_find(b, res[i].slot_id);
		if (at >= 0) {
			basket_remove_at(b, (size_t)at);
			dropped++;
		}
	}
	return dropped;
}

void
basket_clear(struct basket *b, int64_t now)
{
	b->n = 0;
	b->first_added_at = 0;
	b->expired_at = now;
}
