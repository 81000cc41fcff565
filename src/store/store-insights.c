/*
 * store-insights.c: the figures of `ombre insights` read from the store:
 * the text of each customer message of a window handed to core's counts
 * (insights.c), and the bot's share of the closes.
 *
 * Two searches, each reading only what it needs:
 *
 *  - the window's customer messages ("date:@S..@U and
 *    property:ombre.kind=customer"), one pass, unsorted: their text, channel,
 *    date and conversation. No conversation is read whole: notmuch's
 *    thread:{} subquery over a busy window costs more than the pass;
 *
 *  - the bot's share: the report's own replay (store-report.c), so that it
 *    is what ombre report says, but only over the conversations with a
 *    close in the window: the others add nothing to closed or bot_only.
 *
 * The text comes from the ombre.snippet property when it is all there
 * (shorter than STORE_SNIPPET_MAX: the index holds it, no file is read),
 * else from the message's file: a chat message is short, a long e-mail
 * rare.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "store/store-private.h"

#include <stdlib.h>
#include <string.h>

/* The whole text of a customer message, into *text (allocated, or NULL
 * when its file cannot be read) or *snippet (the index's). */
static void
insights_text(struct store_insights *si, notmuch_message_t *nm,
    const char **snippet, char **text, size_t *len)
{
	const char	*path;
	struct msg	*m;
	char		*cause;

	*snippet = NULL;
	*text = NULL;
	*len = 0;
	notmuch_message_get_property(nm, "ombre.snippet", snippet);
	if (*snippet != NULL && strlen(*snippet) + 4 < STORE_SNIPPET_MAX) {
		*len = strlen(*snippet);
		return;
	}
	/* Cut to fit the index (or none): the file has it all. */
	if ((path = notmuch_message_get_filename(nm)) == NULL)
		return;
	if ((m = store_file_read(path, &cause)) == NULL) {
		log_debug("insights: %s", cause);
		free(cause);
		return;
	}
	si->files_read++;
	if (m->text != NULL) {
		*text = m->text;
		*len = m->text_len;
		m->text = NULL;
		*snippet = NULL;
	}
	msg_free(m);
}

/* The window is read a day at a time (insights_read). */
#define INSIGHTS_SLICE	86400

/* The customer messages dated in [from, to]. */
static enum store_status
insights_read_slice(struct store *st, struct store_insights *si,
    int64_t from, int64_t to, char **cause)
{
	notmuch_query_t		*q;
	notmuch_messages_t	*msgs;
	notmuch_message_t	*nm;
	notmuch_status_t	 status;
	const char		*snippet, *thread, *channel;
	char			*query, *text;
	size_t			 len;
	int64_t			 date;

	query = xasprintf("date:@%lld..@%lld and property:ombre.kind=customer",
	    (long long)from, (long long)to);
	status = store_query_messages(st, query, NOTMUCH_SORT_UNSORTED, &q,
	    &msgs);
	if (status != NOTMUCH_STATUS_SUCCESS) {
		*cause = xasprintf(_("searching %s: %s"), query,
		    notmuch_status_to_string(status));
		free(query);
		return STORE_DB_ERROR;
	}
	free(query);
	for (; notmuch_messages_valid(msgs); notmuch_messages_move_to_next(msgs)) {
		if ((nm = notmuch_messages_get(msgs)) == NULL)
			break;
		date = notmuch_message_get_date(nm);
		if (date < from || date > to) {
			notmuch_message_destroy(nm);
			continue;
		}
		channel = NULL;
		notmuch_message_get_property(nm, "ombre.channel", &channel);
		insights_text(si, nm, &snippet, &text, &len);
		thread = notmuch_message_get_thread_id(nm);
		insights_add(si->counts, text != NULL ? text : snippet != NULL ?
		    snippet : "", len, channel != NULL ? channel : "?",
		    store_report_hour(date), thread != NULL ? thread : "");
		free(text);
		notmuch_message_destroy(nm);
	}
	notmuch_query_destroy(q);
	return STORE_OK;
}

/*
 * The window's customer messages into core's counts, a day at a time:
 * notmuch holds every match of a search until it is destroyed (about a
 * hundred bytes each), so a day's search keeps the memory of a month's
 * window that of its busiest day.
 */
static enum store_status
insights_read(struct store *st, struct store_insights *si, char **cause)
{
	enum store_status	rc;
	int64_t			from, to;

	for (from = si->since; from <= si->until; from = to + 1) {
		to = from + INSIGHTS_SLICE - 1;
		if (to > si->until)
			to = si->until;
		if ((rc = insights_read_slice(st, si, from, to, cause)) !=
		    STORE_OK)
			return rc;
	}
	return STORE_OK;
}

enum store_status
store_insights_build(struct store *st, int64_t since, int64_t until,
    struct store_insights **out, char **cause)
{
	struct store_report_filter	 f;
	struct store_report		*r = NULL;
	struct store_insights		*si;
	char				*closes;
	enum store_status		 rc;

	*out = NULL;
	*cause = NULL;
	si = xcalloc(1, sizeof *si);
	si->since = since;
	si->until = until != 0 ? until : util_now();
	si->counts = insights_new();
	/* No readers' guard: like the report, a pass of seconds must not
	 * hold the syncer's commits. */
	if ((rc = insights_read(st, si, cause)) != STORE_OK) {
		store_insights_free(si);
		return rc;
	}
	memset(&f, 0, sizeof f);
	f.since = si->since;
	f.until = si->until;
	closes = xasprintf("thread:\"{property:ombre.event=closed and "
	    "date:@%lld..@%lld}\"", (long long)si->since,
	    (long long)si->until);
	rc = store_report_build_query(st, &f, closes, &r, cause);
	free(closes);
	if (rc != STORE_OK) {
		store_insights_free(si);
		return rc;
	}
	si->closed = r->total.closed;
	si->bot_only = r->total.bot_only;
	store_report_free(r);
	*out = si;
	return STORE_OK;
}

void
store_insights_free(struct store_insights *si)
{
	if (si == NULL)
		return;
	insights_free(si->counts);
	free(si);
}
