/* csv.c - the RFC 4180 reader of csv.h. */
#include "core/csv.h"

#include <string.h>

void
csv_init(struct csv_reader *r, const char *p, size_t len, char sep)
{
	size_t i;

	memset(r, 0, sizeof(*r));
	r->p = p;
	r->len = len;
	r->line = 0;
	r->next_line = 1;
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		r->pos = 3;
	if (sep == 0) {
		sep = ';';
		for (i = r->pos; i < len && p[i] != '\n'; i++)
			if (p[i] == ';' || p[i] == ',') {
				sep = p[i];
				break;
			}
	}
	r->sep = sep;
}

/* Skips to the start of the next line after a malformed record. */
static void
skip_line(struct csv_reader *r)
{
	while (r->pos < r->len && r->p[r->pos] != '\n')
		r->pos++;
	if (r->pos < r->len) {
		r->pos++;
		r->next_line++;
	}
}

static int
fail(struct csv_reader *r, const char *why)
{
	r->error = why;
	skip_line(r);
	return -1;
}

/* Appends byte ch to the current field; -1 when it is full. */
static int
put(struct csv_record *rec, size_t *n, char ch)
{
	if (*n + 1 >= CSV_FIELD_MAX)
		return -1;
	rec->f[rec->nf][(*n)++] = ch;
	return 0;
}

int
csv_next(struct csv_reader *r, struct csv_record *rec)
{
	size_t n;
	int quoted;
	char ch;

	/* Empty lines are no records. */
	while (r->pos < r->len &&
	    (r->p[r->pos] == '\n' ||
		(r->p[r->pos] == '\r' && r->pos + 1 < r->len &&
		    r->p[r->pos + 1] == '\n'))) {
		r->pos += r->p[r->pos] == '\r' ? 2 : 1;
		r->next_line++;
	}
	if (r->pos >= r->len)
		return 0;
	r->line = r->next_line;
	r->error = NULL;
	rec->nf = 0;
	for (;;) {
		/* One field. */
		if (rec->nf >= CSV_FIELDS_MAX)
			return fail(r, "trop de champs sur la ligne");
		n = 0;
		quoted = r->pos < r->len && r->p[r->pos] == '"';
		if (quoted)
			r->pos++;
		for (;;) {
			if (r->pos >= r->len) {
				if (quoted)
					return fail(r, "guillemet non fermé");
				break;
			}
			ch = r->p[r->pos];
			if (ch == '\0')
				return fail(r, "octet nul dans le fichier");
			if (quoted) {
				if (ch == '"') {
					if (r->pos + 1 < r->len &&
					    r->p[r->pos + 1] == '"') {
						if (put(rec, &n, '"') != 0)
							return fail(r,
							    "champ trop long");
						r->pos += 2;
						continue;
					}
					r->pos++;
					quoted = 0;
					if (r->pos < r->len &&
					    r->p[r->pos] != r->sep &&
					    r->p[r->pos] != '\n' &&
					    r->p[r->pos] != '\r')
						return fail(r,
						    "texte après un guillemet "
						    "fermant");
					continue;
				}
				if (ch == '\n')
					r->next_line++;
			} else if (ch == r->sep || ch == '\n' ||
			    (ch == '\r' && r->pos + 1 < r->len &&
				r->p[r->pos + 1] == '\n') ||
			    (ch == '\r' && r->pos + 1 == r->len)) {
				break;
			} else if (ch == '"') {
				return fail(r,
				    "guillemet au milieu d'un champ");
			}
			if (put(rec, &n, ch) != 0)
				return fail(r, "champ trop long");
			r->pos++;
		}
		rec->f[rec->nf][n] = '\0';
		rec->nf++;
		if (r->pos >= r->len)
			return 1;
		ch = r->p[r->pos];
		if (ch == r->sep) {
			r->pos++;
			continue;
		}
		/* End of record: CRLF, LF or a final CR. */
		if (ch == '\r')
			r->pos++;
		if (r->pos < r->len && r->p[r->pos] == '\n')
			r->pos++;
		r->next_line++;
		return 1;
	}
}

/* Does s start like a spreadsheet formula? */
static int
formula_start(const char *s)
{
	return s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;
}

int
csv_cell(struct buf *b, const char *s)
{
	const char *p;
	int quote, rc = 0;

	if (s == NULL)
		s = "";
	quote = formula_start(s) || strpbrk(s, ",;\"\r\n") != NULL;
	if (quote)
		rc = buf_append_str(b, "\"");
	if (rc == 0 && formula_start(s))
		rc = buf_append_str(b, "'");
	while (rc == 0 && quote && (p = strchr(s, '"')) != NULL) {
		rc = buf_append(b, s, (size_t)(p - s) + 1);
		if (rc == 0)
			rc = buf_append_str(b, "\"");
		s = p + 1;
	}
	if (rc == 0)
		rc = buf_append_str(b, s);
	if (rc == 0 && quote)
		rc = buf_append_str(b, "\"");
	return rc;
}
