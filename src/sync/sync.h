/*
 * sync.h: the one syncing process (design.md, "Sync and delivery"): its
 * lock, the channel adapters on one loop, delivery before cursors move,
 * the outbox, attachments, the quarantine. It sits above src/chan: it
 * hands each adapter what it needs (struct chan_host), and no adapter
 * knows of it.
 *
 * sync_run needs the network (libcurl): only the program ombre-sync runs
 * it; ombre itself execs ombre-sync. What other processes read of the
 * syncer and ask of it (sync-client.c) links no network.
 */
#ifndef OMBRE_SYNC_H
#define OMBRE_SYNC_H

#include <stdio.h>

#include "chan/chan.h"

/* sync.c */
struct sync_options {
	struct store_options	 store;
	struct chan_options	 chan;		/* given to every adapter */
	const char		*only;		/* --channel NAME, or NULL */
};
/* How a run of the syncer ended. */
enum sync_status {
	SYNC_OK,
	SYNC_FAILED,		/* a channel could not be reached or started,
				 * a reply or the index given up (once) */
	SYNC_LOCKED		/* another process holds the sync lock */
};
/* A phrase for a status (static storage). */
const char *sync_status_str(enum sync_status status);
/*
 * Run the syncer: take the sync lock (DATA/sync.lock, flock, O_CLOEXEC),
 * start every declared channel (or the one named) and run until SIGTERM,
 * SIGINT or SIGHUP, or with chan.once until each channel has nothing
 * pending. What failed is said on stderr, one line each.
 */
enum sync_status sync_run(const struct sync_options *opts);

/* sync-client.c: for any process, linked without the network. */
/* The pid of the syncer holding the lock, 0 when none, -1 on error. */
long sync_lock_holder(const char *data_dir);
/* Does the config declare a channel the syncer polls? */
int sync_has_channels(void);
/* Print each channel's state as the running (or last) syncer left it,
 * and whether a syncer runs. Return 0, or -1 when nothing is known. */
int sync_status_print(const char *data_dir, FILE *out);
/* `ombre sync --quarantine`: each item kept in DATA/sync/quarantine, its
 * channel, date, kind, reason, size and a sanitised excerpt. */
void sync_quarantine_print(const char *data_dir, FILE *out);
/* Ask the syncer to fetch attachment index of a message. Return 0, or -1
 * with *cause. */
int sync_fetch_request(const char *data_dir, const char *msgid, size_t index,
    char **cause);
/* Ask for every attachment of these messages not fetched yet; *asked
 * says how many. Return 0, or -1 with the first failure in *cause. */
int sync_fetch_messages(const char *data_dir, struct msg **msgs, size_t n,
    int *asked, char **cause);

#endif
