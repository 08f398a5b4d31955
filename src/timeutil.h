/*
 * timeutil.h - ISO 8601 timestamps and the clock.
 *
 * Timestamps are written as UTC "YYYY-MM-DDTHH:MM:SSZ". The clock can be
 * pinned for tests with $TAMIS_TIME_NOW (an ISO 8601 timestamp or a number of
 * seconds since the epoch), like tig's TEST_TIME_NOW.
 */
#ifndef TAMIS_TIMEUTIL_H
#define TAMIS_TIMEUTIL_H

#include <stdbool.h>
#include <time.h>

#define ISO8601_LEN 20 /* "2019-06-28T10:12:00Z" */

/*
 * Parses "YYYY-MM-DDTHH:MM:SS" followed by "Z" or "+HH:MM"/"-HH:MM" (a space
 * may replace the T, fractional seconds are accepted and dropped), or a bare
 * "YYYY-MM-DD" (midnight UTC). Returns false on anything else.
 */
bool iso8601_parse(const char *s, time_t *out);
/* Writes t as "YYYY-MM-DDTHH:MM:SSZ" plus NUL. */
void iso8601_format(time_t t, char out[ISO8601_LEN + 1]);
/* Now, or $TAMIS_TIME_NOW when set and valid. */
time_t clock_now(void);

#endif
