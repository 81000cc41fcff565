/*
 * chan-exec.c: the exec bridge, `channel NAME exec command=...`. The
 * syncer runs the command (/bin/sh -c) as a long-lived child and speaks
 * newline-delimited JSON with it both ways:
 *   its stdout  canonical messages (what `ombre ingest` takes), and the
 *               acknowledgements {"type":"sent","id":..,"upstream_id":..}
 *               or {"type":"failed","id":..,"reason":..};
 *   its stdin   the replies, {"type":"send","id":..,"conversation":..,
 *               "account":..,"channel":..,"text":..,"reply_to":..};
 *   its stderr  logged, sanitised, at most a few lines every few seconds.
 * A line that is neither is quarantined and the bridge goes on. When the
 * bridge dies it is started again after a back-off; a reply written and
 * not acknowledged is then "delivery unknown", never resent, unless the
 * channel says idempotent=yes (the bridge drops a repeated id): then it
 * goes again with the same id. Secrets reach it by its environment
 * (env-NAME= or env-NAME-command=), never by its argv.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "chan/chan.h"

#include <jansson.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <sys/wait.h>
#include <unistd.h>

/* The most read from the bridge's stdout in one turn of the loop. */
#define EXEC_READ_MAX		(1024 * 1024)
/* A line longer than this is cut off and quarantined. */
#define EXEC_LINE_MAX		(16 * 1024 * 1024)
/* Its stderr: at most EXEC_ERR_LINES lines every EXEC_ERR_WINDOW_MS. */
#define EXEC_ERR_LINES		10
#define EXEC_ERR_WINDOW_MS	10000
/* How often an exited bridge is looked for, and when it is killed. */
#define EXEC_REAP_MS		50
#define EXEC_KILL_MS		2000

struct exec_send {
	TAILQ_ENTRY(exec_send)	 entry;
	struct store_outgoing	*o;
	uint64_t		 offset;	/* where its line starts in
						 * what was written */
};
TAILQ_HEAD(exec_sends, exec_send);

struct exec {
	struct chan_link	*link;
	char			*command;
	char			*channel;	/* the replies it carries */
	const char		*account;	/* NULL: any */
	int			 idempotent;

	pid_t			 pid;		/* 0: not running */
	int			 in_fd, out_fd, err_fd;
	struct ev_fd		*in_w, *out_w, *err_w;
	struct buf		 wbuf;		/* to its stdin */
	size_t			 wpos;
	uint64_t		 written;	/* bytes to its stdin so far */
	struct buf		 rbuf;		/* from its stdout, a line cut */
	struct buf		 ebuf;		/* from its stderr */
	struct exec_sends	 sends;		/* given, not acknowledged */

	/* Messages read and not stored yet (the store refused the batch):
	 * its stdout is not read until they are. */
	struct msg		**held;
	size_t			  n_held;

	struct ev_timer		*timer;		/* restart, retry, reap */
	int			 attempt;
	int			 reaping;
	int64_t			 kill_at;
	int			 status;	/* its exit status */

	int64_t			 err_window;
	int			 err_lines;
	long			 err_dropped;
};

static void	exec_spawn(void *);
static void	exec_read(int, short, void *);
static void	exec_closed(struct exec *);
static void	exec_err_read(int, short, void *);

/* The env-NAME key as an environment variable's name: SIGNAL_PASSWORD. */
static char *
exec_env_name(const char *key)
{
	char	*name, *p;
	size_t	 len;

	name = xstrdup(key + 4);
	len = strlen(name);
	if (len > 8 && strcmp(name + len - 8, "-command") == 0)
		name[len - 8] = '\0';
	for (p = name; *p != '\0'; p++)
		*p = *p == '-' ? '_' : (char)(*p - 'a' + 'A');
	return name;
}

/*
 * The environment the bridge is given over the syncer's: NAME=value for
 * each env-NAME or env-NAME-command of the channel (its secrets), and
 * OMBRE_CHANNEL. 0, or -1 with *cause (naming the key, never a value).
 */
static int
exec_env(struct exec *ex, char ***out, size_t *n_out, char **cause)
{
	const struct channel_config	*cc = ex->link->cc;
	char				**env = NULL, *name, *key, *value;
	size_t				  n = 0, i, j;
	int				  seen;

	*cause = NULL;
	env = xreallocarray(NULL, cc->n + 2, sizeof *env);
	env[n++] = xasprintf("OMBRE_CHANNEL=%s", ex->link->name);
	for (i = 0; i < cc->n; i++) {
		if (strncmp(cc->keys[i], "env-", 4) != 0 ||
		    cc->keys[i][4] == '\0')
			continue;
		name = exec_env_name(cc->keys[i]);
		seen = 0;
		for (j = 1; j < n; j++)
			if (strncmp(env[j], name, strlen(name)) == 0 &&
			    env[j][strlen(name)] == '=')
				seen = 1;
		if (seen || *name == '\0') {
			free(name);
			continue;
		}
		key = xstrdup(cc->keys[i]);
		if (strlen(key) > 8 &&
		    strcmp(key + strlen(key) - 8, "-command") == 0)
			key[strlen(key) - 8] = '\0';
		value = ex->link->host->secret(ex->link, key, cause);
		free(key);
		if (value == NULL) {
			free(name);
			goto fail;
		}
		env[n++] = xasprintf("%s=%s", name, value);
		explicit_bzero(value, strlen(value));
		free(value);
		free(name);
	}
	*out = env;
	*n_out = n;
	return 0;
fail:
	for (i = 0; i < n; i++) {
		explicit_bzero(env[i], strlen(env[i]));
		free(env[i]);
	}
	free(env);
	return -1;
}

static void
exec_env_free(char **env, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		explicit_bzero(env[i], strlen(env[i]));
		free(env[i]);
	}
	free(env);
}

static void
exec_nonblock(int fd)
{
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

/* Start again after the back-off (or, once, finish). */
static void
exec_schedule(struct exec *ex, const char *why)
{
	struct chan_link	*l = ex->link;
	int64_t			 ms;

	if (l->opts->once) {
		l->host->set_state(l, ex->status == 0 ? CHAN_CONNECTED :
		    CHAN_FAILED, 0, why);
		l->host->finish(l, ex->status == 0);
		return;
	}
	ms = chan_backoff_ms(l, ex->attempt++);
	l->host->set_state(l, CHAN_BACKOFF, util_now() + (ms + 999) / 1000,
	    why);
	ex->timer = ev_timer_add(l->loop, ms, exec_spawn, ex);
}

/* Run the command, its three pipes non-blocking on the loop. */
static void
exec_spawn(void *data)
{
	struct exec	*ex = data;
	struct chan_link *l = ex->link;
	char		**env, *cause;
	size_t		  n_env, i;
	int		  in[2], out[2], err[2], fd;
	pid_t		  pid, parent = getpid();

	ex->timer = NULL;
	ex->status = -1;
	if (exec_env(ex, &env, &n_env, &cause) != 0) {
		exec_schedule(ex, cause);
		free(cause);
		return;
	}
	in[0] = in[1] = out[0] = out[1] = err[0] = err[1] = -1;
	if (pipe(in) != 0 || pipe(out) != 0 || pipe(err) != 0) {
		cause = xasprintf(_("cannot start the bridge: pipe: %s"),
		    strerror(errno));
		goto fail;
	}
	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) == -1) {
		cause = xasprintf(_("cannot start the bridge: fork: %s"),
		    strerror(errno));
		goto fail;
	}
	if (pid == 0) {
		util_child_defaults();
		util_die_with_parent(parent);
		if (dup2(in[0], STDIN_FILENO) == -1 ||
		    dup2(out[1], STDOUT_FILENO) == -1 ||
		    dup2(err[1], STDERR_FILENO) == -1)
			_exit(127);
		for (fd = 3; fd < 1024; fd++)
			close(fd);
		for (i = 0; i < n_env; i++)
			putenv(env[i]);
		execl("/bin/sh", "sh", "-c", ex->command, (char *)NULL);
		_exit(127);
	}
	exec_env_free(env, n_env);
	setpgid(pid, pid);
	close(in[0]);
	close(out[1]);
	close(err[1]);
	ex->pid = pid;
	ex->in_fd = in[1];
	ex->out_fd = out[0];
	ex->err_fd = err[0];
	exec_nonblock(ex->in_fd);
	exec_nonblock(ex->out_fd);
	exec_nonblock(ex->err_fd);
	ex->out_w = ev_fd_add(l->loop, ex->out_fd, POLLIN, exec_read, ex);
	ex->err_w = ev_fd_add(l->loop, ex->err_fd, POLLIN, exec_err_read, ex);
	buf_reset(&ex->wbuf);
	ex->wpos = 0;
	buf_reset(&ex->rbuf);
	buf_reset(&ex->ebuf);
	log_debug("%s: bridge started (pid %ld)", l->name, (long)pid);
	l->host->set_state(l, CHAN_CONNECTED, 0, NULL);
	return;

fail:
	/* Out of descriptors or processes: tried again after a back-off. */
	exec_env_free(env, n_env);
	for (i = 0; i < 2; i++) {
		if (in[i] != -1)
			close(in[i]);
		if (out[i] != -1)
			close(out[i]);
		if (err[i] != -1)
			close(err[i]);
	}
	ex->status = 1;
	exec_schedule(ex, cause);
	free(cause);
}

/* One line of its stderr, logged unless too many came lately. */
static void
exec_err_line(struct exec *ex, const char *line, size_t len)
{
	int64_t	 now = util_clock_ms();
	char	*clean;

	if (now - ex->err_window >= EXEC_ERR_WINDOW_MS) {
		if (ex->err_dropped > 0)
			log_warn(_("%s: bridge: %ld more lines of its stderr not "
			    "shown"), ex->link->name, ex->err_dropped);
		ex->err_window = now;
		ex->err_lines = 0;
		ex->err_dropped = 0;
	}
	if (ex->err_lines >= EXEC_ERR_LINES) {
		ex->err_dropped++;
		return;
	}
	ex->err_lines++;
	clean = sanitize(line, len, SANITIZE_LINE, 200);
	log_warn(_("%s: bridge: %s"), ex->link->name, clean);
	free(clean);
}

static void
exec_err_read(int fd, short revents, void *data)
{
	struct exec	*ex = data;
	char		 chunk[4096], *nl;
	ssize_t		 r;
	size_t		 start;

	(void)revents;
	r = read(fd, chunk, sizeof chunk);
	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (r <= 0) {
		if (ex->ebuf.len > 0)
			exec_err_line(ex, ex->ebuf.data, ex->ebuf.len);
		buf_reset(&ex->ebuf);
		ev_fd_del(ex->err_w);
		ex->err_w = NULL;
		close(ex->err_fd);
		ex->err_fd = -1;
		return;
	}
	buf_add(&ex->ebuf, chunk, (size_t)r);
	start = 0;
	while ((nl = memchr(ex->ebuf.data + start, '\n',
	    ex->ebuf.len - start)) != NULL) {
		exec_err_line(ex, ex->ebuf.data + start,
		    (size_t)(nl - ex->ebuf.data) - start);
		start = (size_t)(nl - ex->ebuf.data) + 1;
	}
	if (ex->ebuf.len - start > 4096) {
		exec_err_line(ex, ex->ebuf.data + start, ex->ebuf.len - start);
		start = ex->ebuf.len;
	}
	memmove(ex->ebuf.data, ex->ebuf.data + start, ex->ebuf.len - start);
	ex->ebuf.len -= start;
	ex->ebuf.data[ex->ebuf.len] = '\0';
}

/* Write what is waiting for its stdin. */
static void
exec_write(int fd, short revents, void *data)
{
	struct exec	*ex = data;
	ssize_t		 w;

	(void)revents;
	while (ex->wpos < ex->wbuf.len) {
		w = write(fd, ex->wbuf.data + ex->wpos, ex->wbuf.len -
		    ex->wpos);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN)
			break;
		if (w <= 0) {
			/* It closed its stdin: it is ending, its stdout's end
			 * says so. */
			buf_reset(&ex->wbuf);
			ex->wpos = 0;
			if (ex->in_w != NULL)
				ev_fd_del(ex->in_w);
			ex->in_w = NULL;
			close(ex->in_fd);
			ex->in_fd = -1;
			return;
		}
		ex->wpos += (size_t)w;
		ex->written += (uint64_t)w;
	}
	if (ex->wpos == ex->wbuf.len) {
		buf_reset(&ex->wbuf);
		ex->wpos = 0;
		if (ex->in_w != NULL)
			ev_fd_del(ex->in_w);
		ex->in_w = NULL;
	} else if (ex->in_w == NULL)
		ex->in_w = ev_fd_add(ex->link->loop, fd, POLLOUT, exec_write,
		    ex);
}

/* An acknowledgement {"type":"sent"|"failed","id":...}. */
static void
exec_ack(struct exec *ex, json_t *root, const char *type, const char *line,
    size_t len)
{
	struct chan_link	*l = ex->link;
	struct exec_send	*s;
	const char		*id, *upstream, *reason;
	char			*clean;

	id = json_string_value(json_object_get(root, "id"));
	if (id == NULL) {
		l->host->quarantine(l, "answer", line, len,
		    "an acknowledgement without a string \"id\"");
		return;
	}
	TAILQ_FOREACH(s, &ex->sends, entry)
		if (strcmp(s->o->native_id, id) == 0)
			break;
	if (s == NULL) {
		clean = sanitize(id, strlen(id), SANITIZE_LINE, 80);
		log_debug("%s: bridge acknowledged %s, not in flight",
		    l->name, clean);
		free(clean);
		return;
	}
	TAILQ_REMOVE(&ex->sends, s, entry);
	if (strcmp(type, "sent") == 0) {
		upstream = json_string_value(json_object_get(root,
		    "upstream_id"));
		clean = upstream != NULL ? sanitize(upstream, strlen(upstream),
		    SANITIZE_LINE, 200) : NULL;
		l->host->send_done(l, s->o, CHAN_SENT, clean, NULL, -1);
	} else {
		reason = json_string_value(json_object_get(root, "reason"));
		clean = sanitize(reason != NULL ? reason : "the bridge said "
		    "failed", strlen(reason != NULL ? reason : "the bridge "
		    "said failed"), SANITIZE_LINE, 400);
		l->host->send_done(l, s->o, CHAN_SEND_FAILED, NULL, clean, -1);
	}
	free(clean);
	free(s);
}

/* Store the messages held; 0, or -1 when the store refused them (kept,
 * tried again after a back-off). */
static int
exec_deliver(struct exec *ex)
{
	struct chan_link	*l = ex->link;
	size_t			 delivered, i;
	char			*cause;

	if (ex->n_held == 0 && !l->quarantine_failed)
		return 0;
	if (l->host->deliver(l, ex->held, ex->n_held, &delivered, &cause) !=
	    CHAN_OK) {
		free(cause);
		return -1;
	}
	for (i = 0; i < ex->n_held; i++)
		msg_free(ex->held[i]);
	free(ex->held);
	ex->held = NULL;
	ex->n_held = 0;
	return 0;
}

/* One line of its stdout. */
static void
exec_line(struct exec *ex, const char *line, size_t len)
{
	struct chan_link	*l = ex->link;
	json_t			*root;
	const char		*type;
	struct msg		*m;
	char			*cause, *reason;

	while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == ' '))
		len--;
	if (len == 0)
		return;
	if (memmem(line, len, "\"type\"", 6) != NULL &&
	    (root = json_loadb(line, len, 0, NULL)) != NULL) {
		type = json_string_value(json_object_get(root, "type"));
		if (type != NULL && (strcmp(type, "sent") == 0 ||
		    strcmp(type, "failed") == 0)) {
			exec_ack(ex, root, type, line, len);
			json_decref(root);
			return;
		}
		json_decref(root);
	}
	if ((m = json_msg_parse(line, len, &cause)) == NULL) {
		reason = xasprintf("the bridge wrote a line that is not a "
		    "canonical message: %s", cause);
		l->host->quarantine(l, "line", line, len, reason);
		free(reason);
		free(cause);
		return;
	}
	ex->attempt = 0;
	ex->held = xreallocarray(ex->held, ex->n_held + 1, sizeof *ex->held);
	ex->held[ex->n_held++] = m;
}

static void
exec_retry(void *data)
{
	struct exec	*ex = data;

	ex->timer = NULL;
	if (exec_deliver(ex) != 0) {
		ex->timer = ev_timer_add(ex->link->loop,
		    chan_backoff_ms(ex->link, ex->attempt++), exec_retry, ex);
		return;
	}
	if (ex->out_w != NULL)
		ev_fd_set_events(ex->out_w, POLLIN);
	else if (ex->pid != 0)
		exec_closed(ex);
}

/* Split rbuf into lines (the last, cut, stays); at eof the rest too. */
static void
exec_lines(struct exec *ex, int eof)
{
	size_t	 start = 0;
	char	*nl;

	while ((nl = memchr(ex->rbuf.data + start, '\n',
	    ex->rbuf.len - start)) != NULL) {
		exec_line(ex, ex->rbuf.data + start,
		    (size_t)(nl - ex->rbuf.data) - start);
		start = (size_t)(nl - ex->rbuf.data) + 1;
	}
	if (eof || ex->rbuf.len - start > EXEC_LINE_MAX) {
		exec_line(ex, ex->rbuf.data + start, ex->rbuf.len - start);
		start = ex->rbuf.len;
	}
	memmove(ex->rbuf.data, ex->rbuf.data + start, ex->rbuf.len - start);
	ex->rbuf.len -= start;
	ex->rbuf.data[ex->rbuf.len] = '\0';
}

/* Its stdout: lines in, messages stored a batch at a time. */
static void
exec_read(int fd, short revents, void *data)
{
	struct exec	*ex = data;
	char		 chunk[65536];
	ssize_t		 r;
	size_t		 total = 0;
	int		 eof = 0;

	(void)revents;
	while (total < EXEC_READ_MAX) {
		r = read(fd, chunk, sizeof chunk);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && errno == EAGAIN)
			break;
		if (r <= 0) {
			eof = 1;
			break;
		}
		buf_add(&ex->rbuf, chunk, (size_t)r);
		total += (size_t)r;
	}
	exec_lines(ex, eof);
	if (eof) {
		ev_fd_del(ex->out_w);
		ex->out_w = NULL;
		close(ex->out_fd);
		ex->out_fd = -1;
	}
	if (exec_deliver(ex) != 0) {
		if (ex->out_w != NULL)
			ev_fd_set_events(ex->out_w, 0);
		if (ex->timer == NULL)
			ex->timer = ev_timer_add(ex->link->loop,
			    chan_backoff_ms(ex->link, ex->attempt++),
			    exec_retry, ex);
		return;
	}
	if (eof)
		exec_closed(ex);
}

/* Wait for the bridge to exit (killing it when it lingers), then settle
 * the sends it took and start it again. */
static void
exec_reap(void *data)
{
	struct exec		*ex = data;
	struct chan_link	*l = ex->link;
	struct exec_send	*s;
	int			 status;
	pid_t			 pid;
	char			*why;

	ex->timer = NULL;
	while ((pid = waitpid(ex->pid, &status, WNOHANG)) == -1 &&
	    errno == EINTR)
		;
	if (pid == 0) {
		if (util_clock_ms() >= ex->kill_at) {
			kill(-ex->pid, SIGKILL);
			ex->kill_at = util_clock_ms() + EXEC_KILL_MS;
		}
		ex->timer = ev_timer_add(l->loop, EXEC_REAP_MS, exec_reap, ex);
		return;
	}
	if (pid == -1)
		ex->status = 127;
	else if (WIFEXITED(status))
		ex->status = WEXITSTATUS(status);
	else
		ex->status = 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	kill(-ex->pid, SIGKILL);	/* what it left in its group */
	ex->pid = 0;
	ex->reaping = 0;
	if (ex->err_w != NULL) {
		exec_err_read(ex->err_fd, POLLIN, ex);
		if (ex->err_w != NULL) {
			ev_fd_del(ex->err_w);
			close(ex->err_fd);
		}
		ex->err_w = NULL;
		ex->err_fd = -1;
	}
	why = ex->status > 128 ? xasprintf(_("the bridge was killed by signal "
	    "%d"), ex->status - 128) : xasprintf(_("the bridge exited (status %d)"),
	    ex->status);
	log_debug("%s: %s", l->name, why);
	while ((s = TAILQ_FIRST(&ex->sends)) != NULL) {
		TAILQ_REMOVE(&ex->sends, s, entry);
		if (ex->written <= s->offset)
			l->host->send_done(l, s->o, CHAN_SEND_RETRY, NULL,
			    "the bridge stopped before it was given", 0);
		else if (ex->idempotent)
			l->host->send_done(l, s->o, CHAN_SEND_RETRY, NULL,
			    "the bridge stopped before it answered", 0);
		else
			l->host->send_done(l, s->o, CHAN_SEND_UNKNOWN, NULL,
			    "the bridge stopped before it answered", -1);
		free(s);
	}
	exec_schedule(ex, why);
	free(why);
}

/* Its stdout ended: it is ending (or closed it, and is made to). */
static void
exec_closed(struct exec *ex)
{
	if (ex->in_w != NULL)
		ev_fd_del(ex->in_w);
	ex->in_w = NULL;
	if (ex->in_fd != -1)
		close(ex->in_fd);
	ex->in_fd = -1;
	buf_reset(&ex->wbuf);
	ex->wpos = 0;
	if (ex->err_w == NULL && ex->err_fd != -1)
		ex->err_w = ev_fd_add(ex->link->loop, ex->err_fd, POLLIN,
		    exec_err_read, ex);
	ex->reaping = 1;
	ex->kill_at = util_clock_ms() + EXEC_KILL_MS;
	if (ex->timer != NULL)
		ev_timer_del(ex->timer);
	ex->timer = ev_timer_add(ex->link->loop, 0, exec_reap, ex);
}

static void *
exec_start(struct chan_link *l, char **cause)
{
	struct exec	*ex;
	const char	*command, *value;
	static int	 sigpipe_ignored;

	*cause = NULL;
	if ((command = channel_config_get(l->cc, "command")) == NULL ||
	    *command == '\0') {
		*cause = xstrdup(_("no command= (the bridge to run)"));
		return NULL;
	}
	if (!sigpipe_ignored) {
		/* A bridge that closed its stdin must not kill us. */
		signal(SIGPIPE, SIG_IGN);
		sigpipe_ignored = 1;
	}
	ex = xcalloc(1, sizeof *ex);
	ex->link = l;
	ex->command = xstrdup(command);
	value = channel_config_get(l->cc, "channel");
	ex->channel = xstrdup(value != NULL ? value : l->name);
	ex->account = channel_config_get(l->cc, "account");
	value = channel_config_get(l->cc, "idempotent");
	ex->idempotent = value != NULL && (strcmp(value, "yes") == 0 ||
	    strcmp(value, "on") == 0 || strcmp(value, "true") == 0);
	l->idempotent = ex->idempotent;
	ex->in_fd = ex->out_fd = ex->err_fd = -1;
	buf_init(&ex->wbuf);
	buf_init(&ex->rbuf);
	buf_init(&ex->ebuf);
	TAILQ_INIT(&ex->sends);
	ex->timer = ev_timer_add(l->loop, 0, exec_spawn, ex);
	return ex;
}

static void
exec_stop(void *data)
{
	struct exec		*ex = data;
	struct exec_send	*s;
	size_t			 i;

	if (ex == NULL)
		return;
	if (ex->timer != NULL)
		ev_timer_del(ex->timer);
	if (ex->in_w != NULL)
		ev_fd_del(ex->in_w);
	if (ex->out_w != NULL)
		ev_fd_del(ex->out_w);
	if (ex->err_w != NULL)
		ev_fd_del(ex->err_w);
	if (ex->in_fd != -1)
		close(ex->in_fd);
	if (ex->out_fd != -1)
		close(ex->out_fd);
	if (ex->err_fd != -1)
		close(ex->err_fd);
	if (ex->pid != 0) {
		kill(-ex->pid, SIGTERM);
		waitpid(ex->pid, NULL, WNOHANG);
	}
	/* A send cut off stays "sending": unknown at the next start, or
	 * sent again when the bridge is idempotent. */
	while ((s = TAILQ_FIRST(&ex->sends)) != NULL) {
		TAILQ_REMOVE(&ex->sends, s, entry);
		store_outgoing_free(s->o);
		free(s);
	}
	for (i = 0; i < ex->n_held; i++)
		msg_free(ex->held[i]);
	free(ex->held);
	buf_free(&ex->wbuf);
	buf_free(&ex->rbuf);
	buf_free(&ex->ebuf);
	free(ex->command);
	free(ex->channel);
	free(ex);
}

static int
exec_owns(void *data, const char *channel, const char *account)
{
	struct exec	*ex = data;

	if (strcmp(channel, ex->channel) != 0)
		return 0;
	return ex->account == NULL || account == NULL ||
	    strcmp(ex->account, account) == 0;
}

static void
exec_json_set(json_t *obj, const char *key, const char *value)
{
	if (value != NULL)
		json_object_set_new(obj, key, json_string(value));
}

/* A reply, as a line on its stdin. */
static void
exec_send(void *data, struct store_outgoing *o)
{
	struct exec		*ex = data;
	struct chan_link	*l = ex->link;
	struct exec_send	*s;
	json_t			*obj;
	char			*text;

	if (ex->pid == 0 || ex->reaping || ex->in_fd == -1) {
		l->host->send_done(l, o, CHAN_SEND_RETRY, NULL,
		    "the bridge is not running", 1000);
		return;
	}
	obj = json_object();
	json_object_set_new(obj, "type", json_string("send"));
	exec_json_set(obj, "id", o->native_id);
	exec_json_set(obj, "conversation", o->conv_id);
	exec_json_set(obj, "account", o->account);
	exec_json_set(obj, "channel", o->channel);
	exec_json_set(obj, "text", o->text != NULL ? o->text : "");
	exec_json_set(obj, "reply_to", o->reply_to);
	text = json_dumps(obj, JSON_COMPACT);
	json_decref(obj);
	if (text == NULL) {
		l->host->send_done(l, o, CHAN_SEND_FAILED, NULL,
		    "the reply cannot be written as JSON", -1);
		return;
	}
	s = xcalloc(1, sizeof *s);
	s->o = o;
	s->offset = ex->written + (ex->wbuf.len - ex->wpos);
	TAILQ_INSERT_TAIL(&ex->sends, s, entry);
	buf_add_str(&ex->wbuf, text);
	buf_add_char(&ex->wbuf, '\n');
	free(text);
	exec_write(ex->in_fd, POLLOUT, ex);
}

const struct chan_type chan_exec_type = {
	.name = "exec",
	.start = exec_start,
	.stop = exec_stop,
	.owns = exec_owns,
	.send = exec_send
};
