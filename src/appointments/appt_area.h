/*
 * appt_area.h - where a person looks for a service to book with: a
 * postcode or a department, and the department of a place's address.
 *
 * The public directory (GET /api/v1/public/appointments/organisations)
 * lists the organisations with a place in the person's department: a
 * department's social services and a town's CCAS are found by where
 * their places are, the way people know them. Pure functions, no
 * allocation.
 */
#ifndef CRENEAU_APPT_AREA_H
#define CRENEAU_APPT_AREA_H

#define APPT_DEPT_MAX 4 /* "44", "2A", "971" and the NUL */
#define APPT_POSTCODE_MAX 6 /* five digits and the NUL */

struct appt_area {
	char department[APPT_DEPT_MAX];
	char postcode[APPT_POSTCODE_MAX]; /* "" when a department was given */
};

/* Reads what a person typed: a postcode ("44000", spaces around allowed)
 * or a department ("44", "4" for "04", "2a", "971"). Returns 0, or -1
 * for anything else (a postcode no department has, "00", "96", words). */
int appt_area_parse(const char *q, struct appt_area *out);

/* The department of a five-digit postcode: its first two digits, "2A"
 * below 20200 and "2B" from it in Corsica, the first three overseas
 * (971-976). Returns 0, or -1 when pc is not a postcode of a department. */
int appt_postcode_department(const char *pc, char out[APPT_DEPT_MAX]);

/* The postcode of a French address written on one line ("12 rue de la
 * Paix, 44000 Nantes"): the last group of exactly five digits standing
 * alone. Returns 0, or -1 when there is none. */
int appt_address_postcode(const char *address, char out[APPT_POSTCODE_MAX]);

/* 2 when address has area's postcode, 1 when it is in area's department
 * only, 0 otherwise (no postcode, elsewhere). */
int appt_area_match(const struct appt_area *area, const char *address);

#endif
