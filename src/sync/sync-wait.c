/*
 * sync-wait.c: the wait rule (`handoff-rule wait DURATION`): a customer
 * left waiting that long while a bot has the conversation is handed to a
 * human.
 *
 * Every SYNC_WAIT_MS, and once at start, a child (the syncer never opens
 * the database read-write in its loop) searches the Inbox's conversations
 * in bot mode, the longest waiting first (store_query_convs_sorted by
 * waiting_since: a bot's answer counts while a bot has it), and records a
 * handoff event, by the bot, in each whose customer waited past the rule.
 * The event's indexing moves the whole conversation to handoff and writes
 * the feed line the consoles ring on and the hooks run on.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sync/sync-private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SYNC_WAIT_MS		(30 * 1000)
/* Conversations read a round; the rest wait for the next one. */
#define SYNC_WAIT_PAGE		200
#define SYNC_WAIT_QUERY \
	"tag:inbox and tag:ombre/bot and not tag:ombre/handoff"

/* The reason an event gives: "the customer waited 12 min". */
static char *
sync_wait_reason(int64_t waited)
{
	if (waited < 60)
		return xasprintf("the customer waited %lld s",
		    (long long)waited);
	return xasprintf("the customer waited %lld min",
	    (long long)(waited / 60));
}

/* The child: hand off every conversation in bot mode waiting too long.
 * Prints how many it handed off; exit status 0, or 1 with the cause. */
static int
sync_wait_child(void *arg)
{
	struct sync		*s = arg;
	struct store		*st;
	struct store_conv	**convs = NULL;
	struct store_event	*evs;
	enum store_status	 rc;
	int64_t			 wait = rules_wait(), now = util_now();
	size_t			 n = 0, i, n_evs = 0;
	char			*cause = NULL, **ops, **reasons;

	rc = store_open(&s->opts->store, STORE_READ_WRITE, &st, &cause);
	if (rc != STORE_OK) {
		fprintf(stderr, "%s\n", cause);
		free(cause);
		return 1;
	}
	rc = store_query_convs_sorted(st, SYNC_WAIT_QUERY, VIEW_SORT_WAITING,
	    0, SYNC_WAIT_PAGE, &convs, &n, &cause);
	if (rc != STORE_OK) {
		fprintf(stderr, "%s\n", cause);
		free(cause);
		store_close(st);
		return 1;
	}
	evs = xcalloc(n + 1, sizeof *evs);
	reasons = xcalloc(n + 1, sizeof *reasons);
	ops = triage_handoff_ops(0);
	/* The longest waiting first, those not waiting last: stop at the
	 * first that has not waited long enough. */
	for (i = 0; i < n; i++) {
		if (convs[i]->waiting_since == 0 ||
		    now - convs[i]->waiting_since < wait)
			break;
		reasons[n_evs] = sync_wait_reason(now -
		    convs[i]->waiting_since);
		evs[n_evs].thread_id = convs[i]->thread_id;
		evs[n_evs].type = "handoff";
		evs[n_evs].agent = "bot";
		evs[n_evs].reason = reasons[n_evs];
		evs[n_evs].ops = ops;
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
	triage_tags_free(ops);
	store_convs_free(convs, n);
	if (store_close(st) != STORE_OK && rc == STORE_OK)
		rc = STORE_DB_ERROR;
	return rc == STORE_OK ? 0 : 1;
}

static void
sync_wait_done(struct sync *s, int status, const char *line)
{
	(void)s;
	if (status != 0)
		log_warn("handoff-rule wait: %s", *line != '\0' ? line :
		    "the search failed");
	else if (*line != '\0')
		log_debug("handoff-rule wait: %s conversations handed off",
		    line);
}

static int
sync_wait_wanted(void)
{
	return rules_wait() > 0;
}

static int64_t
sync_wait_interval(void)
{
	return SYNC_WAIT_MS;
}

void
sync_wait_round(struct sync_round *r)
{
	memset(r, 0, sizeof *r);
	r->wanted = sync_wait_wanted;
	r->interval_ms = sync_wait_interval;
	r->child = sync_wait_child;
	r->done = sync_wait_done;
}
