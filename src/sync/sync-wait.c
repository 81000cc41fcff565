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

/* A conversation whose customer waited past the rule: handed off by the
 * bot. The first that has not waited long enough ends the round. */
static int
sync_wait_pick(const struct store_conv *c, int64_t now,
    struct store_event *ev, char **reason, void *data)
{
	if (c->waiting_since == 0 || now - c->waiting_since < rules_wait())
		return -1;
	*reason = sync_wait_reason(now - c->waiting_since);
	ev->type = "handoff";
	ev->agent = "bot";
	ev->ops = data;
	return 1;
}

/* The child: hand off every conversation in bot mode waiting too long. */
static int
sync_wait_child(void *arg)
{
	char	**ops = triage_handoff_ops(0);
	int	  rc;

	rc = sync_round_events(arg, SYNC_WAIT_QUERY, SYNC_WAIT_PAGE,
	    sync_wait_pick, ops);
	triage_tags_free(ops);
	return rc;
}

static void
sync_wait_done(struct sync *s, int status, const char *line)
{
	(void)s;
	if (status != 0)
		log_warn(_("handoff-rule wait: %s"), *line != '\0' ? line :
		    _("the search failed"));
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
