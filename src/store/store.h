/*
 * store.h: ombre's message store on notmuch. The only layer that includes
 * notmuch.h; everything above sees opaque handles, core structs and status
 * codes, documented here like an API.
 *
 * Layout of a data dir (created 0700, or with the mode of a group-shared
 * parent such as 2770):
 *   DIR/notmuch-config      the notmuch config ombre passes explicitly
 *   DIR/mail/               the notmuch database path and mail root
 *   DIR/mail/ombre/{tmp,new,cur}   the Maildir chat messages are delivered to
 *   DIR/mail/.notmuch/      the Xapian database
 *   DIR/journal/            names of delivered files not yet indexed, one
 *                           file per writing process (crash recovery)
 *   DIR/dumps/              the last few dumps of the tags and properties
 *                           (notmuch dump's text), dump-TIME.txt
 *   DIR/notmuch.broken-TIME/   a damaged database `ombre doctor --fix` moved
 *                           aside before rebuilding the index
 *   DIR/bot-scenario        the bot every built-in bot of the data dir gives
 *                           way to (`bot-scenario NAME`), one line
 * With `set store.database PATH`, the database and mail root are the
 * user's and chat messages go to PATH/ombre/; DIR/notmuch-config then
 * names PATH, so the user's own notmuch config is never read.
 */
#ifndef OMBRE_STORE_H
#define OMBRE_STORE_H

#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#include "core/core.h"

/*
 * The store's one error convention: a function that can fail returns a
 * status and, on failure, sets *cause to an allocated message saying what
 * failed (the caller frees it). An operation that writes runs in one
 * transaction and commits all of it or nothing.
 */
enum store_status {
	STORE_OK = 0,
	STORE_DUPLICATE,	/* the message is stored already: not an error */
	STORE_LOCKED,		/* another process holds the write lock past the ceiling */
	STORE_NOT_FOUND,
	STORE_AMBIGUOUS,	/* a CONV query matched several conversations */
	STORE_BAD_INPUT,
	STORE_REFUSED,		/* against the channel's rules: limit, reply window */
	STORE_HELD,		/* the double-answer guard: the conversation moved */
	STORE_IO_ERROR,		/* the store cannot write: EIO, EROFS, ... */
	STORE_DB_ERROR,		/* the database failed (a Xapian error) */
	STORE_FULL		/* no space left on the device (or quota) */
};
/*
 * Does a status say the store could not write (as opposed to a message it
 * refuses)? A caller fetching from a channel then stops and keeps its
 * cursor: nothing it has not stored may be acknowledged.
 */
int store_status_cannot_write(enum store_status status);
/* A static description of a status. */
const char *store_status_str(enum store_status status);

struct store;

enum store_mode {
	STORE_READ_ONLY,
	STORE_READ_WRITE,
	/*
	 * Delivery only, never the database (the syncer's fetch path):
	 * store_ingest writes the file to tmp/, store_flush journals the
	 * batch and renames it into new/, both fsynced, and the messages are
	 * then durable. They are indexed by the next read-write open of the
	 * store (any process: it recovers journals nobody holds), once
	 * store_deliver_release has let go of the journal.
	 */
	STORE_DELIVER
};

/* Called once when a read-write open starts waiting for the lock. */
typedef void (*store_wait_cb)(void *data);

struct store_options {
	const char	*data_dir;		/* required */
	const char	*database;		/* an existing notmuch database, or NULL */
	double		 lock_timeout;		/* seconds a read-write open may wait */
	int		 batch_messages;	/* messages per transaction */
	int		 batch_ms;		/* milliseconds per transaction */
	store_wait_cb	 on_wait;
	void		*on_wait_data;
	/* With database: the user's mail that shows in ombre's lists and
	 * counts (an email channel's query=), NULL for all of it. */
	const char	*mail_query;
};

/*
 * Open the store, creating the data dir and database on first use. A
 * read-write open first recovers what crashed writers left (files
 * delivered but not indexed, tmp/ files of dead processes); when another
 * process holds the lock it calls on_wait once and waits up to
 * lock_timeout, then fails with STORE_LOCKED. On failure *cause is set
 * and *out NULL; on success *out is the caller's, freed by store_close.
 */
enum store_status store_open(const struct store_options *opts, enum store_mode mode,
    struct store **out, char **cause);
/* Commit pending work and close. */
enum store_status store_close(struct store *st);
/*
 * A team's data dir (setgid and group-writable, the README's 2770): give
 * each path, and with STORE_SHARE_ENTRIES what a folder holds, the data
 * dir's group and the group's read and write (a folder: and search and
 * setgid) when this process may (it owns the path, or is root). Return
 * NULL when every path is right or was made right (one not there is
 * right), else an allocated sentence naming the first that is not and the
 * way out: "DIR/mail/.notmuch/xapian/flintlock: mode 0640, the group sup
 * cannot write it: run ombre doctor --fix as ana (its owner) or root". A
 * private data dir is never checked. The store's own paths are checked by
 * store_open; the syncer checks its own with it.
 */
#define STORE_SHARE_ENTRIES	0x1
char *store_share_fix(const char *data_dir, const char *path, int flags);
/* Return 1 when another process holds the write lock (never waits). */
int store_is_locked(const char *data_dir, const char *database);
/* Re-open a read-only handle when the database changed; return 1 when the
 * revision moved since the last call, 0 when not, -1 on error. The last
 * call may have been anyone's: a reader with several things to refresh
 * keeps its own store_revision (the console's ui_refresh). */
int store_refresh(struct store *st);
/* The database's revision (lastmod). */
uint64_t store_revision(struct store *st);
/* The notmuch config path ombre uses for this store (for tests and docs). */
const char *store_config_path(struct store *st);

/* store-ingest.c */
struct store_ingest_stats {
	long	stored;
	long	duplicates;
	long	failed;
};
/*
 * Deliver a message: a Maildir file written O_EXCL in tmp/, fsynced,
 * renamed into new/, then indexed with its tags and properties. Messages
 * are batched: a message is durable once store_flush returns STORE_OK (or
 * a later store_ingest started a new batch). Return STORE_DUPLICATE when
 * its Message-Id is stored already (nothing written; STORE_DELIVER only
 * knows its own batch: a duplicate delivered there is dropped when it is
 * indexed), STORE_BAD_INPUT for a message the store refuses (a field out
 * of range: nothing written), or a status for which
 * store_status_cannot_write holds: the message is not stored, and when a
 * batch failed, none of the messages since the last successful flush is
 * (their tmp/ files are removed).
 */
enum store_status store_ingest(struct store *st, const struct msg *m, char **cause);
/* Finish the batch: journal, rename, fsync (then, read-write, index and
 * commit). On failure nothing of the batch is left in tmp/. */
enum store_status store_flush(struct store *st, char **cause);
/* Messages written to tmp/ and waiting for store_flush. */
size_t store_pending_count(struct store *st);
/*
 * STORE_DELIVER: let go of the journal of what was delivered so far, so
 * that the next read-write open indexes it (the next flush starts a new
 * one). Return how many messages it listed.
 */
size_t store_deliver_release(struct store *st);
/* Counters since the store was opened. */
void store_ingest_stats(struct store *st, struct store_ingest_stats *stats);
/* Is a message with this Message-Id (no angle brackets) stored? */
int store_has_message(struct store *st, const char *msgid);
/* Set a property on every message of the conversation holding the message
 * msgid (snooze-until and the like), replacing earlier values. */
enum store_status store_conv_set_property(struct store *st, const char *msgid,
    const char *key, const char *value, char **cause);

/* store-query.c */
struct store_conv {
	char		*thread_id;	/* 16 hex digits */
	char		*short_id;	/* thread id without leading zeros */
	char		*channel;
	char		*account;
	char		*conv_id;
	char		*title;
	char		*customer_id;
	char		*customer_name;
	char		*snippet;	/* text of the newest message, unsanitised
					   (an e-mail's without quotes,
					   attribution or signature) */
	enum msg_kind	 last_kind;	/* who wrote the newest message */
	int64_t		 newest;	/* date of the newest message */
	int64_t		 waiting_since;	/* oldest customer message not answered, 0 none */
	int		 first_wait;	/* no agent answered since it (re)opened:
					   the wait is for a first response */
	int64_t		 sla_breach;	/* date of its newest sla-breach event, 0 none */
	int		 total;
	int		 unread;
	char		**tags;		/* NULL-terminated */
	size_t		 n_tags;
	/* What the agent sees of it (the stable query): the Message-Ids of
	 * its messages and of its unread ones when it was read. */
	char		**msg_ids;	/* NULL-terminated */
	char		**unread_ids;	/* NULL-terminated */
	char		 *handoff_reason; /* why its newest handoff, or NULL */
	int		 unanswered;	/* customer messages since waiting_since */
	int		 risk;		/* the public-risk score, set by a
					   sort=risk query only */
	char		*subject;	/* an e-mail's, "Re:" cut, unsanitised;
					   NULL on other channels */
};
void store_conv_free(struct store_conv *c);
/* The public-risk score of a conversation at now, from its row alone
 * (risk.c): free out with risk_free. */
void store_conv_risk(const struct store_conv *c, int64_t now,
    struct risk *out);
/* Does any message of the conversation have this tag? */
int store_conv_has_tag(const struct store_conv *c, const char *tag);

/*
 * The page [offset, offset+limit) of the conversations matching a notmuch
 * query, newest activity first. It searches growing date windows from the
 * newest message backwards and stops once the page is full, so the first
 * page never builds every thread. *out is an array of *n conversations,
 * freed with store_convs_free.
 */
enum store_status store_query_convs(struct store *st, const char *query,
    long offset, long limit, struct store_conv ***out, size_t *n, char **cause);
/* The conversation of a thread id (*out, store_conv_free), or
 * STORE_NOT_FOUND with *cause "no conversation ID". */
enum store_status store_conv_of_thread(struct store *st,
    const char *thread_id, struct store_conv **out, char **cause);
/*
 * The same in a view's order: VIEW_SORT_NEWEST is store_query_convs;
 * VIEW_SORT_WAITING reads every matching conversation and sorts them by
 * waiting_since, the longest waiting first, those not waiting last
 * (newest first among them): for views of few conversations (Needs
 * human), never the whole store. VIEW_SORT_RISK reads them the same way
 * and sorts them by store_conv_risk, the highest first, then as waiting.
 */
enum store_status store_query_convs_sorted(struct store *st, const char *query,
    enum view_sort sort, long offset, long limit, struct store_conv ***out,
    size_t *n, char **cause);
void store_convs_free(struct store_conv **convs, size_t n);
/* Count conversations and unread conversations matching a query. Slow on
 * big stores: never called on the way to a first page. */
enum store_status store_count_convs(struct store *st, const char *query,
    long *total, long *unread, char **cause);

/* store-outbox.c */
/*
 * Replies waiting for the syncer (design.md, "Sync and delivery"): each
 * is a message in the Maildir, Message-Id out.<uuid>@ombre, tagged
 * ombre/outbox, its state in the property ombre.outbox: queued, sending,
 * sent, failed or unknown (the request left, no answer came).
 */
struct store_outgoing {
	char	*msgid;		/* without angle brackets */
	char	*native_id;	/* out.<uuid> */
	char	*state;
	char	*channel;
	char	*account;
	char	*conv_id;
	char	*text;
	char	*reply_to;	/* the channel's id of the message answered */
	char	*error;		/* why it failed or is unknown, or NULL */
	char	*template_name;	/* the channel-approved template it is, or NULL */
	int64_t	 date;
	int	 bot;		/* the built-in bot's answer, not a human's */
};
void store_outgoing_free(struct store_outgoing *o);
/* Store a reply (m->id from msgid_outbound, kind agent) as queued; approved
 * names the channel-approved template it is (property ombre.template), or
 * NULL. */
enum store_status store_outbox_add(struct store *st, const struct msg *m,
    const char *approved, char **cause);
/* Every reply still in ombre/outbox (with failed: and in ombre/failed),
 * oldest first. */
enum store_status store_outbox_list(struct store *st, int with_failed,
    struct store_outgoing ***out, size_t *n, char **cause);
/*
 * Move a reply to a state, durably (committed) before it returns: sent
 * (-ombre/outbox +ombre/sent, remote_id kept), failed (-ombre/outbox
 * +ombre/failed, error kept), or queued, sending, unknown (still in the
 * outbox).
 */
enum store_status store_outbox_set(struct store *st, const char *msgid,
    const char *state, const char *remote_id, const char *error,
    char **cause);
/* The same, only when the reply's state is one of expect (separated by
 * commas); else STORE_REFUSED and nothing changes. */
enum store_status store_outbox_move(struct store *st, const char *msgid,
    const char *expect, const char *state, const char *remote_id,
    const char *error, char **cause);

/*
 * What the channel said later of a reply it took (WhatsApp statuses,
 * Messenger deliveries and reads). The reply of channel and account whose
 * ombre.remote-id is remote_id gets status at date: "delivered" or
 * "read" (properties ombre.delivery and ombre.delivery-date, seconds; a
 * status never goes down: a delivered after a read changes nothing;
 * "sent" only confirms and changes nothing), or "failed" with error (a
 * sent or delivered reply moved to failed: -ombre/sent +ombre/failed,
 * ombre.outbox failed, the error kept, its delivery removed; a read one
 * stays read). Only a reply whose state is sent moves: a queued one (a
 * failed reply resent keeps its old remote id), a failed or a discarded
 * one does not, and that is not an error (STORE_OK). STORE_NOT_FOUND
 * when no reply has that remote id (not ours, or its send is not
 * recorded yet); STORE_BAD_INPUT for another status. Committed before it
 * returns; a write that fails (a full disk: STORE_FULL) changes nothing.
 * The store queues no hook: the caller (the syncer) queues the "failed"
 * hook's feed line for the reply, whose Message-Id and state before the
 * change store_outbox_find_remote gives.
 */
enum store_status store_outbox_status(struct store *st, const char *channel,
    const char *account, const char *remote_id, const char *status,
    int64_t date, const char *error, char **cause);
/* The same for every sent reply of the conversation (channel, account,
 * conv_id) dated up to watermark, seconds (Messenger's reads and
 * deliveries), which is also the ombre.delivery-date it gets; *changed
 * says how many moved. One transaction: all of them or none. */
enum store_status store_outbox_status_until(struct store *st,
    const char *channel, const char *account, const char *conv_id,
    const char *status, int64_t watermark, long *changed, char **cause);
/* The reply of channel and account sent as remote_id: its Message-Id
 * (allocated, without angle brackets) and, when state is not NULL, its
 * ombre.outbox state (allocated, or NULL); STORE_NOT_FOUND when none. */
enum store_status store_outbox_find_remote(struct store *st,
    const char *channel, const char *account, const char *remote_id,
    char **msgid, char **state, char **cause);

/*
 * A reply's delivery decided by the agent (an "unknown" one may have gone
 * out): resend (back to queued: from unknown or failed), mark-sent (from
 * unknown), discard (from queued, unknown or failed: out of the outbox,
 * state discarded, never sent). Checked and changed under the write lock,
 * so the syncer cannot take a discarded reply.
 */
enum store_outbox_action {
	STORE_OUTBOX_RESEND,
	STORE_OUTBOX_MARK_SENT,
	STORE_OUTBOX_DISCARD
};
enum store_status store_outbox_decide(struct store *st, const char *msgid,
    enum store_outbox_action action, char **cause);

/* store-reply.c: a reply or a note for a conversation (see the file). */
struct store_reply_context {
	char	*thread_id;
	char	*conv_key;	/* msgid_thread() of the destination */
	char	*channel;	/* where a reply goes: the customer's side */
	char	*account;
	char	*conv_id;
	char	*conv_title;
	char	*customer_name;	/* as the customer's last message gives it */
	char	*newest;	/* Message-Id of the newest message (not a note) */
	char	*seen;		/* the Message-Ids of the newest STORE_SEEN_MAX
				   messages (not notes), oldest first, separated
				   by spaces: what the agent has in view */
	int64_t	 last_customer;	/* date of the customer's newest message, 0 */
	char	*reply_to;	/* the channel's id of the customer's newest
				   message, or NULL */
};
enum store_status store_reply_context(struct store *st, const char *conv,
    struct store_reply_context **out, char **cause);
/* The same from a thread's messages already read (NULL when none). */
struct store_reply_context *store_reply_context_of(const char *thread_id,
    struct msg *const *msgs, size_t n);
void store_reply_context_free(struct store_reply_context *c);
/* Why the text may not be sent on this channel now (no declared channel
 * sends it: channel_config_sender; its limit; its reply window: a
 * channel-approved template, approved, is sendable outside it), or NULL;
 * a note is never refused. */
char *store_reply_refusal(const struct store_reply_context *c,
    const char *text, size_t len, int note, const char *approved, int64_t now);
/*
 * The double-answer guard: STORE_HELD and *changes (one line per message)
 * when the conversation has messages (not notes, not self: an out.<uuid>,
 * not agent's own events, NULL: anyone's count) that are not in seen (as store_reply_context gave it when the draft
 * began), or with seen NULL that come after the message base. Set
 * membership, not dates: the channel's clock and ours may disagree.
 */
#define STORE_SEEN_MAX	50
enum store_status store_reply_guard(struct store *st, const char *thread_id,
    const char *seen, const char *base, const char *self, const char *agent,
    char **changes, char **cause);
struct store_reply {
	const char	*conv;		/* CONV, as store_resolve_conv takes it */
	const char	*text;
	size_t		 text_len;
	int		 note;		/* an internal note: stored, never sent */
	const char	*agent;		/* who writes; NULL: core_agent_name() */
	const char	*outbound;	/* the id to store it under, or NULL */
	const char	*seen;		/* the guard's view, or NULL */
	const char	*base;		/* or the newest message seen, or NULL:
					   no guard */
	int		 force;		/* send although the guard holds it */
	const char	*approved;	/* the text is this channel-approved
					   template, or NULL */
	const char	*reply_to;	/* the channel's id of the customer's
					   message it answers (WhatsApp's
					   context), or NULL */
	int		 take_over;	/* a reply takes a bot or handoff
					   conversation over (reply.takes-over),
					   in the same transaction */
	int64_t		 now;
};
/*
 * Store a reply in the outbox (queued) or a note. *id is its native id
 * (out.<uuid>). STORE_DUPLICATE when r->outbound is stored already (a
 * resend after a crash: nothing stored twice); STORE_REFUSED with the
 * reason in *cause; STORE_HELD with *changes.
 */
enum store_status store_reply_add(struct store *st, const struct store_reply *r,
    char **id, char **changes, char **cause);

/* One message by its Message-Id (attachments' local paths filled in). */
enum store_status store_message_get(struct store *st, const char *msgid,
    struct msg **out, char **cause);
/* An attachment fetched into the data dir: where it is. */
enum store_status store_attachment_saved(struct store *st, const char *msgid,
    size_t index, const char *path, char **cause);

/* store-draft.c: replies and notes being written (see the file's head
 * for the format), one per agent, conversation and kind, saved whole and
 * fsynced at each call: DIR/drafts/AGENT/. */
struct store_draft {
	char	*conv;		/* the conversation: msgid_thread() */
	char	*agent;
	int	 note;		/* an internal note, not a reply */
	char	*seen;		/* the guard's view when begun (store_reply_context) */
	int64_t	 began;
	char	*outbound;	/* being stored under this id (out.<uuid>) */
	char	*title;		/* who it is for, as shown (untrusted) */
	char	*text;
	size_t	 text_len;
};
void store_draft_free(struct store_draft *d);
int store_draft_save(const char *data_dir, const struct store_draft *d,
    char **cause);
/* The agent's draft of a kind for a conversation; NULL when there is none
 * (*cause NULL) or it cannot be read (*cause set). */
struct store_draft *store_draft_load(const char *data_dir, const char *agent,
    const char *conv, int note, char **cause);
int store_draft_remove(const char *data_dir, const char *agent,
    const char *conv, int note);
/* Every draft of the agent, oldest first; files that do not parse are
 * named in *errors (allocated strings). */
size_t store_draft_list(const char *data_dir, const char *agent,
    struct store_draft ***out, char ***errors, size_t *n_errors);

/* store-presence.c: what each console on the data dir shows (DIR/presence/,
 * one file per console process). */
#define STORE_PRESENCE_BEAT	5	/* seconds between rewrites */
#define STORE_PRESENCE_TTL	15	/* seconds after which an entry is stale */
struct store_presence {
	char	*agent;
	pid_t	 pid;
	char	*conv;		/* msgid_thread() of the conversation, or NULL */
	int	 typing;
	int64_t	 when;
};
/* Say what this console shows (conv NULL: the list) and whether its agent
 * types. 0 or -1. */
int store_presence_announce(const char *data_dir, const char *agent,
    const char *conv, int typing);
void store_presence_leave(const char *data_dir);
/* The other consoles' entries that are not stale; stale ones are removed. */
size_t store_presence_read(const char *data_dir, int64_t now,
    struct store_presence ***out);
void store_presences_free(struct store_presence **list, size_t n);

/* store-counts.c */
/*
 * Conversation counts of several queries (the views), kept up to date
 * from the database's changes: store_counts_build walks each query once;
 * store_counts_update then reads only what changed since (a lastmod:
 * delta) and looks again at the conversations it touched. A query that
 * fails stays uncounted. At most STORE_COUNTS_MAX queries are counted.
 */
#define STORE_COUNTS_MAX 64
struct store_counts;
struct store_counts *store_counts_new(const char *const *queries, size_t n);
void store_counts_free(struct store_counts *sc);
/* The number of queries counted (n, capped). */
size_t store_counts_size(const struct store_counts *sc);
/* Walk every query; progress (may be NULL) is called after each. */
enum store_status store_counts_build(struct store *st, struct store_counts *sc,
    void (*progress)(struct store_counts *, size_t, void *), void *arg);
/* Take in the changes since the last build or update (a no-op when the
 * revision has not moved). */
enum store_status store_counts_update(struct store *st, struct store_counts *sc);
/* Query i's counts: -1 when it has none, else 1 when the last build or
 * update changed them, 0 when not. */
int store_counts_get(const struct store_counts *sc, size_t i, long *total,
    long *unread);
/* How many conversations the last update looked at again. */
long store_counts_touched(const struct store_counts *sc);

/*
 * Resolve CONV to one thread id (allocated): a short id as `list` shows it,
 * 16 hex digits or thread:ID, else a query that must match exactly one
 * conversation (STORE_AMBIGUOUS otherwise).
 */
enum store_status store_resolve_conv(struct store *st, const char *conv,
    char **thread_id, char **cause);
/* CONV as a query any replica of the store resolves to the same
 * conversation (id:"<its oldest Message-Id>"): allocated. */
enum store_status store_conv_portable(struct store *st, const char *conv,
    char **query, char **cause);
/* Every message of a thread, oldest first, as canonical messages (with
 * their current tags in m->tags). */
enum store_status store_thread_messages(struct store *st, const char *thread_id,
    struct msg ***out, size_t *n, char **cause);
void store_msgs_free(struct msg **msgs, size_t n);
/* A header of the message with this Message-Id (no <>), as notmuch
 * decodes it: allocated, NULL when there is none. */
char *store_message_header(struct store *st, const char *msgid,
    const char *header);

/* store-feed.c: DATA/feed, the indexed items to hear of at once (events,
 * handoffs, customer messages), for hooks and the consoles' bell. */
struct store_feed_item {
	char	 event[32];	/* closed, handoff, message, ... */
	char	 thread_id[17];
	char	*msgid;		/* the message or event indexed */
};
/* A feed line about the whole data dir (crisis), not a conversation. */
#define STORE_FEED_NO_THREAD	"----------------"
struct store_feed;
/* Follow the feed from its end (or from its start). */
struct store_feed *store_feed_open(const char *data_dir, int from_start);
/* The next item: 1 (clear it with store_feed_item_clear), or 0 for none
 * yet. */
int store_feed_next(struct store_feed *f, struct store_feed_item *item);
void store_feed_item_clear(struct store_feed_item *item);
void store_feed_close(struct store_feed *f);
/* Append a line of no conversation (thread all zeros): "spike" and its
 * token (spike.c). */
void store_feed_line(struct store *st, const char *event, const char *id);

/* store-bot.c */
/*
 * The data dir's bot scenario, DATA/bot-scenario: the bot that answers
 * in place of every channel's own, whichever process indexes (a
 * read-write open reads it and gives it to core's bot_scenario_set_data,
 * over a config file's bot-scenario). Write name (a bot name; "-" or
 * NULL removes the file), whole (tmp, fsync, rename) and group-writable
 * as the data dir allows: STORE_OK, or a status and *cause.
 */
enum store_status store_bot_scenario_write(const char *data_dir,
    const char *name, char **cause);
/* The scenario DATA/bot-scenario names (allocated), or NULL for none (no
 * file, or not a bot name). */
char *store_bot_scenario_read(const char *data_dir);

/* store-crisis.c */
/*
 * Crisis mode's DATA/crisis (crisis.c's text): written whole (tmp, fsync,
 * rename) and group-writable as the data dir allows, NULL removing it;
 * STORE_OK, or a status and *cause.
 */
enum store_status store_crisis_write(const char *data_dir,
    const struct crisis *c, char **cause);
/* The data dir's crisis (free with crisis_free), NULL for none. */
struct crisis *store_crisis_read(const char *data_dir);
/* Has DATA/crisis changed since *stamp (0 at first)? One stat: 1 and
 * *stamp updated, else 0. What a console asks on its timer. */
int store_crisis_changed(const char *data_dir, int64_t *stamp);
/*
 * The crisis c going on (on) or off, on a read-write store: an event
 * crisis-on or crisis-off ("crisis on: TOPIC") in each open conversation
 * (tag:inbox) matching the topic's query, then one feed line "crisis
 * STORE_FEED_NO_THREAD on|off". *n_events says how many; STORE_OK, or a
 * status and *cause.
 */
enum store_status store_crisis_events(struct store *st,
    const struct crisis *c, int on, size_t *n_events, char **cause);

/* store-event.c */
/*
 * A change of a conversation's state, recorded as an event in it (kind
 * event, never sent): indexing the event applies its operations to the
 * whole conversation (store-ingest.c), so the change and its history are
 * one write, and a crash leaves both or neither.
 */
struct store_event {
	const char	 *thread_id;	/* the conversation */
	const char	 *type;		/* closed, take-over, ... (triage_action_event) */
	const char	 *agent;	/* who; NULL: core_agent_name() */
	const char	 *reason;	/* or NULL */
	char *const	 *ops;		/* the conversation's operations */
	char *const	 *seen;		/* the Message-Ids the agent saw (a
					   closing action then spares what
					   came since), or NULL */
	int64_t		  until;	/* snoozed: until when */
	int		  force;	/* assigned: even to an away agent */
};
/*
 * Record events (one a conversation) in one transaction (a batch: past
 * store.batch-messages of them, several). Each conversation is found
 * first: one that cannot be read fails the call before anything is
 * written. A conversation ombre did not write (a user's own mail) has no
 * room for an event: its operations (ops may be NULL: none) are applied
 * as tags afterwards, in a transaction of their own. An "assigned" event
 * to another agent who is away (store_agent_available) fails them all
 * first: STORE_REFUSED, *cause "bob is away since 18:02 (shift ended)",
 * unless its force.
 */
enum store_status store_events(struct store *st, const struct store_event *evs,
    size_t n, char **cause);

/* store-claim.c */
/* What a claim came to. */
enum store_claim_outcome {
	STORE_CLAIM_CLAIMED,	/* nobody's: the agent's now, event "claimed" */
	STORE_CLAIM_MINE,	/* the agent's already: nothing written */
	STORE_CLAIM_TAKEN,	/* another agent's: nothing written */
	STORE_CLAIM_FREE	/* read-only store: nobody's, claim it
				   read-write */
};
struct store_claim {
	enum store_claim_outcome outcome;
	char		*by;	/* the assignee now */
	int64_t		 since;	/* the assigning event's date; 0: unknown */
};
/*
 * Claim a conversation for agent, compare-and-set: its assignee read and,
 * when it has none, the event "claimed" (take-over's operations) written,
 * with the database's write lock held throughout (a read-write store holds
 * it from open to close), so two agents claiming at once never both win.
 * STORE_OK with *out set (free with store_claim_clear), or a status and
 * *cause (STORE_NOT_FOUND: no such conversation). On a read-only store it
 * only looks, without the lock: TAKEN and MINE stay true (a claim is only
 * taken back by hand), FREE says to claim read-write, where it counts.
 */
enum store_status store_claim(struct store *st, const char *thread_id,
    const char *agent, struct store_claim *out, char **cause);
/*
 * The same in a batch with whoever else claims now (flat combining): st
 * (read-only) looks first; a conversation still free is queued under
 * DATA/claims/ and this process waits for the answer or for the queue's
 * lock, with which it opens the store read-write once and answers every
 * queued claim in arrival order in one transaction (first wins, the rest
 * TAKEN with its name). A combiner killed midway answered nobody: the
 * requests stay queued for the next. STORE_LOCKED past
 * store.lock-timeout, the claim taken back.
 */
enum store_status store_claim_queued(struct store *st, const char *thread_id,
    const char *agent, struct store_claim *out, char **cause);
void store_claim_clear(struct store_claim *c);
/* The agents the store's ombre/assigned/ tags name and those with a
 * shift file (DATA/agents), sorted,
 * NULL-terminated (free with triage_tags_free). */
enum store_status store_assignees(struct store *st, char ***names, size_t *n,
    char **cause);
/* The labels in use: the database's tags but ombre's own (ombre/) and
 * notmuch's usual ones (inbox, unread...), sorted, NULL-terminated (free
 * with triage_tags_free); what the label prompt completes. */
enum store_status store_labels(struct store *st, char ***names, size_t *n,
    char **cause);

/* store-tag.c */
/*
 * Apply tag operations ("+tag", "-tag") to every message of every
 * conversation matching target (CONV rules as store_resolve_conv when it
 * names one conversation, else a query), in one transaction. *changed is
 * the number of conversations touched. When any write (or a
 * conversation's search) fails, nothing is committed, *changed is 0 and
 * the status (STORE_DB_ERROR, STORE_FULL) comes with a cause naming what
 * failed; the same holds for every function of the store that writes.
 */
enum store_status store_tag(struct store *st, const char *target, char **ops,
    int n_ops, long *changed, char **cause);
/* Message-level operations (+unread, -unread) on these messages only, by
 * Message-Id (the ones an agent saw), in one transaction; *changed counts
 * those found. */
enum store_status store_tag_messages(struct store *st, char *const *msgids,
    size_t n, char *const *ops, long *changed, char **cause);
/* Snooze the conversations a target names until a time (out of the Inbox,
 * tag ombre/snoozed, property ombre.snooze-until). */
enum store_status store_snooze(struct store *st, const char *target,
    int64_t until, long *changed, char **cause);
/* How many snoozed conversations are due (read-only, cheap). */
long store_snooze_due_count(struct store *st, int64_t now);
/* Bring the due ones back to the Inbox. */
enum store_status store_wake(struct store *st, int64_t now, long *woken,
    char **cause);

/* store-dump.c */
/*
 * The tags and properties of every message as notmuch dump writes them
 * (--format=batch-tag --include=tags --include=properties), so notmuch
 * restore reads them too. The Maildir holds everything else: a dump is
 * what a rebuilt index needs. Written whole (tmp, fsync, rename).
 */
enum store_status store_dump(struct store *st, const char *path, char **cause);
/* How many dumps DIR/dumps keeps. */
#define STORE_DUMP_KEEP 5
/* A dump into DIR/dumps/ named by the time (UTC), the older ones beyond
 * STORE_DUMP_KEEP removed; *path (may be NULL) says where (allocated). */
enum store_status store_dump_take(struct store *st, char **path, char **cause);
/* The newest dump of a data dir (allocated), or NULL when there is none. */
char *store_dump_latest(const char *data_dir);
/*
 * Set the tags and properties of every message a dump names to what it
 * says (notmuch restore without --accumulate). *restored is the number of
 * messages found, *missing of those not in the database. Read-write.
 */
enum store_status store_restore(struct store *st, const char *path,
    long *restored, long *missing, char **cause);

/* store-mail.c */
/*
 * The text of the first text/plain part of an e-mail held in data (len
 * bytes, any bytes at all): its transfer encoding undone, Latin-1 and
 * Windows-1252 made UTF-8, other bytes passed through (the sanitiser
 * shows them). Allocated and NUL-terminated, *text_len its length; NULL
 * when there is none. At most three bytes of text for a byte of data.
 */
char *store_mail_text_of(const char *data, size_t len, size_t *text_len);

/* store-doctor.c */
enum store_doctor_level {
	STORE_DOCTOR_OK,	/* checked, healthy */
	STORE_DOCTOR_NOTE,	/* worth saying, not a problem */
	STORE_DOCTOR_PROBLEM,
	STORE_DOCTOR_FIXED
};
typedef void (*store_doctor_cb)(enum store_doctor_level level,
    const char *text, void *data);
/*
 * Check a data dir: the database (opens read-only, counts, every message
 * reads), the Maildir (each file of MAILROOT/ombre/{new,cur} indexed, each
 * indexed file there present), permissions (what the owner cannot write;
 * in a group-shared setgid dir, what the group cannot), stray tmp/ files
 * and journals of dead writers. Each finding is one call of cb. With fix,
 * repair then check again: a damaged or missing database is moved aside
 * (DIR/notmuch.broken-TIME) and rebuilt from the Maildir, ombre's files
 * with the tags and properties ingest gives them, then the newest dump
 * restored; files not indexed are indexed; modes are corrected; stray
 * files removed. Return the number of problems found and not fixed.
 */
int store_doctor(const struct store_options *opts, int fix, store_doctor_cb cb,
    void *data);

/* store-report.c */
/*
 * The figures of `ombre report` and the console's :report, computed from
 * the messages and events of the store (ombre(1), REPORT). Durations are
 * seconds, measured by store_report_duration() alone.
 */
struct store_report_durations {	/* a sample of durations, in seconds */
	int64_t		*v;
	size_t		 n;
	size_t		 cap;
};
struct store_report_row {	/* the total, a channel or an agent */
	char		*name;
	long		 handled;	/* conversations a human acted on */
	long		 closed;	/* closes (events "closed") */
	long		 bot_only;	/* closes with no agent reply in the episode */
	long		 handoffs;	/* handoff events */
	long		 handoffs_waiting;	/* not taken yet */
	long		 surveys;	/* survey questions sent */
	long		 csat_n;	/* answers (csat events) */
	long		 csat_sum;	/* their scores' sum */
	struct store_report_durations first_response, resolution,
			 handoff_wait;
};
#define STORE_REPORT_HOURS	24
struct store_report {
	int64_t			 since;		/* 0: since the beginning */
	int64_t			 until;
	long			 messages;	/* messages read */
	long			 hours[STORE_REPORT_HOURS];	/* customer messages by hour of day */
	struct store_report_row	 total;
	struct store_report_row	*channels;	/* by name */
	size_t			 n_channels;
	struct store_report_row	*agents;	/* by name */
	size_t			 n_agents;
};
struct store_report_filter {
	int64_t		 since;		/* 0: all */
	int64_t		 until;		/* 0: now */
	const char	*agent;		/* NULL: everyone */
	const char	*team;		/* NULL: every conversation */
};
/*
 * Compute a report over the conversations with a message or event in
 * [since, until]: STORE_OK and *out (free with store_report_free), or a
 * status and *cause. With an agent, only the conversations that agent
 * acted on in the window count, and of what is attributed to an agent
 * only what is theirs; with a team, the conversations tagged
 * ombre/team/TEAM.
 */
enum store_status store_report_build(struct store *st,
    const struct store_report_filter *f, struct store_report **out,
    char **cause);
void store_report_free(struct store_report *r);
/* The time between from and to that counts (the one place business
 * hours would be applied); never negative. */
int64_t store_report_duration(const char *team, int64_t from, int64_t to);
/* Add a duration to a sample. */
void store_report_add(struct store_report_durations *d, int64_t v);
/* The nearest-rank percentile p (1..100) of a sample: the smallest value
 * with at least p% of the values less or equal; -1 for an empty one. The
 * sample is sorted in place. Median: p = 50. */
int64_t store_report_percentile(struct store_report_durations *d, int p);
/* A duration in at most five columns: 45s, 4m, 4m30, 1h05, 2d03; "-"
 * for a negative one (an empty sample's percentile). */
void store_report_format(char *out, size_t size, int64_t s);
/* The date of agent's newest shift-start event (or the start their
 * DATA/agents/NAME says, when newer) into *when, 0: none. */
enum store_status store_report_shift_start(struct store *st,
    const char *agent, int64_t *when, char **cause);
/* The hour of day (0-23, local time) of t. */
int store_report_hour(int64_t t);

/* store-insights.c */
/*
 * What customers wrote in a window (ombre insights): core's counts
 * (insights.c) over the text of each customer message dated in [since,
 * until], and the bot's share of the closes as ombre report counts it,
 * in one pass (the report's) over the window's conversations.
 */
struct store_insights {
	int64_t		 since;
	int64_t		 until;
	struct insights	*counts;	/* core's; owned */
	long		 closed;	/* closes in the window (report's) */
	long		 bot_only;	/* of them, no agent reply in the episode */
	long		 files_read;	/* texts too long for their snippet */
};
enum store_status store_insights_build(struct store *st, int64_t since,
    int64_t until, struct store_insights **out, char **cause);
void store_insights_free(struct store_insights *si);

/* ------------------------------------------------------ store-shift.c */

/*
 * An agent's shift (issue 15). Availability is DATA/agents/NAME (core's
 * struct shift_avail); no file: available.
 */
struct store_agent {
	char			*name;
	struct shift_avail	 avail;
};
/* 0 and *a, or -1: no such file (or unreadable). */
int store_agent_read(const char *data_dir, const char *name,
    struct shift_avail *a);
/* Replace the agent's file: 0, or -1 with errno. */
int store_agent_write(const char *data_dir, const char *name,
    const struct shift_avail *a);
/* 1 when name is available (*since: since when, 0 unknown), 0 when away
 * (since then). What assignments check: store_events refuses an
 * "assigned" event to another agent who is away, unless its force. */
int store_agent_available(const char *data_dir, const char *name,
    int64_t *since);
/* Every agent with a file, by name; free with store_agents_free. */
size_t store_agents_list(const char *data_dir, struct store_agent **out);
void store_agents_free(struct store_agent *list, size_t n);
/* The summary of a shift starting at now for agent: what changed since
 * (core's rows, by section, oldest first; free with
 * store_shift_rows_free). */
enum store_status store_shift_summary(struct store *st, const char *agent,
    int64_t since, int64_t now, struct shift_row **rows, size_t *n,
    char **cause);
void store_shift_rows_free(struct shift_row *rows, size_t n);
/* The agent's open conversations (assigned, not done), newest first. */
enum store_status store_shift_mine(struct store *st, const char *agent,
    struct store_conv ***out, size_t *n, char **cause);
/* A shift starts: a shift-start event in each of the agent's open
 * conversations (*n_events of them), and the agent available. */
enum store_status store_shift_start(struct store *st, const char *agent,
    int64_t now, size_t *n_events, char **cause);
/* The handover of convs at a shift's end: one event each with core's
 * operations for kind and name and the note's line. An away agent is
 * refused (STORE_REFUSED, *cause says since when) unless force. */
enum store_status store_shift_handover(struct store *st, const char *agent,
    struct store_conv *const *convs, size_t n, enum shift_target kind,
    const char *name, const char *note, int force, int64_t now,
    char **cause);
/* A shift ends: the agent away since now. */
enum store_status store_shift_end(struct store *st, const char *agent,
    int64_t now, char **cause);

/* ---------------------------------------------------- store-contact.c */

/*
 * Contacts (issue 16): a person across channels, one small file each in
 * the Maildir (tag ombre/contact, never a conversation: no query of
 * conversations, count or report sees one). A conversation belongs to at
 * most one contact, through its identity (core's contact_identity_of);
 * one no contact names is a person of its own. Contacts returned are the
 * caller's (contact_free).
 */
/* The contact of an id (STORE_NOT_FOUND: none). */
enum store_status store_contact_get(struct store *st, const char *id,
    struct contact **out, char **cause);
/* The contact holding an identity, or *out NULL. */
enum store_status store_contact_of_identity(struct store *st,
    const char *identity, struct contact **out, char **cause);
/* A conversation's summary and identity (*identity NULL: its customer
 * has no id a contact can hold); both the caller's. */
enum store_status store_contact_conv(struct store *st, const char *thread_id,
    struct store_conv **out, char **identity, char **cause);
/* A conversation's contact (*out NULL: none) and identity. */
enum store_status store_contact_of(struct store *st, const char *thread_id,
    struct contact **out, char **identity, char **cause);
/* A conversation's contact to change: its own, or a new one holding its
 * identity and its customer's name (saved by store_contact_save). */
enum store_status store_contact_target(struct store *st,
    const char *thread_id, struct contact **out, char **cause);
/* Every contact, newest change first; free with store_contacts_free. */
enum store_status store_contact_list(struct store *st,
    struct contact ***out, size_t *n, char **cause);
void store_contacts_free(struct contact **list, size_t n);
/* Write c, created or replacing its file, in one transaction. */
enum store_status store_contact_save(struct store *st,
    const struct contact *c, char **cause);
enum store_status store_contact_delete(struct store *st, const char *id,
    char **cause);
/* The conversations of a contact (or of one identity when c is NULL) on
 * every channel, newest first, at most 50. */
enum store_status store_contact_convs(struct store *st,
    const struct contact *c, const char *identity, struct store_conv ***out,
    size_t *n, char **cause);
/* A conversation's contact (*contact, may be NULL) and its other
 * conversations, newest first (what the thread view shows). known, when
 * not NULL, keeps the conversation's identity between calls: read when
 * *known is NULL (then set, allocated), used when it is not. */
enum store_status store_contact_others(struct store *st,
    const char *thread_id, char **known, struct contact **contact,
    struct store_conv ***out, size_t *n, char **cause);
/* The customer's language: the contact's (set by hand), else the newest
 * one a channel gave (Telegram's language_code); allocated, or NULL. */
char *store_contact_language(struct store *st, const char *thread_id);
/* The same for a customer's message being indexed (the bot's choice):
 * its contact's language, else the message's own. */
char *store_contact_language_of_msg(struct store *st, const struct msg *m);
/* Merge the contacts of two conversations (each made when it has none);
 * STORE_DUPLICATE: they are one already. *out: the merged one. */
enum store_status store_contact_link(struct store *st, const char *thread_a,
    const char *thread_b, struct contact **out, char **cause);
/* Take the conversation's identity out of its contact (STORE_NOT_FOUND:
 * it shares none); *out: the contact as it is left. */
enum store_status store_contact_unlink(struct store *st,
    const char *thread_id, struct contact **out, char **cause);
/* A merge to suggest: owners (a contact id, or NULL: a conversation of
 * its own) sharing a phone number or an address (key), an identity and
 * a conversation (short id, or NULL) each. */
struct store_contact_suggestion {
	char	 *key;
	char	**owners;
	char	**identities;
	char	**convs;
	size_t	  n;
};
enum store_status store_contact_suggest(struct store *st,
    struct store_contact_suggestion **out, size_t *n, char **cause);
void store_contact_suggestions_free(struct store_contact_suggestion *s,
    size_t n);

/*
 * store-trends.c: per hour, the new conversations of each channel type and
 * the customer messages naming each watched term, counted from the index;
 * closed hours cached in DATA/trends (see there).
 */
struct store_trend {
	enum spike_kind	 kind;
	char		*name;		/* a channel type, a term as written */
	char		*folded;	/* the term folded (a channel: its name) */
	unsigned long	*counts;	/* n_hours, oldest first */
};
struct store_trends {
	int64_t			 first;		/* the first hour's start */
	size_t			 n_hours;
	struct store_trend	*series;	/* channels, then terms */
	size_t			 n;
	size_t			 counted;	/* hours read from the database */
};
/* The hours from first (rounded down to an hour) on, up to the one now is
 * in (counted up to now); *out freed by store_trends_free. */
enum store_status store_trends_get(struct store *st, int64_t first,
    size_t n_hours, int64_t now, struct store_trends **out, char **cause);
void store_trends_free(struct store_trends *tr);
/* Does the store hold a message dated before this time? (A spike needs
 * a baseline: a store younger than a week has none.) */
int store_trends_history(struct store *st, int64_t before);
/* Every series' count over [from, to), from the database, into out[tr->n]
 * (tr from store_trends_get: its series). */
enum store_status store_trends_window(struct store *st,
    struct store_trends *tr, int64_t from, int64_t to, unsigned long *out,
    char **cause);

#endif
