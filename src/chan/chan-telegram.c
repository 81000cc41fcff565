/*
 * chan-telegram.c: the Telegram Bot API adapter (channel-apis.md, 1).
 *
 * Inbound is a getUpdates long poll. An update is confirmed to Telegram
 * by the next call's higher offset, so the offset is the acknowledgement:
 * it is saved, and sent, only after the host has delivered the updates'
 * messages durable and indexed. A crash between the two fetches the same
 * updates again, and their Message-Ids make the second storing a no-op.
 *
 * The token sits in the URL's path: URLs are built here and handed to
 * net only; nothing that is shown or logged contains one (errors are
 * Telegram's descriptions or curl's, which name hosts, not paths).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "chan/chan.h"

#include <jansson.h>

#include <sys/queue.h>

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TG_API_URL	"https://api.telegram.org"
/* The long poll's HTTP timeout: the server's wait plus this margin. */
#define TG_POLL_MARGIN_MS	15000
/* The same answer refused this many times in a row: the update it
 * stops at is quarantined and skipped. */
#define TG_BAD_ANSWERS		3

struct tg_send {
	LIST_ENTRY(tg_send)	 entry;
	struct tg		*tg;
	struct store_outgoing	*o;
	struct net_req		*req;
};

struct tg_fetch {
	LIST_ENTRY(tg_fetch)	 entry;
	struct tg		*tg;
	struct chan_fetch	*f;
	struct net_req		*req;
};

struct tg {
	struct chan_link	*link;
	LIST_HEAD(, tg_send)	 sends;		/* in flight */
	LIST_HEAD(, tg_fetch)	 fetches;	/* in flight */
	char			*token;
	char			*api;		/* base URL, no trailing / */
	char			*account;	/* the bot's id */
	long long		 offset;	/* next update_id wanted, 0 none */
	json_t			*migrated;	/* group id -> its supergroup's id */
	int			 attempt;	/* failures in a row */
	/* An answer that cannot be parsed (TG_BAD_ANSWERS). */
	uint64_t		 bad_key;
	int			 bad_count;
	long long		 narrow_until;	/* one update a page up to it */
	struct net_req		*req;
	struct ev_timer		*timer;
};

static void	tg_poll(void *);

static char *
tg_json_id(json_t *v)
{
	if (json_is_integer(v))
		return xasprintf("%" JSON_INTEGER_FORMAT, json_integer_value(v));
	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	return NULL;
}

static const char *
tg_str(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

/* "First Last", or the username, or the title. */
static char *
tg_name(json_t *who)
{
	const char	*first = tg_str(who, "first_name");
	const char	*last = tg_str(who, "last_name");

	if (tg_str(who, "title") != NULL)
		return xstrdup(tg_str(who, "title"));
	if (first != NULL && last != NULL)
		return xasprintf("%s %s", first, last);
	if (first != NULL)
		return xstrdup(first);
	if (tg_str(who, "username") != NULL)
		return xstrdup(tg_str(who, "username"));
	return NULL;
}

/*
 * Group to supergroup migration: the chat gets a new id, the conversation
 * keeps the old one (its Message-Ids, its thread); replies go to the new.
 * Return 1 when migrations (group id -> supergroup id) learnt it now.
 */
static int
tg_migration_add(json_t *migrations, const char *from, const char *to)
{
	if (from == NULL || to == NULL || strcmp(from, to) == 0)
		return 0;
	if (json_is_string(json_object_get(migrations, from)) &&
	    strcmp(json_string_value(json_object_get(migrations, from)),
	    to) == 0)
		return 0;
	json_object_set_new(migrations, from, json_string(to));
	return 1;
}

/* The migrations kept in the cursor file "migrations". */
static void
tg_migrations_save(struct tg *tg)
{
	char	*text;

	text = json_dumps(tg->migrated, JSON_COMPACT);
	/* A save that fails is said by the host. */
	if (text == NULL)
		log_warn(_("%s: cannot save a group's migration"), tg->link->name);
	else
		tg->link->host->cursor_save(tg->link, "migrations", text);
	free(text);
}

/* The conversation of a chat: the group it was before a migration. */
static char *
tg_conv_of(json_t *migrations, char *chat_id)
{
	const char	*old;
	json_t		*v;

	json_object_foreach(migrations, old, v) {
		if (json_is_string(v) && strcmp(json_string_value(v),
		    chat_id) == 0) {
			free(chat_id);
			return xstrdup(old);
		}
	}
	return chat_id;
}

/* Where a conversation's replies go: its supergroup after a migration. */
static const char *
tg_chat_of(struct tg *tg, const char *conv_id)
{
	json_t	*v = json_object_get(tg->migrated, conv_id);

	return json_is_string(v) ? json_string_value(v) : conv_id;
}

static void
tg_attach(struct msg *m, const char *name, const char *mime, json_t *file)
{
	const char		*file_id = tg_str(file, "file_id");
	json_t			*size = json_object_get(file, "file_size");
	char			*url;

	if (file_id == NULL)
		return;
	/* Never a download URL: it would carry the token. */
	url = xasprintf("tg-file:%s", file_id);
	msg_add_attachment(m, tg_str(file, "file_name") != NULL ?
	    tg_str(file, "file_name") : name, tg_str(file, "mime_type") != NULL ?
	    tg_str(file, "mime_type") : mime, json_is_integer(size) &&
	    json_integer_value(size) >= 0 ? (int64_t)json_integer_value(size) :
	    -1, url);
	free(url);
}

/* A date Telegram sends (seconds): an integer the canonical form takes. */
static const char *
tg_date_check(json_t *v, const char *name)
{
	json_int_t	d;

	if (!json_is_integer(v))
		return name[0] == 'd' ? "date is not an integer" :
		    "edit_date is not an integer";
	d = json_integer_value(v);
	if (d < JSON_DATE_MIN || d > JSON_DATE_MAX)
		return name[0] == 'd' ? "date is out of range (years 0000 to "
		    "9999)" : "edit_date is out of range (years 0000 to 9999)";
	return NULL;
}

/*
 * One Telegram Message as a canonical message (the contract is in
 * chan.h). An edit is a message of its own pointing at the original, so
 * both texts are kept.
 */
struct msg *
tg_message(const char *account, json_t *migrations, json_t *tm, int edited,
    int *learnt, char **why)
{
	struct msg	*m;
	json_t		*chat = json_object_get(tm, "chat");
	json_t		*from = json_object_get(tm, "from");
	json_t		*photos, *biggest, *reply, *ents;
	const char	*text, *bad = NULL;
	char		*chat_id, *msg_id, *mig = NULL, *real_chat;
	size_t		 i;

	*why = NULL;
	*learnt = 0;
	if (!json_is_object(tm))
		bad = "the message is not an object";
	else if (json_object_get(tm, "text") != NULL &&
	    !json_is_string(json_object_get(tm, "text")))
		bad = "text is not a string";
	else if (json_object_get(tm, "caption") != NULL &&
	    !json_is_string(json_object_get(tm, "caption")))
		bad = "caption is not a string";
	else if ((bad = tg_date_check(json_object_get(tm, "date"), "date")) ==
	    NULL && edited && json_object_get(tm, "edit_date") != NULL)
		bad = tg_date_check(json_object_get(tm, "edit_date"),
		    "edit_date");
	if (bad != NULL) {
		*why = xstrdup(bad);
		return NULL;
	}
	chat_id = tg_json_id(json_object_get(chat, "id"));
	msg_id = tg_json_id(json_object_get(tm, "message_id"));
	if (chat_id == NULL || msg_id == NULL) {
		*why = xstrdup("a message without a chat id or a message_id");
		free(chat_id);
		free(msg_id);
		return NULL;
	}
	/* A migration is learnt from either side's service message. */
	if ((mig = tg_json_id(json_object_get(tm, "migrate_to_chat_id"))) !=
	    NULL)
		*learnt = tg_migration_add(migrations, chat_id, mig);
	else if ((mig = tg_json_id(json_object_get(tm,
	    "migrate_from_chat_id"))) != NULL)
		*learnt = tg_migration_add(migrations, mig, chat_id);
	free(mig);
	real_chat = xstrdup(chat_id);
	chat_id = tg_conv_of(migrations, chat_id);
	if (strcmp(real_chat, chat_id) != 0) {
		/* Message ids count again in the supergroup: its messages
		 * are told apart from the group's by its chat id. */
		mig = xasprintf("%s:%s", real_chat, msg_id);
		free(msg_id);
		msg_id = mig;
		mig = NULL;
	}
	free(real_chat);
	m = msg_new();
	m->channel = xstrdup("telegram");
	m->account = xstrdup(account);
	m->conv_id = chat_id;
	m->conv_title = tg_name(chat);
	m->date = (int64_t)json_integer_value(json_object_get(tm, "date"));
	if (edited && json_is_integer(json_object_get(tm, "edit_date"))) {
		m->date = (int64_t)json_integer_value(json_object_get(tm,
		    "edit_date"));
		m->id = xasprintf("%s.edit.%" PRId64, msg_id, m->date);
		m->edit_of = msg_id;
	} else
		m->id = msg_id;
	if (json_is_object(from)) {
		m->from_id = tg_json_id(json_object_get(from, "id"));
		m->from_name = tg_name(from);
		/* The user's language (issue 16): the bot's and the
		 * templates' choice when no one set the contact's. */
		if (tg_str(from, "language_code") != NULL)
			m->lang = xstrndup(tg_str(from, "language_code"), 16);
	} else if (json_is_object(json_object_get(tm, "sender_chat"))) {
		m->from_id = tg_json_id(json_object_get(json_object_get(tm,
		    "sender_chat"), "id"));
		m->from_name = tg_name(json_object_get(tm, "sender_chat"));
	}
	if (m->from_id == NULL)
		m->from_id = xstrdup(m->conv_id);
	m->kind = MSG_CUSTOMER;
	if (json_is_true(json_object_get(from, "is_bot")) &&
	    strcmp(m->from_id, account) == 0)
		m->kind = MSG_BOT;
	text = tg_str(tm, "text");
	if (text == NULL)
		text = tg_str(tm, "caption");
	if (text == NULL && (json_is_integer(json_object_get(tm,
	    "migrate_to_chat_id")) || json_is_integer(json_object_get(tm,
	    "migrate_from_chat_id"))))
		text = "(this group became a supergroup)";
	m->text = xstrdup(text != NULL ? text : "");
	m->text_len = strlen(m->text);
	/* Formatting stays data (a property), never markup. */
	ents = json_object_get(tm, json_object_get(tm, "text") != NULL ?
	    "entities" : "caption_entities");
	if (json_is_array(ents) && json_array_size(ents) > 0)
		m->entities = json_dumps(ents, JSON_COMPACT | JSON_ENSURE_ASCII);
	reply = json_object_get(tm, "reply_to_message");
	if (json_is_object(reply))
		m->reply_to = tg_json_id(json_object_get(reply, "message_id"));

	photos = json_object_get(tm, "photo");
	if (json_is_array(photos) && json_array_size(photos) > 0) {
		/* The sizes come smallest first: keep the largest. */
		biggest = json_array_get(photos, json_array_size(photos) - 1);
		tg_attach(m, "photo.jpg", "image/jpeg", biggest);
	}
	tg_attach(m, "document", "application/octet-stream",
	    json_object_get(tm, "document"));
	tg_attach(m, "voice.ogg", "audio/ogg", json_object_get(tm, "voice"));
	tg_attach(m, "video.mp4", "video/mp4", json_object_get(tm, "video"));
	tg_attach(m, "audio", "audio/mpeg", json_object_get(tm, "audio"));
	tg_attach(m, "sticker.webp", "image/webp",
	    json_object_get(tm, "sticker"));
	for (i = 0; i < m->n_attachments && m->text_len == 0; i++) {
		free(m->text);
		m->text = xasprintf("(%s)", m->attachments[i].name);
		m->text_len = strlen(m->text);
	}
	/* What the store would refuse (an id too long...) is refused here,
	 * with the update kept. */
	if (!json_msg_valid(m, why)) {
		msg_free(m);
		return NULL;
	}
	return m;
}

static void
tg_schedule(struct tg *tg, int64_t ms)
{
	if (tg->timer != NULL)
		ev_timer_del(tg->timer);
	tg->timer = ev_timer_add(tg->link->loop, ms, tg_poll, tg);
}

/* A failure: wait and try again, or give up (--once, or auth). */
static void
tg_failed(struct tg *tg, enum chan_state state, int64_t wait_ms,
    const char *error)
{
	wait_ms = chan_failed(tg->link, &tg->attempt, state, wait_ms,
	    state == CHAN_CONFLICT, error);
	if (wait_ms >= 0)
		tg_schedule(tg, wait_ms);
}

/* Save the offset (after the updates below it are stored or kept). */
static void
tg_offset_save(struct tg *tg, long long next)
{
	char	offset[32];

	if (next <= tg->offset)
		return;
	tg->offset = next;
	snprintf(offset, sizeof offset, "%lld", tg->offset);
	/* A save that fails is said by the host; the updates are delivered
	 * already, and those asked again after a restart are duplicates. */
	tg->link->host->cursor_save(tg->link, "offset", offset);
}

/*
 * The updates of one answer, stored; then the offset moves on, past the
 * updates quarantined too (cut_max: the highest update_id of the ones the
 * parser cut out, -1 none). An update that cannot be taken is kept in
 * quarantine, never skipped without a word.
 */
static int
tg_take_updates(struct tg *tg, json_t *result, long long cut_max,
    size_t *count)
{
	struct msg	**msgs;
	json_t		*u, *tm, *uid;
	size_t		 i, n = 0, stored;
	long long	 last = tg->offset - 1, id;
	char		*cause, *why;
	enum chan_status rc;
	int		 edited, learnt;

	*count = json_array_size(result) + (cut_max >= 0);
	if (cut_max > last)
		last = cut_max;
	msgs = xcalloc(json_array_size(result) + 1, sizeof *msgs);
	json_array_foreach(result, i, u) {
		uid = json_object_get(u, "update_id");
		/* The next offset is update_id + 1: LLONG_MAX has none. */
		if (!json_is_integer(uid) || json_integer_value(uid) < 0 ||
		    json_integer_value(uid) == LLONG_MAX) {
			chan_quarantine_json(tg->link, "update", u,
			    json_is_integer(uid) ? "update_id out of range" :
			    "an update without an integer update_id");
			continue;
		}
		id = (long long)json_integer_value(uid);
		if (id > last)
			last = id;
		if ((tm = json_object_get(u, "message")) != NULL ||
		    (tm = json_object_get(u, "channel_post")) != NULL ||
		    (tm = json_object_get(u, "business_message")) != NULL)
			edited = 0;
		else if ((tm = json_object_get(u, "edited_message")) != NULL ||
		    (tm = json_object_get(u, "edited_channel_post")) != NULL ||
		    (tm = json_object_get(u, "edited_business_message")) !=
		    NULL)
			edited = 1;
		else
			continue;	/* callback queries and the like */
		msgs[n] = tg_message(tg->account, tg->migrated, tm, edited,
		    &learnt, &why);
		if (learnt)
			tg_migrations_save(tg);
		if (msgs[n] != NULL)
			n++;
		else {
			chan_quarantine_json(tg->link, "update", u, why);
			free(why);
		}
	}
	rc = tg->link->host->deliver(tg->link, msgs, n, &stored, &cause);
	for (i = 0; i < n; i++)
		msg_free(msgs[i]);
	free(msgs);
	if (rc != CHAN_OK) {
		tg_failed(tg, CHAN_BACKOFF, -1, cause);
		free(cause);
		return -1;
	}
	/* Durable: now the offset may confirm them. */
	if (last >= tg->offset)
		tg_offset_save(tg, last + 1);
	else
		*count = 0;	/* nothing to confirm: nothing new either */
	return 0;
}

/* The first update_id in an answer and the error: the same failure. */
static uint64_t
tg_bad_key(const char *body, size_t len, const char *cause)
{
	long long	id;
	char		*s;
	uint64_t	h;

	if (json_repair_scan_int(body, len, "update_id", &id) == 0)
		s = xasprintf("%lld %s", id, cause);
	else
		s = xasprintf("%zu %s", len, cause);
	h = util_hash64(s);
	free(s);
	return h;
}

/*
 * An answer that cannot be parsed even with its bad elements cut out
 * (cut short, broken around the updates). Tried again as an error, but
 * the same failure TG_BAD_ANSWERS times in a row does not stop the
 * channel: the pages shrink to one update, and the one update that still
 * fails is quarantined and skipped by its update_id. Return 1 when the
 * caller should poll again at once, 0 to back off.
 */
static int
tg_bad_answer(struct tg *tg, const char *body, size_t len, const char *cause)
{
	struct chan_link	*l = tg->link;
	uint64_t		 key = tg_bad_key(body, len, cause);
	long long		 first, max = -1, id;
	const char		*p;
	size_t			 at;

	if (key != tg->bad_key) {
		tg->bad_key = key;
		tg->bad_count = 0;
	}
	if (++tg->bad_count < TG_BAD_ANSWERS)
		return 0;
	/* The highest update_id the bytes name. */
	for (at = 0; (p = memmem(body + at, len - at, "\"update_id\"", 11)) !=
	    NULL; at = (size_t)(p - body) + 11) {
		if (json_repair_scan_int(p, len - (size_t)(p - body),
		    "update_id", &id) == 0 && id > max)
			max = id;
	}
	if (json_repair_scan_int(body, len, "update_id", &first) != 0) {
		/* Nothing to skip by: kept, and tried again. */
		l->host->quarantine(l, "answer", body, len, cause);
		l->quarantine_failed = 0;	/* nothing skipped */
		return 0;
	}
	if (tg->narrow_until == 0 && max > first) {
		/* Find the one update among them: one a page. */
		tg->narrow_until = max;
		tg->bad_count = 0;
		tg->bad_key = 0;
		tg->attempt = 0;
		return 1;
	}
	if (l->host->quarantine(l, "update", body, len, cause) != CHAN_OK) {
		/* Not kept (a full disk): not skipped either. */
		l->quarantine_failed = 0;
		return 0;
	}
	tg->bad_count = 0;
	tg->bad_key = 0;
	tg->attempt = 0;
	if (first >= tg->offset && first < LLONG_MAX)
		tg_offset_save(tg, first + 1);
	return 1;
}

/*
 * The wait a 429 asks for: retry_after (seconds, any integer a server
 * puts there) or the Retry-After header, at most sync.max-wait; -1 none.
 */
static int64_t
tg_retry_ms(struct tg *tg, json_t *ra, int64_t header_ms)
{
	json_int_t	s;
	int64_t		ms;

	if (json_is_integer(ra) && (s = json_integer_value(ra)) >= 0) {
		if (__builtin_mul_overflow((int64_t)s, 1000, &ms))
			ms = INT64_MAX;
		return chan_wait_ms(tg->link, ms);
	}
	return chan_wait_ms(tg->link, header_ms);
}

static void
tg_answer(const struct net_response *r, void *data)
{
	struct tg	*tg = data;
	json_t		*root, *params, *ra;
	const char	*desc;
	char		*error, *cause;
	long long	 code, cut_max = -1;
	int64_t		 wait = -1;
	size_t		 count;

	tg->req = NULL;
	if (r->status == 0 || r->too_large ||
	    (r->status >= 300 && r->status < 400)) {
		tg_failed(tg, CHAN_BACKOFF, -1, r->error != NULL ? r->error :
		    _("no answer"));
		return;
	}
	root = chan_json_load(tg->link, "update", r->body, r->len,
	    "update_id", &cut_max, &cause);
	if (!json_is_object(root)) {
		error = xasprintf("HTTP %ld: %s", r->status, cause != NULL ?
		    cause : "the answer is not a JSON object");
		json_decref(root);
		free(cause);
		if (r->status == 200 && tg_bad_answer(tg, r->body, r->len,
		    error)) {
			tg->link->host->set_state(tg->link, CHAN_BACKOFF, 0,
			    error);
			tg_schedule(tg, 0);
		} else
			tg_failed(tg, CHAN_BACKOFF, -1, error);
		free(error);
		return;
	}
	tg->bad_count = 0;
	if (json_is_true(json_object_get(root, "ok")) &&
	    json_is_array(json_object_get(root, "result"))) {
		if (tg_take_updates(tg, json_object_get(root, "result"),
		    cut_max, &count) == 0) {
			tg->attempt = 0;
			if (tg->narrow_until != 0 &&
			    tg->offset > tg->narrow_until)
				tg->narrow_until = 0;
			tg->link->host->set_state(tg->link, CHAN_CONNECTED, 0,
			    NULL);
			if (tg->link->opts->once && count == 0)
				tg->link->host->finish(tg->link, 1);
			else if (count == 0 && json_array_size(json_object_get(
			    root, "result")) > 0)
				/* Updates the offset cannot pass (kept in
				 * quarantine): the long poll would not wait. */
				tg_schedule(tg, tg->link->opts->retry_cap_ms);
			else
				tg_schedule(tg, 0);
		}
		json_decref(root);
		return;
	}
	desc = tg_str(root, "description");
	code = json_is_integer(json_object_get(root, "error_code")) ?
	    (long long)json_integer_value(json_object_get(root, "error_code")) :
	    r->status;
	params = json_object_get(root, "parameters");
	ra = json_object_get(params, "retry_after");
	wait = tg_retry_ms(tg, ra, r->retry_after_ms);
	error = xasprintf("%lld %s", code, desc != NULL ? desc : "error");
	if (code == 429 || r->status == 429)
		tg_failed(tg, CHAN_RATE_LIMITED, wait >= 0 ? wait : -1, error);
	else if (code == 409)
		tg_failed(tg, CHAN_CONFLICT, -1, _("409 another client polls "
		    "this bot (getUpdates or a webhook): backing off"));
	else if (code == 401 || code == 404)
		tg_failed(tg, CHAN_AUTH_FAILED, -1, code == 404 ? _("404 the "
		    "token is not a bot's (Not Found)") : error);
	else
		tg_failed(tg, CHAN_BACKOFF, -1, error);
	free(error);
	json_decref(root);
}

static void
tg_poll(void *data)
{
	struct tg		*tg = data;
	struct chan_link	*l = tg->link;
	struct net_request	 rq;
	char			*url, *cause;
	int64_t			 wait_s = l->opts->once ? 0 :
				    l->opts->poll_timeout_s;
	int			 limit = tg->narrow_until != 0 ? 1 : 100;

	tg->timer = NULL;
	if (tg->offset > 0)
		url = xasprintf("%s/bot%s/getUpdates?offset=%lld&limit=%d&"
		    "timeout=%" PRId64, tg->api, tg->token, tg->offset, limit,
		    wait_s);
	else
		url = xasprintf("%s/bot%s/getUpdates?limit=%d&timeout=%"
		    PRId64, tg->api, tg->token, limit, wait_s);
	memset(&rq, 0, sizeof rq);
	rq.url = url;
	rq.timeout_ms = wait_s * 1000 + TG_POLL_MARGIN_MS +
	    l->opts->net.connect_timeout_ms;
	tg->req = net_start(l->net, &rq, tg_answer, tg, &cause);
	explicit_bzero(url, strlen(url));
	free(url);
	if (tg->req == NULL) {
		tg_failed(tg, CHAN_FAILED, -1, cause);
		free(cause);
	}
}

/* ------------------------------------------------------------ sending */

/*
 * sendMessage's answer. Telegram has no idempotency key: a send whose
 * request may have reached the server is never made again by itself.
 */
static void
tg_send_answer(const struct net_response *r, void *data)
{
	struct tg_send		*ts = data;
	struct tg		*ts_tg = ts->tg;
	struct chan_link	*l = ts->tg->link;
	struct store_outgoing	*o = ts->o;
	json_t			*root, *params, *res;
	const char		*desc;
	char			*error = NULL, *remote = NULL, *mig;
	long long		 code;
	int64_t			 wait = -1;

	LIST_REMOVE(ts, entry);
	free(ts);
	if (r->status == 0) {
		l->host->send_done(l, o, r->unsent ? CHAN_SEND_RETRY :
		    CHAN_SEND_UNKNOWN, NULL, r->error, -1);
		return;
	}
	root = json_loadb(r->body, r->len, JSON_ALLOW_NUL, NULL);
	res = json_object_get(root, "result");
	if (json_is_true(json_object_get(root, "ok"))) {
		remote = tg_json_id(json_object_get(res, "message_id"));
		l->host->send_done(l, o, CHAN_SENT, remote, NULL, -1);
		free(remote);
		json_decref(root);
		return;
	}
	if (!json_is_object(root)) {
		/* An answer came, but not Telegram's: it may have been sent. */
		error = xasprintf("HTTP %ld: the answer is not JSON", r->status);
		l->host->send_done(l, o, r->status >= 500 ? CHAN_SEND_UNKNOWN :
		    CHAN_SEND_FAILED, NULL, error, -1);
		free(error);
		return;
	}
	desc = tg_str(root, "description");
	code = json_is_integer(json_object_get(root, "error_code")) ?
	    (long long)json_integer_value(json_object_get(root, "error_code")) :
	    r->status;
	params = json_object_get(root, "parameters");
	wait = tg_retry_ms(ts_tg, json_object_get(params, "retry_after"),
	    r->retry_after_ms);
	error = xasprintf("%lld %s", code, desc != NULL ? desc : "error");
	/* The group became a supergroup: nothing was sent; to the new id. */
	if (code == 400 && (mig = tg_json_id(json_object_get(params,
	    "migrate_to_chat_id"))) != NULL) {
		if (tg_migration_add(ts_tg->migrated, o->conv_id, mig))
			tg_migrations_save(ts_tg);
		free(mig);
		l->host->send_done(l, o, CHAN_SEND_RETRY, NULL, error, 0);
		free(error);
		json_decref(root);
		return;
	}
	/* The customer blocked the bot: the conversation says so. */
	if (code == 403 && desc != NULL && strstr(desc, "blocked") != NULL)
		l->host->conv_tag(l, o->msgid, "+ombre/blocked");
	if (code == 429)
		l->host->send_done(l, o, CHAN_SEND_RETRY, NULL, error, wait);
	else if (code >= 500)
		l->host->send_done(l, o, CHAN_SEND_UNKNOWN, NULL, error, -1);
	else
		l->host->send_done(l, o, CHAN_SEND_FAILED, NULL, error, -1);
	free(error);
	json_decref(root);
}

static void
tg_send(void *data, struct store_outgoing *o)
{
	struct tg		*tg = data;
	struct tg_send		*ts;
	struct net_request	 rq;
	json_t			*body, *chat;
	const char		*to;
	char			*url, *text, *cause, *end;
	long long		 id;

	to = tg_chat_of(tg, o->conv_id);
	id = strtoll(to, &end, 10);
	chat = *end == '\0' && *to != '\0' ? json_integer(id) :
	    json_string(to);
	body = json_pack("{s:o, s:s}", "chat_id", chat, "text", o->text);
	if (o->reply_to != NULL && (id = strtoll(o->reply_to, &end, 10)) > 0 &&
	    *end == '\0')
		json_object_set_new(body, "reply_parameters", json_pack(
		    "{s:I, s:b}", "message_id", (json_int_t)id,
		    "allow_sending_without_reply", 1));
	text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	url = xasprintf("%s/bot%s/sendMessage", tg->api, tg->token);
	memset(&rq, 0, sizeof rq);
	rq.method = "POST";
	rq.url = url;
	rq.body = text;
	rq.body_len = strlen(text);
	rq.content_type = "application/json";
	rq.timeout_ms = 30000;
	rq.not_idempotent = 1;
	ts = xcalloc(1, sizeof *ts);
	ts->tg = tg;
	ts->o = o;
	LIST_INSERT_HEAD(&tg->sends, ts, entry);
	ts->req = net_start(tg->link->net, &rq, tg_send_answer, ts, &cause);
	explicit_bzero(url, strlen(url));
	free(url);
	free(text);
	if (ts->req == NULL) {
		LIST_REMOVE(ts, entry);
		free(ts);
		tg->link->host->send_done(tg->link, o, CHAN_SEND_FAILED, NULL,
		    cause, -1);
		free(cause);
	}
}

/* ------------------------------------------------------- attachments */

static void
tg_fetch_end(struct tg_fetch *tf, const char *body, size_t len,
    const char *error)
{
	LIST_REMOVE(tf, entry);
	tf->tg->link->host->fetch_done(tf->f, body, len, error);
	free(tf);
}

/* Start a GET for a fetch; the URL holds the token and is never shown. */
static int
tg_fetch_get(struct tg_fetch *tf, char *url, net_done_cb done)
{
	struct net_request	 rq;
	char			*cause;

	memset(&rq, 0, sizeof rq);
	rq.url = url;
	rq.timeout_ms = 120000;
	tf->req = net_start(tf->tg->link->net, &rq, done, tf, &cause);
	explicit_bzero(url, strlen(url));
	free(url);
	if (tf->req == NULL) {
		tg_fetch_end(tf, NULL, 0, cause);
		free(cause);
		return -1;
	}
	return 0;
}

static void
tg_fetch_body(const struct net_response *r, void *data)
{
	struct tg_fetch	*tf = data;
	char		*error;

	tf->req = NULL;
	if (r->class != NET_OK) {
		if (r->error != NULL)
			error = xasprintf("the download failed: %s", r->error);
		else
			error = xasprintf("the download failed: HTTP %ld",
			    r->status);
		tg_fetch_end(tf, NULL, 0, error);
		free(error);
		return;
	}
	tg_fetch_end(tf, r->body, r->len, NULL);
}

static void
tg_fetch_path(const struct net_response *r, void *data)
{
	struct tg_fetch	*tf = data;
	struct tg	*tg = tf->tg;
	json_t		*root;
	const char	*path, *desc;
	char		*error;

	tf->req = NULL;
	root = json_loadb(r->body, r->len, 0, NULL);
	path = tg_str(json_object_get(root, "result"), "file_path");
	if (r->class != NET_OK || path == NULL || strstr(path, "..") != NULL ||
	    strcspn(path, "?#% \t\r\n") != strlen(path)) {
		desc = tg_str(root, "description");
		error = xasprintf("getFile: %s", desc != NULL ? desc :
		    (r->error != NULL ? r->error : "no file path"));
		tg_fetch_end(tf, NULL, 0, error);
		free(error);
		json_decref(root);
		return;
	}
	tg_fetch_get(tf, xasprintf("%s/file/bot%s/%s", tg->api, tg->token,
	    path), tg_fetch_body);
	json_decref(root);
}

static void
tg_fetch(void *data, const char *url, struct chan_fetch *f)
{
	struct tg	*tg = data;
	struct tg_fetch	*tf;
	char		*id;

	tf = xcalloc(1, sizeof *tf);
	tf->tg = tg;
	tf->f = f;
	LIST_INSERT_HEAD(&tg->fetches, tf, entry);
	if (strncmp(url, "tg-file:", 8) != 0 || url[8] == '\0') {
		tg_fetch_end(tf, NULL, 0, "not a Telegram file");
		return;
	}
	id = net_escape(url + 8);
	tg_fetch_get(tf, xasprintf("%s/bot%s/getFile?file_id=%s", tg->api,
	    tg->token, id), tg_fetch_path);
	free(id);
}

static int
tg_owns(void *data, const char *channel, const char *account)
{
	struct tg	*tg = data;

	return strcmp(channel, "telegram") == 0 &&
	    strcmp(account, tg->account) == 0;
}

static void
tg_stop(void *data)
{
	struct tg	*tg = data;
	struct tg_send	*ts;
	struct tg_fetch	*tf;

	if (tg == NULL)
		return;
	/* Fetches cut off: their requests stay on disk for the next run. */
	while ((tf = LIST_FIRST(&tg->fetches)) != NULL) {
		LIST_REMOVE(tf, entry);
		net_cancel(tf->req);
		free(tf);
	}
	/* Cut off: their state stays "sending", read as unknown next time. */
	while ((ts = LIST_FIRST(&tg->sends)) != NULL) {
		LIST_REMOVE(ts, entry);
		net_cancel(ts->req);
		store_outgoing_free(ts->o);
		free(ts);
	}
	net_cancel(tg->req);
	if (tg->timer != NULL)
		ev_timer_del(tg->timer);
	if (tg->token != NULL) {
		explicit_bzero(tg->token, strlen(tg->token));
		free(tg->token);
	}
	free(tg->api);
	free(tg->account);
	json_decref(tg->migrated);
	free(tg);
}

static void *
tg_start(struct chan_link *l, char **cause)
{
	struct tg	*tg;
	const char	*api;
	char		*saved, *end;
	size_t		 digits;

	tg = xcalloc(1, sizeof *tg);
	LIST_INIT(&tg->sends);
	LIST_INIT(&tg->fetches);
	tg->link = l;
	if ((tg->token = l->host->secret(l, "token", cause)) == NULL) {
		tg_stop(tg);
		return NULL;
	}
	/* A bot token is "<bot id>:<secret>": the id is the account. */
	digits = strspn(tg->token, "0123456789");
	if (digits == 0 || tg->token[digits] != ':' ||
	    tg->token[digits + 1] == '\0' ||
	    strcspn(tg->token, "/?#% \t") != strlen(tg->token)) {
		*cause = xstrdup(_("the token is not a bot token "
		    "(<digits>:<secret>)"));
		tg_stop(tg);
		return NULL;
	}
	tg->account = xasprintf("%.*s", (int)digits, tg->token);
	api = channel_config_get(l->cc, "api-url");
	tg->api = xstrdup(api != NULL ? api : TG_API_URL);
	while (*tg->api != '\0' && tg->api[strlen(tg->api) - 1] == '/')
		tg->api[strlen(tg->api) - 1] = '\0';
	if (net_url_allowed(tg->api, cause) != 0) {
		tg_stop(tg);
		return NULL;
	}
	saved = l->host->cursor_load(l, "migrations");
	tg->migrated = saved != NULL ? json_loads(saved, 0, NULL) : NULL;
	if (!json_is_object(tg->migrated)) {
		json_decref(tg->migrated);
		tg->migrated = json_object();
	}
	free(saved);
	if ((saved = l->host->cursor_load(l, "offset")) != NULL) {
		errno = 0;
		tg->offset = strtoll(saved, &end, 10);
		if (*end != '\0' || tg->offset < 0 || errno != 0)
			tg->offset = 0;
		free(saved);
	}
	l->host->set_state(l, CHAN_STARTING, 0, NULL);
	tg_schedule(tg, 0);
	return tg;
}

const struct chan_type chan_telegram_type = {
	.name = "telegram",
	.start = tg_start,
	.stop = tg_stop,
	.owns = tg_owns,
	.send = tg_send,
	.idempotent = 0,
	.fetch = tg_fetch
};
