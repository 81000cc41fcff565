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
	/* Attachments asked for (chan-fetch.c). */
	struct chan_fetch		*fetches;	/* in flight */
	int				 fetch_pending;
	/* The hourly dump of the tags (chan-dump.c). */
	struct ev_timer			*dump_timer;
};

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
