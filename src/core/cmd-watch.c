/*
 * cmd-watch.c: the commands watch and unwatch (the terms trends, spikes
 * and insights count) and list-watch.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <stdlib.h>
#include <string.h>

static enum cmd_retval	cmd_watch_exec(struct cmd_ctx *, int, char **);
static enum cmd_retval	cmd_unwatch_exec(struct cmd_ctx *, int, char **);
static enum cmd_retval	cmd_list_watch_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_watch_entries[] = {
	{ .name = "list-watch",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "list-watch",
	  .help = N_("print the watched terms as the watch command that makes "
	      "them"),
	  .exec = cmd_list_watch_exec },
	{ .name = "unwatch",
	  .args_min = 1,
	  .args_max = -1,
	  .usage = N_("unwatch TERM...|-a"),
	  .help = N_("stop counting terms (-a: every one, the default order "
	      "words too)"),
	  .exec = cmd_unwatch_exec },
	{ .name = "watch",
	  .args_min = 1,
	  .args_max = -1,
	  .usage = N_("watch TERM..."),
	  .help = N_("count terms in customers' messages for trends, spikes "
	      "and insights (product names, order words)"),
	  .exec = cmd_watch_exec },
	{ .name = NULL }
};

/* watch TERM... */
static enum cmd_retval
cmd_watch_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	char	*cause;
	int	 i;

	for (i = 1; i < argc; i++) {
		if (watch_add(argv[i], &cause) == -1) {
			cmd_error(ctx, "%s", cause);
			free(cause);
			return CMD_ERROR;
		}
	}
	return CMD_NORMAL;
}

/* unwatch TERM...|-a: a term not watched is an error, the others go. */
static enum cmd_retval
cmd_unwatch_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	enum cmd_retval	 retval = CMD_NORMAL;
	int		 i;

	if (argc == 2 && strcmp(argv[1], "-a") == 0) {
		watch_clear();
		return CMD_NORMAL;
	}
	for (i = 1; i < argc; i++) {
		if (!watch_remove(argv[i]))
			retval = cmd_error(ctx, _("unwatch: '%s' is not "
			    "watched"),
			    argv[i]);
	}
	return retval;
}

/* list-watch: one line, "watch" and every term quoted. */
static enum cmd_retval
cmd_list_watch_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct buf	b;
	size_t		i, n = watch_count();

	(void)argc;
	(void)argv;
	if (n == 0)
		return CMD_NORMAL;
	buf_init(&b);
	buf_add(&b, "watch", 5);
	for (i = 0; i < n; i++) {
		buf_add(&b, " ", 1);
		cmd_quote_word(&b, watch_term(i));
	}
	cmd_print(ctx, "%s", b.data);
	buf_free(&b);
	return CMD_NORMAL;
}
