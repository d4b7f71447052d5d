/*
 * appt_directory.h - the public directory of online booking: which
 * organisations a person of a postcode or department can book with.
 */
#ifndef CRENEAU_SVC_APPT_DIRECTORY_H
#define CRENEAU_SVC_APPT_DIRECTORY_H

#include <stddef.h>

#include "appointments/appt_area.h"
#include "service/service.h"
#include "store/identity.h"

#define SVC_APPT_DIR_ORGS_MAX 50 /* organisations in one answer */
#define SVC_APPT_DIR_PLACES_MAX 8 /* places shown under each */
#define SVC_APPT_DIR_TEXT_MAX 256

struct svc_appt_dir_place {
	char name[SVC_APPT_DIR_TEXT_MAX];
	char address[SVC_APPT_DIR_TEXT_MAX];
};

struct svc_appt_dir_org {
	char id[STORE_ID_MAX];
	char name[STORE_ORG_NAME_MAX];
	int match; /* 2: a place at the postcode asked, 1: in the department */
	size_t n_places;
	struct svc_appt_dir_place places[SVC_APPT_DIR_PLACES_MAX];
};

/*
 * Fills out (room for max) with the active organisations that book
 * online and have a place in area's department, those with a place at
 * area's postcode first, then by name; under each, its places in the
 * department. *n is how many. One read transaction. Returns 0 or -1.
 */
int svc_appt_directory(const struct svc *s, const struct appt_area *area,
    struct svc_appt_dir_org *out, size_t max, size_t *n);

/* Copies the name of organisation org_id to name when it is one that
 * takes appointments (kind service): the public booking pages show whom
 * one books with. Returns 0, 1 when there is none, or -1. */
int svc_appt_org_name(const struct svc *s, const char *org_id,
    char name[STORE_ORG_NAME_MAX]);

#endif
