/*
 * log.c: lines on stderr and fatal errors.
 *
 * Nothing here allocates, so fatalx() is safe to call when malloc has just
 * failed. Each line is written under flockfile() so that lines from
 * different threads of a library (curl resolver, say) do not interleave.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "base/base.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The exit code of fatal() and fatalx(): EX_SOFTWARE, an internal error. */
#define LOG_EXIT_FATAL 70

static char		log_progname[64] = "ombre";
static log_restore_cb	log_restore;
static int		log_verbose;
static int		log_restored;

/*
 * Set the prefix of every line. The name is copied (and cut at 63 bytes),
 * so the caller may pass argv[0]'s basename or a temporary. NULL restores
 * the default, "ombre".
 */
void
log_set_progname(const char *name)
{
	if (name == NULL || *name == '\0')
		name = "ombre";
	snprintf(log_progname, sizeof log_progname, "%s", name);
}

void
log_set_restore(log_restore_cb cb)
{
	log_restore = cb;
}

void
log_set_verbose(int level)
{
	log_verbose = level;
}

int
log_get_verbose(void)
{
	return log_verbose;
}

/*
 * Write "progname: message" and, when error is not NULL, ": error", then a
 * newline, as one locked unit on stderr.
 */
static void OMBRE_PRINTF(1, 0)
log_vwrite(const char *fmt, va_list ap, const char *error)
{
	flockfile(stderr);
	fprintf(stderr, "%s: ", log_progname);
	vfprintf(stderr, fmt, ap);
	if (error != NULL)
		fprintf(stderr, ": %s", error);
	fputc('\n', stderr);
	fflush(stderr);
	funlockfile(stderr);
}

void
log_warn(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	log_vwrite(fmt, ap, NULL);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list	ap;

	if (log_verbose <= 0)
		return;
	va_start(ap, fmt);
	log_vwrite(fmt, ap, NULL);
	va_end(ap);
}

/*
 * Give the terminal back before the message is printed, so the message is
 * not drawn into (and lost with) the curses screen. The hook runs at most
 * once: if it fails and calls fatal() itself, the inner call skips it.
 */
static void
log_run_restore(void)
{
	if (log_restored)
		return;
	log_restored = 1;
	if (log_restore != NULL)
		log_restore();
}

/* Like fatalx() but append strerror(errno), errno as it was on entry. */
void
fatal(const char *fmt, ...)
{
	va_list	ap;
	int	saved_errno = errno;

	log_run_restore();
	va_start(ap, fmt);
	log_vwrite(fmt, ap, strerror(saved_errno));
	va_end(ap);
	exit(LOG_EXIT_FATAL);
}

/* Restore the terminal, print the message and exit(70). */
void
fatalx(const char *fmt, ...)
{
	va_list	ap;

	log_run_restore();
	va_start(ap, fmt);
	log_vwrite(fmt, ap, NULL);
	va_end(ap);
	exit(LOG_EXIT_FATAL);
}
