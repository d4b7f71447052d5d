/*
 * neph.h - checks of the identifiers that arrive from outside: NEPH,
 * department code, licence category. Each takes pointer + length (the
 * bytes need not be NUL-terminated) and returns BK_OK or
 * BK_PARAMETRE_INVALIDE (422). Pure.
 */
#ifndef CRENEAU_BOOKING_NEPH_H
#define CRENEAU_BOOKING_NEPH_H

#include <stddef.h>

#include "booking/codes.h"

/* A NEPH is ASCII digits only, BK_NEPH_MIN (10) to BK_NEPH_MAX (19) of
 * them (12 in current practice). */
enum bk_code booking_neph_check(const char *s, size_t len);

/* A department code is "01".."95" except "20", "2A", "2B" (upper case) or
 * "971".."976". */
enum bk_code booking_department_check(const char *s, size_t len);

/*
 * A licence category group is one of AM, A1, A2, A, B1, B, BE, C1, C1E,
 * C, CE, D1, D1E, D, DE (upper case, exact).
 */
enum bk_code booking_category_check(const char *s, size_t len);

#endif
