/*
 * store-trends.c: hour by hour, how many new conversations each channel
 * had and how many customer messages named each watched term, for
 * ombre trends and the syncer's spike detection (sync-spike.c, spike.c).
 *
 * Why counts from the index rather than counters fed at ingest: the index
 * already holds everything a count needs (dates, the customer's kind, the
 * body's words, each message's conversation), so ingest pays nothing at
 * all; a term watched today is counted over last week too; and no counter
 * can drift from the messages, since a missing or corrupt cache is
 * counted again from the database. What is counted:
 *   - a term: property:ombre.kind=customer, the hours, and body:"TERM"
 *     (as written, or folded: "réclamation" also as "reclamation"), one
 *     search over all the hours to count, each message put in its hour.
 *     Xapian's words are whole words, lowercased, so this is watch.c's
 *     match but for accents written other than as the term or its folded
 *     form (a customer's "reclàmation"), which it misses;
 *   - a channel: a conversation is new in the hour of its first message.
 *     One walk over the messages of the hours to count gives each
 *     conversation's first date there and its channel (the Message-Id's
 *     prefix: "tg." is telegram); a second, over the earlier messages of
 *     those conversations (thread:{}), those that are not new. Nothing
 *     walks the whole history, and the second walk is skipped when the
 *     store has nothing older.
 * Closed hours are cached in DATA/trends/YYYY-MM-DD (UTC), one file a
 * day written whole (util_write_file, the group's modes in a team's data
 * dir): "ombre-trends 1", then "HH KIND COUNT NAME" lines (KIND c for a
 * channel, t for a term by its folded form). An hour counted is never
 * counted again; a file that does not parse is ignored whole and its day
 * counted again. An hour is closed STORE_TRENDS_SETTLE after its end: a
 * message indexed later but dated in it (a channel catching up after an
 * outage) is missed by its cached count. The open hour is always counted
 * afresh.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "store/store-private.h"

#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define STORE_TRENDS_SETTLE	600
#define STORE_TRENDS_MAGIC	"ombre-trends 1\n"

/* The cache of one day: a count (or -1, not counted) per series and
 * hour, and the lines of series not asked for, kept as they were. */
struct trends_day {
	int64_t		  start;	/* 00:00 UTC */
	long		 *counts;	/* n_series * 24 */
	struct buf	  other;
	int		  dirty;
};

static char *
trends_day_name(int64_t start)
{
	time_t		t = (time_t)start;
	struct tm	tm;
	char		name[32];

	gmtime_r(&t, &tm);
	strftime(name, sizeof name, "%Y-%m-%d", &tm);
	return xstrdup(name);
}

/* A series' key in the cache: "c telegram" or "t livraison". */
static int
trends_key_match(const struct store_trend *t, char kind, const char *name)
{
	if (t->kind == SPIKE_CHANNEL)
		return kind == 'c' && strcmp(name, t->name) == 0;
	return kind == 't' && strcmp(name, t->folded) == 0;
}

/*
 * Read a day's file into d (its counts all -1 first). A file missing, or
 * any line of it that does not parse, leaves every count -1: the day is
 * counted again and the file rewritten.
 */
static void
trends_day_load(struct store *st, struct trends_day *d,
    const struct store_trends *tr)
{
	char		*name, *path, *data = NULL, *line, *next, *end, *nm;
	size_t		 i, len;
	long		 hh, count;
	FILE		*f;
	char		 kind;
	int		 found;

	for (i = 0; i < tr->n * 24; i++)
		d->counts[i] = -1;
	name = trends_day_name(d->start);
	path = xasprintf("%s/trends/%s", st->data_dir, name);
	free(name);
	f = fopen(path, "re");
	free(path);
	if (f == NULL)
		return;
	data = xmalloc(1024 * 1024 + 1);
	len = fread(data, 1, 1024 * 1024, f);
	fclose(f);
	data[len] = '\0';
	if (strncmp(data, STORE_TRENDS_MAGIC, strlen(STORE_TRENDS_MAGIC)) != 0 ||
	    len == 1024 * 1024 || strlen(data) != len)
		goto bad;
	for (line = data + strlen(STORE_TRENDS_MAGIC); *line != '\0';
	    line = next) {
		if ((next = strchr(line, '\n')) == NULL)
			goto bad;
		*next++ = '\0';
		hh = strtol(line, &end, 10);
		if (end == line || *end != ' ' || hh < 0 || hh > 23)
			goto bad;
		kind = end[1];
		if ((kind != 'c' && kind != 't') || end[2] != ' ')
			goto bad;
		count = strtol(end + 3, &nm, 10);
		if (nm == end + 3 || *nm != ' ' || count < 0 || nm[1] == '\0')
			goto bad;
		nm++;
		found = 0;
		for (i = 0; i < tr->n; i++) {
			if (trends_key_match(&tr->series[i], kind, nm)) {
				d->counts[i * 24 + (size_t)hh] = count;
				found = 1;
			}
		}
		if (!found)
			buf_add_printf(&d->other, "%02ld %c %ld %s\n", hh, kind,
			    count, nm);
	}
	free(data);
	return;
bad:
	log_debug("trends: a bad cache file, counted again");
	for (i = 0; i < tr->n * 24; i++)
		d->counts[i] = -1;
	buf_free(&d->other);
	buf_init(&d->other);
	free(data);
}

/* Write a day's counted hours whole; a failure only costs a recount. */
static void
trends_day_save(struct store *st, struct trends_day *d,
    const struct store_trends *tr)
{
	struct buf	 b;
	char		*dir, *name;
	size_t		 i, h;

	buf_init(&b);
	buf_add_str(&b, STORE_TRENDS_MAGIC);
	for (i = 0; i < tr->n; i++) {
		for (h = 0; h < 24; h++) {
			if (d->counts[i * 24 + h] < 0)
				continue;
			buf_add_printf(&b, "%02zu %c %ld %s\n", h,
			    tr->series[i].kind == SPIKE_CHANNEL ? 'c' : 't',
			    d->counts[i * 24 + h],
			    tr->series[i].kind == SPIKE_CHANNEL ?
			    tr->series[i].name : tr->series[i].folded);
		}
	}
	if (d->other.len > 0)
		buf_add(&b, d->other.data, d->other.len);
	dir = xasprintf("%s/trends", st->data_dir);
	name = trends_day_name(d->start);
	if ((util_mkdir_p(dir, util_share_mode(st->data_dir, 0700)) != 0 &&
	    errno != EEXIST) || util_write_file(dir, name, b.data, b.len,
	    util_share_mode(st->data_dir, 0600)) != 0)
		log_debug("trends: %s/%s: %s", dir, name, strerror(errno));
	free(name);
	free(dir);
	buf_free(&b);
}

/* One notmuch count: messages, or conversations with threads set. */
static enum store_status
trends_query_count(struct store *st, const char *query, int threads,
    unsigned long *count, char **cause)
{
	notmuch_query_t		*q;
	notmuch_status_t	 status;
	unsigned int		 n = 0;
	char			*text;

	text = store_mail_filter(st, query);
	q = notmuch_query_create(st->db, text);
	if (q == NULL)
		fatalx("notmuch_query_create");
	notmuch_query_set_omit_excluded(q, NOTMUCH_EXCLUDE_FALSE);
	if (threads)
		status = notmuch_query_count_threads(q, &n);
	else
		status = notmuch_query_count_messages(q, &n);
	notmuch_query_destroy(q);
	if (status != NOTMUCH_STATUS_SUCCESS) {
		*cause = xasprintf(_("counting '%s': %s"), text,
		    notmuch_status_to_string(status));
		free(text);
		return STORE_DB_ERROR;
	}
	free(text);
	*count = n;
	return STORE_OK;
}

/* A word or phrase of a term as a body: query (its quotes dropped:
 * Xapian makes no word of them). */
static void
trends_add_body(struct buf *b, const char *term)
{
	buf_add_str(b, "body:\"");
	for (; *term != '\0'; term++)
		buf_add_char(b, *term == '"' ? ' ' : *term);
	buf_add_char(b, '"');
}

/* The series: every channel type, then every watched term. */
static void
trends_series(struct store_trends *tr)
{
	const struct channel_info *const	*all = channel_info_all();
	size_t					 i, n = 0, w;

	while (all[n] != NULL)
		n++;
	w = watch_count();
	tr->series = xcalloc(n + w + 1, sizeof *tr->series);
	for (i = 0; i < n; i++) {
		tr->series[tr->n].kind = SPIKE_CHANNEL;
		tr->series[tr->n].name = xstrdup(all[i]->name);
		tr->series[tr->n].folded = xstrdup(all[i]->name);
		tr->n++;
	}
	for (i = 0; i < w; i++) {
		tr->series[tr->n].kind = SPIKE_TERM;
		tr->series[tr->n].name = xstrdup(watch_term(i));
		tr->series[tr->n].folded = xstrdup(watch_folded(i));
		tr->n++;
	}
}

/* The channel series of a message: its Message-Id's prefix (an
 * agent's reply has none: its X-Ombre-Channel header, read from the
 * file), or -1. */
static ssize_t
trends_channel_of(struct store_trends *tr, notmuch_message_t *nm)
{
	const char	*id = notmuch_message_get_message_id(nm), *dot;
	const struct channel_info *ci;
	size_t		 i, len;

	if (id != NULL && (dot = strchr(id, '.')) != NULL &&
	    strncmp(id, "out.", 4) != 0) {
		len = (size_t)(dot - id);
		for (i = 0; i < tr->n && tr->series[i].kind == SPIKE_CHANNEL;
		    i++) {
			ci = channel_info_find(tr->series[i].name);
			if (ci != NULL && strlen(ci->id_prefix) == len &&
			    strncmp(ci->id_prefix, id, len) == 0)
				return (ssize_t)i;
		}
		return -1;
	}
	id = notmuch_message_get_header(nm, "X-Ombre-Channel");
	for (i = 0; id != NULL && i < tr->n &&
	    tr->series[i].kind == SPIKE_CHANNEL; i++)
		if (strcmp(tr->series[i].name, id) == 0)
			return (ssize_t)i;
	return -1;
}

/*
 * Walk the messages of query, calling fn on each (thread id, date); a
 * bad query or an overtaken snapshot is an error.
 */
typedef void (*trends_walk_fn)(struct store_trends *, notmuch_message_t *,
    void *);

static enum store_status
trends_walk(struct store *st, struct store_trends *tr, const char *query,
    trends_walk_fn fn, void *arg, char **cause)
{
	notmuch_query_t		*q;
	notmuch_messages_t	*msgs;
	notmuch_message_t	*nm;
	notmuch_status_t	 status;
	char			*text;

	text = store_mail_filter(st, query);
	q = notmuch_query_create(st->db, text);
	if (q == NULL)
		fatalx("notmuch_query_create");
	notmuch_query_set_sort(q, NOTMUCH_SORT_UNSORTED);
	notmuch_query_set_omit_excluded(q, NOTMUCH_EXCLUDE_FALSE);
	status = notmuch_query_search_messages(q, &msgs);
	if (status != NOTMUCH_STATUS_SUCCESS) {
		*cause = xasprintf(_("searching '%s': %s"), text,
		    notmuch_status_to_string(status));
		notmuch_query_destroy(q);
		free(text);
		return STORE_DB_ERROR;
	}
	for (; notmuch_messages_valid(msgs);
	    notmuch_messages_move_to_next(msgs)) {
		if ((nm = notmuch_messages_get(msgs)) == NULL)
			break;
		fn(tr, nm, arg);
		notmuch_message_destroy(nm);
	}
	notmuch_query_destroy(q);
	free(text);
	return STORE_OK;
}

/* An hour's conversations: each thread once, with its channel. */
struct trends_hour {
	struct strset	 threads;
	ssize_t		*channel;	/* by the order of threads */
	size_t		 size;
	struct strset	 old;		/* those with an earlier message */
};

static void
trends_hour_add(struct store_trends *tr, notmuch_message_t *nm, void *arg)
{
	struct trends_hour	*th = arg;
	const char		*tid = notmuch_message_get_thread_id(nm);
	ssize_t			 c;

	if (tid == NULL)
		return;
	c = trends_channel_of(tr, nm);
	if (strset_add(&th->threads, tid)) {
		if (th->threads.n > th->size) {
			th->size = th->threads.n * 2;
			th->channel = xreallocarray(th->channel, th->size,
			    sizeof *th->channel);
		}
		th->channel[th->threads.n - 1] = c;
	}
}

static void
trends_hour_old(struct store_trends *tr, notmuch_message_t *nm, void *arg)
{
	struct trends_hour	*th = arg;
	const char		*tid = notmuch_message_get_thread_id(nm);

	(void)tr;
	if (tid != NULL)
		strset_add(&th->old, tid);
}

/*
 * The new conversations of each channel in [from, to), into out (by
 * series): the window's messages give its conversations and their
 * channel, the earlier messages of those conversations the ones that are
 * not new. Two searches, whatever the number of channels.
 */
static enum store_status
trends_window_channels(struct store *st, struct store_trends *tr,
    int64_t from, int64_t to, unsigned long *out, char **cause)
{
	struct trends_hour	 th;
	enum store_status	 rc;
	char			*q;
	size_t			 i;

	memset(&th, 0, sizeof th);
	q = xasprintf("date:@%lld..@%lld", (long long)from, (long long)to - 1);
	rc = trends_walk(st, tr, q, trends_hour_add, &th, cause);
	free(q);
	if (rc == STORE_OK && th.threads.n > 0) {
		q = xasprintf("date:..@%lld and thread:\"{date:@%lld..@%lld}\"",
		    (long long)from - 1, (long long)from, (long long)to - 1);
		rc = trends_walk(st, tr, q, trends_hour_old, &th, cause);
		free(q);
	}
	for (i = 0; rc == STORE_OK && i < th.threads.n; i++) {
		if (th.channel[i] >= 0 && !strset_has(&th.old,
		    th.threads.items[i]))
			out[th.channel[i]]++;
	}
	strset_free(&th.threads);
	strset_free(&th.old);
	free(th.channel);
	return rc;
}

/* A term's customer messages over hours, bucketed by hour. */
struct trends_term_walk {
	int64_t		 first;
	size_t		 n_hours;
	unsigned long	*counts;
};

static void
trends_term_add(struct store_trends *tr, notmuch_message_t *nm, void *arg)
{
	struct trends_term_walk	*w = arg;
	int64_t			 d = (int64_t)notmuch_message_get_date(nm);

	(void)tr;
	if (d >= w->first && d < w->first + (int64_t)w->n_hours * 3600)
		w->counts[(d - w->first) / 3600]++;
}

/* The query of a term's customer messages in [from, to). */
static char *
trends_term_query(const struct store_trend *t, int64_t from, int64_t to)
{
	struct buf	q;

	buf_init(&q);
	buf_add_printf(&q, "property:ombre.kind=customer and "
	    "date:@%lld..@%lld and (", (long long)from, (long long)to - 1);
	trends_add_body(&q, t->folded);
	if (strcmp(t->name, t->folded) != 0) {
		buf_add_str(&q, " or ");
		trends_add_body(&q, t->name);
	}
	buf_add_char(&q, ')');
	return buf_steal(&q);
}

/* Thread ids (16 hex digits) as numbers, each given an index in order. */
struct trends_map {
	uint64_t	*keys;		/* by index */
	size_t		 n;
	size_t		*slots;		/* index + 1, 0 empty */
	size_t		 size;
};

/* The index of a thread id; *added when it was not there. */
static size_t
trends_map_get(struct trends_map *m, const char *tid, int *added)
{
	uint64_t	k = strtoull(tid, NULL, 16);
	size_t		i, h, j;

	if (m->n * 2 >= m->size) {
		free(m->slots);
		m->size = m->size == 0 ? 1024 : m->size * 2;
		m->slots = xcalloc(m->size, sizeof *m->slots);
		for (i = 0; i < m->n; i++) {
			h = (size_t)(m->keys[i] * 0x9e3779b97f4a7c15ULL) &
			    (m->size - 1);
			while (m->slots[h] != 0)
				h = (h + 1) & (m->size - 1);
			m->slots[h] = i + 1;
		}
	}
	h = (size_t)(k * 0x9e3779b97f4a7c15ULL) & (m->size - 1);
	while ((j = m->slots[h]) != 0) {
		if (m->keys[j - 1] == k) {
			*added = 0;
			return j - 1;
		}
		h = (h + 1) & (m->size - 1);
	}
	if ((m->n & (m->n - 1)) == 0)
		m->keys = xreallocarray(m->keys, m->n == 0 ? 1 : m->n * 2,
		    sizeof *m->keys);
	m->keys[m->n] = k;
	m->slots[h] = ++m->n;
	*added = 1;
	return m->n - 1;
}

static void
trends_map_free(struct trends_map *m)
{
	free(m->keys);
	free(m->slots);
}

/* The conversations of a range of hours: each thread's first date in it,
 * its channel, and whether it has a message before the range. */
struct trends_range {
	struct trends_map	 threads;
	int64_t			*oldest;
	ssize_t			*channel;
	char			*old;		/* n_old: by index */
	size_t			 n_old;
	size_t			 size;
};

static void
trends_range_add(struct store_trends *tr, notmuch_message_t *nm, void *arg)
{
	struct trends_range	*r = arg;
	const char		*tid = notmuch_message_get_thread_id(nm);
	int64_t			 d = (int64_t)notmuch_message_get_date(nm);
	ssize_t			 c;
	size_t			 at;
	int			 added;

	if (tid == NULL)
		return;
	at = trends_map_get(&r->threads, tid, &added);
	if (added) {
		if (r->threads.n > r->size) {
			r->size = r->threads.n * 2;
			r->oldest = xreallocarray(r->oldest, r->size,
			    sizeof *r->oldest);
			r->channel = xreallocarray(r->channel, r->size,
			    sizeof *r->channel);
		}
		r->oldest[at] = d;
		r->channel[at] = -1;
	} else if (d < r->oldest[at])
		r->oldest[at] = d;
	if (r->channel[at] < 0 && (c = trends_channel_of(tr, nm)) >= 0)
		r->channel[at] = c;
}

static void
trends_range_old(struct store_trends *tr, notmuch_message_t *nm, void *arg)
{
	struct trends_range	*r = arg;
	const char		*tid = notmuch_message_get_thread_id(nm);
	size_t			 at;
	int			 added;

	(void)tr;
	if (tid == NULL)
		return;
	at = trends_map_get(&r->threads, tid, &added);
	if (at < r->n_old)
		r->old[at] = 1;
}

/*
 * The new conversations of each channel in the hours lo..hi to count
 * (need): one walk over the range's messages gives each conversation's
 * first date in it; those with a message before the range (a second
 * walk, skipped when the store has none that old) are not new.
 */
static enum store_status
trends_range_channels(struct store *st, struct store_trends *tr,
    const char *need, size_t lo, size_t hi, int64_t now, char **cause)
{
	struct trends_range	 r;
	enum store_status	 rc;
	int64_t			 from, to;
	size_t			 i, h, n;
	char			*q;

	memset(&r, 0, sizeof r);
	from = tr->first + (int64_t)lo * 3600;
	to = tr->first + (int64_t)(hi + 1) * 3600;
	if (to > now + 1)
		to = now + 1;
	q = xasprintf("date:@%lld..@%lld", (long long)from, (long long)to - 1);
	rc = trends_walk(st, tr, q, trends_range_add, &r, cause);
	free(q);
	if (rc == STORE_OK && r.threads.n > 0 &&
	    store_trends_history(st, from - 1)) {
		r.n_old = r.threads.n;
		r.old = xcalloc(r.n_old, 1);
		q = xasprintf("date:..@%lld and thread:\"{date:@%lld..@%lld}\"",
		    (long long)from - 1, (long long)from, (long long)to - 1);
		rc = trends_walk(st, tr, q, trends_range_old, &r, cause);
		free(q);
	}
	/* A thread the old walk found that the range's did not (a writer
	 * came between) has no date here: only the range's count. */
	n = r.old != NULL ? r.n_old : r.threads.n;
	for (i = 0; rc == STORE_OK && i < n; i++) {
		if (r.channel[i] < 0 || (r.old != NULL && r.old[i]))
			continue;
		h = (size_t)((r.oldest[i] - tr->first) / 3600);
		if (h < tr->n_hours && need[h])
			tr->series[r.channel[i]].counts[h]++;
	}
	trends_map_free(&r.threads);
	free(r.old);
	free(r.oldest);
	free(r.channel);
	return rc;
}

enum store_status
store_trends_window(struct store *st, struct store_trends *tr, int64_t from,
    int64_t to, unsigned long *out, char **cause)
{
	enum store_status	 rc;
	char			*q;
	size_t			 i;

	memset(out, 0, tr->n * sizeof *out);
	store_read_begin(st);
	rc = trends_window_channels(st, tr, from, to, out, cause);
	for (i = 0; rc == STORE_OK && i < tr->n; i++) {
		if (tr->series[i].kind != SPIKE_TERM)
			continue;
		q = trends_term_query(&tr->series[i], from, to);
		rc = trends_query_count(st, q, 0, &out[i], cause);
		free(q);
	}
	store_read_end(st);
	return rc;
}

enum store_status
store_trends_get(struct store *st, int64_t first, size_t n_hours,
    int64_t now, struct store_trends **out, char **cause)
{
	struct store_trends	*tr;
	struct trends_day	*days;
	struct trends_term_walk	 w;
	enum store_status	 rc = STORE_OK;
	unsigned long		*c;
	size_t			 h, i, d, n_days, at, lo = SIZE_MAX, hi = 0;
	int64_t			 start;
	char			*q, *need;

	*out = NULL;
	first -= first % 3600;
	tr = xcalloc(1, sizeof *tr);
	tr->first = first;
	tr->n_hours = n_hours;
	trends_series(tr);
	for (i = 0; i < tr->n; i++)
		tr->series[i].counts = xcalloc(n_hours + 1,
		    sizeof *tr->series[i].counts);
	c = xcalloc(tr->n + 1, sizeof *c);
	need = xcalloc(n_hours + 1, 1);

	/* The days' caches, and the hours they do not have whole. */
	n_days = n_hours / 24 + 2;
	days = xcalloc(n_days, sizeof *days);
	for (d = 0; d < n_days; d++) {
		days[d].start = first - first % 86400 + (int64_t)d * 86400;
		days[d].counts = xcalloc(tr->n * 24 + 1, sizeof *days[d].counts);
		buf_init(&days[d].other);
		trends_day_load(st, &days[d], tr);
	}
	for (h = 0; h < n_hours; h++) {
		start = first + (int64_t)h * 3600;
		if (start > now)
			break;
		d = (size_t)((start - days[0].start) / 86400);
		at = (size_t)((start - days[d].start) / 3600);
		for (i = 0; i < tr->n; i++) {
			if (start + 3600 + STORE_TRENDS_SETTLE > now ||
			    days[d].counts[i * 24 + at] < 0)
				break;
			tr->series[i].counts[h] =
			    (unsigned long)days[d].counts[i * 24 + at];
		}
		if (i < tr->n) {
			for (i = 0; i < tr->n; i++)
				tr->series[i].counts[h] = 0;
			need[h] = 1;
			tr->counted++;
			if (h < lo)
				lo = h;
			hi = h;
		}
	}

	store_read_begin(st);
	/* Channels: one walk over the hours to count. */
	if (lo != SIZE_MAX)
		rc = trends_range_channels(st, tr, need, lo, hi, now, cause);
	/* Terms: one search each over the hours to count, by hour. */
	for (i = 0; lo != SIZE_MAX && i < tr->n && rc == STORE_OK; i++) {
		if (tr->series[i].kind != SPIKE_TERM)
			continue;
		w.first = first;
		w.n_hours = n_hours;
		w.counts = xcalloc(n_hours + 1, sizeof *w.counts);
		q = trends_term_query(&tr->series[i], first + (int64_t)lo *
		    3600, first + (int64_t)(hi + 1) * 3600 > now + 1 ? now + 1 :
		    first + (int64_t)(hi + 1) * 3600);
		rc = trends_walk(st, tr, q, trends_term_add, &w, cause);
		free(q);
		for (h = lo; h <= hi; h++)
			if (need[h])
				tr->series[i].counts[h] = w.counts[h];
		free(w.counts);
	}
	store_read_end(st);

	/* The closed hours counted, kept. */
	for (h = lo; lo != SIZE_MAX && h <= hi && rc == STORE_OK; h++) {
		start = first + (int64_t)h * 3600;
		if (!need[h] || start + 3600 + STORE_TRENDS_SETTLE > now)
			continue;
		d = (size_t)((start - days[0].start) / 86400);
		at = (size_t)((start - days[d].start) / 3600);
		for (i = 0; i < tr->n; i++)
			days[d].counts[i * 24 + at] =
			    (long)tr->series[i].counts[h];
		days[d].dirty = 1;
	}
	for (d = 0; d < n_days; d++) {
		if (days[d].dirty)
			trends_day_save(st, &days[d], tr);
		buf_free(&days[d].other);
		free(days[d].counts);
	}
	free(days);
	free(need);
	free(c);
	if (rc != STORE_OK) {
		store_trends_free(tr);
		return rc;
	}
	*out = tr;
	return STORE_OK;
}

int
store_trends_history(struct store *st, int64_t before)
{
	notmuch_query_t		*q;
	notmuch_messages_t	*msgs;
	char			*query, *text;
	int			 found = 0;

	query = xasprintf("date:..@%lld", (long long)before);
	text = store_mail_filter(st, query);
	free(query);
	q = notmuch_query_create(st->db, text);
	if (q == NULL)
		fatalx("notmuch_query_create");
	notmuch_query_set_sort(q, NOTMUCH_SORT_UNSORTED);
	notmuch_query_set_omit_excluded(q, NOTMUCH_EXCLUDE_FALSE);
	store_read_begin(st);
	if (notmuch_query_search_messages(q, &msgs) == NOTMUCH_STATUS_SUCCESS)
		found = notmuch_messages_valid(msgs);
	store_read_end(st);
	notmuch_query_destroy(q);
	free(text);
	return found;
}

void
store_trends_free(struct store_trends *tr)
{
	size_t	i;

	if (tr == NULL)
		return;
	for (i = 0; i < tr->n; i++) {
		free(tr->series[i].name);
		free(tr->series[i].folded);
		free(tr->series[i].counts);
	}
	free(tr->series);
	free(tr);
}
