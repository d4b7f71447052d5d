/*
 * demo.h - the demo data set behind `creneau demo-data` and `make run`.
 *
 * Each module that has data to show adds its loader to the table in
 * demo.c. Loading is idempotent: a set already present is left alone.
 */
#ifndef CRENEAU_DEMO_H
#define CRENEAU_DEMO_H

#include <stdio.h>

#include "auth/auth.h"

/* Runs every module's demo loader; loaders print any credentials they
 * create to out. Returns 0, or -1 with a reason in err. */
int demo_load(const struct auth *a, FILE *out, char *err, size_t errlen);

/* The exam-booking data set (demo_booking.c): centres, a week of slots,
 * three schools, thirty candidates under mandate. Needs the identity set
 * first. Returns 0, or -1 with a reason in err. */
int demo_booking(const struct auth *a, FILE *out, char *err, size_t errlen);

/* Creates one account of org with role and prints its credentials (the
 * temporary password, shown once) to out. Returns 0, or -1 with a
 * reason in err. */
int demo_person(const struct auth *a, FILE *out, const char *org,
    const char *email, const char *name, const char *role, char *err,
    size_t errlen);

/* Finds the account id of email into id. Returns 0, or -1. */
int demo_account_of(const struct auth *a, const char *email,
    char id[AUTH_ID_HEX]);

/* The organisation side of appointments (demo_appt.c): a department's
 * social services with three services, four places, ten agents (one
 * agent_admin) with weekly opening hours, motifs of each location type
 * and a collective one. Returns 0, or -1 with a reason in err. */
int demo_appt(const struct auth *a, FILE *out, char *err, size_t errlen);

/* The people's side of appointments (demo_appt_people.c): users and
 * relatives of that organisation and a month of appointments with its
 * social service's agents. Returns 0, or -1 with a reason in err. */
int demo_appt_people(const struct auth *a, FILE *out, char *err, size_t errlen);

#endif
