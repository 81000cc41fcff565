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

#include <stdio.h>
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

int
sync_round_events(struct sync *s, const char *query, size_t page,
    sync_round_pick pick, void *data)
{
	struct store		*st;
	struct store_conv	**convs = NULL;
	struct store_event	*evs;
	enum store_status	 rc;
	int64_t			 now = util_now();
	size_t			 n = 0, i, n_evs = 0;
	char			*cause = NULL, **reasons;
	int			 took;

	rc = store_open(&s->opts->store, STORE_READ_WRITE, &st, &cause);
	if (rc != STORE_OK) {
		fprintf(stderr, "%s\n", cause);
		free(cause);
		return 1;
	}
	rc = store_query_convs_sorted(st, query, VIEW_SORT_WAITING, 0, page,
	    &convs, &n, &cause);
	if (rc != STORE_OK) {
		fprintf(stderr, "%s\n", cause);
		free(cause);
		store_close(st);
		return 1;
	}
	evs = xcalloc(n + 1, sizeof *evs);
	reasons = xcalloc(n + 1, sizeof *reasons);
	/* The longest waiting first, those not waiting last. */
	for (i = 0; i < n; i++) {
		took = pick(convs[i], now, &evs[n_evs], &reasons[n_evs], data);
		if (took < 0)
			break;
		if (took == 0)
			continue;
		evs[n_evs].thread_id = convs[i]->thread_id;
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
