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

#define FUZZ_WA_ACCOUNT	"106540352242922"

static size_t	fuzz_wa_len;

/* The Message-Ids of a payload's messages, NULL-terminated. */
static char **
fuzz_wa_msgids(const struct meta_payload *p)
{
	char	**ids;
	size_t	  i;

	ids = xcalloc(p->n_msgs + 1, sizeof *ids);
	for (i = 0; i < p->n_msgs; i++)
		ids[i] = msgid_message(p->msgs[i]->channel,
		    p->msgs[i]->account, p->msgs[i]->conv_id, p->msgs[i]->id);
	return ids;
}

static void
fuzz_wa_check(struct meta_payload *p, int rc, char *why, char **before)
{
	const struct meta_status	*s;
	json_t				*raw;
	char				*msgid;
	size_t				 i;

	if (rc == -1) {
		if (why == NULL || *why == '\0')
			fuzz_chan_fail("wa_payload", "-1 without a cause");
		if (p->n_msgs + p->n_statuses + p->n_echoes + p->n_refused +
		    p->n_owners != 0)
			fuzz_chan_fail("wa_payload", "-1 with items kept");
		free(why);
		return;
	}
	if (rc != 0 || why != NULL)
		fuzz_chan_fail("wa_payload", "0 with a cause, or another rc");
	if (p->n_echoes != 0 || p->n_owners != 0)
		fuzz_chan_fail("wa_payload", "echoes or owners from WhatsApp");
	for (i = 0; i < p->n_msgs; i++) {
		msgid = msgid_message(p->msgs[i]->channel, p->msgs[i]->account,
		    p->msgs[i]->conv_id, p->msgs[i]->id);
		if (before[i] == NULL || strcmp(before[i], msgid) != 0)
			fuzz_chan_fail("wa_payload", "Message-Ids differ");
		free(msgid);
		if (strcmp(p->msgs[i]->channel, "whatsapp") != 0)
			fuzz_chan_fail("wa_payload", "a message of no whatsapp");
		fuzz_chan_check("wa_payload", p->msgs[i], NULL, 0,
		    fuzz_wa_len);
		p->msgs[i] = NULL;
	}
	if (before[p->n_msgs] != NULL)
		fuzz_chan_fail("wa_payload", "fewer messages the second time");
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
	for (i = 0; i < p->n_refused; i++) {
		if (p->refused[i].what == NULL || p->refused[i].raw == NULL ||
		    p->refused[i].why == NULL || *p->refused[i].why == '\0')
			fuzz_chan_fail("wa_payload", "a refusal without a cause");
		raw = json_loads(p->refused[i].raw, JSON_DECODE_ANY |
		    JSON_ALLOW_NUL, NULL);
		if (raw == NULL)
			fuzz_chan_fail("wa_payload", "a refusal's raw is no JSON");
		json_decref(raw);
	}
}

static void
fuzz_wa_run(const struct meta_config *c, json_t *root)
{
	struct meta_payload	  p;
	char			 *why, **ids;
	size_t			  i;
	int			  rc;

	rc = wa_payload(c, root, &p, &why);
	ids = fuzz_wa_msgids(&p);
	meta_payload_free(&p);
	free(why);
	rc = wa_payload(c, root, &p, &why);
	fuzz_wa_check(&p, rc, why, ids);
	meta_payload_free(&p);
	for (i = 0; ids[i] != NULL; i++)
		free(ids[i]);
	free(ids);
}

static void
fuzz_wa_value(json_t *root, size_t len)
{
	static const struct meta_config	any = { NULL, NULL, NULL };
	static const struct meta_config	one = { FUZZ_WA_ACCOUNT, NULL, NULL };

	fuzz_wa_len = len;
	fuzz_wa_run(&any, root);
	fuzz_wa_run(&one, root);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_chan_each_value(data, size, fuzz_wa_value);
	return 0;
}
