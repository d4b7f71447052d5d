/*
 * clock.h - the time source everything that depends on time reads.
 *
 * Production uses the real UTC clock; tests inject a simulated clock they
 * move by hand, so expiry and retention are tested without sleeping.
 * Times are milliseconds since the Unix epoch, UTC.
 */
#ifndef CRENEAU_CLOCK_H
#define CRENEAU_CLOCK_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

struct clock {
	int simulated;
	_Atomic int64_t sim_ms; /* current time when simulated */
};

/* Returns the process-wide real clock. */
struct clock *clock_real(void);

/* Makes c a simulated clock standing at start_ms. */
void clock_sim_init(struct clock *c, int64_t start_ms);

/* Moves a simulated clock forward by ms (no effect on the real clock). */
void clock_sim_advance(struct clock *c, int64_t ms);

/* Returns the current time in milliseconds since the epoch, UTC. */
int64_t clock_now_ms(struct clock *c);

/* Formats ms as "YYYY-MM-DDTHH:MM:SSZ" into out (at least 21 bytes).
 * Returns 0, or -1 if the time cannot be represented. */
int clock_format_utc(int64_t ms, char *out, size_t outlen);

/* Parses "YYYY-MM-DDTHH:MM:SSZ" (UTC only). Returns 0, or -1 if the text
 * is not exactly that form or not a real date. */
int clock_parse_utc(const char *s, int64_t *ms);

#endif
