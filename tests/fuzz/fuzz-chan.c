/*
 * fuzz-chan.c: what the channel fuzzers share: the input loaded as an
 * adapter loads an answer, and the promise of chan.h on what comes out.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "chan/chan.h"

#include <jansson.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-chan.h"

/* The longest string a message may hold for len bytes of JSON text: a
 * character escaped by JSON_ENSURE_ASCII (Telegram's entities) grows
 * threefold, and the adapters add a few words of their own. */
#define FUZZ_CHAN_MAX(len)	(3 * (len) + 256)

void
fuzz_chan_fail(const char *what, const char *why)
{
	char	*safe;

	safe = sanitize(why, strlen(why), SANITIZE_LINE, 400);
	fprintf(stderr, "%s: %s\n", what, safe);
	free(safe);
	abort();
}

/* The adapter's quarantine: what it keeps is no concern here. */
static enum chan_status
fuzz_chan_quarantine(struct chan_link *l, const char *what, const char *raw,
    size_t len, const char *reason)
{
	(void)l;
	(void)what;
	(void)raw;
	(void)len;
	(void)reason;
	return CHAN_OK;
}

void
fuzz_chan_each_value(const uint8_t *data, size_t size,
    void (*run)(json_t *root, size_t len))
{
	static const struct chan_host	 host = {
		.quarantine = fuzz_chan_quarantine
	};
	struct chan_link		 link = {
		.name = "fuzz",
		.host = &host
	};
	json_t				*root;
	char				*cause;

	root = json_loadb((const char *)data, size, JSON_ALLOW_NUL, NULL);
	if (root != NULL) {
		run(root, size);
		json_decref(root);
	}
	/* Repaired text is at most 6 times the input (fuzz-json.c). */
	root = chan_json_load(&link, "answer", (const char *)data, size, NULL,
	    NULL, &cause);
	if (root != NULL) {
		run(root, 6 * size);
		json_decref(root);
	}
	free(cause);
}

/* A string field of a message: set when required, never too long. */
static void
fuzz_chan_check_str(const char *what, const char *field, const char *s,
    int required, size_t len)
{
	char	*why;

	if (s == NULL) {
		if (required) {
			why = xasprintf("no %s", field);
			fuzz_chan_fail(what, why);
		}
		return;
	}
	if (strlen(s) > FUZZ_CHAN_MAX(len)) {
		why = xasprintf("%s of %zu bytes from %zu bytes of JSON", field,
		    strlen(s), len);
		fuzz_chan_fail(what, why);
	}
}

void
fuzz_chan_check(const char *what, struct msg *m, char *why, int why_required,
    size_t len)
{
	struct msg	*copy;
	char		*cause = NULL;
	size_t		 i;

	if (m == NULL) {
		if (why == NULL && why_required)
			fuzz_chan_fail(what, "refused without a cause");
		if (why != NULL && *why == '\0')
			fuzz_chan_fail(what, "refused with an empty cause");
		free(why);
		return;
	}
	if (why != NULL)
		fuzz_chan_fail(what, "a message and a cause");
	fuzz_chan_check_str(what, "channel", m->channel, 1, len);
	fuzz_chan_check_str(what, "account", m->account, 1, len);
	fuzz_chan_check_str(what, "conv_id", m->conv_id, 1, len);
	fuzz_chan_check_str(what, "conv_title", m->conv_title, 0, len);
	fuzz_chan_check_str(what, "id", m->id, 1, len);
	fuzz_chan_check_str(what, "from_id", m->from_id, 1, len);
	fuzz_chan_check_str(what, "from_name", m->from_name, 0, len);
	fuzz_chan_check_str(what, "text", m->text, 1, len);
	fuzz_chan_check_str(what, "reply_to", m->reply_to, 0, len);
	fuzz_chan_check_str(what, "edit_of", m->edit_of, 0, len);
	fuzz_chan_check_str(what, "entities", m->entities, 0, len);
	if (strlen(m->text) != m->text_len)
		fuzz_chan_fail(what, "text_len is not the text's length");
	for (i = 0; i < m->n_attachments; i++) {
		fuzz_chan_check_str(what, "attachment name",
		    m->attachments[i].name, 1, len);
		fuzz_chan_check_str(what, "attachment mime",
		    m->attachments[i].mime, 1, len);
		fuzz_chan_check_str(what, "attachment url",
		    m->attachments[i].url, 1, len);
	}
	if ((copy = json_msg_copy(m, &cause)) == NULL)
		fuzz_chan_fail(what, cause);
	msg_free(copy);
	msg_free(m);
}
