/*
 * store-query.c: conversations and their messages, read from notmuch.
 *
 * notmuch sorts every match of a query before it returns the first one,
 * so a plain newest-first search over a large store costs time in
 * proportion to the whole store. The first page is instead searched in
 * date windows growing backwards from the newest message (1 hour, then 4
 * times wider each step), stopping as soon as the page is full. A view
 * sorted by waiting time (Needs human) reads all its conversations and
 * sorts them by the oldest unanswered customer message.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "store/store-private.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Window widths in seconds back from the newest message; 0 is "all". */
static const int64_t store_windows[] = {
	3600, 4 * 3600, 16 * 3600, 64 * 3600, 256 * 3600, 1024 * 3600,
	4096 * 3600, 16384 * 3600, 0
};

int
store_thread_id_parse(const char *s, char out[17])
{
	size_t	len, i;

	if (strncmp(s, "thread:", 7) == 0)
		s += 7;
	len = strlen(s);
	if (len == 0 || len > 16)
		return 0;
	for (i = 0; i < len; i++) {
		if (!isxdigit((unsigned char)s[i]) || isupper((unsigned char)s[i]))
			return 0;
	}
	memset(out, '0', 16 - len);
	memcpy(out + 16 - len, s, len);
	out[16] = '\0';
	return 1;
}

void
store_conv_free(struct store_conv *c)
{
	size_t	i;

	if (c == NULL)
		return;
	free(c->thread_id);
	free(c->short_id);
	free(c->channel);
	free(c->account);
	free(c->conv_id);
	free(c->title);
	free(c->customer_id);
	free(c->customer_name);
	free(c->snippet);
	free(c->subject);
	for (i = 0; i < c->n_tags; i++)
		free(c->tags[i]);
	free(c->tags);
	triage_tags_free(c->msg_ids);
	triage_tags_free(c->unread_ids);
	free(c->handoff_reason);
	free(c);
}

int
store_conv_has_tag(const struct store_conv *c, const char *tag)
{
	size_t	i;

	for (i = 0; i < c->n_tags; i++) {
		if (strcmp(c->tags[i], tag) == 0)
			return 1;
	}
	return 0;
}

void
store_convs_free(struct store_conv **convs, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		store_conv_free(convs[i]);
	free(convs);
}

/* The kind of a message: its property, else a customer (foreign mail). */
static enum msg_kind
store_message_kind(notmuch_message_t *nm)
{
	const char	*value = NULL;
	enum msg_kind	 kind = MSG_CUSTOMER;

	if (notmuch_message_get_property(nm, "ombre.kind", &value) ==
	    NOTMUCH_STATUS_SUCCESS && value != NULL)
		msg_kind_parse(value, &kind);
	return kind;
}

static int
store_message_has_tag(notmuch_message_t *nm, const char *tag)
{
	notmuch_tags_t	*tags;
	int		 found = 0;

	for (tags = notmuch_message_get_tags(nm); notmuch_tags_valid(tags);
	    notmuch_tags_move_to_next(tags)) {
		if (strcmp(notmuch_tags_get(tags), tag) == 0) {
			found = 1;
			break;
		}
	}
	notmuch_tags_destroy(tags);
	return found;
}

/* Split "Name <addr>" into its parts (allocated). */
void
store_split_from(const char *from, char **name, char **addr)
{
	const char	*lt, *gt;
	size_t		 len;

	lt = strrchr(from, '<');
	gt = lt != NULL ? strchr(lt, '>') : NULL;
	if (lt == NULL || gt == NULL) {
		*name = xstrdup(from);
		*addr = xstrdup(from);
		return;
	}
	*addr = xstrndup(lt + 1, (size_t)(gt - lt - 1));
	len = (size_t)(lt - from);
	while (len > 0 && (from[len - 1] == ' ' || from[len - 1] == '\t'))
		len--;
	if (len >= 2 && from[0] == '"' && from[len - 1] == '"') {
		from++;
		len -= 2;
	}
	*name = len > 0 ? xstrndup(from, len) : xstrdup(*addr);
}

/*
 * The channel's id of a sender from the address ombre wrote for it:
 * "=40eve=3Aexample=2Eorg@matrix.ombre" is "@eve:example.org". Other
 * addresses are returned as they are. Allocated.
 */
char *
store_decode_local_part(const char *addr)
{
	const char	*at, *p;
	struct buf	 b;
	unsigned int	 byte;

	at = strrchr(addr, '@');
	if (at == NULL || strlen(at) < 7 || strcmp(at + strlen(at) - 6,
	    ".ombre") != 0)
		return xstrdup(addr);
	buf_init(&b);
	for (p = addr; p < at; p++) {
		if (*p == '=' && p + 2 < at && isxdigit((unsigned char)p[1]) &&
		    isxdigit((unsigned char)p[2]) &&
		    sscanf(p + 1, "%2x", &byte) == 1) {
			buf_add_char(&b, (char)byte);
			p += 2;
		} else
			buf_add_char(&b, *p);
	}
	return buf_steal(&b);
}

/*
 * A row's snippet of a message's text, at most 400 bytes: an e-mail's as
 * its preview (mail-text.c: no attribution, quote or signature; the text
 * as it is when that leaves nothing). Allocated.
 */
static char *
store_snippet(const char *channel, const char *text, size_t len)
{
	char	*preview = NULL, *s;

	if (text == NULL)
		text = "";
	if (strcmp(channel, "email") == 0 &&
	    (preview = mail_preview(text, len)) != NULL) {
		text = preview;
		len = strlen(preview);
	}
	s = store_text_cut(text, len, 400);
	free(preview);
	return s;
}

struct store_msg_ref {
	notmuch_message_t	*nm;
	int64_t			 date;
	enum msg_kind		 kind;
};

static int
store_tag_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Channel, account, conversation, title and snippet from the properties
 * ingest stores. Return 0 when one is missing and the file must be read:
 * older stores lack them, and ingest leaves out an account or
 * conversation id too long for a Xapian term (about 200 bytes).
 */
static int
store_conv_from_properties(struct store_conv *c, notmuch_message_t *nm)
{
	const char	*channel = NULL, *account = NULL, *conv = NULL;
	const char	*title = NULL, *snippet = NULL;

	if (notmuch_message_get_property(nm, "ombre.channel", &channel) !=
	    NOTMUCH_STATUS_SUCCESS || channel == NULL ||
	    notmuch_message_get_property(nm, "ombre.snippet", &snippet) !=
	    NOTMUCH_STATUS_SUCCESS || snippet == NULL ||
	    notmuch_message_get_property(nm, "ombre.account", &account) !=
	    NOTMUCH_STATUS_SUCCESS || account == NULL ||
	    notmuch_message_get_property(nm, "ombre.conv-id", &conv) !=
	    NOTMUCH_STATUS_SUCCESS || conv == NULL)
		return 0;
	notmuch_message_get_property(nm, "ombre.title", &title);
	c->channel = xstrdup(channel);
	c->account = xstrdup(account);
	c->conv_id = xstrdup(conv);
	c->title = xstrdup(title != NULL ? title : c->conv_id);
	c->snippet = xstrdup(snippet);
	return 1;
}

/*
 * The waiting clock: it runs from the customer's oldest message that no
 * one has answered since. An agent's message answers; a bot's answers only
 * while a bot has the conversation, and not when it hands off: "I pass
 * you to an agent" leaves the customer waiting for a person. The mode at
 * each moment comes from the conversation's events (handoff, take-over,
 * assigned, hand-back); a conversation handed off without one (tagged by
 * hand) takes the bot's last words before it as such a handoff.
 */
struct store_wait {
	int64_t	since;		/* 0: not waiting */
	int	answered;	/* the last customer message was answered */
	int	bot_active;	/* a bot has it at this point */
	int	bot_run;	/* bot answers since the last customer message */
	int64_t	since_before_bot;
	int	answered_before_bot;
	int	handed_off;	/* an event said handoff */
	int	replied;	/* an agent answered since it (re)opened */
};

/* Take back the bot's answers since the customer last wrote. */
static void
store_wait_unanswer(struct store_wait *w)
{
	if (!w->bot_run)
		return;
	w->since = w->since_before_bot;
	w->answered = w->answered_before_bot;
	w->bot_run = 0;
}

static void
store_wait_step(struct store_wait *w, enum msg_kind kind, int64_t date,
    const char *event)
{
	switch (kind) {
	case MSG_CUSTOMER:
		if (w->answered)
			w->since = date;
		w->answered = 0;
		w->bot_run = 0;
		break;
	case MSG_AGENT:
		w->answered = 1;
		w->since = 0;
		w->bot_run = 0;
		w->replied = 1;
		break;
	case MSG_BOT:
		if (!w->bot_active)
			break;
		if (!w->bot_run) {
			w->since_before_bot = w->since;
			w->answered_before_bot = w->answered;
			w->bot_run = 1;
		}
		w->answered = 1;
		w->since = 0;
		break;
	case MSG_EVENT:
		if (event == NULL)
			break;
		if (strcmp(event, "handoff") == 0) {
			store_wait_unanswer(w);
			w->bot_active = 0;
			w->handed_off = 1;
		} else if (strcmp(event, "take-over") == 0 ||
		    strcmp(event, "assigned") == 0)
			w->bot_active = 0;
		else if (strcmp(event, "hand-back") == 0)
			w->bot_active = 1;
		else if (strcmp(event, "closed") == 0 ||
		    strcmp(event, "reopened") == 0)
			w->replied = 0;	/* the next answer is a first one */
		break;
	case MSG_NOTE:
		break;
	}
}

static void
store_wait_end(struct store_wait *w, enum triage_mode mode)
{
	if (mode == TRIAGE_MODE_HANDOFF && !w->handed_off)
		store_wait_unanswer(w);
}

/*
 * Build the summary of the conversation of a thread from its messages.
 * (Not from notmuch_thread_t: libnotmuch 0.37 hands out a freed thread, or
 * aborts, when a writer commits while it builds one.) Return NULL when the
 * reader's snapshot was overtaken and the read must start again.
 */
static struct store_conv *
store_conv_build(struct store *st, const char *thread_id)
{
	struct store_conv	*c;
	notmuch_query_t		*q;
	notmuch_messages_t	*msgs;
	notmuch_message_t	*nm;
	notmuch_tags_t		*tags;
	struct store_msg_ref	*refs = NULL;
	struct strset		 tagset = { NULL, 0, NULL, 0 };
	size_t			 n = 0, i, len;
	const char		*tid, *from, *subject, *path;
	struct msg		*m;
	char			*cause, *name, *addr, *query, *text;
	size_t			 last;
	int			 ok = 1;
	struct store_wait	 wait;
	const char		*event, *reason;

	query = xasprintf("thread:%s", thread_id);
	if (store_query_messages(st, query, NOTMUCH_SORT_OLDEST_FIRST, &q,
	    &msgs) != NOTMUCH_STATUS_SUCCESS) {
		free(query);
		return NULL;
	}
	free(query);
	c = xcalloc(1, sizeof *c);
	c->thread_id = xstrdup(thread_id);
	for (tid = thread_id; *tid == '0' && tid[1] != '\0'; tid++)
		;
	c->short_id = xstrdup(tid);
	for (; notmuch_messages_valid(msgs); notmuch_messages_move_to_next(msgs)) {
		nm = notmuch_messages_get(msgs);
		if (nm == NULL) {
			ok = 0;
			break;
		}
		refs = xreallocarray(refs, n + 1, sizeof *refs);
		refs[n].nm = nm;
		refs[n].date = notmuch_message_get_date(nm);
		refs[n].kind = store_message_kind(nm);
		n++;
		for (tags = notmuch_message_get_tags(nm); notmuch_tags_valid(tags);
		    notmuch_tags_move_to_next(tags))
			strset_add(&tagset, notmuch_tags_get(tags));
		notmuch_tags_destroy(tags);
	}
	/* (The query sorts them oldest first.) */
	c->total = (int)n;
	memset(&wait, 0, sizeof wait);
	wait.answered = 1;
	wait.bot_active = 1;
	c->msg_ids = xcalloc(n + 1, sizeof *c->msg_ids);
	c->unread_ids = xcalloc(n + 1, sizeof *c->unread_ids);
	for (i = 0; ok && i < n; i++) {
		c->msg_ids[i] = xstrdup(notmuch_message_get_message_id(
		    refs[i].nm));
		if (refs[i].kind == MSG_EVENT)
			c->total--;	/* the history, not a message */
		if (store_message_has_tag(refs[i].nm, "unread"))
			c->unread_ids[c->unread++] = xstrdup(c->msg_ids[i]);
		event = NULL;
		if (refs[i].kind == MSG_EVENT)
			notmuch_message_get_property(refs[i].nm, "ombre.event",
			    &event);
		store_wait_step(&wait, refs[i].kind, refs[i].date, event);
		if (event != NULL && strcmp(event, "handoff") == 0) {
			reason = NULL;
			notmuch_message_get_property(refs[i].nm,
			    "ombre.reason", &reason);
			free(c->handoff_reason);
			c->handoff_reason = reason != NULL ? xstrdup(reason) :
			    NULL;
		}
		if (event != NULL && strcmp(event, "sla-breach") == 0)
			c->sla_breach = refs[i].date;
		if (refs[i].kind == MSG_CUSTOMER) {
			from = notmuch_message_get_header(refs[i].nm, "from");
			if (from != NULL) {
				store_split_from(from, &name, &addr);
				free(c->customer_name);
				free(c->customer_id);
				c->customer_name = name;
				c->customer_id = store_decode_local_part(addr);
				free(addr);
			}
		}
	}
	store_wait_end(&wait, triage_mode(tagset.items, tagset.n));
	c->waiting_since = wait.since;
	c->first_wait = wait.since != 0 && !wait.replied;
	/* The customer's messages of that wait: the public risk's "3rd
	 * message" (risk.c). */
	for (i = 0; ok && wait.since != 0 && i < n; i++) {
		if (refs[i].kind == MSG_CUSTOMER && refs[i].date >= wait.since)
			c->unanswered++;
	}
	/* The newest message, an event only when there is nothing else:
	 * the row shows what the customer and the agents wrote. */
	for (last = n; last > 0 && refs[last - 1].kind == MSG_EVENT; last--)
		;
	if (last == 0)
		last = n;
	if (ok && n > 0) {
		c->newest = refs[last - 1].date;
		c->last_kind = refs[last - 1].kind;
		path = notmuch_message_get_filename(refs[last - 1].nm);
		if (store_conv_from_properties(c, refs[last - 1].nm))
			m = NULL;	/* the index had it all: no file read */
		else if (path == NULL)
			ok = 0;
		else if ((m = store_file_read(path, &cause)) != NULL) {
			c->channel = xstrdup(m->channel);
			c->account = xstrdup(m->account);
			c->conv_id = xstrdup(m->conv_id);
			c->title = xstrdup(m->conv_title != NULL ? m->conv_title :
			    m->conv_id);
			c->snippet = store_snippet(c->channel, m->text,
			    m->text_len);
			msg_free(m);
		} else if (c->channel == NULL) {
			/* Mail ombre did not write: the user's own e-mail. */
			free(cause);
			subject = notmuch_message_get_header(refs[0].nm, "subject");
			c->channel = xstrdup("email");
			c->account = xstrdup("");
			c->conv_id = xstrdup(c->thread_id);
			c->title = xstrdup(subject != NULL ? subject : "");
			text = store_mail_text(path, &len);
			c->snippet = text != NULL ? store_snippet("email",
			    text, len) : xstrdup(c->title);
			free(text);
		}
	}
	/* What an e-mail's row shows first: the subject its conversation
	 * started with (the newest's may have lost it). */
	for (i = 0; ok && i < n && c->channel != NULL &&
	    strcmp(c->channel, "email") == 0; i++) {
		if (refs[i].kind == MSG_EVENT)
			continue;
		subject = notmuch_message_get_header(refs[i].nm, "subject");
		c->subject = mail_subject(subject != NULL ? subject : "");
		break;
	}
	free(refs);
	notmuch_query_destroy(q);
	if (!ok || n == 0) {
		/* No message: the thread went away under a reader. */
		strset_free(&tagset);
		store_conv_free(c);
		return NULL;
	}
	if (c->customer_name == NULL) {
		c->customer_name = xstrdup(c->title != NULL ? c->title : "");
		c->customer_id = xstrdup("");
	}
	c->n_tags = tagset.n;
	c->tags = xreallocarray(tagset.items, tagset.n + 1, sizeof *c->tags);
	c->tags[c->n_tags] = NULL;
	qsort(c->tags, c->n_tags, sizeof *c->tags, store_tag_cmp);
	tagset.items = NULL;
	tagset.n = 0;
	strset_free(&tagset);
	return c;
}

/* The date the windows start from: the newest message ingested. */
static int64_t
store_newest_date(struct store *st)
{
	const char *const	 keys[] = { "ombre.newest-message", "ombre.newest" };
	char			*value;
	int64_t			 newest = 0;
	size_t			 i;

	/* A store from before ombre.newest-message has ombre.newest, events
	 * counted, until its next message. */
	for (i = 0; i < nitems(keys) && newest <= 0; i++) {
		value = NULL;
		if (notmuch_database_get_config(st->db, keys[i], &value) ==
		    NOTMUCH_STATUS_SUCCESS && value != NULL)
			newest = strtoll(value, NULL, 10);
		free(value);
	}
	if (newest <= 0)
		newest = util_now();
	return newest;
}

char *
store_query_no_contacts(const char *query)
{
	if (store_query_is_all(query))
		return xstrdup(STORE_NOT_CONTACT);
	return xasprintf("(%s) and " STORE_NOT_CONTACT, query);
}

/* Return 1 when a query is "everything". */
int
store_query_is_all(const char *query)
{
	while (*query == ' ')
		query++;
	return *query == '\0' || strcmp(query, "*") == 0;
}

/*
 * Walk the messages of a query in the given order and add the thread of
 * each to seen, stopping once seen holds max threads (0: no limit). A
 * conversation is thus placed by its newest matching message, as notmuch
 * sorts threads. *overtaken says why a walk failed (see store-private.h).
 */
enum store_status
store_collect_threads(struct store *st, const char *query, notmuch_sort_t sort,
    size_t max, struct strset *seen, int *overtaken, char **cause)
{
	notmuch_query_t		*q;
	notmuch_messages_t	*msgs;
	notmuch_message_t	*nm;
	notmuch_status_t	 status;
	const char		*tid;

	*overtaken = 0;
	q = notmuch_query_create(st->db, query);
	if (q == NULL)
		fatalx("notmuch_query_create");
	notmuch_query_set_sort(q, sort);
	notmuch_query_set_omit_excluded(q, NOTMUCH_EXCLUDE_FALSE);
	status = notmuch_query_search_messages(q, &msgs);
	if (status != NOTMUCH_STATUS_SUCCESS) {
		/* A bad query or an overtaken snapshot: one more try says. */
		if (status == NOTMUCH_STATUS_XAPIAN_EXCEPTION)
			*overtaken = STORE_SEARCH_FAILED;
		*cause = xasprintf(_("bad query '%s': %s"), query,
		    notmuch_status_to_string(status));
		notmuch_query_destroy(q);
		return STORE_BAD_INPUT;
	}
	for (; notmuch_messages_valid(msgs) && (max == 0 || seen->n < max);
	    notmuch_messages_move_to_next(msgs)) {
		nm = notmuch_messages_get(msgs);
		tid = nm != NULL ? notmuch_message_get_thread_id(nm) : NULL;
		if (tid == NULL) {
			*overtaken = STORE_OVERTAKEN;
			break;
		}
		strset_add(seen, tid);
		notmuch_message_destroy(nm);
	}
	notmuch_query_destroy(q);
	if (*overtaken != 0) {
		*cause = xstrdup(_("the database kept changing while it was read"));
		return STORE_DB_ERROR;
	}
	return STORE_OK;
}

/*
 * A reader works on a snapshot of the database. When writers commit
 * enough meanwhile, Xapian discards that snapshot and libnotmuch's
 * iterators give NULL: the read starts again on a fresh snapshot after a
 * short pause that grows, at most STORE_READ_ATTEMPTS times.
 */
void
store_read_again(struct store *st, int attempt)
{
	struct timespec	ts;

	/* A writer holds the lock: nobody overtakes it, and re-opening it
	 * would let the lock go and discard an open transaction. */
	if (st->mode == STORE_READ_ONLY)
		notmuch_database_reopen(st->db, NOTMUCH_DATABASE_MODE_READ_ONLY);
	ts.tv_sec = 0;
	ts.tv_nsec = (long)(attempt < 10 ? attempt : 10) * 2000000L;
	nanosleep(&ts, NULL);
}

/* Contacts (store-contact.c) are no conversation: left out of every
 * query of conversations, as events are out of a list's order. */
#define STORE_NOT_EVENT	"not property:ombre.kind=event and " \
	STORE_NOT_CONTACT

/* One try of store_query_convs; *overtaken is set when it must restart. */
static enum store_status
store_query_convs_once(struct store *st, const char *query, long offset,
    long limit, struct store_conv ***out, size_t *n, int *overtaken,
    char **cause)
{
	struct strset		 seen = { NULL, 0, NULL, 0 };
	struct store_conv	**convs = NULL, *c;
	enum store_status	 rc = STORE_OK;
	size_t			 w, i, want = (size_t)offset + (size_t)limit;
	int64_t			 newest;
	char			*windowed;
	int			 all = store_query_is_all(query);

	*overtaken = 0;
	newest = store_newest_date(st);
	for (w = 0; w < nitems(store_windows) && seen.n < want; w++) {
		/* A conversation's activity is its messages, not the events
		 * of its triage: closing one does not bring it to the top. */
		if (store_windows[w] == 0)
			windowed = all ? xstrdup(STORE_NOT_EVENT) :
			    xasprintf("(%s) and " STORE_NOT_EVENT, query);
		else if (all)
			windowed = xasprintf("date:@%" PRId64 ".. and "
			    STORE_NOT_EVENT, newest - store_windows[w]);
		else
			windowed = xasprintf("(%s) and date:@%" PRId64 ".. and "
			    STORE_NOT_EVENT, query, newest - store_windows[w]);
		/* Threads found by a narrower window keep their place. */
		rc = store_collect_threads(st, windowed, NOTMUCH_SORT_NEWEST_FIRST,
		    want, &seen, overtaken, cause);
		free(windowed);
		if (rc != STORE_OK) {
			if (*overtaken == STORE_SEARCH_FAILED) {
				free(*cause);
				*cause = xasprintf(_("bad query '%s'"), query);
			}
			break;
		}
	}
	*n = 0;
	for (i = (size_t)offset; rc == STORE_OK && i < seen.n; i++) {
		c = store_conv_build(st, seen.items[i]);
		if (c == NULL) {
			*overtaken = STORE_OVERTAKEN;
			*cause = xstrdup(_("the database kept changing while it "
			    "was read"));
			rc = STORE_DB_ERROR;
			break;
		}
		convs = xreallocarray(convs, *n + 1, sizeof *convs);
		convs[(*n)++] = c;
	}
	strset_free(&seen);
	if (rc != STORE_OK) {
		store_convs_free(convs, *n);
		*n = 0;
		return rc;
	}
	*out = convs;
	return STORE_OK;
}

static enum store_status
store_query_convs_unguarded(struct store *st, const char *query, long offset, long limit,
    struct store_conv ***out, size_t *n, char **cause)
{
	enum store_status	rc;
	int			attempt, overtaken;

	*out = NULL;
	*n = 0;
	*cause = NULL;
	if (limit <= 0)
		return STORE_OK;
	for (attempt = 1;; attempt++) {
		rc = store_query_convs_once(st, query, offset, limit, out, n,
		    &overtaken, cause);
		if (overtaken == 0 || attempt == STORE_READ_ATTEMPTS ||
		    (overtaken == STORE_SEARCH_FAILED && attempt > 1))
			return rc;
		free(*cause);
		*cause = NULL;
		store_read_again(st, attempt);
	}
}

/*
 * A query narrowed to what an email channel's query= keeps of the user's
 * own mail (`set store.database`): ombre's own messages (in its folder
 * ombre/) and the mail that matches. Allocated; the query as it is when
 * there is no such filter.
 */
char *
store_mail_filter(struct store *st, const char *query)
{
	const char	*mq = st->opts.mail_query;

	if (st->opts.database == NULL || mq == NULL || *mq == '\0')
		return xstrdup(query);
	if (store_query_is_all(query))
		return xasprintf("path:ombre/** or (%s)", mq);
	return xasprintf("(%s) and (path:ombre/** or (%s))", query, mq);
}

enum store_status
store_query_convs(struct store *st, const char *query, long offset, long limit,
    struct store_conv ***out, size_t *n, char **cause)
{
	enum store_status	rc;
	char			*text = store_mail_filter(st, query);

	store_read_begin(st);
	rc = store_query_convs_unguarded(st, text, offset, limit, out, n, cause);
	store_read_end(st);
	free(text);
	return rc;
}

enum store_status
store_conv_of_thread(struct store *st, const char *thread_id,
    struct store_conv **out, char **cause)
{
	struct store_conv	**convs;
	enum store_status	  rc;
	char			 *query;
	size_t			  n, i;

	*out = NULL;
	query = xasprintf("thread:%s", thread_id);
	rc = store_query_convs(st, query, 0, 1, &convs, &n, cause);
	free(query);
	if (rc != STORE_OK)
		return rc;
	if (n == 0) {
		store_convs_free(convs, n);
		*cause = xasprintf(_("no conversation %s"), thread_id);
		return STORE_NOT_FOUND;
	}
	*out = convs[0];
	for (i = 1; i < n; i++)
		store_conv_free(convs[i]);
	free(convs);
	return STORE_OK;
}

/* Longest waiting first; not waiting last, newest first among them. */
static int
store_conv_waiting_cmp(const void *a, const void *b)
{
	const struct store_conv	*ca = *(struct store_conv *const *)a;
	const struct store_conv	*cb = *(struct store_conv *const *)b;

	if ((ca->waiting_since > 0) != (cb->waiting_since > 0))
		return ca->waiting_since > 0 ? -1 : 1;
	if (ca->waiting_since != cb->waiting_since)
		return ca->waiting_since < cb->waiting_since ? -1 : 1;
	if (ca->newest != cb->newest)
		return ca->newest > cb->newest ? -1 : 1;
	return strcmp(ca->thread_id, cb->thread_id);
}

void
store_conv_risk(const struct store_conv *c, int64_t now, struct risk *out)
{
	struct risk_input	in;

	memset(&in, 0, sizeof in);
	in.tags = c->tags;
	in.channel = c->channel;
	in.first = c->first_wait;
	/* Done or snoozed is not waiting, whatever came last. */
	in.waiting_since = store_conv_has_tag(c, "inbox") ? c->waiting_since :
	    0;
	in.now = now;
	in.unanswered = c->unanswered;
	/* The other channels the same person wrote on, as a link or an
	 * unlink tagged them (store-contact.c). */
	in.other_channels = contact_channels_of_tags(c->tags) - 1;
	risk_eval(&in, out);
}

/* Highest risk first, then as the waiting order. */
static int
store_conv_risk_cmp(const void *a, const void *b)
{
	const struct store_conv	*ca = *(struct store_conv *const *)a;
	const struct store_conv	*cb = *(struct store_conv *const *)b;

	if (ca->risk != cb->risk)
		return ca->risk > cb->risk ? -1 : 1;
	return store_conv_waiting_cmp(a, b);
}

/* One try of the waiting (or risk) order: every conversation, sorted,
 * sliced. */
static enum store_status
store_query_waiting_once(struct store *st, const char *query,
    enum view_sort sort, long offset, long limit, struct store_conv ***out,
    size_t *n, int *overtaken, char **cause)
{
	struct risk		 risk;
	int64_t			 now = util_now();
	struct strset		 seen = { NULL, 0, NULL, 0 };
	struct store_conv	**convs = NULL, *c;
	enum store_status	 rc;
	size_t			 i, count = 0, first, last;
	char			*text;

	*n = 0;
	text = store_query_no_contacts(query);
	rc = store_collect_threads(st, text, NOTMUCH_SORT_UNSORTED, 0, &seen,
	    overtaken, cause);
	free(text);
	if (rc != STORE_OK) {
		if (*overtaken == STORE_SEARCH_FAILED) {
			free(*cause);
			*cause = xasprintf(_("bad query '%s'"), query);
		}
		strset_free(&seen);
		return rc;
	}
	convs = xcalloc(seen.n + 1, sizeof *convs);
	for (i = 0; i < seen.n; i++) {
		if ((c = store_conv_build(st, seen.items[i])) == NULL) {
			*overtaken = STORE_OVERTAKEN;
			*cause = xstrdup(_("the database kept changing while it "
			    "was read"));
			store_convs_free(convs, count);
			strset_free(&seen);
			return STORE_DB_ERROR;
		}
		convs[count++] = c;
	}
	strset_free(&seen);
	if (sort == VIEW_SORT_RISK) {
		for (i = 0; i < count; i++) {
			store_conv_risk(convs[i], now, &risk);
			convs[i]->risk = risk.score;
			risk_free(&risk);
		}
		qsort(convs, count, sizeof *convs, store_conv_risk_cmp);
	} else
		qsort(convs, count, sizeof *convs, store_conv_waiting_cmp);
	first = (size_t)offset < count ? (size_t)offset : count;
	last = count - first > (size_t)limit ? first + (size_t)limit : count;
	for (i = 0; i < first; i++)
		store_conv_free(convs[i]);
	for (i = last; i < count; i++)
		store_conv_free(convs[i]);
	memmove(convs, convs + first, (last - first) * sizeof *convs);
	*n = last - first;
	*out = convs;
	return STORE_OK;
}

enum store_status
store_query_convs_sorted(struct store *st, const char *query,
    enum view_sort sort, long offset, long limit, struct store_conv ***out,
    size_t *n, char **cause)
{
	enum store_status	rc;
	int			attempt, overtaken;

	if (sort != VIEW_SORT_WAITING && sort != VIEW_SORT_RISK)
		return store_query_convs(st, query, offset, limit, out, n,
		    cause);
	*out = NULL;
	*n = 0;
	*cause = NULL;
	if (limit <= 0 || offset < 0)
		return STORE_OK;
	store_read_begin(st);
	for (attempt = 1;; attempt++) {
		rc = store_query_waiting_once(st, query, sort, offset, limit,
		    out, n, &overtaken, cause);
		if (overtaken == 0 || attempt == STORE_READ_ATTEMPTS ||
		    (overtaken == STORE_SEARCH_FAILED && attempt > 1))
			break;
		free(*cause);
		*cause = NULL;
		store_read_again(st, attempt);
	}
	store_read_end(st);
	return rc;
}

static enum store_status
store_count_convs_unguarded(struct store *st, const char *query, long *total,
    long *unread, char **cause)
{
	notmuch_query_t		*q;
	unsigned int		 count;
	char			*text;
	int			 pass;

	*cause = NULL;
	for (pass = 0; pass < 2; pass++) {
		if (pass == 0)
			text = xstrdup(query);
		else if (store_query_is_all(query))
			text = xstrdup("tag:unread");
		else
			text = xasprintf("(%s) and tag:unread", query);
		q = notmuch_query_create(st->db, text);
		free(text);
		if (q == NULL)
			fatalx("notmuch_query_create");
		notmuch_query_set_omit_excluded(q, NOTMUCH_EXCLUDE_FALSE);
		if (notmuch_query_count_threads(q, &count) != NOTMUCH_STATUS_SUCCESS) {
			*cause = xasprintf(_("bad query '%s'"), query);
			notmuch_query_destroy(q);
			return STORE_BAD_INPUT;
		}
		notmuch_query_destroy(q);
		if (pass == 0)
			*total = count;
		else
			*unread = count;
	}
	return STORE_OK;
}

enum store_status
store_count_convs(struct store *st, const char *query, long *total,
    long *unread, char **cause)
{
	enum store_status	rc;
	char			*filtered = store_mail_filter(st, query);
	char			*text = store_query_no_contacts(filtered);

	free(filtered);
	store_read_begin(st);
	rc = store_count_convs_unguarded(st, text, total, unread, cause);
	store_read_end(st);
	free(text);
	return rc;
}

/* Count the threads of a query, stopping at 2 (enough to say ambiguous). */
static enum store_status
store_threads_of_once(struct store *st, const char *query, char **first,
    int *count, int *overtaken, char **cause)
{
	struct strset		seen = { NULL, 0, NULL, 0 };
	enum store_status	rc;
	char			*text = store_query_no_contacts(query);

	*first = NULL;
	*count = 0;
	rc = store_collect_threads(st, text, NOTMUCH_SORT_UNSORTED, 2, &seen,
	    overtaken, cause);
	free(text);
	if (rc == STORE_OK) {
		*count = (int)seen.n;
		if (seen.n > 0)
			*first = xstrdup(seen.items[0]);
	}
	strset_free(&seen);
	return rc;
}

static enum store_status
store_threads_of(struct store *st, const char *query, char **first,
    int *count, char **cause)
{
	enum store_status	rc;
	int			attempt, overtaken;

	for (attempt = 1;; attempt++) {
		*cause = NULL;
		rc = store_threads_of_once(st, query, first, count, &overtaken,
		    cause);
		if (overtaken == 0 || attempt == STORE_READ_ATTEMPTS ||
		    (overtaken == STORE_SEARCH_FAILED && attempt > 1))
			return rc;
		free(*cause);
		store_read_again(st, attempt);
	}
}

/* Return 1 when a thread with this id has messages. */
static int
store_thread_exists(struct store *st, const char *thread_id)
{
	notmuch_query_t	*q;
	unsigned int	 count = 0;
	char		*query;

	/* A contact's thread is no conversation to name. */
	query = xasprintf("thread:%s and " STORE_NOT_CONTACT, thread_id);
	q = notmuch_query_create(st->db, query);
	free(query);
	if (q == NULL)
		fatalx("notmuch_query_create");
	if (notmuch_query_count_messages(q, &count) != NOTMUCH_STATUS_SUCCESS)
		count = 0;
	notmuch_query_destroy(q);
	return count > 0;
}

static enum store_status
store_resolve_conv_unguarded(struct store *st, const char *conv, char **thread_id,
    char **cause)
{
	char			 id[17], *first;
	int			 count;
	enum store_status	 rc;
	size_t			 len = strlen(conv);

	*thread_id = NULL;
	*cause = NULL;
	if (store_thread_id_parse(conv, id)) {
		/* 16 hex digits or thread:ID are always a thread id. */
		if (store_thread_exists(st, id)) {
			*thread_id = xstrdup(id);
			return STORE_OK;
		}
		if (len == 16 || strncmp(conv, "thread:", 7) == 0) {
			*cause = xasprintf(_("no conversation %s"), id);
			return STORE_NOT_FOUND;
		}
	}
	rc = store_threads_of(st, conv, &first, &count, cause);
	if (rc != STORE_OK)
		return rc;
	if (count == 0) {
		*cause = xasprintf(_("no conversation matches '%s'"), conv);
		return STORE_NOT_FOUND;
	}
	if (count > 1) {
		free(first);
		*cause = xasprintf(_("'%s' matches several conversations; name one "
		    "by the id `ombre list` shows"), conv);
		return STORE_AMBIGUOUS;
	}
	*thread_id = first;
	return STORE_OK;
}

enum store_status
store_resolve_conv(struct store *st, const char *conv, char **thread_id,
    char **cause)
{
	enum store_status	rc;

	store_read_begin(st);
	rc = store_resolve_conv_unguarded(st, conv, thread_id, cause);
	store_read_end(st);
	return rc;
}

/*
 * CONV as a query every replica of the store answers alike: notmuch's
 * thread ids are each database's own, Message-Ids travel with the files.
 * The oldest message's id, which only a Message-Id with a double quote
 * could not carry (refused).
 */
enum store_status
store_conv_portable(struct store *st, const char *conv, char **query,
    char **cause)
{
	notmuch_query_t		*q = NULL;
	notmuch_messages_t	*msgs;
	enum store_status	 rc;
	const char		*id = NULL;
	char			*thread_id, *tq;

	*query = NULL;
	if ((rc = store_resolve_conv(st, conv, &thread_id, cause)) != STORE_OK)
		return rc;
	tq = xasprintf("thread:%s", thread_id);
	free(thread_id);
	store_read_begin(st);
	if (store_query_messages(st, tq, NOTMUCH_SORT_OLDEST_FIRST, &q,
	    &msgs) == NOTMUCH_STATUS_SUCCESS && notmuch_messages_valid(msgs))
		id = notmuch_message_get_message_id(
		    notmuch_messages_get(msgs));
	if (id != NULL && strchr(id, '"') == NULL)
		*query = xasprintf("id:\"%s\"", id);
	if (q != NULL)
		notmuch_query_destroy(q);
	store_read_end(st);
	free(tq);
	if (*query == NULL) {
		*cause = xasprintf(_("conversation %s has no message another "
		    "store can find"), conv);
		return STORE_NOT_FOUND;
	}
	return STORE_OK;
}

/* A canonical message for mail ombre did not write (a user's e-mail). */
static struct msg *
store_msg_from_mail(notmuch_message_t *nm, const char *thread_id)
{
	struct msg	*m;
	const char	*from, *subject, *path;
	char		*name, *addr;

	m = msg_new();
	m->channel = xstrdup("email");
	m->account = xstrdup("mail");
	m->conv_id = xstrdup(thread_id);
	m->id = xstrdup(notmuch_message_get_message_id(nm));
	m->date = notmuch_message_get_date(nm);
	from = notmuch_message_get_header(nm, "from");
	store_split_from(from != NULL ? from : "", &name, &addr);
	m->from_name = name;
	m->from_id = addr;
	m->kind = MSG_CUSTOMER;
	subject = notmuch_message_get_header(nm, "subject");
	m->conv_title = xstrdup(subject != NULL ? subject : "");
	path = notmuch_message_get_filename(nm);
	m->text = path != NULL ? store_mail_text(path, &m->text_len) : NULL;
	if (m->text == NULL) {
		/* HTML only, or an attachment: the mail client shows it. */
		m->text = xstrdup("(this e-mail has no plain text part: open it "
		    "in your mail client)");
		m->text_len = strlen(m->text);
	}
	return m;
}

static enum store_status
store_thread_messages_once(struct store *st, const char *thread_id,
    struct msg ***out, size_t *n, int *overtaken, char **cause)
{
	notmuch_query_t		*q;
	notmuch_messages_t	*msgs;
	notmuch_message_t	*nm;
	notmuch_tags_t		*tags;
	struct msg		*m, **list = NULL;
	size_t			 count = 0, i;
	const char		*path;
	char			*query, *read_cause;

	*out = NULL;
	*n = 0;
	*cause = NULL;
	*overtaken = 0;
	query = xasprintf("thread:%s", thread_id);
	if (store_query_messages(st, query, NOTMUCH_SORT_OLDEST_FIRST, &q,
	    &msgs) != NOTMUCH_STATUS_SUCCESS) {
		*cause = xasprintf(_("searching %s failed"), query);
		free(query);
		return STORE_DB_ERROR;
	}
	free(query);
	for (; notmuch_messages_valid(msgs); notmuch_messages_move_to_next(msgs)) {
		nm = notmuch_messages_get(msgs);
		path = nm != NULL ? notmuch_message_get_filename(nm) : NULL;
		if (path == NULL) {
			*overtaken = 1;
			break;
		}
		m = store_file_read(path, &read_cause);
		if (m == NULL) {
			free(read_cause);
			m = store_msg_from_mail(nm, thread_id);
		}
		/* The current tags replace the operations it came with. */
		if (m->tags != NULL) {
			for (i = 0; m->tags[i] != NULL; i++)
				free(m->tags[i]);
			free(m->tags);
			m->tags = NULL;
		}
		for (tags = notmuch_message_get_tags(nm); notmuch_tags_valid(tags);
		    notmuch_tags_move_to_next(tags))
			msg_add_tag(m, notmuch_tags_get(tags));
		store_msg_outbox_state(nm, m);
		store_msg_attachments_local(nm, m);
		list = xreallocarray(list, count + 1, sizeof *list);
		list[count++] = m;
	}
	notmuch_query_destroy(q);
	if (*overtaken) {
		store_msgs_free(list, count);
		*cause = xstrdup(_("the database kept changing while it was read"));
		return STORE_DB_ERROR;
	}
	*out = list;
	*n = count;
	return STORE_OK;
}

static enum store_status
store_thread_messages_unguarded(struct store *st, const char *thread_id,
    struct msg ***out, size_t *n, char **cause)
{
	enum store_status	rc;
	int			attempt, overtaken;

	for (attempt = 1;; attempt++) {
		rc = store_thread_messages_once(st, thread_id, out, n,
		    &overtaken, cause);
		if (!overtaken || attempt == STORE_READ_ATTEMPTS)
			return rc;
		free(*cause);
		store_read_again(st, attempt);
	}
}

enum store_status
store_thread_messages(struct store *st, const char *thread_id,
    struct msg ***out, size_t *n, char **cause)
{
	enum store_status	rc;

	store_read_begin(st);
	rc = store_thread_messages_unguarded(st, thread_id, out, n, cause);
	store_read_end(st);
	return rc;
}

void
store_msgs_free(struct msg **msgs, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		msg_free(msgs[i]);
	free(msgs);
}

/*
 * A header of the message with this Message-Id, as notmuch decodes it
 * (the user's own e-mail: its References for a reply). Allocated, NULL
 * when the message or the header is not there.
 */
char *
store_message_header(struct store *st, const char *msgid, const char *header)
{
	notmuch_message_t	*nm = NULL;
	const char		*v;
	char			*out = NULL;

	store_read_begin(st);
	if (st->db != NULL && notmuch_database_find_message(st->db, msgid,
	    &nm) == NOTMUCH_STATUS_SUCCESS && nm != NULL) {
		v = notmuch_message_get_header(nm, header);
		if (v != NULL && *v != '\0')
			out = xstrdup(v);
		notmuch_message_destroy(nm);
	}
	store_read_end(st);
	return out;
}
