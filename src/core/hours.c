/*
 * hours.c: business hours, as bot-hours and business-hours write them:
 * "DAYS HH:MM-HH:MM" periods then, optionally, an IANA time zone. Whether
 * a moment is inside them (the bot's hours), and how many seconds of a
 * span are (the service level's clock, which stops at night and on
 * weekends).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Day names, English and French, by tm_wday. */
static const char *const hours_days[][2] = {
	{ "sun", "dim" }, { "mon", "lun" }, { "tue", "mar" }, { "wed", "mer" },
	{ "thu", "jeu" }, { "fri", "ven" }, { "sat", "sam" }
};

/* A day name's tm_wday, or -1. */
static int
hours_day(const char *s, size_t len)
{
	int	i;

	for (i = 0; i < 7; i++) {
		if ((strlen(hours_days[i][0]) == len &&
		    strncmp(s, hours_days[i][0], len) == 0) ||
		    (strlen(hours_days[i][1]) == len &&
		    strncmp(s, hours_days[i][1], len) == 0))
			return i;
	}
	return -1;
}

/* "mon-sat", "mon,wed,fri-sun": 0 and *days as a mask, or -1. A range
 * may wrap around the week (sat-mon). */
static int
hours_parse_days(const char *word, unsigned *days)
{
	const char	*item = word, *end, *dash;
	int		 from, to;

	*days = 0;
	for (;;) {
		end = strchr(item, ',');
		if (end == NULL)
			end = item + strlen(item);
		dash = memchr(item, '-', end - item);
		if (dash == NULL) {
			if ((from = hours_day(item, end - item)) == -1)
				return -1;
			to = from;
		} else {
			from = hours_day(item, dash - item);
			to = hours_day(dash + 1, end - dash - 1);
			if (from == -1 || to == -1)
				return -1;
		}
		for (;;) {
			*days |= 1u << from;
			if (from == to)
				break;
			from = (from + 1) % 7;
		}
		if (*end == '\0')
			return 0;
		item = end + 1;
	}
}

/* "09:00-18:00" (the end may be 24:00): 0 and minutes, or -1. */
static int
hours_parse_times(const char *word, int *start, int *end)
{
	int	h1, m1, h2, m2, used = -1;

	if (sscanf(word, "%2d:%2d-%2d:%2d%n", &h1, &m1, &h2, &m2,
	    &used) != 4 || used < 0 || word[used] != '\0')
		return -1;
	if (h1 < 0 || h1 > 23 || m1 < 0 || m1 > 59 || h2 < 0 || h2 > 24 ||
	    m2 < 0 || m2 > 59 || (h2 == 24 && m2 != 0))
		return -1;
	*start = h1 * 60 + m1;
	*end = h2 * 60 + m2;
	return 0;
}

/*
 * Is zone a time zone of the system's database? glibc's tzset() takes an
 * unknown name silently as UTC, so the file is looked for instead.
 */
static int
hours_zone_valid(const char *zone)
{
	struct stat	 sb;
	const char	*dir, *p;
	char		*path;
	int		 ok;

	if (*zone == '\0' || *zone == '/' || strstr(zone, "..") != NULL)
		return 0;
	for (p = zone; *p != '\0'; p++) {
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789/_+-", *p) == NULL)
			return 0;
	}
	if ((dir = getenv("TZDIR")) == NULL || *dir == '\0')
		dir = "/usr/share/zoneinfo";
	path = xasprintf("%s/%s", dir, zone);
	ok = stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
	free(path);
	return ok;
}

int
hours_parse(const char *spec, struct hours *h, char **cause)
{
	struct hours_period	*periods = NULL;
	size_t			 n = 0;
	char			*copy, *word, *next, *last, *zone = NULL;
	unsigned		 days;
	int			 start, end;

	copy = xstrdup(spec);
	word = strtok_r(copy, " \t", &last);
	if (word == NULL) {
		*cause = xstrdup(_("empty hours (DAYS HH:MM-HH:MM [ZONE])"));
		goto fail;
	}
	while (word != NULL) {
		next = strtok_r(NULL, " \t", &last);
		if (hours_parse_days(word, &days) != 0) {
			/* After a period, the last word may be the zone. */
			if (n > 0 && next == NULL) {
				if (strncmp(word, "tz=", 3) == 0)
					word += 3;
				if (!hours_zone_valid(word)) {
					*cause = xasprintf(_("unknown time zone "
					    "'%s'"), word);
					goto fail;
				}
				zone = xstrdup(word);
				break;
			}
			*cause = xasprintf(_("unknown day '%s' in '%s' (mon, "
			    "tue, ... sun, or ranges such as mon-sat)"), word,
			    spec);
			goto fail;
		}
		if (next == NULL) {
			*cause = xasprintf(_("'%s': days without hours "
			    "(HH:MM-HH:MM)"), spec);
			goto fail;
		}
		if (hours_parse_times(next, &start, &end) != 0) {
			*cause = xasprintf(_("bad hours '%s' (HH:MM-HH:MM)"),
			    next);
			goto fail;
		}
		if (end <= start) {
			*cause = xasprintf(_("hours '%s' end before they start "
			    "(past midnight is two periods: ... 22:00-24:00 "
			    "... 00:00-06:00)"), next);
			goto fail;
		}
		periods = xreallocarray(periods, n + 1, sizeof *periods);
		periods[n].days = days;
		periods[n].start = start;
		periods[n].end = end;
		n++;
		word = strtok_r(NULL, " \t", &last);
	}
	free(copy);
	h->spec = xstrdup(spec);
	h->periods = periods;
	h->n = n;
	h->zone = zone;
	return 0;

fail:
	free(periods);
	free(copy);
	return -1;
}

void
hours_free(struct hours *h)
{
	free(h->spec);
	free(h->periods);
	free(h->zone);
	memset(h, 0, sizeof *h);
}

/*
 * The C library converts only through the TZ variable, so it is set for
 * the calls and put back: that is process-global, and right only because
 * ombre's processes have one thread. Returns the old value to give
 * hours_zone_end (allocated, or NULL when TZ was unset); *had says which.
 */
static char *
hours_zone_begin(const char *zone, int *had)
{
	char	*old = NULL;

	*had = 0;
	if (zone == NULL)
		return NULL;
	if ((*had = getenv("TZ") != NULL))
		old = xstrdup(getenv("TZ"));
	setenv("TZ", zone, 1);
	tzset();
	return old;
}

static void
hours_zone_end(const char *zone, char *old, int had)
{
	if (zone == NULL)
		return;
	if (had)
		setenv("TZ", old, 1);
	else
		unsetenv("TZ");
	tzset();
	free(old);
}

/* Is minute (after midnight) of day wday inside a period? */
static int
hours_inside(const struct hours *h, int wday, int minute)
{
	size_t	i;

	for (i = 0; i < h->n; i++) {
		if ((h->periods[i].days & (1u << wday)) &&
		    minute >= h->periods[i].start &&
		    minute < h->periods[i].end)
			return 1;
	}
	return 0;
}

int
hours_open(const struct hours *h, int64_t now)
{
	struct tm	 tm;
	time_t		 t = (time_t)now;
	char		*old;
	int		 had;

	if (h == NULL || h->n == 0)
		return 1;
	old = hours_zone_begin(h->zone, &had);
	localtime_r(&t, &tm);
	hours_zone_end(h->zone, old, had);
	return hours_inside(h, tm.tm_wday, tm.tm_hour * 60 + tm.tm_min);
}

/*
 * The open seconds of [from, to), the zone already set. It steps from one
 * edge of a period to the next, never past the next wall-clock hour: a
 * change of offset (summer time) falls on an hour, so within a step the
 * wall clock and the epoch move together, and the step lands on the
 * right side of the change.
 */
static int64_t
hours_walk(const struct hours *h, int64_t from, int64_t to)
{
	struct tm	tm;
	time_t		t;
	int64_t		at = from, total = 0, end, step;
	int		minute, next;
	size_t		i;

	while (at < to) {
		t = (time_t)at;
		localtime_r(&t, &tm);
		minute = tm.tm_hour * 60 + tm.tm_min;
		next = (tm.tm_hour + 1) * 60;
		for (i = 0; i < h->n; i++) {
			if (!(h->periods[i].days & (1u << tm.tm_wday)))
				continue;
			if (h->periods[i].start > minute &&
			    h->periods[i].start < next)
				next = h->periods[i].start;
			if (h->periods[i].end > minute &&
			    h->periods[i].end < next)
				next = h->periods[i].end;
		}
		step = (int64_t)(next - minute) * 60 - tm.tm_sec;
		if (step <= 0)
			step = 1;
		end = at + step > to ? to : at + step;
		if (hours_inside(h, tm.tm_wday, minute))
			total += end - at;
		at = end;
	}
	return total;
}

/*
 * The seconds of [from, to) inside the hours (all of them without
 * hours). A span of more than two weeks counts its whole weeks as its
 * first one: exact to the second but for a change of offset in them,
 * and the walk stays short for a customer forgotten a month.
 */
int64_t
hours_between(const struct hours *h, int64_t from, int64_t to)
{
	int64_t	 total = 0, week = -1;
	char	*old;
	int	 had;

	if (to <= from)
		return 0;
	if (h == NULL || h->n == 0)
		return to - from;
	old = hours_zone_begin(h->zone, &had);
	while (to - from > 14 * 86400) {
		if (week == -1)
			week = hours_walk(h, from, from + 7 * 86400);
		total += week;
		from += 7 * 86400;
	}
	total += hours_walk(h, from, to);
	hours_zone_end(h->zone, old, had);
	return total;
}
