/* test_service_supervision.c - the regional supervisor against a real
 * store: each refusal of a request, the separation of duties (a request
 * alone changes nothing; only an administrator of the exam's school
 * decides, never the requester), approvals that move or cancel, an
 * approval that fails because a rule no longer holds, and the planning
 * counts. */
#include "bookfx.h"
#include "booking/quota.h"
#include "service/basket.h"
#include "gdpr/rights.h"
#include "service/supervision.h"

#define START (BX_NOW + 10 * BK_DAY_MS) /* the exams' day */

struct supfx {
	struct bookfx *b;
	char sup[AUTH_ID_HEX], admin1[AUTH_ID_HEX], admin2[AUTH_ID_HEX];
	struct svc_actor who_sup, who_admin1, who_admin2;
};

static int
setup(void **state)
{
	struct supfx *x = calloc(1, sizeof(*x));
	char pw[ACCOUNT_TEMP_PW_LEN], why[ACCOUNT_WHY_MAX];
	const char *roles[2] = { "school_admin", NULL };
	struct account_new in;

	if (x == NULL || bookfx_setup((void **)&x->b) != 0)
		return -1;
	*state = x;
	/* The supervisor belongs to school 1 (department 44): the region. */
	authfx_account(x->b->f, "sup@example.org", "Superviseur",
	    "regional_supervisor", x->sup, pw);
	authfx_account(x->b->f, "admin1@example.org", "Admin Un",
	    "school_admin", x->admin1, pw);
	in = (struct account_new){ x->b->org2, "admin2@example.org",
		"Admin Deux", roles };
	if (account_create(&x->b->f->a, NULL, &in, FX_T0, x->admin2, pw, why,
		sizeof(why)) != 0)
		return -1;
	x->who_sup = (struct svc_actor){ x->sup, x->b->f->org, NULL, NULL };
	x->who_admin1 =
	    (struct svc_actor){ x->admin1, x->b->f->org, NULL, NULL };
	x->who_admin2 = (struct svc_actor){ x->admin2, x->b->org2, NULL, NULL };
	bx_etp(x->b, x->b->school1, 100);
	return 0;
}

static int
teardown(void **state)
{
	struct supfx *x = *state;

	if (x == NULL)
		return 0;
	bookfx_teardown((void **)&x->b);
	free(x);
	return 0;
}

/* Books a new candidate of school 1 on a new slot starting at start.
 * Returns the exam id. */
static int64_t
book(struct bookfx *b, int64_t start)
{
	int64_t candidate = bx_candidate(b, "B", b->school1);
	int64_t slot = bx_slot(b, "B", start, BX_NOW);
	struct basket k;
	struct svc_validation v;
	struct svc_refusal why;

	assert_int_equal(svc_basket_current(&b->s, &b->who1, b->school1, BX_NOW,
			     &k),
	    BK_OK);
	assert_int_equal(svc_basket_add(&b->s, &b->who1, b->school1, k.id,
			     &slot, &candidate, 1, BX_NOW, &why),
	    BK_OK);
	assert_int_equal(svc_basket_validate(&b->s, &b->who1, b->school1, k.id,
			     BX_NOW, &v),
	    BK_OK);
	assert_true(v.res[0].booked);
	return v.res[0].exam_id;
}

static int64_t
exam_int(struct bookfx *b, const char *col, int64_t exam)
{
	char sql[128];

	snprintf(sql, sizeof(sql), "SELECT %s FROM exams WHERE id = %lld", col,
	    (long long)exam);
	return bx_int(b, sql);
}

static int64_t
slot_is(struct bookfx *b, int64_t slot, const char *state)
{
	char sql[128];

	snprintf(sql, sizeof(sql),
	    "SELECT COUNT(*) FROM slots WHERE id = %lld AND state = '%s'",
	    (long long)slot, state);
	return bx_int(b, sql);
}

static int
ask_move(struct supfx *x, int64_t exam, int64_t slot, int64_t *id)
{
	return svc_slot_request_create(&x->b->s, &x->who_sup, exam,
	    SLOT_REQUEST_MOVE, slot, "Inspecteur absent ce jour-là", BX_NOW,
	    id);
}

static void
test_request_refusals(void **state)
{
	struct supfx *x = *state;
	struct bookfx *b = x->b;
	int64_t e = book(b, START), id = 0, other, centre85, far;
	int64_t free_slot = bx_slot(b, "B", START + BK_DAY_MS, BX_NOW);
	int64_t later = bx_slot(b, "B", START + 2 * BK_DAY_MS, BX_NOW + 1);
	int64_t moto = bx_slot(b, "A", START + BK_DAY_MS, BX_NOW);
	int64_t past = bx_slot(b, "B", BX_NOW - BK_HOUR_MS, BX_NOW - BK_DAY_MS);
	char sql[256];

	/* The exam: unknown, past, or outside the region. */
	assert_int_equal(ask_move(x, e + 100, free_slot, &id),
	    BK_EXAMEN_INCONNU);
	assert_int_equal(svc_slot_request_create(&b->s, &x->who_sup, e,
			     SLOT_REQUEST_CANCEL, 0, "Trop tard", START, &id),
	    BK_EXAMEN_INCONNU);
	assert_int_equal(svc_slot_request_create(&b->s, &x->who_admin2, e,
			     SLOT_REQUEST_CANCEL, 0, "Hors région", BX_NOW,
			     &id),
	    BK_EXAMEN_INCONNU);
	/* The target slot. */
	assert_int_equal(ask_move(x, e, free_slot + 100, &id),
	    BK_CRENEAU_INCONNU);
	assert_int_equal(ask_move(x, e, later, &id), BK_CRENEAU_INCONNU);
	other = exam_int(b, "slot_id", book(b, START + 3 * BK_DAY_MS));
	assert_int_equal(ask_move(x, e, other, &id), BK_CRENEAU_DEJA_RESERVE);
	assert_int_equal(ask_move(x, e, moto, &id), BK_PARAMETRE_INVALIDE);
	assert_int_equal(ask_move(x, e, past, &id), BK_EXAMEN_NON_MODIFIABLE);
	bx_exec(b,
	    "INSERT INTO exam_centres (name, department, address, created_at)"
	    " VALUES ('Centre de La Roche', '85', '2 rue du Test', 0)");
	centre85 = bx_int(b, "SELECT MAX(id) FROM exam_centres");
	snprintf(sql, sizeof(sql),
	    "INSERT INTO slots (centre_id, category, start_at, inspector,"
	    " published_at, state, created_at) VALUES (%lld, 'B', %lld,"
	    " 'INSP-2', %lld, 'free', 0)",
	    (long long)centre85, (long long)(START + BK_DAY_MS),
	    (long long)BX_NOW);
	bx_exec(b, sql);
	far = bx_int(b, "SELECT MAX(id) FROM slots");
	assert_int_equal(ask_move(x, e, far, &id), BK_CRENEAU_INCONNU);
	/* The reason and the kind. */
	assert_int_equal(svc_slot_request_create(&b->s, &x->who_sup, e,
			     SLOT_REQUEST_CANCEL, 0, "", BX_NOW, &id),
	    BK_PARAMETRE_INVALIDE);
	assert_int_equal(svc_slot_request_create(&b->s, &x->who_sup, e,
			     SLOT_REQUEST_MOVE, 0, "Sans place", BX_NOW, &id),
	    BK_PARAMETRE_INVALIDE);
	assert_int_equal(bx_int(b, "SELECT COUNT(*) FROM slot_requests"), 0);
}

/* Separation of duties: the supervisor's request changes nothing, and
 * neither the requester nor another school's administrator decides. */
static void
test_request_alone_changes_nothing(void **state)
{
	struct supfx *x = *state;
	struct bookfx *b = x->b;
	int64_t e = book(b, START), id = 0;
	int64_t old = exam_int(b, "slot_id", e);
	int64_t target = bx_slot(b, "B", START + BK_DAY_MS, BX_NOW);
	struct svc_decision d;

	assert_int_equal(ask_move(x, e, target, &id), BK_OK);
	assert_true(id > 0);
	assert_int_equal(svc_slot_request_create(&b->s, &x->who_sup, e,
			     SLOT_REQUEST_CANCEL, 0, "Centre fermé", BX_NOW,
			     NULL),
	    BK_OK);
	assert_int_equal(exam_int(b, "slot_id", e), old);
	assert_int_equal(exam_int(b, "start_at", e), START);
	assert_int_equal(bx_int(b,
			     "SELECT COUNT(*) FROM exams WHERE status ="
			     " 'booked'"),
	    1);
	assert_int_equal(slot_is(b, old, "booked"), 1);
	assert_int_equal(slot_is(b, target, "free"), 1);
	assert_int_equal(bx_int(b,
			     "SELECT COUNT(*) FROM slot_requests WHERE"
			     " state = 'pending'"),
	    2);
	/* The school's administrators are told, and only them. */
	assert_int_equal(bx_int(b,
			     "SELECT COUNT(DISTINCT account_id) FROM"
			     " notifications WHERE kind ="
			     " 'slot_request.created'"),
	    1);
	assert_int_equal(bx_int(b,
			     "SELECT COUNT(*) FROM audit_log WHERE action ="
			     " 'slot_request.create'"),
	    2);
	/* The requester cannot approve, another school cannot see it. */
	assert_int_equal(svc_slot_request_decide(&b->s, &x->who_sup, id, 1,
			     BX_NOW, &d),
	    3);
	assert_int_equal(svc_slot_request_decide(&b->s, &x->who_admin2, id, 1,
			     BX_NOW, &d),
	    1);
	assert_int_equal(svc_slot_request_decide(&b->s, &x->who_admin1,
			     id + 100, 1, BX_NOW, &d),
	    1);
	assert_int_equal(exam_int(b, "slot_id", e), old);
	assert_int_equal(slot_is(b, target, "free"), 1);
	/* Rejected: still nothing changes, and it is decided for good. */
	assert_int_equal(svc_slot_request_decide(&b->s, &x->who_admin1, id, 0,
			     BX_NOW, &d),
	    0);
	assert_int_equal(d.state, SLOT_REQUEST_REJECTED);
	assert_int_equal(exam_int(b, "slot_id", e), old);
	assert_int_equal(svc_slot_request_decide(&b->s, &x->who_admin1, id, 1,
			     BX_NOW, &d),
	    2);
	assert_int_equal(exam_int(b, "slot_id", e), old);
	assert_int_equal(bx_int(b,
			     "SELECT COUNT(*) FROM notifications WHERE kind ="
			     " 'slot_request.decided'"),
	    1);
}

static void
test_approve_move(void **state)
{
	struct supfx *x = *state;
	struct bookfx *b = x->b;
	int64_t e = book(b, START), id = 0;
	int64_t old = exam_int(b, "slot_id", e);
	int64_t target = bx_slot(b, "B", START + BK_DAY_MS, BX_NOW);
	struct svc_decision d;
	char sql[160];

	assert_int_equal(ask_move(x, e, target, &id), BK_OK);
	assert_int_equal(svc_slot_request_decide(&b->s, &x->who_admin1, id, 1,
			     BX_NOW + BK_HOUR_MS, &d),
	    0);
	assert_int_equal(d.state, SLOT_REQUEST_APPROVED);
	assert_int_equal(d.code, BK_OK);
	assert_int_equal(exam_int(b, "slot_id", e), target);
	assert_int_equal(exam_int(b, "start_at", e), START + BK_DAY_MS);
	assert_int_equal(slot_is(b, old, "free"), 1);
	assert_int_equal(slot_is(b, target, "booked"), 1);
	snprintf(sql, sizeof(sql),
	    "SELECT COUNT(*) FROM slot_requests WHERE id = %lld AND state ="
	    " 'approved' AND outcome_code = 'OK' AND decided_by = '%s'",
	    (long long)id, x->admin1);
	assert_int_equal(bx_int(b, sql), 1);
	assert_int_equal(bx_int(b,
			     "SELECT COUNT(*) FROM audit_log WHERE action IN"
			     " ('exam.move', 'slot_request.approve')"),
	    2);
	snprintf(sql, sizeof(sql),
	    "SELECT COUNT(*) FROM notifications WHERE kind ="
	    " 'slot_request.decided' AND account_id = '%s'",
	    x->sup);
	assert_int_equal(bx_int(b, sql), 1);
}

/* The target was booked between the request and the approval: the
 * request fails with the rule's code and the exam stays. */
static void
test_approve_move_target_taken(void **state)
{
	struct supfx *x = *state;
	struct bookfx *b = x->b;
	int64_t e = book(b, START), id = 0;
	int64_t old = exam_int(b, "slot_id", e);
	int64_t target = bx_slot(b, "B", START + BK_DAY_MS, BX_NOW);
	struct svc_decision d;
	char sql[160];

	assert_int_equal(ask_move(x, e, target, &id), BK_OK);
	snprintf(sql, sizeof(sql),
	    "UPDATE slots SET state = 'booked' WHERE id = %lld",
	    (long long)target);
	bx_exec(b, sql);
	assert_int_equal(svc_slot_request_decide(&b->s, &x->who_admin1, id, 1,
			     BX_NOW, &d),
	    0);
	assert_int_equal(d.state, SLOT_REQUEST_FAILED);
	assert_int_equal(d.code, BK_CRENEAU_DEJA_RESERVE);
	assert_int_equal(exam_int(b, "slot_id", e), old);
	assert_int_equal(slot_is(b, old, "booked"), 1);
	assert_int_equal(bx_int(b,
			     "SELECT COUNT(*) FROM slot_requests WHERE state ="
			     " 'failed' AND outcome_code ="
			     " 'CRENEAU_DEJA_RESERVE'"),
	    1);
	assert_int_equal(bx_int(b,
			     "SELECT COUNT(*) FROM audit_log WHERE action ="
			     " 'exam.move'"),
	    0);
}

/* Rule 3 at approval: the target's month has no place left. */
static void
test_approve_move_over_quota(void **state)
{
	struct supfx *x = *state;
	struct bookfx *b = x->b;
	int64_t e = book(b, START), id = 0;
	int64_t next = START + 40 * BK_DAY_MS;
	int64_t target = bx_slot(b, "B", next, BX_NOW);
	struct svc_decision d;
	char sql[200];

	assert_true(quota_month(next) != quota_month(START));
	assert_int_equal(ask_move(x, e, target, &id), BK_OK);
	snprintf(sql, sizeof(sql),
	    "INSERT INTO coefficients (department, category, month, centi,"
	    " set_at) VALUES ('44', 'B', %lld, 0, 0)",
	    (long long)quota_month(next));
	bx_exec(b, sql);
	assert_int_equal(svc_slot_request_decide(&b->s, &x->who_admin1, id, 1,
			     BX_NOW, &d),
	    0);
	assert_int_equal(d.state, SLOT_REQUEST_FAILED);
	assert_int_equal(d.code, BK_SEUIL_ATTEINT);
	assert_int_equal(slot_is(b, target, "free"), 1);
}

static void
test_approve_cancel(void **state)
{
	struct supfx *x = *state;
	struct bookfx *b = x->b;
	int64_t e = book(b, START), id = 0;
	int64_t old = exam_int(b, "slot_id", e);
	struct svc_decision d;

	assert_int_equal(svc_slot_request_create(&b->s, &x->who_sup, e,
			     SLOT_REQUEST_CANCEL, 0, "Centre fermé", BX_NOW,
			     &id),
	    BK_OK);
	assert_int_equal(exam_int(b, "cancelled_at IS NULL", e), 1);
	/* Approved 5 days before the exam: a late cancellation. */
	assert_int_equal(svc_slot_request_decide(&b->s, &x->who_admin1, id, 1,
			     START - 5 * BK_DAY_MS, &d),
	    0);
	assert_int_equal(d.state, SLOT_REQUEST_APPROVED);
	assert_int_equal(d.late, 1);
	assert_int_equal(bx_int(b,
			     "SELECT COUNT(*) FROM exams WHERE status ="
			     " 'cancelled'"),
	    1);
	assert_int_equal(slot_is(b, old, "free"), 1);
	assert_int_equal(bx_int(b,
			     "SELECT COUNT(*) FROM audit_log WHERE action ="
			     " 'exam.cancel'"),
	    1);
}

static void
test_planning(void **state)
{
	struct supfx *x = *state;
	struct bookfx *b = x->b;
	/* START is a Thursday; weeks start on Mondays, Paris time: the
	 * Monday before it begins at 23:00 UTC on the Sunday (UTC+1). */
	int64_t day = BX_NOW - 9 * BK_HOUR_MS + 7 * BK_DAY_MS;
	int64_t monday = day - BK_HOUR_MS;
	struct svc_planning *p = calloc(1, sizeof(*p));
	struct svc_actor outsider;
	int64_t held;
	char sql[160];

	assert_non_null(p);
	book(b, START);
	book(b, START + BK_HOUR_MS);
	bx_slot(b, "B", START + 2 * BK_HOUR_MS, BX_NOW);
	held = bx_slot(b, "B", START + 3 * BK_HOUR_MS, BX_NOW);
	snprintf(sql, sizeof(sql),
	    "UPDATE slots SET state = 'held' WHERE id = %lld", (long long)held);
	bx_exec(b, sql);
	bx_slot(b, "B", START + 4 * BK_HOUR_MS, BX_NOW + BK_DAY_MS);
	bx_slot(b, "B", START + 7 * BK_DAY_MS, BX_NOW);
	assert_int_equal(svc_paris_week(START) * BK_DAY_MS, day);
	assert_int_equal(svc_paris_week(monday) * BK_DAY_MS, day);
	assert_int_equal(svc_paris_week(monday - 1) * BK_DAY_MS,
	    day - 7 * BK_DAY_MS);
	assert_int_equal(svc_region_planning(&b->s, &x->who_sup, monday,
			     monday + 14 * BK_DAY_MS, BX_NOW, p),
	    BK_OK);
	assert_int_equal(p->n, 2);
	assert_string_equal(p->lines[0].department, "44");
	assert_int_equal(p->lines[0].week * BK_DAY_MS, day);
	/* Published by now: 2 booked, 1 free, 1 held; the unpublished one
	 * does not count. */
	assert_int_equal(p->lines[0].published, 4);
	assert_int_equal(p->lines[0].booked, 2);
	assert_int_equal(p->lines[0].free, 1);
	assert_int_equal(p->lines[0].held, 1);
	assert_int_equal(p->lines[0].exams, 2);
	assert_int_equal(p->lines[0].nschools, 1);
	assert_string_equal(p->lines[0].schools[0].name, "Auto-école Dupont");
	assert_int_equal(p->lines[0].schools[0].exams, 2);
	assert_int_equal(p->lines[1].published, 1);
	assert_int_equal(p->lines[1].free, 1);
	assert_int_equal(p->lines[1].exams, 0);
	/* Too long a range, an empty one. */
	assert_int_equal(svc_region_planning(&b->s, &x->who_sup, monday,
			     monday + 200 * BK_DAY_MS, BX_NOW, p),
	    BK_PARAMETRE_INVALIDE);
	assert_int_equal(svc_region_planning(&b->s, &x->who_sup, monday, monday,
			     BX_NOW, p),
	    BK_PARAMETRE_INVALIDE);
	/* An organisation that is no school has no region: nothing. */
	outsider = x->who_sup;
	outsider.org_id = "no-such-organisation";
	assert_int_equal(svc_region_planning(&b->s, &outsider, monday,
			     monday + 14 * BK_DAY_MS, BX_NOW, p),
	    BK_OK);
	assert_int_equal(p->n, 0);
	free(p);
}

/* Reads the whole database file (the caller frees). */
static char *
slurp_db(struct bookfx *b, size_t *n)
{
	FILE *f = fopen(b->f->db, "rb");
	char *p;
	long len;

	*n = 0;
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	p = malloc((size_t)len + 1);
	assert_non_null(p);
	*n = fread(p, 1, (size_t)len, f);
	fclose(f);
	return p;
}

struct seen {
	int n;
	char reason[STORE_REASON_MAX];
};

static int
seen_one(void *arg, const struct store_slot_request_listed *l)
{
	struct seen *s = arg;

	s->n++;
	snprintf(s->reason, sizeof(s->reason), "%s", l->r.reason);
	return 0;
}

/* The note is sealed under its author's key: not in the database file,
 * read back in the lists, in the author's export, gone with the author's
 * erasure (and their key), and no clear text can be written any more. */
static void
test_note_sealed_and_erased(void **state)
{
	static const char note[] = "Inspecteur Durand absent ce jour-là";
	struct supfx *x = *state;
	struct bookfx *b = x->b;
	int64_t e = book(b, START), id = 0;
	struct seen s;
	json_t *exp, *o;
	char why[256], *raw, *text;
	size_t n;

	assert_int_equal(svc_slot_request_create(&b->s, &x->who_sup, e,
			     SLOT_REQUEST_CANCEL, 0, note, BX_NOW, &id),
	    BK_OK);
	assert_int_equal(bx_int(b,
			     "SELECT COUNT(*) FROM slot_requests WHERE"
			     " reason = '' AND reason_sealed IS NOT NULL"),
	    1);
	assert_int_equal(store_maintain(b->f->st), 0);
	raw = slurp_db(b, &n);
	assert_null(memmem(raw, n, "Durand", 6));
	free(raw);
	/* Both the author and the school's administrator read it. */
	memset(&s, 0, sizeof(s));
	assert_int_equal(svc_slot_requests_list(&b->s, &x->who_sup, 1, NULL, 10,
			     seen_one, &s),
	    0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.reason, note);
	memset(&s, 0, sizeof(s));
	assert_int_equal(svc_slot_requests_list(&b->s, &x->who_admin1, 0, NULL,
			     10, seen_one, &s),
	    0);
	assert_string_equal(s.reason, note);
	/* Nothing may write the note in clear again. */
	assert_int_not_equal(store_drv(b->f->st)->exec(store_conn(b->f->st),
				 "UPDATE slot_requests SET reason = 'x'", NULL,
				 0, NULL, NULL),
	    0);
	/* The author's export holds it. */
	assert_int_equal(rights_export(&b->f->a, NULL, x->sup, BX_NOW, &exp),
	    0);
	text = json_dumps(exp, JSON_COMPACT);
	assert_non_null(strstr(text, note));
	assert_non_null(strstr(text, "\"category\":\"planning_note\""));
	free(text);
	json_decref(exp);
	/* Erased with its author: the row stays for the school, the note
	 * is gone. */
	assert_int_equal(rights_erase(&b->f->a, x->sup, x->sup, BX_NOW, NULL,
			     NULL, &o, why, sizeof(why)),
	    0);
	assert_int_equal(json_integer_value(
			     json_object_get(json_object_get(o, "erased"),
				 "slot_request_notes")),
	    1);
	json_decref(o);
	assert_int_equal(bx_int(b,
			     "SELECT COUNT(*) FROM slot_requests WHERE"
			     " reason = '' AND reason_sealed IS NULL"),
	    1);
	memset(&s, 0, sizeof(s));
	assert_int_equal(svc_slot_requests_list(&b->s, &x->who_admin1, 0, NULL,
			     10, seen_one, &s),
	    0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.reason, "");
}

/* Notes written in clear before migration 13 are sealed at start-up
 * under their author's key and the clear text is overwritten; a note
 * whose author's key is destroyed is dropped. */
static void
test_legacy_notes_sealed(void **state)
{
	struct supfx *x = *state;
	struct bookfx *b = x->b;
	int64_t e1 = book(b, START), e2 = book(b, START + BK_DAY_MS);
	char sql[256], owner[AUTH_OWNER_MAX], *raw;
	struct seen s;
	size_t n;

	assert_int_equal(svc_slot_request_create(&b->s, &x->who_sup, e1,
			     SLOT_REQUEST_CANCEL, 0, "provisoire", BX_NOW,
			     NULL),
	    BK_OK);
	assert_int_equal(svc_slot_request_create(&b->s, &x->who_sup, e2,
			     SLOT_REQUEST_CANCEL, 0, "provisoire", BX_NOW,
			     NULL),
	    BK_OK);
	/* As a database of before migration 13 holds them. */
	bx_exec(b, "DROP TRIGGER slot_requests_reason_update");
	snprintf(sql, sizeof(sql),
	    "UPDATE slot_requests SET reason_sealed = NULL, reason ="
	    " 'Motif ancien Lefebvre ' || id");
	bx_exec(b, sql);
	/* A second author, erased since: no key to seal with. */
	snprintf(sql, sizeof(sql),
	    "UPDATE slot_requests SET requested_by = '%s' WHERE exam_id ="
	    " %lld",
	    x->admin2, (long long)e2);
	bx_exec(b, sql);
	assert_int_equal(auth_subject_owner(x->admin2, owner), 0);
	assert_int_equal(keystore_destroy(b->f->ks, owner, BX_NOW), 0);

	assert_int_equal(svc_slot_request_seal_legacy(&b->f->a), 2);
	assert_int_equal(bx_int(b,
			     "SELECT COUNT(*) FROM slot_requests WHERE"
			     " reason <> ''"),
	    0);
	assert_int_equal(bx_int(b,
			     "SELECT COUNT(*) FROM slot_requests WHERE"
			     " reason_sealed IS NOT NULL"),
	    1);
	memset(&s, 0, sizeof(s));
	assert_int_equal(svc_slot_requests_list(&b->s, &x->who_sup, 1, NULL, 10,
			     seen_one, &s),
	    0);
	assert_int_equal(s.n, 1);
	assert_int_equal(strncmp(s.reason, "Motif ancien Lefebvre ", 22), 0);
	/* Nothing left to do the second time. */
	assert_int_equal(svc_slot_request_seal_legacy(&b->f->a), 0);
	/* secure_delete: no clear copy once the log is folded back. */
	assert_int_equal(store_maintain(b->f->st), 0);
	raw = slurp_db(b, &n);
	assert_null(memmem(raw, n, "Lefebvre", 8));
	free(raw);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_note_sealed_and_erased,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_legacy_notes_sealed, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_request_refusals, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_request_alone_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_approve_move, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_approve_move_target_taken,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_approve_move_over_quota,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_approve_cancel, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_planning, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
