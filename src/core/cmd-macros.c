/*
 * cmd-macros.c: the commands on macros, named strings of commands: macro
 * defines or shows them, macro-run runs one.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <stdlib.h>
#include <string.h>

static enum cmd_retval	cmd_macro_exec(struct cmd_ctx *, int, char **);
static enum cmd_retval	cmd_macro_run_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_macros_entries[] = {
	{ .name = "macro",
	  .args_min = 0,
	  .args_max = -1,
	  .usage = N_("macro [NAME [COMMANDS...]]"),
	  .help = N_("define a named string of commands, or show one or all"),
	  .exec = cmd_macro_exec },
	{ .name = "macro-run",
	  .args_min = 1,
	  .args_max = 1,
	  .usage = N_("macro-run NAME"),
	  .help = N_("run a macro (in the console, on the marked set)"),
	  .exec = cmd_macro_run_exec },
	{ .name = NULL }
};

static void
cmd_macro_one(const char *name, const char *commands, void *data)
{
	struct cmd_ctx	*ctx = data;
	struct buf	 b;

	buf_init(&b);
	buf_add_printf(&b, "macro %s ", name);
	cmd_quote_word(&b, commands);
	cmd_print(ctx, "%s", b.data);
	buf_free(&b);
}

/* macro [NAME [COMMANDS...]]: one word is a string of commands, several
 * one command (as bind). */
static enum cmd_retval
cmd_macro_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char	*commands;
	char		*text, *cause;

	if (argc == 1) {
		macro_each(cmd_macro_one, ctx);
		return CMD_NORMAL;
	}
	if (!macro_name_valid(argv[1]))
		return cmd_error(ctx, _("macro: bad name "
		    "(letters, digits, - _)"));
	if (argc == 2) {
		if ((commands = macro_find(argv[1])) == NULL)
			return cmd_error(ctx, _("no macro %s"), argv[1]);
		cmd_macro_one(argv[1], commands, ctx);
		return CMD_NORMAL;
	}
	if (argc == 3)
		text = xstrdup(argv[2]);
	else
		text = cmd_join_quoted(argv, 2, argc);
	if (cmd_check_string(text, &cause) != 0) {
		cmd_error(ctx, _("macro %s: %s"), argv[1], cause);
		free(cause);
		free(text);
		return CMD_ERROR;
	}
	macro_define(argv[1], text);
	free(text);
	return CMD_NORMAL;
}

/*
 * macro-run NAME: its commands in turn. A macro may run macros; when the
 * outermost ends, the host hears of it (the console acts on the marked
 * set for the whole macro, then forgets it).
 */
static enum cmd_retval
cmd_macro_run_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char	*commands;
	char		*copy;
	enum cmd_retval	 retval;

	(void)argc;
	if ((commands = macro_find(argv[1])) == NULL)
		return cmd_error(ctx, _("no macro %s"), argv[1]);
	copy = xstrdup(commands);	/* it may redefine itself */
	ctx->macro_depth++;
	retval = cmd_run_string(ctx, copy);
	if (--ctx->macro_depth == 0 && ctx->host != NULL &&
	    ctx->host->macro_end != NULL)
		ctx->host->macro_end(ctx->host->data);
	free(copy);
	return retval;
}
