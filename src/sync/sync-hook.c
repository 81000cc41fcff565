/*
 * sync-hook.c: what a hook reads and how it runs, for the syncer
 * (sync-feed.c) and for `ombre hook test`: linked by both programs, so
 * nothing here needs the network or the syncer's own files.
 *
 * A hook is a shell command (`hook EVENT COMMAND`, or a channel's
 * bot-hook) run as /bin/sh -c COMMAND, as tmux's run-shell does, in a
 * process group of its own, with one JSON object on its standard input
 * (sync_hook_json). Nothing secret goes to it: neither argv nor the
 * environment gets anything of ours, the JSON holds no channel key, and
 * every descriptor but its three standard ones is closed (the sync lock
 * among them). Its output is kept, capped; past its timeout the group is
 * sent SIGTERM, and SIGKILL SYNC_HOOK_KILL_MS later. The caller's loop
 * never waits for it: the JSON is written as the pipe takes it and the
 * child is reaped by polling.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sync/sync-private.h"

#include <sys/syscall.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Output kept from a hook: enough for the lines that say what failed. */
#define SYNC_HOOK_OUTPUT_MAX	4096
/* How often a hook is looked at (exit, timeout); its output closing
 * makes us look at once. */
#define SYNC_HOOK_POLL_MS	50
/* Between SIGTERM and SIGKILL. */
#define SYNC_HOOK_KILL_MS	2000

struct sync_hook_run {
	struct ev_loop		*loop;
	pid_t			 pid;		/* also the process group */
	int			 in_fd;		/* the JSON, -1 once written */
	int			 out_fd;	/* stdout and stderr, -1 at EOF */
	struct ev_fd		*in_watch;
	struct ev_fd		*out_watch;
	struct ev_timer		*timer;
	char			*json;
	size_t			 json_len;
	size_t			 json_off;
	struct buf		 output;
	int64_t			 started;	/* util_clock_ms */
	int64_t			 deadline;
	int64_t			 kill_at;	/* SIGKILL due, 0: not yet */
	int			 killed;
	sync_hook_done_cb	 done;
	void			*data;
};

/* ---------------------------------------------------------- the JSON */

char *
sync_hook_pick(struct msg *const *msgs, size_t n, const char *event)
{
	const struct msg	*m = NULL;
	size_t			 i;

	for (i = n; i > 0 && m == NULL; i--) {
		const struct msg	*c = msgs[i - 1];

		if (strcmp(event, "message") == 0 ? c->kind == MSG_CUSTOMER :
		    strcmp(event, "sent") == 0 || strcmp(event, "failed") == 0 ?
		    c->outbox != NULL && strcmp(c->outbox, event) == 0 :
		    c->event != NULL && strcmp(c->event, event) == 0)
			m = c;
	}
	if (m == NULL && n > 0)
		m = msgs[n - 1];
	if (m == NULL)
		return NULL;
	return msgid_message(m->channel, m->account, m->conv_id, m->id);
}

/* The agent a message names: an event's, else a reply's author. */
static const char *
sync_hook_agent_of(const struct msg *m)
{
	if (m->agent != NULL)
		return m->agent;
	if (m->kind == MSG_AGENT || m->kind == MSG_NOTE)
		return m->from_name != NULL ? m->from_name : m->from_id;
	return NULL;
}

char *
sync_hook_crisis_json(const char *data_dir, const char *state)
{
	struct json_obj	*o;
	struct crisis	*c = NULL;

	o = json_obj_new();
	json_obj_set_str(o, "event", "crisis");
	json_obj_set_str(o, "state", state);
	if (strcmp(state, "on") == 0 &&
	    (c = store_crisis_read(data_dir)) != NULL) {
		crisis_json(c, o);
		crisis_free(c);
	}
	return json_obj_finish(o);
}

char *
sync_hook_json(struct store *st, const char *event, const char *thread_id,
    const char *msgid, char **cause)
{
	struct msg		 *m = NULL, **msgs = NULL, *customer = NULL;
	const struct msg	 *found = NULL;
	struct json_obj		 *o, *child;
	char			 *tid = NULL, *query, date[64], *out = NULL, *id;
	const char		 *short_id, *reason;
	size_t			  n = 0, i;

	*cause = NULL;
	if (store_message_get(st, msgid, &m, cause) != STORE_OK)
		goto out;
	if (thread_id == NULL) {
		/* A reply from the outbox: its conversation by its id. */
		query = xasprintf("id:\"%s\"", msgid);
		if (store_resolve_conv(st, query, &tid, cause) != STORE_OK) {
			free(query);
			goto out;
		}
		free(query);
		thread_id = tid;
	}
	if (strcmp(event, "message") == 0)
		customer = m;
	else {
		/* The conversation's customer: who wrote its newest
		 * customer message. */
		if (store_thread_messages(st, thread_id, &msgs, &n, cause) !=
		    STORE_OK)
			goto out;
		for (i = n; i > 0 && customer == NULL; i--)
			if (msgs[i - 1]->kind == MSG_CUSTOMER)
				customer = msgs[i - 1];
		/* The thread's copy has the outbox's state and error, which
		 * the message's file does not. */
		for (i = 0; i < n && found == NULL; i++) {
			id = msgid_message(msgs[i]->channel, msgs[i]->account,
			    msgs[i]->conv_id, msgs[i]->id);
			if (strcmp(id, msgid) == 0)
				found = msgs[i];
			free(id);
		}
	}
	if (found == NULL)
		found = m;

	o = json_obj_new();
	json_obj_set_str(o, "event", event);
	child = json_obj_new();
	for (short_id = thread_id; *short_id == '0' && short_id[1] != '\0';
	    short_id++)
		;
	json_obj_set_str(child, "id", short_id);
	json_obj_set_str(child, "thread", thread_id);
	json_obj_set_str(child, "title", found->conv_title);
	json_obj_set_obj(o, "conversation", child);
	json_obj_set_str(o, "channel", found->channel);
	json_obj_set_str(o, "account", found->account);
	child = json_obj_new();
	json_obj_set_str(child, "id", customer != NULL ? customer->from_id :
	    NULL);
	json_obj_set_str(child, "name", customer != NULL ?
	    customer->from_name : NULL);
	json_obj_set_obj(o, "customer", child);
	json_obj_set_str(o, "agent", sync_hook_agent_of(found));
	reason = found->reason;
	if (reason == NULL && strcmp(event, "failed") == 0)
		reason = found->outbox_error;
	json_obj_set_str(o, "reason", reason);
	json_obj_set_str(o, "kind", msg_kind_name(found->kind));
	json_obj_set_str(o, "text", found->text);
	util_format_rfc3339(found->date, found->date_offset, date, sizeof date);
	json_obj_set_str(o, "date", date);
	json_obj_set_str(o, "message", msgid);
	out = json_obj_finish(o);
out:
	if (out == NULL && *cause == NULL)
		*cause = xasprintf(_("message %s not found"), msgid);
	msg_free(m);
	store_msgs_free(msgs, n);
	free(tid);
	return out;
}

const struct channel_config *
sync_hook_channel(const char *channel, const char *account)
{
	if (channel == NULL)
		return NULL;
	return channel_config_for(channel, account);
}

/* --------------------------------------------------------- the child */

/* In the child: nothing of ours but the three descriptors. */
static void
sync_hook_close_fds(void)
{
	int	fd, max;

#ifdef SYS_close_range
	if (syscall(SYS_close_range, 3U, ~0U, 0U) == 0)
		return;
#endif
	max = (int)sysconf(_SC_OPEN_MAX);
	if (max < 0 || max > 65536)
		max = 65536;
	for (fd = 3; fd < max; fd++)
		close(fd);
}

static void	sync_hook_tick(void *);

/* Stop watching the JSON's pipe and close it. */
static void
sync_hook_close_in(struct sync_hook_run *r)
{
	if (r->in_watch != NULL)
		ev_fd_del(r->in_watch);
	r->in_watch = NULL;
	if (r->in_fd != -1)
		close(r->in_fd);
	r->in_fd = -1;
}

static void
sync_hook_close_out(struct sync_hook_run *r)
{
	if (r->out_watch != NULL)
		ev_fd_del(r->out_watch);
	r->out_watch = NULL;
	if (r->out_fd != -1)
		close(r->out_fd);
	r->out_fd = -1;
}

/* Write what the pipe takes; a hook that does not read (EPIPE) or has
 * taken it all is done with it. */
static void
sync_hook_write(int fd, short revents, void *data)
{
	struct sync_hook_run	*r = data;
	ssize_t			 n;

	(void)fd;
	(void)revents;
	while (r->json_off < r->json_len) {
		n = write(r->in_fd, r->json + r->json_off,
		    r->json_len - r->json_off);
		if (n > 0) {
			r->json_off += (size_t)n;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && errno == EAGAIN) {
			if (r->in_watch == NULL)
				r->in_watch = ev_fd_add(r->loop, r->in_fd,
				    POLLOUT, sync_hook_write, r);
			return;
		}
		break;
	}
	sync_hook_close_in(r);
}

static void
sync_hook_read(int fd, short revents, void *data)
{
	struct sync_hook_run	*r = data;
	char			 chunk[4096];
	ssize_t			 n;

	(void)revents;
	n = read(fd, chunk, sizeof chunk);
	if (n > 0) {
		if (r->output.len < SYNC_HOOK_OUTPUT_MAX)
			buf_add(&r->output, chunk, (size_t)n);
		return;
	}
	if (n == -1 && (errno == EINTR || errno == EAGAIN))
		return;
	sync_hook_close_out(r);
	/* Its output closed: it is likely gone, look now. */
	if (r->timer != NULL)
		ev_timer_del(r->timer);
	r->timer = ev_timer_add(r->loop, 0, sync_hook_tick, r);
}

/* Free a run, its child reaped or let go. */
static void
sync_hook_free(struct sync_hook_run *r)
{
	sync_hook_close_in(r);
	sync_hook_close_out(r);
	if (r->timer != NULL)
		ev_timer_del(r->timer);
	buf_free(&r->output);
	free(r->json);
	free(r);
}

/*
 * Every SYNC_HOOK_POLL_MS: has it exited (then done), is it past its
 * time (SIGTERM to its group), still there SYNC_HOOK_KILL_MS after
 * (SIGKILL)?
 */
static void
sync_hook_tick(void *data)
{
	struct sync_hook_run		*r = data;
	struct sync_hook_result		 res;
	int				 status;
	pid_t				 pid;
	int64_t				 now = util_clock_ms();

	r->timer = NULL;
	while ((pid = waitpid(r->pid, &status, WNOHANG)) == -1 &&
	    errno == EINTR)
		;
	if (pid == r->pid || (pid == -1 && errno == ECHILD)) {
		memset(&res, 0, sizeof res);
		if (pid == -1)
			res.status = 127;
		else if (WIFEXITED(status))
			res.status = WEXITSTATUS(status);
		else
			res.status = 128 + (WIFSIGNALED(status) ?
			    WTERMSIG(status) : 0);
		/* What it left behind in its group goes with it on a
		 * timeout; otherwise it is the hook's business. */
		if (r->killed)
			kill(-r->pid, SIGKILL);
		res.killed = r->killed;
		res.ms = now - r->started;
		/* A background child may hold the output open: not waited
		 * for. */
		sync_hook_close_out(r);
		res.output = r->output.len > 0 ? r->output.data : "";
		r->done(r, &res, r->data);
		sync_hook_free(r);
		return;
	}
	if (!r->killed && now >= r->deadline) {
		r->killed = 1;
		r->kill_at = now + SYNC_HOOK_KILL_MS;
		kill(-r->pid, SIGTERM);
	} else if (r->killed && r->kill_at != 0 && now >= r->kill_at) {
		r->kill_at = 0;
		kill(-r->pid, SIGKILL);
	}
	r->timer = ev_timer_add(r->loop, SYNC_HOOK_POLL_MS, sync_hook_tick, r);
}

struct sync_hook_run *
sync_hook_start(struct ev_loop *loop, const char *command, const char *json,
    int64_t timeout_ms, sync_hook_done_cb done, void *data, char **cause)
{
	static int		 sigpipe_ignored;
	struct sync_hook_run	*r;
	int			 in[2], out[2];
	pid_t			 pid;

	*cause = NULL;
	if (!sigpipe_ignored) {
		/* A hook that does not read its input must not kill us. */
		signal(SIGPIPE, SIG_IGN);
		sigpipe_ignored = 1;
	}
	if (pipe(in) != 0) {
		*cause = xasprintf("pipe: %s", strerror(errno));
		return NULL;
	}
	if (pipe(out) != 0) {
		*cause = xasprintf("pipe: %s", strerror(errno));
		close(in[0]);
		close(in[1]);
		return NULL;
	}
	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) == -1) {
		*cause = xasprintf("fork: %s", strerror(errno));
		close(in[0]);
		close(in[1]);
		close(out[0]);
		close(out[1]);
		return NULL;
	}
	if (pid == 0) {
		util_child_defaults();
		if (dup2(in[0], STDIN_FILENO) == -1 ||
		    dup2(out[1], STDOUT_FILENO) == -1 ||
		    dup2(out[1], STDERR_FILENO) == -1)
			_exit(127);
		sync_hook_close_fds();
		execl("/bin/sh", "sh", "-c", command, (char *)NULL);
		_exit(127);
	}
	/* Both sides set the group: a kill may come before the child ran. */
	setpgid(pid, pid);
	close(in[0]);
	close(out[1]);
	fcntl(in[1], F_SETFD, FD_CLOEXEC);
	fcntl(out[0], F_SETFD, FD_CLOEXEC);
	fcntl(in[1], F_SETFL, fcntl(in[1], F_GETFL) | O_NONBLOCK);
	fcntl(out[0], F_SETFL, fcntl(out[0], F_GETFL) | O_NONBLOCK);

	r = xcalloc(1, sizeof *r);
	r->loop = loop;
	r->pid = pid;
	r->in_fd = in[1];
	r->out_fd = out[0];
	r->json = xasprintf("%s\n", json);
	r->json_len = strlen(r->json);
	buf_init(&r->output);
	r->started = util_clock_ms();
	r->deadline = r->started + timeout_ms;
	r->done = done;
	r->data = data;
	r->out_watch = ev_fd_add(loop, r->out_fd, POLLIN, sync_hook_read, r);
	sync_hook_write(r->in_fd, POLLOUT, r);
	r->timer = ev_timer_add(loop, SYNC_HOOK_POLL_MS, sync_hook_tick, r);
	return r;
}

pid_t
sync_hook_pid(const struct sync_hook_run *r)
{
	return r->pid;
}

void
sync_hook_detach(struct sync_hook_run *r)
{
	sync_hook_free(r);
}

char *
sync_hook_outcome(const struct sync_hook_result *res)
{
	if (res->killed)
		return xasprintf(_("killed after %lld s"),
		    (long long)((res->ms + 500) / 1000));
	if (res->status > 128)
		return xasprintf(_("killed by signal %d"), res->status - 128);
	return xasprintf(_("exit %d"), res->status);
}

char *
sync_hook_describe(const char *event, const char *command,
    const struct sync_hook_result *res)
{
	char	*cmd, *line, *what;

	cmd = sanitize(command, strlen(command), SANITIZE_LINE, 60);
	what = sync_hook_outcome(res);
	line = xasprintf(_("hook %s (%s) %s"), event, cmd, what);
	free(what);
	free(cmd);
	return line;
}
