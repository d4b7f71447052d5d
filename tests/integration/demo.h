/*
 * demo.h - the real binary with its demo data, and some of the demo
 * accounts signed in as a person would (temporary password changed, TOTP
 * enrolled for staff): the set-up the HTTP tests of each module share.
 */
#ifndef CRENEAU_TEST_DEMO_H
#define CRENEAU_TEST_DEMO_H

#include <stddef.h>

#include "client.h"
#include "harness.h"

/* One demo account: set email and mfa, demo_start fills the rest. */
struct demo_account {
	const char *email;
	int mfa; /* staff enrol TOTP; a candidate does not */
	char temp[64]; /* the temporary password demo-data printed */
	char pw[96]; /* the one it was changed to */
	struct client c; /* signed in */
};

/*
 * Runs `creneau demo-data` on srv's database (in a new temporary
 * directory), starts the server and signs in the n accounts. Returns 0,
 * or -1 (the step that failed is printed).
 */
int demo_start(struct proc *srv, struct demo_account *const *accounts,
    size_t n);

/* The same, the server started with srv_env too (NULL-terminated
 * "CRENEAU_..=value" list, may be NULL). */
int demo_start_env(struct proc *srv, const char *const *srv_env,
    struct demo_account *const *accounts, size_t n);

/* The same on port (0: a free one), for a test whose srv_env names the
 * server's own address. */
int demo_start_on(struct proc *srv, int port, const char *const *srv_env,
    struct demo_account *const *accounts, size_t n);

/* Frees the accounts' clients, stops the server, removes its directory. */
void demo_stop(struct proc *srv, struct demo_account *const *accounts,
    size_t n);

#endif
