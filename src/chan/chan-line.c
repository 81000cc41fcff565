/*
 * chan-line.c: the LINE Messaging API adapter (channel-apis.md, 5).
 *
 * Inbound is webhooks only: `ombre webhook` checks X-Line-Signature and
 * keeps each POST in DATA/webhook/spool before its 200; the syncer hands
 * the bodies here (line_webhook): parsed (chan-line-parse.c), the
 * messages delivered, then what lets us answer kept as cursors of the
 * channel (DATA/sync/NAME.KEY): "reply.CONV" the newest active event's
 * reply token and its time in ms ("MS TOKEN"; "MS" alone once used: an
 * older or redelivered event never brings a token back), "read.CONV" its
 * markAsReadToken. Standby events leave none: they are never answered.
 *
 * Outbound: the reply token while it is fresh (LINE_REPLY_MS after the
 * event; single use, so it is cleared before the request leaves), else
 * push with X-Line-Retry-Key set to the reply's uuid: a push cut off is
 * sent again with the same key, and LINE's 409 for a key it has seen
 * means it went out (sent). A reply cut off is "delivery unknown" (a
 * reply token has no key). A monthly quota error fails the reply with
 * LINE's reason; other 429s are throttling.
 *
 * Content (line-content:ID) comes from the data API on demand; an agent
 * opening a conversation marks it read with its markAsReadToken.
 *
 * The token goes in an Authorization header, never in a URL, a log line
 * or an error.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "chan/chan.h"
#include "chan/chan-line.h"

#include <jansson.h>

#include <sys/queue.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_API_URL		"https://api.line.me"
#define LINE_DATA_API_URL	"https://api-data.line.me"
#define LINE_SEND_TIMEOUT_MS	30000
/* A reply token is good for about a minute: used up to 50 s after its
 * event, so that the request gets there in time. */
#define LINE_REPLY_MS		50000

struct line;

/* A request in flight: a send, a fetch or a read. */
struct line_call {
	LIST_ENTRY(line_call)	 entry;
	struct line		*ln;
	struct net_req		*req;
	struct store_outgoing	*o;		/* a send */
	struct chan_fetch	*f;		/* a fetch */
	int			 push;		/* a send by push */
};

struct line {
	struct chan_link	*link;
	LIST_HEAD(, line_call)	 calls;
	char			*token;
	char			*api;
	char			*data_api;
	char			*account;	/* the bot's user id (the
						   destination), once known */
	int			 account_saved;
};

static struct line_call *
line_call_new(struct line *ln)
{
	struct line_call	*c;

	c = xcalloc(1, sizeof *c);
	c->ln = ln;
	LIST_INSERT_HEAD(&ln->calls, c, entry);
	return c;
}

static void
line_call_free(struct line_call *c)
{
	LIST_REMOVE(c, entry);
	free(c);
}

/* An id fit for a cursor's file name and a URL's path. */
static int
line_id_ok(const char *s)
{
	return s != NULL && *s != '\0' && strlen(s) <= 128 &&
	    strspn(s, "0123456789abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ-_") == strlen(s);
}

/* Start a request of c: POST base/path with a JSON body, or a GET;
 * header one more line or NULL. 0, or -1 with *cause. */
static int
line_request(struct line_call *c, const char *base, const char *path,
    json_t *body, const char *header, net_done_cb done, char **cause)
{
	struct line		*ln = c->ln;
	struct net_request	 rq;
	char			*url, *text = NULL;

	url = xasprintf("%s%s", base, path);
	memset(&rq, 0, sizeof rq);
	rq.url = url;
	rq.bearer = ln->token;
	rq.header = header;
	rq.timeout_ms = LINE_SEND_TIMEOUT_MS;
	if (body != NULL) {
		text = json_dumps(body, JSON_COMPACT);
		rq.method = "POST";
		rq.body = text;
		rq.body_len = strlen(text);
		rq.content_type = "application/json";
		rq.not_idempotent = 1;
	} else
		rq.timeout_ms = 120000;
	c->req = net_start(ln->link->net, &rq, done, c, cause);
	free(url);
	free(text);
	return c->req != NULL ? 0 : -1;
}

/* LINE's error: {"message","details":[{"message","property"}]}, as
 * "message: detail" (allocated). */
static char *
line_error_of(const struct net_response *r, json_t *root)
{
	const char	*msg, *detail;

	msg = json_string_value(json_object_get(root, "message"));
	detail = json_string_value(json_object_get(json_array_get(
	    json_object_get(root, "details"), 0), "message"));
	if (msg == NULL) {
		if (r->status == 0)
			return xstrdup(r->error != NULL ? r->error :
			    "no answer");
		return xasprintf("HTTP %ld", r->status);
	}
	return xasprintf("%ld %s%s%s", r->status, msg, detail != NULL ?
	    ": " : "", detail != NULL ? detail : "");
}

/* ------------------------------------------------------------ sending */

static void	line_send_answer(const struct net_response *, void *);

/* The reply token kept for conv when still fresh (allocated), cleared
 * at once: it is single use. NULL when none. */
static char *
line_reply_token(struct line *ln, const char *conv_id)
{
	struct chan_link	*l = ln->link;
	char			*key, *v, *sp, *token = NULL;
	long long		 ms;

	if (!line_id_ok(conv_id))
		return NULL;
	key = xasprintf("reply.%s", conv_id);
	v = l->host->cursor_load(l, key);
	if (v != NULL && (sp = strchr(v, ' ')) != NULL && sp[1] != '\0') {
		ms = strtoll(v, NULL, 10);
		if (util_now() * 1000 - ms < LINE_REPLY_MS)
			token = xstrdup(sp + 1);
	}
	/* Used: its time stays, so that its event redelivered does not
	 * bring it back. */
	if (v != NULL && (sp = strchr(v, ' ')) != NULL) {
		*sp = '\0';
		if (l->host->cursor_save(l, key, v) == CHAN_OK)
			sp = NULL;
	} else
		sp = NULL;
	if (sp != NULL) {
		/* Could not be cleared: never used twice, so not now. */
		free(token);
		token = NULL;
	}
	free(v);
	free(key);
	return token;
}

static void
line_send_start(struct line_call *c)
{
	struct line		*ln = c->ln;
	struct store_outgoing	*o = c->o;
	json_t			*body, *messages;
	const char		*uuid;
	char			*token = NULL, *header = NULL, *cause;
	int			 rc;

	messages = json_pack("[{s:s, s:s}]", "type", "text", "text", o->text);
	if (!c->push)
		token = line_reply_token(ln, o->conv_id);
	if (token != NULL) {
		body = json_pack("{s:s, s:o}", "replyToken", token,
		    "messages", messages);
		rc = line_request(c, ln->api, "/v2/bot/message/reply", body,
		    NULL, line_send_answer, &cause);
		free(token);
	} else {
		c->push = 1;
		uuid = strncmp(o->native_id, "out.", 4) == 0 ?
		    o->native_id + 4 : o->native_id;
		header = xasprintf("X-Line-Retry-Key: %s", uuid);
		body = json_pack("{s:s, s:o}", "to", o->conv_id,
		    "messages", messages);
		rc = line_request(c, ln->api, "/v2/bot/message/push", body,
		    header, line_send_answer, &cause);
		free(header);
	}
	json_decref(body);
	if (rc != 0) {
		line_call_free(c);
		ln->link->host->send_done(ln->link, o, CHAN_SEND_FAILED, NULL,
		    cause, -1);
		free(cause);
	}
}

/* The id LINE gave the first message sent ({"sentMessages":[{"id"}]}),
 * else ours. */
static const char *
line_sent_id(json_t *root, const struct store_outgoing *o)
{
	const char	*id;

	id = json_string_value(json_object_get(json_array_get(
	    json_object_get(root, "sentMessages"), 0), "id"));
	return id != NULL ? id : o->native_id;
}

static void
line_send_answer(const struct net_response *r, void *data)
{
	struct line_call	*c = data;
	struct line		*ln = c->ln;
	struct chan_link	*l = ln->link;
	struct store_outgoing	*o = c->o;
	enum chan_send_result	 result;
	json_t			*root;
	const char		*msg;
	char			*error;
	int64_t			 wait = -1;

	c->req = NULL;
	if (r->status == 0) {
		/* Cut off: a push goes again with the same retry key (LINE
		 * answers 409 if it went); a reply may have gone. */
		result = r->unsent || c->push ? CHAN_SEND_RETRY :
		    CHAN_SEND_UNKNOWN;
		line_call_free(c);
		l->host->send_done(l, o, result, NULL, r->error, -1);
		return;
	}
	root = json_loadb(r->body, r->len, JSON_ALLOW_NUL, NULL);
	if (r->status == 200 || (c->push && r->status == 409)) {
		/* 409 on a push: the retry key was seen, it went out. */
		line_call_free(c);
		l->host->send_done(l, o, CHAN_SENT, line_sent_id(root, o),
		    NULL, -1);
		json_decref(root);
		return;
	}
	if (!c->push && r->status == 400) {
		/* The reply token was refused (expired, used): nothing was
		 * sent; push instead. */
		json_decref(root);
		c->push = 1;
		line_send_start(c);
		return;
	}
	error = line_error_of(r, root);
	msg = json_string_value(json_object_get(root, "message"));
	if (r->status == 429 && msg != NULL &&
	    strstr(msg, "monthly limit") != NULL)
		result = CHAN_SEND_FAILED;
	else if (r->status == 429) {
		result = CHAN_SEND_RETRY;
		wait = chan_wait_ms(l, r->retry_after_ms);
	} else if (r->status >= 500)
		result = c->push ? CHAN_SEND_RETRY : CHAN_SEND_UNKNOWN;
	else if (r->status == 401) {
		/* The token is refused: nothing went out. */
		l->host->set_state(l, CHAN_AUTH_FAILED, 0, error);
		result = CHAN_SEND_FAILED;
	} else
		result = CHAN_SEND_FAILED;
	json_decref(root);
	line_call_free(c);
	l->host->send_done(l, o, result, NULL, error, wait);
	free(error);
}

static void
line_send(void *data, struct store_outgoing *o)
{
	struct line		*ln = data;
	struct line_call	*c;

	c = line_call_new(ln);
	c->o = o;
	line_send_start(c);
}

/* ------------------------------------------------------------- reads */

static void
line_read_answer(const struct net_response *r, void *data)
{
	struct line_call	*c = data;
	struct line		*ln = c->ln;
	json_t			*root;
	char			*error;

	c->req = NULL;
	if (r->class != NET_OK) {
		root = json_loadb(r->body, r->len, JSON_ALLOW_NUL, NULL);
		error = line_error_of(r, root);
		log_warn(_("%s: mark as read: %s"), ln->link->name, error);
		free(error);
		json_decref(root);
	}
	line_call_free(c);
}

/* POST /v2/bot/chat/markAsRead with the conversation's newest
 * markAsReadToken, then forgotten (one use is enough). */
static void
line_mark_read(void *data, const char *account, const char *conv_id,
    const char *id)
{
	struct line		*ln = data;
	struct chan_link	*l = ln->link;
	struct line_call	*c;
	json_t			*body;
	char			*key, *token, *cause;

	(void)id;
	if (ln->account != NULL && strcmp(account, ln->account) != 0)
		return;
	if (!line_id_ok(conv_id))
		return;
	key = xasprintf("read.%s", conv_id);
	token = l->host->cursor_load(l, key);
	if (token == NULL || *token == '\0') {
		free(token);
		free(key);
		return;
	}
	(void)l->host->cursor_save(l, key, "");
	body = json_pack("{s:s}", "markAsReadToken", token);
	c = line_call_new(ln);
	if (line_request(c, ln->api, "/v2/bot/chat/markAsRead", body, NULL,
	    line_read_answer, &cause) != 0) {
		log_warn(_("%s: mark as read: %s"), l->name, cause);
		free(cause);
		line_call_free(c);
	}
	json_decref(body);
	free(token);
	free(key);
}

/* ------------------------------------------------------- attachments */

static void
line_fetch_body(const struct net_response *r, void *data)
{
	struct line_call	*c = data;
	struct chan_fetch	*f = c->f;
	struct line		*ln = c->ln;
	char			*error;

	c->req = NULL;
	line_call_free(c);
	if (r->class != NET_OK) {
		error = r->error != NULL ? xasprintf("the download failed: %s",
		    r->error) : xasprintf("the download failed: HTTP %ld",
		    r->status);
		ln->link->host->fetch_done(f, NULL, 0, error);
		free(error);
		return;
	}
	ln->link->host->fetch_done(f, r->body, r->len, NULL);
}

/* line-content:ID from the data API with the token; an external
 * provider's URL as it is, without. */
static void
line_fetch(void *data, const char *url, struct chan_fetch *f)
{
	struct line		*ln = data;
	struct line_call	*c;
	struct net_request	 rq;
	char			*path, *cause;
	int			 rc;

	c = line_call_new(ln);
	c->f = f;
	if (strncmp(url, "line-content:", 13) == 0) {
		if (!line_id_ok(url + 13)) {
			line_call_free(c);
			ln->link->host->fetch_done(f, NULL, 0,
			    "not a LINE message id");
			return;
		}
		path = xasprintf("/v2/bot/message/%s/content", url + 13);
		rc = line_request(c, ln->data_api, path, NULL, NULL,
		    line_fetch_body, &cause);
		free(path);
	} else {
		memset(&rq, 0, sizeof rq);
		rq.url = url;
		rq.timeout_ms = 120000;
		c->req = net_start(ln->link->net, &rq, line_fetch_body, c,
		    &cause);
		rc = c->req != NULL ? 0 : -1;
	}
	if (rc != 0) {
		line_call_free(c);
		ln->link->host->fetch_done(f, NULL, 0, cause);
		free(cause);
	}
}

/* ----------------------------------------------------------- webhooks */

/* One spooled body parsed; refusals quarantined. */
static enum chan_status
line_parse(struct line *ln, const struct chan_payload *p,
    struct line_payload *out)
{
	struct chan_link	*l = ln->link;
	json_t			*root;
	json_error_t		 jerr;
	char			*why = NULL, *reason;
	size_t			 i;
	enum chan_status	 qs = CHAN_OK;

	memset(out, 0, sizeof *out);
	if ((root = json_loadb(p->body, p->len, JSON_ALLOW_NUL,
	    &jerr)) == NULL) {
		reason = xasprintf("%s: not JSON the parser takes: %s",
		    p->name, jerr.text);
		qs = l->host->quarantine(l, "payload", p->body, p->len,
		    reason);
		free(reason);
		return qs;
	}
	if (line_payload(NULL, root, out, &why) != 0) {
		reason = xasprintf("%s: %s", p->name, why);
		qs = l->host->quarantine(l, "payload", p->body, p->len,
		    reason);
		free(reason);
		free(why);
		json_decref(root);
		return qs;
	}
	if (ln->account == NULL && json_is_string(json_object_get(root,
	    "destination")))
		ln->account = xstrdup(json_string_value(json_object_get(root,
		    "destination")));
	json_decref(root);
	for (i = 0; i < out->n_refused && qs == CHAN_OK; i++)
		qs = l->host->quarantine(l, "event", out->refused[i].raw,
		    strlen(out->refused[i].raw), out->refused[i].why);
	return qs;
}

/* Keep what lets us answer, after the messages are stored. */
static enum chan_status
line_keep_tokens(struct line *ln, const struct line_payload *p)
{
	struct chan_link	*l = ln->link;
	const struct line_token	*t;
	enum chan_status	 rc = CHAN_OK;
	char			*key, *value;
	size_t			 i;

	for (i = 0; i < p->n_tokens && rc == CHAN_OK; i++) {
		t = &p->tokens[i];
		if (!line_id_ok(t->conv_id))
			continue;
		if (t->reply_token != NULL) {
			/* A redelivered older event never replaces a newer
			 * token. */
			key = xasprintf("reply.%s", t->conv_id);
			value = l->host->cursor_load(l, key);
			if (value == NULL || strtoll(value, NULL, 10) < t->ms) {
				free(value);
				value = xasprintf("%" PRId64 " %s", t->ms,
				    t->reply_token);
				rc = l->host->cursor_save(l, key, value);
			}
			free(value);
			free(key);
		}
		if (rc == CHAN_OK && t->read_token != NULL) {
			key = xasprintf("read.%s", t->conv_id);
			rc = l->host->cursor_save(l, key, t->read_token);
			free(key);
		}
	}
	return rc;
}

static enum chan_status
line_webhook(void *data, const struct chan_payload *p, size_t n)
{
	struct line		*ln = data;
	struct chan_link	*l = ln->link;
	struct line_payload	*parsed;
	struct msg		**msgs = NULL;
	size_t			 i, j, n_msgs = 0, delivered;
	enum chan_status	 rc = CHAN_OK;
	char			*cause;

	parsed = xcalloc(n, sizeof *parsed);
	for (i = 0; i < n && rc == CHAN_OK; i++)
		rc = line_parse(ln, &p[i], &parsed[i]);
	if (rc != CHAN_OK)
		goto out;
	for (i = 0; i < n; i++) {
		msgs = xreallocarray(msgs, n_msgs + parsed[i].n_msgs + 1,
		    sizeof *msgs);
		for (j = 0; j < parsed[i].n_msgs; j++)
			msgs[n_msgs++] = parsed[i].msgs[j];
	}
	if ((rc = l->host->deliver(l, msgs, n_msgs, &delivered,
	    &cause)) != CHAN_OK) {
		free(cause);
		goto out;
	}
	for (i = 0; i < n && rc == CHAN_OK; i++)
		rc = line_keep_tokens(ln, &parsed[i]);
	if (rc == CHAN_OK && ln->account != NULL && !ln->account_saved &&
	    (rc = l->host->cursor_save(l, "destination", ln->account)) ==
	    CHAN_OK)
		ln->account_saved = 1;
	if (rc == CHAN_OK)
		l->host->set_state(l, CHAN_CONNECTED, 0, NULL);
out:
	for (i = 0; i < n; i++)
		line_payload_free(&parsed[i]);
	free(parsed);
	free(msgs);
	return rc;
}

/* -------------------------------------------------------- the adapter */

static int
line_owns(void *data, const char *channel, const char *account)
{
	struct line	*ln = data;

	return strcmp(channel, "line") == 0 && (ln->account == NULL ||
	    strcmp(account, ln->account) == 0);
}

static void
line_stop(void *data)
{
	struct line		*ln = data;
	struct line_call	*c;

	if (ln == NULL)
		return;
	while ((c = LIST_FIRST(&ln->calls)) != NULL) {
		net_cancel(c->req);
		if (c->o != NULL)
			store_outgoing_free(c->o);
		line_call_free(c);
	}
	if (ln->token != NULL) {
		explicit_bzero(ln->token, strlen(ln->token));
		free(ln->token);
	}
	free(ln->api);
	free(ln->data_api);
	free(ln->account);
	free(ln);
}

/* A base URL of the config (key=, else def) without its last '/'. */
static char *
line_base(struct chan_link *l, const char *key, const char *def,
    char **cause)
{
	const char	*v;
	char		*why;
	size_t		 len;

	if ((v = channel_config_get(l->cc, key)) == NULL)
		v = def;
	if (net_url_allowed(v, &why) != 0) {
		*cause = xasprintf("%s=: %s", key, why);
		free(why);
		return NULL;
	}
	len = strlen(v);
	while (len > 0 && v[len - 1] == '/')
		len--;
	return xasprintf("%.*s", (int)len, v);
}

static void *
line_start(struct chan_link *l, char **cause)
{
	struct line	*ln;
	char		*v;

	ln = xcalloc(1, sizeof *ln);
	LIST_INIT(&ln->calls);
	ln->link = l;
	if ((ln->api = line_base(l, "api-url", LINE_API_URL, cause)) ==
	    NULL || (ln->data_api = line_base(l, "data-api-url",
	    LINE_DATA_API_URL, cause)) == NULL) {
		line_stop(ln);
		return NULL;
	}
	if ((ln->token = l->host->secret(l, "token", cause)) == NULL) {
		line_stop(ln);
		return NULL;
	}
	/* The bot's user id: account= (as every channel may say), else
	 * learnt from the first webhook. */
	if (channel_config_get(l->cc, "account") != NULL)
		v = xstrdup(channel_config_get(l->cc, "account"));
	else
		v = l->host->cursor_load(l, "destination");
	if (v != NULL && *v != '\0') {
		ln->account = v;
		ln->account_saved = 1;
	} else
		free(v);
	l->host->set_state(l, CHAN_CONNECTED, 0, NULL);
	if (l->opts->once)
		l->host->finish(l, 1);
	return ln;
}

const struct chan_type chan_line_type = {
	.name = "line",
	.start = line_start,
	.stop = line_stop,
	.owns = line_owns,
	.send = line_send,
	.fetch = line_fetch,
	.webhook = line_webhook,
	.mark_read = line_mark_read
};
