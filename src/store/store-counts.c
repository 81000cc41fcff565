/*
 * store-counts.c: view counts kept up to date from the database's changes.
 *
 * Counting the conversations of a view costs a walk over its messages
 * (notmuch_query_count_threads does the same walk), too much to repeat on
 * every change of a big store. So the walk is done once per view, keeping
 * for each conversation a bit per view it belongs to (and one per view it
 * is unread in). After that, a change is read as a lastmod: delta: only
 * the conversations with a message modified since the last revision are
 * looked at again, with queries restricted to them, and the counts move by
 * the bits that changed. A counted view is always the number of
 * conversations holding its bit, so the counts never drift from the table.
 *
 * The table is a hash from the 64-bit thread id to two masks (16 bytes a
 * conversation): it lives in the counting child, never in the console.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "store/store-private.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* Conversations per restricted query of an update. */
#define COUNTS_CHUNK		100
/* A delta touching more conversations than this walks every view again. */
#define COUNTS_REBUILD_OVER	20000

struct counts_slot {
	uint64_t	tid;		/* 0: empty (notmuch never gives 0) */
	uint64_t	in;		/* bit i: the conversation is in view i */
	uint64_t	unread;		/* bit i: ... and unread there */
};

struct store_counts {
	char			**queries;
	size_t			  n;
	long			 *total;
	long			 *unread;
	int			 *changed;
	struct counts_slot	 *slots;
	size_t			  cap;		/* a power of two */
	size_t			  used;
	uint64_t		  revision;	/* changes up to here are in */
	char			 *uuid;
	int			  built;
	int			  filtered;	/* queries cut to the mail
						   query= keeps */
	long			  touched;	/* by the last update */
};

/* A thread id is 16 hex digits; anything else is hashed (FNV-1a). */
static uint64_t
counts_key(const char *tid)
{
	uint64_t	 h = 1469598103934665603ULL;
	char		*end;
	unsigned long long v;

	if (strlen(tid) == 16) {
		v = strtoull(tid, &end, 16);
		if (*end == '\0' && v != 0)
			return v;
	}
	for (; *tid != '\0'; tid++)
		h = (h ^ (unsigned char)*tid) * 1099511628211ULL;
	return h != 0 ? h : 1;
}

static size_t
counts_hash(uint64_t k, size_t cap)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	return (size_t)k & (cap - 1);
}

static struct counts_slot *
counts_find(struct store_counts *sc, uint64_t k, int create)
{
	struct counts_slot	*old, *s;
	size_t			 i, old_cap;

	if (create && (sc->used + 1) * 4 >= sc->cap * 3) {
		old = sc->slots;
		old_cap = sc->cap;
		sc->cap = old_cap == 0 ? 1024 : old_cap * 2;
		sc->slots = xcalloc(sc->cap, sizeof *sc->slots);
		for (i = 0; i < old_cap; i++) {
			if (old[i].tid == 0)
				continue;
			s = &sc->slots[counts_hash(old[i].tid, sc->cap)];
			while (s->tid != 0)
				s = s + 1 == sc->slots + sc->cap ? sc->slots :
				    s + 1;
			*s = old[i];
		}
		free(old);
	}
	if (sc->cap == 0)
		return NULL;
	s = &sc->slots[counts_hash(k, sc->cap)];
	while (s->tid != 0 && s->tid != k)
		s = s + 1 == sc->slots + sc->cap ? sc->slots : s + 1;
	if (s->tid == 0) {
		if (!create)
			return NULL;
		s->tid = k;
		sc->used++;
	}
	return s;
}

struct store_counts *
store_counts_new(const char *const *queries, size_t n)
{
	struct store_counts	*sc;
	size_t			 i;

	sc = xcalloc(1, sizeof *sc);
	if (n > STORE_COUNTS_MAX)
		n = STORE_COUNTS_MAX;
	sc->n = n;
	sc->queries = xcalloc(n + 1, sizeof *sc->queries);
	sc->total = xcalloc(n + 1, sizeof *sc->total);
	sc->unread = xcalloc(n + 1, sizeof *sc->unread);
	sc->changed = xcalloc(n + 1, sizeof *sc->changed);
	for (i = 0; i < n; i++) {
		/* A contact is no conversation to count. */
		sc->queries[i] = store_query_no_contacts(queries[i]);
		sc->total[i] = sc->unread[i] = -1;
	}
	return sc;
}

void
store_counts_free(struct store_counts *sc)
{
	size_t	i;

	if (sc == NULL)
		return;
	for (i = 0; i < sc->n; i++)
		free(sc->queries[i]);
	free(sc->queries);
	free(sc->total);
	free(sc->unread);
	free(sc->changed);
	free(sc->slots);
	free(sc->uuid);
	free(sc);
}

size_t
store_counts_size(const struct store_counts *sc)
{
	return sc->n;
}

int
store_counts_get(const struct store_counts *sc, size_t i, long *total,
    long *unread)
{
	if (i >= sc->n || sc->total[i] < 0)
		return -1;
	*total = sc->total[i];
	*unread = sc->unread[i];
	return sc->changed[i];
}

long
store_counts_touched(const struct store_counts *sc)
{
	return sc->touched;
}

static int
counts_msg_unread(notmuch_message_t *nm)
{
	notmuch_tags_t	*tags;
	int		 unread = 0;

	for (tags = notmuch_message_get_tags(nm);
	    tags != NULL && notmuch_tags_valid(tags);
	    notmuch_tags_move_to_next(tags)) {
		if (strcmp(notmuch_tags_get(tags), "unread") == 0) {
			unread = 1;
			break;
		}
	}
	if (tags != NULL)
		notmuch_tags_destroy(tags);
	return unread;
}

/*
 * Walk the messages of a query, calling fn with each one's conversation
 * key and unread state. STORE_OVERTAKEN or STORE_SEARCH_FAILED in
 * *overtaken when the walk must start again (store-private.h).
 */
typedef void (*counts_walk_fn)(uint64_t key, int unread, void *arg);

static enum store_status
counts_walk(struct store *st, const char *query, counts_walk_fn fn, void *arg,
    int *overtaken)
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
	notmuch_query_set_sort(q, NOTMUCH_SORT_UNSORTED);
	notmuch_query_set_omit_excluded(q, NOTMUCH_EXCLUDE_FALSE);
	status = notmuch_query_search_messages(q, &msgs);
	if (status != NOTMUCH_STATUS_SUCCESS) {
		if (status == NOTMUCH_STATUS_XAPIAN_EXCEPTION)
			*overtaken = STORE_SEARCH_FAILED;
		notmuch_query_destroy(q);
		return STORE_BAD_INPUT;
	}
	for (; notmuch_messages_valid(msgs);
	    notmuch_messages_move_to_next(msgs)) {
		nm = notmuch_messages_get(msgs);
		tid = nm != NULL ? notmuch_message_get_thread_id(nm) : NULL;
		if (tid == NULL) {
			*overtaken = STORE_OVERTAKEN;
			break;
		}
		fn(counts_key(tid), counts_msg_unread(nm), arg);
		notmuch_message_destroy(nm);
	}
	notmuch_query_destroy(q);
	return *overtaken != 0 ? STORE_DB_ERROR : STORE_OK;
}

/* Run a walk under the readers' guard, again while writers overtake it;
 * reset(arg) undoes a partial walk before the next try. */
static enum store_status
counts_walk_retried(struct store *st, const char *query, counts_walk_fn fn,
    void (*reset)(void *), void *arg)
{
	enum store_status	rc;
	int			attempt, overtaken;

	for (attempt = 1;; attempt++) {
		store_read_begin(st);
		rc = counts_walk(st, query, fn, arg, &overtaken);
		store_read_end(st);
		if (overtaken == 0 || attempt == STORE_READ_ATTEMPTS ||
		    (overtaken == STORE_SEARCH_FAILED && attempt > 1))
			return rc;
		reset(arg);
		store_read_again(st, attempt);
	}
}

/* The full walk of view i: its bit set on each conversation it holds. */
struct counts_view {
	struct store_counts	*sc;
	uint64_t		 bit;
};

static void
counts_view_add(uint64_t key, int unread, void *arg)
{
	struct counts_view	*cv = arg;
	struct counts_slot	*s;

	s = counts_find(cv->sc, key, 1);
	s->in |= cv->bit;
	if (unread)
		s->unread |= cv->bit;
}

static void
counts_view_reset(void *arg)
{
	struct counts_view	*cv = arg;
	size_t			 i;

	for (i = 0; i < cv->sc->cap; i++) {
		cv->sc->slots[i].in &= ~cv->bit;
		cv->sc->slots[i].unread &= ~cv->bit;
	}
}

static void
counts_tally(struct store_counts *sc, size_t v)
{
	uint64_t	bit = (uint64_t)1 << v;
	size_t		i;
	long		total = 0, unread = 0;

	for (i = 0; i < sc->cap; i++) {
		if (sc->slots[i].in & bit)
			total++;
		if (sc->slots[i].unread & bit)
			unread++;
	}
	sc->changed[v] = total != sc->total[v] || unread != sc->unread[v];
	sc->total[v] = total;
	sc->unread[v] = unread;
}

static void
counts_note_revision(struct store_counts *sc, struct store *st)
{
	const char	*uuid = NULL;

	sc->revision = notmuch_database_get_revision(st->db, &uuid);
	free(sc->uuid);
	sc->uuid = xstrdup(uuid != NULL ? uuid : "");
}

enum store_status
store_counts_build(struct store *st, struct store_counts *sc,
    void (*progress)(struct store_counts *, size_t, void *), void *arg)
{
	struct counts_view	cv;
	enum store_status	rc;
	size_t			v;
	char			*filtered;

	free(sc->slots);
	sc->slots = NULL;
	sc->cap = sc->used = 0;
	sc->touched = 0;
	/* A view counts what its list shows: of the user's own mail, what
	 * an email channel's query= keeps (store_query_convs). */
	for (v = 0; !sc->filtered && v < sc->n; v++) {
		filtered = store_mail_filter(st, sc->queries[v]);
		free(sc->queries[v]);
		sc->queries[v] = filtered;
	}
	sc->filtered = 1;
	/* The revision first: changes during the walks come in as a delta. */
	store_read_begin(st);
	counts_note_revision(sc, st);
	store_read_end(st);
	for (v = 0; v < sc->n; v++) {
		cv.sc = sc;
		cv.bit = (uint64_t)1 << v;
		rc = counts_walk_retried(st, sc->queries[v], counts_view_add,
		    counts_view_reset, &cv);
		if (rc != STORE_OK) {
			/* A bad user view: no count, the others go on. */
			counts_view_reset(&cv);
			sc->total[v] = sc->unread[v] = -1;
			sc->changed[v] = 1;
		} else
			counts_tally(sc, v);
		if (progress != NULL)
			progress(sc, v, arg);
	}
	sc->built = 1;
	return STORE_OK;
}

/* An update's walk: new masks for the touched conversations. */
struct counts_delta {
	uint64_t		*keys;		/* sorted */
	struct counts_slot	*next;		/* masks found, same order */
	size_t			 n;
	uint64_t		 bit;
};

static int
counts_key_cmp(const void *a, const void *b)
{
	uint64_t	x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static struct counts_slot *
counts_delta_slot(struct counts_delta *d, uint64_t key)
{
	uint64_t	*k;

	k = bsearch(&key, d->keys, d->n, sizeof *d->keys, counts_key_cmp);
	return k != NULL ? &d->next[k - d->keys] : NULL;
}

static void
counts_delta_add(uint64_t key, int unread, void *arg)
{
	struct counts_delta	*d = arg;
	struct counts_slot	*s;

	if ((s = counts_delta_slot(d, key)) == NULL)
		return;		/* cannot be: the query names the chunk's */
	s->in |= d->bit;
	if (unread)
		s->unread |= d->bit;
}

static void
counts_delta_reset(void *arg)
{
	struct counts_delta	*d = arg;
	size_t			 i;

	for (i = 0; i < d->n; i++) {
		d->next[i].in &= ~d->bit;
		d->next[i].unread &= ~d->bit;
	}
}

/* The conversations with a message modified in revisions from..to. */
static enum store_status
counts_touched_walk(struct store *st, uint64_t from, uint64_t to,
    struct strset *ids, int *overtaken)
{
	enum store_status	 rc;
	char			*query, *cause = NULL;

	strset_free(ids);
	query = xasprintf("lastmod:%" PRIu64 "..%" PRIu64, from, to);
	rc = store_collect_threads(st, query, NOTMUCH_SORT_UNSORTED, 0, ids,
	    overtaken, &cause);
	free(query);
	free(cause);
	return rc;
}

enum store_status
store_counts_update(struct store *st, struct store_counts *sc)
{
	struct strset		 ids = { NULL, 0, NULL, 0 };
	struct counts_delta	 d;
	struct counts_slot	*s;
	struct buf		 restrict_q;
	enum store_status	 rc = STORE_OK;
	const char		*uuid = NULL;
	uint64_t		 now, bit, gone;
	size_t			 i, v, start;
	int			 attempt, overtaken;
	char			*query;

	for (v = 0; v < sc->n; v++)
		sc->changed[v] = 0;
	sc->touched = 0;
	if (!sc->built)
		return store_counts_build(st, sc, NULL, NULL);
	/* The touched conversations, read on one snapshot. */
	for (attempt = 1;; attempt++) {
		store_read_begin(st);
		now = notmuch_database_get_revision(st->db, &uuid);
		if (uuid == NULL || strcmp(uuid, sc->uuid) != 0 ||
		    now < sc->revision) {
			/* Another database now: every view again. */
			store_read_end(st);
			strset_free(&ids);
			return store_counts_build(st, sc, NULL, NULL);
		}
		if (now == sc->revision) {
			store_read_end(st);
			return STORE_OK;
		}
		rc = counts_touched_walk(st, sc->revision + 1, now, &ids,
		    &overtaken);
		store_read_end(st);
		if (overtaken == 0 || attempt == STORE_READ_ATTEMPTS)
			break;
		store_read_again(st, attempt);
	}
	if (rc != STORE_OK) {
		strset_free(&ids);
		return rc;
	}
	if (ids.n > COUNTS_REBUILD_OVER) {
		strset_free(&ids);
		return store_counts_build(st, sc, NULL, NULL);
	}
	sc->touched = (long)ids.n;
	gone = 0;	/* views whose query failed: never counted */
	for (v = 0; v < sc->n; v++)
		if (sc->total[v] < 0)
			gone |= (uint64_t)1 << v;

	/* New masks for each chunk of touched conversations, then the diff. */
	for (start = 0; start < ids.n; start += COUNTS_CHUNK) {
		d.n = ids.n - start < COUNTS_CHUNK ? ids.n - start :
		    COUNTS_CHUNK;
		d.keys = xcalloc(d.n, sizeof *d.keys);
		d.next = xcalloc(d.n, sizeof *d.next);
		buf_init(&restrict_q);
		for (i = 0; i < d.n; i++) {
			d.keys[i] = counts_key(ids.items[start + i]);
			buf_add_printf(&restrict_q, "%sthread:%s", i > 0 ? " or " :
			    "", ids.items[start + i]);
		}
		qsort(d.keys, d.n, sizeof *d.keys, counts_key_cmp);
		for (v = 0; v < sc->n; v++) {
			if (sc->total[v] < 0)
				continue;	/* a bad query stays uncounted */
			d.bit = (uint64_t)1 << v;
			query = store_query_is_all(sc->queries[v]) ?
			    xstrdup(restrict_q.data) :
			    xasprintf("(%s) and (%s)", sc->queries[v],
			    restrict_q.data);
			rc = counts_walk_retried(st, query, counts_delta_add,
			    counts_delta_reset, &d);
			free(query);
			if (rc != STORE_OK)
				break;
		}
		buf_free(&restrict_q);
		if (rc == STORE_OK) {
			for (i = 0; i < d.n; i++) {
				s = counts_find(sc, d.keys[i], 1);
				for (v = 0; v < sc->n; v++) {
					bit = (uint64_t)1 << v;
					if (sc->total[v] < 0)
						continue;
					if ((s->in ^ d.next[i].in) & bit) {
						sc->total[v] += (d.next[i].in &
						    bit) ? 1 : -1;
						sc->changed[v] = 1;
					}
					if ((s->unread ^ d.next[i].unread) &
					    bit) {
						sc->unread[v] +=
						    (d.next[i].unread & bit) ?
						    1 : -1;
						sc->changed[v] = 1;
					}
				}
				s->in = d.next[i].in & ~gone;
				s->unread = d.next[i].unread & ~gone;
			}
		}
		free(d.keys);
		free(d.next);
		if (rc != STORE_OK)
			break;
	}
	strset_free(&ids);
	if (rc != STORE_OK)
		return store_counts_build(st, sc, NULL, NULL);
	sc->revision = now;
	return STORE_OK;
}
