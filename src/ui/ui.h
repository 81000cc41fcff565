/*
 * ui.h: the full-screen console. ncurses is used only in ui-screen.c (for
 * output) and libtermkey only in ui-input.c (all keyboard input); the
 * console reads the store through store.h and never writes to it itself.
 */
#ifndef OMBRE_UI_H
#define OMBRE_UI_H

#include "base/base.h"
#include "core/core.h"
#include "store/store.h"

/* What a cell of the screen is, shown in the styles of the theme
 * (style.c). */
enum ui_role {
	UI_ROLE_NORMAL = STYLE_NORMAL,
	UI_ROLE_LIST_UNREAD = STYLE_LIST_UNREAD,
	UI_ROLE_LIST_CURSOR = STYLE_LIST_CURSOR,
	UI_ROLE_LIST_CURSOR_UNFOCUSED = STYLE_LIST_CURSOR_UNFOCUSED,
	UI_ROLE_MARKER_HANDOFF = STYLE_MARKER_HANDOFF,
	UI_ROLE_MARKER_BOT = STYLE_MARKER_BOT,
	UI_ROLE_WAIT_MEDIUM = STYLE_WAIT_MEDIUM,	/* waiting sla.handoff-warn */
	UI_ROLE_WAIT_LONG = STYLE_WAIT_LONG,		/* sla.handoff-breach */
	UI_ROLE_STATUS = STYLE_STATUS,
	UI_ROLE_ERROR = STYLE_STATUS_ERROR,
	UI_ROLE_THREAD_TITLE = STYLE_THREAD_TITLE,
	UI_ROLE_THREAD_DAY = STYLE_THREAD_DAY,		/* and event lines */
	UI_ROLE_THREAD_CUSTOMER = STYLE_THREAD_CUSTOMER,
	UI_ROLE_THREAD_BOT = STYLE_THREAD_BOT,
	UI_ROLE_THREAD_AGENT = STYLE_THREAD_AGENT,
	UI_ROLE_THREAD_NOTE = STYLE_THREAD_NOTE,	/* never sent */
	UI_ROLE_THREAD_ATTACHMENT = STYLE_THREAD_ATTACHMENT,
	UI_ROLE_COUNT = STYLE_ROLE_COUNT
};

/* ui-surface.c: what the console draws on: the terminal (ui-screen.c) or
 * a grid in memory (ui-screen-record.c, for tests). A surface draws text
 * that is already clean and fits; the ui_surface_* functions are what the
 * views call, on the surface the loop set. */
struct ui_surface {
	void	(*size)(void *data, int *rows, int *cols);
	void	(*erase)(void *data);
	/* Sanitised text of at most width cells, the rest padded. */
	void	(*text)(void *data, int row, int col, int width,
		    enum ui_role role, const char *text);
	void	(*flush)(void *data);
	/* Read the size again (SIGWINCH); repaint all at the next flush. */
	void	(*resize)(void *data);
	/* Give the terminal back for a while (C-z, $EDITOR); resume takes
	 * it again. */
	void	(*suspend)(void *data);
	void	(*resume)(void *data);
	/* Give the terminal back as it was; safe to call twice. */
	void	(*end)(void *data);
	/* Ring the terminal's bell. */
	void	(*bell)(void *data);
	/* Write a notification's escape sequence, built (and its text
	 * sanitised) by ui_surface_notify, as it is to the terminal. */
	void	(*notify)(void *data, const char *seq, size_t len);
	void	 *data;
};
/* The surface drawn on from now (the caller's; NULL: none). */
void ui_surface_set(const struct ui_surface *s);
void ui_surface_size(int *rows, int *cols);
void ui_surface_erase(void);
/* Draw text at row, col in exactly width cells (cut or padded). */
void ui_surface_text(int row, int col, int width, enum ui_role role,
    const char *text);
void ui_surface_flush(void);
void ui_surface_resize(void);
void ui_surface_suspend(void);
void ui_surface_resume(void);
void ui_surface_end(void);
void ui_surface_bell(void);
/* A desktop notification through the terminal in the form of
 * alert.notify (osc777: OSC 777;notify;TITLE;BODY, osc9: OSC 9;BODY,
 * off: none): title and body are untrusted, sanitised here (no control,
 * no bidi control, no ';', capped); inside tmux ($TMUX) the sequence is
 * wrapped in tmux's DCS passthrough. */
void ui_surface_notify(const char *title, const char *body);
/* The bytes ui_surface_notify writes for mode ("osc777", "osc9"), or NULL
 * for "off"; tmux: wrapped for tmux. Allocated, *len its length. */
char *ui_surface_notify_seq(const char *mode, const char *title,
    const char *body, int tmux, size_t *len);

/* ui-screen.c: the terminal through ncurses. Take it and return its
 * surface (static), or NULL when it is not a terminal. */
const struct ui_surface *ui_screen_init(void);
/* Give the terminal back as it was; safe to call twice. */
void ui_screen_end(void);

/* ui-screen-record.c: a surface in memory, a grid of cells with their
 * roles, read back as text by tests. */
struct ui_screen_record;
struct ui_screen_record *ui_screen_record_new(int rows, int cols);
void ui_screen_record_free(struct ui_screen_record *r);
/* Its surface, owned by r. */
const struct ui_surface *ui_screen_record_surface(struct ui_screen_record *r);
/* The size a terminal would have after a resize; read at the next
 * resize (UI_RELAYOUT), as from a terminal. */
void ui_screen_record_set_size(struct ui_screen_record *r, int rows,
    int cols);
/* The text of a row as last flushed, trailing blanks cut; owned by r,
 * valid until the next call. */
const char *ui_screen_record_line(struct ui_screen_record *r, int row);
/* The role of a cell as last flushed. */
enum ui_role ui_screen_record_role(struct ui_screen_record *r, int row,
    int col);
/* How many times the surface was flushed (a frame each). */
unsigned ui_screen_record_frames(struct ui_screen_record *r);
/* How many times the bell rang; the notifications written, how many and
 * the bytes of the last (owned by r, NULL when none). */
unsigned ui_screen_record_bells(struct ui_screen_record *r);
unsigned ui_screen_record_notifications(struct ui_screen_record *r);
const char *ui_screen_record_last_notify(struct ui_screen_record *r,
    size_t *len);

/* ui-input.c: keys from the terminal as strings ("j", "C-z", "PageDown",
 * "Enter", "Escape"), with the UTF-8 text of a character typed as itself
 * (NULL for other keys). */
struct ui_input;
struct ui_input *ui_input_new(int fd);
/* Keys from bytes the caller pushes, as a terminal of type term sends
 * them (tests): no file descriptor, ui_input_fd is -1. */
struct ui_input *ui_input_new_abstract(const char *term);
void ui_input_push(struct ui_input *in, const char *bytes, size_t len);
void ui_input_free(struct ui_input *in);
int ui_input_fd(struct ui_input *in);
/* Restore / take the terminal's input modes (around a suspend). */
void ui_input_stop(struct ui_input *in);
void ui_input_start(struct ui_input *in);
/* Read what is pending (or was pushed) and call cb for each complete
 * key. Return the milliseconds after which ui_input_flush must be called
 * (a lone Escape may start a sequence), or -1. */
typedef void (*ui_input_key_cb)(const char *key, const char *text,
    void *data);
int ui_input_read(struct ui_input *in, ui_input_key_cb cb, void *data);
void ui_input_flush(struct ui_input *in, ui_input_key_cb cb, void *data);

/* ui-list.c: the conversation list. */
struct store_conv;
struct ui_list;
struct ui_list *ui_list_new(void);
void ui_list_free(struct ui_list *l);
/* Replace the conversations (taken over), keeping the cursor on the same
 * conversation when it is still there. */
void ui_list_set(struct ui_list *l, struct store_conv **convs, size_t n);
size_t ui_list_count(struct ui_list *l);
size_t ui_list_cursor(struct ui_list *l);
/* Add conversations (taken over) after those there. */
void ui_list_append(struct ui_list *l, struct store_conv **convs, size_t n);
/* Move the cursor by delta rows, or to a row, clamped to the list. */
void ui_list_move(struct ui_list *l, long delta);
void ui_list_move_to(struct ui_list *l, long index);
/* The conversation at index i, or NULL; owned by the list. */
const struct store_conv *ui_list_at(struct ui_list *l, size_t i);
/* Show the conversations of this set (thread ids) as marked. */
void ui_list_set_marked(struct ui_list *l, const struct strset *marked);
/* The conversation under the cursor, or NULL; owned by the list. */
const struct store_conv *ui_list_selected(struct ui_list *l);
/* The other consoles' presence: a conversation one of them shows says so
 * in its row (the list keeps the pointer, not the entries). */
void ui_list_set_presence(struct ui_list *l, struct store_presence **p,
    size_t n);
/* Whether the list has the keys: its cursor is drawn as the unfocused
 * pane's when the sidebar has them. */
void ui_list_set_focus(struct ui_list *l, int focused);
/* What an empty list says instead of nothing (NULL: nothing); the list
 * keeps the pointer. */
void ui_list_set_hint(struct ui_list *l, const char *hint);
/* Draw at rows [top, top+rows), columns [left, left+cols). */
void ui_list_draw(struct ui_list *l, int top, int left, int rows, int cols,
    int64_t now);

/* ui-prompt.c: the one-line editor of the ':' prompt, with history and
 * completion of command and option names. */
struct ui_prompt;
struct ui_prompt *ui_prompt_new(void);
void ui_prompt_free(struct ui_prompt *p);
/* What Tab completes the whole line from (NULL-terminated, taken over;
 * NULL: commands and options); opening the prompt forgets them. */
void ui_prompt_set_words(struct ui_prompt *p, char **words);
/* Start editing an empty line, or one holding text. */
void ui_prompt_open(struct ui_prompt *p);
void ui_prompt_open_with(struct ui_prompt *p, const char *text);
enum ui_prompt_result {
	UI_PROMPT_EDITING,
	UI_PROMPT_DONE,		/* Enter: the line is in *line (allocated) */
	UI_PROMPT_CANCEL	/* Escape, or Backspace on an empty line */
};
enum ui_prompt_result ui_prompt_key(struct ui_prompt *p, const char *key,
    const char *text, char **line);
/* lead is what the prompt says before the line (":", "/", "label: "),
 * at most half the width. */
void ui_prompt_draw(struct ui_prompt *p, int row, int cols, const char *lead);

/* ui-compose.c: the composer's multi-line editor (keys: see the file). */
struct ui_compose;
struct ui_compose *ui_compose_new(const char *text, size_t len);
void ui_compose_free(struct ui_compose *c);
enum ui_compose_result {
	UI_COMPOSE_EDITING,
	UI_COMPOSE_SEND,	/* C-s, M-Enter */
	UI_COMPOSE_CLOSE,	/* Escape, C-g: the draft is kept */
	UI_COMPOSE_EDITOR,	/* M-e, C-o: to $EDITOR */
	UI_COMPOSE_TEMPLATE	/* C-t: a template by name */
};
enum ui_compose_result ui_compose_key(struct ui_compose *c, const char *key,
    const char *text);
const char *ui_compose_text(struct ui_compose *c, size_t *len);
void ui_compose_set_text(struct ui_compose *c, const char *text, size_t len);
/* The cursor's byte offset in the text. */
size_t ui_compose_cursor(struct ui_compose *c);
/* Replace bytes [from, to) of the text (from == to: insert) with text,
 * the cursor after it: a template at the cursor, a ;shortcut expanded. */
void ui_compose_replace(struct ui_compose *c, size_t from, size_t to,
    const char *text, size_t len);
/* Moves at every change of the text (drafts are saved when it moved). */
unsigned long ui_compose_generation(struct ui_compose *c);
/* Display rows the text takes at this width. */
int ui_compose_rows(struct ui_compose *c, int cols);
void ui_compose_draw(struct ui_compose *c, int top, int rows, int cols);

/* ui-pager.c: lines of text to scroll (the help screen). */
struct ui_pager;
/* Takes over lines[0..n) (allocated strings). */
struct ui_pager *ui_pager_new(const char *title, char **lines, size_t n);
void ui_pager_free(struct ui_pager *pg);
void ui_pager_scroll(struct ui_pager *pg, long delta, int rows);
void ui_pager_draw(struct ui_pager *pg, int top, int rows, int cols);
/* Search words (folded; NULL: the last ones again) forward (dir 1) or
 * backward (-1), the line found at the top: 0, or -1 when none has them. */
int ui_pager_search(struct ui_pager *pg, const char *words, int dir,
    int rows);
const char *ui_pager_title(struct ui_pager *pg);
/* text cut into lines of at most width cells (allocated, *n of them). */
char **ui_pager_wrap(const char *text, int width, size_t *n);
/* A key the help screen describes that no bind table holds (the
 * composer's, the prompts', the guard's, the pager's): each file that
 * handles such keys has a table of them, ending with { NULL, NULL }. */
struct ui_key_help {
	const char	*key;
	const char	*help;
};
extern const struct ui_key_help ui_pager_keys_help[];
extern const struct ui_key_help ui_compose_keys_help[];
extern const struct ui_key_help ui_prompt_keys_help[];

/* ui-thread.c: the messages of one conversation. */
struct ui_thread;
/* Takes over msgs (freed with the view). */
struct ui_thread *ui_thread_new(struct msg **msgs, size_t n,
    const char *title);
void ui_thread_free(struct ui_thread *t);
void ui_thread_scroll(struct ui_thread *t, long delta, int rows);
void ui_thread_scroll_end(struct ui_thread *t, int rows, int cols);
void ui_thread_draw(struct ui_thread *t, int top, int rows, int cols);
const char *ui_thread_title(struct ui_thread *t);
/* The public risk's line under the title ("risk 72: threatens to post
 * publicly, waiting 2h"; NULL: none), copied; and the one shown. */
void ui_thread_set_risk(struct ui_thread *t, const char *text);
const char *ui_thread_risk(struct ui_thread *t);
/* Is the view scrolled to its end? */
int ui_thread_at_end(struct ui_thread *t, int rows);
/* The newest reply whose delivery is unknown or that failed, or NULL. */
const struct msg *ui_thread_undelivered(struct ui_thread *t);
/* The customer as a person under the title (issue 16): the contact's
 * notes (c may be NULL) and the other conversations, newest first (their
 * thread ids kept for ui_thread_other). */
void ui_thread_set_contact(struct ui_thread *t, const struct contact *c,
    struct store_conv *const *others, size_t n, int64_t now);
/* The thread id of the i-th other conversation (0: the newest), or
 * NULL. */
const char *ui_thread_other(struct ui_thread *t, size_t i);
/* Long quotes (more than 3 quoted lines) shown or folded into one line:
 * toggled (the new state returned), read, set (kept over a reload). */
int ui_thread_toggle_quotes(struct ui_thread *t);
int ui_thread_quotes_open(struct ui_thread *t);
void ui_thread_set_quotes(struct ui_thread *t, int open);

/* ui.c */
struct ui_options {
	struct store_options	 store;
	/* When set, the console runs the syncer, run_syncer(syncer_arg), as
	 * its child whenever no process holds the sync lock, and stops it
	 * when it quits. run_syncer returns the child's exit status (75:
	 * another process took the lock first). The caller links the
	 * syncer: the console only asks it and reads what it writes. */
	int			(*run_syncer)(void *);
	void			*syncer_arg;
	/* When set (webhook channels declared), the status line says when
	 * the webhook receiver is not running or saw bad signatures. */
	int			 watch_webhook;
	const char		*view_name;	/* shown in the status line */
	const char		*query;
};
/* Add the console's commands to the command language (core's table), so
 * that config files, bindings and list-commands know them even where no
 * console runs; call once, before any command. */
void ui_commands_register(void);
/* Run the console on the terminal until the user quits; return the exit
 * status. */
int ui_run(const struct ui_options *opts);
/* The same console in steps, as ui_run drives it on the terminal and
 * tests drive it on a recording surface with an abstract input. */
struct ui;
/* Draw the first screen of the view on store (read-only). The console
 * takes over store and input, draws on surface until ui_finish, and is
 * freed by ui_finish. */
struct ui *ui_start(const struct ui_options *opts, struct store *store,
    const struct ui_surface *surface, struct ui_input *input);
/* One turn of the loop, waiting at most timeout ms (-1: no limit); 1
 * when the console is to quit, -1 when the loop failed. */
int ui_step(struct ui *ui, int timeout);
/* How many of the console's writes run in children not heard back of. */
int ui_writes_pending(const struct ui *ui);
/* Keys as the terminal's bytes, given to an abstract input, run and
 * drawn; 1 when the console is to quit. */
int ui_keys(struct ui *ui, const char *bytes);
/* Save what is typed, end the surface, free all; the exit status. */
int ui_finish(struct ui *ui);

#endif
