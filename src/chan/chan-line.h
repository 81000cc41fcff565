/*
 * chan-line.h: what a LINE Messaging API webhook body carries, parsed
 * apart from any request or host (chan-line-parse.c), so that the
 * adapter (chan-line.c), the unit tests and the fuzzer (fuzz-line.c)
 * share it.
 *
 * The promise (checked by tests/fuzz/fuzz-line.c): any JSON value may
 * come in; no crash; every message returned passes json_msg_copy, has
 * channel "line", account, conv_id, id, from_id and a NUL-free text of
 * text_len bytes; every string is bounded by the input; an event that
 * cannot be taken is in refused (its compact JSON and why), never dropped
 * without a word.
 */
#ifndef OMBRE_CHAN_LINE_H
#define OMBRE_CHAN_LINE_H

#include <stddef.h>
#include <stdint.h>

#include "core/core.h"

struct json_t;

/*
 * What an active event lets us do in its conversation: answer with the
 * reply token (single use, about a minute after ms), mark it read with
 * the markAsReadToken. Standby events give none: they are stored, never
 * answered.
 */
struct line_token {
	char	*conv_id;	/* the user, group or room */
	char	*reply_token;	/* or NULL */
	char	*read_token;	/* markAsReadToken, or NULL */
	int64_t	 ms;		/* the event's timestamp, milliseconds */
};

struct line_refused {
	char	*raw;		/* the event's compact JSON */
	char	*why;
};

struct line_payload {
	/*
	 * Ids: a message event's is LINE's message.id (what the content
	 * endpoint, an edit and an unsend name), any other event's its
	 * webhookEventId ("edit.", "unsend." before it for those): a
	 * redelivery stores nothing twice. Standby events' messages are
	 * tagged line-standby.
	 */
	struct msg		**msgs;
	size_t			  n_msgs;
	struct line_token	 *tokens;	/* in the payload's order */
	size_t			  n_tokens;
	struct line_refused	 *refused;
	size_t			  n_refused;
};

/*
 * A LINE webhook body ({"destination":"U...","events":[...]}). account:
 * the channel's bot user id, or NULL to take the destination. Return 0
 * and fill out (zeroed first), or -1 with *why (allocated) when root is
 * not such a body at all. Free with line_payload_free either way.
 */
int line_payload(const char *account, struct json_t *root,
    struct line_payload *out, char **why);
void line_payload_free(struct line_payload *p);

#endif
