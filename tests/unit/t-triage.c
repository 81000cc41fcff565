/*
 * t-triage.c: core's triage policy as functions of a conversation's tags:
 * the mode and the assignee, the operations of each action from several
 * starting states, and undo putting each conversation back as it was.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <stdlib.h>
#include <string.h>

#include "tap.h"

/* Tags as a NULL-terminated array from words, for the calls below. */
struct t_tags {
	char	*v[16];
	size_t	 n;
};

static struct t_tags
t_tags(const char *words)
{
	struct t_tags	 t;
	char		*copy, *word, *last;

	memset(&t, 0, sizeof t);
	copy = xstrdup(words);
	for (word = strtok_r(copy, " ", &last); word != NULL && t.n < 15;
	    word = strtok_r(NULL, " ", &last))
		t.v[t.n++] = xstrdup(word);
	free(copy);
	return t;
}

static void
t_tags_free(struct t_tags *t)
{
	while (t->n > 0)
		free(t->v[--t->n]);
}

/* Operations joined by spaces; ops freed. */
static char *
t_join(char **ops)
{
	struct buf	b;
	size_t		i;

	buf_init(&b);
	for (i = 0; ops[i] != NULL; i++)
		buf_add_printf(&b, "%s%s", i > 0 ? " " : "", ops[i]);
	triage_tags_free(ops);
	return buf_steal(&b);
}

static int
t_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The tags after ops (NULL: none), sorted, as words. */
static char *
t_apply(const char *tags, char **ops)
{
	struct t_tags	 t = t_tags(tags);
	struct buf	 b;
	size_t		 i, j;

	for (i = 0; ops != NULL && ops[i] != NULL; i++) {
		for (j = 0; j < t.n; j++) {
			if (strcmp(t.v[j], ops[i] + 1) == 0)
				break;
		}
		if (ops[i][0] == '-' && j < t.n) {
			free(t.v[j]);
			t.v[j] = t.v[--t.n];
		} else if (ops[i][0] == '+' && j == t.n && t.n < 15)
			t.v[t.n++] = xstrdup(ops[i] + 1);
	}
	qsort(t.v, t.n, sizeof *t.v, t_cmp);
	buf_init(&b);
	for (i = 0; i < t.n; i++)
		buf_add_printf(&b, "%s%s", i > 0 ? " " : "", t.v[i]);
	t_tags_free(&t);
	return buf_steal(&b);
}

/* The operations of action on a conversation with these tags. */
static void
t_ops(enum triage_action action, const char *arg, const char *tags,
    const char *want, const char *name)
{
	struct t_tags	 t = t_tags(tags);
	char		*got;

	got = t_join(triage_ops(action, arg, t.v, t.n));
	is_str(got, want, name);
	free(got);
	t_tags_free(&t);
}

/*
 * Undo: after action then its undo, the conversation has its own tags
 * again (in any order), whatever it had before.
 */
static void
t_undo(enum triage_action action, const char *arg, const char *tags,
    const char *name)
{
	struct t_tags	  t = t_tags(tags);
	char		**ops, **undo, *changed, *back, *before;

	ops = triage_ops(action, arg, t.v, t.n);
	undo = triage_undo_ops(ops, t.v, t.n);
	changed = t_apply(tags, ops);
	back = t_apply(changed, undo);
	before = t_apply(tags, NULL);
	is_str(back, before, name);
	triage_tags_free(ops);
	triage_tags_free(undo);
	free(back);
	free(before);
	free(changed);
	t_tags_free(&t);
}

/* The undo of an action's operations on tags, joined (the ops freed). */
static char *
t_undo_of(enum triage_action action, const char *arg, const struct t_tags *t)
{
	char	**ops, *got;

	ops = triage_ops(action, arg, t->v, t->n);
	got = t_join(triage_undo_ops(ops, t->v, t->n));
	triage_tags_free(ops);
	return got;
}

static void
test_mode(void)
{
	struct t_tags	t;

	t = t_tags("inbox unread");
	is_int(triage_mode(t.v, t.n), TRIAGE_MODE_NONE, "no bot, no one: none");
	ok(triage_assignee(t.v, t.n) == NULL, "and no assignee");
	t_tags_free(&t);

	t = t_tags("inbox ombre/bot");
	is_int(triage_mode(t.v, t.n), TRIAGE_MODE_BOT, "ombre/bot: bot");
	t_tags_free(&t);

	t = t_tags("ombre/bot ombre/handoff inbox");
	is_int(triage_mode(t.v, t.n), TRIAGE_MODE_HANDOFF,
	    "handoff wins over the bot");
	t_tags_free(&t);

	t = t_tags("ombre/handoff ombre/assigned/alice ombre/bot");
	is_int(triage_mode(t.v, t.n), TRIAGE_MODE_HUMAN,
	    "an assignee wins over handoff and bot");
	is_str(triage_assignee(t.v, t.n), "alice", "the assignee's name");
	t_tags_free(&t);

	is_str(triage_tag_assignee("ombre/assigned/bob"), "bob",
	    "an assigned tag names its agent");
	ok(triage_tag_assignee("ombre/assigned") == NULL &&
	    triage_tag_assignee("assigned/bob") == NULL &&
	    triage_tag_assignee("ombre/done") == NULL,
	    "other tags name no agent");
	is_str(triage_tag_assignee("ombre/assigned/"), "",
	    "the bare prefix names an empty agent");
}

static void
test_ops(void)
{
	t_ops(TRIAGE_DONE, NULL, "inbox unread", "-inbox +ombre/done",
	    "done from the Inbox");
	t_ops(TRIAGE_DONE, NULL, "ombre/done", "-inbox +ombre/done",
	    "done again asks the same");
	t_ops(TRIAGE_SNOOZE, NULL, "inbox", "-inbox +ombre/snoozed",
	    "snooze leaves the Inbox");
	t_ops(TRIAGE_READ, NULL, "inbox unread", "-unread", "read");
	t_ops(TRIAGE_UNREAD, NULL, "inbox", "+unread", "unread");
	t_ops(TRIAGE_LABEL, "vip", "inbox", "+vip", "label");

	t_ops(TRIAGE_CYCLE_PRIORITY, NULL, "inbox", "+ombre/prio/high",
	    "priority: none to high");
	t_ops(TRIAGE_CYCLE_PRIORITY, NULL, "inbox ombre/prio/high",
	    "-ombre/prio/high +ombre/prio/low", "priority: high to low");
	t_ops(TRIAGE_CYCLE_PRIORITY, NULL, "ombre/prio/low inbox",
	    "-ombre/prio/low", "priority: low to none");
	{
		struct t_tags	t = t_tags("ombre/prio/high");

		is_str(triage_priority_next(t.v, t.n), "low",
		    "the next priority is named");
		t_tags_free(&t);
	}

	t_ops(TRIAGE_ASSIGN, "alice", "inbox",
	    "+ombre/assigned/alice -ombre/bot -ombre/handoff",
	    "assign an unassigned conversation");
	t_ops(TRIAGE_ASSIGN, "alice", "inbox ombre/assigned/bob",
	    "-ombre/assigned/bob +ombre/assigned/alice -ombre/bot "
	    "-ombre/handoff", "assign takes it from the other agent");
	t_ops(TRIAGE_ASSIGN, "alice",
	    "ombre/assigned/alice ombre/assigned/bob ombre/assigned/carol",
	    "-ombre/assigned/bob -ombre/assigned/carol +ombre/assigned/alice "
	    "-ombre/bot -ombre/handoff",
	    "assign leaves one assignee, however many there were");
	t_ops(TRIAGE_ASSIGN, "bob", "inbox ombre/bot",
	    "+ombre/assigned/bob -ombre/bot -ombre/handoff",
	    "assign takes it from the bot: one mode, human");

	t_ops(TRIAGE_TAKE_OVER, "alice", "inbox ombre/bot ombre/handoff",
	    "+ombre/assigned/alice -ombre/bot -ombre/handoff",
	    "take-over from the bot");
	t_ops(TRIAGE_TAKE_OVER, "alice", "ombre/assigned/bob ombre/bot",
	    "-ombre/assigned/bob +ombre/assigned/alice -ombre/bot "
	    "-ombre/handoff", "take-over from another agent");

	t_ops(TRIAGE_HAND_BACK, NULL, "ombre/assigned/alice inbox",
	    "-ombre/assigned/alice +ombre/bot -ombre/handoff",
	    "hand-back unassigns and gives the bot");
	t_ops(TRIAGE_HAND_BACK, NULL, "ombre/handoff",
	    "+ombre/bot -ombre/handoff", "hand-back of a handoff");
	t_ops(TRIAGE_ASSIGN_TEAM, "support", "inbox ombre/assigned/alice",
	    "-ombre/assigned/alice +ombre/team/support",
	    "to a team: its queue, nobody assigned");
	t_ops(TRIAGE_ASSIGN_TEAM, "support", "inbox ombre/team/sales",
	    "-ombre/team/sales +ombre/team/support",
	    "to a team: one team only");
	is_str(triage_action_event(TRIAGE_ASSIGN_TEAM), "team-assigned",
	    "assigning to a team is the event team-assigned");
	{
		char	 op[] = "+ombre/team/support";
		char	*ops[] = { op, NULL };
		char	*text;

		text = triage_event_text("team-assigned", "ana", NULL, ops, 0);
		is_str(text, "assigned to team support by ana",
		    "the team-assigned event says which team and who");
		free(text);
		text = triage_event_text("claimed", "bob", NULL, NULL, 0);
		is_str(text, "claimed by bob", "the claimed event says who");
		free(text);
	}
	/* One mode in the tags, whatever the operations did. */
	{
		static const char *const cases[][3] = {
			{ "inbox ombre/assigned/ana ombre/handoff ombre/bot",
			    "inbox ombre/assigned/ana",
			    "an assignee drops the bot and the queue" },
			{ "ombre/bot ombre/handoff unread", "ombre/handoff unread",
			    "handoff drops the bot" },
			{ "ombre/bot inbox", "ombre/bot inbox",
			    "bot mode stays as it is" },
			{ "inbox", "inbox", "no mode stays none" }
		};
		struct t_tags	 t;
		char		**tags, *got;
		size_t		 i, j;

		for (i = 0; i < nitems(cases); i++) {
			t = t_tags(cases[i][0]);
			tags = xcalloc(t.n + 1, sizeof *tags);
			for (j = 0; j < t.n; j++)
				tags[j] = xstrdup(t.v[j]);
			got = t_join(triage_one_mode(tags));
			is_str(got, cases[i][1], cases[i][2]);
			free(got);
			t_tags_free(&t);
		}
	}
}

static void
test_undo(void)
{
	struct t_tags	 t;
	char		*got;

	t_undo(TRIAGE_DONE, NULL, "inbox unread", "undo done from the Inbox");
	t_undo(TRIAGE_DONE, NULL, "ombre/snoozed",
	    "undo done of a snoozed one does not put it in the Inbox");
	t_undo(TRIAGE_SNOOZE, NULL, "inbox", "undo snooze");
	t_undo(TRIAGE_SNOOZE, NULL, "ombre/done",
	    "undo snooze of a done one leaves it done, out of the Inbox");
	t_undo(TRIAGE_CYCLE_PRIORITY, NULL, "ombre/prio/high",
	    "undo a priority step");
	t_undo(TRIAGE_LABEL, "vip", "vip inbox", "undo a label it had");
	t_undo(TRIAGE_LABEL, "vip", "inbox", "undo a new label");
	t_undo(TRIAGE_ASSIGN, "alice", "ombre/assigned/bob inbox",
	    "undo assign gives it back to bob");
	t_undo(TRIAGE_ASSIGN, "alice", "ombre/assigned/alice",
	    "undo assign to the one who had it");
	t_undo(TRIAGE_TAKE_OVER, "alice", "ombre/bot ombre/handoff inbox",
	    "undo take-over gives it back to the bot");
	t_undo(TRIAGE_HAND_BACK, NULL, "ombre/assigned/bob ombre/handoff",
	    "undo hand-back gives it back to bob");

	/* Two conversations, one action: each its own undo. */
	t = t_tags("inbox ombre/bot");
	got = t_undo_of(TRIAGE_TAKE_OVER, "alice", &t);
	is_str(got, "-ombre/assigned/alice +ombre/bot",
	    "undo of a bot's conversation: only what changed on it");
	free(got);
	t_tags_free(&t);
	t = t_tags("inbox ombre/handoff ombre/assigned/bob");
	got = t_undo_of(TRIAGE_TAKE_OVER, "alice", &t);
	is_str(got, "+ombre/assigned/bob -ombre/assigned/alice +ombre/handoff",
	    "undo of bob's: its own tags back");
	free(got);
	t_tags_free(&t);

	t = t_tags("ombre/done");
	got = t_undo_of(TRIAGE_DONE, NULL, &t);
	is_str(got, "", "nothing changed, nothing to undo");
	free(got);
	t_tags_free(&t);
}

/* A tag list as one string, for comparisons; frees the list. */
static char *
t_join_free(char **tags)
{
	struct buf	b;
	size_t		i;

	buf_init(&b);
	for (i = 0; tags[i] != NULL; i++)
		buf_add_printf(&b, "%s%s", i > 0 ? " " : "", tags[i]);
	triage_tags_free(tags);
	return buf_steal(&b);
}

static void
test_settle(void)
{
	struct t_tags	 closed = t_tags("inbox unread ombre/done vip "
	    "ombre/snoozed");
	char		*got;

	got = t_join_free(triage_tags_settle(triage_tags_copy(closed.v),
	    TRIAGE_SETTLE_REOPEN));
	is_str(got, "unread vip inbox", "reopened: in the Inbox, out of done "
	    "and snoozed, the rest kept");
	free(got);
	got = t_join_free(triage_tags_settle(triage_tags_copy(closed.v),
	    TRIAGE_SETTLE_CLOSED));
	is_str(got, "vip ombre/snoozed ombre/done", "a survey's answer: done, "
	    "out of the Inbox, read");
	free(got);
	t_tags_free(&closed);
}

int
main(void)
{
	tap_start();
	test_mode();
	test_ops();
	test_undo();
	test_settle();
	done_testing();
	return exit_status();
}
