/* convocation_pdf.c - the convocation as a one-page PDF, with libharu. */
#include "convocation/convocation.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>

#define PAGE_W 595.0f /* A4 in points */
#define PAGE_H 842.0f
#define MARGIN 56.0f
#define LINE_MAX 640

/* The few characters of French text outside Latin-1 that WinAnsi has. */
static const struct {
	unsigned cp;
	unsigned char b;
} extra[] = { { 0x20ac, 0x80 }, { 0x2026, 0x85 }, { 0x0152, 0x8c },
	{ 0x2018, 0x91 }, { 0x2019, 0x92 }, { 0x201c, 0x93 }, { 0x201d, 0x94 },
	{ 0x2013, 0x96 }, { 0x2014, 0x97 }, { 0x0153, 0x9c }, { 0x0178, 0x9f },
	{ 0x202f, 0xa0 } };

/* Maps code point cp to its WinAnsi byte, '?' when it has none. */
static unsigned char
winansi(unsigned cp)
{
	size_t i;

	if (cp < 0x80 || (cp >= 0xa0 && cp <= 0xff))
		return (unsigned char)cp;
	for (i = 0; i < sizeof(extra) / sizeof(extra[0]); i++)
		if (extra[i].cp == cp)
			return extra[i].b;
	return '?';
}

/* Converts UTF-8 s into WinAnsi (the encoding of the PDF's standard
 * fonts) in out; a malformed sequence becomes '?'. */
static void
to_winansi(const char *s, char *out, size_t outlen)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0;
	unsigned cp;
	int n, i;

	while (*p != '\0' && o + 1 < outlen) {
		if (*p < 0x80) {
			cp = *p;
			n = 0;
		} else if ((*p & 0xe0) == 0xc0) {
			cp = *p & 0x1f;
			n = 1;
		} else if ((*p & 0xf0) == 0xe0) {
			cp = *p & 0x0f;
			n = 2;
		} else if ((*p & 0xf8) == 0xf0) {
			cp = *p & 0x07;
			n = 3;
		} else {
			cp = '?';
			n = -1;
		}
		p++;
		for (i = 0; i < n; i++, p++) {
			if ((*p & 0xc0) != 0x80) {
				cp = '?';
				break;
			}
			cp = (cp << 6) | (*p & 0x3f);
		}
		out[o++] = (char)(n < 0 ? '?' : winansi(cp));
	}
	out[o] = '\0';
}

static void
on_error(HPDF_STATUS error, HPDF_STATUS detail, void *arg)
{
	(void)error;
	(void)detail;
	*(int *)arg = 1;
}

/* The page being written and where the next line goes. */
struct pen {
	HPDF_Doc pdf;
	HPDF_Page page;
	HPDF_Font regular, bold;
	float y;
};

/* Writes UTF-8 text from x in font of size, wrapped at the right
 * margin, each line lead points below the one before; the pen ends on
 * the last line. */
static void
put_lead(struct pen *p, float x, HPDF_Font font, float size, float lead,
    const char *text)
{
	char w[LINE_MAX], line[LINE_MAX];
	const char *rest = w;
	HPDF_UINT n;

	to_winansi(text, w, sizeof(w));
	HPDF_Page_SetFontAndSize(p->page, font, size);
	for (;;) {
		n = HPDF_Page_MeasureText(p->page, rest, PAGE_W - MARGIN - x,
		    HPDF_TRUE, NULL);
		if (n == 0 || n > strlen(rest))
			n = (HPDF_UINT)strlen(rest);
		memcpy(line, rest, n);
		line[n] = '\0';
		HPDF_Page_BeginText(p->page);
		HPDF_Page_SetFontAndSize(p->page, font, size);
		HPDF_Page_TextOut(p->page, x, p->y, line);
		HPDF_Page_EndText(p->page);
		rest += n;
		while (*rest == ' ')
			rest++;
		if (*rest == '\0')
			break;
		p->y -= lead;
	}
}

/* One line (or more when it does not fit) of text at x. */
static void
put(struct pen *p, float x, HPDF_Font font, float size, const char *text)
{
	put_lead(p, x, font, size, size + 3, text);
}

/* Writes "label" in bold and value after it, then moves down a line. */
static void
field(struct pen *p, const char *label, const char *value)
{
	if (label[0] != '\0')
		put(p, MARGIN, p->bold, 11, label);
	put(p, MARGIN + 150, p->regular, 11, value[0] ? value : "-");
	p->y -= 20;
}

static void
draw(struct pen *p, const struct convocation *cv)
{
	char when[96], issued[96], name[2 * CONVOC_NAME_MAX + 2], ref[40],
	    line[160];
	size_t i;

	convocation_when(when, sizeof(when), cv->start_at);
	convocation_when(issued, sizeof(issued), cv->issued_at);
	snprintf(line, sizeof(line), "Document émis par Créneau le %s.",
	    issued);
	snprintf(name, sizeof(name), "%s %s", cv->first_names, cv->last_name);
	snprintf(ref, sizeof(ref), "n° %lld", (long long)cv->exam_id);

	p->y = PAGE_H - MARGIN - 10;
	put(p, MARGIN, p->bold, 18,
	    "Convocation à l'examen du permis de conduire");
	p->y -= 22;
	put(p, MARGIN, p->regular, 10, line);
	p->y -= 36;

	field(p, "Candidat(e)", name);
	field(p, "NEPH", cv->neph);
	field(p, "Catégorie", cv->category);
	field(p, "Date et heure", when);
	field(p, "", "heure de Paris (Europe/Paris)");
	p->y -= 8;
	field(p, "Centre d'examen", cv->centre);
	field(p, "Adresse", cv->address);
	field(p, "Département", cv->department);
	p->y -= 8;
	field(p, "Auto-école", cv->school);
	field(p, "Examen", ref);
	p->y -= 16;

	put(p, MARGIN, p->bold, 13, "À apporter et à savoir");
	p->y -= 22;
	for (i = 0; convocation_bring[i] != NULL; i++) {
		put(p, MARGIN, p->regular, 10, "-");
		put(p, MARGIN + 12, p->regular, 10, convocation_bring[i]);
		p->y -= 16;
	}
	p->y -= 20;
	put(p, MARGIN, p->regular, 9,
	    "En cas d'empêchement, prévenez votre auto-école au plus tôt : une "
	    "annulation à moins de 7 jours");
	p->y -= 12;
	put(p, MARGIN, p->regular, 9,
	    "de l'examen impose un délai avant une nouvelle présentation.");
}

int
convocation_pdf(const struct convocation *cv, char **out, size_t *len)
{
	struct pen p;
	int failed = 0;
	HPDF_UINT32 size = 0;
	HPDF_STATUS rc;

	*out = NULL;
	*len = 0;
	memset(&p, 0, sizeof(p));
	if ((p.pdf = HPDF_New(on_error, &failed)) == NULL)
		return -1;
	HPDF_SetCompressionMode(p.pdf, HPDF_COMP_NONE);
	HPDF_SetInfoAttr(p.pdf, HPDF_INFO_CREATOR, "Creneau");
	HPDF_SetInfoAttr(p.pdf, HPDF_INFO_TITLE,
	    "Convocation a l'examen du permis de conduire");
	p.regular = HPDF_GetFont(p.pdf, "Helvetica", "WinAnsiEncoding");
	p.bold = HPDF_GetFont(p.pdf, "Helvetica-Bold", "WinAnsiEncoding");
	p.page = HPDF_AddPage(p.pdf);
	if (!failed) {
		HPDF_Page_SetWidth(p.page, PAGE_W);
		HPDF_Page_SetHeight(p.page, PAGE_H);
		draw(&p, cv);
	}
	if (!failed && HPDF_SaveToStream(p.pdf) == HPDF_OK)
		size = HPDF_GetStreamSize(p.pdf);
	if (failed || size == 0 || size > CONVOC_PDF_MAX ||
	    (*out = malloc(size)) == NULL) {
		HPDF_Free(p.pdf);
		return -1;
	}
	rc = HPDF_ReadFromStream(p.pdf, (HPDF_BYTE *)*out, &size);
	if ((rc != HPDF_OK && rc != HPDF_STREAM_EOF) || size == 0) {
		free(*out);
		*out = NULL;
		HPDF_Free(p.pdf);
		return -1;
	}
	*len = size;
	HPDF_Free(p.pdf);
	return 0;
}
