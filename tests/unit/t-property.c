/*
 * t-property.c: the property test of triage (issue 12). Random operations
 * on 100 conversations of a real notmuch database in a temporary
 * directory: customers, bots and agents writing (the handoff rules and
 * the built-in bot firing as they would), take-over, hand-back, assign,
 * close, reopen, snooze, read, and undo of the last agent action exactly
 * as the console writes them (store_events, triage_ops, triage_undo_ops).
 * After each step:
 *  1. every conversation is in exactly one mode of bot, handoff, human
 *     (triage_mode never says none, at most one ombre/assigned/ tag), and
 *     its conversation-level tags are the same on every message;
 *  2. the view counts kept by store_counts_update (a read-only handle, as
 *     the console keeps them) equal store_count_convs and a recount of
 *     our own from the conversations' tags;
 *  3. undo gives back the exact conversation-level tags of before the
 *     action, when no message came to the conversation in between;
 *  4. a customer writing between the agent's read and a close or snooze
 *     keeps the conversation open (the stable query).
 * The conversations a step touched are checked at every step, read as
 * the console reads them (store_query_convs, store_thread_messages); all
 * of them and the counts at every step of the first 200, then at every
 * 20th, from the 2000th at every 50th, and at the last, in one pass over
 * the database's messages. A full check costs 50 ms at the start and
 * grows with the messages (recounting 15 views walks every thread): at
 * every 10th step the 10,000-step soak took 12 minutes, 7 of them
 * checking, and the 2000 of make check a minute on a busy machine.
 *
 * OMBRE_SEED replays a run (the seed is printed first); OMBRE_PROPERTY_OPS
 * is the number of operations (default 2000, 10000 under OMBRE_SOAK). The
 * first failure names the seed, the step, the operation and the tags, and
 * bails out.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "store/store-private.h"	/* notmuch: one pass over every message */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"

#define N_CONVS		100
#define FULL_EVERY_UNTIL 200	/* full checks at every step until this one */
#define FULL_EVERY	20	/* then at every 20th */
#define FULL_LATE	2000	/* and from this one on at every 50th */
#define FULL_EVERY_LATE	50
#define MAX_MARKED	3	/* an action on up to 3 conversations at once */

static const char *const agents[] = { "ana", "ben" };

struct conv {
	char		 conv_id[16];
	const char	*account;	/* BOT_ACCOUNT or HUMAN_ACCOUNT */
	char		*tid;
	int		 touched;	/* a message came since the last action */
};
#define BOT_ACCOUNT	"100"		/* channel tg-bot: bot=faq */
#define HUMAN_ACCOUNT	"200"		/* channel tg-human: no bot */

/* The last agent action, as the console keeps it to undo it. */
struct undo {
	int		 conv;
	char		*before;	/* conversation-level tags, sorted, joined */
	char		**back;		/* triage_undo_ops */
	const char	*type;		/* "reopened" or "undo" */
	const char	*agent;
};

static struct conv	 convs[N_CONVS];
static struct undo	 undo[MAX_MARKED];
static size_t		 n_undo;
static char		 data_dir[300];
static uint64_t		 seed, rng;
static long		 step;
static char		 op_desc[200];
static int		 next_id = 1;
static long		 n_full, n_undo_exact, n_undo_skipped, n_stable;
static int64_t		 check_ms;	/* time spent checking */

static uint32_t
rnd(uint32_t n)
{
	/* xorshift64* */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint32_t)((rng * 2685821657736338717ULL) >> 33) % n;
}

/* Print the failure, the seed to replay it, and stop the run (the store
 * is kept for a look with notmuch). */
static void
fail(const char *fmt, ...) TAP_PRINTF(1, 2);
static void
fail(const char *fmt, ...)
{
	va_list	ap;

	ok(0, "step %ld (%s)", step, op_desc);
	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n# replay: OMBRE_SEED=%llu OMBRE_PROPERTY_OPS=%ld (the "
	    "store is left in %s)\n", (unsigned long long)seed, step + 1,
	    data_dir);
	printf("Bail out! seed %llu, step %ld\n", (unsigned long long)seed,
	    step);
	fflush(stdout);
	exit(1);
}

static void
check_status(enum store_status rc, char *cause, const char *what)
{
	if (rc != STORE_OK && rc != STORE_DUPLICATE)
		fail("%s: %s: %s", what, store_status_str(rc),
		    cause != NULL ? cause : "");
	free(cause);
}

static struct store *
open_store(enum store_mode mode)
{
	struct store_options	 opts;
	struct store		*st = NULL;
	char			*cause = NULL;

	memset(&opts, 0, sizeof opts);
	opts.data_dir = data_dir;
	opts.lock_timeout = 5;
	opts.batch_messages = 100;
	opts.batch_ms = 10000;
	if (store_open(&opts, mode, &st, &cause) != STORE_OK) {
		printf("Bail out! store_open: %s\n", cause);
		exit(1);
	}
	return st;
}

static int
tag_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The conversation-level tags of a tag list, sorted and joined. */
static char *
conv_tags(char *const *tags, size_t n)
{
	struct buf	  b;
	char		**v;
	size_t		  i, k = 0;

	v = xcalloc(n + 1, sizeof *v);
	for (i = 0; i < n; i++) {
		if (triage_tag_is_conversation(tags[i]))
			v[k++] = tags[i];
	}
	qsort(v, k, sizeof *v, tag_cmp);
	buf_init(&b);
	buf_add_words(&b, v, k);
	free(v);
	return buf_steal(&b);
}

static size_t
count_tags(char *const *tags)
{
	size_t	n;

	for (n = 0; tags != NULL && tags[n] != NULL; n++)
		;
	return n;
}

/* Conversation i as the console's list reads it. */
static struct store_conv *
read_conv(struct store *st, int i)
{
	struct store_conv	**list, *c;
	size_t			  n, j;
	char			 *query, *cause = NULL;

	query = xasprintf("thread:%s", convs[i].tid);
	check_status(store_query_convs(st, query, 0, 1, &list, &n, &cause),
	    cause, "store_query_convs");
	free(query);
	if (n == 0)
		fail("conversation %d (thread %s) not found", i, convs[i].tid);
	c = list[0];
	for (j = 1; j < n; j++)
		store_conv_free(list[j]);
	free(list);
	return c;
}

/* Invariant 1's modes on a conversation with these tags (the union of
 * its messages'): one mode, at most one assignee. Return its
 * conversation-level tags (allocated). */
static char *
check_mode(char *const *tags, size_t n, int i)
{
	size_t	 j, assigned = 0;
	char	*all;

	all = conv_tags(tags, n);
	if (triage_mode(tags, n) == TRIAGE_MODE_NONE)
		fail("conversation %d (%s, account %s) is in no mode: %s", i,
		    convs[i].tid, convs[i].account, all);
	for (j = 0; j < n; j++) {
		if (triage_tag_assignee(tags[j]) != NULL)
			assigned++;
	}
	if (assigned > 1)
		fail("conversation %d (%s) has %zu assignees: %s", i,
		    convs[i].tid, assigned, all);
	return all;
}

/* Invariant 1 on one conversation as the console reads it: its tags in
 * the list (store_query_convs), its messages in the thread view
 * (store_thread_messages). */
static void
check_conv(struct store *st, int i)
{
	struct store_conv	 *c;
	struct msg		**msgs;
	size_t			  n, j;
	char			 *all, *one, *cause = NULL;

	c = read_conv(st, i);
	all = check_mode(c->tags, c->n_tags, i);
	check_status(store_thread_messages(st, c->thread_id, &msgs, &n,
	    &cause), cause, "store_thread_messages");
	for (j = 0; j < n; j++) {
		one = conv_tags(msgs[j]->tags, count_tags(msgs[j]->tags));
		if (strcmp(one, all) != 0)
			fail("conversation %d (%s): message %zu of %zu (%s, %s) "
			    "has '%s', the conversation '%s'", i, c->thread_id,
			    j, n, msg_kind_name(msgs[j]->kind), msgs[j]->id, one,
			    all);
		free(one);
	}
	free(all);
	store_msgs_free(msgs, n);
	store_conv_free(c);
}

/* The conversation of a thread id, or -1. */
static int
conv_of(const char *tid)
{
	int	i;

	for (i = 0; i < N_CONVS; i++) {
		if (strcmp(convs[i].tid, tid) == 0)
			return i;
	}
	return -1;
}

/* Every conversation as one pass over the database's messages sees it. */
struct seen {
	struct strset	 tags;		/* the union of its messages' tags */
	char		*first;		/* the conversation-level tags of one */
	char		*first_id;	/* of that message */
	int		 messages;
};

static int
seen_has(const struct seen *c, const char *tag)
{
	return strset_has(&c->tags, tag);
}

/* The built-in views our own recount knows, as predicates on a
 * conversation's tags (the invariant makes thread and message level the
 * same); -1: a view we do not recount ourselves. */
static int
view_holds(const char *name, const struct seen *c)
{
	int	inbox = seen_has(c, "inbox");
	char	mine[64];

	snprintf(mine, sizeof mine, "%s%s", TRIAGE_ASSIGNED_PREFIX, agents[0]);
	if (strcmp(name, "Inbox") == 0)
		return inbox;
	if (strcmp(name, "Needs human") == 0)
		return inbox && seen_has(c, "ombre/handoff");
	if (strcmp(name, "Bot") == 0)
		return inbox && seen_has(c, "ombre/bot");
	if (strcmp(name, "Mine") == 0)
		return seen_has(c, mine) && !seen_has(c, "ombre/done");
	if (strcmp(name, "Unassigned") == 0)
		return inbox && triage_assignee(c->tags.items, c->tags.n) ==
		    NULL;
	if (strcmp(name, "Snoozed") == 0)
		return seen_has(c, "ombre/snoozed");
	if (strcmp(name, "Done") == 0)
		return seen_has(c, "ombre/done");
	if (strcmp(name, "Telegram") == 0)
		return 1;
	if (strcmp(name, "WhatsApp") == 0 || strcmp(name, "Messenger") == 0 ||
	    strcmp(name, "LINE") == 0 || strcmp(name, "SMS") == 0 ||
	    strcmp(name, "Matrix") == 0 || strcmp(name, "Email") == 0)
		return 0;
	return -1;
}

static const struct view	*views;
static size_t			 n_views;
static char			**queries;

/*
 * Invariants 1 and 2 on every conversation and every view. One pass over
 * the database's messages and their tags: reading each conversation as
 * the console does (a list query, then its thread's files) costs ten
 * times more, so that is done for the conversations a step touched.
 */
static void
check_all(struct store *st, struct store *ro, struct store_counts *sc)
{
	struct seen		 seen[N_CONVS];
	notmuch_query_t		*q;
	notmuch_messages_t	*msgs;
	notmuch_message_t	*nm;
	notmuch_tags_t		*t;
	struct strset		 one_set;
	const char		*tid, *msgid;
	long			 total, unread, tt, u, mt, mu;
	char			*cause = NULL, *one, *all;
	size_t			 v;
	int			 i, holds;

	n_full++;
	memset(seen, 0, sizeof seen);
	if (store_query_messages(st, "*", NOTMUCH_SORT_UNSORTED, &q, &msgs) !=
	    NOTMUCH_STATUS_SUCCESS)
		fail("searching every message failed");
	for (; notmuch_messages_valid(msgs); notmuch_messages_move_to_next(msgs)) {
		if ((nm = notmuch_messages_get(msgs)) == NULL)
			fail("reading a message failed");
		tid = notmuch_message_get_thread_id(nm);
		msgid = notmuch_message_get_message_id(nm);
		if ((i = conv_of(tid)) == -1)
			fail("message %s in thread %s of no conversation",
			    msgid, tid);
		memset(&one_set, 0, sizeof one_set);
		for (t = notmuch_message_get_tags(nm); notmuch_tags_valid(t);
		    notmuch_tags_move_to_next(t)) {
			strset_add(&one_set, notmuch_tags_get(t));
			strset_add(&seen[i].tags, notmuch_tags_get(t));
		}
		notmuch_tags_destroy(t);
		one = conv_tags(one_set.items, one_set.n);
		strset_free(&one_set);
		if (seen[i].first == NULL) {
			seen[i].first = one;
			seen[i].first_id = xstrdup(msgid);
		} else {
			if (strcmp(one, seen[i].first) != 0)
				fail("conversation %d (%s): message %s has "
				    "'%s', message %s '%s'", i, tid, msgid, one,
				    seen[i].first_id, seen[i].first);
			free(one);
		}
		seen[i].messages++;
		notmuch_message_destroy(nm);
	}
	notmuch_query_destroy(q);
	for (i = 0; i < N_CONVS; i++) {
		if (seen[i].messages == 0)
			fail("conversation %d (%s) has no message", i,
			    convs[i].tid);
		all = check_mode(seen[i].tags.items, seen[i].tags.n, i);
		/* One mode in the tags too: a human's conversation is in
		 * neither the Bot nor the Needs human view. */
		if (triage_assignee(seen[i].tags.items, seen[i].tags.n) !=
		    NULL && (seen_has(&seen[i], "ombre/bot") ||
		    seen_has(&seen[i], "ombre/handoff")))
			fail("conversation %d (%s) is assigned and still has "
			    "the bot's or the queue's tag: %s", i,
			    convs[i].tid, all);
		if (seen_has(&seen[i], "ombre/bot") &&
		    seen_has(&seen[i], "ombre/handoff"))
			fail("conversation %d (%s) has ombre/bot and "
			    "ombre/handoff: %s", i, convs[i].tid, all);
		if (strcmp(all, seen[i].first) != 0)
			fail("conversation %d (%s): messages have '%s', the "
			    "conversation '%s'", i, convs[i].tid, seen[i].first,
			    all);
		free(all);
	}

	for (v = 0; v < n_views; v++) {
		if (store_counts_get(sc, v, &total, &unread) == -1)
			fail("view %s (%s) has no count", views[v].name,
			    queries[v]);
		cause = NULL;
		check_status(store_count_convs(ro, queries[v], &tt, &u, &cause),
		    cause, "store_count_convs");
		if (total != tt || unread != u)
			fail("view %s (%s): kept %ld/%ld, recount %ld/%ld "
			    "(unread/total)", views[v].name, queries[v],
			    unread, total, u, tt);
		mt = mu = 0;
		for (i = 0; i < N_CONVS; i++) {
			if ((holds = view_holds(views[v].name, &seen[i])) < 0)
				break;
			if (holds) {
				mt++;
				if (seen_has(&seen[i], "unread"))
					mu++;
			}
		}
		if (i == N_CONVS && (mt != tt || mu != u))
			fail("view %s (%s): notmuch counts %ld/%ld, the "
			    "conversations' tags %ld/%ld (unread/total)",
			    views[v].name, queries[v], u, tt, mu, mt);
	}
	for (i = 0; i < N_CONVS; i++) {
		strset_free(&seen[i].tags);
		free(seen[i].first);
		free(seen[i].first_id);
	}
}

/* A message of conversation i into the batch. */
static void
add_message(struct store *st, int i, enum msg_kind kind, const char *text)
{
	struct msg	*m = msg_new();
	char		*cause = NULL;
	const char	*agent = agents[rnd(nitems(agents))];

	m->channel = xstrdup("telegram");
	m->account = xstrdup(convs[i].account);
	m->conv_id = xstrdup(convs[i].conv_id);
	m->conv_title = xasprintf("Customer %d", i);
	m->id = xasprintf("%c%d", kind == MSG_CUSTOMER ? 'c' :
	    kind == MSG_BOT ? 'b' : 'a', next_id++);
	/* Recent: the bot answers only what is less than 15 min old. */
	m->date = util_now() - (int64_t)rnd(60);
	m->kind = kind;
	switch (kind) {
	case MSG_CUSTOMER:
		m->from_id = xstrdup(convs[i].conv_id);
		m->from_name = xstrdup("Zoë");
		break;
	case MSG_BOT:
		m->from_id = xstrdup(convs[i].account);
		m->from_name = xstrdup("Assistant");
		break;
	default:
		m->from_id = xstrdup(agent);
		m->from_name = xstrdup(agent);
		break;
	}
	m->text = xstrdup(text);
	m->text_len = strlen(text);
	check_status(store_ingest(st, m, &cause), cause, "store_ingest");
	msg_free(m);
	convs[i].touched = 1;
}

static const char *const customer_texts[] = {
	"bonjour",
	"ma commande 4521 n'est pas arrivée",
	"merci !",
	"quels sont vos horaires ?",		/* the bot's answer */
	"et la livraison, combien de temps ?",	/* the bot's answer */
	"je veux un humain",			/* a handoff rule */
	"I want to talk to a person",		/* a handoff rule */
	"ok"
};
static const char *const bot_texts[] = {
	"Voici le lien de suivi.",
	"Avez-vous d'autres questions ?",
	"Je vous passe un conseiller."		/* a bot marker */
};
static const char *const agent_texts[] = {
	"Je regarde ça tout de suite.",
	"C'est réglé, bonne journée."
};

/* The operations reopen does (cli-triage.c's). */
static char **
reopen_ops(void)
{
	char	**ops;

	ops = xcalloc(4, sizeof *ops);
	ops[0] = xstrdup("-ombre/done");
	ops[1] = xstrdup("-ombre/snoozed");
	ops[2] = xstrdup("+inbox");
	return ops;
}

static void
undo_clear(void)
{
	size_t	i;

	for (i = 0; i < n_undo; i++) {
		free(undo[i].before);
		triage_tags_free(undo[i].back);
	}
	n_undo = 0;
}

enum op {
	OP_CUSTOMER, OP_BOT, OP_AGENT, OP_TAKE_OVER, OP_HAND_BACK, OP_ASSIGN,
	OP_CLOSE, OP_REOPEN, OP_SNOOZE, OP_READ, OP_UNDO
};
static const struct {
	const char	*name;
	int		 weight;
} op_table[] = {
	{ "customer message", 28 },
	{ "bot message", 9 },
	{ "agent message", 9 },
	{ "take-over", 9 },
	{ "hand-back", 7 },
	{ "assign", 7 },
	{ "close", 8 },
	{ "reopen", 5 },
	{ "snooze", 5 },
	{ "read", 3 },
	{ "undo", 10 }
};
static long	op_counts[nitems(op_table)];

static enum op
pick_op(void)
{
	int	total = 0, r;
	size_t	i;

	for (i = 0; i < nitems(op_table); i++)
		total += op_table[i].weight;
	r = (int)rnd((uint32_t)total);
	for (i = 0; i < nitems(op_table); i++) {
		if ((r -= op_table[i].weight) < 0)
			break;
	}
	return (enum op)i;
}

static void
flush(struct store *st)
{
	char	*cause = NULL;

	check_status(store_flush(st, &cause), cause, "store_flush");
}

/*
 * An agent action on k conversations at once (the console's marked set),
 * written as the console writes it: one event each, in one transaction,
 * and what undoes it kept. touched[] gets the conversations.
 */
static size_t
agent_action(struct store *st, enum op op, int *touched)
{
	struct store_event	 evs[MAX_MARKED];
	struct store_conv	*c[MAX_MARKED];
	enum triage_action	 action = TRIAGE_DONE;
	const char		*agent = agents[rnd(nitems(agents))];
	const char		*arg = NULL, *type;
	char			**ops[MAX_MARKED], *cause = NULL;
	size_t			 k, j, n;
	int			 i, wrote = -1;

	flush(st);	/* what the agent reads is what is stored */
	k = rnd(5) == 0 ? 2 + rnd(MAX_MARKED - 1) : 1;
	for (n = 0; n < k; n++) {
		do {
			i = (int)rnd(N_CONVS);
			for (j = 0; j < n && touched[j] != i; j++)
				;
		} while (j < n);
		touched[n] = i;
	}
	switch (op) {
	case OP_TAKE_OVER:
		action = TRIAGE_TAKE_OVER;
		arg = agent;
		break;
	case OP_HAND_BACK:
		action = TRIAGE_HAND_BACK;
		break;
	case OP_ASSIGN:
		action = TRIAGE_ASSIGN;
		arg = agents[rnd(nitems(agents))];
		break;
	case OP_CLOSE:
		action = TRIAGE_DONE;
		break;
	case OP_SNOOZE:
		action = TRIAGE_SNOOZE;
		break;
	default:	/* reopen: not a core action */
		break;
	}
	type = op == OP_REOPEN ? "reopened" : triage_action_event(action);
	undo_clear();
	memset(evs, 0, sizeof evs);
	for (n = 0; n < k; n++) {
		i = touched[n];
		c[n] = read_conv(st, i);
		ops[n] = op == OP_REOPEN ? reopen_ops() :
		    triage_ops(action, arg, c[n]->tags, c[n]->n_tags);
		undo[n].conv = i;
		undo[n].before = conv_tags(c[n]->tags, c[n]->n_tags);
		undo[n].back = triage_undo_ops(ops[n], c[n]->tags,
		    c[n]->n_tags);
		/* ui_triage_add's: closing is undone by reopening. */
		undo[n].type = action == TRIAGE_DONE || action ==
		    TRIAGE_SNOOZE ? "reopened" : "undo";
		if (op == OP_REOPEN)
			undo[n].type = "undo";
		undo[n].agent = agent;
		evs[n].thread_id = convs[i].tid;
		evs[n].type = type;
		evs[n].agent = agent;
		evs[n].ops = ops[n];
		evs[n].seen = c[n]->msg_ids;	/* the stable query */
		evs[n].until = op == OP_SNOOZE ? util_now() + 3600 : 0;
		convs[i].touched = 0;
	}
	n_undo = k;
	snprintf(op_desc, sizeof op_desc, "%s%s%s by %s on %d%s", type,
	    arg != NULL ? " to " : "", arg != NULL ? arg : "", agent,
	    touched[0], k > 1 ? " and others" : "");
	/*
	 * Sometimes a customer writes between the agent's read and the
	 * write: the operations were computed on older tags (a closing
	 * event then spares the message it did not see). Stored on its own
	 * or in the event's batch, indexed before it.
	 */
	if (rnd(6) == 0) {
		wrote = touched[rnd((uint32_t)k)];
		add_message(st, wrote, MSG_CUSTOMER,
		    customer_texts[rnd(nitems(customer_texts))]);
		if (rnd(2) == 0)
			flush(st);
		n = strlen(op_desc);
		snprintf(op_desc + n, sizeof op_desc - n, ", a customer "
		    "writing on %d meanwhile", wrote);
	}
	check_status(store_events(st, evs, k, &cause), cause, "store_events");
	for (n = 0; n < k; n++) {
		store_conv_free(c[n]);
		triage_tags_free(ops[n]);
	}
	/* The stable query: closing what the agent did not see leaves the
	 * conversation open. */
	if (wrote != -1 && (op == OP_CLOSE || op == OP_SNOOZE)) {
		n_stable++;
		c[0] = read_conv(st, wrote);
		if (!store_conv_has_tag(c[0], "inbox") ||
		    store_conv_has_tag(c[0], "ombre/done") ||
		    store_conv_has_tag(c[0], "ombre/snoozed")) {
			cause = conv_tags(c[0]->tags, c[0]->n_tags);
			fail("conversation %d (%s) closed over a customer "
			    "message the agent did not see: %s", wrote,
			    c[0]->thread_id, cause);
		}
		store_conv_free(c[0]);
	}
	return k;
}

/* Undo the last agent action, and check it gave back the exact tags. */
static size_t
undo_last(struct store *st, int *touched)
{
	struct store_event	 evs[MAX_MARKED];
	struct store_conv	*c;
	char			*cause = NULL, *after;
	size_t			 n;

	flush(st);
	memset(evs, 0, sizeof evs);
	for (n = 0; n < n_undo; n++) {
		evs[n].thread_id = convs[undo[n].conv].tid;
		evs[n].type = undo[n].type;
		evs[n].agent = undo[n].agent;
		evs[n].ops = undo[n].back;
		touched[n] = undo[n].conv;
	}
	snprintf(op_desc, sizeof op_desc, "undo (%s) on %d%s", undo[0].type,
	    undo[0].conv, n_undo > 1 ? " and others" : "");
	check_status(store_events(st, evs, n_undo, &cause), cause,
	    "store_events (undo)");
	for (n = 0; n < n_undo; n++) {
		if (convs[undo[n].conv].touched) {
			/* A message came in between: no exact past to get. */
			n_undo_skipped++;
			continue;
		}
		c = read_conv(st, undo[n].conv);
		after = conv_tags(c->tags, c->n_tags);
		if (strcmp(after, undo[n].before) != 0)
			fail("undo of conversation %d (%s): tags '%s', before "
			    "the action '%s'", undo[n].conv, c->thread_id,
			    after, undo[n].before);
		n_undo_exact++;
		free(after);
		store_conv_free(c);
	}
	n = n_undo;
	undo_clear();
	return n;
}

/* The agent reads a conversation: its unread messages shown, -unread. */
static void
read_action(struct store *st, int i)
{
	struct store_conv	*c;
	char			 unread[] = "-unread";
	char			*ops[] = { unread, NULL };
	char			*cause = NULL;
	long			 changed;

	flush(st);
	c = read_conv(st, i);
	if (c->unread_ids != NULL && c->unread_ids[0] != NULL)
		check_status(store_tag_messages(st, c->unread_ids,
		    count_tags(c->unread_ids), ops, &changed, &cause), cause,
		    "store_tag_messages");
	store_conv_free(c);
}

static void
setup_config(void)
{
	char		 k_account[] = "account", k_bot[] = "bot";
	char		 v_bot_account[] = BOT_ACCOUNT, v_faq[] = "faq";
	char		 v_human_account[] = HUMAN_ACCOUNT;
	char		 a_hours[] = "Nous sommes ouverts de 9h à 18h.";
	char		 a_delivery[] = "La livraison prend 2 jours.";
	char		 f_1[] = "Je n'ai pas compris.";
	char		 f_2[] = "Pouvez-vous reformuler ?";
	char		*keys_bot[] = { k_account, k_bot };
	char		*values_bot[] = { v_bot_account, v_faq };
	char		*keys_human[] = { k_account };
	char		*values_human[] = { v_human_account };
	char		*hours[] = { a_hours };
	char		*delivery[] = { a_delivery };
	char		*fallbacks[] = { f_1, f_2 };
	char		*cause = NULL;

	if (channel_config_define("tg-bot", "telegram", keys_bot, values_bot,
	    2, &cause) != 0 || channel_config_define("tg-human", "telegram",
	    keys_human, values_human, 1, &cause) != 0 ||
	    bot_add_answer("faq", "horaires|heures", hours, 1, &cause) != 0 ||
	    bot_add_answer("faq", "livraison", delivery, 1, &cause) != 0 ||
	    options_set("agent", agents[0], &cause) != 0) {
		printf("Bail out! config: %s\n", cause);
		exit(1);
	}
	bot_set_fallbacks("faq", fallbacks, 2);
	bot_set_handoff("faq", 2, "Je vous passe un conseiller.");
}

int
main(void)
{
	struct store		*st, *ro;
	struct store_counts	*sc;
	const char		*s;
	char			 cmd[400], *cause = NULL, *query;
	long			 n_ops = 2000;
	int			 touched[MAX_MARKED], i;
	size_t			 n_touched, v, j;
	enum op			 op;
	int64_t			 t0, t1;

	if ((s = getenv("OMBRE_SEED")) != NULL && *s != '\0')
		seed = strtoull(s, NULL, 10);
	else
		seed = (uint64_t)time(NULL) * 1000003u ^ (uint64_t)getpid();
	diag("seed %llu", (unsigned long long)seed);
	if ((s = getenv("OMBRE_PROPERTY_OPS")) != NULL && *s != '\0')
		n_ops = strtol(s, NULL, 10);
	else if ((s = getenv("OMBRE_SOAK")) != NULL && *s != '\0')
		n_ops = 10000;
	rng = seed * 0x9e3779b97f4a7c15ULL + 1;
	if (rng == 0)
		rng = 1;
	diag("%ld operations on %d conversations (OMBRE_SEED=%llu replays "
	    "them)", n_ops, N_CONVS, (unsigned long long)seed);

	/* What is tested is the logic, not durability: without a TMPDIR,
	 * a tmpfs spares the fsyncs of thousands of commits. */
	if ((s = getenv("TMPDIR")) == NULL || *s == '\0')
		s = access("/dev/shm", W_OK | X_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(data_dir, sizeof data_dir, "%s/t-property.XXXXXX", s);
	if (mkdtemp(data_dir) == NULL) {
		printf("Bail out! mkdtemp\n");
		return 1;
	}
	setup_config();
	t0 = util_clock_ms();

	/* Every conversation begins with its customer, in batches of 10:
	 * half on the channel with a bot, half on the one without. */
	st = open_store(STORE_READ_WRITE);
	snprintf(op_desc, sizeof op_desc, "the first messages");
	for (i = 0; i < N_CONVS; i++) {
		snprintf(convs[i].conv_id, sizeof convs[i].conv_id, "c%d", i);
		convs[i].account = i % 2 == 0 ? BOT_ACCOUNT : HUMAN_ACCOUNT;
		add_message(st, i, MSG_CUSTOMER,
		    customer_texts[rnd(nitems(customer_texts))]);
		if (i % 10 == 9)
			flush(st);
	}
	for (i = 0; i < N_CONVS; i++) {
		query = xasprintf("property:ombre.conv-id=%s", convs[i].conv_id);
		check_status(store_resolve_conv(st, query, &convs[i].tid,
		    &cause), cause, "store_resolve_conv");
		cause = NULL;
		free(query);
		convs[i].touched = 0;
	}

	views = view_all(&n_views);
	queries = xcalloc(n_views + 1, sizeof *queries);
	for (v = 0; v < n_views; v++)
		queries[v] = view_expand_query(&views[v]);
	ro = open_store(STORE_READ_ONLY);
	sc = store_counts_new((const char *const *)queries, n_views);
	if (store_counts_build(ro, sc, NULL, NULL) != STORE_OK)
		fail("store_counts_build failed");
	check_all(st, ro, sc);
	ok(1, "100 conversations begun, half with a bot, and checked");

	for (step = 0; step < n_ops; step++) {
		op = pick_op();
		op_counts[op]++;
		n_touched = 0;
		snprintf(op_desc, sizeof op_desc, "%s", op_table[op].name);
		switch (op) {
		case OP_CUSTOMER:
		case OP_BOT:
		case OP_AGENT:
			i = (int)rnd(N_CONVS);
			touched[n_touched++] = i;
			snprintf(op_desc, sizeof op_desc, "%s on %d",
			    op_table[op].name, i);
			if (op == OP_CUSTOMER)
				add_message(st, i, MSG_CUSTOMER, customer_texts[
				    rnd(nitems(customer_texts))]);
			else if (op == OP_BOT)
				add_message(st, i, MSG_BOT,
				    bot_texts[rnd(nitems(bot_texts))]);
			else
				add_message(st, i, MSG_AGENT,
				    agent_texts[rnd(nitems(agent_texts))]);
			/* A third of the time the batch goes on. */
			if (rnd(3) != 0)
				flush(st);
			break;
		case OP_READ:
			i = (int)rnd(N_CONVS);
			touched[n_touched++] = i;
			snprintf(op_desc, sizeof op_desc, "read %d", i);
			read_action(st, i);
			break;
		case OP_UNDO:
			if (n_undo > 0) {
				n_touched = undo_last(st, touched);
				break;
			}
			snprintf(op_desc, sizeof op_desc, "undo (nothing)");
			break;
		default:
			n_touched = agent_action(st, op, touched);
			break;
		}
		if (step == n_ops - 1)
			flush(st);
		store_refresh(ro);
		if (store_counts_update(ro, sc) != STORE_OK)
			fail("store_counts_update failed");
		t1 = util_clock_ms();
		for (j = 0; j < n_touched; j++)
			check_conv(st, touched[j]);
		if (step < FULL_EVERY_UNTIL || step == n_ops - 1 ||
		    (step < FULL_LATE && step % FULL_EVERY == 0) ||
		    step % FULL_EVERY_LATE == 0)
			check_all(st, ro, sc);
		check_ms += util_clock_ms() - t1;
		if (step % 1000 == 999)
			diag("%ld operations, %lld ms", step + 1,
			    (long long)(util_clock_ms() - t0));
	}
	for (v = 0; v < nitems(op_table); v++)
		diag("%-16s %ld", op_table[v].name, op_counts[v]);
	diag("%ld full checks, %ld undos checked exactly, %ld after a message "
	    "(not checked); %lld ms, %lld of them checking", n_full,
	    n_undo_exact, n_undo_skipped, (long long)(util_clock_ms() - t0),
	    (long long)check_ms);
	ok(1, "%ld operations: every conversation always in one mode of bot, "
	    "handoff, human, its state on every message", n_ops);
	ok(1, "the view counts kept equal a recount at every full check");
	ok(n_undo_exact > 0 || n_ops < 100, "undo gave back the exact tags "
	    "(%ld times)", n_undo_exact);
	ok(1, "closing over a customer message not seen left it open (%ld "
	    "times)", n_stable);

	undo_clear();
	store_counts_free(sc);
	for (v = 0; v < n_views; v++)
		free(queries[v]);
	free(queries);
	for (i = 0; i < N_CONVS; i++)
		free(convs[i].tid);
	store_close(ro);
	store_close(st);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", data_dir);
	if (system(cmd) != 0)
		diag("cleanup failed");
	done_testing();
	return exit_status();
}
