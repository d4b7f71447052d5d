/*
 * rights_dossier.h - the encrypted dossiers in the export of a person's
 * data (gdpr/rights.c).
 */
#ifndef CRENEAU_RIGHTS_DOSSIER_H
#define CRENEAU_RIGHTS_DOSSIER_H

#include "gdpr/rights_booking.h"

struct store_conn;

/* Adds to x the dossiers of x->id. Returns 0 or -1. */
int rights_dossier_export(struct rights_exp *x, struct store_conn *c);

#endif
