/*
 * triage.c: triage policy, as pure functions of a conversation's tags:
 * which tags a new message gets, a conversation's mode and assignee, and
 * what each triage action does to it (and what undoes that).
 *
 * Triage state is tags (design.md). notmuch matches a thread when any of
 * its messages matches, so a conversation's state must sit on every one of
 * its messages: "Unassigned" is `not tag:/^ombre\/assigned\//`, and a new
 * message without the assignee's tag would make an assigned conversation
 * look unassigned. New messages therefore inherit the conversation-level
 * tags of their thread; message-level tags (unread, notes, outbox states)
 * stay with their message.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Tags that belong to one message, never inherited. */
static const char *const triage_message_tags[] = {
	"attachment", "draft", "encrypted", "flagged", "new", "ombre/failed",
	"ombre/note", "ombre/outbox", "ombre/sent", "passed", "replied",
	"signed", "unread"
};

int
triage_tag_is_conversation(const char *tag)
{
	size_t	i;

	for (i = 0; i < nitems(triage_message_tags); i++) {
		if (strcmp(tag, triage_message_tags[i]) == 0)
			return 0;
	}
	return 1;
}

struct triage_set {
	char	**tags;
	size_t	  n;
};

static int
triage_set_has(const struct triage_set *set, const char *tag)
{
	size_t	i;

	for (i = 0; i < set->n; i++) {
		if (strcmp(set->tags[i], tag) == 0)
			return 1;
	}
	return 0;
}

static void
triage_set_add(struct triage_set *set, const char *tag)
{
	if (triage_set_has(set, tag))
		return;
	set->tags = xreallocarray(set->tags, set->n + 2, sizeof *set->tags);
	set->tags[set->n++] = xstrdup(tag);
	set->tags[set->n] = NULL;
}

static void
triage_set_remove(struct triage_set *set, const char *tag)
{
	size_t	i;

	for (i = 0; i < set->n; i++) {
		if (strcmp(set->tags[i], tag) == 0) {
			free(set->tags[i]);
			memmove(&set->tags[i], &set->tags[i + 1],
			    (set->n - i) * sizeof *set->tags);
			set->n--;
			return;
		}
	}
}

char **
triage_ingest_tags(const struct msg *m, char *const *thread_tags, int *reopen)
{
	struct triage_set	 set = { NULL, 0 };
	size_t			 i;
	int			 was_closed;
	const char		*op;

	*reopen = 0;
	if (thread_tags != NULL) {
		for (i = 0; thread_tags[i] != NULL; i++) {
			if (triage_tag_is_conversation(thread_tags[i]))
				triage_set_add(&set, thread_tags[i]);
		}
	}
	was_closed = triage_set_has(&set, "ombre/done") ||
	    triage_set_has(&set, "ombre/snoozed");
	switch (m->kind) {
	case MSG_CUSTOMER:
		triage_set_add(&set, "inbox");
		triage_set_add(&set, "unread");
		break;
	case MSG_NOTE:
		triage_set_add(&set, "ombre/note");
		break;
	case MSG_BOT:
	case MSG_AGENT:
	case MSG_EVENT:
		break;
	}
	if (m->n_attachments > 0)
		triage_set_add(&set, "attachment");
	if (m->tags != NULL) {
		for (i = 0; m->tags[i] != NULL; i++) {
			op = m->tags[i];
			if (*op == '-')
				triage_set_remove(&set, op + 1);
			else
				triage_set_add(&set, *op == '+' ? op + 1 : op);
		}
	}
	/* A customer writing again reopens a done or snoozed conversation. */
	if (was_closed && triage_set_has(&set, "inbox")) {
		triage_set_remove(&set, "ombre/done");
		triage_set_remove(&set, "ombre/snoozed");
		*reopen = 1;
	}
	if (set.tags == NULL)
		set.tags = xcalloc(1, sizeof *set.tags);
	return set.tags;
}

void
triage_tags_free(char **tags)
{
	size_t	i;

	if (tags == NULL)
		return;
	for (i = 0; tags[i] != NULL; i++)
		free(tags[i]);
	free(tags);
}

char **
triage_tags_copy(char *const *tags)
{
	char	**copy;
	size_t	  n, i;

	if (tags == NULL)
		return NULL;
	n = triage_tags_count(tags);
	copy = xcalloc(n + 1, sizeof *copy);
	for (i = 0; i < n; i++)
		copy[i] = xstrdup(tags[i]);
	return copy;
}

size_t
triage_tags_count(char *const *tags)
{
	size_t	n;

	for (n = 0; tags != NULL && tags[n] != NULL; n++)
		;
	return n;
}

/* The agent NAME of an ombre/assigned/NAME tag, or NULL for another tag;
 * it points into tag. The one place that knows the prefix's length. */
const char *
triage_tag_assignee(const char *tag)
{
	static const char	prefix[] = TRIAGE_ASSIGNED_PREFIX;

	if (strncmp(tag, prefix, sizeof prefix - 1) != 0)
		return NULL;
	return tag + sizeof prefix - 1;
}

static int
triage_tags_has(char *const *tags, size_t n_tags, const char *tag)
{
	size_t	i;

	for (i = 0; i < n_tags; i++) {
		if (strcmp(tags[i], tag) == 0)
			return 1;
	}
	return 0;
}

const char *
triage_assignee(char *const *tags, size_t n_tags)
{
	const char	*name;
	size_t		 i;

	for (i = 0; i < n_tags; i++) {
		if ((name = triage_tag_assignee(tags[i])) != NULL)
			return name;
	}
	return NULL;
}

/* An assignee wins over the bot: a human has it even while ombre/bot stays. */
enum triage_mode
triage_mode(char *const *tags, size_t n_tags)
{
	if (triage_assignee(tags, n_tags) != NULL)
		return TRIAGE_MODE_HUMAN;
	if (triage_tags_has(tags, n_tags, "ombre/handoff"))
		return TRIAGE_MODE_HANDOFF;
	if (triage_tags_has(tags, n_tags, "ombre/bot"))
		return TRIAGE_MODE_BOT;
	return TRIAGE_MODE_NONE;
}

/* cycle-priority goes none -> high -> low -> none. */
const char *
triage_priority_next(char *const *tags, size_t n_tags)
{
	if (triage_tags_has(tags, n_tags, "ombre/prio/high"))
		return "low";
	if (triage_tags_has(tags, n_tags, "ombre/prio/low"))
		return "normal";
	return "high";
}

/* Append an operation, taken over. */
static void
triage_ops_push(struct triage_set *set, char *op)
{
	set->tags = xreallocarray(set->tags, set->n + 2, sizeof *set->tags);
	set->tags[set->n++] = op;
	set->tags[set->n] = NULL;
}

/* Append sign ('+' or '-') and tag. */
static void
triage_ops_add(struct triage_set *set, int sign, const char *tag)
{
	triage_ops_push(set, xasprintf("%c%s", sign, tag));
}

/* Every ombre/assigned/ tag but the one of keep (NULL: all) taken off. */
static void
triage_ops_unassign(struct triage_set *set, char *const *tags, size_t n_tags,
    const char *keep)
{
	const char	*name;
	size_t		 i;

	for (i = 0; i < n_tags; i++) {
		name = triage_tag_assignee(tags[i]);
		if (name != NULL && (keep == NULL || strcmp(name, keep) != 0))
			triage_ops_add(set, '-', tags[i]);
	}
}

char **
triage_ops(enum triage_action action, const char *arg, char *const *tags,
    size_t n_tags)
{
	struct triage_set	 set = { NULL, 0 };
	const char		*next;
	size_t			 i;

	switch (action) {
	case TRIAGE_DONE:
		triage_ops_add(&set, '-', "inbox");
		triage_ops_add(&set, '+', "ombre/done");
		break;
	case TRIAGE_SNOOZE:
		triage_ops_add(&set, '-', "inbox");
		triage_ops_add(&set, '+', "ombre/snoozed");
		break;
	case TRIAGE_READ:
		triage_ops_add(&set, '-', "unread");
		break;
	case TRIAGE_UNREAD:
		triage_ops_add(&set, '+', "unread");
		break;
	case TRIAGE_CYCLE_PRIORITY:
		next = triage_priority_next(tags, n_tags);
		if (strcmp(next, "low") == 0) {
			triage_ops_add(&set, '-', "ombre/prio/high");
			triage_ops_add(&set, '+', "ombre/prio/low");
		} else if (strcmp(next, "normal") == 0)
			triage_ops_add(&set, '-', "ombre/prio/low");
		else
			triage_ops_add(&set, '+', "ombre/prio/high");
		break;
	case TRIAGE_LABEL:
		triage_ops_add(&set, '+', arg);
		break;
	case TRIAGE_ASSIGN:
	case TRIAGE_TAKE_OVER:
		triage_ops_unassign(&set, tags, n_tags, arg);
		triage_ops_push(&set, xasprintf("+%s%s", TRIAGE_ASSIGNED_PREFIX,
		    arg));
		/* A human has it now, whoever asked: one mode only, so
		 * the Bot and Needs human views never list it. */
		triage_ops_add(&set, '-', "ombre/bot");
		triage_ops_add(&set, '-', "ombre/handoff");
		break;
	case TRIAGE_HAND_BACK:
		triage_ops_unassign(&set, tags, n_tags, NULL);
		triage_ops_add(&set, '+', "ombre/bot");
		triage_ops_add(&set, '-', "ombre/handoff");
		break;
	case TRIAGE_ASSIGN_TEAM:
		/* In the team's queue, one team only; its agents claim it. */
		for (i = 0; i < n_tags; i++) {
			if (strncmp(tags[i], TEAM_TAG_PREFIX,
			    sizeof TEAM_TAG_PREFIX - 1) == 0 &&
			    strcmp(tags[i] + sizeof TEAM_TAG_PREFIX - 1,
			    arg) != 0)
				triage_ops_add(&set, '-', tags[i]);
		}
		triage_ops_unassign(&set, tags, n_tags, NULL);
		triage_ops_push(&set, xasprintf("+%s%s", TEAM_TAG_PREFIX, arg));
		break;
	}
	return set.tags;
}

/* Only what an operation changes is put back: undo never takes off a tag
 * the conversation had before, nor adds one it did not. */
char **
triage_undo_ops(char *const *ops, char *const *tags, size_t n_tags)
{
	struct triage_set	 set = { NULL, 0 };
	size_t			 i;
	int			 has;

	for (i = 0; ops[i] != NULL; i++) {
		has = triage_tags_has(tags, n_tags, ops[i] + 1);
		if (ops[i][0] == '+' && !has)
			triage_ops_add(&set, '-', ops[i] + 1);
		else if (ops[i][0] == '-' && has)
			triage_ops_add(&set, '+', ops[i] + 1);
	}
	if (set.tags == NULL)
		set.tags = xcalloc(1, sizeof *set.tags);
	return set.tags;
}

const char *
triage_action_event(enum triage_action action)
{
	switch (action) {
	case TRIAGE_DONE:
		return "closed";
	case TRIAGE_SNOOZE:
		return "snoozed";
	case TRIAGE_ASSIGN:
		return "assigned";
	case TRIAGE_TAKE_OVER:
		return "take-over";
	case TRIAGE_HAND_BACK:
		return "hand-back";
	case TRIAGE_ASSIGN_TEAM:
		return "team-assigned";
	case TRIAGE_READ:
	case TRIAGE_UNREAD:
	case TRIAGE_CYCLE_PRIORITY:
	case TRIAGE_LABEL:
		break;
	}
	return NULL;
}

int
triage_tags_have(char *const *tags, const char *tag)
{
	size_t	i;

	for (i = 0; tags != NULL && tags[i] != NULL; i++) {
		if (strcmp(tags[i], tag) == 0)
			return 1;
	}
	return 0;
}

/* The agent an event's operations assign, or NULL. */
static const char *
triage_ops_assignee(char *const *ops)
{
	const char	*name;
	size_t		 i;

	for (i = 0; ops != NULL && ops[i] != NULL; i++) {
		if (ops[i][0] == '+' &&
		    (name = triage_tag_assignee(ops[i] + 1)) != NULL)
			return name;
	}
	return NULL;
}

/* The team an event's operations put it in, or NULL. */
static const char *
triage_ops_team(char *const *ops)
{
	size_t	i;

	for (i = 0; ops != NULL && ops[i] != NULL; i++) {
		if (strncmp(ops[i], "+" TEAM_TAG_PREFIX,
		    sizeof TEAM_TAG_PREFIX) == 0)
			return ops[i] + sizeof TEAM_TAG_PREFIX;
	}
	return NULL;
}

/* not translated: the text is stored in the event's message (store-event.c,
 * store-bot.c) and reads the same for every agent. */
char *
triage_event_text(const char *event, const char *agent, const char *reason,
    char *const *ops, int64_t until)
{
	const char	*who = agent != NULL && *agent != '\0' ? agent : "someone";
	const char	*to;
	char		 when[64];
	struct tm	 tm;
	time_t		 t;

	if (strcmp(event, "handoff") == 0) {
		if (reason != NULL && *reason != '\0')
			return xasprintf("handed off by %s: %s",
			    strcmp(who, "bot") == 0 ? "the bot" : who, reason);
		return xasprintf("handed off by %s",
		    strcmp(who, "bot") == 0 ? "the bot" : who);
	}
	if (strcmp(event, "take-over") == 0)
		return xasprintf("taken over by %s", who);
	if (strcmp(event, "claimed") == 0)
		return xasprintf("claimed by %s", who);
	if (strcmp(event, "team-assigned") == 0) {
		to = triage_ops_team(ops);
		return xasprintf("assigned to team %s by %s",
		    to != NULL ? to : "?", who);
	}
	if (strcmp(event, "hand-back") == 0)
		return xasprintf("returned to the bot by %s", who);
	if (strcmp(event, "assigned") == 0) {
		to = triage_ops_assignee(ops);
		if (to != NULL && strcmp(to, who) != 0)
			return xasprintf("assigned to %s by %s", to, who);
		return xasprintf("assigned to %s", to != NULL ? to : who);
	}
	if (strcmp(event, "closed") == 0)
		return xasprintf("closed by %s", who);
	if (strcmp(event, "reopened") == 0)
		return xasprintf("reopened by %s", who);
	if (strcmp(event, "snoozed") == 0 && until > 0) {
		t = (time_t)until;
		localtime_r(&t, &tm);
		util_strftime_c(when, sizeof when, "%a %d %b %H:%M", &tm);
		return xasprintf("snoozed until %s by %s", when, who);
	}
	if (strcmp(event, "snoozed") == 0)
		return xasprintf("snoozed by %s", who);
	if (strcmp(event, "sla-breach") == 0)
		return xstrdup(reason != NULL && *reason != '\0' ? reason :
		    "service level breached");
	/* "crisis on: livraison" (store-crisis.c). */
	if (strcmp(event, "crisis-on") == 0 || strcmp(event, "crisis-off") == 0)
		return xstrdup(reason != NULL && *reason != '\0' ? reason :
		    event);
	/* A shift's handover note is its own whole line (shift.c). */
	if (strcmp(event, "handover") == 0)
		return xstrdup(reason != NULL && *reason != '\0' ? reason :
		    "handed over");
	if (strcmp(event, "shift-start") == 0)
		return xasprintf("shift started by %s", who);
	/* An alert rule's: "alert public: 'je vais poster ça sur X'". */
	if (strcmp(event, "alert") == 0)
		return xasprintf("alert %s", reason != NULL && *reason != '\0' ?
		    reason : "");
	if (strcmp(event, "woken") == 0)
		return xstrdup("back from snooze");
	if (strcmp(event, "undo") == 0)
		return xasprintf("%s undid a change", who);
	return xasprintf("%s by %s", event, who);
}

char **
triage_conv_diff(char *const *before, char *const *after)
{
	struct triage_set	 set = { NULL, 0 };
	size_t			 i;

	for (i = 0; after != NULL && after[i] != NULL; i++) {
		if (triage_tag_is_conversation(after[i]) &&
		    !triage_tags_have(before, after[i]))
			triage_ops_add(&set, '+', after[i]);
	}
	for (i = 0; before != NULL && before[i] != NULL; i++) {
		if (triage_tag_is_conversation(before[i]) &&
		    !triage_tags_have(after, before[i]))
			triage_ops_add(&set, '-', before[i]);
	}
	if (set.tags == NULL)
		set.tags = xcalloc(1, sizeof *set.tags);
	return set.tags;
}

enum triage_bot
triage_channel_bot(const char *type, const char *account)
{
	const struct channel_config	*cc;

	if ((cc = channel_config_for(type, account)) == NULL)
		return TRIAGE_BOT_UNKNOWN;
	if (channel_config_get(cc, "bot") != NULL ||
	    channel_config_get(cc, "bot-hook") != NULL)
		return TRIAGE_BOT_YES;
	return TRIAGE_BOT_NONE;
}

/* Add tag to a NULL-terminated array (reallocated) unless it is there. */
static char **
triage_tags_add(char **tags, const char *tag)
{
	size_t	n;

	if (triage_tags_have(tags, tag))
		return tags;
	for (n = 0; tags[n] != NULL; n++)
		;
	tags = xreallocarray(tags, n + 2, sizeof *tags);
	tags[n] = xstrdup(tag);
	tags[n + 1] = NULL;
	return tags;
}

/* Apply +TAG/-TAG operations to a NULL-terminated array in place. */
static char **
triage_tags_apply(char **tags, char *const *ops)
{
	size_t	i, j, k;

	for (i = 0; ops[i] != NULL; i++) {
		if (ops[i][0] == '+') {
			tags = triage_tags_add(tags, ops[i] + 1);
			continue;
		}
		for (j = k = 0; tags[j] != NULL; j++) {
			if (strcmp(tags[j], ops[i] + 1) == 0)
				free(tags[j]);
			else
				tags[k++] = tags[j];
		}
		tags[k] = NULL;
	}
	return tags;
}

/* Remove tag from a NULL-terminated array in place. */
static void
triage_tags_drop(char **tags, const char *tag)
{
	size_t	i, j;

	for (i = j = 0; tags[i] != NULL; i++) {
		if (strcmp(tags[i], tag) == 0)
			free(tags[i]);
		else
			tags[j++] = tags[i];
	}
	tags[j] = NULL;
}

char **
triage_one_mode(char **tags)
{
	switch (triage_mode(tags, triage_tags_count(tags))) {
	case TRIAGE_MODE_HUMAN:
		triage_tags_drop(tags, "ombre/bot");
		triage_tags_drop(tags, "ombre/handoff");
		break;
	case TRIAGE_MODE_HANDOFF:
		triage_tags_drop(tags, "ombre/bot");
		break;
	case TRIAGE_MODE_BOT:
	case TRIAGE_MODE_NONE:
		break;
	}
	return tags;
}

char **
triage_handoff_ops(int high)
{
	struct triage_set	set = { NULL, 0 };

	triage_ops_add(&set, '-', "ombre/bot");
	triage_ops_add(&set, '+', "ombre/handoff");
	if (high) {
		triage_ops_add(&set, '-', "ombre/prio/low");
		triage_ops_add(&set, '+', "ombre/prio/high");
	}
	return set.tags;
}

int
triage_rules(const struct msg *m, enum triage_bot bot, char ***tags,
    struct rule_match *match)
{
	enum triage_mode	  mode;
	char			**ops;
	int			  hit = 0;

	if (m->kind == MSG_EVENT || m->kind == MSG_NOTE)
		return 0;
	mode = triage_mode(*tags, triage_tags_count(*tags));
	if (mode == TRIAGE_MODE_NONE) {
		if (m->kind == MSG_BOT)
			*tags = triage_tags_add(*tags, "ombre/bot");
		else if (m->kind == MSG_CUSTOMER && bot == TRIAGE_BOT_YES)
			*tags = triage_tags_add(*tags, "ombre/bot");
		else if (m->kind == MSG_CUSTOMER && bot == TRIAGE_BOT_NONE)
			*tags = triage_tags_add(*tags, "ombre/handoff");
		mode = triage_mode(*tags, triage_tags_count(*tags));
	}
	if (mode != TRIAGE_MODE_BOT || m->text == NULL)
		return 0;
	if (m->kind == MSG_CUSTOMER)
		hit = rules_match_customer(m->text, m->text_len, match);
	else if (m->kind == MSG_BOT)
		hit = rules_match_bot(m->text, m->text_len, match);
	if (!hit)
		return 0;
	ops = triage_handoff_ops(match->high);
	*tags = triage_tags_apply(*tags, ops);
	triage_tags_free(ops);
	return 1;
}

/*
 * A new message's tags once its conversation's state is settled: reopened
 * (a customer wrote to a closed conversation that an agent's close had
 * not seen) it is in the Inbox, out of done and snoozed; a survey's answer
 * (csat) leaves it closed, out of the Inbox, read.
 */
char **
triage_tags_settle(char **tags, enum triage_settle how)
{
	static const char *const reopen_drop[] = { "ombre/done",
	    "ombre/snoozed", "inbox", NULL };
	static const char *const closed_drop[] = { "inbox", "unread",
	    "ombre/done", NULL };
	const char *const	*drop;
	size_t			 i, j, k;
	int			 dropped;

	drop = how == TRIAGE_SETTLE_REOPEN ? reopen_drop : closed_drop;
	for (i = j = 0; tags[i] != NULL; i++) {
		for (dropped = 0, k = 0; drop[k] != NULL; k++)
			dropped |= strcmp(tags[i], drop[k]) == 0;
		if (dropped)
			free(tags[i]);
		else
			tags[j++] = tags[i];
	}
	tags = xreallocarray(tags, j + 2, sizeof *tags);
	tags[j++] = xstrdup(how == TRIAGE_SETTLE_REOPEN ? "inbox" :
	    "ombre/done");
	tags[j] = NULL;
	return tags;
}
