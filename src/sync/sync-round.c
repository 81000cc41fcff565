/*
 * sync-round.c: a round, the syncer's pattern for work on the database or
 * on another process that must never block its loop: a child run at
 * start and every interval, never two at once (the wait rule, the SLA
 * breaches, a replica's store.replicate). A round with nothing to do
 * counts as done, so `sync --once` ends after one of each.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sync/sync-private.h"

#include <stdlib.h>
#include <string.h>

static void	sync_round_tick(void *data);

static void
sync_round_done(struct job *job, int status, const char *output, void *data)
{
	struct sync_round	*r = data;
	char			*line, *safe;

	(void)job;
	if (status == JOB_CANCELLED)
		return;
	r->job = NULL;
	r->checked = 1;
	line = xstrndup(output, strcspn(output, "\n"));
	safe = sanitize(line, strlen(line), SANITIZE_LINE, 200);
	r->done(r->s, status, safe);
	free(safe);
	free(line);
}

static void
sync_round_tick(void *data)
{
	struct sync_round	*r = data;

	r->timer = NULL;
	if (r->job == NULL && r->wanted())
		r->job = job_run(r->s->loop, r->child, r->s, sync_round_done,
		    r);
	else if (r->job == NULL)
		r->checked = 1;
	r->timer = ev_timer_add(r->s->loop, r->interval_ms(), sync_round_tick,
	    r);
}

void
sync_round_start(struct sync *s, struct sync_round *r)
{
	r->s = s;
	r->timer = ev_timer_add(s->loop, 0, sync_round_tick, r);
}

int
sync_round_idle(const struct sync_round *r)
{
	return r->checked && r->job == NULL;
}

void
sync_round_stop(struct sync_round *r)
{
	if (r->timer != NULL)
		ev_timer_del(r->timer);
	r->timer = NULL;
}
