/*
 * texts.h - the French words of notification emails.
 *
 * An email says what happened and points to the application for the
 * rest: its subject and body are built from the notice's kind and its
 * references only (exam, slot, basket and mandate numbers, a rule code,
 * dates), never from a name, a NEPH or an address, so the text carries no
 * more personal data than the notice itself.
 *
 * Parameters read from the notice (all optional): exam_id, slot_id,
 * basket_id, mandate_id (numbers or short strings), rule (a rule code),
 * starts_at and expires_at (milliseconds since the epoch, shown in
 * Europe/Paris time), or date ("YYYY-MM-DD") and time ("HH:MM").
 */
#ifndef CRENEAU_NOTIFY_TEXTS_H
#define CRENEAU_NOTIFY_TEXTS_H

#include <stddef.h>

#define NOTIFY_SUBJECT_MAX 160

/* The footer every email ends with: where to read the details. */
extern const char notify_text_footer[];

/* Returns 1 if notices of kind also go out by email, 0 if they stay in
 * the application (minor or already visible events, unknown kinds). */
int notify_text_emailed(const char *kind);

/*
 * Writes the subject (one line, UTF-8, NUL-terminated, at most
 * NOTIFY_SUBJECT_MAX bytes) and a malloc'ed body (UTF-8, lines ending in
 * \n, footer included; free() it) for a notice of kind with params (JSON
 * object text, NULL for none). Values taken from params are kept to
 * letters, digits and - _ . : / so no header or line can be forged.
 * Returns 0, 1 if kind is not emailed, or -1 (bad params, memory).
 */
int notify_text(const char *kind, const char *params, char *subject,
    size_t subject_len, char **body);

#endif
