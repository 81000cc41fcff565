/*
 * sync-outbox.c: the syncer delivers the outbox.
 *
 * Every second (and after each delivery) the outbox is read: replies go
 * out oldest first, one at a time per conversation so that they arrive in
 * order, and only over a channel that is connected (offline, they wait).
 * A reply's state is committed as "sending" before the adapter makes the
 * request (reliability.md, R6). Then:
 *   sent      the channel answered with its id;
 *   failed    the channel refused it for good, with its reason;
 *   queued    nothing was sent (a 429, a connect failure): again later;
 *   unknown   the request left and no answer came: never resent by
 *             itself on a channel without idempotency (Telegram); the
 *             agent decides.
 * A reply left "sending" by a crash is "unknown", except on a channel
 * whose resend is idempotent (Matrix's txnId), where it simply goes again.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "sync/sync-private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OUTBOX_SCAN_MS	1000

struct sync_delivery {
	LIST_ENTRY(sync_delivery) entry;
	char			*msgid;
	char			*conv;		/* channel, account, conv id */
	int			 in_flight;
	int			 attempts;
	int			 given_up;
	int64_t			 not_before;	/* util_clock_ms */
	struct sync_link	*link;
	/* Sent, but "sent" could not be written (a full disk): written at
	 * the next scans, so that the reply never reads as unknown. */
	int			 sent_unsaved;
	char			*remote_id;
};

static void	sync_outbox_scan(void *);

static struct sync_delivery *
sync_delivery_find(struct sync *s, const char *msgid)
{
	struct sync_delivery	*d;

	LIST_FOREACH(d, &s->deliveries, entry)
		if (strcmp(d->msgid, msgid) == 0)
			return d;
	return NULL;
}

static void
sync_delivery_remove(struct sync_delivery *d)
{
	LIST_REMOVE(d, entry);
	free(d->msgid);
	free(d->conv);
	free(d->remote_id);
	free(d);
}

static char *
sync_outbox_conv(const struct store_outgoing *o)
{
	return xasprintf("%s\n%s\n%s", o->channel, o->account, o->conv_id);
}

/* Is another reply of this conversation in flight or waiting to retry? */
static int
sync_outbox_busy(struct sync *s, const char *conv, const char *msgid)
{
	struct sync_delivery	*d;

	LIST_FOREACH(d, &s->deliveries, entry)
		if (strcmp(d->conv, conv) == 0 && strcmp(d->msgid, msgid) != 0 &&
		    !d->given_up)
			return 1;
	return 0;
}

static struct sync_link *
sync_outbox_owner(struct sync *s, const struct store_outgoing *o)
{
	struct sync_link	*l;
	size_t			 i;

	for (i = 0; i < s->n_links; i++) {
		l = &s->links[i];
		if (l->adapter != NULL && l->type->owns != NULL &&
		    l->type->owns(l->adapter, o->channel, o->account))
			return l;
	}
	return NULL;
}

/* Commit a reply's state (when it is one of expect, unless NULL); 0, or
 * after saying why 1 when the reply is not in that state (or gone), -1
 * when the store could not write it (a full disk, a lock held too long). */
static int
sync_outbox_move(struct sync *s, const char *msgid, const char *expect,
    const char *state, const char *remote_id, const char *error)
{
	struct store		*st;
	char			*cause;
	enum store_status	 rc;

	if ((rc = store_open(&s->opts->store, STORE_READ_WRITE, &st,
	    &cause)) != STORE_OK) {
		log_warn("outbox: %s", cause);
		free(cause);
		return -1;
	}
	if ((rc = store_outbox_move(st, msgid, expect, state, remote_id,
	    error, &cause)) != STORE_OK) {
		log_warn("outbox: %s", cause);
		free(cause);
	}
	/* Closing commits: a state not written lets no request leave. */
	if (store_close(st) != STORE_OK && rc == STORE_OK) {
		log_warn(_("outbox: the reply's state could not be committed"));
		rc = STORE_DB_ERROR;
	}
	if (rc == STORE_OK)
		return 0;
	return store_status_cannot_write(rc) ? -1 : 1;
}

static int
sync_outbox_set(struct sync *s, const char *msgid, const char *state,
    const char *remote_id, const char *error)
{
	return sync_outbox_move(s, msgid, NULL, state, remote_id, error);
}

static void
sync_outbox_schedule(struct sync *s, int64_t ms)
{
	if (s->outbox_timer != NULL)
		ev_timer_del(s->outbox_timer);
	s->outbox_timer = ev_timer_add(s->loop, ms, sync_outbox_scan, s);
}

static void
sync_outbox_scan(void *data)
{
	struct sync		 *s = data;
	struct store		 *st;
	struct store_outgoing	**list = NULL, *o;
	struct sync_delivery	 *d;
	struct sync_link	 *l;
	struct strset		  busy = { NULL, 0, NULL, 0 };
	size_t			  n = 0, i;
	char			 *cause, *conv;
	int64_t			  now = util_clock_ms();
	int			  pending = 0;

	s->outbox_timer = NULL;
	if (store_open(&s->opts->store, STORE_READ_ONLY, &st, &cause) !=
	    STORE_OK) {
		free(cause);
		sync_outbox_schedule(s, OUTBOX_SCAN_MS);
		return;
	}
	if (store_outbox_list(st, 0, &list, &n, &cause) != STORE_OK) {
		log_warn("outbox: %s", cause);
		free(cause);
	}
	store_close(st);

	for (i = 0; i < n; i++) {
		o = list[i];
		list[i] = NULL;
		conv = sync_outbox_conv(o);
		d = sync_delivery_find(s, o->msgid);
		if (d != NULL && d->sent_unsaved) {
			if (sync_outbox_set(s, o->msgid, "sent", d->remote_id,
			    NULL) == 0) {
				sync_hooks_queue(s, "sent", NULL, o->msgid);
				sync_delivery_remove(d);
			} else if (!s->opts->chan.once ||
			    ++d->attempts < s->opts->chan.attempts)
				pending++;
			goto next;
		}
		l = sync_outbox_owner(s, o);
		if (strcmp(o->state, "unknown") == 0 || l == NULL ||
		    (d != NULL && d->given_up) || (l->finished && l->failed)) {
			/* The agent's to decide, or no channel to carry it. */
			goto next;
		}
		if (strset_has(&busy, conv) ||
		    (d == NULL && sync_outbox_busy(s, conv, o->msgid))) {
			pending++;
			goto next;
		}
		strset_add(&busy, conv);
		if (d != NULL && (d->in_flight || now < d->not_before)) {
			pending++;
			goto next;
		}
		if (strcmp(o->state, "sending") == 0 && d == NULL &&
		    !l->type->idempotent && !l->link.idempotent) {
			/* Cut off by a crash: it may have gone out. */
			sync_outbox_set(s, o->msgid, "unknown", NULL,
			    "the syncer stopped during the send");
			goto next;
		}
		pending++;
		if (l->state != CHAN_CONNECTED)
			goto next;	/* offline: it waits */
		/* Read before the lock was ours: the agent may have
		 * discarded it since. */
		switch (sync_outbox_move(s, o->msgid, "queued,sending", "sending",
		    NULL, NULL)) {
		case 0:
			s->outbox_write_failures = 0;
			break;
		case -1:
			/* The store cannot write: nothing leaves; again at
			 * the next scan, or (--once) given up after tries. */
			if (s->opts->chan.once && ++s->outbox_write_failures >=
			    s->opts->chan.attempts) {
				pending--;
				if (s->outbox_write_failures ==
				    s->opts->chan.attempts)
					s->outbox_given_up++;
			}
			goto next;
		default:
			goto next;
		}
		if (d == NULL) {
			d = xcalloc(1, sizeof *d);
			d->msgid = xstrdup(o->msgid);
			d->conv = xstrdup(conv);
			LIST_INSERT_HEAD(&s->deliveries, d, entry);
		}
		d->in_flight = 1;
		d->link = l;
		free(conv);
		l->type->send(l->adapter, o);	/* o is the adapter's now */
		continue;
next:
		free(conv);
		store_outgoing_free(o);
	}
	free(list);
	strset_free(&busy);
	s->outbox_pending = pending;
	sync_fetch_scan(s);
	if (!s->stop)
		sync_outbox_schedule(s, OUTBOX_SCAN_MS);
}

/* host->send_done */
void
sync_send_done(struct chan_link *l, struct store_outgoing *o,
    enum chan_send_result result, const char *remote_id, const char *error,
    int64_t retry_ms)
{
	struct sync		*s = sync_link_of(l)->sync;
	struct sync_delivery	*d = sync_delivery_find(s, o->msgid);
	char			*clean = NULL;

	/* The reason quotes the channel's server: kept and shown clean. */
	if (error != NULL)
		error = clean = sanitize(error, strlen(error), SANITIZE_LINE,
		    300);
	switch (result) {
	case CHAN_SENT:
		if (sync_outbox_set(s, o->msgid, "sent", remote_id, NULL) == 0)
			sync_hooks_queue(s, "sent", NULL, o->msgid);
		else if (d != NULL) {
			d->in_flight = 0;
			d->sent_unsaved = 1;
			d->attempts = 0;
			d->remote_id = remote_id != NULL ? xstrdup(remote_id) :
			    NULL;
			d = NULL;	/* kept until "sent" is written */
		}
		break;
	case CHAN_SEND_FAILED:
		if (sync_outbox_set(s, o->msgid, "failed", NULL, error) == 0)
			sync_hooks_queue(s, "failed", NULL, o->msgid);
		log_warn(_("%s: reply %s refused: %s"), l->name, o->native_id,
		    error != NULL ? error : "?");
		break;
	case CHAN_SEND_UNKNOWN:
		sync_outbox_set(s, o->msgid, "unknown", NULL, error);
		log_warn(_("%s: reply %s: delivery unknown (%s): not sent again"),
		    l->name, o->native_id, error != NULL ? error : _("no answer"));
		break;
	case CHAN_SEND_RETRY:
		sync_outbox_set(s, o->msgid, "queued", NULL, error);
		if (d == NULL)
			break;
		d->in_flight = 0;
		d->attempts++;
		d->not_before = util_clock_ms() + (retry_ms >= 0 ? retry_ms :
		    chan_backoff_ms(l, d->attempts - 1));
		if (s->opts->chan.once && d->attempts >= s->opts->chan.attempts) {
			d->given_up = 1;
			s->outbox_given_up++;
			log_warn(_("%s: reply %s still queued after %d tries: %s"),
			    l->name, o->native_id, d->attempts,
			    error != NULL ? error : "?");
		}
		d = NULL;	/* kept for its next try */
		break;
	}
	if (d != NULL)
		sync_delivery_remove(d);
	store_outgoing_free(o);
	free(clean);
	if (!s->stop)
		sync_outbox_schedule(s, 0);
}

/* host->outbox_echo */
void
sync_outbox_echo(struct chan_link *l, const char *msgid,
    const char *remote_id)
{
	struct sync		*s = sync_link_of(l)->sync;
	struct sync_delivery	*d = sync_delivery_find(s, msgid);

	struct store		*st;
	char			*cause;
	enum store_status	 rc;

	/* In flight: its own answer will settle it. */
	if (d != NULL && d->in_flight)
		return;
	/* Only a reply not known as sent yet: an echo the channel sends
	 * again later (a redelivered webhook) never undoes a failure or a
	 * decision. Refused is the usual case, and quiet. */
	if (store_open(&s->opts->store, STORE_READ_WRITE, &st, &cause) !=
	    STORE_OK) {
		log_warn("outbox: %s", cause);
		free(cause);
		return;
	}
	rc = store_outbox_move(st, msgid, "queued,sending,unknown", "sent",
	    remote_id, NULL, &cause);
	if (rc != STORE_OK && rc != STORE_REFUSED && rc != STORE_NOT_FOUND)
		log_warn("outbox: %s", cause);
	if (rc != STORE_OK)
		free(cause);
	if (store_close(st) != STORE_OK)
		rc = STORE_DB_ERROR;
	if (rc == STORE_OK)
		sync_hooks_queue(s, "sent", NULL, msgid);
	if (d != NULL && rc != STORE_DB_ERROR && rc != STORE_FULL &&
	    rc != STORE_IO_ERROR)
		sync_delivery_remove(d);
}

void
sync_outbox_start(struct sync *s)
{
	sync_outbox_schedule(s, 0);
}

void
sync_outbox_stop(struct sync *s)
{
	if (s->outbox_timer != NULL)
		ev_timer_del(s->outbox_timer);
	s->outbox_timer = NULL;
	while (!LIST_EMPTY(&s->deliveries))
		sync_delivery_remove(LIST_FIRST(&s->deliveries));
}

int
sync_outbox_idle(struct sync *s)
{
	struct sync_delivery	*d;

	LIST_FOREACH(d, &s->deliveries, entry)
		if (d->in_flight)
			return 0;
	return s->outbox_pending == 0 && s->fetch_pending == 0 &&
	    LIST_EMPTY(&s->fetches);
}

/*
 * host->delivery_status: what a channel said later of replies it took, in
 * one read-write open (a webhook batch carries many). A status for a
 * remote id no reply has is not ours, or its send is not recorded yet:
 * found says so, and the adapter decides.
 */
enum chan_status
sync_delivery_status(struct chan_link *l, struct chan_delivery *d, size_t n)
{
	struct sync		*s = sync_link_of(l)->sync;
	struct store		*st;
	enum store_status	 rc = STORE_OK;
	char			*cause = NULL, *clean, *failed, *state;
	char			**hooks = NULL;
	/* Twilio's conversations are on channel sms. */
	const char		*channel = strcmp(l->cc->type, "twilio") == 0 ?
				    "sms" : l->cc->type;
	long			 changed;
	size_t			 i, n_hooks = 0;

	if (n == 0)
		return CHAN_OK;
	if ((rc = store_open(&s->opts->store, STORE_READ_WRITE, &st,
	    &cause)) != STORE_OK) {
		log_warn(_("%s: delivery statuses: %s"), l->name, cause);
		free(cause);
		return rc == STORE_FULL ?
		    CHAN_NO_SPACE : CHAN_WRITE_FAILED;
	}
	for (i = 0; i < n; i++) {
		d[i].found = 0;
		clean = d[i].error != NULL ? sanitize(d[i].error,
		    strlen(d[i].error), SANITIZE_LINE, 300) : NULL;
		if (d[i].remote_id != NULL) {
			failed = NULL;
			if (strcmp(d[i].status, "failed") == 0 &&
			    store_outbox_find_remote(st, channel, d[i].account,
			    d[i].remote_id, &failed, &state, &cause) ==
			    STORE_OK) {
				/* Only a sent reply moves: its hook. */
				if (state == NULL || strcmp(state, "sent") != 0) {
					free(failed);
					failed = NULL;
				}
				free(state);
			} else if (cause != NULL) {
				free(cause);
				cause = NULL;
			}
			rc = store_outbox_status(st, channel, d[i].account,
			    d[i].remote_id, d[i].status, d[i].date, clean,
			    &cause);
			changed = rc == STORE_OK;
			if (rc == STORE_OK && failed != NULL) {
				hooks = xreallocarray(hooks, n_hooks + 1,
				    sizeof *hooks);
				hooks[n_hooks++] = failed;
			} else
				free(failed);
		} else
			rc = store_outbox_status_until(st, channel,
			    d[i].account, d[i].conv_id, d[i].status,
			    d[i].watermark, &changed, &cause);
		free(clean);
		if (rc == STORE_OK) {
			d[i].found = changed > 0;
			if (strcmp(d[i].status, "failed") == 0 &&
			    d[i].remote_id != NULL)
				log_warn(_("%s: a sent reply failed: %s"),
				    l->name, d[i].error != NULL ?
				    d[i].error : "?");
			continue;
		}
		if (rc == STORE_NOT_FOUND) {
			free(cause);
			cause = NULL;
			rc = STORE_OK;
			continue;
		}
		break;
	}
	if (rc != STORE_OK) {
		log_warn(_("%s: delivery statuses: %s"), l->name,
		    cause != NULL ? cause : store_status_str(rc));
		free(cause);
		store_close(st);
		for (i = 0; i < n_hooks; i++)
			free(hooks[i]);
		free(hooks);
		return rc == STORE_FULL ? CHAN_NO_SPACE : CHAN_WRITE_FAILED;
	}
	if (store_close(st) != STORE_OK) {
		log_warn(_("%s: delivery statuses could not be committed"),
		    l->name);
		rc = STORE_DB_ERROR;
	}
	/* A sent reply the channel failed later: its "failed" hooks. */
	for (i = 0; i < n_hooks; i++) {
		if (rc == STORE_OK)
			sync_hooks_queue(s, "failed", NULL, hooks[i]);
		free(hooks[i]);
	}
	free(hooks);
	return rc == STORE_OK ? CHAN_OK : CHAN_WRITE_FAILED;
}
