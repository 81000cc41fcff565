/*
 * t-chan.c: the link test of src/chan, linked with libchan and the layers
 * under it only (net, store, core, base): the adapters need no host but
 * the struct chan_host they are given. It checks what the layer's two
 * lists of channel types say alike, and the demo traffic's determinism.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "chan/chan.h"

#include <stdlib.h>
#include <string.h>

#include "tap.h"

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
	return exit_status();
}
