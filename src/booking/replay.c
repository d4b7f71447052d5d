/* replay.c - the Idempotency-Key and the compact text of a validation's
 * outcome kept for replays. */
#include "booking/replay.h"

#include <stdio.h>
#include <string.h>

int
replay_key_check(const char *key)
{
	size_t i, n;

	if (key == NULL)
		return -1;
	n = strlen(key);
	if (n < REPLAY_KEY_MIN || n > REPLAY_KEY_MAX)
		return -1;
	for (i = 0; i < n; i++) {
		char ch = key[i];

		if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
			(ch >= '0' && ch <= '9') || ch == '_' || ch == '-'))
			return -1;
	}
	return 0;
}

int
replay_encode(const struct basket_result *res, const int64_t *at, size_t n,
    char *out, size_t outlen)
{
	size_t i, len = 0;
	int w;

	if (outlen == 0)
		return -1;
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		const char *code = bk_code_name(res[i].code);

		if (code == NULL || res[i].slot_id < 0 || res[i].exam_id < 0 ||
		    at[i] < 0)
			return -1;
		w = snprintf(out + len, outlen - len, "%s%lld,%lld,%d,%s,%lld",
		    i ? ";" : "", (long long)res[i].slot_id,
		    (long long)res[i].exam_id, res[i].booked ? 1 : 0, code,
		    (long long)at[i]);
		if (w < 0 || (size_t)w >= outlen - len) {
			out[0] = '\0';
			return -1;
		}
		len += (size_t)w;
	}
	return 0;
}

/* Reads a decimal int64 of 1 to 19 digits (no sign, no leading zero but
 * "0") at *p, ending at sep. Returns 0 and moves *p past sep, or -1. */
static int
read_num(const char **p, char sep, int64_t *v)
{
	const char *s = *p;
	uint64_t x = 0;
	size_t d = 0;

	while (s[d] >= '0' && s[d] <= '9') {
		if (d >= 19)
			return -1;
		x = x * 10 + (uint64_t)(s[d] - '0');
		d++;
	}
	if (d == 0 || (d > 1 && s[0] == '0') || x > (uint64_t)INT64_MAX ||
	    s[d] != sep)
		return -1;
	*v = (int64_t)x;
	*p = s + d + (sep != '\0');
	return 0;
}

int
replay_decode(const char *s, struct basket_result *res, int64_t *at, size_t cap,
    size_t *n)
{
	char name[64];
	const char *p = s, *e;
	int64_t slot, exam, booked, when;
	enum bk_code code;
	size_t len;

	*n = 0;
	if (s == NULL)
		return -1;
	while (*p != '\0') {
		if (*n >= cap)
			return -1;
		if (read_num(&p, ',', &slot) != 0 || slot <= 0 ||
		    read_num(&p, ',', &exam) != 0 ||
		    read_num(&p, ',', &booked) != 0 || booked > 1)
			return -1;
		e = strchr(p, ',');
		len = e != NULL ? (size_t)(e - p) : 0;
		if (len == 0 || len >= sizeof(name))
			return -1;
		memcpy(name, p, len);
		name[len] = '\0';
		if (bk_code_parse(name, &code) != 0)
			return -1;
		p = e + 1;
		e = strchr(p, ';');
		if (read_num(&p, e != NULL ? ';' : '\0', &when) != 0)
			return -1;
		if (e != NULL && *p == '\0')
			return -1; /* a trailing ';' */
		res[*n].slot_id = slot;
		res[*n].exam_id = exam;
		res[*n].booked = (int)booked;
		res[*n].code = code;
		at[*n] = when;
		(*n)++;
	}
	return 0;
}
