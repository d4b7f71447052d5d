/*
 * log.h - operational logging.
 *
 * Operational logs carry no personal data, no secrets and no tokens: callers
 * log identifiers and counts, never names, NEPH, emails, IPs or bodies. Every
 * line is escaped on the way out, so a control character in a message (a
 * newline from a client, say) can never forge a second line.
 */
#ifndef CRENEAU_LOG_H
#define CRENEAU_LOG_H

#include <stddef.h>

enum log_level { LOG_DEBUG = 0, LOG_INFO = 1, LOG_WARN = 2, LOG_ERROR = 3 };

/* Sets the lowest level written. Thread-safe. */
void log_set_level(enum log_level level);

/* Parses "debug", "info", "warn" or "error". Returns 0, or -1 if unknown. */
int log_level_parse(const char *s, enum log_level *out);

/* Sends log lines to fd (default 2). For tests. */
void log_set_fd(int fd);

/* Writes one line "TIME LEVEL message" if level is enabled. The message is
 * formatted, then escaped and cut at LIMIT_LOG_LINE. Never fails visibly. */
void log_write(enum log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#define log_debug(...) log_write(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_write(LOG_INFO, __VA_ARGS__)
#define log_warnx(...) log_write(LOG_WARN, __VA_ARGS__)
#define log_errorx(...) log_write(LOG_ERROR, __VA_ARGS__)

/*
 * Copies src (n bytes) into dst (size dstlen, always NUL-terminated when
 * dstlen > 0), replacing control characters (C0, DEL, C1) and backslash by \xNN
 * or
 * \\ escapes and invalid UTF-8 bytes by \xNN. Returns the number of bytes
 * written, NUL excluded; output that does not fit is cut on an escape
 * boundary.
 */
size_t log_escape(char *dst, size_t dstlen, const char *src, size_t n);

#endif
