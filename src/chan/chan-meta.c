/*
 * chan-meta.c: the WhatsApp Cloud API and Messenger Platform adapters
 * (channel-apis.md, 3 and 4), both on Meta's Graph API.
 *
 * Inbound is webhooks only: `ombre webhook` keeps each POST in
 * DATA/webhook/spool before its 200, and the syncer hands the bodies here
 * (meta_webhook): what they carry is parsed (chan-meta-parse.c), the
 * messages delivered, what the platform says of our replies recorded
 * (statuses, deliveries, reads), our own sends coming back (Messenger's
 * echoes) settled, and what cannot be taken quarantined.
 *
 * Outbound: POST /{phone-number-id|page-id}/messages with the bearer
 * token. Neither API has an idempotency key: a send whose request may
 * have left is never made again by itself ("delivery unknown"). A 200 is
 * "accepted"; delivered and read come later as webhooks.
 *
 * Messenger's thread control: an agent's take-over takes the thread
 * (take_thread_control, or the Send API's thread_control where
 * Conversation Routing refuses the older call), a hand-back passes it to
 * the bot app (bot-app-id=).
 *
 * The token goes in an Authorization header, never in a URL, a log line
 * or an error.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "chan/chan.h"
#include "chan/chan-meta.h"

#include <jansson.h>

#include <sys/queue.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define META_API_URL		"https://graph.facebook.com"
#define META_API_VERSION	"v23.0"
#define META_SEND_TIMEOUT_MS	30000
/* A status for a reply whose send is not recorded yet (it came while
 * the send was in flight) is tried again for so long, then let go. */
#define META_PENDING_MS		(60 * 1000)
#define META_PENDING_MAX	1000
#define META_PENDING_TICK_MS	2000

enum meta_platform {
	META_WHATSAPP,
	META_MESSENGER
};

struct meta;

/* A request in flight: a send, a fetch, a thread control or a read. */
struct meta_call {
	LIST_ENTRY(meta_call)	 entry;
	struct meta		*mt;
	struct net_req		*req;
	struct store_outgoing	*o;		/* a send */
	struct chan_fetch	*f;		/* a fetch */
	char			*conv_id;	/* a thread control */
	int			 step;		/* its fallback, from 0 */
	int			 tagged;	/* a send with HUMAN_AGENT */
	int			 take;		/* a take-over, else a hand-back */
};

/* A status kept until its reply's send is recorded. */
struct meta_pending {
	char	*remote_id;
	char	*account;
	char	*conv_id;
	char	*status;
	char	*error;
	int64_t	 date;
	int64_t	 watermark;
	int64_t	 since;		/* util_clock_ms */
};

struct meta {
	struct chan_link	*link;
	enum meta_platform	 platform;
	const char		*type;		/* "whatsapp", "messenger" */
	LIST_HEAD(, meta_call)	 calls;		/* in flight */
	char			*token;
	char			*api;		/* base URL and version */
	char			*account;	/* phone-number-id or page-id */
	char			*app_id;	/* ombre's app (Messenger) */
	char			*bot_app_id;
	int			 human_agent_tag;
	int			 auth_failed;	/* the token was refused */
	struct ev_timer		*auth_timer;	/* to try it again */
	struct meta_pending	*pending;
	size_t			 n_pending;
	struct ev_timer		*timer;
};

static void	meta_pending_tick(void *);

/* ---------------------------------------------------------- requests */

static struct meta_call *
meta_call_new(struct meta *mt)
{
	struct meta_call	*c;

	c = xcalloc(1, sizeof *c);
	c->mt = mt;
	LIST_INSERT_HEAD(&mt->calls, c, entry);
	return c;
}

static void
meta_call_free(struct meta_call *c)
{
	LIST_REMOVE(c, entry);
	free(c->conv_id);
	free(c);
}

/* Start a request of c to PATH (below the version) with a JSON body
 * (NULL: a GET); 0, or -1 with *cause. */
static int
meta_request(struct meta_call *c, const char *path, json_t *body,
    net_done_cb done, char **cause)
{
	struct meta		*mt = c->mt;
	struct net_request	 rq;
	char			*url, *text = NULL;

	url = xasprintf("%s/%s", mt->api, path);
	memset(&rq, 0, sizeof rq);
	rq.url = url;
	rq.bearer = mt->token;
	rq.timeout_ms = META_SEND_TIMEOUT_MS;
	if (body != NULL) {
		text = json_dumps(body, JSON_COMPACT);
		rq.method = "POST";
		rq.body = text;
		rq.body_len = strlen(text);
		rq.content_type = "application/json";
		rq.not_idempotent = 1;
	}
	c->req = net_start(mt->link->net, &rq, done, c, cause);
	free(url);
	free(text);
	return c->req != NULL ? 0 : -1;
}

/* A Graph API error: {"error":{"message","code","error_subcode",
 * "error_data":{"details"}}}. */
struct meta_error {
	long long	 code;		/* 0: none */
	long long	 subcode;
	char		*text;		/* "131047 Re-engagement message: ..." */
};

static void
meta_error_of(const struct net_response *r, json_t *root, struct meta_error *e)
{
	json_t		*err, *data;
	const char	*msg, *details;

	memset(e, 0, sizeof *e);
	err = json_object_get(root, "error");
	if (!json_is_object(err)) {
		if (r->status == 0)
			e->text = xstrdup(r->error != NULL ? r->error :
			    "no answer");
		else
			e->text = xasprintf("HTTP %ld", r->status);
		return;
	}
	if (json_is_integer(json_object_get(err, "code")))
		e->code = json_integer_value(json_object_get(err, "code"));
	if (json_is_integer(json_object_get(err, "error_subcode")))
		e->subcode = json_integer_value(json_object_get(err,
		    "error_subcode"));
	msg = json_string_value(json_object_get(err, "message"));
	data = json_object_get(err, "error_data");
	details = json_string_value(json_object_get(data, "details"));
	if (details == NULL && json_is_string(data))
		details = json_string_value(data);
	if (e->subcode != 0)
		e->text = xasprintf("%lld/%lld %s%s%s", e->code, e->subcode,
		    msg != NULL ? msg : "error", details != NULL ? ": " : "",
		    details != NULL ? details : "");
	else
		e->text = xasprintf("%lld %s%s%s", e->code, msg != NULL ? msg :
		    "error", details != NULL ? ": " : "",
		    details != NULL ? details : "");
}

/* Throttling: WhatsApp's 130429 (throughput), 131056 (pair rate), 80007
 * (account rate); the Graph API's 4, 17, 32, 613 (call rates). */
static int
meta_error_throttled(const struct meta_error *e)
{
	switch (e->code) {
	case 4: case 17: case 32: case 613:
	case 80007: case 130429: case 131056:
		return 1;
	}
	return 0;
}

/* ------------------------------------------------------------ sending */

/* The outbound Message-Id a send carries back in Messenger's echo. */
#define META_ECHO_PREFIX	"ombre:"

static void	meta_send_answer(const struct net_response *, void *);
static void	meta_auth_failed(struct meta *, const char *);

/* WhatsApp: a text, or the channel-approved template it is. */
static json_t *
meta_wa_body(struct meta *mt, const struct store_outgoing *o)
{
	json_t		*body, *tpl, *params, *comp;
	struct template	*t;
	char		*cause, **values = NULL;
	size_t		 n = 0, i;

	(void)mt;
	body = json_pack("{s:s, s:s, s:s}", "messaging_product", "whatsapp",
	    "recipient_type", "individual", "to", o->conv_id);
	if (o->template_name != NULL) {
		/* The approved template's language and, read back from the
		 * text, its parameters in order. */
		t = template_find_approved(o->template_name, &cause);
		if (t == NULL)
			free(cause);
		else
			template_params(t, o->text, &values, &n);
		tpl = json_pack("{s:s, s:{s:s}}", "name", o->template_name,
		    "language", "code", t != NULL && t->language != NULL ?
		    t->language : "en_US");
		if (n > 0) {
			params = json_array();
			for (i = 0; i < n; i++)
				json_array_append_new(params, json_pack(
				    "{s:s, s:s}", "type", "text", "text",
				    values[i]));
			comp = json_pack("[{s:s, s:o}]", "type", "body",
			    "parameters", params);
			json_object_set_new(tpl, "components", comp);
		}
		for (i = 0; i < n; i++)
			free(values[i]);
		free(values);
		template_free(t);
		json_object_set_new(body, "type", json_string("template"));
		json_object_set_new(body, "template", tpl);
	} else {
		json_object_set_new(body, "type", json_string("text"));
		json_object_set_new(body, "text", json_pack("{s:s, s:b}",
		    "body", o->text, "preview_url", 0));
	}
	if (o->reply_to != NULL)
		json_object_set_new(body, "context", json_pack("{s:s}",
		    "message_id", o->reply_to));
	return body;
}

/* Messenger: RESPONSE inside the window; a human's reply past it goes
 * with the HUMAN_AGENT tag when the channel may use it. */
static json_t *
meta_fb_body(struct meta *mt, const struct store_outgoing *o, int tagged)
{
	json_t	*body;
	char	*metadata;

	(void)mt;
	metadata = xasprintf(META_ECHO_PREFIX "%s", o->msgid);
	body = json_pack("{s:{s:s}, s:s, s:{s:s, s:s}}", "recipient", "id",
	    o->conv_id, "messaging_type", tagged ? "MESSAGE_TAG" : "RESPONSE",
	    "message", "text", o->text, "metadata", metadata);
	free(metadata);
	if (tagged)
		json_object_set_new(body, "tag", json_string("HUMAN_AGENT"));
	return body;
}

static void
meta_send_start(struct meta_call *c)
{
	struct meta		*mt = c->mt;
	struct store_outgoing	*o = c->o;
	json_t			*body;
	char			*path, *cause;

	if (mt->platform == META_WHATSAPP)
		body = meta_wa_body(mt, o);
	else
		body = meta_fb_body(mt, o, c->tagged);
	path = xasprintf("%s/messages", mt->account);
	if (meta_request(c, path, body, meta_send_answer, &cause) != 0) {
		c->o = NULL;
		meta_call_free(c);
		mt->link->host->send_done(mt->link, o, CHAN_SEND_FAILED, NULL,
		    cause, -1);
		free(cause);
	}
	free(path);
	json_decref(body);
}

static void
meta_send_answer(const struct net_response *r, void *data)
{
	struct meta_call	*c = data;
	struct meta		*mt = c->mt;
	struct chan_link	*l = mt->link;
	struct store_outgoing	*o = c->o;
	struct meta_error	 e;
	json_t			*root, *id;
	const char		*remote = NULL;
	enum chan_send_result	 result;
	int64_t			 wait = -1;

	c->req = NULL;
	if (r->status == 0) {
		meta_call_free(c);
		l->host->send_done(l, o, r->unsent ? CHAN_SEND_RETRY :
		    CHAN_SEND_UNKNOWN, NULL, r->error, -1);
		return;
	}
	root = json_loadb(r->body, r->len, JSON_ALLOW_NUL, NULL);
	if (r->status == 200) {
		if (mt->platform == META_WHATSAPP)
			id = json_object_get(json_array_get(json_object_get(
			    root, "messages"), 0), "id");
		else
			id = json_object_get(root, "message_id");
		remote = json_string_value(id);
	}
	if (remote != NULL) {
		if (mt->auth_failed) {
			mt->auth_failed = 0;
			l->host->set_state(l, CHAN_CONNECTED, 0, NULL);
		}
		meta_call_free(c);
		l->host->send_done(l, o, CHAN_SENT, remote, NULL, -1);
		json_decref(root);
		return;
	}
	meta_error_of(r, root, &e);
	json_decref(root);
	if (r->status == 200) {
		/* Taken, but no id came back: it may have gone out. */
		result = CHAN_SEND_UNKNOWN;
	} else if (mt->platform == META_MESSENGER && e.code == 10 &&
	    e.subcode == 2018278 && !c->tagged && mt->human_agent_tag &&
	    !o->bot) {
		/* Past the 24-hour window: a human's reply may go with
		 * HUMAN_AGENT (up to 7 days), never a bot's. Nothing was
		 * sent: the same call again, tagged. */
		c->tagged = 1;
		free(e.text);
		meta_send_start(c);
		return;
	} else if (meta_error_throttled(&e)) {
		result = CHAN_SEND_RETRY;
		wait = chan_wait_ms(l, r->retry_after_ms);
	} else if (e.code == 190) {
		/* The token is refused: every send would be. Nothing went
		 * out: kept queued for when the token is fixed. */
		meta_auth_failed(mt, e.text);
		result = CHAN_SEND_RETRY;
		wait = l->opts->retry_cap_ms;
	} else if (r->status >= 500 || (e.code == 2 && r->status != 400))
		result = CHAN_SEND_UNKNOWN;
	else
		result = CHAN_SEND_FAILED;
	if (result == CHAN_SEND_FAILED && mt->platform == META_MESSENGER &&
	    (e.code == 10 && (e.subcode == 2018300 ||
	    e.subcode == 2018108))) {
		/* The thread is another app's (thread control). */
		char	*why = xasprintf("another app owns the thread (%s)",
		    e.text);
		free(e.text);
		e.text = why;
	}
	meta_call_free(c);
	l->host->send_done(l, o, result, NULL, e.text, wait);
	free(e.text);
}

/* Try the token again a while after Meta refused it (the outbox sends
 * only on a connected channel). */
static void
meta_auth_retry(void *data)
{
	struct meta	*mt = data;

	mt->auth_timer = NULL;
	mt->link->host->set_state(mt->link, CHAN_CONNECTED, 0, NULL);
}

/* Meta refused the token (190): the channel shows it; --once gives the
 * channel up, a running syncer tries again after the back-off's cap. */
static void
meta_auth_failed(struct meta *mt, const char *error)
{
	struct chan_link	*l = mt->link;
	int64_t			 ms = l->opts->retry_cap_ms;

	mt->auth_failed = 1;
	l->host->set_state(l, CHAN_AUTH_FAILED, util_now() + ms / 1000, error);
	if (l->opts->once) {
		l->host->finish(l, 0);
		return;
	}
	if (mt->auth_timer != NULL)
		ev_timer_del(mt->auth_timer);
	mt->auth_timer = ev_timer_add(l->loop, ms, meta_auth_retry, mt);
}

static void
meta_send(void *data, struct store_outgoing *o)
{
	struct meta		*mt = data;
	struct meta_call	*c;

	c = meta_call_new(mt);
	c->o = o;
	meta_send_start(c);
}

/* ----------------------------------------------------- thread control */

static void	meta_control_answer(const struct net_response *, void *);

/*
 * The steps of a take-over: take_thread_control (ombre's app must be the
 * primary receiver), else the Send API's thread_control passing it to
 * ombre's app (Conversation Routing). A hand-back: pass_thread_control to
 * the bot app, else the Send API's thread_control.
 */
static int
meta_control_step(struct meta_call *c, const char *event)
{
	struct meta	*mt = c->mt;
	json_t		*body;
	const char	*target;
	char		*path, *cause;
	int		 rc;

	target = strcmp(event, "take-over") == 0 ? mt->app_id :
	    mt->bot_app_id;
	switch (c->step) {
	case 0:
		if (strcmp(event, "take-over") == 0) {
			path = xasprintf("%s/take_thread_control",
			    mt->account);
			body = json_pack("{s:{s:s}, s:s}", "recipient", "id",
			    c->conv_id, "metadata", "taken over in ombre");
		} else {
			path = xasprintf("%s/pass_thread_control",
			    mt->account);
			body = json_pack("{s:{s:s}, s:s, s:s}", "recipient",
			    "id", c->conv_id, "target_app_id", target,
			    "metadata", "handed back in ombre");
		}
		break;
	case 1:
		if (target == NULL)
			return -1;
		path = xasprintf("%s/messages", mt->account);
		body = json_pack("{s:{s:s}, s:{s:s, s:s}}", "recipient", "id",
		    c->conv_id, "thread_control", "app_id", target,
		    "control_type", "pass");
		break;
	default:
		return -1;
	}
	rc = meta_request(c, path, body, meta_control_answer, &cause);
	if (rc != 0) {
		log_warn(_("%s: thread control: %s"), mt->link->name, cause);
		free(cause);
	}
	free(path);
	json_decref(body);
	return rc;
}

static void
meta_control_answer(const struct net_response *r, void *data)
{
	struct meta_call	*c = data;
	struct meta		*mt = c->mt;
	struct meta_error	 e;
	json_t			*root;
	const char		*event;

	c->req = NULL;
	event = c->take ? "take-over" : "hand-back";
	if (r->status == 200) {
		meta_call_free(c);
		return;
	}
	root = json_loadb(r->body, r->len, JSON_ALLOW_NUL, NULL);
	meta_error_of(r, root, &e);
	json_decref(root);
	/* Conversation Routing refuses the older calls: the Send API's. */
	c->step++;
	if (r->status != 0 && meta_control_step(c, event) == 0) {
		free(e.text);
		return;
	}
	log_warn(_("%s: thread control (%s) refused: %s"), mt->link->name,
	    event, e.text);
	free(e.text);
	meta_call_free(c);
}

static void
meta_conv_event(void *data, const char *event, const char *account,
    const char *conv_id)
{
	struct meta		*mt = data;
	struct meta_call	*c;

	if (mt->platform != META_MESSENGER ||
	    strcmp(account, mt->account) != 0)
		return;
	if (strcmp(event, "take-over") != 0 && strcmp(event, "hand-back") != 0)
		return;
	if (strcmp(event, "hand-back") == 0 && mt->bot_app_id == NULL)
		return;		/* no bot app to give it to */
	c = meta_call_new(mt);
	c->conv_id = xstrdup(conv_id);
	c->take = strcmp(event, "take-over") == 0;
	if (meta_control_step(c, event) != 0)
		meta_call_free(c);
}

/* ------------------------------------------------------- mark as read */

static void
meta_read_answer(const struct net_response *r, void *data)
{
	struct meta_call	*c = data;
	struct meta_error	 e;
	json_t			*root;

	c->req = NULL;
	if (r->status != 200) {
		root = json_loadb(r->body, r->len, JSON_ALLOW_NUL, NULL);
		meta_error_of(r, root, &e);
		json_decref(root);
		log_warn(_("%s: mark as read: %s"), c->mt->link->name, e.text);
		free(e.text);
	}
	meta_call_free(c);
}

static void
meta_mark_read(void *data, const char *account, const char *conv_id,
    const char *id)
{
	struct meta		*mt = data;
	struct meta_call	*c;
	json_t			*body;
	char			*path, *cause;

	if (strcmp(account, mt->account) != 0)
		return;
	if (mt->platform == META_WHATSAPP)
		body = json_pack("{s:s, s:s, s:s}", "messaging_product",
		    "whatsapp", "status", "read", "message_id", id);
	else
		body = json_pack("{s:{s:s}, s:s}", "recipient", "id", conv_id,
		    "sender_action", "mark_seen");
	c = meta_call_new(mt);
	path = xasprintf("%s/messages", mt->account);
	if (meta_request(c, path, body, meta_read_answer, &cause) != 0) {
		log_warn(_("%s: mark as read: %s"), mt->link->name, cause);
		free(cause);
		meta_call_free(c);
	}
	free(path);
	json_decref(body);
}

/* ------------------------------------------------------- attachments */

static void
meta_fetch_end(struct meta_call *c, const char *body, size_t len,
    const char *error)
{
	struct chan_fetch	*f = c->f;
	struct meta		*mt = c->mt;

	meta_call_free(c);
	mt->link->host->fetch_done(f, body, len, error);
}

static void
meta_fetch_body(const struct net_response *r, void *data)
{
	struct meta_call	*c = data;
	char			*error;

	c->req = NULL;
	if (r->class != NET_OK) {
		error = r->error != NULL ? xasprintf("the download failed: %s",
		    r->error) : xasprintf("the download failed: HTTP %ld",
		    r->status);
		meta_fetch_end(c, NULL, 0, error);
		free(error);
		return;
	}
	meta_fetch_end(c, r->body, r->len, NULL);
}

/* GET /{media-id}: a URL valid for 5 minutes, fetched at once with the
 * same token. */
static void
meta_fetch_url(const struct net_response *r, void *data)
{
	struct meta_call	*c = data;
	struct meta		*mt = c->mt;
	struct net_request	 rq;
	struct meta_error	 e;
	json_t			*root;
	const char		*url;
	char			*cause;

	c->req = NULL;
	root = json_loadb(r->body, r->len, JSON_ALLOW_NUL, NULL);
	url = json_string_value(json_object_get(root, "url"));
	if (r->status != 200 || url == NULL) {
		meta_error_of(r, root, &e);
		cause = xasprintf(_("the media's URL: %s"), e.text);
		meta_fetch_end(c, NULL, 0, cause);
		free(cause);
		free(e.text);
		json_decref(root);
		return;
	}
	memset(&rq, 0, sizeof rq);
	rq.url = url;
	rq.bearer = mt->token;
	rq.timeout_ms = 120000;
	c->req = net_start(mt->link->net, &rq, meta_fetch_body, c, &cause);
	json_decref(root);
	if (c->req == NULL) {
		meta_fetch_end(c, NULL, 0, cause);
		free(cause);
	}
}

static void
meta_fetch(void *data, const char *url, struct chan_fetch *f)
{
	struct meta		*mt = data;
	struct meta_call	*c;
	char			*id, *cause;

	c = meta_call_new(mt);
	c->f = f;
	if (mt->platform != META_WHATSAPP) {
		/* Messenger's attachments are plain URLs: no token. */
		struct net_request	rq;

		memset(&rq, 0, sizeof rq);
		rq.url = url;
		rq.timeout_ms = 120000;
		if ((c->req = net_start(mt->link->net, &rq, meta_fetch_body,
		    c, &cause)) == NULL) {
			meta_fetch_end(c, NULL, 0, cause);
			free(cause);
		}
		return;
	}
	if (strncmp(url, "wa-media:", 9) != 0 || url[9] == '\0') {
		meta_fetch_end(c, NULL, 0, "not a WhatsApp media id");
		return;
	}
	id = net_escape(url + 9);
	if (meta_request(c, id, NULL, meta_fetch_url, &cause) != 0) {
		meta_fetch_end(c, NULL, 0, cause);
		free(cause);
	}
	free(id);
}

/* ----------------------------------------------------------- webhooks */

static void
meta_pending_free(struct meta_pending *p)
{
	free(p->remote_id);
	free(p->account);
	free(p->conv_id);
	free(p->status);
	free(p->error);
}

/* Is a send in flight? */
static int
meta_sending(struct meta *mt)
{
	struct meta_call	*c;

	LIST_FOREACH(c, &mt->calls, entry)
		if (c->o != NULL)
			return 1;
	return 0;
}

/* Keep a status whose reply is not known yet. */
static void
meta_pending_add(struct meta *mt, const struct chan_delivery *d)
{
	struct meta_pending	*p;

	if (mt->n_pending >= META_PENDING_MAX) {
		meta_pending_free(&mt->pending[0]);
		memmove(mt->pending, mt->pending + 1, (mt->n_pending - 1) *
		    sizeof *mt->pending);
		mt->n_pending--;
	}
	mt->pending = xreallocarray(mt->pending, mt->n_pending + 1,
	    sizeof *mt->pending);
	p = &mt->pending[mt->n_pending++];
	p->remote_id = d->remote_id != NULL ? xstrdup(d->remote_id) : NULL;
	p->account = xstrdup(d->account != NULL ? d->account : mt->account);
	p->conv_id = d->conv_id != NULL ? xstrdup(d->conv_id) : NULL;
	p->status = xstrdup(d->status);
	p->error = d->error != NULL ? xstrdup(d->error) : NULL;
	p->date = d->date;
	p->watermark = d->watermark;
	p->since = util_clock_ms();
	if (mt->timer == NULL)
		mt->timer = ev_timer_add(mt->link->loop, META_PENDING_TICK_MS,
		    meta_pending_tick, mt);
}

/* Try the kept statuses again; those found, or kept past
 * META_PENDING_MS (not ours: sent by another tool), go. */
static void
meta_pending_retry(struct meta *mt)
{
	struct chan_delivery	*d;
	struct meta_pending	*p = mt->pending;
	size_t			 n = mt->n_pending, i, kept = 0;
	int64_t			 now = util_clock_ms();

	if (n == 0)
		return;
	d = xcalloc(n, sizeof *d);
	for (i = 0; i < n; i++) {
		d[i].remote_id = p[i].remote_id;
		d[i].account = p[i].account;
		d[i].conv_id = p[i].conv_id;
		d[i].status = p[i].status;
		d[i].error = p[i].error;
		d[i].date = p[i].date;
		d[i].watermark = p[i].watermark;
	}
	if (mt->link->host->delivery_status(mt->link, d, n) != CHAN_OK) {
		free(d);
		return;		/* kept as they are */
	}
	for (i = 0; i < n; i++) {
		if (!d[i].found && now - p[i].since < META_PENDING_MS) {
			p[kept++] = p[i];
			continue;
		}
		if (!d[i].found)
			log_debug("%s: a %s status for %s: no reply of ours",
			    mt->link->name, p[i].status, p[i].remote_id !=
			    NULL ? p[i].remote_id : "a conversation");
		meta_pending_free(&p[i]);
	}
	mt->n_pending = kept;
	free(d);
}

static void
meta_pending_tick(void *data)
{
	struct meta	*mt = data;

	mt->timer = NULL;
	meta_pending_retry(mt);
	if (mt->n_pending > 0 && mt->timer == NULL)
		mt->timer = ev_timer_add(mt->link->loop, META_PENDING_TICK_MS,
		    meta_pending_tick, mt);
}

/* One body parsed into out (appended); what cannot be taken quarantined.
 * CHAN_OK, or the quarantine's failure. */
static enum chan_status
meta_parse(struct meta *mt, const struct chan_payload *p,
    struct meta_payload *out)
{
	struct chan_link	*l = mt->link;
	struct meta_config	 mc;
	json_t			*root;
	json_error_t		 jerr;
	char			*why = NULL;
	int			 rc;
	size_t			 i;
	enum chan_status	 qs = CHAN_OK;

	memset(&mc, 0, sizeof mc);
	mc.account = mt->account;
	mc.app_id = mt->app_id;
	mc.bot_app_id = mt->bot_app_id;
	if ((root = json_loadb(p->body, p->len, JSON_ALLOW_NUL,
	    &jerr)) == NULL) {
		why = xasprintf("%s: not JSON the parser takes: %s", p->name,
		    jerr.text);
		qs = l->host->quarantine(l, "payload", p->body, p->len, why);
		free(why);
		return qs;
	}
	if (mt->platform == META_WHATSAPP)
		rc = wa_payload(&mc, root, out, &why);
	else
		rc = fb_payload(&mc, root, out, &why);
	json_decref(root);
	if (rc != 0) {
		char	*reason = xasprintf("%s: %s", p->name, why);

		qs = l->host->quarantine(l, "payload", p->body, p->len,
		    reason);
		free(reason);
		free(why);
		return qs;
	}
	for (i = 0; i < out->n_refused && qs == CHAN_OK; i++)
		qs = l->host->quarantine(l, out->refused[i].what,
		    out->refused[i].raw, strlen(out->refused[i].raw),
		    out->refused[i].why);
	return qs;
}

static enum chan_status
meta_webhook(void *data, const struct chan_payload *p, size_t n)
{
	struct meta		*mt = data;
	struct chan_link	*l = mt->link;
	struct meta_payload	*parsed;
	struct msg		**msgs = NULL;
	struct chan_delivery	*d = NULL;
	struct meta_status	*ms;
	size_t			 i, j, n_msgs = 0, n_d = 0, delivered;
	enum chan_status	 rc = CHAN_OK;
	char			*cause;

	parsed = xcalloc(n, sizeof *parsed);
	for (i = 0; i < n && rc == CHAN_OK; i++)
		rc = meta_parse(mt, &p[i], &parsed[i]);
	if (rc != CHAN_OK)
		goto out;
	for (i = 0; i < n; i++) {
		msgs = xreallocarray(msgs, n_msgs + parsed[i].n_msgs + 1,
		    sizeof *msgs);
		for (j = 0; j < parsed[i].n_msgs; j++)
			msgs[n_msgs++] = parsed[i].msgs[j];
		d = xreallocarray(d, n_d + parsed[i].n_statuses + 1,
		    sizeof *d);
		for (j = 0; j < parsed[i].n_statuses; j++) {
			ms = &parsed[i].statuses[j];
			memset(&d[n_d], 0, sizeof d[n_d]);
			d[n_d].remote_id = ms->remote_id;
			d[n_d].account = ms->account;
			d[n_d].conv_id = ms->conv_id;
			d[n_d].status = ms->status;
			d[n_d].error = ms->error;
			d[n_d].date = ms->date;
			d[n_d].watermark = ms->watermark;
			n_d++;
		}
	}
	/* The messages first, durable; then what the platform said of our
	 * replies. A failure of either leaves the files for next time. */
	if ((rc = l->host->deliver(l, msgs, n_msgs, &delivered,
	    &cause)) != CHAN_OK) {
		free(cause);
		goto out;
	}
	for (i = 0; i < n; i++)
		for (j = 0; j < parsed[i].n_echoes; j++)
			l->host->outbox_echo(l, parsed[i].echoes[j].outbound,
			    parsed[i].echoes[j].remote_id);
	/* Kept statuses first: a reply's send may be recorded now. */
	meta_pending_retry(mt);
	if (n_d > 0 && (rc = l->host->delivery_status(l, d, n_d)) != CHAN_OK)
		goto out;
	/* A status can pass our own send's answer only while that send is
	 * in flight: kept for a while then, else it is not ours (another
	 * tool on the same number). A watermark covers the past: the next
	 * one will do. */
	for (i = 0; i < n_d; i++) {
		if (!d[i].found && d[i].remote_id != NULL &&
		    strcmp(d[i].status, "sent") != 0 && meta_sending(mt))
			meta_pending_add(mt, &d[i]);
	}
	if (!mt->auth_failed)
		l->host->set_state(l, CHAN_CONNECTED, 0, NULL);
out:
	for (i = 0; i < n; i++)
		meta_payload_free(&parsed[i]);
	free(parsed);
	free(msgs);
	free(d);
	return rc;
}

/* -------------------------------------------------------- the adapter */

static int
meta_owns(void *data, const char *channel, const char *account)
{
	struct meta	*mt = data;

	return strcmp(channel, mt->type) == 0 &&
	    strcmp(account, mt->account) == 0;
}

static void
meta_stop(void *data)
{
	struct meta		*mt = data;
	struct meta_call	*c;
	size_t			 i;

	if (mt == NULL)
		return;
	while ((c = LIST_FIRST(&mt->calls)) != NULL) {
		net_cancel(c->req);
		/* A send cut off stays "sending", read as unknown next
		 * time; a fetch's request stays on disk. */
		if (c->o != NULL)
			store_outgoing_free(c->o);
		meta_call_free(c);
	}
	if (mt->timer != NULL)
		ev_timer_del(mt->timer);
	if (mt->auth_timer != NULL)
		ev_timer_del(mt->auth_timer);
	for (i = 0; i < mt->n_pending; i++)
		meta_pending_free(&mt->pending[i]);
	free(mt->pending);
	if (mt->token != NULL) {
		explicit_bzero(mt->token, strlen(mt->token));
		free(mt->token);
	}
	free(mt->api);
	free(mt->account);
	free(mt->app_id);
	free(mt->bot_app_id);
	free(mt);
}

/* An id of the config: Meta's are digits; letters, '-', '_' and '.' are
 * taken too (never '/', '%', '?' or '#': it goes into URL paths). */
static int
meta_id_ok(const char *s)
{
	return s != NULL && *s != '\0' && *s != '.' && strlen(s) <= 64 &&
	    strspn(s, "0123456789abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ-_.") == strlen(s);
}

static void *
meta_start(struct chan_link *l, enum meta_platform platform, char **cause)
{
	struct meta	*mt;
	const char	*account_key, *api, *v;
	char		*why;

	mt = xcalloc(1, sizeof *mt);
	LIST_INIT(&mt->calls);
	mt->link = l;
	mt->platform = platform;
	mt->type = platform == META_WHATSAPP ? "whatsapp" : "messenger";
	account_key = platform == META_WHATSAPP ? "phone-number-id" :
	    "page-id";
	v = channel_config_get(l->cc, account_key);
	if (!meta_id_ok(v)) {
		*cause = xasprintf(_("%s= is missing or not an id"),
		    account_key);
		meta_stop(mt);
		return NULL;
	}
	mt->account = xstrdup(v);
	if ((v = channel_config_get(l->cc, "app-id")) != NULL) {
		if (!meta_id_ok(v)) {
			*cause = xstrdup(_("app-id= is not an id"));
			meta_stop(mt);
			return NULL;
		}
		mt->app_id = xstrdup(v);
	}
	if ((v = channel_config_get(l->cc, "bot-app-id")) != NULL) {
		if (!meta_id_ok(v)) {
			*cause = xstrdup(_("bot-app-id= is not an id"));
			meta_stop(mt);
			return NULL;
		}
		mt->bot_app_id = xstrdup(v);
	}
	v = channel_config_get(l->cc, "human-agent-tag");
	mt->human_agent_tag = v != NULL && (strcmp(v, "yes") == 0 ||
	    strcmp(v, "on") == 0);
	api = channel_config_get(l->cc, "api-url");
	if (api == NULL)
		api = META_API_URL;
	if (net_url_allowed(api, &why) != 0) {
		*cause = xasprintf(_("api-url=: %s"), why);
		free(why);
		meta_stop(mt);
		return NULL;
	}
	mt->api = xasprintf("%.*s/%s", (int)(strlen(api) -
	    (api[strlen(api) - 1] == '/')), api, META_API_VERSION);
	if ((mt->token = l->host->secret(l, "token", cause)) == NULL) {
		meta_stop(mt);
		return NULL;
	}
	/* Nothing to poll: webhooks come through the spool. */
	l->host->set_state(l, CHAN_CONNECTED, 0, NULL);
	if (l->opts->once)
		l->host->finish(l, 1);
	return mt;
}

static void *
meta_wa_start(struct chan_link *l, char **cause)
{
	return meta_start(l, META_WHATSAPP, cause);
}

static void *
meta_fb_start(struct chan_link *l, char **cause)
{
	return meta_start(l, META_MESSENGER, cause);
}

const struct chan_type chan_whatsapp_type = {
	.name = "whatsapp",
	.start = meta_wa_start,
	.stop = meta_stop,
	.owns = meta_owns,
	.send = meta_send,
	.fetch = meta_fetch,
	.webhook = meta_webhook,
	.mark_read = meta_mark_read
};

const struct chan_type chan_messenger_type = {
	.name = "messenger",
	.start = meta_fb_start,
	.stop = meta_stop,
	.owns = meta_owns,
	.send = meta_send,
	.fetch = meta_fetch,
	.webhook = meta_webhook,
	.conv_event = meta_conv_event,
	.mark_read = meta_mark_read
};
