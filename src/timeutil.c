#include "timeutil.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads exactly n digits at *s, advancing it. */
static bool iso8601_digits(const char **s, int n, int *out)
{
	int v = 0;

	while (n--) {
		if (!isdigit((unsigned char)**s))
			return false;
		v = v * 10 + (**s - '0');
		(*s)++;
	}
	*out = v;
	return true;
}

bool iso8601_parse(const char *s, time_t *out)
{
	struct tm tm;
	int year, mon, day, hour = 0, min = 0, sec = 0, oh = 0, om = 0, sign = 0;
	time_t t;

	memset(&tm, 0, sizeof(tm));
	if (!iso8601_digits(&s, 4, &year) || *s++ != '-' || !iso8601_digits(&s, 2, &mon) ||
	    *s++ != '-' || !iso8601_digits(&s, 2, &day))
		return false;
	if (*s) {
		if (*s != 'T' && *s != 't' && *s != ' ')
			return false;
		s++;
		if (!iso8601_digits(&s, 2, &hour) || *s++ != ':' || !iso8601_digits(&s, 2, &min) ||
		    *s++ != ':' || !iso8601_digits(&s, 2, &sec))
			return false;
		if (*s == '.') {
			s++;
			if (!isdigit((unsigned char)*s))
				return false;
			while (isdigit((unsigned char)*s))
				s++;
		}
		if (*s == 'Z' || *s == 'z') {
			s++;
		} else if (*s == '+' || *s == '-') {
			sign = *s++ == '-' ? -1 : 1;
			if (!iso8601_digits(&s, 2, &oh))
				return false;
			if (*s == ':')
				s++;
			if (!iso8601_digits(&s, 2, &om))
				return false;
		} else {
			return false;
		}
		if (*s)
			return false;
	}
	if (mon < 1 || mon > 12 || day < 1 || day > 31 || hour > 23 || min > 59 || sec > 60 ||
	    oh > 23 || om > 59)
		return false;
	tm.tm_year = year - 1900;
	tm.tm_mon = mon - 1;
	tm.tm_mday = day;
	tm.tm_hour = hour;
	tm.tm_min = min;
	tm.tm_sec = sec;
	t = timegm(&tm);
	/* timegm normalises 31 February into March: refuse such dates. */
	if (tm.tm_mday != day || tm.tm_mon != mon - 1)
		return false;
	*out = t - sign * (oh * 3600 + om * 60);
	return true;
}

void iso8601_format(time_t t, char out[ISO8601_LEN + 1])
{
	struct tm tm;

	if (!gmtime_r(&t, &tm) || tm.tm_year < -1900 || tm.tm_year > 9999 - 1900) {
		strcpy(out, "1970-01-01T00:00:00Z");
		return;
	}
	strftime(out, ISO8601_LEN + 1, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

time_t clock_now(void)
{
	const char *env = getenv("TAMIS_TIME_NOW");
	time_t t;
	char *end;
	long long v;

	if (env && *env) {
		if (iso8601_parse(env, &t))
			return t;
		v = strtoll(env, &end, 10);
		if (!*end)
			return (time_t)v;
	}
	return time(NULL);
}
