/*
 * cmd-keys.c: the commands on key bindings: bind, unbind, list-keys. What
 * they print reads back as bind commands (tmux list-keys).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <stdlib.h>
#include <string.h>

static enum cmd_retval	cmd_bind_exec(struct cmd_ctx *, int, char **);
static enum cmd_retval	cmd_list_keys_exec(struct cmd_ctx *, int, char **);
static enum cmd_retval	cmd_unbind_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_keys_entries[] = {
	{ .name = "bind",
	  .args_min = 2,
	  .args_max = -1,
	  .usage = N_("bind [-T TABLE] KEY COMMAND..."),
	  .help = N_("bind a key of the console (tables: root, list, thread) "
	      "to commands"),
	  .exec = cmd_bind_exec },
	{ .name = "list-keys",
	  .alias = "lsk",
	  .args_min = 0,
	  .args_max = 2,
	  .usage = N_("list-keys [-T TABLE]"),
	  .help = N_("list the key bindings, as bind commands"),
	  .exec = cmd_list_keys_exec },
	{ .name = "unbind",
	  .args_min = 1,
	  .args_max = 3,
	  .usage = N_("unbind [-T TABLE] KEY"),
	  .help = N_("remove a key binding"),
	  .exec = cmd_unbind_exec },
	{ .name = NULL }
};

/*
 * Read "-T TABLE" at the front of the arguments ("root" when absent) and
 * return the index of the next argument, or -1 for a table that is not.
 */
static int
cmd_key_table(struct cmd_ctx *ctx, int argc, char **argv, const char **table)
{
	*table = "root";
	if (argc >= 3 && strcmp(argv[1], "-T") == 0) {
		*table = argv[2];
		if (!keys_table_valid(*table)) {
			cmd_error(ctx, _("no key table %s (root, list, "
			    "thread)"),
			    *table);
			return -1;
		}
		return 3;
	}
	return 1;
}

/*
 * bind [-T TABLE] KEY COMMAND...: one word after KEY is a command string
 * ("tag +a; done"); several are one command, each word kept one word.
 */
static enum cmd_retval
cmd_bind_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char	*table, *key;
	char		*command, *cause;
	int		 k;

	if ((k = cmd_key_table(ctx, argc, argv, &table)) == -1)
		return CMD_ERROR;
	if (argc - k < 2)
		return cmd_usage(ctx, "bind");
	key = argv[k];
	if (argc - k == 2)
		command = xstrdup(argv[k + 1]);
	else
		command = cmd_join_quoted(argv, k + 1, argc);
	/* Refused now rather than when the key is pressed. */
	if (cmd_check_string(command, &cause) != 0) {
		cmd_error(ctx, _("bind %s: %s"), key, cause);
		free(cause);
		free(command);
		return CMD_ERROR;
	}
	keys_bind(table, key, command);
	free(command);
	return CMD_NORMAL;
}

static enum cmd_retval
cmd_unbind_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char	*table;
	int		 k;

	if ((k = cmd_key_table(ctx, argc, argv, &table)) == -1)
		return CMD_ERROR;
	if (argc - k != 1)
		return cmd_usage(ctx, "unbind");
	if (keys_unbind(table, argv[k]) != 0)
		return cmd_error(ctx, _("unbind: %s is not bound in %s"),
		    argv[k],
		    table);
	return CMD_NORMAL;
}

static void
cmd_list_keys_one(const char *table, const char *key, const char *command,
    void *data)
{
	struct cmd_ctx	*ctx = data;
	struct buf	 b;

	buf_init(&b);
	buf_add_printf(&b, "bind -T %-6s ", table);
	cmd_quote_word(&b, key);
	buf_add_char(&b, ' ');
	/* "cmd; cmd" must read back as one binding. */
	if (strchr(command, ';') != NULL)
		cmd_quote_word(&b, command);
	else
		buf_add_str(&b, command);
	cmd_print(ctx, "%s", b.data);
	buf_free(&b);
}

static enum cmd_retval
cmd_list_keys_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char	*table = NULL;

	if (argc == 3 && strcmp(argv[1], "-T") == 0) {
		if (!keys_table_valid(argv[2]))
			return cmd_error(ctx, _("no key table %s (root, list, "
			    "thread)"), argv[2]);
		table = argv[2];
	} else if (argc != 1)
		return cmd_usage(ctx, "list-keys");
	keys_each(table, cmd_list_keys_one, ctx);
	return CMD_NORMAL;
}
