/* ratelimit.c (store) - shared fixed-window call counts. */
#include "store/ratelimit.h"

#include <stdio.h>
#include <string.h>

#include "store/driver.h"

struct counted {
	const struct store_driver *d;
	unsigned char keys[STORE_RATE_KEYS_MAX][STORE_RATE_KEY];
	size_t n;
};

static int
counted_row(void *arg, const struct store_row *r)
{
	struct counted *c = arg;
	size_t len;
	const void *k = c->d->row_blob(r, 0, &len);

	if (k != NULL && len == STORE_RATE_KEY && c->n < STORE_RATE_KEYS_MAX)
		memcpy(c->keys[c->n++], k, STORE_RATE_KEY);
	return 0;
}

/* Appends text to sql. */
static void
append(char *sql, size_t size, const char *text)
{
	size_t o = strlen(sql);

	snprintf(sql + o, size - o, "%s", text);
}

int
store_rate_take(struct store *st, const unsigned char keys[][STORE_RATE_KEY],
    const long *limits, size_t n, int64_t window_start)
{
	const struct store_driver *d = store_drv(st);
	struct store_val p[1 + 2 * STORE_RATE_KEYS_MAX];
	struct counted got;
	struct store_conn *c;
	char sql[512], part[64];
	size_t i;

	if (n == 0)
		return 1;
	if (n > STORE_RATE_KEYS_MAX || (c = store_conn(st)) == NULL)
		return -1;
	/* A key at its limit keeps its row as it is, and is not
	 * returned: the row lock of the upsert makes the count exact
	 * however many instances count at once. */
	snprintf(sql, sizeof(sql),
	    "INSERT INTO rate_windows (key, window_start, calls, max_calls)"
	    " VALUES ");
	p[0] = SV_I(window_start);
	for (i = 0; i < n; i++) {
		snprintf(part, sizeof(part), "%s($%zu, $1, 1, $%zu)",
		    i ? ", " : "", 2 + 2 * i, 3 + 2 * i);
		append(sql, sizeof(sql), part);
		p[1 + 2 * i] = SV_B(keys[i], STORE_RATE_KEY);
		p[2 + 2 * i] = SV_I(limits[i]);
	}
	append(sql, sizeof(sql),
	    " ON CONFLICT (key, window_start) DO UPDATE SET"
	    " calls = rate_windows.calls + 1, max_calls = excluded.max_calls"
	    " WHERE rate_windows.calls < excluded.max_calls RETURNING key");
	memset(&got, 0, sizeof(got));
	got.d = d;
	if (d->exec(c, sql, p, 1 + 2 * n, counted_row, &got) != 0)
		return -1;
	if (got.n == n)
		return 1;
	/* Refused: what was counted for the other keys is taken back. */
	for (i = 0; i < got.n; i++) {
		p[1] = SV_B(got.keys[i], STORE_RATE_KEY);
		if (d->exec(c,
			"UPDATE rate_windows SET calls = calls - 1 WHERE"
			" window_start = $1 AND key = $2 AND calls > 0",
			p, 2, NULL, NULL) != 0)
			return -1;
	}
	return 0;
}

int
store_rate_purge(struct store *st, int64_t before_ms, long *deleted)
{
	const struct store_driver *d = store_drv(st);
	struct store_conn *c = store_conn(st);
	struct store_val p[1];
	long n = 0;

	if (deleted != NULL)
		*deleted = 0;
	if (c == NULL)
		return -1;
	p[0] = SV_I(before_ms);
	if (d->exec(c,
		"DELETE FROM rate_windows WHERE window_start < $1 RETURNING 1",
		p, 1, store_row_count, &n) != 0)
		return -1;
	if (deleted != NULL)
		*deleted = n;
	return 0;
}
