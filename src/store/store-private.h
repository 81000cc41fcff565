/*
 * store-private.h: what the store's files share; never included outside
 * src/store.
 */
#ifndef OMBRE_STORE_PRIVATE_H
#define OMBRE_STORE_PRIVATE_H

#include <notmuch.h>

#include "store/store.h"

/* A message written to tmp/ and waiting for the batch to end. */
struct store_pending {
	char		*msgid;
	char		*tmp_path;
	int		 tmp_fd;	/* open until its fsync at flush, or -1 */
	char		*new_path;
	char		*name;		/* file name, also in the journal */
	struct msg	*msg;		/* what the tags and properties come from */
	int		 recovered;	/* from a journal: may be indexed already */
	int		 generated;	/* written by the rules or the bot while
					   indexing: no rule or bot looks at it */
	char		*turn;		/* a bot's answer: its turn (store-bot.c) */
};

/* A message the rules or the bot wrote while a batch was indexed, to be
 * delivered and indexed right after the message that caused it. */
struct store_generated {
	struct msg	*msg;
	char		*turn;
};

struct store_thread_cache {
	char		 *thread_id;
	char		**tags;
};

struct store {
	char			*data_dir;
	char			*db_path;
	char			*config_path;	/* DATA/notmuch-config, always */
	int			 external;	/* a user's database (store.database) */
	char			*mail_root;
	char			*maildir;	/* MAILROOT/ombre */
	char			*journal_dir;
	enum store_mode		 mode;
	notmuch_database_t	*db;	/* NULL: not re-opened after a failed write */
	uint64_t		 revision;
	mode_t			 file_mode;	/* 0600, or 0660 in a group dir */

	struct store_options	 opts;

	/* The batch being written. */
	struct store_pending	*pending;
	size_t			 n_pending;
	size_t			 n_tmp_open;	/* tmp/ files waiting for fsync */
	size_t			 pending_size;
	int64_t			 batch_start_ms;
	int64_t			 newest_date;	/* newest message ingested, events left out */
	int			 journal_fd;
	char			*journal_path;
	int			 journal_dirty;	/* lists files not indexed yet */
	size_t			 delivered;	/* STORE_DELIVER: in the journal */
	int			 guard_fd;	/* DATA/readers.lock, see store.c */
	int			 guard_depth;	/* nested reads holding it */
	unsigned long		 counter;	/* file name uniqueness */
	char			 host[64];
	struct store_ingest_stats stats;

	/* The conversation tags of each thread the batch indexed so far,
	 * after its last message: a batch interleaves many conversations,
	 * and a search per message would cost more than indexing it. */
	struct store_thread_cache *cache;
	size_t			 n_cache;

	/* The feed's lines of the batch being indexed, appended to DATA/feed
	 * once it is committed (store-feed.c). */
	struct buf		 feed;

	/* What indexing the current message generated (store-bot.c). */
	struct store_generated	*generated;
	size_t			 n_generated;
	char			*bot_reason;
};

/* store.c */
/*
 * The readers' guard: a read holds it shared from its fresh snapshot to its
 * last row, a writer takes it exclusively for each commit, so ombre's own
 * writers never overtake ombre's readers (see store.c).
 */
void store_read_begin(struct store *st);
void store_read_end(struct store *st);
/*
 * Writes (store.c). An operation that writes runs in one transaction:
 * store_begin, then its writes through store_message_edit or
 * store_message_replace (each returns the first failure of the libnotmuch
 * calls it makes; the few database-wide writes, index_file,
 * remove_message and set_config, are checked where they are made), then
 * store_commit. When any write fails the operation calls store_abort:
 * nothing of the transaction is committed, and the caller gets the status
 * and a cause naming what failed. Each of the three sets *cause on
 * failure, naming the operation by what.
 */
struct store_property {
	const char	*key;
	const char	*value;	/* NULL: the key is only removed */
};
enum store_status store_begin(struct store *st, const char *what,
    char **cause);
enum store_status store_commit(struct store *st, const char *what,
    char **cause);
enum store_status store_abort(struct store *st, const char *what,
    notmuch_status_t status, char **cause);
/* Apply +TAG and -TAG ops to a message, then replace each property's
 * values by the one given (or none). */
notmuch_status_t store_message_edit(notmuch_message_t *nm,
    const char *const *ops, size_t n_ops, const struct store_property *props,
    size_t n_props);
/* Set a message's tags (tags not NULL) and properties (props not NULL) to
 * exactly these; a key may come several times (a dump's restore). */
notmuch_status_t store_message_replace(notmuch_message_t *nm,
    const char *const *tags, size_t n_tags, const struct store_property *props,
    size_t n_props);
/*
 * notmuch keeps a property as the Xapian term "XPROPERTYkey=value", which
 * cannot pass 245 bytes, and libnotmuch aborts the process on a longer
 * one: the edits above refuse it (NOTMUCH_STATUS_ILLEGAL_ARGUMENT), and a
 * free text is cut to fit first.
 */
#define STORE_PROPERTY_TERM_MAX 235	/* strlen(key) + strlen(value) */
int store_property_fits(const char *key, const char *value);
/* The first bytes of text (len of them, or up to a NUL) that fit in max,
 * cut on a character boundary; allocated. */
char *store_text_cut(const char *text, size_t len, size_t max);
/* A failed write's status: STORE_FULL when Xapian said so. */
enum store_status store_db_status(struct store *st);
/* The host part of the file names ombre writes: no '/' or ':'. */
void store_host_name(char *out, size_t size);
/* A team's data dir (setgid, group-writable) this session cannot use, not
 * being in its group: the allocated sentence saying so, else NULL. */
char *store_share_member(const char *data_dir);
/* Run a read query, re-opening and restarting it once when it fails:
 * libnotmuch 0.37 reports a snapshot overtaken by writers
 * (DatabaseModifiedError) as XAPIAN_EXCEPTION. */
/* A query narrowed to ombre's own messages and the user's mail an email
 * channel's query= keeps (`set store.database`); allocated. */
char *store_mail_filter(struct store *st, const char *query);
notmuch_status_t store_query_messages(struct store *st, const char *query,
    notmuch_sort_t sort, notmuch_query_t **q, notmuch_messages_t **msgs);

/* store-shift.c */
/* Why an event may not be written (an assignment to an away agent):
 * allocated, or NULL. */
char *store_shift_refuse(struct store *st, const struct store_event *ev);

/* store-ingest.c */
/* Index the files that crashed writers delivered but never indexed. */
enum store_status store_ingest_recover(struct store *st, char **cause);
/* Remove tmp/ files whose writing process is gone. */
void store_ingest_clean_tmp(struct store *st);
/* Is the tmp/ file name (at path) one nobody will finish: written by a
 * process of this host that is gone, or (another host's) older than
 * maildir(5)'s 36 hours? */
int store_tmp_is_stray(const char *host, const char *name, const char *path,
    time_t now);
/* Forget the batch's conversation tags (store-ingest.c). */
void store_thread_cache_clear(struct store *st);
/* Read a message file ombre wrote (or any mail) as a canonical message. */
struct msg *store_file_read(const char *path, char **cause);
/* Queue a delivered file for indexing by the next store_flush, with the
 * tags and properties ingest gives m (taken). */
void store_ingest_queue_file(struct store *st, const char *path,
    struct msg *m);

/* store-tag.c */
/*
 * Apply +TAG/-TAG operations to every message of a thread and, when key is
 * not NULL, replace the property key by value (NULL: only remove it),
 * inside the caller's transaction. Return the first failure, the thread's
 * search included, and set *what (allocated) to what failed.
 */
notmuch_status_t store_thread_edit(struct store *st, const char *thread_id,
    const char *const *ops, size_t n_ops, const char *key, const char *value,
    char **what);

/* store-event.c */
/* Queue an event in the batch being written, without flushing it: the
 * caller's next store_flush records it with what else the batch holds. */
enum store_status store_event_queue(struct store *st,
    const struct store_event *ev, char **cause);
/* The tags of every message of a thread (allocated, NULL-terminated,
 * *n of them). */
notmuch_status_t store_thread_all_tags(struct store *st,
    const char *thread_id, char ***tags, size_t *n);

/* store-bot.c */
/* Queue a message generated while indexing (taken over). */
void store_generated_add(struct store *st, struct msg *m, const char *turn);
void store_generated_clear(struct store *st);
/* Queue a handoff event in m's conversation, by the bot. */
void store_rules_handoff(struct store *st, const struct msg *m,
    const char *self_id, const char *reason, int high);
/*
 * The alert rules (alert.c) on m, a message being indexed whose
 * conversation's tags are tags: an "alert" event for each rule that
 * matches and has not fired in the conversation yet, its operations
 * (ombre/alert/NAME, the label, the priority) applied to the whole
 * conversation when it is indexed next. Return how many.
 */
size_t store_alerts(struct store *st, const struct msg *m,
    char *const *tags);
/*
 * The built-in bot's answer to m, a customer's message being indexed in a
 * conversation in bot mode, queued as generated messages; when the bot
 * gives up, *handoff_reason says why (the caller hands off).
 */
notmuch_status_t store_bot_answer(struct store *st, const char *thread_id,
    const char *self_id, const struct msg *m, int first,
    const char **handoff_reason);
#define STORE_BOT_TURN	"ombre.bot-turn"
/*
 * The survey (bot-survey): on a close (ev, an event "closed" being indexed
 * that leaves the conversation done) its question queued; on a customer's
 * message m in a done conversation whose question is the newest of its
 * kind, *score its answer (1-5, a csat event queued) or 0. A scored
 * answer's tags are made those of a closed conversation by core's
 * triage_tags_settle (it never reopens it).
 */
notmuch_status_t store_bot_survey_ask(struct store *st, const char *thread_id,
    const char *self_id, const struct msg *ev);
notmuch_status_t store_bot_survey_answer(struct store *st,
    const char *thread_id, const char *self_id, const struct msg *m,
    int *score);
/* A read-write open: DATA/bot-scenario given to core
 * (bot_scenario_set_data), before anything is indexed. */
void store_bot_scenario_load(struct store *st);
/* A read-write open: DATA/crisis given to core (crisis_set_data). */
void store_crisis_load(struct store *st);

/* store-contact.c */
/* Index a contact's file again (doctor --fix): its tag and properties
 * from its text. STORE_BAD_INPUT when the file is no contact's. */
enum store_status store_contact_reindex(struct store *st, const char *path,
    char **cause);

/* store-feed.c */
/* Append the lines of a committed batch to DATA/feed, and forget them. */
void store_feed_append(struct store *st);

/* store-mail.c */
/* The text of the first text/plain part of an e-mail file (allocated,
 * UTF-8 or passed-through bytes), or NULL when it has none. */
char *store_mail_text(const char *path, size_t *len);

/* store-query.c */
/*
 * Reads whose snapshot writers overtake start again (store-query.c): at
 * most STORE_READ_ATTEMPTS tries, store_read_again between two. How a try
 * ended when it must be retried: an iterator gave NULL (overtaken), or the
 * search itself failed (a bad query, or overtaken: one more try says).
 */
#define STORE_READ_ATTEMPTS 30
#define STORE_OVERTAKEN 1
#define STORE_SEARCH_FAILED 2
void store_read_again(struct store *st, int attempt);
enum store_status store_collect_threads(struct store *st, const char *query,
    notmuch_sort_t sort, size_t max, struct strset *seen, int *overtaken,
    char **cause);
/* store-report.c: the report over the messages a notmuch query selects
 * (NULL: the window's conversations), for store-insights.c. */
enum store_status store_report_build_query(struct store *st,
    const struct store_report_filter *f, const char *select,
    struct store_report **out, char **cause);
/* ombre.snippet holds a message's text cut to this many bytes
 * (STORE_PROPERTY_MAX, store-ingest.c): a shorter one is all of it (an
 * e-mail's, all its sender wrote: mail_preview leaves out what insights.c
 * leaves out too, attribution, quotes and signature). */
#define STORE_SNIPPET_MAX 200
/* store-outbox.c: a reply's delivery state and remote id into m. */
void store_msg_outbox_state(notmuch_message_t *nm, struct msg *m);
void store_msg_attachments_local(notmuch_message_t *nm, struct msg *m);
/* Split "Name <addr>" into its parts (allocated); the channel's id of a
 * sender from the address ombre wrote for it (allocated). */
void store_split_from(const char *from, char **name, char **addr);
char *store_decode_local_part(const char *addr);
/* Contacts are no conversation (store-contact.c): a query of
 * conversations without them, allocated. */
#define STORE_NOT_CONTACT	"not tag:ombre/contact"
char *store_query_no_contacts(const char *query);
/* Return 1 when a query is "everything" (empty or *). */
int store_query_is_all(const char *query);
/* Pad a short thread id to 16 hex digits; 0 when it is not one. */
int store_thread_id_parse(const char *s, char out[17]);

#endif
