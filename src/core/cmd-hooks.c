/*
 * cmd-hooks.c: the command hook, which declares a shell command the
 * syncer runs on an event of a conversation, or shows those declared.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <stdlib.h>
#include <string.h>

static enum cmd_retval	cmd_hook_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_hooks_entries[] = {
	{ .name = "hook",
	  .args_min = 0,
	  .args_max = -1,
	  .usage = N_("hook [EVENT [COMMAND...]]"),
	  .help = N_("run a shell command (the syncer does) with the event as "
	      "JSON on its standard input, or show the hooks"),
	  .exec = cmd_hook_exec },
	{ .name = NULL }
};

struct cmd_hook_show {
	struct cmd_ctx	*ctx;
	const char	*event;		/* only this one, or NULL */
};

static void
cmd_hook_one(const char *event, const char *command, void *data)
{
	struct cmd_hook_show	*show = data;
	struct buf		 b;

	if (show->event != NULL && strcmp(show->event, event) != 0)
		return;
	buf_init(&b);
	buf_add_printf(&b, "hook %s ", event);
	cmd_quote_word(&b, command);
	cmd_print(show->ctx, "%s", b.data);
	buf_free(&b);
}

/*
 * hook [EVENT [COMMAND...]]: one word is the command given to /bin/sh -c
 * as it is; several are joined with spaces (as a shell would read them
 * unquoted). Without a command, the hooks of EVENT (or all) are shown.
 */
static enum cmd_retval
cmd_hook_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct cmd_hook_show	 show = { ctx, NULL };
	char			*command, *cause;

	if (argc == 1) {
		hooks_each(cmd_hook_one, &show);
		return CMD_NORMAL;
	}
	if (argc == 2) {
		if (hooks_event_check(argv[1], &cause) != 0) {
			cmd_error(ctx, "%s", cause);
			free(cause);
			return CMD_ERROR;
		}
		show.event = argv[1];
		hooks_each(cmd_hook_one, &show);
		return CMD_NORMAL;
	}
	command = argc == 3 ? xstrdup(argv[2]) : cmd_join(argv, 2, argc);
	if (hooks_add(argv[1], command, &cause) != 0) {
		cmd_error(ctx, "%s", cause);
		free(cause);
		free(command);
		return CMD_ERROR;
	}
	free(command);
	return CMD_NORMAL;
}
