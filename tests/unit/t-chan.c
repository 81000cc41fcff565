/*
 * t-chan.c: the link test of src/chan, linked with libchan and the layers
 * under it only (net, store, core, base): the adapters need no host but
 * the struct chan_host they are given. It checks what the layer's two
 * lists of channel types say alike, the demo traffic's determinism, and
 * its customers of the built-in bot answered and the answers sent, then
 * delivered; a reply no channel sends refused, until one does.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "chan/chan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

static void
t_cmd_error(struct cmd_ctx *ctx, const char *text)
{
	(void)ctx;
	diag("%s", text);
}

/* The reply of m's conversation whose text is text (a copy), or NULL. */
static struct msg *
t_reply_of(struct store *st, const struct msg *m, const char *text)
{
	struct msg	**msgs = NULL, *found = NULL;
	char		 *q, *id, *tid = NULL, *cause = NULL;
	size_t		  n = 0, i;

	id = msgid_message(m->channel, m->account, m->conv_id, m->id);
	q = xasprintf("id:%s", id);
	free(id);
	if (store_resolve_conv(st, q, &tid, &cause) == STORE_OK &&
	    store_thread_messages(st, tid, &msgs, &n, &cause) == STORE_OK) {
		for (i = 0; i < n; i++) {
			if (found == NULL && msgs[i]->text != NULL &&
			    strcmp(msgs[i]->text, text) == 0) {
				found = msgs[i];
				msgs[i] = msg_new();
			}
		}
	}
	store_msgs_free(msgs, n);
	free(tid);
	free(q);
	free(cause);
	return found;
}

/* A conversation named by a message's id: the id: query of it. */
static void
rewrite_conv(struct store_reply *r, char *conv)
{
	static char	query[512];

	snprintf(query, sizeof query, "id:%s", conv);
	r->conv = query;
}

/*
 * The demo traffic's first conversation is a customer of the built-in bot
 * on the demo channel: indexed, the bot answers into the outbox, and the
 * demo channel's delivery marks the answer sent.
 */
static void
test_demo_bot(void)
{
	struct cmd_ctx		 ctx;
	struct store_options	 opts;
	struct store		*st;
	struct store_outgoing	**out = NULL;
	struct chan_demo	*d;
	struct msg		*m;
	char			 dir[] = "/tmp/t-chan.XXXXXX", *cause = NULL;
	char			 rm[64];
	int64_t			 wait, now;
	long			 sent = 0;
	size_t			 n = 0;
	struct msg		*answer;
	struct store_reply	 r;
	char			*conv, *id = NULL, *changes = NULL;

	if (mkdtemp(dir) == NULL) {
		ok(0, "mkdtemp");
		return;
	}
	memset(&ctx, 0, sizeof ctx);
	ctx.error = t_cmd_error;
	ok(cmd_run_string(&ctx, "channel t-fr demo account=fr bot=t-fr; "
	    "bot-answer t-fr horaire 'Ouvert de 9 h à 19 h.'") == CMD_NORMAL,
	    "a demo channel with its bot");
	d = chan_demo_new(42);
	m = chan_demo_next(d, util_now(), &wait);
	ok(strcmp(m->channel, "demo") == 0 && strcmp(m->account, "fr") == 0 &&
	    m->kind == MSG_CUSTOMER, "a customer of the demo channel's bot");
	memset(&opts, 0, sizeof opts);
	opts.data_dir = dir;
	opts.lock_timeout = 5;
	opts.batch_messages = 100;
	opts.batch_ms = 1000;
	ok(store_open(&opts, STORE_READ_WRITE, &st, &cause) == STORE_OK &&
	    store_ingest(st, m, &cause) == STORE_OK &&
	    store_flush(st, &cause) == STORE_OK, "stored%s%s",
	    cause != NULL ? ": " : "", cause != NULL ? cause : "");
	ok(store_outbox_list(st, 0, &out, &n, &cause) == STORE_OK && n == 1 &&
	    strcmp(out[0]->text, "Ouvert de 9 h à 19 h.") == 0,
	    "the bot's answer is queued");
	while (n > 0)
		store_outgoing_free(out[--n]);
	free(out);
	out = NULL;
	now = util_now();
	ok(chan_demo_deliver(d, st, now, &sent, &cause) == 0 && sent == 1,
	    "the demo channel delivers it");
	ok(store_outbox_list(st, 0, &out, &n, &cause) == STORE_OK && n == 0,
	    "and the outbox is empty");
	free(out);
	out = NULL;
	answer = t_reply_of(st, m, "Ouvert de 9 h à 19 h.");
	ok(answer != NULL && strcmp(answer->outbox, "sent") == 0 &&
	    answer->delivery == NULL && answer->remote_id != NULL &&
	    strncmp(answer->remote_id, "demo-out.", 9) == 0,
	    "sent, as demo-<its native id>");
	msg_free(answer);
	ok(chan_demo_deliver(d, st, now + 2, &sent, &cause) == 0 && sent == 0,
	    "the next round sends nothing new");
	answer = t_reply_of(st, m, "Ouvert de 9 h à 19 h.");
	ok(answer != NULL && answer->delivery != NULL &&
	    strcmp(answer->delivery, "delivered") == 0 &&
	    answer->delivery_date == now + 2, "and marks it delivered");
	msg_free(answer);

	/* A reply of another type: refused until a demo channel delivers
	 * every reply (--demo's demo-all). */
	msg_free(m);
	m = chan_demo_next(d, util_now(), &wait);
	free(m->channel);
	m->channel = xstrdup("telegram");
	free(m->account);
	m->account = xstrdup("7012345678");
	memset(&r, 0, sizeof r);
	r.conv = conv = msgid_message(m->channel, m->account, m->conv_id,
	    m->id);
	r.text = "Bonjour";
	r.text_len = 7;
	r.now = now;
	ok(store_ingest(st, m, &cause) == STORE_OK &&
	    store_flush(st, &cause) == STORE_OK, "a Telegram customer");
	rewrite_conv(&r, conv);
	ok(store_reply_add(st, &r, &id, &changes, &cause) == STORE_REFUSED &&
	    cause != NULL && strcmp(cause, "no channel sends on telegram "
	    "account 7012345678: declare one with `channel`") == 0,
	    "a reply to it is refused: no channel sends it");
	free(cause);
	cause = NULL;
	ok(cmd_run_string(&ctx, "channel t-all demo deliver=all") ==
	    CMD_NORMAL, "a demo channel delivering every reply");
	ok(store_reply_add(st, &r, &id, &changes, &cause) == STORE_OK,
	    "the reply is queued");
	free(id);
	ok(chan_demo_deliver(d, st, now + 4, &sent, &cause) == 0 && sent == 1,
	    "and the demo channel sends it");
	free(conv);
	store_close(st);
	msg_free(m);
	chan_demo_free(d);
	free(cause);
	snprintf(rm, sizeof rm, "rm -rf '%s'", dir);
	if (system(rm) != 0)
		diag("cannot remove %s", dir);
}

int
main(void)
{
	static const char *const	 types[] = { "telegram", "matrix",
	    "whatsapp", "messenger", "email", "exec", "line", "twilio" };
	static const char *const	 webhook[] = { "sms", "demo", "" };
	const struct chan_type		*t;
	struct chan_demo		*a, *b;
	struct msg			*ma, *mb;
	int64_t				 wait_a, wait_b;
	size_t				 i;

	for (i = 0; i < nitems(types); i++) {
		t = chan_type_find(types[i]);
		ok(t != NULL && strcmp(t->name, types[i]) == 0 &&
		    t->start != NULL && t->stop != NULL && t->send != NULL,
		    "%s: an adapter with start, stop and send", types[i]);
		ok(chan_type_synced(types[i]),
		    "%s: chan-names.c says it is synced", types[i]);
	}
	for (i = 0; i < nitems(webhook); i++)
		ok(chan_type_find(webhook[i]) == NULL &&
		    !chan_type_synced(webhook[i]),
		    "'%s': no adapter polls it, and chan-names.c agrees",
		    webhook[i]);

	a = chan_demo_new(42);
	b = chan_demo_new(42);
	ma = chan_demo_next(a, 1790000000, &wait_a);
	mb = chan_demo_next(b, 1790000000, &wait_b);
	ok(ma != NULL && mb != NULL && wait_a == wait_b &&
	    strcmp(ma->id, mb->id) == 0,
	    "the demo traffic is the same from the same seed");
	msg_free(ma);
	msg_free(mb);
	chan_demo_free(a);
	chan_demo_free(b);
	test_demo_bot();
	return exit_status();
}
