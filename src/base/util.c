/*
 * util.c: time, directories and processes.
 *
 * Dates are computed with integer civil-calendar arithmetic (Howard
 * Hinnant's days_from_civil), never with mktime() and a TZ variable, so
 * the results depend neither on the machine's time zone nor on what the
 * C library does with it.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "base/base.h"

#include <sys/stat.h>
#include <sys/wait.h>

#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define UTIL_DAY	86400
#define UTIL_WEEK	(7 * UTIL_DAY)

/*
 * Return the day number (0 is 1970-01-01) of a proleptic Gregorian date;
 * valid for every year an int64_t of days can hold. The year is shifted to
 * start in March so the leap day is the last of its year.
 */
static int64_t
util_days_from_civil(int64_t y, int m, int d)
{
	int64_t		era;
	unsigned	yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);			/* [0, 399] */
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;	/* [0, 365] */
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;		/* [0, 146096] */
	return era * 146097 + (int64_t)doe - 719468;
}

/* The inverse of util_days_from_civil(). */
static void
util_civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t		era;
	unsigned	doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);			/* [0, 146096] */
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);		/* [0, 365] */
	mp = (5 * doy + 2) / 153;				/* [0, 11] */
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static int
util_is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
util_days_in_month(int64_t y, int m)
{
	static const int	days[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m == 2 && util_is_leap(y))
		return 29;
	return days[m - 1];
}

/*
 * Read exactly n decimal digits at *sp into *value and move *sp past them.
 * Return 0, or -1 if there are fewer than n digits.
 */
static int
util_digits(const char **sp, int n, int *value)
{
	const char	*s = *sp;
	int		 i;

	*value = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*value = *value * 10 + (s[i] - '0');
	}
	*sp = s + n;
	return 0;
}

/* Expect the character c at *sp and move past it. */
static int
util_expect(const char **sp, char c)
{
	if (**sp != c)
		return -1;
	(*sp)++;
	return 0;
}

/*
 * Parse an RFC 3339 date-time: YYYY-MM-DDTHH:MM:SS[.frac] then Z or
 * +HH:MM or -HH:MM, nothing before or after. A lower-case t or z and a
 * space for the T are accepted (RFC 3339 5.6 allows both). Every field is
 * range checked, the day against its month; second 60 (a leap second) is
 * accepted and counts as the first second of the next minute, as POSIX
 * time has no leap seconds. The fraction is dropped. "-00:00" is taken as
 * UTC. Store the time in *t and the offset east of UTC in seconds in
 * *utc_offset (either may be NULL); return 0, or -1 if malformed.
 */
int
util_parse_rfc3339(const char *s, int64_t *t, int *utc_offset)
{
	int	year, month, day, hour, minute, second;
	int	off_hour = 0, off_minute = 0, sign = 0, offset;
	int64_t	days;

	if (util_digits(&s, 4, &year) != 0 || util_expect(&s, '-') != 0 ||
	    util_digits(&s, 2, &month) != 0 || util_expect(&s, '-') != 0 ||
	    util_digits(&s, 2, &day) != 0)
		return -1;
	if (*s != 'T' && *s != 't' && *s != ' ')
		return -1;
	s++;
	if (util_digits(&s, 2, &hour) != 0 || util_expect(&s, ':') != 0 ||
	    util_digits(&s, 2, &minute) != 0 || util_expect(&s, ':') != 0 ||
	    util_digits(&s, 2, &second) != 0)
		return -1;
	if (*s == '.') {
		s++;
		if (*s < '0' || *s > '9')
			return -1;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	if (*s == 'Z' || *s == 'z')
		s++;
	else if (*s == '+' || *s == '-') {
		sign = *s++ == '+' ? 1 : -1;
		if (util_digits(&s, 2, &off_hour) != 0 ||
		    util_expect(&s, ':') != 0 ||
		    util_digits(&s, 2, &off_minute) != 0)
			return -1;
	} else
		return -1;
	if (*s != '\0')
		return -1;

	if (month < 1 || month > 12 ||
	    day < 1 || day > util_days_in_month(year, month) ||
	    hour > 23 || minute > 59 || second > 60 ||
	    off_hour > 23 || off_minute > 59)
		return -1;

	offset = sign * (off_hour * 3600 + off_minute * 60);
	days = util_days_from_civil(year, month, day);
	if (t != NULL) {
		*t = days * UTIL_DAY + hour * 3600 + minute * 60 + second -
		    offset;
	}
	if (utc_offset != NULL)
		*utc_offset = offset;
	return 0;
}

/*
 * Write t as RFC 3339 local time at utc_offset seconds east of UTC: "Z"
 * for offset 0, else "+HH:MM" or "-HH:MM". Seconds of the offset beyond
 * whole minutes are dropped (from the offset, not from the time shown); an
 * offset of a day or more is treated as 0. Years outside 0000-9999 are
 * printed as they are, which RFC 3339 cannot express.
 */
void
util_format_rfc3339(int64_t t, int utc_offset, char *out, size_t size)
{
	int64_t	local, days, secs, year;
	int	month, day, offset, a;

	if (utc_offset <= -UTIL_DAY || utc_offset >= UTIL_DAY)
		utc_offset = 0;
	offset = utc_offset / 60 * 60;
	if ((offset > 0 && t > INT64_MAX - offset) ||
	    (offset < 0 && t < INT64_MIN - offset))
		offset = 0;
	local = t + offset;

	days = local / UTIL_DAY;
	secs = local % UTIL_DAY;
	if (secs < 0) {
		secs += UTIL_DAY;
		days--;
	}
	util_civil_from_days(days, &year, &month, &day);

	if (offset == 0) {
		snprintf(out, size, "%04" PRId64 "-%02d-%02dT%02d:%02d:%02dZ",
		    year, month, day, (int)(secs / 3600),
		    (int)(secs / 60 % 60), (int)(secs % 60));
		return;
	}
	a = offset < 0 ? -offset : offset;
	snprintf(out, size,
	    "%04" PRId64 "-%02d-%02dT%02d:%02d:%02d%c%02d:%02d",
	    year, month, day, (int)(secs / 3600), (int)(secs / 60 % 60),
	    (int)(secs % 60), offset < 0 ? '-' : '+', a / 3600, a / 60 % 60);
}

/*
 * Return the time now, in seconds since the epoch. OMBRE_NOW, when set to
 * a decimal integer (seconds, may be negative) or an RFC 3339 date-time,
 * is returned instead, so tests and demo screens show the same ages on
 * every run. An OMBRE_NOW that is neither is ignored.
 */
int64_t
util_now(void)
{
	const char	*env;
	char		*end;
	long long	 value;
	int64_t		 t;

	env = getenv("OMBRE_NOW");
	if (env != NULL && *env != '\0') {
		errno = 0;
		value = strtoll(env, &end, 10);
		if (*end == '\0' && errno == 0 &&
		    ((*env >= '0' && *env <= '9') || *env == '-'))
			return value;
		if (util_parse_rfc3339(env, &t, NULL) == 0)
			return t;
	}
	return time(NULL);
}

/*
 * Make one directory, succeeding if a directory is already there. The
 * error of mkdir() is kept even when stat() is what says no (mkdir on a
 * read-only file system fails with EROFS for a directory that exists).
 */
static int
util_mkdir_one(const char *path, mode_t mode)
{
	struct stat	sb;
	int		saved_errno;

	if (mkdir(path, mode) == 0)
		return 0;
	saved_errno = errno;
	if (stat(path, &sb) == 0) {
		if (S_ISDIR(sb.st_mode))
			return 0;
		saved_errno = saved_errno == EEXIST ? ENOTDIR : saved_errno;
	}
	errno = saved_errno;
	return -1;
}

/*
 * Create path and any missing parents, like mkdir -p. The last directory
 * gets mode; parents get mode plus owner write and search, or the next
 * level could not be made in them. An existing directory is success; an
 * existing file of another type fails with ENOTDIR. Return 0, or -1 with
 * errno set.
 */
int
util_mkdir_p(const char *path, mode_t mode)
{
	char	*copy, *p;
	int	 error = 0;

	if (*path == '\0') {
		errno = ENOENT;
		return -1;
	}
	copy = xstrdup(path);
	for (p = copy + 1; *p != '\0'; p++) {
		if (*p != '/' || p[-1] == '/')
			continue;
		*p = '\0';
		if (util_mkdir_one(copy, mode | S_IWUSR | S_IXUSR) != 0) {
			error = errno;
			break;
		}
		*p = '/';
	}
	if (error == 0 && util_mkdir_one(copy, mode) != 0)
		error = errno;
	free(copy);
	if (error != 0) {
		errno = error;
		return -1;
	}
	return 0;
}

/*
 * Flush a directory's entries to disk, the step after rename() that makes
 * a new file's name durable. Return 0, or -1 with errno set.
 */
int
util_fsync_dir(const char *path)
{
	int	fd, saved_errno;

	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd == -1)
		return -1;
	if (fsync(fd) != 0) {
		saved_errno = errno;
		close(fd);
		errno = saved_errno;
		return -1;
	}
	close(fd);
	return 0;
}

int
util_share_is(const struct stat *sb)
{
	return S_ISDIR(sb->st_mode) && (sb->st_mode & 0070) != 0;
}

int
util_share_umask(const char *data_dir)
{
	struct stat	sb;

	if (stat(data_dir, &sb) != 0 || !util_share_is(&sb))
		return 0;
	umask(umask(0) & ~(mode_t)0070);
	return 1;
}

mode_t
util_share_mode(const char *data_dir, mode_t private_mode)
{
	struct stat	sb;

	if (stat(data_dir, &sb) != 0 || !util_share_is(&sb))
		return private_mode;
	if (private_mode & S_IXUSR)
		return (sb.st_mode & 07777) | S_IRWXU;
	return private_mode | ((private_mode & S_IRWXU) >> 3);
}

char *
util_share_problem(const char *path, const struct stat *sb, gid_t gid)
{
	struct group	*gr;
	char		 name[64], gname[64];
	mode_t		 need;
	int		 dir = S_ISDIR(sb->st_mode);

	if (S_ISLNK(sb->st_mode))
		return NULL;
	if ((gr = getgrgid(gid)) != NULL)
		snprintf(name, sizeof name, "%s", gr->gr_name);
	else
		snprintf(name, sizeof name, "%ld", (long)gid);
	if (sb->st_gid != gid) {
		if ((gr = getgrgid(sb->st_gid)) != NULL)
			snprintf(gname, sizeof gname, "%s", gr->gr_name);
		else
			snprintf(gname, sizeof gname, "%ld", (long)sb->st_gid);
		return xasprintf("%s: in the group %s, not the data dir's group "
		    "%s, who cannot write it", path, gname, name);
	}
	need = dir ? (S_IRWXG | S_ISGID) : (S_IRGRP | S_IWGRP);
	if ((sb->st_mode & need) == need)
		return NULL;
	if (dir && (sb->st_mode & S_IRWXG) == S_IRWXG) {
		return xasprintf("%s: mode %04o, not setgid: what is made in it "
		    "leaves the group %s", path, (unsigned)(sb->st_mode & 07777),
		    name);
	}
	return xasprintf("%s: mode %04o, the group %s cannot %s it", path,
	    (unsigned)(sb->st_mode & 07777), name, (sb->st_mode & S_IRGRP) ?
	    "write" : "read");
}

int
util_write_file(const char *dir, const char *name, const char *data,
    size_t len, mode_t mode)
{
	char	*path, *tmp;
	int	 fd, rc = -1, saved_errno;

	path = xasprintf("%s/%s", dir, name);
	tmp = xasprintf("%s/.%s.%ld.tmp", dir, name, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd != -1) {
		if (write(fd, data, len) == (ssize_t)len && fsync(fd) == 0) {
			rc = close(fd);
			fd = -1;
			if (rc == 0 && (rc = rename(tmp, path)) == 0)
				rc = util_fsync_dir(dir);
		}
		saved_errno = errno;
		if (fd != -1) {
			close(fd);
			rc = -1;
		}
		if (rc != 0)
			unlink(tmp);
		errno = saved_errno;
	}
	free(path);
	free(tmp);
	return rc;
}

uint64_t
util_hash64(const char *s)
{
	uint64_t	h = 1469598103934665603ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/*
 * Return 1 when a process with this pid exists, whether or not we may
 * signal it (EPERM means it exists and belongs to someone else). A pid of
 * 0 or less names a process group, not a process: 0.
 */
int
util_pid_alive(pid_t pid)
{
	if (pid <= 0)
		return 0;
	return kill(pid, 0) == 0 || errno == EPERM;
}

static void util_format_age_in(int64_t, char *, size_t, int);

/*
 * Write a short age, one unit, rounded down: seconds under a minute, then
 * minutes, hours, days under two weeks, then weeks. A negative duration
 * (a clock that stepped back) is "0s". The unit is the user's language's
 * (French "3j"), in at most the 4 columns of list's age.
 */
void
util_format_age(int64_t seconds, char *out, size_t size)
{
	util_format_age_in(seconds, out, size, 1);
}

/* The same in C, whatever the locale: for JSON and stored text. */
void
util_format_age_c(int64_t seconds, char *out, size_t size)
{
	util_format_age_in(seconds, out, size, 0);
}

static void
util_format_age_in(int64_t seconds, char *out, size_t size, int translated)
{
	long long	value;

	if (seconds < 0)
		seconds = 0;
	if (seconds < 60) {
		value = seconds;
		/* TRANSLATORS: an age in seconds, 4 columns at most. */
		snprintf(out, size, translated ? _("%llds") : "%llds", value);
	} else if (seconds < 3600) {
		value = seconds / 60;
		/* TRANSLATORS: an age in minutes, 4 columns at most. */
		snprintf(out, size, translated ? _("%lldm") : "%lldm", value);
	} else if (seconds < UTIL_DAY) {
		value = seconds / 3600;
		/* TRANSLATORS: an age in hours, 4 columns at most. */
		snprintf(out, size, translated ? _("%lldh") : "%lldh", value);
	} else if (seconds < 2 * UTIL_WEEK) {
		value = seconds / UTIL_DAY;
		/* TRANSLATORS: an age in days, 4 columns at most. */
		snprintf(out, size, translated ? _("%lldd") : "%lldd", value);
	} else {
		value = seconds / UTIL_WEEK;
		/* TRANSLATORS: an age in weeks, 4 columns at most from 2
		 * to 999 weeks: one letter after the number. */
		snprintf(out, size, translated ? _("%lldw") : "%lldw", value);
	}
}

/*
 * Write how long something took or has been, for a sentence ("bob took
 * it 2 s ago"): seconds under two minutes, then minutes, hours under two
 * days, then days, in the user's language ("il y a 4 j").
 */
void
util_format_duration(int64_t secs, char *out, size_t size)
{
	if (secs < 0)
		secs = 0;
	if (secs < 120)
		snprintf(out, size, _("%lld s"), (long long)secs);
	else if (secs < 2 * 3600)
		snprintf(out, size, _("%lld min"), (long long)(secs / 60));
	else if (secs < 2 * 86400)
		snprintf(out, size, _("%lld h"), (long long)(secs / 3600));
	else
		snprintf(out, size, _("%lld d"), (long long)(secs / 86400));
}

/*
 * strftime in the C locale whatever LC_TIME says: text stored in the
 * Maildir (an event's "snoozed until Sat 21 Nov 09:00") reads the same
 * whoever's language wrote it. Returns strftime's length.
 */
size_t
util_strftime_c(char *out, size_t size, const char *fmt, const struct tm *tm)
{
	static locale_t	c;

	/* The C locale is always there: only memory can lack. */
	if (c == (locale_t)0 &&
	    (c = newlocale(LC_ALL_MASK, "C", (locale_t)0)) == (locale_t)0)
		fatal("util_strftime_c: newlocale");
	return strftime_l(out, size, fmt, tm, c);
}

/*
 * Write a count in at most four columns, rounded down so that it never
 * says more than there is: as it is under 1,000, then with one decimal
 * under 10 of a unit ("1.2k", "3M", the decimal left out when 0), then
 * whole ("25k", "475k", "12M"). A negative count is "0".
 */
void
util_format_count(long n, char *out, size_t size)
{
	static const char	 units[] = "kMGT";
	long			 div = 1000;
	size_t			 u;

	if (n < 0)
		n = 0;
	if (n < 1000) {
		snprintf(out, size, "%ld", n);
		return;
	}
	for (u = 0; u + 1 < sizeof units - 1 && n / div >= 1000; u++)
		div *= 1000;
	if (n / div < 10 && n / (div / 10) % 10 != 0)
		snprintf(out, size, "%ld.%ld%c", n / div, n / (div / 10) % 10,
		    units[u]);
	else
		snprintf(out, size, "%ld%c", n / div, units[u]);
}

/* Local midnight-based time: day offset from now's day, at hour:minute. */
static int64_t
util_local_at(int64_t now, int day_offset, int hour, int minute)
{
	struct tm	tm;
	time_t		t = (time_t)now;

	localtime_r(&t, &tm);
	tm.tm_mday += day_offset;
	tm.tm_hour = hour;
	tm.tm_min = minute;
	tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm);
}

/*
 * When "later" is: "30m", "1h", "4h", "2d", "1w" from now; "tomorrow"
 * (9:00) or "tomorrow HH:MM"; "next week" (next Monday 9:00); "HH:MM"
 * (today, or tomorrow once it has passed); "YYYY-MM-DD" (9:00) or
 * "YYYY-MM-DD HH:MM", local time; or an RFC 3339 date-time. Return 0 and
 * set *when (in the future), or -1.
 */
int
util_parse_when(const char *s, int64_t now, int64_t *when)
{
	struct tm	tm;
	time_t		t = (time_t)now;
	char		*end, unit;
	long		n;
	int		hour, minute, year, month, day, used, offset;

	while (*s == ' ')
		s++;
	n = strtol(s, &end, 10);
	if (end != s && n > 0 && n <= 10000 && end[0] != '\0' && end[1] == '\0' &&
	    strchr("mhdw", end[0]) != NULL) {
		unit = end[0];
		*when = now + n * (unit == 'm' ? 60 : unit == 'h' ? 3600 :
		    unit == 'd' ? 86400 : 7 * 86400);
		return 0;
	}
	if (strcmp(s, "tomorrow") == 0) {
		*when = util_local_at(now, 1, 9, 0);
		return 0;
	}
	if (sscanf(s, "tomorrow %d:%d%n", &hour, &minute, &used) == 2 &&
	    s[used] == '\0' && hour >= 0 && hour < 24 && minute >= 0 &&
	    minute < 60) {
		*when = util_local_at(now, 1, hour, minute);
		return 0;
	}
	if (strcmp(s, "next week") == 0) {
		localtime_r(&t, &tm);
		/* Days to next Monday (tm_wday 1), 1 to 7. */
		offset = (8 - tm.tm_wday) % 7;
		*when = util_local_at(now, offset == 0 ? 7 : offset, 9, 0);
		return 0;
	}
	if (sscanf(s, "%d:%d%n", &hour, &minute, &used) == 2 &&
	    s[used] == '\0' && hour >= 0 && hour < 24 && minute >= 0 &&
	    minute < 60) {
		*when = util_local_at(now, 0, hour, minute);
		if (*when <= now)
			*when = util_local_at(now, 1, hour, minute);
		return 0;
	}
	hour = 9;
	minute = 0;
	if ((sscanf(s, "%d-%d-%d%n", &year, &month, &day, &used) == 3 &&
	    s[used] == '\0') ||
	    (sscanf(s, "%d-%d-%d %d:%d%n", &year, &month, &day, &hour, &minute,
	    &used) == 5 && s[used] == '\0')) {
		if (month < 1 || month > 12 || day < 1 || day > 31 ||
		    hour < 0 || hour > 23 || minute < 0 || minute > 59)
			return -1;
		memset(&tm, 0, sizeof tm);
		tm.tm_year = year - 1900;
		tm.tm_mon = month - 1;
		tm.tm_mday = day;
		tm.tm_hour = hour;
		tm.tm_min = minute;
		tm.tm_isdst = -1;
		*when = (int64_t)mktime(&tm);
		return *when > now ? 0 : -1;
	}
	if (util_parse_rfc3339(s, when, &offset) == 0)
		return *when > now ? 0 : -1;
	return -1;
}

int64_t
util_clock_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
util_die_with_parent(pid_t parent)
{
#ifdef __linux__
	prctl(PR_SET_PDEATHSIG, SIGTERM);
#endif
	/* The parent may have died before the call above. */
	if (parent != 0 && getppid() != parent)
		_exit(0);
}

#define UTIL_RUN_CAP	(1024 * 1024)

/* Read what fd has into b (up to the cap, the rest dropped); 0 at EOF. */
static int
util_run_read(int fd, struct buf *b)
{
	char	chunk[4096];
	ssize_t	got;

	if ((got = read(fd, chunk, sizeof chunk)) <= 0)
		return got == -1 && (errno == EINTR || errno == EAGAIN);
	if (b->len < UTIL_RUN_CAP)
		buf_add(b, chunk, (size_t)got);
	return 1;
}

int
util_run_shell(const char *cmd, const char *input, size_t input_len,
    struct buf *out, struct buf *err, int timeout_s)
{
	struct pollfd	pfd[3];
	int		in[2] = { -1, -1 }, o[2] = { -1, -1 }, e[2] = { -1, -1 };
	int		status, nfds, i, killed = 0;
	struct sigaction ign, old;
	int64_t		deadline;
	size_t		sent = 0;
	ssize_t		w;
	pid_t		pid;

	if (pipe2(in, O_CLOEXEC) != 0 || pipe2(o, O_CLOEXEC) != 0 ||
	    pipe2(e, O_CLOEXEC) != 0)
		goto fail;
	if ((pid = fork()) == -1)
		goto fail;
	if (pid == 0) {
		if (input == NULL) {
			close(in[0]);
			in[0] = open("/dev/null", O_RDONLY | O_CLOEXEC);
		}
		if (dup2(in[0], 0) == -1 || dup2(o[1], 1) == -1 ||
		    dup2(e[1], 2) == -1)
			_exit(127);
		signal(SIGPIPE, SIG_DFL);
		setpgid(0, 0);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	/* A group of its own, killed whole past the timeout: the shell's
	 * own children (sh -c 'sleep 30') hold the pipes open too. */
	setpgid(pid, pid);
	close(in[0]);
	close(o[1]);
	close(e[1]);
	in[0] = o[1] = e[1] = -1;
	if (input == NULL || input_len == 0) {
		close(in[1]);
		in[1] = -1;
	} else
		fcntl(in[1], F_SETFL, fcntl(in[1], F_GETFL) | O_NONBLOCK);
	/* A command that exits without reading its input must not kill
	 * us with SIGPIPE. */
	memset(&ign, 0, sizeof ign);
	ign.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &ign, &old);
	deadline = timeout_s > 0 ? util_clock_ms() + timeout_s * 1000LL : -1;
	while (o[0] != -1 || e[0] != -1) {
		nfds = 0;
		pfd[nfds].fd = o[0];
		pfd[nfds++].events = POLLIN;
		pfd[nfds].fd = e[0];
		pfd[nfds++].events = POLLIN;
		pfd[nfds].fd = in[1];
		pfd[nfds++].events = POLLOUT;
		if (poll(pfd, (nfds_t)nfds, deadline < 0 ? 1000 :
		    (int)(deadline - util_clock_ms() > 0 ? deadline -
		    util_clock_ms() : 0)) == -1 && errno != EINTR)
			break;
		if (deadline >= 0 && util_clock_ms() >= deadline) {
			if (killed == 2)
				break;	/* a process that left the group */
			kill(-pid, killed++ == 0 ? SIGTERM : SIGKILL);
			deadline = util_clock_ms() + 2000;
		}
		for (i = 0; i < 2; i++) {
			if (pfd[i].fd == -1 || pfd[i].revents == 0)
				continue;
			if (!util_run_read(pfd[i].fd, i == 0 ? out : err)) {
				close(pfd[i].fd);
				*(i == 0 ? &o[0] : &e[0]) = -1;
			}
		}
		if (in[1] != -1 && pfd[2].revents != 0) {
			w = write(in[1], input + sent, input_len - sent);
			if (w > 0)
				sent += (size_t)w;
			if ((w == -1 && errno != EAGAIN && errno != EINTR) ||
			    sent == input_len) {
				close(in[1]);
				in[1] = -1;
			}
		}
	}
	if (in[1] != -1)
		close(in[1]);
	if (o[0] != -1)
		close(o[0]);
	if (e[0] != -1)
		close(e[0]);
	sigaction(SIGPIPE, &old, NULL);
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			return -1;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
fail:
	for (i = 0; i < 2; i++) {
		if (in[i] != -1)
			close(in[i]);
		if (o[i] != -1)
			close(o[i]);
		if (e[i] != -1)
			close(e[i]);
	}
	return -1;
}

int
util_hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *
util_form_unescape(const char *s, size_t len, size_t max, const char *nul)
{
	struct buf	b;
	size_t		i;
	int		hi, lo, c;

	buf_init(&b);
	for (i = 0; i < len && (max == 0 || b.len < max); i++) {
		c = (unsigned char)s[i];
		if (c == '+')
			c = ' ';
		else if (c == '%' && i + 2 < len &&
		    (hi = util_hex_value(s[i + 1])) >= 0 &&
		    (lo = util_hex_value(s[i + 2])) >= 0) {
			c = hi << 4 | lo;
			i += 2;
		}
		if (c == 0 && nul != NULL)
			buf_add_str(&b, nul);
		else
			buf_add_char(&b, (char)c);
	}
	return buf_steal(&b);
}

void
util_child_defaults(void)
{
	sigset_t	set;

	setpgid(0, 0);
	sigemptyset(&set);
	sigprocmask(SIG_SETMASK, &set, NULL);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
}

void
util_random(void *buf, size_t n)
{
	ssize_t	got;
	int	fd;

	fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		fatal(_("open /dev/urandom"));
	got = read(fd, buf, n);
	close(fd);
	if (got != (ssize_t)n)
		fatalx(_("short read from /dev/urandom"));
}

int
util_parse_duration(const char *s, int64_t max, int64_t *seconds)
{
	char		*end;
	long long	 n;
	int64_t		 unit;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	n = strtoll(s, &end, 10);
	if (errno != 0)
		return -1;
	if (end[0] == '\0' || strcmp(end, "s") == 0)
		unit = 1;
	else if (strcmp(end, "m") == 0)
		unit = 60;
	else if (strcmp(end, "h") == 0)
		unit = 3600;
	else if (strcmp(end, "d") == 0)
		unit = 86400;
	else if (strcmp(end, "w") == 0)
		unit = 7 * 86400;
	else
		return -1;
	if (n < 0 || n > max / unit)
		return -1;
	*seconds = n * unit;
	return 0;
}
