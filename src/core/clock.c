/* clock.c - real and simulated clocks. */
#include "core/clock.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static struct clock real_clock = { 0, 0 };

struct clock *
clock_real(void)
{
	return &real_clock;
}

void
clock_sim_init(struct clock *c, int64_t start_ms)
{
	c->simulated = 1;
	atomic_store(&c->sim_ms, start_ms);
}

void
clock_sim_advance(struct clock *c, int64_t ms)
{
	if (c->simulated)
		atomic_fetch_add(&c->sim_ms, ms);
}

int64_t
clock_now_ms(struct clock *c)
{
	struct timespec ts;

	if (c->simulated)
		return atomic_load(&c->sim_ms);
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
clock_format_utc(int64_t ms, char *out, size_t outlen)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	int n;

	if (ms < 0 || gmtime_r(&t, &tm) == NULL)
		return -1;
	n = snprintf(out, outlen, "%04d-%02d-%02dT%02d:%02d:%02dZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
	    tm.tm_sec);
	return (n < 0 || (size_t)n >= outlen) ? -1 : 0;
}

int
clock_parse_utc(const char *s, int64_t *ms)
{
	static const char form[] = "dddd-dd-ddTdd:dd:ddZ";
	struct tm tm, back;
	const char *end;
	time_t t;
	size_t i;

	if (strlen(s) != sizeof(form) - 1)
		return -1;
	/* strptime alone lets spaces and signs into numeric fields. */
	for (i = 0; form[i] != '\0'; i++) {
		if (form[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9')
				   : s[i] != form[i])
			return -1;
	}
	memset(&tm, 0, sizeof(tm));
	end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (end == NULL || *end != '\0')
		return -1;
	back = tm;
	t = timegm(&tm);
	if (t == (time_t)-1)
		return -1;
	/* timegm normalises 31 February into March and second 60 into the
	 * next minute: refuse such dates. */
	if (tm.tm_mday != back.tm_mday || tm.tm_mon != back.tm_mon ||
	    tm.tm_hour != back.tm_hour || tm.tm_min != back.tm_min ||
	    tm.tm_sec != back.tm_sec)
		return -1;
	*ms = (int64_t)t * 1000;
	return 0;
}
