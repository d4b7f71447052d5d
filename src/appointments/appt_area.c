/* appt_area.c - postcodes and departments for the public directory. */
#include "appointments/appt_area.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static int
digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return s[n] == '\0' || !isdigit((unsigned char)s[n]);
}

int
appt_postcode_department(const char *pc, char out[APPT_DEPT_MAX])
{
	int two, three;

	if (pc == NULL || strlen(pc) != 5 || !digits(pc, 5))
		return -1;
	two = (pc[0] - '0') * 10 + (pc[1] - '0');
	three = two * 10 + (pc[2] - '0');
	if (two == 97) {
		/* Guadeloupe 971 to Mayotte 976. */
		if (three < 971 || three > 976)
			return -1;
		snprintf(out, APPT_DEPT_MAX, "%d", three);
		return 0;
	}
	if (two == 20) {
		/* Corsica's two departments share the prefix; Haute-Corse
		 * starts at 20200. */
		snprintf(out, APPT_DEPT_MAX, "%s",
		    strncmp(pc, "202", 3) < 0 ? "2A" : "2B");
		return 0;
	}
	if (two < 1 || two > 95)
		return -1;
	snprintf(out, APPT_DEPT_MAX, "%02d", two);
	return 0;
}

/* A department code as typed: "4" or "04", "44", "2a", "971". */
static int
department(const char *s, size_t n, char out[APPT_DEPT_MAX])
{
	int v;

	if (n == 2 && s[0] == '2' &&
	    (toupper((unsigned char)s[1]) == 'A' ||
		toupper((unsigned char)s[1]) == 'B')) {
		out[0] = '2';
		out[1] = (char)toupper((unsigned char)s[1]);
		out[2] = '\0';
		return 0;
	}
	if (n < 1 || n > 3)
		return -1;
	for (v = 0; n > 0; s++, n--) {
		if (!isdigit((unsigned char)*s))
			return -1;
		v = v * 10 + (*s - '0');
	}
	if (v >= 971 && v <= 976) {
		snprintf(out, APPT_DEPT_MAX, "%d", v);
		return 0;
	}
	/* 20 is no department since 1976: it is 2A or 2B. */
	if (v < 1 || v > 95 || v == 20)
		return -1;
	snprintf(out, APPT_DEPT_MAX, "%02d", v);
	return 0;
}

int
appt_area_parse(const char *q, struct appt_area *out)
{
	size_t n;

	if (q == NULL || out == NULL)
		return -1;
	memset(out, 0, sizeof(*out));
	while (*q == ' ')
		q++;
	n = strlen(q);
	while (n > 0 && q[n - 1] == ' ')
		n--;
	if (n == 5) {
		char pc[APPT_POSTCODE_MAX];

		memcpy(pc, q, 5);
		pc[5] = '\0';
		if (appt_postcode_department(pc, out->department) != 0)
			return -1;
		memcpy(out->postcode, pc, sizeof(pc));
		return 0;
	}
	return department(q, n, out->department);
}

int
appt_address_postcode(const char *address, char out[APPT_POSTCODE_MAX])
{
	const char *p, *found = NULL;

	if (address == NULL)
		return -1;
	for (p = address; *p != '\0'; p++) {
		if (!isdigit((unsigned char)*p) ||
		    (p > address && isdigit((unsigned char)p[-1])))
			continue;
		if (digits(p, 5))
			found = p;
	}
	if (found == NULL)
		return -1;
	memcpy(out, found, 5);
	out[5] = '\0';
	return 0;
}

int
appt_area_match(const struct appt_area *area, const char *address)
{
	char pc[APPT_POSTCODE_MAX], dept[APPT_DEPT_MAX];

	if (area == NULL || appt_address_postcode(address, pc) != 0 ||
	    appt_postcode_department(pc, dept) != 0 ||
	    strcmp(dept, area->department) != 0)
		return 0;
	return area->postcode[0] != '\0' && strcmp(pc, area->postcode) == 0 ? 2
									    : 1;
}
