/*
 * cmd.c: the command table and the commands that act on the core itself.
 *
 * Every command is a const row (tmux cmd_entry): name, alias, argument
 * counts, usage, help, flags and exec. cmd_exec() checks what the row says
 * (argument counts, secrets in a lax file, a store to act on) before the
 * command runs, so the commands only check what is particular to them.
 * Commands print through cmd_print() and fail through cmd_error(); what
 * they do to the store goes through ctx->host. The layer above adds its
 * own rows (the console's commands) with cmd_register(): core knows them
 * only as rows.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "core/core.h"

#include <stdlib.h>
#include <string.h>

static enum cmd_retval	cmd_agent_exec(struct cmd_ctx *, int, char **);
static enum cmd_retval	cmd_bind_exec(struct cmd_ctx *, int, char **);
static enum cmd_retval	cmd_list_keys_exec(struct cmd_ctx *, int, char **);
static enum cmd_retval	cmd_macro_exec(struct cmd_ctx *, int, char **);
static enum cmd_retval	cmd_macro_run_exec(struct cmd_ctx *, int, char **);
static enum cmd_retval	cmd_unbind_exec(struct cmd_ctx *, int, char **);
static enum cmd_retval	cmd_channel_exec(struct cmd_ctx *, int, char **);
static enum cmd_retval	cmd_list_commands_exec(struct cmd_ctx *, int, char **);
static enum cmd_retval	cmd_set_exec(struct cmd_ctx *, int, char **);
static enum cmd_retval	cmd_show_channels_exec(struct cmd_ctx *, int, char **);
static enum cmd_retval	cmd_show_options_exec(struct cmd_ctx *, int, char **);
static enum cmd_retval	cmd_show_styles_exec(struct cmd_ctx *, int, char **);
static enum cmd_retval	cmd_source_exec(struct cmd_ctx *, int, char **);
static enum cmd_retval	cmd_style_exec(struct cmd_ctx *, int, char **);
static enum cmd_retval	cmd_tag_exec(struct cmd_ctx *, int, char **);
static enum cmd_retval	cmd_view_exec(struct cmd_ctx *, int, char **);

static const struct cmd_entry cmd_entries[] = {
	{ .name = "agent",
	  .args_min = 0,
	  .args_max = 1,
	  .usage = "agent [NAME]",
	  .help = "set or show who I am (what I take is tagged "
	      "ombre/assigned/NAME)",
	  .exec = cmd_agent_exec },
	{ .name = "bind",
	  .args_min = 2,
	  .args_max = -1,
	  .usage = "bind [-T TABLE] KEY COMMAND...",
	  .help = "bind a key of the console (tables: root, list, thread) to "
	      "commands",
	  .exec = cmd_bind_exec },
	{ .name = "channel",
	  .args_min = 2,
	  .args_max = -1,
	  .usage = "channel NAME TYPE [KEY=VALUE...]",
	  .help = "declare a channel; the file saying so must be mode 600",
	  .flags = CMD_SECRET,
	  .exec = cmd_channel_exec },
	{ .name = "list-commands",
	  .alias = "lscm",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "list-commands",
	  .help = "list every command with its usage",
	  .exec = cmd_list_commands_exec },
	{ .name = "list-keys",
	  .alias = "lsk",
	  .args_min = 0,
	  .args_max = 2,
	  .usage = "list-keys [-T TABLE]",
	  .help = "list the key bindings, as bind commands",
	  .exec = cmd_list_keys_exec },
	{ .name = "macro",
	  .args_min = 0,
	  .args_max = -1,
	  .usage = "macro [NAME [COMMANDS...]]",
	  .help = "define a named string of commands, or show one or all",
	  .exec = cmd_macro_exec },
	{ .name = "macro-run",
	  .args_min = 1,
	  .args_max = 1,
	  .usage = "macro-run NAME",
	  .help = "run a macro (in the console, on the marked set)",
	  .exec = cmd_macro_run_exec },
	{ .name = "set",
	  .args_min = 1,
	  .args_max = 3,
	  .usage = "set [-u] NAME [VALUE]",
	  .help = "set an option, or with -u reset it to its default",
	  .exec = cmd_set_exec },
	{ .name = "show-channels",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "show-channels",
	  .help = "list the declared channels, secrets hidden",
	  .exec = cmd_show_channels_exec },
	{ .name = "show-options",
	  .alias = "show",
	  .args_min = 0,
	  .args_max = 1,
	  .usage = "show-options [NAME]",
	  .help = "show every option's value, or one",
	  .exec = cmd_show_options_exec },
	{ .name = "show-styles",
	  .args_min = 0,
	  .args_max = 0,
	  .usage = "show-styles",
	  .help = "print the style of every role, as style commands",
	  .exec = cmd_show_styles_exec },
	{ .name = "source",
	  .args_min = 1,
	  .args_max = 1,
	  .usage = "source FILE",
	  .help = "run the commands in a config file",
	  .exec = cmd_source_exec },
	{ .name = "style",
	  .args_min = 2,
	  .args_max = -1,
	  .usage = "style ROLE SPEC",
	  .help = "set how a role of the screen looks (fg=, bg=, bold, dim, "
	      "underline, reverse)",
	  .exec = cmd_style_exec },
	{ .name = "tag",
	  .args_min = 2,
	  .args_max = -1,
	  .usage = "tag TARGET +TAG|-TAG...",
	  .help = "add or remove tags on the conversations a CONV or query "
	      "names",
	  .flags = CMD_NEEDS_STORE,
	  .exec = cmd_tag_exec },
	{ .name = "unbind",
	  .args_min = 1,
	  .args_max = 3,
	  .usage = "unbind [-T TABLE] KEY",
	  .help = "remove a key binding",
	  .exec = cmd_unbind_exec },
	{ .name = "view",
	  .args_min = 0,
	  .args_max = -1,
	  .usage = "view [NAME [QUERY...]]",
	  .help = "define a saved search, or show one or all",
	  .exec = cmd_view_exec },
	{ .name = NULL }
};

/* What `channel` accepts as TYPE: the adapters ombre has or will have. */
static const char *const cmd_channel_types[] = {
	"telegram", "matrix", "whatsapp", "messenger", "line", "sms", "email",
	"exec", "demo"
};

static enum cmd_retval	 cmd_usage(struct cmd_ctx *ctx, const char *name);
static char		*cmd_join(char **argv, int from, int to);
static enum cmd_retval	 cmd_theme_load(struct cmd_ctx *, const char *);
static void		 cmd_quote(struct buf *b, const char *word);

void
cmd_quote_word(struct buf *b, const char *word)
{
	cmd_quote(b, word);
}
static int		 cmd_key_secret(const char *key);

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
static enum cmd_retval
cmd_usage(struct cmd_ctx *ctx, const char *name)
{
	return cmd_error(ctx, "usage: %s", cmd_find(name)->usage);
}

/* Join argv[from..to) with single spaces; the caller frees the result. */
static char *
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
static void
cmd_quote(struct buf *b, const char *word)
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

/* Whether a channel key holds a secret or a command that prints one. */
static int
cmd_key_secret(const char *key)
{
	return strstr(key, "token") != NULL ||
	    strstr(key, "password") != NULL ||
	    strstr(key, "secret") != NULL;
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

static void
cmd_rows_init(void)
{
	if (cmd_rows != NULL)
		return;
	cmd_n_rows = nitems(cmd_entries) - 1;
	cmd_rows = xcalloc(cmd_n_rows + 1, sizeof *cmd_rows);
	memcpy(cmd_rows, cmd_entries, cmd_n_rows * sizeof *cmd_rows);
}

/* A name given twice is a programming error: which row runs would
 * depend on the order of registration. */
void
cmd_register(const struct cmd_entry *table)
{
	const struct cmd_entry	*ce;
	size_t			 n = 0;

	cmd_rows_init();
	for (ce = table; ce->name != NULL; ce++, n++) {
		if (cmd_find(ce->name) != NULL ||
		    (ce->alias != NULL && cmd_find(ce->alias) != NULL))
			fatalx("command %s registered twice", ce->name);
	}
	cmd_rows = xreallocarray(cmd_rows, cmd_n_rows + n + 1,
	    sizeof *cmd_rows);
	memcpy(cmd_rows + cmd_n_rows, table, n * sizeof *cmd_rows);
	cmd_n_rows += n;
	memset(&cmd_rows[cmd_n_rows], 0, sizeof *cmd_rows);
	qsort(cmd_rows, cmd_n_rows, sizeof *cmd_rows, cmd_compare);
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
		return cmd_error(ctx, "%s: only in the console", argv[0]);
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
		return cmd_error(ctx, "unknown command: %s", argv[0]);

	if ((ce->flags & CMD_SECRET) && ctx->file_lax) {
		if (ctx->fatal_cause != NULL)
			return CMD_ERROR;
		buf_init(&b);
		buf_add_str(&b, ctx->file != NULL ? ctx->file : "the file");
		if (ctx->file_lax & CONFIG_LAX_OWNER) {
			buf_add_str(&b, " belongs to another user and defines "
			    "a channel; it must be your own file, mode 600");
		} else {
			buf_add_str(&b, " is readable by other users and "
			    "defines a channel; run: chmod 600 ");
			cmd_quote_shell(&b, ctx->file != NULL ? ctx->file : "");
		}
		ctx->fatal_cause = buf_steal(&b);
		return CMD_ERROR;
	}
	if (n < ce->args_min || (ce->args_max != -1 && n > ce->args_max))
		return cmd_error(ctx, "usage: %s", ce->usage);
	if ((ce->flags & CMD_NEEDS_STORE) && ctx->host == NULL)
		return cmd_error(ctx, "%s: no store here", ce->name);
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

/* agent [NAME]: the option "agent", checked by options_set(). */
static enum cmd_retval
cmd_agent_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	char	*cause;

	if (argc == 1) {
		cmd_print(ctx, "%s", core_agent_name());
		return CMD_NORMAL;
	}
	if (options_set("agent", argv[1], &cause) != 0) {
		cmd_error(ctx, "%s", cause);
		free(cause);
		return CMD_ERROR;
	}
	return CMD_NORMAL;
}

/*
 * channel NAME TYPE [KEY=VALUE...]: declare a channel. Its arguments may
 * be secrets, so no error quotes one: a word without '=' is named by its
 * position only.
 */
static enum cmd_retval
cmd_channel_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	char		**keys, **values, *eq, *cause;
	int		  i, n = argc - 3;
	size_t		  t;
	struct buf	  known;
	enum cmd_retval	  retval = CMD_NORMAL;

	for (t = 0; t < nitems(cmd_channel_types); t++) {
		if (strcmp(argv[2], cmd_channel_types[t]) == 0)
			break;
	}
	if (t == nitems(cmd_channel_types)) {
		buf_init(&known);
		for (t = 0; t < nitems(cmd_channel_types); t++)
			buf_add_printf(&known, " %s", cmd_channel_types[t]);
		retval = cmd_error(ctx, "channel %s: unknown type %s (known:%s)",
		    argv[1], argv[2], known.data);
		buf_free(&known);
		return retval;
	}

	keys = xcalloc(n + 1, sizeof *keys);
	values = xcalloc(n + 1, sizeof *values);
	for (i = 0; i < n; i++) {
		eq = strchr(argv[3 + i], '=');
		if (eq == NULL || eq == argv[3 + i]) {
			retval = cmd_error(ctx, "channel %s: argument %d is not "
			    "KEY=VALUE", argv[1], 3 + i);
			goto out;
		}
		keys[i] = xstrndup(argv[3 + i], eq - argv[3 + i]);
		values[i] = eq + 1;
	}
	if (channel_config_define(argv[1], argv[2], keys, values, n,
	    &cause) != 0) {
		retval = cmd_error(ctx, "%s", cause);
		free(cause);
	}

out:
	for (i = 0; i < n; i++)
		free(keys[i]);
	free(keys);
	free(values);
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
		cmd_print(ctx, "%s", ce->usage);
	return CMD_NORMAL;
}

/* set [-u] NAME [VALUE] */
static enum cmd_retval
cmd_set_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	char	*cause, *old_theme;
	int	 rc, theme;

	if (argc != 3)
		return cmd_usage(ctx, "set");
	theme = strcmp(argv[1], "theme") == 0 ||
	    (strcmp(argv[1], "-u") == 0 && strcmp(argv[2], "theme") == 0);
	old_theme = xstrdup(options_get("theme"));
	if (strcmp(argv[1], "-u") == 0)
		rc = options_unset(argv[2], &cause);
	else
		rc = options_set(argv[1], argv[2], &cause);
	if (rc != 0) {
		cmd_error(ctx, "%s", cause);
		free(cause);
		free(old_theme);
		return CMD_ERROR;
	}
	if (theme && cmd_theme_load(ctx, options_get("theme")) != CMD_NORMAL) {
		/* A theme that does not load is not the theme. */
		if (options_set("theme", old_theme, &cause) == 0)
			cmd_theme_load(ctx, old_theme);
		else
			free(cause);
		free(old_theme);
		return CMD_ERROR;
	}
	free(old_theme);
	return CMD_NORMAL;
}

/*
 * A theme: the default styles, then the `style` lines of its file. An
 * unknown theme leaves the styles as they were.
 */
static enum cmd_retval
cmd_theme_load(struct cmd_ctx *ctx, const char *name)
{
	char		*path;
	enum cmd_retval	 retval;

	if (name == NULL || *name == '\0' || strcmp(name, "default") == 0) {
		style_reset();
		return CMD_NORMAL;
	}
	if ((path = style_theme_path(name)) == NULL)
		return cmd_error(ctx, "no theme %s (default, light, "
		    "high-contrast, mono, or a path)", name);
	style_reset();
	retval = config_load(ctx, path, 0);
	free(path);
	return retval;
}

/* show-channels: "name type key=value ...", secrets shown as (hidden). */
static enum cmd_retval
cmd_show_channels_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct channel_config	*all, *cc;
	struct buf			 b;
	size_t				 n, i, k;

	(void)argc;
	(void)argv;
	all = channel_config_all(&n);
	buf_init(&b);
	for (i = 0; i < n; i++) {
		cc = &all[i];
		buf_reset(&b);
		buf_add_printf(&b, "%s %s", cc->name, cc->type);
		for (k = 0; k < cc->n; k++) {
			buf_add_printf(&b, " %s=", cc->keys[k]);
			if (cmd_key_secret(cc->keys[k]))
				buf_add_str(&b, "(hidden)");
			else
				cmd_quote(&b, cc->values[k]);
		}
		cmd_print(ctx, "%s", b.data);
	}
	buf_free(&b);
	return CMD_NORMAL;
}

/* show-options [NAME]: "name value", the value quoted for the parser. */
static enum cmd_retval
cmd_show_options_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct option_entry	*oe;
	struct buf			 b;

	if (argc == 2 && options_get(argv[1]) == NULL)
		return cmd_error(ctx, "unknown option: %s", argv[1]);
	buf_init(&b);
	for (oe = options_table(); oe->name != NULL; oe++) {
		if (argc == 2 && strcmp(oe->name, argv[1]) != 0)
			continue;
		buf_reset(&b);
		buf_add_printf(&b, "%s ", oe->name);
		cmd_quote(&b, options_get(oe->name));
		cmd_print(ctx, "%s", b.data);
	}
	buf_free(&b);
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
			return cmd_error(ctx, "source: HOME is not set");
		path = xasprintf("%s%s", home, argv[1] + 1);
	} else
		path = xstrdup(argv[1]);
	retval = config_load(ctx, path, 0);
	free(path);
	return retval;
}

/*
 * tag TARGET... +TAG|-TAG...: the leading words not starting with + or -
 * are the target (a CONV or a query, joined by spaces), the rest are
 * operations. All are checked before the host sees any.
 */
static enum cmd_retval
cmd_tag_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	char	*target, *cause = NULL;
	int	 first, i, rc;

	for (first = 1; first < argc; first++) {
		if (argv[first][0] == '+' || argv[first][0] == '-')
			break;
		if (argv[first][0] == '\0')
			return cmd_error(ctx, "tag: empty target");
	}
	if (first == 1 || first == argc)
		return cmd_usage(ctx, "tag");
	for (i = first; i < argc; i++) {
		if (argv[i][0] != '+' && argv[i][0] != '-')
			return cmd_error(ctx, "tag: not +TAG or -TAG: %s", argv[i]);
		if (!tag_valid(argv[i] + 1))
			return cmd_error(ctx, "tag: invalid tag: %s", argv[i] + 1);
	}
	if (ctx->host == NULL || ctx->host->tag == NULL)
		return cmd_error(ctx, "tag: no store here");

	target = cmd_join(argv, 1, first);
	rc = ctx->host->tag(ctx->host->data, target, argv + first, argc - first,
	    &cause);
	free(target);
	if (rc != 0) {
		cmd_error(ctx, "tag: %s", cause != NULL ? cause : "failed");
		free(cause);
		return CMD_ERROR;
	}
	return CMD_NORMAL;
}

/*
 * view: print every view as "name<TAB>query"; view NAME: print its query;
 * view NAME QUERY...: define it (the words joined by spaces).
 */
static enum cmd_retval
cmd_view_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct view	*v;
	const char		*p;
	char			*query;
	size_t			 n, i;

	if (argc == 1) {
		v = view_all(&n);
		for (i = 0; i < n; i++)
			cmd_print(ctx, "%s\t%s", v[i].name, v[i].query);
		return CMD_NORMAL;
	}
	if (argc == 2) {
		if ((v = view_find(argv[1])) == NULL)
			return cmd_error(ctx, "unknown view: %s", argv[1]);
		cmd_print(ctx, "%s", v->query);
		return CMD_NORMAL;
	}

	if (argv[1][0] == '\0')
		return cmd_error(ctx, "view: empty name");
	for (p = argv[1]; *p != '\0'; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return cmd_error(ctx, "view: control character in name");
	}
	query = cmd_join(argv, 2, argc);
	if (query[strspn(query, " ")] == '\0') {
		free(query);
		return cmd_error(ctx, "view %s: empty query", argv[1]);
	}
	view_define(argv[1], query);
	free(query);
	return CMD_NORMAL;
}

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
			cmd_error(ctx, "no key table %s (root, list, thread)",
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
	const char	*table;
	char		*command, *cause;
	struct cmd_list	*list;
	struct buf	 b;
	const char	*key;
	int		 i, k;

	if ((k = cmd_key_table(ctx, argc, argv, &table)) == -1)
		return CMD_ERROR;
	if (argc - k < 2)
		return cmd_usage(ctx, "bind");
	key = argv[k];
	if (argc - k == 2)
		command = xstrdup(argv[k + 1]);
	else {
		buf_init(&b);
		for (i = k + 1; i < argc; i++) {
			if (i > k + 1)
				buf_add_char(&b, ' ');
			cmd_quote(&b, argv[i]);
		}
		command = buf_steal(&b);
	}
	/* Refused now rather than when the key is pressed. */
	if ((list = cmd_parse(command, &cause)) == NULL) {
		cmd_error(ctx, "bind %s: %s", key, cause);
		free(cause);
		free(command);
		return CMD_ERROR;
	}
	for (i = 0; i < list->n; i++) {
		if (list->argc[i] > 0 && cmd_find(list->argv[i][0]) == NULL) {
			cmd_error(ctx, "bind %s: unknown command: %s", key,
			    list->argv[i][0]);
			cmd_list_free(list);
			free(command);
			return CMD_ERROR;
		}
	}
	cmd_list_free(list);
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
		return cmd_error(ctx, "unbind: %s is not bound in %s", argv[k],
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
	cmd_quote(&b, key);
	buf_add_char(&b, ' ');
	/* "cmd; cmd" must read back as one binding. */
	if (strchr(command, ';') != NULL)
		cmd_quote(&b, command);
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
			return cmd_error(ctx, "no key table %s (root, list, "
			    "thread)", argv[2]);
		table = argv[2];
	} else if (argc != 1)
		return cmd_usage(ctx, "list-keys");
	keys_each(table, cmd_list_keys_one, ctx);
	return CMD_NORMAL;
}

/* style ROLE SPEC: the words after ROLE are the spec. */
static enum cmd_retval
cmd_style_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct style	 st;
	char		*spec, *cause;
	int		 role;

	if ((role = style_role_find(argv[1])) == -1)
		return cmd_error(ctx, "style: no role %s (see show-styles)",
		    argv[1]);
	spec = cmd_join(argv, 2, argc);
	if (style_parse(spec, &st, &cause) != 0) {
		cmd_error(ctx, "style %s: %s", argv[1], cause);
		free(cause);
		free(spec);
		return CMD_ERROR;
	}
	free(spec);
	style_set((enum style_role)role, &st);
	return CMD_NORMAL;
}

static enum cmd_retval
cmd_show_styles_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	char	*spec;
	int	 i;

	(void)argc;
	(void)argv;
	for (i = 0; i < STYLE_ROLE_COUNT; i++) {
		spec = style_format(style_get((enum style_role)i));
		cmd_print(ctx, "style %s %s", style_role_name((enum style_role)i),
		    spec);
		free(spec);
	}
	return CMD_NORMAL;
}

static void
cmd_macro_one(const char *name, const char *commands, void *data)
{
	struct cmd_ctx	*ctx = data;
	struct buf	 b;

	buf_init(&b);
	buf_add_printf(&b, "macro %s ", name);
	cmd_quote(&b, commands);
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
	struct cmd_list	*list;
	struct buf	 b;
	int		 i;

	if (argc == 1) {
		macro_each(cmd_macro_one, ctx);
		return CMD_NORMAL;
	}
	if (!macro_name_valid(argv[1]))
		return cmd_error(ctx, "macro: bad name (letters, digits, - _)");
	if (argc == 2) {
		if ((commands = macro_find(argv[1])) == NULL)
			return cmd_error(ctx, "no macro %s", argv[1]);
		cmd_macro_one(argv[1], commands, ctx);
		return CMD_NORMAL;
	}
	if (argc == 3)
		text = xstrdup(argv[2]);
	else {
		buf_init(&b);
		for (i = 2; i < argc; i++) {
			if (i > 2)
				buf_add_char(&b, ' ');
			cmd_quote(&b, argv[i]);
		}
		text = buf_steal(&b);
	}
	if ((list = cmd_parse(text, &cause)) == NULL) {
		cmd_error(ctx, "macro %s: %s", argv[1], cause);
		free(cause);
		free(text);
		return CMD_ERROR;
	}
	for (i = 0; i < list->n; i++) {
		if (list->argc[i] > 0 && cmd_find(list->argv[i][0]) == NULL) {
			cmd_error(ctx, "macro %s: unknown command: %s", argv[1],
			    list->argv[i][0]);
			cmd_list_free(list);
			free(text);
			return CMD_ERROR;
		}
	}
	cmd_list_free(list);
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
		return cmd_error(ctx, "no macro %s", argv[1]);
	copy = xstrdup(commands);	/* it may redefine itself */
	ctx->macro_depth++;
	retval = cmd_run_string(ctx, copy);
	if (--ctx->macro_depth == 0 && ctx->host != NULL &&
	    ctx->host->macro_end != NULL)
		ctx->host->macro_end(ctx->host->data);
	free(copy);
	return retval;
}
