/*
 * sync.c: the one process that talks to the channels.
 *
 * Exactly one syncer runs per data dir: the holder of flock() on
 * DATA/sync.lock (opened O_CLOEXEC, so children never inherit it; the
 * kernel frees it when the process dies, even by SIGKILL). It runs one
 * poll loop: curl multi's sockets and timers (net-http.c) and each
 * adapter's timers. Adapters store what they fetch through the host's
 * deliver, which returns once the messages are delivered (Maildir files
 * and a journal, fsynced), and only then move their cursor (cursor_save):
 * a crash fetches again, never loses. A child indexes what was delivered,
 * in large batches, off the fetch path. A store that cannot write (a full
 * disk) fails the batch: the cursor stays, and the channel shows why.
 * Each channel's state goes to DATA/sync/status, rewritten whole
 * (write, fsync, rename) on each change, for `ombre sync --status` and the
 * console's status line.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sync/sync-private.h"

#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The longest error kept for a channel, in columns. */
#define SYNC_ERROR_WIDTH	300

/* Stored in DATA/sync/status and read back as they are: C here,
 * translated where shown (sync_state_channel_phrase). */
static const char *const sync_state_names[] = {
	N_("starting"), N_("connected"), N_("backing off"),
	N_("rate-limited"), N_("conflict"), N_("auth failed"), N_("failed"),
	N_("disk full: not fetching"),
	N_("cannot write the store: not fetching")
};

static const char *
sync_state_name(enum chan_state s)
{
	return (size_t)s < nitems(sync_state_names) ? sync_state_names[s] :
	    "?";
}

#define SYNC_STATUS_BLOCK	4096

/* The status file overwritten in place, when it is big enough: no new
 * block is needed. Readers may see a torn line once; the next write
 * mends it. Return 0 or -1. */
static int
sync_status_overwrite(struct sync *s, const struct buf *b)
{
	struct stat	 sb;
	char		*path;
	int		 fd, rc = -1;

	path = xasprintf("%s/status", s->dir);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	free(path);
	if (fd == -1)
		return -1;
	if (fstat(fd, &sb) == 0 && (size_t)sb.st_size >= b->len &&
	    pwrite(fd, b->data, b->len, 0) == (ssize_t)b->len) {
		/* Blank lines for what the old text had beyond ours. */
		rc = 0;
		for (off_t off = (off_t)b->len; off < sb.st_size && rc == 0;
		    off += SYNC_STATUS_BLOCK) {
			char	blank[SYNC_STATUS_BLOCK];
			size_t	n = sb.st_size - off < SYNC_STATUS_BLOCK ?
			    (size_t)(sb.st_size - off) : SYNC_STATUS_BLOCK;

			memset(blank, '\n', n);
			if (pwrite(fd, blank, n, off) != (ssize_t)n)
				rc = -1;
		}
	}
	close(fd);
	return rc;
}

void
sync_write_status(struct sync *s)
{
	struct buf		 b;
	struct sync_link	*sl;
	size_t			 i;
	char			*error;
	int			 quarantined;

	buf_init(&b);
	buf_add_printf(&b, "pid\t%ld\nupdated\t%lld\n", (long)getpid(),
	    (long long)time(NULL));
	for (i = 0; i < s->n_links; i++) {
		sl = &s->links[i];
		/* One line a channel: no tab or newline inside a field. */
		error = xstrdup(sl->error != NULL ? sl->error : "");
		for (char *p = error; *p != '\0'; p++)
			if (*p == '\t' || *p == '\n' || *p == '\r')
				*p = ' ';
		buf_add_printf(&b, "channel\t%s\t%s\t%s\t%lld\t%s\n",
		    sl->link.name, sl->type != NULL ? sl->type->name :
		    sl->link.cc->type, sync_state_name(sl->state),
		    (long long)sl->until, error);
		free(error);
		if (sl->quarantined > 0)
			buf_add_printf(&b, "quarantine\t%s\t%d\n",
			    sl->link.name, sl->quarantined);
	}
	/* What waits in DATA/sync/quarantine, this run's and before. */
	if ((quarantined = sync_quarantine_count(s->dir)) > 0)
		buf_add_printf(&b, "quarantined\t%d\n", quarantined);
	/* Delivered messages the index does not have yet, and why. */
	if (s->unindexed > 0 || s->index_error != NULL)
		buf_add_printf(&b, "index\t%zu\t%s\n", s->unindexed,
		    s->index_error != NULL ? s->index_error : "");
	/* The hooks run so far, the failed ones and the last failure. */
	if (s->hooks_run > 0 || s->hooks_dropped > 0) {
		error = xstrdup(s->hooks_last != NULL ? s->hooks_last : "");
		for (char *p = error; *p != '\0'; p++)
			if (*p == '\t' || *p == '\n' || *p == '\r')
				*p = ' ';
		buf_add_printf(&b, "hooks\t%ld\t%ld\t%ld\t%lld\t%s\n",
		    s->hooks_run, s->hooks_failed, s->hooks_dropped,
		    (long long)s->hooks_last_when, error);
		free(error);
	}
	/*
	 * Padded to whole blocks with empty lines, so that on a full disk,
	 * where a new file cannot be written, the state ("disk full") can
	 * still overwrite the old file's bytes in place.
	 */
	while (b.len % SYNC_STATUS_BLOCK != 0)
		buf_add_char(&b, '\n');
	if (util_write_file(s->dir, "status", b.data, b.len, s->file_mode) != 0 &&
	    sync_status_overwrite(s, &b) != 0)
		log_warn(_("cannot write %s/status"), s->dir);
	buf_free(&b);
}

void
sync_set_state(struct chan_link *l, enum chan_state state, int64_t until,
    const char *error)
{
	struct sync_link	*sl = sync_link_of(l);
	int			 changed;

	if (state == CHAN_BACKOFF && sl->store_blocked != 0) {
		/* What the agent must know first: the disk. */
		state = sl->store_blocked;
		error = sl->store_error;
	}
	changed = sl->state != state || sl->until != until ||
	    (error == NULL) != (sl->error == NULL) ||
	    (error != NULL && strcmp(error, sl->error) != 0);
	sl->state = state;
	sl->until = until;
	if (error != NULL && error != sl->error) {
		/* Errors quote servers: never a control sequence onward. */
		free(sl->error);
		sl->error = sanitize(error, strlen(error), SANITIZE_LINE,
		    SYNC_ERROR_WIDTH);
	} else if (error == NULL && state == CHAN_CONNECTED) {
		free(sl->error);
		sl->error = NULL;
	}
	if (changed)
		sync_write_status(sl->sync);
	/* The sanitised copy: error may quote a server's text. */
	if (changed && error != NULL && sl->error != NULL)
		log_debug("%s: %s: %s", l->name, sync_state_name(state),
		    sl->error);
}

static void
sync_finish(struct chan_link *l, int ok)
{
	struct sync_link	*sl = sync_link_of(l);

	/* Done already, unless this says it failed since (a webhook
	 * channel, done at start, whose token the send found refused). */
	if (sl->finished && (sl->failed || ok))
		return;
	sl->finished = 1;
	sl->failed = !ok;
	if (!ok && sl->state != CHAN_AUTH_FAILED)
		sync_set_state(l, CHAN_FAILED, 0, sl->error);
}

/*
 * Indexing, off the fetch path. Adapters deliver (sync_deliver: Maildir
 * files and a journal, fsynced), which is all a cursor waits for; what
 * was delivered is indexed by a child process that opens the store
 * read-write, which indexes every journal no live process holds, once
 * SYNC_INDEX_BATCH messages wait or the oldest has waited SYNC_INDEX_MS,
 * back to back during a burst. What comes after a quiet spell (nothing
 * delivered and no run ended for SYNC_INDEX_MS) is indexed at once: a
 * lone customer message, say a request for a person, reaches the
 * consoles without waiting for a batch that will not come; if a burst
 * follows it, the burst waits for its batch as before.
 * A failed run (a full disk, a broken index) loses nothing: the files and
 * their journals stay, and the next run, or the next start, indexes them.
 */
#define SYNC_INDEX_BATCH	5000
#define SYNC_INDEX_MS		500

static void	sync_index_start(struct sync *);

/* The indexer child: a read-write open recovers the journals. */
static int
sync_index_child(void *arg)
{
	struct sync		*s = arg;
	struct store		*st;
	enum store_status	 rc;
	char			*cause = NULL;

	rc = store_open(&s->opts->store, STORE_READ_WRITE, &st, &cause);
	if (rc == STORE_OK && (rc = store_close(st)) != STORE_OK)
		cause = xstrdup(_("closing the database failed"));
	if (rc != STORE_OK) {
		fprintf(stderr, "%s%s\n", rc == STORE_FULL ? _("disk full: ") : "",
		    cause != NULL ? cause : store_status_str(rc));
		free(cause);
		return rc == STORE_FULL ? 2 : 1;
	}
	return 0;
}

static void
sync_index_timer(void *data)
{
	struct sync	*s = data;

	s->index_timer = NULL;
	sync_index_start(s);
}

/* Index now, or arm the timer for when the batch is due. */
static void
sync_index_schedule(struct sync *s)
{
	int64_t	wait;

	if (s->indexer != NULL || s->unindexed == 0 || s->index_timer != NULL)
		return;
	wait = s->unindexed_since + SYNC_INDEX_MS - util_clock_ms();
	if (s->unindexed >= SYNC_INDEX_BATCH || wait <= 0 || s->index_quiet)
		sync_index_start(s);
	else
		s->index_timer = ev_timer_add(s->loop, wait, sync_index_timer, s);
}

static void
sync_index_done(struct job *job, int status, const char *output, void *data)
{
	struct sync	*s = data;
	size_t		 i;
	int64_t		 wait;
	char		*line;

	(void)job;
	if (status == JOB_CANCELLED)
		return;
	s->indexer = NULL;
	s->index_ended = util_clock_ms();
	log_debug("indexing %zu messages: %s after %lld ms", s->index_batch,
	    status == 0 ? "done" : "failed",
	    (long long)(util_clock_ms() - s->index_started));
	if (status == 0) {
		s->unindexed -= s->index_batch < s->unindexed ?
		    s->index_batch : s->unindexed;
		s->index_attempt = 0;
		free(s->index_error);
		s->index_error = NULL;
	} else {
		/* Kept for the next run; their ids stay known as stored. */
		for (i = 0; i < s->indexing.n; i++)
			strset_add(&s->delivered, s->indexing.items[i]);
		line = xstrndup(output, strcspn(output, "\n"));
		free(s->index_error);
		s->index_error = sanitize(line, strlen(line), SANITIZE_LINE,
		    SYNC_ERROR_WIDTH);
		free(line);
		if (*s->index_error == '\0') {
			free(s->index_error);
			s->index_error = xasprintf(_("the indexer exited with "
			    "status %d"), status);
		}
		s->index_attempt++;
		log_warn(ngettext("indexing: %s (%zu message delivered, "
		    "waiting)", "indexing: %s (%zu messages delivered, "
		    "waiting)", s->unindexed), s->index_error, s->unindexed);
		if (s->opts->chan.once &&
		    s->index_attempt >= s->opts->chan.attempts)
			s->index_given_up = 1;
	}
	strset_free(&s->indexing);
	s->index_batch = 0;
	sync_write_status(s);
	if (s->index_given_up || s->stop)
		return;
	if (status != 0) {
		wait = net_backoff_ms(s->index_attempt - 1,
		    s->opts->chan.retry_base_ms, s->opts->chan.retry_cap_ms,
		    &s->links[0].link.rng);
		if (s->index_timer != NULL)
			ev_timer_del(s->index_timer);
		s->index_timer = ev_timer_add(s->loop, wait, sync_index_timer,
		    s);
	} else if (s->unindexed > 0 && s->index_was_quiet) {
		/* A burst began with a message indexed at once: what came
		 * since makes a batch, as if that run had not been. */
		sync_index_schedule(s);
	} else if (s->unindexed > 0) {
		/* A burst: what came during this run waits already; the
		 * indexer keeps going. */
		sync_index_start(s);
	}
}

static void
sync_index_start(struct sync *s)
{
	if (s->indexer != NULL || s->unindexed == 0)
		return;
	if (s->index_timer != NULL) {
		ev_timer_del(s->index_timer);
		s->index_timer = NULL;
	}
	s->index_was_quiet = s->index_quiet;
	s->index_quiet = 0;
	/* What the journal lists so far is the child's to index. */
	store_deliver_release(s->deliver);
	s->index_batch = s->unindexed;
	strset_free(&s->indexing);
	s->indexing = s->delivered;
	memset(&s->delivered, 0, sizeof s->delivered);
	s->index_started = util_clock_ms();
	s->indexer = job_run(s->loop, sync_index_child, s, sync_index_done, s);
}

/* --once: nothing delivered waits for the index (or it gave up). */
static int
sync_index_idle(struct sync *s)
{
	if (s->indexer != NULL)
		return 0;
	if (s->unindexed == 0 || s->index_given_up)
		return 1;
	if (s->index_timer == NULL)
		sync_index_start(s);
	return 0;
}

/*
 * A message the store refuses (a field it cannot write back): said and
 * kept aside, never silently dropped; the rest of the batch goes on.
 */
static void
sync_deliver_refused(struct chan_link *l, const struct msg *m,
    const char *why)
{
	char	*clean, *reason;

	clean = sanitize(m->id != NULL ? m->id : "?", m->id != NULL ?
	    strlen(m->id) : 1, SANITIZE_LINE, 80);
	reason = sanitize(why != NULL ? why : "?", why != NULL ? strlen(why) :
	    1, SANITIZE_LINE, 200);
	log_warn(_("%s: message %s not stored: %s"), l->name, clean, reason);
	free(reason);
	free(clean);
}

enum chan_status
sync_write_status_of(int err)
{
	return err == ENOSPC || err == EDQUOT ? CHAN_NO_SPACE :
	    CHAN_WRITE_FAILED;
}

/* host->deliver: what the adapter fetched, durable before its cursor
 * moves. */
static enum chan_status
sync_deliver(struct chan_link *l, struct msg **msgs, size_t n,
    size_t *delivered, char **cause)
{
	struct sync_link	*sl = sync_link_of(l);
	struct sync		*s = sl->sync;
	struct strset		 ids = { NULL, 0, NULL, 0 };
	enum store_status	 rc = STORE_OK;
	size_t			 i;
	int64_t			 now;
	char			*why = NULL, *id;

	*delivered = 0;
	*cause = NULL;
	if (l->quarantine_failed) {
		/* What the page held that could not be taken could not be
		 * kept either: the cursor must not pass it. */
		l->quarantine_failed = 0;
		*cause = xstrdup(_("cannot write the store: not fetching (the "
		    "quarantine)"));
		sl->store_blocked = CHAN_STORE_FAILED;
		free(sl->store_error);
		sl->store_error = xstrdup(_("the quarantine cannot be written"));
		return CHAN_WRITE_FAILED;
	}
	sl->store_blocked = 0;
	if (n == 0)
		return CHAN_OK;
	for (i = 0; i < n && rc == STORE_OK; i++) {
		id = msgid_message(msgs[i]->channel, msgs[i]->account,
		    msgs[i]->conv_id, msgs[i]->id);
		if (strset_has(&s->delivered, id) ||
		    strset_has(&s->indexing, id)) {
			free(id);
			continue;	/* delivered already, not indexed yet */
		}
		switch (rc = store_ingest(s->deliver, msgs[i], &why)) {
		case STORE_OK:
			strset_add(&ids, id);
			break;
		case STORE_DUPLICATE:
			rc = STORE_OK;
			break;
		case STORE_BAD_INPUT:
		case STORE_REFUSED:
			sync_deliver_refused(l, msgs[i], why);
			rc = STORE_OK;
			break;
		default:
			break;
		}
		free(id);
		if (rc != STORE_OK)
			break;
		free(why);
		why = NULL;
	}
	/* The batch is durable only once flushed; the cursor waits for it. */
	if (rc == STORE_OK)
		rc = store_flush(s->deliver, &why);
	if (rc != STORE_OK) {
		/* A store that cannot write: nothing of the batch counts, and
		 * the adapter keeps its cursor where it was. */
		*cause = xasprintf(_("%s: not fetching (%s)"), rc == STORE_FULL ?
		    _("disk full") : _("cannot write the store"), why != NULL ? why :
		    store_status_str(rc));
		sl->store_blocked = rc == STORE_FULL ? CHAN_DISK_FULL :
		    CHAN_STORE_FAILED;
		free(sl->store_error);
		sl->store_error = why != NULL ? why : xstrdup(
		    store_status_str(rc));
		strset_free(&ids);
		return rc == STORE_FULL ? CHAN_NO_SPACE : CHAN_WRITE_FAILED;
	}
	free(why);
	for (i = 0; i < ids.n; i++)
		strset_add(&s->delivered, ids.items[i]);
	*delivered = ids.n;
	if (ids.n > 0) {
		now = util_clock_ms();
		if (s->unindexed == 0)
			s->unindexed_since = now;
		s->index_quiet = s->unindexed == 0 &&
		    now - s->delivered_last >= SYNC_INDEX_MS &&
		    now - s->index_ended >= SYNC_INDEX_MS;
		s->delivered_last = now;
	}
	s->unindexed += ids.n;
	strset_free(&ids);
	sync_index_schedule(s);
	return CHAN_OK;
}

/* host->conv_tag */
static void
sync_conv_tag(struct chan_link *l, const char *msgid, const char *op)
{
	struct sync	*s = sync_link_of(l)->sync;
	struct store	*st;
	char		*cause, *target, *ops[1];
	long		 changed;

	if (store_open(&s->opts->store, STORE_READ_WRITE, &st, &cause) !=
	    STORE_OK) {
		log_warn("%s: %s", l->name, cause);
		free(cause);
		return;
	}
	target = xasprintf("id:%s", msgid);
	ops[0] = xstrdup(op);
	if (store_tag(st, target, ops, 1, &changed, &cause) != STORE_OK) {
		log_warn("%s: %s", l->name, cause);
		free(cause);
	}
	free(target);
	free(ops[0]);
	store_close(st);
}

/* host->has_message: delivered by this run, or in the index. */
static int
sync_has_message(struct chan_link *l, const char *msgid)
{
	struct sync	*s = sync_link_of(l)->sync;
	struct store	*st;
	char		*cause;
	int		 found;

	if (strset_has(&s->delivered, msgid) ||
	    strset_has(&s->indexing, msgid))
		return 1;

	if (store_open(&s->opts->store, STORE_READ_ONLY, &st, &cause) !=
	    STORE_OK) {
		free(cause);
		return 0;
	}
	found = store_has_message(st, msgid);
	store_close(st);
	return found;
}

/* host->cursor_load: DATA/sync/NAME.KEY */
static char *
sync_cursor_load(struct chan_link *l, const char *key)
{
	struct buf	 b;
	char		*path, chunk[4096];
	size_t		 n;
	FILE		*f;

	path = xasprintf("%s/%s.%s", sync_link_of(l)->sync->dir, l->name, key);
	f = fopen(path, "re");
	free(path);
	if (f == NULL)
		return NULL;
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	/* One value, written with a newline after it. */
	if (b.len > 0 && b.data[b.len - 1] == '\n')
		b.data[--b.len] = '\0';
	if (b.len == 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

/* host->cursor_save: a failure is said here, once, for every adapter. */
static enum chan_status
sync_cursor_save(struct chan_link *l, const char *key, const char *value)
{
	enum chan_status	 rc = CHAN_OK;
	char			*name, *data;
	int			 saved;

	name = xasprintf("%s.%s", l->name, key);
	data = xasprintf("%s\n", value);
	if (util_write_file(sync_link_of(l)->sync->dir, name, data,
	    strlen(data), sync_link_of(l)->sync->file_mode) != 0) {
		saved = errno;
		log_warn(_("%s: cannot save its %s: %s"), l->name, key,
		    strerror(saved));
		rc = sync_write_status_of(saved);
	}
	free(name);
	free(data);
	return rc;
}

/* host->secret: core's, the webhook receiver's too. */
static char *
sync_secret(struct chan_link *l, const char *key, char **cause)
{
	return channel_config_secret(l->cc, key, cause);
}

static const struct chan_host sync_host = {
	.set_state = sync_set_state,
	.finish = sync_finish,
	.deliver = sync_deliver,
	.has_message = sync_has_message,
	.cursor_load = sync_cursor_load,
	.cursor_save = sync_cursor_save,
	.secret = sync_secret,
	.send_done = sync_send_done,
	.outbox_echo = sync_outbox_echo,
	.delivery_status = sync_delivery_status,
	.fetch_done = sync_fetch_done,
	.conv_tag = sync_conv_tag,
	.quarantine = sync_quarantine
};

/* The lock: held for the syncer's life, released by the kernel at exit. */
static int
sync_lock_take(const char *data_dir, int *fd_out)
{
	char	*path, pid[32];
	int	 fd;

	path = xasprintf("%s/sync.lock", data_dir);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC,
	    util_share_mode(data_dir, 0600));
	free(path);
	if (fd == -1)
		return -1;
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		close(fd);
		return errno == EWOULDBLOCK ? 1 : -1;
	}
	/* Written over the last one, then cut to its length: on a full
	 * disk the old bytes are there to overwrite, and shrinking a file
	 * needs no space. */
	snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	if (pwrite(fd, pid, strlen(pid), 0) != (ssize_t)strlen(pid) ||
	    ftruncate(fd, (off_t)strlen(pid)) != 0)
		log_warn(_("cannot write the syncer's pid"));
	*fd_out = fd;
	return 0;
}

static void
sync_signal(int signo, void *data)
{
	struct sync	*s = data;

	(void)signo;
	s->stop = 1;
	ev_loop_stop(s->loop);
}

static int
sync_all_finished(struct sync *s)
{
	size_t	i;

	for (i = 0; i < s->n_links; i++)
		if (!s->links[i].finished)
			return 0;
	return 1;
}

/*
 * The store at start: a read-write open creates the database on first use
 * and indexes what an earlier run delivered and left; it may fail (a full
 * disk, a broken index), and delivery goes on all the same. Then the
 * delivery handle the adapters store through. Return 0, or -1 said.
 */
static int
sync_store_open(struct sync *s)
{
	struct store		*st;
	enum store_status	 rc;
	char			*cause;

	rc = store_open(&s->opts->store, STORE_READ_WRITE, &st, &cause);
	if (rc == STORE_OK)
		rc = store_close(st);
	else {
		log_warn(_("%s: delivering all the same; indexed later"), cause);
		free(cause);
		s->index_error = xstrdup(store_status_str(rc));
	}
	if (store_open(&s->opts->store, STORE_DELIVER, &s->deliver, &cause) !=
	    STORE_OK) {
		log_warn("%s", cause);
		free(cause);
		return -1;
	}
	return 0;
}

/*
 * In a team's data dir, what the syncer writes must stay the group's:
 * another member may run the next syncer, or read its state and
 * quarantine. What it owns is made right; the first it cannot is named
 * and the syncer does not start. Return 0, or -1 said.
 */
static int
sync_share_check(struct sync *s)
{
	const char	*data_dir = s->opts->store.data_dir;
	const char	*subs[] = { "sync.lock", "sync", "sync/" SYNC_QUARANTINE_DIR,
			    "sync/fetch", "attachments", "webhook",
			    "webhook/spool", "webhook/quarantine" };
	char		*path, *cause = NULL;
	size_t		 i;

	for (i = 0; i < nitems(subs) && cause == NULL; i++) {
		path = xasprintf("%s/%s", data_dir, subs[i]);
		cause = store_share_fix(data_dir, path, STORE_SHARE_ENTRIES);
		free(path);
	}
	if (cause == NULL)
		return 0;
	log_warn(_("%s: not starting"), cause);
	free(cause);
	return -1;
}

static const char *const sync_status_strs[] = {
	[SYNC_OK] = "ok",
	[SYNC_FAILED] = "a channel, a reply or the index failed",
	[SYNC_LOCKED] = "another syncer runs"
};

const char *
sync_status_str(enum sync_status status)
{
	return (size_t)status < nitems(sync_status_strs) ?
	    sync_status_strs[status] : "?";
}

enum sync_status
sync_run(const struct sync_options *opts)
{
	struct sync			 s;
	const struct channel_config	*ccs;
	struct sync_link		*sl;
	struct chan_link		*l;
	struct store_feed		*feed;
	size_t				 n, i;
	char				*cause;
	int				 lock_fd = -1;
	enum sync_status		 rc = SYNC_OK;

	memset(&s, 0, sizeof s);
	LIST_INIT(&s.deliveries);
	LIST_INIT(&s.fetches);
	s.opts = opts;
	if (util_mkdir_p(opts->store.data_dir, 0700) != 0) {
		log_warn(_("cannot create %s"), opts->store.data_dir);
		return SYNC_FAILED;
	}
	/*
	 * The feed's end before the lock: once the lock says a syncer runs
	 * (sync --status, the console), whatever is written must reach the
	 * hooks and the channels (a take-over's thread control), even
	 * while the store still opens.
	 */
	feed = store_feed_open(opts->store.data_dir, 0);
	switch (sync_lock_take(opts->store.data_dir, &lock_fd)) {
	case 0:
		break;
	case 1:
		log_warn(_("another syncer runs (pid %ld): not starting"),
		    sync_lock_holder(opts->store.data_dir));
		store_feed_close(feed);
		return SYNC_LOCKED;
	default:
		log_warn(_("cannot open %s/sync.lock"), opts->store.data_dir);
		store_feed_close(feed);
		return SYNC_FAILED;
	}
	s.dir = xasprintf("%s/sync", opts->store.data_dir);
	s.dir_mode = util_share_mode(opts->store.data_dir, 0700);
	s.file_mode = util_share_mode(opts->store.data_dir, 0600);
	if (util_mkdir_p(s.dir, s.dir_mode) != 0) {
		log_warn(_("cannot create %s"), s.dir);
		close(lock_fd);
		free(s.dir);
		store_feed_close(feed);
		return SYNC_FAILED;
	}

	if (sync_share_check(&s) != 0 || sync_store_open(&s) != 0) {
		close(lock_fd);
		free(s.dir);
		store_feed_close(feed);
		return SYNC_FAILED;
	}
	sync_hooks_start(&s, feed);

	ccs = channel_config_all(&n);
	s.links = xcalloc(n + 1, sizeof *s.links);
	for (i = 0; i < n; i++) {
		if (opts->only != NULL && strcmp(ccs[i].name, opts->only) != 0)
			continue;
		if (chan_type_find(ccs[i].type) == NULL && opts->only == NULL)
			continue;	/* webhook channels: `ombre ingest` */
		sl = &s.links[s.n_links++];
		sl->type = chan_type_find(ccs[i].type);
		sl->sync = &s;
		l = &sl->link;
		l->cc = &ccs[i];
		l->name = ccs[i].name;
		l->opts = &opts->chan;
		l->host = &sync_host;
		l->host_data = sl;
		l->rng = (uint64_t)getpid() * 0x9e3779b97f4a7c15ULL +
		    (uint64_t)time(NULL) + i;
	}
	if (opts->only != NULL && s.n_links == 0) {
		log_warn(_("no channel called %s"), opts->only);
		rc = SYNC_FAILED;
		goto out;
	}

	s.loop = ev_loop_new();
	s.net = net_new(s.loop, &opts->chan.net);
	ev_signal_add(s.loop, SIGTERM, sync_signal, &s);
	ev_signal_add(s.loop, SIGINT, sync_signal, &s);
	ev_signal_add(s.loop, SIGHUP, sync_signal, &s);
	sync_write_status(&s);
	for (i = 0; i < s.n_links; i++) {
		sl = &s.links[i];
		l = &sl->link;
		l->loop = s.loop;
		l->net = s.net;
		if (sl->type == NULL) {
			cause = xasprintf(_("type %s is not synced (its messages "
			    "come with `ombre ingest`)"), l->cc->type);
		} else if ((sl->adapter = sl->type->start(l, &cause)) != NULL)
			continue;
		sync_set_state(l, CHAN_FAILED, 0, cause);
		sl->finished = sl->failed = 1;
		free(cause);
	}
	sync_outbox_start(&s);
	sync_spool_start(&s);
	sync_dump_start(&s);
	sync_wait_round(&s.rounds[0]);
	sync_sla_round(&s.rounds[1]);
	sync_replicate_round(&s.rounds[2]);
	sync_spike_round(&s.rounds[3]);
	for (i = 0; i < nitems(s.rounds); i++)
		sync_round_start(&s, &s.rounds[i]);
	sync_hooks_follow(&s);
	while (!s.stop && !(opts->chan.once && sync_all_finished(&s) &&
	    sync_outbox_idle(&s) && sync_spool_idle(&s) &&
	    sync_index_idle(&s) &&
	    sync_round_idle(&s.rounds[0]) && sync_round_idle(&s.rounds[1]) &&
	    sync_round_idle(&s.rounds[2]) && sync_round_idle(&s.rounds[3]) &&
	    sync_hooks_idle(&s))) {
		if (ev_run_once(s.loop, -1) != 0)
			break;
	}
	if (s.outbox_given_up > 0 || s.spool_given_up)
		rc = SYNC_FAILED;
	if (s.index_given_up) {
		fprintf(stderr, ngettext("ombre: %zu message delivered to the "
		    "Maildir but not indexed: %s; the next start indexes it\n",
		    "ombre: %zu messages delivered to the Maildir but not "
		    "indexed: %s; the next start indexes them\n", s.unindexed),
		    s.unindexed, s.index_error != NULL ? s.index_error : "?");
		rc = SYNC_FAILED;
	}
	sync_outbox_stop(&s);
	sync_spool_stop(&s);
	for (i = 0; i < nitems(s.rounds); i++)
		sync_round_stop(&s.rounds[i]);
	sync_dump_stop(&s);
	for (i = 0; i < s.n_links; i++) {
		sl = &s.links[i];
		if (sl->adapter != NULL)
			sl->type->stop(sl->adapter);
		sl->adapter = NULL;
		if (sl->failed) {
			/* the program's name and a message: not translated */
			fprintf(stderr, "ombre: %s: %s%s%s\n", sl->link.name,
			    _(sync_state_name(sl->state)), sl->error != NULL ?
			    ": " : "", sl->error != NULL ? sl->error : "");
			rc = SYNC_FAILED;
		}
	}
	sync_fetch_stop(&s);
	sync_hooks_stop(&s);
	/* A running indexer finishes alone; what no indexer took yet is
	 * left to the next writer (its journal is let go of here). */
	if (s.index_timer != NULL)
		ev_timer_del(s.index_timer);
	job_detach_all(s.loop);
	net_free(s.net);
	ev_loop_free(s.loop);
out:
	sync_hooks_stop(&s);
	if (s.deliver != NULL && store_close(s.deliver) != STORE_OK)
		rc = SYNC_FAILED;
	strset_free(&s.delivered);
	strset_free(&s.indexing);
	free(s.index_error);
	for (i = 0; i < s.n_links; i++) {
		free(s.links[i].error);
		free(s.links[i].store_error);
	}
	free(s.links);
	free(s.dir);
	close(lock_fd);
	return rc;
}
