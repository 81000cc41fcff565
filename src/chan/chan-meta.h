/*
 * chan-meta.h: what a webhook POST of Meta's platforms (WhatsApp Cloud
 * API, Messenger Platform) carries, parsed apart from any request or
 * host (chan-meta-parse.c), so that the adapters (chan-whatsapp.c,
 * chan-messenger.c), the unit tests and the fuzzers share it.
 *
 * The promise (checked by tests/fuzz/fuzz-wa.c and fuzz-fb.c): any JSON
 * value may come in; no crash; every message returned passes
 * json_msg_copy, has channel, account, conv_id, id, from_id and a
 * NUL-free text of text_len bytes; every string is bounded by the input;
 * an item that cannot be taken is in refused (what, its compact JSON,
 * why), never dropped without a word.
 */
#ifndef OMBRE_CHAN_META_H
#define OMBRE_CHAN_META_H

#include <stddef.h>
#include <stdint.h>

#include "core/core.h"

struct json_t;

/* Messenger's Page Inbox (Meta Business Suite's human agents) as an app. */
#define META_PAGE_INBOX_APP_ID	"263902037430900"

/* What the channel's config says the parser needs. */
struct meta_config {
	const char	*account;	/* phone-number-id (WhatsApp) or
					   page-id (Messenger) of the channel;
					   NULL: take the payload's */
	const char	*app_id;	/* ombre's app (Messenger app-id=), or
					   NULL */
	const char	*bot_app_id;	/* the bot's app (bot-app-id=), or NULL */
};

/*
 * What the platform said of one of our sent replies: a WhatsApp status
 * (remote_id set) or a Messenger delivery or read (remote_id set for each
 * of a delivery's mids, or NULL and watermark set: every reply of conv_id
 * sent up to watermark).
 */
struct meta_status {
	char	*remote_id;	/* the wamid / mid our send got back, or NULL */
	char	*status;	/* "sent", "delivered", "read", "failed" */
	int64_t	 date;		/* seconds since the epoch */
	char	*error;		/* failed: "131047 Re-engagement message:
				   <details>", else NULL */
	char	*account;	/* phone-number-id / page-id */
	char	*conv_id;	/* the customer: recipient_id (or
				   recipient_user_id), a read's sender;
				   NULL for a WhatsApp status naming
				   neither */
	int64_t	 watermark;	/* seconds; 0 when remote_id is set */
};

/*
 * One of our own sends that came back (a Messenger message_echoes event
 * whose metadata is "ombre:" and the outbound Message-Id we sent it
 * with): it is the reply outbound, sent as remote_id; nothing is stored
 * for it.
 */
struct meta_echo {
	char	*outbound;	/* out.<uuid>@ombre */
	char	*remote_id;	/* the mid */
};

/* An item that cannot be taken: kept by the adapter in the quarantine. */
struct meta_refused {
	char	*what;		/* "message", "status", "event", "entry",
				   "change" (WhatsApp: another field, another
				   phone number), "error" (WhatsApp's
				   value.errors[]: why is its text) */
	char	*raw;		/* its compact JSON */
	char	*why;
};

struct meta_payload {
	/* Customer messages, agent messages sent from elsewhere (echoes
	 * without our metadata: Meta Business Suite), and ownership changes
	 * (Messenger handovers) as events (kind MSG_EVENT, their tags the
	 * conversation's operations). Ids derive from the platform's (wamid,
	 * mid; a handover's from its time, sender and kind), so the same
	 * payload twice stores nothing twice. */
	struct msg		**msgs;
	size_t			  n_msgs;
	struct meta_status	 *statuses;
	size_t			  n_statuses;
	struct meta_echo	 *echoes;
	size_t			  n_echoes;
	struct meta_refused	 *refused;
	size_t			  n_refused;
	/* Messenger: the last owner of each thread a handover named
	 * ("263902037430900" the Page Inbox), as conv_id and app id pairs,
	 * in the payload's order ("" when another app took the thread
	 * without being named: a take_thread_control without
	 * new_owner_app_id); WhatsApp: none. */
	char			**owner_conv;
	char			**owner_app;
	size_t			  n_owners;
};

/*
 * A WhatsApp Cloud API webhook body ({"object":"whatsapp_business_account",
 * "entry":[{"changes":[{"field":"messages","value":{...}}]}]}). Return 0
 * and fill out (zeroed first), or -1 with *why (allocated) when root is
 * not such a payload at all (the caller answers it as unknown and keeps
 * it whole).
 */
int wa_payload(const struct meta_config *c, struct json_t *root,
    struct meta_payload *out, char **why);
/* A Messenger webhook body ({"object":"page","entry":[{"messaging":[...]}
 * or "standby":[...]]}). The same contract. */
int fb_payload(const struct meta_config *c, struct json_t *root,
    struct meta_payload *out, char **why);
void meta_payload_free(struct meta_payload *p);

#endif
