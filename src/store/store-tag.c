/*
 * store-tag.c: triage actions as tag operations on whole conversations.
 *
 * A conversation's state sits on every one of its messages (triage.c says
 * why), so an operation on a conversation applies to all its messages, in
 * one transaction, like `notmuch tag ... thread:ID`.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "store/store-private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Collect the thread ids a target names: one CONV, or every thread a
 * query matches. */
static enum store_status
store_tag_targets(struct store *st, const char *target, char ***ids,
    size_t *n, char **cause)
{
	struct strset		 seen = { NULL, 0, NULL, 0 };
	int			 overtaken;
	char			 id[17];
	enum store_status	 rc;
	char			*one;

	*ids = NULL;
	*n = 0;
	if (store_thread_id_parse(target, id)) {
		rc = store_resolve_conv(st, target, &one, cause);
		if (rc == STORE_OK) {
			*ids = xmalloc(sizeof **ids);
			(*ids)[0] = one;
			*n = 1;
			return STORE_OK;
		}
		if (rc != STORE_NOT_FOUND)
			return rc;
		if (strlen(target) == 16 || strncmp(target, "thread:", 7) == 0)
			return rc;
		free(*cause);
		*cause = NULL;
	}
	/* A writer holds the lock: no other writer can overtake its reads. */
	rc = store_collect_threads(st, target, NOTMUCH_SORT_UNSORTED, 0, &seen,
	    &overtaken, cause);
	if (rc != STORE_OK) {
		strset_free(&seen);
		return rc;
	}
	*ids = seen.items;
	*n = seen.n;
	seen.items = NULL;
	seen.n = 0;
	strset_free(&seen);
	if (*n == 0) {
		*cause = xasprintf(_("no conversation matches '%s'"), target);
		return STORE_NOT_FOUND;
	}
	return STORE_OK;
}

notmuch_status_t
store_thread_edit(struct store *st, const char *thread_id,
    const char *const *ops, size_t n_ops, const char *key, const char *value,
    char **what)
{
	notmuch_query_t		*q;
	notmuch_messages_t	*msgs;
	notmuch_message_t	*nm;
	notmuch_status_t	 status;
	struct store_property	 prop = { key, value };
	char			*query;

	query = xasprintf("thread:%s", thread_id);
	status = store_query_messages(st, query, NOTMUCH_SORT_UNSORTED, &q,
	    &msgs);
	if (status != NOTMUCH_STATUS_SUCCESS) {
		*what = xasprintf("searching %s", query);
		free(query);
		return status;
	}
	for (; notmuch_messages_valid(msgs); notmuch_messages_move_to_next(msgs)) {
		if ((nm = notmuch_messages_get(msgs)) == NULL) {
			status = NOTMUCH_STATUS_XAPIAN_EXCEPTION;
			break;
		}
		status = store_message_edit(nm, ops, n_ops, &prop,
		    key != NULL ? 1 : 0);
		notmuch_message_destroy(nm);
		if (status != NOTMUCH_STATUS_SUCCESS)
			break;
	}
	if (status != NOTMUCH_STATUS_SUCCESS)
		*what = xasprintf("changing the messages of %s", query);
	notmuch_query_destroy(q);
	free(query);
	return status;
}

/* The newest unread customer message of a thread an agent reads. */
struct store_tag_read {
	char	*thread_id;
	char	*msgid;
	time_t	 date;
};

static void
store_tag_note_read(struct store_tag_read **reads, size_t *n,
    notmuch_message_t *nm)
{
	notmuch_tags_t	*tags;
	const char	*kind = NULL, *thread;
	time_t		 date;
	size_t		 i;
	int		 unread = 0;

	if (notmuch_message_get_property(nm, "ombre.kind", &kind) !=
	    NOTMUCH_STATUS_SUCCESS || kind == NULL ||
	    strcmp(kind, "customer") != 0)
		return;
	for (tags = notmuch_message_get_tags(nm);
	    notmuch_tags_valid(tags); notmuch_tags_move_to_next(tags))
		if (strcmp(notmuch_tags_get(tags), "unread") == 0)
			unread = 1;
	if (!unread || (thread = notmuch_message_get_thread_id(nm)) == NULL)
		return;
	date = notmuch_message_get_date(nm);
	for (i = 0; i < *n; i++) {
		if (strcmp((*reads)[i].thread_id, thread) != 0)
			continue;
		if (date >= (*reads)[i].date) {
			free((*reads)[i].msgid);
			(*reads)[i].msgid = xstrdup(
			    notmuch_message_get_message_id(nm));
			(*reads)[i].date = date;
		}
		return;
	}
	*reads = xreallocarray(*reads, *n + 1, sizeof **reads);
	(*reads)[*n].thread_id = xstrdup(thread);
	(*reads)[*n].msgid = xstrdup(notmuch_message_get_message_id(nm));
	(*reads)[*n].date = date;
	(*n)++;
}

/* The same for a whole thread: its newest unread customer message. */
static void
store_tag_note_thread_read(struct store *st, const char *thread_id,
    struct store_tag_read **reads, size_t *n)
{
	notmuch_query_t		*q;
	notmuch_messages_t	*msgs;
	notmuch_message_t	*nm;
	char			*query;

	query = xasprintf("thread:%s and tag:unread and "
	    "property:ombre.kind=customer", thread_id);
	if (store_query_messages(st, query, NOTMUCH_SORT_NEWEST_FIRST, &q,
	    &msgs) == NOTMUCH_STATUS_SUCCESS) {
		if (notmuch_messages_valid(msgs) &&
		    (nm = notmuch_messages_get(msgs)) != NULL) {
			store_tag_note_read(reads, n, nm);
			notmuch_message_destroy(nm);
		}
		notmuch_query_destroy(q);
	}
	free(query);
}

/* After a commit: the reads noted go to the feed (the syncer marks them
 * read upstream: WhatsApp's blue ticks); freed either way. */
static void
store_tag_feed_reads(struct store *st, struct store_tag_read *reads,
    size_t n, int committed)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (committed)	/* the feed's words: not translated */
			buf_add_printf(&st->feed, "read %s %s\n",
			    reads[i].thread_id, reads[i].msgid);
		free(reads[i].thread_id);
		free(reads[i].msgid);
	}
	free(reads);
	if (committed)
		store_feed_append(st);
}

/*
 * Edit every thread of ids in one transaction (store_thread_edit); what
 * names the operation in a cause. On failure nothing is committed.
 */
static enum store_status
store_threads_edit(struct store *st, char **ids, size_t n,
    const char *const *ops, size_t n_ops, const char *key, const char *value,
    const char *what, char **cause)
{
	notmuch_status_t	 status;
	enum store_status	 rc;
	struct store_tag_read	*reads = NULL;
	char			*failed = NULL;
	size_t			 i, n_reads = 0;
	int			 reading = 0;

	for (i = 0; i < n_ops; i++)
		if (strcmp(ops[i], "-unread") == 0)
			reading = 1;
	if ((rc = store_begin(st, what, cause)) != STORE_OK)
		return rc;
	for (i = 0; i < n; i++) {
		if (reading)
			store_tag_note_thread_read(st, ids[i], &reads,
			    &n_reads);
		status = store_thread_edit(st, ids[i], ops, n_ops, key, value,
		    &failed);
		if (status != NOTMUCH_STATUS_SUCCESS) {
			rc = store_abort(st, failed, status, cause);
			free(failed);
			store_tag_feed_reads(st, reads, n_reads, 0);
			return rc;
		}
	}
	rc = store_commit(st, what, cause);
	store_tag_feed_reads(st, reads, n_reads, rc == STORE_OK);
	return rc;
}

enum store_status
store_tag(struct store *st, const char *target, char **ops, int n_ops,
    long *changed, char **cause)
{
	char			**ids;
	size_t			 n, i;
	int			 j;
	enum store_status	 rc;

	*cause = NULL;
	*changed = 0;
	for (j = 0; j < n_ops; j++) {
		if ((ops[j][0] != '+' && ops[j][0] != '-') || !tag_valid(ops[j] + 1)) {
			char *clean = sanitize(ops[j], strlen(ops[j]), SANITIZE_LINE, 60);
			*cause = xasprintf(_("bad tag operation '%s': use "
			    "+TAG or -TAG"), clean);
			free(clean);
			return STORE_BAD_INPUT;
		}
	}
	rc = store_tag_targets(st, target, &ids, &n, cause);
	if (rc != STORE_OK)
		return rc;
	rc = store_threads_edit(st, ids, n, (const char *const *)ops,
	    (size_t)n_ops, NULL, NULL, "committing the tags", cause);
	if (rc == STORE_OK)
		*changed = (long)n;
	for (i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	return rc;
}

/*
 * The tag operations of a snooze, core's (triage_ops), or with wake those
 * of a wake-up: each turned round, as waking puts back what snoozing took.
 * Free with triage_tags_free.
 */
static char **
store_snooze_ops(int wake, size_t *n_ops)
{
	char	**ops;
	size_t	  i;

	ops = triage_ops(TRIAGE_SNOOZE, NULL, NULL, 0);
	for (i = 0; ops[i] != NULL; i++) {
		if (wake)
			ops[i][0] = ops[i][0] == '+' ? '-' : '+';
	}
	*n_ops = i;
	return ops;
}

/*
 * Record one event of type on each thread of ids, with the operations
 * ops (taken from a snooze's) and a snooze's end: an event in each
 * conversation, as the agents' actions are (store-event.c).
 */
static enum store_status
store_threads_event(struct store *st, char **ids, size_t n, const char *type,
    const char *agent, char **ops, int64_t until, char **cause)
{
	struct store_event	*evs;
	enum store_status	 rc;
	size_t			 i;

	evs = xcalloc(n + 1, sizeof *evs);
	for (i = 0; i < n; i++) {
		evs[i].thread_id = ids[i];
		evs[i].type = type;
		evs[i].agent = agent;
		evs[i].ops = ops;
		evs[i].until = until;
	}
	rc = store_events(st, evs, n, cause);
	free(evs);
	return rc;
}

/*
 * Snooze conversations until a time: out of the Inbox (core's snooze)
 * with the time as the property ombre.snooze-until on every message,
 * recorded as a "snoozed" event; store_wake brings them back once it has
 * come.
 */
enum store_status
store_snooze(struct store *st, const char *target, int64_t until,
    long *changed, char **cause)
{
	char			**ids, **ops;
	size_t			  n, n_ops, i;
	enum store_status	  rc;

	*cause = NULL;
	*changed = 0;
	rc = store_tag_targets(st, target, &ids, &n, cause);
	if (rc != STORE_OK)
		return rc;
	ops = store_snooze_ops(0, &n_ops);
	rc = store_threads_event(st, ids, n, "snoozed", NULL, ops, until,
	    cause);
	if (rc == STORE_OK)
		*changed = (long)n;
	triage_tags_free(ops);
	for (i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	return rc;
}

/* The threads of snoozed messages whose time has come (or has none). */
static notmuch_status_t
store_snoozed_due(struct store *st, int64_t now, struct strset *due)
{
	notmuch_query_t		*q;
	notmuch_messages_t	*msgs;
	notmuch_message_t	*nm;
	notmuch_status_t	 status;
	const char		*value, *tid;

	status = store_query_messages(st, "tag:ombre/snoozed",
	    NOTMUCH_SORT_UNSORTED, &q, &msgs);
	if (status != NOTMUCH_STATUS_SUCCESS)
		return status;
	for (; notmuch_messages_valid(msgs); notmuch_messages_move_to_next(msgs)) {
		if ((nm = notmuch_messages_get(msgs)) == NULL)
			break;
		value = NULL;
		if (notmuch_message_get_property(nm, "ombre.snooze-until",
		    &value) != NOTMUCH_STATUS_SUCCESS || value == NULL ||
		    strtoll(value, NULL, 10) <= now) {
			if ((tid = notmuch_message_get_thread_id(nm)) != NULL)
				strset_add(due, tid);
		}
		notmuch_message_destroy(nm);
	}
	notmuch_query_destroy(q);
	return NOTMUCH_STATUS_SUCCESS;
}

long
store_snooze_due_count(struct store *st, int64_t now)
{
	struct strset	due = { NULL, 0, NULL, 0 };
	long		n;

	store_read_begin(st);
	/* A count for the status line: a failed search counts none. */
	(void)store_snoozed_due(st, now, &due);
	store_read_end(st);
	n = (long)due.n;
	strset_free(&due);
	return n;
}

enum store_status
store_wake(struct store *st, int64_t now, long *woken, char **cause)
{
	struct strset		  due = { NULL, 0, NULL, 0 };
	notmuch_status_t	  status;
	enum store_status	  rc;
	char			**ops;
	size_t			  n_ops;

	*cause = NULL;
	*woken = 0;
	status = store_snoozed_due(st, now, &due);
	if (status != NOTMUCH_STATUS_SUCCESS) {
		strset_free(&due);
		*cause = xasprintf(_("searching the snoozed conversations: %s"),
		    notmuch_status_to_string(status));
		return STORE_DB_ERROR;
	}
	ops = store_snooze_ops(1, &n_ops);
	rc = store_threads_event(st, due.items, due.n, "woken", "ombre", ops,
	    0, cause);
	if (rc == STORE_OK)
		*woken = (long)due.n;
	triage_tags_free(ops);
	strset_free(&due);
	return rc;
}

/*
 * Message-level operations (unread) on the messages an agent saw, by
 * Message-Id, in one transaction: a message that arrived since is not
 * named, so it is never marked read unseen. Ids no longer stored are
 * skipped.
 */
enum store_status
store_tag_messages(struct store *st, char *const *msgids, size_t n,
    char *const *ops, long *changed, char **cause)
{
	notmuch_message_t	*nm;
	notmuch_status_t	 status;
	enum store_status	 rc;
	struct store_tag_read	*reads = NULL;
	size_t			 i, n_ops, n_reads = 0;
	char			*what;
	int			 reading = 0;

	*cause = NULL;
	*changed = 0;
	for (n_ops = 0; ops[n_ops] != NULL; n_ops++) {
		if ((ops[n_ops][0] != '+' && ops[n_ops][0] != '-') ||
		    !tag_valid(ops[n_ops] + 1)) {
			*cause = xstrdup(_("bad tag operation: use +TAG or "
			    "-TAG"));
			return STORE_BAD_INPUT;
		}
	}
	for (i = 0; i < n_ops; i++)
		if (strcmp(ops[i], "-unread") == 0)
			reading = 1;
	if ((rc = store_begin(st, "committing the tags", cause)) != STORE_OK)
		return rc;
	for (i = 0; i < n; i++) {
		nm = NULL;
		status = notmuch_database_find_message(st->db, msgids[i], &nm);
		if (status == NOTMUCH_STATUS_SUCCESS && nm == NULL)
			continue;
		if (status == NOTMUCH_STATUS_SUCCESS) {
			if (reading)
				store_tag_note_read(&reads, &n_reads, nm);
			status = store_message_edit(nm,
			    (const char *const *)ops, n_ops, NULL, 0);
			notmuch_message_destroy(nm);
		}
		if (status != NOTMUCH_STATUS_SUCCESS) {
			what = xasprintf("changing the message %s", msgids[i]);
			rc = store_abort(st, what, status, cause);
			free(what);
			store_tag_feed_reads(st, reads, n_reads, 0);
			return rc;
		}
		(*changed)++;
	}
	rc = store_commit(st, "committing the tags", cause);
	store_tag_feed_reads(st, reads, n_reads, rc == STORE_OK);
	return rc;
}

enum store_status
store_labels(struct store *st, char ***out, size_t *n_out, char **cause)
{
	static const char *const	 usual[] = {
		"attachment", "deleted", "draft", "encrypted", "flagged",
		"inbox", "new", "passed", "replied", "signed", "spam", "unread"
	};
	notmuch_tags_t			*tags;
	const char			*tag;
	char				**names;
	size_t				  n = 0, i;

	*out = NULL;
	*n_out = 0;
	*cause = NULL;
	store_read_begin(st);
	if ((tags = notmuch_database_get_all_tags(st->db)) == NULL) {
		store_read_end(st);
		*cause = xstrdup(_("reading the database's tags failed"));
		return STORE_DB_ERROR;
	}
	names = xcalloc(1, sizeof *names);
	for (; notmuch_tags_valid(tags); notmuch_tags_move_to_next(tags)) {
		tag = notmuch_tags_get(tags);
		if (strncmp(tag, "ombre/", 6) == 0)
			continue;
		for (i = 0; i < nitems(usual) && strcmp(tag, usual[i]) != 0;
		    i++)
			;
		if (i < nitems(usual))
			continue;
		names = xreallocarray(names, n + 2, sizeof *names);
		names[n++] = xstrdup(tag);	/* notmuch's order: sorted */
		names[n] = NULL;
	}
	notmuch_tags_destroy(tags);
	store_read_end(st);
	*out = names;
	*n_out = n;
	return STORE_OK;
}
