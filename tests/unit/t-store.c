/*
 * t-store.c: the store against a real notmuch database in a temporary
 * directory: creation, delivery, dedup, tag inheritance, reopening done
 * conversations, paged queries, CONV resolution, refresh, the lock, and
 * writes that fail, replies refused when no channel sends them, and what
 * the channel says of a sent reply later (delivered, read, failed).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "store/store-private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tap.h"

static char data_dir[256];
static char op_assign[] = "+ombre/assigned/alice";
static char op_uninbox[] = "-inbox";
static char op_done[] = "+ombre/done";
static char base_dir[256];
static int waited;

static void
on_wait(void *data)
{
	(void)data;
	waited++;
}

static struct store *
open_store(enum store_mode mode, double timeout, enum store_status *rc)
{
	struct store_options	 opts;
	struct store		*st = NULL;
	char			*cause = NULL;

	memset(&opts, 0, sizeof opts);
	opts.data_dir = data_dir;
	opts.lock_timeout = timeout;
	opts.batch_messages = 100;
	opts.batch_ms = 10000;
	opts.on_wait = on_wait;
	*rc = store_open(&opts, mode, &st, &cause);
	if (*rc != STORE_OK)
		diag("store_open: %s", cause);
	free(cause);
	return st;
}

static struct msg *
make_msg(const char *conv, const char *id, int64_t date, enum msg_kind kind,
    const char *text)
{
	struct msg	*m = msg_new();

	m->channel = xstrdup("telegram");
	m->account = xstrdup("7012345678");
	m->conv_id = xstrdup(conv);
	m->conv_title = xasprintf("Customer %s", conv);
	m->id = xstrdup(id);
	m->date = date;
	m->from_id = xstrdup(kind == MSG_CUSTOMER ? conv : "bot");
	m->from_name = xstrdup(kind == MSG_CUSTOMER ? "Zoë Martin" : "Assistant");
	m->kind = kind;
	m->text = xstrdup(text);
	m->text_len = strlen(text);
	return m;
}

static enum store_status
ingest(struct store *st, const char *conv, const char *id, int64_t date,
    enum msg_kind kind, const char *text)
{
	struct msg		*m;
	enum store_status	 rc;
	char			*cause = NULL;

	m = make_msg(conv, id, date, kind, text);
	rc = store_ingest(st, m, &cause);
	if (rc != STORE_OK && rc != STORE_DUPLICATE)
		diag("store_ingest: %s", cause);
	free(cause);
	msg_free(m);
	return rc;
}

static int
has_tag(char **tags, const char *tag)
{
	size_t	i;

	for (i = 0; tags != NULL && tags[i] != NULL; i++) {
		if (strcmp(tags[i], tag) == 0)
			return 1;
	}
	return 0;
}

/* The tags of the newest message of the conversation holding CONV. */
static char **
conv_last_tags(struct store *st, const char *query, struct msg ***keep,
    size_t *n)
{
	char	*tid = NULL, *cause = NULL;

	*keep = NULL;
	*n = 0;
	if (store_resolve_conv(st, query, &tid, &cause) != STORE_OK ||
	    store_thread_messages(st, tid, keep, n, &cause) != STORE_OK ||
	    *n == 0) {
		diag("conv_last_tags: %s", cause != NULL ? cause : "none");
		free(cause);
		free(tid);
		return NULL;
	}
	free(tid);
	return (*keep)[*n - 1]->tags;
}

/* Drafts: saved whole, read back, hostile files refused (store-draft.c). */
static void
test_drafts(void)
{
	struct store_draft	 d, *got, **list;
	char			*cause = NULL, **errors, path[600], *out;
	size_t			 n, n_errors, i;
	FILE			*f;

	memset(&d, 0, sizeof d);
	d.conv = xstrdup("conv.tg.1.42@ombre");
	d.agent = xstrdup("alice");
	d.seen = xstrdup("tg.1.42.6@ombre tg.1.42.7@ombre");
	d.began = 1795000000;
	d.text = xstrdup("Bonjour,\n\nligne deux \xe2\x9c\x93");
	d.text_len = strlen(d.text);
	is_int(store_draft_save(data_dir, &d, &cause), 0, "a draft is saved");
	got = store_draft_load(data_dir, "alice", d.conv, 0, &cause);
	ok(got != NULL && strcmp(got->text, d.text) == 0 &&
	    got->text_len == d.text_len && strcmp(got->seen, d.seen) == 0 &&
	    got->began == d.began && !got->note && got->outbound == NULL,
	    "and read back whole");
	store_draft_free(got);
	ok(store_draft_load(data_dir, "alice", d.conv, 1, &cause) == NULL &&
	    cause == NULL, "a note draft is another file");
	ok(store_draft_load(data_dir, "bob", d.conv, 0, &cause) == NULL &&
	    cause == NULL, "another agent has no draft there");
	d.note = 1;
	free(d.text);
	d.text = xstrdup("internal");
	d.text_len = 8;
	out = msgid_outbound();
	d.outbound = xstrndup(out, strcspn(out, "@"));
	free(out);
	store_draft_save(data_dir, &d, &cause);
	n = store_draft_list(data_dir, "alice", &list, &errors, &n_errors);
	ok(n == 2 && n_errors == 0, "the agent's drafts are listed");
	for (i = 0; i < n; i++)
		store_draft_free(list[i]);
	free(list);
	got = store_draft_load(data_dir, "alice", d.conv, 1, &cause);
	ok(got != NULL && got->note && got->outbound != NULL,
	    "the kind and the outbound id are kept");
	store_draft_free(got);

	/* A file that is not a draft: reported, never used. */
	snprintf(path, sizeof path, "%s/drafts/alice/0000000000000000.reply",
	    data_dir);
	f = fopen(path, "w");
	if (f != NULL) {
		fputs("ombre-draft 1\nconv x\n\x1b[2J\n\ntext", f);
		fclose(f);
	}
	n = store_draft_list(data_dir, "alice", &list, &errors, &n_errors);
	ok(n == 2 && n_errors == 1 && strstr(errors[0], "not text") != NULL,
	    "a draft with an escape in its header is reported, not read");
	for (i = 0; i < n; i++)
		store_draft_free(list[i]);
	free(list);
	for (i = 0; i < n_errors; i++)
		free(errors[i]);
	free(errors);
	unlink(path);
	free(d.agent);
	d.agent = xstrdup("../../evil");
	is_int(store_draft_save(data_dir, &d, &cause), 0,
	    "an agent name with slashes is saved");
	snprintf(path, sizeof path, "%s/drafts/_.._.._evil", data_dir);
	ok(access(path, F_OK) == 0, "inside the drafts dir");
	is_int(store_draft_remove(data_dir, "alice", "conv.tg.1.42@ombre", 0),
	    0, "a draft is removed");
	ok(store_draft_load(data_dir, "alice", "conv.tg.1.42@ombre", 0,
	    &cause) == NULL && cause == NULL, "and gone");
	free(cause);
	free(d.conv);
	free(d.agent);
	free(d.seen);
	free(d.outbound);
	free(d.text);
}

/* Declare a channel with one key (or none). */
static void
declare(const char *name, const char *type, const char *key,
    const char *value)
{
	char	*keys[1], *values[1], *cause = NULL;

	keys[0] = (char *)(uintptr_t)key;
	values[0] = (char *)(uintptr_t)value;
	if (channel_config_define(name, type, keys, values, key != NULL,
	    &cause) != 0) {
		diag("channel %s: %s", name, cause);
		free(cause);
	}
}

static char *outbox_state(struct store *, const char *, char **);

/* The double-answer guard and the reply checks (store-reply.c). */
static void
test_reply(struct store *st, int64_t now)
{
	struct store_reply_context	*c = NULL;
	struct store_reply		 r;
	struct store_event		 ev;
	char				*cause = NULL, *changes = NULL, *id = NULL;
	char				*why;

	ingest(st, "900", "1", now - 600, MSG_CUSTOMER, "Où est ma commande ?");
	ingest(st, "900", "2", now - 590, MSG_BOT, "Je cherche");
	store_flush(st, &cause);
	is_int(store_reply_context(st, "id:tg.7012345678.900.1@ombre", &c, &cause), STORE_OK,
	    "the reply's context");
	if (c == NULL)
		return;

	/* No silent queue: no channel declared, no reply. */
	memset(&r, 0, sizeof r);
	r.conv = "id:tg.7012345678.900.1@ombre";
	r.text = "Bonjour";
	r.text_len = 7;
	r.now = now;
	r.force = 1;
	is_int(store_reply_add(st, &r, &id, &changes, &cause), STORE_REFUSED,
	    "a reply no declared channel sends is refused");
	is_str(cause, "no channel sends on telegram account 7012345678: "
	    "declare one with `channel`", "with the reason");
	free(cause);
	cause = NULL;
	ok(outbox_state(st, "900", NULL) == NULL, "nothing is stored");
	declare("tg-other", "telegram", "account", "42");
	why = store_reply_refusal(c, "hi", 2, 0, NULL, now);
	ok(why != NULL, "nor by a Telegram channel of another bot");
	free(why);
	declare("ln", "line", NULL, NULL);
	why = store_reply_refusal(c, "hi", 2, 0, NULL, now);
	ok(why != NULL, "nor by a channel type that only brings messages in");
	free(why);
	ok(store_reply_refusal(c, "hi", 2, 1, NULL, now) == NULL,
	    "a note is never refused");
	declare("tg", "telegram", "token", "7012345678:secret");
	ok(store_reply_refusal(c, "hi", 2, 0, NULL, now) == NULL,
	    "a Telegram channel of the bot sends it");
	channel_config_reset();
	declare("mx", "matrix", "user", "7012345678");
	ok(store_reply_refusal(c, "hi", 2, 0, NULL, now) == NULL,
	    "so does a Matrix account in its bridged rooms");
	channel_config_reset();
	declare("everything", "demo", "deliver", "all");
	ok(store_reply_refusal(c, "hi", 2, 0, NULL, now) == NULL,
	    "and a demo channel delivering all");
	channel_config_reset();
	declare("tg", "telegram", "account", "7012345678");
	declare("wa", "whatsapp", NULL, NULL);
	is_str(c->seen, "tg.7012345678.900.1@ombre tg.7012345678.900.2@ombre",
	    "the messages in view, oldest first");
	ok(c->last_customer == now - 600, "the customer's last message");
	is_int(store_reply_guard(st, c->thread_id, c->seen, NULL, NULL, NULL,
	    &changes, &cause), STORE_OK, "nothing new: not held");
	/* A colleague's reply dated before the customer's message (our clock
	 * behind the channel's): still new to the agent. */
	ingest(st, "900", "3", now - 900, MSG_AGENT, "Je m'en occupe");
	store_flush(st, &cause);
	is_int(store_reply_guard(st, c->thread_id, c->seen, NULL, NULL, NULL,
	    &changes, &cause), STORE_HELD,
	    "a reply dated earlier than what was in view still holds the send");
	ok(changes != NULL && strstr(changes, "replied: \"Je m'en occupe\"") !=
	    NULL, "and says who answered what");
	free(changes);
	changes = NULL;
	memset(&r, 0, sizeof r);
	r.conv = "id:tg.7012345678.900.1@ombre";
	r.text = "Bonjour";
	r.text_len = 7;
	r.seen = c->seen;
	r.now = now;
	is_int(store_reply_add(st, &r, &id, &changes, &cause), STORE_HELD,
	    "store_reply_add holds it too, storing nothing");
	free(changes);
	changes = NULL;
	r.force = 1;
	is_int(store_reply_add(st, &r, &id, &changes, &cause), STORE_OK,
	    "forced, it is queued");
	r.outbound = id;
	is_int(store_reply_add(st, &r, &id, &changes, &cause), STORE_DUPLICATE,
	    "stored again under the same id: a duplicate, not a second reply");
	free((char *)(uintptr_t)r.outbound);
	free(id);
	r.outbound = NULL;
	r.note = 1;
	r.force = 0;
	r.text = "Client VIP";
	r.text_len = 10;
	is_int(store_reply_add(st, &r, &id, &changes, &cause), STORE_OK,
	    "a note is never held");
	free(id);
	free(c->channel);
	c->channel = xstrdup("whatsapp");
	why = store_reply_refusal(c, "hi", 2, 0, NULL, now + 25 * 3600);
	ok(why != NULL && strstr(why, "24-hour reply window of whatsapp "
	    "closed 1h ago") != NULL,
	    "whatsapp refuses free text 25 hours after the customer");
	free(why);
	ok(store_reply_refusal(c, "hi", 2, 1, NULL, now + 25 * 3600) == NULL,
	    "but not a note");
	ok(store_reply_refusal(c, "hi", 2, 0, "order_update", now + 25 * 3600) ==
	    NULL, "nor a channel-approved template");
	store_reply_context_free(c);
	free(cause);
	cause = NULL;

	/* An event since the view: bob's own take-over is no news to bob
	 * (on a replica it comes back after his draft began), to ana it is. */
	is_int(store_reply_context(st, "id:tg.7012345678.900.1@ombre", &c,
	    &cause), STORE_OK, "the context again");
	if (c == NULL)
		return;
	memset(&ev, 0, sizeof ev);
	ev.thread_id = c->thread_id;
	ev.type = "take-over";
	ev.agent = "bob";
	is_int(store_events(st, &ev, 1, &cause), STORE_OK, "bob takes it over");
	is_int(store_reply_guard(st, c->thread_id, c->seen, NULL, NULL, "bob",
	    &changes, &cause), STORE_OK,
	    "bob's own take-over does not hold bob's reply");
	free(changes);
	changes = NULL;
	is_int(store_reply_guard(st, c->thread_id, c->seen, NULL, NULL, "ana",
	    &changes, &cause), STORE_HELD, "it holds ana's");
	free(changes);
	store_reply_context_free(c);
	free(cause);
}

/*
 * The database made unwritable under a writer (as when its disk turns
 * read-only): the handle goes read-only, so every libnotmuch write fails
 * while the transaction around it still "commits". (A store_abort opens
 * it read-write again.)
 */
static void
make_unwritable(struct store *st)
{
	if (notmuch_database_reopen(st->db, NOTMUCH_DATABASE_MODE_READ_ONLY) !=
	    NOTMUCH_STATUS_SUCCESS)
		diag("reopening the database read-only failed");
}

/* The state of the reply queued in conversation conv, or NULL. */
static char *
outbox_state(struct store *st, const char *conv, char **msgid)
{
	struct store_outgoing	**out;
	size_t			  n, i;
	char			 *state = NULL, *cause = NULL;

	if (store_outbox_list(st, 1, &out, &n, &cause) != STORE_OK) {
		free(cause);
		return NULL;
	}
	for (i = 0; i < n; i++) {
		if (state == NULL && strcmp(out[i]->conv_id, conv) == 0) {
			state = xstrdup(out[i]->state);
			if (msgid != NULL)
				*msgid = xstrdup(out[i]->msgid);
		}
		store_outgoing_free(out[i]);
	}
	free(out);
	return state;
}

/*
 * A channel's reason longer than a property holds (libnotmuch aborts on a
 * longer one): the reply fails with as much of it as fits.
 */
static void
test_long_reason(struct store *st, const char *msgid)
{
	struct store_outgoing	**out;
	size_t			  n, i, len = 0;
	char			  reason[601], *cause = NULL;
	int			  whole = 0;

	for (i = 0; i + 2 <= 600; i += 2)
		memcpy(reason + i, "\xc3\xa9", 2);	/* é */
	reason[i] = '\0';
	is_int(store_outbox_set(st, msgid, "failed", NULL, reason, &cause),
	    STORE_OK, "a failure with a 600-byte reason is committed");
	free(cause);
	cause = NULL;
	if (store_outbox_list(st, 1, &out, &n, &cause) != STORE_OK)
		n = 0;
	for (i = 0; i < n; i++) {
		if (strcmp(out[i]->msgid, msgid) == 0 && out[i]->error != NULL) {
			len = strlen(out[i]->error);
			whole = utf8_valid(out[i]->error, len, NULL);
		}
		store_outgoing_free(out[i]);
	}
	free(out);
	free(cause);
	ok(len > 100 && len <= 235, "with its reason cut to fit");
	ok(whole, "on a character boundary");
}

/* Queue a reply in conversation conv dated date, moved to sent as
 * remote (unless NULL); its Message-Id (allocated). */
static char *
sent_reply(struct store *st, const char *conv, int64_t date,
    const char *remote)
{
	struct store_reply	 r;
	char			 query[64], *id = NULL, *changes = NULL;
	char			*cause = NULL, *msgid;

	snprintf(query, sizeof query, "id:tg.7012345678.%s.1@ombre", conv);
	memset(&r, 0, sizeof r);
	r.conv = query;
	r.text = "Votre colis part demain";
	r.text_len = strlen(r.text);
	r.now = date;
	r.force = 1;
	if (store_reply_add(st, &r, &id, &changes, &cause) != STORE_OK) {
		diag("store_reply_add: %s", cause);
		free(cause);
		return NULL;
	}
	msgid = xasprintf("%s@ombre", id);
	free(id);
	if (remote != NULL && store_outbox_set(st, msgid, "sent", remote, NULL,
	    &cause) != STORE_OK) {
		diag("store_outbox_set: %s", cause);
		free(cause);
	}
	return msgid;
}

/* The reply msgid as the store reads it back (store_thread_messages). */
static struct msg *
reply_read(struct store *st, const char *msgid)
{
	struct msg	**msgs = NULL, *found = NULL;
	char		 *query, *tid = NULL, *cause = NULL, *id;
	size_t		  n = 0, i;

	query = xasprintf("id:%s", msgid);
	if (store_resolve_conv(st, query, &tid, &cause) == STORE_OK &&
	    store_thread_messages(st, tid, &msgs, &n, &cause) == STORE_OK) {
		for (i = 0; i < n && found == NULL; i++) {
			id = msgid_message(msgs[i]->channel, msgs[i]->account,
			    msgs[i]->conv_id, msgs[i]->id);
			if (strcmp(id, msgid) == 0) {
				found = msgs[i];
				msgs[i] = msg_new();
			}
			free(id);
		}
	}
	store_msgs_free(msgs, n);
	free(query);
	free(tid);
	free(cause);
	return found;
}

/* Is the reply's delivery this (NULL: none) at this date? */
static int
delivery_is(struct store *st, const char *msgid, const char *outbox,
    const char *delivery, int64_t date)
{
	struct msg	*m = reply_read(st, msgid);
	int		 yes;

	if (m == NULL)
		return 0;
	yes = m->outbox != NULL && strcmp(m->outbox, outbox) == 0 &&
	    (delivery == NULL ? m->delivery == NULL : m->delivery != NULL &&
	    strcmp(m->delivery, delivery) == 0 && m->delivery_date == date);
	if (!yes)
		diag("%s: outbox %s, delivery %s at %lld", msgid,
		    m->outbox != NULL ? m->outbox : "-", m->delivery != NULL ?
		    m->delivery : "-", (long long)m->delivery_date);
	msg_free(m);
	return yes;
}

/* Does the reply have the tag? */
static int
reply_has_tag(struct store *st, const char *msgid, const char *tag)
{
	struct msg	*m = reply_read(st, msgid);
	int		 yes;

	yes = m != NULL && has_tag(m->tags, tag);
	msg_free(m);
	return yes;
}

/* What the channel said later of a sent reply (store_outbox_status). */
static void
test_delivery(struct store *st, int64_t now)
{
	char		*a, *b, *c1, *c2, *c3, *d, *q, *cause = NULL;
	char		*msgid = NULL, *state = NULL;
	struct msg	*m;
	long		 changed = -1;
	const char	*tg = "telegram", *acct = "7012345678";
	const char	*reason = "131047 Re-engagement message: more than 24 "
			    "hours have passed since the customer last replied";

	ingest(st, "960", "1", now - 600, MSG_CUSTOMER, "Mon colis ?");
	ingest(st, "961", "1", now - 600, MSG_CUSTOMER, "Et le mien ?");
	ingest(st, "962", "1", now - 600, MSG_CUSTOMER, "Bonjour");
	ingest(st, "963", "1", now - 600, MSG_CUSTOMER, "Bonsoir");
	store_flush(st, &cause);
	a = sent_reply(st, "960", now - 300, "wamid.HBgL\"A==");
	b = sent_reply(st, "961", now - 300, "wamid.B");
	q = sent_reply(st, "961", now - 200, NULL);
	if (a == NULL || b == NULL || q == NULL) {
		ok(0, "the replies are stored");
		return;
	}

	is_int(store_outbox_status(st, tg, acct, "wamid.HBgL\"A==", "sent",
	    now - 290, NULL, &cause), STORE_OK, "sent: confirmed");
	ok(delivery_is(st, a, "sent", NULL, 0), "and nothing changes");
	is_int(store_outbox_status(st, tg, acct, "wamid.HBgL\"A==",
	    "delivered", now - 280, NULL, &cause), STORE_OK, "delivered");
	ok(delivery_is(st, a, "sent", "delivered", now - 280),
	    "the reply is delivered, with the date");
	is_int(store_outbox_status(st, tg, acct, "wamid.HBgL\"A==", "read",
	    now - 270, NULL, &cause), STORE_OK, "read");
	ok(delivery_is(st, a, "sent", "read", now - 270),
	    "the reply is read, with the date");
	m = reply_read(st, a);
	if (m != NULL) {
		char *line = json_msg_format_show(m), *back;
		struct msg *copy;

		ok(strstr(line, "\"delivery\":\"read\",\"delivery_date\":\"") !=
		    NULL, "show --json gives it");
		copy = json_msg_parse(line, strlen(line), &cause);
		ok(copy != NULL && copy->delivery != NULL &&
		    strcmp(copy->delivery, "read") == 0 &&
		    copy->delivery_date == now - 270,
		    "and the line reads back");
		msg_free(copy);
		copy = json_msg_copy(m, &cause);
		ok(copy != NULL && copy->delivery != NULL &&
		    copy->delivery_date == now - 270, "a copy keeps it");
		msg_free(copy);
		back = msg_delivery_text(m);
		ok(back != NULL && strncmp(back, "read ", 5) == 0,
		    "shown as read HH:MM");
		free(back);
		free(line);
		msg_free(m);
	} else
		ok(0, "the reply reads back");
	free(cause);
	cause = NULL;
	is_int(store_outbox_status(st, tg, acct, "wamid.HBgL\"A==",
	    "delivered", now - 260, NULL, &cause), STORE_OK,
	    "a delivered after a read");
	ok(delivery_is(st, a, "sent", "read", now - 270),
	    "changes nothing: a status never goes down");
	is_int(store_outbox_status(st, tg, acct, "wamid.HBgL\"A==", "failed",
	    now - 250, "late", &cause), STORE_OK, "a failure after a read");
	ok(delivery_is(st, a, "sent", "read", now - 270), "changes nothing");

	is_int(store_outbox_status(st, tg, acct, "wamid.B", "delivered",
	    now - 290, NULL, &cause), STORE_OK, "another reply delivered");
	is_int(store_outbox_find_remote(st, tg, acct, "wamid.B", &msgid,
	    &state, &cause), STORE_OK, "found by its remote id");
	is_str(msgid, b, "its Message-Id");
	is_str(state, "sent", "and its state, for the caller's hook");
	free(msgid);
	free(state);
	is_int(store_outbox_status(st, tg, acct, "wamid.B", "failed",
	    now - 280, reason, &cause), STORE_OK, "then failed, with a reason");
	ok(delivery_is(st, b, "failed", NULL, 0),
	    "the reply moves to failed, its delivery gone");
	ok(reply_has_tag(st, b, "ombre/failed") &&
	    !reply_has_tag(st, b, "ombre/sent"), "-ombre/sent +ombre/failed");
	m = reply_read(st, b);
	is_str(m != NULL ? m->outbox_error : NULL, reason, "the reason kept");
	msg_free(m);
	is_int(store_outbox_status(st, tg, acct, "wamid.B", "read",
	    now - 270, NULL, &cause), STORE_OK, "a read after the failure");
	ok(delivery_is(st, b, "failed", NULL, 0), "leaves it failed");

	is_int(store_outbox_status(st, tg, acct, "wamid.nope", "read", now,
	    NULL, &cause), STORE_NOT_FOUND, "an unknown remote id: not found");
	free(cause);
	cause = NULL;
	is_int(store_outbox_status(st, tg, "42", "wamid.B", "read", now,
	    NULL, &cause), STORE_NOT_FOUND, "nor on another account");
	free(cause);
	cause = NULL;
	is_int(store_outbox_status(st, "whatsapp", acct, "wamid.B", "read",
	    now, NULL, &cause), STORE_NOT_FOUND, "nor on another channel");
	free(cause);
	cause = NULL;
	is_int(store_outbox_status(st, tg, acct, "wamid.B", "seen", now, NULL,
	    &cause), STORE_BAD_INPUT, "a status of no meaning is refused");
	free(cause);
	cause = NULL;
	ok(delivery_is(st, q, "queued", NULL, 0), "a queued reply is untouched");

	/* Messenger's watermark: the conversation's sent replies up to it. */
	c1 = sent_reply(st, "962", now - 100, "mid.1");
	c2 = sent_reply(st, "962", now - 50, "mid.2");
	c3 = sent_reply(st, "962", now + 100, "mid.3");
	d = sent_reply(st, "963", now - 100, "mid.4");
	is_int(store_outbox_status_until(st, tg, acct, "962", "delivered",
	    now - 50, &changed, &cause), STORE_OK, "delivered up to a watermark");
	is_int(changed, 2, "two replies moved");
	is_int(store_outbox_status_until(st, tg, acct, "962", "read", now,
	    &changed, &cause), STORE_OK, "read up to a later one");
	is_int(changed, 2, "the same two moved");
	ok(delivery_is(st, c1, "sent", "read", now) &&
	    delivery_is(st, c2, "sent", "read", now),
	    "both read, at the watermark");
	ok(delivery_is(st, c3, "sent", NULL, 0), "not the one sent after it");
	ok(delivery_is(st, d, "sent", NULL, 0),
	    "nor another conversation's");
	is_int(store_outbox_status_until(st, tg, "42", "962", "read", now + 200,
	    &changed, &cause), STORE_OK, "another account's conversation");
	is_int(changed, 0, "moves none of these");
	is_int(store_outbox_status_until(st, tg, acct, "962", "delivered",
	    now + 200, &changed, &cause), STORE_OK, "delivered up to the last");
	is_int(changed, 1, "moves only the one not read");

	/* A write that fails changes nothing. */
	make_unwritable(st);
	ok(store_outbox_status(st, tg, acct, "mid.4", "read", now, NULL,
	    &cause) == STORE_DB_ERROR && cause != NULL &&
	    strstr(cause, "delivery") != NULL,
	    "a delivery whose write fails fails, saying what failed");
	free(cause);
	cause = NULL;
	ok(delivery_is(st, d, "sent", NULL, 0), "the reply is as it was");
	make_unwritable(st);
	ok(store_outbox_status_until(st, tg, acct, "962", "read", now + 300,
	    &changed, &cause) == STORE_DB_ERROR && changed == 0,
	    "so does a watermark's");
	free(cause);
	cause = NULL;
	ok(delivery_is(st, c3, "sent", "delivered", now + 200),
	    "nothing changed");
	is_int(store_outbox_status(st, tg, acct, "mid.4", "read", now, NULL,
	    &cause), STORE_OK, "the store writes again after");
	free(a);
	free(b);
	free(q);
	free(c1);
	free(c2);
	free(c3);
	free(d);
	free(cause);
}

/* Writes that fail: every operation says so and changes nothing. */
static void
test_write_faults(struct store *st, int64_t now)
{
	struct store_reply		 r;
	char				*cause = NULL, *id = NULL;
	char				*changes = NULL, *msgid = NULL, *state;
	char				*ops[] = { op_done, op_uninbox };
	long				 changed = -1, total, unread;
	const char			*query = "id:tg.7012345678.950.1@ombre";

	ingest(st, "950", "1", now - 60, MSG_CUSTOMER, "Allô ?");
	store_flush(st, &cause);
	memset(&r, 0, sizeof r);
	r.conv = query;
	r.text = "Je regarde";
	r.text_len = 10;
	r.now = now;
	r.force = 1;
	is_int(store_reply_add(st, &r, &id, &changes, &cause), STORE_OK,
	    "a reply is queued");
	free(id);
	free(changes);
	state = outbox_state(st, "950", &msgid);
	is_str(state, "queued", "in the outbox");
	free(state);

	make_unwritable(st);
	is_int(store_tag(st, query, ops, 2, &changed, &cause), STORE_DB_ERROR,
	    "a tag operation whose writes fail fails");
	ok(cause != NULL && strstr(cause, "read-only") != NULL,
	    "and says what failed");
	diag("%s", cause != NULL ? cause : "(no cause)");
	free(cause);
	cause = NULL;
	is_int(changed, 0, "it changed no conversation");
	store_count_convs(st, "tag:ombre/done and Channel:telegram", &total,
	    &unread, &cause);
	is_int(total, 0, "none is done");
	store_count_convs(st, "tag:inbox and id:tg.7012345678.950.1@ombre",
	    &total, &unread, &cause);
	is_int(total, 1, "the conversation is still in the inbox");

	make_unwritable(st);
	is_int(store_snooze(st, query, now + 3600, &changed, &cause),
	    STORE_DB_ERROR, "a snooze whose writes fail fails");
	free(cause);
	cause = NULL;
	store_count_convs(st, "tag:ombre/snoozed", &total, &unread, &cause);
	is_int(total, 0, "nothing is snoozed");
	/* The event was delivered before its indexing failed: it is taken
	 * back, never applied by the next writer's recovery. */
	is_int(store_ingest_recover(st, &cause), STORE_OK,
	    "a recovery after the failed snooze");
	free(cause);
	cause = NULL;
	store_count_convs(st, "tag:ombre/snoozed", &total, &unread, &cause);
	is_int(total, 0, "still nothing is snoozed: the failed action did not "
	    "happen later");

	if (msgid != NULL) {
		make_unwritable(st);
		is_int(store_outbox_set(st, msgid, "sending", NULL, NULL,
		    &cause), STORE_DB_ERROR,
		    "a reply's state change whose writes fail fails");
		ok(cause != NULL && strstr(cause, "reply's state") != NULL,
		    "and says what failed");
		free(cause);
		cause = NULL;
		state = outbox_state(st, "950", NULL);
		is_str(state, "queued", "the reply is still queued");
		free(state);
		is_int(store_outbox_set(st, msgid, "sending", NULL, NULL,
		    &cause), STORE_OK, "the store is usable again after it");
		state = outbox_state(st, "950", NULL);
		is_str(state, "sending", "and the next change is committed");
		free(state);
		test_long_reason(st, msgid);
		free(msgid);
	} else
		ok(0, "the reply's message id");

	make_unwritable(st);
	ingest(st, "950", "2", now - 30, MSG_CUSTOMER, "Toujours là ?");
	ok(store_flush(st, &cause) != STORE_OK,
	    "indexing a batch whose writes fail fails");
	free(cause);
	cause = NULL;
	ok(!store_has_message(st, "tg.7012345678.950.2@ombre"),
	    "the message is not indexed yet");
	store_count_convs(st, "tag:ombre/done", &total, &unread, &cause);
	is_int(total, 0, "and nothing else changed");
}

/* Presence: another console's entry read, stale ones dropped. */
static void
test_presence(void)
{
	struct store_presence	**list;
	size_t			  n;
	char			  path[600];
	FILE			 *f;

	is_int(store_presence_announce(data_dir, "alice", "conv.x@ombre", 1),
	    0, "a console says what it shows");
	n = store_presence_read(data_dir, util_now(), &list);
	is_int((int)n, 0, "a console does not see itself");
	store_presences_free(list, n);
	/* An entry of our parent process, as another console would be. */
	snprintf(path, sizeof path, "%s/presence/%ld", data_dir, (long)getppid());
	f = fopen(path, "w");
	if (f != NULL) {
		fputs("agent bob\nconv conv.x@ombre\ntyping 1\n", f);
		fclose(f);
	}
	n = store_presence_read(data_dir, util_now(), &list);
	ok(n == 1 && strcmp(list[0]->agent, "bob") == 0 && list[0]->typing &&
	    strcmp(list[0]->conv, "conv.x@ombre") == 0,
	    "another console's entry is read: bob is typing");
	store_presences_free(list, n);
	n = store_presence_read(data_dir, util_now() + STORE_PRESENCE_TTL + 5,
	    &list);
	ok(n == 0 && access(path, F_OK) != 0, "a stale entry is dropped");
	store_presences_free(list, n);
	f = fopen(path, "w");
	if (f != NULL) {
		fputs("agent bob\n", f);
		fclose(f);
	}
	snprintf(path, sizeof path, "%s/presence/999999999", data_dir);
	f = fopen(path, "w");
	if (f != NULL) {
		fputs("agent ghost\n", f);
		fclose(f);
	}
	n = store_presence_read(data_dir, util_now(), &list);
	ok(n == 1 && access(path, F_OK) != 0,
	    "an entry whose process is gone is dropped");
	store_presences_free(list, n);
	store_presence_leave(data_dir);
}

int
main(void)
{
	struct store		*st, *ro, *st2;
	enum store_status	 rc;
	struct store_conv	**convs;
	struct msg		**msgs;
	size_t			 n, nm;
	char			*cause = NULL, *tid = NULL, path[512];
	char			*ops[2];
	long			 changed;
	struct stat		 sb;
	int64_t			 now = 1795000000;
	char			**tags;

	snprintf(data_dir, sizeof data_dir, "%s/t-store.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(data_dir) == NULL)
		return 1;
	snprintf(base_dir, sizeof base_dir, "%s", data_dir);
	strcat(data_dir, "/store");

	/* Creation. */
	st = open_store(STORE_READ_WRITE, 5, &rc);
	is_int(rc, STORE_OK, "a new data dir is created on first use");
	ok(stat(data_dir, &sb) == 0 && (sb.st_mode & 0777) == 0700,
	    "the data dir is private (0700)");
	snprintf(path, sizeof path, "%s/mail/ombre/new", data_dir);
	ok(stat(path, &sb) == 0 && S_ISDIR(sb.st_mode), "with a Maildir");
	ok(strstr(store_config_path(st), "notmuch-config") != NULL,
	    "and its own notmuch config");

	/* Delivery and dedup. */
	is_int(ingest(st, "100", "1", now - 7200, MSG_CUSTOMER, "Bonjour\r\nma commande"),
	    STORE_OK, "a message is accepted");
	is_int(ingest(st, "100", "1", now - 7200, MSG_CUSTOMER, "Bonjour"),
	    STORE_DUPLICATE, "the same message in the same batch is a duplicate");
	is_int(ingest(st, "100", "2", now - 7100, MSG_BOT, "Je suis l'assistant"),
	    STORE_OK, "a bot answer");
	is_int(ingest(st, "200", "1", now - 60, MSG_CUSTOMER, "Hello 😀"),
	    STORE_OK, "another conversation");
	rc = store_flush(st, &cause);
	is_int(rc, STORE_OK, "the batch is flushed");
	free(cause);
	is_int(ingest(st, "100", "1", now - 7200, MSG_CUSTOMER, "Bonjour"),
	    STORE_DUPLICATE, "a stored message is a duplicate");
	snprintf(path, sizeof path, "%s/mail/ombre/tmp", data_dir);

	/* Paged queries, newest activity first. */
	rc = store_query_convs(st, "tag:inbox", 0, 10, &convs, &n, &cause);
	is_int(rc, STORE_OK, "query the inbox");
	is_int((long long)n, 2, "two conversations");
	if (n == 2) {
		is_str(convs[0]->conv_id, "200", "the newest first");
		is_str(convs[1]->conv_id, "100", "then the older");
		is_int(convs[1]->total, 2, "with its two messages");
		is_int(convs[1]->unread, 1, "one unread (the customer's)");
		is_str(convs[1]->customer_name, "Zoë Martin", "the customer's name");
		is_int(strlen(convs[1]->thread_id), 16, "a 16-digit thread id");
		ok(convs[1]->thread_id[0] == '0' && convs[1]->short_id[0] != '0',
		    "a short id without leading zeros");
		is_str(convs[0]->snippet, "Hello 😀", "the snippet is the newest text");
		is_int(convs[0]->waiting_since, now - 60, "the customer waits");
		is_int(convs[1]->waiting_since, 0, "the bot answered the other");
	}
	store_convs_free(convs, n);

	/* Text comes back byte for byte. */
	msgs = NULL;
	if (store_resolve_conv(st, "subject:\"Customer 100\"", &tid, &cause) ==
	    STORE_OK && store_thread_messages(st, tid, &msgs, &nm, &cause) ==
	    STORE_OK && nm == 2) {
		is_str(msgs[0]->text, "Bonjour\r\nma commande", "CR LF kept");
		ok(has_tag(msgs[0]->tags, "inbox") && has_tag(msgs[0]->tags,
		    "unread"), "a customer message gets inbox and unread");
		ok(!has_tag(msgs[1]->tags, "unread"), "a bot message is not unread");
		ok(has_tag(msgs[1]->tags, "inbox"),
		    "but shares the conversation's inbox state");
		store_msgs_free(msgs, nm);
	} else {
		ok(0, "resolve a conversation by query: %s", cause);
		return exit_status();
	}
	free(cause);
	cause = NULL;

	/* Conversation tags are inherited; done conversations reopen. */
	ops[0] = op_assign;
	is_int(store_tag(st, tid, ops, 1, &changed, &cause), STORE_OK,
	    "assign a conversation");
	is_int(changed, 1, "one conversation changed");
	is_int(ingest(st, "100", "3", now - 50, MSG_CUSTOMER, "Toujours là ?"),
	    STORE_OK, "the customer writes again");
	store_flush(st, &cause);
	tags = conv_last_tags(st, tid, &msgs, &nm);
	ok(has_tag(tags, "ombre/assigned/alice"),
	    "a new message inherits the assignee");
	store_msgs_free(msgs, nm);
	ops[0] = op_uninbox;
	ops[1] = op_done;
	store_tag(st, tid, ops, 2, &changed, &cause);
	rc = store_query_convs(st, "tag:inbox", 0, 10, &convs, &n, &cause);
	is_int((long long)n, 1, "done leaves the inbox");
	store_convs_free(convs, n);
	ingest(st, "100", "4", now - 40, MSG_CUSTOMER, "Allo ?");
	store_flush(st, &cause);
	rc = store_query_convs(st, "tag:ombre/done", 0, 10, &convs, &n, &cause);
	is_int((long long)n, 0, "a customer writing again reopens it");
	store_convs_free(convs, n);
	rc = store_query_convs(st, "tag:inbox", 0, 10, &convs, &n, &cause);
	is_int((long long)n, 2, "back in the inbox");
	if (n > 0)
		is_str(convs[0]->conv_id, "100", "at the top");
	store_convs_free(convs, n);

	/* CONV resolution. */
	is_int(store_resolve_conv(st, tid + 10, &cause, &cause) == STORE_OK ||
	    1, 1, "resolve runs");
	free(cause);
	cause = NULL;
	{
		char *got = NULL, shortid[17];
		const char *p = tid;

		while (*p == '0')
			p++;
		snprintf(shortid, sizeof shortid, "%s", p);
		is_int(store_resolve_conv(st, shortid, &got, &cause), STORE_OK,
		    "a short id resolves");
		is_str(got, tid, "to its thread");
		free(got);
		snprintf(path, sizeof path, "thread:%s", tid);
		is_int(store_resolve_conv(st, path, &got, &cause), STORE_OK,
		    "thread:ID resolves");
		free(got);
		is_int(store_resolve_conv(st, "tag:inbox", &got, &cause),
		    STORE_AMBIGUOUS, "a query matching two is ambiguous");
		free(cause);
		is_int(store_resolve_conv(st, "ffffffffffffffff", &got, &cause),
		    STORE_NOT_FOUND, "an unknown thread id is not found");
		free(cause);
		cause = NULL;
	}

	/* Windows: many conversations over two years, paged. */
	{
		int	i;
		char	conv[16];

		for (i = 0; i < 60; i++) {
			snprintf(conv, sizeof conv, "w%02d", i);
			ingest(st, conv, "1", now - 86400LL * 12 * i - 3600,
			    MSG_CUSTOMER, "old");
		}
		store_flush(st, &cause);
		rc = store_query_convs(st, "tag:inbox", 0, 5, &convs, &n, &cause);
		is_int((long long)n, 5, "the first page is full");
		if (n == 5) {
			is_str(convs[2]->conv_id, "w00", "in date order across windows");
			is_str(convs[4]->conv_id, "w02", "still in order");
		}
		store_convs_free(convs, n);
		rc = store_query_convs(st, "tag:inbox", 60, 10, &convs, &n, &cause);
		is_int((long long)n, 2, "the last page holds the rest");
		if (n == 2)
			is_str(convs[1]->conv_id, "w59", "the oldest is last");
		store_convs_free(convs, n);
		rc = store_query_convs(st, "*", 0, 1000, &convs, &n, &cause);
		is_int((long long)n, 62, "everything is reachable");
		store_convs_free(convs, n);
	}

	/* The lock: seen without waiting; a second writer gives up. */
	ok(store_is_locked(data_dir, NULL), "the write lock is seen as held");
	waited = 0;
	st2 = open_store(STORE_READ_WRITE, 0.3, &rc);
	is_int(rc, STORE_LOCKED, "a second writer stops at the ceiling");
	ok(st2 == NULL && waited == 1, "after saying it waits, once");

	/* A reader notices the revision moving. */
	ro = open_store(STORE_READ_ONLY, 0, &rc);
	is_int(rc, STORE_OK, "a reader opens while a writer holds the lock");
	is_int(store_refresh(ro), 0, "no change yet");
	ingest(st, "300", "1", now, MSG_CUSTOMER, "new");
	store_flush(st, &cause);
	is_int(store_refresh(ro), 1, "the reader sees the revision move");
	rc = store_query_convs(ro, "tag:inbox", 0, 1, &convs, &n, &cause);
	if (n == 1)
		is_str(convs[0]->conv_id, "300", "and the new conversation");
	else
		ok(0, "and the new conversation");
	store_convs_free(convs, n);
	store_close(ro);

	is_int(store_close(st), STORE_OK, "close commits");
	ok(!store_is_locked(data_dir, NULL), "the lock is free after close");
	snprintf(path, sizeof path, "%s/journal", data_dir);
	ok(stat(path, &sb) == 0, "the journal dir exists");
	st = open_store(STORE_READ_WRITE, 5, &rc);
	if (st != NULL) {
		test_reply(st, now);
		test_delivery(st, now);
		test_write_faults(st, now);
		store_close(st);
	}
	/* What a failed batch delivered is indexed by the next writer. */
	st = open_store(STORE_READ_WRITE, 5, &rc);
	ok(st != NULL && store_has_message(st, "tg.7012345678.950.2@ombre"),
	    "the next writer indexes what the failed batch delivered");
	if (st != NULL)
		store_close(st);
	test_drafts();
	test_presence();
	free(tid);
	free(cause);
	{
		char cmd[600];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", base_dir);
		if (system(cmd) != 0)
			diag("cleanup failed");
	}
	done_testing();
	return exit_status();
}
