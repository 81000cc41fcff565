/*
 * sync-dump.c: the syncer's dumps of the tags and properties, the only
 * state the Maildir does not hold (reliability.md 2.4, 6): one every
 * SYNC_DUMP_INTERVAL_MS and one at a clean exit, into DATA/dumps/ where
 * `ombre doctor --fix` finds the newest after rebuilding the index.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sync/sync-private.h"

#include <stdlib.h>

#define SYNC_DUMP_INTERVAL_MS	(3600 * 1000)

static void	sync_dump_tick(void *data);

/* Take a dump from a read-only handle; a failure is said, never fatal. */
static void
sync_dump_take(struct sync *s)
{
	struct store	*st;
	char		*cause;

	if (store_open(&s->opts->store, STORE_READ_ONLY, &st, &cause) !=
	    STORE_OK) {
		log_warn("dump: %s", cause);
		free(cause);
		return;
	}
	if (store_dump_take(st, NULL, &cause) != STORE_OK) {
		log_warn("%s", cause);
		free(cause);
	}
	store_close(st);
}

static void
sync_dump_tick(void *data)
{
	struct sync	*s = data;

	s->dump_timer = NULL;
	sync_dump_take(s);
	s->dump_timer = ev_timer_add(s->loop, SYNC_DUMP_INTERVAL_MS,
	    sync_dump_tick, s);
}

void
sync_dump_start(struct sync *s)
{
	s->dump_timer = ev_timer_add(s->loop, SYNC_DUMP_INTERVAL_MS,
	    sync_dump_tick, s);
}

void
sync_dump_stop(struct sync *s)
{
	if (s->dump_timer != NULL)
		ev_timer_del(s->dump_timer);
	s->dump_timer = NULL;
	sync_dump_take(s);
}
