/*
 * store-report.c: the figures of `ombre report` and :report, computed
 * from what the store already records: the messages (customer, agent,
 * bot) and the events of each conversation (ombre(1), REPORT, defines
 * every figure).
 *
 * Why a pass over messages rather than counts of tags: tags say where a
 * conversation is now, a report says what happened in a window of time,
 * and only the dated messages and events know that. The conversations of
 * the window are read whole (notmuch's thread:{} subquery), a record of a
 * few words per message, then each conversation is replayed in date
 * order, oldest first.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "store/store-private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum report_kind {
	REPORT_CUSTOMER,
	REPORT_AGENT,		/* an agent's reply */
	REPORT_NOTE,
	REPORT_BOT,
	REPORT_SURVEY,		/* the bot's survey question */
	REPORT_TAKE_OVER,
	REPORT_HANDOFF,
	REPORT_CLOSED,
	REPORT_CSAT,
	REPORT_OTHER_EVENT	/* assigned, hand-back, reopened, snoozed... */
};

struct report_rec {
	int64_t		 date;
	uint32_t	 thread;	/* index in the names of threads */
	uint32_t	 seq;		/* order of reading, for equal dates */
	int32_t		 agent;		/* index in the names, -1: none */
	int32_t		 channel;
	uint8_t		 kind;
	uint8_t		 score;		/* a csat event's */
};

static char	*report_from_name(const char *);

/* Strings interned: an index for each distinct name. */
struct report_names {
	char		**items;
	size_t		  n;
	size_t		 *slots;	/* index + 1, 0 empty */
	size_t		  size;
};

static size_t
report_names_get(struct report_names *rn, const char *s)
{
	size_t	i, h, j;

	if (rn->n * 2 >= rn->size) {
		free(rn->slots);
		rn->size = rn->size == 0 ? 64 : rn->size * 2;
		rn->slots = xcalloc(rn->size, sizeof *rn->slots);
		for (i = 0; i < rn->n; i++) {
			h = util_hash64(rn->items[i]) & (rn->size - 1);
			while (rn->slots[h] != 0)
				h = (h + 1) & (rn->size - 1);
			rn->slots[h] = i + 1;
		}
	}
	h = util_hash64(s) & (rn->size - 1);
	while ((j = rn->slots[h]) != 0) {
		if (strcmp(rn->items[j - 1], s) == 0)
			return j - 1;
		h = (h + 1) & (rn->size - 1);
	}
	rn->items = xreallocarray(rn->items, rn->n + 1, sizeof *rn->items);
	rn->items[rn->n] = xstrdup(s);
	rn->slots[h] = ++rn->n;
	return rn->n - 1;
}

static void
report_names_free(struct report_names *rn)
{
	size_t	i;

	for (i = 0; i < rn->n; i++)
		free(rn->items[i]);
	free(rn->items);
	free(rn->slots);
}

/*
 * The one place a duration is measured: in business hours where they are
 * declared (business-hours; with --team, that team's), else plain
 * seconds, so that every figure of the report changes with them at once.
 */
int64_t
store_report_duration(const char *team, int64_t from, int64_t to)
{
	return sla_business_seconds(team, from, to);
}

void
store_report_add(struct store_report_durations *d, int64_t v)
{
	if (d->n == d->cap) {
		d->cap = d->cap == 0 ? 16 : d->cap * 2;
		d->v = xreallocarray(d->v, d->cap, sizeof *d->v);
	}
	d->v[d->n++] = v;
}

/* A duration in at most five columns: 45s, 4m30, 1h05, 2d03. */
void
store_report_format(char *out, size_t size, int64_t s)
{
	if (s < 0)
		snprintf(out, size, "-");
	else if (s < 60)
		snprintf(out, size, "%llds", (long long)s);
	else if (s < 3600 && s % 60 == 0)
		snprintf(out, size, "%lldm", (long long)(s / 60));
	else if (s < 3600)
		snprintf(out, size, "%lldm%02lld", (long long)(s / 60),
		    (long long)(s % 60));
	else if (s < 86400)
		snprintf(out, size, "%lldh%02lld", (long long)(s / 3600),
		    (long long)(s % 3600 / 60));
	else
		snprintf(out, size, "%lldd%02lld", (long long)(s / 86400),
		    (long long)(s % 86400 / 3600));
}

/*
 * The start of agent's latest shift: the date of the newest shift-start
 * event they recorded, 0 when none.
 */
enum store_status
store_report_shift_start(struct store *st, const char *agent, int64_t *when,
    char **cause)
{
	notmuch_query_t		*q;
	notmuch_messages_t	*msgs;
	notmuch_message_t	*nm;
	notmuch_status_t	 status;
	struct shift_avail	 a;
	char			*name;
	int64_t			 date;

	*when = 0;
	*cause = NULL;
	status = store_query_messages(st, "property:ombre.kind=event and "
	    "property:ombre.event=shift-start", NOTMUCH_SORT_UNSORTED, &q,
	    &msgs);
	if (status != NOTMUCH_STATUS_SUCCESS) {
		*cause = xasprintf(_("searching shift-start events: %s"),
		    notmuch_status_to_string(status));
		return STORE_DB_ERROR;
	}
	for (; notmuch_messages_valid(msgs); notmuch_messages_move_to_next(msgs)) {
		if ((nm = notmuch_messages_get(msgs)) == NULL)
			break;
		name = report_from_name(notmuch_message_get_header(nm, "from"));
		date = notmuch_message_get_date(nm);
		if (strcmp(name, agent) == 0 && date > *when)
			*when = date;
		free(name);
		notmuch_message_destroy(nm);
	}
	notmuch_query_destroy(q);
	/* An agent with nothing open has the start in their file only
	 * (store-shift.c). */
	if (store_agent_read(st->data_dir, agent, &a) == 0 && a.started > *when)
		*when = a.started;
	return STORE_OK;
}

static int
report_cmp_int64(const void *a, const void *b)
{
	int64_t	x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

int64_t
store_report_percentile(struct store_report_durations *d, int p)
{
	size_t	rank;

	if (d->n == 0)
		return -1;
	qsort(d->v, d->n, sizeof *d->v, report_cmp_int64);
	/* Nearest rank: ceil(p/100 * n), counted from 1. */
	rank = ((size_t)p * d->n + 99) / 100;
	if (rank < 1)
		rank = 1;
	if (rank > d->n)
		rank = d->n;
	return d->v[rank - 1];
}

int
store_report_hour(int64_t t)
{
	struct tm	tm;
	time_t		tt = (time_t)t;

	localtime_r(&tt, &tm);
	return tm.tm_hour;
}

/* The display name of a From header: "ana <x@telegram.ombre>" is ana. */
static char *
report_from_name(const char *from)
{
	const char	*lt;
	size_t		 len;
	char		*name;

	if (from == NULL)
		return xstrdup("?");
	lt = strstr(from, " <");
	len = lt != NULL ? (size_t)(lt - from) : strlen(from);
	if (len >= 2 && from[0] == '"' && from[len - 1] == '"') {
		from++;
		len -= 2;
	}
	if (len == 0)
		return xstrdup("?");
	name = xmalloc(len + 1);
	memcpy(name, from, len);
	name[len] = '\0';
	return name;
}

/* A message's record; 0, or -1 for one the report has no use for. */
static int
report_rec_read(notmuch_message_t *nm, struct report_names *names,
    struct report_rec *r)
{
	const char	*kind = NULL, *event = NULL, *turn = NULL, *channel = NULL;
	const char	*reason = NULL;
	char		*agent;

	notmuch_message_get_property(nm, "ombre.kind", &kind);
	if (kind == NULL)
		return -1;
	r->agent = -1;
	r->score = 0;
	if (strcmp(kind, "customer") == 0)
		r->kind = REPORT_CUSTOMER;
	else if (strcmp(kind, "agent") == 0)
		r->kind = REPORT_AGENT;
	else if (strcmp(kind, "note") == 0)
		r->kind = REPORT_NOTE;
	else if (strcmp(kind, "bot") == 0) {
		notmuch_message_get_property(nm, STORE_BOT_TURN, &turn);
		r->kind = turn != NULL && strcmp(turn, "survey") == 0 ?
		    REPORT_SURVEY : REPORT_BOT;
	} else if (strcmp(kind, "event") == 0) {
		notmuch_message_get_property(nm, "ombre.event", &event);
		/* A shift's start marks the agent's conversations: no act
		 * on any of them (store-shift.c). */
		if (event == NULL || strcmp(event, "shift-start") == 0)
			return -1;
		if (strcmp(event, "take-over") == 0)
			r->kind = REPORT_TAKE_OVER;
		else if (strcmp(event, "handoff") == 0)
			r->kind = REPORT_HANDOFF;
		else if (strcmp(event, "closed") == 0)
			r->kind = REPORT_CLOSED;
		else if (strcmp(event, "csat") == 0) {
			r->kind = REPORT_CSAT;
			notmuch_message_get_property(nm, "ombre.reason",
			    &reason);
			if (reason == NULL || reason[0] < '1' ||
			    reason[0] > '5' || reason[1] != '\0')
				return -1;
			r->score = (uint8_t)(reason[0] - '0');
		} else
			r->kind = REPORT_OTHER_EVENT;
	} else
		return -1;
	/* Who: an agent's, a note's or an event's From is the agent. */
	if (r->kind != REPORT_CUSTOMER && r->kind != REPORT_BOT &&
	    r->kind != REPORT_SURVEY) {
		agent = report_from_name(notmuch_message_get_header(nm,
		    "from"));
		r->agent = (int32_t)report_names_get(names, agent);
		free(agent);
	}
	notmuch_message_get_property(nm, "ombre.channel", &channel);
	r->channel = (int32_t)report_names_get(names, channel != NULL ?
	    channel : "?");
	r->date = notmuch_message_get_date(nm);
	return 0;
}

static int
report_rec_cmp(const void *a, const void *b)
{
	const struct report_rec	*x = a, *y = b;

	if (x->thread != y->thread)
		return x->thread < y->thread ? -1 : 1;
	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The row of name in rows (added, zeroed, when new). */
static struct store_report_row *
report_row(struct store_report_row **rows, size_t *n, const char *name)
{
	size_t	i;

	for (i = 0; i < *n; i++) {
		if (strcmp((*rows)[i].name, name) == 0)
			return &(*rows)[i];
	}
	*rows = xreallocarray(*rows, *n + 1, sizeof **rows);
	memset(&(*rows)[*n], 0, sizeof **rows);
	(*rows)[*n].name = xstrdup(name);
	return &(*rows)[(*n)++];
}

/* What the replay of one conversation attributes, and where it goes. */
struct report_ctx {
	struct store_report		*r;
	const struct store_report_filter *f;
	struct report_names		*names;
	int32_t				 only;	/* the --agent's index, -1 */
};

/* The rows a figure goes to: the total, its channel, its agent (when
 * it has one); none when filtered out. At most three. */
static size_t
report_rows(struct report_ctx *c, int32_t channel, int32_t agent,
    struct store_report_row **out)
{
	size_t	n = 0;

	if (c->f->agent != NULL && agent != c->only)
		return 0;
	out[n++] = &c->r->total;
	out[n++] = report_row(&c->r->channels, &c->r->n_channels,
	    c->names->items[channel]);
	if (agent >= 0)
		out[n++] = report_row(&c->r->agents, &c->r->n_agents,
		    c->names->items[agent]);
	return n;
}

/* Is a human's action an agent's? The bot's own events are not. */
static int
report_is_human(struct report_ctx *c, int32_t agent)
{
	return agent >= 0 && strcmp(c->names->items[agent], "bot") != 0;
}

/*
 * A human acted on the conversation in the window: handled, once for the
 * total and the channel, once for each agent.
 */
static void
report_handled(struct report_ctx *c, int32_t channel, int32_t agent,
    int *counted, int32_t **seen, size_t *n_seen)
{
	size_t	i;

	if (c->f->agent != NULL && agent != c->only)
		return;
	if (!*counted) {
		*counted = 1;
		c->r->total.handled++;
		report_row(&c->r->channels, &c->r->n_channels,
		    c->names->items[channel])->handled++;
	}
	for (i = 0; i < *n_seen; i++) {
		if ((*seen)[i] == agent)
			return;
	}
	*seen = xreallocarray(*seen, *n_seen + 1, sizeof **seen);
	(*seen)[(*n_seen)++] = agent;
	report_row(&c->r->agents, &c->r->n_agents,
	    c->names->items[agent])->handled++;
}

/*
 * Replay one conversation (recs sorted by date). An episode runs from a
 * customer's message while none is open to the close that ends it: its
 * first response is its first agent reply, its resolution the close.
 */
static void
report_conversation(struct report_ctx *c, const struct report_rec *recs,
    size_t n)
{
	struct store_report_row	*rows[3];
	const struct report_rec	*e;
	int64_t			 since = c->f->since, until = c->r->until;
	int64_t			 ep_start = 0, handoff_at = 0;
	int32_t			 closer = -1, ch;
	int			 ep_replied = 0, ep_agent_msgs = 0, in;
	size_t			 i, j, m;
	int32_t			*seen = NULL;
	size_t			 n_seen = 0;
	int			 mine = c->f->agent == NULL, counted = 0;

	/* With --agent, only the conversations that agent acted on. */
	for (i = 0; !mine && i < n; i++) {
		if (recs[i].agent == c->only && recs[i].date >= since &&
		    recs[i].date <= until)
			mine = 1;
	}
	if (!mine)
		return;
	for (i = 0; i < n; i++) {
		e = &recs[i];
		ch = e->channel;
		in = e->date >= since && e->date <= until;
		if (in && report_is_human(c, e->agent))
			report_handled(c, ch, e->agent, &counted, &seen,
			    &n_seen);
		switch (e->kind) {
		case REPORT_CUSTOMER:
			/* A survey's answer (its csat event follows it) is no
			 * new request: it starts no episode. */
			if (ep_start == 0 && !(i + 1 < n &&
			    recs[i + 1].kind == REPORT_CSAT)) {
				ep_start = e->date;
				ep_replied = ep_agent_msgs = 0;
			}
			if (in)
				c->r->hours[store_report_hour(e->date)]++;
			break;
		case REPORT_AGENT:
			ep_agent_msgs++;
			if (ep_start != 0 && !ep_replied) {
				ep_replied = 1;
				m = in ? report_rows(c, ch, e->agent, rows) : 0;
				for (j = 0; j < m; j++)
					store_report_add(&rows[j]->first_response,
					    store_report_duration(c->f->team,
					    ep_start, e->date));
			}
			/* FALLTHROUGH */
		case REPORT_TAKE_OVER:
			if (handoff_at == 0 || !report_is_human(c, e->agent))
				break;
			/* The wait of a handoff of the window, for whoever
			 * took it. */
			m = handoff_at >= since ?
			    report_rows(c, ch, e->agent, rows) : 0;
			for (j = 0; j < m; j++) {
				store_report_add(&rows[j]->handoff_wait,
				    store_report_duration(c->f->team,
				    handoff_at, e->date));
				if (j == 2)
					rows[j]->handoffs++;
			}
			handoff_at = 0;
			break;
		case REPORT_HANDOFF:
			if (handoff_at != 0)
				break;		/* still waiting for the first */
			handoff_at = e->date;
			/* The total's and the channel's now, an agent's when
			 * one takes it. */
			if (in) {
				c->r->total.handoffs++;
				report_row(&c->r->channels, &c->r->n_channels,
				    c->names->items[ch])->handoffs++;
			}
			break;
		case REPORT_CLOSED:
			closer = e->agent;
			if (in) {
				m = report_rows(c, ch, e->agent, rows);
				for (j = 0; j < m; j++) {
					rows[j]->closed++;
					if (ep_start == 0)
						continue;
					store_report_add(&rows[j]->resolution,
					    store_report_duration(c->f->team,
					    ep_start, e->date));
					if (ep_agent_msgs == 0)
						rows[j]->bot_only++;
				}
			}
			ep_start = 0;
			handoff_at = 0;
			break;
		case REPORT_SURVEY:
			m = in ? report_rows(c, ch, closer, rows) : 0;
			for (j = 0; j < m; j++)
				rows[j]->surveys++;
			break;
		case REPORT_CSAT:
			m = in ? report_rows(c, ch, closer, rows) : 0;
			for (j = 0; j < m; j++) {
				rows[j]->csat_n++;
				rows[j]->csat_sum += e->score;
			}
			break;
		default:
			break;
		}
	}
	/* A handoff of the window nobody took yet. */
	if (handoff_at != 0 && handoff_at >= since) {
		c->r->total.handoffs_waiting++;
		report_row(&c->r->channels, &c->r->n_channels,
		    c->names->items[recs[n - 1].channel])->handoffs_waiting++;
	}
	free(seen);
}

static int
report_row_cmp(const void *a, const void *b)
{
	return strcmp(((const struct store_report_row *)a)->name,
	    ((const struct store_report_row *)b)->name);
}

enum store_status
store_report_build(struct store *st, const struct store_report_filter *f,
    struct store_report **out, char **cause)
{
	return store_report_build_query(st, f, NULL, out, cause);
}

/*
 * The report over the messages of query instead of the window's
 * conversations (NULL: those): insights replay only the conversations
 * with a close in the window (store-insights.c).
 */
enum store_status
store_report_build_query(struct store *st, const struct store_report_filter *f,
    const char *select, struct store_report **out, char **cause)
{
	struct report_names	 names, threads;
	struct report_rec	*recs = NULL;
	struct report_ctx	 c;
	struct store_report	*r;
	notmuch_query_t		*q;
	notmuch_messages_t	*msgs;
	notmuch_message_t	*nm;
	notmuch_status_t	 status;
	struct buf		 query;
	size_t			 n = 0, cap = 0, i, j;

	*out = NULL;
	*cause = NULL;
	memset(&names, 0, sizeof names);
	memset(&threads, 0, sizeof threads);
	r = xcalloc(1, sizeof *r);
	r->since = f->since;
	r->until = f->until != 0 ? f->until : util_now();
	r->total.name = xstrdup("total");

	buf_init(&query);
	if (select != NULL)
		buf_add_printf(&query, "(%s)", select);
	else if (f->since != 0)
		buf_add_printf(&query, "(thread:{date:@%lld..@%lld})",
		    (long long)f->since, (long long)r->until);
	else
		buf_add_str(&query, "(property:ombre.kind=customer or "
		    "property:ombre.kind=agent or property:ombre.kind=bot or "
		    "property:ombre.kind=note or property:ombre.kind=event)");
	/* A contact's file is no conversation's (store-contact.c). */
	buf_add_str(&query, " and " STORE_NOT_CONTACT);
	if (f->team != NULL) {
		/* A team's tag is conversation-level: on every message. */
		buf_add_printf(&query, " and tag:\"ombre/team/%s\"",
		    f->team);
	}
	status = store_query_messages(st, query.data, NOTMUCH_SORT_UNSORTED,
	    &q, &msgs);
	if (status != NOTMUCH_STATUS_SUCCESS) {
		*cause = xasprintf(_("searching %s: %s"), query.data,
		    notmuch_status_to_string(status));
		buf_free(&query);
		store_report_free(r);
		return STORE_DB_ERROR;
	}
	buf_free(&query);
	for (; notmuch_messages_valid(msgs); notmuch_messages_move_to_next(msgs)) {
		if ((nm = notmuch_messages_get(msgs)) == NULL)
			break;
		if (n == cap) {
			cap = cap == 0 ? 1024 : cap * 2;
			recs = xreallocarray(recs, cap, sizeof *recs);
		}
		if (report_rec_read(nm, &names, &recs[n]) == 0) {
			recs[n].thread = (uint32_t)report_names_get(&threads,
			    notmuch_message_get_thread_id(nm));
			recs[n].seq = (uint32_t)n;
			n++;
		}
		notmuch_message_destroy(nm);
	}
	notmuch_query_destroy(q);
	r->messages = (long)n;
	if (n > 0)
		qsort(recs, n, sizeof *recs, report_rec_cmp);

	c.r = r;
	c.f = f;
	c.names = &names;
	c.only = -1;
	if (f->agent != NULL)
		c.only = (int32_t)report_names_get(&names, f->agent);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && recs[j].thread == recs[i].thread; j++)
			;
		report_conversation(&c, recs + i, j - i);
	}
	if (r->n_channels > 0)
		qsort(r->channels, r->n_channels, sizeof *r->channels,
		    report_row_cmp);
	if (r->n_agents > 0)
		qsort(r->agents, r->n_agents, sizeof *r->agents,
		    report_row_cmp);
	free(recs);
	report_names_free(&names);
	report_names_free(&threads);
	*out = r;
	return STORE_OK;
}

static void
report_row_free(struct store_report_row *row)
{
	free(row->name);
	free(row->first_response.v);
	free(row->resolution.v);
	free(row->handoff_wait.v);
}

void
store_report_free(struct store_report *r)
{
	size_t	i;

	if (r == NULL)
		return;
	report_row_free(&r->total);
	for (i = 0; i < r->n_channels; i++)
		report_row_free(&r->channels[i]);
	free(r->channels);
	for (i = 0; i < r->n_agents; i++)
		report_row_free(&r->agents[i]);
	free(r->agents);
	free(r);
}
