/* num.c - checked number parsing. */
#include "core/num.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

int
num_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	char *end;
	long long v;

	if (s == NULL || *s == '\0' || isspace((unsigned char)*s) || *s == '+')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = (int64_t)v;
	return 0;
}

int
num_parse_long(const char *s, long min, long max, long *out)
{
	int64_t v;

	if (num_parse_i64(s, min, max, &v) != 0)
		return -1;
	*out = (long)v;
	return 0;
}
