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

/* The child: an event in every conversation past its target that has
 * none for this wait yet. Prints how many; exit status 0, or 1 with the
 * cause. */
static int
sync_sla_child(void *arg)
{
	struct sync		*s = arg;
	struct store		*st;
	struct store_conv	**convs = NULL, *c;
	struct store_event	*evs;
	struct sla_status	 sla;
	enum store_status	 rc;
	int64_t			 now = util_now();
	size_t			 n = 0, i, n_evs = 0;
	char			*cause = NULL, **reasons;

	rc = store_open(&s->opts->store, STORE_READ_WRITE, &st, &cause);
	if (rc != STORE_OK) {
		fprintf(stderr, "%s\n", cause);
		free(cause);
		return 1;
	}
	rc = store_query_convs_sorted(st, SYNC_SLA_QUERY, VIEW_SORT_WAITING,
	    0, SYNC_SLA_PAGE, &convs, &n, &cause);
	if (rc != STORE_OK) {
		fprintf(stderr, "%s\n", cause);
		free(cause);
		store_close(st);
		return 1;
	}
	evs = xcalloc(n + 1, sizeof *evs);
	reasons = xcalloc(n + 1, sizeof *reasons);
	for (i = 0; i < n; i++) {
		c = convs[i];
		if (c->waiting_since == 0)
			break;		/* the rest do not wait either */
		if (c->sla_breach >= c->waiting_since)
			continue;	/* this wait's breach is recorded */
		sla_eval(c->channel, c->tags, c->first_wait, c->waiting_since,
		    now, &sla);
		if (sla.state != SLA_BREACH || !sla.declared)
			continue;
		reasons[n_evs] = sla_breach_reason(&sla);
		evs[n_evs].thread_id = c->thread_id;
		evs[n_evs].type = "sla-breach";
		evs[n_evs].agent = "ombre";
		evs[n_evs].reason = reasons[n_evs];
		n_evs++;
	}
	rc = n_evs > 0 ? store_events(st, evs, n_evs, &cause) : STORE_OK;
	if (rc != STORE_OK) {
		fprintf(stderr, "%s\n", cause);
		free(cause);
	} else if (n_evs > 0)
		printf("%zu\n", n_evs);
	for (i = 0; i < n_evs; i++)
		free(reasons[i]);
	free(reasons);
	free(evs);
	store_convs_free(convs, n);
	if (store_close(st) != STORE_OK && rc == STORE_OK)
		rc = STORE_DB_ERROR;
	return rc == STORE_OK ? 0 : 1;
}

static void
sync_sla_done(struct sync *s, int status, const char *line)
{
	(void)s;
	if (status != 0)
		log_warn("sla: %s", *line != '\0' ? line :
		    "the search failed");
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
