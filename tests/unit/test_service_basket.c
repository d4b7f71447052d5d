/* test_service_basket.c - baskets, holds and validation against a real
 * store: each rule's refusal, the per-slot results, notifications, the
 * expiry job, and threads racing for the same slots and quota. */
#include <pthread.h>

#include "auth/oauth.h"
#include "bookfx.h"
#include "booking/replay.h"
#include "service/basket.h"
#include "store/baskets.h"

#define T9 (BX_NOW + 3 * BK_DAY_MS) /* exam start: Thursday */

static struct basket
current(struct bookfx *b, const struct svc_actor *who, int64_t school,
    int64_t now)
{
	struct basket k;

	assert_int_equal(svc_basket_current(&b->s, who, school, now, &k),
	    BK_OK);
	return k;
}

static int64_t
notes(struct bookfx *b, const char *account, const char *kind)
{
	char sql[256];

	snprintf(sql, sizeof(sql),
	    "SELECT COUNT(*) FROM notifications WHERE account_id = '%s'"
	    " AND kind = '%s'",
	    account, kind);
	return bx_int(b, sql);
}

static const char *
slot_state(struct bookfx *b, int64_t id)
{
	static char out[16];
	char sql[192];
	int64_t n;

	snprintf(sql, sizeof(sql),
	    "SELECT CASE state WHEN 'free' THEN 0 WHEN 'held' THEN 1"
	    " WHEN 'booked' THEN 2 ELSE 3 END FROM slots WHERE id = %lld",
	    (long long)id);
	n = bx_int(b, sql);
	snprintf(out, sizeof(out), "%s",
	    n == 0       ? "free"
		: n == 1 ? "held"
		: n == 2 ? "booked"
			 : "cancelled");
	return out;
}

/* Room in school's quota: three trainers (one at most 1.00 ETP each),
 * 2.97 ETP x 5.0 = 14 places, for the tests of other rules: rule 3
 * refuses an add beyond the quota. */
static void
room_of(struct bookfx *b, int64_t school)
{
	bx_etp(b, school, 100);
	bx_etp(b, school, 99);
	bx_etp(b, school, 98);
}

static void
room(struct bookfx *b)
{
	room_of(b, b->school1);
	room_of(b, b->school2);
}

static void
test_add_hold_and_limits(void **state)
{
	struct bookfx *b = *state;
	struct basket k1 = current(b, &b->who1, b->school1, BX_NOW), k2;
	struct svc_refusal why;
	int64_t s[14];
	size_t i;

	room(b);

	for (i = 0; i < 14; i++)
		s[i] = bx_slot(b, "B", T9 + (int64_t)i * BK_HOUR_MS, BX_NOW);
	/* Five in one action: TROP_DE_CRENEAUX, nothing held. */
	assert_int_equal(svc_basket_add(&b->s, &b->who1, b->school1, k1.id, s,
			     NULL, 5, BX_NOW, &why),
	    BK_TROP_DE_CRENEAUX);
	assert_string_equal(slot_state(b, s[0]), "free");
	/* Four, four, four: 12 held; a thirteenth is PANIER_PLEIN. */
	for (i = 0; i < 3; i++)
		assert_int_equal(svc_basket_add(&b->s, &b->who1, b->school1,
				     k1.id, s + 4 * i, NULL, 4, BX_NOW, &why),
		    BK_OK);
	assert_string_equal(slot_state(b, s[11]), "held");
	assert_int_equal(svc_basket_add(&b->s, &b->who1, b->school1, k1.id,
			     s + 12, NULL, 1, BX_NOW, &why),
	    BK_PANIER_PLEIN);
	/* Another school cannot hold a held slot, nor use this basket. */
	k2 = current(b, &b->who2, b->school2, BX_NOW + 25 * BK_HOUR_MS);
	assert_int_equal(svc_basket_add(&b->s, &b->who2, b->school2, k2.id,
			     s + 3, NULL, 1, BX_NOW + 25 * BK_HOUR_MS, &why),
	    BK_CRENEAU_DEJA_RESERVE);
	assert_int_equal(svc_basket_add(&b->s, &b->who2, b->school2, k1.id,
			     s + 12, NULL, 1, BX_NOW, &why),
	    BK_PANIER_INCONNU);
	/* An unknown slot is named by its index. */
	s[13] = 999999;
	assert_int_equal(svc_basket_add(&b->s, &b->who2, b->school2, k2.id,
			     s + 12, NULL, 2, BX_NOW + 25 * BK_HOUR_MS, &why),
	    BK_CRENEAU_INCONNU);
	assert_int_equal(why.index, 1);
	assert_string_equal(slot_state(b, s[12]), "free");
	/* Removing frees the slot; removing twice is refused. */
	assert_int_equal(svc_basket_remove(&b->s, &b->who1, k1.id, s[0],
			     BX_NOW),
	    BK_OK);
	assert_string_equal(slot_state(b, s[0]), "free");
	assert_int_equal(svc_basket_remove(&b->s, &b->who1, k1.id, s[0],
			     BX_NOW),
	    BK_CRENEAU_PAS_DANS_LE_PANIER);
	assert_int_equal(bx_int(b,
			     "SELECT COUNT(*) FROM audit_log WHERE"
			     " action = 'basket.add'"),
	    3);
}

static void
test_territory(void **state)
{
	struct bookfx *b = *state;
	struct basket k2 = current(b, &b->who2, b->school2, BX_NOW);
	struct svc_refusal why;
	int64_t s = bx_slot(b, "B", T9, BX_NOW);

	room(b);

	/* School 2 has no establishment in 44: 24 h after publication. */
	assert_int_equal(svc_basket_add(&b->s, &b->who2, b->school2, k2.id, &s,
			     NULL, 1, BX_NOW + 24 * BK_HOUR_MS - 1, &why),
	    BK_ACTION_INTERDITE);
	assert_int_equal(why.at, BX_NOW + 24 * BK_HOUR_MS);
	assert_int_equal(svc_basket_add(&b->s, &b->who2, b->school2, k2.id, &s,
			     NULL, 1, BX_NOW + 24 * BK_HOUR_MS, &why),
	    BK_OK);
}

static void
test_assign_needs_mandate(void **state)
{
	struct bookfx *b = *state;
	struct basket k = current(b, &b->who1, b->school1, BX_NOW);
	int64_t s = bx_slot(b, "B", T9, BX_NOW);
	int64_t mine = bx_candidate(b, "B", b->school1);
	int64_t theirs = bx_candidate(b, "B", b->school2);
	struct svc_refusal why;

	room(b);

	assert_int_equal(svc_basket_add(&b->s, &b->who1, b->school1, k.id, &s,
			     &theirs, 1, BX_NOW, &why),
	    BK_CANDIDAT_PAS_SOUS_MANDAT);
	assert_string_equal(slot_state(b, s), "free");
	assert_int_equal(svc_basket_add(&b->s, &b->who1, b->school1, k.id, &s,
			     NULL, 1, BX_NOW, &why),
	    BK_OK);
	assert_int_equal(svc_basket_assign(&b->s, &b->who1, b->school1, k.id, s,
			     theirs, BX_NOW, NULL),
	    BK_CANDIDAT_PAS_SOUS_MANDAT);
	assert_int_equal(svc_basket_assign(&b->s, &b->who1, b->school1, k.id, s,
			     mine, BX_NOW, NULL),
	    BK_OK);
	assert_int_equal(svc_basket_assign(&b->s, &b->who1, b->school1, k.id,
			     s + 1000, mine, BX_NOW, NULL),
	    BK_CRENEAU_PAS_DANS_LE_PANIER);
}

static void
test_validate_per_slot(void **state)
{
	struct bookfx *b = *state;
	struct basket k = current(b, &b->who1, b->school1, BX_NOW);
	struct svc_validation v;
	struct svc_refusal why;
	int64_t s[4], c[4];
	size_t i;

	room_of(b, b->school1); /* room for the four at the add */
	for (i = 0; i < 4; i++)
		s[i] = bx_slot(b, "B", T9 + (int64_t)i * BK_HOUR_MS, BX_NOW);
	c[0] = bx_candidate(b, "B", b->school1);
	c[1] = bx_candidate(b, "B", b->school1);
	c[2] = bx_candidate(b, "B", b->school1);
	c[3] = 0; /* no candidate */
	assert_int_equal(svc_basket_add(&b->s, &b->who1, b->school1, k.id, s, c,
			     4, BX_NOW, &why),
	    BK_OK);
	/* The school's trainers change before the validation, which
	 * judges the quota again: 0.4 ETP x 5.0 = 2 places. */
	bx_exec(b, "DELETE FROM trainer_etp");
	bx_etp(b, b->school1, 40);
	assert_int_equal(svc_basket_validate(&b->s, &b->who1, b->school1, k.id,
			     BX_NOW + BK_MINUTE_MS, &v),
	    BK_OK);
	assert_int_equal(v.n, 4);
	assert_true(v.contains_errors);
	assert_true(v.res[0].booked);
	assert_true(v.res[0].exam_id > 0);
	assert_true(v.res[1].booked);
	assert_false(v.res[2].booked);
	assert_int_equal(v.res[2].code, BK_SEUIL_ATTEINT);
	assert_int_equal(v.res[3].code, BK_CANDIDAT_OBLIGATOIRE);
	assert_string_equal(slot_state(b, s[0]), "booked");
	assert_string_equal(slot_state(b, s[2]), "held");
	/* Booked slots left the basket, failed ones stayed. */
	k = current(b, &b->who1, b->school1, BX_NOW + 2 * BK_MINUTE_MS);
	assert_int_equal(k.n, 2);
	/* Notifications: the booking, the refusals, 80 % and 100 %
	 * (2 of 2 crosses both), once each. */
	assert_int_equal(notes(b, b->emp1, "booking.confirmed"), 1);
	assert_int_equal(notes(b, b->emp1, "validation.failed"), 1);
	assert_int_equal(notes(b, b->emp1, "quota.low"), 1);
	assert_int_equal(notes(b, b->emp1, "quota.full"), 1);
	/* The booked candidate cannot be booked again: DEJA_INSCRIT, said
	 * when the candidate is put on the slot, which stays without one. */
	assert_int_equal(svc_basket_assign(&b->s, &b->who1, b->school1, k.id,
			     s[3], c[0], BX_NOW + 3 * BK_MINUTE_MS, NULL),
	    BK_CANDIDAT_DEJA_INSCRIT);
	bx_etp(b, b->school1, 60); /* room again: 1.0 ETP, 5 places */
	assert_int_equal(svc_basket_validate(&b->s, &b->who1, b->school1, k.id,
			     BX_NOW + 4 * BK_MINUTE_MS, &v),
	    BK_OK);
	assert_int_equal(v.n, 2);
	assert_true(v.res[0].booked); /* c[2] on s[2] */
	assert_int_equal(v.res[1].code, BK_CANDIDAT_OBLIGATOIRE);
	assert_int_equal(bx_int(b, "SELECT COUNT(*) FROM exams"), 3);
	assert_int_equal(bx_int(b,
			     "SELECT COUNT(*) FROM audit_log WHERE"
			     " action = 'booking.validate'"),
	    2);
}

/* An Idempotency-Key: the retry gets the first outcome back and books,
 * notifies and audits nothing more; the key is for one basket of one
 * account; a refusal keeps nothing; the record goes after 24 h. */
static void
test_validate_once(void **state)
{
	struct bookfx *b = *state;
	struct basket k = current(b, &b->who1, b->school1, BX_NOW);
	struct basket k2 = current(b, &b->who2, b->school2, BX_NOW);
	struct svc_validation v, w;
	struct svc_refusal why;
	int64_t s[3], c[2];
	size_t i;

	room(b);
	for (i = 0; i < 3; i++)
		s[i] = bx_slot(b, "B", T9 + (int64_t)i * BK_HOUR_MS, BX_NOW);
	c[0] = bx_candidate(b, "B", b->school1);
	c[1] = 0;
	assert_int_equal(svc_basket_add(&b->s, &b->who1, b->school1, k.id, s, c,
			     2, BX_NOW, &why),
	    BK_OK);
	/* A malformed key never reaches the store. */
	assert_int_equal(svc_basket_validate_once(&b->s, &b->who1, b->school1,
			     k.id, "court", BX_NOW + BK_MINUTE_MS, &v),
	    -1);
	/* A refusal of the whole validation keeps nothing. */
	assert_int_equal(svc_basket_validate_once(&b->s, &b->who1, b->school1,
			     k2.id, "essai-0001", BX_NOW + BK_MINUTE_MS, &v),
	    BK_PANIER_INCONNU);
	assert_int_equal(bx_int(b, "SELECT COUNT(*) FROM partner_replays"), 0);
	/* The first validation books s[0] and refuses s[1]. */
	assert_int_equal(svc_basket_validate_once(&b->s, &b->who1, b->school1,
			     k.id, "essai-0001", BX_NOW + BK_MINUTE_MS, &v),
	    BK_OK);
	assert_false(v.replayed);
	assert_int_equal(v.n, 2);
	assert_true(v.contains_errors);
	assert_true(v.res[0].booked);
	assert_true(v.res[0].exam_id > 0);
	assert_int_equal(v.res[1].code, BK_CANDIDAT_OBLIGATOIRE);
	assert_int_equal(bx_int(b,
			     "SELECT COUNT(*) FROM partner_replays WHERE"
			     " status = 207"),
	    1);
	/* The retry: the same outcome, nothing more booked, notified or
	 * audited. */
	assert_int_equal(svc_basket_validate_once(&b->s, &b->who1, b->school1,
			     k.id, "essai-0001", BX_NOW + 2 * BK_MINUTE_MS, &w),
	    BK_OK);
	assert_true(w.replayed);
	assert_int_equal(w.n, v.n);
	assert_int_equal(w.contains_errors, v.contains_errors);
	for (i = 0; i < v.n; i++) {
		assert_int_equal(w.res[i].slot_id, v.res[i].slot_id);
		assert_int_equal(w.res[i].exam_id, v.res[i].exam_id);
		assert_int_equal(w.res[i].booked, v.res[i].booked);
		assert_int_equal(w.res[i].code, v.res[i].code);
		assert_int_equal(w.at[i], v.at[i]);
	}
	assert_int_equal(bx_int(b, "SELECT COUNT(*) FROM exams"), 1);
	assert_int_equal(bx_int(b,
			     "SELECT COUNT(*) FROM audit_log WHERE"
			     " action = 'booking.validate'"),
	    1);
	assert_int_equal(notes(b, b->emp1, "booking.confirmed"), 1);
	assert_int_equal(notes(b, b->emp1, "validation.failed"), 1);
	assert_string_equal(slot_state(b, s[1]), "held");
	/* The same key for another basket: refused, nothing written. */
	assert_int_equal(svc_basket_validate_once(&b->s, &b->who1, b->school1,
			     k2.id, "essai-0001", BX_NOW + 2 * BK_MINUTE_MS,
			     &w),
	    SVC_IDEM_KEY_REUSED);
	/* Another account's key of the same text is its own. */
	assert_int_equal(svc_basket_add(&b->s, &b->who2, b->school2, k2.id,
			     s + 2, NULL, 1, BX_NOW + 25 * BK_HOUR_MS, &why),
	    BK_OK);
	assert_int_equal(svc_basket_validate_once(&b->s, &b->who2, b->school2,
			     k2.id, "essai-0001", BX_NOW + 25 * BK_HOUR_MS, &w),
	    BK_OK);
	assert_false(w.replayed);
	assert_int_equal(w.n, 1);
	assert_int_equal(bx_int(b, "SELECT COUNT(*) FROM partner_replays"), 2);
	/* Without a key, as before: s[1] is judged again. */
	assert_int_equal(svc_basket_validate(&b->s, &b->who1, b->school1, k.id,
			     BX_NOW + 3 * BK_MINUTE_MS, &w),
	    BK_OK);
	assert_false(w.replayed);
	assert_int_equal(bx_int(b,
			     "SELECT COUNT(*) FROM audit_log WHERE"
			     " action = 'booking.validate'"),
	    3);
	/* 24 h on, the key is forgotten: the OAuth purge deletes the
	 * record of who1, not yet the later one of who2. */
	assert_true(oauth_purge(b->s.a,
			BX_NOW + BK_MINUTE_MS + REPLAY_TTL_MS - 1) >= 0);
	assert_int_equal(bx_int(b, "SELECT COUNT(*) FROM partner_replays"), 2);
	assert_true(
	    oauth_purge(b->s.a, BX_NOW + BK_MINUTE_MS + REPLAY_TTL_MS) >= 1);
	assert_int_equal(bx_int(b, "SELECT COUNT(*) FROM partner_replays"), 1);
	assert_int_equal(svc_basket_validate_once(&b->s, &b->who1, b->school1,
			     k2.id, "essai-0001",
			     BX_NOW + BK_MINUTE_MS + REPLAY_TTL_MS, &w),
	    BK_PANIER_INCONNU);
}

/* Rule 3 at the add: the slots beyond the school's quota, counting its
 * exams and its basket's slots of the same month, are refused by index,
 * and nothing of that action is held. */
static void
test_quota_at_add(void **state)
{
	struct bookfx *b = *state;
	struct basket k = current(b, &b->who1, b->school1, BX_NOW);
	struct svc_refusal why;
	int64_t s[3];
	size_t i;

	bx_etp(b, b->school1, 40); /* 0.4 ETP x 5.0 = 2 places */
	for (i = 0; i < 3; i++)
		s[i] = bx_slot(b, "B", T9 + (int64_t)i * BK_HOUR_MS, BX_NOW);
	assert_int_equal(svc_basket_add(&b->s, &b->who1, b->school1, k.id, s,
			     NULL, 3, BX_NOW, &why),
	    BK_SEUIL_ATTEINT);
	assert_int_equal(why.index, 2);
	for (i = 0; i < 3; i++)
		assert_string_equal(slot_state(b, s[i]), "free");
	assert_int_equal(svc_basket_add(&b->s, &b->who1, b->school1, k.id, s,
			     NULL, 2, BX_NOW, &why),
	    BK_OK);
	assert_int_equal(svc_basket_add(&b->s, &b->who1, b->school1, k.id,
			     s + 2, NULL, 1, BX_NOW, &why),
	    BK_SEUIL_ATTEINT);
	assert_int_equal(why.index, 0);
	assert_string_equal(slot_state(b, s[2]), "free");
	/* A slot removed gives its place back. */
	assert_int_equal(svc_basket_remove(&b->s, &b->who1, k.id, s[0], BX_NOW),
	    BK_OK);
	assert_int_equal(svc_basket_add(&b->s, &b->who1, b->school1, k.id,
			     s + 2, NULL, 1, BX_NOW, &why),
	    BK_OK);
}

static void
test_expiry(void **state)
{
	struct bookfx *b = *state;
	struct basket k = current(b, &b->who1, b->school1, BX_NOW);
	struct svc_validation v;
	struct svc_refusal why;
	int64_t s = bx_slot(b, "B", T9, BX_NOW), ttl = b->r.basket_ttl_ms;
	long expired, warned;

	room(b);

	assert_int_equal(svc_basket_add(&b->s, &b->who1, b->school1, k.id, &s,
			     NULL, 1, BX_NOW, &why),
	    BK_OK);
	/* 3 min before: a warning, once. */
	assert_int_equal(svc_baskets_expire(&b->s,
			     BX_NOW + ttl - 4 * BK_MINUTE_MS, &expired,
			     &warned),
	    0);
	assert_int_equal(warned, 0);
	assert_int_equal(svc_baskets_expire(&b->s,
			     BX_NOW + ttl - SVC_BASKET_WARN_MS, &expired,
			     &warned),
	    0);
	assert_int_equal(warned, 1);
	assert_int_equal(svc_baskets_expire(&b->s, BX_NOW + ttl - 1, &expired,
			     &warned),
	    0);
	assert_int_equal(warned + expired, 0);
	assert_int_equal(notes(b, b->emp1, "basket.expiring"), 1);
	/* At the expiry instant, validation is refused... */
	assert_int_equal(svc_basket_validate(&b->s, &b->who1, b->school1, k.id,
			     BX_NOW + ttl, &v),
	    BK_PANIER_EXPIRE);
	/* ...and the slot is free again (released at once, not waiting for
	 * the job), with the owner told. */
	assert_string_equal(slot_state(b, s), "free");
	assert_int_equal(notes(b, b->emp1, "basket.expired"), 1);
	assert_int_equal(svc_baskets_expire(&b->s, BX_NOW + ttl + 1, &expired,
			     &warned),
	    0);
	assert_int_equal(expired, 0);
	/* The job alone frees an abandoned basket. */
	assert_int_equal(svc_basket_add(&b->s, &b->who1, b->school1, k.id, &s,
			     NULL, 1, BX_NOW + ttl + 2, &why),
	    BK_OK);
	assert_string_equal(slot_state(b, s), "held");
	assert_int_equal(svc_baskets_expire(&b->s, BX_NOW + 2 * ttl + 2,
			     &expired, &warned),
	    0);
	assert_int_equal(expired, 1);
	assert_string_equal(slot_state(b, s), "free");
	/* Emptied by the job, the basket still answers PANIER_EXPIRE to
	 * validation (stored, read back), and not an empty success... */
	assert_int_equal(svc_basket_validate(&b->s, &b->who1, b->school1, k.id,
			     BX_NOW + 2 * ttl + 3, &v),
	    BK_PANIER_EXPIRE);
	assert_int_equal(v.n, 0);
	assert_int_equal(bx_int(b, "SELECT COUNT(*) FROM exams"), 0);
	/* ...until its next slot starts a new life. */
	assert_int_equal(svc_basket_add(&b->s, &b->who1, b->school1, k.id, &s,
			     NULL, 1, BX_NOW + 2 * ttl + 4, &why),
	    BK_OK);
	assert_int_equal(svc_basket_validate(&b->s, &b->who1, b->school1, k.id,
			     BX_NOW + 2 * ttl + 5, &v),
	    BK_OK);
	assert_int_equal(v.n, 1);
	assert_int_equal(v.res[0].code, BK_CANDIDAT_OBLIGATOIRE);
}

/* The race: each thread is one school employee adding the same slots and
 * validating, all at once. */
#define RACERS 8
#define RACE_SLOTS 24

struct racer {
	struct bookfx *b;
	struct svc_actor who;
	int64_t school;
	const int64_t *slots;
	int64_t cands[RACE_SLOTS];
	int booked;
};

static void *
race(void *arg)
{
	struct racer *r = arg;
	struct basket k;
	struct svc_validation v;
	struct svc_refusal why;
	size_t i, j;

	if (svc_basket_current(&r->b->s, &r->who, r->school, BX_NOW, &k) !=
	    BK_OK)
		return NULL;
	/* One at a time: an add beyond the school's quota is refused
	 * (rule 3), the next slot tried. */
	for (i = 0; i < RACE_SLOTS; i++)
		(void)svc_basket_add(&r->b->s, &r->who, r->school, k.id,
		    r->slots + i, r->cands + i, 1, BX_NOW, &why);
	if (svc_basket_validate(&r->b->s, &r->who, r->school, k.id, BX_NOW,
		&v) != BK_OK)
		return NULL;
	for (j = 0; j < v.n; j++)
		r->booked += v.res[j].booked;
	return NULL;
}

static void
test_race(void **state)
{
	struct bookfx *b = *state;
	struct racer r[RACERS];
	pthread_t th[RACERS];
	char ids[RACERS][AUTH_ID_HEX], orgs[RACERS][AUTH_ID_HEX];
	char pw[ACCOUNT_TEMP_PW_LEN], why[ACCOUNT_WHY_MAX], sql[256];
	int64_t slots[RACE_SLOTS];
	int i, j, total = 0;

	for (i = 0; i < RACE_SLOTS; i++)
		slots[i] =
		    bx_slot(b, "B", T9 + (int64_t)i * BK_HOUR_MS, BX_NOW);
	for (i = 0; i < RACERS; i++) {
		const char *roles[2] = { "school_manager", NULL };
		char email[64], name[32];
		struct account_new in = { orgs[i], email, name, roles };

		snprintf(name, sizeof(name), "École %d", i);
		snprintf(email, sizeof(email), "racer%d@example.org", i);
		assert_int_equal(org_create(&b->f->a, NULL, name, "school",
				     FX_T0, orgs[i], why, sizeof(why)),
		    0);
		assert_int_equal(account_create(&b->f->a, NULL, &in, FX_T0,
				     ids[i], pw, why, sizeof(why)),
		    0);
		memset(&r[i], 0, sizeof(r[i]));
		r[i].b = b;
		r[i].who = (struct svc_actor){ ids[i], orgs[i], NULL, NULL };
		assert_int_equal(store_school_ensure(b->f->st,
				     store_conn(b->f->st), orgs[i], FX_T0,
				     &r[i].school),
		    0);
		snprintf(sql, sizeof(sql),
		    "INSERT INTO school_departments VALUES (%lld, '44')",
		    (long long)r[i].school);
		bx_exec(b, sql);
		bx_etp(b, r[i].school, 50); /* 2 places each */
		r[i].slots = slots;
		for (j = 0; j < RACE_SLOTS; j++)
			r[i].cands[j] = bx_candidate(b, "B", r[i].school);
	}
	for (i = 0; i < RACERS; i++)
		assert_int_equal(pthread_create(&th[i], NULL, race, &r[i]), 0);
	for (i = 0; i < RACERS; i++) {
		pthread_join(th[i], NULL);
		assert_true(r[i].booked <= 2); /* the quota */
		total += r[i].booked;
	}
	/* Every slot went to at most one basket and one exam; the schools
	 * that held slots booked up to their quota. */
	assert_int_equal(bx_int(b,
			     "SELECT COUNT(*) FROM (SELECT slot_id FROM"
			     " exams GROUP BY slot_id HAVING COUNT(*) > 1)"),
	    0);
	assert_int_equal(bx_int(b, "SELECT COUNT(*) FROM exams"), total);
	assert_int_equal(bx_int(b,
			     "SELECT COUNT(*) FROM slots WHERE state ="
			     " 'booked'"),
	    total);
	assert_int_equal(bx_int(b,
			     "SELECT COUNT(*) FROM (SELECT school_id FROM"
			     " exams GROUP BY school_id HAVING COUNT(*) > 2)"),
	    0);
	assert_int_equal(bx_int(b,
			     "SELECT COUNT(*) FROM slots s WHERE"
			     " (s.state = 'held') <> EXISTS (SELECT 1 FROM"
			     " basket_items i WHERE i.slot_id = s.id)"),
	    0);
	assert_true(total >= 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_add_hold_and_limits,
		    bookfx_setup, bookfx_teardown),
		cmocka_unit_test_setup_teardown(test_territory, bookfx_setup,
		    bookfx_teardown),
		cmocka_unit_test_setup_teardown(test_assign_needs_mandate,
		    bookfx_setup, bookfx_teardown),
		cmocka_unit_test_setup_teardown(test_validate_per_slot,
		    bookfx_setup, bookfx_teardown),
		cmocka_unit_test_setup_teardown(test_validate_once,
		    bookfx_setup, bookfx_teardown),
		cmocka_unit_test_setup_teardown(test_quota_at_add, bookfx_setup,
		    bookfx_teardown),
		cmocka_unit_test_setup_teardown(test_expiry, bookfx_setup,
		    bookfx_teardown),
		cmocka_unit_test_setup_teardown(test_race, bookfx_setup,
		    bookfx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
