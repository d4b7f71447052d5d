/* appt_motif.c - motifs: names of their enums, defaults, validation and
 * who may book them. */
#include "appointments/appt_motif.h"

#include <string.h>

static const char *const locations[APPT_LOCATION_COUNT] = { "place", "phone",
	"home" };
static const char *const bookables[APPT_BOOKABLE_COUNT] = { "agents",
	"online" };

/* Returns the index of s in names (n), or -1 (s may be NULL). */
static int
name_index(const char *const *names, int n, const char *s)
{
	int i;

	for (i = 0; s != NULL && i < n; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

const char *
appt_location_name(enum appt_location l)
{
	return ((int)l >= 0 && l < APPT_LOCATION_COUNT) ? locations[l] : NULL;
}

int
appt_location_parse(const char *s, enum appt_location *out)
{
	int i = name_index(locations, APPT_LOCATION_COUNT, s);

	if (i < 0)
		return -1;
	*out = (enum appt_location)i;
	return 0;
}

const char *
appt_bookable_name(enum appt_bookable b)
{
	return ((int)b >= 0 && b < APPT_BOOKABLE_COUNT) ? bookables[b] : NULL;
}

int
appt_bookable_parse(const char *s, enum appt_bookable *out)
{
	int i = name_index(bookables, APPT_BOOKABLE_COUNT, s);

	if (i < 0)
		return -1;
	*out = (enum appt_bookable)i;
	return 0;
}

void
appt_motif_defaults(struct appt_motif *m)
{
	memset(m, 0, sizeof(*m));
	m->duration_min = 30;
	m->location = APPT_AT_PLACE;
	m->bookable = APPT_BOOKABLE_AGENTS;
	m->min_delay_ms = APPT_MIN_DELAY_DEFAULT_MS;
	m->max_delay_ms = APPT_MAX_DELAY_DEFAULT_MS;
	m->deadline_ms = APPT_DEADLINE_DEFAULT_MS;
}

/* Returns 1 when s (n bytes) is well-formed UTF-8 without control
 * characters other than tab and newlines, else 0. */
static int
utf8_text(const unsigned char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned c = s[i];
		size_t len, j;
		unsigned cp;

		if (c < 0x80) {
			if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') ||
			    c == 0x7f)
				return 0;
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			len = 2;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			len = 3;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			len = 4;
			cp = c & 0x07;
		} else {
			return 0;
		}
		if (n - i < len)
			return 0;
		for (j = 1; j < len; j++) {
			if ((s[i + j] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + j] & 0x3f);
		}
		if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += len;
	}
	return 1;
}

/* Returns 1 when s (n bytes) holds something else than spaces. */
static int
not_blank(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			return 1;
	return 0;
}

enum appt_code
appt_motif_validate(const struct appt_motif *m, struct appt_error *err)
{
	const enum appt_code bad = APPT_PARAMETRE_INVALIDE;

	if (m == NULL)
		return appt_error_set(err, bad, NULL, NULL);
	if (m->name == NULL || m->name_len == 0 ||
	    m->name_len > APPT_MOTIF_NAME_MAX ||
	    !not_blank(m->name, m->name_len) ||
	    !utf8_text((const unsigned char *)m->name, m->name_len))
		return appt_error_set(err, bad, "name",
		    "doit être un texte non vide d'au plus 200 octets");
	if (m->instructions_len > APPT_MOTIF_INSTRUCTIONS_MAX ||
	    (m->instructions_len > 0 &&
		(m->instructions == NULL ||
		    !utf8_text((const unsigned char *)m->instructions,
			m->instructions_len))))
		return appt_error_set(err, bad, "instructions",
		    "doit être un texte d'au plus 4000 octets");
	if (m->duration_min < APPT_DURATION_MIN ||
	    m->duration_min > APPT_DURATION_MAX ||
	    m->duration_min % APPT_DURATION_STEP != 0)
		return appt_error_set(err, bad, "duration",
		    "doit être une durée entre 5 et 480 minutes, multiple de 5");
	if ((int)m->location < 0 || m->location >= APPT_LOCATION_COUNT)
		return appt_error_set(err, bad, "location",
		    "doit valoir place, phone ou home");
	if ((int)m->bookable < 0 || m->bookable >= APPT_BOOKABLE_COUNT)
		return appt_error_set(err, bad, "bookable",
		    "doit valoir agents ou online");
	if (m->min_delay_ms < 0 || m->min_delay_ms > APPT_MIN_DELAY_MAX_MS)
		return appt_error_set(err, bad, "min_delay",
		    "doit être un délai entre 0 et 90 jours");
	if (m->max_delay_ms <= m->min_delay_ms ||
	    m->max_delay_ms > APPT_MAX_DELAY_MAX_MS)
		return appt_error_set(err, bad, "max_delay",
		    "doit être supérieur au délai minimum, au plus 731 jours");
	if (m->deadline_ms < 0 || m->deadline_ms > APPT_DEADLINE_MAX_MS)
		return appt_error_set(err, bad, "deadline",
		    "doit être un délai entre 0 et 30 jours");
	if (m->collective != 0 && m->collective != 1)
		return appt_error_set(err, bad, "collective",
		    "doit valoir vrai ou faux");
	if (m->collective && m->location != APPT_AT_PLACE)
		return appt_error_set(err, bad, "collective",
		    "ne peut être vrai que pour un motif sur place");
	if (m->collective &&
	    (m->capacity < 2 || m->capacity > APPT_CAPACITY_MAX))
		return appt_error_set(err, bad, "capacity",
		    "doit être entre 2 et 500 pour un motif collectif");
	if (!m->collective && m->capacity != 0 && m->capacity != 1)
		return appt_error_set(err, bad, "capacity",
		    "doit valoir 0 ou 1 pour un motif individuel");
	return appt_error_set(err, APPT_OK, NULL, NULL);
}

enum appt_code
appt_motif_check_bookable(const struct appt_motif *m, enum appt_actor actor)
{
	if (m == NULL)
		return APPT_PARAMETRE_INVALIDE;
	if (actor == APPT_BY_USER && m->bookable != APPT_BOOKABLE_ONLINE)
		return APPT_MOTIF_NON_RESERVABLE_EN_LIGNE;
	return APPT_OK;
}
