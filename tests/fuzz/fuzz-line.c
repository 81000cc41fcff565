/*
 * fuzz-line.c: libFuzzer target for the LINE webhook parser
 * (line_payload, chan-line.h).
 *
 * The input is loaded as the adapter loads a spooled body (fuzz-chan.c)
 * and read twice, with no account configured and with FUZZ_LINE_ACCOUNT.
 * The promise of chan-line.h is checked on everything that comes out: -1
 * only with a cause and nothing kept, 0 without one; every message as
 * chan.h promises and of channel "line"; every token with a conversation
 * and one token at least; every refusal with its JSON and a cause; the
 * same payload read again gives the same Message-Ids.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "chan/chan-line.h"

#include <jansson.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-chan.h"

#define FUZZ_LINE_ACCOUNT	"Uxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"

static size_t	fuzz_line_len;

static char **
fuzz_line_msgids(const struct line_payload *p)
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
fuzz_line_check(struct line_payload *p, int rc, char *why, char **before)
{
	const struct line_token	*t;
	json_t			*raw;
	char			*msgid;
	size_t			 i;

	if (rc == -1) {
		if (why == NULL || *why == '\0')
			fuzz_chan_fail("line_payload", "-1 without a cause");
		if (p->n_msgs + p->n_tokens + p->n_refused != 0)
			fuzz_chan_fail("line_payload", "-1 with items kept");
		free(why);
		return;
	}
	if (rc != 0 || why != NULL)
		fuzz_chan_fail("line_payload", "0 with a cause, or another rc");
	for (i = 0; i < p->n_msgs; i++) {
		msgid = msgid_message(p->msgs[i]->channel, p->msgs[i]->account,
		    p->msgs[i]->conv_id, p->msgs[i]->id);
		if (before[i] == NULL || strcmp(before[i], msgid) != 0)
			fuzz_chan_fail("line_payload", "Message-Ids differ");
		free(msgid);
		if (strcmp(p->msgs[i]->channel, "line") != 0)
			fuzz_chan_fail("line_payload", "a message of no line");
		fuzz_chan_check("line_payload", p->msgs[i], NULL, 0,
		    fuzz_line_len);
		p->msgs[i] = NULL;
	}
	if (before[p->n_msgs] != NULL)
		fuzz_chan_fail("line_payload", "fewer messages the second time");
	for (i = 0; i < p->n_tokens; i++) {
		t = &p->tokens[i];
		if (t->conv_id == NULL || (t->reply_token == NULL &&
		    t->read_token == NULL))
			fuzz_chan_fail("line_payload", "an empty token");
		if (strlen(t->conv_id) > fuzz_line_len)
			fuzz_chan_fail("line_payload", "a token not bounded");
	}
	for (i = 0; i < p->n_refused; i++) {
		if (p->refused[i].raw == NULL || p->refused[i].why == NULL ||
		    *p->refused[i].why == '\0')
			fuzz_chan_fail("line_payload", "a refusal without a cause");
		raw = json_loads(p->refused[i].raw, JSON_DECODE_ANY |
		    JSON_ALLOW_NUL, NULL);
		if (raw == NULL)
			fuzz_chan_fail("line_payload", "a refusal's raw is no JSON");
		json_decref(raw);
	}
}

static void
fuzz_line_run(const char *account, json_t *root)
{
	struct line_payload	  p;
	char			 *why, **ids;
	size_t			  i;
	int			  rc;

	rc = line_payload(account, root, &p, &why);
	ids = fuzz_line_msgids(&p);
	line_payload_free(&p);
	free(why);
	rc = line_payload(account, root, &p, &why);
	fuzz_line_check(&p, rc, why, ids);
	line_payload_free(&p);
	for (i = 0; ids[i] != NULL; i++)
		free(ids[i]);
	free(ids);
}

static void
fuzz_line_value(json_t *root, size_t len)
{
	fuzz_line_len = len;
	fuzz_line_run(NULL, root);
	fuzz_line_run(FUZZ_LINE_ACCOUNT, root);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_chan_each_value(data, size, fuzz_line_value);
	return 0;
}
