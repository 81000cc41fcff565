/*
 * store-shift.c: an agent's shift on the store (issue 15). What changed
 * since their last shift, as core's summary rows (shift.c); the start
 * and the end of a shift recorded as events; and whether an agent is
 * available, one small file per agent:
 *
 *   DIR/agents/NAME     "state available|away", "since T", "started T",
 *                       "ended T", one a line (shift.c's format)
 *
 * The files live beside presence/ and are read by every agent of a
 * shared data dir (group-readable there), written whole.
 *
 * Where a shift-start lives. store-report.c's --shift reads the newest
 * message of kind event and event shift-start whose From is the agent,
 * wherever it is. It goes into each conversation the agent has open
 * (assigned, not done): the issue asks that the shift be part of each
 * conversation's history, so whoever reads one sees when its agent came
 * back, and it needs no conversation of its own, which every view, count
 * and query would then have to leave out. An agent with nothing open has
 * the start in their file only (--shift then falls back to its 8 hours).
 * The end is the handover event written into each of the agent's
 * conversations, and the file.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "store/store-private.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SHIFT_FILE_MAX	512	/* bytes of an agent's file */
#define SHIFT_PAGE	500	/* conversations a query page */

/* Can name be a file of DIR/agents? (Also a valid tag: checked above.) */
static int
shift_name_ok(const char *name)
{
	return *name != '\0' && *name != '.' && strchr(name, '/') == NULL &&
	    strchr(name, '\n') == NULL;
}

int
store_agent_read(const char *data_dir, const char *name,
    struct shift_avail *a)
{
	struct stat	 sb;
	char		*path, data[SHIFT_FILE_MAX];
	ssize_t		 got;
	int		 fd;

	memset(a, 0, sizeof *a);
	if (!shift_name_ok(name))
		return -1;
	path = xasprintf("%s/agents/%s", data_dir, name);
	/* Written by other agents: untrusted, never followed, capped. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	free(path);
	if (fd == -1)
		return -1;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return -1;
	}
	got = read(fd, data, sizeof data);
	close(fd);
	if (got <= 0)
		return -1;
	return shift_avail_parse(data, (size_t)got, a);
}

int
store_agent_write(const char *data_dir, const char *name,
    const struct shift_avail *a)
{
	struct stat	 sb;
	char		*dir, *text;
	mode_t		 mode = 0600;
	int		 rc;

	if (!shift_name_ok(name)) {
		errno = EINVAL;
		return -1;
	}
	/* A shared data dir (group-writable): the team reads who is
	 * away, and an agent may set a colleague available. */
	if (stat(data_dir, &sb) == 0 && (sb.st_mode & S_IWGRP))
		mode = 0660;
	dir = xasprintf("%s/agents", data_dir);
	if (util_mkdir_p(dir, mode == 0660 ? 02770 : 0700) != 0) {
		free(dir);
		return -1;
	}
	text = shift_avail_format(a);
	rc = util_write_file(dir, name, text, strlen(text), mode);
	free(text);
	free(dir);
	return rc;
}

int
store_agent_available(const char *data_dir, const char *name,
    int64_t *since)
{
	struct shift_avail	a;

	*since = 0;
	/* No file: never ended a shift, available. */
	if (store_agent_read(data_dir, name, &a) != 0)
		return 1;
	*since = a.since;
	return !a.away;
}

void
store_agents_free(struct store_agent *list, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(list[i].name);
	free(list);
}

static int
shift_agent_cmp(const void *a0, const void *b0)
{
	const struct store_agent	*a = a0, *b = b0;

	return strcmp(a->name, b->name);
}

size_t
store_agents_list(const char *data_dir, struct store_agent **out)
{
	struct dirent	*de;
	DIR		*dirp;
	char		*dir;
	size_t		 n = 0;

	*out = NULL;
	dir = xasprintf("%s/agents", data_dir);
	if ((dirp = opendir(dir)) == NULL) {
		free(dir);
		return 0;
	}
	while ((de = readdir(dirp)) != NULL) {
		struct shift_avail	a;

		if (!shift_name_ok(de->d_name) ||
		    store_agent_read(data_dir, de->d_name, &a) != 0)
			continue;	/* a temporary file, or not ours */
		*out = xreallocarray(*out, n + 1, sizeof **out);
		(*out)[n].name = xstrdup(de->d_name);
		(*out)[n].avail = a;
		n++;
	}
	closedir(dirp);
	free(dir);
	if (n > 1)
		qsort(*out, n, sizeof **out, shift_agent_cmp);
	return n;
}

/* ------------------------------------------------------------ queries */

void
store_shift_rows_free(struct shift_row *rows, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		free(rows[i].id);
		free(rows[i].thread_id);
		free(rows[i].channel);
		free(rows[i].who);
		free(rows[i].text);
	}
	free(rows);
}

struct shift_rows {
	struct shift_row	*v;
	size_t			 n;
};

static void
shift_add(struct shift_rows *r, enum shift_section s,
    const struct store_conv *c, const char *who, int64_t when,
    const char *text)
{
	struct shift_row	*row;

	r->v = xreallocarray(r->v, r->n + 1, sizeof *r->v);
	row = &r->v[r->n++];
	memset(row, 0, sizeof *row);
	row->section = s;
	row->id = xstrdup(c->short_id);
	row->thread_id = xstrdup(c->thread_id);
	row->channel = xstrdup(c->channel != NULL ? c->channel : "");
	row->who = xstrdup(who != NULL ? who : "");
	row->when = when;
	row->text = xstrdup(text != NULL ? text : "");
}

/* By section, then oldest first, then by id: the same corpus always
 * reads the same. */
static int
shift_row_cmp(const void *a0, const void *b0)
{
	const struct shift_row	*a = a0, *b = b0;

	if (a->section != b->section)
		return a->section < b->section ? -1 : 1;
	if (a->when != b->when)
		return a->when < b->when ? -1 : 1;
	return strcmp(a->thread_id, b->thread_id);
}

/* Who wrote a note or an event. */
static const char *
shift_author(const struct msg *m)
{
	if (m->agent != NULL && *m->agent != '\0')
		return m->agent;
	return m->from_name != NULL ? m->from_name : "";
}

/* A handover's line: its reason, else its text. */
static const char *
shift_note(const struct msg *m)
{
	if (m->reason != NULL && *m->reason != '\0')
		return m->reason;
	return m->text != NULL ? m->text : "";
}

/*
 * What happened in one conversation since: new, a customer back in one
 * of mine, the notes left me (by others: in mine, or a handover naming
 * me anywhere).
 */
static enum store_status
shift_conv_messages(struct store *st, const struct store_conv *c,
    const char *agent, int64_t since, struct shift_rows *r, char **cause)
{
	struct msg		**msgs;
	const struct msg	 *first = NULL, *again = NULL, *m;
	enum store_status	  rc;
	size_t			  n, i;
	char			 *tag;
	int			  mine;

	tag = xasprintf("%s%s", TRIAGE_ASSIGNED_PREFIX, agent);
	mine = store_conv_has_tag(c, tag) &&
	    !store_conv_has_tag(c, "ombre/done");
	free(tag);
	rc = store_thread_messages(st, c->thread_id, &msgs, &n, cause);
	if (rc != STORE_OK)
		return rc;
	for (i = 0; i < n; i++) {
		m = msgs[i];
		if (m->kind != MSG_EVENT && first == NULL)
			first = m;
		if (m->date < since)
			continue;
		if (m->kind == MSG_CUSTOMER && mine)
			again = m;
		if (strcmp(shift_author(m), agent) == 0)
			continue;
		if (m->kind == MSG_NOTE && mine)
			shift_add(r, SHIFT_NOTE, c, shift_author(m), m->date,
			    m->text);
		else if (m->kind == MSG_EVENT && m->event != NULL &&
		    strcmp(m->event, "handover") == 0 && (mine ||
		    shift_names(shift_note(m), agent)))
			shift_add(r, SHIFT_NOTE, c, shift_author(m), m->date,
			    shift_note(m));
	}
	if (first != NULL && first->date >= since)
		shift_add(r, SHIFT_NEW, c, c->customer_name, first->date,
		    first->text);
	/* Again: a conversation that began before; a new one is new. */
	if (again != NULL && first != NULL && first->date < since)
		shift_add(r, SHIFT_AGAIN, c, c->customer_name, again->date,
		    again->text);
	store_msgs_free(msgs, n);
	return STORE_OK;
}

/* Where an open conversation stands now: waiting for a human, near or
 * past its target. */
static void
shift_conv_state(const struct store_conv *c, int64_t now,
    struct shift_rows *r)
{
	struct sla_status	 s;
	enum triage_mode	 mode;
	char			 left[32];

	if (!store_conv_has_tag(c, "inbox"))
		return;
	mode = triage_mode(c->tags, c->n_tags);
	if (mode == TRIAGE_MODE_HANDOFF)
		shift_add(r, SHIFT_HANDOFF, c, c->customer_name,
		    c->waiting_since > 0 ? c->waiting_since : c->newest,
		    c->handoff_reason != NULL ? c->handoff_reason : c->snippet);
	/* The bot's conversations have no human's target to miss. */
	if (mode == TRIAGE_MODE_BOT || c->waiting_since == 0)
		return;
	sla_eval(c->channel, c->tags, c->first_wait, c->waiting_since, now,
	    &s);
	if (s.state != SLA_WARN && s.state != SLA_BREACH)
		return;
	/* In C: the row is also shift --json's (its text shown as the
	 * handoff's reason is, in the words it was stored in). */
	sla_format_c(&s, 1, left, sizeof left);
	shift_add(r, SHIFT_SLA, c, c->customer_name, c->waiting_since, left);
	r->v[r->n - 1].sla = s;
}

/* Each conversation of query, a page at a time, given to fn. */
static enum store_status
shift_each(struct store *st, const char *query,
    enum store_status (*fn)(struct store *, const struct store_conv *,
    void *, char **), void *data, char **cause)
{
	struct store_conv	**convs;
	enum store_status	  rc = STORE_OK;
	size_t			  n, i;
	long			  offset = 0;

	for (;;) {
		rc = store_query_convs(st, query, offset, SHIFT_PAGE, &convs,
		    &n, cause);
		if (rc != STORE_OK)
			return rc;
		for (i = 0; i < n && rc == STORE_OK; i++)
			rc = fn(st, convs[i], data, cause);
		store_convs_free(convs, n);
		if (rc != STORE_OK || n < SHIFT_PAGE)
			return rc;
		offset += SHIFT_PAGE;
	}
}

struct shift_walk {
	const char		*agent;
	int64_t			 since;
	int64_t			 now;
	struct shift_rows	 rows;
};

static enum store_status
shift_walk_open(struct store *st, const struct store_conv *c, void *data,
    char **cause)
{
	struct shift_walk	*w = data;

	(void)st;
	(void)cause;
	shift_conv_state(c, w->now, &w->rows);
	return STORE_OK;
}

/*
 * The conversations with a message or an event since: their thread ids
 * from a message search (a conversation's own query pages by its newest
 * message, which an event is not: a handover in the night would be
 * missed), each read as the list reads it.
 */
static enum store_status
shift_since_each(struct store *st, int64_t since, struct shift_walk *w,
    char **cause)
{
	struct strset		  ids = { NULL, 0, NULL, 0 };
	struct store_conv	**convs;
	notmuch_query_t		 *q;
	notmuch_messages_t	 *msgs;
	notmuch_message_t	 *nm;
	notmuch_status_t	  status;
	enum store_status	  rc = STORE_OK;
	const char		 *tid;
	char			 *query;
	size_t			  i, n, k;

	query = xasprintf("date:@%" PRId64 "..", since);
	status = store_query_messages(st, query, NOTMUCH_SORT_OLDEST_FIRST, &q,
	    &msgs);
	free(query);
	if (status != NOTMUCH_STATUS_SUCCESS) {
		*cause = xasprintf(_("searching the messages since: %s"),
		    notmuch_status_to_string(status));
		return STORE_DB_ERROR;
	}
	for (; notmuch_messages_valid(msgs);
	    notmuch_messages_move_to_next(msgs)) {
		if ((nm = notmuch_messages_get(msgs)) == NULL)
			break;
		if ((tid = notmuch_message_get_thread_id(nm)) != NULL)
			strset_add(&ids, tid);
		notmuch_message_destroy(nm);
	}
	notmuch_query_destroy(q);
	for (i = 0; i < ids.n && rc == STORE_OK; i++) {
		query = xasprintf("thread:%s", ids.items[i]);
		rc = store_query_convs(st, query, 0, 1, &convs, &n, cause);
		free(query);
		if (rc != STORE_OK)
			break;
		for (k = 0; k < n && rc == STORE_OK; k++)
			rc = shift_conv_messages(st, convs[k], w->agent, since,
			    &w->rows, cause);
		store_convs_free(convs, n);
	}
	strset_free(&ids);
	return rc;
}

enum store_status
store_shift_summary(struct store *st, const char *agent, int64_t since,
    int64_t now, struct shift_row **rows, size_t *n, char **cause)
{
	struct shift_walk	 w;
	enum store_status	 rc;

	*rows = NULL;
	*n = 0;
	*cause = NULL;
	memset(&w, 0, sizeof w);
	w.agent = agent;
	w.since = since;
	w.now = now;
	/* What happened since. */
	rc = shift_since_each(st, since, &w, cause);
	/* What stands now: every open conversation. */
	if (rc == STORE_OK)
		rc = shift_each(st, "tag:inbox", shift_walk_open, &w, cause);
	if (rc != STORE_OK) {
		store_shift_rows_free(w.rows.v, w.rows.n);
		return rc;
	}
	if (w.rows.n > 1)
		qsort(w.rows.v, w.rows.n, sizeof *w.rows.v, shift_row_cmp);
	*rows = w.rows.v;
	*n = w.rows.n;
	return STORE_OK;
}

enum store_status
store_shift_mine(struct store *st, const char *agent,
    struct store_conv ***out, size_t *n, char **cause)
{
	struct store_conv	**page;
	enum store_status	  rc;
	char			 *query;
	size_t			  got, i;
	long			  offset = 0;

	*out = NULL;
	*n = 0;
	*cause = NULL;
	query = xasprintf("tag:%s%s and not tag:ombre/done",
	    TRIAGE_ASSIGNED_PREFIX, agent);
	for (;;) {
		rc = store_query_convs(st, query, offset, SHIFT_PAGE, &page,
		    &got, cause);
		if (rc != STORE_OK)
			break;
		*out = xreallocarray(*out, *n + got + 1, sizeof **out);
		for (i = 0; i < got; i++)
			(*out)[(*n)++] = page[i];
		free(page);
		if (got < SHIFT_PAGE)
			break;
		offset += SHIFT_PAGE;
	}
	free(query);
	if (rc != STORE_OK) {
		store_convs_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

enum store_status
store_shift_start(struct store *st, const char *agent, int64_t now,
    size_t *n_events, char **cause)
{
	struct store_conv	**convs;
	struct store_event	 *evs;
	struct shift_avail	  a;
	enum store_status	  rc;
	size_t			  n, i;

	*n_events = 0;
	if ((rc = store_shift_mine(st, agent, &convs, &n, cause)) != STORE_OK)
		return rc;
	evs = xcalloc(n + 1, sizeof *evs);
	for (i = 0; i < n; i++) {
		evs[i].thread_id = convs[i]->thread_id;
		evs[i].type = "shift-start";
		evs[i].agent = agent;
	}
	rc = n > 0 ? store_events(st, evs, n, cause) : STORE_OK;
	free(evs);
	store_convs_free(convs, n);
	if (rc != STORE_OK)
		return rc;
	*n_events = n;
	store_agent_read(st->data_dir, agent, &a);
	a.away = 0;
	a.since = now;
	a.started = now;
	if (store_agent_write(st->data_dir, agent, &a) != 0) {
		*cause = xasprintf(_("writing %s/agents/%s: %s"), st->data_dir,
		    agent, strerror(errno));
		return STORE_IO_ERROR;
	}
	return STORE_OK;
}

enum store_status
store_shift_handover(struct store *st, const char *agent,
    struct store_conv *const *convs, size_t n, enum shift_target kind,
    const char *name, const char *note, int force, int64_t now,
    char **cause)
{
	struct store_event	 *evs;
	enum store_status	  rc;
	char			**texts;
	char			***ops;
	int64_t			  since;
	size_t			  i;

	*cause = NULL;
	/* An away colleague gets nothing new (--force: they asked). */
	if (kind == SHIFT_TO_AGENT && !force && strcmp(name, agent) != 0 &&
	    !store_agent_available(st->data_dir, name, &since)) {
		*cause = shift_away_text(name, since, now);
		return STORE_REFUSED;
	}
	evs = xcalloc(n + 1, sizeof *evs);
	texts = xcalloc(n + 1, sizeof *texts);
	ops = xcalloc(n + 1, sizeof *ops);
	for (i = 0; i < n; i++) {
		ops[i] = shift_handover_ops(kind, name, convs[i]->tags,
		    convs[i]->n_tags);
		texts[i] = shift_handover_text(agent, now, kind, name, note);
		evs[i].thread_id = convs[i]->thread_id;
		evs[i].type = "handover";
		evs[i].agent = agent;
		evs[i].reason = texts[i];
		evs[i].ops = ops[i];
		evs[i].seen = convs[i]->msg_ids;
		evs[i].force = 1;	/* checked above, for all of them */
	}
	rc = n > 0 ? store_events(st, evs, n, cause) : STORE_OK;
	for (i = 0; i < n; i++) {
		triage_tags_free(ops[i]);
		free(texts[i]);
	}
	free(ops);
	free(texts);
	free(evs);
	return rc;
}

enum store_status
store_shift_end(struct store *st, const char *agent, int64_t now,
    char **cause)
{
	struct shift_avail	a;

	*cause = NULL;
	store_agent_read(st->data_dir, agent, &a);
	a.away = 1;
	a.since = now;
	a.ended = now;
	if (store_agent_write(st->data_dir, agent, &a) != 0) {
		*cause = xasprintf(_("writing %s/agents/%s: %s"), st->data_dir,
		    agent, strerror(errno));
		return STORE_IO_ERROR;
	}
	return STORE_OK;
}

/*
 * An assignment to an away agent, refused (store_events): NULL, or the
 * reason, allocated. Only an assignment by someone else: an agent who
 * takes a conversation themselves is working.
 */
char *
store_shift_refuse(struct store *st, const struct store_event *ev)
{
	const char	*who;
	int64_t		 since;
	size_t		 i;

	if (ev->force || ev->ops == NULL || ev->type == NULL ||
	    strcmp(ev->type, "assigned") != 0)
		return NULL;
	for (i = 0; ev->ops[i] != NULL; i++) {
		if (ev->ops[i][0] != '+' ||
		    (who = triage_tag_assignee(ev->ops[i] + 1)) == NULL)
			continue;
		if (strcmp(who, ev->agent != NULL ? ev->agent :
		    core_agent_name()) == 0)
			continue;
		if (!store_agent_available(st->data_dir, who, &since))
			return shift_away_text(who, since, util_now());
	}
	return NULL;
}
