/*
 * ui-cmd-screen.c: the console's commands on the screen itself: the help
 * screen of every key by pane, the messages logged (:messages), the
 * pager's search keys, quitting, giving the terminal back (C-z) and
 * drawing it all again.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ui/ui-private.h"

#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int	ui_cmd_help_exec(void *, int, char **, char **);
static int	ui_cmd_messages_exec(void *, int, char **, char **);
static int	ui_cmd_quit_exec(void *, int, char **, char **);
static int	ui_cmd_redraw_exec(void *, int, char **, char **);
static int	ui_cmd_suspend_exec(void *, int, char **, char **);

const struct cmd_entry ui_cmd_screen_entries[] = {
	{ .name = "help",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "help",
	  .help = N_("console: the screen of every key binding"),
	  .host_exec = ui_cmd_help_exec },
	{ .name = "messages",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "messages",
	  .help = N_("console: every line logged since the start (config errors, "
	      "failed writes, hooks, refused sends) in the pager"),
	  .host_exec = ui_cmd_messages_exec },
	{ .name = "quit",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "quit",
	  .help = N_("console: quit"),
	  .host_exec = ui_cmd_quit_exec },
	{ .name = "redraw",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "redraw",
	  .help = N_("console: redraw the screen"),
	  .host_exec = ui_cmd_redraw_exec },
	{ .name = "suspend",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "suspend",
	  .help = N_("console: give the terminal back to the shell (fg resumes)"),
	  .host_exec = ui_cmd_suspend_exec },
	{ .name = NULL }
};

/* The lines of a pager being built. */
struct ui_cmd_help_lines {
	char	**lines;
	size_t	  n;
	int	  cols;		/* the screen's width: helps wrap to it */
};

int
ui_cmd_screen_in_help(struct ui *ui)
{
	ui_set_message(ui, 0, _("Escape closes the help"));
	return UI_REDRAW;
}

static void OMBRE_PRINTF(2, 3)
ui_cmd_help_add(struct ui_cmd_help_lines *h, const char *fmt, ...)
{
	va_list	ap;

	h->lines = xreallocarray(h->lines, h->n + 1, sizeof *h->lines);
	va_start(ap, fmt);
	h->lines[h->n++] = xvasprintf(fmt, ap);
	va_end(ap);
}

/* What a bound command does: its row's help, without the "console: "
 * every console row starts with. */
static const char *
ui_cmd_help_of(const char *command)
{
	const struct cmd_entry	*ce;
	const char		*colon;
	char			 name[64];
	size_t			 len;

	len = strcspn(command, " ;");
	if (len >= sizeof name)
		return "";
	memcpy(name, command, len);
	name[len] = '\0';
	if ((ce = cmd_find(name)) == NULL || ce->help == NULL ||
	    *ce->help == '\0')
		return "";
	if (strncmp(ce->help, "console: ", 9) == 0 &&
	    (colon = strstr(_(ce->help), ": ")) != NULL)
		return colon + 2;
	return _(ce->help);
}

/* A line of the help: lead (the key, its command) then the help, wrapped
 * under itself when the screen is too narrow for it. */
static void
ui_cmd_help_line(struct ui_cmd_help_lines *h, const char *lead,
    const char *help)
{
	char	**parts;
	size_t	  n, i;
	int	  indent = (int)utf8_width(lead, strlen(lead));

	parts = ui_pager_wrap(help, h->cols - indent > 20 ? h->cols - indent :
	    20, &n);
	for (i = 0; i < n; i++) {
		ui_cmd_help_add(h, "%*s%s", i == 0 ? 0 : indent,
		    i == 0 ? lead : "", parts[i]);
		free(parts[i]);
	}
	free(parts);
}

static void
ui_cmd_help_binding(const char *table, const char *key, const char *command,
    void *data)
{
	struct ui_cmd_help_lines	*h = data;
	char				*lead;

	(void)table;
	lead = xasprintf("  %-10s %-22s ", key, command);
	ui_cmd_help_line(h, lead, ui_cmd_help_of(command));
	free(lead);
}

static void
ui_cmd_help_table(struct ui_cmd_help_lines *h, const char *title,
    const struct ui_key_help *keys)
{
	char	*lead;

	ui_cmd_help_add(h, "%s", "");
	ui_cmd_help_add(h, "%s", title);

	for (; keys->key != NULL; keys++) {
		lead = xasprintf("  %-20s ", keys->key);
		ui_cmd_help_line(h, lead, _(keys->help));
		free(lead);
	}
}

/* After the keys, what the badges of the list stand for. */
static void
ui_cmd_help_legend(struct ui_cmd_help_lines *h)
{
	const struct channel_info *const	*all = channel_info_all();
	struct buf				 b;
	size_t					 i;

	ui_cmd_help_add(h, "%s", "");
	buf_init(&b);
	buf_add_str(&b, _("Badges:"));
	for (i = 0; all[i] != NULL; i++)
		buf_add_printf(&b, " %s %s%s", all[i]->badge, all[i]->name,
		    all[i + 1] != NULL ? "," : "");
	h->lines = xreallocarray(h->lines, h->n + 1, sizeof *h->lines);
	h->lines[h->n++] = buf_steal(&b);
}

/*
 * The help screen, headed "Keys": every key with what it does, by pane.
 * The bound keys come from the bind tables (a user's binds included)
 * with their command's one-line help; the keys no table holds (the
 * composer's, the guard's, the sidebar's, the prompts', the pager's) from
 * the small table next to where each is handled.
 */
static int
ui_cmd_help_exec(void *data, int argc, char **argv, char **cause)
{
	struct ui			*ui = data;
	struct ui_cmd_help_lines	 h = { NULL, 0, 80 };
	int				 rows;

	(void)argc;
	(void)argv;
	(void)cause;
	ui_surface_size(&rows, &h.cols);
	ui_cmd_help_add(&h, "%s", _("List and conversation (bind -T root)"));
	keys_each("root", ui_cmd_help_binding, &h);
	ui_cmd_help_add(&h, "%s", "");
	ui_cmd_help_add(&h, "%s", _("Conversation list (bind -T list)"));
	keys_each("list", ui_cmd_help_binding, &h);
	ui_cmd_help_add(&h, "%s", "");
	ui_cmd_help_add(&h, "%s", _("Conversation (bind -T thread)"));
	keys_each("thread", ui_cmd_help_binding, &h);
	ui_cmd_help_table(&h, _("Sidebar (Tab gives it the keys)"),
	    ui_cmd_sidebar_keys_help);
	ui_cmd_help_table(&h, _("Composer (r reply, p note)"),
	    ui_compose_keys_help);
	ui_cmd_help_table(&h, _("A held reply (the conversation moved since "
	    "you began)"), ui_reply_guard_keys_help);
	ui_cmd_help_table(&h, _("Prompts (: command, / search, s l A, C-t)"),
	    ui_prompt_keys_help);
	ui_cmd_help_table(&h, _("This screen and every pager (:messages, "
	    "list-keys...)"), ui_pager_keys_help);
	ui_cmd_help_legend(&h);
	ui_show_lines(ui, _("Keys by pane (/ searches, n N, Escape closes; "
	    "bind changes them)"), h.lines, h.n);
	return UI_REDRAW;
}

/*
 * messages: every line this console's process logged (config errors at
 * start, failed writes, hooks, refused sends: what the status line
 * said), oldest first, as tmux's show-messages lists them.
 */
static int
ui_cmd_messages_exec(void *data, int argc, char **argv, char **cause)
{
	struct ui			*ui = data;
	struct ui_cmd_help_lines	 h = { NULL, 0, 0 };
	enum log_level			 level;
	const char			*text;
	int64_t				 when;
	time_t				 t;
	struct tm			 tm;
	char				 stamp[32];
	size_t				 i;
	static const char *const	 names[] = {
		"info", "error", "debug", "fatal"
	};

	(void)argc;
	(void)argv;
	(void)cause;
	for (i = 0; (text = log_ring_get(i, &when, &level)) != NULL; i++) {
		t = (time_t)when;
		if (localtime_r(&t, &tm) == NULL ||
		    strftime(stamp, sizeof stamp, "%Y-%m-%d %H:%M:%S", &tm) == 0)
			snprintf(stamp, sizeof stamp, "?");
		ui_cmd_help_add(&h, "%s %-5s %s", stamp, names[level], text);
	}
	if (h.n == 0)
		ui_cmd_help_add(&h, "%s", _("(nothing logged since the "
		    "console started)"));
	ui_show_lines(ui, _("Messages of this run, oldest first (Escape "
	    "closes)"), h.lines, h.n);
	return UI_REDRAW;
}

/* The pager's search, on its own keys while it shows. */
int
ui_cmd_screen_pager_key(struct ui *ui, const char *key)
{
	int	rows, cols;

	if (ui->pager == NULL)
		return 0;
	if (strcmp(key, "/") == 0) {
		ui_cmd_prompt_pager_search();
		ui->react |= UI_REDRAW;
		return 1;
	}
	if (strcmp(key, "n") != 0 && strcmp(key, "N") != 0)
		return 0;
	ui_surface_size(&rows, &cols);
	if (ui_pager_search(ui->pager, NULL, key[0] == 'n' ? 1 : -1,
	    rows - 2) != 0)
		ui_set_message(ui, 0, _("no match (/ searches)"));
	ui->react |= UI_REDRAW;
	return 1;
}

void
ui_cmd_screen_pager_search(struct ui *ui, const char *words)
{
	int	rows, cols;

	if (ui->pager == NULL || *words == '\0')
		return;
	ui_surface_size(&rows, &cols);
	if (ui_pager_search(ui->pager, words, 1, rows - 2) != 0)
		ui_set_message(ui, 0, _("not found: %s"), words);
	ui->react |= UI_REDRAW;
}

static int
ui_cmd_quit_exec(void *data, int argc, char **argv, char **cause)
{
	(void)data;
	(void)argc;
	(void)argv;
	(void)cause;
	return UI_QUIT;
}

static int
ui_cmd_redraw_exec(void *data, int argc, char **argv, char **cause)
{
	(void)data;
	(void)argc;
	(void)argv;
	(void)cause;
	return UI_RELAYOUT | UI_REDRAW;
}

/*
 * C-z. libtermkey turns the terminal's suspend character off, so this is
 * a command: give the terminal back, stop with SIGTSTP's default action,
 * and when the shell continues us (SIGCONT) take it again and redraw.
 */
static int
ui_cmd_suspend_exec(void *data, int argc, char **argv, char **cause)
{
	struct ui		*ui = data;
	struct sigaction	 sa, old;

	(void)argc;
	(void)argv;
	(void)cause;
	ui_input_stop(ui->input);
	ui_surface_suspend();
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTSTP, &sa, &old);
	raise(SIGTSTP);
	/* Continued. */
	sigaction(SIGTSTP, &old, NULL);
	ui_input_start(ui->input);
	ui_surface_resume();
	return UI_RELAYOUT | UI_REDRAW;
}
