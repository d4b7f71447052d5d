/*
 * fault.h - why the storage of this thread last failed, when the cause is
 * one a caller answers differently: like errno, one value per thread.
 *
 * The store's drivers note these as they meet them (src/store/driver.h);
 * the HTTP layer reads them when a handler answers a server error, so the
 * client learns "try again in a moment" or "storage full" instead of a
 * bare 503 (src/http/response.c). The server clears it before each
 * request.
 */
#ifndef CRENEAU_FAULT_H
#define CRENEAU_FAULT_H

enum fault {
	FAULT_NONE = 0,
	/* The write lock stayed taken past [store] busy_timeout_ms. */
	FAULT_BUSY,
	/* No room left to write: disk full, quota, or a file size limit. */
	FAULT_FULL,
	/* The database reported damaged pages or failed its check. */
	FAULT_DAMAGED,
};

/* Notes f for this thread (FAULT_NONE is ignored; a later fault replaces
 * an earlier one, except that FAULT_DAMAGED stays until cleared). */
void fault_note(enum fault f);

/* This thread's fault since the last fault_clear(). */
enum fault fault_get(void);

void fault_clear(void);

#endif
