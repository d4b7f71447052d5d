/*
 * limits.h - every hard limit of Créneau in one place.
 *
 * A limit that protects the server (memory, time, connections) lives here so
 * that a reviewer can see all of them at once; the configurable ones have
 * their default here and their bounds checked in config.c.
 */
#ifndef CRENEAU_LIMITS_H
#define CRENEAU_LIMITS_H

/* HTTP: defaults of the [http] configuration keys. */
#define LIMIT_HTTP_BODY_DEFAULT (1024 * 1024) /* bytes of request body */
#define LIMIT_HTTP_BODY_MAX (64 * 1024 * 1024) /* highest value allowed */
#define LIMIT_HTTP_HEADER_DEFAULT (32 * 1024) /* bytes of request head */
#define LIMIT_HTTP_HEADER_MIN (4 * 1024)
#define LIMIT_HTTP_HEADER_MAX (1024 * 1024)
#define LIMIT_HTTP_TIMEOUT_DEFAULT 30 /* seconds idle per connection */
#define LIMIT_HTTP_PER_IP_DEFAULT 64 /* connections per client IP */
#define LIMIT_HTTP_CONNECTIONS_DEFAULT 1024 /* connections in all */
#define LIMIT_HTTP_THREADS_DEFAULT 4
#define LIMIT_HTTP_THREADS_MAX 256
/* [store] pool_size: PostgreSQL connections one instance opens at most
 * (one per HTTP worker thread, the job thread and the command). */
#define LIMIT_STORE_POOL_MAX 1024
/* Threads beside the HTTP workers that may hold a store connection: the
 * main thread, the job thread, the outbox sender, one spare. */
#define LIMIT_STORE_POOL_SPARE 4
#define LIMIT_HTTP_SHUTDOWN_DEFAULT 30 /* seconds to finish in-flight */

/*
 * Near [http] max_connections: once this percentage of it is open, each
 * new connection closes the connections idle the longest (none with a
 * request in progress), so idle sockets cannot keep new clients out.
 */
#define LIMIT_HTTP_IDLE_HIGH_PERCENT 90
/* ... if idle this long at least (ms); at the limit itself, any idle one. */
#define LIMIT_HTTP_IDLE_MIN_MS 1000

/*
 * A body a little over the cap is read to its end before the 413 goes out,
 * so the client, still sending, reads the answer instead of a reset. Past
 * this many times the cap the connection is answered and closed at once.
 */
#define LIMIT_HTTP_DRAIN_FACTOR 4

/* Paths: segments and their decoded length. */
#define LIMIT_PATH_SEGMENTS 16
#define LIMIT_PATH_SEGMENT_BYTES 256
#define LIMIT_PATH_PARAMS 8
#define LIMIT_QUERY_VALUE_BYTES 1024

/* Responses: extra headers a handler may add. */
#define LIMIT_RESPONSE_HEADERS 16

/* JSON: nesting depth jansson accepts is its own (2048); ours is lower. */
#define LIMIT_JSON_DEPTH 32
#define LIMIT_JSON_STRING_BYTES (64 * 1024)

/* Logging: one line never exceeds this, escaping included. */
#define LIMIT_LOG_LINE 2048

/* Configuration. */
#define LIMIT_CONFIG_VALUE_BYTES 4096
#define LIMIT_CONFIG_FILE_BYTES (256 * 1024)

/* Store. */
#define LIMIT_STORE_BUSY_MS_DEFAULT 5000
#define LIMIT_STORE_PARAMS 32
/* The start-up check of every page stops after this long (a large
 * database then starts unchecked, with a warning). */
#define LIMIT_STORE_CHECK_MS 20000
/* Retry-After of the answers to a request the store could not take:
 * write lock busy past the timeout, no room left to write, damaged. */
#define LIMIT_RETRY_BUSY_S 2
#define LIMIT_RETRY_FULL_S 300

/*
 * The school-side API's rate limits (RULES.md, the partner API's
 * published figures): calls per minute per school and per employee,
 * defaults of [ratelimit]; the keys one instance keeps in memory (about
 * 48 bytes each; idle keys are reused, then the oldest window goes).
 */
#define LIMIT_RATELIMIT_SCHOOL_DEFAULT 600
#define LIMIT_RATELIMIT_EMPLOYEE_DEFAULT 210
#define LIMIT_RATELIMIT_MAX 1000000
#define LIMIT_RATELIMIT_WINDOW_MS 60000
#define LIMIT_RATELIMIT_KEYS 32768

/* Jobs. */
#define LIMIT_JOBS 32
#define LIMIT_JOB_NAME 48

/*
 * Appointments: agent-slot pairs one free-slot answer may hold (16 bytes
 * each in the sweep, 32 in the answer: 4 Mi pairs is about 200 MiB at
 * worst; a month for 300 agents is about 25 Ki), and the appointments
 * overlapping one slot at one place that the room check sweeps on the
 * stack (beyond it, the place answers full).
 */
#define LIMIT_APPT_SLOTS (4 * 1024 * 1024)
#define LIMIT_APPT_PLACE_SWEEP 512

#endif
