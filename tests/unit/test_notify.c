/* test_notify.c - notifications and the emails that go with them: one
 * transaction, sealed address, the tolerant email part, reading. */
#include "authfx.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto/field.h"
#include "notify/notify.h"
#include "notify/outbox.h"
#include "store/notify.h"
#include "store/outbox.h"

#define EMAIL "camille.durand@notify-test.example"

struct call {
	const struct auth *a;
	const char *account_id, *org_id;
	struct notice n;
	int school;
};

static int
call_tx(struct store *st, struct store_conn *c, void *arg)
{
	struct call *x = arg;

	(void)st;
	if (x->school)
		return notify_school(x->a, c, x->org_id, x->account_id, &x->n,
		    FX_T0);
	return notify_account(x->a, c, x->account_id, x->org_id, &x->n, FX_T0);
}

static int
notify(struct authfx *f, const char *id, const char *kind, const char *params)
{
	struct call x = { &f->a, id, f->org, { kind, params }, 0 };

	return store_tx(f->st, 1, call_tx, &x);
}

/* Returns 1 if needle occurs in file path (absent file: 0). */
static int
file_has(const char *path, const char *needle)
{
	static char buf[4 << 20];
	ssize_t n;
	int fd = open(path, O_RDONLY), found;

	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	found = n > 0 && memmem(buf, (size_t)n, needle, strlen(needle)) != NULL;
	return found;
}

static void
test_email_sealed_with_notification(void **state)
{
	struct authfx *f = *state;
	char id[AUTH_ID_HEX], pw[ACCOUNT_TEMP_PW_LEN], wal[160], *to, *body;
	struct store_outbox o;
	struct data_key k;
	size_t tolen, bodylen;

	authfx_account(f, EMAIL, "Camille Durand", "candidate", id, pw);
	assert_int_equal(notify(f, id, "booking.confirmed",
			     "{\"exam_id\":123,\"starts_at\":1796113800000}"),
	    0);
	assert_int_equal(authfx_rows(f, "SELECT id FROM notifications"), 1);
	assert_int_equal(authfx_rows(f,
			     "SELECT id FROM email_outbox WHERE"
			     " state = 'pending'"),
	    1);
	assert_int_equal(store_outbox_get(f->st, store_conn(f->st), 1, &o), 0);
	assert_string_equal(o.subject,
	    "Réservation confirmée : examen n° 123 le 01/12/2026 à 09:30");
	assert_string_equal(o.account_id, id);
	assert_int_equal(o.next_attempt_at, FX_T0);

	/* Sealed under the recipient's own key, bound to the row: erasing
	 * the person shreds a pending email too. */
	{
		char owner[STORE_OWNER_MAX];

		snprintf(owner, sizeof(owner), "subject:%s", id);
		assert_int_equal(keystore_get(f->ks, owner, 0, &k), 0);
	}
	assert_int_equal(field_open(&k, "email_outbox", "recipient", "1",
			     o.recipient.p, o.recipient.len, &to, &tolen),
	    0);
	assert_string_equal(to, EMAIL);
	assert_int_equal(field_open(&k, "email_outbox", "body", "1", o.body.p,
			     o.body.len, &body, &bodylen),
	    0);
	assert_non_null(strstr(body, "Examen : n° 123"));
	assert_null(strstr(body, "Camille"));
	assert_null(strstr(body, "Durand"));
	/* Bound to its row: row 2's name does not open row 1's address. */
	field_free(to, tolen);
	to = NULL;
	tolen = 0;
	assert_int_equal(field_open(&k, "email_outbox", "recipient", "2",
			     o.recipient.p, o.recipient.len, &to, &tolen),
	    -1);
	field_free(to, tolen);
	field_free(body, bodylen);
	store_outbox_clear(&o);

	/* The address is nowhere in the database files in clear. */
	snprintf(wal, sizeof(wal), "%s-wal", f->db);
	assert_int_equal(file_has(f->db, "camille.durand"), 0);
	assert_int_equal(file_has(wal, "camille.durand"), 0);
	assert_int_equal(file_has(f->db, "Durand"), 0);
}

static void
test_no_email_is_no_error(void **state)
{
	struct authfx *f = *state;
	char id[AUTH_ID_HEX], pw[ACCOUNT_TEMP_PW_LEN];

	authfx_account(f, EMAIL, "Camille Durand", "candidate", id, pw);
	/* A kind that stays in the application. */
	assert_int_equal(notify(f, id, "quota.low", "{\"percent\":80}"), 0);
	/* No such account: the notice is kept, no email. */
	assert_int_equal(notify(f, "00000000000000000000000000000000",
			     "booking.confirmed", "{\"exam_id\":1}"),
	    0);
	/* Emails turned off. */
	notify_email_set(0);
	assert_int_equal(notify(f, id, "booking.cancelled", "{\"exam_id\":1}"),
	    0);
	notify_email_set(1);
	/* Params an email cannot be written from: the notice stands. */
	assert_int_equal(notify(f, id, "booking.cancelled", "[1, 2]"), 0);
	/* A disabled account gets no email. */
	assert_int_equal(account_deactivate(&f->a, NULL, id, NULL, FX_T0), 0);
	assert_int_equal(notify(f, id, "mandate.revoked", "{\"mandate_id\":4}"),
	    0);
	assert_int_equal(authfx_rows(f, "SELECT id FROM notifications"), 5);
	assert_int_equal(authfx_rows(f, "SELECT id FROM email_outbox"), 0);
}

static void
test_school_staff_emailed(void **state)
{
	struct authfx *f = *state;
	char admin[AUTH_ID_HEX], manager[AUTH_ID_HEX], actor[AUTH_ID_HEX],
	    pw[ACCOUNT_TEMP_PW_LEN];
	struct call x = { &f->a, NULL, f->org, { "quota.full", "{}" }, 1 };

	authfx_account(f, "direction@notify-test.example", "Alex Martin",
	    "school_admin", admin, pw);
	authfx_account(f, "gestion@notify-test.example", "Sam Petit",
	    "school_manager", manager, pw);
	authfx_account(f, "moniteur@notify-test.example", "Lou Bernard",
	    "trainer", actor, pw);
	x.account_id = actor;
	assert_int_equal(store_tx(f->st, 1, call_tx, &x), 0);
	assert_int_equal(authfx_rows(f, "SELECT id FROM notifications"), 3);
	assert_int_equal(authfx_rows(f,
			     "SELECT id FROM email_outbox WHERE"
			     " subject = 'Quota de places atteint'"),
	    3);
}

/* A failed transaction leaves neither the notice nor its email. */
static int
fail_after_tx(struct store *st, struct store_conn *c, void *arg)
{
	return call_tx(st, c, arg) == 0 ? -1 : 0;
}

static void
test_rollback_takes_both(void **state)
{
	struct authfx *f = *state;
	char id[AUTH_ID_HEX], pw[ACCOUNT_TEMP_PW_LEN];
	struct call x = { &f->a, NULL, f->org,
		{ "booking.confirmed", "{\"exam_id\":5}" }, 0 };

	authfx_account(f, EMAIL, "Camille Durand", "candidate", id, pw);
	x.account_id = id;
	assert_int_equal(store_tx(f->st, 1, fail_after_tx, &x), -1);
	assert_int_equal(authfx_rows(f, "SELECT id FROM notifications"), 0);
	assert_int_equal(authfx_rows(f, "SELECT id FROM email_outbox"), 0);
}

struct seen {
	int n;
	int64_t ids[8];
	int read[8];
};

static int
collect(void *arg, const struct store_notification *n)
{
	struct seen *s = arg;

	if (s->n < 8) {
		s->ids[s->n] = n->id;
		s->read[s->n++] = n->read_at != 0;
	}
	return 0;
}

static void
test_list_and_read(void **state)
{
	struct authfx *f = *state;
	char me[AUTH_ID_HEX], other[AUTH_ID_HEX], pw[ACCOUNT_TEMP_PW_LEN];
	struct seen s;
	long unread, n;

	authfx_account(f, EMAIL, "Camille Durand", "candidate", me, pw);
	authfx_account(f, "autre@notify-test.example", "Dominique Roux",
	    "candidate", other, pw);
	assert_int_equal(notify(f, me, "booking.confirmed", "{\"exam_id\":1}"),
	    0);
	assert_int_equal(notify(f, me, "quota.low", NULL), 0);
	assert_int_equal(notify(f, me, "basket.expired", "{\"basket_id\":2}"),
	    0);
	assert_int_equal(notify(f, other, "quota.low", NULL), 0);

	memset(&s, 0, sizeof(s));
	assert_int_equal(notify_list(&f->a, me, 0, 50, collect, &s, &unread),
	    0);
	assert_int_equal(s.n, 3);
	assert_int_equal(unread, 3);
	/* Newest first (same time: highest id first). */
	assert_true(s.ids[0] > s.ids[1] && s.ids[1] > s.ids[2]);

	assert_int_equal(notify_read(&f->a, me, s.ids[1], FX_T0 + 1000), 0);
	assert_int_equal(notify_read(&f->a, me, s.ids[1], FX_T0 + 2000), 0);
	/* Someone else's notification is not found. */
	assert_int_equal(notify_read(&f->a, other, s.ids[0], FX_T0), 1);
	assert_int_equal(notify_read(&f->a, me, 999999, FX_T0), 1);
	assert_int_equal(authfx_rows(f,
			     "SELECT id FROM notifications WHERE"
			     " read_at = 1893456001000"),
	    1);

	memset(&s, 0, sizeof(s));
	assert_int_equal(notify_list(&f->a, me, 1, 50, collect, &s, &unread),
	    0);
	assert_int_equal(s.n, 2);
	assert_int_equal(unread, 2);
	memset(&s, 0, sizeof(s));
	assert_int_equal(notify_list(&f->a, me, 0, 1, collect, &s, &unread), 0);
	assert_int_equal(s.n, 1);

	assert_int_equal(notify_read_all(&f->a, me, FX_T0 + 3000, &n), 0);
	assert_int_equal(n, 2);
	memset(&s, 0, sizeof(s));
	assert_int_equal(notify_list(&f->a, me, 0, 50, collect, &s, &unread),
	    0);
	assert_int_equal(unread, 0);
	assert_true(s.read[0] && s.read[1] && s.read[2]);
	/* The other account's notice is untouched. */
	assert_int_equal(notify_list(&f->a, other, 1, 50, collect, &s, &unread),
	    0);
	assert_int_equal(unread, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_email_sealed_with_notification, authfx_setup,
		    authfx_teardown),
		cmocka_unit_test_setup_teardown(test_no_email_is_no_error,
		    authfx_setup, authfx_teardown),
		cmocka_unit_test_setup_teardown(test_school_staff_emailed,
		    authfx_setup, authfx_teardown),
		cmocka_unit_test_setup_teardown(test_rollback_takes_both,
		    authfx_setup, authfx_teardown),
		cmocka_unit_test_setup_teardown(test_list_and_read,
		    authfx_setup, authfx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
