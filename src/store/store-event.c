/*
 * store-event.c: changes of a conversation's state recorded as events in
 * it (design.md, "Conversation state"): who took it over, handed it back,
 * closed, snoozed or assigned it, and why a bot handed it off.
 *
 * An event is a message of kind event in the conversation's thread, with
 * the change's tag operations as its own tags: indexing it applies them to
 * every message of the conversation (store_index_one), so the history and
 * the state never disagree, also after a crash, and `notmuch search
 * property:ombre.kind=event` lists the history.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "store/store-private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Where a thread's events go: its channel, account, conversation id and
 * title, from the newest message ombre wrote. 0, or -1 when none has
 * them (*status says whether the search failed).
 */
static int
store_event_place(struct store *st, const char *thread_id, struct msg *m,
    notmuch_status_t *status)
{
	notmuch_query_t		*q;
	notmuch_messages_t	*msgs;
	notmuch_message_t	*nm;
	const char		*channel, *account, *conv, *title;
	char			*query;
	int			 found = -1;

	query = xasprintf("thread:%s", thread_id);
	*status = store_query_messages(st, query, NOTMUCH_SORT_NEWEST_FIRST, &q,
	    &msgs);
	free(query);
	if (*status != NOTMUCH_STATUS_SUCCESS)
		return -1;
	for (; found != 0 && notmuch_messages_valid(msgs);
	    notmuch_messages_move_to_next(msgs)) {
		if ((nm = notmuch_messages_get(msgs)) == NULL)
			break;
		channel = account = conv = title = NULL;
		notmuch_message_get_property(nm, "ombre.channel", &channel);
		notmuch_message_get_property(nm, "ombre.account", &account);
		notmuch_message_get_property(nm, "ombre.conv-id", &conv);
		notmuch_message_get_property(nm, "ombre.title", &title);
		if (channel != NULL && account != NULL && conv != NULL) {
			m->channel = xstrdup(channel);
			m->account = xstrdup(account);
			m->conv_id = xstrdup(conv);
			m->conv_title = title != NULL ? xstrdup(title) : NULL;
			found = 0;
		}
		notmuch_message_destroy(nm);
	}
	notmuch_query_destroy(q);
	return found;
}

/* The event as a message of its conversation; NULL when it has no place. */
static struct msg *
store_event_msg(struct store *st, const struct store_event *ev,
    notmuch_status_t *status)
{
	struct msg	*m;
	char		*out, *at;
	size_t		 i;

	m = msg_new();
	if (store_event_place(st, ev->thread_id, m, status) != 0) {
		msg_free(m);
		return NULL;
	}
	out = msgid_outbound();		/* out.UUID@ombre */
	if ((at = strchr(out, '@')) != NULL)
		*at = '\0';
	m->id = xasprintf("ev-%s", out + 4);
	free(out);
	m->date = util_now();
	m->kind = MSG_EVENT;
	m->agent = xstrdup(ev->agent != NULL ? ev->agent : core_agent_name());
	m->from_id = xstrdup(m->agent);
	m->from_name = xstrdup(m->agent);
	m->event = xstrdup(ev->type);
	if (ev->reason != NULL)
		m->reason = xstrdup(ev->reason);
	m->until = ev->until;
	for (i = 0; ev->ops != NULL && ev->ops[i] != NULL; i++)
		msg_add_tag(m, ev->ops[i]);
	if (ev->seen != NULL) {
		for (i = 0; ev->seen[i] != NULL; i++)
			;
		m->seen = xcalloc(i + 1, sizeof *m->seen);
		for (i = 0; ev->seen[i] != NULL; i++)
			m->seen[i] = xstrdup(ev->seen[i]);
	}
	m->text = triage_event_text(ev->type, m->agent, ev->reason, m->tags,
	    ev->until);
	m->text_len = strlen(m->text);
	return m;
}

notmuch_status_t
store_thread_all_tags(struct store *st, const char *thread_id, char ***tags,
    size_t *n)
{
	struct strset		 set = { NULL, 0, NULL, 0 };
	notmuch_query_t		*q;
	notmuch_messages_t	*msgs;
	notmuch_message_t	*nm;
	notmuch_tags_t		*t;
	notmuch_status_t	 status;
	char			*query;

	query = xasprintf("thread:%s", thread_id);
	status = store_query_messages(st, query, NOTMUCH_SORT_UNSORTED, &q,
	    &msgs);
	free(query);
	if (status == NOTMUCH_STATUS_SUCCESS) {
		for (; notmuch_messages_valid(msgs);
		    notmuch_messages_move_to_next(msgs)) {
			if ((nm = notmuch_messages_get(msgs)) == NULL) {
				status = NOTMUCH_STATUS_XAPIAN_EXCEPTION;
				break;
			}
			for (t = notmuch_message_get_tags(nm);
			    notmuch_tags_valid(t); notmuch_tags_move_to_next(t))
				strset_add(&set, notmuch_tags_get(t));
			notmuch_tags_destroy(t);
			notmuch_message_destroy(nm);
		}
		notmuch_query_destroy(q);
	}
	*n = set.n;
	*tags = xreallocarray(set.items, set.n + 1, sizeof **tags);
	(*tags)[set.n] = NULL;
	set.items = NULL;
	set.n = 0;
	strset_free(&set);
	return status;
}

enum store_status
store_event_queue(struct store *st, const struct store_event *ev,
    char **cause)
{
	struct msg		*m;
	notmuch_status_t	 status;
	enum store_status	 rc;

	*cause = NULL;
	m = store_event_msg(st, ev, &status);
	if (m == NULL) {
		*cause = xasprintf(_("the conversation %s has no place for an "
		    "event"), ev->thread_id);
		return STORE_NOT_FOUND;
	}
	rc = store_ingest(st, m, cause);
	msg_free(m);
	return rc == STORE_DUPLICATE ? STORE_OK : rc;
}

enum store_status
store_events(struct store *st, const struct store_event *evs, size_t n,
    char **cause)
{
	struct msg		**msgs;
	notmuch_status_t	  status;
	enum store_status	  rc = STORE_OK;
	char			 *target, **ops;
	long			  changed;
	size_t			  i, j, n_ops;

	*cause = NULL;
	/* An away agent gets no new assignment (store-shift.c): refused
	 * before anything is written, whoever asks (CLI or console). */
	for (i = 0; i < n; i++) {
		if ((*cause = store_shift_refuse(st, &evs[i])) != NULL)
			return STORE_REFUSED;
	}
	/* Every event placed first: one that cannot be fails them all
	 * before anything is written. */
	msgs = xcalloc(n + 1, sizeof *msgs);
	for (i = 0; i < n; i++) {
		msgs[i] = store_event_msg(st, &evs[i], &status);
		if (msgs[i] == NULL && status != NOTMUCH_STATUS_SUCCESS) {
			*cause = xasprintf(_("searching the conversation "
			    "%s: %s"), evs[i].thread_id,
			    notmuch_status_to_string(status));
			rc = STORE_DB_ERROR;
			goto out;
		}
	}
	for (i = 0; i < n; i++) {
		if (msgs[i] != NULL) {
			rc = store_ingest(st, msgs[i], cause);
			if (rc == STORE_DUPLICATE)
				rc = STORE_OK;
			if (rc != STORE_OK)
				goto out;
		}
	}
	if ((rc = store_flush(st, cause)) != STORE_OK)
		goto out;
	/*
	 * A user's own mail has no room for an event (its thread is not
	 * ombre's): its operations alone, in a transaction of their own,
	 * after the events.
	 */
	for (i = 0; i < n && rc == STORE_OK; i++) {
		if (msgs[i] != NULL || evs[i].ops == NULL)
			continue;
		for (n_ops = 0; evs[i].ops[n_ops] != NULL; n_ops++)
			;
		if (n_ops == 0)
			continue;
		target = xasprintf("thread:%s", evs[i].thread_id);
		ops = xcalloc(n_ops + 1, sizeof *ops);
		for (j = 0; j < n_ops; j++)
			ops[j] = xstrdup(evs[i].ops[j]);
		rc = store_tag(st, target, ops, (int)n_ops, &changed, cause);
		triage_tags_free(ops);
		free(target);
	}
out:
	for (i = 0; i < n; i++)
		msg_free(msgs[i]);
	free(msgs);
	return rc;
}
