/*
 * convocation.h - the convocation to a driving-test exam, as the
 * candidate prints it or adds it to a calendar: a one-page PDF (libharu)
 * and an iCalendar event (RFC 5545).
 *
 * Pure: both are built from a struct convocation the service filled, and
 * nothing else; times are shown in Europe/Paris time (booking/caltime.h),
 * the calendar event is written in UTC so every calendar places it right.
 */
#ifndef CRENEAU_CONVOCATION_H
#define CRENEAU_CONVOCATION_H

#include <stddef.h>
#include <stdint.h>

#define CONVOC_NAME_MAX 401 /* 100 characters of UTF-8 and the NUL */
#define CONVOC_NEPH_MAX 20
#define CONVOC_CATEGORY_MAX 8
#define CONVOC_CENTRE_MAX 121
#define CONVOC_ADDRESS_MAX 241
#define CONVOC_DEPARTMENT_MAX 4
#define CONVOC_SCHOOL_MAX 256
#define CONVOC_PLAN_MINUTES 60 /* the time a calendar sets aside */
#define CONVOC_PDF_MAX (256 * 1024)

/* What a convocation says. Strings are UTF-8, "" when unknown. */
struct convocation {
	int64_t exam_id;
	int64_t start_at; /* ms since the epoch, UTC */
	int64_t issued_at; /* when the document is made */
	char last_name[CONVOC_NAME_MAX];
	char first_names[CONVOC_NAME_MAX];
	char neph[CONVOC_NEPH_MAX];
	char category[CONVOC_CATEGORY_MAX];
	char centre[CONVOC_CENTRE_MAX];
	char address[CONVOC_ADDRESS_MAX];
	char department[CONVOC_DEPARTMENT_MAX];
	char school[CONVOC_SCHOOL_MAX];
};

/* What to bring to the exam, one item a line, in French. */
extern const char *const convocation_bring[];

/* Writes "samedi 12 décembre 2026 à 09 h 30" for ms in Europe/Paris
 * time into out. */
void convocation_when(char *out, size_t outlen, int64_t ms);

/*
 * Renders cv as a one-page A4 PDF into a malloc'ed buffer *out of *len
 * bytes (free() it). Its content stream is left uncompressed: the
 * document is small and its text stays readable by any tool. Returns 0
 * or -1.
 */
int convocation_pdf(const struct convocation *cv, char **out, size_t *len);

/*
 * Renders cv as an iCalendar object (RFC 5545: CRLF lines folded at 75
 * octets, text escaped, times in UTC, UID exam-<id>@creneau) into a
 * malloc'ed NUL-terminated buffer *out of *len bytes (free() it).
 * Returns 0 or -1.
 */
int convocation_ics(const struct convocation *cv, char **out, size_t *len);

#endif
