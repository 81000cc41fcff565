/*
 * ui-macro.c: macros recorded in the console. macro-record NAME keeps the
 * commands that keys and the prompt run (not the prompts that ask for
 * them, nor the recording's own) until macro-stop, which defines the
 * macro and appends it to the macros file for next time. Running macros
 * is core's macro-run; the console only forgets its marked set when the
 * outermost one ends.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ui/ui-private.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int	ui_cmd_macro_record_exec(void *, int, char **, char **);
static int	ui_cmd_macro_stop_exec(void *, int, char **, char **);

const struct cmd_entry ui_macro_entries[] = {
	{ .name = "macro-record",
	  .args_min = 1,
	  .args_max = 1,
	  .usage = N_("macro-record NAME"),
	  .help = N_("console: record the commands run by keys into a macro"),
	  .host_exec = ui_cmd_macro_record_exec },
	{ .name = "macro-stop",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "macro-stop",
	  .help = N_("console: end the recording, keep the macro"),
	  .host_exec = ui_cmd_macro_stop_exec },
	{ .name = NULL }
};

/* The macro being recorded (NULL when none) and its commands so far. */
static char		*ui_macro_name;
static struct buf	 ui_macro_text;

/* Whether a command is worth replaying: not one that asks, moves to the
 * help, the terminal or the recording itself. */
static int
ui_macro_kept(const char *name)
{
	size_t	len = strlen(name);

	return strncmp(name, "macro-", 6) != 0 &&
	    !(len > 7 && strcmp(name + len - 7, "-prompt") == 0) &&
	    strcmp(name, "help") != 0 &&
	    strcmp(name, "quit") != 0 &&
	    strcmp(name, "suspend") != 0 &&
	    strcmp(name, "redraw") != 0;
}

void
ui_macro_record(const char *command)
{
	struct cmd_list	*list;
	char		*cause;
	int		 keep = 0, i;

	if (ui_macro_name == NULL)
		return;
	if ((list = cmd_parse(command, &cause)) == NULL) {
		free(cause);	/* running it says why */
		return;
	}
	for (i = 0; i < list->n; i++) {
		if (list->argc[i] > 0 && ui_macro_kept(list->argv[i][0]))
			keep = 1;
	}
	cmd_list_free(list);
	if (keep) {
		if (ui_macro_text.len > 0)
			buf_add_str(&ui_macro_text, "; ");
		buf_add_str(&ui_macro_text, command);
	}
}

void
ui_macro_end(void *data)
{
	struct ui	*ui = data;

	strset_free(&ui->marked);
	ui->react |= UI_REDRAW;
}

void
ui_macro_free(void)
{
	free(ui_macro_name);
	ui_macro_name = NULL;
	buf_free(&ui_macro_text);
}

static int
ui_cmd_macro_record_exec(void *data, int argc, char **argv, char **cause)
{
	(void)argc;
	if (!macro_name_valid(argv[1])) {
		*cause = xstrdup(_("bad name (letters, digits, - _)"));
		return -1;
	}
	ui_macro_free();
	ui_macro_name = xstrdup(argv[1]);
	buf_init(&ui_macro_text);
	ui_set_message(data, 0, _("recording macro %s (macro-stop ends it)"),
	    argv[1]);
	return UI_REDRAW;
}

/* Append a macro's line to the macros file; return 0, or -1. */
static int
ui_macro_keep(const char *path, const char *line)
{
	FILE	*f;
	char	*dir;
	int	 fd, kept;

	dir = xstrdup(path);
	*strrchr(dir, '/') = '\0';
	util_mkdir_p(dir, 0700);
	free(dir);
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd == -1)
		return -1;
	if ((f = fdopen(fd, "a")) == NULL) {
		close(fd);
		return -1;
	}
	kept = fputs(line, f) != EOF;
	if (fclose(f) != 0)
		kept = 0;
	return kept ? 0 : -1;
}

static int
ui_cmd_macro_stop_exec(void *data, int argc, char **argv, char **cause)
{
	struct ui	*ui = data;
	struct buf	 b;
	char		*path;

	(void)argc;
	(void)argv;
	if (ui_macro_name == NULL) {
		*cause = xstrdup(_("no macro is being recorded"));
		return -1;
	}
	if (ui_macro_text.len == 0) {
		ui_set_message(ui, 0, _("macro %s: nothing recorded"),
		    ui_macro_name);
		ui_macro_free();
		return UI_REDRAW;
	}
	macro_define(ui_macro_name, ui_macro_text.data);
	/* Kept for next time: a line of the macros file. */
	buf_init(&b);
	/* not translated: a line of the macros file (the config language) */
	buf_add_printf(&b, "macro %s ", ui_macro_name);
	cmd_quote_word(&b, ui_macro_text.data);
	buf_add_char(&b, '\n');
	path = config_macros_path();
	if (path != NULL && ui_macro_keep(path, b.data) == 0)
		ui_set_message(ui, 0, _("macro %s recorded, kept in %s"),
		    ui_macro_name, path);
	else
		ui_set_message(ui, 1, _("macro %s recorded, but not kept: %s"),
		    ui_macro_name, path != NULL ? path :
		    _("no config directory"));
	free(path);
	buf_free(&b);
	ui_macro_free();
	return UI_REDRAW;
}
