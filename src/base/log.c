/*
 * log.c: lines on stderr and fatal errors, and the last of them kept in
 * memory with their time and level (tmux's message log): the console
 * lists them in :messages and, while it owns the terminal, they go there
 * only.
 *
 * Nothing here allocates, so fatalx() is safe to call when malloc has just
 * failed: the ring is a static array of fixed lines. Each line is written
 * under flockfile() so that lines from different threads of a library
 * (curl resolver, say) do not interleave.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "base/base.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The exit code of fatal() and fatalx(): EX_SOFTWARE, an internal error. */
#define LOG_EXIT_FATAL 70

static char		log_progname[64] = "ombre";
static log_restore_cb	log_restore;
static int		log_verbose;
static int		log_restored;
static int		log_quiet;	/* the console owns stderr's terminal */

/* The ring of this process's last lines: bounded, oldest overwritten. */
struct log_entry {
	time_t		 when;
	enum log_level	 level;
	char		 text[LOG_LINE_MAX];
};
static struct log_entry	log_ring[LOG_RING_LINES];
static size_t		log_ring_next;	/* lines ever kept */

/* Keep a line in the ring, cut at LOG_LINE_MAX - 1 bytes (on a UTF-8
 * boundary: the line stays valid). */
static void OMBRE_PRINTF(2, 0)
log_ring_add(enum log_level level, const char *fmt, va_list ap,
    const char *error)
{
	struct log_entry	*e = &log_ring[log_ring_next % LOG_RING_LINES];
	size_t			 len;

	e->when = time(NULL);
	e->level = level;
	vsnprintf(e->text, sizeof e->text, fmt, ap);
	len = strlen(e->text);
	if (error != NULL && len < sizeof e->text)
		snprintf(e->text + len, sizeof e->text - len, ": %s", error);
	len = strlen(e->text);
	if (len == sizeof e->text - 1) {
		size_t		lead = len, need;
		unsigned char	c;

		while (lead > 0 && ((unsigned char)e->text[lead - 1] & 0xc0) ==
		    0x80)
			lead--;
		if (lead > 0 && (c = (unsigned char)e->text[lead - 1]) >= 0xc0) {
			need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
			if (len - (lead - 1) < need)
				e->text[lead - 1] = '\0';	/* its end was cut */
		}
	}
	log_ring_next++;
}

size_t
log_ring_count(void)
{
	return log_ring_next < LOG_RING_LINES ? log_ring_next : LOG_RING_LINES;
}

size_t
log_ring_total(enum log_level level)
{
	size_t	i, n = 0;

	for (i = 0; i < log_ring_count(); i++) {
		if (log_ring[i].level == level)
			n++;
	}
	return n;
}

const char *
log_ring_get(size_t i, int64_t *when, enum log_level *level)
{
	const struct log_entry	*e;

	if (i >= log_ring_count())
		return NULL;
	if (log_ring_next > LOG_RING_LINES)
		i = (log_ring_next + i) % LOG_RING_LINES;
	e = &log_ring[i];
	if (when != NULL)
		*when = (int64_t)e->when;
	if (level != NULL)
		*level = e->level;
	return e->text;
}

void
log_ring_clear(void)
{
	log_ring_next = 0;
}

void
log_set_quiet(int quiet)
{
	log_quiet = quiet;
}

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
static void OMBRE_PRINTF(2, 0)
log_vwrite(enum log_level level, const char *fmt, va_list ap,
    const char *error)
{
	va_list	copy;

	va_copy(copy, ap);
	log_ring_add(level, fmt, copy, error);
	va_end(copy);
	if (log_quiet && level != LOG_FATAL)
		return;
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
	log_vwrite(LOG_WARN, fmt, ap, NULL);
	va_end(ap);
}

/* A line for :messages only, never on stderr: what the console said on
 * its status line. */
void
log_info(const char *fmt, ...)
{
	va_list	ap;
	int	quiet = log_quiet;

	log_quiet = 1;
	va_start(ap, fmt);
	log_vwrite(LOG_INFO, fmt, ap, NULL);
	va_end(ap);
	log_quiet = quiet;
}

void
log_debug(const char *fmt, ...)
{
	va_list	ap;

	if (log_verbose <= 0)
		return;
	va_start(ap, fmt);
	log_vwrite(LOG_DEBUG, fmt, ap, NULL);
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
	log_vwrite(LOG_FATAL, fmt, ap, strerror(saved_errno));
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
	log_vwrite(LOG_FATAL, fmt, ap, NULL);
	va_end(ap);
	exit(LOG_EXIT_FATAL);
}
