/*
 * store-reply.c: an agent's reply or internal note stored for a
 * conversation, the one path for `ombre reply` and the console's composer.
 *
 * Before anything is stored it checks what the agent cannot see from the
 * text alone: the channel's limit (compose_measure), the channel's reply
 * window (compose_window: WhatsApp and Messenger take free text only 24
 * hours after the customer's last message), and the double-answer guard:
 * when the draft began, the agent had the conversation's newest messages
 * in view (`seen`, their ids); if the customer wrote again or someone else
 * answered since, the reply is held (STORE_HELD) with what changed, and
 * goes only when the agent says so (force). The guard compares ids, not
 * dates: a customer's message is dated by the channel's clock and a
 * colleague's reply by ours, and a second of difference would hide it.
 * A note is never sent: it is stored tagged ombre/note, out of the
 * outbox, whatever the channel's window. A reply no declared channel
 * sends (channel_config_sender) is refused at once, never left to wait
 * in the outbox for a syncer that will not take it.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "store/store-private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
store_reply_context_free(struct store_reply_context *c)
{
	if (c == NULL)
		return;
	free(c->thread_id);
	free(c->conv_key);
	free(c->channel);
	free(c->account);
	free(c->conv_id);
	free(c->conv_title);
	free(c->customer_name);
	free(c->newest);
	free(c->seen);
	free(c->reply_to);
	free(c);
}

enum store_status
store_reply_context(struct store *st, const char *conv,
    struct store_reply_context **out, char **cause)
{
	struct msg		**msgs = NULL;
	enum store_status	  rc;
	char			 *tid = NULL;
	size_t			  n = 0;

	*out = NULL;
	*cause = NULL;
	if ((rc = store_resolve_conv(st, conv, &tid, cause)) != STORE_OK)
		return rc;
	if ((rc = store_thread_messages(st, tid, &msgs, &n, cause)) ==
	    STORE_OK && (*out = store_reply_context_of(tid, msgs, n)) == NULL) {
		*cause = xstrdup(_("the conversation has no message"));
		rc = STORE_NOT_FOUND;
	}
	free(tid);
	store_msgs_free(msgs, n);
	return rc;
}

struct store_reply_context *
store_reply_context_of(const char *thread_id, struct msg *const *msgs,
    size_t n)
{
	struct store_reply_context	*c;
	const struct msg		*last = NULL;
	struct buf			 seen;
	char				*id;
	size_t				 i, n_seen = 0;

	if (n == 0)
		return NULL;
	c = xcalloc(1, sizeof *c);
	c->thread_id = xstrdup(thread_id);
	/* The newest message from the other side says where a reply goes;
	 * a conversation we started goes where its first message went. */
	for (i = n; i-- > 0;) {
		if (msgs[i]->kind == MSG_CUSTOMER) {
			if (last == NULL)
				last = msgs[i];
			if (c->last_customer == 0)
				c->last_customer = msgs[i]->date;
		}
		if (c->newest == NULL && msgs[i]->kind != MSG_NOTE)
			c->newest = msgid_message(msgs[i]->channel,
			    msgs[i]->account, msgs[i]->conv_id, msgs[i]->id);
	}
	/* The newest STORE_SEEN_MAX, oldest first. */
	for (i = n; i > 0 && n_seen < STORE_SEEN_MAX; i--)
		n_seen += msgs[i - 1]->kind != MSG_NOTE;
	buf_init(&seen);
	for (; i < n; i++) {
		if (msgs[i]->kind == MSG_NOTE)
			continue;
		id = msgid_message(msgs[i]->channel, msgs[i]->account,
		    msgs[i]->conv_id, msgs[i]->id);
		if (strpbrk(id, " \n") == NULL)	/* not a mail's odd id */
			buf_add_printf(&seen, "%s%s", seen.len > 0 ? " " : "",
			    id);
		free(id);
	}
	c->seen = buf_steal(&seen);
	if (last == NULL)
		last = msgs[0];
	c->channel = xstrdup(last->channel);
	c->account = xstrdup(last->account);
	c->conv_id = xstrdup(last->conv_id);
	c->conv_title = last->conv_title != NULL ?
	    xstrdup(last->conv_title) : NULL;
	c->customer_name = last->kind == MSG_CUSTOMER && last->from_name !=
	    NULL ? xstrdup(last->from_name) : NULL;
	c->conv_key = msgid_thread(c->channel, c->account, c->conv_id);
	if (last->kind == MSG_CUSTOMER && last->id != NULL)
		c->reply_to = xstrdup(last->id);
	return c;
}

/* Is a message with this Message-Id one of msgs? */
static int
reply_has_message(struct msg **msgs, size_t n, const char *msgid)
{
	size_t	i;
	char	*id;
	int	found = 0;

	for (i = 0; i < n && !found; i++) {
		id = msgid_message(msgs[i]->channel, msgs[i]->account,
		    msgs[i]->conv_id, msgs[i]->id);
		found = strcmp(id, msgid) == 0;
		free(id);
	}
	return found;
}

/* How many ids a seen list holds. */
static size_t
reply_seen_count(const char *seen)
{
	size_t	count = 1;

	for (; *seen != '\0'; seen++)
		count += *seen == ' ';
	return count;
}

/* Is id one of the space-separated words of list? */
static int
reply_seen_has(const char *list, const char *id)
{
	size_t		 len = strlen(id);
	const char	*p = list;

	while ((p = strstr(p, id)) != NULL) {
		if ((p == list || p[-1] == ' ') && (p[len] == ' ' ||
		    p[len] == '\0'))
			return 1;
		p += len;
	}
	return 0;
}

/*
 * What the agent has not seen: one line per message, or NULL. With seen,
 * the messages not in it (when it holds STORE_SEEN_MAX, only from the
 * oldest one in it on: what is older was out of view); without, those
 * after base.
 */
/* Whether event m was agent's doing (read back, an event's agent is who
 * it is from). */
static int
reply_event_by(const struct msg *m, const char *agent)
{
	const char	*by = m->agent != NULL ? m->agent : m->from_id;

	return by != NULL && strcmp(by, agent) == 0;
}

static char *
reply_changes(struct msg **msgs, size_t n, const char *seen, const char *base,
    const char *self, const char *agent)
{
	struct buf	 b;
	const char	*name;
	char		*id, *clean, *who;
	size_t		 i, from = 0, count = 0, selflen;
	int		 found = 0;

	if (seen == NULL && base == NULL)
		return NULL;
	/* A view of the whole conversation: every message counts. */
	found = seen != NULL && reply_seen_count(seen) < STORE_SEEN_MAX;
	for (i = 0; i < n && !found; i++) {
		id = msgid_message(msgs[i]->channel, msgs[i]->account,
		    msgs[i]->conv_id, msgs[i]->id);
		if (seen != NULL ? reply_seen_has(seen, id) :
		    strcmp(id, base) == 0) {
			from = seen != NULL ? i : i + 1;
			found = 1;
		}
		free(id);
	}
	buf_init(&b);
	selflen = self != NULL ? strlen(self) : 0;
	for (i = from; i < n; i++) {
		if (msgs[i]->kind == MSG_NOTE)
			continue;
		/* The agent's own take-over or claim is no news to them
		 * (on a replica it comes back after the draft began). */
		if (msgs[i]->kind == MSG_EVENT && agent != NULL &&
		    reply_event_by(msgs[i], agent))
			continue;
		id = msgid_message(msgs[i]->channel, msgs[i]->account,
		    msgs[i]->conv_id, msgs[i]->id);
		if ((self != NULL && strncmp(id, self, selflen) == 0 &&
		    id[selflen] == '@') ||	/* this very reply, stored */
		    (seen != NULL && reply_seen_has(seen, id))) {
			free(id);
			continue;
		}
		free(id);
		if (++count > 3)
			continue;
		clean = sanitize(msgs[i]->text != NULL ? msgs[i]->text : "",
		    msgs[i]->text != NULL ? msgs[i]->text_len : 0,
		    SANITIZE_LINE, 60);
		if (msgs[i]->kind == MSG_CUSTOMER)
			buf_add_str(&b, "the customer wrote again: ");
		else {
			name = msgs[i]->from_name != NULL ?
			    msgs[i]->from_name : "someone";
			who = sanitize(name, strlen(name), SANITIZE_LINE, 30);
			buf_add_printf(&b, "%s %s: ", who, msgs[i]->kind ==
			    MSG_BOT ? "(a bot) answered" : "replied");
			free(who);
		}
		buf_add_printf(&b, "\"%s\"\n", clean);
		free(clean);
	}
	if (count > 3)
		buf_add_printf(&b, "and %zu more\n", count - 3);
	if (b.len == 0) {
		buf_free(&b);
		return NULL;
	}
	b.data[--b.len] = '\0';	/* the last newline */
	return buf_steal(&b);
}

enum store_status
store_reply_guard(struct store *st, const char *thread_id, const char *seen,
    const char *base, const char *self, const char *agent, char **changes,
    char **cause)
{
	struct msg		**msgs = NULL;
	enum store_status	  rc;
	size_t			  n = 0;

	*changes = NULL;
	*cause = NULL;
	if ((rc = store_thread_messages(st, thread_id, &msgs, &n, cause)) !=
	    STORE_OK)
		return rc;
	if (seen == NULL && base != NULL && !reply_has_message(msgs, n, base)) {
		*cause = xasprintf(_("no message <%s> in this conversation"),
		    base);
		store_msgs_free(msgs, n);
		return STORE_NOT_FOUND;
	}
	*changes = reply_changes(msgs, n, seen, base, self, agent);
	store_msgs_free(msgs, n);
	return *changes != NULL ? STORE_HELD : STORE_OK;
}

/* Is the text within the channel's limit and window? NULL, or why not. */
/*
 * Messenger's HUMAN_AGENT tag: a channel declared human-agent-tag=yes
 * (Meta's permission) takes a human's reply up to 7 days after the
 * customer; the syncer sends it tagged once the window refuses it.
 */
static int
store_reply_human_agent(const struct store_reply_context *c, int64_t now)
{
	const struct channel_config	*cc;
	const char			*v;

	if (strcmp(c->channel, "messenger") != 0 || c->last_customer <= 0 ||
	    now >= c->last_customer + 7 * 24 * 3600)
		return 0;
	cc = channel_config_for(c->channel, c->account);
	v = cc != NULL ? channel_config_get(cc, "human-agent-tag") : NULL;
	return v != NULL && (strcmp(v, "yes") == 0 || strcmp(v, "on") == 0);
}

char *
store_reply_refusal(const struct store_reply_context *c, const char *text,
    size_t len, int note, const char *approved, int64_t now)
{
	struct limit_measure	m;
	int64_t			secs;
	char			age[16], when[32], *type, *account, *why;

	if (note)
		return NULL;	/* never sent: no channel rule applies */
	/* No silent queue: a reply nobody would send is refused now. (On a
	 * replica the central server's channels send it, and it decides.) */
	if (!authority_active() &&
	    channel_config_sender(c->channel, c->account) == NULL) {
		type = sanitize(c->channel, strlen(c->channel), SANITIZE_LINE,
		    64);
		account = sanitize(c->account, strlen(c->account),
		    SANITIZE_LINE, 64);
		why = xasprintf(_("no channel sends on %s account %s: declare "
		    "one with `channel`"), type, account);
		free(type);
		free(account);
		return why;
	}
	limit_measure(c->channel, text, len, &m);
	if (m.limit > 0 && m.left < 0) {
		/* Whole phrases: a unit cut to its singular is English only. */
		if (strcmp(m.unit, "bytes") == 0)
			return xasprintf(ngettext("the reply is %ld byte over "
			    "%s's limit of %ld", "the reply is %ld bytes over "
			    "%s's limit of %ld", -m.left), -m.left, c->channel,
			    m.limit);
		return xasprintf(ngettext("the reply is %ld character over "
		    "%s's limit of %ld", "the reply is %ld characters over "
		    "%s's limit of %ld", -m.left), -m.left, c->channel,
		    m.limit);
	}
	if (limit_window(c->channel, c->last_customer, now, &secs) ==
	    LIMIT_WINDOW_CLOSED && approved == NULL &&
	    !store_reply_human_agent(c, now)) {
		if (c->last_customer == 0)
			return xasprintf(_("%s takes free text only within 24 "
			    "hours of a customer's message, and this customer "
			    "never wrote: only an approved template can be "
			    "sent"), c->channel);
		util_format_age(secs, age, sizeof age);
		util_format_rfc3339(c->last_customer, 0, when, sizeof when);
		return xasprintf(_("the 24-hour reply window of %s closed %s "
		    "ago (the customer last wrote %s): only an approved "
		    "template can be sent"), c->channel, age, when);
	}
	return NULL;
}

/* Is the channel's message id one of the conversation's? */
static enum store_status
store_reply_answers(struct store *st, const struct store_reply_context *c,
    const char *id, char **cause)
{
	notmuch_message_t	*nm = NULL;
	notmuch_status_t	 status;
	const char		*thread;
	char			*msgid;
	int			 ours = 0;

	msgid = msgid_message(c->channel, c->account, c->conv_id, id);
	status = notmuch_database_find_message(st->db, msgid, &nm);
	free(msgid);
	if (status == NOTMUCH_STATUS_SUCCESS && nm != NULL) {
		thread = notmuch_message_get_thread_id(nm);
		ours = thread != NULL && strcmp(thread, c->thread_id) == 0;
		notmuch_message_destroy(nm);
	}
	if (ours)
		return STORE_OK;
	*cause = xasprintf(_("the conversation has no message %s to answer"),
	    id);
	return STORE_BAD_INPUT;
}

/* Queue a take-over event when a bot or the handoff queue has the
 * conversation. */
static enum store_status
store_reply_take_over(struct store *st, const char *thread_id,
    const char *agent, char **cause)
{
	struct store_event	 ev;
	notmuch_status_t	 status;
	enum store_status	 rc;
	enum triage_mode	 mode;
	char			**tags, **ops;
	size_t			 n;

	status = store_thread_all_tags(st, thread_id, &tags, &n);
	if (status != NOTMUCH_STATUS_SUCCESS) {
		triage_tags_free(tags);
		*cause = xasprintf(_("searching the conversation %s: %s"),
		    thread_id, notmuch_status_to_string(status));
		return STORE_DB_ERROR;
	}
	mode = triage_mode(tags, n);
	if (mode != TRIAGE_MODE_BOT && mode != TRIAGE_MODE_HANDOFF) {
		triage_tags_free(tags);
		return STORE_OK;
	}
	ops = triage_ops(TRIAGE_TAKE_OVER, agent, tags, n);
	memset(&ev, 0, sizeof ev);
	ev.thread_id = thread_id;
	ev.type = "take-over";
	ev.agent = agent;
	ev.ops = ops;
	rc = store_event_queue(st, &ev, cause);
	triage_tags_free(ops);
	triage_tags_free(tags);
	return rc == STORE_NOT_FOUND ? STORE_OK : rc;
}

enum store_status
store_reply_add(struct store *st, const struct store_reply *r, char **id,
    char **changes, char **cause)
{
	struct store_reply_context	*c = NULL;
	enum store_status		 rc;
	struct msg			*m;
	char				*out, *msgid;

	*id = NULL;
	*changes = NULL;
	*cause = NULL;
	if (r->text_len == 0 || !utf8_valid(r->text, r->text_len, NULL) ||
	    memchr(r->text, '\0', r->text_len) != NULL) {
		*cause = xstrdup(_("the text is empty or not UTF-8"));
		return STORE_BAD_INPUT;
	}
	if (r->outbound != NULL && !msgid_is_outbound(r->outbound)) {
		*cause = xstrdup(_("not an outbound id"));
		return STORE_BAD_INPUT;
	}
	if ((rc = store_reply_context(st, r->conv, &c, cause)) != STORE_OK)
		return rc;
	if (r->outbound != NULL) {
		msgid = xasprintf("%s@ombre", r->outbound);
		if (store_has_message(st, msgid)) {
			/* Stored before a crash: the same reply, not another. */
			free(msgid);
			*id = xstrdup(r->outbound);
			store_reply_context_free(c);
			return STORE_DUPLICATE;
		}
		free(msgid);
	}
	if ((*cause = store_reply_refusal(c, r->text, r->text_len, r->note,
	    r->approved, r->now)) != NULL) {
		store_reply_context_free(c);
		return STORE_REFUSED;
	}
	if (!r->note && !r->force && (r->seen != NULL || r->base != NULL)) {
		rc = store_reply_guard(st, c->thread_id, r->seen, r->base,
		    r->outbound, r->agent != NULL ? r->agent :
		    core_agent_name(), changes, cause);
		if (rc != STORE_OK) {
			store_reply_context_free(c);
			return rc;
		}
	}
	if (r->reply_to != NULL &&
	    (rc = store_reply_answers(st, c, r->reply_to, cause)) != STORE_OK) {
		store_reply_context_free(c);
		return rc;
	}
	m = msg_new();
	m->channel = xstrdup(c->channel);
	m->account = xstrdup(c->account);
	m->conv_id = xstrdup(c->conv_id);
	m->reply_to = r->reply_to != NULL ? xstrdup(r->reply_to) : NULL;
	m->conv_title = c->conv_title != NULL ? xstrdup(c->conv_title) : NULL;
	if (r->outbound != NULL)
		m->id = xstrdup(r->outbound);
	else {
		out = msgid_outbound();
		m->id = xstrndup(out, strcspn(out, "@"));
		free(out);
	}
	m->date = r->now;
	m->from_id = xstrdup(c->account);
	m->from_name = xstrdup(r->agent != NULL ? r->agent :
	    core_agent_name());
	m->kind = r->note ? MSG_NOTE : MSG_AGENT;
	m->text = xstrndup(r->text, r->text_len);
	m->text_len = r->text_len;
	/* An e-mail reply names the mail it answers: notmuch threads it
	 * with the user's mail (store_format_file's References). */
	if (!r->note && strcmp(c->channel, "email") == 0 &&
	    c->reply_to != NULL)
		m->reply_to = xstrdup(c->reply_to);
	/* Answering takes the conversation from the bot (or the queue) to
	 * the agent, in the reply's own transaction. */
	if (!r->note && r->take_over &&
	    (rc = store_reply_take_over(st, c->thread_id, m->from_name,
	    cause)) != STORE_OK) {
		msg_free(m);
		store_reply_context_free(c);
		return rc;
	}
	if (r->note) {
		rc = store_ingest(st, m, cause);
		if (rc == STORE_OK)
			rc = store_flush(st, cause);
	} else
		rc = store_outbox_add(st, m, r->approved, cause);
	if (rc == STORE_OK)
		*id = xstrdup(m->id);
	msg_free(m);
	store_reply_context_free(c);
	return rc;
}
