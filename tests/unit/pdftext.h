/*
 * pdftext.h - reads back the text a PDF shows, for the convocation
 * tests: every string shown by a Tj operator of an uncompressed content
 * stream, unescaped (PDF 1.7, 7.3.4.2) and turned from WinAnsi into
 * UTF-8, one string a line. Shared by the unit and integration tests.
 */
#ifndef CRENEAU_TEST_PDFTEXT_H
#define CRENEAU_TEST_PDFTEXT_H

#include <stddef.h>
#include <string.h>

/* Appends the UTF-8 of WinAnsi byte b to out at *o (room permitting). */
static void
pdftext_put(char *out, size_t outlen, size_t *o, unsigned char b)
{
	unsigned cp = b;

	if (b == 0x92)
		cp = 0x2019;
	else if (b >= 0x80 && b < 0xa0)
		cp = '?';
	if (cp < 0x80 && *o + 1 < outlen)
		out[(*o)++] = (char)cp;
	else if (cp < 0x800 && *o + 2 < outlen) {
		out[(*o)++] = (char)(0xc0 | (cp >> 6));
		out[(*o)++] = (char)(0x80 | (cp & 0x3f));
	} else if (*o + 3 < outlen) {
		out[(*o)++] = (char)(0xe0 | (cp >> 12));
		out[(*o)++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[(*o)++] = (char)(0x80 | (cp & 0x3f));
	}
}

/* Writes the shown text of pdf (len bytes) into out. Returns how many
 * strings were found. */
static int
pdftext(const char *pdf, size_t len, char *out, size_t outlen)
{
	size_t i = 0, o = 0, j, k;
	int found = 0;

	while (i < len) {
		if (pdf[i] != '(') {
			i++;
			continue;
		}
		/* Find the matching close, escapes skipped. */
		for (j = i + 1; j < len && pdf[j] != ')'; j++)
			if (pdf[j] == '\\')
				j++;
		if (j + 3 >= len || memcmp(pdf + j + 1, " Tj", 3) != 0) {
			i = j + 1;
			continue;
		}
		for (k = i + 1; k < j; k++) {
			unsigned char b = (unsigned char)pdf[k];

			if (b == '\\' && k + 1 < j) {
				k++;
				b = (unsigned char)pdf[k];
				if (b >= '0' && b <= '7') {
					unsigned v = 0, d;

					for (d = 0; d < 3 && k < j &&
					     pdf[k] >= '0' && pdf[k] <= '7';
					     d++, k++)
						v = v * 8 +
						    (unsigned)(pdf[k] - '0');
					k--;
					b = (unsigned char)v;
				} else if (b == 'n')
					b = '\n';
			}
			pdftext_put(out, outlen, &o, b);
		}
		if (o + 1 < outlen)
			out[o++] = '\n';
		found++;
		i = j + 1;
	}
	out[o < outlen ? o : outlen - 1] = '\0';
	return found;
}

#endif
