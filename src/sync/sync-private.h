/*
 * sync-private.h: what the syncer's files share (sync.c runs the
 * adapters, sync-outbox.c delivers the replies, sync-fetch.c the
 * attachments, sync-quarantine.c keeps what cannot be taken, sync-dump.c
 * dumps the tags, sync-client.c is what other processes read and ask).
 * Never included outside src/sync.
 */
#ifndef OMBRE_SYNC_PRIVATE_H
#define OMBRE_SYNC_PRIVATE_H

#include <sys/queue.h>

#include "sync/sync.h"

/* DATA/sync/quarantine: one file an item, starting with the magic line. */
#define SYNC_QUARANTINE_DIR	"quarantine"
#define SYNC_QUARANTINE_MAGIC	"ombre-quarantine 1\n"

struct sync_delivery;
struct sync_hook_item;

/* One channel the syncer runs: its adapter's link and the syncer's state. */
struct sync_link {
	struct chan_link	 link;		/* link.host_data is this */
	struct sync		*sync;
	const struct chan_type	*type;		/* NULL: not synced */
	void			*adapter;
	enum chan_state		 state;
	int64_t			 until;		/* wall seconds, 0 none */
	char			*error;		/* the last error, or NULL */
	int			 finished;	/* once: done with it */
	int			 failed;
	/* Quarantined by this run (sync-quarantine.c), and the hashes of
	 * the last ones, so that an answer fetched again is kept once. */
	int			 quarantined;
	uint64_t		 quarantine_seen[16];
	size_t			 quarantine_next;
	/* The store could not write the last batch (a chan_state, 0 when
	 * it could), and why: a back-off then shows as that state. */
	enum chan_state		 store_blocked;
	char			*store_error;
};

struct sync;
/* A round of sync-round.c (see there). */
struct sync_round {
	int		(*wanted)(void);
	int64_t		(*interval_ms)(void);
	int		(*child)(void *);
	void		(*done)(struct sync *, int status, const char *line);
	struct sync	 *s;
	struct ev_timer	 *timer;
	struct job	 *job;
	int		  checked;	/* once: a round done */
};

struct sync {
	const struct sync_options	*opts;
	struct ev_loop			*loop;
	struct net			*net;
	struct sync_link		*links;
	size_t				 n_links;
	char				*dir;		/* DATA/sync */
	mode_t				 dir_mode;	/* its folders': a team's 2770 */
	mode_t				 file_mode;	/* its files': a team's 0660 */
	int				 stop;
	/* The outbox (sync-outbox.c). */
	struct ev_timer			*outbox_timer;
	LIST_HEAD(, sync_delivery)	 deliveries;	/* in flight or waiting */
	int				 outbox_pending;	/* deliverable at the last scan */
	int				 outbox_given_up;
	int				 outbox_write_failures;	/* in a row */
	/* Delivery and indexing (sync.c): adapters deliver into the
	 * Maildir (durable, journalled); a child indexes in large batches. */
	struct store			*deliver;	/* STORE_DELIVER */
	struct strset			 delivered;	/* ids not handed to an indexer */
	struct strset			 indexing;	/* ids the indexer has */
	size_t				 unindexed;	/* delivered, not indexed */
	size_t				 index_batch;	/* what the indexer has */
	int64_t				 unindexed_since;	/* util_clock_ms */
	struct job			*indexer;
	int64_t				 index_started;	/* util_clock_ms */
	int64_t				 index_ended;	/* util_clock_ms, 0: never */
	int64_t				 delivered_last;	/* util_clock_ms */
	int				 index_quiet;	/* index at once */
	int				 index_was_quiet;	/* the run was */
	struct ev_timer			*index_timer;
	int				 index_attempt;	/* failures in a row */
	int				 index_given_up;	/* once */
	char				*index_error;
	/* Attachments asked for (sync-fetch.c). */
	LIST_HEAD(, chan_fetch)		 fetches;	/* in flight */
	int				 fetch_pending;
	/* What the webhook receiver spooled (sync-spool.c). */
	char				*spool_dir;	/* NULL: no webhook channel */
	struct ev_timer			*spool_timer;
	int				 spool_failures;	/* rounds in a row */
	int				 spool_drained;	/* nothing of ours left */
	int				 spool_given_up;	/* once: the store refused */
	/* The hourly dump of the tags (sync-dump.c). */
	struct ev_timer			*dump_timer;
	/* The wait rule (sync-wait.c): a child every so often. */
	/* Rounds (sync-round.c): the wait rule, the SLA breaches, a
	 * replica's store.replicate. */
	struct sync_round		 rounds[4];
	/* Hooks (sync-feed.c): DATA/feed followed, hooks queued, a few
	 * run at once, what they came to counted for the status. */
	struct store_feed		*feed;
	struct ev_timer			*feed_timer;
	struct ev_timer			*hooks_status_timer;	/* counts due */
	TAILQ_HEAD(, sync_hook_item)	 hooks_queue;
	size_t				 hooks_queued;
	TAILQ_HEAD(, sync_hook_item)	 hooks_running;
	size_t				 hooks_n_running;
	long				 hooks_run;
	long				 hooks_failed;
	long				 hooks_dropped;
	char				*hooks_last;	/* the last failure */
	int64_t				 hooks_last_when;
};

/* The syncer's state of a link an adapter hands back. */
#define sync_link_of(l)	((struct sync_link *)(l)->host_data)

/* sync.c */
/* Rewrite DATA/sync/status whole. */
void	sync_write_status(struct sync *s);
void	sync_set_state(struct chan_link *l, enum chan_state state,
	    int64_t until, const char *error);
/* sync-outbox.c */
void	sync_outbox_start(struct sync *s);
void	sync_outbox_stop(struct sync *s);
/* once: nothing in flight and nothing deliverable left. */
int	sync_outbox_idle(struct sync *s);
void	sync_send_done(struct chan_link *l, struct store_outgoing *o,
	    enum chan_send_result result, const char *remote_id,
	    const char *error, int64_t retry_ms);
void	sync_outbox_echo(struct chan_link *l, const char *msgid,
	    const char *remote_id);
/* sync-fetch.c */
/* Start the fetches asked for in DATA/sync/fetch (from the outbox scan). */
void	sync_fetch_scan(struct sync *s);
void	sync_fetch_stop(struct sync *s);
void	sync_fetch_done(struct chan_fetch *f, const char *body, size_t len,
	    const char *error);
/* sync.c: what a failed write's errno comes to for an adapter. */
enum chan_status sync_write_status_of(int err);
/* sync-quarantine.c */
enum chan_status sync_quarantine(struct chan_link *l, const char *what,
	    const char *raw, size_t len, const char *reason);
/* sync-client.c */
/* Files under DATA/sync/quarantine, or -1 when it cannot be read. */
int	sync_quarantine_count(const char *sync_dir);
/* sync-feed.c */
void	sync_hooks_start(struct sync *s, struct store_feed *feed);
/* Once the loop runs: read the feed every SYNC_FEED_MS. */
void	sync_hooks_follow(struct sync *s);
void	sync_hooks_stop(struct sync *s);
/* once: the feed read, nothing queued or running. */
int	sync_hooks_idle(struct sync *s);
/* Queue the hooks of event for a message (thread_id NULL: found from
 * msgid), as the outbox does for sent and failed. */
void	sync_hooks_queue(struct sync *s, const char *event,
	    const char *thread_id, const char *msgid);
/* sync-round.c: a child at start and every interval, never two at once
 * (child gets the struct sync; done its exit status and first line,
 * sanitised); one with nothing to do (wanted) counts as done. */
void	sync_round_start(struct sync *s, struct sync_round *r);
int	sync_round_idle(const struct sync_round *r);
void	sync_round_stop(struct sync_round *r);
/*
 * A round's child that records events: in one read-write session, the
 * conversations of query, the longest waiting first (page at most), each
 * given to pick, which fills the event's type, agent and ops and an
 * allocated *reason and returns 1, or 0 to pass it, or -1 to stop there.
 * The events in one transaction; prints how many, exit status 0, or 1
 * with the cause on stderr.
 */
typedef int (*sync_round_pick)(const struct store_conv *c, int64_t now,
    struct store_event *ev, char **reason, void *data);
int	sync_round_events(struct sync *s, const char *query, size_t page,
	    sync_round_pick pick, void *data);
/* The rounds' descriptors: sync-wait.c (`handoff-rule wait`, every 30 s),
 * sync-sla.c (breaches of `sla` targets as events, every 30 s) and
 * sync-replicate.c (a replica's store.replicate, every
 * store.replicate-interval). */
void	sync_wait_round(struct sync_round *r);
void	sync_sla_round(struct sync_round *r);
void	sync_replicate_round(struct sync_round *r);
/* sync-spike.c: spikes of the channels and watched terms (every 5 min),
 * and the JSON of a spike's hooks from its feed token (NULL: bad). */
void	sync_spike_round(struct sync_round *r);
char	*sync_spike_json(const char *token);
/* Say a spike of the feed on stderr, once. */
void	sync_spike_log(const char *token);
/* sync-spool.c: DATA/webhook/spool handed to the webhook channels'
 * adapters; idle (for --once) once nothing of theirs is left. */
void	sync_spool_start(struct sync *s);
int	sync_spool_idle(struct sync *s);
void	sync_spool_stop(struct sync *s);
/* sync-outbox.c: host->delivery_status. */
enum chan_status sync_delivery_status(struct chan_link *l,
	    struct chan_delivery *d, size_t n);
/* sync-dump.c: a dump of the tags every hour, and one when the syncer
 * stops. */
void	sync_dump_start(struct sync *s);
void	sync_dump_stop(struct sync *s);

#endif
