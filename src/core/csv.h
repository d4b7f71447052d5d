/*
 * csv.h - a reader for the CSV files people upload (RFC 4180): fields
 * separated by ';' or ',', records ended by CRLF or LF, fields quoted
 * with '"' when they hold a separator, a quote or a line break.
 *
 * It reads from pointer + length (no NUL needed), copies each field into
 * a caller's fixed array, and refuses what does not fit instead of
 * cutting it: every field and record has a ceiling.
 */
#ifndef CRENEAU_CSV_H
#define CRENEAU_CSV_H

#include <stddef.h>

#include "core/buf.h"

#define CSV_FIELD_MAX 512 /* bytes of one field, with its NUL */
#define CSV_FIELDS_MAX 16 /* fields of one record */

struct csv_reader {
	const char *p;
	size_t len, pos;
	char sep;
	long line; /* line where the last record read starts (from 1) */
	long next_line; /* line where the next record starts */
	const char *error; /* French reason of the last -1 */
};

/* One record: nf fields, each NUL-terminated. */
struct csv_record {
	char f[CSV_FIELDS_MAX][CSV_FIELD_MAX];
	size_t nf;
};

/*
 * Starts reading p (len bytes). A UTF-8 byte order mark at the start is
 * skipped. sep is ';' or ','; 0 picks the first of them found on the
 * first line (';' when neither is).
 */
void csv_init(struct csv_reader *r, const char *p, size_t len, char sep);

/*
 * Reads the next record into rec, skipping empty lines. Returns 1 when a
 * record was read (r->line says where it starts), 0 at the end, or -1
 * when the record is malformed (a quote not closed or followed by other
 * text, a field longer than CSV_FIELD_MAX - 1, more than CSV_FIELDS_MAX
 * fields, a NUL byte): r->error says why and reading goes on at the next
 * line.
 */
int csv_next(struct csv_reader *r, struct csv_record *rec);

/*
 * Appends s (NULL: empty) to b as one cell of a CSV file Créneau writes
 * (separator ','). Every CSV export goes through it. A cell starting with
 * '=', '+', '-', '@', a tab or a carriage return is neutralised against
 * formula injection in spreadsheets by a leading single quote (OWASP,
 * "CSV Injection"); a cell holding ',', ';', '"', a line break or that
 * quote is wrapped in double quotes, inner ones doubled (RFC 4180).
 * Returns buf_append's result (0 on success).
 */
int csv_cell(struct buf *b, const char *s);

#endif
