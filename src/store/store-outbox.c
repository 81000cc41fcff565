/*
 * store-outbox.c: replies stored before they are sent.
 *
 * A reply is a message file like any other, so it is searchable, shown
 * in its conversation and kept whatever happens to the network. Its
 * delivery state is a property, changed in a transaction committed before
 * the syncer makes the request it announces (reliability.md, R6): after a
 * crash the state says what may have happened, never less.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "store/store-private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OUTBOX_STATE	"ombre.outbox"
#define OUTBOX_REMOTE	"ombre.remote-id"
#define OUTBOX_ERROR	"ombre.outbox-error"
#define OUTBOX_TEMPLATE	"ombre.template"	/* the channel-approved one */
#define OUTBOX_DELIVERY	"ombre.delivery"	/* delivered, read */
#define OUTBOX_DELIVERY_DATE "ombre.delivery-date"	/* seconds */

/* One property of one message, committed; what names it in a cause. */
static enum store_status
outbox_set_property(struct store *st, const char *msgid,
    const char *key, const char *value, const char *what, char **cause)
{
	notmuch_message_t	*nm = NULL;
	notmuch_status_t	 status;
	struct store_property	 prop = { key, value };
	enum store_status	 rc;

	if (notmuch_database_find_message(st->db, msgid, &nm) !=
	    NOTMUCH_STATUS_SUCCESS || nm == NULL) {
		*cause = xasprintf(_("no message <%s>"), msgid);
		return STORE_NOT_FOUND;
	}
	if ((rc = store_begin(st, what, cause)) != STORE_OK) {
		notmuch_message_destroy(nm);
		return rc;
	}
	status = store_message_edit(nm, NULL, 0, &prop, 1);
	notmuch_message_destroy(nm);
	if (status != NOTMUCH_STATUS_SUCCESS)
		return store_abort(st, what, status, cause);
	return store_commit(st, what, cause);
}

void
store_msg_outbox_state(notmuch_message_t *nm, struct msg *m)
{
	const char	*value = NULL;

	if (notmuch_message_get_property(nm, OUTBOX_STATE, &value) ==
	    NOTMUCH_STATUS_SUCCESS && value != NULL)
		m->outbox = xstrdup(value);
	value = NULL;
	if (notmuch_message_get_property(nm, OUTBOX_REMOTE, &value) ==
	    NOTMUCH_STATUS_SUCCESS && value != NULL)
		m->remote_id = xstrdup(value);
	value = NULL;
	if (notmuch_message_get_property(nm, OUTBOX_ERROR, &value) ==
	    NOTMUCH_STATUS_SUCCESS && value != NULL)
		m->outbox_error = xstrdup(value);
	value = NULL;
	if (notmuch_message_get_property(nm, OUTBOX_DELIVERY, &value) ==
	    NOTMUCH_STATUS_SUCCESS && value != NULL) {
		m->delivery = xstrdup(value);
		value = NULL;
		if (notmuch_message_get_property(nm, OUTBOX_DELIVERY_DATE,
		    &value) == NOTMUCH_STATUS_SUCCESS && value != NULL)
			m->delivery_date = strtoll(value, NULL, 10);
	}
}

/* Attachments fetched into the data dir: property ombre.attachment.N. */
void
store_msg_attachments_local(notmuch_message_t *nm, struct msg *m)
{
	const char	*value;
	char		 key[64];
	size_t		 i;

	for (i = 0; i < m->n_attachments; i++) {
		snprintf(key, sizeof key, "ombre.attachment.%zu", i);
		value = NULL;
		if (notmuch_message_get_property(nm, key, &value) ==
		    NOTMUCH_STATUS_SUCCESS && value != NULL)
			m->attachments[i].local = xstrdup(value);
	}
}

enum store_status
store_attachment_saved(struct store *st, const char *msgid, size_t index,
    const char *path, char **cause)
{
	char	key[64];

	*cause = NULL;
	snprintf(key, sizeof key, "ombre.attachment.%zu", index);
	return outbox_set_property(st, msgid, key, path,
	    "committing the attachment's path", cause);
}

enum store_status
store_message_get(struct store *st, const char *msgid, struct msg **out,
    char **cause)
{
	notmuch_message_t	*nm = NULL;
	const char		*path;

	*out = NULL;
	*cause = NULL;
	store_read_begin(st);
	if (notmuch_database_find_message(st->db, msgid, &nm) !=
	    NOTMUCH_STATUS_SUCCESS || nm == NULL) {
		store_read_end(st);
		*cause = xasprintf(_("no message <%s>"), msgid);
		return STORE_NOT_FOUND;
	}
	path = notmuch_message_get_filename(nm);
	*out = path != NULL ? store_file_read(path, cause) : NULL;
	if (*out != NULL)
		store_msg_attachments_local(nm, *out);
	notmuch_message_destroy(nm);
	store_read_end(st);
	if (*out == NULL) {
		if (*cause == NULL)
			*cause = xasprintf(_("<%s> has no file"), msgid);
		return STORE_DB_ERROR;
	}
	return STORE_OK;
}

void
store_outgoing_free(struct store_outgoing *o)
{
	if (o == NULL)
		return;
	free(o->msgid);
	free(o->native_id);
	free(o->state);
	free(o->channel);
	free(o->account);
	free(o->conv_id);
	free(o->text);
	free(o->reply_to);
	free(o->error);
	free(o->template_name);
	free(o);
}

enum store_status
store_outbox_add(struct store *st, const struct msg *m, const char *approved,
    char **cause)
{
	enum store_status	rc;
	char			*msgid;

	if (!msgid_is_outbound(m->id)) {
		*cause = xstrdup(_("a reply needs an outbound id"));
		return STORE_BAD_INPUT;
	}
	rc = store_ingest(st, m, cause);
	if (rc != STORE_OK)
		return rc;
	if ((rc = store_flush(st, cause)) != STORE_OK)
		return rc;
	msgid = msgid_message(m->channel, m->account, m->conv_id, m->id);
	/* Before it is queued: a syncer never sees it without. */
	if (approved != NULL && (rc = outbox_set_property(st, msgid,
	    OUTBOX_TEMPLATE, approved, "committing the approved template",
	    cause)) != STORE_OK) {
		free(msgid);
		return rc;
	}
	rc = store_outbox_set(st, msgid, "queued", NULL, NULL, cause);
	free(msgid);
	return rc;
}

enum store_status
store_outbox_list(struct store *st, int with_failed,
    struct store_outgoing ***out, size_t *n, char **cause)
{
	notmuch_query_t		*q;
	notmuch_messages_t	*msgs;
	notmuch_message_t	*nm;
	struct store_outgoing	*o;
	struct msg		*m;
	const char		*path, *state;
	char			*why = NULL;

	*out = NULL;
	*n = 0;
	*cause = NULL;
	store_read_begin(st);
	if (store_query_messages(st, with_failed ? "tag:ombre/outbox or "
	    "tag:ombre/failed" : "tag:ombre/outbox", NOTMUCH_SORT_OLDEST_FIRST,
	    &q, &msgs) != NOTMUCH_STATUS_SUCCESS) {
		store_read_end(st);
		*cause = xstrdup(_("searching the outbox failed"));
		return STORE_DB_ERROR;
	}
	for (; notmuch_messages_valid(msgs); notmuch_messages_move_to_next(msgs)) {
		nm = notmuch_messages_get(msgs);
		if (nm == NULL)
			break;
		path = notmuch_message_get_filename(nm);
		m = path != NULL ? store_file_read(path, &why) : NULL;
		free(why);
		why = NULL;
		if (m == NULL)
			continue;
		o = xcalloc(1, sizeof *o);
		o->msgid = xstrdup(notmuch_message_get_message_id(nm));
		o->native_id = xstrdup(m->id);
		state = NULL;
		notmuch_message_get_property(nm, OUTBOX_STATE, &state);
		o->state = xstrdup(state != NULL ? state : "queued");
		state = NULL;
		notmuch_message_get_property(nm, OUTBOX_ERROR, &state);
		o->error = state != NULL ? xstrdup(state) : NULL;
		state = NULL;
		notmuch_message_get_property(nm, OUTBOX_TEMPLATE, &state);
		o->template_name = state != NULL ? xstrdup(state) : NULL;
		o->channel = m->channel;
		o->account = m->account;
		o->conv_id = m->conv_id;
		o->text = m->text;
		o->reply_to = m->reply_to;
		o->date = m->date;
		o->bot = m->kind == MSG_BOT;
		m->channel = m->account = m->conv_id = m->text = NULL;
		m->reply_to = NULL;
		msg_free(m);
		*out = xreallocarray(*out, *n + 1, sizeof **out);
		(*out)[(*n)++] = o;
	}
	notmuch_query_destroy(q);
	store_read_end(st);
	return STORE_OK;
}

/* Is state one of the comma-separated list? */
static int
outbox_state_in(const char *state, const char *list)
{
	size_t	len = strlen(state);

	while (*list != '\0') {
		if (strncmp(list, state, len) == 0 &&
		    (list[len] == ',' || list[len] == '\0'))
			return 1;
		list += strcspn(list, ",");
		if (*list == ',')
			list++;
	}
	return 0;
}

enum store_status
store_outbox_set(struct store *st, const char *msgid, const char *state,
    const char *remote_id, const char *error, char **cause)
{
	return store_outbox_move(st, msgid, NULL, state, remote_id, error,
	    cause);
}

enum store_status
store_outbox_move(struct store *st, const char *msgid, const char *expect,
    const char *state, const char *remote_id, const char *error,
    char **cause)
{
	notmuch_message_t	*nm = NULL;
	notmuch_status_t	 status;
	enum store_status	 rc;
	struct store_property	 props[3];
	const char		*now, *ops[3];
	char			*error_cut = NULL;
	size_t			 n_ops = 0, n_props = 0;
	int			 done;

	*cause = NULL;
	if (st->mode != STORE_READ_WRITE)
		/* not translated: a broken invariant, for the programmer */
		fatalx("store_outbox_move on a read-only store");
	if (notmuch_database_find_message(st->db, msgid, &nm) !=
	    NOTMUCH_STATUS_SUCCESS || nm == NULL) {
		*cause = xasprintf(_("no reply <%s>"), msgid);
		return STORE_NOT_FOUND;
	}
	if (expect != NULL) {
		now = NULL;
		notmuch_message_get_property(nm, OUTBOX_STATE, &now);
		if (now == NULL || !outbox_state_in(now, expect)) {
			*cause = xasprintf(_("the reply is %s"), now != NULL ?
			    now : _("not in the outbox"));
			notmuch_message_destroy(nm);
			return STORE_REFUSED;
		}
	}
	done = strcmp(state, "sent") == 0 || strcmp(state, "failed") == 0 ||
	    strcmp(state, "discarded") == 0;
	if (done) {
		ops[n_ops++] = "-ombre/outbox";
		ops[n_ops++] = "-ombre/failed";
		if (strcmp(state, "sent") == 0)
			ops[n_ops++] = "+ombre/sent";
		else if (strcmp(state, "failed") == 0)
			ops[n_ops++] = "+ombre/failed";
	} else {
		ops[n_ops++] = "-ombre/failed";
		ops[n_ops++] = "+ombre/outbox";
	}
	props[n_props].key = OUTBOX_STATE;
	props[n_props++].value = state;
	if (remote_id != NULL) {
		props[n_props].key = OUTBOX_REMOTE;
		props[n_props++].value = remote_id;
	}
	if (error != NULL && *error != '\0') {
		/* The channel's reason, as much of it as a property holds. */
		error_cut = store_text_cut(error, strlen(error),
		    STORE_PROPERTY_TERM_MAX - strlen(OUTBOX_ERROR));
		props[n_props].key = OUTBOX_ERROR;
		props[n_props++].value = error_cut;
	} else if (error != NULL) {
		props[n_props].key = OUTBOX_ERROR;	/* no reason any more */
		props[n_props++].value = NULL;
	}
	if ((rc = store_begin(st, "committing the reply's state",
	    cause)) != STORE_OK) {
		notmuch_message_destroy(nm);
		free(error_cut);
		return rc;
	}
	status = store_message_edit(nm, ops, n_ops, props, n_props);
	notmuch_message_destroy(nm);
	free(error_cut);
	if (status != NOTMUCH_STATUS_SUCCESS) {
		return store_abort(st, "changing the reply's state", status,
		    cause);
	}
	return store_commit(st, "committing the reply's state", cause);
}

enum store_status
store_outbox_decide(struct store *st, const char *msgid,
    enum store_outbox_action action, char **cause)
{
	char			*agent_error;
	enum store_status	 rc;

	switch (action) {
	case STORE_OUTBOX_RESEND:
		return store_outbox_move(st, msgid, "unknown,failed", "queued",
		    NULL, "", cause);
	case STORE_OUTBOX_MARK_SENT:
		return store_outbox_move(st, msgid, "unknown", "sent", NULL,
		    NULL, cause);
	case STORE_OUTBOX_DISCARD:
		agent_error = xasprintf("discarded by %s", core_agent_name());
		rc = store_outbox_move(st, msgid, "queued,unknown,failed",
		    "discarded", NULL, agent_error, cause);
		free(agent_error);
		return rc;
	}
	*cause = xstrdup(_("no such action"));
	return STORE_BAD_INPUT;
}

/* How far a reply got: 0 sent, 1 delivered, 2 read (-1: no such status). */
static int
outbox_delivery_rank(const char *status)
{
	if (status == NULL || strcmp(status, "sent") == 0)
		return 0;
	if (strcmp(status, "delivered") == 0)
		return 1;
	if (strcmp(status, "read") == 0)
		return 2;
	return -1;
}

/*
 * Apply what the channel said of a reply (in the caller's transaction):
 * *changed is 1 when something was written. Only a sent reply moves: a
 * queued one (a failed reply resent keeps its old remote id), a failed
 * or a discarded one stays as it is; a status never goes down.
 */
static notmuch_status_t
outbox_status_apply(notmuch_message_t *nm, const char *status, int64_t date,
    const char *error, int *changed)
{
	struct store_property	 props[4];
	const char		*state = NULL, *delivery = NULL;
	const char		*ops[] = { "-ombre/outbox", "-ombre/sent",
				    "+ombre/failed" };
	char			 when[32], *error_cut = NULL;
	notmuch_status_t	 rc;

	*changed = 0;
	notmuch_message_get_property(nm, OUTBOX_STATE, &state);
	if (state == NULL || strcmp(state, "sent") != 0)
		return NOTMUCH_STATUS_SUCCESS;
	notmuch_message_get_property(nm, OUTBOX_DELIVERY, &delivery);
	if (strcmp(status, "failed") == 0) {
		/* Read is as far as a reply goes: no failure after it. */
		if (outbox_delivery_rank(delivery) >= 2)
			return NOTMUCH_STATUS_SUCCESS;
		props[0].key = OUTBOX_STATE;
		props[0].value = "failed";
		props[1].key = OUTBOX_ERROR;
		if (error != NULL && *error != '\0')
			error_cut = store_text_cut(error, strlen(error),
			    STORE_PROPERTY_TERM_MAX - strlen(OUTBOX_ERROR));
		props[1].value = error_cut != NULL ? error_cut :
		    "the channel said it failed";
		props[2].key = OUTBOX_DELIVERY;
		props[2].value = NULL;
		props[3].key = OUTBOX_DELIVERY_DATE;
		props[3].value = NULL;
		rc = store_message_edit(nm, ops, nitems(ops), props, 4);
		free(error_cut);
		*changed = rc == NOTMUCH_STATUS_SUCCESS;
		return rc;
	}
	if (outbox_delivery_rank(status) <= outbox_delivery_rank(delivery))
		return NOTMUCH_STATUS_SUCCESS;	/* "sent", or going down */
	snprintf(when, sizeof when, "%lld", (long long)date);
	props[0].key = OUTBOX_DELIVERY;
	props[0].value = status;
	props[1].key = OUTBOX_DELIVERY_DATE;
	props[1].value = when;
	rc = store_message_edit(nm, NULL, 0, props, 2);
	*changed = rc == NOTMUCH_STATUS_SUCCESS;
	return rc;
}

/* Is status one the channel may say of a sent reply? */
static int
outbox_status_valid(const char *status)
{
	return outbox_delivery_rank(status) >= 0 ||
	    strcmp(status, "failed") == 0;
}

/* A notmuch query term for a property's value, quoted. */
static void
outbox_query_property(struct buf *b, const char *key, const char *value)
{
	const char	*p;

	buf_add_printf(b, "property:\"%s=", key);
	for (p = value; *p != '\0'; p++) {
		if (*p == '"')
			buf_add_char(b, '"');
		buf_add_char(b, *p);
	}
	buf_add_char(b, '"');
}

/* Does the message have this property value? */
static int
outbox_has_property(notmuch_message_t *nm, const char *key, const char *value)
{
	const char	*got = NULL;

	return notmuch_message_get_property(nm, key, &got) ==
	    NOTMUCH_STATUS_SUCCESS && got != NULL && strcmp(got, value) == 0;
}

/*
 * The reply of channel and account whose remote id is remote_id (the
 * query finds the candidates; the properties are compared exactly), or
 * NULL. The caller destroys *q after using the message.
 */
static notmuch_message_t *
outbox_find_remote(struct store *st, const char *channel, const char *account,
    const char *remote_id, notmuch_query_t **q, notmuch_status_t *status)
{
	notmuch_messages_t	*msgs;
	notmuch_message_t	*nm, *found = NULL;
	struct buf		 query;

	*q = NULL;
	buf_init(&query);
	outbox_query_property(&query, OUTBOX_REMOTE, remote_id);
	buf_add_str(&query, " and ");
	outbox_query_property(&query, "ombre.channel", channel);
	*status = store_query_messages(st, query.data, NOTMUCH_SORT_UNSORTED,
	    q, &msgs);
	buf_free(&query);
	if (*status != NOTMUCH_STATUS_SUCCESS)
		return NULL;
	for (; found == NULL && notmuch_messages_valid(msgs);
	    notmuch_messages_move_to_next(msgs)) {
		if ((nm = notmuch_messages_get(msgs)) == NULL)
			break;
		if (outbox_has_property(nm, OUTBOX_REMOTE, remote_id) &&
		    outbox_has_property(nm, "ombre.channel", channel) &&
		    outbox_has_property(nm, "ombre.account", account))
			found = nm;
		else
			notmuch_message_destroy(nm);
	}
	return found;
}

enum store_status
store_outbox_find_remote(struct store *st, const char *channel,
    const char *account, const char *remote_id, char **msgid, char **state,
    char **cause)
{
	notmuch_query_t		*q;
	notmuch_message_t	*nm;
	notmuch_status_t	 status;
	const char		*value = NULL;

	*msgid = NULL;
	if (state != NULL)
		*state = NULL;
	*cause = NULL;
	store_read_begin(st);
	nm = outbox_find_remote(st, channel, account, remote_id, &q, &status);
	if (nm == NULL) {
		if (q != NULL)
			notmuch_query_destroy(q);
		store_read_end(st);
		if (status != NOTMUCH_STATUS_SUCCESS) {
			*cause = xasprintf(_("searching the replies: %s"),
			    notmuch_status_to_string(status));
			return STORE_DB_ERROR;
		}
		*cause = xasprintf(_("no reply sent on %s account %s as %s"),
		    channel, account, remote_id);
		return STORE_NOT_FOUND;
	}
	*msgid = xstrdup(notmuch_message_get_message_id(nm));
	if (state != NULL) {
		notmuch_message_get_property(nm, OUTBOX_STATE, &value);
		*state = value != NULL ? xstrdup(value) : NULL;
	}
	notmuch_message_destroy(nm);
	notmuch_query_destroy(q);
	store_read_end(st);
	return STORE_OK;
}

enum store_status
store_outbox_status(struct store *st, const char *channel, const char *account,
    const char *remote_id, const char *status, int64_t date,
    const char *error, char **cause)
{
	notmuch_query_t		*q;
	notmuch_message_t	*nm;
	notmuch_status_t	 nst;
	enum store_status	 rc;
	const char		*what = "committing the reply's delivery";
	int			 changed;

	*cause = NULL;
	if (st->mode != STORE_READ_WRITE)
		/* not translated: a broken invariant, for the programmer */
		fatalx("store_outbox_status on a read-only store");
	if (!outbox_status_valid(status)) {
		*cause = xasprintf(_("no such delivery status: %s"), status);
		return STORE_BAD_INPUT;
	}
	nm = outbox_find_remote(st, channel, account, remote_id, &q, &nst);
	if (nm == NULL) {
		if (q != NULL)
			notmuch_query_destroy(q);
		if (nst != NOTMUCH_STATUS_SUCCESS) {
			*cause = xasprintf(_("searching the replies: %s"),
			    notmuch_status_to_string(nst));
			return STORE_DB_ERROR;
		}
		*cause = xasprintf(_("no reply sent on %s account %s as %s"),
		    channel, account, remote_id);
		return STORE_NOT_FOUND;
	}
	if ((rc = store_begin(st, what, cause)) != STORE_OK) {
		notmuch_message_destroy(nm);
		notmuch_query_destroy(q);
		return rc;
	}
	nst = outbox_status_apply(nm, status, date, error, &changed);
	notmuch_message_destroy(nm);
	notmuch_query_destroy(q);
	if (nst != NOTMUCH_STATUS_SUCCESS)
		return store_abort(st, "changing the reply's delivery", nst,
		    cause);
	return store_commit(st, what, cause);
}

enum store_status
store_outbox_status_until(struct store *st, const char *channel,
    const char *account, const char *conv_id, const char *status,
    int64_t watermark, long *changed, char **cause)
{
	notmuch_query_t		*q;
	notmuch_messages_t	*msgs;
	notmuch_message_t	*nm;
	notmuch_status_t	 nst = NOTMUCH_STATUS_SUCCESS;
	enum store_status	 rc;
	struct buf		 query;
	const char		*what = "committing the replies' delivery";
	int			 one;

	*changed = 0;
	*cause = NULL;
	if (st->mode != STORE_READ_WRITE)
		/* not translated: a broken invariant, for the programmer */
		fatalx("store_outbox_status_until on a read-only store");
	if (!outbox_status_valid(status)) {
		*cause = xasprintf(_("no such delivery status: %s"), status);
		return STORE_BAD_INPUT;
	}
	buf_init(&query);
	outbox_query_property(&query, "ombre.conv-id", conv_id);
	buf_add_str(&query, " and ");
	outbox_query_property(&query, "ombre.channel", channel);
	buf_add_str(&query, " and ");
	outbox_query_property(&query, OUTBOX_STATE, "sent");
	nst = store_query_messages(st, query.data, NOTMUCH_SORT_OLDEST_FIRST,
	    &q, &msgs);
	buf_free(&query);
	if (nst != NOTMUCH_STATUS_SUCCESS) {
		*cause = xasprintf(_("searching the replies: %s"),
		    notmuch_status_to_string(nst));
		return STORE_DB_ERROR;
	}
	if ((rc = store_begin(st, what, cause)) != STORE_OK) {
		notmuch_query_destroy(q);
		return rc;
	}
	for (; notmuch_messages_valid(msgs);
	    notmuch_messages_move_to_next(msgs)) {
		if ((nm = notmuch_messages_get(msgs)) == NULL)
			break;
		if (outbox_has_property(nm, "ombre.conv-id", conv_id) &&
		    outbox_has_property(nm, "ombre.channel", channel) &&
		    outbox_has_property(nm, "ombre.account", account) &&
		    notmuch_message_get_date(nm) <= watermark) {
			nst = outbox_status_apply(nm, status, watermark, NULL,
			    &one);
			*changed += one;
		}
		notmuch_message_destroy(nm);
		if (nst != NOTMUCH_STATUS_SUCCESS)
			break;
	}
	notmuch_query_destroy(q);
	if (nst != NOTMUCH_STATUS_SUCCESS) {
		*changed = 0;
		return store_abort(st, "changing the replies' delivery", nst,
		    cause);
	}
	if ((rc = store_commit(st, what, cause)) != STORE_OK)
		*changed = 0;
	return rc;
}
