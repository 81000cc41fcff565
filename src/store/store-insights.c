/*
 * store-insights.c: the figures of `ombre insights` read from the store:
 * the text of each customer message of a window handed to core's counts
 * (insights.c), and the bot's share of the closes.
 *
 * Why ride on the report's pass (store_report_build_each) rather than a
 * search of the window's customer messages: the bot's share must be
 * what ombre report says it is, and the report reads the window's
 * conversations whole to replay their episodes. Reading the customer
 * messages' text there costs little more, where a second search would
 * read them again.
 *
 * The text comes from the ombre.snippet property when it is all there
 * (shorter than STORE_SNIPPET_MAX: the index holds it, no file is read),
 * else from the message's file: a chat message is short, a long e-mail
 * is rare.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "store/store-private.h"

#include <stdlib.h>
#include <string.h>

struct insights_pass {
	struct store_insights	*si;
};

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

static void
insights_each(notmuch_message_t *nm, int64_t date, const char *channel,
    void *data)
{
	struct insights_pass	*p = data;
	struct store_insights	*si = p->si;
	const char		*snippet, *thread;
	char			*text;
	size_t			 len;

	if (date < si->since || date > si->until)
		return;
	insights_text(si, nm, &snippet, &text, &len);
	thread = notmuch_message_get_thread_id(nm);
	insights_add(si->counts, text != NULL ? text : snippet != NULL ?
	    snippet : "", len, channel, store_report_hour(date),
	    thread != NULL ? thread : "");
	free(text);
}

enum store_status
store_insights_build(struct store *st, int64_t since, int64_t until,
    struct store_insights **out, char **cause)
{
	struct store_report_filter	 f;
	struct store_report		*r = NULL;
	struct store_insights		*si;
	struct insights_pass		 p;
	enum store_status		 rc;

	*out = NULL;
	si = xcalloc(1, sizeof *si);
	si->since = since;
	si->until = until != 0 ? until : util_now();
	si->counts = insights_new();
	memset(&f, 0, sizeof f);
	f.since = since;
	f.until = si->until;
	p.si = si;
	/* No readers' guard: like the report, a pass of seconds must not
	 * hold the syncer's commits. */
	rc = store_report_build_each(st, &f, insights_each, &p, &r, cause);
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
