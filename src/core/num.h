/*
 * num.h - checked number parsing (atoi and friends are banned: they cannot
 * report garbage or overflow).
 */
#ifndef CRENEAU_NUM_H
#define CRENEAU_NUM_H

#include <stdint.h>

/* Parses a whole decimal number, optional leading '-', nothing else, within
 * [min, max]. Returns 0, or -1 on empty text, junk, overflow or range. */
int num_parse_long(const char *s, long min, long max, long *out);

/* Same for 64-bit values. */
int num_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out);

#endif
