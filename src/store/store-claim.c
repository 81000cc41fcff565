/*
 * store-claim.c: claims, compare-and-set under the database's write lock.
 * A read-write session holds Xapian's write lock from its open to its
 * close, so the conversation's assignee read here and the claimed event
 * written after it (one transaction, store_events) have no other writer
 * between them: of two agents claiming at once, the second reads the
 * first's claim and is refused with who took it and when. A look on a
 * read-only store first refuses most losers without queueing for the
 * lock behind the winners (many agents on one queue). Also the
 * agents the store's ombre/assigned/ tags name (the known agents when no
 * team is declared).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "store/store-private.h"

#include <stdlib.h>
#include <string.h>

/* Whether an event made who the assignee: claimed or taken over by who,
 * or assigned (to whom, its operations said: a later event's tags have
 * since spread over it, so the newest assignment is taken for who's). */
static int
store_claim_assigning(const struct msg *m, const char *who)
{
	const char	*by;

	if (strcmp(m->event, "assigned") == 0)
		return 1;
	/* Read back, an event's agent is who it is from. */
	by = m->agent != NULL ? m->agent : m->from_id;
	return (strcmp(m->event, "claimed") == 0 ||
	    strcmp(m->event, "take-over") == 0) && by != NULL &&
	    strcmp(by, who) == 0;
}

/* When the assignee got it: the newest assigning event's date, else 0. */
static enum store_status
store_claim_since(struct store *st, const char *thread_id, const char *who,
    int64_t *since, char **cause)
{
	struct msg		**msgs;
	enum store_status	  rc;
	size_t			  n, i;

	*since = 0;
	rc = store_thread_messages(st, thread_id, &msgs, &n, cause);
	if (rc != STORE_OK)
		return rc;
	for (i = n; i > 0; i--) {
		const struct msg *m = msgs[i - 1];

		if (m->kind == MSG_EVENT && m->event != NULL &&
		    store_claim_assigning(m, who)) {
			*since = m->date;
			break;
		}
	}
	store_msgs_free(msgs, n);
	return STORE_OK;
}

enum store_status
store_claim(struct store *st, const char *thread_id, const char *agent,
    struct store_claim *out, char **cause)
{
	struct store_conv	**convs, *c;
	struct store_event	  ev;
	enum store_status	  rc;
	const char		 *who;
	char			 *query, **ops;
	size_t			  n, i;

	memset(out, 0, sizeof *out);
	*cause = NULL;
	query = xasprintf("thread:%s", thread_id);
	rc = store_query_convs(st, query, 0, 1, &convs, &n, cause);
	free(query);
	if (rc != STORE_OK)
		return rc;
	if (n == 0) {
		store_convs_free(convs, n);
		*cause = xasprintf("no conversation %s", thread_id);
		return STORE_NOT_FOUND;
	}
	c = convs[0];
	who = triage_assignee(c->tags, c->n_tags);
	if (who != NULL) {
		out->by = xstrdup(who);
		out->outcome = strcmp(who, agent) == 0 ? STORE_CLAIM_MINE :
		    STORE_CLAIM_TAKEN;
		store_convs_free(convs, n);
		/* who pointed into the freed tags: out->by is its copy. */
		return store_claim_since(st, thread_id, out->by, &out->since,
		    cause);
	}
	if (st->mode != STORE_READ_WRITE) {
		out->outcome = STORE_CLAIM_FREE;
		store_convs_free(convs, n);
		return STORE_OK;
	}
	/* Nobody's: mine, from the bot or the queue alike. */
	ops = triage_ops(TRIAGE_TAKE_OVER, agent, c->tags, c->n_tags);
	memset(&ev, 0, sizeof ev);
	ev.thread_id = thread_id;
	ev.type = "claimed";
	ev.agent = agent;
	ev.ops = ops;
	ev.seen = c->msg_ids;
	rc = store_events(st, &ev, 1, cause);
	triage_tags_free(ops);
	for (i = 0; i < n; i++)
		store_conv_free(convs[i]);
	free(convs);
	if (rc != STORE_OK)
		return rc;
	out->outcome = STORE_CLAIM_CLAIMED;
	out->by = xstrdup(agent);
	out->since = util_now();
	return STORE_OK;
}

void
store_claim_clear(struct store_claim *c)
{
	free(c->by);
	c->by = NULL;
}

static int
store_claim_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

enum store_status
store_assignees(struct store *st, char ***out, size_t *n_out, char **cause)
{
	notmuch_tags_t	*tags;
	const char	*tag, *name;
	char		**names = NULL;
	struct store_agent *agents = NULL;
	size_t		  n = 0, n_agents, i, j;

	*out = NULL;
	*n_out = 0;
	*cause = NULL;
	store_read_begin(st);
	tags = notmuch_database_get_all_tags(st->db);
	if (tags == NULL) {
		store_read_end(st);
		*cause = xstrdup("reading the database's tags failed");
		return STORE_DB_ERROR;
	}
	for (; notmuch_tags_valid(tags); notmuch_tags_move_to_next(tags)) {
		tag = notmuch_tags_get(tags);
		if ((name = triage_tag_assignee(tag)) == NULL || *name == '\0')
			continue;
		names = xreallocarray(names, n + 2, sizeof *names);
		names[n++] = xstrdup(name);
		names[n] = NULL;
	}
	notmuch_tags_destroy(tags);
	store_read_end(st);
	/* And whoever started or ended a shift here (DATA/agents), though
	 * nothing is assigned to them now. */
	n_agents = store_agents_list(st->data_dir, &agents);
	for (i = 0; i < n_agents; i++) {
		for (j = 0; j < n && strcmp(names[j], agents[i].name) != 0; j++)
			;
		if (j < n)
			continue;
		names = xreallocarray(names, n + 2, sizeof *names);
		names[n++] = xstrdup(agents[i].name);
		names[n] = NULL;
	}
	store_agents_free(agents, n_agents);
	if (names == NULL)
		names = xcalloc(1, sizeof *names);
	else
		qsort(names, n, sizeof *names, store_claim_cmp);
	*out = names;
	*n_out = n;
	return STORE_OK;
}
