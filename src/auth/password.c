/*
 * password.c - argon2id hashing and the password strength rule.
 *
 * The strength rule works on a NUL-terminated copy of the password on the
 * stack (zxcvbn wants a C string), wiped before returning. Containment of
 * context words is checked on a "folded" form: ASCII lowercased and the
 * Latin-1 letters and French ligatures reduced to their base letters, so
 * "Hélène" is found in "HELENE2024" and "Lycée" in "lycee".
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>
#include <zxcvbn.h>

#include "auth/password.h"

static const char why_utf8[] =
    "Le mot de passe contient des caractères invalides (texte UTF-8 attendu).";
static const char why_context[] =
    "Le mot de passe ne doit pas contenir votre nom ou celui de l'établissement.";
static const char why_service[] =
    "Le mot de passe ne doit pas contenir le nom du service (Créneau).";
static const char why_guessable[] =
    "Le mot de passe est trop facile à deviner : allongez-le, par exemple avec plusieurs mots sans lien entre eux.";

/* Folded forms of U+00C0 to U+00FF (UTF-8 0xC3 0x80 to 0xC3 0xBF); NULL
 * keeps the character as it is. */
static const char *const fold_latin1[64] = {
	"a", "a", "a", "a", "a", "a", "ae", "c", /* U+00C0 */
	"e", "e", "e", "e", "i", "i", "i", "i", /* U+00C8 */
	"d", "n", "o", "o", "o", "o", "o", NULL, /* U+00D0 */
	"o", "u", "u", "u", "u", "y", NULL, "ss", /* U+00D8 */
	"a", "a", "a", "a", "a", "a", "ae", "c", /* U+00E0 */
	"e", "e", "e", "e", "i", "i", "i", "i", /* U+00E8 */
	"d", "n", "o", "o", "o", "o", "o", NULL, /* U+00F0 */
	"o", "u", "u", "u", "u", "y", NULL, "y", /* U+00F8 */
};

static void
set_why(char *why, size_t whylen, const char *msg)
{
	if (why != NULL && whylen > 0)
		snprintf(why, whylen, "%s", msg);
}

/*
 * Writes the folded form of s (n bytes) into dst (cap bytes, NUL added).
 * A folded form is never longer than its source. Returns its length, or
 * SIZE_MAX if it does not fit.
 */
static size_t
fold(const char *s, size_t n, char *dst, size_t cap)
{
	const unsigned char *p = (const unsigned char *)s;
	const char *rep;
	char one[2] = { 0, 0 };
	size_t i = 0, o = 0, k;

	while (i < n) {
		rep = NULL;
		if (p[i] == 0xC3 && i + 1 < n && p[i + 1] >= 0x80 &&
		    p[i + 1] <= 0xBF)
			rep = fold_latin1[p[i + 1] - 0x80];
		else if (p[i] == 0xC5 && i + 1 < n &&
		    (p[i + 1] == 0x92 || p[i + 1] == 0x93))
			rep = "oe"; /* Œ œ */
		else if (p[i] == 0xC5 && i + 1 < n && p[i + 1] == 0xB8)
			rep = "y"; /* Ÿ */
		if (rep != NULL) {
			i += 2;
		} else {
			one[0] = (char)p[i];
			if (p[i] >= 'A' && p[i] <= 'Z')
				one[0] = (char)(p[i] - 'A' + 'a');
			rep = one;
			i++;
		}
		k = strlen(rep);
		if (k >= cap - o)
			return SIZE_MAX;
		memcpy(dst + o, rep, k);
		o += k;
	}
	if (cap == 0)
		return SIZE_MAX;
	dst[o] = '\0';
	return o;
}

/* Returns 1 if s (n bytes) is valid UTF-8 without U+0000, else 0.
 * Overlong forms, surrogates and code points past U+10FFFF are invalid. */
static int
utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k, need;
	uint32_t cp, min;

	while (i < n) {
		if (p[i] == 0)
			return 0;
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		if (p[i] >= 0xC2 && p[i] <= 0xDF) {
			need = 1;
			cp = p[i] & 0x1F;
			min = 0x80;
		} else if (p[i] >= 0xE0 && p[i] <= 0xEF) {
			need = 2;
			cp = p[i] & 0x0F;
			min = 0x800;
		} else if (p[i] >= 0xF0 && p[i] <= 0xF4) {
			need = 3;
			cp = p[i] & 0x07;
			min = 0x10000;
		} else {
			return 0;
		}
		if (need > n - i - 1)
			return 0;
		for (k = 1; k <= need; k++) {
			if ((p[i + k] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += need + 1;
	}
	return 1;
}

/* Number of characters (UTF-8 lead bytes) in s (n bytes). */
static size_t
utf8_chars(const char *s, size_t n)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			c++;
	return c;
}

/* Word characters: ASCII letters and digits, and any non-ASCII byte
 * (accented letters); everything else separates words. */
static int
is_word_byte(unsigned char c)
{
	return c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

/*
 * Returns 1 if the folded password fpw (fn bytes) contains one of the
 * words of w of PASSWORD_CONTEXT_MIN_CHARS characters or more, else 0.
 */
static int
contains_context_word(const char *fpw, size_t fn, const char *w)
{
	char tok[PASSWORD_MAX_BYTES + 1];
	size_t i = 0, start, tn;
	int found = 0;

	while (!found && w[i] != '\0') {
		while (w[i] != '\0' && !is_word_byte((unsigned char)w[i]))
			i++;
		start = i;
		while (w[i] != '\0' && is_word_byte((unsigned char)w[i]))
			i++;
		if (i == start)
			continue;
		/* A word too long to fold here is longer than any password. */
		tn = fold(w + start, i - start, tok, sizeof(tok));
		if (tn == SIZE_MAX || tn > fn ||
		    utf8_chars(tok, tn) < PASSWORD_CONTEXT_MIN_CHARS)
			continue;
		if (memmem(fpw, fn, tok, tn) != NULL)
			found = 1;
	}
	sodium_memzero(tok, sizeof(tok));
	return found;
}

int
password_hash(const char *pw, size_t len, char out[PASSWORD_HASH_BYTES])
{
	out[0] = '\0';
	if (len > PASSWORD_MAX_BYTES || (pw == NULL && len > 0))
		return -1;
	if (crypto_pwhash_str(out, len > 0 ? pw : "", len, PASSWORD_OPSLIMIT,
		PASSWORD_MEMLIMIT) != 0) {
		out[0] = '\0';
		return -1;
	}
	return 0;
}

int
password_verify(const char *hash, const char *pw, size_t len)
{
	if (hash == NULL ||
	    strnlen(hash, PASSWORD_HASH_BYTES) >= PASSWORD_HASH_BYTES ||
	    len > PASSWORD_MAX_BYTES || (pw == NULL && len > 0))
		return -1;
	if (crypto_pwhash_str_verify(hash, len > 0 ? pw : "", len) != 0)
		return -1;
	return 0;
}

int
password_needs_rehash(const char *hash)
{
	int r;

	if (hash == NULL ||
	    strnlen(hash, PASSWORD_HASH_BYTES) >= PASSWORD_HASH_BYTES)
		return -1;
	/* libsodium answers 1 for any argon2i string, so that it moves to
	 * argon2id, and -1 for anything else it cannot parse. */
	r = crypto_pwhash_str_needs_rehash(hash, PASSWORD_OPSLIMIT,
	    PASSWORD_MEMLIMIT);
	return r < 0 ? -1 : (r > 0 ? 1 : 0);
}

int
password_check_strength(const char *pw, size_t len,
    const char *const *context_words, char *why, size_t whylen)
{
	char copy[PASSWORD_MAX_BYTES + 1], folded[PASSWORD_MAX_BYTES + 1];
	const char *dict[PASSWORD_CONTEXT_MAX + 3];
	size_t fn, i, nd = 0;
	double bits;
	int rc = -1;

	set_why(why, whylen, "");
	if (pw == NULL || len < PASSWORD_MIN_BYTES) {
		if (why != NULL && whylen > 0)
			snprintf(why, whylen,
			    "Le mot de passe doit contenir au moins %d caractères.",
			    PASSWORD_MIN_BYTES);
		return -1;
	}
	if (len > PASSWORD_MAX_BYTES) {
		if (why != NULL && whylen > 0)
			snprintf(why, whylen,
			    "Le mot de passe ne doit pas dépasser %d octets.",
			    PASSWORD_MAX_BYTES);
		return -1;
	}
	if (!utf8_valid(pw, len)) {
		set_why(why, whylen, why_utf8);
		return -1;
	}
	memcpy(copy, pw, len);
	copy[len] = '\0';
	fn = fold(copy, len, folded, sizeof(folded));
	if (fn == SIZE_MAX) { /* cannot happen: folding never grows */
		set_why(why, whylen, why_utf8);
		goto out;
	}

	for (i = 0; context_words != NULL && context_words[i] != NULL; i++) {
		if (contains_context_word(folded, fn, context_words[i])) {
			set_why(why, whylen, why_context);
			goto out;
		}
		if (nd < PASSWORD_CONTEXT_MAX)
			dict[nd++] = context_words[i];
	}
	if (memmem(folded, fn, "creneau", 7) != NULL) {
		set_why(why, whylen, why_service);
		goto out;
	}

	dict[nd++] = "creneau";
	dict[nd++] = "créneau";
	dict[nd] = NULL;
	bits = ZxcvbnMatch(copy, dict, NULL);
	if (!(bits >= PASSWORD_MIN_ENTROPY_BITS)) {
		set_why(why, whylen, why_guessable);
		goto out;
	}
	rc = 0;
out:
	sodium_memzero(copy, sizeof(copy));
	sodium_memzero(folded, sizeof(folded));
	return rc;
}
