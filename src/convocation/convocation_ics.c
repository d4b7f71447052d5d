/* convocation_ics.c - the exam as an iCalendar event (RFC 5545). */
#include "convocation/convocation.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "booking/caltime.h"
#include "core/buf.h"

#define ICS_MAX (16 * 1024)
#define FOLD 75 /* octets of a content line, CRLF excluded */

/* Writes "YYYYMMDDTHHMMSSZ" for ms, UTC. */
static void
utc_stamp(char out[20], int64_t ms)
{
	int64_t rest, y, days = caltime_day_split(ms, &rest);
	int m, d;

	caltime_civil_from_days(days, &y, &m, &d);
	snprintf(out, 20, "%04" PRId64 "%02d%02dT%02d%02d%02dZ", y, m, d,
	    (int)(rest / 3600000), (int)(rest / 60000 % 60),
	    (int)(rest / 1000 % 60));
}

/*
 * Appends the content line "name:value" to b, value escaped as TEXT
 * when text (backslash, semicolon, comma, newline), folded so no line
 * passes FOLD octets and never inside a UTF-8 character.
 */
static int
content(struct buf *b, const char *name, const char *value, int text)
{
	char line[2048];
	size_t n = 0, i, col = 0, len;
	const unsigned char *v = (const unsigned char *)value;

	n = (size_t)snprintf(line, sizeof(line), "%s:", name);
	for (; *v != '\0' && n + 3 < sizeof(line); v++) {
		if (text && (*v == '\\' || *v == ';' || *v == ',')) {
			line[n++] = '\\';
			line[n++] = (char)*v;
		} else if (text && *v == '\n') {
			line[n++] = '\\';
			line[n++] = 'n';
		} else if (*v >= 0x20 || *v == '\t')
			line[n++] = (char)*v;
	}
	len = n;
	for (i = 0; i < len; i++) {
		/* A new line starts before a character, never inside. */
		if (col >= FOLD - 1 &&
		    ((unsigned char)line[i] & 0xc0) != 0x80) {
			if (buf_append(b, "\r\n ", 3) != 0)
				return -1;
			col = 1;
		}
		if (buf_append(b, &line[i], 1) != 0)
			return -1;
		col++;
	}
	return buf_append(b, "\r\n", 2);
}

int
convocation_ics(const struct convocation *cv, char **out, size_t *len)
{
	char start[20], end[20], stamp[20], uid[64], summary[96];
	char where[CONVOC_CENTRE_MAX + CONVOC_ADDRESS_MAX + 4];
	char desc[1536];
	size_t i, n;
	struct buf b;
	int rc = 0;

	*out = NULL;
	*len = 0;
	utc_stamp(start, cv->start_at);
	utc_stamp(end, cv->start_at + CONVOC_PLAN_MINUTES * 60LL * 1000);
	utc_stamp(stamp, cv->issued_at);
	snprintf(uid, sizeof(uid), "exam-%lld@creneau", (long long)cv->exam_id);
	snprintf(summary, sizeof(summary),
	    "Examen du permis de conduire (catégorie %s)", cv->category);
	snprintf(where, sizeof(where), "%s%s%s", cv->centre,
	    cv->address[0] ? ", " : "", cv->address);
	n = (size_t)snprintf(desc, sizeof(desc),
	    "Convocation n° %lld. Auto-école : %s.\nÀ apporter :",
	    (long long)cv->exam_id, cv->school[0] ? cv->school : "-");
	for (i = 0; convocation_bring[i] != NULL && n < sizeof(desc); i++)
		n += (size_t)snprintf(desc + n, sizeof(desc) - n, "\n- %s",
		    convocation_bring[i]);

	buf_init(&b, ICS_MAX);
	rc |= content(&b, "BEGIN", "VCALENDAR", 0);
	rc |= content(&b, "VERSION", "2.0", 0);
	rc |= content(&b, "PRODID", "-//Creneau//Convocation//FR", 0);
	rc |= content(&b, "CALSCALE", "GREGORIAN", 0);
	rc |= content(&b, "METHOD", "PUBLISH", 0);
	rc |= content(&b, "BEGIN", "VEVENT", 0);
	rc |= content(&b, "UID", uid, 0);
	rc |= content(&b, "DTSTAMP", stamp, 0);
	rc |= content(&b, "DTSTART", start, 0);
	rc |= content(&b, "DTEND", end, 0);
	rc |= content(&b, "SUMMARY", summary, 1);
	rc |= content(&b, "LOCATION", where, 1);
	rc |= content(&b, "DESCRIPTION", desc, 1);
	rc |= content(&b, "STATUS", "CONFIRMED", 0);
	rc |= content(&b, "TRANSP", "OPAQUE", 0);
	rc |= content(&b, "END", "VEVENT", 0);
	rc |= content(&b, "END", "VCALENDAR", 0);
	if (rc != 0 || (*out = buf_steal(&b, len)) == NULL) {
		buf_free(&b);
		return -1;
	}
	return 0;
}
