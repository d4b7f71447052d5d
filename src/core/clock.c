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
	/* By arithmetic rather than gmtime_r and snprintf: every time in
	 * every list answer comes through here (the profile of the slot
	 * search). Days to civil date: the proleptic Gregorian calendar in
	 * 400-year eras, days counted from 0000-03-01. */
	int64_t secs, days, rem, era, doe, yoe, doy, mp, y;
	unsigned d, m, v[6];
	char *p = out;
	int i, k;

	if (ms < 0 || outlen < 21)
		return -1;
	secs = ms / 1000;
	days = secs / 86400;
	rem = secs % 86400;
	days += 719468;
	era = days / 146097;
	doe = days - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	y += m <= 2;
	if (y > 9999)
		return -1;
	v[0] = (unsigned)y;
	v[1] = m;
	v[2] = d;
	v[3] = (unsigned)(rem / 3600);
	v[4] = (unsigned)(rem / 60 % 60);
	v[5] = (unsigned)(rem % 60);
	for (i = 0; i < 6; i++) {
		if (i == 0) {
			for (k = 3; k >= 0; k--, v[0] /= 10)
				p[k] = (char)('0' + v[0] % 10);
			p += 4;
		} else {
			*p++ = "-"
			       "-"
			       "T"
			       ":"
			       ":"[i - 1];
			*p++ = (char)('0' + v[i] / 10);
			*p++ = (char)('0' + v[i] % 10);
		}
	}
	*p++ = 'Z';
	*p = '\0';
	return 0;
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
