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

#endif
