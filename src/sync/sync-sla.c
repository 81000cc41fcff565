/*
 * sync-sla.c: service level breaches as events. Every SYNC_SLA_MS, and
 * once at start, a child (the syncer never opens the database read-write
 * in its loop) reads the Inbox's conversations, the longest waiting
 * first, asks core's sla_eval() where each stands and records an
 * sla-breach event ("first response 15m breached") in each past a
 * target declared by `sla`. The options sla.handoff-* alone colour the
 * waits but record nothing: a store's backlog of old waits gets no
 * events until a team says what its targets are. Once a crossing: a conversation whose newest sla-breach event
 * is not older than the wait it breaches already has its event (a new
 * wait starts after an answer, so the next breach is a new crossing).
 * The event's line in DATA/feed is what the hooks of sla-breach run on.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sync/sync-private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SYNC_SLA_MS		(30 * 1000)
/* Conversations read a round; the rest wait for the next one. */
#define SYNC_SLA_PAGE		500
#define SYNC_SLA_QUERY		"tag:inbox"

/* A conversation past a target declared by `sla` that has no event for
 * this wait yet; those not waiting end the round. */
static int
sync_sla_pick(const struct store_conv *c, int64_t now,
    struct store_event *ev, char **reason, void *data)
{
	struct sla_status	sla;

	(void)data;
	if (c->waiting_since == 0)
		return -1;	/* the rest do not wait either */
	if (c->sla_breach >= c->waiting_since)
		return 0;	/* this wait's breach is recorded */
	sla_eval(c->channel, c->tags, c->first_wait, c->waiting_since, now,
	    &sla);
	if (sla.state != SLA_BREACH || !sla.declared)
		return 0;
	*reason = sla_breach_reason(&sla);
	ev->type = "sla-breach";
	ev->agent = "ombre";
	return 1;
}

/* The child: an event in every conversation past its target that has
 * none for this wait yet. */
static int
sync_sla_child(void *arg)
{
	return sync_round_events(arg, SYNC_SLA_QUERY, SYNC_SLA_PAGE,
	    sync_sla_pick, NULL);
}

static void
sync_sla_done(struct sync *s, int status, const char *line)
{
	(void)s;
	if (status != 0)
		log_warn("sla: %s", *line != '\0' ? line :
		    _("the search failed"));
	else if (*line != '\0')
		log_debug("sla: %s breaches recorded", line);
}

static int64_t
sync_sla_interval(void)
{
	return SYNC_SLA_MS;
}

void
sync_sla_round(struct sync_round *r)
{
	memset(r, 0, sizeof *r);
	r->wanted = sla_declared;
	r->interval_ms = sync_sla_interval;
	r->child = sync_sla_child;
	r->done = sync_sla_done;
}
