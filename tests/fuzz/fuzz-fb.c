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

#define FUZZ_FB_PAGE	"987654321"
#define FUZZ_FB_APP	"1122334455000"
#define FUZZ_FB_BOT	"1122334455"

static size_t	fuzz_fb_len;

/* The Message-Ids of a payload's messages, NULL-terminated. */
static char **
fuzz_fb_msgids(const struct meta_payload *p)
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
fuzz_fb_check(struct meta_payload *p, int rc, char *why, char **before)
{
	const struct meta_status	*s;
	json_t				*raw;
	char				*msgid;
	size_t				 i;

	if (rc == -1) {
		if (why == NULL || *why == '\0')
			fuzz_chan_fail("fb_payload", "-1 without a cause");
		if (p->n_msgs + p->n_statuses + p->n_echoes + p->n_refused +
		    p->n_owners != 0)
			fuzz_chan_fail("fb_payload", "-1 with items kept");
		free(why);
		return;
	}
	if (rc != 0 || why != NULL)
		fuzz_chan_fail("fb_payload", "0 with a cause, or another rc");
	for (i = 0; i < p->n_msgs; i++) {
		msgid = msgid_message(p->msgs[i]->channel, p->msgs[i]->account,
		    p->msgs[i]->conv_id, p->msgs[i]->id);
		if (before[i] == NULL || strcmp(before[i], msgid) != 0)
			fuzz_chan_fail("fb_payload", "Message-Ids differ");
		free(msgid);
		if (strcmp(p->msgs[i]->channel, "messenger") != 0)
			fuzz_chan_fail("fb_payload", "a message of no messenger");
		fuzz_chan_check("fb_payload", p->msgs[i], NULL, 0,
		    fuzz_fb_len);
		p->msgs[i] = NULL;
	}
	if (before[p->n_msgs] != NULL)
		fuzz_chan_fail("fb_payload", "fewer messages the second time");
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
	for (i = 0; i < p->n_refused; i++) {
		if (p->refused[i].what == NULL || p->refused[i].raw == NULL ||
		    p->refused[i].why == NULL || *p->refused[i].why == '\0')
			fuzz_chan_fail("fb_payload", "a refusal without a cause");
		raw = json_loads(p->refused[i].raw, JSON_DECODE_ANY |
		    JSON_ALLOW_NUL, NULL);
		if (raw == NULL)
			fuzz_chan_fail("fb_payload", "a refusal's raw is no JSON");
		json_decref(raw);
	}
}

static void
fuzz_fb_run(const struct meta_config *c, json_t *root)
{
	struct meta_payload	  p;
	char			 *why, **ids;
	size_t			  i;
	int			  rc;

	rc = fb_payload(c, root, &p, &why);
	ids = fuzz_fb_msgids(&p);
	meta_payload_free(&p);
	free(why);
	rc = fb_payload(c, root, &p, &why);
	fuzz_fb_check(&p, rc, why, ids);
	meta_payload_free(&p);
	for (i = 0; ids[i] != NULL; i++)
		free(ids[i]);
	free(ids);
}

static void
fuzz_fb_value(json_t *root, size_t len)
{
	static const struct meta_config	any = { NULL, NULL, NULL };
	static const struct meta_config	one = { FUZZ_FB_PAGE, FUZZ_FB_APP,
		FUZZ_FB_BOT };

	fuzz_fb_len = len;
	fuzz_fb_run(&any, root);
	fuzz_fb_run(&one, root);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_chan_each_value(data, size, fuzz_fb_value);
	return 0;
}
