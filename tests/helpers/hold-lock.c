/*
 * hold-lock: hold a notmuch database's write lock for a while.
 *
 *	hold-lock CONFIG_PATH SECONDS
 *
 * Opens the database named by the notmuch configuration CONFIG_PATH
 * read-write, which takes Xapian's lock (a plain flock on a file would
 * not), prints "locked" on stdout, sleeps SECONDS (a decimal number) or
 * until it gets SIGUSR1 (a test releases the lock when it is ready, not
 * when a clock says, which a loaded machine would make late), then closes
 * the database and exits 0. On any error: a message on
 * stderr and exit status 1. Tests start it in the background and wait
 * for "locked" before they go on.
 */

#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <notmuch.h>

static const char *progname = "hold-lock";
static volatile sig_atomic_t released;

static void
hold_lock_release(int sig)
{
	(void)sig;
	released = 1;
}

/* Parse a duration in seconds; returns -1 when it is not one. */
static int
hold_lock_parse_seconds(const char *s, struct timespec *ts)
{
	char	*end;
	double	 d;

	errno = 0;
	d = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !isfinite(d) || d < 0 ||
	    d > 86400)
		return -1;
	ts->tv_sec = (time_t)d;
	ts->tv_nsec = (long)((d - (double)ts->tv_sec) * 1e9);
	return 0;
}

int
main(int argc, char **argv)
{
	notmuch_database_t	*db;
	notmuch_status_t	 st;
	struct timespec		 ts;
	struct sigaction	 sa;
	char			*msg = NULL;

	if (argc != 3 || hold_lock_parse_seconds(argv[2], &ts) != 0) {
		fprintf(stderr, "usage: %s CONFIG_PATH SECONDS\n", progname);
		return 1;
	}

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = hold_lock_release;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);

	st = notmuch_database_open_with_config(NULL,
	    NOTMUCH_DATABASE_MODE_READ_WRITE, argv[1], NULL, &db, &msg);
	if (st != NOTMUCH_STATUS_SUCCESS) {
		/* notmuch's messages end with a newline; ours add one. */
		if (msg != NULL && *msg != '\0' && msg[strlen(msg) - 1] == '\n')
			msg[strlen(msg) - 1] = '\0';
		fprintf(stderr, "%s: cannot open the database of %s: %s%s%s\n",
		    progname, argv[1], notmuch_status_to_string(st),
		    msg != NULL ? ": " : "", msg != NULL ? msg : "");
		free(msg);
		return 1;
	}
	free(msg);

	if (printf("locked\n") < 0 || fflush(stdout) != 0) {
		fprintf(stderr, "%s: cannot write to stdout\n", progname);
		notmuch_database_destroy(db);
		return 1;
	}

	/* Sleep the whole time, unless SIGUSR1 releases the lock. */
	while (!released && nanosleep(&ts, &ts) != 0 && errno == EINTR)
		continue;

	st = notmuch_database_close(db);
	notmuch_database_destroy(db);
	if (st != NOTMUCH_STATUS_SUCCESS) {
		fprintf(stderr, "%s: cannot close the database: %s\n",
		    progname, notmuch_status_to_string(st));
		return 1;
	}
	return 0;
}
