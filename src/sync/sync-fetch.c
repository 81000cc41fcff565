/*
 * sync-fetch.c: attachments fetched on demand.
 *
 * A message keeps only a reference to its files (tg-file:<file_id>; a
 * Telegram download URL would carry the token). Someone who wants one
 * (`ombre fetch`, the console's fetch-attachments) drops a request in
 * DATA/sync/fetch/; the syncer, the one process that talks to the
 * channels, picks it up with the outbox, has the adapter download it, and
 * writes it to DATA/attachments/ under a name made from the message's id,
 * never from the sender's file name (reliability.md, R11). The path is
 * then the message's property ombre.attachment.N.
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

struct chan_fetch {
	LIST_ENTRY(chan_fetch)	 entry;
	struct sync		*sync;
	struct sync_link	*link;
	char			*req;		/* the request file */
	char			*msgid;
	size_t			 index;
	char			*dest;
};

static void
sync_fetch_free(struct chan_fetch *f)
{
	LIST_REMOVE(f, entry);
	free(f->req);
	free(f->msgid);
	free(f->dest);
	free(f);
}

static int
sync_fetch_in_flight(struct sync *s, const char *req)
{
	struct chan_fetch	*f;

	LIST_FOREACH(f, &s->fetches, entry)
		if (strcmp(f->req, req) == 0)
			return 1;
	return 0;
}

/* The destination: the message's hash, the index, a safe extension. */
static char *
sync_fetch_dest(struct sync *s, const char *msgid, size_t index, const char *name)
{
	const char	*dot = name != NULL ? strrchr(name, '.') : NULL;
	char		 ext[12] = "";
	size_t		 i, n = 0;

	if (dot != NULL && strlen(dot) <= 9) {
		for (i = 0; dot[i] != '\0' && n + 1 < sizeof ext; i++) {
			if ((dot[i] >= 'a' && dot[i] <= 'z') ||
			    (dot[i] >= 'A' && dot[i] <= 'Z') ||
			    (dot[i] >= '0' && dot[i] <= '9') || (i == 0))
				ext[n++] = dot[i];
		}
		ext[n] = '\0';
		if (n < 2)
			ext[0] = '\0';
	}
	return xasprintf("%s/attachments/%016llx-%zu%s", s->opts->store.data_dir,
	    (unsigned long long)util_hash64(msgid), index, ext);
}

/* Read one request; 0, or -1 when it is not one (then removed). */
static int
sync_fetch_read(const char *path, char **msgid, size_t *index)
{
	char	 line[2048], *end;
	FILE	*f;
	int	 rc = -1;

	*msgid = NULL;
	if ((f = fopen(path, "re")) == NULL)
		return -1;
	if (fgets(line, sizeof line, f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		*msgid = xstrdup(line);
		if (fgets(line, sizeof line, f) != NULL) {
			*index = (size_t)strtoul(line, &end, 10);
			rc = (*end == '\n' || *end == '\0') && **msgid != '\0' ?
			    0 : -1;
		}
	}
	fclose(f);
	if (rc != 0) {
		free(*msgid);
		*msgid = NULL;
	}
	return rc;
}

void
sync_fetch_scan(struct sync *s)
{
	struct chan_fetch	*f;
	struct sync_link	*l;
	struct store		*st = NULL;
	struct msg		*m;
	struct dirent		*de;
	DIR			*dir;
	char			*dirpath, *path, *msgid, *cause;
	size_t			 index, i;
	int			 pending = 0;

	dirpath = xasprintf("%s/fetch", s->dir);
	dir = opendir(dirpath);
	if (dir == NULL) {
		free(dirpath);
		s->fetch_pending = 0;
		return;
	}
	while ((de = readdir(dir)) != NULL) {
		if (strlen(de->d_name) < 5 || strcmp(de->d_name +
		    strlen(de->d_name) - 4, ".req") != 0)
			continue;
		path = xasprintf("%s/%s", dirpath, de->d_name);
		if (sync_fetch_in_flight(s, path)) {
			pending++;
			free(path);
			continue;
		}
		if (sync_fetch_read(path, &msgid, &index) != 0) {
			unlink(path);
			free(path);
			continue;
		}
		m = NULL;
		/* One read-only handle for the whole scan. */
		if (st == NULL && store_open(&s->opts->store, STORE_READ_ONLY,
		    &st, &cause) != STORE_OK) {
			free(cause);
			st = NULL;
		}
		if (st != NULL && store_message_get(st, msgid, &m, &cause) !=
		    STORE_OK) {
			log_warn("fetch: %s", cause);
			free(cause);
		}
		l = NULL;
		for (i = 0; m != NULL && i < s->n_links && l == NULL; i++)
			if (s->links[i].adapter != NULL &&
			    s->links[i].type->fetch != NULL &&
			    s->links[i].type->owns(s->links[i].adapter,
			    m->channel, m->account))
				l = &s->links[i];
		if (m == NULL || index >= m->n_attachments ||
		    m->attachments[index].url == NULL ||
		    m->attachments[index].local != NULL || l == NULL) {
			/* Nothing to fetch, or no channel here to fetch it. */
			if (m != NULL && l == NULL)
				log_warn(_("fetch: no channel here serves %s"),
				    m->channel);
			unlink(path);
		} else if (l->state == CHAN_CONNECTED) {
			f = xcalloc(1, sizeof *f);
			f->sync = s;
			f->link = l;
			f->req = path;
			path = NULL;
			f->msgid = msgid;
			msgid = NULL;
			f->index = index;
			f->dest = sync_fetch_dest(s, f->msgid, index,
			    m->attachments[index].name);
			LIST_INSERT_HEAD(&s->fetches, f, entry);
			pending++;
			l->type->fetch(l->adapter, m->attachments[index].url, f);
		} else if (!(l->finished && l->failed))
			pending++;	/* offline: it waits */
		msg_free(m);
		free(msgid);
		free(path);
	}
	closedir(dir);
	if (st != NULL)
		store_close(st);
	free(dirpath);
	s->fetch_pending = pending;
}

/* host->fetch_done */
void
sync_fetch_done(struct chan_fetch *f, const char *body, size_t len,
    const char *error)
{
	struct sync	*s = f->sync;
	struct store	*st;
	char		*dir, *tmp, *cause, *clean;
	int		 fd, ok = 0;

	if (error != NULL) {
		clean = sanitize(error, strlen(error), SANITIZE_LINE, 200);
		log_warn(_("%s: fetching an attachment failed: %s"), f->link->link.name,
		    clean);
		free(clean);
		unlink(f->req);
		sync_fetch_free(f);
		return;
	}
	dir = xasprintf("%s/attachments", s->opts->store.data_dir);
	tmp = xasprintf("%s.%ld.tmp", f->dest, (long)getpid());
	if (util_mkdir_p(dir, s->dir_mode) == 0 &&
	    (fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    s->file_mode)) != -1) {
		ok = write(fd, body, len) == (ssize_t)len && fsync(fd) == 0;
		ok = close(fd) == 0 && ok && rename(tmp, f->dest) == 0;
		if (ok)
			util_fsync_dir(dir);
		else
			unlink(tmp);
	}
	if (!ok)
		log_warn(_("%s: cannot write %s"), f->link->link.name, f->dest);
	else if (store_open(&s->opts->store, STORE_READ_WRITE, &st, &cause) !=
	    STORE_OK) {
		log_warn("fetch: %s", cause);
		free(cause);
	} else {
		if (store_attachment_saved(st, f->msgid, f->index, f->dest,
		    &cause) != STORE_OK) {
			log_warn("fetch: %s", cause);
			free(cause);
		}
		store_close(st);
	}
	free(tmp);
	free(dir);
	unlink(f->req);
	sync_fetch_free(f);
}

void
sync_fetch_stop(struct sync *s)
{
	/* Requests stay on disk: the next syncer takes them. */
	while (!LIST_EMPTY(&s->fetches))
		sync_fetch_free(LIST_FIRST(&s->fetches));
}
