/*
 * smtp.h - one email to an SMTP server, with libcurl.
 *
 * smtp_message() writes the RFC 5322 message (Date, Message-ID, From, To,
 * a Subject encoded per RFC 2047, UTF-8 text in quoted-printable);
 * smtp_send() hands it to the server named by an smtp:// or smtps:// URL.
 * Errors are reported as libcurl's words and the server's reply code
 * only: never the address, never the text.
 */
#ifndef CRENEAU_NOTIFY_SMTP_H
#define CRENEAU_NOTIFY_SMTP_H

#include <stddef.h>
#include <stdint.h>

enum smtp_tls { SMTP_TLS_OFF, SMTP_TLS_TRY, SMTP_TLS_REQUIRED };

/* Where and how to send. Borrowed strings. */
struct smtp_config {
	const char *url; /* smtp://host:port or smtps://host:port */
	const char *from; /* the sender's address */
	enum smtp_tls starttls; /* on smtp:// */
	const char *username; /* NULL or "": no authentication */
	const char *password;
	long timeout_s; /* whole exchange */
};

/* Parses "off", "try" or "required". Returns 0 or -1. */
int smtp_tls_parse(const char *s, enum smtp_tls *out);

/*
 * Writes the message from cfg_from to to with subject and body (UTF-8,
 * lines ending in \n) dated now_ms into a malloc'ed buffer *out of *len
 * bytes (free() it; it holds the address and text: wipe first). Returns 0,
 * or -1 (a header value holding a line break, memory).
 */
int smtp_message(const char *from, const char *to, const char *subject,
    const char *body, int64_t now_ms, char **out, size_t *len);

/* The same with ics (iCalendar text, or NULL: none) attached as
 * rendez-vous.ics (text/calendar with the method the file declares, in
 * base64) after the text, in a multipart/mixed message. */
int smtp_message_ics(const char *from, const char *to, const char *subject,
    const char *body, const char *ics, int64_t now_ms, char **out, size_t *len);

/*
 * Sends msg (len bytes) to to through cfg. Returns 0 when the server
 * accepted it, or -1 with a short reason in err (libcurl's message and
 * the server's last reply code; no personal data).
 */
int smtp_send(const struct smtp_config *cfg, const char *to, const char *msg,
    size_t len, char *err, size_t errlen);

#endif
