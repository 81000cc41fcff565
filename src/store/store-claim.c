/*
 * store-claim.c: claims, compare-and-set under the database's write lock,
 * in batches. A read-write session holds Xapian's write lock from its
 * open to its close, so the conversation's assignee read here and the
 * claimed event written after it (one transaction, store_events) have no
 * other writer between them: of two agents claiming at once, the second
 * reads the first's claim and is refused with who took it and when. A
 * look on a read-only store first refuses most losers without queueing
 * for the lock behind the winners (many agents on one queue).
 *
 * A writable open and a commit cost far more than a claim's compare, so
 * claims share them (flat combining, store_claim_queued): each claimer
 * leaves its request in DATA/claims/ and whoever holds DATA/claims/lock
 * opens the store once, applies every queued request in arrival order in
 * one transaction (each still compare-and-set: the first wins, the rest
 * are told who took it), commits, then answers each; a claimer whose
 * answer came while it waited goes without opening anything. Also the
 * agents the store's ombre/assigned/ tags name (the known agents when no
 * team is declared).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "store/store-private.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Whether an event made who the assignee: claimed or taken over by who,
 * or assigned (to whom, its operations said: a later event's tags have
 * since spread over it, so the newest assignment is taken for who's). */
static int
store_claim_assigning(const struct msg *m, const char *who)
{
	const char	*by;

	if (strcmp(m->event, "assigned") == 0)
		return 1;
	/* Read back, an event's agent is who it is from. */
	by = m->agent != NULL ? m->agent : m->from_id;
	return (strcmp(m->event, "claimed") == 0 ||
	    strcmp(m->event, "take-over") == 0) && by != NULL &&
	    strcmp(by, who) == 0;
}

/* When the assignee got it: the newest assigning event's date, else 0. */
static enum store_status
store_claim_since(struct store *st, const char *thread_id, const char *who,
    int64_t *since, char **cause)
{
	struct msg		**msgs;
	enum store_status	  rc;
	size_t			  n, i;

	*since = 0;
	rc = store_thread_messages(st, thread_id, &msgs, &n, cause);
	if (rc != STORE_OK)
		return rc;
	for (i = n; i > 0; i--) {
		const struct msg *m = msgs[i - 1];

		if (m->kind == MSG_EVENT && m->event != NULL &&
		    store_claim_assigning(m, who)) {
			*since = m->date;
			break;
		}
	}
	store_msgs_free(msgs, n);
	return STORE_OK;
}

/*
 * The conversation's claim as it stands: its assignee's (TAKEN or MINE,
 * and since when), or FREE with *conv the conversation (the caller's,
 * store_conv_free) to write the claim on.
 */
static enum store_status
store_claim_look(struct store *st, const char *thread_id, const char *agent,
    struct store_claim *out, struct store_conv **conv, char **cause)
{
	struct store_conv	*c;
	enum store_status	 rc;
	const char		*who;

	memset(out, 0, sizeof *out);
	*conv = NULL;
	*cause = NULL;
	if ((rc = store_conv_of_thread(st, thread_id, &c, cause)) != STORE_OK)
		return rc;
	who = triage_assignee(c->tags, c->n_tags);
	if (who != NULL) {
		out->by = xstrdup(who);
		out->outcome = strcmp(who, agent) == 0 ? STORE_CLAIM_MINE :
		    STORE_CLAIM_TAKEN;
		store_conv_free(c);
		/* who pointed into the freed tags: out->by is its copy. */
		return store_claim_since(st, thread_id, out->by, &out->since,
		    cause);
	}
	out->outcome = STORE_CLAIM_FREE;
	*conv = c;
	return STORE_OK;
}

/* The claimed event of agent on the conversation c nobody has: mine,
 * from the bot or the queue alike. ops is the caller's to free. */
static void
store_claim_event(struct store_event *ev, const struct store_conv *c,
    const char *agent, char ***ops)
{
	*ops = triage_ops(TRIAGE_TAKE_OVER, agent, c->tags, c->n_tags);
	memset(ev, 0, sizeof *ev);
	ev->thread_id = c->thread_id;
	ev->type = "claimed";
	ev->agent = agent;
	ev->ops = *ops;
	ev->seen = c->msg_ids;
}

enum store_status
store_claim(struct store *st, const char *thread_id, const char *agent,
    struct store_claim *out, char **cause)
{
	struct store_conv	*c;
	struct store_event	 ev;
	enum store_status	 rc;
	char			**ops;

	rc = store_claim_look(st, thread_id, agent, out, &c, cause);
	if (rc != STORE_OK || c == NULL)
		return rc;
	if (st->mode != STORE_READ_WRITE) {
		store_conv_free(c);
		return STORE_OK;
	}
	store_claim_event(&ev, c, agent, &ops);
	rc = store_events(st, &ev, 1, cause);
	triage_tags_free(ops);
	store_conv_free(c);
	if (rc != STORE_OK)
		return rc;
	out->outcome = STORE_CLAIM_CLAIMED;
	out->by = xstrdup(agent);
	out->since = util_now();
	return STORE_OK;
}

/*
 * The claims' queue, DATA/claims/: a request is a file NAME.req, NAME
 * "SECONDS.NANOSECONDS.PID" of its arrival (names sort in arrival order),
 * holding the conversation's id, the agent and when it was queued
 * (util_now, as the events' dates), a line each; its answer is
 * NAME.ans, "claimed|mine|taken\nAGENT\nSINCE\n" or "failed\nSTATUS\n
 * CAUSE\n". Each is written beside as .NAME.req.tmp and renamed: read
 * whole or not at all. Neither is fsynced: they only matter while their
 * claimer waits, which a crash of the machine ends, and the claim itself
 * is committed in the store before any answer is written. Whoever holds
 * DATA/claims/lock (flock) combines; a claimer waits for its answer or
 * that lock, whichever comes first.
 */
#define STORE_CLAIM_DIR		"claims"
#define STORE_CLAIM_POLL_MS	16	/* the longest pause between looks */

/* What a request became in a batch. */
struct store_claim_req {
	char			*name;		/* NAME, without ".req" */
	char			*thread_id;
	char			*agent;
	int64_t			 arrived;	/* util_now() when queued */
	struct store_claim	 claim;
	struct store_conv	*conv;		/* CLAIMED: its conversation */
	enum store_status	 status;
	char			*cause;
	int			 batch;		/* decided by the batch's writes */
};

static const char *const store_claim_words[] = {
	[STORE_CLAIM_CLAIMED] = "claimed",
	[STORE_CLAIM_MINE] = "mine",
	[STORE_CLAIM_TAKEN] = "taken",
	[STORE_CLAIM_FREE] = "free"
};

/* The pid a queue file's name (NAME.req, NAME.ans or .NAME.req.tmp)
 * carries, or 0. */
static pid_t
store_claim_pid(const char *name)
{
	long long	 secs;
	long		 nsecs, pid;

	if (*name == '.')
		name++;
	if (sscanf(name, "%lld.%ld.%ld.", &secs, &nsecs, &pid) != 3 ||
	    pid <= 0)
		return 0;
	return (pid_t)pid;
}

/* Write dir/name whole (beside, then renamed): 0 or -1 with errno. */
static int
store_claim_write(const char *dir, const char *name, const char *data,
    mode_t mode)
{
	char	*path, *tmp;
	size_t	 len = strlen(data);
	int	 fd, rc = -1;

	path = xasprintf("%s/%s", dir, name);
	tmp = xasprintf("%s/.%s.tmp", dir, name);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd != -1) {
		rc = write(fd, data, len) == (ssize_t)len ? 0 : -1;
		if (close(fd) != 0)
			rc = -1;
		if (rc == 0)
			rc = rename(tmp, path);
		if (rc != 0)
			unlink(tmp);
	}
	free(path);
	free(tmp);
	return rc;
}

/* Read dir/name (a few lines) into lines[0..n-1], allocated, or return -1
 * (ENOENT: not there yet). */
static int
store_claim_read(const char *dir, const char *name, char **lines, size_t n)
{
	char	 data[2048], *p, *nl, *path;
	ssize_t	 len;
	size_t	 i;
	int	 fd;

	path = xasprintf("%s/%s", dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	free(path);
	if (fd == -1)
		return -1;
	len = read(fd, data, sizeof data - 1);
	close(fd);
	if (len < 0)
		return -1;
	data[len] = '\0';
	for (p = data, i = 0; i < n; i++) {
		if ((nl = strchr(p, '\n')) == NULL) {
			while (i > 0)
				free(lines[--i]);
			errno = EINVAL;
			return -1;
		}
		lines[i] = xstrndup(p, (size_t)(nl - p));
		p = nl + 1;
	}
	return 0;
}

static int
store_claim_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The requests waiting in dir, oldest first (NAME without ".req"). What
 * a claimer that died left (its request, answer or half-written file) is
 * removed: nobody waits for it (a claimer killed before the combiner
 * read its request, as one killed before it took the lock).
 */
static char **
store_claim_pending(const char *dir, size_t *n_out)
{
	DIR		 *d;
	struct dirent	 *de;
	char		**names = NULL, *path, *ans;
	size_t		  n = 0, len;
	pid_t		  pid;

	*n_out = 0;
	if ((d = opendir(dir)) == NULL)
		return NULL;
	while ((de = readdir(d)) != NULL) {
		if ((pid = store_claim_pid(de->d_name)) == 0)
			continue;	/* ., .., the lock */
		if (!util_pid_alive(pid)) {
			path = xasprintf("%s/%s", dir, de->d_name);
			unlink(path);
			free(path);
			continue;
		}
		len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len < 4 ||
		    strcmp(de->d_name + len - 4, ".req") != 0)
			continue;
		/* Answered: its claimer has yet to read it. */
		ans = xasprintf("%s/%.*s.ans", dir, (int)(len - 4), de->d_name);
		if (access(ans, F_OK) == 0) {
			free(ans);
			continue;
		}
		free(ans);
		names = xreallocarray(names, n + 1, sizeof *names);
		names[n++] = xstrndup(de->d_name, len - 4);
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof *names, store_claim_name_cmp);
	*n_out = n;
	return names;
}

/*
 * Answer every request waiting in dir, on st (read-write, so under the
 * lock): each in arrival order compared with the store and with the
 * batch's earlier claims, the winners' claimed events written in one
 * transaction, and only once it is committed each request's answer. A
 * combiner killed before its commit answered nobody: the requests stay
 * for the next one (and what it had written, journalled, is indexed by
 * the next writer, whose compare then sees it).
 */
static size_t
store_claim_combine(struct store *st, const char *dir)
{
	struct store_claim_req	 *reqs;
	struct store_event	 *evs;
	enum store_status	  rc = STORE_OK;
	char			**names, ***ops, *lines[3], *answer, *file;
	char			 *cause = NULL;
	size_t			  n, i, j, n_evs = 0;
	int64_t			  now = util_now();
	int			  read_rc;

	names = store_claim_pending(dir, &n);
	if (n == 0) {
		free(names);
		return 0;
	}
	reqs = xcalloc(n, sizeof *reqs);
	evs = xcalloc(n, sizeof *evs);
	ops = xcalloc(n, sizeof *ops);
	for (i = 0; i < n; i++) {
		struct store_claim_req *r = &reqs[i];

		r->name = names[i];
		file = xasprintf("%s.req", r->name);
		read_rc = store_claim_read(dir, file, lines, 3);
		free(file);
		if (read_rc != 0) {
			r->status = STORE_IO_ERROR;
			r->cause = xasprintf(_("reading the claim %s/%s.req: %s"),
			    dir, r->name, strerror(errno));
			continue;
		}
		r->thread_id = lines[0];
		r->agent = lines[1];
		r->arrived = atoll(lines[2]);
		free(lines[2]);
		/* Taken earlier in this batch: by its winner, just now. */
		for (j = 0; j < i; j++) {
			if (reqs[j].claim.outcome == STORE_CLAIM_CLAIMED &&
			    reqs[j].status == STORE_OK &&
			    strcmp(reqs[j].thread_id, r->thread_id) == 0)
				break;
		}
		if (j < i) {
			r->claim.by = xstrdup(reqs[j].agent);
			r->claim.outcome = strcmp(r->agent, reqs[j].agent) == 0 ?
			    STORE_CLAIM_MINE : STORE_CLAIM_TAKEN;
			r->claim.since = now;
			r->batch = 1;
			continue;
		}
		r->status = store_claim_look(st, r->thread_id, r->agent,
		    &r->claim, &r->conv, &r->cause);
		/* Claimed by a combiner killed after writing it (its journal
		 * was indexed by this open): the claim of this request. */
		if (r->status == STORE_OK &&
		    r->claim.outcome == STORE_CLAIM_MINE &&
		    r->claim.since >= r->arrived)
			r->claim.outcome = STORE_CLAIM_CLAIMED;
		if (r->status != STORE_OK || r->conv == NULL)
			continue;
		store_claim_event(&evs[n_evs], r->conv, r->agent, &ops[n_evs]);
		n_evs++;
		r->claim.outcome = STORE_CLAIM_CLAIMED;
		r->claim.by = xstrdup(r->agent);
		r->claim.since = now;
		r->batch = 1;
	}
	if (n_evs > 0)
		rc = store_events(st, evs, n_evs, &cause);
	log_debug("claims: %zu answered in one batch, %zu claimed", n, n_evs);
	for (i = 0; i < n; i++) {
		struct store_claim_req *r = &reqs[i];

		/* The batch failed: so did every claim it decided. */
		if (rc != STORE_OK && r->status == STORE_OK && r->batch) {
			r->status = rc;
			r->cause = xstrdup(cause != NULL ? cause :
			    store_status_str(rc));
		}
		if (r->status != STORE_OK) {
			if (r->cause == NULL)
				r->cause = xstrdup(store_status_str(r->status));
			r->cause[strcspn(r->cause, "\n")] = '\0';
			answer = xasprintf("failed\n%d\n%s\n", (int)r->status,
			    r->cause);
		}
		else
			answer = xasprintf("%s\n%s\n%lld\n",
			    store_claim_words[r->claim.outcome], r->claim.by,
			    (long long)r->claim.since);
		file = xasprintf("%s.ans", r->name);
		if (store_claim_write(dir, file, answer, st->file_mode) != 0)
			log_warn("%s/%s: %s", dir, file, strerror(errno));
		free(answer);
		free(file);
	}
	free(cause);
	for (i = 0; i < n_evs; i++)
		triage_tags_free(ops[i]);
	for (i = 0; i < n; i++) {
		free(reqs[i].name);
		free(reqs[i].thread_id);
		free(reqs[i].agent);
		free(reqs[i].cause);
		store_claim_clear(&reqs[i].claim);
		if (reqs[i].conv != NULL)
			store_conv_free(reqs[i].conv);
	}
	free(reqs);
	free(evs);
	free(ops);
	free(names);
	return n;
}

/*
 * The answer to request name, when there is one: 1 with *out set (or
 * *status and *cause when the claim failed), and the request and its
 * answer removed; else 0.
 */
static int
store_claim_answer(const char *dir, const char *name, struct store_claim *out,
    enum store_status *status, char **cause)
{
	char		*lines[3], *file;
	long long	 since;
	size_t		 i;

	file = xasprintf("%s.ans", name);
	if (store_claim_read(dir, file, lines, 3) != 0) {
		free(file);
		return 0;
	}
	*status = STORE_OK;
	if (strcmp(lines[0], "failed") == 0) {
		*status = (enum store_status)atoi(lines[1]);
		if (*status == STORE_OK)
			*status = STORE_DB_ERROR;
		*cause = xstrdup(lines[2]);
	} else {
		memset(out, 0, sizeof *out);
		out->outcome = STORE_CLAIM_TAKEN;
		for (i = 0; i < nitems(store_claim_words); i++) {
			if (strcmp(lines[0], store_claim_words[i]) == 0)
				out->outcome = (enum store_claim_outcome)i;
		}
		out->by = xstrdup(lines[1]);
		since = atoll(lines[2]);
		out->since = since;
	}
	for (i = 0; i < nitems(lines); i++)
		free(lines[i]);
	/* The request first: an answer alone is never taken for one. */
	free(file);
	file = xasprintf("%s/%s.req", dir, name);
	unlink(file);
	free(file);
	file = xasprintf("%s/%s.ans", dir, name);
	unlink(file);
	free(file);
	return 1;
}

/* Take back request name, unanswered. */
static void
store_claim_take_back(const char *dir, const char *name)
{
	char	*path;

	path = xasprintf("%s/%s.req", dir, name);
	unlink(path);
	free(path);
}

/*
 * Open the store read-write and answer what is queued in dir, again while
 * more came during a batch's commit (they would otherwise pay an open of
 * their own), for STORE_CLAIM_ROUNDS_MS at most: the syncer waits too.
 */
#define STORE_CLAIM_ROUNDS_MS	1000

static enum store_status
store_claim_combine_open(const struct store_options *opts, const char *dir,
    char **cause)
{
	struct store		*rw;
	enum store_status	 rc;
	int64_t			 end;

	rc = store_open(opts, STORE_READ_WRITE, &rw, cause);
	if (rc != STORE_OK)
		return rc;
	end = util_clock_ms() + STORE_CLAIM_ROUNDS_MS;
	while (store_claim_combine(rw, dir) > 0 && util_clock_ms() < end)
		;
	rc = store_close(rw);
	if (rc != STORE_OK)
		*cause = xstrdup(_("closing the database failed"));
	return rc;
}

enum store_status
store_claim_queued(struct store *st, const char *thread_id, const char *agent,
    struct store_claim *out, char **cause)
{
	struct timespec		 ts;
	enum store_status	 rc, status = STORE_OK;
	char			*dir, *name, *file, *data;
	int64_t			 deadline, delay = 1;
	int			 fd, answered = 0;

	rc = store_claim(st, thread_id, agent, out, cause);
	if (rc != STORE_OK || out->outcome != STORE_CLAIM_FREE)
		return rc;
	store_claim_clear(out);
	memset(out, 0, sizeof *out);

	dir = xasprintf("%s/%s", st->data_dir, STORE_CLAIM_DIR);
	if (util_mkdir_p(dir, util_share_mode(st->data_dir, 0700)) != 0) {
		*cause = xasprintf("%s: %s", dir, strerror(errno));
		free(dir);
		return STORE_IO_ERROR;
	}
	file = xasprintf("%s/lock", dir);
	fd = open(file, O_RDWR | O_CREAT | O_CLOEXEC, st->file_mode);
	if (fd == -1) {
		*cause = xasprintf("%s: %s", file, strerror(errno));
		free(file);
		free(dir);
		return STORE_IO_ERROR;
	}
	free(file);
	clock_gettime(CLOCK_REALTIME, &ts);
	name = xasprintf("%010lld.%09ld.%ld", (long long)ts.tv_sec,
	    (long)ts.tv_nsec, (long)getpid());
	file = xasprintf("%s.req", name);
	data = xasprintf("%s\n%s\n%lld\n", thread_id, agent,
	    (long long)util_now());
	if (store_claim_write(dir, file, data, st->file_mode) != 0) {
		*cause = xasprintf("%s/%s: %s", dir, file, strerror(errno));
		rc = STORE_IO_ERROR;
		goto out;
	}

	/* The answer, or the lock to answer every request (ours too). A
	 * request is only taken back under the lock: no combiner has it. */
	deadline = util_clock_ms() + (int64_t)(st->opts.lock_timeout * 1000);
	for (;;) {
		if ((answered = store_claim_answer(dir, name, out, &status,
		    cause)))
			break;
		if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
			/* Answered since we looked: nothing to open. */
			if (!(answered = store_claim_answer(dir, name, out,
			    &status, cause))) {
				rc = store_claim_combine_open(&st->opts, dir,
				    cause);
				answered = store_claim_answer(dir, name, out,
				    &status, cause);
			}
			if (!answered && rc != STORE_OK)
				store_claim_take_back(dir, name);
			flock(fd, LOCK_UN);
			if (answered || rc != STORE_OK)
				break;
		}
		if (util_clock_ms() >= deadline) {
			/* The combiner at work may hold our request: wait
			 * for it to finish, then it is answered or ours to
			 * take back. */
			if (flock(fd, LOCK_EX) == 0) {
				answered = store_claim_answer(dir, name, out,
				    &status, cause);
				if (!answered)
					store_claim_take_back(dir, name);
				flock(fd, LOCK_UN);
			}
			if (!answered) {
				*cause = xasprintf(_("the database is locked by "
				    "another process (waited %g s): nothing "
				    "was changed"), st->opts.lock_timeout);
				rc = STORE_LOCKED;
			}
			break;
		}
		ts.tv_sec = 0;
		ts.tv_nsec = (long)delay * 1000000;
		nanosleep(&ts, NULL);
		if (delay < STORE_CLAIM_POLL_MS)
			delay *= 2;
	}
	if (answered)
		rc = status;
out:
	close(fd);
	free(data);
	free(file);
	free(name);
	free(dir);
	return rc;
}

void
store_claim_clear(struct store_claim *c)
{
	free(c->by);
	c->by = NULL;
}

static int
store_claim_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

enum store_status
store_assignees(struct store *st, char ***out, size_t *n_out, char **cause)
{
	notmuch_tags_t	*tags;
	const char	*tag, *name;
	char		**names = NULL;
	struct store_agent *agents = NULL;
	size_t		  n = 0, n_agents, i, j;

	*out = NULL;
	*n_out = 0;
	*cause = NULL;
	store_read_begin(st);
	tags = notmuch_database_get_all_tags(st->db);
	if (tags == NULL) {
		store_read_end(st);
		*cause = xstrdup(_("reading the database's tags failed"));
		return STORE_DB_ERROR;
	}
	for (; notmuch_tags_valid(tags); notmuch_tags_move_to_next(tags)) {
		tag = notmuch_tags_get(tags);
		if ((name = triage_tag_assignee(tag)) == NULL || *name == '\0')
			continue;
		names = xreallocarray(names, n + 2, sizeof *names);
		names[n++] = xstrdup(name);
		names[n] = NULL;
	}
	notmuch_tags_destroy(tags);
	store_read_end(st);
	/* And whoever started or ended a shift here (DATA/agents), though
	 * nothing is assigned to them now. */
	n_agents = store_agents_list(st->data_dir, &agents);
	for (i = 0; i < n_agents; i++) {
		for (j = 0; j < n && strcmp(names[j], agents[i].name) != 0; j++)
			;
		if (j < n)
			continue;
		names = xreallocarray(names, n + 2, sizeof *names);
		names[n++] = xstrdup(agents[i].name);
		names[n] = NULL;
	}
	store_agents_free(agents, n_agents);
	if (names == NULL)
		names = xcalloc(1, sizeof *names);
	else
		qsort(names, n, sizeof *names, store_claim_cmp);
	*out = names;
	*n_out = n;
	return STORE_OK;
}
