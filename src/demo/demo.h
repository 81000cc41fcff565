/*
 * demo.h: the deterministic demo conversation generator (`ombre demo`,
 * `ombre --demo`, the demo channel's traffic, the benchmarks).
 *
 * A layer of its own above core: it builds canonical messages and knows
 * nothing of the store or the screen. Core and its tests never link it.
 */
#ifndef OMBRE_DEMO_H
#define OMBRE_DEMO_H

#include "core/core.h"

/* One conversation's triage state, applied after its messages. */
struct demo_conv_state {
	const char	*channel;
	const char	*account;
	const char	*conv_id;
	char		**tags;		/* NULL-terminated */
	int64_t		 snooze_until;	/* 0 when not snoozed */
};
typedef int (*demo_msg_cb)(const struct msg *m, void *data);
typedef int (*demo_state_cb)(const struct demo_conv_state *s, void *data);
struct demo_params {
	uint64_t	seed;
	long		conversations;
	int		messages_per_conversation;	/* 0: varied, about 6 */
	int64_t		now;
};
/*
 * Generate believable conversations deterministically from params->seed:
 * every message goes to msg_cb in date order within its conversation, then
 * the conversation's state to state_cb. Stop and return the callback's
 * value when it is non-zero; return 0 when done.
 */
int demo_generate(const struct demo_params *params, demo_msg_cb msg_cb,
    demo_state_cb state_cb, void *data);
/*
 * The message and the state handed to the callbacks are the generator's,
 * valid only during the call; either callback may be NULL. Conversation
 * ids are unique per channel for up to 10^8 conversations.
 */

#endif
