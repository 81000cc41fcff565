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
	int64_t			 hook_timeout_ms;	/* hook.timeout */
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

/*
 * sync-authority.c: on a replica (store.authority set), run "COMMAND
 * CONV ARGS... --agent AGENT" (NULL: this agent) on the central server,
 * CONV named by a Message-Id, input on its stdin, its output in out and
 * err; then store.replicate (its failure said in err). The server's exit
 * status, or SYNC_AUTHORITY_UNREACHABLE when it could not be reached.
 */
#define SYNC_AUTHORITY_UNREACHABLE 1000
int sync_authority_run(const struct store_options *so, const char *command,
    const char *conv, const char *const *args, const char *agent, const char *input,
    size_t input_len, struct buf *out, struct buf *err);

/* sync-client.c: for any process, linked without the network. */
/* The pid of the syncer holding the lock, 0 when none, -1 on error. */
long sync_lock_holder(const char *data_dir);
/* Does the config declare a channel the syncer polls? */
int sync_has_channels(void);
/*
 * DATA/sync/status as the running (or last) syncer left it, read once
 * for every reader (sync --status, its JSON, the console's status line,
 * the reply pane's channel state): the fields as stored, the states in C
 * (sync.c's N_() names: _() shows them).
 */
struct sync_state_channel {
	char	*name;
	char	*type;
	char	*state;		/* "connected", "backing off", ... */
	int64_t	 until;		/* when it tries again, 0 when not waiting */
	char	*error;		/* "" when none */
};
struct sync_state {
	long				 holder; /* sync_lock_holder */
	int				 found;	/* a status file read */
	struct sync_state_channel	*channels;
	size_t				 n;
	long				 quarantined; /* items waiting */
	int				 has_index;
	long				 index_pending; /* delivered, unindexed */
	char				*index_error;	/* "" when none */
	int				 has_hooks;
	long				 hooks_run;
	long				 hooks_failed;
	long				 hooks_dropped;
	int64_t				 hooks_last_when;
	char				*hooks_last;	/* "" when none */
};
/* Read the lock's holder and the status file into st (zeroed first).
 * Strings are st's until sync_state_free. Return 0, or -1 when nothing
 * is known (no syncer and no file). */
int sync_state_read(const char *data_dir, struct sync_state *st);
void sync_state_free(struct sync_state *st);
/*
 * A channel in the user's language, allocated: "support (telegram):
 * backing off until 2026-11-20 10:00:00: HTTP 502"; the time of day
 * alone when it is on now's day (now 0: always the date).
 */
char *sync_state_channel_phrase(const struct sync_state_channel *c,
    int64_t now);
/* The rest of the status in the user's language, each phrase appended to
 * b, after sep when b is not empty: the quarantined updates, the
 * unindexed messages, the hooks. Return how many were appended. */
int sync_state_notes(const struct sync_state *st, struct buf *b,
    const char *sep);
/* Print each channel's state as the running (or last) syncer left it,
 * and whether a syncer runs. Return 0, or -1 when nothing is known. */
int sync_status_print(const char *data_dir, FILE *out);
/* The state DATA/sync/status gives channel name ("connected", "backing
 * off", ...), allocated, or NULL when no syncer runs or it has none. */
char *sync_channel_state(const char *data_dir, const char *name);
/*
 * The same as members of root (`sync --status --json`): "syncer"
 * {running, pid}, "channels" [{name, type, state, until, error}],
 * "quarantined", "index" {pending, error} or null, "hooks" {run, failed,
 * dropped, last_failure_date, last_failure} or null. 0, or -1 when
 * nothing is known.
 */
int sync_status_json(const char *data_dir, struct json_obj *root);
/* `ombre sync --quarantine`: each item kept in DATA/sync/quarantine, its
 * channel, date, kind, reason, size and a sanitised excerpt. */
void sync_quarantine_print(const char *data_dir, FILE *out);

/*
 * The webhook receiver as its status file (DATA/webhook/status, written
 * by src/web, its format in web.h) says it: read here, where the console
 * can link it (no libmicrohttpd).
 */
struct sync_webhook_channel {
	char	*name;
	long	 received;		/* payloads taken (200) */
	int64_t	 last_received;
	long	 bad_signatures;	/* 401 */
	int64_t	 last_bad_signature;
	long	 refused;		/* 400, 413 */
	int64_t	 last_failure_when;
	char	*last_failure;		/* "" when none */
};
struct sync_webhook {
	int				 found;	/* a status file read */
	int				 running; /* its pid lives, not stopped */
	long				 pid;
	char				*listen;
	int64_t				 started;
	int64_t				 stopped;
	struct sync_webhook_channel	*channels;
	size_t				 n;
};
/* Read the status file into ws (zeroed first; found 0 when there is
 * none). Strings are ws's until sync_webhook_free. */
void sync_webhook_read(const char *data_dir, struct sync_webhook *ws);
void sync_webhook_free(struct sync_webhook *ws);
/* Does the config declare a channel `ombre webhook` serves? */
int sync_has_webhook_channels(void);
/*
 * `ombre sync --status`'s block: "webhook receiver: listening on ADDR
 * since T (pid N)" or "...: not running", then a line per channel
 * ("shop: 12 payloads, last 14:02:11, 3 bad signatures (last
 * 14:01:50)"), times of day when on now's day. Nothing when there is no
 * status file and no webhook channel is declared. Return 1 when
 * something was printed, else 0.
 */
int sync_webhook_print(const struct sync_webhook *ws, int declared,
    int64_t now, FILE *out);
/* The same as root's "webhook" member: {running, pid, listen, started,
 * stopped, channels [{name, received, last_received, bad_signatures,
 * last_bad_signature, refused, last_failure_date, last_failure}]}, or
 * null when sync_webhook_print would print nothing. */
void sync_webhook_json(const struct sync_webhook *ws, int declared,
    struct json_obj *root);
/* The console's phrase, allocated, or NULL for nothing to say: "webhook
 * receiver not running" when declared and it is not, else "webhook: N bad
 * signatures" counting the channels whose last one is within the hour. */
char *sync_webhook_phrase(const struct sync_webhook *ws, int declared,
    int64_t now);
/* Ask the syncer to fetch attachment index of a message. Return 0, or -1
 * with *cause. */
int sync_fetch_request(const char *data_dir, const char *msgid, size_t index,
    char **cause);
/* Ask for every attachment of these messages not fetched yet; *asked
 * says how many. Return 0, or -1 with the first failure in *cause. */
int sync_fetch_messages(const char *data_dir, struct msg **msgs, size_t n,
    int *asked, char **cause);

/*
 * sync-hook.c: what a hook reads and how it runs, for the syncer and for
 * `ombre hook test` (linked without the network).
 */
/*
 * The JSON object a hook reads for an event of a conversation (thread_id,
 * or NULL to find the conversation of msgid): event, conversation {id,
 * thread, title}, channel, account, customer {id, name}, agent, reason,
 * kind, text, date (RFC 3339) and message (msgid). Strings are valid
 * UTF-8; nothing of a channel's config is in it. For "message" the
 * customer is the message's sender, else the conversation's newest
 * customer's. Allocated (one line, no newline), or NULL with *cause.
 */
char *sync_hook_json(struct store *st, const char *event,
    const char *thread_id, const char *msgid, char **cause);
/* The JSON a crisis hook reads (the feed's "crisis" line, no
 * conversation): event "crisis", state on|off, and while on the topic,
 * query, since (RFC 3339), scenario, channels, agent from DATA/crisis.
 * Allocated, one line. */
char *sync_hook_crisis_json(const char *data_dir, const char *state);
/* The message `ombre hook test` builds the JSON of, among a thread's
 * messages (oldest first): the newest of the event (an event of that
 * type, a customer message, a reply sent or failed), else the newest.
 * Its Message-Id (allocated), or NULL when there is none. */
char *sync_hook_pick(struct msg *const *msgs, size_t n, const char *event);
/* The config of a message's channel: the channel declared with that type
 * and account=ACCOUNT, else the first of the type; NULL when none. */
const struct channel_config *sync_hook_channel(const char *channel,
    const char *account);
/* How a hook ended: its exit status (128 + N for signal N), killed when
 * its timeout ran out, how long it took, its output (capped, NUL-
 * terminated, valid during the callback). */
struct sync_hook_result {
	int		 status;
	int		 killed;
	int64_t		 ms;
	const char	*output;
};
struct sync_hook_run;
typedef void (*sync_hook_done_cb)(struct sync_hook_run *run,
    const struct sync_hook_result *res, void *data);
/*
 * Start /bin/sh -c command in a process group of its own, json and a
 * newline on its standard input, on loop; done is called once it has
 * exited (the run is freed after). Past timeout_ms the group gets SIGTERM,
 * then SIGKILL. Return the run, or NULL with *cause.
 */
struct sync_hook_run *sync_hook_start(struct ev_loop *loop,
    const char *command, const char *json, int64_t timeout_ms,
    sync_hook_done_cb done, void *data, char **cause);
pid_t sync_hook_pid(const struct sync_hook_run *run);
/* Let a hook go on alone (the loop ends): done is never called. */
void sync_hook_detach(struct sync_hook_run *run);
/* "exit 3", "killed after 10 s", "killed by signal 9": allocated. */
char *sync_hook_outcome(const struct sync_hook_result *res);
/* "hook EVENT (COMMAND) exit 3", "... killed after 10 s": allocated,
 * the command sanitised and cut. */
char *sync_hook_describe(const char *event, const char *command,
    const struct sync_hook_result *res);

#endif
