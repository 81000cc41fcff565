/*
 * sync-replicate.c: a replica's syncer runs store.replicate (muchsync
 * with the central server, say) at start and every
 * store.replicate-interval, in a child so the loop never waits on the
 * network. Only on a replica: store.authority and store.replicate set.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sync-private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
sync_replicate_child(void *arg)
{
	struct buf	err;
	int		rc;

	(void)arg;
	buf_init(&err);
	rc = authority_replicate(&err);
	if (rc != 0)
		fprintf(stderr, "%.*s", (int)(err.len > 400 ? 400 : err.len),
		    err.data);
	buf_free(&err);
	return rc == 0 ? 0 : 1;
}

static void
sync_replicate_done(struct sync *s, int status, const char *line)
{
	(void)s;
	if (status != 0)
		log_warn(_("store.replicate failed%s%s"), *line != '\0' ? ": " :
		    "", line);
}

static int
sync_replicate_wanted(void)
{
	const char	*r = options_get("store.replicate");

	return authority_active() && r != NULL && r[strspn(r, " \t")] != '\0';
}

static int64_t
sync_replicate_interval(void)
{
	return options_get_number("store.replicate-interval") * 1000;
}

void
sync_replicate_round(struct sync_round *r)
{
	memset(r, 0, sizeof *r);
	r->wanted = sync_replicate_wanted;
	r->interval_ms = sync_replicate_interval;
	r->child = sync_replicate_child;
	r->done = sync_replicate_done;
}
