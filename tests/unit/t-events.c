/*
 * t-events.c: events (store-event.c) on a real notmuch database in a
 * temporary directory: the stable query of a closing event (a customer
 * message the agent did not see keeps the conversation open), the
 * conversation-level rule of a new message's tags, a snooze's time on
 * every message, undo through a "reopened" event restoring each
 * conversation's own tags, and events in the feed.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "store/store-private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"

static char	data_dir[300];
static int64_t	now = 1795000000;

static struct store *
open_store(void)
{
	struct store_options	 opts;
	struct store		*st = NULL;
	char			*cause = NULL;

	memset(&opts, 0, sizeof opts);
	opts.data_dir = data_dir;
	opts.lock_timeout = 5;
	opts.batch_messages = 100;
	opts.batch_ms = 10000;
	if (store_open(&opts, STORE_READ_WRITE, &st, &cause) != STORE_OK) {
		diag("store_open: %s", cause);
		free(cause);
		return NULL;
	}
	return st;
}

/* Ingest one message of conversation conv (tags: one operation or NULL). */
static enum store_status
ingest(struct store *st, const char *conv, const char *id, int64_t date,
    enum msg_kind kind, const char *op)
{
	struct msg		*m = msg_new();
	enum store_status	 rc;
	char			*cause = NULL;

	m->channel = xstrdup("telegram");
	m->account = xstrdup("7012345678");
	m->conv_id = xstrdup(conv);
	m->conv_title = xasprintf("Customer %s", conv);
	m->id = xstrdup(id);
	m->date = date;
	m->from_id = xstrdup(kind == MSG_CUSTOMER ? conv : "bot");
	m->from_name = xstrdup(kind == MSG_CUSTOMER ? "Zoë" : "Assistant");
	m->kind = kind;
	m->text = xasprintf("message %s", id);
	m->text_len = strlen(m->text);
	if (op != NULL)
		msg_add_tag(m, op);
	rc = store_ingest(st, m, &cause);
	if (rc != STORE_OK && rc != STORE_DUPLICATE)
		diag("store_ingest: %s", cause);
	free(cause);
	msg_free(m);
	return rc;
}

static int
flush(struct store *st)
{
	char	*cause = NULL;

	if (store_flush(st, &cause) != STORE_OK) {
		diag("store_flush: %s", cause);
		free(cause);
		return -1;
	}
	return 0;
}

/* The conversation of thread tid as the list reads it, or NULL. */
static struct store_conv *
read_conv(struct store *st, const char *tid)
{
	struct store_conv	**convs, *c;
	size_t			  n, i;
	char			 *query, *cause = NULL;

	query = xasprintf("thread:%s", tid);
	if (store_query_convs(st, query, 0, 1, &convs, &n, &cause) !=
	    STORE_OK || n == 0) {
		diag("read_conv %s: %s", tid, cause != NULL ? cause : "none");
		free(cause);
		free(query);
		return NULL;
	}
	free(query);
	c = convs[0];
	for (i = 1; i < n; i++)
		store_conv_free(convs[i]);
	free(convs);
	return c;
}

/* The thread id of conversation conv (allocated), or NULL. */
static char *
thread_of(struct store *st, const char *conv)
{
	char	*query, *tid = NULL, *cause = NULL;

	query = xasprintf("property:ombre.conv-id=%s", conv);
	if (store_resolve_conv(st, query, &tid, &cause) != STORE_OK) {
		diag("resolve %s: %s", conv, cause);
		free(cause);
	}
	free(query);
	return tid;
}

/* How many messages of thread tid have tag (with has) or lack it. */
static long
count_with(struct store *st, const char *tid, const char *tag, int has,
    size_t *total)
{
	struct msg	**msgs;
	size_t		  n, i;
	long		  count = 0;
	char		 *cause = NULL;

	*total = 0;
	if (store_thread_messages(st, tid, &msgs, &n, &cause) != STORE_OK) {
		diag("store_thread_messages: %s", cause);
		free(cause);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (triage_tags_have(msgs[i]->tags, tag) == has)
			count++;
	}
	*total = n;
	store_msgs_free(msgs, n);
	return count;
}

/* Record one event. */
static enum store_status
event(struct store *st, const char *tid, const char *type, char **ops,
    char *const *seen, int64_t until)
{
	struct store_event	 ev;
	enum store_status	 rc;
	char			*cause = NULL;

	memset(&ev, 0, sizeof ev);
	ev.thread_id = tid;
	ev.type = type;
	ev.agent = "ana";
	ev.ops = ops;
	ev.seen = seen;
	ev.until = until;
	rc = store_events(st, &ev, 1, &cause);
	if (rc != STORE_OK)
		diag("store_events: %s", cause);
	free(cause);
	return rc;
}

/* A copy of a conversation's tags, as a sorted space-joined string. */
static int
tag_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *
tags_string(const struct store_conv *c)
{
	struct buf	  b;
	char		**v;
	size_t		  i;

	v = xcalloc(c->n_tags + 1, sizeof *v);
	for (i = 0; i < c->n_tags; i++)
		v[i] = c->tags[i];
	qsort(v, c->n_tags, sizeof *v, tag_cmp);
	buf_init(&b);
	buf_add_words(&b, v, c->n_tags);
	free(v);
	return buf_steal(&b);
}

/* The stable query: a closing event spares what the agent did not see. */
static void
test_stable_query(struct store *st)
{
	struct store_conv	*before, *after;
	char			*tid, **ops;
	size_t			 total = 0;
	long			 got;

	ingest(st, "100", "1", now - 600, MSG_CUSTOMER, NULL);
	ingest(st, "100", "2", now - 500, MSG_BOT, NULL);
	flush(st);
	tid = thread_of(st, "100");
	before = read_conv(st, tid);
	ok(before != NULL && before->total == 2, "a conversation of 2 read");
	if (before == NULL)
		return;
	/* A customer writes after the agent read it. */
	ingest(st, "100", "3", now - 100, MSG_CUSTOMER, NULL);
	flush(st);
	ops = triage_ops(TRIAGE_DONE, NULL, before->tags, before->n_tags);
	is_int(event(st, tid, "closed", ops, before->msg_ids, 0), STORE_OK,
	    "closing with the ids read before the new message is recorded");
	after = read_conv(st, tid);
	ok(after != NULL && store_conv_has_tag(after, "inbox"),
	    "the conversation stays in tag:inbox");
	got = count_with(st, tid, "ombre/done", 0, &total);
	is_int(got, (long)total, "and no message has ombre/done");
	store_conv_free(before);
	before = after;
	if (before == NULL) {
		triage_tags_free(ops);
		free(tid);
		return;
	}
	is_int(event(st, tid, "closed", ops, before->msg_ids, 0), STORE_OK,
	    "closing with the new message seen");
	after = read_conv(st, tid);
	ok(after != NULL && !store_conv_has_tag(after, "inbox"),
	    "the conversation leaves the Inbox");
	got = count_with(st, tid, "ombre/done", 1, &total);
	is_int(got, (long)total, "every message has ombre/done");
	ok(total == 5, "(3 messages and 2 events: %zu)", total);
	store_conv_free(before);
	store_conv_free(after);
	triage_tags_free(ops);
	free(tid);
}

/* A new message's conversation-level operation reaches every message. */
static void
test_conversation_rule(struct store *st)
{
	char	*tid, id[8];
	size_t	 total = 0;
	int	 i;

	for (i = 1; i <= 5; i++) {
		snprintf(id, sizeof id, "%d", i);
		ingest(st, "200", id, now - 1000 + i, i % 2 ? MSG_CUSTOMER :
		    MSG_BOT, NULL);
	}
	flush(st);
	tid = thread_of(st, "200");
	is_int(count_with(st, tid, "ombre/handoff", 1, &total), 0,
	    "5 messages without ombre/handoff");
	ingest(st, "200", "6", now - 900, MSG_BOT, "+ombre/handoff");
	flush(st);
	is_int(count_with(st, tid, "ombre/handoff", 1, &total), 6,
	    "a message tagged +ombre/handoff puts it on all 6");
	is_int((long)total, 6, "(6 messages)");
	free(tid);
}

/* A snooze event sets its time on every message of the conversation. */
static void
test_snooze(struct store *st)
{
	notmuch_query_t		*q;
	notmuch_messages_t	*msgs;
	notmuch_message_t	*nm;
	struct store_conv	*c;
	const char		*value;
	char			*tid, **ops, *query, want[32];
	long			 n = 0, with = 0;
	int64_t			 until = now + 3600;

	tid = thread_of(st, "200");
	c = read_conv(st, tid);
	if (c == NULL) {
		free(tid);
		return;
	}
	ops = triage_ops(TRIAGE_SNOOZE, NULL, c->tags, c->n_tags);
	is_int(event(st, tid, "snoozed", ops, c->msg_ids, until), STORE_OK,
	    "a snooze event is recorded");
	snprintf(want, sizeof want, "%lld", (long long)until);
	query = xasprintf("thread:%s", tid);
	if (store_query_messages(st, query, NOTMUCH_SORT_UNSORTED, &q,
	    &msgs) == NOTMUCH_STATUS_SUCCESS) {
		for (; notmuch_messages_valid(msgs);
		    notmuch_messages_move_to_next(msgs)) {
			nm = notmuch_messages_get(msgs);
			value = NULL;
			notmuch_message_get_property(nm, "ombre.snooze-until",
			    &value);
			n++;
			if (value != NULL && strcmp(value, want) == 0)
				with++;
			notmuch_message_destroy(nm);
		}
		notmuch_query_destroy(q);
	}
	ok(n == 7 && with == n,
	    "ombre.snooze-until is on all messages (%ld of %ld)", with, n);
	store_conv_free(c);
	c = read_conv(st, tid);
	ok(c != NULL && store_conv_has_tag(c, "ombre/snoozed") &&
	    !store_conv_has_tag(c, "inbox"), "and the conversation is snoozed");
	store_conv_free(c);
	triage_tags_free(ops);
	free(query);
	free(tid);
}

/*
 * Undo on a mixed set: cycle-priority from one conversation's tags (the
 * console's basis, the cursor's) on two, then each one's undo operations
 * through a "reopened" event: each gets its own tags back.
 */
static void
test_undo(struct store *st)
{
	struct store_conv	*a, *b, *a2, *b2;
	char			*ta, *tb, **ops, **back_a, **back_b;
	char			*want_a, *want_b, *got_a, *got_b, *cause = NULL;
	char			*prio[] = { xstrdup("+ombre/prio/high"), NULL };
	long			 changed;
	int			 n_ops;

	ingest(st, "300", "1", now - 300, MSG_CUSTOMER, NULL);
	ingest(st, "400", "1", now - 200, MSG_CUSTOMER, NULL);
	flush(st);
	ta = thread_of(st, "300");
	tb = thread_of(st, "400");
	store_tag(st, ta, prio, 1, &changed, &cause);
	free(prio[0]);
	a = read_conv(st, ta);
	b = read_conv(st, tb);
	if (a == NULL || b == NULL) {
		ok(0, "two conversations read");
		return;
	}
	want_a = tags_string(a);
	want_b = tags_string(b);
	ok(strstr(want_a, "ombre/prio/high") != NULL &&
	    strstr(want_b, "ombre/prio") == NULL,
	    "one conversation high priority, one not");
	ops = triage_ops(TRIAGE_CYCLE_PRIORITY, NULL, a->tags, a->n_tags);
	for (n_ops = 0; ops[n_ops] != NULL; n_ops++)
		;
	back_a = triage_undo_ops(ops, a->tags, a->n_tags);
	back_b = triage_undo_ops(ops, b->tags, b->n_tags);
	store_tag(st, ta, ops, n_ops, &changed, &cause);
	store_tag(st, tb, ops, n_ops, &changed, &cause);
	a2 = read_conv(st, ta);
	b2 = read_conv(st, tb);
	ok(a2 != NULL && b2 != NULL &&
	    store_conv_has_tag(a2, "ombre/prio/low") &&
	    !store_conv_has_tag(a2, "ombre/prio/high") &&
	    store_conv_has_tag(b2, "ombre/prio/low"),
	    "cycle-priority from one basis: both low");
	store_conv_free(a2);
	store_conv_free(b2);
	{
		struct store_event	evs[2];

		memset(evs, 0, sizeof evs);
		evs[0].thread_id = ta;
		evs[0].type = "reopened";
		evs[0].agent = "ana";
		evs[0].ops = back_a;
		evs[1].thread_id = tb;
		evs[1].type = "reopened";
		evs[1].agent = "ana";
		evs[1].ops = back_b;
		is_int(store_events(st, evs, 2, &cause), STORE_OK,
		    "the undo of both in one store_events");
	}
	a2 = read_conv(st, ta);
	b2 = read_conv(st, tb);
	got_a = a2 != NULL ? tags_string(a2) : xstrdup("");
	got_b = b2 != NULL ? tags_string(b2) : xstrdup("");
	is_str(got_a, want_a, "the high one has exactly its tags back");
	is_str(got_b, want_b, "the other one has exactly its tags back");
	free(got_a);
	free(got_b);
	free(want_a);
	free(want_b);
	store_conv_free(a);
	store_conv_free(b);
	store_conv_free(a2);
	store_conv_free(b2);
	triage_tags_free(ops);
	triage_tags_free(back_a);
	triage_tags_free(back_b);
	free(cause);
	free(ta);
	free(tb);
}

/* Events are in the feed: "closed THREAD MSGID". */
static void
test_feed(struct store *st)
{
	struct store_feed	*f;
	struct store_feed_item	 item;
	char			*tid;
	int			 closed = 0, reopened = 0;

	tid = thread_of(st, "100");
	f = store_feed_open(data_dir, 1);
	ok(f != NULL, "the feed opens from its start");
	if (f == NULL) {
		free(tid);
		return;
	}
	while (store_feed_next(f, &item) == 1) {
		if (strcmp(item.event, "closed") == 0 && tid != NULL &&
		    strcmp(item.thread_id, tid) == 0 && item.msgid != NULL &&
		    strncmp(item.msgid, "tg.", 3) == 0)
			closed++;
		if (strcmp(item.event, "reopened") == 0)
			reopened++;
		store_feed_item_clear(&item);
	}
	store_feed_close(f);
	is_int(closed, 2, "both closing events are in the feed");
	is_int(reopened, 2, "and the undo events");
	free(tid);
}

int
main(void)
{
	struct store	*st;
	char		 base[256];

	snprintf(base, sizeof base, "%s/t-events.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(base) == NULL)
		return 1;
	snprintf(data_dir, sizeof data_dir, "%s/store", base);
	if ((st = open_store()) == NULL) {
		ok(0, "a store opens");
		return exit_status();
	}
	test_stable_query(st);
	test_conversation_rule(st);
	test_snooze(st);
	test_undo(st);
	test_feed(st);
	store_close(st);
	if (getenv("KEEP") == NULL) {
		char *cmd = xasprintf("rm -rf '%s'", base);
		if (system(cmd) != 0)
			diag("could not remove %s", base);
		free(cmd);
	}
	done_testing();
	return exit_status();
}
