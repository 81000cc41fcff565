/*
 * store-crisis.c: crisis mode on the data dir (issue 16). DATA/crisis
 * holds the crisis in force, written whole and group-writable like
 * DATA/bot-scenario (store-bot.c), read by each read-write open for the
 * bot and by every console for its status line and view. Going on or off
 * records an event in each open conversation on the topic, and one feed
 * line "crisis ---------------- on|off" that hooks and consoles hear.
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

#define STORE_CRISIS		"crisis"
/* DATA/crisis is a few lines; past this it is not ours. */
#define STORE_CRISIS_MAX	4096
/* The open conversations given an event; past this the oldest go
 * without (a crisis on a word every customer uses is a mistake). */
#define STORE_CRISIS_EVENTS	5000

enum store_status
store_crisis_write(const char *data_dir, const struct crisis *c,
    char **cause)
{
	char	*path, *text;
	int	 rc, saved;

	*cause = NULL;
	if (c == NULL) {
		path = xasprintf("%s/%s", data_dir, STORE_CRISIS);
		rc = unlink(path);
		saved = errno;
		free(path);
		if (rc != 0 && saved != ENOENT) {
			*cause = xasprintf("%s/%s: %s", data_dir,
			    STORE_CRISIS, strerror(saved));
			return STORE_IO_ERROR;
		}
		return STORE_OK;
	}
	if (util_mkdir_p(data_dir, 0700) != 0) {
		*cause = xasprintf(_("cannot create %s: %s"), data_dir,
		    strerror(errno));
		return STORE_IO_ERROR;
	}
	text = crisis_format(c);
	/* 0660: a team's data dir (umask 007) shares it with the group. */
	rc = util_write_file(data_dir, STORE_CRISIS, text, strlen(text),
	    0660);
	saved = errno;
	free(text);
	if (rc != 0) {
		*cause = xasprintf(_("cannot write %s/%s: %s"), data_dir,
		    STORE_CRISIS, strerror(saved));
		return saved == ENOSPC || saved == EDQUOT ? STORE_FULL :
		    STORE_IO_ERROR;
	}
	return STORE_OK;
}

struct crisis *
store_crisis_read(const char *data_dir)
{
	struct crisis	*c;
	char		*path, buf[STORE_CRISIS_MAX + 1], *cause;
	ssize_t		 n;
	int		 fd;

	path = xasprintf("%s/%s", data_dir, STORE_CRISIS);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	free(path);
	if (fd == -1)
		return NULL;
	n = read(fd, buf, STORE_CRISIS_MAX);
	close(fd);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	if ((c = crisis_parse(buf, &cause)) == NULL) {
		log_debug("%s/%s: %s", data_dir, STORE_CRISIS, cause);
		free(cause);
	}
	return c;
}

int
store_crisis_changed(const char *data_dir, int64_t *stamp)
{
	struct stat	 sb;
	char		*path;
	int64_t		 now;

	path = xasprintf("%s/%s", data_dir, STORE_CRISIS);
	if (stat(path, &sb) != 0)
		now = 0;
	else {
		/* Written whole by rename: a new inode each time. */
		now = (int64_t)sb.st_ino * 1000003 +
		    (int64_t)sb.st_mtim.tv_sec * 1000 +
		    sb.st_mtim.tv_nsec / 1000000;
		if (now == 0)
			now = 1;
	}
	free(path);
	if (now == *stamp)
		return 0;
	*stamp = now;
	return 1;
}

/*
 * A read-write open: the data dir's crisis given to core, so the bot of
 * the affected channels is its scenario from the next message indexed.
 * A scenario no bot here has is said: the channels' own bots answer.
 */
void
store_crisis_load(struct store *st)
{
	struct crisis	*c;

	c = store_crisis_read(st->data_dir);
	if (c != NULL && !bot_exists(c->scenario))
		log_warn(_("%s/%s: no bot %s here: the channels' own bots "
		    "answer"), st->data_dir, STORE_CRISIS, c->scenario);
	crisis_set_data(c);
	crisis_free(c);
}

enum store_status
store_crisis_events(struct store *st, const struct crisis *c, int on,
    size_t *n_events, char **cause)
{
	struct store_conv	**convs = NULL;
	struct store_event	 *evs;
	enum store_status	  rc;
	size_t			  n = 0, i;
	char			 *topic_query, *query, *reason;

	*n_events = 0;
	*cause = NULL;
	if ((topic_query = crisis_query(c->topic)) != NULL) {
		query = xasprintf("tag:inbox and (%s)", topic_query);
		free(topic_query);
		rc = store_query_convs(st, query, 0, STORE_CRISIS_EVENTS,
		    &convs, &n, cause);
		free(query);
		if (rc != STORE_OK)
			return rc;
	}
	reason = xasprintf("crisis %s: %s", on ? "on" : "off", c->topic);
	evs = xcalloc(n + 1, sizeof *evs);
	for (i = 0; i < n; i++) {
		evs[i].thread_id = convs[i]->thread_id;
		evs[i].type = on ? "crisis-on" : "crisis-off";
		evs[i].reason = reason;
	}
	rc = n > 0 ? store_events(st, evs, n, cause) : STORE_OK;
	free(evs);
	free(reason);
	store_convs_free(convs, n);
	if (rc != STORE_OK)
		return rc;
	*n_events = n;
	/* The mode itself, once, whatever it touched: after the events, so
	 * a hook that looks finds them. */
	store_feed_line(st, "crisis", on ? "on" : "off");
	return STORE_OK;
}
