/*
 * ui-cmd-prompt.c: the console's prompts: ':' for commands, '/' for a
 * search, and the ones that ask a triage command its argument (snooze,
 * label, assign). While one is open it has the keys; its line, once
 * entered, runs as commands.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "ui/ui-private.h"

#include <stdlib.h>
#include <string.h>

static int	ui_cmd_assign_prompt_exec(void *, int, char **, char **);
static int	ui_cmd_command_prompt_exec(void *, int, char **, char **);
static int	ui_cmd_label_prompt_exec(void *, int, char **, char **);
static int	ui_cmd_search_prompt_exec(void *, int, char **, char **);
static int	ui_cmd_snooze_prompt_exec(void *, int, char **, char **);

const struct cmd_entry ui_cmd_prompt_entries[] = {
	{ .name = "assign-prompt",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "assign-prompt",
	  .help = "console: ask whom to assign the selection to",
	  .host_exec = ui_cmd_assign_prompt_exec },
	{ .name = "command-prompt",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "command-prompt",
	  .help = "console: open the ':' prompt to type commands",
	  .host_exec = ui_cmd_command_prompt_exec },
	{ .name = "label-prompt",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "label-prompt",
	  .help = "console: ask for a label to put on the selection",
	  .host_exec = ui_cmd_label_prompt_exec },
	{ .name = "search-prompt",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "search-prompt",
	  .help = "console: open the '/' prompt for a notmuch query",
	  .host_exec = ui_cmd_search_prompt_exec },
	{ .name = "snooze-prompt",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "snooze-prompt",
	  .help = "console: ask until when to snooze the selection",
	  .host_exec = ui_cmd_snooze_prompt_exec },
	{ .name = NULL }
};

/* What each prompt shows before the line, by UI_PROMPTING_*. */
static const char *const ui_cmd_prompt_leads[] = {
	"", ":", "/",
	"snooze until (1: 1h, 2: 4h, 3: tomorrow 9:00, 4: next week, or a "
	    "time): ",
	"label: ",
	"assign to: "
};

/* Snooze presets, by the digit typed at the snooze prompt. */
static const char *const ui_cmd_prompt_presets[] = {
	"1h", "4h", "tomorrow", "next week"
};

static int
ui_cmd_prompt_open(struct ui *ui, int kind)
{
	ui_prompt_open(ui->prompt);
	ui->prompting = kind;
	return UI_REDRAW;
}

static int
ui_cmd_command_prompt_exec(void *data, int argc, char **argv, char **cause)
{
	(void)argc;
	(void)argv;
	(void)cause;
	return ui_cmd_prompt_open(data, UI_PROMPTING_COMMAND);
}

static int
ui_cmd_search_prompt_exec(void *data, int argc, char **argv, char **cause)
{
	(void)argc;
	(void)argv;
	(void)cause;
	return ui_cmd_prompt_open(data, UI_PROMPTING_SEARCH);
}

static int
ui_cmd_snooze_prompt_exec(void *data, int argc, char **argv, char **cause)
{
	(void)argc;
	(void)argv;
	(void)cause;
	return ui_cmd_prompt_open(data, UI_PROMPTING_SNOOZE);
}

static int
ui_cmd_label_prompt_exec(void *data, int argc, char **argv, char **cause)
{
	(void)argc;
	(void)argv;
	(void)cause;
	return ui_cmd_prompt_open(data, UI_PROMPTING_LABEL);
}

static int
ui_cmd_assign_prompt_exec(void *data, int argc, char **argv, char **cause)
{
	(void)argc;
	(void)argv;
	(void)cause;
	return ui_cmd_prompt_open(data, UI_PROMPTING_ASSIGN);
}

/* Run what a prompt was for with the line typed. */
static void
ui_cmd_prompt_done(struct ui *ui, int kind, const char *line)
{
	char	*command;

	switch (kind) {
	case UI_PROMPTING_SEARCH:
		ui_search(ui, line);
		return;
	case UI_PROMPTING_COMMAND:
		ui_run_command(ui, line);
		return;
	default:
		break;
	}
	while (*line == ' ')
		line++;
	if (*line == '\0')
		return;
	if (kind == UI_PROMPTING_SNOOZE && line[0] >= '1' && line[0] <= '4' &&
	    line[1] == '\0')
		line = ui_cmd_prompt_presets[line[0] - '1'];
	/* The typed words become one quoted argument of the command. */
	if (strchr(line, '\'') != NULL) {
		ui_set_message(ui, 1, "no quote here, please");
		return;
	}
	command = xasprintf("%s '%s'", kind == UI_PROMPTING_SNOOZE ? "snooze" :
	    kind == UI_PROMPTING_LABEL ? "label" : "assign", line);
	ui_run_command(ui, command);
	free(command);
}

int
ui_cmd_prompt_key(struct ui *ui, const char *key, const char *text)
{
	char	*line;
	int	 kind = ui->prompting;

	if (kind == 0)
		return 0;
	switch (ui_prompt_key(ui->prompt, key, text, &line)) {
	case UI_PROMPT_DONE:
		free(ui->message);
		ui->message = NULL;
		ui->message_error = 0;
		ui_cmd_prompt_done(ui, kind, line);
		ui->prompting = 0;
		free(line);
		break;
	case UI_PROMPT_CANCEL:
		ui->prompting = 0;
		break;
	case UI_PROMPT_EDITING:
		break;
	}
	ui->react |= UI_REDRAW;
	return 1;
}

int
ui_cmd_prompt_draw(struct ui *ui, int row, int cols)
{
	if (ui->prompting == 0)
		return 0;
	ui_prompt_draw(ui->prompt, row, cols,
	    ui_cmd_prompt_leads[ui->prompting]);
	return 1;
}
