/*
 * fuzz-fb.c: libFuzzer target for the Messenger Platform webhook parser
 * (fb_payload, chan-meta.h).
 *
 * The input is loaded as the webhook adapter loads a spooled body
 * (fuzz-chan.c) and read twice: with no page configured, and as the
 * channel of page FUZZ_FB_PAGE with ombre's and a bot's app ids. The
 * promise of chan-meta.h is checked on everything that comes out: -1
 * only with a cause and nothing kept, 0 without one; every message
 * (customer, agent, bot, edit, handover event) as chan.h promises;
 * deliveries and reads with a mid or a watermark, never both; echoes and
 * owners complete; every refusal with what it was, its JSON and a cause;
 * the same payload read again gives the same Message-Ids.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "chan/chan-meta.h"

#include <jansson.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-chan.h"
#include "fuzz-meta.h"

#define FUZZ_FB_PAGE	"987654321"
#define FUZZ_FB_APP	"1122334455000"
#define FUZZ_FB_BOT	"1122334455"

/* What only Messenger's payloads have. */
static void
fuzz_fb_platform(const struct meta_payload *p)
{
	const struct meta_status	*s;
	size_t				 i;

	for (i = 0; i < p->n_statuses; i++) {
		s = &p->statuses[i];
		if (s->account == NULL || s->status == NULL ||
		    s->conv_id == NULL)
			fuzz_chan_fail("fb_payload", "a status without a page "
			    "or a customer");
		if (strcmp(s->status, "delivered") != 0 &&
		    strcmp(s->status, "read") != 0)
			fuzz_chan_fail("fb_payload", "neither delivered nor read");
		if ((s->remote_id != NULL) == (s->watermark > 0))
			fuzz_chan_fail("fb_payload", "a status with a mid and a "
			    "watermark, or neither");
		if (s->error != NULL)
			fuzz_chan_fail("fb_payload", "an error in a status");
		if (s->date < JSON_DATE_MIN || s->date > JSON_DATE_MAX ||
		    s->watermark < 0 || s->watermark > JSON_DATE_MAX)
			fuzz_chan_fail("fb_payload", "a status out of range");
	}
	for (i = 0; i < p->n_echoes; i++) {
		if (p->echoes[i].outbound == NULL ||
		    *p->echoes[i].outbound == '\0' ||
		    p->echoes[i].remote_id == NULL ||
		    *p->echoes[i].remote_id == '\0')
			fuzz_chan_fail("fb_payload", "an echo without its ids");
	}
	for (i = 0; i < p->n_owners; i++) {
		if (p->owner_conv[i] == NULL || *p->owner_conv[i] == '\0' ||
		    p->owner_app[i] == NULL)
			fuzz_chan_fail("fb_payload", "an owner without a thread");
	}
}

static void
fuzz_fb_value(json_t *root, size_t len)
{
	static const struct meta_config	any = { NULL, NULL, NULL };
	static const struct meta_config	one = { FUZZ_FB_PAGE, FUZZ_FB_APP,
		FUZZ_FB_BOT };

	fuzz_meta_run("fb_payload", "messenger", fb_payload, &any, root, len,
	    fuzz_fb_platform);
	fuzz_meta_run("fb_payload", "messenger", fb_payload, &one, root, len,
	    fuzz_fb_platform);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_chan_each_value(data, size, fuzz_fb_value);
	return 0;
}
