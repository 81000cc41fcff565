/*
 * store-query.c: conversations and their messages, read from notmuch.
 *
 * notmuch sorts every match of a query before it returns the first one,
 * so a plain newest-first search over a large store costs time in
 * proportion to the whole store. The first page is instead searched in
 * date windows growing backwards from the newest message (1 hour, then 4
 * times wider each step), stopping as soon as the page is full.
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
	for (i = 0; i < c->n_tags; i++)
		free(c->tags[i]);
	free(c->tags);
	free(c);
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
static void
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
static char *
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

struct store_msg_ref {
	notmuch_message_t	*nm;
	int64_t			 date;
	enum msg_kind		 kind;
};

static int
store_msg_ref_cmp(const void *a, const void *b)
{
	const struct store_msg_ref *x = a, *y = b;

	return (x->date > y->date) - (x->date < y->date);
}

/* Build a conversation summary from a notmuch thread. */
static struct store_conv *
store_conv_from_thread(struct store *st, notmuch_thread_t *thread)
{
	struct store_conv	*c;
	notmuch_messages_t	*msgs;
	notmuch_tags_t		*tags;
	struct store_msg_ref	*refs = NULL;
	size_t			 n = 0, i;
	const char		*tid, *from, *subject;
	struct msg		*m;
	char			*cause, *name, *addr;
	int			 answered_after = 1;

	c = xcalloc(1, sizeof *c);
	tid = notmuch_thread_get_thread_id(thread);
	c->thread_id = xstrdup(tid);
	while (*tid == '0' && tid[1] != '\0')
		tid++;
	c->short_id = xstrdup(tid);
	for (msgs = notmuch_thread_get_messages(thread);
	    notmuch_messages_valid(msgs); notmuch_messages_move_to_next(msgs)) {
		refs = xreallocarray(refs, n + 1, sizeof *refs);
		refs[n].nm = notmuch_messages_get(msgs);
		refs[n].date = notmuch_message_get_date(refs[n].nm);
		refs[n].kind = store_message_kind(refs[n].nm);
		n++;
	}
	qsort(refs, n, sizeof *refs, store_msg_ref_cmp);
	c->total = (int)n;
	for (i = 0; i < n; i++) {
		if (store_message_has_tag(refs[i].nm, "unread"))
			c->unread++;
		/* Waiting: the first customer message after the last answer. */
		if (refs[i].kind == MSG_CUSTOMER) {
			if (answered_after)
				c->waiting_since = refs[i].date;
			answered_after = 0;
		} else if (refs[i].kind == MSG_AGENT || refs[i].kind == MSG_BOT) {
			answered_after = 1;
			c->waiting_since = 0;
		}
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
	if (n > 0) {
		c->newest = refs[n - 1].date;
		c->last_kind = refs[n - 1].kind;
		m = store_file_read(notmuch_message_get_filename(refs[n - 1].nm),
		    &cause);
		if (m != NULL) {
			c->channel = xstrdup(m->channel);
			c->account = xstrdup(m->account);
			c->conv_id = xstrdup(m->conv_id);
			c->title = xstrdup(m->conv_title != NULL ? m->conv_title :
			    m->conv_id);
			c->snippet = xstrndup(m->text != NULL ? m->text : "",
			    m->text_len > 400 ? 400 : m->text_len);
			msg_free(m);
		} else {
			free(cause);
			subject = notmuch_thread_get_subject(thread);
			c->channel = xstrdup("email");
			c->account = xstrdup("");
			c->conv_id = xstrdup(c->thread_id);
			c->title = xstrdup(subject != NULL ? subject : "");
			c->snippet = xstrdup(c->title);
		}
	}
	if (c->customer_name == NULL) {
		c->customer_name = xstrdup(c->title != NULL ? c->title : "");
		c->customer_id = xstrdup("");
	}
	for (tags = notmuch_thread_get_tags(thread); notmuch_tags_valid(tags);
	    notmuch_tags_move_to_next(tags)) {
		c->tags = xreallocarray(c->tags, c->n_tags + 2, sizeof *c->tags);
		c->tags[c->n_tags++] = xstrdup(notmuch_tags_get(tags));
		c->tags[c->n_tags] = NULL;
	}
	if (c->tags == NULL)
		c->tags = xcalloc(1, sizeof *c->tags);
	free(refs);
	return c;
}

/* The date the windows start from: the newest message ingested. */
static int64_t
store_newest_date(struct store *st)
{
	char	*value = NULL;
	int64_t	 newest = 0;

	if (notmuch_database_get_config(st->db, "ombre.newest", &value) ==
	    NOTMUCH_STATUS_SUCCESS && value != NULL)
		newest = strtoll(value, NULL, 10);
	free(value);
	if (newest <= 0)
		newest = util_now();
	return newest;
}

/* Return 1 when a query is "everything". */
static int
store_query_is_all(const char *query)
{
	while (*query == ' ')
		query++;
	return *query == '\0' || strcmp(query, "*") == 0;
}

struct store_seen {
	char	**ids;
	size_t	  n;
};

static int
store_seen_add(struct store_seen *seen, const char *id)
{
	size_t	i;

	for (i = 0; i < seen->n; i++) {
		if (strcmp(seen->ids[i], id) == 0)
			return 0;
	}
	seen->ids = xreallocarray(seen->ids, seen->n + 1, sizeof *seen->ids);
	seen->ids[seen->n++] = xstrdup(id);
	return 1;
}

enum store_status
store_query_convs(struct store *st, const char *query, long offset, long limit,
    struct store_conv ***out, size_t *n, char **cause)
{
	notmuch_query_t		*q;
	notmuch_threads_t	*threads;
	notmuch_thread_t	*thread;
	notmuch_status_t	 status;
	struct store_seen	 seen = { NULL, 0 };
	struct store_conv	**convs = NULL;
	size_t			 count = 0, w, i;
	long			 skip = offset;
	int64_t			 newest;
	char			*windowed;
	int			 all = store_query_is_all(query), retried = 0;

	*out = NULL;
	*n = 0;
	*cause = NULL;
	if (limit <= 0)
		return STORE_OK;
	newest = store_newest_date(st);
	for (w = 0; w < nitems(store_windows) && (long)count < limit; w++) {
		if (store_windows[w] == 0)
			windowed = xstrdup(all ? "*" : query);
		else if (all)
			windowed = xasprintf("date:@%" PRId64 "..",
			    newest - store_windows[w]);
		else
			windowed = xasprintf("(%s) and date:@%" PRId64 "..", query,
			    newest - store_windows[w]);
		q = notmuch_query_create(st->db, windowed);
		free(windowed);
		if (q == NULL)
			fatalx("notmuch_query_create");
		notmuch_query_set_sort(q, NOTMUCH_SORT_NEWEST_FIRST);
		notmuch_query_set_omit_excluded(q, NOTMUCH_EXCLUDE_FALSE);
		status = notmuch_query_search_threads(q, &threads);
		if (status == NOTMUCH_STATUS_XAPIAN_EXCEPTION && !retried) {
			/* Maybe a snapshot overtaken by writers: once more. */
			retried = 1;
			notmuch_query_destroy(q);
			notmuch_database_reopen(st->db, NOTMUCH_DATABASE_MODE_READ_ONLY);
			w--;
			continue;
		}
		if (status != NOTMUCH_STATUS_SUCCESS) {
			*cause = xasprintf("bad query '%s': %s", query,
			    notmuch_status_to_string(status));
			notmuch_query_destroy(q);
			for (i = 0; i < seen.n; i++)
				free(seen.ids[i]);
			free(seen.ids);
			store_convs_free(convs, count);
			return STORE_BAD_INPUT;
		}
		for (; notmuch_threads_valid(threads) && (long)count < limit;
		    notmuch_threads_move_to_next(threads)) {
			thread = notmuch_threads_get(threads);
			if (!store_seen_add(&seen,
			    notmuch_thread_get_thread_id(thread))) {
				notmuch_thread_destroy(thread);
				continue;
			}
			if (skip > 0) {
				skip--;
				notmuch_thread_destroy(thread);
				continue;
			}
			convs = xreallocarray(convs, count + 1, sizeof *convs);
			convs[count++] = store_conv_from_thread(st, thread);
			notmuch_thread_destroy(thread);
		}
		notmuch_query_destroy(q);
	}
	for (i = 0; i < seen.n; i++)
		free(seen.ids[i]);
	free(seen.ids);
	*out = convs;
	*n = count;
	return STORE_OK;
}

enum store_status
store_count_convs(struct store *st, const char *query, long *total,
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
			*cause = xasprintf("bad query '%s'", query);
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

/* Count the threads of a query, stopping at 2 (enough to say ambiguous). */
static enum store_status
store_threads_of(struct store *st, const char *query, char **first,
    int *count, char **cause)
{
	notmuch_query_t		*q;
	notmuch_threads_t	*threads;

	*first = NULL;
	*count = 0;
	q = notmuch_query_create(st->db, query);
	if (q == NULL)
		fatalx("notmuch_query_create");
	notmuch_query_set_omit_excluded(q, NOTMUCH_EXCLUDE_FALSE);
	if (notmuch_query_search_threads(q, &threads) != NOTMUCH_STATUS_SUCCESS) {
		*cause = xasprintf("bad query '%s'", query);
		notmuch_query_destroy(q);
		return STORE_BAD_INPUT;
	}
	for (; notmuch_threads_valid(threads) && *count < 2;
	    notmuch_threads_move_to_next(threads)) {
		notmuch_thread_t *t = notmuch_threads_get(threads);
		if (*count == 0)
			*first = xstrdup(notmuch_thread_get_thread_id(t));
		(*count)++;
		notmuch_thread_destroy(t);
	}
	notmuch_query_destroy(q);
	return STORE_OK;
}

/* Return 1 when a thread with this id has messages. */
static int
store_thread_exists(struct store *st, const char *thread_id)
{
	notmuch_query_t	*q;
	unsigned int	 count = 0;
	char		*query;

	query = xasprintf("thread:%s", thread_id);
	q = notmuch_query_create(st->db, query);
	free(query);
	if (q == NULL)
		fatalx("notmuch_query_create");
	if (notmuch_query_count_messages(q, &count) != NOTMUCH_STATUS_SUCCESS)
		count = 0;
	notmuch_query_destroy(q);
	return count > 0;
}

enum store_status
store_resolve_conv(struct store *st, const char *conv, char **thread_id,
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
			*cause = xasprintf("no conversation %s", id);
			return STORE_NOT_FOUND;
		}
	}
	rc = store_threads_of(st, conv, &first, &count, cause);
	if (rc != STORE_OK)
		return rc;
	if (count == 0) {
		*cause = xasprintf("no conversation matches '%s'", conv);
		return STORE_NOT_FOUND;
	}
	if (count > 1) {
		free(first);
		*cause = xasprintf("'%s' matches several conversations; name one "
		    "by the id `ombre list` shows", conv);
		return STORE_AMBIGUOUS;
	}
	*thread_id = first;
	return STORE_OK;
}

/* A canonical message for mail ombre did not write (a user's e-mail). */
static struct msg *
store_msg_from_mail(notmuch_message_t *nm, const char *thread_id)
{
	struct msg	*m;
	const char	*from, *subject;
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
	m->text = xstrdup("(e-mail: open it in your mail client)");
	m->text_len = strlen(m->text);
	return m;
}

enum store_status
store_thread_messages(struct store *st, const char *thread_id,
    struct msg ***out, size_t *n, char **cause)
{
	notmuch_query_t		*q;
	notmuch_messages_t	*msgs;
	notmuch_message_t	*nm;
	notmuch_tags_t		*tags;
	struct msg		*m, **list = NULL;
	size_t			 count = 0, i;
	char			*query, *read_cause;

	*out = NULL;
	*n = 0;
	*cause = NULL;
	query = xasprintf("thread:%s", thread_id);
	if (store_query_messages(st, query, NOTMUCH_SORT_OLDEST_FIRST, &q,
	    &msgs) != NOTMUCH_STATUS_SUCCESS) {
		*cause = xasprintf("searching %s failed", query);
		free(query);
		return STORE_DB_ERROR;
	}
	free(query);
	for (; notmuch_messages_valid(msgs); notmuch_messages_move_to_next(msgs)) {
		nm = notmuch_messages_get(msgs);
		m = store_file_read(notmuch_message_get_filename(nm), &read_cause);
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
		list = xreallocarray(list, count + 1, sizeof *list);
		list[count++] = m;
	}
	notmuch_query_destroy(q);
	*out = list;
	*n = count;
	return STORE_OK;
}

void
store_msgs_free(struct msg **msgs, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		msg_free(msgs[i]);
	free(msgs);
}
