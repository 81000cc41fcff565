/*
 * sync-feed.c: the syncer runs the hooks (`hook EVENT COMMAND`, and a
 * channel's bot-hook on take-over and hand-back); the console never does.
 *
 * Every SYNC_FEED_MS the syncer reads what DATA/feed gained (store-feed.c:
 * the events, handoffs and customer messages indexed by any process), and
 * sync-outbox.c adds the replies sent or refused. An item with a hook has
 * its JSON built at once (sync_hook_json, on a read-only store) and one
 * entry queued a hook. At most SYNC_HOOKS_RUNNING run at once; past
 * SYNC_HOOKS_QUEUED waiting, new ones are dropped and said. A hook never
 * holds up the loop, hence never ingest: it is a child watched by
 * polling (sync-hook.c).
 *
 * The feed is followed from its end when the syncer starts: what happened
 * while no syncer ran fires no hook. Each hook's end is counted in
 * DATA/sync/status (run, failed, the last failure) for `sync --status`.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sync/sync-private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SYNC_FEED_MS		200
#define SYNC_HOOKS_RUNNING	4
#define SYNC_HOOKS_QUEUED	1000
/* The most hooks of one event run for one item. */
#define SYNC_HOOKS_PER_EVENT	32

struct sync_hook_item {
	TAILQ_ENTRY(sync_hook_item)	 entry;
	struct sync			*sync;
	char				*event;
	char				*command;
	char				*json;
	struct sync_hook_run		*run;
};

/* The counts of hooks that went well reach the status file at most this
 * often (a failure is written at once). */
#define SYNC_HOOKS_STATUS_MS	1000

static void	sync_hooks_next(struct sync *);

static void
sync_hooks_status_timer(void *data)
{
	struct sync	*s = data;

	s->hooks_status_timer = NULL;
	sync_write_status(s);
}

static void
sync_hook_item_free(struct sync_hook_item *it)
{
	free(it->event);
	free(it->command);
	free(it->json);
	free(it);
}

static void
sync_hooks_done(struct sync_hook_run *run, const struct sync_hook_result *res,
    void *data)
{
	struct sync_hook_item	*it = data;
	struct sync		*s = it->sync;
	char			*line, *out, *what;
	size_t			 len;

	(void)run;
	TAILQ_REMOVE(&s->hooks_running, it, entry);
	s->hooks_n_running--;
	s->hooks_run++;
	line = sync_hook_describe(it->event, it->command, res);
	if (res->killed || res->status != 0) {
		s->hooks_failed++;
		what = sync_hook_outcome(res);
		free(s->hooks_last);
		s->hooks_last = xasprintf("%s: %s", it->event, what);
		free(what);
		s->hooks_last_when = time(NULL);
		log_warn("%s", line);
		if (*res->output != '\0') {
			/* The hook's own words, clean and short, without the
			 * newline that ends them (no ^J in the log). */
			len = strlen(res->output);
			while (len > 0 && (res->output[len - 1] == '\n' ||
			    res->output[len - 1] == '\r'))
				len--;
			out = sanitize(res->output, len, SANITIZE_LINE, 200);
			log_warn(_("hook %s said: %s"), it->event, out);
			free(out);
		}
		sync_write_status(s);
	} else {
		log_debug("%s after %lld ms", line, (long long)res->ms);
		if (s->hooks_status_timer == NULL && !s->stop)
			s->hooks_status_timer = ev_timer_add(s->loop,
			    SYNC_HOOKS_STATUS_MS, sync_hooks_status_timer, s);
	}
	free(line);
	sync_hook_item_free(it);
	sync_hooks_next(s);
}

/* Start what waits, as long as fewer than SYNC_HOOKS_RUNNING run. */
static void
sync_hooks_next(struct sync *s)
{
	struct sync_hook_item	*it;
	char			*cause;

	while (!s->stop && s->hooks_n_running < SYNC_HOOKS_RUNNING &&
	    (it = TAILQ_FIRST(&s->hooks_queue)) != NULL) {
		TAILQ_REMOVE(&s->hooks_queue, it, entry);
		s->hooks_queued--;
		it->run = sync_hook_start(s->loop, it->command, it->json,
		    s->opts->hook_timeout_ms, sync_hooks_done, it, &cause);
		if (it->run == NULL) {
			s->hooks_run++;
			s->hooks_failed++;
			free(s->hooks_last);
			s->hooks_last = xasprintf("%s: %s", it->event, cause);
			s->hooks_last_when = time(NULL);
			log_warn("%s", s->hooks_last);
			free(cause);
			sync_hook_item_free(it);
			sync_write_status(s);
			continue;
		}
		TAILQ_INSERT_TAIL(&s->hooks_running, it, entry);
		s->hooks_n_running++;
	}
}

/* Queue one hook of an item; dropped (and said) when too many wait. */
static void
sync_hooks_add(struct sync *s, const char *event, const char *command,
    const char *json)
{
	struct sync_hook_item	*it;

	if (s->hooks_queued >= SYNC_HOOKS_QUEUED) {
		if (s->hooks_dropped++ % 100 == 0)
			log_warn(_("hook %s: %zu hooks wait already: dropped "
			    "(%ld so far)"), event, s->hooks_queued,
			    s->hooks_dropped);
		return;
	}
	it = xcalloc(1, sizeof *it);
	it->sync = s;
	it->event = xstrdup(event);
	it->command = xstrdup(command);
	it->json = xstrdup(json);
	TAILQ_INSERT_TAIL(&s->hooks_queue, it, entry);
	s->hooks_queued++;
}

/*
 * The hooks of one item: each `hook EVENT`, then for take-over and
 * hand-back the bot-hook of the conversation's channel. *st is opened
 * read-only on first need and left open for the caller's next items.
 */
static void
sync_hooks_item(struct sync *s, struct store **st, const char *event,
    const char *thread_id, const char *msgid)
{
	const char			*commands[SYNC_HOOKS_PER_EVENT];
	const char			*bot = NULL;
	const struct channel_config	*cc;
	struct msg			*m;
	size_t				 n, i;
	char				*json, *cause;
	int				 bot_event;

	n = hooks_find(event, commands, nitems(commands));
	if (n > nitems(commands))
		n = nitems(commands);
	/* A spike names no conversation: its JSON is its token's. */
	if (strcmp(event, "spike") == 0) {
		sync_spike_log(msgid);
		if (n > 0 && (json = sync_spike_json(msgid)) != NULL) {
			for (i = 0; i < n; i++)
				sync_hooks_add(s, event, commands[i], json);
			free(json);
		}
		return;
	}
	bot_event = strcmp(event, "take-over") == 0 ||
	    strcmp(event, "hand-back") == 0;
	if (n == 0 && !bot_event)
		return;
	/* The crisis mode's line names no conversation (store-crisis.c). */
	if (thread_id != NULL &&
	    strcmp(thread_id, STORE_FEED_NO_THREAD) == 0) {
		json = sync_hook_crisis_json(s->opts->store.data_dir, msgid);
		for (i = 0; i < n; i++)
			sync_hooks_add(s, event, commands[i], json);
		free(json);
		return;
	}
	if (*st == NULL && store_open(&s->opts->store, STORE_READ_ONLY, st,
	    &cause) != STORE_OK) {
		log_warn(_("hook %s: %s"), event, cause);
		free(cause);
		*st = NULL;
		return;
	}
	if (bot_event && store_message_get(*st, msgid, &m, &cause) ==
	    STORE_OK) {
		cc = sync_hook_channel(m->channel, m->account);
		if (cc != NULL)
			bot = channel_config_get(cc, "bot-hook");
		msg_free(m);
	} else if (bot_event)
		free(cause);
	if (n == 0 && bot == NULL)
		return;
	if ((json = sync_hook_json(*st, event, thread_id, msgid, &cause)) ==
	    NULL) {
		log_warn(_("hook %s: %s"), event, cause);
		free(cause);
		return;
	}
	for (i = 0; i < n; i++)
		sync_hooks_add(s, event, commands[i], json);
	if (bot != NULL)
		sync_hooks_add(s, event, bot, json);
	free(json);
}

void
sync_hooks_queue(struct sync *s, const char *event, const char *thread_id,
    const char *msgid)
{
	struct store	*st = NULL;

	sync_hooks_item(s, &st, event, thread_id, msgid);
	if (st != NULL)
		store_close(st);
	sync_hooks_next(s);
}

/*
 * What a channel follows of an item: an agent's take-over or hand-back
 * moves the channel's own ownership (Messenger's thread control), and an
 * agent reading the customer marks it read upstream (read receipts,
 * unless `set whatsapp.read-receipts off`). An event the channel itself
 * sent us (its agent is the channel's type: a handover) is not sent
 * back. *st as sync_hooks_item.
 */
static void
sync_feed_channel(struct sync *s, struct store **st, const char *event,
    const char *msgid)
{
	struct sync_link	*sl;
	struct msg		*m;
	char			*cause;
	size_t			 i;
	int			 read, owner;

	read = strcmp(event, "read") == 0;
	owner = strcmp(event, "take-over") == 0 ||
	    strcmp(event, "hand-back") == 0;
	if (!read && !owner)
		return;
	if (read && !options_get_flag("whatsapp.read-receipts"))
		return;
	for (i = 0; i < s->n_links; i++) {
		sl = &s->links[i];
		if (sl->adapter != NULL && ((read && sl->type->mark_read !=
		    NULL) || (owner && sl->type->conv_event != NULL)))
			break;
	}
	if (i == s->n_links)
		return;		/* no channel here follows these */
	if (*st == NULL && store_open(&s->opts->store, STORE_READ_ONLY, st,
	    &cause) != STORE_OK) {
		log_warn("%s: %s", event, cause);
		free(cause);
		*st = NULL;
		return;
	}
	if (store_message_get(*st, msgid, &m, &cause) != STORE_OK) {
		free(cause);
		return;
	}
	for (i = 0; i < s->n_links; i++) {
		sl = &s->links[i];
		if (sl->adapter == NULL ||
		    !sl->type->owns(sl->adapter, m->channel, m->account))
			continue;
		if (read && sl->type->mark_read != NULL)
			sl->type->mark_read(sl->adapter, m->account,
			    m->conv_id, m->id);
		else if (owner && sl->type->conv_event != NULL &&
		    (m->agent == NULL || strcmp(m->agent, m->channel) != 0))
			sl->type->conv_event(sl->adapter, event, m->account,
			    m->conv_id);
		break;
	}
	msg_free(m);
}

/* What the feed gained since the last look; return how many items. */
static int
sync_hooks_read(struct sync *s)
{
	struct store_feed_item	 item;
	struct store		*st = NULL;
	int			 n = 0;

	if (s->feed == NULL)
		return 0;
	while (store_feed_next(s->feed, &item) == 1) {
		if (strcmp(item.thread_id, STORE_FEED_NO_THREAD) != 0)
			sync_feed_channel(s, &st, item.event, item.msgid);
		if (strcmp(item.event, "read") != 0)
			sync_hooks_item(s, &st, item.event, item.thread_id,
			    item.msgid);
		store_feed_item_clear(&item);
		n++;
	}
	if (st != NULL)
		store_close(st);
	sync_hooks_next(s);
	return n;
}

static void
sync_feed_timer(void *data)
{
	struct sync	*s = data;

	s->feed_timer = NULL;
	sync_hooks_read(s);
	if (!s->stop)
		s->feed_timer = ev_timer_add(s->loop, SYNC_FEED_MS,
		    sync_feed_timer, s);
}

/* feed: opened at its end before the lock was taken (sync_run): what
 * happened before we ran fires nothing. */
void
sync_hooks_start(struct sync *s, struct store_feed *feed)
{
	TAILQ_INIT(&s->hooks_queue);
	TAILQ_INIT(&s->hooks_running);
	s->feed = feed;
}

/* Once the loop runs: follow the feed. */
void
sync_hooks_follow(struct sync *s)
{
	s->feed_timer = ev_timer_add(s->loop, SYNC_FEED_MS, sync_feed_timer,
	    s);
}

int
sync_hooks_idle(struct sync *s)
{
	if (sync_hooks_read(s) > 0)
		return 0;
	return s->hooks_queued == 0 && s->hooks_n_running == 0;
}

/*
 * The syncer stops: what waits is dropped (said), what runs goes on
 * alone, its output no longer read and its timeout no longer kept.
 */
void
sync_hooks_stop(struct sync *s)
{
	struct sync_hook_item	*it;

	if (s->feed_timer != NULL)
		ev_timer_del(s->feed_timer);
	s->feed_timer = NULL;
	if (s->hooks_status_timer != NULL) {
		ev_timer_del(s->hooks_status_timer);
		sync_write_status(s);
	}
	s->hooks_status_timer = NULL;
	if (s->hooks_queued > 0)
		log_warn(ngettext("%zu hook not run: the syncer stops",
		    "%zu hooks not run: the syncer stops", s->hooks_queued),
		    s->hooks_queued);
	while ((it = TAILQ_FIRST(&s->hooks_queue)) != NULL) {
		TAILQ_REMOVE(&s->hooks_queue, it, entry);
		sync_hook_item_free(it);
	}
	s->hooks_queued = 0;
	while ((it = TAILQ_FIRST(&s->hooks_running)) != NULL) {
		TAILQ_REMOVE(&s->hooks_running, it, entry);
		sync_hook_detach(it->run);
		sync_hook_item_free(it);
	}
	s->hooks_n_running = 0;
	store_feed_close(s->feed);
	s->feed = NULL;
	free(s->hooks_last);
	s->hooks_last = NULL;
}
