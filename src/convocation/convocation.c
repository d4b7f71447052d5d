/* convocation.c - what every form of the convocation says. */
#include "convocation/convocation.h"

#include <inttypes.h>
#include <stdio.h>

#include "booking/caltime.h"

const char *const convocation_bring[] = {
	"une pièce d'identité en cours de validité (carte nationale "
	"d'identité, passeport ou titre de séjour) ;",
	"cette convocation, imprimée ou sur votre téléphone ;",
	"pour l'épreuve pratique, le véhicule est celui de votre auto-école : "
	"retrouvez votre enseignant sur place ;",
	"présentez-vous au moins 15 minutes avant l'heure de l'examen.",
	NULL,
};

void
convocation_when(char *out, size_t outlen, int64_t ms)
{
	static const char *const days[] = { "dimanche", "lundi", "mardi",
		"mercredi", "jeudi", "vendredi", "samedi" };
	static const char *const months[] = { "janvier", "février", "mars",
		"avril", "mai", "juin", "juillet", "août", "septembre",
		"octobre", "novembre", "décembre" };
	int64_t rest, y,
	    d = caltime_day_split(ms + caltime_paris_offset_ms(ms), &rest);
	int m, day;

	caltime_civil_from_days(d, &y, &m, &day);
	/* 1970-01-01 was a Thursday. */
	snprintf(out, outlen, "%s %d %s %" PRId64 " à %02d h %02d",
	    days[((d % 7) + 11) % 7], day, months[m - 1], y,
	    (int)(rest / 3600000), (int)(rest / 60000 % 60));
}
