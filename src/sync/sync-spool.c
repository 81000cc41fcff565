/*
 * sync-spool.c: what the webhook receiver (`ombre webhook`, src/web) kept
 * in DATA/webhook/spool/ (one file a POST, its body as it came, written
 * whole and fsynced before the platform got its 200) handed to the
 * adapter of its channel, oldest first, a batch at a time. A file goes
 * only once the adapter took it: its messages delivered (durable), what
 * it says of our replies recorded, what cannot be taken quarantined. A
 * crash anywhere takes the file again, and the platform's ids (wamid,
 * mid) keep its messages stored once.
 *
 * The receiver names its files "MS.PID.SEQ.CHANNEL.json": the time first,
 * so that names sort in arrival order.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sync/sync-private.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* How often an idle syncer looks into the spool. */
#define SYNC_SPOOL_MS		200
/* The most files handed to an adapter at once (one delivery). */
#define SYNC_SPOOL_BATCH	256
/* The largest body read: the receiver caps them lower. */
#define SYNC_SPOOL_MAX		(16 * 1024 * 1024)

static void	sync_spool_tick(void *);

/* The channel a spool file is for ("...CHANNEL.json"), allocated; NULL
 * when the name is none of the receiver's. */
static char *
sync_spool_channel(const char *name)
{
	const char	*p = name, *end;
	int		 dots;

	for (dots = 0; dots < 3; dots++) {
		if ((p = strchr(p, '.')) == NULL)
			return NULL;
		p++;
	}
	end = name + strlen(name);
	if (end - p <= 5 || strcmp(end - 5, ".json") != 0)
		return NULL;
	return xstrndup(p, end - 5 - p);
}

static int
sync_spool_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The link of a channel name, when it takes webhooks. */
static struct sync_link *
sync_spool_link(struct sync *s, const char *channel)
{
	size_t	i;

	for (i = 0; i < s->n_links; i++) {
		if (strcmp(s->links[i].link.name, channel) == 0 &&
		    s->links[i].adapter != NULL &&
		    s->links[i].type->webhook != NULL)
			return &s->links[i];
	}
	return NULL;
}

/* Read a whole spool file; NULL with errno. */
static char *
sync_spool_read(const char *path, size_t *len)
{
	struct stat	 sb;
	char		*body;
	ssize_t		 got;
	size_t		 off = 0;
	int		 fd, saved;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return NULL;
	if (fstat(fd, &sb) != 0 || sb.st_size > SYNC_SPOOL_MAX) {
		saved = errno != 0 ? errno : EFBIG;
		close(fd);
		errno = saved;
		return NULL;
	}
	body = xmalloc((size_t)sb.st_size + 1);
	while (off < (size_t)sb.st_size) {
		got = read(fd, body + off, (size_t)sb.st_size - off);
		if (got <= 0) {
			if (got == -1 && errno == EINTR)
				continue;
			break;
		}
		off += (size_t)got;
	}
	close(fd);
	body[off] = '\0';
	*len = off;
	return body;
}

/*
 * Hand one channel's files (names[0..n), in order) to its adapter and
 * remove them once it took them. Return 0, or -1 when the adapter could
 * not (the files stay for the next round).
 */
static int
sync_spool_give(struct sync *s, struct sync_link *sl, char **names, size_t n)
{
	struct chan_payload	*p;
	char			**paths, **bodies;
	size_t			 i, got = 0;
	enum chan_status	 rc;
	int			 ret = 0;

	p = xcalloc(n, sizeof *p);
	paths = xcalloc(n, sizeof *paths);
	bodies = xcalloc(n, sizeof *bodies);
	for (i = 0; i < n; i++) {
		paths[got] = xasprintf("%s/%s", s->spool_dir, names[i]);
		if ((bodies[got] = sync_spool_read(paths[got],
		    &p[got].len)) == NULL) {
			/* Gone (another syncer took it?) or unreadable: it
			 * stays, said once a round. */
			if (errno != ENOENT)
				log_warn(_("%s: cannot read %s: %s"),
				    sl->link.name, paths[got],
				    strerror(errno));
			free(paths[got]);
			continue;
		}
		p[got].name = names[i];
		p[got].body = bodies[got];
		got++;
	}
	if (got > 0) {
		rc = sl->type->webhook(sl->adapter, p, got);
		if (rc != CHAN_OK)
			ret = -1;
		for (i = 0; i < got && rc == CHAN_OK; i++) {
			if (unlink(paths[i]) != 0 && errno != ENOENT)
				log_warn(_("%s: cannot remove %s: %s"),
				    sl->link.name, paths[i], strerror(errno));
		}
		if (rc == CHAN_OK)
			util_fsync_dir(s->spool_dir);
	}
	for (i = 0; i < got; i++) {
		free(paths[i]);
		free(bodies[i]);
	}
	free(paths);
	free(bodies);
	free(p);
	return ret;
}

/* One round: the oldest files of each channel, a batch each. Return the
 * number of files left for our channels (0: the spool is drained). */
static size_t
sync_spool_round(struct sync *s)
{
	DIR		 *d;
	struct dirent	 *de;
	struct sync_link *sl;
	char		**names = NULL, **batch, *channel, *first;
	size_t		  n = 0, i, j, k, left = 0;

	if ((d = opendir(s->spool_dir)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		names = xreallocarray(names, n + 1, sizeof *names);
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof *names, sync_spool_cmp);

	batch = xcalloc(n + 1, sizeof *batch);
	for (i = 0; i < n; i++) {
		if (names[i] == NULL ||
		    (first = sync_spool_channel(names[i])) == NULL)
			continue;
		if ((sl = sync_spool_link(s, first)) == NULL) {
			free(first);
			continue;	/* not ours (or not running) */
		}
		/* This channel's files, in order, up to a batch. */
		k = 0;
		for (j = i; j < n && k < SYNC_SPOOL_BATCH; j++) {
			if (names[j] == NULL ||
			    (channel = sync_spool_channel(names[j])) == NULL)
				continue;
			if (strcmp(channel, first) == 0) {
				batch[k++] = names[j];
				names[j] = NULL;
			}
			free(channel);
		}
		for (; j < n; j++) {
			if (names[j] == NULL ||
			    (channel = sync_spool_channel(names[j])) == NULL)
				continue;
			if (strcmp(channel, first) == 0)
				left++;
			free(channel);
		}
		if (sync_spool_give(s, sl, batch, k) != 0) {
			left += k;
			s->spool_failures++;
		} else
			s->spool_failures = 0;
		for (j = 0; j < k; j++)
			free(batch[j]);
		free(first);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(batch);
	return left;
}

static void
sync_spool_schedule(struct sync *s, int64_t ms)
{
	if (s->spool_timer != NULL)
		ev_timer_del(s->spool_timer);
	s->spool_timer = ev_timer_add(s->loop, ms, sync_spool_tick, s);
}

static void
sync_spool_tick(void *data)
{
	struct sync	*s = data;
	size_t		 left;
	int64_t		 next = SYNC_SPOOL_MS;

	s->spool_timer = NULL;
	left = sync_spool_round(s);
	s->spool_drained = left == 0;
	if (s->opts->chan.once && s->spool_failures >= s->opts->chan.attempts) {
		/* --once: the store kept refusing; the files wait for the
		 * next run, said, and the run fails. */
		log_warn(_("webhook spool: %zu payloads not taken after %d tries"),
		    left, s->spool_failures);
		s->spool_given_up = s->spool_drained = 1;
		return;
	}
	if (s->spool_failures > 0) {
		/* The store refused (a full disk): back off, the files
		 * wait. */
		next = SYNC_SPOOL_MS << (s->spool_failures < 6 ?
		    s->spool_failures : 6);
	} else if (left > 0)
		next = 0;
	if (!s->stop)
		sync_spool_schedule(s, next);
}

void
sync_spool_start(struct sync *s)
{
	size_t	i;

	for (i = 0; i < s->n_links; i++) {
		if (s->links[i].type != NULL &&
		    s->links[i].type->webhook != NULL)
			break;
	}
	if (i == s->n_links) {
		s->spool_drained = 1;
		return;		/* no channel takes webhooks */
	}
	s->spool_dir = xasprintf("%s/webhook/spool",
	    s->opts->store.data_dir);
	sync_spool_schedule(s, 0);
}

int
sync_spool_idle(struct sync *s)
{
	return s->spool_dir == NULL || s->spool_drained;
}

void
sync_spool_stop(struct sync *s)
{
	if (s->spool_timer != NULL)
		ev_timer_del(s->spool_timer);
	s->spool_timer = NULL;
	free(s->spool_dir);
	s->spool_dir = NULL;
}
