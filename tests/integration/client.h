/*
 * client.h - a browser-like HTTP client for the identity tests: keeps its
 * cookies, sends the XSRF token header on state-changing requests, and
 * can pass TOTP with the secret it saw at enrolment.
 */
#ifndef CRENEAU_CLIENT_H
#define CRENEAU_CLIENT_H

#include <stddef.h>

#include <curl/curl.h>
#include <jansson.h>

struct client {
	CURL *curl;
	int port;
	char secret_b32[128]; /* TOTP secret from the otpauth URI */
	long status;
	char body[262144]; /* a whole register fits */
	size_t body_len;
	char headers[8192];
	/* One more request header line ("Name: value") sent with every
	 * call while set; NULL: none. */
	const char *extra_header;
};

/* A fresh client (empty cookie jar) for port. */
void client_init(struct client *c, int port);
void client_free(struct client *c);

/* Makes c connect from local address ip (a 127.0.0.0/8 address, so a
 * test plays several sources on one machine). Returns 0 or -1. */
int client_source(struct client *c, const char *ip);

/* Sends method path with body (JSON text or NULL); a path that starts
 * with http:// is a whole URL (another server, e.g. an OpenID provider). Fills
 * status, body and headers. Returns the status, -1 on transport failure. */
long client_call(struct client *c, const char *method, const char *path,
    const char *json);

/* As client_call, with a body of len bytes of Content-Type type (a CSV
 * file, a document). */
long client_send(struct client *c, const char *method, const char *path,
    const char *type, const void *body, size_t len);

/* Parses the last body as JSON (new reference) or NULL. */
json_t *client_json(const struct client *c);

/* The value of the last response's "code" member, or "" (static). */
const char *client_code(const struct client *c);

/* The current value of cookie name in the jar, copied into out. Returns 0
 * or -1. */
int client_cookie(struct client *c, const char *name, char *out, size_t outlen);

/* Computes the current TOTP code of c->secret_b32 at time now_s + skew*30
 * into out (7 bytes). Returns 0 or -1. */
int client_totp(const struct client *c, long skew, char out[7]);

/*
 * Signs in as a new account (temporary password), changes the password to
 * new_pw, and, when mfa is set, enrols TOTP and confirms it. Returns 0 or
 * -1 (the step that failed is printed).
 */
int client_onboard(struct client *c, const char *email, const char *temp_pw,
    const char *new_pw, int mfa);

#endif
