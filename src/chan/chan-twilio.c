/*
 * chan-twilio.c: SMS (and MMS) through Twilio Programmable Messaging
 * (channel-apis.md, 6): `channel NAME twilio account-sid=AC...
 * token-command=... (from=+33... | messaging-service-sid=MG...)
 * public-url=https://HOST/webhook/NAME [api-url=...]`. Its conversations
 * are of channel "sms".
 *
 * Inbound is Twilio's form POST, checked (X-Twilio-Signature) and spooled
 * by `ombre webhook`; here each spooled form is an inbound message
 * (MessageSid its id: a redelivery stores nothing twice; MediaUrlN as
 * attachments) or a status callback of one of our replies (MessageStatus,
 * recorded through host->delivery_status, which keeps the highest).
 *
 * Outbound: POST /2010-04-01/Accounts/{sid}/Messages.json with Basic
 * auth (account sid, auth token), To, From or MessagingServiceSid, Body
 * and StatusCallback (public-url=). Twilio has no idempotency key: a send
 * whose request may have left is "delivery unknown", never resent by
 * itself. 429 and error 20429 are throttling (not processed: retried).
 *
 * Not done yet: polling the Messages list (poll=) for a machine without
 * a public URL.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "chan/chan.h"
#include "chan/chan-twilio.h"

#include <jansson.h>

#include <sys/queue.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TWILIO_API_URL		"https://api.twilio.com"
#define TWILIO_SEND_TIMEOUT_MS	30000
#define TWILIO_FIELD_MAX	(64 * 1024)
#define TWILIO_MEDIA_MAX	10

/* ------------------------------------------------------------ parsing */

struct twilio_pairs {
	char	**keys;
	char	**values;
	size_t	  n;
};

static int
twilio_unhex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A form component decoded: '+' a space, %XX a byte, NUL as U+FFFD. */
static char *
twilio_unescape(const char *s, size_t len)
{
	struct buf	b;
	size_t		i;
	int		hi, lo, c;

	buf_init(&b);
	for (i = 0; i < len && b.len < TWILIO_FIELD_MAX; i++) {
		c = (unsigned char)s[i];
		if (c == '+')
			c = ' ';
		else if (c == '%' && i + 2 < len &&
		    (hi = twilio_unhex(s[i + 1])) >= 0 &&
		    (lo = twilio_unhex(s[i + 2])) >= 0) {
			c = hi << 4 | lo;
			i += 2;
		}
		if (c == 0)
			buf_add_str(&b, "\xef\xbf\xbd");
		else
			buf_add_char(&b, (char)c);
	}
	return buf_steal(&b);
}

static void
twilio_pairs_parse(struct twilio_pairs *p, const char *body, size_t len)
{
	const char	*s = body, *end = body + len, *amp, *eq;

	memset(p, 0, sizeof *p);
	while (s < end) {
		amp = memchr(s, '&', end - s);
		if (amp == NULL)
			amp = end;
		if (amp > s && p->n < 1000) {
			eq = memchr(s, '=', amp - s);
			p->keys = xreallocarray(p->keys, p->n + 1,
			    sizeof *p->keys);
			p->values = xreallocarray(p->values, p->n + 1,
			    sizeof *p->values);
			p->keys[p->n] = twilio_unescape(s,
			    (eq != NULL ? eq : amp) - s);
			p->values[p->n] = eq != NULL ?
			    twilio_unescape(eq + 1, amp - eq - 1) : xstrdup("");
			p->n++;
		}
		s = amp + 1;
	}
}

static void
twilio_pairs_free(struct twilio_pairs *p)
{
	size_t	i;

	for (i = 0; i < p->n; i++) {
		free(p->keys[i]);
		free(p->values[i]);
	}
	free(p->keys);
	free(p->values);
}

/* The value of key (the last one), or NULL; "" counts as none. */
static const char *
twilio_get(const struct twilio_pairs *p, const char *key)
{
	size_t	i;

	for (i = p->n; i > 0; i--)
		if (strcmp(p->keys[i - 1], key) == 0)
			return *p->values[i - 1] != '\0' ? p->values[i - 1] :
			    NULL;
	return NULL;
}

/* What Twilio's states are as ombre's; NULL for one not followed. */
static const char *
twilio_state(const char *s)
{
	if (strcmp(s, "sent") == 0 || strcmp(s, "queued") == 0 ||
	    strcmp(s, "accepted") == 0 || strcmp(s, "sending") == 0 ||
	    strcmp(s, "scheduled") == 0)
		return "sent";
	if (strcmp(s, "delivered") == 0)
		return "delivered";
	if (strcmp(s, "read") == 0)
		return "read";
	if (strcmp(s, "undelivered") == 0 || strcmp(s, "failed") == 0 ||
	    strcmp(s, "canceled") == 0)
		return "failed";
	return NULL;
}

int
twilio_form_parse(const char *account, const char *body, size_t len,
    int64_t date, struct twilio_form *out, char **why)
{
	struct twilio_pairs	 p;
	struct msg		*m, *copy;
	const char		*sid, *from, *to, *status, *state, *url, *mime;
	const char		*code;
	char			 key[32], *cause = NULL;
	long			 n, i;

	memset(out, 0, sizeof *out);
	*why = NULL;
	twilio_pairs_parse(&p, body, len);
	sid = twilio_get(&p, "MessageSid");
	if (sid == NULL)
		sid = twilio_get(&p, "SmsSid");
	from = twilio_get(&p, "From");
	to = twilio_get(&p, "To");
	status = twilio_get(&p, "MessageStatus");
	if (status == NULL)
		status = twilio_get(&p, "SmsStatus");
	if (sid == NULL || strlen(sid) > 64) {
		*why = xstrdup("no MessageSid");
		goto out;
	}
	if (status != NULL && strcmp(status, "received") != 0 &&
	    strcmp(status, "receiving") != 0) {
		/* A status callback of one of our replies. */
		if ((state = twilio_state(status)) == NULL) {
			*why = xasprintf("a status not followed (%.32s)",
			    status);
			goto out;
		}
		out->remote_id = xstrdup(sid);
		out->status = xstrdup(state);
		if (to != NULL && strlen(to) <= 64)
			out->conv_id = xstrdup(to);
		if (strcmp(state, "failed") == 0) {
			code = twilio_get(&p, "ErrorCode");
			out->error = xasprintf("%s%s%.16s", status,
			    code != NULL ? ": error " : "",
			    code != NULL ? code : "");
		}
		goto out;
	}
	if (from == NULL || strlen(from) > 64 || (account == NULL &&
	    (to == NULL || strlen(to) > 64))) {
		*why = xstrdup("an inbound message without From or To");
		goto out;
	}
	m = msg_new();
	m->channel = xstrdup("sms");
	m->account = xstrdup(account != NULL ? account : to);
	m->conv_id = xstrdup(from);
	m->from_id = xstrdup(from);
	m->id = xstrdup(sid);
	m->date = date;
	m->kind = MSG_CUSTOMER;
	m->text = xstrdup(twilio_get(&p, "Body") != NULL ?
	    twilio_get(&p, "Body") : "");
	m->text_len = strlen(m->text);
	n = twilio_get(&p, "NumMedia") != NULL ?
	    strtol(twilio_get(&p, "NumMedia"), NULL, 10) : 0;
	for (i = 0; i < n && i < TWILIO_MEDIA_MAX; i++) {
		snprintf(key, sizeof key, "MediaUrl%ld", i);
		if ((url = twilio_get(&p, key)) == NULL)
			continue;
		snprintf(key, sizeof key, "MediaContentType%ld", i);
		mime = twilio_get(&p, key);
		snprintf(key, sizeof key, "media-%ld", i);
		msg_add_attachment(m, key, mime != NULL ? mime :
		    "application/octet-stream", -1, url);
	}
	if ((copy = json_msg_copy(m, &cause)) == NULL) {
		msg_free(m);
		*why = cause;
		goto out;
	}
	msg_free(copy);
	out->msg = m;
out:
	twilio_pairs_free(&p);
	return *why != NULL ? -1 : 0;
}

void
twilio_form_free(struct twilio_form *f)
{
	if (f->msg != NULL)
		msg_free(f->msg);
	free(f->remote_id);
	free(f->status);
	free(f->error);
	free(f->conv_id);
	memset(f, 0, sizeof *f);
}

/* ------------------------------------------------------------ adapter */

struct twilio;

struct twilio_call {
	LIST_ENTRY(twilio_call)	 entry;
	struct twilio		*tw;
	struct net_req		*req;
	struct store_outgoing	*o;
	struct chan_fetch	*f;
};

struct twilio {
	struct chan_link	*link;
	LIST_HEAD(, twilio_call) calls;
	char			*api;
	char			*sid;		/* AC... */
	char			*basic;		/* sid:token */
	char			*from;
	char			*service;	/* MG... */
	char			*account;	/* from, else service */
	char			*public_url;
};

static struct twilio_call *
twilio_call_new(struct twilio *tw)
{
	struct twilio_call	*c;

	c = xcalloc(1, sizeof *c);
	c->tw = tw;
	LIST_INSERT_HEAD(&tw->calls, c, entry);
	return c;
}

static void
twilio_call_free(struct twilio_call *c)
{
	LIST_REMOVE(c, entry);
	free(c);
}

/* key=value& for a form body, escaped. */
static void
twilio_form_add(struct buf *b, const char *key, const char *value)
{
	char	*v;

	v = net_escape(value);
	if (b->len > 0)
		buf_add_char(b, '&');
	buf_add_str(b, key);
	buf_add_char(b, '=');
	buf_add_str(b, v);
	free(v);
}

static void
twilio_send_answer(const struct net_response *r, void *data)
{
	struct twilio_call	*c = data;
	struct twilio		*tw = c->tw;
	struct chan_link	*l = tw->link;
	struct store_outgoing	*o = c->o;
	enum chan_send_result	 result;
	json_t			*root;
	const char		*sid, *msg;
	long long		 code = 0;
	char			*error;
	int64_t			 wait = -1;

	c->req = NULL;
	twilio_call_free(c);
	if (r->status == 0) {
		l->host->send_done(l, o, r->unsent ? CHAN_SEND_RETRY :
		    CHAN_SEND_UNKNOWN, NULL, r->error, -1);
		return;
	}
	root = json_loadb(r->body, r->len, JSON_ALLOW_NUL, NULL);
	sid = json_string_value(json_object_get(root, "sid"));
	if ((r->status == 200 || r->status == 201) && sid != NULL) {
		l->host->send_done(l, o, CHAN_SENT, sid, NULL, -1);
		json_decref(root);
		return;
	}
	if (json_is_integer(json_object_get(root, "code")))
		code = json_integer_value(json_object_get(root, "code"));
	msg = json_string_value(json_object_get(root, "message"));
	if (code != 0)
		error = xasprintf("%lld %s", code, msg != NULL ? msg : "error");
	else
		error = xasprintf("HTTP %ld", r->status);
	if (r->status == 429 || code == 20429) {
		/* Not processed: safe to send again. */
		result = CHAN_SEND_RETRY;
		wait = chan_wait_ms(l, r->retry_after_ms);
	} else if (r->status >= 200 && r->status < 300)
		result = CHAN_SEND_UNKNOWN;
	else if (r->status >= 500)
		result = CHAN_SEND_UNKNOWN;
	else {
		if (r->status == 401)
			l->host->set_state(l, CHAN_AUTH_FAILED, 0, error);
		result = CHAN_SEND_FAILED;
	}
	json_decref(root);
	l->host->send_done(l, o, result, NULL, error, wait);
	free(error);
}

static void
twilio_send(void *data, struct store_outgoing *o)
{
	struct twilio		*tw = data;
	struct twilio_call	*c;
	struct net_request	 rq;
	struct buf		 body;
	char			*url, *cause;

	buf_init(&body);
	twilio_form_add(&body, "To", o->conv_id);
	if (tw->from != NULL)
		twilio_form_add(&body, "From", tw->from);
	else
		twilio_form_add(&body, "MessagingServiceSid", tw->service);
	twilio_form_add(&body, "Body", o->text);
	if (tw->public_url != NULL)
		twilio_form_add(&body, "StatusCallback", tw->public_url);
	url = xasprintf("%s/2010-04-01/Accounts/%s/Messages.json", tw->api,
	    tw->sid);
	memset(&rq, 0, sizeof rq);
	rq.method = "POST";
	rq.url = url;
	rq.basic = tw->basic;
	rq.body = body.data != NULL ? body.data : "";
	rq.body_len = body.len;
	rq.content_type = "application/x-www-form-urlencoded";
	rq.timeout_ms = TWILIO_SEND_TIMEOUT_MS;
	rq.not_idempotent = 1;
	c = twilio_call_new(tw);
	c->o = o;
	c->req = net_start(tw->link->net, &rq, twilio_send_answer, c, &cause);
	free(url);
	buf_free(&body);
	if (c->req == NULL) {
		twilio_call_free(c);
		tw->link->host->send_done(tw->link, o, CHAN_SEND_FAILED, NULL,
		    cause, -1);
		free(cause);
	}
}

/* MMS media: Twilio's URLs, fetched with Basic auth (accounts may
 * require it for media). */
static void
twilio_fetch_body(const struct net_response *r, void *data)
{
	struct twilio_call	*c = data;
	struct chan_fetch	*f = c->f;
	struct twilio		*tw = c->tw;
	char			*error;

	twilio_call_free(c);
	if (r->class != NET_OK) {
		error = r->error != NULL ? xasprintf("the download failed: %s",
		    r->error) : xasprintf("the download failed: HTTP %ld",
		    r->status);
		tw->link->host->fetch_done(f, NULL, 0, error);
		free(error);
		return;
	}
	tw->link->host->fetch_done(f, r->body, r->len, NULL);
}

static void
twilio_fetch(void *data, const char *url, struct chan_fetch *f)
{
	struct twilio		*tw = data;
	struct twilio_call	*c;
	struct net_request	 rq;
	char			*cause;

	memset(&rq, 0, sizeof rq);
	rq.url = url;
	rq.basic = tw->basic;
	rq.timeout_ms = 120000;
	c = twilio_call_new(tw);
	c->f = f;
	if ((c->req = net_start(tw->link->net, &rq, twilio_fetch_body, c,
	    &cause)) == NULL) {
		twilio_call_free(c);
		tw->link->host->fetch_done(f, NULL, 0, cause);
		free(cause);
	}
}

static enum chan_status
twilio_webhook(void *data, const struct chan_payload *p, size_t n)
{
	struct twilio		*tw = data;
	struct chan_link	*l = tw->link;
	struct twilio_form	*forms;
	struct msg		**msgs;
	struct chan_delivery	*d;
	size_t			 i, n_msgs = 0, n_d = 0, delivered;
	enum chan_status	 rc = CHAN_OK;
	char			*why, *reason, *cause;
	int64_t			 now = util_now();

	forms = xcalloc(n + 1, sizeof *forms);
	msgs = xcalloc(n + 1, sizeof *msgs);
	d = xcalloc(n + 1, sizeof *d);
	for (i = 0; i < n && rc == CHAN_OK; i++) {
		if (twilio_form_parse(tw->account, p[i].body, p[i].len, now,
		    &forms[i], &why) != 0) {
			reason = xasprintf("%s: %s", p[i].name, why);
			rc = l->host->quarantine(l, "payload", p[i].body,
			    p[i].len, reason);
			free(reason);
			free(why);
			continue;
		}
		if (forms[i].msg != NULL)
			msgs[n_msgs++] = forms[i].msg;
		else {
			d[n_d].remote_id = forms[i].remote_id;
			d[n_d].account = tw->account;
			d[n_d].conv_id = forms[i].conv_id;
			d[n_d].status = forms[i].status;
			d[n_d].error = forms[i].error;
			d[n_d].date = now;
			n_d++;
		}
	}
	if (rc == CHAN_OK && (rc = l->host->deliver(l, msgs, n_msgs,
	    &delivered, &cause)) != CHAN_OK)
		free(cause);
	if (rc == CHAN_OK && n_d > 0)
		rc = l->host->delivery_status(l, d, n_d);
	if (rc == CHAN_OK)
		l->host->set_state(l, CHAN_CONNECTED, 0, NULL);
	for (i = 0; i < n; i++)
		twilio_form_free(&forms[i]);
	free(forms);
	free(msgs);
	free(d);
	return rc;
}

static int
twilio_owns(void *data, const char *channel, const char *account)
{
	struct twilio	*tw = data;

	return strcmp(channel, "sms") == 0 &&
	    strcmp(account, tw->account) == 0;
}

static void
twilio_stop(void *data)
{
	struct twilio		*tw = data;
	struct twilio_call	*c;

	if (tw == NULL)
		return;
	while ((c = LIST_FIRST(&tw->calls)) != NULL) {
		net_cancel(c->req);
		if (c->o != NULL)
			store_outgoing_free(c->o);
		twilio_call_free(c);
	}
	if (tw->basic != NULL) {
		explicit_bzero(tw->basic, strlen(tw->basic));
		free(tw->basic);
	}
	free(tw->api);
	free(tw->sid);
	free(tw->from);
	free(tw->service);
	free(tw->account);
	free(tw->public_url);
	free(tw);
}

static int
twilio_id_ok(const char *s)
{
	return s != NULL && *s != '\0' && strlen(s) <= 64 &&
	    strspn(s, "0123456789abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == strlen(s);
}

static void *
twilio_start(struct chan_link *l, char **cause)
{
	struct twilio	*tw;
	const char	*v;
	char		*token, *why;
	size_t		 len;

	tw = xcalloc(1, sizeof *tw);
	LIST_INIT(&tw->calls);
	tw->link = l;
	v = channel_config_get(l->cc, "account-sid");
	if (!twilio_id_ok(v)) {
		*cause = xstrdup("account-sid= is missing or not an id");
		twilio_stop(tw);
		return NULL;
	}
	tw->sid = xstrdup(v);
	if ((v = channel_config_get(l->cc, "from")) != NULL)
		tw->from = xstrdup(v);
	else if ((v = channel_config_get(l->cc, "messaging-service-sid")) !=
	    NULL && twilio_id_ok(v))
		tw->service = xstrdup(v);
	else {
		*cause = xstrdup("from= or messaging-service-sid= is needed");
		twilio_stop(tw);
		return NULL;
	}
	tw->account = xstrdup(tw->from != NULL ? tw->from : tw->service);
	if ((v = channel_config_get(l->cc, "public-url")) != NULL)
		tw->public_url = xstrdup(v);
	if ((v = channel_config_get(l->cc, "api-url")) == NULL)
		v = TWILIO_API_URL;
	if (net_url_allowed(v, &why) != 0) {
		*cause = xasprintf("api-url=: %s", why);
		free(why);
		twilio_stop(tw);
		return NULL;
	}
	len = strlen(v);
	while (len > 0 && v[len - 1] == '/')
		len--;
	tw->api = xasprintf("%.*s", (int)len, v);
	if ((token = l->host->secret(l, "token", cause)) == NULL) {
		twilio_stop(tw);
		return NULL;
	}
	tw->basic = xasprintf("%s:%s", tw->sid, token);
	explicit_bzero(token, strlen(token));
	free(token);
	l->host->set_state(l, CHAN_CONNECTED, 0, NULL);
	if (l->opts->once)
		l->host->finish(l, 1);
	return tw;
}

const struct chan_type chan_twilio_type = {
	.name = "twilio",
	.start = twilio_start,
	.stop = twilio_stop,
	.owns = twilio_owns,
	.send = twilio_send,
	.fetch = twilio_fetch,
	.webhook = twilio_webhook
};
