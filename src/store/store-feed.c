/*
 * store-feed.c: DATA/feed, what was indexed that someone may want to hear
 * of at once: state changes (events), handoffs, customer messages. The
 * syncer runs its hooks from it and every console rings its bell from it,
 * without searching the database for what changed.
 *
 * One line an item, "EVENT THREAD-ID MESSAGE-ID\n", appended (O_APPEND,
 * one write a batch) by whichever process indexed the batch, once its
 * transaction is committed: a line never names what is not in the
 * database. A crash between the commit and the write loses the batch's
 * lines, never a message: the feed is a notification, the database the
 * truth. Past STORE_FEED_MAX bytes the writer renames it to feed.old and
 * starts a new one; a reader finishes the file it has open before it
 * follows the name to the new one.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "store/store-private.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define STORE_FEED_MAX	(4 * 1024 * 1024)

void
store_feed_append(struct store *st)
{
	struct stat	 sb;
	char		*path, *old;
	int		 fd;

	if (st->feed.len == 0)
		return;
	path = xasprintf("%s/feed", st->data_dir);
	if (stat(path, &sb) == 0 && sb.st_size > STORE_FEED_MAX) {
		old = xasprintf("%s/feed.old", st->data_dir);
		if (rename(path, old) != 0)
			log_debug("%s: %s", old, strerror(errno));
		free(old);
	}
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
	    st->file_mode);
	if (fd == -1 || write(fd, st->feed.data, st->feed.len) !=
	    (ssize_t)st->feed.len)
		log_debug("%s: %s", path, strerror(errno));
	if (fd != -1)
		close(fd);
	free(path);
	buf_free(&st->feed);
}

/*
 * A line of no conversation (a spike, a crisis going on or off), written
 * at once: its thread STORE_FEED_NO_THREAD, its id a token without
 * spaces.
 */
void
store_feed_line(struct store *st, const char *event, const char *id)
{
	if (strchr(id, ' ') != NULL || strchr(id, '\n') != NULL)
		fatalx("store_feed_line: a bad id");
	buf_add_printf(&st->feed, "%s %s %s\n", event, STORE_FEED_NO_THREAD,
	    id);
	store_feed_append(st);
}

struct store_feed {
	char		*path;
	int		 fd;
	ino_t		 ino;
	struct buf	 partial;	/* a line read without its newline */
};

/* Open the feed's file as it is now; -1 when it does not exist yet. */
static int
store_feed_reopen(struct store_feed *f, int at_end)
{
	struct stat	sb;

	if (f->fd != -1)
		close(f->fd);
	buf_free(&f->partial);
	f->fd = open(f->path, O_RDONLY | O_CLOEXEC);
	if (f->fd == -1)
		return -1;
	if (fstat(f->fd, &sb) != 0) {
		close(f->fd);
		f->fd = -1;
		return -1;
	}
	f->ino = sb.st_ino;
	if (at_end)
		lseek(f->fd, 0, SEEK_END);
	return 0;
}

struct store_feed *
store_feed_open(const char *data_dir, int from_start)
{
	struct store_feed	*f;

	f = xcalloc(1, sizeof *f);
	f->path = xasprintf("%s/feed", data_dir);
	f->fd = -1;
	buf_init(&f->partial);
	store_feed_reopen(f, !from_start);
	return f;
}

void
store_feed_close(struct store_feed *f)
{
	if (f == NULL)
		return;
	if (f->fd != -1)
		close(f->fd);
	buf_free(&f->partial);
	free(f->path);
	free(f);
}

/* Parse one line into item; 0, or -1 for a line that is not an item. */
static int
store_feed_parse(char *line, struct store_feed_item *item)
{
	char	*event, *thread, *msgid;

	event = strtok(line, " ");
	thread = strtok(NULL, " ");
	msgid = strtok(NULL, " ");
	if (event == NULL || thread == NULL || msgid == NULL ||
	    strlen(event) >= sizeof item->event ||
	    strlen(thread) != sizeof item->thread_id - 1)
		return -1;
	memset(item, 0, sizeof *item);
	snprintf(item->event, sizeof item->event, "%s", event);
	snprintf(item->thread_id, sizeof item->thread_id, "%s", thread);
	item->msgid = xstrdup(msgid);
	return 0;
}

int
store_feed_next(struct store_feed *f, struct store_feed_item *item)
{
	char		 chunk[4096], *nl, *line;
	ssize_t		 n;
	struct stat	 sb;
	size_t		 len;

	for (;;) {
		while ((nl = memchr(f->partial.data, '\n', f->partial.len)) !=
		    NULL) {
			len = (size_t)(nl - f->partial.data);
			line = xstrndup(f->partial.data, len);
			memmove(f->partial.data, nl + 1, f->partial.len - len - 1);
			f->partial.len -= len + 1;
			f->partial.data[f->partial.len] = '\0';
			if (store_feed_parse(line, item) == 0) {
				free(line);
				return 1;
			}
			free(line);
		}
		if (f->fd == -1) {
			if (store_feed_reopen(f, 0) != 0)
				return 0;
			continue;
		}
		n = read(f->fd, chunk, sizeof chunk);
		if (n > 0) {
			buf_add(&f->partial, chunk, (size_t)n);
			continue;
		}
		/* At the end: the writer may have started a new file. */
		if (stat(f->path, &sb) != 0 || sb.st_ino == f->ino)
			return 0;
		if (store_feed_reopen(f, 0) != 0)
			return 0;
	}
}

void
store_feed_item_clear(struct store_feed_item *item)
{
	free(item->msgid);
	item->msgid = NULL;
}
