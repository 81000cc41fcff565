/*
 * chan-private.h: what the syncer's files share (chan-sync.c runs the
 * adapters, chan-outbox.c delivers the replies, chan-dump.c dumps the
 * tags). Not for adapters.
 */
#ifndef OMBRE_CHAN_PRIVATE_H
#define OMBRE_CHAN_PRIVATE_H

#include "chan/chan.h"

struct sync_delivery;

struct sync {
	const struct sync_options	*opts;
	struct ev_loop			*loop;
	struct net			*net;
	struct chan_link		*links;
	size_t				 n_links;
	char				*dir;		/* DATA/sync */
	int				 stop;
	/* The outbox (chan-outbox.c). */
	struct ev_timer			*outbox_timer;
	struct sync_delivery		*deliveries;	/* in flight or waiting */
	int				 outbox_pending;	/* deliverable at the last scan */
	int				 outbox_given_up;
	int				 outbox_write_failures;	/* in a row */
	/* Delivery and indexing (chan-sync.c): adapters deliver into the
	 * Maildir (durable, journalled); a child indexes in large batches. */
	struct store			*deliver;	/* STORE_DELIVER */
	struct strset			 delivered;	/* ids not handed to an indexer */
	struct strset			 indexing;	/* ids the indexer has */
	size_t				 unindexed;	/* delivered, not indexed */
	size_t				 index_batch;	/* what the indexer has */
	int64_t				 unindexed_since;	/* util_clock_ms */
	struct job			*indexer;
	int64_t				 index_started;	/* util_clock_ms */
	struct ev_timer			*index_timer;
	int				 index_attempt;	/* failures in a row */
	int				 index_given_up;	/* --once */
	char				*index_error;
	/* Attachments asked for (chan-fetch.c). */
	struct chan_fetch		*fetches;	/* in flight */
	int				 fetch_pending;
	/* The hourly dump of the tags (chan-dump.c). */
	struct ev_timer			*dump_timer;
};

/* Rewrite DATA/sync/status whole (chan-sync.c). */
void	sync_write_status(struct sync *s);
void	sync_outbox_start(struct sync *s);
void	sync_outbox_stop(struct sync *s);
/* Start the fetches asked for in DATA/sync/fetch (from the outbox scan). */
void	sync_fetch_scan(struct sync *s);
void	sync_fetch_stop(struct sync *s);
/* --once: nothing in flight and nothing deliverable left. */
int	sync_outbox_idle(struct sync *s);
/* A dump of the tags every hour, and one when the syncer stops. */
void	sync_dump_start(struct sync *s);
void	sync_dump_stop(struct sync *s);

#endif
