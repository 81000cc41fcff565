/*
 * fuzz-wa.c: libFuzzer target for the WhatsApp Cloud API webhook parser
 * (wa_payload, chan-meta.h).
 *
 * The input is loaded as the webhook adapter loads a spooled body
 * (fuzz-chan.c) and read twice: with no account configured, and as the
 * channel of phone number FUZZ_WA_ACCOUNT. The promise of chan-meta.h is
 * checked on everything that comes out: -1 only with a cause and nothing
 * kept, 0 without one; every message as chan.h promises; statuses with a
 * known state, an account and a bounded error; every refusal with what it
 * was, its JSON and a cause; the same payload read again gives the same
 * Message-Ids.
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

#define FUZZ_WA_ACCOUNT	"106540352242922"

/* What only WhatsApp's payloads have. */
static void
fuzz_wa_platform(const struct meta_payload *p)
{
	const struct meta_status	*s;
	size_t				 i;

	if (p->n_echoes != 0 || p->n_owners != 0)
		fuzz_chan_fail("wa_payload", "echoes or owners from WhatsApp");
	for (i = 0; i < p->n_statuses; i++) {
		s = &p->statuses[i];
		if (s->remote_id == NULL || s->account == NULL ||
		    s->status == NULL)
			fuzz_chan_fail("wa_payload", "a status without an id");
		if (strcmp(s->status, "sent") != 0 &&
		    strcmp(s->status, "delivered") != 0 &&
		    strcmp(s->status, "read") != 0 &&
		    strcmp(s->status, "failed") != 0)
			fuzz_chan_fail("wa_payload", "an unknown status");
		if ((s->error != NULL) != (strcmp(s->status, "failed") == 0))
			fuzz_chan_fail("wa_payload", "error without failed");
		if (s->error != NULL && strlen(s->error) > 300)
			fuzz_chan_fail("wa_payload", "an error over 300 bytes");
		if (s->date < JSON_DATE_MIN || s->date > JSON_DATE_MAX)
			fuzz_chan_fail("wa_payload", "a status out of range");
	}
}

static void
fuzz_wa_value(json_t *root, size_t len)
{
	static const struct meta_config	any = { NULL, NULL, NULL };
	static const struct meta_config	one = { FUZZ_WA_ACCOUNT, NULL, NULL };

	fuzz_meta_run("wa_payload", "whatsapp", wa_payload, &any, root, len,
	    fuzz_wa_platform);
	fuzz_meta_run("wa_payload", "whatsapp", wa_payload, &one, root, len,
	    fuzz_wa_platform);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_chan_each_value(data, size, fuzz_wa_value);
	return 0;
}
