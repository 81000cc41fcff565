/*
 * cmd.c: the command table, running a row, and the commands on the
 * language itself (list-commands, source).
 *
 * Every command is a const row (tmux cmd_entry): name, alias, argument
 * counts, usage, help, flags and exec. cmd_exec() checks what the row says
 * (argument counts, secrets in a lax file, a store to act on) before the
 * command runs, so the commands only check what is particular to them.
 * Commands print through cmd_print() and fail through cmd_error(); what
 * they do to the store goes through ctx->host. The layer above adds its
 * own rows (the console's commands) with cmd_register(): core knows them
 * only as rows.
 *
 * Core's own commands sit in one file a theme, each with its table:
 * cmd-keys.c, cmd-options.c, cmd-views.c, cmd-channels.c, cmd-macros.c,
 * cmd-bot.c.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <stdlib.h>
#include <string.h>

static enum cmd_retval	cmd_list_commands_exec(struct cmd_ctx *, int, char **);
static enum cmd_retval	cmd_source_exec(struct cmd_ctx *, int, char **);

static const struct cmd_entry cmd_entries[] = {
	{ .name = "list-commands",
	  .alias = "lscm",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "list-commands",
	  .help = N_("list every command with its usage"),
	  .exec = cmd_list_commands_exec },
	{ .name = "source",
	  .args_min = 1,
	  .args_max = 1,
	  .usage = N_("source FILE"),
	  .help = N_("run the commands in a config file"),
	  .exec = cmd_source_exec },
	{ .name = NULL }
};

/* Core's tables, one a theme; cmd_rows_init() sorts their rows by name. */
static const struct cmd_entry *const cmd_core_tables[] = {
	cmd_entries,
	cmd_bot_entries,
	cmd_channels_entries,
	cmd_crisis_entries,
	cmd_hooks_entries,
	cmd_keys_entries,
	cmd_macros_entries,
	cmd_options_entries,
	cmd_sla_entries,
	cmd_team_entries,
	cmd_alert_entries,
	cmd_views_entries,
	cmd_watch_entries
};

void
cmd_print(struct cmd_ctx *ctx, const char *fmt, ...)
{
	va_list	 ap;
	char	*text;

	va_start(ap, fmt);
	text = xvasprintf(fmt, ap);
	va_end(ap);
	if (ctx->print != NULL)
		ctx->print(ctx, text);
	free(text);
}

/* Report an error, prefixed with "file:line: " inside a config file, and
 * return CMD_ERROR so commands can end with return cmd_error(...). */
enum cmd_retval
cmd_error(struct cmd_ctx *ctx, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg, *text;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (ctx->file != NULL) {
		text = xasprintf("%s:%d: %s", ctx->file, ctx->line, msg);
		free(msg);
	} else
		text = msg;
	if (ctx->error != NULL)
		ctx->error(ctx, text);
	free(text);
	return CMD_ERROR;
}

/* Report the usage of the command called name. */
enum cmd_retval
cmd_usage(struct cmd_ctx *ctx, const char *name)
{
	return cmd_error(ctx, _("usage: %s"), _(cmd_find(name)->usage));
}

/* Join argv[from..to) with single spaces; the caller frees the result. */
char *
cmd_join(char **argv, int from, int to)
{
	struct buf	b;

	buf_init(&b);
	if (to > from)
		buf_add_words(&b, argv + from, (size_t)(to - from));
	return buf_steal(&b);
}

/*
 * Append word so that cmd_parse() reads it back as one word: bare when
 * nothing in it is special, else in '...', else (it holds a quote, a tab
 * or a newline) in "..." with escapes.
 */
void
cmd_quote_word(struct buf *b, const char *word)
{
	const char	*p;

	if (*word != '\0' && strpbrk(word, " \t\n'\"\\;#") == NULL) {
		buf_add_str(b, word);
		return;
	}
	if (strpbrk(word, "'\t\n") == NULL) {
		buf_add_char(b, '\'');
		buf_add_str(b, word);
		buf_add_char(b, '\'');
		return;
	}
	buf_add_char(b, '"');
	for (p = word; *p != '\0'; p++) {
		switch (*p) {
		case '"':
		case '\\':
		case '$':
			buf_add_char(b, '\\');
			buf_add_char(b, *p);
			break;
		case '\n':
			buf_add_str(b, "\\n");
			break;
		case '\t':
			buf_add_str(b, "\\t");
			break;
		default:
			buf_add_char(b, *p);
			break;
		}
	}
	buf_add_char(b, '"');
}

/* Join argv[from..to), each word quoted by cmd_quote_word(), with single
 * spaces; the caller frees the result. */
char *
cmd_join_quoted(char **argv, int from, int to)
{
	struct buf	b;
	int		i;

	buf_init(&b);
	for (i = from; i < to; i++) {
		if (i > from)
			buf_add_char(&b, ' ');
		cmd_quote_word(&b, argv[i]);
	}
	return buf_steal(&b);
}

/*
 * Check a string of commands kept to run later (a binding, a macro): it
 * parses and names only commands that exist. Return 0, or -1 with *cause
 * set.
 */
int
cmd_check_string(const char *text, char **cause)
{
	struct cmd_list	*list;
	int		 i;

	if ((list = cmd_parse(text, cause)) == NULL)
		return -1;
	for (i = 0; i < list->n; i++) {
		if (list->argc[i] > 0 && cmd_find(list->argv[i][0]) == NULL) {
			*cause = xasprintf(_("unknown command: %s"),
			    list->argv[i][0]);
			cmd_list_free(list);
			return -1;
		}
	}
	cmd_list_free(list);
	return 0;
}

/* Append word in single quotes for a shell command the user can paste. */
void
cmd_quote_shell(struct buf *b, const char *word)
{
	const char	*p;

	buf_add_char(b, '\'');
	for (p = word; *p != '\0'; p++) {
		if (*p == '\'')
			buf_add_str(b, "'\\''");
		else
			buf_add_char(b, *p);
	}
	buf_add_char(b, '\'');
}

/* The rows in use, core's and those registered, sorted by name. */
static struct cmd_entry	*cmd_rows;
static size_t		 cmd_n_rows;

static int
cmd_compare(const void *a, const void *b)
{
	return strcmp(((const struct cmd_entry *)a)->name,
	    ((const struct cmd_entry *)b)->name);
}

/* Add a table's rows. A name given twice is a programming error: which
 * row runs would depend on the order of registration. */
static void
cmd_rows_add(const struct cmd_entry *table)
{
	const struct cmd_entry	*ce;
	size_t			 n = 0;

	for (ce = table; ce->name != NULL; ce++, n++) {
		if (cmd_find(ce->name) != NULL ||
		    (ce->alias != NULL && cmd_find(ce->alias) != NULL))
			/* not translated: a programming error */
			fatalx("command %s registered twice", ce->name);
	}
	cmd_rows = xreallocarray(cmd_rows, cmd_n_rows + n + 1,
	    sizeof *cmd_rows);
	memcpy(cmd_rows + cmd_n_rows, table, n * sizeof *cmd_rows);
	cmd_n_rows += n;
	memset(&cmd_rows[cmd_n_rows], 0, sizeof *cmd_rows);
	qsort(cmd_rows, cmd_n_rows, sizeof *cmd_rows, cmd_compare);
}

static void
cmd_rows_init(void)
{
	size_t	i;

	if (cmd_rows != NULL)
		return;
	cmd_rows = xcalloc(1, sizeof *cmd_rows);
	for (i = 0; i < nitems(cmd_core_tables); i++)
		cmd_rows_add(cmd_core_tables[i]);
}

void
cmd_register(const struct cmd_entry *table)
{
	cmd_rows_init();
	cmd_rows_add(table);
}

const struct cmd_entry *
cmd_table(void)
{
	cmd_rows_init();
	return cmd_rows;
}

const struct cmd_entry *
cmd_find(const char *name)
{
	const struct cmd_entry	*ce;

	for (ce = cmd_table(); ce->name != NULL; ce++) {
		if (strcmp(ce->name, name) == 0)
			return ce;
		if (ce->alias != NULL && strcmp(ce->alias, name) == 0)
			return ce;
	}
	return NULL;
}

/*
 * A command of the layer above: it runs on the host's data and returns
 * what the host must do next, which core hands back without knowing it.
 * Without such a host (ombre -e, a config file read before the console)
 * it is refused.
 */
static enum cmd_retval
cmd_exec_host(struct cmd_ctx *ctx, const struct cmd_entry *ce, int argc,
    char **argv)
{
	char	*cause = NULL;
	int	 reaction;

	if (ctx->host == NULL || ctx->host->react == NULL)
		return cmd_error(ctx, _("%s: only in the console"), argv[0]);
	reaction = ce->host_exec(ctx->host->data, argc, argv, &cause);
	if (reaction == -1) {
		cmd_error(ctx, "%s: %s", argv[0], cause);
		free(cause);
		return CMD_ERROR;
	}
	ctx->host->react(ctx->host->data, reaction);
	return CMD_NORMAL;
}

/*
 * Run one command after the checks its row asks for. A command that may
 * carry a secret is refused in a file others can read: the secret has
 * leaked already, so nothing else should run until the file is fixed, and
 * ctx->fatal_cause says how.
 */
enum cmd_retval
cmd_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry	*ce;
	struct buf		 b;
	int			 n = argc - 1;

	if (argc < 1)
		return CMD_NORMAL;
	if ((ce = cmd_find(argv[0])) == NULL)
		return cmd_error(ctx, _("unknown command: %s"), argv[0]);

	if ((ce->flags & CMD_SECRET) && ctx->file_lax) {
		if (ctx->fatal_cause != NULL)
			return CMD_ERROR;
		buf_init(&b);
		if (ctx->file_lax & CONFIG_LAX_OWNER) {
			buf_add_printf(&b, _("%s belongs to another user and "
			    "defines a channel; it must be your own file, mode "
			    "600"),
			    ctx->file != NULL ? ctx->file : _("the file"));
		} else {
			buf_add_printf(&b, _("%s is readable by other users "
			    "and defines a channel; run: chmod 600 "),
			    ctx->file != NULL ? ctx->file : _("the file"));
			cmd_quote_shell(&b, ctx->file != NULL ? ctx->file : "");
		}
		ctx->fatal_cause = buf_steal(&b);
		return CMD_ERROR;
	}
	if (n < ce->args_min || (ce->args_max != -1 && n > ce->args_max))
		return cmd_error(ctx, _("usage: %s"), _(ce->usage));
	if ((ce->flags & CMD_NEEDS_STORE) && ctx->host == NULL)
		return cmd_error(ctx, _("%s: no store here"), ce->name);
	if (ce->host_exec != NULL)
		return cmd_exec_host(ctx, ce, argc, argv);
	return ce->exec(ctx, argc, argv);
}

enum cmd_retval
cmd_list_exec(struct cmd_ctx *ctx, const struct cmd_list *list)
{
	int	i;

	for (i = 0; i < list->n; i++) {
		if (cmd_exec(ctx, list->argc[i], list->argv[i]) != CMD_NORMAL)
			return CMD_ERROR;
		if (ctx->fatal_cause != NULL)
			return CMD_ERROR;
	}
	return CMD_NORMAL;
}

enum cmd_retval
cmd_run_string(struct cmd_ctx *ctx, const char *text)
{
	struct cmd_list	*list;
	enum cmd_retval	 retval;
	char		*cause;

	if ((list = cmd_parse(text, &cause)) == NULL) {
		cmd_error(ctx, "%s", cause);
		free(cause);
		return CMD_ERROR;
	}
	retval = cmd_list_exec(ctx, list);
	cmd_list_free(list);
	return retval;
}

/* list-commands: one usage line per command, in table order (by name). */
static enum cmd_retval
cmd_list_commands_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry	*ce;

	(void)argc;
	(void)argv;
	for (ce = cmd_table(); ce->name != NULL; ce++)
		cmd_print(ctx, "%s", _(ce->usage));
	return CMD_NORMAL;
}

/* source FILE: run a config file; a leading ~/ is $HOME. */
static enum cmd_retval
cmd_source_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char	*home;
	char		*path;
	enum cmd_retval	 retval;

	(void)argc;
	if (strncmp(argv[1], "~/", 2) == 0) {
		home = getenv("HOME");
		if (home == NULL || *home == '\0')
			return cmd_error(ctx, _("source: HOME is not set"));
		path = xasprintf("%s%s", home, argv[1] + 1);
	} else
		path = xstrdup(argv[1]);
	retval = config_load(ctx, path, 0);
	free(path);
	return retval;
}
