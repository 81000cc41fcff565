/*
 * ev.c: one poll() loop per process: file descriptors, one-shot timers and
 * signals.
 *
 * Signal handlers only write the signal number to a self-pipe; the loop
 * reads it and calls the signal's callback like any other event, so
 * callbacks never run in a handler. Callbacks may add and remove watchers,
 * including themselves: a removed watcher is only marked dead during a
 * dispatch and freed once it is over.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "base/base.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct ev_fd {
	struct ev_loop	*loop;
	int		 fd;
	short		 events;
	ev_fd_cb	 cb;
	void		*data;
	int		 dead;
};

struct ev_timer {
	struct ev_loop	*loop;
	int64_t		 when_ms;
	ev_timer_cb	 cb;
	void		*data;
	int		 dead;
};

struct ev_loop {
	struct ev_fd	**fds;
	size_t		  n_fds;
	struct ev_timer	**timers;
	size_t		  n_timers;
	int		  dispatching;
	int		  stop;

	struct ev_fd	 *signal_watch;
	ev_signal_cb	  signal_cbs[NSIG];
	void		 *signal_data[NSIG];
};

/* The self-pipe: one per process, as signal dispositions are. A forked
 * child inherits its parent's; it must never read it (it would take the
 * parent's signals: a console's SIGWINCH read by its syncer) nor write to
 * it, so a process only uses a pipe it made itself (ev_signal_pid). */
static int	ev_signal_pipe[2] = { -1, -1 };
static pid_t	ev_signal_pid;

struct ev_loop *
ev_loop_new(void)
{
	return xcalloc(1, sizeof (struct ev_loop));
}

/* Free what callbacks removed while the loop dispatched. */
static void
ev_collect(struct ev_loop *loop)
{
	size_t	i, j;

	for (i = j = 0; i < loop->n_fds; i++) {
		if (loop->fds[i]->dead)
			free(loop->fds[i]);
		else
			loop->fds[j++] = loop->fds[i];
	}
	loop->n_fds = j;
	for (i = j = 0; i < loop->n_timers; i++) {
		if (loop->timers[i]->dead)
			free(loop->timers[i]);
		else
			loop->timers[j++] = loop->timers[i];
	}
	loop->n_timers = j;
}

void
ev_loop_free(struct ev_loop *loop)
{
	size_t	i;
	int	signo;

	if (loop == NULL)
		return;
	for (signo = 1; signo < NSIG; signo++) {
		if (loop->signal_cbs[signo] != NULL)
			signal(signo, SIG_DFL);
	}
	for (i = 0; i < loop->n_fds; i++)
		free(loop->fds[i]);
	for (i = 0; i < loop->n_timers; i++)
		free(loop->timers[i]);
	free(loop->fds);
	free(loop->timers);
	free(loop);
}

struct ev_fd *
ev_fd_add(struct ev_loop *loop, int fd, short events, ev_fd_cb cb, void *data)
{
	struct ev_fd	*w;

	w = xcalloc(1, sizeof *w);
	w->loop = loop;
	w->fd = fd;
	w->events = events;
	w->cb = cb;
	w->data = data;
	loop->fds = xreallocarray(loop->fds, loop->n_fds + 1, sizeof *loop->fds);
	loop->fds[loop->n_fds++] = w;
	return w;
}

void
ev_fd_set_events(struct ev_fd *w, short events)
{
	w->events = events;
}

void
ev_fd_del(struct ev_fd *w)
{
	if (w == NULL)
		return;
	w->dead = 1;
	if (!w->loop->dispatching)
		ev_collect(w->loop);
}

struct ev_timer *
ev_timer_add(struct ev_loop *loop, int64_t after_ms, ev_timer_cb cb,
    void *data)
{
	struct ev_timer	*t;

	t = xcalloc(1, sizeof *t);
	t->loop = loop;
	t->when_ms = util_clock_ms() + (after_ms > 0 ? after_ms : 0);
	t->cb = cb;
	t->data = data;
	loop->timers = xreallocarray(loop->timers, loop->n_timers + 1,
	    sizeof *loop->timers);
	loop->timers[loop->n_timers++] = t;
	return t;
}

void
ev_timer_del(struct ev_timer *t)
{
	if (t == NULL)
		return;
	t->dead = 1;
	if (!t->loop->dispatching)
		ev_collect(t->loop);
}

static void
ev_signal_handler(int signo)
{
	unsigned char	byte = (unsigned char)signo;
	int		saved = errno;

	/* A full pipe drops the byte: a signal pending already says it. */
	(void)write(ev_signal_pipe[1], &byte, 1);
	errno = saved;
}

static void
ev_signal_read(int fd, short revents, void *data)
{
	struct ev_loop	*loop = data;
	unsigned char	 buf[64];
	ssize_t		 n, i;

	(void)revents;
	while ((n = read(fd, buf, sizeof buf)) > 0) {
		for (i = 0; i < n; i++) {
			if (buf[i] < NSIG && loop->signal_cbs[buf[i]] != NULL)
				loop->signal_cbs[buf[i]](buf[i],
				    loop->signal_data[buf[i]]);
		}
	}
}

void
ev_forget_parent(void)
{
	if (ev_signal_pipe[0] != -1 && ev_signal_pid != getpid()) {
		close(ev_signal_pipe[0]);
		close(ev_signal_pipe[1]);
		ev_signal_pipe[0] = ev_signal_pipe[1] = -1;
	}
}

int
ev_signal_add(struct ev_loop *loop, int signo, ev_signal_cb cb, void *data)
{
	struct sigaction	sa;
	int			i;

	if (signo <= 0 || signo >= NSIG)
		return -1;
	ev_forget_parent();
	if (ev_signal_pipe[0] == -1) {
		if (pipe(ev_signal_pipe) != 0)
			return -1;
		ev_signal_pid = getpid();
		for (i = 0; i < 2; i++) {
			fcntl(ev_signal_pipe[i], F_SETFL, O_NONBLOCK);
			fcntl(ev_signal_pipe[i], F_SETFD, FD_CLOEXEC);
		}
	}
	if (loop->signal_watch == NULL)
		loop->signal_watch = ev_fd_add(loop, ev_signal_pipe[0], POLLIN,
		    ev_signal_read, loop);
	loop->signal_cbs[signo] = cb;
	loop->signal_data[signo] = data;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = ev_signal_handler;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	return sigaction(signo, &sa, NULL);
}

void
ev_loop_stop(struct ev_loop *loop)
{
	loop->stop = 1;
}

int
ev_loop_stopped(struct ev_loop *loop)
{
	return loop->stop;
}

int
ev_run_once(struct ev_loop *loop, int64_t max_wait_ms)
{
	struct pollfd	*pfds;
	struct ev_fd	**watch;
	int64_t		 now, wait = max_wait_ms, due;
	size_t		 i, n = 0, count;
	int		 rc;

	/* The nearest timer; one overdue is due now (a negative wait here
	 * would read as "none chosen yet" and a later timer would win). */
	now = util_clock_ms();
	for (i = 0; i < loop->n_timers; i++) {
		due = loop->timers[i]->when_ms - now;
		if (due < 0)
			due = 0;
		if (wait < 0 || due < wait)
			wait = due;
	}
	pfds = xcalloc(loop->n_fds + 1, sizeof *pfds);
	watch = xcalloc(loop->n_fds + 1, sizeof *watch);
	for (i = 0; i < loop->n_fds; i++) {
		pfds[n].fd = loop->fds[i]->fd;
		pfds[n].events = loop->fds[i]->events;
		watch[n++] = loop->fds[i];
	}
	rc = poll(pfds, (nfds_t)n, wait > INT32_MAX ? INT32_MAX : (int)wait);
	if (rc == -1 && errno != EINTR) {
		free(pfds);
		free(watch);
		return -1;
	}
	loop->dispatching = 1;
	for (i = 0; rc > 0 && i < n; i++) {
		if (pfds[i].revents != 0 && !watch[i]->dead)
			watch[i]->cb(watch[i]->fd, pfds[i].revents,
			    watch[i]->data);
	}
	/* Timers due now, including those a callback above added late, the
	 * earliest first: a loop that was late (a loaded machine) finds
	 * several overdue, and they must still fire in the order of their
	 * time, not of their adding. A callback may add timers (after count,
	 * left for the next round) or delete some. */
	now = util_clock_ms();
	count = loop->n_timers;
	for (;;) {
		struct ev_timer	*first = NULL;

		for (i = 0; i < count; i++) {
			struct ev_timer	*t = loop->timers[i];

			if (!t->dead && t->when_ms <= now &&
			    (first == NULL || t->when_ms < first->when_ms))
				first = t;
		}
		if (first == NULL)
			break;
		first->dead = 1;
		first->cb(first->data);
	}
	loop->dispatching = 0;
	ev_collect(loop);
	free(pfds);
	free(watch);
	return 0;
}
