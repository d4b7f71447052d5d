/* directory.c - listing an organisation's accounts. */
#include "auth/directory.h"

#include <string.h>

#include "store/directory.h"
#include "store/driver.h"

struct walk {
	const struct auth *a;
	const char *org_id;
	directory_fn fn;
	void *arg;
	int failed;
};

static int
one(void *arg, const char *id)
{
	struct walk *w = arg;
	struct account_info info;
	struct store_role roles[ACCOUNT_ROLES_MAX];
	long n;
	int rc;

	memset(&info, 0, sizeof(info));
	if (account_read(w->a, id, &info) != 0) {
		w->failed = 1;
		return 1;
	}
	n = store_role_list(w->a->st, store_conn(w->a->st), id, w->org_id,
	    roles, ACCOUNT_ROLES_MAX);
	if (n < 0) {
		account_info_clear(&info);
		w->failed = 1;
		return 1;
	}
	if (n > ACCOUNT_ROLES_MAX)
		n = ACCOUNT_ROLES_MAX;
	rc = w->fn(w->arg, &info, roles, (size_t)n);
	account_info_clear(&info);
	return rc;
}

int
directory_list(const struct auth *a, const char *org_id, directory_fn fn,
    void *arg)
{
	struct walk w = { a, org_id, fn, arg, 0 };

	if (store_account_ids(a->st, org_id, 1000, one, &w) != 0)
		return -1;
	return w.failed ? -1 : 0;
}
