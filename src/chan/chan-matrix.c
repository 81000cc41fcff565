/*
 * chan-matrix.c: the Matrix client-server API adapter (channel-apis.md, 2).
 *
 * Inbound is a /sync long poll with an inline filter. Every joined room is
 * ingested: m.direct only marks a room direct, and a bridge's m.bridge
 * state names the network (whatsapp, signal, ...), which becomes the
 * conversation's channel. A timeline that comes back limited has a gap:
 * it is back-filled through /messages, newest first, until an empty
 * chunk, a missing or unchanged end, an event already stored or
 * MX_BACKFILL_PAGES pages. The since token is saved only after everything
 * the answer (and its back-fill) held is stored and indexed.
 *
 * What /sync says of a room once (its name, members, bridge, encryption)
 * is kept in the cursor file "rooms", so later answers, which carry only
 * changes, still have it. Access tokens are never written anywhere: with
 * password-command, ombre logs in at each start, always with the same
 * device id so that transaction ids keep their scope.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "chan/chan.h"

#include <jansson.h>

#include <sys/queue.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MX_DEVICE_ID		"OMBRE"
#define MX_BACKFILL_PAGES	20
#define MX_POLL_MARGIN_MS	15000
/* The same /sync answer refused this many times in a row: kept in
 * quarantine, and skipped when its next_batch can be read. */
#define MX_BAD_ANSWERS		3
#define MX_FILTER \
	"{\"room\":{\"timeline\":{\"limit\":100},\"state\":{\"lazy_load_members\":false}," \
	"\"ephemeral\":{\"types\":[]}},\"presence\":{\"types\":[]}}"

enum mx_step {
	MX_LOGIN,
	MX_SYNC,
	MX_BACKFILL
};

struct mx_send {
	LIST_ENTRY(mx_send)	 entry;
	struct mx		*mx;
	struct store_outgoing	*o;
	struct net_req		*req;
};

struct mx {
	struct chan_link	*link;
	LIST_HEAD(, mx_send)	 sends;		/* in flight */
	char			*base;		/* homeserver URL, no trailing / */
	char			*user;		/* @user:server */
	char			*token;		/* access token */
	char			*password;	/* for password login, or NULL */
	char			*device;
	char			*since;
	json_t			*rooms;		/* room id -> what we know */
	int			 attempt;
	int			 relogged;
	uint64_t		 bad_key;	/* an answer that does not parse */
	int			 bad_count;
	enum mx_step		 step;
	struct net_req		*req;
	struct ev_timer		*timer;
	/* One /sync answer being taken in (with its back-fills). */
	json_t			*answer;
	json_t			*pending;	/* rooms still to back-fill */
	struct msg		**msgs;
	size_t			 n_msgs;
	char			*fill_room;
	char			*fill_from;
	int			 fill_pages;
};

static void	mx_next(void *);
static void	mx_sync_finish(struct mx *);

static const char *
mx_str(json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

static void
mx_schedule(struct mx *mx, int64_t ms)
{
	if (mx->timer != NULL)
		ev_timer_del(mx->timer);
	mx->timer = ev_timer_add(mx->link->loop, ms, mx_next, mx);
}

static void
mx_msgs_free(struct mx *mx)
{
	size_t	i;

	for (i = 0; i < mx->n_msgs; i++)
		msg_free(mx->msgs[i]);
	free(mx->msgs);
	mx->msgs = NULL;
	mx->n_msgs = 0;
	json_decref(mx->answer);
	mx->answer = NULL;
	json_decref(mx->pending);
	mx->pending = NULL;
	free(mx->fill_room);
	mx->fill_room = NULL;
	free(mx->fill_from);
	mx->fill_from = NULL;
}

static void
mx_failed(struct mx *mx, enum chan_state state, int64_t wait_ms,
    const char *error)
{
	mx_msgs_free(mx);
	wait_ms = chan_failed(mx->link, &mx->attempt, state, wait_ms, 0, error);
	if (wait_ms >= 0)
		mx_schedule(mx, wait_ms);
}

/*
 * The wait a 429 asks for: the Retry-After header, else the deprecated
 * retry_after_ms (any integer a server puts there), at most sync.max-wait;
 * -1 none.
 */
static int64_t
mx_retry_ms(struct mx *mx, json_t *root, int64_t header_ms)
{
	json_t	*v = json_object_get(root, "retry_after_ms");

	if (header_ms < 0 && json_is_integer(v) && json_integer_value(v) >= 0)
		header_ms = (int64_t)json_integer_value(v);
	return chan_wait_ms(mx->link, header_ms);
}

/*
 * An error answer: Matrix's errcode first, the HTTP status else. Return 1
 * when the caller should log in again (a token refused, a password known).
 */
static int
mx_error(struct mx *mx, const struct net_response *r)
{
	json_t		*root;
	const char	*code = NULL, *text = NULL;
	char		*error;
	int64_t		 wait = r->retry_after_ms;

	if (r->status == 0 || r->too_large ||
	    (r->status >= 300 && r->status < 400)) {
		mx_failed(mx, CHAN_BACKOFF, -1, r->error != NULL ? r->error :
		    _("no answer"));
		return 0;
	}
	root = json_loadb(r->body, r->len, JSON_ALLOW_NUL, NULL);
	code = mx_str(root, "errcode");
	text = mx_str(root, "error");
	wait = mx_retry_ms(mx, root, wait);
	error = xasprintf("HTTP %ld %s%s%s", r->status, code != NULL ? code :
	    "", code != NULL && text != NULL ? ": " : "",
	    text != NULL ? text : (code == NULL ? "error" : ""));
	if (r->status == 429 || (code != NULL &&
	    strcmp(code, "M_LIMIT_EXCEEDED") == 0))
		mx_failed(mx, CHAN_RATE_LIMITED, wait, error);
	else if (code != NULL && (strcmp(code, "M_UNKNOWN_TOKEN") == 0 ||
	    strcmp(code, "M_MISSING_TOKEN") == 0) && mx->password != NULL &&
	    !mx->relogged) {
		mx->relogged = 1;
		json_decref(root);
		free(error);
		return 1;
	} else if (r->class == NET_AUTH && (code == NULL ||
	    strcmp(code, "M_LIMIT_EXCEEDED") != 0))
		mx_failed(mx, CHAN_AUTH_FAILED, -1, error);
	else if (r->class == NET_PERMANENT && mx->step == MX_LOGIN)
		mx_failed(mx, CHAN_AUTH_FAILED, -1, error);
	else
		mx_failed(mx, CHAN_BACKOFF, -1, error);
	json_decref(root);
	free(error);
	return 0;
}

/* A request to the homeserver; done gets data (the adapter, or a send). */
static struct net_req *
mx_request_for(struct mx *mx, const char *method, const char *path,
    const char *body, int64_t timeout_ms, net_done_cb done, void *data)
{
	struct net_request	 rq;
	struct net_req		*req;
	char			*url, *cause;

	url = xasprintf("%s/_matrix/client/v3/%s", mx->base, path);
	memset(&rq, 0, sizeof rq);
	rq.method = method;
	rq.url = url;
	rq.body = body;
	rq.body_len = body != NULL ? strlen(body) : 0;
	rq.content_type = body != NULL ? "application/json" : NULL;
	rq.bearer = mx->step == MX_LOGIN ? NULL : mx->token;
	rq.timeout_ms = timeout_ms;
	req = net_start(mx->link->net, &rq, done, data, &cause);
	free(url);
	if (req == NULL) {
		mx->link->host->set_state(mx->link, CHAN_FAILED, 0, cause);
		mx->link->host->finish(mx->link, 0);
		free(cause);
	}
	return req;
}

static struct net_req *
mx_request(struct mx *mx, const char *method, const char *path,
    const char *body, int64_t timeout_ms, net_done_cb done)
{
	return mx_request_for(mx, method, path, body, timeout_ms, done, mx);
}

/* ------------------------------------------------------------- login */

static void
mx_login_answer(const struct net_response *r, void *data)
{
	struct mx	*mx = data;
	json_t		*root;
	const char	*token;

	mx->req = NULL;
	if (r->class != NET_OK) {
		mx_error(mx, r);
		return;
	}
	root = json_loadb(r->body, r->len, 0, NULL);
	token = mx_str(root, "access_token");
	if (token == NULL) {
		json_decref(root);
		mx_failed(mx, CHAN_BACKOFF, -1, "login: no access_token in the "
		    "answer");
		return;
	}
	if (mx->token != NULL) {
		explicit_bzero(mx->token, strlen(mx->token));
		free(mx->token);
	}
	mx->token = xstrdup(token);
	if (mx_str(root, "user_id") != NULL) {
		free(mx->user);
		mx->user = xstrdup(mx_str(root, "user_id"));
	}
	json_decref(root);
	mx->step = MX_SYNC;
	mx_schedule(mx, 0);
}

static void
mx_login(struct mx *mx)
{
	json_t	*body;
	char	*text, *local;

	/* The identifier is the localpart or the whole user id. */
	local = mx->user[0] == '@' ? xstrndup(mx->user + 1,
	    strcspn(mx->user + 1, ":")) : xstrdup(mx->user);
	body = json_pack("{s:s, s:{s:s, s:s}, s:s, s:s, s:s}",
	    "type", "m.login.password",
	    "identifier", "type", "m.id.user", "user", local,
	    "password", mx->password,
	    "device_id", mx->device,
	    "initial_device_display_name", "ombre");
	free(local);
	text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	mx->step = MX_LOGIN;
	mx->req = mx_request(mx, "POST", "login", text, 30000,
	    mx_login_answer);
	explicit_bzero(text, strlen(text));
	free(text);
}

/* ------------------------------------------------------------- rooms */

/* What a room's state events say: name, members, bridge, encryption. */
static json_t *
mx_room(struct mx *mx, const char *room_id)
{
	json_t	*room = json_object_get(mx->rooms, room_id);

	if (room == NULL) {
		room = json_pack("{s:{}}", "members");
		json_object_set_new(mx->rooms, room_id, room);
	}
	return room;
}

/* What a state event says of a room, kept in room (the contract is in
 * chan.h). */
void
mx_room_state(json_t *room, json_t *ev)
{
	json_t		*content, *proto;
	const char	*type = mx_str(ev, "type"), *key, *name;

	content = json_object_get(ev, "content");
	if (type == NULL || !json_is_object(content))
		return;
	if (strcmp(type, "m.room.name") == 0 && mx_str(content, "name"))
		json_object_set_new(room, "name",
		    json_string(mx_str(content, "name")));
	else if (strcmp(type, "m.room.member") == 0 &&
	    (key = mx_str(ev, "state_key")) != NULL) {
		name = mx_str(content, "displayname");
		json_object_set_new(json_object_get(room, "members"), key,
		    json_string(name != NULL ? name : key));
	} else if (strcmp(type, "m.room.encryption") == 0)
		json_object_set_new(room, "encrypted", json_true());
	else if (strcmp(type, "m.bridge") == 0 ||
	    strcmp(type, "uk.half-shot.bridge") == 0) {
		proto = json_object_get(content, "protocol");
		if (mx_str(proto, "id") != NULL)
			json_object_set_new(room, "network",
			    json_string(mx_str(proto, "id")));
		/* The bridge's bot is a member, not the customer. */
		if (mx_str(content, "bridgebot") != NULL)
			json_object_set_new(room, "bridgebot",
			    json_string(mx_str(content, "bridgebot")));
	}
}

/* The channel of a room: the bridged network's name, else matrix. */
static const char *
mx_room_channel(json_t *room)
{
	const char	*net = mx_str(room, "network");

	if (net == NULL)
		return "matrix";
	if (strcmp(net, "facebook") == 0 || strcmp(net, "meta") == 0)
		return "messenger";
	return net;
}

/* The room's title: its name, else the other members' names. */
static char *
mx_room_title(const char *user, json_t *room)
{
	json_t		*members = json_object_get(room, "members"), *v;
	const char	*k;
	struct buf	 b;

	if (mx_str(room, "name") != NULL)
		return xstrdup(mx_str(room, "name"));
	buf_init(&b);
	json_object_foreach(members, k, v) {
		if (strcmp(k, user) == 0 || !json_is_string(v) ||
		    (mx_str(room, "bridgebot") != NULL &&
		    strcmp(k, mx_str(room, "bridgebot")) == 0))
			continue;
		if (b.len > 0)
			buf_add_str(&b, ", ");
		buf_add_str(&b, json_string_value(v));
		if (b.len > 200)
			break;
	}
	if (b.len == 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

/* ------------------------------------------------------------ events */

/*
 * What an m.room.message's content says: the text (an edit's new one, an
 * emote as "* name text"), what it answers or edits, a bot's notice, an
 * attachment.
 */
static void
mx_message_content(struct msg *m, json_t *content)
{
	struct msg_attachment	*a;
	json_t			*rel, *info, *newc;
	const char		*msgtype, *body;

	msgtype = mx_str(content, "msgtype");
	body = mx_str(content, "body");
	rel = json_object_get(content, "m.relates_to");
	if (mx_str(rel, "rel_type") != NULL &&
	    strcmp(mx_str(rel, "rel_type"), "m.replace") == 0 &&
	    mx_str(rel, "event_id") != NULL) {
		m->edit_of = xstrdup(mx_str(rel, "event_id"));
		newc = json_object_get(content, "m.new_content");
		if (mx_str(newc, "body") != NULL)
			body = mx_str(newc, "body");
	}
	if (mx_str(json_object_get(rel, "m.in_reply_to"), "event_id") != NULL)
		m->reply_to = xstrdup(mx_str(json_object_get(rel,
		    "m.in_reply_to"), "event_id"));
	if (msgtype != NULL && strcmp(msgtype, "m.notice") == 0 &&
	    m->kind == MSG_CUSTOMER)
		m->kind = MSG_BOT;	/* bots and bridges speak in notices */
	if (msgtype != NULL && strcmp(msgtype, "m.emote") == 0)
		m->text = xasprintf("* %s %s", m->from_name, body != NULL ?
		    body : "");
	else
		m->text = xstrdup(body != NULL ? body : "");
	m->text_len = strlen(m->text);
	if (msgtype != NULL && (strcmp(msgtype, "m.image") == 0 ||
	    strcmp(msgtype, "m.file") == 0 || strcmp(msgtype, "m.audio") == 0 ||
	    strcmp(msgtype, "m.video") == 0) && mx_str(content, "url") != NULL) {
		info = json_object_get(content, "info");
		m->attachments = xcalloc(1, sizeof *m->attachments);
		m->n_attachments = 1;
		a = &m->attachments[0];
		a->name = xstrdup(mx_str(content, "filename") != NULL ?
		    mx_str(content, "filename") : (body != NULL ? body :
		    "file"));
		a->mime = xstrdup(mx_str(info, "mimetype") != NULL ?
		    mx_str(info, "mimetype") : "application/octet-stream");
		a->size = json_is_integer(json_object_get(info, "size")) &&
		    json_integer_value(json_object_get(info, "size")) >= 0 ?
		    (int64_t)json_integer_value(json_object_get(info, "size")) :
		    -1;
		a->url = xstrdup(mx_str(content, "url"));	/* mxc:// */
	}
}

/* A message event as a canonical message (the contract is in chan.h). */
struct msg *
mx_event_msg(const char *user, const char *room_id, json_t *room, json_t *ev,
    char **why)
{
	struct msg	*m;
	json_t		*content, *tsv;
	const char	*type = mx_str(ev, "type");
	const char	*id = mx_str(ev, "event_id");
	const char	*sender = mx_str(ev, "sender");
	const char	*name, *bad = NULL;
	json_int_t	 ts;

	*why = NULL;
	if (type == NULL || (strcmp(type, "m.room.message") != 0 &&
	    strcmp(type, "m.room.encrypted") != 0))
		return NULL;
	content = json_object_get(ev, "content");
	tsv = json_object_get(ev, "origin_server_ts");
	if (id == NULL || *id == '\0' || sender == NULL || *sender == '\0')
		bad = "a message event without an event_id or a sender";
	else if (!json_is_object(content))
		bad = "a message event without content";
	else if (!json_is_integer(tsv))
		bad = "origin_server_ts is not an integer";
	else if (json_integer_value(tsv) / 1000 < JSON_DATE_MIN ||
	    json_integer_value(tsv) / 1000 > JSON_DATE_MAX)
		bad = "origin_server_ts is out of range (years 0000 to 9999)";
	else if (json_object_get(content, "body") != NULL &&
	    !json_is_string(json_object_get(content, "body")) &&
	    strcmp(type, "m.room.message") == 0)
		bad = "body is not a string";
	if (bad != NULL) {
		*why = xstrdup(bad);
		return NULL;
	}
	ts = json_integer_value(tsv);
	m = msg_new();
	m->channel = xstrdup(mx_room_channel(room));
	m->account = xstrdup(user);
	m->conv_id = xstrdup(room_id);
	m->conv_title = mx_room_title(user, room);
	m->id = xstrdup(id);
	m->date = (int64_t)(ts / 1000);
	m->from_id = xstrdup(sender);
	name = mx_str(json_object_get(room, "members"), sender);
	m->from_name = xstrdup(name != NULL ? name : sender);
	m->kind = strcmp(sender, user) == 0 ? MSG_AGENT : MSG_CUSTOMER;
	/* m.direct only labels a room: every joined room is ingested. */
	if (json_is_true(json_object_get(room, "direct")))
		msg_add_tag(m, "ombre/direct");
	if (strcmp(type, "m.room.encrypted") == 0) {
		/* Never dropped silently: shown for what it is. */
		m->text = xstrdup("encrypted: not readable here");
		m->text_len = strlen(m->text);
	} else
		mx_message_content(m, content);
	/* What the store would refuse (a bridge's network name that is no
	 * channel name, an id too long...) is refused here, event kept. */
	if (!json_msg_valid(m, why)) {
		msg_free(m);
		return NULL;
	}
	return m;
}

/* Our reply's txnId: "ombre-" and the uuid of its out.<uuid> id. */
#define MX_TXN_PREFIX	"ombre-"

static void
mx_add_event(struct mx *mx, const char *room_id, json_t *ev)
{
	struct msg	*m;
	const char	*txn;
	char		*msgid, *why;

	if (json_is_string(json_object_get(ev, "state_key")))
		mx_room_state(mx_room(mx, room_id), ev);
	/* The echo of one of our sends: never stored twice, it settles
	 * the reply instead. */
	txn = mx_str(json_object_get(ev, "unsigned"), "transaction_id");
	if (txn != NULL && strncmp(txn, MX_TXN_PREFIX,
	    strlen(MX_TXN_PREFIX)) == 0 && mx_str(ev, "event_id") != NULL) {
		msgid = xasprintf("out.%s@ombre", txn + strlen(MX_TXN_PREFIX));
		mx->link->host->outbox_echo(mx->link, msgid,
		    mx_str(ev, "event_id"));
		free(msgid);
		return;
	}
	if ((m = mx_event_msg(mx->user, room_id, mx_room(mx, room_id), ev,
	    &why)) == NULL) {
		if (why != NULL)
			chan_quarantine_json(mx->link, "event", ev, why);
		free(why);
		return;
	}
	mx->msgs = xreallocarray(mx->msgs, mx->n_msgs + 1, sizeof *mx->msgs);
	mx->msgs[mx->n_msgs++] = m;
}

/* ---------------------------------------------------------- back-fill */

static void mx_backfill_next(struct mx *);

static void
mx_backfill_answer(const struct net_response *r, void *data)
{
	struct mx	*mx = data;
	json_t		*root, *chunk, *ev;
	const char	*end;
	size_t		 i;
	int		 stop = 0;
	char		*mid, *room, *cause;

	mx->req = NULL;
	if (r->class != NET_OK) {
		/* A side call: the gap stays, the sync goes on. */
		room = sanitize(mx->fill_room, strlen(mx->fill_room),
		    SANITIZE_LINE, 80);
		log_warn(_("%s: back-filling %s failed: HTTP %ld"), mx->link->name,
		    room, r->status);
		free(room);
		mx_backfill_next(mx);
		return;
	}
	root = chan_json_load(mx->link, "event", r->body, r->len, NULL, NULL,
	    &cause);
	free(cause);
	chunk = json_object_get(root, "chunk");
	if (!json_is_array(chunk) || json_array_size(chunk) == 0)
		stop = 1;
	json_array_foreach(chunk, i, ev) {
		mid = mx_str(ev, "event_id") != NULL ? msgid_message(
		    mx_room_channel(mx_room(mx, mx->fill_room)), mx->user,
		    mx->fill_room, mx_str(ev, "event_id")) : NULL;
		if (mid != NULL && mx->link->host->has_message(mx->link, mid)) {
			free(mid);
			stop = 1;	/* we have everything older */
			break;
		}
		free(mid);
		mx_add_event(mx, mx->fill_room, ev);
	}
	end = mx_str(root, "end");
	if (end == NULL || strcmp(end, mx->fill_from) == 0 ||
	    ++mx->fill_pages >= MX_BACKFILL_PAGES)
		stop = 1;
	if (!stop) {
		free(mx->fill_from);
		mx->fill_from = xstrdup(end);
	}
	json_decref(root);
	if (stop) {
		mx_backfill_next(mx);
		return;
	}
	mx_schedule(mx, 0);
}

/* The next page of the room being back-filled, or the next room. */
static void
mx_backfill_page(struct mx *mx)
{
	char	*path, *room, *from;

	room = net_escape(mx->fill_room);
	from = net_escape(mx->fill_from);
	path = xasprintf("rooms/%s/messages?dir=b&limit=100&from=%s", room,
	    from);
	mx->req = mx_request(mx, "GET", path, NULL, 60000,
	    mx_backfill_answer);
	free(path);
	free(room);
	free(from);
}

static void
mx_backfill_next(struct mx *mx)
{
	json_t	*gap;

	free(mx->fill_room);
	mx->fill_room = NULL;
	free(mx->fill_from);
	mx->fill_from = NULL;
	if (json_array_size(mx->pending) == 0) {
		mx_sync_finish(mx);
		return;
	}
	gap = json_array_get(mx->pending, 0);
	mx->fill_room = xstrdup(mx_str(gap, "room"));
	mx->fill_from = xstrdup(mx_str(gap, "from"));
	mx->fill_pages = 0;
	json_array_remove(mx->pending, 0);
	mx->step = MX_BACKFILL;
	mx_schedule(mx, 0);
}

/* --------------------------------------------------------------- sync */

/* Everything of the answer is in: store it, then save since. */
static void
mx_sync_finish(struct mx *mx)
{
	struct chan_link	*l = mx->link;
	size_t			 stored, events = mx->n_msgs;
	char			*cause, *rooms;
	const char		*next;

	if (l->host->deliver(l, mx->msgs, mx->n_msgs, &stored, &cause) !=
	    CHAN_OK) {
		mx_failed(mx, CHAN_BACKOFF, -1, cause);
		free(cause);
		return;
	}
	next = mx_str(mx->answer, "next_batch");
	rooms = json_dumps(mx->rooms, JSON_COMPACT);
	/* A cursor that cannot be saved is said by the host; what is
	 * delivered stays, and the next start asks again from the last
	 * saved one (duplicates are dropped). */
	if (rooms == NULL)
		log_warn(_("%s: cannot save what is known of the rooms"), l->name);
	else
		l->host->cursor_save(l, "rooms", rooms);
	free(rooms);
	if (next != NULL) {
		free(mx->since);
		mx->since = xstrdup(next);
		l->host->cursor_save(l, "since", next);
	}
	mx_msgs_free(mx);
	mx->attempt = 0;
	mx->step = MX_SYNC;
	l->host->set_state(l, CHAN_CONNECTED, 0, NULL);
	if (l->opts->once && events == 0)
		l->host->finish(l, 1);
	else
		mx_schedule(mx, 0);
}

/*
 * A /sync answer that cannot be parsed even with its bad events cut out.
 * Tried again as an error, but the same failure MX_BAD_ANSWERS times in a
 * row does not stop the channel: the answer is quarantined and, when its
 * next_batch can be read, the since token moves past it.
 */
static void
mx_bad_answer(struct mx *mx, const char *body, size_t len,
    const char *error)
{
	struct chan_link	*l = mx->link;
	uint64_t		 key;
	char			*s, *next;

	s = xasprintf("%zu %s", len, error);
	key = util_hash64(s);
	free(s);
	if (key != mx->bad_key) {
		mx->bad_key = key;
		mx->bad_count = 0;
	}
	if (++mx->bad_count < MX_BAD_ANSWERS) {
		mx_failed(mx, CHAN_BACKOFF, -1, error);
		return;
	}
	if (l->host->quarantine(l, "answer", body, len, error) != CHAN_OK) {
		l->quarantine_failed = 0;
		mx_failed(mx, CHAN_BACKOFF, -1, _("cannot write the "
		    "quarantine: not fetching"));
		return;
	}
	mx->bad_count = 0;
	mx->bad_key = 0;
	next = json_repair_scan_str(body, len, "next_batch");
	if (next == NULL) {
		mx_failed(mx, CHAN_BACKOFF, -1, error);
		return;
	}
	free(mx->since);
	mx->since = next;
	l->host->cursor_save(l, "since", next);
	mx->attempt = 0;
	l->host->set_state(l, CHAN_BACKOFF, 0, error);
	mx_schedule(mx, 0);
}

static void
mx_sync_answer(const struct net_response *r, void *data)
{
	struct mx	*mx = data;
	json_t		*root, *join, *room, *tl, *ev, *dm, *rooms;
	const char	*room_id, *user, *prev;
	size_t		 i, j;
	char		*cause, *error;

	mx->req = NULL;
	if (r->class != NET_OK) {
		if (mx_error(mx, r))
			mx_login(mx);
		return;
	}
	root = chan_json_load(mx->link, "event", r->body, r->len, NULL, NULL,
	    &cause);
	if (!json_is_object(root) || mx_str(root, "next_batch") == NULL) {
		json_decref(root);
		error = xasprintf("/sync: %s", cause != NULL ? cause :
		    "the answer is not a sync response");
		free(cause);
		mx_bad_answer(mx, r->body, r->len, error);
		free(error);
		return;
	}
	mx->bad_count = 0;
	mx->relogged = 0;
	mx_msgs_free(mx);
	mx->answer = root;
	mx->pending = json_array();
	/* m.direct: which rooms are direct chats. */
	json_array_foreach(json_object_get(json_object_get(root,
	    "account_data"), "events"), i, ev) {
		if (mx_str(ev, "type") == NULL ||
		    strcmp(mx_str(ev, "type"), "m.direct") != 0)
			continue;
		json_object_foreach(json_object_get(ev, "content"), user, dm) {
			json_array_foreach(dm, j, rooms) {
				if (json_is_string(rooms))
					json_object_set_new(mx_room(mx,
					    json_string_value(rooms)), "direct",
					    json_true());
			}
		}
	}
	join = json_object_get(json_object_get(root, "rooms"), "join");
	json_object_foreach(join, room_id, room) {
		json_array_foreach(json_object_get(json_object_get(room,
		    "state"), "events"), i, ev)
			mx_room_state(mx_room(mx, room_id), ev);
		tl = json_object_get(room, "timeline");
		/* State first: names are known before the messages. */
		json_array_foreach(json_object_get(tl, "events"), i, ev)
			if (json_is_string(json_object_get(ev, "state_key")))
				mx_room_state(mx_room(mx, room_id), ev);
		json_array_foreach(json_object_get(tl, "events"), i, ev)
			mx_add_event(mx, room_id, ev);
		prev = mx_str(tl, "prev_batch");
		if (json_is_true(json_object_get(tl, "limited")) && prev != NULL)
			json_array_append_new(mx->pending, json_pack("{s:s, s:s}",
			    "room", room_id, "from", prev));
	}
	mx_backfill_next(mx);
}

static void
mx_sync(struct mx *mx)
{
	struct chan_link	*l = mx->link;
	char			*path, *filter, *since = NULL;
	int64_t			 wait_ms = l->opts->once ? 0 :
				    l->opts->poll_timeout_s * 1000;

	filter = net_escape(MX_FILTER);
	if (mx->since != NULL)
		since = net_escape(mx->since);
	path = xasprintf("sync?timeout=%" PRId64 "&set_presence=offline&"
	    "filter=%s%s%s", wait_ms, filter, since != NULL ? "&since=" : "",
	    since != NULL ? since : "");
	mx->req = mx_request(mx, "GET", path, NULL, wait_ms +
	    MX_POLL_MARGIN_MS + l->opts->net.connect_timeout_ms,
	    mx_sync_answer);
	free(path);
	free(filter);
	free(since);
}

static void
mx_next(void *data)
{
	struct mx	*mx = data;

	mx->timer = NULL;
	if (mx->token == NULL || mx->step == MX_LOGIN)
		mx_login(mx);
	else if (mx->step == MX_BACKFILL && mx->fill_room != NULL)
		mx_backfill_page(mx);
	else
		mx_sync(mx);
}

/* ------------------------------------------------------------ sending */

/*
 * The PUT's answer. A resend with the same txnId is a retransmission to
 * the server, so anything short of an answer is simply tried again.
 */
static void
mx_send_answer(const struct net_response *r, void *data)
{
	struct mx_send		*ms = data;
	struct mx		*ms_mx = ms->mx;
	struct chan_link	*l = ms->mx->link;
	struct store_outgoing	*o = ms->o;
	json_t			*root;
	const char		*code, *text;
	char			*error;
	int64_t			 wait = r->retry_after_ms;

	LIST_REMOVE(ms, entry);
	free(ms);
	if (r->status == 0) {
		l->host->send_done(l, o, CHAN_SEND_RETRY, NULL, r->error, -1);
		return;
	}
	root = json_loadb(r->body, r->len, JSON_ALLOW_NUL, NULL);
	if (r->class == NET_OK && mx_str(root, "event_id") != NULL) {
		l->host->send_done(l, o, CHAN_SENT, mx_str(root, "event_id"),
		    NULL, -1);
		json_decref(root);
		return;
	}
	code = mx_str(root, "errcode");
	text = mx_str(root, "error");
	wait = mx_retry_ms(ms_mx, root, wait);
	error = xasprintf("HTTP %ld %s%s%s", r->status, code != NULL ? code :
	    "", code != NULL && text != NULL ? ": " : "", text != NULL ? text :
	    "");
	if (r->class == NET_RATE_LIMITED || r->class == NET_RETRY ||
	    r->class == NET_AUTH || r->class == NET_OK)
		l->host->send_done(l, o, CHAN_SEND_RETRY, NULL, error, wait);
	else
		l->host->send_done(l, o, CHAN_SEND_FAILED, NULL, error, -1);
	free(error);
	json_decref(root);
}

static void
mx_send(void *data, struct store_outgoing *o)
{
	struct mx		*mx = data;
	struct mx_send		*ms;
	json_t			*body;
	char			*text, *room, *txn, *path;

	body = json_pack("{s:s, s:s}", "msgtype", "m.text", "body", o->text);
	if (o->reply_to != NULL)
		json_object_set_new(body, "m.relates_to", json_pack(
		    "{s:{s:s}}", "m.in_reply_to", "event_id", o->reply_to));
	text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	/* Derived from the reply itself: every resend, even after a crash,
	 * carries the same txnId. */
	txn = xasprintf(MX_TXN_PREFIX "%s", o->native_id + strlen("out."));
	room = net_escape(o->conv_id);
	path = xasprintf("rooms/%s/send/m.room.message/%s", room, txn);
	ms = xcalloc(1, sizeof *ms);
	ms->mx = mx;
	ms->o = o;
	LIST_INSERT_HEAD(&mx->sends, ms, entry);
	ms->req = mx_request_for(mx, "PUT", path, text, 30000, mx_send_answer,
	    ms);
	/* mx_request answers NULL only for a URL refused: never for this. */
	if (ms->req == NULL) {
		LIST_REMOVE(ms, entry);
		free(ms);
		mx->link->host->send_done(mx->link, o, CHAN_SEND_FAILED, NULL,
		    "the homeserver's URL is refused", -1);
	}
	free(path);
	free(room);
	free(txn);
	free(text);
}

static int
mx_owns(void *data, const char *channel, const char *account)
{
	struct mx	*mx = data;

	(void)channel;	/* bridged rooms carry their network's name */
	return strcmp(account, mx->user) == 0;
}

static void
mx_stop(void *data)
{
	struct mx	*mx = data;
	struct mx_send	*ms;

	if (mx == NULL)
		return;
	while ((ms = LIST_FIRST(&mx->sends)) != NULL) {
		LIST_REMOVE(ms, entry);
		net_cancel(ms->req);
		store_outgoing_free(ms->o);
		free(ms);
	}
	net_cancel(mx->req);
	if (mx->timer != NULL)
		ev_timer_del(mx->timer);
	mx_msgs_free(mx);
	if (mx->token != NULL) {
		explicit_bzero(mx->token, strlen(mx->token));
		free(mx->token);
	}
	if (mx->password != NULL) {
		explicit_bzero(mx->password, strlen(mx->password));
		free(mx->password);
	}
	free(mx->base);
	free(mx->user);
	free(mx->device);
	free(mx->since);
	json_decref(mx->rooms);
	free(mx);
}

static void *
mx_start(struct chan_link *l, char **cause)
{
	struct mx	*mx;
	const char	*base, *user, *device;
	char		*saved, *why = NULL;

	mx = xcalloc(1, sizeof *mx);
	mx->link = l;
	LIST_INIT(&mx->sends);
	base = channel_config_get(l->cc, "api-url");
	if (base == NULL)
		base = channel_config_get(l->cc, "homeserver");
	user = channel_config_get(l->cc, "user");
	if (base == NULL || user == NULL) {
		*cause = xstrdup(_("a matrix channel needs homeserver= and user="));
		mx_stop(mx);
		return NULL;
	}
	mx->base = xstrdup(base);
	while (*mx->base != '\0' && mx->base[strlen(mx->base) - 1] == '/')
		mx->base[strlen(mx->base) - 1] = '\0';
	if (net_url_allowed(mx->base, cause) != 0) {
		mx_stop(mx);
		return NULL;
	}
	mx->user = xstrdup(user);
	device = channel_config_get(l->cc, "device-id");
	mx->device = xstrdup(device != NULL ? device : MX_DEVICE_ID);
	if (channel_config_get(l->cc, "password") != NULL ||
	    channel_config_get(l->cc, "password-command") != NULL) {
		mx->password = l->host->secret(l, "password", cause);
		if (mx->password == NULL) {
			mx_stop(mx);
			return NULL;
		}
	} else if ((mx->token = l->host->secret(l, "token", &why)) == NULL) {
		*cause = xasprintf(_("%s (or password, password-command)"), why);
		free(why);
		mx_stop(mx);
		return NULL;
	}
	mx->since = l->host->cursor_load(l, "since");
	saved = l->host->cursor_load(l, "rooms");
	mx->rooms = saved != NULL ? json_loads(saved, 0, NULL) : NULL;
	if (!json_is_object(mx->rooms)) {
		json_decref(mx->rooms);
		mx->rooms = json_object();
	}
	free(saved);
	mx->step = mx->token == NULL ? MX_LOGIN : MX_SYNC;
	l->host->set_state(l, CHAN_STARTING, 0, NULL);
	mx_schedule(mx, 0);
	return mx;
}

const struct chan_type chan_matrix_type = {
	.name = "matrix",
	.start = mx_start,
	.stop = mx_stop,
	.owns = mx_owns,
	.send = mx_send,
	.idempotent = 1
};
