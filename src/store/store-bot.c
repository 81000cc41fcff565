/*
 * store-bot.c: the handoff rules and the built-in first-level bot, applied
 * where a message is indexed (design.md, "Bot handoff").
 *
 * Why at indexing rather than in a pass over the database afterwards: a
 * message is indexed exactly once (a second time it is a duplicate), so
 * what the rules and the bot do about it is done once too, in the same
 * transaction, whoever indexes it (the syncer's index child, ombre ingest,
 * a recovery). The policy is core's (triage_rules, bot_decide); here it
 * reads the conversation and writes what the policy says: a handoff event,
 * the bot's answers into the outbox (kind bot, sent by the syncer like an
 * agent's reply), each under an id derived from the customer's message so
 * a replay never answers twice.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "store/store-private.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The bot answers a customer's message this recent only: a backlog
 * fetched after an outage, or an import, gets no answer from the past. */
#define STORE_BOT_MAX_AGE	(15 * 60)

/* A closed-hours answer is not repeated within this many seconds. */
#define STORE_BOT_CLOSED_QUIET	(12 * 3600)

/* STORE_BOT_TURN, the property a bot's answer keeps its turn in:
 * "answer N", "fallback", "handoff", "closed", "greeting". */

void
store_generated_add(struct store *st, struct msg *m, const char *turn)
{
	st->generated = xreallocarray(st->generated, st->n_generated + 1,
	    sizeof *st->generated);
	st->generated[st->n_generated].msg = m;
	st->generated[st->n_generated].turn = turn != NULL ? xstrdup(turn) :
	    NULL;
	st->n_generated++;
}

void
store_generated_clear(struct store *st)
{
	size_t	i;

	for (i = 0; i < st->n_generated; i++) {
		msg_free(st->generated[i].msg);
		free(st->generated[i].turn);
	}
	free(st->generated);
	st->generated = NULL;
	st->n_generated = 0;
}

/* A message of the conversation m is in, with ombre's fields. */
static struct msg *
store_bot_msg(const struct msg *m, enum msg_kind kind)
{
	struct msg	*g;

	g = msg_new();
	g->channel = xstrdup(m->channel);
	g->account = xstrdup(m->account);
	g->conv_id = xstrdup(m->conv_id);
	if (m->conv_title != NULL)
		g->conv_title = xstrdup(m->conv_title);
	g->date = util_now();
	if (g->date < m->date)
		g->date = m->date;
	g->kind = kind;
	return g;
}

static char	*store_bot_id(const char *msgid, int seq);

void
store_rules_handoff(struct store *st, const struct msg *m, const char *self_id,
    const char *reason, int high)
{
	struct msg	*ev;
	char		**ops, *out;
	size_t		 i;

	ev = store_bot_msg(m, MSG_EVENT);
	/* Derived from the message that caused it: indexed again after a
	 * crash, the message hands off once. */
	out = store_bot_id(self_id, 99);
	ev->id = xasprintf("ev-%s", out + 4);
	free(out);
	ev->agent = xstrdup("bot");
	ev->from_id = xstrdup(m->account);
	ev->from_name = xstrdup("bot");
	ev->event = xstrdup("handoff");
	if (reason != NULL)
		ev->reason = xstrdup(reason);
	ops = triage_handoff_ops(high);
	for (i = 0; ops[i] != NULL; i++)
		msg_add_tag(ev, ops[i]);
	ev->text = triage_event_text("handoff", "bot", reason, ops, 0);
	ev->text_len = strlen(ev->text);
	triage_tags_free(ops);
	store_generated_add(st, ev, NULL);
}

/* The most rules one message sets off at once. */
#define STORE_ALERTS_MAX	16

size_t
store_alerts(struct store *st, const struct msg *m, char *const *tags)
{
	const struct alert	*fired[STORE_ALERTS_MAX];
	struct msg		*ev;
	char			**ops, *key, *out, *conv;
	size_t			 n, i, j;

	n = alert_match(m->kind, m->text, m->text_len, tags, fired,
	    nitems(fired));
	for (i = 0; i < n; i++) {
		ev = store_bot_msg(m, MSG_EVENT);
		/*
		 * Derived from the conversation and the rule, not from the
		 * message: indexed again (a crash's journal, doctor --fix's
		 * rebuild, in whatever order, before the ombre/alert/ tags
		 * are back), a later message of the conversation setting
		 * the rule off makes the same event, stored once.
		 */
		conv = msgid_message(m->channel, m->account, m->conv_id,
		    "alert");
		key = xasprintf("%s/%s", conv, fired[i]->name);
		free(conv);
		out = store_bot_id(key, 97);
		free(key);
		ev->id = xasprintf("ev-%s", out + 4);
		free(out);
		ev->agent = xstrdup("rule");
		ev->from_id = xstrdup(m->account);
		ev->from_name = xstrdup("rule");
		ev->event = xstrdup("alert");
		ev->reason = alert_reason(fired[i], m->text, m->text_len);
		ops = alert_ops(fired[i], tags);
		for (j = 0; ops[j] != NULL; j++)
			msg_add_tag(ev, ops[j]);
		ev->text = triage_event_text("alert", "rule", ev->reason, ops,
		    0);
		ev->text_len = strlen(ev->text);
		triage_tags_free(ops);
		store_generated_add(st, ev, NULL);
	}
	return n;
}

/*
 * An outbound id (out.UUID) derived from a customer's Message-Id and a
 * sequence number: the same answer to the same message has the same id,
 * so indexing that message again (a recovery) stores no second answer.
 */
static char *
store_bot_id(const char *msgid, int seq)
{
	uint64_t	 h1 = 1469598103934665603ULL, h2 = 0x9e3779b97f4a7c15ULL;
	const char	*p;

	for (p = msgid; *p != '\0'; p++) {
		h1 = (h1 ^ (unsigned char)*p) * 1099511628211ULL;
		h2 = (h2 ^ (unsigned char)*p) * 0x100000001b3ULL + 0x7f4a7c15;
	}
	h1 ^= (uint64_t)seq * 0xff51afd7ed558ccdULL;
	h2 ^= (uint64_t)(seq + 1) * 0xc4ceb9fe1a85ec53ULL;
	return xasprintf("out.%08x-%04x-%04x-%04x-%012llx",
	    (unsigned)(h1 >> 32), (unsigned)(h1 >> 16) & 0xffff,
	    (unsigned)h1 & 0xffff, (unsigned)(h2 >> 48),
	    (unsigned long long)(h2 & 0xffffffffffffULL));
}

/* Queue one of the bot's answers to m (text's variables filled). */
static void
store_bot_say(struct store *st, const struct msg *m, const char *self_id,
    int seq, const char *bot, const char *text, const char *turn)
{
	struct template		 t;
	struct template_vars	 v;
	struct msg		*g;
	char			*cause = NULL, *filled;

	memset(&t, 0, sizeof t);
	t.name = xstrdup(bot);
	t.body = xstrdup(text);
	memset(&v, 0, sizeof v);
	v.lenient = 1;		/* an answer goes, name or not */
	v.customer_name = m->from_name != NULL ? m->from_name : "";
	v.agent_name = bot;
	v.channel = m->channel;
	if ((filled = template_render(&t, &v, &cause)) == NULL) {
		log_warn(_("bot %s: %s"), bot, cause);
		free(cause);
		filled = xstrdup(text);
	}
	free(t.name);
	free(t.body);
	g = store_bot_msg(m, MSG_BOT);
	g->id = store_bot_id(self_id, seq);
	g->from_id = xstrdup(m->account);
	g->from_name = xstrdup(bot);
	g->text = filled;
	g->text_len = strlen(filled);
	msg_add_tag(g, "+ombre/outbox");
	store_generated_add(st, g, turn);
}

/* What the bot said so far in a thread, read from its turns. */
static notmuch_status_t
store_bot_state(struct store *st, const char *thread_id,
    struct bot_state *state, int **answered, int64_t *last_closed)
{
	notmuch_query_t		*q;
	notmuch_messages_t	*msgs;
	notmuch_message_t	*nm;
	notmuch_status_t	 status;
	const char		*turn;
	char			*query;
	long			 idx;

	memset(state, 0, sizeof *state);
	*answered = NULL;
	*last_closed = 0;
	query = xasprintf("thread:%s and property:ombre.kind=bot", thread_id);
	status = store_query_messages(st, query, NOTMUCH_SORT_OLDEST_FIRST, &q,
	    &msgs);
	free(query);
	if (status != NOTMUCH_STATUS_SUCCESS)
		return status;
	for (; notmuch_messages_valid(msgs); notmuch_messages_move_to_next(msgs)) {
		if ((nm = notmuch_messages_get(msgs)) == NULL) {
			status = NOTMUCH_STATUS_XAPIAN_EXCEPTION;
			break;
		}
		turn = NULL;
		notmuch_message_get_property(nm, STORE_BOT_TURN, &turn);
		if (turn == NULL)
			;
		else if (strcmp(turn, "fallback") == 0) {
			state->misses++;
			state->fallbacks++;
		} else if (strncmp(turn, "answer ", 7) == 0) {
			state->misses = 0;
			idx = strtol(turn + 7, NULL, 10);
			if (idx >= 0 && idx < 1000) {
				if ((size_t)idx >= state->n_answered) {
					*answered = xreallocarray(*answered,
					    (size_t)idx + 1, sizeof **answered);
					memset(*answered + state->n_answered, 0,
					    ((size_t)idx + 1 - state->n_answered) *
					    sizeof **answered);
					state->n_answered = (size_t)idx + 1;
				}
				(*answered)[idx]++;
			}
		} else if (strcmp(turn, "handoff") == 0)
			state->misses = 0;
		else if (strcmp(turn, "closed") == 0)
			*last_closed = notmuch_message_get_date(nm);
		notmuch_message_destroy(nm);
	}
	notmuch_query_destroy(q);
	state->answered = *answered;
	return status;
}

notmuch_status_t
store_bot_answer(struct store *st, const char *thread_id, const char *self_id,
    const struct msg *m, int first, const char **handoff_reason)
{
	const struct channel_config	*cc;
	struct bot_state		 state;
	struct bot_reply		 reply;
	notmuch_status_t		 status;
	const char			*bot;
	char				*lang;
	int64_t				 now = util_now(), last_closed;
	int				*answered;
	char				 turn[32];

	*handoff_reason = NULL;
	if (m->kind != MSG_CUSTOMER || m->text == NULL ||
	    m->date < now - STORE_BOT_MAX_AGE)
		return NOTMUCH_STATUS_SUCCESS;
	if ((cc = channel_config_for(m->channel, m->account)) == NULL)
		return NOTMUCH_STATUS_SUCCESS;
	/* A crisis's bot first (crisis.c), over any bot-scenario. */
	if ((bot = crisis_bot_for(m->channel, cc->name,
	    channel_config_get(cc, "bot"))) == NULL &&
	    (bot = bot_for_channel(channel_config_get(cc, "bot"))) == NULL)
		return NOTMUCH_STATUS_SUCCESS;
	/* The customer's language picks the bot's variant (issue 16). */
	lang = store_contact_language_of_msg(st, m);
	bot = bot_for_language(bot, lang);
	free(lang);
	status = store_bot_state(st, thread_id, &state, &answered,
	    &last_closed);
	if (status != NOTMUCH_STATUS_SUCCESS) {
		free(answered);
		return status;
	}
	state.first = first;
	/* The customer's message picks a vary=yes pattern's phrasing. */
	state.seed = bot_seed(self_id);
	bot_decide(bot, m->text, m->text_len, now, &state, &reply);
	if (reply.greeting != NULL)
		store_bot_say(st, m, self_id, 0, bot, reply.greeting,
		    "greeting");
	switch (reply.kind) {
	case BOT_NONE:
		break;
	case BOT_ANSWER:
		snprintf(turn, sizeof turn, "answer %d", reply.pattern);
		store_bot_say(st, m, self_id, 1, bot, reply.text, turn);
		break;
	case BOT_FALLBACK:
		store_bot_say(st, m, self_id, 1, bot, reply.text, "fallback");
		break;
	case BOT_HANDOFF:
		if (reply.text != NULL)
			store_bot_say(st, m, self_id, 1, bot, reply.text,
			    "handoff");
		*handoff_reason = reply.reason;
		break;
	case BOT_CLOSED:
		/* Said once for a closed period, not to every message. */
		if (last_closed == 0 || now - last_closed >
		    STORE_BOT_CLOSED_QUIET)
			store_bot_say(st, m, self_id, 1, bot, reply.text,
			    "closed");
		break;
	}
	/* The reason stays the bot's until its next decision: keep a copy. */
	if (*handoff_reason != NULL) {
		free(st->bot_reason);
		st->bot_reason = xstrdup(*handoff_reason);
		*handoff_reason = st->bot_reason;
	}
	bot_reply_free(&reply);
	free(answered);
	return NOTMUCH_STATUS_SUCCESS;
}

/* The survey of the channel a conversation is on, or NULL. */
static const struct bot_survey *
store_bot_survey_of(const struct msg *m)
{
	const struct channel_config	*cc;

	cc = channel_config_for(m->channel, m->account);
	return bot_survey_for(cc != NULL ? cc->name : NULL);
}

/*
 * Is the thread's newest survey question, customer message or csat event
 * (self_id aside) a question? Then it waits for its answer.
 */
static notmuch_status_t
store_bot_survey_pending(struct store *st, const char *thread_id,
    const char *self_id, int *pending)
{
	notmuch_query_t		*q;
	notmuch_messages_t	*msgs;
	notmuch_message_t	*nm;
	notmuch_status_t	 status;
	const char		*turn;
	char			*query;

	*pending = 0;
	query = xasprintf("thread:%s and (property:%s=survey or "
	    "property:ombre.kind=customer or property:ombre.event=csat)",
	    thread_id, STORE_BOT_TURN);
	status = store_query_messages(st, query, NOTMUCH_SORT_NEWEST_FIRST, &q,
	    &msgs);
	free(query);
	if (status != NOTMUCH_STATUS_SUCCESS)
		return status;
	for (; notmuch_messages_valid(msgs); notmuch_messages_move_to_next(msgs)) {
		if ((nm = notmuch_messages_get(msgs)) == NULL) {
			status = NOTMUCH_STATUS_XAPIAN_EXCEPTION;
			break;
		}
		if (strcmp(notmuch_message_get_message_id(nm), self_id) == 0) {
			notmuch_message_destroy(nm);
			continue;
		}
		turn = NULL;
		notmuch_message_get_property(nm, STORE_BOT_TURN, &turn);
		*pending = turn != NULL && strcmp(turn, "survey") == 0;
		notmuch_message_destroy(nm);
		break;
	}
	notmuch_query_destroy(q);
	return status;
}

notmuch_status_t
store_bot_survey_ask(struct store *st, const char *thread_id,
    const char *self_id, const struct msg *ev)
{
	const struct bot_survey	*sv;
	notmuch_query_t		*q;
	notmuch_messages_t	*msgs;
	notmuch_status_t	 status;
	char			*query;
	int			 pending, agent_replied;

	if ((sv = store_bot_survey_of(ev)) == NULL)
		return NOTMUCH_STATUS_SUCCESS;
	/* Asked once: not again while a question waits for its answer. */
	status = store_bot_survey_pending(st, thread_id, self_id, &pending);
	if (status != NOTMUCH_STATUS_SUCCESS || pending)
		return status;
	if (sv->skip_bot_only) {
		query = xasprintf("thread:%s and property:ombre.kind=agent",
		    thread_id);
		status = store_query_messages(st, query,
		    NOTMUCH_SORT_UNSORTED, &q, &msgs);
		free(query);
		if (status != NOTMUCH_STATUS_SUCCESS)
			return status;
		agent_replied = notmuch_messages_valid(msgs);
		notmuch_query_destroy(q);
		if (!agent_replied)
			return NOTMUCH_STATUS_SUCCESS;
	}
	/* Its id derived from the close's: a replay asks once. */
	store_bot_say(st, ev, self_id, 2, "bot", sv->text, "survey");
	return NOTMUCH_STATUS_SUCCESS;
}

notmuch_status_t
store_bot_survey_answer(struct store *st, const char *thread_id,
    const char *self_id, const struct msg *m, int *score)
{
	notmuch_status_t	 status;
	struct msg		*ev;
	char			*out;
	int			 pending;

	*score = 0;
	if (m->kind != MSG_CUSTOMER || m->text == NULL ||
	    (*score = bot_survey_score(m->text, m->text_len)) == 0)
		return NOTMUCH_STATUS_SUCCESS;
	status = store_bot_survey_pending(st, thread_id, self_id, &pending);
	if (status != NOTMUCH_STATUS_SUCCESS || !pending) {
		*score = 0;
		return status;
	}
	ev = store_bot_msg(m, MSG_EVENT);
	out = store_bot_id(self_id, 98);
	ev->id = xasprintf("ev-%s", out + 4);
	free(out);
	ev->agent = xstrdup("bot");
	ev->from_id = xstrdup(m->account);
	ev->from_name = xstrdup("bot");
	ev->event = xstrdup("csat");
	ev->reason = xasprintf("%d", *score);
	ev->text = xasprintf("rated %d/5 by the customer", *score);
	ev->text_len = strlen(ev->text);
	store_generated_add(st, ev, NULL);
	return NOTMUCH_STATUS_SUCCESS;
}

/* DATA/bot-scenario: one line, the bot's name. */
#define STORE_BOT_SCENARIO	"bot-scenario"

enum store_status
store_bot_scenario_write(const char *data_dir, const char *name,
    char **cause)
{
	char	*path, *line;
	int	 rc, saved;

	*cause = NULL;
	if (name == NULL || strcmp(name, "-") == 0) {
		path = xasprintf("%s/%s", data_dir, STORE_BOT_SCENARIO);
		rc = unlink(path);
		saved = errno;
		free(path);
		if (rc != 0 && saved != ENOENT) {
			*cause = xasprintf("%s/%s: %s", data_dir,
			    STORE_BOT_SCENARIO, strerror(saved));
			return STORE_IO_ERROR;
		}
		return STORE_OK;
	}
	if (!bot_name_valid(name)) {
		*cause = xasprintf(_("bad bot name '%s'"), name);
		return STORE_BAD_INPUT;
	}
	if (util_mkdir_p(data_dir, 0700) != 0) {
		*cause = xasprintf(_("cannot create %s: %s"), data_dir,
		    strerror(errno));
		return STORE_IO_ERROR;
	}
	line = xasprintf("%s\n", name);
	/* 0660: a team's data dir (umask 007) shares it with the group. */
	rc = util_write_file(data_dir, STORE_BOT_SCENARIO, line, strlen(line),
	    0660);
	saved = errno;
	free(line);
	if (rc != 0) {
		*cause = xasprintf(_("cannot write %s/%s: %s"), data_dir,
		    STORE_BOT_SCENARIO, strerror(saved));
		return saved == ENOSPC || saved == EDQUOT ? STORE_FULL :
		    STORE_IO_ERROR;
	}
	return STORE_OK;
}

char *
store_bot_scenario_read(const char *data_dir)
{
	char	*path, line[128];
	FILE	*f;

	path = xasprintf("%s/%s", data_dir, STORE_BOT_SCENARIO);
	f = fopen(path, "re");
	free(path);
	if (f == NULL)
		return NULL;
	if (fgets(line, sizeof line, f) == NULL)
		line[0] = '\0';
	fclose(f);
	line[strcspn(line, "\r\n")] = '\0';
	if (!bot_name_valid(line))
		return NULL;
	return xstrdup(line);
}

/*
 * The data dir's scenario in force in this process from now on (read at
 * each read-write open, so a long-lived process follows the file). A
 * name no bot here has is said and left aside: the channels' own bots
 * answer rather than none.
 */
void
store_bot_scenario_load(struct store *st)
{
	char	*name, *cause;

	name = store_bot_scenario_read(st->data_dir);
	if (bot_scenario_set_data(name, &cause) != 0) {
		log_warn(_("%s/%s: %s: ignored"), st->data_dir,
		    STORE_BOT_SCENARIO, cause);
		free(cause);
		bot_scenario_set_data(NULL, &cause);
	}
	free(name);
}
