/*
 * chan.h: the channel adapters. Each turns one channel's traffic into
 * canonical messages (core's struct msg) for the store; only their host,
 * the syncer (src/sync), runs them, never the console. Telegram and
 * Matrix come with the live channels; the demo channel is here so
 * `ombre --demo` shows an inbox that lives.
 */
#ifndef OMBRE_CHAN_H
#define OMBRE_CHAN_H

#include "base/base.h"
#include "core/core.h"
#include "net/net.h"
#include "store/store.h"

/* chan-demo.c: simulated traffic, deterministic from a seed. */
struct chan_demo;
struct chan_demo *chan_demo_new(uint64_t seed);
void chan_demo_free(struct chan_demo *d);
/*
 * The next message of the simulated traffic, dated now, and how long to
 * wait before it (milliseconds): customers write every few seconds, the
 * bot answers a moment later, and now and then hands the conversation to
 * a human. The caller frees the message (msg_free).
 */
struct msg *chan_demo_next(struct chan_demo *d, int64_t now, int64_t *wait_ms);
/*
 * The demo channel's delivery, on a read-write store: every queued reply
 * a demo channel sends (channel_config_sender: the built-in bot's answers
 * to the simulated customers, an agent's; with deliver=all, every reply)
 * is accepted and marked sent, remote id "demo-<native id>"; the replies
 * sent at the previous call are marked delivered at now
 * (store_outbox_status). 0 and *sent, or -1 with *cause set.
 */
int chan_demo_deliver(struct chan_demo *d, struct store *st, int64_t now,
    long *sent, char **cause);

/*
 * The adapter interface. An adapter runs on its host's loop (the syncer's):
 * it starts requests with net_start and timers with ev_timer_add, and
 * never blocks but to store messages. Whatever it needs of its host
 * (storing, cursors, secrets, the outbox, the quarantine) it asks through
 * the struct chan_host given at start; nothing here knows who the host is.
 */

/* What an adapter is told; the host fills it from its options. */
struct chan_options {
	struct net_options	 net;
	int			 once;		/* poll until nothing is pending */
	int64_t			 poll_timeout_s;
	int64_t			 retry_base_ms;
	int64_t			 retry_cap_ms;
	int			 attempts;	/* once: tries per channel */
	int64_t			 max_wait_ms;	/* the longest wait a server
						 * may ask for (sync.max-wait) */
	/* The store, for an adapter that reads what it answers (e-mail:
	 * the original's headers and text). */
	const struct store_options	*store;
};

/* The states a channel shows (status line, `sync --status`). */
enum chan_state {
	CHAN_STARTING,
	CHAN_CONNECTED,
	CHAN_BACKOFF,		/* an error: trying again at until */
	CHAN_RATE_LIMITED,	/* told to wait until */
	CHAN_CONFLICT,		/* another client polls the same account */
	CHAN_AUTH_FAILED,
	CHAN_FAILED,		/* gave up (once), or cannot start */
	/* Backing off because the store cannot write (host->deliver): */
	CHAN_DISK_FULL,		/* no space left */
	CHAN_STORE_FAILED	/* an input/output or database error */
};

/* How a delivery ended (host->send_done). */
enum chan_send_result {
	CHAN_SENT,		/* the channel took it: remote_id */
	CHAN_SEND_FAILED,	/* refused for good: error says why */
	CHAN_SEND_RETRY,	/* not done, safe to send again after retry_ms */
	CHAN_SEND_UNKNOWN	/* the request left, no answer: never resent */
};

/*
 * What a host call that writes for an adapter (deliver, cursor_save,
 * quarantine) came to. The host has said a failure already (on stderr,
 * and in the channel's state where it stops fetching): the adapter only
 * decides what to do next and never logs it again.
 */
enum chan_status {
	CHAN_OK = 0,
	CHAN_NO_SPACE,		/* the disk is full: nothing of the call counts */
	CHAN_WRITE_FAILED	/* another failure: nothing of the call counts */
};

/*
 * What a channel said later of a reply it took (WhatsApp's statuses,
 * Messenger's deliveries and reads), for host->delivery_status: the reply
 * whose remote id is remote_id, or with remote_id NULL every reply of
 * conv_id sent up to watermark. The host sets found.
 */
struct chan_delivery {
	const char	*remote_id;
	const char	*account;
	const char	*conv_id;
	const char	*status;	/* sent, delivered, read, failed */
	const char	*error;		/* failed: why */
	int64_t		 date;
	int64_t		 watermark;
	int		 found;		/* set by the host: a reply had it */
};

/* A body the webhook receiver spooled (DATA/webhook/spool), as it came. */
struct chan_payload {
	const char	*name;		/* its spool file's name, for messages */
	const char	*body;
	size_t		 len;
};

struct chan_link;
/* An attachment being fetched: the host's, handed back to fetch_done. */
struct chan_fetch;

/* What the host does for an adapter; each call takes the adapter's link. */
struct chan_host {
	/* The state shown by the status line and `sync --status`; error
	 * may be NULL. Never put a secret in it. */
	void	 (*set_state)(struct chan_link *l, enum chan_state state,
		     int64_t until, const char *error);
	/* once: this channel has nothing pending (ok) or cannot be
	 * reached. */
	void	 (*finish)(struct chan_link *l, int ok);
	/*
	 * Deliver messages durably (Maildir files and journal fsynced;
	 * indexed later): only then may the adapter move its cursor.
	 * *delivered says how many were new. Return CHAN_OK, or a failure
	 * with *cause when the store cannot write (a full disk): nothing of
	 * the batch counts, and the channel's back-off shows as disk full.
	 * A message the store refuses is said and skipped.
	 */
	enum chan_status (*deliver)(struct chan_link *l, struct msg **msgs,
		     size_t n, size_t *delivered, char **cause);
	/* Is the message with this Message-Id delivered already? (0 when
	 * the store cannot be read: the caller fetches more, never less.) */
	int	 (*has_message)(struct chan_link *l, const char *msgid);
	/* The adapter's saved cursor under key (allocated), NULL when
	 * none. */
	char	*(*cursor_load)(struct chan_link *l, const char *key);
	/* Save it durably (written, fsynced, renamed); a failure is said
	 * by the host. */
	enum chan_status (*cursor_save)(struct chan_link *l, const char *key,
		     const char *value);
	/* A secret from the channel's KEY or KEY-command (run by /bin/sh,
	 * its first line of output), allocated; NULL with *cause (naming
	 * the key, never the value) when there is none. */
	char	*(*secret)(struct chan_link *l, const char *key, char **cause);
	/* A delivery ended; the host records it (and frees o). */
	void	 (*send_done)(struct chan_link *l, struct store_outgoing *o,
		     enum chan_send_result result, const char *remote_id,
		     const char *error, int64_t retry_ms);
	/* Our own reply came back from the channel (a Matrix echo): it is
	 * sent, whatever its state said. */
	void	 (*outbox_echo)(struct chan_link *l, const char *msgid,
		     const char *remote_id);
	/* An attachment's bytes came (error NULL), or not: the host writes
	 * them under DATA/attachments and notes the path on the message. */
	void	 (*fetch_done)(struct chan_fetch *f, const char *body,
		     size_t len, const char *error);
	/*
	 * Record what the channel said of sent replies (delivered, read,
	 * failed), all of d in one write; each found says whether a reply
	 * had it. A failed one runs the "failed" hooks. CHAN_OK, or a
	 * failure (said) when the store cannot write.
	 */
	enum chan_status (*delivery_status)(struct chan_link *l,
		     struct chan_delivery *d, size_t n);
	/* Tag the conversation holding a message ("+ombre/blocked"). */
	void	 (*conv_tag)(struct chan_link *l, const char *msgid,
		     const char *op);
	/*
	 * Keep raw[0..len) (capped at CHAN_QUARANTINE_MAX) with what it is
	 * ("update", "event", "answer", "message") and why it was refused:
	 * nothing a channel sends is dropped without a word. The same item
	 * again (what and bytes) is kept once. A failure (said on stderr)
	 * sets quarantine_failed: the next deliver refuses, so the cursor
	 * never passes what could not be kept.
	 */
	enum chan_status (*quarantine)(struct chan_link *l, const char *what,
		     const char *raw, size_t len, const char *reason);
};

/* One channel of the config, as its adapter sees it. */
struct chan_link {
	struct ev_loop			*loop;
	struct net			*net;
	const struct chan_options	*opts;
	const struct channel_config	*cc;
	const char			*name;		/* the config's name */
	uint64_t			 rng;		/* for backoff */
	const struct chan_host		*host;
	void				*host_data;	/* the host's own */
	/* Set by host->quarantine when an item could not be kept: the
	 * next host->deliver then fails, so that the cursor does not pass
	 * it. An adapter that skips nothing clears it. */
	int				 quarantine_failed;
	/* Set by the adapter at start: this channel's resend is idempotent
	 * (an exec bridge with idempotent=yes), as its type's may be. */
	int				 idempotent;
};

struct chan_type {
	const char	*name;		/* the channel TYPE of the config */
	/* Start (first request or timer); NULL with *cause when it cannot. */
	void		*(*start)(struct chan_link *l, char **cause);
	void		 (*stop)(void *adapter);
	/* Is a reply on this channel and account the adapter's to send? */
	int		 (*owns)(void *adapter, const char *channel,
			    const char *account);
	/* Start delivering o; host->send_done follows, from the loop. */
	void		 (*send)(void *adapter, struct store_outgoing *o);
	/* A resend reuses the same transaction id (Matrix): a delivery cut
	 * off by a crash may be sent again. */
	int		 idempotent;
	/* Download an attachment by its url (tg-file:...); host->fetch_done
	 * follows, from the loop. NULL: the channel has none to fetch. */
	void		 (*fetch)(void *adapter, const char *url,
			    struct chan_fetch *f);
	/*
	 * Bodies the webhook receiver spooled for this channel, oldest
	 * first: their messages delivered, what they say of our replies
	 * recorded, what cannot be taken quarantined. CHAN_OK when their
	 * spool files may go; else nothing of them counts and the host
	 * tries again later (the same body again stores nothing twice:
	 * ids are the platform's). NULL: no webhook.
	 */
	enum chan_status (*webhook)(void *adapter,
			    const struct chan_payload *p, size_t n);
	/*
	 * A conversation of the channel changed hands in ombre (event
	 * "take-over" or "hand-back", from DATA/feed): the channel's own
	 * ownership follows (Messenger's thread control). NULL: nothing to
	 * do.
	 */
	void		 (*conv_event)(void *adapter, const char *event,
			    const char *account, const char *conv_id);
	/* An agent opened a conversation whose newest customer message is
	 * id: marked read on the channel. NULL: the channel has no reads. */
	void		 (*mark_read)(void *adapter, const char *account,
			    const char *conv_id, const char *id);
};
extern const struct chan_type chan_telegram_type;
extern const struct chan_type chan_matrix_type;
extern const struct chan_type chan_whatsapp_type;
extern const struct chan_type chan_messenger_type;
extern const struct chan_type chan_email_type;
extern const struct chan_type chan_exec_type;
extern const struct chan_type chan_line_type;
extern const struct chan_type chan_twilio_type;

/* chan.c: the adapters by type, and what they share. */
/* The adapter of a channel TYPE of the config, NULL when none polls it
 * (a webhook channel: its messages come with `ombre ingest`). */
const struct chan_type *chan_type_find(const char *type);
/* The delay before retry n (from 0): full jitter under the caps. */
int64_t chan_backoff_ms(struct chan_link *l, int attempt);
/*
 * A poll that failed, *attempt counting the failures in a row: give up
 * (auth refused for good; under --once after sync.attempts, or at once
 * with give_up: -1, the link finished), or the wait before the next try
 * (wait_ms when the server said one, else the backoff), the link's state
 * saying until when.
 */
int64_t chan_failed(struct chan_link *l, int *attempt, enum chan_state state,
    int64_t wait_ms, int give_up, const char *error);
/* A wait a server asks for (ms), bounded: < 0 stays -1 (none asked),
 * else at most opts->max_wait_ms. */
int64_t chan_wait_ms(struct chan_link *l, int64_t ms);
/* The most bytes of a quarantined item kept (the rest is only counted). */
#define CHAN_QUARANTINE_MAX	(1024 * 1024)
/* host->quarantine for a JSON value (its compact text). */
struct json_t;
enum chan_status chan_quarantine_json(struct chan_link *l, const char *what,
    struct json_t *v, const char *reason);
/*
 * Parse a channel's answer whole, even when it holds what jansson refuses:
 * bad strings are repaired (json_repair), then each element of an array
 * that jansson still refuses (an integer above 2^63, nesting too deep) is
 * cut out and quarantined as what. When id_key is not NULL, *max_id is the
 * highest id_key read from the elements cut out (left as it is when none).
 * Return the value (the caller decrefs it), or NULL with *cause when the
 * answer cannot be parsed even so.
 */
struct json_t *chan_json_load(struct chan_link *l, const char *what,
    const char *body, size_t len, const char *id_key, long long *max_id,
    char **cause);

/*
 * chan-telegram.c, chan-matrix.c: what a channel's JSON becomes, apart
 * from any request or host, so that the fuzzers (tests/fuzz) reach it.
 * Any JSON value may come in (the adapters load answers with
 * JSON_ALLOW_NUL, and repair what jansson refuses: chan_json_load). The
 * promise: no crash; a message returned passes json_msg_copy (the store
 * takes it as it is), has channel, account, conv_id, id, from_id and a
 * NUL-free text of text_len bytes, and each of its strings is made of the
 * input's strings (at most a few times the input's JSON text, escapes
 * included). The caller frees it (msg_free).
 */
/*
 * One Telegram Message (an update's message, channel_post,
 * business_message, or their edited_ forms: edited 1) as a message of the
 * bot account. migrations (group id -> supergroup id, an object) is read,
 * and learns a migration from a service message: *learnt is then 1 and
 * the caller keeps it. NULL with *why (allocated) when the message cannot
 * be one (no chat or id, a date out of range, a text that is not a
 * string): the caller quarantines the update.
 */
struct msg *tg_message(const char *account, struct json_t *migrations,
    struct json_t *tm, int edited, int *learnt, char **why);
/* What a Matrix state event says of a room (name, members, bridge,
 * encryption), kept in room: an object, {"members":{}} at first. */
void mx_room_state(struct json_t *room, struct json_t *ev);
/*
 * A Matrix timeline event of room_id as a message of user (@user:server),
 * room being what mx_room_state kept of it. NULL without *why for the
 * events that are no message (state, reactions...); NULL with *why
 * (allocated) for a message event that cannot be one (no id or sender, a
 * date out of range, a body that is not a string, a bridge's network that
 * is no channel name): the caller quarantines the event.
 */
struct msg *mx_event_msg(const char *user, const char *room_id,
    struct json_t *room, struct json_t *ev, char **why);

/* chan-names.c: linked without any adapter, for the console. */
/* Does an adapter sync channels of this TYPE? (chan_type_find says the
 * same, but links every adapter and the network.) */
int chan_type_synced(const char *type);

#endif
