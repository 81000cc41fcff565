/*
 * store-ingest.c: delivering messages into the Maildir and indexing them.
 *
 * Delivery follows notmuch insert: a file created O_EXCL in tmp/ under a
 * name that never comes from the message, written and fsynced, renamed
 * into new/, the directory fsynced, then indexed. Messages are batched:
 * one transaction for hundreds of messages or a fraction of a second.
 * Before a batch's files are renamed into new/, their names go to this
 * process's journal (fsynced); a writer that starts later indexes what a
 * crashed writer's journal lists, so nothing delivered is ever lost.
 *
 * The file is self-contained: the canonical JSON (less the text) sits
 * base64-encoded in X-Ombre-Meta, the text is the body, so the database
 * can be rebuilt from the Maildir and `show --json` prints what came in.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "store/store-private.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

/* notmuch keeps properties as Xapian terms, which cannot pass 245 bytes. */
#define STORE_PROPERTY_MAX 200
/* store-insights.c reads a shorter snippet as the whole text. */
_Static_assert(STORE_SNIPPET_MAX == STORE_PROPERTY_MAX, "snippet's cut");
/* tmp/ files a batch keeps open for one fsync pass at its flush. */
#define STORE_TMP_OPEN_MAX 256

/* The status of a failed write: a full disk is told apart. */
static enum store_status
store_errno_status(int err)
{
	return err == ENOSPC || err == EDQUOT ? STORE_FULL : STORE_IO_ERROR;
}

static const char store_b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Append data as base64, folded into header continuation lines. */
static void
store_b64_encode(struct buf *b, const unsigned char *data, size_t len, int fold)
{
	size_t		i, col = 0;
	uint32_t	v;

	for (i = 0; i < len; i += 3) {
		v = (uint32_t)data[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)data[i + 1] << 8;
		if (i + 2 < len)
			v |= data[i + 2];
		buf_add_char(b, store_b64[(v >> 18) & 63]);
		buf_add_char(b, store_b64[(v >> 12) & 63]);
		buf_add_char(b, i + 1 < len ? store_b64[(v >> 6) & 63] : '=');
		buf_add_char(b, i + 2 < len ? store_b64[v & 63] : '=');
		col += 4;
		if (fold && col >= 72 && i + 3 < len) {
			buf_add_str(b, "\n ");
			col = 0;
		}
	}
}

/* Decode base64, skipping white space; return -1 on a bad character. */
static int
store_b64_decode(const char *s, size_t len, struct buf *out)
{
	uint32_t	v = 0;
	int		bits = 0;
	size_t		i;
	const char	*p;

	for (i = 0; i < len; i++) {
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')
			continue;
		if (s[i] == '=')
			break;
		p = memchr(store_b64, s[i], 64);
		if (p == NULL || s[i] == '\0')
			return -1;
		v = (v << 6) | (uint32_t)(p - store_b64);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf_add_char(out, (char)((v >> bits) & 0xff));
		}
	}
	return 0;
}

/* Append text as RFC 2047 encoded words, so notmuch indexes any name. */
static void
store_add_encoded_words(struct buf *b, const char *text)
{
	size_t		len, start, end, n;
	uint32_t	cp;

	len = strlen(text);
	for (start = 0; start < len; start = end) {
		/* Cut on character boundaries, 45 bytes per word at most. */
		end = start;
		while (end < len) {
			n = utf8_decode(text + end, len - end, &cp);
			if (end + n - start > 45)
				break;
			end += n;
		}
		if (end == start)
			end = start + 1;
		if (start != 0)
			buf_add_str(b, "\n ");
		buf_add_str(b, "=?UTF-8?B?");
		store_b64_encode(b, (const unsigned char *)text + start,
		    end - start, 0);
		buf_add_str(b, "?=");
	}
}

/* Append a header value: as it is when printable ASCII, else encoded. */
static void
store_add_header_value(struct buf *b, const char *value)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)value; *p != '\0'; p++) {
		if (*p < 0x20 || *p > 0x7e) {
			store_add_encoded_words(b, value);
			return;
		}
	}
	buf_add_str(b, value);
}

/* Append an address local part: atext as it is, other bytes as =XX. */
static void
store_add_local_part(struct buf *b, const char *id)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)id; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("+-_", *p) != NULL)
			buf_add_char(b, (char)*p);
		else
			buf_add_printf(b, "=%02X", *p);
	}
}

/* Build the whole message file for m. */
static void
store_format_file(struct buf *b, const struct msg *m, const char *msgid)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu",
	    "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr",
	    "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct msg	 meta;
	struct tm	 tm;
	time_t		 t;
	char		*root, *json;
	int		 off;

	root = msgid_thread(m->channel, m->account, m->conv_id);
	buf_add_printf(b, "Message-Id: <%s>\nReferences: <%s>", msgid, root);
	free(root);
	/* A reply to the user's own e-mail is threaded with the mail it
	 * answers (a Message-Id: nothing but what one may hold). */
	if (strcmp(m->channel, "email") == 0 && m->reply_to != NULL &&
	    *m->reply_to != '\0' && strpbrk(m->reply_to, "<> \t\r\n") == NULL)
		buf_add_printf(b, " <%s>", m->reply_to);
	buf_add_char(b, '\n');

	t = (time_t)(m->date + m->date_offset);
	gmtime_r(&t, &tm);
	off = m->date_offset / 60;
	buf_add_printf(b, "Date: %s, %d %s %04d %02d:%02d:%02d %c%02d%02d\n",
	    days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900,
	    tm.tm_hour, tm.tm_min, tm.tm_sec, off < 0 ? '-' : '+',
	    abs(off) / 60, abs(off) % 60);

	buf_add_str(b, "From: ");
	if (m->from_name != NULL && *m->from_name != '\0') {
		store_add_encoded_words(b, m->from_name);
		buf_add_char(b, ' ');
	}
	buf_add_char(b, '<');
	store_add_local_part(b, m->from_id);
	buf_add_printf(b, "@%s.ombre>\n", m->channel);
	buf_add_str(b, "Subject: ");
	store_add_header_value(b, m->conv_title != NULL ? m->conv_title :
	    m->conv_id);
	buf_add_printf(b, "\nX-Ombre-Channel: %s\nX-Ombre-Account: ", m->channel);
	store_add_header_value(b, m->account);
	buf_add_printf(b, "\nX-Ombre-Kind: %s\n", msg_kind_name(m->kind));

	/* The canonical JSON without the text, which is the body. */
	meta = *m;
	meta.text = NULL;
	meta.text_len = 0;
	json = json_msg_format(&meta);
	buf_add_str(b, "X-Ombre-Meta: ");
	store_b64_encode(b, (const unsigned char *)json, strlen(json), 1);
	free(json);
	buf_add_str(b, "\nMIME-Version: 1.0\n"
	    "Content-Type: text/plain; charset=utf-8\n"
	    "Content-Transfer-Encoding: 8bit\n\n");
	if (m->text != NULL)
		buf_add(b, m->text, m->text_len);
}

/* Find a header in a header block (unfolded value, allocated) or NULL. */
static char *
store_header_get(const char *head, size_t len, const char *name)
{
	size_t		 nlen = strlen(name), i = 0, j;
	struct buf	 value;

	while (i < len) {
		if (len - i > nlen && strncasecmp(head + i, name, nlen) == 0 &&
		    head[i + nlen] == ':') {
			buf_init(&value);
			j = i + nlen + 1;
			for (;;) {
				while (j < len && head[j] != '\n')
					buf_add_char(&value, head[j++]);
				if (j + 1 < len && (head[j + 1] == ' ' ||
				    head[j + 1] == '\t')) {
					j++;
					continue;
				}
				break;
			}
			return buf_steal(&value);
		}
		while (i < len && head[i] != '\n')
			i++;
		i++;
	}
	return NULL;
}

struct msg *
store_file_read(const char *path, char **cause)
{
	struct buf	 data, json;
	struct msg	*m;
	char		 chunk[65536], *meta, *body, *sub;
	ssize_t		 n;
	size_t		 head_len;
	int		 fd;

	*cause = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return NULL;
	}
	buf_init(&data);
	while ((n = read(fd, chunk, sizeof chunk)) > 0)
		buf_add(&data, chunk, (size_t)n);
	close(fd);
	if (n < 0) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		buf_free(&data);
		return NULL;
	}
	body = data.len > 0 ? strstr(data.data, "\n\n") : NULL;
	head_len = body != NULL ? (size_t)(body - data.data) + 1 : data.len;
	meta = store_header_get(data.data, head_len, "X-Ombre-Meta");
	if (meta == NULL) {
		*cause = xasprintf(_("%s: not a message written by ombre"),
		    path);
		buf_free(&data);
		return NULL;
	}
	buf_init(&json);
	if (store_b64_decode(meta, strlen(meta), &json) != 0 ||
	    (m = json_msg_parse(json.data, json.len, &sub)) == NULL) {
		if (*cause == NULL)
			*cause = xasprintf(_("%s: bad X-Ombre-Meta header"),
			    path);
		free(meta);
		buf_free(&json);
		buf_free(&data);
		return NULL;
	}
	free(meta);
	buf_free(&json);
	if (body != NULL) {
		body += 2;
		m->text_len = data.len - (size_t)(body - data.data);
		m->text = xmalloc(m->text_len + 1);
		memcpy(m->text, body, m->text_len);
		m->text[m->text_len] = '\0';
	}
	buf_free(&data);
	return m;
}

/*
 * Write data to a new file in tmp/; return its name. While fewer than
 * STORE_TMP_OPEN_MAX files wait, its fsync waits for the batch's flush
 * and *fdp keeps it open (its writeback started now); else it is
 * fsynced here and *fdp is -1.
 *
 * Why: on ext4 each fsync of a new file commits the journal. Started
 * together and fsynced in a row, a page's files share one commit, where
 * fsyncing each as it is written costs one commit a message. Every file
 * is still fsynced before it is renamed into new/.
 */
static char *
store_write_tmp(struct store *st, const struct buf *data, int *fdp, int *err,
    char **cause)
{
	struct timeval	 tv;
	char		*name, *path;
	int		 fd = -1, closed;
	size_t		 off;
	ssize_t		 n;

	for (;;) {
		gettimeofday(&tv, NULL);
		name = xasprintf("%lld.M%06ldP%ldQ%lu.%s", (long long)tv.tv_sec,
		    (long)tv.tv_usec, (long)getpid(), ++st->counter, st->host);
		path = xasprintf("%s/tmp/%s", st->maildir, name);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
		    st->file_mode);
		if (fd != -1)
			break;
		if (errno != EEXIST) {
			*err = errno;
			*cause = xasprintf("%s: %s", path, strerror(errno));
			free(name);
			free(path);
			return NULL;
		}
		free(name);
		free(path);
	}
	for (off = 0; off < data->len; off += (size_t)n) {
		n = write(fd, data->data + off, data->len - off);
		if (n < 0) {
			if (errno == EINTR) {
				n = 0;
				continue;
			}
			break;
		}
	}
	*fdp = -1;
	if (off == data->len && st->n_tmp_open < STORE_TMP_OPEN_MAX) {
#ifdef SYNC_FILE_RANGE_WRITE
		sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
#endif
		st->n_tmp_open++;
		*fdp = fd;
		free(path);
		return name;
	}
	closed = off == data->len && fsync(fd) == 0 ? close(fd) : -2;
	if (closed != 0) {
		*err = errno;
		*cause = xasprintf("%s: %s", path, strerror(errno));
		if (closed == -2)
			close(fd);
		unlink(path);
		free(name);
		free(path);
		return NULL;
	}
	free(path);
	return name;
}

/* Close a tmp/ file whose fsync waits, when it is dropped unsynced. */
static void
store_tmp_close(struct store *st, struct store_pending *p)
{
	if (p->tmp_fd == -1)
		return;
	close(p->tmp_fd);
	p->tmp_fd = -1;
	st->n_tmp_open--;
}

/* The fsyncs store_write_tmp left to the flush; errno set on failure. */
static int
store_tmp_sync(struct store *st, char **cause)
{
	struct store_pending	*p;
	size_t			 i;
	int			 err;

	for (i = 0; i < st->n_pending; i++) {
		p = &st->pending[i];
		if (p->tmp_fd == -1)
			continue;
		if (fsync(p->tmp_fd) != 0) {
			err = errno;
			*cause = xasprintf("%s: %s", p->tmp_path, strerror(err));
			errno = err;
			return -1;
		}
		store_tmp_close(st, p);
	}
	return 0;
}

static void
store_pending_free(struct store *st, struct store_pending *p)
{
	store_tmp_close(st, p);
	free(p->msgid);
	free(p->tmp_path);
	free(p->new_path);
	free(p->name);
	free(p->turn);
	msg_free(p->msg);
}

static struct store_pending *
store_pending_add(struct store *st)
{
	struct store_pending	*p;

	if (st->n_pending == st->pending_size) {
		st->pending_size = st->pending_size == 0 ? 64 : st->pending_size * 2;
		st->pending = xreallocarray(st->pending, st->pending_size,
		    sizeof *st->pending);
	}
	p = &st->pending[st->n_pending++];
	memset(p, 0, sizeof *p);
	p->tmp_fd = -1;
	return p;
}

/*
 * Forget a batch that failed before it was delivered: its tmp/ files are
 * removed (nothing half written is left behind), the messages already
 * renamed into new/ stay (they are journalled: the next writer indexes
 * them).
 */
static void
store_batch_drop(struct store *st)
{
	size_t	i;

	for (i = 0; i < st->n_pending; i++) {
		if (st->pending[i].tmp_path != NULL)
			unlink(st->pending[i].tmp_path);
		store_pending_free(st, &st->pending[i]);
	}
	st->n_pending = 0;
}

size_t
store_pending_count(struct store *st)
{
	return st->n_pending;
}

enum store_status
store_ingest(struct store *st, const struct msg *m, char **cause)
{
	notmuch_message_t	*existing = NULL;
	struct store_pending	*p;
	struct buf		 data;
	struct msg		*copy;
	char			*msgid, *name;
	size_t			 i;
	int			 err = 0, fd;
	enum store_status	 rc;

	*cause = NULL;
	if (st->mode == STORE_READ_ONLY)
		fatalx(_("store_ingest on a read-only store"));
	msgid = msgid_message(m->channel, m->account, m->conv_id, m->id);
	for (i = 0; i < st->n_pending; i++) {
		if (strcmp(st->pending[i].msgid, msgid) == 0) {
			free(msgid);
			st->stats.duplicates++;
			return STORE_DUPLICATE;
		}
	}
	if (st->db != NULL && notmuch_database_find_message(st->db, msgid,
	    &existing) == NOTMUCH_STATUS_SUCCESS && existing != NULL) {
		notmuch_message_destroy(existing);
		free(msgid);
		st->stats.duplicates++;
		return STORE_DUPLICATE;
	}
	/* What the index is built from; a message whose fields cannot be
	 * written back (a date out of range) is refused before any write. */
	if ((copy = json_msg_copy(m, cause)) == NULL) {
		free(msgid);
		st->stats.failed++;
		return STORE_BAD_INPUT;
	}

	buf_init(&data);
	store_format_file(&data, m, msgid);
	name = store_write_tmp(st, &data, &fd, &err, cause);
	buf_free(&data);
	if (name == NULL) {
		free(msgid);
		msg_free(copy);
		st->stats.failed++;
		/* The batch is lost with this one: none of it stays half
		 * written, and the caller keeps all of it. */
		store_batch_drop(st);
		return store_errno_status(err);
	}
	if (st->n_pending == 0)
		st->batch_start_ms = util_clock_ms();
	p = store_pending_add(st);
	p->msgid = msgid;
	p->name = name;
	p->tmp_fd = fd;
	p->tmp_path = xasprintf("%s/tmp/%s", st->maildir, name);
	p->new_path = xasprintf("%s/new/%s", st->maildir, name);
	p->msg = copy;

	if ((int)st->n_pending >= st->opts.batch_messages ||
	    util_clock_ms() - st->batch_start_ms >= st->opts.batch_ms) {
		rc = store_flush(st, cause);
		if (rc != STORE_OK)
			return rc;
	}
	return STORE_OK;
}

/* Open this process's journal (once; again after store_deliver_release),
 * locked while it is ours: a journal nobody holds is recovered. */
static int
store_journal_open(struct store *st, int *err, char **cause)
{
	struct timespec	ts;

	if (st->journal_fd != -1)
		return 0;
	/* Named by the wall clock first: recovery takes them in order. */
	free(st->journal_path);
	clock_gettime(CLOCK_REALTIME, &ts);
	st->journal_path = xasprintf("%s/%013lld.%ld.%lu.%s.jnl",
	    st->journal_dir, (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000,
	    (long)getpid(), ++st->counter, st->host);
	st->journal_fd = open(st->journal_path, O_RDWR | O_CREAT | O_EXCL |
	    O_APPEND | O_CLOEXEC, st->file_mode);
	if (st->journal_fd == -1 || flock(st->journal_fd, LOCK_EX) != 0 ||
	    util_fsync_dir(st->journal_dir) != 0) {
		*err = errno;
		*cause = xasprintf("%s: %s", st->journal_path, strerror(errno));
		if (st->journal_fd != -1) {
			close(st->journal_fd);
			unlink(st->journal_path);
		}
		st->journal_fd = -1;
		return -1;
	}
	st->journal_dirty = 0;
	return 0;
}

/*
 * Let go of this process's journal: what it lists and nobody indexed is
 * then recovered by the next read-write open (the next flush starts a
 * new journal).
 */
static void
store_journal_release(struct store *st)
{
	if (st->journal_fd == -1)
		return;
	if (!st->journal_dirty)
		unlink(st->journal_path);
	close(st->journal_fd);
	st->journal_fd = -1;
}

size_t
store_deliver_release(struct store *st)
{
	size_t	n = st->delivered;

	store_journal_release(st);
	st->delivered = 0;
	return n;
}

/*
 * The conversation-level tags of a thread's newest message other than
 * self_id into *out, NULL when the thread has no other message. Return
 * the search's status: tags taken from a failed one would be wrong.
 */
static notmuch_status_t
store_thread_tags(struct store *st, const char *thread_id, const char *self_id,
    char ***out)
{
	notmuch_query_t		*q;
	notmuch_messages_t	*msgs;
	notmuch_message_t	*nm;
	notmuch_tags_t		*tags;
	notmuch_status_t	 status;
	char			*query;
	size_t			 n = 0;
	const char		*tag;

	*out = NULL;
	query = xasprintf("thread:%s", thread_id);
	status = store_query_messages(st, query, NOTMUCH_SORT_NEWEST_FIRST, &q,
	    &msgs);
	free(query);
	if (status != NOTMUCH_STATUS_SUCCESS)
		return status;
	for (; notmuch_messages_valid(msgs); notmuch_messages_move_to_next(msgs)) {
		if ((nm = notmuch_messages_get(msgs)) == NULL) {
			status = NOTMUCH_STATUS_XAPIAN_EXCEPTION;
			break;
		}
		if (strcmp(notmuch_message_get_message_id(nm), self_id) == 0)
			continue;
		*out = xcalloc(1, sizeof **out);
		for (tags = notmuch_message_get_tags(nm); notmuch_tags_valid(tags);
		    notmuch_tags_move_to_next(tags)) {
			tag = notmuch_tags_get(tags);
			if (!triage_tag_is_conversation(tag))
				continue;
			*out = xreallocarray(*out, n + 2, sizeof **out);
			(*out)[n++] = xstrdup(tag);
			(*out)[n] = NULL;
		}
		break;
	}
	notmuch_query_destroy(q);
	return status;
}

/*
 * Apply conversation operations (a diff of triage_conv_diff) to every
 * message of a thread, and keep the snooze's time with it: set on all
 * when until is not 0, removed when the operations take ombre/snoozed
 * off. Inside the batch's transaction; *what as store_thread_edit says.
 */
static notmuch_status_t
store_thread_apply(struct store *st, const char *thread_id, char *const *ops,
    int64_t until, char **what)
{
	const char	*key = NULL;
	char		 value[32];

	if (until != 0) {
		snprintf(value, sizeof value, "%lld", (long long)until);
		key = "ombre.snooze-until";
	} else if (triage_tags_have(ops, "-ombre/snoozed"))
		key = "ombre.snooze-until";
	if (ops[0] == NULL && key == NULL)
		return NOTMUCH_STATUS_SUCCESS;
	return store_thread_edit(st, thread_id, (const char *const *)ops,
	    triage_tags_count(ops), key, until != 0 ? value : NULL, what);
}

/*
 * The stable query (notmuch-emacs's): does the thread hold a customer
 * message the agent did not see when closing it? Such a message arrived
 * after the agent looked, so the conversation stays in the Inbox.
 */
static notmuch_status_t
store_thread_unseen(struct store *st, const char *thread_id,
    char *const *seen, int *unseen)
{
	notmuch_query_t		*q;
	notmuch_messages_t	*msgs;
	notmuch_message_t	*nm;
	notmuch_status_t	 status;
	char			*query;

	*unseen = 0;
	query = xasprintf("thread:%s and property:ombre.kind=customer",
	    thread_id);
	status = store_query_messages(st, query, NOTMUCH_SORT_UNSORTED, &q,
	    &msgs);
	free(query);
	if (status != NOTMUCH_STATUS_SUCCESS)
		return status;
	for (; notmuch_messages_valid(msgs); notmuch_messages_move_to_next(msgs)) {
		if ((nm = notmuch_messages_get(msgs)) == NULL) {
			status = NOTMUCH_STATUS_XAPIAN_EXCEPTION;
			break;
		}
		if (!triage_tags_have(seen, notmuch_message_get_message_id(nm)))
			*unseen = 1;
		notmuch_message_destroy(nm);
		if (*unseen)
			break;
	}
	notmuch_query_destroy(q);
	return status;
}

/* Note a line of the feed for after the commit (store_feed_append). */
static void
store_feed_note(struct store *st, const char *event, const char *thread_id,
    const char *msgid)
{
	buf_add_printf(&st->feed, "%s %s %s\n", event, thread_id, msgid);
}

/*
 * Add a property to those index_one sets when it fits in
 * STORE_PROPERTY_MAX bytes with its key (the file keeps it all); a text
 * (cut not NULL) is cut to STORE_PROPERTY_MAX bytes instead, in *cut.
 */
static void
store_property_add(struct store_property *props, size_t *n, const char *key,
    const char *value, char **cut)
{
	if (value == NULL)
		return;
	/* A NUL in the text ends the value early. */
	if (cut != NULL)
		value = *cut = store_text_cut(value, strlen(value),
		    STORE_PROPERTY_MAX);
	else if (strlen(key) + strlen(value) > STORE_PROPERTY_MAX)
		return;
	props[*n].key = key;
	props[(*n)++].value = value;
}

/* The number of files a message has. */
static int
store_message_file_count(notmuch_message_t *nm)
{
	notmuch_filenames_t	*names;
	int			 n = 0;

	for (names = notmuch_message_get_filenames(nm);
	    notmuch_filenames_valid(names); notmuch_filenames_move_to_next(names))
		n++;
	notmuch_filenames_destroy(names);
	return n;
}

static struct store_thread_cache *
store_thread_cache_find(struct store *st, const char *thread_id)
{
	size_t	i;

	for (i = st->n_cache; i > 0; i--)	/* the latest first */
		if (strcmp(st->cache[i - 1].thread_id, thread_id) == 0)
			return &st->cache[i - 1];
	return NULL;
}

void
store_thread_cache_clear(struct store *st)
{
	size_t	i;

	for (i = 0; i < st->n_cache; i++) {
		free(st->cache[i].thread_id);
		triage_tags_free(st->cache[i].tags);
	}
	free(st->cache);
	st->cache = NULL;
	st->n_cache = 0;
}

/*
 * Index one delivered file with its tags and properties, inside the
 * batch's transaction. Return STORE_OK, STORE_DUPLICATE, or
 * STORE_DB_ERROR with *failed the libnotmuch status and *what (allocated)
 * what failed: the caller then discards the transaction.
 */
static enum store_status
store_index_one(struct store *st, struct store_pending *p,
    notmuch_status_t *failed, char **what)
{
	notmuch_message_t	*nm;
	notmuch_status_t	 status;
	const char		*thread_id;
	char			**thread_tags, **tags, **ops;
	char			*reply_to = NULL, *edit_of = NULL;
	char			*title = NULL, *snippet = NULL, *reason = NULL;
	char			*preview;
	size_t			 i, n, n_props = 0;
	int			 reopen, unseen, csat = 0;
	int64_t			 until;
	char			**diff, *ops_none[] = { NULL };
	const struct msg	*m = p->msg;
	const char		*kind = NULL;
	struct store_thread_cache *cached;
	struct store_property	 props[16];
	struct rule_match	 match;
	const char		*bot_reason = NULL;
	int			 ruled = 0;

	status = notmuch_database_index_file(st->db, p->new_path, NULL, &nm);
	if (status == NOTMUCH_STATUS_DUPLICATE_MESSAGE_ID) {
		if (store_message_file_count(nm) > 1) {
			/* Another writer stored it between our check and now. */
			notmuch_message_destroy(nm);
			status = notmuch_database_remove_message(st->db,
			    p->new_path);
			if (status != NOTMUCH_STATUS_SUCCESS &&
			    status != NOTMUCH_STATUS_DUPLICATE_MESSAGE_ID) {
				*what = xasprintf("forgetting the duplicate "
				    "%s", p->new_path);
				*failed = status;
				st->stats.failed++;
				return STORE_DB_ERROR;
			}
			unlink(p->new_path);
			st->stats.duplicates++;
			return STORE_DUPLICATE;
		}
		/* Our own file, indexed first by a user's `notmuch new`: it
		 * counts as delivered, and still gets ombre's tags. */
		if (notmuch_message_get_property(nm, "ombre.kind", &kind) ==
		    NOTMUCH_STATUS_SUCCESS && kind != NULL) {
			notmuch_message_destroy(nm);
			/* A journal's file indexed before its writer died is
			 * no duplicate a sender made. */
			if (!p->recovered)
				st->stats.duplicates++;
			return STORE_DUPLICATE;
		}
		status = NOTMUCH_STATUS_SUCCESS;
	}
	if (status != NOTMUCH_STATUS_SUCCESS) {
		*what = xasprintf("indexing %s", p->new_path);
		*failed = status;
		st->stats.failed++;
		return STORE_DB_ERROR;
	}
	thread_id = notmuch_message_get_thread_id(nm);
	if ((cached = store_thread_cache_find(st, thread_id)) != NULL)
		thread_tags = triage_tags_copy(cached->tags);
	else {
		status = store_thread_tags(st, thread_id, p->msgid,
		    &thread_tags);
		if (status != NOTMUCH_STATUS_SUCCESS) {
			*what = xasprintf("searching the conversation of %s",
			    p->new_path);
			*failed = status;
			notmuch_message_destroy(nm);
			st->stats.failed++;
			return STORE_DB_ERROR;
		}
	}
	tags = triage_ingest_tags(m, thread_tags, &reopen);
	/* A survey's answer (store-bot.c): a csat event, still closed. */
	if (m->kind == MSG_CUSTOMER && !p->generated &&
	    triage_tags_have(thread_tags, "ombre/done")) {
		status = store_bot_survey_answer(st, thread_id, p->msgid, m,
		    &csat);
		if (status != NOTMUCH_STATUS_SUCCESS) {
			*what = xasprintf("reading the survey of the "
			    "conversation of %s", p->new_path);
			*failed = status;
			triage_tags_free(tags);
			triage_tags_free(thread_tags);
			notmuch_message_destroy(nm);
			st->stats.failed++;
			return STORE_DB_ERROR;
		}
		if (csat)
			tags = triage_tags_settle(tags, TRIAGE_SETTLE_CLOSED);
	}
	/* An agent closing what a customer wrote to since: still open. */
	if (m->kind == MSG_EVENT && m->seen != NULL && thread_tags != NULL &&
	    !triage_tags_have(tags, "inbox")) {
		status = store_thread_unseen(st, thread_id, m->seen, &unseen);
		if (status != NOTMUCH_STATUS_SUCCESS) {
			*what = xasprintf("searching the conversation of %s",
			    p->new_path);
			*failed = status;
			triage_tags_free(tags);
			triage_tags_free(thread_tags);
			notmuch_message_destroy(nm);
			st->stats.failed++;
			return STORE_DB_ERROR;
		}
		if (unseen)
			tags = triage_tags_settle(tags, TRIAGE_SETTLE_REOPEN);
	}
	/* The handoff rules and the built-in bot (core's policy), on what
	 * arrives, never on what they wrote themselves. */
	if (!p->generated && !csat &&
	    !(m->kind == MSG_BOT && msgid_is_outbound(m->id))) {
		ruled = triage_rules(m, triage_channel_bot(m->channel,
		    m->account), &tags, &match);
		if (ruled)
			store_rules_handoff(st, m, p->msgid, match.reason,
			    match.high);
		else if (m->kind == MSG_CUSTOMER && triage_mode(tags,
		    triage_tags_count(tags)) == TRIAGE_MODE_BOT) {
			status = store_bot_answer(st, thread_id, p->msgid, m,
			    thread_tags == NULL, &bot_reason);
			if (status != NOTMUCH_STATUS_SUCCESS) {
				*what = xasprintf("reading what the bot said in "
				    "the conversation of %s", p->new_path);
				*failed = status;
				triage_tags_free(tags);
				triage_tags_free(thread_tags);
				notmuch_message_destroy(nm);
				st->stats.failed++;
				return STORE_DB_ERROR;
			}
			if (bot_reason != NULL) {
				store_rules_handoff(st, m, p->msgid, bot_reason,
				    0);
				ruled = 1;
			}
		}
	}
	/* The alert rules (store-bot.c), on what arrives, once a rule and
	 * conversation: tags holds the ombre/alert/ tags of those that
	 * fired, and a survey's answer is no threat. */
	if (!p->generated && !csat && m->kind != MSG_EVENT &&
	    !(m->kind == MSG_BOT && msgid_is_outbound(m->id)))
		store_alerts(st, m, tags);
	/* A close asks the survey's question (store-bot.c). */
	if (m->kind == MSG_EVENT && m->event != NULL && !p->generated &&
	    strcmp(m->event, "closed") == 0 &&
	    triage_tags_have(tags, "ombre/done")) {
		status = store_bot_survey_ask(st, thread_id, p->msgid, m);
		if (status != NOTMUCH_STATUS_SUCCESS) {
			*what = xasprintf("reading the survey of the "
			    "conversation of %s", p->new_path);
			*failed = status;
			triage_tags_free(tags);
			triage_tags_free(thread_tags);
			notmuch_message_destroy(nm);
			st->stats.failed++;
			return STORE_DB_ERROR;
		}
	}
	/* Whatever led here, one mode (an undo after a rule fired). */
	tags = triage_one_mode(tags);
	n = triage_tags_count(tags);
	ops = xcalloc(n + 1, sizeof *ops);
	for (i = 0; i < n; i++)
		ops[i] = xasprintf("+%s", tags[i]);
	store_property_add(props, &n_props, "ombre.kind",
	    msg_kind_name(m->kind), NULL);
	store_property_add(props, &n_props, "ombre.native-id", m->id, NULL);
	store_property_add(props, &n_props, "ombre.conv-id", m->conv_id, NULL);
	/* What a row of the list shows, so drawing one reads no file. */
	store_property_add(props, &n_props, "ombre.channel", m->channel, NULL);
	store_property_add(props, &n_props, "ombre.account", m->account, NULL);
	store_property_add(props, &n_props, "ombre.title", m->conv_title,
	    &title);
	/* An e-mail's row shows its preview: no attribution, quote or
	 * signature (mail-text.c); the text itself when that is all. */
	preview = strcmp(m->channel, "email") == 0 && m->text != NULL ?
	    mail_preview(m->text, m->text_len) : NULL;
	store_property_add(props, &n_props, "ombre.snippet", preview != NULL ?
	    preview : m->text != NULL ? m->text : "", &snippet);
	free(preview);
	if (m->reply_to != NULL) {
		reply_to = msgid_message(m->channel, m->account, m->conv_id,
		    m->reply_to);
		store_property_add(props, &n_props, "ombre.reply-to", reply_to,
		    NULL);
	}
	if (m->edit_of != NULL) {
		edit_of = msgid_message(m->channel, m->account, m->conv_id,
		    m->edit_of);
		store_property_add(props, &n_props, "ombre.edit-of", edit_of,
		    NULL);
	}
	store_property_add(props, &n_props, "ombre.entities", m->entities,
	    NULL);
	store_property_add(props, &n_props, "ombre.lang", m->lang, NULL);
	store_property_add(props, &n_props, STORE_BOT_TURN, p->turn, NULL);
	store_property_add(props, &n_props, "ombre.event", m->event, NULL);
	store_property_add(props, &n_props, "ombre.reason", m->reason,
	    &reason);
	/* A bot's answer the bot wrote goes out like an agent's reply. */
	if (m->kind == MSG_BOT && msgid_is_outbound(m->id) &&
	    triage_tags_have(m->tags, "+ombre/outbox"))
		store_property_add(props, &n_props, "ombre.outbox", "queued",
		    NULL);
	status = store_message_edit(nm, (const char *const *)ops, n, props,
	    n_props);
	for (i = 0; i < n; i++)
		free(ops[i]);
	free(ops);
	free(title);
	free(snippet);
	free(reason);
	free(reply_to);
	free(edit_of);
	if (status != NOTMUCH_STATUS_SUCCESS)
		*what = xasprintf("tagging %s", p->new_path);
	else if (thread_tags != NULL) {
		/* A conversation's state is a fact of all its messages. */
		diff = triage_conv_diff(thread_tags, tags);
		until = m->kind == MSG_EVENT &&
		    triage_tags_have(tags, "ombre/snoozed") ? m->until : 0;
		status = store_thread_apply(st, thread_id, diff, until, what);
		triage_tags_free(diff);
	} else if (m->kind == MSG_EVENT && m->until != 0 &&
	    triage_tags_have(tags, "ombre/snoozed"))
		status = store_thread_apply(st, thread_id, ops_none, m->until,
		    what);
	if (status != NOTMUCH_STATUS_SUCCESS) {
		triage_tags_free(tags);
		triage_tags_free(thread_tags);
		notmuch_message_destroy(nm);
		*failed = status;
		st->stats.failed++;
		return STORE_DB_ERROR;
	}
	/* What the syncer's hooks and the consoles' bell hear of. */
	if (m->kind == MSG_EVENT && m->event != NULL)
		store_feed_note(st, m->event, thread_id, p->msgid);
	else if (!ruled && triage_tags_have(tags, "ombre/handoff") &&
	    !triage_tags_have(thread_tags, "ombre/handoff"))
		store_feed_note(st, "handoff", thread_id, p->msgid);
	if (m->kind == MSG_CUSTOMER)
		store_feed_note(st, "message", thread_id, p->msgid);
	triage_tags_free(thread_tags);

	/* Remember the conversation's tags for its next message. */
	if (cached == NULL) {
		st->cache = xreallocarray(st->cache, st->n_cache + 1,
		    sizeof *st->cache);
		cached = &st->cache[st->n_cache++];
		cached->thread_id = xstrdup(thread_id);
	} else
		triage_tags_free(cached->tags);
	cached->tags = xcalloc(n + 1, sizeof *cached->tags);
	for (i = 0, n = 0; tags[i] != NULL; i++) {
		if (triage_tag_is_conversation(tags[i]))
			cached->tags[n++] = xstrdup(tags[i]);
	}
	triage_tags_free(tags);
	notmuch_message_destroy(nm);
	/* Events are left out, as the windows' queries leave them out: an
	 * agent's triage today must not start them past the messages. */
	if (m->kind != MSG_EVENT && m->date > st->newest_date)
		st->newest_date = m->date;
	st->stats.stored++;
	return STORE_OK;
}

/*
 * Deliver what indexing a message generated (store-bot.c) and put it in
 * the batch at pos, so that it is indexed next, in the same transaction.
 * Each file is fsynced, journalled and renamed into new/ first, as any
 * message: a crash leaves it to the recovery, whose indexing of the
 * message that caused it finds it a duplicate. 0, or -1 with *err and
 * *cause.
 */
static int
store_generated_deliver(struct store *st, size_t pos, int *err, char **cause)
{
	struct store_pending	 fresh;
	notmuch_message_t	*existing;
	struct buf		 data, line;
	char			*msgid, *name, *newdir;
	size_t			 i, j;
	int			 fd, dup;

	*cause = NULL;
	for (i = 0; i < st->n_generated; i++) {
		const struct msg *m = st->generated[i].msg;

		msgid = msgid_message(m->channel, m->account, m->conv_id,
		    m->id);
		dup = 0;
		for (j = 0; j < st->n_pending && !dup; j++)
			dup = strcmp(st->pending[j].msgid, msgid) == 0;
		existing = NULL;
		if (!dup && notmuch_database_find_message(st->db, msgid,
		    &existing) == NOTMUCH_STATUS_SUCCESS && existing != NULL) {
			notmuch_message_destroy(existing);
			dup = 1;
		}
		if (dup) {
			free(msgid);
			continue;
		}
		buf_init(&data);
		store_format_file(&data, m, msgid);
		name = store_write_tmp(st, &data, &fd, err, cause);
		buf_free(&data);
		if (name == NULL) {
			free(msgid);
			return -1;
		}
		memset(&fresh, 0, sizeof fresh);
		fresh.tmp_fd = -1;
		fresh.msgid = msgid;
		fresh.name = name;
		fresh.tmp_path = xasprintf("%s/tmp/%s", st->maildir, name);
		fresh.new_path = xasprintf("%s/new/%s", st->maildir, name);
		fresh.generated = 1;
		fresh.turn = st->generated[i].turn;
		st->generated[i].turn = NULL;
		fresh.msg = st->generated[i].msg;
		st->generated[i].msg = NULL;
		if (fd != -1) {
			fresh.tmp_fd = fd;
			if (fsync(fd) != 0) {
				*err = errno;
				*cause = xasprintf("%s: %s", fresh.tmp_path,
				    strerror(errno));
				unlink(fresh.tmp_path);
				store_pending_free(st, &fresh);
				return -1;
			}
			store_tmp_close(st, &fresh);
		}
		buf_init(&line);
		buf_add_printf(&line, "%s\n", name);
		if (write(st->journal_fd, line.data, line.len) !=
		    (ssize_t)line.len || fsync(st->journal_fd) != 0 ||
		    rename(fresh.tmp_path, fresh.new_path) != 0) {
			*err = errno;
			*cause = xasprintf(_("delivering %s: %s"),
			    fresh.new_path, strerror(errno));
			buf_free(&line);
			unlink(fresh.tmp_path);
			store_pending_free(st, &fresh);
			return -1;
		}
		buf_free(&line);
		st->journal_dirty = 1;
		free(fresh.tmp_path);
		fresh.tmp_path = NULL;
		newdir = xasprintf("%s/new", st->maildir);
		if (util_fsync_dir(newdir) != 0) {
			*err = errno;
			*cause = xasprintf("%s: %s", newdir, strerror(errno));
			free(newdir);
			store_pending_free(st, &fresh);
			return -1;
		}
		free(newdir);
		/* In the batch at pos: indexed next. */
		store_pending_add(st);
		memmove(&st->pending[pos + 1], &st->pending[pos],
		    (st->n_pending - 1 - pos) * sizeof *st->pending);
		st->pending[pos++] = fresh;
	}
	return 0;
}

/*
 * Record the newest message date, where queries start their windows
 * (store_newest_date). ombre.newest-message, not ombre.newest: that one
 * counted events too, and only ever grows.
 */
static notmuch_status_t
store_save_newest(struct store *st)
{
	char	*value = NULL, text[32];

	if (st->newest_date <= 0)
		return NOTMUCH_STATUS_SUCCESS;	/* events only */
	if (notmuch_database_get_config(st->db, "ombre.newest-message",
	    &value) == NOTMUCH_STATUS_SUCCESS && value != NULL &&
	    strtoll(value, NULL, 10) >= st->newest_date) {
		free(value);
		return NOTMUCH_STATUS_SUCCESS;
	}
	free(value);
	snprintf(text, sizeof text, "%lld", (long long)st->newest_date);
	return notmuch_database_set_config(st->db, "ombre.newest-message",
	    text);
}

enum store_status
store_flush(struct store *st, char **cause)
{
	struct buf		 names;
	size_t			 i;
	char			*newdir, *what, *why = NULL;
	enum store_status	 rc = STORE_OK, one;
	notmuch_status_t	 status;
	int			 err;

	*cause = NULL;
	if (st->n_pending == 0)
		return STORE_OK;

	/* 0. Every file durable before its name is journalled. */
	if (store_tmp_sync(st, cause) != 0) {
		err = errno;
		store_batch_drop(st);
		return store_errno_status(err);
	}

	/* 1. Journal the names, so a crash after the rename is recovered. */
	if (store_journal_open(st, &err, cause) != 0) {
		store_batch_drop(st);
		return store_errno_status(err);
	}
	buf_init(&names);
	for (i = 0; i < st->n_pending; i++) {
		if (st->pending[i].tmp_path != NULL)
			buf_add_printf(&names, "%s\n", st->pending[i].name);
	}
	if (names.len > 0 && (write(st->journal_fd, names.data, names.len) !=
	    (ssize_t)names.len || fsync(st->journal_fd) != 0)) {
		err = errno;
		*cause = xasprintf("%s: %s", st->journal_path, strerror(err));
		buf_free(&names);
		store_batch_drop(st);
		return store_errno_status(err);
	}
	if (names.len > 0)
		st->journal_dirty = 1;
	buf_free(&names);

	/* 2. Deliver: rename into new/ and make the renames durable. */
	for (i = 0; i < st->n_pending; i++) {
		if (st->pending[i].tmp_path == NULL)
			continue;
		if (rename(st->pending[i].tmp_path, st->pending[i].new_path) != 0) {
			err = errno;
			*cause = xasprintf("%s: %s", st->pending[i].new_path,
			    strerror(err));
			store_batch_drop(st);
			return store_errno_status(err);
		}
		/* Delivered and journalled: a second flush only indexes it. */
		free(st->pending[i].tmp_path);
		st->pending[i].tmp_path = NULL;
	}
	newdir = xasprintf("%s/new", st->maildir);
	if (util_fsync_dir(newdir) != 0) {
		err = errno;
		*cause = xasprintf("%s: %s", newdir, strerror(err));
		free(newdir);
		store_batch_drop(st);
		return store_errno_status(err);
	}
	free(newdir);

	if (st->mode == STORE_DELIVER) {
		/* Durable: the journal hands them to the next indexer. */
		st->delivered += st->n_pending;
		st->stats.stored += (long)st->n_pending;
		store_batch_drop(st);
		return STORE_OK;
	}

	/* 3. Index the batch in one transaction: all of it or none. What
	 * the rules and the bot write about a message is delivered and
	 * indexed right after it, in the same transaction. */
	rc = store_begin(st, "indexing", cause);
	for (i = 0; rc == STORE_OK && i < st->n_pending; i++) {
		what = NULL;
		one = store_index_one(st, &st->pending[i], &status, &what);
		if (one != STORE_OK && one != STORE_DUPLICATE)
			rc = store_abort(st, what, status, cause);
		else if (st->n_generated > 0 &&
		    store_generated_deliver(st, i + 1, &err, &why) != 0) {
			rc = store_errno_status(err);
			store_abort(st, why, NOTMUCH_STATUS_SUCCESS, cause);
			free(*cause);
			*cause = xasprintf(_("%s; nothing was changed"), why);
			free(why);
			why = NULL;
		}
		free(what);
		store_generated_clear(st);
	}
	if (rc == STORE_OK &&
	    (status = store_save_newest(st)) != NOTMUCH_STATUS_SUCCESS)
		rc = store_abort(st, "saving ombre.newest", status, cause);
	if (rc == STORE_OK)
		rc = store_commit(st, "committing", cause);
	if (rc == STORE_OK)
		store_feed_append(st);
	else
		buf_free(&st->feed);
	if (rc == STORE_OK && ftruncate(st->journal_fd, 0) == 0)
		st->journal_dirty = 0;	/* its names are done with */
	else if (rc == STORE_OK)
		log_debug("truncating %s: %s", st->journal_path, strerror(errno));
	else {
		/*
		 * Delivered, not indexed: the journal is left to the next
		 * read-write open, which indexes it. But an agent's action
		 * (an event) that failed did not happen: it is taken back,
		 * not applied later behind the agent's back; what the rules
		 * and the bot wrote is written again when the message that
		 * caused it is indexed.
		 */
		for (i = 0; i < st->n_pending; i++) {
			if (st->pending[i].generated ||
			    (!st->pending[i].recovered &&
			    st->pending[i].msg->kind == MSG_EVENT))
				unlink(st->pending[i].new_path);
		}
		store_journal_release(st);
	}

	for (i = 0; i < st->n_pending; i++)
		store_pending_free(st, &st->pending[i]);
	st->n_pending = 0;
	store_thread_cache_clear(st);
	return rc;
}

void
store_ingest_stats(struct store *st, struct store_ingest_stats *stats)
{
	*stats = st->stats;
}

/*
 * Parse a file name of ours, "<sec>.M<usec>P<pid>Q<n>.<host>", for its
 * pid and host. Return 0 when it has that shape.
 */
static int
store_name_owner(const char *name, long *pid, const char **host)
{
	const char	*p;
	char		*end;

	p = strchr(name, 'P');
	if (p == NULL)
		return -1;
	*pid = strtol(p + 1, &end, 10);
	if (end == p + 1 || *end != 'Q' || *pid <= 0)
		return -1;
	p = strchr(end, '.');
	if (p == NULL)
		return -1;
	*host = p + 1;
	return 0;
}

int
store_tmp_is_stray(const char *host, const char *name, const char *path,
    time_t now)
{
	const char	*owner;
	long		 pid;
	struct stat	 sb;

	if (store_name_owner(name, &pid, &owner) == 0 &&
	    strcmp(owner, host) == 0)
		return !util_pid_alive((pid_t)pid);
	/* maildir(5): safe to remove after 36 hours. */
	return stat(path, &sb) == 0 && now - sb.st_mtime > 36 * 3600;
}

void
store_ingest_clean_tmp(struct store *st)
{
	DIR		*dir;
	struct dirent	*de;
	char		*tmpdir, *path;
	time_t		 now = time(NULL);

	tmpdir = xasprintf("%s/tmp", st->maildir);
	dir = opendir(tmpdir);
	if (dir == NULL) {
		free(tmpdir);
		return;
	}
	while ((de = readdir(dir)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		path = xasprintf("%s/%s", tmpdir, de->d_name);
		if (store_tmp_is_stray(st->host, de->d_name, path, now))
			unlink(path);
		free(path);
	}
	closedir(dir);
	free(tmpdir);
}

/* Queue the files a dead writer's journal lists that are not indexed. */
static void
store_recover_journal(struct store *st, const char *path, int fd,
    enum store_status *rc, char **cause)
{
	struct buf		 data;
	char			 chunk[8192], *line, *next, *file, *why;
	ssize_t			 n;
	struct store_pending	*p;
	struct msg		*m;

	buf_init(&data);
	while ((n = read(fd, chunk, sizeof chunk)) > 0)
		buf_add(&data, chunk, (size_t)n);
	for (line = data.data; line != NULL && *line != '\0'; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		if (*line == '\0' || strchr(line, '/') != NULL)
			continue;
		file = xasprintf("%s/new/%s", st->maildir, line);
		/*
		 * Gone: nothing to do. One indexed already (a writer that
		 * died between its commit and its journal's truncation) is
		 * told apart by store_index_one, which finds it a duplicate
		 * with ombre's tags: a lookup of every name here would cost
		 * the indexer a Xapian search per message for that rare case.
		 */
		if (access(file, F_OK) != 0) {
			free(file);
			continue;
		}
		m = store_file_read(file, &why);
		if (m == NULL) {
			log_warn(_("recovering %s: %s"), path, why);
			free(why);
			free(file);
			continue;
		}
		p = store_pending_add(st);
		p->msgid = msgid_message(m->channel, m->account, m->conv_id, m->id);
		p->name = xstrdup(line);
		p->new_path = file;
		p->msg = m;
		p->recovered = 1;
		/*
		 * A transaction a batch: Xapian keeps a transaction's changes
		 * in memory, and one of many thousands of messages indexes
		 * slower than the same in batches.
		 */
		if ((int)st->n_pending >= st->opts.batch_messages &&
		    *rc == STORE_OK)
			*rc = store_flush(st, cause);
	}
	buf_free(&data);
}

static int
store_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

enum store_status
store_ingest_recover(struct store *st, char **cause)
{
	DIR			*dir;
	struct dirent		*de;
	char			*path, **names = NULL, **done = NULL;
	size_t			 n_names = 0, n_done = 0, i;
	int			 fd;
	enum store_status	 rc = STORE_OK;

	*cause = NULL;
	dir = opendir(st->journal_dir);
	if (dir == NULL)
		return STORE_OK;
	while ((de = readdir(dir)) != NULL) {
		if (strstr(de->d_name, ".jnl") == NULL)
			continue;
		names = xreallocarray(names, n_names + 1, sizeof *names);
		names[n_names++] = xstrdup(de->d_name);
	}
	closedir(dir);
	/* Oldest first (the names start with the time): a conversation's
	 * tags follow its messages in the order they came. */
	if (n_names > 0)
		qsort(names, n_names, sizeof *names, store_name_cmp);
	for (i = 0; i < n_names; i++) {
		path = xasprintf("%s/%s", st->journal_dir, names[i]);
		free(names[i]);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd == -1) {
			free(path);
			continue;
		}
		/* A live writer holds its journal locked. */
		if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
			close(fd);
			free(path);
			continue;
		}
		store_recover_journal(st, path, fd, &rc, cause);
		close(fd);
		done = xreallocarray(done, n_done + 1, sizeof *done);
		done[n_done++] = path;
	}
	free(names);
	if (st->n_pending > 0 && rc == STORE_OK) {
		log_debug("recovering %zu delivered messages", st->n_pending);
		rc = store_flush(st, cause);
	}
	for (i = 0; i < n_done; i++) {
		if (rc == STORE_OK)
			unlink(done[i]);
		free(done[i]);
	}
	free(done);
	return rc;
}

enum store_status
store_conv_set_property(struct store *st, const char *msgid, const char *key,
    const char *value, char **cause)
{
	notmuch_message_t	*nm = NULL;
	notmuch_messages_t	*msgs;
	notmuch_query_t		*q;
	notmuch_status_t	 status = NOTMUCH_STATUS_SUCCESS;
	struct store_property	 prop = { key, value };
	char			*query;
	enum store_status	 rc;
	size_t			 i;

	*cause = NULL;
	for (i = 0; i < st->n_pending; i++) {
		if (strcmp(st->pending[i].msgid, msgid) == 0) {
			rc = store_flush(st, cause);
			if (rc != STORE_OK)
				return rc;
			break;
		}
	}
	if (notmuch_database_find_message(st->db, msgid, &nm) !=
	    NOTMUCH_STATUS_SUCCESS || nm == NULL) {
		*cause = xasprintf(_("no message <%s>"), msgid);
		return STORE_NOT_FOUND;
	}
	query = xasprintf("thread:%s", notmuch_message_get_thread_id(nm));
	notmuch_message_destroy(nm);
	if (store_query_messages(st, query, NOTMUCH_SORT_UNSORTED, &q, &msgs) !=
	    NOTMUCH_STATUS_SUCCESS) {
		*cause = xasprintf(_("searching %s failed"), query);
		free(query);
		return STORE_DB_ERROR;
	}
	free(query);
	if ((rc = store_begin(st, "setting a conversation's property",
	    cause)) != STORE_OK) {
		notmuch_query_destroy(q);
		return rc;
	}
	for (; notmuch_messages_valid(msgs); notmuch_messages_move_to_next(msgs)) {
		if ((nm = notmuch_messages_get(msgs)) == NULL) {
			status = NOTMUCH_STATUS_XAPIAN_EXCEPTION;
			break;
		}
		status = store_message_edit(nm, NULL, 0, &prop, 1);
		notmuch_message_destroy(nm);
		if (status != NOTMUCH_STATUS_SUCCESS)
			break;
	}
	notmuch_query_destroy(q);
	if (status != NOTMUCH_STATUS_SUCCESS)
		return store_abort(st, key, status, cause);
	return store_commit(st, "committing a conversation's property", cause);
}

int
store_has_message(struct store *st, const char *msgid)
{
	notmuch_message_t	*nm = NULL;
	int			 found;

	store_read_begin(st);
	found = notmuch_database_find_message(st->db, msgid, &nm) ==
	    NOTMUCH_STATUS_SUCCESS && nm != NULL;
	if (nm != NULL)
		notmuch_message_destroy(nm);
	store_read_end(st);
	return found;
}

/*
 * Queue a file already delivered (in new/ or cur/, as a rebuild of the
 * index finds it) for the next store_flush, which indexes it with the
 * tags and properties ingest gives m, as a crashed writer's journal is
 * recovered. The queue takes m. (store-doctor.c)
 */
void
store_ingest_queue_file(struct store *st, const char *path, struct msg *m)
{
	struct store_pending	*p;
	const char		*slash;

	if (st->n_pending == 0)
		st->batch_start_ms = util_clock_ms();
	p = store_pending_add(st);
	p->msgid = msgid_message(m->channel, m->account, m->conv_id, m->id);
	slash = strrchr(path, '/');
	p->name = xstrdup(slash != NULL ? slash + 1 : path);
	p->new_path = xstrdup(path);
	p->msg = m;
}
