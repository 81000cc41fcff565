/*
 * chan.h: the channel adapters. Each turns one channel's traffic into
 * canonical messages (core's struct msg) for the store; only the syncer
 * runs them, never the console. Telegram and Matrix come with the live
 * channels; the demo channel is here so `ombre --demo` shows an inbox
 * that lives.
 */
#ifndef OMBRE_CHAN_H
#define OMBRE_CHAN_H

#include <stdio.h>

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

/* chan-sync.c: the one syncing process (design.md, "Sync and delivery"). */
struct sync_options {
	struct store_options	 store;
	struct net_options	 net;
	const char		*only;		/* --channel NAME, or NULL */
	int			 once;		/* poll until nothing is pending */
	int64_t			 poll_timeout_s;
	int64_t			 retry_base_ms;
	int64_t			 retry_cap_ms;
	int			 attempts;	/* --once: tries per channel */
	int64_t			 max_wait_ms;	/* the longest wait a server
						 * may ask for (sync.max-wait) */
};
/*
 * Run the syncer: take the sync lock (DATA/sync.lock, flock, O_CLOEXEC),
 * start every declared channel (or the one named) and run until SIGTERM,
 * SIGINT or SIGHUP, or with once until each channel has nothing pending.
 * Return 0, 1 when a channel could not be reached or started (one line
 * each on stderr), or 75 when another process holds the lock.
 */
int sync_run(const struct sync_options *opts);
/* Print each channel's state as the running (or last) syncer left it,
 * and whether a syncer runs. Return 0, or 1 when nothing is known. */
int sync_status_print(const char *data_dir, FILE *out);
/* Does the config declare a channel the syncer polls? */
int sync_has_channels(void);
/* The pid of the syncer holding the lock, 0 when none, -1 on error. */
long sync_lock_holder(const char *data_dir);

/*
 * What the syncer gives an adapter, and what an adapter calls back. An
 * adapter runs on the syncer's loop: it starts requests with net_start
 * and timers with ev_timer_add, and never blocks but to store messages.
 */
enum chan_state {
	CHAN_STARTING,
	CHAN_CONNECTED,
	CHAN_BACKOFF,		/* an error: trying again at until */
	CHAN_RATE_LIMITED,	/* told to wait until */
	CHAN_CONFLICT,		/* another client polls the same account */
	CHAN_AUTH_FAILED,
	CHAN_FAILED,		/* gave up (--once), or cannot start */
	/* Backing off because the store cannot write (chan_store): */
	CHAN_DISK_FULL,		/* no space left */
	CHAN_STORE_FAILED	/* an input/output or database error */
};
struct chan_link {
	struct ev_loop			*loop;
	struct net			*net;
	const struct sync_options	*opts;
	const struct channel_config	*cc;
	const char			*name;		/* the config's name */
	uint64_t			 rng;		/* for backoff */
	/* Kept by the syncer: */
	enum chan_state			 state;
	int64_t				 until;		/* wall seconds, 0 none */
	char				*error;		/* the last error, or NULL */
	int				 finished;	/* --once: done with it */
	int				 failed;
	void				*adapter;
	const struct chan_type		*type;
	struct sync			*sync;
	/* Quarantined by this run (chan-quarantine.c), and the hashes of
	 * the last ones, so that an answer fetched again is kept once. */
	int				 quarantined;
	uint64_t			 quarantine_seen[16];
	int				 quarantine_failed;	/* not kept: see chan_store */
	/* The store could not write the last batch (a chan_state, 0 when
	 * it could), and why: a back-off then shows as that state. */
	enum chan_state			 store_blocked;
	char				*store_error;
	size_t				 quarantine_next;
};
struct chan_fetch;
/* How a delivery ended (chan_send_done). */
enum chan_send_result {
	CHAN_SENT,		/* the channel took it: remote_id */
	CHAN_SEND_FAILED,	/* refused for good: error says why */
	CHAN_SEND_RETRY,	/* not done, safe to send again after retry_ms */
	CHAN_SEND_UNKNOWN	/* the request left, no answer: never resent */
};
struct chan_type {
	const char	*name;		/* the channel TYPE of the config */
	/* Start (first request or timer); NULL with *cause when it cannot. */
	void		*(*start)(struct chan_link *l, char **cause);
	void		 (*stop)(void *adapter);
	/* Is a reply on this channel and account the adapter's to send? */
	int		 (*owns)(void *adapter, const char *channel,
			    const char *account);
	/* Start delivering o; chan_send_done follows, from the loop. */
	void		 (*send)(void *adapter, struct store_outgoing *o);
	/* A resend reuses the same transaction id (Matrix): a delivery cut
	 * off by a crash may be sent again. */
	int		 idempotent;
	/* Download an attachment by its url (tg-file:...); chan_fetch_done
	 * follows, from the loop. NULL: the channel has none to fetch. */
	void		 (*fetch)(void *adapter, const char *url,
			    struct chan_fetch *f);
};
extern const struct chan_type chan_telegram_type;
extern const struct chan_type chan_matrix_type;

/* The state shown by the status line and `sync --status`; error may be
 * NULL. Never put a secret in it. */
void chan_set_state(struct chan_link *l, enum chan_state state,
    int64_t until, const char *error);
/* --once: this channel has nothing pending (ok) or cannot be reached. */
void chan_finish(struct chan_link *l, int ok);
/* Store messages durably (delivered: files and journal fsynced; indexed
 * later by a child): only then may the adapter move its cursor. Return 0,
 * or -1 with *cause when the store cannot write (a full disk): nothing of
 * the batch counts, and the channel's back-off shows as disk full. A
 * message the store refuses is said and skipped. */
int chan_store(struct chan_link *l, struct msg **msgs, size_t n,
    size_t *stored, char **cause);
/* Is the message with this Message-Id stored already? (0 when the store
 * cannot be read: the caller fetches more, never less.) */
int chan_stored(struct chan_link *l, const char *msgid);
/* The adapter's saved cursor under key (allocated), NULL when none. */
char *chan_cursor_load(struct chan_link *l, const char *key);
/* Save it durably (written, fsynced, renamed). Return 0 or -1. */
int chan_cursor_save(struct chan_link *l, const char *key, const char *value);
/* A secret from the channel's KEY or KEY-command (run by /bin/sh, its
 * first line of output); NULL with *cause (naming the key, never the
 * value) when there is none. */
char *chan_secret(struct chan_link *l, const char *key, char **cause);
/* A delivery ended; the syncer records it (and frees o). */
void chan_send_done(struct chan_link *l, struct store_outgoing *o,
    enum chan_send_result result, const char *remote_id, const char *error,
    int64_t retry_ms);
/* An attachment's bytes came (error NULL), or not: the syncer writes
 * them under DATA/attachments and notes the path on the message. */
void chan_fetch_done(struct chan_fetch *f, const char *body, size_t len,
    const char *error);
/* Ask the syncer to fetch attachment index of a message (any process). */
int chan_fetch_request(const char *data_dir, const char *msgid, size_t index,
    char **cause);
/* Ask for every attachment of these messages not fetched yet; *asked
 * says how many. Return 0, or -1 with the first failure in *cause. */
int chan_fetch_messages(const char *data_dir, struct msg **msgs, size_t n,
    int *asked, char **cause);
/* Tag the conversation holding a message ("+ombre/blocked"). */
void chan_conv_tag(struct chan_link *l, const char *msgid, const char *op);
/* Our own reply came back from the channel (a Matrix echo): it is sent,
 * whatever its state said. */
void chan_outbox_echo(struct chan_link *l, const char *msgid,
    const char *remote_id);
/* The delay before retry n (from 0): full jitter under the caps. */
int64_t chan_backoff_ms(struct chan_link *l, int attempt);

/*
 * chan-quarantine.c: what a channel sends that ombre cannot take. Nothing
 * is dropped without a word: it is kept under DATA/sync/quarantine, one
 * file an item, counted in the status file and listed by
 * `ombre sync --quarantine`.
 */
/* The most bytes of an item kept (the rest is only counted). */
#define CHAN_QUARANTINE_MAX	(1024 * 1024)
/*
 * Keep raw[0..len) (capped at CHAN_QUARANTINE_MAX) with what it is
 * ("update", "event", "answer", "message") and why it was refused, in a
 * new file named from the channel, the time and a counter (never from the
 * data), written whole. The same item again (what and bytes) is kept
 * once. Return 0, or -1 when it cannot be written (said on stderr).
 */
int chan_quarantine(struct chan_link *l, const char *what, const char *raw,
    size_t len, const char *reason);
/* The same, for a JSON value (its compact text). */
struct json_t;
int chan_quarantine_json(struct chan_link *l, const char *what,
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
/* A wait a server asks for (ms), bounded: < 0 stays -1 (none asked),
 * else at most sync.max-wait. */
int64_t chan_wait_ms(struct chan_link *l, int64_t ms);
/* Files under DATA/sync/quarantine, or -1 when it cannot be read. */
int chan_quarantine_count(const char *sync_dir);
/* `ombre sync --quarantine`: each item's channel, date, kind, reason,
 * size and a sanitised excerpt. Return 0. */
int sync_quarantine_print(const char *data_dir, FILE *out);

#endif
