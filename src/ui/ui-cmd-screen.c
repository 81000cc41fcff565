/*
 * ui-cmd-screen.c: the console's commands on the screen itself: the help
 * screen of every key, quitting, giving the terminal back (C-z) and
 * drawing it all again.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ui/ui-private.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

static int	ui_cmd_help_exec(void *, int, char **, char **);
static int	ui_cmd_quit_exec(void *, int, char **, char **);
static int	ui_cmd_redraw_exec(void *, int, char **, char **);
static int	ui_cmd_suspend_exec(void *, int, char **, char **);

const struct cmd_entry ui_cmd_screen_entries[] = {
	{ .name = "help",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "help",
	  .help = "console: the screen of every key binding",
	  .host_exec = ui_cmd_help_exec },
	{ .name = "quit",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "quit",
	  .help = "console: quit",
	  .host_exec = ui_cmd_quit_exec },
	{ .name = "redraw",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "redraw",
	  .help = "console: redraw the screen",
	  .host_exec = ui_cmd_redraw_exec },
	{ .name = "suspend",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "suspend",
	  .help = "console: give the terminal back to the shell (fg resumes)",
	  .host_exec = ui_cmd_suspend_exec },
	{ .name = NULL }
};

/* The help screen collects what list-keys prints. */
struct ui_cmd_help_lines {
	char	**lines;
	size_t	  n;
};

int
ui_cmd_screen_in_help(struct ui *ui)
{
	ui_set_message(ui, 0, "Escape closes the help");
	return UI_REDRAW;
}

static void
ui_cmd_help_print(struct cmd_ctx *ctx, const char *text)
{
	struct ui_cmd_help_lines	*h = ctx->data;

	h->lines = xreallocarray(h->lines, h->n + 1, sizeof *h->lines);
	h->lines[h->n++] = xstrdup(text);
}

/* After the keys, what the badges of the list stand for. */
static void
ui_cmd_help_legend(struct ui_cmd_help_lines *h)
{
	const struct channel_info *const	*all = channel_info_all();
	struct buf				 b;
	size_t					 i;

	h->lines = xreallocarray(h->lines, h->n + 3, sizeof *h->lines);
	h->lines[h->n++] = xstrdup("");
	buf_init(&b);
	buf_add_str(&b, "Badges:");
	for (i = 0; all[i] != NULL; i++)
		buf_add_printf(&b, " %s %s%s", all[i]->badge, all[i]->name,
		    all[i + 1] != NULL ? "," : "");
	h->lines[h->n++] = buf_steal(&b);
}

/* The screen headed "Keys": every binding, as list-keys prints it. */
static int
ui_cmd_help_exec(void *data, int argc, char **argv, char **cause)
{
	struct ui			*ui = data;
	struct ui_cmd_help_lines	 h = { NULL, 0 };
	struct cmd_ctx			 ctx;

	(void)argc;
	(void)argv;
	(void)cause;
	memset(&ctx, 0, sizeof ctx);
	ctx.print = ui_cmd_help_print;
	ctx.error = ui_cmd_help_print;
	ctx.data = &h;
	cmd_run_string(&ctx, "list-keys");
	ui_cmd_help_legend(&h);
	ui_pager_free(ui->pager);
	ui->pager = ui_pager_new("Keys (each runs a command; see list-keys, "
	    "bind)", h.lines, h.n);
	return UI_REDRAW;
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
