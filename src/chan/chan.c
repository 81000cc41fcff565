/*
 * chan.c: the adapters by the channel TYPE of the config, and what they
 * share: backoff, the waits servers ask for, answers parsed whole with
 * what cannot be read cut out and handed to the host's quarantine.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "chan/chan.h"

#include <jansson.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Elements cut out of one answer before it is given up. */
#define CHAN_JSON_CUTS		100

/* Every adapter; chan-names.c lists the same names (the link test of
 * src/chan checks that they agree). */
static const struct chan_type *const chan_types[] = {
	&chan_telegram_type,
	&chan_matrix_type,
	&chan_whatsapp_type,
	&chan_messenger_type,
	&chan_email_type,
	&chan_exec_type,
	&chan_line_type,
	&chan_twilio_type
};

const struct chan_type *
chan_type_find(const char *type)
{
	size_t	i;

	for (i = 0; i < nitems(chan_types); i++)
		if (strcmp(chan_types[i]->name, type) == 0)
			return chan_types[i];
	return NULL;
}

int64_t
chan_backoff_ms(struct chan_link *l, int attempt)
{
	return net_backoff_ms(attempt, l->opts->retry_base_ms,
	    l->opts->retry_cap_ms, &l->rng);
}

int64_t
chan_failed(struct chan_link *l, int *attempt, enum chan_state state,
    int64_t wait_ms, int give_up, const char *error)
{
	(*attempt)++;
	if (state == CHAN_AUTH_FAILED || (l->opts->once &&
	    (*attempt >= l->opts->attempts || give_up))) {
		l->host->set_state(l, state == CHAN_AUTH_FAILED ? state :
		    CHAN_FAILED, 0, error);
		if (l->opts->once) {
			l->host->finish(l, 0);
			return -1;
		}
		/* The token may be fixed by the time the cap passes. */
		wait_ms = l->opts->retry_cap_ms;
	}
	if (wait_ms < 0)
		wait_ms = chan_backoff_ms(l, *attempt - 1);
	if (state != CHAN_AUTH_FAILED)
		l->host->set_state(l, state, (int64_t)time(NULL) +
		    (wait_ms + 999) / 1000, error);
	return wait_ms;
}

enum chan_status
chan_quarantine_json(struct chan_link *l, const char *what, json_t *v,
    const char *reason)
{
	enum chan_status	 rc;
	char			*text;

	text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	if (text == NULL)
		text = xstrdup("(not printable)");
	rc = l->host->quarantine(l, what, text, strlen(text), reason);
	free(text);
	return rc;
}

/*
 * Cut [start, end) out of b with the comma that separates it from its
 * neighbour, so that what remains is still an array.
 */
static void
chan_json_cut(struct buf *b, size_t start, size_t end)
{
	size_t	k = start;

	while (k > 0 && strchr(" \t\r\n", b->data[k - 1]) != NULL)
		k--;
	if (k > 0 && b->data[k - 1] == ',')
		start = k - 1;
	else {
		while (end < b->len && b->data[end] != '\0' &&
		    strchr(" \t\r\n", b->data[end]) != NULL)
			end++;
		if (end < b->len && b->data[end] == ',')
			end++;
	}
	memmove(b->data + start, b->data + end, b->len - end);
	b->len -= end - start;
	b->data[b->len] = '\0';
}

json_t *
chan_json_load(struct chan_link *l, const char *what, const char *body,
    size_t len, const char *id_key, long long *max_id, char **cause)
{
	struct buf	 b;
	json_error_t	 jerr;
	json_t		*root;
	size_t		 fixed, start, end, pos;
	long long	 id;
	char		*reason, *text;
	int		 cuts;

	*cause = NULL;
	buf_init(&b);
	b.data = json_repair(body != NULL ? body : "", body != NULL ? len : 0,
	    &b.len, &fixed);
	b.size = b.len + 1;
	for (cuts = 0; ; cuts++) {
		root = json_loadb(b.data, b.len, JSON_ALLOW_NUL, &jerr);
		if (root != NULL)
			break;
		pos = jerr.position > 0 ? (size_t)jerr.position - 1 : 0;
		if (cuts >= CHAN_JSON_CUTS ||
		    json_repair_element(b.data, b.len, pos, &start, &end) != 0) {
			text = sanitize(jerr.text, strlen(jerr.text),
			    SANITIZE_LINE, 200);
			/* a quarantine reason, as the parsers': not translated */
			*cause = xasprintf("the answer is not JSON (byte %d: %s)",
			    jerr.position, text);
			free(text);
			break;
		}
		if (end >= b.len) {
			/* Cut short: the rest cannot be whole either. */
			/* a quarantine reason: not translated */
			*cause = xstrdup("the answer is not JSON (cut short)");
			break;
		}
		text = sanitize(jerr.text, strlen(jerr.text), SANITIZE_LINE,
		    200);
		reason = xasprintf("not JSON that can be read: %s", text);
		free(text);
		l->host->quarantine(l, what, b.data + start, end - start,
		    reason);
		free(reason);
		if (id_key != NULL && json_repair_scan_int(b.data + start,
		    end - start, id_key, &id) == 0 && id > *max_id)
			*max_id = id;
		chan_json_cut(&b, start, end);
	}
	buf_free(&b);
	return root;
}

int64_t
chan_wait_ms(struct chan_link *l, int64_t ms)
{
	int64_t	cap = l->opts->max_wait_ms > 0 ? l->opts->max_wait_ms :
		    3600 * 1000;

	if (ms < 0)
		return -1;
	return ms > cap ? cap : ms;
}
