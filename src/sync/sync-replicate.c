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
sync_replicate_done(struct job *job, int status, const char *output,
    void *data)
{
	struct sync	*s = data;
	char		*line, *safe;

	(void)job;
	if (status == JOB_CANCELLED)
		return;
	s->replicate_job = NULL;
	s->replicate_checked = 1;
	if (status != 0) {
		line = xstrndup(output, strcspn(output, "\n"));
		safe = sanitize(line, strlen(line), SANITIZE_LINE, 200);
		log_warn("store.replicate failed (exit %d)%s%s", status,
		    *safe != '\0' ? ": " : "", safe);
		free(safe);
		free(line);
	}
}

static int
sync_replicate_wanted(void)
{
	const char	*r = options_get("store.replicate");

	return authority_active() && r != NULL && r[strspn(r, " \t")] != '\0';
}

static void
sync_replicate_tick(void *data)
{
	struct sync	*s = data;

	s->replicate_timer = NULL;
	if (s->replicate_job == NULL)
		s->replicate_job = job_run(s->loop, sync_replicate_child, s,
		    sync_replicate_done, s);
	s->replicate_timer = ev_timer_add(s->loop,
	    options_get_number("store.replicate-interval") * 1000,
	    sync_replicate_tick, s);
}

void
sync_replicate_start(struct sync *s)
{
	if (sync_replicate_wanted())
		s->replicate_timer = ev_timer_add(s->loop, 0,
		    sync_replicate_tick, s);
	else
		s->replicate_checked = 1;
}

int
sync_replicate_idle(struct sync *s)
{
	return s->replicate_checked && s->replicate_job == NULL;
}

void
sync_replicate_stop(struct sync *s)
{
	if (s->replicate_timer != NULL)
		ev_timer_del(s->replicate_timer);
	s->replicate_timer = NULL;
}
