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
 * Polling (poll=60s), for a machine without a public URL: GET
 * Messages.json?To=NUMBER&DateSent>=DAY&PageSize=N, following
 * next_page_uri to the last page; the inbound rows become the messages
 * the webhook would have made (the same Message-Ids: a message both
 * posted and polled is stored once), an MMS's media from its Media list.
 * NUMBER is from=, or poll-to= with messaging-service-sid=. DateSent> has
 * a day's grain: each poll asks again from the newest day it took, and
 * what it had already is known by the store (has_message: no Media list
 * asked twice; deliver stores nothing twice). The cursor ("date-sent",
 * the day) moves only when a whole pass is delivered: a crash asks again,
 * never loses. The first poll takes TWILIO_FIRST_DAYS days back. Without
 * public-url= (no status callbacks), the pass then asks the list From
 * the number: our replies' statuses, recorded as callbacks are.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "chan/chan.h"
#include "chan/chan-twilio.h"

#include <jansson.h>

#include <sys/queue.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TWILIO_API_URL		"https://api.twilio.com"
#define TWILIO_SEND_TIMEOUT_MS	30000
#define TWILIO_POLL_TIMEOUT_MS	60000
#define TWILIO_PAGE_SIZE	100
#define TWILIO_FIRST_DAYS	7

/* ------------------------------------------------------------ adapter */

struct twilio;

struct twilio_call {
	LIST_ENTRY(twilio_call)	 entry;
	struct twilio		*tw;
	struct net_req		*req;
	struct store_outgoing	*o;
	struct chan_fetch	*f;
	int			 poll;	/* a page or media list of a poll */
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

	/* Polling (poll=), one request at a time. */
	int64_t			 poll_ms;	/* 0: no polling */
	char			*poll_to;	/* the number polled */
	struct ev_timer		*timer;
	int			 attempt;
	char			 day[TWILIO_DAY_SIZE];	/* the cursor */
	char			 newest[TWILIO_DAY_SIZE]; /* of this pass */
	char			 hold[TWILIO_DAY_SIZE];
	char			*url;		/* the page asked (again) */
	struct twilio_page	 page;		/* got, its media being asked */
	int			 have_page;
	size_t			 media_i;
	int			 outbound;	/* the pass's second half: our
						   replies' statuses */
	struct strset		 reported;	/* "sid status" recorded */
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

/* ------------------------------------------------------------ polling */

static void	twilio_poll(void *);
static int	twilio_id_ok(const char *);
static void	twilio_get_page(struct twilio *);
static void	twilio_media_next(struct twilio *);

static void
twilio_schedule(struct twilio *tw, int64_t ms)
{
	if (tw->timer != NULL)
		ev_timer_del(tw->timer);
	tw->timer = ev_timer_add(tw->link->loop, ms, twilio_poll, tw);
}

/* The page (or a media list of it) failed: the same page again after the
 * wait, or give up (--once, after its attempts). */
static void
twilio_poll_failed(struct twilio *tw, enum chan_state state, int64_t wait_ms,
    const char *error)
{
	if (tw->have_page) {
		twilio_page_free(&tw->page);
		tw->have_page = 0;
	}
	wait_ms = chan_failed(tw->link, &tw->attempt, state, wait_ms, 0, error);
	if (wait_ms >= 0)
		twilio_schedule(tw, wait_ms);
}

/*
 * An answer that is no success: its state and wait. 429 and 20429 are
 * throttling (Retry-After honoured), 401 the credentials.
 */
static void
twilio_poll_error(struct twilio *tw, const struct net_response *r)
{
	json_t		*root;
	const char	*msg;
	long long	 code = 0;
	char		*error;

	if (r->status == 0 || r->too_large) {
		twilio_poll_failed(tw, CHAN_BACKOFF, -1, r->too_large ?
		    "the answer passed the size limit" : r->error != NULL ?
		    r->error : "no answer");
		return;
	}
	root = json_loadb(r->body, r->len, JSON_ALLOW_NUL, NULL);
	if (json_is_integer(json_object_get(root, "code")))
		code = json_integer_value(json_object_get(root, "code"));
	msg = json_string_value(json_object_get(root, "message"));
	if (code != 0)
		error = xasprintf("%lld %.128s", code, msg != NULL ? msg :
		    "error");
	else
		error = xasprintf("HTTP %ld", r->status);
	json_decref(root);
	if (r->status == 429 || code == 20429)
		twilio_poll_failed(tw, CHAN_RATE_LIMITED,
		    chan_wait_ms(tw->link, r->retry_after_ms), error);
	else if (r->status == 401 || r->status == 403)
		twilio_poll_failed(tw, CHAN_AUTH_FAILED, -1, error);
	else
		twilio_poll_failed(tw, CHAN_BACKOFF, -1, error);
	free(error);
}

/* A whole pass delivered: the cursor moves (never back), then the next
 * poll after poll=. */
static void
twilio_pass_done(struct twilio *tw)
{
	struct chan_link	*l = tw->link;
	char			 day[TWILIO_DAY_SIZE];

	memcpy(day, tw->newest, sizeof day);
	if (*tw->hold != '\0' && (*day == '\0' || strcmp(tw->hold, day) < 0))
		memcpy(day, tw->hold, sizeof day);
	if (*day != '\0' && strcmp(day, tw->day) > 0) {
		if (l->host->cursor_save(l, "date-sent", day) != CHAN_OK) {
			twilio_poll_failed(tw, CHAN_BACKOFF, -1,
			    "the cursor cannot be saved");
			return;
		}
		memcpy(tw->day, day, sizeof day);
		/* The replies of the days before are not asked again. */
		strset_free(&tw->reported);
	}
	tw->attempt = 0;
	free(tw->url);
	tw->url = NULL;
	l->host->set_state(l, CHAN_CONNECTED, 0, NULL);
	if (l->opts->once) {
		l->host->finish(l, 1);
		return;
	}
	twilio_schedule(tw, tw->poll_ms);
}

/* The list from the cursor's day, of the number polled as To or From. */
static char *
twilio_list_url(struct twilio *tw, const char *field)
{
	char	*to, *url;

	to = net_escape(tw->poll_to);
	url = xasprintf("%s/2010-04-01/Accounts/%s/Messages.json?%s=%s&"
	    "DateSent%%3E=%s&PageSize=%d", tw->api, tw->sid, field, to,
	    tw->day, TWILIO_PAGE_SIZE);
	free(to);
	return url;
}

/*
 * The statuses of our replies a page lists, recorded as status callbacks
 * are (the host keeps the furthest); each one once a run, since the
 * window asks the day's replies again at every poll.
 */
static enum chan_status
twilio_page_statuses(struct twilio *tw)
{
	struct chan_link	*l = tw->link;
	struct twilio_page	*p = &tw->page;
	struct chan_delivery	*d;
	char			*key;
	size_t			 i, n = 0;
	enum chan_status	 rc;

	d = xcalloc(p->n_statuses + 1, sizeof *d);
	for (i = 0; i < p->n_statuses; i++) {
		key = xasprintf("%s %s", p->statuses[i].remote_id,
		    p->statuses[i].status);
		if (!strset_has(&tw->reported, key)) {
			d[n].remote_id = p->statuses[i].remote_id;
			d[n].account = tw->account;
			d[n].conv_id = p->statuses[i].conv_id;
			d[n].status = p->statuses[i].status;
			d[n].error = p->statuses[i].error;
			d[n].date = p->statuses[i].date >= 0 ?
			    p->statuses[i].date : util_now();
			n++;
		}
		free(key);
	}
	rc = n > 0 ? l->host->delivery_status(l, d, n) : CHAN_OK;
	for (i = 0; i < n && rc == CHAN_OK; i++) {
		key = xasprintf("%s %s", d[i].remote_id, d[i].status);
		strset_add(&tw->reported, key);
		free(key);
	}
	free(d);
	return rc;
}

/* The page's messages and their media got: delivered, then the next
 * page, or the pass is done. */
static void
twilio_page_deliver(struct twilio *tw)
{
	struct chan_link	*l = tw->link;
	struct twilio_page	*p = &tw->page;
	size_t			 delivered;
	char			*cause;

	if (l->host->deliver(l, p->msgs, p->n, &delivered, &cause) !=
	    CHAN_OK) {
		twilio_poll_failed(tw, CHAN_BACKOFF, -1, cause);
		free(cause);
		return;
	}
	if (twilio_page_statuses(tw) != CHAN_OK) {
		twilio_poll_failed(tw, CHAN_BACKOFF, -1,
		    "the statuses cannot be recorded");
		return;
	}
	if (strcmp(p->newest, tw->newest) > 0)
		memcpy(tw->newest, p->newest, sizeof tw->newest);
	if (*p->hold != '\0' && (*tw->hold == '\0' ||
	    strcmp(p->hold, tw->hold) < 0))
		memcpy(tw->hold, p->hold, sizeof tw->hold);
	free(tw->url);
	tw->url = p->next != NULL ? xasprintf("%s%s", tw->api, p->next) :
	    NULL;
	twilio_page_free(p);
	tw->have_page = 0;
	tw->attempt = 0;
	if (tw->url == NULL && !tw->outbound && tw->public_url == NULL) {
		/* No status callbacks come: the statuses of our replies
		 * from the list, From the number. */
		tw->outbound = 1;
		tw->url = twilio_list_url(tw, "From");
	}
	if (tw->url != NULL)
		twilio_get_page(tw);
	else
		twilio_pass_done(tw);
}

static void
twilio_media_answer(const struct net_response *r, void *data)
{
	struct twilio_call	*c = data;
	struct twilio		*tw = c->tw;
	struct chan_link	*l = tw->link;
	struct msg		*m = tw->page.msgs[tw->media_i];
	char			*why, *reason;

	twilio_call_free(c);
	if (r->status != 200 || r->too_large) {
		twilio_poll_error(tw, r);
		return;
	}
	if (twilio_media_parse(m, tw->api, r->body, r->len, &why) != 0) {
		/* Kept with why; the message goes in with what could be
		 * read (its text says nothing is missing: the quarantine
		 * does). */
		reason = xasprintf("the media of %s: %s", m->id, why);
		if (l->host->quarantine(l, "answer", r->body, r->len,
		    reason) != CHAN_OK) {
			free(reason);
			free(why);
			twilio_poll_failed(tw, CHAN_BACKOFF, -1,
			    "the quarantine cannot be written");
			return;
		}
		free(reason);
		free(why);
	}
	tw->media_i++;
	twilio_media_next(tw);
}

/* The Media list of the page's next MMS not stored yet; then delivered. */
static void
twilio_media_next(struct twilio *tw)
{
	struct chan_link	*l = tw->link;
	struct twilio_page	*p = &tw->page;
	struct twilio_call	*c;
	struct net_request	 rq;
	struct msg		*m;
	char			*url, *msgid, *cause;
	int			 had;

	for (; tw->media_i < p->n; tw->media_i++) {
		m = p->msgs[tw->media_i];
		/* A sid is letters and digits: another goes in no URL. */
		if (p->n_media[tw->media_i] <= 0 || !twilio_id_ok(m->id))
			continue;
		msgid = msgid_message(m->channel, m->account, m->conv_id,
		    m->id);
		had = l->host->has_message(l, msgid);
		free(msgid);
		if (!had)
			break;
	}
	if (tw->media_i == p->n) {
		twilio_page_deliver(tw);
		return;
	}
	m = p->msgs[tw->media_i];
	url = xasprintf("%s/2010-04-01/Accounts/%s/Messages/%s/Media.json",
	    tw->api, tw->sid, m->id);
	memset(&rq, 0, sizeof rq);
	rq.url = url;
	rq.basic = tw->basic;
	rq.timeout_ms = TWILIO_POLL_TIMEOUT_MS;
	c = twilio_call_new(tw);
	c->poll = 1;
	c->req = net_start(l->net, &rq, twilio_media_answer, c, &cause);
	free(url);
	if (c->req == NULL) {
		twilio_call_free(c);
		twilio_poll_failed(tw, CHAN_BACKOFF, -1, cause);
		free(cause);
	}
}

static void
twilio_page_answer(const struct net_response *r, void *data)
{
	struct twilio_call	*c = data;
	struct twilio		*tw = c->tw;
	struct chan_link	*l = tw->link;
	struct twilio_page	*p = &tw->page;
	char			*why, *reason;
	size_t			 i;

	twilio_call_free(c);
	if (r->status != 200 || r->too_large) {
		twilio_poll_error(tw, r);
		return;
	}
	if (twilio_page_parse(tw->account, r->body, r->len, p, &why) != 0) {
		/* Kept (once: the same bytes again are not), then asked
		 * again: the rows it holds are not skipped. */
		reason = xasprintf("a page of the Messages list: %s", why);
		l->host->quarantine(l, "answer", r->body, r->len, reason);
		l->quarantine_failed = 0;	/* nothing skipped */
		twilio_poll_failed(tw, CHAN_BACKOFF, -1, reason);
		free(reason);
		free(why);
		return;
	}
	tw->have_page = 1;
	for (i = 0; i < p->n_bad; i++) {
		reason = xasprintf("a message of the Messages list: %s",
		    p->bad[i].why);
		l->host->quarantine(l, "message", p->bad[i].raw,
		    strlen(p->bad[i].raw), reason);
		free(reason);
	}
	tw->media_i = 0;
	twilio_media_next(tw);
}

static void
twilio_get_page(struct twilio *tw)
{
	struct chan_link	*l = tw->link;
	struct twilio_call	*c;
	struct net_request	 rq;
	char			*cause;

	memset(&rq, 0, sizeof rq);
	rq.url = tw->url;
	rq.basic = tw->basic;
	rq.timeout_ms = TWILIO_POLL_TIMEOUT_MS;
	c = twilio_call_new(tw);
	c->poll = 1;
	c->req = net_start(l->net, &rq, twilio_page_answer, c, &cause);
	if (c->req == NULL) {
		twilio_call_free(c);
		twilio_poll_failed(tw, CHAN_BACKOFF, -1, cause);
		free(cause);
	}
}

/* A poll: the page asked last again (after a failure), else a new pass
 * from the cursor's day. */
static void
twilio_poll(void *data)
{
	struct twilio	*tw = data;

	tw->timer = NULL;
	if (tw->url == NULL) {
		*tw->newest = '\0';
		*tw->hold = '\0';
		tw->outbound = 0;
		tw->url = twilio_list_url(tw, "To");
	}
	twilio_get_page(tw);
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
	if (tw->timer != NULL)
		ev_timer_del(tw->timer);
	if (tw->have_page)
		twilio_page_free(&tw->page);
	free(tw->url);
	free(tw->poll_to);
	strset_free(&tw->reported);
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

/* poll=DURATION: polling, of from= or poll-to=. */
static int
twilio_poll_config(struct twilio *tw, const char *poll, char **cause)
{
	const char	*to;
	int64_t		 s;

	if (rules_parse_duration(poll, &s) != 0 || s <= 0) {
		*cause = xasprintf(_("poll=%.32s is not a duration such as 60s"),
		    poll);
		return -1;
	}
	if ((to = channel_config_get(tw->link->cc, "poll-to")) == NULL)
		to = tw->from;
	if (to == NULL || *to == '\0' || strlen(to) > 64) {
		*cause = xstrdup(_("poll= needs the number polled: from= or "
		    "poll-to="));
		return -1;
	}
	tw->poll_ms = s * 1000;
	tw->poll_to = xstrdup(to);
	return 0;
}

/* The day polled from: the cursor's, else TWILIO_FIRST_DAYS back. */
static void
twilio_cursor_load(struct twilio *tw)
{
	char	*v;

	v = tw->link->host->cursor_load(tw->link, "date-sent");
	if (v != NULL && strlen(v) == TWILIO_DAY_SIZE - 1 &&
	    strspn(v, "0123456789-") == TWILIO_DAY_SIZE - 1)
		memcpy(tw->day, v, TWILIO_DAY_SIZE);
	else
		twilio_day(util_now() - TWILIO_FIRST_DAYS * 86400, tw->day);
	free(v);
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
		*cause = xstrdup(_("account-sid= is missing or not an id"));
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
		*cause = xstrdup(_("from= or messaging-service-sid= is needed"));
		twilio_stop(tw);
		return NULL;
	}
	tw->account = xstrdup(tw->from != NULL ? tw->from : tw->service);
	if ((v = channel_config_get(l->cc, "public-url")) != NULL)
		tw->public_url = xstrdup(v);
	if ((v = channel_config_get(l->cc, "poll")) != NULL &&
	    twilio_poll_config(tw, v, cause) != 0) {
		twilio_stop(tw);
		return NULL;
	}
	if ((v = channel_config_get(l->cc, "api-url")) == NULL)
		v = TWILIO_API_URL;
	if (net_url_allowed(v, &why) != 0) {
		*cause = xasprintf(_("api-url=: %s"), why);
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
	if (tw->poll_ms > 0) {
		twilio_cursor_load(tw);
		l->host->set_state(l, CHAN_STARTING, 0, NULL);
		twilio_schedule(tw, 0);
		return tw;
	}
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
