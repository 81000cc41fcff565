/*
 * t-chan.c: the link test of src/chan, linked with libchan and the layers
 * under it only (net, store, core, base): the adapters need no host but
 * the struct chan_host they are given. It checks what the layer's two
 * lists of channel types say alike, the demo traffic's determinism, and
 * its customers of the built-in bot answered and the answers delivered.
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
	int64_t			 wait;
	long			 sent = 0;
	size_t			 n = 0;

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
	ok(chan_demo_deliver(st, &sent, &cause) == 0 && sent == 1,
	    "the demo channel delivers it");
	ok(store_outbox_list(st, 0, &out, &n, &cause) == STORE_OK && n == 0,
	    "and the outbox is empty");
	free(out);
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
	static const char *const	 types[] = { "telegram", "matrix" };
	static const char *const	 webhook[] = { "whatsapp", "messenger",
	    "line", "sms", "email", "demo", "" };
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
