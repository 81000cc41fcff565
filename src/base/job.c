/*
 * job.c: short child processes run from a poll() loop.
 *
 * A job is a function run in a forked child, its stdout and stderr
 * captured through a pipe. The console hands every database write to one
 * (libnotmuch's read-write open may wait for the lock: the child waits,
 * never the screen). When the pipe closes the child is reaped and the
 * done callback gets its exit status and output.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "base/base.h"

#include <sys/queue.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Output kept from a job: enough for its error lines. */
#define JOB_OUTPUT_MAX	(64 * 1024)

struct job {
	LIST_ENTRY(job)	 entry;		/* in job_running */
	struct ev_loop	*loop;
	pid_t		 pid;
	int		 fd;
	struct ev_fd	*watch;
	struct buf	 output;
	job_done_cb	 done;
	job_line_cb	 line;
	void		*data;
};

/* The jobs still running. */
static LIST_HEAD(, job)	job_running = LIST_HEAD_INITIALIZER(job_running);

static void
job_finish(struct job *job)
{
	int	status = 0, rc;

	while (waitpid(job->pid, &status, 0) == -1 && errno == EINTR)
		;
	if (WIFEXITED(status))
		rc = WEXITSTATUS(status);
	else
		rc = 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	ev_fd_del(job->watch);
	close(job->fd);
	LIST_REMOVE(job, entry);
	job->done(job, rc, job->output.len > 0 ? job->output.data : "",
	    job->data);
	buf_free(&job->output);
	free(job);
}

/* Give the complete lines to the line callback and keep the rest. */
static void
job_lines(struct job *job)
{
	char	*start = job->output.data, *nl;
	size_t	 left;

	while ((nl = memchr(start, '\n', job->output.len -
	    (size_t)(start - job->output.data))) != NULL) {
		*nl = '\0';
		job->line(job, start, job->data);
		start = nl + 1;
	}
	left = job->output.len - (size_t)(start - job->output.data);
	memmove(job->output.data, start, left);
	job->output.len = left;
	job->output.data[left] = '\0';
}

static void
job_read(int fd, short revents, void *data)
{
	struct job	*job = data;
	char		 chunk[4096];
	ssize_t		 n;

	(void)revents;
	n = read(fd, chunk, sizeof chunk);
	if (n > 0) {
		if (job->output.len < JOB_OUTPUT_MAX)
			buf_add(&job->output, chunk, (size_t)n);
		if (job->line != NULL)
			job_lines(job);
		return;
	}
	if (n == -1 && (errno == EINTR || errno == EAGAIN))
		return;
	job_finish(job);	/* EOF: the child has closed its end */
}

struct job *
job_run(struct ev_loop *loop, job_fn fn, void *arg, job_done_cb done,
    void *data)
{
	struct job	*job;
	int		 p[2], rc;

	if (pipe(p) != 0)
		return NULL;
	fflush(stdout);
	fflush(stderr);
	job = xcalloc(1, sizeof *job);
	job->pid = fork();
	if (job->pid == -1) {
		close(p[0]);
		close(p[1]);
		free(job);
		return NULL;
	}
	if (job->pid == 0) {
		/* The child: nothing of the parent's screen or loop. */
		signal(SIGINT, SIG_IGN);
		signal(SIGHUP, SIG_IGN);
		signal(SIGWINCH, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		ev_forget_parent();
		close(p[0]);
		dup2(p[1], STDOUT_FILENO);
		dup2(p[1], STDERR_FILENO);
		close(p[1]);
		log_set_restore(NULL);
		rc = fn(arg);
		fflush(stdout);
		fflush(stderr);
		_exit(rc);
	}
	close(p[1]);
	fcntl(p[0], F_SETFD, FD_CLOEXEC);
	job->loop = loop;
	job->fd = p[0];
	job->done = done;
	job->data = data;
	buf_init(&job->output);
	job->watch = ev_fd_add(loop, p[0], POLLIN, job_read, job);
	LIST_INSERT_HEAD(&job_running, job, entry);
	return job;
}

void
job_detach_all(struct ev_loop *loop)
{
	struct job	*job, *next;

	/* Not LIST_FOREACH: the loop frees the job it is on. */
	for (job = LIST_FIRST(&job_running); job != NULL; job = next) {
		next = LIST_NEXT(job, entry);
		if (job->loop != loop)
			continue;
		/* Not killed: a write waiting for the lock must still land. */
		ev_fd_del(job->watch);
		close(job->fd);
		LIST_REMOVE(job, entry);
		job->done(job, JOB_CANCELLED, "", job->data);
		buf_free(&job->output);
		free(job);
	}
}

void
job_set_line_cb(struct job *job, job_line_cb cb)
{
	job->line = cb;
}

pid_t
job_pid(struct job *job)
{
	return job->pid;
}
