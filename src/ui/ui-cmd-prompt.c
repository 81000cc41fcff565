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
	  .help = N_("console: ask whom to assign the selection to"),
	  .host_exec = ui_cmd_assign_prompt_exec },
	{ .name = "command-prompt",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "command-prompt",
	  .help = N_("console: open the ':' prompt to type commands"),
	  .host_exec = ui_cmd_command_prompt_exec },
	{ .name = "label-prompt",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "label-prompt",
	  .help = N_("console: ask for a label to put on the selection"),
	  .host_exec = ui_cmd_label_prompt_exec },
	{ .name = "search-prompt",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "search-prompt",
	  .help = N_("console: open the '/' prompt for a notmuch query"),
	  .host_exec = ui_cmd_search_prompt_exec },
	{ .name = "snooze-prompt",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "snooze-prompt",
	  .help = N_("console: ask until when to snooze the selection"),
	  .host_exec = ui_cmd_snooze_prompt_exec },
	{ .name = NULL }
};

/* Which prompt is open. */
enum ui_cmd_prompting {
	UI_CMD_PROMPTING_NONE,
	UI_CMD_PROMPTING_COMMAND,	/* ':' */
	UI_CMD_PROMPTING_SEARCH,	/* '/' */
	UI_CMD_PROMPTING_SNOOZE,	/* 's' */
	UI_CMD_PROMPTING_LABEL,		/* 'l' */
	UI_CMD_PROMPTING_ASSIGN,	/* 'A' */
	UI_CMD_PROMPTING_PAGER		/* '/' over the pager */
};

/* The one-line editor (its history lasts as long as the console) and
 * the prompt it serves, if one is open. */
static struct ui_prompt		*ui_cmd_prompt;
static enum ui_cmd_prompting	 ui_cmd_prompting;

/* What each prompt shows before the line. */
static const char *const ui_cmd_prompt_leads[] = {
	"", ":", "/",
	N_("snooze until (1: 1h, 2: 4h, 3: tomorrow 9:00, 4: next week, or a "
	    "time): "),
	N_("label: "),
	N_("assign to: "),
	N_("search this screen: ")
};

/* Snooze presets, by the digit typed at the snooze prompt. */
static const char *const ui_cmd_prompt_presets[] = {
	"1h", "4h", "tomorrow", "next week"
};

static struct ui_prompt *
ui_cmd_prompt_editor(void)
{
	if (ui_cmd_prompt == NULL)
		ui_cmd_prompt = ui_prompt_new();
	return ui_cmd_prompt;
}

static int
ui_cmd_prompt_open(enum ui_cmd_prompting kind)
{
	ui_prompt_open(ui_cmd_prompt_editor());
	ui_cmd_prompting = kind;
	return UI_REDRAW;
}

void
ui_cmd_prompt_command(const char *text)
{
	ui_prompt_open_with(ui_cmd_prompt_editor(), text);
	ui_cmd_prompting = UI_CMD_PROMPTING_COMMAND;
}

void
ui_cmd_prompt_pager_search(void)
{
	ui_cmd_prompt_open(UI_CMD_PROMPTING_PAGER);
}

void
ui_cmd_prompt_words(char **words)
{
	ui_prompt_set_words(ui_cmd_prompt_editor(), words);
}

void
ui_cmd_prompt_free(void)
{
	ui_prompt_free(ui_cmd_prompt);
	ui_cmd_prompt = NULL;
	ui_cmd_prompting = UI_CMD_PROMPTING_NONE;
}

static int
ui_cmd_command_prompt_exec(void *data, int argc, char **argv, char **cause)
{
	(void)data;
	(void)argc;
	(void)argv;
	(void)cause;
	return ui_cmd_prompt_open(UI_CMD_PROMPTING_COMMAND);
}

static int
ui_cmd_search_prompt_exec(void *data, int argc, char **argv, char **cause)
{
	(void)data;
	(void)argc;
	(void)argv;
	(void)cause;
	return ui_cmd_prompt_open(UI_CMD_PROMPTING_SEARCH);
}

static int
ui_cmd_snooze_prompt_exec(void *data, int argc, char **argv, char **cause)
{
	(void)data;
	(void)argc;
	(void)argv;
	(void)cause;
	return ui_cmd_prompt_open(UI_CMD_PROMPTING_SNOOZE);
}

/* l's prompt completes the labels already in the store (Tab). */
static int
ui_cmd_label_prompt_exec(void *data, int argc, char **argv, char **cause)
{
	struct ui	*ui = data;
	char		**labels = NULL, *why = NULL;
	size_t		  n;
	int		  rc;

	(void)argc;
	(void)argv;
	(void)cause;
	rc = ui_cmd_prompt_open(UI_CMD_PROMPTING_LABEL);
	if (ui->store != NULL && store_labels(ui->store, &labels, &n,
	    &why) != STORE_OK) {
		free(why);
		labels = NULL;
	}
	ui_prompt_set_words(ui_cmd_prompt, labels);
	return rc;
}

/* A's prompt completes the known agents and teams (Tab). */
static int
ui_cmd_assign_prompt_exec(void *data, int argc, char **argv, char **cause)
{
	int	rc;

	(void)argc;
	(void)argv;
	(void)cause;
	rc = ui_cmd_prompt_open(UI_CMD_PROMPTING_ASSIGN);
	ui_prompt_set_words(ui_cmd_prompt, ui_known_targets(data));
	return rc;
}

/* Run what a prompt was for with the line typed. */
static void
ui_cmd_prompt_done(struct ui *ui, enum ui_cmd_prompting kind,
    const char *line)
{
	char	*command;

	switch (kind) {
	case UI_CMD_PROMPTING_SEARCH:
		ui_search(ui, line);
		return;
	case UI_CMD_PROMPTING_COMMAND:
		ui_run_command_shown(ui, line);
		return;
	case UI_CMD_PROMPTING_PAGER:
		ui_cmd_screen_pager_search(ui, line);
		return;
	default:
		break;
	}
	while (*line == ' ')
		line++;
	if (*line == '\0')
		return;
	if (kind == UI_CMD_PROMPTING_SNOOZE && line[0] >= '1' && line[0] <= '4' &&
	    line[1] == '\0')
		line = ui_cmd_prompt_presets[line[0] - '1'];
	/* The typed words become one quoted argument of the command. */
	if (strchr(line, '\'') != NULL) {
		ui_set_message(ui, 1, _("no quote here, please"));
		return;
	}
	command = xasprintf("%s '%s'", kind == UI_CMD_PROMPTING_SNOOZE ? "snooze" :
	    kind == UI_CMD_PROMPTING_LABEL ? "label" : "assign", line);
	ui_run_command(ui, command);
	free(command);
}

int
ui_cmd_prompt_key(struct ui *ui, const char *key, const char *text)
{
	enum ui_cmd_prompting	 kind = ui_cmd_prompting;
	char			*line;

	if (kind == UI_CMD_PROMPTING_NONE)
		return 0;
	switch (ui_prompt_key(ui_cmd_prompt, key, text, &line)) {
	case UI_PROMPT_DONE:
		free(ui->message);
		ui->message = NULL;
		ui->message_error = 0;
		ui_cmd_prompt_done(ui, kind, line);
		ui_cmd_prompting = UI_CMD_PROMPTING_NONE;
		free(line);
		break;
	case UI_PROMPT_CANCEL:
		ui_cmd_prompting = UI_CMD_PROMPTING_NONE;
		break;
	case UI_PROMPT_EDITING:
		break;
	}
	ui->react |= UI_REDRAW;
	return 1;
}

int
ui_cmd_prompt_is_open(void)
{
	return ui_cmd_prompting != UI_CMD_PROMPTING_NONE;
}

int
ui_cmd_prompt_draw(int row, int cols)
{
	if (ui_cmd_prompting == UI_CMD_PROMPTING_NONE)
		return 0;
	/* The ':' and '/' leads are no words (and "" is gettext's header). */
	ui_prompt_draw(ui_cmd_prompt, row, cols,
	    ui_cmd_prompting >= UI_CMD_PROMPTING_SNOOZE ?
	    _(ui_cmd_prompt_leads[ui_cmd_prompting]) :
	    ui_cmd_prompt_leads[ui_cmd_prompting]);
	return 1;
}
