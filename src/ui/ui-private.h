/*
 * ui-private.h: what the files of the console share: the console's state
 * and the functions one file calls in another. Not for outside src/ui.
 */
#ifndef OMBRE_UI_PRIVATE_H
#define OMBRE_UI_PRIVATE_H

#include <stdio.h>

#include "ui/ui.h"

/* How often the revision is compared; the list follows within this. */
#define UI_WATCH_MS	500
/* How often DATA/feed is read (a read and a stat): a handoff rings the
 * bell within this, the list following it at once. */
#define UI_FEED_MS	100
/* How often snoozed conversations are checked for their time. */
#define UI_WAKE_MS	30000
/* The counting child's niceness: it yields the CPU to the screen. */
#define UI_COUNTS_NICE	10
/* How often the console looks for a syncer and reads its status. */
#define UI_SYNC_MS	1000
/*
 * What the screen must do after a command: the console's commands (the
 * cmd_entry rows of the ui-cmd-*.c files) return it, and the loop does it
 * once per iteration.
 */
#define UI_REDRAW	0x1
#define UI_RELAYOUT	0x2	/* the terminal's size is read again */
#define UI_QUIT		0x4

/* The sidebar shows from this width, this wide. */
#define UI_SIDEBAR_FROM	100
#define UI_SIDEBAR_WIDTH	24
/* Conversations read at a time: the first paint reads one page, the
 * next come as the cursor nears the end. */
#define UI_PAGE		200
/* ... read after the first paint this many at a time. */
#define UI_SLICE	25

struct ui {
	const struct ui_options	*opts;
	struct ev_loop		*loop;
	struct ui_input		*input;
	struct ev_timer		*escape_timer;
	struct store		*store;
	struct ui_list		*list;
	struct ui_thread	*thread;	/* open conversation, or NULL */
	char			*thread_id;	/* its notmuch thread id */
	char			*thread_key;	/* its msgid_thread() */
	char			*thread_who;	/* its customer's name */
	struct ui_pager		*pager;		/* the help screen, or NULL */
	int			 more;		/* the view may have more than loaded */
	struct strset		 marked;	/* thread ids of the marked set */
	int			 jobs;		/* writes still running */
	int			 waiting;	/* one waits for the lock */
	int			 refresh_failed; /* re-reads that failed in a row */
	uint64_t		 revision;	/* the database's, as shown */
	struct cmd_ctx		 ctx;		/* commands run by keys, prompts */
	struct cmd_host		 host;
	int			 sidebar_focus;	/* Tab: keys move in the sidebar */
	size_t			 sidebar_cursor;
	char			*view_name;	/* the view shown */
	char			*query;		/* its query, #{agent} resolved */
	enum view_sort		 sort;		/* its order */
	struct store_feed	*feed;		/* DATA/feed, for the alerts */
	char			*message;	/* status line message */
	int			 message_error;
	int			 react;		/* UI_REDRAW... to do */
	char			**out;		/* a ':' command's printed lines */
	size_t			 n_out;
	int			 collecting;	/* ... collected for the pager */
};

/* ui.c */
void ui_set_message(struct ui *ui, int error, const char *fmt, ...)
    OMBRE_PRINTF(3, 4);
/*
 * A console child job failed: the one way it is said, as an error on the
 * status line, "LEAD: the first line the child printed", or "LEAD:
 * FALLBACK" when it printed nothing (no FALLBACK: LEAD alone; no LEAD:
 * the line alone).
 */
void ui_job_failed(struct ui *ui, const char *lead, const char *output,
    const char *fallback);
/*
 * The end of a child job's write: st (read-write, NULL when its open
 * failed) closed, a failure said on stderr (what ui_job_failed shows),
 * cause freed; the exit status, 0, 75 when the database was locked, else
 * 1.
 */
int ui_child_exit(struct store *st, enum store_status rc, char *cause);
/* Read the first page of the view again: 0, or -1 (said on the status
 * line). */
int ui_load(struct ui *ui);
/*
 * Re-open the store and, when its revision moved since this console last
 * showed it, read again all that shows it: the list, the open
 * conversation, the snoozed ones due. -1 when the database cannot be
 * read again, else 0.
 */
int ui_refresh(struct ui *ui);
/* ui-cmd-triage.c: the names assign accepts (team.c's, the store's
 * assignees as the agents seen); free with triage_tags_free. */
char **ui_known_targets(struct ui *ui);
/* Read the next page of the view, if it has one. */
void ui_load_more(struct ui *ui);
/* The next page when the list's cursor nears the end of what is loaded. */
void ui_load_near(struct ui *ui);
/* Open the conversation under the cursor, or c. */
void ui_open(struct ui *ui);
void ui_open_conv(struct ui *ui, const struct store_conv *c);
/* Close the open conversation, and its composer (the draft is saved). */
void ui_close_thread(struct ui *ui);
/* Read the open conversation again (after a change in the database):
 * 0, or -1 when it could not be read (it shows as it was). */
int ui_thread_reload(struct ui *ui);
/* Show the view at this index of the view table. */
void ui_view(struct ui *ui, int index);
/* Run a string of commands from a key or a prompt. */
void ui_run_command(struct ui *ui, const char *command);
/* The ':' prompt's line run: what it prints on the status line when it
 * is one line, in the pager when it is more (list-keys, show-options). */
void ui_run_command_shown(struct ui *ui, const char *command);
/* Open the pager on lines (taken over), closing the one open. */
void ui_show_lines(struct ui *ui, const char *title, char **lines,
    size_t n);
/* Read a page of the view shown, in its order. */
enum store_status ui_query(struct ui *ui, long offset, long limit,
    struct store_conv ***out, size_t *n, char **cause);

/* The console's commands: a table of rows per file, by theme. */
extern const struct cmd_entry ui_cmd_move_entries[];
extern const struct cmd_entry ui_cmd_triage_entries[];
extern const struct cmd_entry ui_cmd_reply_entries[];
extern const struct cmd_entry ui_cmd_prompt_entries[];
extern const struct cmd_entry ui_cmd_screen_entries[];
extern const struct cmd_entry ui_search_entries[];
extern const struct cmd_entry ui_macro_entries[];
extern const struct cmd_entry ui_report_entries[];
extern const struct cmd_entry ui_shift_entries[];
extern const struct cmd_entry ui_contact_entries[];

/* ui-contact.c: the customer as a person in the thread view (issue 16). */
/* The open conversation's contact notes and other conversations read
 * and given to the thread view. */
void ui_contact_header(struct ui *ui);

/* ui-cmd-prompt.c: the prompts and what their lines run. */
/* While a prompt is open it has the keys: return 1 when it took one. */
int ui_cmd_prompt_key(struct ui *ui, const char *key, const char *text);
/* Draw the open prompt on the last row; return 0 when none is open. */
int ui_cmd_prompt_draw(int row, int cols);
int ui_cmd_prompt_is_open(void);
/* Open the ':' prompt with text already typed. */
void ui_cmd_prompt_command(const char *text);
/* What Tab completes the whole line from (taken over), until it closes:
 * the hook a prompt asking for a name (a template's) fills. */
void ui_cmd_prompt_words(char **words);
/* Open the pager's search prompt ('/' over a pager). */
void ui_cmd_prompt_pager_search(void);
void ui_cmd_prompt_free(void);

/* ui-cmd-screen.c: help, quit, suspend, redraw. */
/* What a command does while the help shows: it says how to close it. */
int ui_cmd_screen_in_help(struct ui *ui);
/* The pager's own keys (/, n, N) while it shows: 1 when key was one. */
int ui_cmd_screen_pager_key(struct ui *ui, const char *key);
/* The pager's '/' prompt entered: search its text. */
void ui_cmd_screen_pager_search(struct ui *ui, const char *words);
/* Keys described next to where they are handled (ui.h's ui_key_help). */
extern const struct ui_key_help ui_cmd_sidebar_keys_help[];
extern const struct ui_key_help ui_reply_guard_keys_help[];

/* ui-search.c: a notmuch query over every view, its results in turn. */
void ui_search(struct ui *ui, const char *query);

/* ui-macro.c: recording the commands run by keys into a macro. */
/* Keep the commands of a key or prompt while a macro is recorded. */
void ui_macro_record(const char *command);
/* The outermost macro ended: the marked set it acted on is forgotten. */
void ui_macro_end(void *data);
void ui_macro_free(void);

/* ui-reply.c: the composer, drafts, sending, outbox decisions, presence. */
struct ui_reply;
int ui_reply_open(struct ui *ui, int note);
void ui_reply_close(struct ui *ui);
int ui_reply_key(struct ui *ui, const char *key, const char *text);
void ui_reply_editor(struct ui *ui);
void ui_reply_flush(struct ui *ui);
/* At exit, after one more try to save them: the drafts that could not
 * be saved, their text printed to out (sanitised); return how many. */
int ui_reply_unsaved_report(struct ui *ui, FILE *out);
void ui_reply_refresh(struct ui *ui, struct msg *const *msgs, size_t n);
void ui_reply_tick(void *data);
int ui_reply_typing(struct ui *ui);
int ui_reply_rows(struct ui *ui, int rows, int cols);
void ui_reply_draw(struct ui *ui, int top, int rows, int cols);
void ui_reply_decide(struct ui *ui, enum store_outbox_action action);
int ui_reply_template(struct ui *ui, const char *name, char **cause);
int ui_reply_template_vars(struct ui *ui, const char **channel,
    const char **who, char **lang);
/* The row the composer was last drawn from, or -1 when it is not shown. */
int ui_reply_top_row(void);
void ui_reply_recover(struct ui *ui);
void ui_presence_update(struct ui *ui);
/* Who else shows the open conversation ("bob is typing"), or NULL. */
char *ui_presence_here(struct ui *ui);
void ui_presence_leave(struct ui *ui);

/* ui-picker.c: C-t's picker of canned replies over the conversation. */
void ui_picker_open(struct ui *ui);
/* While it is open it has the keys: 1 when it took one. */
int ui_picker_key(struct ui *ui, const char *key, const char *text);
/* Draw it over the conversation, above the composer; 0 when closed. */
int ui_picker_draw(struct ui *ui);
void ui_picker_close(void);

/* ui-triage.c: writes in child jobs, triage on the selection, undo,
 * snooze and wake-up. */
int ui_host_tag(void *data, const char *target, char **ops, int n_ops,
    char **cause);
/* Apply core's triage policy for action to the selection, saying what. */
void ui_triage(struct ui *ui, enum triage_action action, const char *arg,
    const char *what);
void ui_undo_last(struct ui *ui);
/* The unread messages a conversation showed when it was opened marked
 * read, in a child, not undoable (thread.mark-read). */
void ui_mark_read_shown(struct ui *ui, char *const *msgids);
void ui_undo_free_all(void);
void ui_mark(struct ui *ui);
int ui_snooze(struct ui *ui, const char *text, char **cause);
void ui_watch_lock(void *data);
void ui_wake_now(struct ui *ui);
void ui_wake_check(void *data);

/* ui-alert.c: the bell and notifications when a conversation needs a
 * human (DATA/feed). */
void ui_alert_start(struct ui *ui);
/* Take in the feed's new lines: before the database is read again, so
 * that what they name is in what it reads. Returns how many ask for a
 * human (handoff, alert). */
int ui_alert_collect(struct ui *ui);
/* Ring and notify for what was collected. */
void ui_alert_ring(struct ui *ui);
void ui_alert_stop(struct ui *ui);

/* ui-counts.c: the sidebar and the view counts behind it, and the lane
 * of the status line ("3 need a human, oldest 12m"). */
void ui_counts_first(void *data);
/* The index of the view the lane counts (Needs human), or -1. */
int ui_counts_lane_view(void);
/* The lane's text in out, or its short form "[3, 12m]"; 0 when there
 * is none (nobody waits). */
int ui_counts_lane(char *out, size_t size, int64_t now, int short_form);
/* The lane's service level nearest its target ("SLA 12m left", "SLA
 * breached 5m"; short: without "SLA") and its role: 1, or 0 when none. */
int ui_counts_sla(char *out, size_t size, int64_t now, int short_form,
    enum ui_role *role);
void ui_counts_again(struct ui *ui);
void ui_counts_stop(void);
void ui_sidebar_draw(struct ui *ui, int rows);

/* ui-sync.c: the syncer as the console's child, its state on the status
 * line. */
void ui_sync_check(void *data);
void ui_sync_stop(struct ui *ui);
/* The channels' states for the status line, or NULL; valid until the
 * next check. */
const char *ui_sync_text(void);

/* ui-crisis.c: crisis mode, from DATA/crisis: the status line's words
 * (sanitised; NULL: no crisis), the Crisis view, crisis's host. */
int ui_crisis_check(struct ui *ui);
const char *ui_crisis_text(void);
int ui_crisis_on(void);
void ui_crisis_stop(void);
int ui_host_crisis(void *data, int set, const struct crisis *c,
    struct crisis **in_force, char **cause);
/* The syncer's phrase and the webhook receiver's, as the status line
 * puts them (either may be NULL): allocated, or NULL for neither. */
char *ui_sync_join(const char *sync, const char *webhook);

#endif
