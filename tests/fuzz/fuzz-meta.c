/*
 * fuzz-meta.c: what the targets of Meta's webhook parsers check alike
 * (fuzz-meta.h).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "chan/chan-meta.h"

#include <jansson.h>

#include <stdlib.h>
#include <string.h>

#include "fuzz-chan.h"
#include "fuzz-meta.h"

/* The Message-Ids of a payload's messages, NULL-terminated. */
static char **
fuzz_meta_msgids(const struct meta_payload *p)
{
	char	**ids;
	size_t	  i;

	ids = xcalloc(p->n_msgs + 1, sizeof *ids);
	for (i = 0; i < p->n_msgs; i++)
		ids[i] = msgid_message(p->msgs[i]->channel,
		    p->msgs[i]->account, p->msgs[i]->conv_id, p->msgs[i]->id);
	return ids;
}

/* The checks both platforms share; 0 when rc was -1 (nothing more). */
static int
fuzz_meta_check(const char *what, const char *channel,
    struct meta_payload *p, int rc, char *why, char **before, size_t len)
{
	json_t	*raw;
	char	*msgid;
	size_t	 i;

	if (rc == -1) {
		if (why == NULL || *why == '\0')
			fuzz_chan_fail(what, "-1 without a cause");
		if (p->n_msgs + p->n_statuses + p->n_echoes + p->n_refused +
		    p->n_owners != 0)
			fuzz_chan_fail(what, "-1 with items kept");
		free(why);
		return 0;
	}
	if (rc != 0 || why != NULL)
		fuzz_chan_fail(what, "0 with a cause, or another rc");
	for (i = 0; i < p->n_msgs; i++) {
		msgid = msgid_message(p->msgs[i]->channel, p->msgs[i]->account,
		    p->msgs[i]->conv_id, p->msgs[i]->id);
		if (before[i] == NULL || strcmp(before[i], msgid) != 0)
			fuzz_chan_fail(what, "Message-Ids differ");
		free(msgid);
		if (strcmp(p->msgs[i]->channel, channel) != 0)
			fuzz_chan_fail(what, "a message of another channel");
		fuzz_chan_check(what, p->msgs[i], NULL, 0, len);
		p->msgs[i] = NULL;
	}
	if (before[p->n_msgs] != NULL)
		fuzz_chan_fail(what, "fewer messages the second time");
	for (i = 0; i < p->n_refused; i++) {
		if (p->refused[i].what == NULL || p->refused[i].raw == NULL ||
		    p->refused[i].why == NULL || *p->refused[i].why == '\0')
			fuzz_chan_fail(what, "a refusal without a cause");
		raw = json_loads(p->refused[i].raw, JSON_DECODE_ANY |
		    JSON_ALLOW_NUL, NULL);
		if (raw == NULL)
			fuzz_chan_fail(what, "a refusal's raw is no JSON");
		json_decref(raw);
	}
	return 1;
}

void
fuzz_meta_run(const char *what, const char *channel, fuzz_meta_parser parse,
    const struct meta_config *c, json_t *root, size_t len,
    void (*platform)(const struct meta_payload *))
{
	struct meta_payload	  p;
	char			 *why, **ids;
	size_t			  i;
	int			  rc;

	rc = parse(c, root, &p, &why);
	ids = fuzz_meta_msgids(&p);
	meta_payload_free(&p);
	free(why);
	rc = parse(c, root, &p, &why);
	if (fuzz_meta_check(what, channel, &p, rc, why, ids, len))
		platform(&p);
	meta_payload_free(&p);
	for (i = 0; ids[i] != NULL; i++)
		free(ids[i]);
	free(ids);
}
